/* Writing a list to a spreadsheet file: XLSX (libxlsxwriter) or CSV, one row
 * per list item, the columns as a module declares them. No HTTP, no SQL: the
 * API layer (src/api/export.c) feeds it the items of a list, page by page,
 * and sends the finished file. */
#ifndef FQ_EXPORT_H
#define FQ_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

typedef struct json_t json_t;

enum fq_export_type {
	FQ_COL_TEXT,     /* a string (numbers are written as their digits) */
	FQ_COL_NUMBER,   /* a number cell */
	FQ_COL_DATE,     /* "2026-05-01" or 20260501: an Excel date */
	FQ_COL_DATETIME, /* "2026-05-01T08:00:00Z": an Excel date and time, station time */
	FQ_COL_BOOL,     /* true/false: 是/否 (Yes/No) */
	FQ_COL_LIST,     /* an array: its strings, or field `sub` of its objects, joined by 、 */
};

/* Column flags. */
#define FQ_COL_MASKED 1u /* the list shows it masked; an unmasked export fills it (audited) */

/* A code of the list and the words a person reads for it. */
struct fq_export_label {
	const char *code;
	const char *zh, *en;
};

/* One column: the list item's field, its heading in both languages, how it is
 * written and how wide it is (Excel characters). */
struct fq_export_column {
	const char *key;
	const char *zh, *en;
	enum fq_export_type type;
	double width;
	unsigned flags;
	const struct fq_export_label *labels; /* ends with {NULL}; NULL: the value as is */
	const char *sub;                      /* FQ_COL_LIST of objects: the field shown */
};

enum fq_export_format { FQ_EXPORT_XLSX, FQ_EXPORT_CSV };

struct fq_export_options {
	enum fq_export_format format;
	const struct fq_export_column *columns; /* ends with {NULL} */
	const char *sheet;                      /* the worksheet's name (XLSX) */
	bool en;                                /* English headings and words */
	int64_t utc_offset_minutes;             /* times are written in station time */
	const char *tmpdir;                     /* NULL: $TMPDIR or /tmp */
};

struct fq_export;

/* Starts a file: the heading row is written. The file lives in tmpdir and is
 * unlinked once finished or freed. */
enum fq_err fq_export_open(const struct fq_export_options *o, struct fq_export **out,
			   struct fq_error *e);
/* Writes one list item (not stolen) as the next row. */
enum fq_err fq_export_row(struct fq_export *x, json_t *item, struct fq_error *e);
/* The rows written so far (the heading not counted). */
int64_t fq_export_rows(const struct fq_export *x);
/* Finishes the file and frees x: *fd is the file, open for reading at its
 * start and already unlinked (the caller closes it), *len its size. On
 * failure nothing is left behind. */
enum fq_err fq_export_finish(struct fq_export *x, int *fd, uint64_t *len, struct fq_error *e);
/* Drops an unfinished file (x may be NULL). */
void fq_export_free(struct fq_export *x);

#endif
