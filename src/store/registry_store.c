/* The SQL of the responsibility registry (migration 030):
 * store/registry_store.h. */
#include "store/registry_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/store.h"
#include "core/banned.h"

/* The status at ?N (see the header), as the detail, the list and its filter
 * read it. */
#define STATUS_SQL(now)                                                                       \
	"CASE WHEN r.next_due_at IS NULL THEN 'none' WHEN r.next_due_at <= " now              \
	" THEN 'overdue' WHEN r.next_due_at <= " now " + 259200000 THEN 'due' ELSE 'ok' END"

enum fq_err fq_store_registry_row(struct fq_db *db, int64_t id, struct fq_registry_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT id, station_id, unit_id, responsible_id, COALESCE(deputy_id, 0),"
		" COALESCE(place_id, 0), COALESCE(interval_days, 0), COALESCE(last_checked_at, 0),"
		" COALESCE(next_due_at, 0), org_path, code FROM registry_items WHERE id = ?1",
		"i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		int64_t *ints[] = {&out->id,	      &out->station_id,	     &out->unit_id,
				   &out->responsible_id, &out->deputy_id,	     &out->place_id,
				   &out->interval_days,  &out->last_checked_at, &out->next_due_at};

		for (int i = 0; i < 9; i++)
			*ints[i] = fq_stmt_int(st, i);
		fq_strlcpy(out->org_path, fq_stmt_text(st, 9), sizeof(out->org_path));
		fq_strlcpy(out->code, fq_stmt_text(st, 10), sizeof(out->code));
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

enum fq_err fq_store_registry_insert(struct fq_db *db, const struct fq_store_registry_fields *f,
				     int64_t by, int64_t now, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO registry_items (kind, name, code, station_id, location,"
			    " place_id, unit_id, org_path, responsible_id, deputy_id, interval_days,"
			    " check_what, next_due_at, created_by, created_at, updated_at) VALUES"
			    " (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), ?7, ?8, ?9, NULLIF(?10, 0),"
			    " NULLIF(?11, 0), ?12, NULLIF(?13, 0), ?14, ?15, ?15) RETURNING id",
			    "sssisiisiiisiii", f->kind, f->name, f->code, f->station_id, f->location,
			    f->place_id, f->unit_id, f->org_path, f->responsible_id, f->deputy_id,
			    f->interval_days, f->check_what, f->next_due_at, by, now);
}

enum fq_err fq_store_registry_update(struct fq_db *db, int64_t id,
				     const struct fq_store_registry_fields *f, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE registry_items SET kind = ?1, name = ?2, code = ?3,"
			  " station_id = ?4, location = ?5, place_id = NULLIF(?6, 0), unit_id = ?7,"
			  " org_path = ?8, responsible_id = ?9, deputy_id = NULLIF(?10, 0),"
			  " interval_days = NULLIF(?11, 0), check_what = ?12,"
			  " next_due_at = NULLIF(?13, 0), updated_at = ?14 WHERE id = ?15",
			  "sssisiisiiisiii", f->kind, f->name, f->code, f->station_id, f->location,
			  f->place_id, f->unit_id, f->org_path, f->responsible_id, f->deputy_id,
			  f->interval_days, f->check_what, f->next_due_at, now, id);
}

int fq_store_registry_code_taken(struct fq_db *db, int64_t station_id, const char *code,
				 int64_t except_id)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT COUNT(*) FROM registry_items WHERE station_id = ?1"
					" AND code = ?2 AND id <> ?3",
					"isi", station_id, code, except_id);

	return err ? -(int)err : n > 0;
}

#define COLUMNS                                                                               \
	"r.id, r.kind, r.name, r.code, r.station_id, r.location, r.place_id,"                 \
	" p.name AS place_name,"                                                              \
	" r.unit_id, o.name AS unit_name, r.responsible_id, ru.display_name AS"               \
	" responsible_name, r.deputy_id, du.display_name AS deputy_name, r.interval_days,"    \
	" r.check_what, r.last_checked_at, r.last_result, r.next_due_at, r.created_at,"       \
	" r.updated_at"

#define FROM                                                                                  \
	" FROM registry_items r JOIN org_units o ON o.id = r.unit_id JOIN users ru ON ru.id =" \
	" r.responsible_id LEFT JOIN users du ON du.id = r.deputy_id LEFT JOIN places p ON"   \
	" p.id = r.place_id"

json_t *fq_store_registry_json(struct fq_db *db, int64_t id, int64_t now, enum fq_err *err)
{
	return fq_db_get_json(db, err,
			      "SELECT " COLUMNS ", " STATUS_SQL("?2") " AS status" FROM
			      " WHERE r.id = ?1",
			      "ii", id, now);
}

/* One statement for every combination of filters: an absent one is NULL
 * (text) or 0 (ids), and the scope "" to "~" when the caller sees all. */
json_t *fq_store_registry_list(struct fq_db *db, const struct fq_registry_filter *f,
			       const char *lo, const char *hi, int64_t offset, int64_t limit,
			       enum fq_err *err)
{
	char *like = f->q ? fq_db_like_contains(f->q) : NULL;
	json_t *rows;

	if (f->q && !like) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	rows = fq_db_list_json(
		db, err,
		"SELECT " COLUMNS ", " STATUS_SQL("?1") " AS status" FROM
		" WHERE r.org_path >= ?2 AND r.org_path < ?3"
		" AND (CAST(?4 AS TEXT) IS NULL OR r.kind = ?4)"
		" AND (?5 = 0 OR r.responsible_id = ?5)"
		" AND (?6 = 0 OR r.org_path LIKE (SELECT path FROM org_units WHERE id = ?6) || '%')"
		" AND (CAST(?7 AS TEXT) IS NULL OR r.name LIKE ?7 ESCAPE '\\' OR r.code LIKE ?7"
		" ESCAPE '\\' OR r.location LIKE ?7 ESCAPE '\\')"
		" AND (CAST(?8 AS TEXT) IS NULL OR (?8 = 'attention' AND (" STATUS_SQL("?1")
		") IN ('due', 'overdue')) OR (" STATUS_SQL("?1") ") = ?8)"
		" ORDER BY r.id DESC LIMIT ?9 OFFSET ?10",
		"isssiissii", f->now, lo ? lo : "", hi ? hi : "~", f->kind, f->responsible_id,
		f->unit_id, like, f->status, limit, offset);
	free(like);
	return rows;
}

enum fq_err fq_store_registry_station_name(struct fq_db *db, int64_t station_id, char **name)
{
	return fq_db_get_text(db, name, "SELECT name FROM org_units WHERE id = ?1", "i",
			      station_id);
}

/* ---- checks ---- */

enum fq_err fq_store_registry_check_insert(struct fq_db *db, int64_t item_id, int64_t day,
					   int64_t by, const char *result, const char *note,
					   int64_t now, int64_t *id)
{
	return fq_db_insert(db, id,
			    "INSERT INTO registry_checks (item_id, checked_on, checked_by, result,"
			    " note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
			    "iiissi", item_id, day, by, result, note, now);
}

enum fq_err fq_store_registry_checked(struct fq_db *db, int64_t id, int64_t at,
				      const char *result, int64_t next_due_at, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE registry_items SET last_checked_at = ?2, last_result = ?3,"
			  " next_due_at = NULLIF(?4, 0), updated_at = ?5 WHERE id = ?1",
			  "iisii", id, at, result, next_due_at, now);
}

json_t *fq_store_registry_checks(struct fq_db *db, int64_t item_id, int64_t check_id,
				 int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT c.id, c.checked_on, c.result, c.note, c.checked_by,"
			       " u.display_name AS checked_by_name, c.created_at FROM"
			       " registry_checks c JOIN users u ON u.id = c.checked_by WHERE"
			       " c.item_id = ?1 AND (?2 = 0 OR c.id = ?2) ORDER BY c.id DESC LIMIT ?3",
			       "iii", item_id, check_id, limit);
}

/* ---- the work queue ---- */

json_t *fq_store_registry_work(struct fq_db *db, int64_t user_id, int64_t until, int64_t limit,
			       enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, name, code, kind, next_due_at AS due_t,"
			       " COALESCE(last_checked_at, created_at) AS since_t FROM registry_items"
			       " WHERE responsible_id = ?1 AND next_due_at < ?2 ORDER BY next_due_at,"
			       " id LIMIT ?3",
			       "iii", user_id, until, limit);
}

/* ---- search ---- */

enum fq_err fq_store_registry_search_rows(struct fq_db *db, int64_t from, int64_t to,
					  size_t limit, fq_store_registry_search_fn fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(
		db, &st,
		"SELECT r.id, r.org_path, r.name, r.code, r.kind, COALESCE(r.location, ''), o.name,"
		" u.display_name FROM registry_items r JOIN org_units o ON o.id = r.unit_id JOIN"
		" users u ON u.id = r.responsible_id WHERE r.id >= ?1 AND r.id <= ?2 ORDER BY r.id"
		" LIMIT ?3",
		"iii", from, to, (int64_t)limit);
	int rc = 0;

	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_store_registry_search_row r = {
			fq_stmt_int(st, 0),  fq_stmt_text(st, 1), fq_stmt_text(st, 2),
			fq_stmt_text(st, 3), fq_stmt_text(st, 4), fq_stmt_text(st, 5),
			fq_stmt_text(st, 6), fq_stmt_text(st, 7)};

		err = fn(arg, &r);
	}
	if (!err && rc < 0)
		err = (enum fq_err)-rc;
	fq_stmt_done(st);
	return err;
}
