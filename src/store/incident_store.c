/* The SQL of incidents: intake, lifecycle, responders, parties, on-site records,
 * follow-ups, carry-overs and disputes. */
#include "store/incident_store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store.h"

#define INCIDENT_COLUMNS                                                                  \
	"i.id, i.number, i.station_id, st.name AS station_name, i.org_id,"                \
	" o.name AS org_name, i.received_at,"                                             \
	" i.channel, i.caller_id, COALESCE(cp.name, i.caller_name) AS caller_name,"       \
	" COALESCE(i.caller_phone_mask, cp.phone_mask) AS caller_phone, i.address_id,"    \
	" i.address_text, i.area_type, i.category, i.subcategory, i.is_case, i.emergency,"\
	" i.narrative, i.status, i.target_minutes, i.dispatched_at, i.arrived_at,"        \
	" i.arrival_late, i.handling_at, i.closed_at, i.closed_by, cb.display_name AS"    \
	" closed_by_name, i.co_closer_id, cc.display_name AS co_closer_name, i.reviewed_at,"\
	" i.disposal, i.disposal_note, i.case_ref, i.no_case_reason, i.repeat_count,"     \
	" i.dispute_id, d.number AS dispute_number, i.carried_over_to, i.created_at,"     \
	" i.updated_at"

#define INCIDENT_FROM                                                                     \
	" FROM incidents i JOIN org_units o ON o.id = i.org_id"                           \
	" JOIN org_units st ON st.id = i.station_id"                                      \
	" LEFT JOIN persons cp ON cp.id = i.caller_id"                                    \
	" LEFT JOIN users cb ON cb.id = i.closed_by"                                      \
	" LEFT JOIN users cc ON cc.id = i.co_closer_id"                                   \
	" LEFT JOIN disputes d ON d.id = i.dispute_id"

#define INCIDENT_SELECT "SELECT " INCIDENT_COLUMNS INCIDENT_FROM

/* Like persons: a scope test no planner turns into an index range (the
 * ordering index is walked and the scope filters). */
#define SCOPE_FILTER(lo, hi) "(i.org_path || '') >= " lo " AND (i.org_path || '') < " hi

/* Open: written as the partial indexes of 009_list_order.sql are, so that
 * the planners find them (and the few open incidents among a million closed
 * ones through them). */
#define OPEN_STATUS FQ_INCIDENT_OPEN_SQL("i.")

/* The unit with the path org_path and its ancestors, nearest first: one
 * look-up by path (index org_units_path) for each prefix of org_path that ends
 * with '/' ('/1/4/9/', '/1/4/', '/1/'), which are the units whose path
 * org_path starts with. Stops at the first unit for which want() is true
 * (1: found, 0: not found, < 0: -error). A scan of every unit comparing
 * prefixes cost ten times more per intake. */
struct unit {
	int64_t id;
	const char *kind, *path, *prefix, *area_type, *name;
};

static int nearest_unit(struct fq_db *db, const char *org_path,
			bool (*want)(const struct unit *u, void *arg), void *arg)
{
	char prefix[256];
	size_t len = strlen(org_path);

	if (len >= sizeof(prefix))
		return -(int)FQ_ERR_INVALID;
	memcpy(prefix, org_path, len + 1);
	while (len > 0) {
		struct fq_stmt *st;
		enum fq_err err;
		int rc = 0, found = 0;

		while (len > 0 && prefix[len - 1] != '/')
			len--;
		if (!len)
			break;
		prefix[len] = '\0';
		err = fq_db_query(db, &st,
				  "SELECT id, kind, path, COALESCE(NULLIF(number_prefix, ''), code),"
				  " area_type, name FROM org_units WHERE path = ?1",
				  "s", prefix);
		if (err)
			return -(int)err;
		while (!found && (rc = fq_stmt_next(st)) == 1) {
			struct unit u = {fq_stmt_int(st, 0), fq_stmt_text(st, 1), fq_stmt_text(st, 2),
					 fq_stmt_text(st, 3), fq_stmt_text(st, 4), fq_stmt_text(st, 5)};
			found = want(&u, arg);
		}
		fq_stmt_done(st);
		if (found)
			return 1;
		if (rc < 0)
			return rc;
		len--;
	}
	return 0;
}

static bool is_station(const struct unit *u, void *arg)
{
	struct fq_station *out = arg;

	if (!u->kind || strcmp(u->kind, "station"))
		return false;
	out->id = u->id;
	fq_strlcpy(out->path, u->path ? u->path : "", sizeof(out->path));
	fq_strlcpy(out->prefix, u->prefix ? u->prefix : "", sizeof(out->prefix));
	return true;
}

static bool has_area_type(const struct unit *u, void *arg)
{
	if (!u->area_type || !u->area_type[0])
		return false;
	fq_strlcpy(arg, u->area_type, 16);
	return true;
}

static bool is_beat(const struct unit *u, void *arg)
{
	json_t **name = arg;

	if (!u->kind || strcmp(u->kind, "beat"))
		return false;
	*name = u->name ? json_string(u->name) : json_null();
	return true;
}

enum fq_err fq_store_station_of(struct fq_db *db, const char *org_path, struct fq_station *out)
{
	int rc = nearest_unit(db, org_path, is_station, out);

	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

enum fq_err fq_store_area_type_of(struct fq_db *db, const char *org_path, char out[16])
{
	int rc;

	out[0] = '\0';
	rc = nearest_unit(db, org_path, has_area_type, out);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_next_number(struct fq_db *db, int64_t station_id, const char *kind,
				 int64_t year, int64_t *no)
{
	return fq_db_insert(db, no,
			    "INSERT INTO record_numbers (station_id, kind, year, last_no)"
			    " VALUES (?1, ?2, ?3, 1) ON CONFLICT (station_id, kind, year)"
			    " DO UPDATE SET last_no = record_numbers.last_no + 1 RETURNING last_no",
			    "isi", station_id, kind, year);
}

enum fq_err fq_store_incident_insert(struct fq_db *db, const struct fq_incident_fields *f,
				     int64_t *id)
{
	return fq_db_insert(
		db, id,
		"INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day,"
		" hour, channel, caller_id, caller_name, caller_phone_enc, caller_phone_mask,"
		" caller_phone_hash, address_id, address_text, area_type, category, subcategory,"
		" is_case, emergency, narrative, status, created_by, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, 0), ?10, ?11, ?12, ?13,"
		" NULLIF(?14, 0), ?15, ?16, ?17, ?18, ?19, ?20, ?21, 'received', NULLIF(?22, 0),"
		" ?23, ?23) RETURNING id",
		"siisiiisisbssissssiisii", f->number, f->station_id, f->org_id, f->org_path,
		f->received_at, f->day, f->hour, f->channel, f->caller_id, f->caller_name,
		f->caller_phone_enc, f->caller_phone_enc_len, f->caller_phone_mask,
		f->caller_phone_hash, f->address_id, f->address_text, f->area_type, f->category,
		f->subcategory, f->is_case, f->emergency, f->narrative, f->created_by,
		fq_time_now_ms());
}

enum fq_err fq_store_incident_set_number(struct fq_db *db, int64_t id, const char *number)
{
	return fq_db_exec(db, NULL, "UPDATE incidents SET number = ?2 WHERE id = ?1", "is", id,
			  number);
}

enum fq_err fq_store_incident_edit(struct fq_db *db, int64_t id, const struct fq_incident_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE incidents SET category = ?1, subcategory = ?2, is_case = ?3,"
			  " emergency = ?4, narrative = ?5, address_id = NULLIF(?6, 0),"
			  " address_text = ?7, org_id = ?8, org_path = ?9, area_type = ?10,"
			  " updated_at = ?11 WHERE id = ?12",
			  "ssiisisissii", f->category, f->subcategory, f->is_case, f->emergency,
			  f->narrative, f->address_id, f->address_text, f->org_id, f->org_path,
			  f->area_type, fq_time_now_ms(), id);
}

enum fq_err fq_store_incident_row(struct fq_db *db, int64_t id, struct fq_incident_row *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT id, status, org_path, number, station_id, is_case,"
			  " COALESCE(address_id, 0), COALESCE(caller_id, 0), day,"
			  " COALESCE(dispatched_at, 0), COALESCE(arrived_at, 0),"
			  " COALESCE(target_minutes, -1), COALESCE(dispute_id, 0),"
			  " COALESCE(carried_over_to, 0), area_type FROM incidents WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		fq_strlcpy(out->status, fq_stmt_text(st, 1), sizeof(out->status));
		fq_strlcpy(out->org_path, fq_stmt_text(st, 2), sizeof(out->org_path));
		fq_strlcpy(out->number, fq_stmt_text(st, 3), sizeof(out->number));
		out->station_id = fq_stmt_int(st, 4);
		out->is_case = fq_stmt_int(st, 5);
		out->address_id = fq_stmt_int(st, 6);
		out->caller_id = fq_stmt_int(st, 7);
		out->day = fq_stmt_int(st, 8);
		out->dispatched_at = fq_stmt_int(st, 9);
		out->arrived_at = fq_stmt_int(st, 10);
		out->target_minutes = fq_stmt_int(st, 11);
		out->dispute_id = fq_stmt_int(st, 12);
		out->carried_over_to = fq_stmt_int(st, 13);
		fq_strlcpy(out->area_type, fq_stmt_text(st, 14), sizeof(out->area_type));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

json_t *fq_store_incident_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	/* One incident: also the beat (片区) its place lies in, the nearest
	 * beat among its unit and the unit's ancestors (the last member). */
	json_t *row = fq_db_get_json(db, err,
				     "SELECT " INCIDENT_COLUMNS ", i.org_path" INCIDENT_FROM
				     " WHERE i.id = ?1",
				     "i", id);
	json_t *beat = NULL;
	const char *path = json_string_value(json_object_get(row, "org_path"));
	int rc;

	if (!row)
		return NULL;
	rc = nearest_unit(db, path ? path : "", is_beat, &beat);
	if (rc >= 0 && !beat)
		beat = json_null();
	if (rc < 0 || json_object_del(row, "org_path") ||
	    json_object_set_new(row, "beat_name", beat)) {
		*err = rc < 0 ? (enum fq_err)-rc : FQ_ERR_NOMEM;
		json_decref(row);
		return NULL;
	}
	return row;
}

enum fq_err fq_store_incident_status(struct fq_db *db, int64_t id, const char *status,
				     const char *column, int64_t now)
{
	static const char *const columns[] = {"dispatched_at", "arrived_at", "handling_at",
					      "reviewed_at", NULL};
	char sql[200];

	if (!column)
		return fq_db_exec(db, NULL,
				  "UPDATE incidents SET status = ?1, updated_at = ?2 WHERE id = ?3",
				  "sii", status, now, id);
	for (int i = 0; columns[i]; i++) {
		if (strcmp(columns[i], column))
			continue;
		snprintf(sql, sizeof(sql),
			 "UPDATE incidents SET status = ?1, %s = COALESCE(%s, ?2), updated_at = ?2"
			 " WHERE id = ?3",
			 columns[i], columns[i]);
		return fq_db_exec(db, NULL, sql, "sii", status, now, id);
	}
	return FQ_ERR_INTERNAL;
}

enum fq_err fq_store_incident_dispatched(struct fq_db *db, int64_t id, int64_t now,
					 int64_t target_minutes)
{
	return fq_db_exec(db, NULL,
			  "UPDATE incidents SET status = CASE WHEN status = 'received'"
			  " THEN 'dispatched' ELSE status END,"
			  " dispatched_at = COALESCE(dispatched_at, ?1),"
			  " target_minutes = COALESCE(target_minutes, NULLIF(?2, 0)), updated_at = ?1"
			  " WHERE id = ?3",
			  "iii", now, target_minutes, id);
}

enum fq_err fq_store_incident_arrived(struct fq_db *db, int64_t id, int64_t now, int64_t late)
{
	return fq_db_exec(db, NULL,
			  "UPDATE incidents SET status = CASE WHEN status = 'dispatched'"
			  " THEN 'on_scene' ELSE status END, arrived_at = COALESCE(arrived_at, ?1),"
			  " arrival_late = CASE WHEN arrived_at IS NULL THEN ?2 ELSE arrival_late END,"
			  " updated_at = ?1 WHERE id = ?3",
			  "iii", now, late, id);
}

enum fq_err fq_store_incident_close(struct fq_db *db, int64_t id, const struct fq_close_fields *f,
				    int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE incidents SET status = 'closed', closed_at = ?1, closed_by = ?2,"
			  " co_closer_id = NULLIF(?3, 0), disposal = ?4, disposal_note = ?5,"
			  " case_ref = ?6, no_case_reason = ?7, updated_at = ?1 WHERE id = ?8",
			  "iiissssi", now, f->closed_by, f->co_closer_id, f->disposal,
			  f->disposal_note, f->case_ref, f->no_case_reason, id);
}

enum fq_err fq_store_incident_touch(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL, "UPDATE incidents SET updated_at = ?1 WHERE id = ?2", "ii",
			  now, id);
}

enum fq_err fq_store_incident_step(struct fq_db *db, int64_t id, const char *action,
				   const char *status, int64_t user_id, const char *user_name,
				   const char *code, const json_t *params, const char *note,
				   int64_t now)
{
	char *text = params ? fq_json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	enum fq_err err;

	if (params && !text)
		return FQ_ERR_NOMEM;
	err = fq_db_exec(db, NULL,
			 "INSERT INTO incident_steps (incident_id, at, action, status, user_id,"
			 " user_name, code, params, note)"
			 " VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6, ?7, ?8, ?9)",
			 "iississss", id, now, action, status, user_id, user_name, code,
			 text ? text : "{}", note);
	free(text);
	return err;
}

json_t *fq_store_incident_steps(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT at, action, status, user_id, user_name, code, params, note"
			       " FROM incident_steps WHERE incident_id = ?1 ORDER BY id",
			       "i", id);
}

enum fq_err fq_store_responder_add(struct fq_db *db, int64_t id, int64_t user_id, int64_t by,
				   int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO incident_responders (incident_id, user_id, dispatched_at,"
			  " dispatched_by) VALUES (?1, ?2, ?3, NULLIF(?4, 0))",
			  "iiii", id, user_id, now, by);
}

enum fq_err fq_store_responder_arrive(struct fq_db *db, int64_t id, int64_t user_id, int64_t now,
				      int64_t *changed)
{
	return fq_db_exec(db, changed,
			  "UPDATE incident_responders SET arrived_at = ?1 WHERE incident_id = ?2"
			  " AND user_id = ?3 AND arrived_at IS NULL AND released_at IS NULL",
			  "iii", now, id, user_id);
}

enum fq_err fq_store_responders_release(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE incident_responders SET released_at = ?1 WHERE incident_id = ?2"
			  " AND released_at IS NULL",
			  "ii", now, id);
}

int fq_store_responder_is(struct fq_db *db, int64_t id, int64_t user_id)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT 1 FROM incident_responders WHERE incident_id = ?1 AND user_id = ?2",
			  "ii", id, user_id);
	if (err)
		return -(int)err;
	rc = fq_stmt_next(st);
	fq_stmt_done(st);
	return rc;
}

json_t *fq_store_responders(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT r.user_id, u.display_name, u.role, r.dispatched_at,"
			       " r.arrived_at, r.released_at FROM incident_responders r"
			       " JOIN users u ON u.id = r.user_id WHERE r.incident_id = ?1"
			       " ORDER BY r.dispatched_at, r.user_id",
			       "i", id);
}

enum fq_err fq_store_responder_busy(struct fq_db *db, int64_t user_id, int64_t *incident_id)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*incident_id = 0;
	err = fq_db_query(db, &st,
			  /* max(), not ORDER BY … LIMIT 1: the index gives the rows in
			   * rowid order, and a sort of them cost 30,000 instructions
			   * for each person on the board's roster */
			  "SELECT max(r.incident_id) FROM incident_responders r JOIN incidents i"
			  " ON i.id = r.incident_id WHERE r.user_id = ?1 AND r.released_at IS NULL"
			  " AND " OPEN_STATUS,
			  "i", user_id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1)
		*incident_id = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_party_add(struct fq_db *db, int64_t id, int64_t person_id, const char *role)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO incident_parties (incident_id, person_id, role)"
			  " VALUES (?1, ?2, ?3)",
			  "iis", id, person_id, role);
}

json_t *fq_store_parties(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT ip.person_id, p.name, ip.role FROM incident_parties ip"
			       " JOIN persons p ON p.id = ip.person_id WHERE ip.incident_id = ?1"
			       " ORDER BY ip.person_id",
			       "i", id);
}

enum fq_err fq_store_incident_link_repeats(struct fq_db *db, int64_t id, int64_t since,
					   int64_t *count)
{
	/* Each source gives the earlier incidents and why, and names the key of
	 * the new incident it needs: a source whose key is missing (no address,
	 * no caller, no parties) finds nothing, and is not asked. The same
	 * earlier incident found by several sources keeps one link whose reason
	 * lists them in this order ("address caller party"). */
	enum { ADDRESS = 1, CALLER = 2, PHONE = 4, PARTIES = 8 };
	static const char *const reasons[] = {"address", "caller", "party"};
	static const struct {
		int reason, needs;
		const char *sql;
	} sources[] = {
		{0, ADDRESS,
		 "SELECT e.id FROM incidents n JOIN incidents e ON e.address_id = n.address_id"
		 " WHERE n.id = ?1 AND e.id <> n.id AND e.received_at >= ?2"
		 " AND e.received_at <= n.received_at ORDER BY e.id DESC LIMIT 20"},
		{1, CALLER,
		 "SELECT e.id FROM incidents n JOIN incidents e ON e.caller_id = n.caller_id"
		 " WHERE n.id = ?1 AND e.id <> n.id AND e.received_at >= ?2"
		 " AND e.received_at <= n.received_at ORDER BY e.id DESC LIMIT 20"},
		{1, PHONE,
		 "SELECT e.id FROM incidents n JOIN incidents e"
		 " ON e.caller_phone_hash = n.caller_phone_hash WHERE n.id = ?1 AND e.id <> n.id"
		 " AND e.received_at >= ?2 AND e.received_at <= n.received_at"
		 " ORDER BY e.id DESC LIMIT 20"},
		{2, PARTIES,
		 "SELECT DISTINCT e.id FROM incident_parties np JOIN incident_parties ep"
		 " ON ep.person_id = np.person_id JOIN incidents e ON e.id = ep.incident_id"
		 " JOIN incidents n ON n.id = np.incident_id WHERE np.incident_id = ?1"
		 " AND e.id <> n.id AND e.received_at >= ?2 AND e.received_at <= n.received_at"
		 " ORDER BY e.id DESC LIMIT 20"},
		{2, PARTIES,
		 "SELECT DISTINCT e.id FROM incident_parties np JOIN incidents e"
		 " ON e.caller_id = np.person_id JOIN incidents n ON n.id = np.incident_id"
		 " WHERE np.incident_id = ?1 AND e.id <> n.id AND e.received_at >= ?2"
		 " AND e.received_at <= n.received_at ORDER BY e.id DESC LIMIT 20"},
		{2, CALLER,
		 "SELECT DISTINCT e.id FROM incidents n JOIN incident_parties ep"
		 " ON ep.person_id = n.caller_id JOIN incidents e ON e.id = ep.incident_id"
		 " WHERE n.id = ?1 AND e.id <> n.id AND e.received_at >= ?2"
		 " AND e.received_at <= n.received_at ORDER BY e.id DESC LIMIT 20"},
	};
	enum { NSOURCES = sizeof(sources) / sizeof(sources[0]) };
	int64_t ids[NSOURCES * 20];
	int why[NSOURCES * 20], n = 0, keys = 0, rc;
	struct fq_stmt *st;
	enum fq_err err;

	*count = 0;
	err = fq_db_query(db, &st,
			  "SELECT CASE WHEN address_id IS NULL THEN 0 ELSE 1 END,"
			  " CASE WHEN caller_id IS NULL THEN 0 ELSE 1 END,"
			  " CASE WHEN caller_phone_hash IS NULL THEN 0 ELSE 1 END,"
			  " CASE WHEN EXISTS (SELECT 1 FROM incident_parties WHERE incident_id = ?1)"
			  " THEN 1 ELSE 0 END FROM incidents WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1)
		for (int k = 0; k < 4; k++)
			if (fq_stmt_int(st, k))
				keys |= 1 << k;
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	for (size_t k = 0; !err && k < NSOURCES; k++) {
		int found = 0;

		if (!(keys & sources[k].needs))
			continue;
		err = fq_db_query(db, &st, sources[k].sql, "ii", id, since);
		if (err)
			return err;
		while (found < 20 && (rc = fq_stmt_next(st)) == 1) {
			int64_t e = fq_stmt_int(st, 0);
			int j = 0;

			found++;
			while (j < n && ids[j] != e)
				j++;
			if (j == n) {
				ids[n] = e;
				why[n++] = 0;
			}
			why[j] |= 1 << sources[k].reason;
		}
		fq_stmt_done(st);
		if (rc < 0)
			return (enum fq_err)-rc;
	}
	for (int j = 0; !err && j < n; j++) {
		char reason[32];
		size_t len = 0;

		for (int r = 0; r < 3; r++)
			if (why[j] & 1 << r)
				len += (size_t)snprintf(reason + len, sizeof(reason) - len, "%s%s",
							len ? " " : "", reasons[r]);
		err = fq_db_exec(db, NULL,
				 "INSERT INTO incident_links (incident_id, earlier_id, reason)"
				 " VALUES (?1, ?2, ?3)",
				 "iis", id, ids[j], reason);
	}
	/* A new incident has no links but these. */
	if (!err && n)
		err = fq_db_exec(db, NULL, "UPDATE incidents SET repeat_count = ?2 WHERE id = ?1",
				 "ii", id, (int64_t)n);
	if (!err)
		*count = n;
	return err;
}

json_t *fq_store_incident_repeats(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT e.id, e.number, e.received_at, e.category, e.subcategory,"
			       " e.status, l.reason FROM incident_links l JOIN incidents e"
			       " ON e.id = l.earlier_id WHERE l.incident_id = ?1"
			       " ORDER BY e.received_at DESC, e.id DESC",
			       "i", id);
}

enum fq_err fq_store_onsite_insert(struct fq_db *db, int64_t id, const char *facts,
				   const char *disposal, const char *seal, int64_t by, int64_t now,
				   const struct fq_signature *sigs, int nsigs)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO onsite_records (incident_id, facts, disposal, seal,"
				     " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				     "isssii", id, facts, disposal, seal, by, now);

	for (int k = 0; !err && k < nsigs; k++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO onsite_signatures (incident_id, role, seq, name,"
				 " signed_at, image, image_sha256, attachment_id) VALUES (?1, ?2, ?3,"
				 " ?4, ?5, ?6, ?7, ?8)",
				 "isisibsi", id, sigs[k].role, sigs[k].seq, sigs[k].name,
				 sigs[k].signed_at,
				 /* the image is the attachment's: nothing kept twice */
				 sigs[k].attachment_id ? "" : sigs[k].image,
				 sigs[k].attachment_id ? (size_t)0 : sigs[k].image_len,
				 sigs[k].image_sha256, sigs[k].attachment_id);
	return err;
}

enum fq_err fq_store_onsite_created_at(struct fq_db *db, int64_t id, int64_t *at)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*at = 0;
	err = fq_db_query(db, &st, "SELECT created_at FROM onsite_records WHERE incident_id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1)
		*at = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 1 ? FQ_OK : FQ_ERR_NOT_FOUND;
}

json_t *fq_store_onsite_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	json_t *rec = fq_db_get_json(db, err,
				     "SELECT r.facts, r.disposal, r.seal, r.created_by, u.display_name"
				     " AS created_by_name, r.created_at FROM onsite_records r"
				     " LEFT JOIN users u ON u.id = r.created_by WHERE r.incident_id = ?1",
				     "i", id);
	json_t *sigs;

	if (!rec)
		return NULL;
	sigs = fq_db_list_json(db, err,
			       "SELECT role, seq, name, signed_at, image_sha256, attachment_id FROM"
			       " onsite_signatures WHERE incident_id = ?1 ORDER BY role, seq",
			       "i", id);
	if (!sigs || json_object_set_new(rec, "signatures", sigs)) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

enum fq_err fq_store_onsite_signatures(struct fq_db *db, int64_t id,
				       enum fq_err (*fn)(void *arg, const struct fq_signature *s),
				       void *arg)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT s.role, s.seq, s.name, s.signed_at, COALESCE(c.content, s.image),"
			  " s.image_sha256, s.attachment_id FROM onsite_signatures s LEFT JOIN"
			  " attachment_contents c ON c.id = s.attachment_id WHERE s.incident_id ="
			  " ?1 ORDER BY s.role, s.seq",
			  "i", id);
	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_signature s = {
			.role = fq_stmt_text(st, 0),
			.seq = fq_stmt_int(st, 1),
			.name = fq_stmt_text(st, 2),
			.signed_at = fq_stmt_int(st, 3),
			.image_sha256 = fq_stmt_text(st, 5),
			.attachment_id = fq_stmt_null(st, 6) ? 0 : fq_stmt_int(st, 6),
		};
		s.image = fq_stmt_blob(st, 4, &s.image_len);
		err = fn(arg, &s);
	}
	fq_stmt_done(st);
	return err ? err : rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_followup_insert(struct fq_db *db, int64_t id, int64_t user_id, int64_t reached,
				     const char *satisfaction, const char *note, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO incident_followups (incident_id, at, user_id, reached,"
			  " satisfaction, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			  "iiiiss", id, now, user_id, reached, satisfaction, note);
}

json_t *fq_store_followups(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT f.at, u.display_name AS user_name, f.reached, f.satisfaction,"
			       " f.note FROM incident_followups f LEFT JOIN users u ON u.id = f.user_id"
			       " WHERE f.incident_id = ?1 ORDER BY f.id",
			       "i", id);
}

enum fq_err fq_store_carryover_insert(struct fq_db *db, int64_t id, int64_t from_day,
				      int64_t to_day, const char *reason, int64_t user_id,
				      int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO incident_carryovers (incident_id, from_day, to_day,"
				     " reason, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				     "iiisii", id, from_day, to_day, reason, user_id, now);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incidents SET carried_over_to = ?1, updated_at = ?2"
				 " WHERE id = ?3",
				 "iii", to_day, now, id);
	return err;
}

enum fq_err fq_store_incident_link_dispute(struct fq_db *db, int64_t id, int64_t dispute_id,
					   int64_t now)
{
	return fq_db_exec(db, NULL, "UPDATE incidents SET dispute_id = ?1, updated_at = ?2 WHERE id = ?3",
			  "iii", dispute_id, now, id);
}

#define LIST_SELECT "SELECT " INCIDENT_COLUMNS INCIDENT_FROM

/* One query per filter, each served in order by one index (newest first,
 * from below the cursor): the primary key, incidents_open, incidents_status
 * (status, id) or incidents_day (day, id); a filter that is not the index's
 * is tested on the rows the walk meets. ?1 ?2 scope, ?3 below, ?4 limit,
 * ?5 offset, ?6 the caller (an incident they are dispatched to is theirs to
 * see whatever its unit: tested only on the rows out of scope, one look-up
 * in the responders' primary key each), then the filter's values. */
#define LIST_QUERY(filter)                                                               \
	LIST_SELECT " WHERE " filter "(" SCOPE_FILTER("?1", "?2") " OR EXISTS (SELECT 1"    \
	" FROM incident_responders r WHERE r.incident_id = i.id AND r.user_id = ?6))"     \
	" AND i.id < ?3 ORDER BY i.id DESC LIMIT ?4 OFFSET ?5"

json_t *fq_store_incident_list(struct fq_db *db, const char *lo, const char *hi, int64_t user_id,
			       const char *status, int64_t day, int64_t below, int64_t limit,
			       int64_t offset, enum fq_err *err)
{
	bool open = status && !strcmp(status, "open");

	if (below <= 0)
		below = INT64_MAX;
	/* One of the open statuses: said to be open too, so that PostgreSQL's
	 * generic plan (which cannot see that a status is rare) walks the open
	 * incidents, not every incident from the newest. */
	if (!day && status && !open && strcmp(status, "closed") && strcmp(status, "reviewed"))
		return fq_db_list_json(db, err,
				       LIST_QUERY("i.status = ?7 AND " OPEN_STATUS " AND "),
				       "ssiiiis", lo, hi, below, limit, offset, user_id, status);
	/* A day's open ones: the day's walk in id order (incidents_day), the open
	 * test a filter on it, worded so that no partial index of the open ones
	 * matches (PostgreSQL's generic plan would read a day's open incidents
	 * by received time and sort them all). */
	if (day && open)
		return fq_db_list_json(db, err,
				       LIST_QUERY("i.day = ?7 AND (i.status || '') NOT IN ('closed',"
						  " 'reviewed') AND "),
				       "ssiiiii", lo, hi, below, limit, offset, user_id, day);
	if (day && status)
		return fq_db_list_json(db, err,
				       LIST_QUERY("i.day = ?7 AND i.status = ?8 AND "), "ssiiiiis",
				       lo, hi, below, limit, offset, user_id, day, status);
	if (day)
		return fq_db_list_json(db, err, LIST_QUERY("i.day = ?7 AND "), "ssiiiii", lo, hi,
				       below, limit, offset, user_id, day);
	if (open)
		return fq_db_list_json(db, err, LIST_QUERY(OPEN_STATUS " AND "), "ssiiii", lo, hi,
				       below, limit, offset, user_id);
	if (status)
		return fq_db_list_json(db, err, LIST_QUERY("i.status = ?7 AND "), "ssiiiis", lo, hi,
				       below, limit, offset, user_id, status);
	return fq_db_list_json(db, err, LIST_QUERY(""), "ssiiii", lo, hi, below, limit, offset,
			       user_id);
}

json_t *fq_store_incident_list_period(struct fq_db *db, const char *lo, const char *hi,
				      const struct fq_incident_period *p, int64_t below,
				      int64_t limit, int64_t offset, enum fq_err *err)
{
	int64_t below_day = 99991231;

	if (below > 0) {
		*err = fq_db_get_int(db, &below_day, "SELECT day FROM incidents WHERE id = ?1", "i",
				     below);
		if (*err)
			return NULL;
	} else {
		below = INT64_MAX;
	}
	/* The figure's filters are tested on the period's walk: none of them
	 * changes which index serves it, so they are written as one query. */
	return fq_db_list_json(
		db, err,
		LIST_SELECT " WHERE i.day >= ?6 AND i.day <= ?7 AND " SCOPE_FILTER("?1", "?2")
		" AND (i.day, i.id) < (?8, ?3)"
		" AND (?9 = 0 OR " FQ_INCIDENT_LATE_SQL("i.", "?10") ")"
		" AND (?11 = 0 OR i.disposal IS NOT NULL)"
		" AND (?12 = 0 OR EXISTS (SELECT 1 FROM incident_followups f"
		" WHERE f.incident_id = i.id AND f.satisfaction IS NOT NULL))"
		" AND (?13 = 0 OR i.repeat_count > 0)"
		" AND (?14 < 0 OR i.hour = ?14)"
		" AND (?15 = 0 OR i.org_id = ?15)"
		" AND (CAST(?16 AS TEXT) IS NULL OR i.disposal = ?16)"
		" AND (CAST(?17 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM incident_followups f"
		" WHERE f.incident_id = i.id AND f.satisfaction = ?17))"
		" AND (CAST(?18 AS TEXT) IS NULL OR i.status = ?18 OR (?18 = 'open' AND"
		" (i.status || '') NOT IN ('closed', 'reviewed')))"
		" ORDER BY i.day DESC, i.id DESC LIMIT ?4 OFFSET ?5",
		"ssiiiiiiiiiiiiisss", lo, hi, below, limit, offset, p->from, p->to, below_day,
		(int64_t)p->late, p->now, (int64_t)p->closed, (int64_t)p->followed_up,
		(int64_t)p->repeat, p->hour, p->org_id, p->disposal, p->satisfaction, p->status);
}

json_t *fq_store_incident_list_ids(struct fq_db *db, json_t *ids, enum fq_err *err)
{
	json_t *out = json_array(), *id;
	size_t k;

	if (!out) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	json_array_foreach(ids, k, id) {
		json_t *row = fq_db_get_json(db, err, LIST_SELECT " WHERE i.id = ?1", "i",
					     json_integer_value(id));
		if (!row && *err == FQ_ERR_NOT_FOUND)
			continue;
		if (!row || json_array_append_new(out, row)) {
			json_decref(out);
			return NULL;
		}
	}
	*err = FQ_OK;
	return out;
}

/* The board's columns (struct fq_board_row), no join: what the board shows. */
#define BOARD_COLUMNS                                                                     \
	"i.id, i.number, i.status, i.emergency, i.category, i.subcategory, i.address_text,"\
	" i.area_type, i.narrative, i.received_at, COALESCE(i.target_minutes, -1),"      \
	" COALESCE(i.dispatched_at, 0), COALESCE(i.arrived_at, 0), i.repeat_count,"      \
	" i.updated_at"

static enum fq_err board_walk(struct fq_stmt *st, enum fq_err (*fn)(void *arg,
								      const struct fq_board_row *row),
			      void *arg)
{
	enum fq_err err = FQ_OK;
	int rc;

	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_board_row row = {
			.id = fq_stmt_int(st, 0),
			.number = fq_stmt_text(st, 1),
			.status = fq_stmt_text(st, 2),
			.emergency = fq_stmt_int(st, 3) != 0,
			.category = fq_stmt_text(st, 4),
			.subcategory = fq_stmt_text(st, 5),
			.address_text = fq_stmt_text(st, 6),
			.area_type = fq_stmt_text(st, 7),
			.narrative = fq_stmt_text(st, 8),
			.received_at = fq_stmt_int(st, 9),
			.target_minutes = fq_stmt_int(st, 10),
			.dispatched_at = fq_stmt_int(st, 11),
			.arrived_at = fq_stmt_int(st, 12),
			.repeat_count = fq_stmt_int(st, 13),
			.updated_at = fq_stmt_int(st, 14),
		};
		err = fn(arg, &row);
	}
	if (!err && rc < 0)
		err = (enum fq_err)-rc;
	fq_stmt_done(st);
	return err;
}

enum fq_err fq_store_incident_board(struct fq_db *db, const char *lo, const char *hi,
				    int64_t user_id, int64_t limit,
				    enum fq_err (*fn)(void *arg, const struct fq_board_row *row),
				    void *arg)
{
	struct fq_stmt *st;
	enum fq_err err;

	/* In scope, in the order of incidents_open_board (emergency first, then
	 * oldest): the walk the limit cuts. */
	err = fq_db_query(db, &st,
			  "SELECT " BOARD_COLUMNS " FROM incidents i WHERE " OPEN_STATUS " AND "
			  SCOPE_FILTER("?1", "?2") " ORDER BY i.emergency DESC, i.received_at, i.id"
			  " LIMIT ?3",
			  "ssi", lo, hi, limit);
	if (!err)
		err = board_walk(st, fn, arg);
	if (err || !user_id)
		return err;
	/* Out of scope, the open ones the caller is dispatched to (and not
	 * released from): through incident_responders_user, in no order (the
	 * domain orders the board). */
	err = fq_db_query(db, &st,
			  "SELECT " BOARD_COLUMNS " FROM incident_responders r JOIN incidents i"
			  " ON i.id = r.incident_id WHERE r.user_id = ?1 AND r.released_at IS NULL"
			  " AND " OPEN_STATUS " AND NOT (" SCOPE_FILTER("?2", "?3") ") LIMIT ?4",
			  "issi", user_id, lo, hi, limit);
	return err ? err : board_walk(st, fn, arg);
}

/* Walks of the open incidents in scope ?2 ?3 in received order, through
 * incidents_open_carried and incidents_open_day. */
#define DAILY_QUERY(filter)                                                              \
	LIST_SELECT " WHERE " OPEN_STATUS " AND " SCOPE_FILTER("?2", "?3") " AND " filter   \
	" ORDER BY i.received_at, i.id LIMIT ?4"

json_t *fq_store_incident_daily(struct fq_db *db, const char *lo, const char *hi, int64_t day,
				enum fq_err *err)
{
	const int64_t limit = 500;
	json_t *rows, *more;

	/* Carried over to the day, then received that day and not carried on:
	 * one walk after the other, which is the order of received_at, as a
	 * carry-over is always to a later day than the incident's own
	 * (fq_incident_carry_over). Not one UNION ALL: PostgreSQL appends the
	 * two walks and sorts all they find rather than merge them. */
	rows = fq_db_list_json(db, err, DAILY_QUERY("i.carried_over_to = ?1 AND i.day <> ?1"),
			       "issi", day, lo, hi, limit);
	if (!rows || (int64_t)json_array_size(rows) >= limit)
		return rows;
	more = fq_db_list_json(db, err,
			       DAILY_QUERY("i.day = ?1 AND (i.carried_over_to IS NULL"
					   " OR i.carried_over_to <= ?1)"),
			       "issi", day, lo, hi, limit - (int64_t)json_array_size(rows));
	if (!more || json_array_extend(rows, more)) {
		json_decref(rows);
		json_decref(more);
		*err = more ? FQ_ERR_NOMEM : *err;
		return NULL;
	}
	json_decref(more);
	return rows;
}

enum fq_err fq_store_incident_version(struct fq_db *db, const char *lo, const char *hi,
				      int64_t station_id, int64_t now, char *out, size_t size)
{
	struct fq_stmt *st;
	enum fq_err err;
	uint64_t h = 14695981039346656037u; /* FNV-1a over the figures */
	int rc;

	/* The open incidents in scope: the counters of the scope's paths
	 * (board_versions, moved by every change of an open incident; how many
	 * paths and their sum); the station's shifts not yet ended: how many,
	 * how many have begun, their newest change. Both read through an index
	 * range: the scope's units, the station's coming shifts. */
	err = fq_db_query(db, &st,
			  "SELECT o.n, o.s, f.n, f.b, f.m FROM"
			  " (SELECT count(*) AS n, coalesce(sum(v.n), 0) AS s FROM board_versions v"
			  " WHERE v.org_path >= ?1 AND v.org_path < ?2) o,"
			  " (SELECT count(*) AS n,"
			  " coalesce(sum(CASE WHEN start_at <= ?4 THEN 1 ELSE 0 END), 0) AS b,"
			  " coalesce(max(updated_at), 0) AS m FROM shifts"
			  " WHERE station_id = ?3 AND end_at > ?4) f",
			  "ssii", lo, hi, station_id, now);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		for (int col = 0; col < 5; col++) {
			uint64_t v = (uint64_t)fq_stmt_int(st, col);
			for (int k = 0; k < 8; k++)
				h = (h ^ ((v >> (8 * k)) & 0xff)) * 1099511628211u;
		}
		/* A digest: it says that something changed, not what. */
		snprintf(out, size, "%016llx", (unsigned long long)h);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_board_versions_rebuild(struct fq_db *db)
{
	enum fq_err err = fq_db_exec(db, NULL, "DELETE FROM board_versions", NULL);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO board_versions (org_path, n) SELECT i.org_path, count(*)"
				 " FROM incidents i WHERE " OPEN_STATUS " GROUP BY i.org_path",
				 NULL);
	return err;
}
