/* The SQL of org units. */
#include "store/org_store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store.h"

#define ORG_SELECT                                                                       \
	"SELECT o.id, o.parent_id, o.kind, o.name, o.code, o.area_type, o.leader_id,"    \
	" l.display_name AS leader_name, o.resident_aux_id,"                             \
	" a.display_name AS resident_aux_name, o.number_prefix, o.path, o.created_at,"    \
	" o.updated_at"       \
	" FROM org_units o LEFT JOIN users l ON l.id = o.leader_id"                      \
	" LEFT JOIN users a ON a.id = o.resident_aux_id"

static enum fq_err org_row(struct fq_db *db, const char *sql, const char *fmt, int64_t id,
			   const char *code, struct fq_org_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = id ? fq_db_query(db, &st, sql, fmt, id) : fq_db_query(db, &st, sql, fmt, code);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->parent_id = fq_stmt_int(st, 1);
		fq_strlcpy(out->kind, fq_stmt_text(st, 2), sizeof(out->kind));
		fq_strlcpy(out->path, fq_stmt_text(st, 3), sizeof(out->path));
		fq_strlcpy(out->name, fq_stmt_text(st, 4), sizeof(out->name));
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 1 ? FQ_OK : FQ_ERR_NOT_FOUND;
}

enum fq_err fq_store_org_get(struct fq_db *db, int64_t id, struct fq_org_row *out)
{
	return org_row(db, "SELECT id, parent_id, kind, path, name FROM org_units WHERE id = ?1",
		       "i", id, NULL, out);
}

enum fq_err fq_store_org_by_code(struct fq_db *db, const char *code, struct fq_org_row *out)
{
	return org_row(db, "SELECT id, parent_id, kind, path, name FROM org_units WHERE code = ?1",
		       "s", 0, code, out);
}

enum fq_err fq_store_org_insert(struct fq_db *db, int64_t parent_id, const char *parent_path,
				const char *kind, const struct fq_org_fields *f, int64_t *id)
{
	char path[256];
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	err = fq_db_insert(db, id,
			   "INSERT INTO org_units (parent_id, kind, name, code, path, area_type,"
			   " leader_id, resident_aux_id, number_prefix, created_at, updated_at)"
			   " VALUES (NULLIF(?1, 0), ?2, ?3, ?4, '', ?5, NULLIF(?6, 0), NULLIF(?7, 0), ?9,"
			   " ?8, ?8) RETURNING id",
			   "issssiiis", parent_id, kind, f->name, f->code, f->area_type,
			   f->leader_id, f->resident_aux_id, now, f->number_prefix);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s%lld/", parent_path ? parent_path : "/", (long long)*id);
	return fq_db_exec(db, NULL, "UPDATE org_units SET path = ?1 WHERE id = ?2", "si", path, *id);
}

enum fq_err fq_store_org_update(struct fq_db *db, int64_t id, const struct fq_org_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE org_units SET name = COALESCE(?1, name), code = COALESCE(?2, code),"
			  " area_type = COALESCE(?3, area_type),"
			  " leader_id = CASE WHEN ?4 < 0 THEN NULL WHEN ?4 > 0 THEN ?4 ELSE leader_id END,"
			  " resident_aux_id = CASE WHEN ?5 < 0 THEN NULL WHEN ?5 > 0 THEN ?5"
			  " ELSE resident_aux_id END, number_prefix = COALESCE(?8, number_prefix),"
			  " updated_at = ?6 WHERE id = ?7",
			  "sssiiiis", f->name, f->code, f->area_type, f->leader_id, f->resident_aux_id,
			  fq_time_now_ms(), id, f->number_prefix);
}

json_t *fq_store_org_list(struct fq_db *db, const char *scope, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       ORG_SELECT " WHERE substr(o.path, 1, length(?1)) = ?1 ORDER BY o.path",
			       "s", scope);
}

json_t *fq_store_org_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, ORG_SELECT " WHERE o.id = ?1", "i", id);
}
