/* Export and import of the tables of a store, as the modules list them, in
 * line-oriented JSON (see dump.h).
 *
 * Rows are encoded here, not by jansson, so that the canonical form (and with
 * it each table's sha256) is fixed by this file alone and the same on every
 * backend. Import parses each line with jansson, encodes the values again in
 * the canonical form and hashes that: the checksum covers what goes into the
 * store, not how the file happened to spell it. */
#include "store/dump.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "store/backend.h"
#include "store/incident_store.h"
#include "store/search_store.h"
#include "store/store.h"

#define MAX_COLUMNS 64
#define PAGE 1000              /* rows per query of a table keyed by id */
#define MAX_SORTED_ROWS 1000000 /* rows of a table sorted in memory */
#define MAX_SELF_REFS 10000000

/* Derived tables: made from the data tables, so never exported; import
 * rebuilds them once the rows are in. tests/cli/test_export.sh knows them by
 * name. The full-text index of every record type (007_search_all.sql) is
 * search_docs on both stores, with an FTS5 table search_index (and its
 * shadow tables search_index_*) on SQLite and a GIN index on PostgreSQL.
 * board_versions holds the live board's counters (009_list_order.sql). */
static const struct derived {
	const char *name;
	enum fq_err (*rebuild)(struct fq_db *db);
} derived[] = {
	{"search_docs", fq_search_rebuild},
	{"board_versions", fq_store_board_versions_rebuild},
};
#define NDERIVED ((int)(sizeof(derived) / sizeof(derived[0])))

static bool id_keyed(const struct fq_dump_table *t)
{
	return !strcmp(t->key[0], "id") && !t->key[1];
}

/* The tables of an export, gathered from the caller's lists. */
struct table_set {
	const struct fq_dump_table **t;
	int n;
};

/* Gathers the lists into ts (free ts->t) and sizes sum->tables for them. A
 * table named twice or without a key is a mistake of the lists. */
static enum fq_err gather(const struct fq_dump_table *const *lists, struct table_set *ts,
			  struct fq_dump_summary *sum, struct fq_error *e)
{
	int n = 0, k = 0;

	ts->t = NULL;
	ts->n = 0;
	for (size_t l = 0; lists && lists[l]; l++)
		for (const struct fq_dump_table *t = lists[l]; t->name; t++)
			n++;
	if (!n)
		return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL, "no tables to export or import");
	ts->t = calloc((size_t)n, sizeof(*ts->t));
	sum->tables = calloc((size_t)n, sizeof(*sum->tables));
	if (!ts->t || !sum->tables)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (size_t l = 0; lists[l]; l++)
		for (const struct fq_dump_table *t = lists[l]; t->name; t++) {
			if (!t->key[0])
				return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
					       "table %s is listed without its key", t->name);
			for (int i = 0; i < k; i++)
				if (!strcmp(ts->t[i]->name, t->name))
					return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
						       "table %s is listed twice", t->name);
			ts->t[k++] = t;
		}
	ts->n = n;
	return FQ_OK;
}

void fq_dump_summary_release(struct fq_dump_summary *sum)
{
	free(sum->tables);
	sum->tables = NULL;
	sum->ntables = 0;
}

/* ---- the canonical encoding ---- */

static enum fq_err enc_int(struct fq_buf *b, int64_t v)
{
	return fq_buf_addf(b, "%lld", (long long)v);
}

/* "%.17g" reads back as the same double; ".0" keeps an integral value a real. */
static enum fq_err enc_real(struct fq_buf *b, double v)
{
	char s[40];

	if (!isfinite(v))
		return FQ_ERR_INVALID;
	snprintf(s, sizeof(s), "%.17g", v);
	if (!strpbrk(s, ".e"))
		return fq_buf_addf(b, "%s.0", s);
	return fq_buf_adds(b, s);
}

/* A JSON string: valid UTF-8 without NUL, escaping only '"', '\\' and
 * control characters (the short forms where JSON has them). */
static enum fq_err enc_text(struct fq_buf *b, const char *s, size_t len)
{
	enum fq_err err;
	size_t run = 0;

	if (fq_utf8_len(s, len) < 0)
		return FQ_ERR_INVALID;
	err = fq_buf_add(b, "\"", 1);
	for (size_t i = 0; i < len && !err; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		err = fq_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			fq_strlcpy(esc, "\\\"", sizeof(esc));
			break;
		case '\\':
			fq_strlcpy(esc, "\\\\", sizeof(esc));
			break;
		case '\b':
			fq_strlcpy(esc, "\\b", sizeof(esc));
			break;
		case '\f':
			fq_strlcpy(esc, "\\f", sizeof(esc));
			break;
		case '\n':
			fq_strlcpy(esc, "\\n", sizeof(esc));
			break;
		case '\r':
			fq_strlcpy(esc, "\\r", sizeof(esc));
			break;
		case '\t':
			fq_strlcpy(esc, "\\t", sizeof(esc));
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		}
		if (!err)
			err = fq_buf_adds(b, esc);
	}
	if (!err)
		err = fq_buf_add(b, s + run, len - run);
	if (!err)
		err = fq_buf_add(b, "\"", 1);
	return err;
}

static enum fq_err enc_blob(struct fq_buf *b, const void *p, size_t len)
{
	const int variant = sodium_base64_VARIANT_ORIGINAL;
	size_t n;
	char *b64;
	enum fq_err err;

	if (len > FQ_DUMP_MAX_LINE)
		return FQ_ERR_TOO_LARGE;
	n = sodium_base64_ENCODED_LEN(len, variant);
	b64 = malloc(n);
	if (!b64)
		return FQ_ERR_NOMEM;
	sodium_bin2base64(b64, n, p, len, variant);
	err = fq_buf_adds(b, "{\"b64\":\"");
	if (!err)
		err = fq_buf_add(b, b64, n - 1);
	if (!err)
		err = fq_buf_adds(b, "\"}");
	free(b64);
	return err;
}

static void hex(const unsigned char digest[crypto_hash_sha256_BYTES], char out[65])
{
	sodium_bin2hex(out, 65, digest, crypto_hash_sha256_BYTES);
}

/* ---- export ---- */

struct writer {
	FILE *out;
	struct fq_buf line;
	struct fq_error *e;
};

static enum fq_err put_line(struct writer *w, crypto_hash_sha256_state *h)
{
	if (h) {
		crypto_hash_sha256_update(h, (const unsigned char *)w->line.ptr, w->line.len);
		crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
	}
	if (fwrite(w->line.ptr, 1, w->line.len, w->out) != w->line.len || putc('\n', w->out) == EOF)
		return fq_fail(w->e, FQ_ERR_IO, NULL, "file", "cannot write the export file");
	return FQ_OK;
}

/* Encodes the current row of st as the canonical JSON array into w->line. */
static enum fq_err enc_row(struct writer *w, struct fq_stmt *st, int ncols)
{
	const struct fq_store_backend *be = st->db->backend;
	enum fq_err err;

	fq_buf_reset(&w->line);
	err = fq_buf_add(&w->line, "[", 1);
	for (int c = 0; c < ncols && !err; c++) {
		if (c)
			err = fq_buf_add(&w->line, ",", 1);
		if (err)
			break;
		switch (be->column_type(st->raw, c)) {
		case FQ_COL_NULL:
			err = fq_buf_adds(&w->line, "null");
			break;
		case FQ_COL_INT:
			err = enc_int(&w->line, be->column_int(st->raw, c));
			break;
		case FQ_COL_REAL:
			err = enc_real(&w->line, be->column_double(st->raw, c));
			break;
		case FQ_COL_TEXT: {
			const char *s = be->column_text(st->raw, c);
			err = enc_text(&w->line, s, strlen(s));
			break;
		}
		case FQ_COL_BLOB: {
			size_t n = 0;
			const void *p = be->column_blob(st->raw, c, &n);
			err = enc_blob(&w->line, p ? p : "", n);
			break;
		}
		}
	}
	if (!err)
		err = fq_buf_add(&w->line, "]", 1);
	return err;
}

static enum fq_err row_failed(struct writer *w, const char *table, struct fq_stmt *st, int ncols,
			      enum fq_err err)
{
	const char *what = err == FQ_ERR_TOO_LARGE ? "is larger than 64 MiB"
			   : err == FQ_ERR_INVALID ? "holds text that is not UTF-8 or a number "
						     "that is not finite"
						   : "cannot be encoded";
	const char *first = ncols ? fq_stmt_text(st, 0) : NULL;

	return fq_fail(w->e, err, NULL, NULL, "table %s: the row with %s %.40s %s", table,
		       ncols ? fq_stmt_name(st, 0) : "key", first ? first : "(null)", what);
}

/* One value of a sorted row's key. */
struct keyval {
	enum fq_col_type type;
	int64_t i;
	double d;
	char *s;
};

struct sorted_row {
	char *line;
	size_t len;
	struct keyval key[FQ_DUMP_MAX_KEY];
};

static int keyval_cmp(const struct keyval *a, const struct keyval *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	switch (a->type) {
	case FQ_COL_INT:
		return a->i < b->i ? -1 : a->i > b->i;
	case FQ_COL_REAL:
		return a->d < b->d ? -1 : a->d > b->d;
	case FQ_COL_TEXT:
		return strcmp(a->s, b->s); /* bytes: UTF-8 sorts by code point */
	default:
		return 0;
	}
}

static int sorted_row_cmp(const void *pa, const void *pb)
{
	const struct sorted_row *a = pa, *b = pb;

	for (int k = 0; k < FQ_DUMP_MAX_KEY; k++) {
		int c = keyval_cmp(&a->key[k], &b->key[k]);
		if (c)
			return c;
	}
	return 0;
}

static void sorted_rows_free(struct sorted_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].line);
		for (int k = 0; k < FQ_DUMP_MAX_KEY; k++)
			free(rows[i].key[k].s);
	}
	free(rows);
}

/* Finds the columns of t's key among the statement's columns. */
static enum fq_err key_columns(struct fq_stmt *st, const struct fq_dump_table *t, int ncols,
			       int idx[FQ_DUMP_MAX_KEY], struct fq_error *e)
{
	for (int k = 0; k < FQ_DUMP_MAX_KEY; k++) {
		idx[k] = -1;
		if (!t->key[k])
			continue;
		for (int c = 0; c < ncols; c++)
			if (!strcmp(fq_stmt_name(st, c), t->key[k]))
				idx[k] = c;
		if (idx[k] < 0)
			return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
				       "table %s has no column '%s'", t->name, t->key[k]);
	}
	return FQ_OK;
}

/* Writes the rows of a table keyed by id, page by page in id order. */
static enum fq_err export_by_id(struct writer *w, struct fq_db *db, const struct fq_dump_table *t,
				int ncols, crypto_hash_sha256_state *h, int64_t *rows)
{
	char sql[160];
	int64_t last = INT64_MIN;
	bool more = true;
	int page = t->page_rows > 0 ? t->page_rows : PAGE;
	enum fq_err err = FQ_OK;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE id > ?1 ORDER BY id LIMIT %d", t->name,
		 page);
	while (more && !err) {
		struct fq_stmt *st;
		int idx[FQ_DUMP_MAX_KEY], rc = 0, n = 0;

		err = fq_db_query(db, &st, sql, "i", last);
		if (err)
			return fq_fail(w->e, err, NULL, NULL, "cannot read table %s", t->name);
		while (!err && (rc = fq_stmt_next(st)) == 1) {
			if (!n && (fq_stmt_columns(st) != ncols ||
				   key_columns(st, t, ncols, idx, w->e))) {
				err = fq_fail_keep(w->e, FQ_ERR_INTERNAL, "the columns changed");
				break;
			}
			err = enc_row(w, st, ncols);
			if (err) {
				err = row_failed(w, t->name, st, ncols, err);
				break;
			}
			err = put_line(w, h);
			last = fq_stmt_int(st, idx[0]);
			n++;
		}
		if (!err && rc < 0)
			err = fq_fail(w->e, (enum fq_err)-rc, NULL, NULL, "cannot read table %s",
				      t->name);
		fq_stmt_done(st);
		*rows += n;
		more = n == page;
	}
	return err;
}

/* Writes the rows of a table with another key, sorted in memory. */
static enum fq_err export_sorted(struct writer *w, struct fq_db *db, const struct fq_dump_table *t,
				 int ncols, crypto_hash_sha256_state *h, int64_t *rows)
{
	struct sorted_row *all = NULL;
	size_t n = 0, cap = 0;
	struct fq_stmt *st;
	char sql[160];
	int idx[FQ_DUMP_MAX_KEY], rc = 0;
	enum fq_err err;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s", t->name);
	err = fq_db_query(db, &st, sql, NULL);
	if (err)
		return fq_fail(w->e, err, NULL, NULL, "cannot read table %s", t->name);
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct sorted_row *r;

		/* PostgreSQL names the columns once the query ran. */
		if (!n && (fq_stmt_columns(st) != ncols || key_columns(st, t, ncols, idx, w->e))) {
			err = fq_fail_keep(w->e, FQ_ERR_INTERNAL, "the columns changed");
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct sorted_row *p;

			if (n >= MAX_SORTED_ROWS) {
				err = fq_fail(w->e, FQ_ERR_TOO_LARGE, NULL, NULL,
					      "table %s has more than %d rows", t->name,
					      MAX_SORTED_ROWS);
				break;
			}
			p = realloc(all, ncap * sizeof(*all));
			if (!p) {
				err = fq_fail(w->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
				break;
			}
			all = p;
			cap = ncap;
		}
		err = enc_row(w, st, ncols);
		if (err) {
			err = row_failed(w, t->name, st, ncols, err);
			break;
		}
		r = &all[n++];
		memset(r, 0, sizeof(*r));
		r->len = w->line.len;
		r->line = fq_buf_take(&w->line);
		for (int k = 0; k < FQ_DUMP_MAX_KEY && idx[k] >= 0; k++) {
			struct keyval *kv = &r->key[k];

			kv->type = db->backend->column_type(st->raw, idx[k]);
			if (kv->type == FQ_COL_INT)
				kv->i = fq_stmt_int(st, idx[k]);
			else if (kv->type == FQ_COL_REAL)
				kv->d = fq_stmt_double(st, idx[k]);
			else if (kv->type == FQ_COL_TEXT && !(kv->s = strdup(fq_stmt_text(st, idx[k]))))
				err = fq_fail(w->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		}
		if (!r->line)
			err = fq_fail(w->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	if (!err && rc < 0)
		err = fq_fail(w->e, (enum fq_err)-rc, NULL, NULL, "cannot read table %s", t->name);
	fq_stmt_done(st);
	if (!err && n)
		qsort(all, n, sizeof(*all), sorted_row_cmp);
	for (size_t i = 0; i < n && !err; i++) {
		fq_buf_reset(&w->line);
		err = fq_buf_add(&w->line, all[i].line, all[i].len);
		if (!err)
			err = put_line(w, h);
	}
	*rows = (int64_t)n;
	sorted_rows_free(all, n);
	return err;
}

/* The names of t's columns in the store, in table order. */
static enum fq_err table_columns(struct fq_db *db, const struct fq_dump_table *t, char **names,
				 int *ncols, struct fq_error *e)
{
	struct fq_stmt *st;
	char sql[160];
	enum fq_err err;
	int rc;

	*ncols = 0;
	snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 0", t->name);
	err = fq_db_query(db, &st, sql, NULL);
	if (err)
		return fq_fail(e, err, NULL, NULL, "cannot read table %s", t->name);
	rc = fq_stmt_next(st); /* PostgreSQL knows the columns once it ran */
	if (rc < 0) {
		fq_stmt_done(st);
		return fq_fail(e, (enum fq_err)-rc, NULL, NULL, "cannot read table %s", t->name);
	}
	*ncols = fq_stmt_columns(st);
	if (*ncols < 1 || *ncols > MAX_COLUMNS) {
		fq_stmt_done(st);
		return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL, "table %s has %d columns", t->name,
			       *ncols);
	}
	for (int c = 0; c < *ncols && !err; c++)
		if (!(names[c] = strdup(fq_stmt_name(st, c))))
			err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_stmt_done(st);
	if (err) {
		for (int c = 0; c < *ncols; c++)
			free(names[c]);
		*ncols = 0;
	}
	return err;
}

static void free_names(char **names, int n)
{
	for (int c = 0; c < n; c++)
		free(names[c]);
}

static enum fq_err export_table(struct writer *w, struct fq_db *db, const struct fq_dump_table *t,
				struct fq_dump_table_sum *sum)
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char *names[MAX_COLUMNS];
	int ncols;
	enum fq_err err = table_columns(db, t, names, &ncols, w->e);

	if (err)
		return err;
	fq_buf_reset(&w->line);
	err = fq_buf_addf(&w->line, "{\"table\":\"%s\",\"columns\":[", t->name);
	for (int c = 0; c < ncols && !err; c++) {
		if (c)
			err = fq_buf_add(&w->line, ",", 1);
		if (!err)
			err = enc_text(&w->line, names[c], strlen(names[c]));
	}
	free_names(names, ncols);
	if (!err)
		err = fq_buf_adds(&w->line, "]}");
	if (err)
		return fq_fail(w->e, err, NULL, NULL, "cannot encode the columns of %s", t->name);
	err = put_line(w, NULL);
	if (err)
		return err;
	crypto_hash_sha256_init(&h);
	sum->table = t->name;
	sum->rows = 0;
	err = id_keyed(t) ? export_by_id(w, db, t, ncols, &h, &sum->rows)
			  : export_sorted(w, db, t, ncols, &h, &sum->rows);
	if (err)
		return err;
	crypto_hash_sha256_final(&h, digest);
	hex(digest, sum->sha256);
	fq_buf_reset(&w->line);
	err = fq_buf_addf(&w->line, "{\"end\":\"%s\",\"rows\":%lld,\"sha256\":\"%s\"}", t->name,
			  (long long)sum->rows, sum->sha256);
	return err ? fq_fail(w->e, err, NULL, NULL, NULL) : put_line(w, NULL);
}

enum fq_err fq_dump_export(struct fq_db *db, const struct fq_dump_table *const *lists, FILE *out,
			   struct fq_dump_summary *sum, struct fq_error *e)
{
	struct writer w = {.out = out, .e = e};
	struct table_set ts;
	enum fq_err err;

	memset(sum, 0, sizeof(*sum));
	err = gather(lists, &ts, sum, e);
	if (err) {
		free(ts.t);
		return err;
	}
	fq_buf_init(&w.line, FQ_DUMP_MAX_LINE);
	err = fq_db_begin(db, false);
	if (!err && db->backend->snapshot)
		err = db->backend->snapshot(db);
	if (err) {
		fq_db_rollback(db);
		free(ts.t);
		return fq_fail(e, err, NULL, NULL, "cannot start a read transaction");
	}
	sum->schema = fq_store_schema_version(db);
	fq_time_format(fq_time_now_ms(), sum->exported_at, sizeof(sum->exported_at));
	err = fq_buf_addf(&w.line,
			  "{\"format\":\"%s\",\"version\":%d,\"schema\":%d,\"exported_at\":\"%s\","
			  "\"source\":\"%s\"}",
			  FQ_DUMP_FORMAT, FQ_DUMP_VERSION, sum->schema, sum->exported_at,
			  db->backend->kind);
	if (err)
		fq_fail(e, err, NULL, NULL, NULL);
	else
		err = put_line(&w, NULL);
	for (int i = 0; i < ts.n && !err; i++) {
		err = export_table(&w, db, ts.t[i], &sum->tables[i]);
		sum->ntables = i + 1;
		sum->rows += sum->tables[i].rows;
	}
	if (!err) {
		fq_buf_reset(&w.line);
		err = fq_buf_addf(&w.line, "{\"end\":\"%s\",\"tables\":%d}", FQ_DUMP_FORMAT,
				  ts.n);
		if (!err)
			err = put_line(&w, NULL);
	}
	fq_db_rollback(db); /* read only: nothing to keep */
	fq_buf_release(&w.line);
	free(ts.t);
	return err;
}

/* ---- import ---- */

struct reader {
	FILE *in;
	const char *name;
	struct fq_buf line;  /* the current line, without its '\n' */
	struct fq_buf canon; /* a row encoded again */
	int64_t lineno;
	size_t pos, len;
	bool eof;
	const struct table_set *tables; /* what the file must hold, in order */
	struct fq_error *e;
	char block[1 << 16];
};

__attribute__((format(printf, 3, 4))) static enum fq_err bad(struct reader *r, enum fq_err err,
							      const char *fmt, ...)
{
	char msg[FQ_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fq_fail(r->e, err, "bad_export", "file", "%s:%lld: %s", r->name,
		       (long long)r->lineno, msg);
}

/* Reads the next line: 1, 0 at the end of the file, or -FQ_ERR_* (*e set).
 * Lines are bounded by FQ_DUMP_MAX_LINE; a last line without its '\n' is
 * a truncated file. */
static int read_line(struct reader *r)
{
	fq_buf_reset(&r->line);
	r->lineno++;
	for (;;) {
		const char *start, *nl;
		size_t n;

		if (r->pos == r->len) {
			if (r->eof)
				break;
			r->pos = 0;
			r->len = fread(r->block, 1, sizeof(r->block), r->in);
			if (!r->len) {
				if (ferror(r->in))
					return -(int)bad(r, FQ_ERR_IO, "cannot read the file");
				r->eof = true;
				break;
			}
		}
		start = r->block + r->pos;
		nl = memchr(start, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - start) : r->len - r->pos;
		if (fq_buf_add(&r->line, start, n))
			return -(int)bad(r, FQ_ERR_TOO_LARGE, "the line is longer than %zu MiB",
					 FQ_DUMP_MAX_LINE >> 20);
		r->pos += n;
		if (nl) {
			r->pos++;
			return 1;
		}
	}
	if (!r->line.len)
		return 0;
	return -(int)bad(r, FQ_ERR_INVALID, "the last line is cut off: the file is truncated");
}

/* The current line as a JSON value (to json_decref). */
static enum fq_err parse_line(struct reader *r, json_t **out)
{
	json_error_t jerr;

	*out = json_loadb(r->line.ptr, r->line.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		return bad(r, FQ_ERR_INVALID, "not JSON (%s at byte %d)", jerr.text, jerr.position);
	return FQ_OK;
}

/* Reads a line that must exist: the file ends too early otherwise. */
static enum fq_err next_value(struct reader *r, const char *expect, json_t **out)
{
	int rc = read_line(r);

	*out = NULL;
	if (rc < 0)
		return (enum fq_err)-rc;
	if (rc == 0)
		return fq_fail(r->e, FQ_ERR_INVALID, "bad_export", "file",
			       "%s ends after line %lld, before %s: the file is truncated", r->name,
			       (long long)(r->lineno - 1), expect);
	return parse_line(r, out);
}

static const char *get_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static enum fq_err read_header(struct reader *r, struct fq_dump_summary *sum)
{
	json_t *h, *version, *schema;
	const char *format, *at;
	enum fq_err err;
	int rc = read_line(r);

	if (rc < 0)
		return (enum fq_err)-rc;
	if (rc == 0)
		return fq_fail(r->e, FQ_ERR_INVALID, "bad_export", "file",
			       "%s is empty: not a fengqiao export", r->name);
	if (r->line.len && r->line.ptr[0] != '{')
		return bad(r, FQ_ERR_INVALID, "not a fengqiao export");
	err = parse_line(r, &h);
	if (err)
		return err;
	format = get_str(h, "format");
	version = json_object_get(h, "version");
	schema = json_object_get(h, "schema");
	at = get_str(h, "exported_at");
	if (!json_is_object(h) || !format || strcmp(format, FQ_DUMP_FORMAT))
		err = bad(r, FQ_ERR_INVALID, "not a fengqiao export");
	else if (!json_is_integer(version) || json_integer_value(version) < 1)
		err = bad(r, FQ_ERR_INVALID, "the export has no format version");
	else if (json_integer_value(version) != FQ_DUMP_VERSION)
		err = bad(r, FQ_ERR_INVALID,
			  "export format version %lld: this fengqiao reads version %d",
			  (long long)json_integer_value(version), FQ_DUMP_VERSION);
	else if (!json_is_integer(schema) || json_integer_value(schema) < 1 ||
		 json_integer_value(schema) > 1000000)
		err = bad(r, FQ_ERR_INVALID, "the export names no schema version");
	if (!err) {
		sum->schema = (int)json_integer_value(schema);
		fq_strlcpy(sum->exported_at, at ? at : "", sizeof(sum->exported_at));
	}
	json_decref(h);
	return err;
}

/* Binds v to parameter idx of st and appends its canonical form to r->canon. */
static enum fq_err bind_value(struct reader *r, struct fq_stmt *st, int idx, json_t *v,
			      const char *table, const char *column)
{
	const struct fq_store_backend *be = st->db->backend;
	struct fq_buf *b = &r->canon;
	enum fq_err err = FQ_OK;

	switch (json_typeof(v)) {
	case JSON_NULL:
		err = fq_buf_adds(b, "null");
		if (!err)
			err = be->bind_null(st->raw, idx);
		break;
	case JSON_INTEGER:
		err = enc_int(b, json_integer_value(v));
		if (!err)
			err = be->bind_int(st->raw, idx, json_integer_value(v));
		break;
	case JSON_REAL:
		err = enc_real(b, json_real_value(v));
		if (!err)
			err = be->bind_double(st->raw, idx, json_real_value(v));
		break;
	case JSON_STRING:
		err = enc_text(b, json_string_value(v), json_string_length(v));
		if (err == FQ_ERR_INVALID)
			return bad(r, err, "table %s, column %s: the text is not valid UTF-8", table,
				   column);
		if (!err)
			err = be->bind_text(st->raw, idx, json_string_value(v));
		break;
	case JSON_OBJECT: {
		json_t *b64 = json_object_get(v, "b64");
		const char *s = json_string_value(b64);
		size_t slen = json_string_length(b64), n = 0;
		unsigned char *bin;

		if (!s || json_object_size(v) != 1)
			return bad(r, FQ_ERR_INVALID,
				   "table %s, column %s: an object must be {\"b64\":\"…\"}", table,
				   column);
		bin = malloc(slen / 4 * 3 + 3);
		if (!bin)
			return fq_fail(r->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		if (sodium_base642bin(bin, slen / 4 * 3 + 3, s, slen, NULL, &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL)) {
			free(bin);
			return bad(r, FQ_ERR_INVALID, "table %s, column %s: bad base64", table,
				   column);
		}
		err = enc_blob(b, bin, n);
		if (!err)
			err = be->bind_blob(st->raw, idx, bin, n);
		free(bin);
		break;
	}
	default:
		return bad(r, FQ_ERR_INVALID,
			   "table %s, column %s: a value must be a number, text, null or "
			   "{\"b64\":\"…\"}",
			   table, column);
	}
	if (err == FQ_ERR_TOO_LARGE)
		return bad(r, err, "table %s: the row is larger than %zu MiB", table,
			   FQ_DUMP_MAX_LINE >> 20);
	if (err)
		return bad(r, err, "table %s, column %s: cannot bind the value", table, column);
	return FQ_OK;
}

struct self_ref {
	int64_t id, ref;
};

/* Checks the line {"table":…,"columns":[…]} against the store's columns. */
static enum fq_err read_table_start(struct reader *r, struct fq_db *db, const struct fq_dump_table *t,
				    char **names, int *ncols)
{
	json_t *o, *cols;
	const char *name;
	enum fq_err err = next_value(r, "the next table", &o);

	if (err)
		return err;
	name = get_str(o, "table");
	cols = json_object_get(o, "columns");
	if (!json_is_object(o) || !name) {
		const char *end = get_str(o, "end");

		if (end && !strcmp(end, FQ_DUMP_FORMAT))
			err = bad(r, FQ_ERR_INVALID, "the export ends before table %s", t->name);
		else
			err = bad(r, FQ_ERR_INVALID, "expected the start of table %s", t->name);
	} else if (strcmp(name, t->name)) {
		bool known = false;

		for (int i = 0; i < r->tables->n; i++)
			known = known || !strcmp(r->tables->t[i]->name, name);
		if (known)
			err = bad(r, FQ_ERR_INVALID, "table %s is out of order: expected table %s",
				  name, t->name);
		else
			err = bad(r, FQ_ERR_INVALID, "unknown table '%.64s'", name);
	} else if (!json_is_array(cols) || json_object_size(o) != 2) {
		err = bad(r, FQ_ERR_INVALID, "table %s: expected {\"table\":…,\"columns\":[…]}",
			  t->name);
	}
	if (!err)
		err = table_columns(db, t, names, ncols, r->e);
	if (!err && json_array_size(cols) != (size_t)*ncols)
		err = bad(r, FQ_ERR_INVALID, "table %s: the file has %zu columns, the store %d",
			  t->name, json_array_size(cols), *ncols);
	for (int c = 0; c < *ncols && !err; c++) {
		const char *fc = json_string_value(json_array_get(cols, (size_t)c));

		if (!fc || strcmp(fc, names[c]))
			err = bad(r, FQ_ERR_INVALID,
				  "table %s: column %d is '%.64s' in the file but '%s' in the store",
				  t->name, c + 1, fc ? fc : "?", names[c]);
	}
	if (err && !r->e->err)
		fq_fail(r->e, err, NULL, NULL, NULL);
	json_decref(o);
	return err;
}

/* Checks the trailer {"end":table,"rows":N,"sha256":"…"}. */
static enum fq_err check_trailer(struct reader *r, json_t *o, const struct fq_dump_table *t,
				 struct fq_dump_table_sum *sum)
{
	json_t *rows = json_object_get(o, "rows");
	const char *end = get_str(o, "end"), *sha = get_str(o, "sha256");

	if (!end || strcmp(end, t->name) || !json_is_integer(rows) || !sha)
		return bad(r, FQ_ERR_INVALID, "table %s: expected a row or {\"end\":\"%s\",…}",
			   t->name, t->name);
	if (json_integer_value(rows) != sum->rows)
		return bad(r, FQ_ERR_INVALID,
			   "table %s: %lld rows read but the file says %lld: the file is damaged",
			   t->name, (long long)sum->rows, (long long)json_integer_value(rows));
	if (strcmp(sha, sum->sha256))
		return bad(r, FQ_ERR_INVALID,
			   "table %s: the rows do not match their sha256: the file is damaged",
			   t->name);
	return FQ_OK;
}

static enum fq_err insert_row(struct reader *r, struct fq_db *db, const struct fq_dump_table *t,
			      const char *sql, char **names, int ncols, int id_col, int ref_col,
			      struct self_ref **refs, size_t *nrefs, size_t *cap)
{
	json_t *row;
	struct fq_stmt *st;
	enum fq_err err = parse_line(r, &row);
	int rc;

	if (err)
		return err;
	if (json_array_size(row) != (size_t)ncols) {
		err = bad(r, FQ_ERR_INVALID, "table %s: expected %d values, found %zu", t->name,
			  ncols, json_array_size(row));
		json_decref(row);
		return err;
	}
	err = fq_db_query_unbound(db, &st, sql);
	if (err) {
		json_decref(row);
		return bad(r, err, "table %s: cannot prepare the insert", t->name);
	}
	fq_buf_reset(&r->canon);
	err = fq_buf_add(&r->canon, "[", 1);
	for (int c = 0; c < ncols && !err; c++) {
		json_t *v = json_array_get(row, (size_t)c);

		if (c)
			err = fq_buf_add(&r->canon, ",", 1);
		if (err)
			break;
		/* A reference to a row not inserted yet is set after the table. */
		if (c == ref_col && json_is_integer(v) && id_col >= 0 &&
		    json_is_integer(json_array_get(row, (size_t)id_col)) &&
		    json_integer_value(v) >=
			    json_integer_value(json_array_get(row, (size_t)id_col))) {
			if (*nrefs == *cap) {
				size_t ncap = *cap ? *cap * 2 : 16;
				struct self_ref *p = ncap <= MAX_SELF_REFS
							     ? realloc(*refs, ncap * sizeof(**refs))
							     : NULL;
				if (!p) {
					err = bad(r, FQ_ERR_NOMEM, "table %s: too many references",
						  t->name);
					break;
				}
				*refs = p;
				*cap = ncap;
			}
			(*refs)[*nrefs].id = json_integer_value(json_array_get(row, (size_t)id_col));
			(*refs)[(*nrefs)++].ref = json_integer_value(v);
			err = enc_int(&r->canon, json_integer_value(v));
			if (!err)
				err = st->db->backend->bind_null(st->raw, c + 1);
			continue;
		}
		err = bind_value(r, st, c + 1, v, t->name, names[c]);
	}
	if (!err)
		err = fq_buf_add(&r->canon, "]", 1);
	if (err && !r->e->err)
		bad(r, err, "table %s: the row is larger than %zu MiB", t->name,
		    FQ_DUMP_MAX_LINE >> 20);
	if (!err) {
		rc = fq_stmt_next(st);
		if (rc < 0) {
			err = (enum fq_err)-rc;
			if (err == FQ_ERR_CONFLICT)
				bad(r, err,
				    "table %s: the store refused the row (a duplicate key or a "
				    "missing row it refers to)",
				    t->name);
			else
				bad(r, err, "table %s: the store refused the row", t->name);
		}
	}
	fq_stmt_done(st);
	json_decref(row);
	return err;
}

static enum fq_err import_table(struct reader *r, struct fq_db *db, const struct fq_dump_table *t,
				struct fq_dump_table_sum *sum)
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char *names[MAX_COLUMNS];
	struct fq_buf sql;
	struct self_ref *refs = NULL;
	size_t nrefs = 0, cap = 0;
	int ncols = 0, id_col = -1, ref_col = -1;
	enum fq_err err = FQ_OK;

	if (t->seeded) {
		char del[160];

		snprintf(del, sizeof(del), "DELETE FROM %s", t->name);
		if ((err = fq_db_exec(db, NULL, del, NULL)))
			return fq_fail(r->e, err, NULL, NULL, "cannot empty table %s", t->name);
	}
	err = read_table_start(r, db, t, names, &ncols);
	if (err)
		return err;
	fq_buf_init(&sql, 64 * 1024);
	err = fq_buf_addf(&sql, "INSERT INTO %s (", t->name);
	for (int c = 0; c < ncols && !err; c++) {
		err = fq_buf_addf(&sql, "%s%s", c ? ", " : "", names[c]);
		if (!strcmp(names[c], "id"))
			id_col = c;
		if (t->self_ref && !strcmp(names[c], t->self_ref))
			ref_col = c;
	}
	if (!err)
		err = fq_buf_adds(&sql, ") VALUES (");
	for (int c = 0; c < ncols && !err; c++)
		err = fq_buf_addf(&sql, "%s?%d", c ? ", " : "", c + 1);
	if (!err)
		err = fq_buf_adds(&sql, ")");
	if (err)
		fq_fail(r->e, err, NULL, NULL, NULL);
	sum->table = t->name;
	sum->rows = 0;
	crypto_hash_sha256_init(&h);
	while (!err) {
		json_t *o;
		int rc = read_line(r);

		if (rc <= 0) {
			err = rc < 0 ? (enum fq_err)-rc
				     : fq_fail(r->e, FQ_ERR_INVALID, "bad_export", "file",
					       "%s ends inside table %s: the file is truncated",
					       r->name, t->name);
			break;
		}
		if (r->line.len && r->line.ptr[0] == '[') {
			err = insert_row(r, db, t, sql.ptr, names, ncols, id_col, ref_col, &refs,
					 &nrefs, &cap);
			if (!err) {
				crypto_hash_sha256_update(&h, (const unsigned char *)r->canon.ptr,
							  r->canon.len);
				crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
				sum->rows++;
			}
			continue;
		}
		err = parse_line(r, &o);
		if (err)
			break;
		crypto_hash_sha256_final(&h, digest);
		hex(digest, sum->sha256);
		err = check_trailer(r, o, t, sum);
		json_decref(o);
		break;
	}
	for (size_t i = 0; i < nrefs && !err; i++) {
		char upd[160];

		snprintf(upd, sizeof(upd), "UPDATE %s SET %s = ?1 WHERE id = ?2", t->name,
			 t->self_ref);
		err = fq_db_exec(db, NULL, upd, "ii", refs[i].ref, refs[i].id);
		if (err)
			fq_fail(r->e, err, NULL, NULL,
				"table %s: row %lld refers to %s %lld, which the file lacks", t->name,
				(long long)refs[i].id, t->self_ref, (long long)refs[i].ref);
	}
	free(refs);
	fq_buf_release(&sql);
	free_names(names, ncols);
	return err;
}

/* Refuses a store that holds any row: import adds a station, never merges. */
static enum fq_err check_empty(struct fq_db *db, const struct table_set *ts, struct fq_error *e)
{
	for (int i = 0; i < ts->n; i++) {
		const char *name = ts->t[i]->name;
		char sql[160];
		int64_t n = 0;
		enum fq_err err;

		if (ts->t[i]->seeded)
			continue; /* replaced by the file's rows */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", name);
		err = fq_db_get_int(db, &n, sql, NULL);
		if (err)
			return fq_fail(e, err, NULL, NULL, "cannot read table %s", name);
		if (n)
			return fq_fail(e, FQ_ERR_CONFLICT, "not_empty", "store",
				       "the target store is not empty: table %s has %lld row%s; "
				       "import only into a new store",
				       name, (long long)n, n == 1 ? "" : "s");
	}
	return FQ_OK;
}

static enum fq_err read_end(struct reader *r, int ntables)
{
	json_t *o;
	json_t *n;
	const char *end;
	enum fq_err err = next_value(r, "its end line", &o);
	int rc;

	if (err)
		return err;
	end = get_str(o, "end");
	n = json_object_get(o, "tables");
	if (get_str(o, "table"))
		err = bad(r, FQ_ERR_INVALID, "unknown table '%.64s'", get_str(o, "table"));
	else if (!end || strcmp(end, FQ_DUMP_FORMAT) || !json_is_integer(n))
		err = bad(r, FQ_ERR_INVALID, "expected the end line {\"end\":\"%s\",…}",
			  FQ_DUMP_FORMAT);
	else if (json_integer_value(n) != ntables)
		err = bad(r, FQ_ERR_INVALID, "the file says %lld tables, this schema has %d",
			  (long long)json_integer_value(n), ntables);
	json_decref(o);
	if (err)
		return err;
	rc = read_line(r);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (rc > 0)
		return bad(r, FQ_ERR_INVALID, "text after the end of the export");
	return FQ_OK;
}

enum fq_err fq_dump_import(struct fq_store *store, const struct fq_dump_table *const *lists,
			   FILE *in, const char *name, fq_dump_table_done_fn done, void *arg,
			   struct fq_dump_summary *sum, struct fq_error *e)
{
	struct reader *r;
	struct fq_db *db = NULL;
	struct table_set ts;
	enum fq_err err;
	int version;

	memset(sum, 0, sizeof(*sum));
	err = gather(lists, &ts, sum, e);
	if (err) {
		free(ts.t);
		return err;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(ts.t);
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	r->tables = &ts;
	r->in = in;
	r->name = name;
	r->e = e;
	fq_buf_init(&r->line, FQ_DUMP_MAX_LINE);
	fq_buf_init(&r->canon, FQ_DUMP_MAX_LINE);
	err = read_header(r, sum);
	if (!err && !(db = fq_store_db(store, e)))
		err = e->err;
	if (!err) {
		/* A new store gets its tables; an older one is brought up to date,
		 * as 'fengqiao serve' would do. */
		err = fq_store_migrate(store, NULL, e);
		if (err && !strcmp(e->code, "schema_too_new")) {
			fq_error_clear(e);
			err = FQ_OK;
		}
		version = fq_store_schema_version(db);
		if (!err && version != sum->schema)
			err = fq_fail(e, FQ_ERR_CONFLICT, "schema_mismatch", "store",
				      "%s holds schema version %d but the target store is at "
				      "schema version %d: export and import with the same "
				      "fengqiao version",
				      name, sum->schema, version);
	}
	if (!err) {
		err = fq_db_begin(db, true);
		if (err)
			fq_fail(e, err, NULL, NULL, "cannot start a write transaction");
	}
	if (!err)
		err = check_empty(db, &ts, e);
	for (int i = 0; i < ts.n && !err; i++) {
		err = import_table(r, db, ts.t[i], &sum->tables[i]);
		if (!err && done)
			err = done(db, ts.t[i]->name, arg, e);
		sum->ntables = i + 1;
		sum->rows += sum->tables[i].rows;
	}
	if (!err)
		err = read_end(r, ts.n);
	for (int i = 0; i < NDERIVED && !err; i++)
		if ((err = derived[i].rebuild(db)))
			fq_fail(e, err, NULL, NULL, "cannot rebuild %s", derived[i].name);
	for (int i = 0; i < ts.n && !err; i++)
		if (id_keyed(ts.t[i]) && db->backend->reset_ids &&
		    (err = db->backend->reset_ids(db, ts.t[i]->name)))
			fq_fail(e, err, NULL, NULL, "cannot move the ids of table %s on",
				ts.t[i]->name);
	if (!err) {
		err = fq_db_commit(db);
		if (err)
			fq_fail(e, err, NULL, NULL, "cannot commit the import: nothing was imported");
	} else if (db) {
		fq_db_rollback(db);
	}
	if (err && !e->err)
		fq_fail(e, err, NULL, NULL, NULL);
	fq_buf_release(&r->line);
	fq_buf_release(&r->canon);
	free(r);
	free(ts.t);
	return err;
}
