/* The working-day calendar (docs/api.md "Working-day calendar"): the 2026
 * arrangement shipped by migration 015 is the State Council's notice, day
 * by day; every member of staff reads it and counts on it, only the sysadmin
 * changes it, audited, with every bad input refused by name and nothing
 * written; the day functions the disputes module calls (domain/workdays.h)
 * cost one query, see the caller's own transaction, and count across Spring
 * Festival, its make-up Saturdays, National Day and a year not loaded. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/workdays.h"
#include "http/app.h"
#include "store/store.h"

static bool on_pg(void)
{
	return getenv("FQ_TEST_PG_URL") != NULL;
}

static struct api_env *env_admin(struct api_client *admin)
{
	struct api_env *env = api_env_new();

	CHECK(api_login_enrolled(env, admin, "sysadmin"));
	return env;
}

/* The notice (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04), the
 * weekdays off and the weekend days worked. */
static const struct {
	const char *date, *kind, *name;
} notice2026[] = {
	{"2026-01-01", "holiday", "元旦"},   {"2026-01-02", "holiday", "元旦"},
	{"2026-01-04", "workday", "元旦"},   {"2026-02-14", "workday", "春节"},
	{"2026-02-16", "holiday", "春节"},   {"2026-02-17", "holiday", "春节"},
	{"2026-02-18", "holiday", "春节"},   {"2026-02-19", "holiday", "春节"},
	{"2026-02-20", "holiday", "春节"},   {"2026-02-23", "holiday", "春节"},
	{"2026-02-28", "workday", "春节"},   {"2026-04-06", "holiday", "清明节"},
	{"2026-05-01", "holiday", "劳动节"}, {"2026-05-04", "holiday", "劳动节"},
	{"2026-05-05", "holiday", "劳动节"}, {"2026-05-09", "workday", "劳动节"},
	{"2026-06-19", "holiday", "端午节"}, {"2026-09-20", "workday", "国庆节"},
	{"2026-09-25", "holiday", "中秋节"}, {"2026-10-01", "holiday", "国庆节"},
	{"2026-10-02", "holiday", "国庆节"}, {"2026-10-05", "holiday", "国庆节"},
	{"2026-10-06", "holiday", "国庆节"}, {"2026-10-07", "holiday", "国庆节"},
	{"2026-10-10", "workday", "国庆节"},
};
#define NNOTICE (sizeof(notice2026) / sizeof(notice2026[0]))

TEST(the_shipped_2026_calendar_is_the_notice)
{
	struct api_env *env = api_env_new();
	struct api_client officer;
	struct api_resp r;
	json_t *years;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	r = api_call(env, &officer, "GET", "/api/calendar?year=2026", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "year"), 2026);
	CHECK(api_bool(r.json, "loaded"));
	CHECK_INT((int64_t)api_len(r.json, "days"), (int64_t)NNOTICE);
	for (size_t i = 0; i < NNOTICE; i++) {
		const char *p = api_fmt("days.%zu", i);

		CHECK_STR(api_str(r.json, api_fmt("%s.date", p)), notice2026[i].date);
		CHECK_STR(api_str(r.json, api_fmt("%s.kind", p)), notice2026[i].kind);
		CHECK_STR(api_str(r.json, api_fmt("%s.name", p)), notice2026[i].name);
		CHECK(json_is_null(api_get(r.json, api_fmt("%s.changed_by", p))));
		CHECK(api_str(r.json, api_fmt("%s.changed_at", p)) != NULL);
	}
	CHECK_INT(api_int(r.json, "days.4.weekday"), 1); /* 16 February, a Monday */
	CHECK_INT(api_int(r.json, "days.3.weekday"), 6); /* 14 February, a Saturday */
	years = api_get(r.json, "years");
	CHECK_INT((int64_t)json_array_size(years), 1);
	CHECK_INT(api_int(years, "0.year"), 2026);
	CHECK_INT(api_int(years, "0.holidays"), 19);
	CHECK_INT(api_int(years, "0.workdays"), 6);
	CHECK(api_str(r.json, "today") != NULL);
	api_resp_free(&r);
	/* a year not loaded: no days, and it says so */
	r = api_call(env, &officer, "GET", "/api/calendar?year=2031", NULL);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "loaded"));
	CHECK_INT((int64_t)api_len(r.json, "days"), 0);
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar?year=1999", NULL);
	check_error(r, 400, "bad_query", "year");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(staff_read_it_and_only_the_sysadmin_changes_it)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct api_resp r;
	static const char *const readers[] = {"chief", "officer", "aux", "mediator", "counselor"};
	static const char *const others[] = {"secadmin", "auditor", "volunteer", "resident"};

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		struct api_client c;

		CHECK(api_login_enrolled(env, &c, readers[i]));
		r = api_call(env, &c, "GET", "/api/calendar", NULL);
		if (!check_status(r, 200))
			fprintf(stderr, "  reader %s\n", readers[i]);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", "/api/calendar/add?from=2026-02-12&days=3", NULL);
		check_status(r, 200);
		api_resp_free(&r);
		r = api_call(env, &c, "POST", "/api/calendar/days",
			     "{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}");
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
		r = api_call(env, &c, "PUT", "/api/calendar/days/2026-02-16",
			     "{\"kind\":\"holiday\",\"name\":\"x\"}");
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
		r = api_call(env, &c, "DELETE", "/api/calendar/days/2026-02-16", NULL);
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct api_client c;

		CHECK(api_login_enrolled(env, &c, others[i]));
		r = api_call(env, &c, "GET", "/api/calendar", NULL);
		if (!check_error(r, 403, NULL, NULL))
			fprintf(stderr, "  not a reader: %s\n", others[i]);
		api_resp_free(&r);
	}
	r = api_call(env, NULL, "GET", "/api/calendar", NULL);
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	/* a token of the sysadmin with only calendar.read reads, not writes */
	{
		struct api_client tok = {0};

		CHECK(api_token(env, &tok, "sysadmin", "calendar.read") > 0);
		r = api_call(env, &tok, "GET", "/api/calendar", NULL);
		check_status(r, 200);
		api_resp_free(&r);
		r = api_call(env, &tok, "DELETE", "/api/calendar/days/2026-02-16", NULL);
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
	}
	CHECK_INT(api_count(env, "SELECT count(*) FROM calendar_days"), (int64_t)NNOTICE);
	r = api_call(env, &admin, "GET", "/api/calendar?year=2026", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

/* GET /api/calendar/add: date, and the first year crossed without an arrangement. */
static void check_add(struct api_env *env, const struct api_client *c, const char *from, int n,
		      const char *want, int unloaded)
{
	struct api_resp r = api_call(env, c, "GET",
				     api_fmt("/api/calendar/add?from=%s&days=%d", from, n), NULL);

	check_status(r, 200);
	if (!api_str(r.json, "date") || strcmp(api_str(r.json, "date"), want))
		fprintf(stderr, "  %s + %d working days\n", from, n);
	CHECK_STR(api_str(r.json, "date"), want);
	CHECK_STR(api_str(r.json, "from"), from);
	CHECK_INT(api_int(r.json, "days"), n);
	if (unloaded)
		CHECK_INT(api_int(r.json, "unloaded_year"), unloaded);
	else
		CHECK(json_is_null(api_get(r.json, "unloaded_year")));
	api_resp_free(&r);
}

TEST(deadlines_count_across_holidays_and_make_up_days)
{
	struct api_env *env = api_env_new();
	struct api_client officer;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	/* Spring Festival: accepted Thursday 12 February, the first mediation by
	 * Tuesday 24 (Friday 13 and the make-up Saturday 14 count); the second
	 * within 7 working days of the 24th, Saturday 28 worked */
	check_add(env, &officer, "2026-02-12", 3, "2026-02-24", 0);
	check_add(env, &officer, "2026-02-24", 7, "2026-03-04", 0);
	check_add(env, &officer, "2026-02-13", 1, "2026-02-14", 0);
	/* accepted on a holiday: counting starts the next day */
	check_add(env, &officer, "2026-02-18", 3, "2026-02-26", 0);
	/* New Year: Sunday 4 January is worked */
	check_add(env, &officer, "2026-01-01", 1, "2026-01-04", 0);
	/* National Day: Sunday 20 September and Saturday 10 October worked */
	check_add(env, &officer, "2026-09-18", 1, "2026-09-20", 0);
	check_add(env, &officer, "2026-09-30", 3, "2026-10-10", 0);
	check_add(env, &officer, "2026-09-30", 4, "2026-10-12", 0);
	/* 0 days: the day itself */
	check_add(env, &officer, "2026-02-15", 0, "2026-02-15", 0);
	/* into 2027, not loaded: plain weekends, and it says so */
	check_add(env, &officer, "2026-12-31", 3, "2027-01-05", 2027);
	/* from 2025, not loaded, but only 2026 is crossed */
	check_add(env, &officer, "2025-12-31", 1, "2026-01-04", 0);
	check_add(env, &officer, "2025-12-30", 1, "2025-12-31", 2025);
	/* the largest count */
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-01-01&days=1000", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	/* bad input, named */
	r = api_call(env, &officer, "GET", "/api/calendar/add?days=3", NULL);
	check_error(r, 422, "required", "from");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-02-30&days=3", NULL);
	check_error(r, 400, "bad_query", "from");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-02-12", NULL);
	check_error(r, 422, "required", "days");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-02-12&days=-1", NULL);
	check_error(r, 400, "bad_query", "days");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-02-12&days=1001", NULL);
	check_error(r, 400, "bad_query", "days");
	api_resp_free(&r);
	r = api_call(env, &officer, "GET", "/api/calendar/add?from=2026-02-12&days=three", NULL);
	check_error(r, 400, "bad_query", "days");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(the_sysadmin_adds_changes_and_removes_days_audited)
{
	struct api_client admin, officer;
	struct api_env *env = env_admin(&admin);
	struct api_resp r;
	json_t *a;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	/* 2027 is loaded by its first day */
	r = api_call(env, &admin, "POST", "/api/calendar/days",
		     "{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "date"), "2027-01-01");
	CHECK_STR(api_str(r.json, "kind"), "holiday");
	CHECK_STR(api_str(r.json, "name"), "元旦");
	CHECK_INT(api_int(r.json, "weekday"), 5);
	CHECK_INT(api_int(r.json, "changed_by.id"), api_user_id(env, "sysadmin"));
	CHECK(api_str(r.json, "changed_by.display_name") != NULL);
	api_resp_free(&r);
	a = api_audit_last(env, "calendar.day_create", "20270101");
	CHECK_STR(api_str(a, "outcome"), "success");
	CHECK_STR(api_str(a, "object_type"), "calendar_day");
	CHECK_STR(api_str(a, "detail"), "holiday 元旦");
	json_decref(a);
	/* the deadline follows at once, and 2027 counts as loaded */
	check_add(env, &officer, "2026-12-31", 3, "2027-01-06", 0);
	r = api_call(env, &officer, "GET", "/api/calendar?year=2027", NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "loaded"));
	CHECK_INT((int64_t)api_len(r.json, "days"), 1);
	CHECK_INT((int64_t)api_len(r.json, "years"), 2);
	api_resp_free(&r);
	/* a make-up Saturday */
	r = api_call(env, &admin, "POST", "/api/calendar/days",
		     "{\"date\":\"2027-01-09\",\"kind\":\"workday\",\"name\":\"元旦\"}");
	check_status(r, 201);
	api_resp_free(&r);
	check_add(env, &officer, "2027-01-08", 1, "2027-01-09", 0);
	/* change: the name, then the detail says what it was */
	r = api_call(env, &admin, "PUT", "/api/calendar/days/2027-01-01",
		     "{\"kind\":\"holiday\",\"name\":\"元旦节\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "name"), "元旦节");
	api_resp_free(&r);
	a = api_audit_last(env, "calendar.day_update", "20270101");
	CHECK_STR(api_str(a, "outcome"), "success");
	CHECK_STR(api_str(a, "detail"), "was holiday 元旦, now holiday 元旦节");
	json_decref(a);
	/* remove: a plain Friday again */
	r = api_call(env, &admin, "DELETE", "/api/calendar/days/2027-01-01", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "date"), "2027-01-01");
	CHECK(api_bool(r.json, "removed"));
	api_resp_free(&r);
	a = api_audit_last(env, "calendar.day_delete", "20270101");
	CHECK_STR(api_str(a, "outcome"), "success");
	CHECK_STR(api_str(a, "detail"), "was holiday 元旦节");
	json_decref(a);
	check_add(env, &officer, "2026-12-31", 3, "2027-01-05", 0);
	r = api_call(env, &admin, "DELETE", "/api/calendar/days/2027-01-09", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	check_add(env, &officer, "2026-12-31", 3, "2027-01-05", 2027);
	/* a shipped day can be corrected too */
	r = api_call(env, &admin, "DELETE", "/api/calendar/days/2026-06-19", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	check_add(env, &officer, "2026-06-18", 1, "2026-06-19", 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM calendar_days"), (int64_t)NNOTICE - 1);
	api_env_free(env);
}

TEST(bad_days_are_refused_by_name_and_change_nothing)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct {
		const char *method, *path, *body;
		int status;
		const char *code, *field;
	} bad[] = {
		{"POST", "/api/calendar/days", "{\"date\":\"2026-02-30\",\"kind\":\"holiday\",\"name\":\"x\"}", 422, "bad_date", "date"},
		{"POST", "/api/calendar/days", "{\"date\":\"27-01-01\",\"kind\":\"holiday\",\"name\":\"x\"}", 422, "bad_date", "date"},
		{"POST", "/api/calendar/days", "{\"date\":\"1999-12-31\",\"kind\":\"holiday\",\"name\":\"x\"}", 422, "bad_date", "date"},
		{"POST", "/api/calendar/days", "{\"date\":\"2100-01-01\",\"kind\":\"holiday\",\"name\":\"x\"}", 422, "bad_date", "date"},
		{"POST", "/api/calendar/days", "{\"kind\":\"holiday\",\"name\":\"x\"}", 422, "required", "date"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"kind\":\"party\",\"name\":\"x\"}", 422, NULL, "kind"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"name\":\"x\"}", 422, "required", "kind"},
		/* Saturday 2 January 2027 off: it is off anyway */
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-02\",\"kind\":\"holiday\",\"name\":\"元旦\"}", 422, "weekend_holiday", "kind"},
		/* Monday 4 January 2027 worked: it is worked anyway */
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-04\",\"kind\":\"workday\",\"name\":\"元旦\"}", 422, "weekday_workday", "kind"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"kind\":\"holiday\"}", 422, "required", "name"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"   \"}", 422, "required", "name"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"一二三四五六七八九十一二三四五六七八九十一\"}", 422, "too_long", "name"},
		{"POST", "/api/calendar/days", "{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"x\",\"region\":\"xj\"}", 422, NULL, "region"},
		{"POST", "/api/calendar/days", "{\"date\":\"2026-02-16\",\"kind\":\"holiday\",\"name\":\"春节\"}", 409, "exists", "date"},
		{"PUT", "/api/calendar/days/2026-02-16", "{\"kind\":\"workday\",\"name\":\"春节\"}", 422, "weekday_workday", "kind"},
		{"PUT", "/api/calendar/days/2026-02-14", "{\"kind\":\"holiday\",\"name\":\"春节\"}", 422, "weekend_holiday", "kind"},
		{"PUT", "/api/calendar/days/2026-02-16", "{\"kind\":\"holiday\"}", 422, "required", "name"},
		{"PUT", "/api/calendar/days/2026-02-16", "{\"date\":\"2026-02-17\",\"kind\":\"holiday\",\"name\":\"x\"}", 422, NULL, "date"},
		{"PUT", "/api/calendar/days/2026-03-02", "{\"kind\":\"holiday\",\"name\":\"x\"}", 404, NULL, "date"},
		{"PUT", "/api/calendar/days/tomorrow", "{\"kind\":\"holiday\",\"name\":\"x\"}", 422, "bad_date", "date"},
		{"DELETE", "/api/calendar/days/2026-03-02", NULL, 404, NULL, "date"},
		{"DELETE", "/api/calendar/days/2026-13-01", NULL, 422, "bad_date", "date"},
	};
	struct api_resp r;
	json_t *a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_call(env, &admin, bad[i].method, bad[i].path, bad[i].body);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			fprintf(stderr, "  case %zu: %s %s %s\n", i, bad[i].method, bad[i].path,
				bad[i].body ? bad[i].body : "");
		api_resp_free(&r);
	}
	/* the messages say what to do */
	r = api_call(env, &admin, "POST", "/api/calendar/days",
		     "{\"date\":\"2027-01-02\",\"kind\":\"holiday\",\"name\":\"元旦\"}");
	CHECK(r.body && strstr(r.body, "2027-01-02 is a Saturday") != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM calendar_days"), (int64_t)NNOTICE);
	CHECK_INT(api_count(env, "SELECT count(*) FROM calendar_days WHERE changed_by IS NOT NULL"), 0);
	/* failures are audited */
	a = api_audit_last(env, "calendar.day_create", "20270102");
	CHECK_STR(api_str(a, "outcome"), "failure");
	json_decref(a);
	a = api_audit_last(env, "calendar.day_update", "20260216");
	CHECK_STR(api_str(a, "outcome"), "failure");
	json_decref(a);
	api_env_free(env);
}

TEST(a_year_holds_at_most_sixty_days)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct api_resp r;
	char sql[4096];
	size_t len = 0;
	int64_t day = 20300101;
	int n = 0;

	len += (size_t)snprintf(sql, sizeof(sql),
				"INSERT INTO calendar_days (day, kind, name, changed_at) VALUES ");
	while (n < FQ_WORKDAYS_MAX_PER_YEAR) {
		if (fq_workdays_weekday(day) <= 5) {
			len += (size_t)snprintf(sql + len, sizeof(sql) - len,
						"%s(%lld, 'holiday', 'x', 0)", n ? ", " : "",
						(long long)day);
			n++;
		}
		day = day % 100 == 28 ? day - 27 + 100 : day + 1; /* 1–28 of each month */
	}
	CHECK(len < sizeof(sql));
	CHECK(api_exec(env, sql));
	r = api_call(env, &admin, "POST", "/api/calendar/days",
		     "{\"date\":\"2030-12-02\",\"kind\":\"holiday\",\"name\":\"x\"}");
	check_error(r, 409, "year_full", "date");
	api_resp_free(&r);
	/* another year is not full */
	r = api_call(env, &admin, "POST", "/api/calendar/days",
		     "{\"date\":\"2031-12-01\",\"kind\":\"holiday\",\"name\":\"x\"}");
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(env);
}

/* ---- what the disputes module calls ---- */

struct call {
	struct fq_error e;
	struct fq_arena *arena;
	struct fq_ctx c;
	struct fq_db *db;
};

static void call_begin(struct api_env *env, struct call *k, bool write)
{
	memset(k, 0, sizeof(*k));
	k->db = fq_store_db(env->app->store, &k->e);
	k->arena = fq_arena_new();
	k->c = (struct fq_ctx){.db = k->db, .keys = env->app->keys, .arena = k->arena, .e = &k->e,
			       .cfg = &env->app->cfg};
	CHECK_INT(fq_db_begin(k->db, write), FQ_OK);
}

static void call_end(struct call *k, bool commit)
{
	if (commit)
		CHECK_INT(fq_db_commit(k->db), FQ_OK);
	else
		fq_db_rollback(k->db);
	fq_arena_free(k->arena);
}

TEST(the_day_functions_cost_one_query_each)
{
	struct api_env *env = api_env_new();
	struct call k;
	int64_t out = 0, count = 0;
	int unloaded = -1;
	bool working = false;
	uint64_t before;

	call_begin(env, &k, false);
	/* the first calls prepare their statements on this connection */
	CHECK_INT(fq_workdays_add(&k.c, 20260212, 3, &out, &unloaded), FQ_OK);
	CHECK_INT(fq_workdays_between(&k.c, 20260212, 20260224, &count, &unloaded), FQ_OK);
	CHECK_INT(fq_workdays_is_working(&k.c, 20260214, &working, &unloaded), FQ_OK);

	before = fq_db_round_trips(k.db);
	CHECK_INT(fq_workdays_add(&k.c, 20260212, 3, &out, &unloaded), FQ_OK);
	CHECK_INT(fq_db_round_trips(k.db) - before, on_pg() ? 1 : 0);
	CHECK_INT(out, 20260224);
	CHECK_INT(unloaded, 0);

	before = fq_db_round_trips(k.db);
	CHECK_INT(fq_workdays_between(&k.c, 20260212, 20260224, &count, &unloaded), FQ_OK);
	CHECK_INT(fq_db_round_trips(k.db) - before, on_pg() ? 1 : 0);
	CHECK_INT(count, 3);

	before = fq_db_round_trips(k.db);
	CHECK_INT(fq_workdays_is_working(&k.c, 20260214, &working, &unloaded), FQ_OK);
	CHECK_INT(fq_db_round_trips(k.db) - before, on_pg() ? 1 : 0);
	CHECK(working);
	CHECK_INT(unloaded, 0);
	CHECK_INT(fq_workdays_is_working(&k.c, 20270101, &working, &unloaded), FQ_OK);
	CHECK(working);
	CHECK_INT(unloaded, 2027);

	/* a table over several years: no query at all afterwards */
	{
		struct fq_workdays_table t;

		CHECK_INT(fq_workdays_table_load(&k.c, 2026, 2027, &t), FQ_OK);
		before = fq_db_round_trips(k.db);
		CHECK(fq_workdays_table_add(&t, 20260930, 4, &out, NULL));
		CHECK_INT(out, 20261012);
		CHECK(fq_workdays_table_is_working(&t, 20261010));
		CHECK_INT(fq_db_round_trips(k.db) - before, 0);
		CHECK_INT((int64_t)t.ndays, (int64_t)NNOTICE);
		CHECK(fq_workdays_table_year_loaded(&t, 2026));
		CHECK(!fq_workdays_table_year_loaded(&t, 2027));
	}
	/* errors name the field */
	CHECK_INT(fq_workdays_add(&k.c, 20260230, 3, &out, NULL), FQ_ERR_INVALID);
	CHECK_STR(k.e.field, "from");
	CHECK_INT(fq_workdays_add(&k.c, 20260212, FQ_WORKDAYS_MAX_N + 1, &out, NULL),
		  FQ_ERR_INVALID);
	CHECK_STR(k.e.field, "days");
	CHECK_INT(fq_workdays_between(&k.c, 20000101, 20600101, &count, NULL), FQ_ERR_INVALID);
	CHECK_INT(fq_workdays_table_load(&k.c, 2026, 2026 + FQ_WORKDAYS_MAX_YEARS, NULL),
		  FQ_ERR_INVALID);
	call_end(&k, false);
	api_env_free(env);
}

TEST(the_day_functions_see_their_own_transaction)
{
	struct api_env *env = api_env_new();
	struct call k;
	int64_t out = 0;
	int unloaded = -1;

	/* a day added in the caller's transaction counts at once; rolled back,
	 * it is gone */
	call_begin(env, &k, true);
	CHECK_INT(fq_workdays_day_add(&k.c, 20270101, "holiday", "元旦"), FQ_OK);
	CHECK_INT(fq_workdays_add(&k.c, 20261231, 3, &out, &unloaded), FQ_OK);
	CHECK_INT(out, 20270106);
	CHECK_INT(unloaded, 0);
	call_end(&k, false);

	call_begin(env, &k, false);
	CHECK_INT(fq_workdays_add(&k.c, 20261231, 3, &out, &unloaded), FQ_OK);
	CHECK_INT(out, 20270105);
	CHECK_INT(unloaded, 2027);
	call_end(&k, false);
	/* a calendar written around the API, every weekday of 2028 off: the
	 * count cannot end within the years one query reads, and says so */
	{
		static char sql[16384];
		size_t len = (size_t)snprintf(sql, sizeof(sql),
					      "INSERT INTO calendar_days (day, kind, name, changed_at) VALUES ");
		int n = 0;

		for (int64_t day = 20280101; day <= 20281231; day = fq_date_add(day, 1))
			if (fq_workdays_weekday(day) <= 5)
				len += (size_t)snprintf(sql + len, sizeof(sql) - len,
							"%s(%lld, 'holiday', 'x', 0)", n++ ? ", " : "",
							(long long)day);
		CHECK(len < sizeof(sql));
		CHECK(api_exec(env, sql));
		call_begin(env, &k, false);
		CHECK_INT(fq_workdays_add(&k.c, 20271231, 3, &out, NULL), FQ_ERR_CONFLICT);
		CHECK_STR(k.e.code, "calendar_too_full");
		call_end(&k, false);
	}
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(the_shipped_2026_calendar_is_the_notice),
	TEST_ENTRY(staff_read_it_and_only_the_sysadmin_changes_it),
	TEST_ENTRY(deadlines_count_across_holidays_and_make_up_days),
	TEST_ENTRY(the_sysadmin_adds_changes_and_removes_days_audited),
	TEST_ENTRY(bad_days_are_refused_by_name_and_change_nothing),
	TEST_ENTRY(a_year_holds_at_most_sixty_days),
	TEST_ENTRY(the_day_functions_cost_one_query_each),
	TEST_ENTRY(the_day_functions_see_their_own_transaction),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/calendar", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
