/* Who is calling: server-side sessions and bearer API tokens; signing in with
 * lockout and TOTP; changing one's password; setting up TOTP. No HTTP here:
 * the functions take the credentials (a session or token secret, a user name
 * and password, a client address) and give back a principal or an error;
 * src/http/app.c and src/api/session.c read headers and set cookies. */
#ifndef FQ_SESSION_H
#define FQ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_arena;
struct fq_keys;
struct fq_config;
struct fq_principal;
typedef struct json_t json_t;

#define FQ_SESSION_COOKIE "fq_session"
/* Room for a session secret, as fq_auth_login writes it. */
#define FQ_SESSION_SECRET_MAX 64

/* What an authentication call works with. */
struct fq_auth {
	struct fq_db *db;             /* in the caller's transaction */
	const struct fq_config *cfg;  /* idle time, lockout, rate limit */
	const struct fq_keys *keys;
	struct fq_arena *arena;       /* holds the principal's strings */
	struct fq_error *e;           /* the first error is kept */
	/* Out: the call failed but wrote what must stand (a failure count, a
	 * lockout, the rate count): commit the transaction all the same. */
	bool keep;
};

/* Fills *who from an API token's secret. FQ_ERR_UNAUTH "bad_token" when it
 * is unknown, expired or revoked, or its user is disabled. A token is for a
 * script: no password change or TOTP step applies to it. */
enum fq_err fq_auth_token(struct fq_auth *a, const char *token, struct fq_principal *who);
/* Fills *who from a session's secret (the cookie's value). FQ_ERR_UNAUTH
 * "session_expired" when it is unknown, idle too long or its user disabled. */
enum fq_err fq_auth_session(struct fq_auth *a, const char *secret, struct fq_principal *who);
/* Records the session's or token's last use, in its own short transaction,
 * when who->needs_touch (more than a minute old). Call it outside any
 * transaction; a failure is only logged. */
void fq_auth_touch(struct fq_db *db, struct fq_principal *who);

struct fq_login {
	const char *username;
	const char *password;
	const char *totp;        /* may be NULL */
	const char *client_addr; /* for the per-address rate limit; may be NULL */
	int64_t user_id;         /* out: the user's id once the name is known, else 0 */
};

/* Signs in: checks the rate of attempts from the address, the name, the
 * password and the TOTP code; counts failures and locks the account after
 * cfg->lockout_failures of them. A name that does not exist is counted and
 * locked the same way, so the answers never tell whether it exists. On
 * success creates a session, fills *who and writes its secret (for the
 * cookie) into secret. Sets a->keep when failure counts were written. */
enum fq_err fq_auth_login(struct fq_auth *a, struct fq_login *in, struct fq_principal *who,
			  char secret[FQ_SESSION_SECRET_MAX]);
/* Ends the caller's session (nothing for a token). */
enum fq_err fq_auth_logout(struct fq_auth *a, const struct fq_principal *who);

/* The caller changes their own password. A wrong old password counts as a
 * failed sign-in (and may lock the account: "account_locked"); a locked
 * account cannot change it. Other sessions of the user end; who->session_id
 * goes on. Sets a->keep when a failure was counted. */
enum fq_err fq_auth_change_password(struct fq_auth *a, struct fq_principal *who,
				    const char *old_pw, const char *new_pw);

/* Starts TOTP set-up: a new secret (base32, FQ_TOTP_SECRET_MAX bytes), stored
 * encrypted and not yet in force, and its otpauth URI (FQ_TOTP_URI_MAX).
 * FQ_ERR_CONFLICT when TOTP is set up already. */
enum fq_err fq_auth_totp_begin(struct fq_auth *a, const struct fq_principal *who, char *secret,
			       char *uri);
/* Finishes TOTP set-up with a code of the new secret; sets who->totp_enrolled.
 * FQ_ERR_INVALID (field "code") when not started or the code is wrong. */
enum fq_err fq_auth_totp_confirm(struct fq_auth *a, struct fq_principal *who, const char *code);

/* Creates an API token for user_id with scopes (space-separated permissions)
 * and prints the secret into token (shown once). */
enum fq_err fq_token_create(struct fq_db *db, int64_t user_id, const char *label,
			    const char *scopes, int64_t expires_at, char *token, size_t size,
			    int64_t *id);

/* Every API token with its user's name, as JSON objects (no secrets). */
json_t *fq_token_list(struct fq_db *db, enum fq_err *err);
/* Revokes an active token; FQ_ERR_NOT_FOUND when there is none with that id. */
enum fq_err fq_token_revoke(struct fq_db *db, int64_t id);

/* Drops every session of a user but keep_session_id (0 = none): after a
 * password change or reset, a role change, disabling. */
enum fq_err fq_sessions_drop_user(struct fq_db *db, int64_t user_id, int64_t keep_session_id);

#endif
