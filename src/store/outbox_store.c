/* The SQL of the outbox. */
#include "store/outbox_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/time.h"
#include "store/store.h"

enum fq_err fq_store_outbox_channel_insert(struct fq_db *db,
					   const struct fq_outbox_channel_fields *f, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(
		db, id,
		"INSERT INTO outbox_channels (station_id, org_path, kind, name, url_enc, url_shown,"
		" secret_enc, events, msg_format, sms_method, sms_content_type, sms_body, phones_enc,"
		" enabled, created_at, updated_at, owner) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		" ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16) RETURNING id",
		"isssbsbsssssbiis", f->station_id, f->org_path, f->kind, f->name, f->url_enc,
		f->url_enc_len, f->url_shown, f->secret_enc, f->secret_enc_len, f->events,
		f->msg_format, f->sms_method, f->sms_content_type, f->sms_body, f->phones_enc,
		f->phones_enc_len, (int64_t)f->enabled, now, f->owner);
}

enum fq_err fq_store_outbox_channel_update(struct fq_db *db, int64_t id,
					   const struct fq_outbox_channel_fields *f)
{
	return fq_db_exec(
		db, NULL,
		"UPDATE outbox_channels SET name = ?1, url_enc = ?2, url_shown = ?3, secret_enc = ?4,"
		" events = ?5, msg_format = ?6, sms_method = ?7, sms_content_type = ?8, sms_body = ?9,"
		" phones_enc = ?10, enabled = ?11, updated_at = ?12 WHERE id = ?13 AND deleted_at IS NULL",
		"sbsbsssssbiii", f->name, f->url_enc, f->url_enc_len, f->url_shown, f->secret_enc,
		f->secret_enc_len, f->events, f->msg_format, f->sms_method, f->sms_content_type,
		f->sms_body, f->phones_enc, f->phones_enc_len, (int64_t)f->enabled, fq_time_now_ms(),
		id);
}

enum fq_err fq_store_outbox_channel_delete(struct fq_db *db, int64_t id, int64_t now)
{
	enum fq_err err = fq_db_exec(db, NULL,
				     "UPDATE outbox_channels SET deleted_at = ?1, enabled = 0,"
				     " updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL",
				     "ii", now, id);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE outbox SET status = 'failed', done_at = ?1, lease_token = NULL,"
				 " last_error = 'the channel was deleted' WHERE channel_id = ?2"
				 " AND status = 'pending'",
				 "ii", now, id);
	return err;
}

void fq_outbox_sealed_release(struct fq_outbox_sealed *s)
{
	free(s->url);
	free(s->secret);
	free(s->phones);
	memset(s, 0, sizeof(*s));
}

static unsigned char *copy_blob(struct fq_stmt *st, int col, size_t *len)
{
	const void *p = fq_stmt_blob(st, col, len);
	unsigned char *out;

	if (!p || !*len) {
		*len = 0;
		return NULL;
	}
	out = malloc(*len);
	if (out)
		memcpy(out, p, *len);
	else
		*len = 0;
	return out;
}

#define CHANNEL_SELECT                                                                         \
	"SELECT c.id, c.station_id, s.name AS station_name, c.kind, c.name, c.url_shown AS url," \
	" c.events, c.msg_format, c.sms_method, c.sms_content_type, c.sms_body, c.enabled,"     \
	" c.created_at, c.updated_at, c.org_path,"                                              \
	" (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND o.status = 'pending')"  \
	" AS pending, (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND"           \
	" o.status = 'failed') AS failed, c.url_enc, c.secret_enc, c.phones_enc, c.owner"       \
	" FROM outbox_channels c JOIN org_units s ON s.id = c.station_id"

json_t *fq_store_outbox_channel_json(struct fq_db *db, int64_t id, struct fq_outbox_sealed *blobs,
				     enum fq_err *err)
{
	struct fq_stmt *st;
	json_t *row = NULL;
	int rc;

	*err = fq_db_query(db, &st, CHANNEL_SELECT " WHERE c.id = ?1 AND c.deleted_at IS NULL",
			   "i", id);
	if (*err)
		return NULL;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		row = fq_stmt_row_json(st);
		if (blobs) {
			blobs->url = copy_blob(st, 17, &blobs->url_len);
			blobs->secret = copy_blob(st, 18, &blobs->secret_len);
			blobs->phones = copy_blob(st, 19, &blobs->phones_len);
		}
		json_object_set_new(row, "has_secret",
				    json_boolean(!fq_stmt_null(st, 18)));
		if (!row)
			*err = FQ_ERR_NOMEM;
	} else {
		*err = rc == 0 ? FQ_ERR_NOT_FOUND : (enum fq_err)-rc;
	}
	fq_stmt_done(st);
	return row;
}

json_t *fq_store_outbox_channel_list(struct fq_db *db, const char *lo, const char *hi,
				     int64_t station_id, enum fq_err *err)
{
	struct fq_stmt *st;
	json_t *rows;
	int rc;

	*err = fq_db_query(db, &st,
			   CHANNEL_SELECT " WHERE c.deleted_at IS NULL AND c.owner IS NULL AND c.org_path >= ?1 AND"
					  " c.org_path < ?2 AND (?3 = 0 OR c.station_id = ?3)"
					  " ORDER BY c.station_id, c.id LIMIT 500",
			   "ssi", lo, hi, station_id);
	if (*err)
		return NULL;
	rows = json_array();
	while ((rc = fq_stmt_next(st)) == 1) {
		json_t *row = fq_stmt_row_json(st);

		if (row)
			json_object_set_new(row, "has_secret", json_boolean(!fq_stmt_null(st, 18)));
		if (!row || json_array_append_new(rows, row)) {
			rc = -FQ_ERR_NOMEM;
			break;
		}
	}
	fq_stmt_done(st);
	if (rc < 0) {
		*err = (enum fq_err)-rc;
		json_decref(rows);
		return NULL;
	}
	return rows;
}

/* Whether the space-separated list holds word. */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);

		if (len == n && !memcmp(p, word, n))
			return true;
		p = sp ? sp + 1 : NULL;
	}
	return false;
}

enum fq_err fq_store_outbox_channels_for(struct fq_db *db, int64_t station_id, const char *kind,
					 int64_t *ids, int max, int *n)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*n = 0;
	/* A station has a handful of channels: the subscription is tested here. */
	err = fq_db_query(db, &st,
			  "SELECT id, events FROM outbox_channels WHERE station_id = ?1 AND"
			  " enabled = 1 AND deleted_at IS NULL ORDER BY id",
			  "i", station_id);
	if (err)
		return err;
	while ((rc = fq_stmt_next(st)) == 1)
		if (*n < max && list_has(fq_stmt_text(st, 1), kind))
			ids[(*n)++] = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : FQ_OK;
}

enum fq_err fq_store_outbox_insert(struct fq_db *db, const struct fq_outbox_row_fields *f,
				   int64_t *id)
{
	return fq_db_insert(
		db, id,
		"INSERT INTO outbox (channel_id, station_id, event_id, event_kind, payload, text,"
		" recipient_enc, recipient_shown, status, attempts, next_at, created_at) VALUES (?1,"
		" ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?9) RETURNING id",
		"iissssbsi", f->channel_id, f->station_id, f->event_id, f->event_kind, f->payload,
		f->text, f->recipient_enc, f->recipient_enc_len, f->recipient_shown, f->now);
}

#define ROW_SELECT                                                                            \
	"SELECT o.id, o.channel_id, c.name AS channel_name, c.kind AS channel_kind,"           \
	" o.station_id, o.event_id, o.event_kind, o.text, o.recipient_shown AS recipient,"     \
	" o.status, o.attempts, o.next_at, o.last_status, o.last_error, o.created_at,"         \
	" o.done_at, c.org_path"
#define ROW_FROM " FROM outbox o JOIN outbox_channels c ON c.id = o.channel_id"

json_t *fq_store_outbox_list(struct fq_db *db, const char *lo, const char *hi,
			     int64_t channel_id, const char *status, int64_t after, int64_t limit,
			     enum fq_err *err)
{
	/* Newest first by id; a station's outbox is small next to the incidents
	 * (a few rows per event), and the scope test filters the walk. */
	return fq_db_list_json(db, err,
			       ROW_SELECT ROW_FROM " WHERE (c.org_path || '') >= ?1 AND (c.org_path || '') < ?2"
					  " AND (?3 = 0 OR o.channel_id = ?3)"
					  " AND (CAST(?4 AS TEXT) IS NULL OR o.status = ?4)"
					  " AND (?5 = 0 OR o.id < ?5) ORDER BY o.id DESC LIMIT ?6",
			       "ssisii", lo, hi, channel_id, status, after, limit);
}

json_t *fq_store_outbox_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, ROW_SELECT ", o.payload" ROW_FROM " WHERE o.id = ?1", "i", id);
}

json_t *fq_store_outbox_attempts(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT attempt, started_at, duration_ms, http_status, error, response"
			       " FROM outbox_attempts WHERE outbox_id = ?1 ORDER BY id",
			       "i", id);
}

enum fq_err fq_store_outbox_retry(struct fq_db *db, int64_t id, int64_t now)
{
	int64_t changes = 0;
	enum fq_err err = fq_db_exec(db, &changes,
				     "UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?1,"
				     " done_at = NULL, lease_token = NULL WHERE id = ?2 AND"
				     " status = 'failed' AND EXISTS (SELECT 1 FROM outbox_channels c"
				     " WHERE c.id = outbox.channel_id AND c.deleted_at IS NULL)",
				     "ii", now, id);

	return err ? err : changes ? FQ_OK : FQ_ERR_NOT_FOUND;
}

void fq_outbox_claim_release(struct fq_outbox_claim *c)
{
	free(c->event_id);
	free(c->event_kind);
	free(c->payload);
	free(c->text);
	free(c->created_at_iso);
	free(c->kind);
	free(c->msg_format);
	free(c->sms_method);
	free(c->sms_content_type);
	free(c->sms_body);
	free(c->recipient);
	fq_outbox_sealed_release(&c->sealed);
	memset(c, 0, sizeof(*c));
}

static char *dup_text(struct fq_stmt *st, int col)
{
	const char *s = fq_stmt_text(st, col);

	return s ? strdup(s) : NULL;
}

enum fq_err fq_store_outbox_claim(struct fq_db *db, int64_t now, int64_t lease_until,
				  const char *token, struct fq_outbox_claim *out, bool *got)
{
	struct fq_stmt *st;
	int64_t id = 0, changes = 0;
	enum fq_err err;
	int rc;

	*got = false;
	memset(out, 0, sizeof(*out));
	err = fq_db_get_int(db, &id,
			    "SELECT o.id FROM outbox o JOIN outbox_channels c ON c.id = o.channel_id"
			    " WHERE o.status = 'pending' AND o.next_at <= ?1 AND c.enabled = 1"
			    " ORDER BY o.next_at, o.id LIMIT 1",
			    "i", now);
	if (err == FQ_ERR_NOT_FOUND)
		return FQ_OK;
	if (err)
		return err;
	/* Another server may have claimed it since: the row's own test decides
	 * (on PostgreSQL the UPDATE waits for the other's commit and then sees
	 * its next_at). */
	err = fq_db_exec(db, &changes,
			 "UPDATE outbox SET next_at = ?1, lease_token = ?2, attempts = attempts + 1"
			 " WHERE id = ?3 AND status = 'pending' AND next_at <= ?4",
			 "isii", lease_until, token, id, now);
	if (err || !changes)
		return err;
	err = fq_db_query(db, &st,
			  "SELECT o.id, o.attempts, o.event_id, o.event_kind, o.payload, o.text,"
			  " o.created_at, o.station_id, c.kind, c.msg_format, c.sms_method,"
			  " c.sms_content_type, c.sms_body, c.url_enc, c.secret_enc, o.recipient_enc"
			  " FROM outbox o JOIN outbox_channels c ON c.id = o.channel_id WHERE o.id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		out->id = fq_stmt_int(st, 0);
		out->attempt = fq_stmt_int(st, 1);
		out->event_id = dup_text(st, 2);
		out->event_kind = dup_text(st, 3);
		out->payload = dup_text(st, 4);
		out->text = dup_text(st, 5);
		out->created_at_iso = malloc(24);
		if (out->created_at_iso)
			fq_time_format(fq_stmt_int(st, 6), out->created_at_iso, 24);
		out->station_id = fq_stmt_int(st, 7);
		out->kind = dup_text(st, 8);
		out->msg_format = dup_text(st, 9);
		out->sms_method = dup_text(st, 10);
		out->sms_content_type = dup_text(st, 11);
		out->sms_body = dup_text(st, 12);
		out->sealed.url = copy_blob(st, 13, &out->sealed.url_len);
		out->sealed.secret = copy_blob(st, 14, &out->sealed.secret_len);
		out->recipient = copy_blob(st, 15, &out->recipient_len);
		if (!out->event_id || !out->event_kind || !out->payload || !out->text ||
		    !out->created_at_iso || !out->kind || !out->msg_format || !out->sealed.url)
			rc = -FQ_ERR_NOMEM;
	}
	fq_stmt_done(st);
	if (rc != 1) {
		fq_outbox_claim_release(out);
		return rc < 0 ? (enum fq_err)-rc : FQ_ERR_INTERNAL;
	}
	*got = true;
	return FQ_OK;
}

enum fq_err fq_store_outbox_settle(struct fq_db *db, int64_t id, const char *token,
				   int64_t attempt, const struct fq_outbox_result *r,
				   const char *status, int64_t next_at, bool *kept)
{
	int64_t changes = 0;
	enum fq_err err = fq_db_exec(
		db, NULL,
		"INSERT INTO outbox_attempts (outbox_id, attempt, started_at, duration_ms,"
		" http_status, error, response) VALUES (?1, ?2, ?3, ?4,"
		" CASE WHEN ?5 > 0 THEN ?5 END, ?6, ?7)",
		"iiiiiss", id, attempt, r->started_at, r->duration_ms, r->http_status, r->error,
		r->response);

	*kept = false;
	if (!err)
		err = fq_db_exec(
			db, &changes,
			"UPDATE outbox SET status = ?1, next_at = ?2, lease_token = NULL,"
			" last_status = CASE WHEN ?3 > 0 THEN ?3 END, last_error = ?4,"
			" done_at = CASE WHEN ?1 = 'pending' THEN NULL ELSE ?5 END"
			" WHERE id = ?6 AND lease_token = ?7",
			"siisiis", status, next_at, r->http_status, r->error,
			r->started_at + r->duration_ms, id, token);
	*kept = changes > 0;
	return err;
}
