/* The one list of modules. A module is a file src/api/<module>.c that ends
 * with its declaration (struct fq_module: routes, permissions, demo data,
 * export tables, search sources); adding a module adds two lines here. The
 * order is the dependency order: tables are exported and demo data made in
 * this order. */
#include "api/module.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/export.h"
#include "core/banned.h"
#include "domain/attachment.h"
#include "search/source.h"

extern const struct fq_module fq_module_health, fq_module_orgs, fq_module_users,
	fq_module_session, fq_module_audit, fq_module_addresses, fq_module_persons,
	fq_module_duty, fq_module_incidents, fq_module_disputes, fq_module_disputes_law,
	fq_module_dispute_agreements, fq_module_dispute_tracking, fq_module_search,
	fq_module_outbox, fq_module_attachments, fq_module_overview, fq_module_work,
	fq_module_calendar, fq_module_grids, fq_module_places, fq_module_volunteers,
	fq_module_tips, fq_module_measures, fq_module_registry, fq_module_chatgroups;

const struct fq_module *const fq_modules[] = {
	&fq_module_health,    /* meta */
	&fq_module_orgs,      /* the org tree */
	&fq_module_users,     /* staff belong to org units */
	&fq_module_session,   /* sessions and tokens of users */
	&fq_module_audit,     /* entries name users */
	&fq_module_calendar,  /* days set by users; later modules count deadlines on it */
	&fq_module_attachments, /* uploaded by users; records of later modules refer to them */
	&fq_module_addresses,
	&fq_module_grids,     /* areas of the org units; addresses placed in them */
	&fq_module_persons,   /* residents live at addresses */
	&fq_module_duty,      /* shifts of staff */
	&fq_module_incidents, /* dispatched to the current shift; parties are persons */
	&fq_module_disputes,  /* from incidents; parties are persons, mediators users */
	&fq_module_disputes_law, /* the procedure of disputes, their sessions */
	&fq_module_dispute_agreements, /* of disputes; signatures are attachments */
	&fq_module_dispute_tracking, /* 一案一码: the public page, the acceptance notice */
	&fq_module_places,    /* places at addresses; inspections by staff */
	&fq_module_volunteers, /* teams of grids; their patrols are duty's */
	&fq_module_tips,      /* 线索: into incidents and disputes; photos are attachments */
	&fq_module_measures,  /* 技防物防 at places and homes; photos are attachments */
	&fq_module_registry,  /* 责任清单: items of units, their keepers' checks; places linked */
	&fq_module_search,    /* across the types the modules above index */
	&fq_module_outbox,    /* channels of stations; rows queued by the modules above */
	&fq_module_chatgroups, /* 社区群: their robots are outbox channels; broadcasts outbox rows */
	&fq_module_overview,  /* figures the modules above provide */
	&fq_module_work,      /* my work queue and notifications, from the modules above */
	NULL,
};

static struct fq_route *all_routes;
static const struct fq_export_list **all_exports; /* per route: its export, or NULL */
static int all_count;
static pthread_once_t routes_once = PTHREAD_ONCE_INIT;

/* The list route an export declaration names: the module's GET route with
 * the list's handler. */
static const struct fq_route *list_route(const struct fq_module *m, const struct fq_export_list *x)
{
	for (int i = 0; i < m->nroutes; i++)
		if (m->routes[i].handler == x->list && !strcmp(m->routes[i].method, "GET"))
			return &m->routes[i];
	return NULL;
}

/* The export routes of a module come before its own routes: the router takes
 * the first match, and /api/shifts/export must not be read as /api/shifts/{id}. */
static int add_exports(const struct fq_module *m, int n)
{
	for (const struct fq_export_list *x = m->exports; x && x->name; x++) {
		const struct fq_route *list = list_route(m, x);
		size_t len = list ? strlen(list->path) + sizeof("/export") : 0;
		char *path = len ? malloc(len) : NULL;

		if (!path)
			continue; /* fq_router_new finds the export missing: tests/api */
		snprintf(path, len, "%s/export", list->path);
		all_routes[n] = (struct fq_route){"GET", path, fq_api_export, list->permission,
						  x->action, FQ_AUDIT, "export the filtered list (XLSX or CSV)"};
		all_exports[n++] = x;
	}
	return n;
}

/* The router wants one array (a route's index names its metrics); the
 * tables are small, so they are copied once. */
static void gather_routes(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i]; i++) {
		n += fq_modules[i]->nroutes;
		for (const struct fq_export_list *x = fq_modules[i]->exports; x && x->name; x++)
			n++;
	}
	all_routes = calloc((size_t)n ? (size_t)n : 1, sizeof(*all_routes));
	all_exports = calloc((size_t)n ? (size_t)n : 1, sizeof(*all_exports));
	if (!all_routes || !all_exports)
		return;
	for (int i = 0; fq_modules[i]; i++) {
		all_count = add_exports(fq_modules[i], all_count);
		memcpy(all_routes + all_count, fq_modules[i]->routes,
		       (size_t)fq_modules[i]->nroutes * sizeof(*all_routes));
		all_count += fq_modules[i]->nroutes;
	}
}

const struct fq_export_list *fq_modules_export(const struct fq_route *route)
{
	int n;
	const struct fq_route *all = fq_modules_routes(&n);

	if (!route || !all || route < all || route >= all + n)
		return NULL;
	return all_exports[route - all];
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

#define FQ_MAX_ATTACH 64
static const struct fq_attach_owner *attach_list[FQ_MAX_ATTACH + 1];
static pthread_once_t attach_once = PTHREAD_ONCE_INIT;

static void gather_attach(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i]; i++)
		for (const struct fq_attach_owner *o = fq_modules[i]->attach; o && o->type; o++)
			if (n < FQ_MAX_ATTACH)
				attach_list[n++] = o;
}

const struct fq_attach_owner *const *fq_attach_owners(void)
{
	pthread_once(&attach_once, gather_attach);
	return attach_list;
}

const struct fq_dump_table *const *fq_modules_tables(void)
{
	pthread_once(&tables_once, gather_tables);
	return table_lists;
}
