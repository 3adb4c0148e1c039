/* SQL of grids on the map: the areas (org_units.polygon), grid workers, and
 * the points and counts the map and the coverage check read. Scopes are
 * half-open ranges [lo, hi) of org paths (auth/permission.h). */
#ifndef FQ_GRID_STORE_H
#define FQ_GRID_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* The units of kinds beat, police_room, community, village and grid in
 * [lo, hi), in tree order: id, parent_id, kind, name, code, path, leader,
 * resident aux (ids and names), polygon (GeoJSON text or null), workers (a
 * count). */
json_t *fq_store_grid_units(struct fq_db *db, const char *lo, const char *hi, enum fq_err *err);
/* Sets (text, with its bounding box: south, west, north, east) or clears
 * (NULL, NULL) the area of unit id. */
enum fq_err fq_store_grid_polygon_set(struct fq_db *db, int64_t id, const char *geojson,
				      const double *box);
/* Sets the bounding box of unit id's area (areas drawn before migration 031
 * have none until placing a point reads them). */
enum fq_err fq_store_grid_area_box_set(struct fq_db *db, int64_t id, const double box[4]);
/* As fq_store_grid_areas for one kind, only the areas whose bounding box
 * holds the point or that have none yet (boxed 0): id, path, kind, name,
 * polygon, boxed. */
json_t *fq_store_grid_areas_at(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			       double lat, double lng, enum fq_err *err);
/* id, path and polygon text of the drawn units of kind in [lo, hi); kind
 * NULL = the kinds of fq_store_grid_units. */
json_t *fq_store_grid_areas(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			    enum fq_err *err);

/* The workers of a unit: user_id, display_name, role, phone, in name order. */
json_t *fq_store_grid_workers(struct fq_db *db, int64_t org_id, enum fq_err *err);
/* Replaces the workers of a unit. */
enum fq_err fq_store_grid_workers_set(struct fq_db *db, int64_t org_id, const int64_t *user_ids,
				      size_t n);

/* Calls fn for every address in [lo, hi): its id, grid and coordinates
 * (has_coords false when it has none). fn returns nonzero to stop. */
typedef int fq_grid_address_fn(void *arg, int64_t id, int64_t grid_id, int has_coords, double lat,
			       double lng);
enum fq_err fq_store_grid_each_address(struct fq_db *db, const char *lo, const char *hi,
				       fq_grid_address_fn *fn, void *arg);
/* The same for every place in [lo, hi): its id, and its address's grid
 * and coordinates. */
enum fq_err fq_store_grid_each_place(struct fq_db *db, const char *lo, const char *hi,
				     fq_grid_address_fn *fn, void *arg);
/* Places by id, as the coverage list shows them, in id order, in one query:
 * id, name, kind, address_id, full_text, grid_id, grid_name. */
json_t *fq_store_grid_places_by_id(struct fq_db *db, const int64_t *ids, size_t n,
				   enum fq_err *err);
/* Addresses by id, as the coverage list shows them, in id order, in one
 * query: id, full_text, lat, lng, grid_id, grid_name. */
json_t *fq_store_grid_addresses_by_id(struct fq_db *db, const int64_t *ids, size_t n,
				      enum fq_err *err);

/* Addresses with coordinates in [lo, hi) inside the box, at most limit:
 * id, full_text, lat, lng, grid_id. */
json_t *fq_store_grid_address_points(struct fq_db *db, const char *lo, const char *hi,
				     double south, double west, double north, double east,
				     int64_t limit, enum fq_err *err);
/* Incidents in [lo, hi) received in [from, to) (ms) whose address has
 * coordinates, newest first, at most limit: id, number, category, status,
 * received_at, lat, lng, address_text. */
json_t *fq_store_grid_incident_points(struct fq_db *db, const char *lo, const char *hi,
				      int64_t from, int64_t to, int64_t limit, enum fq_err *err);
/* Incidents in [lo, hi) (a subtree: lo its path) received in [from, to), counted per org path of the
 * unit they belong to: [{path, n}]. */
json_t *fq_store_grid_incident_counts(struct fq_db *db, const char *lo, const char *hi,
				      int64_t from, int64_t to, enum fq_err *err);

/* Units of kind in [lo, hi) lacking something, in tree order, at most limit:
 * what "area" (not drawn), "leader" (no leader), "worker" (no grid worker) or "resident_aux" (no
 * resident aux). id, kind, name, code, parent_name. */
json_t *fq_store_grid_lacking(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			      const char *what, int64_t limit, enum fq_err *err);

/* The figures of a grid's page for the subtree [lo, hi): addresses, open
 * incidents, incidents since month_start and year_start (ms), open
 * disputes, disputes concluded since year_start and of them agreed. */
json_t *fq_store_grid_figures(struct fq_db *db, const char *lo, const char *hi,
			      int64_t month_start, int64_t year_start, enum fq_err *err);
/* The newest open incidents and open disputes of [lo, hi), at most limit of
 * each: {"incidents": [...], "disputes": [...]}. */
json_t *fq_store_grid_open_work(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
				enum fq_err *err);

#endif
