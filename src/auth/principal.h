/* The caller of a request: a signed-in user or an API token acting for one. */
#ifndef FQ_PRINCIPAL_H
#define FQ_PRINCIPAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fq_principal {
	int64_t user_id;
	const char *username;
	const char *display_name;
	const char *role;
	int64_t org_id;
	const char *org_name;
	const char *org_path;  /* data scope: records whose org_path starts with it */
	bool whole_tree;       /* sysadmin, secadmin, auditor */
	int64_t session_id;    /* 0 for a bearer token */
	const char *csrf_token;
	int64_t token_id;      /* 0 for a session */
	const char *scopes;    /* token scopes, space-separated */
	bool must_change_password;
	bool totp_enrolled;
	bool totp_required;
	bool needs_touch;      /* the last-use time is stale: fq_auth_touch */
};

/* True when a record whose org path is org_path is in the caller's data scope. */
bool fq_principal_sees(const struct fq_principal *who, const char *org_path);

/* The caller's scope as a half-open range of org paths [lo, hi), for an
 * index range scan: paths hold digits and '/', and '0' follows '/'. */
void fq_principal_scope(const struct fq_principal *who, char *lo, char *hi, size_t size);

#endif
