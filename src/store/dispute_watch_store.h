/* The SQL of the escalation watch (民转刑) and of the disputes' figures
 * (migration 018). No rules here: domain/dispute_watch.c decides. */
#ifndef FQ_DISPUTE_WATCH_STORE_H
#define FQ_DISPUTE_WATCH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* Incidents received at or after since of a party of dispute id (a person
 * linked to the incident) or at its address, its own source incident left
 * out: *n of them. */
enum fq_err fq_store_watch_incidents(struct fq_db *db, int64_t id, int64_t since, int64_t *n);
/* The texts the threat words are looked for in, at most limit: the
 * dispute's facts, the narratives of those incidents (and of its source
 * incident) and its sessions' record parts: [{"text"}]. */
json_t *fq_store_watch_texts(struct fq_db *db, int64_t id, int64_t since, int64_t limit,
			     enum fq_err *err);
/* Other disputes of the same parties that ended failed: *n. */
enum fq_err fq_store_watch_breaches(struct fq_db *db, int64_t id, int64_t *n);
/* Agreements in effect found breached at a follow-up visit: this dispute's own
 * and those of other disputes of the same parties. */
enum fq_err fq_store_watch_agreement_breaches(struct fq_db *db, int64_t id, int64_t *n);

/* The stored score's crossing times (0: none); *found false: never scored. */
enum fq_err fq_store_watch_state(struct fq_db *db, int64_t id, bool *found,
				 int64_t *above_since, int64_t *first_above);
/* Writes the score of dispute id (reasons: JSON text). */
enum fq_err fq_store_watch_put(struct fq_db *db, int64_t id, int64_t score, const char *reasons,
			       int64_t now, int64_t above_since, int64_t first_above);
/* Open disputes in [lo, hi) (and under org_id's unit when not 0) scored at
 * least min_score, highest first, then newest: [{id, number, type, tier,
 * risk, status, org_id, org_name, created_at, score, reasons (text),
 * computed_at, above_threshold_since}]. */
json_t *fq_store_watch_list(struct fq_db *db, const char *lo, const char *hi, int64_t org_id,
			    int64_t min_score, int64_t limit, enum fq_err *err);
/* Open disputes in [lo, hi) at or above the threshold now (crossed and not
 * back below): *n. */
enum fq_err fq_store_watch_count(struct fq_db *db, const char *lo, const char *hi, int64_t *n);
/* Ids of open disputes to score again: those of a party or address of an
 * incident changed at or after since, then those never scored or scored
 * before stale (oldest first), limit each: [{id}]. */
json_t *fq_store_watch_due(struct fq_db *db, int64_t since, int64_t stale, int64_t limit,
			   enum fq_err *err);

/* ---- figures ---- */
enum fq_dispute_figures_by {
	FQ_FIGURES_TYPE,
	FQ_FIGURES_TIER,
	FQ_FIGURES_MEDIATOR,
	FQ_FIGURES_GRID,
	FQ_FIGURES_ALL
};
/* Disputes in [lo, hi) (and under org_id when not 0) registered or
 * concluded in [from, to), grouped: [{key (text), label, registered,
 * amount_fen (sum over those registered), concluded, agreed, days_ms (sum
 * of created → concluded over those concluded)}], by key. By mediator a
 * dispute counts for each user ever assigned to it. */
json_t *fq_store_dispute_figures(struct fq_db *db, const char *lo, const char *hi,
				 int64_t org_id, enum fq_dispute_figures_by by, int64_t from,
				 int64_t to, enum fq_err *err);
/* Escalations prevented in [from, to) (docs/internals.md "Escalation
 * watch"): disputes once at or above the threshold, concluded agreed in the
 * period or whose quiet span (quiet_ms after the first crossing, ended by
 * now) ends in it, with no case-type incident of a party since that
 * crossing: *cases, and *persons their distinct parties. */
enum fq_err fq_store_watch_prevented(struct fq_db *db, const char *lo, const char *hi,
				     int64_t org_id, int64_t from, int64_t to, int64_t quiet_ms,
				     int64_t now, int64_t *cases, int64_t *persons);

#endif
