/* The SQL of places and inspections (单位场所, 检查; migration 025). No rules
 * here: domain/place.c checks them. Rows come as JSON; columns named *_at
 * come out as ISO 8601 text, those named *_t as ms. */
#ifndef FQ_PLACE_STORE_H
#define FQ_PLACE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* A place's status at ?now, written once for the detail, the list, its
 * filter and the grid's layer: a rectification past its deadline, an
 * inspection past due, a rectification pending, an inspection due within
 * FQ_PLACE_DUE_AHEAD_MS, else ok. */
#define FQ_PLACE_DUE_AHEAD_MS (7 * 24 * 3600 * 1000LL)

/* What the rules need of one place. */
struct fq_place_row {
	int64_t id, grid_id, address_id, officer_id, interval_days, rectify_inspection_id;
	int64_t rectify_due_at, next_due_at, last_inspected_at;
	char org_path[256];
	char kind[32];
	char name[400];
};
/* FQ_ERR_NOT_FOUND when there is no such place. */
enum fq_err fq_store_place_row(struct fq_db *db, int64_t id, struct fq_place_row *out);

/* The columns a write sets. Texts NULL: none (insert) or unchanged (update,
 * with the flags below saying what is set). */
struct fq_store_place_fields {
	const char *kind, *name, *org_path, *owner_name, *owner_phone_mask, *licences;
	const void *owner_phone_enc;
	size_t owner_phone_enc_len;
	int64_t address_id, grid_id, officer_id, interval_days; /* officer, interval: 0 = none */
	int64_t next_due_at;                                    /* 0 = none */
};
enum fq_err fq_store_place_insert(struct fq_db *db, const struct fq_store_place_fields *f,
				  int64_t by, int64_t now, int64_t *id);
/* Writes every column of f (the domain merged the unchanged ones in). */
enum fq_err fq_store_place_update(struct fq_db *db, int64_t id,
				  const struct fq_store_place_fields *f, int64_t now);
/* The sealed owner phone (malloc'd, to free(); NULL when none). */
enum fq_err fq_store_place_sealed(struct fq_db *db, int64_t id, void **enc, size_t *len);

/* One place with address, grid, officer and status at now. */
json_t *fq_store_place_json(struct fq_db *db, int64_t id, int64_t now, enum fq_err *err);

struct fq_place_filter {
	const char *kind;
	const char *status; /* ok, due, overdue, rectify_pending, rectify_overdue, attention */
	const char *q;      /* name, owner's name or address contains */
	int64_t org_id;     /* the places of this unit's subtree */
	int64_t officer_id;
	int64_t now;
};
/* Newest first; scope [lo, hi) of org paths; after > 0: ids below it. */
json_t *fq_store_place_list(struct fq_db *db, const struct fq_place_filter *f, const char *lo,
			    const char *hi, int64_t offset, int64_t limit, int64_t after,
			    enum fq_err *err);

/* For the grid page and the map (issue 12's lead): the places whose
 * org_path starts with prefix (a grid's subtree: "/1/4/9/"), at most limit,
 * by id: [{id, name, kind, status (at now), lat, lng (the address's, null
 * when it has none)}]. The caller checks that the prefix is in scope. */
json_t *fq_store_place_grid_list(struct fq_db *db, const char *prefix, int64_t now,
				 int64_t limit, enum fq_err *err);
/* The same for the map's places layer in a box (degrees), scope [lo, hi):
 * through the addresses' points (addresses_point of 031), south first. */
json_t *fq_store_place_box_list(struct fq_db *db, const char *lo, const char *hi, int64_t now,
				double south, double west, double north, double east,
				int64_t limit, enum fq_err *err);

/* The name of the station the place lies in (*name malloc'd, to free()). */
enum fq_err fq_store_place_station_name(struct fq_db *db, int64_t id, char **name);

/* The active chiefs, officers and aux whose unit lies in the station of
 * path prefix station_path: [{id, display_name, role}], by role and name. */
json_t *fq_store_place_staff(struct fq_db *db, const char *station_path, enum fq_err *err);

/* ---- checklists ---- */

/* The active items of a station, of one kind or all (kind NULL), by kind and
 * position: [{id, kind, position, text}]. */
json_t *fq_store_place_checklist(struct fq_db *db, int64_t station_id, const char *kind,
				 enum fq_err *err);
/* Replaces a kind's active items: the old ones are kept inactive. */
enum fq_err fq_store_place_checklist_set(struct fq_db *db, int64_t station_id, const char *kind,
					 const char *const *texts, size_t n, int64_t by,
					 int64_t now);

/* ---- inspections ---- */

struct fq_store_inspection_new {
	int64_t place_id, inspected_on, rectify_due_on, rectify_due_at, follows_id, by, now;
	const char *org_path, *answers, *findings, *hazards, *result, *rectification;
	const char *notice_number;
	const int64_t *inspectors;
	size_t ninspectors;
};
enum fq_err fq_store_inspection_insert(struct fq_db *db, const struct fq_store_inspection_new *n,
				       int64_t *id);
/* The place of an inspection; FQ_ERR_NOT_FOUND when there is none. */
enum fq_err fq_store_inspection_place(struct fq_db *db, int64_t id, int64_t *place_id);
/* After an inspection: when it was, the next one due (0: none) and the
 * pending rectification (0: none). */
enum fq_err fq_store_place_inspected(struct fq_db *db, int64_t id, int64_t inspected_at,
				     int64_t next_due_at, int64_t rectify_inspection_id,
				     int64_t rectify_due_at, int64_t now);
/* The place's inspections, newest first, each with inspectors
 * [{user_id, name}]; or one of them (id > 0). */
json_t *fq_store_inspections(struct fq_db *db, int64_t place_id, int64_t id, enum fq_err *err);

/* ---- the work queue and the overview ---- */

/* Pending rectifications whose deadline fell in (since, now], of places with
 * a responsible officer, oldest deadline first: {id, name, officer_id,
 * inspection_id, due_on} (the background sweep's rectify_overdue). */
json_t *fq_store_place_rectify_lapsed(struct fq_db *db, int64_t since, int64_t now, int64_t limit,
				      enum fq_err *err);

/* The officer's places with an inspection due before until, or with a
 * pending rectification: [{id, name, kind, due_t, since_t}], by due. */
json_t *fq_store_place_work_inspect(struct fq_db *db, int64_t officer_id, int64_t until,
				    int64_t limit, enum fq_err *err);
json_t *fq_store_place_work_rectify(struct fq_db *db, int64_t officer_id, int64_t limit,
				    enum fq_err *err);
/* Places of scope [lo, hi) with an overdue inspection and with an overdue
 * rectification at now. */
enum fq_err fq_store_place_counts(struct fq_db *db, const char *lo, const char *hi, int64_t now,
				  int64_t *overdue, int64_t *rectify_overdue);

/* ---- search ---- */

struct fq_store_place_search_row {
	int64_t id;
	const char *org_path, *name, *kind, *owner_name, *address;
};
typedef enum fq_err (*fq_store_place_search_fn)(void *arg,
						const struct fq_store_place_search_row *r);
/* Places with from <= id <= to, by id, at most limit. */
enum fq_err fq_store_place_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
				       fq_store_place_search_fn fn, void *arg);

#endif
