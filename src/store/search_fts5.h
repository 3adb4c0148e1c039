/* The Chinese full-text tokenizer (search/bigram.h) as the FTS5 tokenizer
 * "fq_bigram" of a SQLite connection. store_sqlite.c registers it on every
 * connection it opens: a table made with tokenize='fq_bigram' cannot be read
 * or written without it (the sqlite3 shell answers "no such tokenizer"). */
#ifndef FQ_SEARCH_FTS5_H
#define FQ_SEARCH_FTS5_H

struct sqlite3;

/* A text starting with this byte (a control character, never in the texts
 * the API accepts) holds key tokens separated by spaces, not words: the keys
 * column of the index (scope and filter keys, store/search_store.c), or one
 * key in a query. Each is one token as it is. */
#define FQ_SEARCH_FTS5_SCOPE_MARK '\x1f'

/* Returns a SQLite result code: SQLITE_OK, or SQLITE_ERROR when this SQLite
 * has no FTS5. */
int fq_search_fts5_register(struct sqlite3 *h);

#endif
