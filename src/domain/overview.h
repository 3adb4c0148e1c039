/* The station overview (首页): the figures of a period for one org unit, and
 * the caller's own overview (my calls, my shift, my patrol). The figures come
 * from the modules: each declares a provider (struct fq_overview_provider in
 * its struct fq_module) that adds its cards and charts to a struct
 * fq_overview. src/api/overview.c asks every module's provider in module
 * order; the later reports reuse the same call. No HTTP, no SQL. */
#ifndef FQ_OVERVIEW_H
#define FQ_OVERVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

/* The periods, NULL-terminated: "today" (the local day) and "week" (Monday
 * of the local week up to today). */
extern const char *const fq_overview_periods[];

/* At most this many modules add their rows to the overview's stamp. */
#define FQ_OVERVIEW_MAX_STAMPERS 8

struct fq_overview_provider;

struct fq_overview {
	struct fq_ctx *c;
	bool mine;                /* the caller's own overview, not a unit's */
	const char *period;       /* one of fq_overview_periods */
	int64_t from_day, to_day; /* local days YYYYMMDD, both included */
	int64_t from_ms, to_ms;   /* [local midnight of from_day, of the day after to_day) */
	int64_t now;
	/* The unit (station overview; mine: the caller's own unit): its records
	 * are those whose org_path lies in [lo, hi). */
	int64_t unit_id;
	char unit_name[256];
	char unit_path[256];
	char lo[256], hi[256];
	json_t *cards, *charts;   /* what the providers add */
	/* The providers with a stamp the caller may read (set by the caller of
	 * fq_overview_current / fq_overview_version; overview_live.h). */
	const struct fq_overview_provider *stampers[FQ_OVERVIEW_MAX_STAMPERS];
	int nstampers;
};

/* A module's contribution: station() adds the cards and charts of a unit,
 * mine() those of the caller; either may be NULL. Asked only when the
 * caller's role holds permission (the module's read permission), so a
 * figure is never shown to someone who could not open the list behind it.
 * A provider fails with c->e set (fq_fail) and its error. */
struct fq_overview_provider {
	const char *permission;
	enum fq_err (*station)(struct fq_overview *o);
	enum fq_err (*mine)(struct fq_overview *o);
	/* For the long poll (overview_live.h): folds into *h the module's rows
	 * its figures come from that were written at or after since (o->mine:
	 * the caller's), so that a write of them moves the version at once.
	 * NULL: the module's figures move with the incidents' and duty's rows,
	 * or at the re-count (FQ_OVERVIEW_RECOUNT_MS). */
	enum fq_err (*stamp)(struct fq_overview *o, int64_t since, uint64_t *h);
};

/* The providers of the modules that have one (their struct fq_module's
 * .overview): domain/incident_overview.c, domain/duty_overview.c. */
extern const struct fq_overview_provider fq_incident_overview, fq_duty_overview;

/* Sets up o for period (NULL = "today") and the unit unit_id (0 = the
 * caller's station, else their own unit; a unit outside the caller's scope
 * is 404 not_found, named by field "org_id"). mine: the caller's overview
 * (unit_id must be 0). Release with fq_overview_release. */
enum fq_err fq_overview_begin(struct fq_ctx *c, struct fq_overview *o, bool mine,
			      const char *period, int64_t unit_id);
void fq_overview_release(struct fq_overview *o);

/* Adds a card: key names the figure within its module ("received"); value a
 * number (or JSON null: no figure, as a rate of nothing), stolen; link (may be
 * NULL) says which list of the browser app shows the rows behind the figure
 * and with which filter: {"list": "incidents", "filter": {…query…}}, stolen.
 * detail (may be NULL, stolen) holds what a card says besides a number. */
enum fq_err fq_overview_card(struct fq_overview *o, const char *module, const char *key,
			     json_t *value, json_t *detail, json_t *link);
/* Adds a chart: kind "bar" or "pie"; points [{"label", "value", "filter"}],
 * stolen; list: the browser's list a point opens with its filter. */
enum fq_err fq_overview_chart(struct fq_overview *o, const char *module, const char *key,
			      const char *kind, const char *list, json_t *points);
/* {"list": list, "filter": filter} (filter stolen), or NULL when out of memory. */
json_t *fq_overview_link(const char *list, json_t *filter);
/* The period's filter of an incident-like list: {"from": "YYYY-MM-DD", "to": …}. */
json_t *fq_overview_period_filter(const struct fq_overview *o);

/* What the API answers: period, from, to, unit, now, cards, charts (moves
 * the cards and charts out of o). */
json_t *fq_overview_json(struct fq_overview *o);

#endif
