/* Full-text queries, ranking and highlighting (see query.h). */
#include "search/query.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "search/bigram.h"
#include "core/banned.h"

#define MAX_RANGES 256 /* highlighted ranges of one text */

/* Adds a distinct copy of tok to list (full lists ignore it). */
static int add_distinct(char **list, size_t *n, size_t max, const struct fq_bigram_token *tok)
{
	char *copy;

	for (size_t i = 0; i < *n; i++)
		if (strlen(list[i]) == tok->len && !memcmp(list[i], tok->text, tok->len))
			return 0;
	if (*n >= max)
		return 0;
	copy = malloc(tok->len + 1);
	if (!copy)
		return FQ_ERR_NOMEM;
	memcpy(copy, tok->text, tok->len);
	copy[tok->len] = '\0';
	list[(*n)++] = copy;
	return 0;
}

static int add_token(void *arg, const struct fq_bigram_token *tok)
{
	struct fq_search_query *q = arg;

	return add_distinct(q->tokens, &q->ntokens, FQ_SEARCH_MAX_TOKENS, tok);
}

static int add_term(void *arg, const struct fq_bigram_token *tok)
{
	struct fq_search_query *q = arg;

	return add_distinct(q->terms, &q->nterms, FQ_SEARCH_MAX_TERMS, tok);
}

enum fq_err fq_search_query_parse(const char *q, struct fq_search_query *out)
{
	size_t len = q ? strlen(q) : 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fq_bigram_tokenize(q, len, FQ_BIGRAM_QUERY, 0, add_token, out);
	if (!rc)
		rc = fq_bigram_tokenize(q, len, FQ_BIGRAM_TERMS, 0, add_term, out);
	if (rc)
		return (enum fq_err)rc;
	return out->ntokens ? FQ_OK : FQ_ERR_INVALID;
}

void fq_search_query_release(struct fq_search_query *query)
{
	for (size_t i = 0; i < query->ntokens; i++)
		free(query->tokens[i]);
	for (size_t i = 0; i < query->nterms; i++)
		free(query->terms[i]);
	memset(query, 0, sizeof(*query));
}

enum fq_err fq_search_check(const char *q, struct fq_error *e)
{
	struct fq_search_query query;
	enum fq_err err = fq_search_query_parse(q, &query);

	fq_search_query_release(&query);
	if (err == FQ_ERR_INVALID)
		return fq_fail(e, err, NULL, "q", "%s", FQ_SEARCH_NO_TOKENS);
	if (err)
		return fq_fail(e, err, NULL, NULL, NULL);
	return FQ_OK;
}

int fq_search_scope_keys(const char *org_path, size_t len, fq_bigram_fn fn, void *arg)
{
	size_t index = 0;
	int rc = 0;

	if (!org_path || !len || org_path[0] != '/')
		return 0;
	for (size_t i = 1; i < len && !rc; i++) {
		if (org_path[i] == '/') {
			struct fq_bigram_token tok = {org_path, i + 1, 0, i + 1, index++};

			rc = fn(arg, &tok);
		}
	}
	return rc;
}

const char *fq_search_scope_key(const char *lo, const char *hi)
{
	size_t n = lo ? strlen(lo) : 0;

	if (n < 3 || lo[0] != '/' || lo[n - 1] != '/' || !hi || strlen(hi) != n ||
	    strncmp(lo, hi, n - 1) || hi[n - 1] != '0')
		return NULL;
	return lo;
}

/* A term is a CJK run (bytes ≥ 0x80) or a word (ASCII). */
static bool is_run(const char *term)
{
	return (unsigned char)term[0] >= 0x80;
}

/* Calls found(arg, start, end) for each whole occurrence of term in the text
 * token tok (byte offsets in the text): a place inside a CJK run or a word
 * (12345 in a12345), not overlapping the previous one. A word's bytes are
 * folded (lower case, full-width read as ASCII): the offsets map each folded
 * byte back through tok's range, one input character per byte. */
typedef void (*found_fn)(void *arg, size_t start, size_t end);

/* The byte offset in text of the character k characters after byte start. */
static size_t skip_chars(const char *text, size_t start, size_t end, size_t k)
{
	size_t i = start;

	while (k && i < end) {
		i++;
		while (i < end && ((unsigned char)text[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static void find_in_token(const char *term, const struct fq_bigram_token *tok, const char *text,
			  found_fn found, void *arg)
{
	size_t n = strlen(term), at = 0;
	bool word = !is_run(term);

	if (word && is_run(tok->text))
		return;
	while (at + n <= tok->len) {
		const char *p = memmem(tok->text + at, tok->len - at, term, n);
		size_t s, e;

		if (!p)
			break;
		at = (size_t)(p - tok->text);
		s = tok->start + at;
		e = s + n;
		if (word) {
			s = skip_chars(text, tok->start, tok->end, at);
			e = skip_chars(text, s, tok->end, n);
		}
		found(arg, s, e);
		at += n;
	}
}

/* ---- ranking ---- */

struct counter {
	const struct fq_search_query *query;
	const char *text;
	int counts[FQ_SEARCH_MAX_TERMS];
	size_t term;
};

static void count_one(void *arg, size_t start, size_t end)
{
	struct counter *c = arg;

	(void)start;
	(void)end;
	c->counts[c->term]++;
}

static int count_token(void *arg, const struct fq_bigram_token *tok)
{
	struct counter *c = arg;

	for (c->term = 0; c->term < c->query->nterms; c->term++)
		find_in_token(c->query->terms[c->term], tok, c->text, count_one, c);
	return 0;
}

static void count_terms(const struct fq_search_query *query, const char *text,
			int counts[FQ_SEARCH_MAX_TERMS])
{
	struct counter c = {.query = query, .text = text};

	if (text)
		fq_bigram_tokenize(text, strlen(text), FQ_BIGRAM_TERMS, 0, count_token, &c);
	memcpy(counts, c.counts, sizeof(c.counts));
}

int64_t fq_search_score(const struct fq_search_query *query, const char *narrative,
			const char *address_text)
{
	int narr[FQ_SEARCH_MAX_TERMS], addr[FQ_SEARCH_MAX_TERMS];
	int64_t score = 0;

	count_terms(query, narrative, narr);
	count_terms(query, address_text, addr);
	for (size_t i = 0; i < query->nterms; i++) {
		int n = narr[i] < FQ_SEARCH_MAX_COUNTED ? narr[i] : FQ_SEARCH_MAX_COUNTED;

		score += (int64_t)n * FQ_SEARCH_NARRATIVE_POINTS;
		if (addr[i])
			score += FQ_SEARCH_ADDRESS_POINTS;
	}
	return score;
}

/* ---- terms and highlighting ---- */

json_t *fq_search_terms(const char *q)
{
	struct fq_search_query query;
	enum fq_err err = fq_search_query_parse(q, &query);
	json_t *arr = NULL;

	if (err == FQ_OK || err == FQ_ERR_INVALID)
		arr = json_array();
	for (size_t i = 0; arr && i < query.nterms; i++)
		if (json_array_append_new(arr, json_string(query.terms[i]))) {
			json_decref(arr);
			arr = NULL;
		}
	fq_search_query_release(&query);
	return arr;
}

struct range {
	size_t start, end;
};

struct marker {
	const struct fq_search_query *query;
	const char *text;
	struct range ranges[MAX_RANGES];
	size_t n;
};

static void mark_one(void *arg, size_t start, size_t end)
{
	struct marker *m = arg;

	if (m->n < MAX_RANGES)
		m->ranges[m->n++] = (struct range){start, end};
}

static int mark_token(void *arg, const struct fq_bigram_token *tok)
{
	struct marker *m = arg;

	for (size_t i = 0; i < m->query->nterms; i++)
		find_in_token(m->query->terms[i], tok, m->text, mark_one, m);
	return 0;
}

static int range_cmp(const void *pa, const void *pb)
{
	const struct range *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

/* UTF-16 code units of text[from, to): one per code point, two past U+FFFF
 * (lead byte 0xF0 or more); continuation bytes count nothing. */
static size_t utf16_units(const char *text, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

/* The byte ranges of text holding the terms of query, sorted and merged
 * where they touch, into m->ranges[0, return). */
static size_t mark_ranges(const struct fq_search_query *query, const char *text, struct marker *m)
{
	size_t merged = 0;

	m->query = query;
	m->text = text;
	m->n = 0;
	if (text)
		fq_bigram_tokenize(text, strlen(text), FQ_BIGRAM_TERMS, 0, mark_token, m);
	qsort(m->ranges, m->n, sizeof(m->ranges[0]), range_cmp);
	/* Overlapping terms (纠纷 and 邻里纠纷) become one range. */
	for (size_t i = 0; i < m->n; i++) {
		if (merged && m->ranges[i].start <= m->ranges[merged - 1].end) {
			if (m->ranges[i].end > m->ranges[merged - 1].end)
				m->ranges[merged - 1].end = m->ranges[i].end;
		} else {
			m->ranges[merged++] = m->ranges[i];
		}
	}
	return merged;
}

json_t *fq_search_highlight(const char *q, const char *text)
{
	struct fq_search_query query;
	struct marker *m = NULL;
	json_t *arr = NULL;
	enum fq_err err = fq_search_query_parse(q, &query);
	size_t pos = 0, units = 0, merged;

	if (err != FQ_OK && err != FQ_ERR_INVALID)
		goto out;
	arr = json_array();
	m = calloc(1, sizeof(*m));
	if (!arr || !m) {
		json_decref(arr);
		arr = NULL;
		goto out;
	}
	merged = mark_ranges(&query, text, m);
	for (size_t i = 0; i < merged; i++) {
		json_t *r;
		size_t start;

		units += utf16_units(text, pos, m->ranges[i].start);
		start = units;
		units += utf16_units(text, m->ranges[i].start, m->ranges[i].end);
		pos = m->ranges[i].end;
		r = json_pack("[II]", (json_int_t)start, (json_int_t)units);
		if (!r || json_array_append_new(arr, r)) {
			json_decref(arr);
			arr = NULL;
			break;
		}
	}
out:
	free(m);
	fq_search_query_release(&query);
	return arr;
}

/* ---- snippets ---- */

static enum fq_err add_escaped(struct fq_buf *b, const char *p, size_t len)
{
	enum fq_err err = FQ_OK;
	size_t run = 0;

	for (size_t i = 0; i < len && !err; i++) {
		const char *esc = p[i] == '&'	 ? "&amp;"
				  : p[i] == '<'	 ? "&lt;"
				  : p[i] == '>'	 ? "&gt;"
				  : p[i] == '"'	 ? "&quot;"
				  : p[i] == '\'' ? "&#39;"
						 : NULL;
		if (!esc)
			continue;
		err = fq_buf_add(b, p + run, i - run);
		if (!err)
			err = fq_buf_adds(b, esc);
		run = i + 1;
	}
	return err ? err : fq_buf_add(b, p + run, len - run);
}

/* The byte offset k characters before (k < 0) or after byte i of text. */
static size_t move_chars(const char *text, size_t len, size_t i, long k)
{
	for (; k < 0 && i > 0; k++) {
		i--;
		while (i > 0 && ((unsigned char)text[i] & 0xc0) == 0x80)
			i--;
	}
	for (; k > 0 && i < len; k--)
		i = skip_chars(text, i, len, 1);
	return i;
}

static bool snippet_has_match(const struct fq_search_query *query, const char *text,
			      struct marker *m)
{
	return text && mark_ranges(query, text, m) > 0;
}

char *fq_search_snippet(const char *q, const char *const *texts, size_t ntexts, size_t max_chars)
{
	struct fq_search_query query;
	struct marker *m = calloc(1, sizeof(*m));
	struct fq_buf b;
	const char *text = NULL;
	size_t len, from, to, merged, pos;
	enum fq_err err = fq_search_query_parse(q, &query);
	char *out = NULL;

	fq_buf_init(&b, 64 * 1024);
	if ((err && err != FQ_ERR_INVALID) || !m)
		goto done;
	for (size_t i = 0; i < ntexts && !text; i++)
		if (snippet_has_match(&query, texts[i], m))
			text = texts[i];
	for (size_t i = 0; i < ntexts && !text; i++)
		if (texts[i] && *texts[i])
			text = texts[i];
	if (!text)
		text = "";
	len = strlen(text);
	merged = mark_ranges(&query, text, m);
	/* A window of max_chars characters, the first match a third of the
	 * way in. */
	from = merged ? move_chars(text, len, m->ranges[0].start, -(long)(max_chars / 3)) : 0;
	to = move_chars(text, len, from, (long)max_chars);
	err = from ? fq_buf_adds(&b, "…") : FQ_OK;
	pos = from;
	for (size_t i = 0; i < merged && !err && m->ranges[i].start < to; i++) {
		size_t s = m->ranges[i].start < pos ? pos : m->ranges[i].start;
		size_t e = m->ranges[i].end < to ? m->ranges[i].end : to;

		if (e <= s)
			continue;
		err = add_escaped(&b, text + pos, s - pos);
		if (!err)
			err = fq_buf_adds(&b, "<mark>");
		if (!err)
			err = add_escaped(&b, text + s, e - s);
		if (!err)
			err = fq_buf_adds(&b, "</mark>");
		pos = e;
	}
	if (!err)
		err = add_escaped(&b, text + pos, to - pos);
	if (!err && to < len)
		err = fq_buf_adds(&b, "…");
	if (!err)
		out = strdup(b.ptr ? b.ptr : "");
done:
	fq_buf_release(&b);
	free(m);
	fq_search_query_release(&query);
	return out;
}
