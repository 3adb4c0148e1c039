/* The SQL of the overview's figures (domain/overview.h): counts over the
 * incidents of a period and a scope, and the duty figures of now. A period is
 * local days [from_day, to_day] (incidents.day), read through the index
 * incidents_day (day, id): its cost is the period's incidents, not the
 * table's. Scope: org_path in [lo, hi). */
#ifndef FQ_FIGURES_STORE_H
#define FQ_FIGURES_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_incident_figures {
	int64_t received;    /* incidents received in the period */
	int64_t late;        /* of them: arrived late, or open and overdue (FQ_INCIDENT_LATE_SQL) */
	int64_t timed;       /* of them: on scene, with an arrival target */
	int64_t on_time;     /* of the timed: on scene within the target */
	int64_t repeats;     /* of them: linked to earlier incidents */
	int64_t closed;      /* of them: closed with a disposal */
	int64_t open;        /* open now, whatever the day they came in */
};

enum fq_err fq_store_figures_incidents(struct fq_db *db, const char *lo, const char *hi,
				       int64_t from_day, int64_t to_day, int64_t now,
				       struct fq_incident_figures *out);

/* The period's incidents counted by a group, as [{"key", "label", "n"}]:
 * FQ_BY_HOUR (key: the local hour 0–23), FQ_BY_UNIT (key: org_id, label: the
 * unit's name; the 30 largest), FQ_BY_DISPOSAL (key: the disposal code; closed
 * ones only), FQ_BY_SATISFACTION (key: the satisfaction of their follow-up
 * calls; follow-ups, not incidents, are counted). NULL on error (*err). */
enum fq_figures_by { FQ_BY_HOUR, FQ_BY_UNIT, FQ_BY_DISPOSAL, FQ_BY_SATISFACTION };
json_t *fq_store_figures_incidents_by(struct fq_db *db, enum fq_figures_by by, const char *lo,
				      const char *hi, int64_t from_day, int64_t to_day,
				      enum fq_err *err);

/* One user's calls: open now (dispatched, not released, incident open), and
 * dispatched to them in [from_ms, to_ms), of which they reached on scene. */
enum fq_err fq_store_figures_my_calls(struct fq_db *db, int64_t user_id, int64_t from_ms,
				      int64_t to_ms, int64_t *open, int64_t *dispatched,
				      int64_t *arrived);

/* Patrols under way (status active) in scope. */
enum fq_err fq_store_figures_patrols_out(struct fq_db *db, const char *lo, const char *hi,
					 int64_t *n);
/* The user's position running at now or the next one: {shift_id, name,
 * position, start_at, end_at}; NULL with *err FQ_ERR_NOT_FOUND when none. */
json_t *fq_store_figures_my_shift(struct fq_db *db, int64_t user_id, int64_t now,
				  enum fq_err *err);
/* The user's patrol under way: {patrol_id, team, route, started_at}; NULL with
 * *err FQ_ERR_NOT_FOUND when none. */
json_t *fq_store_figures_my_patrol(struct fq_db *db, int64_t user_id, enum fq_err *err);

#endif
