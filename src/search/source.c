/* Finding an indexed record type by name (source.h); the types themselves
 * are declared by the modules and gathered by src/api/modules.c. */
#include "search/source.h"

#include <string.h>

#include "core/banned.h"

const struct fq_search_source *fq_search_source_find(const char *type)
{
	const struct fq_search_source *const *all = fq_search_sources();

	for (int i = 0; type && all[i]; i++)
		if (!strcmp(all[i]->type, type))
			return all[i];
	return NULL;
}
