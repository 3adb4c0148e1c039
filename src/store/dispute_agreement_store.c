/* The SQL of mediation agreements, their signatures, follow-up visits and
 * judicial confirmation (migration 019). */
#include "store/dispute_agreement_store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

static void copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

enum fq_err fq_store_agreement_live(struct fq_db *db, int64_t dispute_id,
				    struct fq_agreement_row *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT a.id, a.dispute_id, a.mediator_id, COALESCE(a.effective_at, 0),"
			  " (SELECT count(*) FROM dispute_agreement_signatures s WHERE"
			  " s.agreement_id = a.id), a.status, a.form, a.performance,"
			  " a.judicial_status FROM dispute_agreements a WHERE a.dispute_id = ?1"
			  " AND a.status <> 'voided'",
			  "i", dispute_id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->dispute_id = fq_stmt_int(st, 1);
		out->mediator_id = fq_stmt_int(st, 2);
		out->effective_at = fq_stmt_int(st, 3);
		out->signatures = fq_stmt_int(st, 4);
		copy(out->status, sizeof(out->status), fq_stmt_text(st, 5));
		copy(out->form, sizeof(out->form), fq_stmt_text(st, 6));
		copy(out->performance, sizeof(out->performance), fq_stmt_text(st, 7));
		copy(out->judicial, sizeof(out->judicial), fq_stmt_text(st, 8));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

enum fq_err fq_store_agreement_insert(struct fq_db *db, int64_t dispute_id,
				      const struct fq_store_agreement *a, int64_t by, int64_t now,
				      int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO dispute_agreements (dispute_id, status, form, facts, matters,"
			    " liabilities, terms, mediator_id, created_by, created_at, updated_at)"
			    " VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
			    "isssssiii", dispute_id, a->form, a->facts, a->matters, a->liabilities,
			    a->terms, a->mediator_id, by, now);
}

enum fq_err fq_store_agreement_update(struct fq_db *db, int64_t id,
				      const struct fq_store_agreement *a, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET form = ?1, facts = ?2, matters = ?3,"
			  " liabilities = ?4, terms = ?5, updated_at = ?6 WHERE id = ?7 AND"
			  " status = 'draft'",
			  "sssssii", a->form, a->facts, a->matters, a->liabilities, a->terms, now, id);
}

enum fq_err fq_store_agreement_effective(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET status = 'effective', effective_at = ?1,"
			  " updated_at = ?1 WHERE id = ?2",
			  "ii", now, id);
}

enum fq_err fq_store_agreement_void(struct fq_db *db, int64_t id, const char *reason,
				    int64_t by, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET status = 'voided', void_reason = ?1,"
			  " voided_by = ?2, voided_at = ?3, updated_at = ?3 WHERE id = ?4",
			  "siii", reason, by, now, id);
}

enum fq_err fq_store_agreement_performance(struct fq_db *db, int64_t id,
					   const char *performance, int64_t term,
					   const char *reason, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET performance = ?1, breach_term = ?2,"
			  " breach_reason = ?3, updated_at = ?4 WHERE id = ?5",
			  "sisii", performance, term, reason, now, id);
}

enum fq_err fq_store_agreement_judicial_apply(struct fq_db *db, int64_t id, const char *court,
					      int64_t applied_at, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET judicial_status = 'applied',"
			  " judicial_court = ?1, judicial_applied_at = ?2, updated_at = ?3"
			  " WHERE id = ?4",
			  "siii", court, applied_at, now, id);
}

enum fq_err fq_store_agreement_judicial_decide(struct fq_db *db, int64_t id,
					       const char *outcome, int64_t decided_at,
					       const char *note, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE dispute_agreements SET judicial_status = ?1,"
			  " judicial_decided_at = ?2, judicial_note = ?3, updated_at = ?4"
			  " WHERE id = ?5",
			  "sisii", outcome, decided_at, note, now, id);
}

json_t *fq_store_agreement_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(
		db, err,
		"SELECT a.id, a.dispute_id, a.status, a.form, a.facts, a.matters, a.liabilities,"
		" a.terms, a.mediator_id, u.display_name AS mediator_name, a.created_at,"
		" a.updated_at, a.effective_at, a.effective_at AS effective_t, a.performance,"
		" a.breach_term, a.breach_reason, a.judicial_status, a.judicial_court,"
		" a.judicial_applied_at, a.judicial_decided_at, a.judicial_note FROM"
		" dispute_agreements a JOIN users u ON u.id = a.mediator_id WHERE a.id = ?1",
		"i", id);
}

json_t *fq_store_agreement_voided(struct fq_db *db, int64_t dispute_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT a.id, a.void_reason, a.voided_at, u.display_name AS"
			       " voided_by_name FROM dispute_agreements a LEFT JOIN users u ON u.id ="
			       " a.voided_by WHERE a.dispute_id = ?1 AND a.status = 'voided'"
			       " ORDER BY a.id",
			       "i", dispute_id);
}

enum fq_err fq_store_agreement_sign(struct fq_db *db, int64_t id, const char *signer,
				    int64_t person_id, int64_t user_id, const char *name,
				    int64_t attachment_id, int64_t by, int64_t now)
{
	/* 0 binds NULL for the one of person and user that does not apply. */
	return fq_db_exec(db, NULL,
			  "INSERT INTO dispute_agreement_signatures (agreement_id, signer, person_id,"
			  " user_id, name, attachment_id, signed_by, signed_at) VALUES (?1, ?2,"
			  " NULLIF(?3, 0), NULLIF(?4, 0), ?5, ?6, ?7, ?8)",
			  "isiisiii", id, signer, person_id, user_id, name, attachment_id, by, now);
}

json_t *fq_store_agreement_signatures(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, signer, person_id, user_id, name, attachment_id, signed_at,"
			       " signed_at AS signed_t FROM dispute_agreement_signatures WHERE"
			       " agreement_id = ?1 ORDER BY id",
			       "i", id);
}

enum fq_err fq_store_agreement_followup_insert(struct fq_db *db, int64_t id, int64_t due_at,
				     int64_t assigned_to, int64_t by, int64_t now,
				     int64_t *fid)
{
	return fq_db_insert(db, fid,
			    "INSERT INTO dispute_followups (agreement_id, due_at, assigned_to,"
			    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
			    "iiiii", id, due_at, assigned_to, by, now);
}

enum fq_err fq_store_agreement_followup_record(struct fq_db *db, int64_t id, int64_t fid,
				     int64_t visited_at, int64_t by, const char *result,
				     const char *note)
{
	int64_t changed = 0, done = 0;
	enum fq_err err = fq_db_exec(db, &changed,
				     "UPDATE dispute_followups SET visited_at = ?1, visited_by = ?2,"
				     " result = ?3, note = ?4 WHERE id = ?5 AND agreement_id = ?6 AND"
				     " visited_at IS NULL",
				     "iissii", visited_at, by, result, note, fid, id);

	if (err || changed)
		return err;
	err = fq_db_get_int(db, &done,
			    "SELECT count(*) FROM dispute_followups WHERE id = ?1 AND"
			    " agreement_id = ?2",
			    "ii", fid, id);
	return err ? err : done ? FQ_ERR_CONFLICT : FQ_ERR_NOT_FOUND;
}

json_t *fq_store_agreement_followups(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT f.id, f.due_at, f.assigned_to, u.display_name AS"
			       " assigned_to_name, f.visited_at, v.display_name AS visited_by_name,"
			       " f.result, f.note FROM dispute_followups f JOIN users u ON u.id ="
			       " f.assigned_to LEFT JOIN users v ON v.id = f.visited_by WHERE"
			       " f.agreement_id = ?1 ORDER BY f.due_at, f.id",
			       "i", id);
}

json_t *fq_store_agreement_followups_mine(struct fq_db *db, int64_t user_id, int64_t limit,
				enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT d.id, f.id AS followup_id, d.number, d.type, f.due_at AS due_t,"
			       " f.created_at AS since_t FROM dispute_followups f JOIN"
			       " dispute_agreements a ON a.id = f.agreement_id JOIN disputes d ON d.id"
			       " = a.dispute_id WHERE f.assigned_to = ?1 AND f.visited_at IS NULL AND"
			       " a.status = 'effective' ORDER BY f.due_at, f.id LIMIT ?2",
			       "ii", user_id, limit);
}
