/* The /api/addresses handlers: list, create, get and update standard addresses. */
#include <jansson.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/banned.h"
#include "domain/address.h"
#include "http/request.h"

static enum fq_err read_address(struct fq_req *r, struct fq_address_input *in, unsigned required)
{
	bool has_lat = false, has_lng = false;
	enum fq_err err = fq_in_text(r, "division_code", required, 6, &in->division_code);

	if (!err)
		err = fq_in_text(r, "street", required, 100, &in->street);
	if (!err)
		err = fq_in_text(r, "door_no", required, 30, &in->door_no);
	if (!err)
		err = fq_in_text(r, "building", FQ_IN_NULLABLE, 30, &in->building);
	if (!err)
		err = fq_in_text(r, "unit", FQ_IN_NULLABLE, 30, &in->unit);
	if (!err)
		err = fq_in_text(r, "floor", FQ_IN_NULLABLE, 30, &in->floor);
	if (!err)
		err = fq_in_text(r, "room", FQ_IN_NULLABLE, 30, &in->room);
	if (!err)
		err = fq_in_double(r, "lat", FQ_IN_NULLABLE, -90, 90, &in->lat, &has_lat);
	if (!err)
		err = fq_in_double(r, "lng", FQ_IN_NULLABLE, -180, 180, &in->lng, &has_lng);
	if (!err && has_lat != has_lng)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, has_lat ? "lng" : "lat",
				  "give both lat and lng, or neither");
	in->has_coords = has_lat && has_lng;
	if (!err)
		err = fq_in_int(r, "grid_id", 0, 1, INT64_MAX, &in->grid_id, NULL);
	return err;
}

static const char *const address_fields[] = {"division_code", "street", "door_no", "building",
					     "unit", "floor", "room", "lat", "lng", "grid_id",
					     NULL};

FQ_HANDLER(fq_api_addresses_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, grid_id = 0;
	bool has_grid;
	const char *q;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_text(r, "q", 100, &q);
	if (!err)
		err = fq_in_query_int(r, "grid_id", 1, INT64_MAX, &grid_id, &has_grid);
	if (err)
		return err;
	items = fq_address_list(&c, q, grid_id, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_addresses_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_address_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, address_fields);

	if (!err)
		err = read_address(r, &in, FQ_IN_REQUIRED);
	if (!err)
		err = fq_address_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "address", id);
	return fq_api_reply(r, 201, fq_address_get(&c, id, NULL));
}

FQ_HANDLER(fq_api_addresses_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_address_get(&c, id, NULL));
}

FQ_HANDLER(fq_api_addresses_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_address_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "address", id);
	if (!err)
		err = fq_in_only(r, address_fields);
	if (!err)
		err = read_address(r, &in, FQ_IN_NOT_EMPTY);
	if (!err)
		err = fq_address_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_address_get(&c, id, NULL));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/addresses",             fq_api_addresses_list,        "address.read",  NULL,                   0, "search standard addresses"},
	{"POST",   "/api/addresses",             fq_api_addresses_create,      "address.write", "address.create",       0, "add a standard address"},
	{"GET",    "/api/addresses/{id}",        fq_api_addresses_get,         "address.read",  NULL,                   0, "one address"},
	{"PATCH",  "/api/addresses/{id}",        fq_api_addresses_update,      "address.write", "address.update",       0, "change an address"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"address.read",  "sysadmin chief officer aux"},
	{"address.write", "sysadmin chief officer aux"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"addresses", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_column address_columns[] = {
	{"full_text", "标准地址", "Address", FQ_COL_TEXT, 36, 0, NULL, NULL},
	{"division_code", "行政区划代码", "Division code", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"street", "街路巷", "Street", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"door_no", "门牌号", "Door no.", FQ_COL_TEXT, 9, 0, NULL, NULL},
	{"building", "楼栋", "Building", FQ_COL_TEXT, 7, 0, NULL, NULL},
	{"unit", "单元", "Unit", FQ_COL_TEXT, 7, 0, NULL, NULL},
	{"floor", "楼层", "Floor", FQ_COL_TEXT, 6, 0, NULL, NULL},
	{"room", "户室", "Room", FQ_COL_TEXT, 8, 0, NULL, NULL},
	{"grid_name", "网格", "Grid", FQ_COL_TEXT, 18, 0, NULL, NULL},
	{"beat_name", "警务区", "Beat", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"lat", "纬度", "Latitude", FQ_COL_NUMBER, 10, 0, NULL, NULL},
	{"lng", "经度", "Longitude", FQ_COL_NUMBER, 11, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"addresses", fq_api_addresses_list, "address.export", "标准地址", "Addresses",
	 address_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_addresses = {
	.name = "addresses",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_addresses, /* src/cli/demo_addresses.c */
	.tables = tables,
	.exports = exports,
};
