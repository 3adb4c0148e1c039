/* Tips (线索): the SQL only (migration 027). The rules are in domain/tip.c. */
#ifndef FQ_TIP_STORE_H
#define FQ_TIP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_store_tip_new {
	int64_t station_id;
	int64_t org_id;
	const char *org_path;
	const char *text;
	const char *place_text;
	int64_t address_id;   /* 0: none */
	bool has_coords;
	double lat, lng;
	const char *source;
	int64_t reporter_id;  /* 0: not signed in */
	const char *reporter_name;
	const unsigned char *phone_enc;
	size_t phone_enc_len;
	const char *phone_mask;
	const char *tracking_code;
	const char *photo_token_hash; /* the public page: its photos' token; NULL: none */
	int64_t photo_until;
	int64_t now;
};

enum fq_err fq_store_tip_insert(struct fq_db *db, const struct fq_store_tip_new *n, int64_t *id);
/* 1 when a tip has the code, 0 when not, -FQ_ERR_* on an error. */
int fq_store_tip_code_taken(struct fq_db *db, const char *code);

/* What the rules need of one tip. */
struct fq_store_tip_row {
	int64_t id;
	int64_t station_id;
	int64_t reporter_id;
	char org_path[256];
	char status[16];
	char tracking_code[16];
	bool has_outcome;
};
/* FQ_ERR_NOT_FOUND when there is no such tip. */
enum fq_err fq_store_tip_row(struct fq_db *db, int64_t id, struct fq_store_tip_row *out);
/* The tip by its tracking code; FQ_ERR_NOT_FOUND when none. */
enum fq_err fq_store_tip_by_code(struct fq_db *db, const char *code, struct fq_store_tip_row *out);

/* The tip whose public photo token hashes to hash, still open at now and
 * with fewer than max photos: its id; FQ_ERR_NOT_FOUND otherwise. */
enum fq_err fq_store_tip_photo_slot(struct fq_db *db, const char *hash, int64_t now, int64_t max,
				    int64_t *id);
/* Counts one photo of the public page on tip id. */
enum fq_err fq_store_tip_photo_taken(struct fq_db *db, int64_t id);

/* The whole tip as the staff read it (the phone masked; no sealed bytes). */
json_t *fq_store_tip_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* What its reporter reads of it: status and outcome, no triage details, no
 * names of others. */
json_t *fq_store_tip_own_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* The sealed phone of a tip (*len 0 when none), in a new buffer (free()). */
enum fq_err fq_store_tip_phone(struct fq_db *db, int64_t id, void **sealed, size_t *len);

struct fq_store_tip_filter {
	const char *lo, *hi;   /* the scope, [lo, hi) of org paths */
	int64_t reporter_id;   /* > 0: only this reporter's (the scope is then not used) */
	const char *status;    /* NULL: any */
	const char *source;    /* NULL: any */
	int64_t from_ms, to_ms; /* 0, 0: any time; else [from, to) of created_at */
	int64_t after;         /* keyset: ids below this one (0: from the newest) */
	int64_t limit;
	int64_t offset;
};
/* Newest first, up to f->limit rows, as the staff list shows them (own:
 * as fq_store_tip_own_json). */
json_t *fq_store_tip_list(struct fq_db *db, const struct fq_store_tip_filter *f, bool own,
			  enum fq_err *err);

enum fq_err fq_store_tip_triage(struct fq_db *db, int64_t id, const char *status,
				int64_t incident_id, int64_t dispute_id, const char *reason,
				int64_t by, int64_t now);

struct fq_store_tip_outcome {
	const char *outcome; /* valid not_valid */
	int64_t arrests;
	bool dispute_resolved;
	bool hazard_removed;
	const char *note;
	int64_t by, now;
};
enum fq_err fq_store_tip_outcome_set(struct fq_db *db, int64_t id,
				     const struct fq_store_tip_outcome *o);

/* What full-text search holds of a tip (domain/tip.c fq_tip_search): the
 * strings are the statement's, valid during the callback. */
struct fq_store_tip_search_row {
	int64_t id;
	const char *org_path, *tracking_code, *text, *place, *address, *status, *source;
};
typedef enum fq_err (*fq_store_tip_search_fn)(void *arg, const struct fq_store_tip_search_row *r);
/* Tips with from <= id <= to, by id, at most limit. */
enum fq_err fq_store_tip_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
				     fq_store_tip_search_fn fn, void *arg);

/* Calls fn with each tip in scope [lo, hi) created in [from_ms, to_ms):
 * source, status, outcome, arrests, dispute_resolved, hazard_removed,
 * org_id and the unit's name (the figures are summed by the caller). */
struct fq_store_tip_fig_row {
	int64_t created_at;
	const char *source, *status, *outcome;
	int64_t arrests;
	bool dispute_resolved, hazard_removed;
	int64_t org_id;
	const char *org_name;
};
enum fq_err fq_store_tip_figure_rows(struct fq_db *db, const char *lo, const char *hi,
				     int64_t from_ms, int64_t to_ms,
				     enum fq_err (*fn)(const struct fq_store_tip_fig_row *row,
						       void *arg),
				     void *arg);

/* The untriaged tips of scope [lo, hi), oldest first, at most limit: id,
 * tracking_code, text, created_at. */
json_t *fq_store_tip_untriaged(struct fq_db *db, const char *lo, const char *hi, int64_t limit,
			       enum fq_err *err);

/* How many tips of scope [lo, hi) wait for triage, whenever reported. */
enum fq_err fq_store_tip_untriaged_count(struct fq_db *db, const char *lo, const char *hi,
					 int64_t *n);

/* The only station, when the tree has exactly one (the public page without
 * a station code); FQ_ERR_NOT_FOUND otherwise. */
enum fq_err fq_store_tip_sole_station(struct fq_db *db, int64_t *id);

/* The demo only: moves a tip back to when it was reported (its triage and
 * outcome, when recorded, a day and a week after). */
enum fq_err fq_store_tip_backdate(struct fq_db *db, int64_t id, int64_t created_at);
/* The demo only: up to limit incidents of scope [lo, hi), oldest first: [{id}]. */
json_t *fq_store_tip_demo_incidents(struct fq_db *db, const char *lo, const char *hi,
				    int64_t limit, enum fq_err *err);
/* The demo only: the newest dispute of scope [lo, hi). */
enum fq_err fq_store_tip_demo_dispute(struct fq_db *db, const char *lo, const char *hi,
				      int64_t *id);

#endif
