/* What the responsibility registry adds to the work queue (work.h): for the
 * responsible person, each of her items with a check due within
 * FQ_REGISTRY_DUE_AHEAD_MS or past due (kind registry_check), linking to the
 * item's page, where she records it. */
#include <jansson.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/registry.h"
#include "domain/work.h"
#include "store/registry_store.h"
#include "core/banned.h"

enum fq_err fq_registry_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	if (!fq_principal_may(c->who, "registry.read"))
		return FQ_OK;
	rows = fq_store_registry_work(c->db, c->who->user_id, now + FQ_REGISTRY_DUE_AHEAD_MS,
				      FQ_WORK_PER_KIND, &err);
	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *code = json_string_value(json_object_get(row, "code"));
		const char *kind = json_string_value(json_object_get(row, "kind"));
		struct fq_work_item it = {
			.kind = "registry_check",
			.why = "registry_responsible",
			.title = name ? name : "",
			.since = json_integer_value(json_object_get(row, "since_t")),
			.due = json_integer_value(json_object_get(row, "due_t")),
			.route = "registryItem",
			.id = json_integer_value(json_object_get(row, "id")),
			.params = json_pack("{s:s, s:s}", "code", code ? code : "", "item_kind",
					    kind ? kind : ""),
		};

		err = fq_work_add(list, &it);
		if (err)
			break;
	}
	json_decref(rows);
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}
