/* The /api/session handlers: sign in and out, the current session, password
 * change and TOTP set-up. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/module.h"
#include "store/dump.h"
#include "api/input.h"
#include "auth/permission.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "core/banned.h"
#include "http/app.h"
#include "http/request.h"

/* What the auth calls work with: the request's transaction and memory. */
static struct fq_auth auth_of(struct fq_req *r)
{
	return (struct fq_auth){r->db, &r->app->cfg, r->app->keys, r->arena, &r->error, false};
}

static bool cookie_secure(const struct fq_req *r)
{
	const char *mode = r->app->cfg.cookie_secure;

	if (!strcmp(mode, "always"))
		return true;
	if (!strcmp(mode, "never"))
		return false;
	return r->forwarded_proto && !strcmp(r->forwarded_proto, "https");
}

struct held {
	const struct fq_principal *who;
	json_t *perms;
};

/* A token holds only the permissions of its scopes. */
static void add_held(const char *perm, void *arg)
{
	struct held *h = arg;

	if (!h->who->token_id || fq_scopes_contain(h->who->scopes, perm))
		json_array_append_new(h->perms, json_string(perm));
}

/* The session as the app sees it: user, CSRF token, permissions. */
static json_t *session_json(struct fq_req *r)
{
	const struct fq_principal *w = &r->who;
	json_t *perms = json_array();
	struct held held = {w, perms};

	if (fq_role_find(w->role))
		fq_permissions_each(w->role, add_held, &held);
	return json_pack("{s:{s:I,s:s,s:s,s:s,s:I,s:s,s:b,s:b,s:b},s:s?,s:o}", "user", "id",
			 (json_int_t)w->user_id, "username", w->username, "display_name",
			 w->display_name, "role", w->role, "org_id", (json_int_t)w->org_id,
			 "org_name", w->org_name, "must_change_password", w->must_change_password,
			 "totp_enrolled", w->totp_enrolled, "totp_required", w->totp_required,
			 "csrf_token", w->csrf_token, "permissions", perms);
}

FQ_HANDLER(fq_api_session_create)
{
	static const char *const fields[] = {"username", "password", "totp", NULL};
	struct fq_auth a = auth_of(r);
	struct fq_login in = {.client_addr = r->client_addr};
	char secret[FQ_SESSION_SECRET_MAX];
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "username", FQ_IN_REQUIRED, 64, &in.username);
	if (!err)
		err = fq_in_text(r, "password", FQ_IN_REQUIRED, 128, &in.password);
	if (!err)
		err = fq_in_text(r, "totp", FQ_IN_NULLABLE, 6, &in.totp);
	if (err)
		return err;
	r->audit.object_type = "user";
	r->audit.object_id = in.username;
	err = fq_auth_login(&a, &in, &r->who, secret);
	if (in.user_id)
		fq_api_audit_object(r, "user", in.user_id);
	/* A failure count or lockout stands although the request fails. */
	r->commit_on_error = a.keep;
	if (err)
		return err;
	r->authenticated = true;
	r->set_cookie = fq_arena_printf(r->arena,
					FQ_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
					secret, cookie_secure(r) ? "; Secure" : "");
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_get)
{
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_delete)
{
	struct fq_auth a = auth_of(r);
	enum fq_err err = fq_auth_logout(&a, &r->who);

	if (err)
		return err;
	r->set_cookie = FQ_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	fq_req_reply(r, 200, json_pack("{s:b}", "signed_out", 1));
	return FQ_OK;
}

FQ_HANDLER(fq_api_session_password)
{
	static const char *const fields[] = {"old_password", "new_password", NULL};
	struct fq_auth a = auth_of(r);
	const char *old_pw, *new_pw;
	enum fq_err err = fq_in_only(r, fields);

	fq_api_audit_object(r, "user", r->who.user_id);
	if (!err)
		err = fq_in_text(r, "old_password", FQ_IN_REQUIRED, 128, &old_pw);
	if (!err)
		err = fq_in_text(r, "new_password", FQ_IN_REQUIRED, 128, &new_pw);
	if (!err)
		err = fq_auth_change_password(&a, &r->who, old_pw, new_pw);
	/* A wrong old password counts toward the lockout, and the count stands. */
	r->commit_on_error = a.keep;
	if (err)
		return err;
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_totp_begin)
{
	struct fq_auth a = auth_of(r);
	char secret[FQ_TOTP_SECRET_MAX], uri[FQ_TOTP_URI_MAX];
	enum fq_err err;

	fq_api_audit_object(r, "user", r->who.user_id);
	err = fq_auth_totp_begin(&a, &r->who, secret, uri);
	if (err)
		return err;
	return fq_api_reply(r, 200, json_pack("{s:s,s:s}", "secret", secret, "otpauth_uri", uri));
}

FQ_HANDLER(fq_api_session_totp_confirm)
{
	static const char *const fields[] = {"code", NULL};
	struct fq_auth a = auth_of(r);
	const char *code;
	enum fq_err err = fq_in_only(r, fields);

	fq_api_audit_object(r, "user", r->who.user_id);
	if (!err)
		err = fq_in_text(r, "code", FQ_IN_REQUIRED, 6, &code);
	if (!err)
		err = fq_auth_totp_confirm(&a, &r->who, code);
	if (err)
		return err;
	return fq_api_reply(r, 200, session_json(r));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"POST",   "/api/session",               fq_api_session_create,        PUBLIC,          "session.create",       FQ_NO_CSRF, "sign in"},
	{"GET",    "/api/session",               fq_api_session_get,           SIGNED_IN,       NULL,                   R, "the current session"},
	{"DELETE", "/api/session",               fq_api_session_delete,        SIGNED_IN,       "session.delete",       R, "sign out"},
	{"POST",   "/api/session/password",      fq_api_session_password,      SIGNED_IN,       "session.password",     R, "change your password"},
	{"POST",   "/api/session/totp",          fq_api_session_totp_begin,    SIGNED_IN,       "session.totp_begin",   R, "start TOTP enrolment"},
	{"POST",   "/api/session/totp/confirm",  fq_api_session_totp_confirm,  SIGNED_IN,       "session.totp_confirm", R, "finish TOTP enrolment"},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"sessions", {"id"}, NULL},
	{"api_tokens", {"id"}, NULL},
	{"login_attempts", {"client_addr", "minute"}, NULL},
	{"login_name_failures", {"name_hash"}, NULL},
	{NULL},
};

const struct fq_module fq_module_session = {
	.name = "session",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
};
