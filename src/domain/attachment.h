/* Attachments (附件): photos, scans and documents on a record of any module,
 * kept in the store with their SHA-256 and, for images, a thumbnail made at
 * upload. A module takes attachments by declaring its record types in its
 * struct fq_module (.attach, a list of struct fq_attach_owner): the type
 * name, the record's own permissions, whether reading an attachment is a
 * sensitive read (audited), and the record's own visibility check. Who may
 * see an attachment is exactly who may see its record. */
#ifndef FQ_ATTACHMENT_H
#define FQ_ATTACHMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
struct fq_error;
typedef struct json_t json_t;

/* At most this many attachments (not deleted) on one record. */
#define FQ_ATTACH_MAX_PER_RECORD 100
/* Images larger than this are refused before they are decoded (a small
 * file may claim a huge picture: a decompression bomb). A 48-megapixel
 * phone photo passes; decoding takes 4 bytes a pixel. */
#define FQ_ATTACH_MAX_PIXELS (50LL * 1000 * 1000)
#define FQ_ATTACH_MAX_SIDE 20000
/* Thumbnails: JPEG, the longer side at most this many pixels. */
#define FQ_ATTACH_THUMB_SIDE 320
/* A signature (kind "signature") is a PNG of at most this many bytes. */
#define FQ_ATTACH_MAX_SIGNATURE (256 * 1024)
/* Longest file name kept, in characters. */
#define FQ_ATTACH_MAX_NAME 200

/* A record type that takes attachments, as a module declares it. A list of
 * them ends with {NULL}. */
struct fq_attach_owner {
	const char *type;             /* "incident": record_type of its attachments */
	const char *read_permission;  /* the record's own: "incident.read" */
	const char *write_permission; /* "incident.write" */
	bool sensitive;               /* downloads are audited (attachment.download) */
	/* FQ_OK when the caller may see (write false) or add to (write true)
	 * record id, the same answer as the record's own GET and writes give;
	 * otherwise the error, in c->e (FQ_ERR_NOT_FOUND for a record that does
	 * not exist or lies outside the caller's scope). The permissions above
	 * are checked before it is called. */
	enum fq_err (*check)(struct fq_ctx *c, int64_t id, bool write);
};

/* What the bytes of a file are. */
struct fq_filetype {
	const char *name;         /* "jpeg", "png", "pdf" … as attachment_types names them */
	const char *label;        /* "a JPEG image", "HTML text": for messages */
	const char *content_type; /* "image/jpeg"; NULL for types never accepted */
	const char *ext;          /* ".jpg" */
};

/* Finds the type of a file from its first bytes (never from its name). */
void fq_attachment_sniff(const void *p, size_t len, struct fq_filetype *out);

/* Checks the attachment_types setting: every name a type this server can
 * accept. FQ_ERR_INVALID naming the setting otherwise. */
enum fq_err fq_attachment_types_check(const char *types, struct fq_error *e);

/* Stores an upload of kind "file" or "signature" on record record_id of
 * owner: checks the caller may add to the record, the size (1 byte ..
 * max_attachment; a signature: FQ_ATTACH_MAX_SIGNATURE), the type from the
 * content (attachment_types; a signature: PNG), the name (cleaned: no path,
 * no control characters; an extension that names another type is refused,
 * a missing one added), an image's dimensions before decoding it, and makes
 * the thumbnail. *out: the new attachment as JSON (a new reference). Errors
 * name the field: file, name, kind, record_id. */
enum fq_err fq_attachment_create(struct fq_ctx *c, const struct fq_attach_owner *owner,
				 int64_t record_id, const char *kind, const char *name,
				 const void *data, size_t len, json_t **out);

/* The attachments of kind (NULL: every kind) of a record the caller may see,
 * oldest first: {"items":[…]}. NULL with c->e set on error. */
json_t *fq_attachment_list(struct fq_ctx *c, const struct fq_attach_owner *owner,
			   int64_t record_id, const char *kind);

/* One attachment (not deleted) whose record the caller may see, with its
 * owner (from owners, ending with NULL). NULL with c->e set otherwise
 * (FQ_ERR_NOT_FOUND: none, deleted, or out of scope). */
json_t *fq_attachment_get(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
			  int64_t id, const struct fq_attach_owner **owner);

/* A download: the bytes (thumbnail false) or the thumbnail, in c->arena,
 * with the stored content type and name, after the same checks as
 * fq_attachment_get. *owner says whether the read is sensitive. */
struct fq_attachment_bytes {
	const void *data;
	size_t len;
	const char *content_type;
	const char *name;
	const struct fq_attach_owner *owner;
	const char *record_type;
	int64_t record_id;
};
enum fq_err fq_attachment_read(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
			       int64_t id, bool thumbnail, struct fq_attachment_bytes *out);

/* Deletes an attachment: by who uploaded it or a chief, who may also change
 * the record. Its row stays (name, SHA-256, who deleted it and when), its
 * bytes and thumbnail go. A signature a sealed record refers to cannot be
 * deleted (FQ_ERR_CONFLICT). *record_type and *record_id (arena) say whose. */
enum fq_err fq_attachment_delete(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
				 int64_t id, const char **record_type, int64_t *record_id);

/* For the on-site record: the PNG of signature attachment id, which must be
 * an attachment of kind "signature" of record_type/record_id, not deleted
 * and not yet used by a sealed record; its bytes are copied into c->arena.
 * k (from 0) is the signature's place, for the message; field names it. */
enum fq_err fq_attachment_signature(struct fq_ctx *c, const char *record_type,
				    int64_t record_id, int64_t id, int k, const void **png,
				    size_t *len);

#endif
