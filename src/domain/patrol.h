/* Patrols (巡逻, DOMAIN §5): a team or officers on a route or a list of
 * checkpoints, started (check-in) and ended (check-out), with check-ins of
 * time and place on the way and the findings. A patrol belongs to a unit and
 * is seen by callers whose subtree holds it and by its members; its members
 * check in even when the unit is above their own. */
#ifndef FQ_PATROL_H
#define FQ_PATROL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

extern const char *const fq_patrol_statuses[]; /* active, ended */

#define FQ_PATROL_MAX_MEMBERS 20
#define FQ_PATROL_MAX_CHECKPOINTS 30

/* Where and when: place is text (required for a check-in), the rest optional. */
struct fq_checkin_input {
	const char *place;
	int64_t address_id; /* 0 = none */
	bool has_position;
	double lat, lng;
	const char *note;      /* what was found there */
	int64_t checked_at;    /* 0 = now */
};

struct fq_patrol_input {
	int64_t station_id; /* 0 = the shift's unit, else the caller's station */
	int64_t shift_id;   /* 0 = none */
	const char *team, *route;
	const char *const *checkpoints;
	int ncheckpoints;
	const int64_t *member_ids; /* none and no team: the caller */
	int nmembers;
	struct fq_checkin_input start; /* start.place NULL = no start check-in */
};

enum fq_err fq_patrol_create(struct fq_ctx *c, const struct fq_patrol_input *in, int64_t *id);
/* FQ_ERR_CONFLICT when the patrol has ended. */
enum fq_err fq_patrol_checkin(struct fq_ctx *c, int64_t id, const struct fq_checkin_input *in);
/* Check-out: ends the patrol with its findings; at->place NULL = no end
 * check-in. FQ_ERR_CONFLICT when it has ended already. */
enum fq_err fq_patrol_end(struct fq_ctx *c, int64_t id, const struct fq_checkin_input *at,
			  const char *findings);
json_t *fq_patrol_get(struct fq_ctx *c, int64_t id);
/* Patrols under the unit (0 = the caller's station) started on local days
 * [day_from, day_to] (0 = open), newest first; status NULL = any; after > 0:
 * the page after patrol after (the keyset cursor; page unused). */
json_t *fq_patrol_list(struct fq_ctx *c, int64_t station_id, const char *status, int64_t day_from,
		       int64_t day_to, int64_t page, int64_t per_page, int64_t after);

#endif
