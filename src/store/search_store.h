/* The full-text index of every record type a module declares (search/source.h),
 * the same ranked results on every store: see docs/internals.md, "Full-text
 * search". The index is derived data: export leaves it out and import
 * rebuilds it. Query text is read by search/query.h (fq_search_check,
 * fq_search_terms, fq_search_highlight). */
#ifndef FQ_SEARCH_STORE_H
#define FQ_SEARCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_search_source;
typedef struct json_t json_t;

/* Matches are ranked in blocks of this many, newest first: the newest block
 * ranked, then the next … so every match can be paged to, and a page costs
 * no more than reading the matches up to it. */
#define FQ_SEARCH_CANDIDATES 500
/* Matches past this many are not read: a page past them is empty (memory and
 * time of one search stay bounded; narrow the query instead). */
#define FQ_SEARCH_MAX_DEPTH 100000

/* (Re)indexes one record of src as src->docs gives it now (in the caller's
 * transaction, which must be the record's write); a record that is gone
 * leaves the index. Call it after every write that changes what docs()
 * reads: text, org_path or a filter key. */
enum fq_err fq_search_index(struct fq_db *db, const struct fq_search_source *src, int64_t id);
/* fq_search_index of a record made in the caller's transaction, so not yet
 * in the index: SQLite skips taking out an entry there is none of (the FTS5
 * 'delete' and the row's DELETE). */
enum fq_err fq_search_index_new(struct fq_db *db, const struct fq_search_source *src,
				int64_t id);
/* fq_search_index of the incident source; narrative and address_text are
 * not read (the row is indexed as stored). */
enum fq_err fq_search_index_incident(struct fq_db *db, int64_t id, const char *narrative,
				     const char *address_text);

/* Record ids of src matching q within scope [lo, hi) of org paths and having
 * every filter key in keys (NULL-ended, may be NULL), ranked: the matches
 * newest first in blocks of FQ_SEARCH_CANDIDATES, each block by
 * fq_search_score then id descending; [offset, offset + limit) of that order
 * as a JSON array of ids, or NULL on error. scores (may be NULL) gets the
 * score of each id returned; *matches (may be NULL) the matches read, at
 * least offset + limit when there are as many (up to FQ_SEARCH_MAX_DEPTH). *err: FQ_ERR_INVALID when q
 * holds no token (report FQ_SEARCH_NO_TOKENS for field "q"), FQ_ERR_NOMEM, a
 * store error. */
json_t *fq_search_find(struct fq_db *db, const struct fq_search_source *src, const char *q,
		       const char *lo, const char *hi, const char *const *keys, int64_t limit,
		       int64_t offset, int64_t *scores, size_t *matches, enum fq_err *err);
/* fq_search_find of incidents without filters. */
json_t *fq_search_incidents(struct fq_db *db, const char *q, const char *lo, const char *hi,
			    int64_t limit, int64_t offset, enum fq_err *err);

/* Empties the index and indexes every record of every source again (in the
 * caller's transaction): after an import, a migration that asks for it, or
 * to repair it. */
enum fq_err fq_search_rebuild(struct fq_db *db);
/* Rebuilds when a migration left the flag asking for it (meta
 * 'search_rebuild'), and clears the flag; in a transaction of its own. */
enum fq_err fq_search_rebuild_pending(struct fq_db *db);

#endif
