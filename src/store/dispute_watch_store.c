/* The SQL of the escalation watch and the disputes' figures
 * (dispute_watch_store.h). */
#include "store/dispute_watch_store.h"

#include <jansson.h>
#include <stdio.h>

#include "core/banned.h"
#include "store/store.h"

#define OPEN_SQL "d.status <> 'closed'"
#define SCOPE_SQL(lo, hi) "(d.org_path || '') >= " lo " AND (d.org_path || '') < " hi
/* Under org unit ?N (0: any). */
#define UNIT_SQL(n)                                                                                \
	"(" n " = 0 OR d.org_path LIKE (SELECT path FROM org_units WHERE id = " n ") || '%')"

/* The incidents of a party (?1 the dispute) or of its address received
 * from ?2, the dispute's own source incident left out. */
#define RELATED_SQL                                                                                \
	" FROM incidents i WHERE i.received_at >= ?2 AND i.id <> COALESCE((SELECT"              \
	" source_incident_id FROM disputes WHERE id = ?1), 0) AND (EXISTS (SELECT 1 FROM"        \
	" incident_parties ip JOIN dispute_parties dp ON dp.person_id = ip.person_id WHERE"     \
	" ip.incident_id = i.id AND dp.dispute_id = ?1) OR i.address_id = (SELECT address_id"   \
	" FROM disputes WHERE id = ?1))"

enum fq_err fq_store_watch_incidents(struct fq_db *db, int64_t id, int64_t since, int64_t *n)
{
	return fq_db_get_int(db, n, "SELECT COUNT(*)" RELATED_SQL, "ii", id, since);
}

json_t *fq_store_watch_texts(struct fq_db *db, int64_t id, int64_t since, int64_t limit,
			     enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT text FROM (SELECT facts AS text FROM disputes WHERE id = ?1"
		" UNION ALL SELECT i.narrative" RELATED_SQL
		" UNION ALL SELECT narrative FROM incidents WHERE id = (SELECT source_incident_id"
		" FROM disputes WHERE id = ?1)"
		" UNION ALL SELECT accounts FROM dispute_sessions WHERE dispute_id = ?1"
		" UNION ALL SELECT summary FROM dispute_sessions WHERE dispute_id = ?1"
		" UNION ALL SELECT discussion FROM dispute_sessions WHERE dispute_id = ?1) t"
		" WHERE text IS NOT NULL LIMIT ?3",
		"iii", id, since, limit);
}

enum fq_err fq_store_watch_breaches(struct fq_db *db, int64_t id, int64_t *n)
{
	/* From the dispute's parties to their other disputes
	 * (dispute_parties_person), not through every closed dispute. */
	return fq_db_get_int(db, n,
			     "SELECT COUNT(DISTINCT o.id) FROM dispute_parties b JOIN"
			     " dispute_parties a ON a.person_id = b.person_id JOIN disputes o ON"
			     " o.id = a.dispute_id WHERE b.dispute_id = ?1 AND o.id <> ?1 AND"
			     " o.status = 'closed' AND o.outcome = 'failed'",
			     "i", id);
}

enum fq_err fq_store_watch_agreement_breaches(struct fq_db *db, int64_t id, int64_t *n)
{
	/* The agreements of the dispute and of its parties' other disputes,
	 * each looked up by its dispute (dispute_agreements_dispute), not
	 * every effective agreement tested. */
	return fq_db_get_int(db, n,
			     "SELECT COUNT(*) FROM dispute_agreements g WHERE g.status = 'effective'"
			     " AND g.performance = 'breached' AND g.dispute_id IN (SELECT ?1 UNION"
			     " SELECT a.dispute_id FROM dispute_parties b JOIN dispute_parties a ON"
			     " a.person_id = b.person_id WHERE b.dispute_id = ?1)",
			     "i", id);
}

enum fq_err fq_store_watch_state(struct fq_db *db, int64_t id, bool *found,
				 int64_t *above_since, int64_t *first_above)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT COALESCE(above_threshold_since, 0),"
				      " COALESCE(first_above_at, 0) FROM dispute_watch WHERE"
				      " dispute_id = ?1",
				      "i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*found = rc == 1;
	*above_since = rc == 1 ? fq_stmt_int(st, 0) : 0;
	*first_above = rc == 1 ? fq_stmt_int(st, 1) : 0;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_watch_put(struct fq_db *db, int64_t id, int64_t score, const char *reasons,
			       int64_t now, int64_t above_since, int64_t first_above)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO dispute_watch (dispute_id, score, reasons, computed_at,"
			  " above_threshold_since, first_above_at) VALUES (?1, ?2, ?3, ?4,"
			  " NULLIF(?5, 0), NULLIF(?6, 0)) ON CONFLICT (dispute_id) DO UPDATE SET"
			  " score = excluded.score, reasons = excluded.reasons, computed_at ="
			  " excluded.computed_at, above_threshold_since ="
			  " excluded.above_threshold_since, first_above_at = excluded.first_above_at",
			  "iisiii", id, score, reasons, now, above_since, first_above);
}

json_t *fq_store_watch_list(struct fq_db *db, const char *lo, const char *hi, int64_t org_id,
			    int64_t min_score, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT d.id, d.number, d.type, d.tier, d.risk, d.status, d.org_id, o.name AS"
		" org_name, d.created_at, w.score, w.reasons, w.computed_at,"
		" w.above_threshold_since FROM dispute_watch w JOIN disputes d ON d.id ="
		" w.dispute_id LEFT JOIN org_units o ON o.id = d.org_id WHERE w.score >= ?4 AND "
		OPEN_SQL " AND " SCOPE_SQL("?1", "?2") " AND " UNIT_SQL("?3")
		" ORDER BY w.score DESC, d.id DESC LIMIT ?5",
		"ssiii", lo, hi, org_id, min_score, limit);
}

enum fq_err fq_store_watch_count(struct fq_db *db, const char *lo, const char *hi, int64_t *n)
{
	return fq_db_get_int(db, n,
			     "SELECT COUNT(*) FROM dispute_watch w JOIN disputes d ON d.id ="
			     " w.dispute_id WHERE w.above_threshold_since IS NOT NULL AND " OPEN_SQL
			     " AND " SCOPE_SQL("?1", "?2"),
			     "ss", lo, hi);
}

json_t *fq_store_watch_due(struct fq_db *db, int64_t since, int64_t stale, int64_t limit,
			   enum fq_err *err)
{
	json_t *rows = fq_db_list_json(
		db, err,
		"SELECT DISTINCT d.id FROM incidents i JOIN incident_parties ip ON ip.incident_id ="
		" i.id JOIN dispute_parties dp ON dp.person_id = ip.person_id JOIN disputes d ON"
		" d.id = dp.dispute_id WHERE i.updated_at >= ?1 AND " OPEN_SQL
		" UNION SELECT d.id FROM incidents i JOIN disputes d ON d.address_id = i.address_id"
		" WHERE i.updated_at >= ?1 AND " OPEN_SQL " LIMIT ?2",
		"ii", since, limit);
	json_t *more = rows ? fq_db_list_json(db, err,
					      "SELECT d.id FROM disputes d LEFT JOIN dispute_watch w"
					      " ON w.dispute_id = d.id WHERE " OPEN_SQL " AND"
					      " (w.dispute_id IS NULL OR w.computed_at < ?1) ORDER BY"
					      " COALESCE(w.computed_at, 0), d.id LIMIT ?2",
					      "ii", stale, limit)
			    : NULL;

	if (!more) {
		json_decref(rows);
		return NULL;
	}
	json_array_extend(rows, more);
	json_decref(more);
	return rows;
}

/* ---- figures ---- */

/* The group's key and label and the join that gives them, per fq_figures_by. */
static const struct {
	const char *key, *label, *join, *group;
} groups[] = {
	[FQ_FIGURES_TYPE] = {"d.type", "d.type", "", " GROUP BY d.type ORDER BY k"},
	[FQ_FIGURES_TIER] = {"d.tier", "d.tier", "", " GROUP BY d.tier ORDER BY k"},
	/* Each user once per dispute (the first of their assignments to it),
	 * looked up per dispute of the period: no DISTINCT of every assignment. */
	[FQ_FIGURES_MEDIATOR] = {"CAST(m.user_id AS TEXT)", "u.display_name",
				 " JOIN dispute_mediators m ON m.dispute_id = d.id AND m.id ="
				 " (SELECT MIN(m2.id) FROM dispute_mediators m2 WHERE m2.dispute_id ="
				 " d.id AND m2.user_id = m.user_id) JOIN users u ON u.id = m.user_id",
				 " GROUP BY m.user_id ORDER BY MIN(u.display_name), m.user_id"},
	[FQ_FIGURES_GRID] = {"CAST(d.org_id AS TEXT)", "o.name",
			     " JOIN org_units o ON o.id = d.org_id",
			     " GROUP BY d.org_id ORDER BY MIN(o.name), d.org_id"},
	/* No group: one row, zeros (NULL sums) for an empty period. */
	[FQ_FIGURES_ALL] = {"'all'", "CAST('all' AS TEXT)", "", ""},
};

#define IN_PERIOD(col) col " >= ?4 AND " col " < ?5"

json_t *fq_store_dispute_figures(struct fq_db *db, const char *lo, const char *hi,
				 int64_t org_id, enum fq_dispute_figures_by by, int64_t from,
				 int64_t to, enum fq_err *err)
{
	char sql[2048];
	struct fq_stmt *st;
	json_t *rows;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT %s AS k, MIN(%s) AS label,"
		 " SUM(CASE WHEN " IN_PERIOD("d.created_at") " THEN 1 ELSE 0 END),"
		 " SUM(CASE WHEN " IN_PERIOD("d.created_at") " THEN COALESCE(d.amount_fen, 0) ELSE 0"
		 " END), SUM(CASE WHEN " IN_PERIOD("d.concluded_at") " THEN 1 ELSE 0 END),"
		 " SUM(CASE WHEN " IN_PERIOD("d.concluded_at") " AND d.outcome = 'agreed' THEN 1"
		 " ELSE 0 END), SUM(CASE WHEN " IN_PERIOD("d.concluded_at") " THEN d.concluded_at -"
		 " d.created_at ELSE 0 END),"
		 /* How the agreements of the period's agreed disputes were kept, as
		  * their follow-up visits last found (agreement in effect only). */
		 " SUM(CASE WHEN " IN_PERIOD("d.concluded_at") " AND a.performance = 'performed'"
		 " THEN 1 ELSE 0 END), SUM(CASE WHEN " IN_PERIOD("d.concluded_at")
		 " AND a.performance = 'breached' THEN 1 ELSE 0 END)"
		 " FROM disputes d LEFT JOIN dispute_agreements a ON a.dispute_id = d.id AND"
		 " a.status = 'effective' AND d.outcome = 'agreed'%s WHERE %s AND (("
		 IN_PERIOD("d.created_at") ") OR (" IN_PERIOD("d.concluded_at") "))%s",
		 groups[by].key, groups[by].label, groups[by].join,
		 SCOPE_SQL("?1", "?2") " AND " UNIT_SQL("?3"), groups[by].group);
	*err = fq_db_query(db, &st, sql, "ssiii", lo, hi, org_id, from, to);
	if (*err)
		return NULL;
	rows = json_array();
	while ((rc = fq_stmt_next(st)) == 1) {
		json_t *row = json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "key",
					fq_stmt_text(st, 0), "label", fq_stmt_text(st, 1),
					"registered", (json_int_t)fq_stmt_int(st, 2), "amount_fen",
					(json_int_t)fq_stmt_int(st, 3), "concluded",
					(json_int_t)fq_stmt_int(st, 4), "agreed",
					(json_int_t)fq_stmt_int(st, 5), "days_ms",
					(json_int_t)fq_stmt_int(st, 6), "performed",
					(json_int_t)fq_stmt_int(st, 7), "breached",
					(json_int_t)fq_stmt_int(st, 8));

		if (!row || json_array_append_new(rows, row)) {
			rc = -(int)FQ_ERR_NOMEM;
			break;
		}
	}
	fq_stmt_done(st);
	if (rc < 0) {
		*err = (enum fq_err)-rc;
		json_decref(rows);
		return NULL;
	}
	return rows;
}

enum fq_err fq_store_watch_prevented(struct fq_db *db, const char *lo, const char *hi,
				     int64_t org_id, int64_t from, int64_t to, int64_t quiet_ms,
				     int64_t now, int64_t *cases, int64_t *persons)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT COUNT(DISTINCT d.id), COUNT(DISTINCT dp.person_id) FROM disputes d JOIN"
		" dispute_watch w ON w.dispute_id = d.id JOIN dispute_parties dp ON dp.dispute_id ="
		" d.id WHERE w.first_above_at IS NOT NULL AND " SCOPE_SQL("?1", "?2") " AND "
		UNIT_SQL("?3") " AND ((d.outcome = 'agreed' AND " IN_PERIOD("d.concluded_at")
		") OR (COALESCE(d.outcome, '') <> 'agreed' AND w.first_above_at + ?6 >= ?4 AND"
		" w.first_above_at + ?6 < ?5 AND w.first_above_at + ?6 <= ?7)) AND NOT EXISTS"
		" (SELECT 1 FROM dispute_parties p2 JOIN incident_parties ip ON ip.person_id ="
		" p2.person_id JOIN incidents i ON i.id = ip.incident_id WHERE p2.dispute_id = d.id"
		" AND i.is_case = 1 AND i.received_at >= w.first_above_at)",
		"ssiiiii", lo, hi, org_id, from, to, quiet_ms, now);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*cases = rc == 1 ? fq_stmt_int(st, 0) : 0;
	*persons = rc == 1 ? fq_stmt_int(st, 1) : 0;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}
