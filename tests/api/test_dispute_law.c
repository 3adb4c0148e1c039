/* The law of mediation (docs/api.md "Disputes: the procedure"): police
 * mediation's every refusal — an ineligible offence, each exclusion, missing
 * consent, a party under 18 without a guardian, a third session, the first
 * session past 3 working days (across a make-up workday and across the
 * National Day holiday), the second past 7, a presiding user who is not
 * police — the officer's signature and the hand-off to the penalty
 * procedure; people's mediation's extension with and without both consents,
 * the refusal recorded at conclusion, and the "may turn criminal" flag with
 * its notification and outbox row. Dates are 2026's, on the shipped
 * calendar: Sun 09-20 and Sat 10-10 are worked, 09-25 and 10-01..07 are not. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "core/time.h"
#include "http/app.h"

struct world {
	struct api_env *env;
	struct api_client officer, mediator, chief;
	int64_t adult1, adult2, minor16, turns18;
};

static void world_init(struct world *w)
{
	char a2[19], m16[19], t18[19];

	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(w->env, &w->chief, "chief"));
	api_id_number("110105", "19900202", "234", a2);
	api_id_number("110105", "20100101", "345", m16);  /* 16 in September 2026 */
	api_id_number("110105", "20080921", "456", t18);  /* 18 on 2026-09-21, 17 the day before */
	w->adult1 = api_new_person(w->env, &w->officer, "张三", API_ID_NUMBER, NULL);
	w->adult2 = api_new_person(w->env, &w->officer, "李四", a2, NULL);
	w->minor16 = api_new_person(w->env, &w->officer, "小明", m16, NULL);
	w->turns18 = api_new_person(w->env, &w->officer, "小红", t18, NULL);
	CHECK(w->adult1 && w->adult2 && w->minor16 && w->turns18);
}

/* A walk-in between a and b, both consenting unless b_consent says. */
static int64_t dispute(struct world *w, int64_t a, int64_t b, const char *b_consent)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/disputes",
		"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"推搡致轻微伤\","
		"\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		"{\"person_id\":%lld,\"role\":\"respondent\",\"consent\":\"%s\"}]}",
		(long long)a, (long long)b, b_consent ? b_consent : "given");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# register: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static const char *path(int64_t id, const char *tail)
{
	return api_fmt("/api/disputes/%lld/procedure%s", (long long)id, tail);
}

#define NO_EXCLUSIONS                                                                      \
	"{\"hired_violence\":false,\"gang_fight\":false,\"provocation\":false,"            \
	"\"repeat_offence\":false,\"new_trouble\":false,\"absconded\":false,\"refused\":false}"

/* Police mediation of id, accepted at accepted (and assessed at assessed,
 * NULL: none), presided over by the officer. */
static struct api_resp police(struct world *w, int64_t id, const char *accepted,
			      const char *assessed)
{
	return api_callf(w->env, &w->officer, "PUT", path(id, ""),
			 "{\"procedure\":\"police\",\"accepted_at\":\"%s\",\"assessed_at\":%s,"
			 "\"offence\":\"minor_injury\",\"presiding_user_id\":%lld,\"exclusions\":%s}",
			 accepted, assessed ? api_fmt("\"%s\"", assessed) : "null",
			 (long long)api_user_id(w->env, "officer"), NO_EXCLUSIONS);
}

/* A police session on day (local 10:00 = 02:00 UTC), guardians JSON. */
static struct api_resp session(struct world *w, int64_t id, const char *day,
			       const char *guardians)
{
	return api_callf(w->env, &w->officer, "POST", path(id, "/sessions"),
			 "{\"starts_at\":\"%sT02:00:00Z\",\"place\":\"调解室\","
			 "\"presiding_user_id\":%lld,\"guardians\":%s}",
			 day, (long long)api_user_id(w->env, "officer"), guardians ? guardians : "[]");
}

static bool message_has(const struct api_resp *r, const char *s)
{
	const char *m = api_str(r->json, "error.message");

	return m && strstr(m, s);
}

TEST(police_mediation_only_for_eligible_offences_without_exclusions)
{
	static const char *const exclusions[] = {"hired_violence", "gang_fight", "provocation",
						 "repeat_offence", "new_trouble", "absconded",
						 "refused", NULL};
	struct world w;
	struct api_resp r;
	int64_t id;
	char body[1024];

	world_init(&w);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = api_callf(w.env, &w.officer, "PUT", path(id, ""),
		      "{\"procedure\":\"police\",\"offence\":\"theft\",\"presiding_user_id\":%lld,"
		      "\"exclusions\":%s}",
		      (long long)api_user_id(w.env, "officer"), NO_EXCLUSIONS);
	check_error(r, 409, "ineligible_offence", "offence");
	CHECK(message_has(&r, "art. 3"));
	api_resp_free(&r);
	for (int i = 0; exclusions[i]; i++) {
		int n = snprintf(body, sizeof(body),
				 "{\"procedure\":\"police\",\"offence\":\"beating\","
				 "\"presiding_user_id\":%lld,\"exclusions\":{",
				 (long long)api_user_id(w.env, "officer"));

		for (int k = 0; exclusions[k]; k++)
			n += snprintf(body + n, sizeof(body) - (size_t)n, "%s\"%s\":%s", k ? "," : "",
				      exclusions[k], k == i ? "true" : "false");
		snprintf(body + n, sizeof(body) - (size_t)n, "}}");
		r = api_call(w.env, &w.officer, "PUT", path(id, ""), body);
		check_error(r, 409, "excluded", api_fmt("exclusions.%s", exclusions[i]));
		api_resp_free(&r);
	}
	r = api_callf(w.env, &w.officer, "PUT", path(id, ""),
		      "{\"procedure\":\"police\",\"offence\":\"beating\",\"presiding_user_id\":%lld,"
		      "\"exclusions\":{\"hired_violence\":false}}",
		      (long long)api_user_id(w.env, "officer"));
	check_error(r, 422, "required", "exclusions.gang_fight");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "PUT", path(id, ""),
		      "{\"procedure\":\"police\",\"offence\":\"beating\",\"presiding_user_id\":%lld,"
		      "\"exclusions\":%s}",
		      (long long)api_user_id(w.env, "mediator"), NO_EXCLUSIONS);
	check_error(r, 422, "not_police", "presiding_user_id");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM dispute_procedures"), 0);
	r = police(&w, id, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "procedure"), "police");
	CHECK_STR(api_str(r.json, "offence"), "minor_injury");
	CHECK_STR(api_str(r.json, "due.first_session.by"), "2026-09-22");
	api_resp_free(&r);
	{
		json_t *a = api_audit_last(w.env, "dispute.procedure_set", api_fmt("%lld", (long long)id));

		CHECK(a != NULL);
		json_decref(a);
	}
	api_env_free(w.env);
}

/* Accepted Friday 2026-09-18: Saturday is off, Sunday 09-20 is a make-up
 * workday, so the third working day is Tuesday 09-22. The second session,
 * 7 working days after the 22nd, skips Mid-Autumn (09-25) and National Day
 * (10-01..07): Friday 10-09; the make-up Saturday 10-10 is one day late. */
TEST(session_deadlines_count_working_days)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = police(&w, id, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = session(&w, id, "2026-09-23", NULL);
	check_error(r, 409, "first_session_late", "starts_at");
	CHECK(message_has(&r, "2026-09-22"));
	api_resp_free(&r);
	r = session(&w, id, "2026-09-17", NULL);
	check_error(r, 422, "before_acceptance", "starts_at");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM dispute_sessions"), 0);
	r = session(&w, id, "2026-09-22", NULL);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "due.second_session.by"), "2026-10-09");
	CHECK_INT(api_int(r.json, "sessions_left"), 1);
	api_resp_free(&r);
	r = session(&w, id, "2026-10-10", NULL);
	check_error(r, 409, "second_session_late", "starts_at");
	CHECK(message_has(&r, "2026-10-09"));
	api_resp_free(&r);
	r = session(&w, id, "2026-10-09", NULL);
	check_status(r, 201);
	api_resp_free(&r);
	r = session(&w, id, "2026-10-09", NULL);
	check_error(r, 409, "too_many_sessions", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM dispute_session_law"), 2);
	/* Moving the second session past its deadline is refused too. */
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id,
			     (long long)api_count(w.env, "SELECT max(id) FROM dispute_sessions")),
		     "{\"starts_at\":\"2026-10-12T02:00:00Z\"}");
	check_error(r, 409, "second_session_late", "starts_at");
	api_resp_free(&r);
	api_env_free(w.env);
}

/* Assessed Tuesday 09-29, after acceptance: counted from the assessment,
 * across National Day: 09-30, 10-08, 10-09. */
TEST(first_session_from_the_assessment_across_national_day)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = police(&w, id, "2026-09-18T02:00:00Z", "2026-09-29T08:00:00Z");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "due.first_session.from"), "2026-09-29");
	CHECK_STR(api_str(r.json, "due.first_session.by"), "2026-10-09");
	api_resp_free(&r);
	r = session(&w, id, "2026-10-10", NULL);
	check_error(r, 409, "first_session_late", "starts_at");
	api_resp_free(&r);
	r = session(&w, id, "2026-10-09", NULL);
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(consent_guardian_and_the_core_route)
{
	struct world w;
	struct api_resp r;
	int64_t pending, young, teen;

	world_init(&w);
	pending = dispute(&w, w.adult1, w.adult2, "pending");
	r = police(&w, pending, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "missing.0.code"), "consent");
	CHECK_INT(api_int(r.json, "missing.0.person_id"), w.adult2);
	api_resp_free(&r);
	r = session(&w, pending, "2026-09-21", NULL);
	check_error(r, 409, "consent_missing", "consent");
	api_resp_free(&r);
	/* The core's session route does not get around the rules. */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)pending),
		     "{\"starts_at\":\"2026-09-21T02:00:00Z\",\"place\":\"调解室\"}");
	check_error(r, 422, "required", "presiding_user_id");
	api_resp_free(&r);

	/* 17 on Sunday 09-20, 18 on Monday 09-21. */
	teen = dispute(&w, w.adult1, w.turns18, NULL);
	r = police(&w, teen, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = session(&w, teen, "2026-09-20", NULL);
	check_error(r, 409, "guardian_required", "guardians");
	CHECK(message_has(&r, "小红"));
	api_resp_free(&r);
	r = session(&w, teen, "2026-09-21", NULL);
	check_status(r, 201);
	api_resp_free(&r);

	young = dispute(&w, w.minor16, w.adult2, NULL);
	r = police(&w, young, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = session(&w, young, "2026-09-21", NULL);
	check_error(r, 409, "guardian_required", "guardians");
	api_resp_free(&r);
	r = session(&w, young, "2026-09-21",
		    api_fmt("[{\"person_id\":%lld,\"name\":\"王芳\",\"relation\":\"母亲\"}]",
			    (long long)w.adult2));
	check_error(r, 409, "guardian_required", "guardians"); /* a guardian of someone else */
	api_resp_free(&r);
	r = session(&w, young, "2026-09-21",
		    api_fmt("[{\"person_id\":%lld,\"name\":\"王芳\",\"relation\":\"母亲\"}]",
			    (long long)w.minor16));
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "sessions.0.guardians.0.name"), "王芳");
	api_resp_free(&r);
	r = session(&w, young, "2026-09-22", "[{\"person_id\":1}]");
	check_error(r, 422, "required", "guardians[0].name");
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(the_presiding_officer_signs_and_failure_goes_to_penalty)
{
	struct world w;
	struct api_resp r;
	int64_t inc, id, sid;

	world_init(&w);
	r = api_call(w.env, &w.officer, "POST", "/api/incidents",
		     "{\"channel\":\"110_transfer\",\"category\":\"dispute\",\"subcategory\":"
		     "\"neighbour\",\"narrative\":\"邻里推搡\",\"address_text\":\"幸福路 12 号\"}");
	check_status(r, 201);
	inc = api_int(r.json, "id");
	api_resp_free(&r);
	for (int k = 0; k < 2; k++) {
		r = api_callf(w.env, &w.officer, "POST",
			      api_fmt("/api/incidents/%lld/parties", (long long)inc),
			      "{\"person_id\":%lld,\"role\":\"%s\"}",
			      (long long)(k ? w.adult2 : w.adult1), k ? "suspect" : "victim");
		check_status(r, 200);
		api_resp_free(&r);
	}
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/convert", (long long)inc), "{}");
	check_status(r, 201);
	id = api_int(r.json, "dispute_id");
	api_resp_free(&r);
	for (int k = 0; k < 2; k++) {
		r = api_call(w.env, &w.officer, "PATCH",
			     api_fmt("/api/disputes/%lld/parties/%lld", (long long)id,
				     (long long)(k ? w.adult2 : w.adult1)),
			     "{\"consent\":\"given\"}");
		check_status(r, 200);
		api_resp_free(&r);
	}
	/* Accepted now (the default): a session an hour from now is in time. */
	r = api_callf(w.env, &w.officer, "PUT", path(id, ""),
		      "{\"procedure\":\"police\",\"offence\":\"beating\",\"presiding_user_id\":%lld,"
		      "\"exclusions\":%s}",
		      (long long)api_user_id(w.env, "officer"), NO_EXCLUSIONS);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", path(id, "/penalty"), "{\"reason\":\"failed\"}");
	check_error(r, 409, "not_failed", "reason");
	api_resp_free(&r);
	{
		char when[40];

		fq_time_format(fq_time_now_ms() + 3600 * 1000, when, sizeof(when));
		r = api_callf(w.env, &w.officer, "POST", path(id, "/sessions"),
			      "{\"starts_at\":\"%s\",\"place\":\"调解室\",\"presiding_user_id\":%lld}",
			      when, (long long)api_user_id(w.env, "officer"));
	}
	check_status(r, 201);
	sid = api_int(r.json, "sessions.0.id");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST",
		     path(id, api_fmt("/sessions/%lld/sign", (long long)sid)), "{}");
	check_error(r, 409, "not_held", "result");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)sid),
		     "{\"result\":\"not_agreed\",\"discussion\":\"双方分歧大\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "POST",
		     path(id, api_fmt("/sessions/%lld/sign", (long long)sid)), "{}");
	check_error(r, 403, "not_presiding", NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", path(id, ""), NULL);
	CHECK_STR(api_str(r.json, "missing.0.code"), "signature");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST",
		     path(id, api_fmt("/sessions/%lld/sign", (long long)sid)), "{}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "sessions.0.signed_name"), api_str(r.json, "presiding_name"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST",
		     path(id, api_fmt("/sessions/%lld/sign", (long long)sid)), "{}");
	check_error(r, 409, "signed", NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", path(id, "/penalty"), "{\"reason\":\"breach\"}");
	check_error(r, 409, "no_agreement", "reason");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", path(id, "/penalty"), "{\"reason\":\"nope\"}");
	check_error(r, 422, NULL, "reason");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", path(id, "/penalty"),
		     "{\"reason\":\"failed\",\"note\":\"两次调解不成\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "penalty_reason"), "failed");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT count(*) FROM disputes WHERE id = %lld AND"
					   " status = 'closed' AND outcome = 'failed'", (long long)id)), 1);
	CHECK_INT(api_count(w.env, api_fmt("SELECT count(*) FROM incident_steps WHERE incident_id ="
					   " %lld AND code = 'to_penalty'", (long long)inc)), 1);
	r = api_call(w.env, &w.officer, "POST", path(id, "/penalty"), "{\"reason\":\"breach\"}");
	check_error(r, 409, "handed_to_penalty", NULL);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(people_mediation_target_extension_and_refusal)
{
	struct world w;
	struct api_resp r;
	int64_t id, created_day;
	char by[16], later[16], too_far[16];

	world_init(&w);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = api_call(w.env, &w.officer, "GET", path(id, ""), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "procedure"), "people");
	created_day = fq_time_local_day(fq_time_now_ms(), 480, NULL);
	fq_date_format(fq_date_add(created_day, 30), by, sizeof(by));
	fq_date_format(fq_date_add(created_day, 45), later, sizeof(later));
	fq_date_format(fq_date_add(created_day, 61), too_far, sizeof(too_far));
	CHECK_STR(api_str(r.json, "due.target.by"), by);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", path(id, "/extend"),
		      "{\"due_date\":\"%s\",\"reason\":\"等待鉴定\",\"consents\":"
		      "[{\"person_id\":%lld,\"at\":\"%s\"}]}",
		      later, (long long)w.adult1, "2030-01-01T00:00:00Z");
	check_error(r, 422, "bad_time", "consents[0].at");
	api_resp_free(&r);
	{
		char now[40];

		fq_time_format(fq_time_now_ms(), now, sizeof(now));
		r = api_callf(w.env, &w.officer, "POST", path(id, "/extend"),
			      "{\"due_date\":\"%s\",\"reason\":\"等待鉴定\",\"consents\":"
			      "[{\"person_id\":%lld,\"at\":\"%s\"}]}",
			      later, (long long)w.adult1, now);
		check_error(r, 409, "consent_missing", "consents");
		CHECK(message_has(&r, "李四"));
		api_resp_free(&r);
		r = api_callf(w.env, &w.officer, "POST", path(id, "/extend"),
			      "{\"due_date\":\"%s\",\"reason\":\"等待鉴定\",\"consents\":"
			      "[{\"person_id\":%lld,\"at\":\"%s\"},{\"person_id\":%lld,\"at\":\"%s\"}]}",
			      too_far, (long long)w.adult1, now, (long long)w.adult2, now);
		check_error(r, 422, "too_far", "due_date");
		api_resp_free(&r);
		CHECK_INT(api_count(w.env, "SELECT count(*) FROM dispute_extensions"), 0);
		r = api_callf(w.env, &w.officer, "POST", path(id, "/extend"),
			      "{\"due_date\":\"%s\",\"reason\":\"等待鉴定\",\"consents\":"
			      "[{\"person_id\":%lld,\"at\":\"%s\"},{\"person_id\":%lld,\"at\":\"%s\"}]}",
			      later, (long long)w.adult1, now, (long long)w.adult2, now);
		check_status(r, 200);
		CHECK_STR(api_str(r.json, "due.target.by"), later);
		CHECK_INT(api_len(r.json, "extensions.0.consents"), 2);
		CHECK_STR(api_str(r.json, "extensions.0.from"), by);
		api_resp_free(&r);
	}
	/* A party's clear refusal stops it; concluding records why. */
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/parties/%lld", (long long)id, (long long)w.adult2),
		     "{\"consent\":\"refused\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/conclude", (long long)id),
		     "{\"outcome\":\"failed\",\"reason\":\"被申请人明确拒绝调解\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", path(id, ""), NULL);
	CHECK_STR(api_str(r.json, "concluded_basis"), "refused");
	api_resp_free(&r);
	api_env_free(w.env);
}

/* The flag tells every chief over the station (not the one who flagged)
 * and queues the outbox event, in the same transaction; once. */
TEST(may_turn_criminal_tells_the_chiefs_and_the_outbox)
{
	struct world w;
	struct api_client admin;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	w.env->app->cfg.outbox_allow_private = true;
	CHECK(api_login_enrolled(w.env, &admin, "sysadmin"));
	r = api_callf(w.env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"值班群\","
		      "\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef\","
		      "\"events\":[\"dispute.may_turn_criminal\"]}",
		      (long long)w.env->st_a);
	check_status(r, 201);
	api_resp_free(&r);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)api_user_id(w.env, "mediator"));
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "POST", path(id, "/may-turn-criminal"), "{}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "POST", path(id, "/may-turn-criminal"),
		     "{\"reason\":\"申请人扬言报复\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "criminal_risk_reason"), "申请人扬言报复");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT count(*) FROM notifications WHERE kind ="
					   " 'dispute_may_turn_criminal' AND object_id = %lld AND"
					   " user_id = %lld", (long long)id,
					   (long long)api_user_id(w.env, "chief"))), 1);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox WHERE event_kind ="
				   " 'dispute.may_turn_criminal'"), 1);
	r = api_call(w.env, &w.chief, "GET", "/api/notifications", NULL);
	CHECK_STR(api_str(r.json, "items.0.link.route"), "dispute");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "POST", path(id, "/may-turn-criminal"),
		     "{\"reason\":\"再次\"}");
	check_error(r, 409, "flagged", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox"), 1);
	api_env_free(w.env);
}

/* The presiding officer's queue: the next session due by its day. */
TEST(work_queue_shows_the_next_session_due)
{
	struct world w;
	struct api_resp r;
	int64_t id;
	json_t *it;
	size_t i;
	bool found = false;

	world_init(&w);
	id = dispute(&w, w.adult1, w.adult2, NULL);
	r = police(&w, id, "2026-09-18T02:00:00Z", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		if (strcmp(api_str(it, "kind"), "dispute_police_session"))
			continue;
		found = true;
		CHECK_INT(api_int(it, "link.id"), id);
		CHECK_STR(api_str(it, "why"), "first_session");
		CHECK_STR(api_str(it, "params.by"), "2026-09-22");
		CHECK(api_bool(it, "overdue"));
	}
	CHECK(found);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/work", NULL);
	CHECK(!strstr(r.body, "dispute_police_session"));
	api_resp_free(&r);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(police_mediation_only_for_eligible_offences_without_exclusions),
	TEST_ENTRY(session_deadlines_count_working_days),
	TEST_ENTRY(first_session_from_the_assessment_across_national_day),
	TEST_ENTRY(consent_guardian_and_the_core_route),
	TEST_ENTRY(the_presiding_officer_signs_and_failure_goes_to_penalty),
	TEST_ENTRY(people_mediation_target_extension_and_refusal),
	TEST_ENTRY(may_turn_criminal_tells_the_chiefs_and_the_outbox),
	TEST_ENTRY(work_queue_shows_the_next_session_due),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/dispute_law", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
