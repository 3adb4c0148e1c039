/* A module of the product (persons, incidents, duty …) declares here
 * everything it brings to the shared parts: its routes (who may do what), the
 * permissions it defines and which roles hold them, its demo data, the tables
 * it exports and what it indexes for search. src/api/modules.c lists the
 * modules, in dependency order; no other shared file needs to know them.
 * docs/internals.md "Adding a module" shows the files a module has. */
#ifndef FQ_MODULE_H
#define FQ_MODULE_H

#include <stdint.h>

#include "core/err.h"
#include "http/route.h"

struct fq_demo;              /* cli/demo.h: the demo station being built */
struct fq_dump_table;        /* store/dump.h: one exported table */
struct fq_search_source;     /* search/source.h: one indexed record type */
struct fq_export_list;       /* api/export.h: one list exported to Excel and CSV */
struct fq_attach_owner;      /* domain/attachment.h: a record type taking attachments */
struct fq_overview_provider; /* domain/overview.h: cards and charts of the overview */
struct fq_ctx;               /* domain/ctx.h */
struct fq_work_list;         /* domain/work.h: the caller's work queue being built */

/* One permission a module defines and the roles that hold it. */
struct fq_permission_grant {
	const char *permission; /* "incident.write" */
	const char *roles;      /* space-separated role names: "chief officer aux" */
};

struct fq_module {
	const char *name;                              /* "incidents" */
	const struct fq_route *routes;                 /* its route table */
	int nroutes;
	const struct fq_permission_grant *permissions; /* ends with {NULL}; may be NULL */
	/* Adds the module's demo data (src/cli/demo_<module>.c); NULL: none. */
	enum fq_err (*demo)(struct fq_demo *d);
	const struct fq_dump_table *tables;            /* ends with {NULL}; may be NULL */
	const struct fq_search_source *search;         /* ends with {NULL}; may be NULL */
	/* Its lists exported to XLSX and CSV (api/export.h): each gets the route
	 * GET <list path>/export. Ends with {NULL}; may be NULL. */
	const struct fq_export_list *exports;
	/* The record types that take attachments (photos, scans, signatures),
	 * each with the record's permissions and visibility check
	 * (domain/attachment.h); ends with {NULL}; may be NULL. */
	const struct fq_attach_owner *attach;
	/* The cards and charts it adds to the station overview and to each
	 * caller's own (GET /api/overview, /api/overview/mine); NULL: none. */
	const struct fq_overview_provider *overview;
	/* Its work provider (domain/work.h): adds the items that need the
	 * caller's action at now with fq_work_add; NULL: none. */
	enum fq_err (*work)(struct fq_ctx *c, int64_t now, struct fq_work_list *list);
	/* Its part of the background sweep (domain/notify.h fq_notify_sweep):
	 * the notifications that time alone makes due at now, each told once
	 * (fq_notify's dedup); *made += how many were new. Runs in the sweep's
	 * write transaction with c->who NULL. NULL: none. */
	enum fq_err (*sweep)(struct fq_ctx *c, int64_t now, int *made);
};

/* Every module, in dependency order (a module's tables and demo data come
 * after those of the modules it refers to); ends with NULL. */
extern const struct fq_module *const fq_modules[];

/* The number of rows of a table. */
#define FQ_NELEM(table) ((int)(sizeof(table) / sizeof((table)[0])))

/* Shorthands for the permission and flags columns of route tables. */
#define PUBLIC FQ_PERM_PUBLIC
#define SIGNED_IN FQ_PERM_SIGNED_IN
#define R FQ_RESTRICTED_OK

/* At most this many modules. */
#define FQ_MAX_MODULES 64
/* At most this many indexed record types. */
#define FQ_MAX_SEARCH 64

/* The exported tables of every module, in module order, as the export and
 * import take them (store/dump.h): lists ending with {NULL}, then NULL. */
const struct fq_dump_table *const *fq_modules_tables(void);

/* The record types of every module that take attachments, in module order;
 * ends with NULL. */
const struct fq_attach_owner *const *fq_attach_owners(void);

/* Every route of every module in one array, in module order (built once;
 * lives as long as the process). */
const struct fq_route *fq_modules_routes(int *count);

#endif
