/* The rules of grids on the map: which units have an area, who may be their
 * staff, where a point falls, and the coverage check (横向到边、纵向到底). The
 * areas are loaded per request from org_units.polygon; the coverage check
 * tries each address's own grid first (found by id), so a check of N
 * addresses costs about N point tests; placing a point reads only the grids
 * whose stored bounding box holds it. */
#include "domain/grid.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/geo.h"
#include "domain/org.h"
#include "domain/volunteer.h"
#include "store/grid_store.h"
#include "store/org_store.h"
#include "store/place_store.h"
#include "store/user_store.h"

const char *const fq_grid_area_kinds[] = {"police_room", "beat", "community", "village", "grid",
					  NULL};
const char *const fq_grid_layers[] = {"addresses", "incidents", "places", NULL};

#define PATH_MAX_LEN 256

static bool is_area_kind(const char *kind)
{
	for (int i = 0; fq_grid_area_kinds[i]; i++)
		if (!strcmp(kind, fq_grid_area_kinds[i]))
			return true;
	return false;
}

static json_t *fail_null(struct fq_ctx *c, enum fq_err err)
{
	if (err)
		fq_fail_keep(c->e, err, NULL);
	return NULL;
}

/* [lo, hi) of org_id's subtree (0: the caller's scope), checked visible. */
static enum fq_err range_of(struct fq_ctx *c, int64_t org_id, char *lo, char *hi)
{
	const char *path;
	enum fq_err err;

	if (!org_id) {
		fq_principal_scope(c->who, lo, hi, PATH_MAX_LEN);
		return FQ_OK;
	}
	err = fq_org_visible(c, org_id, "org_id", &path, NULL);
	if (!err)
		fq_org_subtree(path, lo, hi, PATH_MAX_LEN);
	return err;
}

/* The polygon column's text as a GeoJSON value in row (null when absent). */
static void polygon_as_json(json_t *row)
{
	const char *text = json_string_value(json_object_get(row, "polygon"));

	json_object_set_new(row, "polygon", text ? json_loads(text, 0, NULL) : json_null());
	if (!json_object_get(row, "polygon"))
		json_object_set_new(row, "polygon", json_null());
}

json_t *fq_grid_units(struct fq_ctx *c, int64_t org_id)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	enum fq_err err = range_of(c, org_id, lo, hi);
	json_t *rows, *row;
	size_t i;

	if (err)
		return NULL;
	rows = fq_store_grid_units(c->db, lo, hi, &err);
	if (err)
		return fail_null(c, err);
	json_array_foreach(rows, i, row)
		polygon_as_json(row);
	return rows;
}

/* The drawn areas of kind (NULL: every area kind) in [lo, hi), loaded. */
struct area {
	int64_t id;
	int64_t boxed; /* whether its bounding box is stored (fq_grid_place) */
	const char *path, *name;
	struct fq_geo_shape shape;
};

struct areas {
	struct area *items;
	size_t n;
};

/* Reads the areas of rows (id, path, name, polygon) into out; a row whose
 * polygon no longer reads is left out. With boxes, out->boxed[i] is the
 * row's boxed column. */
static enum fq_err read_areas(struct fq_ctx *c, json_t *rows, struct areas *out)
{
	enum fq_err err = FQ_OK;
	json_t *row;
	size_t i;

	out->n = 0;
	out->items = fq_arena_alloc(c->arena, (json_array_size(rows) + 1) * sizeof(*out->items));
	if (!out->items)
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(rows, i, row) {
		struct area *a = &out->items[out->n];
		json_t *geo;

		if (err)
			break;
		geo = json_loads(json_string_value(json_object_get(row, "polygon")), 0, NULL);
		a->id = json_integer_value(json_object_get(row, "id"));
		a->boxed = json_integer_value(json_object_get(row, "boxed"));
		a->path = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "path")));
		a->name = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "name")));
		/* A stored area that no longer reads is skipped, not fatal: the
		 * map shows the unit as not drawn and it can be drawn again. */
		if (geo && a->path && a->name && !fq_geo_load(c->arena, geo, &a->shape, c->e))
			out->n++;
		else
			fq_error_clear(c->e);
		json_decref(geo);
	}
	return err;
}

static enum fq_err load_areas(struct fq_ctx *c, const char *lo, const char *hi, const char *kind,
			      struct areas *out)
{
	enum fq_err err;
	json_t *rows = fq_store_grid_areas(c->db, lo, hi, kind, &err);

	out->n = 0;
	out->items = NULL;
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	err = read_areas(c, rows, out);
	json_decref(rows);
	return err;
}

static const struct area *area_holding(const struct areas *as, double lng, double lat)
{
	for (size_t i = 0; i < as->n; i++)
		if (fq_geo_contains(&as->items[i].shape, lng, lat))
			return &as->items[i];
	return NULL;
}

struct count_inside {
	const struct fq_geo_shape *shape;
	int64_t n;
};

static int count_one(void *arg, int64_t id, int64_t grid_id, int has, double lat, double lng)
{
	struct count_inside *ci = arg;

	(void)id;
	(void)grid_id;
	ci->n += has && fq_geo_contains(ci->shape, lng, lat);
	return 0;
}

enum fq_err fq_grid_set_area(struct fq_ctx *c, int64_t id, const json_t *geometry,
			     int64_t *placed)
{
	const char *path, *kind;
	struct fq_geo_shape shape;
	char *text = NULL;
	enum fq_err err = fq_org_visible(c, id, NULL, &path, &kind);

	if (placed)
		*placed = 0;
	if (err)
		return err;
	if (!is_area_kind(kind))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "polygon",
			       "a %s has no area of its own: draw the areas of the units under it",
			       kind);
	if (geometry) {
		json_t *norm;

		err = fq_geo_read(c->arena, geometry, "polygon", &shape, c->e);
		if (err)
			return err;
		norm = fq_geo_json(&shape);
		text = norm ? fq_json_dumps(norm, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
		json_decref(norm);
		if (!text)
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	err = fq_store_grid_polygon_set(
		c->db, id, text,
		geometry ? (const double[]){shape.min_lat, shape.min_lng, shape.max_lat, shape.max_lng}
			 : NULL);
	free(text);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (geometry && placed) {
		char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
		struct count_inside ci = {&shape, 0};

		fq_org_subtree(path, lo, hi, sizeof(lo));
		err = fq_store_grid_each_address(c->db, lo, hi, count_one, &ci);
		if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		*placed = ci.n;
	}
	return FQ_OK;
}

/* Workers are staff of the station or volunteers; the others' duties lie
 * elsewhere (三员分立, mediators and counselors by assignment). */
static enum fq_err check_worker(struct fq_ctx *c, int64_t user_id, size_t idx)
{
	static const char *const roles[] = {"chief", "officer", "aux", "volunteer"};
	struct fq_user_row u;
	char field[40];
	enum fq_err err;

	snprintf(field, sizeof(field), "worker_ids[%zu]", idx);
	err = fq_org_check_user(c, user_id, field, NULL);
	if (!err && (err = fq_store_user_get(c->db, user_id, &u)) != FQ_OK)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	for (size_t i = 0; !err && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(u.role, roles[i]))
			return FQ_OK;
	return err ? err
		   : fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			     "a grid worker is a chief, officer, auxiliary officer or volunteer");
}

enum fq_err fq_grid_set_staff(struct fq_ctx *c, int64_t id, const struct fq_grid_staff_input *in)
{
	struct fq_org_input org = {.leader_id = in->leader_id,
				   .resident_aux_id = in->resident_aux_id};
	const char *kind;
	enum fq_err err = fq_org_visible(c, id, NULL, NULL, &kind);

	if (!err && !is_area_kind(kind))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "leader_id",
			       "a %s is not a police room, beat, community, village or grid",
			       kind);
	for (size_t i = 0; !err && i < in->nworkers; i++)
		err = check_worker(c, in->worker_ids[i], i);
	if (!err && (in->leader_id || in->resident_aux_id))
		err = fq_org_update(c, id, &org);
	if (!err && in->workers_given) {
		err = fq_store_grid_workers_set(c->db, id, in->worker_ids, in->nworkers);
		if (err)
			err = fq_fail(c->e, err, NULL, NULL, NULL);
	}
	return err;
}

/* The local days [from_day, to_day] as [from, to) in ms; 0 days: the last
 * 30 days up to now. */
static enum fq_err day_range(struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t *from,
			     int64_t *to)
{
	int64_t off = c->cfg ? c->cfg->utc_offset_minutes : 480;
	int64_t today = fq_time_local_day(fq_time_now_ms(), off, NULL);

	if (!to_day)
		to_day = today;
	if (!from_day)
		from_day = fq_date_add(to_day, -29);
	if (from_day > to_day)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "from", "from is after to");
	if (!fq_time_day_start(from_day, off, from) ||
	    !fq_time_day_start(fq_date_add(to_day, 1), off, to))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "from", "not a date");
	return FQ_OK;
}

json_t *fq_grid_get(struct fq_ctx *c, int64_t id, int64_t now)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	int64_t off = c->cfg ? c->cfg->utc_offset_minutes : 480, day, month_start, year_start;
	const char *path, *kind;
	json_t *rows = NULL, *unit = NULL, *children, *row, *geo;
	struct fq_geo_shape shape;
	enum fq_err err = fq_org_visible(c, id, NULL, &path, &kind);
	size_t i;

	if (err)
		return NULL;
	fq_org_subtree(path, lo, hi, sizeof(lo));
	rows = fq_store_grid_units(c->db, lo, hi, &err);
	children = json_array();
	if (!err && !children)
		err = FQ_ERR_NOMEM;
	json_array_foreach(rows, i, row) {
		if (err)
			break;
		polygon_as_json(row);
		if (json_integer_value(json_object_get(row, "id")) == id)
			unit = json_incref(row);
		else if (json_integer_value(json_object_get(row, "parent_id")) == id)
			json_array_append(children, row);
	}
	json_decref(rows);
	if (!err && !unit) { /* a station: no area of its own */
		unit = fq_store_org_json(c->db, id, &err);
		json_object_set_new(unit, "polygon", json_null());
	}
	if (err) {
		json_decref(children);
		json_decref(unit);
		return fail_null(c, err);
	}
	geo = json_object_get(unit, "polygon");
	json_object_set_new(unit, "area_m2",
			    json_is_object(geo) && !fq_geo_load(c->arena, geo, &shape, c->e)
				    ? json_real(fq_geo_area_m2(&shape))
				    : json_null());
	fq_error_clear(c->e);
	json_object_set_new(unit, "children", children);
	json_object_set_new(unit, "workers", fq_store_grid_workers(c->db, id, &err));
	day = fq_time_local_day(now, off, NULL);
	if (!err && (!fq_time_day_start(day / 100 * 100 + 1, off, &month_start) ||
		     !fq_time_day_start(day / 10000 * 10000 + 101, off, &year_start)))
		err = FQ_ERR_INTERNAL;
	if (!err && fq_principal_may(c->who, "incident.read") &&
	    fq_principal_may(c->who, "dispute.read")) {
		json_object_set_new(unit, "figures",
				    fq_store_grid_figures(c->db, lo, hi, month_start, year_start,
							  &err));
		if (!err)
			json_object_set_new(unit, "open",
					    fq_store_grid_open_work(c->db, lo, hi, 10, &err));
	}
	/* The places of its subtree (at most 50, by id). */
	if (!err && fq_principal_may(c->who, "place.read")) {
		json_t *places = fq_store_place_grid_list(c->db, path, now, 51, &err);

		if (json_array_size(places) > 50)
			json_array_remove(places, 50);
		json_object_set_new(unit, "places", places);
	}
	/* The volunteer teams of its subtree (at most 50, by name). */
	if (!err && fq_principal_may(c->who, "volunteer.read")) {
		json_t *teams = fq_team_list(c, id, 1, 50);

		if (!teams)
			err = c->e->err ? c->e->err : FQ_ERR_NOMEM;
		else if (json_array_size(teams) > 50)
			json_array_remove(teams, 50);
		json_object_set_new(unit, "teams", teams);
	}
	if (err) {
		json_decref(unit);
		return fail_null(c, err);
	}
	return unit;
}

enum fq_err fq_grid_place(struct fq_ctx *c, double lat, double lng, int64_t *grid_id)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	struct areas as;
	const struct area *a;
	json_t *rows;
	enum fq_err err;

	*grid_id = 0;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	/* Only the grids whose bounding box holds the point (and those drawn
	 * before boxes were stored, whose boxes are stored now). */
	rows = fq_store_grid_areas_at(c->db, lo, hi, "grid", lat, lng, &err);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	err = read_areas(c, rows, &as);
	json_decref(rows);
	for (size_t i = 0; !err && i < as.n; i++) {
		const struct fq_geo_shape *s = &as.items[i].shape;

		if (!as.items[i].boxed)
			err = fq_store_grid_area_box_set(
				c->db, as.items[i].id,
				(const double[]){s->min_lat, s->min_lng, s->max_lat, s->max_lng});
		if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
	}
	a = err ? NULL : area_holding(&as, lng, lat);
	if (a)
		*grid_id = a->id;
	return err;
}

json_t *fq_grid_locate(struct fq_ctx *c, double lat, double lng)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	struct areas as;
	json_t *units = json_array();
	enum fq_err err;

	if (!units)
		return fail_null(c, FQ_ERR_NOMEM);
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	err = load_areas(c, lo, hi, NULL, &as);
	/* Tree order puts a unit before the units under it: walk back for
	 * the smallest first. */
	for (size_t i = as.n; !err && i-- > 0;) {
		const struct area *a = &as.items[i];

		if (fq_geo_contains(&a->shape, lng, lat))
			json_array_append_new(units, json_pack("{s:I, s:s}", "id", (json_int_t)a->id,
							       "name", a->name));
	}
	if (err) {
		json_decref(units);
		return NULL;
	}
	return json_pack("{s:o}", "units", units);
}

/* The coverage check's pass over the addresses: each address's own grid is
 * found by id among the grids sorted by id (by_id). */
struct coverage {
	struct areas grids;
	const struct area **by_id;
	int64_t outside, elsewhere, no_coords;
	int64_t outside_ids[FQ_GRID_COVERAGE_ITEMS], elsewhere_ids[FQ_GRID_COVERAGE_ITEMS];
	int64_t elsewhere_grid[FQ_GRID_COVERAGE_ITEMS];
	int64_t places_outside, place_ids[FQ_GRID_COVERAGE_ITEMS];
};

static int cmp_area_id(const void *x, const void *y)
{
	int64_t a = (*(const struct area *const *)x)->id, b = (*(const struct area *const *)y)->id;

	return (a > b) - (a < b);
}

static const struct area *area_by_id(const struct coverage *cv, int64_t id)
{
	struct area key = {.id = id};
	const struct area *k = &key, **found;

	found = cv->by_id ? bsearch(&k, cv->by_id, cv->grids.n, sizeof(*cv->by_id), cmp_area_id)
			  : NULL;
	return found ? *found : NULL;
}

/* Sorts the grids by id into cv->by_id. */
static enum fq_err sort_by_id(struct fq_ctx *c, struct coverage *cv)
{
	cv->by_id = fq_arena_alloc(c->arena, (cv->grids.n + 1) * sizeof(*cv->by_id));
	if (!cv->by_id)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (size_t i = 0; i < cv->grids.n; i++)
		cv->by_id[i] = &cv->grids.items[i];
	qsort(cv->by_id, cv->grids.n, sizeof(*cv->by_id), cmp_area_id);
	return FQ_OK;
}

static int cover_one(void *arg, int64_t id, int64_t grid_id, int has, double lat, double lng)
{
	struct coverage *cv = arg;
	const struct area *own, *holder;

	if (!has) {
		cv->no_coords++;
		return 0;
	}
	own = area_by_id(cv, grid_id);
	if (own && fq_geo_contains(&own->shape, lng, lat))
		return 0;
	holder = area_holding(&cv->grids, lng, lat);
	if (!holder) {
		if (cv->outside < FQ_GRID_COVERAGE_ITEMS)
			cv->outside_ids[cv->outside] = id;
		cv->outside++;
	} else {
		if (cv->elsewhere < FQ_GRID_COVERAGE_ITEMS) {
			cv->elsewhere_ids[cv->elsewhere] = id;
			cv->elsewhere_grid[cv->elsewhere] = holder->id;
		}
		cv->elsewhere++;
	}
	return 0;
}

/* A place lies outside every grid when its address does (one without
 * coordinates is counted with the addresses). */
static int cover_place(void *arg, int64_t id, int64_t grid_id, int has, double lat, double lng)
{
	struct coverage *cv = arg;
	const struct area *own = has ? area_by_id(cv, grid_id) : NULL;

	if (!has || (own && fq_geo_contains(&own->shape, lng, lat)) ||
	    area_holding(&cv->grids, lng, lat))
		return 0;
	if (cv->places_outside < FQ_GRID_COVERAGE_ITEMS)
		cv->place_ids[cv->places_outside] = id;
	cv->places_outside++;
	return 0;
}

static json_t *counted(json_t *items, int64_t count)
{
	return items ? json_pack("{s:I, s:o}", "count", (json_int_t)count, "items", items) : NULL;
}

/* Units of kind lacking what, as {count, items}; count is exact only up to
 * the list's limit + 1 (a longer list says "200 or more"). */
static json_t *lacking(struct fq_ctx *c, const char *lo, const char *hi, const char *kind,
		       const char *what, enum fq_err *err)
{
	json_t *items = *err ? NULL
			     : fq_store_grid_lacking(c->db, lo, hi, kind, what,
						     FQ_GRID_COVERAGE_ITEMS + 1, err);
	size_t n = json_array_size(items);

	if (n > FQ_GRID_COVERAGE_ITEMS)
		json_array_remove(items, FQ_GRID_COVERAGE_ITEMS);
	return counted(items, (int64_t)n);
}

json_t *fq_grid_coverage(struct fq_ctx *c, int64_t org_id)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	struct coverage *cv = fq_arena_alloc(c->arena, sizeof(*cv));
	json_t *out = NULL, *outside = NULL, *elsewhere = NULL, *places = NULL, *item;
	enum fq_err err = cv ? range_of(c, org_id, lo, hi) : FQ_ERR_NOMEM;
	size_t i;

	if (err == FQ_ERR_NOMEM)
		fq_fail(c->e, err, NULL, NULL, NULL);
	if (err)
		return NULL;
	memset(cv, 0, sizeof(*cv));
	err = load_areas(c, lo, hi, "grid", &cv->grids);
	if (!err)
		err = sort_by_id(c, cv);
	if (!err && (err = fq_store_grid_each_address(c->db, lo, hi, cover_one, cv)) != FQ_OK)
		err = fq_fail(c->e, err, NULL, NULL, NULL);
	if (!err && fq_principal_may(c->who, "place.read") &&
	    (err = fq_store_grid_each_place(c->db, lo, hi, cover_place, cv)) != FQ_OK)
		err = fq_fail(c->e, err, NULL, NULL, NULL);
	if (err)
		return NULL;
	outside = fq_store_grid_addresses_by_id(
		c->db, cv->outside_ids,
		(size_t)(cv->outside < FQ_GRID_COVERAGE_ITEMS ? cv->outside : FQ_GRID_COVERAGE_ITEMS),
		&err);
	if (!err)
		elsewhere = fq_store_grid_addresses_by_id(
			c->db, cv->elsewhere_ids,
			(size_t)(cv->elsewhere < FQ_GRID_COVERAGE_ITEMS ? cv->elsewhere
									: FQ_GRID_COVERAGE_ITEMS),
			&err);
	if (!err)
		places = fq_store_grid_places_by_id(
			c->db, cv->place_ids,
			(size_t)(cv->places_outside < FQ_GRID_COVERAGE_ITEMS ? cv->places_outside
									     : FQ_GRID_COVERAGE_ITEMS),
			&err);
	json_array_foreach(elsewhere, i, item) {
		/* The list comes in id order: find the grid its pass noted. */
		int64_t aid = json_integer_value(json_object_get(item, "id")), gid = 0;
		const struct area *a;

		for (size_t k = 0; k < FQ_GRID_COVERAGE_ITEMS && k < (size_t)cv->elsewhere; k++)
			if (cv->elsewhere_ids[k] == aid)
				gid = cv->elsewhere_grid[k];
		a = area_by_id(cv, gid);

		json_object_set_new(item, "inside_grid_id", json_integer(a ? a->id : 0));
		json_object_set_new(item, "inside_grid_name", json_string(a ? a->name : ""));
	}
	if (!err)
		out = json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "addresses_outside",
				counted(outside, cv->outside), "addresses_elsewhere",
				counted(elsewhere, cv->elsewhere), "places_outside",
				counted(places, cv->places_outside), "addresses_without_coordinates",
				(json_int_t)cv->no_coords, "grids_without_area",
				lacking(c, lo, hi, "grid", "area", &err), "grids_without_leader",
				lacking(c, lo, hi, "grid", "leader", &err), "grids_without_worker",
				lacking(c, lo, hi, "grid", "worker", &err),
				"villages_without_resident_aux",
				lacking(c, lo, hi, "village", "resident_aux", &err));
	else {
		json_decref(outside);
		json_decref(elsewhere);
		json_decref(places);
	}
	if (err || !out) {
		json_decref(out);
		return fail_null(c, err ? err : FQ_ERR_NOMEM);
	}
	return out;
}

json_t *fq_grid_heat(struct fq_ctx *c, int64_t org_id, const char *kind, int64_t from_day,
		     int64_t to_day)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	int64_t from, to, max = 0;
	json_t *counts = NULL, *items, *row;
	struct areas as;
	enum fq_err err = range_of(c, org_id, lo, hi);
	size_t i;

	if (!err)
		err = day_range(c, from_day, to_day, &from, &to);
	if (!err)
		err = load_areas(c, lo, hi, kind ? kind : "grid", &as);
	if (err)
		return NULL;
	counts = fq_store_grid_incident_counts(c->db, lo, hi, from, to, &err);
	items = json_array();
	if (!err && !items)
		err = FQ_ERR_NOMEM;
	for (size_t k = 0; !err && k < as.n; k++) {
		int64_t n = 0;

		json_array_foreach(counts, i, row)
			if (fq_org_path_under(json_string_value(json_object_get(row, "path")),
					      as.items[k].path))
				n += json_integer_value(json_object_get(row, "n"));
		max = n > max ? n : max;
		json_array_append_new(items, json_pack("{s:I, s:I}", "id", (json_int_t)as.items[k].id,
						       "n", (json_int_t)n));
	}
	json_decref(counts);
	if (err) {
		json_decref(items);
		return fail_null(c, err);
	}
	return json_pack("{s:o, s:I}", "items", items, "max", (json_int_t)max);
}

/* Drops the rows without coordinates (places whose address has none). */
static void keep_located(json_t *rows)
{
	for (size_t i = json_array_size(rows); i-- > 0;)
		if (!json_is_number(json_object_get(json_array_get(rows, i), "lat")))
			json_array_remove(rows, i);
}

json_t *fq_grid_points(struct fq_ctx *c, const char *layer, const struct fq_grid_box *box,
		       int64_t from_day, int64_t to_day)
{
	char lo[PATH_MAX_LEN], hi[PATH_MAX_LEN];
	int64_t from, to;
	json_t *items;
	enum fq_err err = FQ_OK;
	bool incidents = !strcmp(layer, "incidents"), places = !strcmp(layer, "places"), truncated;
	const char *need = incidents ? "incident.read" : places ? "place.read" : NULL;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	if (need && !fq_principal_may(c->who, need)) {
		fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, "layer", "you may not read %s", layer);
		return NULL;
	}
	if (incidents && day_range(c, from_day, to_day, &from, &to))
		return NULL;
	if (incidents)
		items = fq_store_grid_incident_points(c->db, lo, hi, from, to,
						      FQ_GRID_MAX_POINTS + 1, &err);
	else if (places && box->set)
		items = fq_store_place_box_list(c->db, lo, hi, fq_time_now_ms(), box->south,
						box->west, box->north, box->east,
						FQ_GRID_MAX_POINTS + 1, &err);
	else if (places)
		items = fq_store_place_grid_list(c->db, lo, fq_time_now_ms(),
						 FQ_GRID_MAX_POINTS + 1, &err);
	else
		items = fq_store_grid_address_points(c->db, lo, hi, box->south, box->west,
						     box->north, box->east, FQ_GRID_MAX_POINTS + 1,
						     &err);
	if (err)
		return fail_null(c, err);
	truncated = json_array_size(items) > FQ_GRID_MAX_POINTS;
	if (truncated)
		json_array_remove(items, FQ_GRID_MAX_POINTS);
	if (places)
		keep_located(items);
	return json_pack("{s:o, s:b}", "items", items, "truncated", truncated);
}
