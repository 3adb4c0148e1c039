/* My work queue (GET /api/work, docs/api.md "Work queue"): each provider's
 * items — calls dispatched to me (arrive, then finish), the day's open calls
 * for the leader of the running shift, follow-up calls due, shifts waiting
 * for a chief's approval, handovers waiting for my signature —, overdue
 * flags against backdated rows, and who sees what (a volunteer gets no
 * incident item; another station's calls are not listed). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "core/time.h"

#define HOUR (3600 * 1000LL)

static void staff_on_shift(struct api_env *env)
{
	static const char *const a[] = {"officer", "aux", "chief", NULL};
	static const char *const b[] = {"officer.b", NULL};

	CHECK(api_on_shift(env, env->st_a, a));
	CHECK(api_on_shift(env, env->st_b, b));
}

static int64_t new_incident(struct api_env *env, struct api_client *c)
{
	struct api_resp r = api_call(env, c, "POST", "/api/incidents",
				     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				     "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"}");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# intake: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static void act_ok(struct api_env *env, struct api_client *c, int64_t id, const char *action,
		   const char *body)
{
	struct api_resp r = api_call(env, c, "POST",
				     api_fmt("/api/incidents/%lld/%s", (long long)id, action), body);

	if (!check_status(r, 200))
		printf("# %s: %s\n", action, r.body);
	api_resp_free(&r);
}

/* The caller's work queue; to api_resp_free. */
static struct api_resp work(struct api_env *env, struct api_client *c)
{
	struct api_resp r = api_call(env, c, "GET", "/api/work", NULL);

	check_status(r, 200);
	return r;
}

/* The index of the first item of kind with link id, or -1. */
static int find(json_t *queue, const char *kind, int64_t id)
{
	json_t *items = json_object_get(queue, "items"), *it;
	size_t i;

	json_array_foreach(items, i, it)
		if (!strcmp(api_str(it, "kind"), kind) && api_int(it, "link.id") == id)
			return (int)i;
	return -1;
}

TEST(dispatched_call_is_mine_until_closed)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux, vol;
	struct api_resp r;
	int64_t id;
	int k;

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &vol, "volunteer", API_PASSWORD, NULL) == 200);
	r = work(env, &aux);
	CHECK_INT(api_int(r.json, "count"), 0);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);

	id = new_incident(env, &officer);
	act_ok(env, &officer, id, "dispatch",
	       api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "aux")));
	r = work(env, &aux);
	k = find(r.json, "incident_arrive", id);
	CHECK(k >= 0);
	if (k >= 0) {
		json_t *it = json_array_get(json_object_get(r.json, "items"), (size_t)k);
		CHECK_STR(api_str(it, "why"), "dispatched");
		CHECK_STR(api_str(it, "link.route"), "incident");
		CHECK(strstr(api_str(it, "title"), "-") != NULL); /* the number */
		CHECK(api_str(it, "since") != NULL);
		CHECK(api_str(it, "due") != NULL); /* the arrival target */
		CHECK(!api_bool(it, "overdue"));
		CHECK_STR(api_str(it, "params.category"), "dispute");
	}
	CHECK_INT(api_int(r.json, "overdue"), 0);
	api_resp_free(&r);

	/* Dispatched two hours ago: past the target, overdue and first. */
	CHECK(api_exec(env, api_fmt("UPDATE incident_responders SET dispatched_at ="
				    " dispatched_at - %lld WHERE incident_id = %lld",
				    2 * HOUR, (long long)id)));
	r = work(env, &aux);
	CHECK_INT(find(r.json, "incident_arrive", id), 0);
	CHECK(api_bool(r.json, "items.0.overdue"));
	CHECK_INT(api_int(r.json, "overdue"), 1);
	api_resp_free(&r);

	/* The dispatcher and a volunteer have nothing of it. */
	r = work(env, &officer);
	CHECK_INT(find(r.json, "incident_arrive", id), -1);
	api_resp_free(&r);
	r = work(env, &vol);
	CHECK_INT(api_int(r.json, "count"), 0);
	api_resp_free(&r);

	/* On scene: still mine, to handle and close; closed: gone. */
	act_ok(env, &aux, id, "arrive", "{}");
	r = work(env, &aux);
	CHECK_INT(find(r.json, "incident_arrive", id), -1);
	k = find(r.json, "incident_finish", id);
	CHECK(k >= 0);
	CHECK_STR(api_str(r.json, api_fmt("items.%d.why", k)), "on_scene");
	api_resp_free(&r);
	act_ok(env, &aux, id, "close", "{\"disposal\":\"answered_by_phone\"}");
	r = work(env, &aux);
	CHECK_INT(find(r.json, "incident_finish", id), -1);
	CHECK_INT(find(r.json, "incident_arrive", id), -1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(duty_leader_sees_the_days_open_calls_of_the_station)
{
	struct api_env *env = api_env_new();
	struct api_client officer, officer_b, aux;
	struct api_resp r;
	int64_t mine, other, now = fq_time_now_ms();

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &officer_b, "officer.b", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	mine = new_incident(env, &officer);
	other = new_incident(env, &officer_b);
	/* Not a leader yet: the station's calls are not the officer's. */
	r = work(env, &officer);
	CHECK_INT(find(r.json, "incident_open", mine), -1);
	api_resp_free(&r);
	/* The officer leads a shift of station A running now. */
	CHECK(api_exec(env, api_fmt("UPDATE shift_positions SET position = 'leader'"
				    " WHERE user_id = %lld AND start_at <= %lld",
				    (long long)api_user_id(env, "officer"), (long long)now)));
	r = work(env, &officer);
	CHECK(find(r.json, "incident_open", mine) >= 0);
	CHECK_STR(api_str(r.json, api_fmt("items.%d.why", find(r.json, "incident_open", mine))),
		  "duty_leader");
	CHECK_INT(find(r.json, "incident_open", other), -1); /* station B's */
	api_resp_free(&r);
	/* The aux, not leading, does not see it. */
	r = work(env, &aux);
	CHECK_INT(find(r.json, "incident_open", mine), -1);
	api_resp_free(&r);
	/* Closed: off the list. */
	act_ok(env, &officer, mine, "close", "{\"disposal\":\"false_call\"}");
	r = work(env, &officer);
	CHECK_INT(find(r.json, "incident_open", mine), -1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(follow_up_due_after_closing_until_made)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	int64_t id;
	int k;

	staff_on_shift(env);
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(env, &aux, "aux", API_PASSWORD, NULL) == 200);
	id = new_incident(env, &officer);
	act_ok(env, &officer, id, "close", "{\"disposal\":\"referred_to_department\"}");
	r = work(env, &officer);
	k = find(r.json, "incident_followup", id);
	CHECK(k >= 0);
	CHECK_STR(api_str(r.json, api_fmt("items.%d.why", k)), "closed_by_you");
	CHECK(!api_bool(r.json, api_fmt("items.%d.overdue", k)));
	api_resp_free(&r);
	r = work(env, &aux); /* closed by someone else */
	CHECK_INT(find(r.json, "incident_followup", id), -1);
	api_resp_free(&r);
	/* Closed 80 hours ago: past the 72 hours. */
	CHECK(api_exec(env, api_fmt("UPDATE incidents SET closed_at = closed_at - %lld"
				    " WHERE id = %lld",
				    80 * HOUR, (long long)id)));
	r = work(env, &officer);
	k = find(r.json, "incident_followup", id);
	CHECK(k >= 0 && api_bool(r.json, api_fmt("items.%d.overdue", k)));
	api_resp_free(&r);
	act_ok(env, &officer, id, "followup",
	       "{\"reached\":true,\"satisfaction\":\"satisfied\"}");
	r = work(env, &officer);
	CHECK_INT(find(r.json, "incident_followup", id), -1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(shift_below_template_waits_for_the_chiefs_approval)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct api_resp r;
	int64_t now = fq_time_now_ms(), id;
	json_t *audit;
	const char *body;
	char start[32], end[32];

	fq_time_format(now + 4 * HOUR, start, sizeof(start));
	fq_time_format(now + 12 * HOUR, end, sizeof(end));
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(env, &chief, "chief"));
	body = api_fmt("{\"name\":\"夜班\",\"start_at\":\"%s\",\"end_at\":\"%s\",\"leader_id\":%lld,"
		       "\"positions\":[{\"position\":\"responder\",\"user_id\":%lld}]",
		       start, end, (long long)api_user_id(env, "officer"),
		       (long long)api_user_id(env, "aux"));
	/* Below the 1+3+2 template: refused, unless submitted for approval. */
	r = api_callf(env, &officer, "POST", "/api/shifts", "%s}", body);
	check_error(r, 422, "understaffed", "positions");
	api_resp_free(&r);
	r = api_callf(env, &officer, "POST", "/api/shifts", "%s,\"submit_for_approval\":\"yes\"}",
		      body);
	check_error(r, 422, NULL, "submit_for_approval");
	api_resp_free(&r);
	r = api_callf(env, &officer, "POST", "/api/shifts", "%s,\"submit_for_approval\":true}",
		      body);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "approval"), "pending");
	CHECK(api_get(r.json, "override_reason") && json_is_null(api_get(r.json, "override_reason")));
	api_resp_free(&r);

	r = work(env, &chief);
	CHECK(find(r.json, "shift_approval", id) >= 0);
	CHECK_STR(api_str(r.json, api_fmt("items.%d.link.route", find(r.json, "shift_approval", id))),
		  "shiftApproval");
	api_resp_free(&r);
	r = work(env, &officer); /* not a chief */
	CHECK_INT(find(r.json, "shift_approval", id), -1);
	api_resp_free(&r);

	/* Only a chief approves, with a reason. */
	r = api_callf(env, &officer, "POST", api_fmt("/api/shifts/%lld/approve", (long long)id),
		      "{\"reason\":\"警力不足\"}");
	CHECK_INT(r.status, 403);
	api_resp_free(&r);
	r = api_call(env, &chief, "POST", api_fmt("/api/shifts/%lld/approve", (long long)id), "{}");
	check_error(r, 422, NULL, "reason");
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM shifts WHERE id = %lld"
					 " AND approval = 'pending'", (long long)id)), 1);
	r = api_call(env, &chief, "POST", api_fmt("/api/shifts/%lld/approve", (long long)id),
		     "{\"reason\":\"节日警力抽调，临时减员\"}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "approval")));
	CHECK_STR(api_str(r.json, "override_reason"), "节日警力抽调，临时减员");
	CHECK_INT(api_int(r.json, "override_by"), api_user_id(env, "chief"));
	api_resp_free(&r);
	audit = api_audit_last(env, "shift.approve", api_fmt("%lld", (long long)id));
	CHECK(audit != NULL);
	json_decref(audit);
	r = work(env, &chief);
	CHECK_INT(find(r.json, "shift_approval", id), -1);
	api_resp_free(&r);
	r = api_call(env, &chief, "POST", api_fmt("/api/shifts/%lld/approve", (long long)id),
		     "{\"reason\":\"再次\"}");
	check_error(r, 409, "not_pending", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(handover_waits_for_each_leaders_signature_in_turn)
{
	struct api_env *env = api_env_new();
	struct api_client officer, chief;
	struct api_resp r;
	int64_t id;

	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(env, &chief, "chief"));
	r = api_callf(env, &chief, "POST", "/api/handovers",
		      "{\"outgoing_leader_id\":%lld,\"incoming_leader_id\":%lld}",
		      (long long)api_user_id(env, "officer"), (long long)api_user_id(env, "chief"));
	check_status(r, 201);
	id = api_int(r.json, "id");
	api_resp_free(&r);
	r = work(env, &officer);
	CHECK(find(r.json, "handover_sign", id) >= 0);
	CHECK_STR(api_str(r.json, "items.0.why"), "outgoing_leader");
	api_resp_free(&r);
	r = work(env, &chief); /* the incoming leader signs second */
	CHECK_INT(find(r.json, "handover_sign", id), -1);
	api_resp_free(&r);
	r = api_call(env, &officer, "POST", api_fmt("/api/handovers/%lld/sign", (long long)id), "{}");
	check_status(r, 200);
	api_resp_free(&r);
	r = work(env, &officer);
	CHECK_INT(find(r.json, "handover_sign", id), -1);
	api_resp_free(&r);
	r = work(env, &chief);
	CHECK(find(r.json, "handover_sign", id) >= 0);
	CHECK_STR(api_str(r.json, api_fmt("items.%d.why", find(r.json, "handover_sign", id))),
		  "incoming_leader");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(every_role_has_a_work_queue)
{
	static const char *const users[] = {"officer", "aux", "mediator", "counselor",
					    "volunteer", "resident", NULL};
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	for (int i = 0; users[i]; i++) {
		CHECK(api_login(env, &c, users[i], API_PASSWORD, NULL) == 200);
		r = work(env, &c);
		CHECK(json_is_array(api_get(r.json, "items")));
		CHECK(!api_bool(r.json, "truncated"));
		api_resp_free(&r);
	}
	r = api_call(env, NULL, "GET", "/api/work", NULL);
	CHECK_INT(r.status, 401);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(dispatched_call_is_mine_until_closed),
	TEST_ENTRY(duty_leader_sees_the_days_open_calls_of_the_station),
	TEST_ENTRY(follow_up_due_after_closing_until_made),
	TEST_ENTRY(shift_below_template_waits_for_the_chiefs_approval),
	TEST_ENTRY(handover_waits_for_each_leaders_signature_in_turn),
	TEST_ENTRY(every_role_has_a_work_queue),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/work", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
