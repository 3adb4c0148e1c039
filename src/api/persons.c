/* The /api/persons handlers: list, create, get, update, unmask (audited) and
 * the timeline of a person. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/banned.h"
#include "domain/person.h"
#include "http/request.h"

FQ_HANDLER(fq_api_persons_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page;
	const char *q, *id_number, *doc_type = "id_card";
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_text(r, "q", 50, &q);
	if (!err)
		err = fq_in_query_text(r, "id_number", 30, &id_number);
	if (!err && fq_req_query(r, "doc_type")) {
		doc_type = NULL;
		for (int i = 0; fq_person_doc_types[i]; i++)
			if (!strcmp(fq_person_doc_types[i], fq_req_query(r, "doc_type")))
				doc_type = fq_person_doc_types[i];
		if (!doc_type)
			err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "doc_type",
					  "unknown document type");
	}
	if (err)
		return err;
	items = fq_person_list(&c, q, id_number, doc_type, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_persons_create)
{
	static const char *const fields[] = {"name", "doc_type", "id_number", "phone",
					     "address_id", "org_id", "tags", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_person_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &in.name);
	if (!err)
		err = fq_in_choice(r, "doc_type", FQ_IN_REQUIRED, fq_person_doc_types, &in.doc_type);
	if (!err)
		err = fq_in_text(r, "id_number", FQ_IN_REQUIRED, 30, &in.id_number);
	if (!err)
		err = fq_in_text(r, "phone", FQ_IN_NULLABLE, 20, &in.phone);
	if (!err)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.address_id, NULL);
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_in_choice_list(r, "tags", FQ_IN_NULLABLE, fq_person_tags, 10, &in.tags);
	if (!err)
		err = fq_person_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "person", id);
	return fq_api_reply(r, 201, fq_person_get(&c, id));
}

FQ_HANDLER(fq_api_persons_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_person_get(&c, id));
}

FQ_HANDLER(fq_api_persons_update)
{
	static const char *const fields[] = {"name", "phone", "address_id", "org_id", "tags", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_person_input in = {0};
	bool has_address = false;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "person", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "name", FQ_IN_NOT_EMPTY, 50, &in.name);
	if (!err && fq_in_has(r, "phone")) {
		err = fq_in_text(r, "phone", FQ_IN_NULLABLE, 20, &in.phone);
		if (!in.phone)
			in.phone = ""; /* null removes the phone */
	}
	if (!err && fq_in_has(r, "address_id")) {
		in.address_id = -1; /* null removes the address */
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.address_id,
				&has_address);
	}
	if (!err)
		err = fq_in_int(r, "org_id", 0, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_in_choice_list(r, "tags", 0, fq_person_tags, 10, &in.tags);
	if (!err)
		err = fq_person_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_person_get(&c, id));
}

FQ_HANDLER(fq_api_persons_unmask)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (err)
		return err;
	fq_api_audit_object(r, "person", id);
	r->audit.detail = "id_number phone";
	return fq_api_reply(r, 200, fq_person_unmask(&c, id));
}

FQ_HANDLER(fq_api_persons_timeline)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	json_t *items;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (err)
		return err;
	items = fq_person_timeline(&c, id);
	return fq_api_reply(r, 200, items ? json_pack("{s:o}", "items", items) : NULL);
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/persons",               fq_api_persons_list,          "person.read",   NULL,                   0, "search persons (masked)"},
	{"POST",   "/api/persons",               fq_api_persons_create,        "person.write",  "person.create",        0, "register a person"},
	{"GET",    "/api/persons/{id}",          fq_api_persons_get,           "person.read",   NULL,                   0, "one person (masked)"},
	{"PATCH",  "/api/persons/{id}",          fq_api_persons_update,        "person.write",  "person.update",        0, "change a person"},
	{"POST",   "/api/persons/{id}/unmask",   fq_api_persons_unmask,        "person.unmask", "person.unmask",        0, "show ID number and phone (audited)"},
	{"GET",    "/api/persons/{id}/timeline", fq_api_persons_timeline,      "person.read",   NULL,                   0, "one person, one file"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"person.read",   "chief officer aux"},
	{"person.write",  "chief officer aux"},
	{"person.unmask", "chief officer"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"persons", {"id"}, NULL},
	{"person_events", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label doc_types[] = {
	{"id_card", "居民身份证", "Resident ID card"},
	{"passport", "护照", "Passport"},
	{"hk_macau_permit", "港澳居民来往内地通行证", "Hong Kong / Macau permit"},
	{"taiwan_permit", "台湾居民来往大陆通行证", "Taiwan permit"},
	{"foreign_permanent", "外国人永久居留身份证", "Foreign permanent residence ID"},
	{"other", "其他证件", "Other document"},
	{NULL},
};

static const struct fq_export_label sexes[] = {
	{"M", "男", "Male"},
	{"F", "女", "Female"},
	{NULL},
};

static const struct fq_export_label tag_names[] = {
	{"elderly", "老年人", "Elderly"},
	{"disabled", "残疾人", "Disabled"},
	{"minor", "未成年人", "Minor"},
	{"foreigner", "外籍人员", "Foreigner"},
	{"special_group", "特殊群体", "Special group"},
	{NULL},
};

static const struct fq_export_column person_columns[] = {
	{"name", "姓名", "Name", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"doc_type", "证件类型", "Document", FQ_COL_TEXT, 14, 0, doc_types, NULL},
	{"id_number", "证件号码", "Document number", FQ_COL_TEXT, 21, FQ_COL_MASKED, NULL, NULL},
	{"sex", "性别", "Sex", FQ_COL_TEXT, 6, 0, sexes, NULL},
	{"birth_date", "出生日期", "Born", FQ_COL_DATE, 11, 0, NULL, NULL},
	{"phone", "联系电话", "Phone", FQ_COL_TEXT, 13, FQ_COL_MASKED, NULL, NULL},
	{"address_text", "住址", "Address", FQ_COL_TEXT, 36, 0, NULL, NULL},
	{"tags", "标签", "Tags", FQ_COL_LIST, 16, 0, tag_names, NULL},
	{"created_at", "登记时间", "Registered", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"persons", fq_api_persons_list, "person.export", "实有人口", "Persons", person_columns,
	 "person.unmask", fq_person_unmask},
	{NULL},
};

const struct fq_module fq_module_persons = {
	.name = "persons",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_persons, /* src/cli/demo_persons.c */
	.tables = tables,
	.search = fq_person_search, /* what the full-text index holds */
	.exports = exports,
};
