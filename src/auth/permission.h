/* Roles and the permissions they hold (DOMAIN §1). The table in permission.c
 * is the policy; a route names one permission. */
#ifndef FQ_PERMISSION_H
#define FQ_PERMISSION_H

#include <stdbool.h>

struct fq_role {
	const char *name;
	bool whole_tree;   /* sees every org unit, not only its own subtree */
	bool totp_required;
	bool privileged;   /* only secadmin may give this role */
	const char *const *permissions; /* NULL-terminated */
};

extern const struct fq_role fq_roles[];
extern const int fq_roles_count;
extern const char *const fq_permissions_all[]; /* NULL-terminated */

const struct fq_role *fq_role_find(const char *name); /* NULL if unknown */
bool fq_permission_known(const char *perm);
bool fq_role_allows(const char *role, const char *perm);
/* True when perm appears in the space-separated list scopes. */
bool fq_scopes_contain(const char *scopes, const char *perm);

#endif
