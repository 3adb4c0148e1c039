/* The full-text index of every indexed record type (search_store.h,
 * search/source.h). A row per record — type, id, scope, texts — in
 * search_docs; both stores index the same tokens: those of search/bigram.c
 * for the texts, and key tokens of the type (see doc_keys):
 *   SQLite      search_index, an FTS5 table over search_docs (external
 *               content, tokenize 'fq_bigram'), rowid = the type's code
 *               << 40 + id, written here beside the row (007_search_all.sql);
 *               MATCH '"邻里" "里纠" "␟incident/1/2/"'.
 *   PostgreSQL  search_docs.tokens, a GIN-indexed tsvector built here from
 *               quoted lexemes, so PostgreSQL's parser and locale play no
 *               part.
 * Either store gives the newest matches in scope with their texts; they are
 * ranked here (search/query.c), so the order is the same on both. */
#include "store/search_store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "search/bigram.h"
#include "search/query.h"
#include "search/source.h"
#include "store/backend.h"
#include "store/search_fts5.h"
#include "store/store.h"
#include "core/banned.h"

#define MAX_LEXEMES_TEXT (8u << 20) /* bytes of tsvector text of one record */
#define REBUILD_PAGE 1000
#define KEY_MAX 512 /* bytes of a key token: type, org path, a filter key */

static bool is_pg(const struct fq_db *db)
{
	return !strcmp(db->backend->kind, "postgresql");
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- key tokens ----
 * Besides the tokens of its texts, a record is indexed under key tokens,
 * which hold a '/' (no text token does):
 *   scope keys   the type, then its org path and every shorter path it
 *                starts with: incident/ incident/1/ incident/1/2/. A search
 *                within the scope of one unit asks for that unit's key, a
 *                search of the whole tree for type/: every search names its
 *                type.
 *   filter keys  type/#key for each of the source's keys: incident/#open
 *                incident/#day=20260101. A filter of the list is one more
 *                token asked for, so it applies before paging. */

static int key_token(fq_bigram_fn fn, void *arg, const char *key, size_t len, size_t index)
{
	struct fq_bigram_token tok = {key, len, 0, len, index};

	return fn(arg, &tok);
}

/* Calls fn for each scope key of (type, org_path). */
static int scope_keys(const char *type, const char *org_path, fq_bigram_fn fn, void *arg)
{
	const char *path = org_path && org_path[0] == '/' ? org_path : "/";
	char key[KEY_MAX];
	size_t index = 0;
	int rc = 0;

	for (size_t i = 0; path[i] && !rc; i++) {
		int n;

		if (path[i] != '/')
			continue;
		n = snprintf(key, sizeof(key), "%s%.*s", type, (int)(i + 1), path);
		if (n < 0 || (size_t)n >= sizeof(key))
			return FQ_ERR_TOO_LARGE;
		rc = key_token(fn, arg, key, (size_t)n, index++);
	}
	return rc;
}

static int filter_key(const char *type, const char *k, char key[KEY_MAX], size_t *len)
{
	int n = snprintf(key, KEY_MAX, "%s/#%s", type, k);

	if (n < 0 || n >= KEY_MAX || strchr(k, ' ') || strchr(k, '"') || strlen(k) > FQ_SEARCH_KEY_MAX)
		return FQ_ERR_INVALID;
	*len = (size_t)n;
	return 0;
}

static int doc_keys(const char *type, const char *org_path, char *const *keys, fq_bigram_fn fn,
		    void *arg)
{
	char key[KEY_MAX];
	size_t len;
	int rc = scope_keys(type, org_path, fn, arg);

	for (size_t i = 0; keys && keys[i] && !rc; i++)
		if (!(rc = filter_key(type, keys[i], key, &len)))
			rc = key_token(fn, arg, key, len, i);
	return rc;
}

/* ---- one record, copied (a statement is read to its end before the next
 * one runs) ---- */

struct doc_copy {
	int64_t id;
	char *org_path, *head, *body;
	char *keys[FQ_SEARCH_MAX_KEYS + 1];
};

static void doc_free(struct doc_copy *d)
{
	free(d->org_path);
	free(d->head);
	free(d->body);
	for (int i = 0; d->keys[i]; i++)
		free(d->keys[i]);
	memset(d, 0, sizeof(*d));
}

static enum fq_err doc_take(struct doc_copy *d, const struct fq_search_doc *doc)
{
	memset(d, 0, sizeof(*d));
	d->id = doc->id;
	d->org_path = dup_or_null(doc->org_path);
	d->head = dup_or_null(doc->head);
	d->body = dup_or_null(doc->body);
	for (int i = 0; i < FQ_SEARCH_MAX_KEYS && doc->keys[i]; i++)
		if (!(d->keys[i] = strdup(doc->keys[i])))
			return FQ_ERR_NOMEM;
	if ((doc->org_path && !d->org_path) || (doc->head && !d->head) || (doc->body && !d->body))
		return FQ_ERR_NOMEM;
	return FQ_OK;
}

struct page {
	struct doc_copy *docs;
	size_t n, max;
};

static enum fq_err page_add(void *arg, const struct fq_search_doc *doc)
{
	struct page *p = arg;

	if (p->n >= p->max)
		return FQ_ERR_TOO_LARGE;
	return doc_take(&p->docs[p->n++], doc);
}

static void page_clear(struct page *p)
{
	for (size_t i = 0; i < p->n; i++)
		doc_free(&p->docs[i]);
	p->n = 0;
}

/* ---- writing ---- */

/* Appends 'token' with ' and \ escaped, as tsvector and tsquery text want. */
static enum fq_err add_lexeme(struct fq_buf *b, const char *p, size_t len)
{
	enum fq_err err = fq_buf_add(b, b->len ? " '" : "'", b->len ? 2 : 1);

	for (size_t i = 0; i < len && !err; i++) {
		if (p[i] == '\'' || p[i] == '\\')
			err = fq_buf_add(b, p[i] == '\'' ? "'" : "\\", 1);
		if (!err)
			err = fq_buf_add(b, p + i, 1);
	}
	return err ? err : fq_buf_add(b, "'", 1);
}

static int lexeme_token(void *arg, const struct fq_bigram_token *tok)
{
	return (int)add_lexeme(arg, tok->text, tok->len);
}

/* SQLite's keys column: FQ_SEARCH_FTS5_SCOPE_MARK, then the key tokens
 * separated by spaces. */
static int keys_column_token(void *arg, const struct fq_bigram_token *tok)
{
	struct fq_buf *b = arg;
	enum fq_err err = b->len > 1 ? fq_buf_add(b, " ", 1) : FQ_OK;

	return (int)(err ? err : fq_buf_add(b, tok->text, tok->len));
}

/* Recency keys (PostgreSQL, see pg_newest): "<scope key>#L:n" for each scope
 * key of the record (type/ for the whole tree, then its org path's) and L =
 * 10, 12 … 24, n = id >> L. */
#define RECENT_MIN_LEVEL 10
#define RECENT_MAX_LEVEL 24
#define RECENT_STEP 2

static int recency_key(struct fq_buf *b, const char *scope, size_t len, int level, int64_t block)
{
	char key[KEY_MAX + 32];
	int n = snprintf(key, sizeof(key), "%.*s#%d:%lld", (int)len, scope, level,
			 (long long)block);

	if (n < 0 || (size_t)n >= sizeof(key))
		return FQ_ERR_TOO_LARGE;
	return (int)add_lexeme(b, key, (size_t)n);
}

struct recency {
	struct fq_buf *b;
	int64_t id;
};

static int recency_token(void *arg, const struct fq_bigram_token *tok)
{
	struct recency *r = arg;
	int rc = 0;

	for (int level = RECENT_MIN_LEVEL; level <= RECENT_MAX_LEVEL && !rc; level += RECENT_STEP)
		rc = recency_key(r->b, tok->text, tok->len, level, r->id >> level);
	return rc;
}

/* The tsvector text of a record: the document tokens of its texts, its key
 * tokens and its recency keys (PostgreSQL sorts them and drops repeats). */
static enum fq_err tsvector_text(struct fq_buf *b, const char *type, const struct doc_copy *d)
{
	const char *texts[] = {d->head, d->body};
	struct recency r = {b, d->id};
	int rc = 0;

	for (int i = 0; i < 2 && !rc; i++)
		if (texts[i])
			rc = fq_bigram_tokenize(texts[i], strlen(texts[i]), FQ_BIGRAM_DOCUMENT, 0,
						lexeme_token, b);
	if (!rc)
		rc = doc_keys(type, d->org_path, d->keys, lexeme_token, b);
	if (!rc)
		rc = scope_keys(type, d->org_path, recency_token, &r);
	return (enum fq_err)rc;
}

/* SQLite: a type's records are one range of FTS5 rowids, in id order, so a
 * walk of one type is a rowid range and the gaps between a token's rowids
 * (what FTS5 stores, as varints) are those between ids. */
#define SQLITE_KEY_BITS 40

static int64_t sqlite_key(const struct fq_search_source *src, int64_t id)
{
	return ((int64_t)src->code << SQLITE_KEY_BITS) + id;
}

/* The type and org path as one text: the scope column, compared by range. */
static char *scoped(const char *type, const char *path)
{
	size_t n = strlen(type) + strlen(path) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s", type, path);
	return s;
}

/* SQLite: the row and its index entry leave (the entry is forgotten with
 * the values it was made of). */
static enum fq_err sqlite_forget(struct fq_db *db, int64_t key)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "INSERT INTO search_index (search_index, rowid, head, body, keys)"
				     " SELECT 'delete', key, head, body, keys FROM search_docs"
				     " WHERE key = ?1",
				     "i", key);

	return err ? err : fq_db_exec(db, NULL, "DELETE FROM search_docs WHERE key = ?1", "i", key);
}

/* How write_doc finds the record's index: it may hold an entry of the record
 * (REPLACE), it holds none (NEW: a record made in this transaction), or it is
 * being rebuilt (REBUILD: the row only; FTS5 reads the rows afterwards). */
enum write_mode { WRITE_REPLACE, WRITE_NEW, WRITE_REBUILD };

/* Writes a record's row (and, unless rebuilding, its index entry). */
static enum fq_err write_doc(struct fq_db *db, const struct fq_search_source *src,
			     const struct doc_copy *d, enum write_mode mode)
{
	bool rebuilding = mode == WRITE_REBUILD;
	struct fq_buf b;
	char *scope = scoped(src->type, d->org_path ? d->org_path : "/");
	enum fq_err err = scope ? FQ_OK : FQ_ERR_NOMEM;
	int64_t key = sqlite_key(src, d->id);

	fq_buf_init(&b, MAX_LEXEMES_TEXT);
	if (!err && is_pg(db)) {
		err = tsvector_text(&b, src->type, d);
		if (!err)
			err = fq_db_exec(db, NULL,
					 "INSERT INTO search_docs (type, record_id, scope, head, body,"
					 " tokens) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS tsvector))"
					 " ON CONFLICT (type, record_id) DO UPDATE SET scope ="
					 " EXCLUDED.scope, head = EXCLUDED.head, body = EXCLUDED.body,"
					 " tokens = EXCLUDED.tokens",
					 "sissss", src->type, d->id, scope, d->head, d->body,
					 b.ptr ? b.ptr : "");
		goto out;
	}
	if (!err) {
		char mark = FQ_SEARCH_FTS5_SCOPE_MARK;

		err = fq_buf_add(&b, &mark, 1);
	}
	if (!err)
		err = (enum fq_err)doc_keys(src->type, d->org_path, d->keys, keys_column_token, &b);
	if (!err && mode == WRITE_REPLACE)
		err = sqlite_forget(db, key);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO search_docs (key, type, record_id, scope, head, body, keys)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				 "isissss", key, src->type, d->id, scope, d->head, d->body, b.ptr);
	if (!err && !rebuilding)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO search_index (rowid, head, body, keys)"
				 " VALUES (?1, ?2, ?3, ?4)",
				 "isss", key, d->head, d->body, b.ptr);
out:
	fq_buf_release(&b);
	free(scope);
	return err;
}

static enum fq_err index_one(struct fq_db *db, const struct fq_search_source *src, int64_t id,
			     enum write_mode mode)
{
	struct doc_copy d = {0};
	struct page p = {&d, 0, 1};
	enum fq_err err;

	if (!src)
		return FQ_ERR_INVALID;
	err = src->docs(db, id, id, 1, page_add, &p);
	if (!err && p.n)
		err = write_doc(db, src, &d, mode);
	else if (!err && is_pg(db))
		err = fq_db_exec(db, NULL,
				 "DELETE FROM search_docs WHERE type = ?1 AND record_id = ?2", "si",
				 src->type, id);
	else if (!err)
		err = sqlite_forget(db, sqlite_key(src, id));
	page_clear(&p);
	return err;
}

enum fq_err fq_search_index(struct fq_db *db, const struct fq_search_source *src, int64_t id)
{
	return index_one(db, src, id, WRITE_REPLACE);
}

enum fq_err fq_search_index_new(struct fq_db *db, const struct fq_search_source *src, int64_t id)
{
	return index_one(db, src, id, WRITE_NEW);
}

enum fq_err fq_search_index_incident(struct fq_db *db, int64_t id, const char *narrative,
				     const char *address_text)
{
	(void)narrative;
	(void)address_text;
	return fq_search_index(db, fq_search_source_find("incident"), id);
}

static enum fq_err pg_script(struct fq_db *db, const char *sql)
{
	struct fq_error e = {0};

	return fq_db_exec_script(db, sql, &e);
}

/* Writes the rows of every record of src, a page at a time. */
static enum fq_err rebuild_source(struct fq_db *db, const struct fq_search_source *src,
				  struct page *p)
{
	int64_t last = 0;
	enum fq_err err = FQ_OK;

	do {
		page_clear(p);
		err = src->docs(db, last + 1, INT64_MAX, p->max, page_add, p);
		for (size_t i = 0; i < p->n && !err; i++) {
			err = write_doc(db, src, &p->docs[i], WRITE_REBUILD);
			last = p->docs[i].id;
		}
	} while (!err && p->n == p->max);
	page_clear(p);
	return err;
}

enum fq_err fq_search_rebuild(struct fq_db *db)
{
	struct page p = {calloc(REBUILD_PAGE, sizeof(struct doc_copy)), 0, REBUILD_PAGE};
	struct fq_stmt *st;
	char *index_sql = NULL;
	enum fq_err err = p.docs ? FQ_OK : FQ_ERR_NOMEM;
	int rc;

	if (!err && !is_pg(db)) {
		/* The rows are written alone; FTS5 then reads them all and
		 * tokenizes them itself, in one pass. */
		err = fq_db_exec(db, NULL,
				 "INSERT INTO search_index (search_index) VALUES ('delete-all')", NULL);
		if (!err)
			err = fq_db_exec(db, NULL, "DELETE FROM search_docs", NULL);
		for (int i = 0; !err && fq_search_sources()[i]; i++)
			err = rebuild_source(db, fq_search_sources()[i], &p);
		if (!err)
			err = fq_db_exec(db, NULL,
					 "INSERT INTO search_index (search_index) VALUES ('rebuild')",
					 NULL);
		free(p.docs);
		return err;
	}
	/* GIN would take every token of every row one by one (~1 ms a row):
	 * drop the index, write the rows, and make it again as it was defined
	 * (its definition read from the catalog), in one sort. In the caller's
	 * transaction, without the statement timeout: it takes minutes at a
	 * million records, and locks out searches meanwhile. */
	if (!err)
		err = fq_db_query(db, &st,
				  "SELECT pg_get_indexdef(CAST('search_docs_tokens' AS regclass)),"
				  " set_config('statement_timeout', '0', true),"
				  " set_config('maintenance_work_mem', '256MB', true)",
				  NULL);
	if (!err) {
		rc = fq_stmt_next(st);
		if (rc == 1 && !(index_sql = dup_or_null(fq_stmt_text(st, 0))))
			rc = -(int)FQ_ERR_NOMEM;
		fq_stmt_done(st);
		if (rc <= 0)
			err = rc < 0 ? (enum fq_err)-rc : FQ_ERR_NOT_FOUND;
	}
	if (!err)
		err = pg_script(db, "DROP INDEX search_docs_tokens; TRUNCATE search_docs");
	for (int i = 0; !err && fq_search_sources()[i]; i++)
		err = rebuild_source(db, fq_search_sources()[i], &p);
	if (!err)
		err = pg_script(db, index_sql);
	free(index_sql);
	free(p.docs);
	return err;
}

enum fq_err fq_search_rebuild_pending(struct fq_db *db)
{
	struct fq_stmt *st;
	int64_t changes = 0;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT count(*) FROM meta WHERE name = 'search_rebuild'", NULL);
	int rc;

	if (err)
		return err;
	rc = fq_stmt_next(st);
	changes = rc == 1 ? fq_stmt_int(st, 0) : 0;
	fq_stmt_done(st);
	if (rc < 0 || !changes)
		return rc < 0 ? (enum fq_err)-rc : FQ_OK;
	err = fq_db_begin(db, true);
	if (!err)
		err = fq_db_lock(db, FQ_LOCK_MIGRATE);
	if (err) {
		fq_db_rollback(db);
		return err;
	}
	/* Another server may have done it meanwhile: the DELETE tells. */
	err = fq_db_exec(db, &changes, "DELETE FROM meta WHERE name = 'search_rebuild'", NULL);
	if (!err && changes)
		err = fq_search_rebuild(db);
	if (!err)
		return fq_db_commit(db);
	fq_db_rollback(db);
	return err;
}

/* ---- searching ---- */

struct candidate {
	int64_t id, score;
};

static int candidate_cmp(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static int candidate_id_cmp(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;

	return a->id > b->id ? -1 : a->id < b->id;
}

static int id_desc(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a > b ? -1 : a < b;
}

/* Appends one token to a MATCH (SQLite) or tsquery (PostgreSQL) text, ANDed. */
static enum fq_err match_add(const struct fq_db *db, struct fq_buf *b, const char *t, bool key)
{
	enum fq_err err = FQ_OK;

	if (is_pg(db)) {
		if (b->len)
			err = fq_buf_adds(b, " &");
		return err ? err : add_lexeme(b, t, strlen(t));
	}
	/* An FTS5 string: "…" with " doubled (tokens hold none); a key is read
	 * as one token after the mark. */
	err = fq_buf_adds(b, b->len ? " \"" : "\"");
	if (!err && key) {
		char mark = FQ_SEARCH_FTS5_SCOPE_MARK;

		err = fq_buf_add(b, &mark, 1);
	}
	for (const char *p = t; *p && !err; p++)
		err = *p == '"' ? fq_buf_adds(b, "\"\"") : fq_buf_add(b, p, 1);
	return err ? err : fq_buf_add(b, "\"", 1);
}

/* The query's tokens and filter keys, ANDed. */
static enum fq_err match_text(const struct fq_db *db, const struct fq_search_query *query,
			      const char *type, const char *const *keys, struct fq_buf *b)
{
	enum fq_err err = FQ_OK;
	char key[KEY_MAX];
	size_t len;

	for (size_t i = 0; keys && keys[i] && !err; i++) {
		err = (enum fq_err)filter_key(type, keys[i], key, &len);
		if (!err)
			err = match_add(db, b, key, true);
	}
	for (size_t i = 0; i < query->ntokens && !err; i++)
		err = match_add(db, b, query->tokens[i], false);
	return err;
}

/* Scores the rows (id, head, body) of st into found[*n …], at most max. */
static enum fq_err score_rows(struct fq_stmt *st, const struct fq_search_query *query,
			      struct candidate *found, size_t *n, size_t max)
{
	int rc = 0;

	while (*n < max && (rc = fq_stmt_next(st)) == 1) {
		found[*n].id = fq_stmt_int(st, 0);
		found[*n].score = fq_search_score(query, fq_stmt_text(st, 2), fq_stmt_text(st, 1));
		(*n)++;
	}
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

/* What one search asks the store. */
struct ask {
	const struct fq_search_source *src;
	const struct fq_search_query *query;
	const char *match; /* the tokens and filter keys */
	const char *keyed; /* the same and the scope key; NULL when the range is no unit's */
	const char *lo, *hi; /* the scope range, type-prefixed */
	size_t want;       /* the newest this many matches */
};

/* SQLite: the newest matches in scope, newest first. FTS5 walks its index
 * backwards within the type's rowid range and stops at the limit; each
 * match is looked up in search_docs for the exact scope test (CROSS JOIN keeps the index the outer
 * loop). First without the scope key: a scope holding most of the matches
 * (a station's incidents) is cheaper to filter than to intersect with its
 * key, and a rare term's matches are all read at once. When the first
 * SQLITE_SAMPLE matches of the window say it holds too few in scope, the
 * scope is narrow (a grid, or a type with few records): the key narrows the
 * walk. */
#define SQLITE_WINDOW 2000
#define SQLITE_SAMPLE 200

static size_t sqlite_window(size_t want)
{
	return want * 4 > SQLITE_WINDOW ? want * 4 : SQLITE_WINDOW;
}

static enum fq_err sqlite_candidates(struct fq_db *db, const struct ask *a,
				     struct candidate *found, size_t *n)
{
	struct fq_stmt *st;
	int64_t prev = INT64_MAX, rows = 0;
	size_t window = sqlite_window(a->want);
	bool ordered = true, narrow = false;
	enum fq_err err;
	int rc;

	int64_t first = sqlite_key(a->src, 0), end = first + ((int64_t)1 << SQLITE_KEY_BITS);

	err = fq_db_query(db, &st,
			  "SELECT d.record_id, d.scope >= ?2 AND d.scope < ?3, d.head, d.body"
			  " FROM (SELECT rowid FROM search_index WHERE search_index MATCH ?1"
			  " AND rowid >= ?5 AND rowid < ?6 ORDER BY rowid DESC LIMIT ?4) s"
			  " CROSS JOIN search_docs d ON d.key = s.rowid",
			  "sssiii", a->match, a->lo, a->hi, (int64_t)window, first, end);
	if (err)
		return err;
	/* The rows come newest first (the subquery runs as a co-routine);
	 * should a plan ever change that, all of them are read and sorted. */
	while ((rc = fq_stmt_next(st)) == 1) {
		int64_t id = fq_stmt_int(st, 0);

		rows++;
		ordered = ordered && id < prev;
		prev = id;
		if (fq_stmt_int(st, 1) && *n < window) {
			found[*n].id = id;
			found[*n].score =
				fq_search_score(a->query, fq_stmt_text(st, 3), fq_stmt_text(st, 2));
			(*n)++;
		}
		if (ordered && *n >= a->want)
			break;
		/* At this rate the window holds too few: ask with the key. */
		if (ordered && a->keyed && rows >= SQLITE_SAMPLE &&
		    (int64_t)*n * (int64_t)window < (int64_t)a->want * rows) {
			narrow = true;
			break;
		}
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (!ordered) {
		qsort(found, *n, sizeof(*found), candidate_id_cmp);
		if (*n > a->want)
			*n = a->want;
	}
	if (!narrow && (*n >= a->want || rows < (int64_t)window))
		return FQ_OK;
	*n = 0;
	err = fq_db_query(db, &st,
			  "SELECT d.record_id, d.head, d.body"
			  " FROM search_index s CROSS JOIN search_docs d ON d.key = s.rowid"
			  " WHERE search_index MATCH ?1 AND s.rowid >= ?5 AND s.rowid < ?6"
			  " AND d.scope >= ?2 AND d.scope < ?3 ORDER BY s.rowid DESC LIMIT ?4",
			  "sssiii", a->keyed ? a->keyed : a->match, a->lo, a->hi, (int64_t)a->want,
			  first, end);
	if (err)
		return err;
	err = score_rows(st, a->query, found, n, a->want);
	fq_stmt_done(st);
	return err;
}

/*
 * PostgreSQL. A GIN index finds every match at once and in no order: the
 * newest 500 of a term in 700,000 incidents would mean reading 700,000 rows,
 * and PostgreSQL's estimates for ANDed bigrams (which always come together)
 * are too far off to let it choose a plan. So each record's tsvector also
 * holds recency keys "<scope key>#L:n" (see recency_key), and the search asks
 * for ranges of ids, newest first: the query's tokens ANDed with the keys of
 * the aligned blocks that make up the range in the caller's scope. The index
 * then reads only the entries of those blocks. Ranges grow four times larger
 * each time until enough matches are in hand; once the matches seen so far
 * say the rest of the ids holds few, one last query (the tokens and the
 * scope key) takes all of them. Every range is read whole, so the result is
 * exactly the newest matches, as on SQLite.
 */
#define PROBE_MAX 64

/* Appends the ids st returns below `below` to *ids (grown as needed). */
static enum fq_err take_ids(struct fq_stmt *st, int64_t below, int64_t **ids, size_t *n,
			    size_t *cap)
{
	int rc;

	while ((rc = fq_stmt_next(st)) == 1) {
		int64_t id = fq_stmt_int(st, 0);

		if (id >= below)
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 1024;
			int64_t *p = realloc(*ids, ncap * sizeof(**ids));

			if (!p)
				return FQ_ERR_NOMEM;
			*ids = p;
			*cap = ncap;
		}
		(*ids)[(*n)++] = id;
	}
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

/* Runs SELECT record_id … WHERE tokens @@ tsquery and appends the ids below
 * `below`, newest first (the tsquery names the type through its keys). */
static enum fq_err pg_matches(struct fq_db *db, const char *tsquery, int64_t below,
			      int64_t **ids, size_t *n, size_t *cap)
{
	struct fq_stmt *st;
	size_t before = *n;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT record_id FROM search_docs"
				      " WHERE tokens @@ CAST(?1 AS tsquery)",
				      "s", tsquery);

	if (err)
		return err;
	err = take_ids(st, below, ids, n, cap);
	fq_stmt_done(st);
	if (!err && *n > before)
		qsort(*ids + before, *n - before, sizeof(**ids), id_desc);
	return err;
}

/* The ids of the newest matches of a->match within the scope of key, newest
 * first, at least a->want when there are as many. */
static enum fq_err pg_newest(struct fq_db *db, const struct ask *a, const char *key,
			     int64_t **ids, size_t *n)
{
	struct fq_buf probe;
	struct fq_stmt *st;
	size_t cap = 0;
	int64_t top, probed = 0, want = (int64_t)1 << RECENT_MIN_LEVEL;
	int rc;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT max(record_id) FROM search_docs WHERE type = ?1", "s",
				      a->src->type);

	*n = 0;
	if (err)
		return err;
	rc = fq_stmt_next(st);
	top = rc == 1 && !fq_stmt_null(st, 0) ? fq_stmt_int(st, 0) : -1;
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (top < 0)
		return FQ_OK; /* nothing of the type */
	/* top: the ids below it are still to be read, a multiple of the
	 * smallest block. */
	top = ((top >> RECENT_MIN_LEVEL) + 1) << RECENT_MIN_LEVEL;
	fq_buf_init(&probe, 64 * 1024);
	for (int probes = 0; !err && top > 0 && *n < a->want; probes++) {
		int64_t cover = 0;

		/* The rest of the ids seem to hold few matches: all of them at once. */
		if (probes == PROBE_MAX ||
		    (probed >= ((int64_t)1 << 13) &&
		     (double)*n / (double)probed * (double)top < (double)a->want / 2.0)) {
			err = pg_matches(db, a->keyed, top, ids, n, &cap);
			break;
		}
		/* The next `want` ids below top, as aligned blocks ORed: the
		 * largest block that fits at each step. */
		fq_buf_reset(&probe);
		err = fq_buf_adds(&probe, a->match);
		if (!err)
			err = fq_buf_adds(&probe, " & (");
		while (!err && cover < want && top - cover > 0) {
			int64_t at = top - cover;
			int level = RECENT_MAX_LEVEL;
			int64_t size = (int64_t)1 << level;

			while (level > RECENT_MIN_LEVEL && ((at & (size - 1)) || size > want - cover)) {
				level -= RECENT_STEP;
				size = (int64_t)1 << level;
			}
			if (cover)
				err = fq_buf_adds(&probe, " |");
			if (!err)
				err = (enum fq_err)recency_key(&probe, key, strlen(key), level,
							       (at >> level) - 1);
			cover += size;
		}
		if (!err)
			err = fq_buf_adds(&probe, " )");
		if (!err)
			err = pg_matches(db, probe.ptr, top, ids, n, &cap);
		top -= cover;
		probed += cover;
		if (want < ((int64_t)1 << RECENT_MAX_LEVEL))
			want <<= RECENT_STEP;
	}
	fq_buf_release(&probe);
	return err;
}

/* PostgreSQL: the newest matches in scope with their texts. */
static enum fq_err pg_candidates(struct fq_db *db, const struct ask *a, const char *key,
				 struct candidate *found, size_t *n)
{
	struct fq_stmt *st;
	struct fq_buf list;
	int64_t *ids = NULL;
	size_t nids = 0;
	enum fq_err err;

	if (!key) {
		/* A range that is not one unit's (never asked for by the API): the
		 * planner's choice, exact but not fast. */
		err = fq_db_query(db, &st,
				  "SELECT record_id, head, body FROM search_docs"
				  " WHERE tokens @@ CAST(?1 AS tsquery) AND type = ?2 AND scope >= ?3"
				  " AND scope < ?4 ORDER BY record_id DESC LIMIT ?5",
				  "ssssi", a->match, a->src->type, a->lo, a->hi, (int64_t)a->want);
		if (!err) {
			err = score_rows(st, a->query, found, n, a->want);
			fq_stmt_done(st);
		}
		return err;
	}
	err = pg_newest(db, a, key, &ids, &nids);
	if (err || !nids) {
		free(ids);
		return err;
	}
	if (nids > a->want)
		nids = a->want;
	/* Their texts, the ids as a bigint[] literal; the scope is checked again. */
	fq_buf_init(&list, 32 * nids + 16);
	err = fq_buf_add(&list, "{", 1);
	for (size_t i = 0; i < nids && !err; i++)
		err = fq_buf_addf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	if (!err)
		err = fq_buf_add(&list, "}", 1);
	free(ids);
	if (!err)
		err = fq_db_query(db, &st,
				  "SELECT record_id, head, body FROM search_docs"
				  " WHERE type = ?1 AND record_id = ANY (CAST(?2 AS bigint[]))"
				  " AND scope >= ?3 AND scope < ?4",
				  "ssss", a->src->type, list.ptr, a->lo, a->hi);
	fq_buf_release(&list);
	if (err)
		return err;
	err = score_rows(st, a->query, found, n, a->want);
	fq_stmt_done(st);
	return err;
}

/* The key of scope [lo, hi) of type: type/ for the whole tree, type/1/2/
 * for one unit's range; NULL for any other range. */
static bool scope_key_of(const char *type, const char *lo, const char *hi, char key[KEY_MAX])
{
	const char *unit = fq_search_scope_key(lo, hi);
	int n;

	if (!unit && !strcmp(lo, "/") && !strcmp(hi, "0"))
		unit = "/";
	if (!unit)
		return false;
	n = snprintf(key, KEY_MAX, "%s%s", type, unit);
	return n > 0 && n < KEY_MAX;
}

json_t *fq_search_find(struct fq_db *db, const struct fq_search_source *src, const char *q,
		       const char *lo, const char *hi, const char *const *keys, int64_t limit,
		       int64_t offset, int64_t *scores, size_t *matches, enum fq_err *err)
{
	struct fq_search_query query;
	struct candidate *found = NULL;
	struct fq_buf match, keyed;
	char key[KEY_MAX], *plo = NULL, *phi = NULL;
	bool has_key;
	json_t *ids = NULL;
	struct ask a = {.src = src, .query = &query};
	size_t n = 0, want;

	if (matches)
		*matches = 0;
	fq_buf_init(&match, 64 * 1024);
	fq_buf_init(&keyed, 64 * 1024);
	*err = fq_search_query_parse(q, &query);
	if (*err)
		goto out;
	if (!src || !src->type || !lo || !hi) {
		*err = FQ_ERR_INVALID;
		goto out;
	}
	has_key = scope_key_of(src->type, lo, hi, key);
	*err = match_text(db, &query, src->type, keys, &match);
	if (!*err && has_key) {
		*err = fq_buf_adds(&keyed, match.ptr);
		if (!*err)
			*err = match_add(db, &keyed, key, true);
	}
	plo = scoped(src->type, lo);
	phi = scoped(src->type, hi);
	if (!*err && (!plo || !phi))
		*err = FQ_ERR_NOMEM;
	if (*err)
		goto out;
	if (limit <= 0 || offset < 0 || offset >= FQ_SEARCH_MAX_DEPTH) {
		ids = json_array();
		*err = ids ? FQ_OK : FQ_ERR_NOMEM;
		goto out;
	}
	/* The blocks up to the page's end. */
	if (limit > FQ_SEARCH_MAX_DEPTH - offset)
		limit = FQ_SEARCH_MAX_DEPTH - offset;
	want = (size_t)((offset + limit + FQ_SEARCH_CANDIDATES - 1) / FQ_SEARCH_CANDIDATES) *
	       FQ_SEARCH_CANDIDATES;
	a.match = match.ptr;
	a.keyed = has_key ? keyed.ptr : NULL;
	a.lo = plo;
	a.hi = phi;
	a.want = want;
	found = malloc((is_pg(db) ? want : sqlite_window(want)) * sizeof(*found));
	if (!found) {
		*err = FQ_ERR_NOMEM;
		goto out;
	}
	if (is_pg(db))
		*err = pg_candidates(db, &a, has_key ? key : NULL, found, &n);
	else
		*err = sqlite_candidates(db, &a, found, &n);
	if (*err)
		goto out;
	/* Newest first, then each block ranked. */
	qsort(found, n, sizeof(*found), candidate_id_cmp);
	for (size_t b = 0; b < n; b += FQ_SEARCH_CANDIDATES)
		qsort(found + b, n - b < FQ_SEARCH_CANDIDATES ? n - b : FQ_SEARCH_CANDIDATES,
		      sizeof(*found), candidate_cmp);
	if (matches)
		*matches = n;
	ids = json_array();
	for (int64_t i = offset; ids && i < offset + limit && i < (int64_t)n; i++) {
		if (scores)
			scores[i - offset] = found[i].score;
		if (json_array_append_new(ids, json_integer(found[i].id))) {
			json_decref(ids);
			ids = NULL;
		}
	}
	if (!ids)
		*err = FQ_ERR_NOMEM;
out:
	free(found);
	free(plo);
	free(phi);
	fq_buf_release(&match);
	fq_buf_release(&keyed);
	fq_search_query_release(&query);
	return ids;
}

json_t *fq_search_incidents(struct fq_db *db, const char *q, const char *lo, const char *hi,
			    int64_t limit, int64_t offset, enum fq_err *err)
{
	return fq_search_find(db, fq_search_source_find("incident"), q, lo, hi, NULL, limit,
			      offset, NULL, NULL, err);
}
