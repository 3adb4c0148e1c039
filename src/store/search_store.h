/* The full-text index of incidents (narrative and address), the same results
 * on every store: see docs/internals.md, "Full-text search". The index is
 * derived data: export leaves it out and import rebuilds it. Query text is
 * read by search/query.h (fq_search_check, fq_search_terms,
 * fq_search_highlight). */
#ifndef FQ_SEARCH_STORE_H
#define FQ_SEARCH_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* Results are the best of the newest this many matches in scope: a page past
 * them is empty. */
#define FQ_SEARCH_CANDIDATES 500

/* (Re)indexes an incident's narrative and address text (in the caller's
 * transaction): call it after inserting the incident and after every change
 * of either text or of its org_path. The index holds the row as stored, on
 * both stores (SQLite's triggers index it as it is written; PostgreSQL reads
 * it here): narrative and address_text are not read. FQ_ERR_NOT_FOUND when
 * there is no such incident (PostgreSQL). */
enum fq_err fq_search_index_incident(struct fq_db *db, int64_t id, const char *narrative,
				     const char *address_text);

/* Incident ids matching q within scope [lo, hi) of org_path, ranked, newest
 * first on ties; json array of ids, or NULL on error. Every token of q must
 * be found (see search/bigram.h); the newest FQ_SEARCH_CANDIDATES matches are
 * ranked by fq_search_score, then id descending, and [offset, offset + limit)
 * of them returned. *err: FQ_ERR_INVALID when q holds no token (report
 * FQ_SEARCH_NO_TOKENS for field "q"), FQ_ERR_NOMEM, a store error. */
json_t *fq_search_incidents(struct fq_db *db, const char *q, const char *lo, const char *hi,
			    int64_t limit, int64_t offset, enum fq_err *err);

/* Empties the index and indexes every incident again (in the caller's
 * transaction): after an import, or to repair it. */
enum fq_err fq_search_rebuild(struct fq_db *db);

#endif
