/* Community chat groups and broadcasts (docs/api.md "Chat groups and
 * broadcasts"): every field error named, nothing written on a refusal, data
 * scope, the robot URL never shown whole and hidden from the sysadmin's
 * channels, and a broadcast delivered through the outbox to robots on
 * 127.0.0.1 — one refuses its first attempt and gets the retry, one keeps
 * refusing and fails with the error — with the groups without a robot
 * posted by hand; the broadcast found by search. Both stores. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/harness.h"
#include "core/time.h"
#include "domain/outbox_send.h"
#include "http/app.h"

/* ---- a robot on 127.0.0.1: answers each request with the next status of
 * its script (the last one repeats), counts them, keeps the last body ---- */

struct robot {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t lock;
	int script[4], nscript, hits;
	char last[4096];
};

static void *robot_loop(void *arg)
{
	struct robot *rb = arg;
	int c;

	while ((c = accept(rb->fd, NULL, NULL)) >= 0) {
		char buf[8192], out[256];
		size_t len = 0;
		ssize_t n;
		const char *end = NULL, *body;
		int status;

		while (len < sizeof(buf) - 1 && (n = read(c, buf + len, sizeof(buf) - 1 - len)) > 0) {
			const char *cl;

			len += (size_t)n;
			buf[len] = '\0';
			end = strstr(buf, "\r\n\r\n");
			cl = strcasestr(buf, "\r\nContent-Length:");
			if (end && (!cl || len >= (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10)))
				break;
		}
		if (!end) { /* the stop of robot_stop */
			close(c);
			break;
		}
		pthread_mutex_lock(&rb->lock);
		status = rb->script[rb->hits < rb->nscript ? rb->hits : rb->nscript - 1];
		rb->hits++;
		body = end + 4;
		snprintf(rb->last, sizeof(rb->last), "%s", body);
		pthread_mutex_unlock(&rb->lock);
		body = status == 200 ? "{\"errcode\":0,\"errmsg\":\"ok\"}" : "{\"errcode\":-1}";
		snprintf(out, sizeof(out),
			 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s",
			 status, strlen(body), body);
		if (write(c, out, strlen(out)) < 0)
			perror("robot write");
		close(c);
	}
	return NULL;
}

static struct robot *robot_start(const int *script, int n)
{
	struct robot *rb = calloc(1, sizeof(*rb));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);

	if (!rb)
		abort();
	memcpy(rb->script, script, sizeof(int) * (size_t)n);
	rb->nscript = n;
	rb->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rb->fd < 0 || bind(rb->fd, (struct sockaddr *)&a, sizeof(a)) || listen(rb->fd, 8) ||
	    getsockname(rb->fd, (struct sockaddr *)&a, &alen))
		abort();
	rb->port = ntohs(a.sin_port);
	pthread_mutex_init(&rb->lock, NULL);
	pthread_create(&rb->thread, NULL, robot_loop, rb);
	return rb;
}

/* A connection that sends nothing ends the loop. */
static void robot_stop(struct robot *rb)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				.sin_port = htons((uint16_t)rb->port)};
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0)
		shutdown(c, SHUT_WR);
	pthread_join(rb->thread, NULL);
	close(c);
	close(rb->fd);
	pthread_mutex_destroy(&rb->lock);
	free(rb);
}

static int robot_hits(struct robot *rb)
{
	int n;

	pthread_mutex_lock(&rb->lock);
	n = rb->hits;
	pthread_mutex_unlock(&rb->lock);
	return n;
}

/* ---- the world ---- */

struct world {
	struct api_env *env;
	struct api_client chief, officer, aux, other, volunteer;
};

static void world_init(struct world *w)
{
	w->env = api_env_new();
	w->env->app->cfg.outbox_allow_private = true;
	w->env->app->cfg.outbox_max_attempts = 3;
	w->env->app->cfg.outbox_backoff_seconds = 10;
	w->env->app->cfg.outbox_backoff_max_seconds = 3600;
	w->env->app->cfg.outbox_timeout_seconds = 2;
	if (!api_login_enrolled(w->env, &w->chief, "chief") ||
	    api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) != 200 ||
	    api_login(w->env, &w->aux, "aux", API_PASSWORD, NULL) != 200 ||
	    api_login(w->env, &w->other, "officer.b", API_PASSWORD, NULL) != 200 ||
	    api_login(w->env, &w->volunteer, "volunteer", API_PASSWORD, NULL) != 200)
		abort();
}

/* A group made by the officer (extra: more JSON fields, with a leading comma). */
static int64_t new_group(struct world *w, const char *name, const char *platform, int64_t org,
			 const char *extra)
{
	struct api_resp r = api_callf(w->env, &w->officer, "POST", "/api/chatgroups",
				      "{\"name\":\"%s\",\"platform\":\"%s\",\"org_id\":%lld,"
				      "\"members\":120%s}",
				      name, platform, (long long)org, extra ? extra : "");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		fprintf(stderr, "group not made: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static void run_at(struct world *w, int64_t now)
{
	struct fq_outbox_runner o = {w->env->app->store, w->env->app->keys, &w->env->app->cfg};
	struct fq_error e = {0};
	bool did = true;

	/* every row due at now, once */
	for (int i = 0; did && i < 10; i++)
		if (fq_outbox_run_once(&o, now, &did, &e))
			fprintf(stderr, "run_once: %s\n", e.message);
}

/* The target of group in a broadcast's answer. */
static json_t *target(json_t *b, int64_t group)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(b, "targets"), i, t)
		if (json_integer_value(json_object_get(t, "group_id")) == group)
			return t;
	return NULL;
}

/* ---- tests ---- */

static void expect_field(struct world *w, const char *body, const char *field)
{
	struct api_resp r = api_call(w->env, &w->officer, "POST", "/api/chatgroups", body);

	if (!check_status(r, 422))
		fprintf(stderr, "  for %s\n", body);
	CHECK_STR(api_str(r.json, "error.field"), field);
	api_resp_free(&r);
}

TEST(group_errors_name_the_field_and_write_nothing)
{
	struct world w;
	char body[512];

	world_init(&w);
	snprintf(body, sizeof(body), "{\"platform\":\"wechat\",\"org_id\":%lld,\"members\":1}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "name");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"qq\",\"org_id\":%lld,\"members\":1}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "platform");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wechat\",\"org_id\":%lld,\"members\":100001}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "members");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wechat\",\"org_id\":%lld,\"members\":1}",
		 (long long)w.env->g_b1); /* another station's grid */
	expect_field(&w, body, "org_id");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wechat\",\"org_id\":%lld,\"members\":1}",
		 (long long)w.env->branch); /* above any station */
	expect_field(&w, body, "org_id");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wechat\",\"org_id\":%lld,\"members\":1,"
		 "\"officer_id\":%lld}",
		 (long long)w.env->g_a1, (long long)api_user_id(w.env, "volunteer"));
	expect_field(&w, body, "officer_id");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wechat\",\"org_id\":%lld,\"members\":1,"
		 "\"robot_url\":\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k\"}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "robot_url"); /* a WeChat group has no robot */
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wecom\",\"org_id\":%lld,\"members\":1,"
		 "\"robot_url\":\"ftp://example.com/x\"}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "robot_url");
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wecom\",\"org_id\":%lld,\"members\":1,"
		 "\"robot_url\":\"https://qyapi.weixin.qq.com/send?key=k\",\"robot_secret\":\"SEC1\"}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "robot_secret"); /* only DingTalk signs */
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"wecom\",\"org_id\":%lld,\"members\":1,"
		 "\"colour\":\"red\"}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "colour");
	w.env->app->cfg.outbox_allow_private = false;
	snprintf(body, sizeof(body),
		 "{\"name\":\"群\",\"platform\":\"dingtalk\",\"org_id\":%lld,\"members\":1,"
		 "\"robot_url\":\"http://127.0.0.1:9/robot/send?access_token=t\"}",
		 (long long)w.env->g_a1);
	expect_field(&w, body, "robot_url");
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM chat_groups"), 0);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox_channels"), 0);
	api_env_free(w.env);
}

TEST(scope_and_permissions)
{
	struct world w;
	struct api_resp r;
	int64_t g;

	world_init(&w);
	g = new_group(&w, "双凤桥平安群", "wechat", w.env->g_a1,
		      api_fmt(",\"officer_id\":%lld,\"note\":\"居民群\"",
			      (long long)api_user_id(w.env, "aux")));
	CHECK(g > 0);
	json_t *audit = api_audit_last(w.env, "chatgroup.create", api_fmt("%lld", (long long)g));
	CHECK(audit != NULL);
	json_decref(audit);
	/* the aux reads, the volunteer does not, nobody of station B sees it */
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/chatgroups/%lld", (long long)g), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "officer_name"), api_str(r.json, "officer_name"));
	CHECK(json_is_null(api_get(r.json, "robot")));
	api_resp_free(&r);
	r = api_call(w.env, &w.aux, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"members\":3}");
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(w.env, &w.volunteer, "GET", "/api/chatgroups", NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/chatgroups/%lld", (long long)g), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"members\":3}");
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/chatgroups", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_callf(w.env, &w.other, "POST", "/api/broadcasts",
		      "{\"kind\":\"notice\",\"title\":\"t\",\"body\":\"b\",\"group_ids\":[%lld]}",
		      (long long)g);
	check_status(r, 422);
	CHECK_STR(api_str(r.json, "error.field"), "group_ids[0]");
	api_resp_free(&r);
	r = api_callf(w.env, &w.aux, "POST", "/api/broadcasts",
		      "{\"kind\":\"notice\",\"title\":\"t\",\"body\":\"b\",\"group_ids\":[%lld]}",
		      (long long)g);
	check_status(r, 403);
	api_resp_free(&r);
	/* a change; null clears the officer and the note */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"members\":500,\"officer_id\":null,\"note\":null}");
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "members"), 500);
	CHECK(json_is_null(api_get(r.json, "officer_id")));
	CHECK(json_is_null(api_get(r.json, "note")));
	api_resp_free(&r);
	/* filters */
	CHECK(new_group(&w, "长岭企业微信群", "wecom", w.env->g_a2, NULL) > 0);
	r = api_call(w.env, &w.officer, "GET", "/api/chatgroups?platform=wecom", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET",
		     api_fmt("/api/chatgroups?org_id=%lld", (long long)w.env->g_a1), NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.name"), "双凤桥平安群");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/chatgroups?q=%E9%95%BF%E5%B2%AD", NULL); /* 长岭 */
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/chatgroups?robot=maybe", NULL);
	check_status(r, 400);
	CHECK_STR(api_str(r.json, "error.field"), "robot");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/chatgroups/export?format=csv", NULL);
	check_status(r, 200);
	CHECK(r.body && strstr(r.body, "长岭企业微信群") && strstr(r.body, "企业微信群"));
	api_resp_free(&r);
	/* deleted: gone from the list */
	r = api_call(w.env, &w.officer, "DELETE", api_fmt("/api/chatgroups/%lld", (long long)g), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/chatgroups/%lld", (long long)g), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	api_env_free(w.env);
}

TEST(the_robot_url_is_never_shown_whole)
{
	struct world w;
	struct api_client admin;
	struct api_resp r;
	int64_t g, channel;

	world_init(&w);
	if (!api_login_enrolled(w.env, &admin, "sysadmin"))
		abort();
	g = new_group(&w, "钉钉群", "dingtalk", w.env->g_a1,
		      ",\"robot_url\":\"https://oapi.dingtalk.com/robot/send?access_token="
		      "SECRETTOKEN123abcd\",\"robot_secret\":\"SECsignkey\"");
	CHECK(g > 0);
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/chatgroups/%lld", (long long)g), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "robot.shown"), "oapi.dingtalk.com/…abcd");
	CHECK(api_bool(r.json, "robot.signed"));
	CHECK(r.body && !strstr(r.body, "SECRETTOKEN") && !strstr(r.body, "SECsignkey"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/chatgroups", NULL);
	CHECK(r.body && !strstr(r.body, "SECRETTOKEN"));
	api_resp_free(&r);
	/* the writer may see it whole (audited); the reader may not */
	r = api_call(w.env, &w.aux, "POST", api_fmt("/api/chatgroups/%lld/unmask", (long long)g), NULL);
	check_status(r, 403);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "POST", api_fmt("/api/chatgroups/%lld/unmask", (long long)g), NULL);
	check_status(r, 404);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/chatgroups/%lld/unmask", (long long)g), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "robot_url"),
		  "https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN123abcd");
	api_resp_free(&r);
	json_t *seen = api_audit_last(w.env, "chatgroup.unmask", api_fmt("%lld", (long long)g));
	CHECK(seen != NULL);
	json_decref(seen);
	/* sealed at rest; the channel is the group's, not in the sysadmin's list */
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox_channels WHERE owner = 'chatgroup'"
				   " AND events = '' AND secret_enc IS NOT NULL"),
		  1);
	channel = api_count(w.env, "SELECT channel_id FROM chat_groups");
	r = api_call(w.env, &admin, "GET", "/api/outbox/channels", NULL);
	check_status(r, 200);
	CHECK(r.body && !strstr(r.body, "钉钉群"));
	api_resp_free(&r);
	r = api_call(w.env, &admin, "DELETE", api_fmt("/api/outbox/channels/%lld", (long long)channel),
		     NULL);
	check_status(r, 404);
	api_resp_free(&r);
	/* a new address replaces it; the platform cannot change under the robot */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"robot_url\":\"https://oapi.dingtalk.com/robot/send?access_token=NEW0wxyz\"}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "robot.shown"), "oapi.dingtalk.com/…wxyz");
	CHECK(api_bool(r.json, "robot.signed"));
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"platform\":\"wechat\"}");
	check_status(r, 422);
	CHECK_STR(api_str(r.json, "error.field"), "robot_url");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/chatgroups/%lld", (long long)g),
		     "{\"platform\":\"wechat\",\"robot_url\":null}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "robot")));
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox_channels WHERE deleted_at IS NULL"), 0);
	api_env_free(w.env);
}

TEST(a_broadcast_reaches_the_robots_with_retries_and_the_rest_by_hand)
{
	static const int flaky[] = {500, 200}, broken[] = {500};
	struct world w;
	struct robot *a = robot_start(flaky, 2), *b = robot_start(broken, 1);
	struct api_resp r;
	int64_t ga, gb, gh, id, now;
	json_t *t;

	world_init(&w);
	ga = new_group(&w, "企业微信网格群", "wecom", w.env->g_a1,
		       api_fmt(",\"robot_url\":\"http://127.0.0.1:%d/cgi-bin/webhook/send?key=KA\"",
			       a->port));
	gb = new_group(&w, "钉钉商户群", "dingtalk", w.env->g_a2,
		       api_fmt(",\"robot_url\":\"http://127.0.0.1:%d/robot/send?access_token=TB\","
			       "\"robot_secret\":\"SECb\"",
			       b->port));
	gh = new_group(&w, "居民微信群", "wechat", w.env->g_a1, NULL);
	CHECK(ga && gb && gh);

	/* a refusal queues nothing: one bad group among good ones */
	r = api_callf(w.env, &w.officer, "POST", "/api/broadcasts",
		      "{\"kind\":\"fraud\",\"title\":\"警惕刷单诈骗\",\"body\":\"先垫资的兼职都是诈骗\","
		      "\"group_ids\":[%lld,999]}",
		      (long long)ga);
	check_status(r, 422);
	CHECK_STR(api_str(r.json, "error.field"), "group_ids[1]");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/broadcasts",
		      "{\"kind\":\"fraud\",\"title\":\"\",\"body\":\"x\",\"group_ids\":[%lld]}",
		      (long long)ga);
	check_status(r, 422);
	CHECK_STR(api_str(r.json, "error.field"), "title");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", "/api/broadcasts",
		      "{\"kind\":\"rumour\",\"title\":\"t\",\"body\":\"x\",\"group_ids\":[%lld]}",
		      (long long)ga);
	CHECK_STR(api_str(r.json, "error.field"), "kind");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "POST", "/api/broadcasts",
		     "{\"kind\":\"fraud\",\"title\":\"t\",\"body\":\"x\"}");
	CHECK_STR(api_str(r.json, "error.field"), "group_ids");
	api_resp_free(&r);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM broadcasts"), 0);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox"), 0);

	/* to every group of the station */
	r = api_callf(w.env, &w.officer, "POST", "/api/broadcasts",
		      "{\"kind\":\"fraud\",\"title\":\"警惕刷单返利诈骗\",\"body\":\"先垫资、"
		      "许高额返利的兼职都是诈骗。\\n不点陌生链接。\",\"org_id\":%lld}",
		      (long long)w.env->st_a);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_INT(api_len(r.json, "targets"), 3);
	CHECK_STR(api_str(target(r.json, ga), "status"), "pending");
	CHECK_STR(api_str(target(r.json, gh), "status"), "to_post");
	CHECK(strstr(api_str(r.json, "text"), "【反诈提醒】警惕刷单返利诈骗") != NULL);
	api_resp_free(&r);
	json_t *audit = api_audit_last(w.env, "broadcast.send", api_fmt("%lld", (long long)id));
	CHECK(audit != NULL);
	json_decref(audit);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM outbox WHERE event_kind = 'message'"), 2);

	/* first attempts: both refuse */
	now = fq_time_now_ms();
	run_at(&w, now);
	CHECK_INT(robot_hits(a), 1);
	CHECK_INT(robot_hits(b), 1);
	r = api_call(w.env, &w.aux, "GET", api_fmt("/api/broadcasts/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(target(r.json, ga), "status"), "pending");
	CHECK_INT(api_int(target(r.json, ga), "attempts"), 1);
	api_resp_free(&r);
	/* after the backoff: a takes it, b refuses again, then fails for good */
	run_at(&w, now + 60 * 1000);
	run_at(&w, now + 600 * 1000);
	CHECK_INT(robot_hits(a), 2);
	CHECK_INT(robot_hits(b), 3);
	pthread_mutex_lock(&a->lock);
	CHECK(strstr(a->last, "\"msgtype\":\"text\"") != NULL);
	CHECK(strstr(a->last, "警惕刷单返利诈骗") != NULL);
	pthread_mutex_unlock(&a->lock);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/broadcasts/%lld", (long long)id), NULL);
	check_status(r, 200);
	t = target(r.json, ga);
	CHECK_STR(api_str(t, "status"), "delivered");
	CHECK_INT(api_int(t, "attempts"), 2);
	t = target(r.json, gb);
	CHECK_STR(api_str(t, "status"), "failed");
	CHECK_INT(api_int(t, "attempts"), 3);
	CHECK(api_str(t, "last_error") && *api_str(t, "last_error"));
	api_resp_free(&r);

	/* by hand: marked once; a robot's group cannot be */
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/broadcasts/%lld/posted", (long long)id),
		      "{\"group_id\":%lld}", (long long)gh);
	check_status(r, 200);
	CHECK_STR(api_str(target(r.json, gh), "status"), "posted");
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/broadcasts/%lld/posted", (long long)id),
		      "{\"group_id\":%lld}", (long long)gh);
	check_status(r, 409);
	api_resp_free(&r);
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/broadcasts/%lld/posted", (long long)id),
		      "{\"group_id\":%lld}", (long long)ga);
	check_status(r, 409);
	api_resp_free(&r);

	/* the list counts, its search and the header search find it */
	r = api_call(w.env, &w.officer, "GET", "/api/broadcasts?q=%E8%BF%94%E5%88%A9", NULL); /* 返利 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.delivered"), 1);
	CHECK_INT(api_int(r.json, "items.0.failed"), 1);
	CHECK_INT(api_int(r.json, "items.0.posted"), 1);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", "/api/search?types=broadcast&q=%E5%88%B7%E5%8D%95", NULL); /* 刷单 */
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "items.0.type"), "broadcast");
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", "/api/search?types=broadcast&q=%E5%88%B7%E5%8D%95", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(w.env, &w.other, "GET", api_fmt("/api/broadcasts/%lld", (long long)id), NULL);
	check_status(r, 404);
	api_resp_free(&r);

	/* a group deleted: its robot's pending deliveries fail */
	r = api_callf(w.env, &w.officer, "POST", "/api/broadcasts",
		      "{\"kind\":\"notice\",\"title\":\"通知\",\"body\":\"明天开会\",\"group_ids\":[%lld]}",
		      (long long)ga);
	check_status(r, 201);
	id = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "DELETE", api_fmt("/api/chatgroups/%lld", (long long)ga), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/broadcasts/%lld", (long long)id), NULL);
	CHECK_STR(api_str(target(r.json, ga), "status"), "failed");
	CHECK_INT(api_int(target(r.json, ga), "group_deleted"), 1);
	api_resp_free(&r);

	robot_stop(a);
	robot_stop(b);
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(group_errors_name_the_field_and_write_nothing),
	TEST_ENTRY(scope_and_permissions),
	TEST_ENTRY(the_robot_url_is_never_shown_whole),
	TEST_ENTRY(a_broadcast_reaches_the_robots_with_retries_and_the_rest_by_hand),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/chatgroups", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
