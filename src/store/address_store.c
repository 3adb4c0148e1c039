/* The SQL of standard addresses. */
#include "store/address_store.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/banned.h"
#include "core/time.h"
#include "store/store.h"

#define ADDRESS_SELECT                                                                   \
	"SELECT a.id, a.division_code, a.street, a.door_no, a.building, a.unit, a.floor,"  \
	" a.room, a.full_text, a.lat, a.lng, a.grid_id, g.name AS grid_name,"              \
	" (SELECT b.name FROM org_units b WHERE b.kind = 'beat' AND"                     \
	" substr(g.path, 1, length(b.path)) = b.path ORDER BY length(b.path) DESC"       \
	" LIMIT 1) AS beat_name, a.org_path,"                                            \
	" a.created_at, a.updated_at FROM addresses a JOIN org_units g ON g.id = a.grid_id"

enum fq_err fq_store_address_insert(struct fq_db *db, const struct fq_address_fields *f,
				    int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO addresses (division_code, street, door_no, building, unit,"
			    " floor, room, full_text, lat, lng, grid_id, org_path, created_at,"
			    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			    " CASE WHEN ?9 <> 0 THEN ?10 END, CASE WHEN ?9 <> 0 THEN ?11 END, ?12, ?13,"
			    " ?14, ?14)"
			    " RETURNING id",
			    "ssssssssiddisi", f->division_code, f->street, f->door_no, f->building,
			    f->unit, f->floor, f->room, f->full_text, (int64_t)f->has_coords, f->lat,
			    f->lng, f->grid_id, f->org_path, now);
}

enum fq_err fq_store_address_update(struct fq_db *db, int64_t id,
				    const struct fq_address_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE addresses SET division_code = ?1, street = ?2, door_no = ?3,"
			  " building = ?4, unit = ?5, floor = ?6, room = ?7, full_text = ?8,"
			  " lat = CASE WHEN ?9 <> 0 THEN ?10 END, lng = CASE WHEN ?9 <> 0 THEN ?11 END,"
			  " grid_id = ?12, org_path = ?13, updated_at = ?14 WHERE id = ?15",
			  "ssssssssiddisii", f->division_code, f->street, f->door_no, f->building,
			  f->unit, f->floor, f->room, f->full_text, (int64_t)f->has_coords, f->lat,
			  f->lng, f->grid_id, f->org_path, fq_time_now_ms(), id);
}

json_t *fq_store_address_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, ADDRESS_SELECT " WHERE a.id = ?1", "i", id);
}

json_t *fq_store_address_list(struct fq_db *db, const char *lo, const char *hi, const char *q,
			      int64_t grid_id, int64_t limit, int64_t offset, enum fq_err *err)
{
	char *pattern = fq_db_like_contains(q);
	json_t *rows;

	if (q && !pattern) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	rows = fq_db_list_json(db, err,
			       /* See SCOPE_FILTER in person_store.c. */
			       ADDRESS_SELECT " WHERE (a.org_path || '') >= ?1 AND (a.org_path || '') < ?2"
					      " AND (CAST(?3 AS TEXT) IS NULL OR a.full_text LIKE ?3 ESCAPE '\\')"
					      " AND (?4 = 0 OR a.grid_id = ?4)"
					      " ORDER BY a.id DESC LIMIT ?5 OFFSET ?6",
			       "sssiii", lo, hi, pattern, grid_id, limit, offset);
	free(pattern);
	return rows;
}
