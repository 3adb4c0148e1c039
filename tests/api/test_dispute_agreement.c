/* The mediation agreement (docs/api.md "Mediation agreement"): the draft and
 * every error naming its field, the signing rules (each party once, the
 * mediator last and only the mediator), in effect only when all have signed
 * (the dispute then concluded "agreed"), no change after the first
 * signature, voiding, the PDF's text, QR code and images, follow-up visits
 * in the work queue, performed and breached, and judicial confirmation
 * within 30 days (refused later, and for marriage and family). */
#include <gd.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/time.h"
#include "api/pdftext.h"

#define DAY_MS (24 * 3600 * 1000LL)

struct world {
	struct api_env *env;
	struct api_client officer, aux, mediator;
	int64_t p1, p2, id;
	char number[64], code[16];
	int png_len;
	void *png;
};

static const char *const draft_body =
	"{\"facts\":\"楼上卫生间漏水，渗入楼下天花板\",\"matters\":\"维修费用与赔偿\","
	"\"liabilities\":\"楼上住户负主要责任\",\"terms\":[{\"what\":\"张三修复卫生间防水层\","
	"\"who\":\"张三\",\"how\":\"请专业人员施工\",\"due\":\"2026-12-31\"},"
	"{\"what\":\"张三赔偿李四装修损失人民币贰仟元\",\"who\":\"张三\",\"how\":\"银行转账\"}]}";

static int64_t new_dispute(struct world *w, const char *type)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/disputes",
		"{\"source\":\"walk_in\",\"type\":\"%s\",\"facts\":\"楼上漏水\","
		"\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		"{\"person_id\":%lld,\"role\":\"respondent\",\"consent\":\"given\"}]}",
		type, (long long)w->p1, (long long)w->p2);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (id) {
		snprintf(w->number, sizeof(w->number), "%s", api_str(r.json, "number"));
		snprintf(w->code, sizeof(w->code), "%s", api_str(r.json, "tracking_code"));
	}
	api_resp_free(&r);
	return id;
}

static void world_init(struct world *w, const char *type)
{
	char id2[19];
	gdImagePtr im = gdImageCreate(300, 90);
	int white = gdImageColorAllocate(im, 255, 255, 255), black = gdImageColorAllocate(im, 0, 0, 0);

	(void)white;
	gdImageLine(im, 10, 70, 290, 20, black);
	w->png = gdImagePngPtr(im, &w->png_len);
	gdImageDestroy(im);
	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	api_id_number("110105", "19800101", "123", id2);
	w->p1 = api_new_person(w->env, &w->officer, "张三", API_ID_NUMBER,
			       "{\"phone\":\"13800001111\"}");
	w->p2 = api_new_person(w->env, &w->officer, "李四", id2, NULL);
	w->id = new_dispute(w, type);
	CHECK(w->p1 && w->p2 && w->id);
}

static void world_free(struct world *w)
{
	gdFree(w->png);
	api_env_free(w->env);
}

static struct api_resp call(struct world *w, struct api_client *c, const char *method,
			    const char *what, const char *body)
{
	return api_call(w->env, c, method,
			api_fmt("/api/disputes/%lld/agreement%s", (long long)w->id, what), body);
}

/* A drawn signature uploaded for the dispute: its attachment id. */
static int64_t signature(struct world *w, struct api_client *c)
{
	struct api_raw raw = {
		.method = "POST",
		.target = api_fmt("/api/attachments?record_type=dispute&record_id=%lld"
				  "&kind=signature&name=sig.png",
				  (long long)w->id),
		.body = w->png,
		.body_len = (size_t)w->png_len,
		.content_type = "image/png",
	};
	struct api_resp r = api_call_raw(w->env, c, &raw);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# upload: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static int sign(struct world *w, struct api_client *c, const char *signer, int64_t person)
{
	int64_t att = signature(w, c);
	struct api_resp r = call(w, c, "POST", "/signatures",
				 person ? api_fmt("{\"signer\":\"%s\",\"person_id\":%lld,"
						  "\"attachment_id\":%lld}",
						  signer, (long long)person, (long long)att)
					: api_fmt("{\"signer\":\"%s\",\"attachment_id\":%lld}", signer,
						  (long long)att));
	int status = r.status;

	if (status != 201)
		printf("# sign %s: %d %s\n", signer, status, r.body);
	api_resp_free(&r);
	return status;
}

/* Drafted by the officer and signed by both parties and the officer. */
static void in_effect(struct world *w)
{
	struct api_resp r = call(w, &w->officer, "POST", "", draft_body);

	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(sign(w, &w->officer, "party", w->p1), 201);
	CHECK_INT(sign(w, &w->officer, "party", w->p2), 201);
	CHECK_INT(sign(w, &w->officer, "mediator", 0), 201);
}

TEST(draft_errors_name_the_field_and_write_nothing)
{
	static const struct {
		const char *body, *code, *field;
		int status;
	} bad[] = {
		{"{\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\"}]}", "required", "facts", 422},
		{"{\"facts\":\"f\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\"}]}", "required", "matters", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"terms\":[{\"what\":\"x\",\"who\":\"y\"}]}", "required", "liabilities", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\"}", "required", "terms", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[]}", "required", "terms", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"who\":\"y\"}]}", "required", "terms[0].what", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\"},{\"what\":\"x\"}]}", "required", "terms[1].who", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\",\"due\":\"2026-13-01\"}]}", NULL, "terms[0].due", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\",\"colour\":1}]}", NULL, "terms[0].colour", 422},
		{"{\"form\":\"court\",\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[{\"what\":\"x\",\"who\":\"y\"}]}", NULL, "form", 422},
		{"{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"seal\":1,\"terms\":[{\"what\":\"x\",\"who\":\"y\"}]}", NULL, "seal", 422},
	};
	struct world w;
	struct api_resp r;
	char many[8192];
	size_t n;

	world_init(&w, "neighbours");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = call(&w, &w.officer, "POST", "", bad[i].body);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			printf("# case %zu\n", i);
		api_resp_free(&r);
	}
	/* 21 terms: one too many. */
	n = (size_t)snprintf(many, sizeof(many),
			     "{\"facts\":\"f\",\"matters\":\"m\",\"liabilities\":\"l\",\"terms\":[");
	for (int i = 0; i < 21; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%s{\"what\":\"x\",\"who\":\"y\"}",
				      i ? "," : "");
	snprintf(many + n, sizeof(many) - n, "]}");
	r = call(&w, &w.officer, "POST", "", many);
	check_error(r, 422, NULL, "terms");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM dispute_agreements"), 0);
	/* A mediator not assigned sees no such dispute; a resident may not. */
	r = call(&w, &w.mediator, "POST", "", draft_body);
	CHECK_INT(r.status, 404);
	api_resp_free(&r);
	/* Drafted; audited; a second draft is refused. */
	r = call(&w, &w.officer, "POST", "", draft_body);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "agreement.status"), "draft");
	CHECK_INT(api_len(r.json, "agreement.terms"), 2);
	CHECK_STR(api_str(r.json, "agreement.terms.1.how"), "银行转账");
	CHECK_STR(api_str(r.json, "agreement.terms.0.due"), "2026-12-31");
	CHECK_STR(api_str(r.json, "agreement.form"), "people");
	CHECK_INT(api_len(r.json, "agreement.pending_signers"), 3);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "dispute.agreement_draft", NULL);
		CHECK_STR(api_str(e, "outcome"), "success");
		json_decref(e);
	}
	r = call(&w, &w.officer, "POST", "", draft_body);
	check_error(r, 409, "agreement_exists", NULL);
	api_resp_free(&r);
	world_free(&w);
}

TEST(signing_rules_and_in_effect_only_when_all_have_signed)
{
	struct world w;
	struct api_resp r;
	int64_t att, other;

	world_init(&w, "neighbours");
	r = call(&w, &w.officer, "POST", "", draft_body);
	check_status(r, 201);
	api_resp_free(&r);
	/* Bad signatures, each naming its field. */
	r = call(&w, &w.officer, "POST", "/signatures", "{\"signer\":\"judge\",\"attachment_id\":1}");
	check_error(r, 422, NULL, "signer");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/signatures", "{\"signer\":\"party\",\"attachment_id\":1}");
	check_error(r, 422, "required", "person_id");
	api_resp_free(&r);
	att = signature(&w, &w.officer);
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"party\",\"person_id\":%lld,\"attachment_id\":%lld}",
			 (long long)w.p1 + 1000, (long long)att));
	check_error(r, 422, "not_a_party", "person_id");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"party\",\"person_id\":%lld,\"attachment_id\":%lld}",
			 (long long)w.p1, (long long)att + 1000));
	check_error(r, 422, NULL, "attachment_id");
	api_resp_free(&r);
	/* The mediator signs last. */
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"mediator\",\"attachment_id\":%lld}", (long long)att));
	check_error(r, 409, "parties_first", "signer");
	api_resp_free(&r);
	/* The first party signs; then the text is locked. */
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"party\",\"person_id\":%lld,\"attachment_id\":%lld}",
			 (long long)w.p1, (long long)att));
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "agreement.signatures"), 1);
	CHECK_STR(api_str(r.json, "agreement.signatures.0.name"), "张三");
	api_resp_free(&r);
	/* The same drawing twice, the same party twice: refused. */
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"party\",\"person_id\":%lld,\"attachment_id\":%lld}",
			 (long long)w.p2, (long long)att));
	check_error(r, 422, NULL, "attachment_id");
	api_resp_free(&r);
	other = signature(&w, &w.officer);
	r = call(&w, &w.officer, "POST", "/signatures",
		 api_fmt("{\"signer\":\"party\",\"person_id\":%lld,\"attachment_id\":%lld}",
			 (long long)w.p1, (long long)other));
	check_error(r, 409, "signed", "person_id");
	api_resp_free(&r);
	/* A used signature cannot be deleted. */
	r = api_call(w.env, &w.officer, "DELETE", api_fmt("/api/attachments/%lld", (long long)att),
		     NULL);
	CHECK_INT(r.status, 409);
	api_resp_free(&r);
	r = call(&w, &w.officer, "PUT", "", draft_body);
	check_error(r, 409, "signed", NULL);
	api_resp_free(&r);
	CHECK_INT(sign(&w, &w.officer, "party", w.p2), 201);
	/* Still a draft, the dispute still open. */
	r = call(&w, &w.officer, "GET", "", NULL);
	CHECK_STR(api_str(r.json, "agreement.status"), "draft");
	CHECK_INT(api_len(r.json, "agreement.pending_signers"), 1);
	CHECK_STR(api_str(r.json, "agreement.pending_signers.0.signer"), "mediator");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, api_fmt("SELECT COUNT(*) FROM disputes WHERE id = %lld AND"
					   " status = 'closed'", (long long)w.id)),
		  0);
	/* Only the agreement's mediator signs as mediator. */
	CHECK_INT(sign(&w, &w.aux, "mediator", 0), 403);
	CHECK_INT(sign(&w, &w.officer, "mediator", 0), 201);
	r = call(&w, &w.officer, "GET", "", NULL);
	CHECK_STR(api_str(r.json, "agreement.status"), "effective");
	CHECK_INT(api_len(r.json, "agreement.signatures"), 3);
	CHECK_STR(api_str(r.json, "agreement.signatures.2.signer"), "mediator");
	CHECK(api_str(r.json, "agreement.effective_at") != NULL);
	CHECK(api_str(r.json, "agreement.confirm_until") != NULL);
	api_resp_free(&r);
	/* The dispute concluded agreed through the core. */
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/disputes/%lld", (long long)w.id), NULL);
	CHECK_STR(api_str(r.json, "status"), "closed");
	CHECK_STR(api_str(r.json, "outcome"), "agreed");
	api_resp_free(&r);
	/* In effect: no more change, no void. */
	r = call(&w, &w.officer, "PUT", "", draft_body);
	check_error(r, 409, "in_effect", "status");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/void", "{\"reason\":\"写错了\"}");
	check_error(r, 409, "in_effect", "status");
	api_resp_free(&r);
	world_free(&w);
}

TEST(void_a_signed_draft_and_draft_again)
{
	struct world w;
	struct api_resp r;

	world_init(&w, "neighbours");
	r = call(&w, &w.officer, "POST", "", draft_body);
	api_resp_free(&r);
	CHECK_INT(sign(&w, &w.officer, "party", w.p1), 201);
	r = call(&w, &w.officer, "POST", "/void", "{}");
	check_error(r, 422, "required", "reason");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/void", "{\"reason\":\"赔偿金额写错\"}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "agreement")));
	CHECK_INT(api_len(r.json, "voided"), 1);
	CHECK_STR(api_str(r.json, "voided.0.void_reason"), "赔偿金额写错");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/signatures", "{\"signer\":\"mediator\",\"attachment_id\":1}");
	check_error(r, 404, "no_agreement", NULL);
	api_resp_free(&r);
	/* A new draft starts with nobody signed. */
	r = call(&w, &w.officer, "POST", "", draft_body);
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "agreement.signatures"), 0);
	CHECK_INT(api_len(r.json, "voided"), 1);
	api_resp_free(&r);
	r = call(&w, &w.officer, "PUT", "",
		 "{\"form\":\"police\",\"facts\":\"f2\",\"matters\":\"m2\",\"liabilities\":\"l2\","
		 "\"terms\":[{\"what\":\"道歉\",\"who\":\"李四\"}]}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "agreement.form"), "police");
	CHECK_STR(api_str(r.json, "agreement.facts"), "f2");
	api_resp_free(&r);
	world_free(&w);
}

TEST(the_pdf_holds_the_parties_terms_signatures_and_code)
{
	struct world w;
	struct api_resp r;
	char *text, *qr;

	world_init(&w, "neighbours");
	r = call(&w, &w.officer, "GET", ".pdf", NULL);
	check_error(r, 404, "no_agreement", NULL);
	api_resp_free(&r);
	in_effect(&w);
	r = call(&w, &w.officer, "GET", ".pdf", NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	CHECK(r.body_len > 1000 && !memcmp(r.body, "%PDF-", 5));
	CHECK(r.disposition && strstr(r.disposition, api_fmt("-%s.pdf", w.number)));
	if (getenv("FQ_TEST_PDF_OUT")) {
		FILE *f = fopen(getenv("FQ_TEST_PDF_OUT"), "wb");

		if (f) {
			fwrite(r.body, 1, r.body_len, f);
			fclose(f);
		}
	}
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text != NULL);
	if (text) {
		CHECK(strstr(text, "人民调解协议书") != NULL);
		CHECK(strstr(text, api_fmt("编号：%s", w.number)) != NULL);
		CHECK(strstr(text, "张三") != NULL);
		CHECK(strstr(text, "李四") != NULL);
		CHECK(strstr(text, "申请人") != NULL);
		CHECK(strstr(text, "被申请人") != NULL);
		/* The ID number masked: not whole. */
		CHECK(strstr(text, API_ID_NUMBER) == NULL);
		CHECK(strstr(text, "002X") != NULL);
		CHECK(strstr(text, "女") != NULL);
		CHECK(strstr(text, "楼上卫生间漏水") != NULL);
		CHECK(strstr(text, "维修费用与赔偿") != NULL);
		CHECK(strstr(text, "楼上住户负主要责任") != NULL);
		CHECK(strstr(text, "张三修复卫生间防水层") != NULL);
		CHECK(strstr(text, "赔偿李四装修损失人民币贰仟元") != NULL);
		CHECK(strstr(text, "2026-12-31") != NULL);
		/* A paragraph's lines are joined for the check. */
		for (char *r = text, *o = text;; r++)
			if (*r != '\n' && !(*o++ = *r))
				break;
		CHECK(strstr(text, "本协议一式三份，双方当事人、调解组织各执一份") != NULL);
		CHECK(strstr(text, "第1页共1页") != NULL);
		CHECK(strstr(text, "当事人签名") != NULL);
		CHECK(strstr(text, "调解员签名") != NULL);
		CHECK(strstr(text, "（印章）") != NULL || strstr(text, "印章") != NULL);
		CHECK(strstr(text, "草稿") == NULL);
	}
	free(text);
	qr = pdf_qr(r.body, r.body_len);
	CHECK_STR(qr, w.code);
	free(qr);
	CHECK_INT(pdf_images(r.body, r.body_len), 3);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "dispute.agreement_pdf", NULL);
		CHECK_STR(api_str(e, "outcome"), "success");
		json_decref(e);
	}
	/* Someone who may not see the dispute gets nothing. */
	r = call(&w, &w.mediator, "GET", ".pdf", NULL);
	CHECK_INT(r.status, 404);
	api_resp_free(&r);
	world_free(&w);
}

TEST(a_police_draft_pdf_says_so)
{
	struct world w;
	struct api_resp r;
	char *text;

	world_init(&w, "neighbours");
	r = call(&w, &w.officer, "POST", "",
		 "{\"form\":\"police\",\"facts\":\"酒后互殴\",\"matters\":\"医药费\","
		 "\"liabilities\":\"双方均有过错\",\"terms\":[{\"what\":\"李四赔偿医药费\",\"who\":\"李四\"}]}");
	check_status(r, 201);
	api_resp_free(&r);
	r = call(&w, &w.officer, "GET", ".pdf", NULL);
	check_status(r, 200);
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text && strstr(text, "治安调解协议书") && strstr(text, "草稿") &&
	      strstr(text, "李四赔偿医药费"));
	free(text);
	CHECK_INT(pdf_images(r.body, r.body_len), 0);
	api_resp_free(&r);
	world_free(&w);
}

/* Without a form, a police mediation's agreement is a police one. */
TEST(the_procedure_gives_the_form)
{
	struct world w;
	struct api_resp r;
	char today[32];

	world_init(&w, "neighbours");
	fq_time_format(fq_time_now_ms(), today, sizeof(today));
	r = api_callf(w.env, &w.officer, "PUT", api_fmt("/api/disputes/%lld/procedure", (long long)w.id),
		      "{\"procedure\":\"police\",\"accepted_at\":\"%s\",\"offence\":\"beating\","
		      "\"presiding_user_id\":%lld,\"exclusions\":{\"hired_violence\":false,"
		      "\"gang_fight\":false,\"provocation\":false,\"repeat_offence\":false,"
		      "\"new_trouble\":false,\"absconded\":false,\"refused\":false}}",
		      today, (long long)api_user_id(w.env, "officer"));
	check_status(r, 200);
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "", draft_body);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "agreement.form"), "police");
	api_resp_free(&r);
	world_free(&w);
}

TEST(follow_ups_in_the_work_queue_performed_and_breached)
{
	struct world w;
	struct api_resp r;
	int64_t fid, fid2;
	bool found = false;
	json_t *it;
	size_t k;

	world_init(&w, "neighbours");
	r = call(&w, &w.officer, "POST", "", draft_body);
	api_resp_free(&r);
	/* Not before it is in effect. */
	r = call(&w, &w.officer, "POST", "/followups", "{\"due_at\":\"2030-01-01T00:00:00Z\"}");
	check_error(r, 409, "not_in_effect", "status");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/void", "{\"reason\":\"重拟\"}");
	api_resp_free(&r);
	in_effect(&w);
	r = call(&w, &w.officer, "POST", "/followups", "{}");
	check_error(r, 422, "required", "due_at");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/followups", "{\"due_at\":\"2020-01-01T00:00:00Z\"}");
	check_error(r, 422, "too_early", "due_at");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/followups",
		 api_fmt("{\"due_at\":\"2030-01-01T00:00:00Z\",\"user_id\":%lld}",
			 (long long)api_user_id(w.env, "mediator")));
	check_error(r, 422, "not_a_mediator", "user_id");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/followups", "{\"due_at\":\"2030-01-01T00:00:00Z\"}");
	check_status(r, 201);
	CHECK_INT(api_len(r.json, "agreement.followups"), 1);
	fid = api_int(r.json, "agreement.followups.0.id");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/followups", "{\"due_at\":\"2030-02-01T00:00:00Z\"}");
	fid2 = api_int(r.json, "agreement.followups.1.id");
	api_resp_free(&r);
	/* In the officer's work queue. */
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	check_status(r, 200);
	json_array_foreach(api_get(r.json, "items"), k, it)
		if (!strcmp(api_str(it, "kind"), "dispute_followup") &&
		    api_int(it, "link.id") == w.id && api_int(it, "params.followup_id") == fid)
			found = true;
	CHECK(found);
	api_resp_free(&r);
	/* Recording: errors name the field. */
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"gone\"}");
	check_error(r, 422, NULL, "result");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"breached\",\"note\":\"未赔偿\"}");
	check_error(r, 422, "required", "term");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"breached\",\"term\":3,\"note\":\"未赔偿\"}");
	check_error(r, 422, "bad_term", "term");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"breached\",\"term\":2}");
	check_error(r, 422, "required", "note");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"performing\",\"visited_at\":\"2099-01-01T00:00:00Z\"}");
	check_error(r, 422, "in_future", "visited_at");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"performing\",\"note\":\"防水已修好，赔偿未付\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "agreement.performance"), "performing");
	CHECK_STR(api_str(r.json, "agreement.followups.0.result"), "performing");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"performed\"}");
	check_error(r, 409, "recorded", NULL);
	api_resp_free(&r);
	/* Recorded: out of the queue. */
	r = api_call(w.env, &w.officer, "GET", "/api/work", NULL);
	found = false;
	json_array_foreach(api_get(r.json, "items"), k, it)
		if (!strcmp(api_str(it, "kind"), "dispute_followup") &&
		    api_int(it, "params.followup_id") == fid)
			found = true;
	CHECK(!found);
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid2),
		 "{\"result\":\"breached\",\"term\":2,\"note\":\"拒不支付赔偿款\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "agreement.performance"), "breached");
	CHECK_INT(api_int(r.json, "agreement.breach_term"), 2);
	CHECK_STR(api_str(r.json, "agreement.breach_reason"), "拒不支付赔偿款");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/followups/999999", "{\"result\":\"performed\"}");
	CHECK_INT(r.status, 404);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "dispute.followup_record", NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	world_free(&w);
}

/* A breach found at a follow-up weighs in the escalation watch of the same
 * parties' other dispute, and the figures' performance rate counts it
 * (checked against the rows). */
TEST(a_breach_weighs_in_the_watch_and_the_performance_rate)
{
	struct world w;
	struct api_resp r;
	json_t *it, *reason = NULL, *found = NULL, *row = NULL;
	int64_t fid, other;
	char day[16];
	size_t k, j;

	world_init(&w, "neighbours");
	in_effect(&w);
	r = call(&w, &w.officer, "POST", "/followups", "{\"due_at\":\"2030-01-01T00:00:00Z\"}");
	fid = api_int(r.json, "agreement.followups.0.id");
	api_resp_free(&r);
	/* Performance unknown: the rate is null. The harness's day is UTC+8's. */
	{
		time_t t = time(NULL) + 8 * 3600;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	}
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/disputes/figures?from=%s&by=type", day), NULL);
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "total.performance_rate")));
	CHECK_INT(api_int(r.json, "total.agreed"), 1);
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", api_fmt("/followups/%lld", (long long)fid),
		 "{\"result\":\"breached\",\"term\":2,\"note\":\"拒不支付赔偿款\"}");
	check_status(r, 200);
	api_resp_free(&r);
	/* The same parties again: the breach is a reason of its score. */
	other = new_dispute(&w, "neighbours");
	CHECK(other > 0);
	r = api_call(w.env, &w.officer, "GET", "/api/disputes/watch?min_score=0", NULL);
	check_status(r, 200);
	json_array_foreach(api_get(r.json, "items"), k, it)
		if (api_int(it, "id") == other)
			json_array_foreach(api_get(it, "reasons"), j, reason)
				if (!strcmp(api_str(reason, "what"), "breached_agreements"))
					found = reason;
	if (!found)
		printf("# watch: %s\n", r.body);
	CHECK(found && api_int(found, "count") == 1 && api_int(found, "points") == 20);
	api_resp_free(&r);
	/* Figures: breached 1, performed 0 → 0 %; as the rows say. */
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/disputes/figures?from=%s&by=type", day), NULL);
	check_status(r, 200);
	json_array_foreach(api_get(r.json, "items"), k, it)
		if (!strcmp(api_str(it, "key"), "neighbours"))
			row = it;
	CHECK(row != NULL);
	CHECK_INT(api_int(row, "breached"),
		  api_count(w.env, "SELECT COUNT(*) FROM dispute_agreements WHERE performance ="
				   " 'breached' AND status = 'effective'"));
	CHECK_INT(api_int(row, "performed"), 0);
	CHECK(json_real_value(api_get(row, "performance_rate")) == 0.0 &&
	      json_is_real(api_get(row, "performance_rate")));
	CHECK(json_real_value(api_get(r.json, "total.performance_rate")) == 0.0);
	api_resp_free(&r);
	world_free(&w);
}

TEST(judicial_confirmation_within_30_days)
{
	struct world w;
	struct api_resp r;

	world_init(&w, "neighbours");
	in_effect(&w);
	r = call(&w, &w.officer, "POST", "/judicial/decision", "{\"outcome\":\"confirmed\"}");
	check_error(r, 409, "not_applied", "judicial_status");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial", "{}");
	check_error(r, 422, "required", "court");
	api_resp_free(&r);
	/* Took effect 31 days ago: too late. */
	CHECK(api_exec(w.env, api_fmt("UPDATE dispute_agreements SET effective_at = effective_at"
				      " - %lld", 31 * DAY_MS)));
	r = call(&w, &w.officer, "POST", "/judicial", "{\"court\":\"某区人民法院\"}");
	check_error(r, 409, "too_late", "applied_at");
	api_resp_free(&r);
	/* 29 days ago: in time. */
	CHECK(api_exec(w.env, api_fmt("UPDATE dispute_agreements SET effective_at = effective_at"
				      " + %lld", 2 * DAY_MS)));
	r = call(&w, &w.officer, "POST", "/judicial", "{\"court\":\"某区人民法院\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "agreement.judicial_status"), "applied");
	CHECK_STR(api_str(r.json, "agreement.judicial_court"), "某区人民法院");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial", "{\"court\":\"某区人民法院\"}");
	check_error(r, 409, "applied", "judicial_status");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial/decision", "{\"outcome\":\"maybe\"}");
	check_error(r, 422, NULL, "outcome");
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial/decision",
		 "{\"outcome\":\"confirmed\",\"note\":\"（2026）民特12号\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "agreement.judicial_status"), "confirmed");
	CHECK(api_str(r.json, "agreement.judicial_decided_at") != NULL);
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial/decision", "{\"outcome\":\"rejected\"}");
	check_error(r, 409, "decided", "judicial_status");
	api_resp_free(&r);
	world_free(&w);
}

TEST(no_judicial_confirmation_for_marriage_and_family)
{
	struct world w;
	struct api_resp r;

	world_init(&w, "marriage_family");
	in_effect(&w);
	r = call(&w, &w.officer, "GET", "", NULL);
	{
		bool offered = false;
		json_t *a;
		size_t k;

		json_array_foreach(api_get(r.json, "agreement.actions"), k, a)
			offered = offered || !strcmp(json_string_value(a), "judicial_apply");
		CHECK(!offered);
	}
	api_resp_free(&r);
	r = call(&w, &w.officer, "POST", "/judicial", "{\"court\":\"某区人民法院\"}");
	check_error(r, 409, "not_confirmable", "type");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT COUNT(*) FROM dispute_agreements WHERE"
				   " judicial_status IS NOT NULL"),
		  0);
	world_free(&w);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(draft_errors_name_the_field_and_write_nothing),
	TEST_ENTRY(signing_rules_and_in_effect_only_when_all_have_signed),
	TEST_ENTRY(void_a_signed_draft_and_draft_again),
	TEST_ENTRY(the_pdf_holds_the_parties_terms_signatures_and_code),
	TEST_ENTRY(a_police_draft_pdf_says_so),
	TEST_ENTRY(the_procedure_gives_the_form),
	TEST_ENTRY(follow_ups_in_the_work_queue_performed_and_breached),
	TEST_ENTRY(a_breach_weighs_in_the_watch_and_the_performance_rate),
	TEST_ENTRY(judicial_confirmation_within_30_days),
	TEST_ENTRY(no_judicial_confirmation_for_marriage_and_family),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/dispute_agreement", tests, sizeof(tests) / sizeof(tests[0]), argc,
			    argv);
}
