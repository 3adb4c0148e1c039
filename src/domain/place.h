/* Places and inspections (单位场所 and 检查, DOMAIN §2 and §8, issue 12): a
 * place at a standard address (its grid and data scope follow the address),
 * its owner with a phone masked like a person's, the responsible officer,
 * licences, the inspection interval; the station's checklist per place kind;
 * inspections with answers, hazards, a result and a rectification deadline,
 * and the re-inspection that closes it. No HTTP, no SQL. */
#ifndef FQ_PLACE_H
#define FQ_PLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/attachment.h" /* arrays of these are declared below */
#include "domain/overview.h"
#include "search/source.h"

struct fq_ctx;
struct fq_buf;
struct fq_work_list;
typedef struct json_t json_t;

/* Choices, NULL-terminated; the API reads fields from them. */
extern const char *const fq_place_kinds[];     /* shop, enterprise, hazardous_enterprise … */
extern const char *const fq_place_statuses[];  /* ok, due, overdue, rectify_pending, rectify_overdue */
extern const char *const fq_place_answers[];   /* pass, fail, na */
extern const char *const fq_place_levels[];    /* a hazard's: minor, major, severe */
extern const char *const fq_place_results[];   /* passed, rectify, escalated */
extern const char *const fq_place_rectifications[]; /* done, not_done */

/* Limits of the lists a request may give. */
#define FQ_PLACE_MAX_LICENCES 10
#define FQ_PLACE_MAX_INSPECTORS 10
#define FQ_PLACE_MAX_ANSWERS 40
#define FQ_PLACE_MAX_HAZARDS 20
#define FQ_PLACE_MAX_CHECKLIST 30
/* A hazardous enterprise is inspected monthly unless its interval is set. */
#define FQ_PLACE_HAZARDOUS_DAYS 30

struct fq_place_licence {
	const char *name, *number;
	int64_t valid_until; /* YYYYMMDD, 0: none */
};

/* A new place, or a change (NULL / 0 / has_* false: unchanged). */
struct fq_place_input {
	const char *kind, *name, *owner_name, *owner_phone; /* "" clears owner fields */
	int64_t address_id;
	int64_t officer_id;    /* -1: none (update) */
	bool has_interval;
	int64_t interval_days; /* 0: none */
	bool has_licences;
	const struct fq_place_licence *licences;
	size_t nlicences;
};

enum fq_err fq_place_create(struct fq_ctx *c, const struct fq_place_input *in, int64_t *id);
enum fq_err fq_place_update(struct fq_ctx *c, int64_t id, const struct fq_place_input *in);
/* One place with its inspections (newest first) and the checklist of its
 * kind; the owner's phone masked. NULL (FQ_ERR_NOT_FOUND) out of scope. */
json_t *fq_place_get(struct fq_ctx *c, int64_t id);
/* {"owner_phone"}: the clear phone, for the caller's audited unmask. */
json_t *fq_place_unmask(struct fq_ctx *c, int64_t id);

struct fq_place_filter;
/* The caller's places (scope), newest first (store/place_store.h filter). */
json_t *fq_place_list(struct fq_ctx *c, struct fq_place_filter *f, int64_t page,
		      int64_t per_page, int64_t after);

/* {"items": [{id, display_name, role}]}: who may inspect and be responsible
 * at the caller's station (chiefs, officers, aux). */
json_t *fq_place_staff(struct fq_ctx *c);

/* {"items": [{id, kind, position, text}], "suggested": {kind: [text …]}}:
 * the caller's station's checklists (of one kind when kind is set) and the
 * suggested defaults of each kind. */
json_t *fq_place_checklists(struct fq_ctx *c, const char *kind);
/* Replaces a kind's checklist (chief, officer). */
enum fq_err fq_place_checklist_set(struct fq_ctx *c, const char *kind, const char *const *texts,
				   size_t n);
/* The suggested checklist of a kind (NULL-terminated), as the demo seeds it. */
const char *const *fq_place_checklist_default(const char *kind);

struct fq_place_answer {
	int64_t item_id;
	const char *answer, *note;
};
struct fq_place_hazard {
	const char *description, *level;
};
struct fq_place_inspection_input {
	int64_t inspected_on;         /* YYYYMMDD; 0: today */
	const int64_t *inspectors;
	size_t ninspectors;
	const struct fq_place_answer *answers;
	size_t nanswers;
	const char *findings;
	const struct fq_place_hazard *hazards;
	size_t nhazards;
	const char *result;
	int64_t rectify_due_on;       /* YYYYMMDD; 0: none */
	const char *rectification;    /* on a re-inspection: done, not_done */
};
/* Records an inspection at now (tests pass their own): checks every field
 * (named), updates the place's schedule and pending rectification. */
enum fq_err fq_place_inspect(struct fq_ctx *c, int64_t place_id,
			     const struct fq_place_inspection_input *in, int64_t now,
			     int64_t *inspection_id);
json_t *fq_place_inspection_get(struct fq_ctx *c, int64_t place_id, int64_t inspection_id);

/* 责令限期整改通知书 of an inspection whose result is rectify
 * (domain/place_pdf.c); *filename in the arena. */
enum fq_err fq_place_notice_pdf(struct fq_ctx *c, int64_t place_id, int64_t inspection_id,
				struct fq_buf *out, const char **filename);

/* The work provider (domain/place_work.c): inspections due and
 * rectifications pending of the places the caller is responsible for. */
enum fq_err fq_place_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);
/* The sweep (domain/place_work.c): the responsible officer is told once
 * (rectify_overdue) of a rectification whose deadline passed in the last
 * FQ_PLACE_LAPSED_WINDOW_MS — older ones were told when they lapsed, or
 * before this server ran, and wait in the work queue all the same. */
enum fq_err fq_place_sweep(struct fq_ctx *c, int64_t now, int *made);
#define FQ_PLACE_LAPSED_WINDOW_MS (7 * 24 * 3600 * 1000LL)

/* What the module declares (api/module.h). */
extern const struct fq_attach_owner fq_place_attach[];
extern const struct fq_search_source fq_place_search[];
extern const struct fq_overview_provider fq_place_overview;

#endif
