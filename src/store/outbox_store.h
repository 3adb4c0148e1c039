/* SQL of the outbox (docs/internals.md "Outbox"): channels, the rows waiting
 * or sent, their attempts. */
#ifndef FQ_OUTBOX_STORE_H
#define FQ_OUTBOX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* A channel as written; sealed values are blobs (pointer + length; NULL:
 * none). */
struct fq_outbox_channel_fields {
	int64_t station_id;
	const char *org_path;
	const char *kind;
	const char *name;
	const unsigned char *url_enc;
	size_t url_enc_len;
	const char *url_shown;
	const unsigned char *secret_enc;
	size_t secret_enc_len;
	const char *events;
	const char *msg_format;
	const char *sms_method;
	const char *sms_content_type;
	const char *sms_body;
	const unsigned char *phones_enc;
	size_t phones_enc_len;
	bool enabled;
	const char *owner; /* insert only: NULL, or the module whose record owns it ("chatgroup") */
};

enum fq_err fq_store_outbox_channel_insert(struct fq_db *db,
					   const struct fq_outbox_channel_fields *f, int64_t *id);
/* Replaces every field (the domain merged the old values in). */
enum fq_err fq_store_outbox_channel_update(struct fq_db *db, int64_t id,
					   const struct fq_outbox_channel_fields *f);
/* Marks it deleted and fails its pending rows. */
enum fq_err fq_store_outbox_channel_delete(struct fq_db *db, int64_t id, int64_t now);
/* Copies of a channel's sealed values (malloc'ed; fq_outbox_sealed_release). */
struct fq_outbox_sealed {
	unsigned char *url, *secret, *phones;
	size_t url_len, secret_len, phones_len;
};
void fq_outbox_sealed_release(struct fq_outbox_sealed *s);
/* The channel (not deleted) as JSON, with org_path (FQ_ERR_NOT_FOUND), and
 * its sealed values copied into *blobs (may be NULL). */
json_t *fq_store_outbox_channel_json(struct fq_db *db, int64_t id, struct fq_outbox_sealed *blobs,
				     enum fq_err *err);
/* Channels (not deleted, not owned by a record) in scope [lo, hi), of one
 * station when station_id > 0. */
json_t *fq_store_outbox_channel_list(struct fq_db *db, const char *lo, const char *hi,
				     int64_t station_id, enum fq_err *err);
/* Ids of the enabled channels of station subscribed to kind (at most max). */
enum fq_err fq_store_outbox_channels_for(struct fq_db *db, int64_t station_id, const char *kind,
					 int64_t *ids, int max, int *n);

struct fq_outbox_row_fields {
	int64_t channel_id;
	int64_t station_id;
	const char *event_id;
	const char *event_kind;
	const char *payload;
	const char *text;
	const unsigned char *recipient_enc;
	size_t recipient_enc_len;
	const char *recipient_shown;
	int64_t now;
};
enum fq_err fq_store_outbox_insert(struct fq_db *db, const struct fq_outbox_row_fields *f,
				   int64_t *id);

/* Deliveries in scope, newest first, below id after (0: from the newest);
 * channel_id / status filter when given. */
json_t *fq_store_outbox_list(struct fq_db *db, const char *lo, const char *hi,
			     int64_t channel_id, const char *status, int64_t after, int64_t limit,
			     enum fq_err *err);
/* One delivery with org_path (for the scope test). */
json_t *fq_store_outbox_json(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_outbox_attempts(struct fq_db *db, int64_t id, enum fq_err *err);
/* A failed delivery back to pending, due now, its attempts counted again
 * from 0; FQ_ERR_NOT_FOUND when it is not failed. */
enum fq_err fq_store_outbox_retry(struct fq_db *db, int64_t id, int64_t now);

/* ---- delivery (the worker) ---- */

/* What a claimed row needs to be sent. Strings and blobs are malloc'ed:
 * fq_outbox_claim_release. */
struct fq_outbox_claim {
	int64_t id;
	int64_t attempt;   /* this attempt's number, from 1 */
	char *event_id, *event_kind, *payload, *text, *created_at_iso;
	int64_t station_id;
	char *kind, *msg_format, *sms_method, *sms_content_type, *sms_body;
	struct fq_outbox_sealed sealed; /* url, secret of the channel */
	unsigned char *recipient;       /* sealed phone (sms) */
	size_t recipient_len;
};
void fq_outbox_claim_release(struct fq_outbox_claim *c);

/* In a write transaction: takes the oldest row due at now whose channel is
 * enabled, moving its next_at to lease_until and writing token. *got false
 * when none is due (or another worker took it first). */
enum fq_err fq_store_outbox_claim(struct fq_db *db, int64_t now, int64_t lease_until,
				  const char *token, struct fq_outbox_claim *out, bool *got);

struct fq_outbox_result {
	int64_t started_at;
	int64_t duration_ms;
	int64_t http_status; /* 0: none */
	const char *error;   /* NULL: delivered */
	const char *response;
};
/* Records the attempt and settles the row if the lease is still ours:
 * status (delivered, pending or failed) and next_at. *kept false when the
 * lease had been taken over (the attempt is recorded all the same). */
enum fq_err fq_store_outbox_settle(struct fq_db *db, int64_t id, const char *token,
				   int64_t attempt, const struct fq_outbox_result *r,
				   const char *status, int64_t next_at, bool *kept);

#endif
