/* Compact JSON text of a jansson value (see json_write.h). */
#include "core/json_write.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 2048

/* Appends n bytes; the buffer keeps its NUL at the end only once the whole
 * text is written (fq_json_write). */
static inline enum fq_err put(struct fq_buf *b, const void *data, size_t n)
{
	if (b->cap - b->len <= n) {
		enum fq_err err = fq_buf_reserve(b, n);
		if (err)
			return err;
	}
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	return FQ_OK;
}

#define PUT_LITERAL(b, s) put(b, s, sizeof(s) - 1)

/* What each byte becomes inside a JSON string: 0 itself, 'u' \u00XX, or the
 * letter after the backslash. Bytes from 0x80 are parts of UTF-8 characters
 * and stay as they are, as jansson leaves them without JSON_ENSURE_ASCII. */
static const char escape_of[256] = {
	['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	[0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u',
	[0x06] = 'u', [0x07] = 'u', [0x0b] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u',
	[0x11] = 'u', [0x12] = 'u', [0x13] = 'u', [0x14] = 'u', [0x15] = 'u', [0x16] = 'u',
	[0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u',
	[0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u', ['"'] = '"', ['\\'] = '\\',
};

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether any of the 8 bytes of w needs an escape: below 0x20, '"' or '\'.
 * (x - ONES*n) & ~x & HIGHS is non-zero when a byte of x is below n
 * (n <= 0x80); a byte equal to c is a zero byte of w ^ (ONES*c). */
static inline bool word_needs_escape(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), s = w ^ (ONES * '\\');

	return (((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((s - ONES) & ~s)) & HIGHS;
}

static enum fq_err write_string(struct fq_buf *b, const char *s, size_t len)
{
	enum fq_err err = PUT_LITERAL(b, "\"");
	size_t run = 0, i = 0; /* run: start of the bytes not yet copied */

	while (!err && i < len) {
		char e, esc[8];
		size_t n = 2;
		uint64_t w;

		/* eight bytes at a time while none needs an escape */
		while (i + 8 <= len && (memcpy(&w, s + i, 8), !word_needs_escape(w)))
			i += 8;
		if (i >= len)
			break;
		if (!(e = escape_of[(unsigned char)s[i]])) {
			i++;
			continue;
		}
		esc[0] = '\\';
		esc[1] = e;
		if (e == 'u')
			n = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", (unsigned char)s[i]);
		err = put(b, s + run, i - run);
		if (!err)
			err = put(b, esc, n);
		run = ++i;
	}
	if (!err)
		err = put(b, s + run, len - run);
	return err ? err : PUT_LITERAL(b, "\"");
}

/* As jansson: "%.17g", with ".0" added when it would read as an integer,
 * and the exponent without "+" or leading zeros (1e+300 is 1e300, 1e-05
 * is 1e-5). */
static enum fq_err write_real(struct fq_buf *b, double d)
{
	char text[40], *e;
	int n = snprintf(text, sizeof(text), "%.17g", d);

	if (n <= 0 || (size_t)n >= sizeof(text) - 2)
		return FQ_ERR_INVALID;
	if ((e = strchr(text, 'e'))) {
		char *digits = e + 1, *from;

		if (*digits == '-')
			digits++;
		from = digits;
		if (*from == '+')
			from++;
		while (from[0] == '0' && from[1])
			from++;
		if (from != digits)
			memmove(e[1] == '+' ? e + 1 : digits, from, strlen(from) + 1);
		n = (int)strlen(text);
	} else if (!strchr(text, '.')) {
		memcpy(text + n, ".0", 3);
		n += 2;
	}
	return put(b, text, (size_t)n);
}

static enum fq_err write_integer(struct fq_buf *b, json_int_t v)
{
	char text[24], *p = text + sizeof(text);
	/* as unsigned, so that the lowest value negates */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return put(b, p, (size_t)(text + sizeof(text) - p));
}

static enum fq_err write_value(struct fq_buf *b, const json_t *v, int depth)
{
	enum fq_err err = FQ_OK;

	if (depth > MAX_DEPTH)
		return FQ_ERR_INVALID;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *item;
		bool first = true;

		err = PUT_LITERAL(b, "{");
		/* Cast: jansson's iteration macros take a non-const object. */
		json_object_foreach((json_t *)v, key, item) {
			if (!err && !first)
				err = PUT_LITERAL(b, ",");
			if (!err)
				err = write_string(b, key, strlen(key));
			if (!err)
				err = PUT_LITERAL(b, ":");
			if (!err)
				err = write_value(b, item, depth + 1);
			if (err)
				return err;
			first = false;
		}
		return err ? err : PUT_LITERAL(b, "}");
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		err = PUT_LITERAL(b, "[");
		for (size_t i = 0; !err && i < n; i++) {
			if (i)
				err = PUT_LITERAL(b, ",");
			if (!err)
				err = write_value(b, json_array_get(v, i), depth + 1);
		}
		return err ? err : PUT_LITERAL(b, "]");
	}
	case JSON_STRING:
		return write_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return write_integer(b, json_integer_value(v));
	case JSON_REAL:
		return write_real(b, json_real_value(v));
	case JSON_TRUE:
		return PUT_LITERAL(b, "true");
	case JSON_FALSE:
		return PUT_LITERAL(b, "false");
	case JSON_NULL:
		return PUT_LITERAL(b, "null");
	}
	return FQ_ERR_INVALID;
}

enum fq_err fq_json_write(struct fq_buf *b, const json_t *v)
{
	enum fq_err err = v ? write_value(b, v, 0) : FQ_ERR_INVALID;

	if (!err && !b->ptr)
		err = fq_buf_reserve(b, 0);
	if (!err)
		b->ptr[b->len] = '\0';
	return err;
}

/* The NUL after the text, which put() leaves out. */
static enum fq_err terminate(struct fq_buf *b, enum fq_err err)
{
	if (!err && !b->ptr)
		err = fq_buf_reserve(b, 0);
	if (!err)
		b->ptr[b->len] = '\0';
	return err;
}

enum fq_err fq_json_write_str(struct fq_buf *b, const char *s)
{
	return terminate(b, s ? write_string(b, s, strlen(s)) : PUT_LITERAL(b, "null"));
}

enum fq_err fq_json_write_int(struct fq_buf *b, int64_t v)
{
	return terminate(b, write_integer(b, (json_int_t)v));
}

char *fq_json_dumps(const json_t *v, size_t flags)
{
	size_t n = v ? json_dumpb(v, NULL, 0, flags) : 0;
	char *text = n ? malloc(n + 1) : NULL;

	if (text && json_dumpb(v, text, n, flags) != n) {
		free(text);
		return NULL;
	}
	if (text)
		text[n] = '\0';
	return text;
}
