/* Strings that carry their length, and bounded string helpers. */
#ifndef FQ_STR_H
#define FQ_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fq_str {
	const char *ptr;
	size_t len;
};

#define FQ_STR(lit) ((struct fq_str){(lit), sizeof(lit) - 1})

struct fq_str fq_str_from(const char *s); /* s may be NULL: an empty string */
bool fq_str_eq(struct fq_str a, const char *b);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t fq_strlcpy(char *dst, const char *src, size_t size);

/* Parses a whole decimal integer in [min, max]; false on anything else
 * (empty, sign only, trailing text, out of range). */
bool fq_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Number of code points if s is valid UTF-8 of len bytes, else -1. Rejects
 * overlong forms, surrogates and NUL. */
long fq_utf8_len(const char *s, size_t len);

/* Replaces control characters (C0, DEL) by '?' in place, for log lines. */
void fq_str_sanitize(char *s);

/* Constant-time comparison of two byte strings of equal length. */
bool fq_ct_equal(const void *a, const void *b, size_t len);

#endif
