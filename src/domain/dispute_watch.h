/* The escalation watch (民转刑) and the disputes' figures (issue 11).
 *
 * Each dispute has a risk score with its reasons, computed from the
 * incidents of its parties or at its address in the last
 * dispute_watch_days, the threat words in its facts, those incidents'
 * narratives and its sessions' records, earlier disputes of the same parties
 * that ended failed, and its risk level; weights and threshold are settings
 * (docs/configuration.md). The score is stored (dispute_watch, migration
 * 018) and computed again on each write that may change it and by the
 * background sweep. Crossing the threshold tells the station's chiefs
 * (notification escalation_risk) and its outside channels (outbox event
 * dispute.escalation_risk), once per crossing.
 *
 * Every function fails with c->e set. */
#ifndef FQ_DISPUTE_WATCH_H
#define FQ_DISPUTE_WATCH_H

#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

/* Scores dispute id at now and stores it; on a crossing of the threshold by
 * an open dispute tells its station's chiefs and outbox. No permission
 * check: callers are the dispute's own writes (after theirs) and the sweep. */
enum fq_err fq_dispute_watch_score(struct fq_ctx *c, int64_t id, int64_t now);

/* The sweep (cli/sweep.c, every 30 s): scores again the open disputes of a
 * party or address of an incident changed at or after since, and a batch
 * of those never scored or scored more than an hour ago. *made (may be
 * NULL) gets how many crossed the threshold. */
enum fq_err fq_dispute_watch_sweep(struct fq_ctx *c, int64_t now, int64_t since, int *made);
#define FQ_DISPUTE_WATCH_BATCH 200

/* The watch list of the caller's scope (under org_id when not 0): open
 * disputes scored at least min_score (< 0: the threshold), highest first,
 * at most limit: {"threshold", "items":[{…, score, reasons:[…]}]}. */
json_t *fq_dispute_watch_list(struct fq_ctx *c, int64_t org_id, int64_t min_score,
			      int64_t limit);

/* The figures of [from_ms, to_ms) in the caller's scope (under org_id when
 * not 0), by "type", "tier", "mediator" or "grid": {"by", "from", "to",
 * "total":{…}, "rows":[{key, label, registered, concluded, agreed,
 * success_rate, performance_rate, amount_fen, avg_days, link}],
 * "prevented":{"cases", "persons"}}. from_day/to_day (YYYYMMDD) name the
 * period in the links. */
json_t *fq_dispute_figures(struct fq_ctx *c, const char *by, int64_t org_id, int64_t from_ms,
			   int64_t to_ms, int64_t from_day, int64_t to_day);
extern const char *const fq_dispute_figures_by[]; /* type tier mediator grid */

struct fq_overview;
/* The station overview's part (called by the disputes' provider,
 * domain/dispute_work.c): cards "watch" (open disputes at or above the
 * threshold, linking to the watch list) and "prevented" (escalations
 * prevented in the period, persons in detail), and the bar chart
 * "success_by_type" (success rate of the period by type). */
enum fq_err fq_dispute_watch_overview(struct fq_overview *o);

#endif
