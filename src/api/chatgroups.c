/* Community chat groups and broadcasts (社区群, 反诈宣传; issue 12): the
 * registry of the station's groups with their robots, and broadcasts sent to
 * them through the outbox. The rules live in domain/chatgroup.c and
 * domain/chatgroup_broadcast.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "domain/chatgroup.h"
#include "domain/outbox.h"
#include "http/request.h"
#include "store/chatgroup_store.h"
#include "store/dump.h"
#include "core/banned.h"

static enum fq_err reply_group(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_chatgroup_get(&c, id));
}

FQ_HANDLER(fq_api_chatgroups_list)
{
	static const char *const robot[] = {"true", "false", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_chatgroup_filter f = {.robot = -1};
	const char *has = NULL;
	int64_t page, per_page, after;
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = fq_in_query_choice(r, "platform", fq_chatgroup_platforms, &f.platform);
	if (!err)
		err = fq_in_query_choice(r, "robot", robot, &has);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &f.q);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &f.org_id, &given);
	if (!err)
		err = fq_in_query_int(r, "officer_id", 1, INT64_MAX, &f.officer_id, &given);
	if (err)
		return err;
	if (has)
		f.robot = !strcmp(has, "true");
	items = fq_chatgroup_list(&c, &f, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

/* The fields of a group; create: the required ones must be there. */
static enum fq_err read_group(struct fq_req *r, struct fq_chatgroup_input *in, bool create)
{
	static const char *const fields[] = {"name",	   "platform",	   "org_id",
					     "officer_id", "members",	   "note",
					     "robot_url",  "robot_secret", NULL};
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	int64_t officer = 0;
	bool has_officer = false;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "name", req, FQ_CHATGROUP_MAX_NAME, &in->name);
	if (!err)
		err = fq_in_choice(r, "platform", req, fq_chatgroup_platforms, &in->platform);
	if (!err)
		err = fq_in_int(r, "org_id", req, 1, INT64_MAX, &in->org_id, NULL);
	if (!err)
		err = fq_in_int(r, "officer_id", FQ_IN_NULLABLE, 1, INT64_MAX, &officer, &has_officer);
	if (!err)
		err = fq_in_int(r, "members", create ? FQ_IN_REQUIRED : 0, 0, FQ_CHATGROUP_MAX_MEMBERS,
				&in->members, &in->has_members);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, FQ_CHATGROUP_MAX_NOTE,
				 &in->note);
	if (!err)
		err = fq_in_text(r, "robot_url", FQ_IN_NULLABLE, FQ_OUTBOX_MAX_URL, &in->robot_url);
	if (!err)
		err = fq_in_text(r, "robot_secret", FQ_IN_NULLABLE, FQ_CHATGROUP_MAX_SECRET,
				 &in->robot_secret);
	/* Given as null (or ""): cleared. */
	in->officer_id = has_officer ? officer : fq_in_has(r, "officer_id") && !create ? -1 : 0;
	if (!create && fq_in_has(r, "note") && !in->note)
		in->note = "";
	if (fq_in_has(r, "robot_url") && !in->robot_url)
		in->robot_url = "";
	if (fq_in_has(r, "robot_secret") && !in->robot_secret)
		in->robot_secret = "";
	return err;
}

FQ_HANDLER(fq_api_chatgroups_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_chatgroup_input in = {0};
	int64_t id;
	enum fq_err err = read_group(r, &in, true);

	if (!err)
		err = fq_chatgroup_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "chatgroup", id);
	return reply_group(r, 201, id);
}

FQ_HANDLER(fq_api_chatgroups_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "chatgroup", &id);

	return err ? err : reply_group(r, 200, id);
}

FQ_HANDLER(fq_api_chatgroups_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_chatgroup_input in = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "chatgroup", &id);

	if (!err)
		err = read_group(r, &in, false);
	if (!err)
		err = fq_chatgroup_update(&c, id, &in);
	return err ? err : reply_group(r, 200, id);
}

FQ_HANDLER(fq_api_chatgroups_delete)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "chatgroup", &id);

	if (!err)
		err = fq_chatgroup_delete(&c, id);
	return err ? err : fq_api_reply(r, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

FQ_HANDLER(fq_api_chatgroups_unmask)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "chatgroup", &id);

	return err ? err : fq_api_reply(r, 200, fq_chatgroup_unmask(&c, id));
}

/* ---- broadcasts ---- */

FQ_HANDLER(fq_api_broadcasts_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_broadcast_filter f = {0};
	int64_t page, per_page, after;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = fq_in_query_choice(r, "kind", fq_broadcast_kinds, &f.kind);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &f.q);
	if (err)
		return err;
	items = fq_broadcast_list(&c, &f, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_broadcasts_send)
{
	static const char *const fields[] = {"kind", "title", "body", "group_ids", "org_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_broadcast_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_broadcast_kinds, &in.kind);
	if (!err)
		err = fq_in_text(r, "title", FQ_IN_REQUIRED, FQ_BROADCAST_MAX_TITLE, &in.title);
	if (!err)
		err = fq_in_text(r, "body", FQ_IN_REQUIRED | FQ_IN_MULTILINE, FQ_BROADCAST_MAX_BODY,
				 &in.body);
	if (!err)
		err = fq_in_id_list(r, "group_ids", FQ_IN_NULLABLE, FQ_BROADCAST_MAX_GROUPS,
				    &in.group_ids, &in.ngroups);
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_broadcast_send(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "broadcast", id);
	return fq_api_reply(r, 201, fq_broadcast_get(&c, id));
}

FQ_HANDLER(fq_api_broadcasts_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "broadcast", &id);

	return err ? err : fq_api_reply(r, 200, fq_broadcast_get(&c, id));
}

FQ_HANDLER(fq_api_broadcasts_posted)
{
	static const char *const fields[] = {"group_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, group;
	enum fq_err err = fq_api_path_object(r, "broadcast", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "group_id", FQ_IN_REQUIRED, 1, INT64_MAX, &group, NULL);
	if (!err)
		err = fq_broadcast_posted(&c, id, group);
	return err ? err : fq_api_reply(r, 200, fq_broadcast_get(&c, id));
}

/* Who may do what: the station's staff keep the groups and send; an aux sees
 * them (the groups of the village are often the aux's). */
static const struct fq_route routes[] = {
	/* method  path                             handler                   permission        audit action         flags  summary */
	{"GET",    "/api/chatgroups",               fq_api_chatgroups_list,   "chatgroup.read",  NULL,               0,     "list chat groups (filters, cursor paging)"},
	{"POST",   "/api/chatgroups",               fq_api_chatgroups_create, "chatgroup.write", "chatgroup.create", 0,     "add a chat group (with its robot)"},
	{"GET",    "/api/chatgroups/{id}",          fq_api_chatgroups_get,    "chatgroup.read",  NULL,               0,     "one chat group (robot URL masked)"},
	{"PATCH",  "/api/chatgroups/{id}",          fq_api_chatgroups_update, "chatgroup.write", "chatgroup.update", 0,     "change a chat group or its robot"},
	{"DELETE", "/api/chatgroups/{id}",          fq_api_chatgroups_delete, "chatgroup.write", "chatgroup.delete", 0,     "delete a chat group and its robot"},
	{"POST",   "/api/chatgroups/{id}/unmask",   fq_api_chatgroups_unmask, "chatgroup.write", "chatgroup.unmask", 0,     "show the robot's whole URL to the writer (audited)"},
	{"GET",    "/api/broadcasts",               fq_api_broadcasts_list,   "chatgroup.read",  NULL,               0,     "list broadcasts (search, cursor paging)"},
	{"POST",   "/api/broadcasts",               fq_api_broadcasts_send,   "broadcast.send",  "broadcast.send",   0,     "write a broadcast and send it to groups"},
	{"GET",    "/api/broadcasts/{id}",          fq_api_broadcasts_get,    "chatgroup.read",  NULL,               0,     "one broadcast with the result per group"},
	{"POST",   "/api/broadcasts/{id}/posted",   fq_api_broadcasts_posted, "broadcast.send",  "broadcast.posted", 0,     "mark a broadcast posted by hand to a group"},
};

static const struct fq_permission_grant permissions[] = {
	{"chatgroup.read", "chief officer aux"},
	{"chatgroup.write", "chief officer"},
	{"broadcast.send", "chief officer"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"chat_groups", {"id"}, NULL},
	{"broadcasts", {"id"}, NULL},
	{"broadcast_targets", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label platforms[] = {
	{"wechat", "微信群", "WeChat"},
	{"wecom", "企业微信群", "WeChat Work"},
	{"dingtalk", "钉钉群", "DingTalk"},
	{"other", "其他", "Other"},
	{NULL},
};

static const struct fq_export_column group_columns[] = {
	{"name", "群名称", "Name", FQ_COL_TEXT, 24, 0, NULL, NULL},
	{"platform", "平台", "Platform", FQ_COL_TEXT, 12, 0, platforms, NULL},
	{"org_name", "所属单位", "Unit", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"officer_name", "负责民警", "Officer", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"members", "成员数", "Members", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"note", "备注", "Note", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{"updated_at", "更新时间", "Updated", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"chatgroups", fq_api_chatgroups_list, "chatgroup.export", "社区群", "Chat groups",
	 group_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_chatgroups = {
	.name = "chatgroups",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_chatgroups,
	.tables = tables,
	.search = fq_broadcast_search,
	.exports = exports,
};
