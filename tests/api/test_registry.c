/* The responsibility registry (docs/api.md "Responsibility registry"): every
 * validation error naming its field with nothing written, the responsible
 * person required and of the unit's station, codes generated and unique per
 * station, data scope (another station's officer sees nothing and changes
 * nothing), checks only by the responsible person, the deputy or an officer,
 * the check schedule in the responsible person's work queue (due, then
 * overdue, as the stored time moves), search answering who is responsible,
 * the labels' PDF read back with pdftotext and its QR code decoded, the
 * list's filters and the export. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "api/pdftext.h"
#include "core/time.h"

struct world {
	struct api_env *env;
	struct api_client officer, aux, mediator, other;
	int64_t officer_id, aux_id, mediator_id, other_id;
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->other, "officer.b", API_PASSWORD, NULL) == 200);
	w->officer_id = api_user_id(w->env, "officer");
	w->aux_id = api_user_id(w->env, "aux");
	w->mediator_id = api_user_id(w->env, "mediator");
	w->other_id = api_user_id(w->env, "officer.b");
}

/* A fire extinguisher of grid A1 kept by the aux (extra: more fields). */
static int64_t new_item(struct world *w, const char *extra)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/registry",
		"{\"kind\":\"equipment\",\"name\":\"一楼大厅灭火器\",\"location\":\"警务室大厅东墙\","
		"\"unit_id\":%lld,\"responsible_id\":%lld%s}",
		(long long)w->env->g_a1, (long long)w->aux_id, extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# create: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* Whether the audit log holds the action (of the object, when given). */
static bool audited(struct api_env *env, const char *action, const char *object_id)
{
	json_t *e = api_audit_last(env, action, object_id);

	json_decref(e);
	return e != NULL;
}

/* 0: not in the caller's queue; 1: due; 2: overdue. */
static int work_item(struct world *w, struct api_client *c, int64_t id)
{
	struct api_resp r = api_call(w->env, c, "GET", "/api/work", NULL);
	int found = 0;

	for (size_t k = 0; r.status == 200 && k < api_len(r.json, "items"); k++)
		if (!strcmp(api_str(r.json, api_fmt("items.%zu.kind", k)), "registry_check") &&
		    api_int(r.json, api_fmt("items.%zu.link.id", k)) == id) {
			found = api_bool(r.json, api_fmt("items.%zu.overdue", k)) ? 2 : 1;
			CHECK_STR(api_str(r.json, api_fmt("items.%zu.link.route", k)), "registryItem");
		}
	api_resp_free(&r);
	return found;
}

TEST(create_errors_name_the_field_and_write_nothing)
{
	struct world w;
	struct {
		const char *body, *code, *field;
		int status;
	} bad[] = {
		{"{\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}", "required", "kind", 422},
		{"{\"kind\":\"castle\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}", NULL, "kind", 422},
		{"{\"kind\":\"plant\",\"unit_id\":%lld,\"responsible_id\":%lld}", "required", "name", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"responsible_id\":%lld}", "required", "unit_id", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld}", "required", "responsible_id", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"code\":\"A B\"}", "bad_code", "code", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"code\":\"ABCDEFGHIJKLMNOPQRSTU\"}", NULL, "code", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"interval_days\":0}", NULL, "interval_days", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"interval_days\":367}", NULL, "interval_days", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"deputy_id\":99999}", "not_found", "deputy_id", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"place_id\":99999}", "not_found", "place_id", 422},
		{"{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,\"colour\":1}", NULL, "colour", 422},
	};
	struct api_resp r;

	world_init(&w);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[1024];
		const char *b = bad[i].body;
		/* the ids in the order the body names them */
		bool no_unit = !strstr(b, "unit_id"), no_resp = !strstr(b, "responsible_id");

		if (no_unit)
			snprintf(body, sizeof(body), b, (long long)w.aux_id);
		else if (no_resp)
			snprintf(body, sizeof(body), b, (long long)w.env->g_a1);
		else
			snprintf(body, sizeof(body), b, (long long)w.env->g_a1, (long long)w.aux_id);
		r = api_call(w.env, &w.officer, "POST", "/api/registry", body);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			printf("# case %zu\n", i);
		api_resp_free(&r);
	}
	/* the responsible person: staff of the unit's station, not a resident */
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}",
		      (long long)w.env->g_a1, (long long)w.other_id);
	check_error(r, 422, "other_station", "responsible_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}",
		      (long long)w.env->g_a1, (long long)api_user_id(w.env, "resident"));
	check_error(r, 422, "not_staff", "responsible_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld,"
		      "\"deputy_id\":%lld}",
		      (long long)w.env->g_a1, (long long)w.aux_id, (long long)w.aux_id);
	check_error(r, 422, "same_person", "deputy_id");
	api_resp_free(&r);
	/* a unit out of the caller's scope; above every station */
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}",
		      (long long)w.env->g_b1, (long long)w.aux_id);
	CHECK(r.status == 422 || r.status == 404);
	CHECK_STR(api_str(r.json, "error.field"), "unit_id");
	api_resp_free(&r);
	/* the aux may not add an item */
	r = api_callf(w.env, &w.aux, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"x\",\"unit_id\":%lld,\"responsible_id\":%lld}",
		      (long long)w.env->g_a1, (long long)w.aux_id);
	check_status(r, 403);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM registry_items"), 0);
	api_env_free(w.env);
}

TEST(an_item_gets_a_code_of_its_station_and_is_audited)
{
	struct world w;
	struct api_resp r;
	int64_t id, id2;

	world_init(&w);
	id = new_item(&w, ",\"interval_days\":30,\"check_what\":\"压力表、铅封\"");
	CHECK(id > 0);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/registry/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "code"), "ZR0001");
	CHECK_STR(api_str(r.json, "kind"), "equipment");
	CHECK_STR(api_str(r.json, "responsible_name"), "aux");
	CHECK_INT(api_int(r.json, "unit_id"), w.env->g_a1);
	CHECK_STR(api_str(r.json, "status"), "overdue"); /* never checked */
	CHECK_INT(api_len(r.json, "checks"), 0);
	CHECK(api_bool(r.json, "may_check"));
	api_resp_free(&r);
	CHECK(audited(w.env, "registry.create", api_fmt("%lld", (long long)id)));
	/* a code of one's own; the same code again is refused */
	id2 = new_item(&w, ",\"code\":\"MHQ-02\"");
	CHECK(id2 > 0);
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"绿萝\",\"unit_id\":%lld,\"responsible_id\":%lld,"
		      "\"code\":\"MHQ-02\"}",
		      (long long)w.env->g_a2, (long long)w.aux_id);
	check_error(r, 409, "taken", "code");
	api_resp_free(&r);
	/* another station may use it */
	r = api_callf(w.env, &w.other, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"绿萝\",\"unit_id\":%lld,\"responsible_id\":%lld,"
		      "\"code\":\"MHQ-02\"}",
		      (long long)w.env->g_b1, (long long)w.other_id);
	check_status(r, 201);
	api_resp_free(&r);
	/* a change: the deputy, no schedule; the change is audited */
	r = api_callf(w.env, &w.officer, "PATCH", api_fmt("/api/registry/%lld", (long long)id),
		      "{\"deputy_id\":%lld,\"interval_days\":null,\"name\":\"大厅灭火器\"}",
		      (long long)w.officer_id);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "deputy_name"), "officer");
	CHECK_STR(api_str(r.json, "status"), "none");
	CHECK_STR(api_str(r.json, "name"), "大厅灭火器");
	CHECK_STR(api_str(r.json, "code"), "ZR0001");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/registry/%lld", (long long)id),
		     "{\"code\":\"MHQ-02\"}");
	check_error(r, 409, "taken", "code");
	api_resp_free(&r);
	CHECK(audited(w.env, "registry.update", api_fmt("%lld", (long long)id)));
	api_env_free(w.env);
}

TEST(another_station_sees_nothing_and_changes_nothing)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_item(&w, NULL);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/registry/%lld", (long long)id), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "PATCH", api_fmt("/api/registry/%lld", (long long)id),
		     "{\"name\":\"x\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/registry", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/registry/labels.pdf?ids=%lld", (long long)id),
		     NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM registry_checks"), 0);
	api_env_free(w.env);
}

TEST(only_the_responsible_person_records_a_check)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_item(&w, ",\"interval_days\":30");
	/* the mediator keeps something else: not this */
	r = api_call(w.env, &w.mediator, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\"}");
	check_error(r, 403, "not_responsible", NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.mediator, "GET", api_fmt("/api/registry/%lld", (long long)id), NULL);
	CHECK(!api_bool(r.json, "may_check"));
	api_resp_free(&r);
	/* bad checks name their field */
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"fine\"}");
	check_error(r, 422, NULL, "result");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"problem\"}");
	check_error(r, 422, "required", "note");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\",\"checked_on\":\"2099-01-01\"}");
	check_error(r, 422, "future", "checked_on");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\",\"checked_on\":\"2020-01-01\"}");
	check_error(r, 422, "too_old", "checked_on");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM registry_checks"), 0);
	/* the responsible aux: recorded, audited, shown as the last check */
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"problem\",\"note\":\"压力不足\"}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "result"), "problem");
	CHECK_STR(api_str(r.json, "checked_by_name"), "aux");
	api_resp_free(&r);
	CHECK(audited(w.env, "registry.check", api_fmt("%lld", (long long)id)));
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/registry/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "last_result"), "problem");
	CHECK_STR(api_str(r.json, "status"), "ok");
	CHECK_INT(api_len(r.json, "checks"), 1);
	CHECK_STR(api_str(r.json, "checks.0.note"), "压力不足");
	api_resp_free(&r);
	/* an officer (registry.write) may record one too */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\"}");
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(a_check_due_goes_to_the_responsible_persons_queue)
{
	struct world w;
	struct api_resp r;
	int64_t id, plain;

	world_init(&w);
	id = new_item(&w, ",\"interval_days\":30");
	plain = new_item(&w, NULL); /* no schedule: never in the queue */
	/* never checked: overdue at once, in the aux's queue and no one else's */
	CHECK_INT(work_item(&w, &w.aux, id), 2);
	CHECK_INT(work_item(&w, &w.officer, id), 0);
	CHECK_INT(work_item(&w, &w.aux, plain), 0);
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/registry/%lld/checks", (long long)id),
		     "{\"result\":\"ok\"}");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(work_item(&w, &w.aux, id), 0); /* next one in 30 days */
	/* two days ahead: due */
	api_exec(w.env, api_fmt("UPDATE registry_items SET next_due_at = %lld WHERE id = %lld",
				(long long)(fq_time_now_ms() + 2 * 24 * 3600 * 1000LL), (long long)id));
	CHECK_INT(work_item(&w, &w.aux, id), 1);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?status=due", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	/* past: overdue */
	api_exec(w.env, api_fmt("UPDATE registry_items SET next_due_at = 1000 WHERE id = %lld", (long long)id));
	CHECK_INT(work_item(&w, &w.aux, id), 2);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?status=overdue", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.status"), "overdue");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?status=attention", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?status=none", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), plain);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(search_and_the_list_answer_who_is_responsible)
{
	struct world w;
	struct api_resp r;
	int64_t id, plant;

	world_init(&w);
	id = new_item(&w, NULL);
	r = api_callf(w.env, &w.officer, "POST", "/api/registry",
		      "{\"kind\":\"plant\",\"name\":\"大厅绿萝\",\"unit_id\":%lld,"
		      "\"responsible_id\":%lld,\"code\":\"LV-1\"}",
		      (long long)w.env->g_a2, (long long)w.mediator_id);
	check_status(r, 201);
	plant = api_int(r.json, "id");
	api_resp_free(&r);
	/* 灭火器: the item, the person and the unit in the result line */
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=registry&q=%E7%81%AD%E7%81%AB%E5%99%A8", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.type"), "registry");
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	CHECK(api_str(r.json, "items.0.title") && strstr(api_str(r.json, "items.0.title"), "责任人 aux"));
	api_resp_free(&r);
	/* by code; not for another station */
	r = api_call(w.env, &w.aux, "GET", "/api/search?types=registry&q=LV-1", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), plant);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/search?types=registry&q=%E7%81%AD%E7%81%AB%E5%99%A8", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* the list's filters */
	r = api_call(w.env, &w.officer, "GET", "/api/registry?kind=plant", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), plant);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/registry?responsible_id=%lld", (long long)w.aux_id), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/registry?unit_id=%lld", (long long)w.env->g_a2), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?q=%E5%A4%A7%E5%8E%85", NULL); /* 大厅 */
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?per_page=1", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK(api_bool(r.json, "has_more"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry?kind=castle", NULL);
	check_error(r, 400, "bad_query", "kind");
	api_resp_free(&r);
	/* the export: words, not codes */
	r = api_call(w.env, &w.officer, "GET", "/api/registry/export?format=csv&kind=equipment", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "一楼大厅灭火器") && strstr(r.body, "装备"));
	CHECK(r.body && !strstr(r.body, "大厅绿萝"));
	api_resp_free(&r);
	CHECK(audited(w.env, "registry.export", NULL));
	api_env_free(w.env);
}

TEST(the_labels_are_a_pdf_with_the_texts_and_the_qr_code)
{
	struct world w;
	struct api_resp r;
	int64_t id, id2;
	char *text;

	world_init(&w);
	id = new_item(&w, NULL);
	id2 = new_item(&w, ",\"code\":\"PC-110\"");
	r = api_call(w.env, &w.aux, "GET",
		     api_fmt("/api/registry/labels.pdf?ids=%lld,%lld", (long long)id, (long long)id2),
		     NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	CHECK(r.body_len > 4 && !memcmp(r.body, "%PDF", 4));
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text != NULL);
	if (text) {
		CHECK(strstr(text, "责任标识牌") != NULL);
		CHECK(strstr(text, "一楼大厅灭火器") != NULL);
		CHECK(strstr(text, "编号：ZR0001") != NULL);
		CHECK(strstr(text, "编号：PC-110") != NULL);
		CHECK(strstr(text, "责任人：aux") != NULL);
		CHECK(strstr(text, "责任单位：") != NULL);
		free(text);
	}
	CHECK_INT(pdf_images(r.body, r.body_len), 0); /* QR codes are drawn, not pictures */
	api_resp_free(&r);
	CHECK(audited(w.env, "registry.labels_pdf", NULL));
	/* one label: its QR code opens the item's page */
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/registry/labels.pdf?ids=%lld", (long long)id2),
		     NULL);
	check_status(r, 200);
	CHECK(r.disposition && strstr(r.disposition, "PC-110"));
	text = pdf_qr(r.body, r.body_len);
	CHECK(text != NULL);
	if (text)
		CHECK_STR(text, api_fmt("/#/registry/%lld", (long long)id2));
	free(text);
	api_resp_free(&r);
	/* bad lists */
	r = api_call(w.env, &w.officer, "GET", "/api/registry/labels.pdf", NULL);
	check_error(r, 422, "required", "ids");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry/labels.pdf?ids=1,x", NULL);
	check_error(r, 422, "bad_id", "ids");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/registry/labels.pdf?ids=%lld,%lld", (long long)id, (long long)id), NULL);
	check_error(r, 422, "duplicate", "ids");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/registry/labels.pdf?ids=99999", NULL);
	check_status(r, 404);
	api_resp_free(&r);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(create_errors_name_the_field_and_write_nothing),
	TEST_ENTRY(an_item_gets_a_code_of_its_station_and_is_audited),
	TEST_ENTRY(another_station_sees_nothing_and_changes_nothing),
	TEST_ENTRY(only_the_responsible_person_records_a_check),
	TEST_ENTRY(a_check_due_goes_to_the_responsible_persons_queue),
	TEST_ENTRY(search_and_the_list_answer_who_is_responsible),
	TEST_ENTRY(the_labels_are_a_pdf_with_the_texts_and_the_qr_code),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/registry", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
