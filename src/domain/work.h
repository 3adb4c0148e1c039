/* My work queue (我的待办): everything that needs the caller's action or is
 * due. Each module that has such things declares one provider in its
 * struct fq_module (api/module.h, field `work`); fq_work_collect asks each
 * provider and sorts what they add: overdue first, then by due time, then
 * oldest first. A provider sees the caller in c->who and adds items with
 * fq_work_add; it checks its own permissions (a volunteer gets no incident
 * items) and the data scope of what it lists. */
#ifndef FQ_WORK_H
#define FQ_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_work_list;
typedef struct json_t json_t;

/* One thing to do. Texts are copied; params is stolen (may be NULL). */
struct fq_work_item {
	const char *kind;   /* what: "incident_arrive" (a label of work.kinds in the app) */
	const char *title;  /* the record in words: "LL-2026-000123 · 幸福路 12 号" */
	const char *why;    /* why it is mine: "dispatched" (a label of work.why) */
	int64_t since;      /* ms: since when it waits */
	int64_t due;        /* ms: due when; 0 = no deadline */
	const char *route;  /* where to act: a route name of the browser app ("incident") */
	int64_t id;         /* that route's :id */
	json_t *params;     /* what else the app shows (category, status …) */
};

/* What a module declares (api/module.h): adds its items for the caller at
 * now (the request's time; tests pass their own) to list. */
typedef enum fq_err (*fq_work_provider)(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

/* Adds an item (overdue when due is set and passed at the list's now).
 * Past FQ_WORK_MAX items it is left out and the list says it is cut. */
enum fq_err fq_work_add(struct fq_work_list *list, const struct fq_work_item *item);

/* At most this many items a provider adds of each of its kinds, and in all. */
#define FQ_WORK_PER_KIND 50
#define FQ_WORK_MAX 300

/* The items of every provider (a list ending with NULL) for the caller at
 * now, sorted:
 * {"items":[{kind, title, why, since, due, overdue, link:{route, id}, params}],
 *  "count", "overdue", "truncated"}. NULL with c->e set on error. */
json_t *fq_work_collect(struct fq_ctx *c, int64_t now, const fq_work_provider *providers);

/* The providers of incidents and duty (domain/incident_work.c, duty_work.c). */
enum fq_err fq_incident_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);
enum fq_err fq_duty_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

/* How long after closing a follow-up call (回访) is due, and how far back
 * the work queue looks for closures without one. */
#define FQ_FOLLOWUP_DUE_HOURS 72
#define FQ_FOLLOWUP_WINDOW_DAYS 7

#endif
