/* Volunteer teams and volunteers (群防群治, DOMAIN §8): teams of a grid with a
 * leader, a contact officer and members; volunteers with a checked ID number
 * (birth date from it), skills, trainings and an optional account (role
 * volunteer); a minor only with a guardian's recorded consent. A team's
 * patrols are the duty module's patrols (domain/patrol.h) with the team and
 * the volunteers on each noted; hours accrue from ended ones.
 *
 * Scope: a team belongs to its grid (org_path), a volunteer to a unit. Staff
 * see both in their subtree; a volunteer (role volunteer) sees only their own
 * record and teams, through fq_volunteer_me and the team patrol calls.
 * Masking: ID number and phones always; everything of a minor (name, birth
 * date, guardian) unless unmasked (fq_volunteer_unmask, audited by the
 * router). */
#ifndef FQ_VOLUNTEER_H
#define FQ_VOLUNTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_checkin_input;
struct fq_overview_provider;
typedef struct json_t json_t;

extern const char *const fq_team_kinds[];          /* patrol, neighbourhood, guard, armband, factory, other */
extern const char *const fq_volunteer_statuses[];  /* active, left */
extern const char *const fq_guardian_relations[];  /* father, mother, grandparent, guardian, other */
extern const struct fq_overview_provider fq_volunteer_overview;

#define FQ_VOLUNTEER_MAX_SKILLS 10
#define FQ_VOLUNTEER_MAX_TEAMS 10
#define FQ_TEAM_MAX_GROUP 30 /* volunteers on one recorded group patrol */
#define FQ_PATROL_MAX_HOURS 24

struct fq_team_input {
	const char *name, *kind; /* update: NULL = unchanged */
	int64_t grid_id;         /* update: 0 = unchanged */
	int64_t leader_id;       /* a member volunteer; 0 = none/unchanged, -1 = clear (update) */
	int64_t officer_id;      /* a chief, officer or aux of the station; as leader_id */
	const char *officer_phone; /* update: NULL = unchanged, "" = remove */
	int64_t founded_day;     /* YYYYMMDD; 0 = none/unchanged */
	const char *note;        /* update: NULL = unchanged */
};

enum fq_err fq_team_create(struct fq_ctx *c, const struct fq_team_input *in, int64_t *id);
enum fq_err fq_team_update(struct fq_ctx *c, int64_t id, const struct fq_team_input *in);
/* The team with its members, leader and officer, when in scope. */
json_t *fq_team_get(struct fq_ctx *c, int64_t id);
/* Teams in the caller's scope by name; under_org > 0: of that unit's subtree
 * (which must be in scope; field "org_id"). Each with member_count. */
json_t *fq_team_list(struct fq_ctx *c, int64_t under_org, int64_t page, int64_t per_page);
/* The team's patrols with ended_at in local days [from_day, to_day]:
 * {patrols, hours, volunteers: [{volunteer_id, name, patrols, hours}]}. */
json_t *fq_team_hours(struct fq_ctx *c, int64_t id, int64_t from_day, int64_t to_day);
json_t *fq_team_patrols(struct fq_ctx *c, int64_t id, int64_t page, int64_t per_page);

struct fq_volunteer_input {
	const char *name;      /* update: NULL = unchanged */
	const char *id_number; /* create only */
	const char *phone;     /* update: NULL = unchanged, "" = remove */
	const char *const *skills;
	size_t nskills;
	bool has_skills;
	const int64_t *team_ids;
	size_t nteams;
	bool has_teams;
	int64_t org_id;     /* 0: the first team's grid, else the caller's unit; update: unchanged */
	int64_t joined_day; /* 0: today; update: unchanged */
	const char *status; /* create: active; update: NULL = unchanged */
	int64_t user_id;    /* 0 = none/unchanged, -1 = unlink (update) */
	/* A minor's guardian and consent; has_guardian: given (update: replaces). */
	bool has_guardian;
	const char *guardian_name, *guardian_phone, *guardian_relation;
	int64_t consent_day;
	const char *note; /* update: NULL = unchanged */
};

enum fq_err fq_volunteer_create(struct fq_ctx *c, const struct fq_volunteer_input *in, int64_t *id);
enum fq_err fq_volunteer_update(struct fq_ctx *c, int64_t id, const struct fq_volunteer_input *in);
/* Masked, with teams, trainings and hours of this month and year. */
json_t *fq_volunteer_get(struct fq_ctx *c, int64_t id);
/* Masked, by name, each with patrols and hours in local days [from_day,
 * to_day] (0: this year). team_id 0 = any, status/name NULL = any. */
json_t *fq_volunteer_list(struct fq_ctx *c, int64_t team_id, const char *status, const char *name,
			  int64_t from_day, int64_t to_day, int64_t page, int64_t per_page);
/* {id_number, phone, name, birth_date, guardian_name, guardian_phone} in clear. */
json_t *fq_volunteer_unmask(struct fq_ctx *c, int64_t id);
enum fq_err fq_volunteer_training_add(struct fq_ctx *c, int64_t id, const char *course,
				      int64_t day);
/* The caller's own volunteer page: {volunteer, teams: [team with members,
 * leader, officer and officer_phone], patrol (the active one or null),
 * hours: {month, year}}; volunteer null when the account is not linked. */
json_t *fq_volunteer_me(struct fq_ctx *c);

struct fq_team_patrol_input {
	const char *route;
	const int64_t *volunteer_ids; /* a group patrol: the leader or staff only */
	size_t nvolunteers;
	const struct fq_checkin_input *start; /* place required */
	/* Recording a patrol that took place: both set, ended at once. */
	int64_t started_at, ended_at;
	const char *findings;
};

/* Starts (or records) a patrol of the team; the caller's own volunteer
 * record joins it. */
enum fq_err fq_team_patrol_start(struct fq_ctx *c, int64_t team_id,
				 const struct fq_team_patrol_input *in, int64_t *patrol_id);
enum fq_err fq_team_patrol_checkin(struct fq_ctx *c, int64_t patrol_id,
				   const struct fq_checkin_input *in);
enum fq_err fq_team_patrol_end(struct fq_ctx *c, int64_t patrol_id,
			       const struct fq_checkin_input *at, const char *findings);
/* The patrol (domain/patrol.h's shape) with team_id and volunteers. */
json_t *fq_team_patrol_get(struct fq_ctx *c, int64_t patrol_id);

#endif
