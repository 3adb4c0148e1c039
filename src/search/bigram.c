/* The Chinese full-text tokenizer (see bigram.h). One pass over the text, no
 * allocation: a CJK token is a slice of the input, a word is folded into a
 * small buffer. */
#include "search/bigram.h"

#include <stdbool.h>
#include <stdint.h>

#include "core/banned.h"

enum cls { CLS_SEP, CLS_CJK, CLS_WORD };

/* Decodes one code point of valid UTF-8 (no overlong forms, surrogates or
 * values past U+10FFFF); returns its length, or 0 when s does not start one. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff) ||   /* CJK unified ideographs */
	       (c >= 0x3400 && c <= 0x4dbf) ||   /* extension A */
	       (c >= 0x20000 && c <= 0x323af) || /* extensions B–H, compatibility supplement */
	       (c >= 0xf900 && c <= 0xfaff) ||   /* compatibility ideographs */
	       c == 0x3005 || c == 0x3007 ||     /* 々 〇 */
	       (c >= 0x3041 && c <= 0x309f) ||   /* hiragana */
	       (c >= 0x30a0 && c <= 0x30fa) ||   /* katakana (not the middle dot) */
	       (c >= 0x30fc && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) ||
	       (c >= 0xac00 && c <= 0xd7a3) ||   /* hangul syllables */
	       (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3131 && c <= 0x318e); /* jamo */
}

/* The class of a code point; a word character becomes its lower-case ASCII
 * byte in *cp. */
static enum cls classify(uint32_t *cp)
{
	uint32_t c = *cp;

	if (c >= 0xff01 && c <= 0xff5e) /* full-width ASCII forms */
		c -= 0xfee0;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		*cp = c;
		return CLS_WORD;
	}
	return is_cjk(c) ? CLS_CJK : CLS_SEP;
}

struct tokenizer {
	const char *text;
	enum fq_bigram_mode mode;
	size_t max, count;
	bool full;
	fq_bigram_fn fn;
	void *arg;
	/* the current CJK run */
	size_t run_chars, run_start, prev_start, run_end;
	/* the current word: its folded bytes and where each came from */
	bool in_word;
	size_t word_len, word_end;
	char word[FQ_BIGRAM_MAX_WORD];
	size_t word_at[FQ_BIGRAM_MAX_WORD + 1];
};

static int emit(struct tokenizer *t, const char *p, size_t len, size_t start, size_t end)
{
	struct fq_bigram_token tok = {p, len, start, end, t->count};

	if (t->count >= t->max) {
		t->full = true;
		return 0;
	}
	t->count++;
	return t->fn(t->arg, &tok);
}

static int emit_span(struct tokenizer *t, size_t start, size_t end)
{
	return emit(t, t->text + start, end - start, start, end);
}

/* A CJK character at [start, end) continues (or starts) the run. */
static int cjk_char(struct tokenizer *t, size_t start, size_t end)
{
	int rc = 0;

	if (t->run_chars && t->mode != FQ_BIGRAM_TERMS)
		rc = emit_span(t, t->prev_start, end);
	if (!rc && t->mode == FQ_BIGRAM_DOCUMENT)
		rc = emit_span(t, start, end);
	if (!t->run_chars)
		t->run_start = start;
	t->run_chars++;
	t->prev_start = start;
	t->run_end = end;
	return rc;
}

static int end_run(struct tokenizer *t)
{
	int rc = 0;

	if (t->mode == FQ_BIGRAM_TERMS)
		rc = emit_span(t, t->run_start, t->run_end);
	else if (t->mode == FQ_BIGRAM_QUERY && t->run_chars == 1)
		rc = emit_span(t, t->run_start, t->run_end);
	t->run_chars = 0;
	return rc;
}

static void word_char(struct tokenizer *t, char c, size_t start, size_t end)
{
	if (!t->in_word) {
		t->in_word = true;
		t->word_len = 0;
	}
	if (t->word_len < FQ_BIGRAM_MAX_WORD) {
		t->word_at[t->word_len] = start;
		t->word[t->word_len++] = c;
		t->word_end = end;
		t->word_at[t->word_len] = end;
	}
}

/* A word is indexed whole and, past FQ_BIGRAM_PART letters, as each of its
 * parts of that length; a query asks for the whole word up to that length,
 * its parts past it (a document holding it holds them all). */
static int end_word(struct tokenizer *t)
{
	size_t n = t->word_len;
	int rc = 0;

	t->in_word = false;
	if (t->mode != FQ_BIGRAM_QUERY || n <= FQ_BIGRAM_PART)
		rc = emit(t, t->word, n, t->word_at[0], t->word_end);
	if (t->mode == FQ_BIGRAM_TERMS || n <= FQ_BIGRAM_PART)
		return rc;
	for (size_t i = 0; i + FQ_BIGRAM_PART <= n && !rc; i++)
		rc = emit(t, t->word + i, FQ_BIGRAM_PART, t->word_at[i],
			  t->word_at[i + FQ_BIGRAM_PART]);
	return rc;
}

int fq_bigram_tokenize(const char *text, size_t len, enum fq_bigram_mode mode, size_t max_tokens,
		       fq_bigram_fn fn, void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	struct tokenizer t = {
		.text = text,
		.mode = mode,
		.max = max_tokens ? max_tokens : FQ_BIGRAM_MAX_TOKENS,
		.fn = fn,
		.arg = arg,
	};
	size_t i = 0;
	int rc = 0;

	while (i < len && !rc && !t.full) {
		uint32_t cp = 0;
		size_t n = decode(s + i, len - i, &cp);
		enum cls cls = n ? classify(&cp) : CLS_SEP;

		if (!n)
			n = 1; /* an invalid byte separates */
		if (cls != CLS_CJK && t.run_chars)
			rc = end_run(&t);
		if (!rc && cls != CLS_WORD && t.in_word)
			rc = end_word(&t);
		if (!rc && cls == CLS_CJK)
			rc = cjk_char(&t, i, i + n);
		else if (!rc && cls == CLS_WORD)
			word_char(&t, (char)cp, i, i + n);
		i += n;
	}
	if (!rc && t.run_chars)
		rc = end_run(&t);
	if (!rc && t.in_word)
		rc = end_word(&t);
	return rc;
}
