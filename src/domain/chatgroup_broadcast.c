/* Broadcasts to the community chat groups (domain/chatgroup.h): written
 * once, queued to each group's robot through the outbox in the same
 * transaction, the other groups posted by hand; and found by full-text
 * search (type 'broadcast', code 27). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/principal.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/chatgroup.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "domain/outbox.h"
#include "search/source.h"
#include "store/chatgroup_store.h"
#include "store/search_store.h"
#include "core/banned.h"

const char *const fq_broadcast_kinds[] = {"fraud", "alert", "notice", NULL};

static const char *kind_words(const char *kind)
{
	static const char *const words[] = {"反诈提醒", "预警", "通知"};

	for (int i = 0; fq_broadcast_kinds[i]; i++)
		if (!strcmp(kind, fq_broadcast_kinds[i]))
			return words[i];
	return kind;
}

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
}

/* The deepest unit path holding both a and b ("/1/2/5/" and "/1/2/7/" →
 * "/1/2/"), cut in place in a. */
static void common_path(char *a, const char *b)
{
	size_t i = 0, cut = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '/')
			cut = i + 1;
		i++;
	}
	if (a[i] || b[i])
		a[cut] = '\0';
}

/* The groups the broadcast goes to, checked (named "group_ids[i]"), and the
 * path holding them all. */
static enum fq_err targets(struct fq_ctx *c, const struct fq_broadcast_input *in,
			   struct fq_chatgroup_row *rows, size_t *n, char *path, size_t path_size)
{
	int64_t ids[FQ_BROADCAST_MAX_GROUPS];
	const int64_t *want = in->group_ids;
	size_t count = in->ngroups;
	enum fq_err err = FQ_OK;

	if (in->org_id && in->ngroups)
		return fq_fail(c->e, FQ_ERR_INVALID, "either", "org_id",
			       "org_id: choose groups or a unit, not both");
	if (in->org_id) {
		char lo[256], hi[256];
		const char *unit;

		if ((err = fq_org_visible(c, in->org_id, "org_id", &unit, NULL)))
			return err;
		fq_principal_scope(c->who, lo, hi, sizeof(lo));
		err = fq_store_chatgroup_ids_under(c->db, unit, c->who->whole_tree ? NULL : lo, hi,
						   ids, FQ_BROADCAST_MAX_GROUPS, &count);
		if (err)
			return store_fail(c, err);
		if (!count)
			return fq_fail(c->e, FQ_ERR_INVALID, "no_groups", "org_id",
				       "org_id: the unit has no chat group");
		want = ids;
	} else if (!count) {
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "group_ids",
			       "group_ids: choose at least one group");
	}
	for (size_t i = 0; i < count; i++) {
		err = fq_store_chatgroup_row(c->db, want[i], &rows[i]);
		if (err == FQ_ERR_NOT_FOUND ||
		    (!err && (rows[i].deleted || !fq_principal_sees(c->who, rows[i].org_path))))
			return fq_fail(c->e, FQ_ERR_INVALID, "not_found",
				       fq_arena_printf(c->arena, "group_ids[%zu]", i),
				       "group_ids[%zu]: no such chat group", i);
		if (err)
			return store_fail(c, err);
		if (!i)
			snprintf(path, path_size, "%s", rows[i].org_path);
		else
			common_path(path, rows[i].org_path);
	}
	*n = count;
	return FQ_OK;
}

static const struct fq_search_source *source(void)
{
	return &fq_broadcast_search[0];
}

enum fq_err fq_broadcast_send(struct fq_ctx *c, const struct fq_broadcast_input *in, int64_t *id)
{
	struct fq_chatgroup_row *rows =
		fq_arena_alloc(c->arena, sizeof(*rows) * FQ_BROADCAST_MAX_GROUPS);
	char path[256] = "";
	size_t n = 0;
	const char *title;
	enum fq_err err;

	if (!rows)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = targets(c, in, rows, &n, path, sizeof(path));
	if (!err) {
		struct fq_store_broadcast_fields f = {path, in->kind, in->title, in->body};

		if ((err = fq_store_broadcast_insert(c->db, &f, c->who->user_id, fq_time_now_ms(),
						     id)))
			store_fail(c, err);
	}
	/* The robots' title names the kind: 反诈提醒：… */
	title = fq_arena_printf(c->arena, "%s：%s", kind_words(in->kind), in->title);
	for (size_t i = 0; !err && i < n; i++) {
		int64_t delivery = 0;

		if (rows[i].channel_id)
			err = fq_outbox_enqueue_channel(c, rows[i].channel_id, title, in->body,
							&delivery);
		if (!err && (err = fq_store_broadcast_target_insert(c->db, *id, rows[i].id, delivery)))
			store_fail(c, err);
	}
	if (!err && (err = fq_search_index_new(c->db, source(), *id)))
		store_fail(c, err);
	return err;
}

/* The broadcast when it is in the caller's scope. */
static json_t *load(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *b = fq_store_broadcast_json(c->db, id, &err);

	if (b && !fq_principal_sees(c->who, json_string_value(json_object_get(b, "org_path")))) {
		json_decref(b);
		b = NULL;
		err = FQ_ERR_NOT_FOUND;
	}
	if (!b && err == FQ_ERR_NOT_FOUND)
		fq_fail(c->e, err, NULL, NULL, "no such broadcast");
	else if (!b)
		store_fail(c, err);
	return b;
}

json_t *fq_broadcast_get(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *b = load(c, id), *t;

	if (!b)
		return NULL;
	t = fq_store_broadcast_targets(c->db, id, &err);
	if (!t) {
		json_decref(b);
		store_fail(c, err);
		return NULL;
	}
	json_object_set_new(b, "text",
			    json_sprintf("【%s】%s\n%s", kind_words(json_string_value(json_object_get(b, "kind"))),
					 json_string_value(json_object_get(b, "title")),
					 json_string_value(json_object_get(b, "body"))));
	json_object_set_new(b, "targets", t);
	json_object_del(b, "org_path");
	return b;
}

json_t *fq_broadcast_list(struct fq_ctx *c, struct fq_broadcast_filter *f, int64_t page,
			  int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_broadcast_list(c->db, f, c->who->whole_tree ? NULL : lo, hi,
				       (page - 1) * per_page, per_page + 1, after, &err);
	if (!rows)
		store_fail(c, err);
	return rows;
}

enum fq_err fq_broadcast_posted(struct fq_ctx *c, int64_t id, int64_t group_id)
{
	json_t *b = load(c, id);
	struct fq_chatgroup_row row;
	enum fq_err err;

	if (!b)
		return c->e->err;
	json_decref(b);
	err = fq_store_chatgroup_row(c->db, group_id, &row);
	if (!err && !fq_principal_sees(c->who, row.org_path))
		err = FQ_ERR_NOT_FOUND;
	if (!err)
		err = fq_store_broadcast_posted(c->db, id, group_id, c->who->user_id,
						fq_time_now_ms());
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "group_id",
			       "group_id: the broadcast did not go to this group");
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, "not_by_hand", "group_id",
			       "group_id: the group's robot sends it, or it is marked posted already");
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- full-text search ---- */

struct walk {
	fq_search_doc_fn fn;
	void *arg;
	struct fq_ctx *c;
	json_t *out;
};

static enum fq_err doc_of(void *arg, const struct fq_store_broadcast_search_row *r)
{
	struct walk *w = arg;
	char head[512], kind[48];
	struct fq_search_doc doc = {.id = r->id, .org_path = r->org_path, .head = head,
				    .body = r->body};

	snprintf(head, sizeof(head), "%s %s", r->title, kind_words(r->kind));
	snprintf(kind, sizeof(kind), "kind=%s", r->kind);
	doc.keys[0] = kind;
	return w->fn(w->arg, &doc);
}

static enum fq_err docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			fq_search_doc_fn fn, void *arg)
{
	struct walk w = {.fn = fn, .arg = arg};

	return fq_store_broadcast_search_rows(db, from, to, limit, doc_of, &w);
}

static enum fq_err item_of(void *arg, const struct fq_store_broadcast_search_row *r)
{
	struct walk *w = arg;
	char url[64];
	json_t *it;

	if (!fq_principal_sees(w->c->who, r->org_path))
		return FQ_OK; /* not the caller's: left out */
	snprintf(url, sizeof(url), "/#/broadcasts/%lld", (long long)r->id);
	it = json_pack("{s:I, s:s, s:[s,s], s:s}", "id", (json_int_t)r->id, "title", r->title,
		       "texts", r->body, kind_words(r->kind), "url_hint", url);
	return it && !json_array_append_new(w->out, it) ? FQ_OK : FQ_ERR_NOMEM;
}

static enum fq_err item(struct fq_ctx *c, int64_t id, json_t *out)
{
	struct walk w = {.c = c, .out = out};

	return fq_store_broadcast_search_rows(c->db, id, id, 1, item_of, &w);
}

static json_t *items(struct fq_ctx *c, json_t *ids)
{
	return fq_search_items_each(c, ids, item);
}

/* Type 'broadcast', code 27 (the migration's number: codes of the issue's
 * other modules will not meet it). */
const struct fq_search_source fq_broadcast_search[] = {
	{
		.type = "broadcast",
		.code = 27,
		.permission = "chatgroup.read",
		.docs = docs,
		.items = items,
	},
	{NULL},
};
