/* The work queue (work.h): every module's provider adds its items to one
 * list, sorted here. */
#include "domain/work.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"

struct fq_work_list {
	struct fq_ctx *c;
	int64_t now;
	json_t *items;
	int64_t overdue;
	bool truncated;
};

static json_t *time_or_null(int64_t ms)
{
	char text[32];

	if (!ms)
		return json_null();
	fq_time_format(ms, text, sizeof(text));
	return json_string(text);
}

enum fq_err fq_work_add(struct fq_work_list *list, const struct fq_work_item *it)
{
	bool overdue = it->due && it->due <= list->now;
	json_t *o;

	if (json_array_size(list->items) >= FQ_WORK_MAX) {
		list->truncated = true;
		json_decref(it->params);
		return FQ_OK;
	}
	o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:b,s:{s:s,s:I},s:o,s:I,s:I}", "kind", it->kind,
		      "title", it->title ? it->title : "", "why", it->why, "since",
		      time_or_null(it->since), "due", time_or_null(it->due), "overdue", overdue,
		      "link", "route", it->route, "id", (json_int_t)it->id, "params",
		      it->params ? it->params : json_object(),
		      /* kept for sorting, removed before the answer */
		      "_due", (json_int_t)it->due, "_since", (json_int_t)it->since);
	if (!o || json_array_append_new(list->items, o))
		return FQ_ERR_NOMEM;
	list->overdue += overdue;
	return FQ_OK;
}

static int64_t key(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

/* Overdue first; then those with a deadline, soonest first; then the
 * others, longest waiting first. */
static int compare(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int oa = json_is_true(json_object_get(a, "overdue")),
	    ob = json_is_true(json_object_get(b, "overdue"));
	int64_t da = key(a, "_due"), db = key(b, "_due");

	if (oa != ob)
		return ob - oa;
	if ((da != 0) != (db != 0))
		return da ? -1 : 1;
	if (da != db)
		return da < db ? -1 : 1;
	da = key(a, "_since");
	db = key(b, "_since");
	return da < db ? -1 : da > db;
}

json_t *fq_work_collect(struct fq_ctx *c, int64_t now, const fq_work_provider *providers)
{
	struct fq_work_list list = {.c = c, .now = now, .items = json_array()};
	json_t **v, *sorted, *out;
	size_t n;
	enum fq_err err = list.items ? FQ_OK : FQ_ERR_NOMEM;

	for (int i = 0; !err && providers[i]; i++)
		err = providers[i](c, now, &list);
	n = list.items ? json_array_size(list.items) : 0;
	v = calloc(n ? n : 1, sizeof(*v));
	sorted = json_array();
	if (!err && (!v || !sorted))
		err = FQ_ERR_NOMEM;
	if (err) {
		free(v);
		json_decref(sorted);
		json_decref(list.items);
		if (!c->e->err)
			fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(list.items, i);
	qsort(v, n, sizeof(*v), compare);
	for (size_t i = 0; i < n; i++) {
		json_object_del(v[i], "_due");
		json_object_del(v[i], "_since");
		json_array_append(sorted, v[i]);
	}
	free(v);
	json_decref(list.items);
	out = json_pack("{s:o,s:I,s:I,s:b}", "items", sorted, "count", (json_int_t)n, "overdue",
			(json_int_t)list.overdue, "truncated", list.truncated);
	if (!out)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return out;
}
