/* A full-text query: its tokens (what the index is asked for, all of them
 * ANDed), its terms (the CJK runs and words as typed, for ranking and
 * highlighting), and the score of a found text. No store here: this is what
 * both stores share (store/search_store.c runs the query). */
#ifndef FQ_SEARCH_QUERY_H
#define FQ_SEARCH_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "search/bigram.h"

typedef struct json_t json_t;

/* Tokens and terms of a query past these are ignored. */
#define FQ_SEARCH_MAX_TOKENS 32
#define FQ_SEARCH_MAX_TERMS 16
/* The error message for a query without a token (field "q"). */
#define FQ_SEARCH_NO_TOKENS "give at least one letter, digit or Chinese character"

struct fq_search_query {
	/* FQ_BIGRAM_QUERY tokens, distinct, in query order (NUL-terminated). */
	char *tokens[FQ_SEARCH_MAX_TOKENS];
	size_t ntokens;
	/* FQ_BIGRAM_TERMS terms, distinct: 邻里纠纷, a12345. */
	char *terms[FQ_SEARCH_MAX_TERMS];
	size_t nterms;
};

/* Reads q (may be NULL). FQ_ERR_INVALID when it holds no token (nothing to
 * search for), FQ_ERR_NOMEM. Release *out in any case. */
enum fq_err fq_search_query_parse(const char *q, struct fq_search_query *out);
void fq_search_query_release(struct fq_search_query *query);

/* FQ_OK when q can be searched for; else FQ_ERR_INVALID with field "q" and
 * FQ_SEARCH_NO_TOKENS in *e (for the API's input checks). */
enum fq_err fq_search_check(const char *q, struct fq_error *e);

/* Scope keys (the index prefixes them with the record's type, see
 * store/search_store.c). A record is also indexed under its org path and every
 * shorter path it starts with (/1/2/3/ gives /1/ /1/2/ /1/2/3/), so a
 * search within the scope [/1/2/, /1/20) can ask the index for the key /1/2/
 * and skip the rest of the tree. Keys hold '/', which no text token does.
 * Calls fn for each key of org_path (len bytes); returns 0 or fn's first
 * non-zero value. */
int fq_search_scope_keys(const char *org_path, size_t len, fq_bigram_fn fn, void *arg);
/* The key standing for the scope range [lo, hi) (lo itself, NUL-terminated),
 * or NULL when the range is the whole tree or not the range of one org unit:
 * lo a path "/…/" and hi lo with its last '/' made '0'. */
const char *fq_search_scope_key(const char *lo, const char *hi);

/* How well a found record fits the query, ≥ 0, the same on every store:
 * per term, FQ_SEARCH_NARRATIVE_POINTS for each whole occurrence in the body
 * (an incident's narrative; at most FQ_SEARCH_MAX_COUNTED) and
 * FQ_SEARCH_ADDRESS_POINTS when the head (what names the record: an
 * address, a number, a name) holds it. A text that only holds a term's
 * bigrams apart (邻里… 里纠…纠纷) matches but scores nothing for that term.
 * A word term counts inside a word too (12345 in a12345). Texts may be
 * NULL. */
#define FQ_SEARCH_NARRATIVE_POINTS 2
#define FQ_SEARCH_MAX_COUNTED 3
#define FQ_SEARCH_ADDRESS_POINTS 5
int64_t fq_search_score(const struct fq_search_query *query, const char *body, const char *head);

/* The terms of q to mark in the app, as a new JSON array of strings (words in
 * lower case; match them without regard to case and width); an empty array
 * when q has none, NULL when out of memory. */
json_t *fq_search_terms(const char *q);

/* Where text holds the terms of q, as a new JSON array of [start, end]
 * ranges in UTF-16 code units (JavaScript string indexes; end exclusive),
 * sorted and not overlapping: text.slice(start, end) is a match. An empty
 * array when nothing matches or q has no terms; NULL when out of memory. */
json_t *fq_search_highlight(const char *q, const char *text);

/* A piece of HTML for a result list: at most max_chars characters of the
 * first of texts[0, ntexts) that holds a term of q (else the first that is
 * not empty), the first match a third of the way in, '…' where it is cut,
 * every character escaped (& < > " ') and each match as <mark>…</mark>.
 * Texts may be NULL. A new string to free(), NULL when out of memory. */
char *fq_search_snippet(const char *q, const char *const *texts, size_t ntexts, size_t max_chars);

#endif
