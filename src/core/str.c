/* Strings with their length, bounded copies and number parsing, UTF-8
 * checks, control characters stripped. */
#include "core/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct fq_str fq_str_from(const char *s)
{
	return (struct fq_str){s ? s : "", s ? strlen(s) : 0};
}

bool fq_str_eq(struct fq_str a, const char *b)
{
	size_t n = strlen(b);
	return a.len == n && memcmp(a.ptr, b, n) == 0;
}

size_t fq_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

bool fq_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return false;
	*out = v;
	return true;
}

long fq_utf8_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	long n = 0;

	while (i < len) {
		unsigned c = s[i];
		unsigned cp, need;

		if (c == 0)
			return -1;
		if (c < 0x80) {
			i++;
			n++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			cp = c & 0x1F;
			need = 1;
		} else if ((c & 0xF0) == 0xE0) {
			cp = c & 0x0F;
			need = 2;
		} else if ((c & 0xF8) == 0xF0) {
			cp = c & 0x07;
			need = 3;
		} else {
			return -1;
		}
		if (i + need >= len)
			return -1;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += need + 1;
		n++;
	}
	return n;
}

void fq_str_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = '?';
}

bool fq_ct_equal(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
