/* The request pipeline (fq_app_handle): route, admit (body, sign-in, CSRF,
 * permission), one transaction around the handler, audit, reply. */
#include "http/app.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/module.h"
#include "audit/audit.h"
#include "domain/attachment.h"
#include "auth/permission.h"
#include "auth/secret.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/json_write.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/body.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/route.h"
#include "http/router.h"
#include "store/meta_store.h"
#include "store/store.h"

extern const char fq_openapi_json[];

#define KEY_CHECK_NAME "key_check"
#define KEY_CHECK_TEXT "fengqiao key check"

/* Refuses a key file that does not belong to this database: the database
 * holds a value sealed with its key. The first start after init stores it. */
static enum fq_err check_key(struct fq_app *app, const char *key_path, struct fq_error *e)
{
	struct fq_db *db = fq_store_db(app->store, e);
	unsigned char *sealed = NULL;
	void *stored = NULL;
	size_t len = 0;
	char *plain = NULL;
	enum fq_err err;

	if (!db)
		return e->err;
	err = fq_store_meta_get(db, KEY_CHECK_NAME, &stored, &len);
	if (!err) {
		if (fq_unseal(app->keys, stored, len, &plain) || strcmp(plain, KEY_CHECK_TEXT))
			err = fq_fail(e, FQ_ERR_FORBIDDEN, "wrong_key", "key_file",
				      "the key file '%s' does not belong to this database: use the "
				      "key file saved with it",
				      key_path);
	} else if (err == FQ_ERR_NOT_FOUND) {
		err = fq_seal(app->keys, KEY_CHECK_TEXT, strlen(KEY_CHECK_TEXT), &sealed, &len);
		if (!err)
			err = fq_db_begin(db, true);
		if (!err) {
			err = fq_store_meta_set(db, KEY_CHECK_NAME, sealed, len);
			if (err)
				fq_db_rollback(db);
			else
				err = fq_db_commit(db);
		}
		if (err)
			fq_fail_keep(e, err, "cannot record the key check");
	} else {
		fq_fail_keep(e, err, "cannot read the key check");
	}
	free(stored);
	free(sealed);
	free(plain);
	return err;
}

enum fq_err fq_app_open(const struct fq_config *cfg, bool migrate, struct fq_app **out,
			struct fq_error *e)
{
	struct fq_app *app = calloc(1, sizeof(*app));
	char key_path[FQ_CONFIG_STR_MAX + 8];
	enum fq_err err;

	if (!app)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	app->cfg = *cfg;
	err = fq_attachment_types_check(cfg->attachment_types, e);
	if (!err)
		err = fq_secret_init(e);
	if (!err)
		err = fq_totp_global_init() ? fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL,
						      "cannot initialise liboath")
					    : FQ_OK;
	if (!err)
		err = fq_store_open(cfg->store, &app->store, e);
	if (!err && migrate)
		err = fq_store_migrate(app->store, NULL, e);
	if (!err) {
		struct fq_db *db = fq_store_db(app->store, e);
		if (!db)
			err = e->err;
		else if (fq_store_schema_version(db) != fq_store_latest_version())
			err = fq_fail(e, FQ_ERR_CONFLICT, "schema_mismatch", "store",
				      "the database is at schema version %d, this binary needs %d: "
				      "run 'fengqiao init' or 'fengqiao migrate'",
				      fq_store_schema_version(db), fq_store_latest_version());
	}
	if (!err) {
		fq_config_key_path(cfg, key_path, sizeof(key_path));
		if (!key_path[0])
			err = fq_fail(e, FQ_ERR_INVALID, NULL, "key_file",
				      "set key_file: it cannot be derived from store '%s'",
				      cfg->store);
		else
			err = fq_keys_load(key_path, &app->keys, e);
		if (!err)
			err = check_key(app, key_path, e);
	}
	if (!err) {
		int n;
		const struct fq_route *routes = fq_modules_routes(&n);

		err = routes ? fq_router_new(routes, n, &app->router, e)
			     : fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	if (!err && !(app->metrics = fq_metrics_new(app->router)))
		err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (err) {
		fq_app_close(app);
		return err;
	}
	app->openapi = (char *)fq_openapi_json;
	app->openapi_len = strlen(fq_openapi_json);
	*out = app;
	return FQ_OK;
}

void fq_app_close(struct fq_app *app)
{
	if (!app)
		return;
	fq_metrics_free(app->metrics);
	fq_router_free(app->router);
	fq_keys_free(app->keys);
	fq_store_close(app->store);
	free(app);
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static bool is_restricted(const struct fq_principal *w)
{
	return w->must_change_password || (w->totp_required && !w->totp_enrolled);
}

static enum fq_err decode_body(struct fq_req *r)
{
	const struct fq_config *cfg = &r->app->cfg;
	struct fq_body_limits lim = {(size_t)cfg->max_json_depth, (size_t)cfg->max_string,
				     (size_t)cfg->max_list};

	if (r->route->flags & FQ_UPLOAD) {
		/* A file: its handler reads the bytes (r->body) as they came. */
		if (r->body_too_large)
			return fq_req_fail(r, FQ_ERR_TOO_LARGE, "file_too_large", "file",
					   "the file is larger than %lld bytes (%lld MB), the most "
					   "this server accepts",
					   (long long)cfg->max_attachment,
					   (long long)(cfg->max_attachment >> 20));
		return FQ_OK;
	}
	if (r->body_too_large)
		return fq_req_fail(r, FQ_ERR_TOO_LARGE, NULL, NULL,
				   "the request body is larger than %lld bytes",
				   (long long)cfg->max_body);
	if (!r->body_len) {
		r->json = json_object();
		return FQ_OK;
	}
	if (!r->content_type || strncmp(r->content_type, "application/json", 16) ||
	    (r->content_type[16] && r->content_type[16] != ';'))
		return fq_req_fail(r, FQ_ERR_MEDIA, NULL, NULL,
				   "send the body as Content-Type: application/json");
	if (fq_body_parse(r->body, r->body_len, &lim, &r->json, &r->error))
		return r->error.err;
	if (!json_is_object(r->json))
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_json", NULL,
				   "the body must be a JSON object");
	return FQ_OK;
}

/* Who calls: a bearer token, else the session cookie. */
static enum fq_err authenticate(struct fq_req *r)
{
	struct fq_auth a = {r->db, &r->app->cfg, r->app->keys, r->arena, &r->error, false};
	enum fq_err err;

	if (r->authorization && r->authorization[0]) {
		if (strncmp(r->authorization, "Bearer ", 7))
			return fq_req_fail(r, FQ_ERR_UNAUTH, "bad_token", NULL,
					   "use 'Authorization: Bearer <token>'");
		err = fq_auth_token(&a, r->authorization + 7, &r->who);
	} else if (r->session_cookie && r->session_cookie[0]) {
		err = fq_auth_session(&a, r->session_cookie, &r->who);
	} else {
		return fq_req_fail(r, FQ_ERR_UNAUTH, NULL, NULL, "sign in first");
	}
	if (!err)
		r->authenticated = true;
	return err;
}

/* Everything before the handler: who calls, and may they. */
static enum fq_err admit(struct fq_req *r)
{
	const struct fq_route *rt = r->route;
	enum fq_err err;

	if (r->query_overflow)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", NULL,
				   "more than %d query arguments", FQ_MAX_QUERY);
	if (r->query_nul)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", r->query_nul,
				   "%s: a query argument may not contain a NUL character (%%00)",
				   r->query_nul);
	if (is_write(r->method)) {
		err = decode_body(r);
		if (err)
			return err;
	}
	if (!strcmp(rt->permission, FQ_PERM_PUBLIC))
		return FQ_OK;
	err = authenticate(r);
	if (err)
		return err;
	if (is_write(r->method) && r->who.session_id && !(rt->flags & FQ_NO_CSRF) &&
	    (!r->csrf_header || !r->who.csrf_token ||
	     strlen(r->csrf_header) != strlen(r->who.csrf_token) ||
	     !fq_ct_equal(r->csrf_header, r->who.csrf_token, strlen(r->csrf_header))))
		return fq_req_fail(r, FQ_ERR_FORBIDDEN, "csrf", NULL,
				   "missing or wrong X-CSRF-Token header");
	if (is_restricted(&r->who) && !(rt->flags & FQ_RESTRICTED_OK)) {
		if (r->who.must_change_password)
			return fq_req_fail(r, FQ_ERR_FORBIDDEN, "password_change_required", NULL,
					   "change your password first");
		return fq_req_fail(r, FQ_ERR_FORBIDDEN, "totp_enrollment_required", NULL,
				   "set up two-factor sign-in (TOTP) first");
	}
	/* A token acts only through its scopes. A route any signed-in caller
	 * may use names no scope: a token may read it (GET /api/session says
	 * whom it acts for) but not write through it, for those writes are the
	 * browser session's own (sign out, password, TOTP set-up). */
	if (r->who.token_id && !strcmp(rt->permission, FQ_PERM_SIGNED_IN) && is_write(r->method))
		return fq_req_fail(r, FQ_ERR_FORBIDDEN, "session_only", NULL,
				   "an API token cannot do this: sign in with a password instead");
	if (strcmp(rt->permission, FQ_PERM_SIGNED_IN)) {
		if (!fq_role_allows(r->who.role, rt->permission))
			return fq_req_fail(r, FQ_ERR_FORBIDDEN, NULL, NULL,
					   "your role (%s) lacks the permission %s", r->who.role,
					   rt->permission);
		if (r->who.token_id && !fq_scopes_contain(r->who.scopes, rt->permission))
			return fq_req_fail(r, FQ_ERR_FORBIDDEN, NULL, NULL,
					   "this API token lacks the scope %s", rt->permission);
	}
	return FQ_OK;
}

static enum fq_err audit_write(struct fq_req *r, bool success)
{
	struct fq_audit_entry e = {
		.user_id = r->authenticated ? r->who.user_id : 0,
		.username = r->authenticated ? r->who.username : NULL,
		.client_addr = r->client_addr,
		.action = r->audit.action ? r->audit.action : r->route->action,
		.object_type = r->audit.object_type,
		.object_id = r->audit.object_id,
		.success = success,
		.detail = r->audit.detail,
	};
	char detail[FQ_ERROR_MESSAGE_MAX + FQ_ERROR_CODE_MAX + 4];
	enum fq_err err;

	if (!success) {
		snprintf(detail, sizeof(detail), "%s: %s", r->error.code, r->error.message);
		e.detail = detail;
		err = fq_db_begin(r->db, true);
		if (!err)
			err = fq_audit_append(r->db, r->app->keys, &e);
		if (!err)
			err = fq_db_commit(r->db);
		else
			fq_db_rollback(r->db);
	} else {
		err = fq_audit_append(r->db, r->app->keys, &e);
	}
	if (err)
		fq_log_error("cannot write audit entry for '%s': error %d", e.action, err);
	return err;
}

/* For a route on one record ("/api/persons/{id}/unmask"), the audit entry
 * names the record even when the request is refused before the handler:
 * the object type is the action's prefix ("person"), the id the path's. */
static void note_object(struct fq_req *r)
{
	const char *action = r->route->action, *dot;

	if (!action || !r->nparams || !(dot = strchr(action, '.')))
		return;
	r->audit.object_type = fq_arena_strndup(r->arena, action, (size_t)(dot - action));
	r->audit.object_id = r->params[0];
}

/* Whether a failed attempt may run again on a fresh connection: the store
 * connection broke, and not during a COMMIT (whose outcome is unknown). */
static bool retryable(struct fq_req *r, enum fq_err err)
{
	return err == FQ_ERR_UNAVAILABLE && fq_db_health(r->db) == FQ_DB_LOST;
}

/* One attempt at the request. Returns true when it should be retried (the
 * connection was lost before anything could commit); nothing is audited then. */
static bool run_once(struct fq_req *r, bool may_retry)
{
	const struct fq_route *rt = r->route;
	bool write = is_write(r->method);
	bool audited;
	int64_t t0;
	enum fq_err err;

	note_object(r);
	audited = write || (rt->flags & FQ_AUDIT);
	t0 = fq_time_mono_us();
	/* A read authenticates inside its own read transaction (one snapshot,
	 * one BEGIN); a write authenticates first, then takes the write lock. */
	if (!write && (err = fq_db_begin(r->db, false))) {
		if (may_retry && retryable(r, err))
			return true;
		fq_req_fail(r, err, NULL, NULL, NULL);
		return false;
	}
	err = admit(r);
	if (err) {
		if (!write)
			fq_db_rollback(r->db);
		if (may_retry && retryable(r, err))
			return true;
		if (audited)
			audit_write(r, false);
		return false;
	}
	if (write && (err = fq_db_begin(r->db, true))) {
		if (may_retry && retryable(r, err))
			return true;
		fq_req_fail(r, err, NULL, NULL, NULL);
		return false;
	}
	err = rt->handler(r);
	if (err && r->error.err == FQ_OK)
		fq_req_fail(r, err, NULL, NULL, NULL);
	audited = audited || r->audit.force;
	if (!err && audited && write) {
		/* A write without its audit entry must not commit. */
		err = audit_write(r, true);
		if (err)
			fq_req_fail(r, err, NULL, NULL, "cannot record the audit entry");
	} else if (!err && audited) {
		/* An audited read in a read transaction: the entry is a write. */
		fq_db_rollback(r->db);
		err = fq_db_begin(r->db, true);
		if (!err)
			err = audit_write(r, true);
		if (!err)
			err = fq_db_commit(r->db);
		else
			fq_db_rollback(r->db);
		r->db_us += fq_time_mono_us() - t0;
		if (err && may_retry && retryable(r, err))
			return true;
		if (err)
			fq_req_fail(r, err, NULL, NULL, "cannot record the audit entry");
		return false;
	}
	if (!err || r->commit_on_error) {
		enum fq_err cerr = fq_db_commit(r->db);
		if (cerr && !err) {
			r->db_us += fq_time_mono_us() - t0;
			if (may_retry && retryable(r, cerr))
				return true;
			if (fq_db_health(r->db) == FQ_DB_LOST_IN_COMMIT) {
				/* It may or may not have been saved: say so, and record
				 * no failure that may be false. */
				fq_log_error("%s %s: store connection lost during COMMIT: outcome unknown",
					     r->method, r->path);
				fq_req_fail(r, FQ_ERR_UNAVAILABLE, "outcome_unknown", NULL,
					    "the connection to the database broke while saving: the "
					    "change may have been saved; check before repeating it");
				return false;
			}
			err = fq_req_fail(r, cerr, NULL, NULL, "the change could not be saved");
		}
	} else {
		fq_db_rollback(r->db);
		if (may_retry && retryable(r, err)) {
			r->db_us += fq_time_mono_us() - t0;
			return true;
		}
	}
	r->db_us += fq_time_mono_us() - t0;
	if (err && audited)
		audit_write(r, false);
	if (!err && write && r->app->on_change)
		r->app->on_change(r->app->on_change_arg,
				  r->authenticated && !r->who.whole_tree && r->who.org_path
					  ? r->who.org_path
					  : "/");
	if (!(rt->flags & FQ_LONG_POLL))
		r->wait = false;
	return false;
}

/* How often a request runs again after losing its store connection before
 * anything committed. More than once: a connection that died while idle is
 * only found out by the next request's first query. */
#define RETRIES 2

/* Clears what an attempt left in r, for the next attempt. */
static void reset_attempt(struct fq_req *r)
{
	json_decref(r->out);
	r->out = NULL;
	json_decref(r->json);
	r->json = NULL;
	fq_error_clear(&r->error);
	memset(&r->who, 0, sizeof(r->who));
	memset(&r->audit, 0, sizeof(r->audit));
	r->authenticated = false;
	r->commit_on_error = false;
	r->set_cookie = NULL;
	r->status = 200;
	r->wait = false;
	r->wait_scope = NULL;
}

static void run(struct fq_req *r)
{
	uint64_t trips;

	r->db = fq_store_db(r->app->store, &r->error);
	if (!r->db)
		return;
	trips = fq_db_round_trips(r->db);
	for (int attempt = 0;; attempt++) {
		/* A connection known to be lost (by an earlier request or attempt)
		 * is reopened first, so that its past decides nothing here. */
		if (fq_db_health(r->db) != FQ_DB_OK && fq_db_reconnect(r->db)) {
			fq_req_fail(r, FQ_ERR_UNAVAILABLE, NULL, NULL,
				    "the database cannot be reached: try again shortly");
			return;
		}
		if (!run_once(r, attempt < RETRIES))
			break;
		fq_log_warn("store connection lost during %s %s: running it again", r->method,
			    r->path);
		reset_attempt(r);
	}
	if (r->authenticated)
		fq_auth_touch(r->db, &r->who);
	/* docs/internals.md: a GET of one record is two round trips. */
	fq_log_debug("%s %s: %llu store round trips", r->method, r->path,
		     (unsigned long long)(fq_db_round_trips(r->db) - trips));
}

int64_t fq_app_body_limit(const struct fq_app *app, const char *method, const char *path)
{
	const char *params[FQ_MAX_PARAMS];
	char param_buf[512];
	int n = 0, mismatch = 0;
	const struct fq_route *rt;

	if (!is_write(method)) /* a read (the board's polls) costs no second match */
		return app->cfg.max_body;
	rt = fq_router_match(app->router, method, path, params, &n, param_buf, sizeof(param_buf),
			     &mismatch);
	return rt && (rt->flags & FQ_UPLOAD) ? app->cfg.max_attachment : app->cfg.max_body;
}

void fq_app_handle(struct fq_app *app, struct fq_req *r)
{
	char param_buf[512];
	int mismatch = 0, route_index;
	int64_t t0 = fq_time_mono_us();
	char *params;

	r->app = app;
	r->route = fq_router_match(app->router, r->method, r->path, r->params, &r->nparams,
				   param_buf, sizeof(param_buf), &mismatch);
	if (!r->route) {
		if (mismatch)
			fq_req_fail(r, FQ_ERR_METHOD, NULL, NULL, "%s is not allowed on %s",
				    r->method, r->path);
		else
			fq_req_fail(r, FQ_ERR_NOT_FOUND, NULL, NULL, "no such resource: %s",
				    r->path);
	} else {
		/* Parameters must outlive this frame. */
		params = fq_arena_alloc(r->arena, sizeof(param_buf));
		if (params) {
			memcpy(params, param_buf, sizeof(param_buf));
			for (int i = 0; i < r->nparams; i++)
				r->params[i] = params + (r->params[i] - param_buf);
		}
		run(r);
	}
	if (r->error.err) {
		json_t *body = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", r->error.code,
					 "message", r->error.message, "field",
					 r->error.field[0] ? r->error.field : NULL);
		fq_req_reply(r, fq_err_status(r->error.err), body);
		if (r->error.err >= FQ_ERR_NOMEM)
			fq_log_error("%s %s failed: %s", r->method, r->path, r->error.message);
	}
	route_index = fq_router_index(app->router, r->route);
	fq_metrics_record(app->metrics, route_index, r->status, fq_time_mono_us() - t0, r->db_us);
}

void fq_app_response_body(struct fq_req *r, const char **body, size_t *len, const char **type)
{
	if (r->raw_body) {
		*body = r->raw_body;
		*len = r->raw_len;
		*type = r->raw_type ? r->raw_type : "text/plain; charset=utf-8";
		return;
	}
	*type = "application/json; charset=utf-8";
	if (!r->out) {
		*body = "";
		*len = 0;
		return;
	}
	{
		struct fq_buf b;
		char *p = NULL;

		fq_buf_init(&b, (size_t)1 << 30);
		if (!fq_json_write(&b, r->out) && (p = fq_arena_alloc(r->arena, b.len + 1)))
			memcpy(p, b.ptr, b.len + 1);
		*len = b.len;
		fq_buf_release(&b);
		if (!p) {
			*body = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
			*len = strlen(*body);
			r->status = 500;
			return;
		}
		*body = p;
	}
}
