/* Facts about the installation (table meta). */
#ifndef FQ_META_STORE_H
#define FQ_META_STORE_H

#include <stddef.h>

#include "core/err.h"

struct fq_db;

/* *value is a malloc'd copy (to free()); FQ_ERR_NOT_FOUND when unset. */
enum fq_err fq_store_meta_get(struct fq_db *db, const char *name, void **value, size_t *len);
enum fq_err fq_store_meta_set(struct fq_db *db, const char *name, const void *value, size_t len);
/* Whether any user account exists: the database was initialised. */
enum fq_err fq_store_has_users(struct fq_db *db, int *has);

#endif
