/* The audit log: AUDIT_CHAINS hash chains (migration 005). Each entry links to
 * the entry before it in its chain; a writer locks one chain until its
 * transaction ends, so writers on different chains do not wait for one
 * another (PostgreSQL: one advisory lock per chain; SQLite runs one write
 * transaction at a time anyway and keeps to chain 0). */
#include "audit/audit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store.h"

/* Enough for the writers of a few servers (threads connections each) to
 * rarely meet on one chain. Changing it needs no migration: verification
 * walks whatever chains the log holds. */
#define AUDIT_CHAINS 8
/* How many chains a writer tries before it waits for one. */
#define AUDIT_TRIES 3

static void hash_field(crypto_generichash_state *h, const char *s)
{
	/* Length-prefixed so that field boundaries cannot be shifted. */
	unsigned char len[8];
	size_t n = s ? strlen(s) : 0;

	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(h, len, sizeof(len));
	if (n)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* What the first entry of a chain links to: chain 0's is 64 zeros (the log
 * before chains was chain 0), chain c's is c in 64 hexadecimal digits, so
 * that a chain cannot pass for another. */
static void genesis(int64_t chain, char out[65])
{
	snprintf(out, 65, "%064llx", (unsigned long long)chain);
}

/* seq: the entry's number in its chain (for the entries written before
 * chains, their id). */
static void entry_hash(const struct fq_keys *keys, const char *prev, int64_t seq, int64_t time, int64_t user_id,
		       const char *username, const char *client_addr, const char *action,
		       const char *object_type, const char *object_id, const char *outcome,
		       const char *detail, char out[65])
{
	crypto_generichash_state h;
	unsigned char digest[32];
	char num[3][24];
	size_t klen;
	const unsigned char *key = fq_keys_audit_key(keys, &klen);

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)seq);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)time);
	snprintf(num[2], sizeof(num[2]), "%lld", (long long)user_id);
	crypto_generichash_init(&h, key, klen, sizeof(digest));
	hash_field(&h, prev);
	hash_field(&h, num[0]);
	hash_field(&h, num[1]);
	hash_field(&h, num[2]);
	hash_field(&h, username);
	hash_field(&h, client_addr);
	hash_field(&h, action);
	hash_field(&h, object_type);
	hash_field(&h, object_id);
	hash_field(&h, outcome);
	hash_field(&h, detail);
	crypto_generichash_final(&h, digest, sizeof(digest));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static pthread_once_t offset_once = PTHREAD_ONCE_INIT;
static int chain_offset;
static atomic_int threads_seen;
static _Thread_local int preferred = -1;

static void pick_offset(void)
{
	chain_offset = (int)randombytes_uniform(AUDIT_CHAINS);
}

/* The chain this thread tries first: threads of a process spread over the
 * chains, from a random start so that two servers start apart. */
static int preferred_chain(void)
{
	if (preferred < 0) {
		pthread_once(&offset_once, pick_offset);
		preferred = (chain_offset + atomic_fetch_add(&threads_seen, 1)) % AUDIT_CHAINS;
	}
	return preferred;
}

static enum fq_lock_key chain_key(int chain)
{
	return chain ? (enum fq_lock_key)(FQ_LOCK_AUDIT_CHAIN + chain) : FQ_LOCK_AUDIT;
}

/* Locks a chain until the transaction ends: the preferred one, else the next
 * ones that are free, else waits for the preferred one. The chain taken
 * becomes the preferred one, so that a second entry in the same transaction
 * finds the lock it holds already. */
static enum fq_err lock_chain(struct fq_db *db, int *chain)
{
	int p;
	bool got = false;
	enum fq_err err;

	if (fq_db_serial_writes(db)) {
		*chain = 0;
		return fq_db_lock(db, FQ_LOCK_AUDIT);
	}
	p = preferred_chain();
	for (int i = 0; i < AUDIT_TRIES && !got; i++) {
		*chain = (p + i) % AUDIT_CHAINS;
		err = fq_db_try_lock(db, chain_key(*chain), &got);
		if (err)
			return err;
	}
	if (!got) {
		*chain = p;
		err = fq_db_lock(db, chain_key(p));
		if (err)
			return err;
	}
	preferred = *chain;
	return FQ_OK;
}

enum fq_err fq_audit_append(struct fq_db *db, const struct fq_keys *keys,
			    const struct fq_audit_entry *e)
{
	struct fq_stmt *st;
	char prev[65], hash[65];
	int64_t seq = 1, time = e->time ? e->time : fq_time_now_ms();
	const char *outcome = e->success ? "success" : "failure";
	enum fq_err err;
	int chain = 0, rc;

	/* One writer at a time extends a chain, across server processes. */
	err = lock_chain(db, &chain);
	if (err)
		return err;
	err = fq_db_query(db, &st,
			  "SELECT seq, hash FROM audit_log WHERE chain = ?1 ORDER BY seq DESC LIMIT 1",
			  "i", (int64_t)chain);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		seq = fq_stmt_int(st, 0) + 1;
		fq_strlcpy(prev, fq_stmt_text(st, 1), sizeof(prev));
	} else {
		genesis(chain, prev);
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	entry_hash(keys, prev, seq, time, e->user_id, e->username, e->client_addr, e->action,
		   e->object_type, e->object_id, outcome, e->detail, hash);
	return fq_db_exec(db, NULL,
			  "INSERT INTO audit_log (chain, seq, time, user_id, username, client_addr,"
			  " action, object_type, object_id, outcome, detail, prev_hash, hash)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			  "iiiisssssssss", (int64_t)chain, seq, time, e->user_id, e->username,
			  e->client_addr, e->action, e->object_type, e->object_id, outcome, e->detail,
			  prev, hash);
}

enum fq_err fq_audit_verify(struct fq_db *db, const struct fq_keys *keys,
			    struct fq_audit_check *out)
{
	struct fq_stmt *st;
	char prev[65], hash[65];
	int64_t chain = -1, expect = 1;
	enum fq_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	out->whole = true;
	err = fq_db_query(db, &st,
			  "SELECT id, chain, seq, time, user_id, username, client_addr, action,"
			  " object_type, object_id, outcome, detail, prev_hash, hash FROM audit_log"
			  " ORDER BY chain, seq",
			  NULL);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1) {
		int64_t id = fq_stmt_int(st, 0), seq = fq_stmt_int(st, 2);
		const char *stored_prev = fq_stmt_text(st, 12), *stored = fq_stmt_text(st, 13);

		if (fq_stmt_int(st, 1) != chain) {
			chain = fq_stmt_int(st, 1);
			expect = 1;
			genesis(chain, prev);
			out->chains++;
		}
		entry_hash(keys, prev, seq, fq_stmt_int(st, 3), fq_stmt_int(st, 4), fq_stmt_text(st, 5),
			   fq_stmt_text(st, 6), fq_stmt_text(st, 7), fq_stmt_text(st, 8),
			   fq_stmt_text(st, 9), fq_stmt_text(st, 10), fq_stmt_text(st, 11), hash);
		if (seq != expect)
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld of chain %lld is missing (the next one is entry %lld)",
				 (long long)expect, (long long)chain, (long long)id);
		else if (!stored_prev || strcmp(stored_prev, prev))
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld does not link to the entry before it in chain %lld",
				 (long long)id, (long long)chain);
		else if (!stored || strcmp(stored, hash))
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld was changed after it was written", (long long)id);
		if (out->reason[0]) {
			out->whole = false;
			out->first_broken_id = id;
			out->first_broken_chain = chain;
			break;
		}
		fq_strlcpy(prev, stored, sizeof(prev));
		out->checked++;
		expect++;
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

json_t *fq_audit_search(struct fq_db *db, const struct fq_audit_filter *f, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT id, time, user_id, username, client_addr, action, object_type, object_id,"
		" outcome, detail, hash FROM audit_log"
		" WHERE (CAST(?1 AS TEXT) IS NULL OR username = ?1)"
		" AND (CAST(?2 AS TEXT) IS NULL OR action = ?2 OR (?2 LIKE '%.' AND"
		"      substr(action, 1, length(?2)) = ?2))"
		" AND (CAST(?3 AS TEXT) IS NULL OR object_type = ?3)"
		" AND (CAST(?4 AS TEXT) IS NULL OR object_id = ?4)"
		" AND (CAST(?5 AS TEXT) IS NULL OR outcome = ?5) AND (?6 = 0 OR time >= ?6)"
		" AND (?7 = 0 OR time < ?7) ORDER BY id DESC LIMIT ?8 OFFSET ?9",
		"sssssiiii", f->username, f->action, f->object_type, f->object_id, f->outcome,
		f->from_ms, f->to_ms, f->limit, f->offset);
}
