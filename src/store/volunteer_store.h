/* The SQL of volunteer teams, volunteers, their trainings, the teams'
 * patrols and the hours that accrue from them (migration 026). */
#ifndef FQ_VOLUNTEER_STORE_H
#define FQ_VOLUNTEER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* ---- volunteers ---- */

struct fq_volunteer_fields {
	const char *name;
	int64_t org_id;
	const char *org_path;
	const void *id_enc; /* insert only */
	size_t id_enc_len;
	const char *id_hash, *id_mask, *sex, *birth_date; /* insert only */
	const void *phone_enc;
	size_t phone_enc_len;
	const char *phone_mask;
	const char *skills; /* JSON array text */
	const char *status;
	int64_t joined_day;
	bool minor;
	const char *guardian_name;
	const void *guardian_phone_enc;
	size_t guardian_phone_enc_len;
	const char *guardian_phone_mask, *guardian_relation;
	int64_t consent_day; /* 0 = none */
	int64_t user_id;     /* 0 = none */
	const char *note;
	int64_t created_by;
};

enum fq_err fq_store_volunteer_insert(struct fq_db *db, const struct fq_volunteer_fields *f,
				      int64_t *id);
/* Writes everything but the ID number (and what derives from it). */
enum fq_err fq_store_volunteer_update(struct fq_db *db, int64_t id,
				      const struct fq_volunteer_fields *f);
/* One volunteer as stored, masked columns only, with org_path and org_name;
 * FQ_ERR_NOT_FOUND. */
json_t *fq_store_volunteer_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* The sealed ID number, phone and guardian's phone (malloc'd, NULL when none). */
enum fq_err fq_store_volunteer_sealed(struct fq_db *db, int64_t id, void **id_enc, size_t *id_len,
				      void **phone_enc, size_t *phone_len, void **gphone_enc,
				      size_t *gphone_len);
/* Volunteers in scope [lo, hi), by name; team_id 0 = any; status NULL = any;
 * name NULL = any, else a prefix. */
json_t *fq_store_volunteer_list(struct fq_db *db, const char *lo, const char *hi, int64_t team_id,
				const char *status, const char *name, int64_t limit, int64_t offset,
				enum fq_err *err);
/* The volunteer linked to user_id; FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_volunteer_by_user(struct fq_db *db, int64_t user_id, int64_t *id);
/* Whether user_id is an active user of role volunteer. */
enum fq_err fq_store_volunteer_user_ok(struct fq_db *db, int64_t user_id, bool *ok);
/* [{id, name, kind}] of the volunteer's teams. */
json_t *fq_store_volunteer_teams(struct fq_db *db, int64_t id, enum fq_err *err);
/* Replaces the volunteer's team memberships with ids (kept ones keep their
 * time). */
enum fq_err fq_store_volunteer_set_teams(struct fq_db *db, int64_t id, const int64_t *ids, size_t n,
					 int64_t now);
enum fq_err fq_store_training_add(struct fq_db *db, int64_t id, const char *course, int64_t day,
				  int64_t by, int64_t now);
json_t *fq_store_trainings(struct fq_db *db, int64_t id, enum fq_err *err);
/* Ended patrols the volunteer was on with ended_at in [from, to): how many
 * and their total duration in ms. */
enum fq_err fq_store_volunteer_hours(struct fq_db *db, int64_t id, int64_t from, int64_t to,
				     int64_t *patrols, int64_t *ms);
/* The active patrol the volunteer is on; FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_volunteer_active_patrol(struct fq_db *db, int64_t id, int64_t *patrol_id);

/* ---- teams ---- */

struct fq_team_fields {
	const char *name, *kind;
	int64_t grid_id;
	const char *org_path;
	int64_t station_id;
	int64_t leader_id;  /* 0 = none */
	int64_t officer_id; /* 0 = none */
	const char *officer_phone; /* the number volunteers call (a work phone) */
	int64_t founded_day; /* 0 = none */
	const char *note;
	int64_t created_by;
};

enum fq_err fq_store_team_insert(struct fq_db *db, const struct fq_team_fields *f, int64_t *id);
enum fq_err fq_store_team_update(struct fq_db *db, int64_t id, const struct fq_team_fields *f);
/* One team with grid_name, leader_name, officer_name, member_count and
 * org_path; FQ_ERR_NOT_FOUND. */
json_t *fq_store_team_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* Teams in [lo, hi) as fq_store_team_json, by name. */
json_t *fq_store_team_list(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
			   int64_t offset, enum fq_err *err);
/* [{id, name, minor, status, phone (masked), user_id, joined_at}] by name. */
json_t *fq_store_team_members(struct fq_db *db, int64_t id, enum fq_err *err);
enum fq_err fq_store_team_member_add(struct fq_db *db, int64_t id, int64_t volunteer_id,
				     int64_t now);
/* Whether the volunteer is a member of the team. */
enum fq_err fq_store_team_is_member(struct fq_db *db, int64_t id, int64_t volunteer_id, bool *yes);
/* The unit of kind station whose path begins path (the station above a
 * unit); FQ_ERR_NOT_FOUND. */
enum fq_err fq_store_station_above(struct fq_db *db, const char *path, int64_t *station_id);

/* Whether user_id is an active chief, officer or aux of the station's subtree. */
enum fq_err fq_store_team_officer_ok(struct fq_db *db, int64_t user_id, int64_t station_id,
				     bool *ok);

/* ---- the teams' patrols and hours ---- */

enum fq_err fq_store_team_patrol_add(struct fq_db *db, int64_t patrol_id, int64_t team_id);
enum fq_err fq_store_patrol_volunteer_add(struct fq_db *db, int64_t patrol_id, int64_t volunteer_id);
/* The team a patrol belongs to; FQ_ERR_NOT_FOUND when it is no team's. */
enum fq_err fq_store_team_of_patrol(struct fq_db *db, int64_t patrol_id, int64_t *team_id);
/* [{id, name}] of the volunteers on a patrol. */
json_t *fq_store_patrol_volunteers(struct fq_db *db, int64_t patrol_id, enum fq_err *err);
/* The team's patrols, newest first: {id, status, route, started_at,
 * ended_at, findings, volunteer_count}. */
json_t *fq_store_team_patrols(struct fq_db *db, int64_t team_id, int64_t limit, int64_t offset,
			      enum fq_err *err);
/* The team's ended patrols with ended_at in [from, to): how many, and the
 * sum over them of duration × volunteers on it (ms). */
enum fq_err fq_store_team_hours(struct fq_db *db, int64_t team_id, int64_t from, int64_t to,
				int64_t *patrols, int64_t *ms);
/* Per volunteer on the team's ended patrols in [from, to): [{volunteer_id,
 * name, patrols, ms}] by name. */
json_t *fq_store_team_volunteer_hours(struct fq_db *db, int64_t team_id, int64_t from, int64_t to,
				      enum fq_err *err);

/* ---- figures ---- */

/* In [lo, hi): teams, active volunteers, and the ended team patrols in
 * [from, to) with their volunteer-hours (ms). */
enum fq_err fq_store_volunteer_figures(struct fq_db *db, const char *lo, const char *hi,
				       int64_t from, int64_t to, int64_t *teams,
				       int64_t *volunteers, int64_t *patrols, int64_t *ms);

#endif
