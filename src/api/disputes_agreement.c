/* A dispute's mediation agreement (调解协议书): the draft, the signatures,
 * voiding, the PDF, the follow-up visits and judicial confirmation. The
 * rules live in domain/dispute_agreement.c; this module only adds routes,
 * its tables and a work provider to the disputes module's permissions. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "document/pdf.h"
#include "domain/dispute_agreement.h"
#include "http/request.h"
#include "store/dump.h"

#define MAX_TEXT 4000
#define MAX_TERM 1000
#define MAX_SHORT 100
#define MAX_REASON 1000

static enum fq_err reply(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_dispute_agreement_get(&c, id));
}

static enum fq_err read_term(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_agreement_term *t = &((struct fq_agreement_term *)arg)[idx];
	int64_t day = 0;
	enum fq_err err = fq_in_text(r, "what", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_TERM, &t->what);

	if (!err)
		err = fq_in_text(r, "who", FQ_IN_REQUIRED, MAX_SHORT, &t->who);
	if (!err)
		err = fq_in_text(r, "how", FQ_IN_NULLABLE, 200, &t->how);
	if (!err)
		err = fq_in_date(r, "due", FQ_IN_NULLABLE, &day);
	if (!err && day)
		t->due = fq_arena_printf(r->arena, "%04d-%02d-%02d", (int)(day / 10000),
					 (int)(day / 100 % 100), (int)(day % 100));
	return err;
}

static enum fq_err read_agreement(struct fq_req *r, struct fq_agreement_in *in)
{
	static const char *const fields[] = {"form", "facts", "matters", "liabilities", "terms",
					     NULL};
	static const char *const term_fields[] = {"what", "who", "how", "due", NULL};
	struct fq_agreement_term *terms =
		fq_arena_alloc(r->arena, FQ_AGREEMENT_MAX_TERMS * sizeof(*terms));
	size_t n = 0;
	enum fq_err err = terms ? fq_in_only(r, fields) : fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);

	if (!err)
		memset(terms, 0, FQ_AGREEMENT_MAX_TERMS * sizeof(*terms));
	if (!err)
		err = fq_in_choice(r, "form", FQ_IN_NULLABLE, fq_agreement_forms, &in->form);
	if (!err)
		err = fq_in_text(r, "facts", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_TEXT, &in->facts);
	if (!err)
		err = fq_in_text(r, "matters", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_TEXT,
				 &in->matters);
	if (!err)
		err = fq_in_text(r, "liabilities", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_TEXT,
				 &in->liabilities);
	if (!err)
		err = fq_in_objects(r, "terms", FQ_IN_REQUIRED, FQ_AGREEMENT_MAX_TERMS, term_fields,
				    read_term, terms, &n, NULL);
	if (!err && !n)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "terms",
				  "an agreement has at least one term");
	in->terms = terms;
	in->nterms = (int)n;
	return err;
}

FQ_HANDLER(fq_api_agreement_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	return err ? err : reply(r, 200, id);
}

/* A new draft (POST) or the draft's new text (PUT). */
FQ_HANDLER(fq_api_agreement_save)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_agreement_in in = {0};
	bool create = !strcmp(r->method, "POST");
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = read_agreement(r, &in);
	if (!err)
		err = create ? fq_dispute_agreement_draft(&c, id, &in)
			     : fq_dispute_agreement_edit(&c, id, &in);
	return err ? err : reply(r, create ? 201 : 200, id);
}

FQ_HANDLER(fq_api_agreement_sign)
{
	static const char *const fields[] = {"signer", "person_id", "attachment_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *signer;
	int64_t id, person_id = 0, attachment_id = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "signer", FQ_IN_REQUIRED, fq_agreement_signers, &signer);
	if (!err)
		err = fq_in_int(r, "person_id", !strcmp(signer, "party") ? FQ_IN_REQUIRED : FQ_IN_NULLABLE,
				1, INT64_MAX, &person_id, NULL);
	if (!err && person_id && strcmp(signer, "party"))
		err = fq_req_fail(r, FQ_ERR_INVALID, "not_a_party", "person_id",
				  "person_id is given only for a party's signature");
	if (!err)
		err = fq_in_int(r, "attachment_id", FQ_IN_REQUIRED, 1, INT64_MAX, &attachment_id,
				NULL);
	if (!err)
		err = fq_dispute_agreement_sign(&c, id, signer, person_id, attachment_id);
	return err ? err : reply(r, 201, id);
}

FQ_HANDLER(fq_api_agreement_void)
{
	static const char *const fields[] = {"reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_dispute_agreement_void(&c, id, reason);
	return err ? err : reply(r, 200, id);
}

/* The agreement as a PDF (domain/dispute_agreement_pdf.c), sent from memory. */
FQ_HANDLER(fq_api_agreement_pdf)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_buf pdf;
	const char *name;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	if (!err)
		err = fq_dispute_agreement_pdf(&c, id, &pdf, &name);
	return fq_api_send_pdf(r, err, &pdf, name);
}

FQ_HANDLER(fq_api_agreement_followup_add)
{
	static const char *const fields[] = {"due_at", "user_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, due_at = 0, user_id = 0, fid = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_time(r, "due_at", FQ_IN_REQUIRED, &due_at);
	if (!err)
		err = fq_in_int(r, "user_id", FQ_IN_NULLABLE, 1, INT64_MAX, &user_id, NULL);
	if (!err)
		err = fq_dispute_agreement_followup_add(&c, id, due_at, user_id, &fid);
	return err ? err : reply(r, 201, id);
}

FQ_HANDLER(fq_api_agreement_followup_record)
{
	static const char *const fields[] = {"visited_at", "result", "term", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *result, *note;
	int64_t id, fid, visited_at = 0, term = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_path_id(r, 1, &fid);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_time(r, "visited_at", FQ_IN_NULLABLE, &visited_at);
	if (!err)
		err = fq_in_choice(r, "result", FQ_IN_REQUIRED, fq_agreement_results, &result);
	if (!err)
		err = fq_in_int(r, "term", FQ_IN_NULLABLE, 1, FQ_AGREEMENT_MAX_TERMS, &term, NULL);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_REASON, &note);
	if (!err)
		err = fq_dispute_agreement_followup_record(&c, id, fid, visited_at, result, term,
							   note);
	return err ? err : reply(r, 200, id);
}

FQ_HANDLER(fq_api_agreement_judicial_apply)
{
	static const char *const fields[] = {"court", "applied_at", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *court;
	int64_t id, applied_at = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "court", FQ_IN_REQUIRED, 200, &court);
	if (!err)
		err = fq_in_time(r, "applied_at", FQ_IN_NULLABLE, &applied_at);
	if (!err)
		err = fq_dispute_agreement_judicial_apply(&c, id, court, applied_at);
	return err ? err : reply(r, 200, id);
}

FQ_HANDLER(fq_api_agreement_judicial_decide)
{
	static const char *const fields[] = {"outcome", "decided_at", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *outcome, *note;
	int64_t id, decided_at = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "outcome", FQ_IN_REQUIRED, fq_agreement_judicial, &outcome);
	if (!err)
		err = fq_in_time(r, "decided_at", FQ_IN_NULLABLE, &decided_at);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_REASON, &note);
	if (!err)
		err = fq_dispute_agreement_judicial_decide(&c, id, outcome, decided_at, note);
	return err ? err : reply(r, 200, id);
}

/* clang-format off */
static const struct fq_route routes[] = {
	/* method  path                                              handler                            permission         audit action                     flags               summary */
	{"GET",    "/api/disputes/{id}/agreement",                   fq_api_agreement_get,              "dispute.read",    "dispute.agreement_read",        FQ_AUDIT,           "the mediation agreement with signatures and follow-ups (audited)"},
	{"POST",   "/api/disputes/{id}/agreement",                   fq_api_agreement_save,             "dispute.mediate", "dispute.agreement_draft",       0,                  "draft the mediation agreement"},
	{"PUT",    "/api/disputes/{id}/agreement",                   fq_api_agreement_save,             "dispute.mediate", "dispute.agreement_edit",        0,                  "change the draft (before the first signature)"},
	{"GET",    "/api/disputes/{id}/agreement.pdf",               fq_api_agreement_pdf,              "dispute.read",    "dispute.agreement_pdf",         FQ_AUDIT | FQ_RAW,  "the agreement as a PDF in the paper form's layout (download, audited)"},
	{"POST",   "/api/disputes/{id}/agreement/signatures",        fq_api_agreement_sign,             "dispute.mediate", "dispute.agreement_sign",        0,                  "a party's or the mediator's signature; the last puts it in effect"},
	{"POST",   "/api/disputes/{id}/agreement/void",              fq_api_agreement_void,             "dispute.mediate", "dispute.agreement_void",        0,                  "void the draft with a reason (its signatures void with it)"},
	{"POST",   "/api/disputes/{id}/agreement/followups",         fq_api_agreement_followup_add,     "dispute.mediate", "dispute.followup_add",          0,                  "schedule a follow-up visit"},
	{"POST",   "/api/disputes/{id}/agreement/followups/{followup_id}", fq_api_agreement_followup_record, "dispute.mediate", "dispute.followup_record", 0,           "record a follow-up visit: performing, performed or breached"},
	{"POST",   "/api/disputes/{id}/agreement/judicial",          fq_api_agreement_judicial_apply,   "dispute.mediate", "dispute.judicial_apply",        0,                  "apply for judicial confirmation (within 30 days)"},
	{"POST",   "/api/disputes/{id}/agreement/judicial/decision", fq_api_agreement_judicial_decide,  "dispute.mediate", "dispute.judicial_decide",       0,                  "the court's outcome: confirmed or rejected"},
};
/* clang-format on */

/* Exported after the disputes and the attachments they refer to. */
static const struct fq_dump_table tables[] = {
	{"dispute_agreements", {"id"}, NULL},
	{"dispute_agreement_signatures", {"id"}, NULL},
	{"dispute_followups", {"id"}, NULL},
	{NULL},
};

const struct fq_module fq_module_dispute_agreements = {
	.name = "dispute_agreements",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
	.work = fq_dispute_agreement_work, /* domain/dispute_agreement.c */
};
