/* The rectification notice (责令限期整改通知书) of an inspection whose result
 * is rectify, as a PDF in the layout a station uses (document/pdf.h): the
 * station, the notice's number, the place and its owner, the hazards found,
 * the deadline, the lines of the law a station cites, the signature places
 * of the responsible officer and of the owner, and the seal line. Who may
 * have it is who may read the place (fq_place_inspection_get). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/ctx.h"
#include "domain/place.h"
#include "store/place_store.h"
#include "core/banned.h"

static const char *text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "2026年12月20日" of "2026-12-20"; "" otherwise. */
static const char *words_of_day(struct fq_ctx *c, const char *day)
{
	int y, m, d;

	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return "";
	return fq_arena_printf(c->arena, "%d年%d月%d日", y, m, d);
}

static const char *level_words(const char *level)
{
	return !strcmp(level, "severe") ? "重大" : !strcmp(level, "major") ? "较大" : "一般";
}

static void hazards(struct fq_ctx *c, struct fq_pdf *d, json_t *insp)
{
	static const double w[] = {0.1, 0.72, 0.18};
	json_t *h;
	size_t k;

	fq_pdf_row(d, 3, (const char *const[]){"序号", "存在的安全隐患", "隐患等级"}, w, 0x7);
	json_array_foreach(json_object_get(insp, "hazards"), k, h)
		fq_pdf_row(d, 3,
			   (const char *const[]){fq_arena_printf(c->arena, "%zu", k + 1),
						 text(h, "description"),
						 level_words(text(h, "level"))},
			   w, 0);
}

/* The station's name: the first unit of kind station on the place's path. */
static const char *station_name(struct fq_ctx *c, json_t *place)
{
	char *name = NULL;
	const char *out;

	if (fq_store_place_station_name(c->db, json_integer_value(json_object_get(place, "id")),
					&name))
		return "派出所";
	out = fq_arena_strdup(c->arena, name);
	free(name);
	return out ? out : "派出所";
}

enum fq_err fq_place_notice_pdf(struct fq_ctx *c, int64_t place_id, int64_t inspection_id,
				struct fq_buf *out, const char **filename)
{
	json_t *place = fq_place_get(c, place_id);
	json_t *insp = place ? fq_place_inspection_get(c, place_id, inspection_id) : NULL;
	struct fq_pdf *d = NULL;
	const char *unit, *number, *due, *owner;
	enum fq_err err = place && insp ? FQ_OK : c->e->err ? c->e->err : FQ_ERR_NOMEM;

	if (err)
		goto out;
	if (strcmp(text(insp, "result"), "rectify")) {
		err = fq_fail(c->e, FQ_ERR_NOT_FOUND, "no_notice", NULL,
			      "only an inspection that orders rectification has a notice");
		goto out;
	}
	unit = station_name(c, place);
	number = text(insp, "notice_number");
	due = words_of_day(c, text(insp, "rectify_due_on"));
	owner = *text(place, "owner_name") ? text(place, "owner_name") : text(place, "name");
	d = fq_pdf_new(&(struct fq_pdf_head){
			       .unit = unit,
			       .title = "责令限期整改通知书",
			       .number = fq_arena_printf(c->arena, "编号：%s", number),
			       .subject = fq_arena_printf(c->arena, "责令限期整改通知书 %s", number)},
		       c->e);
	if (!d) {
		err = c->e->err;
		goto out;
	}
	fq_pdf_fields2(d, "单位场所", text(place, "name"), "负责人", owner);
	fq_pdf_field(d, "地址", text(place, "address"));
	fq_pdf_fields2(d, "检查日期", words_of_day(c, text(insp, "inspected_on")), "整改期限",
		       due);
	fq_pdf_space(d, 8);
	fq_pdf_paragraph(d, fq_arena_printf(c->arena,
					     "%s：\n我所于%s对你单位进行了安全检查，发现存在下列安全隐患：",
					     owner, words_of_day(c, text(insp, "inspected_on"))));
	hazards(c, d, insp);
	if (*text(insp, "findings")) {
		fq_pdf_heading(d, "检查情况");
		fq_pdf_paragraph(d, text(insp, "findings"));
	}
	fq_pdf_space(d, 8);
	fq_pdf_paragraph(
		d, fq_arena_printf(
			   c->arena,
			   "根据《中华人民共和国消防法》《中华人民共和国治安管理处罚法》等有关法律法规的"
			   "规定，责令你单位于%s前将上述隐患整改完毕。整改期间，应当采取措施，确保安全。"
			   "\n逾期不整改或者整改不符合要求的，我所将依法予以处理。"
			   "\n你单位如对本通知不服，可以依法申请行政复议或者提起行政诉讼。",
			   due));
	fq_pdf_space(d, 8);
	fq_pdf_signatures(d,
			  (const struct fq_pdf_signature[]){
				  {"民警签名", text(place, "officer_name"), "    年  月  日", NULL, 0},
				  {"被检查单位负责人签收", "", "    年  月  日", NULL, 0},
			  },
			  2);
	fq_pdf_seal(d, unit, words_of_day(c, text(insp, "inspected_on")));
	fq_pdf_paragraph(d, "本通知书一式两份，一份交被检查单位，一份存档。");
	err = fq_pdf_finish(d, out, NULL);
	if (!err)
		*filename = fq_arena_printf(c->arena, "责令限期整改通知书-%s.pdf", text(place, "name"));
out:
	fq_pdf_free(d);
	json_decref(place);
	json_decref(insp);
	return err;
}
