/* What places add to the work queue (work.h) and to the overview
 * (overview.h).
 *
 * Work: for the responsible officer, each of his places with an inspection
 * due within FQ_PLACE_DUE_AHEAD_MS or past due (kind place_inspection), and
 * each pending rectification, due at its deadline (place_rectification).
 * Sweep: when a deadline passes, the officer is told once (rectify_overdue).
 * Overview: for a unit, the places with an overdue inspection and with an
 * overdue rectification, each linking to the list with its filter. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/notify.h"
#include "domain/overview.h"
#include "domain/place.h"
#include "domain/work.h"
#include "store/place_store.h"
#include "core/banned.h"

static enum fq_err add_rows(struct fq_work_list *list, json_t *rows, const char *kind,
			    const char *why)
{
	enum fq_err err = FQ_OK;
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *pkind = json_string_value(json_object_get(row, "kind"));
		struct fq_work_item it = {
			.kind = kind,
			.why = why,
			.title = name ? name : "",
			.since = json_integer_value(json_object_get(row, "since_t")),
			.due = json_integer_value(json_object_get(row, "due_t")),
			.route = "place",
			.id = json_integer_value(json_object_get(row, "id")),
			.params = json_pack("{s:s}", "place_kind", pkind ? pkind : ""),
		};

		err = fq_work_add(list, &it);
		if (err)
			break;
	}
	return err;
}

enum fq_err fq_place_sweep(struct fq_ctx *c, int64_t now, int *made)
{
	enum fq_err err = FQ_OK;
	json_t *rows = fq_store_place_rectify_lapsed(c->db, now - FQ_PLACE_LAPSED_WINDOW_MS, now,
						     FQ_NOTIFY_SWEEP_BATCH, &err);
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		int64_t d = json_integer_value(json_object_get(row, "due_on"));
		char dedup[64], due[16];
		int one = 0;

		snprintf(due, sizeof(due), "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100),
			 (int)(d % 100));
		snprintf(dedup, sizeof(dedup), "rectify_overdue:%lld",
			 (long long)json_integer_value(json_object_get(row, "inspection_id")));
		err = fq_notify_at(c, now, json_integer_value(json_object_get(row, "officer_id")),
				   "rectify_overdue", "place",
				   json_integer_value(json_object_get(row, "id")),
				   json_pack("{s:O,s:s}", "name", json_object_get(row, "name"), "due_on",
					     due),
				   dedup, &one);
		if (err)
			break;
		*made += one;
	}
	json_decref(rows);
	if (err && !c->e->err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

enum fq_err fq_place_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows;

	if (!fq_principal_may(c->who, "place.read"))
		return FQ_OK;
	rows = fq_store_place_work_inspect(c->db, c->who->user_id, now + FQ_PLACE_DUE_AHEAD_MS,
					   FQ_WORK_PER_KIND, &err);
	if (rows)
		err = add_rows(list, rows, "place_inspection", "place_responsible");
	json_decref(rows);
	if (!err) {
		rows = fq_store_place_work_rectify(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err);
		if (rows)
			err = add_rows(list, rows, "place_rectification", "place_responsible");
		json_decref(rows);
	}
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}

/* ---- the overview ---- */

static json_t *status_filter(const char *status, int64_t unit_id)
{
	return json_pack("{s:s, s:I}", "status", status, "org_id", (json_int_t)unit_id);
}

static enum fq_err station(struct fq_overview *o)
{
	int64_t overdue = 0, rectify_overdue = 0;
	enum fq_err err;

	if (!fq_principal_may(o->c->who, "place.write"))
		return FQ_OK;
	err = fq_store_place_counts(o->c->db, o->lo, o->hi, o->now, &overdue, &rectify_overdue);
	if (err)
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	err = fq_overview_card(o, "places", "inspection_overdue", json_integer(overdue), NULL,
			       fq_overview_link("places", status_filter("overdue", o->unit_id)));
	if (!err)
		err = fq_overview_card(o, "places", "rectify_overdue", json_integer(rectify_overdue),
				       NULL,
				       fq_overview_link("places",
							status_filter("rectify_overdue", o->unit_id)));
	return err;
}

const struct fq_overview_provider fq_place_overview = {
	.permission = "place.read",
	.station = station,
};
