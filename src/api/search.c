/* Search for every record: the header search box (GET /api/search). The
 * types, their scope and masking live with each type (search/source.h); the
 * merging in domain/search.c. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "domain/search.h"
#include "http/request.h"
#include "search/source.h"

#define MAX_TYPES 16

/* types=incident,person (absent: every type). */
static enum fq_err query_types(struct fq_req *r, const struct fq_search_source **types,
			       size_t *n)
{
	const char *list;
	enum fq_err err = fq_in_query_text(r, "types", 200, &list);

	*n = 0;
	if (err)
		return err;
	if (!list) {
		for (int i = 0; fq_search_sources()[i] && *n < MAX_TYPES; i++)
			types[(*n)++] = fq_search_sources()[i];
		return FQ_OK;
	}
	while (*list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		char *name = fq_arena_strndup(r->arena, list, len);
		const struct fq_search_source *src = name ? fq_search_source_find(name) : NULL;
		bool dup = false;

		if (!name)
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		if (!src)
			return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "types",
					   "types must be a comma-separated list of record types"
					   " (incident, person …)");
		for (size_t i = 0; i < *n; i++)
			dup = dup || types[i] == src;
		if (!dup && *n < MAX_TYPES)
			types[(*n)++] = src;
		list += len + (comma ? 1 : 0);
	}
	return FQ_OK;
}

/* Person records are a sensitive read: the search is audited when it
 * returns any, naming them. */
static void audit_persons(struct fq_req *r, json_t *ids)
{
	char *list = fq_json_dumps(ids, JSON_COMPACT);

	r->audit.force = true;
	r->audit.action = "search.person";
	r->audit.object_type = "person";
	r->audit.detail = list ? fq_arena_strdup(r->arena, list) : "person";
	free(list);
}

FQ_HANDLER(fq_api_search)
{
	struct fq_ctx c = fq_api_ctx(r);
	const struct fq_search_source *types[MAX_TYPES];
	const char *q;
	int64_t limit;
	size_t ntypes;
	bool present;
	json_t *out, *persons = NULL;
	enum fq_err err = fq_in_query_text(r, "q", 50, &q);

	if (!err)
		err = fq_in_query_int(r, "limit", 1, 50, &limit, &present);
	if (!err && !present)
		limit = 10;
	if (!err)
		err = query_types(r, types, &ntypes);
	if (err)
		return err;
	out = fq_search_all(&c, q, types, ntypes, limit, &persons);
	if (persons)
		audit_persons(r, persons);
	json_decref(persons);
	return fq_api_reply(r, 200, out);
}

/* Who may do what: the route is for anyone signed in; each record type is
 * searched only for a caller holding that type's read permission. A search
 * that returns persons is audited as search.person (the handler says so). */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/search",                fq_api_search,                SIGNED_IN,       NULL,                   0, "search every record type (header search box)"},
};

const struct fq_module fq_module_search = {
	.name = "search",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
};
