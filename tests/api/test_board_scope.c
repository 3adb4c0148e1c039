/* The live board's version is per scope (GET /api/incidents/board): it moves
 * for a change the caller's board can show — an open incident of the
 * caller's scope or station, the station's shifts — and for nothing else, so
 * that another station's activity neither answers a parked long poll nor
 * shows through the version. */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/time.h"

/* The board's version as c sees it, into v (64 bytes). */
static void version_of(struct api_env *env, struct api_client *c, char *v)
{
	struct api_resp r = api_call(env, c, "GET", "/api/incidents/board", NULL);

	CHECK_INT(r.status, 200);
	snprintf(v, 64, "%s", r.status == 200 ? api_str(r.json, "version") : "");
	CHECK(strlen(v) > 0 && strlen(v) <= 40); /* the query's limit for version */
	api_resp_free(&r);
}

/* Whether c's board asked with version v says nothing changed. */
static bool unchanged(struct api_env *env, struct api_client *c, const char *v)
{
	struct api_resp r = api_call(env, c, "GET",
				     api_fmt("/api/incidents/board?version=%s", v), NULL);
	bool same = r.status == 200 && !strcmp(api_str(r.json, "version"), v) &&
		    !api_get(r.json, "incidents");

	api_resp_free(&r);
	return same;
}

static int64_t intake(struct api_env *env, struct api_client *c)
{
	struct api_resp r = api_call(env, c, "POST", "/api/incidents",
				     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				     "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"}");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	CHECK_INT(r.status, 201);
	api_resp_free(&r);
	return id;
}

static void step(struct api_env *env, struct api_client *c, int64_t id, const char *action,
		 const char *body)
{
	struct api_resp r = api_call(env, c, "POST",
				     api_fmt("/api/incidents/%lld/%s", (long long)id, action), body);

	if (r.status != 200)
		printf("# %s: %d %s\n", action, r.status, r.body);
	CHECK_INT(r.status, 200);
	api_resp_free(&r);
}

TEST(another_station_does_not_move_the_version)
{
	static const char *const staff_a[] = {"officer", "aux", NULL};
	static const char *const staff_b[] = {"officer.b", NULL};
	struct api_env *env = api_env_new();
	struct api_client a, b;
	char va[64], vb[64], v[64];
	int64_t id;

	CHECK(api_on_shift(env, env->st_a, staff_a));
	CHECK(api_on_shift(env, env->st_b, staff_b));
	CHECK(api_login_enrolled(env, &a, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	intake(env, &a); /* something on A's board */
	version_of(env, &a, va);
	version_of(env, &b, vb);

	/* Station B's whole day: a call, dispatch, arrival, handling, closing. */
	id = intake(env, &b);
	CHECK(unchanged(env, &a, va));
	CHECK(!unchanged(env, &b, vb));
	step(env, &b, id, "dispatch",
	     api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer.b")));
	step(env, &b, id, "arrive", "{}");
	step(env, &b, id, "handle", "{}");
	CHECK(unchanged(env, &a, va));
	step(env, &b, id, "close", "{\"disposal\":\"persuaded\"}");
	CHECK(unchanged(env, &a, va));
	/* B's roster changes. */
	CHECK(api_exec(env, api_fmt("UPDATE shifts SET updated_at = updated_at + 1"
				    " WHERE station_id = %lld", (long long)env->st_b)));
	version_of(env, &b, vb);
	CHECK(unchanged(env, &a, va));
	CHECK(api_exec(env, api_fmt("UPDATE shifts SET updated_at = updated_at + 1"
				    " WHERE station_id = %lld", (long long)env->st_b)));
	CHECK(!unchanged(env, &b, vb));
	version_of(env, &a, v);
	CHECK_STR(v, va);

	api_env_free(env);
}

TEST(changes_in_scope_move_the_version)
{
	static const char *const staff_a[] = {"officer", "aux", NULL};
	struct api_env *env = api_env_new();
	struct api_client a;
	char va[64];
	int64_t id, other;

	CHECK(api_on_shift(env, env->st_a, staff_a));
	CHECK(api_login_enrolled(env, &a, "officer"));
	version_of(env, &a, va);
	/* A new incident. */
	id = intake(env, &a);
	CHECK(!unchanged(env, &a, va));
	version_of(env, &a, va);
	other = intake(env, &a);
	version_of(env, &a, va);
	/* A change to an open incident that is not the newest. */
	step(env, &a, id, "dispatch",
	     api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer")));
	CHECK(!unchanged(env, &a, va));
	version_of(env, &a, va);
	step(env, &a, id, "arrive", "{}");
	step(env, &a, id, "handle", "{}");
	version_of(env, &a, va);
	/* Closing takes it off the board. */
	step(env, &a, id, "close", "{\"disposal\":\"persuaded\"}");
	CHECK(!unchanged(env, &a, va));
	version_of(env, &a, va);
	/* The station's roster: a shift changed, a shift ended. */
	CHECK(api_exec(env, api_fmt("UPDATE shifts SET updated_at = updated_at + 1"
				    " WHERE station_id = %lld", (long long)env->st_a)));
	CHECK(!unchanged(env, &a, va));
	version_of(env, &a, va);
	CHECK(api_exec(env, api_fmt("UPDATE shifts SET end_at = %lld WHERE station_id = %lld",
				    (long long)(fq_time_now_ms() - 1), (long long)env->st_a)));
	CHECK(!unchanged(env, &a, va));
	(void)other;
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(another_station_does_not_move_the_version),
	TEST_ENTRY(changes_in_scope_move_the_version),
};

int main(int argc, char **argv)
{
	return fq_test_main("board_scope", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc,
			    argv);
}
