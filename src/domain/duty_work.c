/* Duty's work provider (work.h): shifts waiting for a chief's approval and
 * handovers waiting for my signature. */
#include <jansson.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/work.h"
#include "store/work_store.h"

static int64_t int_of(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

static const char *str_of(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

static enum fq_err pending_shifts(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	char lo[256], hi[256];
	json_t *rows, *row;
	size_t i;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_work_pending_shifts(c->db, lo, hi, now, FQ_WORK_PER_KIND, &err);
	json_array_foreach(rows, i, row) {
		/* Due before it starts: staff must know whether it stands. */
		struct fq_work_item it = {
			.kind = "shift_approval", .why = "chief",
			.title = fq_arena_printf(c->arena, "%s · %s", str_of(row, "station_name"),
						 str_of(row, "name")),
			.since = int_of(row, "since_t"), .due = int_of(row, "start_t"),
			.route = "shiftApproval", .id = int_of(row, "id"),
			.params = json_pack("{s:I,s:I}", "start_ms", (json_int_t)int_of(row, "start_t"),
					    "end_ms", (json_int_t)int_of(row, "end_t"))};

		if ((err = fq_work_add(list, &it)))
			break;
	}
	json_decref(rows);
	return err;
}

static enum fq_err handovers(struct fq_ctx *c, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows = fq_store_work_handovers(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err),
	       *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		bool outgoing = !strcmp(str_of(row, "status"), "open");
		struct fq_work_item it = {
			.kind = "handover_sign", .why = outgoing ? "outgoing_leader" : "incoming_leader",
			.title = fq_arena_printf(c->arena, "%s → %s", str_of(row, "from_name"),
						 str_of(row, "to_name")),
			.since = int_of(row, "since_t"), .route = "handover", .id = int_of(row, "id"),
			.params = json_pack("{s:s}", "status", str_of(row, "status"))};

		if ((err = fq_work_add(list, &it)))
			break;
	}
	json_decref(rows);
	return err;
}

enum fq_err fq_duty_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;

	if (fq_principal_may(c->who, "duty.override"))
		err = pending_shifts(c, now, list);
	if (!err && fq_principal_may(c->who, "duty.write"))
		err = handovers(c, list);
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}
