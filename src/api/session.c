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
#include "auth/secret.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/user.h"
#include "http/app.h"
#include "http/request.h"
#include "store/user_store.h"

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
	const char *username, *password, *totp;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_text(r, "username", FQ_IN_REQUIRED, 64, &username);
	if (!err)
		err = fq_in_text(r, "password", FQ_IN_REQUIRED, 128, &password);
	if (!err)
		err = fq_in_text(r, "totp", FQ_IN_NULLABLE, 6, &totp);
	if (!err)
		err = fq_auth_login(r, username, password, totp);
	if (err)
		return err;
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_get)
{
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_delete)
{
	enum fq_err err = fq_auth_logout(r);

	if (err)
		return err;
	fq_req_reply(r, 200, json_pack("{s:b}", "signed_out", 1));
	return FQ_OK;
}

FQ_HANDLER(fq_api_session_password)
{
	static const char *const fields[] = {"old_password", "new_password", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *old_pw, *new_pw;
	enum fq_err err = fq_in_only(r, fields);

	fq_api_audit_object(r, "user", r->who.user_id);
	if (!err)
		err = fq_in_text(r, "old_password", FQ_IN_REQUIRED, 128, &old_pw);
	if (!err)
		err = fq_in_text(r, "new_password", FQ_IN_REQUIRED, 128, &new_pw);
	if (!err)
		err = fq_user_change_password(&c, old_pw, new_pw);
	if (err)
		return err;
	r->who.must_change_password = false;
	return fq_api_reply(r, 200, session_json(r));
}

FQ_HANDLER(fq_api_session_totp_begin)
{
	char secret[64], uri[FQ_TOTP_URI_MAX];
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	enum fq_err err;

	fq_api_audit_object(r, "user", r->who.user_id);
	if (r->who.totp_enrolled)
		return fq_req_fail(r, FQ_ERR_CONFLICT, NULL, NULL,
				   "two-factor sign-in is set up already");
	if (fq_totp_new_secret(secret, sizeof(secret)) ||
	    fq_seal(r->app->keys, secret, strlen(secret), &sealed, &sealed_len))
		return fq_req_fail(r, FQ_ERR_INTERNAL, NULL, NULL, "cannot make a TOTP secret");
	err = fq_store_user_set_totp(r->db, r->who.user_id, sealed, sealed_len, false, 0);
	free(sealed);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	fq_totp_uri("Fengqiao", r->who.username, secret, uri, sizeof(uri));
	return fq_api_reply(r, 200, json_pack("{s:s,s:s}", "secret", secret, "otpauth_uri", uri));
}

FQ_HANDLER(fq_api_session_totp_confirm)
{
	static const char *const fields[] = {"code", NULL};
	void *sealed = NULL;
	size_t len = 0;
	char *secret = NULL;
	const char *code;
	int64_t last_step = 0, step = 0;
	enum fq_err err = fq_in_only(r, fields);

	fq_api_audit_object(r, "user", r->who.user_id);
	if (!err)
		err = fq_in_text(r, "code", FQ_IN_REQUIRED, 6, &code);
	if (err)
		return err;
	if (r->who.totp_enrolled)
		return fq_req_fail(r, FQ_ERR_CONFLICT, NULL, NULL,
				   "two-factor sign-in is set up already");
	err = fq_store_user_totp(r->db, r->who.user_id, &sealed, &len, &last_step);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_req_fail(r, FQ_ERR_INVALID, NULL, "code", "start the set-up first");
	if (!err && fq_unseal(r->app->keys, sealed, len, &secret))
		err = FQ_ERR_INTERNAL;
	if (!err && !fq_totp_verify(secret, code, fq_time_now_ms() / 1000, 1, last_step, &step))
		err = fq_req_fail(r, FQ_ERR_INVALID, "totp_invalid", "code",
				  "the code is wrong: check the time on your phone");
	if (!err)
		err = fq_store_user_set_totp(r->db, r->who.user_id, sealed, len, true, step);
	free(sealed);
	free(secret);
	if (err)
		return fq_req_fail(r, err, NULL, NULL, NULL);
	r->who.totp_enrolled = true;
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
	{NULL},
};

const struct fq_module fq_module_session = {
	.name = "session",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
};
