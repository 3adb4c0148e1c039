/* What a module indexes for full-text search: one struct fq_search_source
 * per record type (incident, person, dispute; later place, tip …). The index
 * (store/search_store.c) holds a row per record — type, id, scope (the org
 * path of its unit, what the type's own list checks) and text — and answers
 * GET /api/search and each list's q= with the same ranked results on every
 * store. See docs/internals.md, "Full-text search".
 *
 * Adding a type: fill one of these (the store part next to the type's SQL,
 * the domain part next to its masking), name it in the module's `search`
 * declaration (api/module.h), call
 * fq_search_index in the transaction of every write that changes what
 * doc() gives, and add a migration that sets the rebuild flag (see
 * 007_search_all.sql) so that existing records are indexed. */
#ifndef FQ_SEARCH_SOURCE_H
#define FQ_SEARCH_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_db;
typedef struct json_t json_t;

/* Filter keys of one record: at most this many, each at most
 * FQ_SEARCH_KEY_MAX bytes, no space. */
#define FQ_SEARCH_MAX_KEYS 6
#define FQ_SEARCH_KEY_MAX 48

/* One record as the index holds it. The strings are the producer's (valid
 * during the callback). */
struct fq_search_doc {
	int64_t id;
	const char *org_path; /* its unit's org path ("/1/2/"): the scope */
	const char *head;     /* what names it, weighs most: name, number, address (may be NULL) */
	const char *body;     /* the long text: a narrative (may be NULL) */
	/* Filter keys ("status=closed", "open", "day=20260101"), NULL-ended: a
	 * list's filters become keys the index is asked for, so filtered pages
	 * are full. Never a plaintext document number or phone. */
	const char *keys[FQ_SEARCH_MAX_KEYS + 1];
};

/* Called for each record; a non-zero return stops the walk and is returned. */
typedef enum fq_err (*fq_search_doc_fn)(void *arg, const struct fq_search_doc *doc);

struct fq_search_source {
	/* The type's name in the API and in the index keys: lower-case letters. */
	const char *type;
	/* A number of its own, 1–255, never reused (the SQLite index's rowid is
	 * code << 40 + id: ids stay below 2^40). */
	int code;
	/* Who may find it: the permission of the type's own list. */
	const char *permission;

	/* Store: calls fn for the records with from <= id <= to in id order, at
	 * most limit of them, in the caller's transaction. One record: from = to
	 * = its id; rebuild: pages of ids. */
	enum fq_err (*docs)(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			    fq_search_doc_fn fn, void *arg);

	/* Domain, optional: records whose protected field is exactly q (a whole
	 * document number or phone, through its keyed hash — never a part: the
	 * index holds no plaintext of them), in the caller's scope; at most max
	 * ids into ids[], *n of them. Errors after fq_fail. */
	enum fq_err (*exact)(struct fq_ctx *c, const char *q, int64_t *ids, size_t max, size_t *n);

	/* Domain: the results for ids (a JSON array of integers), in that order,
	 * as the type's own list shows them (masked the same way); records out of
	 * the caller's scope or gone are left out. Each item: {"id", "title",
	 * "texts": [text, …] (where a snippet is cut from, first first),
	 * "url_hint": string or null}. NULL after fq_fail. */
	json_t *(*items)(struct fq_ctx *c, json_t *ids);
};

/* Every indexed type, NULL-ended (src/search/source.c). A module declares
 * its types as an array ending with {NULL} (api/module.h `search`). */
/* Every indexed record type: the `search` declarations of the modules
 * (api/module.h), in module order, ending with NULL. Gathered once by
 * src/api/modules.c. */
const struct fq_search_source *const *fq_search_sources(void);

/* The common shape of a source's items(): calls one(c, id, out) for each id
 * of ids in order; one appends the record's item to out, or nothing when
 * the record is gone or not the caller's (then it must leave c->e clear).
 * out, or NULL after fq_fail (one's error, or its own). */
typedef enum fq_err (*fq_search_item_fn)(struct fq_ctx *c, int64_t id, json_t *out);
json_t *fq_search_items_each(struct fq_ctx *c, json_t *ids, fq_search_item_fn one);

/* The source of a type name, or NULL. */
const struct fq_search_source *fq_search_source_find(const char *type);

#endif
