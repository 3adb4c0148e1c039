/* Sessions and API tokens: sign-in with lockout and rate limit, authenticating
 * a request by cookie or bearer token, sign-out. */
#include "auth/session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/secret.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/app.h"
#include "http/request.h"
#include "store/store.h"

#define TOUCH_EVERY_MS 60000

static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char pw[17];

	fq_random_password(pw);
	if (fq_password_hash(pw, dummy_hash))
		dummy_hash[0] = '\0';
}

#define PRINCIPAL_COLUMNS                                                              \
	"u.id, u.username, u.display_name, u.role, u.org_id, o.name, o.path,"          \
	" u.must_change_password, u.totp_enrolled, u.disabled"

static void principal_from_row(struct fq_req *r, struct fq_stmt *st)
{
	struct fq_principal *w = &r->who;
	const struct fq_role *role;

	w->user_id = fq_stmt_int(st, 0);
	w->username = fq_arena_strdup(r->arena, fq_stmt_text(st, 1));
	w->display_name = fq_arena_strdup(r->arena, fq_stmt_text(st, 2));
	w->role = fq_arena_strdup(r->arena, fq_stmt_text(st, 3));
	w->org_id = fq_stmt_int(st, 4);
	w->org_name = fq_arena_strdup(r->arena, fq_stmt_text(st, 5));
	w->org_path = fq_arena_strdup(r->arena, fq_stmt_text(st, 6));
	w->must_change_password = fq_stmt_int(st, 7) != 0;
	w->totp_enrolled = fq_stmt_int(st, 8) != 0;
	role = fq_role_find(w->role);
	w->whole_tree = role && role->whole_tree;
	w->totp_required = role && role->totp_required;
	if (w->whole_tree)
		w->org_path = "/";
}

static enum fq_err auth_token(struct fq_req *r, const char *token)
{
	struct fq_db *db = r->db;
	struct fq_stmt *st;
	char hash[65];
	int64_t now = fq_time_now_ms(), last_used = 0;
	enum fq_err err;
	int rc;

	fq_token_hash(token, hash);
	err = fq_db_query(db, &st,
			  "SELECT " PRINCIPAL_COLUMNS ", t.id, t.scopes, t.expires_at, t.revoked_at,"
			  " t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id"
			  " JOIN org_units o ON o.id = u.org_id WHERE t.token_hash = ?1",
			  "s", hash);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	rc = fq_stmt_next(st);
	if (rc == 1 && !fq_stmt_int(st, 9) && fq_stmt_null(st, 13) &&
	    (fq_stmt_null(st, 12) || fq_stmt_int(st, 12) > now)) {
		principal_from_row(r, st);
		r->who.token_id = fq_stmt_int(st, 10);
		r->who.scopes = fq_arena_strdup(r->arena, fq_stmt_text(st, 11));
		last_used = fq_stmt_int(st, 14);
		/* A token is for a script: no password change or TOTP step applies. */
		r->who.must_change_password = false;
		r->who.totp_required = false;
	} else if (rc >= 0) {
		rc = 0;
	}
	fq_stmt_done(st);
	if (rc < 0)
		return fq_req_fail(r, (enum fq_err)-rc, NULL, NULL, NULL);
	if (rc == 0)
		return fq_req_fail(r, FQ_ERR_UNAUTH, "bad_token", NULL,
				   "the API token is unknown, expired or revoked");
	r->who.needs_touch = now - last_used > TOUCH_EVERY_MS;
	return FQ_OK;
}

static enum fq_err auth_session(struct fq_req *r, const char *token)
{
	struct fq_db *db = r->db;
	struct fq_stmt *st;
	char hash[65];
	int64_t now = fq_time_now_ms(), last_seen = 0;
	int64_t idle_ms = r->app->cfg.session_idle_minutes * 60000;
	enum fq_err err;
	int rc;

	fq_token_hash(token, hash);
	err = fq_db_query(db, &st,
			  "SELECT " PRINCIPAL_COLUMNS ", s.id, s.csrf_token, s.last_seen_at"
			  " FROM sessions s JOIN users u ON u.id = s.user_id"
			  " JOIN org_units o ON o.id = u.org_id WHERE s.token_hash = ?1",
			  "s", hash);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	rc = fq_stmt_next(st);
	if (rc == 1) {
		last_seen = fq_stmt_int(st, 12);
		if (fq_stmt_int(st, 9) || now - last_seen > idle_ms) {
			rc = 0; /* disabled user or expired session */
		} else {
			principal_from_row(r, st);
			r->who.session_id = fq_stmt_int(st, 10);
			r->who.csrf_token = fq_arena_strdup(r->arena, fq_stmt_text(st, 11));
		}
	}
	fq_stmt_done(st);
	if (rc < 0)
		return fq_req_fail(r, (enum fq_err)-rc, NULL, NULL, NULL);
	if (rc == 0)
		return fq_req_fail(r, FQ_ERR_UNAUTH, "session_expired", NULL,
				   "your session has ended: sign in again");
	r->who.needs_touch = now - last_seen > TOUCH_EVERY_MS;
	return FQ_OK;
}

void fq_auth_touch(struct fq_req *r)
{
	struct fq_db *db = r->db;
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	if (!r->authenticated || !r->who.needs_touch || fq_db_begin(db, true))
		return;
	if (r->who.token_id)
		err = fq_db_exec(db, NULL, "UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2",
				 "ii", now, r->who.token_id);
	else
		err = fq_db_exec(db, NULL, "UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2",
				 "ii", now, r->who.session_id);
	if (err || fq_db_commit(db)) {
		fq_db_rollback(db);
		fq_log_warn("cannot record the last use of session or token of user %lld",
			    (long long)r->who.user_id);
	}
	r->who.needs_touch = false;
}

enum fq_err fq_auth_request(struct fq_req *r)
{
	enum fq_err err;

	if (r->authorization && r->authorization[0]) {
		if (strncmp(r->authorization, "Bearer ", 7))
			return fq_req_fail(r, FQ_ERR_UNAUTH, "bad_token", NULL,
					   "use 'Authorization: Bearer <token>'");
		err = auth_token(r, r->authorization + 7);
	} else if (r->session_cookie && r->session_cookie[0]) {
		err = auth_session(r, r->session_cookie);
	} else {
		return fq_req_fail(r, FQ_ERR_UNAUTH, NULL, NULL, "sign in first");
	}
	if (!err)
		r->authenticated = true;
	return err;
}

static bool cookie_secure(const struct fq_req *r)
{
	const char *mode = r->app->cfg.cookie_secure;

	if (!strcmp(mode, "always"))
		return true;
	if (!strcmp(mode, "never"))
		return false;
	return r->forwarded_proto && !strcmp(r->forwarded_proto, "https");
}

/* Login rate limit per client address and minute, against password guessing
 * spread over many accounts. */
static enum fq_err rate_limit(struct fq_req *r, int64_t now)
{
	struct fq_stmt *st;
	int64_t minute = now / 60000, count = 0;
	const char *addr = r->client_addr ? r->client_addr : "";
	enum fq_err err;

	err = fq_db_exec(r->db, NULL,
			 "INSERT INTO login_attempts (client_addr, minute, count) VALUES (?1, ?2, 1)"
			 " ON CONFLICT (client_addr, minute) DO UPDATE SET count = login_attempts.count + 1",
			 "si", addr, minute);
	if (!err)
		err = fq_db_exec(r->db, NULL, "DELETE FROM login_attempts WHERE minute < ?1", "i",
				 minute - 1);
	if (!err)
		err = fq_db_query(r->db, &st,
				  "SELECT count FROM login_attempts WHERE client_addr = ?1 AND minute = ?2",
				  "si", addr, minute);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	if (fq_stmt_next(st) == 1)
		count = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	if (count > r->app->cfg.rate_limit_per_minute) {
		r->commit_on_error = true;
		return fq_req_fail(r, FQ_ERR_LIMIT, "rate_limited", NULL,
				   "too many sign-in attempts from your address: wait a minute");
	}
	return FQ_OK;
}

/* Counts a failed sign-in in the database itself, so failures through
 * several server processes add up; the last one locks the account. */
static enum fq_err count_failure(struct fq_req *r, int64_t user_id, int64_t now)
{
	const struct fq_config *cfg = &r->app->cfg;
	int64_t failures = 0;
	enum fq_err err;

	r->commit_on_error = true;
	err = fq_db_insert(r->db, &failures,
			   "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1"
			   " RETURNING failed_logins",
			   "i", user_id);
	if (!err && failures >= cfg->lockout_failures)
		err = fq_db_exec(r->db, NULL,
				 "UPDATE users SET failed_logins = 0, locked_until = ?1 WHERE id = ?2",
				 "ii", now + cfg->lockout_minutes * 60000, user_id);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	if (failures >= cfg->lockout_failures)
		return fq_req_fail(r, FQ_ERR_LIMIT, "account_locked", NULL,
				   "too many failed sign-ins: the account is locked for %lld minutes",
				   (long long)cfg->lockout_minutes);
	return FQ_OK;
}

enum fq_err fq_auth_login(struct fq_req *r, const char *username, const char *password,
			  const char *totp)
{
	struct fq_stmt *st;
	int64_t now = fq_time_now_ms(), user_id = 0, locked_until = 0, claimed = 0;
	int64_t last_step = 0, step = 0;
	char *hash = NULL, *secret_enc = NULL, session[64], csrf[48], token_hash[65];
	const void *blob;
	size_t blob_len = 0;
	bool disabled = false, enrolled = false, ok;
	enum fq_err err;
	int rc;

	r->audit.object_type = "user";
	r->audit.object_id = username;
	err = rate_limit(r, now);
	if (err)
		return err;
	err = fq_db_query(r->db, &st,
			  "SELECT id, password_hash, failed_logins, locked_until, disabled,"
			  " totp_enrolled, totp_secret, totp_last_step FROM users WHERE username = ?1",
			  "s", username);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	rc = fq_stmt_next(st);
	if (rc == 1) {
		user_id = fq_stmt_int(st, 0);
		hash = fq_arena_strdup(r->arena, fq_stmt_text(st, 1));
		locked_until = fq_stmt_int(st, 3);
		disabled = fq_stmt_int(st, 4) != 0;
		enrolled = fq_stmt_int(st, 5) != 0;
		blob = fq_stmt_blob(st, 6, &blob_len);
		if (blob && blob_len) {
			secret_enc = fq_arena_alloc(r->arena, blob_len);
			if (secret_enc)
				memcpy(secret_enc, blob, blob_len);
		}
		last_step = fq_stmt_int(st, 7);
	}
	fq_stmt_done(st);
	if (rc < 0)
		return fq_req_fail(r, (enum fq_err)-rc, NULL, NULL, NULL);
	if (!user_id) {
		/* Spend the same time as a real check so names cannot be probed. */
		pthread_once(&dummy_once, make_dummy_hash);
		fq_password_verify(dummy_hash, password);
		r->commit_on_error = true;
		return fq_req_fail(r, FQ_ERR_UNAUTH, "bad_credentials", NULL,
				   "wrong user name or password");
	}
	r->audit.object_id = fq_arena_printf(r->arena, "%lld", (long long)user_id);
	if (locked_until > now) {
		r->commit_on_error = true;
		return fq_req_fail(r, FQ_ERR_LIMIT, "account_locked", NULL,
				   "the account is locked after too many failed sign-ins: try again"
				   " in %lld minutes or ask the administrator to unlock it",
				   (long long)((locked_until - now) / 60000 + 1));
	}
	if (!fq_password_verify(hash, password)) {
		err = count_failure(r, user_id, now);
		if (err)
			return err;
		return fq_req_fail(r, FQ_ERR_UNAUTH, "bad_credentials", NULL,
				   "wrong user name or password");
	}
	if (disabled) {
		r->commit_on_error = true;
		return fq_req_fail(r, FQ_ERR_FORBIDDEN, "account_disabled", NULL,
				   "this account is disabled");
	}
	if (enrolled) {
		char *secret = NULL;

		if (!totp || !*totp) {
			r->commit_on_error = true;
			return fq_req_fail(r, FQ_ERR_UNAUTH, "totp_required", "totp",
					   "enter the 6-digit code from your authenticator app");
		}
		if (!secret_enc || fq_unseal(r->app->keys, secret_enc, blob_len, &secret))
			return fq_req_fail(r, FQ_ERR_INTERNAL, NULL, NULL,
					   "cannot read the TOTP secret");
		ok = fq_totp_verify(secret, totp, now / 1000, 1, last_step, &step);
		free(secret);
		/* Claim the code's time step in the database: of two sign-ins with
		 * one code, through any servers, only the first gets it. */
		if (ok && (fq_db_exec(r->db, &claimed,
				      "UPDATE users SET totp_last_step = ?1 WHERE id = ?2"
				      " AND totp_last_step < ?1",
				      "ii", step, user_id) ||
			   claimed != 1))
			ok = false;
		if (!ok) {
			err = count_failure(r, user_id, now);
			if (err)
				return err;
			return fq_req_fail(r, FQ_ERR_UNAUTH, "totp_invalid", "totp",
					   "the code is wrong or was used already");
		}
	}
	fq_random_token(NULL, 32, session, sizeof(session));
	fq_random_token(NULL, 24, csrf, sizeof(csrf));
	fq_token_hash(session, token_hash);
	err = fq_db_exec(r->db, NULL,
			 "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1", "i",
			 user_id);
	if (!err)
		err = fq_db_exec(r->db, NULL, "DELETE FROM sessions WHERE last_seen_at < ?1", "i",
				 now - r->app->cfg.session_idle_minutes * 60000);
	if (!err)
		err = fq_db_insert(r->db, &r->who.session_id,
				   "INSERT INTO sessions (token_hash, user_id, csrf_token, client_addr,"
				   " created_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
				   "sissi", token_hash, user_id, csrf, r->client_addr, now);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	err = fq_db_query(r->db, &st,
			  "SELECT " PRINCIPAL_COLUMNS " FROM users u JOIN org_units o ON o.id = u.org_id"
			  " WHERE u.id = ?1",
			  "i", user_id);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	if (fq_stmt_next(st) == 1)
		principal_from_row(r, st);
	fq_stmt_done(st);
	r->who.csrf_token = fq_arena_strdup(r->arena, csrf);
	r->authenticated = true;
	r->set_cookie = fq_arena_printf(r->arena,
					FQ_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
					session, cookie_secure(r) ? "; Secure" : "");
	return FQ_OK;
}

enum fq_err fq_auth_logout(struct fq_req *r)
{
	enum fq_err err = FQ_OK;

	if (r->who.session_id)
		err = fq_db_exec(r->db, NULL, "DELETE FROM sessions WHERE id = ?1", "i",
				 r->who.session_id);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	r->set_cookie = FQ_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	return FQ_OK;
}

enum fq_err fq_token_create(struct fq_db *db, int64_t user_id, const char *label,
			    const char *scopes, int64_t expires_at, char *token, size_t size,
			    int64_t *id)
{
	char hash[65];

	fq_random_token("fqt_", 32, token, size);
	fq_token_hash(token, hash);
	return fq_db_insert(db, id,
			    "INSERT INTO api_tokens (user_id, label, token_hash, scopes, created_at,"
			    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0)) RETURNING id",
			    "isssii", user_id, label, hash, scopes, fq_time_now_ms(), expires_at);
}

json_t *fq_token_list(struct fq_db *db, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT t.id, u.username, t.label, t.scopes, t.created_at, t.expires_at,"
			       " t.revoked_at, t.last_used_at FROM api_tokens t"
			       " JOIN users u ON u.id = t.user_id ORDER BY t.id",
			       NULL);
}

enum fq_err fq_token_revoke(struct fq_db *db, int64_t id)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2"
				     " AND revoked_at IS NULL",
				     "ii", fq_time_now_ms(), id);

	return err ? err : changed ? FQ_OK : FQ_ERR_NOT_FOUND;
}

enum fq_err fq_sessions_drop_user(struct fq_db *db, int64_t user_id, int64_t keep_session_id)
{
	return fq_db_exec(db, NULL, "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", "ii",
			  user_id, keep_session_id);
}
