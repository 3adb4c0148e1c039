/* Duty (docs/api.md "Duty", DOMAIN §5): shifts against the 1+3+2 template,
 * the chief's override with a reason, no overlapping positions, data scope,
 * permissions, handovers with the open incidents filled in and both
 * signatures, patrols with check-in and check-out, the posture per hour, and
 * a named field for every bad input. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "http/app.h"
#include "store/store.h"

#define HOUR (3600 * 1000LL)

/* The staff of a full shift: 1 call-taker, 3 responders, 2 patrollers. */
struct crew {
	int64_t ct, rs[3], pt[2];
};

/* ISO 8601 of ms; valid until the 16th next call. */
static const char *iso(int64_t ms)
{
	static char bufs[16][32];
	static int next;
	char *b = bufs[next++ % 16];

	fq_time_format(ms, b, 32);
	return b;
}

/* Adds a member of staff (who never signs in) to org and returns the id. */
static int64_t add_user(struct api_env *env, const char *username, const char *role, int64_t org)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	         "INSERT INTO users (username, display_name, role, org_id, password_hash,"
	         " created_at, updated_at) VALUES ('%s', '%s', '%s', %lld, 'x', 0, 0)",
	         username, username, role, (long long)org);
	CHECK(api_exec(env, sql));
	snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE username = '%s'", username);
	return api_count(env, sql);
}

/* A crew of station A named with prefix (officers and aux). */
static struct crew add_crew(struct api_env *env, const char *prefix)
{
	struct crew w;

	w.ct = add_user(env, api_fmt("%s.ct", prefix), "aux", env->st_a);
	for (int i = 0; i < 3; i++)
		w.rs[i] = add_user(env, api_fmt("%s.rs%d", prefix, i + 1), i ? "aux" : "officer",
		                   env->beat_a);
	for (int i = 0; i < 2; i++)
		w.pt[i] = add_user(env, api_fmt("%s.pt%d", prefix, i + 1), "aux", env->g_a1);
	return w;
}

/* The positions JSON of the first call_takers, responders and patrollers of w. */
static const char *positions(const struct crew *w, int ct, int rs, int pt)
{
	char buf[1024];
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[");
	for (int i = 0; i < ct; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		                      "%s{\"position\":\"call_taker\",\"user_id\":%lld}", n > 1 ? "," : "",
		                      (long long)w->ct);
	for (int i = 0; i < rs; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		                      "%s{\"position\":\"responder\",\"user_id\":%lld}", n > 1 ? "," : "",
		                      (long long)w->rs[i]);
	for (int i = 0; i < pt; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		                      "%s{\"position\":\"patroller\",\"user_id\":%lld}", n > 1 ? "," : "",
		                      (long long)w->pt[i]);
	snprintf(buf + n, sizeof(buf) - n, "]");
	return api_fmt("%s", buf);
}

/* POST /api/shifts from start for hours, led by leader, with extra JSON
 * fields (starting with ',') or "". */
static struct api_resp post_shift(struct api_env *env, struct api_client *c, const char *name,
                                  int64_t start, int hours, int64_t leader, const char *pos,
                                  const char *extra)
{
	return api_callf(env, c, "POST", "/api/shifts",
	                 "{\"name\":\"%s\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,"
	                 "\"positions\":%s%s}",
	                 name, iso(start), iso(start + hours * HOUR), (long long)leader, pos, extra);
}

/* A full shift; returns its id. */
static int64_t full_shift(struct api_env *env, struct api_client *c, const char *name,
                          int64_t start, int hours, int64_t leader, const struct crew *w)
{
	struct api_resp r = post_shift(env, c, name, start, hours, leader, positions(w, 1, 3, 2), "");
	int64_t id = api_int(r.json, "id");

	check_status(r, 201);
	api_resp_free(&r);
	return id;
}

static int64_t count_shifts(struct api_env *env)
{
	return api_count(env, "SELECT count(*) FROM shifts");
}

static const char *message(struct api_resp *r)
{
	const char *m = api_str(r->json, "error.message");
	return m ? m : "";
}

/* ---- shifts and the template ---- */

TEST(officer_creates_a_full_shift)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = post_shift(env, &c, "白班", now - HOUR, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 3, 2), ",\"note\":\"雨天\"");
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(id > 0);
	CHECK_STR(api_str(r.json, "name"), "白班");
	CHECK_INT(api_int(r.json, "station_id"), env->st_a);
	CHECK_STR(api_str(r.json, "station_name"), "两路派出所");
	CHECK_INT(api_int(r.json, "leader_id"), api_user_id(env, "officer"));
	CHECK_INT(api_len(r.json, "positions"), 7);
	CHECK_STR(api_str(r.json, "positions.0.position"), "leader");
	CHECK_STR(api_str(r.json, "positions.1.position"), "call_taker");
	CHECK_INT(api_int(r.json, "template.call_taker"), 1);
	CHECK_INT(api_int(r.json, "template.responder"), 3);
	CHECK_INT(api_int(r.json, "template.patroller"), 2);
	CHECK_INT(api_int(r.json, "staffing.1.have"), 3);
	CHECK(!api_bool(r.json, "understaffed"));
	CHECK(api_bool(r.json, "running"));
	CHECK(json_is_null(api_get(r.json, "override_reason")));
	CHECK_STR(api_str(r.json, "note"), "雨天");
	CHECK(!api_get(r.json, "org_path"));
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "shift.create", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "object_type"), "shift");
		json_decref(e);
	}
	r = api_call(env, &c, "GET", api_fmt("/api/shifts/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "positions"), 7);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(understaffed_shift_is_refused_naming_what_is_missing)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = post_shift(env, &c, "夜班", fq_time_now_ms(), 12, api_user_id(env, "officer"),
	               positions(&w, 1, 2, 0), "");
	check_error(r, 422, "understaffed", "positions");
	CHECK(strstr(message(&r), "responder: 2 of 3"));
	CHECK(strstr(message(&r), "patroller: 0 of 2"));
	CHECK(!strstr(message(&r), "call_taker"));
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 0);
	{
		json_t *e = api_audit_last(env, "shift.create", NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	api_env_free(env);
}

TEST(only_a_chief_overrides_and_the_reason_is_kept)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	r = post_shift(env, &officer, "夜班", now, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 1, 1), ",\"override_reason\":\"两人病假\"");
	check_error(r, 403, "forbidden", "override_reason");
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 0);

	CHECK(api_login_enrolled(env, &chief, "chief"));
	/* A reason is text, not empty. */
	r = post_shift(env, &chief, "夜班", now, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 1, 1), ",\"override_reason\":\"  \"");
	check_error(r, 422, "required", "override_reason");
	api_resp_free(&r);
	/* Without a reason the chief is refused too. */
	r = post_shift(env, &chief, "夜班", now, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 1, 1), "");
	check_error(r, 422, "understaffed", "positions");
	api_resp_free(&r);
	r = post_shift(env, &chief, "夜班", now, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 1, 1), ",\"override_reason\":\"两人病假\"");
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(api_bool(r.json, "understaffed"));
	CHECK_STR(api_str(r.json, "override_reason"), "两人病假");
	CHECK_STR(api_str(r.json, "override_by_name"), "chief");
	CHECK(api_str(r.json, "override_at") != NULL);
	CHECK_STR(api_str(r.json, "missing"), "responder: 1 of 3; patroller: 1 of 2");
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "shift.create", api_fmt("%lld", (long long)id));
		CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), "两人病假"));
		json_decref(e);
	}
	/* Shown to everyone who reads the shift. */
	r = api_call(env, &officer, "GET", api_fmt("/api/shifts/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "override_reason"), "两人病假");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_user_cannot_hold_positions_in_overlapping_shifts)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew a = add_crew(env, "a"), b = add_crew(env, "b");
	struct api_resp r;
	int64_t start = fq_time_now_ms() + 2 * HOUR;
	struct crew mixed = b;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(full_shift(env, &c, "白班", start, 12, api_user_id(env, "officer"), &a) > 0);
	/* One responder of the day shift in an evening shift that overlaps it. */
	mixed.rs[1] = a.rs[1];
	r = post_shift(env, &c, "加班", start + 11 * HOUR, 4, api_user_id(env, "chief"),
	               positions(&mixed, 1, 3, 2), "");
	check_error(r, 409, "overlapping_shift", "positions");
	CHECK(strstr(message(&r), "a.rs2") && strstr(message(&r), "白班"));
	api_resp_free(&r);
	/* The leader counts too. */
	r = post_shift(env, &c, "加班", start + 11 * HOUR, 4, api_user_id(env, "officer"),
	               positions(&b, 1, 3, 2), "");
	check_error(r, 409, "overlapping_shift", "leader_id");
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 1);
	/* The next shift starting when the first ends does not overlap it. */
	CHECK(full_shift(env, &c, "夜班", start + 12 * HOUR, 12, api_user_id(env, "officer"), &a) > 0);
	CHECK_INT(count_shifts(env), 2);
	api_env_free(env);
}

TEST(positions_are_held_by_staff_of_the_station_once)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a"), bad;
	struct api_resp r;
	int64_t now = fq_time_now_ms();

	CHECK(api_login_enrolled(env, &c, "officer"));
	/* Twice in one shift. */
	bad = w;
	bad.rs[2] = w.rs[0];
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "officer"), positions(&bad, 1, 3, 2), "");
	check_error(r, 422, "duplicate", "positions");
	api_resp_free(&r);
	/* The leader cannot hold another position. */
	bad = w;
	bad.ct = api_user_id(env, "officer");
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "officer"), positions(&bad, 1, 3, 2), "");
	check_error(r, 422, "duplicate", "positions");
	api_resp_free(&r);
	/* Staff of station B. */
	bad = w;
	bad.pt[0] = api_user_id(env, "officer.b");
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "officer"), positions(&bad, 1, 3, 2), "");
	check_error(r, 422, "invalid", "positions");
	api_resp_free(&r);
	/* Not staff: a mediator. */
	bad = w;
	bad.pt[0] = api_user_id(env, "mediator");
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "officer"), positions(&bad, 1, 3, 2), "");
	check_error(r, 422, "wrong_role", "positions");
	api_resp_free(&r);
	/* An aux never leads a shift. */
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "aux"), positions(&w, 1, 3, 2), "");
	check_error(r, 422, "wrong_role", "leader_id");
	api_resp_free(&r);
	/* A disabled user. */
	CHECK(api_exec(env, api_fmt("UPDATE users SET disabled = 1 WHERE id = %lld", (long long)w.ct)));
	r = post_shift(env, &c, "白班", now, 12, api_user_id(env, "officer"), positions(&w, 1, 3, 2), "");
	check_error(r, 422, "invalid", "positions");
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 0);
	api_env_free(env);
}

TEST(bad_shift_inputs_name_the_field)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), leader;
	static const struct {
		const char *body, *field;
	} bad[] = {
	    {"{\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":%s}", "name"},
	    {"{\"name\":\"x\",\"start_at\":\"tomorrow\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":%s}", "start_at"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"2026-02-30T08:00:00Z\",\"leader_id\":%lld,\"positions\":%s}", "end_at"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":\"one\",\"positions\":%s}", "leader_id"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":{}}", "positions"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":[{\"position\":\"driver\",\"user_id\":1}]}", "positions[0].position"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":[{\"position\":\"responder\"}]}", "positions[0].user_id"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":%s,\"template\":{\"responder\":3}}", "template.call_taker"},
	    {"{\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,\"positions\":%s,\"colour\":\"red\"}", "colour"},
	};

	CHECK(api_login_enrolled(env, &c, "officer"));
	leader = api_user_id(env, "officer");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *pos = positions(&w, 1, 3, 2);
		const char *body;

		/* Fill the placeholders each body has, in order. */
		switch (i) {
		case 0: body = api_fmt(bad[i].body, iso(now), iso(now + HOUR), (long long)leader, pos); break;
		case 1: case 2: body = api_fmt(bad[i].body, iso(now), (long long)leader, pos); break;
		case 3: body = api_fmt(bad[i].body, iso(now), iso(now + HOUR), pos); break;
		case 4: case 5: case 6: body = api_fmt(bad[i].body, iso(now), iso(now + HOUR), (long long)leader); break;
		default: body = api_fmt(bad[i].body, iso(now), iso(now + HOUR), (long long)leader, pos); break;
		}
		r = api_call(env, &c, "POST", "/api/shifts", body);
		if (!check_error(r, 422, NULL, bad[i].field))
			fprintf(stderr, "  body %zu: %s\n", i, body);
		api_resp_free(&r);
	}
	/* The end before the start, and a shift of three days. */
	r = post_shift(env, &c, "x", now, 0, leader, positions(&w, 1, 3, 2), "");
	check_error(r, 422, "invalid", "end_at");
	api_resp_free(&r);
	r = post_shift(env, &c, "x", now, 72, leader, positions(&w, 1, 3, 2), "");
	check_error(r, 422, "invalid", "end_at");
	api_resp_free(&r);
	/* A unit outside the caller's area. */
	r = api_callf(env, &c, "POST", "/api/shifts",
	              "{\"station_id\":%lld,\"name\":\"x\",\"start_at\":\"%s\",\"end_at\":\"%s\","
	              "\"leader_id\":%lld,\"positions\":%s}",
	              (long long)env->st_b, iso(now), iso(now + HOUR), (long long)leader,
	              positions(&w, 1, 3, 2));
	check_error(r, 422, "invalid", "station_id");
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 0);
	api_env_free(env);
}

TEST(a_lower_template_is_the_chiefs_decision)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms();

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	r = api_call(env, &officer, "GET", "/api/duty/template", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "station_id"), env->st_a);
	CHECK_INT(api_int(r.json, "responder"), 3);
	CHECK(json_is_null(api_get(r.json, "source_id")));
	api_resp_free(&r);
	/* A shift's own template below the station's. */
	r = post_shift(env, &officer, "小班", now, 8, api_user_id(env, "officer"), positions(&w, 1, 2, 1),
	               ",\"template\":{\"call_taker\":1,\"responder\":2,\"patroller\":1}");
	check_error(r, 403, "forbidden", "template");
	api_resp_free(&r);
	/* Above it is anyone's. */
	r = post_shift(env, &officer, "大班", now, 8, api_user_id(env, "officer"), positions(&w, 1, 3, 2),
	               ",\"template\":{\"call_taker\":1,\"responder\":3,\"patroller\":3}");
	check_error(r, 422, "understaffed", "positions");
	CHECK(strstr(message(&r), "patroller: 2 of 3"));
	api_resp_free(&r);
	/* The station's template: duty.override. */
	r = api_call(env, &officer, "PUT", "/api/duty/template",
	             "{\"call_taker\":1,\"responder\":2,\"patroller\":1}");
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(env, &chief, "PUT", "/api/duty/template",
	             "{\"call_taker\":1,\"responder\":2,\"patroller\":1}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "source_id"), env->st_a);
	CHECK_INT(api_int(r.json, "responder"), 2);
	api_resp_free(&r);
	r = api_call(env, &chief, "PUT", "/api/duty/template", "{\"call_taker\":1,\"responder\":21,\"patroller\":1}");
	check_error(r, 422, "out_of_range", "responder");
	api_resp_free(&r);
	/* Now 1+2+1 is a full shift, also for a unit below the station. */
	r = post_shift(env, &officer, "小班", now, 8, api_user_id(env, "officer"), positions(&w, 1, 2, 1), "");
	check_status(r, 201);
	CHECK(!api_bool(r.json, "understaffed"));
	CHECK_INT(api_int(r.json, "template.responder"), 2);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", api_fmt("/api/duty/template?station_id=%lld", (long long)env->beat_a), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "source_id"), env->st_a);
	CHECK_INT(api_int(r.json, "patroller"), 1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(changing_a_running_shift_follows_the_same_rules)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct crew w = add_crew(env, "a"), b = add_crew(env, "b");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id, other;
	const char *path;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	id = full_shift(env, &officer, "白班", now - 2 * HOUR, 12, api_user_id(env, "officer"), &w);
	other = full_shift(env, &officer, "夜班", now + 10 * HOUR, 12, api_user_id(env, "chief"), &b);
	path = api_fmt("/api/shifts/%lld", (long long)id);
	r = api_callf(env, &officer, "PATCH", path, "{\"positions\":%s}", positions(&w, 1, 2, 2));
	check_error(r, 422, "understaffed", "positions");
	CHECK(strstr(message(&r), "responder: 2 of 3"));
	api_resp_free(&r);
	r = api_callf(env, &officer, "PATCH", path,
	              "{\"positions\":%s,\"override_reason\":\"一人受伤\"}", positions(&w, 1, 2, 2));
	check_error(r, 403, "forbidden", "override_reason");
	api_resp_free(&r);
	r = api_callf(env, &chief, "PATCH", path,
	              "{\"positions\":%s,\"override_reason\":\"一人受伤\"}", positions(&w, 1, 2, 2));
	check_status(r, 200);
	CHECK(api_bool(r.json, "understaffed"));
	CHECK_STR(api_str(r.json, "override_reason"), "一人受伤");
	CHECK_INT(api_len(r.json, "positions"), 6);
	api_resp_free(&r);
	/* The name alone changes without a new decision. */
	r = api_call(env, &officer, "PATCH", path, "{\"name\":\"白班（改）\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "name"), "白班（改）");
	CHECK_STR(api_str(r.json, "override_reason"), "一人受伤");
	api_resp_free(&r);
	/* Longer hours that run into the night shift. */
	r = api_callf(env, &officer, "PATCH", path, "{\"end_at\":\"%s\"}", iso(now + 11 * HOUR));
	check_status(r, 200); /* the night shift's people are others */
	api_resp_free(&r);
	/* Now someone of the night shift cannot come in: the times overlap. */
	r = api_callf(env, &officer, "PATCH", path,
	              "{\"positions\":[{\"position\":\"call_taker\",\"user_id\":%lld},"
	              "{\"position\":\"responder\",\"user_id\":%lld},{\"position\":\"responder\",\"user_id\":%lld},"
	              "{\"position\":\"responder\",\"user_id\":%lld},{\"position\":\"patroller\",\"user_id\":%lld},"
	              "{\"position\":\"patroller\",\"user_id\":%lld}]}",
	              (long long)w.ct, (long long)w.rs[0], (long long)w.rs[1], (long long)b.rs[2],
	              (long long)w.pt[0], (long long)w.pt[1]);
	check_error(r, 409, "overlapping_shift", "positions");
	api_resp_free(&r);
	r = api_callf(env, &officer, "PATCH", api_fmt("/api/shifts/%lld", (long long)other),
	              "{\"leader_id\":%lld}", (long long)api_user_id(env, "officer"));
	check_error(r, 409, "overlapping_shift", "leader_id");
	api_resp_free(&r);
	/* Full again: the override goes. */
	r = api_callf(env, &officer, "PATCH", path, "{\"positions\":%s}", positions(&w, 1, 3, 2));
	check_status(r, 200);
	CHECK(!api_bool(r.json, "understaffed"));
	CHECK(json_is_null(api_get(r.json, "override_reason")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_shift_that_has_ended_stays_as_it_was)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = full_shift(env, &c, "昨日白班", fq_time_now_ms() - 30 * HOUR, 12,
	                api_user_id(env, "officer"), &w);
	r = api_call(env, &c, "PATCH", api_fmt("/api/shifts/%lld", (long long)id), "{\"name\":\"改\"}");
	check_error(r, 409, "shift_over", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(scope_and_permissions_of_shifts)
{
	struct api_env *env = api_env_new();
	struct api_client officer, b, aux, volunteer;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id;
	const char *day;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	id = full_shift(env, &officer, "白班", now - HOUR, 12, api_user_id(env, "officer"), &w);
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	r = api_call(env, &b, "GET", api_fmt("/api/shifts/%lld", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "PATCH", api_fmt("/api/shifts/%lld", (long long)id), "{\"name\":\"x\"}");
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	day = api_fmt("%.10s", iso(now - HOUR + 8 * HOUR));
	r = api_call(env, &b, "GET", api_fmt("/api/shifts?from=%s&to=%s", day, day), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/shifts?station_id=%lld", (long long)env->st_a), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/shifts/current", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "shifts"), 0);
	CHECK_INT(api_len(r.json, "staff"), 0);
	api_resp_free(&r);
	/* The staff pickers: staff of the caller's area only. */
	r = api_call(env, &officer, "GET", "/api/duty/staff?q=a.rs", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 3);
	CHECK_STR(api_str(r.json, "items.0.role"), "officer");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/duty/staff?per_page=100", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 10); /* chief, officer, aux, newbie and 6 of the crew */
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/duty/staff?station_id=%lld", (long long)env->st_a), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	/* An aux reads the roster but does not make it. */
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_call(env, &aux, "GET", api_fmt("/api/shifts?from=%s&to=%s", day, day), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = post_shift(env, &aux, "白班", now + 20 * HOUR, 12, api_user_id(env, "officer"),
	               positions(&w, 1, 3, 2), "");
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	r = api_call(env, &aux, "PATCH", api_fmt("/api/shifts/%lld", (long long)id), "{\"name\":\"x\"}");
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	/* Roles without duty.read. */
	CHECK(api_login_enrolled(env, &volunteer, "volunteer"));
	r = api_call(env, &volunteer, "GET", "/api/shifts", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK_INT(count_shifts(env), 1);
	api_env_free(env);
}

TEST(a_position_holder_above_their_area_sees_their_shift)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id;

	/* The aux works at a grid: the station is above their area. */
	CHECK(api_exec(env, api_fmt("UPDATE users SET org_id = %lld WHERE username = 'aux'",
	                            (long long)env->g_a2)));
	w.pt[1] = api_user_id(env, "aux");
	CHECK(api_login_enrolled(env, &officer, "officer"));
	id = full_shift(env, &officer, "白班", now - HOUR, 12, api_user_id(env, "officer"), &w);
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_call(env, &aux, "GET", api_fmt("/api/shifts/%lld", (long long)id), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &aux, "GET", "/api/shifts/current", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "station_id"), env->st_a);
	CHECK_INT(api_len(r.json, "shifts"), 1);
	CHECK_INT(api_len(r.json, "staff"), 7);
	api_resp_free(&r);
	/* Reading, not changing. */
	r = api_call(env, &officer, "GET", api_fmt("/api/shifts/%lld", (long long)id), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

/* fq_duty_on_shift and fq_duty_current_staff, as the dispatch calls them. */
TEST(dispatch_sees_who_is_on_shift_now)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct fq_principal who = {.user_id = 1, .role = "chief", .org_path = "/", .whole_tree = true};
	struct fq_error e = {0};
	struct fq_ctx ctx = {0};
	struct api_resp r;
	int64_t now = fq_time_now_ms();
	json_t *staff;
	bool on = true;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(full_shift(env, &c, "白班", now - HOUR, 12, api_user_id(env, "officer"), &w) > 0);
	r = api_call(env, &c, "GET", "/api/shifts/current", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "shifts"), 1);
	CHECK_INT(api_len(r.json, "staff"), 7);
	CHECK_STR(api_str(r.json, "staff.0.position"), "leader");
	CHECK(api_str(r.json, "posture.mode") != NULL);
	api_resp_free(&r);

	ctx.db = fq_store_db(env->app->store, &e);
	ctx.keys = env->app->keys;
	ctx.who = &who;
	ctx.arena = fq_arena_new();
	ctx.e = &e;
	ctx.cfg = &env->app->cfg;
	CHECK(ctx.db && !fq_db_begin(ctx.db, false));
	CHECK(!fq_duty_on_shift(&ctx, w.rs[2], now, &on) && on);
	CHECK(!fq_duty_on_shift(&ctx, w.rs[2], now + 12 * HOUR, &on) && !on);
	CHECK(!fq_duty_on_shift(&ctx, api_user_id(env, "aux"), now, &on) && !on);
	staff = fq_duty_current_staff(&ctx, env->st_a, now);
	CHECK_INT(json_array_size(staff), 7);
	CHECK_STR(api_str(staff, "1.position"), "call_taker");
	CHECK_INT(api_int(staff, "1.user_id"), w.ct);
	CHECK_STR(api_str(staff, "1.display_name"), "a.ct");
	CHECK_STR(api_str(staff, "1.role"), "aux");
	CHECK(api_int(staff, "1.shift_id") > 0);
	json_decref(staff);
	staff = fq_duty_current_staff(&ctx, env->st_b, now);
	CHECK_INT(json_array_size(staff), 0);
	json_decref(staff);
	fq_db_rollback(ctx.db);
	fq_arena_free(ctx.arena);
	api_env_free(env);
}

TEST(shift_list_by_date_range)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t start = fq_time_now_ms() + 48 * HOUR;
	const char *day;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(full_shift(env, &c, "白班", start, 12, api_user_id(env, "officer"), &w) > 0);
	day = api_fmt("%.10s", iso(start + 8 * HOUR)); /* the local (UTC+8) date */
	r = api_call(env, &c, "GET", api_fmt("/api/shifts?from=%s&to=%s", day, day), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.date"), day);
	CHECK(!api_bool(r.json, "has_more"));
	api_resp_free(&r);
	/* The default is the week from today. */
	r = api_call(env, &c, "GET", "/api/shifts", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/shifts?from=2026-13-01", NULL);
	check_error(r, 400, "bad_query", "from");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/shifts?from=2026-01-01&to=2026-06-01", NULL);
	check_error(r, 400, "bad_query", "to");
	api_resp_free(&r);
	api_env_free(env);
}

/* ---- handovers ---- */

static void add_incident(struct api_env *env, const char *number, const char *status,
                         int64_t org, const char *path)
{
	int64_t now = fq_time_now_ms();

	CHECK(api_exec(env, api_fmt("INSERT INTO incidents (number, station_id, org_id, org_path,"
	                            " received_at, day, hour, channel, area_type, category, narrative,"
	                            " status, created_at, updated_at) VALUES ('%s', %lld, %lld, '%s',"
	                            " %lld, 20260101, 9, 'phone', 'urban', 'dispute', '邻居噪音扰民',"
	                            " '%s', %lld, %lld)",
	                            number, (long long)org, (long long)org, path, (long long)now,
	                            status, (long long)now, (long long)now)));
}

static const char *org_path(struct api_env *env, int64_t id)
{
	static char out[4][64];
	static int next;
	char *p = out[next++ % 4];
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);
	struct fq_stmt *st;

	p[0] = '\0';
	if (db && !fq_db_query(db, &st, "SELECT path FROM org_units WHERE id = ?1", "i", id)) {
		if (fq_stmt_next(st) == 1)
			snprintf(p, 64, "%s", fq_stmt_text(st, 0));
		fq_stmt_done(st);
	}
	return p;
}

TEST(handover_fills_open_items_and_is_signed_by_both_leaders)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief, other, aux;
	struct crew a = add_crew(env, "a"), b = add_crew(env, "b");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), day, night, id;
	const char *sign;

	add_incident(env, "LL-2026-000001", "on_scene", env->g_a1, org_path(env, env->g_a1));
	add_incident(env, "LL-2026-000002", "closed", env->g_a1, org_path(env, env->g_a1));
	add_incident(env, "LL-2026-000003", "reviewed", env->st_a, org_path(env, env->st_a));
	add_incident(env, "HX-2026-000001", "received", env->st_b, org_path(env, env->st_b));
	CHECK(api_exec(env, api_fmt("INSERT INTO disputes (number, station_id, org_id, org_path, facts,"
	                            " status, created_at, updated_at) VALUES ('LL-TJ-2026-000001', %lld,"
	                            " %lld, '%s', '借款纠纷', 'mediating', 1, 1)",
	                            (long long)env->st_a, (long long)env->st_a,
	                            org_path(env, env->st_a))));
	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	day = full_shift(env, &officer, "白班", now - 11 * HOUR, 12, api_user_id(env, "officer"), &a);
	night = full_shift(env, &officer, "夜班", now + HOUR, 12, api_user_id(env, "chief"), &b);

	r = api_call(env, &officer, "GET", "/api/handovers/open-items", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_callf(env, &officer, "POST", "/api/handovers",
	              "{\"from_shift_id\":%lld,\"to_shift_id\":%lld,\"place\":\"值班室\","
	              "\"notes\":\"夜间注意双龙大道施工\",\"equipment\":[{\"item\":\"执法记录仪\","
	              "\"status\":\"ok\"},{\"item\":\"对讲机\",\"status\":\"damaged\",\"note\":\"3号电池坏\"}]}",
	              (long long)day, (long long)night);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "status"), "open");
	CHECK_INT(api_int(r.json, "outgoing_leader_id"), api_user_id(env, "officer"));
	CHECK_INT(api_int(r.json, "incoming_leader_id"), api_user_id(env, "chief"));
	CHECK_STR(api_str(r.json, "from_shift_name"), "白班");
	CHECK_STR(api_str(r.json, "to_shift_name"), "夜班");
	CHECK_STR(api_str(r.json, "place"), "值班室");
	CHECK_INT(api_len(r.json, "equipment"), 2);
	CHECK_STR(api_str(r.json, "equipment.1.status"), "damaged");
	CHECK_STR(api_str(r.json, "equipment.1.note"), "3号电池坏");
	CHECK_INT(api_len(r.json, "open_items"), 2);
	CHECK_STR(api_str(r.json, "open_items.0.kind"), "incident");
	CHECK_STR(api_str(r.json, "open_items.0.number"), "LL-2026-000001");
	CHECK_STR(api_str(r.json, "open_items.0.status"), "on_scene");
	CHECK_STR(api_str(r.json, "open_items.0.summary"), "邻居噪音扰民");
	CHECK_STR(api_str(r.json, "open_items.1.kind"), "dispute");
	CHECK_STR(api_str(r.json, "can_sign"), "outgoing");
	CHECK(!api_bool(r.json, "locked"));
	api_resp_free(&r);
	/* A snapshot: closing the incident later does not change the handover. */
	CHECK(api_exec(env, "UPDATE incidents SET status = 'closed' WHERE number = 'LL-2026-000001'"));
	sign = api_fmt("/api/handovers/%lld/sign", (long long)id);
	/* The incoming leader accepts only after the outgoing one signed. */
	r = api_call(env, &chief, "POST", sign, NULL);
	check_error(r, 409, "out_of_turn", NULL);
	api_resp_free(&r);
	/* Nobody else signs: another station does not even see it; an aux has
	 * no duty.write; an officer of the station is not one of the leaders. */
	CHECK(api_login_enrolled(env, &other, "officer.b"));
	r = api_call(env, &other, "GET", api_fmt("/api/handovers/%lld", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &other, "POST", sign, NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_call(env, &aux, "POST", sign, NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK(api_exec(env, api_fmt("UPDATE users SET org_id = %lld WHERE username = 'officer.b'",
	                            (long long)env->st_a)));
	r = api_call(env, &other, "POST", sign, NULL);
	check_error(r, 403, "not_a_leader", NULL);
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", sign, "{\"note\":\"x\"}");
	check_error(r, 422, "invalid", "note");
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", sign, NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "outgoing_signed");
	CHECK(api_str(r.json, "outgoing_signed_at") != NULL);
	CHECK(json_is_null(api_get(r.json, "can_sign")));
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", sign, NULL);
	check_error(r, 409, "signed_already", NULL);
	api_resp_free(&r);
	r = api_call(env, &chief, "GET", api_fmt("/api/handovers/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "can_sign"), "incoming");
	api_resp_free(&r);
	r = api_call(env, &chief, "POST", sign, "{\"note\":\"已接收，对讲机待修\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "locked");
	CHECK(api_bool(r.json, "locked"));
	CHECK_STR(api_str(r.json, "incoming_note"), "已接收，对讲机待修");
	CHECK(api_str(r.json, "incoming_signed_at") != NULL);
	CHECK_INT(api_len(r.json, "open_items"), 2);
	CHECK_STR(api_str(r.json, "open_items.0.status"), "on_scene");
	api_resp_free(&r);
	r = api_call(env, &chief, "POST", sign, NULL);
	check_error(r, 409, "locked", NULL);
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", sign, NULL);
	check_error(r, 409, "locked", NULL);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "handover.sign", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "failure");
		CHECK_STR(api_str(e, "username"), "officer");
		json_decref(e);
	}
	r = api_call(env, &officer, "GET", "/api/handovers?status=locked", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK(!api_get(r.json, "items.0.open_items"));
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/handovers?status=open", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bad_handover_inputs_name_the_field)
{
	struct api_env *env = api_env_new();
	struct api_client c, b;
	struct crew a = add_crew(env, "a");
	struct api_resp r;
	int64_t officer, chief, shift;
	static const struct {
		const char *body, *field, *code;
	} bad[] = {
	    {"{\"incoming_leader_id\":%2$lld}", "outgoing_leader_id", "required"},
	    {"{\"outgoing_leader_id\":%1$lld}", "incoming_leader_id", "required"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%1$lld}", "incoming_leader_id", "invalid"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"equipment\":[{\"item\":\"手电\",\"status\":\"broken\"}]}", "equipment[0].status", "not_allowed"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"equipment\":[{\"status\":\"ok\"}]}", "equipment[0].item", "required"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"equipment\":\"all fine\"}", "equipment", "wrong_type"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"handover_at\":\"now\"}", "handover_at", "bad_time"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"to_shift_id\":999999}", "to_shift_id", "invalid"},
	    {"{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%2$lld,\"weather\":\"rain\"}", "weather", "unknown_field"},
	};

	CHECK(api_login_enrolled(env, &c, "officer"));
	officer = api_user_id(env, "officer");
	chief = api_user_id(env, "chief");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_callf(env, &c, "POST", "/api/handovers", bad[i].body, (long long)officer,
		              (long long)chief);
		if (!check_error(r, 422, bad[i].code, bad[i].field))
			fprintf(stderr, "  body %zu\n", i);
		api_resp_free(&r);
	}
	/* Leaders are officers or chiefs of the station. */
	r = api_callf(env, &c, "POST", "/api/handovers",
	              "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}", (long long)officer,
	              (long long)api_user_id(env, "aux"));
	check_error(r, 422, "wrong_role", "incoming_leader_id");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/handovers",
	              "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}", (long long)officer,
	              (long long)api_user_id(env, "officer.b"));
	check_error(r, 422, "invalid", "incoming_leader_id");
	api_resp_free(&r);
	/* A shift of another station. */
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	shift = full_shift(env, &c, "白班", fq_time_now_ms(), 12, officer, &a);
	r = api_callf(env, &b, "POST", "/api/handovers", "{\"from_shift_id\":%lld}", (long long)shift);
	check_error(r, 422, "invalid", "from_shift_id");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", "/api/handovers", "{\"from_shift_id\":%lld,\"to_shift_id\":%lld}",
	              (long long)shift, (long long)shift);
	check_error(r, 422, "invalid", "to_shift_id");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM handovers"), 0);
	api_env_free(env);
}

/* ---- patrols ---- */

TEST(aux_starts_checks_in_and_ends_a_patrol)
{
	struct api_env *env = api_env_new();
	struct api_client aux, officer;
	struct api_resp r;
	int64_t id, addr;
	const char *path;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	addr = api_new_address(env, &officer, env->g_a1, "双龙大道", "18号");
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_call(env, &aux, "POST", "/api/patrols",
	             "{\"route\":\"双龙大道—双凤路\",\"checkpoints\":[\"双龙大道18号\",\"双凤路口\"],"
	             "\"place\":\"派出所门口\"}");
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "status"), "active");
	CHECK_INT(api_len(r.json, "members"), 1);
	CHECK_INT(api_int(r.json, "members.0.user_id"), api_user_id(env, "aux"));
	CHECK_INT(api_len(r.json, "checkpoints"), 2);
	CHECK_STR(api_str(r.json, "checkpoints.1"), "双凤路口");
	CHECK_INT(api_len(r.json, "checkins"), 1);
	CHECK_STR(api_str(r.json, "checkins.0.kind"), "start");
	CHECK_STR(api_str(r.json, "checkins.0.place"), "派出所门口");
	api_resp_free(&r);
	path = api_fmt("/api/patrols/%lld/checkins", (long long)id);
	r = api_callf(env, &aux, "POST", path,
	              "{\"place\":\"双龙大道18号\",\"address_id\":%lld,\"lat\":29.72,\"lng\":106.63,"
	              "\"note\":\"路灯不亮\"}",
	              (long long)addr);
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "checkins"), 2);
	CHECK_STR(api_str(r.json, "checkins.1.kind"), "checkpoint");
	CHECK_STR(api_str(r.json, "checkins.1.user_name"), "aux");
	CHECK_INT(api_int(r.json, "checkins.1.address_id"), addr);
	CHECK(api_str(r.json, "checkins.1.address_text") != NULL);
	CHECK(json_real_value(api_get(r.json, "checkins.1.lat")) > 29.7);
	CHECK_STR(api_str(r.json, "checkins.1.note"), "路灯不亮");
	CHECK(api_str(r.json, "checkins.1.checked_at") != NULL);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "patrol.checkin", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		json_decref(e);
	}
	/* Bad check-ins. */
	r = api_call(env, &aux, "POST", path, "{\"place\":\"双凤路口\",\"lat\":29.7}");
	check_error(r, 422, "invalid", "lng");
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", path, "{\"note\":\"无\"}");
	check_error(r, 422, "required", "place");
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", path, "{\"place\":\"双凤路口\",\"lat\":95,\"lng\":106}");
	check_error(r, 422, "out_of_range", "lat");
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", path, "{\"place\":\"双凤路口\",\"address_id\":999999}");
	check_error(r, 422, "invalid", "address_id");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM patrol_checkins"), 2);
	/* Check-out. */
	r = api_call(env, &aux, "POST", api_fmt("/api/patrols/%lld/end", (long long)id),
	             "{\"place\":\"派出所\",\"findings\":\"双龙大道18号路灯不亮，已报市政\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "ended");
	CHECK(api_str(r.json, "ended_at") != NULL);
	CHECK_STR(api_str(r.json, "findings"), "双龙大道18号路灯不亮，已报市政");
	CHECK_INT(api_len(r.json, "checkins"), 3);
	CHECK_STR(api_str(r.json, "checkins.2.kind"), "end");
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", path, "{\"place\":\"双凤路口\"}");
	check_error(r, 409, "patrol_ended", NULL);
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", api_fmt("/api/patrols/%lld/end", (long long)id), NULL);
	check_error(r, 409, "patrol_ended", NULL);
	api_resp_free(&r);
	/* Lists. */
	r = api_call(env, &officer, "GET", "/api/patrols?status=ended", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.checkin_count"), 3);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/patrols?status=active", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/patrols?status=lost", NULL);
	check_error(r, 400, "bad_query", "status");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(patrol_scope_and_permissions)
{
	struct api_env *env = api_env_new();
	struct api_client officer, b, volunteer;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	r = api_callf(env, &officer, "POST", "/api/patrols",
	              "{\"team\":\"巡逻一组\",\"member_ids\":[%lld,%lld]}",
	              (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "aux"));
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "team"), "巡逻一组");
	CHECK_INT(api_len(r.json, "members"), 2);
	CHECK_INT(api_len(r.json, "checkins"), 0);
	api_resp_free(&r);
	/* Members are staff of the unit, each once. */
	r = api_callf(env, &officer, "POST", "/api/patrols", "{\"member_ids\":[%lld]}",
	              (long long)api_user_id(env, "officer.b"));
	check_error(r, 422, "invalid", "member_ids");
	api_resp_free(&r);
	r = api_callf(env, &officer, "POST", "/api/patrols", "{\"member_ids\":[%lld,%lld]}",
	              (long long)api_user_id(env, "aux"), (long long)api_user_id(env, "aux"));
	check_error(r, 422, "duplicate", "member_ids[1]");
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", "/api/patrols", "{\"checkpoints\":[\"\"]}");
	check_error(r, 422, "required", "checkpoints[0]");
	api_resp_free(&r);
	/* Another station neither sees nor checks in. */
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	r = api_call(env, &b, "GET", api_fmt("/api/patrols/%lld", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "POST", api_fmt("/api/patrols/%lld/checkins", (long long)id),
	             "{\"place\":\"回兴\"}");
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/patrols", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* A volunteer has no patrol.write here. */
	CHECK(api_login_enrolled(env, &volunteer, "volunteer"));
	r = api_call(env, &volunteer, "POST", api_fmt("/api/patrols/%lld/checkins", (long long)id),
	             "{\"place\":\"双龙\"}");
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM patrols"), 1);
	api_env_free(env);
}

/* ---- posture ---- */

TEST(posture_per_hour_defaults_and_edits)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	char hours[512];
	size_t n = 0;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	r = api_call(env, &officer, "GET", "/api/duty/posture", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "hours"), 24);
	for (int h = 0; h < 24; h++)
		CHECK_STR(api_str(r.json, api_fmt("hours.%d.mode", h)),
		          h == 7 || h == 8 || h == 17 || h == 18 ? "post" : "line_patrol");
	CHECK(json_is_null(api_get(r.json, "source_id")));
	CHECK(api_str(r.json, "mode") != NULL);
	api_resp_free(&r);
	n += (size_t)snprintf(hours + n, sizeof(hours) - n, "[");
	for (int h = 0; h < 24; h++)
		n += (size_t)snprintf(hours + n, sizeof(hours) - n, "%s\"%s\"", h ? "," : "",
		                      h >= 6 && h <= 9 ? "post" : "line_patrol");
	snprintf(hours + n, sizeof(hours) - n, "]");
	r = api_callf(env, &officer, "PUT", "/api/duty/posture", "{\"hours\":%s}", hours);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "source_id"), env->st_a);
	CHECK_STR(api_str(r.json, "hours.6.mode"), "post");
	CHECK_STR(api_str(r.json, "hours.17.mode"), "line_patrol");
	api_resp_free(&r);
	/* A unit below the station follows the station's plan. */
	r = api_call(env, &officer, "GET", api_fmt("/api/duty/posture?station_id=%lld", (long long)env->g_a1), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "hours.6.mode"), "post");
	api_resp_free(&r);
	r = api_call(env, &officer, "PUT", "/api/duty/posture", "{\"hours\":[\"post\"]}");
	check_error(r, 422, "wrong_size", "hours");
	api_resp_free(&r);
	hours[2] = 'x'; /* "pxst" or "lxne_patrol" */
	r = api_callf(env, &officer, "PUT", "/api/duty/posture", "{\"hours\":%s}", hours);
	check_error(r, 422, "not_allowed", "hours[0]");
	api_resp_free(&r);
	r = api_call(env, &officer, "PUT", "/api/duty/posture", "{}");
	check_error(r, 422, "required", "hours");
	api_resp_free(&r);
	r = api_callf(env, &officer, "PUT", "/api/duty/posture", "{\"station_id\":%lld,\"hours\":[]}",
	              (long long)env->st_b);
	check_error(r, 422, NULL, "hours");
	api_resp_free(&r);
	CHECK(api_login_enrolled(env, &aux, "aux"));
	r = api_call(env, &aux, "GET", "/api/duty/posture", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "hours.6.mode"), "post");
	api_resp_free(&r);
	r = api_call(env, &aux, "PUT", "/api/duty/posture", "{\"hours\":[]}");
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "duty.posture", NULL);
		CHECK_STR(api_str(e, "username"), "aux");
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	api_env_free(env);
}

/* ---- reading: times, dates, choices, lists ---- */

/* start_at and end_at with or without milliseconds, as a browser's
 * toISOString() writes them or not; answers are in seconds. */
TEST(times_with_or_without_milliseconds)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t start = (fq_time_now_ms() / HOUR + 1) * HOUR, leader, id;
	char with_ms[40];
	const char *path;

	CHECK(api_login_enrolled(env, &c, "officer"));
	leader = api_user_id(env, "officer");
	snprintf(with_ms, sizeof(with_ms), "%.19s.000Z", iso(start));
	r = api_callf(env, &c, "POST", "/api/shifts",
	              "{\"name\":\"白班\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,"
	              "\"positions\":%s}",
	              with_ms, iso(start + 8 * HOUR), (long long)leader, positions(&w, 1, 3, 2));
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "start_at"), iso(start));
	CHECK_STR(api_str(r.json, "end_at"), iso(start + 8 * HOUR));
	api_resp_free(&r);
	path = api_fmt("/api/shifts/%lld", (long long)id);
	snprintf(with_ms, sizeof(with_ms), "%.19s.000Z", iso(start + 9 * HOUR));
	r = api_callf(env, &c, "PATCH", path, "{\"end_at\":\"%s\"}", with_ms);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "end_at"), iso(start + 9 * HOUR));
	api_resp_free(&r);
	/* A handover's time, with milliseconds. */
	snprintf(with_ms, sizeof(with_ms), "%.19s.500Z", iso(start));
	r = api_callf(env, &c, "POST", "/api/handovers",
	              "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld,\"handover_at\":\"%s\"}",
	              (long long)leader, (long long)api_user_id(env, "chief"), with_ms);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "handover_at"), iso(start));
	api_resp_free(&r);
	/* A date is not a time, nor is a time with an offset. */
	r = api_callf(env, &c, "PATCH", path, "{\"end_at\":\"%.10s\"}", iso(start + 9 * HOUR));
	check_error(r, 422, "bad_time", "end_at");
	api_resp_free(&r);
	r = api_callf(env, &c, "PATCH", path, "{\"end_at\":\"%.19s+08:00\"}", iso(start + 9 * HOUR));
	check_error(r, 422, "bad_time", "end_at");
	CHECK(!strncmp(message(&r), "end_at must be a time like", 26));
	api_resp_free(&r);
	api_env_free(env);
}

/* Every bad value names its field, and an item of a list its place in it:
 * positions[1].user_id. */
TEST(bad_list_items_are_named_by_their_place)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct crew w = add_crew(env, "a");
	struct api_resp r;
	int64_t now = fq_time_now_ms(), leader, chief;
	static const struct {
		const char *method, *path, *body, *code, *field;
		int status;
	} bad[] = {
	    /* dates in the query */
	    {"GET", "/api/shifts?from=2026-5-1", NULL, "bad_query", "from", 400},
	    {"GET", "/api/shifts?from=2026-05-01&to=2026-02-30", NULL, "bad_query", "to", 400},
	    {"GET", "/api/patrols?to=20261301", NULL, "bad_query", "to", 400},
	    /* choices in the query */
	    {"GET", "/api/handovers?status=closed", NULL, "bad_query", "status", 400},
	    {"GET", "/api/patrols?status=paused", NULL, "bad_query", "status", 400},
	    /* ids in a list */
	    {"POST", "/api/patrols", "{\"member_ids\":[%1$lld,\"x\"]}", "wrong_type", "member_ids[1]", 422},
	    {"POST", "/api/patrols", "{\"member_ids\":[%1$lld,0]}", "wrong_type", "member_ids[1]", 422},
	    /* texts in a list */
	    {"POST", "/api/patrols", "{\"checkpoints\":[\"路口\",7]}", "wrong_type", "checkpoints[1]", 422},
	    {"POST", "/api/patrols", "{\"checkpoints\":[\"路口\",null]}", "required", "checkpoints[1]", 422},
	    /* choices in a list */
	    {"PUT", "/api/duty/posture", "{\"hours\":[\"post\",\"post\",\"nap\"]}", "not_allowed", "hours[2]", 422},
	    /* objects in a list */
	    {"POST", "/api/shifts", "{\"name\":\"x\",\"start_at\":\"%2$s\",\"end_at\":\"%3$s\",\"leader_id\":%1$lld,"
	                            "\"positions\":[{\"position\":\"responder\",\"user_id\":%4$lld},"
	                            "{\"position\":\"responder\",\"user_id\":\"x\"}]}", "wrong_type", "positions[1].user_id", 422},
	    {"POST", "/api/shifts", "{\"name\":\"x\",\"start_at\":\"%2$s\",\"end_at\":\"%3$s\",\"leader_id\":%1$lld,"
	                            "\"positions\":[{\"position\":\"responder\",\"user_id\":%4$lld},"
	                            "{\"position\":\"cook\",\"user_id\":%4$lld}]}", "not_allowed", "positions[1].position", 422},
	    {"POST", "/api/shifts", "{\"name\":\"x\",\"start_at\":\"%2$s\",\"end_at\":\"%3$s\",\"leader_id\":%1$lld,"
	                            "\"positions\":[{\"position\":\"responder\",\"user_id\":%4$lld},7]}", "wrong_type", "positions[1]", 422},
	    {"POST", "/api/shifts", "{\"name\":\"x\",\"start_at\":\"%2$s\",\"end_at\":\"%3$s\",\"leader_id\":%1$lld,"
	                            "\"positions\":[{\"position\":\"responder\",\"user_id\":%4$lld,\"car\":1}]}", "unknown_field", "positions[0].car", 422},
	    {"POST", "/api/shifts", "{\"name\":\"x\",\"start_at\":\"%2$s\",\"end_at\":\"%3$s\",\"leader_id\":%1$lld,"
	                            "\"positions\":[],\"template\":{\"call_taker\":1,\"responder\":-1,\"patroller\":0}}", "out_of_range", "template.responder", 422},
	    {"POST", "/api/handovers", "{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%5$lld,"
	                               "\"equipment\":[{\"item\":\"手电\",\"status\":\"ok\"},{\"item\":\"车\",\"status\":\"ok\",\"note\":5}]}",
	     "wrong_type", "equipment[1].note", 422},
	    /* a bad time in the body */
	    {"POST", "/api/handovers", "{\"outgoing_leader_id\":%1$lld,\"incoming_leader_id\":%5$lld,\"handover_at\":\"2026-05-01 08:00\"}",
	     "bad_time", "handover_at", 422},
	};

	CHECK(api_login_enrolled(env, &c, "officer"));
	leader = api_user_id(env, "officer");
	chief = api_user_id(env, "chief");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *body = bad[i].body ? api_fmt(bad[i].body, (long long)leader, iso(now),
		                                         iso(now + HOUR), (long long)w.rs[0],
		                                         (long long)chief)
		                               : NULL;
		r = api_call(env, &c, bad[i].method, bad[i].path, body);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			fprintf(stderr, "  case %zu: %s %s %s\n", i, bad[i].method, bad[i].path,
			        body ? body : "");
		/* The message says the same name. */
		else if (!strstr(message(&r), bad[i].field))
			CHECK_STR(message(&r), bad[i].field);
		api_resp_free(&r);
	}
	CHECK_INT(count_shifts(env), 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM handovers"), 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM patrols"), 0);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(officer_creates_a_full_shift),
    TEST_ENTRY(understaffed_shift_is_refused_naming_what_is_missing),
    TEST_ENTRY(only_a_chief_overrides_and_the_reason_is_kept),
    TEST_ENTRY(a_user_cannot_hold_positions_in_overlapping_shifts),
    TEST_ENTRY(positions_are_held_by_staff_of_the_station_once),
    TEST_ENTRY(bad_shift_inputs_name_the_field),
    TEST_ENTRY(a_lower_template_is_the_chiefs_decision),
    TEST_ENTRY(changing_a_running_shift_follows_the_same_rules),
    TEST_ENTRY(a_shift_that_has_ended_stays_as_it_was),
    TEST_ENTRY(scope_and_permissions_of_shifts),
    TEST_ENTRY(a_position_holder_above_their_area_sees_their_shift),
    TEST_ENTRY(dispatch_sees_who_is_on_shift_now),
    TEST_ENTRY(shift_list_by_date_range),
    TEST_ENTRY(handover_fills_open_items_and_is_signed_by_both_leaders),
    TEST_ENTRY(bad_handover_inputs_name_the_field),
    TEST_ENTRY(aux_starts_checks_in_and_ends_a_patrol),
    TEST_ENTRY(patrol_scope_and_permissions),
    TEST_ENTRY(posture_per_hour_defaults_and_edits),
    TEST_ENTRY(times_with_or_without_milliseconds),
    TEST_ENTRY(bad_list_items_are_named_by_their_place),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/duty", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
