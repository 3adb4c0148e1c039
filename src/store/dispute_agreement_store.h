/* The SQL of a dispute's mediation agreement (调解协议书): the agreement, its
 * signatures, the follow-up visits and the judicial confirmation (migration
 * 019). No rules here: domain/dispute_agreement.c checks them. Times in
 * columns named *_at come out as ISO 8601 text, those named *_t as ms. */
#ifndef FQ_DISPUTE_AGREEMENT_STORE_H
#define FQ_DISPUTE_AGREEMENT_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* What the rules need of one agreement. */
struct fq_agreement_row {
	int64_t id, dispute_id, mediator_id, effective_at, signatures;
	char status[16];      /* draft effective voided */
	char form[16];        /* people police */
	char performance[16]; /* "" performing performed breached */
	char judicial[16];    /* "" applied confirmed rejected */
};

/* The dispute's agreement that is not voided; FQ_ERR_NOT_FOUND: none. */
enum fq_err fq_store_agreement_live(struct fq_db *db, int64_t dispute_id,
				    struct fq_agreement_row *out);

struct fq_store_agreement {
	const char *form, *facts, *matters, *liabilities, *terms; /* terms: JSON text */
	int64_t mediator_id;
};
/* A new draft; FQ_ERR_CONFLICT when the dispute has one not voided. */
enum fq_err fq_store_agreement_insert(struct fq_db *db, int64_t dispute_id,
				      const struct fq_store_agreement *a, int64_t by, int64_t now,
				      int64_t *id);
/* Replaces a draft's text (only while it has no signature). */
enum fq_err fq_store_agreement_update(struct fq_db *db, int64_t id,
				      const struct fq_store_agreement *a, int64_t now);
enum fq_err fq_store_agreement_effective(struct fq_db *db, int64_t id, int64_t now);
enum fq_err fq_store_agreement_void(struct fq_db *db, int64_t id, const char *reason,
				    int64_t by, int64_t now);
/* performance: performing, performed or breached (term from 1 and reason,
 * or 0 and NULL). */
enum fq_err fq_store_agreement_performance(struct fq_db *db, int64_t id,
					   const char *performance, int64_t term,
					   const char *reason, int64_t now);
enum fq_err fq_store_agreement_judicial_apply(struct fq_db *db, int64_t id, const char *court,
					      int64_t applied_at, int64_t now);
enum fq_err fq_store_agreement_judicial_decide(struct fq_db *db, int64_t id,
					       const char *outcome, int64_t decided_at,
					       const char *note, int64_t now);

/* The agreement as JSON (terms still as text in "terms"), with the
 * mediator's name. */
json_t *fq_store_agreement_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* The dispute's voided agreements: [{id, void_reason, voided_at, voided_by_name}]. */
json_t *fq_store_agreement_voided(struct fq_db *db, int64_t dispute_id, enum fq_err *err);

/* ---- signatures ---- */
enum fq_err fq_store_agreement_sign(struct fq_db *db, int64_t id, const char *signer,
				    int64_t person_id, int64_t user_id, const char *name,
				    int64_t attachment_id, int64_t by, int64_t now);
/* [{id, signer, person_id, user_id, name, attachment_id, signed_at, signed_t}]
 * in the order signed. */
json_t *fq_store_agreement_signatures(struct fq_db *db, int64_t id, enum fq_err *err);

/* ---- follow-up visits ---- */
enum fq_err fq_store_agreement_followup_insert(struct fq_db *db, int64_t id, int64_t due_at,
				     int64_t assigned_to, int64_t by, int64_t now,
				     int64_t *fid);
/* Records a visit not yet recorded; FQ_ERR_NOT_FOUND: no such visit of the
 * agreement, FQ_ERR_CONFLICT: recorded already. */
enum fq_err fq_store_agreement_followup_record(struct fq_db *db, int64_t id, int64_t fid,
				     int64_t visited_at, int64_t by, const char *result,
				     const char *note);
/* [{id, due_at, assigned_to, assigned_to_name, visited_at, visited_by_name,
 * result, note}] by due time. */
json_t *fq_store_agreement_followups(struct fq_db *db, int64_t id, enum fq_err *err);
/* The work queue: user's visits not recorded, by due time: [{id (the
 * dispute's), followup_id, number, type, due_t, since_t}]. */
json_t *fq_store_agreement_followups_mine(struct fq_db *db, int64_t user_id, int64_t limit,
				enum fq_err *err);

#endif
