/* The generic layer of the store (store.h): backends chosen by URL, a
 * connection per thread, the statement cache, parameters bound from a format
 * string (checked against the statement), rows as JSON. */
#include "store/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "store/backend.h"

#define FQ_REDACT_TAIL 512

static const struct fq_store_backend *const backends[] = {
	&fq_store_sqlite,
	&fq_store_pg,
};

struct fq_store {
	const struct fq_store_backend *backend;
	char *url;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards open */
	struct fq_db *open;
};

enum fq_err fq_store_open(const char *url, struct fq_store **out, struct fq_error *e)
{
	const struct fq_store_backend *be = NULL;
	struct fq_store *s;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strncmp(url, backends[i]->scheme, strlen(backends[i]->scheme)))
			be = backends[i];
	if (!be) {
		return fq_fail(e, FQ_ERR_INVALID, NULL, "store",
			       "store '%s' is not sqlite:PATH or postgresql://…", url);
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->url = strdup(url))) {
		free(s);
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	s->backend = be;
	pthread_key_create(&s->key, NULL);
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return FQ_OK;
}

static void db_close(struct fq_db *db)
{
	for (int i = 0; i < FQ_STMT_CACHE; i++) {
		struct fq_stmt *st = db->cache[i];
		if (st) {
			db->backend->finalize(st->raw);
			free(st->sql);
			free(st);
		}
	}
	db->backend->disconnect(db);
}

void fq_store_close(struct fq_store *s)
{
	if (!s)
		return;
	while (s->open) {
		struct fq_db *db = s->open;
		s->open = db->next_open;
		db_close(db);
	}
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->lock);
	free(s->url);
	free(s);
}

const char *fq_store_url(const struct fq_store *s)
{
	return s->url;
}

const char *fq_store_kind(const struct fq_store *s)
{
	return s->backend->kind;
}

struct fq_db *fq_store_db(struct fq_store *s, struct fq_error *e)
{
	struct fq_db *db = pthread_getspecific(s->key);

	if (db)
		return db;
	if (s->backend->connect(s->url, &db, e))
		return NULL;
	db->backend = s->backend;
	pthread_setspecific(s->key, db);
	pthread_mutex_lock(&s->lock);
	db->next_open = s->open;
	s->open = db;
	pthread_mutex_unlock(&s->lock);
	return db;
}

enum fq_err fq_db_begin(struct fq_db *db, bool write)
{
	enum fq_err err = db->backend->begin(db, write);

	if (!err)
		db->in_tx = true;
	return err;
}

enum fq_err fq_db_commit(struct fq_db *db)
{
	enum fq_err err = db->backend->commit(db);

	db->in_tx = false;
	return err;
}

void fq_db_rollback(struct fq_db *db)
{
	if (db->in_tx)
		db->backend->rollback(db);
	db->in_tx = false;
}

bool fq_db_in_transaction(const struct fq_db *db)
{
	return db->in_tx;
}

uint64_t fq_db_round_trips(const struct fq_db *db)
{
	return db->round_trips;
}

enum fq_err fq_db_lock(struct fq_db *db, enum fq_lock_key key)
{
	return db->backend->lock(db, (int64_t)key);
}

enum fq_err fq_db_try_lock(struct fq_db *db, enum fq_lock_key key, bool *got)
{
	return db->backend->try_lock(db, (int64_t)key, got);
}

bool fq_db_serial_writes(const struct fq_db *db)
{
	return db->backend->serial_writes;
}

enum fq_db_health fq_db_health(struct fq_db *db)
{
	return (enum fq_db_health)db->backend->health(db);
}

enum fq_err fq_db_reconnect(struct fq_db *db)
{
	return db->backend->reconnect(db);
}

enum fq_err fq_db_exec_script(struct fq_db *db, const char *sql, struct fq_error *e)
{
	return db->backend->exec_script(db, sql, e);
}

enum fq_err fq_db_backup(struct fq_db *db, const char *path, struct fq_error *e)
{
	return db->backend->backup(db, path, e);
}

static uint32_t sql_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Where the text at an address was last found in a cache: most queries are
 * string literals, asked for again and again from the same address, and
 * hashing their whole text each time (a few hundred bytes) costs more than
 * comparing it. A hint only: the slot is trusted after the text there
 * compares equal, so an address now holding other text (a query built in
 * memory that was freed), another connection's slot or a stale entry only
 * means the hash is computed after all. Per thread, as a connection is. */
#define SLOT_HINTS 256
static _Thread_local struct {
	const char *sql;
	int slot;
} slot_hint[SLOT_HINTS];

static unsigned hint_of(const char *sql)
{
	uintptr_t p = (uintptr_t)sql;

	return (unsigned)((p ^ (p >> 9)) % SLOT_HINTS);
}

/* Finds the statement for sql in the connection's cache (open addressing),
 * or prepares one and caches it when there is room. */
static enum fq_err stmt_get(struct fq_db *db, const char *sql, struct fq_stmt **out)
{
	unsigned hint = hint_of(sql);
	uint32_t h;
	int free_slot = -1;
	struct fq_stmt *st;
	enum fq_err err;

	if (slot_hint[hint].sql == sql) {
		st = db->cache[slot_hint[hint].slot];
		if (st && !st->in_use && !strcmp(st->sql, sql)) {
			st->in_use = true;
			*out = st;
			return FQ_OK;
		}
	}
	h = sql_hash(sql);
	for (int probe = 0; probe < FQ_STMT_CACHE; probe++) {
		int i = (int)((h + (uint32_t)probe) % FQ_STMT_CACHE);
		st = db->cache[i];
		if (!st) {
			free_slot = i;
			break;
		}
		if (st->hash == h && !strcmp(st->sql, sql)) {
			if (st->in_use)
				break; /* nested use of one query: prepare a private one */
			st->in_use = true;
			slot_hint[hint].sql = sql;
			slot_hint[hint].slot = i;
			*out = st;
			return FQ_OK;
		}
	}
	st = calloc(1, sizeof(*st));
	if (!st || !(st->sql = strdup(sql))) {
		free(st);
		return FQ_ERR_NOMEM;
	}
	err = db->backend->prepare(db, sql, &st->raw);
	if (err) {
		free(st->sql);
		free(st);
		return err;
	}
	st->db = db;
	st->hash = h;
	st->in_use = true;
	if (free_slot >= 0) {
		st->cached = true;
		db->cache[free_slot] = st;
		slot_hint[hint].sql = sql;
		slot_hint[hint].slot = free_slot;
	}
	*out = st;
	return FQ_OK;
}

void fq_stmt_done(struct fq_stmt *st)
{
	if (!st)
		return;
	st->db->backend->reset(st->raw);
	st->in_use = false;
	if (!st->cached) {
		st->db->backend->finalize(st->raw);
		free(st->sql);
		free(st);
	}
}

/* A format string with one letter too many or too few binds the wrong values
 * or leaves a parameter NULL without a word: in builds with assertions, the
 * letters must match the statement's parameters (sqlite3_bind_parameter_count;
 * the highest $N on PostgreSQL). A mismatch fails the query with
 * FQ_ERR_INTERNAL and a log line naming the statement, rather than aborting,
 * so that a test can see it. */
static enum fq_err check_fmt(struct fq_stmt *st, const char *fmt)
{
#ifndef NDEBUG
	int letters = fmt ? (int)strlen(fmt) : 0, params = st->db->backend->params(st->raw);

	if (letters != params) {
		fq_log_error("store: bind string \"%s\" has %d letter%s but the query has %d "
			     "parameter%s: '%.120s'",
			     fmt ? fmt : "", letters, letters == 1 ? "" : "s", params,
			     params == 1 ? "" : "s", st->sql);
		return FQ_ERR_INTERNAL;
	}
#else
	(void)st;
	(void)fmt;
#endif
	return FQ_OK;
}

static enum fq_err stmt_bind(struct fq_stmt *st, const char *fmt, va_list ap)
{
	const struct fq_store_backend *be = st->db->backend;
	enum fq_err err = check_fmt(st, fmt);
	int idx = 1;

	for (const char *f = fmt ? fmt : ""; *f && !err; f++, idx++) {
		switch (*f) {
		case 'i':
			err = be->bind_int(st->raw, idx, va_arg(ap, int64_t));
			break;
		case 'd':
			err = be->bind_double(st->raw, idx, va_arg(ap, double));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			err = s ? be->bind_text(st->raw, idx, s) : be->bind_null(st->raw, idx);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			err = p ? be->bind_blob(st->raw, idx, p, len) : be->bind_null(st->raw, idx);
			break;
		}
		case 'n':
			err = be->bind_null(st->raw, idx);
			break;
		default:
			err = FQ_ERR_INTERNAL;
		}
	}
	return err;
}

static enum fq_err query_v(struct fq_db *db, struct fq_stmt **out, const char *sql,
			   const char *fmt, va_list ap)
{
	struct fq_stmt *st;
	enum fq_err err = stmt_get(db, sql, &st);

	if (err) {
		fq_log_error("store: cannot prepare query '%.80s'", sql);
		return err;
	}
	err = stmt_bind(st, fmt, ap);
	if (err) {
		fq_stmt_done(st);
		return err;
	}
	*out = st;
	return FQ_OK;
}

enum fq_err fq_db_query_unbound(struct fq_db *db, struct fq_stmt **out, const char *sql)
{
	enum fq_err err = stmt_get(db, sql, out);

	if (err)
		fq_log_error("store: cannot prepare query '%.80s'", sql);
	return err;
}

enum fq_err fq_db_query(struct fq_db *db, struct fq_stmt **out, const char *sql,
			const char *fmt, ...)
{
	va_list ap;
	enum fq_err err;

	va_start(ap, fmt);
	err = query_v(db, out, sql, fmt, ap);
	va_end(ap);
	return err;
}

enum fq_err fq_db_exec(struct fq_db *db, int64_t *changes, const char *sql, const char *fmt,
		       ...)
{
	struct fq_stmt *st;
	va_list ap;
	enum fq_err err;
	int rc;

	va_start(ap, fmt);
	err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1)
		;
	if (changes && rc == 0)
		*changes = db->backend->changes(db, st->raw);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_db_insert(struct fq_db *db, int64_t *id, const char *sql, const char *fmt, ...)
{
	struct fq_stmt *st;
	va_list ap;
	enum fq_err err;
	int rc;

	va_start(ap, fmt);
	err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1 && id)
		*id = fq_stmt_int(st, 0);
	if (rc == 1)
		rc = fq_stmt_next(st);
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	return FQ_OK;
}

/* The first value of the only row of a query of one value; 1 with a value,
 * 0 without (no row, NULL), -FQ_ERR_* on a store error. The caller reads the
 * value from st before fq_stmt_done. */
static int one_value(struct fq_stmt *st)
{
	int rc = fq_stmt_next(st);

	if (rc == 1 && fq_stmt_null(st, 0))
		rc = 0;
	return rc;
}

enum fq_err fq_db_get_int(struct fq_db *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	struct fq_stmt *st;
	va_list ap;
	enum fq_err err;
	int rc;

	va_start(ap, fmt);
	err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	rc = one_value(st);
	if (rc == 1)
		*out = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

enum fq_err fq_db_get_text(struct fq_db *db, char **out, const char *sql, const char *fmt, ...)
{
	struct fq_stmt *st;
	va_list ap;
	enum fq_err err;
	char *copy = NULL;
	int rc;

	va_start(ap, fmt);
	err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	rc = one_value(st);
	if (rc == 1 && !(copy = strdup(fq_stmt_text(st, 0))))
		rc = -(int)FQ_ERR_NOMEM;
	fq_stmt_done(st);
	if (rc == 1)
		*out = copy;
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

int fq_stmt_next(struct fq_stmt *st)
{
	return st->db->backend->step(st->raw);
}

int fq_stmt_columns(struct fq_stmt *st)
{
	return st->db->backend->columns(st->raw);
}

const char *fq_stmt_name(struct fq_stmt *st, int col)
{
	return st->db->backend->column_name(st->raw, col);
}

bool fq_stmt_null(struct fq_stmt *st, int col)
{
	return st->db->backend->column_type(st->raw, col) == FQ_COL_NULL;
}

int64_t fq_stmt_int(struct fq_stmt *st, int col)
{
	return st->db->backend->column_int(st->raw, col);
}

double fq_stmt_double(struct fq_stmt *st, int col)
{
	return st->db->backend->column_double(st->raw, col);
}

const char *fq_stmt_text(struct fq_stmt *st, int col)
{
	/* NULL for NULL from the backend itself: asking the type first cost as
	 * much again (a board poll reads 1,400 texts) */
	return st->db->backend->column_text(st->raw, col);
}

const void *fq_stmt_blob(struct fq_stmt *st, int col, size_t *len)
{
	return st->db->backend->column_blob(st->raw, col, len);
}

static bool is_time_column(const char *name)
{
	size_t n = strlen(name);

	return (n > 3 && !strcmp(name + n - 3, "_at")) ||
	       (n > 6 && !strcmp(name + n - 6, "_until")) || !strcmp(name, "time");
}

/* A text column named "params" holds a JSON object (the parameters of a
 * text code): it comes out as that object, or {} if it does not parse. */
static json_t *params_json(const char *text)
{
	json_t *v = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (json_is_object(v))
		return v;
	json_decref(v);
	return json_object();
}

json_t *fq_stmt_row_json(struct fq_stmt *st)
{
	const struct fq_store_backend *be = st->db->backend;
	int n = be->columns(st->raw);
	json_t *o = json_object();

	if (!o)
		return NULL;
	for (int c = 0; c < n; c++) {
		const char *name = be->column_name(st->raw, c);
		json_t *v = NULL;

		switch (be->column_type(st->raw, c)) {
		case FQ_COL_NULL:
			v = json_null();
			break;
		case FQ_COL_INT: {
			int64_t i = be->column_int(st->raw, c);
			if (is_time_column(name)) {
				char when[32];
				fq_time_format(i, when, sizeof(when));
				v = json_string(when);
			} else {
				v = json_integer(i);
			}
			break;
		}
		case FQ_COL_REAL:
			v = json_real(be->column_double(st->raw, c));
			break;
		case FQ_COL_TEXT:
			v = !strcmp(name, "params") ? params_json(be->column_text(st->raw, c))
						    : json_string(be->column_text(st->raw, c));
			break;
		case FQ_COL_BLOB:
			continue;
		}
		if (!v || json_object_set_new(o, name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *fq_stmt_rows_json(struct fq_stmt *st, enum fq_err *err)
{
	json_t *arr = json_array();
	int rc;

	*err = FQ_OK;
	while (arr && (rc = fq_stmt_next(st)) == 1) {
		json_t *row = fq_stmt_row_json(st);
		if (!row || json_array_append_new(arr, row)) {
			*err = FQ_ERR_NOMEM;
			json_decref(arr);
			return NULL;
		}
	}
	if (!arr) {
		*err = FQ_ERR_NOMEM;
		return NULL;
	}
	if (rc < 0) {
		*err = (enum fq_err)-rc;
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *fq_db_get_json(struct fq_db *db, enum fq_err *err, const char *sql, const char *fmt, ...)
{
	struct fq_stmt *st;
	json_t *row = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	*err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (*err)
		return NULL;
	rc = fq_stmt_next(st);
	if (rc == 1)
		row = fq_stmt_row_json(st);
	fq_stmt_done(st);
	*err = rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : row ? FQ_OK : FQ_ERR_NOMEM;
	return row;
}

json_t *fq_db_list_json(struct fq_db *db, enum fq_err *err, const char *sql, const char *fmt, ...)
{
	struct fq_stmt *st;
	json_t *rows;
	va_list ap;

	va_start(ap, fmt);
	*err = query_v(db, &st, sql, fmt, ap);
	va_end(ap);
	if (*err)
		return NULL;
	rows = fq_stmt_rows_json(st, err);
	fq_stmt_done(st);
	return rows;
}

char *fq_db_like_contains(const char *s)
{
	size_t n;
	char *out, *p;

	if (!s)
		return NULL;
	n = strlen(s);
	out = malloc(2 * n + 3);
	if (!out)
		return NULL;
	p = out;
	*p++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '%';
	*p = '\0';
	return out;
}

void fq_store_url_redacted(const char *url, char *out, size_t size)
{
	const char *scheme = strstr(url, "://"), *at, *colon, *pw;
	size_t n;

	fq_strlcpy(out, url, size);
	/* postgresql://user:secret@host/db */
	if (scheme && (at = strchr(scheme + 3, '@')) &&
	    (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3)))) {
		n = (size_t)(colon + 1 - url);
		if (n < size)
			snprintf(out + n, size - n, "***%s", at);
	}
	/* …?password=secret&… */
	if ((pw = strstr(out, "password=")) != NULL) {
		char *p = (char *)pw + strlen("password=");
		const char *rest = strchr(p, '&');
		char tail[FQ_REDACT_TAIL];

		fq_strlcpy(tail, rest ? rest : "", sizeof(tail));
		n = (size_t)(p - out);
		if (n < size)
			snprintf(p, size - n, "***%s", tail);
	}
}

void *fq_stmt_blob_copy(struct fq_stmt *st, int col, size_t *len)
{
	const void *p = fq_stmt_blob(st, col, len);
	void *copy;

	if (!p || !*len)
		return NULL;
	copy = malloc(*len);
	if (copy)
		memcpy(copy, p, *len);
	return copy;
}
