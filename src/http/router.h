/* Matches a method and path against the route table. */
#ifndef FQ_ROUTER_H
#define FQ_ROUTER_H

#include <stddef.h>

#include "core/err.h"

struct fq_route;
struct fq_router;

/* Checks every row (a handler, a known permission, an action for writes) and
 * builds the router. A row without a permission cannot be registered: *e names
 * the route. */
enum fq_err fq_router_new(const struct fq_route *routes, int count, struct fq_router **out,
			  struct fq_error *e);
void fq_router_free(struct fq_router *router);

/* The route for method and path, with up to FQ_MAX_PARAMS path parameters
 * written to params. NULL when nothing matches; *method_mismatch is set when
 * the path exists under another method. */
const struct fq_route *fq_router_match(const struct fq_router *router, const char *method,
				       const char *path, const char **params, int *nparams,
				       char *param_buf, size_t param_buf_size,
				       int *method_mismatch);

int fq_router_index(const struct fq_router *router, const struct fq_route *route);
int fq_router_count(const struct fq_router *router);
const struct fq_route *fq_router_at(const struct fq_router *router, int i);

#endif
