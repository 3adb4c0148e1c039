/* The SQL of community chat groups and broadcasts (社区群, 反诈宣传; migration
 * 029). No rules here: domain/chatgroup.c checks them. Rows come as JSON;
 * columns named *_at come out as ISO 8601 text. */
#ifndef FQ_CHATGROUP_STORE_H
#define FQ_CHATGROUP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* What the rules need of one group (deleted ones too: deleted is set). */
struct fq_chatgroup_row {
	int64_t id, org_id, officer_id, channel_id;
	bool deleted;
	char org_path[256];
	char platform[16];
	char name[400];
};
/* FQ_ERR_NOT_FOUND when there is no such group. */
enum fq_err fq_store_chatgroup_row(struct fq_db *db, int64_t id, struct fq_chatgroup_row *out);

/* The columns a write sets (the domain merged the unchanged ones in). */
struct fq_store_chatgroup_fields {
	const char *name, *platform, *org_path, *note, *robot_shown; /* note, robot_shown: NULL none */
	int64_t org_id, officer_id, members, channel_id;             /* officer, channel: 0 none */
};
enum fq_err fq_store_chatgroup_insert(struct fq_db *db, const struct fq_store_chatgroup_fields *f,
				      int64_t by, int64_t now, int64_t *id);
enum fq_err fq_store_chatgroup_update(struct fq_db *db, int64_t id,
				      const struct fq_store_chatgroup_fields *f, int64_t now);
enum fq_err fq_store_chatgroup_delete(struct fq_db *db, int64_t id, int64_t now);

/* One group with its unit's and officer's names and its robot (shown URL,
 * signed), never the URL. */
json_t *fq_store_chatgroup_json(struct fq_db *db, int64_t id, enum fq_err *err);

struct fq_chatgroup_filter {
	const char *platform;
	const char *q;      /* name or note contains */
	int64_t org_id;     /* the groups of this unit's subtree */
	int64_t officer_id;
	int robot;          /* 1 with a robot, 0 without, -1 either */
};
/* Groups (not deleted) in scope [lo, hi) (lo NULL: everywhere), newest
 * first, below id after when after > 0. */
json_t *fq_store_chatgroup_list(struct fq_db *db, const struct fq_chatgroup_filter *f,
				const char *lo, const char *hi, int64_t offset, int64_t limit,
				int64_t after, enum fq_err *err);
/* Ids of the groups (not deleted) under path (a unit's path) and in scope
 * [lo, hi), oldest first; at most max, *n of them. */
enum fq_err fq_store_chatgroup_ids_under(struct fq_db *db, const char *path, const char *lo,
					 const char *hi, int64_t *ids, size_t max, size_t *n);

/* ---- broadcasts ---- */

struct fq_store_broadcast_fields {
	const char *org_path, *kind, *title, *body;
};
enum fq_err fq_store_broadcast_insert(struct fq_db *db, const struct fq_store_broadcast_fields *f,
				      int64_t by, int64_t now, int64_t *id);
/* A group it goes to; outbox_id 0: posted by hand. */
enum fq_err fq_store_broadcast_target_insert(struct fq_db *db, int64_t broadcast_id,
					     int64_t group_id, int64_t outbox_id);
/* The broadcast with org_path and the sender's name. */
json_t *fq_store_broadcast_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* Its targets: the group's name, platform, officer; the delivery's status,
 * attempts, last error, time done (robots), posted_at and by whom (by hand). */
json_t *fq_store_broadcast_targets(struct fq_db *db, int64_t id, enum fq_err *err);
/* Marks a by-hand target of group_id posted; FQ_ERR_NOT_FOUND when there is
 * none, FQ_ERR_CONFLICT when it is a robot's or posted already. */
enum fq_err fq_store_broadcast_posted(struct fq_db *db, int64_t id, int64_t group_id,
				      int64_t by, int64_t now);

struct fq_broadcast_filter {
	const char *kind;
	const char *q; /* title or body contains */
};
/* Broadcasts in scope, newest first, with counts of their targets by state
 * (delivered, pending, failed, to_post, posted). */
json_t *fq_store_broadcast_list(struct fq_db *db, const struct fq_broadcast_filter *f,
				const char *lo, const char *hi, int64_t offset, int64_t limit,
				int64_t after, enum fq_err *err);

/* The search index's view of broadcasts from <= id <= to (at most limit). */
struct fq_store_broadcast_search_row {
	int64_t id;
	const char *org_path, *kind, *title, *body;
};
typedef enum fq_err (*fq_store_broadcast_search_fn)(void *arg,
						    const struct fq_store_broadcast_search_row *r);
enum fq_err fq_store_broadcast_search_rows(struct fq_db *db, int64_t from, int64_t to,
					   size_t limit, fq_store_broadcast_search_fn fn,
					   void *arg);

#endif
