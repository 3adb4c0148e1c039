/* The SQL of attachments: rows in attachments (what a list shows) and their
 * bytes and thumbnails in attachment_contents. No rules here: who may see or
 * change an attachment is the domain's (domain/attachment.c). */
#ifndef FQ_ATTACHMENT_STORE_H
#define FQ_ATTACHMENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_arena;
typedef struct json_t json_t;

/* One attachment as it is written. */
struct fq_attachment_new {
	const char *record_type;
	int64_t record_id;
	const char *kind; /* file, signature */
	const char *name;
	const char *content_type;
	const void *content;
	size_t size;
	const char *sha256; /* hex */
	int64_t width, height; /* 0: not an image */
	const void *thumbnail; /* NULL: none */
	size_t thumbnail_len;
	int64_t by, at;
};

enum fq_err fq_store_attachment_insert(struct fq_db *db, const struct fq_attachment_new *a,
				       int64_t *id);

/* The row of one attachment, deleted or not: id, record_type, record_id,
 * kind, name, content_type, size, sha256, width, height, has_thumbnail,
 * uploaded_by (+ _name), uploaded_at, deleted_by, deleted_at.
 * FQ_ERR_NOT_FOUND when there is none. */
json_t *fq_store_attachment_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* The attachments of a record not deleted, of one kind (NULL: every kind),
 * oldest first, at most limit. */
json_t *fq_store_attachments_of(struct fq_db *db, const char *record_type, int64_t record_id,
				const char *kind, int64_t limit, enum fq_err *err);
/* The number of attachments of a record not deleted. */
enum fq_err fq_store_attachments_count(struct fq_db *db, const char *record_type,
				       int64_t record_id, int64_t *n);

/* The bytes (thumbnail false) or the thumbnail of an attachment not deleted,
 * copied into arena. FQ_ERR_NOT_FOUND when there are none. */
enum fq_err fq_store_attachment_bytes(struct fq_db *db, int64_t id, int thumbnail,
				      struct fq_arena *arena, const void **out, size_t *len);

/* Marks an attachment deleted and drops its bytes. FQ_ERR_NOT_FOUND when it
 * is deleted already. */
enum fq_err fq_store_attachment_delete(struct fq_db *db, int64_t id, int64_t by, int64_t at);

/* Whether a sealed record refers to the attachment (an on-site signature,
 * an agreement's signature):
 * *used is 1 then. */
enum fq_err fq_store_attachment_in_use(struct fq_db *db, int64_t id, int *used);

#endif
