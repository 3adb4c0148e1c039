/* Covers the module declarations (src/api/modules.c, src/api/module.h): names
 * are unique, every permission is declared once and held only by known roles,
 * every route names a declared permission, the router sees every module's
 * routes, and the role policy they add up to is the one DOMAIN §1 gives. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api/export.h"
#include "api/module.h"
#include "auth/permission.h"
#include "http/route.h"
#include "test.h"

TEST(modules_are_named_once)
{
	int n = 0;

	for (int i = 0; fq_modules[i]; i++, n++) {
		const struct fq_module *m = fq_modules[i];

		CHECK(m->name && *m->name);
		CHECK(m->nroutes >= 0);
		CHECK(m->nroutes == 0 || m->routes);
		for (int j = 0; j < i; j++)
			if (!strcmp(fq_modules[j]->name, m->name)) {
				fprintf(stderr, "  module '%s' is listed twice\n", m->name);
				CHECK(!"a module is listed once");
			}
	}
	CHECK(n >= 9);
}

static bool declared_elsewhere(int module, const struct fq_permission_grant *g)
{
	for (int i = 0; fq_modules[i]; i++)
		for (const struct fq_permission_grant *o = fq_modules[i]->permissions;
		     o && o->permission; o++)
			if (o != g && !strcmp(o->permission, g->permission) &&
			    (i != module || o < g))
				return true;
	return false;
}

TEST(permissions_are_declared_once_and_held_by_known_roles)
{
	for (int i = 0; fq_modules[i]; i++)
		for (const struct fq_permission_grant *g = fq_modules[i]->permissions;
		     g && g->permission; g++) {
			const char *p = g->roles;

			CHECK(strchr(g->permission, '.') != NULL);
			if (declared_elsewhere(i, g)) {
				fprintf(stderr, "  permission '%s' is declared twice\n", g->permission);
				CHECK(!"a permission is declared once");
			}
			CHECK(p && *p);
			while (p && *p) {
				char role[32];
				size_t len = strcspn(p, " ");

				CHECK(len > 0 && len < sizeof(role));
				if (len == 0 || len >= sizeof(role))
					break;
				memcpy(role, p, len);
				role[len] = '\0';
				if (!fq_role_find(role)) {
					fprintf(stderr, "  %s: unknown role '%s'\n", g->permission, role);
					CHECK(!"a permission is held by known roles");
				}
				p += len + (p[len] == ' ');
			}
		}
}

TEST(router_sees_every_route_of_every_module)
{
	int n, k = 0;
	const struct fq_route *all = fq_modules_routes(&n);

	CHECK(all != NULL);
	for (int i = 0; all && fq_modules[i]; i++) {
		/* First the module's exports (api/export.h), each GET <list>/export
		 * with its list's permission, then its own routes. */
		for (const struct fq_export_list *x = fq_modules[i]->exports; x && x->name;
		     x++, k++) {
			CHECK(k < n);
			if (k >= n)
				continue;
			CHECK(fq_modules_export(&all[k]) == x);
			CHECK(all[k].handler == fq_api_export);
			CHECK(strlen(all[k].path) > 7 &&
			      !strcmp(all[k].path + strlen(all[k].path) - 7, "/export"));
			CHECK(all[k].flags & FQ_AUDIT);
			CHECK_STR(all[k].action, x->action);
		}
		for (int j = 0; j < fq_modules[i]->nroutes; j++, k++) {
			CHECK(k < n);
			if (k < n)
				CHECK_STR(all[k].path, fq_modules[i]->routes[j].path);
		}
	}
	CHECK_INT(k, n);
	for (int i = 0; all && i < n; i++)
		if (strcmp(all[i].permission, FQ_PERM_PUBLIC) &&
		    strcmp(all[i].permission, FQ_PERM_SIGNED_IN) &&
		    !fq_permission_known(all[i].permission)) {
			fprintf(stderr, "  %s %s: permission '%s' is declared by no module\n",
				all[i].method, all[i].path, all[i].permission);
			CHECK(!"every route names a declared permission");
		}
}

/* The policy of DOMAIN §1 as it stood when the permissions moved into the
 * modules: each role with everything it holds (attachment.*: issue 10). */
static const struct {
	const char *role;
	const char *holds;
} policy[] = {
	{"sysadmin", "user.read user.write org.read org.write address.read address.write grid.read "
		     "grid.write outbox.admin "
		     "calendar.read calendar.admin"},
	{"secadmin", "user.read role.assign org.read"},
	{"auditor", "audit.read"},
	{"chief", "user.read org.read address.read address.write grid.read grid.write person.read "
		  "person.write "
		  "person.unmask incident.read incident.write duty.read duty.write duty.override "
		  "patrol.write attachment.read attachment.write "
		  "overview.read overview.mine dispute.read dispute.write dispute.mediate calendar.read "
		  "place.read place.write place.inspect place.unmask place.checklist "
		  "volunteer.read volunteer.write volunteer.unmask volunteer.patrol "
		  "tip.report tip.read tip.triage "
		  "measure.read measure.write registry.read registry.write registry.check "
		  "chatgroup.read chatgroup.write broadcast.send"},
	{"officer", "org.read address.read address.write grid.read person.read person.write "
		    "person.unmask incident.read incident.write duty.read duty.write patrol.write "
		    "attachment.read attachment.write overview.read overview.mine "
		    "dispute.read dispute.write dispute.mediate calendar.read "
		    "place.read place.write place.inspect place.unmask place.checklist "
		    "volunteer.read volunteer.write volunteer.unmask volunteer.patrol "
		    "tip.report tip.read tip.triage "
		    "measure.read measure.write registry.read registry.write registry.check "
		    "chatgroup.read chatgroup.write broadcast.send"},
	{"aux", "org.read address.read address.write grid.read person.read person.write "
		"incident.read "
		"incident.write duty.read patrol.write attachment.read attachment.write "
		"overview.mine dispute.read dispute.write dispute.mediate calendar.read place.read "
		"place.inspect volunteer.read tip.report tip.read "
		"measure.read measure.write registry.read registry.check chatgroup.read"},
	{"mediator", "org.read attachment.read attachment.write overview.mine calendar.read dispute.read dispute.mediate "
		     "registry.read registry.check"},
	{"counselor", "org.read calendar.read"},
	{"volunteer", "org.read volunteer.patrol volunteer.self tip.report"},
	{"resident", ""},
};

struct seen {
	const char *role;
	int count;
};

static void count_held(const char *perm, void *arg)
{
	struct seen *s = arg;

	s->count++;
	for (size_t i = 0; i < sizeof(policy) / sizeof(policy[0]); i++)
		if (!strcmp(policy[i].role, s->role) && !fq_scopes_contain(policy[i].holds, perm)) {
			fprintf(stderr, "  %s holds %s, which the policy does not give it\n",
				s->role, perm);
			CHECK(!"a role holds only its permissions");
		}
}

TEST(roles_hold_what_the_policy_gives)
{
	for (size_t i = 0; i < sizeof(policy) / sizeof(policy[0]); i++) {
		struct seen s = {policy[i].role, 0};
		int expected = 0;
		const char *p = policy[i].holds;

		CHECK(fq_role_find(policy[i].role) != NULL);
		fq_permissions_each(policy[i].role, count_held, &s);
		while (*p) {
			char perm[32];
			size_t len = strcspn(p, " ");

			CHECK(len < sizeof(perm));
			if (len >= sizeof(perm))
				break;
			memcpy(perm, p, len);
			perm[len] = '\0';
			if (!fq_role_allows(policy[i].role, perm)) {
				fprintf(stderr, "  %s lacks %s\n", policy[i].role, perm);
				CHECK(!"a role holds every permission the policy gives it");
			}
			expected++;
			p += len + (p[len] == ' ');
		}
		CHECK_INT(s.count, expected);
	}
	CHECK(!fq_role_allows("nobody", "org.read"));
	CHECK(!fq_role_allows("chief", "no.such"));
	CHECK(!fq_role_allows(NULL, "org.read"));
}

static const struct fq_test tests[] = {
	TEST_ENTRY(modules_are_named_once),
	TEST_ENTRY(permissions_are_declared_once_and_held_by_known_roles),
	TEST_ENTRY(router_sees_every_route_of_every_module),
	TEST_ENTRY(roles_hold_what_the_policy_gives),
};

int main(int argc, char **argv)
{
	return fq_test_main("modules", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
