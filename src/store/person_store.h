/* SQL for persons and their timeline (one person, one file). */
#ifndef FQ_PERSON_STORE_H
#define FQ_PERSON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_person_fields {
	const char *name;
	const char *doc_type;
	const void *id_enc;      /* sealed ID number */
	size_t id_enc_len;
	const char *id_hash;     /* keyed hash for exact look-up */
	const char *id_mask;
	const char *sex;
	const char *birth_date;
	const void *phone_enc;   /* NULL = no phone */
	size_t phone_enc_len;
	const char *phone_mask;
	int64_t address_id;      /* 0 = none */
	int64_t org_id;
	const char *org_path;
	const char *tags;        /* space-separated */
	int64_t created_by;
};

/* FQ_ERR_CONFLICT when a person with the same document exists. */
enum fq_err fq_store_person_insert(struct fq_db *db, const struct fq_person_fields *f, int64_t *id);
/* Replaces name, phone, address, org and tags. */
enum fq_err fq_store_person_update(struct fq_db *db, int64_t id, const struct fq_person_fields *f);
/* Masked row with org_path and tags as stored; FQ_ERR_NOT_FOUND. */
json_t *fq_store_person_json(struct fq_db *db, int64_t id, enum fq_err *err);
json_t *fq_store_person_list(struct fq_db *db, const char *lo, const char *hi, const char *name,
			     const char *id_hash, int64_t limit, int64_t offset, enum fq_err *err);
/* The sealed ID number and phone (malloc'd copies, to free(); NULL if none). */
enum fq_err fq_store_person_sealed(struct fq_db *db, int64_t id, void **id_enc, size_t *id_len,
				   void **phone_enc, size_t *phone_len);

/* Full-text search: the persons with from <= id <= to as the index holds
 * them (search/source.h docs()). */
struct fq_search_doc;
enum fq_err fq_store_person_search_docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					enum fq_err (*fn)(void *arg, const struct fq_search_doc *doc),
					void *arg);


/* One event of the person's timeline: code and params (a JSON object, not
 * stolen; NULL = {}) say what happened, in no language (the codes:
 * fq_person_event_codes). */
enum fq_err fq_store_person_event(struct fq_db *db, int64_t person_id, const char *kind,
				  const char *code, const json_t *params, const char *object_type,
				  int64_t object_id);
json_t *fq_store_person_events(struct fq_db *db, int64_t person_id, enum fq_err *err);

#endif
