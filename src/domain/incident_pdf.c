/* The sealed on-site record (处警现场处结备案单) as a PDF in the layout of the
 * paper form: the station's name, the incident's number as text and as a QR
 * code, the record's fields, the parties' drawn signatures, the station's seal
 * line and the record's seal with whether it still verifies
 * (document/pdf.h). What it shows and who may have it are those of
 * fq_incident_get and fq_incident_onsite_get. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/ctx.h"
#include "domain/incident.h"
#include "core/banned.h"

static const char *text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "2026年12月6日 09:30" (with_time) or "2026年12月6日", station time; "" when
 * iso is not a time. */
static const char *local(struct fq_ctx *c, const char *iso, bool with_time)
{
	int64_t ms;
	int y, mo, d, h, mi;
	char t[24];

	if (!fq_time_parse_datetime(iso, &ms))
		return "";
	fq_time_format(ms + c->cfg->utc_offset_minutes * 60000, t, sizeof(t));
	if (sscanf(t, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return "";
	return with_time ? fq_arena_printf(c->arena, "%d年%d月%d日 %02d:%02d", y, mo, d, h, mi)
			 : fq_arena_printf(c->arena, "%d年%d月%d日", y, mo, d);
}

static const char *role_words(const char *role)
{
	static const char *const words[][2] = {
		{"party", "当事人签名"}, {"officer", "民警签名"}, {"witness", "见证人签名"}};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(role, words[i][0]))
			return words[i][1];
	return role;
}

/* The signatures in the form's order (party, officer, witness, each by its
 * number), their images decoded from the record's data URLs. */
static enum fq_err signatures(struct fq_ctx *c, json_t *rec, struct fq_pdf_signature *out, int *n)
{
	json_t *sigs = json_object_get(rec, "signatures"), *s;
	size_t k;

	*n = 0;
	for (int r = 0; fq_signature_roles[r]; r++)
		json_array_foreach(sigs, k, s) {
			const char *url = text(s, "image"), *b64 = strchr(url, ',');
			struct fq_pdf_signature *g = &out[*n];
			size_t cap, len = 0;
			unsigned char *png;

			if (strcmp(text(s, "role"), fq_signature_roles[r]))
				continue;
			if (*n == FQ_PDF_MAX_SIGNATURES)
				return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
					       "the record has more signatures than a form holds");
			*g = (struct fq_pdf_signature){role_words(fq_signature_roles[r]),
						       text(s, "name"),
						       local(c, text(s, "signed_at"), false), NULL, 0};
			cap = b64 ? strlen(b64) / 4 * 3 + 3 : 0;
			png = cap ? fq_arena_alloc(c->arena, cap) : NULL;
			if (cap && !png)
				return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
			/* An image the record cannot show leaves the place empty,
			 * as the screen does; the seal line says it does not verify. */
			if (png && !sodium_base642bin(png, cap, b64 + 1, strlen(b64 + 1), NULL, &len,
						      NULL, sodium_base64_VARIANT_ORIGINAL)) {
				g->png = png;
				g->png_len = len;
			}
			(*n)++;
		}
	return FQ_OK;
}

enum fq_err fq_incident_onsite_pdf(struct fq_ctx *c, int64_t id, struct fq_buf *out,
				   const char **filename)
{
	struct fq_pdf_signature sigs[FQ_PDF_MAX_SIGNATURES];
	json_t *inc = fq_incident_get(c, id), *rec = inc ? fq_incident_onsite_get(c, id) : NULL;
	struct fq_pdf *d = NULL;
	const char *number, *station;
	int n = 0;
	enum fq_err err = inc && rec ? FQ_OK : c->e->err ? c->e->err : FQ_ERR_NOMEM;

	if (err)
		goto out;
	number = text(inc, "number");
	/* The incident's station heads the form, as on paper. */
	station = *text(inc, "station_name") ? text(inc, "station_name") : text(inc, "org_name");
	err = signatures(c, rec, sigs, &n);
	if (err)
		goto out;
	d = fq_pdf_new(&(struct fq_pdf_head){.unit = station,
					     .title = "处警现场处结备案单",
					     .number = fq_arena_printf(c->arena, "警情编号：%s", number),
					     .qr = number,
					     .subject = fq_arena_printf(c->arena, "处警现场处结备案单 %s",
									number)},
		       c->e);
	if (!d) {
		err = c->e->err;
		goto out;
	}
	fq_pdf_fields2(d, "报警时间", local(c, text(inc, "received_at"), true), "封存时间",
		       local(c, text(rec, "created_at"), true));
	fq_pdf_fields2(d, "报警人", text(inc, "caller_name"), "联系电话", text(inc, "caller_phone"));
	fq_pdf_field(d, "事发地点", text(inc, "address_text"));
	fq_pdf_field(d, "现场情况", text(rec, "facts"));
	fq_pdf_field(d, "处置情况", text(rec, "disposal"));
	if (n)
		fq_pdf_signatures(d, sigs, n);
	fq_pdf_seal(d, station, local(c, text(rec, "created_at"), false));
	fq_pdf_space(d, 10);
	fq_pdf_paragraph(d, fq_arena_printf(c->arena, "封签（SHA-256）：%s\n核验：%s", text(rec, "seal"),
					    json_is_true(json_object_get(rec, "seal_ok"))
						    ? "一致，封存后未被改动"
						    : "不一致：记录或签名在封存后被改动"));
	err = fq_pdf_finish(d, out, NULL);
	if (!err)
		*filename = fq_arena_printf(c->arena, "现场记录-%s.pdf", number);
out:
	fq_pdf_free(d);
	json_decref(inc);
	json_decref(rec);
	return err;
}
