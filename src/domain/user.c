/* The rules of user accounts: names, roles, creating, changing, unlocking and
 * resetting passwords and TOTP. */
#include "domain/user.h"

#include <jansson.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "auth/secret.h"
#include "auth/session.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "store/user_store.h"

enum fq_err fq_user_name_check(const char *name, struct fq_error *e)
{
	size_t n = strlen(name);

	if (n < 3 || n > 32)
		return fq_fail(e, FQ_ERR_INVALID, NULL, "username",
			       "the user name needs 3 to 32 characters");
	if (name[0] < 'a' || name[0] > 'z')
		return fq_fail(e, FQ_ERR_INVALID, NULL, "username",
			       "the user name must start with a lower-case letter");
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-'))
			return fq_fail(e, FQ_ERR_INVALID, NULL, "username",
				       "the user name may hold only a-z, 0-9, '.', '_' and '-'");
	}
	return FQ_OK;
}

static enum fq_err check_role(struct fq_ctx *c, const char *role, bool from_cli)
{
	const struct fq_role *r = fq_role_find(role);

	if (!r)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "role", "unknown role '%s'", role);
	if (r->privileged && !from_cli && !fq_role_allows(c->who->role, "role.assign"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, "role",
			       "only the security administrator can give the role %s", role);
	return FQ_OK;
}

/* The user, when the caller may see them (their org is in scope). */
static enum fq_err visible_user(struct fq_ctx *c, int64_t id, struct fq_user_row *u)
{
	enum fq_err err = fq_store_user_get(c->db, id, u);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, u->org_path)))
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such user: %lld",
			       (long long)id);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return FQ_OK;
}

/* The user, when the caller may change them. Through the API nobody changes
 * an account holding an administrator role (三员分立: the sysadmin must not
 * take over the auditor's or secadmin's account); that is done with the
 * fengqiao command on the server, whose context has no user id. */
static enum fq_err changeable_user(struct fq_ctx *c, int64_t id, struct fq_user_row *u)
{
	const struct fq_role *role;
	enum fq_err err = visible_user(c, id, u);

	if (err)
		return err;
	role = fq_role_find(u->role);
	if (role && role->privileged && c->who->user_id && id != c->who->user_id)
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "administrator_account", NULL,
			       "the account of a %s is changed with the fengqiao command on the "
			       "server, not in the app",
			       u->role);
	return FQ_OK;
}

enum fq_err fq_user_create(struct fq_ctx *c, const struct fq_user_input *in, bool from_cli,
			   int64_t *id)
{
	char hash[128];
	struct fq_user_new u = {in->username, in->display_name, in->role, in->org_id, hash,
				in->must_change_password};
	enum fq_err err = fq_user_name_check(in->username, c->e);

	if (!err)
		err = check_role(c, in->role, from_cli);
	if (!err)
		err = fq_org_visible(c, in->org_id, "org_id", NULL, NULL);
	if (!err)
		err = fq_password_policy(in->password, "password", c->e);
	if (err)
		return err;
	if (fq_password_hash(in->password, hash))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password");
	err = fq_store_user_insert(c->db, &u, id);
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, NULL, "username", "the user name '%s' is taken",
			       in->username);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return FQ_OK;
}

enum fq_err fq_user_update(struct fq_ctx *c, int64_t id, const char *display_name,
			   int64_t org_id, int disabled)
{
	struct fq_user_row u;
	enum fq_err err = changeable_user(c, id, &u);

	if (!err && org_id)
		err = fq_org_visible(c, org_id, "org_id", NULL, NULL);
	if (!err && disabled == 1 && id == c->who->user_id)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "disabled",
			      "you cannot disable your own account");
	if (err)
		return err;
	err = fq_store_user_update(c->db, id, display_name, org_id, disabled);
	if (!err && disabled == 1)
		err = fq_sessions_drop_user(c->db, id, 0);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_user_set_role(struct fq_ctx *c, int64_t id, const char *role)
{
	struct fq_user_row u;
	enum fq_err err = visible_user(c, id, &u);

	if (!err)
		err = check_role(c, role, false);
	if (!err && id == c->who->user_id)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "role", "you cannot change your own role");
	if (err)
		return err;
	err = fq_store_user_set_role(c->db, id, role);
	if (!err)
		err = fq_sessions_drop_user(c->db, id, 0);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_user_unlock(struct fq_ctx *c, int64_t id)
{
	struct fq_user_row u;
	enum fq_err err = changeable_user(c, id, &u);

	if (!err && (err = fq_store_user_unlock(c->db, id)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

enum fq_err fq_user_reset_password(struct fq_ctx *c, int64_t id, char temp[17])
{
	struct fq_user_row u;
	char hash[128];
	enum fq_err err = changeable_user(c, id, &u);

	if (err)
		return err;
	fq_random_password(temp);
	if (fq_password_hash(temp, hash))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password");
	err = fq_store_user_set_password(c->db, id, hash, true);
	if (!err)
		err = fq_sessions_drop_user(c->db, id, 0);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_user_reset_totp(struct fq_ctx *c, int64_t id)
{
	struct fq_user_row u;
	enum fq_err err = changeable_user(c, id, &u);

	if (err)
		return err;
	err = fq_store_user_set_totp(c->db, id, NULL, 0, false, 0);
	if (!err)
		err = fq_sessions_drop_user(c->db, id, 0);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

json_t *fq_user_get(struct fq_ctx *c, int64_t id)
{
	struct fq_user_row u;
	enum fq_err err = visible_user(c, id, &u);
	json_t *row;

	if (err)
		return NULL;
	row = fq_store_user_json(c->db, id, &err);
	if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return row;
}

json_t *fq_user_list(struct fq_ctx *c, const char *q, int64_t page, int64_t per_page)
{
	enum fq_err err;
	json_t *rows = fq_store_user_list(c->db, c->who->whole_tree ? "/" : c->who->org_path, q,
					  per_page + 1, (page - 1) * per_page, &err);

	if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return rows;
}
