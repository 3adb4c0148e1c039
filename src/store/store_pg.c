/* The city store: PostgreSQL through libpq, a connection per worker thread.
 * Statements are prepared once per connection (?N becomes $N) at their first
 * execution, with the parameter types of that first binding (bigint, double,
 * bytea; text is left to the server to infer); values go as text, blobs as
 * binary; results come as text. A lost connection is reset at the next
 * transaction and its statements are prepared again.
 *
 * Round trips (docs/internals.md, "How a request talks to PostgreSQL"): every
 * wait for the server costs two context switches, so BEGIN and advisory locks
 * are not sent on their own. They wait in db->pending and go in one pipeline
 * with the next statement (or in one query string with COMMIT, a try-lock or
 * a script). A read transaction sends no BEGIN at all while it runs only
 * plain SELECTs: at READ COMMITTED (pinned in SESSION_SETTINGS) every
 * statement takes its own snapshot anyway, so BEGIN … COMMIT around them
 * gave nothing but two round trips. The first statement of a read
 * transaction that is not a plain SELECT, a lock or a snapshot opens the
 * transaction for real. */
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

/* Quiet notices; UTC; no statement runs away; READ COMMITTED, whatever the
 * server's default: read transactions rely on it (above). Prepared
 * statements run their generic plan: the lists' queries join a dozen tables,
 * and planning them for each request's values took 13 ms where running them
 * takes under 1 ms; PostgreSQL kept the per-request plans because it
 * guessed them cheaper (docs/PERFORMANCE.md, "Dispatch at any backlog"). */
#define SESSION_SETTINGS                                                                \
	"SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET statement_timeout = '60s';" \
	" SET default_transaction_isolation = 'read committed';"                         \
	" SET plan_cache_mode = force_generic_plan"

/* Commands waiting for the next round trip: BEGIN, a lock, at most a few. */
#define PENDING_MAX 4
#define PENDING_LEN 80

struct pg_db {
	struct fq_db base; /* must be first */
	PGconn *conn;
	unsigned generation; /* bumped when the connection is reset */
	unsigned next_stmt;
	bool lost;           /* the connection broke */
	bool lost_in_commit; /* … while a COMMIT was under way: outcome unknown */
	bool tx;             /* a transaction was begun (fq_db_begin) … */
	bool tx_open;        /* … and its BEGIN went to the server */
	int npending;
	char pending[PENDING_MAX][PENDING_LEN];
};

struct pg_stmt {
	struct pg_db *db;
	char name[24];
	char *sql;     /* with $N */
	int nparams;
	bool prepared;
	bool plain_select; /* reads only, takes no lock: may run outside BEGIN */
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

/* A wait for the server: counted for fq_db_round_trips. */
static PGresult *exec_counted(struct pg_db *db, const char *sql)
{
	db->base.round_trips++;
	return PQexec(db->conn, sql);
}

static bool pending_has_begin(const struct pg_db *db)
{
	return db->npending && !strcmp(db->pending[0], "BEGIN");
}

static void pending_clear(struct pg_db *db)
{
	db->npending = 0;
}

/* Queues a command without parameters for the next round trip; false when
 * the queue is full (the caller sends it then). */
static bool pending_add(struct pg_db *db, const char *sql)
{
	if (db->npending == PENDING_MAX || strlen(sql) >= PENDING_LEN)
		return false;
	memcpy(db->pending[db->npending++], sql, strlen(sql) + 1);
	return true;
}

/* Makes the next command to the server open the transaction begun, if
 * BEGIN has not gone yet: BEGIN goes first in the queue. */
static void open_transaction(struct pg_db *db)
{
	if (!db->tx || db->tx_open || pending_has_begin(db))
		return;
	/* Never full here: pg_begin empties the queue and a lock queues only
	 * behind BEGIN. Should that change, the log says what was dropped. */
	if (db->npending == PENDING_MAX) {
		fq_log_error("postgresql: command queue full at BEGIN");
		db->npending--;
	}
	memmove(db->pending[1], db->pending[0], (size_t)db->npending * PENDING_LEN);
	snprintf(db->pending[0], PENDING_LEN, "BEGIN");
	db->npending++;
}

/* Runs sql preceded by the queued commands as one query string: the server
 * runs them in order and stops at the first error, whose result PQexec
 * gives back, else the result of sql. *nomem is set when the string could
 * not be made (nothing was sent then). */
static PGresult *exec_with_pending(struct pg_db *db, const char *sql, bool *nomem)
{
	size_t len = strlen(sql) + 1, used = 0;
	char *all;
	PGresult *res;

	*nomem = false;
	if (!db->npending)
		return exec_counted(db, sql);
	len += (size_t)db->npending * (PENDING_LEN + 2);
	all = malloc(len);
	if (!all) {
		*nomem = true;
		return NULL;
	}
	for (int i = 0; i < db->npending; i++)
		used += (size_t)snprintf(all + used, len - used, "%s; ", db->pending[i]);
	snprintf(all + used, len - used, "%s", sql);
	if (pending_has_begin(db))
		db->tx_open = true;
	pending_clear(db);
	res = exec_counted(db, all);
	free(all);
	return res;
}

static enum fq_err simple(struct pg_db *db, const char *sql, struct fq_error *e)
{
	bool nomem;
	PGresult *res = exec_with_pending(db, sql, &nomem);
	ExecStatusType st = PQresultStatus(res);
	enum fq_err err = FQ_OK;

	if (nomem) {
		err = FQ_ERR_NOMEM;
		if (e && !e->err)
			fq_fail(e, err, NULL, NULL, NULL);
	} else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		err = map_result(db, res);
		if (e && !e->err)
			fq_fail(e, err, NULL, NULL, "postgresql: %.200s", PQresultErrorMessage(res));
	}
	PQclear(res);
	return err;
}

static enum fq_err pg_exec_script(struct fq_db *base, const char *sql, struct fq_error *e)
{
	struct pg_db *db = (struct pg_db *)base;

	open_transaction(db);
	return simple(db, sql, e);
}

static enum fq_err pg_reconnect(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	if (PQstatus(db->conn) == CONNECTION_OK && !db->lost)
		return FQ_OK;
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return FQ_ERR_UNAVAILABLE;
	if (PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF)
		PQexitPipelineMode(db->conn);
	PQclear(PQexec(db->conn, SESSION_SETTINGS));
	db->generation++;
	db->lost = db->lost_in_commit = false;
	fq_log_warn("postgresql: connection reopened");
	return FQ_OK;
}

/* Nothing goes to the server yet: a write transaction queues its BEGIN for
 * the first statement, a read transaction sends none unless it needs one. */
static enum fq_err pg_begin(struct fq_db *base, bool write)
{
	struct pg_db *db = (struct pg_db *)base;
	enum fq_err err = pg_reconnect(base);

	if (err)
		return err;
	pending_clear(db);
	db->tx = true;
	db->tx_open = false;
	if (write)
		open_transaction(db);
	return FQ_OK;
}

static void end_transaction(struct pg_db *db)
{
	pending_clear(db);
	db->tx = db->tx_open = false;
}

static enum fq_err pg_commit(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	PGresult *res;
	bool nomem;
	enum fq_err err = FQ_OK;

	/* Lost before COMMIT was sent: nothing was committed. */
	note_lost(db);
	if (db->lost) {
		end_transaction(db);
		return FQ_ERR_UNAVAILABLE;
	}
	/* BEGIN never went: no statement ran inside the transaction, so there
	 * is nothing to commit (a queued lock guarded nothing). */
	if (!db->tx_open) {
		end_transaction(db);
		return FQ_OK;
	}
	/* Locks still queued go with COMMIT in one query string. */
	res = exec_with_pending(db, "COMMIT", &nomem);
	/* A failed transaction answers COMMIT with ROLLBACK. */
	if (nomem) {
		err = FQ_ERR_NOMEM;
		PQclear(exec_counted(db, "ROLLBACK"));
	} else if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(res), "COMMIT")) {
		err = map_result(db, res);
		if (db->lost)
			db->lost_in_commit = true;
		if (!err)
			err = FQ_ERR_STORE;
		/* An error before COMMIT (a queued lock) leaves the transaction
		 * open and failed: end it. */
		if (!db->lost && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
			PQclear(exec_counted(db, "ROLLBACK"));
	}
	PQclear(res);
	end_transaction(db);
	return err;
}

static void pg_rollback(struct fq_db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	if (db->tx_open && PQstatus(db->conn) == CONNECTION_OK &&
	    PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF)
		PQclear(exec_counted(db, "ROLLBACK"));
	end_transaction(db);
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

/* Whether sql only reads and takes no lock, so that it may run before the
 * BEGIN of a read transaction (file comment). Anything else counts as a
 * write: wrongly so costs a round trip, never correctness. */
static bool is_plain_select(const char *sql)
{
	static const char *const not_plain[] = {
		" for update", " for share", " for no key", " for key share", " into ", "nextval",
		"setval", "advisory", "set_config", "pg_notify", "txid_", "xact_id", "lo_",
	};
	char lower[4096];
	size_t n = 0;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (strncmp(sql, "SELECT ", 7) && strncmp(sql, "select ", 7))
		return false;
	for (; sql[n] && n < sizeof(lower) - 1; n++)
		lower[n] = (char)(sql[n] >= 'A' && sql[n] <= 'Z' ? sql[n] - 'A' + 'a' : sql[n]);
	if (sql[n])
		return false; /* too long to look through: say write */
	lower[n] = '\0';
	for (size_t i = 0; i < sizeof(not_plain) / sizeof(not_plain[0]); i++)
		if (strstr(lower, not_plain[i]))
			return false;
	return true;
}

static enum fq_err stmt_prepare(struct pg_stmt *st)
{
	PGresult *res;
	enum fq_err err = FQ_OK;

	st->db->base.round_trips++;
	res = PQprepare(st->db->conn, st->name, st->sql, st->nparams, st->types);

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
		PQclear(exec_counted(st->db, sql));
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
	st->plain_select = is_plain_select(sql);
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

/* Sends the queued commands (BEGIN, locks), the statement's Parse when it is
 * not prepared on this connection yet, and its execution as one pipeline,
 * then reads every answer: one round trip instead of up to four. The first
 * failure decides; the server skips what follows it in the pipeline. */
static enum fq_err exec_pipeline(struct pg_stmt *st)
{
	struct pg_db *db = st->db;
	PGconn *c = db->conn;
	bool prep = !st->prepared || st->generation != db->generation, have = false;
	int npend = db->npending, nitems = npend + (prep ? 1 : 0) + 1, item = 0, ok;
	PGresult *res, *bad = NULL;
	enum fq_err err = FQ_OK;

	db->base.round_trips++;
	ok = PQenterPipelineMode(c);
	for (int i = 0; ok && i < npend; i++)
		ok = PQsendQueryParams(c, db->pending[i], 0, NULL, NULL, NULL, NULL, 0);
	if (ok && prep)
		ok = PQsendPrepare(c, st->name, st->sql, st->nparams, st->types);
	if (ok)
		ok = PQsendQueryPrepared(c, st->name, st->nparams, (const char *const *)st->values,
					 st->lengths, st->formats, 0);
	if (ok)
		ok = PQpipelineSync(c);
	if (pending_has_begin(db))
		db->tx_open = true;
	pending_clear(db);
	if (!ok) {
		/* Half sent: what the server has seen is unknown. Start afresh. */
		fq_log_warn("postgresql: cannot send a pipeline: %s", PQerrorMessage(c));
		db->lost = true;
		return FQ_ERR_UNAVAILABLE;
	}
	for (;;) {
		ExecStatusType status;

		res = PQgetResult(c);
		if (!res) {
			if (!have) {
				/* Nothing where an answer should be: the connection broke. */
				db->lost = true;
				break;
			}
			item++;
			have = false;
			continue;
		}
		status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (have || item >= nitems) {
			PQclear(res);
			continue;
		}
		have = true;
		if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR ||
		    status == PGRES_BAD_RESPONSE) {
			if (!bad)
				bad = res;
			else
				PQclear(res);
			if (PQstatus(c) != CONNECTION_OK) {
				db->lost = true;
				break;
			}
			continue;
		}
		if (item == nitems - 1 && !bad) {
			st->res = res;
			continue;
		}
		if (prep && item == npend && status == PGRES_COMMAND_OK) {
			st->generation = db->generation;
			st->prepared = true;
		}
		PQclear(res);
	}
	if (!db->lost && !PQexitPipelineMode(c))
		db->lost = true;
	if (bad || db->lost || !st->res) {
		err = map_result(db, bad);
		if (!err)
			err = FQ_ERR_STORE;
	}
	PQclear(bad);
	return err;
}

static int pg_step(void *raw)
{
	struct pg_stmt *st = raw;
	struct pg_db *db = st->db;
	ExecStatusType status;

	if (!st->executed) {
		enum fq_err err = FQ_OK;

		/* A read transaction opens only for what is not a plain SELECT. */
		if (db->tx && !db->tx_open && !st->plain_select)
			open_transaction(db);
		st->executed = true;
		if (db->npending) {
			err = exec_pipeline(st);
			if (err)
				return -(int)err;
		} else {
			if (!st->prepared || st->generation != db->generation)
				err = stmt_prepare(st);
			if (err)
				return -(int)err;
			db->base.round_trips++;
			st->res = PQexecPrepared(db->conn, st->name, st->nparams,
						 (const char *const *)st->values, st->lengths,
						 st->formats, 0);
		}
		status = PQresultStatus(st->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
			return -(int)map_result(db, st->res);
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

/* The lock waits in the queue for the next statement (or COMMIT): the
 * server takes it before it runs that statement, which is all a lock until
 * the end of the transaction needs. Its error, if any, is that statement's. */
static enum fq_err pg_lock(struct fq_db *base, int64_t key)
{
	struct pg_db *db = (struct pg_db *)base;
	char sql[80];

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", (long long)key);
	open_transaction(db);
	if (pending_add(db, sql))
		return FQ_OK;
	return simple(db, sql, NULL);
}

static enum fq_err pg_try_lock(struct fq_db *base, int64_t key, bool *got)
{
	struct pg_db *db = (struct pg_db *)base;
	char sql[80];
	PGresult *res;
	bool nomem;
	enum fq_err err;

	snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_xact_lock(%lld)", (long long)key);
	open_transaction(db);
	res = exec_with_pending(db, sql, &nomem);
	if (nomem)
		return FQ_ERR_NOMEM;
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
	struct pg_db *db = (struct pg_db *)base;

	open_transaction(db);
	return simple(db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", NULL);
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
		open_transaction(db);
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
