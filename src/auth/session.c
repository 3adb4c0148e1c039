/* Sessions and API tokens: sign-in with lockout and rate limit, authenticating
 * a request by cookie or bearer token, sign-out. */
#include "auth/session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "auth/secret.h"
#include "auth/totp.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/log.h"
#include "core/time.h"
#include "store/session_store.h"
#include "store/store.h"
#include "store/user_store.h"

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

/* A store failure: keeps an error already reported. */
static enum fq_err store_fail(struct fq_auth *a, enum fq_err err)
{
	return fq_fail_keep(a->e, err, NULL);
}

static void principal_from_row(struct fq_principal *w, const struct fq_caller_row *row)
{
	const struct fq_role *role = fq_role_find(row->role);

	memset(w, 0, sizeof(*w));
	w->user_id = row->user_id;
	w->username = row->username;
	w->display_name = row->display_name;
	w->role = row->role;
	w->org_id = row->org_id;
	w->org_name = row->org_name;
	w->org_path = row->org_path;
	w->must_change_password = row->must_change_password;
	w->totp_enrolled = row->totp_enrolled;
	w->whole_tree = role && role->whole_tree;
	w->totp_required = role && role->totp_required;
	if (w->whole_tree)
		w->org_path = "/";
}

enum fq_err fq_auth_token(struct fq_auth *a, const char *token, struct fq_principal *who)
{
	struct fq_caller_row row;
	char hash[65];
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	fq_token_hash(token, hash);
	err = fq_store_token_caller(a->db, a->arena, hash, &row);
	if (err && err != FQ_ERR_NOT_FOUND)
		return store_fail(a, err);
	if (err || row.disabled || row.revoked || (row.expires_at && row.expires_at <= now))
		return fq_fail(a->e, FQ_ERR_UNAUTH, "bad_token", NULL,
			       "the API token is unknown, expired or revoked");
	principal_from_row(who, &row);
	who->token_id = row.token_id;
	who->scopes = row.scopes;
	/* A token is for a script: no password change or TOTP step applies. */
	who->must_change_password = false;
	who->totp_required = false;
	who->needs_touch = now - row.last_used_at > TOUCH_EVERY_MS;
	return FQ_OK;
}

enum fq_err fq_auth_session(struct fq_auth *a, const char *secret, struct fq_principal *who)
{
	struct fq_caller_row row;
	char hash[65];
	int64_t now = fq_time_now_ms(), idle_ms = a->cfg->session_idle_minutes * 60000;
	enum fq_err err;

	fq_token_hash(secret, hash);
	err = fq_store_session_caller(a->db, a->arena, hash, &row);
	if (err && err != FQ_ERR_NOT_FOUND)
		return store_fail(a, err);
	if (err || row.disabled || now - row.last_seen_at > idle_ms)
		return fq_fail(a->e, FQ_ERR_UNAUTH, "session_expired", NULL,
			       "your session has ended: sign in again");
	principal_from_row(who, &row);
	who->session_id = row.session_id;
	who->csrf_token = row.csrf_token;
	who->needs_touch = now - row.last_seen_at > TOUCH_EVERY_MS;
	return FQ_OK;
}

void fq_auth_touch(struct fq_db *db, struct fq_principal *who)
{
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	if (!who->needs_touch || (!who->token_id && !who->session_id) || fq_db_begin(db, true))
		return;
	if (who->token_id)
		err = fq_store_token_touch(db, who->token_id, now);
	else
		err = fq_store_session_touch(db, who->session_id, now);
	if (err || fq_db_commit(db)) {
		fq_db_rollback(db);
		fq_log_warn("cannot record the last use of session or token of user %lld",
			    (long long)who->user_id);
	}
	who->needs_touch = false;
}

/* Login rate limit per client address and minute, against password guessing
 * spread over many accounts. */
static enum fq_err rate_limit(struct fq_auth *a, const char *addr, int64_t now)
{
	int64_t count = 0;
	enum fq_err err = fq_store_login_attempt(a->db, addr ? addr : "", now / 60000, &count);

	if (err)
		return store_fail(a, err);
	if (count > a->cfg->rate_limit_per_minute) {
		a->keep = true;
		return fq_fail(a->e, FQ_ERR_LIMIT, "rate_limited", NULL,
			       "too many sign-in attempts from your address: wait a minute");
	}
	return FQ_OK;
}

/* The answers of the lockout, the same for every account and for names that
 * do not exist: the one that locks, and those while it lasts. */
static enum fq_err just_locked(struct fq_auth *a)
{
	return fq_fail(a->e, FQ_ERR_LIMIT, "account_locked", NULL,
		       "too many failed sign-ins: the account is locked for %lld minutes",
		       (long long)a->cfg->lockout_minutes);
}

static enum fq_err still_locked(struct fq_auth *a, int64_t locked_until, int64_t now)
{
	return fq_fail(a->e, FQ_ERR_LIMIT, "account_locked", NULL,
		       "the account is locked after too many failed sign-ins: try again"
		       " in %lld minutes or ask the administrator to unlock it",
		       (long long)((locked_until - now) / 60000 + 1));
}

/* Counts a failed sign-in in the database itself, so failures through
 * several server processes add up; the last one locks the account. */
static enum fq_err count_failure(struct fq_auth *a, int64_t user_id, int64_t now)
{
	int64_t failures = 0;
	enum fq_err err;

	a->keep = true;
	err = fq_store_login_failed(a->db, user_id, &failures);
	if (!err && failures >= a->cfg->lockout_failures)
		err = fq_store_login_lock(a->db, user_id, now + a->cfg->lockout_minutes * 60000);
	if (err)
		return store_fail(a, err);
	return failures >= a->cfg->lockout_failures ? just_locked(a) : FQ_OK;
}

static enum fq_err bad_credentials(struct fq_auth *a)
{
	return fq_fail(a->e, FQ_ERR_UNAUTH, "bad_credentials", NULL, "wrong user name or password");
}

/* A name that is no user's: the same steps, costs and answers as a wrong
 * password for a user (a lock checked first, a password hash verified, the
 * failure counted, the lock after as many), against a keyed hash of the name. */
static enum fq_err unknown_name(struct fq_auth *a, const char *username, const char *password,
				int64_t now)
{
	char hash[65];
	int64_t failures = 0, locked_until = 0;
	enum fq_err err;

	a->keep = true;
	fq_keyed_hash(a->keys, username, hash);
	err = fq_store_name_prune(a->db, now);
	if (!err)
		err = fq_store_name_failures(a->db, hash, &failures, &locked_until);
	if (err)
		return store_fail(a, err);
	if (locked_until > now)
		return still_locked(a, locked_until, now);
	pthread_once(&dummy_once, make_dummy_hash);
	fq_password_verify(dummy_hash, password);
	err = fq_store_name_failed(a->db, hash, now, &failures);
	if (!err && failures >= a->cfg->lockout_failures)
		err = fq_store_name_lock(a->db, hash, now + a->cfg->lockout_minutes * 60000);
	if (err)
		return store_fail(a, err);
	return failures >= a->cfg->lockout_failures ? just_locked(a) : bad_credentials(a);
}

/* Checks a TOTP code of an enrolled user and claims its time step in the
 * database: of two sign-ins with one code, through any servers, only the
 * first gets it. */
static enum fq_err check_totp(struct fq_auth *a, const struct fq_login_row *u, const char *code,
			      int64_t now, bool *ok)
{
	char *secret = NULL;
	int64_t step = 0;
	bool claimed = false;
	enum fq_err err;

	if (!u->totp_secret_len || fq_unseal(a->keys, u->totp_secret, u->totp_secret_len, &secret))
		return fq_fail(a->e, FQ_ERR_INTERNAL, NULL, NULL, "cannot read the TOTP secret");
	*ok = fq_totp_verify(secret, code, now / 1000, 1, u->totp_last_step, &step);
	free(secret);
	if (!*ok)
		return FQ_OK;
	err = fq_store_login_claim_step(a->db, u->id, step, &claimed);
	if (err)
		return store_fail(a, err);
	*ok = claimed;
	return FQ_OK;
}

enum fq_err fq_auth_login(struct fq_auth *a, struct fq_login *in, struct fq_principal *who,
			  char secret[FQ_SESSION_SECRET_MAX])
{
	struct fq_login_row u;
	struct fq_caller_row row;
	int64_t now = fq_time_now_ms(), session_id = 0;
	char csrf[48], hash[65];
	bool ok;
	enum fq_err err;

	secret[0] = '\0';
	in->user_id = 0;
	err = rate_limit(a, in->client_addr, now);
	if (err)
		return err;
	err = fq_store_login_by_name(a->db, in->username, &u);
	if (err == FQ_ERR_NOT_FOUND)
		return unknown_name(a, in->username, in->password, now);
	if (err)
		return store_fail(a, err);
	in->user_id = u.id;
	if (u.locked_until > now) {
		a->keep = true;
		return still_locked(a, u.locked_until, now);
	}
	if (!fq_password_verify(u.password_hash, in->password)) {
		err = count_failure(a, u.id, now);
		return err ? err : bad_credentials(a);
	}
	if (u.disabled) {
		a->keep = true;
		return fq_fail(a->e, FQ_ERR_FORBIDDEN, "account_disabled", NULL,
			       "this account is disabled");
	}
	if (u.totp_enrolled) {
		if (!in->totp || !*in->totp) {
			a->keep = true;
			return fq_fail(a->e, FQ_ERR_UNAUTH, "totp_required", "totp",
				       "enter the 6-digit code from your authenticator app");
		}
		err = check_totp(a, &u, in->totp, now, &ok);
		if (err)
			return err;
		if (!ok) {
			err = count_failure(a, u.id, now);
			return err ? err
				   : fq_fail(a->e, FQ_ERR_UNAUTH, "totp_invalid", "totp",
					     "the code is wrong or was used already");
		}
	}
	fq_random_token(NULL, 32, secret, FQ_SESSION_SECRET_MAX);
	fq_random_token(NULL, 24, csrf, sizeof(csrf));
	fq_token_hash(secret, hash);
	err = fq_store_login_succeeded(a->db, u.id);
	if (!err)
		err = fq_store_session_prune(a->db, now - a->cfg->session_idle_minutes * 60000);
	if (!err)
		err = fq_store_session_insert(a->db, hash, u.id, csrf, in->client_addr, now,
					      &session_id);
	if (!err)
		err = fq_store_user_caller(a->db, a->arena, u.id, &row);
	if (err) {
		secret[0] = '\0';
		return store_fail(a, err);
	}
	principal_from_row(who, &row);
	who->session_id = session_id;
	who->csrf_token = fq_arena_strdup(a->arena, csrf);
	if (!who->csrf_token) {
		secret[0] = '\0';
		return store_fail(a, FQ_ERR_NOMEM);
	}
	return FQ_OK;
}

enum fq_err fq_auth_logout(struct fq_auth *a, const struct fq_principal *who)
{
	enum fq_err err = FQ_OK;

	if (who->session_id)
		err = fq_store_session_delete(a->db, who->session_id);
	return err ? store_fail(a, err) : FQ_OK;
}

enum fq_err fq_auth_change_password(struct fq_auth *a, struct fq_principal *who,
				    const char *old_pw, const char *new_pw)
{
	struct fq_login_row u;
	char hash[128];
	int64_t now = fq_time_now_ms();
	enum fq_err err = fq_store_login_by_id(a->db, who->user_id, &u);

	if (err)
		return store_fail(a, err);
	/* The old password is a password guess like a sign-in: the same
	 * lock, the same count. */
	if (u.locked_until > now)
		return still_locked(a, u.locked_until, now);
	if (!fq_password_verify(u.password_hash, old_pw)) {
		err = count_failure(a, u.id, now);
		return err ? err
			   : fq_fail(a->e, FQ_ERR_INVALID, "wrong_password", "old_password",
				     "the current password is wrong");
	}
	if (!strcmp(old_pw, new_pw))
		return fq_fail(a->e, FQ_ERR_INVALID, NULL, "new_password",
			       "the new password must differ from the current one");
	err = fq_password_policy(new_pw, "new_password", a->e);
	if (err)
		return err;
	if (fq_password_hash(new_pw, hash))
		return fq_fail(a->e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password");
	/* Clears the failure count and any lock too. */
	err = fq_store_user_set_password(a->db, u.id, hash, false);
	/* Other sessions of this user end; this one goes on. */
	if (!err)
		err = fq_store_session_drop_user(a->db, u.id, who->session_id);
	if (err)
		return store_fail(a, err);
	who->must_change_password = false;
	return FQ_OK;
}

static enum fq_err totp_set_up_already(struct fq_auth *a)
{
	return fq_fail(a->e, FQ_ERR_CONFLICT, NULL, NULL, "two-factor sign-in is set up already");
}

enum fq_err fq_auth_totp_begin(struct fq_auth *a, const struct fq_principal *who, char *secret,
			       char *uri)
{
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	enum fq_err err;

	secret[0] = uri[0] = '\0';
	if (who->totp_enrolled)
		return totp_set_up_already(a);
	if (fq_totp_new_secret(secret, FQ_TOTP_SECRET_MAX) ||
	    fq_seal(a->keys, secret, strlen(secret), &sealed, &sealed_len)) {
		secret[0] = '\0';
		return fq_fail(a->e, FQ_ERR_INTERNAL, NULL, NULL, "cannot make a TOTP secret");
	}
	/* Stored but not in force until confirmed with a code of it. */
	err = fq_store_user_set_totp(a->db, who->user_id, sealed, sealed_len, false, 0);
	free(sealed);
	if (err) {
		secret[0] = '\0';
		return store_fail(a, err);
	}
	fq_totp_uri("Fengqiao", who->username, secret, uri, FQ_TOTP_URI_MAX);
	return FQ_OK;
}

enum fq_err fq_auth_totp_confirm(struct fq_auth *a, struct fq_principal *who, const char *code)
{
	void *sealed = NULL;
	size_t len = 0;
	char *secret = NULL;
	int64_t last_step = 0, step = 0;
	enum fq_err err;

	if (who->totp_enrolled)
		return totp_set_up_already(a);
	err = fq_store_user_totp(a->db, who->user_id, &sealed, &len, &last_step);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(a->e, FQ_ERR_INVALID, NULL, "code", "start the set-up first");
	if (err)
		return store_fail(a, err);
	if (fq_unseal(a->keys, sealed, len, &secret))
		err = fq_fail(a->e, FQ_ERR_INTERNAL, NULL, NULL, "cannot read the TOTP secret");
	else if (!fq_totp_verify(secret, code, fq_time_now_ms() / 1000, 1, last_step, &step))
		err = fq_fail(a->e, FQ_ERR_INVALID, "totp_invalid", "code",
			      "the code is wrong: check the time on your phone");
	else if ((err = fq_store_user_set_totp(a->db, who->user_id, sealed, len, true, step)))
		store_fail(a, err);
	free(sealed);
	free(secret);
	if (err)
		return err;
	who->totp_enrolled = true;
	return FQ_OK;
}

enum fq_err fq_token_create(struct fq_db *db, int64_t user_id, const char *label,
			    const char *scopes, int64_t expires_at, char *token, size_t size,
			    int64_t *id)
{
	char hash[65];

	fq_random_token("fqt_", 32, token, size);
	fq_token_hash(token, hash);
	return fq_store_token_insert(db, user_id, label, hash, scopes, fq_time_now_ms(), expires_at,
				     id);
}

json_t *fq_token_list(struct fq_db *db, enum fq_err *err)
{
	return fq_store_token_list(db, err);
}

enum fq_err fq_token_revoke(struct fq_db *db, int64_t id)
{
	return fq_store_token_revoke(db, id, fq_time_now_ms());
}

enum fq_err fq_sessions_drop_user(struct fq_db *db, int64_t user_id, int64_t keep_session_id)
{
	return fq_store_session_drop_user(db, user_id, keep_session_id);
}
