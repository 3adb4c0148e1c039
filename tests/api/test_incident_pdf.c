/* GET /api/incidents/{id}/onsite.pdf: the sealed on-site record as a PDF —
 * who may have it, what it says (read back with pdftotext), its QR code
 * (zbarimg), the download's headers and its audit entry. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "api/pdftext.h"
#include "test.h"

#define PNG "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

struct world {
	struct api_env *env;
	struct api_client officer;
	int64_t id;
	char number[40];
};

static void ok(struct api_env *env, struct api_client *c, const char *path, const char *body,
	       int status)
{
	struct api_resp r = api_call(env, c, "POST", path, body);

	check_status(r, status);
	if (r.status == 201 && !api_int(r.json, "id"))
		CHECK(0);
	api_resp_free(&r);
}

/* An incident at an address of grid gA1, handled on scene by the officer;
 * sealed with the signatures of a party, the officer and a witness unless
 * seal is false. */
static bool world(struct world *w, bool seal)
{
	static const char *const on_shift[] = {"officer", NULL};
	struct api_resp r;
	int64_t addr;
	const char *base;

	memset(w, 0, sizeof(*w));
	w->env = api_env_new();
	CHECK(api_on_shift(w->env, w->env->st_a, on_shift));
	if (!api_login_enrolled(w->env, &w->officer, "officer"))
		return false;
	addr = api_new_address(w->env, &w->officer, w->env->g_a1, "金港路", "8号");
	r = api_callf(w->env, &w->officer, "POST", "/api/incidents",
		      "{\"channel\":\"110_transfer\",\"category\":\"dispute\",\"subcategory\":"
		      "\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\",\"caller_name\":\"周报警\","
		      "\"address_id\":%lld}",
		      (long long)addr);
	check_status(r, 201);
	w->id = api_int(r.json, "id");
	snprintf(w->number, sizeof(w->number), "%s", api_str(r.json, "number") ? api_str(r.json, "number") : "");
	api_resp_free(&r);
	if (!w->id)
		return false;
	base = api_fmt("/api/incidents/%lld/", (long long)w->id);
	ok(w->env, &w->officer, api_fmt("%sdispatch", base),
	   api_fmt("{\"user_ids\":[%lld]}", (long long)api_user_id(w->env, "officer")), 200);
	ok(w->env, &w->officer, api_fmt("%sarrive", base), "{}", 200);
	ok(w->env, &w->officer, api_fmt("%shandle", base), "{\"note\":\"现场调解\"}", 200);
	if (seal)
		ok(w->env, &w->officer, api_fmt("%sonsite-record", base),
		   "{\"facts\":\"楼上住户深夜装修，噪音扰民，双方发生争执。\","
		   "\"disposal\":\"现场调解，约定晚十点后停工，双方握手言和。\","
		   "\"signatures\":[{\"role\":\"party\",\"name\":\"钱当事\",\"image\":\"" PNG "\"},"
		   "{\"role\":\"officer\",\"name\":\"孙民警\",\"image\":\"" PNG "\"},"
		   "{\"role\":\"witness\",\"name\":\"李见证\",\"image\":\"" PNG "\"}]}",
		   201);
	return true;
}

static struct api_resp get_pdf(struct world *w, struct api_client *c)
{
	return api_call(w->env, c, "GET", api_fmt("/api/incidents/%lld/onsite.pdf", (long long)w->id),
			NULL);
}

TEST(the_pdf_holds_the_record_signatures_and_qr_code)
{
	struct world w;
	struct api_resp r;
	char *text, *qr;

	if (!world(&w, true))
		goto out;
	r = get_pdf(&w, &w.officer);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	CHECK(r.body_len > 1000 && !memcmp(r.body, "%PDF-", 5));
	/* FQ_TEST_PDF_OUT=file.pdf keeps it to look at. */
	if (getenv("FQ_TEST_PDF_OUT")) {
		FILE *f = fopen(getenv("FQ_TEST_PDF_OUT"), "wb");

		if (f) {
			fwrite(r.body, 1, r.body_len, f);
			fclose(f);
		}
	}
	/* 现场记录-<number>.pdf: a fallback of '_' for each Chinese character,
	 * and the name itself, percent-encoded UTF-8 (RFC 5987). */
	CHECK(r.disposition && strstr(r.disposition, api_fmt("attachment; filename=\"____-%s.pdf\"",
							     w.number)));
	CHECK(r.disposition &&
	      strstr(r.disposition, api_fmt("filename*=UTF-8''%%E7%%8E%%B0%%E5%%9C%%BA%%E8%%AE%%B0%%E5%%BD%%95-%s.pdf",
					    w.number)));
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text != NULL);
	if (text) {
		CHECK(strstr(text, "两路派出所") != NULL);
		CHECK(strstr(text, "处警现场处结备案单") != NULL);
		CHECK(strstr(text, api_fmt("警情编号：%s", w.number)) != NULL);
		CHECK(strstr(text, "周报警") != NULL);
		CHECK(strstr(text, "金港路") != NULL);
		CHECK(strstr(text, "噪音扰民，双方发生争执") != NULL);
		CHECK(strstr(text, "约定晚十点后停工") != NULL);
		/* The form's order: party, officer, witness. */
		CHECK(strstr(text, "钱当事") && strstr(text, "孙民警") && strstr(text, "李见证") &&
		      strstr(text, "钱当事") < strstr(text, "孙民警") &&
		      strstr(text, "孙民警") < strstr(text, "李见证"));
		CHECK(strstr(text, "当事人签名") != NULL);
		CHECK(strstr(text, "核验：一致") != NULL);
		CHECK(strstr(text, "第1页共1页") != NULL);
	}
	free(text);
	qr = pdf_qr(r.body, r.body_len);
	CHECK_STR(qr, w.number);
	free(qr);
	/* The three signatures are images in it. */
	CHECK_INT(pdf_images(r.body, r.body_len), 3);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "incident.onsite_pdf", api_fmt("%lld", (long long)w.id));

		CHECK_STR(api_str(e, "outcome"), "success");
		json_decref(e);
	}
out:
	api_env_free(w.env);
}

TEST(only_who_may_read_the_incident_gets_it)
{
	struct world w;
	struct api_client other = {0}, volunteer = {0}, aux = {0};
	struct api_resp r;

	if (!world(&w, true))
		goto out;
	/* Another station's officer: the incident is not in scope. */
	CHECK(api_login_enrolled(w.env, &other, "officer.b"));
	r = get_pdf(&w, &other);
	check_status(r, 404);
	CHECK(r.json != NULL); /* an error in JSON, not a PDF */
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(w.env, "incident.onsite_pdf", api_fmt("%lld", (long long)w.id));

		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	/* A role without incident.read. */
	CHECK(api_login_enrolled(w.env, &volunteer, "volunteer"));
	r = get_pdf(&w, &volunteer);
	check_status(r, 403);
	api_resp_free(&r);
	/* The aux of the station reads incidents, so has it. */
	CHECK(api_login_enrolled(w.env, &aux, "aux"));
	r = get_pdf(&w, &aux);
	check_status(r, 200);
	api_resp_free(&r);
	/* Not signed in. */
	r = get_pdf(&w, &(struct api_client){0});
	check_status(r, 401);
	api_resp_free(&r);
	/* A path that is not an id. */
	r = api_call(w.env, &w.officer, "GET", "/api/incidents/x/onsite.pdf", NULL);
	CHECK(r.status == 400 || r.status == 404);
	api_resp_free(&r);
out:
	api_env_free(w.env);
}

TEST(no_record_no_pdf_and_a_broken_seal_says_so)
{
	struct world w;
	struct api_resp r;
	char *text;

	if (!world(&w, false))
		goto out;
	r = get_pdf(&w, &w.officer);
	check_error(r, 404, NULL, NULL);
	CHECK(r.json && strstr(api_str(r.json, "error.message") ? api_str(r.json, "error.message") : "",
			       "no on-site record"));
	api_resp_free(&r);
	api_env_free(w.env);

	if (!world(&w, true))
		goto out;
	CHECK(api_exec(w.env, "UPDATE onsite_records SET facts = '楼上住户白天装修'"));
	r = get_pdf(&w, &w.officer);
	check_status(r, 200);
	text = pdf_text(r.body, r.body_len, "");
	CHECK(text && strstr(text, "楼上住户白天装修") && strstr(text, "核验：不一致"));
	free(text);
	api_resp_free(&r);
out:
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(the_pdf_holds_the_record_signatures_and_qr_code),
    TEST_ENTRY(only_who_may_read_the_incident_gets_it),
    TEST_ENTRY(no_record_no_pdf_and_a_broken_seal_says_so),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/incident_pdf", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
