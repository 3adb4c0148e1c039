/* Polygons of org units (the areas of beats, communities, villages and
 * grids) as GeoJSON geometries (RFC 7946): read and checked, measured, and
 * asked whether a point lies inside. Positions are [lng, lat] in degrees of
 * WGS 84 / CGCS2000, as 天地图 and GPS give them. Plain computation: no SQL,
 * no HTTP. */
#ifndef FQ_GEO_H
#define FQ_GEO_H

#include <stdbool.h>

#include "core/err.h"

struct fq_arena;
typedef struct json_t json_t;

/* Limits of one unit's area: a drawn grid has tens of corners; a boundary
 * imported from a survey a few thousand. */
#define FQ_GEO_MAX_VERTICES 5000
#define FQ_GEO_MAX_PARTS 50 /* polygons of a MultiPolygon */
#define FQ_GEO_MAX_HOLES 50 /* holes of one polygon */

struct fq_geo_point {
	double lng, lat;
};

/* A closed ring: pts[0] == pts[n - 1], n ≥ 4, no two neighbours equal. */
struct fq_geo_ring {
	struct fq_geo_point *pts;
	int n;
};

/* rings[0] is the boundary, the others are holes in it. */
struct fq_geo_polygon {
	struct fq_geo_ring *rings;
	int nrings;
};

struct fq_geo_shape {
	struct fq_geo_polygon *polys;
	int npolys;
	int nvertices;
	double min_lng, min_lat, max_lng, max_lat; /* the bounding box */
};

/* Reads a GeoJSON geometry of type Polygon or MultiPolygon into *out (memory
 * of a) and checks it: positions are two finite numbers in range, each ring
 * is closed and has three corners or more (a corner repeated at once is
 * dropped), no ring crosses itself or another ring, a hole lies inside its
 * boundary, the limits above hold. On a fault: FQ_ERR_INVALID in e, naming
 * field, and a message that says which ring and where ("ring 1 of polygon 1
 * crosses itself near 106.6031, 29.7012: edges 2 and 5"). */
enum fq_err fq_geo_read(struct fq_arena *a, const json_t *geometry, const char *field,
			struct fq_geo_shape *out, struct fq_error *e);

/* Reads an area stored after fq_geo_read checked it: the same, without the
 * crossing and nesting checks (the cost of which grows with the square of
 * the corners). */
enum fq_err fq_geo_load(struct fq_arena *a, const json_t *geometry, struct fq_geo_shape *out,
			struct fq_error *e);

/* Whether the point lies inside the shape (inside a boundary and in none of
 * its holes); a point on an edge may go either way. */
bool fq_geo_contains(const struct fq_geo_shape *s, double lng, double lat);

/* The area in square metres (on a sphere of the Earth's mean radius; good to
 * a fraction of a percent for a district). */
double fq_geo_area_m2(const struct fq_geo_shape *s);

/* The shape as a new GeoJSON geometry: a Polygon when it has one part, else
 * a MultiPolygon; corners repeated at once dropped. NULL when out of memory. */
json_t *fq_geo_json(const struct fq_geo_shape *s);

#endif
