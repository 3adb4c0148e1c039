/* What volunteers add to the overview (domain/overview.h): the unit's teams,
 * active volunteers, and the team patrols ended in the period with their
 * volunteer-hours. */
#include <jansson.h>
#include <math.h>

#include "core/banned.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/overview.h"
#include "domain/volunteer.h"
#include "store/volunteer_store.h"

#define MODULE "volunteers"

static enum fq_err station(struct fq_overview *o)
{
	int64_t teams = 0, volunteers = 0, patrols = 0, ms = 0;
	enum fq_err err = fq_store_volunteer_figures(o->c->db, o->lo, o->hi, o->from_ms, o->to_ms,
						     &teams, &volunteers, &patrols, &ms);

	if (err)
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	err = fq_overview_card(o, MODULE, "teams", json_integer(teams), NULL,
			       fq_overview_link("volunteerTeams", NULL));
	if (!err)
		err = fq_overview_card(o, MODULE, "volunteers", json_integer(volunteers), NULL,
				       fq_overview_link("volunteers", json_pack("{s:s}", "status",
										"active")));
	if (!err)
		err = fq_overview_card(o, MODULE, "hours", json_real(round(ms / 360000.0) / 10.0),
				       json_pack("{s:I}", "patrols", (json_int_t)patrols),
				       fq_overview_link("volunteers", fq_overview_period_filter(o)));
	return err;
}

const struct fq_overview_provider fq_volunteer_overview = {
	.permission = "volunteer.read",
	.station = station,
};
