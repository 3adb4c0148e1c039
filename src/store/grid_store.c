/* The SQL of grids on the map. */
#include "store/grid_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "store/backend.h"
#include "store/store.h"

/* Units that have an area on the map (the station's own is the sum of them). */
#define AREA_KINDS "('police_room', 'beat', 'community', 'village', 'grid')"

json_t *fq_store_grid_units(struct fq_db *db, const char *lo, const char *hi, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT o.id, o.parent_id, o.kind, o.name, o.code, o.path, o.area_type,"
		" o.leader_id, l.display_name AS leader_name, o.resident_aux_id,"
		" a.display_name AS resident_aux_name, o.polygon,"
		" (SELECT count(*) FROM grid_workers w WHERE w.org_id = o.id) AS workers"
		" FROM org_units o LEFT JOIN users l ON l.id = o.leader_id"
		" LEFT JOIN users a ON a.id = o.resident_aux_id"
		" WHERE o.path >= ?1 AND o.path < ?2 AND o.kind IN " AREA_KINDS " ORDER BY o.path",
		"ss", lo, hi);
}

enum fq_err fq_store_grid_polygon_set(struct fq_db *db, int64_t id, const char *geojson,
				      const double *box)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "UPDATE org_units SET polygon = ?1, updated_at = ?2, area_south ="
				     " NULL, area_west = NULL, area_north = NULL, area_east = NULL"
				     " WHERE id = ?3",
				     "sii", geojson, fq_time_now_ms(), id);

	return err || !box ? err : fq_store_grid_area_box_set(db, id, box);
}

enum fq_err fq_store_grid_area_box_set(struct fq_db *db, int64_t id, const double box[4])
{
	return fq_db_exec(db, NULL,
			  "UPDATE org_units SET area_south = ?2, area_west = ?3, area_north = ?4,"
			  " area_east = ?5 WHERE id = ?1",
			  "idddd", id, box[0], box[1], box[2], box[3]);
}

json_t *fq_store_grid_areas_at(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			       double lat, double lng, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, path, kind, name, polygon,"
			       " CASE WHEN area_south IS NULL THEN 0 ELSE 1 END AS boxed"
			       " FROM org_units WHERE path >= ?1 AND path < ?2 AND kind = ?3"
			       " AND polygon IS NOT NULL AND (area_south IS NULL"
			       " OR (?4 BETWEEN area_south AND area_north"
			       " AND ?5 BETWEEN area_west AND area_east))"
			       " ORDER BY path",
			       "sssdd", lo, hi, kind, lat, lng);
}

json_t *fq_store_grid_areas(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			    enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, path, kind, name, polygon FROM org_units"
			       " WHERE path >= ?1 AND path < ?2 AND polygon IS NOT NULL"
			       " AND (kind = ?3 OR (?3 IS NULL AND kind IN " AREA_KINDS "))"
			       " ORDER BY path",
			       "sss", lo, hi, kind);
}

json_t *fq_store_grid_workers(struct fq_db *db, int64_t org_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT u.id AS user_id, u.display_name, u.role FROM grid_workers w"
			       " JOIN users u ON u.id = w.user_id WHERE w.org_id = ?1"
			       " ORDER BY u.display_name, u.id",
			       "i", org_id);
}

enum fq_err fq_store_grid_workers_set(struct fq_db *db, int64_t org_id, const int64_t *user_ids,
				      size_t n)
{
	int64_t now = fq_time_now_ms();
	enum fq_err err = fq_db_exec(db, NULL, "DELETE FROM grid_workers WHERE org_id = ?1", "i",
				     org_id);

	for (size_t i = 0; !err && i < n; i++)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO grid_workers (org_id, user_id, created_at)"
				 " VALUES (?1, ?2, ?3)",
				 "iii", org_id, user_ids[i], now);
	return err;
}

/* Calls fn with each row of sql (id, grid_id, lat, lng; scope ?1, ?2). */
static enum fq_err each_point(struct fq_db *db, const char *sql, const char *lo, const char *hi,
			      fq_grid_address_fn *fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, sql, "ss", lo, hi);
	int rc;

	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1) {
		int has = !fq_stmt_null(st, 2) && !fq_stmt_null(st, 3);

		if (fn(arg, fq_stmt_int(st, 0), fq_stmt_int(st, 1), has,
		       has ? fq_stmt_double(st, 2) : 0, has ? fq_stmt_double(st, 3) : 0))
			break;
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_grid_each_address(struct fq_db *db, const char *lo, const char *hi,
				       fq_grid_address_fn *fn, void *arg)
{
	return each_point(db,
			  "SELECT id, grid_id, lat, lng FROM addresses"
			  " WHERE org_path >= ?1 AND org_path < ?2",
			  lo, hi, fn, arg);
}

enum fq_err fq_store_grid_each_place(struct fq_db *db, const char *lo, const char *hi,
				     fq_grid_address_fn *fn, void *arg)
{
	return each_point(db,
			  "SELECT p.id, a.grid_id, a.lat, a.lng FROM places p JOIN addresses a"
			  " ON a.id = p.address_id WHERE p.org_path >= ?1 AND p.org_path < ?2",
			  lo, hi, fn, arg);
}

/* The rows of a list of ids in one query: the ids go as ?1, a JSON array
 * unpacked by each store's own function (PG_IDS, SQLITE_IDS: the coverage
 * check lists up to 400 in one round trip); pg and sqlite are the query in
 * each dialect. */
static json_t *by_ids(struct fq_db *db, const char *pg, const char *sqlite, const int64_t *ids,
		      size_t n, enum fq_err *err)
{
	json_t *list = json_array(), *out;
	char *text;

	for (size_t i = 0; list && i < n; i++)
		if (json_array_append_new(list, json_integer(ids[i])))
			json_decref(list), list = NULL;
	text = list ? fq_json_dumps(list, JSON_COMPACT) : NULL;
	json_decref(list);
	if (!text) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	out = fq_db_list_json(db, err, strcmp(db->backend->kind, "postgresql") ? sqlite : pg, "s",
			      text);
	free(text);
	return out;
}

#define PG_IDS " (SELECT CAST(v AS BIGINT) FROM jsonb_array_elements_text(CAST(?1 AS jsonb)) v)"
#define SQLITE_IDS " (SELECT value FROM json_each(?1))"

#define ADDRESSES_BY_ID                                                                    \
	"SELECT a.id, a.full_text, a.lat, a.lng, a.grid_id, g.name AS grid_name FROM"      \
	" addresses a JOIN org_units g ON g.id = a.grid_id WHERE a.id IN"

json_t *fq_store_grid_addresses_by_id(struct fq_db *db, const int64_t *ids, size_t n,
				      enum fq_err *err)
{
	return by_ids(db, ADDRESSES_BY_ID PG_IDS " ORDER BY a.id",
		      ADDRESSES_BY_ID SQLITE_IDS " ORDER BY a.id", ids, n, err);
}

#define PLACES_BY_ID                                                                       \
	"SELECT p.id, p.name, p.kind, a.id AS address_id, a.full_text, a.grid_id, g.name AS" \
	" grid_name FROM places p JOIN addresses a ON a.id = p.address_id JOIN org_units g" \
	" ON g.id = a.grid_id WHERE p.id IN"

json_t *fq_store_grid_places_by_id(struct fq_db *db, const int64_t *ids, size_t n,
				   enum fq_err *err)
{
	return by_ids(db, PLACES_BY_ID PG_IDS " ORDER BY p.id", PLACES_BY_ID SQLITE_IDS " ORDER BY p.id",
		      ids, n, err);
}

json_t *fq_store_grid_address_points(struct fq_db *db, const char *lo, const char *hi,
				     double south, double west, double north, double east,
				     int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id, full_text, lat, lng, grid_id FROM addresses"
			       " WHERE org_path >= ?1 AND org_path < ?2 AND lat BETWEEN ?3 AND ?4"
			       " AND lng BETWEEN ?5 AND ?6 ORDER BY id LIMIT ?7",
			       "ssddddi", lo, hi, south, north, west, east, limit);
}

json_t *fq_store_grid_incident_points(struct fq_db *db, const char *lo, const char *hi,
				      int64_t from, int64_t to, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT i.id, i.number, i.category, i.status, i.received_at, a.lat,"
			       " a.lng, i.address_text FROM incidents i"
			       " JOIN addresses a ON a.id = i.address_id"
			       " WHERE i.org_path >= ?1 AND i.org_path < ?2 AND i.received_at >= ?3"
			       " AND i.received_at < ?4 AND a.lat IS NOT NULL"
			       " ORDER BY i.received_at DESC, i.id DESC LIMIT ?5",
			       "ssiii", lo, hi, from, to, limit);
}

json_t *fq_store_grid_incident_counts(struct fq_db *db, const char *lo, const char *hi,
				      int64_t from, int64_t to, enum fq_err *err)
{
	/* The period's calls in time order (incidents_received, 031), the
	 * scope a prefix of the path: a range on the path would walk every
	 * call of a station's scope for one month's counts. */
	(void)hi;
	return fq_db_list_json(db, err,
			       "SELECT org_path AS path, count(*) AS n FROM incidents"
			       " WHERE received_at >= ?2 AND received_at < ?3"
			       " AND substr(org_path, 1, length(CAST(?1 AS TEXT))) = ?1"
			       " GROUP BY org_path",
			       "sii", lo, from, to);
}

json_t *fq_store_grid_lacking(struct fq_db *db, const char *lo, const char *hi, const char *kind,
			      const char *what, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(
		db, err,
		"SELECT o.id, o.kind, o.name, o.code, p.name AS parent_name FROM org_units o"
		" LEFT JOIN org_units p ON p.id = o.parent_id"
		" WHERE o.path >= ?1 AND o.path < ?2 AND o.kind = ?3"
		" AND ((?4 = 'leader' AND o.leader_id IS NULL)"
		" OR (?4 = 'area' AND o.polygon IS NULL)"
		" OR (?4 = 'resident_aux' AND o.resident_aux_id IS NULL)"
		" OR (?4 = 'worker' AND NOT EXISTS"
		" (SELECT 1 FROM grid_workers w WHERE w.org_id = o.id)))"
		" ORDER BY o.path LIMIT ?5",
		"ssssi", lo, hi, kind, what, limit);
}

json_t *fq_store_grid_figures(struct fq_db *db, const char *lo, const char *hi,
			      int64_t month_start, int64_t year_start, enum fq_err *err)
{
	return fq_db_get_json(
		db, err,
		"SELECT (SELECT count(*) FROM addresses WHERE org_path >= ?1 AND org_path < ?2)"
		" AS addresses,"
		" (SELECT count(*) FROM incidents WHERE org_path >= ?1 AND org_path < ?2"
		" AND status NOT IN ('closed', 'reviewed')) AS open_incidents,"
		" (SELECT count(*) FROM incidents WHERE org_path >= ?1 AND org_path < ?2"
		" AND received_at >= ?3) AS incidents_month,"
		" (SELECT count(*) FROM incidents WHERE org_path >= ?1 AND org_path < ?2"
		" AND received_at >= ?4) AS incidents_year,"
		" (SELECT count(*) FROM disputes WHERE org_path >= ?1 AND org_path < ?2"
		" AND status <> 'closed') AS open_disputes,"
		" (SELECT count(*) FROM disputes WHERE org_path >= ?1 AND org_path < ?2"
		" AND concluded_at >= ?4) AS disputes_concluded_year,"
		" (SELECT count(*) FROM disputes WHERE org_path >= ?1 AND org_path < ?2"
		" AND concluded_at >= ?4 AND outcome = 'agreed') AS disputes_agreed_year",
		"ssii", lo, hi, month_start, year_start);
}

json_t *fq_store_grid_open_work(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
				enum fq_err *err)
{
	json_t *incidents = fq_db_list_json(
		db, err,
		"SELECT id, number, category, status, received_at, address_text FROM incidents"
		" WHERE org_path >= ?1 AND org_path < ?2 AND status NOT IN ('closed', 'reviewed')"
		" ORDER BY received_at DESC, id DESC LIMIT ?3",
		"ssi", lo, hi, limit);
	json_t *disputes = *err ? NULL
				: fq_db_list_json(db, err,
						  "SELECT id, number, type, tier, risk, status,"
						  " address_text, created_at FROM disputes"
						  " WHERE org_path >= ?1 AND org_path < ?2"
						  " AND status <> 'closed'"
						  " ORDER BY created_at DESC, id DESC LIMIT ?3",
						  "ssi", lo, hi, limit);

	if (*err) {
		json_decref(incidents);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "incidents", incidents, "disputes", disputes);
}
