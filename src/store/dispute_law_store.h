/* The SQL of the law of mediation (domain/dispute_law.c; tables
 * dispute_procedures, dispute_extensions, dispute_session_law of migration
 * 017). Errors are returned, never set on a context. */
#ifndef FQ_DISPUTE_LAW_STORE_H
#define FQ_DISPUTE_LAW_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* A dispute's procedure as stored; 0 and "" for what is not set. */
struct fq_dispute_law_row {
	char procedure[16];
	char offence[32];
	char exclusions_checked[256];
	char penalty_reason[16];
	char concluded_basis[16];
	int64_t accepted_at, assessed_at, presiding_user, target_day;
	int64_t criminal_risk_at, penalty_at;
};

/* FQ_ERR_NOT_FOUND when the dispute has no row (people's mediation). */
enum fq_err fq_store_dispute_law_row(struct fq_db *db, int64_t id, struct fq_dispute_law_row *out);
/* When the dispute was registered (the acceptance of people's mediation
 * when no procedure was chosen) and how many sessions it has. */
enum fq_err fq_store_dispute_law_basics(struct fq_db *db, int64_t id, int64_t *created_at,
					int64_t *sessions);
/* Writes the procedure fields of row (procedure, accepted_at, offence,
 * assessed_at, presiding_user, exclusions_checked, target_day), creating the
 * row when there is none. */
enum fq_err fq_store_dispute_law_put(struct fq_db *db, int64_t id,
				     const struct fq_dispute_law_row *row, int64_t by, int64_t now);
/* The row as JSON with the names of the presiding officer and of who
 * flagged and handed on; FQ_ERR_NOT_FOUND: none. */
json_t *fq_store_dispute_law_json(struct fq_db *db, int64_t id, enum fq_err *err);

/* The dispute's sessions in order with their law rows: [{id, starts_t,
 * result, presiding_user, presiding_name, guardians (text), signed_by,
 * signed_name, signed_at}]. */
json_t *fq_store_dispute_law_sessions(struct fq_db *db, int64_t id, enum fq_err *err);
enum fq_err fq_store_dispute_law_session_insert(struct fq_db *db, int64_t sid, int64_t id,
						int64_t presiding, const char *guardians);
/* *changes 0: the session has no law row or is signed already. */
enum fq_err fq_store_dispute_law_sign(struct fq_db *db, int64_t sid, int64_t by, int64_t now,
				      int64_t *changes);

enum fq_err fq_store_dispute_law_extend(struct fq_db *db, int64_t id, int64_t from_day,
					int64_t to_day, const char *reason, const char *consents,
					int64_t by, int64_t now);
json_t *fq_store_dispute_law_extensions(struct fq_db *db, int64_t id, enum fq_err *err);

/* Sets the "may turn criminal" flag once: *changes 0 when it was set. */
enum fq_err fq_store_dispute_law_flag(struct fq_db *db, int64_t id, const char *reason,
				      int64_t by, int64_t now, int64_t *changes);
/* Records the hand-off to the penalty procedure once: *changes 0 when it
 * was recorded already. */
enum fq_err fq_store_dispute_law_penalty(struct fq_db *db, int64_t id, const char *reason,
					 const char *note, int64_t by, int64_t now,
					 int64_t *changes);
enum fq_err fq_store_dispute_law_basis(struct fq_db *db, int64_t id, const char *basis);

/* The dispute's incident and its status: *incident_id 0 when none. */
enum fq_err fq_store_dispute_law_incident(struct fq_db *db, int64_t id, int64_t *incident_id,
					  char status[32]);

/* The open police procedures user presides, not handed on: [{id, number,
 * accepted_t, assessed_t, sessions, first_t}], at most limit. */
json_t *fq_store_dispute_law_work(struct fq_db *db, int64_t user_id, int64_t limit,
				  enum fq_err *err);

#endif
