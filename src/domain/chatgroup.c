/* The rules of community chat groups: domain/chatgroup.h. Broadcasts are
 * domain/chatgroup_broadcast.c. */
#include "domain/chatgroup.h"

#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "domain/outbox.h"
#include "store/chatgroup_store.h"
#include "store/incident_store.h"
#include "store/user_store.h"
#include "core/banned.h"

const char *const fq_chatgroup_platforms[] = {"wechat", "wecom", "dingtalk", "other", NULL};

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
}

static enum fq_err invalid(struct fq_ctx *c, const char *code, const char *field, const char *msg)
{
	return fq_fail(c->e, FQ_ERR_INVALID, code, field, "%s: %s", field, msg);
}

static bool has_robot(const char *platform)
{
	return !strcmp(platform, "wecom") || !strcmp(platform, "dingtalk");
}

/* The group when it is there and in the caller's scope. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_chatgroup_row *row)
{
	enum fq_err err = fq_store_chatgroup_row(c->db, id, row);

	if (!err && (row->deleted || !fq_principal_sees(c->who, row->org_path)))
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such chat group");
	return err ? store_fail(c, err) : FQ_OK;
}

/* The officer in charge: an active chief, officer or aux the caller sees, of
 * the group's station. */
static enum fq_err check_officer(struct fq_ctx *c, int64_t user_id, const struct fq_station *st)
{
	struct fq_user_row u;
	enum fq_err err = fq_org_check_user(c, user_id, "officer_id", NULL);

	if (!err && (err = fq_store_user_get(c->db, user_id, &u)))
		return store_fail(c, err);
	if (err)
		return err;
	if (strcmp(u.role, "chief") && strcmp(u.role, "officer") && strcmp(u.role, "aux"))
		return invalid(c, "not_staff", "officer_id",
			       "choose the chief, a police officer or an auxiliary officer");
	if (strncmp(u.org_path, st->path, strlen(st->path)))
		return invalid(c, "other_station", "officer_id",
			       "the user belongs to another station than the group's unit");
	return FQ_OK;
}

/* "qyapi.weixin.qq.com/…Ab3x": the host and the last four characters; the
 * rest (the robot's key) is never shown. */
static const char *robot_shown(struct fq_ctx *c, const char *url)
{
	const char *host = strstr(url, "://"), *end, *at;
	size_t n = strlen(url);

	host = host ? host + 3 : url;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	if (at)
		host = at + 1;
	return fq_arena_printf(c->arena, "%.*s/…%s", (int)(end - host), host,
			       n > 4 ? url + n - 4 : "");
}

/* The robot's fields, checked with the group's field names. */
static enum fq_err check_robot(struct fq_ctx *c, const char *platform, const char *url,
			       const char *secret, bool had_robot)
{
	bool robot = url ? *url : had_robot;

	if (url && *url && !has_robot(platform))
		return invalid(c, "no_robot", "robot_url",
			       "only WeChat Work and DingTalk groups can have a robot");
	if (!url && had_robot && !has_robot(platform))
		return invalid(c, "no_robot", "robot_url",
			       "a WeChat or other group has no robot: remove the robot too");
	if (url && *url &&
	    fq_outbox_url_check(url, c->cfg && c->cfg->outbox_allow_private, "robot_url", c->e))
		return c->e->err;
	if (secret && *secret && !robot)
		return invalid(c, "no_robot", "robot_secret", "give the robot's address too");
	if (secret && *secret && strcmp(platform, "dingtalk"))
		return invalid(c, "not_dingtalk", "robot_secret",
			       "only a DingTalk robot signs its messages: a WeChat Work robot's key"
			       " is in its address");
	return FQ_OK;
}

/* Creates, changes or deletes the robot's channel as the input says; sets
 * f->channel_id and f->robot_shown. */
static enum fq_err save_robot(struct fq_ctx *c, const struct fq_chatgroup_input *in,
			      const struct fq_chatgroup_row *row, const struct fq_station *st,
			      struct fq_store_chatgroup_fields *f)
{
	int64_t channel = row ? row->channel_id : 0;
	bool kind_changed = row && channel && strcmp(row->platform, f->platform);
	enum fq_err err = FQ_OK;

	if (in->robot_url && !*in->robot_url) {
		f->channel_id = 0;
		f->robot_shown = NULL;
		return channel ? fq_outbox_robot_delete(c, channel) : FQ_OK;
	}
	if (!in->robot_url && !(channel && (in->robot_secret || kind_changed || in->name)))
		return FQ_OK; /* the robot as it was */
	if (kind_changed && !in->robot_url)
		return invalid(c, "required", "robot_url",
			       "the group moved to another platform: give its robot's new address");
	if (kind_changed) {
		err = fq_outbox_robot_delete(c, channel);
		channel = 0;
	}
	if (!err) {
		struct fq_outbox_robot r = {
			.station_id = st->id, .org_path = st->path, .owner = "chatgroup",
			.kind = f->platform, .name = f->name, .url = in->robot_url,
			.secret = in->robot_secret,
		};

		err = fq_outbox_robot_save(c, &r, &channel);
	}
	f->channel_id = channel;
	if (in->robot_url)
		f->robot_shown = robot_shown(c, in->robot_url);
	return err;
}

/* The fields of a write: the input over the group as it is (row NULL: new). */
static enum fq_err write_group(struct fq_ctx *c, const struct fq_chatgroup_input *in,
			       const struct fq_chatgroup_row *row, json_t *old, int64_t *id)
{
	struct fq_store_chatgroup_fields f = {
		.name = in->name ? in->name : row ? row->name : NULL,
		.platform = in->platform ? in->platform : row ? row->platform : NULL,
		.org_id = in->org_id ? in->org_id : row ? row->org_id : 0,
		.officer_id = in->officer_id > 0 ? in->officer_id
			      : in->officer_id < 0 ? 0
			      : row		   ? row->officer_id
						   : 0,
		.members = in->has_members ? in->members
			   : old	   ? json_integer_value(json_object_get(old, "members"))
					   : 0,
		.note = in->note ? (*in->note ? in->note : NULL)
			: old	 ? json_string_value(json_object_get(old, "note"))
				 : NULL,
		.channel_id = row ? row->channel_id : 0,
		.robot_shown = old ? json_string_value(json_object_get(old, "robot_shown")) : NULL,
	};
	struct fq_station st;
	enum fq_err err = fq_org_visible(c, f.org_id, "org_id", &f.org_path, NULL);

	if (err)
		return err;
	err = fq_store_station_of(c->db, f.org_path, &st);
	if (err == FQ_ERR_NOT_FOUND)
		return invalid(c, "no_station", "org_id",
			       "choose a unit of a station (a station, beat, community or grid)");
	if (err)
		return store_fail(c, err);
	if (f.officer_id && (!row || f.officer_id != row->officer_id || in->org_id))
		err = check_officer(c, f.officer_id, &st);
	if (!err)
		err = check_robot(c, f.platform, in->robot_url, in->robot_secret,
				  row && row->channel_id && !(in->robot_url && !*in->robot_url));
	if (!err)
		err = save_robot(c, in, row, &st, &f);
	if (err)
		return err;
	err = row ? fq_store_chatgroup_update(c->db, row->id, &f, fq_time_now_ms())
		  : fq_store_chatgroup_insert(c->db, &f, c->who->user_id, fq_time_now_ms(), id);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_chatgroup_create(struct fq_ctx *c, const struct fq_chatgroup_input *in, int64_t *id)
{
	return write_group(c, in, NULL, NULL, id);
}

enum fq_err fq_chatgroup_update(struct fq_ctx *c, int64_t id, const struct fq_chatgroup_input *in)
{
	struct fq_chatgroup_row row;
	json_t *old = NULL;
	enum fq_err err = load(c, id, &row);

	if (!err && !(old = fq_store_chatgroup_json(c->db, id, &err)))
		store_fail(c, err);
	if (!err)
		err = write_group(c, in, &row, old, &id);
	json_decref(old);
	return err;
}

enum fq_err fq_chatgroup_delete(struct fq_ctx *c, int64_t id)
{
	struct fq_chatgroup_row row;
	enum fq_err err = load(c, id, &row);

	if (!err && row.channel_id)
		err = fq_outbox_robot_delete(c, row.channel_id);
	if (!err && (err = fq_store_chatgroup_delete(c->db, id, fq_time_now_ms())))
		store_fail(c, err);
	return err;
}

json_t *fq_chatgroup_unmask(struct fq_ctx *c, int64_t id)
{
	struct fq_chatgroup_row row;
	const char *url = NULL;
	enum fq_err err = load(c, id, &row);

	if (!err && !row.channel_id)
		err = fq_fail(c->e, FQ_ERR_NOT_FOUND, "no_robot", NULL, "the group has no robot");
	if (!err)
		err = fq_outbox_robot_url(c, row.channel_id, &url);
	return err ? NULL : json_pack("{s:s}", "robot_url", url);
}

/* The row as the API shows it: the robot as an object, or null. */
static void present(json_t *g)
{
	bool robot = json_integer_value(json_object_get(g, "has_robot")) != 0;

	json_object_set_new(g, "robot",
			    robot ? json_pack("{s:O, s:b}", "shown", json_object_get(g, "robot_shown"),
					      "signed", (int)json_integer_value(json_object_get(g, "robot_signed")))
				  : json_null());
	json_object_del(g, "has_robot");
	json_object_del(g, "robot_shown");
	json_object_del(g, "robot_signed");
}

json_t *fq_chatgroup_get(struct fq_ctx *c, int64_t id)
{
	struct fq_chatgroup_row row;
	enum fq_err err = load(c, id, &row);
	json_t *g = err ? NULL : fq_store_chatgroup_json(c->db, id, &err);

	if (!g) {
		if (!c->e->err)
			store_fail(c, err);
		return NULL;
	}
	present(g);
	return g;
}

json_t *fq_chatgroup_list(struct fq_ctx *c, struct fq_chatgroup_filter *f, int64_t page,
			  int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *g;
	size_t k;

	if (f->org_id && fq_org_visible(c, f->org_id, "org_id", NULL, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_chatgroup_list(c->db, f, c->who->whole_tree ? NULL : lo, hi,
				       (page - 1) * per_page, per_page + 1, after, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(rows, k, g)
		present(g);
	return rows;
}
