/* Volunteer teams and volunteers (群防群治): /api/volunteer-teams,
 * /api/volunteers, the teams' patrols (/api/volunteer-patrols) and the
 * volunteer's own page (/api/volunteers/me). */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "core/banned.h"
#include "domain/attachment.h"
#include "domain/patrol.h"
#include "domain/volunteer.h"
#include "http/request.h"
#include "store/dump.h"

/* ---- teams ---- */

static enum fq_err read_team(struct fq_req *r, struct fq_team_input *in, bool create)
{
	unsigned flags = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	bool has = false;
	enum fq_err err = fq_in_text(r, "name", flags, 50, &in->name);

	if (!err)
		err = fq_in_choice(r, "kind", flags, fq_team_kinds, &in->kind);
	if (!err)
		err = fq_in_int(r, "grid_id", create ? FQ_IN_REQUIRED : 0, 1, INT64_MAX, &in->grid_id,
				NULL);
	if (!err && (err = fq_in_int(r, "leader_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->leader_id,
				     &has)) == FQ_OK && !has && fq_in_has(r, "leader_id"))
		in->leader_id = -1; /* null clears */
	if (!err && (err = fq_in_int(r, "officer_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->officer_id,
				     &has)) == FQ_OK && !has && fq_in_has(r, "officer_id"))
		in->officer_id = -1;
	if (!err && (err = fq_in_text(r, "officer_phone", FQ_IN_NULLABLE, 20, &in->officer_phone)) ==
			    FQ_OK && !in->officer_phone && fq_in_has(r, "officer_phone"))
		in->officer_phone = "";
	if (!err)
		err = fq_in_date(r, "founded_day", FQ_IN_NULLABLE, &in->founded_day);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 500, &in->note);
	return err;
}

static const char *const team_fields[] = {"name", "kind", "grid_id", "leader_id", "officer_id",
					  "officer_phone", "founded_day", "note", NULL};

FQ_HANDLER(fq_api_teams_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, org = 0;
	bool has = false;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &org, &has);
	if (err)
		return err;
	items = fq_team_list(&c, org, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_teams_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_team_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, team_fields);

	if (!err)
		err = read_team(r, &in, true);
	if (!err)
		err = fq_team_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "volunteer_team", id);
	return fq_api_reply(r, 201, fq_team_get(&c, id));
}

FQ_HANDLER(fq_api_teams_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_team_get(&c, id));
}

FQ_HANDLER(fq_api_teams_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_team_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "volunteer_team", id);
	if (!err)
		err = fq_in_only(r, team_fields);
	if (!err)
		err = read_team(r, &in, false);
	if (!err)
		err = fq_team_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_team_get(&c, id));
}

/* from and to (dates) of a figures query; 0 when absent. */
static enum fq_err read_period(struct fq_req *r, int64_t *from, int64_t *to)
{
	enum fq_err err;

	*from = *to = 0;
	err = fq_in_query_date(r, "from", from);
	return err ? err : fq_in_query_date(r, "to", to);
}

FQ_HANDLER(fq_api_teams_hours)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, from, to;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		err = read_period(r, &from, &to);
	return err ? err : fq_api_reply(r, 200, fq_team_hours(&c, id, from, to));
}

FQ_HANDLER(fq_api_teams_patrols)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, page, per_page;
	json_t *items;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		err = fq_in_page(r, &page, &per_page);
	if (err)
		return err;
	items = fq_team_patrols(&c, id, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

/* ---- the teams' patrols ---- */

/* place (required when required), lat and lng (both or neither) and a note. */
static enum fq_err read_place(struct fq_req *r, struct fq_checkin_input *at, bool required,
			      const char *note)
{
	bool lat = false, lng = false;
	enum fq_err err = fq_in_text(r, "place", required ? FQ_IN_REQUIRED : FQ_IN_NULLABLE, 100,
				     &at->place);

	if (!err)
		err = fq_in_double(r, "lat", FQ_IN_NULLABLE, -90, 90, &at->lat, &lat);
	if (!err)
		err = fq_in_double(r, "lng", FQ_IN_NULLABLE, -180, 180, &at->lng, &lng);
	if (!err && lat != lng)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, lat ? "lng" : "lat",
				  "a position needs both lat and lng");
	if (!err && lat && !at->place)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "place",
				  "name the place as well as the position");
	at->has_position = lat && lng;
	if (!err && note)
		err = fq_in_text(r, note, FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &at->note);
	return err;
}

FQ_HANDLER(fq_api_team_patrol_start)
{
	static const char *const fields[] = {"place", "lat", "lng", "note", "route",
					     "volunteer_ids", "started_at", "ended_at", "findings",
					     NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_checkin_input start = {0};
	struct fq_team_patrol_input in = {.start = &start};
	int64_t team, id;
	enum fq_err err = fq_in_path_id(r, 0, &team);

	if (!err)
		fq_api_audit_object(r, "volunteer_team", team);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_place(r, &start, true, "note");
	if (!err)
		err = fq_in_text(r, "route", FQ_IN_NULLABLE, 100, &in.route);
	if (!err)
		err = fq_in_id_list(r, "volunteer_ids", FQ_IN_NULLABLE, FQ_TEAM_MAX_GROUP,
				    &in.volunteer_ids, &in.nvolunteers);
	if (!err)
		err = fq_in_time(r, "started_at", FQ_IN_NULLABLE, &in.started_at);
	if (!err)
		err = fq_in_time(r, "ended_at", FQ_IN_NULLABLE, &in.ended_at);
	if (!err)
		err = fq_in_text(r, "findings", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &in.findings);
	if (!err)
		err = fq_team_patrol_start(&c, team, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "patrol", id);
	return fq_api_reply(r, 201, fq_team_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_team_patrol_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_team_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_team_patrol_checkin)
{
	static const char *const fields[] = {"place", "lat", "lng", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_checkin_input at = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "patrol", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_place(r, &at, true, "note");
	if (!err)
		err = fq_team_patrol_checkin(&c, id, &at);
	return err ? err : fq_api_reply(r, 201, fq_team_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_team_patrol_end)
{
	static const char *const fields[] = {"place", "lat", "lng", "findings", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_checkin_input at = {0};
	const char *findings = NULL;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "patrol", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_place(r, &at, false, NULL);
	if (!err)
		err = fq_in_text(r, "findings", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &findings);
	if (!err)
		err = fq_team_patrol_end(&c, id, &at, findings && *findings ? findings : NULL);
	return err ? err : fq_api_reply(r, 200, fq_team_patrol_get(&c, id));
}

/* ---- volunteers ---- */

static enum fq_err read_volunteer(struct fq_req *r, struct fq_volunteer_input *in, bool create)
{
	unsigned flags = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	enum fq_err err = fq_in_text(r, "name", flags, 50, &in->name);

	if (!err && create)
		err = fq_in_text(r, "id_number", FQ_IN_REQUIRED, 30, &in->id_number);
	if (!err && (err = fq_in_text(r, "phone", FQ_IN_NULLABLE, 20, &in->phone)) == FQ_OK &&
	    !in->phone && fq_in_has(r, "phone") && !create)
		in->phone = ""; /* null removes it */
	if (!err) {
		const char **skills = NULL;
		in->has_skills = fq_in_has(r, "skills");
		err = fq_in_text_list(r, "skills", FQ_IN_NULLABLE, FQ_VOLUNTEER_MAX_SKILLS, 0, 30,
				      &skills, &in->nskills);
		in->skills = skills;
	}
	if (!err) {
		in->has_teams = fq_in_has(r, "team_ids");
		err = fq_in_id_list(r, "team_ids", FQ_IN_NULLABLE, FQ_VOLUNTEER_MAX_TEAMS,
				    &in->team_ids, &in->nteams);
	}
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->org_id, NULL);
	if (!err)
		err = fq_in_date(r, "joined_day", FQ_IN_NULLABLE, &in->joined_day);
	if (!err && !create)
		err = fq_in_choice(r, "status", 0, fq_volunteer_statuses, &in->status);
	if (!err) {
		bool has = false;
		err = fq_in_int(r, "user_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->user_id, &has);
		if (!err && !has && fq_in_has(r, "user_id") && !create)
			in->user_id = -1; /* null unlinks */
	}
	in->has_guardian = create || fq_in_has(r, "guardian_name") ||
			   fq_in_has(r, "guardian_phone") || fq_in_has(r, "guardian_relation") ||
			   fq_in_has(r, "consent_day");
	if (!err)
		err = fq_in_text(r, "guardian_name", FQ_IN_NULLABLE, 50, &in->guardian_name);
	if (!err)
		err = fq_in_text(r, "guardian_phone", FQ_IN_NULLABLE, 20, &in->guardian_phone);
	if (!err)
		err = fq_in_choice(r, "guardian_relation", FQ_IN_NULLABLE, fq_guardian_relations,
				   &in->guardian_relation);
	if (!err)
		err = fq_in_date(r, "consent_day", FQ_IN_NULLABLE, &in->consent_day);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 500, &in->note);
	return err;
}

FQ_HANDLER(fq_api_volunteers_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, team = 0, from, to;
	const char *status = NULL, *q = NULL;
	bool has = false;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_int(r, "team_id", 1, INT64_MAX, &team, &has);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_volunteer_statuses, &status);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &q);
	if (!err)
		err = read_period(r, &from, &to);
	if (err)
		return err;
	items = fq_volunteer_list(&c, team, status, q, from, to, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_volunteers_create)
{
	static const char *const fields[] = {"name", "id_number", "phone", "skills", "team_ids",
					     "org_id", "joined_day", "user_id", "guardian_name",
					     "guardian_phone", "guardian_relation", "consent_day",
					     "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_volunteer_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = read_volunteer(r, &in, true);
	if (!err)
		err = fq_volunteer_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "volunteer", id);
	return fq_api_reply(r, 201, fq_volunteer_get(&c, id));
}

FQ_HANDLER(fq_api_volunteers_me)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_volunteer_me(&c));
}

FQ_HANDLER(fq_api_volunteers_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_volunteer_get(&c, id));
}

FQ_HANDLER(fq_api_volunteers_update)
{
	static const char *const fields[] = {"name", "phone", "skills", "team_ids", "org_id",
					     "joined_day", "status", "user_id", "guardian_name",
					     "guardian_phone", "guardian_relation", "consent_day",
					     "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_volunteer_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "volunteer", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_volunteer(r, &in, false);
	if (!err)
		err = fq_volunteer_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_volunteer_get(&c, id));
}

FQ_HANDLER(fq_api_volunteers_unmask)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (err)
		return err;
	fq_api_audit_object(r, "volunteer", id);
	r->audit.detail = "id_number phone name birth_date guardian";
	return fq_api_reply(r, 200, fq_volunteer_unmask(&c, id));
}

FQ_HANDLER(fq_api_volunteers_training)
{
	static const char *const fields[] = {"course", "day", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *course = NULL;
	int64_t id, day = 0;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "volunteer", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "course", FQ_IN_REQUIRED, 100, &course);
	if (!err)
		err = fq_in_date(r, "day", FQ_IN_REQUIRED, &day);
	if (!err)
		err = fq_volunteer_training_add(&c, id, course, day);
	return err ? err : fq_api_reply(r, 201, fq_volunteer_get(&c, id));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                                    handler                       permission          audit action              flags  summary */
	{"GET",    "/api/volunteer-teams",                 fq_api_teams_list,            "volunteer.read",   NULL,                     0, "volunteer teams; org_id: of a unit's subtree"},
	{"POST",   "/api/volunteer-teams",                 fq_api_teams_create,          "volunteer.write",  "volunteer_team.create",  0, "add a volunteer team"},
	{"GET",    "/api/volunteer-teams/{id}",            fq_api_teams_get,             "volunteer.read",   NULL,                     0, "one team with its members"},
	{"PATCH",  "/api/volunteer-teams/{id}",            fq_api_teams_update,          "volunteer.write",  "volunteer_team.update",  0, "change a team"},
	{"GET",    "/api/volunteer-teams/{id}/hours",      fq_api_teams_hours,           "volunteer.read",   NULL,                     0, "a team's patrols and hours per volunteer in a period"},
	{"GET",    "/api/volunteer-teams/{id}/patrols",    fq_api_teams_patrols,         "volunteer.read",   NULL,                     0, "a team's patrols, newest first"},
	{"POST",   "/api/volunteer-teams/{id}/patrols",    fq_api_team_patrol_start,     "volunteer.patrol", "volunteer_patrol.start", 0, "start a team patrol, or record a group patrol"},
	{"GET",    "/api/volunteer-patrols/{id}",          fq_api_team_patrol_get,       "volunteer.patrol", NULL,                     0, "one team patrol"},
	{"POST",   "/api/volunteer-patrols/{id}/checkins", fq_api_team_patrol_checkin,   "volunteer.patrol", "volunteer_patrol.checkin", 0, "check in on a team patrol"},
	{"POST",   "/api/volunteer-patrols/{id}/end",      fq_api_team_patrol_end,       "volunteer.patrol", "volunteer_patrol.end",   0, "end a team patrol with findings"},
	{"GET",    "/api/volunteers",                      fq_api_volunteers_list,       "volunteer.read",   NULL,                     0, "volunteers with hours (masked)"},
	{"POST",   "/api/volunteers",                      fq_api_volunteers_create,     "volunteer.write",  "volunteer.create",       0, "register a volunteer"},
	{"GET",    "/api/volunteers/me",                   fq_api_volunteers_me,         "volunteer.self",   NULL,                     0, "the volunteer's own page: teams, patrol, hours"},
	{"GET",    "/api/volunteers/{id}",                 fq_api_volunteers_get,        "volunteer.read",   NULL,                     0, "one volunteer (masked)"},
	{"PATCH",  "/api/volunteers/{id}",                 fq_api_volunteers_update,     "volunteer.write",  "volunteer.update",       0, "change a volunteer"},
	{"POST",   "/api/volunteers/{id}/unmask",          fq_api_volunteers_unmask,     "volunteer.unmask", "volunteer.unmask",       0, "show ID number, phones and a minor's details (audited)"},
	{"POST",   "/api/volunteers/{id}/trainings",       fq_api_volunteers_training,   "volunteer.write",  "volunteer.training",     0, "record a training"},
};

static const struct fq_permission_grant permissions[] = {
	{"volunteer.read",   "chief officer aux"},
	{"volunteer.write",  "chief officer"},
	{"volunteer.unmask", "chief officer"},
	{"volunteer.patrol", "chief officer volunteer"},
	{"volunteer.self",   "volunteer"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"volunteers", {"id"}, NULL},
	{"volunteer_teams", {"id"}, NULL},
	{"volunteer_team_members", {"team_id", "volunteer_id"}, NULL},
	{"volunteer_trainings", {"id"}, NULL},
	{"volunteer_patrols", {"patrol_id"}, NULL},
	{"patrol_volunteers", {"patrol_id", "volunteer_id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV ---- */

static const struct fq_export_label statuses[] = {
	{"active", "在队", "Active"},
	{"left", "已退出", "Left"},
	{NULL},
};

static const struct fq_export_column volunteer_columns[] = {
	{"name", "姓名", "Name", FQ_COL_TEXT, 10, FQ_COL_MASKED, NULL, NULL},
	{"id_number", "身份证号", "ID number", FQ_COL_TEXT, 21, FQ_COL_MASKED, NULL, NULL},
	{"phone", "联系电话", "Phone", FQ_COL_TEXT, 13, FQ_COL_MASKED, NULL, NULL},
	{"org_name", "所属单位", "Unit", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"skills", "技能", "Skills", FQ_COL_LIST, 20, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 8, 0, statuses, NULL},
	{"minor", "未成年", "Minor", FQ_COL_BOOL, 8, 0, NULL, NULL},
	{"joined_day", "加入日期", "Joined", FQ_COL_DATE, 11, 0, NULL, NULL},
	{"patrols", "巡逻次数", "Patrols", FQ_COL_NUMBER, 10, 0, NULL, NULL},
	{"hours", "巡逻时长(小时)", "Hours", FQ_COL_NUMBER, 12, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"volunteers", fq_api_volunteers_list, "volunteer.export", "平安志愿者", "Volunteers",
	 volunteer_columns, "volunteer.unmask", fq_volunteer_unmask},
	{NULL},
};

/* A volunteer's record takes scans (a minor's consent signed by the guardian):
 * read and written by those who see the volunteer; downloads audited. */
static enum fq_err attach_check(struct fq_ctx *c, int64_t id, bool write)
{
	json_t *v = fq_volunteer_get(c, id);

	(void)write; /* the route's permission (volunteer.write) already says who writes */
	json_decref(v);
	return v ? FQ_OK : c->e->err;
}

static const struct fq_attach_owner attach[] = {
	{"volunteer", "volunteer.read", "volunteer.write", true, attach_check},
	{NULL, NULL, NULL, false, NULL},
};

const struct fq_module fq_module_volunteers = {
	.name = "volunteers",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_volunteers, /* src/cli/demo_volunteers.c */
	.tables = tables,
	.exports = exports,
	.overview = &fq_volunteer_overview, /* domain/volunteer_overview.c */
	.attach = attach,                   /* the consent scan */
};
