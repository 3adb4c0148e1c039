/* The audit log: append-only and hash-chained. Each entry's hash is a MAC
 * (keyed BLAKE2b, key derived from the key file) of its fields, its number in
 * its chain and the previous entry's hash, so editing or deleting any entry
 * breaks its chain from there on, and without the key file nobody can write a
 * chain that verifies; fq_audit_verify finds the first break. The log is
 * several chains (audit.c), so that writers need not all wait for one. */
#ifndef FQ_AUDIT_H
#define FQ_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_keys;

struct fq_audit_entry {
	int64_t time;          /* ms; 0 = now */
	int64_t user_id;       /* 0 = nobody signed in */
	const char *username;
	const char *client_addr;
	const char *action;    /* "person.unmask" */
	const char *object_type;
	const char *object_id;
	bool success;
	const char *detail;
};

/* Appends e in the caller's write transaction, to a chain it locks until
 * the transaction ends (the entry needs the previous hash of its chain). */
enum fq_err fq_audit_append(struct fq_db *db, const struct fq_keys *keys,
			    const struct fq_audit_entry *e);

struct fq_audit_check {
	bool whole;
	int64_t checked;         /* entries that verified */
	int64_t chains;          /* chains seen */
	int64_t first_broken_id; /* 0 when whole; the entry found where one is missing */
	int64_t first_broken_chain;
	char reason[128];
};

/* Walks every chain in order, chain after chain; stops at the first break. */
enum fq_err fq_audit_verify(struct fq_db *db, const struct fq_keys *keys,
			    struct fq_audit_check *out);

struct fq_audit_filter {
	const char *username;    /* exact */
	const char *action;      /* exact, or a prefix ending in '.' ("person.") */
	const char *object_type;
	const char *object_id;
	const char *outcome;     /* success | failure */
	int64_t from_ms, to_ms;  /* 0 = open */
	int64_t limit, offset;
};

typedef struct json_t json_t;
/* Matching entries, newest first, as JSON objects. */
json_t *fq_audit_search(struct fq_db *db, const struct fq_audit_filter *f, enum fq_err *err);

#endif
