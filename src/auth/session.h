/* Who is calling: server-side sessions (cookie fq_session) and bearer API
 * tokens, and signing in with lockout and TOTP. */
#ifndef FQ_SESSION_H
#define FQ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_req;
struct fq_db;
typedef struct json_t json_t;

#define FQ_SESSION_COOKIE "fq_session"

/* Fills r->who from the Authorization header or the session cookie, with the
 * request's queries (in its transaction when one is open). FQ_ERR_UNAUTH
 * (with r->error set) when neither is valid. */
enum fq_err fq_auth_request(struct fq_req *r);
/* Records the session's or token's last use, in its own short transaction,
 * when it is more than a minute old (r->who.needs_touch). Call it outside
 * the request's transaction. */
void fq_auth_touch(struct fq_req *r);

/* Checks a user name, password and TOTP code; counts failures and locks the
 * account after the configured number. On success creates a session, fills
 * r->who and sets the cookie. Runs in the request's write transaction and
 * sets r->commit_on_error so a failure count stands. */
enum fq_err fq_auth_login(struct fq_req *r, const char *username, const char *password,
			  const char *totp);
/* Ends the caller's session. */
enum fq_err fq_auth_logout(struct fq_req *r);

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
