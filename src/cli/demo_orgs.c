/* Demo data of the org units: the branch (reused when it exists), the station,
 * its police rooms, beats, communities, villages and grids (cli/demo.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "store/org_store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const police_rooms[] = {"双凤桥警务室", "龙湾警务室", "临港警务室"};
static const struct {
	const char *name;
	int room;
} beats[] = {
	{"双凤桥片区", 0}, {"空港片区", 0}, {"龙湾片区", 1},
	{"松石片区", 1},   {"临港片区", 2}, {"兴科片区", 2},
};
const struct fq_demo_community fq_demo_communities[] = {
	{"双凤桥社区", 0, {"双龙大道", "双凤路"}, false},
	{"长岭社区", 0, {"长岭路", "双龙大道"}, false},
	{"空港社区", 1, {"空港大道", "机场路"}, false},
	{"园港社区", 1, {"园港路", "空港大道"}, false},
	{"龙湾社区", 2, {"龙湾路", "龙兴街"}, false},
	{"桃源社区", 2, {"桃源路", "龙兴街"}, false},
	{"松石社区", 3, {"松石大道", "龙湾路"}, false},
	{"龙兴社区", 3, {"龙兴街", "松石大道"}, false},
	{"临港社区", 4, {"临港大道", "金港路"}, false},
	{"金港社区", 4, {"金港路", "临港大道"}, false},
	{"兴科社区", 5, {"兴科大道", "兴科一路"}, false},
	{"黄桷村", 5, {"黄桷村一组", "黄桷村二组"}, true},
	{"石坝村", 5, {"石坝村三组", "石坝村五组"}, true},
};
_Static_assert(COUNT(police_rooms) == FQ_DEMO_ROOMS, "FQ_DEMO_ROOMS");
_Static_assert(COUNT(beats) == FQ_DEMO_BEATS, "FQ_DEMO_BEATS");
_Static_assert(COUNT(fq_demo_communities) == FQ_DEMO_COMMUNITIES, "FQ_DEMO_COMMUNITIES");

static enum fq_err add_org(struct fq_ctx *c, int64_t parent, const char *kind, const char *name,
			   const char *code, const char *area, int64_t *id)
{
	struct fq_org_input in = {parent, kind, name, code, area, 0, 0};

	return fq_org_create(c, &in, id);
}

enum fq_err fq_demo_orgs(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	struct fq_org_row row;
	json_t *units = fq_org_list(c), *u;
	int64_t root = 0;
	char code[40], name[64];
	enum fq_err err = FQ_OK;
	size_t i;

	if (!units)
		return c->e->err;
	json_array_foreach(units, i, u) {
		if (!json_is_integer(json_object_get(u, "parent_id"))) {
			root = json_integer_value(json_object_get(u, "id"));
			break;
		}
	}
	json_decref(units);
	if (!root)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, NULL,
			       "no root org unit: run 'fengqiao init' first");
	if (!fq_store_org_by_code(c->db, FQ_DEMO_BRANCH_CODE, &row) && !strcmp(row.kind, "branch"))
		d->branch = row.id;
	else
		err = add_org(c, root, "branch", "渝北区分局", FQ_DEMO_BRANCH_CODE, "urban",
			      &d->branch);
	if (!err)
		err = fq_org_create(c,
				    &(struct fq_org_input){.parent_id = d->branch, .kind = "station",
							   .name = "两路派出所",
							   .code = FQ_DEMO_STATION_CODE,
							   .area_type = "urban", .number_prefix = "LL"},
				    &d->station);
	for (int k = 0; !err && k < FQ_DEMO_ROOMS; k++) {
		snprintf(code, sizeof(code), "%s-P%d", FQ_DEMO_STATION_CODE, k + 1);
		err = add_org(c, d->station, "police_room", police_rooms[k], code, "urban",
			      &d->rooms[k]);
	}
	for (int k = 0; !err && k < FQ_DEMO_BEATS; k++) {
		snprintf(code, sizeof(code), "%s-P%d-B%d", FQ_DEMO_STATION_CODE, beats[k].room + 1,
			 k + 1);
		err = add_org(c, d->rooms[beats[k].room], "beat", beats[k].name, code, "urban",
			      &d->beats[k]);
	}
	for (int k = 0; !err && k < FQ_DEMO_COMMUNITIES; k++) {
		const struct fq_demo_community *m = &fq_demo_communities[k];
		int grids = m->village ? 1 : 2 + (int)fq_demo_rng_below(&d->rng, 2);

		snprintf(code, sizeof(code), "%s-%c%02d", FQ_DEMO_STATION_CODE,
			 m->village ? 'V' : 'C', k + 1);
		err = add_org(c, d->beats[m->beat], m->village ? "village" : "community", m->name,
			      code, m->village ? "suburban" : "urban", &d->comms[k]);
		for (int g = 0; !err && g < grids; g++) {
			struct fq_demo_grid *gr = &d->grids[d->ngrids];

			snprintf(code, sizeof(code), "%s-%c%02d-G%d", FQ_DEMO_STATION_CODE,
				 m->village ? 'V' : 'C', k + 1, g + 1);
			snprintf(name, sizeof(name), "%s第%d网格", m->name, g + 1);
			err = add_org(c, d->comms[k], "grid", name, code, NULL, &gr->id);
			gr->comm = k;
			gr->n = g + 1;
			d->ngrids++;
		}
	}
	return err;
}

/* The demo's map, around 两路 (29.72 N, 106.63 E): each police room a
 * column, its two beats one above the other, a beat's communities side by
 * side, a community's grids one above the other. Boxes are west, south,
 * east, north in degrees; neighbours share their edges exactly. */
#define MAP_WEST 106.600
#define MAP_SOUTH 29.690
#define BEAT_W 0.030
#define BEAT_H 0.024

void fq_demo_box_room(int room, double box[4])
{
	box[0] = MAP_WEST + room * BEAT_W;
	box[1] = MAP_SOUTH;
	box[2] = box[0] + BEAT_W;
	box[3] = MAP_SOUTH + 2 * BEAT_H;
}

void fq_demo_box_beat(int beat, double box[4])
{
	box[0] = MAP_WEST + beats[beat].room * BEAT_W;
	box[1] = MAP_SOUTH + (beat % 2) * BEAT_H;
	box[2] = box[0] + BEAT_W;
	box[3] = box[1] + BEAT_H;
}

void fq_demo_box_comm(int comm, double box[4])
{
	int beat = fq_demo_communities[comm].beat, n = 0, at = 0;

	for (int k = 0; k < FQ_DEMO_COMMUNITIES; k++)
		if (fq_demo_communities[k].beat == beat) {
			at = k == comm ? n : at;
			n++;
		}
	fq_demo_box_beat(beat, box);
	box[0] += at * BEAT_W / n;
	box[2] = box[0] + BEAT_W / n;
}

void fq_demo_box_grid(const struct fq_demo *d, int g, double box[4])
{
	int comm = d->grids[g].comm, n = 0;
	double h;

	for (int k = 0; k < d->ngrids; k++)
		n += d->grids[k].comm == comm;
	fq_demo_box_comm(comm, box);
	h = (box[3] - box[1]) / n;
	box[1] += (d->grids[g].n - 1) * h;
	box[3] = box[1] + h;
}
