/* Disputes and mediation (docs/api.md "Disputes"): registration and every
 * error naming its field, nothing half-written, the two-party rule,
 * consent, the risk history, the ladder's hand-offs and deadlines, the
 * mediator's scope (she sees only what she mediates: anything else is 404),
 * the conversion of an incident, sessions with their three-part record, the
 * work queue's items and the overview's cards against counts of raw rows. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/time.h"

#define DAY_MS (24 * 3600 * 1000LL)

struct world {
	struct api_env *env;
	struct api_client officer, mediator, aux;
	int64_t p1, p2, p3;
};

static void world_init(struct world *w)
{
	char id2[19], id3[19];

	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	api_id_number("110105", "19800101", "123", id2);
	api_id_number("110105", "19900202", "234", id3);
	w->p1 = api_new_person(w->env, &w->officer, "张三", API_ID_NUMBER, "{\"phone\":\"13800001111\"}");
	w->p2 = api_new_person(w->env, &w->officer, "李四", id2, NULL);
	w->p3 = api_new_person(w->env, &w->officer, "王五", id3, NULL);
	CHECK(w->p1 && w->p2 && w->p3);
}

/* A walk-in between p1 (applicant) and p2 (respondent) with extra JSON. */
static int64_t new_dispute(struct world *w, struct api_client *c, const char *extra)
{
	struct api_resp r = api_callf(
		w->env, c, "POST", "/api/disputes",
		"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"楼上漏水\","
		"\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		"{\"person_id\":%lld,\"role\":\"respondent\"}]%s}",
		(long long)w->p1, (long long)w->p2, extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# register: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static struct api_resp post(struct world *w, struct api_client *c, int64_t id, const char *what,
			    const char *body)
{
	return api_call(w->env, c, "POST", api_fmt("/api/disputes/%lld/%s", (long long)id, what),
			body);
}

static struct api_resp get(struct world *w, struct api_client *c, int64_t id)
{
	return api_call(w->env, c, "GET", api_fmt("/api/disputes/%lld", (long long)id), NULL);
}

static int64_t count(struct world *w, const char *sql)
{
	return api_count(w->env, sql);
}

TEST(registration_errors_name_the_field_and_write_nothing)
{
	static const struct {
		const char *body, *code, *field;
		int status;
	} bad[] = {
		{"{\"type\":\"neighbours\",\"facts\":\"x\",\"parties\":[]}", "required", "source", 422},
		{"{\"source\":\"walk_in\",\"type\":\"nope\",\"facts\":\"x\",\"parties\":[]}", NULL, "type", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"parties\":[]}", "required", "facts", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"x\",\"amount_fen\":-5,\"parties\":[]}", NULL, "amount_fen", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"x\",\"colour\":1,\"parties\":[]}", NULL, "colour", 422},
		{"{\"source\":\"incident\",\"type\":\"neighbours\",\"facts\":\"x\",\"parties\":[{\"person_id\":1,\"role\":\"applicant\"},{\"person_id\":2,\"role\":\"respondent\"}]}", "from_incident", "source", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"x\",\"risk\":\"red\",\"parties\":[]}", "required", "risk_reason", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"x\",\"parties\":[{\"role\":\"applicant\"}]}", "required", "parties[0].person_id", 422},
		{"{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"x\",\"parties\":[{\"person_id\":1,\"role\":\"judge\"}]}", NULL, "parties[0].role", 422},
	};
	struct world w;

	world_init(&w);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp r = api_call(w.env, &w.officer, "POST", "/api/disputes", bad[i].body);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			printf("# case %zu\n", i);
		api_resp_free(&r);
	}
	CHECK_INT(count(&w, "SELECT COUNT(*) FROM disputes"), 0);
	api_env_free(w.env);
}

TEST(two_parties_an_applicant_and_a_respondent)
{
	struct world w;
	struct api_resp r;
	int64_t persons;

	world_init(&w);
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"walk_in\",\"type\":\"labour\",\"facts\":\"欠薪\","
		      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\"}]}",
		      (long long)w.p1);
	check_error(r, 422, "too_few_parties", "parties");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"walk_in\",\"type\":\"labour\",\"facts\":\"欠薪\","
		      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\"},"
		      "{\"person_id\":%lld,\"role\":\"applicant\"}]}",
		      (long long)w.p1, (long long)w.p2);
	check_error(r, 422, "roles", "parties");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"walk_in\",\"type\":\"labour\",\"facts\":\"欠薪\","
		      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\"},"
		      "{\"person_id\":%lld,\"role\":\"respondent\"}]}",
		      (long long)w.p1, (long long)w.p1);
	check_error(r, 422, "duplicate", "parties[1].person_id");
	api_resp_free(&r);
	/* A new person on the spot with a wrong ID number: named inside the
	 * party, and the first (valid) new person is not kept either. */
	persons = count(&w, "SELECT COUNT(*) FROM persons");
	r = api_call(w.env, &w.officer, "POST", "/api/disputes",
		     "{\"source\":\"referral\",\"referral_body\":\"court\",\"type\":\"labour\","
		     "\"facts\":\"欠薪\",\"parties\":[{\"person\":{\"name\":\"新甲\",\"doc_type\":"
		     "\"passport\",\"id_number\":\"E12345678\"},\"role\":\"applicant\"},"
		     "{\"person\":{\"name\":\"新乙\",\"doc_type\":\"id_card\",\"id_number\":"
		     "\"110105194912310021\"},\"role\":\"respondent\"}]}");
	check_error(r, 422, NULL, "parties[1].person.id_number");
	api_resp_free(&r);
	CHECK_INT(count(&w, "SELECT COUNT(*) FROM persons"), persons);
	CHECK_INT(count(&w, "SELECT COUNT(*) FROM disputes"), 0);
	/* A referral names its body; a walk-in has none. */
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"referral\",\"type\":\"labour\",\"facts\":\"x\",\"parties\":"
		      "[{\"person_id\":%lld,\"role\":\"applicant\"},{\"person_id\":%lld,\"role\":"
		      "\"respondent\"}]}",
		      (long long)w.p1, (long long)w.p2);
	check_error(r, 422, "required", "referral_body");
	api_resp_free(&r);
	CHECK(new_dispute(&w, &w.officer, ",\"referral_body\":\"court\"") == 0);
	/* Registered on the spot: the new person is in the station's files. */
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"referral\",\"referral_body\":\"12345\",\"type\":"
		      "\"labour\",\"facts\":\"欠薪\",\"amount_fen\":1200000,\"parties\":"
		      "[{\"person\":{\"name\":\"新甲\",\"doc_type\":\"passport\","
		      "\"id_number\":\"E12345678\",\"phone\":\"13900002222\"},\"role\":"
		      "\"applicant\"},{\"person_id\":%lld,\"role\":\"respondent\"}]}",
		      (long long)w.p2);
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "parties"), 2);
	CHECK_STR(api_str(r.json, "parties.0.name"), "新甲");
	CHECK_STR(api_str(r.json, "parties.0.phone"), "139****2222");
	CHECK_INT(api_int(r.json, "amount_fen"), 1200000);
	CHECK_STR(api_str(r.json, "referral_body"), "12345");
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(registered_dispute_reads_whole_and_is_audited)
{
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	struct world w;
	struct api_resp r;
	const char *code;
	json_t *e;
	int64_t id;

	world_init(&w);
	id = new_dispute(&w, &w.officer, ",\"claims\":\"赔偿\",\"amount_fen\":50000");
	CHECK(id > 0);
	r = get(&w, &w.officer, id);
	check_status(r, 200);
	code = api_str(r.json, "tracking_code");
	CHECK(code && strlen(code) == 10 && strspn(code, alphabet) == 10);
	CHECK(api_str(r.json, "number") && strstr(api_str(r.json, "number"), "-JF-"));
	CHECK_STR(api_str(r.json, "status"), "registered");
	CHECK_STR(api_str(r.json, "tier"), "workstation");
	CHECK_STR(api_str(r.json, "risk"), "blue");
	CHECK_INT(api_int(r.json, "type_version"), 1);
	CHECK_STR(api_str(r.json, "parties.0.role"), "applicant");
	CHECK_STR(api_str(r.json, "parties.0.consent"), "given");
	CHECK_STR(api_str(r.json, "parties.1.consent"), "pending");
	CHECK_STR(api_str(r.json, "parties.0.phone"), "138****1111");
	CHECK_INT(api_len(r.json, "risk_history"), 1);
	CHECK(!api_bool(r.json, "overdue"));
	api_resp_free(&r);
	/* The deadlines are the settings' days after registration. */
	CHECK_INT(count(&w, api_fmt("SELECT tier_due_at - created_at FROM disputes WHERE id = %lld",
				    (long long)id)),
		  7 * DAY_MS);
	CHECK_INT(count(&w, api_fmt("SELECT risk_due_at - created_at FROM disputes WHERE id = %lld",
				    (long long)id)),
		  30 * DAY_MS);
	e = api_audit_last(w.env, "dispute.read", api_fmt("%lld", (long long)id));
	CHECK(e != NULL);
	json_decref(e);
	e = api_audit_last(w.env, "dispute.create", api_fmt("%lld", (long long)id));
	CHECK(e != NULL);
	json_decref(e);
	api_env_free(w.env);
}

TEST(risk_changes_keep_their_reasons)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_dispute(&w, &w.officer, NULL);
	r = post(&w, &w.officer, id, "risk", "{\"level\":\"red\"}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "risk", "{\"level\":\"purple\",\"reason\":\"x\"}");
	check_error(r, 422, NULL, "level");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "risk", "{\"level\":\"red\",\"reason\":\"扬言报复\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "risk"), "red");
	CHECK_INT(api_len(r.json, "risk_history"), 2);
	CHECK_STR(api_str(r.json, "risk_history.1.from_level"), "blue");
	CHECK_STR(api_str(r.json, "risk_history.1.to_level"), "red");
	CHECK_STR(api_str(r.json, "risk_history.1.reason"), "扬言报复");
	CHECK_STR(api_str(r.json, "owner_tier"), "joint");
	CHECK(api_bool(r.json, "below_owner_tier"));
	api_resp_free(&r);
	CHECK_INT(count(&w, api_fmt("SELECT d.risk_due_at - r.at FROM disputes d JOIN dispute_risks r"
				    " ON r.dispute_id = d.id WHERE d.id = %lld AND r.to_level = 'red'",
				    (long long)id)),
		  3 * DAY_MS);
	r = post(&w, &w.officer, id, "risk", "{\"level\":\"red\",\"reason\":\"again\"}");
	check_error(r, 409, "same_level", "level");
	api_resp_free(&r);
	CHECK_INT(count(&w, "SELECT COUNT(*) FROM dispute_risks"), 2);
	api_env_free(w.env);
}

TEST(ladder_hand_offs_and_deadlines)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_dispute(&w, &w.officer, ",\"tier\":\"onsite\"");
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"workstation\"}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"onsite\",\"reason\":\"x\"}");
	check_error(r, 409, "same_tier", "to");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"centre\",\"reason\":\"现场调解不成\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "tier"), "centre");
	CHECK_INT(api_len(r.json, "handoffs"), 1);
	CHECK_STR(api_str(r.json, "handoffs.0.from_tier"), "onsite");
	CHECK_STR(api_str(r.json, "handoffs.0.to_tier"), "centre");
	CHECK_STR(api_str(r.json, "handoffs.0.reason"), "现场调解不成");
	CHECK(api_str(r.json, "handoffs.0.by_name") != NULL);
	api_resp_free(&r);
	CHECK_INT(count(&w, api_fmt("SELECT tier_due_at - tier_since FROM disputes WHERE id = %lld",
				    (long long)id)),
		  15 * DAY_MS);
	/* Down two tiers at once: refused; one at a time: allowed. */
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"onsite\",\"reason\":\"退回\"}");
	check_error(r, 409, "skip_back", "to");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"workstation\",\"reason\":\"退回社区\"}");
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "handoffs"), 2);
	api_resp_free(&r);
	CHECK_INT(count(&w, api_fmt("SELECT tier_due_at - tier_since FROM disputes WHERE id = %lld",
				    (long long)id)),
		  7 * DAY_MS);
	/* A refusal stops the way up. */
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/parties/%lld", (long long)id, (long long)w.p2),
		     "{\"consent\":\"refused\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "handoff", "{\"to\":\"joint\",\"reason\":\"升级\"}");
	check_error(r, 409, "consent_refused", NULL);
	api_resp_free(&r);
	/* Overdue once the deadline passed. */
	api_exec(w.env, api_fmt("UPDATE disputes SET tier_due_at = 1000 WHERE id = %lld", (long long)id));
	r = get(&w, &w.officer, id);
	CHECK(api_bool(r.json, "overdue"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes?overdue=true", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK(api_bool(r.json, "items.0.overdue"));
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(consent_rules)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_dispute(&w, &w.officer, NULL);
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/parties/%lld", (long long)id, (long long)w.p2),
		     "{\"consent\":\"refused\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "parties.1.consent"), "refused");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "sessions",
		 "{\"starts_at\":\"2030-01-01T02:00:00Z\",\"place\":\"调解室\"}");
	check_error(r, 409, "consent_refused", "consent");
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"ok\"}");
	check_error(r, 409, "consent_refused", "consent");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/parties/%lld", (long long)id, (long long)w.p3),
		     "{\"consent\":\"given\"}");
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "conclude", "{\"outcome\":\"failed\",\"reason\":\"一方拒绝调解\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "closed");
	CHECK_STR(api_str(r.json, "outcome"), "failed");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/parties", (long long)id),
		      "{\"person_id\":%lld,\"role\":\"third_party\"}", (long long)w.p3);
	check_error(r, 409, "concluded", "status");
	api_resp_free(&r);
	api_env_free(w.env);
}

/* A scanned document (a minimal PDF) as evidence of dispute id. */
static struct api_resp evidence(struct world *w, struct api_client *c, int64_t id)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
	struct api_raw raw = {
		.method = "POST",
		.target = api_fmt("/api/attachments?record_type=dispute&record_id=%lld&name=%s",
				  (long long)id, "evidence.pdf"),
		.body = pdf,
		.body_len = sizeof(pdf) - 1,
		.content_type = "application/octet-stream",
	};

	return api_call_raw(w->env, c, &raw);
}

TEST(mediator_sees_only_what_she_mediates)
{
	struct world w;
	struct api_client ob, vol;
	struct api_resp r;
	int64_t id, other, mediator_id, vol_id, ob_id;

	world_init(&w);
	CHECK(api_login(w.env, &ob, "officer.b", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w.env, &vol, "volunteer", API_PASSWORD, NULL) == 200);
	mediator_id = api_user_id(w.env, "mediator");
	vol_id = api_user_id(w.env, "volunteer");
	ob_id = api_user_id(w.env, "officer.b");
	id = new_dispute(&w, &w.officer, NULL);
	other = new_dispute(&w, &w.officer, NULL);
	r = get(&w, &w.mediator, id);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/disputes", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* Who may be assigned: a mediator of the station, not a volunteer nor
	 * an officer of another station. */
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)vol_id);
	check_error(r, 422, "not_mediator", "user_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)ob_id);
	check_error(r, 422, "other_station", "user_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)mediator_id);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "status"), "mediating");
	CHECK_INT(api_int(r.json, "mediators.0.user_id"), mediator_id);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)mediator_id);
	check_error(r, 409, "already_assigned", "user_id");
	api_resp_free(&r);
	/* Now hers: the detail, the list, the work queue; the other stays 404. */
	r = get(&w, &w.mediator, id);
	check_status(r, 200);
	api_resp_free(&r);
	r = get(&w, &w.mediator, other);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/disputes", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", api_fmt("/api/disputes/%lld/sessions/1", (long long)other), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/work", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "items.0.kind"), "dispute_mediate");
	CHECK_INT(api_int(r.json, "items.0.link.id"), id);
	CHECK_STR(api_str(r.json, "items.0.link.route"), "dispute");
	api_resp_free(&r);
	/* She adds and reads evidence of hers, not of another dispute. */
	r = evidence(&w, &w.mediator, id);
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET",
		     api_fmt("/api/attachments?record_type=dispute&record_id=%lld", (long long)id),
		     NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = evidence(&w, &w.mediator, other);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	/* She mediates; she does not steer the ladder. */
	r = post(&w, &w.mediator, id, "handoff", "{\"to\":\"centre\",\"reason\":\"x\"}");
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	/* Another station's officer sees neither. */
	r = get(&w, &ob, id);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	/* A party asks for another mediator: recorded, and she loses it. */
	r = api_callf(w.env, &w.officer, "POST",
		      api_fmt("/api/disputes/%lld/mediators/%lld/replace", (long long)id,
			      (long long)mediator_id),
		      "{\"reason\":\"当事人认为调解员与对方相识\",\"requested_by\":%lld}",
		      (long long)w.p3);
	check_error(r, 422, "not_party", "requested_by");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST",
		      api_fmt("/api/disputes/%lld/mediators/%lld/replace", (long long)id,
			      (long long)mediator_id),
		      "{\"reason\":\"当事人认为调解员与对方相识\",\"requested_by\":%lld,"
		      "\"new_user_id\":%lld}",
		      (long long)w.p2, (long long)api_user_id(w.env, "aux"));
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "mediators"), 2);
	CHECK(api_str(r.json, "mediators.0.released_at") != NULL);
	CHECK_STR(api_str(r.json, "mediators.0.requested_by_name"), "李四");
	CHECK_STR(api_str(r.json, "mediators.0.release_reason"), "当事人认为调解员与对方相识");
	api_resp_free(&r);
	r = get(&w, &w.mediator, id);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(incident_conversion_opens_the_dispute)
{
	struct world w;
	struct api_resp r;
	int64_t inc, id;

	world_init(&w);
	r = api_call(w.env, &w.officer, "POST", "/api/incidents",
		     "{\"channel\":\"110_transfer\",\"category\":\"dispute\",\"subcategory\":"
		     "\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\",\"address_text\":\"幸福路 12 号\"}");
	check_status(r, 201);
	inc = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/parties", (long long)inc),
		      "{\"person_id\":%lld,\"role\":\"victim\"}", (long long)w.p1);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/parties", (long long)inc),
		      "{\"person_id\":%lld,\"role\":\"suspect\"}", (long long)w.p2);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/convert", (long long)inc), "{}");
	check_status(r, 201);
	id = api_int(r.json, "dispute_id");
	CHECK(id > 0);
	api_resp_free(&r);
	r = get(&w, &w.officer, id);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "source"), "incident");
	CHECK_INT(api_int(r.json, "incident_id"), inc);
	CHECK_STR(api_str(r.json, "type"), "neighbours");
	CHECK_STR(api_str(r.json, "tier"), "onsite");
	CHECK_STR(api_str(r.json, "facts"), "楼上深夜噪音扰民");
	CHECK_STR(api_str(r.json, "address_text"), "幸福路 12 号");
	CHECK_INT(api_len(r.json, "parties"), 2);
	CHECK_STR(api_str(r.json, "parties.0.role"), "applicant");
	CHECK_STR(api_str(r.json, "parties.1.role"), "respondent");
	CHECK_INT(api_len(r.json, "risk_history"), 1);
	CHECK(api_str(r.json, "tier_due_at") != NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/incidents/%lld", (long long)inc), NULL);
	CHECK_INT(api_int(r.json, "dispute_id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/convert", (long long)inc), "{}");
	check_error(r, 409, "converted", NULL);
	api_resp_free(&r);
	/* The officer who converted it owns the on-site tier's deadline. */
	api_exec(w.env, api_fmt("UPDATE disputes SET tier_due_at = 1000 WHERE id = %lld", (long long)id));
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	{
		bool found = false;
		for (size_t k = 0; k < api_len(r.json, "items"); k++)
			found = found || (!strcmp(api_str(r.json, api_fmt("items.%zu.kind", k)), "dispute_deadline") &&
					  api_int(r.json, api_fmt("items.%zu.link.id", k)) == id &&
					  api_bool(r.json, api_fmt("items.%zu.overdue", k)));
		CHECK(found);
	}
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(sessions_with_the_record_in_three_parts)
{
	struct world w;
	struct api_resp r;
	int64_t id, sid, planned, now_s;
	char when[32];

	world_init(&w);
	id = new_dispute(&w, &w.officer, NULL);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)api_user_id(w.env, "mediator"));
	check_status(r, 201);
	api_resp_free(&r);
	r = post(&w, &w.mediator, id, "sessions", "{\"place\":\"调解室\"}");
	check_error(r, 422, "required", "starts_at");
	api_resp_free(&r);
	r = post(&w, &w.mediator, id, "sessions",
		 "{\"starts_at\":\"2026-13-01T00:00:00Z\",\"place\":\"调解室\"}");
	check_error(r, 422, "bad_time", "starts_at");
	api_resp_free(&r);
	/* Planned for tomorrow: in her work queue. */
	now_s = (int64_t)time(NULL) + 86400;
	{
		time_t t = (time_t)now_s;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	r = post(&w, &w.mediator, id, "sessions",
		 api_fmt("{\"starts_at\":\"%s\",\"place\":\"社区调解室\",\"attendees\":\"双方\"}", when));
	check_status(r, 201);
	planned = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/work", NULL);
	{
		bool found = false;
		for (size_t k = 0; k < api_len(r.json, "items"); k++)
			found = found || !strcmp(api_str(r.json, api_fmt("items.%zu.kind", k)), "dispute_session");
		CHECK(found);
	}
	api_resp_free(&r);
	r = post(&w, &w.mediator, id, "sessions",
		 "{\"starts_at\":\"2026-01-05T02:00:00Z\",\"place\":\"调解室\",\"accounts\":"
		 "\"双方陈述\",\"summary\":\"争议焦点：漏水责任\",\"discussion\":\"协商赔偿\","
		 "\"result\":\"partly\"}");
	check_status(r, 201);
	sid = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "accounts"), "双方陈述");
	CHECK_STR(api_str(r.json, "summary"), "争议焦点：漏水责任");
	CHECK_STR(api_str(r.json, "discussion"), "协商赔偿");
	CHECK_STR(api_str(r.json, "result"), "partly");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)sid),
		     "{\"discussion\":\"达成赔偿 500 元\",\"result\":\"agreed\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "discussion"), "达成赔偿 500 元");
	CHECK_STR(api_str(r.json, "accounts"), "双方陈述");
	CHECK_STR(api_str(r.json, "result"), "agreed");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)sid),
		     "{\"result\":\"maybe\"}");
	check_error(r, 422, NULL, "result");
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "DELETE",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)sid), NULL);
	check_error(r, 409, "recorded", NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "DELETE",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)planned), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = post(&w, &w.mediator, id, "conclude", "{\"outcome\":\"agreed\"}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	r = post(&w, &w.mediator, id, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"赔偿 500 元\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "outcome"), "agreed");
	CHECK_INT(api_len(r.json, "sessions"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)id, (long long)sid),
		     "{\"result\":\"agreed\"}");
	check_error(r, 409, "concluded", NULL);
	api_resp_free(&r);
	/* Concluded: no longer in her queue. */
	r = api_call(w.env, &w.mediator, "GET", "/api/work", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(w.env);
}

static json_t *card(json_t *o, const char *key)
{
	json_t *c;
	size_t k;

	json_array_foreach(json_object_get(o, "cards"), k, c)
		if (!strcmp(api_str(c, "module"), "disputes") && !strcmp(api_str(c, "key"), key))
			return c;
	fprintf(stderr, "  no card disputes.%s\n", key);
	return NULL;
}

/* GET target with version, as the server runs a long poll it may park. */
static struct api_resp long_poll(struct world *w, struct api_client *c, const char *target,
				 const char *version)
{
	struct api_raw raw = {
		.method = "GET",
		.target = api_fmt("%s?version=%s", target, version),
		.may_wait = true,
	};

	return api_call_raw(w->env, c, &raw);
}

/* An ISO time days from now. */
static const char *in_days(int days)
{
	char at[32];

	fq_time_format(fq_time_now_ms() + days * 24 * 3600 * 1000LL, at, sizeof(at));
	return api_fmt("%s", at);
}

TEST(overview_cards_count_the_rows)
{
	struct world w;
	struct api_client chief;
	struct api_resp r;
	int64_t ids[5], agreed, concluded;

	world_init(&w);
	CHECK(api_login_enrolled(w.env, &chief, "chief"));
	for (int i = 0; i < 5; i++)
		ids[i] = new_dispute(&w, &w.officer, NULL);
	r = post(&w, &w.officer, ids[0], "conclude", "{\"outcome\":\"agreed\",\"reason\":\"ok\"}");
	api_resp_free(&r);
	r = post(&w, &w.officer, ids[1], "conclude", "{\"outcome\":\"agreed\",\"reason\":\"ok\"}");
	api_resp_free(&r);
	r = post(&w, &w.officer, ids[2], "conclude", "{\"outcome\":\"failed\",\"reason\":\"no\"}");
	api_resp_free(&r);
	api_exec(w.env, api_fmt("UPDATE disputes SET tier_due_at = 1000 WHERE id = %lld", (long long)ids[3]));
	r = api_call(w.env, &chief, "GET", "/api/overview?period=today", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(card(r.json, "open"), "value"),
		  count(&w, "SELECT COUNT(*) FROM disputes WHERE status <> 'closed'"));
	CHECK_INT(api_int(card(r.json, "overdue"), "value"),
		  count(&w, "SELECT COUNT(*) FROM disputes WHERE status <> 'closed' AND tier_due_at < 2000"));
	CHECK_INT(api_int(card(r.json, "registered"), "value"), count(&w, "SELECT COUNT(*) FROM disputes"));
	concluded = count(&w, "SELECT COUNT(*) FROM disputes WHERE concluded_at IS NOT NULL");
	agreed = count(&w, "SELECT COUNT(*) FROM disputes WHERE outcome = 'agreed'");
	CHECK_INT(api_int(card(r.json, "concluded"), "value"), concluded);
	CHECK(card(r.json, "success_rate") &&
	      (int)(json_number_value(api_get(card(r.json, "success_rate"), "value")) * 10 + 0.5) ==
		      (int)((agreed * 2000 + concluded) / (2 * concluded)));
	/* Each card's link opens as many rows as it counts. */
	{
		static const char *const keys[] = {"open", "overdue", "registered", "concluded", NULL};
		for (int k = 0; keys[k]; k++) {
			json_t *c = card(r.json, keys[k]), *f = api_get(c, "link.filter"), *v;
			const char *name;
			char q[512] = "/api/disputes?per_page=100";
			size_t n = strlen(q);
			struct api_resp l;

			json_object_foreach(f, name, v) {
				if (json_is_string(v))
					n += (size_t)snprintf(q + n, sizeof(q) - n, "&%s=%s", name, json_string_value(v));
				else if (json_is_boolean(v))
					n += (size_t)snprintf(q + n, sizeof(q) - n, "&%s=%s", name, json_is_true(v) ? "true" : "false");
				else
					n += (size_t)snprintf(q + n, sizeof(q) - n, "&%s=%lld", name, (long long)json_integer_value(v));
			}
			l = api_call(w.env, &chief, "GET", q, NULL);
			check_status(l, 200);
			if ((int64_t)api_len(l.json, "items") != api_int(c, "value"))
				printf("# %s: %s lists %zu\n", keys[k], q, api_len(l.json, "items"));
			CHECK_INT((int64_t)api_len(l.json, "items"), api_int(c, "value"));
			api_resp_free(&l);
		}
	}
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(list_filters_and_cursor)
{
	struct world w;
	struct api_resp r;
	int64_t ids[5];
	const char *cursor;

	world_init(&w);
	for (int i = 0; i < 5; i++)
		ids[i] = new_dispute(&w, &w.officer, i < 2 ? ",\"tier\":\"centre\"" : NULL);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes?tier=centre", NULL);
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes?tier=sky", NULL);
	check_error(r, 400, NULL, "tier");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes?to=2026-01-01", NULL);
	check_error(r, 400, NULL, "from");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes?per_page=2", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK_INT(api_int(r.json, "items.0.id"), ids[4]);
	CHECK(api_bool(r.json, "has_more"));
	cursor = api_str(r.json, "next_cursor");
	CHECK(cursor != NULL);
	{
		struct api_resp n = api_call(w.env, &w.officer, "GET",
					     api_fmt("/api/disputes?per_page=2&cursor=%s", cursor ? cursor : ""), NULL);
		CHECK_INT(api_int(n.json, "items.0.id"), ids[2]);
		api_resp_free(&n);
	}
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes/export?format=csv&tier=centre", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "调解中心"));
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(per_type_checklists_of_the_station)
{
	struct world w;
	struct api_client chief, ob;
	struct api_resp r;
	int64_t medical, other, item1, item2;

	world_init(&w);
	CHECK(api_login_enrolled(w.env, &chief, "chief"));
	CHECK(api_login(w.env, &ob, "officer.b", API_PASSWORD, NULL) == 200);
	r = api_call(w.env, &w.officer, "PUT", "/api/disputes/checklists/medical",
		     "{\"items\":[\"x\"]}");
	check_error(r, 403, "chief_only", NULL);
	api_resp_free(&r);
	r = api_call(w.env, &chief, "PUT", "/api/disputes/checklists/nosuch", "{\"items\":[]}");
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &chief, "PUT", "/api/disputes/checklists/medical",
		     "{\"items\":[\"医院方作为当事人到场\",\"\"]}");
	check_error(r, 422, NULL, "items[1]");
	api_resp_free(&r);
	r = api_call(w.env, &chief, "PUT", "/api/disputes/checklists/medical",
		     "{\"items\":[\"医院方作为当事人到场\",\"调取病历并封存\",\"告知医疗事故技术鉴定途径\"]}");
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 3);
	item1 = api_int(r.json, "items.0.id");
	item2 = api_int(r.json, "items.1.id");
	api_resp_free(&r);
	medical = new_dispute(&w, &w.officer, NULL);
	api_exec(w.env, api_fmt("UPDATE disputes SET type = 'medical' WHERE id = %lld", (long long)medical));
	other = new_dispute(&w, &w.officer, NULL);
	r = get(&w, &w.officer, medical);
	CHECK_INT(api_len(r.json, "checklist"), 3);
	CHECK(!api_bool(r.json, "checklist.0.checked"));
	api_resp_free(&r);
	r = get(&w, &w.officer, other);
	CHECK_INT(api_len(r.json, "checklist"), 0);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/checks", (long long)other),
		      "{\"item_id\":%lld,\"checked\":true}", (long long)item1);
	check_error(r, 422, "not_found", "item_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/checks", (long long)medical),
		      "{\"item_id\":%lld,\"checked\":true}", (long long)item2);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "checklist.0.checked"));
	CHECK(api_bool(r.json, "checklist.1.checked"));
	CHECK(api_str(r.json, "checklist.1.checked_by_name") != NULL);
	api_resp_free(&r);
	/* A new list keeps the tick on the item it was made against. */
	r = api_call(w.env, &chief, "PUT", "/api/disputes/checklists/medical", "{\"items\":[\"新清单\"]}");
	check_status(r, 200);
	api_resp_free(&r);
	r = get(&w, &w.officer, medical);
	CHECK_INT(api_len(r.json, "checklist"), 2);
	CHECK_STR(api_str(r.json, "checklist.0.text"), "新清单");
	CHECK(api_bool(r.json, "checklist.1.checked") && !api_bool(r.json, "checklist.1.active"));
	api_resp_free(&r);
	/* Another station has lists of its own. */
	r = api_call(w.env, &ob, "GET", "/api/disputes/checklists?type=medical", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(w.env);
}

/* An open home page's long poll (GET /api/overview?version=…) waits while
 * nothing changes and answers at once when a dispute is registered or
 * concluded (the disputes' rows are in the overview's stamp); the
 * mediator's own overview moves when a session of hers is planned. */
TEST(open_overviews_move_with_the_disputes)
{
	struct world w;
	struct api_client chief;
	struct api_resp r;
	char v[80] = "", mv[80] = "";
	int64_t id, before;

	world_init(&w);
	CHECK(api_login_enrolled(w.env, &chief, "chief"));
	id = new_dispute(&w, &w.officer, NULL);
	r = api_call(w.env, &chief, "GET", "/api/overview", NULL);
	before = api_int(card(r.json, "registered"), "value");
	snprintf(v, sizeof(v), "%s", api_str(r.json, "version") ? api_str(r.json, "version") : "");
	api_resp_free(&r);
	r = long_poll(&w, &chief, "/api/overview", v);
	CHECK(r.waits);
	api_resp_free(&r);
	new_dispute(&w, &w.officer, NULL);
	r = long_poll(&w, &chief, "/api/overview", v);
	CHECK(!r.waits);
	check_status(r, 200);
	CHECK_INT(api_int(card(r.json, "registered"), "value"), before + 1);
	api_resp_free(&r);

	/* the mediator's own: assigned, then a session planned */
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)id),
		      "{\"user_id\":%lld}", (long long)api_user_id(w.env, "mediator"));
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", "/api/overview/mine", NULL);
	snprintf(mv, sizeof(mv), "%s", api_str(r.json, "version") ? api_str(r.json, "version") : "");
	api_resp_free(&r);
	r = long_poll(&w, &w.mediator, "/api/overview/mine", mv);
	CHECK(r.waits);
	api_resp_free(&r);
	r = post(&w, &w.officer, id, "sessions",
		 api_fmt("{\"starts_at\":\"%s\",\"place\":\"调解室\"}", in_days(2)));
	check_status(r, 201);
	api_resp_free(&r);
	r = long_poll(&w, &w.mediator, "/api/overview/mine", mv);
	CHECK(!r.waits);
	CHECK_INT(api_int(card(r.json, "mine_sessions"), "value"), 1);
	api_resp_free(&r);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(registration_errors_name_the_field_and_write_nothing),
	TEST_ENTRY(two_parties_an_applicant_and_a_respondent),
	TEST_ENTRY(registered_dispute_reads_whole_and_is_audited),
	TEST_ENTRY(risk_changes_keep_their_reasons),
	TEST_ENTRY(ladder_hand_offs_and_deadlines),
	TEST_ENTRY(consent_rules),
	TEST_ENTRY(mediator_sees_only_what_she_mediates),
	TEST_ENTRY(incident_conversion_opens_the_dispute),
	TEST_ENTRY(sessions_with_the_record_in_three_parts),
	TEST_ENTRY(overview_cards_count_the_rows),
	TEST_ENTRY(list_filters_and_cursor),
	TEST_ENTRY(per_type_checklists_of_the_station),
	TEST_ENTRY(open_overviews_move_with_the_disputes),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/disputes", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
