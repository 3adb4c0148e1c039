/* What disputes add to the work queue (work.h) and to the overview
 * (overview.h).
 *
 * Work: the open disputes I mediate (due by their tier's deadline), the
 * sessions of those disputes in the next days not yet recorded, the
 * disputes I registered or converted that still stand on-site with their
 * deadline near, and (for a chief) disputes up the ladder with nobody
 * mediating whose deadline is near.
 *
 * Overview: a unit's open disputes, overdue ones, registered and concluded
 * in the period and the success rate (agreed / concluded); the caller's own
 * open disputes and sessions. Each card links to the list with its filter. */
#include <jansson.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/banned.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/dispute_watch.h"
#include "domain/overview.h"
#include "domain/work.h"
#include "store/dispute_store.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
/* Sessions this far ahead are in the queue; deadlines this near. */
#define SESSION_AHEAD_DAYS 7
#define DEADLINE_NEAR_MS DAY_MS

static int64_t int_of(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

static const char *str_of(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

static enum fq_err add_rows(struct fq_ctx *c, struct fq_work_list *list, json_t *rows,
			    const char *kind, const char *why, const char *due_key)
{
	enum fq_err err = FQ_OK;
	json_t *row;
	size_t i;

	(void)c;
	json_array_foreach(rows, i, row) {
		struct fq_work_item it = {
			.kind = kind,
			.why = why,
			.title = str_of(row, "number"),
			.since = int_of(row, "since_t"),
			.due = int_of(row, due_key),
			.route = "dispute",
			.id = int_of(row, "id"),
			.params = json_pack("{s:s, s:s, s:s, s:s}", "type", str_of(row, "type"), "tier",
					    str_of(row, "tier"), "risk", str_of(row, "risk"), "place",
					    str_of(row, "place")),
		};
		err = fq_work_add(list, &it);
		if (err)
			break;
	}
	return err;
}

enum fq_err fq_dispute_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	char lo[256], hi[256];
	json_t *rows = NULL;

	if (fq_principal_may(c->who, "dispute.mediate")) {
		rows = fq_store_dispute_work_mine(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err);
		if (rows)
			err = add_rows(c, list, rows, "dispute_mediate", "assigned_mediator", "due_t");
		json_decref(rows);
		rows = NULL;
		if (!err)
			rows = fq_store_dispute_work_sessions(c->db, c->who->user_id, now - 12 * HOUR_MS,
							      now + SESSION_AHEAD_DAYS * DAY_MS,
							      FQ_WORK_PER_KIND, &err);
		if (rows)
			err = add_rows(c, list, rows, "dispute_session", "session_mine", "starts_t");
		json_decref(rows);
		rows = NULL;
	}
	if (!err && fq_principal_may(c->who, "dispute.write")) {
		fq_principal_scope(c->who, lo, hi, sizeof(lo));
		rows = fq_store_dispute_work_due(c->db, lo, hi, c->who->user_id,
						 now + DEADLINE_NEAR_MS, FQ_WORK_PER_KIND, &err);
		if (rows)
			err = add_rows(c, list, rows, "dispute_deadline", "onsite_yours", "due_t");
		json_decref(rows);
		rows = NULL;
		if (!err && !strcmp(c->who->role, "chief")) {
			rows = fq_store_dispute_work_due(c->db, lo, hi, 0, now + DEADLINE_NEAR_MS,
							 FQ_WORK_PER_KIND, &err);
			if (rows)
				err = add_rows(c, list, rows, "dispute_deadline", "tier_unassigned",
					       "due_t");
			json_decref(rows);
		}
	}
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}

/* ---- the overview ---- */

#define MODULE "disputes"
#define LIST "disputes"

/* part of whole in per cent, one decimal (half up); null when whole is 0. */
static json_t *rate(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return json_null();
	return json_real((double)((part * 2000 + whole) / (2 * whole)) / 10.0);
}

static json_t *filter(const char *k1, json_t *v1, const char *k2, json_t *v2)
{
	json_t *f = json_object();

	if (k1)
		json_object_set_new(f, k1, v1);
	if (k2)
		json_object_set_new(f, k2, v2);
	return f;
}

static json_t *period_filter(const struct fq_overview *o, const char *k, json_t *v)
{
	json_t *f = fq_overview_period_filter(o);

	if (f && k)
		json_object_set_new(f, k, v);
	if (f)
		json_object_set_new(f, "org_id", json_integer(o->unit_id));
	return f;
}

static enum fq_err station(struct fq_overview *o)
{
	struct fq_dispute_counts n = {0};
	enum fq_err err;

	/* A mediator's overview is her own (mine), never her unit's. */
	if (!fq_principal_may(o->c->who, "dispute.write"))
		return FQ_OK;
	err = fq_store_dispute_counts(o->c->db, o->lo, o->hi, o->now, o->from_ms, o->to_ms, &n);
	if (err)
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	err = fq_overview_card(o, MODULE, "open", json_integer(n.open), NULL,
			       fq_overview_link(LIST, filter("status", json_string("open"), "org_id",
							     json_integer(o->unit_id))));
	if (!err)
		err = fq_overview_card(o, MODULE, "overdue", json_integer(n.overdue), NULL,
				       fq_overview_link(LIST, filter("overdue", json_true(), "org_id",
								     json_integer(o->unit_id))));
	if (!err)
		err = fq_overview_card(o, MODULE, "registered", json_integer(n.registered), NULL,
				       fq_overview_link(LIST, period_filter(o, NULL, NULL)));
	if (!err)
		err = fq_overview_card(
			o, MODULE, "concluded", json_integer(n.concluded), NULL,
			fq_overview_link(LIST, period_filter(o, "concluded", json_true())));
	if (!err)
		err = fq_overview_card(
			o, MODULE, "success_rate", rate(n.agreed, n.concluded),
			json_pack("{s:I, s:I}", "agreed", (json_int_t)n.agreed, "concluded",
				  (json_int_t)n.concluded),
			fq_overview_link(LIST, period_filter(o, "outcome", json_string("agreed"))));
	if (!err) /* the escalation watch's cards and chart (domain/dispute_watch.c) */
		err = fq_dispute_watch_overview(o);
	return err;
}

static enum fq_err mine(struct fq_overview *o)
{
	int64_t open = 0, sessions = 0;
	enum fq_err err;

	if (!fq_principal_may(o->c->who, "dispute.mediate"))
		return FQ_OK;
	err = fq_store_dispute_counts_mine(o->c->db, o->c->who->user_id, o->now,
					   o->now + SESSION_AHEAD_DAYS * DAY_MS, &open, &sessions);
	if (err)
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	err = fq_overview_card(o, MODULE, "mine_open", json_integer(open), NULL,
			       fq_overview_link(LIST, filter("status", json_string("open"), "mediator",
							     json_integer(o->c->who->user_id))));
	if (!err)
		err = fq_overview_card(o, MODULE, "mine_sessions", json_integer(sessions), NULL,
				       fq_overview_link("work", json_object()));
	return err;
}

/* The long poll's stamp: a dispute written (registered, handed on,
 * concluded …) moves an open overview at once. */
static enum fq_err stamp(struct fq_overview *o, int64_t since, uint64_t *h)
{
	enum fq_err err = o->mine ? fq_store_dispute_stamp_mine(o->c->db, o->c->who->user_id, h)
				  : fq_store_dispute_stamp(o->c->db, o->lo, o->hi, since, h);

	return err ? fq_fail(o->c->e, err, NULL, NULL, NULL) : FQ_OK;
}

const struct fq_overview_provider fq_dispute_overview = {
	.permission = "dispute.read",
	.station = station,
	.mine = mine,
	.stamp = stamp,
};
