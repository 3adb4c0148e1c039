/* The demo station that 'fengqiao demo' builds (cli/cmd_demo.c), shared by the
 * part of each module (cli/demo_<module>.c, declared in api/module.h as the
 * module's demo function). Each part reads what the parts before it made —
 * the station's units, its staff, its addresses — from struct fq_demo, adds
 * its own data through the domain calls, and notes what later parts need.
 *
 * The data comes from pseudo-random generators with constant seeds, so every
 * run makes the same station: a part draws from d->rng only in its fixed
 * place in the order (orgs, users, addresses), or from a generator of its own
 * (persons). */
#ifndef FQ_CLI_DEMO_H
#define FQ_CLI_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/principal.h"
#include "core/err.h"

struct fq_app;
struct fq_ctx;

#define FQ_DEMO_PASSWORD "Demo@2026"
#define FQ_DEMO_BRANCH_CODE "500112"
#define FQ_DEMO_STATION_CODE "500112001"

/* The station's shape (demo_orgs.c holds the names). */
#define FQ_DEMO_ROOMS 3        /* police rooms */
#define FQ_DEMO_BEATS 6
#define FQ_DEMO_COMMUNITIES 13 /* communities and villages */
#define FQ_DEMO_MAX_GRIDS (FQ_DEMO_COMMUNITIES * 3)

/* ---- deterministic pseudo-random numbers (splitmix64) ---- */

struct fq_demo_rng {
	uint64_t s;
};

uint64_t fq_demo_rng_next(struct fq_demo_rng *r);
/* Uniform in [0, n). */
uint32_t fq_demo_rng_below(struct fq_demo_rng *r, uint32_t n);
/* True with probability per_mille / 1000. */
bool fq_demo_rng_chance(struct fq_demo_rng *r, uint32_t per_mille);

/* ---- a set of 64-bit keys (open addressing), for uniqueness ---- */

struct fq_demo_keyset {
	uint64_t *slots; /* 0 = empty; keys are stored as key | 1 << 63 */
	size_t mask;
};

/* Room for about expected keys; false when out of memory. Free slots with
 * free(). */
bool fq_demo_keyset_init(struct fq_demo_keyset *k, size_t expected);
/* Adds key; false when it was there already. */
bool fq_demo_keyset_add(struct fq_demo_keyset *k, uint64_t key);
/* A 63-bit hash of s (FNV-1a), as a key. */
uint64_t fq_demo_hash_str(const char *s);

/* ---- names ---- */

struct fq_demo_name {
	char zh[32]; /* UTF-8: up to three characters */
	char py[40]; /* pinyin "surname.given", a user name */
};

/* A Chongqing name for a man or a woman. */
void fq_demo_name(struct fq_demo_rng *r, bool male, struct fq_demo_name *n);

/* ---- the station ---- */

struct fq_demo_community {
	const char *name;
	int beat; /* index into the station's beats */
	const char *streets[2];
	bool village;
};

/* demo_orgs.c: FQ_DEMO_COMMUNITIES of them. */
extern const struct fq_demo_community fq_demo_communities[];

struct fq_demo_grid {
	int64_t id;
	int comm; /* index into fq_demo_communities */
	int n;    /* number within its community, from 1 */
	int64_t aux_id;
};

struct fq_demo;

/* The demo's map (demo_orgs.c): the box of a police room, beat, community
 * or grid (index into d->grids) as west, south, east, north in degrees;
 * neighbours share edges. */
void fq_demo_box_room(int room, double box[4]);
void fq_demo_box_beat(int beat, double box[4]);
void fq_demo_box_comm(int comm, double box[4]);
void fq_demo_box_grid(const struct fq_demo *d, int g, double box[4]);

/* One login per role, all with FQ_DEMO_PASSWORD (demo_users.c). */
struct fq_demo_login {
	const char *role, *username, *where, *note;
};
extern const struct fq_demo_login fq_demo_logins[];
extern const size_t fq_demo_nlogins;

struct fq_demo {
	/* Set by cmd_demo.c. */
	struct fq_app *app;
	struct fq_ctx *c;          /* the command line, in a write transaction */
	struct fq_demo_rng rng;    /* orgs, users, addresses draw from it in turn */
	int64_t want_residents;    /* --residents */
	int64_t want_addresses;    /* --addresses */

	/* orgs: the units. */
	int64_t branch, station;
	int64_t rooms[FQ_DEMO_ROOMS], beats[FQ_DEMO_BEATS], comms[FQ_DEMO_COMMUNITIES];
	struct fq_demo_grid grids[FQ_DEMO_MAX_GRIDS];
	int ngrids;

	/* users: the staff (the demo logins are found by name). */
	char staff_hash[128]; /* one unknown random password, for the staff accounts */
	struct fq_demo_keyset usernames;
	int officers, aux;

	/* addresses */
	int64_t *addresses; /* malloc'd; cmd_demo.c frees it */
	int naddresses;

	/* persons */
	long persons, elderly, minors, foreigners;

	/* incidents */
	int incidents;
};

/* Commits the work so far and begins a new write transaction (large runs:
 * keeps the WAL small). On failure *d->c->e says why. */
enum fq_err fq_demo_commit(struct fq_demo *d);

/* Each module's part (src/cli/demo_<module>.c), named in its declaration
 * (api/module.h); cmd_demo.c runs them in module order. */
enum fq_err fq_demo_orgs(struct fq_demo *d);
enum fq_err fq_demo_users(struct fq_demo *d);
enum fq_err fq_demo_addresses(struct fq_demo *d);
enum fq_err fq_demo_grids(struct fq_demo *d);
enum fq_err fq_demo_persons(struct fq_demo *d);
enum fq_err fq_demo_duty(struct fq_demo *d);
enum fq_err fq_demo_incidents(struct fq_demo *d);
enum fq_err fq_demo_disputes(struct fq_demo *d);
enum fq_err fq_demo_places(struct fq_demo *d);
enum fq_err fq_demo_registry(struct fq_demo *d);
enum fq_err fq_demo_volunteers(struct fq_demo *d);
enum fq_err fq_demo_tips(struct fq_demo *d);
enum fq_err fq_demo_chatgroups(struct fq_demo *d);
enum fq_err fq_demo_measures(struct fq_demo *d);

/* A demo login to act as (a module's part runs the domain calls as that
 * person): its principal with role, unit and scope, its id. */
struct fq_demo_actor {
	struct fq_principal who;
	char name[128];
	char path[256];
	int64_t id;
};
/* Fills a from the user username (FQ_ERR_NOT_FOUND, with c->e set, when the
 * demo users are missing). */
enum fq_err fq_demo_as_user(struct fq_ctx *c, const char *username, const char *role,
			    struct fq_demo_actor *a);

#endif
