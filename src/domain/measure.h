/* Prevention measures (技防物防, DOMAIN §8, issue 12): physical measures (an
 * anti-theft door, anti-climb spikes, an alarm, a B-grade lock) and technical
 * ones (a camera, an infrared alarm) at a place or at a home (an address);
 * their status and checks; a camera's location, direction, angle of view,
 * owner and link to the video platform; the coverage of homes per grid for a
 * kind; the cameras of a map's box. No HTTP, no SQL. */
#ifndef FQ_MEASURE_H
#define FQ_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/attachment.h" /* the array declared below */

struct fq_ctx;
struct fq_work_list;
struct fq_measure_filter;
typedef struct json_t json_t;

/* Choices, NULL-terminated; the API reads fields from them. */
extern const char *const fq_measure_kinds[];      /* anti_theft_door … camera, infrared_alarm */
extern const char *const fq_measure_categories[]; /* physical, technical */
extern const char *const fq_measure_statuses[];   /* working, faulty, removed */
extern const char *const fq_measure_results[];    /* a check's: working, faulty */
extern const char *const fq_measure_owner_kinds[]; /* a camera's: public (公安), social (社会) */

/* The category of a kind ("physical" or "technical"); NULL for no kind. */
const char *fq_measure_category_of(const char *kind);

#define FQ_MEASURE_MAX_NOTE 500
#define FQ_MEASURE_MAX_LABEL 50
#define FQ_MEASURE_DEFAULT_ANGLE 90

/* A new measure, or a change (update: NULL / has_* false = unchanged; kind,
 * place and address cannot change). Exactly one of place_id and address_id
 * on create. The camera's fields are refused for another kind. */
struct fq_measure_input {
	const char *kind, *status, *note, *label, *owner_kind; /* note, label "": cleared */
	int64_t place_id, address_id;
	int64_t installed_on; /* YYYYMMDD; 0 unchanged / none */
	bool has_lat, has_lng, has_direction, has_angle, has_linked;
	double lat, lng;
	int64_t direction, view_angle;
	bool linked;
};

enum fq_err fq_measure_create(struct fq_ctx *c, const struct fq_measure_input *in, int64_t *id);
enum fq_err fq_measure_update(struct fq_ctx *c, int64_t id, const struct fq_measure_input *in);
/* One measure with its checks (newest first). NULL (FQ_ERR_NOT_FOUND) out
 * of scope. */
json_t *fq_measure_get(struct fq_ctx *c, int64_t id);
/* The caller's measures (scope), newest first (store/measure_store.h). */
json_t *fq_measure_list(struct fq_ctx *c, struct fq_measure_filter *f, int64_t page,
			int64_t per_page, int64_t after);

/* Records a check on day checked_on (0: today; not in the future, at most
 * 30 days back) at now: sets the measure's last check, last checker and
 * status to the result. A removed measure is not checked (409). */
enum fq_err fq_measure_check(struct fq_ctx *c, int64_t id, int64_t checked_on,
			     const char *result, const char *note, int64_t now, int64_t *check_id);

/* Coverage of homes for kind under unit org_id (0: the caller's unit):
 * {"kind", "org": {id, name, kind, homes, covered, share}, "children": [the
 * same per child unit], "grids": [the same per grid of the subtree]}; share
 * is the per cent covered (one decimal), null without homes. A home counts
 * as covered when a working measure of the kind is there (at the home or at
 * a place at its address). */
json_t *fq_measure_coverage(struct fq_ctx *c, int64_t org_id, const char *kind);

/* The cameras of the caller's scope in the box (degrees), at most 500:
 * {"items": [...], "truncated"}. */
json_t *fq_measure_cameras(struct fq_ctx *c, double south, double west, double north,
			   double east);

/* The work provider (domain/measure.c): the measures due for a check at the
 * places the caller is responsible for (kind measure_check). Homes' measures
 * are not in anyone's queue (see docs/internals.md). */
enum fq_err fq_measure_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

/* What the module declares (api/module.h): photos of a measure. */
extern const struct fq_attach_owner fq_measure_attach[];

#endif
