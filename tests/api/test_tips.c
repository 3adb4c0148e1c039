/* Tips (线索, docs/api.md "Tips"): every field's error, the public page
 * (no session, the station by code, its rate limit per client address with
 * 429 and Retry-After, the status by code telling nothing else), triage
 * (an incident made with channel volunteer_tip, linked incidents and
 * disputes, dismissal needs a reason, once only), outcomes, the figures
 * against counts of the raw rows, scope and masking on every list, a
 * volunteer's own tips only, the work queue and notifications, and the audit
 * entries. Runs on both stores. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "config/config.h"
#include "core/time.h"
#include "http/app.h"
#include "test.h"

struct world {
	struct api_env *env;
	struct api_client officer, officer_b, aux, volunteer, resident, public;
};

/* A 1×1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
	0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	w->public.client_addr = "203.0.113.7";
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->officer_b, "officer.b", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->volunteer, "volunteer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->resident, "resident", API_PASSWORD, NULL) == 200);
}

/* A tip the volunteer reports; its id. */
static int64_t report(struct world *w, const char *text)
{
	struct api_resp r = api_callf(w->env, &w->volunteer, "POST", "/api/tips",
				      "{\"text\":\"%s\",\"place_text\":\"桥东路 18 号\"}", text);
	int64_t id;

	check_status(r, 201);
	id = api_int(r.json, "id");
	api_resp_free(&r);
	return id;
}

/* A tip from the public page (station stA); its code into code. */
static void report_public(struct world *w, const struct api_client *c, const char *extra,
			  char code[16])
{
	struct api_resp r = api_callf(w->env, c, "POST", "/api/public/tips",
				      "{\"text\":\"有人在河边电鱼，拿着棍子\",\"station\":\"stA\"%s}",
				      extra ? extra : "");

	check_status(r, 201);
	CHECK_INT(json_object_size(r.json), 3); /* code, photo_token, photo_minutes */
	snprintf(code, 16, "%s", api_str(r.json, "code") ? api_str(r.json, "code") : "");
	CHECK(strlen(code) == 10);
	CHECK(!r.set_cookie);
	api_resp_free(&r);
}

/* The last audit entry of action about tip id (0: any) exists. */
static bool audited(struct world *w, const char *action, int64_t id)
{
	json_t *e = api_audit_last(w->env, action, id ? api_fmt("%lld", (long long)id) : NULL);
	bool found = e != NULL;

	json_decref(e);
	return found;
}

static struct api_resp triage(struct world *w, const struct api_client *c, int64_t id,
			      const char *body)
{
	return api_call(w->env, c, "POST", api_fmt("/api/tips/%lld/triage", (long long)id), body);
}

static struct api_resp outcome(struct world *w, int64_t id, const char *body)
{
	return api_call(w->env, &w->officer, "POST", api_fmt("/api/tips/%lld/outcome", (long long)id),
			body);
}

static void expect(struct world *w, const struct api_client *c, const char *method,
		   const char *path, const char *body, int status, const char *code,
		   const char *field)
{
	struct api_resp r = api_call(w->env, c, method, path, body);

	if (status < 300)
		check_status(r, status);
	else
		check_error(r, status, code, field);
	api_resp_free(&r);
}

TEST(every_field_is_checked_by_name)
{
	struct world w;
	char long_text[2100];

	world_init(&w);
	memset(long_text, 'x', 2001);
	long_text[2001] = '\0';
	expect(&w, &w.volunteer, "POST", "/api/tips", "{}", 422, NULL, "text");
	expect(&w, &w.volunteer, "POST", "/api/tips", "{\"text\":\"太短\"}", 422, "too_short", "text");
	expect(&w, &w.volunteer, "POST", "/api/tips", api_fmt("{\"text\":\"%s\"}", long_text), 422,
	       NULL, "text");
	expect(&w, &w.volunteer, "POST", "/api/tips",
	       api_fmt("{\"text\":\"有人偷电动车电瓶\",\"place_text\":\"%s\"}", long_text), 422, NULL,
	       "place_text");
	expect(&w, &w.volunteer, "POST", "/api/tips", "{\"text\":\"有人偷电动车电瓶\",\"lat\":29.5}",
	       422, "required", "lng");
	expect(&w, &w.volunteer, "POST", "/api/tips",
	       "{\"text\":\"有人偷电动车电瓶\",\"lat\":95,\"lng\":106}", 422, NULL, "lat");
	expect(&w, &w.volunteer, "POST", "/api/tips", "{\"text\":\"有人偷电动车电瓶\",\"address_id\":999}",
	       422, NULL, "address_id");
	expect(&w, &w.volunteer, "POST", "/api/tips", "{\"text\":\"有人偷电动车电瓶\",\"source\":\"x\"}",
	       422, NULL, "source");
	/* The public page: its own fields and limits. */
	expect(&w, &w.public, "POST", "/api/public/tips",
	       "{\"text\":\"有人偷电动车电瓶\",\"station\":\"stA\",\"reporter_phone\":\"12345\"}", 422,
	       NULL, "reporter_phone");
	expect(&w, &w.public, "POST", "/api/public/tips",
	       api_fmt("{\"text\":\"有人偷电动车电瓶\",\"station\":\"stA\",\"reporter_name\":\"%.60s\"}",
		       long_text),
	       422, NULL, "reporter_name");
	expect(&w, &w.public, "POST", "/api/public/tips", "{\"text\":\"有人偷电动车电瓶\"}", 422,
	       "required", "station"); /* two stations: say which */
	expect(&w, &w.public, "POST", "/api/public/tips",
	       "{\"text\":\"有人偷电动车电瓶\",\"station\":\"gA1\"}", 422, "not_found", "station");
	expect(&w, &w.public, "POST", "/api/public/tips",
	       "{\"text\":\"有人偷电动车电瓶\",\"station\":\"stA\",\"address_id\":1}", 422, NULL,
	       "address_id");
	/* Triage and outcome. */
	{
		int64_t id = report(&w, "车库里有人拉车门");
		const char *path = api_fmt("/api/tips/%lld/triage", (long long)id);
		char p2[64];

		snprintf(p2, sizeof(p2), "%s", path);
		expect(&w, &w.officer, "POST", p2, "{}", 422, NULL, "action");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"burn\"}", 422, NULL, "action");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"dismiss\"}", 422, "required", "reason");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"incident_link\"}", 422, "required",
		       "incident_id");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"incident_link\",\"incident_id\":999}",
		       422, "not_found", "incident_id");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"dispute_link\",\"dispute_id\":999}",
		       422, "not_found", "dispute_id");
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"incident_new\"}", 422, "required",
		       "category");
		expect(&w, &w.officer, "POST", api_fmt("/api/tips/%lld/outcome", (long long)id),
		       "{\"outcome\":\"valid\"}", 409, "not_triaged", "outcome");
		/* Nothing was half-written by the refusals. */
		CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM tips WHERE status <> 'new'"), 0);
		CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM incidents"), 0);
		expect(&w, &w.officer, "POST", p2, "{\"action\":\"dismiss\",\"reason\":\"重复\"}", 200,
		       NULL, NULL);
		snprintf(p2, sizeof(p2), "/api/tips/%lld/outcome", (long long)id);
		expect(&w, &w.officer, "POST", p2, "{\"outcome\":\"not_valid\",\"arrests\":2}", 422,
		       "not_valid", "arrests");
		expect(&w, &w.officer, "POST", p2, "{\"outcome\":\"valid\",\"arrests\":-1}", 422, NULL,
		       "arrests");
		expect(&w, &w.officer, "POST", p2, "{\"outcome\":\"valid\",\"dispute_resolved\":true}",
		       422, "no_dispute", "dispute_resolved");
		expect(&w, &w.officer, "POST", p2, "{\"outcome\":\"maybe\"}", 422, NULL, "outcome");
	}
	expect(&w, &w.officer, "GET", "/api/tips/figures", NULL, 400, NULL, "from");
	expect(&w, &w.officer, "GET", "/api/tips/figures?from=2026-05-02&to=2026-05-01", NULL, 422,
	       NULL, "to");
	expect(&w, &w.officer, "GET", "/api/tips/figures?from=2020-01-01&to=2026-05-01", NULL, 422,
	       NULL, "to");
	expect(&w, &w.officer, "GET", "/api/tips?status=lost", NULL, 400, NULL, "status");
	api_env_free(w.env);
}

TEST(public_tips_are_rate_limited_per_address)
{
	struct world w;
	struct api_client other = {.client_addr = "198.51.100.9"};
	struct api_resp r;
	char code[16];

	world_init(&w);
	w.env->app->cfg.tip_reports_per_address = 3;
	report_public(&w, &w.public, NULL, code);
	report_public(&w, &w.public, ",\"reporter_name\":\"王阿姨\"", code);
	/* A refused body counts too. */
	expect(&w, &w.public, "POST", "/api/public/tips", "{\"text\":\"短\",\"station\":\"stA\"}", 422,
	       "too_short", "text");
	r = api_call(w.env, &w.public, "POST", "/api/public/tips",
		     "{\"text\":\"有人在河边电鱼，拿着棍子\",\"station\":\"stA\"}");
	check_error(r, 429, "rate_limited", NULL);
	CHECK(r.retry_after > 0 && r.retry_after <= 3600);
	CHECK(strstr(api_str(r.json, "error.message") ? api_str(r.json, "error.message") : "",
		     api_fmt("%lld s", r.retry_after)) != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM tips"), 2);
	/* Another address is counted on its own. */
	report_public(&w, &other, NULL, code);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM tips"), 3);
	/* The refusal is audited, with the address. */
	{
		json_t *e = api_audit_last(w.env, "tip.report_public", NULL);

		CHECK(e != NULL);
		CHECK_STR(api_str(e, "client_addr"), "198.51.100.9");
		json_decref(e);
	}
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM audit_log WHERE action = 'tip.report_public'"
				   " AND outcome <> 'success'"),
		  2);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM sessions"), 5);
	api_env_free(w.env);
}

TEST(public_status_by_code_tells_the_status_only)
{
	struct world w;
	struct api_resp r;
	char code[16];
	int64_t id;

	world_init(&w);
	report_public(&w, &w.public, ",\"reporter_name\":\"王阿姨\",\"reporter_phone\":\"13912345601\"",
		      code);
	r = api_callf(w.env, &w.public, "POST", "/api/public/tips/status", "{\"code\":\"%s\"}", code);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "received");
	CHECK_INT(json_object_size(r.json), 3);
	CHECK(!strstr(r.body, "王阿姨") && !strstr(r.body, "5601") && !strstr(r.body, "电鱼"));
	api_resp_free(&r);
	id = api_count(w.env, api_fmt("SELECT id FROM tips WHERE tracking_code = '%s'", code));
	r = triage(&w, &w.officer, id, "{\"action\":\"dismiss\",\"reason\":\"民警核查，无此事\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_callf(w.env, &w.public, "POST", "/api/public/tips/status", "{\"code\":\"%.5s-%s\"}",
		      code, code + 5);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "not_taken");
	CHECK(!strstr(r.body, "民警核查"));
	api_resp_free(&r);
	expect(&w, &w.public, "POST", "/api/public/tips/status", "{\"code\":\"ABCDEFGHJK\"}", 404,
	       "not_found", "code");
	w.env->app->cfg.tip_lookups_per_address = 2;
	r = api_callf(w.env, &w.public, "POST", "/api/public/tips/status", "{\"code\":\"%s\"}", code);
	check_error(r, 429, "rate_limited", NULL);
	CHECK(r.retry_after > 0);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(triage_into_an_incident_a_dispute_or_dismissed)
{
	struct world w;
	struct api_resp r;
	int64_t a, b, c, inc, person, other, dispute;

	world_init(&w);
	a = report(&w, "车库里有人拉车门，疑似盗窃");
	b = report(&w, "两户邻居因宅基地争吵");
	c = report(&w, "楼上有异味");
	/* An incident made from the tip: channel volunteer_tip, the tip's text. */
	r = triage(&w, &w.officer, a,
		   "{\"action\":\"incident_new\",\"category\":\"report\",\"subcategory\":\"criminal\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "incident");
	inc = api_int(r.json, "incident_id");
	CHECK(inc > 0);
	CHECK(api_str(r.json, "incident_number") != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM incidents WHERE id = %lld AND"
					   " channel = 'volunteer_tip' AND narrative LIKE '%%车库%%'",
					   (long long)inc)),
		  1);
	{
		json_t *e = api_audit_last(w.env, "tip.triage", api_fmt("%lld", (long long)a));

		CHECK(e && strstr(api_str(e, "detail") ? api_str(e, "detail") : "", "incident_new"));
		json_decref(e);
	}
	/* Once only. */
	r = triage(&w, &w.officer, a, "{\"action\":\"dismiss\",\"reason\":\"x\"}");
	check_error(r, 409, "triaged", "action");
	api_resp_free(&r);
	/* A dispute linked. */
	{
		char id2[19];

		api_id_number("110105", "19800101", "123", id2);
		person = api_new_person(w.env, &w.officer, "张三", API_ID_NUMBER, NULL);
		other = api_new_person(w.env, &w.officer, "李四", id2, NULL);
	}
	r = api_callf(w.env, &w.officer, "POST", "/api/disputes",
		      "{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"宅基地边界争执\","
		      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\"},"
		      "{\"person_id\":%lld,\"role\":\"respondent\"}]}",
		      (long long)person, (long long)other);
	check_status(r, 201);
	dispute = api_int(r.json, "id");
	api_resp_free(&r);
	r = triage(&w, &w.officer, b, api_fmt("{\"action\":\"dispute_link\",\"dispute_id\":%lld}",
					      (long long)dispute));
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "dispute");
	CHECK_INT(api_int(r.json, "dispute_id"), dispute);
	api_resp_free(&r);
	r = outcome(&w, b, "{\"outcome\":\"valid\",\"dispute_resolved\":true,\"note\":\"调解成功\"}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "dispute_resolved"), 1);
	api_resp_free(&r);
	/* Dismissed with its reason. */
	r = triage(&w, &w.officer, c, "{\"action\":\"dismiss\",\"reason\":\"装修油漆味\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "dismissed");
	CHECK_STR(api_str(r.json, "dismiss_reason"), "装修油漆味");
	api_resp_free(&r);
	/* The outcome, recorded and recorded again. */
	r = outcome(&w, a, "{\"outcome\":\"valid\",\"arrests\":1}");
	check_status(r, 200);
	api_resp_free(&r);
	r = outcome(&w, a, "{\"outcome\":\"valid\",\"arrests\":2,\"note\":\"抓获两名嫌疑人\"}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "arrests"), 2);
	CHECK_STR(api_str(r.json, "outcome"), "valid");
	api_resp_free(&r);
	CHECK(audited(&w, "tip.outcome", a));
	/* Linking an incident of another station: not found. */
	{
		int64_t d = report(&w, "有人在河边电鱼");
		int64_t elsewhere;

		r = api_call(w.env, &w.officer_b, "POST", "/api/incidents",
			     "{\"channel\":\"walk_in\",\"category\":\"help\",\"narrative\":\"求助\"}");
		check_status(r, 201);
		elsewhere = api_int(r.json, "id");
		api_resp_free(&r);
		r = triage(&w, &w.officer, d,
			   api_fmt("{\"action\":\"incident_link\",\"incident_id\":%lld}",
				   (long long)elsewhere));
		check_error(r, 422, "not_found", "incident_id");
		api_resp_free(&r);
		r = triage(&w, &w.officer, d,
			   api_fmt("{\"action\":\"incident_link\",\"incident_id\":%lld}", (long long)inc));
		check_status(r, 200);
		api_resp_free(&r);
	}
	api_env_free(w.env);
}

/* The figures against counts of the rows themselves. */
TEST(figures_match_the_raw_rows)
{
	struct world w;
	struct api_resp r;
	int64_t ids[6];
	char code[16];

	world_init(&w);
	w.env->app->cfg.tip_reports_per_address = 100;
	for (int i = 0; i < 6; i++)
		ids[i] = report(&w, api_fmt("第 %d 条线索：可疑人员", i + 1));
	report_public(&w, &w.public, NULL, code);
	report_public(&w, &w.public, ",\"reporter_phone\":\"13912345601\"", code);
	for (int i = 0; i < 4; i++) {
		r = triage(&w, &w.officer, ids[i],
			   "{\"action\":\"incident_new\",\"category\":\"report\",\"subcategory\":\"criminal\"}");
		check_status(r, 200);
		api_resp_free(&r);
	}
	r = triage(&w, &w.officer, ids[4], "{\"action\":\"dismiss\",\"reason\":\"无法核实\"}");
	api_resp_free(&r);
	r = outcome(&w, ids[0], "{\"outcome\":\"valid\",\"arrests\":3}");
	api_resp_free(&r);
	r = outcome(&w, ids[1], "{\"outcome\":\"valid\",\"arrests\":1,\"hazard_removed\":true}");
	api_resp_free(&r);
	r = outcome(&w, ids[2], "{\"outcome\":\"valid\"}");
	api_resp_free(&r);
	r = outcome(&w, ids[3], "{\"outcome\":\"not_valid\"}");
	api_resp_free(&r);
	/* One tip of another station stays out of stA's figures. */
	api_exec(w.env, api_fmt("UPDATE tips SET org_path = (SELECT path FROM org_units WHERE id ="
				" %lld), org_id = %lld WHERE id = %lld",
				(long long)w.env->g_b1, (long long)w.env->g_b1, (long long)ids[5]));
	r = api_call(w.env, &w.officer, "GET", "/api/tips/figures?from=2020-01-01&to=2021-12-31",
		     NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "total"), 0);
	api_resp_free(&r);
	{ /* the days around today, station time */
		int64_t today = fq_time_local_day(fq_time_now_ms(), w.env->app->cfg.utc_offset_minutes,
						  NULL);

		r = api_call(w.env, &w.officer, "GET",
			     api_fmt("/api/tips/figures?from=%lld&to=%lld",
				     (long long)fq_date_add(today, -1), (long long)fq_date_add(today, 1)),
			     NULL);
	}
	check_status(r, 200);
#define ROWS(where) api_count(w.env, "SELECT COUNT(*) FROM tips WHERE org_id <> " \
				  "(SELECT id FROM org_units WHERE code = 'gB1') AND " where)
	CHECK_INT(api_int(r.json, "total"), ROWS("1 = 1"));
	CHECK_INT(api_int(r.json, "total"), 7);
	CHECK_INT(api_int(r.json, "by_source.volunteer"), ROWS("source = 'volunteer'"));
	CHECK_INT(api_int(r.json, "by_source.resident"), ROWS("source = 'resident'"));
	CHECK_INT(api_int(r.json, "by_source.anonymous"), ROWS("source = 'anonymous'"));
	CHECK_INT(api_int(r.json, "by_source.anonymous"), 1);
	CHECK_INT(api_int(r.json, "triaged"), ROWS("status <> 'new'"));
	CHECK_INT(api_int(r.json, "to_incident"), ROWS("incident_id IS NOT NULL"));
	CHECK_INT(api_int(r.json, "dismissed"), ROWS("status = 'dismissed'"));
	CHECK_INT(api_int(r.json, "valid"), ROWS("outcome = 'valid'"));
	CHECK_INT(api_int(r.json, "not_valid"), ROWS("outcome = 'not_valid'"));
	CHECK_INT(api_int(r.json, "with_arrests"), ROWS("arrests > 0"));
	CHECK_INT(api_int(r.json, "with_arrests"), 2);
	CHECK_INT(api_int(r.json, "arrests"),
		  api_count(w.env, "SELECT COALESCE(SUM(arrests), 0) FROM tips WHERE org_id <> "
				   "(SELECT id FROM org_units WHERE code = 'gB1')"));
	CHECK_INT(api_int(r.json, "arrests"), 4);
	CHECK_INT(api_int(r.json, "hazards_removed"), ROWS("hazard_removed = 1"));
	CHECK(json_real_value(api_get(r.json, "valid_rate")) > 0.74 &&
	      json_real_value(api_get(r.json, "valid_rate")) < 0.76);
	CHECK_INT(api_len(r.json, "by_unit"), 1); /* the volunteer's unit, the station */
	CHECK_INT(api_int(r.json, "by_unit.0.arrests"), 4);
	api_resp_free(&r);
	/* The overview's cards: the same counts, today's. */
	r = api_call(w.env, &w.officer, "GET", "/api/overview?period=today", NULL);
	check_status(r, 200);
	{
		json_t *cards = api_get(r.json, "cards"), *card;
		size_t i;
		int seen = 0;

		json_array_foreach(cards, i, card) {
			const char *key = api_str(card, "key");

			if (!api_str(card, "module") || strcmp(api_str(card, "module"), "tips"))
				continue;
			seen++;
			if (!strcmp(key, "reported"))
				CHECK_INT(api_int(card, "value"), ROWS("1 = 1"));
			else if (!strcmp(key, "arrests")) {
				CHECK_INT(api_int(card, "value"), 4);
				CHECK_INT(api_int(card, "detail.tips"), ROWS("arrests > 0"));
				CHECK_STR(api_str(card, "link.list"), "tips");
				CHECK_STR(api_str(card, "link.filter.status"), "incident");
			} else if (!strcmp(key, "to_triage"))
				CHECK_INT(api_int(card, "value"), ROWS("status = 'new'"));
			else if (!strcmp(key, "valid_rate"))
				CHECK(json_real_value(api_get(card, "value")) > 74.9 &&
				      json_real_value(api_get(card, "value")) < 75.1);
		}
		CHECK_INT(seen, 5);
	}
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(scope_masking_and_own_tips)
{
	struct world w;
	struct api_resp r;
	char code[16];
	int64_t mine, pub;

	world_init(&w);
	mine = report(&w, "车库里有人拉车门");
	report_public(&w, &w.public, ",\"reporter_name\":\"王阿姨\",\"reporter_phone\":\"13912345601\"",
		      code);
	pub = api_count(w.env, api_fmt("SELECT id FROM tips WHERE tracking_code = '%s'", code));
	/* The officer's list: both, the phone masked. */
	r = api_call(w.env, &w.officer, "GET", "/api/tips", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK(!strstr(r.body, "13912345601"));
	CHECK_STR(api_str(r.json, "items.0.reporter_phone"), "139****5601");
	CHECK_STR(api_str(r.json, "items.0.source"), "resident");
	api_resp_free(&r);
	/* The export too. */
	r = api_call(w.env, &w.officer, "GET", "/api/tips/export?format=csv", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "139****5601") && !strstr(r.body, "13912345601"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/tips/export?format=csv&unmask=true", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "13912345601"));
	api_resp_free(&r);
	/* The aux reads, masked, and may not unmask or triage. */
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/tips/%lld", (long long)pub), NULL);
	check_status(r, 200);
	CHECK(!strstr(r.body, "13912345601"));
	CHECK(!api_bool(r.json, "can_triage"));
	api_resp_free(&r);
	expect(&w, &w.aux, "POST", api_fmt("/api/tips/%lld/unmask", (long long)pub), NULL, 403, NULL,
	       NULL);
	expect(&w, &w.aux, "POST", api_fmt("/api/tips/%lld/triage", (long long)pub),
	       "{\"action\":\"dismiss\",\"reason\":\"x\"}", 403, NULL, NULL);
	/* Unmasking: the clear phone, audited. */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/tips/%lld/unmask", (long long)pub), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "reporter_phone"), "13912345601");
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "tip.unmask", api_fmt("%lld", (long long)pub));

		CHECK(e != NULL);
		CHECK_INT(api_int(e, "user_id"), api_user_id(w.env, "officer"));
		json_decref(e);
	}
	/* The sealed phone is not in the database in the clear. */
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM tips WHERE reporter_phone_mask ="
				   " '139****5601' AND reporter_phone_enc IS NOT NULL"),
		  1);
	/* Another station sees none of it. */
	r = api_call(w.env, &w.officer_b, "GET", "/api/tips", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	expect(&w, &w.officer_b, "GET", api_fmt("/api/tips/%lld", (long long)mine), NULL, 404, NULL,
	       NULL);
	expect(&w, &w.officer_b, "POST", api_fmt("/api/tips/%lld/triage", (long long)mine),
	       "{\"action\":\"dismiss\",\"reason\":\"x\"}", 404, NULL, NULL);
	expect(&w, &w.officer_b, "POST", api_fmt("/api/tips/%lld/unmask", (long long)pub), NULL, 404,
	       NULL, NULL);
	expect(&w, &w.officer_b, "GET", api_fmt("/api/tips?org_id=%lld", (long long)w.env->st_a),
	       NULL, 422, "not_found", "org_id");
	r = api_call(w.env, &w.officer_b, "GET", "/api/tips/figures?from=2020-01-01&to=2021-12-31",
		     NULL);
	check_status(r, 200);
	api_resp_free(&r);
	/* The volunteer: own tips only, no staff list, nobody else's tip. */
	expect(&w, &w.volunteer, "GET", "/api/tips", NULL, 403, NULL, NULL);
	expect(&w, &w.volunteer, "GET", "/api/tips/figures?from=2026-01-01", NULL, 403, NULL, NULL);
	expect(&w, &w.volunteer, "GET", api_fmt("/api/tips/%lld", (long long)pub), NULL, 404, NULL,
	       NULL);
	r = api_call(w.env, &w.volunteer, "GET", "/api/tips/mine", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), mine);
	CHECK(!strstr(r.body, "王阿姨") && !api_get(r.json, "items.0.reporter_name") &&
	      !api_get(r.json, "items.0.triaged_by_name"));
	api_resp_free(&r);
	r = triage(&w, &w.officer, mine, "{\"action\":\"dismiss\",\"reason\":\"经核查系车主本人\"}");
	api_resp_free(&r);
	r = api_call(w.env, &w.volunteer, "GET", api_fmt("/api/tips/%lld", (long long)mine), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "dismissed");
	CHECK(api_bool(r.json, "mine"));
	CHECK(!api_get(r.json, "dismiss_reason") && !api_get(r.json, "reporter_phone"));
	api_resp_free(&r);
	/* A resident has no tip permission: the public page is theirs. */
	expect(&w, &w.resident, "POST", "/api/tips", "{\"text\":\"有人偷电动车电瓶\"}", 403, NULL, NULL);
	api_env_free(w.env);
}

/* Header search finds tips by what was reported, by place and by their
 * status words, in the officer's scope only; never by the reporter's name or
 * phone, and never for a volunteer (own tips are under "my tips"). */
TEST(search_finds_tips_in_scope)
{
	struct world w;
	struct api_resp r;
	char code[16];
	int64_t id;

	world_init(&w);
	id = report(&w, "仓库后门夜里有人搬运电缆");
	report_public(&w, &w.public, ",\"reporter_name\":\"李秀英\",\"reporter_phone\":\"13912345602\"",
		      code);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=tip&q=%E7%94%B5%E7%BC%86", NULL); /* 电缆 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.type"), "tip");
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	CHECK(api_str(r.json, "items.0.title") && strstr(api_str(r.json, "items.0.title"), "待研判"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=tip&q=%E6%A1%A5%E4%B8%9C%E8%B7%AF",
		     NULL); /* 桥东路, the place */
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=tip&q=%E6%9D%8E%E7%A7%80%E8%8B%B1",
		     NULL); /* 李秀英: the reporter is not indexed */
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=tip&q=13912345602", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* The status is indexed anew when the tip is triaged. */
	r = triage(&w, &w.officer, id, "{\"action\":\"dismiss\",\"reason\":\"系单位正常搬运\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     "/api/search?types=tip&q=%E4%B8%8D%E4%BA%88%E9%87%87%E7%BA%B3", NULL); /* 不予采纳 */
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	/* Another station's officer and the volunteer find nothing. */
	r = api_call(w.env, &w.officer_b, "GET", "/api/search?types=tip&q=%E7%94%B5%E7%BC%86", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.volunteer, "GET", "/api/search?q=%E7%94%B5%E7%BC%86", NULL);
	CHECK(r.status == 200 || r.status == 403);
	CHECK(!r.body || !strstr(r.body, "\"tip\""));
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(new_tips_wait_in_the_officers_queue_and_bell)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = report(&w, "电动车充电线从楼上拉下来，有火灾隐患");
	CHECK(audited(&w, "tip.report", id));
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	CHECK(strstr(r.body, "tip_triage") != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM notifications WHERE kind = 'tip_new'"
					   " AND object_id = %lld AND user_id = %lld",
					   (long long)id, (long long)api_user_id(w.env, "officer"))),
		  1);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM notifications WHERE kind = 'tip_new'"
					   " AND user_id = %lld",
					   (long long)api_user_id(w.env, "officer.b"))),
		  0);
	/* The aux reads tips but does not triage: no queue item. */
	r = api_call(w.env, &w.aux, "GET", "/api/work", NULL);
	check_status(r, 200);
	CHECK(!strstr(r.body, "tip_triage"));
	api_resp_free(&r);
	r = triage(&w, &w.officer, id, "{\"action\":\"dismiss\",\"reason\":\"已通知物业\"}");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	CHECK(!strstr(r.body, "tip_triage"));
	api_resp_free(&r);
	/* The volunteer adds a photo to the own tip; another station cannot. */
	{
		struct api_raw raw = {
			.method = "POST",
			.target = api_fmt("/api/tips/%lld/photos?name=p.png", (long long)id),
			.body = (const char *)png, .body_len = sizeof(png), .content_type = "image/png"};

		r = api_call_raw(w.env, &w.volunteer, &raw);
		check_status(r, 201);
		api_resp_free(&r);
		CHECK(audited(&w, "tip.photo", id));
		r = api_call_raw(w.env, &w.officer_b, &raw);
		check_error(r, 404, NULL, NULL);
		api_resp_free(&r);
		r = api_call(w.env, &w.officer, "GET", api_fmt("/api/tips/%lld", (long long)id), NULL);
		CHECK_INT(api_int(r.json, "photos"), 1);
		api_resp_free(&r);
	}
	api_env_free(w.env);
}

static struct api_resp public_photo(struct world *w, const char *authorization,
				   const void *body, size_t len)
{
	struct api_raw raw = {.method = "POST", .target = "/api/public/tips/photo?name=p.png",
			      .body = body, .body_len = len, .content_type = "image/png",
			      .authorization = authorization};

	return api_call_raw(w->env, &w->public, &raw);
}

TEST(the_public_page_adds_photos_with_its_token_only)
{
	struct world w;
	struct api_resp r;
	char token[80], auth[100];
	int64_t id;

	world_init(&w);
	w.env->app->cfg.tip_reports_per_address = 6;
	r = api_call(w.env, &w.public, "POST", "/api/public/tips",
		     "{\"text\":\"有人在河边电鱼，拿着棍子\",\"station\":\"stA\"}");
	check_status(r, 201);
	snprintf(token, sizeof(token), "%s",
		 api_str(r.json, "photo_token") ? api_str(r.json, "photo_token") : "");
	id = api_count(w.env, api_fmt("SELECT id FROM tips WHERE tracking_code = '%s'",
				      api_str(r.json, "code")));
	api_resp_free(&r);
	CHECK(strlen(token) > 20);
	/* The token is kept as a hash only. */
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM tips WHERE photo_token_hash = '%s'",
					   token)),
		  0);
	snprintf(auth, sizeof(auth), "TipPhoto %s", token);
	/* No token, a wrong one, a PDF: refused, nothing stored. */
	r = public_photo(&w, NULL, png, sizeof(png));
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = public_photo(&w, "TipPhoto tp_wrong", png, sizeof(png));
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = public_photo(&w, auth, "%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", 20);
	check_error(r, 415, NULL, "file");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM attachments"), 0);
	/* With it: the tip's photo, no uploader; audited. */
	r = public_photo(&w, auth, png, sizeof(png));
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM attachments WHERE record_type ="
					   " 'tip' AND record_id = %lld AND uploaded_by IS NULL",
					   (long long)id)),
		  1);
	CHECK(audited(&w, "tip.photo_public", id));
	/* Every upload counted against the address: 1 report + 4 uploads so far;
	 * the sixth try passes, the seventh is 429. */
	r = public_photo(&w, auth, png, sizeof(png));
	check_status(r, 201);
	api_resp_free(&r);
	r = public_photo(&w, auth, png, sizeof(png));
	check_error(r, 429, "rate_limited", NULL);
	CHECK(r.retry_after > 0);
	api_resp_free(&r);
	/* At most FQ_TIP_PUBLIC_PHOTOS, and only within the time. */
	w.env->app->cfg.tip_reports_per_address = 100;
	r = public_photo(&w, auth, png, sizeof(png));
	check_status(r, 201);
	api_resp_free(&r);
	r = public_photo(&w, auth, png, sizeof(png));
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM attachments"), 3);
	api_exec(w.env, "UPDATE tips SET photos_public = 0, photo_until = 1");
	r = public_photo(&w, auth, png, sizeof(png));
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	/* The officer sees the photos. */
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/tips/%lld", (long long)id), NULL);
	CHECK_INT(api_int(r.json, "photos"), 3);
	api_resp_free(&r);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(every_field_is_checked_by_name),
	TEST_ENTRY(public_tips_are_rate_limited_per_address),
	TEST_ENTRY(public_status_by_code_tells_the_status_only),
	TEST_ENTRY(triage_into_an_incident_a_dispute_or_dismissed),
	TEST_ENTRY(figures_match_the_raw_rows),
	TEST_ENTRY(scope_masking_and_own_tips),
	TEST_ENTRY(search_finds_tips_in_scope),
	TEST_ENTRY(new_tips_wait_in_the_officers_queue_and_bell),
	TEST_ENTRY(the_public_page_adds_photos_with_its_token_only),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/tips", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
