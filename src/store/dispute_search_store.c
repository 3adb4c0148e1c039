/* The SQL of the disputes' full-text search source (store/dispute_search_store.h). */
#include "store/dispute_search_store.h"

#include <jansson.h>
#include <string.h>

#include "core/buf.h"
#include "store/store.h"
#include "core/banned.h"

/* More text than the tokenizer reads (32,768 tokens of a text): a piece that
 * would pass it is left out. */
#define BODY_MAX (128 * 1024)

static const char *text_of(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

/* s after a separator, when it fits. */
static enum fq_err add(struct fq_buf *b, const char *sep, const char *s)
{
	size_t n = strlen(s);

	if (!n || b->len + n + strlen(sep) >= BODY_MAX)
		return FQ_OK;
	return fq_buf_addf(b, "%s%s", b->len ? sep : "", s);
}

/* The next row of rows (ordered by dispute_id, read from *at on) that belongs
 * to dispute id, or NULL. */
static json_t *next_of(json_t *rows, size_t *at, int64_t id)
{
	json_t *row;

	while ((row = json_array_get(rows, *at)) &&
	       json_integer_value(json_object_get(row, "dispute_id")) < id)
		(*at)++;
	if (!row || json_integer_value(json_object_get(row, "dispute_id")) != id)
		return NULL;
	(*at)++;
	return row;
}

static enum fq_err one(json_t *d, json_t *parties, size_t *pi, json_t *sessions, size_t *si,
		       struct fq_buf *names, struct fq_buf *body, fq_store_dispute_search_fn fn,
		       void *arg)
{
	static const char *const record[] = {"accounts", "summary", "discussion"};
	int64_t id = json_integer_value(json_object_get(d, "id"));
	enum fq_err err = FQ_OK;
	json_t *row;

	fq_buf_reset(names);
	fq_buf_reset(body);
	while (!err && (row = next_of(parties, pi, id)))
		err = add(names, " ", text_of(row, "name"));
	err = err ? err : add(body, "\n", text_of(d, "facts"));
	err = err ? err : add(body, "\n", text_of(d, "claims"));
	/* The record in three parts of each session, in the order held. */
	while (!err && (row = next_of(sessions, si, id)))
		for (size_t k = 0; k < sizeof(record) / sizeof(record[0]) && !err; k++)
			err = add(body, "\n", text_of(row, record[k]));
	if (err)
		return err;
	return fn(arg, &(struct fq_store_dispute_search_row){
			       .id = id,
			       .org_path = text_of(d, "org_path"),
			       .number = text_of(d, "number"),
			       .type = text_of(d, "type"),
			       .status = text_of(d, "status"),
			       .tier = text_of(d, "tier"),
			       .risk = text_of(d, "risk"),
			       .names = names->ptr ? names->ptr : "",
			       .body = body->ptr ? body->ptr : "",
		       });
}

enum fq_err fq_store_dispute_search_rows(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					 fq_store_dispute_search_fn fn, void *arg)
{
	json_t *disputes, *parties = NULL, *sessions = NULL;
	struct fq_buf names, body;
	enum fq_err err = FQ_OK;
	size_t n, pi = 0, si = 0;
	int64_t last;

	disputes = fq_db_list_json(db, &err,
				   "SELECT id, org_path, number, type, status, tier, risk, facts,"
				   " claims FROM disputes WHERE id >= ?1 AND id <= ?2 ORDER BY id"
				   " LIMIT ?3",
				   "iii", from, to, (int64_t)limit);
	if (!disputes)
		return err ? err : FQ_ERR_NOMEM;
	n = json_array_size(disputes);
	if (!n) {
		json_decref(disputes);
		return FQ_OK;
	}
	from = json_integer_value(json_object_get(json_array_get(disputes, 0), "id"));
	last = json_integer_value(json_object_get(json_array_get(disputes, n - 1), "id"));
	/* In the order the dispute's detail lists them. */
	parties = fq_db_list_json(db, &err,
				  "SELECT p.dispute_id, pe.name FROM dispute_parties p JOIN persons pe"
				  " ON pe.id = p.person_id WHERE p.dispute_id >= ?1 AND"
				  " p.dispute_id <= ?2 ORDER BY p.dispute_id, CASE p.role WHEN"
				  " 'applicant' THEN 0 WHEN 'respondent' THEN 1 ELSE 2 END,"
				  " COALESCE(p.added_at, 0), p.person_id",
				  "ii", from, last);
	if (parties)
		sessions = fq_db_list_json(db, &err,
					   "SELECT dispute_id, accounts, summary, discussion FROM"
					   " dispute_sessions WHERE dispute_id >= ?1 AND"
					   " dispute_id <= ?2 ORDER BY dispute_id, starts_at, id",
					   "ii", from, last);
	if (!sessions)
		err = err ? err : FQ_ERR_NOMEM;
	fq_buf_init(&names, 1 << 16);
	fq_buf_init(&body, BODY_MAX);
	for (size_t k = 0; k < n && !err; k++)
		err = one(json_array_get(disputes, k), parties, &pi, sessions, &si, &names, &body,
			  fn, arg);
	fq_buf_release(&names);
	fq_buf_release(&body);
	json_decref(disputes);
	json_decref(parties);
	json_decref(sessions);
	return err;
}
