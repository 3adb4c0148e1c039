/* Signing in and out, lockout, idle expiry, CSRF, forced password change,
 * TOTP and API tokens (docs/api.md "Authentication", DOMAIN §13). */
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "api/harness.h"
#include "auth/totp.h"
#include "core/time.h"
#include "http/app.h"

static int64_t count_persons(struct api_env *env)
{
	return api_count(env, "SELECT count(*) FROM persons");
}

TEST(sign_in_returns_the_session_and_an_http_only_cookie)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login_full(env, &c, "officer", API_PASSWORD, NULL, &r), 200);
	CHECK(r.set_cookie && !strncmp(r.set_cookie, "fq_session=", 11));
	CHECK(r.set_cookie && strstr(r.set_cookie, "HttpOnly"));
	CHECK(r.set_cookie && strstr(r.set_cookie, "SameSite=Strict"));
	CHECK(r.set_cookie && strstr(r.set_cookie, "Path=/"));
	CHECK_STR(api_str(r.json, "user.username"), "officer");
	CHECK_STR(api_str(r.json, "user.role"), "officer");
	CHECK_INT(api_int(r.json, "user.org_id"), env->st_a);
	CHECK_STR(api_str(r.json, "user.org_name"), "两路派出所");
	CHECK(!api_bool(r.json, "user.must_change_password"));
	CHECK(!api_bool(r.json, "user.totp_required"));
	CHECK(api_str(r.json, "csrf_token") && strlen(api_str(r.json, "csrf_token")) >= 16);
	CHECK(api_len(r.json, "permissions") > 0);
	api_resp_free(&r);

	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "user.username"), "officer");
	CHECK_STR(api_str(r.json, "csrf_token"), c.csrf);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(cookie_is_secure_behind_https)
{
	struct api_env *env = api_env_new();
	const char *body = "{\"username\":\"officer\",\"password\":\"" API_PASSWORD "\"}";
	struct api_resp r;

	r = api_call_raw(env, NULL,
	                 &(struct api_raw){.method = "POST",
	                                   .target = "/api/session",
	                                   .body = body,
	                                   .forwarded_proto = "https"});
	check_status(r, 200);
	CHECK(r.set_cookie && strstr(r.set_cookie, "; Secure"));
	api_resp_free(&r);
	r = api_call(env, NULL, "POST", "/api/session", body);
	CHECK(r.set_cookie && !strstr(r.set_cookie, "Secure"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(session_lists_exactly_the_permissions_of_the_role)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char perms[512] = "";

	CHECK(api_login_enrolled(env, &c, "aux"));
	r = api_call(env, &c, "GET", "/api/session", NULL);
	for (size_t i = 0; i < api_len(r.json, "permissions"); i++) {
		strncat(perms, api_str(r.json, api_fmt("permissions.%zu", i)),
		        sizeof(perms) - strlen(perms) - 2);
		strncat(perms, " ", sizeof(perms) - strlen(perms) - 1);
	}
	/* In module order (src/api/modules.c). */
	CHECK_STR(perms, "org.read calendar.read attachment.read attachment.write address.read address.write "
	                 "grid.read person.read person.write duty.read patrol.write incident.read "
	                 "incident.write dispute.read dispute.write dispute.mediate place.read "
	                 "place.inspect volunteer.read tip.report tip.read measure.read measure.write "
	                 "registry.read registry.check chatgroup.read overview.mine ");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(wrong_password_is_bad_credentials)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login_full(env, &c, "officer", "Wrong#2026x", NULL, &r), 401);
	check_error(r, 401, "bad_credentials", NULL);
	CHECK(!r.set_cookie);
	CHECK(!c.cookie[0]);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(unknown_user_gets_the_same_answer_as_a_wrong_password)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp wrong, unknown;

	api_login_full(env, &c, "officer", "Wrong#2026x", NULL, &wrong);
	api_login_full(env, &c, "nobody.here", "Wrong#2026x", NULL, &unknown);
	check_error(unknown, 401, "bad_credentials", NULL);
	CHECK_INT(unknown.status, wrong.status);
	CHECK_STR(api_str(unknown.json, "error.code"), api_str(wrong.json, "error.code"));
	CHECK_STR(api_str(unknown.json, "error.message"), api_str(wrong.json, "error.message"));
	api_resp_free(&wrong);
	api_resp_free(&unknown);
	api_env_free(env);
}

TEST(missing_username_is_a_field_error)
{
	struct api_env *env = api_env_new();
	struct api_resp r = api_call(env, NULL, "POST", "/api/session", "{\"password\":\"x\"}");

	check_error(r, 422, "required", "username");
	api_resp_free(&r);
	api_env_free(env);
}

/* Locks "officer" with five wrong passwords; returns the last answer's status. */
static int lock_officer(struct api_env *env)
{
	struct api_client c;
	int status = 0;

	for (int i = 0; i < 5; i++)
		status = api_login(env, &c, "officer", "Wrong#2026x", NULL);
	return status;
}

TEST(four_failures_do_not_lock)
{
	struct api_env *env = api_env_new();
	struct api_client c;

	for (int i = 0; i < 4; i++)
		CHECK_INT(api_login(env, &c, "officer", "Wrong#2026x", NULL), 401);
	CHECK_INT(api_login(env, &c, "officer", API_PASSWORD, NULL), 200);
	api_env_free(env);
}

TEST(five_failures_lock_the_account_even_for_the_right_password)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(lock_officer(env), 429);
	CHECK_INT(api_login_full(env, &c, "officer", API_PASSWORD, NULL, &r), 429);
	check_error(r, 429, "account_locked", NULL);
	CHECK(!c.cookie[0]);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_success_resets_the_failure_count)
{
	struct api_env *env = api_env_new();
	struct api_client c;

	for (int i = 0; i < 4; i++)
		api_login(env, &c, "officer", "Wrong#2026x", NULL);
	CHECK_INT(api_login(env, &c, "officer", API_PASSWORD, NULL), 200);
	for (int i = 0; i < 4; i++)
		CHECK_INT(api_login(env, &c, "officer", "Wrong#2026x", NULL), 401);
	CHECK_INT(api_login(env, &c, "officer", API_PASSWORD, NULL), 200);
	api_env_free(env);
}

TEST(unlock_by_sysadmin_restores_sign_in)
{
	struct api_env *env = api_env_new();
	struct api_client admin, c;
	struct api_resp r;
	int64_t officer = api_user_id(env, "officer");

	CHECK_INT(lock_officer(env), 429);
	CHECK(api_login_enrolled(env, &admin, "sysadmin"));
	r = api_call(env, &admin, "GET", api_fmt("/api/users/%lld", (long long)officer), NULL);
	CHECK(json_is_string(api_get(r.json, "locked_until")));
	api_resp_free(&r);
	r = api_call(env, &admin, "POST", api_fmt("/api/users/%lld/unlock", (long long)officer),
	             NULL);
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "locked_until")));
	api_resp_free(&r);
	CHECK_INT(api_login(env, &c, "officer", API_PASSWORD, NULL), 200);
	api_env_free(env);
}

TEST(lockout_and_failures_are_audited)
{
	struct api_env *env = api_env_new();
	json_t *e;

	lock_officer(env);
	e = api_audit_last(env, "session.create",
	                   api_fmt("%lld", (long long)api_user_id(env, "officer")));
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), "account_locked"));
	CHECK_STR(api_str(e, "object_type"), "user");
	CHECK_STR(api_str(e, "client_addr"), "127.0.0.1");
	json_decref(e);
	api_env_free(env);
}

/* The same wrong attempts on a known and an unknown name get the same
 * answers, lockout included: the answers do not tell which names exist. */
TEST(an_unknown_name_locks_like_a_known_one)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp known, unknown;
	static const char *const attempts[] = {
	    "Wrong#2026x", "Wrong#2026x", "Wrong#2026x", "Wrong#2026x", "Wrong#2026x",
	    "Wrong#2026x", API_PASSWORD,  "Wrong#2026x", API_PASSWORD,
	};

	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		api_login_full(env, &c, "officer", attempts[i], NULL, &known);
		api_login_full(env, &c, "nobody.here", attempts[i], NULL, &unknown);
		CHECK_INT(unknown.status, i < 4 ? 401 : 429);
		CHECK_INT(unknown.status, known.status);
		CHECK_STR(api_str(unknown.json, "error.code"), api_str(known.json, "error.code"));
		CHECK_STR(api_str(unknown.json, "error.message"),
		          api_str(known.json, "error.message"));
		CHECK(!api_str(unknown.json, "error.field") && !api_str(known.json, "error.field"));
		CHECK(!unknown.set_cookie && !known.set_cookie);
		api_resp_free(&known);
		api_resp_free(&unknown);
	}
	/* The name tried is not stored as typed (it may be a mistyped password). */
	CHECK_INT(api_count(env, "SELECT count(*) FROM login_name_failures"), 1);
	CHECK_INT(api_count(env, "SELECT count(*) FROM login_name_failures"
	                         " WHERE name_hash LIKE '%nobody%'"),
	          0);
	api_env_free(env);
}

TEST(sign_in_attempts_are_rate_limited_per_address)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t limit = 10;

	/* Fewer than the default 60, so that the attempts fit in one minute even
	 * on a busy machine. */
	env->app->cfg.rate_limit_per_minute = limit;

	/* The count is per address and minute: the attempts and the refused one
	 * must fall in one minute, which a loaded machine may miss. Then it
	 * tries again in a minute of no attempts yet. */
	for (int tries = 0; tries < 3; tries++) {
		int64_t minute, last;
		int refused = 0, code;

		while (fq_time_now_ms() % 60000 > 45000)
			sleep(1);
		minute = fq_time_now_ms() / 60000;
		/* Guesses spread over many names (each locks on its own after five). */
		for (int64_t i = 0; i < limit; i++)
			refused += api_login(env, &c, api_fmt("nobody.%d.%lld", tries, (long long)i),
			                     "Wrong#2026x", NULL) == 401;
		code = api_login_full(env, &c, "officer", API_PASSWORD, NULL, &r);
		last = fq_time_now_ms() / 60000;
		if (last == minute || tries == 2) {
			CHECK_INT(refused, limit);
			CHECK_INT(code, 429);
			break;
		}
		api_resp_free(&r);
		while (fq_time_now_ms() / 60000 == last)
			sleep(1);
	}
	check_error(r, 429, "rate_limited", NULL);
	api_resp_free(&r);
	/* Another address is not affected. */
	r = api_call_raw(
	    env, &(struct api_client){.client_addr = "10.0.0.9"},
	    &(struct api_raw){.method = "POST",
	                      .target = "/api/session",
	                      .body =
	                          "{\"username\":\"officer\",\"password\":\"" API_PASSWORD "\"}"});
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(idle_session_expires_after_thirty_minutes)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_exec(env, api_fmt("UPDATE sessions SET last_seen_at = %lld",
	                            (long long)(fq_time_now_ms() - 31 * 60000))));
	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_error(r, 401, "session_expired", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(session_idle_less_than_thirty_minutes_lives_on)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_exec(env, api_fmt("UPDATE sessions SET last_seen_at = %lld",
	                            (long long)(fq_time_now_ms() - 29 * 60000))));
	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	/* The request counted as activity: the session was touched. */
	CHECK(api_count(env, api_fmt("SELECT count(*) FROM sessions WHERE last_seen_at > %lld",
	                             (long long)(fq_time_now_ms() - 60000))) == 1);
	api_env_free(env);
}

TEST(sign_out_ends_the_session)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_call(env, &c, "DELETE", "/api/session", NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "signed_out"));
	CHECK(r.set_cookie && strstr(r.set_cookie, "Max-Age=0"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(no_credentials_is_unauthenticated)
{
	struct api_env *env = api_env_new();
	struct api_resp r = api_call(env, NULL, "GET", "/api/persons", NULL);

	check_error(r, 401, "unauthenticated", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(made_up_cookie_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c = {.cookie = "not-a-session", .csrf = "x"};
	struct api_resp r = api_call(env, &c, "GET", "/api/session", NULL);

	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(write_without_csrf_header_is_refused_and_changes_nothing)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t before;

	CHECK(api_login_enrolled(env, &c, "officer"));
	before = count_persons(env);
	c.csrf[0] = '\0';
	r = api_callf(env, &c, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\"}",
	              API_ID_NUMBER);
	check_error(r, 403, "csrf", NULL);
	api_resp_free(&r);
	CHECK_INT(count_persons(env), before);
	{
		json_t *e = api_audit_last(env, "person.create", NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), "csrf"));
		json_decref(e);
	}
	api_env_free(env);
}

TEST(write_with_wrong_csrf_token_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c, other;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &other, "aux"));
	r = api_call_raw(
	    env, &c,
	    &(struct api_raw){.method = "DELETE", .target = "/api/session", .csrf = "wrong-token"});
	check_error(r, 403, "csrf", NULL);
	api_resp_free(&r);
	/* Another session's token is no better. */
	r = api_call_raw(
	    env, &c,
	    &(struct api_raw){.method = "DELETE", .target = "/api/session", .csrf = other.csrf});
	check_error(r, 403, "csrf", NULL);
	api_resp_free(&r);
	/* The session is still there. */
	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(reads_need_no_csrf_header)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	c.csrf[0] = '\0';
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(must_change_password_user_is_restricted)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login_full(env, &c, "newbie", API_PASSWORD, NULL, &r), 200);
	CHECK(api_bool(r.json, "user.must_change_password"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_error(r, 403, "password_change_required", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/orgs", NULL);
	check_error(r, 403, "password_change_required", NULL);
	api_resp_free(&r);
	/* The session routes stay open. */
	r = api_call(env, &c, "GET", "/api/session", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(weak_new_password_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	static const char *const weak[] = {"short1A", "alllowercase", "lowerand1234", "ABCDEFGH12"};

	CHECK_INT(api_login(env, &c, "newbie", API_PASSWORD, NULL), 200);
	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		r = api_callf(env, &c, "POST", "/api/session/password",
		              "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", API_PASSWORD,
		              weak[i]);
		check_error(r, 422, "weak_password", "new_password");
		api_resp_free(&r);
	}
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_error(r, 403, "password_change_required", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(wrong_old_password_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "newbie", API_PASSWORD, NULL), 200);
	r = api_call(env, &c, "POST", "/api/session/password",
	             "{\"old_password\":\"Nope#2026x\",\"new_password\":\"Better#Pass99\"}");
	check_error(r, 422, "wrong_password", "old_password");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(same_password_again_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "newbie", API_PASSWORD, NULL), 200);
	r = api_callf(env, &c, "POST", "/api/session/password",
	              "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", API_PASSWORD,
	              API_PASSWORD);
	check_error(r, 422, NULL, "new_password");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(password_change_lifts_the_restriction)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "newbie", API_PASSWORD, NULL), 200);
	r = api_callf(env, &c, "POST", "/api/session/password",
	              "{\"old_password\":\"%s\",\"new_password\":\"Better#Pass99\"}", API_PASSWORD);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "user.must_change_password"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_login(env, &c, "newbie", API_PASSWORD, NULL), 401);
	CHECK_INT(api_login(env, &c, "newbie", "Better#Pass99", NULL), 200);
	api_env_free(env);
}

TEST(password_change_ends_the_other_sessions)
{
	struct api_env *env = api_env_new();
	struct api_client one, two;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &one, "officer"));
	CHECK(api_login_enrolled(env, &two, "officer"));
	r = api_callf(env, &one, "POST", "/api/session/password",
	              "{\"old_password\":\"%s\",\"new_password\":\"Better#Pass99\"}", API_PASSWORD);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &two, "GET", "/api/session", NULL);
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &one, "GET", "/api/session", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

/* POST /api/session/password with the given old password. */
static struct api_resp change_password(struct api_env *env, const struct api_client *c,
                                       const char *old_pw)
{
	return api_callf(env, c, "POST", "/api/session/password",
	                 "{\"old_password\":\"%s\",\"new_password\":\"Better#Pass99\"}", old_pw);
}

TEST(wrong_old_passwords_lock_the_account_like_failed_sign_ins)
{
	struct api_env *env = api_env_new();
	struct api_client c, other;
	struct api_resp r, login;
	json_t *e;

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (int i = 0; i < 4; i++) {
		r = change_password(env, &c, "Nope#2026x");
		check_error(r, 422, "wrong_password", "old_password");
		api_resp_free(&r);
	}
	r = change_password(env, &c, "Nope#2026x");
	check_error(r, 429, "account_locked", NULL);
	api_resp_free(&r);
	/* Locked: the right password changes nothing, here or at sign-in. */
	r = change_password(env, &c, API_PASSWORD);
	CHECK_INT(api_login_full(env, &other, "officer", API_PASSWORD, NULL, &login), 429);
	check_error(r, 429, "account_locked", NULL);
	check_error(login, 429, "account_locked", NULL);
	/* The same answer as a locked sign-in. */
	CHECK_STR(api_str(r.json, "error.message"), api_str(login.json, "error.message"));
	api_resp_free(&r);
	api_resp_free(&login);
	e = api_audit_last(env, "session.password",
	                   api_fmt("%lld", (long long)api_user_id(env, "officer")));
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), "account_locked"));
	json_decref(e);
	/* When the lock has run out, the right password works again. */
	CHECK(api_exec(env, api_fmt("UPDATE users SET locked_until = %lld",
	                            (long long)(fq_time_now_ms() - 1000))));
	r = change_password(env, &c, API_PASSWORD);
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_login(env, &other, "officer", "Better#Pass99", NULL), 200);
	api_env_free(env);
}

TEST(wrong_old_passwords_and_failed_sign_ins_add_up)
{
	struct api_env *env = api_env_new();
	struct api_client c, other;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (int i = 0; i < 3; i++)
		CHECK_INT(api_login(env, &other, "officer", "Wrong#2026x", NULL), 401);
	r = change_password(env, &c, "Nope#2026x");
	check_error(r, 422, "wrong_password", "old_password");
	api_resp_free(&r);
	r = change_password(env, &c, "Nope#2026x");
	check_error(r, 429, "account_locked", NULL);
	api_resp_free(&r);
	CHECK_INT(api_login(env, &other, "officer", API_PASSWORD, NULL), 429);
	api_env_free(env);
}

TEST(chief_without_totp_must_enrol_first)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login_full(env, &c, "chief", API_PASSWORD, NULL, &r), 200);
	CHECK(api_bool(r.json, "user.totp_required"));
	CHECK(!api_bool(r.json, "user.totp_enrolled"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_error(r, 403, "totp_enrollment_required", NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/users", NULL);
	check_error(r, 403, "totp_enrollment_required", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(every_privileged_role_must_enrol_totp)
{
	struct api_env *env = api_env_new();
	static const char *const who[][2] = {
	    {"sysadmin", "/api/users"},
	    {"secadmin", "/api/roles"},
	    {"auditor", "/api/audit"},
	};

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct api_client c;
		struct api_resp r;

		CHECK_INT(api_login(env, &c, who[i][0], API_PASSWORD, NULL), 200);
		r = api_call(env, &c, "GET", who[i][1], NULL);
		check_error(r, 403, "totp_enrollment_required", NULL);
		api_resp_free(&r);
	}
	api_env_free(env);
}

TEST(totp_enrolment_gives_a_secret_and_uri)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, NULL), 200);
	r = api_call(env, &c, "POST", "/api/session/totp", NULL);
	check_status(r, 200);
	CHECK(api_str(r.json, "secret") && strlen(api_str(r.json, "secret")) == 32);
	CHECK(
	    api_str(r.json, "otpauth_uri") &&
	    !strncmp(api_str(r.json, "otpauth_uri"), "otpauth://totp/Fengqiao:chief?secret=", 37));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(totp_confirm_with_a_wrong_code_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, NULL), 200);
	r = api_call(env, &c, "POST", "/api/session/totp/confirm", "{\"code\":\"123456\"}");
	check_error(r, 422, NULL, "code"); /* not started yet */
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/session/totp", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/session/totp/confirm", "{\"code\":\"abcdef\"}");
	check_error(r, 422, "totp_invalid", "code");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_error(r, 403, "totp_enrollment_required", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(totp_enrolment_opens_the_session)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, NULL), 200);
	CHECK(api_enrol_totp(env, &c, "chief"));
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	/* Enrolling twice is a conflict. */
	r = api_call(env, &c, "POST", "/api/session/totp", NULL);
	check_error(r, 409, NULL, NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(enrolled_user_signing_in_without_a_code_gets_totp_required)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "chief"));
	CHECK_INT(api_login_full(env, &c, "chief", API_PASSWORD, NULL, &r), 401);
	check_error(r, 401, "totp_required", "totp");
	CHECK(!r.set_cookie);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(enrolled_user_with_a_wrong_code_gets_totp_invalid)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct api_user *u;
	char good[3][7], wrong[7] = "000000";
	int64_t step = fq_time_now_ms() / 1000 / FQ_TOTP_STEP;

	CHECK(api_login_enrolled(env, &c, "chief"));
	u = api_user(env, "chief");
	/* A code none of the steps around now has. */
	for (int i = 0; i < 3; i++)
		fq_totp_code(u->totp_secret, (step - 1 + i) * FQ_TOTP_STEP, good[i]);
	while (!strcmp(wrong, good[0]) || !strcmp(wrong, good[1]) || !strcmp(wrong, good[2]))
		wrong[5]++;
	CHECK_INT(api_login_full(env, &c, "chief", API_PASSWORD, wrong, &r), 401);
	check_error(r, 401, "totp_invalid", "totp");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(enrolled_user_with_the_right_code_signs_in)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char code[7];

	CHECK(api_login_enrolled(env, &c, "chief"));
	api_totp_next(env, "chief", code);
	CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, code), 200);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(a_totp_code_cannot_be_used_twice)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char code[7];

	CHECK(api_login_enrolled(env, &c, "chief"));
	api_totp_next(env, "chief", code);
	CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, code), 200);
	CHECK_INT(api_login_full(env, &c, "chief", API_PASSWORD, code, &r), 401);
	check_error(r, 401, "totp_invalid", "totp");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(wrong_totp_codes_count_towards_the_lockout)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "chief"));
	for (int i = 0; i < 4; i++)
		CHECK_INT(api_login(env, &c, "chief", API_PASSWORD, "abcdef"), 401);
	CHECK_INT(api_login_full(env, &c, "chief", API_PASSWORD, "abcdef", &r), 429);
	check_error(r, 429, "account_locked", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bearer_token_works_without_csrf)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;

	CHECK(api_token(env, &t, "officer", "person.read person.write") > 0);
	r = api_callf(env, &t, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\"}",
	              API_ID_NUMBER);
	check_status(r, 201);
	api_resp_free(&r);
	r = api_call(env, &t, "GET", "/api/session", NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "user.username"), "officer");
	CHECK_INT(api_len(r.json, "permissions"), 2);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bearer_token_without_the_scope_is_forbidden)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;
	int64_t before = count_persons(env);

	CHECK(api_token(env, &t, "officer", "person.read") > 0);
	r = api_callf(env, &t, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\"}",
	              API_ID_NUMBER);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK_INT(count_persons(env), before);
	r = api_call(env, &t, "GET", "/api/orgs", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	r = api_call(env, &t, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bearer_token_cannot_exceed_its_users_role)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;

	/* A scope the role does not hold gives nothing. */
	CHECK(api_token(env, &t, "aux", "person.read person.unmask") > 0);
	r = api_call(env, &t, "POST", "/api/persons/1/unmask", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bearer_token_cannot_use_the_session_routes)
{
	struct api_env *env = api_env_new();
	struct api_client t, c;
	struct api_resp r;
	json_t *e;
	/* method, path, body, audit action */
	static const char *const routes[][4] = {
	    {"POST", "/api/session/totp", NULL, "session.totp_begin"},
	    {"POST", "/api/session/totp/confirm", "{\"code\":\"123456\"}", "session.totp_confirm"},
	    {"POST", "/api/session/password",
	     "{\"old_password\":\"" API_PASSWORD "\",\"new_password\":\"Better#Pass99\"}",
	     "session.password"},
	    {"DELETE", "/api/session", NULL, "session.delete"},
	};

	/* A read-only token of a user who has not set up TOTP. */
	CHECK(api_token(env, &t, "officer", "person.read") > 0);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = api_call(env, &t, routes[i][0], routes[i][1], routes[i][2]);
		check_error(r, 403, "session_only", NULL);
		api_resp_free(&r);
		/* The refusal is audited like any refused write. */
		e = api_audit_last(env, routes[i][3], NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		CHECK_STR(api_str(e, "username"), "officer");
		CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), "session_only"));
		json_decref(e);
	}
	/* Nothing changed: no TOTP secret, the password still works. */
	CHECK_INT(api_count(env, api_fmt("SELECT count(*) FROM users WHERE id = %lld AND"
	                                 " totp_secret IS NULL AND totp_enrolled = 0",
	                                 (long long)api_user_id(env, "officer"))),
	          1);
	CHECK_INT(api_login(env, &c, "officer", API_PASSWORD, NULL), 200);
	/* The token still reads within its scope, and says whom it acts for. */
	r = api_call(env, &t, "GET", "/api/persons", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &t, "GET", "/api/session", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(revoked_token_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;
	int64_t id = api_token(env, &t, "officer", "person.read");

	CHECK(id > 0);
	CHECK(api_exec(env, api_fmt("UPDATE api_tokens SET revoked_at = %lld WHERE id = %lld",
	                            (long long)fq_time_now_ms(), (long long)id)));
	r = api_call(env, &t, "GET", "/api/persons", NULL);
	check_error(r, 401, "bad_token", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(expired_token_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;
	int64_t id = api_token(env, &t, "officer", "person.read");

	CHECK(api_exec(env, api_fmt("UPDATE api_tokens SET expires_at = %lld WHERE id = %lld",
	                            (long long)fq_time_now_ms() - 1000, (long long)id)));
	r = api_call(env, &t, "GET", "/api/persons", NULL);
	check_error(r, 401, "bad_token", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(unknown_token_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client t = {.bearer = "fqt_thisisnotatoken"};
	struct api_resp r = api_call(env, &t, "GET", "/api/persons", NULL);

	check_error(r, 401, "bad_token", NULL);
	api_resp_free(&r);
	r = api_call_raw(env, NULL,
	                 &(struct api_raw){.method = "GET",
	                                   .target = "/api/persons",
	                                   .authorization = "Basic b2ZmaWNlcjp4"});
	check_error(r, 401, "bad_token", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(token_of_a_disabled_user_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct api_resp r;

	CHECK(api_token(env, &t, "officer", "person.read") > 0);
	CHECK(api_exec(env, api_fmt("UPDATE users SET disabled = 1 WHERE id = %lld",
	                            (long long)api_user_id(env, "officer"))));
	r = api_call(env, &t, "GET", "/api/persons", NULL);
	check_error(r, 401, "bad_token", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(sign_in_returns_the_session_and_an_http_only_cookie),
    TEST_ENTRY(cookie_is_secure_behind_https),
    TEST_ENTRY(session_lists_exactly_the_permissions_of_the_role),
    TEST_ENTRY(wrong_password_is_bad_credentials),
    TEST_ENTRY(unknown_user_gets_the_same_answer_as_a_wrong_password),
    TEST_ENTRY(missing_username_is_a_field_error),
    TEST_ENTRY(four_failures_do_not_lock),
    TEST_ENTRY(five_failures_lock_the_account_even_for_the_right_password),
    TEST_ENTRY(a_success_resets_the_failure_count),
    TEST_ENTRY(unlock_by_sysadmin_restores_sign_in),
    TEST_ENTRY(lockout_and_failures_are_audited),
    TEST_ENTRY(an_unknown_name_locks_like_a_known_one),
    TEST_ENTRY(sign_in_attempts_are_rate_limited_per_address),
    TEST_ENTRY(idle_session_expires_after_thirty_minutes),
    TEST_ENTRY(session_idle_less_than_thirty_minutes_lives_on),
    TEST_ENTRY(sign_out_ends_the_session),
    TEST_ENTRY(no_credentials_is_unauthenticated),
    TEST_ENTRY(made_up_cookie_is_refused),
    TEST_ENTRY(write_without_csrf_header_is_refused_and_changes_nothing),
    TEST_ENTRY(write_with_wrong_csrf_token_is_refused),
    TEST_ENTRY(reads_need_no_csrf_header),
    TEST_ENTRY(must_change_password_user_is_restricted),
    TEST_ENTRY(weak_new_password_is_refused),
    TEST_ENTRY(wrong_old_password_is_refused),
    TEST_ENTRY(same_password_again_is_refused),
    TEST_ENTRY(password_change_lifts_the_restriction),
    TEST_ENTRY(password_change_ends_the_other_sessions),
    TEST_ENTRY(wrong_old_passwords_lock_the_account_like_failed_sign_ins),
    TEST_ENTRY(wrong_old_passwords_and_failed_sign_ins_add_up),
    TEST_ENTRY(chief_without_totp_must_enrol_first),
    TEST_ENTRY(every_privileged_role_must_enrol_totp),
    TEST_ENTRY(totp_enrolment_gives_a_secret_and_uri),
    TEST_ENTRY(totp_confirm_with_a_wrong_code_is_refused),
    TEST_ENTRY(totp_enrolment_opens_the_session),
    TEST_ENTRY(enrolled_user_signing_in_without_a_code_gets_totp_required),
    TEST_ENTRY(enrolled_user_with_a_wrong_code_gets_totp_invalid),
    TEST_ENTRY(enrolled_user_with_the_right_code_signs_in),
    TEST_ENTRY(a_totp_code_cannot_be_used_twice),
    TEST_ENTRY(wrong_totp_codes_count_towards_the_lockout),
    TEST_ENTRY(bearer_token_works_without_csrf),
    TEST_ENTRY(bearer_token_without_the_scope_is_forbidden),
    TEST_ENTRY(bearer_token_cannot_exceed_its_users_role),
    TEST_ENTRY(bearer_token_cannot_use_the_session_routes),
    TEST_ENTRY(revoked_token_is_refused),
    TEST_ENTRY(expired_token_is_refused),
    TEST_ENTRY(unknown_token_is_refused),
    TEST_ENTRY(token_of_a_disabled_user_is_refused),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/session", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
