/* SQL for who is calling: sessions, API tokens, sign-in failures and the
 * lockout, the per-address sign-in count. The rules are in src/auth/session.c. */
#ifndef FQ_SESSION_STORE_H
#define FQ_SESSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_arena;
typedef struct json_t json_t;

/* A user as a caller, with their org unit; strings live in the arena given. */
struct fq_caller_row {
	int64_t user_id;
	const char *username;
	const char *display_name;
	const char *role;
	int64_t org_id;
	const char *org_name;
	const char *org_path;
	bool must_change_password;
	bool totp_enrolled;
	bool disabled;
	/* A session's (fq_store_session_caller) */
	int64_t session_id;
	const char *csrf_token;
	int64_t last_seen_at;
	/* A token's (fq_store_token_caller) */
	int64_t token_id;
	const char *scopes;
	int64_t expires_at; /* 0: never */
	bool revoked;
	int64_t last_used_at;
};

/* The caller of a session or token by the hash of its secret, whatever its
 * state (expired, revoked, disabled user: the caller decides).
 * FQ_ERR_NOT_FOUND when there is none; FQ_ERR_NOMEM when the arena is full. */
enum fq_err fq_store_session_caller(struct fq_db *db, struct fq_arena *arena,
				    const char *token_hash, struct fq_caller_row *out);
enum fq_err fq_store_token_caller(struct fq_db *db, struct fq_arena *arena,
				  const char *token_hash, struct fq_caller_row *out);
/* The user user_id as a caller (after signing in). */
enum fq_err fq_store_user_caller(struct fq_db *db, struct fq_arena *arena, int64_t user_id,
				 struct fq_caller_row *out);

/* What signing in needs of a user. */
struct fq_login_row {
	int64_t id;
	char password_hash[128];
	int64_t locked_until; /* 0: not locked */
	bool disabled;
	bool totp_enrolled;
	unsigned char totp_secret[256]; /* encrypted */
	size_t totp_secret_len;         /* 0: none */
	int64_t totp_last_step;
};

/* FQ_ERR_NOT_FOUND when there is no such user. */
enum fq_err fq_store_login_by_name(struct fq_db *db, const char *username,
				   struct fq_login_row *out);
enum fq_err fq_store_login_by_id(struct fq_db *db, int64_t id, struct fq_login_row *out);

/* Adds one to the user's failed sign-ins; *failures gets the new count. */
enum fq_err fq_store_login_failed(struct fq_db *db, int64_t user_id, int64_t *failures);
/* Locks the user until the time given (ms) and clears the failure count. */
enum fq_err fq_store_login_lock(struct fq_db *db, int64_t user_id, int64_t until);
/* Clears the failure count and any lock (a successful sign-in). */
enum fq_err fq_store_login_succeeded(struct fq_db *db, int64_t user_id);
/* Records step as the user's last TOTP step unless one as late is recorded
 * already; *claimed is true when this call recorded it. */
enum fq_err fq_store_login_claim_step(struct fq_db *db, int64_t user_id, int64_t step,
				      bool *claimed);

/* Failed sign-ins under a user name that does not exist, by a keyed hash of
 * the name: the same count and lock as a user's, so that the answers do not
 * tell which names exist. *locked_until is 0 when there is no lock, and both
 * are 0 for a name never tried. */
enum fq_err fq_store_name_failures(struct fq_db *db, const char *name_hash,
				   int64_t *failures, int64_t *locked_until);
/* Adds one to the name's failures (now: ms); *failures gets the new count. */
enum fq_err fq_store_name_failed(struct fq_db *db, const char *name_hash, int64_t now,
				 int64_t *failures);
enum fq_err fq_store_name_lock(struct fq_db *db, const char *name_hash, int64_t until);
/* Forgets the names whose lock ran out before now: they are as new. */
enum fq_err fq_store_name_prune(struct fq_db *db, int64_t now);

/* Counts one sign-in attempt from addr in the minute given, forgets the
 * minutes before the one before it, and stores the minute's count. */
enum fq_err fq_store_login_attempt(struct fq_db *db, const char *addr, int64_t minute,
				   int64_t *count);

/* A new session; *id gets its id. */
enum fq_err fq_store_session_insert(struct fq_db *db, const char *token_hash, int64_t user_id,
				    const char *csrf_token, const char *client_addr, int64_t now,
				    int64_t *id);
/* Drops the sessions last seen before the time given (ms). */
enum fq_err fq_store_session_prune(struct fq_db *db, int64_t before);
enum fq_err fq_store_session_delete(struct fq_db *db, int64_t id);
/* Drops every session of a user but keep_session_id (0 = none). */
enum fq_err fq_store_session_drop_user(struct fq_db *db, int64_t user_id,
				       int64_t keep_session_id);
enum fq_err fq_store_session_touch(struct fq_db *db, int64_t id, int64_t now);

enum fq_err fq_store_token_insert(struct fq_db *db, int64_t user_id, const char *label,
				  const char *token_hash, const char *scopes, int64_t now,
				  int64_t expires_at, int64_t *id);
enum fq_err fq_store_token_touch(struct fq_db *db, int64_t id, int64_t now);
/* Every API token with its user's name, as JSON objects (no secrets). */
json_t *fq_store_token_list(struct fq_db *db, enum fq_err *err);
/* Revokes an active token; FQ_ERR_NOT_FOUND when there is none with that id. */
enum fq_err fq_store_token_revoke(struct fq_db *db, int64_t id, int64_t now);

#endif
