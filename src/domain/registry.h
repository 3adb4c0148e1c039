/* The responsibility registry (责任清单, issue 12: "盆栽也有责任人"): each
 * thing, room, vehicle, piece of equipment, place or task of a station with
 * its owning unit (the item's data scope), one responsible person and a
 * deputy, a code to print on its label, and, when it is checked on a
 * schedule, the interval and what to check; the checks recorded by the
 * responsible person. No HTTP, no SQL. */
#ifndef FQ_REGISTRY_H
#define FQ_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/attachment.h" /* arrays of these are declared below */
#include "search/source.h"

struct fq_ctx;
struct fq_buf;
struct fq_work_list;
struct fq_registry_filter;
typedef struct json_t json_t;

/* Choices, NULL-terminated; the API reads fields from them. */
extern const char *const fq_registry_kinds[];    /* asset room vehicle equipment place task plant other */
extern const char *const fq_registry_results[];  /* ok problem */
extern const char *const fq_registry_statuses[]; /* ok due overdue none attention */

/* Labels printed at once, and the length of a code. */
#define FQ_REGISTRY_MAX_LABELS 100
#define FQ_REGISTRY_CODE_MAX 20

/* A new item, or a change (NULL / 0 / has_* false: unchanged). */
struct fq_registry_input {
	const char *kind, *name, *code, *location, *check_what; /* "" clears location, check_what */
	int64_t unit_id, responsible_id;
	int64_t deputy_id;     /* -1: none (update) */
	int64_t place_id;      /* -1: none (update) */
	bool has_interval;
	int64_t interval_days; /* 0: none */
};

enum fq_err fq_registry_create(struct fq_ctx *c, const struct fq_registry_input *in,
			       int64_t *id);
enum fq_err fq_registry_update(struct fq_ctx *c, int64_t id, const struct fq_registry_input *in);
/* One item with its last checks (newest first) and whether the caller may
 * record a check ("may_check"). NULL (FQ_ERR_NOT_FOUND) out of scope. */
json_t *fq_registry_get(struct fq_ctx *c, int64_t id);
/* The caller's items (scope), newest first; per_page + 1 rows. */
json_t *fq_registry_list(struct fq_ctx *c, struct fq_registry_filter *f, int64_t page,
			 int64_t per_page);

/* Records a check at now (tests pass their own): by the responsible
 * person, the deputy, or a holder of registry.write (else 403); day 0 is
 * today, else within the last 30 days. Moves the next check due. */
enum fq_err fq_registry_check(struct fq_ctx *c, int64_t id, int64_t day, const char *result,
			      const char *note, int64_t now, int64_t *check_id);
json_t *fq_registry_check_get(struct fq_ctx *c, int64_t id, int64_t check_id);

/* The labels of the items ids (each in the caller's scope) as an A4 PDF,
 * eight to a page, each with the QR code of base + "/#/registry/<id>" (base
 * may be ""), the name, the code, the unit and the responsible person
 * (domain/registry_pdf.c); *filename in the arena. */
enum fq_err fq_registry_labels_pdf(struct fq_ctx *c, const int64_t *ids, size_t n,
				   const char *base, struct fq_buf *out, const char **filename);

/* The work provider (domain/registry_work.c): the checks due within
 * FQ_REGISTRY_DUE_AHEAD_MS or past of the items the caller is responsible
 * for. */
enum fq_err fq_registry_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

/* What the module declares (api/module.h). */
extern const struct fq_attach_owner fq_registry_attach[];
extern const struct fq_search_source fq_registry_search[];

#endif
