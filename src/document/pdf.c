/* Paper forms as PDF: blocks recorded by the fq_pdf_* calls, laid out by
 * pango and drawn by cairo at fq_pdf_finish (document/pdf.h). */
#include "document/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/banned.h"

/* A4 in points, the margins and the type sizes of the forms. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define LEFT 62.0
#define TOP 56.0
#define BOTTOM (PAGE_H - 64.0) /* the last line of content */
#define WIDTH (PAGE_W - 2 * LEFT)
#define PAD 5.0
#define BODY 12.0
#define LABEL 10.5
#define SMALL 9.0
#define SIG_IMAGE_H 56.0
#define HEAD_QR 68.0
#define LABEL_H 150.0 /* a label of the registry; two a row */
#define LABEL_QR 104.0
#define LABEL_GAP 10.0

enum kind { B_ROW, B_PARA, B_HEADING, B_SPACE, B_BREAK, B_SIGS, B_SEAL, B_QR, B_LABEL };

struct sig {
	char *role, *name, *date;
	cairo_surface_t *image; /* NULL: a place to sign on paper */
};

struct block {
	enum kind kind;
	int n;                          /* cells, signatures */
	char *text[FQ_PDF_MAX_CELLS];   /* cells; paragraph; seal unit, date; QR caption */
	double w[FQ_PDF_MAX_CELLS];
	unsigned labels;
	double size;                    /* space; QR */
	struct sig *sigs;
	unsigned char *qr;              /* QR modules, qrw × qrw */
	int qrw;
};

struct fq_pdf {
	struct fq_error *e;
	enum fq_err err;
	char *unit, *title, *number, *subject, *qr_caption;
	unsigned char *qr;
	int qrw;
	struct block *b;
	int nb, capb;
	size_t text;
};

/* Under LeakSanitizer (the test builds): what the libraries keep or lose
 * for good, not the documents' memory. Fontconfig's configuration, parsed
 * once per process; and Debian 12's cairo 1.16.0, which loses about 0.8 KB
 * per font of a PDF when the surface is finished (its font subsetting). By
 * library, as their stacks show no more without frame pointers: pango
 * layouts and our own memory are still checked. */
const char *__lsan_default_suppressions(void);
__attribute__((used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

/* ---- fonts ---- */

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static const char *fonts_missing; /* NULL: both installed */

static void fonts_find(void)
{
	/* A font map of its own, released here: the threads' defaults stay
	 * theirs. */
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoFontFamily **fams = NULL;
	int n = 0;
	bool serif = false, sans = false;

	if (fm)
		pango_font_map_list_families(fm, &fams, &n);
	for (int i = 0; i < n; i++) {
		const char *name = pango_font_family_get_name(fams[i]);

		serif |= name && !strcmp(name, FQ_PDF_SERIF);
		sans |= name && !strcmp(name, FQ_PDF_SANS);
	}
	g_free(fams);
	if (fm)
		g_object_unref(fm);
	fonts_missing = !serif ? FQ_PDF_SERIF : !sans ? FQ_PDF_SANS : NULL;
}

enum fq_err fq_pdf_fonts_check(struct fq_error *e)
{
	pthread_once(&fonts_once, fonts_find);
	if (!fonts_missing)
		return FQ_OK;
	return fq_fail(e, FQ_ERR_UNAVAILABLE, "font_missing", NULL,
		       "the font \"%s\" is not installed: PDF documents need the Debian "
		       "package fonts-noto-cjk",
		       fonts_missing);
}

/* ---- building ---- */

static enum fq_err fail(struct fq_pdf *d, enum fq_err err, const char *field, const char *msg)
{
	if (!d->err) {
		d->err = err;
		fq_fail(d->e, err, NULL, field, "%s", msg ? msg : "out of memory");
	}
	return d->err;
}

/* A copy of text, counted against the document's text limit; NULL becomes
 * "". NULL on failure (d->err set). */
static char *copy(struct fq_pdf *d, const char *text, const char *field)
{
	size_t n = text ? strlen(text) : 0;
	char *s;

	if (d->err)
		return NULL;
	if (n > FQ_PDF_MAX_TEXT - d->text) {
		fail(d, FQ_ERR_TOO_LARGE, field, "the document's text is longer than 512 KB");
		return NULL;
	}
	if (text && !g_utf8_validate(text, (gssize)n, NULL)) {
		fail(d, FQ_ERR_INVALID, field, "the text is not UTF-8");
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		fail(d, FQ_ERR_NOMEM, NULL, NULL);
		return NULL;
	}
	memcpy(s, text ? text : "", n + 1);
	d->text += n;
	return s;
}

static struct block *add(struct fq_pdf *d, enum kind kind)
{
	if (d->err)
		return NULL;
	if (d->nb == FQ_PDF_MAX_BLOCKS) {
		fail(d, FQ_ERR_TOO_LARGE, NULL, "the document has too many parts");
		return NULL;
	}
	if (d->nb == d->capb) {
		int cap = d->capb ? 2 * d->capb : 32;
		struct block *b = realloc(d->b, (size_t)cap * sizeof(*b));

		if (!b) {
			fail(d, FQ_ERR_NOMEM, NULL, NULL);
			return NULL;
		}
		d->b = b;
		d->capb = cap;
	}
	d->b[d->nb] = (struct block){.kind = kind};
	return &d->b[d->nb++];
}

unsigned char *fq_pdf_qr_matrix(const char *text, int *width)
{
	QRcode *q;
	unsigned char *m;

	if (!text || !*text || strlen(text) > FQ_PDF_MAX_QR_TEXT)
		return NULL;
	q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return NULL;
	m = malloc((size_t)q->width * (size_t)q->width);
	if (m) {
		for (int i = 0; i < q->width * q->width; i++)
			m[i] = q->data[i] & 1;
		*width = q->width;
	}
	QRcode_free(q);
	return m;
}

static unsigned char *qr_of(struct fq_pdf *d, const char *text, int *width)
{
	unsigned char *m;

	if (!text || !*text || strlen(text) > FQ_PDF_MAX_QR_TEXT) {
		fail(d, FQ_ERR_INVALID, "qr", "the QR code's text must be 1 to 512 bytes");
		return NULL;
	}
	m = fq_pdf_qr_matrix(text, width);
	if (!m)
		fail(d, FQ_ERR_NOMEM, NULL, NULL);
	return m;
}

static void block_release(struct block *b)
{
	for (int i = 0; i < FQ_PDF_MAX_CELLS; i++)
		free(b->text[i]);
	for (int i = 0; b->sigs && i < b->n; i++) {
		free(b->sigs[i].role);
		free(b->sigs[i].name);
		free(b->sigs[i].date);
		if (b->sigs[i].image)
			cairo_surface_destroy(b->sigs[i].image);
	}
	free(b->sigs);
	free(b->qr);
}

void fq_pdf_free(struct fq_pdf *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nb; i++)
		block_release(&d->b[i]);
	free(d->b);
	free(d->unit);
	free(d->title);
	free(d->number);
	free(d->subject);
	free(d->qr_caption);
	free(d->qr);
	free(d);
}

struct fq_pdf *fq_pdf_new(const struct fq_pdf_head *head, struct fq_error *e)
{
	struct fq_pdf *d;

	if (fq_pdf_fonts_check(e))
		return NULL;
	if (!head->unit || !*head->unit || strlen(head->unit) > 200) {
		fq_fail(e, FQ_ERR_INVALID, NULL, "unit", "the unit's name must be 1 to 200 bytes");
		return NULL;
	}
	if (!head->title || !*head->title || strlen(head->title) > 200) {
		fq_fail(e, FQ_ERR_INVALID, NULL, "title", "the title must be 1 to 200 bytes");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	d->e = e;
	d->unit = copy(d, head->unit, "unit");
	d->title = copy(d, head->title, "title");
	d->number = head->number ? copy(d, head->number, "number") : NULL;
	d->subject = copy(d, head->subject ? head->subject : head->title, "subject");
	if (head->qr) {
		d->qr = qr_of(d, head->qr, &d->qrw);
		d->qr_caption = copy(d, head->qr_caption ? head->qr_caption : head->qr, "qr");
	}
	if (d->err) {
		fq_pdf_free(d);
		return NULL;
	}
	return d;
}

static enum fq_err text_block(struct fq_pdf *d, enum kind kind, const char *text)
{
	struct block *b = add(d, kind);

	if (b) {
		b->n = 1;
		b->w[0] = 1;
		b->text[0] = copy(d, text, "text");
	}
	return d->err;
}

enum fq_err fq_pdf_heading(struct fq_pdf *d, const char *text)
{
	return text_block(d, B_HEADING, text);
}

enum fq_err fq_pdf_paragraph(struct fq_pdf *d, const char *text)
{
	return text_block(d, B_PARA, text);
}

enum fq_err fq_pdf_row(struct fq_pdf *d, int n, const char *const *cells, const double *widths,
		       unsigned label_mask)
{
	struct block *b;
	double sum = 0;

	if (d->err)
		return d->err;
	if (n < 1 || n > FQ_PDF_MAX_CELLS)
		return fail(d, FQ_ERR_INVALID, "cells", "a table row has 1 to 8 cells");
	for (int i = 0; widths && i < n; i++) {
		if (!(widths[i] > 0.02))
			return fail(d, FQ_ERR_INVALID, "widths", "a cell's width must be over 2%");
		sum += widths[i];
	}
	if (widths && (sum < 0.99 || sum > 1.01))
		return fail(d, FQ_ERR_INVALID, "widths", "the cells' widths must sum to 1");
	b = add(d, B_ROW);
	if (!b)
		return d->err;
	b->n = n;
	b->labels = label_mask;
	for (int i = 0; i < n; i++) {
		b->w[i] = widths ? widths[i] / sum : 1.0 / n;
		b->text[i] = copy(d, cells[i], "cells");
	}
	return d->err;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

enum fq_err fq_pdf_field(struct fq_pdf *d, const char *label, const char *value)
{
	const char *cells[] = {label, or_dash(value)};

	return fq_pdf_row(d, 2, cells, (const double[]){0.2, 0.8}, 1);
}

enum fq_err fq_pdf_fields2(struct fq_pdf *d, const char *label1, const char *value1,
			   const char *label2, const char *value2)
{
	const char *cells[] = {label1, or_dash(value1), label2, or_dash(value2)};

	return fq_pdf_row(d, 4, cells, (const double[]){0.2, 0.3, 0.2, 0.3}, 1 | 4);
}

enum fq_err fq_pdf_space(struct fq_pdf *d, double points)
{
	struct block *b;

	if (!d->err && !(points >= 0 && points <= PAGE_H))
		return fail(d, FQ_ERR_INVALID, "space", "space must be 0 to a page's height");
	b = add(d, B_SPACE);
	if (b)
		b->size = points;
	return d->err;
}

enum fq_err fq_pdf_page_break(struct fq_pdf *d)
{
	add(d, B_BREAK);
	return d->err;
}

struct png_read {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
	struct png_read *r = closure;

	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG decoded, after its size is read from the header (IHDR) and
 * checked against the limits. */
static cairo_surface_t *png_decode(struct fq_pdf *d, const void *png, size_t len, int k)
{
	static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const unsigned char *p = png;
	struct png_read r = {p, len};
	cairo_surface_t *s;
	uint32_t w, h;
	char msg[96];

	if (len > FQ_PDF_MAX_IMAGE) {
		snprintf(msg, sizeof(msg), "signature %d: the image is larger than 1 MB", k + 1);
		fail(d, FQ_ERR_INVALID, "signatures", msg);
		return NULL;
	}
	if (len < 33 || memcmp(p, magic, 8) || memcmp(p + 12, "IHDR", 4)) {
		snprintf(msg, sizeof(msg), "signature %d: the image is not a PNG", k + 1);
		fail(d, FQ_ERR_INVALID, "signatures", msg);
		return NULL;
	}
	w = be32(p + 16);
	h = be32(p + 20);
	if (!w || !h || w > FQ_PDF_MAX_IMAGE_SIDE || h > FQ_PDF_MAX_IMAGE_SIDE ||
	    (uint64_t)w * h > FQ_PDF_MAX_IMAGE_PIXELS) {
		snprintf(msg, sizeof(msg), "signature %d: the image has too many pixels", k + 1);
		fail(d, FQ_ERR_INVALID, "signatures", msg);
		return NULL;
	}
	s = cairo_image_surface_create_from_png_stream(png_read, &r);
	if (cairo_surface_status(s)) {
		cairo_surface_destroy(s);
		snprintf(msg, sizeof(msg), "signature %d: the PNG image does not decode", k + 1);
		fail(d, FQ_ERR_INVALID, "signatures", msg);
		return NULL;
	}
	return s;
}

enum fq_err fq_pdf_signatures(struct fq_pdf *d, const struct fq_pdf_signature *s, int n)
{
	struct block *b;

	if (d->err)
		return d->err;
	if (n < 1 || n > FQ_PDF_MAX_SIGNATURES)
		return fail(d, FQ_ERR_INVALID, "signatures", "a signature block has 1 to 24 signatures");
	b = add(d, B_SIGS);
	if (!b)
		return d->err;
	b->sigs = calloc((size_t)n, sizeof(*b->sigs));
	if (!b->sigs)
		return fail(d, FQ_ERR_NOMEM, NULL, NULL);
	for (int i = 0; i < n && !d->err; i++) {
		b->n = i + 1;
		b->sigs[i].role = copy(d, s[i].role, "signatures");
		b->sigs[i].name = copy(d, s[i].name, "signatures");
		b->sigs[i].date = copy(d, s[i].date, "signatures");
		if (s[i].png && !d->err)
			b->sigs[i].image = png_decode(d, s[i].png, s[i].png_len, i);
	}
	return d->err;
}

enum fq_err fq_pdf_seal(struct fq_pdf *d, const char *unit, const char *date)
{
	struct block *b = add(d, B_SEAL);

	if (b) {
		b->n = 2;
		b->text[0] = copy(d, unit, "unit");
		b->text[1] = copy(d, date, "date");
	}
	return d->err;
}

enum fq_err fq_pdf_qr(struct fq_pdf *d, const char *text, const char *caption, double size)
{
	struct block *b;

	if (!d->err && !(size == 0 || (size >= 40 && size <= 300)))
		return fail(d, FQ_ERR_INVALID, "size", "a QR code is 40 to 300 points wide");
	b = add(d, B_QR);
	if (b) {
		b->size = size ? size : 80;
		b->qr = qr_of(d, text, &b->qrw);
		b->n = 1;
		b->text[0] = copy(d, caption ? caption : text, "caption");
	}
	return d->err;
}

enum fq_err fq_pdf_label(struct fq_pdf *d, const char *qr, const char *const *lines, int n)
{
	struct block *b;

	if (!d->err && (n < 1 || n > FQ_PDF_LABEL_LINES))
		return fail(d, FQ_ERR_INVALID, "lines", "a label has 1 to 6 lines");
	b = add(d, B_LABEL);
	if (b) {
		b->n = n;
		b->qr = qr_of(d, qr, &b->qrw);
		for (int i = 0; i < n; i++)
			b->text[i] = copy(d, lines[i], "lines");
	}
	return d->err;
}

/* ---- laying out and drawing ---- */

struct st {
	struct fq_pdf *d;
	cairo_t *cr;
	PangoContext *ctx;
	bool draw;      /* false: the first pass, which counts the pages */
	int page, pages;
	double y;
	enum fq_err err;
	int label_col; /* labels: 1 when the row's left one is drawn */
};

static PangoLayout *layout(struct st *s, const char *text, const char *family, double size,
			   bool bold, double width, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(s->ctx);
	PangoFontDescription *f = pango_font_description_new();

	pango_font_description_set_family(f, family);
	pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, f);
	pango_font_description_free(f);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct st *s, PangoLayout *l, double x, double y)
{
	if (!s->draw)
		return;
	cairo_move_to(s->cr, x, y);
	pango_cairo_show_layout(s->cr, l);
}

/* The top of each line of l and, at [n], its bottom. */
static double *line_tops(PangoLayout *l, int *n)
{
	int count = pango_layout_get_line_count(l), i = 0, y0, y1 = 0;
	double *tops = malloc((size_t)(count + 1) * sizeof(*tops));
	PangoLayoutIter *it;

	if (!tops)
		return NULL;
	it = pango_layout_get_iter(l);
	do {
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		tops[i++] = (double)y0 / PANGO_SCALE;
	} while (i < count && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	tops[i] = (double)y1 / PANGO_SCALE;
	*n = i;
	return tops;
}

/* Lines [from, to) of l, the top of line from at y. */
static void show_lines(struct st *s, PangoLayout *l, const double *tops, int from, int to,
		       double x, double y)
{
	PangoLayoutIter *it;
	int i = 0;

	if (!s->draw || from >= to)
		return;
	it = pango_layout_get_iter(l);
	do {
		if (i >= from && i < to) {
			PangoRectangle ext;

			pango_layout_iter_get_line_extents(it, NULL, &ext);
			cairo_move_to(s->cr, x + (double)ext.x / PANGO_SCALE,
				      y - tops[from] +
					      (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
			pango_cairo_show_layout_line(s->cr, pango_layout_iter_get_line_readonly(it));
		}
	} while (++i < to && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

static void footer(struct st *s)
{
	char text[64];
	PangoLayout *l;

	if (!s->draw)
		return;
	snprintf(text, sizeof(text), "第 %d 页 共 %d 页", s->page, s->pages);
	l = layout(s, text, FQ_PDF_SANS, SMALL, false, WIDTH, PANGO_ALIGN_CENTER);
	show(s, l, LEFT, PAGE_H - 40);
	g_object_unref(l);
}

static void new_page(struct st *s)
{
	footer(s);
	if (s->draw)
		cairo_show_page(s->cr);
	if (++s->page > FQ_PDF_MAX_PAGES && !s->err)
		s->err = fail(s->d, FQ_ERR_TOO_LARGE, NULL,
			      "the document would be longer than 60 pages");
	s->y = TOP;
}

/* Room for h more points on this page, else the next one (unless this one
 * is still empty). */
static void need(struct st *s, double h)
{
	if (s->y + h > BOTTOM && s->y > TOP)
		new_page(s);
}

static void qr_draw(struct st *s, const unsigned char *m, int w, double x, double y, double size)
{
	double mod = size / (w + 8); /* four modules of quiet zone all round */

	if (!s->draw)
		return;
	cairo_save(s->cr);
	cairo_set_source_rgb(s->cr, 0, 0, 0);
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++) {
			int run = 0;

			while (c + run < w && m[r * w + c + run])
				run++;
			if (run)
				cairo_rectangle(s->cr, x + (4 + c) * mod, y + (4 + r) * mod, run * mod,
						mod);
			c += run;
		}
	cairo_fill(s->cr);
	cairo_restore(s->cr);
}

/* The QR code and its caption; returns the caption's bottom. */
static double qr_with_caption(struct st *s, const unsigned char *m, int w, const char *caption,
			      double x, double y, double size)
{
	double cw = size + 40;
	PangoLayout *l = layout(s, caption, FQ_PDF_SANS, 7.5, false, cw, PANGO_ALIGN_CENTER);
	double h = height_of(l);

	qr_draw(s, m, w, x, y, size);
	show(s, l, x - 20, y + size - 2);
	g_object_unref(l);
	return y + size - 2 + h;
}

static void head(struct st *s)
{
	struct fq_pdf *d = s->d;
	double side = d->qr ? HEAD_QR + 24 : 0, w = WIDTH - 2 * side, y = TOP, qr_bottom = 0;
	PangoLayout *unit = layout(s, d->unit, FQ_PDF_SERIF, 15, true, w, PANGO_ALIGN_CENTER);
	PangoLayout *title = layout(s, d->title, FQ_PDF_SERIF, 22, true, w, PANGO_ALIGN_CENTER);

	if (d->qr)
		qr_bottom = qr_with_caption(s, d->qr, d->qrw, d->qr_caption, LEFT + WIDTH - HEAD_QR,
					    TOP - 24, HEAD_QR);
	show(s, unit, LEFT + side, y);
	y += height_of(unit) + 4;
	show(s, title, LEFT + side, y);
	y += height_of(title) + 6;
	g_object_unref(unit);
	g_object_unref(title);
	if (y < qr_bottom + 4)
		y = qr_bottom + 4;
	if (d->number) {
		PangoLayout *no = layout(s, d->number, FQ_PDF_SERIF, 10.5, false, WIDTH,
					 PANGO_ALIGN_RIGHT);

		show(s, no, LEFT, y);
		y += height_of(no) + 4;
		g_object_unref(no);
	}
	s->y = y + 6;
}

/* Cells side by side (a table row, bordered, or a paragraph), each broken
 * across pages by lines when the row is taller than a page. */
static void cells(struct st *s, const struct block *b, bool border, double pad, double size)
{
	PangoLayout *l[FQ_PDF_MAX_CELLS];
	double *tops[FQ_PDF_MAX_CELLS], x[FQ_PDF_MAX_CELLS], full = 0;
	int n[FQ_PDF_MAX_CELLS], done[FQ_PDF_MAX_CELLS] = {0}, k = b->n, left = 0;
	bool oom = false;

	for (int i = 0; i < k; i++) {
		bool label = b->labels >> i & 1;
		double w = b->w[i] * WIDTH;

		x[i] = i ? x[i - 1] + b->w[i - 1] * WIDTH : LEFT;
		l[i] = layout(s, b->text[i], label ? FQ_PDF_SANS : FQ_PDF_SERIF,
			      label ? LABEL : size, false, w - 2 * pad, PANGO_ALIGN_LEFT);
		if (b->kind == B_PARA)
			pango_layout_set_indent(l[i], (int)(2 * size * PANGO_SCALE));
		tops[i] = line_tops(l[i], &n[i]);
		oom |= !tops[i];
		if (tops[i] && tops[i][n[i]] > full)
			full = tops[i][n[i]];
	}
	if (oom) {
		s->err = fail(s->d, FQ_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	/* The whole row on the next page when it fits on one. */
	if (full + 2 * pad <= BOTTOM - TOP)
		need(s, full + 2 * pad);
	for (int i = 0; i < k; i++)
		left += n[i];
	while (left && !s->err) {
		double avail = BOTTOM - s->y - 2 * pad, part = 0;
		int upto[FQ_PDF_MAX_CELLS];
		bool any = false;

		for (int i = 0; i < k; i++) {
			upto[i] = done[i];
			while (upto[i] < n[i] && tops[i][upto[i] + 1] - tops[i][done[i]] <= avail)
				upto[i]++;
			/* An empty page takes at least one line. */
			if (upto[i] == done[i] && done[i] < n[i] && s->y <= TOP)
				upto[i]++;
			any |= upto[i] > done[i];
		}
		if (!any) {
			new_page(s);
			continue;
		}
		for (int i = 0; i < k; i++) {
			double h = tops[i][upto[i]] - tops[i][done[i]];

			if (h > part)
				part = h;
		}
		part += 2 * pad;
		for (int i = 0; i < k && s->draw; i++) {
			double w = b->w[i] * WIDTH;

			if (b->labels >> i & 1) {
				cairo_set_source_rgb(s->cr, 0.93, 0.93, 0.93);
				cairo_rectangle(s->cr, x[i], s->y, w, part);
				cairo_fill(s->cr);
			}
			cairo_set_source_rgb(s->cr, 0, 0, 0);
			if (border) {
				cairo_set_line_width(s->cr, 0.6);
				cairo_rectangle(s->cr, x[i], s->y, w, part);
				cairo_stroke(s->cr);
			}
		}
		for (int i = 0; i < k; i++) {
			show_lines(s, l[i], tops[i], done[i], upto[i], x[i] + pad, s->y + pad);
			left -= upto[i] - done[i];
			done[i] = upto[i];
		}
		s->y += part;
		if (left)
			new_page(s);
	}
out:
	for (int i = 0; i < k; i++) {
		free(tops[i]);
		g_object_unref(l[i]);
	}
}

/* One signature's place: the role, the image fitted into its box, the name
 * and the date. Returns its height; draws it when draw. */
static double signature(struct st *s, const struct sig *g, double x, double y, double w, bool draw)
{
	double inner = w - 2 * PAD, h = PAD;
	PangoLayout *role = layout(s, g->role, FQ_PDF_SANS, LABEL, false, inner, PANGO_ALIGN_LEFT);
	PangoLayout *name = layout(s, g->name, FQ_PDF_SERIF, 11, false, inner, PANGO_ALIGN_CENTER);
	PangoLayout *date = layout(s, g->date, FQ_PDF_SANS, SMALL, false, inner, PANGO_ALIGN_CENTER);
	bool was = s->draw;

	s->draw = was && draw;
	show(s, role, x + PAD, y + h);
	h += height_of(role) + 2;
	if (s->draw && g->image) {
		double iw = cairo_image_surface_get_width(g->image);
		double ih = cairo_image_surface_get_height(g->image);
		double sc = inner / iw < SIG_IMAGE_H / ih ? inner / iw : SIG_IMAGE_H / ih;

		cairo_save(s->cr);
		cairo_translate(s->cr, x + PAD + (inner - iw * sc) / 2, y + h + (SIG_IMAGE_H - ih * sc) / 2);
		cairo_scale(s->cr, sc, sc);
		cairo_set_source_surface(s->cr, g->image, 0, 0);
		cairo_paint(s->cr);
		cairo_restore(s->cr);
	}
	h += SIG_IMAGE_H + 2;
	show(s, name, x + PAD, y + h);
	h += height_of(name);
	show(s, date, x + PAD, y + h);
	h += height_of(date) + PAD;
	if (s->draw) {
		cairo_set_source_rgb(s->cr, 0, 0, 0);
		cairo_set_line_width(s->cr, 0.6);
		cairo_rectangle(s->cr, x, y, w, h);
		cairo_stroke(s->cr);
	}
	s->draw = was;
	g_object_unref(role);
	g_object_unref(name);
	g_object_unref(date);
	return h;
}

/* Three to a row; the block whole on one page when it fits on one, else
 * whole rows. */
static void signatures(struct st *s, const struct block *b)
{
	double w = WIDTH / 3, rows[FQ_PDF_MAX_SIGNATURES / 3 + 1] = {0}, total = 0;
	int nrows = (b->n + 2) / 3;

	for (int i = 0; i < b->n; i++) {
		double h = signature(s, &b->sigs[i], 0, 0, w, false);

		if (h > rows[i / 3])
			rows[i / 3] = h;
	}
	for (int r = 0; r < nrows; r++)
		total += rows[r];
	need(s, total + 8);
	s->y += 8;
	for (int r = 0; r < nrows && !s->err; r++) {
		need(s, rows[r]);
		for (int i = 3 * r; i < b->n && i < 3 * r + 3; i++)
			signature(s, &b->sigs[i], LEFT + (i % 3) * w, s->y, w, true);
		s->y += rows[r];
	}
}

static void seal(struct st *s, const struct block *b)
{
	double w = WIDTH / 2;
	PangoLayout *mark = layout(s, "（印章）", FQ_PDF_SANS, SMALL, false, w, PANGO_ALIGN_CENTER);
	PangoLayout *unit = layout(s, b->text[0], FQ_PDF_SERIF, BODY, false, w, PANGO_ALIGN_CENTER);
	PangoLayout *date = layout(s, b->text[1], FQ_PDF_SERIF, BODY, false, w, PANGO_ALIGN_CENTER);
	double h = 28 + height_of(mark) + height_of(unit) + height_of(date);

	need(s, h);
	s->y += 28;
	show(s, mark, LEFT + w, s->y);
	s->y += height_of(mark);
	show(s, unit, LEFT + w, s->y);
	s->y += height_of(unit);
	show(s, date, LEFT + w, s->y);
	s->y += height_of(date);
	g_object_unref(mark);
	g_object_unref(unit);
	g_object_unref(date);
}

static void heading(struct st *s, const struct block *b)
{
	PangoLayout *l = layout(s, b->text[0], FQ_PDF_SERIF, 13, true, WIDTH, PANGO_ALIGN_LEFT);
	double h = height_of(l);

	/* With three lines of what follows. */
	need(s, 8 + h + 3 * 18);
	s->y += 8;
	show(s, l, LEFT, s->y);
	s->y += h + 3;
	g_object_unref(l);
}

static void qr_block(struct st *s, const struct block *b)
{
	PangoLayout *l = layout(s, b->text[0], FQ_PDF_SANS, 7.5, false, b->size + 40,
				PANGO_ALIGN_CENTER);
	double h = b->size + height_of(l) + 6;

	g_object_unref(l);
	need(s, h);
	s->y = qr_with_caption(s, b->qr, b->qrw, b->text[0], LEFT + WIDTH - b->size - 20,
			       s->y + 6, b->size);
}

/* A label in the next place of the grid: left, or right of the last one. */
static void label(struct st *s, const struct block *b)
{
	double w = (WIDTH - LABEL_GAP) / 2, x, tx, ty, tw;

	if (!s->label_col)
		need(s, LABEL_H);
	x = LEFT + s->label_col * (w + LABEL_GAP);
	tx = x + LABEL_QR + 2;
	tw = w - LABEL_QR - 10;
	ty = s->y + 12;
	if (s->draw) {
		static const double dash[] = {4, 3};

		cairo_save(s->cr);
		cairo_set_line_width(s->cr, 0.6);
		cairo_set_dash(s->cr, dash, 2, 0);
		cairo_rectangle(s->cr, x, s->y, w, LABEL_H);
		cairo_stroke(s->cr);
		cairo_restore(s->cr);
	}
	qr_draw(s, b->qr, b->qrw, x + 2, s->y + (LABEL_H - LABEL_QR) / 2, LABEL_QR);
	for (int i = 0; i < b->n && ty < s->y + LABEL_H - 10; i++) {
		PangoLayout *l = layout(s, b->text[i], i ? FQ_PDF_SANS : FQ_PDF_SERIF,
					i ? LABEL : 14, i == 0, tw, PANGO_ALIGN_LEFT);

		pango_layout_set_height(l, (int)((s->y + LABEL_H - 8 - ty) * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		show(s, l, tx, ty);
		ty += height_of(l) + (i ? 3 : 8);
		g_object_unref(l);
	}
	if (s->label_col) {
		s->y += LABEL_H + LABEL_GAP;
		s->label_col = 0;
	} else {
		s->label_col = 1;
	}
}

/* After a row's left label alone: the row is done. */
static void labels_end(struct st *s)
{
	if (s->label_col) {
		s->y += LABEL_H + LABEL_GAP;
		s->label_col = 0;
	}
}

static enum fq_err render(struct fq_pdf *d, cairo_t *cr, bool draw, int *pages)
{
	struct st s = {.d = d, .cr = cr, .draw = draw, .page = 1, .pages = *pages};
	cairo_font_options_t *fo = cairo_font_options_create();

	/* A font map of the document's own, released with it: nothing of
	 * pango is shared between threads, and nothing outlives the document
	 * (pango's per-thread default would keep its fonts until the thread
	 * ends). Unhinted metrics: the same line breaks in both passes and at
	 * any zoom. */
	PangoFontMap *fm = pango_cairo_font_map_new();

	s.ctx = pango_font_map_create_context(fm);
	pango_cairo_update_context(cr, s.ctx);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(s.ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(s.ctx, FALSE);
	head(&s);
	for (int i = 0; i < d->nb && !s.err; i++) {
		const struct block *b = &d->b[i];

		if (b->kind != B_LABEL)
			labels_end(&s);
		switch (b->kind) {
		case B_ROW:
			cells(&s, b, true, PAD, BODY);
			break;
		case B_PARA:
			s.y += 4;
			cells(&s, b, false, 0, BODY);
			s.y += 4;
			break;
		case B_HEADING:
			heading(&s, b);
			break;
		case B_SPACE:
			s.y += b->size;
			if (s.y > BOTTOM)
				new_page(&s);
			break;
		case B_BREAK:
			new_page(&s);
			break;
		case B_SIGS:
			signatures(&s, b);
			break;
		case B_SEAL:
			seal(&s, b);
			break;
		case B_QR:
			qr_block(&s, b);
			break;
		case B_LABEL:
			label(&s, b);
			break;
		}
	}
	if (!s.err) {
		footer(&s);
		if (draw)
			cairo_show_page(cr);
	}
	g_object_unref(s.ctx);
	g_object_unref(fm);
	*pages = s.page;
	return s.err;
}

struct sink {
	struct fq_buf *out; /* NULL: the first pass, thrown away */
	enum fq_err err;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *k = closure;

	if (!k->out || k->err)
		return k->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
	k->err = fq_buf_add(k->out, data, len);
	return k->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static enum fq_err pass(struct fq_pdf *d, struct fq_buf *out, int *pages)
{
	struct sink k = {out, FQ_OK};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(sink_write, &k, PAGE_W, PAGE_H);
	cairo_t *cr = cairo_create(surface);
	cairo_status_t st;
	enum fq_err err;

	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->subject);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Fengqiao");

	err = cairo_status(cr) ? fail(d, FQ_ERR_NOMEM, NULL, NULL) : render(d, cr, out != NULL, pages);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (!st)
		st = cairo_surface_status(surface);
	/* The sink's refusal shows as cairo's write error. */
	if (!err && k.err == FQ_ERR_TOO_LARGE)
		err = fail(d, FQ_ERR_TOO_LARGE, NULL, "the PDF would be larger than the limit");
	else if (!err && (k.err || st))
		err = fail(d, k.err ? k.err : FQ_ERR_INTERNAL, NULL,
			   k.err ? NULL : cairo_status_to_string(st));
	cairo_surface_destroy(surface);
	return err;
}

enum fq_err fq_pdf_finish(struct fq_pdf *d, struct fq_buf *out, int *pages)
{
	int n = 0;
	enum fq_err err = d->err;

	/* First the pages are counted, then drawn with "共 N 页". */
	if (!err)
		err = pass(d, NULL, &n);
	if (!err)
		err = pass(d, out, &n);
	if (!err && pages)
		*pages = n;
	return err;
}
