/* Prevention measures (技防物防; issue 12): physical and technical measures
 * at places and homes, their checks, the coverage of homes per grid for a
 * kind, the cameras of a map's box. The rules live in domain/measure.c. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "core/time.h"
#include "domain/measure.h"
#include "http/request.h"
#include "store/dump.h"
#include "store/measure_store.h"
#include "core/banned.h"

static enum fq_err reply_measure(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_measure_get(&c, id));
}

FQ_HANDLER(fq_api_measures_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_measure_filter f = {0};
	int64_t page, per_page, after, due = 0;
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = fq_in_query_choice(r, "kind", fq_measure_kinds, &f.kind);
	if (!err)
		err = fq_in_query_choice(r, "category", fq_measure_categories, &f.category);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_measure_statuses, &f.status);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &f.org_id, &given);
	if (!err)
		err = fq_in_query_int(r, "place_id", 1, INT64_MAX, &f.place_id, &given);
	if (!err)
		err = fq_in_query_int(r, "address_id", 1, INT64_MAX, &f.address_id, &given);
	if (!err)
		err = fq_in_query_int(r, "due", 0, 1, &due, &given);
	if (err)
		return err;
	f.due = due == 1;
	items = fq_measure_list(&c, &f, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

/* The fields of a measure; create: kind, and a place or an address. */
static enum fq_err read_measure(struct fq_req *r, struct fq_measure_input *in, bool create)
{
	static const char *const create_fields[] = {
		"kind", "place_id", "address_id", "installed_on", "status",	"note",	  "label",
		"lat",	"lng",	    "direction",  "view_angle",	  "owner_kind", "linked", NULL};
	/* kind, place and address stay what they were */
	const char *const *fields = create ? create_fields : create_fields + 3;
	enum fq_err err = fq_in_only(r, fields);

	if (!err && create)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_measure_kinds, &in->kind);
	if (!err && create)
		err = fq_in_int(r, "place_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->place_id, NULL);
	if (!err && create)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->address_id, NULL);
	if (!err)
		err = fq_in_date(r, "installed_on", FQ_IN_NULLABLE, &in->installed_on);
	if (!err)
		err = fq_in_choice(r, "status", create ? FQ_IN_NULLABLE : FQ_IN_NOT_EMPTY,
				   fq_measure_statuses, &in->status);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, FQ_MEASURE_MAX_NOTE,
				 &in->note);
	if (!err)
		err = fq_in_text(r, "label", FQ_IN_NULLABLE, FQ_MEASURE_MAX_LABEL, &in->label);
	if (!err)
		err = fq_in_double(r, "lat", FQ_IN_NULLABLE, -90, 90, &in->lat, &in->has_lat);
	if (!err)
		err = fq_in_double(r, "lng", FQ_IN_NULLABLE, -180, 180, &in->lng, &in->has_lng);
	if (!err)
		err = fq_in_int(r, "direction", FQ_IN_NULLABLE, 0, 359, &in->direction,
				&in->has_direction);
	if (!err)
		err = fq_in_int(r, "view_angle", FQ_IN_NULLABLE, 10, 360, &in->view_angle,
				&in->has_angle);
	if (!err)
		err = fq_in_choice(r, "owner_kind", FQ_IN_NULLABLE, fq_measure_owner_kinds,
				   &in->owner_kind);
	if (!err)
		err = fq_in_bool(r, "linked", FQ_IN_NULLABLE, &in->linked, &in->has_linked);
	/* Given as null on a change: the note or label cleared. */
	if (!create && fq_in_has(r, "note") && !in->note)
		in->note = "";
	if (!create && fq_in_has(r, "label") && !in->label)
		in->label = "";
	return err;
}

FQ_HANDLER(fq_api_measures_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_measure_input in = {0};
	int64_t id;
	enum fq_err err = read_measure(r, &in, true);

	if (!err)
		err = fq_measure_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "measure", id);
	return reply_measure(r, 201, id);
}

FQ_HANDLER(fq_api_measures_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "measure", &id);

	return err ? err : reply_measure(r, 200, id);
}

FQ_HANDLER(fq_api_measures_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_measure_input in = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "measure", &id);

	if (!err)
		err = read_measure(r, &in, false);
	if (!err)
		err = fq_measure_update(&c, id, &in);
	return err ? err : reply_measure(r, 200, id);
}

FQ_HANDLER(fq_api_measures_check)
{
	static const char *const fields[] = {"checked_on", "result", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *result = NULL, *note = NULL;
	int64_t id, day = 0, check_id;
	enum fq_err err = fq_api_path_object(r, "measure", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_date(r, "checked_on", FQ_IN_NULLABLE, &day);
	if (!err)
		err = fq_in_choice(r, "result", FQ_IN_REQUIRED, fq_measure_results, &result);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, FQ_MEASURE_MAX_NOTE,
				 &note);
	if (!err)
		err = fq_measure_check(&c, id, day, result, note, fq_time_now_ms(), &check_id);
	return err ? err : reply_measure(r, 201, id);
}

FQ_HANDLER(fq_api_measures_coverage)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *kind = NULL;
	int64_t org_id = 0;
	bool given;
	enum fq_err err = fq_in_query_choice(r, "kind", fq_measure_kinds, &kind);

	if (!err && !kind)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "kind",
				  "choose the kind of measure to count");
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &org_id, &given);
	return err ? err : fq_api_reply(r, 200, fq_measure_coverage(&c, org_id, kind));
}

/* A query degree in [-limit, limit], required. */
static enum fq_err query_degrees(struct fq_req *r, const char *name, double limit, double *out)
{
	const char *s = NULL;
	char *end = NULL;
	enum fq_err err = fq_in_query_text(r, name, 30, &s);

	if (err)
		return err;
	if (s)
		*out = strtod(s, &end);
	if (!s || *end || !(*out >= -limit && *out <= limit))
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_degrees", name,
				  "%s: give the map's edge in degrees, from %g to %g", name,
				  -limit, limit);
	return FQ_OK;
}

FQ_HANDLER(fq_api_measures_cameras)
{
	struct fq_ctx c = fq_api_ctx(r);
	double s = 0, w = 0, n = 0, e = 0;
	enum fq_err err = query_degrees(r, "south", 90, &s);

	if (!err)
		err = query_degrees(r, "west", 180, &w);
	if (!err)
		err = query_degrees(r, "north", 90, &n);
	if (!err)
		err = query_degrees(r, "east", 180, &e);
	if (!err && (s > n || w > e))
		err = fq_req_fail(r, FQ_ERR_INVALID, "bad_box", "south",
				  "south must not lie north of north, nor west east of east");
	return err ? err : fq_api_reply(r, 200, fq_measure_cameras(&c, s, w, n, e));
}

/* Who may do what: the station's staff and the aux of a village install and
 * check the measures of their scope. */
static const struct fq_route routes[] = {
	/* method  path                           handler                   permission       audit action      flags  summary */
	{"GET",    "/api/measures/coverage",      fq_api_measures_coverage, "measure.read",  NULL,             0,     "coverage of homes by a kind of measure, per child unit and grid"},
	{"GET",    "/api/measures/cameras",       fq_api_measures_cameras,  "measure.read",  NULL,             0,     "the cameras in a map's box"},
	{"GET",    "/api/measures",               fq_api_measures_list,     "measure.read",  NULL,             0,     "list measures (filters, cursor paging)"},
	{"POST",   "/api/measures",               fq_api_measures_create,   "measure.write", "measure.create", 0,     "add a measure at a place or a home"},
	{"GET",    "/api/measures/{id}",          fq_api_measures_get,      "measure.read",  NULL,             0,     "one measure with its checks"},
	{"PATCH",  "/api/measures/{id}",          fq_api_measures_update,   "measure.write", "measure.update", 0,     "change a measure (status, note, a camera's view …)"},
	{"POST",   "/api/measures/{id}/checks",   fq_api_measures_check,    "measure.write", "measure.check",  0,     "record a check"},
};

static const struct fq_permission_grant permissions[] = {
	{"measure.read", "chief officer aux"},
	{"measure.write", "chief officer aux"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"measures", {"id"}, NULL},
	{"measure_checks", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label kinds[] = {
	{"anti_theft_door", "防盗门", "Anti-theft door"},
	{"anti_climb", "防攀爬刺", "Anti-climb spikes"},
	{"alarm", "报警器", "Alarm"},
	{"b_lock", "B级锁芯", "B-grade lock"},
	{"camera", "视频监控", "Camera"},
	{"infrared_alarm", "红外报警", "Infrared alarm"},
	{NULL},
};

static const struct fq_export_label categories[] = {
	{"physical", "物防", "Physical"},
	{"technical", "技防", "Technical"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"working", "正常", "Working"},
	{"faulty", "故障", "Faulty"},
	{"removed", "已拆除", "Removed"},
	{NULL},
};

static const struct fq_export_column measure_columns[] = {
	{"kind", "类型", "Kind", FQ_COL_TEXT, 12, 0, kinds, NULL},
	{"category", "类别", "Category", FQ_COL_TEXT, 8, 0, categories, NULL},
	{"label", "名称", "Label", FQ_COL_TEXT, 18, 0, NULL, NULL},
	{"place_name", "场所", "Place", FQ_COL_TEXT, 20, 0, NULL, NULL},
	{"address", "地址", "Address", FQ_COL_TEXT, 36, 0, NULL, NULL},
	{"grid_name", "网格", "Grid", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 8, 0, statuses, NULL},
	{"installed_on", "安装日期", "Installed", FQ_COL_DATE, 12, 0, NULL, NULL},
	{"last_checked_at", "上次检查", "Last checked", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"last_checked_by_name", "检查人", "Checked by", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"check_due_at", "下次检查", "Next check", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"measures", fq_api_measures_list, "measure.export", "技防物防设施", "Prevention measures",
	 measure_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_measures = {
	.name = "measures",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_measures,
	.tables = tables,
	.exports = exports,
	.attach = fq_measure_attach,
	.work = fq_measure_work,
};
