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
#include "core/banned.h"
#include "domain/overview.h"
#include "http/request.h"

/* Whether the caller may see what a module provides: their role holds its
 * permission, and a token's scopes name it. */
static bool may(const struct fq_principal *who, const char *permission)
{
	return fq_role_allows(who->role, permission) &&
	       (!who->token_id || fq_scopes_contain(who->scopes, permission));
}

/* Asks every provider and replies; mine: the caller's own overview. */
static enum fq_err overview(struct fq_req *r, bool mine)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_overview o;
	const char *period = NULL;
	int64_t unit = 0;
	bool present;
	enum fq_err err = fq_in_query_choice(r, "period", fq_overview_periods, &period);

	if (!err && !mine)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &unit, &present);
	if (err)
		return err;
	err = fq_overview_begin(&c, &o, mine, period, unit);
	for (int i = 0; !err && fq_modules[i]; i++) {
		const struct fq_overview_provider *p = fq_modules[i]->overview;
		enum fq_err (*add)(struct fq_overview *) = p ? (mine ? p->mine : p->station) : NULL;

		if (add && may(c.who, p->permission))
			err = add(&o);
	}
	err = fq_api_reply(r, 200, err ? NULL : fq_overview_json(&o));
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
	{"GET",   "/api/overview",       fq_api_overview_get,  "overview.read", NULL, 0, "a unit's figures of today or this week"},
	{"GET",   "/api/overview/mine",  fq_api_overview_mine, "overview.mine", NULL, 0, "the caller's calls, shift and patrol"},
};

/* The station's figures for the chief and the officers who lead a shift; each
 * member of staff their own. */
static const struct fq_permission_grant permissions[] = {
	{"overview.read", "chief officer"},
	{"overview.mine", "chief officer aux"},
	{NULL, NULL},
};

const struct fq_module fq_module_overview = {
	.name = "overview",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
};
