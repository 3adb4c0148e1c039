/* Disputes and mediation (矛盾纠纷, DOMAIN §7), the core: registration (from
 * an incident, a walk-in, a sweep or a referral) with a tracking code
 * (一案一码), parties with role and consent, the risk level and its history,
 * the ladder of tiers (on-site → community workstation → mediation centre →
 * joint mediation) with a deadline each, the mediators of the 1+3+N, the
 * sessions with their record in three parts, and concluding.
 *
 * Who sees a dispute: a caller holding dispute.write sees those in their
 * data scope; anyone sees those they are an active mediator of (a mediator,
 * who holds only dispute.read and dispute.mediate, sees nothing else).
 * Anything else is FQ_ERR_NOT_FOUND. Every function fails with c->e set. */
#ifndef FQ_DISPUTE_H
#define FQ_DISPUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/attachment.h" /* an array of them is declared below */
#include "domain/person.h"

struct fq_ctx;
struct fq_dispute_filter;    /* store/dispute_store.h */
struct fq_work_list;         /* domain/work.h */
struct fq_overview_provider; /* domain/overview.h */
struct fq_dispute_row;       /* store/dispute_store.h */
struct fq_dispute_law_session; /* domain/dispute_law.h */
typedef struct json_t json_t;

/* The dictionary of types (DOMAIN §7), version FQ_DISPUTE_TYPES_VERSION;
 * each dispute keeps the version its type was chosen from. A later version
 * may add types; a code is never reused for another meaning. */
#define FQ_DISPUTE_TYPES_VERSION 1
extern const char *const fq_dispute_types[];
extern const char *const fq_dispute_sources[];   /* incident walk_in sweep referral */
extern const char *const fq_dispute_referrers[]; /* court 12345 petition_office grid_worker */
extern const char *const fq_dispute_risks[];     /* red orange yellow blue */
extern const char *const fq_dispute_tiers[];     /* onsite workstation centre joint */
extern const char *const fq_dispute_statuses[];  /* registered mediating closed */
extern const char *const fq_dispute_party_roles[];
extern const char *const fq_dispute_consents[];  /* pending given refused */
extern const char *const fq_dispute_outcomes[];  /* agreed failed withdrawn */
extern const char *const fq_mediator_kinds[];    /* police judicial committee lawyer community department */
extern const char *const fq_dispute_session_results[];

/* At least this many parties; at most this many. */
#define FQ_DISPUTE_MIN_PARTIES 2
#define FQ_DISPUTE_MAX_PARTIES 20
/* An amount above this (10 billion yuan, in fen) is refused. */
#define FQ_DISPUTE_MAX_AMOUNT_FEN 1000000000000LL

/* A party: an existing person (person_id) or one registered on the spot
 * (person, when person_id is 0). consent NULL: pending. */
struct fq_dispute_party_in {
	int64_t person_id;
	struct fq_person_input person;
	const char *role, *consent;
};

struct fq_dispute_input {
	const char *source, *referral_body, *type, *facts, *claims, *address_text;
	const char *risk, *risk_reason, *tier; /* risk NULL: blue; tier NULL: by source */
	int64_t amount_fen;                    /* -1: none */
	int64_t org_id;                        /* 0: the caller's unit */
	int64_t address_id;                    /* 0: none */
	const struct fq_dispute_party_in *parties;
	int nparties;
};

/* Registers a dispute (not from an incident: fq_dispute_from_incident). */
enum fq_err fq_dispute_register(struct fq_ctx *c, const struct fq_dispute_input *in,
				int64_t *id);
/* Opens the dispute of an incident the caller may read (the incident's
 * conversion, domain/incident.c): source incident, the incident's unit,
 * address, narrative as facts, its persons as parties. *number is in the
 * arena. */
enum fq_err fq_dispute_from_incident(struct fq_ctx *c, int64_t incident_id, int64_t *id,
				     const char **number);
/* Changes facts, claims, amount (-1 none, < -1 unchanged), type, address
 * text (NULL: unchanged). */
enum fq_err fq_dispute_edit(struct fq_ctx *c, int64_t id, const struct fq_dispute_input *in);
enum fq_err fq_dispute_party_add(struct fq_ctx *c, int64_t id,
				 const struct fq_dispute_party_in *p);
/* role, consent: NULL unchanged. */
enum fq_err fq_dispute_party_set(struct fq_ctx *c, int64_t id, int64_t person_id,
				 const char *role, const char *consent);
enum fq_err fq_dispute_risk(struct fq_ctx *c, int64_t id, const char *level, const char *reason);
/* Hands the dispute to tier to. Up the ladder any number of tiers; down
 * one tier at a time; never to the tier it stands on. */
enum fq_err fq_dispute_handoff(struct fq_ctx *c, int64_t id, const char *to, const char *reason);
enum fq_err fq_dispute_assign(struct fq_ctx *c, int64_t id, int64_t user_id);
/* Ends user_id's assignment with the reason (and the party who asked, 0:
 * none) and, when new_user_id is not 0, assigns that one. */
enum fq_err fq_dispute_replace(struct fq_ctx *c, int64_t id, int64_t user_id,
			       int64_t new_user_id, const char *reason,
			       int64_t requested_by_person);

struct fq_dispute_session_in {
	int64_t starts_at; /* 0: unchanged (update) */
	const char *place, *attendees, *accounts, *summary, *discussion, *result;
	const struct fq_dispute_law_session *law; /* police mediation (dispute_law.h); NULL: none */
};
enum fq_err fq_dispute_session_create(struct fq_ctx *c, int64_t id,
				      const struct fq_dispute_session_in *in, int64_t *sid);
/* NULL fields are left as they were; "" empties an optional one. */
enum fq_err fq_dispute_session_update(struct fq_ctx *c, int64_t id, int64_t sid,
				      const struct fq_dispute_session_in *in);
/* Only a session whose record is empty (not held yet) may be deleted. */
enum fq_err fq_dispute_session_delete(struct fq_ctx *c, int64_t id, int64_t sid);
json_t *fq_dispute_session_get(struct fq_ctx *c, int64_t id, int64_t sid);

enum fq_err fq_dispute_conclude(struct fq_ctx *c, int64_t id, const char *outcome,
				const char *reason);

/* The dispute's row when the caller may see it (the rule above; *mediator,
 * when not NULL: as one of its active mediators), for the parts that build
 * on the core (domain/dispute_agreement.c). FQ_ERR_NOT_FOUND otherwise. */
struct fq_dispute_row;
enum fq_err fq_dispute_access(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row,
			      bool *mediator);

/* The whole dispute: its fields, parties (masked), risk history, hand-offs,
 * mediators, sessions, overdue, the deadlines and the actions the caller
 * may take. */
json_t *fq_dispute_get(struct fq_ctx *c, int64_t id);
/* A page, newest first (keyset by id). */
json_t *fq_dispute_list(struct fq_ctx *c, struct fq_dispute_filter *f, int64_t page,
			int64_t per_page, int64_t after);
/* Types, sources, referrers, risks (with days and owner tier), tiers (with
 * days), statuses, roles, consents, outcomes, mediator kinds, results. */
json_t *fq_dispute_dictionary(struct fq_ctx *c);
/* Who may be assigned in the caller's scope, with their organisation kind. */
json_t *fq_dispute_mediators(struct fq_ctx *c);
enum fq_err fq_dispute_mediator_profile(struct fq_ctx *c, int64_t user_id, const char *kind,
					const char *organisation);

/* Per-type checklists of the caller's station: {"items":[{id, type, seq,
 * text}]} (type NULL: every type). */
json_t *fq_dispute_checklists(struct fq_ctx *c, const char *type);
/* Replaces the station's checklist of a type (the chief's); n may be 0. */
enum fq_err fq_dispute_checklist_set(struct fq_ctx *c, const char *type,
				     const char *const *texts, size_t n);
/* Ticks (or unticks) an item of the dispute's own station and type. */
enum fq_err fq_dispute_check(struct fq_ctx *c, int64_t id, int64_t item_id, bool checked);

/* The days of a tier and of a risk level (settings), the tier owning a
 * risk level. */
int64_t fq_dispute_tier_days(const struct fq_ctx *c, const char *tier);
int64_t fq_dispute_risk_days(const struct fq_ctx *c, const char *risk);
const char *fq_dispute_risk_tier(const struct fq_ctx *c, const char *risk);

/* For the parts that extend the core (dispute_law.c …): the dispute when
 * the caller may see it (open: and not concluded; unit_write: and in the
 * caller's scope with dispute.write), and the rule that mediation needs two
 * parties and nobody refusing (what names the step in the message). */
enum fq_err fq_dispute_load(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row, bool open,
			    bool unit_write);
enum fq_err fq_dispute_ready(struct fq_ctx *c, int64_t id, const char *what);
/* A user of the dispute's station whose role is one of roles (and not
 * disabled); otherwise 422 naming field: code with why, other_station, or
 * not_found. */
enum fq_err fq_dispute_check_staff(struct fq_ctx *c, const struct fq_dispute_row *row,
				   int64_t user_id, const char *field, const char *const *roles,
				   const char *code, const char *why);

/* Module kit hooks: attachments (domain/attachment.h), the work queue
 * (domain/work.h), the overview (domain/overview.h). */
extern const struct fq_attach_owner fq_dispute_attach[];
enum fq_err fq_dispute_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);
extern const struct fq_overview_provider fq_dispute_overview;

#endif
