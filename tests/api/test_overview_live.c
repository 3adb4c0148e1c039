/* The overview's long poll (GET /api/overview?version=…, /mine?version=…):
 * an answer's version still holding makes the request wait (the server
 * parks it; here: the harness reports that it would), each kind of write the
 * page shows (a call, a dispatch, an arrival, a closure, a follow-up, a
 * shift) makes the next run answer with the new figure, a write elsewhere
 * does not, a version of another unit, period or person is answered at once,
 * the passing of a version's time too, and a version this server could not
 * have made is a 400 naming the field. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "core/time.h"

/* GET target with version as the server runs a long poll it can park. */
static struct api_resp poll(struct api_env *env, struct api_client *c, const char *target,
			    const char *version)
{
	struct api_raw raw = {
		.method = "GET",
		.target = api_fmt("%s%cversion=%s", target, strchr(target, '?') ? '&' : '?', version),
		.may_wait = true,
	};

	return api_call_raw(env, c, &raw);
}

/* The value of the card key, -1 when the answer has none. */
static int64_t card_value(json_t *o, const char *key)
{
	json_t *card;
	size_t k;

	json_array_foreach(api_get(o, "cards"), k, card)
		if (!strcmp(api_str(card, "key") ? api_str(card, "key") : "", key))
			return (int64_t)json_number_value(json_object_get(card, "value"));
	return -1;
}

/* The figures of target now, and their version into version. */
static int64_t figure_now(struct api_env *env, struct api_client *c, const char *target,
			  const char *key, char version[64])
{
	struct api_resp r = api_call(env, c, "GET", target, NULL);
	int64_t v;

	check_status(r, 200);
	v = card_value(r.json, key);
	snprintf(version, 64, "%s", api_str(r.json, "version") ? api_str(r.json, "version") : "");
	api_resp_free(&r);
	return v;
}

/* Polls target with version: it must wait. */
static void waits(struct api_env *env, struct api_client *c, const char *target,
		  const char *version)
{
	struct api_resp r = poll(env, c, target, version);

	CHECK(r.waits);
	if (!r.waits)
		printf("# %s did not wait: %d %s\n", target, r.status, r.body);
	api_resp_free(&r);
}

/* Polls target with version after a write: it answers at once, with key at
 * want and a new version (into version). */
static void answers(struct api_env *env, struct api_client *c, const char *target,
		    char version[64], const char *key, int64_t want)
{
	struct api_resp r = poll(env, c, target, version);

	CHECK(!r.waits);
	check_status(r, 200);
	CHECK(api_str(r.json, "version") && strcmp(api_str(r.json, "version"), version));
	CHECK_INT(card_value(r.json, key), want);
	snprintf(version, 64, "%s", api_str(r.json, "version") ? api_str(r.json, "version") : "");
	api_resp_free(&r);
}

/* POST path with body as c; the answer's id (0 on failure). */
static int64_t post(struct api_env *env, struct api_client *c, const char *path,
		    const char *body, int want)
{
	struct api_resp r = api_call(env, c, "POST", path, body);
	int64_t id = api_int(r.json, "id");

	if (!check_status(r, want))
		printf("# POST %s: %s\n", path, r.body);
	api_resp_free(&r);
	return id;
}

static int64_t call_in(struct api_env *env, struct api_client *c)
{
	return post(env, c, "/api/incidents",
		    "{\"channel\":\"110_transfer\",\"category\":\"dispute\",\"subcategory\":\"neighbour\","
		    "\"narrative\":\"楼道堆物引发争吵\"}",
		    201);
}

static const char *step(int64_t id, const char *action)
{
	return api_fmt("/api/incidents/%lld/%s", (long long)id, action);
}

TEST(each_write_the_page_shows_wakes_the_station_overview)
{
	static const char *const shift[] = {"officer", "aux", NULL};
	static const char *const later[] = {"newbie", NULL};
	struct api_env *env = api_env_new();
	struct api_client chief, officer, other;
	const char *ov = "/api/overview?period=today";
	char v[64];
	int64_t id, aux;
	struct api_resp r;

	CHECK(api_on_shift(env, env->st_a, shift));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &other, "officer.b"));
	aux = api_user_id(env, "aux");
	CHECK_INT(figure_now(env, &chief, ov, "received", v), 0);
	CHECK(strlen(v) > 16);

	/* Unchanged: the request waits, watching station A's writes. */
	r = poll(env, &chief, ov, v);
	CHECK(r.waits);
	CHECK(r.wait_scope && r.wait_scope[0] == '/');
	CHECK(!api_get(r.json, "cards"));
	api_resp_free(&r);
	/* The long poll's last run (may not wait): only the version. */
	r = api_call(env, &chief, "GET", api_fmt("%s&version=%s", ov, v), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "version"), v);
	CHECK(api_str(r.json, "now") != NULL);
	CHECK(!api_get(r.json, "cards"));
	api_resp_free(&r);

	/* Another station's call changes nothing here. */
	call_in(env, &other);
	waits(env, &chief, ov, v);

	/* A new call. */
	id = call_in(env, &officer);
	answers(env, &chief, ov, v, "received", 1);
	waits(env, &chief, ov, v);
	/* Dispatched: aux is no longer free. */
	CHECK_INT(figure_now(env, &chief, ov, "free", v), 2);
	post(env, &officer, step(id, "dispatch"), api_fmt("{\"user_ids\":[%lld]}", (long long)aux),
	     200);
	answers(env, &chief, ov, v, "free", 1);
	/* On scene: one arrival, on time. */
	post(env, &officer, step(id, "arrive"), api_fmt("{\"user_id\":%lld}", (long long)aux), 200);
	answers(env, &chief, ov, v, "on_time_rate", 100);
	waits(env, &chief, ov, v);
	/* Closed. */
	post(env, &officer, step(id, "handle"), "{\"note\":\"现场劝解\"}", 200);
	post(env, &officer, step(id, "close"), "{\"disposal\":\"persuaded\"}", 200);
	answers(env, &chief, ov, v, "closed", 1);
	waits(env, &chief, ov, v);
	/* A follow-up of the closed call. */
	post(env, &officer, step(id, "followup"), "{\"reached\":true,\"satisfaction\":\"satisfied\"}",
	     200);
	answers(env, &chief, ov, v, "satisfaction_rate", 100);
	waits(env, &chief, ov, v);
	/* A shift begins (written straight into the store, as another server would). */
	CHECK_INT(figure_now(env, &chief, ov, "on_duty", v), 2);
	CHECK(api_on_shift(env, env->st_a, later));
	answers(env, &chief, ov, v, "on_duty", 3);
	waits(env, &chief, ov, v);
	api_env_free(env);
}

TEST(my_overview_wakes_when_i_am_dispatched)
{
	static const char *const shift[] = {"officer", "aux", NULL};
	struct api_env *env = api_env_new();
	struct api_client aux, officer;
	const char *mine = "/api/overview/mine";
	char v[64];
	struct api_resp r;
	int64_t id;

	CHECK(api_on_shift(env, env->st_a, shift));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK_INT(figure_now(env, &aux, mine, "my_open", v), 0);
	r = poll(env, &aux, mine, v);
	CHECK(r.waits);
	/* My calls may lie anywhere: any write may be one. */
	CHECK_STR(r.wait_scope, "/");
	api_resp_free(&r);
	id = call_in(env, &officer);
	/* A call nobody is sent to is not mine: it moves nothing of mine. */
	waits(env, &aux, mine, v);
	post(env, &officer, step(id, "dispatch"),
	     api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "aux")), 200);
	answers(env, &aux, mine, v, "my_open", 1);
	waits(env, &aux, mine, v);
	api_env_free(env);
}

TEST(another_unit_period_or_person_is_answered_at_once)
{
	struct api_env *env = api_env_new();
	struct api_client chief, officer;
	char today[64], week[64], mine[64];
	struct api_resp r;
	const char *const other[][2] = {
		{"/api/overview?period=week", today},
		{"/api/overview?period=today", week},
		{api_fmt("/api/overview?org_id=%lld", (long long)env->g_a1), today},
		{"/api/overview/mine", today},
		{"/api/overview", mine},
	};

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	figure_now(env, &chief, "/api/overview?period=today", "received", today);
	figure_now(env, &chief, "/api/overview?period=week", "received", week);
	figure_now(env, &chief, "/api/overview/mine", "my_open", mine);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		r = poll(env, &chief, other[i][0], other[i][1]);
		CHECK(!r.waits);
		check_status(r, 200);
		CHECK(api_get(r.json, "cards") != NULL);
		CHECK(api_str(r.json, "version") && strcmp(api_str(r.json, "version"), other[i][1]));
		api_resp_free(&r);
	}
	/* Another person's own overview. */
	r = poll(env, &officer, "/api/overview/mine", mine);
	CHECK(!r.waits);
	CHECK(api_get(r.json, "cards") != NULL);
	api_resp_free(&r);
	api_env_free(env);
}

/* A version's time: until the next call becomes overdue (or local midnight,
 * or the re-count at the latest); once it has passed, the answer comes at
 * once, with the figures counted again. */
TEST(time_that_may_change_a_figure_is_in_the_version)
{
	static const char *const shift[] = {"officer", NULL};
	struct api_env *env = api_env_new();
	struct api_client chief, officer;
	const char *ov = "/api/overview";
	char v[64], stale[64];
	int64_t id, due, since, until, now = fq_time_now_ms();
	unsigned long long stamp;
	struct api_resp r;

	CHECK(api_on_shift(env, env->st_a, shift));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	figure_now(env, &chief, ov, "late", v);
	CHECK(sscanf(v, "%16llx.%lld.%lld", &stamp, (long long *)&since, (long long *)&until) == 3);
	CHECK(until > now && until <= now + 2 * 60 * 1000 + 5000);
	id = call_in(env, &officer);
	post(env, &officer, step(id, "dispatch"),
	     api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer")), 200);
	due = api_count(env, api_fmt("SELECT dispatched_at - dispatched_at %% 1000 +"
				     " (target_minutes * 60 + 1) * 1000 FROM incidents WHERE id = %lld",
				     (long long)id));
	CHECK(due > now);
	figure_now(env, &chief, ov, "late", v);
	CHECK(sscanf(v, "%16llx.%lld.%lld", &stamp, (long long *)&since, (long long *)&until) == 3);
	/* Within the re-count: the version ends when the call becomes late. */
	if (due < since + 60 * 1000 + 2 * 60 * 1000)
		CHECK_INT(until, due);
	waits(env, &chief, ov, v);
	/* The same stamp with its time passed: answered, counted afresh. */
	snprintf(stale, sizeof(stale), "%016llx.%lld.%lld", stamp, (long long)since,
		 (long long)fq_time_now_ms() - 1);
	r = poll(env, &chief, ov, stale);
	CHECK(!r.waits);
	CHECK_INT(card_value(r.json, "received"), 1);
	api_resp_free(&r);
	/* A since further back than a version can have is counted afresh too
	 * (no client makes the stamp read the whole table). */
	snprintf(stale, sizeof(stale), "%016llx.%lld.%lld", stamp, 0LL, (long long)until);
	r = poll(env, &chief, ov, stale);
	CHECK(!r.waits);
	CHECK(api_get(r.json, "cards") != NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_bad_version_names_the_field)
{
	static const char *const bad[] = {
		"abc",
		"0123456789abcdeg.1.2",
		"0123456789ABCDEF.1.2",
		"0123456789abcdef.1",
		"0123456789abcdef.1.2.3",
		"0123456789abcdef.-1.2",
		"0123456789abcdef.1.2x",
		"0123456789abcdef.1.1234567890123456",
		"0123456789abcdef..2",
		"0123456789abcdef0.1.2",
		"0123456789abcdef.1.2%C3%A9",
		"0123456789abcdef.1234567890123.1234567890123.1234567890123456789012345678901",
	};
	struct api_env *env = api_env_new();
	struct api_client chief;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int mine = 0; mine < 2; mine++) {
			struct api_resp r = poll(env, &chief, mine ? "/api/overview/mine" : "/api/overview",
						 bad[i]);
			CHECK(!r.waits);
			if (r.status != 400)
				printf("# %s\n", bad[i]);
			check_error(r, 400, "bad_query", "version");
			api_resp_free(&r);
		}
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(each_write_the_page_shows_wakes_the_station_overview),
	TEST_ENTRY(my_overview_wakes_when_i_am_dispatched),
	TEST_ENTRY(another_unit_period_or_person_is_answered_at_once),
	TEST_ENTRY(time_that_may_change_a_figure_is_in_the_version),
	TEST_ENTRY(a_bad_version_names_the_field),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/overview_live", tests, (int)(sizeof(tests) / sizeof(tests[0])),
			    argc, argv);
}
