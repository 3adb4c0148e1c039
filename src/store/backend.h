/* What a store backend provides. Only store.c, dump.c (which reads and binds
 * values of any type) and the backends include this. */
#ifndef FQ_STORE_BACKEND_H
#define FQ_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_stmt;

enum fq_col_type { FQ_COL_NULL, FQ_COL_INT, FQ_COL_REAL, FQ_COL_TEXT, FQ_COL_BLOB };

struct fq_store_backend {
	const char *scheme;   /* URL prefix: "sqlite:" */
	const char *kind;     /* "sqlite" */
	/* Dialect tokens for migrations: {id}, {blob}, {ctext} (text compared
	 * byte by byte: paths and prefixes searched by range). */
	const char *ddl_id;
	const char *ddl_blob;
	const char *ddl_ctext;

	enum fq_err (*connect)(const char *url, struct fq_db **out, struct fq_error *e);
	void (*disconnect)(struct fq_db *db);
	enum fq_err (*exec_script)(struct fq_db *db, const char *sql, struct fq_error *e);
	enum fq_err (*begin)(struct fq_db *db, bool write);
	enum fq_err (*commit)(struct fq_db *db);
	void (*rollback)(struct fq_db *db);
	enum fq_err (*backup)(struct fq_db *db, const char *path, struct fq_error *e);
	/* Takes a lock held until the transaction ends, across processes. */
	enum fq_err (*lock)(struct fq_db *db, int64_t key);
	/* The same without waiting; *got says whether it was taken. */
	enum fq_err (*try_lock)(struct fq_db *db, int64_t key, bool *got);
	bool serial_writes; /* one write transaction at a time (store.h) */
	int (*health)(struct fq_db *db); /* enum fq_db_health */
	enum fq_err (*reconnect)(struct fq_db *db);

	/* Statements; sql uses ?N parameters. */
	enum fq_err (*prepare)(struct fq_db *db, const char *sql, void **out);
	void (*finalize)(void *raw);
	void (*reset)(void *raw);
	enum fq_err (*bind_int)(void *raw, int idx, int64_t v);
	enum fq_err (*bind_double)(void *raw, int idx, double v);
	enum fq_err (*bind_text)(void *raw, int idx, const char *s);
	enum fq_err (*bind_blob)(void *raw, int idx, const void *p, size_t len);
	enum fq_err (*bind_null)(void *raw, int idx);
	/* The number of parameters: the largest N of the ?N in the statement. */
	int (*params)(void *raw);
	int (*step)(void *raw); /* 1 row, 0 done, -FQ_ERR_* */
	int64_t (*changes)(struct fq_db *db, void *raw);
	int (*columns)(void *raw);
	const char *(*column_name)(void *raw, int col);
	enum fq_col_type (*column_type)(void *raw, int col);
	int64_t (*column_int)(void *raw, int col);
	double (*column_double)(void *raw, int col);
	const char *(*column_text)(void *raw, int col); /* NULL for NULL */
	const void *(*column_blob)(void *raw, int col, size_t *len);

	/* Export and import (dump.c); NULL where the backend needs nothing.
	 * snapshot: run first in a read transaction, makes all its statements
	 * see one snapshot. reset_ids: after rows of table were inserted with
	 * explicit ids, moves its id generator past the largest id. */
	enum fq_err (*snapshot)(struct fq_db *db);
	enum fq_err (*reset_ids)(struct fq_db *db, const char *table);
};

extern const struct fq_store_backend fq_store_sqlite;
extern const struct fq_store_backend fq_store_pg;

/* The part of every connection the generic layer owns; a backend's connection
 * struct starts with it. */
#define FQ_STMT_CACHE 256 /* room for every module's statements: past it a statement is prepared each time */
struct fq_stmt {
	struct fq_db *db;
	void *raw;
	char *sql;
	uint32_t hash;
	bool in_use;
	bool cached;
};

/* Prepares sql (or takes it from the cache) for a caller that binds its
 * parameters itself through the backend (dump.c: rows of any table); the
 * statement is given back with fq_stmt_done. Everyone else uses fq_db_query,
 * whose format string is checked against the parameters. */
enum fq_err fq_db_query_unbound(struct fq_db *db, struct fq_stmt **out, const char *sql);

struct fq_db {
	const struct fq_store_backend *backend;
	bool in_tx;
	uint64_t round_trips; /* waits for a database server (fq_db_round_trips) */
	struct fq_stmt *cache[FQ_STMT_CACHE];
	struct fq_db *next_open; /* the store's list of connections */
};

#endif
