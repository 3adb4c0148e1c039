/* The rules of standard addresses: fields checked, full text made, kept in a
 * grid and in the caller's scope. */
#include "domain/address.h"

#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/division.h"
#include "domain/grid.h"
#include "domain/org.h"
#include "store/address_store.h"

/* "渝北区双龙大道88号3栋2单元5层502室": the county name, then the parts as typed. */
static const char *full_text(struct fq_ctx *c, const struct fq_address_fields *f)
{
	const char *county = fq_division_name(f->division_code);

	return fq_arena_printf(c->arena, "%s%s%s%s%s%s%s", county ? county : "", f->street,
			       f->door_no, f->building ? f->building : "", f->unit ? f->unit : "",
			       f->floor ? f->floor : "", f->room ? f->room : "");
}

/* Validates f and inserts it (*id == 0, then set) or updates address *id. */
static enum fq_err check_and_store(struct fq_ctx *c, int64_t *id, struct fq_address_fields *f)
{
	const char *kind;
	enum fq_err err = fq_division_check(f->division_code, true, c->e);

	/* No grid given: the drawn grid whose area holds the point. */
	if (!err && !f->grid_id && f->has_coords)
		err = fq_grid_place(c, f->lat, f->lng, &f->grid_id);
	if (!err && !f->grid_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "grid_id",
			       f->has_coords ? "the point lies in no drawn grid: choose the grid"
					     : "choose the grid, or give coordinates inside a drawn "
					       "grid");
	if (!err)
		err = fq_org_visible(c, f->grid_id, "grid_id", &f->org_path, &kind);
	if (err)
		return err;
	if (strcmp(kind, "grid"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "grid_id",
			       "org unit %lld is a %s, not a grid", (long long)f->grid_id, kind);
	f->full_text = full_text(c, f);
	if (!f->full_text)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = *id ? fq_store_address_update(c->db, *id, f) : fq_store_address_insert(c->db, f, id);
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, NULL, "street", "the address '%s' exists already",
			       f->full_text);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_address_create(struct fq_ctx *c, const struct fq_address_input *in, int64_t *id)
{
	struct fq_address_fields f = {
		in->division_code, in->street, in->door_no, in->building, in->unit, in->floor,
		in->room, NULL, in->has_coords, in->lat, in->lng, in->grid_id, NULL,
	};

	*id = 0;
	return check_and_store(c, id, &f);
}

static const char *text_or_null(json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

json_t *fq_address_get(struct fq_ctx *c, int64_t id, const char *field)
{
	enum fq_err err;
	json_t *row = fq_store_address_json(c->db, id, &err);

	if (!err && !fq_principal_sees(c->who, text_or_null(row, "org_path")))
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		fq_fail(c->e, field ? FQ_ERR_INVALID : FQ_ERR_NOT_FOUND, NULL, field,
			"address %lld does not exist or is outside your area", (long long)id);
	else if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	if (err) {
		json_decref(row);
		return NULL;
	}
	json_object_del(row, "org_path");
	return row;
}

/* The stored value of key when in leaves it NULL. */
static const char *keep(struct fq_ctx *c, const char *given, json_t *row, const char *key)
{
	return given ? given : fq_arena_strdup(c->arena, text_or_null(row, key));
}

enum fq_err fq_address_update(struct fq_ctx *c, int64_t id, const struct fq_address_input *in)
{
	json_t *row = fq_address_get(c, id, NULL);
	struct fq_address_fields f;
	enum fq_err err;

	if (!row)
		return c->e->err;
	f = (struct fq_address_fields){
		keep(c, in->division_code, row, "division_code"),
		keep(c, in->street, row, "street"),
		keep(c, in->door_no, row, "door_no"),
		keep(c, in->building, row, "building"),
		keep(c, in->unit, row, "unit"),
		keep(c, in->floor, row, "floor"),
		keep(c, in->room, row, "room"),
		NULL,
		in->has_coords || json_is_number(json_object_get(row, "lat")),
		in->has_coords ? in->lat : json_number_value(json_object_get(row, "lat")),
		in->has_coords ? in->lng : json_number_value(json_object_get(row, "lng")),
		in->grid_id ? in->grid_id : json_integer_value(json_object_get(row, "grid_id")),
		NULL,
	};
	json_decref(row);
	err = check_and_store(c, &id, &f);
	return err;
}

json_t *fq_address_list(struct fq_ctx *c, const char *q, int64_t grid_id, int64_t page,
			int64_t per_page)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *row;
	size_t i;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_address_list(c->db, lo, hi, q, grid_id, per_page + 1,
				     (page - 1) * per_page, &err);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row)
		json_object_del(row, "org_path");
	return rows;
}
