/* Incidents in full-text search (search/source.h): found by number, caller,
 * address and narrative through the index, by the caller's whole phone
 * number through its keyed hash; shown as GET /api/incidents shows them. */
#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "auth/secret.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/incident.h"
#include "search/source.h"
#include "store/incident_store.h"

/* A whole phone number as registered at intake (the index holds none). */
static enum fq_err exact(struct fq_ctx *c, const char *q, int64_t *ids, size_t max, size_t *n)
{
	struct fq_error ignored = {0};
	char lo[256], hi[256], hash[65];
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t k;

	*n = 0;
	if (!q || fq_phone_check(q, &ignored))
		return FQ_OK;
	fq_keyed_hash(c->keys, q, hash);
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_incident_ids_by_phone(c->db, hash, lo, hi, (int64_t)max, &err);
	if (!rows)
		return fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(rows, k, row)
		if (*n < max)
			ids[(*n)++] = json_integer_value(json_object_get(row, "id"));
	json_decref(rows);
	return FQ_OK;
}

static json_t *item(json_t *row)
{
	json_t *texts = json_array();
	const char *fields[] = {"narrative", "address_text", "caller_name"};

	for (size_t i = 0; texts && i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *v = json_object_get(row, fields[i]);
		if (json_is_string(v))
			json_array_append(texts, v);
	}
	return json_pack("{s:O, s:O, s:o, s:n}", "id", json_object_get(row, "id"), "title",
			 json_object_get(row, "number"), "texts", texts ? texts : json_array(),
			 "url_hint");
}

/* The list's rows of the ids the caller sees, in order. */
static json_t *items(struct fq_ctx *c, json_t *ids)
{
	json_t *seen = json_array(), *rows = NULL, *out = json_array(), *id, *row;
	enum fq_err err = FQ_OK;
	size_t k;

	json_array_foreach(ids, k, id) {
		struct fq_incident_row r;

		err = fq_store_incident_row(c->db, json_integer_value(id), &r);
		if (err == FQ_ERR_NOT_FOUND)
			err = FQ_OK;
		else if (!err && fq_principal_sees(c->who, r.org_path))
			json_array_append(seen, id);
		if (err)
			break;
	}
	if (!err)
		rows = fq_store_incident_list_ids(c->db, seen, &err);
	json_array_foreach(rows, k, row) {
		json_t *it = item(row);
		if (!it || json_array_append_new(out, it))
			err = FQ_ERR_NOMEM;
	}
	json_decref(seen);
	json_decref(rows);
	if (!err && out)
		return out;
	json_decref(out);
	fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return NULL;
}

/* As a module declares it (api/module.h: ends with {NULL}). */
const struct fq_search_source fq_incident_search[] = {
	{
		.type = "incident",
		.code = 1,
		.permission = "incident.read",
		.docs = fq_store_incident_search_docs,
		.exact = exact,
		.items = items,
	},
	{NULL},
};
