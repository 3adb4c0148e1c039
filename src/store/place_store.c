/* The SQL of places and inspections (migration 025): store/place_store.h. */
#include "store/place_store.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "store/store.h"
#include "core/banned.h"

/* The status at ?N (see the header), as the list, its filter and the detail
 * read it. The parameter is written twice: PostgreSQL types it bigint. */
#define STATUS_SQL(now)                                                                      \
	"CASE WHEN p.rectify_due_at IS NOT NULL AND p.rectify_due_at <= " now                \
	" THEN 'rectify_overdue' WHEN p.next_due_at IS NOT NULL AND p.next_due_at <= " now   \
	" THEN 'overdue' WHEN p.rectify_due_at IS NOT NULL THEN 'rectify_pending' WHEN"      \
	" p.next_due_at IS NOT NULL AND p.next_due_at <= " now " + 604800000 THEN 'due'"     \
	" ELSE 'ok' END"

enum fq_err fq_store_place_row(struct fq_db *db, int64_t id, struct fq_place_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT id, grid_id, address_id, COALESCE(officer_id, 0), COALESCE(interval_days, 0),"
		" COALESCE(rectify_inspection_id, 0), COALESCE(rectify_due_at, 0),"
		" COALESCE(next_due_at, 0), COALESCE(last_inspected_at, 0), org_path, kind, name"
		" FROM places WHERE id = ?1",
		"i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		int64_t *ints[] = {&out->id, &out->grid_id, &out->address_id, &out->officer_id,
				   &out->interval_days, &out->rectify_inspection_id,
				   &out->rectify_due_at, &out->next_due_at, &out->last_inspected_at};

		for (int i = 0; i < 9; i++)
			*ints[i] = fq_stmt_int(st, i);
		fq_strlcpy(out->org_path, fq_stmt_text(st, 9), sizeof(out->org_path));
		fq_strlcpy(out->kind, fq_stmt_text(st, 10), sizeof(out->kind));
		fq_strlcpy(out->name, fq_stmt_text(st, 11), sizeof(out->name));
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

enum fq_err fq_store_place_insert(struct fq_db *db, const struct fq_store_place_fields *f,
				  int64_t by, int64_t now, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO places (kind, name, address_id, grid_id, org_path,"
			    " owner_name, owner_phone_enc, owner_phone_mask, officer_id, licences,"
			    " interval_days, next_due_at, created_by, created_at, updated_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, 0), ?10,"
			    " NULLIF(?11, 0), NULLIF(?12, 0), ?13, ?14, ?14) RETURNING id",
			    "ssiissbsisiiii", f->kind, f->name, f->address_id, f->grid_id, f->org_path,
			    f->owner_name, f->owner_phone_enc, f->owner_phone_enc_len,
			    f->owner_phone_mask, f->officer_id, f->licences, f->interval_days,
			    f->next_due_at, by, now);
}

enum fq_err fq_store_place_update(struct fq_db *db, int64_t id,
				  const struct fq_store_place_fields *f, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE places SET kind = ?1, name = ?2, address_id = ?3, grid_id = ?4,"
			  " org_path = ?5, owner_name = ?6, owner_phone_enc = ?7,"
			  " owner_phone_mask = ?8, officer_id = NULLIF(?9, 0), licences = ?10,"
			  " interval_days = NULLIF(?11, 0), next_due_at = NULLIF(?12, 0),"
			  " updated_at = ?13 WHERE id = ?14",
			  "ssiissbsisiiii", f->kind, f->name, f->address_id, f->grid_id, f->org_path,
			  f->owner_name, f->owner_phone_enc, f->owner_phone_enc_len,
			  f->owner_phone_mask, f->officer_id, f->licences, f->interval_days,
			  f->next_due_at, now, id);
}

enum fq_err fq_store_place_sealed(struct fq_db *db, int64_t id, void **enc, size_t *len)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, "SELECT owner_phone_enc FROM places WHERE id = ?1",
				      "i", id);
	int rc;

	*enc = NULL;
	*len = 0;
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1 && !fq_stmt_null(st, 0)) {
		const void *b = fq_stmt_blob(st, 0, len);

		*enc = *len ? malloc(*len) : NULL;
		if (*enc)
			memcpy(*enc, b, *len);
		else
			err = *len ? FQ_ERR_NOMEM : FQ_OK;
	}
	fq_stmt_done(st);
	return err ? err : rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

#define PLACE_COLUMNS                                                                         \
	"p.id, p.kind, p.name, p.address_id, a.full_text AS address, a.lat, a.lng, p.grid_id,"  \
	" g.name AS grid_name, p.owner_name, p.owner_phone_mask AS owner_phone, p.officer_id,"  \
	" u.display_name AS officer_name, p.licences, p.interval_days, p.last_inspected_at,"    \
	" p.next_due_at, p.rectify_inspection_id, p.rectify_due_at, (SELECT ri.rectify_due_on"    \
	" FROM place_inspections ri WHERE ri.id = p.rectify_inspection_id) AS rectify_due_on,"    \
	" p.created_at, p.updated_at"

#define PLACE_FROM                                                                             \
	" FROM places p JOIN addresses a ON a.id = p.address_id JOIN org_units g ON g.id ="    \
	" p.grid_id LEFT JOIN users u ON u.id = p.officer_id"

json_t *fq_store_place_json(struct fq_db *db, int64_t id, int64_t now, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT " PLACE_COLUMNS ", " STATUS_SQL("?2") " AS status" PLACE_FROM
			      " WHERE p.id = ?1",
			      "ii", id, now);
}

/* The list's text, one fragment per filter given, each with parameters of
 * its own (bound as text: PostgreSQL infers the column's type), so each
 * combination is its own cached statement. ?1 limit, ?2 offset, ?3 now. */
#define LIST_MAX_PARAMS 10

struct list_q {
	struct fq_buf sql;
	const char *v[LIST_MAX_PARAMS];
	char num[LIST_MAX_PARAMS][24];
	int n;
	enum fq_err err;
};

/* " AND " fragment, its "$" the next parameter (value v, or the integer i
 * when v is NULL). */
static void where(struct list_q *q, const char *fragment, const char *v, int64_t i)
{
	const char *dollar = strchr(fragment, '$');

	if (q->err)
		return;
	if (!dollar) {
		q->err = fq_buf_addf(&q->sql, " AND %s", fragment);
		return;
	}
	if (q->n == LIST_MAX_PARAMS) {
		q->err = FQ_ERR_INTERNAL;
		return;
	}
	if (!v) {
		snprintf(q->num[q->n], sizeof(q->num[q->n]), "%" PRId64, i);
		v = q->num[q->n];
	}
	q->v[q->n++] = v;
	q->err = fq_buf_addf(&q->sql, " AND %.*s?%d%s", (int)(dollar - fragment), fragment,
			     q->n + 3, dollar + 1);
}

json_t *fq_store_place_list(struct fq_db *db, const struct fq_place_filter *f, const char *lo,
			    const char *hi, int64_t offset, int64_t limit, int64_t after,
			    enum fq_err *err)
{
	struct list_q q = {.n = 0};
	char fmt[LIST_MAX_PARAMS + 4], *like = NULL;
	const char *const *v = q.v;
	struct fq_stmt *st;
	json_t *rows = NULL;

	fq_buf_init(&q.sql, 8192);
	q.err = fq_buf_adds(&q.sql, "SELECT " PLACE_COLUMNS ", " STATUS_SQL("?3")
				    " AS status" PLACE_FROM " WHERE 1 = 1");
	if (lo) {
		where(&q, "(p.org_path || '') >= $", lo, 0);
		where(&q, "(p.org_path || '') < $", hi, 0);
	}
	if (f->kind)
		where(&q, "p.kind = $", f->kind, 0);
	if (f->officer_id)
		where(&q, "p.officer_id = $", NULL, f->officer_id);
	if (f->org_id)
		where(&q, "p.org_path LIKE (SELECT path FROM org_units WHERE id = $) || '%'", NULL,
		      f->org_id);
	if (f->status && !strcmp(f->status, "attention"))
		where(&q, "(" STATUS_SQL("?3") ") <> 'ok'", NULL, 0);
	else if (f->status)
		where(&q, "(" STATUS_SQL("?3") ") = $", f->status, 0);
	if (f->q) {
		like = fq_db_like_contains(f->q);
		if (!like)
			q.err = q.err ? q.err : FQ_ERR_NOMEM;
		where(&q, "(p.name LIKE $ ESCAPE '\\'", like, 0);
		if (!q.err) /* the same parameter, twice more */
			q.err = fq_buf_addf(&q.sql, " OR p.owner_name LIKE ?%d ESCAPE '\\' OR"
						    " a.full_text LIKE ?%d ESCAPE '\\')",
					    q.n + 3, q.n + 3);
	}
	if (after)
		where(&q, "p.id < $", NULL, after);
	if (!q.err)
		q.err = fq_buf_adds(&q.sql, " ORDER BY p.id DESC LIMIT ?1 OFFSET ?2");
	if (!q.err) {
		memcpy(fmt, "iii", 3);
		memset(fmt + 3, 's', (size_t)q.n);
		fmt[3 + q.n] = '\0';
		q.err = fq_db_query(db, &st, q.sql.ptr, fmt, limit, offset, f->now, v[0], v[1],
				    v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
		if (!q.err) {
			rows = fq_stmt_rows_json(st, &q.err);
			fq_stmt_done(st);
		}
	}
	*err = q.err;
	free(like);
	fq_buf_release(&q.sql);
	return rows;
}

json_t *fq_store_place_grid_list(struct fq_db *db, const char *prefix, int64_t now,
				 int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.id, p.name, p.kind, " STATUS_SQL("?2") " AS status, a.lat,"
			       " a.lng FROM places p JOIN addresses a ON a.id = p.address_id WHERE"
			       " p.org_path >= ?1 AND p.org_path < ?1 || '~' ORDER BY p.id LIMIT ?3",
			       "sii", prefix, now, limit);
}

/* CROSS JOIN: SQLite walks the box first whatever it guesses of the scope
 * (PostgreSQL plans the join freely). */
json_t *fq_store_place_box_list(struct fq_db *db, const char *lo, const char *hi, int64_t now,
				double south, double west, double north, double east,
				int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.id, p.name, p.kind, " STATUS_SQL("?3") " AS status, a.lat,"
			       " a.lng FROM addresses a CROSS JOIN places p WHERE p.address_id = a.id"
			       " AND a.lat BETWEEN ?4 AND ?5 AND a.lng BETWEEN ?6 AND ?7 AND"
			       " p.org_path >= ?1 AND p.org_path < ?2 ORDER BY a.lat, a.lng, p.id"
			       " LIMIT ?8",
			       "ssiddddi", lo, hi, now, south, north, west, east, limit);
}

enum fq_err fq_store_place_station_name(struct fq_db *db, int64_t id, char **name)
{
	return fq_db_get_text(db, name,
			      "SELECT s.name FROM places p JOIN org_units s ON s.kind = 'station' AND"
			      " substr(p.org_path, 1, length(s.path)) = s.path WHERE p.id = ?1",
			      "i", id);
}

json_t *fq_store_place_staff(struct fq_db *db, const char *station_path, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT u.id, u.display_name, u.role FROM users u JOIN org_units o ON"
			       " o.id = u.org_id WHERE o.path >= ?1 AND o.path < ?1 || '~' AND"
			       " u.disabled = 0 AND u.role IN ('chief', 'officer', 'aux') ORDER BY"
			       " CASE u.role WHEN 'chief' THEN 0 WHEN 'officer' THEN 1 ELSE 2 END,"
			       " u.display_name, u.id LIMIT 500",
			       "s", station_path);
}

/* ---- checklists ---- */

json_t *fq_store_place_checklist(struct fq_db *db, int64_t station_id, const char *kind,
				 enum fq_err *err)
{
	if (!kind)
		return fq_db_list_json(db, err,
				       "SELECT id, kind, position, text FROM place_checklist_items"
				       " WHERE station_id = ?1 AND active = 1 ORDER BY kind, position",
				       "i", station_id);
	return fq_db_list_json(db, err,
			       "SELECT id, kind, position, text FROM place_checklist_items WHERE"
			       " station_id = ?1 AND kind = ?2 AND active = 1 ORDER BY position",
			       "is", station_id, kind);
}

enum fq_err fq_store_place_checklist_set(struct fq_db *db, int64_t station_id, const char *kind,
					 const char *const *texts, size_t n, int64_t by,
					 int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "UPDATE place_checklist_items SET active = 0 WHERE"
				     " station_id = ?1 AND kind = ?2",
				     "is", station_id, kind);

	for (size_t i = 0; i < n && !err; i++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO place_checklist_items (station_id, kind, position, text,"
				 " active, created_by, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
				 "isisii", station_id, kind, (int64_t)(i + 1), texts[i], by, now);
	return err;
}

/* ---- inspections ---- */

enum fq_err fq_store_inspection_insert(struct fq_db *db, const struct fq_store_inspection_new *n,
				       int64_t *id)
{
	enum fq_err err = fq_db_insert(
		db, id,
		"INSERT INTO place_inspections (place_id, org_path, inspected_on, answers, findings,"
		" hazards, result, rectify_due_on, rectify_due_at, rectification, follows_id,"
		" notice_number, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" NULLIF(?8, 0), NULLIF(?9, 0), ?10, NULLIF(?11, 0), ?12, ?13, ?14) RETURNING id",
		"isissssiisisii", n->place_id, n->org_path, n->inspected_on, n->answers, n->findings,
		n->hazards, n->result, n->rectify_due_on, n->rectify_due_at, n->rectification,
		n->follows_id, n->notice_number, n->by, n->now);

	for (size_t i = 0; !err && i < n->ninspectors; i++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO place_inspectors (inspection_id, user_id) VALUES (?1, ?2)",
				 "ii", *id, n->inspectors[i]);
	return err;
}

enum fq_err fq_store_inspection_place(struct fq_db *db, int64_t id, int64_t *place_id)
{
	return fq_db_get_int(db, place_id, "SELECT place_id FROM place_inspections WHERE id = ?1",
			     "i", id);
}

enum fq_err fq_store_place_inspected(struct fq_db *db, int64_t id, int64_t inspected_at,
				     int64_t next_due_at, int64_t rectify_inspection_id,
				     int64_t rectify_due_at, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE places SET last_inspected_at = ?1, next_due_at = NULLIF(?2, 0),"
			  " rectify_inspection_id = NULLIF(?3, 0), rectify_due_at = NULLIF(?4, 0),"
			  " updated_at = ?5 WHERE id = ?6",
			  "iiiiii", inspected_at, next_due_at, rectify_inspection_id, rectify_due_at,
			  now, id);
}

json_t *fq_store_inspections(struct fq_db *db, int64_t place_id, int64_t id, enum fq_err *err)
{
	json_t *rows, *row, *who;
	size_t k;

	rows = fq_db_list_json(db, err,
			       "SELECT i.id, i.place_id, i.inspected_on, i.answers, i.findings,"
			       " i.hazards, i.result, i.rectify_due_on, i.rectify_due_at,"
			       " i.rectification, i.follows_id, i.notice_number, i.created_by,"
			       " u.display_name AS created_by_name, i.created_at FROM"
			       " place_inspections i JOIN users u ON u.id = i.created_by WHERE"
			       " i.place_id = ?1 AND (?2 = 0 OR i.id = ?2) ORDER BY i.id DESC",
			       "ii", place_id, id);
	json_array_foreach(rows, k, row) {
		who = fq_db_list_json(db, err,
				      "SELECT x.user_id, u.display_name AS name, u.role FROM"
				      " place_inspectors x JOIN users u ON u.id = x.user_id WHERE"
				      " x.inspection_id = ?1 ORDER BY u.display_name, x.user_id",
				      "i", json_integer_value(json_object_get(row, "id")));
		if (!who) {
			json_decref(rows);
			return NULL;
		}
		json_object_set_new(row, "inspectors", who);
	}
	return rows;
}

/* ---- the work queue and the overview ---- */

json_t *fq_store_place_work_inspect(struct fq_db *db, int64_t officer_id, int64_t until,
				    int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, name, kind, next_due_at AS due_t,"
			       " COALESCE(last_inspected_at, created_at) AS since_t FROM places"
			       " WHERE officer_id = ?1 AND next_due_at < ?2 ORDER BY next_due_at, id"
			       " LIMIT ?3",
			       "iii", officer_id, until, limit);
}

json_t *fq_store_place_work_rectify(struct fq_db *db, int64_t officer_id, int64_t limit,
				    enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, name, kind, rectify_due_at AS due_t,"
			       " COALESCE(last_inspected_at, created_at) AS since_t FROM places"
			       " WHERE officer_id = ?1 AND rectify_due_at IS NOT NULL ORDER BY"
			       " rectify_due_at, id LIMIT ?2",
			       "ii", officer_id, limit);
}

json_t *fq_store_place_rectify_lapsed(struct fq_db *db, int64_t since, int64_t now, int64_t limit,
				      enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT p.id, p.name, p.officer_id, p.rectify_inspection_id AS"
			       " inspection_id, i.rectify_due_on AS due_on FROM places p JOIN"
			       " place_inspections i ON i.id = p.rectify_inspection_id WHERE"
			       " p.rectify_due_at > ?1 AND p.rectify_due_at <= ?2 AND p.officer_id IS"
			       " NOT NULL ORDER BY p.rectify_due_at, p.id LIMIT ?3",
			       "iii", since, now, limit);
}

enum fq_err fq_store_place_counts(struct fq_db *db, const char *lo, const char *hi, int64_t now,
				  int64_t *overdue, int64_t *rectify_overdue)
{
	enum fq_err err = fq_db_get_int(db, overdue,
					"SELECT COUNT(*) FROM places WHERE org_path >= ?1 AND"
					" org_path < ?2 AND next_due_at <= ?3 AND (rectify_due_at IS"
					" NULL OR rectify_due_at > ?3)",
					"ssi", lo, hi, now);

	if (!err)
		err = fq_db_get_int(db, rectify_overdue,
				    "SELECT COUNT(*) FROM places WHERE org_path >= ?1 AND"
				    " org_path < ?2 AND rectify_due_at <= ?3",
				    "ssi", lo, hi, now);
	return err;
}

/* ---- search ---- */

enum fq_err fq_store_place_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
				       fq_store_place_search_fn fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT p.id, p.org_path, p.name, p.kind,"
				      " COALESCE(p.owner_name, ''), a.full_text FROM places p JOIN"
				      " addresses a ON a.id = p.address_id WHERE p.id >= ?1 AND"
				      " p.id <= ?2 ORDER BY p.id LIMIT ?3",
				      "iii", from, to, (int64_t)limit);
	int rc;

	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_store_place_search_row r = {
			fq_stmt_int(st, 0),  fq_stmt_text(st, 1), fq_stmt_text(st, 2),
			fq_stmt_text(st, 3), fq_stmt_text(st, 4), fq_stmt_text(st, 5)};

		err = fn(arg, &r);
	}
	if (!err && rc < 0)
		err = (enum fq_err)-rc;
	fq_stmt_done(st);
	return err;
}
