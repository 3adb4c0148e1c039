/* struct fq_req: one request in its own arena (method, path, query, headers,
 * body) and its reply. */
#include "http/request.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"

static void req_cleanup(void *p)
{
	struct fq_req *r = p;

	json_decref(r->json);
	json_decref(r->out);
	if (r->raw_file)
		close(r->raw_fd);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' in place. */
static void url_decode(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '+') {
			*out++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*out++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

struct fq_req *fq_req_new(struct fq_app *app, const char *method, const char *target)
{
	struct fq_arena *a = fq_arena_new();
	struct fq_req *r;
	const char *q;

	if (!a)
		return NULL;
	r = fq_arena_alloc(a, sizeof(*r));
	if (!r || fq_arena_cleanup(a, req_cleanup, r)) {
		fq_arena_free(a);
		return NULL;
	}
	r->arena = a;
	r->app = app;
	r->method = fq_arena_strdup(a, method);
	r->status = 200;
	q = strchr(target, '?');
	r->path = q ? fq_arena_strndup(a, target, (size_t)(q - target)) : fq_arena_strdup(a, target);
	if (q) {
		char *qs = fq_arena_strdup(a, q + 1), *save = NULL, *part;

		for (part = strtok_r(qs, "&", &save); part; part = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(part, '=');
			if (eq)
				*eq = '\0';
			url_decode(part);
			if (eq)
				url_decode(eq + 1);
			fq_req_add_query(r, part, eq ? eq + 1 : "");
		}
	}
	return r;
}

void fq_req_free(struct fq_req *r)
{
	if (r)
		fq_arena_free(r->arena);
}

void fq_req_add_query(struct fq_req *r, const char *key, const char *value)
{
	if (r->nquery >= FQ_MAX_QUERY) {
		r->query_overflow = true;
		return;
	}
	r->query[r->nquery].key = fq_arena_strdup(r->arena, key);
	r->query[r->nquery].value = fq_arena_strdup(r->arena, value ? value : "");
	r->nquery++;
}

const char *fq_req_query(const struct fq_req *r, const char *name)
{
	for (int i = 0; i < r->nquery; i++)
		if (!strcmp(r->query[i].key, name))
			return r->query[i].value;
	return NULL;
}

const char *fq_req_param(const struct fq_req *r, int idx)
{
	return idx < r->nparams ? r->params[idx] : NULL;
}

void fq_req_reply(struct fq_req *r, int status, json_t *body)
{
	json_decref(r->out);
	r->out = body;
	r->status = status;
}

enum fq_err fq_req_fail(struct fq_req *r, enum fq_err err, const char *code, const char *field,
			const char *fmt, ...)
{
	char msg[FQ_ERROR_MESSAGE_MAX];
	va_list ap;

	if (r->error.err != FQ_OK)
		return r->error.err; /* the first error is the one to report */
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		return fq_fail(&r->error, err, code, field, "%s", msg);
	}
	return fq_fail(&r->error, err, code, field, NULL);
}
