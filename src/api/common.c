/* What every handler shares: its domain context, the reply, and the object
 * named in the audit entry. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/banned.h"
#include "core/buf.h"
#include "http/app.h"
#include "http/request.h"

struct fq_ctx fq_api_ctx(struct fq_req *r)
{
	return (struct fq_ctx){r->db, r->app->keys, &r->who, r->arena, &r->error, &r->app->cfg};
}

enum fq_err fq_api_reply(struct fq_req *r, int status, json_t *v)
{
	if (!v)
		return r->error.err ? r->error.err
				    : fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_req_reply(r, status, v);
	return FQ_OK;
}

void fq_api_audit_object(struct fq_req *r, const char *type, int64_t id)
{
	r->audit.object_type = type;
	r->audit.object_id = fq_arena_printf(r->arena, "%lld", (long long)id);
}

enum fq_err fq_api_path_object(struct fq_req *r, const char *type, int64_t *id)
{
	enum fq_err err = fq_in_path_id(r, 0, id);

	if (!err)
		fq_api_audit_object(r, type, *id);
	return err;
}

/* Content-Disposition for a download: an ASCII fallback name and the real
 * one in RFC 5987 form (filename*=UTF-8''…), which every current browser
 * reads. */
const char *fq_api_disposition(struct fq_req *r, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name);
	char *ascii = fq_arena_alloc(r->arena, n + 1), *enc = fq_arena_alloc(r->arena, 3 * n + 1);
	size_t a = 0, e = 0;

	if (!ascii || !enc)
		return "attachment";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		/* One '_' for each character the fallback cannot say. */
		if ((ch & 0xc0) != 0x80)
			ascii[a++] = ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != ';'
					     ? (char)ch
					     : '_';
		/* attr-char of RFC 5987; everything else percent-encoded. */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("!#$&+-.^_`|~", ch)) {
			enc[e++] = (char)ch;
		} else {
			enc[e++] = '%';
			enc[e++] = hex[ch >> 4];
			enc[e++] = hex[ch & 15];
		}
	}
	return fq_arena_printf(r->arena, "attachment; filename=\"%.*s\"; filename*=UTF-8''%.*s",
			       (int)a, ascii, (int)e, enc);
}

enum fq_err fq_api_send_pdf(struct fq_req *r, enum fq_err err, struct fq_buf *pdf,
			    const char *name)
{
	if (err) {
		fq_buf_release(pdf);
		return err;
	}
	/* The bytes live until the response is sent (freed at once on failure). */
	if (fq_arena_cleanup(r->arena, free, pdf->ptr))
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	r->status = 200;
	r->raw_body = pdf->ptr;
	r->raw_len = pdf->len;
	r->raw_type = "application/pdf";
	r->disposition = fq_api_disposition(r, name);
	return FQ_OK;
}
