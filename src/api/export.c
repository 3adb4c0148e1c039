/* GET <list>/export?format=xlsx|csv&<the list's filters>: the whole filtered
 * list as a file. The list's own handler is run page by page (keyset pages
 * where the list answers next_cursor), each page's items written as rows of a
 * temporary file (src/export/export.c), and the finished file is sent from
 * disk. The route is audited: who, which list, the filters, the row count, and
 * whether masked fields were shown. */
#include "api/export.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/input.h"
#include "auth/permission.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "http/app.h"
#include "http/request.h"

/* Arguments of the export itself; every other one is the list's filter. */
static const char *const own_args[] = {"format", "lang", "unmask", "page", "per_page", "cursor",
				       NULL};

static void query_drop(struct fq_req *r, const char *key)
{
	int n = 0;

	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, key))
			r->query[n++] = r->query[i];
	r->nquery = n;
}

static void query_set(struct fq_req *r, const char *key, const char *value)
{
	query_drop(r, key);
	fq_req_add_query(r, key, value);
}

/* English when lang=en, or without lang when the browser's first language is
 * English; Chinese otherwise. */
static enum fq_err read_lang(struct fq_req *r, bool *en)
{
	static const char *const langs[] = {"zh-CN", "zh", "en", NULL};
	const char *lang = NULL, *al = r->accept_language;
	enum fq_err err = fq_in_query_choice(r, "lang", langs, &lang);

	if (err)
		return err;
	if (lang)
		*en = !strcmp(lang, "en");
	else
		*en = al && !strncasecmp(al + strspn(al, " "), "en", 2);
	return FQ_OK;
}

/* attachment; filename="incidents-20261206-0930.xlsx"; filename*=UTF-8''警情-… */
static const char *disposition(struct fq_req *r, const struct fq_export_list *x,
			       const char *ext, int64_t now_ms)
{
	char stamp[24], t[24], *enc;
	size_t n = 0, len = strlen(x->zh);

	fq_time_format(now_ms + r->app->cfg.utc_offset_minutes * 60000, t, sizeof(t));
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2s-%.2s%.2s", t, t + 5, t + 8, t + 11, t + 14);
	enc = fq_arena_alloc(r->arena, len * 3 + 1);
	if (!enc)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)x->zh[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.')
			enc[n++] = (char)ch;
		else
			n += (size_t)snprintf(enc + n, 4, "%%%02X", ch);
	}
	enc[n] = '\0';
	return fq_arena_printf(r->arena,
			       "attachment; filename=\"%s-%s.%s\"; filename*=UTF-8''%s-%s.%s",
			       x->name, stamp, ext, enc, stamp, ext);
}

static json_t *filters_of(const struct fq_req *r)
{
	json_t *f = json_object();

	for (int i = 0; f && i < r->nquery; i++)
		json_object_set_new(f, r->query[i].key, json_string(r->query[i].value));
	return f;
}

/* Runs the list's handler for one page and hands back its answer. */
static json_t *list_page(struct fq_req *r, const struct fq_export_list *x, enum fq_err *err)
{
	json_t *out;

	*err = x->list(r);
	out = r->out;
	r->out = NULL;
	if (!*err && !json_is_array(json_object_get(out, "items")))
		*err = fq_req_fail(r, FQ_ERR_INTERNAL, NULL, NULL, "the list answered no items");
	if (*err) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The item's masked fields replaced by the clear values of its record. */
static enum fq_err unmask_item(struct fq_ctx *c, const struct fq_export_list *x, json_t *item)
{
	json_t *clear = x->unmask(c, json_integer_value(json_object_get(item, "id")));

	if (!clear)
		return c->e->err ? c->e->err : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_object_update_existing(item, clear);
	json_decref(clear);
	return FQ_OK;
}

enum fq_err fq_api_export(struct fq_req *r)
{
	static const char *const formats[] = {"xlsx", "csv", NULL};
	const struct fq_export_list *x = fq_modules_export(r->route);
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_export_options o = {0};
	struct fq_export *file = NULL;
	const char *format = NULL;
	bool en = false, unmask = false, more = true;
	int64_t page = 1, max_rows = r->app->cfg.export_max_rows, now = fq_time_now_ms();
	json_t *filters = NULL, *out = NULL, *item;
	char num[24];
	uint64_t len;
	size_t i;
	int fd;
	enum fq_err err = x ? FQ_OK : fq_req_fail(r, FQ_ERR_INTERNAL, NULL, NULL, "no export here");

	if (!err)
		err = fq_in_query_choice(r, "format", formats, &format);
	if (!err && !format)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "format",
				  "format must be xlsx or csv");
	if (!err)
		err = read_lang(r, &en);
	if (!err && fq_req_query(r, "unmask")) {
		const char *v = fq_req_query(r, "unmask");
		if (strcmp(v, "true") && strcmp(v, "false"))
			err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "unmask",
					  "unmask must be true or false");
		unmask = !strcmp(v, "true");
	}
	if (!err && unmask && !x->unmask)
		err = fq_req_fail(r, FQ_ERR_INVALID, "not_masked", "unmask",
				  "this list has no masked fields");
	if (!err && unmask && !fq_principal_may(&r->who, x->unmask_permission))
		err = fq_req_fail(r, FQ_ERR_FORBIDDEN, "forbidden", "unmask",
				  "you may not see ID numbers and phones unmasked");
	if (err)
		return err;

	/* The rest of the query is the list's filter, as the list screen sends it. */
	for (int k = 0; own_args[k]; k++)
		query_drop(r, own_args[k]);
	filters = filters_of(r);
	r->per_page_max = FQ_EXPORT_PAGE;
	snprintf(num, sizeof(num), "%d", FQ_EXPORT_PAGE);
	query_set(r, "per_page", num);

	o.format = !strcmp(format, "csv") ? FQ_EXPORT_CSV : FQ_EXPORT_XLSX;
	o.columns = x->columns;
	o.sheet = en ? x->en : x->zh;
	o.en = en;
	o.utc_offset_minutes = r->app->cfg.utc_offset_minutes;
	err = fq_export_open(&o, &file, &r->error);
	while (!err && more) {
		json_t *next;

		out = list_page(r, x, &err);
		if (err)
			break;
		json_array_foreach(json_object_get(out, "items"), i, item) {
			if (fq_export_rows(file) >= max_rows) {
				err = fq_req_fail(r, FQ_ERR_INVALID, "too_many_rows", NULL,
						  "the list holds more than %lld rows, the most one "
						  "export may hold: narrow the filters",
						  (long long)max_rows);
				break;
			}
			if (unmask)
				err = unmask_item(&c, x, item);
			if (!err)
				err = fq_export_row(file, item, &r->error);
			if (err)
				break;
		}
		/* Keyset lists go on below the last row; the others by page. */
		next = json_object_get(out, "next_cursor");
		more = json_is_true(json_object_get(out, "has_more"));
		if (json_is_string(next)) {
			query_set(r, "cursor", json_string_value(next));
		} else {
			snprintf(num, sizeof(num), "%lld", (long long)++page);
			query_set(r, "page", num);
		}
		json_decref(out);
		out = NULL;
	}

	{
		json_t *d = json_pack("{s:s,s:s,s:O,s:I,s:b}", "list", x->name, "format", format,
				      "filters", filters, "rows",
				      (json_int_t)(file ? fq_export_rows(file) : 0), "unmasked",
				      unmask);
		char *text = d ? fq_json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

		r->audit.detail = text ? fq_arena_strdup(r->arena, text) : NULL;
		free(text);
		json_decref(d);
	}
	json_decref(filters);
	if (unmask)
		r->audit.action = fq_arena_printf(r->arena, "%s_unmasked", x->action);
	if (err) {
		fq_export_free(file);
		return err;
	}
	err = fq_export_finish(file, &fd, &len, &r->error);
	if (err)
		return err;
	r->raw_file = true;
	r->raw_fd = fd;
	r->raw_file_len = len;
	r->raw_type = o.format == FQ_EXPORT_CSV
			      ? "text/csv; charset=utf-8"
			      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	r->disposition = disposition(r, x, format, now);
	r->status = 200;
	return FQ_OK;
}
