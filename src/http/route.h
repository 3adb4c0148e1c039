/* The route table: one row says method, path, handler, the permission it needs
 * and how it is audited. Reading down the table tells who may do what. */
#ifndef FQ_ROUTE_H
#define FQ_ROUTE_H

#include "core/err.h"

struct fq_req;

typedef enum fq_err (*fq_handler)(struct fq_req *r);

/* Permissions every signed-in or every caller has. */
#define FQ_PERM_PUBLIC "public"
#define FQ_PERM_SIGNED_IN "signed_in"

enum fq_route_flags {
	FQ_AUDIT = 1 << 0,          /* append an audit entry, success or failure */
	FQ_RESTRICTED_OK = 1 << 1,  /* allowed while a password change or TOTP enrolment is due */
	FQ_NO_CSRF = 1 << 2,        /* a write that needs no CSRF token (sign-in) */
	FQ_RAW = 1 << 3,            /* answers text, not JSON (metrics) */
	FQ_LONG_POLL = 1 << 4,      /* the handler may ask to wait for a change (r->wait) */
	/* The body is a file, kept as raw bytes (r->body) up to max_attachment
	 * instead of max_body, and not decoded as JSON (attachments). */
	FQ_UPLOAD = 1 << 5,
};

struct fq_route {
	const char *method;
	const char *path;       /* "/api/persons/{id}" */
	fq_handler handler;
	const char *permission; /* never NULL: FQ_PERM_PUBLIC, FQ_PERM_SIGNED_IN or a permission */
	const char *action;     /* audit action, e.g. "person.create" */
	unsigned flags;
	const char *summary;    /* one line for the OpenAPI document */
};

#endif
