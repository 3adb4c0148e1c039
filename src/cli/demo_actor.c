/* Acting as a demo login (cli/demo.h): the principal a module's demo part
 * runs its domain calls as. */
#include <stdio.h>

#include "cli/demo.h"
#include "domain/ctx.h"
#include "store/user_store.h"
#include "core/banned.h"

enum fq_err fq_demo_as_user(struct fq_ctx *c, const char *username, const char *role,
			    struct fq_demo_actor *a)
{
	struct fq_user_row u;
	enum fq_err err = fq_store_user_by_name(c->db, username, &u);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "demo user %s is missing", username);
	snprintf(a->name, sizeof(a->name), "%s", u.display_name);
	snprintf(a->path, sizeof(a->path), "%s", u.org_path);
	a->id = u.id;
	a->who = (struct fq_principal){.user_id = u.id, .username = username, .display_name = a->name,
				       .role = role, .org_id = u.org_id, .org_path = a->path};
	return FQ_OK;
}
