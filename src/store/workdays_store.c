/* The SQL of the working-day calendar (table calendar_days, migration 015). */
#include "store/workdays_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "store/store.h"

enum fq_err fq_store_workdays_range(struct fq_db *db, int64_t first, int64_t last,
				    fq_store_workdays_fn *fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT day, kind FROM calendar_days"
				      " WHERE day >= ?1 AND day <= ?2 ORDER BY day",
				      "ii", first, last);
	int rc;

	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1) {
		const char *kind = fq_stmt_text(st, 1);

		err = fn(arg, fq_stmt_int(st, 0), kind && !strcmp(kind, "workday"));
		if (err)
			break;
	}
	fq_stmt_done(st);
	if (!err && rc < 0)
		err = (enum fq_err)-rc;
	return err;
}

json_t *fq_store_workdays_list(struct fq_db *db, int64_t first, int64_t last, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT c.day, c.kind, c.name, c.changed_by,"
			       " u.display_name AS changed_by_name, c.changed_at"
			       " FROM calendar_days c LEFT JOIN users u ON u.id = c.changed_by"
			       " WHERE c.day >= ?1 AND c.day <= ?2 ORDER BY c.day",
			       "ii", first, last);
}

json_t *fq_store_workdays_years(struct fq_db *db, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT day / 10000 AS year,"
			       " sum(CASE WHEN kind = 'holiday' THEN 1 ELSE 0 END) AS holidays,"
			       " sum(CASE WHEN kind = 'workday' THEN 1 ELSE 0 END) AS workdays"
			       " FROM calendar_days GROUP BY day / 10000 ORDER BY day / 10000",
			       NULL);
}

enum fq_err fq_store_workdays_count(struct fq_db *db, int64_t first, int64_t last, int64_t *n)
{
	return fq_db_get_int(db, n,
			     "SELECT count(*) FROM calendar_days WHERE day >= ?1 AND day <= ?2",
			     "ii", first, last);
}

enum fq_err fq_store_workdays_get(struct fq_db *db, int64_t day, char **kind, char **name)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st, "SELECT kind, name FROM calendar_days WHERE day = ?1",
				      "i", day);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*kind = strdup(fq_stmt_text(st, 0));
		*name = strdup(fq_stmt_text(st, 1));
		if (!*kind || !*name) {
			free(*kind);
			free(*name);
			*kind = *name = NULL;
			err = FQ_ERR_NOMEM;
		}
	} else {
		err = rc < 0 ? (enum fq_err)-rc : FQ_ERR_NOT_FOUND;
	}
	fq_stmt_done(st);
	return err;
}

/* by 0 is the command line acting as the system: changed_by NULL. */
enum fq_err fq_store_workdays_insert(struct fq_db *db, int64_t day, const char *kind,
				     const char *name, int64_t by, int64_t at)
{
	return fq_db_exec(db, NULL,
			  "INSERT INTO calendar_days (day, kind, name, changed_by, changed_at)"
			  " VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5)",
			  "issii", day, kind, name, by, at);
}

enum fq_err fq_store_workdays_update(struct fq_db *db, int64_t day, const char *kind,
				     const char *name, int64_t by, int64_t at, int64_t *changes)
{
	return fq_db_exec(db, changes,
			  "UPDATE calendar_days SET kind = ?1, name = ?2, changed_by = NULLIF(?3, 0),"
			  " changed_at = ?4 WHERE day = ?5",
			  "ssiii", kind, name, by, at, day);
}

enum fq_err fq_store_workdays_delete(struct fq_db *db, int64_t day, int64_t *changes)
{
	return fq_db_exec(db, changes, "DELETE FROM calendar_days WHERE day = ?1", "i", day);
}
