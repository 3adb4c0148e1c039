/* The SQL of attachments (store/attachment_store.h). */
#include "store/attachment_store.h"

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/banned.h"
#include "store/store.h"

#define ATTACHMENT_COLUMNS                                                                \
	"a.id, a.record_type, a.record_id, a.kind, a.name, a.content_type, a.size,"       \
	" a.sha256, a.width, a.height, a.has_thumbnail, a.uploaded_by,"                   \
	" u.display_name AS uploaded_by_name, a.uploaded_at, a.deleted_by, a.deleted_at"  \
	" FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by"

enum fq_err fq_store_attachment_insert(struct fq_db *db, const struct fq_attachment_new *a,
				       int64_t *id)
{
	enum fq_err err = fq_db_insert(
		db, id,
		"INSERT INTO attachments (record_type, record_id, kind, name, content_type, size,"
		" sha256, width, height, has_thumbnail, uploaded_by, uploaded_at) VALUES (?1, ?2,"
		" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?11 > 0 THEN ?11 END, ?12) RETURNING id",
		"sisssisiiiii", a->record_type, a->record_id, a->kind, a->name, a->content_type,
		(int64_t)a->size, a->sha256, a->width, a->height, (int64_t)(a->thumbnail != NULL),
		a->by, a->at);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO attachment_contents (id, content, thumbnail)"
				 " VALUES (?1, ?2, ?3)",
				 "ibb", *id, a->content, a->size, a->thumbnail, a->thumbnail_len);
	return err;
}

json_t *fq_store_attachment_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, "SELECT " ATTACHMENT_COLUMNS " WHERE a.id = ?1", "i", id);
}

json_t *fq_store_attachments_of(struct fq_db *db, const char *record_type, int64_t record_id,
				const char *kind, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT " ATTACHMENT_COLUMNS " WHERE a.record_type = ?1 AND"
			       " a.record_id = ?2 AND a.deleted_at IS NULL AND (CAST(?3 AS TEXT) IS NULL OR"
			       " a.kind = ?3) ORDER BY a.id LIMIT ?4",
			       "sisi", record_type, record_id, kind, limit);
}

enum fq_err fq_store_attachments_count(struct fq_db *db, const char *record_type,
				       int64_t record_id, int64_t *n)
{
	return fq_db_get_int(db, n,
			     "SELECT count(*) FROM attachments WHERE record_type = ?1 AND"
			     " record_id = ?2 AND deleted_at IS NULL",
			     "si", record_type, record_id);
}

enum fq_err fq_store_attachment_bytes(struct fq_db *db, int64_t id, int thumbnail,
				      struct fq_arena *arena, const void **out, size_t *len)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  thumbnail ? "SELECT thumbnail FROM attachment_contents WHERE"
				      " id = ?1 AND thumbnail IS NOT NULL"
				    : "SELECT content FROM attachment_contents WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		const void *p = fq_stmt_blob(st, 0, len);
		void *copy = fq_arena_alloc(arena, *len ? *len : 1);

		if (!copy) {
			err = FQ_ERR_NOMEM;
		} else {
			if (*len)
				memcpy(copy, p, *len);
			*out = copy;
		}
	} else {
		err = rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
	}
	fq_stmt_done(st);
	return err;
}

enum fq_err fq_store_attachment_delete(struct fq_db *db, int64_t id, int64_t by, int64_t at)
{
	int64_t n = 0;
	enum fq_err err = fq_db_exec(db, &n,
				     "UPDATE attachments SET deleted_by = ?1, deleted_at = ?2,"
				     " has_thumbnail = 0 WHERE id = ?3 AND deleted_at IS NULL",
				     "iii", by, at, id);

	if (!err && !n)
		return FQ_ERR_NOT_FOUND;
	if (!err)
		err = fq_db_exec(db, NULL, "DELETE FROM attachment_contents WHERE id = ?1",
				 "i", id);
	return err;
}

enum fq_err fq_store_attachment_in_use(struct fq_db *db, int64_t id, int *used)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT (SELECT count(*) FROM onsite_signatures WHERE"
					" attachment_id = ?1) + (SELECT count(*) FROM"
					" dispute_agreement_signatures WHERE attachment_id = ?1)",
					"i", id);

	*used = !err && n > 0;
	return err;
}
