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

/* A time, ISO 8601 UTC with or without milliseconds ("2026-05-01T08:00:00Z",
 * "2026-05-01T08:00:00.000Z"), as ms since the epoch; *ms is 0 when absent.
 * Code "bad_time" otherwise. Every route reads times with this. */
enum fq_err fq_in_time(struct fq_req *r, const char *field, unsigned flags, int64_t *ms);
/* A calendar date "2026-05-01" (also "20260501") as YYYYMMDD; *day is 0 when
 * absent. Code "bad_date" otherwise. */
enum fq_err fq_in_date(struct fq_req *r, const char *field, unsigned flags, int64_t *day);

/* Lists. Each item that is wrong is named "field[idx]" (idx from 0), and a
 * field inside an object item "field[idx].name", in error.field and at the
 * start of the message. *n is the number of items, 0 when absent. */

/* A list field: *out (borrowed) is the JSON array, NULL when absent; at most
 * max_items items. */
enum fq_err fq_in_array(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			json_t **out);
/* Distinct ids (whole numbers from 1) into an arena array (*ids NULL when
 * absent); a repeated id is code "duplicate". */
enum fq_err fq_in_id_list(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			  const int64_t **ids, size_t *n);
/* Texts, each read as fq_in_text with item_flags and max_chars, into an
 * arena array (*out NULL when absent). */
enum fq_err fq_in_text_list(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			    unsigned item_flags, long max_chars, const char ***out, size_t *n);
/* Values from choices (NULL-terminated), repeats allowed, into out (room for
 * max_items). */
enum fq_err fq_in_choice_array(struct fq_req *r, const char *field, unsigned flags,
			       const char *const *choices, size_t max_items, const char **out,
			       size_t *n);

/* Reads one object (item idx of a list, or the value of an object field) with
 * the fq_in_* calls, which see it as the body; arg is the caller's. */
typedef enum fq_err fq_in_item_fn(struct fq_req *r, size_t idx, void *arg);
/* A list of objects: each item must be an object holding only fields
 * (NULL-terminated), and is read by read. *present (may be NULL) tells
 * whether the list was given. */
enum fq_err fq_in_objects(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			  const char *const *fields, fq_in_item_fn *read, void *arg, size_t *n,
			  bool *present);
/* An object field holding only fields, read by read (idx 0); a failed field
 * inside is named "field.name". */
enum fq_err fq_in_object(struct fq_req *r, const char *field, unsigned flags,
			 const char *const *fields, fq_in_item_fn *read, void *arg, bool *present);
/* The steps fq_in_objects takes, for a loop of one's own: between fq_in_enter
 * and fq_in_leave item idx stands for the body, and fq_in_leave names a
 * failed field "field[idx].name". */
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
/* Query date "2026-05-01" (also "20260501") as YYYYMMDD; *day untouched
 * when absent or empty. */
enum fq_err fq_in_query_date(struct fq_req *r, const char *name, int64_t *day);
/* Query value from choices (NULL-terminated); *out NULL when absent or empty. */
enum fq_err fq_in_query_choice(struct fq_req *r, const char *name, const char *const *choices,
			       const char **out);
/* page (≥ 1) and per_page (1–100, default 20) from the query. */
enum fq_err fq_in_page(struct fq_req *r, int64_t *page, int64_t *per_page);

/* Replies {"items", "page", "per_page", "has_more"}; items holds up to
 * per_page + 1 rows (the extra one only tells that there is more). Steals items. */
void fq_out_list(struct fq_req *r, json_t *items, int64_t page, int64_t per_page);

/* Keyset paging (docs/api.md, "Lists"): the query's cursor, the next_cursor
 * a page of the list answered, as *after (0 when absent). A cursor that is
 * not one, or one given with page, is 422 bad_cursor on cursor. */
enum fq_err fq_in_cursor(struct fq_req *r, int64_t *after);
/* As fq_out_list, and next_cursor: where the next page starts when there is
 * more (the id of the page's last item), null otherwise; page is null when
 * the request paged by cursor (after > 0). Steals items. */
void fq_out_keyset(struct fq_req *r, json_t *items, int64_t page, int64_t per_page,
		   int64_t after);

#endif
