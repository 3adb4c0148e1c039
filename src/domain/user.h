/* User accounts (DOMAIN §1, §13): roles, org unit, passwords, lockout. */
#ifndef FQ_USER_H
#define FQ_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

struct fq_user_input {
	const char *username;
	const char *display_name;
	const char *role;
	int64_t org_id;
	const char *password;
	bool must_change_password;
};

/* Checks a user name: 3–32 of a-z 0-9 . _ - starting with a letter. */
enum fq_err fq_user_name_check(const char *name, struct fq_error *e);

/* Creates a user. Privileged roles (sysadmin, secadmin, auditor) may only be
 * given by a caller holding role.assign; bypass_scope is for the CLI. */
enum fq_err fq_user_create(struct fq_ctx *c, const struct fq_user_input *in, bool from_cli,
			   int64_t *id);
/* display_name NULL, org_id 0, disabled -1 leave a field unchanged. */
enum fq_err fq_user_update(struct fq_ctx *c, int64_t id, const char *display_name,
			   int64_t org_id, int disabled);
enum fq_err fq_user_set_role(struct fq_ctx *c, int64_t id, const char *role);
enum fq_err fq_user_unlock(struct fq_ctx *c, int64_t id);
/* Sets a random temporary password (written to temp, 17 bytes) that must be
 * changed at the next sign-in. */
enum fq_err fq_user_reset_password(struct fq_ctx *c, int64_t id, char temp[17]);
/* Removes the user's TOTP secret (a lost phone): they set it up again at the
 * next sign-in. */
enum fq_err fq_user_reset_totp(struct fq_ctx *c, int64_t id);
json_t *fq_user_get(struct fq_ctx *c, int64_t id);
json_t *fq_user_list(struct fq_ctx *c, const char *q, int64_t page, int64_t per_page);

#endif
