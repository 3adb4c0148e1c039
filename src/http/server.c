/* libmicrohttpd glue: the acceptor and its workers, request bodies, static
 * files of the browser app, security headers, graceful stop. */
#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/session.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/addr_limit.h"
#include "http/app.h"
#include "http/encoding.h"
#include "http/metrics.h"
#include "http/request.h"

/* Long polls: a request whose handler found nothing new (r->wait) is parked
 * (its connection suspended) and run again when a write commits here by a
 * caller whose scope lies within or above the request's wait_scope, every
 * POLL_RECHECK_MS for writes of other server processes, and a last time after
 * long_poll_seconds, when it answers whatever it finds. */
#define POLL_RECHECK_MS 1000
#define WATCH_MAX 256

struct parked {
	struct MHD_Connection *c;
	bool due;              /* a write in its scope committed since it parked */
	char watch[WATCH_MAX]; /* its wait_scope; "/" for any change */
};

/* Connections are spread over the workers by the server itself: one acceptor
 * thread accepts on the listening socket and hands each connection
 * (MHD_add_connection) to the worker holding the fewest open connections.
 * Each worker is a libmicrohttpd daemon with one epoll thread of its own.
 * libmicrohttpd's own thread pool lets every worker accept from the shared
 * socket, and whichever wakes first takes a whole burst: measured, one of two
 * workers served every keep-alive connection in 4 of 5 runs; and its
 * MHD_add_connection picks a pool worker by the socket number modulo the
 * pool size, not by load. */
#define CONNECTION_MAX 4096 /* open connections of the whole server */

struct worker {
	struct fq_server *s;
	struct MHD_Daemon *daemon;
	int index;
	/* Open connections: counted up by the acceptor when it hands one
	 * over, down when libmicrohttpd closes it (notify_connection). */
	atomic_int conns;
	bool named; /* its thread renamed "fq-http-N" (touched by that thread only) */
};

struct fq_server {
	struct fq_app *app;
	struct worker *workers;
	int nworkers;
	int listen_fd;
	int stop_pipe[2];   /* a byte on [1] stops the acceptor */
	pthread_t acceptor;
	bool acceptor_started;
	unsigned next;      /* where the acceptor's search starts: ties go round */
	atomic_int active;
	pthread_mutex_t park_lock;
	pthread_cond_t park_cond;
	struct parked *parked;
	size_t nparked, cap;
	bool changed;  /* a parked request is due since the waker last looked */
	bool stopping;
	pthread_t waker;
	bool waker_started;
	struct fq_addr_limit *limit; /* connections per address; NULL: no limit */
};

/* One per connection and request, freed in request_completed. */
struct conn_state {
	struct fq_buf body;
	bool too_large;
	int64_t t0;
	int64_t poll_deadline; /* monotonic µs when a parked long poll must answer; 0 = none */
	struct fq_req *req;
};

static const char *const security_headers[][2] = {
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "no-referrer"},
};

#define CSP_FORMAT                                                                       \
	"default-src 'self'; img-src 'self' data:%s%s; style-src 'self' 'unsafe-inline'; " \
	"frame-ancestors 'none'"
/* Set once by fq_server_start, before any request: the map's tile hosts
 * (settings map_tile_url, map_label_url) are the only other image source. */
static char csp[2 * FQ_CONFIG_STR_MAX + sizeof(CSP_FORMAT)] =
	"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
	"frame-ancestors 'none'";

static void add_security_headers(struct MHD_Response *resp)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
}

/* The CSP source of a tile address, led by a space: the scheme and host,
 * with a first label holding {s} made a wildcard ("https://t{s}.a.cn/x" →
 * "https:// *.a.cn" without the space); empty for an empty setting. */
static enum fq_err tile_source(const char *url, const char *setting, char *out, size_t size,
			       struct fq_error *e)
{
	const char *host, *end, *dot;
	size_t scheme;

	out[0] = '\0';
	if (!*url)
		return FQ_OK;
	scheme = !strncmp(url, "https://", 8) ? 8 : !strncmp(url, "http://", 7) ? 7 : 0;
	if (!scheme || !strstr(url, "{z}") || !strstr(url, "{x}") || !strstr(url, "{y}"))
		return fq_fail(e, FQ_ERR_INVALID, NULL, setting,
			       "%s must be an http(s) address holding {z}, {x} and {y}", setting);
	host = url + scheme;
	end = host + strcspn(host, "/?#");
	for (const char *p = host; p < end; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:{}", *p))
			return fq_fail(e, FQ_ERR_INVALID, NULL, setting,
				       "%s has a character its host name cannot hold", setting);
	dot = memchr(host, '.', (size_t)(end - host));
	if (memchr(host, '{', (size_t)(end - host))) {
		/* {s} may only stand in the first label, which becomes '*'. */
		if (!dot || memchr(dot, '{', (size_t)(end - dot)))
			return fq_fail(e, FQ_ERR_INVALID, NULL, setting,
				       "%s may hold {s} only in the first part of its host name",
				       setting);
		snprintf(out, size, " %.*s*%.*s", (int)scheme, url, (int)(end - dot), dot);
	} else {
		snprintf(out, size, " %.*s", (int)(end - url), url);
	}
	return FQ_OK;
}

static enum fq_err set_csp(const struct fq_config *cfg, struct fq_error *e)
{
	char tiles[FQ_CONFIG_STR_MAX], labels[FQ_CONFIG_STR_MAX];
	enum fq_err err = tile_source(cfg->map_tile_url, "map_tile_url", tiles, sizeof(tiles), e);

	if (!err)
		err = tile_source(cfg->map_label_url, "map_label_url", labels, sizeof(labels), e);
	if (!err)
		snprintf(csp, sizeof(csp), CSP_FORMAT, tiles,
			 strcmp(tiles, labels) ? labels : "");
	return err;
}

static void addr_text(const struct sockaddr *sa, char *out, size_t size)
{
	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)size);
}

static void client_addr(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	addr_text(ci ? ci->client_addr : NULL, out, size);
}

/* Whether addr is one of the space- or comma-separated addresses in list. */
static bool in_list(const char *list, const char *addr)
{
	size_t n = strlen(addr);

	while (*list) {
		size_t len = strcspn(list, " ,");
		if (len == n && !memcmp(list, addr, n))
			return true;
		list += len;
		list += strspn(list, " ,");
	}
	return false;
}

/* The client's address: the peer, or behind a trusted reverse proxy the last
 * address its X-Forwarded-For added. */
static void client_ip(struct fq_server *s, struct MHD_Connection *c, char *out, size_t size)
{
	const char *xff;
	const char *last;

	client_addr(c, out, size);
	if (!s->app->cfg.trusted_proxies[0] || !in_list(s->app->cfg.trusted_proxies, out))
		return;
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff || !*xff)
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " ");
	if (strlen(last) < size && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
		fq_strlcpy(out, last, size);
}

/* A trusted proxy's connections carry many clients: they are not limited
 * per address (limit those clients at the proxy: nginx limit_conn). */
static bool limited(struct fq_server *s, const struct sockaddr *sa)
{
	char addr[INET6_ADDRSTRLEN];

	if (!s->limit || !sa)
		return false;
	if (!s->app->cfg.trusted_proxies[0])
		return true;
	addr_text(sa, addr, sizeof(addr));
	return !in_list(s->app->cfg.trusted_proxies, addr);
}

/* Counts the connections of each address, one count for the whole server
 * (every worker shares s->limit). The acceptor's check (fq_addr_limit_full)
 * runs before a connection reaches its worker, so a burst can pass it with a
 * few too many; the count here is exact, and a connection past the limit is
 * shut down at once (libmicrohttpd then reads the end of it and closes it).
 * Runs in the worker's thread. */
static void notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			      enum MHD_ConnectionNotificationCode code)
{
	struct worker *w = cls;
	struct fq_server *s = w->s;
	const union MHD_ConnectionInfo *ci;
	bool over = false;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (s->limit)
			fq_addr_limit_release(s->limit, *socket_context);
		*socket_context = NULL;
		atomic_fetch_sub(&w->conns, 1);
		return;
	}
	if (!w->named) {
		/* libmicrohttpd names every worker "MHD-single". */
		char name[16];
		snprintf(name, sizeof(name), "fq-http-%d", w->index);
		pthread_setname_np(pthread_self(), name);
		w->named = true;
	}
	*socket_context = NULL;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !limited(s, ci->client_addr))
		return;
	*socket_context = fq_addr_limit_take(s->limit, ci->client_addr, &over);
	if (over && (ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD)))
		shutdown(ci->connect_fd, SHUT_RDWR);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       size_t key_size, const char *value, size_t value_size)
{
	struct fq_req *r = cls;

	(void)kind;
	/* "%00" decodes to a NUL inside the text: a C string would cut it
	 * short without a word, so the request is refused, naming the key. */
	if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
		if (!r->query_nul)
			r->query_nul = fq_arena_strndup(r->arena, key, strlen(key));
		return MHD_YES;
	}
	fq_req_add_query(r, key, value);
	return MHD_YES;
}

static bool is_app_path(const char *url)
{
	return !strncmp(url, "/api/", 5) || !strcmp(url, "/api") || !strcmp(url, "/healthz") ||
	       !strcmp(url, "/metrics");
}

static const char *mime_type(const char *path)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".json", "application/json"},
		{".svg", "image/svg+xml"},             {".png", "image/png"},
		{".ico", "image/x-icon"},              {".woff2", "font/woff2"},
		{".woff", "font/woff"},                {".ttf", "font/ttf"},
		{".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

static enum MHD_Result queue_text(struct MHD_Connection *c, unsigned status, const char *type,
				  const char *body)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(resp, "Content-Type", type);
	add_security_headers(resp);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Types worth compressing (the build writes .br and .gz of them, see
 * tools/precompress.sh); images and fonts are compressed already. */
static bool compressible(const char *type)
{
	return !strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
	       !strncmp(type, "application/manifest+json", 25) || !strcmp(type, "image/svg+xml") ||
	       !strcmp(type, "image/x-icon");
}

/* The pre-compressed file next to path (path + suffix) when it is a regular
 * file no older than path: its descriptor and size; -1 otherwise. */
static int open_variant(const char *path, const char *suffix, const struct stat *orig,
			struct stat *st)
{
	char v[FQ_CONFIG_STR_MAX + 520];
	int fd;

	if ((size_t)snprintf(v, sizeof(v), "%s%s", path, suffix) >= sizeof(v))
		return -1;
	fd = open(v, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode) || st->st_mtime < orig->st_mtime) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Serves a file of the browser app. Paths with ".." are refused; an unknown
 * path without an extension is an app route and gets index.html. A text
 * file is sent as its .br or .gz when the request accepts that coding
 * (Accept-Encoding, qualities weighed: the higher wins, brotli on a tie). */
static enum MHD_Result serve_static(struct fq_server *s, struct MHD_Connection *c,
				    const char *url, const char *method, unsigned *status)
{
	static const char *const codings[][2] = {{"br", ".br"}, {"gzip", ".gz"}};
	const char *root = s->app->cfg.web_root;
	char path[FQ_CONFIG_STR_MAX + 512];
	const char *last = strrchr(url, '/'), *type, *coding = NULL;
	struct MHD_Response *resp;
	struct stat st;
	enum MHD_Result ret;
	int fd = -1;

	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		*status = 405;
		return queue_text(c, 405, "application/json",
				  "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"only GET here\"}}");
	}
	if (strstr(url, "..") || strlen(url) > 400) {
		*status = 404;
		return queue_text(c, 404, "application/json",
				  "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\"}}");
	}
	snprintf(path, sizeof(path), "%s%s", root, url);
	if (!strcmp(url, "/") || stat(path, &st) || !S_ISREG(st.st_mode)) {
		if (strcmp(url, "/") && last && strchr(last, '.')) {
			*status = 404;
			return queue_text(c, 404, "application/json",
					  "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\"}}");
		}
		snprintf(path, sizeof(path), "%s/index.html", root);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		*status = 404;
		return queue_text(c, 404, "text/plain; charset=utf-8",
				  "The browser app is not built: run 'make web' (or 'make run').\n");
	}
	type = mime_type(path);
	if (compressible(type)) {
		const char *accept =
			MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
		int best = 0;

		for (size_t i = 0; i < sizeof(codings) / sizeof(codings[0]); i++) {
			int q = fq_http_coding_q(accept, codings[i][0]), vfd;
			struct stat vst;

			if (q <= best || (vfd = open_variant(path, codings[i][1], &st, &vst)) < 0)
				continue;
			close(fd);
			fd = vfd;
			st = vst;
			best = q;
			coding = codings[i][0];
		}
	}
	resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	if (coding)
		MHD_add_response_header(resp, "Content-Encoding", coding);
	/* A cache must keep each coding apart (RFC 9110 12.5.5). */
	if (compressible(type))
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	/* Vite names built assets by content hash: they never change. */
	MHD_add_response_header(resp, "Cache-Control",
				strstr(path, "/assets/") ? "public, max-age=31536000, immutable"
							 : "no-cache");
	add_security_headers(resp);
	*status = 200;
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Suspends a connection whose long poll found nothing new; the waker
 * resumes it. Called from the access handler. */
static bool park(struct fq_server *s, struct MHD_Connection *c, const char *watch)
{
	bool ok = true;

	pthread_mutex_lock(&s->park_lock);
	if (s->nparked == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct parked *p = realloc(s->parked, cap * sizeof(*p));
		if (p) {
			s->parked = p;
			s->cap = cap;
		}
	}
	if (s->nparked < s->cap && !s->stopping) {
		struct parked *p = &s->parked[s->nparked++];
		MHD_suspend_connection(c);
		p->c = c;
		p->due = false;
		/* A path too long to keep whole is cut after a '/': wider, never
		 * narrower; anything but a path watches everything. */
		fq_strlcpy(p->watch, watch && *watch == '/' ? watch : "/", sizeof(p->watch));
		if (strlen(watch ? watch : "") >= sizeof(p->watch))
			strrchr(p->watch, '/')[1] = '\0';
	} else {
		ok = false;
	}
	pthread_mutex_unlock(&s->park_lock);
	return ok;
}

/* Resumes the parked connections that are due, or all: each runs its
 * request again. Under park_lock, as park() suspends: the same lock order. */
static void resume(struct fq_server *s, bool all)
{
	size_t kept = 0;

	pthread_mutex_lock(&s->park_lock);
	for (size_t i = 0; i < s->nparked; i++) {
		if (all || s->parked[i].due)
			MHD_resume_connection(s->parked[i].c);
		else
			s->parked[kept++] = s->parked[i];
	}
	s->nparked = kept;
	s->changed = false;
	pthread_mutex_unlock(&s->park_lock);
}

static void *waker_main(void *arg)
{
	struct fq_server *s = arg;
	struct timespec next;

	pthread_mutex_lock(&s->park_lock);
	clock_gettime(CLOCK_REALTIME, &next);
	while (!s->stopping) {
		int rc = 0;
		bool all;

		/* The periodic re-check keeps its pace however often writes here
		 * resume some polls: it is how other processes' writes are seen. */
		while (!s->changed && !s->stopping && rc == 0)
			rc = pthread_cond_timedwait(&s->park_cond, &s->park_lock, &next);
		all = rc != 0 || s->stopping;
		if (all) {
			clock_gettime(CLOCK_REALTIME, &next);
			next.tv_sec += POLL_RECHECK_MS / 1000;
		}
		pthread_mutex_unlock(&s->park_lock);
		resume(s, all);
		pthread_mutex_lock(&s->park_lock);
	}
	pthread_mutex_unlock(&s->park_lock);
	return NULL;
}

/* Whether one of two org paths lies within the other ("/1/" and "/1/4/"). */
static bool paths_overlap(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	return !strncmp(a, b, na < nb ? na : nb);
}

static void on_change(void *arg, const char *scope)
{
	struct fq_server *s = arg;
	bool any = false;

	pthread_mutex_lock(&s->park_lock);
	for (size_t i = 0; i < s->nparked; i++)
		if (!s->parked[i].due && paths_overlap(s->parked[i].watch, scope ? scope : "/"))
			any = s->parked[i].due = true;
	if (any) {
		s->changed = true;
		pthread_cond_signal(&s->park_cond);
	}
	pthread_mutex_unlock(&s->park_lock);
}

static enum MHD_Result serve_app(struct fq_server *s, struct MHD_Connection *c,
				 struct conn_state *cs, const char *url, const char *method,
				 unsigned *status, size_t *bytes)
{
	struct fq_req *r;
	char addr[INET6_ADDRSTRLEN];
	struct MHD_Response *resp;
	const char *body, *type;
	size_t len;
	enum MHD_Result ret;

	int64_t now = fq_time_mono_us();

	/* A request run again after parking starts afresh. */
	fq_req_free(cs->req);
	cs->req = r = fq_req_new(s->app, method, url);
	if (!r)
		return MHD_NO;
	r->may_wait = !s->stopping && (!cs->poll_deadline || now < cs->poll_deadline);
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_arg, r);
	client_ip(s, c, addr, sizeof(addr));
	r->client_addr = fq_arena_strdup(r->arena, addr);
	r->session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, FQ_SESSION_COOKIE);
	r->authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	r->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	r->csrf_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	r->forwarded_proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	r->accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	r->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	r->body = cs->body.ptr ? cs->body.ptr : "";
	r->body_len = cs->body.len;
	r->body_too_large = cs->too_large;

	fq_app_handle(s->app, r);
	if (r->wait) {
		if (!cs->poll_deadline)
			cs->poll_deadline = now + s->app->cfg.long_poll_seconds * 1000000LL;
		if (park(s, c, r->wait_scope)) {
			*status = 0; /* parked: no response yet */
			return MHD_YES;
		}
		/* Could not park: answer that nothing changed. */
		fq_req_reply(r, 200, json_pack("{s:s}", "version",
					       fq_req_query(r, "version") ? fq_req_query(r, "version")
									  : ""));
	}
	if (r->raw_file) {
		/* An export: libmicrohttpd sends the file in pieces and closes it. */
		resp = MHD_create_response_from_fd(r->raw_file_len, r->raw_fd);
		if (!resp)
			return MHD_NO;
		r->raw_file = false;
		type = r->raw_type;
		len = (size_t)r->raw_file_len;
	} else {
		fq_app_response_body(r, &body, &len, &type);
		/* The body is arena memory, which lives until request_completed: a
		 * download (up to max_attachment) is sent from there, not copied. */
		resp = MHD_create_response_from_buffer(len, (void *)body,
						       r->disposition ? MHD_RESPMEM_PERSISTENT
								      : MHD_RESPMEM_MUST_COPY);
		if (!resp)
			return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->retry_after > 0) {
		char secs[24];

		snprintf(secs, sizeof(secs), "%lld", (long long)r->retry_after);
		MHD_add_response_header(resp, "Retry-After", secs);
	}
	add_security_headers(resp);
	*status = (unsigned)r->status;
	*bytes = len;
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* What the first call of the access handler sees of a request's framing.
 * libmicrohttpd 0.9.75 frames by Transfer-Encoding when it is present and
 * ignores Content-Length then, takes the first of several Content-Lengths,
 * reads a body of an unknown transfer coding until the connection closes,
 * and keeps a field name with a space before the colon as a name of its own
 * ("Transfer-Encoding "). A front end that reads any of these differently
 * would send bytes that this server answers as a second request (request
 * smuggling). RFC 9112 (6.1, 6.3, 5.1) asks a server to refuse them and
 * close the connection. */
struct framing {
	int te, cl;            /* Transfer-Encoding and Content-Length fields */
	const char *te_value, *cl_value;
	bool cl_differ;        /* two Content-Lengths that are not the same */
	bool bad_name;         /* a field name that is not a token */
};

static bool is_token(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("!#$%&'*+-.^_`|~", *p)))
			return false;
	return true;
}

static enum MHD_Result scan_field(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (!is_token(key))
		f->bad_name = true;
	else if (!strcasecmp(key, "Transfer-Encoding")) {
		f->te++;
		f->te_value = value;
	} else if (!strcasecmp(key, "Content-Length")) {
		if (f->cl && strcmp(f->cl_value, value ? value : ""))
			f->cl_differ = true;
		f->cl++;
		f->cl_value = value ? value : "";
	}
	return MHD_YES;
}

/* The status and message refusing the framing of a request, or 0. */
static unsigned check_framing(struct MHD_Connection *c, const char *version, const char **why)
{
	struct framing f = {0};

	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_field, &f);
	*why = NULL;
	if (f.bad_name)
		*why = "malformed header field name";
	else if (f.te && !strcmp(version, MHD_HTTP_VERSION_1_0))
		*why = "Transfer-Encoding in an HTTP/1.0 request";
	else if (f.te && f.cl)
		*why = "both Content-Length and Transfer-Encoding";
	else if (f.te > 1)
		*why = "more than one Transfer-Encoding";
	else if (f.cl_differ)
		*why = "Content-Length given twice with different values";
	if (*why)
		return 400;
	/* Exactly as libmicrohttpd decides that a body is chunked. */
	if (f.te && strcasecmp(f.te_value ? f.te_value : "", "chunked")) {
		*why = "the only transfer coding understood is chunked";
		return 501;
	}
	return 0;
}

/* Answers a request whose framing is refused, on the first call: the
 * connection is closed after it, its body never read. */
static enum MHD_Result refuse_framing(struct fq_server *s, struct MHD_Connection *c,
				      const char *url, const char *method, unsigned status,
				      const char *why)
{
	char body[256];
	struct MHD_Response *resp;
	enum MHD_Result ret;

	snprintf(body, sizeof(body), "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
		 status == 501 ? "not_implemented" : "bad_request", why);
	resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Connection", "close");
	add_security_headers(resp);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	if (s->app->cfg.access_log) {
		char addr[INET6_ADDRSTRLEN];
		client_addr(c, addr, sizeof(addr));
		fq_log_info("access %s %s %s %u %zu 0us (%s)", addr, method, url, status,
			    strlen(body), why);
	}
	return ret;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_size,
				      void **con_cls)
{
	struct worker *w = cls;
	struct fq_server *s = w->s;
	struct conn_state *cs = *con_cls;
	unsigned status = 0;
	size_t bytes = 0;
	enum MHD_Result ret;

	if (!cs) {
		/* First call: headers only. Answering now would make libmicrohttpd
		 * drop keep-alive (shared/MEASURED.md), so wait for the next call,
		 * unless the request is refused: then the close is wanted. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		const char *why;
		unsigned refuse = check_framing(c, version, &why);
		int64_t n, limit;

		if (refuse)
			return refuse_framing(s, c, url, method, refuse, why);
		/* The head is in: from here on the connection may be silent for
		 * idle_timeout_seconds (a body, a handler, keep-alive between
		 * requests) instead of the header timeout of a new connection. */
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
					  (unsigned int)s->app->cfg.idle_timeout_seconds);
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		/* The body grows in a buffer of its own, bounded by what the
		 * route takes (an upload: max_attachment), never in
		 * libmicrohttpd's per-connection memory. */
		limit = fq_app_body_limit(s->app, method, url);
		fq_buf_init(&cs->body, (size_t)limit);
		cs->t0 = fq_time_mono_us();
		if (cl && (!fq_parse_i64(cl, 0, INT64_MAX, &n) || n > limit))
			cs->too_large = true;
		*con_cls = cs;
		atomic_fetch_add(&s->active, 1);
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->too_large && fq_buf_add(&cs->body, upload_data, *upload_size))
			cs->too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (is_app_path(url))
		ret = serve_app(s, c, cs, url, method, &status, &bytes);
	else
		ret = serve_static(s, c, url, method, &status);
	if (status)
		fq_metrics_worker_request(s->app->metrics, w->index);
	if (s->app->cfg.access_log && status) {
		char addr[INET6_ADDRSTRLEN];
		client_ip(s, c, addr, sizeof(addr));
		fq_log_info("access %s %s %s %u %zu %lldus", addr, method, url, status, bytes,
			    (long long)(fq_time_mono_us() - cs->t0));
	}
	return ret;
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct fq_server *s = ((struct worker *)cls)->s;
	struct conn_state *cs = *con_cls;

	(void)c;
	(void)toe;
	if (!cs)
		return;
	fq_req_free(cs->req);
	fq_buf_release(&cs->body);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&s->active, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	fq_log_warn("http: %s", line);
}

static enum fq_err parse_listen(const char *listen, struct sockaddr_in *sa, struct fq_error *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	int64_t port;

	if (!colon || (size_t)(colon - listen) >= sizeof(host) ||
	    !fq_parse_i64(colon + 1, 1, 65535, &port))
		return fq_fail(e, FQ_ERR_INVALID, NULL, "listen",
			       "listen address '%s' is not HOST:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		fq_strlcpy(host, "127.0.0.1", sizeof(host));
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return fq_fail(e, FQ_ERR_INVALID, NULL, "listen",
			       "listen host '%s' is not an IPv4 address", host);
	return FQ_OK;
}

/* The listening socket, made here rather than by libmicrohttpd so that an
 * address in use is refused with a clear message. SO_REUSEADDR only lets a
 * restarted server bind while connections of the old one linger in
 * TIME_WAIT; SO_REUSEPORT, which libmicrohttpd's address-reuse option sets,
 * would let a second server share the port and take part of the
 * connections, even on another database. */
static enum fq_err open_listener(const struct sockaddr_in *sa, int *out, struct fq_error *e)
{
	char host[INET_ADDRSTRLEN] = "";
	unsigned port = ntohs(sa->sin_port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, err;

	inet_ntop(AF_INET, &sa->sin_addr, host, sizeof(host));
	if (fd < 0)
		return fq_fail(e, FQ_ERR_IO, NULL, "listen", "cannot make a socket: %s",
			       strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)(const void *)sa, sizeof(*sa)) ||
	    listen(fd, SOMAXCONN)) {
		err = errno;
		close(fd);
		if (err == EADDRINUSE)
			return fq_fail(e, FQ_ERR_CONFLICT, "address_in_use", "listen",
				       "address %s:%u is already in use", host, port);
		return fq_fail(e, FQ_ERR_IO, NULL, "listen", "cannot listen on %s:%u: %s", host,
			       port, strerror(err));
	}
	*out = fd;
	return FQ_OK;
}

/* The worker for a new connection: the one with the fewest open
 * connections; among equals, the search starts one further each time. The
 * acceptor is the only caller. */
static struct worker *pick_worker(struct fq_server *s, int *total)
{
	struct worker *best = NULL;
	int least = 0;

	*total = 0;
	for (int k = 0; k < s->nworkers; k++) {
		struct worker *w = &s->workers[(s->next + (unsigned)k) % (unsigned)s->nworkers];
		int n = atomic_load(&w->conns);

		*total += n;
		if (!best || n < least) {
			best = w;
			least = n;
		}
	}
	s->next++;
	return best;
}

/* Hands one accepted connection to a worker, or closes it: an address at
 * its limit and a server at CONNECTION_MAX are refused at once, before
 * anything is allocated for the connection. */
static void hand_over(struct fq_server *s, int fd, const struct sockaddr *sa, socklen_t len)
{
	int total;
	struct worker *w = pick_worker(s, &total);

	if (total >= CONNECTION_MAX || (limited(s, sa) && fq_addr_limit_full(s->limit, sa))) {
		close(fd);
		return;
	}
	/* Counted before the worker sees it, so that a burst of connections
	 * spreads; libmicrohttpd queues it for the worker's thread. */
	atomic_fetch_add(&w->conns, 1);
	if (MHD_add_connection(w->daemon, fd, sa, len) != MHD_YES)
		atomic_fetch_sub(&w->conns, 1); /* it closed fd */
	/* Past MHD_YES a failure in the worker's thread (no memory for the
	 * connection) closes it without a notification: its count stays, and
	 * that worker only looks busier than it is. */
}

static void *acceptor_main(void *arg)
{
	struct fq_server *s = arg;
	struct pollfd pfd[2] = {{.fd = s->listen_fd, .events = POLLIN},
				{.fd = s->stop_pipe[0], .events = POLLIN}};

	pthread_setname_np(pthread_self(), "fq-accept");
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			fq_log_warn("http: poll on the listening socket: %s", strerror(errno));
		if (pfd[1].revents)
			break;
		for (;;) {
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);
			int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len,
					 SOCK_NONBLOCK | SOCK_CLOEXEC);

			if (fd >= 0) {
				hand_over(s, fd, (struct sockaddr *)&ss, len);
				continue;
			}
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				/* Out of descriptors: let connections close first. */
				struct timespec ts = {0, 100 * 1000000};
				fq_log_warn("http: cannot accept a connection: %s", strerror(errno));
				nanosleep(&ts, NULL);
			}
			break; /* EAGAIN: none left; anything else: poll again */
		}
	}
	return NULL;
}

/* Stops the workers started so far and frees s (not the listening socket). */
static void free_server(struct fq_server *s)
{
	for (int i = 0; i < s->nworkers; i++)
		if (s->workers[i].daemon)
			MHD_stop_daemon(s->workers[i].daemon);
	fq_addr_limit_free(s->limit); /* every connection is closed: nothing counted */
	free(s->workers);
	free(s->parked);
	if (s->stop_pipe[0] >= 0) {
		close(s->stop_pipe[0]);
		close(s->stop_pipe[1]);
	}
	pthread_mutex_destroy(&s->park_lock);
	pthread_cond_destroy(&s->park_cond);
	free(s);
}

static struct MHD_Daemon *start_worker(struct fq_server *s, struct worker *w)
{
	return MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
			MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
		0, NULL, NULL, access_handler, w, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, w,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection, w,
		/* Until the first request head is in; then idle_timeout_seconds.
		 * Both count silence, not the whole: a client trickling its head
		 * a byte at a time keeps its connection, one of its few
		 * (max_connections_per_address). */
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->app->cfg.header_timeout_seconds,
		/* The acceptor keeps the whole server under CONNECTION_MAX. */
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_MAX,
		/* Each connection's memory: the request head, the answer's head and
		 * the read buffer. libmicrohttpd clears all of it after every
		 * request; 16 KiB instead of its 32 KiB takes about 25,000
		 * instructions off each (callgrind) and still reads request heads
		 * of 14 KB (a larger one is answered 431). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
		/* 0.9.75's strictest: HTTP/1.1 without Host and spaces in the
		 * request target are 400; the rest of RFC 9112 is check_framing. */
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_END);
}

enum fq_err fq_server_start(struct fq_app *app, struct fq_server **out, struct fq_error *e)
{
	struct fq_server *s;
	struct sockaddr_in sa;
	int fd = -1;
	enum fq_err err = parse_listen(app->cfg.listen, &sa, e);

	if (!err)
		err = set_csp(&app->cfg, e);
	if (!err)
		err = open_listener(&sa, &fd, e);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	s->app = app;
	s->listen_fd = fd;
	s->stop_pipe[0] = s->stop_pipe[1] = -1;
	pthread_mutex_init(&s->park_lock, NULL);
	pthread_cond_init(&s->park_cond, NULL);
	s->nworkers = app->cfg.threads > 0 ? (int)app->cfg.threads : 1;
	if (pipe2(s->stop_pipe, O_CLOEXEC)) {
		s->stop_pipe[0] = s->stop_pipe[1] = -1;
		err = fq_fail(e, FQ_ERR_IO, NULL, NULL, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	if ((app->cfg.max_connections_per_address &&
	     !(s->limit = fq_addr_limit_new((unsigned)app->cfg.max_connections_per_address))) ||
	    !(s->workers = calloc((size_t)s->nworkers, sizeof(*s->workers))) ||
	    fq_metrics_set_workers(app->metrics, s->nworkers)) {
		err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto fail;
	}
	for (int i = 0; i < s->nworkers; i++) {
		struct worker *w = &s->workers[i];

		w->s = s;
		w->index = i;
		if (!(w->daemon = start_worker(s, w))) {
			err = fq_fail(e, FQ_ERR_IO, NULL, "listen", "cannot start HTTP worker %d: %s",
				      i, strerror(errno));
			goto fail;
		}
	}
	if (pthread_create(&s->waker, NULL, waker_main, s)) {
		err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, "cannot start the long-poll thread");
		goto fail;
	}
	s->waker_started = true;
	app->on_change_arg = s;
	app->on_change = on_change;
	if (pthread_create(&s->acceptor, NULL, acceptor_main, s)) {
		err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, "cannot start the accepting thread");
		fq_server_stop(s, 0);
		return err;
	}
	s->acceptor_started = true;
	*out = s;
	return FQ_OK;
fail:
	free_server(s);
	close(fd);
	return err;
}

void fq_server_stop(struct fq_server *s, int grace_ms)
{
	if (!s)
		return;
	/* No new connections: the acceptor stops; the listening socket stays
	 * open (connections wait in its backlog) until the end. */
	if (s->acceptor_started) {
		while (write(s->stop_pipe[1], "x", 1) < 0 && errno == EINTR)
			;
		pthread_join(s->acceptor, NULL);
	}
	/* Parked long polls answer now (may_wait is false from here on). */
	pthread_mutex_lock(&s->park_lock);
	s->stopping = true;
	pthread_cond_signal(&s->park_cond);
	pthread_mutex_unlock(&s->park_lock);
	if (s->waker_started)
		pthread_join(s->waker, NULL);
	resume(s, true);
	for (int waited = 0; atomic_load(&s->active) > 0 && waited < grace_ms; waited += 10) {
		struct timespec ts = {0, 10 * 1000000};
		nanosleep(&ts, NULL);
	}
	s->app->on_change = NULL;
	close(s->listen_fd);
	free_server(s);
}
