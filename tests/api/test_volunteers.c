/* Volunteer teams and volunteers (docs/api.md "Volunteers", DOMAIN §8):
 * validation by field, a minor only with a guardian's consent, masking and
 * the audited unmask, scope (a volunteer sees their own team only; an
 * officer of another station sees nothing), hours from patrols against the
 * raw rows, and a group patrol recorded by the leader. */
#include <gd.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"

#define PHONE "13812345678"
#define HOUR 3600000LL

/* An ISO 8601 UTC time of ms. */
static const char *iso(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char out[32];

	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return api_fmt("%s", out);
}

static int64_t now_ms(void)
{
	return (int64_t)time(NULL) * 1000;
}

/* A valid ID number of someone years old (born 1 January), seq making it unique. */
static const char *born_years_ago(int years, const char *seq)
{
	time_t t = time(NULL);
	struct tm tm;
	char date[9], out[19];

	gmtime_r(&t, &tm);
	snprintf(date, sizeof(date), "%04d0101", tm.tm_year + 1900 - years);
	api_id_number("110105", date, seq, out);
	return api_fmt("%s", out);
}

static int64_t new_team(struct api_env *env, struct api_client *c, const char *name, int64_t grid)
{
	struct api_resp r = api_callf(env, c, "POST", "/api/volunteer-teams",
	                              "{\"name\":\"%s\",\"kind\":\"guard\",\"grid_id\":%lld}", name,
	                              (long long)grid);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("team: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* A volunteer of team (0: none) aged 40; extra: more JSON fields after a comma. */
static int64_t new_volunteer(struct api_env *env, struct api_client *c, const char *name,
                             const char *seq, int64_t team, const char *extra)
{
	struct api_resp r = api_callf(env, c, "POST", "/api/volunteers",
	                              "{\"name\":\"%s\",\"id_number\":\"%s\",\"team_ids\":[%s]%s%s}",
	                              name, born_years_ago(40, seq),
	                              team ? api_fmt("%lld", (long long)team) : "",
	                              extra ? "," : "", extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("volunteer: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

TEST(fields_are_checked_and_named)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t team;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/volunteer-teams",
	              "{\"name\":\"红枫义警\",\"kind\":\"army\",\"grid_id\":%lld}", (long long)env->g_a1);
	check_error(r, 422, NULL, "kind");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteer-teams",
	              "{\"name\":\"红枫义警\",\"kind\":\"guard\",\"grid_id\":%lld}", (long long)env->st_a);
	check_error(r, 422, NULL, "grid_id");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteer-teams", "{\"kind\":\"guard\",\"grid_id\":%lld}",
	              (long long)env->g_a1);
	check_error(r, 422, NULL, "name");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteer-teams",
	              "{\"name\":\"红枫义警\",\"kind\":\"guard\",\"grid_id\":%lld,\"officer_id\":%lld}",
	              (long long)env->g_a1, (long long)api_user_id(env, "officer.b"));
	check_error(r, 422, NULL, "officer_id");
	api_resp_free(&r);
	team = new_team(env, &c, "红枫义警", env->g_a1);
	CHECK(team > 0);
	r = api_callf(env, &c, "POST", "/api/volunteer-teams",
	              "{\"name\":\"红枫义警\",\"kind\":\"guard\",\"grid_id\":%lld}", (long long)env->g_a2);
	check_error(r, 409, NULL, "name");
	api_resp_free(&r);

	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"110105194912310021\"}");
	check_error(r, 422, NULL, "id_number");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"phone\":\"12345\"}",
	              born_years_ago(40, "002"));
	check_error(r, 422, NULL, "phone");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"skills\":[\"a\",\"b\",\"c\",\"d\","
	              "\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}",
	              born_years_ago(40, "002"));
	check_error(r, 422, NULL, "skills");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"team_ids\":[999]}",
	              born_years_ago(40, "002"));
	check_error(r, 422, NULL, "team_ids");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"user_id\":%lld}",
	              born_years_ago(40, "002"), (long long)api_user_id(env, "officer"));
	check_error(r, 422, NULL, "user_id");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"shoe_size\":40}",
	              born_years_ago(40, "002"));
	CHECK(r.status == 422 || r.status == 400);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM volunteers"), 0);
	CHECK(new_volunteer(env, &c, "郑秀英", "002", team, NULL) > 0);
	r = api_callf(env, &c, "POST", "/api/volunteers", "{\"name\":\"别人\",\"id_number\":\"%s\"}",
	              born_years_ago(40, "002"));
	check_error(r, 409, NULL, "id_number");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_minor_needs_the_guardians_consent)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	const char *minor = born_years_ago(15, "013");
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/volunteers", "{\"name\":\"黄小军\",\"id_number\":\"%s\"}",
	              minor);
	check_error(r, 422, "consent_required", "guardian_name");
	CHECK(r.json && strstr(api_str(r.json, "error.message"), "18"));
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"黄小军\",\"id_number\":\"%s\",\"guardian_name\":\"黄丽\"}", minor);
	check_error(r, 422, "consent_required", "guardian_phone");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"黄小军\",\"id_number\":\"%s\",\"guardian_name\":\"黄丽\","
	              "\"guardian_phone\":\"13883010099\",\"guardian_relation\":\"mother\"}",
	              minor);
	check_error(r, 422, "consent_required", "consent_day");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM volunteers"), 0);
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"黄小军\",\"id_number\":\"%s\",\"guardian_name\":\"黄丽\","
	              "\"guardian_phone\":\"13883010099\",\"guardian_relation\":\"mother\","
	              "\"consent_day\":\"%.10s\"}",
	              minor, iso(now_ms() - 24 * HOUR));
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(api_bool(r.json, "minor"));
	CHECK_STR(api_str(r.json, "name"), "黄**");
	CHECK_STR(api_str(r.json, "guardian_name"), "黄*");
	CHECK_STR(api_str(r.json, "guardian_phone"), "138****0099");
	CHECK(json_is_null(api_get(r.json, "birth_date")));
	CHECK(!strstr(r.body, "黄小军") && !strstr(r.body, "13883010099"));
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT minor FROM volunteers WHERE id = %lld", (long long)id)),
	          1);
	/* The consent cannot be taken away while they are a minor. */
	r = api_callf(env, &c, "PATCH", api_fmt("/api/volunteers/%lld", (long long)id),
	              "{\"guardian_name\":null}");
	check_error(r, 422, "consent_required", "guardian_name");
	api_resp_free(&r);
	/* An adult needs none. */
	r = api_callf(env, &c, "POST", "/api/volunteers", "{\"name\":\"成年人\",\"id_number\":\"%s\"}",
	              born_years_ago(18, "015"));
	check_status(r, 201);
	CHECK(!api_bool(r.json, "minor"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(masked_unless_unmasked_and_the_unmask_is_audited)
{
	struct api_env *env = api_env_new();
	struct api_client c, aux;
	struct api_resp r;
	int64_t id;
	const char *number = born_years_ago(40, "022");

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_callf(env, &c, "POST", "/api/volunteers",
	              "{\"name\":\"郑秀英\",\"id_number\":\"%s\",\"phone\":\"" PHONE "\","
	              "\"skills\":[\"调解\"]}",
	              number);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(!strstr(r.body, number) && !strstr(r.body, PHONE));
	CHECK_STR(api_str(r.json, "phone"), "138****5678");
	CHECK_STR(api_str(r.json, "skills.0"), "调解");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM volunteers WHERE"
	                         " CAST(id_number_enc AS TEXT) LIKE '%12345678%'"
	                         " OR CAST(phone_enc AS TEXT) LIKE '%12345678%'"),
	          0);
	r = api_call(env, &aux, "GET", "/api/volunteers", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK(!strstr(r.body, number) && !strstr(r.body, PHONE));
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", api_fmt("/api/volunteers/%lld/unmask", (long long)id), NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(env, &c, "POST", api_fmt("/api/volunteers/%lld/unmask", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "id_number"), number);
	CHECK_STR(api_str(r.json, "phone"), PHONE);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "volunteer.unmask", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "object_type"), "volunteer");
		json_decref(e);
	}
	r = api_call(env, &c, "GET", "/api/volunteers/export?format=csv", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "138****5678") && !strstr(r.body, PHONE));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(scope_a_volunteer_sees_their_own_team_only)
{
	struct api_env *env = api_env_new();
	struct api_client c, b, v;
	struct api_resp r;
	int64_t mine, other, me, x, patrol;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	CHECK(api_login_enrolled(env, &v, "volunteer"));
	mine = new_team(env, &c, "红枫义警", env->g_a1);
	other = new_team(env, &c, "江东大妈", env->g_a2);
	me = new_volunteer(env, &c, "陈大勇", "013",  mine,
	                   api_fmt("\"user_id\":%lld", (long long)api_user_id(env, "volunteer")));
	x = new_volunteer(env, &c, "王桂兰", "024", other, NULL);
	CHECK(mine && other && me && x);

	/* Another station's officer sees neither the team nor the volunteer. */
	r = api_call(env, &b, "GET", api_fmt("/api/volunteer-teams/%lld", (long long)mine), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/volunteer-teams", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/volunteers/%lld", (long long)me), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_callf(env, &b, "POST", "/api/volunteer-teams",
	              "{\"name\":\"外所\",\"kind\":\"guard\",\"grid_id\":%lld}", (long long)env->g_a1);
	check_error(r, 422, NULL, "grid_id");
	api_resp_free(&r);
	/* The grid's page: teams of a unit's subtree with member counts. */
	r = api_call(env, &c, "GET", api_fmt("/api/volunteer-teams?org_id=%lld", (long long)env->g_a1),
	             NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.member_count"), 1);
	api_resp_free(&r);

	/* The volunteer: no staff lists, their own page with their team only. */
	r = api_call(env, &v, "GET", "/api/volunteer-teams", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/volunteers", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/patrols", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/volunteers/me", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "volunteer.id"), me);
	CHECK_INT(api_len(r.json, "teams"), 1);
	CHECK_INT(api_int(r.json, "teams.0.id"), mine);
	CHECK(!api_get(r.json, "teams.0.members.0.phone"));
	CHECK(json_is_null(api_get(r.json, "patrol")));
	api_resp_free(&r);
	/* Another team's patrol: not theirs to see or start. */
	r = api_callf(env, &c, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)other),
	              "{\"place\":\"菜市场\",\"volunteer_ids\":[%lld]}", (long long)x);
	check_status(r, 201);
	patrol = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_call(env, &v, "GET", api_fmt("/api/volunteer-patrols/%lld", (long long)patrol), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-patrols/%lld/checkins", (long long)patrol),
	              "{\"place\":\"菜市场\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)other),
	              "{\"place\":\"菜市场\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", api_fmt("/api/patrols/%lld", (long long)patrol), NULL);
	check_status(r, 403);
	api_resp_free(&r);
	/* A staff patrol is not the volunteers' to touch either. */
	r = api_callf(env, &v, "POST", "/api/patrols", "{\"place\":\"所里\"}");
	check_status(r, 403);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(hours_accrue_from_ended_patrols)
{
	struct api_env *env = api_env_new();
	struct api_client c, v;
	struct api_resp r;
	int64_t team, me, mate, patrol, t0 = now_ms() - 3 * HOUR;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &v, "volunteer"));
	team = new_team(env, &c, "红枫义警", env->g_a1);
	me = new_volunteer(env, &c, "陈大勇", "013", team,
	                   api_fmt("\"user_id\":%lld", (long long)api_user_id(env, "volunteer")));
	mate = new_volunteer(env, &c, "郑秀英", "042", team, NULL);
	CHECK(team && me && mate);

	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"双凤桥社区\",\"lat\":29.72,\"lng\":106.63}");
	check_status(r, 201);
	patrol = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "status"), "active");
	CHECK_INT(api_len(r.json, "volunteers"), 1);
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"双凤桥社区\"}");
	check_error(r, 409, "patrol_under_way", NULL);
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-patrols/%lld/checkins", (long long)patrol),
	              "{\"place\":\"双凤路口\",\"lat\":29.73}");
	check_error(r, 422, NULL, "lng");
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-patrols/%lld/checkins", (long long)patrol),
	              "{\"place\":\"双凤路口\",\"lat\":29.73,\"lng\":106.64,\"note\":\"路灯坏了\"}");
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "checkins"), 2);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/volunteers/me", NULL);
	CHECK_INT(api_int(r.json, "patrol.id"), patrol);
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-patrols/%lld/end", (long long)patrol),
	              "{\"findings\":\"电动车乱停，已劝导\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "ended");
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-patrols/%lld/end", (long long)patrol),
	              "{}");
	check_error(r, 409, "patrol_ended", NULL);
	api_resp_free(&r);
	/* Set known times (2 h 30 min) and a second patrol of 1 h with the
	 * mate, recorded by the officer; the hours are those of the rows. */
	CHECK(api_exec(env, api_fmt("UPDATE patrols SET started_at = %lld, ended_at = %lld WHERE id = %lld",
	                            (long long)t0, (long long)(t0 + 9000000), (long long)patrol)));
	r = api_callf(env, &c, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"双龙大道\",\"volunteer_ids\":[%lld,%lld],\"started_at\":\"%s\","
	              "\"ended_at\":\"%s\"}",
	              (long long)me, (long long)mate, iso(t0 - 2 * HOUR), iso(t0 - HOUR));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "status"), "ended");
	api_resp_free(&r);
	{
		int64_t raw_ms = api_count(env, api_fmt("SELECT sum(p.ended_at - p.started_at) FROM patrols p"
		                                        " JOIN patrol_volunteers pv ON pv.patrol_id = p.id"
		                                        " WHERE pv.volunteer_id = %lld AND p.status = 'ended'",
		                                        (long long)me));
		int64_t team_ms = api_count(env, api_fmt("SELECT sum(p.ended_at - p.started_at) FROM patrols p"
		                                         " JOIN patrol_volunteers pv ON pv.patrol_id = p.id"
		                                         " JOIN volunteer_patrols tp ON tp.patrol_id = p.id"
		                                         " WHERE tp.team_id = %lld", (long long)team));
		CHECK_INT(raw_ms, 9000000 + 3600000);
		CHECK_INT(team_ms, 9000000 + 2 * 3600000);
		r = api_call(env, &v, "GET", "/api/volunteers/me", NULL);
		check_status(r, 200);
		CHECK(json_is_null(api_get(r.json, "patrol")));
		CHECK_INT(api_int(r.json, "hours.year.patrols"), 2);
		CHECK(json_real_value(api_get(r.json, "hours.year.hours")) == 3.5);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", api_fmt("/api/volunteer-teams/%lld/hours", (long long)team), NULL);
		check_status(r, 200);
		CHECK_INT(api_int(r.json, "patrols"), 2);
		CHECK(json_real_value(api_get(r.json, "hours")) == 4.5);
		CHECK_INT(api_len(r.json, "volunteers"), 2);
		api_resp_free(&r);
		r = api_call(env, &c, "GET",
		             api_fmt("/api/volunteer-teams/%lld/hours?from=2026-05-02&to=2026-05-01",
		                     (long long)team), NULL);
		check_error(r, 400, "bad_query", "to");
		api_resp_free(&r);
		r = api_call(env, &c, "GET", api_fmt("/api/volunteers?team_id=%lld", (long long)team), NULL);
		check_status(r, 200);
		CHECK_INT(api_len(r.json, "items"), 2);
		/* by name: 郑 (mate) sorts after 陈 (me) by code point */
		for (size_t i = 0; i < 2; i++) {
			int64_t id = api_int(r.json, api_fmt("items.%zu.id", i));
			double want = id == me ? 3.5 : 1.0;
			CHECK(json_real_value(api_get(r.json, api_fmt("items.%zu.hours", i))) == want);
		}
		api_resp_free(&r);
	}
	{ /* the last end was the refused second one; the check-in's went through */
		json_t *e = api_audit_last(env, "volunteer_patrol.end", NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
		e = api_audit_last(env, "volunteer_patrol.checkin", NULL);
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "object_type"), "patrol");
		json_decref(e);
	}
	api_env_free(env);
}

TEST(the_leader_records_a_group_patrol)
{
	struct api_env *env = api_env_new();
	struct api_client c, v;
	struct api_resp r;
	int64_t team, me, a, b, t0 = now_ms() - 5 * HOUR;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &v, "volunteer"));
	team = new_team(env, &c, "义务巡逻队", env->g_a1);
	me = new_volunteer(env, &c, "赵德明", "035", team,
	                   api_fmt("\"user_id\":%lld", (long long)api_user_id(env, "volunteer")));
	a = new_volunteer(env, &c, "孙志强", "051", team, NULL);
	b = new_volunteer(env, &c, "周海燕", "062", team, NULL);
	CHECK(team && me && a && b);
	/* Not the leader yet: no group patrol. */
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"工业园区\",\"volunteer_ids\":[%lld]}", (long long)a);
	check_error(r, 403, NULL, "volunteer_ids");
	api_resp_free(&r);
	r = api_callf(env, &c, "PATCH", api_fmt("/api/volunteer-teams/%lld", (long long)team),
	              "{\"leader_id\":%lld,\"officer_id\":%lld,\"officer_phone\":\"13983001234\"}",
	              (long long)me, (long long)api_user_id(env, "officer"));
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "leader_id"), me);
	api_resp_free(&r);
	/* An officer names the volunteers. */
	r = api_callf(env, &c, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"工业园区\"}");
	check_error(r, 422, NULL, "volunteer_ids");
	api_resp_free(&r);
	/* The leader: a member of another team is refused, an end before the start too. */
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"工业园区\",\"volunteer_ids\":[%lld,999]}", (long long)a);
	check_error(r, 422, NULL, "volunteer_ids");
	api_resp_free(&r);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"工业园区\",\"volunteer_ids\":[%lld],\"started_at\":\"%s\","
	              "\"ended_at\":\"%s\"}",
	              (long long)a, iso(t0), iso(t0 - HOUR));
	check_error(r, 422, NULL, "ended_at");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM patrols"), 0);
	r = api_callf(env, &v, "POST", api_fmt("/api/volunteer-teams/%lld/patrols", (long long)team),
	              "{\"place\":\"工业园区\",\"volunteer_ids\":[%lld,%lld],\"started_at\":\"%s\","
	              "\"ended_at\":\"%s\",\"findings\":\"一切正常\"}",
	              (long long)a, (long long)b, iso(t0), iso(t0 + 2 * HOUR));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "status"), "ended");
	CHECK_INT(api_len(r.json, "volunteers"), 3);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/volunteer-teams/%lld/hours", (long long)team), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "patrols"), 1);
	CHECK(json_real_value(api_get(r.json, "hours")) == 6.0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/volunteers/%lld", (long long)a), NULL);
	check_status(r, 200);
	CHECK(json_real_value(api_get(r.json, "hours.year.hours")) == 2.0);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/volunteers/me", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "teams.0.officer_phone"), "13983001234");
	CHECK(api_bool(r.json, "teams.0.members.0.leader") || api_bool(r.json, "teams.0.members.1.leader") ||
	      api_bool(r.json, "teams.0.members.2.leader"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(trainings_and_the_account_link)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t a, b;

	CHECK(api_login_enrolled(env, &c, "officer"));
	a = new_volunteer(env, &c, "郑秀英", "042", 0,
	                  api_fmt("\"user_id\":%lld", (long long)api_user_id(env, "volunteer")));
	b = new_volunteer(env, &c, "刘建国", "031", 0, NULL);
	CHECK(a && b);
	r = api_callf(env, &c, "PATCH", api_fmt("/api/volunteers/%lld", (long long)b),
	              "{\"user_id\":%lld}", (long long)api_user_id(env, "volunteer"));
	check_error(r, 409, NULL, "user_id");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/volunteers/%lld/trainings", (long long)a),
	              "{\"course\":\"反诈宣传培训\",\"day\":\"2099-01-01\"}");
	check_error(r, 422, NULL, "day");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/volunteers/%lld/trainings", (long long)a),
	              "{\"course\":\"反诈宣传培训\",\"day\":\"2026-03-01\"}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "trainings.0.course"), "反诈宣传培训");
	CHECK_STR(api_str(r.json, "trainings.0.day"), "2026-03-01");
	api_resp_free(&r);
	r = api_callf(env, &c, "PATCH", api_fmt("/api/volunteers/%lld", (long long)a),
	              "{\"status\":\"left\",\"user_id\":null}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "left");
	CHECK(json_is_null(api_get(r.json, "user_id")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_consent_scan_is_an_attachment_of_the_volunteer)
{
	struct api_env *env = api_env_new();
	struct api_client c, aux, b;
	struct api_resp r;
	gdImagePtr im = gdImageCreateTrueColor(60, 40);
	int len = 0;
	void *png;
	int64_t id;

	gdImageFilledRectangle(im, 0, 0, 59, 39, gdTrueColor(200, 30, 30));
	png = gdImagePngPtr(im, &len);
	gdImageDestroy(im);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	id = new_volunteer(env, &c, "郑秀英", "042", 0, NULL);
	CHECK(id > 0);
	{
		struct api_raw raw = {.method = "POST",
		                      .target = api_fmt("/api/attachments?record_type=volunteer&record_id=%lld"
		                                        "&name=consent.png", (long long)id),
		                      .body = png, .body_len = (size_t)len,
		                      .content_type = "application/octet-stream"};
		r = api_call_raw(env, &aux, &raw);
		check_status(r, 403);
		api_resp_free(&r);
		r = api_call_raw(env, &b, &raw);
		check_status(r, 404);
		api_resp_free(&r);
		r = api_call_raw(env, &c, &raw);
		check_status(r, 201);
		CHECK_STR(api_str(r.json, "content_type"), "image/png");
		api_resp_free(&r);
	}
	r = api_call(env, &aux, "GET",
	             api_fmt("/api/attachments?record_type=volunteer&record_id=%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	gdFree(png);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(fields_are_checked_and_named),
    TEST_ENTRY(a_minor_needs_the_guardians_consent),
    TEST_ENTRY(masked_unless_unmasked_and_the_unmask_is_audited),
    TEST_ENTRY(scope_a_volunteer_sees_their_own_team_only),
    TEST_ENTRY(hours_accrue_from_ended_patrols),
    TEST_ENTRY(the_leader_records_a_group_patrol),
    TEST_ENTRY(trainings_and_the_account_link),
    TEST_ENTRY(a_consent_scan_is_an_attachment_of_the_volunteer),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/volunteers", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
