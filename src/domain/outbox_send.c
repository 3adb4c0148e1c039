/* Sending outbox rows with libcurl, and the worker thread of `fengqiao serve`. */
#include "domain/outbox_send.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "auth/secret.h"
#include "config/config.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/json_write.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/outbox.h"
#include "store/outbox_store.h"
#include "store/store.h"

#define RESPONSE_MAX 65536 /* bytes of an answer read; more fails the attempt */
#define RESPONSE_KEPT 500  /* bytes of it kept in the attempt log */

int64_t fq_outbox_backoff_ms(const struct fq_config *cfg, int64_t attempt, uint32_t rnd)
{
	int64_t d = cfg->outbox_backoff_seconds * 1000, max = cfg->outbox_backoff_max_seconds * 1000;

	for (int64_t i = 1; i < attempt && d < max; i++)
		d *= 2;
	if (d > max)
		d = max;
	/* "equal jitter": servers that failed together do not retry together */
	return d - d / 2 + (int64_t)(rnd % (uint32_t)(d / 2 + 1));
}

/* ---- one HTTP request ---- */

struct answer {
	struct fq_buf body;
	bool too_long;
	bool private_refused;
	bool allow_private;
	char refused_addr[64];
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;

	if (a->body.len + size * n > RESPONSE_MAX || fq_buf_add(&a->body, p, size * n)) {
		a->too_long = true;
		return 0;
	}
	return size * n;
}

/* Refuses a connection to a private address unless allowed: checked on the
 * address actually connected to, so a name that resolves to one (or is
 * changed to, after the URL was checked) is refused too. */
static curl_socket_t on_open(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct answer *a = arg;

	(void)purpose;
	if (!a->allow_private && fq_outbox_addr_private(&addr->addr)) {
		a->private_refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

struct request {
	const char *url;
	const char *method; /* POST, GET */
	const char *body;   /* POST */
	struct curl_slist *headers;
};

/* Sends req and fills r (error NULL when the answer was a 2xx). */
static void send_request(const struct fq_config *cfg, const struct request *req,
			 struct answer *a, struct fq_outbox_result *r, char *errbuf)
{
	CURL *h = curl_easy_init();
	long status = 0;
	int64_t t0 = fq_time_mono_us();
	CURLcode rc;

	errbuf[0] = '\0';
	if (!h) {
		r->error = "out of memory";
		return;
	}
	a->allow_private = cfg->outbox_allow_private;
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(cfg->outbox_timeout_seconds * 1000));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(cfg->outbox_timeout_seconds < 10 ? cfg->outbox_timeout_seconds * 1000
								 : 10000));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "fengqiao-outbox/1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, a);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, req->headers);
	if (!strcmp(req->method, "POST")) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? strlen(req->body) : 0));
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	r->duration_ms = (fq_time_mono_us() - t0) / 1000;
	r->http_status = status;
	if (a->private_refused)
		r->error = "refused: the address is local or private (setting outbox_allow_private)";
	else if (a->too_long)
		r->error = "the answer was longer than 64 KiB";
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		r->error = "timed out (setting outbox_timeout_seconds)";
	else if (rc != CURLE_OK)
		r->error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	else if (status < 200 || status > 299)
		r->error = "the receiver answered with an error status";
	curl_easy_cleanup(h);
}

/* ---- building the request of each kind of channel ---- */

static char *unseal_str(const struct fq_keys *keys, const unsigned char *blob, size_t len)
{
	char *s = NULL;

	if (blob && len && fq_unseal(keys, blob, len, &s))
		return NULL;
	return s;
}

/* "sha256=<hex>" of HMAC-SHA256(secret, "<timestamp>.<body>"). */
static void webhook_signature(const char *secret, const char *ts, const char *body, char out[72])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

/* DingTalk's signing (钉钉自定义机器人, 加签): base64 of HMAC-SHA256 under the
 * secret of "<timestamp ms>\n<secret>", URL-encoded, as &timestamp=&sign=. */
static char *dingtalk_url(const char *url, const char *secret, int64_t now_ms)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char ts[24], b64[64], *sign, *out;
	struct fq_buf b;

	snprintf(ts, sizeof(ts), "%lld", (long long)now_ms);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	sign = curl_easy_escape(NULL, b64, 0);
	fq_buf_init(&b, FQ_OUTBOX_MAX_URL + 200);
	if (sign && !fq_buf_addf(&b, "%s%stimestamp=%s&sign=%s", url, strchr(url, '?') ? "&" : "?",
				 ts, sign))
		out = fq_buf_take(&b);
	else
		out = NULL;
	fq_buf_release(&b);
	curl_free(sign);
	return out;
}

/* template with {phone} and {text} replaced, each value encoded by how
 * ("url": percent-encoded, "json": a JSON string's inside, "form": as url). */
static char *fill(const char *tpl, const char *phone, const char *text, const char *how)
{
	struct fq_buf b;
	enum fq_err err = FQ_OK;

	fq_buf_init(&b, 64 * 1024);
	for (const char *p = tpl; !err && *p;) {
		const char *value = NULL;
		size_t skip = 0;
		char *enc = NULL;

		if (!strncmp(p, "{phone}", 7))
			value = phone, skip = 7;
		else if (!strncmp(p, "{text}", 6))
			value = text, skip = 6;
		if (!value) {
			err = fq_buf_add(&b, p, 1);
			p++;
			continue;
		}
		if (!strcmp(how, "json")) {
			json_t *s = json_string(value);
			char *d = s ? fq_json_dumps(s, JSON_ENCODE_ANY) : NULL;

			if (d && strlen(d) >= 2)
				err = fq_buf_add(&b, d + 1, strlen(d) - 2);
			else
				err = FQ_ERR_NOMEM;
			free(d);
			json_decref(s);
		} else {
			enc = curl_easy_escape(NULL, value, 0);
			err = enc ? fq_buf_adds(&b, enc) : FQ_ERR_NOMEM;
			curl_free(enc);
		}
		p += skip;
	}
	if (err) {
		fq_buf_release(&b);
		return NULL;
	}
	return fq_buf_take(&b);
}

static char *robot_body(const struct fq_outbox_claim *c, bool dingtalk)
{
	bool md = !strcmp(c->msg_format, "markdown");
	const struct fq_outbox_event *ev = fq_outbox_event_find(c->event_kind);
	json_t *v;
	char *out;

	if (!md)
		v = json_pack("{ss s{ss}}", "msgtype", "text", "text", "content", c->text);
	else {
		/* the title in bold, then the text as a quote */
		char *text = NULL;
		size_t n = strlen(c->text) + 64;

		text = malloc(n);
		if (text)
			snprintf(text, n, "**%s**\n\n> %s", ev ? ev->title : c->event_kind, c->text);
		v = !text ? NULL
		    : dingtalk
			? json_pack("{ss s{ssss}}", "msgtype", "markdown", "markdown", "title",
				    ev ? ev->title : c->event_kind, "text", text)
			: json_pack("{ss s{ss}}", "msgtype", "markdown", "markdown", "content", text);
		free(text);
	}
	out = v ? fq_json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	return out;
}

/* WeChat Work and DingTalk answer 200 with {"errcode": 0} or another code. */
static void robot_verdict(struct answer *a, struct fq_outbox_result *r, char *errbuf, size_t n)
{
	json_t *v;
	json_int_t code;

	if (r->error)
		return;
	v = json_loadb(a->body.ptr ? a->body.ptr : "", a->body.len, 0, NULL);
	code = json_integer_value(json_object_get(v, "errcode"));
	if (!json_is_integer(json_object_get(v, "errcode")))
		r->error = "the robot's answer has no errcode";
	else if (code) {
		snprintf(errbuf, n, "the robot refused it: errcode %lld, %s", (long long)code,
			 json_string_value(json_object_get(v, "errmsg"))
				 ? json_string_value(json_object_get(v, "errmsg"))
				 : "");
		r->error = errbuf;
	}
	json_decref(v);
}

static enum fq_err attempt(const struct fq_outbox_runner *o, const struct fq_outbox_claim *c,
			   int64_t now_ms, struct fq_outbox_result *r, char *errbuf, char *errbuf2,
			   struct fq_buf *kept)
{
	struct answer a = {0};
	struct request req = {.method = "POST"};
	char *url = unseal_str(o->keys, c->sealed.url, c->sealed.url_len);
	char *secret = unseal_str(o->keys, c->sealed.secret, c->sealed.secret_len);
	char *phone = unseal_str(o->keys, c->recipient, c->recipient_len);
	char *body = NULL, *signed_url = NULL;
	char ts[24], h1[160], h2[160], h3[160], h4[120];
	const char *ctype = "Content-Type: application/json";

	fq_buf_init(&a.body, RESPONSE_MAX);
	r->started_at = fq_time_now_ms();
	if (!url) {
		r->error = "the channel's URL cannot be decrypted (wrong key file?)";
		goto out;
	}
	req.url = url;
	if (!strcmp(c->kind, "webhook")) {
		json_t *data = json_loads(c->payload, 0, NULL);
		json_t *v = json_pack("{ss ss sI ss ss so}", "event_id", c->event_id, "event",
				      c->event_kind, "station_id", (json_int_t)c->station_id,
				      "created_at", c->created_at_iso, "text", c->text, "data",
				      data ? data : json_object());
		char sig[72];

		body = v ? fq_json_dumps(v, JSON_COMPACT) : NULL;
		json_decref(v);
		if (!body || !secret) {
			r->error = !body ? "out of memory" : "the webhook has no secret";
			goto out;
		}
		snprintf(ts, sizeof(ts), "%lld", (long long)(now_ms / 1000));
		webhook_signature(secret, ts, body, sig);
		snprintf(h1, sizeof(h1), "X-Fengqiao-Event: %s", c->event_kind);
		snprintf(h2, sizeof(h2), "X-Fengqiao-Event-Id: %s", c->event_id);
		snprintf(h3, sizeof(h3), "X-Fengqiao-Timestamp: %s", ts);
		snprintf(h4, sizeof(h4), "X-Fengqiao-Signature: %s", sig);
		req.headers = curl_slist_append(req.headers, h1);
		req.headers = curl_slist_append(req.headers, h2);
		req.headers = curl_slist_append(req.headers, h3);
		req.headers = curl_slist_append(req.headers, h4);
	} else if (!strcmp(c->kind, "wecom") || !strcmp(c->kind, "dingtalk")) {
		body = robot_body(c, !strcmp(c->kind, "dingtalk"));
		if (secret && !strcmp(c->kind, "dingtalk")) {
			signed_url = dingtalk_url(url, secret, now_ms);
			req.url = signed_url;
		}
		if (!body || !req.url) {
			r->error = "out of memory";
			goto out;
		}
	} else { /* sms */
		bool json = c->sms_content_type && !strcmp(c->sms_content_type, "json");

		signed_url = fill(url, phone ? phone : "", c->text, "url");
		req.url = signed_url;
		req.method = c->sms_method ? c->sms_method : "POST";
		if (!strcmp(req.method, "POST")) {
			body = fill(c->sms_body ? c->sms_body : "", phone ? phone : "", c->text,
				    json ? "json" : "form");
			if (!json)
				ctype = "Content-Type: application/x-www-form-urlencoded";
		}
		if (!req.url || (!body && !strcmp(req.method, "POST"))) {
			r->error = "out of memory";
			goto out;
		}
	}
	req.body = body;
	if (!strcmp(req.method, "POST"))
		req.headers = curl_slist_append(req.headers, ctype);
	req.headers = curl_slist_append(req.headers, "Expect:");
	send_request(o->cfg, &req, &a, r, errbuf);
	if (!strcmp(c->kind, "wecom") || !strcmp(c->kind, "dingtalk"))
		robot_verdict(&a, r, errbuf2, 256);
	if (a.body.len) {
		size_t n = a.body.len < RESPONSE_KEPT ? a.body.len : RESPONSE_KEPT;

		/* cut on a character boundary */
		while (n > 0 && n < a.body.len && ((unsigned char)a.body.ptr[n] & 0xC0) == 0x80)
			n--;
		fq_buf_add(kept, a.body.ptr, n);
		fq_buf_add(kept, "", 1);
		fq_str_sanitize(kept->ptr);
		r->response = kept->ptr;
	}
out:
	curl_slist_free_all(req.headers);
	fq_buf_release(&a.body);
	if (secret)
		sodium_memzero(secret, strlen(secret));
	free(url);
	free(secret);
	free(phone);
	free(body);
	free(signed_url);
	return FQ_OK;
}

enum fq_err fq_outbox_run_once(const struct fq_outbox_runner *o, int64_t now_ms, bool *did,
			       struct fq_error *e)
{
	struct fq_db *db = fq_store_db(o->store, e);
	struct fq_outbox_claim c;
	struct fq_outbox_result r = {0};
	struct fq_buf kept;
	char token[48], errbuf[CURL_ERROR_SIZE + 1], errbuf2[256];
	int64_t lease = o->cfg->outbox_lease_seconds;
	const char *status;
	int64_t next_at;
	bool got = false, ours = false;
	enum fq_err err;

	*did = false;
	if (!db)
		return e->err;
	if (lease <= o->cfg->outbox_timeout_seconds)
		lease = o->cfg->outbox_timeout_seconds + 5;
	fq_random_token("", 16, token, sizeof(token));
	err = fq_db_begin(db, true);
	if (!err)
		err = fq_store_outbox_claim(db, now_ms, now_ms + lease * 1000, token, &c, &got);
	if (!err)
		err = fq_db_commit(db);
	else
		fq_db_rollback(db);
	if (err) {
		if (got)
			fq_outbox_claim_release(&c);
		if (fq_db_health(db) != FQ_DB_OK)
			fq_db_reconnect(db);
		return fq_fail(e, err, NULL, NULL, "cannot claim an outbox row");
	}
	if (!got)
		return FQ_OK;
	*did = true;
	fq_buf_init(&kept, RESPONSE_KEPT + 1);
	if (c.attempt > o->cfg->outbox_max_attempts) {
		/* the last attempt died with its server */
		r.started_at = fq_time_now_ms();
		r.error = "given up: the last attempt was interrupted (server stopped)";
	} else {
		attempt(o, &c, now_ms, &r, errbuf, errbuf2, &kept);
	}
	if (!r.error) {
		status = "delivered";
		next_at = now_ms;
	} else if (c.attempt >= o->cfg->outbox_max_attempts) {
		status = "failed";
		next_at = now_ms;
	} else {
		status = "pending";
		next_at = now_ms + fq_outbox_backoff_ms(o->cfg, c.attempt, randombytes_random());
	}
	err = fq_db_begin(db, true);
	if (!err)
		err = fq_store_outbox_settle(db, c.id, token, c.attempt, &r, status, next_at, &ours);
	if (!err)
		err = fq_db_commit(db);
	else
		fq_db_rollback(db);
	if (err && fq_db_health(db) != FQ_DB_OK)
		fq_db_reconnect(db);
	if (err)
		fq_fail(e, err, NULL, NULL, "cannot record outbox attempt %lld of row %lld",
			(long long)c.attempt, (long long)c.id);
	else if (!ours)
		fq_log_warn("outbox row %lld: its lease ran out during attempt %lld; another worker"
			    " has it", (long long)c.id, (long long)c.attempt);
	else if (r.error)
		fq_log_info("outbox row %lld: attempt %lld failed (%s): %s", (long long)c.id,
			    (long long)c.attempt, status, r.error);
	fq_outbox_claim_release(&c);
	fq_buf_release(&kept);
	return err;
}

/* ---- the worker thread ---- */

struct fq_outbox_worker {
	struct fq_outbox_runner o;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void *run(void *arg)
{
	struct fq_outbox_worker *w = arg;

	for (;;) {
		struct fq_error e = {0};
		bool did = false, stop;
		enum fq_err err = fq_outbox_run_once(&w->o, fq_time_now_ms(), &did, &e);

		if (err)
			fq_log_warn("outbox: %s", e.message[0] ? e.message : "store error");
		pthread_mutex_lock(&w->lock);
		if (!w->stop && (!did || err)) {
			/* nothing due: look again in a second */
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&w->cond, &w->lock, &until);
		}
		stop = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			return NULL;
	}
}

enum fq_err fq_outbox_worker_start(const struct fq_outbox_runner *o,
				   struct fq_outbox_worker **out, struct fq_error *e)
{
	struct fq_outbox_worker *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	pthread_once(&curl_once, curl_init);
	w->o = *o;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, run, w)) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL, "cannot start the outbox thread");
	}
	pthread_setname_np(w->thread, "fq-outbox");
	*out = w;
	return FQ_OK;
}

void fq_outbox_worker_stop(struct fq_outbox_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
