/* The SQL of volunteer teams, volunteers, trainings, the teams' patrols and
 * hours. */
#include "store/volunteer_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/time.h"
#include "store/store.h"

#define VOLUNTEER_SELECT                                                                       \
	"SELECT v.id, v.name, v.org_id, o.name AS org_name, v.org_path,"                          \
	" v.id_number_mask AS id_number, v.sex, v.birth_date, v.phone_mask AS phone, v.skills,"  \
	" v.status, v.joined_day, v.minor, v.guardian_name,"                                     \
	" v.guardian_phone_mask AS guardian_phone, v.guardian_relation, v.consent_day,"          \
	" v.user_id, u.username AS username, v.note, v.created_at, v.updated_at"                 \
	" FROM volunteers v JOIN org_units o ON o.id = v.org_id"                                 \
	" LEFT JOIN users u ON u.id = v.user_id"

#define TEAM_SELECT                                                                             \
	"SELECT t.id, t.name, t.kind, t.grid_id, g.name AS grid_name, t.org_path, t.station_id,"   \
	" t.leader_id, l.name AS leader_name, l.minor AS leader_minor, t.officer_id,"              \
	" u.display_name AS officer_name, t.officer_phone, t.founded_day, t.note, t.created_at, t.updated_at,"      \
	" (SELECT count(*) FROM volunteer_team_members m JOIN volunteers mv ON mv.id ="           \
	" m.volunteer_id WHERE m.team_id = t.id AND mv.status = 'active') AS member_count"        \
	" FROM volunteer_teams t JOIN org_units g ON g.id = t.grid_id"                             \
	" LEFT JOIN volunteers l ON l.id = t.leader_id LEFT JOIN users u ON u.id = t.officer_id"

/* A patrol's duration in ms, for an ended one. */
#define DURATION "(p.ended_at - p.started_at)"

enum fq_err fq_store_volunteer_insert(struct fq_db *db, const struct fq_volunteer_fields *f,
				      int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(
		db, id,
		"INSERT INTO volunteers (name, org_id, org_path, id_number_enc, id_number_hash,"
		" id_number_mask, sex, birth_date, phone_enc, phone_mask, skills, status, joined_day,"
		" minor, guardian_name, guardian_phone_enc, guardian_phone_mask, guardian_relation,"
		" consent_day, user_id, note, created_by, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, NULLIF(?19, 0), NULLIF(?20, 0), ?21, NULLIF(?22, 0), ?23, ?23) RETURNING id",
		"sisbssssbsssiisbssiisii", f->name, f->org_id, f->org_path, f->id_enc, f->id_enc_len,
		f->id_hash, f->id_mask, f->sex, f->birth_date, f->phone_enc, f->phone_enc_len,
		f->phone_mask, f->skills, f->status, f->joined_day, (int64_t)f->minor,
		f->guardian_name, f->guardian_phone_enc, f->guardian_phone_enc_len,
		f->guardian_phone_mask, f->guardian_relation, f->consent_day, f->user_id, f->note,
		f->created_by, now);
}

enum fq_err fq_store_volunteer_update(struct fq_db *db, int64_t id,
				      const struct fq_volunteer_fields *f)
{
	return fq_db_exec(
		db, NULL,
		"UPDATE volunteers SET name = ?1, org_id = ?2, org_path = ?3, phone_enc = ?4,"
		" phone_mask = ?5, skills = ?6, status = ?7, joined_day = ?8, minor = ?9,"
		" guardian_name = ?10, guardian_phone_enc = ?11, guardian_phone_mask = ?12,"
		" guardian_relation = ?13, consent_day = NULLIF(?14, 0), user_id = NULLIF(?15, 0),"
		" note = ?16, updated_at = ?17 WHERE id = ?18",
		"sisbsssiisbssiisii", f->name, f->org_id, f->org_path, f->phone_enc, f->phone_enc_len,
		f->phone_mask, f->skills, f->status, f->joined_day, (int64_t)f->minor,
		f->guardian_name, f->guardian_phone_enc, f->guardian_phone_enc_len,
		f->guardian_phone_mask, f->guardian_relation, f->consent_day, f->user_id, f->note,
		fq_time_now_ms(), id);
}

json_t *fq_store_volunteer_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, VOLUNTEER_SELECT " WHERE v.id = ?1", "i", id);
}

enum fq_err fq_store_volunteer_sealed(struct fq_db *db, int64_t id, void **id_enc, size_t *id_len,
				      void **phone_enc, size_t *phone_len, void **gphone_enc,
				      size_t *gphone_len)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*id_enc = *phone_enc = *gphone_enc = NULL;
	err = fq_db_query(db, &st,
			  "SELECT id_number_enc, phone_enc, guardian_phone_enc FROM volunteers"
			  " WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*id_enc = fq_stmt_blob_copy(st, 0, id_len);
		*phone_enc = fq_stmt_blob_copy(st, 1, phone_len);
		*gphone_enc = fq_stmt_blob_copy(st, 2, gphone_len);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

json_t *fq_store_volunteer_list(struct fq_db *db, const char *lo, const char *hi, int64_t team_id,
				const char *status, const char *name, int64_t limit, int64_t offset,
				enum fq_err *err)
{
	/* A station's volunteers are a few thousand at most: one query with
	 * its optional filters reads them all in the name order. */
	return fq_db_list_json(
		db, err,
		VOLUNTEER_SELECT " WHERE v.org_path >= ?1 AND v.org_path < ?2"
				 " AND (?3 = 0 OR EXISTS (SELECT 1 FROM volunteer_team_members m"
				 " WHERE m.team_id = ?3 AND m.volunteer_id = v.id))"
				 " AND (CAST(?4 AS TEXT) IS NULL OR v.status = ?4)"
				 " AND (CAST(?5 AS TEXT) IS NULL OR substr(v.name, 1, length(?5)) = ?5)"
				 " ORDER BY v.name, v.id LIMIT ?6 OFFSET ?7",
		"ssissii", lo, hi, team_id, status, name, limit, offset);
}

enum fq_err fq_store_volunteer_by_user(struct fq_db *db, int64_t user_id, int64_t *id)
{
	return fq_db_get_int(db, id, "SELECT id FROM volunteers WHERE user_id = ?1", "i", user_id);
}

enum fq_err fq_store_volunteer_user_ok(struct fq_db *db, int64_t user_id, bool *ok)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT count(*) FROM users WHERE id = ?1 AND role = 'volunteer'"
					" AND disabled = 0",
					"i", user_id);

	*ok = !err && n > 0;
	return err;
}

json_t *fq_store_volunteer_teams(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT t.id, t.name, t.kind, t.leader_id FROM volunteer_team_members m"
			       " JOIN volunteer_teams t ON t.id = m.team_id WHERE m.volunteer_id = ?1"
			       " ORDER BY t.name, t.id",
			       "i", id);
}

enum fq_err fq_store_volunteer_set_teams(struct fq_db *db, int64_t id, const int64_t *ids, size_t n,
					 int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "DELETE FROM volunteer_team_members WHERE volunteer_id = ?1"
				     " AND team_id NOT IN (SELECT id FROM volunteer_teams WHERE"
				     " leader_id = ?1)",
				     "i", id);

	/* A team's leader stays its member: the domain refuses taking them out. */
	for (size_t i = 0; !err && i < n; i++)
		err = fq_store_team_member_add(db, ids[i], id, now);
	return err;
}

enum fq_err fq_store_training_add(struct fq_db *db, int64_t id, const char *course, int64_t day,
				  int64_t by, int64_t now)
{
	int64_t tid;

	return fq_db_insert(db, &tid,
			    "INSERT INTO volunteer_trainings (volunteer_id, course, day, created_by,"
			    " created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
			    "isiii", id, course, day, by, now);
}

json_t *fq_store_trainings(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, course, day FROM volunteer_trainings WHERE volunteer_id = ?1"
			       " ORDER BY day DESC, id DESC",
			       "i", id);
}

/* Two integers of one row. */
static enum fq_err two_ints(struct fq_db *db, const char *sql, int64_t id, int64_t from, int64_t to,
			    int64_t *a, int64_t *b)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, sql, "iii", id, from, to);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*a = rc == 1 ? fq_stmt_int(st, 0) : 0;
	*b = rc == 1 ? fq_stmt_int(st, 1) : 0;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_volunteer_hours(struct fq_db *db, int64_t id, int64_t from, int64_t to,
				     int64_t *patrols, int64_t *ms)
{
	return two_ints(db,
			"SELECT count(*), CAST(coalesce(sum(" DURATION "), 0) AS BIGINT) FROM patrol_volunteers pv"
			" JOIN patrols p ON p.id = pv.patrol_id WHERE pv.volunteer_id = ?1"
			" AND p.status = 'ended' AND p.ended_at >= ?2 AND p.ended_at < ?3",
			id, from, to, patrols, ms);
}

enum fq_err fq_store_volunteer_active_patrol(struct fq_db *db, int64_t id, int64_t *patrol_id)
{
	return fq_db_get_int(db, patrol_id,
			     "SELECT max(p.id) FROM patrol_volunteers pv JOIN patrols p ON p.id ="
			     " pv.patrol_id WHERE pv.volunteer_id = ?1 AND p.status = 'active'",
			     "i", id);
}

/* ---- teams ---- */

enum fq_err fq_store_team_insert(struct fq_db *db, const struct fq_team_fields *f, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO volunteer_teams (name, kind, grid_id, org_path, station_id,"
			    " leader_id, officer_id, officer_phone, founded_day, note, created_by, created_at,"
			    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), NULLIF(?7, 0), ?8,"
			    " NULLIF(?9, 0), ?10, NULLIF(?11, 0), ?12, ?12) RETURNING id",
			    "ssisiiisisii", f->name, f->kind, f->grid_id, f->org_path, f->station_id,
			    f->leader_id, f->officer_id, f->officer_phone, f->founded_day, f->note,
			    f->created_by, now);
}

enum fq_err fq_store_team_update(struct fq_db *db, int64_t id, const struct fq_team_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE volunteer_teams SET name = ?1, kind = ?2, grid_id = ?3,"
			  " org_path = ?4, station_id = ?5, leader_id = NULLIF(?6, 0),"
			  " officer_id = NULLIF(?7, 0), officer_phone = ?8, founded_day = NULLIF(?9, 0),"
			  " note = ?10, updated_at = ?11 WHERE id = ?12",
			  "ssisiiisisii", f->name, f->kind, f->grid_id, f->org_path, f->station_id,
			  f->leader_id, f->officer_id, f->officer_phone, f->founded_day, f->note,
			  fq_time_now_ms(), id);
}

json_t *fq_store_team_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, TEAM_SELECT " WHERE t.id = ?1", "i", id);
}

json_t *fq_store_team_list(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
			   int64_t offset, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       TEAM_SELECT " WHERE t.org_path >= ?1 AND t.org_path < ?2"
					   " ORDER BY t.name, t.id LIMIT ?3 OFFSET ?4",
			       "ssii", lo, hi, limit, offset);
}

json_t *fq_store_team_members(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT v.id, v.name, v.minor, v.status, v.phone_mask AS phone,"
			       " v.user_id, m.joined_at FROM volunteer_team_members m"
			       " JOIN volunteers v ON v.id = m.volunteer_id WHERE m.team_id = ?1"
			       " ORDER BY v.name, v.id",
			       "i", id);
}

enum fq_err fq_store_team_member_add(struct fq_db *db, int64_t id, int64_t volunteer_id,
				     int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO volunteer_team_members (team_id, volunteer_id, joined_at)"
			  " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
			  "iii", id, volunteer_id, now);
}

enum fq_err fq_store_team_is_member(struct fq_db *db, int64_t id, int64_t volunteer_id, bool *yes)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT count(*) FROM volunteer_team_members WHERE team_id = ?1"
					" AND volunteer_id = ?2",
					"ii", id, volunteer_id);

	*yes = !err && n > 0;
	return err;
}

enum fq_err fq_store_station_above(struct fq_db *db, const char *path, int64_t *station_id)
{
	return fq_db_get_int(db, station_id,
			     "SELECT max(id) FROM org_units WHERE kind = 'station'"
			     " AND path = substr(?1, 1, length(path))",
			     "s", path);
}

enum fq_err fq_store_team_officer_ok(struct fq_db *db, int64_t user_id, int64_t station_id,
				     bool *ok)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(
		db, &n,
		"SELECT count(*) FROM users u JOIN org_units o ON o.id = u.org_id"
		" JOIN org_units s ON s.id = ?2 WHERE u.id = ?1 AND u.disabled = 0"
		" AND u.role IN ('chief', 'officer', 'aux') AND substr(o.path, 1, length(s.path)) = s.path",
		"ii", user_id, station_id);

	*ok = !err && n > 0;
	return err;
}

/* ---- patrols and hours ---- */

enum fq_err fq_store_team_patrol_add(struct fq_db *db, int64_t patrol_id, int64_t team_id)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO volunteer_patrols (patrol_id, team_id) VALUES (?1, ?2)", "ii",
			  patrol_id, team_id);
}

enum fq_err fq_store_patrol_volunteer_add(struct fq_db *db, int64_t patrol_id, int64_t volunteer_id)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO patrol_volunteers (patrol_id, volunteer_id) VALUES (?1, ?2)"
			  " ON CONFLICT DO NOTHING",
			  "ii", patrol_id, volunteer_id);
}

enum fq_err fq_store_team_of_patrol(struct fq_db *db, int64_t patrol_id, int64_t *team_id)
{
	return fq_db_get_int(db, team_id, "SELECT team_id FROM volunteer_patrols WHERE patrol_id = ?1",
			     "i", patrol_id);
}

json_t *fq_store_patrol_volunteers(struct fq_db *db, int64_t patrol_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT v.id, v.name, v.minor FROM patrol_volunteers pv JOIN volunteers v"
			       " ON v.id = pv.volunteer_id WHERE pv.patrol_id = ?1 ORDER BY v.name, v.id",
			       "i", patrol_id);
}

json_t *fq_store_team_patrols(struct fq_db *db, int64_t team_id, int64_t limit, int64_t offset,
			      enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.id, p.status, p.route, p.started_at, p.ended_at, p.findings,"
			       " (SELECT min(ci.place) FROM patrol_checkins ci WHERE ci.patrol_id = p.id"
			       " AND ci.kind = 'start') AS place,"
			       " (SELECT count(*) FROM patrol_volunteers pv WHERE pv.patrol_id = p.id)"
			       " AS volunteer_count FROM volunteer_patrols tp JOIN patrols p"
			       " ON p.id = tp.patrol_id WHERE tp.team_id = ?1"
			       " ORDER BY tp.patrol_id DESC LIMIT ?2 OFFSET ?3",
			       "iii", team_id, limit, offset);
}

enum fq_err fq_store_team_hours(struct fq_db *db, int64_t team_id, int64_t from, int64_t to,
				int64_t *patrols, int64_t *ms)
{
	return two_ints(db,
			"SELECT count(*), CAST(coalesce(sum(" DURATION " * (SELECT count(*) FROM"
			" patrol_volunteers pv WHERE pv.patrol_id = p.id)), 0) AS BIGINT) FROM volunteer_patrols tp"
			" JOIN patrols p ON p.id = tp.patrol_id WHERE tp.team_id = ?1"
			" AND p.status = 'ended' AND p.ended_at >= ?2 AND p.ended_at < ?3",
			team_id, from, to, patrols, ms);
}

json_t *fq_store_team_volunteer_hours(struct fq_db *db, int64_t team_id, int64_t from, int64_t to,
				      enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT v.id AS volunteer_id, v.name, v.minor, count(*) AS patrols,"
			       " CAST(sum(" DURATION ") AS BIGINT) AS ms FROM volunteer_patrols tp"
			       " JOIN patrols p ON p.id = tp.patrol_id"
			       " JOIN patrol_volunteers pv ON pv.patrol_id = p.id"
			       " JOIN volunteers v ON v.id = pv.volunteer_id WHERE tp.team_id = ?1"
			       " AND p.status = 'ended' AND p.ended_at >= ?2 AND p.ended_at < ?3"
			       " GROUP BY v.id, v.name, v.minor ORDER BY v.name, v.id",
			       "iii", team_id, from, to);
}

enum fq_err fq_store_volunteer_figures(struct fq_db *db, const char *lo, const char *hi,
				       int64_t from, int64_t to, int64_t *teams,
				       int64_t *volunteers, int64_t *patrols, int64_t *ms)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT (SELECT count(*) FROM volunteer_teams t WHERE t.org_path >= ?1"
		" AND t.org_path < ?2),"
		" (SELECT count(*) FROM volunteers v WHERE v.org_path >= ?1 AND v.org_path < ?2"
		" AND v.status = 'active'),"
		" (SELECT count(*) FROM volunteer_teams t JOIN volunteer_patrols tp ON tp.team_id = t.id"
		" JOIN patrols p ON p.id = tp.patrol_id WHERE t.org_path >= ?1 AND t.org_path < ?2"
		" AND p.status = 'ended' AND p.ended_at >= ?3 AND p.ended_at < ?4),"
		" (SELECT CAST(coalesce(sum(" DURATION "), 0) AS BIGINT) FROM volunteer_teams t"
		" JOIN volunteer_patrols tp ON tp.team_id = t.id JOIN patrols p ON p.id = tp.patrol_id"
		" JOIN patrol_volunteers pv ON pv.patrol_id = p.id WHERE t.org_path >= ?1"
		" AND t.org_path < ?2 AND p.status = 'ended' AND p.ended_at >= ?3 AND p.ended_at < ?4)",
		"ssii", lo, hi, from, to);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*teams = rc == 1 ? fq_stmt_int(st, 0) : 0;
	*volunteers = rc == 1 ? fq_stmt_int(st, 1) : 0;
	*patrols = rc == 1 ? fq_stmt_int(st, 2) : 0;
	*ms = rc == 1 ? fq_stmt_int(st, 3) : 0;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}
