/* SQL for incidents (警情): intake, lifecycle, responders, parties, repeats,
 * on-site records, follow-ups, carry-overs, and the disputes they become. */
#ifndef FQ_INCIDENT_STORE_H
#define FQ_INCIDENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* The station a unit belongs to: itself or its nearest ancestor of kind
 * station. FQ_ERR_NOT_FOUND when the unit is above or outside stations. */
struct fq_station {
	int64_t id;
	char path[256];
	char prefix[64]; /* number prefix, or the station's code */
};
enum fq_err fq_store_station_of(struct fq_db *db, const char *org_path, struct fq_station *out);
/* The area type of a unit: its own or its nearest ancestor's ("" if none). */
enum fq_err fq_store_area_type_of(struct fq_db *db, const char *org_path, char out[16]);
/* Takes the next number of a kind of record for a station and year (1, 2 …);
 * the row lock keeps numbers gapless and unique across processes. */
enum fq_err fq_store_next_number(struct fq_db *db, int64_t station_id, const char *kind,
				 int64_t year, int64_t *no);

struct fq_incident_fields {
	const char *number;
	int64_t station_id;
	int64_t org_id;
	const char *org_path;
	int64_t received_at;
	int64_t day;  /* YYYYMMDD, local */
	int64_t hour; /* 0–23, local */
	const char *channel;
	int64_t caller_id; /* 0 = none */
	const char *caller_name;
	const void *caller_phone_enc;
	size_t caller_phone_enc_len;
	const char *caller_phone_mask;
	const char *caller_phone_hash;
	int64_t address_id; /* 0 = none */
	const char *address_text;
	const char *area_type;
	const char *category;
	const char *subcategory;
	int64_t is_case;
	int64_t emergency;
	const char *narrative;
	int64_t created_by;
};
enum fq_err fq_store_incident_insert(struct fq_db *db, const struct fq_incident_fields *f,
				     int64_t *id);
/* Gives the incident inserted with a placeholder number its number. */
enum fq_err fq_store_incident_set_number(struct fq_db *db, int64_t id, const char *number);
/* Changes what intake recorded (category … narrative, address). */
enum fq_err fq_store_incident_edit(struct fq_db *db, int64_t id, const struct fq_incident_fields *f);

/* What the rules look at. */
struct fq_incident_row {
	int64_t id;
	char status[16];
	char org_path[256];
	char number[64];
	int64_t station_id;
	int64_t is_case;
	int64_t address_id;
	int64_t caller_id;
	int64_t day;
	int64_t dispatched_at;
	int64_t arrived_at;
	int64_t target_minutes; /* -1 = no target */
	int64_t dispute_id;
	int64_t carried_over_to;
	char area_type[16];
};
enum fq_err fq_store_incident_row(struct fq_db *db, int64_t id, struct fq_incident_row *out);
/* The incident's own fields as JSON (FQ_ERR_NOT_FOUND). */
json_t *fq_store_incident_json(struct fq_db *db, int64_t id, enum fq_err *err);

/* Moves to status and stamps column (one of dispatched_at, arrived_at,
 * handling_at, reviewed_at, or NULL) with now, unless already stamped. */
enum fq_err fq_store_incident_status(struct fq_db *db, int64_t id, const char *status,
				     const char *column, int64_t now);
enum fq_err fq_store_incident_dispatched(struct fq_db *db, int64_t id, int64_t now,
					 int64_t target_minutes);
enum fq_err fq_store_incident_arrived(struct fq_db *db, int64_t id, int64_t now, int64_t late);
struct fq_close_fields {
	const char *disposal;
	const char *disposal_note;
	const char *case_ref;
	const char *no_case_reason;
	int64_t closed_by;
	int64_t co_closer_id; /* 0 = none */
};
enum fq_err fq_store_incident_close(struct fq_db *db, int64_t id, const struct fq_close_fields *f,
				    int64_t now);
enum fq_err fq_store_incident_touch(struct fq_db *db, int64_t id, int64_t now);
/* One step: code and params (a JSON object, not stolen; NULL = {}) are what
 * the server says about it (fq_incident_step_codes), note what a person
 * typed (NULL = none). */
enum fq_err fq_store_incident_step(struct fq_db *db, int64_t id, const char *action,
				   const char *status, int64_t user_id, const char *user_name,
				   const char *code, const json_t *params, const char *note,
				   int64_t now);
json_t *fq_store_incident_steps(struct fq_db *db, int64_t id, enum fq_err *err);

/* Responders. */
enum fq_err fq_store_responder_add(struct fq_db *db, int64_t id, int64_t user_id, int64_t by,
				   int64_t now);
/* *changed = 1 when user_id was a responder not yet arrived. */
enum fq_err fq_store_responder_arrive(struct fq_db *db, int64_t id, int64_t user_id, int64_t now,
				      int64_t *changed);
enum fq_err fq_store_responders_release(struct fq_db *db, int64_t id, int64_t now);
/* 1 when user_id is a responder of the incident, 0 if not, or -FQ_ERR_*. */
int fq_store_responder_is(struct fq_db *db, int64_t id, int64_t user_id);
json_t *fq_store_responders(struct fq_db *db, int64_t id, enum fq_err *err);
/* The open incident a user is dispatched to, or 0. */
enum fq_err fq_store_responder_busy(struct fq_db *db, int64_t user_id, int64_t *incident_id);

/* Parties. */
enum fq_err fq_store_party_add(struct fq_db *db, int64_t id, int64_t person_id, const char *role);
json_t *fq_store_parties(struct fq_db *db, int64_t id, enum fq_err *err);

/* Repeats of a new incident (one without links yet): earlier incidents since
 * `since` at the address, by the caller (person or phone hash) or with one of
 * the incident's parties; links them and sets repeat_count (*count). */
enum fq_err fq_store_incident_link_repeats(struct fq_db *db, int64_t id, int64_t since,
					   int64_t *count);
json_t *fq_store_incident_repeats(struct fq_db *db, int64_t id, enum fq_err *err);

/* On-site closure record. */
struct fq_signature {
	const char *role;
	int64_t seq;
	const char *name;
	int64_t signed_at;
	const void *image;
	size_t image_len;
	const char *image_sha256;
	int64_t attachment_id; /* where the image is kept; 0: in the row (before 013) */
};
enum fq_err fq_store_onsite_insert(struct fq_db *db, int64_t id, const char *facts,
				   const char *disposal, const char *seal, int64_t by, int64_t now,
				   const struct fq_signature *sigs, int nsigs);
/* The record without images, with signatures[] (FQ_ERR_NOT_FOUND). */
json_t *fq_store_onsite_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* The record's time in milliseconds, as its seal covers it
 * (FQ_ERR_NOT_FOUND). */
enum fq_err fq_store_onsite_created_at(struct fq_db *db, int64_t id, int64_t *at);
/* Calls fn for each signature with its image, in (role, seq) order. */
enum fq_err fq_store_onsite_signatures(struct fq_db *db, int64_t id,
				       enum fq_err (*fn)(void *arg, const struct fq_signature *s),
				       void *arg);

enum fq_err fq_store_followup_insert(struct fq_db *db, int64_t id, int64_t user_id, int64_t reached,
				     const char *satisfaction, const char *note, int64_t now);
json_t *fq_store_followups(struct fq_db *db, int64_t id, enum fq_err *err);

enum fq_err fq_store_carryover_insert(struct fq_db *db, int64_t id, int64_t from_day,
				      int64_t to_day, const char *reason, int64_t user_id,
				      int64_t now);

/* Links the incident to the dispute it became (domain/dispute.c made it). */
enum fq_err fq_store_incident_link_dispute(struct fq_db *db, int64_t id, int64_t dispute_id,
					   int64_t now);

/* The SQL test of an open incident (not closed or reviewed), written as the
 * partial indexes of migration 009 are: a query that words it otherwise finds
 * none of them. alias is the table's with its dot ("i.") or "". */
#define FQ_INCIDENT_OPEN_SQL(alias) alias "status NOT IN ('closed', 'reviewed')"

/* Overdue: dispatched, nobody on scene yet, and the arrival target has passed
 * at now (a parameter: "?3"), in whole seconds as fq_incident_arrival counts
 * (floor(now/1000) - floor(dispatched_at/1000) > target × 60). The board's flag; with the stored arrival_late
 * (fq_incident_arrive) the late arrivals of the overview and its list. */
#define FQ_INCIDENT_OVERDUE_SQL(alias, now)                                               \
	"(" alias "arrived_at IS NULL AND " alias "dispatched_at IS NOT NULL AND " alias   \
	"target_minutes IS NOT NULL AND " now " - (" alias "dispatched_at - " alias        \
	"dispatched_at % 1000) >= (" alias "target_minutes * 60 + 1) * 1000)"
/* A late arrival: on scene after the target, or still open and overdue. */
#define FQ_INCIDENT_LATE_SQL(alias, now)                                                  \
	"(" alias "arrival_late = 1 OR (" FQ_INCIDENT_OPEN_SQL(alias) " AND "              \
	FQ_INCIDENT_OVERDUE_SQL(alias, now) "))"

/* Lists in scope [lo, hi), newest first; status may be NULL, "open" (not
 * closed or reviewed) or one status; day 0 = any; below > 0: only ids below
 * it (the keyset cursor: the last id of the page before), then offset rows
 * skipped. Each page is one index walk from its start (docs/internals.md).
 * The incidents user_id is dispatched to are listed whatever their unit. */
json_t *fq_store_incident_list(struct fq_db *db, const char *lo, const char *hi, int64_t user_id,
			       const char *status, int64_t day, int64_t below, int64_t limit,
			       int64_t offset, enum fq_err *err);

/* The list behind a figure of the overview: the incidents received on the
 * local days [from, to], with the figure's filter. */
struct fq_incident_period {
	int64_t from, to;          /* YYYYMMDD, both included */
	const char *status;        /* NULL, "open" or one status */
	bool late;                 /* FQ_INCIDENT_LATE_SQL at now */
	bool closed;               /* closed with a disposal */
	bool followed_up;          /* a follow-up call gave a satisfaction */
	bool repeat;               /* linked to earlier incidents */
	int64_t hour;              /* local hour 0–23; -1 any */
	int64_t org_id;            /* the incident's unit; 0 any */
	const char *disposal;      /* NULL any */
	const char *satisfaction;  /* a follow-up gave it; NULL any */
	int64_t now;
};
/* Newest day first, then newest first: one walk of incidents_day (day, id)
 * backwards over the period, the filters tested on the rows it meets, so a
 * page costs at most the period's incidents. below > 0: after the row below
 * (the cursor), FQ_ERR_NOT_FOUND when there is no such incident. */
json_t *fq_store_incident_list_period(struct fq_db *db, const char *lo, const char *hi,
				      const struct fq_incident_period *p, int64_t below,
				      int64_t limit, int64_t offset, enum fq_err *err);
/* Full-text search (store/incident_search_store.c): the incidents with
 * from <= id <= to as the index holds them (search/source.h docs()), and
 * the ids of incidents in scope [lo, hi) whose caller phone has the keyed
 * hash phone_hash, newest first, as [{"id": …}]. */
struct fq_search_doc;
enum fq_err fq_store_incident_search_docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					  enum fq_err (*fn)(void *arg, const struct fq_search_doc *doc),
					  void *arg);
json_t *fq_store_incident_ids_by_phone(struct fq_db *db, const char *phone_hash, const char *lo,
				       const char *hi, int64_t limit, enum fq_err *err);
/* The listed fields of the given ids, in that order (search results). */
json_t *fq_store_incident_list_ids(struct fq_db *db, json_t *ids, enum fq_err *err);
/* One open incident as the board shows it; the texts are valid during the
 * call only. Times in ms, 0 = not yet; target_minutes -1 = none fixed yet. */
struct fq_board_row {
	int64_t id;
	const char *number, *status, *category, *subcategory, *address_text, *area_type;
	const char *narrative;
	bool emergency;
	int64_t received_at, target_minutes, dispatched_at, arrived_at, repeat_count, updated_at;
};
/* Calls fn for the open incidents in scope [lo, hi), emergency first then
 * oldest, at most limit; then for the open ones out of scope that user_id
 * (0: none) is dispatched to and not released from, at most limit more.
 * Stops at fn's first error and returns it. */
enum fq_err fq_store_incident_board(struct fq_db *db, const char *lo, const char *hi,
				    int64_t user_id, int64_t limit,
				    enum fq_err (*fn)(void *arg, const struct fq_board_row *row),
				    void *arg);
/* Incidents of day (received that day or carried over to it) not disposed. */
json_t *fq_store_incident_daily(struct fq_db *db, const char *lo, const char *hi, int64_t day,
				enum fq_err *err);
/* The live board's version for scope [lo, hi) and station_id (0: none): a
 * short text that changes whenever an open incident in the scope changes,
 * one is opened or closed there, or a shift of the station changes, begins
 * or ends; and for nothing outside them. */
enum fq_err fq_store_incident_version(struct fq_db *db, const char *lo, const char *hi,
				      int64_t station_id, int64_t now, char *out, size_t size);
/* Counts the open incidents of each org path into board_versions again (the
 * version's counters, derived data: import, store/dump.c). */
enum fq_err fq_store_board_versions_rebuild(struct fq_db *db);

#endif
