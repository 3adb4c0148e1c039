/* The escalation watch and the disputes' figures (disputes_watch.h; docs/api.md
 * "Escalation watch and figures"). */
#include "api/disputes_watch.h"

#include <jansson.h>
#include <stdbool.h>

#include "api/api.h"
#include "api/input.h"
#include "config/config.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/dispute_watch.h"
#include "http/request.h"

enum fq_err fq_api_disputes_watch(struct fq_req *r)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t org_id = 0, min_score = -1, limit = 100;
	bool given;
	enum fq_err err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &org_id, &given);

	if (!err)
		err = fq_in_query_int(r, "min_score", 0, 100000, &min_score, &given);
	if (!err)
		err = fq_in_query_int(r, "limit", 1, 500, &limit, &given);
	if (err)
		return err;
	return fq_api_reply(r, 200, fq_dispute_watch_list(&c, org_id, min_score, limit));
}

enum fq_err fq_api_disputes_figures(struct fq_req *r)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *by = NULL;
	int64_t org_id = 0, from = 0, to = 0, from_ms, to_ms;
	bool given;
	enum fq_err err = fq_in_query_choice(r, "by", fq_dispute_figures_by, &by);

	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &org_id, &given);
	if (!err)
		err = fq_in_query_date(r, "from", &from);
	if (!err)
		err = fq_in_query_date(r, "to", &to);
	if (err)
		return err;
	if (!from)
		return fq_req_fail(r, FQ_ERR_INVALID, "required", "from", "give the period's first day");
	if (!to)
		to = from;
	if (to < from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "to", "to is before from");
	if (!fq_time_day_start(from, c.cfg->utc_offset_minutes, &from_ms) ||
	    !fq_time_day_start(fq_date_add(to, 1), c.cfg->utc_offset_minutes, &to_ms))
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from",
				   "the period is out of range");
	return fq_api_reply(r, 200,
			    fq_dispute_figures(&c, by ? by : "type", org_id, from_ms, to_ms, from, to));
}
