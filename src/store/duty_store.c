/* The SQL of duty: templates, posture plans, shifts and positions, staff on
 * duty, handovers and patrols. */
#include "store/duty_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "store/incident_store.h"
#include "store/store.h"

#define MAX_DEPTH 16

/* The ids of path ("/1/4/9/"), deepest first; returns how many. */
static int path_ids(const char *path, int64_t ids[MAX_DEPTH])
{
	int64_t v[MAX_DEPTH];
	int n = 0;

	while (path && *path && n < MAX_DEPTH) {
		int64_t id = 0;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		while (*path >= '0' && *path <= '9')
			id = id * 10 + (*path++ - '0');
		if (id > 0)
			v[n++] = id;
		while (*path && *path != '/')
			path++;
	}
	for (int i = 0; i < n; i++)
		ids[i] = v[n - 1 - i];
	return n;
}

/* ---- station settings ---- */

enum fq_err fq_store_duty_template_find(struct fq_db *db, const char *path,
					struct fq_duty_template *out, int64_t *source)
{
	int64_t ids[MAX_DEPTH];
	int n = path_ids(path, ids);
	enum fq_err err = FQ_OK;

	*source = 0;
	for (int i = 0; i < n && !err && !*source; i++) {
		struct fq_stmt *st;
		int rc;

		err = fq_db_query(db, &st,
				  "SELECT call_taker, responder, patroller FROM duty_templates"
				  " WHERE station_id = ?1",
				  "i", ids[i]);
		if (err)
			break;
		rc = fq_stmt_next(st);
		if (rc == 1) {
			out->call_taker = fq_stmt_int(st, 0);
			out->responder = fq_stmt_int(st, 1);
			out->patroller = fq_stmt_int(st, 2);
			*source = ids[i];
		}
		fq_stmt_done(st);
		if (rc < 0)
			err = (enum fq_err)-rc;
	}
	return err;
}

enum fq_err fq_store_duty_template_put(struct fq_db *db, int64_t station_id,
				       const struct fq_duty_template *t, int64_t user_id)
{
	enum fq_err err = fq_db_exec(db, NULL, "DELETE FROM duty_templates WHERE station_id = ?1",
				     "i", station_id);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO duty_templates (station_id, call_taker, responder,"
				 " patroller, updated_by, updated_at)"
				 " VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6)",
				 "iiiiii", station_id, t->call_taker, t->responder, t->patroller,
				 user_id, fq_time_now_ms());
	return err;
}

json_t *fq_store_duty_posture_find(struct fq_db *db, const char *path, int64_t *source,
				   enum fq_err *err)
{
	int64_t ids[MAX_DEPTH];
	int n = path_ids(path, ids);
	json_t *rows = NULL;

	*source = 0;
	*err = FQ_OK;
	for (int i = 0; i < n; i++) {
		rows = fq_db_list_json(db, err,
				       "SELECT hour, mode FROM duty_posture WHERE station_id = ?1"
				       " ORDER BY hour",
				       "i", ids[i]);
		if (!rows || json_array_size(rows)) {
			*source = rows ? ids[i] : 0;
			return rows;
		}
		json_decref(rows);
	}
	return json_array();
}

enum fq_err fq_store_duty_posture_put(struct fq_db *db, int64_t station_id,
				      const char *const modes[24], int64_t user_id)
{
	int64_t now = fq_time_now_ms();
	enum fq_err err = fq_db_exec(db, NULL, "DELETE FROM duty_posture WHERE station_id = ?1",
				     "i", station_id);

	for (int h = 0; h < 24 && !err; h++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO duty_posture (station_id, hour, mode, updated_by,"
				 " updated_at) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5)",
				 "iisii", station_id, (int64_t)h, modes[h], user_id, now);
	return err;
}

enum fq_err fq_store_duty_station_of(struct fq_db *db, const char *path, int64_t *id)
{
	int64_t ids[MAX_DEPTH];
	int n = path_ids(path, ids);
	enum fq_err err = FQ_OK;

	*id = 0;
	for (int i = 0; i < n && !err && !*id; i++) {
		struct fq_stmt *st;
		int rc;

		err = fq_db_query(db, &st, "SELECT kind FROM org_units WHERE id = ?1", "i", ids[i]);
		if (err)
			break;
		rc = fq_stmt_next(st);
		if (rc == 1 && fq_stmt_text(st, 0) && !strcmp(fq_stmt_text(st, 0), "station"))
			*id = ids[i];
		fq_stmt_done(st);
		if (rc < 0)
			err = (enum fq_err)-rc;
	}
	return err ? err : *id ? FQ_OK : FQ_ERR_NOT_FOUND;
}

json_t *fq_store_duty_staff(struct fq_db *db, const char *lo, const char *hi, const char *q,
			    int64_t limit, int64_t offset, enum fq_err *err)
{
	char *pattern = fq_db_like_contains(q);
	json_t *rows;

	if (q && !pattern) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	rows = fq_db_list_json(db, err,
			       "SELECT u.id, u.username, u.display_name, u.role, u.org_id,"
			       " o.name AS org_name FROM users u JOIN org_units o ON o.id = u.org_id"
			       " WHERE o.path >= ?1 AND o.path < ?2 AND u.disabled = 0"
			       " AND u.role IN ('chief', 'officer', 'aux')"
			       " AND (CAST(?3 AS TEXT) IS NULL OR u.username LIKE ?3 ESCAPE '\\'"
			       " OR u.display_name LIKE ?3 ESCAPE '\\')"
			       " ORDER BY u.display_name, u.id LIMIT ?4 OFFSET ?5",
			       "sssii", lo, hi, pattern, limit, offset);
	free(pattern);
	return rows;
}

/* ---- shifts ---- */

#define SHIFT_SELECT                                                                     \
	"SELECT s.id, s.station_id, o.name AS station_name, s.name, s.day, s.start_at,"   \
	" s.end_at, s.leader_id, l.display_name AS leader_name,"                         \
	" s.need_call_taker, s.need_responder, s.need_patroller, s.override_reason,"     \
	" s.override_by, ob.display_name AS override_by_name, s.override_at, s.note,"    \
	" s.org_path, s.created_by, cb.display_name AS created_by_name, s.created_at,"   \
	" s.updated_at, s.approval FROM shifts s JOIN org_units o ON o.id = s.station_id"            \
	" JOIN users l ON l.id = s.leader_id LEFT JOIN users ob ON ob.id = s.override_by" \
	" LEFT JOIN users cb ON cb.id = s.created_by"

enum fq_err fq_store_shift_insert(struct fq_db *db, const struct fq_shift_fields *f, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO shifts (station_id, org_path, name, day, start_at, end_at,"
			    " leader_id, need_call_taker, need_responder, need_patroller,"
			    " override_reason, override_by, override_at, note, created_by,"
			    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			    " ?10, ?11, NULLIF(?12, 0), NULLIF(?13, 0), ?14, NULLIF(?15, 0), ?16, ?16)"
			    " RETURNING id",
			    "issiiiiiiisiisii", f->station_id, f->org_path, f->name, f->day,
			    f->start_at, f->end_at, f->leader_id, f->need.call_taker,
			    f->need.responder, f->need.patroller, f->override_reason,
			    f->override_by, f->override_at, f->note, f->created_by, now);
}

enum fq_err fq_store_shift_update(struct fq_db *db, int64_t id, const struct fq_shift_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE shifts SET name = ?1, day = ?2, start_at = ?3, end_at = ?4,"
			  " leader_id = ?5, need_call_taker = ?6, need_responder = ?7,"
			  " need_patroller = ?8, override_reason = ?9, override_by = NULLIF(?10, 0),"
			  " override_at = NULLIF(?11, 0), note = ?12, updated_at = ?13 WHERE id = ?14",
			  "siiiiiiisiisii", f->name, f->day, f->start_at, f->end_at, f->leader_id,
			  f->need.call_taker, f->need.responder, f->need.patroller,
			  f->override_reason, f->override_by, f->override_at, f->note,
			  fq_time_now_ms(), id);
}

enum fq_err fq_store_shift_positions_clear(struct fq_db *db, int64_t shift_id)
{
	return fq_db_exec(db, NULL, "DELETE FROM shift_positions WHERE shift_id = ?1", "i",
			  shift_id);
}

enum fq_err fq_store_shift_position_add(struct fq_db *db, int64_t shift_id, int64_t user_id,
					const char *position, int64_t seq, int64_t start_at,
					int64_t end_at)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO shift_positions (shift_id, user_id, position, seq, start_at,"
			  " end_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			  "iisiii", shift_id, user_id, position, seq, start_at, end_at);
}

json_t *fq_store_shift_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, SHIFT_SELECT " WHERE s.id = ?1", "i", id);
}

json_t *fq_store_shift_positions(struct fq_db *db, int64_t shift_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.position, p.user_id, u.display_name, u.role"
			       " FROM shift_positions p JOIN users u ON u.id = p.user_id"
			       " WHERE p.shift_id = ?1 ORDER BY p.seq",
			       "i", shift_id);
}

/* Shifts, handovers and patrols are walked in the order of an index on
 * their time (shifts_start, handovers_time, patrols_started … of
 * 009_list_order.sql), and the unit and the caller's scope filter the rows
 * the walk meets: a unit is a few org paths (a station, its police rooms),
 * which no index range gives in time order. "|| ''" keeps the planners off
 * the org_path indexes (a range of paths, then a sort of all it holds). */
#define UNIT_FILTER(t, lo, hi) "(" t ".org_path || '') >= " lo " AND (" t ".org_path || '') < " hi

/* The caller's scope and the unit's are two filters of one column whose
 * selectivities PostgreSQL multiplies: its estimate of the matches falls a
 * hundredfold and it sorts a whole table rather than walk the index. So a
 * caller who sees the whole unit (lo NULL) gets a query without the scope
 * test, whose parameters ?3 ?4 ?5 are then bound to NONE: a typed value, as
 * PostgreSQL refuses a parameter it can neither see nor type. */
#define NONE ((int64_t)0)

/* Shifts in the caller's scope or with me in a position, ?5 ?6 ?7. */
#define SHIFT_MINE                                                                       \
	" AND ((s.org_path >= ?5 AND s.org_path < ?6) OR EXISTS (SELECT 1"                \
	" FROM shift_positions p WHERE p.shift_id = s.id AND p.user_id = ?7))"
#define SHIFT_LIST(mine)                                                                 \
	SHIFT_SELECT " WHERE s.start_at >= ?1 AND s.start_at < ?2 AND "                    \
	UNIT_FILTER("s", "?3", "?4") mine " ORDER BY s.start_at, s.id LIMIT ?8 OFFSET ?9"

json_t *fq_store_shift_list(struct fq_db *db, int64_t start_from, int64_t start_to,
			    const char *slo, const char *shi, const char *lo, const char *hi,
			    int64_t me, int64_t limit, int64_t offset, enum fq_err *err)
{
	if (!lo)
		return fq_db_list_json(db, err, SHIFT_LIST(""), "iissiiiii", start_from, start_to,
				       slo, shi, NONE, NONE, NONE, limit, offset);
	return fq_db_list_json(db, err, SHIFT_LIST(SHIFT_MINE), "iissssiii", start_from, start_to,
			       slo, shi, lo, hi, me, limit, offset);
}

json_t *fq_store_shift_running(struct fq_db *db, const char *slo, const char *shi, int64_t since,
			       int64_t now, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       SHIFT_SELECT " WHERE s.start_at > ?3 AND s.start_at <= ?4"
			       " AND s.end_at > ?4 AND " UNIT_FILTER("s", "?1", "?2")
			       " ORDER BY s.start_at, s.id LIMIT 50",
			       "ssii", slo, shi, since, now);
}

enum fq_err fq_store_shift_clash(struct fq_db *db, int64_t user_id, int64_t exclude_id,
				 int64_t start_at, int64_t end_at, struct fq_shift_clash *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	err = fq_db_query(db, &st,
			  "SELECT s.id, s.start_at, s.end_at, s.name, p.position"
			  " FROM shift_positions p JOIN shifts s ON s.id = p.shift_id"
			  " WHERE p.user_id = ?1 AND p.end_at > ?2 AND p.start_at < ?3"
			  " AND p.shift_id <> ?4 ORDER BY p.start_at LIMIT 1",
			  "iiii", user_id, start_at, end_at, exclude_id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->found = true;
		out->shift_id = fq_stmt_int(st, 0);
		out->start_at = fq_stmt_int(st, 1);
		out->end_at = fq_stmt_int(st, 2);
		fq_strlcpy(out->name, fq_stmt_text(st, 3), sizeof(out->name));
		fq_strlcpy(out->position, fq_stmt_text(st, 4), sizeof(out->position));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

enum fq_err fq_store_duty_lock_users(struct fq_db *db, int64_t *ids, int n)
{
	enum fq_err err = FQ_OK;

	qsort(ids, (size_t)n, sizeof(*ids), cmp_id);
	for (int i = 0; i < n && !err; i++)
		if (!i || ids[i] != ids[i - 1])
			err = fq_db_exec(db, NULL, "UPDATE users SET updated_at = updated_at WHERE id = ?1",
					 "i", ids[i]);
	return err;
}

enum fq_err fq_store_duty_on_shift(struct fq_db *db, int64_t user_id, int64_t now, bool *on)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*on = false;
	err = fq_db_query(db, &st,
			  "SELECT 1 FROM shift_positions WHERE user_id = ?1 AND end_at > ?2"
			  " AND start_at <= ?2 LIMIT 1",
			  "ii", user_id, now);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	*on = rc == 1;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

json_t *fq_store_duty_current_staff(struct fq_db *db, const char *slo, const char *shi,
				    int64_t since, int64_t now, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.user_id, u.display_name, u.role, p.position, p.shift_id"
			       " FROM shifts s JOIN shift_positions p ON p.shift_id = s.id"
			       " JOIN users u ON u.id = p.user_id"
			       " WHERE s.start_at > ?3 AND s.start_at <= ?4 AND s.end_at > ?4 AND "
			       UNIT_FILTER("s", "?1", "?2")
			       " ORDER BY s.start_at, s.id, p.seq LIMIT 1000",
			       "ssii", slo, shi, since, now);
}

/* ---- handovers ---- */

#define HANDOVER_SELECT                                                                  \
	"SELECT h.id, h.station_id, o.name AS station_name, h.from_shift_id,"             \
	" fs.name AS from_shift_name, fs.start_at AS from_shift_start_at,"               \
	" h.to_shift_id, ts.name AS to_shift_name, ts.start_at AS to_shift_start_at,"    \
	" h.outgoing_leader_id, ol.display_name AS outgoing_leader_name,"                \
	" h.incoming_leader_id, il.display_name AS incoming_leader_name, h.handover_at,"  \
	" h.place, h.notes, h.status, h.outgoing_signed_at, h.incoming_signed_at,"       \
	" h.incoming_note, h.org_path, h.created_by, cb.display_name AS created_by_name," \
	" h.created_at, h.updated_at FROM handovers h"                                   \
	" JOIN org_units o ON o.id = h.station_id"                                       \
	" LEFT JOIN shifts fs ON fs.id = h.from_shift_id"                                \
	" LEFT JOIN shifts ts ON ts.id = h.to_shift_id"                                  \
	" JOIN users ol ON ol.id = h.outgoing_leader_id"                                 \
	" JOIN users il ON il.id = h.incoming_leader_id"                                 \
	" LEFT JOIN users cb ON cb.id = h.created_by"

enum fq_err fq_store_handover_insert(struct fq_db *db, const struct fq_handover_fields *f,
				     int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO handovers (station_id, org_path, from_shift_id, to_shift_id,"
			    " outgoing_leader_id, incoming_leader_id, handover_at, place, notes,"
			    " status, created_by, created_at, updated_at) VALUES (?1, ?2,"
			    " NULLIF(?3, 0), NULLIF(?4, 0), ?5, ?6, ?7, ?8, ?9, 'open', NULLIF(?10, 0),"
			    " ?11, ?11) RETURNING id",
			    "isiiiiissii", f->station_id, f->org_path, f->from_shift_id,
			    f->to_shift_id, f->outgoing_leader_id, f->incoming_leader_id,
			    f->handover_at, f->place, f->notes, f->created_by, now);
}

enum fq_err fq_store_handover_item_add(struct fq_db *db, int64_t id, int64_t seq,
				       const char *item, const char *status, const char *note)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO handover_items (handover_id, seq, item, status, note)"
			  " VALUES (?1, ?2, ?3, ?4, ?5)",
			  "iisss", id, seq, item, status, note);
}

/* Open incidents and disputes, oldest first: the partial indexes of the
 * open ones (incidents_open, disputes_open) walked in id order, the scope a
 * filter on what they hold. */
#define OPEN_INCIDENTS                                                                   \
	"SELECT 'incident' AS kind, id AS object_id, number, status,"                     \
	" substr(narrative, 1, 80) AS summary, received_at AS opened_at FROM incidents"   \
	" WHERE " FQ_INCIDENT_OPEN_SQL("") " AND (org_path || '') >= ?1"                  \
	" AND (org_path || '') < ?2"
#define OPEN_DISPUTES                                                                    \
	"SELECT 'dispute' AS kind, id AS object_id, number, status,"                      \
	" substr(facts, 1, 80) AS summary, created_at AS opened_at FROM disputes"         \
	" WHERE status <> 'closed' AND (org_path || '') >= ?1 AND (org_path || '') < ?2"

enum fq_err fq_store_handover_snapshot(struct fq_db *db, int64_t id, const char *lo,
				       const char *hi, int64_t limit)
{
	enum fq_err err;

	err = fq_db_exec(db, NULL,
			 "INSERT INTO handover_open_items (handover_id, kind, object_id, number,"
			 " status, summary, opened_at) SELECT ?4, kind, object_id, number, status,"
			 " summary, opened_at FROM (" OPEN_INCIDENTS
			 " ORDER BY id LIMIT ?3) x",
			 "ssii", lo, hi, limit, id);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO handover_open_items (handover_id, kind, object_id,"
				 " number, status, summary, opened_at) SELECT ?4, kind, object_id,"
				 " number, status, summary, opened_at FROM (" OPEN_DISPUTES
				 " ORDER BY id LIMIT ?3) x",
				 "ssii", lo, hi, limit, id);
	return err;
}

json_t *fq_store_duty_open_items(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
				 enum fq_err *err)
{
	json_t *items = fq_db_list_json(db, err, OPEN_INCIDENTS " ORDER BY id LIMIT ?3", "ssi", lo,
					hi, limit);
	json_t *more;

	if (!items)
		return NULL;
	more = fq_db_list_json(db, err, OPEN_DISPUTES " ORDER BY id LIMIT ?3", "ssi", lo, hi, limit);
	if (!more) {
		json_decref(items);
		return NULL;
	}
	json_array_extend(items, more);
	json_decref(more);
	return items;
}

json_t *fq_store_handover_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, HANDOVER_SELECT " WHERE h.id = ?1", "i", id);
}

json_t *fq_store_handover_items(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT item, status, note FROM handover_items WHERE handover_id = ?1"
			       " ORDER BY seq",
			       "i", id);
}

json_t *fq_store_handover_open_items(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT kind, object_id, number, status, summary, opened_at"
			       " FROM handover_open_items WHERE handover_id = ?1"
			       " ORDER BY kind DESC, object_id",
			       "i", id);
}

/* The filters of the handover list and its page's start: the keyset
 * (handover_at, id) below (?6, ?7), newest first; mine: in the caller's
 * scope or led by me, ?3 ?4 ?5. */
#define HANDOVER_MINE                                                                    \
	" AND ((h.org_path >= ?3 AND h.org_path < ?4)"                                    \
	" OR h.outgoing_leader_id = ?5 OR h.incoming_leader_id = ?5)"
#define HANDOVER_LIST(status, mine)                                                      \
	HANDOVER_SELECT " WHERE " status UNIT_FILTER("h", "?1", "?2") mine                 \
	" AND (h.handover_at, h.id) < (?6, ?7)"                                           \
	" ORDER BY h.handover_at DESC, h.id DESC LIMIT ?8 OFFSET ?9"

json_t *fq_store_handover_list(struct fq_db *db, const char *slo, const char *shi, const char *lo,
			       const char *hi, int64_t me, const char *status,
			       const struct fq_store_keyset *below, int64_t limit, int64_t offset,
			       enum fq_err *err)
{
	int64_t at = below && below->id ? below->at : INT64_MAX;
	int64_t id = below && below->id ? below->id : INT64_MAX;

	/* handovers_status_time (status, handover_at, id), or handovers_time */
	if (status && lo)
		return fq_db_list_json(db, err, HANDOVER_LIST("h.status = ?10 AND ", HANDOVER_MINE),
				       "ssssiiiiis", slo, shi, lo, hi, me, at, id, limit, offset,
				       status);
	if (status)
		return fq_db_list_json(db, err, HANDOVER_LIST("h.status = ?10 AND ", ""),
				       "ssiiiiiiis", slo, shi, NONE, NONE, NONE, at, id, limit,
				       offset, status);
	if (lo)
		return fq_db_list_json(db, err, HANDOVER_LIST("", HANDOVER_MINE), "ssssiiiii", slo,
				       shi, lo, hi, me, at, id, limit, offset);
	return fq_db_list_json(db, err, HANDOVER_LIST("", ""), "ssiiiiiii", slo, shi, NONE, NONE,
			       NONE, at, id, limit, offset);
}

enum fq_err fq_store_handover_key(struct fq_db *db, int64_t id, struct fq_store_keyset *out)
{
	out->id = id;
	return fq_db_get_int(db, &out->at, "SELECT handover_at FROM handovers WHERE id = ?1", "i",
			     id);
}

enum fq_err fq_store_handover_sign(struct fq_db *db, int64_t id, const char *from, const char *to,
				   int64_t at, const char *note, bool *changed)
{
	int64_t n = 0;
	enum fq_err err;

	if (!strcmp(to, "outgoing_signed"))
		err = fq_db_exec(db, &n,
				 "UPDATE handovers SET status = ?1, outgoing_signed_at = ?2,"
				 " updated_at = ?2 WHERE id = ?3 AND status = ?4",
				 "siis", to, at, id, from);
	else
		err = fq_db_exec(db, &n,
				 "UPDATE handovers SET status = ?1, incoming_signed_at = ?2,"
				 " incoming_note = ?3, updated_at = ?2 WHERE id = ?4 AND status = ?5",
				 "sisis", to, at, note, id, from);
	*changed = n > 0;
	return err;
}

/* ---- patrols ---- */

#define PATROL_SELECT                                                                    \
	"SELECT p.id, p.station_id, o.name AS station_name, p.shift_id,"                  \
	" sh.name AS shift_name, p.team, p.route, p.checkpoints, p.status, p.started_at," \
	" p.ended_at, p.findings, p.org_path, p.created_by,"                              \
	" cb.display_name AS created_by_name, p.created_at, p.updated_at,"               \
	" (SELECT count(*) FROM patrol_checkins c WHERE c.patrol_id = p.id) AS checkin_count" \
	" FROM patrols p JOIN org_units o ON o.id = p.station_id"                         \
	" LEFT JOIN shifts sh ON sh.id = p.shift_id LEFT JOIN users cb ON cb.id = p.created_by"

enum fq_err fq_store_patrol_insert(struct fq_db *db, const struct fq_patrol_fields *f, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO patrols (station_id, org_path, shift_id, team, route,"
			    " checkpoints, status, started_at, created_by, created_at, updated_at)"
			    " VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, 'active', ?7, NULLIF(?8, 0),"
			    " ?9, ?9) RETURNING id",
			    "isisssiii", f->station_id, f->org_path, f->shift_id, f->team, f->route,
			    f->checkpoints, f->started_at, f->created_by, now);
}

enum fq_err fq_store_patrol_member_add(struct fq_db *db, int64_t id, int64_t user_id)
{
	return fq_db_exec(db, NULL, "INSERT INTO patrol_members (patrol_id, user_id) VALUES (?1, ?2)",
			  "ii", id, user_id);
}

enum fq_err fq_store_patrol_checkin(struct fq_db *db, int64_t id, const struct fq_checkin_fields *f)
{
	enum fq_err err;

	if (f->has_position)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO patrol_checkins (patrol_id, kind, checked_at, user_id,"
				 " place, address_id, lat, lng, note) VALUES (?1, ?2, ?3,"
				 " NULLIF(?4, 0), ?5, NULLIF(?6, 0), ?7, ?8, ?9)",
				 "isiisidds", id, f->kind, f->checked_at, f->user_id, f->place,
				 f->address_id, f->lat, f->lng, f->note);
	else
		err = fq_db_exec(db, NULL,
				 "INSERT INTO patrol_checkins (patrol_id, kind, checked_at, user_id,"
				 " place, address_id, note) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5,"
				 " NULLIF(?6, 0), ?7)",
				 "isiisis", id, f->kind, f->checked_at, f->user_id, f->place,
				 f->address_id, f->note);
	if (!err)
		err = fq_db_exec(db, NULL, "UPDATE patrols SET updated_at = ?1 WHERE id = ?2", "ii",
				 fq_time_now_ms(), id);
	return err;
}

enum fq_err fq_store_patrol_end(struct fq_db *db, int64_t id, int64_t at, const char *findings,
				bool *changed)
{
	int64_t n = 0;
	enum fq_err err = fq_db_exec(db, &n,
				     "UPDATE patrols SET status = 'ended', ended_at = ?1,"
				     " findings = ?2, updated_at = ?3 WHERE id = ?4 AND status = 'active'",
				     "isii", at, findings, fq_time_now_ms(), id);

	*changed = n > 0;
	return err;
}

json_t *fq_store_patrol_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, PATROL_SELECT " WHERE p.id = ?1", "i", id);
}

json_t *fq_store_patrol_members(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT m.user_id, u.display_name, u.role FROM patrol_members m"
			       " JOIN users u ON u.id = m.user_id WHERE m.patrol_id = ?1"
			       " ORDER BY u.display_name, m.user_id",
			       "i", id);
}

json_t *fq_store_patrol_checkins(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT c.id, c.kind, c.checked_at, c.user_id,"
			       " u.display_name AS user_name, c.place, c.address_id,"
			       " a.full_text AS address_text, c.lat, c.lng, c.note"
			       " FROM patrol_checkins c LEFT JOIN users u ON u.id = c.user_id"
			       " LEFT JOIN addresses a ON a.id = c.address_id"
			       " WHERE c.patrol_id = ?1 ORDER BY c.id LIMIT 1000",
			       "i", id);
}

enum fq_err fq_store_patrol_is_member(struct fq_db *db, int64_t id, int64_t user_id, bool *member)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT 1 FROM patrol_members WHERE patrol_id = ?1"
				      " AND user_id = ?2",
				      "ii", id, user_id);
	int rc;

	*member = false;
	if (err)
		return err;
	rc = fq_stmt_next(st);
	*member = rc == 1;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

/* The patrol list's filters and its page's start: the keyset (started_at,
 * id) below (?8, ?9), newest first; mine: in the caller's scope or with me
 * a member, ?3 ?4 ?5. */
#define PATROL_MINE                                                                      \
	" AND ((p.org_path >= ?3 AND p.org_path < ?4) OR EXISTS (SELECT 1"                \
	" FROM patrol_members m WHERE m.patrol_id = p.id AND m.user_id = ?5))"
#define PATROL_LIST(status, mine)                                                        \
	PATROL_SELECT " WHERE " status "p.started_at >= ?6 AND p.started_at < ?7"          \
	" AND (p.started_at, p.id) < (?8, ?9) AND " UNIT_FILTER("p", "?1", "?2") mine      \
	" ORDER BY p.started_at DESC, p.id DESC LIMIT ?10 OFFSET ?11"

json_t *fq_store_patrol_list(struct fq_db *db, const char *slo, const char *shi, const char *lo,
			     const char *hi, int64_t me, const char *status, int64_t from,
			     int64_t to, const struct fq_store_keyset *below, int64_t limit,
			     int64_t offset, enum fq_err *err)
{
	int64_t at = below && below->id ? below->at : INT64_MAX;
	int64_t id = below && below->id ? below->id : INT64_MAX;

	/* patrols_status_started (status, started_at, id), or patrols_started */
	if (status && lo)
		return fq_db_list_json(db, err, PATROL_LIST("p.status = ?12 AND ", PATROL_MINE),
				       "ssssiiiiiiis", slo, shi, lo, hi, me, from, to, at, id, limit,
				       offset, status);
	if (status)
		return fq_db_list_json(db, err, PATROL_LIST("p.status = ?12 AND ", ""),
				       "ssiiiiiiiiis", slo, shi, NONE, NONE, NONE, from, to, at, id,
				       limit, offset, status);
	if (lo)
		return fq_db_list_json(db, err, PATROL_LIST("", PATROL_MINE), "ssssiiiiiii", slo, shi,
				       lo, hi, me, from, to, at, id, limit, offset);
	return fq_db_list_json(db, err, PATROL_LIST("", ""), "ssiiiiiiiii", slo, shi, NONE, NONE,
			       NONE, from, to, at, id, limit, offset);
}

enum fq_err fq_store_patrol_key(struct fq_db *db, int64_t id, struct fq_store_keyset *out)
{
	out->id = id;
	return fq_db_get_int(db, &out->at, "SELECT started_at FROM patrols WHERE id = ?1", "i", id);
}
