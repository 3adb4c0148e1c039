/* What incidents add to the overview (domain/overview.h): a unit's calls of
 * the period — received, open, late arrivals, on-time arrival rate, repeats,
 * responders free, satisfaction — and charts of calls per hour, per unit,
 * closures by disposal and follow-up satisfaction; the caller's own calls.
 * Every figure links to the incident list with the filter that shows its
 * rows (GET /api/incidents: from, to, late, repeat, hour, org_id, disposal,
 * satisfaction). */
#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "core/banned.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/overview.h"
#include "store/duty_store.h"
#include "store/figures_store.h"
#include "store/incident_store.h"

#define MODULE "incidents"
#define LIST "incidents"

/* The period's filter with one more argument (value stolen). */
static json_t *period_and(const struct fq_overview *o, const char *key, json_t *value)
{
	json_t *f = fq_overview_period_filter(o);

	if (f && key && json_object_set_new(f, key, value)) {
		json_decref(f);
		return NULL;
	}
	if (!key)
		json_decref(value);
	return f;
}

static json_t *link_period(const struct fq_overview *o, const char *key, json_t *value)
{
	return fq_overview_link(LIST, period_and(o, key, value));
}

/* part of whole in per cent, rounded to one decimal (half up); null when
 * whole is 0. */
static json_t *rate(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return json_null();
	return json_real((double)((part * 2000 + whole) / (2 * whole)) / 10.0);
}

static enum fq_err store_fail(struct fq_overview *o, enum fq_err err)
{
	return fq_fail(o->c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

/* Points of a chart from counted groups [{key, label?, n}]: label the
 * label or the key as text, value n, filter the period and key as
 * filter_key (the hour and unit as numbers, codes as text). Steals rows. */
static json_t *points(const struct fq_overview *o, json_t *rows, const char *filter_key)
{
	json_t *out = json_array(), *row;
	size_t k;

	json_array_foreach(rows, k, row) {
		json_t *key = json_object_get(row, "key"), *label = json_object_get(row, "label");
		json_t *p;

		if (!json_is_string(label))
			label = json_is_integer(key) ? json_sprintf("%lld", (long long)json_integer_value(key))
						     : json_incref(key);
		else
			json_incref(label);
		p = json_pack("{s:o, s:O, s:o}", "label", label, "value", json_object_get(row, "n"),
			      "filter", period_and(o, filter_key, json_incref(key)));
		if (!p || json_array_append_new(out, p)) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	json_decref(rows);
	return out;
}

/* The 24 hours, each with its count (0 where no call came). */
static json_t *hours(const struct fq_overview *o, json_t *rows)
{
	json_t *full = json_array(), *row;
	int64_t n[24] = {0};
	size_t k;

	json_array_foreach(rows, k, row) {
		int64_t h = json_integer_value(json_object_get(row, "key"));
		if (h >= 0 && h < 24)
			n[h] = json_integer_value(json_object_get(row, "n"));
	}
	json_decref(rows);
	for (int h = 0; full && h < 24; h++)
		if (json_array_append_new(full, json_pack("{s:I, s:I}", "key", (json_int_t)h, "n",
							  (json_int_t)n[h]))) {
			json_decref(full);
			full = NULL;
		}
	return full ? points(o, full, "hour") : NULL;
}

/* Staff on the current shifts of the unit's station (the unit itself when it
 * lies in no station), and how many of them are on no open call. */
static enum fq_err free_staff(struct fq_overview *o, int64_t *on_duty, int64_t *free)
{
	struct fq_ctx *c = o->c;
	int64_t station = 0;
	enum fq_err err = fq_store_duty_station_of(c->db, o->unit_path, &station);
	json_t *staff, *s;
	size_t k;

	if (err && err != FQ_ERR_NOT_FOUND)
		return store_fail(o, err);
	staff = fq_duty_current_staff(c, station ? station : o->unit_id, o->now);
	if (!staff)
		return c->e->err;
	*on_duty = (int64_t)json_array_size(staff);
	*free = 0;
	json_array_foreach(staff, k, s) {
		int64_t busy = 0;
		err = fq_store_responder_busy(c->db, json_integer_value(json_object_get(s, "user_id")),
					      &busy);
		if (err)
			break;
		*free += !busy;
	}
	json_decref(staff);
	return err ? store_fail(o, err) : FQ_OK;
}

static enum fq_err station(struct fq_overview *o)
{
	static const struct {
		const char *key, *filter;
		enum fq_figures_by by;
		const char *kind;
	} charts[] = {
		{"by_hour", "hour", FQ_BY_HOUR, "bar"},
		{"by_unit", "org_id", FQ_BY_UNIT, "bar"},
		{"disposals", "disposal", FQ_BY_DISPOSAL, "pie"},
		{"satisfaction", "satisfaction", FQ_BY_SATISFACTION, "pie"},
	};
	struct fq_db *db = o->c->db;
	struct fq_incident_figures f;
	int64_t on_duty = 0, free = 0, satisfied = 0, followups = 0;
	json_t *sat = NULL;
	enum fq_err err = fq_store_figures_incidents(db, o->lo, o->hi, o->from_day, o->to_day,
						     o->now, &f);

	if (err)
		return store_fail(o, err);
	if ((err = free_staff(o, &on_duty, &free)))
		return err;
	/* Satisfied: the first three answers of fq_incident_satisfaction (满意率
	 * counts 非常满意, 满意 and 基本满意), of the follow-ups that gave one.
	 * The same rows make the satisfaction chart below (asked once). */
	sat = fq_store_figures_incidents_by(db, FQ_BY_SATISFACTION, o->lo, o->hi, o->from_day,
					    o->to_day, &err);
	if (!sat)
		return store_fail(o, err);
	{
		json_t *row;
		size_t k;

		json_array_foreach(sat, k, row) {
			int64_t n = json_integer_value(json_object_get(row, "n"));
			const char *key = json_string_value(json_object_get(row, "key"));

			followups += n;
			if (key && strcmp(key, "dissatisfied"))
				satisfied += n;
		}
	}

	err = fq_overview_card(o, MODULE, "received", json_integer(f.received), NULL,
			       link_period(o, NULL, NULL));
	if (!err)
		err = fq_overview_card(o, MODULE, "open", json_integer(f.open), NULL,
				       fq_overview_link(LIST, json_pack("{s:s}", "status", "open")));
	if (!err)
		err = fq_overview_card(o, MODULE, "late", json_integer(f.late), NULL,
				       link_period(o, "late", json_true()));
	if (!err)
		err = fq_overview_card(o, MODULE, "on_time_rate", rate(f.on_time, f.timed),
				       json_pack("{s:I, s:I}", "on_time", (json_int_t)f.on_time,
						 "arrived", (json_int_t)f.timed),
				       link_period(o, NULL, NULL));
	if (!err)
		err = fq_overview_card(o, MODULE, "closed", json_integer(f.closed), NULL,
				       link_period(o, "closed", json_true()));
	if (!err)
		err = fq_overview_card(o, MODULE, "satisfaction_rate", rate(satisfied, followups),
				       json_pack("{s:I, s:I}", "satisfied", (json_int_t)satisfied,
						 "followups", (json_int_t)followups),
				       link_period(o, "followed_up", json_true()));
	if (!err)
		err = fq_overview_card(o, MODULE, "repeats", json_integer(f.repeats), NULL,
				       link_period(o, "repeat", json_true()));
	if (!err)
		err = fq_overview_card(o, MODULE, "free", json_integer(free),
				       json_pack("{s:I}", "on_duty", (json_int_t)on_duty),
				       fq_overview_link("incidentBoard", NULL));
	for (size_t i = 0; !err && i < sizeof(charts) / sizeof(charts[0]); i++) {
		json_t *rows = charts[i].by == FQ_BY_SATISFACTION
				       ? json_incref(sat)
				       : fq_store_figures_incidents_by(db, charts[i].by, o->lo, o->hi,
								       o->from_day, o->to_day, &err);
		json_t *pts;

		if (!rows) {
			json_decref(sat);
			return store_fail(o, err);
		}
		pts = charts[i].by == FQ_BY_HOUR ? hours(o, rows) : points(o, rows, charts[i].filter);
		if (!pts) {
			json_decref(sat);
			return store_fail(o, FQ_ERR_NOMEM);
		}
		err = fq_overview_chart(o, MODULE, charts[i].key, charts[i].kind, LIST, pts);
	}
	json_decref(sat);
	return err;
}

static enum fq_err mine(struct fq_overview *o)
{
	int64_t open, dispatched, arrived;
	enum fq_err err = fq_store_figures_my_calls(o->c->db, o->c->who->user_id, o->from_ms,
						    o->to_ms, &open, &dispatched, &arrived);

	if (err)
		return store_fail(o, err);
	err = fq_overview_card(o, MODULE, "my_open", json_integer(open), NULL,
			       fq_overview_link("incidentBoard", NULL));
	if (!err)
		err = fq_overview_card(o, MODULE, "my_dispatched", json_integer(dispatched),
				       json_pack("{s:I}", "arrived", (json_int_t)arrived),
				       fq_overview_link("incidentBoard", NULL));
	return err;
}

const struct fq_overview_provider fq_incident_overview = {
	.permission = "incident.read",
	.station = station,
	.mine = mine,
};
