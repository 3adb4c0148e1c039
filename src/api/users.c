/* The /api/users and /api/roles handlers: accounts, roles, unlock, password
 * and TOTP resets. */
#include <jansson.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "auth/permission.h"
#include "core/banned.h"
#include "domain/user.h"
#include "http/request.h"

static const char *const *role_names(void)
{
	static const char *names[32];

	if (!names[0])
		for (int i = 0; i < fq_roles_count && i < 31; i++)
			names[i] = fq_roles[i].name;
	return names;
}

static void add_permission(const char *perm, void *list)
{
	json_array_append_new(list, json_string(perm));
}

FQ_HANDLER(fq_api_roles_list)
{
	json_t *items = json_array();

	for (int i = 0; i < fq_roles_count; i++) {
		json_t *perms = json_array();

		fq_permissions_each(fq_roles[i].name, add_permission, perms);
		json_array_append_new(items,
				      json_pack("{s:s,s:o,s:b,s:b}", "name", fq_roles[i].name,
						"permissions", perms, "totp_required",
						fq_roles[i].totp_required, "privileged",
						fq_roles[i].privileged));
	}
	return fq_api_reply(r, 200, json_pack("{s:o}", "items", items));
}

FQ_HANDLER(fq_api_users_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page;
	const char *q;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_text(r, "q", 50, &q);
	if (err)
		return err;
	items = fq_user_list(&c, q, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_users_create)
{
	static const char *const fields[] = {"username", "display_name", "role", "org_id",
					     "password", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_user_input in = {.must_change_password = true};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "username", FQ_IN_REQUIRED, 32, &in.username);
	if (!err)
		err = fq_in_text(r, "display_name", FQ_IN_REQUIRED, 50, &in.display_name);
	if (!err)
		err = fq_in_choice(r, "role", FQ_IN_REQUIRED, role_names(), &in.role);
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_REQUIRED, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_in_text(r, "password", FQ_IN_REQUIRED, 128, &in.password);
	if (!err)
		err = fq_user_create(&c, &in, false, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "user", id);
	return fq_api_reply(r, 201, fq_user_get(&c, id));
}

FQ_HANDLER(fq_api_users_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_user_get(&c, id));
}

FQ_HANDLER(fq_api_users_update)
{
	static const char *const fields[] = {"display_name", "org_id", "disabled", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *display_name;
	int64_t id, org_id = 0;
	bool disabled = false, has_disabled = false;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "user", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "display_name", FQ_IN_NOT_EMPTY, 50, &display_name);
	if (!err)
		err = fq_in_int(r, "org_id", 0, 1, INT64_MAX, &org_id, NULL);
	if (!err)
		err = fq_in_bool(r, "disabled", 0, &disabled, &has_disabled);
	if (!err)
		err = fq_user_update(&c, id, display_name, org_id, has_disabled ? disabled : -1);
	return err ? err : fq_api_reply(r, 200, fq_user_get(&c, id));
}

FQ_HANDLER(fq_api_users_role)
{
	static const char *const fields[] = {"role", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *role;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "user", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "role", FQ_IN_REQUIRED, role_names(), &role);
	if (!err)
		err = fq_user_set_role(&c, id, role);
	if (!err)
		r->audit.detail = role;
	return err ? err : fq_api_reply(r, 200, fq_user_get(&c, id));
}

FQ_HANDLER(fq_api_users_unlock)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "user", id);
	if (!err)
		err = fq_user_unlock(&c, id);
	return err ? err : fq_api_reply(r, 200, fq_user_get(&c, id));
}

FQ_HANDLER(fq_api_users_password)
{
	struct fq_ctx c = fq_api_ctx(r);
	char temp[17];
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "user", id);
	if (!err)
		err = fq_user_reset_password(&c, id, temp);
	if (err)
		return err;
	return fq_api_reply(r, 200, json_pack("{s:s}", "temporary_password", temp));
}

FQ_HANDLER(fq_api_users_totp_reset)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "user", id);
	if (!err)
		err = fq_user_reset_totp(&c, id);
	return err ? err : fq_api_reply(r, 200, fq_user_get(&c, id));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/roles",                 fq_api_roles_list,            "user.read",     NULL,                   0, "roles and their permissions"},
	{"GET",    "/api/users",                 fq_api_users_list,            "user.read",     NULL,                   0, "list users"},
	{"POST",   "/api/users",                 fq_api_users_create,          "user.write",    "user.create",          0, "create a user"},
	{"GET",    "/api/users/{id}",            fq_api_users_get,             "user.read",     NULL,                   0, "one user"},
	{"PATCH",  "/api/users/{id}",            fq_api_users_update,          "user.write",    "user.update",          0, "change name, org unit, disabled"},
	{"PUT",    "/api/users/{id}/role",       fq_api_users_role,            "role.assign",   "user.role",            0, "give a user a role"},
	{"POST",   "/api/users/{id}/unlock",     fq_api_users_unlock,          "user.write",    "user.unlock",          0, "clear a lockout"},
	{"POST",   "/api/users/{id}/password",   fq_api_users_password,        "user.write",    "user.password_reset",  0, "set a temporary password"},
	{"DELETE", "/api/users/{id}/totp",       fq_api_users_totp_reset,      "user.write",    "user.totp_reset",      0, "remove two-factor sign-in (lost phone)"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"user.read",   "sysadmin secadmin chief"},
	{"user.write",  "sysadmin"},
	{"role.assign", "secadmin"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"users", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label role_labels[] = {
	{"sysadmin", "系统管理员", "System administrator"},
	{"secadmin", "安全管理员", "Security administrator"},
	{"auditor", "审计管理员", "Auditor"},
	{"chief", "所长/教导员", "Chief"},
	{"officer", "民警", "Officer"},
	{"aux", "辅警", "Auxiliary officer"},
	{"mediator", "调解员", "Mediator"},
	{"counselor", "心理咨询师", "Counselor"},
	{"volunteer", "平安志愿者", "Volunteer"},
	{"resident", "群众", "Resident"},
	{NULL},
};

static const struct fq_export_column user_columns[] = {
	{"username", "用户名", "Username", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"display_name", "姓名", "Name", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"role", "角色", "Role", FQ_COL_TEXT, 14, 0, role_labels, NULL},
	{"org_name", "所属单位", "Unit", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"disabled", "已停用", "Disabled", FQ_COL_BOOL, 7, 0, NULL, NULL},
	{"locked_until", "锁定至", "Locked until", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"totp_enrolled", "已设两步验证", "Two-factor set up", FQ_COL_BOOL, 10, 0, NULL, NULL},
	{"created_at", "创建时间", "Created", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"users", fq_api_users_list, "user.export", "用户", "Users", user_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_users = {
	.name = "users",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_users, /* src/cli/demo_users.c */
	.tables = tables,
	.exports = exports,
};
