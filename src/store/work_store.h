/* SQL of the work queue (我的待办) and of notifications: what each module's
 * work provider reads (domain/work.h), the notifications table (domain/
 * notify.h) and the sweep's candidates. Each query is one index walk
 * (migration 011_work.sql). Times in rows come as milliseconds in columns
 * named *_t (not *_at, which the JSON rows turn into text). */
#ifndef FQ_WORK_STORE_H
#define FQ_WORK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* ---- incidents ---- */

/* Open incidents user_id is dispatched to and not released from, newest
 * dispatch first: [{id, number, category, address_text, status, emergency,
 * since_t (dispatched), arrived_t (0: not yet), target_minutes (0: none)}]. */
json_t *fq_store_work_dispatched(struct fq_db *db, int64_t user_id, int64_t limit,
				 enum fq_err *err);
/* Open incidents of local day `day` (received that day or carried over to
 * it) in [lo, hi) that user_id is not dispatched to, oldest first: the same
 * columns (since_t received, arrived_t the first arrival) plus dispatched_t. */
json_t *fq_store_work_open_day(struct fq_db *db, const char *lo, const char *hi, int64_t day,
			       int64_t user_id, int64_t limit, enum fq_err *err);
/* Incidents user_id closed at or after since with no follow-up call yet,
 * oldest first: [{id, number, category, address_text, since_t (closed)}]. */
json_t *fq_store_work_followups(struct fq_db *db, int64_t user_id, int64_t since, int64_t limit,
				enum fq_err *err);

/* ---- duty ---- */

/* The shifts running at now that user_id leads: [{id, name, org_path,
 * start_t, end_t}]. */
json_t *fq_store_work_leading(struct fq_db *db, int64_t user_id, int64_t now, enum fq_err *err);
/* Shifts not yet ended at now waiting for a chief's approval in [lo, hi),
 * soonest first: [{id, name, station_name, since_t (updated), start_t,
 * end_t}]. */
json_t *fq_store_work_pending_shifts(struct fq_db *db, const char *lo, const char *hi,
				     int64_t now, int64_t limit, enum fq_err *err);
/* Handovers waiting for user_id's signature (open: the outgoing leader;
 * outgoing_signed: the incoming one): [{id, status, since_t, handover_t,
 * from_name, to_name, station_name}]. */
json_t *fq_store_work_handovers(struct fq_db *db, int64_t user_id, int64_t limit,
				enum fq_err *err);
/* Marks the shift waiting for approval ("pending") or not (NULL). */
enum fq_err fq_store_shift_set_approval(struct fq_db *db, int64_t id, const char *approval);
/* A chief approves a pending shift: the override fields as if saved by them;
 * *changed 0 when it was not pending. */
enum fq_err fq_store_shift_approve(struct fq_db *db, int64_t id, const char *reason, int64_t by,
				   int64_t now, int64_t *changed);
/* Active users of role whose unit is at or above path: [{id}]. */
json_t *fq_store_work_users_above(struct fq_db *db, const char *role, const char *path,
				  enum fq_err *err);

/* ---- notifications ---- */

/* Adds one unless user_id has one with dedup already; *id the new row's, 0
 * when it existed. params: JSON object text. */
enum fq_err fq_store_notify_insert(struct fq_db *db, int64_t user_id, const char *kind,
				   const char *object_type, int64_t object_id, const char *params,
				   const char *dedup, int64_t now, int64_t *id);
/* user_id's notifications, unread first, each part newest first; below
 * (a cursor: see notify.c) and limit page them: [{id, kind, object_type,
 * object_id, params, created_at, read_at}]. unread: true for the unread
 * part (below an id of it), false for the read part. */
json_t *fq_store_notify_list(struct fq_db *db, int64_t user_id, bool unread, int64_t below,
			     int64_t limit, enum fq_err *err);
/* The number of unread and the newest id of user_id's notifications. */
enum fq_err fq_store_notify_counts(struct fq_db *db, int64_t user_id, int64_t *unread,
				   int64_t *newest);
/* {id, kind, object_type, object_id, read_at} of user_id's notification id;
 * NULL with FQ_ERR_NOT_FOUND when it is not theirs. */
json_t *fq_store_notify_get(struct fq_db *db, int64_t user_id, int64_t id, enum fq_err *err);
/* Marks one (id > 0) or all of user_id's unread notifications read at now;
 * *changed how many. */
enum fq_err fq_store_notify_read(struct fq_db *db, int64_t user_id, int64_t id, int64_t now,
				 int64_t *changed);

/* The sweep's candidates. Responders dispatched after since, not on scene
 * nor released, whose arrival target passed at now, on open incidents:
 * [{incident_id, user_id, number, station_id, address_text, dispatched_t,
 * due_t, untold}] (untold: the outbox was not told of the incident yet). */
json_t *fq_store_notify_late_arrivals(struct fq_db *db, int64_t since, int64_t now, int64_t limit,
				      enum fq_err *err);
/* Marks the incident's lateness told to the outbox at now; *first: this call
 * marked it (false: told before, by this server or another). */
enum fq_err fq_store_incident_overdue_told(struct fq_db *db, int64_t incident_id, int64_t now,
					   bool *first);
/* Positions of shifts starting in (now, now + ahead]: [{shift_id, user_id,
 * name, start_t}]. */
json_t *fq_store_notify_shifts_soon(struct fq_db *db, int64_t now, int64_t ahead, int64_t limit,
				    enum fq_err *err);

#endif
