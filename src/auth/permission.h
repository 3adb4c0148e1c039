/* Roles (DOMAIN §1) and the permissions they hold. The roles are a table in
 * permission.c; each module declares the permissions it defines and the roles
 * that hold them (src/api/module.h). A route names one permission. */
#ifndef FQ_PERMISSION_H
#define FQ_PERMISSION_H

#include <stdbool.h>

struct fq_role {
	const char *name;
	bool whole_tree;   /* sees every org unit, not only its own subtree */
	bool totp_required;
	bool privileged;   /* only secadmin may give this role */
};

extern const struct fq_role fq_roles[];
extern const int fq_roles_count;

const struct fq_role *fq_role_find(const char *name); /* NULL if unknown */
bool fq_permission_known(const char *perm);
bool fq_role_allows(const char *role, const char *perm);
/* Calls fn for each permission role holds (every permission when role is
 * NULL), in module order. */
typedef void (*fq_permission_fn)(const char *perm, void *arg);
void fq_permissions_each(const char *role, fq_permission_fn fn, void *arg);
/* True when perm appears in the space-separated list scopes. */
bool fq_scopes_contain(const char *scopes, const char *perm);

#endif
