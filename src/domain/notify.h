/* In-app notifications: told to one user, seen only by them. fq_notify is
 * the one place every notification passes through (the outbox of external
 * delivery hooks in here); it writes in the caller's transaction, so a
 * notification exists exactly when the change that caused it committed. */
#ifndef FQ_NOTIFY_H
#define FQ_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

/* The kinds, in the order of the OpenAPI enum: dispatched, arrival_overdue,
 * shift_approval, handover_sign, shift_soon. */
extern const char *const fq_notify_kinds[];

/* Tells user_id of kind about the record (object_type "incident", "shift",
 * "handover"; object_id), with params (a JSON object naming it: number,
 * name …; stolen, NULL = {}). dedup identifies the event: a second call with
 * the same user and dedup adds nothing (FQ_OK), so the sweep and retries may
 * repeat. The caller's own actions do not notify them (user_id ==
 * c->who->user_id adds nothing). Store errors fail c->e. */
enum fq_err fq_notify(struct fq_ctx *c, int64_t user_id, const char *kind,
		      const char *object_type, int64_t object_id, json_t *params,
		      const char *dedup);

/* fq_notify as of now, for a sweep: *made gets 1 when the notification is
 * new, 0 when the user had it already (or it was the caller's own). */
enum fq_err fq_notify_at(struct fq_ctx *c, int64_t now, int64_t user_id, const char *kind,
			 const char *object_type, int64_t object_id, json_t *params,
			 const char *dedup, int *made);

/* The time-driven notifications at now: a responder whose arrival target
 * passed (arrival_overdue, dispatched in the last 24 hours) and a shift that
 * starts within FQ_NOTIFY_SHIFT_AHEAD_MS (shift_soon), then each module's
 * `sweep` (api/module.h). Idempotent: each is
 * keyed by its record and user, so running it again, or on several servers,
 * adds nothing twice. *made (may be NULL) gets how many it added. Runs in
 * c's write transaction; c->who may be NULL (the server itself). */
enum fq_err fq_notify_sweep(struct fq_ctx *c, int64_t now, int *made);
#define FQ_NOTIFY_SHIFT_AHEAD_MS (30 * 60 * 1000)
#define FQ_NOTIFY_SWEEP_BATCH 500

/* The caller's notifications, unread first, newest first within each:
 * {"items":[…], "unread", "next_cursor"}; cursor NULL for the first page. */
json_t *fq_notify_list(struct fq_ctx *c, const char *cursor, int64_t limit);
/* {"unread", "version"}: version changes with every new or read one. */
json_t *fq_notify_status(struct fq_ctx *c, const char *version, bool *changed);
/* Marks the caller's notification id read (404 when it is not theirs; a
 * second time changes nothing) and returns it with its link; id 0 marks all
 * of them read: {"marked": n}. */
json_t *fq_notify_read(struct fq_ctx *c, int64_t id);

#endif
