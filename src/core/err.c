/* The one error type: its HTTP status and default code (one table), and
 * filling a struct fq_error. */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"

static const struct {
	int status;
	const char *code;
	const char *message;
} err_table[] = {
	[FQ_OK] = {200, "ok", "ok"},
	[FQ_ERR_BAD_REQUEST] = {400, "bad_request", "the request could not be read"},
	[FQ_ERR_UNAUTH] = {401, "unauthenticated", "sign in first"},
	[FQ_ERR_FORBIDDEN] = {403, "forbidden", "you may not do this"},
	[FQ_ERR_NOT_FOUND] = {404, "not_found", "not found"},
	[FQ_ERR_METHOD] = {405, "method_not_allowed", "method not allowed here"},
	[FQ_ERR_CONFLICT] = {409, "conflict", "already exists"},
	[FQ_ERR_TOO_LARGE] = {413, "too_large", "the request body is too large"},
	[FQ_ERR_MEDIA] = {415, "unsupported_media_type", "send application/json"},
	[FQ_ERR_INVALID] = {422, "invalid", "invalid value"},
	[FQ_ERR_LIMIT] = {429, "rate_limited", "too many requests"},
	[FQ_ERR_NOMEM] = {500, "internal", "out of memory"},
	[FQ_ERR_STORE] = {500, "internal", "database failure"},
	[FQ_ERR_IO] = {500, "internal", "input/output failure"},
	[FQ_ERR_INTERNAL] = {500, "internal", "internal error"},
	[FQ_ERR_UNAVAILABLE] = {503, "unavailable", "try again shortly"},
};

int fq_err_status(enum fq_err err)
{
	if ((unsigned)err >= sizeof(err_table) / sizeof(err_table[0]))
		return 500;
	return err_table[err].status;
}

const char *fq_err_default_code(enum fq_err err)
{
	if ((unsigned)err >= sizeof(err_table) / sizeof(err_table[0]))
		return "internal";
	return err_table[err].code;
}

void fq_error_clear(struct fq_error *e)
{
	memset(e, 0, sizeof(*e));
}

enum fq_err fq_fail(struct fq_error *e, enum fq_err err, const char *code,
		    const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	e->err = err;
	fq_strlcpy(e->code, code ? code : fq_err_default_code(err), sizeof(e->code));
	fq_strlcpy(e->field, field ? field : "", sizeof(e->field));
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
	} else {
		fq_strlcpy(e->message, err_table[err].message, sizeof(e->message));
	}
	return err;
}

enum fq_err fq_fail_keep(struct fq_error *e, enum fq_err err, const char *msg)
{
	if (e && e->err == FQ_OK)
		fq_fail(e, err, NULL, NULL, "%s", msg ? msg : err_table[err].message);
	return err;
}
