/* The city store: PostgreSQL through libpq, a connection per worker thread.
 * Statements are prepared once per connection (?N becomes $N) at their first
 * execution, with the parameter types of that first binding (bigint, double,
 * bytea; text is left to the server to infer); values go as text, blobs as
 * binary; results come as text. A lost connection is reset at the next
 * transaction and its statements are prepared again. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/log.h"
#include "store/backend.h"
#include "store/store.h"

/* Type oids from pg_type.h (server headers are not needed for these). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_UNKNOWN 0

/* Quiet notices; UTC; no statement runs away. */
#define SESSION_SETTINGS \
	"SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET statement_timeout = '60s'"

struct pg_db {
	struct fq_db base; /* must be first */
	PGconn *conn;
	unsigned generation; /* bumped when the connection is reset */
	unsigned next_stmt;
	bool lost;           /* the connection broke */
	bool lost_in_commit; /* … while a COMMIT was under way: outcome unknown */
};

struct pg_stmt {
	struct pg_db *db;
	char name[24];
	char *sql;     /* with $N */
	int nparams;
	bool prepared;
	unsigned generation;
	Oid *types;
	char **values;
	int *lengths;
	int *formats;
	PGresult *res;
	bool executed;
	int row, nrows;
	unsigned char *blob; /* the last decoded bytea */
};

static void note_lost(struct pg_db *db)
{
	if (PQstatus(db->conn) != CONNECTION_OK)
		db->lost = true;
}

/* Maps a failed result to an error: constraint violations are conflicts,
 * serialization failures, deadlocks and lost connections are "try again".
 * A result without SQLSTATE never reached the server: when the server has
 * gone (crash, immediate shutdown) libpq still says CONNECTION_OK for the
 * first failure, so that counts as a lost connection too, as do the
 * shutdown (57P0x) and connection (08) classes. */
static enum fq_err map_result(struct pg_db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	note_lost(db);
	if (!state || !strncmp(state, "57P0", 4) || !strncmp(state, "08", 2))
		db->lost = true;
	if (db->lost)
		return FQ_ERR_UNAVAILABLE;
	if (state && !strncmp(state, "23", 2))
		return FQ_ERR_CONFLICT;
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
		      !strncmp(state, "08", 2) || !strncmp(state, "57P", 3)))
		return FQ_ERR_UNAVAILABLE;
	if (state && !strcmp(state, "54000"))
		return FQ_ERR_TOO_LARGE;
	fq_log_error("postgresql: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	return FQ_ERR_STORE;
}

static enum fq_err pg_connect(const char *url, struct fq_db **out, struct fq_error *e)
{
	struct pg_db *db = calloc(1, sizeof(*db));
	PGresult *res;

	if (!db)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	db->conn = PQconnectdb(url);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		char msg[200];
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(db->conn));
		msg[strcspn(msg, "\n")] = '\0';
		PQfinish(db->conn);
		free(db);
		/* 503 to a client: the database may be back in a moment. */
		return fq_fail(e, FQ_ERR_UNAVAILABLE, NULL, "store", "cannot connect to PostgreSQL: %s",
			       msg);
	}
	res = PQexec(db->conn, SESSION_SETTINGS);
	PQclear(res);
	*out = &db->base;
	return FQ_OK;
}

static void pg_disconnect(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	PQfinish(db->conn);
	free(db);
}

static enum fq_err simple(struct pg_db *db, const char *sql, struct fq_error *e)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	enum fq_err err = FQ_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		err = map_result(db, res);
		if (e && !e->err)
			fq_fail(e, err, NULL, NULL, "postgresql: %.200s", PQresultErrorMessage(res));
	}
	PQclear(res);
	return err;
}

static enum fq_err pg_exec_script(struct fq_db *base, const char *sql, struct fq_error *e)
{
	return simple((struct pg_db *)base, sql, e);
}

static enum fq_err pg_reconnect(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	if (PQstatus(db->conn) == CONNECTION_OK && !db->lost)
		return FQ_OK;
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return FQ_ERR_UNAVAILABLE;
	PQclear(PQexec(db->conn, SESSION_SETTINGS));
	db->generation++;
	db->lost = db->lost_in_commit = false;
	fq_log_warn("postgresql: connection reopened");
	return FQ_OK;
}

static enum fq_err pg_begin(struct fq_db *base, bool write)
{
	struct pg_db *db = (struct pg_db *)base;
	enum fq_err err = pg_reconnect(base);

	(void)write;
	return err ? err : simple(db, "BEGIN", NULL);
}

static enum fq_err pg_commit(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	PGresult *res;
	enum fq_err err = FQ_OK;

	/* Lost before COMMIT was sent: nothing was committed. */
	note_lost(db);
	if (db->lost)
		return FQ_ERR_UNAVAILABLE;
	res = PQexec(db->conn, "COMMIT");
	/* A failed transaction answers COMMIT with ROLLBACK. */
	if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(res), "COMMIT")) {
		err = map_result(db, res);
		if (db->lost)
			db->lost_in_commit = true;
		if (!err)
			err = FQ_ERR_STORE;
	}
	PQclear(res);
	return err;
}

static void pg_rollback(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	if (PQstatus(db->conn) == CONNECTION_OK)
		simple(db, "ROLLBACK", NULL);
}

static enum fq_err pg_backup(struct fq_db *base, const char *path, struct fq_error *e)
{
	(void)base;
	(void)path;
	return fq_fail(e, FQ_ERR_INVALID, NULL, "store",
		       "back up PostgreSQL with pg_dump or base backups (docs/operations)");
}

/* ?N → $N outside quoted text; *nparams gets the highest N. */
static char *convert_params(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1), *p = out;
	bool quoted = false;

	if (!out)
		return NULL;
	*nparams = 0;
	for (const char *s = sql; *s; s++) {
		if (*s == '\'')
			quoted = !quoted;
		if (!quoted && *s == '?' && s[1] >= '0' && s[1] <= '9') {
			int v = 0;
			*p++ = '$';
			while (s[1] >= '0' && s[1] <= '9') {
				v = v * 10 + (s[1] - '0');
				*p++ = *++s;
			}
			if (v > *nparams)
				*nparams = v;
			continue;
		}
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

static enum fq_err stmt_prepare(struct pg_stmt *st)
{
	PGresult *res = PQprepare(st->db->conn, st->name, st->sql, st->nparams, st->types);
	enum fq_err err = FQ_OK;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		err = map_result(st->db, res);
	PQclear(res);
	if (!err) {
		st->generation = st->db->generation;
		st->prepared = true;
	}
	return err;
}

static void pg_finalize(void *raw)
{
	struct pg_stmt *st = raw;
	char sql[64];

	if (!st)
		return;
	PQclear(st->res);
	if (st->prepared && st->generation == st->db->generation &&
	    PQstatus(st->db->conn) == CONNECTION_OK) {
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		PQclear(PQexec(st->db->conn, sql));
	}
	for (int i = 0; i < st->nparams; i++)
		free(st->values[i]);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->types);
	PQfreemem(st->blob);
	free(st->sql);
	free(st);
}

static enum fq_err pg_prepare(struct fq_db *base, const char *sql, void **out)
{
	struct pg_db *db = (struct pg_db *)base;
	struct pg_stmt *st = calloc(1, sizeof(*st));

	if (!st)
		return FQ_ERR_NOMEM;
	st->db = db;
	snprintf(st->name, sizeof(st->name), "fq%u", db->next_stmt++);
	st->sql = convert_params(sql, &st->nparams);
	st->values = calloc((size_t)st->nparams + 1, sizeof(char *));
	st->lengths = calloc((size_t)st->nparams + 1, sizeof(int));
	st->formats = calloc((size_t)st->nparams + 1, sizeof(int));
	st->types = calloc((size_t)st->nparams + 1, sizeof(Oid));
	if (!st->sql || !st->values || !st->lengths || !st->formats || !st->types) {
		st->nparams = 0;
		pg_finalize(st);
		return FQ_ERR_NOMEM;
	}
	*out = st;
	return FQ_OK;
}

static int pg_params(void *raw)
{
	return ((struct pg_stmt *)raw)->nparams;
}

static void clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->executed = false;
	st->row = -1;
	st->nrows = 0;
	PQfreemem(st->blob);
	st->blob = NULL;
}

static void pg_reset(void *raw)
{
	struct pg_stmt *st = raw;

	clear_result(st);
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static enum fq_err set_param(struct pg_stmt *st, int idx, char *value, int len, int format,
			     Oid type)
{
	if (idx < 1 || idx > st->nparams) {
		free(value);
		return FQ_ERR_INTERNAL;
	}
	free(st->values[idx - 1]);
	st->values[idx - 1] = value;
	st->lengths[idx - 1] = len;
	st->formats[idx - 1] = format;
	if (!st->prepared && type != OID_UNKNOWN)
		st->types[idx - 1] = type;
	return FQ_OK;
}

static enum fq_err pg_bind_int(void *raw, int idx, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return set_param(raw, idx, strdup(buf), 0, 0, OID_INT8);
}

static enum fq_err pg_bind_double(void *raw, int idx, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	return set_param(raw, idx, strdup(buf), 0, 0, OID_FLOAT8);
}

static enum fq_err pg_bind_text(void *raw, int idx, const char *s)
{
	char *copy = strdup(s);

	return copy ? set_param(raw, idx, copy, 0, 0, OID_UNKNOWN) : FQ_ERR_NOMEM;
}

static enum fq_err pg_bind_blob(void *raw, int idx, const void *p, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (!copy || len > (size_t)INT32_MAX) {
		free(copy);
		return FQ_ERR_NOMEM;
	}
	memcpy(copy, p, len);
	return set_param(raw, idx, copy, (int)len, 1, OID_BYTEA);
}

static enum fq_err pg_bind_null(void *raw, int idx)
{
	return set_param(raw, idx, NULL, 0, 0, OID_UNKNOWN);
}

static int pg_step(void *raw)
{
	struct pg_stmt *st = raw;
	ExecStatusType status;

	if (!st->executed) {
		enum fq_err err = FQ_OK;

		if (!st->prepared || st->generation != st->db->generation)
			err = stmt_prepare(st);
		if (err)
			return -(int)err;
		st->res = PQexecPrepared(st->db->conn, st->name, st->nparams,
					 (const char *const *)st->values, st->lengths, st->formats, 0);
		st->executed = true;
		status = PQresultStatus(st->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
			return -(int)map_result(st->db, st->res);
		st->nrows = PQntuples(st->res);
		st->row = -1;
	}
	PQfreemem(st->blob);
	st->blob = NULL;
	if (st->row + 1 < st->nrows) {
		st->row++;
		return 1;
	}
	st->row = st->nrows;
	return 0;
}

static int64_t pg_changes(struct fq_db *base, void *raw)
{
	struct pg_stmt *st = raw;
	const char *n = st->res ? PQcmdTuples(st->res) : "";

	(void)base;
	return *n ? strtoll(n, NULL, 10) : 0;
}

static int pg_columns(void *raw)
{
	struct pg_stmt *st = raw;

	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(void *raw, int col)
{
	return PQfname(((struct pg_stmt *)raw)->res, col);
}

static bool row_ok(const struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

static enum fq_col_type pg_column_type(void *raw, int col)
{
	struct pg_stmt *st = raw;

	if (!row_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return FQ_COL_NULL;
	switch (PQftype(st->res, col)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return FQ_COL_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return FQ_COL_REAL;
	case OID_BYTEA:
		return FQ_COL_BLOB;
	default:
		return FQ_COL_TEXT;
	}
}

static int64_t pg_column_int(void *raw, int col)
{
	struct pg_stmt *st = raw;
	const char *v;

	if (!row_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return 0;
	v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_column_double(void *raw, int col)
{
	struct pg_stmt *st = raw;

	if (!row_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return 0;
	return strtod(PQgetvalue(st->res, st->row, col), NULL);
}

static const char *pg_column_text(void *raw, int col)
{
	struct pg_stmt *st = raw;

	if (!row_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static const void *pg_column_blob(void *raw, int col, size_t *len)
{
	struct pg_stmt *st = raw;

	*len = 0;
	if (!row_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), len);
	return st->blob;
}

static enum fq_err pg_lock(struct fq_db *base, int64_t key)
{
	struct pg_db *db = (struct pg_db *)base;
	char sql[80];

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", (long long)key);
	return simple(db, sql, NULL);
}

static enum fq_err pg_try_lock(struct fq_db *base, int64_t key, bool *got)
{
	struct pg_db *db = (struct pg_db *)base;
	char sql[80];
	PGresult *res;
	enum fq_err err;

	snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_xact_lock(%lld)", (long long)key);
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		err = map_result(db, res);
		PQclear(res);
		return err ? err : FQ_ERR_STORE;
	}
	*got = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return FQ_OK;
}

static int pg_health(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	note_lost(db);
	if (db->lost_in_commit)
		return FQ_DB_LOST_IN_COMMIT;
	return db->lost ? FQ_DB_LOST : FQ_DB_OK;
}

/* Repeatable read: every statement of the export sees the same data. */
static enum fq_err pg_snapshot(struct fq_db *base)
{
	return simple((struct pg_db *)base,
		      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", NULL);
}

/* An identity column only moves on when it generates a value: after rows
 * came in with their ids, the next generated id must follow the largest. */
static enum fq_err pg_reset_ids(struct fq_db *base, const char *table)
{
	struct pg_db *db = (struct pg_db *)base;
	char *lit = PQescapeLiteral(db->conn, table, strlen(table));
	char *ident = PQescapeIdentifier(db->conn, table, strlen(table));
	char sql[256];
	enum fq_err err = FQ_ERR_NOMEM;

	if (lit && ident) {
		snprintf(sql, sizeof(sql),
			 "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(max(id), 0) + 1,"
			 " false) FROM %s",
			 lit, ident);
		err = simple(db, sql, NULL);
	}
	PQfreemem(lit);
	PQfreemem(ident);
	return err;
}

const struct fq_store_backend fq_store_pg = {
	.scheme = "postgresql:",
	.kind = "postgresql",
	.ddl_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.ddl_blob = "BYTEA",
	.ddl_ctext = "TEXT COLLATE \"C\"",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.backup = pg_backup,
	.lock = pg_lock,
	.try_lock = pg_try_lock,
	.health = pg_health,
	.reconnect = pg_reconnect,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.params = pg_params,
	.step = pg_step,
	.changes = pg_changes,
	.columns = pg_columns,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.column_int = pg_column_int,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.snapshot = pg_snapshot,
	.reset_ids = pg_reset_ids,
};
