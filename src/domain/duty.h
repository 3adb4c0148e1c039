/* Duty (勤务, DOMAIN §5): shifts with positions filled by a station's staff
 * against a template ("1+3+2": 1 call-taker, 3 responders, 2 patrollers); a
 * shift below its template is refused unless a chief (duty.override) accepts
 * it with a reason; nobody holds positions in two overlapping shifts.
 * Handovers (交接班) with the open incidents and disputes filled in by the
 * system, an equipment checklist and both leaders' signatures. The posture
 * per hour (peak: post 站岗; off-peak: line patrol 巡线). Patrols are in
 * patrol.h.
 *
 * Scope: a record belongs to a unit (a station, or any unit below) and is
 * seen by callers whose subtree holds it; a shift is also seen by those who
 * hold a position in it, a handover by its two leaders. Out of scope is
 * FQ_ERR_NOT_FOUND. Every function returning json_t * returns a new
 * reference, or NULL with c->e set. */
#ifndef FQ_DUTY_H
#define FQ_DUTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

/* NULL-terminated choices. */
extern const char *const fq_duty_positions[];     /* call_taker, responder, patroller */
extern const char *const fq_duty_posture_modes[]; /* post, line_patrol */
extern const char *const fq_duty_equipment_statuses[]; /* ok, missing, damaged */
extern const char *const fq_handover_statuses[];  /* open, outgoing_signed, locked */

#define FQ_SHIFT_MAX_POSITIONS 40
#define FQ_SHIFT_MAX_HOURS 48
#define FQ_DUTY_MAX_NEED 20
#define FQ_HANDOVER_MAX_ITEMS 50
#define FQ_HANDOVER_MAX_OPEN 500 /* open incidents (and disputes) in a snapshot */
#define FQ_DUTY_MAX_DAYS 62      /* days in one list of shifts */

/* Whether user_id holds a position on a shift of the station running at `now`. */
enum fq_err fq_duty_on_shift(struct fq_ctx *c, int64_t user_id, int64_t now, bool *on);
/* Staff on the current shift(s) of the station: [{user_id, display_name, role,
 * position, shift_id}], NULL on error (c->e set). Shifts of the units below
 * the station count; the caller's scope is not checked (the caller has
 * checked the station). */
json_t *fq_duty_current_staff(struct fq_ctx *c, int64_t station_id, int64_t now);

/* ---- local time (the setting utc_offset_minutes; core/time.c computes) ---- */

/* YYYYMMDD and hour (0–23) of ms in the station's local time. */
int64_t fq_duty_local_day(const struct fq_ctx *c, int64_t ms);
int fq_duty_local_hour(const struct fq_ctx *c, int64_t ms);
/* Local midnight of day (YYYYMMDD) in ms; false when day is not a date from
 * 1970-01-01. */
bool fq_duty_day_start(const struct fq_ctx *c, int64_t day, int64_t *ms);

/* The unit a duty request is about: station_id when given (it must be in the
 * caller's scope; for a read, a unit above the caller's own will do), else
 * the caller's station (else their own unit). *path may be NULL. field names
 * the input. */
enum fq_err fq_duty_unit(struct fq_ctx *c, int64_t station_id, bool write, const char *field,
			 int64_t *id, const char **path);
/* Checks that user_id is an active officer, aux or chief (roles: a
 * space-separated list to narrow it) of the subtree at path; field names the
 * input. */
/* Reads the keyset of the row a list's cursor names (after > 0; key is the
 * store's reader, e.g. fq_store_handover_key) into *below, zeroed when after
 * is 0; a cursor that names no row is 422 bad_cursor on cursor. */
struct fq_db;
struct fq_store_keyset;
enum fq_err fq_duty_cursor(struct fq_ctx *c,
			   enum fq_err (*key)(struct fq_db *db, int64_t id, struct fq_store_keyset *out),
			   int64_t after, struct fq_store_keyset *below);
enum fq_err fq_duty_check_staff(struct fq_ctx *c, int64_t user_id, const char *path,
				const char *roles, const char *field);

/* Staff who may hold positions in the unit's shifts (0 = the caller's
 * station): active chiefs, officers and aux of its subtree, q matching the
 * user name or display name (NULL = all): [{id, username, display_name, role,
 * org_id, org_name}] by name. */
json_t *fq_duty_staff(struct fq_ctx *c, int64_t station_id, const char *q, int64_t page,
		      int64_t per_page);

/* ---- template and posture of a station ---- */

struct fq_duty_need {
	int64_t call_taker, responder, patroller;
};

/* {station_id, station_name, source_id, call_taker, responder, patroller}:
 * the template of the nearest unit at or above that has one (source_id), or
 * 1+3+2 (source_id null). */
json_t *fq_duty_template_get(struct fq_ctx *c, int64_t station_id);
/* Sets a unit's template; lowering it is accepting understaffing, so the
 * route asks for duty.override. */
enum fq_err fq_duty_template_set(struct fq_ctx *c, int64_t station_id,
				 const struct fq_duty_need *need);
/* {station_id, station_name, source_id, hours:[{hour, mode}] ×24, hour,
 * mode}: the plan and the mode of the local hour of now. */
json_t *fq_duty_posture_get(struct fq_ctx *c, int64_t station_id, int64_t now);
enum fq_err fq_duty_posture_set(struct fq_ctx *c, int64_t station_id,
				const char *const modes[24]);

/* ---- shifts ---- */

struct fq_shift_position {
	const char *position; /* one of fq_duty_positions */
	int64_t user_id;
};

struct fq_shift_input {
	int64_t station_id;       /* create: 0 = the caller's station */
	const char *name;         /* update: NULL = unchanged */
	int64_t start_at, end_at; /* update: 0 = unchanged */
	int64_t leader_id;        /* update: 0 = unchanged */
	bool has_positions;       /* update: false = unchanged */
	const struct fq_shift_position *positions;
	int npositions;
	bool has_need;            /* false: the station's template (create) or unchanged */
	struct fq_duty_need need;
	const char *override_reason; /* a chief accepting a shift below its template */
	const char *note;         /* update: NULL = unchanged, "" = none */
	bool submit_for_approval; /* below its template without a reason: saved as
				   * waiting for a chief's approval (the chiefs are
				   * notified) instead of refused */
};

/* Refuses a shift below its template (FQ_ERR_INVALID, code "understaffed",
 * field "positions", the message naming what is missing) unless
 * override_reason is given by a caller with duty.override; a position holder
 * on another shift at that time is FQ_ERR_CONFLICT. */
enum fq_err fq_shift_create(struct fq_ctx *c, const struct fq_shift_input *in, int64_t *id);
/* The same rules for the changed shift; a shift that has ended cannot change. */
enum fq_err fq_shift_update(struct fq_ctx *c, int64_t id, const struct fq_shift_input *in);
json_t *fq_shift_get(struct fq_ctx *c, int64_t id);
/* A chief (duty.override) accepts a shift that waits for approval, with
 * reason (as override_reason). 409 not_pending when it does not wait, 409
 * shift_over when it has ended. */
enum fq_err fq_shift_approve(struct fq_ctx *c, int64_t id, const char *reason);
/* Shifts starting on local days [day_from, day_to] under the unit (0 = the
 * caller's station), by start. */
json_t *fq_shift_list(struct fq_ctx *c, int64_t station_id, int64_t day_from, int64_t day_to,
		      int64_t page, int64_t per_page);
/* {station_id, station_name, at, shifts:[…], staff:[…], posture:{hour, mode}}. */
json_t *fq_shift_current(struct fq_ctx *c, int64_t station_id, int64_t now);

/* ---- handovers ---- */

struct fq_handover_item {
	const char *item;
	const char *status; /* one of fq_duty_equipment_statuses */
	const char *note;   /* may be NULL */
};

struct fq_handover_input {
	int64_t station_id;     /* 0 = the shifts' station, else the caller's */
	int64_t from_shift_id;  /* 0 = none */
	int64_t to_shift_id;
	int64_t outgoing_leader_id; /* 0 = the leader of from_shift */
	int64_t incoming_leader_id; /* 0 = the leader of to_shift */
	int64_t handover_at;    /* 0 = now */
	const char *place, *notes;
	const struct fq_handover_item *items;
	int nitems;
};

/* Creates a handover with the open incidents and disputes of the station as
 * they stand now. */
enum fq_err fq_handover_create(struct fq_ctx *c, const struct fq_handover_input *in, int64_t *id);
/* The caller signs as the leader they are: the outgoing leader first, then
 * the incoming one accepts (note may be given then); after both it is locked.
 * FQ_ERR_FORBIDDEN for anyone else, FQ_ERR_CONFLICT out of turn. */
enum fq_err fq_handover_sign(struct fq_ctx *c, int64_t id, const char *note);
json_t *fq_handover_get(struct fq_ctx *c, int64_t id);
/* Handovers under the unit (0 = the caller's station), newest first; after
 * > 0: the page after handover after (the keyset cursor; page unused). */
json_t *fq_handover_list(struct fq_ctx *c, int64_t station_id, const char *status, int64_t page,
			 int64_t per_page, int64_t after);
/* {station_id, station_name, items:[{kind, object_id, number, status, summary,
 * opened_at}]}: what a handover made now would hold. */
json_t *fq_handover_open_items(struct fq_ctx *c, int64_t station_id);

#endif
