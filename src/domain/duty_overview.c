/* What duty adds to the overview (domain/overview.h): staff on duty and
 * patrols under way now; the caller's shift and patrol. */
#include <jansson.h>

#include "auth/principal.h"
#include "core/banned.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/overview.h"
#include "store/duty_store.h"
#include "store/figures_store.h"

#define MODULE "duty"

static enum fq_err store_fail(struct fq_overview *o, enum fq_err err)
{
	return fq_fail(o->c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static enum fq_err station(struct fq_overview *o)
{
	struct fq_ctx *c = o->c;
	int64_t id = 0, patrols = 0;
	enum fq_err err = fq_store_duty_station_of(c->db, o->unit_path, &id);
	json_t *staff;

	if (err && err != FQ_ERR_NOT_FOUND)
		return store_fail(o, err);
	/* The unit's station, or the unit when it lies in none (a branch: the
	 * shifts of its stations). */
	staff = fq_duty_current_staff(c, id ? id : o->unit_id, o->now);
	if (!staff)
		return c->e->err;
	err = fq_overview_card(o, MODULE, "on_duty", json_integer((json_int_t)json_array_size(staff)),
			       NULL, fq_overview_link("dutyRoster", NULL));
	json_decref(staff);
	if (err)
		return err;
	if ((err = fq_store_figures_patrols_out(c->db, o->lo, o->hi, &patrols)))
		return store_fail(o, err);
	return fq_overview_card(o, MODULE, "patrols_out", json_integer(patrols), NULL,
				fq_overview_link("patrols", json_pack("{s:s}", "status", "active")));
}

/* The row as a card's detail, or JSON null when there is none. */
static enum fq_err detail_or_none(struct fq_overview *o, json_t *row, enum fq_err err,
				  json_t **out)
{
	if (!row && err != FQ_ERR_NOT_FOUND)
		return store_fail(o, err);
	*out = row ? row : json_null();
	return FQ_OK;
}

static enum fq_err mine(struct fq_overview *o)
{
	struct fq_ctx *c = o->c;
	enum fq_err err = FQ_OK;
	json_t *shift = NULL, *patrol = NULL, *row;

	row = fq_store_figures_my_shift(c->db, c->who->user_id, o->now, &err);
	if ((err = detail_or_none(o, row, err, &shift)))
		return err;
	err = fq_overview_card(o, MODULE, "my_shift", json_null(), shift,
			       fq_overview_link("dutyRoster", NULL));
	if (err)
		return err;
	row = fq_store_figures_my_patrol(c->db, c->who->user_id, &err);
	if ((err = detail_or_none(o, row, err, &patrol)))
		return err;
	return fq_overview_card(o, MODULE, "my_patrol", json_null(), patrol,
				fq_overview_link("patrols", json_pack("{s:s}", "status", "active")));
}

const struct fq_overview_provider fq_duty_overview = {
	.permission = "duty.read",
	.station = station,
	.mine = mine,
};
