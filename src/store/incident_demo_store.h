/* SQL that only the demo incidents need (cli/demo_incidents.c): apart from
 * incident_store.h, as no request may change the times of a record. */
#ifndef FQ_INCIDENT_DEMO_STORE_H
#define FQ_INCIDENT_DEMO_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;

/* When each step of an incident ran, in milliseconds after it was received. */
struct fq_incident_step_times {
	int64_t dispatched, arrived, handling, onsite_record, closed, reviewed;
};

/* The domain stamps each step with the time it ran, so demo incidents made in
 * one second would look handled in that second: moves the steps of incident
 * id, and the times kept with the incident, its responders and follow-ups, to
 * its received_at plus after. Times of steps that did not happen stay NULL.
 * FQ_ERR_NOT_FOUND when there is no such incident. */
enum fq_err fq_store_incident_backdate(struct fq_db *db, int64_t id,
				       const struct fq_incident_step_times *after);

/* The n-th address (from 0, in id order, wrapping round) whose org path
 * lies in [lo, hi): *id, or FQ_ERR_NOT_FOUND when there is none. */
enum fq_err fq_store_incident_demo_address(struct fq_db *db, const char *lo, const char *hi,
					   int64_t n, int64_t *id);

#endif
