/* Places and inspections (单位场所, 检查; issue 12): places at standard
 * addresses with their owner, officer, licences and schedule; the station's
 * checklists per kind; inspections, re-inspections and the rectification
 * notice. The rules live in domain/place.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/place.h"
#include "http/request.h"
#include "store/dump.h"
#include "store/place_store.h"
#include "core/banned.h"

#define MAX_NAME 100
#define MAX_FINDINGS 4000
#define MAX_NOTE 500

static enum fq_err reply_place(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_place_get(&c, id));
}

FQ_HANDLER(fq_api_places_list)
{
	static const char *const statuses[] = {"ok",	      "due",		 "overdue",
					       "rectify_pending", "rectify_overdue", "attention",
					       NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_place_filter f = {0};
	int64_t page, per_page, after;
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = fq_in_query_choice(r, "kind", fq_place_kinds, &f.kind);
	if (!err)
		err = fq_in_query_choice(r, "status", statuses, &f.status);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &f.q);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &f.org_id, &given);
	if (!err)
		err = fq_in_query_int(r, "officer_id", 1, INT64_MAX, &f.officer_id, &given);
	if (err)
		return err;
	items = fq_place_list(&c, &f, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

static enum fq_err read_licence(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_place_licence *l = (struct fq_place_licence *)arg + idx;
	enum fq_err err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &l->name);

	if (!err)
		err = fq_in_text(r, "number", FQ_IN_NULLABLE, 50, &l->number);
	if (!err)
		err = fq_in_date(r, "valid_until", FQ_IN_NULLABLE, &l->valid_until);
	return err;
}

/* The fields of a place; create: the required ones must be there. */
static enum fq_err read_place(struct fq_req *r, struct fq_place_input *in, bool create)
{
	static const char *const fields[] = {"kind",	    "name",	    "address_id",
					     "owner_name",  "owner_phone", "officer_id",
					     "licences",    "interval_days", NULL};
	static const char *const licence_fields[] = {"name", "number", "valid_until", NULL};
	struct fq_place_licence *lic =
		fq_arena_alloc(r->arena, sizeof(*lic) * FQ_PLACE_MAX_LICENCES);
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	int64_t officer = 0;
	bool has_officer = false;
	enum fq_err err = fq_in_only(r, fields);

	if (!lic)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	memset(lic, 0, sizeof(*lic) * FQ_PLACE_MAX_LICENCES);
	if (!err)
		err = fq_in_choice(r, "kind", req, fq_place_kinds, &in->kind);
	if (!err)
		err = fq_in_text(r, "name", req, MAX_NAME, &in->name);
	if (!err)
		err = fq_in_int(r, "address_id", req, 1, INT64_MAX, &in->address_id, NULL);
	if (!err)
		err = fq_in_text(r, "owner_name", FQ_IN_NULLABLE, 50, &in->owner_name);
	if (!err)
		err = fq_in_text(r, "owner_phone", FQ_IN_NULLABLE, 20, &in->owner_phone);
	if (!err)
		err = fq_in_int(r, "officer_id", FQ_IN_NULLABLE, 1, INT64_MAX, &officer, &has_officer);
	if (!err)
		err = fq_in_int(r, "interval_days", FQ_IN_NULLABLE, 1, 366, &in->interval_days,
				&in->has_interval);
	if (!err)
		err = fq_in_objects(r, "licences", FQ_IN_NULLABLE, FQ_PLACE_MAX_LICENCES,
				    licence_fields, read_licence, lic, &in->nlicences,
				    &in->has_licences);
	/* Given as null: cleared (officer none, interval none, owner fields empty). */
	in->officer_id = has_officer ? officer : fq_in_has(r, "officer_id") && !create ? -1 : 0;
	in->has_interval = in->has_interval || (!create && fq_in_has(r, "interval_days"));
	in->has_licences = in->has_licences || (!create && fq_in_has(r, "licences"));
	if (!create && fq_in_has(r, "owner_name") && !in->owner_name)
		in->owner_name = "";
	if (!create && fq_in_has(r, "owner_phone") && !in->owner_phone)
		in->owner_phone = "";
	in->licences = lic;
	return err;
}

FQ_HANDLER(fq_api_places_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_place_input in = {0};
	int64_t id;
	enum fq_err err = read_place(r, &in, true);

	if (!err)
		err = fq_place_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "place", id);
	return reply_place(r, 201, id);
}

FQ_HANDLER(fq_api_places_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "place", &id);

	return err ? err : reply_place(r, 200, id);
}

FQ_HANDLER(fq_api_places_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_place_input in = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "place", &id);

	if (!err)
		err = read_place(r, &in, false);
	if (!err)
		err = fq_place_update(&c, id, &in);
	return err ? err : reply_place(r, 200, id);
}

FQ_HANDLER(fq_api_places_unmask)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "place", &id);

	return err ? err : fq_api_reply(r, 200, fq_place_unmask(&c, id));
}

FQ_HANDLER(fq_api_places_staff)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_place_staff(&c));
}

/* ---- checklists ---- */

FQ_HANDLER(fq_api_places_checklists)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *kind = NULL;
	enum fq_err err = fq_in_query_choice(r, "kind", fq_place_kinds, &kind);

	return err ? err : fq_api_reply(r, 200, fq_place_checklists(&c, kind));
}

FQ_HANDLER(fq_api_places_checklist_set)
{
	static const char *const fields[] = {"items", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *kind = fq_req_param(r, 0), **texts = NULL;
	size_t n = 0;
	bool known = false;
	enum fq_err err;

	for (int i = 0; kind && fq_place_kinds[i]; i++)
		known = known || !strcmp(kind, fq_place_kinds[i]);
	if (!known)
		return fq_req_fail(r, FQ_ERR_NOT_FOUND, NULL, NULL, "no such kind of place");
	err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text_list(r, "items", FQ_IN_REQUIRED, FQ_PLACE_MAX_CHECKLIST,
				      FQ_IN_REQUIRED, 100, &texts, &n);
	if (!err)
		err = fq_place_checklist_set(&c, kind, texts, n);
	return err ? err : fq_api_reply(r, 200, fq_place_checklists(&c, kind));
}

/* ---- inspections ---- */

static enum fq_err read_answer(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_place_answer *a = (struct fq_place_answer *)arg + idx;
	enum fq_err err = fq_in_int(r, "item_id", FQ_IN_REQUIRED, 1, INT64_MAX, &a->item_id, NULL);

	if (!err)
		err = fq_in_choice(r, "answer", FQ_IN_REQUIRED, fq_place_answers, &a->answer);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE, MAX_NOTE, &a->note);
	return err;
}

static enum fq_err read_hazard(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_place_hazard *h = (struct fq_place_hazard *)arg + idx;
	enum fq_err err = fq_in_text(r, "description", FQ_IN_REQUIRED, MAX_NOTE, &h->description);

	if (!err)
		err = fq_in_choice(r, "level", FQ_IN_REQUIRED, fq_place_levels, &h->level);
	return err;
}

FQ_HANDLER(fq_api_places_inspect)
{
	static const char *const fields[] = {"inspected_on", "inspectors",     "answers",
					     "findings",     "hazards",        "result",
					     "rectify_due_on", "rectification", NULL};
	static const char *const answer_fields[] = {"item_id", "answer", "note", NULL};
	static const char *const hazard_fields[] = {"description", "level", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_place_inspection_input in = {0};
	struct fq_place_answer *answers =
		fq_arena_alloc(r->arena, sizeof(*answers) * FQ_PLACE_MAX_ANSWERS);
	struct fq_place_hazard *hazards =
		fq_arena_alloc(r->arena, sizeof(*hazards) * FQ_PLACE_MAX_HAZARDS);
	int64_t id, iid;
	enum fq_err err = fq_api_path_object(r, "place", &id);

	if (!answers || !hazards)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_date(r, "inspected_on", FQ_IN_NULLABLE, &in.inspected_on);
	if (!err)
		err = fq_in_id_list(r, "inspectors", FQ_IN_REQUIRED, FQ_PLACE_MAX_INSPECTORS,
				    &in.inspectors, &in.ninspectors);
	if (!err && !in.ninspectors)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "inspectors",
				  "name at least one inspector");
	if (!err)
		err = fq_in_objects(r, "answers", FQ_IN_NULLABLE, FQ_PLACE_MAX_ANSWERS,
				    answer_fields, read_answer, answers, &in.nanswers, NULL);
	if (!err)
		err = fq_in_text(r, "findings", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_FINDINGS,
				 &in.findings);
	if (!err)
		err = fq_in_objects(r, "hazards", FQ_IN_NULLABLE, FQ_PLACE_MAX_HAZARDS,
				    hazard_fields, read_hazard, hazards, &in.nhazards, NULL);
	if (!err)
		err = fq_in_choice(r, "result", FQ_IN_REQUIRED, fq_place_results, &in.result);
	if (!err)
		err = fq_in_date(r, "rectify_due_on", FQ_IN_NULLABLE, &in.rectify_due_on);
	if (!err)
		err = fq_in_choice(r, "rectification", FQ_IN_NULLABLE, fq_place_rectifications,
				   &in.rectification);
	in.answers = answers;
	in.hazards = hazards;
	if (!err)
		err = fq_place_inspect(&c, id, &in, fq_time_now_ms(), &iid);
	return err ? err : fq_api_reply(r, 201, fq_place_inspection_get(&c, id, iid));
}

static enum fq_err inspection_ids(struct fq_req *r, int64_t *id, int64_t *iid)
{
	enum fq_err err = fq_api_path_object(r, "place", id);

	return err ? err : fq_in_path_id(r, 1, iid);
}

FQ_HANDLER(fq_api_places_inspection_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, iid;
	enum fq_err err = inspection_ids(r, &id, &iid);

	return err ? err : fq_api_reply(r, 200, fq_place_inspection_get(&c, id, iid));
}

/* 责令限期整改通知书 (domain/place_pdf.c), sent from memory. */
FQ_HANDLER(fq_api_places_notice_pdf)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_buf pdf;
	const char *name = NULL;
	int64_t id, iid;
	enum fq_err err = inspection_ids(r, &id, &iid);

	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	if (!err)
		err = fq_place_notice_pdf(&c, id, iid, &pdf, &name);
	return fq_api_send_pdf(r, err, &pdf, name);
}

/* Who may do what: the station's staff keep the places; an aux may inspect
 * (the notice names the responsible officer, who signs it). */
static const struct fq_route routes[] = {
	/* method  path                                                   handler                        permission        audit action              flags               summary */
	{"GET",    "/api/places/checklists",                              fq_api_places_checklists,      "place.read",     NULL,                     0,                  "the station's inspection checklists per kind, and the suggested ones"},
	{"PUT",    "/api/places/checklists/{kind}",                       fq_api_places_checklist_set,   "place.checklist", "place.checklist",       0,                  "set the station's checklist of a kind of place"},
	{"GET",    "/api/places/staff",                                   fq_api_places_staff,           "place.read",     NULL,                     0,                  "who may inspect and be responsible at the caller's station"},
	{"GET",    "/api/places",                                         fq_api_places_list,            "place.read",     NULL,                     0,                  "list places (filters, cursor paging)"},
	{"POST",   "/api/places",                                         fq_api_places_create,          "place.write",    "place.create",           0,                  "add a place"},
	{"GET",    "/api/places/{id}",                                    fq_api_places_get,             "place.read",     NULL,                     0,                  "one place with its inspections and checklist (owner phone masked)"},
	{"PATCH",  "/api/places/{id}",                                    fq_api_places_update,          "place.write",    "place.update",           0,                  "change a place"},
	{"POST",   "/api/places/{id}/unmask",                             fq_api_places_unmask,          "place.unmask",   "place.unmask",           0,                  "show the owner's phone (audited)"},
	{"POST",   "/api/places/{id}/inspections",                        fq_api_places_inspect,         "place.inspect",  "place.inspect",          0,                  "record an inspection or a re-inspection"},
	{"GET",    "/api/places/{id}/inspections/{inspection_id}",        fq_api_places_inspection_get,  "place.read",     NULL,                     0,                  "one inspection"},
	{"GET",    "/api/places/{id}/inspections/{inspection_id}/notice.pdf", fq_api_places_notice_pdf,  "place.read",     "place.notice_pdf",       FQ_AUDIT | FQ_RAW,  "the rectification notice as a PDF (download, audited)"},
};

static const struct fq_permission_grant permissions[] = {
	{"place.read", "chief officer aux"},
	{"place.write", "chief officer"},
	{"place.inspect", "chief officer aux"},
	{"place.unmask", "chief officer"},
	{"place.checklist", "chief officer"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"places", {"id"}, NULL},
	{"place_checklist_items", {"id"}, NULL},
	{"place_inspections", {"id"}, "follows_id"},
	{"place_inspectors", {"inspection_id", "user_id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label kinds[] = {
	{"shop", "商铺", "Shop"},
	{"enterprise", "企业", "Enterprise"},
	{"hazardous_enterprise", "危险品企业", "Hazardous enterprise"},
	{"school", "学校", "School"},
	{"hospital", "医院", "Hospital"},
	{"rental_housing", "出租房屋", "Rental housing"},
	{"hotel", "旅馆", "Hotel"},
	{"internet_cafe", "网吧", "Internet café"},
	{"other", "其他", "Other"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"ok", "正常", "OK"},
	{"due", "检查将到期", "Inspection due"},
	{"overdue", "检查已逾期", "Inspection overdue"},
	{"rectify_pending", "整改中", "Rectification pending"},
	{"rectify_overdue", "整改逾期", "Rectification overdue"},
	{NULL},
};

static const struct fq_export_column place_columns[] = {
	{"name", "名称", "Name", FQ_COL_TEXT, 24, 0, NULL, NULL},
	{"kind", "类别", "Kind", FQ_COL_TEXT, 12, 0, kinds, NULL},
	{"address", "地址", "Address", FQ_COL_TEXT, 36, 0, NULL, NULL},
	{"grid_name", "网格", "Grid", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"owner_name", "负责人", "Owner", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"owner_phone", "联系电话", "Owner's phone", FQ_COL_TEXT, 13, FQ_COL_MASKED, NULL, NULL},
	{"officer_name", "责任民警", "Officer", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 12, 0, statuses, NULL},
	{"last_inspected_at", "上次检查", "Last inspected", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"next_due_at", "下次检查", "Next inspection", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"rectify_due_at", "整改期限", "Rectify by", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"places", fq_api_places_list, "place.export", "单位场所", "Places", place_columns,
	 "place.unmask", fq_place_unmask},
	{NULL},
};

const struct fq_module fq_module_places = {
	.name = "places",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_places,
	.tables = tables,
	.search = fq_place_search,
	.exports = exports,
	.attach = fq_place_attach,
	.overview = &fq_place_overview,
	.work = fq_place_work,
	.sweep = fq_place_sweep,
};
