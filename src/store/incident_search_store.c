/* The SQL of the incidents' full-text search source (domain/incident_search.c):
 * an incident as the index holds it, and the exact look-up by caller phone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "search/source.h"
#include "store/incident_store.h"
#include "store/store.h"
#include "core/banned.h"

/* head: the number, the caller's name and the address (what names an
 * incident); body: the narrative. Filter keys: status=…, open (not closed or
 * reviewed), day=YYYYMMDD — the filters of GET /api/incidents. */
enum fq_err fq_store_incident_search_docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
					  fq_search_doc_fn fn, void *arg)
{
	struct fq_stmt *st;
	struct fq_buf head;
	enum fq_err err;
	int rc = 0;

	err = fq_db_query(db, &st,
			  "SELECT i.id, i.org_path, i.number, COALESCE(cp.name, i.caller_name),"
			  " i.address_text, i.narrative, i.status, i.day FROM incidents i"
			  " LEFT JOIN persons cp ON cp.id = i.caller_id"
			  " WHERE i.id >= ?1 AND i.id <= ?2 ORDER BY i.id LIMIT ?3",
			  "iii", from, to, (int64_t)limit);
	if (err)
		return err;
	fq_buf_init(&head, 1 << 20);
	while (!err && (rc = fq_stmt_next(st)) == 1) {
		const char *status = fq_stmt_text(st, 6);
		char status_key[FQ_SEARCH_KEY_MAX + 1], day_key[32];
		struct fq_search_doc doc = {
			.id = fq_stmt_int(st, 0),
			.org_path = fq_stmt_text(st, 1),
			.body = fq_stmt_text(st, 5),
		};
		int k = 0;

		fq_buf_reset(&head);
		for (int col = 2; col <= 4 && !err; col++)
			if (fq_stmt_text(st, col))
				err = fq_buf_addf(&head, "%s%s", head.len ? " " : "",
						  fq_stmt_text(st, col));
		doc.head = head.ptr;
		snprintf(status_key, sizeof(status_key), "status=%s", status ? status : "");
		snprintf(day_key, sizeof(day_key), "day=%lld", (long long)fq_stmt_int(st, 7));
		doc.keys[k++] = status_key;
		if (status && strcmp(status, "closed") && strcmp(status, "reviewed"))
			doc.keys[k++] = "open";
		doc.keys[k++] = day_key;
		if (!err)
			err = fn(arg, &doc);
	}
	fq_stmt_done(st);
	fq_buf_release(&head);
	return !err && rc < 0 ? (enum fq_err)-rc : err;
}

json_t *fq_store_incident_ids_by_phone(struct fq_db *db, const char *phone_hash, const char *lo,
				       const char *hi, int64_t limit, enum fq_err *err)
{
	return fq_db_list_json(db, err,
			       "SELECT id FROM incidents WHERE caller_phone_hash = ?1"
			       " AND org_path >= ?2 AND org_path < ?3 ORDER BY id DESC LIMIT ?4",
			       "sssi", phone_hash, lo, hi, limit);
}
