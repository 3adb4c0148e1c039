/* Tips (线索, DOMAIN §8, issue 12): what volunteers report signed in and
 * residents through the public page (anonymous allowed), the officer's
 * triage (an incident made or linked with channel volunteer_tip, a dispute
 * linked, or dismissed with a reason), the outcome recorded later, the
 * reporter's view by tracking code, and the figures (tips → arrests, tips →
 * disputes resolved). docs/internals.md "Tips". */
#ifndef FQ_TIP_H
#define FQ_TIP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "search/source.h" /* fq_tip_search */
#include "domain/attachment.h" /* an array of owners is declared below */

struct fq_ctx;
struct fq_work_list;
typedef struct json_t json_t;

extern const char *const fq_tip_sources[];   /* volunteer resident anonymous */
extern const char *const fq_tip_statuses[];  /* new incident dispute dismissed */
extern const char *const fq_tip_outcomes[];  /* valid not_valid */
extern const char *const fq_tip_actions[];   /* incident_new incident_link dispute_link dismiss */
/* What the public status page says: received, accepted, not_taken, concluded. */
extern const char *const fq_tip_public_statuses[];

#define FQ_TIP_TEXT_MAX 2000
#define FQ_TIP_TEXT_MIN 5
#define FQ_TIP_PLACE_MAX 200
#define FQ_TIP_NAME_MAX 50
#define FQ_TIP_REASON_MAX 1000
#define FQ_TIP_NOTE_MAX 2000
#define FQ_TIP_MAX_ARRESTS 1000
/* The figures' period, in days at most. */
#define FQ_TIP_MAX_PERIOD 731

/* Tips take photos (domain/attachment.h): who may read the tip may see
 * them; its reporter and the officers of its unit may add. Ends with {NULL}. */
extern const struct fq_attach_owner fq_tip_attach[];
/* What the full-text index holds of tips (type 'tip'). */
extern const struct fq_search_source fq_tip_search[];

struct fq_tip_input {
	const char *text;           /* required, FQ_TIP_TEXT_MIN..FQ_TIP_TEXT_MAX characters */
	const char *place_text;     /* NULL: none */
	int64_t address_id;         /* 0: none (signed in only: an address the caller sees) */
	bool has_coords;
	double lat, lng;
	/* The public page only: */
	const char *reporter_name;  /* NULL: not given */
	const char *reporter_phone; /* NULL: not given; sealed and masked */
	const char *station;        /* a station's code; NULL: the only station */
};

/* A signed-in caller reports (source volunteer): the tip belongs to the
 * address's grid, else to the caller's unit, and to that unit's station. */
enum fq_err fq_tip_report(struct fq_ctx *c, const struct fq_tip_input *in, int64_t *id);

struct fq_tip_public_answer {
	int64_t id;            /* for the audit entry */
	char code[16];         /* the tracking code to show the reporter */
	char photo_token[64];  /* lets the page add photos to this tip, for a while */
	int64_t retry_after;   /* seconds, with FQ_ERR_LIMIT */
};

/* The public page's photos: this long after the report, at most this many,
 * each a JPEG or PNG of at most this many bytes. */
#define FQ_TIP_PHOTO_MINUTES 30
#define FQ_TIP_PUBLIC_PHOTOS 3
#define FQ_TIP_PUBLIC_PHOTO_BYTES (8 * 1024 * 1024)
/* The public page reports (source resident with a name or phone, else
 * anonymous). Counts the try first per client address
 * (tip_reports_per_address an hour): over it, FQ_ERR_LIMIT "rate_limited"
 * with a->retry_after. The count is written even when it fails: the caller
 * commits it. c->who is NULL-safe: nobody is signed in. */
enum fq_err fq_tip_report_public(struct fq_ctx *c, const struct fq_tip_input *in,
				 const char *client_addr, struct fq_tip_public_answer *a);

/* A photo from the public page for the tip its answer's photo_token names
 * (bound to that tip: FQ_TIP_PHOTO_MINUTES after it, at most
 * FQ_TIP_PUBLIC_PHOTOS). Counted first against the address's
 * tip_reports_per_address, as a report is (FQ_ERR_LIMIT, a->retry_after).
 * A token unknown, spent or out of time: FQ_ERR_NOT_FOUND. Larger than
 * FQ_TIP_PUBLIC_PHOTO_BYTES: FQ_ERR_TOO_LARGE; not a JPEG or PNG:
 * FQ_ERR_MEDIA (both on "file"); then the attachments' own checks.
 * *out the attachment; a->id the tip. */
enum fq_err fq_tip_public_photo(struct fq_ctx *c, const char *token, const char *client_addr,
				const char *name, const void *data, size_t len,
				struct fq_tip_public_answer *a, json_t **out);

/* The status by tracking code for the public page: {status, reported_on}
 * (one of fq_tip_public_statuses; no names, no triage details). Rate-limited
 * per address (tip_lookups_per_address an hour); an unknown code is
 * FQ_ERR_NOT_FOUND. *tip_id for the audit entry. */
json_t *fq_tip_lookup(struct fq_ctx *c, const char *code, const char *client_addr,
		      int64_t *retry_after, int64_t *tip_id);

/* The tip: in scope with tip.read (the staff's view, the phone masked), or
 * the caller's own (the reporter's view: status and outcome only). */
json_t *fq_tip_get(struct fq_ctx *c, int64_t id);

struct fq_tip_filter {
	const char *status, *source;
	int64_t org_id;          /* 0: the caller's scope; else that unit's (in scope) */
	int64_t from_day, to_day; /* YYYYMMDD, both included; 0: any time */
	int64_t page, per_page, after;
};
/* The staff list (tip.read, scope), newest first, up to per_page + 1. */
json_t *fq_tip_list(struct fq_ctx *c, const struct fq_tip_filter *f);
/* The caller's own tips, newest first, up to per_page + 1. */
json_t *fq_tip_mine(struct fq_ctx *c, int64_t page, int64_t per_page, int64_t after);

struct fq_tip_triage {
	const char *action;      /* one of fq_tip_actions */
	int64_t incident_id;     /* incident_link */
	int64_t dispute_id;      /* dispute_link */
	const char *category;    /* incident_new: the incident's category and subcategory */
	const char *subcategory;
	const char *reason;      /* dismiss: required */
};
/* Triage of a new tip in the caller's scope (tip.triage). incident_new makes
 * an incident (channel volunteer_tip) from the tip's text and place;
 * *made_id its id (0 otherwise). A triaged tip is 409 "triaged". */
enum fq_err fq_tip_triage(struct fq_ctx *c, int64_t id, const struct fq_tip_triage *t,
			  int64_t *made_id);

struct fq_tip_outcome_input {
	const char *outcome;     /* valid not_valid */
	int64_t arrests;         /* ≥ 0; only for a valid tip */
	bool dispute_resolved;
	bool hazard_removed;
	const char *note;
};
/* The outcome of a triaged tip (tip.triage, scope); may be recorded again. */
enum fq_err fq_tip_outcome(struct fq_ctx *c, int64_t id, const struct fq_tip_outcome_input *o);

/* The reporter's phone in the clear (tip.read, scope): {reporter_phone}. */
json_t *fq_tip_unmask(struct fq_ctx *c, int64_t id);

/* The figures of the local days [from_day, to_day] in the caller's scope (or
 * unit org_id's): totals, by source, by month, by unit; tips → arrests,
 * tips → disputes resolved, the valid rate. */
json_t *fq_tip_figures(struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t org_id);

/* The cards of the station overview (domain/overview.h): tips reported,
 * tips → arrests, → disputes resolved, the valid rate, to triage. */
struct fq_overview_provider;
extern const struct fq_overview_provider fq_tip_overview;

/* The work provider: untriaged tips of the caller's scope (tip.triage). */
enum fq_err fq_tip_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list);

#endif
