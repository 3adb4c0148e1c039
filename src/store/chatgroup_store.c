/* The SQL of chat groups and broadcasts (migration 029): store/chatgroup_store.h. */
#include "store/chatgroup_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/store.h"
#include "core/banned.h"

enum fq_err fq_store_chatgroup_row(struct fq_db *db, int64_t id, struct fq_chatgroup_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT id, org_id, COALESCE(officer_id, 0), COALESCE(channel_id, 0),"
				      " CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, org_path, platform, name"
				      " FROM chat_groups WHERE id = ?1",
				      "i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->org_id = fq_stmt_int(st, 1);
		out->officer_id = fq_stmt_int(st, 2);
		out->channel_id = fq_stmt_int(st, 3);
		out->deleted = fq_stmt_int(st, 4) != 0;
		fq_strlcpy(out->org_path, fq_stmt_text(st, 5), sizeof(out->org_path));
		fq_strlcpy(out->platform, fq_stmt_text(st, 6), sizeof(out->platform));
		fq_strlcpy(out->name, fq_stmt_text(st, 7), sizeof(out->name));
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

enum fq_err fq_store_chatgroup_insert(struct fq_db *db, const struct fq_store_chatgroup_fields *f,
				      int64_t by, int64_t now, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO chat_groups (name, platform, org_id, org_path, officer_id,"
			    " members, note, channel_id, robot_shown, created_by, created_at,"
			    " updated_at) VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6, ?7,"
			    " NULLIF(?8, 0), ?9, ?10, ?11, ?11) RETURNING id",
			    "ssisiisisii", f->name, f->platform, f->org_id, f->org_path,
			    f->officer_id, f->members, f->note, f->channel_id, f->robot_shown, by,
			    now);
}

enum fq_err fq_store_chatgroup_update(struct fq_db *db, int64_t id,
				      const struct fq_store_chatgroup_fields *f, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE chat_groups SET name = ?1, platform = ?2, org_id = ?3, org_path = ?4,"
			  " officer_id = NULLIF(?5, 0), members = ?6, note = ?7,"
			  " channel_id = NULLIF(?8, 0), robot_shown = ?9, updated_at = ?10"
			  " WHERE id = ?11 AND deleted_at IS NULL",
			  "ssisiisisii", f->name, f->platform, f->org_id, f->org_path, f->officer_id,
			  f->members, f->note, f->channel_id, f->robot_shown, now, id);
}

enum fq_err fq_store_chatgroup_delete(struct fq_db *db, int64_t id, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE chat_groups SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2"
			  " AND deleted_at IS NULL",
			  "ii", now, id);
}

/* The LIKE pattern of a list's q (NULL: none); false when out of memory. */
static bool like_of(const char *q, char **like, enum fq_err *err)
{
	*like = q ? fq_db_like_contains(q) : NULL;
	if (q && !*like)
		*err = FQ_ERR_NOMEM;
	return !q || *like;
}

/* The caller's scope [?1, ?2) on the org path of alias ('' for ?1: all). */
#define SCOPE(alias)                                                                \
	" (?1 = '' OR ((" alias ".org_path || '') >= ?1 AND (" alias ".org_path || '') < ?2))"

#define GROUP_SELECT                                                                         \
	"SELECT g.id, g.name, g.platform, g.org_id, o.name AS org_name, g.officer_id,"       \
	" u.display_name AS officer_name, g.members, g.note, g.robot_shown,"                  \
	" CASE WHEN c.id IS NULL THEN 0 ELSE 1 END AS has_robot,"                            \
	" CASE WHEN c.secret_enc IS NULL THEN 0 ELSE 1 END AS robot_signed,"                 \
	" g.created_at, g.updated_at FROM chat_groups g JOIN org_units o ON o.id = g.org_id" \
	" LEFT JOIN users u ON u.id = g.officer_id"                                          \
	" LEFT JOIN outbox_channels c ON c.id = g.channel_id"

json_t *fq_store_chatgroup_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, GROUP_SELECT " WHERE g.id = ?1 AND g.deleted_at IS NULL",
			      "i", id);
}

json_t *fq_store_chatgroup_list(struct fq_db *db, const struct fq_chatgroup_filter *f,
				const char *lo, const char *hi, int64_t offset, int64_t limit,
				int64_t after, enum fq_err *err)
{
	char *like = NULL;
	json_t *rows;

	if (!like_of(f->q, &like, err))
		return NULL;
	rows = fq_db_list_json(
		db, err,
		GROUP_SELECT " WHERE g.deleted_at IS NULL"
			     " AND" SCOPE("g")
			     " AND (?3 = '' OR g.platform = ?3) AND (?4 = 0 OR g.officer_id = ?4)"
			     " AND (?5 = 0 OR g.org_path LIKE (SELECT path FROM org_units WHERE"
			     " id = ?5) || '%')"
			     " AND (?6 < 0 OR (?6 = 1 AND g.channel_id IS NOT NULL) OR"
			     " (?6 = 0 AND g.channel_id IS NULL))"
			     " AND (?7 = '' OR g.name LIKE ?7 ESCAPE '\\' OR g.note LIKE ?7 ESCAPE '\\')"
			     " AND (?8 = 0 OR g.id < ?8) ORDER BY g.id DESC LIMIT ?9 OFFSET ?10",
		"sssiiisiii", lo ? lo : "", hi ? hi : "", f->platform ? f->platform : "",
		f->officer_id, f->org_id, (int64_t)f->robot, like ? like : "", after, limit, offset);
	free(like);
	return rows;
}

enum fq_err fq_store_chatgroup_ids_under(struct fq_db *db, const char *path, const char *lo,
					 const char *hi, int64_t *ids, size_t max, size_t *n)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT id FROM chat_groups WHERE deleted_at IS NULL AND"
				      " org_path LIKE ?1 || '%' AND (?2 = '' OR ((org_path || '') >= ?2"
				      " AND (org_path || '') < ?3)) ORDER BY id LIMIT ?4",
				      "sssi", path, lo ? lo : "", hi ? hi : "", (int64_t)max);
	int rc;

	*n = 0;
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1 && *n < max)
		ids[(*n)++] = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

/* ---- broadcasts ---- */

enum fq_err fq_store_broadcast_insert(struct fq_db *db, const struct fq_store_broadcast_fields *f,
				      int64_t by, int64_t now, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO broadcasts (org_path, kind, title, body, created_by,"
			    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
			    "ssssii", f->org_path, f->kind, f->title, f->body, by, now);
}

enum fq_err fq_store_broadcast_target_insert(struct fq_db *db, int64_t broadcast_id,
					     int64_t group_id, int64_t outbox_id)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO broadcast_targets (broadcast_id, group_id, outbox_id)"
			  " VALUES (?1, ?2, NULLIF(?3, 0))",
			  "iii", broadcast_id, group_id, outbox_id);
}

json_t *fq_store_broadcast_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT b.id, b.kind, b.title, b.body, b.org_path, b.created_by,"
			      " u.display_name AS created_by_name, b.created_at FROM broadcasts b"
			      " JOIN users u ON u.id = b.created_by WHERE b.id = ?1",
			      "i", id);
}

/* A target's state: the delivery's status, or to_post / posted by hand. */
#define TARGET_STATUS                                                                     \
	"CASE WHEN t.outbox_id IS NULL THEN CASE WHEN t.posted_at IS NULL THEN 'to_post'" \
	" ELSE 'posted' END ELSE x.status END"

json_t *fq_store_broadcast_targets(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT t.group_id, g.name AS group_name, g.platform, g.officer_id,"
			       " u.display_name AS officer_name, CASE WHEN g.deleted_at IS NULL THEN 0"
			       " ELSE 1 END AS group_deleted, t.outbox_id, " TARGET_STATUS " AS status,"
			       " COALESCE(x.attempts, 0) AS attempts, x.last_error,"
			       " x.done_at, t.posted_at, p.display_name AS posted_by_name"
			       " FROM broadcast_targets t JOIN chat_groups g ON g.id = t.group_id"
			       " LEFT JOIN users u ON u.id = g.officer_id"
			       " LEFT JOIN users p ON p.id = t.posted_by"
			       " LEFT JOIN outbox x ON x.id = t.outbox_id"
			       " WHERE t.broadcast_id = ?1 ORDER BY t.id",
			       "i", id);
}

enum fq_err fq_store_broadcast_posted(struct fq_db *db, int64_t id, int64_t group_id,
				      int64_t by, int64_t now)
{
	int64_t changes = 0, any = 0;
	enum fq_err err = fq_db_exec(db, &changes,
				     "UPDATE broadcast_targets SET posted_at = ?1, posted_by = ?2"
				     " WHERE broadcast_id = ?3 AND group_id = ?4 AND outbox_id IS NULL"
				     " AND posted_at IS NULL",
				     "iiii", now, by, id, group_id);

	if (err || changes)
		return err;
	err = fq_db_get_int(db, &any,
			    "SELECT count(*) FROM broadcast_targets WHERE broadcast_id = ?1 AND"
			    " group_id = ?2",
			    "ii", id, group_id);
	return err ? err : any ? FQ_ERR_CONFLICT : FQ_ERR_NOT_FOUND;
}

#define COUNT_OF(state)                                                                    \
	" (SELECT count(*) FROM broadcast_targets t LEFT JOIN outbox x ON x.id = t.outbox_id" \
	" WHERE t.broadcast_id = b.id AND " TARGET_STATUS " = '" state "') AS " state

json_t *fq_store_broadcast_list(struct fq_db *db, const struct fq_broadcast_filter *f,
				const char *lo, const char *hi, int64_t offset, int64_t limit,
				int64_t after, enum fq_err *err)
{
	char *like = NULL;
	json_t *rows;

	if (!like_of(f->q, &like, err))
		return NULL;
	rows = fq_db_list_json(
		db, err,
		"SELECT b.id, b.kind, b.title, b.body, b.created_at, b.created_by,"
		" u.display_name AS created_by_name,"
		" (SELECT count(*) FROM broadcast_targets t WHERE t.broadcast_id = b.id) AS group_count,"
		COUNT_OF("delivered") "," COUNT_OF("pending") "," COUNT_OF("failed") ","
		COUNT_OF("to_post") "," COUNT_OF("posted")
		" FROM broadcasts b JOIN users u ON u.id = b.created_by"
		" WHERE" SCOPE("b")
		" AND (?3 = '' OR b.kind = ?3)"
		" AND (?4 = '' OR b.title LIKE ?4 ESCAPE '\\' OR b.body LIKE ?4 ESCAPE '\\')"
		" AND (?5 = 0 OR b.id < ?5) ORDER BY b.id DESC LIMIT ?6 OFFSET ?7",
		"ssssiii", lo ? lo : "", hi ? hi : "", f->kind ? f->kind : "", like ? like : "",
		after, limit, offset);
	free(like);
	return rows;
}

enum fq_err fq_store_broadcast_search_rows(struct fq_db *db, int64_t from, int64_t to,
					   size_t limit, fq_store_broadcast_search_fn fn,
					   void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT id, org_path, kind, title, body FROM broadcasts"
				      " WHERE id >= ?1 AND id <= ?2 ORDER BY id LIMIT ?3",
				      "iii", from, to, (int64_t)limit);
	int rc = 0;

	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_store_broadcast_search_row r = {fq_stmt_int(st, 0), fq_stmt_text(st, 1),
							  fq_stmt_text(st, 2), fq_stmt_text(st, 3),
							  fq_stmt_text(st, 4)};

		err = fn(arg, &r);
	}
	if (!err && rc < 0)
		err = (enum fq_err)-rc;
	fq_stmt_done(st);
	return err;
}
