/* The /api/grids handlers: the areas of police rooms, beats, communities,
 * villages and grids on the map, their staff, where a point falls, the
 * coverage check, the heat layer and a grid's page. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "config/config.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/grid.h"
#include "http/request.h"
#include "store/dump.h"

/* The map's background as the settings give it (docs/operations). */
static json_t *map_settings(const struct fq_config *cfg)
{
	return json_pack("{s:s?, s:s?, s:s, s:s}", "tile_url",
			 *cfg->map_tile_url ? cfg->map_tile_url : NULL, "label_url",
			 *cfg->map_label_url ? cfg->map_label_url : NULL, "subdomains",
			 cfg->map_tile_subdomains, "attribution", cfg->map_tile_attribution);
}

static enum fq_err query_org(struct fq_req *r, int64_t *org_id)
{
	bool given;

	*org_id = 0;
	return fq_in_query_int(r, "org_id", 1, INT64_MAX, org_id, &given);
}

FQ_HANDLER(fq_api_grids_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t org_id;
	json_t *items;
	enum fq_err err = query_org(r, &org_id);

	if (err)
		return err;
	items = fq_grid_units(&c, org_id);
	return fq_api_reply(r, 200,
			    items ? json_pack("{s:o, s:o}", "items", items, "map", map_settings(c.cfg))
				  : NULL);
}

FQ_HANDLER(fq_api_grids_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_grid_get(&c, id, fq_time_now_ms()));
}

FQ_HANDLER(fq_api_grids_area)
{
	static const char *const fields[] = {"polygon", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, placed = 0;
	json_t *geometry;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "org", id);
	if (!err)
		err = fq_in_only(r, fields);
	geometry = json_object_get(r->json, "polygon");
	if (!err && !geometry)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "polygon",
				  "polygon is required: a GeoJSON Polygon or MultiPolygon, or null "
				  "to clear the area");
	if (!err)
		err = fq_grid_set_area(&c, id, json_is_null(geometry) ? NULL : geometry, &placed);
	if (err)
		return err;
	return fq_api_reply(r, 200,
			    json_pack("{s:o, s:I}", "unit", fq_grid_get(&c, id, fq_time_now_ms()),
				      "addresses_inside", (json_int_t)placed));
}

/* leader_id and resident_aux_id: an id, or null to clear (-1). */
static enum fq_err read_ref(struct fq_req *r, const char *field, int64_t *out)
{
	bool present;
	enum fq_err err;

	*out = 0;
	if (!fq_in_has(r, field))
		return FQ_OK;
	*out = -1;
	err = fq_in_int(r, field, FQ_IN_NULLABLE, 1, INT64_MAX, out, &present);
	if (!err && !present)
		*out = -1;
	return err;
}

FQ_HANDLER(fq_api_grids_staff)
{
	static const char *const fields[] = {"leader_id", "resident_aux_id", "worker_ids", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_grid_staff_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "org", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_ref(r, "leader_id", &in.leader_id);
	if (!err)
		err = read_ref(r, "resident_aux_id", &in.resident_aux_id);
	if (!err)
		err = fq_in_id_list(r, "worker_ids", 0, FQ_GRID_MAX_WORKERS, &in.worker_ids,
				    &in.nworkers);
	in.workers_given = fq_in_has(r, "worker_ids");
	if (!err)
		err = fq_grid_set_staff(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_grid_get(&c, id, fq_time_now_ms()));
}

static enum fq_err query_point(struct fq_req *r, double *lat, double *lng)
{
	const char *s;
	char *end;
	enum fq_err err = FQ_OK;
	static const char *const names[] = {"lat", "lng"};
	double *out[] = {lat, lng}, lim[] = {90, 180};

	for (int i = 0; !err && i < 2; i++) {
		err = fq_in_query_text(r, names[i], 30, &s);
		if (err)
			break;
		*out[i] = s ? strtod(s, &end) : 0;
		if (!s || *end || *out[i] < -lim[i] || *out[i] > lim[i])
			err = fq_req_fail(r, FQ_ERR_INVALID, NULL, names[i],
					  "%s is required: a number from %g to %g", names[i],
					  -lim[i], lim[i]);
	}
	return err;
}

FQ_HANDLER(fq_api_grids_locate)
{
	struct fq_ctx c = fq_api_ctx(r);
	double lat, lng;
	enum fq_err err = query_point(r, &lat, &lng);

	return err ? err : fq_api_reply(r, 200, fq_grid_locate(&c, lat, lng));
}

FQ_HANDLER(fq_api_grids_coverage)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t org_id;
	enum fq_err err = query_org(r, &org_id);

	return err ? err : fq_api_reply(r, 200, fq_grid_coverage(&c, org_id));
}

static enum fq_err query_days(struct fq_req *r, int64_t *from, int64_t *to)
{
	enum fq_err err;

	*from = *to = 0;
	err = fq_in_query_date(r, "from", from);
	return err ? err : fq_in_query_date(r, "to", to);
}

FQ_HANDLER(fq_api_grids_heat)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t org_id, from, to;
	const char *kind = NULL;
	enum fq_err err = query_org(r, &org_id);

	if (!err)
		err = query_days(r, &from, &to);
	if (!err)
		err = fq_in_query_choice(r, "kind", fq_grid_area_kinds, &kind);
	return err ? err : fq_api_reply(r, 200, fq_grid_heat(&c, org_id, kind, from, to));
}

/* The box of a layer: south, west, north, east in degrees; all four, or
 * (optional: the places layer) none. */
static enum fq_err query_box(struct fq_req *r, const char *layer, bool optional,
			     struct fq_grid_box *box)
{
	static const char *const names[] = {"south", "west", "north", "east"};
	double *out[] = {&box->south, &box->west, &box->north, &box->east};
	const char *s[4] = {NULL};
	enum fq_err err = FQ_OK;

	for (int i = 0; !err && i < 4; i++)
		err = fq_in_query_text(r, names[i], 30, &s[i]);
	if (err || (optional && !s[0] && !s[1] && !s[2] && !s[3]))
		return err;
	for (int i = 0; !err && i < 4; i++) {
		char *end;
		double lim = i % 2 ? 180 : 90;

		*out[i] = s[i] ? strtod(s[i], &end) : 0;
		if (!s[i] || *end || *out[i] < -lim || *out[i] > lim)
			err = fq_req_fail(r, FQ_ERR_INVALID, NULL, names[i],
					  "%s is required for the %s layer's box: a number from "
					  "%g to %g",
					  names[i], layer, -lim, lim);
	}
	if (!err && (box->south > box->north || box->west > box->east))
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, "south",
				  "the box's south must not lie north of its north, nor its west "
				  "east of its east");
	box->set = !err;
	return err;
}

FQ_HANDLER(fq_api_grids_points)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_grid_box box = {0};
	int64_t from, to;
	const char *layer = NULL;
	enum fq_err err = fq_in_query_choice(r, "layer", fq_grid_layers, &layer);

	if (!err && !layer)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "layer",
				  "layer is required: addresses, incidents or places");
	if (!err)
		err = query_days(r, &from, &to);
	if (!err && strcmp(layer, "incidents"))
		err = query_box(r, layer, !strcmp(layer, "places"), &box);
	return err ? err : fq_api_reply(r, 200, fq_grid_points(&c, layer, &box, from, to));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. Static paths come before /api/grids/{id}. */
static const struct fq_route routes[] = {
	/* method  path                          handler                  permission    audit action      flags  summary */
	{"GET",    "/api/grids",                 fq_api_grids_list,       "grid.read",  NULL,             0, "the areas of the units in scope, and the map's settings"},
	{"GET",    "/api/grids/coverage",        fq_api_grids_coverage,   "grid.read",  NULL,             0, "the coverage check: addresses in no grid, grids without staff"},
	{"GET",    "/api/grids/heat",            fq_api_grids_heat,       "grid.read",  NULL,             0, "incidents per drawn area for a period"},
	{"GET",    "/api/grids/locate",          fq_api_grids_locate,     "grid.read",  NULL,             0, "the units whose areas hold a point"},
	{"GET",    "/api/grids/points",          fq_api_grids_points,     "grid.read",  NULL,             0, "a map layer's points: addresses in a box, incidents of a period"},
	{"GET",    "/api/grids/{id}",            fq_api_grids_get,        "grid.read",  NULL,             0, "a unit's page: area, staff, figures, open work"},
	{"PUT",    "/api/grids/{id}/polygon",    fq_api_grids_area,       "grid.write", "grid.area",      0, "draw, redraw or clear a unit's area"},
	{"PATCH",  "/api/grids/{id}/staff",      fq_api_grids_staff,      "grid.write", "grid.staff",     0, "set a unit's leader, grid workers and resident aux"},
};

static const struct fq_permission_grant permissions[] = {
	{"grid.read",  "sysadmin chief officer aux"},
	{"grid.write", "sysadmin chief"},
	{NULL, NULL},
};

static const struct fq_dump_table tables[] = {
	{"grid_workers", {"org_id", "user_id"}, NULL},
	{NULL},
};

const struct fq_module fq_module_grids = {
	.name = "grids",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_grids, /* src/cli/demo_grids.c */
	.tables = tables,
};
