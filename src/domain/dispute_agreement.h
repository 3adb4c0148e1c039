/* The mediation agreement (调解协议书) of a dispute and what follows it
 * (DOMAIN §7): drafted by a mediator, signed by every party and then by the
 * mediator (each a drawn signature stored as an attachment of kind
 * "signature" of the dispute), in effect when all have signed — the dispute
 * then concludes "agreed" through fq_dispute_conclude. After the first
 * signature the text cannot change; a draft may be voided with a reason (its
 * signatures void with it) and a new one drafted. An agreement in effect gets
 * follow-up visits (回访: performing, performed, breached with the term) and
 * may be brought to a court for judicial confirmation (司法确认) within
 * FQ_AGREEMENT_CONFIRM_DAYS of taking effect, except for the types the law
 * leaves out (marriage, adoption, identity status: marriage_family).
 *
 * Who: what the caller may see of the dispute is fq_dispute_access's rule;
 * the routes ask dispute.read or dispute.mediate. Every function fails with
 * c->e set, its field named. */
#ifndef FQ_DISPUTE_AGREEMENT_H
#define FQ_DISPUTE_AGREEMENT_H

#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_buf;
struct fq_work_list;
typedef struct json_t json_t;

#define FQ_AGREEMENT_MAX_TERMS 20
#define FQ_AGREEMENT_MAX_FOLLOWUPS 20
#define FQ_AGREEMENT_CONFIRM_DAYS 30

extern const char *const fq_agreement_forms[];        /* people police */
extern const char *const fq_agreement_statuses[];     /* draft effective voided */
extern const char *const fq_agreement_results[];      /* performing performed breached */
extern const char *const fq_agreement_judicial[];     /* confirmed rejected */
extern const char *const fq_agreement_signers[];      /* party mediator */

/* One term: what is to be done, who does it, how, and by when (a date
 * "2026-12-31", or NULL). */
struct fq_agreement_term {
	const char *what, *who, *how, *due;
};

struct fq_agreement_in {
	const char *form; /* NULL: people */
	const char *facts, *matters, *liabilities;
	const struct fq_agreement_term *terms;
	int nterms;
};

/* A new draft; the caller is its mediator. FQ_ERR_CONFLICT when the dispute
 * is concluded or has an agreement not voided. */
enum fq_err fq_dispute_agreement_draft(struct fq_ctx *c, int64_t id,
				       const struct fq_agreement_in *in);
/* Replaces the draft's text: only before the first signature. */
enum fq_err fq_dispute_agreement_edit(struct fq_ctx *c, int64_t id,
				      const struct fq_agreement_in *in);
/* A signature: signer "party" (person_id a party of the dispute, once each)
 * or "mediator" (the agreement's mediator, after every party). attachment_id
 * is an unused attachment of kind signature of the dispute. The last one
 * puts the agreement in effect and concludes the dispute "agreed". */
enum fq_err fq_dispute_agreement_sign(struct fq_ctx *c, int64_t id, const char *signer,
				      int64_t person_id, int64_t attachment_id);
/* Voids a draft (signed or not) with the reason; an agreement in effect is
 * not voided. */
enum fq_err fq_dispute_agreement_void(struct fq_ctx *c, int64_t id, const char *reason);

/* {"agreement": {…, terms, signatures, followups, pending_signers, actions,
 * confirm_until} or null, "voided": [...]}. */
json_t *fq_dispute_agreement_get(struct fq_ctx *c, int64_t id);

/* A follow-up visit due at due_at, for user_id (0: the caller), who must be
 * the caller or an active mediator of the dispute. */
enum fq_err fq_dispute_agreement_followup_add(struct fq_ctx *c, int64_t id, int64_t due_at,
					      int64_t user_id, int64_t *fid);
/* Records visit fid: visited_at (0: now), result, for "breached" the term
 * (from 1) and the note (the reason); the agreement's performance follows. */
enum fq_err fq_dispute_agreement_followup_record(struct fq_ctx *c, int64_t id, int64_t fid,
						 int64_t visited_at, const char *result,
						 int64_t term, const char *note);

/* 司法确认: applied for (applied_at 0: now) within FQ_AGREEMENT_CONFIRM_DAYS
 * of the agreement taking effect, then the court's outcome. */
enum fq_err fq_dispute_agreement_judicial_apply(struct fq_ctx *c, int64_t id, const char *court,
						int64_t applied_at);
enum fq_err fq_dispute_agreement_judicial_decide(struct fq_ctx *c, int64_t id,
						 const char *outcome, int64_t decided_at,
						 const char *note);

/* The agreement as a PDF in the layout of the paper form (人民调解协议书 or
 * 治安调解协议书 by its form), appended to out; *filename in the arena. */
enum fq_err fq_dispute_agreement_pdf(struct fq_ctx *c, int64_t id, struct fq_buf *out,
				     const char **filename);

/* The work queue: the caller's follow-up visits not yet recorded
 * (kind dispute_followup). */
enum fq_err fq_dispute_agreement_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

#endif
