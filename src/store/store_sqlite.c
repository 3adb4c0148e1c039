/* The embedded store: one SQLite file in WAL mode, a connection per thread.
 * Writers take a process-wide lock before BEGIN IMMEDIATE, so threads queue in
 * order instead of spinning in busy_timeout (see shared/MEASURED.md).
 *
 * Commits are durable (synchronous=FULL) when fq_db_commit returns. With group
 * commit (fengqiao serve), a write transaction runs at synchronous=NORMAL, so
 * its COMMIT writes WAL frames without flushing them, and fq_db_commit then
 * waits, after the write lock is released, for a flush of the WAL file that
 * covers it (group_commit.h): the flush of one leader serves every commit
 * made while the previous flush ran. */
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
#include "store/group_commit.h"
#include "store/search_fts5.h"

enum { TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK, TX_COUNT };

static const char *const tx_sql[TX_COUNT] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

struct sqlite_db {
	struct fq_db base; /* must be first */
	sqlite3 *h;
	bool holds_write_lock;
	sqlite3_stmt *tx[TX_COUNT]; /* prepared once: every request runs them */
	/* Group commit: the WAL file's barrier (taken at the first write
	 * transaction), whether this connection cannot use one, whether the
	 * current transaction runs at synchronous=NORMAL under it, and whether
	 * a commit's flush failed (its outcome is unknown). */
	struct fq_gc *gc;
	bool gc_unusable;
	bool gc_tx;
	bool commit_unknown;
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
	/* No memory map (mmap_size=0): when a connection begins a transaction
	 * after another one changed the database, SQLite drops its cache and
	 * unmaps the whole map, and with several threads writing that is every
	 * transaction (munmap, TLB shoot-downs, page faults to map it again).
	 * Measured with 8 threads and 64 clients on a 200k-incident store: a
	 * durable intake took 1.1-1.5 ms of server CPU without the map against
	 * 2.0-2.3 ms with 256 MB, and reads warmed up were no slower (one
	 * incident 10.3k/14.4k req/s against 6.6k/12.1k, a list page 0.7k/1.7k
	 * against 0.4k/1.7k; docs/PERFORMANCE.md). Pages come from each
	 * connection's own 64 MB cache. */
	rc = sqlite3_exec(db->h,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			  "PRAGMA cache_size=-65536; PRAGMA mmap_size=0;",
			  NULL, NULL, &errmsg);
	for (int i = 0; rc == SQLITE_OK && i < TX_COUNT; i++)
		rc = sqlite3_prepare_v3(db->h, tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->tx[i],
					NULL);
	if (rc == SQLITE_OK)
		rc = fq_search_fts5_register(db->h); /* the full-text index needs it */
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
	fq_gc_release(db->gc);
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

/* Checkpoints under group commit. SQLite's automatic checkpoint runs inside
 * the COMMIT that crosses wal_autocheckpoint (1000 pages), that is inside the
 * write lock: writing the pages back and flushing the database stalled every
 * writer for up to 0.3 s. Instead, the connections' WAL hook asks the
 * barrier's thread, which checkpoints on a connection of its own: first
 * without the write lock (most pages, while writers go on), then the rest with
 * it, so that the whole WAL is copied and the next writer starts the WAL file
 * again from its beginning (else it grows for as long as writes never pause).
 * A checkpoint flushes the WAL before copying from it and the database before
 * the WAL may be reused, at synchronous NORMAL or FULL alike. */
#define CHECKPOINT_PAGES 1000

static void *checkpoint_open(const char *wal_path)
{
	size_t n = strlen(wal_path);
	char *path;
	sqlite3 *h = NULL;

	if (n < 5 || strcmp(wal_path + n - 4, "-wal") || !(path = strndup(wal_path, n - 4)))
		return NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
		fq_log_warn("sqlite: cannot open '%s' for checkpoints: %s", path,
			    h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		h = NULL;
	}
	free(path);
	return h;
}

static int checkpoint_run(void *ctx)
{
	sqlite3 *h = ctx;
	int rc;

	rc = sqlite3_wal_checkpoint_v2(h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc == SQLITE_OK || rc == SQLITE_BUSY) {
		pthread_mutex_lock(&write_lock);
		rc = sqlite3_wal_checkpoint_v2(h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_unlock(&write_lock);
	}
	/* Busy: another process checkpoints; it will be done next time. */
	if (rc == SQLITE_OK || rc == SQLITE_BUSY)
		return 0;
	fq_log_error("sqlite: checkpoint failed: %s", sqlite3_errmsg(h));
	/* A write or a flush failed: what it held may be lost (group_commit.h). */
	return (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ? -1 : 0;
}

static void checkpoint_close(void *ctx)
{
	sqlite3_close(ctx);
}

static const struct fq_gc_checkpointer checkpointer = {
	.open = checkpoint_open,
	.checkpoint = checkpoint_run,
	.close = checkpoint_close,
};

/* After each commit (in it, still inside the write lock): pages = the WAL's
 * size. Replaces SQLite's automatic checkpoint on the connection. */
static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
	struct sqlite_db *db = arg;

	if (pages >= CHECKPOINT_PAGES && !fq_gc_want_checkpoint(db->gc))
		sqlite3_wal_checkpoint(h, name); /* no thread: as SQLite would */
	return SQLITE_OK;
}

/* The connection's group commit barrier, or NULL: commit with
 * synchronous=FULL. Taken at the first write transaction that finds the WAL
 * file (it exists once the connection has read in WAL mode). */
static struct fq_gc *gc_get(struct sqlite_db *db)
{
	const char *wal;
	int psow = -1;

	if (db->gc || db->gc_unusable)
		return db->gc;
	/* Without "powersafe overwrite" a synced commit is padded to a sector
	 * boundary, which only synchronous=FULL does; stay with it then. */
	wal = sqlite3_filename_wal(sqlite3_db_filename(db->h, "main"));
	if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_POWERSAFE_OVERWRITE, &psow) !=
		    SQLITE_OK ||
	    psow != 1 || !wal || !*wal) {
		fq_log_warn("sqlite: group commit is not possible on this file: committing with "
			    "synchronous=FULL");
		db->gc_unusable = true;
		return NULL;
	}
	db->gc = fq_gc_acquire(wal, &checkpointer);
	if (db->gc)
		sqlite3_wal_hook(db->h, wal_hook, db);
	if (!db->gc && errno != ENOENT) {
		fq_log_warn("sqlite: cannot open '%s' for group commit: %s; committing with "
			    "synchronous=FULL",
			    wal, strerror(errno));
		db->gc_unusable = true;
	}
	return db->gc;
}

/* The synchronous level can only change outside a transaction, and takes
 * effect when the pragma is prepared: sqlite3_exec, not a kept statement. */
static int set_sync(struct sqlite_db *db, bool normal)
{
	return sqlite3_exec(db->h, normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
			    NULL, NULL, NULL);
}

/* Back to synchronous=FULL after a group commit transaction, so that anything
 * else this connection commits (a script, a statement outside a transaction)
 * is flushed by SQLite itself. */
static void end_gc_tx(struct sqlite_db *db)
{
	if (!db->gc_tx)
		return;
	db->gc_tx = false;
	if (set_sync(db, false) != SQLITE_OK) {
		/* Keep it from committing at NORMAL outside the barrier. */
		fq_log_error("sqlite: cannot restore synchronous=FULL: %s", sqlite3_errmsg(db->h));
		db->gc_unusable = true;
		db->gc_tx = true;
	}
}

static enum fq_err sqlite_begin(struct fq_db *base, bool write)
{
	struct sqlite_db *db = (struct sqlite_db *)base;
	enum fq_err err;
	int rc;

	if (db->gc_tx) /* restoring FULL failed before: try again */
		end_gc_tx(db);
	if (db->gc_tx)
		return FQ_ERR_STORE;
	if (write && fq_group_commit_enabled() && gc_get(db)) {
		if (fq_gc_broken(db->gc))
			return FQ_ERR_UNAVAILABLE; /* logged when the flush failed */
		rc = set_sync(db, true);
		if (rc != SQLITE_OK)
			return map_rc(db->h, rc);
		db->gc_tx = true;
	}
	if (write) {
		pthread_mutex_lock(&write_lock);
		db->holds_write_lock = true;
	}
	rc = tx_run(db, write ? TX_BEGIN_IMMEDIATE : TX_BEGIN);
	err = map_rc(db->h, rc);
	if (rc != SQLITE_OK && db->holds_write_lock) {
		db->holds_write_lock = false;
		pthread_mutex_unlock(&write_lock);
	}
	if (rc != SQLITE_OK)
		end_gc_tx(db);
	return err;
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
	bool wrote = db->gc_tx && sqlite3_txn_state(db->h, NULL) == SQLITE_TXN_WRITE;
	uint64_t ticket = 0;
	enum fq_err err;
	int rc = tx_run(db, TX_COMMIT);

	err = map_rc(db->h, rc);
	if (rc != SQLITE_OK)
		tx_run(db, TX_ROLLBACK);
	else if (wrote)
		ticket = fq_gc_ticket(db->gc); /* its frames are written */
	release_write_lock(db);
	end_gc_tx(db);
	if (ticket && fq_gc_wait(db->gc, ticket)) {
		/* Committed, visible to readers, but perhaps not on disk. */
		db->commit_unknown = true;
		return FQ_ERR_UNAVAILABLE;
	}
	return err;
}

static void sqlite_rollback(struct fq_db *base)
{
	struct sqlite_db *db = (struct sqlite_db *)base;

	tx_run(db, TX_ROLLBACK);
	release_write_lock(db);
	end_gc_tx(db);
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

static int sqlite_params(void *raw)
{
	return sqlite3_bind_parameter_count(raw);
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

static enum fq_err sqlite_try_lock(struct fq_db *db, int64_t key, bool *got)
{
	(void)db;
	(void)key;
	*got = true;
	return FQ_OK;
}

static int sqlite_health(struct fq_db *base)
{
	struct sqlite_db *db = (struct sqlite_db *)base;

	/* A file does not go away; a commit whose flush failed has an unknown
	 * outcome, as a PostgreSQL connection lost during COMMIT. */
	return db->commit_unknown ? 2 /* FQ_DB_LOST_IN_COMMIT */ : 0 /* FQ_DB_OK */;
}

/* After a failed flush: the next request starts afresh (its writes are
 * refused by sqlite_begin while the barrier is broken). */
static enum fq_err sqlite_reconnect(struct fq_db *base)
{
	((struct sqlite_db *)base)->commit_unknown = false;
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
	.try_lock = sqlite_try_lock,
	.serial_writes = true,
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
	.params = sqlite_params,
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
