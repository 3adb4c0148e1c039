/* Excel and CSV exports of the list screens. A module declares, for each of
 * its lists, the columns of the export (src/export/export.h) and the list's
 * handler; src/api/modules.c then adds the route GET <list path>/export with
 * the list's permission, audited, in front of the module's own routes. The
 * export runs the list's own handler page by page, so it takes the same
 * filters, refuses the same bad ones and sees the same scope as the list.
 * docs/internals.md "Exports: declaring columns". */
#ifndef FQ_API_EXPORT_H
#define FQ_API_EXPORT_H

#include "core/err.h"
#include "export/export.h"
#include "http/route.h"

struct fq_ctx;
struct fq_req;
typedef struct json_t json_t;

/* One exported list; a module's table of them ends with {NULL}. */
struct fq_export_list {
	const char *name;   /* "incidents": the file's name and the audit detail */
	fq_handler list;    /* the list's handler (a GET route of the same module) */
	const char *action; /* the export's audit action: "incident.export" */
	const char *zh, *en; /* the sheet's title and the file's name */
	const struct fq_export_column *columns; /* ends with {NULL} */
	/* Optional: the permission that lets a caller ask for unmask=true, and the
	 * domain call that gives the clear values of one record by id (checking
	 * scope; NULL after fq_fail): they replace the item's masked fields of
	 * the same names. */
	const char *unmask_permission;
	json_t *(*unmask)(struct fq_ctx *c, int64_t id);
};

/* The handler of every export route (modules.c gives it the routes). */
enum fq_err fq_api_export(struct fq_req *r);

/* The export declared for an export route, or NULL (src/api/modules.c). */
const struct fq_export_list *fq_modules_export(const struct fq_route *route);

/* Rows of an export are read in pages of this many items. */
#define FQ_EXPORT_PAGE 1000

#endif
