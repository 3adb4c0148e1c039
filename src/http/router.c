/* The router: checks the route table at start-up and matches a method and
 * path to a route. */
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "core/banned.h"
#include "http/request.h"
#include "http/route.h"

struct fq_router {
	const struct fq_route *routes;
	int count;
};

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

enum fq_err fq_router_new(const struct fq_route *routes, int count, struct fq_router **out,
			  struct fq_error *e)
{
	struct fq_router *rt;

	for (int i = 0; i < count; i++) {
		const struct fq_route *r = &routes[i];
		const char *what = r->path ? r->path : "(no path)";

		if (!r->method || !r->path || r->path[0] != '/' || !r->handler)
			return fq_fail(e, FQ_ERR_INTERNAL, "bad_route", NULL,
				       "route %d '%s' lacks a method, path or handler", i, what);
		if (!r->permission)
			return fq_fail(e, FQ_ERR_INTERNAL, "bad_route", NULL,
				       "route %s %s declares no permission", r->method, r->path);
		if (strcmp(r->permission, FQ_PERM_PUBLIC) &&
		    strcmp(r->permission, FQ_PERM_SIGNED_IN) &&
		    !fq_permission_known(r->permission))
			return fq_fail(e, FQ_ERR_INTERNAL, "bad_route", NULL,
				       "route %s %s needs unknown permission '%s'", r->method,
				       r->path, r->permission);
		if ((is_write(r->method) || (r->flags & FQ_AUDIT)) && !r->action)
			return fq_fail(e, FQ_ERR_INTERNAL, "bad_route", NULL,
				       "route %s %s is audited but names no action", r->method,
				       r->path);
		for (int j = 0; j < i; j++)
			if (!strcmp(routes[j].method, r->method) && !strcmp(routes[j].path, r->path))
				return fq_fail(e, FQ_ERR_INTERNAL, "bad_route", NULL,
					       "route %s %s is registered twice", r->method,
					       r->path);
	}
	rt = calloc(1, sizeof(*rt));
	if (!rt)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	rt->routes = routes;
	rt->count = count;
	*out = rt;
	return FQ_OK;
}

void fq_router_free(struct fq_router *rt)
{
	free(rt);
}

/* Matches pattern against path segment by segment; "{x}" takes one segment. */
static bool match_path(const char *pattern, const char *path, const char **params, int *nparams,
		       char **buf, size_t *left)
{
	int n = 0;

	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		if (*pattern == '{') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			const char *pend = strchr(pattern, '}');

			if (!pend || len == 0 || n >= FQ_MAX_PARAMS || len + 1 > *left)
				return false;
			memcpy(*buf, path, len);
			(*buf)[len] = '\0';
			params[n++] = *buf;
			*buf += len + 1;
			*left -= len + 1;
			pattern = pend + 1;
			path += len;
		} else {
			while (*pattern && *pattern != '/' && *pattern == *path) {
				pattern++;
				path++;
			}
			if ((*pattern && *pattern != '/') || (*path && *path != '/'))
				return false;
		}
	}
	if (*pattern || *path)
		return false;
	*nparams = n;
	return true;
}

const struct fq_route *fq_router_match(const struct fq_router *rt, const char *method,
				       const char *path, const char **params, int *nparams,
				       char *param_buf, size_t param_buf_size,
				       int *method_mismatch)
{
	*method_mismatch = 0;
	for (int i = 0; i < rt->count; i++) {
		const struct fq_route *r = &rt->routes[i];
		char *buf = param_buf;
		size_t left = param_buf_size;

		if (!match_path(r->path, path, params, nparams, &buf, &left))
			continue;
		if (!strcmp(r->method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")))
			return r;
		*method_mismatch = 1;
	}
	return NULL;
}

int fq_router_index(const struct fq_router *rt, const struct fq_route *route)
{
	return route ? (int)(route - rt->routes) : -1;
}

int fq_router_count(const struct fq_router *rt)
{
	return rt->count;
}

const struct fq_route *fq_router_at(const struct fq_router *rt, int i)
{
	return &rt->routes[i];
}
