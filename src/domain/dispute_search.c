/* Disputes in full-text search (search/source.h): found by number, type,
 * parties' names, facts, claims and the sessions' records through the index;
 * shown only to those GET /api/disputes/{id} shows them to (its own check,
 * fq_dispute_access: the unit in scope, or an active mediator). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/dispute_search.h"
#include "store/dispute_search_store.h"
#include "store/dispute_store.h"
#include "core/banned.h"

/* The words of each type (the spreadsheet's column, the search's head). */
const struct fq_export_label fq_dispute_type_labels[] = {
	{"marriage_family", "婚姻家庭", "Marriage and family"},
	{"neighbours", "邻里纠纷", "Neighbours"},
	{"housing_homestead", "房屋宅基地", "Housing and homestead"},
	{"contract", "合同纠纷", "Contract"},
	{"business", "经营纠纷", "Business"},
	{"damages", "损害赔偿", "Damages"},
	{"forest_land", "山林土地", "Forest and land"},
	{"land_requisition", "征地拆迁", "Land requisition and demolition"},
	{"pollution", "环境污染", "Pollution"},
	{"labour", "劳动争议", "Labour"},
	{"medical", "医疗纠纷", "Medical"},
	{"road_traffic", "道路交通", "Road traffic"},
	{"property_management", "物业纠纷", "Property management"},
	{"consumer", "消费纠纷", "Consumer"},
	{"migrant_wages", "欠薪纠纷", "Unpaid migrant wages"},
	{"other", "其他", "Other"},
	{NULL},
};

static const char *type_label(const char *type)
{
	for (const struct fq_export_label *l = fq_dispute_type_labels; l->code; l++)
		if (!strcmp(l->code, type))
			return l->zh;
	return type;
}

struct doc_walk {
	fq_search_doc_fn fn;
	void *arg;
	struct fq_buf head;
};

/* head: the number, the type's words, the parties' names; body: facts,
 * claims, the sessions' records. Filter keys: status=…, tier=…, risk=…,
 * type=…, open (not concluded) — the filters of GET /api/disputes. */
static enum fq_err doc_of(void *arg, const struct fq_store_dispute_search_row *r)
{
	struct doc_walk *w = arg;
	char keys[4][FQ_SEARCH_KEY_MAX + 1];
	struct fq_search_doc doc = {.id = r->id, .org_path = r->org_path, .body = r->body};
	enum fq_err err;
	int k = 0;

	fq_buf_reset(&w->head);
	err = fq_buf_addf(&w->head, "%s %s %s", r->number, type_label(r->type), r->names);
	if (err)
		return err;
	doc.head = w->head.ptr;
	snprintf(keys[0], sizeof(keys[0]), "status=%s", r->status);
	snprintf(keys[1], sizeof(keys[1]), "tier=%s", r->tier);
	snprintf(keys[2], sizeof(keys[2]), "risk=%s", r->risk);
	snprintf(keys[3], sizeof(keys[3]), "type=%s", r->type);
	for (k = 0; k < 4; k++)
		doc.keys[k] = keys[k];
	if (strcmp(r->status, "closed"))
		doc.keys[k++] = "open";
	return w->fn(w->arg, &doc);
}

static enum fq_err docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			fq_search_doc_fn fn, void *arg)
{
	struct doc_walk w = {fn, arg, {0}};
	enum fq_err err;

	fq_buf_init(&w.head, 1 << 16);
	err = fq_store_dispute_search_rows(db, from, to, limit, doc_of, &w);
	fq_buf_release(&w.head);
	return err;
}

struct item_walk {
	struct fq_ctx *c;
	json_t *out;
};

/* One result: the number; the texts a snippet is cut from — what was
 * indexed, then the type's words and the parties' names. */
static enum fq_err item_of(void *arg, const struct fq_store_dispute_search_row *r)
{
	struct item_walk *w = arg;
	const char *who = fq_arena_printf(w->c->arena, "%s · %s", type_label(r->type), r->names);
	char url[64];
	json_t *it;

	snprintf(url, sizeof(url), "/#/disputes/%lld", (long long)r->id);
	it = who ? json_pack("{s:I, s:s, s:[s,s], s:s}", "id", (json_int_t)r->id, "title",
			     r->number, "texts", r->body, who, "url_hint", url)
		 : NULL;
	return it && !json_array_append_new(w->out, it) ? FQ_OK : FQ_ERR_NOMEM;
}

/* The ids the caller may open (the detail's own check), in order. */
static json_t *items(struct fq_ctx *c, json_t *ids)
{
	struct item_walk w = {c, json_array()};
	enum fq_err err = w.out ? FQ_OK : FQ_ERR_NOMEM;
	json_t *id;
	size_t k;

	json_array_foreach(ids, k, id) {
		struct fq_dispute_row row;
		int64_t n = json_integer_value(id);

		if (err)
			break;
		err = fq_dispute_access(c, n, &row, NULL);
		if (err == FQ_ERR_NOT_FOUND) {
			*c->e = (struct fq_error){0}; /* not the caller's: left out */
			err = FQ_OK;
			continue;
		}
		if (!err)
			err = fq_store_dispute_search_rows(c->db, n, n, 1, item_of, &w);
	}
	if (!err)
		return w.out;
	json_decref(w.out);
	if (!c->e->err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return NULL;
}

/* As a module declares it (api/module.h: ends with {NULL}). */
const struct fq_search_source fq_dispute_search[] = {
	{
		.type = "dispute",
		.code = 3,
		.permission = "dispute.read",
		.docs = docs,
		.items = items,
	},
	{NULL},
};
