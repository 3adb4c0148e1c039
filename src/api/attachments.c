/* The /api/attachments handlers: upload (the body is the file itself),
 * a record's list, one attachment, its bytes and thumbnail (downloads), and
 * delete. Which records take attachments, and who may see them, the modules
 * declare (struct fq_module.attach): this file knows none of them. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/attachment.h"
#include "http/request.h"
#include "store/dump.h"

static const char *const kinds[] = {"file", "signature", NULL};

/* The record the query names: record_type (a declared type) and record_id. */
static enum fq_err in_record(struct fq_req *r, const struct fq_attach_owner **owner,
			     int64_t *record_id)
{
	const struct fq_attach_owner *const *owners = fq_attach_owners();
	const char *type = NULL;
	bool present = false;
	enum fq_err err = fq_in_query_text(r, "record_type", 40, &type);

	if (err)
		return err;
	if (!type)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "record_type",
				   "say which record: record_type and record_id");
	*owner = NULL;
	for (int i = 0; owners[i]; i++)
		if (!strcmp(owners[i]->type, type))
			*owner = owners[i];
	if (!*owner)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "record_type",
				   "records of type '%s' take no attachments", type);
	err = fq_in_query_int(r, "record_id", 1, INT64_MAX, record_id, &present);
	if (!err && !present)
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "record_id",
				  "say which record: record_id");
	return err;
}

static void note(struct fq_req *r, int64_t id, const char *record_type, int64_t record_id)
{
	fq_api_audit_object(r, "attachment", id);
	r->audit.detail = fq_arena_printf(r->arena, "%s %lld", record_type, (long long)record_id);
}

FQ_HANDLER(fq_api_attachments_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	const struct fq_attach_owner *owner;
	const char *name = NULL, *kind = "file";
	int64_t record_id;
	json_t *a = NULL;
	enum fq_err err = in_record(r, &owner, &record_id);

	if (!err)
		err = fq_in_query_text(r, "name", FQ_ATTACH_MAX_NAME, &name);
	if (!err && fq_req_query(r, "kind"))
		err = fq_in_query_choice(r, "kind", kinds, &kind);
	if (!err)
		err = fq_attachment_create(&c, owner, record_id, kind, name, r->body, r->body_len,
					   &a);
	if (err)
		return err;
	fq_api_audit_object(r, "attachment", json_integer_value(json_object_get(a, "id")));
	r->audit.detail = fq_arena_printf(r->arena, "%s %lld sha256 %s", owner->type,
					  (long long)record_id,
					  json_string_value(json_object_get(a, "sha256")));
	return fq_api_reply(r, 201, a);
}

FQ_HANDLER(fq_api_attachments_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	const struct fq_attach_owner *owner;
	const char *kind = NULL;
	int64_t record_id;
	enum fq_err err = in_record(r, &owner, &record_id);

	if (!err && fq_req_query(r, "kind"))
		err = fq_in_query_choice(r, "kind", kinds, &kind);
	return err ? err : fq_api_reply(r, 200, fq_attachment_list(&c, owner, record_id, kind));
}

FQ_HANDLER(fq_api_attachments_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err
		   : fq_api_reply(r, 200, fq_attachment_get(&c, fq_attach_owners(), id, NULL));
}

static enum fq_err send_bytes(struct fq_req *r, bool thumbnail)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_attachment_bytes b;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		err = fq_attachment_read(&c, fq_attach_owners(), id, thumbnail, &b);
	if (err)
		return err;
	if (b.owner->sensitive && !thumbnail) {
		/* A sensitive record's file leaves the server: audited. */
		r->audit.force = true;
		r->audit.action = "attachment.download";
		note(r, id, b.record_type, b.record_id);
	}
	r->status = 200;
	r->raw_body = b.len ? b.data : "";
	r->raw_len = b.len;
	r->raw_type = b.content_type;
	r->disposition = fq_api_disposition(r, thumbnail ? fq_arena_printf(r->arena, "thumbnail-%s.jpg",
								     b.name)
						  : b.name);
	return FQ_OK;
}

FQ_HANDLER(fq_api_attachments_content)
{
	return send_bytes(r, false);
}

FQ_HANDLER(fq_api_attachments_thumbnail)
{
	return send_bytes(r, true);
}

FQ_HANDLER(fq_api_attachments_delete)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *record_type;
	int64_t id, record_id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		err = fq_attachment_delete(&c, fq_attach_owners(), id, &record_type, &record_id);
	if (err)
		return err;
	note(r, id, record_type, record_id);
	return fq_api_reply(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* Who may do what. The route permissions say who handles attachments at
 * all; each call then needs the record's own permission and scope (its
 * module's fq_attach_owner). Uploads and deletes are audited as writes;
 * downloads of a sensitive record's files are audited in the handler. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/attachments",           fq_api_attachments_list,      "attachment.read", NULL,                 0, "the attachments of a record"},
	{"POST",   "/api/attachments",           fq_api_attachments_create,    "attachment.write", "attachment.create", FQ_UPLOAD, "attach a file to a record (the body is the file)"},
	{"GET",    "/api/attachments/{id}",      fq_api_attachments_get,       "attachment.read", NULL,                 0, "one attachment"},
	{"GET",    "/api/attachments/{id}/content", fq_api_attachments_content, "attachment.read", NULL,                FQ_RAW, "download the file (audited for sensitive records)"},
	{"GET",    "/api/attachments/{id}/thumbnail", fq_api_attachments_thumbnail, "attachment.read", NULL,            FQ_RAW, "the image's thumbnail (JPEG)"},
	{"DELETE", "/api/attachments/{id}",      fq_api_attachments_delete,    "attachment.write", "attachment.delete", 0, "delete (who attached it, or the chief)"},
};

static const struct fq_permission_grant permissions[] = {
	{"attachment.read",  "chief officer aux mediator"},
	{"attachment.write", "chief officer aux mediator"},
	{NULL, NULL},
};

/* Exported before the modules whose records refer to attachments (the
 * on-site record's signatures). */
static const struct fq_dump_table tables[] = {
	{"attachments", {"id"}, NULL},
	/* Up to max_attachment a row: a few rows per query, not PAGE. */
	{"attachment_contents", {"id"}, NULL, 4},
	{NULL, {NULL}, NULL},
};

const struct fq_module fq_module_attachments = {
	.name = "attachments",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.tables = tables,
};
