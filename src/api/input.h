/* Reading a request's JSON body, path and query with a clear error for every
 * bad value: each function names the field and says what is wrong, sets
 * r->error and returns its code. Text is trimmed; control characters are
 * refused (multi-line text may hold newlines and tabs). */
#ifndef FQ_INPUT_H
#define FQ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_req;
typedef struct json_t json_t;

enum fq_in_flags {
	FQ_IN_REQUIRED = 1 << 0,
	FQ_IN_MULTILINE = 1 << 1,
	FQ_IN_NULLABLE = 1 << 2, /* JSON null is accepted and read as absent */
	FQ_IN_NOT_EMPTY = 1 << 3, /* optional, but not empty when given (updates) */
};

/* Refuses any body field not in fields (NULL-terminated). */
enum fq_err fq_in_only(struct fq_req *r, const char *const *fields);
bool fq_in_has(const struct fq_req *r, const char *field);

/* *out is NULL when the field is absent (or null with FQ_IN_NULLABLE). */
enum fq_err fq_in_text(struct fq_req *r, const char *field, unsigned flags, long max_chars,
		       const char **out);
enum fq_err fq_in_int(struct fq_req *r, const char *field, unsigned flags, int64_t min,
		      int64_t max, int64_t *out, bool *present);
enum fq_err fq_in_double(struct fq_req *r, const char *field, unsigned flags, double min,
			 double max, double *out, bool *present);
enum fq_err fq_in_bool(struct fq_req *r, const char *field, unsigned flags, bool *out,
		       bool *present);
/* One of choices (NULL-terminated). */
enum fq_err fq_in_choice(struct fq_req *r, const char *field, unsigned flags,
			 const char *const *choices, const char **out);
/* A list of distinct values from choices, joined with spaces into *out
 * ("" for an empty list; NULL when absent). */
enum fq_err fq_in_choice_list(struct fq_req *r, const char *field, unsigned flags,
			      const char *const *choices, size_t max_items, const char **out);

/* A list field: *out (borrowed) is the JSON array, NULL when absent; at most
 * max_items items. */
enum fq_err fq_in_array(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			json_t **out);
/* Item idx of list field (an object) read with the fq_in_* calls above:
 * between fq_in_enter and fq_in_leave the item stands for the body, and
 * fq_in_leave names a failed field "field[idx].name" (idx from 0). */
enum fq_err fq_in_enter(struct fq_req *r, json_t *array, const char *field, size_t idx,
			json_t **saved);
enum fq_err fq_in_leave(struct fq_req *r, json_t *saved, const char *field, size_t idx,
			enum fq_err err);

/* Path parameter idx as a positive id; FQ_ERR_NOT_FOUND otherwise. */
enum fq_err fq_in_path_id(struct fq_req *r, int idx, int64_t *id);
/* Query argument as an integer in [min, max]; *present false when absent. */
enum fq_err fq_in_query_int(struct fq_req *r, const char *name, int64_t min, int64_t max,
			    int64_t *out, bool *present);
/* Query text, trimmed, at most max_chars; NULL when absent or empty. */
enum fq_err fq_in_query_text(struct fq_req *r, const char *name, long max_chars,
			     const char **out);
/* page (≥ 1) and per_page (1–100, default 20) from the query. */
enum fq_err fq_in_page(struct fq_req *r, int64_t *page, int64_t *per_page);

/* Replies {"items", "page", "per_page", "has_more"}; items holds up to
 * per_page + 1 rows (the extra one only tells that there is more). Steals items. */
void fq_out_list(struct fq_req *r, json_t *items, int64_t page, int64_t per_page);

#endif
