/* The mediation agreement (人民调解协议书 / 治安调解协议书) as a PDF in the
 * layout of the paper form: the mediating unit, the dispute's number, the
 * tracking code as a QR code (一案一码), the parties, the facts, matters and
 * liabilities, the terms as a table, "本协议一式三份", the drawn signatures
 * with their dates and the seal line (document/pdf.h). What it shows and who
 * may have it are those of fq_dispute_get and fq_dispute_agreement_get. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/dispute_agreement.h"
#include "domain/dispute_tracking.h"
#include "store/attachment_store.h"
#include "core/banned.h"

static const char *text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "2026年12月6日", station time; "" when iso is not a time. */
static const char *local_date(struct fq_ctx *c, const char *iso)
{
	int64_t ms;
	int y, mo, d;
	char t[24];

	if (!fq_time_parse_datetime(iso, &ms))
		return "";
	fq_time_format(ms + c->cfg->utc_offset_minutes * 60000, t, sizeof(t));
	if (sscanf(t, "%4d-%2d-%2d", &y, &mo, &d) != 3)
		return "";
	return fq_arena_printf(c->arena, "%d年%d月%d日", y, mo, d);
}

static const char *sex_words(const char *sex)
{
	return !strcmp(sex, "M") ? "男" : !strcmp(sex, "F") ? "女" : "";
}

static const char *role_words(const char *role)
{
	return !strcmp(role, "applicant")    ? "申请人"
	       : !strcmp(role, "respondent") ? "被申请人"
					     : "第三人";
}

/* The mediating unit: the mediator's organisation (a committee of the
 * 1+3+N) when there is one, else the dispute's station. */
static const char *unit_of(json_t *dispute, int64_t mediator_id)
{
	json_t *m;
	size_t k;

	json_array_foreach(json_object_get(dispute, "mediators"), k, m)
		if (json_integer_value(json_object_get(m, "user_id")) == mediator_id &&
		    *text(m, "organisation"))
			return text(m, "organisation");
	return *text(dispute, "station_name") ? text(dispute, "station_name")
					      : text(dispute, "org_name");
}

static void parties(struct fq_ctx *c, struct fq_pdf *d, json_t *dispute)
{
	static const double w[] = {0.14, 0.2, 0.08, 0.28, 0.3};
	json_t *p;
	size_t k;

	(void)c;
	fq_pdf_row(d, 5, (const char *const[]){"身份", "姓名", "性别", "身份证号码", "联系电话"}, w,
		   0x1f);
	json_array_foreach(json_object_get(dispute, "parties"), k, p)
		fq_pdf_row(d, 5,
			   (const char *const[]){role_words(text(p, "role")), text(p, "name"),
						 sex_words(text(p, "sex")), text(p, "id_number"),
						 text(p, "phone")},
			   w, 0x1);
}

static void terms(struct fq_ctx *c, struct fq_pdf *d, json_t *ag)
{
	static const double w[] = {0.08, 0.48, 0.12, 0.16, 0.16};
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七",
					       "八", "九", "十", "十一", "十二", "十三", "十四",
					       "十五", "十六", "十七", "十八", "十九", "二十"};
	json_t *t;
	size_t k;

	fq_pdf_row(d, 5, (const char *const[]){"序号", "协议内容", "履行人", "履行方式", "履行期限"},
		   w, 0x1f);
	json_array_foreach(json_object_get(ag, "terms"), k, t)
		fq_pdf_row(d, 5,
			   (const char *const[]){k < 20 ? numerals[k]
							: fq_arena_printf(c->arena, "%zu", k + 1),
						 text(t, "what"), text(t, "who"), text(t, "how"),
						 text(t, "due")},
			   w, 0);
}

/* The signatures in the order signed, images from the attachments. */
static enum fq_err signatures(struct fq_ctx *c, json_t *ag, struct fq_pdf_signature *out,
			      int *n)
{
	json_t *s;
	size_t k;

	*n = 0;
	json_array_foreach(json_object_get(ag, "signatures"), k, s) {
		struct fq_pdf_signature *g = &out[*n];
		const void *png = NULL;
		size_t len = 0;
		enum fq_err err;

		if (*n == FQ_PDF_MAX_SIGNATURES)
			return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
				       "the agreement has more signatures than a form holds");
		err = fq_store_attachment_bytes(c->db,
						json_integer_value(json_object_get(s, "attachment_id")),
						0, c->arena, &png, &len);
		/* Bytes gone (a deleted attachment): an empty place, as on paper. */
		if (err && err != FQ_ERR_NOT_FOUND)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		*g = (struct fq_pdf_signature){
			!strcmp(text(s, "signer"), "mediator") ? "调解员签名" : "当事人签名",
			text(s, "name"), local_date(c, text(s, "signed_at")), err ? NULL : png,
			err ? 0 : len};
		(*n)++;
	}
	return FQ_OK;
}

enum fq_err fq_dispute_agreement_pdf(struct fq_ctx *c, int64_t id, struct fq_buf *out,
				     const char **filename)
{
	struct fq_pdf_signature sigs[FQ_PDF_MAX_SIGNATURES];
	json_t *dispute = fq_dispute_get(c, id), *all = dispute ? fq_dispute_agreement_get(c, id) : NULL;
	json_t *ag = json_object_get(all, "agreement");
	struct fq_pdf *d = NULL;
	const char *number, *code, *unit, *title, *date;
	int n = 0;
	enum fq_err err = dispute && all ? FQ_OK : c->e->err ? c->e->err : FQ_ERR_NOMEM;

	if (err)
		goto out;
	if (!json_is_object(ag)) {
		err = fq_fail(c->e, FQ_ERR_NOT_FOUND, "no_agreement", NULL,
			      "the dispute has no agreement");
		goto out;
	}
	number = text(dispute, "number");
	code = text(dispute, "tracking_code");
	unit = unit_of(dispute, json_integer_value(json_object_get(ag, "mediator_id")));
	title = !strcmp(text(ag, "form"), "police") ? "治安调解协议书" : "人民调解协议书";
	date = local_date(c, text(ag, "effective_at"));
	err = signatures(c, ag, sigs, &n);
	if (err)
		goto out;
	d = fq_pdf_new(&(struct fq_pdf_head){
			       .unit = unit,
			       .title = title,
			       .number = fq_arena_printf(c->arena, "编号：%s", number),
			       .qr = fq_dispute_track_url(c, code), /* the public page, when set */
			       .qr_caption = fq_arena_printf(c->arena, "扫码查询 %s", code),
			       .subject = fq_arena_printf(c->arena, "%s %s", title, number)},
		       c->e);
	if (!d) {
		err = c->e->err;
		goto out;
	}
	if (!strcmp(text(ag, "status"), "draft"))
		fq_pdf_paragraph(d, "（草稿：各方当事人和调解员签名后生效）");
	parties(c, d, dispute);
	fq_pdf_heading(d, "纠纷主要事实");
	fq_pdf_paragraph(d, text(ag, "facts"));
	fq_pdf_heading(d, "争议事项");
	fq_pdf_paragraph(d, text(ag, "matters"));
	fq_pdf_heading(d, "各方责任");
	fq_pdf_paragraph(d, text(ag, "liabilities"));
	fq_pdf_heading(d, "经调解，各方自愿达成如下协议");
	terms(c, d, ag);
	fq_pdf_space(d, 8);
	fq_pdf_paragraph(d, "本协议自各方当事人和调解员签名之日起生效。"
			    "本协议一式三份，双方当事人、调解组织各执一份。");
	if (n)
		fq_pdf_signatures(d, sigs, n);
	fq_pdf_seal(d, unit, *date ? date : "    年  月  日");
	err = fq_pdf_finish(d, out, NULL);
	if (!err)
		*filename = fq_arena_printf(c->arena, "调解协议书-%s.pdf", number);
out:
	fq_pdf_free(d);
	json_decref(dispute);
	json_decref(all);
	return err;
}
