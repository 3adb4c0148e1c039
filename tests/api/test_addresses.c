/* Standard addresses (docs/api.md "Addresses", DOMAIN §2): GB/T 2260 county
 * codes, the grid they belong to, search, duplicates and data scope. */
#include <jansson.h>
#include <string.h>

#include "api/harness.h"

static int64_t count_addresses(struct api_env *env)
{
	return api_count(env, "SELECT count(*) FROM addresses");
}

static struct api_resp add(struct api_env *env, struct api_client *c, const char *division,
                           const char *street, const char *door, int64_t grid)
{
	return api_callf(env, c, "POST", "/api/addresses",
	                 "{\"division_code\":\"%s\",\"street\":\"%s\",\"door_no\":\"%s\","
	                 "\"grid_id\":%lld}",
	                 division, street, door, (long long)grid);
}

TEST(officer_creates_an_address_with_a_county_code)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	json_t *e;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(
	    env, &c, "POST", "/api/addresses",
	    "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"88号\","
	    "\"building\":\"3栋\",\"unit\":\"2单元\",\"floor\":\"5层\",\"room\":\"502室\","
	    "\"lat\":29.72,\"lng\":106.63,\"grid_id\":%lld}",
	    (long long)env->g_a1);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(id > 0);
	CHECK_STR(api_str(r.json, "division_code"), "500112");
	CHECK_STR(api_str(r.json, "street"), "双龙大道");
	CHECK_STR(api_str(r.json, "door_no"), "88号");
	CHECK_STR(api_str(r.json, "room"), "502室");
	CHECK_STR(api_str(r.json, "full_text"), "渝北区双龙大道88号3栋2单元5层502室");
	CHECK_INT(api_int(r.json, "grid_id"), env->g_a1);
	CHECK_STR(api_str(r.json, "grid_name"), "双龙一网格");
	CHECK(json_is_real(api_get(r.json, "lat")) && json_is_real(api_get(r.json, "lng")));
	CHECK(!api_get(r.json, "org_path"));
	api_resp_free(&r);
	e = api_audit_last(env, "address.create", api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(e, "outcome"), "success");
	CHECK_STR(api_str(e, "object_type"), "address");
	json_decref(e);
	api_env_free(env);
}

TEST(address_without_optional_parts_has_null_coordinates)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "aux"));
	r = add(env, &c, "500112", "双龙大道", "88号", env->g_a1);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "full_text"), "渝北区双龙大道88号");
	CHECK(json_is_null(api_get(r.json, "lat")));
	CHECK(json_is_null(api_get(r.json, "building")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bad_division_codes_are_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	static const char *const bad[] = {"193456", "500000", "500100", "50011",
	                                  "abcdef", "990101", "5001 2"};
	int64_t before = count_addresses(env);

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = add(env, &c, bad[i], "双龙大道", "88号", env->g_a1);
		check_error(r, 422, NULL, "division_code");
		api_resp_free(&r);
	}
	r = add(env, &c, "5001120", "双龙大道", "88号", env->g_a1);
	check_error(r, 422, "too_long", "division_code");
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), before);
	api_env_free(env);
}

TEST(grid_id_must_be_a_grid)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t before = count_addresses(env);

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = add(env, &c, "500112", "双龙大道", "88号", env->st_a);
	check_error(r, 422, "invalid", "grid_id");
	api_resp_free(&r);
	r = add(env, &c, "500112", "双龙大道", "88号", env->beat_a);
	check_error(r, 422, "invalid", "grid_id");
	api_resp_free(&r);
	r = add(env, &c, "500112", "双龙大道", "88号", 9999);
	check_error(r, 422, "invalid", "grid_id");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/addresses",
	             "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"88号\"}");
	check_error(r, 422, "required", "grid_id");
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), before);
	api_env_free(env);
}

TEST(grid_outside_the_callers_scope_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t before = count_addresses(env);

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = add(env, &c, "500112", "回兴路", "1号", env->g_b1);
	check_error(r, 422, "invalid", "grid_id");
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), before);
	api_env_free(env);
}

TEST(required_parts_and_coordinates_are_checked)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"door_no\":\"88号\",\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_error(r, 422, "required", "street");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"88号\","
	              "\"lat\":29.7,\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_error(r, 422, NULL, "lng");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"88号\","
	              "\"lat\":91,\"lng\":106.6,\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_error(r, 422, "out_of_range", "lat");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"88号\","
	              "\"grid_id\":%lld,\"owner\":\"x\"}",
	              (long long)env->g_a1);
	check_error(r, 422, "unknown_field", "owner");
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), 0);
	api_env_free(env);
}

TEST(duplicate_address_is_a_conflict)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_new_address(env, &c, env->g_a1, "双龙大道", "88号") > 0);
	r = add(env, &c, "500112", "双龙大道", "88号", env->g_a2);
	check_error(r, 409, "conflict", NULL);
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), 1);
	api_env_free(env);
}

TEST(same_street_and_door_in_two_counties_are_two_addresses)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = add(env, &c, "500110", "人民路", "1号", env->g_a1);
	check_status(r, 201);
	api_resp_free(&r);
	/* BUG: src/domain/address.c full_text() writes only the division's name,
	 * and for a county missing from the small table in division.c that is the
	 * province ("重庆市"); addresses_unique is on full_text, so 人民路1号 in
	 * 綦江区 (500110) and in 巴南区 (500113) collide as duplicates. */
	r = add(env, &c, "500113", "人民路", "1号", env->g_a1);
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(parts_that_read_alike_are_two_addresses)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"1\","
	              "\"building\":\"23\",\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_status(r, 201);
	api_resp_free(&r);
	/* BUG: same root cause: full_text glues the parts without separators and
	 * is the unique key, so door 1 building 23 and door 12 building 3 are
	 * both "渝北区双龙大道123" and the second is refused as a duplicate. */
	r = api_callf(env, &c, "POST", "/api/addresses",
	              "{\"division_code\":\"500112\",\"street\":\"双龙大道\",\"door_no\":\"12\","
	              "\"building\":\"3\",\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(search_by_text_and_grid)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t a1, a2;

	CHECK(api_login_enrolled(env, &c, "officer"));
	a1 = api_new_address(env, &c, env->g_a1, "双龙大道", "88号");
	a2 = api_new_address(env, &c, env->g_a2, "人民路", "3号");
	r = api_call(env, &c, "GET", "/api/addresses?q=%E5%8F%8C%E9%BE%99", NULL); /* 双龙 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), a1);
	CHECK(!api_get(r.json, "items.0.org_path"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/addresses?grid_id=%lld", (long long)env->g_a2),
	             NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), a2);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/addresses", NULL);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK_INT(api_int(r.json, "items.0.id"), a2); /* newest first */
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/addresses?q=nowhere", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/addresses?grid_id=abc", NULL);
	check_error(r, 400, "bad_query", "grid_id");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(station_b_officer_cannot_see_station_a_addresses)
{
	struct api_env *env = api_env_new();
	struct api_client a, b;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &a, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	id = api_new_address(env, &a, env->g_a1, "双龙大道", "88号");
	r = api_call(env, &b, "GET", api_fmt("/api/addresses/%lld", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/addresses", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &b, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	             "{\"room\":\"101\"}");
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(chief_and_sysadmin_see_the_address)
{
	struct api_env *env = api_env_new();
	struct api_client a, chief, admin;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &a, "aux"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &admin, "sysadmin"));
	id = api_new_address(env, &a, env->g_a1, "双龙大道", "88号");
	r = api_call(env, &chief, "GET", api_fmt("/api/addresses/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "full_text"), "渝北区双龙大道88号");
	api_resp_free(&r);
	r = api_call(env, &admin, "GET", api_fmt("/api/addresses/%lld", (long long)id), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(update_changes_parts_and_grid)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = api_new_address(env, &c, env->g_a1, "双龙大道", "88号");
	r = api_callf(env, &c, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	              "{\"room\":\"101室\",\"grid_id\":%lld,\"lat\":29.7,\"lng\":106.6}",
	              (long long)env->g_a2);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "full_text"), "渝北区双龙大道88号101室");
	CHECK_STR(api_str(r.json, "street"), "双龙大道");
	CHECK_INT(api_int(r.json, "grid_id"), env->g_a2);
	CHECK(json_is_real(api_get(r.json, "lat")));
	api_resp_free(&r);
	/* The coordinates stay when not given. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	             "{\"door_no\":\"90号\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "full_text"), "渝北区双龙大道90号101室");
	CHECK(json_is_real(api_get(r.json, "lat")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(update_cannot_move_an_address_out_of_scope)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = api_new_address(env, &c, env->g_a1, "双龙大道", "88号");
	r = api_callf(env, &c, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	              "{\"grid_id\":%lld}", (long long)env->g_b1);
	check_error(r, 422, "invalid", "grid_id");
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	             "{\"division_code\":\"000000\"}");
	check_error(r, 422, NULL, "division_code");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/addresses/%lld", (long long)id), NULL);
	CHECK_INT(api_int(r.json, "grid_id"), env->g_a1);
	CHECK_STR(api_str(r.json, "division_code"), "500112");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(update_refuses_an_empty_street)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = api_new_address(env, &c, env->g_a1, "双龙大道", "88号");
	/* BUG: src/api/addresses.c read_address reads street and door_no with
	 * flags 0 on update, so "" is kept as a value and the address loses its
	 * street. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/addresses/%lld", (long long)id),
	             "{\"street\":\"\"}");
	check_error(r, 422, NULL, "street");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(volunteer_cannot_add_or_read_addresses)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "volunteer"));
	r = add(env, &c, "500112", "双龙大道", "88号", env->g_a1);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/addresses", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK_INT(count_addresses(env), 0);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(officer_creates_an_address_with_a_county_code),
    TEST_ENTRY(address_without_optional_parts_has_null_coordinates),
    TEST_ENTRY(bad_division_codes_are_refused),
    TEST_ENTRY(grid_id_must_be_a_grid),
    TEST_ENTRY(grid_outside_the_callers_scope_is_refused),
    TEST_ENTRY(required_parts_and_coordinates_are_checked),
    TEST_ENTRY(duplicate_address_is_a_conflict),
    TEST_ENTRY(same_street_and_door_in_two_counties_are_two_addresses),
    TEST_ENTRY(parts_that_read_alike_are_two_addresses),
    TEST_ENTRY(search_by_text_and_grid),
    TEST_ENTRY(station_b_officer_cannot_see_station_a_addresses),
    TEST_ENTRY(chief_and_sysadmin_see_the_address),
    TEST_ENTRY(update_changes_parts_and_grid),
    TEST_ENTRY(update_cannot_move_an_address_out_of_scope),
    TEST_ENTRY(update_refuses_an_empty_street),
    TEST_ENTRY(volunteer_cannot_add_or_read_addresses),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/addresses", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
