/* The responsibility registry (责任清单; issue 12): the station's things,
 * rooms, vehicles, equipment, places and tasks with their owning unit and
 * responsible person, the checks, the labels to print (QR codes opening the
 * item's page) and the list that answers "who is responsible for X". The
 * rules live in domain/registry.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/registry.h"
#include "http/request.h"
#include "store/dump.h"
#include "store/registry_store.h"
#include "core/banned.h"

#define MAX_NAME 100
#define MAX_LOCATION 200
#define MAX_CHECK_WHAT 500
#define MAX_NOTE 500

static enum fq_err reply_item(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_registry_get(&c, id));
}

FQ_HANDLER(fq_api_registry_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_registry_filter f = {0};
	int64_t page, per_page;
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_choice(r, "kind", fq_registry_kinds, &f.kind);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_registry_statuses, &f.status);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &f.q);
	if (!err)
		err = fq_in_query_int(r, "unit_id", 1, INT64_MAX, &f.unit_id, &given);
	if (!err)
		err = fq_in_query_int(r, "responsible_id", 1, INT64_MAX, &f.responsible_id, &given);
	if (err)
		return err;
	items = fq_registry_list(&c, &f, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

/* The fields of an item; create: the required ones must be there. */
static enum fq_err read_item(struct fq_req *r, struct fq_registry_input *in, bool create)
{
	static const char *const fields[] = {"kind",	       "name",	       "code",
					     "location",       "place_id",     "unit_id",
					     "responsible_id", "deputy_id",    "interval_days",
					     "check_what",     NULL};
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	int64_t deputy = 0, place = 0;
	bool has_deputy = false, has_place = false;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_choice(r, "kind", req, fq_registry_kinds, &in->kind);
	if (!err)
		err = fq_in_text(r, "name", req, MAX_NAME, &in->name);
	if (!err)
		err = fq_in_text(r, "code", create ? FQ_IN_NULLABLE : FQ_IN_NOT_EMPTY,
				 FQ_REGISTRY_CODE_MAX, &in->code);
	if (!err)
		err = fq_in_text(r, "location", FQ_IN_NULLABLE, MAX_LOCATION, &in->location);
	if (!err)
		err = fq_in_int(r, "place_id", FQ_IN_NULLABLE, 1, INT64_MAX, &place, &has_place);
	if (!err)
		err = fq_in_int(r, "unit_id", req, 1, INT64_MAX, &in->unit_id, NULL);
	if (!err)
		err = fq_in_int(r, "responsible_id", req, 1, INT64_MAX, &in->responsible_id, NULL);
	if (!err)
		err = fq_in_int(r, "deputy_id", FQ_IN_NULLABLE, 1, INT64_MAX, &deputy, &has_deputy);
	if (!err)
		err = fq_in_int(r, "interval_days", FQ_IN_NULLABLE, 1, 366, &in->interval_days,
				&in->has_interval);
	if (!err)
		err = fq_in_text(r, "check_what", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_CHECK_WHAT,
				 &in->check_what);
	/* Given as null: cleared. */
	in->deputy_id = has_deputy ? deputy : fq_in_has(r, "deputy_id") && !create ? -1 : 0;
	in->place_id = has_place ? place : fq_in_has(r, "place_id") && !create ? -1 : 0;
	in->has_interval = in->has_interval || (!create && fq_in_has(r, "interval_days"));
	if (!create && fq_in_has(r, "location") && !in->location)
		in->location = "";
	if (!create && fq_in_has(r, "check_what") && !in->check_what)
		in->check_what = "";
	return err;
}

FQ_HANDLER(fq_api_registry_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_registry_input in = {0};
	int64_t id;
	enum fq_err err = read_item(r, &in, true);

	if (!err)
		err = fq_registry_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "registry", id);
	return reply_item(r, 201, id);
}

FQ_HANDLER(fq_api_registry_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "registry", &id);

	return err ? err : reply_item(r, 200, id);
}

FQ_HANDLER(fq_api_registry_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_registry_input in = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "registry", &id);

	if (!err)
		err = read_item(r, &in, false);
	if (!err)
		err = fq_registry_update(&c, id, &in);
	return err ? err : reply_item(r, 200, id);
}

FQ_HANDLER(fq_api_registry_check)
{
	static const char *const fields[] = {"checked_on", "result", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *result = NULL, *note = NULL;
	int64_t id, day = 0, cid;
	enum fq_err err = fq_api_path_object(r, "registry", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_date(r, "checked_on", FQ_IN_NULLABLE, &day);
	if (!err)
		err = fq_in_choice(r, "result", FQ_IN_REQUIRED, fq_registry_results, &result);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_NOTE, &note);
	if (!err)
		err = fq_registry_check(&c, id, day, result, note, fq_time_now_ms(), &cid);
	return err ? err : fq_api_reply(r, 201, fq_registry_check_get(&c, id, cid));
}

/* ids=1,2,3: at most FQ_REGISTRY_MAX_LABELS, each once. */
static enum fq_err read_ids(struct fq_req *r, int64_t *ids, size_t *n)
{
	const char *s = fq_req_query(r, "ids");
	char one[24];

	*n = 0;
	if (!s || !*s)
		return fq_req_fail(r, FQ_ERR_INVALID, "required", "ids", "choose the items to print");
	while (*s) {
		size_t len = strcspn(s, ",");

		if (*n == FQ_REGISTRY_MAX_LABELS)
			return fq_req_fail(r, FQ_ERR_INVALID, "too_many", "ids",
					   "print at most %d labels at once", FQ_REGISTRY_MAX_LABELS);
		if (len >= sizeof(one))
			return fq_req_fail(r, FQ_ERR_INVALID, "bad_id", "ids", "not a list of ids");
		memcpy(one, s, len);
		one[len] = '\0';
		if (!fq_parse_i64(one, 1, INT64_MAX, &ids[*n]))
			return fq_req_fail(r, FQ_ERR_INVALID, "bad_id", "ids", "not a list of ids");
		for (size_t j = 0; j < *n; j++)
			if (ids[j] == ids[*n])
				return fq_req_fail(r, FQ_ERR_INVALID, "duplicate", "ids",
						   "an item is listed twice");
		(*n)++;
		s += len + (s[len] == ',');
	}
	return FQ_OK;
}

/* Where a scanned label leads: public_base_url when set, else the host the
 * printing browser reached (a host name and port only). */
static const char *base_url(struct fq_req *r, const struct fq_ctx *c)
{
	const char *h = r->host;

	if (*c->cfg->public_base_url)
		return c->cfg->public_base_url;
	if (!h || !*h || strlen(h) > 200 || strspn(h, "abcdefghijklmnopqrstuvwxyz"
						    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
						strlen(h))
		return "";
	return fq_arena_printf(r->arena, "%s://%s",
			       r->forwarded_proto && !strcmp(r->forwarded_proto, "https") ? "https"
											 : "http",
			       h);
}

FQ_HANDLER(fq_api_registry_labels_pdf)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_buf pdf;
	int64_t *ids = fq_arena_alloc(r->arena, sizeof(*ids) * FQ_REGISTRY_MAX_LABELS);
	const char *name = NULL, *base;
	size_t n = 0;
	enum fq_err err = ids ? read_ids(r, ids, &n) : fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);

	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	base = base_url(r, &c);
	if (!err) { /* which items: the query's list, checked */
		r->audit.detail = fq_arena_printf(r->arena, "ids %s", fq_req_query(r, "ids"));
		err = fq_registry_labels_pdf(&c, ids, n, base, &pdf, &name);
	}
	return fq_api_send_pdf(r, err, &pdf, name);
}

/* Who may do what: everyone of the station's staff reads the registry and
 * finds who is responsible; the chief and officers keep it; the
 * responsible person (any staff role) records the checks of her items —
 * the domain checks she is the one (or the deputy, or holds
 * registry.write). */
static const struct fq_route routes[] = {
	/* method  path                          handler                      permission         audit action            flags              summary */
	{"GET",    "/api/registry/labels.pdf",   fq_api_registry_labels_pdf,  "registry.read",   "registry.labels_pdf",  FQ_AUDIT | FQ_RAW, "the labels of the chosen items as a PDF, QR codes included (download, audited)"},
	{"GET",    "/api/registry",              fq_api_registry_list,        "registry.read",   NULL,                   0,                 "list the registry (filters, paged)"},
	{"POST",   "/api/registry",              fq_api_registry_create,      "registry.write",  "registry.create",      0,                 "add an item"},
	{"GET",    "/api/registry/{id}",         fq_api_registry_get,         "registry.read",   NULL,                   0,                 "one item with its checks"},
	{"PATCH",  "/api/registry/{id}",         fq_api_registry_update,      "registry.write",  "registry.update",      0,                 "change an item"},
	{"POST",   "/api/registry/{id}/checks",  fq_api_registry_check,       "registry.check",  "registry.check",       0,                 "record a check (the responsible person, the deputy or an officer)"},
};

static const struct fq_permission_grant permissions[] = {
	{"registry.read", "chief officer aux mediator"},
	{"registry.write", "chief officer"},
	{"registry.check", "chief officer aux mediator"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"registry_items", {"id"}, NULL},
	{"registry_checks", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label kinds[] = {
	{"asset", "资产", "Asset"},
	{"room", "房间", "Room"},
	{"vehicle", "车辆", "Vehicle"},
	{"equipment", "装备", "Equipment"},
	{"place", "场所", "Place"},
	{"task", "任务", "Task"},
	{"plant", "绿植", "Plant"},
	{"other", "其他", "Other"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"ok", "正常", "OK"},
	{"due", "检查将到期", "Check due"},
	{"overdue", "检查已逾期", "Check overdue"},
	{"none", "无需定期检查", "No schedule"},
	{NULL},
};

static const struct fq_export_label results[] = {
	{"ok", "正常", "OK"},
	{"problem", "有问题", "Problem"},
	{NULL},
};

static const struct fq_export_column item_columns[] = {
	{"code", "编号", "Code", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"name", "名称", "Name", FQ_COL_TEXT, 24, 0, NULL, NULL},
	{"kind", "类别", "Kind", FQ_COL_TEXT, 8, 0, kinds, NULL},
	{"location", "位置", "Location", FQ_COL_TEXT, 24, 0, NULL, NULL},
	{"unit_name", "责任单位", "Unit", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"responsible_name", "责任人", "Responsible", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"deputy_name", "备岗人", "Deputy", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"interval_days", "检查周期（天）", "Interval (days)", FQ_COL_NUMBER, 10, 0, NULL, NULL},
	{"check_what", "检查内容", "What to check", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{"last_checked_at", "上次检查", "Last checked", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"last_result", "检查结果", "Result", FQ_COL_TEXT, 8, 0, results, NULL},
	{"next_due_at", "下次检查", "Next check", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 12, 0, statuses, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"registry", fq_api_registry_list, "registry.export", "责任清单", "Responsibility registry",
	 item_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_registry = {
	.name = "registry",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_registry,
	.tables = tables,
	.search = fq_registry_search,
	.exports = exports,
	.attach = fq_registry_attach,
	.work = fq_registry_work,
};
