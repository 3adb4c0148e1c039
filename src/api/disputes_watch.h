/* The escalation watch and the disputes' figures (api/disputes_watch.c):
 * handlers the disputes module's route table lists, before its {id} routes. */
#ifndef FQ_API_DISPUTES_WATCH_H
#define FQ_API_DISPUTES_WATCH_H

#include "core/err.h"

struct fq_req;

/* GET /api/disputes/watch?org_id=&min_score=&limit= */
enum fq_err fq_api_disputes_watch(struct fq_req *r);
/* GET /api/disputes/figures?from=&to=&by=&org_id= */
enum fq_err fq_api_disputes_figures(struct fq_req *r);

#endif
