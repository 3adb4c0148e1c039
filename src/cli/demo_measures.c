/* Demo data of prevention measures, deterministic: B-grade locks and
 * anti-theft doors at part of the demo homes, a different share in each grid
 * (by the grid's id) so the coverage differs; a camera near each of the first
 * six demo places, looking in turn round the compass, public and social ones,
 * one faulty and one entered 200 days ago and never checked (due: in
 * demo.officer's work queue); an infrared alarm at each shop; a check of the
 * first camera today. Made through the domain calls, as demo.officer. */
#include <jansson.h>
#include <string.h>

#include "cli/demo.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/measure.h"
#include "domain/place.h"
#include "store/measure_store.h"
#include "store/place_store.h"
#include "core/banned.h"

#define DAY_MS (24LL * 3600 * 1000)

/* A number from 0 to 99 of id and salt, the same on every run. */
static int spread(int64_t id, unsigned salt)
{
	return (int)(((uint64_t)id * 2654435761u + salt * 40503u) % 100);
}

static enum fq_err homes(struct fq_ctx *c, struct fq_demo *d)
{
	/* the share of homes with a B-grade lock, by grid */
	static const int share[] = {70, 45, 25, 10};
	enum fq_err err = FQ_OK;

	for (int k = 0; !err && k < d->naddresses; k++) {
		int64_t id = d->addresses[k], mid;
		json_t *a = fq_address_get(c, id, "address_id");
		int64_t grid = a ? json_integer_value(json_object_get(a, "grid_id")) : 0;
		int want = share[grid % 4];

		json_decref(a);
		if (!a)
			return c->e->err;
		if (spread(id, 1) < want) {
			struct fq_measure_input in = {.kind = "b_lock", .address_id = id,
						      .installed_on = 20250301 + k % 20};

			err = fq_measure_create(c, &in, &mid);
		}
		if (!err && spread(id, 2) < want + 10) {
			struct fq_measure_input in = {.kind = "anti_theft_door", .address_id = id};

			err = fq_measure_create(c, &in, &mid);
		}
	}
	return err;
}

static enum fq_err at_places(struct fq_ctx *c)
{
	static const char *const labels[] = {"大门口", "停车场", "主干道路口",
					     "后门",   "仓库",   "收银台"};
	struct fq_place_filter f = {0};
	json_t *places = fq_place_list(c, &f, 1, 50, 0), *p;
	int64_t now = fq_time_now_ms(), mid, check;
	enum fq_err err = places ? FQ_OK : c->e->err;
	int cameras = 0;

	/* oldest first: the same places as demo_places.c made them */
	for (size_t i = json_array_size(places); !err && i-- > 0;) {
		const char *kind;

		p = json_array_get(places, i);
		kind = json_string_value(json_object_get(p, "kind"));
		if (cameras < 6 && json_is_number(json_object_get(p, "lat"))) {
			struct fq_measure_input in = {
				.kind = "camera", .place_id = json_integer_value(json_object_get(p, "id")),
				.label = labels[cameras], .has_lat = true, .has_lng = true,
				.lat = json_number_value(json_object_get(p, "lat")) + 0.0003,
				.lng = json_number_value(json_object_get(p, "lng")) + 0.0002 * (cameras % 3),
				.has_direction = true, .direction = (cameras * 60 + 30) % 360,
				.has_angle = true, .view_angle = cameras % 2 ? 60 : 90,
				.owner_kind = cameras % 3 == 2 ? "social" : "public",
				.has_linked = true, .linked = cameras % 3 != 2,
				.status = cameras == 3 ? "faulty" : NULL, .installed_on = 20240915};

			err = fq_measure_create(c, &in, &mid);
			if (!err && cameras == 0)
				err = fq_measure_check(c, mid, 0, "working", "画面清晰，角度正常", now,
						       &check);
			if (!err && cameras == 5 &&
			    (err = fq_store_measure_backdate(c->db, mid, now - 200 * DAY_MS)))
				err = fq_fail(c->e, err, NULL, NULL, "cannot date the demo camera back");
			cameras++;
		}
		if (!err && kind && !strcmp(kind, "shop")) {
			struct fq_measure_input in = {
				.kind = "infrared_alarm",
				.place_id = json_integer_value(json_object_get(p, "id")),
				.label = "店内红外", .installed_on = 20250610};

			err = fq_measure_create(c, &in, &mid);
		}
	}
	json_decref(places);
	return err;
}

enum fq_err fq_demo_measures(struct fq_demo *d)
{
	struct fq_ctx *c = d->c, as = *c;
	struct fq_demo_actor officer;
	enum fq_err err = fq_demo_as_user(c, "demo.officer", "officer", &officer);

	if (err)
		return err;
	as.who = &officer.who;
	err = homes(&as, d);
	if (!err)
		err = at_places(&as);
	return err;
}
