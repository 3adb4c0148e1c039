/* The rules of persons: ID numbers and phones checked, encrypted and masked,
 * scope, unmask and the person's timeline. */
#include "domain/person.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/principal.h"
#include "auth/secret.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/org.h"
#include "search/source.h"
#include "store/person_store.h"
#include "store/search_store.h"

const char *const fq_person_doc_types[] = {
	"id_card", "passport", "hk_macau_permit", "taiwan_permit", "foreign_permanent", "other",
	NULL,
};
const char *const fq_person_tags[] = {
	"elderly", "disabled", "minor", "foreigner", "special_group", NULL,
};
/* registered {}; incident_caller {number}; incident_party {number, role};
 * legacy {text}: a title written before codes that no code matched. */
const char *const fq_person_event_codes[] = {
	"registered", "incident_caller", "incident_party", "legacy", NULL,
};

/* A document number other than an ID card: 5–30 letters, digits or '-',
 * upper-cased. */
static const char *other_doc(struct fq_ctx *c, const char *s)
{
	size_t n = strlen(s);
	char *out;

	if (n < 5 || n > 30) {
		fq_fail(c->e, FQ_ERR_INVALID, NULL, "id_number",
			"a document number has 5 to 30 characters");
		return NULL;
	}
	out = fq_arena_strdup(c->arena, s);
	for (size_t i = 0; out && i < n; i++) {
		if (!isalnum((unsigned char)out[i]) && out[i] != '-') {
			fq_fail(c->e, FQ_ERR_INVALID, NULL, "id_number",
				"a document number holds only letters, digits and '-'");
			return NULL;
		}
		out[i] = (char)toupper((unsigned char)out[i]);
	}
	return out;
}

/* The keyed hash covers the type, so equal numbers of different documents differ. */
static void doc_hash(struct fq_ctx *c, const char *doc_type, const char *number, char out[65])
{
	char *key = fq_arena_printf(c->arena, "%s:%s", doc_type, number);

	fq_keyed_hash(c->keys, key ? key : number, out);
}

/* Seals the phone (NULL or "" = none) into f. Returns an error after fq_fail. */
static enum fq_err set_phone(struct fq_ctx *c, const char *phone, struct fq_person_fields *f,
			     unsigned char **sealed)
{
	char *mask;

	f->phone_enc = NULL;
	f->phone_enc_len = 0;
	f->phone_mask = NULL;
	if (!phone || !*phone)
		return FQ_OK;
	if (fq_phone_check(phone, c->e))
		return c->e->err;
	mask = fq_arena_alloc(c->arena, 32);
	if (!mask || fq_seal(c->keys, phone, strlen(phone), sealed, &f->phone_enc_len))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_phone_mask(phone, mask, 32);
	f->phone_enc = *sealed;
	f->phone_mask = mask;
	return FQ_OK;
}

/* Where the person belongs: the given unit, the address's grid, or the
 * caller's own unit. */
static enum fq_err set_org(struct fq_ctx *c, int64_t org_id, int64_t address_id,
			   struct fq_person_fields *f)
{
	json_t *addr;

	if (address_id > 0) {
		addr = fq_address_get(c, address_id, "address_id");
		if (!addr)
			return c->e->err;
		if (!org_id)
			org_id = json_integer_value(json_object_get(addr, "grid_id"));
		json_decref(addr);
	}
	if (!org_id)
		org_id = c->who->org_id;
	f->org_id = org_id;
	return fq_org_visible(c, org_id, "org_id", &f->org_path, NULL);
}

enum fq_err fq_person_create(struct fq_ctx *c, const struct fq_person_input *in, int64_t *id)
{
	struct fq_person_fields f = {.name = in->name, .doc_type = in->doc_type,
				     .address_id = in->address_id, .tags = in->tags ? in->tags : "",
				     .created_by = c->who->user_id};
	unsigned char *id_sealed = NULL, *phone_sealed = NULL;
	struct fq_idcard card;
	const char *number;
	char hash[65], *mask;
	enum fq_err err;

	if (!strcmp(in->doc_type, "id_card")) {
		err = fq_idcard_check(in->id_number, fq_time_now_ms(), &card, c->e);
		if (err)
			return err;
		number = fq_arena_strdup(c->arena, card.number);
		mask = fq_arena_alloc(c->arena, 19);
		if (!number || !mask)
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		fq_idcard_mask(card.number, mask);
		f.sex = card.sex == 'M' ? "M" : "F";
		f.birth_date = fq_arena_strdup(c->arena, card.birth_date);
	} else {
		number = other_doc(c, in->id_number);
		mask = fq_arena_alloc(c->arena, 40);
		if (!number || !mask)
			return c->e->err ? c->e->err : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		fq_mask_middle(number, 2, 2, mask, 40);
	}
	f.id_mask = mask;
	doc_hash(c, in->doc_type, number, hash);
	f.id_hash = hash;
	err = set_org(c, in->org_id, in->address_id, &f);
	if (!err)
		err = set_phone(c, in->phone, &f, &phone_sealed);
	if (err)
		goto out;
	if (fq_seal(c->keys, number, strlen(number), &id_sealed, &f.id_enc_len)) {
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto out;
	}
	f.id_enc = id_sealed;
	err = fq_store_person_insert(c->db, &f, id);
	if (err == FQ_ERR_CONFLICT)
		err = fq_fail(c->e, err, NULL, "id_number",
			      "a person with this document number is registered already");
	else if (!err)
		err = fq_store_person_event(c->db, *id, "registered", "registered", NULL, "person",
					    *id);
	if (!err)
		err = fq_search_index(c->db, fq_person_search, *id);
	if (err)
		fq_fail_keep(c->e, err, NULL);
out:
	free(id_sealed);
	free(phone_sealed);
	return err;
}

/* The stored person when in scope, with org_path still in it. */
static json_t *visible_person(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *row = fq_store_person_json(c->db, id, &err);

	if (!err && !fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path"))))
		err = FQ_ERR_NOT_FOUND;
	if (err) {
		json_decref(row);
		fq_fail(c->e, err, NULL, NULL, err == FQ_ERR_NOT_FOUND ? "no such person" : NULL);
		return NULL;
	}
	return row;
}

/* Turns the stored row into the API shape: tags as a list, no org_path. */
static json_t *present(json_t *row)
{
	const char *tags = json_string_value(json_object_get(row, "tags"));
	json_t *list = json_array();

	while (tags && *tags) {
		const char *sp = strchr(tags, ' ');
		size_t n = sp ? (size_t)(sp - tags) : strlen(tags);
		json_array_append_new(list, json_stringn(tags, n));
		tags = sp ? sp + 1 : tags + n;
	}
	json_object_set_new(row, "tags", list);
	json_object_del(row, "org_path");
	return row;
}

enum fq_err fq_person_update(struct fq_ctx *c, int64_t id, const struct fq_person_input *in)
{
	json_t *row = visible_person(c, id);
	struct fq_person_fields f = {0};
	unsigned char *phone_sealed = NULL;
	void *id_enc = NULL, *phone_enc = NULL;
	size_t id_len = 0, phone_len = 0;
	int64_t address_id;
	enum fq_err err;

	if (!row)
		return c->e->err;
	f.name = in->name ? in->name
			  : fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "name")));
	f.tags = in->tags ? in->tags
			  : fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "tags")));
	address_id = in->address_id > 0   ? in->address_id
		     : in->address_id < 0 ? 0
					  : json_integer_value(json_object_get(row, "address_id"));
	f.address_id = address_id;
	f.org_path = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "org_path")));
	f.org_id = json_integer_value(json_object_get(row, "org_id"));
	if (in->address_id > 0 || in->org_id)
		err = set_org(c, in->org_id, in->address_id > 0 ? address_id : 0, &f);
	else
		err = FQ_OK;
	if (!err && in->phone) {
		err = set_phone(c, in->phone, &f, &phone_sealed);
	} else if (!err) {
		/* Keep the stored phone as it is. */
		err = fq_store_person_sealed(c->db, id, &id_enc, &id_len, &phone_enc, &phone_len);
		f.phone_enc = phone_enc;
		f.phone_enc_len = phone_len;
		f.phone_mask = fq_arena_strdup(c->arena,
					       json_string_value(json_object_get(row, "phone")));
		if (err)
			fq_fail(c->e, err, NULL, NULL, NULL);
	}
	if (!err && (err = fq_store_person_update(c->db, id, &f)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	/* Name and unit are what search finds and checks. */
	if (!err && (err = fq_search_index(c->db, fq_person_search, id)))
		fq_fail(c->e, err, NULL, NULL, "cannot index the person for search");
	json_decref(row);
	free(phone_sealed);
	free(id_enc);
	free(phone_enc);
	return err;
}

json_t *fq_person_get(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_person(c, id);

	return row ? present(row) : NULL;
}

json_t *fq_person_list(struct fq_ctx *c, const char *name, const char *id_number,
		       const char *doc_type, int64_t page, int64_t per_page)
{
	char lo[256], hi[256], hash[65];
	const char *number = NULL;
	struct fq_idcard card;
	enum fq_err err;
	json_t *rows, *row;
	size_t i;

	if (id_number) {
		if (!strcmp(doc_type, "id_card")) {
			if (fq_idcard_check(id_number, fq_time_now_ms(), &card, c->e))
				return NULL;
			number = card.number;
		} else if (!(number = other_doc(c, id_number))) {
			return NULL;
		}
		doc_hash(c, doc_type, number, hash);
	}
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_person_list(c->db, lo, hi, name, number ? hash : NULL, per_page + 1,
				    (page - 1) * per_page, &err);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row)
		present(row);
	return rows;
}

json_t *fq_person_unmask(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_person(c, id), *out = NULL;
	void *id_enc = NULL, *phone_enc = NULL;
	size_t id_len = 0, phone_len = 0;
	char *number = NULL, *phone = NULL;
	enum fq_err err;

	if (!row)
		return NULL;
	json_decref(row);
	err = fq_store_person_sealed(c->db, id, &id_enc, &id_len, &phone_enc, &phone_len);
	if (!err && id_enc && fq_unseal(c->keys, id_enc, id_len, &number))
		err = FQ_ERR_INTERNAL;
	if (!err && phone_enc && fq_unseal(c->keys, phone_enc, phone_len, &phone))
		err = FQ_ERR_INTERNAL;
	if (err)
		fq_fail(c->e, err, NULL, NULL, "cannot decrypt the record: is the key file right?");
	else
		out = json_pack("{s:s?,s:s?}", "id_number", number, "phone", phone);
	free(id_enc);
	free(phone_enc);
	free(number);
	free(phone);
	return out;
}

json_t *fq_person_timeline(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_person(c, id), *items;
	enum fq_err err;

	if (!row)
		return NULL;
	json_decref(row);
	items = fq_store_person_events(c->db, id, &err);
	if (err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return items;
}

/* ---- full-text search (search/source.h) ---- */

/* A whole document number: an ID card's (checked like on registration) or
 * another document's, through the keyed hash. Never a part of one: the
 * number is stored sealed and its hash only matches it whole, and an index of
 * parts (the last digits) would give away most of a number that has little
 * entropy to begin with. */
static enum fq_err search_exact(struct fq_ctx *c, const char *q, int64_t *ids, size_t max,
				size_t *n)
{
	struct fq_error ignored = {0};
	struct fq_idcard card;
	char lo[256], hi[256], hash[65], number[32];
	size_t len = q ? strlen(q) : 0;
	bool other = len >= 5 && len <= 30;

	*n = 0;
	for (size_t i = 0; other && i < len; i++) {
		if (!isalnum((unsigned char)q[i]) && q[i] != '-')
			other = false;
		number[i] = (char)toupper((unsigned char)q[i]);
	}
	if (other)
		number[len] = '\0';
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	for (int t = 0; fq_person_doc_types[t] && *n < max; t++) {
		const char *type = fq_person_doc_types[t], *num;
		enum fq_err err = FQ_OK;
		json_t *rows, *row;
		size_t k;

		if (!strcmp(type, "id_card")) {
			if (fq_idcard_check(q, fq_time_now_ms(), &card, &ignored))
				continue;
			num = card.number;
		} else if (other) {
			num = number;
		} else {
			continue;
		}
		doc_hash(c, type, num, hash);
		rows = fq_store_person_list(c->db, lo, hi, NULL, hash, (int64_t)(max - *n), 0, &err);
		if (!rows)
			return fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		json_array_foreach(rows, k, row)
			if (*n < max)
				ids[(*n)++] = json_integer_value(json_object_get(row, "id"));
		json_decref(rows);
	}
	return FQ_OK;
}

/* As GET /api/persons shows them: the name, the masked number and phone,
 * the address. */
static json_t *search_items(struct fq_ctx *c, json_t *ids)
{
	json_t *out = json_array(), *id;
	enum fq_err err = FQ_OK;
	size_t k;

	json_array_foreach(ids, k, id) {
		json_t *row = fq_store_person_json(c->db, json_integer_value(id), &err), *it;
		const char *parts[3], *name;
		char *text = NULL;
		int np = 0;

		if (err == FQ_ERR_NOT_FOUND) {
			err = FQ_OK;
			continue;
		}
		if (err)
			break;
		if (!fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path")))) {
			json_decref(row);
			continue;
		}
		name = json_string_value(json_object_get(row, "name"));
		parts[np++] = json_string_value(json_object_get(row, "id_number"));
		if (json_is_string(json_object_get(row, "phone")))
			parts[np++] = json_string_value(json_object_get(row, "phone"));
		if (json_is_string(json_object_get(row, "address_text")))
			parts[np++] = json_string_value(json_object_get(row, "address_text"));
		text = fq_arena_printf(c->arena, "%s · %s%s%s%s%s", name ? name : "",
				       parts[0] ? parts[0] : "", np > 1 ? " · " : "",
				       np > 1 ? parts[1] : "", np > 2 ? " · " : "", np > 2 ? parts[2] : "");
		it = json_pack("{s:O, s:s, s:[s], s:n}", "id", json_object_get(row, "id"), "title",
			       name ? name : "", "texts", text ? text : "", "url_hint");
		json_decref(row);
		if (!it || json_array_append_new(out, it)) {
			err = FQ_ERR_NOMEM;
			break;
		}
	}
	if (!err && out)
		return out;
	json_decref(out);
	fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return NULL;
}

/* As a module declares it (api/module.h: ends with {NULL}). */
const struct fq_search_source fq_person_search[] = {
	{
		.type = "person",
		.code = 2,
		.permission = "person.read",
		.docs = fq_store_person_search_docs,
		.exact = search_exact,
		.items = search_items,
	},
	{NULL},
};
