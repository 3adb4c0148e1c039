/* One error type for the whole server. The HTTP status of each code comes from
 * one table (fq_err_status), never from each handler. */
#ifndef FQ_ERR_H
#define FQ_ERR_H

#include <stdarg.h>

enum fq_err {
	FQ_OK = 0,
	FQ_ERR_BAD_REQUEST,   /* 400: unreadable body or query */
	FQ_ERR_UNAUTH,        /* 401 */
	FQ_ERR_FORBIDDEN,     /* 403 */
	FQ_ERR_NOT_FOUND,     /* 404 */
	FQ_ERR_METHOD,        /* 405 */
	FQ_ERR_CONFLICT,      /* 409 */
	FQ_ERR_TOO_LARGE,     /* 413 */
	FQ_ERR_MEDIA,         /* 415 */
	FQ_ERR_INVALID,       /* 422: a field is wrong */
	FQ_ERR_LIMIT,         /* 429 */
	FQ_ERR_NOMEM,         /* 500 */
	FQ_ERR_STORE,         /* 500: database failure */
	FQ_ERR_IO,            /* 500 */
	FQ_ERR_INTERNAL,      /* 500 */
	FQ_ERR_UNAVAILABLE,   /* 503: store busy or shutting down */
};

#define FQ_ERROR_CODE_MAX 40
#define FQ_ERROR_FIELD_MAX 64
#define FQ_ERROR_MESSAGE_MAX 256

/* An error with the detail a person can act on: a machine code ("invalid",
 * "bad_credentials"), the field it is about (may be empty) and a message. */
struct fq_error {
	enum fq_err err;
	char code[FQ_ERROR_CODE_MAX];
	char field[FQ_ERROR_FIELD_MAX];
	char message[FQ_ERROR_MESSAGE_MAX];
};

/* Fills *e and returns err, so callers can write `return fq_fail(e, ...)`.
 * code may be NULL (the default code of err is used), field may be NULL. */
enum fq_err fq_fail(struct fq_error *e, enum fq_err err, const char *code,
		    const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Like fq_fail but only fills *e when it holds no error yet. */
enum fq_err fq_fail_keep(struct fq_error *e, enum fq_err err, const char *msg);

void fq_error_clear(struct fq_error *e);

int fq_err_status(enum fq_err err);           /* HTTP status */
const char *fq_err_default_code(enum fq_err err); /* "invalid", "not_found" … */

#endif
