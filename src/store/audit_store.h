/* SQL of the audit log (src/audit/audit.c makes and checks the hashes). */
#ifndef FQ_AUDIT_STORE_H
#define FQ_AUDIT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* One entry as stored; for fq_store_audit_walk the strings are valid during
 * the callback only. */
struct fq_audit_row {
	int64_t id;
	int64_t chain, seq;
	int64_t time;
	int64_t user_id;
	const char *username;
	const char *client_addr;
	const char *action;
	const char *object_type;
	const char *object_id;
	const char *outcome; /* success | failure */
	const char *detail;
	const char *prev_hash;
	const char *hash;
};

/* Locks chain until the transaction ends, across server processes: waits
 * when wait is true, else *got says whether the lock was free. */
enum fq_err fq_store_audit_lock(struct fq_db *db, int chain, bool wait, bool *got);
/* True when the store runs one write transaction at a time (SQLite): one
 * chain is enough. */
bool fq_store_audit_serial(struct fq_db *db);

/* The last entry of chain: its number and hash (65 bytes). *seq is 0 and
 * hash empty for an empty chain. */
enum fq_err fq_store_audit_tail(struct fq_db *db, int64_t chain, int64_t *seq, char hash[65]);
/* Appends row (its id is the store's). */
enum fq_err fq_store_audit_insert(struct fq_db *db, const struct fq_audit_row *row);

/* Calls fn for each entry in chain order (chain, then seq) until it returns
 * false. */
enum fq_err fq_store_audit_walk(struct fq_db *db,
				bool (*fn)(void *arg, const struct fq_audit_row *row), void *arg);

struct fq_audit_query {
	const char *username;    /* exact; NULL: any */
	const char *action;      /* exact, or a prefix ending in '.'; NULL: any */
	const char *object_type;
	const char *object_id;
	const char *outcome;
	int64_t from_ms, to_ms;  /* 0 = open */
	int64_t limit, offset;
};

/* Matching entries, newest first, as JSON objects. */
json_t *fq_store_audit_search(struct fq_db *db, const struct fq_audit_query *q,
			      enum fq_err *err);

#endif
