/* The embedded store: one SQLite file in WAL mode, a connection per thread.
 * Writers take a process-wide lock before BEGIN IMMEDIATE, so threads queue in
 * order instead of spinning in busy_timeout (see shared/MEASURED.md). */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"
#include "core/log.h"
#include "store/backend.h"

enum { TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK, TX_COUNT };

static const char *const tx_sql[TX_COUNT] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

struct sqlite_db {
	struct fq_db base; /* must be first */
	sqlite3 *h;
	bool holds_write_lock;
	sqlite3_stmt *tx[TX_COUNT]; /* prepared once: every request runs them */
};

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before SQLite's first use: no allocation statistics (a global mutex on
 * every malloc). */
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int tx_run(struct sqlite_db *db, int which)
{
	int rc = sqlite3_step(db->tx[which]);

	sqlite3_reset(db->tx[which]);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static enum fq_err map_rc(sqlite3 *h, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return FQ_OK;
	case SQLITE_CONSTRAINT:
		return FQ_ERR_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return FQ_ERR_UNAVAILABLE;
	case SQLITE_NOMEM:
		return FQ_ERR_NOMEM;
	case SQLITE_TOOBIG:
		return FQ_ERR_TOO_LARGE;
	default:
		fq_log_error("sqlite: %s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		return FQ_ERR_STORE;
	}
}

static const char *url_path(const char *url)
{
	return url + strlen("sqlite:");
}

static enum fq_err sqlite_connect(const char *url, struct fq_db **out, struct fq_error *e)
{
	const char *path = url_path(url);
	struct sqlite_db *db;
	char *errmsg = NULL;
	int rc;

	if (!*path)
		return fq_fail(e, FQ_ERR_INVALID, NULL, "store", "store 'sqlite:' names no file");
	pthread_once(&config_once, configure);
	db = calloc(1, sizeof(*db));
	if (!db)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	rc = sqlite3_open_v2(path, &db->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fq_fail(e, FQ_ERR_IO, NULL, "store", "cannot open database '%s': %s", path,
			db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return e ? e->err : FQ_ERR_IO;
	}
	sqlite3_busy_timeout(db->h, 10000);
	rc = sqlite3_exec(db->h,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			  "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
			  NULL, NULL, &errmsg);
	for (int i = 0; rc == SQLITE_OK && i < TX_COUNT; i++)
		rc = sqlite3_prepare_v3(db->h, tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->tx[i],
					NULL);
	if (rc != SQLITE_OK) {
		fq_fail(e, FQ_ERR_STORE, NULL, "store", "cannot set up database '%s': %s", path,
			errmsg ? errmsg : sqlite3_errstr(rc));
		sqlite3_free(errmsg);
		for (int i = 0; i < TX_COUNT; i++)
			sqlite3_finalize(db->tx[i]);
		sqlite3_close(db->h);
		free(db);
		return FQ_ERR_STORE;
	}
	*out = &db->base;
	return FQ_OK;
}

static void sqlite_disconnect(struct fq_db *base)
{
	struct sqlite_db *db = (struct sqlite_db *)base;

	if (db->holds_write_lock)
		pthread_mutex_unlock(&write_lock);
	for (int i = 0; i < TX_COUNT; i++)
		sqlite3_finalize(db->tx[i]);
	sqlite3_close(db->h);
	free(db);
}

static enum fq_err sqlite_exec_script(struct fq_db *base, const char *sql, struct fq_error *e)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	char *errmsg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &errmsg);

	if (rc != SQLITE_OK) {
		fq_fail(e, FQ_ERR_STORE, NULL, NULL, "sqlite: %s", errmsg ? errmsg : "error");
		sqlite3_free(errmsg);
		return FQ_ERR_STORE;
	}
	return FQ_OK;
}

static enum fq_err sqlite_begin(struct fq_db *base, bool write)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	int rc;

	if (write) {
		pthread_mutex_lock(&write_lock);
		db->holds_write_lock = true;
	}
	rc = tx_run(db, write ? TX_BEGIN_IMMEDIATE : TX_BEGIN);
	if (rc != SQLITE_OK && db->holds_write_lock) {
		db->holds_write_lock = false;
		pthread_mutex_unlock(&write_lock);
	}
	return map_rc(db->h, rc);
}

static void release_write_lock(struct sqlite_db *db)
{
	if (db->holds_write_lock) {
		db->holds_write_lock = false;
		pthread_mutex_unlock(&write_lock);
	}
}

static enum fq_err sqlite_commit(struct fq_db *base)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	int rc = tx_run(db, TX_COMMIT);

	if (rc != SQLITE_OK)
		tx_run(db, TX_ROLLBACK);
	release_write_lock(db);
	return map_rc(db->h, rc);
}

static void sqlite_rollback(struct fq_db *base)
{
	struct sqlite_db *db = (struct sqlite_db *)base;

	tx_run(db, TX_ROLLBACK);
	release_write_lock(db);
}

static enum fq_err sqlite_backup(struct fq_db *base, const char *path, struct fq_error *e)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	struct stat st;
	int rc;

	if (stat(path, &st) == 0)
		return fq_fail(e, FQ_ERR_CONFLICT, NULL, "file",
			       "backup file '%s' exists already; choose a new name", path);
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		fq_fail(e, FQ_ERR_IO, NULL, "file", "cannot create backup file '%s': %s", path,
			sqlite3_errstr(rc));
		sqlite3_close(dst);
		return FQ_ERR_IO;
	}
	bk = sqlite3_backup_init(dst, "main", db->h, "main");
	if (!bk) {
		fq_fail(e, FQ_ERR_STORE, NULL, NULL, "cannot start backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		remove(path);
		return FQ_ERR_STORE;
	}
	/* Copy in steps so writers are not blocked for long; a write by another
	 * connection restarts the copy, which sqlite3_backup_step handles. */
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		fq_fail(e, FQ_ERR_STORE, NULL, NULL, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		remove(path);
		return FQ_ERR_STORE;
	}
	rc = sqlite3_close(dst);
	return rc == SQLITE_OK ? FQ_OK : fq_fail(e, FQ_ERR_IO, NULL, "file", "cannot close '%s'", path);
}

static enum fq_err sqlite_prepare(struct fq_db *base, const char *sql, void **out)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);

	if (rc != SQLITE_OK)
		return map_rc(db->h, rc);
	*out = st;
	return FQ_OK;
}

static void sqlite_finalize(void *raw)
{
	sqlite3_finalize(raw);
}

static void sqlite_reset(void *raw)
{
	sqlite3_reset(raw);
	sqlite3_clear_bindings(raw);
}

static enum fq_err bind_rc(void *raw, int rc)
{
	return rc == SQLITE_OK ? FQ_OK : map_rc(sqlite3_db_handle(raw), rc);
}

static enum fq_err sqlite_bind_int(void *raw, int idx, int64_t v)
{
	return bind_rc(raw, sqlite3_bind_int64(raw, idx, v));
}

static enum fq_err sqlite_bind_double(void *raw, int idx, double v)
{
	return bind_rc(raw, sqlite3_bind_double(raw, idx, v));
}

static enum fq_err sqlite_bind_text(void *raw, int idx, const char *s)
{
	return bind_rc(raw, sqlite3_bind_text(raw, idx, s, -1, SQLITE_TRANSIENT));
}

static enum fq_err sqlite_bind_blob(void *raw, int idx, const void *p, size_t len)
{
	return bind_rc(raw, sqlite3_bind_blob64(raw, idx, p, len, SQLITE_TRANSIENT));
}

static enum fq_err sqlite_bind_null(void *raw, int idx)
{
	return bind_rc(raw, sqlite3_bind_null(raw, idx));
}

static int sqlite_step(void *raw)
{
	int rc = sqlite3_step(raw);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return -(int)map_rc(sqlite3_db_handle(raw), rc);
}

static int64_t sqlite_changes(struct fq_db *base, void *raw)
{
	(void)raw;
	return sqlite3_changes64(((struct sqlite_db *)base)->h);
}

static int sqlite_columns(void *raw)
{
	return sqlite3_column_count(raw);
}

static const char *sqlite_column_name(void *raw, int col)
{
	return sqlite3_column_name(raw, col);
}

static enum fq_col_type sqlite_column_type(void *raw, int col)
{
	switch (sqlite3_column_type(raw, col)) {
	case SQLITE_INTEGER:
		return FQ_COL_INT;
	case SQLITE_FLOAT:
		return FQ_COL_REAL;
	case SQLITE_TEXT:
		return FQ_COL_TEXT;
	case SQLITE_BLOB:
		return FQ_COL_BLOB;
	default:
		return FQ_COL_NULL;
	}
}

static int64_t sqlite_column_int(void *raw, int col)
{
	return sqlite3_column_int64(raw, col);
}

static double sqlite_column_double(void *raw, int col)
{
	return sqlite3_column_double(raw, col);
}

static const char *sqlite_column_text(void *raw, int col)
{
	return (const char *)sqlite3_column_text(raw, col);
}

static const void *sqlite_column_blob(void *raw, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(raw, col);

	*len = (size_t)sqlite3_column_bytes(raw, col);
	return p;
}

/* Writers are serialized already by the write lock (one process per file). */
static enum fq_err sqlite_lock(struct fq_db *db, int64_t key)
{
	(void)db;
	(void)key;
	return FQ_OK;
}

static int sqlite_health(struct fq_db *db)
{
	(void)db;
	return 0; /* FQ_DB_OK: a file does not go away */
}

static enum fq_err sqlite_reconnect(struct fq_db *db)
{
	(void)db;
	return FQ_OK;
}

const struct fq_store_backend fq_store_sqlite = {
	.scheme = "sqlite:",
	.kind = "sqlite",
	.ddl_id = "INTEGER PRIMARY KEY",
	.ddl_blob = "BLOB",
	.ddl_ctext = "TEXT",
	.connect = sqlite_connect,
	.disconnect = sqlite_disconnect,
	.exec_script = sqlite_exec_script,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.backup = sqlite_backup,
	.lock = sqlite_lock,
	.health = sqlite_health,
	.reconnect = sqlite_reconnect,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.reset = sqlite_reset,
	.bind_int = sqlite_bind_int,
	.bind_double = sqlite_bind_double,
	.bind_text = sqlite_bind_text,
	.bind_blob = sqlite_bind_blob,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.changes = sqlite_changes,
	.columns = sqlite_columns,
	.column_name = sqlite_column_name,
	.column_type = sqlite_column_type,
	.column_int = sqlite_column_int,
	.column_double = sqlite_column_double,
	.column_text = sqlite_column_text,
	.column_blob = sqlite_column_blob,
};
