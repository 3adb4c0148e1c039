/* The rules of the org tree: which kind of unit may sit under which, the
 * caller's scope, creating, changing and listing units. */
#include "domain/org.h"

#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "store/org_store.h"
#include "store/store.h"
#include "store/user_store.h"

const char *const fq_org_kinds[] = {
	"bureau", "branch", "station", "police_room", "beat", "grid", "village", "community", NULL,
};
const char *const fq_org_area_types[] = {"urban", "suburban", "rural", NULL};

/* kind, the kinds it may sit under ("" = may be a root) */
static const char *const parents[][2] = {
	{"bureau", ""},
	{"branch", "bureau"},
	{"station", "branch bureau"},
	{"police_room", "station"},
	{"beat", "station police_room"},
	{"community", "station police_room beat"},
	{"village", "station police_room beat"},
	{"grid", "station police_room beat community village"},
};

bool fq_org_parent_allowed(const char *kind, const char *parent_kind)
{
	for (size_t i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		const char *p = parents[i][1];
		size_t n;

		if (strcmp(parents[i][0], kind))
			continue;
		if (!parent_kind)
			return !*p;
		n = strlen(parent_kind);
		while (*p) {
			const char *sp = strchr(p, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);
			if (len == n && !memcmp(p, parent_kind, n))
				return true;
			p = sp ? sp + 1 : p + len;
		}
		return false;
	}
	return false;
}

enum fq_err fq_org_visible(struct fq_ctx *c, int64_t id, const char *field, const char **path,
			   const char **kind)
{
	struct fq_org_row row;
	enum fq_err err = fq_store_org_get(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, row.path)))
		return fq_fail(c->e, field ? FQ_ERR_INVALID : FQ_ERR_NOT_FOUND, NULL, field,
			       "org unit %lld does not exist or is outside your area", (long long)id);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (path)
		*path = fq_arena_strdup(c->arena, row.path);
	if (kind)
		*kind = fq_arena_strdup(c->arena, row.kind);
	return FQ_OK;
}

enum fq_err fq_org_check_user(struct fq_ctx *c, int64_t user_id, const char *field,
			      const char *need_role)
{
	struct fq_user_row u;
	enum fq_err err;

	if (user_id <= 0)
		return FQ_OK;
	err = fq_store_user_get(c->db, user_id, &u);
	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, u.org_path)))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			       "user %lld does not exist or is outside your area", (long long)user_id);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (u.disabled)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field, "user %lld is disabled",
			       (long long)user_id);
	if (need_role && strcmp(u.role, need_role))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			       "%s must be a user with the role %s", field, need_role);
	return FQ_OK;
}

static enum fq_err store_result(struct fq_ctx *c, enum fq_err err, const char *code)
{
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, NULL, "code", "the code '%s' is used by another org unit",
			       code);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return FQ_OK;
}

/* A station's number prefix: 1–8 capital letters or digits. */
static enum fq_err check_prefix(struct fq_ctx *c, const char *prefix, const char *kind)
{
	size_t n = prefix ? strlen(prefix) : 0;

	if (!prefix)
		return FQ_OK;
	if (strcmp(kind, "station"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "number_prefix",
			       "only a station numbers its records");
	for (size_t i = 0; i < n; i++)
		if (!((prefix[i] >= 'A' && prefix[i] <= 'Z') || (prefix[i] >= '0' && prefix[i] <= '9')))
			n = 0;
	if (n < 1 || n > 8)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "number_prefix",
			       "a number prefix is 1 to 8 capital letters or digits, like LL");
	return FQ_OK;
}

enum fq_err fq_org_create(struct fq_ctx *c, const struct fq_org_input *in, int64_t *id)
{
	const char *parent_path = NULL, *parent_kind = NULL;
	struct fq_org_fields f = {in->name, in->code, in->area_type, in->leader_id,
				  in->resident_aux_id, in->number_prefix};
	enum fq_err err;

	if (in->parent_id) {
		err = fq_org_visible(c, in->parent_id, "parent_id", &parent_path, &parent_kind);
		if (err)
			return err;
	} else if (!c->who->whole_tree) {
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, "parent_id",
			       "only an administrator of the whole tree can add a root unit");
	}
	if (!fq_org_parent_allowed(in->kind, parent_kind))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "kind",
			       parent_kind ? "a %s cannot be placed under a %s"
					   : "a %s cannot be a root unit%s",
			       in->kind, parent_kind ? parent_kind : "");
	if (in->resident_aux_id && strcmp(in->kind, "village"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "resident_aux_id",
			       "only a village has a resident auxiliary officer");
	err = check_prefix(c, in->number_prefix, in->kind);
	if (!err)
		err = fq_org_check_user(c, in->leader_id, "leader_id", NULL);
	if (!err)
		err = fq_org_check_user(c, in->resident_aux_id, "resident_aux_id", "aux");
	if (err)
		return err;
	return store_result(c, fq_store_org_insert(c->db, in->parent_id, parent_path, in->kind, &f, id),
			    in->code);
}

enum fq_err fq_org_update(struct fq_ctx *c, int64_t id, const struct fq_org_input *in)
{
	struct fq_org_fields f = {in->name, in->code, in->area_type, in->leader_id,
				  in->resident_aux_id, in->number_prefix};
	const char *kind;
	enum fq_err err = fq_org_visible(c, id, NULL, NULL, &kind);

	if (err)
		return err;
	if (in->resident_aux_id > 0 && strcmp(kind, "village"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "resident_aux_id",
			       "only a village has a resident auxiliary officer");
	err = check_prefix(c, in->number_prefix, kind);
	if (!err)
		err = fq_org_check_user(c, in->leader_id, "leader_id", NULL);
	if (!err)
		err = fq_org_check_user(c, in->resident_aux_id, "resident_aux_id", "aux");
	if (err)
		return err;
	return store_result(c, fq_store_org_update(c->db, id, &f), in->code);
}

json_t *fq_org_get(struct fq_ctx *c, int64_t id)
{
	enum fq_err err = fq_org_visible(c, id, NULL, NULL, NULL);
	json_t *row;

	if (err)
		return NULL;
	row = fq_store_org_json(c->db, id, &err);
	if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return row;
}

json_t *fq_org_list(struct fq_ctx *c)
{
	enum fq_err err;
	json_t *rows = fq_store_org_list(c->db, c->who->whole_tree ? "/" : c->who->org_path, &err);

	if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return rows;
}
