/* The SQL of the disputes' full-text search source (domain/dispute_search.c):
 * a dispute with its parties' names and its sessions' records, read a page
 * of ids at a time. */
#ifndef FQ_DISPUTE_SEARCH_STORE_H
#define FQ_DISPUTE_SEARCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;

/* One dispute as the index reads it. The strings are the store's (valid
 * during the callback); names and body may be "" but not NULL. */
struct fq_store_dispute_search_row {
	int64_t id;
	const char *org_path, *number, *type, *status, *tier, *risk;
	const char *names; /* the parties' names, space-separated, in the detail's order */
	const char *body;  /* facts, claims, then each session's accounts, summary, discussion */
};
typedef enum fq_err (*fq_store_dispute_search_fn)(void *arg,
						  const struct fq_store_dispute_search_row *r);

/* Calls fn for the disputes with from <= id <= to in id order, at most limit
 * of them (three queries: the disputes, their parties, their sessions). */
enum fq_err fq_store_dispute_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					 fq_store_dispute_search_fn fn, void *arg);

#endif
