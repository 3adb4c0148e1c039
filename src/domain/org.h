/* The org tree (DOMAIN §2): bureau > branch > station > police room / beat >
 * grid / village / community. Data scope follows it. */
#ifndef FQ_ORG_H
#define FQ_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

extern const char *const fq_org_kinds[];      /* NULL-terminated */
extern const char *const fq_org_area_types[]; /* urban, suburban, rural */

struct fq_org_input {
	int64_t parent_id; /* 0 = a root (a bureau) */
	const char *kind;
	const char *name;
	const char *code;
	const char *area_type;
	int64_t leader_id;       /* 0 = unchanged/none, -1 = clear (update) */
	int64_t resident_aux_id; /* only for a village */
	const char *number_prefix; /* a station's record numbers ("LL"); NULL = unchanged */
};

/* May a unit of kind sit under a unit of parent_kind (NULL = root)? */
bool fq_org_parent_allowed(const char *kind, const char *parent_kind);

enum fq_err fq_org_create(struct fq_ctx *c, const struct fq_org_input *in, int64_t *id);
/* Updates name, code, area type, leader, resident aux (NULL / 0 = unchanged). */
enum fq_err fq_org_update(struct fq_ctx *c, int64_t id, const struct fq_org_input *in);
/* The unit as JSON, when the caller may see it (else FQ_ERR_NOT_FOUND). */
json_t *fq_org_get(struct fq_ctx *c, int64_t id);
json_t *fq_org_list(struct fq_ctx *c);
/* Checks that org id exists and is in the caller's scope; *path (arena) and
 * *kind (arena) may be NULL. field names the input for the error. */
enum fq_err fq_org_visible(struct fq_ctx *c, int64_t id, const char *field, const char **path,
			   const char **kind);
/* A leader, resident aux or grid worker must be an active user the caller
 * can see; need_role (NULL = any) is the role they must hold (a village's
 * resident aux: "aux"). user_id ≤ 0 passes. field names the input. */
enum fq_err fq_org_check_user(struct fq_ctx *c, int64_t user_id, const char *field,
			      const char *need_role);

#endif
