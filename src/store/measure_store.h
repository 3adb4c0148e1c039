/* The SQL of prevention measures and their checks (技防物防; migration 028).
 * No rules here: domain/measure.c checks them. Rows come as JSON; columns
 * named *_at come out as ISO 8601 text. */
#ifndef FQ_MEASURE_STORE_H
#define FQ_MEASURE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* A measure is due for a check when its last check (or, never checked, its
 * entry) is older than its category's interval: technical 180 days,
 * physical 365. A removed measure is never due. */
#define FQ_MEASURE_TECHNICAL_DAYS 180
#define FQ_MEASURE_PHYSICAL_DAYS 365

/* What the rules need of one measure. */
struct fq_measure_row {
	int64_t id, place_id, address_id;
	char org_path[256];
	char kind[32];
	char status[16];
};
/* FQ_ERR_NOT_FOUND when there is no such measure. */
enum fq_err fq_store_measure_row(struct fq_db *db, int64_t id, struct fq_measure_row *out);

/* Every column a write sets (the domain merged the unchanged ones in).
 * Camera fields: has_camera false writes them NULL. */
struct fq_store_measure_fields {
	const char *kind, *category, *org_path, *status, *note, *owner_kind, *label;
	int64_t place_id, address_id, installed_on; /* place 0: a home; day 0: unknown */
	bool has_camera, linked;
	double lat, lng;
	int64_t direction, view_angle;
};
enum fq_err fq_store_measure_insert(struct fq_db *db, const struct fq_store_measure_fields *f,
				    int64_t by, int64_t now, int64_t *id);
enum fq_err fq_store_measure_update(struct fq_db *db, int64_t id,
				    const struct fq_store_measure_fields *f, int64_t now);

/* One measure with its place, address, grid, last checker and check_due_at. */
json_t *fq_store_measure_json(struct fq_db *db, int64_t id, enum fq_err *err);

struct fq_measure_filter {
	const char *kind, *category, *status; /* NULL: any */
	int64_t org_id, place_id, address_id; /* 0: any */
	const char *under;                    /* org_id's path (the domain sets it) */
	bool due;                             /* only those due for a check at now */
	int64_t now;
};
/* Newest first; scope [lo, hi) of org paths (lo NULL: the whole tree);
 * after > 0: ids below it. */
json_t *fq_store_measure_list(struct fq_db *db, const struct fq_measure_filter *f, const char *lo,
			      const char *hi, int64_t offset, int64_t limit, int64_t after,
			      enum fq_err *err);

/* ---- checks ---- */

/* Records a check and sets the measure's last check and status (working or
 * faulty: what the check found). */
enum fq_err fq_store_measure_check(struct fq_db *db, int64_t measure_id, int64_t checked_on,
				   int64_t checked_at, const char *result, const char *note,
				   int64_t by, int64_t now, int64_t *id);
/* The checks of a measure, newest first: [{id, checked_on, result, note,
 * checked_by, checked_by_name, created_at}]. */
json_t *fq_store_measure_checks(struct fq_db *db, int64_t measure_id, enum fq_err *err);

/* ---- coverage and the map ---- */

/* The homes (addresses) under path prefix and how many of them have a
 * working measure of kind (at the home or at a place there). */
enum fq_err fq_store_measure_coverage(struct fq_db *db, const char *prefix, const char *kind,
				      int64_t *homes, int64_t *covered);
/* The same for each child unit of parent_id (by name): [{id, name, kind,
 * homes, covered}]; and for each grid under prefix (at most 500, by name). */
json_t *fq_store_measure_coverage_children(struct fq_db *db, int64_t parent_id,
					   const char *kind, enum fq_err *err);
json_t *fq_store_measure_coverage_grids(struct fq_db *db, const char *prefix, const char *kind,
					enum fq_err *err);
/* Cameras not removed of scope [lo, hi) (lo NULL: the whole tree) whose
 * location lies in the box, at most limit, by id: [{id, label, status, lat,
 * lng, direction, view_angle, owner_kind, linked}]. */
json_t *fq_store_measure_cameras(struct fq_db *db, const char *lo, const char *hi, double south,
				 double west, double north, double east, int64_t limit,
				 enum fq_err *err);

/* The measures due for a check at now whose place's officer is officer_id
 * (place measures), at most limit, the oldest first: [{id, kind, label,
 * place_name, due_t}] with due_t in ms. */
json_t *fq_store_measure_work(struct fq_db *db, int64_t officer_id, int64_t now, int64_t limit,
			      enum fq_err *err);

/* The demo's: dates a measure's entry back to at (a check then falls due). */
enum fq_err fq_store_measure_backdate(struct fq_db *db, int64_t id, int64_t at);

#endif
