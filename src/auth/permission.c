/* Roles and their permissions, token scopes, and the data scope of a caller
 * (which org units it sees). */
#include "auth/permission.h"

#include <string.h>

#include "api/module.h"
#include "auth/principal.h"
#include "core/banned.h"

/* The roles of DOMAIN §1. What each may do is declared by the modules, with
 * each permission they define (src/api/<module>.c, read through fq_modules). */
/*   name         whole_tree totp  privileged */
const struct fq_role fq_roles[] = {
	{"sysadmin",  true,  true,  true},
	{"secadmin",  true,  true,  true},
	{"auditor",   true,  true,  true},
	{"chief",     false, true,  false},
	{"officer",   false, false, false},
	{"aux",       false, false, false},
	{"mediator",  false, false, false},
	{"counselor", false, false, false},
	{"volunteer", false, false, false},
	{"resident",  false, false, false},
};

const int fq_roles_count = sizeof(fq_roles) / sizeof(fq_roles[0]);

const struct fq_role *fq_role_find(const char *name)
{
	for (int i = 0; name && i < fq_roles_count; i++)
		if (!strcmp(fq_roles[i].name, name))
			return &fq_roles[i];
	return NULL;
}

/* The grant of perm, or NULL when no module defines it. */
static const struct fq_permission_grant *find_grant(const char *perm)
{
	for (int i = 0; perm && fq_modules[i]; i++)
		for (const struct fq_permission_grant *g = fq_modules[i]->permissions;
		     g && g->permission; g++)
			if (!strcmp(g->permission, perm))
				return g;
	return NULL;
}

bool fq_permission_known(const char *perm)
{
	return find_grant(perm) != NULL;
}

bool fq_role_allows(const char *role, const char *perm)
{
	const struct fq_permission_grant *g = find_grant(perm);

	return role && g && fq_role_find(role) && fq_scopes_contain(g->roles, role);
}

void fq_permissions_each(const char *role, fq_permission_fn fn, void *arg)
{
	for (int i = 0; fq_modules[i]; i++)
		for (const struct fq_permission_grant *g = fq_modules[i]->permissions;
		     g && g->permission; g++)
			if (!role || fq_scopes_contain(g->roles, role))
				fn(g->permission, arg);
}

bool fq_scopes_contain(const char *scopes, const char *perm)
{
	size_t n = strlen(perm);
	const char *p = scopes;

	while (p && *p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (len == n && !memcmp(p, perm, n))
			return true;
		p = sp ? sp + 1 : NULL;
	}
	return false;
}

bool fq_principal_may(const struct fq_principal *who, const char *perm)
{
	if (!who->role || !fq_role_allows(who->role, perm))
		return false;
	return !who->token_id || fq_scopes_contain(who->scopes, perm);
}

bool fq_org_path_under(const char *path, const char *top)
{
	return path && top && !strncmp(path, top, strlen(top));
}

void fq_org_subtree(const char *path, char *lo, char *hi, size_t size)
{
	size_t n = strlen(path);

	if (n + 1 > size)
		n = size - 1;
	memcpy(lo, path, n);
	lo[n] = '\0';
	memcpy(hi, path, n);
	hi[n] = '\0';
	if (n)
		hi[n - 1] = '0'; /* the trailing '/' becomes the next character up */
}

bool fq_principal_sees(const struct fq_principal *who, const char *org_path)
{
	return who->whole_tree || fq_org_path_under(org_path, who->org_path);
}

void fq_principal_scope(const struct fq_principal *who, char *lo, char *hi, size_t size)
{
	fq_org_subtree(who->whole_tree || !who->org_path ? "/" : who->org_path, lo, hi, size);
}
