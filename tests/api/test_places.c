/* Places and inspections (docs/api.md "Places"): every validation error
 * naming its field with nothing written, data scope (another station's
 * officer sees nothing and changes nothing), the owner's phone masked and
 * its audited unmask, the station's checklists, inspections with their
 * rules (rectify without a deadline refused), the rectification in the
 * responsible officer's work queue (due, then overdue when its deadline is
 * moved into the past), the re-inspection that closes it, the inspection
 * schedule, the notice PDF read back with pdftotext, the export and search. */
#include <gd.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "api/pdftext.h"
#include "core/time.h"

struct world {
	struct api_env *env;
	struct api_client officer, aux, other, chief;
	int64_t addr, addr_b, officer_id, aux_id;
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->other, "officer.b", API_PASSWORD, NULL) == 200);
	w->officer_id = api_user_id(w->env, "officer");
	w->aux_id = api_user_id(w->env, "aux");
	w->addr = api_new_address(w->env, &w->officer, w->env->g_a1, "双龙大道", "8号");
	w->addr_b = api_new_address(w->env, &w->other, w->env->g_b1, "回兴路", "1号");
	CHECK(w->addr && w->addr_b);
}

/* A hazardous enterprise of the officer at the world's address. */
static int64_t new_place(struct world *w, const char *extra)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/places",
		"{\"kind\":\"hazardous_enterprise\",\"name\":\"双龙化工厂\",\"address_id\":%lld,"
		"\"owner_name\":\"陈建国\",\"owner_phone\":\"13883001234\",\"officer_id\":%lld%s}",
		(long long)w->addr, (long long)w->officer_id, extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# create: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* Sets the station's checklist of hazardous enterprises; *first gets the
 * first item's id, *second the second's. */
static void set_checklist(struct world *w, int64_t *first, int64_t *second)
{
	struct api_resp r = api_call(w->env, &w->officer, "PUT",
				     "/api/places/checklists/hazardous_enterprise",
				     "{\"items\":[\"危险品储存是否规范\",\"消防设施是否完好\"]}");

	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	*first = api_int(r.json, "items.0.id");
	*second = api_int(r.json, "items.1.id");
	api_resp_free(&r);
}

static const char *day_after(int days)
{
	static char out[4][11];
	static int slot;
	int64_t today = fq_time_local_day(fq_time_now_ms(), 480, NULL);

	slot = (slot + 1) % 4;
	fq_date_format(fq_date_add(today, days), out[slot], sizeof(out[slot]));
	return out[slot];
}

static struct api_resp inspect(struct world *w, struct api_client *c, int64_t place,
			       int64_t i1, int64_t i2, const char *tail)
{
	return api_callf(w->env, c, "POST", api_fmt("/api/places/%lld/inspections", (long long)place),
			 "{\"inspectors\":[%lld],\"answers\":[{\"item_id\":%lld,\"answer\":\"fail\","
			 "\"note\":\"混放\"},{\"item_id\":%lld,\"answer\":\"pass\"}]%s}",
			 (long long)c->user_id, (long long)i1, (long long)i2, tail);
}

/* The work items of kind for place in c's queue: 0 none, 1 due, 2 overdue. */
static int work_item(struct world *w, struct api_client *c, const char *kind, int64_t place)
{
	struct api_resp r = api_call(w->env, c, "GET", "/api/work", NULL);
	int found = 0;

	for (size_t k = 0; r.status == 200 && k < api_len(r.json, "items"); k++)
		if (!strcmp(api_str(r.json, api_fmt("items.%zu.kind", k)), kind) &&
		    api_int(r.json, api_fmt("items.%zu.link.id", k)) == place) {
			found = api_bool(r.json, api_fmt("items.%zu.overdue", k)) ? 2 : 1;
			CHECK_STR(api_str(r.json, api_fmt("items.%zu.link.route", k)), "place");
		}
	api_resp_free(&r);
	return found;
}

TEST(create_errors_name_the_field_and_write_nothing)
{
	struct world w;
	const char *long_name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				"一二三四五六七八九十一二三四五六七八九十一";
	struct {
		const char *body, *code, *field;
	} bad[] = {
		{"{\"name\":\"x\",\"address_id\":%lld}", "required", "kind"},
		{"{\"kind\":\"castle\",\"name\":\"x\",\"address_id\":%lld}", NULL, "kind"},
		{"{\"kind\":\"shop\",\"address_id\":%lld}", "required", "name"},
		{"{\"kind\":\"shop\",\"name\":\"%s\",\"address_id\":1}", NULL, "name"},
		{"{\"kind\":\"shop\",\"name\":\"x\"}", "required", "address_id"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"owner_phone\":\"12345\"}", NULL, "owner_phone"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"interval_days\":0}", NULL, "interval_days"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"licences\":[{\"number\":\"1\"}]}", "required", "licences[0].name"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"licences\":[{\"name\":\"营业执照\",\"valid_until\":\"2026-13-01\"}]}", NULL, "licences[0].valid_until"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"officer_id\":99999}", "not_found", "officer_id"},
		{"{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,\"colour\":1}", NULL, "colour"},
	};

	world_init(&w);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[1024];
		struct api_resp r;

		if (strstr(bad[i].body, "%s"))
			snprintf(body, sizeof(body), bad[i].body, long_name);
		else
			snprintf(body, sizeof(body), bad[i].body, (long long)w.addr);
		r = api_call(w.env, &w.officer, "POST", "/api/places", body);
		if (!check_error(r, 422, bad[i].code, bad[i].field))
			printf("# case %zu\n", i);
		api_resp_free(&r);
	}
	{ /* the aux is not an officer: he cannot be responsible */
		struct api_resp r = api_callf(w.env, &w.officer, "POST", "/api/places",
					      "{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld,"
					      "\"officer_id\":%lld}",
					      (long long)w.addr, (long long)w.aux_id);
		check_error(r, 422, "not_staff", "officer_id");
		api_resp_free(&r);
		/* nor may he add a place */
		r = api_callf(w.env, &w.aux, "POST", "/api/places",
			      "{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld}", (long long)w.addr);
		check_status(r, 403);
		api_resp_free(&r);
	}
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM places"), 0);
	api_env_free(w.env);
}

TEST(a_place_follows_its_address_and_keeps_the_phone_masked)
{
	struct world w;
	struct api_resp r;
	int64_t id;
	json_t *e;

	world_init(&w);
	id = new_place(&w, ",\"licences\":[{\"name\":\"危险化学品经营许可证\",\"number\":\"渝WH001\","
			   "\"valid_until\":\"2027-06-30\"}]");
	CHECK(id > 0);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "grid_id"), w.env->g_a1);
	CHECK_STR(api_str(r.json, "owner_phone"), "138****1234");
	CHECK(!strstr(r.body, "13883001234"));
	CHECK_INT(api_int(r.json, "interval_days"), 30); /* hazardous: monthly */
	CHECK_STR(api_str(r.json, "status"), "ok");
	CHECK(api_str(r.json, "next_due_at") != NULL);
	CHECK_STR(api_str(r.json, "licences.0.valid_until"), "2027-06-30");
	api_resp_free(&r);
	/* the aux reads it masked but may not unmask */
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/places/%lld/unmask", (long long)id), "{}");
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/unmask", (long long)id), "{}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "owner_phone"), "13883001234");
	api_resp_free(&r);
	e = api_audit_last(w.env, "place.unmask", NULL);
	CHECK_STR(api_str(e, "object_type"), "place");
	CHECK_STR(api_str(e, "object_id"), api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(e, "outcome"), "success");
	json_decref(e);
	/* a change keeps the phone; null clears the interval */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/places/%lld", (long long)id),
		     "{\"name\":\"双龙化工有限公司\",\"interval_days\":null}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "name"), "双龙化工有限公司");
	CHECK_STR(api_str(r.json, "owner_phone"), "138****1234");
	CHECK(api_get(r.json, "interval_days") == NULL || json_is_null(api_get(r.json, "interval_days")));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/unmask", (long long)id), "{}");
	CHECK_STR(api_str(r.json, "owner_phone"), "13883001234");
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(another_station_sees_nothing_and_changes_nothing)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_place(&w, NULL);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/places/%lld", (long long)id), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "PATCH", api_fmt("/api/places/%lld", (long long)id),
		     "{\"name\":\"改名\"}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "POST", api_fmt("/api/places/%lld/unmask", (long long)id), "{}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/places", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* nor can he put a place at an address of ours */
	r = api_callf(w.env, &w.other, "POST", "/api/places",
		      "{\"kind\":\"shop\",\"name\":\"x\",\"address_id\":%lld}", (long long)w.addr);
	check_error(r, 422, NULL, "address_id");
	api_resp_free(&r);
	/* nor be named responsible for ours */
	r = api_callf(w.env, &w.officer, "PATCH", api_fmt("/api/places/%lld", (long long)id),
		      "{\"officer_id\":%lld}", (long long)api_user_id(w.env, "officer.b"));
	check_error(r, 422, "other_station", "officer_id");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM places WHERE name = '双龙化工厂'"), 1);
	api_env_free(w.env);
}

TEST(checklists_are_the_stations)
{
	struct world w;
	struct api_resp r;
	int64_t i1, i2;

	world_init(&w);
	r = api_call(w.env, &w.aux, "GET", "/api/places/checklists", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	CHECK(api_len(r.json, "suggested.hazardous_enterprise") >= 5);
	CHECK_STR(api_str(r.json, "suggested.hazardous_enterprise.0"), "危险品储存是否规范");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "PUT", "/api/places/checklists/hazardous_enterprise",
		     "{\"items\":[\"x\"]}");
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PUT", "/api/places/checklists/castle", "{\"items\":[\"x\"]}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PUT", "/api/places/checklists/hazardous_enterprise",
		     "{\"items\":[\"消防设施是否完好\",\"消防设施是否完好\"]}");
	check_error(r, 422, "duplicate", "items[1]");
	api_resp_free(&r);
	/* who may inspect: the station's chief, officers and aux, not another's */
	r = api_call(w.env, &w.aux, "GET", "/api/places/staff", NULL);
	check_status(r, 200);
	{
		bool officer = false, aux = false, other = false;

		for (size_t k = 0; k < api_len(r.json, "items"); k++) {
			int64_t u = api_int(r.json, api_fmt("items.%zu.id", k));

			officer = officer || u == w.officer_id;
			aux = aux || u == w.aux_id;
			other = other || u == api_user_id(w.env, "officer.b") ||
				u == api_user_id(w.env, "mediator");
		}
		CHECK(officer && aux && !other);
	}
	api_resp_free(&r);
	set_checklist(&w, &i1, &i2);
	/* replacing keeps the old items, inactive */
	set_checklist(&w, &i1, &i2);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM place_checklist_items"), 4);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM place_checklist_items WHERE active = 1"), 2);
	r = api_call(w.env, &w.other, "GET", "/api/places/checklists?kind=hazardous_enterprise", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0); /* another station's are its own */
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(inspection_errors_name_the_field)
{
	struct world w;
	struct api_resp r;
	int64_t id, i1, i2;

	world_init(&w);
	id = new_place(&w, NULL);
	set_checklist(&w, &i1, &i2);
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"rectify\",\"hazards\":[{\"description\":\"混放\",\"level\":\"major\"}]");
	check_error(r, 422, "required", "rectify_due_on");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2,
		    api_fmt(",\"result\":\"rectify\",\"rectify_due_on\":\"%s\",\"hazards\":[{\"description\":\"混放\",\"level\":\"major\"}]",
			    day_after(0)));
	check_error(r, 422, "not_future", "rectify_due_on");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2,
		    api_fmt(",\"result\":\"rectify\",\"rectify_due_on\":\"%s\"", day_after(7)));
	check_error(r, 422, "required", "hazards");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2,
		    api_fmt(",\"result\":\"passed\",\"rectify_due_on\":\"%s\"", day_after(7)));
	check_error(r, 422, "not_rectify", "rectify_due_on");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"passed\",\"rectification\":\"done\"");
	check_error(r, 422, "none_pending", "rectification");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"maybe\"");
	check_error(r, 422, NULL, "result");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2,
		    ",\"result\":\"passed\",\"hazards\":[{\"description\":\"x\",\"level\":\"huge\"}]");
	check_error(r, 422, NULL, "hazards[0].level");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2,
		    api_fmt(",\"result\":\"passed\",\"inspected_on\":\"%s\"", day_after(1)));
	check_error(r, 422, "future", "inspected_on");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld],\"answers\":[{\"item_id\":%lld,\"answer\":\"pass\"}],"
		      "\"result\":\"passed\"}",
		      (long long)w.officer_id, (long long)i1);
	check_error(r, 422, "incomplete", "answers");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld],\"answers\":[{\"item_id\":%lld,\"answer\":\"pass\"},"
		      "{\"item_id\":99999,\"answer\":\"pass\"}],\"result\":\"passed\"}",
		      (long long)w.officer_id, (long long)i1);
	check_error(r, 422, "not_in_checklist", "answers[1].item_id");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[],\"result\":\"passed\"}");
	check_error(r, 422, "required", "inspectors");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld],\"answers\":[{\"item_id\":%lld,\"answer\":\"pass\"},"
		      "{\"item_id\":%lld,\"answer\":\"pass\"}],\"result\":\"passed\"}",
		      (long long)w.aux_id, (long long)i1, (long long)i2);
	check_error(r, 422, "not_inspector", "inspectors");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld,%lld],\"result\":\"passed\"}", (long long)w.officer_id,
		      (long long)api_user_id(w.env, "officer.b"));
	check_error(r, 422, "other_station", "inspectors[1]");
	api_resp_free(&r);
	r = inspect(&w, &w.other, id, i1, i2, ",\"result\":\"passed\"");
	check_status(r, 404);
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM place_inspections"), 0);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM place_inspectors"), 0);
	api_env_free(w.env);
}

TEST(a_rectification_goes_to_the_officers_queue_and_the_reinspection_closes_it)
{
	struct world w;
	struct api_resp r;
	int64_t id, i1, i2, insp, count;
	char *text;

	world_init(&w);
	id = new_place(&w, NULL);
	set_checklist(&w, &i1, &i2);
	/* the aux inspects with the officer; the rectification is the officer's */
	r = api_callf(w.env, &w.aux, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld,%lld],\"answers\":[{\"item_id\":%lld,\"answer\":\"fail\","
		      "\"note\":\"氧化剂与易燃物混放\"},{\"item_id\":%lld,\"answer\":\"pass\"}],"
		      "\"findings\":\"仓库管理混乱\",\"hazards\":[{\"description\":\"危险化学品混放\","
		      "\"level\":\"major\"}],\"result\":\"rectify\",\"rectify_due_on\":\"%s\"}",
		      (long long)w.aux_id, (long long)w.officer_id, (long long)i1, (long long)i2,
		      day_after(7));
	check_status(r, 201);
	insp = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "answers.0.text"), "危险品储存是否规范");
	CHECK_STR(api_str(r.json, "answers.0.answer"), "fail");
	CHECK_STR(api_str(r.json, "rectify_due_on"), day_after(7));
	CHECK_INT(api_len(r.json, "inspectors"), 2);
	CHECK(api_str(r.json, "notice_number") && strstr(api_str(r.json, "notice_number"), "整改"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "status"), "rectify_pending");
	CHECK_STR(api_str(r.json, "rectify_due_on"), day_after(7));
	CHECK_INT(api_len(r.json, "inspections"), 1);
	api_resp_free(&r);
	CHECK_INT(work_item(&w, &w.officer, "place_rectification", id), 1);
	CHECK_INT(work_item(&w, &w.aux, "place_rectification", id), 0); /* not his place */
	/* the deadline passes: the officer is told once by the sweep, and the
	 * notification opens the place */
	{
		int64_t due = api_count(w.env, api_fmt("SELECT rectify_due_at FROM places WHERE id = %lld",
						       (long long)id));
		const char *q = api_fmt("SELECT COUNT(*) FROM notifications WHERE kind = 'rectify_overdue'"
					" AND object_id = %lld", (long long)id);

		CHECK(api_sweep(w.env, due - 60000) >= 0);
		CHECK_INT(api_count(w.env, q), 0);
		CHECK(api_sweep(w.env, due + 60000) >= 1);
		CHECK(api_sweep(w.env, due + 120000) >= 0);
		CHECK_INT(api_count(w.env, q), 1);
		r = api_call(w.env, &w.officer, "GET", "/api/notifications", NULL);
		check_status(r, 200);
		CHECK_STR(api_str(r.json, "items.0.kind"), "rectify_overdue");
		CHECK_STR(api_str(r.json, "items.0.link.route"), "place");
		CHECK_INT(api_int(r.json, "items.0.link.id"), id);
		CHECK_STR(api_str(r.json, "items.0.params.due_on"), day_after(7));
		api_resp_free(&r);
	}
	/* overdue in the queue, and in the list's filter */
	api_exec(w.env, api_fmt("UPDATE places SET rectify_due_at = 1000 WHERE id = %lld", (long long)id));
	CHECK_INT(work_item(&w, &w.officer, "place_rectification", id), 2);
	r = api_call(w.env, &w.officer, "GET", "/api/places?status=rectify_overdue", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/places?status=ok", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* the notice: a real PDF naming the place, the hazard and the deadline */
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/places/%lld/inspections/%lld/notice.pdf", (long long)id, (long long)insp),
		     NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	CHECK(r.body_len > 4 && !memcmp(r.body, "%PDF", 4));
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text != NULL);
	if (text) {
		int y, m, d;
		char due[32];

		sscanf(day_after(7), "%d-%d-%d", &y, &m, &d);
		snprintf(due, sizeof(due), "%d年%d月%d日", y, m, d);
		CHECK(strstr(text, "责令限期整改通知书") != NULL);
		CHECK(strstr(text, "双龙化工厂") != NULL);
		CHECK(strstr(text, "危险化学品混放") != NULL);
		CHECK(strstr(text, due) != NULL);
		CHECK(strstr(text, "两路派出所") != NULL);
		CHECK(strstr(text, "民警签名") != NULL);
		free(text);
	}
	/* places to sign on paper, no pictures, no QR code */
	CHECK_INT(pdf_images(r.body, r.body_len), 0);
	text = pdf_qr(r.body, r.body_len);
	CHECK(!text || !*text);
	free(text);
	api_resp_free(&r);
	count = api_count(w.env, "SELECT COUNT(*) FROM audit_log WHERE action = 'place.notice_pdf'");
	CHECK(count >= 1 || api_audit_last(w.env, "place.notice_pdf", NULL) != NULL);
	/* the re-inspection must say whether it was done */
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"passed\"");
	check_error(r, 422, "required", "rectification");
	api_resp_free(&r);
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"passed\",\"rectification\":\"not_done\"");
	check_error(r, 422, "not_done", "result");
	api_resp_free(&r);
	/* not done: a new deadline */
	r = inspect(&w, &w.officer, id, i1, i2,
		    api_fmt(",\"rectification\":\"not_done\",\"result\":\"rectify\",\"rectify_due_on\":\"%s\","
			    "\"hazards\":[{\"description\":\"仍未分类存放\",\"level\":\"major\"}]",
			    day_after(3)));
	check_status(r, 201);
	CHECK_INT(api_int(r.json, "follows_id"), insp);
	api_resp_free(&r);
	CHECK_INT(work_item(&w, &w.officer, "place_rectification", id), 1);
	/* done: closed, out of the queue */
	r = inspect(&w, &w.officer, id, i1, i2, ",\"result\":\"passed\",\"rectification\":\"done\"");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "rectification"), "done");
	api_resp_free(&r);
	CHECK_INT(work_item(&w, &w.officer, "place_rectification", id), 0);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places/%lld", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "status"), "ok");
	CHECK_INT(api_len(r.json, "inspections"), 3);
	api_resp_free(&r);
	/* a passed inspection has no notice */
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/places/%lld/inspections/%lld/notice.pdf", (long long)id,
			     (long long)api_count(w.env, "SELECT MAX(id) FROM place_inspections")),
		     NULL);
	check_error(r, 404, "no_notice", NULL);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(the_schedule_puts_a_due_inspection_in_the_queue)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_place(&w, NULL);
	CHECK_INT(work_item(&w, &w.officer, "place_inspection", id), 0); /* due in 30 days */
	/* five days ahead: due */
	api_exec(w.env, api_fmt("UPDATE places SET next_due_at = %lld WHERE id = %lld",
				(long long)(fq_time_now_ms() + 5 * 24 * 3600 * 1000LL), (long long)id));
	CHECK_INT(work_item(&w, &w.officer, "place_inspection", id), 1);
	r = api_call(w.env, &w.officer, "GET", "/api/places?status=due", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	/* past: overdue */
	api_exec(w.env, api_fmt("UPDATE places SET next_due_at = 1000 WHERE id = %lld", (long long)id));
	CHECK_INT(work_item(&w, &w.officer, "place_inspection", id), 2);
	r = api_call(w.env, &w.officer, "GET", "/api/places?status=overdue", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.status"), "overdue");
	api_resp_free(&r);
	/* an inspection (no checklist set: no answers) starts the next month */
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld],\"result\":\"passed\"}", (long long)w.officer_id);
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(work_item(&w, &w.officer, "place_inspection", id), 0);
	api_env_free(w.env);
}

TEST(list_filters_export_and_search)
{
	struct world w;
	struct api_resp r;
	int64_t id, shop;

	world_init(&w);
	id = new_place(&w, NULL);
	r = api_callf(w.env, &w.officer, "POST", "/api/places",
		      "{\"kind\":\"internet_cafe\",\"name\":\"星空网咖\",\"address_id\":%lld,"
		      "\"owner_name\":\"王磊\"}",
		      (long long)w.addr);
	check_status(r, 201);
	shop = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "status"), "ok");
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "GET", "/api/places?kind=internet_cafe", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), shop);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places?officer_id=%lld", (long long)w.officer_id), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/places?q=%E7%8E%8B%E7%A3%8A", NULL); /* 王磊 */
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places?org_id=%lld", (long long)w.env->g_a2), NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/places?org_id=%lld", (long long)w.env->g_a1), NULL);
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/places?status=soon", NULL);
	check_error(r, 400, "bad_query", "status");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/places/export?format=csv&kind=hazardous_enterprise", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "双龙化工厂") && strstr(r.body, "危险品企业"));
	CHECK(r.body && strstr(r.body, "138****1234") && !strstr(r.body, "13883001234"));
	CHECK(r.body && !strstr(r.body, "星空网咖"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/places/export?format=csv&unmask=true", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "13883001234"));
	api_resp_free(&r);
	/* search: by name, by owner, by address; not for another station */
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=place&q=%E5%8C%96%E5%B7%A5", NULL); /* 化工 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.type"), "place");
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=place&q=%E7%8E%8B%E7%A3%8A", NULL); /* 王磊 */
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), shop);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/search?types=place&q=%E5%8C%96%E5%B7%A5", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* a change of name is found by the new one */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/places/%lld", (long long)shop),
		     "{\"name\":\"蓝天网吧\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=place&q=%E8%93%9D%E5%A4%A9", NULL); /* 蓝天 */
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	api_env_free(w.env);
}

/* The map's places layer: every place in scope, or those in the map's box;
 * a box is all four sides or none. */
TEST(the_places_layer_takes_a_box)
{
	struct world w;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	id = new_place(&w, NULL);
	CHECK(api_exec(w.env, api_fmt("UPDATE addresses SET lat = 29.72, lng = 106.63 WHERE id = %lld",
				      (long long)w.addr)));
	r = api_call(w.env, &w.officer, "GET", "/api/grids/points?layer=places", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     "/api/grids/points?layer=places&south=29.7&west=106.6&north=29.8&east=106.7", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK(api_str(r.json, "items.0.status") != NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     "/api/grids/points?layer=places&south=29.5&west=106.4&north=29.6&east=106.5", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/grids/points?layer=places&south=29.7&north=29.8",
		     NULL);
	check_error(r, 422, NULL, "west");
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET",
		     "/api/grids/points?layer=places&south=29.7&west=106.6&north=29.8&east=106.7", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0); /* another station's officer */
	api_resp_free(&r);
	api_env_free(w.env);
}

/* A card of the places on the overview, or NULL. */
static json_t *places_card(json_t *o, const char *key)
{
	json_t *c;
	size_t k;

	json_array_foreach(json_object_get(o, "cards"), k, c)
		if (!strcmp(json_string_value(json_object_get(c, "module")), "places") &&
		    !strcmp(json_string_value(json_object_get(c, "key")), key))
			return c;
	return NULL;
}

TEST(overview_cards_count_the_places_their_links_list)
{
	static const char *const keys[] = {"inspection_overdue", "rectify_overdue"};
	struct world w;
	struct api_resp r;
	int64_t a, b, c;

	world_init(&w);
	CHECK(api_login_enrolled(w.env, &w.chief, "chief"));
	a = new_place(&w, NULL);
	b = new_place(&w, NULL);
	c = new_place(&w, NULL);
	CHECK(a && b && c);
	api_exec(w.env, api_fmt("UPDATE places SET next_due_at = 1000 WHERE id IN (%lld, %lld)",
				(long long)a, (long long)b));
	/* b's rectification is overdue too: it counts there, not twice */
	api_exec(w.env, api_fmt("UPDATE places SET rectify_due_at = 1000 WHERE id IN (%lld, %lld)",
				(long long)b, (long long)c));
	r = api_call(w.env, &w.chief, "GET", "/api/overview?period=today", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(places_card(r.json, "inspection_overdue"), "value"), 1);
	CHECK_INT(api_int(places_card(r.json, "rectify_overdue"), "value"), 2);
	for (int k = 0; k < 2; k++) {
		json_t *f = api_get(places_card(r.json, keys[k]), "link.filter"), *v;
		const char *name;
		char q[256] = "/api/places?per_page=100";
		size_t n = strlen(q);
		struct api_resp l;

		json_object_foreach(f, name, v) {
			if (json_is_string(v))
				n += (size_t)snprintf(q + n, sizeof(q) - n, "&%s=%s", name, json_string_value(v));
			else
				n += (size_t)snprintf(q + n, sizeof(q) - n, "&%s=%lld", name,
						      (long long)json_integer_value(v));
		}
		l = api_call(w.env, &w.chief, "GET", q, NULL);
		check_status(l, 200);
		CHECK_INT((int64_t)api_len(l.json, "items"),
			  api_int(places_card(r.json, keys[k]), "value"));
		api_resp_free(&l);
	}
	api_resp_free(&r);
	api_env_free(w.env);
}

/* A photo of an inspection by its inspector; none of the place by another
 * station's officer. */
static struct api_resp upload(struct world *w, struct api_client *c, const char *type, int64_t id,
			      const void *data, size_t len)
{
	struct api_raw raw = {
		.method = "POST",
		.target = api_fmt("/api/attachments?record_type=%s&record_id=%lld&name=photo", type,
				  (long long)id),
		.body = data,
		.body_len = len,
		.content_type = "application/octet-stream",
	};

	return api_call_raw(w->env, c, &raw);
}

TEST(photos_are_attachments_of_the_place_and_the_inspection)
{
	struct world w;
	struct api_resp r;
	gdImagePtr im = gdImageCreateTrueColor(40, 30);
	int len = 0;
	void *png = im ? gdImagePngPtr(im, &len) : NULL;
	int64_t id, insp;

	world_init(&w);
	CHECK(png != NULL);
	id = new_place(&w, NULL);
	r = api_callf(w.env, &w.aux, "POST", api_fmt("/api/places/%lld/inspections", (long long)id),
		      "{\"inspectors\":[%lld],\"result\":\"passed\"}", (long long)w.aux_id);
	check_status(r, 201);
	insp = api_int(r.json, "id");
	api_resp_free(&r);
	r = upload(&w, &w.aux, "inspection", insp, png, (size_t)len);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "content_type"), "image/png");
	api_resp_free(&r);
	r = upload(&w, &w.officer, "place", id, png, (size_t)len);
	check_status(r, 201);
	api_resp_free(&r);
	r = upload(&w, &w.other, "place", id, png, (size_t)len);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/attachments?record_type=inspection&record_id=%lld", (long long)insp), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	gdFree(png);
	gdImageDestroy(im);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(create_errors_name_the_field_and_write_nothing),
	TEST_ENTRY(a_place_follows_its_address_and_keeps_the_phone_masked),
	TEST_ENTRY(another_station_sees_nothing_and_changes_nothing),
	TEST_ENTRY(checklists_are_the_stations),
	TEST_ENTRY(inspection_errors_name_the_field),
	TEST_ENTRY(a_rectification_goes_to_the_officers_queue_and_the_reinspection_closes_it),
	TEST_ENTRY(the_schedule_puts_a_due_inspection_in_the_queue),
	TEST_ENTRY(list_filters_export_and_search),
	TEST_ENTRY(the_places_layer_takes_a_box),
	TEST_ENTRY(overview_cards_count_the_places_their_links_list),
	TEST_ENTRY(photos_are_attachments_of_the_place_and_the_inspection),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/places", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
