/* Demo data of the users: one login per role with the demo password, and the
 * station's staff — 51 officers (2 chiefs) and 100 aux, leading its units —
 * who cannot sign in until an administrator issues a password (cli/demo.h). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/secret.h"
#include "cli/demo.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "domain/user.h"
#include "store/user_store.h"

const struct fq_demo_login fq_demo_logins[] = {
	{"chief", "demo.chief", "两路派出所 (所长)", "TOTP set-up at first sign-in"},
	{"officer", "demo.officer", "两路派出所", ""},
	{"aux", "demo.aux", "双凤桥警务室", ""},
	{"mediator", "demo.mediator", "两路派出所", ""},
	{"counselor", "demo.counselor", "两路派出所 (青少年关爱驿站)", ""},
	{"volunteer", "demo.volunteer", "双凤桥社区", ""},
	{"resident", "demo.resident", "双凤桥社区", ""},
	{"sysadmin", "demo.sysadmin", "渝北区分局", "TOTP set-up at first sign-in"},
	{"secadmin", "demo.secadmin", "渝北区分局", "TOTP set-up at first sign-in"},
	{"auditor", "demo.auditor", "渝北区分局", "TOTP set-up at first sign-in"},
};
const size_t fq_demo_nlogins = sizeof(fq_demo_logins) / sizeof(fq_demo_logins[0]);

static enum fq_err set_leader(struct fq_ctx *c, int64_t org, int64_t leader, int64_t aux)
{
	struct fq_org_input in = {.leader_id = leader, .resident_aux_id = aux};

	return fq_org_update(c, org, &in);
}

/* A user name from the pinyin, made unique with a number. */
static const char *unique_username(struct fq_demo *d, const char *py, char *out, size_t size)
{
	snprintf(out, size, "%s", py);
	for (int k = 2; !fq_demo_keyset_add(&d->usernames, fq_demo_hash_str(out)); k++)
		snprintf(out, size, "%s%d", py, k);
	return out;
}

/* A demo login with the known password, through fq_user_create. */
static enum fq_err add_login(struct fq_demo *d, const char *username, const char *display,
			     const char *role, int64_t org, int64_t *id)
{
	struct fq_user_input in = {username, display, role, org, FQ_DEMO_PASSWORD, false};

	fq_demo_keyset_add(&d->usernames, fq_demo_hash_str(username));
	return fq_user_create(d->c, &in, true, id);
}

/* A member of staff who exists as a record but cannot sign in until an
 * administrator issues a password: the checks of fq_user_create, with the hash
 * of one random password that is never shown. Hashing a separate password for
 * each of the 150 staff would cost ~0.1 s each (argon2id). */
static enum fq_err add_staff(struct fq_demo *d, const char *role, int64_t org, int64_t *id)
{
	struct fq_ctx *c = d->c;
	struct fq_demo_name n;
	char username[64];
	struct fq_user_new u = {NULL, NULL, role, org, d->staff_hash, false};
	enum fq_err err;

	fq_demo_name(&d->rng, fq_demo_rng_chance(&d->rng, strcmp(role, "aux") ? 780 : 650), &n);
	u.username = unique_username(d, n.py, username, sizeof(username));
	u.display_name = n.zh;
	err = fq_user_name_check(u.username, c->e);
	if (!err && !fq_role_find(role))
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "role", "unknown role '%s'", role);
	if (!err)
		err = fq_org_visible(c, org, "org_id", NULL, NULL);
	if (!err && (err = fq_store_user_insert(c->db, &u, id)))
		fq_fail(c->e, err, NULL, "username", "cannot add the user '%s'", u.username);
	if (!err && !strcmp(role, "aux"))
		d->aux++;
	else if (!err)
		d->officers++;
	return err;
}

/* 51 officers (2 chiefs) and 100 aux, the leaders of units, one aux per
 * village (一村一辅警) and per grid, and the demo logins. */
enum fq_err fq_demo_users(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	struct fq_demo_rng *r = &d->rng;
	struct fq_demo_name n;
	char secret[17];
	int64_t id, chief = 0;
	enum fq_err err;
	int k, g;

	fq_random_password(secret);
	err = fq_password_hash(secret, d->staff_hash)
		      ? fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password")
		      : FQ_OK;
	sodium_memzero(secret, sizeof(secret));
	if (err)
		return err;

	/* The demo logins: chief and officer count among the 51, aux among the 100. */
	fq_demo_name(r, true, &n);
	err = add_login(d, "demo.chief", n.zh, "chief", d->station, &chief);
	if (!err)
		d->officers++;
	if (!err)
		err = set_leader(c, d->station, chief, 0);
	if (!err) {
		fq_demo_name(r, true, &n);
		err = add_login(d, "demo.officer", n.zh, "officer", d->station, &id);
		d->officers += !err;
	}
	if (!err) {
		fq_demo_name(r, false, &n);
		err = add_login(d, "demo.aux", n.zh, "aux", d->rooms[0], &id);
		d->aux += !err;
	}
	for (size_t i = 3; !err && i < fq_demo_nlogins; i++) {
		const char *role = fq_demo_logins[i].role;
		bool whole = fq_role_find(role)->whole_tree;
		int64_t org = whole ? d->branch
			      : !strcmp(role, "volunteer") || !strcmp(role, "resident")
				  ? d->comms[0]
				  : d->station;

		fq_demo_name(r, fq_demo_rng_chance(r, 500), &n);
		err = add_login(d, fq_demo_logins[i].username, n.zh, role, org, &id);
	}
	/* 教导员, then the leaders of police rooms and beats, then one officer per
	 * community, the rest at the station (case, public order and command teams). */
	if (!err)
		err = add_staff(d, "chief", d->station, &id);
	for (k = 0; !err && k < FQ_DEMO_ROOMS; k++)
		if (!(err = add_staff(d, "officer", d->rooms[k], &id)))
			err = set_leader(c, d->rooms[k], id, 0);
	for (k = 0; !err && k < FQ_DEMO_BEATS; k++)
		if (!(err = add_staff(d, "officer", d->beats[k], &id)))
			err = set_leader(c, d->beats[k], id, 0);
	for (k = 0; !err && k < FQ_DEMO_COMMUNITIES; k++)
		if (!fq_demo_communities[k].village &&
		    !(err = add_staff(d, "officer", d->comms[k], &id)))
			err = set_leader(c, d->comms[k], id, 0);
	while (!err && d->officers < 51)
		err = add_staff(d, "officer", d->station, &id);
	/* Aux: the resident aux of each village, one per grid, then duty aux at
	 * the police rooms and the station. */
	for (k = 0; !err && k < FQ_DEMO_COMMUNITIES; k++)
		if (fq_demo_communities[k].village &&
		    !(err = add_staff(d, "aux", d->comms[k], &id)))
			err = set_leader(c, d->comms[k], 0, id);
	for (g = 0; !err && g < d->ngrids; g++)
		if (!(err = add_staff(d, "aux", d->grids[g].id, &d->grids[g].aux_id)))
			err = set_leader(c, d->grids[g].id, d->grids[g].aux_id, 0);
	for (k = 0; !err && d->aux < 100; k++)
		err = add_staff(d, "aux", k % 4 < FQ_DEMO_ROOMS ? d->rooms[k % 4] : d->station, &id);
	return err;
}
