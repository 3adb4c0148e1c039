/* Accept-Encoding (encoding.h). */
#include "http/encoding.h"

#include <stdbool.h>
#include <stddef.h>
#include <strings.h>

#include "core/banned.h"

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '!' || c == '#' || c == '$' ||
	       c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '^' ||
	       c == '`' || c == '|' || c == '~';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
 * thousandths; -1 when malformed. *p moves past it. */
static int qvalue(const char **p)
{
	const char *s = *p;
	int q, scale = 100;

	if (*s != '0' && *s != '1')
		return -1;
	q = (*s++ - '0') * 1000;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && scale; s++, scale /= 10)
			q += (*s - '0') * scale;
		if (*s >= '0' && *s <= '9')
			return -1; /* more than three digits */
	}
	if (q > 1000)
		return -1;
	*p = s;
	return q;
}

/* The coding names a and b (len bytes of a) are the same coding. */
static bool same_coding(const char *a, size_t len, const char *b)
{
	size_t n = 0;

	while (b[n])
		n++;
	if (len == n && !strncasecmp(a, b, n))
		return true;
	/* x-gzip is gzip (RFC 9110 8.4.1.3) */
	return !strcasecmp(b, "gzip") && len == 6 && !strncasecmp(a, "x-gzip", 6);
}

int fq_http_coding_q(const char *accept, const char *coding)
{
	int own = -1, star = -1;
	const char *p = accept;
	bool identity = !strcasecmp(coding, "identity");

	while (p && *p) {
		const char *name;
		size_t len = 0;
		int q = 1000;
		bool bad = false;

		while (ows(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		name = p;
		while (token_char(*p))
			p++;
		len = (size_t)(p - name);
		bad = !len;
		/* parameters: only q counts */
		while (!bad) {
			while (ows(*p))
				p++;
			if (*p != ';')
				break;
			p++;
			while (ows(*p))
				p++;
			if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
				p += 2;
				q = qvalue(&p);
				bad = q < 0;
			} else {
				while (token_char(*p) || *p == '=' || *p == '"')
					p++;
			}
		}
		while (ows(*p))
			p++;
		if (*p && *p != ',')
			bad = true;
		while (*p && *p != ',')
			p++; /* the rest of a malformed entry */
		if (bad)
			continue;
		if (len == 1 && *name == '*')
			star = q;
		else if (same_coding(name, len, coding))
			own = q;
	}
	if (own >= 0)
		return own;
	if (star >= 0)
		return star;
	return identity ? 1000 : 0;
}
