/* The incidents' work provider (work.h): calls I was dispatched to and have
 * not finished, the day's open calls of the shift I lead, and follow-up
 * calls due on the incidents I closed. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/incident.h"
#include "domain/work.h"
#include "store/work_store.h"

#define MINUTE_MS 60000LL
#define HOUR_MS (60 * MINUTE_MS)

static int64_t int_of(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

static const char *str_of(json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

/* "LL-2026-000123 · 幸福路 12 号": the number and, when known, the place. */
static const char *title_of(struct fq_ctx *c, json_t *row)
{
	const char *number = str_of(row, "number"), *place = str_of(row, "address_text");

	return place && *place ? fq_arena_printf(c->arena, "%s · %s", number, place) : number;
}

static json_t *params_of(json_t *row)
{
	const char *status = str_of(row, "status");

	return json_pack("{s:O,s:s,s:b}", "category", json_object_get(row, "category"), "status",
			 status ? status : "closed", "emergency", int_of(row, "emergency") != 0);
}

static enum fq_err add(struct fq_work_list *list, const char *kind, const char *why,
		       const char *title, int64_t since, int64_t due, int64_t id, json_t *params)
{
	struct fq_work_item it = {.kind = kind, .why = why, .title = title, .since = since,
				  .due = due, .route = "incident", .id = id, .params = params};

	return fq_work_add(list, &it);
}

static enum fq_err dispatched(struct fq_ctx *c, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows = fq_store_work_dispatched(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err),
	       *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		int64_t since = int_of(row, "since_t"), arrived = int_of(row, "arrived_t"),
			target = int_of(row, "target_minutes");

		/* Not there yet: due by the arrival target. There: handle and close. */
		err = arrived ? add(list, "incident_finish", "on_scene", title_of(c, row), arrived, 0,
				    int_of(row, "id"), params_of(row))
			      : add(list, "incident_arrive", "dispatched", title_of(c, row), since,
				    target > 0 ? since + target * MINUTE_MS : 0, int_of(row, "id"),
				    params_of(row));
		if (err)
			break;
	}
	json_decref(rows);
	return err;
}

/* [lo, hi) of the paths under path: the last '/' becomes '0'. False when
 * it does not fit. */
static bool range_of(const char *path, char *lo, char *hi, size_t size)
{
	size_t n = strlen(path);

	if (!n || n >= size || path[n - 1] != '/')
		return false;
	memcpy(lo, path, n + 1);
	memcpy(hi, path, n + 1);
	hi[n - 1] = '0';
	return true;
}

static enum fq_err leading(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *shifts = fq_store_work_leading(c->db, c->who->user_id, now, &err), *s, *rows, *row;
	char lo[256], hi[256], mylo[256], myhi[256];
	int64_t day = fq_local_day(c, now, NULL, NULL);
	size_t i, k;

	fq_principal_scope(c->who, mylo, myhi, sizeof(mylo));
	json_array_foreach(shifts, i, s) {
		if (!range_of(str_of(s, "org_path"), lo, hi, sizeof(lo)))
			continue;
		/* Within both the shift's station and the caller's scope. */
		if (!strncmp(mylo, lo, strlen(lo)) && strcmp(mylo, lo)) {
			memcpy(lo, mylo, sizeof(lo));
			memcpy(hi, myhi, sizeof(hi));
		} else if (strncmp(lo, mylo, strlen(mylo))) {
			continue;
		}
		rows = fq_store_work_open_day(c->db, lo, hi, day, c->who->user_id, FQ_WORK_PER_KIND,
					      &err);
		json_array_foreach(rows, k, row) {
			int64_t sent = int_of(row, "dispatched_t"), target = int_of(row, "target_minutes");

			/* Due: the arrival target once someone is on the way. */
			err = add(list, "incident_open", "duty_leader", title_of(c, row),
				  int_of(row, "since_t"),
				  sent && !int_of(row, "arrived_t") && target > 0
					  ? sent + target * MINUTE_MS
					  : 0,
				  int_of(row, "id"), params_of(row));
			if (err)
				break;
		}
		json_decref(rows);
		if (err)
			break;
	}
	json_decref(shifts);
	return err;
}

static enum fq_err followups(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows = fq_store_work_followups(c->db, c->who->user_id,
					       now - FQ_FOLLOWUP_WINDOW_DAYS * 24 * HOUR_MS,
					       FQ_WORK_PER_KIND, &err),
	       *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		int64_t closed = int_of(row, "since_t");

		err = add(list, "incident_followup", "closed_by_you", title_of(c, row), closed,
			  closed + FQ_FOLLOWUP_DUE_HOURS * HOUR_MS, int_of(row, "id"),
			  params_of(row));
		if (err)
			break;
	}
	json_decref(rows);
	return err;
}

enum fq_err fq_incident_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err;

	if (!fq_principal_may(c->who, "incident.write"))
		return FQ_OK;
	err = dispatched(c, list);
	if (!err)
		err = leading(c, now, list);
	if (!err)
		err = followups(c, now, list);
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}
