/* The one list of modules. A module is a file src/api/<module>.c that ends
 * with its declaration (struct fq_module: routes, permissions, demo data,
 * export tables, search sources); adding a module adds two lines here. The
 * order is the dependency order: tables are exported and demo data made in
 * this order. */
#include "api/module.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "search/source.h"

extern const struct fq_module fq_module_health, fq_module_orgs, fq_module_users,
	fq_module_session, fq_module_audit, fq_module_addresses, fq_module_persons,
	fq_module_duty, fq_module_incidents, fq_module_search, fq_module_work;

const struct fq_module *const fq_modules[] = {
	&fq_module_health,    /* meta */
	&fq_module_orgs,      /* the org tree */
	&fq_module_users,     /* staff belong to org units */
	&fq_module_session,   /* sessions and tokens of users */
	&fq_module_audit,     /* entries name users */
	&fq_module_addresses,
	&fq_module_persons,   /* residents live at addresses */
	&fq_module_duty,      /* shifts of staff */
	&fq_module_incidents, /* dispatched to the current shift; parties are persons */
	&fq_module_search,    /* across the types the modules above index */
	&fq_module_work,      /* my work queue and notifications, from the modules above */
	NULL,
};

static struct fq_route *all_routes;
static int all_count;
static pthread_once_t routes_once = PTHREAD_ONCE_INIT;

/* The router wants one array (a route's index names its metrics); the
 * tables are small, so they are copied once. */
static void gather_routes(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i]; i++)
		n += fq_modules[i]->nroutes;
	all_routes = calloc((size_t)n ? (size_t)n : 1, sizeof(*all_routes));
	if (!all_routes)
		return;
	for (int i = 0; fq_modules[i]; i++) {
		memcpy(all_routes + all_count, fq_modules[i]->routes,
		       (size_t)fq_modules[i]->nroutes * sizeof(*all_routes));
		all_count += fq_modules[i]->nroutes;
	}
}

const struct fq_route *fq_modules_routes(int *count)
{
	pthread_once(&routes_once, gather_routes);
	*count = all_count;
	return all_routes;
}

static const struct fq_dump_table *table_lists[FQ_MAX_MODULES + 1];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void gather_tables(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i] && n < FQ_MAX_MODULES; i++)
		if (fq_modules[i]->tables)
			table_lists[n++] = fq_modules[i]->tables;
}

static const struct fq_search_source *search_list[FQ_MAX_SEARCH + 1];
static pthread_once_t search_once = PTHREAD_ONCE_INIT;

static void gather_search(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i]; i++)
		for (const struct fq_search_source *s = fq_modules[i]->search; s && s->type; s++)
			if (n < FQ_MAX_SEARCH)
				search_list[n++] = s;
}

const struct fq_search_source *const *fq_search_sources(void)
{
	pthread_once(&search_once, gather_search);
	return search_list;
}

const struct fq_dump_table *const *fq_modules_tables(void)
{
	pthread_once(&tables_once, gather_tables);
	return table_lists;
}
