/* Tips (线索): the SQL of migration 027 (store/tip_store.h). */
#include "store/tip_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

enum fq_err fq_store_tip_insert(struct fq_db *db, const struct fq_store_tip_new *n, int64_t *id)
{
	return fq_db_insert(
		db, id,
		"INSERT INTO tips (station_id, org_id, org_path, text, place_text, address_id, lat,"
		" lng, source, reporter_id, reporter_name, reporter_phone_enc, reporter_phone_mask,"
		" tracking_code, status, photo_token_hash, photo_until, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 > 0 THEN ?6 END,"
		" CASE WHEN ?7 <> 0 THEN ?8 END, CASE WHEN ?7 <> 0 THEN ?9 END, ?10,"
		" CASE WHEN ?11 > 0 THEN ?11 END, ?12, ?13, ?14, ?15, 'new', ?17,"
		" CASE WHEN ?18 > 0 THEN ?18 END, ?16, ?16) RETURNING id",
		"iisssiiddsisbssisi",
		n->station_id, n->org_id, n->org_path, n->text, n->place_text, n->address_id,
		(int64_t)n->has_coords, n->lat, n->lng, n->source, n->reporter_id, n->reporter_name,
		(const void *)n->phone_enc, n->phone_enc_len, n->phone_mask, n->tracking_code,
		n->now, n->photo_token_hash, n->photo_until);
}

enum fq_err fq_store_tip_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
				     fq_store_tip_search_fn fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT t.id, t.org_path, t.tracking_code, t.text,"
				      " COALESCE(t.place_text, ''), COALESCE(a.full_text, ''), t.status,"
				      " t.source FROM tips t LEFT JOIN addresses a ON a.id = t.address_id"
				      " WHERE t.id >= ?1 AND t.id <= ?2 ORDER BY t.id LIMIT ?3",
				      "iii", from, to, (int64_t)limit);
	int rc;

	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_store_tip_search_row r = {
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

enum fq_err fq_store_tip_photo_slot(struct fq_db *db, const char *hash, int64_t now, int64_t max,
				    int64_t *id)
{
	return fq_db_get_int(db, id,
			     "SELECT id FROM tips WHERE photo_token_hash = ?1 AND photo_until > ?2"
			     " AND photos_public < ?3",
			     "sii", hash, now, max);
}

enum fq_err fq_store_tip_photo_taken(struct fq_db *db, int64_t id)
{
	return fq_db_exec(db, NULL,
			  "UPDATE tips SET photos_public = photos_public + 1 WHERE id = ?1", "i", id);
}

int fq_store_tip_code_taken(struct fq_db *db, const char *code)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n, "SELECT count(*) FROM tips WHERE tracking_code = ?1",
					"s", code);

	return err ? -(int)err : n > 0;
}

static enum fq_err row_where(struct fq_db *db, const char *sql, const char *fmt, int64_t id,
			     const char *code, struct fq_store_tip_row *out)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	err = code ? fq_db_query(db, &st, sql, fmt, code) : fq_db_query(db, &st, sql, fmt, id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->station_id = fq_stmt_int(st, 1);
		out->reporter_id = fq_stmt_int(st, 2);
		snprintf(out->org_path, sizeof(out->org_path), "%s",
			 fq_stmt_text(st, 3) ? fq_stmt_text(st, 3) : "");
		snprintf(out->status, sizeof(out->status), "%s",
			 fq_stmt_text(st, 4) ? fq_stmt_text(st, 4) : "");
		snprintf(out->tracking_code, sizeof(out->tracking_code), "%s",
			 fq_stmt_text(st, 5) ? fq_stmt_text(st, 5) : "");
		out->has_outcome = !fq_stmt_null(st, 6);
	}
	fq_stmt_done(st);
	return rc == 1 ? FQ_OK : rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
}

#define ROW_COLS "SELECT id, station_id, reporter_id, org_path, status, tracking_code, outcome FROM tips"

enum fq_err fq_store_tip_row(struct fq_db *db, int64_t id, struct fq_store_tip_row *out)
{
	return row_where(db, ROW_COLS " WHERE id = ?1", "i", id, NULL, out);
}

enum fq_err fq_store_tip_by_code(struct fq_db *db, const char *code, struct fq_store_tip_row *out)
{
	return row_where(db, ROW_COLS " WHERE tracking_code = ?1", "s", 0, code, out);
}

/* What the staff read of a tip. */
#define STAFF_COLS                                                                           \
	"SELECT t.id, t.tracking_code, t.text, t.place_text, t.address_id,"                    \
	" a.full_text AS address_text, t.lat, t.lng, t.source, t.reporter_id,"                 \
	" COALESCE(u.display_name, t.reporter_name) AS reporter_name,"                         \
	" t.reporter_phone_mask AS reporter_phone, t.status, t.org_id, g.name AS org_name,"    \
	" t.station_id, t.incident_id, i.number AS incident_number, t.dispute_id,"             \
	" d.number AS dispute_number, t.dismiss_reason, t.triaged_by,"                         \
	" tu.display_name AS triaged_by_name, t.triaged_at, t.outcome, t.arrests,"             \
	" t.dispute_resolved, t.hazard_removed, t.outcome_note, t.outcome_at,"                 \
	" (SELECT count(*) FROM attachments x WHERE x.record_type = 'tip' AND"                 \
	" x.record_id = t.id AND x.deleted_at IS NULL) AS photos, t.created_at, t.updated_at" \
	" FROM tips t JOIN org_units g ON g.id = t.org_id"                                      \
	" LEFT JOIN addresses a ON a.id = t.address_id"                                         \
	" LEFT JOIN users u ON u.id = t.reporter_id"                                            \
	" LEFT JOIN users tu ON tu.id = t.triaged_by"                                           \
	" LEFT JOIN incidents i ON i.id = t.incident_id"                                        \
	" LEFT JOIN disputes d ON d.id = t.dispute_id"

/* What a reporter reads of their own tip. */
#define OWN_COLS                                                                             \
	"SELECT t.id, t.tracking_code, t.text, t.place_text, t.source, t.status, t.outcome,"  \
	" t.arrests, t.dispute_resolved, t.hazard_removed,"                                     \
	" (SELECT count(*) FROM attachments x WHERE x.record_type = 'tip' AND"                 \
	" x.record_id = t.id AND x.deleted_at IS NULL) AS photos, t.created_at, t.updated_at" \
	" FROM tips t"

json_t *fq_store_tip_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, STAFF_COLS " WHERE t.id = ?1", "i", id);
}

json_t *fq_store_tip_own_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, OWN_COLS " WHERE t.id = ?1", "i", id);
}

enum fq_err fq_store_tip_phone(struct fq_db *db, int64_t id, void **sealed, size_t *len)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*sealed = NULL;
	*len = 0;
	err = fq_db_query(db, &st, "SELECT reporter_phone_enc FROM tips WHERE id = ?1", "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		size_t n = 0;
		const void *b = fq_stmt_blob(st, 0, &n);

		if (b && n) {
			*sealed = malloc(n);
			if (!*sealed)
				err = FQ_ERR_NOMEM;
			else {
				memcpy(*sealed, b, n);
				*len = n;
			}
		}
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	return rc == 0 ? FQ_ERR_NOT_FOUND : err;
}

/* The list's filters, shared by the staff and own lists. */
#define LIST_WHERE                                                                         \
	" WHERE ((?1 > 0 AND t.reporter_id = ?1) OR (?1 = 0 AND t.org_path >= ?2 AND"        \
	" t.org_path < ?3)) AND (CAST(?4 AS TEXT) IS NULL OR t.status = ?4)"                  \
	" AND (CAST(?5 AS TEXT) IS NULL OR t.source = ?5)"                                    \
	" AND (?6 = 0 OR (t.created_at >= ?6 AND t.created_at < ?7)) AND (?8 = 0 OR t.id < ?8)" \
	" ORDER BY t.id DESC LIMIT ?9 OFFSET ?10"

json_t *fq_store_tip_list(struct fq_db *db, const struct fq_store_tip_filter *f, bool own,
			  enum fq_err *err)
{
	return fq_db_list_json(db, err, own ? OWN_COLS LIST_WHERE : STAFF_COLS LIST_WHERE,
			       "issssiiiii", f->reporter_id, f->lo ? f->lo : "",
			       f->hi ? f->hi : "", f->status, f->source, f->from_ms, f->to_ms,
			       f->after, f->limit, f->offset);
}

enum fq_err fq_store_tip_triage(struct fq_db *db, int64_t id, const char *status,
				int64_t incident_id, int64_t dispute_id, const char *reason,
				int64_t by, int64_t now)
{
	return fq_db_exec(db, NULL,
			  "UPDATE tips SET status = ?2, incident_id = CASE WHEN ?3 > 0 THEN ?3 END,"
			  " dispute_id = CASE WHEN ?4 > 0 THEN ?4 END, dismiss_reason = ?5,"
			  " triaged_by = ?6, triaged_at = ?7, updated_at = ?7 WHERE id = ?1",
			  "isiisii", id, status, incident_id, dispute_id, reason, by, now);
}

enum fq_err fq_store_tip_outcome_set(struct fq_db *db, int64_t id,
				     const struct fq_store_tip_outcome *o)
{
	return fq_db_exec(db, NULL,
			  "UPDATE tips SET outcome = ?2, arrests = ?3, dispute_resolved = ?4,"
			  " hazard_removed = ?5, outcome_note = ?6, outcome_by = ?7, outcome_at = ?8,"
			  " updated_at = ?8 WHERE id = ?1",
			  "isiiisii", id, o->outcome, o->arrests, (int64_t)o->dispute_resolved,
			  (int64_t)o->hazard_removed, o->note, o->by, o->now);
}

enum fq_err fq_store_tip_figure_rows(struct fq_db *db, const char *lo, const char *hi,
				     int64_t from_ms, int64_t to_ms,
				     enum fq_err (*fn)(const struct fq_store_tip_fig_row *row,
						       void *arg),
				     void *arg)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT t.created_at, t.source, t.status, t.outcome, t.arrests,"
			  " t.dispute_resolved, t.hazard_removed, t.org_id, g.name FROM tips t"
			  " JOIN org_units g ON g.id = t.org_id WHERE t.created_at >= ?1 AND"
			  " t.created_at < ?2 AND t.org_path >= ?3 AND t.org_path < ?4"
			  " ORDER BY t.created_at, t.id",
			  "iiss", from_ms, to_ms, lo, hi);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1 && !err) {
		struct fq_store_tip_fig_row row = {
			.created_at = fq_stmt_int(st, 0),
			.source = fq_stmt_text(st, 1) ? fq_stmt_text(st, 1) : "",
			.status = fq_stmt_text(st, 2) ? fq_stmt_text(st, 2) : "",
			.outcome = fq_stmt_text(st, 3),
			.arrests = fq_stmt_int(st, 4),
			.dispute_resolved = fq_stmt_int(st, 5) != 0,
			.hazard_removed = fq_stmt_int(st, 6) != 0,
			.org_id = fq_stmt_int(st, 7),
			.org_name = fq_stmt_text(st, 8) ? fq_stmt_text(st, 8) : "",
		};

		err = fn(&row, arg);
	}
	fq_stmt_done(st);
	if (rc < 0 && !err)
		err = (enum fq_err)-rc;
	return err;
}

json_t *fq_store_tip_untriaged(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
			       enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, tracking_code, text, source, created_at FROM tips"
			       " WHERE status = 'new' AND org_path >= ?1 AND org_path < ?2"
			       " ORDER BY id LIMIT ?3",
			       "ssi", lo, hi, limit);
}

enum fq_err fq_store_tip_untriaged_count(struct fq_db *db, const char *lo, const char *hi,
					 int64_t *n)
{
	return fq_db_get_int(db, n,
			     "SELECT count(*) FROM tips WHERE status = 'new' AND org_path >= ?1 AND"
			     " org_path < ?2",
			     "ss", lo, hi);
}

enum fq_err fq_store_tip_sole_station(struct fq_db *db, int64_t *id)
{
	int64_t n = 0;
	enum fq_err err = fq_db_get_int(db, &n,
					"SELECT count(*) FROM org_units WHERE kind = 'station'", NULL);

	if (err)
		return err;
	if (n != 1)
		return FQ_ERR_NOT_FOUND;
	return fq_db_get_int(db, id, "SELECT id FROM org_units WHERE kind = 'station'", NULL);
}

enum fq_err fq_store_tip_backdate(struct fq_db *db, int64_t id, int64_t created_at)
{
	return fq_db_exec(db, NULL,
			  "UPDATE tips SET created_at = ?2, updated_at = ?2,"
			  " triaged_at = CASE WHEN triaged_at IS NOT NULL THEN ?2 + 86400000 END,"
			  " outcome_at = CASE WHEN outcome_at IS NOT NULL THEN ?2 + 7 * 86400000 END"
			  " WHERE id = ?1",
			  "ii", id, created_at);
}

json_t *fq_store_tip_demo_incidents(struct fq_db *db, const char *lo, const char *hi,
				    int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id FROM incidents WHERE org_path >= ?1 AND org_path < ?2"
			       " AND dispute_id IS NULL ORDER BY id LIMIT ?3",
			       "ssi", lo, hi, limit);
}

enum fq_err fq_store_tip_demo_dispute(struct fq_db *db, const char *lo, const char *hi,
				      int64_t *id)
{
	return fq_db_get_int(db, id,
			     "SELECT max(id) FROM disputes WHERE org_path >= ?1 AND org_path < ?2",
			     "ss", lo, hi);
}
