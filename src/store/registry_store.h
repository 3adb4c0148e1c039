/* The SQL of the responsibility registry (责任清单; migration 030). No rules
 * here: domain/registry.c checks them. Rows come as JSON; columns named *_at
 * come out as ISO 8601 text, those named *_t as ms. */
#ifndef FQ_REGISTRY_STORE_H
#define FQ_REGISTRY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* A check is due this long before its day (the work queue, the list's "due"). */
#define FQ_REGISTRY_DUE_AHEAD_MS (3 * 24 * 3600 * 1000LL)

/* What the rules need of one item. */
struct fq_registry_row {
	int64_t id, station_id, unit_id, responsible_id, deputy_id, place_id, interval_days;
	int64_t last_checked_at, next_due_at;
	char org_path[256];
	char code[32];
};
/* FQ_ERR_NOT_FOUND when there is no such item. */
enum fq_err fq_store_registry_row(struct fq_db *db, int64_t id, struct fq_registry_row *out);

/* The columns a write sets (the domain merged the unchanged ones in). */
struct fq_store_registry_fields {
	const char *kind, *name, *code, *location, *org_path, *check_what;
	int64_t station_id, place_id, unit_id, responsible_id, deputy_id; /* 0: none */
	int64_t interval_days, next_due_at;                               /* 0: none */
};
/* FQ_ERR_CONFLICT when the station has the code already. */
enum fq_err fq_store_registry_insert(struct fq_db *db, const struct fq_store_registry_fields *f,
				     int64_t by, int64_t now, int64_t *id);
enum fq_err fq_store_registry_update(struct fq_db *db, int64_t id,
				     const struct fq_store_registry_fields *f, int64_t now);
/* 1 when another item (not except_id) of the station holds code, 0 not,
 * < 0 -error. */
int fq_store_registry_code_taken(struct fq_db *db, int64_t station_id, const char *code,
				 int64_t except_id);

/* One item with its unit, people, place and status at now: ok, due (within
 * FQ_REGISTRY_DUE_AHEAD_MS), overdue, or none (no schedule). */
json_t *fq_store_registry_json(struct fq_db *db, int64_t id, int64_t now, enum fq_err *err);

struct fq_registry_filter {
	const char *kind;
	const char *status; /* ok, due, overdue, none, attention (due or overdue) */
	const char *q;      /* name, code or location contains */
	int64_t unit_id;    /* the items of this unit's subtree */
	int64_t responsible_id;
	int64_t now;
};
/* Newest first; scope [lo, hi) of org paths; limit and offset. */
json_t *fq_store_registry_list(struct fq_db *db, const struct fq_registry_filter *f,
			       const char *lo, const char *hi, int64_t offset, int64_t limit,
			       enum fq_err *err);

/* The name of a station (*name malloc'd, to free()). */
enum fq_err fq_store_registry_station_name(struct fq_db *db, int64_t station_id, char **name);

/* ---- checks ---- */

enum fq_err fq_store_registry_check_insert(struct fq_db *db, int64_t item_id, int64_t day,
					   int64_t by, const char *result, const char *note,
					   int64_t now, int64_t *id);
/* After a check: when it was, its result, the next one due (0: none). */
enum fq_err fq_store_registry_checked(struct fq_db *db, int64_t id, int64_t at,
				      const char *result, int64_t next_due_at, int64_t now);
/* The item's checks, newest first, at most limit: [{id, checked_on, result,
 * note, checked_by, checked_by_name, created_at}]; or one (check_id > 0). */
json_t *fq_store_registry_checks(struct fq_db *db, int64_t item_id, int64_t check_id,
				 int64_t limit, enum fq_err *err);

/* ---- the work queue ---- */

/* The user's items with a check due before until: [{id, name, code, kind,
 * due_t, since_t}], by due. */
json_t *fq_store_registry_work(struct fq_db *db, int64_t user_id, int64_t until, int64_t limit,
			       enum fq_err *err);

/* ---- search ---- */

struct fq_store_registry_search_row {
	int64_t id;
	const char *org_path, *name, *code, *kind, *location, *unit_name, *responsible_name;
};
typedef enum fq_err (*fq_store_registry_search_fn)(void *arg,
						   const struct fq_store_registry_search_row *r);
/* Items with from <= id <= to, by id, at most limit. */
enum fq_err fq_store_registry_search_rows(struct fq_db *db, int64_t from, int64_t to,
					  size_t limit, fq_store_registry_search_fn fn, void *arg);

#endif
