#include "audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

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

static void entry_hash(const struct fq_keys *keys, const char *prev, int64_t id, int64_t time, int64_t user_id,
		       const char *username, const char *client_addr, const char *action,
		       const char *object_type, const char *object_id, const char *outcome,
		       const char *detail, char out[65])
{
	crypto_generichash_state h;
	unsigned char digest[32];
	char num[3][24];
	size_t klen;
	const unsigned char *key = fq_keys_audit_key(keys, &klen);

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)id);
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

enum fq_err fq_audit_append(struct fq_db *db, const struct fq_keys *keys,
			    const struct fq_audit_entry *e)
{
	struct fq_stmt *st;
	char prev[65], hash[65];
	int64_t id = 1, time = e->time ? e->time : fq_time_now_ms();
	const char *outcome = e->success ? "success" : "failure";
	enum fq_err err;
	int rc;

	/* One writer at a time extends the chain, across server processes. */
	err = fq_db_lock(db, FQ_LOCK_AUDIT);
	if (err)
		return err;
	err = fq_db_query(db, &st, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", NULL);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		id = fq_stmt_int(st, 0) + 1;
		fq_strlcpy(prev, fq_stmt_text(st, 1), sizeof(prev));
	} else {
		fq_strlcpy(prev, GENESIS, sizeof(prev));
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	entry_hash(keys, prev, id, time, e->user_id, e->username, e->client_addr, e->action,
		   e->object_type, e->object_id, outcome, e->detail, hash);
	return fq_db_exec(db, NULL,
			  "INSERT INTO audit_log (id, time, user_id, username, client_addr, action,"
			  " object_type, object_id, outcome, detail, prev_hash, hash)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			  "iiisssssssss", id, time, e->user_id, e->username, e->client_addr,
			  e->action, e->object_type, e->object_id, outcome, e->detail, prev, hash);
}

enum fq_err fq_audit_verify(struct fq_db *db, const struct fq_keys *keys,
			    struct fq_audit_check *out)
{
	struct fq_stmt *st;
	char prev[65], hash[65];
	int64_t expect_id = 1;
	enum fq_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	out->whole = true;
	fq_strlcpy(prev, GENESIS, sizeof(prev));
	err = fq_db_query(db, &st,
			  "SELECT id, time, user_id, username, client_addr, action, object_type,"
			  " object_id, outcome, detail, prev_hash, hash FROM audit_log ORDER BY id",
			  NULL);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1) {
		int64_t id = fq_stmt_int(st, 0);
		const char *stored_prev = fq_stmt_text(st, 10), *stored = fq_stmt_text(st, 11);

		entry_hash(keys, prev, id, fq_stmt_int(st, 1), fq_stmt_int(st, 2), fq_stmt_text(st, 3),
			   fq_stmt_text(st, 4), fq_stmt_text(st, 5), fq_stmt_text(st, 6),
			   fq_stmt_text(st, 7), fq_stmt_text(st, 8), fq_stmt_text(st, 9), hash);
		if (id != expect_id)
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld is missing (next is %lld)", (long long)expect_id,
				 (long long)id);
		else if (!stored_prev || strcmp(stored_prev, prev))
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld does not link to the entry before it", (long long)id);
		else if (!stored || strcmp(stored, hash))
			snprintf(out->reason, sizeof(out->reason),
				 "entry %lld was changed after it was written", (long long)id);
		if (out->reason[0]) {
			out->whole = false;
			out->first_broken_id = id != expect_id ? expect_id : id;
			break;
		}
		fq_strlcpy(prev, stored, sizeof(prev));
		out->checked++;
		expect_id++;
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
