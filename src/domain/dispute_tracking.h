/* 一案一码 (issue 11): the public tracking page — a resident types the
 * dispute's tracking code and the last four digits of a party's phone and
 * learns its status and the date of its next session, nothing else — and the
 * acceptance notice (受理告知书) that hands the code to the parties as text
 * and as a QR code. docs/internals.md "Tracking (一案一码)". */
#ifndef FQ_DISPUTE_TRACKING_H
#define FQ_DISPUTE_TRACKING_H

#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_buf;
typedef struct json_t json_t;

/* The public statuses: accepted (registered), mediating, agreed, failed,
 * withdrawn (closed with that outcome), closed (any other end). */
extern const char *const fq_track_statuses[];

struct fq_track_answer {
	const char *status;      /* one of fq_track_statuses */
	int64_t next_session_at; /* ms; 0: none planned */
	int64_t concluded_at;    /* ms; 0 while open */
	int64_t dispute_id;      /* for the audit entry only: never shown */
	int64_t retry_after;     /* seconds, with FQ_ERR_LIMIT */
};

/* The lookup of the public page. code as typed (case, spaces and dashes
 * ignored), last4 four digits; client_addr keys the per-address limit.
 * Counts the try first (track_tries_per_code per track_code_window_minutes
 * for the code, track_tries_per_address an hour for the address): over
 * either, FQ_ERR_LIMIT "rate_limited" with a->retry_after. An unknown code
 * and digits matching no party's phone are one answer, FQ_ERR_NOT_FOUND
 * "not_found", so that the page tells nobody which codes exist. A badly
 * formed code or digits: FQ_ERR_INVALID naming "code" or "phone_last4".
 * The counters are written even when it fails: the caller commits them. */
enum fq_err fq_dispute_track(struct fq_ctx *c, const char *code, const char *last4,
			     const char *client_addr, struct fq_track_answer *a);

/* The acceptance notice of a dispute the caller may read (fq_dispute_get's
 * rule) as a PDF into out; *filename in the arena. type_label gives the
 * Chinese words of a type code (NULL: the code itself). */
enum fq_err fq_dispute_notice_pdf(struct fq_ctx *c, int64_t id,
				  const char *(*type_label)(const char *code), struct fq_buf *out,
				  const char **filename);

/* A new tracking code into out: ten characters without 0, O, 1, I or L, so
 * that it reads aloud and types without doubt (31^10 ≈ 8·10^14 codes), that
 * taken(db, code) says is free (1 taken, 0 free, -FQ_ERR_* an error). Five
 * tries, then FQ_ERR_INTERNAL. Disputes and tips (domain/tip.c) use it. */
struct fq_db;
enum fq_err fq_track_code_new(struct fq_ctx *c, int (*taken)(struct fq_db *db, const char *code),
			      char out[11]);

/* Where the QR code of a tracking code points: <public_base_url>/#/track/<code>,
 * or the code alone when public_base_url is not set (arena memory). */
const char *fq_dispute_track_url(struct fq_ctx *c, const char *code);

/* Tells the parties of dispute id (number) a session's date and place
 * through the station's outbox (event dispute.session_scheduled: an SMS
 * gateway sends it to each party's phone), in the caller's transaction.
 * Nothing is queued when no channel of the station subscribes. */
enum fq_err fq_dispute_tell_session(struct fq_ctx *c, int64_t station_id, int64_t id,
				    const char *number, int64_t starts_at, const char *place);

#endif
