/* 一案一码: the SQL of the public tracking page (store/dispute_tracking_store.h). */
#include "store/dispute_tracking_store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

enum fq_err fq_store_track_hit(struct fq_db *db, const char *key, int64_t window_start,
			       int64_t drop_before, int64_t *count)
{
	enum fq_err err;

	*count = 0;
	err = fq_db_exec(db, NULL,
			 "INSERT INTO track_attempts (key, window_start, count) VALUES (?1, ?2, 1)"
			 " ON CONFLICT (key, window_start) DO UPDATE SET count ="
			 " track_attempts.count + 1",
			 "si", key, window_start);
	if (!err)
		err = fq_db_exec(db, NULL, "DELETE FROM track_attempts WHERE window_start < ?1", "i",
				 drop_before);
	if (!err)
		err = fq_db_get_int(db, count,
				    "SELECT count FROM track_attempts WHERE key = ?1 AND"
				    " window_start = ?2",
				    "si", key, window_start);
	return err;
}

enum fq_err fq_store_track_dispute(struct fq_db *db, const char *code,
				   struct fq_store_track_row *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	err = fq_db_query(db, &st,
			  "SELECT id, status, outcome, concluded_at FROM disputes WHERE"
			  " tracking_code = ?1", "s",
			  code);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		snprintf(out->status, sizeof(out->status), "%s",
			 fq_stmt_text(st, 1) ? fq_stmt_text(st, 1) : "");
		snprintf(out->outcome, sizeof(out->outcome), "%s",
			 fq_stmt_text(st, 2) ? fq_stmt_text(st, 2) : "");
		out->concluded_at = fq_stmt_int(st, 3);
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

enum fq_err fq_store_track_phones(struct fq_db *db, int64_t id,
				  enum fq_err (*fn)(const void *sealed, size_t len, void *arg),
				  void *arg)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT p.phone_enc FROM dispute_parties dp JOIN persons p ON"
			  " p.id = dp.person_id WHERE dp.dispute_id = ?1 AND p.phone_enc IS NOT NULL",
			  "i", id);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1 && !err) {
		size_t len = 0;
		const void *sealed = fq_stmt_blob(st, 0, &len);

		if (sealed && len)
			err = fn(sealed, len, arg);
	}
	fq_stmt_done(st);
	if (rc < 0 && !err)
		err = (enum fq_err)-rc;
	return err;
}

enum fq_err fq_store_track_next_session(struct fq_db *db, int64_t id, int64_t now,
					int64_t *starts_at)
{
	enum fq_err err;

	*starts_at = 0;
	err = fq_db_get_int(db, starts_at,
			    "SELECT min(starts_at) FROM dispute_sessions WHERE dispute_id = ?1 AND"
			    " starts_at >= ?2 AND result IS NULL",
			    "ii", id, now);
	return err == FQ_ERR_NOT_FOUND ? FQ_OK : err;
}
