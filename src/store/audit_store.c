/* The audit log's SQL: appending entries to a chain, reading and searching
 * them (audit_store.h); the hashes are made and checked in src/audit/audit.c. */
#include "store/audit_store.h"

#include <jansson.h>
#include <string.h>

#include "core/banned.h"
#include "core/str.h"
#include "store/store.h"

static enum fq_lock_key chain_key(int chain)
{
	return chain ? (enum fq_lock_key)(FQ_LOCK_AUDIT_CHAIN + chain) : FQ_LOCK_AUDIT;
}

enum fq_err fq_store_audit_lock(struct fq_db *db, int chain, bool wait, bool *got)
{
	enum fq_err err;

	if (!wait)
		return fq_db_try_lock(db, chain_key(chain), got);
	err = fq_db_lock(db, chain_key(chain));
	if (got)
		*got = !err;
	return err;
}

bool fq_store_audit_serial(struct fq_db *db)
{
	return fq_db_serial_writes(db);
}

enum fq_err fq_store_audit_tail(struct fq_db *db, int64_t chain, int64_t *seq, char hash[65])
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*seq = 0;
	hash[0] = '\0';
	err = fq_db_query(db, &st,
			  "SELECT seq, hash FROM audit_log WHERE chain = ?1 ORDER BY seq DESC LIMIT 1",
			  "i", chain);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*seq = fq_stmt_int(st, 0);
		fq_strlcpy(hash, fq_stmt_text(st, 1), 65);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_audit_insert(struct fq_db *db, const struct fq_audit_row *e)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO audit_log (chain, seq, time, user_id, username, client_addr,"
			  " action, object_type, object_id, outcome, detail, prev_hash, hash)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			  "iiiisssssssss", e->chain, e->seq, e->time, e->user_id, e->username,
			  e->client_addr, e->action, e->object_type, e->object_id, e->outcome,
			  e->detail, e->prev_hash, e->hash);
}

enum fq_err fq_store_audit_walk(struct fq_db *db,
				bool (*fn)(void *arg, const struct fq_audit_row *row), void *arg)
{
	struct fq_stmt *st;
	struct fq_audit_row row;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT id, chain, seq, time, user_id, username, client_addr, action,"
			  " object_type, object_id, outcome, detail, prev_hash, hash FROM audit_log"
			  " ORDER BY chain, seq",
			  NULL);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1) {
		row = (struct fq_audit_row){
			.id = fq_stmt_int(st, 0),
			.chain = fq_stmt_int(st, 1),
			.seq = fq_stmt_int(st, 2),
			.time = fq_stmt_int(st, 3),
			.user_id = fq_stmt_int(st, 4),
			.username = fq_stmt_text(st, 5),
			.client_addr = fq_stmt_text(st, 6),
			.action = fq_stmt_text(st, 7),
			.object_type = fq_stmt_text(st, 8),
			.object_id = fq_stmt_text(st, 9),
			.outcome = fq_stmt_text(st, 10),
			.detail = fq_stmt_text(st, 11),
			.prev_hash = fq_stmt_text(st, 12),
			.hash = fq_stmt_text(st, 13),
		};
		if (!fn(arg, &row))
			break;
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

json_t *fq_store_audit_search(struct fq_db *db, const struct fq_audit_query *q,
			      enum fq_err *err)
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
		"sssssiiii", q->username, q->action, q->object_type, q->object_id, q->outcome,
		q->from_ms, q->to_ms, q->limit, q->offset);
}
