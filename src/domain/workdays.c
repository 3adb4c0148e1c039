/* The working-day calendar: which local days are worked, and deadlines
 * counted in working days (domain/workdays.h). The SQL is in
 * store/workdays_store.c. */
#include "domain/workdays.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "store/workdays_store.h"

const char *const fq_workdays_kinds[] = {"holiday", "workday", NULL};

static const char *const weekday_names[] = {"", "Monday", "Tuesday", "Wednesday",
					    "Thursday", "Friday", "Saturday", "Sunday"};

static bool is_date(int64_t day)
{
	return day >= 10101 && day <= 99991231 &&
	       fq_date_valid((int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100));
}

int fq_workdays_weekday(int64_t day)
{
	/* 1970-01-01, day 0, was a Thursday (4). */
	int64_t n = fq_days_from_civil((int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100));
	int64_t r = (n + 3) % 7;

	return (int)(r < 0 ? r + 7 : r) + 1;
}

/* ---- a loaded span of years ---- */

bool fq_workdays_table_init(struct fq_workdays_table *t, int first_year, int last_year,
			    const struct fq_workdays_exception *days, size_t ndays)
{
	if (first_year < 1 || last_year > 9999 || last_year < first_year ||
	    last_year - first_year >= FQ_WORKDAYS_MAX_YEARS)
		return false;
	memset(t, 0, sizeof(*t));
	t->first_year = first_year;
	t->last_year = last_year;
	t->days = days;
	t->ndays = ndays;
	for (size_t i = 0; i < ndays; i++) {
		int y = (int)(days[i].day / 10000);

		if (y >= first_year && y <= last_year)
			t->loaded[y - first_year] = true;
	}
	return true;
}

bool fq_workdays_table_year_loaded(const struct fq_workdays_table *t, int year)
{
	return year >= t->first_year && year <= t->last_year && t->loaded[year - t->first_year];
}

/* The exception of day, or NULL: a binary search (YYYYMMDD sorts as dates do). */
static const struct fq_workdays_exception *find(const struct fq_workdays_table *t, int64_t day)
{
	size_t lo = 0, hi = t->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->ndays && t->days[lo].day == day ? &t->days[lo] : NULL;
}

static bool working(const struct fq_workdays_table *t, int64_t day, int weekday)
{
	const struct fq_workdays_exception *x = find(t, day);

	return x ? x->workday : weekday <= 5;
}

bool fq_workdays_table_is_working(const struct fq_workdays_table *t, int64_t day)
{
	return working(t, day, fq_workdays_weekday(day));
}

/* A walk over the days after a start day, one at a time. */
struct walk {
	const struct fq_workdays_table *t;
	int64_t day;
	int weekday;
	int unloaded; /* the first year crossed without an arrangement */
};

/* Steps to the next day: false when it lies outside the table. */
static bool step(struct walk *w)
{
	int year;

	w->day = fq_date_add(w->day, 1);
	w->weekday = w->weekday % 7 + 1;
	year = (int)(w->day / 10000);
	if (year < w->t->first_year || year > w->t->last_year)
		return false;
	if (!w->unloaded && !w->t->loaded[year - w->t->first_year])
		w->unloaded = year;
	return true;
}

bool fq_workdays_table_add(const struct fq_workdays_table *t, int64_t day, int n, int64_t *out,
			   int *unloaded_year)
{
	struct walk w = {t, day, 0, 0};

	if (n < 0 || n > FQ_WORKDAYS_MAX_N || !is_date(day))
		return false;
	w.weekday = fq_workdays_weekday(day);
	for (int found = 0; found < n;) {
		if (!step(&w))
			return false;
		if (working(t, w.day, w.weekday))
			found++;
	}
	*out = w.day;
	if (unloaded_year)
		*unloaded_year = w.unloaded;
	return true;
}

bool fq_workdays_table_between(const struct fq_workdays_table *t, int64_t from, int64_t to,
			       int64_t *count, int *unloaded_year)
{
	struct walk w = {t, from, 0, 0};
	int64_t n = 0;

	if (!is_date(from) || !is_date(to))
		return false;
	if (to < from) {
		if (!fq_workdays_table_between(t, to, from, &n, unloaded_year))
			return false;
		*count = -n;
		return true;
	}
	w.weekday = fq_workdays_weekday(from);
	while (w.day < to) {
		if (!step(&w))
			return false;
		if (working(t, w.day, w.weekday))
			n++;
	}
	*count = n;
	if (unloaded_year)
		*unloaded_year = w.unloaded;
	return true;
}

/* The rows of a load, gathered in a growing array. */
struct gather {
	struct fq_workdays_exception *days;
	size_t n, cap;
};

static enum fq_err gather_day(void *arg, int64_t day, bool workday)
{
	struct gather *g = arg;

	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct fq_workdays_exception *p = realloc(g->days, cap * sizeof(*p));

		if (!p)
			return FQ_ERR_NOMEM;
		g->days = p;
		g->cap = cap;
	}
	g->days[g->n++] = (struct fq_workdays_exception){day, workday};
	return FQ_OK;
}

enum fq_err fq_workdays_table_load(struct fq_ctx *c, int first_year, int last_year,
				   struct fq_workdays_table *t)
{
	struct gather g = {0};
	struct fq_workdays_exception *days = NULL;
	enum fq_err err;

	if (first_year < 1 || last_year > 9999 || last_year < first_year ||
	    last_year - first_year >= FQ_WORKDAYS_MAX_YEARS)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, NULL,
			       "a working-day table spans 1 to %d years of 1 to 9999, not %d to %d",
			       FQ_WORKDAYS_MAX_YEARS, first_year, last_year);
	err = fq_store_workdays_range(c->db, (int64_t)first_year * 10000 + 101,
				      (int64_t)last_year * 10000 + 1231, gather_day, &g);
	if (!err && g.n) {
		days = fq_arena_alloc(c->arena, g.n * sizeof(*days));
		if (days)
			memcpy(days, g.days, g.n * sizeof(*days));
		else
			err = FQ_ERR_NOMEM;
	}
	free(g.days);
	if (err)
		return fq_fail_keep(c->e, err, "cannot read the working-day calendar");
	fq_workdays_table_init(t, first_year, last_year, days, g.n);
	return FQ_OK;
}

/* ---- one query each ---- */

enum fq_err fq_workdays_is_working(struct fq_ctx *c, int64_t day, bool *working_day,
				   int *unloaded_year)
{
	struct fq_workdays_table t;
	int year = (int)(day / 10000);
	enum fq_err err;

	if (!is_date(day))
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_date", "date", "not a date: %lld",
			       (long long)day);
	err = fq_workdays_table_load(c, year, year, &t);
	if (err)
		return err;
	*working_day = fq_workdays_table_is_working(&t, day);
	if (unloaded_year)
		*unloaded_year = t.loaded[0] ? 0 : year;
	return FQ_OK;
}

enum fq_err fq_workdays_add(struct fq_ctx *c, int64_t day, int n, int64_t *out,
			    int *unloaded_year)
{
	struct fq_workdays_table t;
	int year = (int)(day / 10000), last;
	enum fq_err err;

	if (!is_date(day))
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_date", "from", "not a date: %lld",
			       (long long)day);
	if (n < 0 || n > FQ_WORKDAYS_MAX_N)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "days",
			       "count 0 to %d working days, not %d", FQ_WORKDAYS_MAX_N, n);
	/* A year holds at most FQ_WORKDAYS_MAX_PER_YEAR holidays, so at least
	 * 260 - 60 = 200 working days: (n + 199) / 200 whole years after the
	 * start's hold the answer, and one query reads them all. */
	last = year + (n + 199) / 200;
	if (last > 9999)
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_date", "from",
			       "%d working days after that day is past the year 9999", n);
	err = fq_workdays_table_load(c, year, last, &t);
	if (err)
		return err;
	if (!fq_workdays_table_add(&t, day, n, out, unloaded_year))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "calendar_too_full", "days",
			       "the calendar of %d to %d holds fewer working days than %d: "
			       "more than %d holidays in a year?",
			       year, last, n, FQ_WORKDAYS_MAX_PER_YEAR);
	return FQ_OK;
}

enum fq_err fq_workdays_between(struct fq_ctx *c, int64_t from, int64_t to, int64_t *count,
				int *unloaded_year)
{
	struct fq_workdays_table t;
	int64_t lo = from < to ? from : to, hi = from < to ? to : from;
	enum fq_err err;

	if (!is_date(from) || !is_date(to))
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_date", is_date(from) ? "to" : "from",
			       "not a date: %lld", (long long)(is_date(from) ? to : from));
	if (hi / 10000 - lo / 10000 >= FQ_WORKDAYS_MAX_YEARS)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "to",
			       "count working days over at most %d years", FQ_WORKDAYS_MAX_YEARS);
	err = fq_workdays_table_load(c, (int)(lo / 10000), (int)(hi / 10000), &t);
	if (err)
		return err;
	if (!fq_workdays_table_between(&t, from, to, count, unloaded_year))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "working days: table too short");
	return FQ_OK;
}

/* ---- the calendar as the sysadmin keeps it ---- */

static json_t *day_json(json_t *row)
{
	int64_t day = json_integer_value(json_object_get(row, "day"));
	json_t *by = json_object_get(row, "changed_by");
	char date[11];

	fq_date_format(day, date, sizeof(date));
	return json_pack("{sssOsOsisoso}", "date", date, "kind", json_object_get(row, "kind"),
			 "name", json_object_get(row, "name"), "weekday",
			 fq_workdays_weekday(day), "changed_by",
			 json_is_integer(by)
				 ? json_pack("{sOsO}", "id", by, "display_name",
					     json_object_get(row, "changed_by_name"))
				 : json_null(),
			 "changed_at", json_incref(json_object_get(row, "changed_at")));
}

/* Rows of the store → the API's days; steals rows. */
static json_t *days_json(struct fq_ctx *c, json_t *rows, enum fq_err err)
{
	json_t *out;
	size_t i;
	json_t *row;

	if (!rows) {
		fq_fail_keep(c->e, err ? err : FQ_ERR_STORE, "cannot read the working-day calendar");
		return NULL;
	}
	out = json_array();
	json_array_foreach(rows, i, row) json_array_append_new(out, day_json(row));
	json_decref(rows);
	return out;
}

json_t *fq_workdays_year_list(struct fq_ctx *c, int year)
{
	enum fq_err err = FQ_OK;

	return days_json(c,
			 fq_store_workdays_list(c->db, (int64_t)year * 10000 + 101,
						(int64_t)year * 10000 + 1231, &err),
			 err);
}

json_t *fq_workdays_day_get(struct fq_ctx *c, int64_t day)
{
	enum fq_err err = FQ_OK;
	json_t *days = days_json(c, fq_store_workdays_list(c->db, day, day, &err), err);
	json_t *one;

	if (!days)
		return NULL;
	one = json_incref(json_array_get(days, 0));
	json_decref(days);
	if (!one)
		fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, "date", "that day is not in the calendar");
	return one;
}

json_t *fq_workdays_years(struct fq_ctx *c)
{
	enum fq_err err = FQ_OK;
	json_t *rows = fq_store_workdays_years(c->db, &err);

	if (!rows)
		fq_fail_keep(c->e, err ? err : FQ_ERR_STORE, "cannot read the working-day calendar");
	return rows;
}

/* The rules of a day of the calendar. */
static enum fq_err check_day(struct fq_ctx *c, int64_t day, const char *kind, const char *name)
{
	int year = (int)(day / 10000), weekday;
	char date[11];

	if (!is_date(day) || year < FQ_WORKDAYS_YEAR_MIN || year > FQ_WORKDAYS_YEAR_MAX)
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_date", "date",
			       "give a date of the years %d to %d as YYYY-MM-DD",
			       FQ_WORKDAYS_YEAR_MIN, FQ_WORKDAYS_YEAR_MAX);
	if (!kind || (strcmp(kind, "holiday") && strcmp(kind, "workday")))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "kind",
			       "kind is holiday (a weekday off) or workday (a Saturday or Sunday "
			       "worked)");
	if (!name || !*name)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "name",
			       "name the holiday (e.g. 春节); a make-up day takes the name of "
			       "the holiday it makes up for");
	weekday = fq_workdays_weekday(day);
	fq_date_format(day, date, sizeof(date));
	if (!strcmp(kind, "holiday") && weekday >= 6)
		return fq_fail(c->e, FQ_ERR_INVALID, "weekend_holiday", "kind",
			       "%s is a %s, a rest day already: only a weekday can be a holiday",
			       date, weekday_names[weekday]);
	if (!strcmp(kind, "workday") && weekday <= 5)
		return fq_fail(c->e, FQ_ERR_INVALID, "weekday_workday", "kind",
			       "%s is a %s, a working day already: only a Saturday or Sunday "
			       "can be a make-up working day",
			       date, weekday_names[weekday]);
	return FQ_OK;
}

static int64_t caller(const struct fq_ctx *c)
{
	return c->who ? c->who->user_id : 0;
}

enum fq_err fq_workdays_day_add(struct fq_ctx *c, int64_t day, const char *kind,
				const char *name)
{
	int year = (int)(day / 10000);
	char *old_kind = NULL, *old_name = NULL;
	int64_t n = 0;
	enum fq_err err = check_day(c, day, kind, name);

	if (err)
		return err;
	err = fq_store_workdays_get(c->db, day, &old_kind, &old_name);
	free(old_kind);
	free(old_name);
	if (!err)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "exists", "date",
			       "that day is in the calendar already: change it instead");
	if (err != FQ_ERR_NOT_FOUND)
		return fq_fail_keep(c->e, err, "cannot read the working-day calendar");
	err = fq_store_workdays_count(c->db, (int64_t)year * 10000 + 101,
				      (int64_t)year * 10000 + 1231, &n);
	if (!err && n >= FQ_WORKDAYS_MAX_PER_YEAR)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "year_full", "date",
			       "%d holds %lld days already, the most a year may hold (%d)", year,
			       (long long)n, FQ_WORKDAYS_MAX_PER_YEAR);
	if (!err)
		err = fq_store_workdays_insert(c->db, day, kind, name, caller(c), fq_time_now_ms());
	if (err == FQ_ERR_CONFLICT) /* added by another request meanwhile */
		return fq_fail(c->e, FQ_ERR_CONFLICT, "exists", "date",
			       "that day is in the calendar already: change it instead");
	return err ? fq_fail_keep(c->e, err, "cannot save the day") : FQ_OK;
}

/* "kind name" as the day was, for the audit entry; NOT_FOUND when absent. */
static enum fq_err was_text(struct fq_ctx *c, int64_t day, const char **was)
{
	char *kind = NULL, *name = NULL;
	enum fq_err err = fq_store_workdays_get(c->db, day, &kind, &name);

	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, "date",
			       "that day is not in the calendar");
	if (err)
		return fq_fail_keep(c->e, err, "cannot read the working-day calendar");
	if (was)
		*was = fq_arena_printf(c->arena, "%s %s", kind, name);
	free(kind);
	free(name);
	return FQ_OK;
}

enum fq_err fq_workdays_day_change(struct fq_ctx *c, int64_t day, const char *kind,
				   const char *name, const char **was)
{
	int64_t changes = 0;
	enum fq_err err = was_text(c, day, was);

	if (!err)
		err = check_day(c, day, kind, name);
	if (err)
		return err;
	err = fq_store_workdays_update(c->db, day, kind, name, caller(c), fq_time_now_ms(),
				       &changes);
	if (!err && !changes)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, "date", "that day is not in the calendar");
	return err ? fq_fail_keep(c->e, err, "cannot save the day") : FQ_OK;
}

enum fq_err fq_workdays_day_remove(struct fq_ctx *c, int64_t day, const char **was)
{
	int64_t changes = 0;
	enum fq_err err = was_text(c, day, was);

	if (err)
		return err;
	err = fq_store_workdays_delete(c->db, day, &changes);
	if (!err && !changes)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, "date", "that day is not in the calendar");
	return err ? fq_fail_keep(c->e, err, "cannot remove the day") : FQ_OK;
}
