/* The outbox (docs/internals.md "Outbox"): everything the product sends
 * outside — a webhook, a WeChat Work or DingTalk group robot, an SMS gateway
 * over HTTP — configured per station by the sysadmin as channels, each
 * subscribed to event kinds. A module that has something to tell calls
 * fq_outbox_enqueue in the transaction of the change; `fengqiao serve`
 * delivers in the background (domain/outbox_send.h). */
#ifndef FQ_OUTBOX_H
#define FQ_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

/* An event kind others may subscribe to. The one list is fq_outbox_events
 * (domain/outbox.c): adding a kind is adding a row there (and its label in
 * web/src/modules/outbox/locales). */
struct fq_outbox_event {
	const char *kind;  /* "incident.dispatched" */
	const char *title; /* the heading robots and SMS show: "警情已派警" */
	/* The short text: {name} is the payload's field name (a string or a
	 * number; missing: nothing). */
	const char *text;
};
extern const struct fq_outbox_event fq_outbox_events[]; /* ends with {NULL} */
/* The kinds alone, NULL-terminated (for fq_in_choice_list). */
const char *const *fq_outbox_event_kinds(void);
const struct fq_outbox_event *fq_outbox_event_find(const char *kind);

extern const char *const fq_outbox_channel_kinds[]; /* webhook wecom dingtalk sms; NULL-terminated */
extern const char *const fq_outbox_msg_formats[];   /* text markdown */
extern const char *const fq_outbox_sms_methods[];   /* POST GET */
extern const char *const fq_outbox_sms_content_types[]; /* json form */
extern const char *const fq_outbox_statuses[];      /* pending delivered failed */

#define FQ_OUTBOX_MAX_PHONES 20
#define FQ_OUTBOX_MAX_URL 1000
#define FQ_OUTBOX_MAX_PAYLOAD 16384 /* bytes of the payload as JSON text */

/* Queues event_kind of station_unit_id (an org unit of kind station) for
 * every enabled channel of the station subscribed to it: one row per
 * channel, and for an SMS channel one row per phone (the channel's own
 * phones, then the payload's "phones", an array of strings, which is not
 * stored in the payload; at most 40 phones). At most 32 channels of a station
 * get one event. Runs in c->db's transaction: when the caller's
 * transaction rolls back, nothing is queued. payload is borrowed (NULL:
 * {}); it must be an object of at most FQ_OUTBOX_MAX_PAYLOAD bytes.
 * No channel subscribed: FQ_OK, nothing queued. An unknown kind is a
 * programming error: FQ_ERR_INTERNAL. No scope check: the caller decided. */
enum fq_err fq_outbox_enqueue(struct fq_ctx *c, int64_t station_unit_id, const char *event_kind,
			      json_t *payload);

/* ---- robots owned by a record (a community chat group's robot) ----
 * A channel of kind wecom or dingtalk that belongs to another module's record:
 * subscribed to no event, absent from the sysadmin's channel list and routes,
 * created, changed and deleted by its owner, sent to with
 * fq_outbox_enqueue_channel; its deliveries, retries and log are the outbox's. */
struct fq_outbox_robot {
	int64_t station_id;    /* the station of the record */
	const char *org_path;  /* the station's path (scope of the deliveries) */
	const char *owner;     /* the module: "chatgroup" */
	const char *kind;      /* wecom | dingtalk */
	const char *name;
	const char *url;       /* NULL on a change: kept */
	const char *secret;    /* NULL on a change: kept; "": none */
};
/* Creates the robot (*channel_id 0) or changes channel *channel_id. The URL
 * and secret are checked as the sysadmin's channels are (errors name "url",
 * "secret": the caller checks them first with its own field names). No scope
 * check: the owner decided. */
enum fq_err fq_outbox_robot_save(struct fq_ctx *c, const struct fq_outbox_robot *in,
				  int64_t *channel_id);
/* The robot's URL in clear (in the arena), for its owner's audited unmask. */
enum fq_err fq_outbox_robot_url(struct fq_ctx *c, int64_t channel_id, const char **url);
/* Deletes it; its pending deliveries fail ("the channel was deleted"). */
enum fq_err fq_outbox_robot_delete(struct fq_ctx *c, int64_t channel_id);

/* The event kind of a message queued to one channel. */
#define FQ_OUTBOX_MESSAGE "message"
/* Queues one message to channel_id alone (a robot or a webhook, enabled or
 * not: a disabled one is not sent until enabled), in c->db's transaction:
 * the text is "【station】title\ntext", the payload {"title", "text"}. The
 * delivery's id in *delivery_id. No scope check: the caller decided. */
enum fq_err fq_outbox_enqueue_channel(struct fq_ctx *c, int64_t channel_id, const char *title,
				      const char *text, int64_t *delivery_id);

/* A channel as the sysadmin gives it. On update, NULL / -1 leaves a field
 * as it is; secret "" removes the secret. */
struct fq_outbox_channel_input {
	int64_t station_id;          /* create only */
	const char *kind;            /* create only */
	const char *name;
	const char *url;
	const char *secret;
	const char *events;          /* space-separated kinds */
	const char *msg_format;
	const char *sms_method;
	const char *sms_content_type;
	const char *sms_body;
	const char *const *phones;   /* with has_phones */
	size_t nphones;
	bool has_phones;
	int enabled;                 /* 0, 1, -1 = unchanged (create: on) */
};

enum fq_err fq_outbox_channel_create(struct fq_ctx *c, const struct fq_outbox_channel_input *in,
				     int64_t *id);
enum fq_err fq_outbox_channel_update(struct fq_ctx *c, int64_t id,
				     const struct fq_outbox_channel_input *in);
/* Deleted channels keep their deliveries; their pending ones fail. */
enum fq_err fq_outbox_channel_delete(struct fq_ctx *c, int64_t id);
/* The channel with its URL masked, phones masked, has_secret (never the
 * secret); NULL with c->e set (not found / outside the caller's area). */
json_t *fq_outbox_channel_get(struct fq_ctx *c, int64_t id);
json_t *fq_outbox_channel_list(struct fq_ctx *c, int64_t station_id);
/* Queues a "test" message to channel id alone; *outbox_id (may hold several
 * rows for SMS: the first). */
enum fq_err fq_outbox_channel_test(struct fq_ctx *c, int64_t id, int64_t *outbox_id);

/* Deliveries newest first (keyset: below id after). */
json_t *fq_outbox_delivery_list(struct fq_ctx *c, int64_t channel_id, const char *status,
				int64_t after, int64_t limit);
/* One delivery with its payload and attempts. */
json_t *fq_outbox_delivery_get(struct fq_ctx *c, int64_t id);
/* A failed delivery is tried again from its first attempt. */
enum fq_err fq_outbox_delivery_retry(struct fq_ctx *c, int64_t id);

/* The text of an event as robots and SMS get it: "【station】title：text"
 * with {field}s of payload filled in; a new string (to free()), NULL when
 * out of memory. */
char *fq_outbox_render(const char *station, const char *kind, json_t *payload);

/* Checks a channel URL: http or https, a host, at most FQ_OUTBOX_MAX_URL
 * characters; a literal private or loopback address only when
 * allow_private. Fills e naming field. */
enum fq_err fq_outbox_url_check(const char *url, bool allow_private, const char *field,
				struct fq_error *e);
/* Whether addr (a struct sockaddr) is loopback, private, link-local,
 * unspecified or carrier-grade NAT space. */
bool fq_outbox_addr_private(const void *sockaddr);

#endif
