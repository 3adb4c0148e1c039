/* The labels of the responsibility registry (责任标识牌) as an A4 PDF
 * (document/pdf.h): eight to a page, each with the QR code of the item's
 * page in the app, its name, code, owning unit and responsible person. Who
 * may have them is who may read the items (fq_registry_get). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/ctx.h"
#include "domain/registry.h"
#include "document/pdf.h"
#include "store/registry_store.h"
#include "core/banned.h"

static const char *text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* base without its trailing slashes. */
static int base_len(const char *base)
{
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	return (int)n;
}

enum fq_err fq_registry_labels_pdf(struct fq_ctx *c, const int64_t *ids, size_t n,
				   const char *base, struct fq_buf *out, const char **filename)
{
	json_t *items = json_array(), *it;
	struct fq_pdf *d = NULL;
	char *station = NULL;
	enum fq_err err = items ? FQ_OK : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	size_t k;

	/* Every item first, so one out of scope stops the whole sheet. */
	for (size_t i = 0; !err && i < n; i++) {
		it = fq_registry_get(c, ids[i]);
		if (!it)
			err = c->e->err;
		else
			json_array_append_new(items, it);
	}
	if (!err) {
		it = json_array_get(items, 0);
		err = fq_store_registry_station_name(c->db, json_integer_value(json_object_get(it, "station_id")),
						     &station);
		if (err) /* the station's name is only the heading: the unit's then */
			err = FQ_OK;
		d = fq_pdf_new(&(struct fq_pdf_head){.unit = station ? station : text(it, "unit_name"),
						     .title = "责任标识牌",
						     .subject = "责任清单标识牌"},
			       c->e);
		if (!d)
			err = c->e->err;
	}
	json_array_foreach(items, k, it) {
		const char *lines[4], *url;

		if (err)
			break;
		url = fq_arena_printf(c->arena, "%.*s/#/registry/%lld", base_len(base), base,
				      (long long)json_integer_value(json_object_get(it, "id")));
		lines[0] = text(it, "name");
		lines[1] = fq_arena_printf(c->arena, "编号：%s", text(it, "code"));
		lines[2] = fq_arena_printf(c->arena, "责任单位：%s", text(it, "unit_name"));
		lines[3] = fq_arena_printf(c->arena, "责任人：%s", text(it, "responsible_name"));
		if (!url || !lines[1] || !lines[2] || !lines[3])
			err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		else
			err = fq_pdf_label(d, url, lines, 4);
	}
	if (!err)
		err = fq_pdf_finish(d, out, NULL);
	if (!err)
		*filename = n == 1 ? fq_arena_printf(c->arena, "责任标识牌-%s.pdf",
						     text(json_array_get(items, 0), "code"))
				   : "责任标识牌.pdf";
	fq_pdf_free(d);
	free(station);
	json_decref(items);
	return err;
}
