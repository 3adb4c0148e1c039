/* The /api/audit handlers: list the audit log by time, action and user, and verify
 * its hash chain. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "store/dump.h"
#include "api/input.h"
#include "audit/audit.h"
#include "core/banned.h"
#include "core/time.h"
#include "http/app.h"
#include "http/request.h"

static enum fq_err query_time(struct fq_req *r, const char *name, bool end_of_day, int64_t *ms)
{
	const char *v = fq_req_query(r, name);

	*ms = 0;
	if (!v || !*v)
		return FQ_OK;
	if (!fq_time_parse(v, ms))
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", name,
				   "%s must be a date (2026-11-22) or time (2026-11-22T09:30:00Z)",
				   name);
	/* "to=2026-11-22" includes that whole day. */
	if (end_of_day && strlen(v) == 10)
		*ms += 86400000;
	return FQ_OK;
}

FQ_HANDLER(fq_api_audit_list)
{
	struct fq_audit_filter f = {0};
	int64_t page, per_page;
	enum fq_err err = fq_in_page(r, &page, &per_page);
	json_t *items;

	if (!err)
		err = fq_in_query_text(r, "user", 64, &f.username);
	if (!err)
		err = fq_in_query_text(r, "action", 64, &f.action);
	if (!err)
		err = fq_in_query_text(r, "object_type", 32, &f.object_type);
	if (!err)
		err = fq_in_query_text(r, "object_id", 32, &f.object_id);
	if (!err)
		err = fq_in_query_text(r, "outcome", 16, &f.outcome);
	if (!err && f.outcome && strcmp(f.outcome, "success") && strcmp(f.outcome, "failure"))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "outcome",
				  "outcome must be success or failure");
	if (!err)
		err = query_time(r, "from", false, &f.from_ms);
	if (!err)
		err = query_time(r, "to", true, &f.to_ms);
	if (err)
		return err;
	f.limit = per_page + 1;
	f.offset = (page - 1) * per_page;
	items = fq_audit_search(r->db, &f, &err);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_audit_verify)
{
	struct fq_audit_check check;
	enum fq_err err = fq_audit_verify(r->db, r->app->keys, &check);

	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	if (check.whole)
		return fq_api_reply(r, 200, json_pack("{s:b,s:I}", "whole", 1, "checked",
						      (json_int_t)check.checked));
	return fq_api_reply(r, 200,
			    json_pack("{s:b,s:I,s:I,s:s}", "whole", 0, "checked",
				      (json_int_t)check.checked, "first_broken_id",
				      (json_int_t)check.first_broken_id, "reason", check.reason));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/audit",                 fq_api_audit_list,            "audit.read",    "audit.search",         FQ_AUDIT, "search the audit log"},
	{"GET",    "/api/audit/verify",          fq_api_audit_verify,          "audit.read",    "audit.verify",         FQ_AUDIT, "verify the hash chain"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"audit.read", "auditor"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"audit_log", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label outcomes[] = {
	{"success", "成功", "Success"},
	{"failure", "失败", "Failure"},
	{NULL},
};

static const struct fq_export_column audit_columns[] = {
	{"id", "序号", "No.", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"time", "时间", "Time", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"username", "用户", "User", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"client_addr", "来源地址", "Client address", FQ_COL_TEXT, 15, 0, NULL, NULL},
	{"action", "操作", "Action", FQ_COL_TEXT, 22, 0, NULL, NULL},
	{"object_type", "对象类型", "Object type", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"object_id", "对象编号", "Object", FQ_COL_TEXT, 9, 0, NULL, NULL},
	{"outcome", "结果", "Outcome", FQ_COL_TEXT, 7, 0, outcomes, NULL},
	{"detail", "详情", "Detail", FQ_COL_TEXT, 40, 0, NULL, NULL},
	{"hash", "哈希", "Hash", FQ_COL_TEXT, 20, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"audit", fq_api_audit_list, "audit.export", "审计日志", "Audit log", audit_columns, NULL,
	 NULL},
	{NULL},
};

const struct fq_module fq_module_audit = {
	.name = "audit",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.tables = tables,
	.exports = exports,
};
