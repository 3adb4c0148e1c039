/* The station overview (首页): GET /api/overview, the figures of a unit for
 * today or this week, and GET /api/overview/mine, the caller's own. The
 * figures come from the modules' providers (struct fq_module .overview,
 * domain/overview.h), asked in module order; a module whose read permission
 * the caller lacks adds nothing. */
#include <jansson.h>
#include <stdbool.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "auth/permission.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/overview.h"
#include "domain/overview_live.h"
#include "http/request.h"

/* Whether the caller may see what a module provides: their role holds its
 * permission, and a token's scopes name it. */
static bool may(const struct fq_principal *who, const char *permission)
{
	return fq_role_allows(who->role, permission) &&
	       (!who->token_id || fq_scopes_contain(who->scopes, permission));
}

/* The answer when the caller's version still holds and the request may not
 * wait (the long poll's last run): that version, and nothing else. */
static enum fq_err unchanged(struct fq_req *r, struct fq_overview *o, const char *version)
{
	char now[21];

	fq_time_format(o->now, now, sizeof(now));
	return fq_api_reply(r, 200, json_pack("{s:s, s:s}", "version", version, "now", now));
}

/* Asks every provider and replies; mine: the caller's own overview. With
 * version (a long poll, docs/api.md): when that answer still holds, waits
 * for a write (the server runs the request again) or answers only the
 * version. */
static enum fq_err overview(struct fq_req *r, bool mine)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_overview o;
	struct fq_overview_version given;
	const char *period = NULL, *version = NULL;
	char v[FQ_OVERVIEW_VERSION_MAX], watch[256];
	int64_t unit = 0;
	bool present, same = false;
	json_t *out;
	enum fq_err err = fq_in_query_choice(r, "period", fq_overview_periods, &period);

	if (!err && !mine)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &unit, &present);
	if (!err)
		err = fq_in_query_text(r, "version", FQ_OVERVIEW_VERSION_MAX - 1, &version);
	if (!err && version && !fq_overview_version_parse(version, &given))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "version",
				  "version is not one this server answered: leave it out to get "
				  "the figures");
	if (err)
		return err;
	err = fq_overview_begin(&c, &o, mine, period, unit);
	for (int i = 0; !err && fq_modules[i]; i++) {
		const struct fq_overview_provider *p = fq_modules[i]->overview;

		if (p && p->stamp && may(c.who, p->permission) &&
		    o.nstampers < FQ_OVERVIEW_MAX_STAMPERS)
			o.stampers[o.nstampers++] = p;
	}
	if (!err && version)
		err = fq_overview_current(&o, &given, &same, watch, sizeof(watch));
	if (!err && same && r->may_wait) {
		/* Nothing new: the server parks the request and asks again. */
		fq_overview_release(&o);
		if (!(r->wait_scope = fq_arena_strdup(r->arena, watch)))
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		r->wait = true;
		return FQ_OK;
	}
	if (!err && same) {
		err = unchanged(r, &o, version);
		fq_overview_release(&o);
		return err;
	}
	/* The version first: a write committing while the figures are counted
	 * moves the stamp, and is answered again rather than missed. */
	if (!err)
		err = fq_overview_version(&o, v, sizeof(v));
	for (int i = 0; !err && fq_modules[i]; i++) {
		const struct fq_overview_provider *p = fq_modules[i]->overview;
		enum fq_err (*add)(struct fq_overview *) = p ? (mine ? p->mine : p->station) : NULL;

		if (add && may(c.who, p->permission))
			err = add(&o);
	}
	out = err ? NULL : fq_overview_json(&o);
	if (out && json_object_set_new(out, "version", json_string(v))) {
		json_decref(out);
		out = NULL;
	}
	err = fq_api_reply(r, 200, out);
	fq_overview_release(&o);
	return err;
}

FQ_HANDLER(fq_api_overview_get)
{
	return overview(r, false);
}

FQ_HANDLER(fq_api_overview_mine)
{
	return overview(r, true);
}

static const struct fq_route routes[] = {
	/* method path                   handler               permission       audit flags summary */
	{"GET",   "/api/overview",       fq_api_overview_get,  "overview.read", NULL, FQ_LONG_POLL, "a unit's figures of today or this week (long poll with version)"},
	{"GET",   "/api/overview/mine",  fq_api_overview_mine, "overview.mine", NULL, FQ_LONG_POLL, "the caller's calls, shift and patrol (long poll with version)"},
};

/* The station's figures for the chief and the officers who lead a shift; each
 * member of staff their own. */
static const struct fq_permission_grant permissions[] = {
	{"overview.read", "chief officer"},
	{"overview.mine", "chief officer aux mediator"},
	{NULL, NULL},
};

const struct fq_module fq_module_overview = {
	.name = "overview",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
};
