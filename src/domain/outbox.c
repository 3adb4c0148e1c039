/* The outbox's rules: the event kinds and their texts, channels (checked,
 * secrets sealed, shown masked), queueing in the caller's transaction, and
 * the delivery log. Sending is domain/outbox_send.c. */
#include "domain/outbox.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auth/principal.h"
#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/org.h"
#include "store/org_store.h"
#include "store/outbox_store.h"

/* The event kinds, in the order the screens list them. Texts are Chinese:
 * they go to the station's group chats and phones. */
const struct fq_outbox_event fq_outbox_events[] = {
	{"test", "测试消息", "这是一条测试消息（{by}发送），收到即表示通道可用。"},
	{"incident.dispatched", "警情已派警", "{number}已派{responders}出警。"},
	{"incident.arrival_overdue", "到场超时", "{number}（{address}）派警{minutes}分钟仍未到场。"},
	{"duty.shift_awaiting_approval", "班次待审批", "{shift}（{start}）待所领导审批。"},
	{"duty.handover_awaiting_signature", "交接班待签字", "{shift}的交接班待{to}签字。"},
	{"dispute.escalation_risk", "纠纷激化风险", "纠纷{number}风险评分{score}，已达预警线{threshold}。"},
	{"dispute.session_scheduled", "调解通知", "您的纠纷（{number}）定于{start}在{place}调解，请准时参加。"},
	{"dispute.may_turn_criminal", "纠纷可能激化", "{number}可能激化或转为治安、刑事案件：{reason}"},
	{NULL, NULL, NULL},
};

const char *const fq_outbox_channel_kinds[] = {"webhook", "wecom", "dingtalk", "sms", NULL};
const char *const fq_outbox_msg_formats[] = {"text", "markdown", NULL};
const char *const fq_outbox_sms_methods[] = {"POST", "GET", NULL};
const char *const fq_outbox_sms_content_types[] = {"json", "form", NULL};
const char *const fq_outbox_statuses[] = {"pending", "delivered", "failed", NULL};

#define MAX_EVENTS 64
static const char *event_kinds[MAX_EVENTS + 1];
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void gather_kinds(void)
{
	for (int i = 0; fq_outbox_events[i].kind && i < MAX_EVENTS; i++)
		event_kinds[i] = fq_outbox_events[i].kind;
}

const char *const *fq_outbox_event_kinds(void)
{
	pthread_once(&kinds_once, gather_kinds);
	return event_kinds;
}

const struct fq_outbox_event *fq_outbox_event_find(const char *kind)
{
	for (int i = 0; kind && fq_outbox_events[i].kind; i++)
		if (!strcmp(fq_outbox_events[i].kind, kind))
			return &fq_outbox_events[i];
	return NULL;
}

char *fq_outbox_render(const char *station, const char *kind, json_t *payload)
{
	const struct fq_outbox_event *ev = fq_outbox_event_find(kind);
	struct fq_buf b;
	enum fq_err err;

	fq_buf_init(&b, 4096);
	err = fq_buf_addf(&b, "【%s】%s：", station ? station : "", ev ? ev->title : kind);
	for (const char *p = ev ? ev->text : ""; !err && *p;) {
		const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
		char name[64];
		json_t *v;

		if (!open || !close || (size_t)(close - open) >= sizeof(name)) {
			err = fq_buf_adds(&b, p);
			break;
		}
		err = fq_buf_add(&b, p, (size_t)(open - p));
		memcpy(name, open + 1, (size_t)(close - open - 1));
		name[close - open - 1] = '\0';
		v = json_object_get(payload, name);
		if (!err && json_is_string(v))
			err = fq_buf_adds(&b, json_string_value(v));
		else if (!err && json_is_integer(v))
			err = fq_buf_addf(&b, "%lld", (long long)json_integer_value(v));
		p = close + 1;
	}
	if (err) {
		/* Past 4 KiB: the text is cut, not lost. */
		if (b.len == 0) {
			fq_buf_release(&b);
			return NULL;
		}
	}
	return fq_buf_take(&b);
}

/* ---- addresses ---- */

bool fq_outbox_addr_private(const void *sockaddr)
{
	const struct sockaddr *sa = sockaddr;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = sockaddr;
		uint32_t a = ntohl(in->sin_addr.s_addr);

		return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
		       (a >> 20) == (172u << 4 | 1) || (a >> 16) == (192u << 8 | 168) ||
		       (a >> 16) == (169u << 8 | 254) || (a >> 22) == (100u << 2 | 1) ||
		       a >= 0xE0000000u;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = sockaddr;
		const unsigned char *b = in6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			struct sockaddr_in v4 = {.sin_family = AF_INET};

			memcpy(&v4.sin_addr, b + 12, 4);
			return fq_outbox_addr_private(&v4);
		}
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) || (b[0] & 0xfe) == 0xfc ||
		       (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
	}
	return true;
}

/* A literal address in host (IPv6 in brackets as curl gives it, or not). */
static bool host_literal_private(const char *host)
{
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	char buf[64];
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && n - 2 < sizeof(buf)) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	if (inet_pton(AF_INET, host, &v4.sin_addr) == 1)
		return fq_outbox_addr_private(&v4);
	if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1)
		return fq_outbox_addr_private(&v6);
	return !strcasecmp(host, "localhost") ||
	       (n > 10 && !strcasecmp(host + n - 10, ".localhost"));
}

/* Parses url into h; FQ_OK or an error naming field. */
static enum fq_err parse_url(const char *url, bool allow_private, const char *field,
			     struct fq_error *e, CURLU *h)
{
	char *scheme = NULL, *host = NULL;
	enum fq_err err = FQ_OK;

	if (fq_utf8_len(url, strlen(url)) > FQ_OUTBOX_MAX_URL)
		return fq_fail(e, FQ_ERR_INVALID, "too_long", field,
			       "%s: at most %d characters", field, FQ_OUTBOX_MAX_URL);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return fq_fail(e, FQ_ERR_INVALID, "bad_url", field,
				       "%s: spaces and non-ASCII characters must be percent-encoded",
				       field);
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
		return fq_fail(e, FQ_ERR_INVALID, "bad_url", field,
			       "%s: give an address starting with http:// or https://", field);
	if (curl_url_set(h, CURLUPART_URL, url, 0) ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) || !host || !*host)
		err = fq_fail(e, FQ_ERR_INVALID, "bad_url", field, "%s: not a valid web address",
			      field);
	else if (!allow_private && host_literal_private(host))
		err = fq_fail(e, FQ_ERR_INVALID, "private_address", field,
			      "%s: %s is a local or private address; the server only sends to"
			      " public addresses unless the setting outbox_allow_private is on",
			      field, host);
	curl_free(scheme);
	curl_free(host);
	return err;
}

enum fq_err fq_outbox_url_check(const char *url, bool allow_private, const char *field,
				struct fq_error *e)
{
	CURLU *h = curl_url();
	enum fq_err err;

	if (!h)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = parse_url(url, allow_private, field, e, h);
	curl_url_cleanup(h);
	return err;
}

/* "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***": robots and
 * gateways carry their key in the query, so every query value is masked. */
static char *url_shown(struct fq_ctx *c, const char *url)
{
	CURLU *h = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *out = NULL;
	struct fq_buf b;

	fq_buf_init(&b, 2 * FQ_OUTBOX_MAX_URL);
	if (h && !curl_url_set(h, CURLUPART_URL, url, 0) &&
	    !curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(h, CURLUPART_HOST, &host, 0)) {
		curl_url_get(h, CURLUPART_PORT, &port, 0);
		curl_url_get(h, CURLUPART_PATH, &path, 0);
		curl_url_get(h, CURLUPART_QUERY, &query, 0);
		fq_buf_addf(&b, "%s://%s%s%s%s", scheme, host, port ? ":" : "", port ? port : "",
			    path ? path : "");
		const char *sep = "?";

		for (char *p = query; p && *p; sep = "&") {
			char *amp = strchr(p, '&'), *eq;
			size_t len = amp ? (size_t)(amp - p) : strlen(p);

			eq = memchr(p, '=', len);
			fq_buf_adds(&b, sep);
			fq_buf_add(&b, p, eq ? (size_t)(eq - p) : len);
			fq_buf_adds(&b, "=***");
			p = amp ? amp + 1 : NULL;
		}
		out = fq_arena_strndup(c->arena, b.ptr ? b.ptr : "", b.len);
	}
	fq_buf_release(&b);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	return out;
}

/* ---- channels ---- */

/* What a channel is made of, unsealed, while it is checked. */
struct channel {
	int64_t station_id;
	const char *org_path, *kind, *name, *url, *secret, *events, *msg_format;
	const char *sms_method, *sms_content_type, *sms_body;
	const char *phones; /* space-separated, plain */
	bool enabled;
	const char *owner;  /* a record's robot (fq_outbox_robot_save); NULL: the sysadmin's */
};

static enum fq_err invalid(struct fq_ctx *c, const char *field, const char *msg)
{
	return fq_fail(c->e, FQ_ERR_INVALID, NULL, field, "%s", msg);
}

static bool has(const char *s, const char *part)
{
	return s && strstr(s, part);
}

static enum fq_err check_channel(struct fq_ctx *c, struct channel *ch)
{
	bool robot = !strcmp(ch->kind, "wecom") || !strcmp(ch->kind, "dingtalk");
	bool sms = !strcmp(ch->kind, "sms");
	const char *url = ch->url;
	enum fq_err err;

	if (sms) {
		/* the placeholders are no part of a valid URL */
		char *u = fq_arena_strdup(c->arena, url);

		for (char *p = u; p && (p = strchr(p, '{'));) {
			char *q = strchr(p, '}');
			if (!q)
				break;
			memset(p, 'x', (size_t)(q - p + 1));
			p = q + 1;
		}
		url = u;
	}
	err = fq_outbox_url_check(url, c->cfg && c->cfg->outbox_allow_private, "url", c->e);
	if (err)
		return err;
	if (!strcmp(ch->kind, "webhook") && (!ch->secret || strlen(ch->secret) < 16))
		return invalid(c, "secret",
			       "a webhook needs a signing secret of at least 16 characters,"
			       " shared with the receiver");
	if ((!strcmp(ch->kind, "wecom") || sms) && ch->secret)
		return invalid(c, "secret",
			       sms ? "an SMS gateway takes no signing secret: put its key in the URL"
				   : "a WeChat Work robot has no signing secret: its key is in the URL");
	if (!robot && strcmp(ch->msg_format, "text"))
		return invalid(c, "msg_format", "only group robots take markdown");
	if (!sms && (ch->sms_method || ch->sms_content_type || ch->sms_body))
		return invalid(c, ch->sms_method ? "sms_method"
				  : ch->sms_content_type ? "sms_content_type"
							 : "sms_body",
			       "only an SMS gateway has a method, content type and body template");
	if (!sms && ch->phones && *ch->phones)
		return invalid(c, "phones", "only an SMS gateway sends to phones");
	if (!ch->owner && (!ch->events || !*ch->events))
		return invalid(c, "events", "choose at least one kind of event to send");
	if (!sms)
		return FQ_OK;
	if (!ch->sms_method)
		return invalid(c, "sms_method", "choose POST or GET");
	if (!strcmp(ch->sms_method, "GET")) {
		if (ch->sms_body || ch->sms_content_type)
			return invalid(c, ch->sms_body ? "sms_body" : "sms_content_type",
				       "a GET request has no body: put {phone} and {text} in the URL");
		if (!has(ch->url, "{phone}") || !has(ch->url, "{text}"))
			return invalid(c, "url", "a GET gateway's URL must hold {phone} and {text}");
		return FQ_OK;
	}
	if (!ch->sms_content_type)
		return invalid(c, "sms_content_type", "choose json or form");
	if (!ch->sms_body)
		return invalid(c, "sms_body", "give the body template, with {phone} and {text}");
	if (!(has(ch->sms_body, "{phone}") || has(ch->url, "{phone}")) ||
	    !(has(ch->sms_body, "{text}") || has(ch->url, "{text}")))
		return invalid(c, "sms_body", "the body template must hold {phone} and {text}");
	return FQ_OK;
}

static enum fq_err seal(struct fq_ctx *c, const char *plain, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (!plain || !*plain)
		return FQ_OK;
	if (fq_seal(c->keys, plain, strlen(plain), out, len))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "cannot encrypt a channel secret");
	return FQ_OK;
}

static const char *unseal(struct fq_ctx *c, const unsigned char *blob, size_t len,
			  enum fq_err *err)
{
	char *plain = NULL, *copy;

	if (!blob || !len)
		return NULL;
	if (fq_unseal(c->keys, blob, len, &plain)) {
		*err = fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			       "a channel secret cannot be decrypted (wrong key file?)");
		return NULL;
	}
	copy = fq_arena_strdup(c->arena, plain);
	free(plain);
	return copy;
}

static enum fq_err store_channel(struct fq_ctx *c, int64_t *id, const struct channel *ch)
{
	struct fq_outbox_channel_fields f = {
		.station_id = ch->station_id, .org_path = ch->org_path, .kind = ch->kind,
		.name = ch->name, .events = ch->events, .msg_format = ch->msg_format,
		.sms_method = ch->sms_method, .sms_content_type = ch->sms_content_type,
		.sms_body = ch->sms_body, .enabled = ch->enabled, .owner = ch->owner,
	};
	unsigned char *url = NULL, *secret = NULL, *phones = NULL;
	enum fq_err err;

	f.url_shown = url_shown(c, ch->url);
	if (!f.url_shown)
		return invalid(c, "url", "url: not a valid web address");
	err = seal(c, ch->url, &url, &f.url_enc_len);
	if (!err)
		err = seal(c, ch->secret, &secret, &f.secret_enc_len);
	if (!err)
		err = seal(c, ch->phones, &phones, &f.phones_enc_len);
	f.url_enc = url;
	f.secret_enc = secret;
	f.phones_enc = phones;
	if (!err) {
		err = *id ? fq_store_outbox_channel_update(c->db, *id, &f)
			  : fq_store_outbox_channel_insert(c->db, &f, id);
		if (err)
			fq_fail(c->e, err, NULL, NULL, NULL);
	}
	free(url);
	free(secret);
	free(phones);
	return err;
}

/* The phones given, checked ("phones[2]"), joined with spaces. */
static enum fq_err join_phones(struct fq_ctx *c, const struct fq_outbox_channel_input *in,
			       const char **out)
{
	struct fq_buf b;
	enum fq_err err = FQ_OK;

	fq_buf_init(&b, 64 * FQ_OUTBOX_MAX_PHONES);
	for (size_t i = 0; !err && i < in->nphones; i++) {
		struct fq_error pe = {0};

		if (fq_phone_check(in->phones[i], &pe))
			err = fq_fail(c->e, FQ_ERR_INVALID, pe.code[0] ? pe.code : NULL,
				      fq_arena_printf(c->arena, "phones[%zu]", i),
				      "phones[%zu]: %s", i, pe.message);
		else
			err = fq_buf_addf(&b, "%s%s", i ? " " : "", in->phones[i]);
	}
	if (!err)
		*out = fq_arena_strndup(c->arena, b.ptr ? b.ptr : "", b.len);
	fq_buf_release(&b);
	return err;
}

enum fq_err fq_outbox_channel_create(struct fq_ctx *c, const struct fq_outbox_channel_input *in,
				     int64_t *id)
{
	struct channel ch = {
		.station_id = in->station_id, .kind = in->kind, .name = in->name, .url = in->url,
		.secret = in->secret && *in->secret ? in->secret : NULL, .events = in->events,
		.msg_format = in->msg_format ? in->msg_format : "text",
		.sms_method = in->sms_method, .sms_content_type = in->sms_content_type,
		.sms_body = in->sms_body, .enabled = in->enabled != 0,
	};
	const char *kind;
	enum fq_err err = fq_org_visible(c, in->station_id, "station_id", &ch.org_path, &kind);

	if (err)
		return err;
	if (strcmp(kind, "station"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "station_id",
			       "org unit %lld is a %s: channels belong to a station",
			       (long long)in->station_id, kind);
	if (in->has_phones && (err = join_phones(c, in, &ch.phones)))
		return err;
	err = check_channel(c, &ch);
	*id = 0;
	return err ? err : store_channel(c, id, &ch);
}

/* The channel's row and its unsealed values, when the caller may see it
 * (scoped) or for the system (queueing). */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct channel *ch, json_t **rowp,
			bool scoped)
{
	struct fq_outbox_sealed s = {0};
	enum fq_err err;
	json_t *row = fq_store_outbox_channel_json(c->db, id, &s, &err);

	/* a record's robot is its owner's to change, not the sysadmin's */
	if (!err && scoped &&
	    (!fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path"))) ||
	     json_is_string(json_object_get(row, "owner"))))
		err = FQ_ERR_NOT_FOUND;
	if (err) {
		json_decref(row);
		fq_outbox_sealed_release(&s);
		return err == FQ_ERR_NOT_FOUND
			       ? fq_fail(c->e, err, NULL, NULL,
					 "channel %lld does not exist or is outside your area",
					 (long long)id)
			       : fq_fail(c->e, err, NULL, NULL, NULL);
	}
	*ch = (struct channel){
		.station_id = json_integer_value(json_object_get(row, "station_id")),
		.org_path = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "org_path"))),
		.kind = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "kind"))),
		.name = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "name"))),
		.events = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "events"))),
		.msg_format = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "msg_format"))),
		.sms_method = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "sms_method"))),
		.sms_content_type = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "sms_content_type"))),
		.sms_body = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "sms_body"))),
		.enabled = json_integer_value(json_object_get(row, "enabled")) != 0,
		.owner = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "owner"))),
	};
	ch->url = unseal(c, s.url, s.url_len, &err);
	if (!err)
		ch->secret = unseal(c, s.secret, s.secret_len, &err);
	if (!err)
		ch->phones = unseal(c, s.phones, s.phones_len, &err);
	fq_outbox_sealed_release(&s);
	if (rowp && !err)
		*rowp = row;
	else
		json_decref(row);
	return err;
}

enum fq_err fq_outbox_channel_update(struct fq_ctx *c, int64_t id,
				     const struct fq_outbox_channel_input *in)
{
	struct channel ch;
	enum fq_err err = load(c, id, &ch, NULL, true);

	if (err)
		return err;
	if (in->name)
		ch.name = in->name;
	if (in->url)
		ch.url = in->url;
	if (in->secret)
		ch.secret = *in->secret ? in->secret : NULL;
	if (in->events)
		ch.events = in->events;
	if (in->msg_format)
		ch.msg_format = in->msg_format;
	if (in->sms_method)
		ch.sms_method = in->sms_method;
	if (in->sms_content_type)
		ch.sms_content_type = in->sms_content_type;
	if (in->sms_body)
		ch.sms_body = in->sms_body;
	if (in->enabled >= 0)
		ch.enabled = in->enabled;
	if (in->has_phones && (err = join_phones(c, in, &ch.phones)))
		return err;
	err = check_channel(c, &ch);
	return err ? err : store_channel(c, &id, &ch);
}

enum fq_err fq_outbox_channel_delete(struct fq_ctx *c, int64_t id)
{
	struct channel ch;
	enum fq_err err = load(c, id, &ch, NULL, true);

	if (!err && (err = fq_store_outbox_channel_delete(c->db, id, fq_time_now_ms())))
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

static json_t *split(const char *list)
{
	json_t *a = json_array();

	for (const char *p = list; a && p && *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);

		json_array_append_new(a, json_stringn(p, len));
		p = sp ? sp + 1 : NULL;
	}
	return a;
}

static json_t *masked_phones(const char *list)
{
	json_t *a = json_array();

	for (const char *p = list; a && p && *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		char phone[32], masked[32];

		if (len < sizeof(phone)) {
			memcpy(phone, p, len);
			phone[len] = '\0';
			fq_phone_mask(phone, masked, sizeof(masked));
			json_array_append_new(a, json_string(masked));
		}
		p = sp ? sp + 1 : NULL;
	}
	return a;
}

/* The row as the API shows it: never a secret. */
static void shape_channel(json_t *row, const char *phones)
{
	json_object_set_new(row, "events",
			    split(json_string_value(json_object_get(row, "events"))));
	json_object_set_new(row, "enabled",
			    json_boolean(json_integer_value(json_object_get(row, "enabled"))));
	json_object_set_new(row, "phones", masked_phones(phones));
	json_object_del(row, "org_path");
	json_object_del(row, "owner");
	json_object_del(row, "url_enc");
	json_object_del(row, "secret_enc");
	json_object_del(row, "phones_enc");
}

json_t *fq_outbox_channel_get(struct fq_ctx *c, int64_t id)
{
	struct channel ch;
	json_t *row = NULL;

	if (load(c, id, &ch, &row, true))
		return NULL;
	shape_channel(row, ch.phones);
	return row;
}

json_t *fq_outbox_channel_list(struct fq_ctx *c, int64_t station_id)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *row;
	size_t i;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_outbox_channel_list(c->db, lo, hi, station_id, &err);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row) {
		struct channel ch = {0};

		/* a station has a handful of channels: SMS phones are unsealed to be shown masked */
		if (!strcmp(json_string_value(json_object_get(row, "kind")), "sms") &&
		    load(c, json_integer_value(json_object_get(row, "id")), &ch, NULL, true)) {
			json_decref(rows);
			return NULL;
		}
		shape_channel(row, ch.phones);
	}
	return rows;
}

/* ---- queueing ---- */

static enum fq_err add_row(struct fq_ctx *c, struct fq_outbox_row_fields *f, const char *phone,
			   int64_t *first)
{
	unsigned char *enc = NULL;
	char masked[32];
	int64_t id = 0;
	enum fq_err err = FQ_OK;

	if (phone) {
		err = seal(c, phone, &enc, &f->recipient_enc_len);
		fq_phone_mask(phone, masked, sizeof(masked));
		f->recipient_shown = masked;
	}
	f->recipient_enc = enc;
	if (!err && (err = fq_store_outbox_insert(c->db, f, &id)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	if (!err && first && !*first)
		*first = id;
	free(enc);
	f->recipient_enc = NULL;
	f->recipient_enc_len = 0;
	f->recipient_shown = NULL;
	return err;
}

/* Queues the event for the channels ids (n of them). */
static enum fq_err enqueue(struct fq_ctx *c, int64_t station_id, const char *kind,
			   json_t *payload, const int64_t *ids, int n, int64_t *first)
{
	struct fq_org_row st;
	char event_id[48], *text = NULL, *json = NULL;
	json_t *copy = NULL, *extra;
	enum fq_err err;

	if (!fq_outbox_event_find(kind))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "unknown outbox event kind '%s'",
			       kind);
	if (payload && !json_is_object(payload))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "an outbox payload is an object");
	if (!n)
		return FQ_OK;
	err = fq_store_org_get(c->db, station_id, &st);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, "org unit %lld for the outbox: not found",
			       (long long)station_id);
	copy = payload ? json_deep_copy(payload) : json_object();
	extra = json_incref(json_object_get(copy, "phones"));
	json_object_del(copy, "phones");
	text = fq_outbox_render(st.name, kind, copy);
	json = fq_json_dumps(copy, JSON_COMPACT);
	if (!copy || !text || !json)
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	else if (strlen(json) > FQ_OUTBOX_MAX_PAYLOAD)
		err = fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			      "an outbox payload of %zu bytes (at most %d)", strlen(json),
			      FQ_OUTBOX_MAX_PAYLOAD);
	fq_random_token("evt_", 16, event_id, sizeof(event_id));
	for (int i = 0; !err && i < n; i++) {
		struct fq_outbox_row_fields f = {
			.channel_id = ids[i], .station_id = station_id, .event_id = event_id,
			.event_kind = kind, .payload = json, .text = text, .now = fq_time_now_ms(),
		};
		struct channel ch;
		size_t k;
		json_t *v;
		int phones = 0;

		if ((err = load(c, ids[i], &ch, NULL, false)))
			break;
		if (strcmp(ch.kind, "sms")) {
			err = add_row(c, &f, NULL, first);
			continue;
		}
		for (const char *p = ch.phones; !err && p && *p; phones++) {
			const char *sp = strchr(p, ' ');
			const char *one = sp ? fq_arena_strndup(c->arena, p, (size_t)(sp - p)) : p;

			err = add_row(c, &f, one, first);
			p = sp ? sp + 1 : NULL;
		}
		json_array_foreach(extra, k, v) {
			if (err || phones >= FQ_OUTBOX_MAX_PHONES * 2)
				break;
			if (!json_is_string(v) || fq_phone_check(json_string_value(v), NULL))
				continue; /* the caller checked its phones; a bad one is skipped */
			err = add_row(c, &f, json_string_value(v), first);
			phones++;
		}
	}
	json_decref(extra);
	json_decref(copy);
	free(text);
	free(json);
	return err;
}

enum fq_err fq_outbox_enqueue(struct fq_ctx *c, int64_t station_unit_id, const char *event_kind,
			      json_t *payload)
{
	int64_t ids[32];
	int n = 0;
	enum fq_err err = fq_store_outbox_channels_for(c->db, station_unit_id, event_kind, ids,
						       (int)(sizeof(ids) / sizeof(ids[0])), &n);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return enqueue(c, station_unit_id, event_kind, payload, ids, n, NULL);
}

enum fq_err fq_outbox_robot_save(struct fq_ctx *c, const struct fq_outbox_robot *in,
				  int64_t *channel_id)
{
	struct channel ch = {
		.station_id = in->station_id, .org_path = in->org_path, .kind = in->kind,
		.name = in->name, .url = in->url, .secret = in->secret && *in->secret ? in->secret : NULL,
		.events = "", .msg_format = "text", .enabled = true, .owner = in->owner,
	};
	enum fq_err err;

	if (*channel_id) {
		struct channel old;

		if ((err = load(c, *channel_id, &old, NULL, false)))
			return err;
		if (!ch.url)
			ch.url = old.url;
		if (!in->secret)
			ch.secret = old.secret;
	}
	if (!ch.url || (strcmp(ch.kind, "wecom") && strcmp(ch.kind, "dingtalk")))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "a robot is a wecom or dingtalk URL");
	err = check_channel(c, &ch);
	return err ? err : store_channel(c, channel_id, &ch);
}

enum fq_err fq_outbox_robot_url(struct fq_ctx *c, int64_t channel_id, const char **url)
{
	struct channel ch;
	enum fq_err err = load(c, channel_id, &ch, NULL, false);

	*url = err ? NULL : ch.url;
	return err;
}

enum fq_err fq_outbox_robot_delete(struct fq_ctx *c, int64_t channel_id)
{
	enum fq_err err = fq_store_outbox_channel_delete(c->db, channel_id, fq_time_now_ms());

	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_outbox_enqueue_channel(struct fq_ctx *c, int64_t channel_id, const char *title,
				      const char *text, int64_t *delivery_id)
{
	struct channel ch;
	struct fq_org_row st;
	char event_id[48], *json = NULL;
	json_t *payload = NULL;
	enum fq_err err = load(c, channel_id, &ch, NULL, false);

	*delivery_id = 0;
	if (err)
		return err;
	if (!strcmp(ch.kind, "sms"))
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			       "a message to one channel goes to a robot or a webhook");
	if ((err = fq_store_org_get(c->db, ch.station_id, &st)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	payload = json_pack("{ss ss}", "title", title, "text", text);
	json = payload ? fq_json_dumps(payload, JSON_COMPACT) : NULL;
	if (!json) {
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	} else if (strlen(json) > FQ_OUTBOX_MAX_PAYLOAD) {
		err = fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "a message of %zu bytes (at most %d)",
			      strlen(json), FQ_OUTBOX_MAX_PAYLOAD);
	} else {
		struct fq_outbox_row_fields f = {
			.channel_id = channel_id, .station_id = ch.station_id, .event_id = event_id,
			.event_kind = FQ_OUTBOX_MESSAGE, .payload = json,
			.text = fq_arena_printf(c->arena, "【%s】%s\n%s", st.name, title, text),
			.now = fq_time_now_ms(),
		};

		fq_random_token("evt_", 16, event_id, sizeof(event_id));
		err = add_row(c, &f, NULL, delivery_id);
	}
	json_decref(payload);
	free(json);
	return err;
}

enum fq_err fq_outbox_channel_test(struct fq_ctx *c, int64_t id, int64_t *outbox_id)
{
	struct channel ch;
	json_t *payload;
	enum fq_err err = load(c, id, &ch, NULL, true);

	*outbox_id = 0;
	if (err)
		return err;
	if (!ch.enabled)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "disabled", "enabled",
			       "the channel is disabled: enable it first");
	if (!strcmp(ch.kind, "sms") && (!ch.phones || !*ch.phones))
		return invalid(c, "phones", "give the channel a phone to send the test message to");
	payload = json_pack("{ss}", "by", c->who && c->who->display_name ? c->who->display_name
									 : "系统");
	err = enqueue(c, ch.station_id, "test", payload, &id, 1, outbox_id);
	json_decref(payload);
	return err;
}

/* ---- the log ---- */

json_t *fq_outbox_delivery_list(struct fq_ctx *c, int64_t channel_id, const char *status,
				int64_t after, int64_t limit)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows, *row;
	size_t i;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_outbox_list(c->db, lo, hi, channel_id, status, after, limit, &err);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row)
		json_object_del(row, "org_path");
	return rows;
}

json_t *fq_outbox_delivery_get(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *row = fq_store_outbox_json(c->db, id, &err), *attempts = NULL, *payload;

	if (!err && !fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path"))))
		err = FQ_ERR_NOT_FOUND;
	if (!err)
		attempts = fq_store_outbox_attempts(c->db, id, &err);
	if (err) {
		json_decref(row);
		if (err == FQ_ERR_NOT_FOUND)
			fq_fail(c->e, err, NULL, NULL,
				"delivery %lld does not exist or is outside your area", (long long)id);
		else
			fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	payload = json_loads(json_string_value(json_object_get(row, "payload")), 0, NULL);
	json_object_set_new(row, "payload", payload ? payload : json_object());
	json_object_set_new(row, "attempt_log", attempts);
	json_object_del(row, "org_path");
	return row;
}

enum fq_err fq_outbox_delivery_retry(struct fq_ctx *c, int64_t id)
{
	json_t *row = fq_outbox_delivery_get(c, id);
	enum fq_err err;

	if (!row)
		return c->e->err;
	json_decref(row);
	err = fq_store_outbox_retry(c->db, id, fq_time_now_ms());
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "not_failed", NULL,
			       "only a failed delivery of a channel not deleted can be tried again");
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}
