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
struct fq_buf;
/* Answers the PDF in pdf (a document the domain made) as a download named
 * name: takes pdf's memory (freed with the request, or at once when this
 * fails). */
enum fq_err fq_api_send_pdf(struct fq_req *r, struct fq_buf *pdf, const char *name);
/* Notes the object an audited request is about. */
void fq_api_audit_object(struct fq_req *r, const char *type, int64_t id);

/* A handler is file-local: its module's route table (at the end of the file)
 * is how the router finds it (src/api/module.h). */
#define FQ_HANDLER(name) static enum fq_err name(struct fq_req *r)

#endif
