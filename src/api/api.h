/* Handlers of the JSON API, one file per resource. Each has the same shape:
 * decode → validate → call the domain → encode, with one exit. */
#ifndef FQ_API_H
#define FQ_API_H

#include <stdint.h>

#include "core/err.h"
#include "domain/ctx.h"

struct fq_req;
typedef struct json_t json_t;

/* The domain context of a request. */
struct fq_ctx fq_api_ctx(struct fq_req *r);
/* Replies with v (stolen) and status, or fails with the domain's error when v
 * is NULL. */
enum fq_err fq_api_reply(struct fq_req *r, int status, json_t *v);
/* Content-Disposition of a download named name (UTF-8): an ASCII
 * fallback and the real name as RFC 5987 filename*=UTF-8''…; in the arena. */
const char *fq_api_disposition(struct fq_req *r, const char *name);
/* Sends the PDF a document call made (err: its result) as a download named
 * name, from memory without a copy: pdf's bytes are freed with the request
 * (at once when err is set, which is returned). */
struct fq_buf;
enum fq_err fq_api_send_pdf(struct fq_req *r, enum fq_err err, struct fq_buf *pdf,
			    const char *name);
/* Notes the object an audited request is about. */
void fq_api_audit_object(struct fq_req *r, const char *type, int64_t id);
/* The path's first id (fq_in_path_id), noted as the request's object of
 * type for the audit entry. */
enum fq_err fq_api_path_object(struct fq_req *r, const char *type, int64_t *id);

/* A handler is file-local: its module's route table (at the end of the file)
 * is how the router finds it (src/api/module.h). */
#define FQ_HANDLER(name) static enum fq_err name(struct fq_req *r)

#endif
