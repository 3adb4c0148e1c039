/* 一案一码 (issue 11): the public tracking page's lookup, which needs no
 * account, and the acceptance notice (受理告知书) as a PDF. The rules are in
 * domain/dispute_tracking.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/dispute_tracking.h"
#include "http/request.h"
#include "store/dump.h"
#include "core/banned.h"

extern const struct fq_module fq_module_disputes;

/* POST, not GET: the code and the digits travel in the body, which no access
 * log writes. Public: no session is read or made. The answer is the status
 * and the next session's time, nothing else; the digits are never audited. */
FQ_HANDLER(fq_api_disputes_track)
{
	static const char *const fields[] = {"code", "phone_last4", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_track_answer a = {0};
	const char *code = NULL, *last4 = NULL;
	char at[32], end[32];
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "code", FQ_IN_REQUIRED, 32, &code);
	if (!err)
		err = fq_in_text(r, "phone_last4", FQ_IN_REQUIRED, 8, &last4);
	/* The tries counted stand although the answer is an error. */
	r->commit_on_error = true;
	if (!err)
		err = fq_dispute_track(&c, code, last4, r->client_addr, &a);
	r->retry_after = a.retry_after;
	if (a.dispute_id) {
		r->audit.object_type = "dispute";
		r->audit.object_id = fq_arena_printf(r->arena, "%lld", (long long)a.dispute_id);
	}
	if (err)
		return err;
	if (a.next_session_at)
		fq_time_format(a.next_session_at, at, sizeof(at));
	if (a.concluded_at)
		fq_time_format(a.concluded_at, end, sizeof(end));
	return fq_api_reply(r, 200,
			    json_pack("{s:s,s:s?,s:s?}", "status", a.status, "next_session_at",
				      a.next_session_at ? at : NULL, "concluded_at",
				      a.concluded_at ? end : NULL));
}

/* The Chinese words of a dispute type, from the disputes module's export
 * labels (one table for the spreadsheet and the notice). */
static const char *type_label(const char *code)
{
	for (const struct fq_export_list *l = fq_module_disputes.exports; l && l->name; l++)
		for (const struct fq_export_column *col = l->columns; col->key; col++)
			for (const struct fq_export_label *lab = col->labels;
			     lab && lab->code && !strcmp(col->key, "type"); lab++)
				if (!strcmp(lab->code, code))
					return lab->zh;
	return NULL;
}

FQ_HANDLER(fq_api_disputes_notice_pdf)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_buf pdf;
	const char *name;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	if (!err)
		err = fq_dispute_notice_pdf(&c, id, type_label, &pdf, &name);
	return fq_api_send_pdf(r, err, &pdf, name);
}

static const struct fq_route routes[] = {
	/* method  path                           handler                     permission      audit action          flags               summary */
	{"POST",   "/api/public/track",           fq_api_disputes_track,      PUBLIC,         "dispute.track",      FQ_NO_CSRF,         "a dispute's status and next session by tracking code and phone digits (no sign-in; rate-limited)"},
	{"GET",    "/api/disputes/{id}/notice.pdf", fq_api_disputes_notice_pdf, "dispute.read", "dispute.notice_pdf", FQ_AUDIT | FQ_RAW, "the acceptance notice (受理告知书) as a PDF (download, audited)"},
};

/* The public page's counters move with an export, as sign-in's do. */
static const struct fq_dump_table tables[] = {
	{"track_attempts", {"key", "window_start"}, NULL},
	{NULL},
};

const struct fq_module fq_module_dispute_tracking = {
	.name = "dispute_tracking",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
};
