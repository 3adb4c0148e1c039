/* The escalation watch (民转刑) and the disputes' figures (docs/api.md
 * "Escalation watch and figures"): the score and its reasons for constructed
 * cases (repeat incidents of the parties and the address, threat words with
 * a phrase that is not one, a red level, an earlier failed dispute), the
 * chiefs told once per crossing, the watch list's scope and permission, and
 * the figures by type, tier, mediator and grid against counts made from the
 * raw rows, an empty period, bad queries. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/dispute_watch.h"
#include "http/app.h"
#include "store/store.h"

struct world {
	struct api_env *env;
	struct api_client officer, chief;
	int64_t p1, p2, p3;
	long long now;
};

static void world_init(struct world *w)
{
	char id2[19], id3[19];

	w->env = api_env_new();
	w->now = (long long)time(NULL) * 1000;
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login_enrolled(w->env, &w->chief, "chief"));
	api_id_number("110105", "19800101", "123", id2);
	api_id_number("110105", "19900202", "234", id3);
	w->p1 = api_new_person(w->env, &w->officer, "张三", API_ID_NUMBER, NULL);
	w->p2 = api_new_person(w->env, &w->officer, "李四", id2, NULL);
	w->p3 = api_new_person(w->env, &w->officer, "王五", id3, NULL);
	CHECK(w->p1 && w->p2 && w->p3);
}

/* A walk-in of type between a and b, with extra JSON. */
static int64_t new_dispute(struct world *w, int64_t a, int64_t b, const char *type,
			   const char *extra)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/disputes",
		"{\"source\":\"walk_in\",\"type\":\"%s\",\"facts\":\"邻里纠纷\","
		"\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		"{\"person_id\":%lld,\"role\":\"respondent\",\"consent\":\"given\"}]%s}",
		type, (long long)a, (long long)b, extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# register: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* An incident of the station received days_ago with narrative and one party. */
static void new_incident(struct world *w, const char *number, int days_ago, const char *narrative,
			 int64_t person, int is_case)
{
	long long at = w->now - (long long)days_ago * 86400000LL;

	CHECK(api_exec(w->env, api_fmt("INSERT INTO incidents (number, station_id, org_id, org_path,"
				       " received_at, day, hour, channel, area_type, category,"
				       " is_case, narrative, status, created_at, updated_at) SELECT"
				       " '%s', id, id, path, %lld, 20260101, 10, 'phone', 'urban',"
				       " 'dispute', %d, '%s', 'closed', %lld, %lld FROM org_units"
				       " WHERE id = %lld",
				       number, at, is_case, narrative, at, at,
				       (long long)w->env->st_a)));
	CHECK(api_exec(w->env, api_fmt("INSERT INTO incident_parties (incident_id, person_id, role)"
				       " SELECT id, %lld, 'party' FROM incidents WHERE number = '%s'",
				       (long long)person, number)));
}

static struct api_resp post(struct world *w, int64_t id, const char *what, const char *body)
{
	return api_call(w->env, &w->officer, "POST",
			api_fmt("/api/disputes/%lld/%s", (long long)id, what), body);
}

static void risk(struct world *w, int64_t id, const char *level)
{
	struct api_resp r = post(w, id, "risk",
				 api_fmt("{\"level\":\"%s\",\"reason\":\"评估\"}", level));

	check_status(r, 200);
	api_resp_free(&r);
}

/* The watch list's item of dispute id (min_score 0), to json_decref; NULL: absent. */
static json_t *watch_item(struct world *w, struct api_client *c, int64_t id)
{
	struct api_resp r = api_call(w->env, c, "GET", "/api/disputes/watch?min_score=0", NULL);
	json_t *item = NULL, *it;
	size_t i;

	check_status(r, 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (api_int(it, "id") == id)
			item = json_incref(it);
	api_resp_free(&r);
	return item;
}

static json_t *reason_of(json_t *item, const char *what)
{
	json_t *it;
	size_t i;

	json_array_foreach(json_object_get(item, "reasons"), i, it)
		if (!strcmp(api_str(it, "what"), what))
			return it;
	return NULL;
}

static int64_t told(struct world *w, int64_t id)
{
	return api_count(w->env, api_fmt("SELECT COUNT(*) FROM notifications WHERE kind ="
					 " 'escalation_risk' AND object_id = %lld",
					 (long long)id));
}

TEST(score_lists_its_reasons)
{
	struct world w;
	json_t *item, *r;
	int64_t id, old;
	struct api_resp resp;
	char since[40] = "";

	world_init(&w);
	/* An earlier dispute of p1 that ended failed stands for a breach. */
	old = new_dispute(&w, w.p1, w.p3, "contract", NULL);
	resp = post(&w, old, "conclude", "{\"outcome\":\"failed\",\"reason\":\"未达成\"}");
	check_status(resp, 200);
	api_resp_free(&resp);
	/* Two incidents of p1 and p2 in the window, one long before it; the
	 * words: 砍 and 报复 are threats, 刀削面 is a noodle, not 刀. */
	new_incident(&w, "T-1", 3, "对方扬言要砍人", w.p1, 0);
	new_incident(&w, "T-2", 10, "李四说一定报复，当时在吃刀削面", w.p2, 0);
	new_incident(&w, "T-3", 90, "早先也说过放火", w.p1, 0);
	id = new_dispute(&w, w.p1, w.p2, "neighbours", NULL);
	CHECK(id && old);
	item = watch_item(&w, &w.officer, id);
	CHECK(item != NULL);
	CHECK_INT(api_int(item, "score"), 2 * 10 + 2 * 15 + 20);
	r = reason_of(item, "repeat_incidents");
	CHECK(r && api_int(r, "count") == 2 && api_int(r, "weight") == 10 &&
	      api_int(r, "points") == 20 && api_int(r, "days") == 30);
	r = reason_of(item, "threat_words");
	CHECK(r && api_int(r, "count") == 2 && api_len(r, "words") == 2);
	CHECK_STR(api_str(r, "words.0"), "砍");
	CHECK_STR(api_str(r, "words.1"), "报复");
	r = reason_of(item, "failed_before");
	CHECK(r && api_int(r, "count") == 1 && api_int(r, "points") == 20);
	CHECK(reason_of(item, "risk_level") == NULL);
	/* 70: above the threshold (50) from registration on. */
	CHECK(api_str(item, "above_threshold_since") != NULL);
	snprintf(since, sizeof(since), "%s", api_str(item, "above_threshold_since") ? api_str(item, "above_threshold_since") : "");
	json_decref(item);
	/* Red adds its weight; the crossing stays the same. */
	risk(&w, id, "red");
	item = watch_item(&w, &w.officer, id);
	CHECK_INT(api_int(item, "score"), 20 + 30 + 20 + 40);
	r = reason_of(item, "risk_level");
	CHECK(r && api_int(r, "points") == 40);
	CHECK_STR(api_str(r, "level"), "red");
	CHECK_STR(api_str(item, "above_threshold_since"), since);
	json_decref(item);
	/* The concluded one is not on the list. */
	resp = api_call(w.env, &w.chief, "GET", "/api/disputes/watch", NULL);
	check_status(resp, 200);
	CHECK_INT(api_int(resp.json, "threshold"), 50);
	CHECK_INT((int64_t)api_len(resp.json, "items"), 1);
	CHECK_INT(api_int(resp.json, "items.0.id"), id);
	api_resp_free(&resp);
	api_env_free(w.env);
}

TEST(chiefs_told_once_per_crossing)
{
	struct world w;
	struct api_client admin;
	int64_t id;
	struct api_resp r;

	world_init(&w);
	/* The station's outside channel hears of each crossing too. */
	CHECK(api_login_enrolled(w.env, &admin, "sysadmin"));
	r = api_callf(w.env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"指挥中心\","
		      "\"url\":\"https://hooks.example.com/fq\",\"secret\":\"0123456789abcdef0123\",\"events\":[\"dispute.escalation_risk\"]}",
		      (long long)w.env->st_a);
	check_status(r, 201);
	api_resp_free(&r);
	new_incident(&w, "T-1", 1, "扬言要砍死他", w.p1, 0);
	new_incident(&w, "T-2", 2, "又吵起来", w.p2, 0);
	id = new_dispute(&w, w.p1, w.p2, "neighbours", NULL); /* 20 + 15 = 35 */
	CHECK_INT(told(&w, id), 0);
	risk(&w, id, "red"); /* 75: crosses */
	CHECK_INT(told(&w, id), 1);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM outbox WHERE event_kind ="
				   " 'dispute.escalation_risk'"),
		  1);
	CHECK(api_count(w.env, "SELECT COUNT(*) FROM outbox WHERE text LIKE '%75%'") == 1);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM notifications WHERE kind ="
					   " 'escalation_risk' AND user_id = %lld",
					   (long long)api_user_id(w.env, "chief"))),
		  1);
	risk(&w, id, "orange"); /* 60: still above, nothing new */
	r = post(&w, id, "sessions",
		 "{\"starts_at\":\"2030-01-01T02:00:00Z\",\"place\":\"调解室\"}");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(told(&w, id), 1);
	risk(&w, id, "blue"); /* 35: below */
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM dispute_watch WHERE dispute_id ="
					   " %lld AND above_threshold_since IS NULL",
					   (long long)id)),
		  1);
	risk(&w, id, "red"); /* crosses again: told again */
	CHECK_INT(told(&w, id), 2);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM outbox WHERE event_kind ="
				   " 'dispute.escalation_risk'"),
		  2);
	/* The chief's notification opens the dispute. */
	r = api_call(w.env, &w.chief, "GET", "/api/notifications", NULL);
	if (r.status == 200) {
		CHECK_STR(api_str(r.json, "items.0.kind"), "escalation_risk");
		CHECK_STR(api_str(r.json, "items.0.link.route"), "dispute");
	}
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(watch_list_scope_and_permission)
{
	struct world w;
	struct api_client other, mediator;
	struct api_resp r;
	int64_t id;

	world_init(&w);
	new_incident(&w, "T-1", 1, "要同归于尽", w.p1, 0);
	id = new_dispute(&w, w.p1, w.p2, "neighbours", ",\"risk\":\"red\",\"risk_reason\":\"x\"");
	CHECK(id);
	CHECK(api_login(w.env, &other, "officer.b", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w.env, &mediator, "mediator", API_PASSWORD, NULL) == 200);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/watch", NULL);
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &other, "GET", "/api/disputes/watch?min_score=0", NULL);
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &mediator, "GET", "/api/disputes/watch", NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	/* By unit: the other station's unit is outside the chief's area, as
	 * for the figures; a unit that does not exist likewise. */
	r = api_call(w.env, &w.chief, "GET",
		     api_fmt("/api/disputes/watch?org_id=%lld", (long long)w.env->st_b), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET",
		     api_fmt("/api/disputes/figures?from=2026-01-01&org_id=%lld",
			     (long long)w.env->st_b),
		     NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/watch?org_id=999999", NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/watch?limit=0", NULL);
	check_error(r, 400, "bad_query", "limit");
	api_resp_free(&r);
	/* Concluded: off the list. */
	r = post(&w, id, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/watch?min_score=0", NULL);
	CHECK_INT((int64_t)api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(w.env);
}

static json_t *overview_card(json_t *o, const char *key)
{
	json_t *c;
	size_t k;

	json_array_foreach(json_object_get(o, "cards"), k, c)
		if (!strcmp(api_str(c, "module"), "disputes") && !strcmp(api_str(c, "key"), key))
			return c;
	printf("# no card disputes.%s\n", key);
	return NULL;
}

/* The row of key in a figures answer. */
static json_t *row_of(json_t *fig, const char *key)
{
	json_t *it;
	size_t i;

	json_array_foreach(json_object_get(fig, "items"), i, it)
		if (api_str(it, "key") && !strcmp(api_str(it, "key"), key))
			return it;
	return NULL;
}

static char today[16];

static struct api_resp figures(struct world *w, const char *by)
{
	return api_call(w->env, &w->chief, "GET",
			api_fmt("/api/disputes/figures?from=%s&to=%s&by=%s", today, today, by),
			NULL);
}

TEST(figures_against_the_rows)
{
	struct world w;
	struct api_resp r;
	json_t *row;
	int64_t a, b, c, d, med = 0;
	time_t t = time(NULL) + 8 * 3600; /* the harness's local day (UTC+8) */
	struct tm tm;

	world_init(&w);
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	a = new_dispute(&w, w.p1, w.p2, "neighbours", ",\"amount_fen\":10000");
	b = new_dispute(&w, w.p1, w.p3, "neighbours", ",\"amount_fen\":5000");
	c = new_dispute(&w, w.p2, w.p3, "labour", ",\"amount_fen\":70000");
	d = new_dispute(&w, w.p2, w.p1, "contract", NULL);
	CHECK(a && b && c && d);
	med = api_user_id(w.env, "mediator");
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)a),
		      "{\"user_id\":%lld}", (long long)med);
	check_status(r, 201);
	api_resp_free(&r);
	r = post(&w, a, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	api_resp_free(&r);
	r = post(&w, b, "conclude", "{\"outcome\":\"failed\",\"reason\":\"不同意\"}");
	api_resp_free(&r);
	r = post(&w, c, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	api_resp_free(&r);
	/* By type. */
	r = figures(&w, "type");
	check_status(r, 200);
	row = row_of(r.json, "neighbours");
	CHECK(row != NULL);
	CHECK_INT(api_int(row, "registered"),
		  api_count(w.env, "SELECT COUNT(*) FROM disputes WHERE type = 'neighbours'"));
	CHECK_INT(api_int(row, "concluded"), api_count(w.env, "SELECT COUNT(*) FROM disputes WHERE"
							   " type = 'neighbours' AND concluded_at IS NOT NULL"));
	CHECK_INT(api_int(row, "agreed"), 1);
	CHECK(json_real_value(json_object_get(row, "success_rate")) == 50.0);
	CHECK(json_is_null(json_object_get(row, "performance_rate")));
	CHECK_INT(api_int(row, "amount_fen"), api_count(w.env, "SELECT SUM(amount_fen) FROM disputes"
							       " WHERE type = 'neighbours'"));
	CHECK_STR(api_str(row, "link.list"), "disputes");
	CHECK_STR(api_str(row, "link.filter.type"), "neighbours");
	row = row_of(r.json, "contract");
	CHECK(row && api_int(row, "concluded") == 0 &&
	      json_is_null(json_object_get(row, "success_rate")));
	CHECK_INT(api_int(r.json, "total.registered"),
		  api_count(w.env, "SELECT COUNT(*) FROM disputes"));
	CHECK_INT(api_int(r.json, "total.agreed"),
		  api_count(w.env, "SELECT COUNT(*) FROM disputes WHERE outcome = 'agreed'"));
	CHECK_INT(api_int(r.json, "total.amount_fen"),
		  api_count(w.env, "SELECT SUM(amount_fen) FROM disputes"));
	api_resp_free(&r);
	/* By tier: all were registered at the workstation. */
	r = figures(&w, "tier");
	check_status(r, 200);
	row = row_of(r.json, "workstation");
	CHECK(row && api_int(row, "registered") == api_count(w.env, "SELECT COUNT(*) FROM disputes"
								    " WHERE tier = 'workstation'"));
	api_resp_free(&r);
	/* By mediator: only the one she was assigned to. */
	r = figures(&w, "mediator");
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 1);
	row = row_of(r.json, api_fmt("%lld", (long long)med));
	CHECK(row && api_int(row, "registered") == 1 && api_int(row, "agreed") == 1);
	CHECK_INT(api_int(row, "link.filter.mediator"), med);
	api_resp_free(&r);
	/* By grid (the unit): all in the officer's unit. */
	r = figures(&w, "grid");
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"),
		  api_count(w.env, "SELECT COUNT(DISTINCT org_id) FROM disputes"));
	CHECK_INT(api_int(r.json, "items.0.registered"), 4);
	CHECK(api_int(r.json, "items.0.link.filter.org_id") > 0);
	api_resp_free(&r);
	/* An empty period: no rows, zeros, rates null. */
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/figures?from=2020-01-01&to=2020-01-31",
		     NULL);
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 0);
	CHECK_INT(api_int(r.json, "total.registered"), 0);
	CHECK(json_is_null(api_get(r.json, "total.success_rate")));
	CHECK_INT(api_int(r.json, "prevented.cases"), 0);
	api_resp_free(&r);
	/* Bad queries name the field. */
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/figures", NULL);
	check_error(r, 422, "required", "from");
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/figures?from=2026-01-01&by=colour", NULL);
	check_error(r, 400, "bad_query", "by");
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET", "/api/disputes/figures?from=2026-02-01&to=2026-01-01",
		     NULL);
	check_error(r, 400, NULL, "to");
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(escalations_prevented_in_cases_and_persons)
{
	struct world w;
	struct api_resp r;
	int64_t a, b;
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	world_init(&w);
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	new_incident(&w, "T-1", 1, "扬言放火", w.p1, 0);
	new_incident(&w, "T-2", 1, "扬言放火", w.p3, 0);
	a = new_dispute(&w, w.p1, w.p2, "neighbours", ",\"risk\":\"red\",\"risk_reason\":\"x\"");
	b = new_dispute(&w, w.p3, w.p2, "neighbours", ",\"risk\":\"red\",\"risk_reason\":\"x\"");
	CHECK(a && b);
	/* Both on the watch, both agreed; b's party then has a case. */
	r = post(&w, a, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = post(&w, b, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK(api_exec(w.env, api_fmt("UPDATE incidents SET received_at = %lld WHERE number = 'T-2'",
				      w.now + 3600000LL)));
	CHECK(api_exec(w.env, "UPDATE incidents SET is_case = 1 WHERE number = 'T-2'"));
	r = figures(&w, "type");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "prevented.cases"), 1);
	CHECK_INT(api_int(r.json, "prevented.persons"), 2);
	api_resp_free(&r);
	/* The overview's card says the same; nothing open is on the watch. */
	r = api_call(w.env, &w.chief, "GET", "/api/overview?period=today", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(overview_card(r.json, "prevented"), "value"), 1);
	CHECK_INT(api_int(overview_card(r.json, "prevented"), "detail.persons"), 2);
	CHECK_INT(api_int(overview_card(r.json, "watch"), "value"), 0);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(overview_and_export)
{
	struct world w;
	struct api_resp r;
	json_t *chart = NULL, *ch, *audit;
	size_t k;
	int64_t a;
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	world_init(&w);
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	new_incident(&w, "T-1", 1, "要弄死他", w.p1, 0);
	a = new_dispute(&w, w.p1, w.p2, "labour", ",\"risk\":\"red\",\"risk_reason\":\"x\"");
	CHECK(a && new_dispute(&w, w.p2, w.p3, "neighbours", NULL));
	r = post(&w, a, "conclude", "{\"outcome\":\"agreed\",\"reason\":\"和解\"}");
	api_resp_free(&r);
	a = new_dispute(&w, w.p1, w.p3, "labour", ",\"risk\":\"red\",\"risk_reason\":\"x\"");
	r = api_call(w.env, &w.chief, "GET", "/api/overview?period=today", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(overview_card(r.json, "watch"), "value"), 1);
	CHECK_STR(api_str(overview_card(r.json, "watch"), "link.list"), "disputeWatch");
	json_array_foreach(json_object_get(r.json, "charts"), k, ch)
		if (!strcmp(api_str(ch, "key"), "success_by_type"))
			chart = ch;
	CHECK(chart != NULL);
	CHECK_INT((int64_t)api_len(chart, "points"), 1);
	CHECK_STR(api_str(chart, "points.0.label"), "labour");
	CHECK(json_real_value(api_get(chart, "points.0.value")) == 100.0);
	api_resp_free(&r);
	/* The figures table as a spreadsheet: the type in words. */
	r = api_call(w.env, &w.chief, "GET",
		     api_fmt("/api/disputes/figures/export?format=csv&from=%s&by=type", today), NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "劳动争议") && strstr(r.body, "调解成功率"));
	api_resp_free(&r);
	r = api_call(w.env, &w.chief, "GET",
		     api_fmt("/api/disputes/figures/export?format=xlsx&from=%s&by=grid", today), NULL);
	check_status(r, 200);
	CHECK(r.body_len > 100 && !memcmp(r.body, "PK", 2));
	api_resp_free(&r);
	audit = api_audit_last(w.env, "dispute.export", NULL);
	CHECK(audit != NULL);
	json_decref(audit);
	api_env_free(w.env);
}

/* Runs the watch's part of the background sweep once, as cli/sweep.c does. */
static int sweep(struct world *w, long long since)
{
	struct fq_error e = {0};
	struct fq_ctx c = {.keys = w->env->app->keys, .cfg = &w->env->app->cfg, .e = &e};
	int made = -1;
	enum fq_err err;

	c.db = fq_store_db(w->env->app->store, &e);
	c.arena = fq_arena_new();
	CHECK(c.db && c.arena);
	err = fq_db_begin(c.db, true);
	if (!err)
		err = fq_dispute_watch_sweep(&c, (int64_t)time(NULL) * 1000, since, &made);
	if (!err)
		err = fq_db_commit(c.db);
	else
		fq_db_rollback(c.db);
	if (err)
		printf("# sweep: %s\n", e.message);
	fq_arena_free(c.arena);
	return err ? -1 : made;
}

TEST(sweep_sees_a_new_incident_of_a_party)
{
	struct world w;
	json_t *item, *r;
	int64_t id;

	world_init(&w);
	id = new_dispute(&w, w.p1, w.p2, "neighbours", ",\"risk\":\"orange\",\"risk_reason\":\"x\"");
	item = watch_item(&w, &w.officer, id);
	CHECK_INT(api_int(item, "score"), 25);
	json_decref(item);
	/* An incident of p2 comes in (as intake writes it): the sweep scores
	 * the dispute again, and it crosses (25 + 10 + 15 + 15 = 65). */
	new_incident(&w, "T-9", 0, "扬言要放火，还说同归于尽", w.p2, 0);
	CHECK_INT(sweep(&w, w.now - 60000), 1);
	item = watch_item(&w, &w.officer, id);
	CHECK_INT(api_int(item, "score"), 65);
	r = reason_of(item, "threat_words");
	CHECK(r && api_int(r, "count") == 2);
	json_decref(item);
	CHECK_INT(told(&w, id), 1);
	/* Again: nothing new to tell. */
	CHECK_INT(sweep(&w, w.now - 60000), 0);
	CHECK_INT(told(&w, id), 1);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(sweep_sees_a_new_incident_of_a_party),
	TEST_ENTRY(overview_and_export),
	TEST_ENTRY(score_lists_its_reasons),
	TEST_ENTRY(chiefs_told_once_per_crossing),
	TEST_ENTRY(watch_list_scope_and_permission),
	TEST_ENTRY(figures_against_the_rows),
	TEST_ENTRY(escalations_prevented_in_cases_and_persons),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/dispute_watch", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
