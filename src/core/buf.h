/* A growable byte buffer with a named maximum: appending past the maximum fails
 * cleanly with FQ_ERR_TOO_LARGE and leaves the buffer as it was (curl dynbuf). */
#ifndef FQ_BUF_H
#define FQ_BUF_H

#include <stddef.h>

#include "core/err.h"

struct fq_buf {
	char *ptr; /* always NUL-terminated when not NULL */
	size_t len;
	size_t cap;
	size_t max;
};

void fq_buf_init(struct fq_buf *b, size_t max);
void fq_buf_release(struct fq_buf *b); /* frees the memory; b may be reused after init */
void fq_buf_reset(struct fq_buf *b);   /* len = 0, keeps memory */
enum fq_err fq_buf_add(struct fq_buf *b, const void *data, size_t len);
/* Makes room for extra more bytes (and the NUL) without adding them: a
 * writer may then fill ptr[len .. len + extra) itself and move len. */
enum fq_err fq_buf_reserve(struct fq_buf *b, size_t extra);
enum fq_err fq_buf_adds(struct fq_buf *b, const char *s);
enum fq_err fq_buf_addf(struct fq_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands the memory to the caller (to free()); b is empty afterwards. */
char *fq_buf_take(struct fq_buf *b);

#endif
