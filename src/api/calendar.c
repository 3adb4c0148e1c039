/* The /api/calendar handlers: the working-day calendar (domain/workdays.h).
 * Every member of staff may read it and count working days on it; only the
 * sysadmin adds, changes or removes a day. */
#include <jansson.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/workdays.h"
#include "http/request.h"
#include "store/dump.h"

static const char *const day_fields[] = {"date", "kind", "name", NULL};
static const char *const change_fields[] = {"kind", "name", NULL};

/* The station's local day now. */
static int64_t today(const struct fq_ctx *c)
{
	return fq_time_local_day(fq_time_now_ms(), c->cfg->utc_offset_minutes, NULL);
}

/* The years an admin should load and has not: this year, and from November
 * (when the State Council usually publishes it) the next. */
static json_t *missing_years(json_t *years, int64_t now_day)
{
	int year = (int)(now_day / 10000), want[2] = {year, now_day / 100 % 100 >= 11 ? year + 1 : 0};
	json_t *out = json_array();

	for (int i = 0; i < 2 && want[i]; i++) {
		bool found = false;
		size_t k;
		json_t *y;

		json_array_foreach(years, k, y) found |=
			json_integer_value(json_object_get(y, "year")) == want[i];
		if (!found)
			json_array_append_new(out, json_integer(want[i]));
	}
	return out;
}

FQ_HANDLER(fq_api_calendar_year)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t now_day = today(&c), year = now_day / 10000;
	bool present, loaded = false;
	json_t *days, *years, *y;
	char date[11];
	size_t i;
	enum fq_err err = fq_in_query_int(r, "year", FQ_WORKDAYS_YEAR_MIN, FQ_WORKDAYS_YEAR_MAX,
					  &year, &present);

	if (err)
		return err;
	days = fq_workdays_year_list(&c, (int)year);
	years = days ? fq_workdays_years(&c) : NULL;
	if (!years) {
		json_decref(days);
		return r->error.err;
	}
	json_array_foreach(years, i, y) loaded |= json_integer_value(json_object_get(y, "year")) == year;
	fq_date_format(now_day, date, sizeof(date));
	return fq_api_reply(r, 200,
			    json_pack("{sIsbsosossso}", "year", (json_int_t)year, "loaded", loaded,
				      "days", days, "years", years, "today", date, "missing_years",
				      missing_years(years, now_day)));
}

FQ_HANDLER(fq_api_calendar_add)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t from = 0, n = 0, out = 0;
	int unloaded = 0;
	bool present = false;
	char from_s[11], out_s[11];
	enum fq_err err = fq_in_query_date(r, "from", &from);

	if (!err && !from)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "from",
				  "from is the day counting starts after, like 2026-05-01");
	if (!err)
		err = fq_in_query_int(r, "days", 0, FQ_WORKDAYS_MAX_N, &n, &present);
	if (!err && !present)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "days",
				  "days is the number of working days to count, 0 to %d",
				  FQ_WORKDAYS_MAX_N);
	if (!err)
		err = fq_workdays_add(&c, from, (int)n, &out, &unloaded);
	if (err)
		return err;
	fq_date_format(from, from_s, sizeof(from_s));
	fq_date_format(out, out_s, sizeof(out_s));
	return fq_api_reply(r, 200,
			    json_pack("{sssIsssiso}", "from", from_s, "days", (json_int_t)n, "date",
				      out_s, "weekday", fq_workdays_weekday(out), "unloaded_year",
				      unloaded ? json_integer(unloaded) : json_null()));
}

/* The day of the path, as YYYYMMDD. */
static enum fq_err path_day(struct fq_req *r, int64_t *day)
{
	const char *p = fq_req_param(r, 0);

	if (!p || !fq_date_parse(p, day))
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_date", "date",
				   "the path ends with a date like 2026-05-01, not '%.20s'",
				   p ? p : "");
	fq_api_audit_object(r, "calendar_day", *day);
	return FQ_OK;
}

FQ_HANDLER(fq_api_calendar_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t day = 0;
	const char *kind = NULL, *name = NULL;
	enum fq_err err = fq_in_only(r, day_fields);

	if (!err)
		err = fq_in_date(r, "date", FQ_IN_REQUIRED, &day);
	if (!err)
		fq_api_audit_object(r, "calendar_day", day);
	if (!err)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_workdays_kinds, &kind);
	if (!err)
		err = fq_in_text(r, "name", FQ_IN_REQUIRED, FQ_WORKDAYS_NAME_MAX, &name);
	if (!err)
		err = fq_workdays_day_add(&c, day, kind, name);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "%s %s", kind, name);
	return fq_api_reply(r, 201, fq_workdays_day_get(&c, day));
}

FQ_HANDLER(fq_api_calendar_change)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t day = 0;
	const char *kind = NULL, *name = NULL, *was = NULL;
	enum fq_err err = path_day(r, &day);

	if (!err)
		err = fq_in_only(r, change_fields);
	if (!err)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_workdays_kinds, &kind);
	if (!err)
		err = fq_in_text(r, "name", FQ_IN_REQUIRED, FQ_WORKDAYS_NAME_MAX, &name);
	if (!err)
		err = fq_workdays_day_change(&c, day, kind, name, &was);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "was %s, now %s %s", was, kind, name);
	return fq_api_reply(r, 200, fq_workdays_day_get(&c, day));
}

FQ_HANDLER(fq_api_calendar_remove)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t day = 0;
	const char *was = NULL;
	char date[11];
	enum fq_err err = path_day(r, &day);

	if (!err)
		err = fq_in_only(r, (const char *const[]){NULL});
	if (!err)
		err = fq_workdays_day_remove(&c, day, &was);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "was %s", was);
	fq_date_format(day, date, sizeof(date));
	return fq_api_reply(r, 200, json_pack("{sssb}", "date", date, "removed", 1));
}

/* Who may do what: the calendar is no secret (every member of staff counts
 * deadlines on it); changing it moves every legal deadline, so only the
 * sysadmin does, and every change is audited. */
static const struct fq_route routes[] = {
	/* method  path                        handler                  permission        audit action            flags summary */
	{"GET",    "/api/calendar",            fq_api_calendar_year,    "calendar.read",  NULL,                   0, "a year of the working-day calendar, and the years loaded"},
	{"GET",    "/api/calendar/add",        fq_api_calendar_add,     "calendar.read",  NULL,                   0, "the day N working days after a day"},
	{"POST",   "/api/calendar/days",       fq_api_calendar_create,  "calendar.admin", "calendar.day_create",  0, "add a holiday or make-up working day"},
	{"PUT",    "/api/calendar/days/{date}", fq_api_calendar_change, "calendar.admin", "calendar.day_update",  0, "change a day of the calendar"},
	{"DELETE", "/api/calendar/days/{date}", fq_api_calendar_remove, "calendar.admin", "calendar.day_delete",  0, "remove a day from the calendar"},
};

/* Staff; not the security administrator nor the auditor, whose work has no
 * deadlines (三员分立: they hold only what their duty needs), nor volunteers
 * and residents. */
static const struct fq_permission_grant permissions[] = {
	{"calendar.read", "sysadmin chief officer aux mediator counselor"},
	{"calendar.admin", "sysadmin"},
	{NULL, NULL},
};

/* The shipped rows (migration 015) are in every new store: an import
 * replaces them with the file's. */
static const struct fq_dump_table tables[] = {
	{"calendar_days", {"day"}, NULL, 0, true},
	{NULL},
};

const struct fq_module fq_module_calendar = {
	.name = "calendar",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.tables = tables,
};
