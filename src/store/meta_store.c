/* The SQL of table meta (named values such as the key check) and whether any
 * user exists. */
#include "store/meta_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

enum fq_err fq_store_meta_get(struct fq_db *db, const char *name, void **value, size_t *len)
{
	struct fq_stmt *st;
	const void *p;
	enum fq_err err = fq_db_query(db, &st, "SELECT value FROM meta WHERE name = ?1", "s", name);
	int rc;

	*value = NULL;
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		p = fq_stmt_blob(st, 0, len);
		*value = malloc(*len ? *len : 1);
		if (*value && *len)
			memcpy(*value, p, *len);
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (rc == 0)
		return FQ_ERR_NOT_FOUND;
	return *value ? FQ_OK : FQ_ERR_NOMEM;
}

enum fq_err fq_store_meta_set(struct fq_db *db, const char *name, const void *value, size_t len)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO meta (name, value) VALUES (?1, ?2)"
			  " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			  "sb", name, value, len);
}

enum fq_err fq_store_has_users(struct fq_db *db, int *has)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, "SELECT EXISTS (SELECT 1 FROM users)", NULL);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*has = rc == 1 && fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}
