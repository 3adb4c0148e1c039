/* The rules of prevention measures: domain/measure.h. */
#include "domain/measure.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "domain/work.h"
#include "store/measure_store.h"
#include "store/place_store.h"
#include "core/banned.h"

const char *const fq_measure_kinds[] = {"anti_theft_door", "anti_climb", "alarm", "b_lock",
					"camera", "infrared_alarm", NULL};
const char *const fq_measure_categories[] = {"physical", "technical", NULL};
const char *const fq_measure_statuses[] = {"working", "faulty", "removed", NULL};
const char *const fq_measure_results[] = {"working", "faulty", NULL};
const char *const fq_measure_owner_kinds[] = {"public", "social", NULL};

const char *fq_measure_category_of(const char *kind)
{
	if (!kind)
		return NULL;
	return !strcmp(kind, "camera") || !strcmp(kind, "infrared_alarm") ? "technical"
									   : "physical";
}

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
}

static enum fq_err field_fail(struct fq_ctx *c, const char *code, const char *field,
			      const char *msg)
{
	return fq_fail(c->e, FQ_ERR_INVALID, code, field, "%s", msg);
}

/* The measure when the caller may see it (scope); FQ_ERR_NOT_FOUND otherwise. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_measure_row *row)
{
	enum fq_err err = fq_store_measure_row(c->db, id, row);

	if (!err && !fq_principal_sees(c->who, row->org_path))
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such measure");
	return err ? store_fail(c, err) : FQ_OK;
}

/* Where the measure is: the place's address or the home's, its scope and
 * coordinates (has_coords false when the address has none). */
struct where {
	int64_t address_id;
	const char *org_path;
	bool has_coords;
	double lat, lng;
};

static enum fq_err locate(struct fq_ctx *c, int64_t place_id, int64_t address_id,
			  struct where *w)
{
	const char *field = place_id ? "place_id" : "address_id";
	json_t *addr;
	enum fq_err err;

	if (place_id) {
		struct fq_place_row p;

		err = fq_store_place_row(c->db, place_id, &p);
		if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, p.org_path)))
			return field_fail(c, "not_found", field, "no such place");
		if (err)
			return store_fail(c, err);
		address_id = p.address_id;
	}
	addr = fq_address_get(c, address_id, field);
	if (!addr)
		return c->e->err;
	w->address_id = address_id;
	w->has_coords = json_is_number(json_object_get(addr, "lat")) &&
			json_is_number(json_object_get(addr, "lng"));
	w->lat = json_number_value(json_object_get(addr, "lat"));
	w->lng = json_number_value(json_object_get(addr, "lng"));
	err = fq_org_visible(c, json_integer_value(json_object_get(addr, "grid_id")), field,
			     &w->org_path, NULL);
	json_decref(addr);
	return err;
}

static int64_t today(struct fq_ctx *c, int64_t now)
{
	return fq_time_local_day(now, c->cfg->utc_offset_minutes, NULL);
}

/* The camera's fields given for another kind are refused, by name. */
static enum fq_err camera_only(struct fq_ctx *c, const struct fq_measure_input *in)
{
	const struct {
		bool given;
		const char *field;
	} f[] = {{in->has_lat, "lat"},	     {in->has_lng, "lng"},
		 {in->has_direction, "direction"}, {in->has_angle, "view_angle"},
		 {in->owner_kind != NULL, "owner_kind"}, {in->has_linked, "linked"}};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].given)
			return field_fail(c, "not_camera", f[i].field,
					  "only a camera has a direction, view, owner and location");
	return FQ_OK;
}

/* The stored install day ("YYYY-MM-DD" as the store answers it) as YYYYMMDD. */
static int64_t stored_day(json_t *old)
{
	const char *s = json_string_value(json_object_get(old, "installed_on"));
	int64_t day = 0;

	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			day = day * 10 + (*s - '0');
	return day;
}

/* The input over the stored measure (old NULL: new) into the columns. */
static enum fq_err fields_of(struct fq_ctx *c, const struct fq_measure_input *in, json_t *old,
			     const struct where *w, struct fq_store_measure_fields *f)
{
	const char *kind = in->kind ? in->kind : json_string_value(json_object_get(old, "kind"));
	bool camera = kind && !strcmp(kind, "camera");
	enum fq_err err = camera ? FQ_OK : camera_only(c, in);

	if (err)
		return err;
	if (in->installed_on && in->installed_on > today(c, fq_time_now_ms()))
		return field_fail(c, "future", "installed_on", "the install date cannot be in the future");
	f->kind = kind;
	f->category = fq_measure_category_of(kind);
	f->status = in->status ? in->status
		    : old      ? json_string_value(json_object_get(old, "status"))
			       : "working";
	f->note = in->note ? (*in->note ? in->note : NULL)
		  : json_string_value(json_object_get(old, "note"));
	f->label = in->label ? (*in->label ? in->label : NULL)
		   : json_string_value(json_object_get(old, "label"));
	f->installed_on = in->installed_on ? in->installed_on : stored_day(old);
	f->has_camera = camera;
	if (!camera)
		return FQ_OK;
	/* Where it stands: given, kept, or the address's point. */
	f->lat = in->has_lat ? in->lat
		 : old	     ? json_number_value(json_object_get(old, "lat"))
			     : w->lat;
	f->lng = in->has_lng ? in->lng
		 : old	     ? json_number_value(json_object_get(old, "lng"))
			     : w->lng;
	if (!old && !w->has_coords && (!in->has_lat || !in->has_lng))
		return field_fail(c, "required", in->has_lat ? "lng" : "lat",
				  "the address has no point on the map: give the camera's location");
	if (!old && !in->has_direction)
		return field_fail(c, "required", "direction",
				  "give the direction the camera looks in (0–359°, 0 = north)");
	f->direction = in->has_direction ? in->direction
				: json_integer_value(json_object_get(old, "direction"));
	f->view_angle = in->has_angle ? in->view_angle
			: old	      ? json_integer_value(json_object_get(old, "view_angle"))
				      : FQ_MEASURE_DEFAULT_ANGLE;
	f->owner_kind = in->owner_kind ? in->owner_kind
			: old	       ? json_string_value(json_object_get(old, "owner_kind"))
				       : "public";
	f->linked = in->has_linked ? in->linked : json_integer_value(json_object_get(old, "linked"));
	return FQ_OK;
}

enum fq_err fq_measure_create(struct fq_ctx *c, const struct fq_measure_input *in, int64_t *id)
{
	struct fq_store_measure_fields f = {0};
	struct where w = {0};
	enum fq_err err;

	if (in->place_id && in->address_id)
		return field_fail(c, "place_or_address", "address_id",
				  "give the place or the home's address, not both");
	if (!in->place_id && !in->address_id)
		return field_fail(c, "required", "address_id",
				  "give the place or the home's address where it is installed");
	err = locate(c, in->place_id, in->address_id, &w);
	if (!err)
		err = fields_of(c, in, NULL, &w, &f);
	if (err)
		return err;
	f.place_id = in->place_id;
	f.address_id = w.address_id;
	f.org_path = w.org_path;
	err = fq_store_measure_insert(c->db, &f, c->who->user_id, fq_time_now_ms(), id);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_measure_update(struct fq_ctx *c, int64_t id, const struct fq_measure_input *in)
{
	struct fq_measure_row row;
	struct fq_store_measure_fields f = {0};
	json_t *old = NULL;
	enum fq_err err = load(c, id, &row);

	if (!err) {
		old = fq_store_measure_json(c->db, id, &err);
		if (!old)
			store_fail(c, err);
	}
	if (!err)
		err = fields_of(c, in, old, NULL, &f);
	f.place_id = row.place_id;
	f.address_id = row.address_id;
	f.org_path = row.org_path;
	/* the texts point into old: written before it is let go */
	if (!err && (err = fq_store_measure_update(c->db, id, &f, fq_time_now_ms())))
		store_fail(c, err);
	json_decref(old);
	return err;
}

static void present(json_t *m)
{
	json_t *linked = json_object_get(m, "linked");

	if (json_is_integer(linked))
		json_object_set_new(m, "linked", json_boolean(json_integer_value(linked)));
}

json_t *fq_measure_get(struct fq_ctx *c, int64_t id)
{
	struct fq_measure_row row;
	json_t *out, *checks;
	enum fq_err err = load(c, id, &row);

	if (err)
		return NULL;
	out = fq_store_measure_json(c->db, id, &err);
	checks = out ? fq_store_measure_checks(c->db, id, &err) : NULL;
	if (!checks) {
		json_decref(out);
		store_fail(c, err);
		return NULL;
	}
	present(out);
	json_object_set_new(out, "checks", checks);
	return out;
}

json_t *fq_measure_list(struct fq_ctx *c, struct fq_measure_filter *f, int64_t page,
			int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *one;
	size_t k;

	if (f->org_id && fq_org_visible(c, f->org_id, "org_id", &f->under, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	f->now = fq_time_now_ms();
	rows = fq_store_measure_list(c->db, f, c->who->whole_tree ? NULL : lo, hi,
				     (page - 1) * per_page, per_page + 1, after, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(rows, k, one)
		present(one);
	return rows;
}

enum fq_err fq_measure_check(struct fq_ctx *c, int64_t id, int64_t checked_on,
			     const char *result, const char *note, int64_t now, int64_t *check_id)
{
	struct fq_measure_row row;
	int64_t day_now = today(c, now), day = checked_on ? checked_on : day_now, at = now;
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!strcmp(row.status, "removed"))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "removed", NULL,
			       "this measure was removed: it is not checked any more");
	if (day > day_now)
		return field_fail(c, "future", "checked_on", "a check cannot be in the future");
	if (day < fq_date_add(day_now, -30))
		return field_fail(c, "too_old", "checked_on", "record a check within 30 days of it");
	/* an earlier day's check: its midday */
	if (day < day_now && fq_time_day_start(day, c->cfg->utc_offset_minutes, &at))
		at += 12 * 3600 * 1000LL;
	err = fq_store_measure_check(c->db, id, day, at, result, note, c->who->user_id, now,
				     check_id);
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- coverage and the map ---- */

static void share_of(json_t *o)
{
	int64_t homes = json_integer_value(json_object_get(o, "homes"));
	int64_t covered = json_integer_value(json_object_get(o, "covered"));

	json_object_set_new(o, "share",
			    homes ? json_real(round(1000.0 * (double)covered / (double)homes) / 10.0)
				  : json_null());
}

json_t *fq_measure_coverage(struct fq_ctx *c, int64_t org_id, const char *kind)
{
	const char *path = NULL;
	int64_t homes = 0, covered = 0;
	json_t *unit, *org = NULL, *children = NULL, *grids = NULL, *one;
	enum fq_err err;
	size_t k;

	if (!org_id)
		org_id = c->who->org_id;
	if (fq_org_visible(c, org_id, "org_id", &path, NULL))
		return NULL;
	unit = fq_org_get(c, org_id);
	org = unit ? json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)org_id, "name",
			       json_string_value(json_object_get(unit, "name")), "kind",
			       json_string_value(json_object_get(unit, "kind")))
		   : NULL;
	json_decref(unit);
	if (!unit)
		return NULL;
	err = org ? fq_store_measure_coverage(c->db, path, kind, &homes, &covered) : FQ_ERR_NOMEM;
	if (!err)
		children = fq_store_measure_coverage_children(c->db, org_id, kind, &err);
	if (children)
		grids = fq_store_measure_coverage_grids(c->db, path, kind, &err);
	if (!grids) {
		json_decref(org);
		json_decref(children);
		store_fail(c, err ? err : FQ_ERR_NOMEM);
		return NULL;
	}
	json_object_set_new(org, "homes", json_integer(homes));
	json_object_set_new(org, "covered", json_integer(covered));
	share_of(org);
	json_array_foreach(children, k, one)
		share_of(one);
	json_array_foreach(grids, k, one)
		share_of(one);
	return json_pack("{s:s, s:o, s:o, s:o}", "kind", kind, "org", org, "children", children,
			 "grids", grids);
}

#define CAMERAS_MAX 500

json_t *fq_measure_cameras(struct fq_ctx *c, double south, double west, double north,
			   double east)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *one;
	size_t k;
	bool cut;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_measure_cameras(c->db, c->who->whole_tree ? NULL : lo, hi, south, west,
					north, east, CAMERAS_MAX + 1, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	cut = json_array_size(rows) > CAMERAS_MAX;
	if (cut)
		json_array_remove(rows, CAMERAS_MAX);
	json_array_foreach(rows, k, one)
		present(one);
	return json_pack("{s:o, s:b}", "items", rows, "truncated", cut);
}

/* ---- the work queue ---- */

enum fq_err fq_measure_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	if (!fq_principal_may(c->who, "measure.write"))
		return FQ_OK;
	rows = fq_store_measure_work(c->db, c->who->user_id, now, FQ_WORK_PER_KIND, &err);
	json_array_foreach(rows, i, row) {
		const char *label = json_string_value(json_object_get(row, "label"));
		const char *place = json_string_value(json_object_get(row, "place_name"));
		struct fq_work_item it = {
			.kind = "measure_check",
			.why = "place_responsible",
			.title = fq_arena_printf(c->arena, "%s%s%s", place ? place : "",
						 label ? " · " : "", label ? label : ""),
			.due = json_integer_value(json_object_get(row, "due_t")),
			.route = "measure",
			.id = json_integer_value(json_object_get(row, "id")),
			.params = json_pack("{s:s?}", "measure_kind",
					    json_string_value(json_object_get(row, "kind"))),
		};

		it.since = it.due;
		err = fq_work_add(list, &it);
		if (err)
			break;
	}
	json_decref(rows);
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}

/* ---- attachments (photos) ---- */

static enum fq_err attach_measure(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_measure_row row;

	(void)write;
	return load(c, id, &row);
}

const struct fq_attach_owner fq_measure_attach[] = {
	{"measure", "measure.read", "measure.write", false, attach_measure},
	{NULL, NULL, NULL, false, NULL},
};
