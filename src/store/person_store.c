/* The SQL of persons and their timeline events. */
#include "store/person_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "search/source.h"
#include "store/store.h"

#define PERSON_SELECT                                                                    \
	"SELECT p.id, p.name, p.doc_type, p.id_number_mask AS id_number, p.sex,"          \
	" p.birth_date, p.phone_mask AS phone, p.address_id, a.full_text AS address_text,"  \
	" p.org_id, p.org_path, p.tags, p.created_at, p.updated_at FROM persons p"        \
	" LEFT JOIN addresses a ON a.id = p.address_id"

/* The scope test written so that no planner picks the org_path index for it:
 * a scope holds most of a station's rows, and an index range over them
 * followed by a sort of every row is far slower (seconds at 1M persons) than
 * walking the ordering index and filtering. */
#define SCOPE_FILTER(lo, hi) "(p.org_path || '') >= " lo " AND (p.org_path || '') < " hi

enum fq_err fq_store_person_insert(struct fq_db *db, const struct fq_person_fields *f, int64_t *id)
{
	int64_t now = fq_time_now_ms();

	return fq_db_insert(db, id,
			    "INSERT INTO persons (name, doc_type, id_number_enc, id_number_hash,"
			    " id_number_mask, sex, birth_date, phone_enc, phone_mask, address_id,"
			    " org_id, org_path, tags, created_by, created_at, updated_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULLIF(?10, 0), ?11, ?12,"
			    " ?13, NULLIF(?14, 0), ?15, ?15) RETURNING id",
			    "ssbssssbsiissii", f->name, f->doc_type, f->id_enc, f->id_enc_len,
			    f->id_hash, f->id_mask, f->sex, f->birth_date, f->phone_enc,
			    f->phone_enc_len, f->phone_mask, f->address_id, f->org_id, f->org_path,
			    f->tags, f->created_by, now);
}

enum fq_err fq_store_person_update(struct fq_db *db, int64_t id, const struct fq_person_fields *f)
{
	return fq_db_exec(db, NULL,
			  "UPDATE persons SET name = ?1, phone_enc = ?2, phone_mask = ?3,"
			  " address_id = NULLIF(?4, 0), org_id = ?5, org_path = ?6, tags = ?7,"
			  " updated_at = ?8 WHERE id = ?9",
			  "sbsiissii", f->name, f->phone_enc, f->phone_enc_len, f->phone_mask,
			  f->address_id, f->org_id, f->org_path, f->tags, fq_time_now_ms(), id);
}

json_t *fq_store_person_json(struct fq_db *db, int64_t id, enum fq_err *err)
{
	return fq_db_get_json(db, err, PERSON_SELECT " WHERE p.id = ?1", "i", id);
}

json_t *fq_store_person_list(struct fq_db *db, const char *lo, const char *hi, const char *name,
			     const char *id_hash, int64_t limit, int64_t offset, enum fq_err *err)
{
	if (id_hash)
		return fq_db_list_json(db, err,
				       PERSON_SELECT " WHERE p.id_number_hash = ?1"
						     " AND p.org_path >= ?2 AND p.org_path < ?3"
						     " ORDER BY p.id DESC LIMIT ?4 OFFSET ?5",
				       "sssii", id_hash, lo, hi, limit, offset);
	/* Name prefix: walk the name index in order; the scope is a filter. */
	if (name)
		return fq_db_list_json(db, err,
				       PERSON_SELECT " WHERE p.name >= ?1 AND p.name < ?1 || '\xf4\x8f\xbf\xbf'"
						     " AND " SCOPE_FILTER("?2", "?3")
						     " ORDER BY p.name, p.id LIMIT ?4 OFFSET ?5",
				       "sssii", name, lo, hi, limit, offset);
	/* Newest first: walk the primary key backwards; the scope is a filter. */
	return fq_db_list_json(db, err,
			       PERSON_SELECT " WHERE " SCOPE_FILTER("?1", "?2")
					     " ORDER BY p.id DESC LIMIT ?3 OFFSET ?4",
			       "ssii", lo, hi, limit, offset);
}

enum fq_err fq_store_person_sealed(struct fq_db *db, int64_t id, void **id_enc, size_t *id_len,
				   void **phone_enc, size_t *phone_len)
{
	struct fq_stmt *st;
	enum fq_err err;
	int rc;

	*id_enc = *phone_enc = NULL;
	err = fq_db_query(db, &st, "SELECT id_number_enc, phone_enc FROM persons WHERE id = ?1",
			  "i", id);
	if (err)
		return err;
	rc = fq_stmt_next(st);
	if (rc == 1) {
		*id_enc = fq_stmt_blob_copy(st, 0, id_len);
		*phone_enc = fq_stmt_blob_copy(st, 1, phone_len);
	}
	fq_stmt_done(st);
	return rc < 0 ? (enum fq_err)-rc : rc == 0 ? FQ_ERR_NOT_FOUND : FQ_OK;
}

enum fq_err fq_store_person_event(struct fq_db *db, int64_t person_id, const char *kind,
				  const char *code, const json_t *params, const char *object_type,
				  int64_t object_id)
{
	char *text = params ? fq_json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	enum fq_err err;

	if (params && !text)
		return FQ_ERR_NOMEM;
	err = fq_db_exec(db, NULL,
			 "INSERT INTO person_events (person_id, time, kind, code, params,"
			 " object_type, object_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, 0))",
			 "iissssi", person_id, fq_time_now_ms(), kind, code, text ? text : "{}",
			 object_type, object_id);
	free(text);
	return err;
}

json_t *fq_store_person_events(struct fq_db *db, int64_t person_id, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT time, kind, code, params, object_type, object_id"
			       " FROM person_events WHERE person_id = ?1"
			       " ORDER BY time DESC, id DESC LIMIT 500",
			       "i", person_id);
}

/* A person in the full-text index: the name is all its text (the document
 * number and phone are never indexed: they are found whole, by keyed hash). */
enum fq_err fq_store_person_search_docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					fq_search_doc_fn fn, void *arg)
{
	struct fq_stmt *st;
	enum fq_err err = fq_db_query(db, &st,
				      "SELECT id, org_path, name FROM persons"
				      " WHERE id >= ?1 AND id <= ?2 ORDER BY id LIMIT ?3",
				      "iii", from, to, (int64_t)limit);
	int rc = 0;

	if (err)
		return err;
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		struct fq_search_doc doc = {
			.id = fq_stmt_int(st, 0),
			.org_path = fq_stmt_text(st, 1),
			.head = fq_stmt_text(st, 2),
		};
		err = fn(arg, &doc);
	}
	fq_stmt_done(st);
	return !err && rc < 0 ? (enum fq_err)-rc : err;
}
