/* The SQL of sessions, API tokens, sign-in failures, lockouts and the
 * per-address sign-in count (session_store.h); the rules are in src/auth/session.c. */
#include "store/session_store.h"

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "store/store.h"

#define CALLER_COLUMNS                                                                 \
	"u.id, u.username, u.display_name, u.role, u.org_id, o.name, o.path,"          \
	" u.must_change_password, u.totp_enrolled, u.disabled"
#define CALLER_NCOLUMNS 10

/* Copies a text column into the arena; NULL stays NULL. */
static bool text(struct fq_arena *arena, struct fq_stmt *st, int col, const char **out)
{
	const char *s = fq_stmt_text(st, col);

	*out = s ? fq_arena_strdup(arena, s) : NULL;
	return !s || *out;
}

static bool caller_columns(struct fq_arena *arena, struct fq_stmt *st, struct fq_caller_row *out)
{
	memset(out, 0, sizeof(*out));
	out->user_id = fq_stmt_int(st, 0);
	out->org_id = fq_stmt_int(st, 4);
	out->must_change_password = fq_stmt_int(st, 7) != 0;
	out->totp_enrolled = fq_stmt_int(st, 8) != 0;
	out->disabled = fq_stmt_int(st, 9) != 0;
	return text(arena, st, 1, &out->username) && text(arena, st, 2, &out->display_name) &&
	       text(arena, st, 3, &out->role) && text(arena, st, 5, &out->org_name) &&
	       text(arena, st, 6, &out->org_path);
}

/* Steps st once and hands the row to fill; gives st back. */
static enum fq_err one_row(struct fq_stmt *st, struct fq_arena *arena, struct fq_caller_row *out,
			   bool (*fill)(struct fq_arena *, struct fq_stmt *, struct fq_caller_row *))
{
	int rc = fq_stmt_next(st);
	enum fq_err err = FQ_OK;

	if (rc < 0)
		err = (enum fq_err)-rc;
	else if (rc == 0)
		err = FQ_ERR_NOT_FOUND;
	else if (!fill(arena, st, out))
		err = FQ_ERR_NOMEM;
	fq_stmt_done(st);
	return err;
}

static bool session_columns(struct fq_arena *arena, struct fq_stmt *st, struct fq_caller_row *out)
{
	if (!caller_columns(arena, st, out))
		return false;
	out->session_id = fq_stmt_int(st, CALLER_NCOLUMNS);
	out->last_seen_at = fq_stmt_int(st, CALLER_NCOLUMNS + 2);
	return text(arena, st, CALLER_NCOLUMNS + 1, &out->csrf_token);
}

enum fq_err fq_store_session_caller(struct fq_db *db, struct fq_arena *arena,
				    const char *token_hash, struct fq_caller_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT " CALLER_COLUMNS ", s.id, s.csrf_token, s.last_seen_at"
				      " FROM sessions s JOIN users u ON u.id = s.user_id"
				      " JOIN org_units o ON o.id = u.org_id WHERE s.token_hash = ?1",
				      "s", token_hash);

	return err ? err : one_row(st, arena, out, session_columns);
}

static bool token_columns(struct fq_arena *arena, struct fq_stmt *st, struct fq_caller_row *out)
{
	if (!caller_columns(arena, st, out))
		return false;
	out->token_id = fq_stmt_int(st, CALLER_NCOLUMNS);
	out->expires_at = fq_stmt_null(st, CALLER_NCOLUMNS + 2) ? 0 : fq_stmt_int(st, CALLER_NCOLUMNS + 2);
	out->revoked = !fq_stmt_null(st, CALLER_NCOLUMNS + 3);
	out->last_used_at = fq_stmt_int(st, CALLER_NCOLUMNS + 4);
	return text(arena, st, CALLER_NCOLUMNS + 1, &out->scopes);
}

enum fq_err fq_store_token_caller(struct fq_db *db, struct fq_arena *arena,
				  const char *token_hash, struct fq_caller_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT " CALLER_COLUMNS ", t.id, t.scopes, t.expires_at,"
				      " t.revoked_at, t.last_used_at FROM api_tokens t"
				      " JOIN users u ON u.id = t.user_id"
				      " JOIN org_units o ON o.id = u.org_id WHERE t.token_hash = ?1",
				      "s", token_hash);

	return err ? err : one_row(st, arena, out, token_columns);
}

enum fq_err fq_store_user_caller(struct fq_db *db, struct fq_arena *arena, int64_t user_id,
				 struct fq_caller_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT " CALLER_COLUMNS " FROM users u"
				      " JOIN org_units o ON o.id = u.org_id WHERE u.id = ?1",
				      "i", user_id);

	return err ? err : one_row(st, arena, out, caller_columns);
}

#define LOGIN_SELECT                                                                    \
	"SELECT id, password_hash, locked_until, disabled, totp_enrolled, totp_secret,"   \
	" totp_last_step FROM users"

static enum fq_err login_row(struct fq_stmt *st, struct fq_login_row *out)
{
	const void *blob;
	size_t len = 0;
	int rc = fq_stmt_next(st);

	memset(out, 0, sizeof(*out));
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		fq_strlcpy(out->password_hash, fq_stmt_text(st, 1), sizeof(out->password_hash));
		out->locked_until = fq_stmt_null(st, 2) ? 0 : fq_stmt_int(st, 2);
		out->disabled = fq_stmt_int(st, 3) != 0;
		out->totp_enrolled = fq_stmt_int(st, 4) != 0;
		blob = fq_stmt_blob(st, 5, &len);
		if (blob && len && len <= sizeof(out->totp_secret)) {
			memcpy(out->totp_secret, blob, len);
			out->totp_secret_len = len;
		}
		out->totp_last_step = fq_stmt_int(st, 6);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 1 ? FQ_OK : FQ_ERR_NOT_FOUND;
}

enum fq_err fq_store_login_by_name(struct fq_db *db, const char *username,
				   struct fq_login_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, LOGIN_SELECT " WHERE username = ?1", "s", username);

	return err ? err : login_row(st, out);
}

enum fq_err fq_store_login_by_id(struct fq_db *db, int64_t id, struct fq_login_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, LOGIN_SELECT " WHERE id = ?1", "i", id);

	return err ? err : login_row(st, out);
}

enum fq_err fq_store_login_failed(struct fq_db *db, int64_t user_id, int64_t *failures)
{
	*failures = 0;
	return fq_db_insert(db, failures,
			    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1"
			    " RETURNING failed_logins",
			    "i", user_id);
}

enum fq_err fq_store_login_lock(struct fq_db *db, int64_t user_id, int64_t until)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET failed_logins = 0, locked_until = ?1 WHERE id = ?2", "ii",
			  until, user_id);
}

enum fq_err fq_store_login_succeeded(struct fq_db *db, int64_t user_id)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1", "i",
			  user_id);
}

enum fq_err fq_store_login_claim_step(struct fq_db *db, int64_t user_id, int64_t step,
				      bool *claimed)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "UPDATE users SET totp_last_step = ?1 WHERE id = ?2"
				     " AND totp_last_step < ?1",
				     "ii", step, user_id);

	*claimed = !err && changed == 1;
	return err;
}

enum fq_err fq_store_name_failures(struct fq_db *db, const char *name_hash,
				   int64_t *failures, int64_t *locked_until)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*failures = *locked_until = 0;
	err = fq_db_query(db, &st,
			  "SELECT failed_logins, locked_until FROM login_name_failures"
			  " WHERE name_hash = ?1",
			  "s", name_hash);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*failures = fq_stmt_int(st, 0);
		*locked_until = fq_stmt_null(st, 1) ? 0 : fq_stmt_int(st, 1);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_name_failed(struct fq_db *db, const char *name_hash, int64_t now,
				 int64_t *failures)
{
	*failures = 0;
	return fq_db_insert(db, failures,
			    "INSERT INTO login_name_failures (name_hash, failed_logins, updated_at)"
			    " VALUES (?1, 1, ?2) ON CONFLICT (name_hash) DO UPDATE SET"
			    " failed_logins = login_name_failures.failed_logins + 1, updated_at = ?2"
			    " RETURNING failed_logins",
			    "si", name_hash, now);
}

enum fq_err fq_store_name_lock(struct fq_db *db, const char *name_hash, int64_t until)
{
	return fq_db_exec(db, NULL,
			  "UPDATE login_name_failures SET failed_logins = 0, locked_until = ?1"
			  " WHERE name_hash = ?2",
			  "is", until, name_hash);
}

enum fq_err fq_store_name_prune(struct fq_db *db, int64_t now)
{
	return fq_db_exec(db, NULL, "DELETE FROM login_name_failures WHERE locked_until <= ?1",
			  "i", now);
}

enum fq_err fq_store_login_attempt(struct fq_db *db, const char *addr, int64_t minute,
				   int64_t *count)
{
	struct fq_stmt *st;
	enum fq_err err;

	*count = 0;
	err = fq_db_exec(db, NULL,
			 "INSERT INTO login_attempts (client_addr, minute, count) VALUES (?1, ?2, 1)"
			 " ON CONFLICT (client_addr, minute) DO UPDATE SET count = login_attempts.count + 1",
			 "si", addr, minute);
	if (!err)
		err = fq_db_exec(db, NULL, "DELETE FROM login_attempts WHERE minute < ?1", "i",
				 minute - 1);
	if (!err)
		err = fq_db_query(db, &st,
				  "SELECT count FROM login_attempts WHERE client_addr = ?1 AND minute = ?2",
				  "si", addr, minute);
	if (err)
		return err;
	if (fq_stmt_next(st) == 1)
		*count = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return FQ_OK;
}

enum fq_err fq_store_session_insert(struct fq_db *db, const char *token_hash, int64_t user_id,
				    const char *csrf_token, const char *client_addr, int64_t now,
				    int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO sessions (token_hash, user_id, csrf_token, client_addr,"
			    " created_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
			    "sissi", token_hash, user_id, csrf_token, client_addr, now);
}

enum fq_err fq_store_session_prune(struct fq_db *db, int64_t before)
{
	return fq_db_exec(db, NULL, "DELETE FROM sessions WHERE last_seen_at < ?1", "i", before);
}

enum fq_err fq_store_session_delete(struct fq_db *db, int64_t id)
{
	return fq_db_exec(db, NULL, "DELETE FROM sessions WHERE id = ?1", "i", id);
}

enum fq_err fq_store_session_drop_user(struct fq_db *db, int64_t user_id,
				       int64_t keep_session_id)
{
	return fq_db_exec(db, NULL, "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", "ii",
			  user_id, keep_session_id);
}

enum fq_err fq_store_session_touch(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL, "UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2", "ii",
			  now, id);
}

enum fq_err fq_store_token_insert(struct fq_db *db, int64_t user_id, const char *label,
				  const char *token_hash, const char *scopes, int64_t now,
				  int64_t expires_at, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO api_tokens (user_id, label, token_hash, scopes, created_at,"
			    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0)) RETURNING id",
			    "isssii", user_id, label, token_hash, scopes, now, expires_at);
}

enum fq_err fq_store_token_touch(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL, "UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2", "ii",
			  now, id);
}

json_t *fq_store_token_list(struct fq_db *db, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT t.id, u.username, t.label, t.scopes, t.created_at, t.expires_at,"
			       " t.revoked_at, t.last_used_at FROM api_tokens t"
			       " JOIN users u ON u.id = t.user_id ORDER BY t.id",
			       NULL);
}

enum fq_err fq_store_token_revoke(struct fq_db *db, int64_t id, int64_t now)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2"
				     " AND revoked_at IS NULL",
				     "ii", now, id);

	return err ? err : changed ? FQ_OK : FQ_ERR_NOT_FOUND;
}
