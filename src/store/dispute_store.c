/* The SQL of disputes: the dispute, parties, risk history, hand-offs,
 * mediators, sessions, the list, the work queue and the overview's counts. */
#include "store/dispute_store.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/buf.h"
#include "core/str.h"
#include "store/overview_store.h"
#include "store/store.h"

/* Open: as the partial index disputes_open of 009 says it. */
#define OPEN_SQL "d.status <> 'closed'"
/* Past the tier's or the risk's deadline at ?N. */
#define OVERDUE_SQL(n) "(d.tier_due_at < " n " OR d.risk_due_at < " n ")"

enum fq_err fq_store_dispute_row(struct fq_db *db, int64_t id, struct fq_dispute_row *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT id, station_id, org_id, COALESCE(created_by, 0),"
			  " COALESCE(tier_since, created_at), COALESCE(tier_due_at, 0),"
			  " COALESCE(risk_due_at, 0), org_path, number, status, tier, risk, type"
			  " FROM disputes WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->station_id = fq_stmt_int(st, 1);
		out->org_id = fq_stmt_int(st, 2);
		out->created_by = fq_stmt_int(st, 3);
		out->tier_since = fq_stmt_int(st, 4);
		out->tier_due_at = fq_stmt_int(st, 5);
		out->risk_due_at = fq_stmt_int(st, 6);
		fq_strlcpy(out->org_path, fq_stmt_text(st, 7), sizeof(out->org_path));
		fq_strlcpy(out->number, fq_stmt_text(st, 8), sizeof(out->number));
		fq_strlcpy(out->status, fq_stmt_text(st, 9), sizeof(out->status));
		fq_strlcpy(out->tier, fq_stmt_text(st, 10), sizeof(out->tier));
		fq_strlcpy(out->risk, fq_stmt_text(st, 11), sizeof(out->risk));
		fq_strlcpy(out->type, fq_stmt_text(st, 12), sizeof(out->type));
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

enum fq_err fq_store_dispute_insert(struct fq_db *db, const struct fq_store_dispute_new *n,
				    int64_t *id)
{
	return fq_db_insert(
		db, id,
		"INSERT INTO disputes (number, tracking_code, station_id, org_id, org_path,"
		" source_incident_id, address_id, address_text, category, facts, status, source,"
		" referral_body, type, type_version, claims, amount_fen, risk, risk_due_at, tier,"
		" tier_since, tier_due_at, created_by, created_at, updated_at) VALUES (?1, ?2, ?3,"
		" ?4, ?5, NULLIF(?6, 0), NULLIF(?7, 0), ?8, ?9, ?10, 'registered', ?11, ?12, ?13,"
		" ?14, ?15, CASE WHEN ?16 < 0 THEN NULL ELSE ?16 END, ?17, ?18, ?19, ?20, ?21, ?22,"
		" ?20, ?20) RETURNING id",
		"ssiisiissssssisisisiii", n->number, n->tracking_code, n->station_id, n->org_id,
		n->org_path, n->incident_id, n->address_id, n->address_text, n->category, n->facts,
		n->source, n->referral_body, n->type, n->type_version, n->claims, n->amount_fen,
		n->risk, n->risk_due_at, n->tier, n->now, n->tier_due_at, n->by);
}

int fq_store_dispute_code_taken(struct fq_db *db, const char *code)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n, "SELECT COUNT(*) FROM disputes WHERE tracking_code = ?1",
					"s", code);

	return err ? -(int)err : n > 0;
}

enum fq_err fq_store_dispute_update(struct fq_db *db, int64_t id, const char *facts,
				    const char *claims, int64_t amount_fen, const char *type,
				    int64_t type_version, const char *address_text, int64_t now)
{
	enum fq_err err = FQ_OK;

	if (facts)
		err = fq_db_exec(db, NULL, "UPDATE disputes SET facts = ?1 WHERE id = ?2", "si",
				 facts, id);
	if (!err && claims)
		err = fq_db_exec(db, NULL, "UPDATE disputes SET claims = ?1 WHERE id = ?2", "si",
				 *claims ? claims : NULL, id);
	if (!err && amount_fen >= -1)
		err = amount_fen < 0
			      ? fq_db_exec(db, NULL, "UPDATE disputes SET amount_fen = NULL WHERE id = ?1",
					   "i", id)
			      : fq_db_exec(db, NULL, "UPDATE disputes SET amount_fen = ?1 WHERE id = ?2",
					   "ii", amount_fen, id);
	if (!err && type)
		err = fq_db_exec(db, NULL,
				 "UPDATE disputes SET type = ?1, type_version = ?2 WHERE id = ?3",
				 "sii", type, type_version, id);
	if (!err && address_text)
		err = fq_db_exec(db, NULL, "UPDATE disputes SET address_text = ?1 WHERE id = ?2",
				 "si", *address_text ? address_text : NULL, id);
	if (!err)
		err = fq_db_exec(db, NULL, "UPDATE disputes SET updated_at = ?1 WHERE id = ?2", "ii",
				 now, id);
	return err;
}

enum fq_err fq_store_dispute_status(struct fq_db *db, int64_t id, const char *status,
				    int64_t now)
{
	return fq_db_exec(db, NULL, "UPDATE disputes SET status = ?1, updated_at = ?2 WHERE id = ?3",
			  "sii", status, now, id);
}

/* ---- parties ---- */

enum fq_err fq_store_dispute_party_add(struct fq_db *db, int64_t id, int64_t person_id,
				       const char *role, const char *consent, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO dispute_parties (dispute_id, person_id, role, consent,"
			  " consent_at, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			  "iissii", id, person_id, role, consent,
			  strcmp(consent, "pending") ? now : 0, now);
}

enum fq_err fq_store_dispute_party_set(struct fq_db *db, int64_t id, int64_t person_id,
				       const char *role, const char *consent, int64_t now)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "UPDATE dispute_parties SET role = COALESCE(?1, role)"
				     " WHERE dispute_id = ?2 AND person_id = ?3",
				     "sii", role, id, person_id);

	if (!err && !changed)
		return FQ_ERR_NOT_FOUND;
	if (!err && consent)
		err = fq_db_exec(db, NULL,
				 "UPDATE dispute_parties SET consent = ?1, consent_at = ?2"
				 " WHERE dispute_id = ?3 AND person_id = ?4",
				 "siii", consent, now, id, person_id);
	return err;
}

enum fq_err fq_store_dispute_party_counts(struct fq_db *db, int64_t id, int64_t *all,
					  int64_t *applicants, int64_t *respondents,
					  int64_t *refused)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN role = 'applicant' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN role = 'respondent' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN consent = 'refused' THEN 1 ELSE 0 END), 0)"
		" FROM dispute_parties WHERE dispute_id = ?1",
		"i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*all = fq_stmt_int(st, 0);
		*applicants = fq_stmt_int(st, 1);
		*respondents = fq_stmt_int(st, 2);
		*refused = fq_stmt_int(st, 3);
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

int fq_store_dispute_party_is(struct fq_db *db, int64_t id, int64_t person_id)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT COUNT(*) FROM dispute_parties WHERE dispute_id = ?1"
					" AND person_id = ?2",
					"ii", id, person_id);

	return err ? -(int)err : n > 0;
}

json_t *fq_store_dispute_parties(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.person_id, pe.name, p.role, p.consent, p.consent_at,"
			       " pe.phone_mask AS phone, pe.id_number_mask AS id_number, pe.sex,"
			       " pe.birth_date, p.added_at FROM dispute_parties p JOIN persons pe ON"
			       " pe.id = p.person_id WHERE p.dispute_id = ?1 ORDER BY CASE p.role WHEN"
			       " 'applicant' THEN 0 WHEN 'respondent' THEN 1 ELSE 2 END,"
			       " COALESCE(p.added_at, 0), p.person_id",
			       "i", id);
}

enum fq_err fq_store_dispute_parties_from_incident(struct fq_db *db, int64_t id,
						   int64_t incident_id, int64_t now)
{
	enum fq_err err = fq_db_exec(
		db, NULL,
		"INSERT INTO dispute_parties (dispute_id, person_id, role, consent, added_at)"
		" SELECT ?1, person_id, CASE role WHEN 'suspect' THEN 'respondent' WHEN 'witness'"
		" THEN 'third_party' ELSE 'applicant' END, 'pending', ?3 FROM incident_parties"
		" WHERE incident_id = ?2",
		"iii", id, incident_id, now);

	/* A caller who is not listed as a party is one of the dispute's parties. */
	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO dispute_parties (dispute_id, person_id, role, consent,"
				 " added_at) SELECT ?1, caller_id, 'applicant', 'pending', ?3 FROM"
				 " incidents WHERE id = ?2 AND caller_id IS NOT NULL AND NOT EXISTS"
				 " (SELECT 1 FROM dispute_parties WHERE dispute_id = ?1 AND"
				 " person_id = caller_id)",
				 "iii", id, incident_id, now);
	return err;
}

enum fq_err fq_store_person_path(struct fq_db *db, int64_t person_id, char *out, size_t size)
{
	char *path = NULL;
	enum fq_err err = fq_db_get_text(db, &path, "SELECT org_path FROM persons WHERE id = ?1",
					 "i", person_id);

	if (!err)
		fq_strlcpy(out, path, size);
	free(path);
	return err;
}

/* ---- risk, ladder ---- */

enum fq_err fq_store_dispute_risk_set(struct fq_db *db, int64_t id, const char *from,
				      const char *to, const char *reason, int64_t by,
				      int64_t now, int64_t due_at)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO dispute_risks (dispute_id, from_level, to_level,"
				     " reason, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				     "isssii", id, from, to, reason, by, now);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE disputes SET risk = ?1, risk_due_at = ?2, updated_at = ?3"
				 " WHERE id = ?4",
				 "siii", to, due_at, now, id);
	return err;
}

json_t *fq_store_dispute_risks(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT r.id, r.from_level, r.to_level, r.reason, r.by_user,"
			       " u.display_name AS by_name, r.at FROM dispute_risks r LEFT JOIN users u"
			       " ON u.id = r.by_user WHERE r.dispute_id = ?1 ORDER BY r.id",
			       "i", id);
}

enum fq_err fq_store_dispute_handoff(struct fq_db *db, int64_t id, const char *from,
				     const char *to, const char *reason, int64_t by, int64_t now,
				     int64_t due_at)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO dispute_handoffs (dispute_id, from_tier, to_tier,"
				     " reason, by_user, at, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				     "isssiii", id, from, to, reason, by, now, due_at);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE disputes SET tier = ?1, tier_since = ?2, tier_due_at = ?3,"
				 " updated_at = ?2 WHERE id = ?4",
				 "siii", to, now, due_at, id);
	return err;
}

json_t *fq_store_dispute_handoffs(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT h.id, h.from_tier, h.to_tier, h.reason, h.by_user,"
			       " u.display_name AS by_name, h.at, h.due_at FROM dispute_handoffs h"
			       " LEFT JOIN users u ON u.id = h.by_user WHERE h.dispute_id = ?1"
			       " ORDER BY h.id",
			       "i", id);
}

/* ---- mediators ---- */

enum fq_err fq_store_mediator_user(struct fq_db *db, int64_t user_id,
				   struct fq_store_mediator_user *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT u.role, o.path, u.disabled FROM users u JOIN org_units o"
				      " ON o.id = u.org_id WHERE u.id = ?1",
				      "i", user_id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		fq_strlcpy(out->role, fq_stmt_text(st, 0), sizeof(out->role));
		fq_strlcpy(out->org_path, fq_stmt_text(st, 1), sizeof(out->org_path));
		out->disabled = fq_stmt_int(st, 2) != 0;
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

int fq_store_dispute_mediator_is(struct fq_db *db, int64_t id, int64_t user_id)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT COUNT(*) FROM dispute_mediators WHERE user_id = ?1"
					" AND dispute_id = ?2 AND released_at IS NULL",
					"ii", user_id, id);

	return err ? -(int)err : n > 0;
}

enum fq_err fq_store_dispute_mediator_assign(struct fq_db *db, int64_t id, int64_t user_id,
					     int64_t by, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO dispute_mediators (dispute_id, user_id, assigned_by,"
			  " assigned_at) VALUES (?1, ?2, ?3, ?4)",
			  "iiii", id, user_id, by, now);
}

enum fq_err fq_store_dispute_mediator_release(struct fq_db *db, int64_t id, int64_t user_id,
					      int64_t by, int64_t now, const char *reason,
					      int64_t requested_by_person)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(
		db, &changed,
		"UPDATE dispute_mediators SET released_at = ?1, released_by = ?2,"
		" release_reason = ?3, requested_by_person = ?4 WHERE dispute_id = ?5 AND"
		" user_id = ?6 AND released_at IS NULL",
		"iisiii", now, by, reason, requested_by_person, id, user_id);

	return !err && !changed ? FQ_ERR_NOT_FOUND : err;
}

json_t *fq_store_dispute_mediators(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT m.id, m.user_id, u.display_name AS name, u.role,"
		" COALESCE(mp.kind, CASE WHEN u.role = 'mediator' THEN 'other' ELSE 'police' END)"
		" AS kind, mp.organisation, m.assigned_at, ab.display_name AS assigned_by_name,"
		" m.released_at, m.release_reason, m.requested_by_person, rp.name AS"
		" requested_by_name FROM dispute_mediators m JOIN users u ON u.id = m.user_id"
		" LEFT JOIN mediator_profiles mp ON mp.user_id = m.user_id LEFT JOIN users ab ON"
		" ab.id = m.assigned_by LEFT JOIN persons rp ON rp.id = m.requested_by_person"
		" WHERE m.dispute_id = ?1 ORDER BY m.id",
		"i", id);
}

json_t *fq_store_mediator_list(struct fq_db *db, const char *lo, const char *hi,
			       enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT u.id, u.username, u.display_name, u.role, o.name AS org_name,"
		" COALESCE(mp.kind, CASE WHEN u.role = 'mediator' THEN 'other' ELSE 'police' END)"
		" AS kind, mp.organisation, (SELECT COUNT(*) FROM dispute_mediators m JOIN"
		" disputes d ON d.id = m.dispute_id WHERE m.user_id = u.id AND m.released_at IS"
		" NULL AND " OPEN_SQL ") AS open_count FROM users u JOIN org_units o ON o.id ="
		" u.org_id LEFT JOIN mediator_profiles mp ON mp.user_id = u.id WHERE u.disabled = 0"
		" AND u.role IN ('mediator', 'officer', 'aux', 'chief') AND o.path >= ?1 AND"
		" o.path < ?2 ORDER BY CASE WHEN u.role = 'mediator' THEN 0 ELSE 1 END,"
		" u.display_name, u.id LIMIT 500",
		"ss", lo, hi);
}

enum fq_err fq_store_mediator_profile_set(struct fq_db *db, int64_t user_id, const char *kind,
					  const char *organisation, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO mediator_profiles (user_id, kind, organisation, updated_at)"
			  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id) DO UPDATE SET kind ="
			  " excluded.kind, organisation = excluded.organisation, updated_at ="
			  " excluded.updated_at",
			  "issi", user_id, kind, organisation, now);
}

/* ---- sessions ---- */

enum fq_err fq_store_dispute_session_insert(struct fq_db *db, int64_t id,
					    const struct fq_store_session *s, int64_t by,
					    int64_t now, int64_t *sid)
{
	return fq_db_insert(db, sid,
			    "INSERT INTO dispute_sessions (dispute_id, starts_at, place, attendees,"
			    " accounts, summary, discussion, result, created_by, created_at,"
			    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
			    " RETURNING id",
			    "iissssssii", id, s->starts_at, s->place, s->attendees ? s->attendees : "",
			    s->accounts, s->summary, s->discussion, s->result, by, now);
}

enum fq_err fq_store_dispute_session_update(struct fq_db *db, int64_t id, int64_t sid,
					    const struct fq_store_session *s, int64_t now)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(
		db, &changed,
		"UPDATE dispute_sessions SET starts_at = ?1, place = ?2, attendees = ?3,"
		" accounts = ?4, summary = ?5, discussion = ?6, result = ?7, updated_at = ?8"
		" WHERE id = ?9 AND dispute_id = ?10",
		"issssssiii", s->starts_at, s->place, s->attendees ? s->attendees : "", s->accounts,
		s->summary, s->discussion, s->result, now, sid, id);

	return !err && !changed ? FQ_ERR_NOT_FOUND : err;
}

enum fq_err fq_store_dispute_session_delete(struct fq_db *db, int64_t id, int64_t sid)
{
	int64_t changed = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "DELETE FROM dispute_sessions WHERE id = ?1 AND dispute_id = ?2",
				     "ii", sid, id);

	return !err && !changed ? FQ_ERR_NOT_FOUND : err;
}

#define SESSION_COLUMNS                                                                   \
	"s.id, s.dispute_id, s.starts_at, s.place, s.attendees, s.accounts, s.summary,"   \
	" s.discussion, s.result, s.created_by, u.display_name AS created_by_name,"       \
	" s.created_at, s.updated_at FROM dispute_sessions s LEFT JOIN users u ON u.id ="  \
	" s.created_by"

json_t *fq_store_dispute_session(struct fq_db *db, int64_t id, int64_t sid, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT " SESSION_COLUMNS " WHERE s.id = ?1 AND s.dispute_id = ?2",
			      "ii", sid, id);
}

json_t *fq_store_dispute_sessions(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT " SESSION_COLUMNS " WHERE s.dispute_id = ?1"
			       " ORDER BY s.starts_at, s.id",
			       "i", id);
}

/* ---- conclude, read ---- */

enum fq_err fq_store_dispute_conclude(struct fq_db *db, int64_t id, const char *outcome,
				      const char *reason, int64_t by, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE disputes SET status = 'closed', outcome = ?1, outcome_reason = ?2,"
			  " concluded_at = ?3, concluded_by = ?4, updated_at = ?3 WHERE id = ?5",
			  "ssiii", outcome, reason, now, by, id);
}

#define DISPUTE_COLUMNS                                                                   \
	"d.id, d.number, d.tracking_code, d.station_id, st.name AS station_name, d.org_id," \
	" o.name AS org_name, d.source, d.referral_body, d.source_incident_id AS"          \
	" incident_id, i.number AS incident_number, d.type, d.type_version, d.facts,"      \
	" d.claims, d.amount_fen, d.address_id, d.address_text, d.status, d.outcome,"      \
	" d.outcome_reason, d.risk, d.risk_due_at, d.tier, d.tier_since AS tier_since_at,"  \
	" d.tier_due_at, d.created_by, cb.display_name AS created_by_name, d.created_at,"  \
	" d.updated_at, d.concluded_at, d.concluded_by, kb.display_name AS"                \
	" concluded_by_name"

#define DISPUTE_FROM                                                                      \
	" FROM disputes d JOIN org_units o ON o.id = d.org_id JOIN org_units st ON st.id ="\
	" d.station_id LEFT JOIN incidents i ON i.id = d.source_incident_id LEFT JOIN"     \
	" users cb ON cb.id = d.created_by LEFT JOIN users kb ON kb.id = d.concluded_by"

json_t *fq_store_dispute_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, "SELECT " DISPUTE_COLUMNS DISPUTE_FROM " WHERE d.id = ?1",
			      "i", id);
}

/* The list: newest first by id (the primary key, or the index of the one
 * filter given: disputes_status, _tier, _risk, _type), each filter one
 * fixed fragment of SQL with a parameter of its own; only the filters given
 * are in the text, so each combination is its own cached statement and no
 * condition reads "parameter is NULL or …". The filters' values are bound as
 * text (PostgreSQL infers the column's type for the integers). */
#define MAX_LIST_PARAMS 12

struct list_sql {
	struct fq_buf sql;
	const char *p[MAX_LIST_PARAMS];
	char ints[MAX_LIST_PARAMS][24];
	int n; /* parameters after ?1 (limit) and ?2 (offset) */
	enum fq_err err;
};

/* Adds " AND " fragment, where each '#' stands for the next of values. */
static void cond(struct list_sql *q, const char *fragment, const char *const *values)
{
	if (q->err)
		return;
	q->err = fq_buf_adds(&q->sql, " AND ");
	for (const char *s = fragment; !q->err && *s; s++) {
		if (*s != '#') {
			q->err = fq_buf_add(&q->sql, s, 1);
			continue;
		}
		if (q->n >= MAX_LIST_PARAMS) {
			q->err = FQ_ERR_INTERNAL;
			return;
		}
		q->p[q->n] = *values++;
		q->n++;
		q->err = fq_buf_addf(&q->sql, "?%d", q->n + 3);
	}
}

static void cond1(struct list_sql *q, const char *fragment, const char *value)
{
	const char *v[1] = {value};

	cond(q, fragment, v);
}

/* An integer value kept in q as text. */
static const char *int_text(struct list_sql *q, int slot, int64_t v)
{
	snprintf(q->ints[slot], sizeof(q->ints[slot]), "%" PRId64, v);
	return q->ints[slot];
}

json_t *fq_store_dispute_list(struct fq_db *db, const struct fq_dispute_filter *f,
			      const char *lo, const char *hi, int64_t user_id,
			      int64_t offset, int64_t limit, int64_t after, enum fq_err *err)
{
	struct list_sql q = {.n = 0};
	char fmt[MAX_LIST_PARAMS + 4];
	json_t *rows = NULL;
	struct fq_stmt *st;
	const char *const *p = q.p;

	fq_buf_init(&q.sql, 8192);
	q.err = fq_buf_adds(&q.sql, "SELECT " DISPUTE_COLUMNS ", CASE WHEN " OPEN_SQL " AND "
				    OVERDUE_SQL("?3") " THEN 1 ELSE 0 END AS overdue" DISPUTE_FROM
				    " WHERE 1 = 1");
	if (lo && user_id) {
		const char *v[3] = {lo, hi, int_text(&q, 0, user_id)};
		cond(&q, "((d.org_path || '') >= # AND (d.org_path || '') < # OR EXISTS (SELECT 1"
			 " FROM dispute_mediators m WHERE m.dispute_id = d.id AND m.user_id = # AND"
			 " m.released_at IS NULL))", v);
	} else if (lo) {
		const char *v[2] = {lo, hi};
		cond(&q, "(d.org_path || '') >= # AND (d.org_path || '') < #", v);
	} else {
		cond1(&q, "EXISTS (SELECT 1 FROM dispute_mediators m WHERE m.dispute_id = d.id AND"
			  " m.user_id = # AND m.released_at IS NULL)", int_text(&q, 0, user_id));
	}
	if (f->status && !strcmp(f->status, "open"))
		cond(&q, OPEN_SQL, NULL);
	else if (f->status)
		cond1(&q, "d.status = #", f->status);
	if (f->type)
		cond1(&q, "d.type = #", f->type);
	if (f->tier)
		cond1(&q, "d.tier = #", f->tier);
	if (f->risk)
		cond1(&q, "d.risk = #", f->risk);
	if (f->outcome)
		cond1(&q, "d.outcome = #", f->outcome);
	if (f->overdue)
		cond(&q, OPEN_SQL " AND " OVERDUE_SQL("?3"), NULL);
	if (f->mediator)
		cond1(&q, "EXISTS (SELECT 1 FROM dispute_mediators m2 WHERE m2.dispute_id = d.id AND"
			  " m2.user_id = # AND m2.released_at IS NULL)",
		      int_text(&q, 1, f->mediator));
	if (f->org_id)
		cond1(&q, "d.org_path LIKE (SELECT path FROM org_units WHERE id = #) || '%'",
		      int_text(&q, 2, f->org_id));
	if (f->from_ms || f->to_ms) {
		const char *v[2] = {int_text(&q, 3, f->from_ms), int_text(&q, 4, f->to_ms)};
		cond(&q, f->concluded_period ? "d.concluded_at >= # AND d.concluded_at < #"
					     : "d.created_at >= # AND d.created_at < #",
		     v);
	}
	if (after)
		cond1(&q, "d.id < #", int_text(&q, 5, after));
	if (!q.err)
		q.err = fq_buf_adds(&q.sql, " ORDER BY d.id DESC LIMIT ?1 OFFSET ?2");
	if (q.err) {
		*err = q.err;
		fq_buf_release(&q.sql);
		return NULL;
	}
	memcpy(fmt, "iii", 3);
	memset(fmt + 3, 's', (size_t)q.n);
	fmt[3 + q.n] = '\0';
	/* Values past the fmt's letters are not read. */
	*err = fq_db_query(db, &st, q.sql.ptr, fmt, limit, offset, f->now, p[0], p[1], p[2], p[3],
			   p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]);
	if (!*err) {
		rows = fq_stmt_rows_json(st, err);
		fq_stmt_done(st);
	}
	fq_buf_release(&q.sql);
	return rows;
}

/* ---- the work queue, the overview ---- */

json_t *fq_store_dispute_work_mine(struct fq_db *db, int64_t user_id, int64_t limit,
				   enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT d.id, d.number, d.type, d.tier, d.risk, d.status,"
			       " m.assigned_at AS since_t, COALESCE(d.tier_due_at, 0) AS due_t"
			       " FROM dispute_mediators m JOIN disputes d ON d.id = m.dispute_id"
			       " WHERE m.user_id = ?1 AND m.released_at IS NULL AND " OPEN_SQL
			       " ORDER BY d.tier_due_at, d.id LIMIT ?2",
			       "ii", user_id, limit);
}

json_t *fq_store_dispute_work_sessions(struct fq_db *db, int64_t user_id, int64_t from,
				       int64_t to, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT d.id, s.id AS session_id, d.number, d.type, d.tier, s.place,"
			       " s.starts_at AS starts_t, s.created_at AS since_t FROM"
			       " dispute_mediators m JOIN disputes d ON d.id = m.dispute_id JOIN"
			       " dispute_sessions s ON s.dispute_id = d.id WHERE m.user_id = ?1 AND"
			       " m.released_at IS NULL AND " OPEN_SQL " AND s.result IS NULL AND"
			       " s.starts_at >= ?2 AND s.starts_at < ?3 ORDER BY s.starts_at, s.id"
			       " LIMIT ?4",
			       "iiii", user_id, from, to, limit);
}

json_t *fq_store_dispute_work_due(struct fq_db *db, const char *lo, const char *hi,
				  int64_t user_id, int64_t before, int64_t limit,
				  enum fq_err *err)
{
	if (user_id)
		return fq_db_list_json(
			db, err,
			"SELECT d.id, d.number, d.type, d.tier, d.risk, d.tier_since AS since_t,"
			" d.tier_due_at AS due_t FROM disputes d WHERE " OPEN_SQL " AND d.tier ="
			" 'onsite' AND d.created_by = ?1 AND d.tier_due_at < ?2 AND"
			" (d.org_path || '') >= ?3 AND (d.org_path || '') < ?4 ORDER BY"
			" d.tier_due_at, d.id LIMIT ?5",
			"iissi", user_id, before, lo, hi, limit);
	return fq_db_list_json(
		db, err,
		"SELECT d.id, d.number, d.type, d.tier, d.risk, d.tier_since AS since_t,"
		" d.tier_due_at AS due_t FROM disputes d WHERE " OPEN_SQL " AND d.tier <> 'onsite'"
		" AND d.tier_due_at < ?1 AND (d.org_path || '') >= ?2 AND (d.org_path || '') < ?3"
		" AND NOT EXISTS (SELECT 1 FROM dispute_mediators m WHERE m.dispute_id = d.id AND"
		" m.released_at IS NULL) ORDER BY d.tier_due_at, d.id LIMIT ?4",
		"issi", before, lo, hi, limit);
}

/* The overview's counts: each its own walk of an index (disputes_open,
 * disputes_created, disputes_concluded) with the scope a filter on it, not
 * one walk of every dispute of the scope. */
#define COUNT_SCOPE "(d.org_path || '') >= ?1 AND (d.org_path || '') < ?2"

enum fq_err fq_store_dispute_counts(struct fq_db *db, const char *lo, const char *hi,
				    int64_t now, int64_t from, int64_t to,
				    struct fq_dispute_counts *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT (SELECT COUNT(*) FROM disputes d WHERE " OPEN_SQL " AND " COUNT_SCOPE "),"
		" (SELECT COUNT(*) FROM disputes d WHERE " OPEN_SQL " AND " OVERDUE_SQL("?3")
		" AND " COUNT_SCOPE "), (SELECT COUNT(*) FROM disputes d WHERE d.created_at >= ?4"
		" AND d.created_at < ?5 AND " COUNT_SCOPE "), (SELECT COUNT(*) FROM disputes d"
		" WHERE d.concluded_at >= ?4 AND d.concluded_at < ?5 AND " COUNT_SCOPE "),"
		" (SELECT COUNT(*) FROM disputes d WHERE d.concluded_at >= ?4 AND d.concluded_at <"
		" ?5 AND d.outcome = 'agreed' AND " COUNT_SCOPE ")",
		"ssiii", lo, hi, now, from, to);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->open = fq_stmt_int(st, 0);
		out->overdue = fq_stmt_int(st, 1);
		out->registered = fq_stmt_int(st, 2);
		out->concluded = fq_stmt_int(st, 3);
		out->agreed = fq_stmt_int(st, 4);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_dispute_stamp(struct fq_db *db, const char *lo, const char *hi,
				   int64_t since, uint64_t *h)
{
	struct fq_stmt *st = NULL;
	/* disputes_updated (updated_at, id): the last minutes' writes. */
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT count(*), coalesce(sum(d.updated_at), 0),"
				      " coalesce(sum(d.id), 0) FROM disputes d WHERE d.updated_at >= ?3"
				      " AND coalesce(d.org_path, '') >= ?1"
				      " AND coalesce(d.org_path, '') < ?2",
				      "ssi", lo, hi, since);

	return fq_store_overview_fold(h, 3, err, st);
}

enum fq_err fq_store_dispute_stamp_mine(struct fq_db *db, int64_t user_id, uint64_t *h)
{
	struct fq_stmt *st = NULL;
	/* dispute_mediators_user (user_id, dispute_id) WHERE released_at IS
	 * NULL: the open disputes she mediates, and their sessions. Her
	 * concluded ones keep their assignment (years of them) but no longer
	 * change her cards: one that is concluded leaves the count and sums. */
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT count(*), coalesce(sum(d.updated_at), 0), coalesce(sum(d.id), 0),"
		" coalesce(sum((SELECT count(*) FROM dispute_sessions s WHERE s.dispute_id ="
		" d.id)), 0), coalesce(sum((SELECT sum(s.updated_at) FROM dispute_sessions s WHERE"
		" s.dispute_id = d.id)), 0)"
		" FROM dispute_mediators m JOIN disputes d ON d.id = m.dispute_id"
		" WHERE m.user_id = ?1 AND m.released_at IS NULL AND " OPEN_SQL,
		"i", user_id);

	return fq_store_overview_fold(h, 5, err, st);
}

enum fq_err fq_store_dispute_counts_mine(struct fq_db *db, int64_t user_id, int64_t from,
					 int64_t to, int64_t *open, int64_t *sessions)
{
	enum fq_err err = fq_db_get_int(db, open,
					"SELECT COUNT(*) FROM dispute_mediators m JOIN disputes d ON"
					" d.id = m.dispute_id WHERE m.user_id = ?1 AND m.released_at IS"
					" NULL AND " OPEN_SQL,
					"i", user_id);

	if (!err)
		err = fq_db_get_int(db, sessions,
				    "SELECT COUNT(*) FROM dispute_mediators m JOIN dispute_sessions s"
				    " ON s.dispute_id = m.dispute_id WHERE m.user_id = ?1 AND"
				    " m.released_at IS NULL AND s.starts_at >= ?2 AND s.starts_at < ?3",
				    "iii", user_id, from, to);
	return err;
}

/* ---- checklists ---- */

json_t *fq_store_checklist_items(struct fq_db *db, int64_t station_id, const char *type,
				 enum fq_err *err)
{
	if (type)
		return fq_db_list_json(db, err,
				       "SELECT id, type, seq, text FROM dispute_checklist_items WHERE"
				       " station_id = ?1 AND type = ?2 AND active = 1 ORDER BY seq",
				       "is", station_id, type);
	return fq_db_list_json(db, err,
			       "SELECT id, type, seq, text FROM dispute_checklist_items WHERE"
			       " station_id = ?1 AND active = 1 ORDER BY type, seq",
			       "i", station_id);
}

enum fq_err fq_store_checklist_replace(struct fq_db *db, int64_t station_id, const char *type,
				       const char *const *texts, size_t n, int64_t by, int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "UPDATE dispute_checklist_items SET active = 0 WHERE"
				     " station_id = ?1 AND type = ?2 AND active = 1",
				     "is", station_id, type);

	for (size_t i = 0; !err && i < n; i++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO dispute_checklist_items (station_id, type, seq, text,"
				 " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				 "isisii", station_id, type, (int64_t)i + 1, texts[i], by, now);
	return err;
}

int fq_store_checklist_item_is(struct fq_db *db, int64_t item_id, int64_t station_id,
			       const char *type)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT COUNT(*) FROM dispute_checklist_items WHERE id = ?1"
					" AND station_id = ?2 AND type = ?3 AND active = 1",
					"iis", item_id, station_id, type);

	return err ? -(int)err : n > 0;
}

enum fq_err fq_store_dispute_check(struct fq_db *db, int64_t id, int64_t item_id, bool checked,
				   int64_t by, int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "DELETE FROM dispute_checks WHERE dispute_id = ?1 AND item_id = ?2",
				     "ii", id, item_id);

	if (!err && checked)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO dispute_checks (dispute_id, item_id, checked_by,"
				 " checked_at) VALUES (?1, ?2, ?3, ?4)",
				 "iiii", id, item_id, by, now);
	return err;
}

json_t *fq_store_dispute_checklist(struct fq_db *db, int64_t id, int64_t station_id,
				   const char *type, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT i.id AS item_id, i.text, i.active, CASE WHEN c.item_id IS NULL THEN 0 ELSE"
		" 1 END AS checked, u.display_name AS checked_by_name, c.checked_at FROM"
		" dispute_checklist_items i LEFT JOIN dispute_checks c ON c.item_id = i.id AND"
		" c.dispute_id = ?1 LEFT JOIN users u ON u.id = c.checked_by WHERE (i.station_id ="
		" ?2 AND i.type = ?3 AND i.active = 1) OR c.dispute_id IS NOT NULL ORDER BY"
		" i.active DESC, i.seq, i.id",
		"iis", id, station_id, type);
}

/* ---- the demo ---- */

json_t *fq_store_dispute_demo_persons(struct fq_db *db, const char *lo, const char *hi,
				      int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id FROM persons WHERE org_path >= ?1 AND org_path < ?2"
			       " AND doc_type = 'id_card' ORDER BY id LIMIT ?3",
			       "ssi", lo, hi, limit);
}

json_t *fq_store_dispute_demo_incidents(struct fq_db *db, const char *lo, const char *hi,
					enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id FROM incidents WHERE org_path >= ?1 AND org_path < ?2"
			       " AND disposal = 'referred_to_mediation' AND dispute_id IS NULL"
			       " ORDER BY id",
			       "ss", lo, hi);
}
