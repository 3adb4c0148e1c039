#include "auth/permission.h"

#include <string.h>

#include "auth/principal.h"
#include "core/banned.h"

const char *const fq_permissions_all[] = {
	"user.read", "user.write", "role.assign", "org.read", "org.write",
	"address.read", "address.write", "person.read", "person.write", "person.unmask",
	"incident.read", "incident.write", "duty.read", "duty.write", "duty.override",
	"patrol.write", "audit.read", NULL,
};

static const char *const perms_sysadmin[] = {
	"user.read", "user.write", "org.read", "org.write", "address.read", "address.write", NULL,
};
static const char *const perms_secadmin[] = {"user.read", "role.assign", "org.read", NULL};
static const char *const perms_auditor[] = {"audit.read", NULL};
static const char *const perms_chief[] = {
	"user.read", "org.read", "address.read", "address.write",
	"person.read", "person.write", "person.unmask", "incident.read", "incident.write",
	"duty.read", "duty.write", "duty.override", "patrol.write", NULL,
};
static const char *const perms_officer[] = {
	"org.read", "address.read", "address.write", "person.read", "person.write",
	"person.unmask", "incident.read", "incident.write", "duty.read", "duty.write",
	"patrol.write", NULL,
};
static const char *const perms_aux[] = {
	"org.read", "address.read", "address.write", "person.read", "person.write",
	"incident.read", "incident.write", "duty.read", "patrol.write", NULL,
};
static const char *const perms_minimal[] = {"org.read", NULL};
static const char *const perms_none[] = {NULL};

/*   name         whole_tree totp  privileged  permissions */
const struct fq_role fq_roles[] = {
	{"sysadmin",  true,  true,  true,  perms_sysadmin},
	{"secadmin",  true,  true,  true,  perms_secadmin},
	{"auditor",   true,  true,  true,  perms_auditor},
	{"chief",     false, true,  false, perms_chief},
	{"officer",   false, false, false, perms_officer},
	{"aux",       false, false, false, perms_aux},
	{"mediator",  false, false, false, perms_minimal},
	{"counselor", false, false, false, perms_minimal},
	{"volunteer", false, false, false, perms_minimal},
	{"resident",  false, false, false, perms_none},
};

const int fq_roles_count = sizeof(fq_roles) / sizeof(fq_roles[0]);

const struct fq_role *fq_role_find(const char *name)
{
	for (int i = 0; name && i < fq_roles_count; i++)
		if (!strcmp(fq_roles[i].name, name))
			return &fq_roles[i];
	return NULL;
}

bool fq_permission_known(const char *perm)
{
	for (int i = 0; fq_permissions_all[i]; i++)
		if (!strcmp(fq_permissions_all[i], perm))
			return true;
	return false;
}

bool fq_role_allows(const char *role, const char *perm)
{
	const struct fq_role *r = fq_role_find(role);

	for (int i = 0; r && r->permissions[i]; i++)
		if (!strcmp(r->permissions[i], perm))
			return true;
	return false;
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
