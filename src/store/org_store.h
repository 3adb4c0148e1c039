/* SQL for the org tree. Paths are '/1/4/9/': the ids from the root. */
#ifndef FQ_ORG_STORE_H
#define FQ_ORG_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_org_row {
	int64_t id;
	int64_t parent_id;
	char kind[16];
	char path[256];
	char name[256];
};

struct fq_org_fields {
	const char *name;
	const char *code;
	const char *area_type;
	int64_t leader_id;       /* 0 = none */
	int64_t resident_aux_id; /* 0 = none */
	const char *number_prefix; /* NULL = none (insert) / unchanged (update) */
};

/* FQ_ERR_NOT_FOUND when there is no such unit. */
enum fq_err fq_store_org_get(struct fq_db *db, int64_t id, struct fq_org_row *out);
enum fq_err fq_store_org_by_code(struct fq_db *db, const char *code, struct fq_org_row *out);
/* Inserts under parent (0 = root) and sets the path; FQ_ERR_CONFLICT for a
 * code in use. */
enum fq_err fq_store_org_insert(struct fq_db *db, int64_t parent_id, const char *parent_path,
				const char *kind, const struct fq_org_fields *f, int64_t *id);
enum fq_err fq_store_org_update(struct fq_db *db, int64_t id, const struct fq_org_fields *f);
/* Units whose path starts with scope, as JSON objects, in tree order. */
json_t *fq_store_org_list(struct fq_db *db, const char *scope, enum fq_err *err);
json_t *fq_store_org_json(struct fq_db *db, int64_t id, enum fq_err *err);

#endif
