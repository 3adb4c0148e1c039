/* The SQL of the overview's figures (figures_store.h). */
#include "store/figures_store.h"

#include <jansson.h>
#include <stdbool.h>

#include "core/banned.h"
#include "store/incident_store.h"
#include "store/store.h"

/* The scope as a filter on another index's walk: an expression of org_path,
 * so that no planner takes an org_path index instead (docs/internals.md,
 * "Lists"). coalesce() rather than the lists' (org_path || ''): SQLite copies
 * the text for each concatenation, twice a row — 1,200 of the 3,300
 * instructions a week's row cost in each of the figures' queries. */
#define SCOPE_AND " AND coalesce(i.org_path, '') >= ?1 AND coalesce(i.org_path, '') < ?2"

/* The period's incidents in scope: a walk of incidents_day over the days,
 * the scope a filter on it. ?1 ?2 scope, ?3 ?4 days. */
#define PERIOD_WHERE " WHERE i.day >= ?3 AND i.day <= ?4" SCOPE_AND

enum fq_err fq_store_figures_incidents(struct fq_db *db, const char *lo, const char *hi,
				       int64_t from_day, int64_t to_day, int64_t now,
				       struct fq_incident_figures *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*out = (struct fq_incident_figures){0};
	err = fq_db_query(
		db, &st,
		"SELECT count(*),"
		" coalesce(sum(CASE WHEN " FQ_INCIDENT_LATE_SQL("i.", "?5") " THEN 1 ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN i.arrived_at IS NOT NULL AND i.target_minutes IS NOT NULL"
		" THEN 1 ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN i.arrived_at IS NOT NULL AND i.target_minutes IS NOT NULL"
		" AND i.arrival_late = 0 THEN 1 ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN i.repeat_count > 0 THEN 1 ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN i.disposal IS NOT NULL THEN 1 ELSE 0 END), 0)"
		" FROM incidents i" PERIOD_WHERE,
		"ssiii", lo, hi, from_day, to_day, now);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->received = fq_stmt_int(st, 0);
		out->late = fq_stmt_int(st, 1);
		out->timed = fq_stmt_int(st, 2);
		out->on_time = fq_stmt_int(st, 3);
		out->repeats = fq_stmt_int(st, 4);
		out->closed = fq_stmt_int(st, 5);
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	/* The open ones through the partial index of the open incidents
	 * (incidents_open): a few hundred rows however large the table. */
	return fq_db_get_int(db, &out->open,
			     "SELECT count(*) FROM incidents i WHERE " FQ_INCIDENT_OPEN_SQL("i.")
			     SCOPE_AND, "ss", lo, hi);
}

json_t *fq_store_figures_incidents_by(struct fq_db *db, enum fq_figures_by by, const char *lo,
				      const char *hi, int64_t from_day, int64_t to_day,
				      enum fq_err *err)
{
	switch (by) {
	case FQ_BY_HOUR:
		return fq_db_list_json(db, err,
				       "SELECT i.hour AS key, count(*) AS n FROM incidents i"
				       PERIOD_WHERE " GROUP BY i.hour ORDER BY i.hour",
				       "ssii", lo, hi, from_day, to_day);
	case FQ_BY_UNIT:
		/* Grouped in one level, each group's name looked up after: SQLite
		 * materialised a grouped subquery at 20 times the cost (21 ms for
		 * a week of 2,000 calls against 1 ms), and PostgreSQL's generic
		 * plan of a join compared every call with every unit. */
		return fq_db_list_json(db, err,
				       "SELECT i.org_id AS key, (SELECT o.name FROM org_units o"
				       " WHERE o.id = i.org_id) AS label, count(*) AS n FROM incidents i"
				       PERIOD_WHERE " GROUP BY i.org_id ORDER BY n DESC, i.org_id LIMIT 30",
				       "ssii", lo, hi, from_day, to_day);
	case FQ_BY_DISPOSAL:
		return fq_db_list_json(db, err,
				       "SELECT i.disposal AS key, count(*) AS n FROM incidents i"
				       PERIOD_WHERE " AND i.disposal IS NOT NULL"
				       " GROUP BY i.disposal ORDER BY i.disposal",
				       "ssii", lo, hi, from_day, to_day);
	case FQ_BY_SATISFACTION:
		/* From the period's incidents to their follow-ups (index
		 * incident_followups_incident), never a scan of every follow-up:
		 * as a join, SQLite without statistics starts from the follow-ups. */
		return fq_db_list_json(db, err,
				       "SELECT f.satisfaction AS key, count(*) AS n FROM"
				       " incident_followups f WHERE f.incident_id IN (SELECT i.id"
				       " FROM incidents i" PERIOD_WHERE ") AND f.satisfaction IS NOT NULL"
				       " GROUP BY f.satisfaction ORDER BY f.satisfaction",
				       "ssii", lo, hi, from_day, to_day);
	}
	*err = FQ_ERR_INTERNAL;
	return NULL;
}

enum fq_err fq_store_figures_my_calls(struct fq_db *db, int64_t user_id, int64_t from_ms,
				      int64_t to_ms, int64_t *open, int64_t *dispatched,
				      int64_t *arrived)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	/* The user's rows of incident_responders (index incident_responders_user):
	 * a few thousand over years. */
	*open = *dispatched = *arrived = 0;
	err = fq_db_query(db, &st,
			  "SELECT coalesce(sum(CASE WHEN r.released_at IS NULL AND "
			  FQ_INCIDENT_OPEN_SQL("i.") " THEN 1 ELSE 0 END), 0),"
			  " coalesce(sum(CASE WHEN r.dispatched_at >= ?2 AND r.dispatched_at < ?3"
			  " THEN 1 ELSE 0 END), 0),"
			  " coalesce(sum(CASE WHEN r.dispatched_at >= ?2 AND r.dispatched_at < ?3"
			  " AND r.arrived_at IS NOT NULL THEN 1 ELSE 0 END), 0)"
			  " FROM incident_responders r JOIN incidents i ON i.id = r.incident_id"
			  " WHERE r.user_id = ?1",
			  "iii", user_id, from_ms, to_ms);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*open = fq_stmt_int(st, 0);
		*dispatched = fq_stmt_int(st, 1);
		*arrived = fq_stmt_int(st, 2);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_figures_patrols_out(struct fq_db *db, const char *lo, const char *hi,
					 int64_t *n)
{
	/* Index patrols_status_started: the active ones only. */
	return fq_db_get_int(db, n,
			     "SELECT count(*) FROM patrols p WHERE p.status = 'active'"
			     " AND (p.org_path || '') >= ?1 AND (p.org_path || '') < ?2",
			     "ss", lo, hi);
}

json_t *fq_store_figures_my_shift(struct fq_db *db, int64_t user_id, int64_t now,
				  enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT s.id AS shift_id, s.name, p.position, p.start_at, p.end_at"
			      " FROM shift_positions p JOIN shifts s ON s.id = p.shift_id"
			      " WHERE p.user_id = ?1 AND p.end_at > ?2 ORDER BY p.end_at, s.id LIMIT 1",
			      "ii", user_id, now);
}

json_t *fq_store_figures_my_patrol(struct fq_db *db, int64_t user_id, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT p.id AS patrol_id, p.team, p.route, p.started_at"
			      " FROM patrol_members m JOIN patrols p ON p.id = m.patrol_id"
			      " WHERE m.user_id = ?1 AND p.status = 'active'"
			      " ORDER BY p.started_at DESC, p.id DESC LIMIT 1",
			      "i", user_id);
}
