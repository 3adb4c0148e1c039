/* The /api/orgs handlers: list, create, get and update org units. */
#include <jansson.h>

#include "api/api.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/banned.h"
#include "domain/org.h"
#include "http/request.h"

/* Reads the editable fields; leader and resident aux accept null to clear. */
static enum fq_err read_org(struct fq_req *r, struct fq_org_input *in, unsigned required)
{
	bool present;
	enum fq_err err = fq_in_text(r, "name", required, 100, &in->name);

	if (!err)
		err = fq_in_text(r, "code", required, 32, &in->code);
	if (!err)
		err = fq_in_choice(r, "area_type", 0, fq_org_area_types, &in->area_type);
	if (!err)
		err = fq_in_text(r, "number_prefix", FQ_IN_NOT_EMPTY, 8, &in->number_prefix);
	if (!err && fq_in_has(r, "leader_id")) {
		in->leader_id = -1;
		err = fq_in_int(r, "leader_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->leader_id,
				&present);
	}
	if (!err && fq_in_has(r, "resident_aux_id")) {
		in->resident_aux_id = -1;
		err = fq_in_int(r, "resident_aux_id", FQ_IN_NULLABLE, 1, INT64_MAX,
				&in->resident_aux_id, &present);
	}
	return err;
}

FQ_HANDLER(fq_api_orgs_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	json_t *items = fq_org_list(&c);

	return fq_api_reply(r, 200, items ? json_pack("{s:o}", "items", items) : NULL);
}

FQ_HANDLER(fq_api_orgs_create)
{
	static const char *const fields[] = {"parent_id",     "kind",     "name",
					     "code",          "area_type", "number_prefix",
					     "leader_id",     "resident_aux_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_org_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_int(r, "parent_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.parent_id, NULL);
	if (!err)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_org_kinds, &in.kind);
	if (!err)
		err = read_org(r, &in, FQ_IN_REQUIRED);
	/* On create, a cleared reference is simply none. */
	if (in.leader_id < 0)
		in.leader_id = 0;
	if (in.resident_aux_id < 0)
		in.resident_aux_id = 0;
	if (!err)
		err = fq_org_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "org", id);
	return fq_api_reply(r, 201, fq_org_get(&c, id));
}

FQ_HANDLER(fq_api_orgs_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_org_get(&c, id));
}

FQ_HANDLER(fq_api_orgs_update)
{
	static const char *const fields[] = {"name",      "code",           "area_type",
					     "leader_id", "resident_aux_id", "number_prefix", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_org_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "org", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_org(r, &in, FQ_IN_NOT_EMPTY);
	if (!err)
		err = fq_org_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_org_get(&c, id));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/orgs",                  fq_api_orgs_list,             "org.read",      NULL,                   0, "the visible org tree"},
	{"POST",   "/api/orgs",                  fq_api_orgs_create,           "org.write",     "org.create",           0, "add an org unit"},
	{"GET",    "/api/orgs/{id}",             fq_api_orgs_get,              "org.read",      NULL,                   0, "one org unit"},
	{"PATCH",  "/api/orgs/{id}",             fq_api_orgs_update,           "org.write",     "org.update",           0, "change an org unit"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"org.read",  "sysadmin secadmin chief officer aux mediator counselor volunteer"},
	{"org.write", "sysadmin"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"org_units", {"id"}, "parent_id"},
	{NULL},
};

const struct fq_module fq_module_orgs = {
	.name = "orgs",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_orgs, /* src/cli/demo_orgs.c */
	.tables = tables,
};
