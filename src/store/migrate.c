/* Versioned migrations, one list for every backend. The list is generated at
 * build time from migrations/NNN_name.sql (see Makefile).
 *
 * A migration is portable DDL with the tokens {id}, {blob} and {ctext} (see
 * render). What only one backend can say goes between two marker lines
 * naming the backend (its kind: sqlite or postgresql); other backends skip
 * those lines:
 *
 *   -- sqlite:begin
 *   CREATE VIRTUAL TABLE incident_search USING fts5(…);
 *   -- sqlite:end
 *   -- postgresql:begin
 *   CREATE INDEX … USING gin (tokens);
 *   -- postgresql:end
 *
 * Sections do not nest; a marker naming no backend, or a section left open,
 * fails the migration. */
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "store/backend.h"
#include "store/search_store.h"
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

/* Replaces the dialect tokens {id}, {blob} and {ctext} in one line. */
static enum fq_err render_line(const struct fq_store_backend *be, const char *sql, size_t len,
			       struct fq_buf *out)
{
	const char *end = sql + len;
	enum fq_err err = FQ_OK;

	while (sql < end && !err) {
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

/* A section marker line "-- KIND:begin" or "-- KIND:end" (trailing blanks
 * allowed): *begin tells which, kind and *kind_len the backend it names. */
static bool section_marker(const char *line, size_t len, const char **kind, size_t *kind_len,
			   bool *begin)
{
	const char *colon;

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (len < 3 || strncmp(line, "-- ", 3))
		return false;
	colon = memchr(line + 3, ':', len - 3);
	if (!colon || colon == line + 3)
		return false;
	for (const char *p = line + 3; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return false;
	*kind = line + 3;
	*kind_len = (size_t)(colon - *kind);
	if ((size_t)(line + len - colon) == 6 && !strncmp(colon, ":begin", 6))
		*begin = true;
	else if ((size_t)(line + len - colon) == 4 && !strncmp(colon, ":end", 4))
		*begin = false;
	else
		return false;
	return true;
}

static bool names_backend(const char *kind, size_t len)
{
	return (strlen(fq_store_sqlite.kind) == len && !strncmp(kind, fq_store_sqlite.kind, len)) ||
	       (strlen(fq_store_pg.kind) == len && !strncmp(kind, fq_store_pg.kind, len));
}

/* The migration's SQL for backend be: the dialect tokens replaced, the
 * sections of other backends left out. */
static enum fq_err render(const struct fq_store_backend *be, const struct fq_migration *m,
			  struct fq_buf *out, struct fq_error *e)
{
	const char *sql = m->sql, *open = NULL;
	size_t open_len = 0;
	bool keep = true;
	enum fq_err err = FQ_OK;

	while (*sql && !err) {
		const char *nl = strchr(sql, '\n'), *kind;
		size_t len = nl ? (size_t)(nl - sql) : strlen(sql), kind_len;
		bool begin;

		if (section_marker(sql, len, &kind, &kind_len, &begin)) {
			if (!names_backend(kind, kind_len))
				return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
					       "migration %03d: '%.*s' names no store backend",
					       m->version, (int)len, sql);
			if (begin == !!open || (!begin && (kind_len != open_len ||
							   strncmp(kind, open, kind_len))))
				return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
					       "migration %03d: '%.*s' does not %s a section",
					       m->version, (int)len, sql, begin ? "open" : "close");
			open = begin ? kind : NULL;
			open_len = begin ? kind_len : 0;
			keep = !begin || (strlen(be->kind) == kind_len &&
					  !strncmp(be->kind, kind, kind_len));
		} else if (keep) {
			err = render_line(be, sql, len, out);
			if (!err && nl)
				err = fq_buf_add(out, "\n", 1);
		}
		sql += nl ? len + 1 : len;
	}
	if (!err && open)
		return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
			       "migration %03d: the section '-- %.*s:begin' is not closed",
			       m->version, (int)open_len, open);
	return err ? fq_fail(e, err, NULL, NULL, "migration %03d: out of memory", m->version)
		   : FQ_OK;
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
		err = render(db->backend, m, &sql, e);
		if (!err)
			err = fq_db_begin(db, true);
		if (err) {
			fq_fail_keep(e, err, "migration failed");
			break;
		}
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
	/* A migration may ask for the search index to be made again in C (its
	 * tokens are not SQL's): once every migration is in. */
	if (!err && (err = fq_search_rebuild_pending(db)))
		fq_fail(e, err, NULL, NULL, "cannot rebuild the full-text index");
	if (applied)
		*applied = count;
	return err;
}
