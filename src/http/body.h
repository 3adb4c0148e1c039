/* Decoding a JSON request body within limits: nesting depth, string length
 * and list length. Errors name the field ("tags[3]", "address.street"). */
#ifndef FQ_BODY_H
#define FQ_BODY_H

#include <stddef.h>

#include "core/err.h"

typedef struct json_t json_t;

struct fq_body_limits {
	size_t max_depth;
	size_t max_string; /* bytes */
	size_t max_list;
};

/* Parses body into *out (a new reference). FQ_ERR_BAD_REQUEST for malformed
 * JSON or too deep nesting, FQ_ERR_INVALID for a string or list over its
 * limit; *e says where. */
enum fq_err fq_body_parse(const char *body, size_t len, const struct fq_body_limits *lim,
			  json_t **out, struct fq_error *e);

#endif
