/* Search for every record (GET /api/search): each indexed type the caller
 * may read (search/source.h), scoped and masked as that type's own list is,
 * ranked together. */
#ifndef FQ_DOMAIN_SEARCH_H
#define FQ_DOMAIN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fq_ctx;
struct fq_search_source;
typedef struct json_t json_t;

/* A result found exactly (a whole document number, a phone) ranks above
 * every match of the index. */
#define FQ_SEARCH_EXACT_SCORE 1000
/* Characters of a snippet. */
#define FQ_SEARCH_SNIPPET_CHARS 60

/* {"items": [{"type", "id", "title", "snippet", "url_hint"}], "total"} for q
 * across types[0, ntypes) (the caller's permissions are checked here: a type
 * it may not read is left out), at most limit items, ordered by score, then
 * the order of types, then newest first. total: the matches read, at most
 * FQ_SEARCH_CANDIDATES per type, and the exact finds. *person_ids gets a new
 * array of the ids of the persons among the items (the read is then audited),
 * or NULL when there are none. NULL after fq_fail: FQ_ERR_INVALID for field "q" when q holds
 * nothing to search for. */
json_t *fq_search_all(struct fq_ctx *c, const char *q, const struct fq_search_source *const *types,
		      size_t ntypes, int64_t limit, json_t **person_ids);

/* True when the caller's role (and token scopes) hold permission. */
bool fq_search_may_read(const struct fq_ctx *c, const char *permission);

#endif
