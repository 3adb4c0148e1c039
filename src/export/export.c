/* XLSX and CSV files of a list. XLSX: libxlsxwriter in constant_memory mode
 * (each row goes to a temporary file as it is written, so a sheet of 200,000
 * rows holds one row in memory), dates as Excel serial numbers with a date
 * format. CSV: UTF-8 with a byte-order mark (Excel reads UTF-8 only then),
 * RFC 4180 quoting, CRLF line ends, and a ' before a text that a spreadsheet
 * would run as a formula. */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/banned.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"

/* Excel counts days from 1899-12-30; Unix from 1970-01-01. */
#define EXCEL_EPOCH_DAYS 25569.0
#define DAY_MS 86400000.0
/* Excel keeps at most 32,767 characters in a cell. */
#define CELL_MAX_BYTES 32767

struct fq_export {
	struct fq_export_options o;
	char path[512];
	int64_t rows;
	struct fq_buf cell; /* the text of the cell being written */
	/* CSV */
	FILE *csv;
	/* XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *date, *datetime;
};

static const char *tmp_dir(const struct fq_export_options *o)
{
	const char *t = o->tmpdir && *o->tmpdir ? o->tmpdir : getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static const char *heading(const struct fq_export *x, const struct fq_export_column *c)
{
	return x->o.en && c->en ? c->en : c->zh;
}

static enum fq_err io_fail(struct fq_error *e, const char *what)
{
	return fq_fail(e, FQ_ERR_IO, NULL, NULL, "cannot write the export file (%s): %s", what,
		       strerror(errno));
}

static enum fq_err xlsx_fail(struct fq_error *e, lxw_error rc)
{
	return fq_fail(e, FQ_ERR_IO, NULL, NULL, "cannot write the Excel file: %s",
		       lxw_strerror(rc));
}

/* ---- cells ---- */

enum cell_kind { CELL_EMPTY, CELL_TEXT, CELL_NUMBER, CELL_DATE, CELL_DATETIME };

struct cell {
	enum cell_kind kind;
	const char *text; /* CELL_TEXT: x->cell or a constant */
	double number;    /* CELL_NUMBER; CELL_DATE(TIME): the Excel serial */
	int64_t local_ms; /* CELL_DATE(TIME): the station's wall clock as ms */
};

static const char *label_of(const struct fq_export *x, const struct fq_export_column *c,
			    const char *code)
{
	for (const struct fq_export_label *l = c->labels; l && l->code; l++)
		if (!strcmp(l->code, code))
			return x->o.en && l->en ? l->en : l->zh;
	return code;
}

static enum fq_err add_text(struct fq_export *x, const struct fq_export_column *c, json_t *v)
{
	if (json_is_string(v))
		return fq_buf_adds(&x->cell, label_of(x, c, json_string_value(v)));
	if (json_is_integer(v))
		return fq_buf_addf(&x->cell, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return fq_buf_addf(&x->cell, "%.10g", json_real_value(v));
	if (json_is_boolean(v))
		return fq_buf_adds(&x->cell, json_is_true(v) ? (x->o.en ? "Yes" : "是")
							      : (x->o.en ? "No" : "否"));
	return FQ_OK;
}

/* The value of column c of item as a cell. */
static enum fq_err cell_of(struct fq_export *x, const struct fq_export_column *c, json_t *item,
			   struct cell *out)
{
	json_t *v = json_object_get(item, c->key), *el;
	enum fq_err err = FQ_OK;
	int64_t ms, day;
	size_t i;

	memset(out, 0, sizeof(*out));
	fq_buf_reset(&x->cell);
	if (!v || json_is_null(v))
		return FQ_OK;
	switch (c->type) {
	case FQ_COL_NUMBER:
		if (json_is_number(v)) {
			out->kind = CELL_NUMBER;
			out->number = json_number_value(v);
			return FQ_OK;
		}
		break;
	case FQ_COL_DATE:
		if (json_is_integer(v))
			day = json_integer_value(v);
		if ((json_is_string(v) && fq_date_parse(json_string_value(v), &day)) ||
		    (json_is_integer(v) && fq_date_valid((int)(day / 10000), (int)(day / 100 % 100),
							 (int)(day % 100)))) {
			int64_t days = fq_days_from_civil((int)(day / 10000), (int)(day / 100 % 100),
							  (int)(day % 100));
			out->kind = CELL_DATE;
			out->number = (double)days + EXCEL_EPOCH_DAYS;
			out->local_ms = days * (int64_t)DAY_MS;
			return FQ_OK;
		}
		break;
	case FQ_COL_DATETIME:
		if (json_is_string(v) && fq_time_parse(json_string_value(v), &ms)) {
			out->kind = CELL_DATETIME;
			out->local_ms = ms + x->o.utc_offset_minutes * 60000;
			out->number = (double)out->local_ms / DAY_MS + EXCEL_EPOCH_DAYS;
			return FQ_OK;
		}
		break;
	case FQ_COL_LIST:
		json_array_foreach(v, i, el) {
			json_t *part = c->sub ? json_object_get(el, c->sub) : el;

			if (!part || json_is_null(part))
				continue;
			if (x->cell.len)
				err = fq_buf_adds(&x->cell, "、");
			if (!err)
				err = add_text(x, c, part);
			if (err)
				return err;
		}
		out->kind = x->cell.len ? CELL_TEXT : CELL_EMPTY;
		out->text = x->cell.ptr;
		return FQ_OK;
	case FQ_COL_TEXT:
	case FQ_COL_BOOL:
		break;
	}
	err = add_text(x, c, v);
	out->kind = CELL_TEXT;
	out->text = x->cell.ptr ? x->cell.ptr : "";
	return err;
}

/* ---- CSV ---- */

static bool formula_start(const char *s)
{
	return *s && strchr("=+-@\t\r", *s);
}

static void csv_text(FILE *f, const char *s)
{
	bool quote = formula_start(s) || strpbrk(s, ",\"\r\n");

	if (quote)
		fputc('"', f);
	if (formula_start(s))
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
}

static void csv_cell(struct fq_export *x, const struct cell *cl)
{
	char t[32];

	switch (cl->kind) {
	case CELL_EMPTY:
		break;
	case CELL_TEXT:
		csv_text(x->csv, cl->text);
		break;
	case CELL_NUMBER:
		fprintf(x->csv, "%.15g", cl->number);
		break;
	case CELL_DATE:
	case CELL_DATETIME:
		/* "2026-05-01T16:00:00Z" of the wall clock → "2026-05-01 16:00:00" */
		fq_time_format(cl->local_ms, t, sizeof(t));
		t[10] = ' ';
		t[19] = '\0';
		if (cl->kind == CELL_DATE)
			t[10] = '\0';
		fputs(t, x->csv);
		break;
	}
}

/* ---- XLSX ---- */

/* Excel's limit on a cell, cut at a character boundary. */
static const char *xlsx_text(struct fq_export *x, const char *s)
{
	size_t n = strlen(s);

	if (n <= CELL_MAX_BYTES)
		return s;
	n = CELL_MAX_BYTES;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	if (s == x->cell.ptr) {
		x->cell.ptr[n] = '\0';
		return s;
	}
	return "";
}

static lxw_error xlsx_cell(struct fq_export *x, lxw_row_t row, lxw_col_t col,
			   const struct cell *cl)
{
	switch (cl->kind) {
	case CELL_EMPTY:
		return LXW_NO_ERROR;
	case CELL_TEXT:
		return worksheet_write_string(x->ws, row, col, xlsx_text(x, cl->text), NULL);
	case CELL_NUMBER:
		return worksheet_write_number(x->ws, row, col, cl->number, NULL);
	case CELL_DATE:
		return worksheet_write_number(x->ws, row, col, cl->number, x->date);
	case CELL_DATETIME:
		return worksheet_write_number(x->ws, row, col, cl->number, x->datetime);
	}
	return LXW_NO_ERROR;
}

static enum fq_err xlsx_open(struct fq_export *x, struct fq_error *e)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
				    .tmpdir = (char *)tmp_dir(&x->o),
				    .use_zip64 = LXW_TRUE};
	lxw_col_t col = 0;
	lxw_error rc = LXW_NO_ERROR;

	x->wb = workbook_new_opt(x->path, &opt);
	if (!x->wb)
		return fq_fail(e, FQ_ERR_IO, NULL, NULL, "cannot start the Excel file");
	x->ws = workbook_add_worksheet(x->wb, x->o.sheet);
	x->head = workbook_add_format(x->wb);
	x->date = workbook_add_format(x->wb);
	x->datetime = workbook_add_format(x->wb);
	if (!x->ws || !x->head || !x->date || !x->datetime)
		return fq_fail(e, FQ_ERR_IO, NULL, NULL, "cannot start the Excel sheet");
	format_set_bold(x->head);
	format_set_num_format(x->date, "yyyy-mm-dd");
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm:ss");
	for (const struct fq_export_column *c = x->o.columns; c->key && !rc; c++, col++) {
		rc = worksheet_set_column(x->ws, col, col, c->width > 0 ? c->width : 12, NULL);
		if (!rc)
			rc = worksheet_write_string(x->ws, 0, col, heading(x, c), x->head);
	}
	if (rc)
		return xlsx_fail(e, rc);
	worksheet_freeze_panes(x->ws, 1, 0);
	return FQ_OK;
}

/* ---- the file ---- */

enum fq_err fq_export_open(const struct fq_export_options *o, struct fq_export **out,
			   struct fq_error *e)
{
	struct fq_export *x = calloc(1, sizeof(*x));
	enum fq_err err = FQ_OK;
	int fd, n;

	*out = NULL;
	if (!x)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	x->o = *o;
	fq_buf_init(&x->cell, (size_t)1 << 20);
	n = snprintf(x->path, sizeof(x->path), "%s/fengqiao-export-XXXXXX", tmp_dir(o));
	if (n < 0 || (size_t)n >= sizeof(x->path)) {
		x->path[0] = '\0';
		fq_export_free(x);
		return fq_fail(e, FQ_ERR_IO, NULL, NULL, "the temporary directory's path is too long");
	}
	fd = mkstemp(x->path);
	if (fd < 0) {
		err = io_fail(e, x->path);
		x->path[0] = '\0';
		fq_export_free(x);
		return err;
	}
	if (o->format == FQ_EXPORT_CSV) {
		x->csv = fdopen(fd, "w");
		if (!x->csv) {
			close(fd);
			err = io_fail(e, x->path);
		} else {
			/* The byte-order mark: Excel reads the file as UTF-8 only with it. */
			fputs("\xEF\xBB\xBF", x->csv);
			for (const struct fq_export_column *c = o->columns; c->key; c++) {
				if (c != o->columns)
					fputc(',', x->csv);
				csv_text(x->csv, heading(x, c));
			}
			fputs("\r\n", x->csv);
		}
	} else {
		close(fd); /* libxlsxwriter writes the file itself when it closes */
		err = xlsx_open(x, e);
	}
	if (err) {
		fq_export_free(x);
		return err;
	}
	*out = x;
	return FQ_OK;
}

enum fq_err fq_export_row(struct fq_export *x, json_t *item, struct fq_error *e)
{
	lxw_col_t col = 0;
	struct cell cl;
	enum fq_err err;

	x->rows++;
	for (const struct fq_export_column *c = x->o.columns; c->key; c++, col++) {
		err = cell_of(x, c, item, &cl);
		if (err)
			return fq_fail(e, err, NULL, NULL, "a cell of the export is too large");
		if (x->csv) {
			if (col)
				fputc(',', x->csv);
			csv_cell(x, &cl);
		} else {
			lxw_error rc = xlsx_cell(x, (lxw_row_t)x->rows, col, &cl);
			if (rc)
				return xlsx_fail(e, rc);
		}
	}
	if (x->csv && fputs("\r\n", x->csv) == EOF)
		return io_fail(e, "csv");
	return FQ_OK;
}

int64_t fq_export_rows(const struct fq_export *x)
{
	return x->rows;
}

enum fq_err fq_export_finish(struct fq_export *x, int *fd, uint64_t *len, struct fq_error *e)
{
	enum fq_err err = FQ_OK;
	struct stat st;
	int rc = 0;

	*fd = -1;
	*len = 0;
	if (x->csv) {
		rc = fclose(x->csv);
		x->csv = NULL;
		if (rc)
			err = io_fail(e, "csv");
	} else {
		lxw_error lrc = workbook_close(x->wb);
		x->wb = NULL;
		if (lrc)
			err = xlsx_fail(e, lrc);
	}
	if (!err) {
		*fd = open(x->path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0 || fstat(*fd, &st))
			err = io_fail(e, x->path);
		else
			*len = (uint64_t)st.st_size;
	}
	if (err && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	fq_export_free(x); /* unlinks the path: the open descriptor keeps the file */
	return err;
}

void fq_export_free(struct fq_export *x)
{
	if (!x)
		return;
	if (x->csv)
		fclose(x->csv);
	if (x->wb) {
		/* libxlsxwriter frees a workbook only by closing it: write it and
		 * drop the file. */
		workbook_close(x->wb);
	}
	if (x->path[0])
		unlink(x->path);
	fq_buf_release(&x->cell);
	free(x);
}
