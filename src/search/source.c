/* Finding an indexed record type by name (source.h); the types themselves
 * are declared by the modules and gathered by src/api/modules.c. */
#include "search/source.h"

#include <jansson.h>
#include <string.h>

#include "domain/ctx.h"
#include "core/banned.h"

const struct fq_search_source *fq_search_source_find(const char *type)
{
	const struct fq_search_source *const *all = fq_search_sources();

	for (int i = 0; type && all[i]; i++)
		if (!strcmp(all[i]->type, type))
			return all[i];
	return NULL;
}

json_t *fq_search_items_each(struct fq_ctx *c, json_t *ids, fq_search_item_fn one)
{
	json_t *out = json_array(), *id;
	enum fq_err err = out ? FQ_OK : FQ_ERR_NOMEM;
	size_t k;

	json_array_foreach(ids, k, id) {
		if (err)
			break;
		err = one(c, json_integer_value(id), out);
	}
	if (!err)
		return out;
	json_decref(out);
	if (!c->e->err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return NULL;
}
