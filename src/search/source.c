/* The indexed record types (source.h). Once the module list
 * (src/api/modules.c) exists, this is the walk over each module's `search`
 * declaration (an array ending with {NULL}, as fq_person_search and
 * fq_incident_search are), in the modules' order. */
#include "search/source.h"

#include <string.h>

#include "domain/incident.h"
#include "domain/person.h"
#include "core/banned.h"

const struct fq_search_source *const fq_search_sources[] = {
	fq_person_search,
	fq_incident_search,
	NULL,
};

const struct fq_search_source *fq_search_source_find(const char *type)
{
	for (int i = 0; type && fq_search_sources[i]; i++)
		if (!strcmp(fq_search_sources[i]->type, type))
			return fq_search_sources[i];
	return NULL;
}
