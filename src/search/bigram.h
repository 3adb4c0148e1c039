/* The Chinese full-text tokenizer, written once and used by both stores: FTS5
 * calls it as the custom tokenizer "fq_bigram" (store/search_fts5.c) and the
 * PostgreSQL store builds its tsvector and tsquery text from it
 * (store/search_store.c), so both index and match the same tokens.
 *
 * Input is UTF-8; a byte that does not start a valid sequence is a separator.
 * Full-width ASCII forms (U+FF01–FF5E) are read as their ASCII letters first.
 *   - CJK ideographs, kana and hangul ("CJK" below): a run of them is indexed
 *     as every character and every overlapping pair of consecutive
 *     characters (bigram): 邻里纠纷 → 邻 邻里 里 里纠 纠 纠纷 纷.
 *   - ASCII letters and digits: a run is one word, lower-case, indexed whole
 *     and, when longer than FQ_BIGRAM_PART, as every part of that length
 *     (trigram): 渝A12345 → 渝 a12345 a12 123 234 345. A word is cut after
 *     FQ_BIGRAM_MAX_WORD bytes.
 *   - Everything else (spaces, punctuation, symbols, other scripts) separates.
 * A query run of two or more CJK characters gives only its bigrams (邻里纠纷
 * → 邻里 里纠 纠纷: a document holding the run holds them all); a run of one
 * gives the character. A query word longer than FQ_BIGRAM_PART gives only its
 * parts (12345 → 123 234 345: found in a12345), a shorter one itself (a word
 * of one or two letters is found whole only). */
#ifndef FQ_BIGRAM_H
#define FQ_BIGRAM_H

#include <stddef.h>

enum fq_bigram_mode {
	FQ_BIGRAM_DOCUMENT, /* characters, bigrams and words: what is indexed */
	FQ_BIGRAM_QUERY,    /* bigrams (a lone character alone) and words: what is matched */
	FQ_BIGRAM_TERMS,    /* whole CJK runs and words: what is ranked and highlighted */
};

/* Tokens of one text beyond this are dropped (a 10,000-character narrative
 * gives about 20,000). */
#define FQ_BIGRAM_MAX_TOKENS 32768
/* Bytes of a word; a longer one is cut (queries are cut the same way). */
#define FQ_BIGRAM_MAX_WORD 64
/* The length of the parts of a word that are indexed (trigrams). */
#define FQ_BIGRAM_PART 3

struct fq_bigram_token {
	const char *text; /* the token's bytes, not NUL-terminated; valid during the call */
	size_t len;
	size_t start, end; /* the byte range of the input it came from */
	size_t index;      /* 0, 1, 2 … in the order given */
};

/* Called for each token; a non-zero return stops the tokenizer, which returns
 * that value. */
typedef int (*fq_bigram_fn)(void *arg, const struct fq_bigram_token *tok);

/* Calls fn for each token of text[0, len) in text order, at most max_tokens
 * of them (0 = FQ_BIGRAM_MAX_TOKENS). Returns 0, or the first non-zero value
 * fn returned. */
int fq_bigram_tokenize(const char *text, size_t len, enum fq_bigram_mode mode, size_t max_tokens,
		       fq_bigram_fn fn, void *arg);

#endif
