/* The working-day calendar (工作日). Monday to Friday are working days and
 * Saturday and Sunday rest days, except the days the calendar lists: a
 * holiday (a weekday off, 放假) or a make-up working day (a Saturday or
 * Sunday worked, 调休上班), as the State Council's yearly notice
 * (国务院办公厅关于YYYY年部分节假日安排的通知) arranges them. One national
 * calendar per deployment, shipped for 2026 (migration 015) and kept by the
 * sysadmin (/api/calendar).
 *
 * Days are local calendar days written YYYYMMDD (20260216), as everywhere in
 * the product: fq_time_local_day(ms, c->cfg->utc_offset_minutes, NULL)
 * (core/time.h) turns a time into one.
 *
 * Counting. "Within N working days of day D" ends on the Nth working day
 * after D: D itself is not counted, whether or not it is a working day, and
 * counting starts the next day (期间开始之日不计算在内, 《公安机关办理行政案件
 * 程序规定》 on periods). 《公安机关治安调解工作规范》 (公通字〔2007〕81号) art. 9:
 * the mediation within 3 working days after the case is accepted (or after
 * the injury or value assessment is issued), a second one within 7 working
 * days after the first: fq_workdays_add(c, accepted_day, 3, …) is the last
 * day of the first.
 *
 * Years without an arrangement. A year in which the calendar has no day has
 * no arrangement loaded: its days count as the plain week. Each function
 * that counts across such a year says which (*unloaded_year, the first such
 * year it crossed; 0 when every year it crossed is loaded), so that a caller
 * can say "assumes plain weekends: the 2028 arrangement is not loaded".
 *
 * Cost. The fq_workdays_* functions taking a struct fq_ctx run one query
 * each, in the caller's transaction (they see its own changes). A caller
 * that counts many deadlines at once (a list, a work queue) loads a table
 * once with fq_workdays_table_load and calls the fq_workdays_table_*
 * functions, which run no query. There is no cache across requests: see
 * docs/internals.md "Working days" for why. */
#ifndef FQ_WORKDAYS_H
#define FQ_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

#define FQ_WORKDAYS_YEAR_MIN 2000  /* the years the calendar may hold days of */
#define FQ_WORKDAYS_YEAR_MAX 2099
#define FQ_WORKDAYS_MAX_PER_YEAR 60 /* days of one year in the calendar */
#define FQ_WORKDAYS_MAX_N 1000      /* working days one call adds */
#define FQ_WORKDAYS_MAX_YEARS 50    /* years one table spans */
#define FQ_WORKDAYS_NAME_MAX 20     /* characters of a holiday's name */

extern const char *const fq_workdays_kinds[]; /* "holiday" "workday"; NULL-terminated */

/* ISO weekday of a YYYYMMDD day: 1 Monday … 7 Sunday. day must be a date. */
int fq_workdays_weekday(int64_t day);

/* ---- a loaded span of years ---- */

/* One day of the calendar. */
struct fq_workdays_exception {
	int64_t day;  /* YYYYMMDD */
	bool workday; /* true: a make-up working day; false: a holiday */
};

/* The calendar of the whole years first_year … last_year: their exceptions,
 * sorted by day, and which of those years have an arrangement. */
struct fq_workdays_table {
	int first_year, last_year;
	const struct fq_workdays_exception *days; /* ndays, sorted; arena memory */
	size_t ndays;
	bool loaded[FQ_WORKDAYS_MAX_YEARS]; /* [year - first_year] */
};

/* Reads the calendar of first_year … last_year (at most
 * FQ_WORKDAYS_MAX_YEARS, within 1 … 9999) into *t, in c->arena: one query.
 * FQ_ERR_INVALID for a span out of bounds (a programming error: c->e says
 * which); FQ_ERR_STORE. */
enum fq_err fq_workdays_table_load(struct fq_ctx *c, int first_year, int last_year,
				   struct fq_workdays_table *t);
/* Fills *t from days (borrowed: sorted by day, each within the years) and
 * the years that count as loaded: those holding a day. For tests and
 * callers with a calendar of their own. False for a bad span. */
bool fq_workdays_table_init(struct fq_workdays_table *t, int first_year, int last_year,
			    const struct fq_workdays_exception *days, size_t ndays);

/* Whether year lies in the table and has an arrangement. */
bool fq_workdays_table_year_loaded(const struct fq_workdays_table *t, int year);
/* Whether day is a working day. A day outside the table's years is judged
 * by the plain week, as a year without arrangement. */
bool fq_workdays_table_is_working(const struct fq_workdays_table *t, int64_t day);
/* The nth working day after day (n from 0 to FQ_WORKDAYS_MAX_N; n = 0 gives
 * day itself) into *out. False when the count runs past the table's last
 * year (load more years) or n is out of bounds; *out is then untouched.
 * *unloaded_year (may be NULL): see the top of this file. */
bool fq_workdays_table_add(const struct fq_workdays_table *t, int64_t day, int n, int64_t *out,
			   int *unloaded_year);
/* The number of working days d with from < d <= to (negative, counted the
 * same way from to, when to < from): fq_workdays_table_between(t, d,
 * fq_workdays_table_add(t, d, n)) is n. False when a day of (from, to]
 * lies outside the table. */
bool fq_workdays_table_between(const struct fq_workdays_table *t, int64_t from, int64_t to,
			       int64_t *count, int *unloaded_year);

/* ---- one query each, in the caller's transaction ---- */

/* Whether day is a working day; *unloaded_year (may be NULL) is day's year
 * when that year has no arrangement, else 0. FQ_ERR_INVALID when day is not
 * a date; FQ_ERR_STORE. */
enum fq_err fq_workdays_is_working(struct fq_ctx *c, int64_t day, bool *working,
				   int *unloaded_year);
/* The nth working day after day into *out (n from 0 to FQ_WORKDAYS_MAX_N).
 * FQ_ERR_INVALID for day not a date (field "from") or n out of bounds
 * ("days");
 * FQ_ERR_CONFLICT if the calendar holds fewer working days than a year of
 * FQ_WORKDAYS_MAX_PER_YEAR holidays would (only when written around the
 * API); FQ_ERR_STORE. */
enum fq_err fq_workdays_add(struct fq_ctx *c, int64_t day, int n, int64_t *out,
			    int *unloaded_year);
/* The working days d with from < d <= to, as fq_workdays_table_between;
 * the two days at most FQ_WORKDAYS_MAX_YEARS years apart (FQ_ERR_INVALID).
 * FQ_ERR_STORE. */
enum fq_err fq_workdays_between(struct fq_ctx *c, int64_t from, int64_t to, int64_t *count,
				int *unloaded_year);

/* ---- the calendar as the sysadmin keeps it (/api/calendar) ---- */

/* The days of year in the calendar, as the API lists them: {date, kind,
 * name, weekday, changed_by: {id, display_name} | null, changed_at}; NULL
 * on failure (c->e). */
json_t *fq_workdays_year_list(struct fq_ctx *c, int year);
/* Every year that has days in the calendar: [{year, holidays, workdays}],
 * oldest first; NULL on failure. */
json_t *fq_workdays_years(struct fq_ctx *c);

/* Adds day (YYYYMMDD) to the calendar as kind ("holiday" or "workday")
 * named name; the caller is noted as having changed it. Errors name the
 * field: "date" (not a date of FQ_WORKDAYS_YEAR_MIN … MAX: bad_date;
 * already in the calendar: 409 exists; the year full: 409 year_full),
 * "kind" (a holiday on a Saturday or Sunday: weekend_holiday; a make-up
 * day on a weekday: weekday_workday), "name". */
enum fq_err fq_workdays_day_add(struct fq_ctx *c, int64_t day, const char *kind,
				const char *name);
/* Changes a day in the calendar (404 when it is not in it); the same rules.
 * *was (may be NULL) gets "kind name" as it was, in c->arena, for the
 * audit entry. */
enum fq_err fq_workdays_day_change(struct fq_ctx *c, int64_t day, const char *kind,
				   const char *name, const char **was);
/* Removes a day from the calendar (it becomes a plain day of its week
 * again); 404 when it is not in it. *was as above. */
enum fq_err fq_workdays_day_remove(struct fq_ctx *c, int64_t day, const char **was);
/* One day of the calendar as the list shows it; NULL (404) when not in it. */
json_t *fq_workdays_day_get(struct fq_ctx *c, int64_t day);

#endif
