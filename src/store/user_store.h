/* SQL for user accounts. */
#ifndef FQ_USER_STORE_H
#define FQ_USER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_user_row {
	int64_t id;
	char username[64];
	char role[16];
	int64_t org_id;
	char org_path[256];
	char password_hash[128];
	bool disabled;
	bool totp_enrolled;
	char display_name[128];
};

struct fq_user_new {
	const char *username;
	const char *display_name;
	const char *role;
	int64_t org_id;
	const char *password_hash;
	bool must_change_password;
};

enum fq_err fq_store_user_get(struct fq_db *db, int64_t id, struct fq_user_row *out);
enum fq_err fq_store_user_by_name(struct fq_db *db, const char *username,
				  struct fq_user_row *out);
/* FQ_ERR_CONFLICT when the name is taken. */
enum fq_err fq_store_user_insert(struct fq_db *db, const struct fq_user_new *u, int64_t *id);
/* NULL / 0 / -1 leave a field unchanged. */
enum fq_err fq_store_user_update(struct fq_db *db, int64_t id, const char *display_name,
				 int64_t org_id, int disabled);
enum fq_err fq_store_user_set_role(struct fq_db *db, int64_t id, const char *role);
enum fq_err fq_store_user_set_password(struct fq_db *db, int64_t id, const char *hash,
				       bool must_change);
enum fq_err fq_store_user_unlock(struct fq_db *db, int64_t id);
/* Stores the encrypted TOTP secret; enrolled marks it confirmed. */
enum fq_err fq_store_user_set_totp(struct fq_db *db, int64_t id, const void *secret,
				   size_t len, bool enrolled, int64_t last_step);
/* The encrypted secret (malloc'd copy, to free()) and the last used step. */
enum fq_err fq_store_user_totp(struct fq_db *db, int64_t id, void **secret, size_t *len,
			       int64_t *last_step);

/* Users in scope, newest first; q matches user name or display name. */
json_t *fq_store_user_list(struct fq_db *db, const char *scope, const char *q, int64_t limit,
			   int64_t offset, enum fq_err *err);
json_t *fq_store_user_json(struct fq_db *db, int64_t id, enum fq_err *err);

#endif
