/* Versioned migrations, one list for every backend. The list is generated at
 * build time from migrations/NNN_name.sql (see Makefile). */
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "store/backend.h"
#include "store/store.h"

struct fq_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct fq_migration fq_migrations[];
extern const int fq_migrations_count;

int fq_store_latest_version(void)
{
	return fq_migrations_count ? fq_migrations[fq_migrations_count - 1].version : 0;
}

int fq_store_schema_version(struct fq_db *db)
{
	struct fq_stmt *st;
	int v = 0;

	/* A missing table means an empty database. */
	if (fq_db_query(db, &st, "SELECT max(version) FROM schema_migrations", NULL))
		return 0;
	if (fq_stmt_next(st) == 1)
		v = (int)fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return v;
}

/* Replaces the dialect tokens {id}, {blob} and {ctext}. */
static enum fq_err render(const struct fq_store_backend *be, const char *sql, struct fq_buf *out)
{
	enum fq_err err = FQ_OK;

	while (*sql && !err) {
		if (!strncmp(sql, "{id}", 4)) {
			err = fq_buf_adds(out, be->ddl_id);
			sql += 4;
		} else if (!strncmp(sql, "{blob}", 6)) {
			err = fq_buf_adds(out, be->ddl_blob);
			sql += 6;
		} else if (!strncmp(sql, "{ctext}", 7)) {
			err = fq_buf_adds(out, be->ddl_ctext);
			sql += 7;
		} else {
			err = fq_buf_add(out, sql, 1);
			sql++;
		}
	}
	return err;
}

enum fq_err fq_store_migrate(struct fq_store *store, int *applied, struct fq_error *e_out)
{
	struct fq_error local = {0};
	struct fq_error *e = e_out ? e_out : &local;
	struct fq_db *db = fq_store_db(store, e);
	struct fq_buf sql;
	enum fq_err err = FQ_OK;
	int current, count = 0;

	if (!db)
		return e->err;
	/* Every step holds the migration lock, so servers starting together on
	 * one database apply each migration once. */
	err = fq_db_begin(db, true);
	if (!err)
		err = fq_db_lock(db, FQ_LOCK_MIGRATE);
	if (!err)
		err = fq_db_exec_script(db,
					"CREATE TABLE IF NOT EXISTS schema_migrations ("
					"version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
					"applied_at BIGINT NOT NULL)",
					e);
	if (!err)
		err = fq_db_commit(db);
	else
		fq_db_rollback(db);
	if (err)
		return fq_fail_keep(e, err, "cannot create the migrations table");
	current = fq_store_schema_version(db);
	if (current > fq_store_latest_version())
		return fq_fail(e, FQ_ERR_CONFLICT, "schema_too_new", "store",
			       "the database is at schema version %d, newer than this binary's %d: "
			       "run a newer fengqiao",
			       current, fq_store_latest_version());
	fq_buf_init(&sql, 4 << 20);
	for (int i = 0; i < fq_migrations_count && !err; i++) {
		const struct fq_migration *m = &fq_migrations[i];

		if (m->version <= current)
			continue;
		fq_buf_reset(&sql);
		err = render(db->backend, m->sql, &sql);
		if (!err)
			err = fq_db_begin(db, true);
		if (err)
			break;
		err = fq_db_lock(db, FQ_LOCK_MIGRATE);
		if (!err && fq_store_schema_version(db) >= m->version) {
			fq_db_rollback(db); /* another server applied it meanwhile */
			continue;
		}
		if (!err)
			err = fq_db_exec_script(db, sql.ptr, e);
		if (!err)
			err = fq_db_exec(db, NULL,
					 "INSERT INTO schema_migrations (version, name, applied_at) "
					 "VALUES (?1, ?2, ?3)",
					 "isi", (int64_t)m->version, m->name, fq_time_now_ms());
		if (!err)
			err = fq_db_commit(db);
		else
			fq_db_rollback(db);
		if (err) {
			fq_fail_keep(e, err, "migration failed");
			fq_log_error("migration %03d '%s' failed: %s", m->version, m->name,
				     e->message);
		} else {
			fq_log_info("applied migration %03d '%s'", m->version, m->name);
			count++;
		}
	}
	fq_buf_release(&sql);
	if (applied)
		*applied = count;
	return err;
}
