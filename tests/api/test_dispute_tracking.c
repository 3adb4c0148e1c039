/* 一案一码 (docs/api.md "Tracking"): the public lookup answers the status
 * and the next session only, the same 404 for an unknown code and for wrong
 * digits, its rate limit per code and per client address (429 with
 * Retry-After), its audit entries without the digits, no session made; the
 * acceptance notice PDF: permission, scope, text (pdftotext), QR code
 * (zbarimg), headers and audit entry. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "api/pdftext.h"
#include "config/config.h"
#include "http/app.h"
#include "test.h"

struct world {
	struct api_env *env;
	struct api_client officer, officer_b, mediator, public;
	int64_t p1, p2, id;
	char code[32], number[40];
};

static void world_init(struct world *w)
{
	char id2[19];
	struct api_resp r;

	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	w->public.client_addr = "203.0.113.7";
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->officer_b, "officer.b", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	api_id_number("110105", "19800101", "123", id2);
	w->p1 = api_new_person(w->env, &w->officer, "张三", API_ID_NUMBER,
			       "{\"phone\":\"13800001111\"}");
	/* A landline: its mask hides more than the last four digits. */
	w->p2 = api_new_person(w->env, &w->officer, "李四", id2, "{\"phone\":\"023-67812345\"}");
	CHECK(w->p1 && w->p2);
	r = api_callf(w->env, &w->officer, "POST", "/api/disputes",
		      "{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"楼上漏水淹了厨房\","
		      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		      "{\"person_id\":%lld,\"role\":\"respondent\"}]}",
		      (long long)w->p1, (long long)w->p2);
	check_status(r, 201);
	w->id = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_call(w->env, &w->officer, "GET", api_fmt("/api/disputes/%lld", (long long)w->id), NULL);
	check_status(r, 200);
	snprintf(w->code, sizeof(w->code), "%s", api_str(r.json, "tracking_code") ? api_str(r.json, "tracking_code") : "");
	snprintf(w->number, sizeof(w->number), "%s", api_str(r.json, "number") ? api_str(r.json, "number") : "");
	api_resp_free(&r);
	CHECK(strlen(w->code) == 10);
}

static struct api_resp track(struct world *w, const struct api_client *c, const char *code,
			     const char *digits)
{
	return api_callf(w->env, c, "POST", "/api/public/track",
			 "{\"code\":\"%s\",\"phone_last4\":\"%s\"}", code, digits);
}

/* Nothing of the record but the status and the date. */
static void check_nothing_else(const struct api_resp *r)
{
	static const char *const secret[] = {"张三", "李四", "楼上漏水", "neighbours", "applicant",
					     "workstation", "1111", "2345", "officer", NULL};

	for (int i = 0; secret[i]; i++)
		if (strstr(r->body, secret[i])) {
			printf("# the answer shows '%s': %s\n", secret[i], r->body);
			CHECK(0);
		}
	CHECK(!r->set_cookie);
}

TEST(right_code_and_digits_give_the_status_and_next_date_only)
{
	struct world w;
	struct api_resp r;
	char lower[32];

	world_init(&w);
	r = track(&w, &w.public, w.code, "1111");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "accepted");
	CHECK(json_is_null(api_get(r.json, "next_session_at")));
	CHECK(json_is_null(api_get(r.json, "concluded_at")));
	CHECK_INT(json_object_size(r.json), 3);
	check_nothing_else(&r);
	api_resp_free(&r);
	/* The landline's last four digits; the code as typed, with dashes and in
	 * lower case. */
	for (int i = 0; w.code[i]; i++)
		lower[i] = (char)(w.code[i] >= 'A' && w.code[i] <= 'Z' ? w.code[i] + 32 : w.code[i]);
	lower[10] = '\0';
	r = track(&w, &w.public, api_fmt("%.5s-%s", lower, lower + 5), "2345");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "accepted");
	api_resp_free(&r);
	/* A planned session: mediating, with its time; a past one is not "next". */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)w.id),
		     "{\"starts_at\":\"2030-01-02T02:00:00Z\",\"place\":\"调解室\"}");
	check_status(r, 201);
	api_resp_free(&r);
	r = track(&w, &w.public, w.code, "1111");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "mediating");
	CHECK_STR(api_str(r.json, "next_session_at"), "2030-01-02T02:00:00Z");
	CHECK_INT(json_object_size(r.json), 3);
	check_nothing_else(&r);
	api_resp_free(&r);
	/* Concluded: the outcome in words of its own, no next date, the day it
	 * concluded. */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/conclude", (long long)w.id),
		     "{\"outcome\":\"withdrawn\",\"reason\":\"申请人撤回\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = track(&w, &w.public, w.code, "2345");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "withdrawn");
	CHECK(json_is_null(api_get(r.json, "next_session_at")));
	CHECK(api_str(r.json, "concluded_at") && strlen(api_str(r.json, "concluded_at")) == 20);
	CHECK_INT(json_object_size(r.json), 3);
	check_nothing_else(&r);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(wrong_digits_and_unknown_code_answer_the_same)
{
	struct world w;
	struct api_resp a, b;
	json_t *e;

	world_init(&w);
	a = track(&w, &w.public, w.code, "9999");
	b = track(&w, &w.public, "ABCDEFGHJK", "1111");
	check_error(a, 404, "not_found", NULL);
	check_error(b, 404, "not_found", NULL);
	CHECK_STR(a.body, b.body);
	api_resp_free(&a);
	api_resp_free(&b);
	/* The middle digits of the mobile are not its last four. */
	a = track(&w, &w.public, w.code, "0000");
	check_error(a, 404, "not_found", NULL);
	api_resp_free(&a);
	/* Badly formed: the field named. */
	a = track(&w, &w.public, w.code, "12a4");
	check_error(a, 422, NULL, "phone_last4");
	api_resp_free(&a);
	a = track(&w, &w.public, w.code, "12345");
	check_error(a, 422, NULL, "phone_last4");
	api_resp_free(&a);
	a = track(&w, &w.public, "代码", "1111");
	check_error(a, 422, NULL, "code");
	api_resp_free(&a);
	a = api_call(w.env, &w.public, "POST", "/api/public/track",
		     "{\"code\":\"ABCDEFGHJK\",\"phone_last4\":\"1111\",\"name\":\"x\"}");
	check_error(a, 422, NULL, "name");
	api_resp_free(&a);
	/* Audited, failures too, with the address and never the digits. */
	e = api_audit_last(w.env, "dispute.track", NULL);
	CHECK(e != NULL);
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK_STR(api_str(e, "client_addr"), "203.0.113.7");
	json_decref(e);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM audit_log WHERE action = 'dispute.track'"), 7);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM audit_log WHERE action = 'dispute.track'"
				   " AND (detail LIKE '%9999%' OR detail LIKE '%1111%')"),
		  0);
	a = track(&w, &w.public, w.code, "1111");
	check_status(a, 200);
	api_resp_free(&a);
	e = api_audit_last(w.env, "dispute.track", api_fmt("%lld", (long long)w.id));
	CHECK(e != NULL);
	CHECK_STR(api_str(e, "outcome"), "success");
	CHECK_STR(api_str(e, "object_type"), "dispute");
	json_decref(e);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM sessions"), 3); /* the staff's own */
	api_env_free(w.env);
}

TEST(rate_limit_per_code)
{
	struct world w;
	struct api_client other = {.client_addr = "198.51.100.9"};
	struct api_resp r;

	world_init(&w);
	w.env->app->cfg.track_tries_per_code = 3;
	for (int i = 0; i < 3; i++) {
		r = track(&w, i % 2 ? &other : &w.public, w.code, "9999");
		check_error(r, 404, "not_found", NULL);
		CHECK(r.retry_after == 0);
		api_resp_free(&r);
	}
	/* The fourth try of the code, from any address, even with the right
	 * digits: 429 until the window ends. */
	r = track(&w, &other, w.code, "1111");
	check_error(r, 429, "rate_limited", NULL);
	CHECK(r.retry_after > 0 && r.retry_after <= 600);
	api_resp_free(&r);
	/* Another code is still answered. */
	r = track(&w, &w.public, "ABCDEFGHJK", "1111");
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT count FROM track_attempts WHERE key = 'code:%s'", w.code)), 4);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM audit_log WHERE action = 'dispute.track'"
				   " AND detail LIKE 'rate_limited%'"),
		  1);
	api_env_free(w.env);
}

TEST(rate_limit_per_address)
{
	struct world w;
	struct api_client other = {.client_addr = "198.51.100.9"};
	struct api_resp r;

	world_init(&w);
	w.env->app->cfg.track_tries_per_address = 4;
	for (int i = 0; i < 4; i++) {
		r = track(&w, &w.public, api_fmt("ABCDEFGH%c%c", 'M' + i, 'N'), "1111");
		check_error(r, 404, "not_found", NULL);
		api_resp_free(&r);
	}
	r = track(&w, &w.public, w.code, "1111");
	check_error(r, 429, "rate_limited", NULL);
	CHECK(r.retry_after > 0 && r.retry_after <= 3600);
	api_resp_free(&r);
	r = track(&w, &other, w.code, "1111");
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(w.env);
}

static struct api_resp get_notice(struct world *w, struct api_client *c)
{
	return api_call(w->env, c, "GET", api_fmt("/api/disputes/%lld/notice.pdf", (long long)w->id),
			NULL);
}

TEST(notice_pdf_text_qr_and_audit)
{
	struct world w;
	struct api_resp r;
	char *text, *qr;
	json_t *e;

	world_init(&w);
	snprintf(w.env->app->cfg.public_base_url, sizeof(w.env->app->cfg.public_base_url),
		 "https://fq.example.gov.cn/");
	snprintf(w.env->app->cfg.dispute_notice_contact,
		 sizeof(w.env->app->cfg.dispute_notice_contact), "电话 0571-88001234");
	r = get_notice(&w, &w.officer);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	CHECK(r.disposition && strstr(r.disposition, "attachment"));
	CHECK(r.disposition && strstr(r.disposition, w.number));
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text != NULL);
	if (text) {
		static const char *const want[] = {"受理告知书", "张三", "李四", "申请人", "被申请人",
						   "邻里纠纷", "可以拒绝调解", "更换调解员",
						   "0571-88001234", "https://fq.example.gov.cn/#/track/", NULL};

		for (int i = 0; want[i]; i++)
			if (!strstr(text, want[i])) {
				printf("# no '%s' in: %s\n", want[i], text);
				CHECK(0);
			}
		CHECK(strstr(text, w.code) != NULL);
		CHECK(strstr(text, w.number) != NULL);
		CHECK(!strstr(text, "楼上漏水")); /* the facts are not on the notice */
	}
	free(text);
	qr = pdf_qr(r.body, r.body_len);
	CHECK(qr != NULL);
	if (qr)
		CHECK(strstr(qr, api_fmt("https://fq.example.gov.cn/#/track/%s", w.code)) != NULL);
	free(qr);
	/* No pictures: the QR code is drawn, and the notice has no signatures. */
	CHECK_INT(pdf_images(r.body, r.body_len), 0);
	api_resp_free(&r);
	e = api_audit_last(w.env, "dispute.notice_pdf", api_fmt("%lld", (long long)w.id));
	CHECK(e != NULL);
	CHECK_STR(api_str(e, "outcome"), "success");
	json_decref(e);
	/* Without public_base_url the QR code holds the code alone. */
	w.env->app->cfg.public_base_url[0] = '\0';
	r = get_notice(&w, &w.officer);
	check_status(r, 200);
	qr = pdf_qr(r.body, r.body_len);
	CHECK(qr != NULL);
	if (qr)
		CHECK(strstr(qr, w.code) && !strstr(qr, "http"));
	free(qr);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(notice_pdf_scope_and_permission)
{
	struct world w;
	struct api_resp r;
	json_t *e;

	world_init(&w);
	/* Another station's officer: not found (and audited as a failure). */
	r = get_notice(&w, &w.officer_b);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	e = api_audit_last(w.env, "dispute.notice_pdf", api_fmt("%lld", (long long)w.id));
	CHECK(e != NULL);
	if (e)
		CHECK_STR(api_str(e, "outcome"), "failure");
	json_decref(e);
	/* A mediator only once assigned. */
	r = get_notice(&w, &w.mediator);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)w.id),
		      "{\"user_id\":%lld}", (long long)api_user_id(w.env, "mediator"));
	check_status(r, 201);
	api_resp_free(&r);
	r = get_notice(&w, &w.mediator);
	check_status(r, 200);
	api_resp_free(&r);
	/* No sign-in: 401; no such dispute: 404. */
	r = get_notice(&w, &w.public);
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes/999999/notice.pdf", NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	api_env_free(w.env);
}

/* A session planned ahead is told to the parties: one SMS per party's
 * phone through the station's gateway, with the date and place; a session
 * recorded afterwards tells nobody. */
TEST(parties_are_told_of_a_planned_session_by_sms)
{
	struct world w;
	struct api_client admin;
	struct api_resp r;
	json_t *d;
	size_t i;
	int texts = 0;

	world_init(&w);
	w.env->app->cfg.outbox_allow_private = true; /* the gateway is never reached here */
	CHECK(api_login_enrolled(w.env, &admin, "sysadmin"));
	r = api_callf(w.env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"短信\",\"url\":"
		      "\"http://127.0.0.1:9/sms\",\"events\":[\"dispute.session_scheduled\"],"
		      "\"sms_method\":\"POST\",\"sms_content_type\":\"json\",\"sms_body\":"
		      "\"{\\\"mobile\\\":\\\"{phone}\\\",\\\"content\\\":\\\"{text}\\\"}\"}",
		      (long long)w.env->st_a);
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)w.id),
		     "{\"starts_at\":\"2030-01-02T02:00:00Z\",\"place\":\"枫桥调解室\"}");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM outbox WHERE event_kind ="
				   " 'dispute.session_scheduled'"),
		  2);
	r = api_call(w.env, &admin, "GET", "/api/outbox/deliveries", NULL);
	json_array_foreach(api_get(r.json, "items"), i, d) {
		const char *t = api_str(d, "text") ? api_str(d, "text") : "";

		texts += strstr(t, w.number) && strstr(t, "2030-01-02 10:00") &&
			 strstr(t, "枫桥调解室") && !strstr(t, "张三");
	}
	CHECK_INT(texts, 2);
	CHECK(!strstr(r.body, "13800001111") && !strstr(r.body, "67812345"));
	api_resp_free(&r);
	/* recorded after it was held: nobody is told */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)w.id),
		     "{\"starts_at\":\"2026-01-02T02:00:00Z\",\"place\":\"现场\"}");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM outbox"), 2);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(parties_are_told_of_a_planned_session_by_sms),
    TEST_ENTRY(right_code_and_digits_give_the_status_and_next_date_only),
    TEST_ENTRY(wrong_digits_and_unknown_code_answer_the_same),
    TEST_ENTRY(rate_limit_per_code),
    TEST_ENTRY(rate_limit_per_address),
    TEST_ENTRY(notice_pdf_text_qr_and_audit),
    TEST_ENTRY(notice_pdf_scope_and_permission),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/dispute_tracking", tests, sizeof(tests) / sizeof(tests[0]), argc,
			    argv);
}
