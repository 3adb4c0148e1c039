/* Paper forms as PDF (A4): the issuing unit's name, a title, a number line,
 * labelled fields and bordered tables, paragraphs, a signature block with the
 * drawn signatures, the unit's seal line, a QR code, and "第 N 页 共 M 页" at the
 * foot of each page. Chinese text is laid out by pango (line breaking by UAX
 * #14, CJK included) and drawn by cairo in Noto Serif / Sans CJK SC (Debian's
 * fonts-noto-cjk), found through fontconfig; QR codes are libqrencode's
 * modules drawn as rectangles. Written into memory: nothing touches the disk.
 * No HTTP, no SQL (docs/internals.md, "PDF documents").
 *
 * A document is built block by block and laid out at fq_pdf_finish, twice:
 * once to count the pages, once to draw them. Every call after the first
 * failure does nothing and fq_pdf_finish returns that failure, so a caller
 * may check once at the end. Text must be UTF-8; "\n" starts a new line.
 *
 * Threads: one document belongs to one thread at a time. Documents of
 * different threads are independent: each thread lays out with its own pango
 * font map (pango's per-thread default since 1.32.6), fontconfig is
 * thread-safe, and each document has its own cairo surface. */
#ifndef FQ_PDF_H
#define FQ_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct fq_buf;
struct fq_error;
struct fq_pdf;

/* Limits of one document: its text (all blocks together), its pages, its
 * blocks, the bytes of each signature image and of the PDF itself. */
#define FQ_PDF_MAX_TEXT (512 * 1024)
#define FQ_PDF_MAX_PAGES 60
#define FQ_PDF_MAX_BLOCKS 2000
#define FQ_PDF_MAX_CELLS 8         /* cells of one table row */
#define FQ_PDF_MAX_SIGNATURES 24   /* in one signature block */
#define FQ_PDF_MAX_IMAGE (1 << 20) /* one PNG */
#define FQ_PDF_MAX_IMAGE_SIDE 4096 /* pixels of its longer side */
#define FQ_PDF_MAX_IMAGE_PIXELS 2000000 /* 8 MB decoded */
#define FQ_PDF_MAX_QR_TEXT 512     /* bytes encoded in one QR code */
#define FQ_PDF_MAX_BYTES (24 << 20)

/* The font families (fontconfig names) the documents are set in. */
#define FQ_PDF_SERIF "Noto Serif CJK SC"
#define FQ_PDF_SANS "Noto Sans CJK SC"

/* Whether both families are installed. FQ_OK, or FQ_ERR_UNAVAILABLE with
 * *e saying which is missing and which Debian package has it. The answer is
 * found once per process and kept. */
enum fq_err fq_pdf_fonts_check(struct fq_error *e);

/* What the first page starts with. unit and title are required; number
 * (the document number line, e.g. "编号：JQ2026…"), qr (the text encoded in
 * a QR code at the top right) and qr_caption (printed under it, qr itself
 * when NULL) may be NULL. */
struct fq_pdf_head {
	const char *unit;
	const char *title;
	const char *number;
	const char *qr;
	const char *qr_caption;
	const char *subject; /* the PDF's title metadata; title when NULL */
};

/* A new document, or NULL with *e filled: the fonts are missing
 * (FQ_ERR_UNAVAILABLE), a head field is missing or too long
 * (FQ_ERR_INVALID), out of memory. e is kept for the later calls' errors
 * and must outlive the document. Free with fq_pdf_free. */
struct fq_pdf *fq_pdf_new(const struct fq_pdf_head *head, struct fq_error *e);
void fq_pdf_free(struct fq_pdf *d); /* d may be NULL */

/* A section heading, kept on one page with what follows it. */
enum fq_err fq_pdf_heading(struct fq_pdf *d, const char *text);
/* A paragraph, first lines indented two characters, broken across pages
 * line by line. */
enum fq_err fq_pdf_paragraph(struct fq_pdf *d, const char *text);
/* One row of a bordered table: n cells (1 … FQ_PDF_MAX_CELLS) side by
 * side; widths are fractions of the line (summing to 1), NULL for equal
 * cells; bit i of label_mask sets cell i as a label (shaded, sans). Rows
 * added one after another form one table. A row taller than what is left of
 * the page goes to the next; one taller than a page is split by lines. A
 * NULL cell is empty. */
enum fq_err fq_pdf_row(struct fq_pdf *d, int n, const char *const *cells, const double *widths,
		       unsigned label_mask);
/* A labelled field: a row of the label (a fifth of the line) and the
 * value ("—" when NULL or empty). */
enum fq_err fq_pdf_field(struct fq_pdf *d, const char *label, const char *value);
/* Two labelled fields on one row. */
enum fq_err fq_pdf_fields2(struct fq_pdf *d, const char *label1, const char *value1,
			   const char *label2, const char *value2);
/* Vertical space in points. */
enum fq_err fq_pdf_space(struct fq_pdf *d, double points);
/* The rest of this page stays empty. */
enum fq_err fq_pdf_page_break(struct fq_pdf *d);

/* One signature: who signs in what capacity ("当事人"), the name, the date
 * as it is to be printed, and the drawn signature as PNG bytes (NULL, 0:
 * an empty place to sign on paper). The bytes are copied. */
struct fq_pdf_signature {
	const char *role;
	const char *name;
	const char *date;
	const void *png;
	size_t png_len;
};

/* The signatures, three to a row, each with its role, image, name and
 * date; the block is kept whole on one page. A PNG that does not decode,
 * or is larger than the limits, is FQ_ERR_INVALID naming the signature. */
enum fq_err fq_pdf_signatures(struct fq_pdf *d, const struct fq_pdf_signature *s, int n);
/* The unit's seal line at the right: "（印章）", the unit's name and the
 * date, kept together. */
enum fq_err fq_pdf_seal(struct fq_pdf *d, const char *unit, const char *date);
/* A QR code of text in the flow at the right, caption under it (text when
 * NULL); size in points (0: 80). */
enum fq_err fq_pdf_qr(struct fq_pdf *d, const char *text, const char *caption, double size);
/* A label to cut out and stick on a thing (the responsibility registry):
 * a box with dashed edges, half the line wide, the QR code of qr at its left
 * and lines (1 to 6; the first, the thing's name, large) at its right.
 * Labels one after another fill the page two a row; a row moves whole to
 * the next page. */
#define FQ_PDF_LABEL_LINES 6
enum fq_err fq_pdf_label(struct fq_pdf *d, const char *qr, const char *const *lines, int n);

/* Lays the document out and appends the PDF to out (whose maximum bounds
 * it: FQ_ERR_TOO_LARGE past it). Also FQ_ERR_TOO_LARGE past
 * FQ_PDF_MAX_PAGES; the first error of any earlier call. *pages, when not
 * NULL, receives the number of pages. The document may then only be freed. */
enum fq_err fq_pdf_finish(struct fq_pdf *d, struct fq_buf *out, int *pages);

/* The modules of the QR code libqrencode makes of text (level M, 8-bit):
 * *width × *width bytes, 1 = dark, row by row, malloc'd (free()); NULL when
 * text is empty, too long or out of memory. What fq_pdf draws, for tests. */
unsigned char *fq_pdf_qr_matrix(const char *text, int *width);

#endif
