/* The store: where the data lives. Domain code calls this interface only, and
 * the SQL of each subject is in its store/<subject>_store.c; each backend
 * (store_sqlite.c, store_pg.c) fills a struct fq_store_backend (backend.h),
 * chosen by the URL's scheme.
 *
 * SQL given to this interface is portable: parameters are written ?1, ?2 … and
 * DDL in migrations uses the tokens of migrate.c. Every request runs in one
 * transaction (fq_db_begin … fq_db_commit or fq_db_rollback), so a failed
 * request changes nothing. */
#ifndef FQ_STORE_H
#define FQ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_store;
struct fq_db;
struct fq_stmt;
typedef struct json_t json_t;

/* Opens the store named by url ("sqlite:PATH" or "postgresql://…"). Connections
 * are opened lazily, one per thread. */
enum fq_err fq_store_open(const char *url, struct fq_store **out, struct fq_error *e);
/* Closes every connection; no thread may use the store afterwards. */
void fq_store_close(struct fq_store *store);
const char *fq_store_url(const struct fq_store *store);
/* url for messages and logs: a password in it ("://user:secret@",
 * "password=secret") replaced by "***". */
void fq_store_url_redacted(const char *url, char *out, size_t size);
const char *fq_store_kind(const struct fq_store *store); /* "sqlite" */

/* The calling thread's connection, opened on first use; NULL on failure (*e set). */
struct fq_db *fq_store_db(struct fq_store *store, struct fq_error *e);

/* Transactions. A write transaction takes the write lock at once. */
enum fq_err fq_db_begin(struct fq_db *db, bool write);
enum fq_err fq_db_commit(struct fq_db *db);
void fq_db_rollback(struct fq_db *db);
bool fq_db_in_transaction(const struct fq_db *db);
/* How many times this connection has waited for its database server so far
 * (PostgreSQL: each message exchange; SQLite, in-process: 0). Requests log
 * their share at debug level; tests assert it. */
uint64_t fq_db_round_trips(const struct fq_db *db);

/* Serializes a critical section across threads and server processes until
 * the transaction ends (e.g. the audit chain's tail). */
enum fq_lock_key {
	FQ_LOCK_AUDIT = 1, /* chain 0 of the audit log; chain c > 0: FQ_LOCK_AUDIT_CHAIN + c */
	FQ_LOCK_MIGRATE = 2,
	FQ_LOCK_NUMBERS = 3,
	FQ_LOCK_AUDIT_CHAIN = 1000,
};
enum fq_err fq_db_lock(struct fq_db *db, enum fq_lock_key key);
/* The same without waiting: *got says whether the lock was taken. */
enum fq_err fq_db_try_lock(struct fq_db *db, enum fq_lock_key key, bool *got);
/* Whether one write transaction runs at a time anyway (SQLite: the write
 * lock), so that a lock of fq_db_lock never waits for another writer. */
bool fq_db_serial_writes(const struct fq_db *db);

/* Whether the connection is usable, lost (a retry on a fresh connection is
 * safe if nothing was committed), or lost during COMMIT (outcome unknown:
 * never retry a write then). */
enum fq_db_health { FQ_DB_OK, FQ_DB_LOST, FQ_DB_LOST_IN_COMMIT };
enum fq_db_health fq_db_health(struct fq_db *db);
/* Reopens a lost connection; its cached statements are prepared again. */
enum fq_err fq_db_reconnect(struct fq_db *db);

/* Runs a script of statements without parameters (migrations). */
enum fq_err fq_db_exec_script(struct fq_db *db, const char *sql, struct fq_error *e);

/* Prepares (or takes from the connection's cache) sql and binds its
 * parameters as described by fmt, one letter per parameter ?1, ?2 …:
 *   i  int64_t          s  const char * (NULL binds NULL)
 *   d  double           b  const void *, size_t (a blob; NULL binds NULL)
 *   n  (no argument) NULL
 * fmt is NULL or "" for a statement without parameters. In builds without
 * NDEBUG, fmt must have as many letters as the statement has parameters (the
 * largest N of its ?N): otherwise FQ_ERR_INTERNAL and a log line, here and in
 * every function below that takes fmt. The statement must be given back with
 * fq_stmt_done. */
enum fq_err fq_db_query(struct fq_db *db, struct fq_stmt **out, const char *sql,
			const char *fmt, ...);
/* Runs a statement that returns no rows; *changes (may be NULL) gets the
 * number of rows changed. */
enum fq_err fq_db_exec(struct fq_db *db, int64_t *changes, const char *sql, const char *fmt,
		       ...);
/* Runs an INSERT … RETURNING id (or an UPDATE … RETURNING of one integer) and
 * stores it in *id (may be NULL); *id is left alone when no row came back.
 * Reads go through fq_db_get_int. */
enum fq_err fq_db_insert(struct fq_db *db, int64_t *id, const char *sql, const char *fmt, ...);
/* Runs a query of one value (the first column of the first row) and stores
 * it in *out: an integer, or text as a new string (to free()). FQ_ERR_NOT_FOUND
 * when there is no row or the value is NULL; *out is then left alone. */
enum fq_err fq_db_get_int(struct fq_db *db, int64_t *out, const char *sql, const char *fmt, ...);
enum fq_err fq_db_get_text(struct fq_db *db, char **out, const char *sql, const char *fmt, ...);

/* Steps: 1 = a row, 0 = done, or -FQ_ERR_* (FQ_ERR_CONFLICT for a unique or
 * foreign-key violation). */
int fq_stmt_next(struct fq_stmt *st);
void fq_stmt_done(struct fq_stmt *st);

int fq_stmt_columns(struct fq_stmt *st);
const char *fq_stmt_name(struct fq_stmt *st, int col);
bool fq_stmt_null(struct fq_stmt *st, int col);
int64_t fq_stmt_int(struct fq_stmt *st, int col);
double fq_stmt_double(struct fq_stmt *st, int col);
const char *fq_stmt_text(struct fq_stmt *st, int col); /* NULL for NULL; valid until next step */
const void *fq_stmt_blob(struct fq_stmt *st, int col, size_t *len);
/* A malloc'd copy of a blob column (NULL when NULL, empty or out of memory). */
void *fq_stmt_blob_copy(struct fq_stmt *st, int col, size_t *len);

/* The current row as a new JSON object keyed by column names (integers,
 * reals, strings, null; blobs are left out). Columns named time, *_at or *_until holding
 * integers are milliseconds and become ISO 8601 strings. */
json_t *fq_stmt_row_json(struct fq_stmt *st);
/* All remaining rows as a new JSON array; NULL on a store error. */
json_t *fq_stmt_rows_json(struct fq_stmt *st, enum fq_err *err);

/* Runs a query and returns its first row as a JSON object (*err =
 * FQ_ERR_NOT_FOUND when there is none) or all rows as a JSON array. */
json_t *fq_db_get_json(struct fq_db *db, enum fq_err *err, const char *sql, const char *fmt, ...);
json_t *fq_db_list_json(struct fq_db *db, enum fq_err *err, const char *sql, const char *fmt,
			...);

/* "%s%" with s's LIKE wildcards escaped, for "x LIKE ?N ESCAPE '\\'"; a new
 * string (to free()), NULL when s is NULL or out of memory. */
char *fq_db_like_contains(const char *s);

/* Online, consistent copy of the whole database into path (a new file).
 * SQLite only: PostgreSQL answers FQ_ERR_INVALID (use pg_dump or base
 * backups). */
enum fq_err fq_db_backup(struct fq_db *db, const char *path, struct fq_error *e);

/* Applies pending migrations; *applied (may be NULL) counts them. Fails when
 * the database is newer than this binary. */
enum fq_err fq_store_migrate(struct fq_store *store, int *applied, struct fq_error *e);
int fq_store_schema_version(struct fq_db *db);
int fq_store_latest_version(void);

#endif
