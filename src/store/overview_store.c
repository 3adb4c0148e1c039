/* The SQL of the overview's long poll (overview_store.h). */
#include "store/overview_store.h"

#include "core/banned.h"
#include "store/incident_store.h"
#include "store/store.h"

/* The scope as a filter, worded so that no planner walks an org_path index
 * instead of the index the query is about (docs/internals.md, "Lists"). */
#define IN_SCOPE(t, lo, hi) "(" t ".org_path || '') >= " lo " AND (" t ".org_path || '') < " hi

enum fq_err fq_store_overview_fold(uint64_t *h, int ncols, enum fq_err err, struct fq_stmt *st)
{
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	for (int col = 0; rc == 1 && col < ncols; col++) {
		uint64_t v = (uint64_t)fq_stmt_int(st, col);
		for (int k = 0; k < 8; k++)
			*h = (*h ^ ((v >> (8 * k)) & 0xff)) * 1099511628211u;
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_overview_stamp_unit(struct fq_db *db, const char *path, const char *lo,
					 const char *hi, int64_t since, int64_t now,
					 int64_t shift_max_ms, uint64_t *h)
{
	struct fq_stmt *st = NULL;
	/* Every write of an incident moves its updated_at (a follow-up and a
	 * released responder touch it too), so the calls written since the
	 * answer are the ones that may change a figure; each read is an index
	 * range: incidents_updated, shifts_start, patrols_status_started. The
	 * shifts: those of the unit's subtree and of the units above it (its
	 * station's), whose path begins the unit's. */
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT a.n, a.u, a.i, s.n, s.i, s.m, p.n, p.i, p.m FROM"
		" (SELECT count(*) AS n, coalesce(sum(i.updated_at), 0) AS u,"
		" coalesce(sum(i.id), 0) AS i FROM incidents i"
		" WHERE i.updated_at >= ?3 AND " IN_SCOPE("i", "?1", "?2") ") a,"
		" (SELECT count(*) AS n, coalesce(sum(f.id), 0) AS i,"
		" coalesce(max(f.updated_at), 0) AS m FROM shifts f"
		" WHERE f.start_at > ?5 AND f.start_at <= ?4 AND f.end_at > ?4 AND"
		" ((" IN_SCOPE("f", "?1", "?2") ") OR substr(?6, 1, length(f.org_path)) = f.org_path)) s,"
		" (SELECT count(*) AS n, coalesce(sum(q.id), 0) AS i,"
		" coalesce(max(q.updated_at), 0) AS m FROM patrols q"
		" WHERE q.status = 'active' AND " IN_SCOPE("q", "?1", "?2") ") p",
		"ssiiis", lo, hi, since, now, now - shift_max_ms, path);

	return fq_store_overview_fold(h, 9, err, st);
}

enum fq_err fq_store_overview_stamp_user(struct fq_db *db, int64_t user_id, int64_t now,
					 uint64_t *h)
{
	struct fq_stmt *st = NULL;
	/* Indexes incident_responders_user (user_id, released_at),
	 * shift_positions_user (user_id, end_at), patrol_members_user. Closing a
	 * call releases its responders, so "not released" follows my open calls. */
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT r.n, r.i, r.d, r.a, s.n, s.b, s.i, s.e, s.m, p.n, p.i, p.m FROM"
		" (SELECT count(*) AS n, coalesce(sum(x.incident_id), 0) AS i,"
		" coalesce(sum(x.dispatched_at), 0) AS d, coalesce(sum(x.arrived_at), 0) AS a"
		" FROM incident_responders x WHERE x.user_id = ?1 AND x.released_at IS NULL) r,"
		" (SELECT count(*) AS n,"
		" coalesce(sum(CASE WHEN y.start_at <= ?2 THEN 1 ELSE 0 END), 0) AS b,"
		" coalesce(sum(y.shift_id), 0) AS i, coalesce(sum(y.end_at), 0) AS e,"
		" coalesce(max(z.updated_at), 0) AS m FROM shift_positions y"
		" JOIN shifts z ON z.id = y.shift_id WHERE y.user_id = ?1 AND y.end_at > ?2) s,"
		" (SELECT count(*) AS n, coalesce(sum(q.id), 0) AS i,"
		" coalesce(max(q.updated_at), 0) AS m FROM patrol_members w"
		" JOIN patrols q ON q.id = w.patrol_id WHERE w.user_id = ?1"
		" AND q.status = 'active') p",
		"ii", user_id, now);

	return fq_store_overview_fold(h, 12, err, st);
}

enum fq_err fq_store_overview_next_overdue(struct fq_db *db, const char *lo, const char *hi,
					   int64_t now, int64_t *at)
{
	/* The moment FQ_INCIDENT_OVERDUE_SQL turns true: whole seconds after
	 * the dispatch, one past the target. */
#define OVERDUE_AT "(i.dispatched_at - i.dispatched_at % 1000 + (i.target_minutes * 60 + 1) * 1000)"
	return fq_db_get_int(db, at,
			     "SELECT coalesce(min(" OVERDUE_AT "), 0) FROM incidents i WHERE "
			     FQ_INCIDENT_OPEN_SQL("i.") " AND i.arrived_at IS NULL"
			     " AND i.dispatched_at IS NOT NULL AND i.target_minutes IS NOT NULL"
			     " AND " OVERDUE_AT " > ?3 AND " IN_SCOPE("i", "?1", "?2"),
			     "ssi", lo, hi, now);
#undef OVERDUE_AT
}
