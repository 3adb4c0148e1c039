/* The API test harness (harness.h). The seeded store is built once per test
 * binary — `fengqiao init` plus the org tree and users, through the library —
 * and copied for each api_env_new(), so every test starts from the same fresh
 * world without paying for a dozen password hashes each time. */
#include "api/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/permission.h"
#include "auth/secret.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "audit/audit.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/notify.h"
#include "domain/org.h"
#include "domain/user.h"
#include "http/app.h"
#include "http/request.h"
#include "store/store.h"

static struct api_env template_env; /* ids and users of the seeded world */
static bool template_ready;

static void die(const char *what, const struct fq_error *e)
{
	fprintf(stderr, "api harness: %s: %s\n", what, e && e->message[0] ? e->message : "failed");
	exit(2);
}

/* Removes every file in dir, then dir (the folders we make are flat). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* With FQ_TEST_PG_URL (a PostgreSQL store URL, e.g. from
 * tools/pg-throwaway.sh) every store is a database on that server: the seeded
 * template is copied with CREATE DATABASE … TEMPLATE. Otherwise SQLite files. */
static const char *pg_base(void)
{
	const char *url = getenv("FQ_TEST_PG_URL");

	return url && *url ? url : NULL;
}

/* The base URL with its database name replaced by name. */
static void pg_url(const char *name, char *out, size_t size)
{
	const char *base = pg_base(), *slash = strstr(base, ":///"), *q = strchr(base, '?');

	if (!slash)
		die("FQ_TEST_PG_URL must look like postgresql:///DB?host=…", NULL);
	snprintf(out, size, "%.*s%s%s", (int)(slash + 4 - base), base, name, q ? q : "");
}

/* Runs sql on the server's maintenance connection (outside a transaction:
 * CREATE DATABASE cannot run inside one). */
static void pg_admin(const char *sql)
{
	static struct fq_store *admin;
	struct fq_error e = {0};
	struct fq_db *db;

	if (!admin && fq_store_open(pg_base(), &admin, &e))
		die("cannot open the PostgreSQL maintenance connection", &e);
	db = fq_store_db(admin, &e);
	if (!db || fq_db_exec_script(db, sql, &e))
		die(sql, &e);
}

/* The database name of an env: its folder's unique suffix. */
static const char *pg_name(const struct api_env *env, char *out, size_t size)
{
	snprintf(out, size, "fqt_%s", strrchr(env->dir, '-') + 1);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

static void pg_drop(const struct api_env *env)
{
	char name[64], sql[128];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 pg_name(env, name, sizeof(name)));
	pg_admin(sql);
}

static void remove_template(void)
{
	if (!template_ready)
		return;
	if (pg_base())
		pg_drop(&template_env);
	remove_dir(template_env.dir);
}

static bool copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;
	bool ok = true;

	if (in < 0)
		return errno == ENOENT; /* an absent -wal file is fine */
	out = open(to, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (out < 0) {
		close(in);
		return false;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			ok = false;
	if (n < 0)
		ok = false;
	close(in);
	if (close(out))
		ok = false;
	return ok;
}

static void env_config(const struct api_env *env, struct fq_config *cfg)
{
	char name[64];

	fq_config_defaults(cfg);
	if (pg_base()) {
		pg_url(pg_name(env, name, sizeof(name)), cfg->store, sizeof(cfg->store));
		snprintf(cfg->key_file, sizeof(cfg->key_file), "%.200s.key", env->db_path);
	} else {
		snprintf(cfg->store, sizeof(cfg->store), "sqlite:%s", env->db_path);
	}
	cfg->access_log = false;
}

static void make_dir(struct api_env *env)
{
	snprintf(env->dir, sizeof(env->dir), "/tmp/fq-api-XXXXXX");
	if (!mkdtemp(env->dir)) {
		fprintf(stderr, "api harness: mkdtemp: %s\n", strerror(errno));
		exit(2);
	}
	snprintf(env->db_path, sizeof(env->db_path), "%s/t.db", env->dir);
}

static int64_t seed_org(struct fq_ctx *c, int64_t parent, const char *kind, const char *name,
                        const char *code)
{
	struct fq_org_input in = {
	    .parent_id = parent, .kind = kind, .name = name, .code = code, .area_type = "urban"};
	int64_t id = 0;

	if (fq_org_create(c, &in, &id))
		die("cannot seed an org unit", c->e);
	return id;
}

static void seed_user(struct fq_ctx *c, struct api_env *env, const char *username, const char *role,
                      int64_t org_id, bool must_change)
{
	struct api_user *u = &env->users[env->nusers++];
	struct fq_user_input in = {username, username, role, org_id, API_PASSWORD, must_change};

	u->username = username;
	u->role = role;
	fq_strlcpy(u->password, API_PASSWORD, sizeof(u->password));
	if (fq_user_create(c, &in, true, &u->id))
		die("cannot seed a user", c->e);
}

/* The command line's context (cli/common.c fq_cli_begin): the whole tree,
 * acting as the system, in a write transaction. fq_cli_begin itself cannot be
 * linked without main.c (it needs fq_cli_usage). */
static const struct fq_principal seed_principal = {
    .username = "(command line)",
    .display_name = "command line",
    .role = "sysadmin",
    .org_path = "/",
    .whole_tree = true,
};

static void seed_begin(struct fq_app *app, struct fq_ctx *c, struct fq_error *e)
{
	memset(c, 0, sizeof(*c));
	c->db = fq_store_db(app->store, e);
	c->keys = app->keys;
	c->who = &seed_principal;
	c->e = e;
	c->arena = fq_arena_new();
	if (!c->db || !c->arena || fq_db_begin(c->db, true))
		die("cannot begin the seed", e);
}

/* What `fengqiao init` records after creating the first administrator. */
static void seed_audit_init(struct fq_db *db, const struct fq_keys *keys)
{
	struct fq_audit_entry a = {.username = "(command line)",
	                           .client_addr = "local",
	                           .action = "system.init",
	                           .object_type = "user",
	                           .object_id = "sysadmin",
	                           .success = true};

	if (fq_audit_append(db, keys, &a))
		die("cannot write the init audit entry", NULL);
}

/* `fengqiao init`, then the world of harness.h. */
static void build_template(void)
{
	struct api_env *env = &template_env;
	struct fq_config cfg;
	struct fq_store *store = NULL;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_ctx c;
	char key_path[200];

	make_dir(env);
	env_config(env, &cfg);
	if (pg_base()) {
		char name[64], sql[128];

		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_name(env, name, sizeof(name)));
		pg_admin(sql);
	}
	if (fq_store_open(cfg.store, &store, &e) || fq_store_migrate(store, NULL, &e))
		die("cannot create the store", &e);
	fq_store_close(store);
	if (fq_secret_init(&e))
		die("cannot initialise libsodium", &e);
	snprintf(key_path, sizeof(key_path), "%.150s.key", env->db_path);
	if (fq_keys_create(key_path, &e))
		die("cannot create the key file", &e);
	if (fq_app_open(&cfg, false, &app, &e))
		die("cannot open the app", &e);
	seed_begin(app, &c, &e);
	env->root = seed_org(&c, 0, "bureau", "市局", "root");
	env->branch = seed_org(&c, env->root, "branch", "渝北分局", "br1");
	env->st_a = seed_org(&c, env->branch, "station", "两路派出所", "stA");
	env->beat_a = seed_org(&c, env->st_a, "beat", "双龙片区", "beatA");
	env->g_a1 = seed_org(&c, env->beat_a, "grid", "双龙一网格", "gA1");
	env->g_a2 = seed_org(&c, env->beat_a, "grid", "双龙二网格", "gA2");
	env->st_b = seed_org(&c, env->branch, "station", "回兴派出所", "stB");
	env->g_b1 = seed_org(&c, env->st_b, "grid", "回兴一网格", "gB1");
	seed_user(&c, env, "sysadmin", "sysadmin", env->st_a, false);
	seed_user(&c, env, "secadmin", "secadmin", env->st_a, false);
	seed_user(&c, env, "auditor", "auditor", env->st_a, false);
	seed_user(&c, env, "chief", "chief", env->st_a, false);
	seed_user(&c, env, "officer", "officer", env->st_a, false);
	seed_user(&c, env, "aux", "aux", env->st_a, false);
	seed_user(&c, env, "mediator", "mediator", env->st_a, false);
	seed_user(&c, env, "counselor", "counselor", env->st_a, false);
	seed_user(&c, env, "volunteer", "volunteer", env->st_a, false);
	seed_user(&c, env, "resident", "resident", env->st_a, false);
	seed_user(&c, env, "newbie", "officer", env->st_a, true);
	seed_user(&c, env, "officer.b", "officer", env->st_b, false);
	seed_audit_init(c.db, app->keys);
	if (fq_db_commit(c.db))
		die("cannot save the seed", &e);
	fq_arena_free(c.arena);
	fq_app_close(app);
	template_ready = true;
	atexit(remove_template);
}

struct api_env *api_env_new(void)
{
	struct api_env *env = malloc(sizeof(*env));
	struct fq_config cfg;
	struct fq_error e = {0};
	char from[200], to[200];
	static const char *const files[] = {"t.db", "t.db-wal"};

	if (!env)
		exit(2);
	if (!template_ready)
		build_template();
	*env = template_env;
	make_dir(env);
	if (pg_base()) {
		char name[64], tmpl[64], sql[200];

		snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s",
			 pg_name(env, name, sizeof(name)), pg_name(&template_env, tmpl, sizeof(tmpl)));
		pg_admin(sql);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !pg_base(); i++) {
		snprintf(from, sizeof(from), "%.60s/%.20s", template_env.dir, files[i]);
		snprintf(to, sizeof(to), "%.60s/%.20s", env->dir, files[i]);
		if (!copy_file(from, to, 0600))
			die("cannot copy the seeded store", NULL);
	}
	snprintf(from, sizeof(from), "%.150s.key", template_env.db_path);
	snprintf(to, sizeof(to), "%.150s.key", env->db_path);
	if (!copy_file(from, to, 0600))
		die("cannot copy the key file", NULL);
	env_config(env, &cfg);
	if (fq_app_open(&cfg, false, &env->app, &e))
		die("cannot open the app", &e);
	return env;
}

void api_env_free(struct api_env *env)
{
	if (!env)
		return;
	fq_app_close(env->app);
	if (pg_base())
		pg_drop(env);
	remove_dir(env->dir);
	free(env);
}

struct api_user *api_user(struct api_env *env, const char *username)
{
	for (int i = 0; i < env->nusers; i++)
		if (!strcmp(env->users[i].username, username))
			return &env->users[i];
	return NULL;
}

int64_t api_user_id(struct api_env *env, const char *username)
{
	struct api_user *u = api_user(env, username);

	return u ? u->id : 0;
}

/* ---- requests ---- */

struct api_resp api_call_raw(struct api_env *env, const struct api_client *client,
                             const struct api_raw *raw)
{
	struct api_resp out = {0};
	struct fq_req *r = fq_req_new(env->app, raw->method, raw->target);
	const char *body, *type;
	size_t len;

	if (!r) {
		fprintf(stderr, "api harness: out of memory\n");
		exit(2);
	}
	r->client_addr = client && client->client_addr ? client->client_addr : "127.0.0.1";
	if (client && client->cookie[0])
		r->session_cookie = client->cookie;
	if (raw->authorization)
		r->authorization = raw->authorization;
	else if (client && client->bearer[0])
		r->authorization = fq_arena_printf(r->arena, "Bearer %s", client->bearer);
	if (raw->csrf)
		r->csrf_header = raw->csrf;
	else if (client && client->csrf[0])
		r->csrf_header = client->csrf;
	if (raw->body) {
		r->body = raw->body;
		r->body_len = raw->body_len ? raw->body_len : strlen(raw->body);
	}
	if (!raw->no_content_type)
		r->content_type = raw->content_type ? raw->content_type
		                  : raw->body       ? "application/json"
		                                    : NULL;
	/* As the server: a body over the route's limit is marked, not kept. */
	r->body_too_large = raw->body_too_large ||
	                    (int64_t)r->body_len > fq_app_body_limit(env->app, raw->method, r->path);
	r->forwarded_proto = raw->forwarded_proto;

	r->accept_language = raw->accept_language;
	r->may_wait = raw->may_wait;

	fq_app_handle(env->app, r);
	if (r->raw_file) {
		/* A file body (an export): read it whole, as a client would. */
		char *file = malloc(r->raw_file_len + 1);
		size_t got = 0;
		ssize_t n = 1;

		while (file && got < r->raw_file_len && n > 0) {
			n = pread(r->raw_fd, file + got, r->raw_file_len - got, (off_t)got);
			got += n > 0 ? (size_t)n : 0;
		}
		len = file ? got : 0;
		body = file; /* freed below, after the copy into out.body */
		type = r->raw_type;
	} else {
		fq_app_response_body(r, &body, &len, &type);
	}

	out.status = r->status;
	out.body = malloc(len + 1);
	if (out.body) {
		memcpy(out.body, body, len);
		out.body[len] = '\0';
	}
	out.body_len = len;
	if (r->raw_file)
		free((char *)body);
	out.content_type = strdup(type);
	out.set_cookie = r->set_cookie ? strdup(r->set_cookie) : NULL;
	out.disposition = r->disposition ? strdup(r->disposition) : NULL;
	out.waits = r->wait;
	out.wait_scope = r->wait && r->wait_scope ? strdup(r->wait_scope) : NULL;
	out.retry_after = (long long)r->retry_after;
	if (len && !strncmp(type, "application/json", 16))
		out.json = json_loadb(body, len, 0, NULL);
	fq_req_free(r);
	return out;
}

struct api_resp api_call(struct api_env *env, const struct api_client *client, const char *method,
                         const char *target, const char *body)
{
	struct api_raw raw = {.method = method, .target = target, .body = body};

	return api_call_raw(env, client, &raw);
}

struct api_resp api_callf(struct api_env *env, const struct api_client *client, const char *method,
                          const char *target, const char *fmt, ...)
{
	struct api_resp resp;
	va_list ap;
	char *body = NULL;

	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		body = NULL;
	va_end(ap);
	resp = api_call(env, client, method, target, body);
	free(body);
	return resp;
}

void api_resp_free(struct api_resp *r)
{
	json_decref(r->json);
	free(r->set_cookie);
	free(r->disposition);
	free(r->wait_scope);
	free(r->body);
	free(r->content_type);
	memset(r, 0, sizeof(*r));
}

/* ---- signing in ---- */

int api_login_full(struct api_env *env, struct api_client *client, const char *username,
                   const char *password, const char *totp, struct api_resp *out)
{
	json_t *req = json_pack("{s:s,s:s}", "username", username, "password", password);
	struct api_resp resp;
	char *body;
	const char *cookie, *csrf;
	int status;

	if (totp)
		json_object_set_new(req, "totp", json_string(totp));
	body = fq_json_dumps(req, JSON_COMPACT);
	json_decref(req);
	memset(client, 0, sizeof(*client));
	resp = api_call(env, NULL, "POST", "/api/session", body);
	free(body);
	status = resp.status;
	cookie = resp.set_cookie ? strstr(resp.set_cookie, FQ_SESSION_COOKIE "=") : NULL;
	csrf = api_str(resp.json, "csrf_token");
	if (status == 200 && cookie && csrf) {
		cookie += strlen(FQ_SESSION_COOKIE "=");
		snprintf(client->cookie, sizeof(client->cookie), "%.*s", (int)strcspn(cookie, ";"),
		         cookie);
		fq_strlcpy(client->csrf, csrf, sizeof(client->csrf));
		client->user_id = api_int(resp.json, "user.id");
	} else if (status == 200) {
		status = 500; /* signed in, but no cookie or CSRF token came back */
	}
	if (out)
		*out = resp;
	else
		api_resp_free(&resp);
	return status;
}

int api_login(struct api_env *env, struct api_client *client, const char *username,
              const char *password, const char *totp)
{
	return api_login_full(env, client, username, password, totp, NULL);
}

void api_totp_next(struct api_env *env, const char *username, char code[7])
{
	struct api_user *u = api_user(env, username);

	code[0] = '\0';
	if (!u || !u->totp_secret[0])
		return;
	for (;;) {
		int64_t now = (int64_t)time(NULL), now_step = now / FQ_TOTP_STEP;
		int64_t step = u->totp_last_step + 1;

		/* The server takes the steps either side of now; the one before is
		 * safe only while we are not about to leave it behind. */
		if (step < now_step - 1)
			step = now_step - 1;
		if (step == now_step - 1 && now % FQ_TOTP_STEP > 20)
			step = now_step;
		if (step <= now_step + 1) {
			if (fq_totp_code(u->totp_secret, step * FQ_TOTP_STEP, code))
				code[0] = '\0';
			u->totp_last_step = step;
			return;
		}
		sleep((unsigned)((step - 1) * FQ_TOTP_STEP - now + 1));
	}
}

bool api_enrol_totp(struct api_env *env, struct api_client *client, const char *username)
{
	struct api_user *u = api_user(env, username);
	struct api_resp resp = api_call(env, client, "POST", "/api/session/totp", NULL);
	const char *secret = api_str(resp.json, "secret");
	char code[7];
	bool ok;

	if (resp.status != 200 || !secret || !u) {
		fprintf(stderr, "  api harness: TOTP enrolment of %s: %d %s\n", username,
		        resp.status, resp.body);
		api_resp_free(&resp);
		return false;
	}
	fq_strlcpy(u->totp_secret, secret, sizeof(u->totp_secret));
	u->totp_last_step = 0;
	api_resp_free(&resp);
	api_totp_next(env, username, code);
	resp =
	    api_callf(env, client, "POST", "/api/session/totp/confirm", "{\"code\":\"%s\"}", code);
	ok = resp.status == 200 && api_bool(resp.json, "user.totp_enrolled");
	if (!ok)
		fprintf(stderr, "  api harness: TOTP confirmation of %s: %d %s\n", username,
		        resp.status, resp.body);
	api_resp_free(&resp);
	return ok;
}

bool api_login_enrolled(struct api_env *env, struct api_client *client, const char *username)
{
	struct api_user *u = api_user(env, username);
	const struct fq_role *role = u ? fq_role_find(u->role) : NULL;
	bool needs_totp = role && role->totp_required;
	struct api_resp resp;
	char code[7] = "";
	int status;

	if (!u) {
		fprintf(stderr, "  api harness: no seeded user %s\n", username);
		return false;
	}
	if (needs_totp && u->totp_secret[0])
		api_totp_next(env, username, code);
	status = api_login_full(env, client, username, u->password, code[0] ? code : NULL, &resp);
	if (status != 200) {
		fprintf(stderr, "  api harness: sign-in of %s: %d %s\n", username, status,
		        resp.body);
		api_resp_free(&resp);
		return false;
	}
	api_resp_free(&resp);
	if (needs_totp && !u->totp_secret[0])
		return api_enrol_totp(env, client, username);
	return true;
}

int64_t api_token(struct api_env *env, struct api_client *client, const char *username,
                  const char *scopes)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);
	int64_t id = 0;

	memset(client, 0, sizeof(*client));
	if (!db || fq_db_begin(db, true))
		return 0;
	if (fq_token_create(db, api_user_id(env, username), "api test", scopes, 0, client->bearer,
	                    sizeof(client->bearer), &id) ||
	    fq_db_commit(db)) {
		fq_db_rollback(db);
		return 0;
	}
	client->user_id = api_user_id(env, username);
	return id;
}

/* ---- the store ---- */

int64_t api_count(struct api_env *env, const char *sql)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);
	struct fq_stmt *st;
	int64_t n = -1;

	if (!db || fq_db_query(db, &st, sql, NULL))
		return -1;
	if (fq_stmt_next(st) == 1)
		n = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return n;
}

bool api_exec(struct api_env *env, const char *sql)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);

	if (!db || fq_db_begin(db, true))
		return false;
	if (fq_db_exec(db, NULL, sql, NULL) || fq_db_commit(db)) {
		fq_db_rollback(db);
		return false;
	}
	return true;
}

json_t *api_audit_last(struct api_env *env, const char *action, const char *object_id)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);
	enum fq_err err;
	json_t *row;

	if (!db)
		return NULL;
	row = fq_db_get_json(db, &err,
	                     "SELECT id, time, user_id, username, client_addr, action, object_type,"
	                     " object_id, outcome, detail FROM audit_log WHERE action = ?1"
	                     " AND (CAST(?2 AS TEXT) IS NULL OR object_id = ?2) ORDER BY id DESC LIMIT 1",
	                     "ss", action, object_id);
	return err ? NULL : row;
}

/* ---- records ---- */

int64_t api_new_address(struct api_env *env, const struct api_client *c, int64_t grid_id,
                        const char *street, const char *door_no)
{
	json_t *req = json_pack("{s:s,s:s,s:s,s:I}", "division_code", "500112", "street", street,
	                        "door_no", door_no, "grid_id", (json_int_t)grid_id);
	char *body = fq_json_dumps(req, JSON_COMPACT);
	struct api_resp resp = api_call(env, c, "POST", "/api/addresses", body);
	int64_t id = resp.status == 201 ? api_int(resp.json, "id") : 0;

	if (!id)
		fprintf(stderr, "  api harness: cannot create address: %d %s\n", resp.status,
		        resp.body);
	free(body);
	json_decref(req);
	api_resp_free(&resp);
	return id;
}

int64_t api_new_person(struct api_env *env, const struct api_client *c, const char *name,
                       const char *id_number, const char *extra_json)
{
	json_t *req =
	    json_pack("{s:s,s:s,s:s}", "name", name, "doc_type", "id_card", "id_number", id_number);
	json_t *extra = extra_json ? json_loads(extra_json, 0, NULL) : NULL;
	char *body;
	struct api_resp resp;
	int64_t id;

	if (extra)
		json_object_update(req, extra);
	json_decref(extra);
	body = fq_json_dumps(req, JSON_COMPACT);
	resp = api_call(env, c, "POST", "/api/persons", body);
	id = resp.status == 201 ? api_int(resp.json, "id") : 0;
	if (!id)
		fprintf(stderr, "  api harness: cannot create person: %d %s\n", resp.status,
		        resp.body);
	free(body);
	json_decref(req);
	api_resp_free(&resp);
	return id;
}

void api_id_number(const char *division6, const char *date8, const char *seq3, char out[19])
{
	snprintf(out, 19, "%.6s%.8s%.3s", division6, date8, seq3);
	out[17] = fq_idcard_check_char(out);
	out[18] = '\0';
}

/* ---- JSON ---- */

json_t *api_get(json_t *v, const char *path)
{
	char key[128];

	while (v && path && *path) {
		size_t n = strcspn(path, ".");
		int64_t idx;

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (json_is_array(v) && fq_parse_i64(key, 0, INT64_MAX, &idx))
			v = json_array_get(v, (size_t)idx);
		else if (json_is_object(v))
			v = json_object_get(v, key);
		else
			v = NULL;
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}

const char *api_str(json_t *v, const char *path)
{
	return json_string_value(api_get(v, path));
}

int64_t api_int(json_t *v, const char *path)
{
	return json_integer_value(api_get(v, path));
}

size_t api_len(json_t *v, const char *path)
{
	return json_array_size(api_get(v, path));
}

bool api_bool(json_t *v, const char *path)
{
	return json_is_true(api_get(v, path));
}

/* ---- checks ---- */

bool api_check_status(const char *file, int line, const struct api_resp *r, int want)
{
	if (r->status == want)
		return true;
	fprintf(stderr, "  %s:%d: status %d, expected %d: %s\n", file, line, r->status, want,
	        r->body ? r->body : "");
	fq_test_failed_checks++;
	return false;
}

bool api_check_error(const char *file, int line, const struct api_resp *r, int status,
                     const char *code, const char *field)
{
	const char *got_code = api_str(r->json, "error.code");
	const char *got_field = api_str(r->json, "error.field");
	const char *message = api_str(r->json, "error.message");
	bool ok = r->status == status && got_code && message && *message;

	if (code && (!got_code || strcmp(got_code, code)))
		ok = false;
	if (field && (!got_field || strcmp(got_field, field)))
		ok = false;
	if (ok)
		return true;
	fprintf(stderr, "  %s:%d: expected %d %s%s%s, got %d: %s\n", file, line, status,
	        code ? code : "(any code)", field ? " field " : "", field ? field : "", r->status,
	        r->body ? r->body : "");
	fq_test_failed_checks++;
	return false;
}

const char *api_fmt(const char *fmt, ...)
{
	static char bufs[8][65536];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* Puts users (by name; the first leads) on a shift of station running now,
 * as responders, straight into the store: tests of dispatch and the board
 * need staff on duty without going through the roster's rules. */
bool api_on_shift(struct api_env *env, int64_t station, const char *const *names)
{
	int64_t now = fq_time_now_ms(), shift;
	bool ok = api_exec(env, api_fmt("INSERT INTO shifts (station_id, org_path, name, day,"
					" start_at, end_at, leader_id, need_call_taker,"
					" need_responder, need_patroller, created_at, updated_at)"
					" SELECT %lld, path, 'test', 20260101, %lld, %lld, %lld, 0, 0,"
					" 0, %lld, %lld FROM org_units WHERE id = %lld",
					(long long)station, (long long)(now - 3600000),
					(long long)(now + 8 * 3600000),
					(long long)api_user_id(env, names[0]), (long long)now,
					(long long)now, (long long)station));

	shift = api_count(env, "SELECT max(id) FROM shifts");
	for (int i = 0; ok && names[i]; i++)
		ok = api_exec(env, api_fmt("INSERT INTO shift_positions (shift_id, user_id, position,"
					   " seq, start_at, end_at) VALUES (%lld, %lld, 'responder',"
					   " %d, %lld, %lld)",
					   (long long)shift, (long long)api_user_id(env, names[i]), i,
					   (long long)(now - 3600000), (long long)(now + 8 * 3600000)));
	return ok;
}

int api_sweep(struct api_env *env, int64_t now)
{
	struct fq_error e = {0};
	struct fq_ctx c = {.keys = env->app->keys, .cfg = &env->app->cfg, .e = &e};
	int made = -1;

	c.db = fq_store_db(env->app->store, &e);
	c.arena = fq_arena_new();
	if (!c.db || !c.arena || fq_db_begin(c.db, true)) {
		fq_arena_free(c.arena);
		return -1;
	}
	if (fq_notify_sweep(&c, now, &made) || fq_db_commit(c.db)) {
		fq_db_rollback(c.db);
		made = -1;
	}
	fq_arena_free(c.arena);
	return made;
}
