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
#include "store/audit_store.h"

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

/* Locks a chain until the transaction ends: the preferred one, else the next
 * ones that are free, else waits for the preferred one. The chain taken
 * becomes the preferred one, so that a second entry in the same transaction
 * finds the lock it holds already. */
static enum fq_err lock_chain(struct fq_db *db, int *chain)
{
	int p;
	bool got = false;
	enum fq_err err;

	if (fq_store_audit_serial(db)) {
		*chain = 0;
		return fq_store_audit_lock(db, 0, true, NULL);
	}
	p = preferred_chain();
	for (int i = 0; i < AUDIT_TRIES && !got; i++) {
		*chain = (p + i) % AUDIT_CHAINS;
		err = fq_store_audit_lock(db, *chain, false, &got);
		if (err)
			return err;
	}
	if (!got) {
		*chain = p;
		err = fq_store_audit_lock(db, p, true, NULL);
		if (err)
			return err;
	}
	preferred = *chain;
	return FQ_OK;
}

enum fq_err fq_audit_append(struct fq_db *db, const struct fq_keys *keys,
			    const struct fq_audit_entry *e)
{
	char prev[65], hash[65];
	int64_t seq = 0, time = e->time ? e->time : fq_time_now_ms();
	const char *outcome = e->success ? "success" : "failure";
	enum fq_err err;
	int chain = 0;

	/* One writer at a time extends a chain, across server processes. */
	err = lock_chain(db, &chain);
	if (!err)
		err = fq_store_audit_tail(db, chain, &seq, prev);
	if (err)
		return err;
	if (!seq)
		genesis(chain, prev);
	seq++;
	entry_hash(keys, prev, seq, time, e->user_id, e->username, e->client_addr, e->action,
		   e->object_type, e->object_id, outcome, e->detail, hash);
	return fq_store_audit_insert(db, &(struct fq_audit_row){
						 .chain = chain,
						 .seq = seq,
						 .time = time,
						 .user_id = e->user_id,
						 .username = e->username,
						 .client_addr = e->client_addr,
						 .action = e->action,
						 .object_type = e->object_type,
						 .object_id = e->object_id,
						 .outcome = outcome,
						 .detail = e->detail,
						 .prev_hash = prev,
						 .hash = hash,
					 });
}

struct verify_walk {
	const struct fq_keys *keys;
	struct fq_audit_check *out;
	char prev[65];
	int64_t chain, expect;
};

/* Checks one entry against the one before it in its chain; false stops the
 * walk at the first break. */
static bool verify_entry(void *arg, const struct fq_audit_row *e)
{
	struct verify_walk *w = arg;
	struct fq_audit_check *out = w->out;
	char hash[65];

	if (e->chain != w->chain) {
		w->chain = e->chain;
		w->expect = 1;
		genesis(w->chain, w->prev);
		out->chains++;
	}
	entry_hash(w->keys, w->prev, e->seq, e->time, e->user_id, e->username, e->client_addr,
		   e->action, e->object_type, e->object_id, e->outcome, e->detail, hash);
	if (e->seq != w->expect)
		snprintf(out->reason, sizeof(out->reason),
			 "entry %lld of chain %lld is missing (the next one is entry %lld)",
			 (long long)w->expect, (long long)w->chain, (long long)e->id);
	else if (!e->prev_hash || strcmp(e->prev_hash, w->prev))
		snprintf(out->reason, sizeof(out->reason),
			 "entry %lld does not link to the entry before it in chain %lld",
			 (long long)e->id, (long long)w->chain);
	else if (!e->hash || strcmp(e->hash, hash))
		snprintf(out->reason, sizeof(out->reason),
			 "entry %lld was changed after it was written", (long long)e->id);
	if (out->reason[0]) {
		out->whole = false;
		out->first_broken_id = e->id;
		out->first_broken_chain = w->chain;
		return false;
	}
	fq_strlcpy(w->prev, e->hash, sizeof(w->prev));
	out->checked++;
	w->expect++;
	return true;
}

enum fq_err fq_audit_verify(struct fq_db *db, const struct fq_keys *keys,
			    struct fq_audit_check *out)
{
	struct verify_walk w = {.keys = keys, .out = out, .chain = -1, .expect = 1};

	memset(out, 0, sizeof(*out));
	out->whole = true;
	return fq_store_audit_walk(db, verify_entry, &w);
}

json_t *fq_audit_search(struct fq_db *db, const struct fq_audit_filter *f, enum fq_err *err)
{
	const struct fq_audit_query q = {
		.username = f->username,
		.action = f->action,
		.object_type = f->object_type,
		.object_id = f->object_id,
		.outcome = f->outcome,
		.from_ms = f->from_ms,
		.to_ms = f->to_ms,
		.limit = f->limit,
		.offset = f->offset,
	};

	return fq_store_audit_search(db, &q, err);
}
