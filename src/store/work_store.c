/* The SQL of the work queue and of notifications (work_store.h). Each query
 * walks one index of 011_work.sql or of the lists (009_list_order.sql) and
 * stops at its LIMIT. */
#include "store/work_store.h"

#include <jansson.h>

#include "core/banned.h"
#include "store/incident_store.h"
#include "store/store.h"

#define INCIDENT_COLUMNS                                                          \
	"i.id, i.number, i.category, i.address_text, i.status, i.emergency,"     \
	" COALESCE(i.target_minutes, 0) AS target_minutes"

json_t *fq_store_work_dispatched(struct fq_db *db, int64_t user_id, int64_t limit,
				 enum fq_err *err)
{
	/* incident_responders_user (user_id, released_at, dispatched_at). */
	return fq_db_list_json(db, err,
			       "SELECT " INCIDENT_COLUMNS ", r.dispatched_at AS since_t,"
			       " COALESCE(r.arrived_at, 0) AS arrived_t"
			       " FROM incident_responders r JOIN incidents i ON i.id = r.incident_id"
			       " WHERE r.user_id = ?1 AND r.released_at IS NULL AND "
			       FQ_INCIDENT_OPEN_SQL("i.")
			       " ORDER BY r.dispatched_at DESC LIMIT ?2",
			       "ii", user_id, limit);
}

json_t *fq_store_work_open_day(struct fq_db *db, const char *lo, const char *hi, int64_t day,
			       int64_t user_id, int64_t limit, enum fq_err *err)
{
	/* Two walks, as the daily clear: carried over to the day
	 * (incidents_open_carried), then received that day (incidents_open_day). */
	return fq_db_list_json(
		db, err,
		"SELECT * FROM (SELECT " INCIDENT_COLUMNS ", i.received_at AS since_t,"
		" COALESCE(i.arrived_at, 0) AS arrived_t, COALESCE(i.dispatched_at, 0) AS dispatched_t"
		" FROM incidents i WHERE i.carried_over_to = ?1 AND " FQ_INCIDENT_OPEN_SQL("i.")
		" AND (i.org_path || '') >= ?2 AND (i.org_path || '') < ?3"
		" AND NOT EXISTS (SELECT 1 FROM incident_responders r WHERE r.incident_id = i.id"
		" AND r.user_id = ?4 AND r.released_at IS NULL)"
		" ORDER BY i.received_at, i.id LIMIT ?5) a"
		" UNION ALL SELECT * FROM (SELECT " INCIDENT_COLUMNS ", i.received_at AS since_t,"
		" COALESCE(i.arrived_at, 0) AS arrived_t, COALESCE(i.dispatched_at, 0) AS dispatched_t"
		" FROM incidents i WHERE i.day = ?1 AND " FQ_INCIDENT_OPEN_SQL("i.")
		" AND (i.carried_over_to IS NULL OR i.carried_over_to <> ?1)"
		" AND (i.org_path || '') >= ?2 AND (i.org_path || '') < ?3"
		" AND NOT EXISTS (SELECT 1 FROM incident_responders r WHERE r.incident_id = i.id"
		" AND r.user_id = ?4 AND r.released_at IS NULL)"
		" ORDER BY i.received_at, i.id LIMIT ?5) b",
		"issii", day, lo, hi, user_id, limit);
}

json_t *fq_store_work_followups(struct fq_db *db, int64_t user_id, int64_t since, int64_t limit,
				enum fq_err *err)
{
	/* incidents_closed_by (closed_by, closed_at). */
	return fq_db_list_json(db, err,
			       "SELECT i.id, i.number, i.category, i.address_text,"
			       " i.closed_at AS since_t FROM incidents i"
			       " WHERE i.closed_by = ?1 AND i.closed_at >= ?2 AND i.status = 'closed'"
			       " AND NOT EXISTS (SELECT 1 FROM incident_followups f"
			       " WHERE f.incident_id = i.id)"
			       " ORDER BY i.closed_at LIMIT ?3",
			       "iii", user_id, since, limit);
}

json_t *fq_store_work_leading(struct fq_db *db, int64_t user_id, int64_t now, enum fq_err *err)
{
	/* shift_positions_user (user_id, end_at): the positions not ended. */
	return fq_db_list_json(db, err,
			       "SELECT s.id, s.name, s.org_path, s.start_at AS start_t,"
			       " s.end_at AS end_t FROM shift_positions p"
			       " JOIN shifts s ON s.id = p.shift_id"
			       " WHERE p.user_id = ?1 AND p.end_at > ?2 AND p.start_at <= ?2"
			       " AND p.position = 'leader' ORDER BY p.end_at LIMIT 4",
			       "ii", user_id, now);
}

json_t *fq_store_work_pending_shifts(struct fq_db *db, const char *lo, const char *hi,
				     int64_t now, int64_t limit, enum fq_err *err)
{
	/* shifts_pending (start_at, id) WHERE approval = 'pending': a shift
	 * lasts at most 48 hours, so those not ended started after now - 48 h. */
	return fq_db_list_json(db, err,
			       "SELECT s.id, s.name, o.name AS station_name, s.updated_at AS since_t,"
			       " s.start_at AS start_t, s.end_at AS end_t"
			       " FROM shifts s JOIN org_units o ON o.id = s.station_id"
			       " WHERE s.approval = 'pending' AND s.start_at > ?1 - 172800000"
			       " AND s.end_at > ?1 AND (s.org_path || '') >= ?2"
			       " AND (s.org_path || '') < ?3 ORDER BY s.start_at, s.id LIMIT ?4",
			       "issi", now, lo, hi, limit);
}

json_t *fq_store_work_handovers(struct fq_db *db, int64_t user_id, int64_t limit,
				enum fq_err *err)
{
	/* Open ones (handovers_status_time: few, signed within the hour) led
	 * out by the user, then those signed out and led in by the user
	 * (handovers_leaders, in id order: the order of that index). */
#define HANDOVER_WORK                                                                        \
	"SELECT h.id, h.status, h.created_at AS since_t, h.handover_at AS handover_t,"      \
	" ol.display_name AS from_name, il.display_name AS to_name,"                         \
	" o.name AS station_name FROM handovers h"                                           \
	" JOIN users ol ON ol.id = h.outgoing_leader_id"                                     \
	" JOIN users il ON il.id = h.incoming_leader_id"                                     \
	" JOIN org_units o ON o.id = h.station_id"
	return fq_db_list_json(db, err,
			       "SELECT * FROM (" HANDOVER_WORK
			       " WHERE h.status = 'open' AND h.outgoing_leader_id = ?1"
			       " ORDER BY h.handover_at, h.id LIMIT ?2) a"
			       " UNION ALL SELECT * FROM (" HANDOVER_WORK
			       " WHERE h.incoming_leader_id = ?1 AND h.status = 'outgoing_signed'"
			       " ORDER BY h.id LIMIT ?2) b",
			       "ii", user_id, limit);
#undef HANDOVER_WORK
}

enum fq_err fq_store_shift_set_approval(struct fq_db *db, int64_t id, const char *approval)
{
	return fq_db_exec(db, NULL, "UPDATE shifts SET approval = ?1 WHERE id = ?2", "si",
			  approval, id);
}

enum fq_err fq_store_shift_approve(struct fq_db *db, int64_t id, const char *reason, int64_t by,
				   int64_t now, int64_t *changed)
{
	return fq_db_exec(db, changed,
			  "UPDATE shifts SET approval = NULL, override_reason = ?1,"
			  " override_by = ?2, override_at = ?3, updated_at = ?3"
			  " WHERE id = ?4 AND approval = 'pending'",
			  "siii", reason, by, now, id);
}

json_t *fq_store_work_users_above(struct fq_db *db, const char *role, const char *path,
				  enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_id"
			       " WHERE u.role = ?1 AND u.disabled = 0"
			       " AND substr(?2, 1, length(o.path)) = o.path ORDER BY u.id LIMIT 50",
			       "ss", role, path);
}

/* ---- notifications ---- */

enum fq_err fq_store_notify_insert(struct fq_db *db, int64_t user_id, const char *kind,
				   const char *object_type, int64_t object_id, const char *params,
				   const char *dedup, int64_t now, int64_t *id)
{
	enum fq_err err;

	*id = 0;
	err = fq_db_insert(db, id,
			   "INSERT INTO notifications (user_id, kind, object_type, object_id, params,"
			   " dedup, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			   " ON CONFLICT (user_id, dedup) DO NOTHING RETURNING id",
			   "ississi", user_id, kind, object_type, object_id, params, dedup, now);
	return err;
}

#define NOTIFY_COLUMNS "id, kind, object_type, object_id, params, created_at, read_at"

json_t *fq_store_notify_list(struct fq_db *db, int64_t user_id, bool unread, int64_t below,
			     int64_t limit, enum fq_err *err)
{
	if (unread) /* notifications_unread (user_id, id) WHERE read_at IS NULL */
		return fq_db_list_json(db, err,
				       "SELECT " NOTIFY_COLUMNS " FROM notifications"
				       " WHERE user_id = ?1 AND read_at IS NULL AND id < ?2"
				       " ORDER BY id DESC LIMIT ?3",
				       "iii", user_id, below, limit);
	return fq_db_list_json(db, err,
			       "SELECT " NOTIFY_COLUMNS " FROM notifications"
			       " WHERE user_id = ?1 AND id < ?2 AND read_at IS NOT NULL"
			       " ORDER BY id DESC LIMIT ?3",
			       "iii", user_id, below, limit);
}

enum fq_err fq_store_notify_counts(struct fq_db *db, int64_t user_id, int64_t *unread,
				   int64_t *newest)
{
	enum fq_err err = fq_db_get_int(db, unread,
					"SELECT count(*) FROM notifications"
					" WHERE user_id = ?1 AND read_at IS NULL",
					"i", user_id);

	if (!err)
		err = fq_db_get_int(db, newest,
				    "SELECT COALESCE(max(id), 0) FROM notifications WHERE user_id = ?1",
				    "i", user_id);
	return err;
}

json_t *fq_store_notify_get(struct fq_db *db, int64_t user_id, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT " NOTIFY_COLUMNS " FROM notifications"
			      " WHERE id = ?1 AND user_id = ?2",
			      "ii", id, user_id);
}

enum fq_err fq_store_notify_read(struct fq_db *db, int64_t user_id, int64_t id, int64_t now,
				 int64_t *changed)
{
	if (id > 0)
		return fq_db_exec(db, changed,
				  "UPDATE notifications SET read_at = ?1"
				  " WHERE id = ?2 AND user_id = ?3 AND read_at IS NULL",
				  "iii", now, id, user_id);
	return fq_db_exec(db, changed,
			  "UPDATE notifications SET read_at = ?1"
			  " WHERE user_id = ?2 AND read_at IS NULL",
			  "ii", now, user_id);
}

json_t *fq_store_notify_late_arrivals(struct fq_db *db, int64_t since, int64_t now, int64_t limit,
				      enum fq_err *err)
{
	/* incident_responders_waiting (dispatched_at) WHERE arrived_at IS NULL
	 * AND released_at IS NULL: only the responders still on their way. */
	return fq_db_list_json(db, err,
			       "SELECT r.incident_id, r.user_id, i.number, i.station_id,"
			       " i.address_text, r.dispatched_at AS dispatched_t,"
			       " r.dispatched_at + i.target_minutes * 60000 AS due_t,"
			       " i.overdue_told_at IS NULL AS untold"
			       " FROM incident_responders r JOIN incidents i ON i.id = r.incident_id"
			       " WHERE r.arrived_at IS NULL AND r.released_at IS NULL"
			       " AND r.dispatched_at >= ?1 AND i.target_minutes > 0"
			       " AND r.dispatched_at + i.target_minutes * 60000 <= ?2 AND "
			       FQ_INCIDENT_OPEN_SQL("i.")
			       " ORDER BY r.dispatched_at LIMIT ?3",
			       "iii", since, now, limit);
}

enum fq_err fq_store_incident_overdue_told(struct fq_db *db, int64_t incident_id, int64_t now,
					   bool *first)
{
	int64_t n = 0;
	enum fq_err err = fq_db_exec(db, &n,
				     "UPDATE incidents SET overdue_told_at = ?2"
				     " WHERE id = ?1 AND overdue_told_at IS NULL",
				     "ii", incident_id, now);

	*first = !err && n == 1;
	return err;
}

json_t *fq_store_notify_shifts_soon(struct fq_db *db, int64_t now, int64_t ahead, int64_t limit,
				    enum fq_err *err)
{
	/* shifts_start (start_at, id). */
	return fq_db_list_json(db, err,
			       "SELECT p.shift_id, p.user_id, s.name, s.start_at AS start_t"
			       " FROM shifts s JOIN shift_positions p ON p.shift_id = s.id"
			       " WHERE s.start_at > ?1 AND s.start_at <= ?2"
			       " ORDER BY s.start_at, s.id LIMIT ?3",
			       "iii", now, now + ahead, limit);
}
