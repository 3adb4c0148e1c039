/* The law of mediation (DOMAIN §7, issue 11 "The law, enforced"): the
 * procedure a dispute is mediated under and its rules.
 *
 * People's mediation (人民调解, the default): a party's clear refusal stops
 * it (the core's consent rule; concluding then records basis "refused"); a
 * target of dispute_people_days (30) calendar days from acceptance, extended
 * only with the recorded consent of every applicant and respondent; the
 * "may turn criminal" flag tells the station's chiefs and outside channels.
 *
 * Police mediation (治安调解, 《公安机关治安调解工作规范》 arts. 3, 4, 9 and
 * 《公安机关办理行政案件程序规定》 on mediation): only for the eligible minor
 * offences, never with an exclusion; both sides consent; a party under 18 on
 * the session's day has a guardian present; at most two sessions, the first
 * within 3 working days of acceptance (or of the assessment, when later),
 * the second within 7 working days of the first; a police officer presides
 * and signs the record; failure, refusal or breach hands the case to the
 * penalty procedure.
 *
 * Every refusal is FQ_ERR_CONFLICT (409) or FQ_ERR_INVALID (422) with a
 * code naming the rule and the field. Visibility is the core's
 * (fq_dispute_load): what the caller may not see is FQ_ERR_NOT_FOUND. */
#ifndef FQ_DISPUTE_LAW_H
#define FQ_DISPUTE_LAW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_dispute_row;          /* store/dispute_store.h */
struct fq_dispute_session_in;   /* domain/dispute.h */
struct fq_work_list;            /* domain/work.h */
typedef struct json_t json_t;

extern const char *const fq_dispute_procedures[];       /* people police */
/* 规范 art. 3 and 程序规定: beating, intentional minor injury, insult,
 * defamation, false accusation, damaging property, disturbing others' life,
 * invading privacy, unlawful entry into a home. */
extern const char *const fq_dispute_police_offences[];
/* 规范 art. 4 and 程序规定: hired violence, gang fight, provocation, repeat
 * offences, new trouble during mediation, absconding, a party's refusal. */
extern const char *const fq_dispute_police_exclusions[];
/* failed refused breach new_trouble absconded */
extern const char *const fq_dispute_penalty_reasons[];

#define FQ_POLICE_MAX_SESSIONS 2
#define FQ_POLICE_FIRST_DAYS 3  /* working days after acceptance or assessment */
#define FQ_POLICE_SECOND_DAYS 7 /* working days after the first session */
#define FQ_ADULT_AGE 18
#define FQ_EXTENSION_MAX_DAYS 30 /* one extension moves the target at most this far */
#define FQ_MAX_GUARDIANS 10

struct fq_dispute_procedure_in {
	const char *procedure;       /* people, police */
	int64_t accepted_at;         /* 0: when the dispute was registered */
	const char *offence;         /* police */
	int64_t assessed_at;         /* 0: none */
	int64_t presiding_user_id;   /* police */
	/* police: each exclusion confirmed (given) and its answer (true: applies) */
	bool exclusion_given[8], exclusion_applies[8];
};

/* Chooses the procedure (and its facts) while no session has been held.
 * Police mediation is the unit's choice (dispute.write in scope). */
enum fq_err fq_dispute_procedure_set(struct fq_ctx *c, int64_t id,
				     const struct fq_dispute_procedure_in *in);
/* {procedure, accepted_at, …, rules:[codes], due:{…}, sessions:[…],
 * missing:[{code, person_id?}], extensions:[…], penalty…, actions}. */
json_t *fq_dispute_procedure_get(struct fq_ctx *c, int64_t id);

/* A police-mediation session's own facts (dispute.h's session_in.law). */
struct fq_dispute_guardian {
	int64_t person_id; /* the party under 18 */
	const char *name, *relation;
};
struct fq_dispute_law_session {
	int64_t presiding_user_id;
	const struct fq_dispute_guardian *guardians;
	int nguardians;
};

/* Called by fq_dispute_session_create before the insert: the police rules
 * for a new session (row is the dispute, loaded and open). FQ_OK for
 * people's mediation. */
enum fq_err fq_dispute_law_session_check(struct fq_ctx *c, const struct fq_dispute_row *row,
					 const struct fq_dispute_session_in *in);
/* … and after it: stores the presiding officer and guardians. */
enum fq_err fq_dispute_law_session_record(struct fq_ctx *c, int64_t id, int64_t sid,
					  const struct fq_dispute_session_in *in);
/* Called by fq_dispute_session_update when starts_at moves: the new day
 * must still keep the deadline of that session. */
enum fq_err fq_dispute_law_session_moved(struct fq_ctx *c, const struct fq_dispute_row *row,
					 int64_t sid, int64_t starts_at);
/* Called by fq_dispute_conclude after concluding: records basis "refused"
 * when a party had refused. */
enum fq_err fq_dispute_law_concluded(struct fq_ctx *c, int64_t id);

/* The presiding officer signs a held session's record. */
enum fq_err fq_dispute_law_sign(struct fq_ctx *c, int64_t id, int64_t sid);
/* People's mediation: moves the target to to_day (YYYYMMDD) with the
 * consent of every applicant and respondent (consent_at[k] of person_ids[k]). */
enum fq_err fq_dispute_law_extend(struct fq_ctx *c, int64_t id, int64_t to_day,
				  const char *reason, const int64_t *person_ids,
				  const int64_t *consent_at, int n);
/* Flags that the dispute may turn into a public-order or criminal case:
 * notifies the chiefs over its station (kind dispute_may_turn_criminal) and
 * queues outbox event dispute.may_turn_criminal, in the caller's transaction. */
enum fq_err fq_dispute_law_flag(struct fq_ctx *c, int64_t id, const char *reason);
/* Police mediation: hands the case to the penalty procedure (reason from
 * fq_dispute_penalty_reasons); concludes an open dispute as failed and adds
 * a step "to_penalty" to its incident. */
enum fq_err fq_dispute_law_penalty(struct fq_ctx *c, int64_t id, const char *reason,
				   const char *note);

/* Work provider: the police mediations the caller presides, with the next
 * session's due day (kind dispute_police_session). */
enum fq_err fq_dispute_law_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

#endif
