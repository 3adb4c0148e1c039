/* Covers src/domain/geo.c: which points an area holds (holes, parts, a
 * concave boundary), its area on the sphere, corners repeated at once, and
 * the crossing check at the limit of corners. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/geo.h"
#include "test.h"

static bool read_text(struct fq_arena *a, const char *text, struct fq_geo_shape *s,
		      struct fq_error *e)
{
	json_t *v = json_loads(text, 0, NULL);
	bool ok = v && fq_geo_read(a, v, "polygon", s, e) == FQ_OK;

	json_decref(v);
	return ok;
}

TEST(an_l_shaped_boundary_with_a_hole)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_error e = {0};
	struct fq_geo_shape s;

	/* An L: the square 0..2 × 0..2 without its top-right quarter; a hole
	 * around (0.5, 0.5). */
	CHECK(read_text(a,
			"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,0],[2,1],[1,1],[1,2],"
			"[0,2],[0,0]],[[0.4,0.4],[0.6,0.4],[0.6,0.6],[0.4,0.6],[0.4,0.4]]]}",
			&s, &e));
	CHECK(fq_geo_contains(&s, 1.5, 0.5));
	CHECK(fq_geo_contains(&s, 0.5, 1.5));
	CHECK(!fq_geo_contains(&s, 1.5, 1.5)); /* the missing quarter */
	CHECK(!fq_geo_contains(&s, 0.5, 0.5)); /* the hole */
	CHECK(!fq_geo_contains(&s, 3, 0.5));
	CHECK(!fq_geo_contains(&s, -0.1, 1));
	fq_arena_free(a);
}

TEST(a_multipolygon_holds_the_points_of_each_part)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_error e = {0};
	struct fq_geo_shape s;
	json_t *out;

	CHECK(read_text(a,
			"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
			"[[[5,5],[6,5],[6,6],[5,6],[5,5]]]]}",
			&s, &e));
	CHECK_INT(s.npolys, 2);
	CHECK(fq_geo_contains(&s, 0.8, 0.2));
	CHECK(fq_geo_contains(&s, 5.5, 5.5));
	CHECK(!fq_geo_contains(&s, 3, 3));
	CHECK(s.min_lng == 0 && s.max_lng == 6 && s.min_lat == 0 && s.max_lat == 6);
	out = fq_geo_json(&s);
	CHECK_STR(json_string_value(json_object_get(out, "type")), "MultiPolygon");
	CHECK_INT(json_array_size(json_object_get(out, "coordinates")), 2);
	json_decref(out);
	fq_arena_free(a);
}

TEST(area_of_a_square_kilometre_or_so)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_error e = {0};
	struct fq_geo_shape s;
	/* 0.01° of latitude is 1,111.95 m; of longitude at 29.7° N, 966.3 m. */
	double want = 1111.95 * 1111.95 * cos(29.705 * 3.14159265358979 / 180);

	CHECK(read_text(a,
			"{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
			"[106.61,29.71],[106.6,29.71],[106.6,29.7]]]}",
			&s, &e));
	CHECK(fabs(fq_geo_area_m2(&s) - want) / want < 0.005);
	fq_arena_free(a);
}

TEST(corners_repeated_at_once_are_dropped)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_error e = {0};
	struct fq_geo_shape s;

	CHECK(read_text(a,
			"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0,0],[1,0],[1,1],[1,1],"
			"[0,1],[0,0],[0,0]]]}",
			&s, &e));
	CHECK_INT(s.polys[0].rings[0].n, 5);
	CHECK_INT(s.nvertices, 4);
	fq_arena_free(a);
}

/* A star-like boundary of n corners around (0, 0), none crossing; swapping
 * two neighbours' places makes two edges cross. */
static json_t *circle(int n, bool twist)
{
	json_t *ring = json_array();

	for (int i = 0; i <= n; i++) {
		int k = i % n;
		double ang;

		if (twist && (k == n / 2 || k == n / 2 + 1))
			k = k == n / 2 ? n / 2 + 1 : n / 2;
		ang = 2 * 3.14159265358979 * k / n;
		json_array_append_new(ring, json_pack("[ff]", cos(ang), sin(ang)));
	}
	return json_pack("{s:s, s:[o]}", "type", "Polygon", "coordinates", ring);
}

TEST(crossings_are_found_at_the_limit_of_corners)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_error e = {0};
	struct fq_geo_shape s;
	json_t *ok = circle(FQ_GEO_MAX_VERTICES, false);
	json_t *twisted = circle(FQ_GEO_MAX_VERTICES, true);
	json_t *over = circle(FQ_GEO_MAX_VERTICES + 1, false);

	CHECK(fq_geo_read(a, ok, "polygon", &s, &e) == FQ_OK);
	CHECK(fq_geo_contains(&s, 0, 0));
	CHECK(fq_geo_read(a, twisted, "polygon", &s, &e) == FQ_ERR_INVALID);
	CHECK_STR(e.code, "self_intersection");
	CHECK_STR(e.field, "polygon");
	fq_error_clear(&e);
	CHECK(fq_geo_read(a, over, "polygon", &s, &e) == FQ_ERR_INVALID);
	CHECK_STR(e.code, "too_many_vertices");
	/* A stored area is loaded without the check. */
	fq_error_clear(&e);
	CHECK(fq_geo_load(a, twisted, &s, &e) == FQ_OK);
	json_decref(ok);
	json_decref(twisted);
	json_decref(over);
	fq_arena_free(a);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(an_l_shaped_boundary_with_a_hole),
	TEST_ENTRY(a_multipolygon_holds_the_points_of_each_part),
	TEST_ENTRY(area_of_a_square_kilometre_or_so),
	TEST_ENTRY(corners_repeated_at_once_are_dropped),
	TEST_ENTRY(crossings_are_found_at_the_limit_of_corners),
};

int main(int argc, char **argv)
{
	return fq_test_main("domain/geo", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
