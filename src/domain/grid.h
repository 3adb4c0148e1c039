/* Grids on the map (DOMAIN §2, 横向到边、纵向到底): the areas of police
 * rooms, beats, communities, villages and grids drawn as polygons, their
 * leader, grid workers and resident aux (一村一辅警), where a point falls,
 * the coverage check, incidents per area (the heat layer) and a grid's page.
 * Every call keeps to the caller's subtree. */
#ifndef FQ_GRID_H
#define FQ_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

extern const char *const fq_grid_area_kinds[]; /* police_room beat community village grid */
extern const char *const fq_grid_layers[];     /* addresses incidents places */

#define FQ_GRID_MAX_WORKERS 20
#define FQ_GRID_MAX_POINTS 5000 /* points of one map layer request */
#define FQ_GRID_COVERAGE_ITEMS 200 /* rows of each coverage list */

/* The units with an area kind under org_id (0 = the caller's whole scope),
 * in tree order, each with its area as a GeoJSON geometry (null when not
 * drawn), leader, resident aux and number of workers. */
json_t *fq_grid_units(struct fq_ctx *c, int64_t org_id);

/* Sets the area of unit id (geometry NULL clears it), after checking it
 * (domain/geo.h: field "polygon"). *placed (may be NULL) gets the number of
 * the unit's addresses now inside the area. FQ_ERR_INVALID on "polygon" for
 * a unit of another kind (a station or above has no area of its own). */
enum fq_err fq_grid_set_area(struct fq_ctx *c, int64_t id, const json_t *geometry,
			     int64_t *placed);

struct fq_grid_staff_input {
	int64_t leader_id;       /* 0 = unchanged, -1 = clear */
	int64_t resident_aux_id; /* a village's; 0 = unchanged, -1 = clear */
	bool workers_given;      /* replace the workers with worker_ids */
	const int64_t *worker_ids;
	size_t nworkers;
};
/* Sets the leader, resident aux and workers of unit id: active users of the
 * caller's scope; a resident aux holds the aux role; workers are staff
 * (chief, officer, aux) or volunteers. */
enum fq_err fq_grid_set_staff(struct fq_ctx *c, int64_t id, const struct fq_grid_staff_input *in);

/* A unit's page: the unit with its area and area_m2, leader, resident aux,
 * workers, the units under it, figures at now, its open incidents and
 * disputes (the newest 10 of each), its places and volunteer teams (at most 50 each),
 * each part when the caller may read its kind of record. */
json_t *fq_grid_get(struct fq_ctx *c, int64_t id, int64_t now);

/* The drawn grid of the caller's scope whose area holds the point: *grid_id,
 * or 0 when none does. */
enum fq_err fq_grid_place(struct fq_ctx *c, double lat, double lng, int64_t *grid_id);
/* The units holding the point, smallest first ({"units": [{id, kind, name}]}). */
json_t *fq_grid_locate(struct fq_ctx *c, double lat, double lng);

/* The coverage check under org_id (0 = the caller's scope): addresses in no
 * drawn area of a grid, addresses inside another grid's area than their own
 * (with the grid that holds them), places whose address lies in no grid's
 * area (for a caller with place.read; else none), addresses without
 * coordinates (a count), grids without an area, grids without a leader or a worker, villages
 * without a resident aux. Each list is {count, items} with at most
 * FQ_GRID_COVERAGE_ITEMS items. */
json_t *fq_grid_coverage(struct fq_ctx *c, int64_t org_id);

/* Incidents received on local days [from_day, to_day] (YYYYMMDD) in each
 * drawn unit of kind (NULL = grid) under org_id: {items: [{id, n}], max}. */
json_t *fq_grid_heat(struct fq_ctx *c, int64_t org_id, const char *kind, int64_t from_day,
		     int64_t to_day);

struct fq_grid_box {
	double south, west, north, east;
	bool set; /* the places layer: false = every place in scope */
};
/* A map layer's points: addresses inside box, incidents received on local
 * days [from_day, to_day] (box unused), or places with their status (inside
 * box when box->set, else all in scope); incidents and places need their
 * module's read permission. At most FQ_GRID_MAX_POINTS; {items, truncated}. */
json_t *fq_grid_points(struct fq_ctx *c, const char *layer, const struct fq_grid_box *box,
		       int64_t from_day, int64_t to_day);

#endif
