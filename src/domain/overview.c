/* The station overview: the period, the unit and the cards and charts the
 * modules' providers add (domain/overview.h). */
#include "domain/overview.h"

#include <jansson.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "store/org_store.h"

const char *const fq_overview_periods[] = {"today", "week", NULL};

/* The local days of the period and their bounds in ms. */
static enum fq_err period_bounds(struct fq_overview *o)
{
	int64_t offset = o->c->cfg->utc_offset_minutes;
	int64_t today = fq_time_local_day(o->now, offset, NULL);

	o->to_day = today;
	o->from_day = today;
	if (!strcmp(o->period, "week")) {
		/* 1970-01-01 was a Thursday: Monday is 0. */
		int64_t days = fq_days_from_civil((int)(today / 10000), (int)(today / 100 % 100),
						  (int)(today % 100));
		int64_t weekday = ((days + 3) % 7 + 7) % 7;
		o->from_day = fq_date_add(today, -weekday);
	}
	if (!fq_time_day_start(o->from_day, offset, &o->from_ms) ||
	    !fq_time_day_start(fq_date_add(o->to_day, 1), offset, &o->to_ms))
		return fq_fail(o->c->e, FQ_ERR_INTERNAL, NULL, NULL, "the local day is not a date");
	return FQ_OK;
}

enum fq_err fq_overview_begin(struct fq_ctx *c, struct fq_overview *o, bool mine,
			      const char *period, int64_t unit_id)
{
	struct fq_org_row row;
	enum fq_err err;

	memset(o, 0, sizeof(*o));
	o->c = c;
	o->mine = mine;
	o->period = period ? period : "today";
	o->now = fq_time_now_ms();
	o->cards = json_array();
	o->charts = json_array();
	if (!o->cards || !o->charts)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if ((err = period_bounds(o)))
		return err;
	/* A unit is seen whole or not at all: one above the caller's own would
	 * count records outside their scope. */
	if (!unit_id)
		unit_id = c->who->org_id;
	err = fq_store_org_get(c->db, unit_id, &row);
	if (err && err != FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (err || !fq_principal_sees(c->who, row.path))
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, "org_id",
			       "org unit %lld does not exist or is outside your area",
			       (long long)unit_id);
	o->unit_id = row.id;
	fq_strlcpy(o->unit_name, row.name, sizeof(o->unit_name));
	fq_strlcpy(o->unit_path, row.path, sizeof(o->unit_path));
	fq_org_subtree(row.path, o->lo, o->hi, sizeof(o->lo));
	return FQ_OK;
}

void fq_overview_release(struct fq_overview *o)
{
	json_decref(o->cards);
	json_decref(o->charts);
	o->cards = o->charts = NULL;
}

/* Appends v (stolen) to list, failing with FQ_ERR_NOMEM. */
static enum fq_err add(struct fq_overview *o, json_t *list, json_t *v)
{
	if (!v || json_array_append_new(list, v))
		return fq_fail(o->c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return FQ_OK;
}

enum fq_err fq_overview_card(struct fq_overview *o, const char *module, const char *key,
			     json_t *value, json_t *detail, json_t *link)
{
	json_t *card = json_pack("{s:s, s:s, s:o, s:o, s:o}", "module", module, "key", key,
				 "value", value ? value : json_null(), "detail",
				 detail ? detail : json_null(), "link", link ? link : json_null());

	return add(o, o->cards, card);
}

enum fq_err fq_overview_chart(struct fq_overview *o, const char *module, const char *key,
			      const char *kind, const char *list, json_t *points)
{
	json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:o}", "module", module, "key", key,
				  "kind", kind, "list", list, "points",
				  points ? points : json_array());

	return add(o, o->charts, chart);
}

json_t *fq_overview_link(const char *list, json_t *filter)
{
	return json_pack("{s:s, s:o}", "list", list, "filter", filter ? filter : json_object());
}

json_t *fq_overview_period_filter(const struct fq_overview *o)
{
	char from[11], to[11];

	fq_date_format(o->from_day, from, sizeof(from));
	fq_date_format(o->to_day, to, sizeof(to));
	return json_pack("{s:s, s:s}", "from", from, "to", to);
}

json_t *fq_overview_json(struct fq_overview *o)
{
	char from[11], to[11], now[21];
	json_t *out;

	fq_date_format(o->from_day, from, sizeof(from));
	fq_date_format(o->to_day, to, sizeof(to));
	fq_time_format(o->now, now, sizeof(now));
	out = json_pack("{s:s, s:s, s:s, s:s, s:{s:I, s:s}, s:O, s:O}", "period", o->period,
			"from", from, "to", to, "now", now, "unit", "id", (json_int_t)o->unit_id,
			"name", o->unit_name, "cards", o->cards, "charts", o->charts);
	if (!out)
		fq_fail(o->c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return out;
}
