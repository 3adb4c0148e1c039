/* The PDF engine (document/pdf.c): documents are read back with poppler's
 * pdftotext and pdftoppm and the QR code decoded with zbarimg (Debian's
 * poppler-utils and zbar-tools, installed by tools/install-deps.sh --test). */
#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "document/pdf.h"
#include "api/pdftext.h"
#include "test.h"

static char *text_of(const struct fq_buf *pdf, const char *pages)
{
	return pdf_text(pdf->ptr, pdf->len, pages);
}

static const struct fq_pdf_head head = {
	.unit = "城东派出所",
	.title = "测试文书",
	.number = "编号：CS2026-0001",
	.qr = "JQ20261206000123",
};

static const char sentence[] = "双方当事人经现场民警调解，就邻里噪音问题达成一致意见，"
			       "今后互相体谅、和睦相处。";

/* Paragraph k: a marker "[pNNN]" (never broken: one word) and sentences. */
static void paragraph(struct fq_pdf *d, int k, int sentences)
{
	char text[4096];
	int n = snprintf(text, sizeof(text), "[p%03d]", k);

	for (int i = 0; i < sentences && n < (int)sizeof(text) - 200; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s", sentence);
	fq_pdf_paragraph(d, text);
}

TEST(long_paragraphs_run_in_order_across_two_pages)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf;
	int pages = 0;
	char *text, *all, *p;

	CHECK(d != NULL);
	if (!d)
		return;
	fq_pdf_fields2(d, "报警时间", "2026-12-06 09:30", "类别", "纠纷");
	fq_pdf_field(d, "地点", "城东街道幸福里小区 3 幢 2 单元 501 室");
	fq_pdf_heading(d, "一、基本情况");
	for (int k = 1; k <= 12; k++)
		paragraph(d, k, 3);
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, &pages), FQ_OK);
	fq_pdf_free(d);
	CHECK_INT(pages, 2);
	CHECK(pdf.len > 1000 && !memcmp(pdf.ptr, "%PDF-", 5));
	all = text_of(&pdf, "");
	CHECK(all != NULL);
	if (!all) {
		fq_buf_release(&pdf);
		return;
	}
	CHECK(strstr(all, "城东派出所") != NULL);
	CHECK(strstr(all, "测试文书") != NULL);
	CHECK(strstr(all, "编号：CS2026-0001") != NULL);
	CHECK(strstr(all, "幸福里小区") != NULL);
	/* Every paragraph, in order. */
	p = all;
	for (int k = 1; k <= 12; k++) {
		char marker[16];
		char *at;

		snprintf(marker, sizeof(marker), "[p%03d]", k);
		at = strstr(p, marker);
		CHECK(at != NULL);
		if (at)
			p = at;
	}
	free(all);
	text = text_of(&pdf, "-f 1 -l 1");
	CHECK(text && strstr(text, "第1页共2页"));
	CHECK(text && strstr(text, "[p001]") && !strstr(text, "[p012]"));
	free(text);
	text = text_of(&pdf, "-f 2 -l 2");
	CHECK(text && strstr(text, "第2页共2页"));
	CHECK(text && strstr(text, "[p012]") && !strstr(text, "[p001]"));
	free(text);
	fq_buf_release(&pdf);
}

TEST(the_qr_code_decodes_to_its_text)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf;
	char *got;
	int w = 0;
	unsigned char *m = fq_pdf_qr_matrix("JQ20261206000123", &w);

	/* libqrencode's symbol: version 1 or 2 for 16 bytes at level M. */
	CHECK(m != NULL);
	CHECK(w == 21 || w == 25);
	free(m);
	CHECK(fq_pdf_qr_matrix("", &w) == NULL);
	if (!d)
		return;
	fq_pdf_paragraph(d, "扫码查询办理进度。");
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, NULL), FQ_OK);
	fq_pdf_free(d);
	got = pdf_qr(pdf.ptr, pdf.len);
	CHECK_STR(got, "JQ20261206000123");
	free(got);
	/* The caption under it is the text too. */
	got = text_of(&pdf, "");
	CHECK(got && strstr(got, "JQ20261206000123"));
	free(got);
	fq_buf_release(&pdf);
}

/* A PNG of w × h pixels with a stroke on it, made by cairo. */
static cairo_status_t png_add(void *closure, const unsigned char *data, unsigned int len)
{
	return fq_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void png_make(struct fq_buf *b, int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	cairo_t *cr = cairo_create(s);

	cairo_set_line_width(cr, 4);
	cairo_move_to(cr, 10, h - 10);
	cairo_curve_to(cr, w / 3.0, 0, w / 2.0, h, w - 10, 10);
	cairo_stroke(cr);
	cairo_destroy(cr);
	fq_buf_init(b, 1 << 20);
	cairo_surface_write_to_png_stream(s, png_add, b);
	cairo_surface_destroy(s);
}

TEST(a_signature_block_is_kept_whole_on_the_next_page)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf, png;
	int pages = 0;
	char *p1, *p2;

	if (!d)
		return;
	png_make(&png, 600, 200);
	fq_pdf_paragraph(d, "以上内容经双方确认无误。");
	fq_pdf_space(d, 560);
	{
		struct fq_pdf_signature s[] = {
			{"当事人签名", "张三", "2026年12月6日", png.ptr, png.len},
			{"当事人签名", "李四", "2026年12月6日", png.ptr, png.len},
			{"民警签名", "王警官", "2026年12月6日", png.ptr, png.len},
			{"见证人签名", "赵六", "2026年12月6日", NULL, 0},
		};

		CHECK_INT(fq_pdf_signatures(d, s, 4), FQ_OK);
	}
	fq_pdf_seal(d, "城东派出所", "2026年12月6日");
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, &pages), FQ_OK);
	fq_pdf_free(d);
	CHECK_INT(pages, 2);
	p1 = text_of(&pdf, "-f 1 -l 1");
	p2 = text_of(&pdf, "-f 2 -l 2");
	CHECK(p1 && strstr(p1, "双方确认无误") && !strstr(p1, "张三") && !strstr(p1, "赵六"));
	CHECK(p2 && strstr(p2, "张三") && strstr(p2, "李四") && strstr(p2, "王警官") &&
	      strstr(p2, "赵六") && strstr(p2, "民警签名") && strstr(p2, "（印章）"));
	free(p1);
	free(p2);
	/* The three images are in the file. */
	CHECK_INT(pdf_images(pdf.ptr, pdf.len), 3);
	fq_buf_release(&pdf);
	fq_buf_release(&png);
}

TEST(bad_input_is_refused_naming_what)
{
	struct fq_error e = {0};
	struct fq_pdf *d;
	struct fq_buf pdf, png;
	struct fq_pdf_signature s[2] = {{"当事人", "张三", "", NULL, 0},
					{"民警", "王五", "", "not a png at all, only text....", 31}};
	char *big;

	CHECK(fq_pdf_new(&(struct fq_pdf_head){.unit = "", .title = "x"}, &e) == NULL);
	CHECK_STR(e.field, "unit");
	d = fq_pdf_new(&head, &e);
	if (!d)
		return;
	CHECK_INT(fq_pdf_signatures(d, s, 2), FQ_ERR_INVALID);
	CHECK_STR(e.field, "signatures");
	CHECK(strstr(e.message, "signature 2") != NULL);
	/* The first error stays; later calls do nothing. */
	CHECK_INT(fq_pdf_paragraph(d, "后来的段落"), FQ_ERR_INVALID);
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, NULL), FQ_ERR_INVALID);
	CHECK_INT(pdf.len, 0);
	fq_pdf_free(d);

	/* Not UTF-8. */
	d = fq_pdf_new(&head, &e);
	CHECK_INT(fq_pdf_paragraph(d, "\xff\xfe bad"), FQ_ERR_INVALID);
	fq_pdf_free(d);

	/* A PNG with too many pixels is refused from its header. */
	png_make(&png, 2000, 1200);
	d = fq_pdf_new(&head, &e);
	s[1].png = png.ptr;
	s[1].png_len = png.len;
	CHECK_INT(fq_pdf_signatures(d, s, 2), FQ_ERR_INVALID);
	CHECK(strstr(e.message, "too many pixels") != NULL);
	fq_pdf_free(d);
	fq_buf_release(&png);

	/* Too much text. */
	big = malloc(FQ_PDF_MAX_TEXT + 2);
	memset(big, 'a', FQ_PDF_MAX_TEXT + 1);
	big[FQ_PDF_MAX_TEXT + 1] = '\0';
	d = fq_pdf_new(&head, &e);
	CHECK_INT(fq_pdf_paragraph(d, big), FQ_ERR_TOO_LARGE);
	fq_pdf_free(d);
	free(big);

	/* Too many pages. */
	d = fq_pdf_new(&head, &e);
	for (int i = 0; i < FQ_PDF_MAX_PAGES + 1; i++)
		fq_pdf_page_break(d);
	CHECK_INT(fq_pdf_finish(d, &pdf, NULL), FQ_ERR_TOO_LARGE);
	CHECK(strstr(e.message, "60 pages") != NULL);
	fq_pdf_free(d);

	/* A PDF larger than the buffer's maximum. */
	d = fq_pdf_new(&head, &e);
	fq_pdf_paragraph(d, sentence);
	fq_buf_release(&pdf);
	fq_buf_init(&pdf, 2000);
	CHECK_INT(fq_pdf_finish(d, &pdf, NULL), FQ_ERR_TOO_LARGE);
	fq_pdf_free(d);
	fq_buf_release(&pdf);

	/* Rows: 1 to 8 cells, widths that sum to 1. */
	d = fq_pdf_new(&head, &e);
	CHECK_INT(fq_pdf_row(d, 2, (const char *const[]){"a", "b"}, (const double[]){0.5, 0.2}, 0),
		  FQ_ERR_INVALID);
	CHECK_STR(e.field, "widths");
	fq_pdf_free(d);
}

TEST(a_table_row_taller_than_a_page_is_split_by_lines)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf;
	char text[40000];
	int n = 0, pages = 0;
	char *all, *p;

	if (!d)
		return;
	for (int k = 1; k <= 60; k++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "[r%03d]%s\n", k, sentence);
	fq_pdf_field(d, "事实", text);
	fq_pdf_row(d, 3, (const char *const[]){"序号", "名称", "数量"}, (const double[]){0.2, 0.5, 0.3}, 7);
	fq_pdf_row(d, 3, (const char *const[]){"1", "赔偿金", "3000 元"}, (const double[]){0.2, 0.5, 0.3}, 0);
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, &pages), FQ_OK);
	fq_pdf_free(d);
	CHECK(pages >= 2);
	all = text_of(&pdf, "");
	p = all;
	for (int k = 1; p && k <= 60; k++) {
		char marker[16];

		snprintf(marker, sizeof(marker), "[r%03d]", k);
		p = strstr(p, marker);
		CHECK(p != NULL);
	}
	/* Each line once: nothing drawn twice at a page break. */
	CHECK(all && strstr(strstr(all, "[r030]") + 1, "[r030]") == NULL);
	CHECK(all && strstr(all, "赔偿金") && strstr(all, "3000元"));
	free(all);
	fq_buf_release(&pdf);
}

/* Documents made on several threads at once (each with pango's per-thread
 * font map) come out whole. */
static void *make_one(void *arg)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf;
	int *pages = arg;

	if (!d)
		return NULL;
	for (int k = 1; k <= 12; k++)
		paragraph(d, k, 3);
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	if (fq_pdf_finish(d, &pdf, pages))
		*pages = -1;
	fq_pdf_free(d);
	fq_buf_release(&pdf);
	return NULL;
}

TEST(documents_are_made_on_several_threads_at_once)
{
	pthread_t t[4];
	int pages[4] = {0};

	for (int i = 0; i < 4; i++)
		CHECK_INT(pthread_create(&t[i], NULL, make_one, &pages[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(pages[i], 2);
	}
}

/* Labels (the registry's): two a row, eight to a page under the heading,
 * a row never split; the block after a half row starts below it. */
TEST(labels_fill_rows_of_two_and_pages_of_eight)
{
	struct fq_error e = {0};
	struct fq_pdf *d = fq_pdf_new(&head, &e);
	struct fq_buf pdf;
	char *p1, *p2, name[16], url[48];
	int pages = 0;

	if (!d)
		return;
	CHECK_INT(fq_pdf_label(d, "x", (const char *const[]){"a"}, 0), FQ_ERR_INVALID);
	CHECK_STR(e.field, "lines");
	fq_pdf_free(d);
	d = fq_pdf_new(&head, &e);
	CHECK_INT(fq_pdf_label(d, "x", (const char *const[]){"a", "b", "c", "d", "e", "f", "g"}, 7),
		  FQ_ERR_INVALID);
	fq_pdf_free(d);
	d = fq_pdf_new(&head, &e);
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof(name), "[L%02d]", i);
		snprintf(url, sizeof(url), "https://fq/#/registry/%d", i);
		fq_pdf_label(d, url, (const char *const[]){name, "编号：ZR0001", "责任人：王晶"}, 3);
	}
	paragraph(d, 1, 1);
	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	CHECK_INT(fq_pdf_finish(d, &pdf, &pages), FQ_OK);
	fq_pdf_free(d);
	CHECK_INT(pages, 2);
	p1 = text_of(&pdf, "-f 1 -l 1");
	p2 = text_of(&pdf, "-f 2 -l 2");
	CHECK(p1 && strstr(p1, "[L01]") && strstr(p1, "[L08]") && !strstr(p1, "[L09]"));
	CHECK(p2 && strstr(p2, "[L09]") && strstr(p2, "[p001]"));
	CHECK(p2 && strstr(p2, "[L09]") < strstr(p2, "[p001]"));
	free(p1);
	free(p2);
	fq_buf_release(&pdf);
}

TEST(the_fonts_are_installed)
{
	struct fq_error e = {0};

	CHECK_INT(fq_pdf_fonts_check(&e), FQ_OK);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(the_fonts_are_installed),
    TEST_ENTRY(long_paragraphs_run_in_order_across_two_pages),
    TEST_ENTRY(the_qr_code_decodes_to_its_text),
    TEST_ENTRY(a_signature_block_is_kept_whole_on_the_next_page),
    TEST_ENTRY(bad_input_is_refused_naming_what),
    TEST_ENTRY(a_table_row_taller_than_a_page_is_split_by_lines),
    TEST_ENTRY(documents_are_made_on_several_threads_at_once),
    TEST_ENTRY(labels_fill_rows_of_two_and_pages_of_eight),
};

int main(int argc, char **argv)
{
	return fq_test_main("document/pdf", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
