/* Demo data of the standard addresses: compounds of buildings along the
 * streets of each grid's community, and some shops and houses with a door
 * number only (cli/demo.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/demo.h"
#include "core/banned.h"
#include "domain/address.h"
#include "domain/ctx.h"

/* A number in [0, 1) that looks random, from n. */
static double spread(uint32_t n)
{
	n ^= n >> 16;
	n *= 0x7feb352dU;
	n ^= n >> 15;
	n *= 0x846ca68bU;
	n ^= n >> 16;
	return n / 4294967296.0;
}

enum fq_err fq_demo_addresses(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	struct fq_demo_rng *r = &d->rng;
	int count = (int)d->want_addresses;
	/* Community grids get three addresses for each one of a village grid. */
	int slots[FQ_DEMO_MAX_GRIDS * 3], nslots = 0;
	struct fq_demo_keyset seen;
	enum fq_err err = FQ_OK;

	for (int g = 0; g < d->ngrids; g++)
		for (int w = fq_demo_communities[d->grids[g].comm].village ? 1 : 3; w > 0; w--)
			slots[nslots++] = g;
	d->addresses = calloc((size_t)count, sizeof(*d->addresses));
	if (!d->addresses || !fq_demo_keyset_init(&seen, (size_t)count))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (int i = 0; !err && i < count; i++) {
		int gi = slots[(size_t)i * 7 % (size_t)nslots];
		const struct fq_demo_grid *gr = &d->grids[gi];
		const struct fq_demo_community *m = &fq_demo_communities[gr->comm];
		int street = (int)fq_demo_rng_below(r, 2), door, tries = 0;
		char door_no[16], building[16], unit[16], floor[16], room[16], key[160];
		struct fq_address_input in = {"500112", m->streets[street], door_no, NULL, NULL,
					      NULL, NULL, true, 0, 0, gr->id};
		bool shop;
		double box[4];

		do {
			/* Along a street each grid has its own 40 door numbers; village
			 * houses are numbered within their village group. */
			shop = m->village || fq_demo_rng_chance(r, 120);
			door = m->village ? 1 + (int)fq_demo_rng_below(r, 400 + (uint32_t)count / 20)
					  : 1 + 40 * gi + (int)fq_demo_rng_below(r, 40);
			snprintf(door_no, sizeof(door_no), "%d号", door);
			if (!shop) {
				int fl = 1 + (int)fq_demo_rng_below(r, 32);
				snprintf(building, sizeof(building), "%d栋",
					 1 + (int)fq_demo_rng_below(r, 12));
				snprintf(unit, sizeof(unit), "%d单元", 1 + (int)fq_demo_rng_below(r, 3));
				snprintf(floor, sizeof(floor), "%d层", fl);
				snprintf(room, sizeof(room), "%d%02d室", fl,
					 1 + (int)fq_demo_rng_below(r, 4));
			}
			snprintf(key, sizeof(key), "%s%s%s%s%s%s", in.street, door_no,
				 shop ? "" : building, shop ? "" : unit, shop ? "" : floor,
				 shop ? "" : room);
		} while (!fq_demo_keyset_add(&seen, fq_demo_hash_str(key)) && ++tries < 1000);
		if (tries == 1000) {
			err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "addresses",
				      "cannot make %d different addresses", count);
			break;
		}
		if (!shop) {
			in.building = building;
			in.unit = unit;
			in.floor = floor;
			in.room = room;
		}
		/* Inside the grid's box on the demo's map (cli/demo.h), away from
		 * its edges; spread by the address's number, not the generator,
		 * so the map can change without changing the rest of the demo. */
		fq_demo_box_grid(d, gi, box);
		in.lng = box[0] + (box[2] - box[0]) * (0.08 + 0.84 * spread((uint32_t)i * 2 + 1));
		in.lat = box[1] + (box[3] - box[1]) * (0.08 + 0.84 * spread((uint32_t)i * 2 + 2));
		err = fq_address_create(c, &in, &d->addresses[i]);
		d->naddresses += !err;
	}
	free(seen.slots);
	return err;
}
