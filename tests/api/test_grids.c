/* Grids on the map (docs/api.md "Grids", DOMAIN §2): areas as GeoJSON,
 * refused with a clear error when they are not one (a crossing edge above
 * all), addresses placed by their point, the coverage check, the heat layer
 * against raw rows, the map's points, staff, and scope on every route. */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"

/* A square area from (west, south), size degrees wide and high. */
static const char *square(double west, double south, double size)
{
	return api_fmt("{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],"
		       "[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}}",
		       west, south, west + size, south, west + size, south + size, west,
		       south + size, west, south);
}

static struct api_resp draw(struct api_env *env, struct api_client *c, int64_t unit,
			    const char *body)
{
	return api_call(env, c, "PUT", api_fmt("/api/grids/%lld/polygon", (long long)unit), body);
}

static int64_t add_address(struct api_env *env, struct api_client *c, const char *door,
			   int64_t grid, double lat, double lng)
{
	struct api_resp r = api_callf(env, c, "POST", "/api/addresses",
				      "{\"division_code\":\"500112\",\"street\":\"双龙大道\","
				      "\"door_no\":\"%s\",\"lat\":%.6f,\"lng\":%.6f%s}",
				      door, lat, lng,
				      grid ? api_fmt(",\"grid_id\":%lld", (long long)grid) : "");
	int64_t id = api_int(r.json, "id");

	check_status(r, 201);
	api_resp_free(&r);
	return id;
}

TEST(chief_draws_a_grid_and_an_address_falls_into_it)
{
	struct api_env *env = api_env_new();
	struct api_client chief, officer;
	struct api_resp r;
	json_t *e;
	int64_t before, id;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	/* Before the area is drawn, a point alone places nothing. */
	before = api_count(env, "SELECT count(*) FROM addresses");
	r = api_call(env, &officer, "POST", "/api/addresses",
		     "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"1号\","
		     "\"lat\":29.705,\"lng\":106.605}");
	check_error(r, 422, "required", "grid_id");
	CHECK(strstr(api_str(r.json, "error.message"), "no drawn grid") != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM addresses"), before);
	add_address(env, &officer, "2号", env->g_a1, 29.705, 106.606);

	r = draw(env, &chief, env->g_a1, square(106.60, 29.70, 0.01));
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "addresses_inside"), 1);
	CHECK_STR(api_str(r.json, "unit.polygon.type"), "Polygon");
	CHECK_INT(api_len(r.json, "unit.polygon.coordinates"), 1);
	CHECK(json_real_value(api_get(r.json, "unit.area_m2")) > 1.0e6);
	CHECK(json_real_value(api_get(r.json, "unit.area_m2")) < 1.3e6);
	api_resp_free(&r);
	e = api_audit_last(env, "grid.area", api_fmt("%lld", (long long)env->g_a1));
	CHECK_STR(api_str(e, "outcome"), "success");
	json_decref(e);

	/* Now the point finds its grid. */
	id = add_address(env, &officer, "1号", 0, 29.705, 106.605);
	r = api_call(env, &officer, "GET", api_fmt("/api/addresses/%lld", (long long)id), NULL);
	CHECK_INT(api_int(r.json, "grid_id"), env->g_a1);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/locate?lat=29.705&lng=106.605", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "units"), 1);
	CHECK_INT(api_int(r.json, "units.0.id"), env->g_a1);
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", "/api/addresses",
		     "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"3号\","
		     "\"lat\":29.75,\"lng\":106.605}");
	check_error(r, 422, "required", "grid_id");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/locate?lat=91&lng=106.6", NULL);
	check_error(r, 422, NULL, "lat");
	api_resp_free(&r);

	/* Cleared, the area is gone from the map. */
	r = draw(env, &chief, env->g_a1, "{\"polygon\":null}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "unit.polygon")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(an_area_that_is_not_one_is_refused_with_what_is_wrong)
{
	static const struct {
		const char *body, *code, *words;
	} bad[] = {
		{"{\"polygon\":{\"type\":\"Point\",\"coordinates\":[106.6,29.7]}}", "bad_geojson",
		 "Polygon or MultiPolygon"},
		{"{\"polygon\":\"square\"}", "bad_geojson", "Polygon"},
		{"{}", "required", "polygon is required"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.61,29.71],[106.6,29.71]]]}}",
		 "ring_not_closed", "not closed"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.6,29.7]]]}}",
		 "ring_too_small", "three different corners"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.62,29.7],[106.6,29.7]]]}}",
		 "ring_without_area", "no area"},
		/* a bow tie: the second and fourth edges cross */
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.71],"
		 "[106.61,29.7],[106.6,29.71],[106.6,29.7]]]}}",
		 "self_intersection", "crosses itself near 106.6"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[186.6,29.7],[106.61,29.7],"
		 "[106.61,29.71],[186.6,29.7]]]}}",
		 "bad_geojson", "longitude from -180 to 180"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.61,29.71],[106.6,29.71],[106.6,29.7]],[[106.7,29.7],[106.71,29.7],"
		 "[106.71,29.71],[106.7,29.7]]]}}",
		 "hole_outside", "hole 1 lies outside"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.61,29.71],[106.6,29.71],[106.6,29.7]],[[106.605,29.705],[106.62,29.705],"
		 "[106.605,29.708],[106.605,29.705]]]}}",
		 "self_intersection", "cross or touch"},
		{"{\"polygon\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[106.6,29.7],"
		 "[106.61,29.7],[106.61,29.71],[106.6,29.71],[106.6,29.7]]],[[[106.601,29.701],"
		 "[106.602,29.701],[106.602,29.702],[106.601,29.701]]]]}}",
		 "polygons_overlap", "overlap"},
		{"{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,\"29.7\"]]]}}",
		 "bad_geojson", "two numbers"},
	};
	struct api_env *env = api_env_new();
	struct api_client chief;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = draw(env, &chief, env->g_a1, bad[i].body);
		check_error(r, 422, bad[i].code, "polygon");
		if (!api_str(r.json, "error.message") ||
		    !strstr(api_str(r.json, "error.message"), bad[i].words))
			fprintf(stderr, "  case %zu: %s\n", i, api_str(r.json, "error.message"));
		CHECK(api_str(r.json, "error.message") &&
		      strstr(api_str(r.json, "error.message"), bad[i].words));
		api_resp_free(&r);
	}
	CHECK_INT(api_count(env, "SELECT count(*) FROM org_units WHERE polygon IS NOT NULL"), 0);
	/* A corner repeated at once is dropped, not refused; a hole inside is kept. */
	r = draw(env, &chief, env->g_a1,
		 "{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[106.6,29.7],[106.61,29.7],"
		 "[106.61,29.7],[106.61,29.71],[106.6,29.71],[106.6,29.7]],[[106.603,29.703],"
		 "[106.604,29.703],[106.604,29.704],[106.603,29.703]]]}}");
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "unit.polygon.coordinates.0"), 5);
	CHECK_INT(api_len(r.json, "unit.polygon.coordinates"), 2);
	api_resp_free(&r);
	/* A station has no area of its own. */
	r = draw(env, &chief, env->st_a, square(106.6, 29.7, 0.01));
	check_error(r, 422, "invalid", "polygon");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(who_may_see_and_draw)
{
	struct api_env *env = api_env_new();
	struct api_client chief, officer, other, mediator, volunteer;
	struct api_resp r;
	json_t *item;
	size_t i;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &other, "officer.b"));
	CHECK(api_login_enrolled(env, &mediator, "mediator"));
	CHECK(api_login_enrolled(env, &volunteer, "volunteer"));
	r = draw(env, &officer, env->g_a1, square(106.6, 29.7, 0.01));
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = draw(env, &chief, env->g_b1, square(106.6, 29.7, 0.01));
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &other, "GET", api_fmt("/api/grids/%lld", (long long)env->g_a1), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &other, "GET", api_fmt("/api/grids/coverage?org_id=%lld",
						(long long)env->g_a1), NULL);
	check_error(r, 422, NULL, "org_id");
	api_resp_free(&r);
	/* officer.b sees station B's grid only. */
	r = api_call(env, &other, "GET", "/api/grids", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	json_array_foreach(api_get(r.json, "items"), i, item)
		CHECK_INT(api_int(item, "id"), env->g_b1);
	CHECK(json_is_object(api_get(r.json, "map")));
	api_resp_free(&r);
	r = api_call(env, &mediator, "GET", "/api/grids", NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &volunteer, "GET", "/api/grids/coverage", NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	api_env_free(env);
}

static bool lists(json_t *coverage, const char *list, int64_t id)
{
	json_t *item;
	size_t i;

	json_array_foreach(api_get(coverage, api_fmt("%s.items", list)), i, item)
		if (api_int(item, "id") == id)
			return true;
	return false;
}

TEST(coverage_check_finds_the_gaps_and_they_are_fixed_from_it)
{
	struct api_env *env = api_env_new();
	struct api_client chief, sysadmin;
	struct api_resp r;
	int64_t inside, outside, elsewhere, village, shop;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &sysadmin, "sysadmin"));
	r = draw(env, &chief, env->g_a1, square(106.60, 29.70, 0.01));
	check_status(r, 200);
	api_resp_free(&r);
	inside = add_address(env, &chief, "1号", env->g_a1, 29.705, 106.605);
	outside = add_address(env, &chief, "2号", env->g_a1, 29.80, 106.605);
	elsewhere = add_address(env, &chief, "3号", env->g_a2, 29.706, 106.606);
	add_address(env, &chief, "4号", env->g_a2, 29.95, 106.9);
	r = api_call(env, &chief, "POST", "/api/addresses",
		     api_fmt("{\"division_code\":\"500112\",\"street\":\"双龙大道\","
			     "\"door_no\":\"5号\",\"grid_id\":%lld}",
			     (long long)env->g_a2));
	check_status(r, 201);
	api_resp_free(&r);
	r = api_callf(env, &sysadmin, "POST", "/api/orgs",
		      "{\"parent_id\":%lld,\"kind\":\"village\",\"name\":\"黄桷村\","
		      "\"code\":\"V-T1\"}",
		      (long long)env->beat_a);
	check_status(r, 201);
	village = api_int(r.json, "id");
	api_resp_free(&r);

	/* A shop at the outside address lies outside with it; one inside does not. */
	r = api_callf(env, &chief, "POST", "/api/places",
		      "{\"kind\":\"shop\",\"name\":\"河边小卖部\",\"address_id\":%lld}",
		      (long long)outside);
	check_status(r, 201);
	shop = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_callf(env, &chief, "POST", "/api/places",
		      "{\"kind\":\"shop\",\"name\":\"街口超市\",\"address_id\":%lld}",
		      (long long)inside);
	check_status(r, 201);
	api_resp_free(&r);

	r = api_call(env, &chief, "GET", "/api/grids/coverage", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "places_outside.count"), 1);
	CHECK(lists(r.json, "places_outside", shop));
	CHECK_STR(api_str(r.json, "places_outside.items.0.name"), "河边小卖部");
	CHECK_INT(api_int(r.json, "places_outside.items.0.address_id"), outside);
	CHECK_INT(api_int(r.json, "addresses_outside.count"), 2);
	CHECK(lists(r.json, "addresses_outside", outside));
	CHECK(!lists(r.json, "addresses_outside", inside));
	CHECK_INT(api_int(r.json, "addresses_elsewhere.count"), 1);
	CHECK(lists(r.json, "addresses_elsewhere", elsewhere));
	CHECK_INT(api_int(r.json, "addresses_elsewhere.items.0.inside_grid_id"), env->g_a1);
	CHECK_INT(api_int(r.json, "addresses_elsewhere.items.0.grid_id"), env->g_a2);
	CHECK_INT(api_int(r.json, "addresses_without_coordinates"), 1);
	CHECK(lists(r.json, "grids_without_area", env->g_a2));
	CHECK(!lists(r.json, "grids_without_area", env->g_a1));
	CHECK(lists(r.json, "grids_without_leader", env->g_a1));
	CHECK(lists(r.json, "grids_without_worker", env->g_a1));
	CHECK(lists(r.json, "villages_without_resident_aux", village));
	CHECK(!lists(r.json, "grids_without_area", env->g_b1)); /* not the chief's */
	api_resp_free(&r);

	/* Fixed from the list: the address moved to the grid that holds it,
	 * staff named. */
	r = api_callf(env, &chief, "PATCH", api_fmt("/api/addresses/%lld", (long long)elsewhere),
		      "{\"grid_id\":%lld}", (long long)env->g_a1);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", api_fmt("/api/grids/%lld/staff", (long long)env->g_a1),
		      "{\"leader_id\":%lld,\"worker_ids\":[%lld,%lld]}",
		      (long long)api_user_id(env, "aux"), (long long)api_user_id(env, "aux"),
		      (long long)api_user_id(env, "volunteer"));
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "leader_id"), api_user_id(env, "aux"));
	CHECK_INT(api_len(r.json, "workers"), 2);
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", api_fmt("/api/grids/%lld/staff", (long long)village),
		      "{\"resident_aux_id\":%lld}", (long long)api_user_id(env, "aux"));
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", "/api/grids/coverage", NULL);
	CHECK_INT(api_int(r.json, "addresses_elsewhere.count"), 0);
	CHECK(!lists(r.json, "grids_without_leader", env->g_a1));
	CHECK(!lists(r.json, "grids_without_worker", env->g_a1));
	CHECK(lists(r.json, "grids_without_worker", env->g_a2));
	CHECK(!lists(r.json, "villages_without_resident_aux", village));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(staff_must_fit_their_place)
{
	struct api_env *env = api_env_new();
	struct api_client chief;
	struct api_resp r;
	json_t *e;
	const char *path = api_fmt("/api/grids/%lld/staff", (long long)env->g_a1);

	CHECK(api_login_enrolled(env, &chief, "chief"));
	r = api_callf(env, &chief, "PATCH", path, "{\"worker_ids\":[%lld]}",
		      (long long)api_user_id(env, "mediator"));
	check_error(r, 422, "invalid", "worker_ids[0]");
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", path, "{\"worker_ids\":[%lld]}",
		      (long long)api_user_id(env, "officer.b"));
	check_error(r, 422, "invalid", "worker_ids[0]");
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", path, "{\"resident_aux_id\":%lld}",
		      (long long)api_user_id(env, "aux"));
	check_error(r, 422, "invalid", "resident_aux_id");
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", path, "{\"worker_ids\":[%lld,%lld]}",
		      (long long)api_user_id(env, "aux"), (long long)api_user_id(env, "aux"));
	check_error(r, 422, "duplicate", "worker_ids[1]");
	api_resp_free(&r);
	r = api_call(env, &chief, "PATCH", path, "{\"team\":1}");
	check_error(r, 422, NULL, "team");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM grid_workers"), 0);
	e = api_audit_last(env, "grid.staff", api_fmt("%lld", (long long)env->g_a1));
	CHECK_STR(api_str(e, "outcome"), "failure");
	json_decref(e);
	api_env_free(env);
}

/* An incident of unit org received at ms. */
static void incident_at(struct api_env *env, const char *number, int64_t org, long long at)
{
	CHECK(api_exec(env, api_fmt("INSERT INTO incidents (number, station_id, org_id, org_path,"
				    " received_at, day, hour, channel, area_type, category,"
				    " narrative, status, created_at, updated_at) SELECT '%s', %lld,"
				    " id, path, %lld, 20260101, 10, 'phone', 'urban', 'dispute',"
				    " '邻里纠纷', 'received', %lld, %lld FROM org_units WHERE id = %lld",
				    number, (long long)env->st_a, at, at, at, (long long)org)));
}

TEST(heat_counts_the_incidents_of_each_area_as_the_rows_say)
{
	struct api_env *env = api_env_new();
	struct api_client chief, sysadmin;
	struct api_resp r;
	json_t *item;
	long long now = (long long)time(NULL) * 1000;
	int64_t want_a1, want_a2;
	size_t i;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &sysadmin, "sysadmin"));
	r = draw(env, &chief, env->g_a1, square(106.60, 29.70, 0.01));
	api_resp_free(&r);
	r = draw(env, &chief, env->g_a2, square(106.61, 29.70, 0.01));
	api_resp_free(&r);
	for (int k = 0; k < 5; k++)
		incident_at(env, api_fmt("T%d", k), env->g_a1, now - k * 86400000LL);
	incident_at(env, "T9", env->g_a2, now - 3600000LL);
	incident_at(env, "OLD", env->g_a2, now - 90 * 86400000LL); /* before the period */
	incident_at(env, "ST", env->st_a, now - 3600000LL);        /* in no grid */
	want_a1 = api_count(env, api_fmt("SELECT count(*) FROM incidents WHERE org_id = %lld"
					 " AND received_at >= %lld",
					 (long long)env->g_a1, now - 29LL * 86400000LL - 86400000LL));
	want_a2 = api_count(env, api_fmt("SELECT count(*) FROM incidents WHERE org_id = %lld"
					 " AND received_at >= %lld",
					 (long long)env->g_a2, now - 29LL * 86400000LL - 86400000LL));
	CHECK_INT(want_a1, 5);
	CHECK_INT(want_a2, 1);
	r = api_call(env, &chief, "GET", "/api/grids/heat", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	json_array_foreach(api_get(r.json, "items"), i, item)
		CHECK_INT(api_int(item, "n"), api_int(item, "id") == env->g_a1 ? want_a1 : want_a2);
	CHECK_INT(api_int(r.json, "max"), want_a1);
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", "/api/grids/heat?kind=beat", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0); /* no beat drawn */
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", "/api/grids/heat?from=2026-02-01&to=2026-01-01", NULL);
	check_error(r, 422, NULL, "from");
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", "/api/grids/heat?kind=station", NULL);
	check_error(r, 400, "bad_query", "kind");
	api_resp_free(&r);

	/* The incidents layer: only with incident.read. */
	r = api_call(env, &chief, "GET", "/api/grids/points?layer=incidents", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0); /* these incidents have no address */
	CHECK(!api_bool(r.json, "truncated"));
	api_resp_free(&r);
	r = api_call(env, &sysadmin, "GET", "/api/grids/points?layer=incidents", NULL);
	check_error(r, 403, NULL, "layer");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(addresses_layer_answers_a_box)
{
	struct api_env *env = api_env_new();
	struct api_client officer, other;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &other, "officer.b"));
	add_address(env, &officer, "1号", env->g_a1, 29.705, 106.605);
	add_address(env, &officer, "2号", env->g_a1, 29.805, 106.605);
	r = api_call(env, &officer, "GET",
		     "/api/grids/points?layer=addresses&south=29.7&west=106.6&north=29.71&east=106.61",
		     NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.full_text"), "渝北区双龙大道1号");
	api_resp_free(&r);
	r = api_call(env, &other, "GET",
		     "/api/grids/points?layer=addresses&south=29&west=106&north=30&east=107", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/points?layer=addresses&south=29.7", NULL);
	check_error(r, 422, NULL, "west");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET",
		     "/api/grids/points?layer=addresses&south=29.8&west=106.6&north=29.7&east=106.61",
		     NULL);
	check_error(r, 422, NULL, "south");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/points", NULL);
	check_error(r, 422, "required", "layer");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/points?layer=places", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/grids/points?layer=cameras", NULL);
	check_error(r, 400, "bad_query", "layer");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_grids_page_has_its_staff_figures_and_open_work)
{
	struct api_env *env = api_env_new();
	struct api_client chief, sysadmin;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &sysadmin, "sysadmin"));
	add_address(env, &chief, "1号", env->g_a1, 29.705, 106.605);
	incident_at(env, "P1", env->g_a1, (long long)time(NULL) * 1000);
	r = api_callf(env, &chief, "PATCH", api_fmt("/api/grids/%lld/staff", (long long)env->g_a1),
		      "{\"worker_ids\":[%lld]}", (long long)api_user_id(env, "aux"));
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", api_fmt("/api/grids/%lld", (long long)env->g_a1), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "kind"), "grid");
	CHECK_STR(api_str(r.json, "workers.0.role"), "aux");
	CHECK_INT(api_int(r.json, "figures.addresses"), 1);
	CHECK_INT(api_int(r.json, "figures.open_incidents"), 1);
	CHECK_INT(api_int(r.json, "figures.incidents_year"), 1);
	CHECK_STR(api_str(r.json, "open.incidents.0.number"), "P1");
	CHECK(json_is_null(api_get(r.json, "area_m2")));
	CHECK(json_is_array(api_get(r.json, "teams")));
	CHECK(json_is_array(api_get(r.json, "places")));
	api_resp_free(&r);
	/* The beat's page sums its grids and lists them. */
	r = api_call(env, &chief, "GET", api_fmt("/api/grids/%lld", (long long)env->beat_a), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "children"), 2);
	CHECK_INT(api_int(r.json, "figures.open_incidents"), 1);
	api_resp_free(&r);
	/* The sysadmin keeps the map, not the case work (三员分立). */
	r = api_call(env, &sysadmin, "GET", api_fmt("/api/grids/%lld", (long long)env->g_a1), NULL);
	check_status(r, 200);
	CHECK(!api_get(r.json, "figures"));
	CHECK(!api_get(r.json, "open"));
	CHECK(!api_get(r.json, "teams"));
	CHECK(!api_get(r.json, "places"));
	api_resp_free(&r);
	api_env_free(env);
}

/* Placing an address reads only the grids whose stored box holds its point
 * (031): the box follows a redrawn area, and an area drawn before boxes were
 * stored gets its box the first time a placement reads it. */
TEST(an_address_is_placed_by_the_box_of_each_grid)
{
	struct api_env *env = api_env_new();
	struct api_client chief;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	r = draw(env, &chief, env->g_a1, square(106.60, 29.70, 0.01));
	check_status(r, 200);
	api_resp_free(&r);
	r = draw(env, &chief, env->g_a2, square(106.62, 29.70, 0.01));
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM org_units WHERE id = %lld"
					 " AND area_south = 29.70 AND area_north = 29.71"
					 " AND area_west = 106.60 AND area_east = 106.61",
					 (long long)env->g_a1)),
		  1);
	id = add_address(env, &chief, "1号", 0, 29.705, 106.625);
	CHECK_INT(api_count(env, api_fmt("SELECT grid_id FROM addresses WHERE id = %lld",
					 (long long)id)),
		  env->g_a2);
	/* Redrawn larger: a point of the new part falls into it. */
	r = draw(env, &chief, env->g_a1, square(106.60, 29.70, 0.015));
	check_status(r, 200);
	api_resp_free(&r);
	id = add_address(env, &chief, "2号", 0, 29.713, 106.613);
	CHECK_INT(api_count(env, api_fmt("SELECT grid_id FROM addresses WHERE id = %lld",
					 (long long)id)),
		  env->g_a1);
	/* As before migration 031: no boxes. */
	CHECK(api_exec(env, "UPDATE org_units SET area_south = NULL, area_west = NULL,"
			    " area_north = NULL, area_east = NULL"));
	id = add_address(env, &chief, "3号", 0, 29.701, 106.601);
	CHECK_INT(api_count(env, api_fmt("SELECT grid_id FROM addresses WHERE id = %lld",
					 (long long)id)),
		  env->g_a1);
	CHECK_INT(api_count(env, "SELECT count(*) FROM org_units WHERE polygon IS NOT NULL"
				 " AND area_south IS NULL"),
		  0);
	/* Cleared: no area, no box. */
	r = draw(env, &chief, env->g_a2, "{\"polygon\":null}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM org_units WHERE id = %lld"
					 " AND area_south IS NULL",
					 (long long)env->g_a2)),
		  1);
	r = api_call(env, &chief, "POST", "/api/addresses",
		     "{\"division_code\":\"500112\",\"street\":\"双龙大道\","
		     "\"door_no\":\"4号\",\"lat\":29.705,\"lng\":106.625}");
	check_status(r, 422);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(chief_draws_a_grid_and_an_address_falls_into_it),
    TEST_ENTRY(an_area_that_is_not_one_is_refused_with_what_is_wrong),
    TEST_ENTRY(who_may_see_and_draw),
    TEST_ENTRY(coverage_check_finds_the_gaps_and_they_are_fixed_from_it),
    TEST_ENTRY(staff_must_fit_their_place),
    TEST_ENTRY(heat_counts_the_incidents_of_each_area_as_the_rows_say),
    TEST_ENTRY(addresses_layer_answers_a_box),
    TEST_ENTRY(a_grids_page_has_its_staff_figures_and_open_work),
    TEST_ENTRY(an_address_is_placed_by_the_box_of_each_grid),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/grids", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
