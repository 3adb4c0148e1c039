/* Compact JSON text of a jansson value, byte for byte what
 * json_dumps(v, JSON_COMPACT) writes, at a fraction of its cost.
 *
 * Every answer of the API is encoded here. jansson's own encoder walks each
 * string one UTF-8 character at a time through several calls (measured with
 * callgrind: 6.5 million instructions for a page of 50 incidents, encoded
 * twice to learn its size); the strings of a json_t were checked when they
 * were made, so they only need the bytes that JSON escapes found, and the
 * text is written once into a growing buffer. */
#ifndef FQ_JSON_WRITE_H
#define FQ_JSON_WRITE_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"

/* Appends the text of v to b. FQ_ERR_TOO_LARGE past b's maximum,
 * FQ_ERR_NOMEM, or FQ_ERR_INVALID for a value nested deeper than jansson
 * allows (2048) or a real that is not finite; b may then hold part of it. */
enum fq_err fq_json_write(struct fq_buf *b, const json_t *v);

/* Pieces of a JSON text written without jansson values (the live board, whose
 * rows come straight from the store): a string (s valid UTF-8, as the store
 * keeps text; NULL writes null) and an integer, appended to b, which stays
 * NUL-terminated. Literal syntax ({, "key":, …) goes in with fq_buf_add.
 * FQ_ERR_TOO_LARGE past b's maximum, FQ_ERR_NOMEM. */
enum fq_err fq_json_write_str(struct fq_buf *b, const char *s);
enum fq_err fq_json_write_int(struct fq_buf *b, int64_t v);

/* json_dumps(v, flags), in memory of malloc's, to be given to free(). (The
 * text json_dumps returns comes from jansson's allocator, which is not
 * malloc's in the server (core/json_alloc.h): json_dumps is banned.) NULL
 * when out of memory or v cannot be encoded. */
char *fq_json_dumps(const json_t *v, size_t flags);

#endif
