/* The station overview (GET /api/overview, /api/overview/mine) and the lists
 * behind its figures (GET /api/incidents?from=&to=&late=…): every figure
 * against counts made here from the rows the test wrote, the period's
 * boundaries in the station's time zone (utc_offset_minutes, 480 by
 * default), data scope, permissions and the input errors. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/time.h"

#define OFFSET_MIN 480 /* the default utc_offset_minutes: China */
#define MIN 60000LL
#define DAY_MS 86400000LL

/* ---- the calendar, computed here on its own ---- */

/* Local days since 1970-01-01 of ms. */
static int64_t local_days(int64_t ms)
{
	int64_t l = ms + OFFSET_MIN * MIN;

	return l >= 0 ? l / DAY_MS : -((-l + DAY_MS - 1) / DAY_MS);
}

/* YYYYMMDD of days since 1970-01-01, by the C library's calendar. */
static int64_t yyyymmdd(int64_t days)
{
	time_t t = (time_t)(days * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* "YYYY-MM-DD" of days since 1970-01-01, valid until the 8th next call. */
static const char *iso(int64_t days)
{
	int64_t d = yyyymmdd(days);

	return api_fmt("%04lld-%02lld-%02lld", (long long)(d / 10000), (long long)(d / 100 % 100),
		       (long long)(d % 100));
}

/* Local midnight (ms) of days since 1970-01-01. */
static int64_t midnight(int64_t days)
{
	return days * DAY_MS - OFFSET_MIN * MIN;
}

/* Days since 1970-01-01 of this week's Monday (1970-01-01 was a Thursday). */
static int64_t monday(int64_t today)
{
	return today - (today + 3) % 7;
}

/* ---- the rows ---- */

enum unit { G_A1, G_A2, ST_A, G_B1 };

/* One incident as the test writes it: received on day today+dayoff at hour
 * (local); times in minutes after it (-1: never); overdue_min: dispatched
 * that many minutes before now instead (0: not so). */
struct fx {
	enum unit unit;
	int dayoff, hour;
	const char *status;
	int target;          /* arrival target, minutes; 0 none */
	int disp, arr;       /* minutes after receipt; -1 none */
	int overdue_min;
	const char *disposal;
	int repeat;
	const char *sat;     /* a follow-up call's answer, or NULL */
};

static const struct fx fixtures[] = {
	{G_A1, 0, 9, "closed", 5, 1, 4, 0, "persuaded", 0, "satisfied"},
	{G_A1, 0, 9, "closed", 5, 1, 9, 0, "on_site_mediation", 1, "dissatisfied"},
	{G_A2, 0, 14, "dispatched", 5, -1, -1, 60, NULL, 0, NULL},  /* overdue: late */
	{ST_A, 0, 20, "received", 0, -1, -1, 0, NULL, 0, NULL},
	{G_A2, 0, 14, "on_scene", 10, 1, 5, 0, NULL, 1, NULL},
	{G_A2, 0, 3, "dispatched", 5, -1, -1, 2, NULL, 0, NULL},    /* dispatched 2 min ago */
	{G_A1, -1, 8, "closed", 5, 1, 7, 0, "persuaded", 0, "very_satisfied"},
	{G_A2, -2, 23, "reviewed", 0, 1, 30, 0, "help_completed", 0, "basically_satisfied"},
	{G_A1, -3, 0, "closed", 5, 2, 10, 0, "persuaded", 2, "satisfied"},
	{G_A1, -8, 10, "closed", 5, 1, 3, 0, "persuaded", 0, "satisfied"},
	{G_A2, -9, 11, "handling", 5, 1, 2, 0, NULL, 0, NULL},      /* open, last week */
	{G_B1, 0, 9, "closed", 5, 1, 20, 0, "persuaded", 1, "dissatisfied"},
	{G_B1, 0, 9, "received", 0, -1, -1, 0, NULL, 0, NULL},
};
#define NFX ((int)(sizeof(fixtures) / sizeof(fixtures[0])))

static int64_t fx_ids[NFX];

static int64_t unit_id(struct api_env *env, enum unit u)
{
	return u == G_A1 ? env->g_a1 : u == G_A2 ? env->g_a2 : u == ST_A ? env->st_a : env->g_b1;
}

static bool in_a(const struct fx *f)
{
	return f->unit != G_B1;
}

static bool is_open(const struct fx *f)
{
	return strcmp(f->status, "closed") && strcmp(f->status, "reviewed");
}

static int64_t received_at(int64_t now, const struct fx *f)
{
	return midnight(local_days(now) + f->dayoff) + f->hour * 60 * MIN + 10 * MIN;
}

/* The late-arrival rule, as docs/user-guide.md states it: on scene more than
 * the target after dispatch, or still open, dispatched, nobody there and the
 * target passed. */
static bool late_arrival(const struct fx *f)
{
	if (!f->target)
		return false;
	if (f->arr >= 0)
		return f->arr - f->disp > f->target;
	return is_open(f) && f->overdue_min > f->target;
}

static void write_rows(struct api_env *env, int64_t now)
{
	for (int i = 0; i < NFX; i++) {
		const struct fx *f = &fixtures[i];
		int64_t at = received_at(now, f), disp = -1, arr = -1;
		int64_t days = local_days(at), day = yyyymmdd(days);

		if (f->overdue_min)
			disp = now - f->overdue_min * MIN;
		else if (f->disp >= 0)
			disp = at + f->disp * MIN;
		if (f->arr >= 0)
			arr = at + f->arr * MIN;
		CHECK(api_exec(env, api_fmt(
			"INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day,"
			" hour, channel, area_type, category, narrative, status, target_minutes,"
			" dispatched_at, arrived_at, arrival_late, disposal, closed_at, repeat_count,"
			" created_at, updated_at) SELECT 'T-%d', %lld, id, path, %lld, %lld, %d, 'phone',"
			" 'urban', 'dispute', 'test', '%s', %s, %s, %s, %d, %s, %s, %d, %lld, %lld"
			" FROM org_units WHERE id = %lld",
			i, (long long)(f->unit == G_B1 ? env->st_b : env->st_a), (long long)at,
			(long long)day, f->hour, f->status,
			f->target ? api_fmt("%d", f->target) : "NULL",
			disp >= 0 ? api_fmt("%lld", (long long)disp) : "NULL",
			arr >= 0 ? api_fmt("%lld", (long long)arr) : "NULL",
			f->arr >= 0 && late_arrival(f),
			f->disposal ? api_fmt("'%s'", f->disposal) : "NULL",
			f->disposal ? api_fmt("%lld", (long long)(at + 60 * MIN)) : "NULL", f->repeat,
			(long long)at, (long long)at, (long long)unit_id(env, f->unit))));
		fx_ids[i] = api_count(env, api_fmt("SELECT id FROM incidents WHERE number = 'T-%d'", i));
		if (f->sat)
			CHECK(api_exec(env, api_fmt("INSERT INTO incident_followups (incident_id, at,"
						    " reached, satisfaction) VALUES (%lld, %lld, 1, '%s')",
						    (long long)fx_ids[i], (long long)now, f->sat)));
	}
}

/* What the overview of unit (NULL: station A, the chief's) should say for
 * days [from, to] (days since 1970-01-01). */
struct expect {
	int64_t received, open, late, timed, on_time, closed, repeats, followups, satisfied;
	int64_t hour[24];
};

static void expect(const int64_t *unit_filter, struct api_env *env, int64_t now, int64_t from,
		   int64_t to, struct expect *e)
{
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < NFX; i++) {
		const struct fx *f = &fixtures[i];
		int64_t d = local_days(received_at(now, f));

		if (!in_a(f) || (unit_filter && unit_id(env, f->unit) != *unit_filter))
			continue;
		e->open += is_open(f);
		if (d < from || d > to)
			continue;
		e->received++;
		e->hour[f->hour]++;
		e->late += late_arrival(f);
		if (f->target && f->arr >= 0) {
			e->timed++;
			e->on_time += !late_arrival(f);
		}
		e->closed += f->disposal != NULL;
		e->repeats += f->repeat > 0;
		if (f->sat) {
			e->followups++;
			e->satisfied += strcmp(f->sat, "dissatisfied") != 0;
		}
	}
}

/* The card or chart (list: "cards", "charts") of the overview o named key,
 * or NULL. */
static json_t *lookup(json_t *o, const char *list, const char *key)
{
	json_t *c;
	size_t k;

	json_array_foreach(json_object_get(o, list), k, c)
		if (!strcmp(json_string_value(json_object_get(c, "key")), key))
			return c;
	return NULL;
}

/* As lookup, for one the test expects: says so when it is missing. */
static json_t *find(json_t *o, const char *list, const char *key)
{
	json_t *c = lookup(o, list, key);

	if (!c)
		fprintf(stderr, "  no %s %s\n", list, key);
	return c;
}

#define card(o, key) find(o, "cards", key)
#define chart(o, key) find(o, "charts", key)

static int64_t value(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(card(o, key), "value"));
}

/* Per cent, one decimal, half up. */
static double pct(int64_t part, int64_t whole)
{
	return (double)((part * 2000 + whole) / (2 * whole)) / 10.0;
}

/* The point of a chart whose filter has key = want (a JSON value), or NULL. */
static json_t *point(json_t *ch, const char *key, json_t *want)
{
	json_t *p;
	size_t k;

	json_array_foreach(json_object_get(ch, "points"), k, p)
		if (json_equal(json_object_get(json_object_get(p, "filter"), key), want))
			return p;
	return NULL;
}

static int64_t point_value(json_t *ch, const char *key, json_t *want)
{
	json_t *p = point(ch, key, want);

	json_decref(want);
	return p ? json_integer_value(json_object_get(p, "value")) : 0;
}

/* The rows of GET /api/incidents with filter (a JSON object of arguments). */
static int64_t list_count(struct api_env *env, struct api_client *c, json_t *filter)
{
	char q[512] = "/api/incidents?per_page=100";
	const char *k;
	json_t *v;
	struct api_resp r;
	int64_t n;

	json_object_foreach(filter, k, v) {
		size_t len = strlen(q);
		if (json_is_string(v))
			snprintf(q + len, sizeof(q) - len, "&%s=%s", k, json_string_value(v));
		else if (json_is_integer(v))
			snprintf(q + len, sizeof(q) - len, "&%s=%lld", k,
				 (long long)json_integer_value(v));
		else
			snprintf(q + len, sizeof(q) - len, "&%s=%s", k, json_is_true(v) ? "true" : "false");
	}
	r = api_call(env, c, "GET", q, NULL);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "has_more"));
	n = (int64_t)api_len(r.json, "items");
	api_resp_free(&r);
	return n;
}

static struct api_resp get(struct api_env *env, struct api_client *c, const char *target)
{
	struct api_resp r = api_call(env, c, "GET", target, NULL);

	check_status(r, 200);
	return r;
}

/* On a shift of station A: officer, busy on fixture 2 (open); aux, busy on
 * fixture 4 (open), who was on fixture 0 too (closed, released); newbie, free. */
static void staff(struct api_env *env, int64_t now)
{
	static const char *const on[] = {"officer", "aux", "newbie", NULL};
	int64_t today = midnight(local_days(now));

	CHECK(api_on_shift(env, env->st_a, on));
	CHECK(api_exec(env, api_fmt("INSERT INTO incident_responders (incident_id, user_id,"
				    " dispatched_at) VALUES (%lld, %lld, %lld)",
				    (long long)fx_ids[2], (long long)api_user_id(env, "officer"),
				    (long long)(now - 60 * MIN))));
	CHECK(api_exec(env, api_fmt("INSERT INTO incident_responders (incident_id, user_id,"
				    " dispatched_at, arrived_at) VALUES (%lld, %lld, %lld, %lld)",
				    (long long)fx_ids[4], (long long)api_user_id(env, "aux"),
				    (long long)(today + MIN), (long long)(today + 2 * MIN))));
	CHECK(api_exec(env, api_fmt("INSERT INTO incident_responders (incident_id, user_id,"
				    " dispatched_at, arrived_at, released_at) VALUES (%lld, %lld,"
				    " %lld, %lld, %lld)",
				    (long long)fx_ids[0], (long long)api_user_id(env, "aux"),
				    (long long)(today + MIN), (long long)(today + 3 * MIN),
				    (long long)(today + 9 * MIN))));
	/* Patrols: one out in A (aux on it), one ended in A, one out in B. */
	for (int i = 0; i < 3; i++)
		CHECK(api_exec(env, api_fmt("INSERT INTO patrols (station_id, org_path, team, status,"
					    " started_at, created_at, updated_at) SELECT id, path,"
					    " 'P%d', '%s', %lld, %lld, %lld FROM org_units WHERE id = %lld",
					    i, i == 1 ? "ended" : "active", (long long)(now - MIN),
					    (long long)now, (long long)now,
					    (long long)(i == 2 ? env->st_b : env->st_a))));
	CHECK(api_exec(env, api_fmt("INSERT INTO patrol_members (patrol_id, user_id) SELECT id,"
				    " %lld FROM patrols WHERE team = 'P0'",
				    (long long)api_user_id(env, "aux"))));
}

static void check_period(struct api_env *env, struct api_client *chief, int64_t now,
			 const char *period, int64_t from, int64_t to)
{
	struct expect e;
	struct api_resp r = get(env, chief, api_fmt("/api/overview?period=%s", period));
	json_t *o = r.json, *ch;

	expect(NULL, env, now, from, to, &e);
	CHECK_STR(api_str(o, "period"), period);
	CHECK_STR(api_str(o, "from"), iso(from));
	CHECK_STR(api_str(o, "to"), iso(to));
	CHECK_INT(api_int(o, "unit.id"), env->st_a);
	CHECK_INT(value(o, "received"), e.received);
	CHECK_INT(value(o, "open"), e.open);
	CHECK_INT(value(o, "late"), e.late);
	CHECK_INT(value(o, "closed"), e.closed);
	CHECK_INT(value(o, "repeats"), e.repeats);
	CHECK_INT(json_integer_value(api_get(card(o, "on_time_rate"), "detail.arrived")), e.timed);
	CHECK_INT(json_integer_value(api_get(card(o, "on_time_rate"), "detail.on_time")), e.on_time);
	CHECK(json_real_value(json_object_get(card(o, "on_time_rate"), "value")) ==
	      pct(e.on_time, e.timed));
	CHECK_INT(json_integer_value(api_get(card(o, "satisfaction_rate"), "detail.followups")),
		  e.followups);
	CHECK(json_real_value(json_object_get(card(o, "satisfaction_rate"), "value")) ==
	      pct(e.satisfied, e.followups));
	CHECK_INT(value(o, "on_duty"), 3);
	CHECK_INT(value(o, "free"), 1); /* officer and aux are on open calls */
	CHECK_INT(json_integer_value(api_get(card(o, "free"), "detail.on_duty")), 3);
	CHECK_INT(value(o, "patrols_out"), 1);

	/* Calls per hour: all 24 hours, each as counted here. */
	ch = chart(o, "by_hour");
	CHECK_INT(api_len(ch, "points"), 24);
	for (int h = 0; h < 24; h++)
		CHECK_INT(point_value(ch, "hour", json_integer(h)), e.hour[h]);
	/* Per unit, per disposal, per satisfaction. */
	ch = chart(o, "by_unit");
	for (int u = G_A1; u <= G_B1; u++) {
		struct expect eu;
		int64_t id = unit_id(env, (enum unit)u);

		expect(&id, env, now, from, to, &eu);
		CHECK_INT(point_value(ch, "org_id", json_integer(id)), eu.received);
	}
	ch = chart(o, "disposals");
	{
		static const char *const disposals[] = {"persuaded", "on_site_mediation",
							"help_completed", NULL};
		for (int d = 0; disposals[d]; d++) {
			int64_t n = 0;
			for (int i = 0; i < NFX; i++) {
				int64_t day = local_days(received_at(now, &fixtures[i]));
				n += in_a(&fixtures[i]) && day >= from && day <= to &&
				     fixtures[i].disposal && !strcmp(fixtures[i].disposal, disposals[d]);
			}
			CHECK_INT(point_value(ch, "disposal", json_string(disposals[d])), n);
		}
	}
	ch = chart(o, "satisfaction");
	{
		int64_t sum = 0;
		json_t *p;
		size_t k;
		json_array_foreach(json_object_get(ch, "points"), k, p)
			sum += json_integer_value(json_object_get(p, "value"));
		CHECK_INT(sum, e.followups);
	}
	api_resp_free(&r);
}

TEST(figures_match_the_rows)
{
	struct api_env *env = api_env_new();
	struct api_client chief;
	int64_t now = fq_time_now_ms(), today = local_days(now);

	CHECK(api_login_enrolled(env, &chief, "chief"));
	write_rows(env, now);
	staff(env, now);
	check_period(env, &chief, now, "today", today, today);
	check_period(env, &chief, now, "week", monday(today), today);
	api_env_free(env);
}

/* Each figure's link lists the rows it counts. */
TEST(links_list_the_rows_behind_each_figure)
{
	static const char *const cards[] = {"received", "late", "closed", "repeats", NULL};
	static const char *const charts[] = {"by_hour", "by_unit", "disposals", NULL};
	struct api_env *env = api_env_new();
	struct api_client chief;
	int64_t now = fq_time_now_ms();
	const char *periods[] = {"today", "week"};

	CHECK(api_login_enrolled(env, &chief, "chief"));
	write_rows(env, now);
	for (int p = 0; p < 2; p++) {
		struct api_resp r = get(env, &chief, api_fmt("/api/overview?period=%s", periods[p]));
		json_t *pt;
		size_t k;

		for (int i = 0; cards[i]; i++) {
			json_t *c = card(r.json, cards[i]);
			CHECK_STR(api_str(c, "link.list"), "incidents");
			CHECK_INT(list_count(env, &chief, api_get(c, "link.filter")),
				  json_integer_value(json_object_get(c, "value")));
		}
		/* open: every open incident of the scope */
		CHECK_INT(list_count(env, &chief, api_get(card(r.json, "open"), "link.filter")),
			  value(r.json, "open"));
		for (int i = 0; charts[i]; i++)
			json_array_foreach(api_get(chart(r.json, charts[i]), "points"), k, pt)
				CHECK_INT(list_count(env, &chief, json_object_get(pt, "filter")),
					  json_integer_value(json_object_get(pt, "value")));
		/* one follow-up per incident here, so the counts agree */
		json_array_foreach(api_get(chart(r.json, "satisfaction"), "points"), k, pt)
			CHECK_INT(list_count(env, &chief, json_object_get(pt, "filter")),
				  json_integer_value(json_object_get(pt, "value")));
		CHECK_INT(list_count(env, &chief, api_get(card(r.json, "satisfaction_rate"),
							  "link.filter")),
			  json_integer_value(api_get(card(r.json, "satisfaction_rate"),
						     "detail.followups")));
		api_resp_free(&r);
	}
	api_env_free(env);
}

/* Today begins at the station's local midnight; the week on its Monday. */
TEST(period_boundaries_in_local_time)
{
	struct api_env *env = api_env_new();
	struct api_client officer;
	int64_t now = fq_time_now_ms(), today = local_days(now);
	int64_t times[] = {midnight(today), midnight(today) - 1, midnight(monday(today)),
			   midnight(monday(today)) - 1};
	int64_t in_today = 0, in_week = 0, id[4] = {0};
	struct api_resp r;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	for (int i = 0; i < 4; i++) {
		char at[32];
		if (times[i] < now - 7 * DAY_MS + MIN)
			continue; /* older than intake takes */
		if (i >= 2 && times[i] == times[i - 2])
			continue; /* on a Monday the week starts today */
		fq_time_format(times[i], at, sizeof(at));
		r = api_callf(env, &officer, "POST", "/api/incidents",
			      "{\"channel\":\"phone\",\"category\":\"dispute\",\"narrative\":\"边界\","
			      "\"received_at\":\"%s\"}",
			      at);
		check_status(r, 201);
		id[i] = api_int(r.json, "id");
		api_resp_free(&r);
		in_today += local_days(times[i]) == today;
		in_week += local_days(times[i]) >= monday(today);
	}
	r = get(env, &officer, "/api/overview?period=today");
	CHECK_INT(value(r.json, "received"), in_today);
	api_resp_free(&r);
	r = get(env, &officer, "/api/overview?period=week");
	CHECK_INT(value(r.json, "received"), in_week);
	api_resp_free(&r);
	/* today's list holds the call of midnight, not the one a ms before */
	r = get(env, &officer, api_fmt("/api/incidents?from=%s", iso(today)));
	CHECK_INT(api_len(r.json, "items"), in_today);
	CHECK_INT(api_int(r.json, "items.0.id"), id[0]);
	api_resp_free(&r);
	/* the default period is today */
	r = get(env, &officer, "/api/overview");
	CHECK_STR(api_str(r.json, "period"), "today");
	CHECK_STR(api_str(r.json, "from"), iso(today));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(scope_counts_only_the_callers_area)
{
	struct api_env *env = api_env_new();
	struct api_client chief, b;
	int64_t now = fq_time_now_ms(), today = local_days(now), g = 0;
	struct expect e;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	write_rows(env, now);
	/* station B's officer sees B's two calls of today only */
	r = get(env, &b, "/api/overview?period=week");
	CHECK_INT(api_int(r.json, "unit.id"), env->st_b);
	CHECK_INT(value(r.json, "received"), 2);
	CHECK_INT(value(r.json, "open"), 1);
	CHECK_INT(value(r.json, "late"), 1);
	api_resp_free(&r);
	/* A's unit is refused to B, as is a unit that does not exist */
	r = api_call(env, &b, "GET", api_fmt("/api/overview?org_id=%lld", (long long)env->st_a), NULL);
	check_error(r, 404, NULL, "org_id");
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/overview?org_id=999999", NULL);
	check_error(r, 404, NULL, "org_id");
	api_resp_free(&r);
	/* nor do A's rows come through B's list of the period */
	r = get(env, &b, api_fmt("/api/incidents?from=%s&to=%s", iso(today - 30), iso(today)));
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	/* the chief narrows to one grid */
	g = env->g_a1;
	expect(&g, env, now, monday(today), today, &e);
	r = get(env, &chief, api_fmt("/api/overview?period=week&org_id=%lld", (long long)g));
	CHECK_INT(api_int(r.json, "unit.id"), g);
	CHECK_INT(value(r.json, "received"), e.received);
	CHECK_INT(value(r.json, "closed"), e.closed);
	CHECK_INT(value(r.json, "open"), e.open);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(permissions)
{
	static const char *const none[] = {"counselor", "volunteer", "resident", NULL};
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	r = api_call(env, NULL, "GET", "/api/overview", NULL);
	check_status(r, 401);
	api_resp_free(&r);
	CHECK(api_login_enrolled(env, &c, "aux"));
	r = api_call(env, &c, "GET", "/api/overview", NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = get(env, &c, "/api/overview/mine");
	CHECK(card(r.json, "my_open") && card(r.json, "my_shift"));
	CHECK(!api_get(r.json, "cards.0.link") || json_is_object(api_get(r.json, "cards.0.link")));
	api_resp_free(&r);
	for (int i = 0; none[i]; i++) {
		CHECK(api_login_enrolled(env, &c, none[i]));
		r = api_call(env, &c, "GET", "/api/overview", NULL);
		check_status(r, 403);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", "/api/overview/mine", NULL);
		check_status(r, 403);
		api_resp_free(&r);
	}
	/* the mediator: her own disputes, nothing of the station's */
	CHECK(api_login_enrolled(env, &c, "mediator"));
	r = api_call(env, &c, "GET", "/api/overview", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = get(env, &c, "/api/overview/mine");
	CHECK(card(r.json, "mine_open") && !lookup(r.json, "cards", "my_open"));
	api_resp_free(&r);
	CHECK(api_login_enrolled(env, &c, "sysadmin"));
	r = api_call(env, &c, "GET", "/api/overview", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	/* a token acts through its scopes: overview.read without incident.read
	 * or duty.read gives the frame without figures */
	api_token(env, &c, "chief", "overview.read");
	r = get(env, &c, "/api/overview");
	CHECK_INT(api_len(r.json, "cards"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(my_overview)
{
	struct api_env *env = api_env_new();
	struct api_client aux;
	int64_t now = fq_time_now_ms();
	struct api_resp r;

	CHECK(api_login_enrolled(env, &aux, "aux"));
	/* nothing yet: no calls, no shift, no patrol */
	r = get(env, &aux, "/api/overview/mine");
	CHECK_INT(value(r.json, "my_open"), 0);
	CHECK(json_is_null(api_get(card(r.json, "my_shift"), "detail")));
	CHECK(json_is_null(api_get(card(r.json, "my_patrol"), "detail")));
	api_resp_free(&r);
	write_rows(env, now);
	staff(env, now);
	r = get(env, &aux, "/api/overview/mine?period=today");
	CHECK_INT(value(r.json, "my_open"), 1);
	CHECK_INT(value(r.json, "my_dispatched"), 2);
	CHECK_INT(json_integer_value(api_get(card(r.json, "my_dispatched"), "detail.arrived")), 2);
	CHECK_STR(api_str(card(r.json, "my_shift"), "detail.position"), "responder");
	CHECK_STR(api_str(card(r.json, "my_patrol"), "detail.team"), "P0");
	CHECK(!lookup(r.json, "cards", "received")); /* no station figures here */
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bad_input_names_the_field)
{
	static const struct {
		const char *target, *field;
	} bad[] = {
		{"/api/overview?period=month", "period"},
		{"/api/overview?org_id=x", "org_id"},
		{"/api/incidents?late=true", "late"},
		{"/api/incidents?hour=3", "hour"},
		{"/api/incidents?disposal=persuaded", "disposal"},
		{"/api/incidents?to=2026-01-01", "from"},
		{"/api/incidents?from=2026-01-02&to=2026-01-01", "to"},
		{"/api/incidents?from=2025-01-01&to=2026-01-02", "to"},
		{"/api/incidents?from=2026-01-01&hour=24", "hour"},
		{"/api/incidents?from=2026-01-01&late=yes", "late"},
		{"/api/incidents?from=2026-01-01&disposal=lost", "disposal"},
		{"/api/incidents?from=2026-01-01&satisfaction=meh", "satisfaction"},
		{"/api/incidents?from=2026-01-01&org_id=0", "org_id"},
		{"/api/incidents?from=2026-01-01&day=2026-01-01", "day"},
		{"/api/incidents?from=2026-01-01&q=abc", "q"},
		{"/api/incidents?from=2026-01-01&cursor=999999", "cursor"},
		{"/api/incidents?from=20260101x", "from"},
	};
	struct api_env *env = api_env_new();
	struct api_client c;

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_resp r = api_call(env, &c, "GET", bad[i].target, NULL);
		CHECK(r.status == 400 || r.status == 422);
		if (!api_str(r.json, "error.field") || strcmp(api_str(r.json, "error.field"), bad[i].field))
			printf("# %s: %d %s\n", bad[i].target, r.status, r.body);
		CHECK_STR(api_str(r.json, "error.field"), bad[i].field);
		api_resp_free(&r);
	}
	api_env_free(env);
}

/* The period's list pages by cursor: every row once. */
TEST(period_list_pages_by_cursor)
{
	struct api_env *env = api_env_new();
	struct api_client chief;
	int64_t now = fq_time_now_ms(), today = local_days(now), ids[NFX + 1];
	int seen = 0;
	char cursor[32] = "";
	struct expect e;

	CHECK(api_login_enrolled(env, &chief, "chief"));
	write_rows(env, now);
	expect(NULL, env, now, today - 30, today, &e);
	for (int guard = 0; guard < 20; guard++) {
		struct api_resp r = get(env, &chief,
					api_fmt("/api/incidents?from=%s&to=%s&per_page=2%s%s",
						iso(today - 30), iso(today), cursor[0] ? "&cursor=" : "",
						cursor));
		json_t *it;
		size_t k;

		json_array_foreach(api_get(r.json, "items"), k, it) {
			int64_t id = json_integer_value(json_object_get(it, "id"));
			for (int j = 0; j < seen; j++)
				CHECK(ids[j] != id);
			if (seen < NFX)
				ids[seen++] = id;
		}
		cursor[0] = '\0';
		if (api_str(r.json, "next_cursor"))
			snprintf(cursor, sizeof(cursor), "%s", api_str(r.json, "next_cursor"));
		api_resp_free(&r);
		if (!cursor[0])
			break;
	}
	CHECK_INT(seen, e.received);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(figures_match_the_rows),
	TEST_ENTRY(links_list_the_rows_behind_each_figure),
	TEST_ENTRY(period_boundaries_in_local_time),
	TEST_ENTRY(scope_counts_only_the_callers_area),
	TEST_ENTRY(permissions),
	TEST_ENTRY(my_overview),
	TEST_ENTRY(bad_input_names_the_field),
	TEST_ENTRY(period_list_pages_by_cursor),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/overview", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc,
			    argv);
}
