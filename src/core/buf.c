/* Growable byte buffers with a named maximum that fail cleanly past it. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fq_buf_init(struct fq_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void fq_buf_release(struct fq_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void fq_buf_reset(struct fq_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static enum fq_err buf_grow(struct fq_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return FQ_ERR_TOO_LARGE;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return FQ_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->ptr, cap);
	if (!p)
		return FQ_ERR_NOMEM;
	b->ptr = p;
	b->cap = cap;
	return FQ_OK;
}

enum fq_err fq_buf_reserve(struct fq_buf *b, size_t extra)
{
	return buf_grow(b, extra);
}

enum fq_err fq_buf_add(struct fq_buf *b, const void *data, size_t len)
{
	enum fq_err err = buf_grow(b, len);

	if (err)
		return err;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return FQ_OK;
}

enum fq_err fq_buf_adds(struct fq_buf *b, const char *s)
{
	return fq_buf_add(b, s, strlen(s));
}

enum fq_err fq_buf_addf(struct fq_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	enum fq_err err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FQ_ERR_INTERNAL;
	err = buf_grow(b, (size_t)n);
	if (err)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return FQ_OK;
}

char *fq_buf_take(struct fq_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}
