/* Roles (DOMAIN §1) and the permissions they hold. The roles are a table in
 * permission.c; each module declares the permissions it defines and the roles
 * that hold them (src/api/module.h). A route names one permission. */
#ifndef FQ_PERMISSION_H
#define FQ_PERMISSION_H

#include <stdbool.h>
#include <stddef.h>

struct fq_principal;

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

/* True when the caller holds perm: their role allows it and, for an API
 * token, its scopes contain it (the check the router makes for a route). */
bool fq_principal_may(const struct fq_principal *who, const char *perm);

/* Org paths ("/1/4/9/"): data scope for what is not the caller's own (see
 * fq_principal_sees and fq_principal_scope in principal.h for that). */
/* True when path is top or below it; false when either is NULL. */
bool fq_org_path_under(const char *path, const char *top);
/* The subtree at path as a half-open range [lo, hi) of org paths. */
void fq_org_subtree(const char *path, char *lo, char *hi, size_t size);

#endif
