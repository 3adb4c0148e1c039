/* The SQL of disputes (矛盾纠纷): the dispute, its parties, risk history,
 * hand-offs of the ladder, mediators and sessions (migration 014). No rules
 * here: domain/dispute.c checks them. Lists come as JSON rows; times in
 * columns named *_at come out as ISO 8601 text, those named *_t as ms. */
#ifndef FQ_DISPUTE_STORE_H
#define FQ_DISPUTE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* What the rules need of one dispute. */
struct fq_dispute_row {
	int64_t id, station_id, org_id, created_by, tier_since, tier_due_at, risk_due_at;
	char org_path[256];
	char number[64];
	char status[16];
	char tier[16];
	char risk[8];
	char type[32];
};

/* FQ_ERR_NOT_FOUND when there is no such dispute. */
enum fq_err fq_store_dispute_row(struct fq_db *db, int64_t id, struct fq_dispute_row *out);

/* A new dispute (status registered); *id its id. */
struct fq_store_dispute_new {
	const char *number, *tracking_code, *source, *referral_body, *type, *facts, *claims;
	const char *risk, *tier, *address_text, *org_path, *category;
	int64_t type_version, amount_fen; /* amount_fen < 0: none */
	int64_t station_id, org_id, address_id, incident_id, by, now, tier_due_at, risk_due_at;
};
enum fq_err fq_store_dispute_insert(struct fq_db *db, const struct fq_store_dispute_new *n,
				    int64_t *id);
/* 1 when a dispute has the tracking code, 0 when not, < 0: -error. */
int fq_store_dispute_code_taken(struct fq_db *db, const char *code);
/* Changes facts, claims, amount (< -1: unchanged, -1: none), type (with its
 * dictionary version), address text; NULL: unchanged. */
enum fq_err fq_store_dispute_update(struct fq_db *db, int64_t id, const char *facts,
				    const char *claims, int64_t amount_fen, const char *type,
				    int64_t type_version, const char *address_text, int64_t now);
enum fq_err fq_store_dispute_status(struct fq_db *db, int64_t id, const char *status,
				    int64_t now);

/* ---- parties ---- */
enum fq_err fq_store_dispute_party_add(struct fq_db *db, int64_t id, int64_t person_id,
				       const char *role, const char *consent, int64_t now);
/* role, consent: NULL unchanged. FQ_ERR_NOT_FOUND: not a party. */
enum fq_err fq_store_dispute_party_set(struct fq_db *db, int64_t id, int64_t person_id,
				       const char *role, const char *consent, int64_t now);
/* Counts of parties: all, applicants, respondents, refused consent. */
enum fq_err fq_store_dispute_party_counts(struct fq_db *db, int64_t id, int64_t *all,
					  int64_t *applicants, int64_t *respondents,
					  int64_t *refused);
/* 1 when person_id is a party, 0 when not, < 0: -error. */
int fq_store_dispute_party_is(struct fq_db *db, int64_t id, int64_t person_id);
/* [{person_id, name, role, consent, consent_at, phone (masked), id_number
 * (masked), sex, birth_date}] in the order added. */
json_t *fq_store_dispute_parties(struct fq_db *db, int64_t id, enum fq_err *err);
/* The incident's parties that become the dispute's, with their roles. */
enum fq_err fq_store_dispute_parties_from_incident(struct fq_db *db, int64_t id,
						   int64_t incident_id, int64_t now);
/* The person's org path (scope); FQ_ERR_NOT_FOUND: no such person. */
enum fq_err fq_store_person_path(struct fq_db *db, int64_t person_id, char *out, size_t size);

/* ---- risk, ladder ---- */
enum fq_err fq_store_dispute_risk_set(struct fq_db *db, int64_t id, const char *from,
				      const char *to, const char *reason, int64_t by,
				      int64_t now, int64_t due_at);
json_t *fq_store_dispute_risks(struct fq_db *db, int64_t id, enum fq_err *err);
enum fq_err fq_store_dispute_handoff(struct fq_db *db, int64_t id, const char *from,
				     const char *to, const char *reason, int64_t by, int64_t now,
				     int64_t due_at);
json_t *fq_store_dispute_handoffs(struct fq_db *db, int64_t id, enum fq_err *err);

/* ---- mediators ---- */
/* The user as a mediator candidate: role, org path, disabled. */
struct fq_store_mediator_user {
	char role[32];
	char org_path[256];
	bool disabled;
};
enum fq_err fq_store_mediator_user(struct fq_db *db, int64_t user_id,
				   struct fq_store_mediator_user *out);
/* 1 when user_id is an active mediator of the dispute, 0 not, < 0 -error. */
int fq_store_dispute_mediator_is(struct fq_db *db, int64_t id, int64_t user_id);
enum fq_err fq_store_dispute_mediator_assign(struct fq_db *db, int64_t id, int64_t user_id,
					     int64_t by, int64_t now);
/* Ends the active assignment of user_id; FQ_ERR_NOT_FOUND: none. */
enum fq_err fq_store_dispute_mediator_release(struct fq_db *db, int64_t id, int64_t user_id,
					      int64_t by, int64_t now, const char *reason,
					      int64_t requested_by_person);
/* [{id, user_id, name, kind, organisation, assigned_at, assigned_by_name,
 * released_at, release_reason, requested_by_person, requested_by_name}]. */
json_t *fq_store_dispute_mediators(struct fq_db *db, int64_t id, enum fq_err *err);
/* Users who may mediate (roles mediator, officer, aux, chief, not disabled)
 * in [lo, hi), by name: [{id, username, display_name, role, org_name, kind,
 * organisation, open_count}]. */
json_t *fq_store_mediator_list(struct fq_db *db, const char *lo, const char *hi,
			       enum fq_err *err);
enum fq_err fq_store_mediator_profile_set(struct fq_db *db, int64_t user_id, const char *kind,
					  const char *organisation, int64_t now);

/* ---- sessions ---- */
struct fq_store_session {
	int64_t starts_at;
	const char *place, *attendees, *accounts, *summary, *discussion, *result;
};
enum fq_err fq_store_dispute_session_insert(struct fq_db *db, int64_t id,
					    const struct fq_store_session *s, int64_t by,
					    int64_t now, int64_t *sid);
/* All fields are written (the domain merged the old ones in). */
enum fq_err fq_store_dispute_session_update(struct fq_db *db, int64_t id, int64_t sid,
					    const struct fq_store_session *s, int64_t now);
enum fq_err fq_store_dispute_session_delete(struct fq_db *db, int64_t id, int64_t sid);
/* One session of the dispute as a JSON row; NULL with FQ_ERR_NOT_FOUND. */
json_t *fq_store_dispute_session(struct fq_db *db, int64_t id, int64_t sid, enum fq_err *err);
json_t *fq_store_dispute_sessions(struct fq_db *db, int64_t id, enum fq_err *err);

/* ---- conclude, read ---- */
enum fq_err fq_store_dispute_conclude(struct fq_db *db, int64_t id, const char *outcome,
				      const char *reason, int64_t by, int64_t now);
/* The dispute's own fields with names of its unit, station, creator and
 * incident. */
json_t *fq_store_dispute_json(struct fq_db *db, int64_t id, enum fq_err *err);

/* The list's filters (NULL / 0: not given). */
struct fq_dispute_filter {
	const char *status; /* registered, mediating, closed, or "open" (not closed) */
	const char *type, *tier, *risk, *outcome;
	bool overdue;       /* open and past the tier's or the risk's deadline at now */
	int64_t mediator;   /* an active mediator's user id */
	int64_t org_id;     /* the unit and below (its path is looked up) */
	int64_t from_ms, to_ms; /* created in [from, to) */
	bool concluded_period;  /* the period is of concluding, not of registering */
	int64_t now;
};
/* Newest first, below the cursor id after (0: none), per_page + 1 rows.
 * Scope: rows in [lo, hi), or (when also_assigned) those user_id mediates;
 * lo NULL: only those user_id mediates. */
json_t *fq_store_dispute_list(struct fq_db *db, const struct fq_dispute_filter *f,
			      const char *lo, const char *hi, int64_t user_id,
			      int64_t offset, int64_t limit, int64_t after, enum fq_err *err);

/* ---- the work queue, the overview ---- */
/* Open disputes user_id mediates: [{id, number, type, tier, risk, status,
 * since_t (assigned), due_t (the tier's deadline)}]. */
json_t *fq_store_dispute_work_mine(struct fq_db *db, int64_t user_id, int64_t limit,
				   enum fq_err *err);
/* Sessions not yet recorded of the open disputes user_id mediates, starting
 * in [from, to): [{id (dispute), session_id, number, place, starts_t}]. */
json_t *fq_store_dispute_work_sessions(struct fq_db *db, int64_t user_id, int64_t from,
				       int64_t to, int64_t limit, enum fq_err *err);
/* Open disputes in [lo, hi) whose tier deadline falls before `before` and
 * which (created_by = user_id at tier onsite, when user_id) or (no active
 * mediator, when user_id is 0): [{id, number, type, tier, risk, since_t,
 * due_t}]. */
json_t *fq_store_dispute_work_due(struct fq_db *db, const char *lo, const char *hi,
				  int64_t user_id, int64_t before, int64_t limit,
				  enum fq_err *err);
/* Counts in [lo, hi): open, open and overdue at now, registered in [from,
 * to), concluded in [from, to) and of those agreed. */
struct fq_dispute_counts {
	int64_t open, overdue, registered, concluded, agreed;
};
enum fq_err fq_store_dispute_counts(struct fq_db *db, const char *lo, const char *hi,
				    int64_t now, int64_t from, int64_t to,
				    struct fq_dispute_counts *out);
/* The overview's long poll (domain/overview_live.h): folds into *h the
 * disputes of [lo, hi) written at or after since; mine: the disputes user
 * mediates and their sessions. */
enum fq_err fq_store_dispute_stamp(struct fq_db *db, const char *lo, const char *hi,
				   int64_t since, uint64_t *h);
enum fq_err fq_store_dispute_stamp_mine(struct fq_db *db, int64_t user_id, uint64_t *h);
/* The caller's: open disputes mediated, sessions in [from, to). */
enum fq_err fq_store_dispute_counts_mine(struct fq_db *db, int64_t user_id, int64_t from,
					 int64_t to, int64_t *open, int64_t *sessions);

/* ---- checklists ---- */
/* The active items of a station, by type and order: [{id, type, seq, text}];
 * type NULL: every type. */
json_t *fq_store_checklist_items(struct fq_db *db, int64_t station_id, const char *type,
				 enum fq_err *err);
/* Replaces the station's list of a type: the old items become inactive. */
enum fq_err fq_store_checklist_replace(struct fq_db *db, int64_t station_id, const char *type,
				       const char *const *texts, size_t n, int64_t by, int64_t now);
/* 1 when item_id is an active item of the station and type, 0 not, < 0 -error. */
int fq_store_checklist_item_is(struct fq_db *db, int64_t item_id, int64_t station_id,
			       const char *type);
enum fq_err fq_store_dispute_check(struct fq_db *db, int64_t id, int64_t item_id, bool checked,
				   int64_t by, int64_t now);
/* The dispute's checklist: the active items of its station and type, and any
 * item ticked on it: [{item_id, text, active, checked, checked_by_name,
 * checked_at}]. */
json_t *fq_store_dispute_checklist(struct fq_db *db, int64_t id, int64_t station_id,
				   const char *type, enum fq_err *err);

/* ---- the demo ---- */
/* Ids of up to limit persons in [lo, hi), oldest first: [{id}]. */
json_t *fq_store_dispute_demo_persons(struct fq_db *db, const char *lo, const char *hi,
				      int64_t limit, enum fq_err *err);
/* The incidents of [lo, hi) closed as referred to mediation and not yet
 * converted, oldest first: [{id}]. */
json_t *fq_store_dispute_demo_incidents(struct fq_db *db, const char *lo, const char *hi,
					enum fq_err *err);

#endif
