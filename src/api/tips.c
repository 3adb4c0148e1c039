/* Tips (线索): reporting signed in and through the public page, the staff
 * list, triage, outcome, unmasking the reporter's phone and the figures.
 * The rules live in domain/tip.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/overview.h"
#include "domain/tip.h"
#include "domain/work.h"
#include "http/request.h"
#include "store/dump.h"
#include "core/banned.h"

/* The fields every report has: text, place, address (signed in) and position. */
static enum fq_err read_report(struct fq_req *r, struct fq_tip_input *in, bool signed_in)
{
	bool has_lat = false, has_lng = false;
	enum fq_err err = fq_in_text(r, "text", FQ_IN_REQUIRED | FQ_IN_MULTILINE, FQ_TIP_TEXT_MAX,
				     &in->text);

	if (!err)
		err = fq_in_text(r, "place_text", FQ_IN_NULLABLE, FQ_TIP_PLACE_MAX, &in->place_text);
	if (!err && signed_in)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->address_id, NULL);
	if (!err)
		err = fq_in_double(r, "lat", FQ_IN_NULLABLE, -90, 90, &in->lat, &has_lat);
	if (!err)
		err = fq_in_double(r, "lng", FQ_IN_NULLABLE, -180, 180, &in->lng, &has_lng);
	if (!err && has_lat != has_lng)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", has_lat ? "lng" : "lat",
				  "give both lat and lng, or neither");
	in->has_coords = has_lat && has_lng;
	return err;
}

FQ_HANDLER(fq_api_tips_create)
{
	static const char *const fields[] = {"text", "place_text", "address_id", "lat", "lng", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = read_report(r, &in, true);
	if (!err)
		err = fq_tip_report(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "tip", id);
	return fq_api_reply(r, 201, fq_tip_get(&c, id));
}

/* No session is read or made (as /api/public/track); the answer is the
 * tracking code, nothing else. The tries counted stand although the answer
 * is an error. */
FQ_HANDLER(fq_api_tips_public_create)
{
	static const char *const fields[] = {"text",          "place_text",     "lat",     "lng",
					     "reporter_name", "reporter_phone", "station", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_input in = {0};
	struct fq_tip_public_answer a = {0};
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = read_report(r, &in, false);
	if (!err)
		err = fq_in_text(r, "reporter_name", FQ_IN_NULLABLE, FQ_TIP_NAME_MAX,
				 &in.reporter_name);
	if (!err)
		err = fq_in_text(r, "reporter_phone", FQ_IN_NULLABLE, 20, &in.reporter_phone);
	if (!err)
		err = fq_in_text(r, "station", FQ_IN_NULLABLE, 32, &in.station);
	r->commit_on_error = true;
	if (!err)
		err = fq_tip_report_public(&c, &in, r->client_addr, &a);
	r->retry_after = a.retry_after;
	if (err)
		return err;
	fq_api_audit_object(r, "tip", a.id);
	return fq_api_reply(r, 201, json_pack("{s:s,s:s,s:i}", "code", a.code, "photo_token",
					      a.photo_token, "photo_minutes", FQ_TIP_PHOTO_MINUTES));
}

/* A photo for the tip the public page just reported: the body is the photo,
 * the token of the report's answer comes as "Authorization: TipPhoto
 * <token>" (a header: access logs write the path and query, never it). */
FQ_HANDLER(fq_api_tips_public_photo)
{
	static const char scheme[] = "TipPhoto ";
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_public_answer a = {0};
	const char *name = NULL, *token = NULL;
	json_t *att = NULL;
	enum fq_err err = fq_in_query_text(r, "name", FQ_ATTACH_MAX_NAME, &name);

	if (r->authorization && !strncmp(r->authorization, scheme, sizeof(scheme) - 1))
		token = r->authorization + sizeof(scheme) - 1;
	r->commit_on_error = true;
	if (!err)
		err = fq_tip_public_photo(&c, token, r->client_addr, name, r->body, r->body_len, &a,
					  &att);
	r->retry_after = a.retry_after;
	if (a.id)
		fq_api_audit_object(r, "tip", a.id);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "attachment %lld sha256 %s",
					  (long long)json_integer_value(json_object_get(att, "id")),
					  json_string_value(json_object_get(att, "sha256")));
	json_decref(att);
	return fq_api_reply(r, 201, json_object());
}

FQ_HANDLER(fq_api_tips_public_status)
{
	static const char *const fields[] = {"code", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *code = NULL;
	int64_t retry_after = 0, id = 0;
	json_t *out = NULL;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "code", FQ_IN_REQUIRED, 32, &code);
	r->commit_on_error = true;
	if (!err)
		out = fq_tip_lookup(&c, code, r->client_addr, &retry_after, &id);
	r->retry_after = retry_after;
	if (id)
		fq_api_audit_object(r, "tip", id);
	return err ? err : fq_api_reply(r, 200, out);
}

FQ_HANDLER(fq_api_tips_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_filter f = {0};
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &f.page, &f.per_page);

	if (!err)
		err = fq_in_cursor(r, &f.after);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_tip_statuses, &f.status);
	if (!err)
		err = fq_in_query_choice(r, "source", fq_tip_sources, &f.source);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &f.org_id, &given);
	if (!err)
		err = fq_in_query_date(r, "from", &f.from_day);
	if (!err)
		err = fq_in_query_date(r, "to", &f.to_day);
	if (!err && f.to_day && !f.from_day)
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from", "to needs from");
	if (err)
		return err;
	items = fq_tip_list(&c, &f);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, f.page, f.per_page, f.after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_tips_mine)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, after = 0;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (err)
		return err;
	items = fq_tip_mine(&c, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_tips_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "tip", &id);

	return err ? err : fq_api_reply(r, 200, fq_tip_get(&c, id));
}

FQ_HANDLER(fq_api_tips_triage)
{
	static const char *const fields[] = {"action",   "incident_id", "dispute_id",
					     "category", "subcategory", "reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_triage t = {0};
	int64_t id, made = 0;
	enum fq_err err = fq_api_path_object(r, "tip", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "action", FQ_IN_REQUIRED, fq_tip_actions, &t.action);
	if (!err)
		err = fq_in_int(r, "incident_id", FQ_IN_NULLABLE, 1, INT64_MAX, &t.incident_id, NULL);
	if (!err)
		err = fq_in_int(r, "dispute_id", FQ_IN_NULLABLE, 1, INT64_MAX, &t.dispute_id, NULL);
	if (!err)
		err = fq_in_text(r, "category", FQ_IN_NULLABLE, 40, &t.category);
	if (!err)
		err = fq_in_text(r, "subcategory", FQ_IN_NULLABLE, 40, &t.subcategory);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_NULLABLE | FQ_IN_MULTILINE, FQ_TIP_REASON_MAX,
				 &t.reason);
	if (!err)
		err = fq_tip_triage(&c, id, &t, &made);
	if (err)
		return err;
	r->audit.detail = made ? fq_arena_printf(r->arena, "%s incident %lld", t.action,
						 (long long)made)
			       : t.action;
	return fq_api_reply(r, 200, fq_tip_get(&c, id));
}

FQ_HANDLER(fq_api_tips_outcome)
{
	static const char *const fields[] = {"outcome",        "arrests", "dispute_resolved",
					     "hazard_removed", "note",    NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_tip_outcome_input o = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "tip", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "outcome", FQ_IN_REQUIRED, fq_tip_outcomes, &o.outcome);
	if (!err)
		err = fq_in_int(r, "arrests", FQ_IN_NULLABLE, 0, FQ_TIP_MAX_ARRESTS, &o.arrests, NULL);
	if (!err)
		err = fq_in_bool(r, "dispute_resolved", FQ_IN_NULLABLE, &o.dispute_resolved, NULL);
	if (!err)
		err = fq_in_bool(r, "hazard_removed", FQ_IN_NULLABLE, &o.hazard_removed, NULL);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, FQ_TIP_NOTE_MAX, &o.note);
	if (!err)
		err = fq_tip_outcome(&c, id, &o);
	return err ? err : fq_api_reply(r, 200, fq_tip_get(&c, id));
}

FQ_HANDLER(fq_api_tips_unmask)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "tip", &id);

	if (err)
		return err;
	r->audit.detail = "reporter_phone";
	return fq_api_reply(r, 200, fq_tip_unmask(&c, id));
}

/* A photo of the tip (the body is the file): its reporter, or an officer of
 * its unit. The attachments' own checks (size, type by content, pixels)
 * apply; a volunteer holds no attachment.write, hence this route. */
FQ_HANDLER(fq_api_tips_photo)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *name = NULL;
	int64_t id;
	json_t *a = NULL;
	enum fq_err err = fq_api_path_object(r, "tip", &id);

	if (!err)
		err = fq_in_query_text(r, "name", FQ_ATTACH_MAX_NAME, &name);
	if (!err)
		err = fq_attachment_create(&c, fq_tip_attach, id, "file", name, r->body, r->body_len,
					   &a);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "attachment %lld sha256 %s",
					  (long long)json_integer_value(json_object_get(a, "id")),
					  json_string_value(json_object_get(a, "sha256")));
	return fq_api_reply(r, 201, a);
}

FQ_HANDLER(fq_api_tips_figures)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t from = 0, to = 0, org_id = 0;
	bool given;
	enum fq_err err = fq_in_query_date(r, "from", &from);

	if (!err)
		err = fq_in_query_date(r, "to", &to);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &org_id, &given);
	if (!err && !from)
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from", "give the period: from");
	if (err)
		return err;
	return fq_api_reply(r, 200, fq_tip_figures(&c, from, to ? to : from, org_id));
}

static const struct fq_route routes[] = {
	/* method  path                        handler                    permission    audit action         flags        summary */
	{"GET",    "/api/tips",                fq_api_tips_list,          "tip.read",   NULL,                0,           "tips in scope, newest first (the phone masked)"},
	{"POST",   "/api/tips",                fq_api_tips_create,        "tip.report", "tip.report",        0,           "report a tip (signed in: a volunteer, aux or officer)"},
	{"GET",    "/api/tips/mine",           fq_api_tips_mine,          "tip.report", NULL,                0,           "the caller's own tips with their status and outcome"},
	{"GET",    "/api/tips/figures",        fq_api_tips_figures,       "tip.read",   NULL,                0,           "tips by source, month and unit; tips → arrests, → disputes resolved"},
	{"GET",    "/api/tips/{id}",           fq_api_tips_get,           "tip.report", NULL,                0,           "one tip (staff in scope, or its reporter)"},
	{"POST",   "/api/tips/{id}/triage",    fq_api_tips_triage,        "tip.triage", "tip.triage",        0,           "make or link an incident, link a dispute, or dismiss with a reason"},
	{"POST",   "/api/tips/{id}/outcome",   fq_api_tips_outcome,       "tip.triage", "tip.outcome",       0,           "record what came of a tip"},
	{"POST",   "/api/tips/{id}/photos",    fq_api_tips_photo,         "tip.report", "tip.photo",         FQ_UPLOAD,   "add a photo to a tip (its reporter, or an officer of its unit; the body is the file)"},
	{"POST",   "/api/tips/{id}/unmask",    fq_api_tips_unmask,        "tip.triage", "tip.unmask",        0,           "the reporter's phone in the clear (audited)"},
	{"POST",   "/api/public/tips",         fq_api_tips_public_create, PUBLIC,       "tip.report_public", FQ_NO_CSRF,  "report a tip without signing in (rate-limited per address)"},
	{"POST",   "/api/public/tips/photo",   fq_api_tips_public_photo,  PUBLIC,       "tip.photo_public",  FQ_NO_CSRF | FQ_UPLOAD, "add a photo to the tip just reported on the public page (its token; rate-limited)"},
	{"POST",   "/api/public/tips/status",  fq_api_tips_public_status, PUBLIC,       "tip.lookup",        FQ_NO_CSRF,  "a tip's status by its tracking code (no sign-in; rate-limited)"},
};

static const struct fq_permission_grant permissions[] = {
	{"tip.report", "volunteer aux officer chief"},
	{"tip.read", "chief officer aux"},
	{"tip.triage", "chief officer"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"tips", {"id"}, NULL},
	{NULL},
};

static const struct fq_export_label sources[] = {
	{"volunteer", "志愿者", "Volunteer"},
	{"resident", "群众", "Resident"},
	{"anonymous", "匿名", "Anonymous"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"new", "待研判", "To triage"},
	{"incident", "已转警情", "Incident"},
	{"dispute", "已转纠纷", "Dispute"},
	{"dismissed", "不予采纳", "Dismissed"},
	{NULL},
};

static const struct fq_export_label outcomes[] = {
	{"valid", "属实", "Valid"},
	{"not_valid", "不属实", "Not valid"},
	{NULL},
};

static const struct fq_export_column tip_columns[] = {
	{"tracking_code", "线索编码", "Code", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"created_at", "报告时间", "Reported", FQ_COL_DATETIME, 17, 0, NULL, NULL},
	{"source", "来源", "Source", FQ_COL_TEXT, 8, 0, sources, NULL},
	{"reporter_name", "报告人", "Reporter", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"reporter_phone", "联系电话", "Phone", FQ_COL_TEXT, 13, FQ_COL_MASKED, NULL, NULL},
	{"text", "内容", "Text", FQ_COL_TEXT, 40, 0, NULL, NULL},
	{"place_text", "地点", "Place", FQ_COL_TEXT, 20, 0, NULL, NULL},
	{"org_name", "所属网格", "Grid", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"status", "研判结果", "Triage", FQ_COL_TEXT, 10, 0, statuses, NULL},
	{"incident_number", "警情编号", "Incident", FQ_COL_TEXT, 18, 0, NULL, NULL},
	{"dispute_number", "纠纷编号", "Dispute", FQ_COL_TEXT, 18, 0, NULL, NULL},
	{"dismiss_reason", "不予采纳理由", "Dismissal reason", FQ_COL_TEXT, 20, 0, NULL, NULL},
	{"outcome", "核实结果", "Outcome", FQ_COL_TEXT, 8, 0, outcomes, NULL},
	{"arrests", "抓获人数", "Arrests", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"dispute_resolved", "化解纠纷", "Dispute resolved", FQ_COL_BOOL, 8, 0, NULL, NULL},
	{"hazard_removed", "消除隐患", "Hazard removed", FQ_COL_BOOL, 8, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"tips", fq_api_tips_list, "tip.export", "群众线索", "Tips", tip_columns, "tip.triage",
	 fq_tip_unmask},
	{NULL},
};

const struct fq_module fq_module_tips = {
	.name = "tips",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_tips,
	.tables = tables,
	.exports = exports,
	.attach = fq_tip_attach,
	.search = fq_tip_search,
	.work = fq_tip_work,
	.overview = &fq_tip_overview,
};
