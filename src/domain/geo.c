/* GeoJSON polygons read and checked, points located, areas measured. The
 * crossing check compares every pair of edges whose boxes meet: at the
 * limit of FQ_GEO_MAX_VERTICES that is a few tens of milliseconds, paid
 * only when an area is saved. */
#include "domain/geo.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/banned.h"

#define EARTH_RADIUS_M 6371008.8

struct reader {
	struct fq_arena *a;
	const char *field;
	struct fq_error *e;
	int nvertices;
};

static enum fq_err fault(struct reader *rd, const char *code, const char *msg)
{
	return fq_fail(rd->e, FQ_ERR_INVALID, code, rd->field, "%s", msg);
}

static bool same(struct fq_geo_point p, struct fq_geo_point q)
{
	return p.lng == q.lng && p.lat == q.lat;
}


static enum fq_err read_position(struct reader *rd, json_t *v, struct fq_geo_point *p,
				 const char *where)
{
	char msg[160];

	if (!json_is_array(v) || json_array_size(v) < 2 || json_array_size(v) > 3 ||
	    !json_is_number(json_array_get(v, 0)) || !json_is_number(json_array_get(v, 1))) {
		snprintf(msg, sizeof(msg), "%s: a position is [longitude, latitude], two numbers",
			 where);
		return fault(rd, "bad_geojson", msg);
	}
	p->lng = json_number_value(json_array_get(v, 0));
	p->lat = json_number_value(json_array_get(v, 1));
	if (!isfinite(p->lng) || !isfinite(p->lat) || p->lng < -180 || p->lng > 180 ||
	    p->lat < -90 || p->lat > 90) {
		snprintf(msg, sizeof(msg),
			 "%s: a position is [longitude, latitude]: longitude from -180 to 180, "
			 "latitude from -90 to 90",
			 where);
		return fault(rd, "bad_geojson", msg);
	}
	return FQ_OK;
}

/* -1, 0, 1: the turn a → b → c (clockwise, straight, counter-clockwise). */
static int turn(struct fq_geo_point a, struct fq_geo_point b, struct fq_geo_point c)
{
	double v = (b.lng - a.lng) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lng - a.lng);

	return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/* Whether every corner lies on the line of the first two. */
static bool on_one_line(const struct fq_geo_ring *r)
{
	for (int i = 2; i < r->n; i++)
		if (turn(r->pts[0], r->pts[1], r->pts[i]))
			return false;
	return true;
}

static enum fq_err read_ring(struct reader *rd, json_t *v, struct fq_geo_ring *out,
			     const char *where)
{
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	char msg[200];
	enum fq_err err = FQ_OK;

	if (!json_is_array(v)) {
		snprintf(msg, sizeof(msg), "%s is not a list of positions", where);
		return fault(rd, "bad_geojson", msg);
	}
	if (rd->nvertices + (int)n - 1 > FQ_GEO_MAX_VERTICES) { /* n - 1 corners, closed */
		snprintf(msg, sizeof(msg), "an area has at most %d corners", FQ_GEO_MAX_VERTICES);
		return fault(rd, "too_many_vertices", msg);
	}
	out->pts = fq_arena_alloc(rd->a, (n ? n : 1) * sizeof(*out->pts));
	if (!out->pts)
		return fq_fail(rd->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	out->n = 0;
	for (size_t i = 0; !err && i < n; i++) {
		struct fq_geo_point p;

		err = read_position(rd, json_array_get(v, i), &p, where);
		if (!err && !(out->n && same(out->pts[out->n - 1], p)))
			out->pts[out->n++] = p;
	}
	if (err)
		return err;
	if (out->n >= 2 && !same(out->pts[0], out->pts[out->n - 1])) {
		snprintf(msg, sizeof(msg),
			 "%s is not closed: its last position must repeat its first", where);
		return fault(rd, "ring_not_closed", msg);
	}
	if (out->n < 4) {
		snprintf(msg, sizeof(msg), "%s needs at least three different corners", where);
		return fault(rd, "ring_too_small", msg);
	}
	if (on_one_line(out)) {
		snprintf(msg, sizeof(msg), "%s encloses no area: its corners lie on one line",
			 where);
		return fault(rd, "ring_without_area", msg);
	}
	rd->nvertices += out->n - 1;
	return FQ_OK;
}

static void ring_name(char *buf, size_t size, int poly, int npolys, int ring)
{
	if (npolys > 1)
		snprintf(buf, size, "ring %d of polygon %d", ring + 1, poly + 1);
	else
		snprintf(buf, size, ring ? "hole %d" : "the boundary", ring);
}

static enum fq_err read_polygon(struct reader *rd, json_t *v, struct fq_geo_polygon *out,
				int poly, int npolys)
{
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	char where[64], msg[160];
	enum fq_err err = FQ_OK;

	if (!n) {
		snprintf(msg, sizeof(msg), "polygon %d has no rings", poly + 1);
		return fault(rd, "bad_geojson", msg);
	}
	if (n > FQ_GEO_MAX_HOLES + 1) {
		snprintf(msg, sizeof(msg), "a polygon has at most %d holes", FQ_GEO_MAX_HOLES);
		return fault(rd, "too_many_holes", msg);
	}
	out->rings = fq_arena_alloc(rd->a, n * sizeof(*out->rings));
	if (!out->rings)
		return fq_fail(rd->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	out->nrings = (int)n;
	for (size_t i = 0; !err && i < n; i++) {
		ring_name(where, sizeof(where), poly, npolys, (int)i);
		err = read_ring(rd, json_array_get(v, i), &out->rings[i], where);
	}
	return err;
}

/* Whether c, on the line through a and b, lies within the segment's box. */
static bool within(struct fq_geo_point a, struct fq_geo_point b, struct fq_geo_point c)
{
	return fmin(a.lng, b.lng) <= c.lng && c.lng <= fmax(a.lng, b.lng) &&
	       fmin(a.lat, b.lat) <= c.lat && c.lat <= fmax(a.lat, b.lat);
}

static bool segments_meet(struct fq_geo_point p1, struct fq_geo_point p2, struct fq_geo_point q1,
			  struct fq_geo_point q2)
{
	int d1 = turn(q1, q2, p1), d2 = turn(q1, q2, p2);
	int d3 = turn(p1, p2, q1), d4 = turn(p1, p2, q2);

	if (d1 * d2 < 0 && d3 * d4 < 0)
		return true;
	return (!d1 && within(q1, q2, p1)) || (!d2 && within(q1, q2, p2)) ||
	       (!d3 && within(p1, p2, q1)) || (!d4 && within(p1, p2, q2));
}

/* An edge: ring r of polygon p, from corner i to i + 1. */
struct edge {
	struct fq_geo_point a, b;
	int poly, ring, idx, nring; /* nring: the ring's number of edges */
	double lo_lng, hi_lng, lo_lat, hi_lat;
};

static bool neighbours(const struct edge *x, const struct edge *y)
{
	if (x->poly != y->poly || x->ring != y->ring)
		return false;
	return abs(x->idx - y->idx) == 1 || abs(x->idx - y->idx) == x->nring - 1;
}

static enum fq_err check_crossings(struct reader *rd, const struct fq_geo_shape *s)
{
	struct edge *edges = fq_arena_alloc(rd->a, (size_t)(s->nvertices + 1) * sizeof(*edges));
	int n = 0;

	if (!edges)
		return fq_fail(rd->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (int p = 0; p < s->npolys; p++)
		for (int r = 0; r < s->polys[p].nrings; r++) {
			const struct fq_geo_ring *ring = &s->polys[p].rings[r];

			for (int i = 0; i + 1 < ring->n; i++) {
				struct fq_geo_point a = ring->pts[i], b = ring->pts[i + 1];

				edges[n++] = (struct edge){a, b, p, r, i, ring->n - 1,
							   fmin(a.lng, b.lng), fmax(a.lng, b.lng),
							   fmin(a.lat, b.lat), fmax(a.lat, b.lat)};
			}
		}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			const struct edge *x = &edges[i], *y = &edges[j];
			char msg[240], wx[64], wy[64];
			struct fq_geo_point at;

			if (x->hi_lng < y->lo_lng || y->hi_lng < x->lo_lng || x->hi_lat < y->lo_lat ||
			    y->hi_lat < x->lo_lat || neighbours(x, y) ||
			    !segments_meet(x->a, x->b, y->a, y->b))
				continue;
			at = y->a;
			ring_name(wx, sizeof(wx), x->poly, s->npolys, x->ring);
			ring_name(wy, sizeof(wy), y->poly, s->npolys, y->ring);
			if (x->poly == y->poly && x->ring == y->ring)
				snprintf(msg, sizeof(msg),
					 "%s crosses itself near %.5f E, %.5f N (edges %d and %d): "
					 "an area's edges may not cross",
					 wx, at.lng, at.lat, x->idx + 1, y->idx + 1);
			else
				snprintf(msg, sizeof(msg),
					 "%s and %s cross or touch near %.5f E, %.5f N: an area's "
					 "edges may not cross",
					 wx, wy, at.lng, at.lat);
			return fault(rd, "self_intersection", msg);
		}
	return FQ_OK;
}

static bool ring_contains(const struct fq_geo_ring *r, double lng, double lat)
{
	bool in = false;

	for (int i = 0, j = r->n - 2; i + 1 < r->n; j = i++) {
		struct fq_geo_point a = r->pts[i], b = r->pts[j];

		if ((a.lat > lat) != (b.lat > lat) &&
		    lng < (b.lng - a.lng) * (lat - a.lat) / (b.lat - a.lat) + a.lng)
			in = !in;
	}
	return in;
}

static bool polygon_contains(const struct fq_geo_polygon *p, double lng, double lat)
{
	if (!ring_contains(&p->rings[0], lng, lat))
		return false;
	for (int h = 1; h < p->nrings; h++)
		if (ring_contains(&p->rings[h], lng, lat))
			return false;
	return true;
}

/* With no crossings, one corner tells where a whole ring lies. */
static enum fq_err check_nesting(struct reader *rd, const struct fq_geo_shape *s)
{
	char msg[160];

	for (int p = 0; p < s->npolys; p++) {
		const struct fq_geo_polygon *poly = &s->polys[p];
		struct fq_geo_point first = poly->rings[0].pts[0];

		for (int h = 1; h < poly->nrings; h++) {
			struct fq_geo_point c = poly->rings[h].pts[0];

			if (!ring_contains(&poly->rings[0], c.lng, c.lat)) {
				snprintf(msg, sizeof(msg), "hole %d lies outside its boundary", h);
				return fault(rd, "hole_outside", msg);
			}
			for (int k = 1; k < poly->nrings; k++)
				if (k != h && ring_contains(&poly->rings[k], c.lng, c.lat)) {
					snprintf(msg, sizeof(msg), "hole %d lies inside hole %d", h,
						 k);
					return fault(rd, "hole_in_hole", msg);
				}
		}
		for (int q = 0; q < s->npolys; q++)
			if (q != p && polygon_contains(&s->polys[q], first.lng, first.lat)) {
				snprintf(msg, sizeof(msg), "polygons %d and %d overlap", q + 1, p + 1);
				return fault(rd, "polygons_overlap", msg);
			}
	}
	return FQ_OK;
}

static void bound(struct fq_geo_shape *s)
{
	s->min_lng = s->min_lat = INFINITY;
	s->max_lng = s->max_lat = -INFINITY;
	for (int p = 0; p < s->npolys; p++) {
		const struct fq_geo_ring *r = &s->polys[p].rings[0];

		for (int i = 0; i < r->n; i++) {
			s->min_lng = fmin(s->min_lng, r->pts[i].lng);
			s->max_lng = fmax(s->max_lng, r->pts[i].lng);
			s->min_lat = fmin(s->min_lat, r->pts[i].lat);
			s->max_lat = fmax(s->max_lat, r->pts[i].lat);
		}
	}
}

static enum fq_err read_geometry(struct fq_arena *a, const json_t *geometry, const char *field,
				 struct fq_geo_shape *out, struct fq_error *e, bool check)
{
	struct reader rd = {a, field, e, 0};
	const char *type = json_string_value(json_object_get(geometry, "type"));
	json_t *coords = json_object_get(geometry, "coordinates");
	bool multi = type && !strcmp(type, "MultiPolygon");
	size_t n;
	enum fq_err err = FQ_OK;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(geometry) || !type || (!multi && strcmp(type, "Polygon")))
		return fault(&rd, "bad_geojson",
			     "an area is a GeoJSON geometry of type Polygon or MultiPolygon");
	if (!json_is_array(coords))
		return fault(&rd, "bad_geojson", "coordinates must be a list");
	n = multi ? json_array_size(coords) : 1;
	if (!n)
		return fault(&rd, "bad_geojson", "a MultiPolygon needs at least one polygon");
	if (n > FQ_GEO_MAX_PARTS) {
		char msg[80];

		snprintf(msg, sizeof(msg), "an area has at most %d polygons", FQ_GEO_MAX_PARTS);
		return fault(&rd, "too_many_parts", msg);
	}
	out->polys = fq_arena_alloc(a, n * sizeof(*out->polys));
	if (!out->polys)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	out->npolys = (int)n;
	for (size_t i = 0; !err && i < n; i++)
		err = read_polygon(&rd, multi ? json_array_get(coords, i) : coords, &out->polys[i],
				   (int)i, (int)n);
	out->nvertices = rd.nvertices;
	if (!err && check)
		err = check_crossings(&rd, out);
	if (!err && check)
		err = check_nesting(&rd, out);
	if (!err)
		bound(out);
	return err;
}

enum fq_err fq_geo_read(struct fq_arena *a, const json_t *geometry, const char *field,
			struct fq_geo_shape *out, struct fq_error *e)
{
	return read_geometry(a, geometry, field, out, e, true);
}

enum fq_err fq_geo_load(struct fq_arena *a, const json_t *geometry, struct fq_geo_shape *out,
			struct fq_error *e)
{
	return read_geometry(a, geometry, "polygon", out, e, false);
}

bool fq_geo_contains(const struct fq_geo_shape *s, double lng, double lat)
{
	if (lng < s->min_lng || lng > s->max_lng || lat < s->min_lat || lat > s->max_lat)
		return false;
	for (int p = 0; p < s->npolys; p++)
		if (polygon_contains(&s->polys[p], lng, lat))
			return true;
	return false;
}

/* The area of a ring on the sphere (Chamberlain and Duquette, "Some
 * algorithms for polygons on a sphere", JPL 2007). */
static double ring_area_m2(const struct fq_geo_ring *r)
{
	double s = 0, rad = 3.14159265358979323846 / 180;

	for (int i = 0; i + 1 < r->n; i++) {
		struct fq_geo_point a = r->pts[i], b = r->pts[i + 1];

		s += (b.lng - a.lng) * rad * (2 + sin(a.lat * rad) + sin(b.lat * rad));
	}
	return fabs(s * EARTH_RADIUS_M * EARTH_RADIUS_M / 2);
}

double fq_geo_area_m2(const struct fq_geo_shape *s)
{
	double area = 0;

	for (int p = 0; p < s->npolys; p++) {
		area += ring_area_m2(&s->polys[p].rings[0]);
		for (int h = 1; h < s->polys[p].nrings; h++)
			area -= ring_area_m2(&s->polys[p].rings[h]);
	}
	return area;
}

static json_t *polygon_json(const struct fq_geo_polygon *p)
{
	json_t *rings = json_array();

	for (int r = 0; rings && r < p->nrings; r++) {
		json_t *ring = json_array();

		for (int i = 0; ring && i < p->rings[r].n; i++)
			json_array_append_new(ring, json_pack("[ff]", p->rings[r].pts[i].lng,
							      p->rings[r].pts[i].lat));
		if (json_array_append_new(rings, ring)) {
			json_decref(rings);
			return NULL;
		}
	}
	return rings;
}

json_t *fq_geo_json(const struct fq_geo_shape *s)
{
	json_t *coords;

	if (s->npolys == 1)
		coords = polygon_json(&s->polys[0]);
	else {
		coords = json_array();
		for (int p = 0; coords && p < s->npolys; p++)
			if (json_array_append_new(coords, polygon_json(&s->polys[p]))) {
				json_decref(coords);
				coords = NULL;
			}
	}
	return coords ? json_pack("{s:s, s:o}", "type", s->npolys == 1 ? "Polygon" : "MultiPolygon",
				  "coordinates", coords)
		      : NULL;
}
