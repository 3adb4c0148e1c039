/* The SQL of prevention measures (migration 028): store/measure_store.h. */
#include "store/measure_store.h"

#include <jansson.h>
#include <string.h>

#include "core/str.h"
#include "store/store.h"
#include "core/banned.h"

/* A YYYYMMDD column as "YYYY-MM-DD" text (NULL stays NULL). */
#define DAY_SQL(col)                                                                         \
	"substr(CAST(" col " AS TEXT), 1, 4) || '-' || substr(CAST(" col " AS TEXT), 5, 2) ||" \
	" '-' || substr(CAST(" col " AS TEXT), 7, 2)"

/* When a measure falls due for a check: its last check, or its entry, plus
 * its category's interval (the header); NULL once removed. */
#define DUE_SQL                                                                               \
	"CASE WHEN m.status = 'removed' THEN NULL ELSE COALESCE(m.last_checked_at, m.created_at)" \
	" + CASE m.category WHEN 'technical' THEN 15552000000 ELSE 31536000000 END END"

enum fq_err fq_store_measure_row(struct fq_db *db, int64_t id, struct fq_measure_row *out)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT id, COALESCE(place_id, 0), address_id, org_path, kind,"
				      " status FROM measures WHERE id = ?1",
				      "i", id);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->place_id = fq_stmt_int(st, 1);
		out->address_id = fq_stmt_int(st, 2);
		fq_strlcpy(out->org_path, fq_stmt_text(st, 3), sizeof(out->org_path));
		fq_strlcpy(out->kind, fq_stmt_text(st, 4), sizeof(out->kind));
		fq_strlcpy(out->status, fq_stmt_text(st, 5), sizeof(out->status));
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

/* The camera's columns bind NULL unless it is one: "n" takes no argument,
 * so the two forms differ only in their format and arguments. */
enum fq_err fq_store_measure_insert(struct fq_db *db, const struct fq_store_measure_fields *f,
				    int64_t by, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO measures (kind, category, place_id, address_id, org_path,"
		" installed_on, status, note, label, lat, lng, direction, view_angle, owner_kind,"
		" linked, created_by, created_at, updated_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4,"
		" ?5, NULLIF(?6, 0), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)"
		" RETURNING id";

	if (!f->has_camera)
		return fq_db_insert(db, id, sql, "ssiisisssnnnnnnii", f->kind, f->category,
				    f->place_id, f->address_id, f->org_path, f->installed_on,
				    f->status, f->note, f->label, by, now);
	return fq_db_insert(db, id, sql, "ssiisisssddiisiii", f->kind, f->category, f->place_id,
			    f->address_id, f->org_path, f->installed_on, f->status, f->note,
			    f->label, f->lat, f->lng, f->direction, f->view_angle, f->owner_kind,
			    (int64_t)f->linked, by, now);
}

enum fq_err fq_store_measure_update(struct fq_db *db, int64_t id,
				    const struct fq_store_measure_fields *f, int64_t now)
{
	static const char sql[] =
		"UPDATE measures SET kind = ?1, category = ?2, place_id = NULLIF(?3, 0),"
		" address_id = ?4, org_path = ?5, installed_on = NULLIF(?6, 0), status = ?7,"
		" note = ?8, label = ?9, lat = ?10, lng = ?11, direction = ?12, view_angle = ?13,"
		" owner_kind = ?14, linked = ?15, updated_at = ?16 WHERE id = ?17";

	if (!f->has_camera)
		return fq_db_exec(db, NULL, sql, "ssiisisssnnnnnnii", f->kind, f->category,
				  f->place_id, f->address_id, f->org_path, f->installed_on,
				  f->status, f->note, f->label, now, id);
	return fq_db_exec(db, NULL, sql, "ssiisisssddiisiii", f->kind, f->category, f->place_id,
			  f->address_id, f->org_path, f->installed_on, f->status, f->note, f->label,
			  f->lat, f->lng, f->direction, f->view_angle, f->owner_kind,
			  (int64_t)f->linked, now, id);
}

#define MEASURE_COLUMNS                                                                        \
	"m.id, m.kind, m.category, m.place_id, p.name AS place_name, m.address_id,"           \
	" a.full_text AS address, g.id AS grid_id, g.name AS grid_name, "                    \
	DAY_SQL("m.installed_on") " AS installed_on,"      \
	" m.status, m.note, m.label, m.lat, m.lng, m.direction, m.view_angle, m.owner_kind,"  \
	" m.linked, m.last_checked_at, m.last_checked_by, u.display_name AS last_checked_by_name," \
	" " DUE_SQL " AS check_due_at, m.created_at, m.updated_at"

#define MEASURE_FROM                                                                           \
	" FROM measures m JOIN addresses a ON a.id = m.address_id JOIN org_units g ON g.id ="  \
	" a.grid_id LEFT JOIN places p ON p.id = m.place_id LEFT JOIN users u ON u.id ="       \
	" m.last_checked_by"

json_t *fq_store_measure_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, "SELECT " MEASURE_COLUMNS MEASURE_FROM " WHERE m.id = ?1",
			      "i", id);
}

/* One statement for every combination of filters: an absent one is '' or 0
 * and its test is true (a station's measures: a few thousand rows). */
json_t *fq_store_measure_list(struct fq_db *db, const struct fq_measure_filter *f, const char *lo,
			      const char *hi, int64_t offset, int64_t limit, int64_t after,
			      enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT " MEASURE_COLUMNS MEASURE_FROM
		" WHERE (?3 = '' OR (m.org_path >= ?3 AND m.org_path < ?4))"
		" AND (?5 = '' OR m.kind = ?5) AND (?6 = '' OR m.category = ?6)"
		" AND (?7 = '' OR m.status = ?7) AND (?8 = 0 OR m.place_id = ?8)"
		" AND (?9 = 0 OR m.address_id = ?9)"
		" AND (?10 = '' OR (m.org_path >= ?10 AND m.org_path < ?10 || '~'))"
		" AND (?11 = 0 OR (m.status <> 'removed' AND " DUE_SQL " <= ?12))"
		" AND (?13 = 0 OR m.id < ?13) ORDER BY m.id DESC LIMIT ?1 OFFSET ?2",
		"iisssssiisiii", limit, offset, lo ? lo : "", lo ? hi : "", f->kind ? f->kind : "",
		f->category ? f->category : "", f->status ? f->status : "", f->place_id,
		f->address_id, f->under ? f->under : "", (int64_t)f->due, f->now, after);
}

/* ---- checks ---- */

enum fq_err fq_store_measure_check(struct fq_db *db, int64_t measure_id, int64_t checked_on,
				   int64_t checked_at, const char *result, const char *note,
				   int64_t by, int64_t now, int64_t *id)
{
	enum fq_err err = fq_db_insert(db, id,
				       "INSERT INTO measure_checks (measure_id, checked_on, result,"
				       " note, checked_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
				       " RETURNING id",
				       "iissii", measure_id, checked_on, result, note, by, now);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE measures SET last_checked_at = ?1, last_checked_by = ?2,"
				 " status = ?3, updated_at = ?4 WHERE id = ?5",
				 "iisii", checked_at, by, result, now, measure_id);
	return err;
}

json_t *fq_store_measure_checks(struct fq_db *db, int64_t measure_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT k.id, " DAY_SQL("k.checked_on") " AS checked_on, k.result, k.note, k.checked_by,"
			       " u.display_name AS checked_by_name, k.created_at FROM measure_checks k"
			       " JOIN users u ON u.id = k.checked_by WHERE k.measure_id = ?1"
			       " ORDER BY k.id DESC LIMIT 200",
			       "i", measure_id);
}

/* ---- coverage and the map ---- */

/* The addresses with a working measure of ?2. */
#define COVERED_SQL                                                                             \
	" LEFT JOIN (SELECT DISTINCT address_id FROM measures WHERE kind = ?2 AND status ="   \
	" 'working') c ON c.address_id = a.id"

enum fq_err fq_store_measure_coverage(struct fq_db *db, const char *prefix, const char *kind,
				      int64_t *homes, int64_t *covered)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT COUNT(a.id), COUNT(c.address_id) FROM addresses a"
				      COVERED_SQL " WHERE a.org_path >= ?1 AND a.org_path < ?1 || '~'",
				      "ss", prefix, kind);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	*homes = rc == 1 ? fq_stmt_int(st, 0) : 0;
	*covered = rc == 1 ? fq_stmt_int(st, 1) : 0;
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

json_t *fq_store_measure_coverage_children(struct fq_db *db, int64_t parent_id,
					   const char *kind, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT o.id, o.name, o.kind, COUNT(a.id) AS homes,"
			       " COUNT(c.address_id) AS covered FROM org_units o LEFT JOIN addresses"
			       " a ON a.org_path >= o.path AND a.org_path < o.path || '~'" COVERED_SQL
			       " WHERE o.parent_id = ?1 GROUP BY o.id, o.name, o.kind"
			       " ORDER BY o.name, o.id LIMIT 500",
			       "is", parent_id, kind);
}

json_t *fq_store_measure_coverage_grids(struct fq_db *db, const char *prefix, const char *kind,
					enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT o.id, o.name, o.kind, COUNT(a.id) AS homes,"
			       " COUNT(c.address_id) AS covered FROM org_units o LEFT JOIN addresses"
			       " a ON a.grid_id = o.id" COVERED_SQL " WHERE o.kind = 'grid' AND"
			       " o.path >= ?1 AND o.path < ?1 || '~' GROUP BY o.id, o.name, o.kind"
			       " ORDER BY o.name, o.id LIMIT 500",
			       "ss", prefix, kind);
}

json_t *fq_store_measure_cameras(struct fq_db *db, const char *lo, const char *hi, double south,
				 double west, double north, double east, int64_t limit,
				 enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT m.id, m.label, m.status, m.lat, m.lng, m.direction,"
			       " m.view_angle, m.owner_kind, m.linked FROM measures m WHERE"
			       " m.kind = 'camera' AND m.status <> 'removed' AND (?1 = '' OR"
			       " (m.org_path >= ?1 AND m.org_path < ?2)) AND m.lat >= ?3 AND"
			       " m.lat <= ?4 AND m.lng >= ?5 AND m.lng <= ?6 ORDER BY m.id LIMIT ?7",
			       "ssddddi", lo ? lo : "", lo ? hi : "", south, north, west, east, limit);
}

json_t *fq_store_measure_work(struct fq_db *db, int64_t officer_id, int64_t now, int64_t limit,
			      enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT m.id, m.kind, m.label, p.name AS place_name, " DUE_SQL
			       " AS due_t FROM measures m JOIN places p ON p.id = m.place_id WHERE"
			       " p.officer_id = ?1 AND m.status <> 'removed' AND " DUE_SQL " <= ?2"
			       " ORDER BY due_t, m.id LIMIT ?3",
			       "iii", officer_id, now, limit);
}

enum fq_err fq_store_measure_backdate(struct fq_db *db, int64_t id, int64_t at)
{
	return fq_db_exec(db, NULL,
			  "UPDATE measures SET created_at = ?1, updated_at = ?1 WHERE id = ?2",
			  "ii", at, id);
}
