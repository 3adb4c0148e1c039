/* The SQL of the law of mediation (dispute_law_store.h). */
#include "store/dispute_law_store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

static void copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

enum fq_err fq_store_dispute_law_row(struct fq_db *db, int64_t id, struct fq_dispute_law_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT procedure, offence, exclusions_checked, penalty_reason, concluded_basis,"
		" accepted_at, assessed_at, presiding_user, target_day, criminal_risk_at, penalty_at"
		" FROM dispute_procedures WHERE dispute_id = ?1",
		"i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		memset(out, 0, sizeof(*out));
		copy(out->procedure, sizeof(out->procedure), fq_stmt_text(st, 0));
		copy(out->offence, sizeof(out->offence), fq_stmt_text(st, 1));
		copy(out->exclusions_checked, sizeof(out->exclusions_checked), fq_stmt_text(st, 2));
		copy(out->penalty_reason, sizeof(out->penalty_reason), fq_stmt_text(st, 3));
		copy(out->concluded_basis, sizeof(out->concluded_basis), fq_stmt_text(st, 4));
		out->accepted_at = fq_stmt_int(st, 5);
		out->assessed_at = fq_stmt_int(st, 6);
		out->presiding_user = fq_stmt_int(st, 7);
		out->target_day = fq_stmt_int(st, 8);
		out->criminal_risk_at = fq_stmt_int(st, 9);
		out->penalty_at = fq_stmt_int(st, 10);
	} else {
		err = rc < 0 ? (enum fq_err)-rc : FQ_ERR_NOT_FOUND;
	}
	fq_stmt_done(st);
	return err;
}

enum fq_err fq_store_dispute_law_basics(struct fq_db *db, int64_t id, int64_t *created_at,
					int64_t *sessions)
{
	enum fq_err err = fq_db_get_int(db, created_at,
					"SELECT created_at FROM disputes WHERE id = ?1", "i", id);

	if (!err)
		err = fq_db_get_int(db, sessions,
				    "SELECT count(*) FROM dispute_sessions WHERE dispute_id = ?1", "i",
				    id);
	return err;
}

enum fq_err fq_store_dispute_law_put(struct fq_db *db, int64_t id,
				     const struct fq_dispute_law_row *row, int64_t by, int64_t now)
{
	return fq_db_exec(
		db, NULL,
		"INSERT INTO dispute_procedures (dispute_id, procedure, accepted_at, offence,"
		" assessed_at, presiding_user, exclusions_checked, target_day, set_by, set_at)"
		" VALUES (?1, ?2, ?3, NULLIF(?4, ''), NULLIF(?5, 0), NULLIF(?6, 0), NULLIF(?7, ''),"
		" NULLIF(?8, 0), NULLIF(?9, 0), ?10)"
		" ON CONFLICT (dispute_id) DO UPDATE SET procedure = excluded.procedure,"
		" accepted_at = excluded.accepted_at, offence = excluded.offence,"
		" assessed_at = excluded.assessed_at, presiding_user = excluded.presiding_user,"
		" exclusions_checked = excluded.exclusions_checked, target_day = excluded.target_day,"
		" set_by = excluded.set_by, set_at = excluded.set_at",
		"isisiisiii", id, row->procedure, row->accepted_at, row->offence, row->assessed_at,
		row->presiding_user, row->exclusions_checked, row->target_day, by, now);
}

json_t *fq_store_dispute_law_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(
		db, err,
		"SELECT d.procedure, d.accepted_at, d.offence, d.assessed_at, d.presiding_user,"
		" u.display_name AS presiding_name, d.exclusions_checked, d.target_day,"
		" d.criminal_risk_at, d.criminal_risk_by, c.display_name AS criminal_risk_by_name,"
		" d.criminal_risk_reason, d.penalty_at, d.penalty_by,"
		" p.display_name AS penalty_by_name, d.penalty_reason, d.penalty_note,"
		" d.concluded_basis, d.set_at FROM dispute_procedures d"
		" LEFT JOIN users u ON u.id = d.presiding_user"
		" LEFT JOIN users c ON c.id = d.criminal_risk_by"
		" LEFT JOIN users p ON p.id = d.penalty_by WHERE d.dispute_id = ?1",
		"i", id);
}

json_t *fq_store_dispute_law_sessions(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT s.id, s.starts_at AS starts_t, s.result, l.presiding_user,"
		" u.display_name AS presiding_name, l.guardians, l.signed_by,"
		" g.display_name AS signed_name, l.signed_at FROM dispute_sessions s"
		" LEFT JOIN dispute_session_law l ON l.session_id = s.id"
		" LEFT JOIN users u ON u.id = l.presiding_user"
		" LEFT JOIN users g ON g.id = l.signed_by"
		" WHERE s.dispute_id = ?1 ORDER BY s.starts_at, s.id",
		"i", id);
}

enum fq_err fq_store_dispute_law_session_insert(struct fq_db *db, int64_t sid, int64_t id,
						int64_t presiding, const char *guardians)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO dispute_session_law (session_id, dispute_id, presiding_user,"
			  " guardians) VALUES (?1, ?2, ?3, ?4)",
			  "iiis", sid, id, presiding, guardians);
}

enum fq_err fq_store_dispute_law_sign(struct fq_db *db, int64_t sid, int64_t by, int64_t now,
				      int64_t *changes)
{
	return fq_db_exec(db, changes,
			  "UPDATE dispute_session_law SET signed_by = ?1, signed_at = ?2"
			  " WHERE session_id = ?3 AND signed_at IS NULL",
			  "iii", by, now, sid);
}

enum fq_err fq_store_dispute_law_extend(struct fq_db *db, int64_t id, int64_t from_day,
					int64_t to_day, const char *reason, const char *consents,
					int64_t by, int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO dispute_extensions (dispute_id, from_day, to_day,"
				     " reason, consents, by_user, at)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				     "iiissii", id, from_day, to_day, reason, consents, by, now);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE dispute_procedures SET target_day = ?1 WHERE dispute_id = ?2",
				 "ii", to_day, id);
	return err;
}

json_t *fq_store_dispute_law_extensions(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT e.id, e.from_day, e.to_day, e.reason, e.consents, e.by_user,"
			       " u.display_name AS by_name, e.at AS created_at FROM dispute_extensions e"
			       " LEFT JOIN users u ON u.id = e.by_user"
			       " WHERE e.dispute_id = ?1 ORDER BY e.id",
			       "i", id);
}

enum fq_err fq_store_dispute_law_flag(struct fq_db *db, int64_t id, const char *reason,
				      int64_t by, int64_t now, int64_t *changes)
{
	return fq_db_exec(db, changes,
			  "UPDATE dispute_procedures SET criminal_risk_at = ?1, criminal_risk_by = ?2,"
			  " criminal_risk_reason = ?3 WHERE dispute_id = ?4"
			  " AND criminal_risk_at IS NULL",
			  "iisi", now, by, reason, id);
}

enum fq_err fq_store_dispute_law_penalty(struct fq_db *db, int64_t id, const char *reason,
					 const char *note, int64_t by, int64_t now,
					 int64_t *changes)
{
	return fq_db_exec(db, changes,
			  "UPDATE dispute_procedures SET penalty_at = ?1, penalty_by = ?2,"
			  " penalty_reason = ?3, penalty_note = ?4 WHERE dispute_id = ?5"
			  " AND penalty_at IS NULL",
			  "iissi", now, by, reason, note, id);
}

enum fq_err fq_store_dispute_law_basis(struct fq_db *db, int64_t id, const char *basis)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_procedures SET concluded_basis = ?1 WHERE dispute_id = ?2",
			  "si", basis, id);
}

enum fq_err fq_store_dispute_law_incident(struct fq_db *db, int64_t id, int64_t *incident_id,
					  char status[32])
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT i.id, i.status FROM disputes d"
				      " JOIN incidents i ON i.id = d.source_incident_id"
				      " WHERE d.id = ?1",
				      "i", id);
	int rc;

	if (err)
		return err;
	*incident_id = 0;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*incident_id = fq_stmt_int(st, 0);
		copy(status, 32, fq_stmt_text(st, 1));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

json_t *fq_store_dispute_law_work(struct fq_db *db, int64_t user_id, int64_t limit,
				  enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT d.id, d.number, d.type, d.tier, d.risk, p.accepted_at AS accepted_t,"
		" p.assessed_at AS assessed_t,"
		" (SELECT count(*) FROM dispute_sessions s WHERE s.dispute_id = d.id) AS sessions,"
		" (SELECT min(s.starts_at) FROM dispute_sessions s WHERE s.dispute_id = d.id)"
		" AS first_t FROM dispute_procedures p JOIN disputes d ON d.id = p.dispute_id"
		" WHERE p.presiding_user = ?1 AND p.penalty_at IS NULL AND p.procedure = 'police'"
		" AND d.status <> 'closed' ORDER BY p.dispute_id LIMIT ?2",
		"ii", user_id, limit);
}
