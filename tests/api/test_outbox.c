/* The outbox (docs/api.md "Outbox", docs/internals.md "Outbox"): channels
 * checked field by field, only the sysadmin, secrets never returned, rows
 * queued in the caller's transaction, and delivery driven directly
 * (fq_outbox_run_once) against a receiver thread on 127.0.0.1 that checks
 * the HMAC signature: success, 500 → retries with backoff → failed, a
 * timeout, a lease that ran out, the robots and an SMS gateway. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/harness.h"
#include "auth/secret.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/outbox.h"
#include "domain/outbox_send.h"
#include "http/app.h"
#include "store/store.h"

#define SECRET "receiver-shared-secret-0123"

/* ---- a receiver on 127.0.0.1 ---- */

#define MAX_SEEN 16

struct seen {
	char method[8];
	char target[512];
	char event_id[64];
	char timestamp[32];
	char signature[96];
	bool signature_ok;
	char *body;
};

struct receiver {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	/* what to answer */
	int status;
	const char *answer;
	int delay_ms;
	const char *secret; /* the webhook's, to check signatures with */
	struct seen seen[MAX_SEEN];
	int nseen;
};

static void header_value(const char *head, const char *name, char *out, size_t size)
{
	const char *p = strcasestr(head, name);
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(name);
	while (*p == ' ')
		p++;
	while (p[n] && p[n] != '\r' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

static bool signature_ok(const char *secret, const char *ts, const char *body, const char *sig)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[32];
	char want[72] = "sha256=";

	if (!secret)
		return false;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(want + 7, 65, mac, sizeof(mac));
	return !strcmp(want, sig);
}

static void serve_one(struct receiver *rc, int c)
{
	char buf[65536], head[8192], *end;
	size_t len = 0, body_len = 0;
	ssize_t n;
	char cl[32], out[1024];
	struct seen s = {0};
	const char *answer;
	int status, delay;

	while (len < sizeof(buf) - 1 && (n = read(c, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		header_value(buf, "\r\nContent-Length:", cl, sizeof(cl));
		body_len = (size_t)strtoul(cl, NULL, 10);
		if (len >= (size_t)(end + 4 - buf) + body_len)
			break;
	}
	end = strstr(buf, "\r\n\r\n");
	if (!end) {
		close(c);
		return;
	}
	memcpy(head, buf, (size_t)(end - buf) < sizeof(head) - 1 ? (size_t)(end - buf) : sizeof(head) - 1);
	head[(size_t)(end - buf) < sizeof(head) - 1 ? (size_t)(end - buf) : sizeof(head) - 1] = '\0';
	sscanf(head, "%7s %511s", s.method, s.target);
	header_value(head, "\r\nX-Fengqiao-Event-Id:", s.event_id, sizeof(s.event_id));
	header_value(head, "\r\nX-Fengqiao-Timestamp:", s.timestamp, sizeof(s.timestamp));
	header_value(head, "\r\nX-Fengqiao-Signature:", s.signature, sizeof(s.signature));
	s.body = strndup(end + 4, body_len);
	pthread_mutex_lock(&rc->lock);
	s.signature_ok = signature_ok(rc->secret, s.timestamp, s.body ? s.body : "", s.signature);
	if (rc->nseen < MAX_SEEN)
		rc->seen[rc->nseen++] = s;
	else
		free(s.body);
	status = rc->status;
	answer = rc->answer ? rc->answer : "ok";
	delay = rc->delay_ms;
	pthread_mutex_unlock(&rc->lock);
	if (delay) {
		struct timespec ts = {delay / 1000, (long)(delay % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	snprintf(out, sizeof(out),
		 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 status, strlen(answer), answer);
	if (write(c, out, strlen(out)) < 0) {
		/* the client gave up (a timeout test) */
	}
	close(c);
}

static void *receive(void *arg)
{
	struct receiver *rc = arg;

	for (;;) {
		int c = accept(rc->fd, NULL, NULL);
		bool stop;

		pthread_mutex_lock(&rc->lock);
		stop = rc->stop;
		pthread_mutex_unlock(&rc->lock);
		if (stop) {
			if (c >= 0)
				close(c);
			return NULL;
		}
		if (c >= 0)
			serve_one(rc, c);
	}
}

static struct receiver *receiver_start(void)
{
	struct receiver *rc = calloc(1, sizeof(*rc));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);

	rc->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rc->fd < 0 || bind(rc->fd, (struct sockaddr *)&a, sizeof(a)) || listen(rc->fd, 16) ||
	    getsockname(rc->fd, (struct sockaddr *)&a, &alen))
		abort();
	rc->port = ntohs(a.sin_port);
	rc->status = 200;
	rc->secret = SECRET;
	pthread_mutex_init(&rc->lock, NULL);
	pthread_create(&rc->thread, NULL, receive, rc);
	return rc;
}

static void receiver_stop(struct receiver *rc)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				.sin_port = htons((uint16_t)rc->port)};
	int c = socket(AF_INET, SOCK_STREAM, 0);

	pthread_mutex_lock(&rc->lock);
	rc->stop = true;
	pthread_mutex_unlock(&rc->lock);
	/* wake the accept */
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0)
		close(c);
	else
		close(c);
	pthread_join(rc->thread, NULL);
	close(rc->fd);
	for (int i = 0; i < rc->nseen; i++)
		free(rc->seen[i].body);
	pthread_mutex_destroy(&rc->lock);
	free(rc);
}

static int seen_count(struct receiver *rc)
{
	int n;

	pthread_mutex_lock(&rc->lock);
	n = rc->nseen;
	pthread_mutex_unlock(&rc->lock);
	return n;
}

/* ---- helpers ---- */

/* A world whose outbox may send to 127.0.0.1, signed in as the sysadmin. */
static struct api_env *env_admin(struct api_client *admin)
{
	struct api_env *env = api_env_new();

	env->app->cfg.outbox_allow_private = true;
	env->app->cfg.outbox_max_attempts = 3;
	env->app->cfg.outbox_backoff_seconds = 10;
	env->app->cfg.outbox_backoff_max_seconds = 3600;
	env->app->cfg.outbox_timeout_seconds = 1;
	env->app->cfg.outbox_lease_seconds = 60;
	if (!api_login_enrolled(env, admin, "sysadmin"))
		abort();
	return env;
}

static int64_t new_webhook(struct api_env *env, struct api_client *admin, struct receiver *rc)
{
	struct api_resp r = api_callf(
		env, admin, "POST", "/api/outbox/channels",
		"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"指挥中心\","
		"\"url\":\"http://127.0.0.1:%d/hook?token=abc123\",\"secret\":\"%s\","
		"\"events\":[\"test\",\"incident.dispatched\"]}",
		(long long)env->st_a, rc ? rc->port : 9, SECRET);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		fprintf(stderr, "channel not made: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static const struct fq_outbox_runner *runner(struct api_env *env)
{
	static struct fq_outbox_runner o;

	o = (struct fq_outbox_runner){env->app->store, env->app->keys, &env->app->cfg};
	return &o;
}

/* One delivery attempt at time now; true when a row was due. */
static bool run_at(struct api_env *env, int64_t now)
{
	struct fq_error e = {0};
	bool did = false;

	if (fq_outbox_run_once(runner(env), now, &did, &e))
		fprintf(stderr, "run_once: %s\n", e.message);
	return did;
}

static int64_t q_int(struct api_env *env, const char *fmt, int64_t id)
{
	return api_count(env, api_fmt(fmt, (long long)id));
}

/* Queues "test" to channel id through the API; the row's id. */
static int64_t send_test(struct api_env *env, struct api_client *admin, int64_t channel)
{
	struct api_resp r = api_call(env, admin, "POST",
				     api_fmt("/api/outbox/channels/%lld/test", (long long)channel), NULL);
	int64_t id = r.status == 202 ? api_int(r.json, "id") : 0;

	if (!id)
		fprintf(stderr, "test not queued: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* ---- channels ---- */

TEST(only_the_sysadmin_manages_channels)
{
	struct api_client admin, chief, officer;
	struct api_env *env = env_admin(&admin);
	struct api_resp r;
	static const char *const who[] = {"chief", "officer", "secadmin", "auditor"};

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct api_client c;

		CHECK(api_login_enrolled(env, &c, who[i]));
		r = api_call(env, &c, "GET", "/api/outbox/channels", NULL);
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
		r = api_callf(env, &c, "POST", "/api/outbox/channels", "{\"station_id\":%lld}",
			      (long long)env->st_a);
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", "/api/outbox/deliveries", NULL);
		check_error(r, 403, NULL, NULL);
		api_resp_free(&r);
	}
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox_channels"), 0);
	CHECK(new_webhook(env, &admin, NULL) > 0);
	r = api_call(env, &admin, "GET", "/api/outbox/channels", NULL);
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 1);
	api_resp_free(&r);
	(void)chief;
	(void)officer;
	api_env_free(env);
}

TEST(channel_fields_are_checked_and_named)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct {
		const char *body; /* %lld: station A */
		const char *field;
		const char *code;
	} bad[] = {
		{"{\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}", "station_id", NULL},
		{"{\"station_id\":%lld,\"kind\":\"fax\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"events\":[\"test\"]}", "kind", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}", "name", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"ftp://example.com/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}", "url", "bad_url"},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}", "url", "bad_url"},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"events\":[\"test\"]}", "secret", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"short\",\"events\":[\"test\"]}", "secret", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[]}", "events", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"party\"]}", "events", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"],\"msg_format\":\"markdown\"}", "msg_format", NULL},
		{"{\"station_id\":%lld,\"kind\":\"wecom\",\"name\":\"x\",\"url\":\"http://127.0.0.1/send?key=k\",\"secret\":\"abc\",\"events\":[\"test\"]}", "secret", NULL},
		{"{\"station_id\":%lld,\"kind\":\"wecom\",\"name\":\"x\",\"url\":\"http://127.0.0.1/send?key=k\",\"events\":[\"test\"],\"phones\":[\"13800138000\"]}", "phones", NULL},
		{"{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"x\",\"url\":\"http://127.0.0.1/sms\",\"events\":[\"test\"],\"sms_content_type\":\"json\",\"sms_body\":\"{phone} {text}\"}", "sms_method", NULL},
		{"{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"x\",\"url\":\"http://127.0.0.1/sms\",\"events\":[\"test\"],\"sms_method\":\"POST\",\"sms_content_type\":\"json\",\"sms_body\":\"{\\\"to\\\":\\\"{phone}\\\"}\"}", "sms_body", NULL},
		{"{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"x\",\"url\":\"http://127.0.0.1/sms\",\"events\":[\"test\"],\"sms_method\":\"GET\"}", "url", NULL},
		{"{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"x\",\"url\":\"http://127.0.0.1/sms?to={phone}&m={text}\",\"events\":[\"test\"],\"sms_method\":\"GET\",\"phones\":[\"12345\"]}", "phones[0]", NULL},
		{"{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"],\"colour\":\"red\"}", "colour", NULL},
	};
	struct api_resp r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_callf(env, &admin, "POST", "/api/outbox/channels", bad[i].body,
			      (long long)env->st_a);
		if (!check_error(r, 422, bad[i].code, bad[i].field))
			fprintf(stderr, "  case %zu: %s\n", i, bad[i].body);
		api_resp_free(&r);
	}
	/* a grid is not a station */
	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://"
		      "127.0.0.1/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}",
		      (long long)env->g_a1);
	check_error(r, 422, NULL, "station_id");
	api_resp_free(&r);
	/* a private address, unless the setting allows it */
	env->app->cfg.outbox_allow_private = false;
	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://"
		      "192.168.1.9/hook\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}",
		      (long long)env->st_a);
	check_error(r, 422, "private_address", "url");
	CHECK(strstr(r.body, "outbox_allow_private") != NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox_channels"), 0);
	/* a failure is audited too */
	json_t *a = api_audit_last(env, "outbox.channel_create", NULL);
	CHECK_STR(api_str(a, "outcome"), "failure");
	json_decref(a);
	api_env_free(env);
}

TEST(secrets_are_sealed_and_never_returned)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct api_resp r;
	int64_t id = new_webhook(env, &admin, NULL);
	json_t *a;

	CHECK(id > 0);
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/channels/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "has_secret"));
	CHECK(!api_get(r.json, "secret"));
	CHECK_STR(api_str(r.json, "url"), api_fmt("http://127.0.0.1:9/hook?token=***"));
	CHECK(!strstr(r.body, SECRET) && !strstr(r.body, "abc123"));
	CHECK_STR(api_str(r.json, "events.1"), "incident.dispatched");
	api_resp_free(&r);
	r = api_call(env, &admin, "GET", "/api/outbox/channels", NULL);
	CHECK(!strstr(r.body, SECRET) && !strstr(r.body, "abc123"));
	api_resp_free(&r);
	/* nothing in the database in the clear */
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox_channels WHERE url_shown LIKE '%abc123%'"), 0);
	/* a change without url or secret keeps both */
	r = api_callf(env, &admin, "PATCH", api_fmt("/api/outbox/channels/%lld", (long long)id),
		      "{\"name\":\"新名字\",\"enabled\":false}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "name"), "新名字");
	CHECK(!api_bool(r.json, "enabled"));
	CHECK(api_bool(r.json, "has_secret"));
	CHECK_STR(api_str(r.json, "url"), "http://127.0.0.1:9/hook?token=***");
	api_resp_free(&r);
	/* a webhook cannot lose its secret; the kind cannot change */
	r = api_callf(env, &admin, "PATCH", api_fmt("/api/outbox/channels/%lld", (long long)id),
		      "{\"secret\":\"\"}");
	check_error(r, 422, NULL, "secret");
	api_resp_free(&r);
	r = api_callf(env, &admin, "PATCH", api_fmt("/api/outbox/channels/%lld", (long long)id),
		      "{\"kind\":\"sms\"}");
	check_error(r, 422, NULL, "kind");
	api_resp_free(&r);
	a = api_audit_last(env, "outbox.channel_update", api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(a, "object_type"), "outbox_channel");
	json_decref(a);
	a = api_audit_last(env, "outbox.channel_create", api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(a, "outcome"), "success");
	json_decref(a);
	api_env_free(env);
}

/* ---- queueing ---- */

static enum fq_err enqueue_in_tx(struct api_env *env, bool commit, int64_t station,
				 const char *kind)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);
	struct fq_arena *arena = fq_arena_new();
	struct fq_ctx c = {.db = db, .keys = env->app->keys, .arena = arena, .e = &e,
			   .cfg = &env->app->cfg};
	json_t *payload = json_pack("{ssssss}", "number", "LL-2026-000001", "address", "双龙大道88号",
				    "responders", "张警官");
	enum fq_err err = fq_db_begin(db, true);

	if (!err)
		err = fq_outbox_enqueue(&c, station, kind, payload);
	if (!err && commit)
		err = fq_db_commit(db);
	else
		fq_db_rollback(db);
	json_decref(payload);
	fq_arena_free(arena);
	return err;
}

TEST(enqueue_is_part_of_the_callers_transaction)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	int64_t ch = new_webhook(env, &admin, NULL);
	struct api_resp r;

	CHECK(ch > 0);
	/* rolled back: nothing queued */
	CHECK_INT(enqueue_in_tx(env, false, env->st_a, "incident.dispatched"), FQ_OK);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox"), 0);
	/* committed: one row for the one subscribed channel, its text rendered */
	CHECK_INT(enqueue_in_tx(env, true, env->st_a, "incident.dispatched"), FQ_OK);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox WHERE status = 'pending'"), 1);
	r = api_call(env, &admin, "GET", "/api/outbox/deliveries", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "items.0.text"),
		  "【两路派出所】警情已派警：LL-2026-000001已派张警官出警。");
	api_resp_free(&r);
	/* a kind the channel does not take, another station: nothing */
	CHECK_INT(enqueue_in_tx(env, true, env->st_a, "duty.shift_awaiting_approval"), FQ_OK);
	CHECK_INT(enqueue_in_tx(env, true, env->st_b, "incident.dispatched"), FQ_OK);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox"), 1);
	/* an unknown kind is a programming error */
	CHECK_INT(enqueue_in_tx(env, true, env->st_a, "no.such_kind"), FQ_ERR_INTERNAL);
	/* a failed request queues nothing: a test to a disabled channel */
	r = api_callf(env, &admin, "PATCH", api_fmt("/api/outbox/channels/%lld", (long long)ch),
		      "{\"enabled\":false}");
	api_resp_free(&r);
	r = api_call(env, &admin, "POST", api_fmt("/api/outbox/channels/%lld/test", (long long)ch),
		     NULL);
	check_error(r, 409, "disabled", "enabled");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox"), 1);
	/* disabled: queued rows wait, nothing is sent */
	CHECK(!run_at(env, fq_time_now_ms()));
	api_env_free(env);
}

/* ---- delivery ---- */

TEST(webhook_is_signed_and_delivered)
{
	struct api_client admin, officer;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	int64_t ch = new_webhook(env, &admin, rc), row;
	struct api_resp r;
	json_t *body, *a;
	char event_id[64] = "";

	row = send_test(env, &admin, ch);
	CHECK(row > 0);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 1);
	if (seen_count(rc) == 1) {
		struct seen *s = &rc->seen[0];

		CHECK_STR(s->method, "POST");
		CHECK_STR(s->target, "/hook?token=abc123");
		CHECK(s->signature_ok);
		body = json_loads(s->body, 0, NULL);
		CHECK_STR(api_str(body, "event"), "test");
		CHECK_STR(api_str(body, "event_id"), s->event_id);
		CHECK_INT(api_int(body, "station_id"), env->st_a);
		CHECK(strstr(api_str(body, "text") ? api_str(body, "text") : "", "测试消息") != NULL);
		CHECK(api_str(body, "data.by") != NULL);
		snprintf(event_id, sizeof(event_id), "%s", s->event_id);
		json_decref(body);
	}
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/deliveries/%lld", (long long)row), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "delivered");
	CHECK_INT(api_int(r.json, "attempts"), 1);
	CHECK_STR(api_str(r.json, "event_id"), event_id);
	CHECK_INT((int64_t)api_len(r.json, "attempt_log"), 1);
	CHECK_INT(api_int(r.json, "attempt_log.0.http_status"), 200);
	CHECK(json_is_null(api_get(r.json, "attempt_log.0.error")));
	CHECK_STR(api_str(r.json, "attempt_log.0.response"), "ok");
	api_resp_free(&r);
	a = api_audit_last(env, "outbox.delivery_read", api_fmt("%lld", (long long)row));
	CHECK_STR(api_str(a, "outcome"), "success");
	json_decref(a);
	a = api_audit_last(env, "outbox.channel_test", api_fmt("%lld", (long long)ch));
	CHECK_STR(api_str(a, "outcome"), "success");
	json_decref(a);
	/* nothing more is due */
	CHECK(!run_at(env, fq_time_now_ms() + 86400000));
	/* an officer sees no log */
	CHECK(api_login_enrolled(env, &officer, "officer"));
	r = api_call(env, &officer, "GET", api_fmt("/api/outbox/deliveries/%lld", (long long)row), NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(server_errors_are_retried_with_backoff_then_failed)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	int64_t ch = new_webhook(env, &admin, rc), row = send_test(env, &admin, ch);
	int64_t t = fq_time_now_ms(), next;
	struct api_resp r;

	rc->status = 500;
	rc->answer = "{\"error\":\"down\"}";
	/* attempt 1 at t: the next one 5–10 s later (backoff 10 s, upper half) */
	CHECK(run_at(env, t));
	next = q_int(env, "SELECT next_at FROM outbox WHERE id = %lld", row);
	CHECK(next >= t + 5000 && next <= t + 10000);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'pending'"
			     " AND attempts = 1 AND last_status = 500", row), 1);
	/* not due before then */
	CHECK(!run_at(env, next - 1));
	/* attempt 2: 10–20 s after */
	t = next;
	CHECK(run_at(env, t));
	next = q_int(env, "SELECT next_at FROM outbox WHERE id = %lld", row);
	CHECK(next >= t + 10000 && next <= t + 20000);
	/* attempt 3 is the last (outbox_max_attempts = 3) */
	CHECK(run_at(env, next));
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'failed'"
			     " AND attempts = 3", row), 1);
	CHECK(!run_at(env, next + 86400000));
	CHECK_INT(seen_count(rc), 3);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox_attempts WHERE outbox_id = %lld"
			     " AND http_status = 500 AND error IS NOT NULL", row), 3);
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/deliveries?status=failed&channel_id=%lld",
						 (long long)ch), NULL);
	check_status(r, 200);
	CHECK_INT((int64_t)api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.last_error"), "the receiver answered with an error status");
	api_resp_free(&r);
	/* tried again by hand, it goes through */
	rc->status = 200;
	r = api_call(env, &admin, "POST", api_fmt("/api/outbox/deliveries/%lld/retry", (long long)row), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "pending");
	api_resp_free(&r);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'delivered'", row), 1);
	/* a delivered one cannot be retried */
	r = api_call(env, &admin, "POST", api_fmt("/api/outbox/deliveries/%lld/retry", (long long)row), NULL);
	check_error(r, 409, "not_failed", NULL);
	api_resp_free(&r);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(backoff_doubles_up_to_its_maximum_with_jitter)
{
	struct fq_config cfg = {.outbox_backoff_seconds = 30, .outbox_backoff_max_seconds = 3600};

	CHECK_INT(fq_outbox_backoff_ms(&cfg, 1, 0), 15000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 1, 15000), 30000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 2, 0), 30000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 3, 0), 60000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 8, 0), 1800000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 50, 0), 1800000);
	CHECK_INT(fq_outbox_backoff_ms(&cfg, 50, 1800000), 3600000);
	for (uint32_t rnd = 0; rnd < 100000; rnd += 777) {
		int64_t d = fq_outbox_backoff_ms(&cfg, 4, rnd);
		CHECK(d >= 120000 && d <= 240000);
	}
}

TEST(a_timeout_is_a_failed_attempt)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	int64_t ch = new_webhook(env, &admin, rc), row = send_test(env, &admin, ch);

	rc->delay_ms = 2500; /* outbox_timeout_seconds = 1 */
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'pending'"
			     " AND attempts = 1 AND last_status IS NULL", row), 1);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox_attempts WHERE outbox_id = %lld AND"
			     " error LIKE 'timed out%%' AND http_status IS NULL AND duration_ms >= 900", row), 1);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(a_lease_that_ran_out_gives_another_attempt)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	int64_t ch = new_webhook(env, &admin, rc), row = send_test(env, &admin, ch);
	int64_t t = fq_time_now_ms();

	/* a worker claimed it and died: its lease runs 60 s */
	CHECK(api_exec(env, api_fmt("UPDATE outbox SET lease_token = 'dead', attempts = 1,"
				    " next_at = %lld WHERE id = %lld", (long long)(t + 60000),
				    (long long)row)));
	CHECK(!run_at(env, t));
	CHECK_INT(seen_count(rc), 0);
	CHECK(run_at(env, t + 60000));
	CHECK_INT(seen_count(rc), 1);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'delivered'"
			     " AND attempts = 2 AND lease_token IS NULL", row), 1);
	/* a last attempt that died is not made again past the maximum */
	row = send_test(env, &admin, ch);
	CHECK(api_exec(env, api_fmt("UPDATE outbox SET lease_token = 'dead', attempts = 3,"
				    " next_at = %lld WHERE id = %lld", (long long)t, (long long)row)));
	CHECK(run_at(env, t + 1));
	CHECK_INT(seen_count(rc), 1);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'failed'", row), 1);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(private_addresses_are_refused_when_sending)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	struct api_resp r;
	int64_t ch, row;

	/* accepted while the setting allowed it; checked again on the address
	 * connected to (a name that resolves to one is caught the same way) */
	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"webhook\",\"name\":\"x\",\"url\":\"http://"
		      "127.0.0.1:%d/\",\"secret\":\"" SECRET "\",\"events\":[\"test\"]}",
		      (long long)env->st_a, rc->port);
	check_status(r, 201);
	ch = api_int(r.json, "id");
	api_resp_free(&r);
	row = send_test(env, &admin, ch);
	env->app->cfg.outbox_allow_private = false;
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 0);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox_attempts WHERE outbox_id = %lld AND"
			     " error LIKE 'refused: the address is local or private%%'", row), 1);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(robots_get_their_message_and_their_refusal_is_a_failure)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	struct api_resp r;
	int64_t wecom, ding, row;
	json_t *body;

	rc->answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"wecom\",\"name\":\"所群\",\"url\":\"http://"
		      "127.0.0.1:%d/cgi-bin/webhook/send?key=KEY1\",\"events\":[\"test\"],"
		      "\"msg_format\":\"markdown\"}",
		      (long long)env->st_a, rc->port);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "url"), api_fmt("http://127.0.0.1:%d/cgi-bin/webhook/send?key=***", rc->port));
	wecom = api_int(r.json, "id");
	api_resp_free(&r);
	row = send_test(env, &admin, wecom);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 1);
	if (seen_count(rc) == 1) {
		CHECK_STR(rc->seen[0].target, "/cgi-bin/webhook/send?key=KEY1");
		body = json_loads(rc->seen[0].body, 0, NULL);
		CHECK_STR(api_str(body, "msgtype"), "markdown");
		CHECK(strstr(api_str(body, "markdown.content") ? api_str(body, "markdown.content") : "",
			     "**测试消息**") != NULL);
		json_decref(body);
	}
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'delivered'", row), 1);

	/* DingTalk with its signing secret; the robot refuses */
	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"dingtalk\",\"name\":\"钉钉群\",\"url\":\"http://"
		      "127.0.0.1:%d/robot/send?access_token=TOK\",\"secret\":\"SECabc\","
		      "\"events\":[\"test\"]}",
		      (long long)env->st_a, rc->port);
	check_status(r, 201);
	ding = api_int(r.json, "id");
	CHECK(api_bool(r.json, "has_secret"));
	api_resp_free(&r);
	rc->answer = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}";
	row = send_test(env, &admin, ding);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 2);
	if (seen_count(rc) == 2) {
		/* ?access_token=TOK&timestamp=T&sign=base64(HMAC(secret, T\nsecret)) */
		const char *target = rc->seen[1].target, *ts = strstr(target, "&timestamp="),
			   *sign = strstr(target, "&sign=");
		unsigned char mac[32];
		char want[64], *got = NULL, t[32] = "";
		crypto_auth_hmacsha256_state st;

		CHECK(!strncmp(target, "/robot/send?access_token=TOK&timestamp=", 39));
		if (ts && sign) {
			snprintf(t, sizeof(t), "%.*s", (int)(sign - ts - 11), ts + 11);
			crypto_auth_hmacsha256_init(&st, (const unsigned char *)"SECabc", 6);
			crypto_auth_hmacsha256_update(&st, (const unsigned char *)t, strlen(t));
			crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\nSECabc", 7);
			crypto_auth_hmacsha256_final(&st, mac);
			sodium_bin2base64(want, sizeof(want), mac, 32, sodium_base64_VARIANT_ORIGINAL);
			/* the sign is URL-encoded: + / = as %2B %2F %3D */
			got = strdup(sign + 6);
			char *w = got;

			for (const char *p = got; *p; p++) {
				if (p[0] == '%' && p[1] && p[2]) {
					char hex[3] = {p[1], p[2], 0};
					*w++ = (char)strtol(hex, NULL, 16);
					p += 2;
				} else {
					*w++ = *p;
				}
			}
			*w = '\0';
			CHECK_STR(got, want);
			free(got);
		}
		body = json_loads(rc->seen[1].body, 0, NULL);
		CHECK_STR(api_str(body, "msgtype"), "text");
		CHECK(strstr(api_str(body, "text.content") ? api_str(body, "text.content") : "", "测试消息") != NULL);
		json_decref(body);
	}
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE id = %lld AND status = 'pending'"
			     " AND last_error LIKE '%%errcode 310000, sign not match'", row), 1);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(sms_gateway_gets_phone_and_text_from_its_template)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	struct api_resp r;
	int64_t ch, row;
	json_t *body;

	r = api_callf(env, &admin, "POST", "/api/outbox/channels",
		      "{\"station_id\":%lld,\"kind\":\"sms\",\"name\":\"短信\",\"url\":\"http://"
		      "127.0.0.1:%d/sms/send?apikey=K9\",\"events\":[\"test\"],\"sms_method\":\"POST\","
		      "\"sms_content_type\":\"json\",\"sms_body\":\"{\\\"mobile\\\":\\\"{phone}\\\","
		      "\\\"content\\\":\\\"{text}\\\"}\",\"phones\":[\"13800138000\"]}",
		      (long long)env->st_a, rc->port);
	check_status(r, 201);
	ch = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "phones.0"), "138****8000");
	CHECK(!strstr(r.body, "13800138000"));
	api_resp_free(&r);
	r = api_call(env, &admin, "GET", "/api/outbox/channels", NULL);
	CHECK_STR(api_str(r.json, "items.0.phones.0"), "138****8000");
	CHECK(!strstr(r.body, "13800138000"));
	api_resp_free(&r);
	row = send_test(env, &admin, ch);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 1);
	if (seen_count(rc) == 1) {
		CHECK_STR(rc->seen[0].target, "/sms/send?apikey=K9");
		body = json_loads(rc->seen[0].body, 0, NULL);
		CHECK_STR(api_str(body, "mobile"), "13800138000");
		CHECK(strstr(api_str(body, "content") ? api_str(body, "content") : "", "测试消息") != NULL);
		json_decref(body);
	}
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/deliveries/%lld", (long long)row), NULL);
	CHECK_STR(api_str(r.json, "recipient"), "138****8000");
	CHECK_STR(api_str(r.json, "status"), "delivered");
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM outbox WHERE recipient_shown LIKE '%13800138000%'"), 0);
	receiver_stop(rc);
	api_env_free(env);
}

TEST(deleting_a_channel_keeps_its_log_and_fails_what_waits)
{
	struct api_client admin;
	struct api_env *env = env_admin(&admin);
	int64_t ch = new_webhook(env, &admin, NULL), row = send_test(env, &admin, ch);
	struct api_resp r;

	r = api_call(env, &admin, "DELETE", api_fmt("/api/outbox/channels/%lld", (long long)ch), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/channels/%lld", (long long)ch), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &admin, "GET", api_fmt("/api/outbox/deliveries/%lld", (long long)row), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "status"), "failed");
	CHECK_STR(api_str(r.json, "last_error"), "the channel was deleted");
	api_resp_free(&r);
	r = api_call(env, &admin, "POST", api_fmt("/api/outbox/deliveries/%lld/retry", (long long)row), NULL);
	check_error(r, 409, "not_failed", NULL);
	api_resp_free(&r);
	CHECK(!run_at(env, fq_time_now_ms()));
	json_t *a = api_audit_last(env, "outbox.channel_delete", api_fmt("%lld", (long long)ch));
	CHECK_STR(api_str(a, "outcome"), "success");
	json_decref(a);
	api_env_free(env);
}

/* ---- what the modules queue ---- */

/* A dispatch tells the station's channels that subscribe to it, once for
 * all its responders, in the dispatch's transaction. */
TEST(a_dispatch_is_sent_to_the_stations_channels)
{
	static const char *const staff[] = {"officer", "aux", NULL};
	struct api_client admin, officer;
	struct api_env *env = env_admin(&admin);
	struct receiver *rc = receiver_start();
	int64_t ch = new_webhook(env, &admin, rc), id = 0;
	struct api_resp r;

	CHECK(api_on_shift(env, env->st_a, staff));
	CHECK(api_login(env, &officer, "officer", API_PASSWORD, NULL) == 200);
	r = api_call(env, &officer, "POST", "/api/incidents",
		     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
		     "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"}");
	if (check_status(r, 201))
		id = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_callf(env, &officer, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld,%lld]}", (long long)api_user_id(env, "officer"),
		      (long long)api_user_id(env, "aux"));
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE channel_id = %lld", ch), 1);
	CHECK(run_at(env, fq_time_now_ms()));
	CHECK_INT(seen_count(rc), 1);
	if (seen_count(rc) == 1) {
		json_t *body = json_loads(rc->seen[0].body, 0, NULL);
		const char *text = api_str(body, "text");

		CHECK(rc->seen[0].signature_ok);
		CHECK_STR(api_str(body, "event"), "incident.dispatched");
		CHECK(text && strstr(text, "已派") && strstr(text, "出警"));
		json_decref(body);
	}
	/* a refused dispatch (already dispatched) queues nothing */
	r = api_callf(env, &officer, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, "aux"));
	check_error(r, 409, NULL, "user_ids");
	api_resp_free(&r);
	CHECK_INT(q_int(env, "SELECT count(*) FROM outbox WHERE channel_id = %lld", ch), 1);
	receiver_stop(rc);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(only_the_sysadmin_manages_channels),
	TEST_ENTRY(channel_fields_are_checked_and_named),
	TEST_ENTRY(secrets_are_sealed_and_never_returned),
	TEST_ENTRY(enqueue_is_part_of_the_callers_transaction),
	TEST_ENTRY(webhook_is_signed_and_delivered),
	TEST_ENTRY(server_errors_are_retried_with_backoff_then_failed),
	TEST_ENTRY(backoff_doubles_up_to_its_maximum_with_jitter),
	TEST_ENTRY(a_timeout_is_a_failed_attempt),
	TEST_ENTRY(a_lease_that_ran_out_gives_another_attempt),
	TEST_ENTRY(private_addresses_are_refused_when_sending),
	TEST_ENTRY(robots_get_their_message_and_their_refusal_is_a_failure),
	TEST_ENTRY(sms_gateway_gets_phone_and_text_from_its_template),
	TEST_ENTRY(deleting_a_channel_keeps_its_log_and_fails_what_waits),
	TEST_ENTRY(a_dispatch_is_sent_to_the_stations_channels),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/outbox", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
