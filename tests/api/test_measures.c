/* Prevention measures (docs/api.md "Prevention measures"): every validation
 * error naming its field with nothing written (place xor address, a camera's
 * direction and angle, the camera's fields on another kind), data scope
 * (another station's officer sees nothing and writes nothing), checks that
 * set the last check and the status, the coverage of homes counted against
 * the raw rows, the cameras of a box, the list's filters, the export, the
 * work queue of a place's officer, and the audit entries. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"

struct world {
	struct api_env *env;
	struct api_client officer, aux, other;
	int64_t home[4], home_b, place;
};

static void world_init(struct world *w)
{
	struct api_resp r;

	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->other, "officer.b", API_PASSWORD, NULL) == 200);
	w->home[0] = api_new_address(w->env, &w->officer, w->env->g_a1, "双龙大道", "1号");
	w->home[1] = api_new_address(w->env, &w->officer, w->env->g_a1, "双龙大道", "2号");
	w->home[2] = api_new_address(w->env, &w->officer, w->env->g_a1, "双龙大道", "3号");
	w->home[3] = api_new_address(w->env, &w->officer, w->env->g_a2, "空港大道", "9号");
	w->home_b = api_new_address(w->env, &w->other, w->env->g_b1, "回兴路", "1号");
	CHECK(w->home[0] && w->home[1] && w->home[2] && w->home[3] && w->home_b);
	r = api_callf(w->env, &w->officer, "POST", "/api/places",
		      "{\"kind\":\"shop\",\"name\":\"便民超市\",\"address_id\":%lld,\"officer_id\":%lld}",
		      (long long)w->home[2], (long long)api_user_id(w->env, "officer"));
	check_status(r, 201);
	w->place = api_int(r.json, "id");
	api_resp_free(&r);
}

static bool audited(struct world *w, const char *action)
{
	json_t *e = api_audit_last(w->env, action, NULL);

	json_decref(e);
	return e != NULL;
}

static int64_t add(struct world *w, struct api_client *c, const char *fmt, long long id)
{
	struct api_resp r = api_callf(w->env, c, "POST", "/api/measures", fmt, id);
	int64_t out = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!out)
		printf("# add: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return out;
}

TEST(errors_name_the_field_and_write_nothing)
{
	struct world w;
	struct {
		const char *body, *code, *field;
	} bad[] = {
		{"{\"address_id\":%lld}", "required", "kind"},
		{"{\"kind\":\"moat\",\"address_id\":%lld}", NULL, "kind"},
		{"{\"kind\":\"b_lock\"}", "required", "address_id"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"place_id\":1}", "place_or_address", "address_id"},
		{"{\"kind\":\"b_lock\",\"address_id\":999999}", NULL, "address_id"},
		{"{\"kind\":\"b_lock\",\"place_id\":999999}", "not_found", "place_id"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"direction\":90}", "not_camera", "direction"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"status\":\"lost\"}", NULL, "status"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"installed_on\":\"2999-01-01\"}", "future", "installed_on"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"label\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}", NULL, "label"},
		{"{\"kind\":\"b_lock\",\"address_id\":%lld,\"colour\":\"red\"}", NULL, "colour"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":29.7,\"lng\":106.6}", "required", "direction"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"direction\":90}", "required", "lat"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":29.7,\"lng\":106.6,\"direction\":360}", NULL, "direction"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":29.7,\"lng\":106.6,\"direction\":-1}", NULL, "direction"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":29.7,\"lng\":106.6,\"direction\":0,\"view_angle\":5}", NULL, "view_angle"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":91,\"lng\":106.6,\"direction\":0}", NULL, "lat"},
		{"{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":29.7,\"lng\":106.6,\"direction\":0,\"owner_kind\":\"mine\"}", NULL, "owner_kind"},
	};

	world_init(&w);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp r = api_callf(w.env, &w.officer, "POST", "/api/measures", bad[i].body,
					      (long long)w.home[0]);

		if (!check_error(r, 422, bad[i].code, bad[i].field))
			printf("# case %zu\n", i);
		api_resp_free(&r);
	}
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM measures"), 0);
	api_env_free(w.env);
}

TEST(a_camera_and_a_lock_as_given_and_audited)
{
	struct world w;
	struct api_resp r;
	int64_t cam, lock;
	json_t *e;

	world_init(&w);
	cam = add(&w, &w.officer,
		  "{\"kind\":\"camera\",\"place_id\":%lld,\"lat\":29.72,\"lng\":106.63,"
		  "\"direction\":135,\"owner_kind\":\"social\",\"linked\":true,\"label\":\"收银台\"}",
		  (long long)w.place);
	CHECK(cam > 0);
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/measures/%lld", (long long)cam), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "category"), "technical");
	CHECK_STR(api_str(r.json, "status"), "working");
	CHECK_INT(api_int(r.json, "view_angle"), 90);
	CHECK_INT(api_int(r.json, "direction"), 135);
	CHECK_INT(api_int(r.json, "address_id"), w.home[2]); /* the place's */
	CHECK_STR(api_str(r.json, "place_name"), "便民超市");
	CHECK(api_bool(r.json, "linked"));
	CHECK(api_str(r.json, "check_due_at") != NULL);
	api_resp_free(&r);
	e = api_audit_last(w.env, "measure.create", NULL);
	CHECK_STR(api_str(e, "object_type"), "measure");
	CHECK_STR(api_str(e, "object_id"), api_fmt("%lld", (long long)cam));
	json_decref(e);
	/* the aux installs a lock at a home; physical; no camera fields */
	lock = add(&w, &w.aux, "{\"kind\":\"b_lock\",\"address_id\":%lld,\"installed_on\":\"2025-03-01\"}",
		   (long long)w.home[0]);
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/measures/%lld", (long long)lock), NULL);
	CHECK_STR(api_str(r.json, "category"), "physical");
	CHECK_STR(api_str(r.json, "installed_on"), "2025-03-01");
	CHECK(json_is_null(api_get(r.json, "direction")));
	CHECK(json_is_null(api_get(r.json, "place_id")));
	api_resp_free(&r);
	/* a change: the view turns; a lock takes no direction */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/measures/%lld", (long long)cam),
		     "{\"direction\":200,\"view_angle\":60,\"label\":null}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "direction"), 200);
	CHECK_INT(api_int(r.json, "view_angle"), 60);
	CHECK(json_is_null(api_get(r.json, "label")));
	CHECK_STR(api_str(r.json, "owner_kind"), "social");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/measures/%lld", (long long)lock),
		     "{\"direction\":10}");
	check_error(r, 422, "not_camera", "direction");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "PATCH", api_fmt("/api/measures/%lld", (long long)lock),
		     "{\"note\":\"住户自购\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "installed_on"), "2025-03-01");
	CHECK_STR(api_str(r.json, "note"), "住户自购");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/measures/%lld", (long long)lock),
		     "{\"kind\":\"camera\"}");
	check_error(r, 422, NULL, "kind");
	api_resp_free(&r);
	e = api_audit_last(w.env, "measure.update", NULL);
	CHECK_STR(api_str(e, "outcome"), "failure");
	json_decref(e);
	api_env_free(w.env);
}

TEST(another_station_sees_nothing_and_writes_nothing)
{
	struct world w;
	struct api_resp r;
	int64_t lock;

	world_init(&w);
	lock = add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[0]);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/measures/%lld", (long long)lock), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "PATCH", api_fmt("/api/measures/%lld", (long long)lock),
		     "{\"status\":\"removed\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "POST", api_fmt("/api/measures/%lld/checks", (long long)lock),
		     "{\"result\":\"faulty\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/measures", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_callf(w.env, &w.other, "POST", "/api/measures",
		      "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[1]);
	check_error(r, 422, NULL, "address_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.other, "POST", "/api/measures",
		      "{\"kind\":\"alarm\",\"place_id\":%lld}", (long long)w.place);
	check_error(r, 422, "not_found", "place_id");
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/measures/coverage?kind=b_lock&org_id=%lld",
						     (long long)w.env->g_a1), NULL);
	check_error(r, 422, NULL, "org_id");
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/measures/cameras?south=-90&west=-180&north=90&east=180", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM measures"), 1);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM measure_checks"), 0);
	api_env_free(w.env);
}

TEST(a_check_sets_the_last_check_and_the_status)
{
	struct world w;
	struct api_resp r;
	int64_t alarm;

	world_init(&w);
	alarm = add(&w, &w.officer, "{\"kind\":\"infrared_alarm\",\"place_id\":%lld}", (long long)w.place);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/measures/%lld/checks", (long long)alarm),
		     "{\"result\":\"broken\"}");
	check_error(r, 422, NULL, "result");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/measures/%lld/checks", (long long)alarm),
		     "{\"result\":\"faulty\",\"checked_on\":\"2999-01-01\"}");
	check_error(r, 422, "future", "checked_on");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/measures/%lld/checks", (long long)alarm),
		     "{\"result\":\"faulty\",\"note\":\"探头无反应\"}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "status"), "faulty");
	CHECK_INT(api_int(r.json, "last_checked_by"), api_user_id(w.env, "aux"));
	CHECK(api_str(r.json, "last_checked_at") != NULL);
	CHECK_INT(api_len(r.json, "checks"), 1);
	CHECK_STR(api_str(r.json, "checks.0.note"), "探头无反应");
	CHECK_STR(api_str(r.json, "checks.0.result"), "faulty");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/measures/%lld/checks", (long long)alarm),
		     "{\"result\":\"working\"}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "status"), "working");
	CHECK_INT(api_int(r.json, "last_checked_by"), api_user_id(w.env, "officer"));
	CHECK_INT(api_len(r.json, "checks"), 2);
	api_resp_free(&r);
	CHECK(audited(&w, "measure.check"));
	/* removed: no more checks */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/measures/%lld", (long long)alarm),
		     "{\"status\":\"removed\"}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "check_due_at")));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/measures/%lld/checks", (long long)alarm),
		     "{\"result\":\"working\"}");
	check_error(r, 409, "removed", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM measure_checks"), 2);
	api_env_free(w.env);
}

/* The coverage figure of grid g against the raw rows. */
static void check_coverage_row(struct world *w, json_t *row)
{
	int64_t g = api_int(row, "id");
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM addresses WHERE grid_id = %lld", (long long)g);
	CHECK_INT(api_int(row, "homes"), api_count(w->env, sql));
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM addresses a WHERE a.grid_id = %lld AND EXISTS (SELECT 1 FROM"
		 " measures m WHERE m.address_id = a.id AND m.kind = 'b_lock' AND m.status = 'working')",
		 (long long)g);
	CHECK_INT(api_int(row, "covered"), api_count(w->env, sql));
}

TEST(coverage_counts_homes_with_a_working_measure)
{
	struct world w;
	struct api_resp r;
	int64_t broken;
	size_t k;

	world_init(&w);
	add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[0]);
	add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[0]);
	broken = add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld,\"status\":\"faulty\"}",
		     (long long)w.home[1]);
	add(&w, &w.officer, "{\"kind\":\"anti_theft_door\",\"address_id\":%lld}", (long long)w.home[2]);
	add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[3]);
	add(&w, &w.other, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home_b);
	CHECK(broken > 0);
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/measures/coverage?kind=b_lock&org_id=%lld", (long long)w.env->g_a1), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "org.homes"), 3);
	CHECK_INT(api_int(r.json, "org.covered"), 1); /* two locks, one home; the faulty one not */
	CHECK(json_real_value(api_get(r.json, "org.share")) > 33.2 &&
	      json_real_value(api_get(r.json, "org.share")) < 33.4);
	CHECK_INT(api_len(r.json, "grids"), 1);
	api_resp_free(&r);
	/* the beat: its grids as children, each against the raw rows */
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/measures/coverage?kind=b_lock&org_id=%lld", (long long)w.env->beat_a), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "org.homes"), 4);
	CHECK_INT(api_int(r.json, "org.covered"), 2);
	CHECK_INT(api_len(r.json, "children"), 2);
	CHECK_INT(api_len(r.json, "grids"), 2);
	for (k = 0; k < api_len(r.json, "grids"); k++)
		check_coverage_row(&w, api_get(r.json, api_fmt("grids.%zu", k)));
	for (k = 0; k < api_len(r.json, "children"); k++)
		check_coverage_row(&w, api_get(r.json, api_fmt("children.%zu", k)));
	api_resp_free(&r);
	/* a check that finds it working counts it */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/measures/%lld/checks", (long long)broken),
		     "{\"result\":\"working\"}");
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/measures/coverage?kind=b_lock&org_id=%lld", (long long)w.env->g_a1), NULL);
	CHECK_INT(api_int(r.json, "org.covered"), 2);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures/coverage", NULL);
	check_error(r, 422, "required", "kind");
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(cameras_of_a_box_list_filters_and_export)
{
	struct world w;
	struct api_resp r;
	int64_t cam, lock;

	world_init(&w);
	cam = add(&w, &w.officer,
		  "{\"kind\":\"camera\",\"place_id\":%lld,\"lat\":29.72,\"lng\":106.63,\"direction\":45,"
		  "\"label\":\"大门口\"}",
		  (long long)w.place);
	add(&w, &w.officer,
	    "{\"kind\":\"camera\",\"address_id\":%lld,\"lat\":30.5,\"lng\":107.5,\"direction\":0}",
	    (long long)w.home[3]);
	lock = add(&w, &w.officer, "{\"kind\":\"b_lock\",\"address_id\":%lld}", (long long)w.home[0]);
	r = api_call(w.env, &w.officer, "GET",
		     "/api/measures/cameras?south=29.7&west=106.6&north=29.8&east=106.7", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), cam);
	CHECK_INT(api_int(r.json, "items.0.direction"), 45);
	CHECK_STR(api_str(r.json, "items.0.label"), "大门口");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures/cameras?south=29.9&west=106.6&north=29.8&east=106.7", NULL);
	check_error(r, 422, NULL, "south");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures/cameras?west=106.6&north=29.8&east=106.7", NULL);
	check_error(r, 422, NULL, "south");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures?category=technical", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/measures?place_id=%lld", (long long)w.place), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/measures?address_id=%lld", (long long)w.home[0]), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), lock);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/measures?org_id=%lld", (long long)w.env->g_a2), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures?status=lost", NULL);
	check_error(r, 400, "bad_query", "status");
	api_resp_free(&r);
	/* due for a check: none yet; the camera entered 200 days ago is, and
	 * goes to the place's officer */
	r = api_call(w.env, &w.officer, "GET", "/api/measures?due=1", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	CHECK(api_exec(w.env, api_fmt("UPDATE measures SET created_at = created_at - 17280000000"
				      " WHERE id = %lld", (long long)cam)));
	r = api_call(w.env, &w.officer, "GET", "/api/measures?due=1", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), cam);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	CHECK(strstr(r.body, "\"measure_check\"") != NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/measures/export?format=csv&kind=camera", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "大门口") && strstr(r.body, "视频监控") && strstr(r.body, "便民超市"));
	CHECK(r.body && !strstr(r.body, "B级锁芯"));
	api_resp_free(&r);
	CHECK(audited(&w, "measure.export"));
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(errors_name_the_field_and_write_nothing),
	TEST_ENTRY(a_camera_and_a_lock_as_given_and_audited),
	TEST_ENTRY(another_station_sees_nothing_and_writes_nothing),
	TEST_ENTRY(a_check_sets_the_last_check_and_the_status),
	TEST_ENTRY(coverage_counts_homes_with_a_working_measure),
	TEST_ENTRY(cameras_of_a_box_list_filters_and_export),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/measures", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
