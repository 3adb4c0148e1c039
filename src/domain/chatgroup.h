/* Community chat groups and broadcasts (社区群 and 反诈宣传, DOMAIN §8, issue
 * 12): the station's WeChat, WeChat Work and DingTalk groups with their unit
 * (data scope follows it), officer in charge and member count; a WeChat Work
 * or DingTalk group may have a robot, kept as an outbox channel owned by the
 * group (domain/outbox.h, fq_outbox_robot_save), whose URL is never shown
 * whole. A broadcast (an anti-fraud notice, an alert, a notice) is written
 * once and goes to chosen groups: a robot's through the outbox
 * (fq_outbox_enqueue_channel), the others to be posted by hand and marked.
 * No HTTP, no SQL. */
#ifndef FQ_CHATGROUP_H
#define FQ_CHATGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "search/source.h"

struct fq_ctx;
struct fq_chatgroup_filter;
struct fq_broadcast_filter;
typedef struct json_t json_t;

extern const char *const fq_chatgroup_platforms[]; /* wechat wecom dingtalk other */
extern const char *const fq_broadcast_kinds[];     /* fraud alert notice */

#define FQ_CHATGROUP_MAX_NAME 60
#define FQ_CHATGROUP_MAX_NOTE 500
#define FQ_CHATGROUP_MAX_MEMBERS 100000
#define FQ_CHATGROUP_MAX_SECRET 100
/* A robot's text fits WeChat Work's 2,048 bytes: a title and a body this long. */
#define FQ_BROADCAST_MAX_TITLE 60
#define FQ_BROADCAST_MAX_BODY 500
#define FQ_BROADCAST_MAX_GROUPS 200

/* A new group, or a change (NULL / 0 / has_members false: unchanged). */
struct fq_chatgroup_input {
	const char *name, *platform;
	const char *note;         /* "" clears */
	int64_t org_id;
	int64_t officer_id;       /* -1: none (update) */
	bool has_members;
	int64_t members;
	const char *robot_url;    /* "" removes the robot */
	const char *robot_secret; /* DingTalk's signing secret; "" removes it */
};
enum fq_err fq_chatgroup_create(struct fq_ctx *c, const struct fq_chatgroup_input *in,
				int64_t *id);
enum fq_err fq_chatgroup_update(struct fq_ctx *c, int64_t id, const struct fq_chatgroup_input *in);
/* Deletes the group and its robot (the robot's pending deliveries fail);
 * its broadcasts keep naming it. */
enum fq_err fq_chatgroup_delete(struct fq_ctx *c, int64_t id);
/* One group; "robot": null or {"shown": host and masked tail, "signed"}.
 * NULL (FQ_ERR_NOT_FOUND) when gone or out of scope. */
json_t *fq_chatgroup_get(struct fq_ctx *c, int64_t id);
/* {"robot_url"}: the robot's URL in clear, for the writer's audited unmask;
 * 404 when the group has no robot. */
json_t *fq_chatgroup_unmask(struct fq_ctx *c, int64_t id);
/* The caller's groups (scope), newest first. */
json_t *fq_chatgroup_list(struct fq_ctx *c, struct fq_chatgroup_filter *f, int64_t page,
			  int64_t per_page, int64_t after);

struct fq_broadcast_input {
	const char *kind, *title, *body;
	const int64_t *group_ids; /* these groups … */
	size_t ngroups;
	int64_t org_id;           /* … or every group of this unit's subtree */
};
/* Writes the broadcast and, in the same transaction, a target per group: a
 * delivery queued to each group's robot, the others to post by hand. */
enum fq_err fq_broadcast_send(struct fq_ctx *c, const struct fq_broadcast_input *in, int64_t *id);
/* The broadcast with "text" (as the groups get it) and its targets. */
json_t *fq_broadcast_get(struct fq_ctx *c, int64_t id);
json_t *fq_broadcast_list(struct fq_ctx *c, struct fq_broadcast_filter *f, int64_t page,
			  int64_t per_page, int64_t after);
/* Marks the broadcast posted by hand to group_id. */
enum fq_err fq_broadcast_posted(struct fq_ctx *c, int64_t id, int64_t group_id);

/* Type 'broadcast', code 27 (api/module.h `search`). */
extern const struct fq_search_source fq_broadcast_search[];

#endif
