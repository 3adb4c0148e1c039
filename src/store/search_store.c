/* The full-text index of incidents (search_store.h). Both stores index the
 * tokens of search/bigram.c and the scope keys of the org path, and are
 * asked for all the query's tokens (and the scope's key):
 *   SQLite      incident_search, an FTS5 table over the incidents (external
 *               content, tokenize 'fq_bigram'), kept current by triggers on
 *               incidents (004_search.sql); MATCH '"邻里" "里纠"'.
 *   PostgreSQL  incident_search (incident_id, tokens tsvector), GIN-indexed,
 *               written by fq_search_index_incident; the tsvector and tsquery
 *               text is built here from quoted lexemes, so PostgreSQL's
 *               parser and locale play no part.
 * Either store gives the newest FQ_SEARCH_CANDIDATES matches in scope with
 * their texts; they are ranked here (search/query.c), so the order is the
 * same on both. */
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
#include "store/backend.h"
#include "store/search_fts5.h"
#include "store/store.h"
#include "core/banned.h"

#define MAX_LEXEMES_TEXT (8u << 20) /* bytes of tsvector text of one incident */
#define REBUILD_PAGE 1000

static bool is_pg(const struct fq_db *db)
{
	return !strcmp(db->backend->kind, "postgresql");
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

/* Recency keys (PostgreSQL, see pg_newest): "<scope>#L:n" for each scope
 * the incident is in ("/" for the whole tree, then each scope key of its
 * org path) and L = 10, 12 … 24, n = id >> L. */
#define RECENT_MIN_LEVEL 10
#define RECENT_MAX_LEVEL 24
#define RECENT_STEP 2

static int recency_key(struct fq_buf *b, const char *scope, size_t len, int level, int64_t block)
{
	char key[512];
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

/* The tsvector text of an incident: the document tokens of both texts, the
 * scope keys of its org path and its recency keys (PostgreSQL sorts them and
 * drops repeats). */
static enum fq_err tsvector_text(struct fq_buf *b, int64_t id, const char *narrative,
				 const char *address, const char *org_path)
{
	const char *texts[] = {narrative, address};
	struct recency r = {b, id};
	struct fq_bigram_token root = {"/", 1, 0, 1, 0};
	int rc = 0;

	for (int i = 0; i < 2 && !rc; i++)
		if (texts[i])
			rc = fq_bigram_tokenize(texts[i], strlen(texts[i]), FQ_BIGRAM_DOCUMENT, 0,
						lexeme_token, b);
	if (!rc && org_path)
		rc = fq_search_scope_keys(org_path, strlen(org_path), lexeme_token, b);
	if (!rc)
		rc = recency_token(&r, &root);
	if (!rc && org_path)
		rc = fq_search_scope_keys(org_path, strlen(org_path), recency_token, &r);
	return (enum fq_err)rc;
}

/* PostgreSQL: writes the incident's row of the index. */
static enum fq_err pg_index(struct fq_db *db, int64_t id, const char *narrative,
			    const char *address_text, const char *org_path)
{
	struct fq_buf b;
	enum fq_err err;

	fq_buf_init(&b, MAX_LEXEMES_TEXT);
	err = tsvector_text(&b, id, narrative, address_text, org_path);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "INSERT INTO incident_search (incident_id, tokens)"
				 " VALUES (?1, CAST(?2 AS tsvector))"
				 " ON CONFLICT (incident_id) DO UPDATE SET tokens = EXCLUDED.tokens",
				 "is", id, b.ptr ? b.ptr : "");
	fq_buf_release(&b);
	return err;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Both stores index the row as stored, not the caller's copy of its texts:
 * SQLite's triggers see the row, and PostgreSQL reads it here, so the two
 * cannot differ. */
enum fq_err fq_search_index_incident(struct fq_db *db, int64_t id, const char *narrative,
				     const char *address_text)
{
	struct fq_stmt *st;
	char *text[3] = {NULL, NULL, NULL};
	enum fq_err err;
	int rc;

	(void)narrative;
	(void)address_text;
	/* SQLite: the triggers on incidents indexed the row as it was written. */
	if (!is_pg(db))
		return FQ_OK;
	err = fq_db_query(db, &st,
			  "SELECT narrative, address_text, org_path FROM incidents WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	for (int i = 0; rc == 1 && i < 3; i++)
		if (fq_stmt_text(st, i) && !(text[i] = dup_or_null(fq_stmt_text(st, i))))
			rc = -(int)FQ_ERR_NOMEM;
	fq_stmt_done(st);
	if (rc == 0)
		rc = -(int)FQ_ERR_NOT_FOUND;
	err = rc < 0 ? (enum fq_err)-rc : pg_index(db, id, text[0], text[1], text[2]);
	for (int i = 0; i < 3; i++)
		free(text[i]);
	return err;
}

struct pending {
	int64_t id;
	char *narrative, *address, *org_path;
};

static void pending_free(struct pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].narrative);
		free(p[i].address);
		free(p[i].org_path);
	}
}

static enum fq_err pg_script(struct fq_db *db, const char *sql)
{
	struct fq_error e = {0};

	return fq_db_exec_script(db, sql, &e);
}

enum fq_err fq_search_rebuild(struct fq_db *db)
{
	struct pending *page;
	struct fq_stmt *st;
	char *index_sql = NULL;
	int64_t last = 0;
	size_t n = 0;
	enum fq_err err;
	int rc;

	/* FTS5 reads the incidents again and tokenizes them itself. */
	if (!is_pg(db))
		return fq_db_exec(db, NULL,
				  "INSERT INTO incident_search (incident_search) VALUES ('rebuild')",
				  NULL);
	/* GIN would take every token of every row one by one (~1 ms a row):
	 * drop the index, write the rows, and make it again as it was defined
	 * (its definition read from the catalog), in one sort. In the caller's
	 * transaction, without the statement timeout: it takes minutes at a
	 * million incidents, and locks out searches meanwhile. */
	err = fq_db_query(db, &st,
			  "SELECT pg_get_indexdef(CAST('incident_search_tokens' AS regclass)),"
			  " set_config('statement_timeout', '0', true),"
			  " set_config('maintenance_work_mem', '256MB', true)",
			  NULL);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1 && !(index_sql = dup_or_null(fq_stmt_text(st, 0))))
		rc = -(int)FQ_ERR_NOMEM;
	fq_stmt_done(st);
	if (rc <= 0)
		return rc < 0 ? (enum fq_err)-rc : FQ_ERR_NOT_FOUND;
	page = calloc(REBUILD_PAGE, sizeof(*page));
	err = page ? pg_script(db, "DROP INDEX incident_search_tokens; TRUNCATE incident_search")
		   : FQ_ERR_NOMEM;
	do {
		/* Read a page, then write it: one statement at a time. */
		n = 0;
		if (!err)
			err = fq_db_query(db, &st,
					  "SELECT id, narrative, address_text, org_path FROM incidents"
					  " WHERE id > ?1 ORDER BY id LIMIT ?2",
					  "ii", last, (int64_t)REBUILD_PAGE);
		if (err)
			break;
		while ((rc = fq_stmt_next(st)) == 1) {
			struct pending *p = &page[n++];

			p->id = last = fq_stmt_int(st, 0);
			p->narrative = dup_or_null(fq_stmt_text(st, 1));
			p->address = dup_or_null(fq_stmt_text(st, 2));
			p->org_path = dup_or_null(fq_stmt_text(st, 3));
			if ((!p->narrative && fq_stmt_text(st, 1)) ||
			    (!p->address && fq_stmt_text(st, 2)) ||
			    (!p->org_path && fq_stmt_text(st, 3)))
				err = FQ_ERR_NOMEM;
		}
		fq_stmt_done(st);
		if (!err && rc < 0)
			err = (enum fq_err)-rc;
		for (size_t i = 0; i < n && !err; i++)
			err = pg_index(db, page[i].id, page[i].narrative, page[i].address,
				       page[i].org_path);
		pending_free(page, n);
	} while (!err && n == REBUILD_PAGE);
	free(page);
	if (!err)
		err = pg_script(db, index_sql);
	free(index_sql);
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

/* The MATCH (SQLite) or tsquery (PostgreSQL) text: every token, ANDed, and
 * the scope key when there is one. */
static enum fq_err match_text(const struct fq_db *db, const struct fq_search_query *query,
			      const char *scope_key, struct fq_buf *b)
{
	enum fq_err err = FQ_OK;

	if (scope_key && is_pg(db))
		err = add_lexeme(b, scope_key, strlen(scope_key));
	else if (scope_key)
		err = fq_buf_addf(b, "\"%c%s\"", FQ_SEARCH_FTS5_SCOPE_MARK, scope_key);

	for (size_t i = 0; i < query->ntokens && !err; i++) {
		const char *t = query->tokens[i];

		if (is_pg(db)) {
			if (b->len)
				err = fq_buf_adds(b, " &");
			if (!err)
				err = add_lexeme(b, t, strlen(t));
			continue;
		}
		/* An FTS5 string: "…" with " doubled (tokens hold none). */
		err = fq_buf_adds(b, b->len ? " \"" : "\"");
		for (const char *p = t; *p && !err; p++)
			err = *p == '"' ? fq_buf_adds(b, "\"\"") : fq_buf_add(b, p, 1);
		if (!err)
			err = fq_buf_add(b, "\"", 1);
	}
	return err;
}

/* Scores the rows (id, narrative, address_text) of st into found[*n …]. */
static enum fq_err score_rows(struct fq_stmt *st, const struct fq_search_query *query,
			      struct candidate *found, size_t *n)
{
	int rc = 0;

	while (*n < FQ_SEARCH_CANDIDATES && (rc = fq_stmt_next(st)) == 1) {
		found[*n].id = fq_stmt_int(st, 0);
		found[*n].score =
			fq_search_score(query, fq_stmt_text(st, 1), fq_stmt_text(st, 2));
		(*n)++;
	}
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

/* SQLite: the newest matches in scope, newest first. FTS5 walks its index
 * backwards and stops at the limit; each match is looked up in incidents
 * for the exact scope test (CROSS JOIN keeps the index the outer loop).
 * First without the scope key: a scope holding most of the matches (a
 * station) is cheaper to filter than to intersect with its key, and a rare
 * term's matches are all read at once. When the newest SQLITE_WINDOW matches
 * hold too few in scope (as the first SQLITE_SAMPLE of them tell), the scope
 * is narrow: the key narrows the walk. */
#define SQLITE_WINDOW 2000
#define SQLITE_SAMPLE 200
_Static_assert(SQLITE_WINDOW >= FQ_SEARCH_CANDIDATES, "found[] holds a window");

static enum fq_err sqlite_candidates(struct fq_db *db, const char *match, const char *keyed,
				     const struct fq_search_query *query, const char *lo,
				     const char *hi, struct candidate *found, size_t *n)
{
	struct fq_stmt *st;
	int64_t prev = INT64_MAX, rows = 0;
	bool ordered = true, narrow = false;
	enum fq_err err;
	int rc;

	err = fq_db_query(db, &st,
			  "SELECT i.id, i.org_path >= ?2 AND i.org_path < ?3, i.narrative,"
			  " i.address_text FROM (SELECT rowid FROM incident_search"
			  " WHERE incident_search MATCH ?1 ORDER BY rowid DESC LIMIT ?4) s"
			  " CROSS JOIN incidents i ON i.id = s.rowid",
			  "sssi", match, lo, hi, (int64_t)SQLITE_WINDOW);
	if (err)
		return err;
	/* The rows come newest first (the subquery runs as a co-routine);
	 * should a plan ever change that, all of them are read and sorted. */
	while ((rc = fq_stmt_next(st)) == 1) {
		int64_t id = fq_stmt_int(st, 0);

		rows++;
		ordered = ordered && id < prev;
		prev = id;
		if (fq_stmt_int(st, 1) && *n < SQLITE_WINDOW) {
			found[*n].id = id;
			found[*n].score =
				fq_search_score(query, fq_stmt_text(st, 2), fq_stmt_text(st, 3));
			(*n)++;
		}
		if (ordered && *n >= FQ_SEARCH_CANDIDATES)
			break;
		/* At this rate the window holds too few: ask with the key. */
		if (ordered && keyed && rows >= SQLITE_SAMPLE &&
		    (int64_t)*n * SQLITE_WINDOW < (int64_t)FQ_SEARCH_CANDIDATES * rows) {
			narrow = true;
			break;
		}
	}
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (!ordered) {
		qsort(found, *n, sizeof(*found), candidate_id_cmp);
		if (*n > FQ_SEARCH_CANDIDATES)
			*n = FQ_SEARCH_CANDIDATES;
	}
	if (!narrow && (*n >= FQ_SEARCH_CANDIDATES || rows < SQLITE_WINDOW))
		return FQ_OK;
	*n = 0;
	err = fq_db_query(
		db, &st,
		"SELECT i.id, i.narrative, i.address_text"
		" FROM incident_search s CROSS JOIN incidents i ON i.id = s.rowid"
		" WHERE incident_search MATCH ?1 AND i.org_path >= ?2 AND i.org_path < ?3"
		" ORDER BY s.rowid DESC LIMIT ?4",
		"sssi", keyed ? keyed : match, lo, hi, (int64_t)FQ_SEARCH_CANDIDATES);
	if (err)
		return err;
	err = score_rows(st, query, found, n);
	fq_stmt_done(st);
	return err;
}

/*
 * PostgreSQL. A GIN index finds every match at once and in no order: the
 * newest 500 of a term in 700,000 incidents would mean reading 700,000 rows,
 * and PostgreSQL's estimates for ANDed bigrams (which always come together)
 * are too far off to let it choose a plan. So each incident's tsvector also
 * holds recency keys "<scope>#L:n" (see recency_key; no text token holds a
 * '/' or a '#'), and the search asks for ranges of ids, newest first: the
 * query's tokens ANDed with the keys of the aligned blocks that make up the
 * range in the caller's scope. The index then reads only the entries of
 * those blocks. Ranges grow four times larger each time until enough
 * matches are in hand; once the matches seen so far say the rest of the ids
 * holds few, one last query (the tokens and the scope key) takes all of
 * them. Every range is read whole, so the result is exactly the newest
 * matches, as on SQLite.
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

/* Runs SELECT incident_id … WHERE tokens @@ tsquery and appends the ids below
 * `below`, newest first. */
static enum fq_err pg_matches(struct fq_db *db, const char *tsquery, int64_t below,
			      int64_t **ids, size_t *n, size_t *cap)
{
	struct fq_stmt *st;
	size_t before = *n;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT incident_id FROM incident_search"
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

/* The ids of the newest matches of the tokens (tsquery text) within the
 * scope of key (NULL: the whole tree), newest first, at least
 * FQ_SEARCH_CANDIDATES when there are as many; rest is the tsquery of the
 * tokens and the scope key. */
static enum fq_err pg_newest(struct fq_db *db, const char *tokens, const char *key,
			     const char *rest, int64_t **ids, size_t *n)
{
	const char *scope = key ? key : "/";
	struct fq_buf probe;
	struct fq_stmt *st;
	size_t cap = 0;
	int64_t top, probed = 0, want = (int64_t)1 << RECENT_MIN_LEVEL;
	int rc;
	enum fq_err err = fq_db_query(db, &st, "SELECT max(incident_id) FROM incident_search",
				      NULL);

	*n = 0;
	if (err)
		return err;
	rc = fq_stmt_next(st);
	top = rc == 1 && !fq_stmt_null(st, 0) ? fq_stmt_int(st, 0) : -1;
	fq_stmt_done(st);
	if (rc < 0)
		return (enum fq_err)-rc;
	if (top < 0)
		return FQ_OK; /* an empty index */
	/* top: the ids below it are still to be read, a multiple of the
	 * smallest block. */
	top = ((top >> RECENT_MIN_LEVEL) + 1) << RECENT_MIN_LEVEL;
	fq_buf_init(&probe, 64 * 1024);
	for (int probes = 0; !err && top > 0 && *n < FQ_SEARCH_CANDIDATES; probes++) {
		int64_t cover = 0;

		/* The rest of the ids seem to hold few matches: all of them at once. */
		if (probes == PROBE_MAX ||
		    (probed >= ((int64_t)1 << 13) &&
		     (double)*n / (double)probed * (double)top < FQ_SEARCH_CANDIDATES / 2.0)) {
			err = pg_matches(db, rest, top, ids, n, &cap);
			break;
		}
		/* The next `want` ids below top, as aligned blocks ORed: the
		 * largest block that fits at each step. */
		fq_buf_reset(&probe);
		err = fq_buf_adds(&probe, tokens);
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
				err = (enum fq_err)recency_key(&probe, scope, strlen(scope), level,
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

/* PostgreSQL: the newest matches in scope with their texts. tokens: the
 * tsquery text of the query's tokens; rest: the same ANDed with the scope
 * key, if any. */
static enum fq_err pg_candidates(struct fq_db *db, const char *tokens, const char *rest,
				 const struct fq_search_query *query, const char *key,
				 const char *lo, const char *hi, struct candidate *found,
				 size_t *n)
{
	struct fq_stmt *st;
	struct fq_buf list;
	int64_t *ids = NULL;
	size_t nids = 0;
	enum fq_err err;

	if (!key && (strcmp(lo, "/") || strcmp(hi, "0"))) {
		/* A range that is not one unit's (never asked for by the API): the
		 * planner's choice, exact but not fast. */
		err = fq_db_query(db, &st,
				  "SELECT i.id, i.narrative, i.address_text"
				  " FROM incident_search s JOIN incidents i ON i.id = s.incident_id"
				  " WHERE s.tokens @@ CAST(?1 AS tsquery) AND i.org_path >= ?2"
				  " AND i.org_path < ?3 ORDER BY s.incident_id DESC LIMIT ?4",
				  "sssi", tokens, lo, hi, (int64_t)FQ_SEARCH_CANDIDATES);
		if (!err) {
			err = score_rows(st, query, found, n);
			fq_stmt_done(st);
		}
		return err;
	}
	err = pg_newest(db, tokens, key, rest, &ids, &nids);
	if (err || !nids) {
		free(ids);
		return err;
	}
	if (nids > FQ_SEARCH_CANDIDATES)
		nids = FQ_SEARCH_CANDIDATES;
	/* Their texts, the ids as a bigint[] literal; the scope is checked again
	 * on the incidents themselves. */
	fq_buf_init(&list, 32 * FQ_SEARCH_CANDIDATES);
	err = fq_buf_add(&list, "{", 1);
	for (size_t i = 0; i < nids && !err; i++)
		err = fq_buf_addf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	if (!err)
		err = fq_buf_add(&list, "}", 1);
	free(ids);
	if (!err)
		err = fq_db_query(db, &st,
				  "SELECT id, narrative, address_text FROM incidents"
				  " WHERE id = ANY (CAST(?1 AS bigint[]))"
				  " AND org_path >= ?2 AND org_path < ?3",
				  "sss", list.ptr, lo, hi);
	fq_buf_release(&list);
	if (err)
		return err;
	err = score_rows(st, query, found, n);
	fq_stmt_done(st);
	return err;
}

json_t *fq_search_incidents(struct fq_db *db, const char *q, const char *lo, const char *hi,
			    int64_t limit, int64_t offset, enum fq_err *err)
{
	struct fq_search_query query;
	struct candidate *found = NULL;
	const char *key = fq_search_scope_key(lo, hi);
	struct fq_buf match, keyed;
	json_t *ids = NULL;
	size_t n = 0;

	/* The tokens alone, and with the scope key. */
	fq_buf_init(&match, 64 * 1024);
	fq_buf_init(&keyed, 64 * 1024);
	*err = fq_search_query_parse(q, &query);
	if (!*err)
		*err = match_text(db, &query, NULL, &match);
	if (!*err && key)
		*err = match_text(db, &query, key, &keyed);
	if (*err)
		goto out;
	if (limit <= 0 || offset < 0 || offset >= FQ_SEARCH_CANDIDATES) {
		ids = json_array();
		*err = ids ? FQ_OK : FQ_ERR_NOMEM;
		goto out;
	}
	found = malloc(SQLITE_WINDOW * sizeof(*found));
	if (!found) {
		*err = FQ_ERR_NOMEM;
		goto out;
	}
	if (is_pg(db))
		*err = pg_candidates(db, match.ptr, key ? keyed.ptr : match.ptr, &query, key, lo,
				     hi, found, &n);
	else
		*err = sqlite_candidates(db, match.ptr, keyed.ptr, &query, lo, hi, found, &n);
	if (*err)
		goto out;
	qsort(found, n, sizeof(*found), candidate_cmp);
	ids = json_array();
	for (int64_t i = offset; ids && i < offset + limit && i < (int64_t)n; i++)
		if (json_array_append_new(ids, json_integer(found[i].id))) {
			json_decref(ids);
			ids = NULL;
		}
	if (!ids)
		*err = FQ_ERR_NOMEM;
out:
	free(found);
	fq_buf_release(&match);
	fq_buf_release(&keyed);
	fq_search_query_release(&query);
	return ids;
}
