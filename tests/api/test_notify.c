/* Notifications (docs/api.md "Notifications"): written with the change that
 * causes them (dispatch, a shift submitted for approval, a handover to
 * sign), seen only by their owner (another user's is 404), unread first
 * and paged, marked read one by one or all at once (audited), the unread
 * count's version, and the sweep of the time-driven ones run with a fixed
 * clock: each once, however often it runs. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/notify.h"
#include "http/app.h"
#include "store/store.h"

#define MINUTE (60 * 1000LL)
#define HOUR (60 * MINUTE)

static void staff_on_shift(struct api_env *env)
{
	static const char *const a[] = {"officer", "aux", "chief", NULL};

	CHECK(api_on_shift(env, env->st_a, a));
}

/* An incident of station A dispatched by officer to user. */
static int64_t dispatched_to(struct api_env *env, struct api_client *officer, const char *user)
{
	struct api_resp r = api_call(env, officer, "POST", "/api/incidents",
				     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				     "\"narrative\":\"邻里纠纷\"}");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	api_resp_free(&r);
	r = api_callf(env, officer, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, user));
	check_status(r, 200);
	api_resp_free(&r);
	return id;
}

static struct api_resp list(struct api_env *env, struct api_client *c, const char *query)
{
	struct api_resp r = api_call(env, c, "GET", api_fmt("/api/notifications%s", query), NULL);

	check_status(r, 200);
	return r;
}

TEST(dispatch_notifies_the_responder_only)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux, chief_c;
	struct api_resp r;
	int64_t id, nid;
	json_t *audit;
	const char *v1;

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(env, &chief_c, "chief"));
	r = api_call(env, &aux, "GET", "/api/notifications/status", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "unread"), 0);
	v1 = api_fmt("%s", api_str(r.json, "version"));
	api_resp_free(&r);

	id = dispatched_to(env, &officer, "aux");
	r = list(env, &aux, "");
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "unread"), 1);
	CHECK_STR(api_str(r.json, "items.0.kind"), "dispatched");
	CHECK_STR(api_str(r.json, "items.0.object_type"), "incident");
	CHECK_INT(api_int(r.json, "items.0.object_id"), id);
	CHECK_STR(api_str(r.json, "items.0.link.route"), "incident");
	CHECK(api_str(r.json, "items.0.params.number") != NULL);
	CHECK(json_is_null(api_get(r.json, "items.0.read_at")));
	nid = api_int(r.json, "items.0.id");
	api_resp_free(&r);
	/* The version moved; the dispatcher was told nothing. */
	r = api_call(env, &aux, "GET", api_fmt("/api/notifications/status?version=%s", v1), NULL);
	CHECK_INT(api_int(r.json, "unread"), 1);
	CHECK(strcmp(api_str(r.json, "version"), v1) != 0);
	api_resp_free(&r);
	r = list(env, &officer, "");
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);

	/* Another person's notification does not exist for them. */
	r = api_call(env, &officer, "POST", api_fmt("/api/notifications/%lld/read", (long long)nid),
		     "{}");
	CHECK_INT(r.status, 404);
	api_resp_free(&r);
	r = api_call(env, &chief_c, "POST", api_fmt("/api/notifications/%lld/read", (long long)nid),
		     "{}");
	CHECK_INT(r.status, 404);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM notifications WHERE read_at IS NOT NULL"), 0);

	/* The owner marks it read: audited; a second time changes nothing. */
	r = api_call(env, &aux, "POST", api_fmt("/api/notifications/%lld/read", (long long)nid), "{}");
	check_status(r, 200);
	CHECK(api_str(r.json, "read_at") != NULL);
	CHECK_INT(api_int(r.json, "link.id"), id);
	api_resp_free(&r);
	audit = api_audit_last(env, "notification.read", api_fmt("%lld", (long long)nid));
	CHECK(audit != NULL);
	json_decref(audit);
	r = api_call(env, &aux, "POST", api_fmt("/api/notifications/%lld/read", (long long)nid), "{}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", api_fmt("/api/notifications/%lld/read", (long long)nid),
		     "{\"all\":true}");
	CHECK_INT(r.status, 422);
	api_resp_free(&r);
	r = api_call(env, &aux, "GET", "/api/notifications/status", NULL);
	CHECK_INT(api_int(r.json, "unread"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(unread_first_paged_and_all_marked_read)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux, tok;
	struct api_resp r;
	int64_t ids[5];
	const char *cursor;
	json_t *audit;

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	for (int i = 0; i < 5; i++)
		ids[i] = dispatched_to(env, &officer, "aux");
	/* The oldest one read: it comes last. */
	CHECK(api_exec(env, api_fmt("UPDATE notifications SET read_at = 1 WHERE object_id = %lld",
				    (long long)ids[0])));
	r = list(env, &aux, "?per_page=2");
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK_INT(api_int(r.json, "unread"), 4);
	CHECK_INT(api_int(r.json, "items.0.object_id"), ids[4]);
	CHECK_INT(api_int(r.json, "items.1.object_id"), ids[3]);
	cursor = api_fmt("%s", api_str(r.json, "next_cursor"));
	api_resp_free(&r);
	r = list(env, &aux, api_fmt("?per_page=2&cursor=%s", cursor));
	CHECK_INT(api_int(r.json, "items.0.object_id"), ids[2]);
	CHECK_INT(api_int(r.json, "items.1.object_id"), ids[1]);
	cursor = api_fmt("%s", api_str(r.json, "next_cursor"));
	api_resp_free(&r);
	r = list(env, &aux, api_fmt("?per_page=2&cursor=%s", cursor));
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.object_id"), ids[0]);
	CHECK(api_str(r.json, "items.0.read_at") != NULL);
	CHECK(json_is_null(api_get(r.json, "next_cursor")));
	api_resp_free(&r);
	r = api_call(env, &aux, "GET", "/api/notifications?cursor=x12", NULL);
	check_error(r, 422, "bad_cursor", "cursor");
	api_resp_free(&r);
	r = api_call(env, &aux, "GET", "/api/notifications?per_page=1000", NULL);
	CHECK(r.status == 400 || r.status == 422);
	api_resp_free(&r);

	/* A token cannot mark them (browser sessions only). */
	CHECK(api_token(env, &tok, "aux", "incident.read") > 0);
	r = api_call(env, &tok, "POST", "/api/notifications/read-all", "{}");
	CHECK_INT(r.status, 403);
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", "/api/notifications/read-all", "{}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "marked"), 4);
	api_resp_free(&r);
	audit = api_audit_last(env, "notification.read_all", NULL);
	CHECK(audit != NULL);
	json_decref(audit);
	CHECK_INT(api_count(env, "SELECT count(*) FROM notifications WHERE read_at IS NULL"), 0);
	api_env_free(env);
}

TEST(sweep_notifies_late_arrivals_and_shifts_soon_once)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id, start = now + 20 * MINUTE, target;

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	id = dispatched_to(env, &officer, "aux");
	target = api_count(env, api_fmt("SELECT target_minutes FROM incidents WHERE id = %lld",
					(long long)id));
	CHECK(target > 0);
	/* Before the target passes: nothing. */
	CHECK_INT(api_sweep(env, now + (target - 1) * MINUTE), 0);
	/* After: once, however often the sweep runs (a restart, a second server). */
	CHECK_INT(api_sweep(env, now + (target + 1) * MINUTE), 1);
	CHECK_INT(api_sweep(env, now + (target + 2) * MINUTE), 0);
	CHECK_INT(api_sweep(env, now + (target + 2) * MINUTE), 0);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM notifications WHERE kind ="
					 " 'arrival_overdue' AND object_id = %lld AND user_id = %lld",
					 (long long)id, (long long)api_user_id(env, "aux"))),
		  1);
	/* Arrived: no longer late on the way. */
	r = api_call(env, &aux, "POST", api_fmt("/api/incidents/%lld/arrive", (long long)id), "{}");
	check_status(r, 200);
	api_resp_free(&r);

	/* A shift starting in 20 minutes with the officer in it. */
	CHECK(api_exec(env, api_fmt("INSERT INTO shifts (station_id, org_path, name, day, start_at,"
				    " end_at, leader_id, need_call_taker, need_responder,"
				    " need_patroller, created_at, updated_at) SELECT %lld, path,"
				    " '夜班', 20260101, %lld, %lld, %lld, 0, 0, 0, 0, 0"
				    " FROM org_units WHERE id = %lld",
				    (long long)env->st_a, (long long)start,
				    (long long)(start + 8 * HOUR), (long long)api_user_id(env, "officer"),
				    (long long)env->st_a)));
	CHECK(api_exec(env, api_fmt("INSERT INTO shift_positions (shift_id, user_id, position, seq,"
				    " start_at, end_at) SELECT max(id), %lld, 'leader', 0, %lld, %lld"
				    " FROM shifts",
				    (long long)api_user_id(env, "officer"), (long long)start,
				    (long long)(start + 8 * HOUR))));
	CHECK_INT(api_sweep(env, start - 31 * MINUTE), 0);
	CHECK_INT(api_sweep(env, start - 29 * MINUTE), 1);
	CHECK_INT(api_sweep(env, start - 10 * MINUTE), 0);
	r = list(env, &officer, "");
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.kind"), "shift_soon");
	CHECK_STR(api_str(r.json, "items.0.params.name"), "夜班");
	CHECK_STR(api_str(r.json, "items.0.link.route"), "dutyRoster");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(shift_approval_and_handover_notify_the_ones_to_act)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct api_resp r;
	int64_t now = fq_time_now_ms(), shift, handover;
	char start[32], end[32];

	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(env, &chief, "chief"));
	fq_time_format(now + 4 * HOUR, start, sizeof(start));
	fq_time_format(now + 12 * HOUR, end, sizeof(end));
	r = api_callf(env, &officer, "POST", "/api/shifts",
		      "{\"name\":\"夜班\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,"
		      "\"positions\":[],\"submit_for_approval\":true}",
		      start, end, (long long)api_user_id(env, "officer"));
	check_status(r, 201);
	shift = api_int(r.json, "id");
	api_resp_free(&r);
	r = list(env, &chief, "");
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.kind"), "shift_approval");
	CHECK_INT(api_int(r.json, "items.0.object_id"), shift);
	CHECK_STR(api_str(r.json, "items.0.params.name"), "夜班");
	CHECK_STR(api_str(r.json, "items.0.link.route"), "shiftApproval");
	api_resp_free(&r);
	/* A change of the waiting shift does not tell the chief twice. */
	r = api_callf(env, &officer, "PATCH", api_fmt("/api/shifts/%lld", (long long)shift),
		      "{\"note\":\"缺两名辅警\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "approval"), "pending");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM notifications WHERE kind = 'shift_approval'"),
		  1);

	/* A handover: the outgoing leader, then the incoming one. */
	r = api_callf(env, &chief, "POST", "/api/handovers",
		      "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}",
		      (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "chief"));
	check_status(r, 201);
	handover = api_int(r.json, "id");
	api_resp_free(&r);
	r = list(env, &officer, "");
	CHECK_STR(api_str(r.json, "items.0.kind"), "handover_sign");
	CHECK_STR(api_str(r.json, "items.0.params.role"), "outgoing");
	CHECK_INT(api_int(r.json, "items.0.link.id"), handover);
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", api_fmt("/api/handovers/%lld/sign", (long long)handover),
		     "{}");
	check_status(r, 200);
	api_resp_free(&r);
	r = list(env, &chief, "");
	CHECK_STR(api_str(r.json, "items.0.kind"), "handover_sign");
	CHECK_STR(api_str(r.json, "items.0.params.role"), "incoming");
	CHECK_STR(api_str(r.json, "items.0.link.route"), "handover");
	api_resp_free(&r);
	/* A refused change writes no notification. */
	r = api_callf(env, &chief, "POST", "/api/handovers",
		      "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}",
		      (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "aux"));
	CHECK_INT(r.status, 422);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM notifications"), 3);
	api_env_free(env);
}

/* A webhook channel of station A subscribed to events (a JSON list), made
 * by admin (signed in here). */
static void channel_for(struct api_env *env, struct api_client *admin, const char *events)
{
	struct api_resp r;

	env->app->cfg.outbox_allow_private = true; /* the channel is never sent to here */
	CHECK(api_login_enrolled(env, admin, "sysadmin"));
	r = api_callf(env, admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"值班群\","
		      "\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef\","
		      "\"events\":%s}",
		      (long long)env->st_a, events);
	check_status(r, 201);
	api_resp_free(&r);
}

/* The text of the newest message of kind in the delivery log, as the
 * sysadmin reads it ("" when none). */
static const char *outbox_text(struct api_env *env, struct api_client *admin, const char *kind)
{
	struct api_resp r = api_call(env, admin, "GET", "/api/outbox/deliveries", NULL);
	json_t *d;
	size_t i;
	const char *t = "";

	json_array_foreach(json_object_get(r.json, "items"), i, d)
		if (!strcmp(api_str(d, "event_kind") ? api_str(d, "event_kind") : "", kind)) {
			t = api_fmt("%s", api_str(d, "text") ? api_str(d, "text") : "");
			break;
		}
	api_resp_free(&r);
	return t;
}

/* The station's outside channels hear of a late call once, however many of
 * its responders are late and however often the sweep runs; of a handover,
 * when it waits for a leader who did not write it. */
TEST(late_calls_and_handovers_reach_the_outbox_once)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief, admin;
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id, target, handover;
	const char *text;

	staff_on_shift(env);
	channel_for(env, &admin, "[\"incident.arrival_overdue\",\"duty.handover_awaiting_signature\"]");
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(env, &chief, "chief"));
	id = dispatched_to(env, &officer, "aux");
	r = api_callf(env, &officer, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, "chief"));
	check_status(r, 200);
	api_resp_free(&r);
	target = api_count(env, api_fmt("SELECT target_minutes FROM incidents WHERE id = %lld",
					(long long)id));
	CHECK_INT(api_sweep(env, now + (target - 1) * MINUTE), 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox"), 0);
	CHECK_INT(api_sweep(env, now + (target + 1) * MINUTE), 2); /* aux and chief */
	CHECK_INT(api_sweep(env, now + (target + 5) * MINUTE), 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox WHERE event_kind ="
				 " 'incident.arrival_overdue'"),
		  1);
	text = outbox_text(env, &admin, "incident.arrival_overdue");
	CHECK(strstr(text, "到场超时") != NULL);
	/* minutes since the first dispatch, at the sweep that found it late */
	CHECK(strstr(text, api_fmt("派警%lld分钟仍未到场",
				   (long long)((now + (target + 1) * MINUTE -
						api_count(env, api_fmt("SELECT min(dispatched_at) FROM"
								       " incident_responders WHERE"
								       " incident_id = %lld",
								       (long long)id))) /
					       MINUTE))) != NULL);

	/* The chief writes a handover from the officer to herself: the officer
	 * is asked (the channel hears it), then she is, but she knows. */
	r = api_callf(env, &chief, "POST", "/api/handovers",
		      "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}",
		      (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "chief"));
	check_status(r, 201);
	handover = api_int(r.json, "id");
	api_resp_free(&r);
	text = outbox_text(env, &admin, "duty.handover_awaiting_signature");
	CHECK(strstr(text, "交接班待") != NULL);
	CHECK(strstr(text, "待officer签字") != NULL);
	r = api_call(env, &officer, "POST", api_fmt("/api/handovers/%lld/sign", (long long)handover),
		     "{}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox WHERE event_kind ="
				 " 'duty.handover_awaiting_signature'"),
		  2);
	/* the officer writes one to the chief and signs it himself: one message */
	r = api_callf(env, &officer, "POST", "/api/handovers",
		      "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}",
		      (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "chief"));
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox WHERE event_kind ="
				 " 'duty.handover_awaiting_signature'"),
		  2);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(dispatch_notifies_the_responder_only),
	TEST_ENTRY(unread_first_paged_and_all_marked_read),
	TEST_ENTRY(sweep_notifies_late_arrivals_and_shifts_soon_once),
	TEST_ENTRY(shift_approval_and_handover_notify_the_ones_to_act),
	TEST_ENTRY(late_calls_and_handovers_reach_the_outbox_once),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/notify", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
