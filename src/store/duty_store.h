/* SQL for duty (勤务): templates, posture, shifts and their positions,
 * handovers with their checklist and snapshot of open items, patrols with
 * members and check-ins. Scope ranges [lo, hi) are org paths as in
 * fq_principal_scope. Rows come back as JSON objects keyed by column name. */
#ifndef FQ_DUTY_STORE_H
#define FQ_DUTY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* ---- station settings ---- */

struct fq_duty_template {
	int64_t call_taker, responder, patroller;
};

/* The template of the nearest unit at or above path that has one: *source is
 * its id, 0 when none has (out untouched). */
enum fq_err fq_store_duty_template_find(struct fq_db *db, const char *path,
					struct fq_duty_template *out, int64_t *source);
enum fq_err fq_store_duty_template_put(struct fq_db *db, int64_t station_id,
				       const struct fq_duty_template *t, int64_t user_id);
/* The posture rows [{hour, mode}] of the nearest unit at or above path that
 * has any; *source 0 and an empty array when none has. */
json_t *fq_store_duty_posture_find(struct fq_db *db, const char *path, int64_t *source,
				   enum fq_err *err);
/* Replaces the unit's 24 rows; modes[h] for hour h. */
enum fq_err fq_store_duty_posture_put(struct fq_db *db, int64_t station_id,
				      const char *const modes[24], int64_t user_id);
/* The nearest unit of kind station at or above path; FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_duty_station_of(struct fq_db *db, const char *path, int64_t *id);

/* Active chiefs, officers and aux of units under [lo, hi) whose user name or
 * display name contains q (NULL = all), by display name:
 * [{id, username, display_name, role, org_id, org_name}]. */
json_t *fq_store_duty_staff(struct fq_db *db, const char *lo, const char *hi, const char *q,
			    int64_t limit, int64_t offset, enum fq_err *err);

/* ---- shifts ---- */

struct fq_shift_fields {
	int64_t station_id;
	const char *org_path;
	const char *name;
	int64_t day; /* YYYYMMDD, local */
	int64_t start_at, end_at;
	int64_t leader_id;
	struct fq_duty_template need;
	const char *override_reason; /* NULL = none */
	int64_t override_by;         /* 0 = none */
	int64_t override_at;
	const char *note;
	int64_t created_by;
};

enum fq_err fq_store_shift_insert(struct fq_db *db, const struct fq_shift_fields *f, int64_t *id);
/* Everything but station, org_path and created_by. */
enum fq_err fq_store_shift_update(struct fq_db *db, int64_t id, const struct fq_shift_fields *f);
/* Removes every position of the shift (before adding them again). */
enum fq_err fq_store_shift_positions_clear(struct fq_db *db, int64_t shift_id);
/* FQ_ERR_CONFLICT when the user holds a position in the shift already. */
enum fq_err fq_store_shift_position_add(struct fq_db *db, int64_t shift_id, int64_t user_id,
					const char *position, int64_t seq, int64_t start_at,
					int64_t end_at);
/* The stored shift with station_name, leader_name, override_by_name,
 * created_by_name and org_path; FQ_ERR_NOT_FOUND. */
json_t *fq_store_shift_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* [{position, user_id, display_name, role}] in order, the leader first. */
json_t *fq_store_shift_positions(struct fq_db *db, int64_t shift_id, enum fq_err *err);
/* Shifts starting in [start_from, start_to) under [slo, shi) that are in the
 * caller's scope [lo, hi) or have user me in a position, by start; lo NULL:
 * the caller sees all of [slo, shi). */
json_t *fq_store_shift_list(struct fq_db *db, int64_t start_from, int64_t start_to,
			    const char *slo, const char *shi, const char *lo, const char *hi,
			    int64_t me, int64_t limit, int64_t offset, enum fq_err *err);
/* Shifts under [slo, shi) running at now, of those started after since (now
 * less the longest a shift may last: the walk's bound). */
json_t *fq_store_shift_running(struct fq_db *db, const char *slo, const char *shi, int64_t since,
			       int64_t now, enum fq_err *err);

/* Another shift (not exclude_id) in which user_id holds a position and that
 * overlaps [start_at, end_at). */
struct fq_shift_clash {
	bool found;
	int64_t shift_id;
	int64_t start_at, end_at;
	char name[128];
	char position[16];
};
enum fq_err fq_store_shift_clash(struct fq_db *db, int64_t user_id, int64_t exclude_id,
				 int64_t start_at, int64_t end_at, struct fq_shift_clash *out);
/* Locks the users' rows until the transaction ends (in order of id, so two
 * writers never wait for each other in a circle): a concurrent roster change
 * for the same people waits, then sees this one's positions. ids is sorted in
 * place. */
enum fq_err fq_store_duty_lock_users(struct fq_db *db, int64_t *ids, int n);
/* Whether user_id holds a position in a shift running at now. */
enum fq_err fq_store_duty_on_shift(struct fq_db *db, int64_t user_id, int64_t now, bool *on);
/* [{user_id, display_name, role, position, shift_id}] of the shifts under
 * [slo, shi) running at now (started after since, as fq_store_shift_running). */
json_t *fq_store_duty_current_staff(struct fq_db *db, const char *slo, const char *shi,
				    int64_t since, int64_t now, enum fq_err *err);

/* ---- handovers ---- */

struct fq_handover_fields {
	int64_t station_id;
	const char *org_path;
	int64_t from_shift_id, to_shift_id; /* 0 = none */
	int64_t outgoing_leader_id, incoming_leader_id;
	int64_t handover_at;
	const char *place, *notes;
	int64_t created_by;
};

enum fq_err fq_store_handover_insert(struct fq_db *db, const struct fq_handover_fields *f,
				     int64_t *id);
enum fq_err fq_store_handover_item_add(struct fq_db *db, int64_t id, int64_t seq,
				       const char *item, const char *status, const char *note);
/* Copies the open incidents and disputes under [lo, hi) (at most limit of
 * each) into the handover's snapshot. */
enum fq_err fq_store_handover_snapshot(struct fq_db *db, int64_t id, const char *lo,
				       const char *hi, int64_t limit);
/* The open incidents and disputes under [lo, hi) now, as the snapshot would
 * hold them: [{kind, object_id, number, status, summary, opened_at}]. */
json_t *fq_store_duty_open_items(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
				 enum fq_err *err);
json_t *fq_store_handover_json(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_handover_items(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_handover_open_items(struct fq_db *db, int64_t id, enum fq_err *err);
/* Where a page of a list newest first starts (keyset paging): below the row
 * whose time is at and id is id; id 0 = from the newest. */
struct fq_store_keyset {
	int64_t at;
	int64_t id;
};
/* Handovers under [slo, shi) in scope [lo, hi) or led by me (lo NULL: the
 * caller sees all of [slo, shi)), newest first, below (NULL = from the
 * newest), then offset skipped; status NULL = any. */
json_t *fq_store_handover_list(struct fq_db *db, const char *slo, const char *shi, const char *lo,
			       const char *hi, int64_t me, const char *status,
			       const struct fq_store_keyset *below, int64_t limit, int64_t offset,
			       enum fq_err *err);
/* The keyset of handover id (its handover_at); FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_handover_key(struct fq_db *db, int64_t id, struct fq_store_keyset *out);
/* Moves status from → to, setting the signature time of the side that signs
 * (outgoing when to is "outgoing_signed", else incoming, with note).
 * *changed is false when the status was not from (a concurrent signature). */
enum fq_err fq_store_handover_sign(struct fq_db *db, int64_t id, const char *from, const char *to,
				   int64_t at, const char *note, bool *changed);

/* ---- patrols ---- */

struct fq_patrol_fields {
	int64_t station_id;
	const char *org_path;
	int64_t shift_id; /* 0 = none */
	const char *team, *route;
	const char *checkpoints; /* JSON array text, or NULL */
	int64_t started_at;
	int64_t created_by;
};

struct fq_checkin_fields {
	const char *kind; /* start, checkpoint, end */
	int64_t checked_at;
	int64_t user_id;
	const char *place;
	int64_t address_id; /* 0 = none */
	bool has_position;
	double lat, lng;
	const char *note;
};

enum fq_err fq_store_patrol_insert(struct fq_db *db, const struct fq_patrol_fields *f, int64_t *id);
enum fq_err fq_store_patrol_member_add(struct fq_db *db, int64_t id, int64_t user_id);
enum fq_err fq_store_patrol_checkin(struct fq_db *db, int64_t id, const struct fq_checkin_fields *f);
/* Ends an active patrol; *changed false when it was not active. */
enum fq_err fq_store_patrol_end(struct fq_db *db, int64_t id, int64_t at, const char *findings,
				bool *changed);
json_t *fq_store_patrol_json(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_patrol_members(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_patrol_checkins(struct fq_db *db, int64_t id, enum fq_err *err);
/* Whether user_id is a member of the patrol. */
enum fq_err fq_store_patrol_is_member(struct fq_db *db, int64_t id, int64_t user_id, bool *member);
/* Patrols under [slo, shi) started in [from, to) in scope [lo, hi) or with
 * member me (lo NULL: the caller sees all of [slo, shi)), newest first, below
 * (NULL = from the newest), then offset skipped; status NULL = any. */
json_t *fq_store_patrol_list(struct fq_db *db, const char *slo, const char *shi, const char *lo,
			     const char *hi, int64_t me, const char *status, int64_t from,
			     int64_t to, const struct fq_store_keyset *below, int64_t limit,
			     int64_t offset, enum fq_err *err);
/* The keyset of patrol id (its started_at); FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_patrol_key(struct fq_db *db, int64_t id, struct fq_store_keyset *out);

#endif
