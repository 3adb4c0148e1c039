/* Demo data of grids on the map: the areas of the police rooms, beats,
 * communities, villages and grids as the demo's map lays them out
 * (cli/demo.h), and their grid workers. Two gaps are left for the coverage
 * check to find: 石坝村's grid is not drawn (its addresses lie in no grid)
 * and 兴科社区's grids have no worker yet. */
#include <jansson.h>
#include <string.h>

#include "cli/demo.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/grid.h"
#include "store/user_store.h"

#define UNDRAWN_COMM 12  /* 石坝村 */
#define UNSTAFFED_COMM 10 /* 兴科社区 */

static enum fq_err draw(struct fq_ctx *c, int64_t id, const double box[4])
{
	json_t *geo = json_pack("{s:s, s:[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon",
				"coordinates", box[0], box[1], box[2], box[1], box[2], box[3],
				box[0], box[3], box[0], box[1]);
	enum fq_err err = geo ? fq_grid_set_area(c, id, geo, NULL)
			      : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);

	json_decref(geo);
	return err;
}

enum fq_err fq_demo_grids(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	struct fq_user_row aux;
	double box[4];
	bool have_aux = !fq_store_user_by_name(c->db, "demo.aux", &aux);
	enum fq_err err = FQ_OK;

	for (int k = 0; !err && k < FQ_DEMO_ROOMS; k++) {
		fq_demo_box_room(k, box);
		err = draw(c, d->rooms[k], box);
	}
	for (int k = 0; !err && k < FQ_DEMO_BEATS; k++) {
		fq_demo_box_beat(k, box);
		err = draw(c, d->beats[k], box);
	}
	for (int k = 0; !err && k < FQ_DEMO_COMMUNITIES; k++) {
		fq_demo_box_comm(k, box);
		err = draw(c, d->comms[k], box);
	}
	for (int g = 0; !err && g < d->ngrids; g++) {
		const struct fq_demo_grid *gr = &d->grids[g];
		int64_t workers[2] = {gr->aux_id, have_aux ? aux.id : 0};
		struct fq_grid_staff_input staff = {.workers_given = true, .worker_ids = workers,
						    .nworkers = g == 0 && have_aux ? 2 : 1};

		if (gr->comm != UNDRAWN_COMM) {
			fq_demo_box_grid(d, g, box);
			err = draw(c, gr->id, box);
		}
		if (!err && gr->comm != UNSTAFFED_COMM && gr->aux_id)
			err = fq_grid_set_staff(c, gr->id, &staff);
	}
	return err;
}
