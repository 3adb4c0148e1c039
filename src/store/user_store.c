/* The SQL of user accounts. */
#include "store/user_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store.h"

#define USER_SELECT                                                                      \
	"SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.name AS org_name,"  \
	" u.disabled, u.locked_until, u.totp_enrolled, u.must_change_password,"          \
	" u.created_at FROM users u JOIN org_units o ON o.id = u.org_id"

static enum fq_err user_row(struct fq_stmt *st, struct fq_user_row *out)
{
	int rc = fq_stmt_next(st);

	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		fq_strlcpy(out->username, fq_stmt_text(st, 1), sizeof(out->username));
		fq_strlcpy(out->role, fq_stmt_text(st, 2), sizeof(out->role));
		out->org_id = fq_stmt_int(st, 3);
		fq_strlcpy(out->org_path, fq_stmt_text(st, 4), sizeof(out->org_path));
		fq_strlcpy(out->password_hash, fq_stmt_text(st, 5), sizeof(out->password_hash));
		out->disabled = fq_stmt_int(st, 6) != 0;
		out->totp_enrolled = fq_stmt_int(st, 7) != 0;
		fq_strlcpy(out->display_name, fq_stmt_text(st, 8), sizeof(out->display_name));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 1 ? FQ_OK : FQ_ERR_NOT_FOUND;
}

#define ROW_SELECT                                                                       \
	"SELECT u.id, u.username, u.role, u.org_id, o.path, u.password_hash, u.disabled,"  \
	" u.totp_enrolled, u.display_name FROM users u JOIN org_units o ON o.id = u.org_id"

enum fq_err fq_store_user_get(struct fq_db *db, int64_t id, struct fq_user_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, ROW_SELECT " WHERE u.id = ?1", "i", id);

	return err ? err : user_row(st, out);
}

enum fq_err fq_store_user_by_name(struct fq_db *db, const char *username, struct fq_user_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, ROW_SELECT " WHERE u.username = ?1", "s", username);

	return err ? err : user_row(st, out);
}

enum fq_err fq_store_user_insert(struct fq_db *db, const struct fq_user_new *u, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO users (username, display_name, role, org_id, password_hash,"
			    " must_change_password, created_at, updated_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
			    "sssisii", u->username, u->display_name, u->role, u->org_id,
			    u->password_hash, (int64_t)u->must_change_password, now);
}

enum fq_err fq_store_user_update(struct fq_db *db, int64_t id, const char *display_name,
				 int64_t org_id, int disabled)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET display_name = COALESCE(?1, display_name),"
			  " org_id = CASE WHEN ?2 > 0 THEN ?2 ELSE org_id END,"
			  " disabled = CASE WHEN ?3 >= 0 THEN ?3 ELSE disabled END, updated_at = ?4"
			  " WHERE id = ?5",
			  "siiii", display_name, org_id, (int64_t)disabled, fq_time_now_ms(), id);
}

enum fq_err fq_store_user_set_role(struct fq_db *db, int64_t id, const char *role)
{
	return fq_db_exec(db, NULL, "UPDATE users SET role = ?1, updated_at = ?2 WHERE id = ?3",
			  "sii", role, fq_time_now_ms(), id);
}

enum fq_err fq_store_user_set_password(struct fq_db *db, int64_t id, const char *hash,
				       bool must_change)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET password_hash = ?1, must_change_password = ?2,"
			  " failed_logins = 0, locked_until = NULL, updated_at = ?3 WHERE id = ?4",
			  "siii", hash, (int64_t)must_change, fq_time_now_ms(), id);
}

enum fq_err fq_store_user_unlock(struct fq_db *db, int64_t id)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?1"
			  " WHERE id = ?2",
			  "ii", fq_time_now_ms(), id);
}

enum fq_err fq_store_user_set_totp(struct fq_db *db, int64_t id, const void *secret, size_t len,
				   bool enrolled, int64_t last_step)
{
	return fq_db_exec(db, NULL,
			  "UPDATE users SET totp_secret = ?1, totp_enrolled = ?2, totp_last_step = ?3,"
			  " updated_at = ?4 WHERE id = ?5",
			  "biiii", secret, len, (int64_t)enrolled, last_step, fq_time_now_ms(), id);
}

enum fq_err fq_store_user_totp(struct fq_db *db, int64_t id, void **secret, size_t *len,
			       int64_t *last_step)
{
	struct fq_stmt *st;
	enum fq_err err;
	const void *p;
	int rc;

	*secret = NULL;
	*len = 0;
	err = fq_db_query(db, &st, "SELECT totp_secret, totp_last_step FROM users WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		p = fq_stmt_blob(st, 0, len);
		*last_step = fq_stmt_int(st, 1);
		if (p && *len && (*secret = malloc(*len)))
			memcpy(*secret, p, *len);
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	return *secret ? FQ_OK : FQ_ERR_NOT_FOUND;
}

json_t *fq_store_user_list(struct fq_db *db, const char *scope, const char *q, int64_t limit,
			   int64_t offset, enum fq_err *err)
{
	char *pattern = fq_db_like_contains(q);
	json_t *rows;

	if (q && !pattern) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	rows = fq_db_list_json(db, err,
			       USER_SELECT " WHERE substr(o.path, 1, length(?1)) = ?1"
					   " AND (CAST(?2 AS TEXT) IS NULL OR u.username LIKE ?2 ESCAPE '\\'"
					   " OR u.display_name LIKE ?2 ESCAPE '\\')"
					   " ORDER BY u.id DESC LIMIT ?3 OFFSET ?4",
			       "ssii", scope, pattern, limit, offset);
	free(pattern);
	return rows;
}

json_t *fq_store_user_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, USER_SELECT " WHERE u.id = ?1", "i", id);
}
