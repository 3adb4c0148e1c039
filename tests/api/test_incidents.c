/* Incidents (docs/api.md "Incidents", DOMAIN §6): intake and numbering, the
 * lifecycle with every refused transition, dispatch to staff on duty only,
 * arrival targets, the disposal rules for case-type incidents and the aux,
 * the sealed on-site record, repeats, conversion to a dispute, follow-up,
 * the daily clear, the board, data scope and permissions. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/time.h"

/* A 1×1 PNG. */
#define PNG "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

static void staff_on_shift(struct api_env *env)
{
	static const char *const a[] = {"officer", "aux", "chief", NULL};
	static const char *const b[] = {"officer.b", NULL};

	CHECK(api_on_shift(env, env->st_a, a));
	CHECK(api_on_shift(env, env->st_b, b));
}

/* Registers a call as c; extra is more JSON members (",\"x\":1") or "". */
static struct api_resp intake(struct api_env *env, struct api_client *c, const char *extra)
{
	/* extra may give its own category. */
	if (strstr(extra, "\"category\""))
		return api_callf(env, c, "POST", "/api/incidents",
				 "{\"channel\":\"110_transfer\",\"narrative\":\"深夜有人撬车\"%s}",
				 extra);
	return api_callf(env, c, "POST", "/api/incidents",
			 "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
			 "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民，邻里纠纷\"%s}",
			 extra);
}

static int64_t new_incident(struct api_env *env, struct api_client *c, const char *extra)
{
	struct api_resp r = intake(env, c, extra);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# intake: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static struct api_resp act(struct api_env *env, struct api_client *c, int64_t id,
			   const char *action, const char *body)
{
	return api_call(env, c, "POST",
			api_fmt("/api/incidents/%lld/%s", (long long)id, action), body);
}

/* Runs an action that must succeed. */
static void step_ok(struct api_env *env, struct api_client *c, int64_t id, const char *action,
		    const char *body, const char *status)
{
	struct api_resp r = act(env, c, id, action, body);

	if (check_status(r, 200) && status)
		CHECK_STR(api_str(r.json, "status"), status);
	api_resp_free(&r);
}

static const char *dispatch_body(struct api_env *env, const char *user)
{
	return api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, user));
}

/* An incident of c's station taken to handling by officer. */
static int64_t handled(struct api_env *env, struct api_client *c, const char *extra)
{
	int64_t id = new_incident(env, c, extra);

	step_ok(env, c, id, "dispatch", dispatch_body(env, "officer"), "dispatched");
	step_ok(env, c, id, "arrive", api_fmt("{\"user_id\":%lld}",
					     (long long)api_user_id(env, "officer")),
		"on_scene");
	step_ok(env, c, id, "handle", "{\"note\":\"现场调解\"}", "handling");
	return id;
}

static int year_now(void)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

TEST(intake_numbers_per_station_and_year)
{
	struct api_env *env = api_env_new();
	struct api_client c, b;
	struct api_resp r;
	int64_t addr;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	{
		/* The sysadmin sets the station's prefix: capitals or digits, stations only. */
		struct api_client s;
		CHECK(api_login_enrolled(env, &s, "sysadmin"));
		r = api_call(env, &s, "PATCH", api_fmt("/api/orgs/%lld", (long long)env->st_a),
			     "{\"number_prefix\":\"ll\"}");
		check_error(r, 422, NULL, "number_prefix");
		api_resp_free(&r);
		r = api_call(env, &s, "PATCH", api_fmt("/api/orgs/%lld", (long long)env->g_a1),
			     "{\"number_prefix\":\"LL\"}");
		check_error(r, 422, NULL, "number_prefix");
		api_resp_free(&r);
		r = api_call(env, &s, "PATCH", api_fmt("/api/orgs/%lld", (long long)env->st_a),
			     "{\"number_prefix\":\"LL\"}");
		check_status(r, 200);
		CHECK_STR(api_str(r.json, "number_prefix"), "LL");
		api_resp_free(&r);
	}
	addr = api_new_address(env, &c, env->g_a1, "双龙大道", "12号");
	r = intake(env, &c, api_fmt(",\"address_id\":%lld,\"caller_name\":\"王女士\","
				    "\"caller_phone\":\"13812345678\",\"emergency\":true",
				    (long long)addr));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "number"), api_fmt("LL-%d-000001", year_now()));
	CHECK_STR(api_str(r.json, "status"), "received");
	CHECK_INT(api_int(r.json, "org_id"), env->g_a1);
	CHECK_INT(api_int(r.json, "station_id"), env->st_a);
	CHECK(api_str(r.json, "station_name") != NULL);
	CHECK(api_str(r.json, "beat_name") != NULL); /* the grid lies in beatA */
	CHECK_STR(api_str(r.json, "caller_phone"), "138****5678");
	CHECK(!strstr(r.body, "13812345678"));
	CHECK(api_bool(r.json, "emergency"));
	CHECK(!api_bool(r.json, "is_case"));
	CHECK(strstr(api_str(r.json, "address_text"), "双龙大道") != NULL);
	CHECK_STR(api_str(r.json, "steps.0.action"), "received");
	CHECK_STR(api_str(r.json, "steps.0.user_name"), "officer");
	api_resp_free(&r);
	r = intake(env, &c, "");
	CHECK_STR(api_str(r.json, "number"), api_fmt("LL-%d-000002", year_now()));
	api_resp_free(&r);
	/* Another station counts on its own, with its code as the prefix. */
	r = intake(env, &b, "");
	check_status(r, 201);
	CHECK(strstr(api_str(r.json, "number"), api_fmt("-%d-000001", year_now())) != NULL);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "incident.create", NULL);
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "object_type"), "incident");
		json_decref(e);
	}
	api_env_free(env);
}

TEST(intake_refuses_bad_input_naming_the_field)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t person;

	CHECK(api_login_enrolled(env, &c, "officer"));
	person = api_new_person(env, &c, "张三", API_ID_NUMBER, NULL);
	r = api_call(env, &c, "POST", "/api/incidents",
		     "{\"category\":\"dispute\",\"narrative\":\"x\"}");
	check_error(r, 422, "required", "channel");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/incidents",
		     "{\"channel\":\"fax\",\"category\":\"dispute\",\"narrative\":\"x\"}");
	check_error(r, 422, NULL, "channel");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/incidents",
		     "{\"channel\":\"phone\",\"category\":\"dispute\",\"subcategory\":\"fire\","
		     "\"narrative\":\"x\"}");
	check_error(r, 422, NULL, "subcategory");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/incidents",
		     "{\"channel\":\"phone\",\"category\":\"dispute\",\"narrative\":\"  \"}");
	check_error(r, 422, NULL, "narrative");
	api_resp_free(&r);
	r = intake(env, &c, ",\"received_at\":\"2099-01-01T00:00:00Z\"");
	check_error(r, 422, NULL, "received_at");
	api_resp_free(&r);
	r = intake(env, &c, ",\"caller_id\":999999");
	check_error(r, 422, NULL, "caller_id");
	api_resp_free(&r);
	r = intake(env, &c, api_fmt(",\"caller_id\":%lld,\"caller_name\":\"王\"", (long long)person));
	check_error(r, 422, NULL, "caller_name");
	api_resp_free(&r);
	r = intake(env, &c, api_fmt(",\"parties\":[{\"person_id\":%lld,\"role\":\"boss\"}]",
				    (long long)person));
	check_error(r, 422, NULL, "parties[0].role");
	api_resp_free(&r);
	r = intake(env, &c, ",\"caller_phone\":\"12\"");
	check_error(r, 422, NULL, "caller_phone");
	api_resp_free(&r);
	r = intake(env, &c, ",\"colour\":\"red\"");
	check_status(r, 422);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM incidents"), 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM record_numbers"), 0);
	api_env_free(env);
}

TEST(whole_lifecycle_with_steps_and_actors)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = handled(env, &c, "");
	step_ok(env, &c, id, "close", "{\"disposal\":\"on_site_mediation\","
				      "\"disposal_note\":\"双方达成谅解\"}", "closed");
	step_ok(env, &c, id, "followup", "{\"reached\":false,\"note\":\"无人接听\"}", "closed");
	step_ok(env, &c, id, "followup", "{\"reached\":true,\"satisfaction\":\"satisfied\"}",
		"reviewed");
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "disposal"), "on_site_mediation");
	CHECK_STR(api_str(r.json, "closed_by_name"), "officer");
	CHECK(api_str(r.json, "dispatched_at") && api_str(r.json, "arrived_at") &&
	      api_str(r.json, "handling_at") && api_str(r.json, "closed_at") &&
	      api_str(r.json, "reviewed_at"));
	CHECK_INT(api_int(r.json, "target_minutes"), 5);
	CHECK(!api_bool(r.json, "arrival_late"));
	CHECK_INT(api_len(r.json, "steps"), 7);
	CHECK_STR(api_str(r.json, "steps.1.action"), "dispatched");
	CHECK_STR(api_str(r.json, "steps.2.status"), "on_scene");
	CHECK_STR(api_str(r.json, "steps.6.status"), "reviewed");
	CHECK_INT(api_len(r.json, "followups"), 2);
	CHECK(api_str(r.json, "responders.0.released_at") != NULL);
	CHECK_INT(api_len(r.json, "actions"), 1); /* only convert is left */
	api_resp_free(&r);
	api_env_free(env);
}

TEST(illegal_transitions_are_refused_and_change_nothing)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = new_incident(env, &c, "");
	r = act(env, &c, id, "handle", "{}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "arrive", "{}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "followup", "{\"reached\":true,\"satisfaction\":\"satisfied\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "close", "{\"disposal\":\"on_site_mediation\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "onsite-record",
		"{\"facts\":\"x\",\"disposal\":\"y\",\"signatures\":[]}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	step_ok(env, &c, id, "dispatch", dispatch_body(env, "officer"), "dispatched");
	r = act(env, &c, id, "dispatch", dispatch_body(env, "officer"));
	check_error(r, 409, NULL, "user_ids");
	api_resp_free(&r);
	r = act(env, &c, id, "arrive", api_fmt("{\"user_id\":%lld}",
					      (long long)api_user_id(env, "aux")));
	check_error(r, 409, NULL, "user_id");
	api_resp_free(&r);
	step_ok(env, &c, id, "arrive", "{}", "on_scene");
	r = act(env, &c, id, "arrive", "{}");
	check_error(r, 409, NULL, "user_id");
	api_resp_free(&r);
	step_ok(env, &c, id, "handle", "{}", "handling");
	r = act(env, &c, id, "handle", "{}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	step_ok(env, &c, id, "close", "{\"disposal\":\"persuaded\"}", "closed");
	r = act(env, &c, id, "close", "{\"disposal\":\"persuaded\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "dispatch", dispatch_body(env, "aux"));
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "carry-over", "{\"reason\":\"明天再处理\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", api_fmt("/api/incidents/%lld", (long long)id),
		     "{\"narrative\":\"改\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	r = act(env, &c, id, "followup", "{\"reached\":true}");
	check_error(r, 422, NULL, "satisfaction");
	api_resp_free(&r);
	step_ok(env, &c, id, "followup", "{\"reached\":true,\"satisfaction\":\"very_satisfied\"}",
		"reviewed");
	r = act(env, &c, id, "followup", "{\"reached\":true,\"satisfaction\":\"satisfied\"}");
	check_error(r, 409, "bad_transition", "status");
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM incident_followups WHERE"
					 " incident_id = %lld", (long long)id)),
		  1);
	{
		json_t *e = api_audit_last(env, "incident.followup", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	api_env_free(env);
}

TEST(dispatch_goes_only_to_staff_on_the_current_shift)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = new_incident(env, &c, "");
	r = act(env, &c, id, "dispatch", dispatch_body(env, "officer"));
	check_error(r, 409, "not_on_duty", "user_ids");
	api_resp_free(&r);
	staff_on_shift(env);
	/* One on duty and one of another station: all or nothing. */
	r = act(env, &c, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld,%lld]}", (long long)api_user_id(env, "officer"),
			(long long)api_user_id(env, "officer.b")));
	check_error(r, 422, NULL, "user_ids");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM incident_responders"), 0);
	r = act(env, &c, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(env, "mediator")));
	check_error(r, 422, NULL, "user_ids");
	api_resp_free(&r);
	r = act(env, &c, id, "dispatch", "{\"user_ids\":[]}");
	check_error(r, 422, NULL, "user_ids");
	api_resp_free(&r);
	r = act(env, &c, id, "dispatch", "{\"user_ids\":[\"x\"]}");
	check_error(r, 422, "wrong_type", "user_ids[0]");
	api_resp_free(&r);
	step_ok(env, &c, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld,%lld],\"note\":\"带执法记录仪\"}",
			(long long)api_user_id(env, "officer"), (long long)api_user_id(env, "aux")),
		"dispatched");
	CHECK_INT(api_count(env, "SELECT count(*) FROM incident_responders"), 2);
	api_env_free(env);
}

TEST(late_arrival_against_the_area_target_is_flagged)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = new_incident(env, &c, "");
	step_ok(env, &c, id, "dispatch", dispatch_body(env, "officer"), "dispatched");
	/* Dispatched 6 minutes ago: the urban target is 5. */
	CHECK(api_exec(env, api_fmt("UPDATE incidents SET dispatched_at = dispatched_at - 360000"
				    " WHERE id = %lld", (long long)id)));
	CHECK(api_exec(env, "UPDATE incident_responders SET dispatched_at = dispatched_at - 360000"));
	r = api_call(env, &c, "GET", "/api/incidents/board", NULL);
	CHECK_STR(api_str(r.json, "incidents.0.arrival.state"), "overdue");
	CHECK_INT(api_int(r.json, "incidents.0.arrival.target_minutes"), 5);
	api_resp_free(&r);
	r = act(env, &c, id, "arrive", "{}");
	check_status(r, 200);
	CHECK(api_bool(r.json, "arrival_late"));
	CHECK_STR(api_str(r.json, "arrival.state"), "late");
	CHECK(api_int(r.json, "arrival.took_seconds") >= 360);
	CHECK(api_bool(r.json, "responders.0.late"));
	api_resp_free(&r);
	/* The board and the list say the same as the detail. */
	r = act(env, &c, new_incident(env, &c, ""), "dispatch", dispatch_body(env, "aux"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents/board", NULL);
	for (size_t k = 0; k < api_len(r.json, "incidents"); k++) {
		json_t *i = json_array_get(api_get(r.json, "incidents"), k);
		if (api_int(i, "id") == id)
			CHECK_STR(api_str(i, "arrival.state"), "late");
	}
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?status=open", NULL);
	CHECK_INT(api_int(r.json, "items.1.id"), id);
	CHECK_STR(api_str(r.json, "items.1.arrival.state"), "late");
	CHECK(api_bool(r.json, "items.1.arrival_late"));
	CHECK_STR(api_str(r.json, "items.0.arrival.state"), "counting");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(undispatched_call_shows_its_target_and_comes_first)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t emerg, old, fresh, fresh_emerg;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	emerg = new_incident(env, &c, ",\"emergency\":true");
	step_ok(env, &c, emerg, "dispatch", dispatch_body(env, "officer"), "dispatched");
	old = new_incident(env, &c, "");
	step_ok(env, &c, old, "dispatch", dispatch_body(env, "aux"), "dispatched");
	fresh = new_incident(env, &c, "");
	fresh_emerg = new_incident(env, &c, ",\"emergency\":true");
	/* Not dispatched yet, an urban call shows its 5 minutes. */
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)fresh), NULL);
	CHECK_STR(api_str(r.json, "arrival.state"), "waiting");
	CHECK_INT(api_int(r.json, "arrival.target_minutes"), 5);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?status=received", NULL);
	CHECK_STR(api_str(r.json, "items.0.arrival.state"), "waiting");
	CHECK_INT(api_int(r.json, "items.0.arrival.target_minutes"), 5);
	api_resp_free(&r);
	/* The board: waiting for dispatch first (emergencies first among
	 * them), then the rest, emergencies first, oldest first. */
	r = api_call(env, &c, "GET", "/api/incidents/board", NULL);
	CHECK_INT(api_len(r.json, "incidents"), 4);
	CHECK_INT(api_int(r.json, "incidents.0.id"), fresh_emerg);
	CHECK_INT(api_int(r.json, "incidents.1.id"), fresh);
	CHECK_INT(api_int(r.json, "incidents.2.id"), emerg);
	CHECK_INT(api_int(r.json, "incidents.3.id"), old);
	CHECK_STR(api_str(r.json, "incidents.1.arrival.state"), "waiting");
	CHECK_INT(api_int(r.json, "incidents.1.arrival.target_minutes"), 5);
	CHECK_STR(api_str(r.json, "incidents.2.arrival.state"), "counting");
	CHECK(api_str(r.json, "incidents.2.arrival.due_at") != NULL);
	{
		/* The board writes its times itself: the same text as the detail. */
		struct api_resp d = api_call(env, &c, "GET",
					     api_fmt("/api/incidents/%lld", (long long)emerg), NULL);
		CHECK_STR(api_str(r.json, "incidents.2.received_at"), api_str(d.json, "received_at"));
		CHECK_STR(api_str(r.json, "incidents.2.updated_at"), api_str(d.json, "updated_at"));
		CHECK_STR(api_str(r.json, "incidents.2.arrival.due_at"), api_str(d.json, "arrival.due_at"));
		CHECK_STR(api_str(r.json, "incidents.2.number"), api_str(d.json, "number"));
		CHECK_STR(api_str(r.json, "incidents.2.narrative"), api_str(d.json, "narrative"));
		api_resp_free(&d);
	}
	api_resp_free(&r);
	api_env_free(env);
}

/* An aux of a village office (a grid below the station) dispatched to a call
 * of the station: sees it in the detail, the board and the list, and acts on
 * it within the rules; nothing else of the station becomes visible. */
TEST(responder_of_another_unit_sees_and_acts_on_the_call)
{
	struct api_env *env = api_env_new();
	struct api_client o, a;
	struct api_resp r;
	int64_t id, other;

	staff_on_shift(env);
	CHECK(api_exec(env, api_fmt("UPDATE users SET org_id = %lld WHERE username = 'aux'",
				    (long long)env->g_a1)));
	CHECK(api_login_enrolled(env, &o, "officer"));
	CHECK(api_login_enrolled(env, &a, "aux"));
	id = new_incident(env, &o, ",\"category\":\"report\",\"subcategory\":\"criminal\"");
	other = new_incident(env, &o, "");
	/* Not dispatched: out of her scope. */
	r = api_call(env, &a, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(env, &a, "GET", "/api/incidents/board", NULL);
	CHECK_INT(api_len(r.json, "incidents"), 0);
	api_resp_free(&r);
	step_ok(env, &o, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld,%lld]}", (long long)api_user_id(env, "aux"),
			(long long)api_user_id(env, "officer")),
		"dispatched");
	/* Dispatched: the detail with what she may do, the board, the list. */
	r = api_call(env, &a, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK(api_len(r.json, "actions") > 0);
	api_resp_free(&r);
	r = api_call(env, &a, "GET", "/api/incidents/board", NULL);
	CHECK_INT(api_len(r.json, "incidents"), 1);
	CHECK_INT(api_int(r.json, "incidents.0.id"), id);
	api_resp_free(&r);
	for (int k = 0; k < 3; k++) {
		static const char *const q[] = {"", "?status=open", "?status=dispatched"};
		r = api_call(env, &a, "GET", api_fmt("/api/incidents%s", q[k]), NULL);
		CHECK_INT(api_len(r.json, "items"), 1);
		CHECK_INT(api_int(r.json, "items.0.id"), id);
		api_resp_free(&r);
	}
	/* The other call stays out of sight and out of reach. */
	r = api_call(env, &a, "GET", api_fmt("/api/incidents/%lld", (long long)other), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = act(env, &a, other, "handle", "{}");
	check_status(r, 404);
	api_resp_free(&r);
	/* She arrives and handles; a case-type call she closes only with the
	 * officer who went with her. */
	step_ok(env, &a, id, "arrive", "{}", "on_scene");
	step_ok(env, &a, id, "handle", "{\"note\":\"现场询问\"}", "handling");
	r = act(env, &a, id, "close", "{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-9\"}");
	check_error(r, 403, "aux_alone", "co_closer_id");
	api_resp_free(&r);
	r = act(env, &a, id, "close",
		api_fmt("{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-9\",\"co_closer_id\":%lld}",
			(long long)api_user_id(env, "officer")));
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "closed");
	api_resp_free(&r);
	/* Closed: off her board, still hers to read. */
	r = api_call(env, &a, "GET", "/api/incidents/board", NULL);
	CHECK_INT(api_len(r.json, "incidents"), 0);
	api_resp_free(&r);
	r = api_call(env, &a, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM audit_log WHERE action = 'incident.close'"
				 " AND outcome = 'success' AND username = 'aux'"), 1);
	api_env_free(env);
}

TEST(case_type_incidents_need_a_case_reference_and_an_officer)
{
	struct api_env *env = api_env_new();
	struct api_client o, a;
	struct api_resp r;
	const char *theft = ",\"category\":\"report\",\"subcategory\":\"criminal\"";
	int64_t id, id2;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &o, "officer"));
	CHECK(api_login_enrolled(env, &a, "aux"));
	r = api_call(env, &o, "POST", "/api/incidents",
		     "{\"channel\":\"walk_in\",\"category\":\"report\",\"subcategory\":\"criminal\","
		     "\"narrative\":\"电动车被盗\"}");
	check_status(r, 201);
	CHECK(api_bool(r.json, "is_case"));
	id = api_int(r.json, "id");
	api_resp_free(&r);
	(void)theft;
	r = act(env, &o, id, "close", "{\"disposal\":\"false_call\"}");
	check_error(r, 422, NULL, "disposal");
	api_resp_free(&r);
	step_ok(env, &o, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld,%lld]}", (long long)api_user_id(env, "aux"),
			(long long)api_user_id(env, "officer")),
		"dispatched");
	step_ok(env, &a, id, "arrive", "{}", "on_scene");
	step_ok(env, &a, id, "handle", "{}", "handling");
	r = act(env, &o, id, "close", "{\"disposal\":\"on_site_mediation\"}");
	check_error(r, 422, NULL, "case_ref");
	api_resp_free(&r);
	r = act(env, &o, id, "close", "{\"disposal\":\"case_accepted\",\"no_case_reason\":\"不构成违法犯罪\"}");
	check_error(r, 422, NULL, "case_ref");
	api_resp_free(&r);
	r = act(env, &o, id, "close", "{\"disposal\":\"persuaded\",\"no_case_reason\":\"短\"}");
	check_error(r, 422, "too_short", "no_case_reason");
	api_resp_free(&r);
	/* The aux cannot close it alone … */
	r = act(env, &a, id, "close", "{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-1\"}");
	check_error(r, 403, "aux_alone", "co_closer_id");
	api_resp_free(&r);
	/* … nor with an officer who did not respond … */
	r = act(env, &a, id, "close",
		api_fmt("{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-1\",\"co_closer_id\":%lld}",
			(long long)api_user_id(env, "chief")));
	check_error(r, 422, NULL, "co_closer_id");
	api_resp_free(&r);
	r = act(env, &a, id, "close",
		api_fmt("{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-1\",\"co_closer_id\":%lld}",
			(long long)api_user_id(env, "aux")));
	check_error(r, 422, NULL, "co_closer_id");
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM incidents WHERE id = %lld AND"
					 " status = 'handling'", (long long)id)),
		  1);
	/* … but with the officer who went with them. */
	r = act(env, &a, id, "close",
		api_fmt("{\"disposal\":\"case_accepted\",\"case_ref\":\"A2026-1\",\"co_closer_id\":%lld}",
			(long long)api_user_id(env, "officer")));
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "closed");
	CHECK_STR(api_str(r.json, "case_ref"), "A2026-1");
	CHECK_STR(api_str(r.json, "co_closer_name"), "officer");
	api_resp_free(&r);
	/* An officer may close one with a written reason instead of a case. */
	id2 = handled(env, &o, theft);
	step_ok(env, &o, id2, "close",
		"{\"disposal\":\"persuaded\",\"no_case_reason\":\"经查系误会，不构成违法\"}", "closed");
	/* A non-case call may be closed at once as answered on the phone. */
	id2 = new_incident(env, &a, "");
	step_ok(env, &a, id2, "close", "{\"disposal\":\"answered_by_phone\"}", "closed");
	api_env_free(env);
}

static const char *record_body(const char *roles)
{
	char sigs[4096] = "";
	size_t used = 0;

	for (const char *p = roles; *p; p++) {
		const char *role = *p == 'p' ? "party" : *p == 'o' ? "officer" : "witness";
		used += (size_t)snprintf(sigs + used, sizeof(sigs) - used,
					 "%s{\"role\":\"%s\",\"name\":\"签%c\",\"image\":\"" PNG "\"}",
					 used ? "," : "", role, *p);
	}
	return api_fmt("{\"facts\":\"楼上住户深夜装修，噪音扰民\",\"disposal\":\"现场调解，约定晚十点后停工\","
		       "\"signatures\":[%s]}",
		       sigs);
}

TEST(onsite_record_is_sealed_and_verified)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = handled(env, &c, "");
	r = act(env, &c, id, "onsite-record", record_body("pw"));
	check_error(r, 422, NULL, "signatures");
	api_resp_free(&r);
	r = act(env, &c, id, "onsite-record",
		"{\"facts\":\"x\",\"disposal\":\"y\",\"signatures\":[{\"role\":\"party\",\"name\":\"a\","
		"\"image\":\"data:image/png;base64,aGVsbG8=\"}]}");
	check_error(r, 422, NULL, "signatures");
	api_resp_free(&r);
	r = act(env, &c, id, "onsite-record",
		"{\"facts\":\"x\",\"disposal\":\"y\",\"signatures\":[{\"role\":\"party\"}]}");
	check_error(r, 422, "required", "signatures[0].name");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM onsite_signatures"), 0);
	r = act(env, &c, id, "onsite-record", record_body("pow"));
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "onsite_record.signatures"), 3);
	CHECK_INT(strlen(api_str(r.json, "onsite_record.seal")), 64);
	api_resp_free(&r);
	r = act(env, &c, id, "onsite-record", record_body("pow"));
	check_error(r, 409, "sealed", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld/onsite-record", (long long)id), NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "seal_ok"));
	CHECK_STR(api_str(r.json, "signatures.0.image"), PNG);
	CHECK_STR(api_str(r.json, "signatures.0.name"), "签o");
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "incident.onsite_read", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		json_decref(e);
	}
	/* A changed word breaks the seal. */
	CHECK(api_exec(env, "UPDATE onsite_records SET facts = '楼上住户白天装修'"));
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld/onsite-record", (long long)id), NULL);
	CHECK(!api_bool(r.json, "seal_ok"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(repeats_link_same_address_caller_or_party)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t addr, person, first, second;

	CHECK(api_login_enrolled(env, &c, "officer"));
	addr = api_new_address(env, &c, env->g_a1, "金港路", "8号");
	person = api_new_person(env, &c, "李四", API_ID_NUMBER, NULL);
	first = new_incident(env, &c, api_fmt(",\"address_id\":%lld", (long long)addr));
	second = new_incident(env, &c, api_fmt(",\"address_id\":%lld,\"caller_phone\":\"13900001111\"",
					       (long long)addr));
	CHECK(first && second);
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)second), NULL);
	CHECK_INT(api_int(r.json, "repeat_count"), 1);
	CHECK_INT(api_int(r.json, "repeats.0.id"), first);
	CHECK_STR(api_str(r.json, "repeats.0.reason"), "address");
	api_resp_free(&r);
	/* Same phone and a party who was the caller before. */
	new_incident(env, &c, api_fmt(",\"caller_id\":%lld", (long long)person));
	r = intake(env, &c, api_fmt(",\"caller_phone\":\"13900001111\",\"parties\":[{\"person_id\":%lld,"
				    "\"role\":\"party\"}]",
				    (long long)person));
	check_status(r, 201);
	CHECK_INT(api_int(r.json, "repeat_count"), 2);
	CHECK_STR(api_str(r.json, "repeats.0.reason"), "party");
	CHECK_STR(api_str(r.json, "repeats.1.reason"), "caller");
	api_resp_free(&r);
	/* Outside the window nothing is linked. */
	CHECK(api_exec(env, "UPDATE incidents SET received_at = received_at - 3456000000"));
	r = intake(env, &c, api_fmt(",\"address_id\":%lld", (long long)addr));
	CHECK_INT(api_int(r.json, "repeat_count"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

static bool str_ends(const char *s, const char *end)
{
	size_t n = s ? strlen(s) : 0, m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* An earlier incident found by several sources is linked once, its reasons
 * in the order address, caller, party; and it is linked again by a later
 * one (not only by the first after it). */
TEST(repeats_found_by_several_sources_keep_one_link)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t addr, person, other, first, second;
	char id_number[19];

	CHECK(api_login_enrolled(env, &c, "officer"));
	api_id_number("110105", "19800101", "013", id_number);
	addr = api_new_address(env, &c, env->g_a1, "金港路", "9号");
	person = api_new_person(env, &c, "赵六", API_ID_NUMBER, NULL);
	other = api_new_person(env, &c, "钱七", id_number, NULL);
	CHECK(addr && person && other);
	first = new_incident(env, &c, api_fmt(",\"address_id\":%lld,\"caller_id\":%lld,"
					      "\"parties\":[{\"person_id\":%lld,\"role\":\"party\"}]",
					      (long long)addr, (long long)person, (long long)other));
	second = new_incident(env, &c, api_fmt(",\"address_id\":%lld", (long long)addr));
	CHECK(first && second);
	/* Same address, same caller, and the earlier party is a party again:
	 * the first incident is found by all three, the second by address. */
	r = intake(env, &c, api_fmt(",\"address_id\":%lld,\"caller_id\":%lld,"
				    "\"parties\":[{\"person_id\":%lld,\"role\":\"party\"}]",
				    (long long)addr, (long long)person, (long long)other));
	check_status(r, 201);
	CHECK_INT(api_int(r.json, "repeat_count"), 2);
	CHECK_INT(api_int(r.json, "repeats.0.id"), second);
	CHECK_STR(api_str(r.json, "repeats.0.reason"), "address");
	CHECK_INT(api_int(r.json, "repeats.1.id"), first);
	CHECK_STR(api_str(r.json, "repeats.1.reason"), "address caller party");
	/* The number is the station's next one, not the placeholder the row
	 * had until the number was taken. */
	CHECK(str_ends(api_str(r.json, "number"), api_fmt("-%d-000003", year_now())));
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM incidents WHERE number LIKE 'pending-%'"), 0);
	api_env_free(env);
}

TEST(convert_to_dispute_carries_parties_address_and_facts)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t addr, caller, party, id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_exec(env, api_fmt("UPDATE org_units SET number_prefix = 'LL' WHERE id = %lld",
				    (long long)env->st_a)));
	addr = api_new_address(env, &c, env->g_a2, "金开大道", "1号");
	caller = api_new_person(env, &c, "王五", API_ID_NUMBER, NULL);
	{
		char other[19];
		api_id_number("110105", "19800101", "123", other);
		party = api_new_person(env, &c, "赵六", other, NULL);
	}
	id = new_incident(env, &c, api_fmt(",\"address_id\":%lld,\"caller_id\":%lld,\"parties\":"
					   "[{\"person_id\":%lld,\"role\":\"party\"}]",
					   (long long)addr, (long long)caller, (long long)party));
	r = act(env, &c, id, "convert", "{}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "number"), api_fmt("LL-JF-%d-000001", year_now()));
	api_resp_free(&r);
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM disputes WHERE source_incident_id = %lld"
					 " AND address_id = %lld AND facts LIKE '%%噪音%%'"
					 " AND category = 'neighbour'",
					 (long long)id, (long long)addr)),
		  1);
	CHECK_INT(api_count(env, "SELECT count(*) FROM dispute_parties"), 2);
	r = act(env, &c, id, "convert", "{}");
	check_error(r, 409, "converted", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "dispute_number"), api_fmt("LL-JF-%d-000001", year_now()));
	api_resp_free(&r);
	/* Both persons' files show the incident. */
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld/timeline", (long long)party), NULL);
	CHECK_STR(api_str(r.json, "items.0.object_type"), "incident");
	api_resp_free(&r);
	api_env_free(env);
}

/* What the server says about each step is a code and params, in no language;
 * what a person typed stays the note. Names are ids with the name as it was. */
TEST(steps_and_timeline_are_codes_with_params)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id, caller, party, witness, officer, aux;
	char no[19], number[64];

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	officer = api_user_id(env, "officer");
	aux = api_user_id(env, "aux");
	api_id_number("110105", "19800101", "131", no);
	caller = api_new_person(env, &c, "钱七", no, NULL);
	api_id_number("110105", "19800101", "151", no);
	party = api_new_person(env, &c, "孙八", no, NULL);
	api_id_number("110105", "19800101", "171", no);
	witness = api_new_person(env, &c, "周九", no, NULL);
	id = new_incident(env, &c, api_fmt(",\"caller_id\":%lld,\"parties\":"
					   "[{\"person_id\":%lld,\"role\":\"victim\"}]",
					   (long long)caller, (long long)party));
	r = api_call(env, &c, "PATCH", api_fmt("/api/incidents/%lld", (long long)id),
		     "{\"emergency\":true}");
	check_status(r, 200);
	api_resp_free(&r);
	step_ok(env, &c, id, "dispatch",
		api_fmt("{\"user_ids\":[%lld,%lld],\"note\":\"带执法记录仪\"}", (long long)officer,
			(long long)aux),
		"dispatched");
	/* A renamed responder keeps the name they had in the step. */
	CHECK(api_exec(env, "UPDATE users SET display_name = '改名后' WHERE username = 'aux'"));
	step_ok(env, &c, id, "arrive", api_fmt("{\"user_id\":%lld}", (long long)aux), "on_scene");
	step_ok(env, &c, id, "arrive", "{}", "on_scene");
	step_ok(env, &c, id, "handle", "{\"note\":\"现场调解\"}", "handling");
	r = act(env, &c, id, "parties", api_fmt("{\"person_id\":%lld,\"role\":\"witness\"}",
						(long long)witness));
	check_status(r, 200);
	api_resp_free(&r);
	r = act(env, &c, id, "onsite-record", record_body("po"));
	check_status(r, 201);
	api_resp_free(&r);
	step_ok(env, &c, id, "close", "{\"disposal\":\"on_site_mediation\"}", "closed");
	step_ok(env, &c, id, "followup", "{\"reached\":false,\"note\":\"无人接听\"}", "closed");
	step_ok(env, &c, id, "followup", "{\"reached\":true,\"satisfaction\":\"satisfied\"}",
		"reviewed");
	r = act(env, &c, id, "convert", "{}");
	check_status(r, 201);
	api_resp_free(&r);

	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "steps"), 12);
	snprintf(number, sizeof(number), "%s", api_str(r.json, "number"));
	CHECK_STR(api_str(r.json, "steps.0.code"), "received");
	CHECK(json_is_object(api_get(r.json, "steps.0.params")));
	CHECK_INT(json_object_size(api_get(r.json, "steps.0.params")), 0);
	CHECK(json_is_null(api_get(r.json, "steps.0.note")));
	CHECK_STR(api_str(r.json, "steps.1.code"), "edited");
	CHECK_STR(api_str(r.json, "steps.2.code"), "dispatched");
	CHECK_INT(api_len(r.json, "steps.2.params.responders"), 2);
	CHECK_INT(api_int(r.json, "steps.2.params.responders.0.id"), officer);
	CHECK_STR(api_str(r.json, "steps.2.params.responders.0.name"), "officer");
	CHECK_INT(api_int(r.json, "steps.2.params.responders.1.id"), aux);
	CHECK_STR(api_str(r.json, "steps.2.params.responders.1.name"), "aux");
	CHECK_STR(api_str(r.json, "steps.2.note"), "带执法记录仪");
	CHECK_STR(api_str(r.json, "steps.3.code"), "arrived_for");
	CHECK_INT(api_int(r.json, "steps.3.params.responder.id"), aux);
	CHECK_STR(api_str(r.json, "steps.3.params.responder.name"), "改名后");
	CHECK(json_is_null(api_get(r.json, "steps.3.note")));
	CHECK_STR(api_str(r.json, "steps.4.code"), "arrived");
	CHECK_INT(json_object_size(api_get(r.json, "steps.4.params")), 0);
	CHECK_STR(api_str(r.json, "steps.5.code"), "handling");
	CHECK_STR(api_str(r.json, "steps.5.note"), "现场调解");
	CHECK_STR(api_str(r.json, "steps.6.code"), "party_added");
	CHECK_INT(api_int(r.json, "steps.6.params.person.id"), witness);
	CHECK_STR(api_str(r.json, "steps.6.params.person.name"), "周九");
	CHECK_STR(api_str(r.json, "steps.6.params.role"), "witness");
	CHECK(json_is_null(api_get(r.json, "steps.6.note")));
	CHECK_STR(api_str(r.json, "steps.7.code"), "onsite_record");
	CHECK_STR(api_str(r.json, "steps.7.params.seal"), api_str(r.json, "onsite_record.seal"));
	CHECK_STR(api_str(r.json, "steps.8.code"), "closed");
	CHECK_STR(api_str(r.json, "steps.8.params.disposal"), "on_site_mediation");
	CHECK(json_is_null(api_get(r.json, "steps.8.note")));
	CHECK_STR(api_str(r.json, "steps.9.code"), "followup_unreached");
	CHECK_STR(api_str(r.json, "steps.9.note"), "无人接听");
	CHECK_STR(api_str(r.json, "steps.10.code"), "reviewed");
	CHECK_STR(api_str(r.json, "steps.10.params.satisfaction"), "satisfied");
	CHECK(json_is_null(api_get(r.json, "steps.10.note")));
	CHECK_STR(api_str(r.json, "steps.11.code"), "converted");
	CHECK_INT(api_int(r.json, "steps.11.params.dispute.id"), api_int(r.json, "dispute_id"));
	CHECK_STR(api_str(r.json, "steps.11.params.dispute.number"),
		  api_str(r.json, "dispute_number"));
	api_resp_free(&r);
	/* No step holds a generated text in its note any more. */
	CHECK_INT(api_count(env, "SELECT count(*) FROM incident_steps WHERE note LIKE 'user %'"
				 " OR note LIKE '%、%' OR note = 'on_site_mediation'"
				 " OR note = 'satisfied'"),
		  0);

	/* One person, one file: the events are codes with the incident's number. */
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld/timeline", (long long)caller),
		     NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "items.0.kind"), "incident");
	CHECK_STR(api_str(r.json, "items.0.code"), "incident_caller");
	CHECK_STR(api_str(r.json, "items.0.params.number"), number);
	CHECK(api_get(r.json, "items.0.title") == NULL);
	CHECK_INT(api_int(r.json, "items.0.object_id"), id);
	CHECK_STR(api_str(r.json, "items.1.code"), "registered");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld/timeline", (long long)party), NULL);
	CHECK_STR(api_str(r.json, "items.0.code"), "incident_party");
	CHECK_STR(api_str(r.json, "items.0.params.role"), "victim");
	CHECK_STR(api_str(r.json, "items.0.params.number"), number);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld/timeline", (long long)witness),
		     NULL);
	CHECK_STR(api_str(r.json, "items.0.code"), "incident_party");
	CHECK_STR(api_str(r.json, "items.0.params.role"), "witness");
	api_resp_free(&r);
	api_env_free(env);
}

/* A carried-over step keeps the typed reason as its note. */
TEST(carried_over_step_keeps_the_reason)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = new_incident(env, &c, "");
	step_ok(env, &c, id, "carry-over", "{\"reason\":\"当事人外出，明日再约\"}", NULL);
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "steps.1.code"), "carried_over");
	CHECK_INT(json_object_size(api_get(r.json, "steps.1.params")), 0);
	CHECK_STR(api_str(r.json, "steps.1.note"), "当事人外出，明日再约");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(daily_clear_lists_undisposed_and_carries_over)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t a, b, today;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	a = new_incident(env, &c, "");
	b = new_incident(env, &c, "");
	r = api_call(env, &c, "GET", "/api/incidents/daily-clear", NULL);
	check_status(r, 200);
	today = api_int(r.json, "day");
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	step_ok(env, &c, a, "close", "{\"disposal\":\"answered_by_phone\"}", "closed");
	r = act(env, &c, b, "carry-over", "{}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	step_ok(env, &c, b, "carry-over", "{\"reason\":\"当事人外出，明日再约\"}", NULL);
	r = act(env, &c, b, "carry-over", "{\"reason\":\"again\"}");
	check_error(r, 409, "carried_over", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents/daily-clear", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	{
		int64_t tomorrow = api_count(env, api_fmt("SELECT carried_over_to FROM incidents"
							  " WHERE id = %lld", (long long)b));
		CHECK(tomorrow > today);
		r = api_call(env, &c, "GET",
			     api_fmt("/api/incidents/daily-clear?day=%lld", (long long)tomorrow), NULL);
		CHECK_INT(api_len(r.json, "items"), 1);
		CHECK_INT(api_int(r.json, "items.0.id"), b);
		api_resp_free(&r);
	}
	{
		/* The API's date form, 2026-05-01, and the compact one the browser sends. */
		int64_t tomorrow = api_count(env, api_fmt("SELECT carried_over_to FROM incidents"
							  " WHERE id = %lld", (long long)b));
		r = api_call(env, &c, "GET",
			     api_fmt("/api/incidents/daily-clear?day=%04lld-%02lld-%02lld",
				     (long long)(tomorrow / 10000), (long long)(tomorrow / 100 % 100),
				     (long long)(tomorrow % 100)),
			     NULL);
		check_status(r, 200);
		CHECK_INT(api_int(r.json, "day"), tomorrow);
		CHECK_INT(api_len(r.json, "items"), 1);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", api_fmt("/api/incidents?day=%04lld-%02lld-%02lld",
						      (long long)(today / 10000),
						      (long long)(today / 100 % 100),
						      (long long)(today % 100)),
			     NULL);
		check_status(r, 200);
		CHECK_INT(api_len(r.json, "items"), 2);
		api_resp_free(&r);
	}
	r = api_call(env, &c, "GET", "/api/incidents/daily-clear?day=20261341", NULL);
	check_error(r, 400, "bad_query", "day");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents/daily-clear?day=2026-13-01", NULL);
	check_error(r, 400, "bad_query", "day");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(board_shows_open_incidents_and_who_is_free)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char version[64];
	int64_t id;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	new_incident(env, &c, "");
	id = new_incident(env, &c, ",\"emergency\":true");
	step_ok(env, &c, id, "dispatch", dispatch_body(env, "aux"), "dispatched");
	r = api_call(env, &c, "GET", "/api/incidents/board", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "incidents"), 2);
	CHECK_INT(api_int(r.json, "incidents.1.id"), id); /* the one waiting for dispatch first */
	/* Only what the board shows: no caller, no disposal, no unit names. */
	for (size_t k = 0; k < 2; k++) {
		json_t *i = json_array_get(api_get(r.json, "incidents"), k);
		CHECK(!api_get(i, "caller_phone") && !api_get(i, "caller_name") &&
		      !api_get(i, "disposal") && !api_get(i, "org_name"));
		CHECK(api_str(i, "number") && api_str(i, "narrative") && api_str(i, "arrival.state"));
	}
	CHECK_INT(api_len(r.json, "staff"), 3);
	for (size_t k = 0; k < api_len(r.json, "staff"); k++) {
		json_t *s = json_array_get(api_get(r.json, "staff"), k);
		bool aux = api_int(s, "user_id") == api_user_id(env, "aux");
		CHECK(api_bool(s, "busy") == aux);
	}
	snprintf(version, sizeof(version), "%s", api_str(r.json, "version"));
	api_resp_free(&r);
	/* Unchanged: only the version comes back (the server would wait). */
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/board?version=%s", version), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "version"), version);
	CHECK(!api_get(r.json, "incidents"));
	api_resp_free(&r);
	step_ok(env, &c, id, "arrive", api_fmt("{\"user_id\":%lld}", (long long)api_user_id(env, "aux")),
		"on_scene");
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/board?version=%s", version), NULL);
	CHECK(api_get(r.json, "incidents") != NULL);
	CHECK(strcmp(api_str(r.json, "version"), version));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(scope_and_permissions)
{
	struct api_env *env = api_env_new();
	struct api_client c, b, v, ch;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	CHECK(api_login_enrolled(env, &v, "volunteer"));
	CHECK(api_login_enrolled(env, &ch, "chief"));
	id = new_incident(env, &c, "");
	r = api_call(env, &b, "GET", api_fmt("/api/incidents/%lld", (long long)id), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = act(env, &b, id, "handle", "{}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/incidents", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &ch, "GET", "/api/incidents?status=open", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(env, &v, "GET", "/api/incidents", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = intake(env, &v, "");
	check_status(r, 403);
	api_resp_free(&r);
	/* An incident must belong to a station. */
	r = intake(env, &c, api_fmt(",\"org_id\":%lld", (long long)env->g_b1));
	check_status(r, 422);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?status=lost", NULL);
	check_error(r, 400, "bad_query", "status");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(edit_corrects_intake_and_reindexes)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = new_incident(env, &c, "");
	r = api_call(env, &c, "PATCH", api_fmt("/api/incidents/%lld", (long long)id),
		     "{\"category\":\"report\",\"subcategory\":\"criminal\","
		     "\"narrative\":\"借条纠纷引发打架\"}");
	check_status(r, 200);
	CHECK(api_bool(r.json, "is_case"));
	CHECK_STR(api_str(r.json, "narrative"), "借条纠纷引发打架");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=借条", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=噪音", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", api_fmt("/api/incidents/%lld", (long long)id),
		     "{\"subcategory\":\"neighbour\"}");
	check_error(r, 422, NULL, "subcategory");
	api_resp_free(&r);
	api_env_free(env);
}

/* received_at with and without milliseconds; answers never carry them. */
TEST(times_with_or_without_milliseconds)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t at = (fq_time_now_ms() - 600000) / 1000 * 1000;
	char iso[32], iso_ms[40];

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	fq_time_format(at, iso, sizeof(iso));
	snprintf(iso_ms, sizeof(iso_ms), "%.19s.000Z", iso);
	r = intake(env, &c, api_fmt(",\"received_at\":\"%s\"", iso));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "received_at"), iso);
	api_resp_free(&r);
	r = intake(env, &c, api_fmt(",\"received_at\":\"%s\"", iso_ms));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "received_at"), iso);
	api_resp_free(&r);
	/* 250 ms are kept in the record, not shown. */
	snprintf(iso_ms, sizeof(iso_ms), "%.19s.250Z", iso);
	r = intake(env, &c, api_fmt(",\"received_at\":\"%s\"", iso_ms));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "received_at"), iso);
	CHECK_INT(api_count(env, api_fmt("SELECT received_at FROM incidents WHERE id = %lld",
					 (long long)api_int(r.json, "id"))),
		  at + 250);
	api_resp_free(&r);
	/* A date is not a time; nor is a time with an offset. */
	r = intake(env, &c, api_fmt(",\"received_at\":\"%.10s\"", iso));
	check_error(r, 422, "bad_time", "received_at");
	api_resp_free(&r);
	r = intake(env, &c, api_fmt(",\"received_at\":\"%.19s+08:00\"", iso));
	check_error(r, 422, "bad_time", "received_at");
	api_resp_free(&r);
	/* A bad id in a list is named by its place. */
	r = api_call(env, &c, "POST", "/api/incidents/1/dispatch", "{\"user_ids\":[3,0]}");
	check_error(r, 422, "wrong_type", "user_ids[1]");
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(intake_numbers_per_station_and_year),
    TEST_ENTRY(intake_refuses_bad_input_naming_the_field),
    TEST_ENTRY(whole_lifecycle_with_steps_and_actors),
    TEST_ENTRY(steps_and_timeline_are_codes_with_params),
    TEST_ENTRY(carried_over_step_keeps_the_reason),
    TEST_ENTRY(illegal_transitions_are_refused_and_change_nothing),
    TEST_ENTRY(dispatch_goes_only_to_staff_on_the_current_shift),
    TEST_ENTRY(late_arrival_against_the_area_target_is_flagged),
    TEST_ENTRY(undispatched_call_shows_its_target_and_comes_first),
    TEST_ENTRY(responder_of_another_unit_sees_and_acts_on_the_call),
    TEST_ENTRY(case_type_incidents_need_a_case_reference_and_an_officer),
    TEST_ENTRY(onsite_record_is_sealed_and_verified),
    TEST_ENTRY(repeats_link_same_address_caller_or_party),
    TEST_ENTRY(repeats_found_by_several_sources_keep_one_link),
    TEST_ENTRY(convert_to_dispute_carries_parties_address_and_facts),
    TEST_ENTRY(daily_clear_lists_undisposed_and_carries_over),
    TEST_ENTRY(board_shows_open_incidents_and_who_is_free),
    TEST_ENTRY(scope_and_permissions),
    TEST_ENTRY(edit_corrects_intake_and_reindexes),
    TEST_ENTRY(times_with_or_without_milliseconds),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/incidents", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
