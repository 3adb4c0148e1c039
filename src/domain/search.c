/* Search for every record (search.h). Each type is searched on its own — its
 * scope, its exact look-ups, its index rows — and the best of each merged:
 * a type's first `limit` results hold every result of it that can make the
 * merged first `limit`. */
#include "domain/search.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "search/query.h"
#include "search/source.h"
#include "store/search_store.h"

#define MAX_LIMIT 50

struct found {
	size_t type; /* index into types[] */
	int64_t id, score;
	json_t *item; /* borrowed from the type's items */
};

static int found_cmp(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

bool fq_search_may_read(const struct fq_ctx *c, const char *permission)
{
	return fq_role_allows(c->who->role, permission) &&
	       (!c->who->token_id || fq_scopes_contain(c->who->scopes, permission));
}

static bool seen(const struct found *f, size_t n, size_t type, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].type == type && f[i].id == id)
			return true;
	return false;
}

/* One type's best: its exact finds, then its index matches. */
static enum fq_err search_type(struct fq_ctx *c, const struct fq_search_source *src, size_t t,
			       const char *q, int64_t limit, struct found *f, size_t *n,
			       int64_t *total)
{
	char lo[256], hi[256];
	int64_t exact[MAX_LIMIT], scores[MAX_LIMIT];
	size_t nexact = 0, matches = 0, first = *n;
	enum fq_err err = FQ_OK;
	json_t *ids, *id;
	size_t k;

	if (src->exact && (err = src->exact(c, q, exact, (size_t)limit, &nexact)))
		return err;
	for (size_t i = 0; i < nexact; i++)
		f[(*n)++] = (struct found){t, exact[i], FQ_SEARCH_EXACT_SCORE, NULL};
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	ids = fq_search_find(c->db, src, q, lo, hi, NULL, limit, 0, scores, &matches, &err);
	if (!ids && err == FQ_ERR_INVALID) {
		*total += (int64_t)nexact;
		return FQ_OK; /* nothing to search the index for */
	}
	if (!ids)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	*total += (int64_t)matches;
	json_array_foreach(ids, k, id) {
		int64_t v = json_integer_value(id);

		if (seen(f + first, *n - first, t, v))
			(*total)--; /* found both ways: counted once */
		else if (*n - first < (size_t)limit)
			f[(*n)++] = (struct found){t, v, scores[k], NULL};
	}
	*total += (int64_t)nexact;
	json_decref(ids);
	return FQ_OK;
}

/* The item of one result with its type and snippet (texts dropped). */
static json_t *finish(const char *q, const char *type, json_t *item)
{
	json_t *texts = json_object_get(item, "texts"), *out;
	const char *list[8];
	size_t n = 0;
	char *snippet;

	for (size_t i = 0; i < json_array_size(texts) && n < 8; i++)
		list[n++] = json_string_value(json_array_get(texts, i));
	snippet = fq_search_snippet(q, list, n, FQ_SEARCH_SNIPPET_CHARS);
	if (!snippet)
		return NULL;
	out = json_pack("{s:s, s:O, s:O, s:s, s:O}", "type", type, "id",
			json_object_get(item, "id"), "title", json_object_get(item, "title"),
			"snippet", snippet, "url_hint", json_object_get(item, "url_hint"));
	free(snippet);
	return out;
}

json_t *fq_search_all(struct fq_ctx *c, const char *q, const struct fq_search_source *const *types,
		      size_t ntypes, int64_t limit, json_t **person_ids)
{
	struct found *f;
	json_t **items = calloc(ntypes ? ntypes : 1, sizeof(*items)), *out = NULL, *list = NULL;
	int64_t total = 0;
	size_t n = 0;
	enum fq_err err = FQ_OK;

	*person_ids = NULL;
	if (limit < 1)
		limit = 1;
	if (limit > MAX_LIMIT)
		limit = MAX_LIMIT;
	/* Each type gives at most limit exact finds and limit matches. */
	f = calloc(ntypes * 2 * (size_t)limit + 1, sizeof(*f));
	if (!f || !items) {
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto out;
	}
	if (fq_search_check(q, c->e))
		goto out;
	for (size_t t = 0; t < ntypes && !err; t++)
		if (fq_search_may_read(c, types[t]->permission))
			err = search_type(c, types[t], t, q, limit, f, &n, &total);
	if (err)
		goto out;
	qsort(f, n, sizeof(*f), found_cmp);
	if (n > (size_t)limit)
		n = (size_t)limit;
	/* Each type's items, in one call per type, masked and scope-checked. */
	for (size_t t = 0; t < ntypes; t++) {
		json_t *ids = json_array(), *it;
		size_t k;

		for (size_t i = 0; ids && i < n; i++)
			if (f[i].type == t)
				json_array_append_new(ids, json_integer(f[i].id));
		if (!ids) {
			fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
			goto out;
		}
		if (json_array_size(ids) && !(items[t] = types[t]->items(c, ids))) {
			json_decref(ids);
			goto out;
		}
		json_decref(ids);
		json_array_foreach(items[t], k, it) {
			int64_t id = json_integer_value(json_object_get(it, "id"));
			for (size_t i = 0; i < n; i++)
				if (f[i].type == t && f[i].id == id)
					f[i].item = it;
		}
	}
	list = json_array();
	for (size_t i = 0; list && i < n; i++) {
		json_t *it;

		if (!f[i].item) {
			total--; /* gone or out of scope since it was indexed */
			continue;
		}
		it = finish(q, types[f[i].type]->type, f[i].item);
		if (!it || json_array_append_new(list, it)) {
			json_decref(list);
			list = NULL;
		}
		if (list && !strcmp(types[f[i].type]->type, "person")) {
			if (!*person_ids)
				*person_ids = json_array();
			json_array_append_new(*person_ids, json_integer(f[i].id));
		}
	}
	out = list ? json_pack("{s:o, s:I}", "items", list, "total",
			       (json_int_t)(total > 0 ? total : 0))
		   : NULL;
	if (!out)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
out:
	for (size_t t = 0; items && t < ntypes; t++)
		json_decref(items[t]);
	free(items);
	free(f);
	if (!out) {
		json_decref(*person_ids);
		*person_ids = NULL;
	}
	return out;
}
