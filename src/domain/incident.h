/* Incidents (警情, DOMAIN §6): intake, the lifecycle received → dispatched →
 * on_scene → handling → closed → reviewed, dispatch to staff on duty, the
 * disposal rules, the sealed on-site closure record, repeats, follow-up,
 * conversion to a dispute and the daily clear. Every step is kept with its
 * time and actor in incident_steps. */
#ifndef FQ_INCIDENT_H
#define FQ_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/attachment.h" /* an array of owners is declared below */
#include "search/source.h" /* an array of them is declared below */


struct fq_buf;
struct fq_ctx;
typedef struct json_t json_t;

extern const char *const fq_incident_channels[];
extern const char *const fq_incident_categories[];
extern const char *const fq_incident_statuses[];
extern const char *const fq_incident_disposals[];
extern const char *const fq_incident_satisfaction[];
extern const char *const fq_incident_party_roles[];
/* What full-text search finds of incidents (domain/incident_search.c). */
extern const struct fq_search_source fq_incident_search[]; /* ends with {NULL} */
extern const char *const fq_signature_roles[];
/* The codes of what the server says about a step, each with its parameters
 * (docs/api.md, "Texts as codes"); the browser words them. */
extern const char *const fq_incident_step_codes[];

struct fq_incident_party {
	int64_t person_id;
	const char *role;
};

struct fq_incident_input {
	const char *channel;
	int64_t caller_id;        /* 0 = none */
	const char *caller_name;  /* an unknown caller */
	const char *caller_phone;
	int64_t address_id;       /* 0 = none; -1 = remove (edit) */
	const char *address_text; /* a place described, when no standard address */
	int64_t org_id;           /* the unit when there is no address (0: the caller's) */
	const char *category;
	const char *subcategory;
	int emergency;            /* 0, 1, or -1 = unchanged (edit) */
	const char *narrative;
	int64_t received_at;      /* 0 = now */
	const struct fq_incident_party *parties;
	int nparties;
};

struct fq_incident_close {
	const char *disposal;
	const char *disposal_note;
	const char *case_ref;
	const char *no_case_reason;
	int64_t co_closer_id; /* the officer closing together with an aux */
};

struct fq_onsite_signature {
	const char *role;      /* party, officer, witness */
	const char *name;
	/* The drawn signature: an attachment of the incident of kind
	 * "signature" (POST /api/attachments), or, as before attachments,
	 * image_url "data:image/png;base64,…" (stored as such an attachment). */
	const char *image_url;
	int64_t attachment_id; /* 0: image_url */
};

/* Incidents take attachments (domain/attachment.h): who may see an incident
 * may see its files, and downloads are audited. Ends with {NULL}. */
extern const struct fq_attach_owner fq_incident_attach[];

/* The codes of the dictionaries and the arrival targets. */
json_t *fq_incident_dictionary(struct fq_ctx *c);

enum fq_err fq_incident_create(struct fq_ctx *c, const struct fq_incident_input *in, int64_t *id);
/* Fields left NULL keep their value; refused once closed. */
enum fq_err fq_incident_edit(struct fq_ctx *c, int64_t id, const struct fq_incident_input *in);
/* The whole incident: steps, responders, parties, repeats, record, follow-ups,
 * and the actions the caller may take now. */
json_t *fq_incident_get(struct fq_ctx *c, int64_t id);
/* The same for an incident fq_incident_create made in this transaction (the
 * answer to the intake), without the queries of what it cannot have yet. */
json_t *fq_incident_get_created(struct fq_ctx *c, int64_t id);
/* status: NULL, "open" or a status; day: 0 or YYYYMMDD; q: full text or NULL.
 * after > 0: the page after the incident of that id (the keyset cursor; page
 * is not used then); refused with q (a search is paged by page). Up to
 * per_page + 1 rows, newest first. */
json_t *fq_incident_list(struct fq_ctx *c, const char *status, int64_t day, const char *q,
			 int64_t page, int64_t per_page, int64_t after);
/* The incidents of the local days [p->from, p->to] in scope with a figure's
 * filter (the list behind a figure of the overview), newest day first; to
 * before from, or more than FQ_INCIDENT_MAX_PERIOD days, is 422 on "to". */
#define FQ_INCIDENT_MAX_PERIOD 366
struct fq_incident_period;
json_t *fq_incident_list_period(struct fq_ctx *c, struct fq_incident_period *p, int64_t page,
				int64_t per_page, int64_t after);

enum fq_err fq_incident_dispatch(struct fq_ctx *c, int64_t id, const int64_t *user_ids, int n,
				 const char *note);
/* user_id 0 = the caller. */
enum fq_err fq_incident_arrive(struct fq_ctx *c, int64_t id, int64_t user_id);
enum fq_err fq_incident_handle(struct fq_ctx *c, int64_t id, const char *note);
enum fq_err fq_incident_close(struct fq_ctx *c, int64_t id, const struct fq_incident_close *in);
enum fq_err fq_incident_followup(struct fq_ctx *c, int64_t id, bool reached,
				 const char *satisfaction, const char *note);
enum fq_err fq_incident_add_party(struct fq_ctx *c, int64_t id, int64_t person_id,
				  const char *role);
enum fq_err fq_incident_onsite(struct fq_ctx *c, int64_t id, const char *facts,
			       const char *disposal, const struct fq_onsite_signature *sigs, int n);
/* The record with the signature images as data URLs and seal_ok. */
json_t *fq_incident_onsite_get(struct fq_ctx *c, int64_t id);
/* The sealed record as a PDF in the layout of the paper form (domain/
 * incident_pdf.c, document/pdf.h), appended to out, whose maximum bounds it;
 * *filename ("现场记录-<number>.pdf", arena) on success. The same access as
 * fq_incident_onsite_get; FQ_ERR_UNAVAILABLE when the fonts are missing. */
enum fq_err fq_incident_onsite_pdf(struct fq_ctx *c, int64_t id, struct fq_buf *out,
				   const char **filename);
enum fq_err fq_incident_convert(struct fq_ctx *c, int64_t id, int64_t *dispute_id,
				const char **number);
enum fq_err fq_incident_carry_over(struct fq_ctx *c, int64_t id, const char *reason);
/* day 0 = today (local). */
json_t *fq_incident_daily_clear(struct fq_ctx *c, int64_t day);
/* The live board as JSON text appended to out (docs/api.md): its version,
 * the server's time, the open incidents in the caller's scope and those out
 * of it the caller is dispatched to, by urgency (waiting for dispatch, then
 * overdue, then the rest; emergencies first, then the oldest), each with
 * only what the board shows, and the staff on duty. When version is given
 * and nothing changed since, *changed is false and out holds only the
 * version and the time (the caller may wait and ask again). When watch is
 * not NULL it receives the org path whose changes the version follows. */
enum fq_err fq_incident_board(struct fq_ctx *c, const char *version, bool *changed, char *watch,
			      size_t watch_size, struct fq_buf *out);

/* Where an incident, or one responder, stands against the arrival target:
 * the one rule the board, the lists and the detail show (the browser only
 * words it). target_minutes <= 0: none (as fast as possible); times in ms,
 * 0 = not yet. Counted in whole seconds, the times as the API writes them:
 * late when more than the target passed from dispatch to arrival (overdue:
 * to now, nobody there yet). */
enum fq_arrival_state {
	FQ_ARRIVAL_NONE,     /* no target, nobody there yet */
	FQ_ARRIVAL_WAITING,  /* not dispatched: the clock starts at dispatch */
	FQ_ARRIVAL_COUNTING, /* dispatched, in time so far */
	FQ_ARRIVAL_OVERDUE,  /* dispatched, the target passed, nobody there */
	FQ_ARRIVAL_ON_TIME,  /* arrived within the target */
	FQ_ARRIVAL_LATE,     /* arrived after it */
	FQ_ARRIVAL_ARRIVED,  /* arrived, no target */
};
extern const char *const fq_arrival_states[]; /* the API's names, by state */
struct fq_arrival {
	enum fq_arrival_state state;
	int64_t target_minutes; /* 0 = none */
	int64_t due_at;         /* ms: dispatch + target; 0 when not dispatched or no target */
	int64_t took_seconds;   /* dispatch to arrival; -1 until arrived */
};
void fq_incident_arrival(int64_t target_minutes, int64_t dispatched_at, int64_t arrived_at,
			 int64_t now, struct fq_arrival *out);

/* Local calendar day (YYYYMMDD) and hour of a time, by utc_offset_minutes. */
int64_t fq_local_day(const struct fq_ctx *c, int64_t ms, int *hour, int *year);

#endif
