/* Authentication without HTTP (src/auth/session.c): the same calls the
 * router makes, given a store, the settings and the credentials, hand back a
 * principal or an error. The world is the API harness's (harness.h). */
#include <string.h>

#include "api/harness.h"
#include "auth/principal.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/app.h"
#include "store/store.h"

struct call {
	struct fq_arena *arena;
	struct fq_error e;
	struct fq_auth a;
};

/* A write transaction on the env's store, and an auth context in it. */
static void begin(struct api_env *env, struct call *c)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);

	memset(c, 0, sizeof(*c));
	c->arena = fq_arena_new();
	CHECK(db && c->arena);
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	c->a = (struct fq_auth){db, &env->app->cfg, env->app->keys, c->arena, &c->e, false};
}

/* Commits when ok (or when the call asks its failure to stand), else rolls back. */
static void end(struct call *c, bool ok)
{
	if (ok || c->a.keep)
		CHECK_INT(fq_db_commit(c->a.db), FQ_OK);
	else
		fq_db_rollback(c->a.db);
	fq_arena_free(c->arena);
}

TEST(sign_in_gives_a_principal_and_a_session_secret)
{
	struct api_env *env = api_env_new();
	struct call c;
	struct fq_principal who, again;
	struct fq_login in = {.username = "officer", .password = API_PASSWORD,
	                      .client_addr = "10.1.2.3"};
	char secret[FQ_SESSION_SECRET_MAX];

	begin(env, &c);
	CHECK_INT(fq_auth_login(&c.a, &in, &who, secret), FQ_OK);
	CHECK_INT(in.user_id, api_user_id(env, "officer"));
	CHECK_INT(who.user_id, in.user_id);
	CHECK_STR(who.role, "officer");
	CHECK(who.session_id > 0 && !who.token_id);
	CHECK(strlen(secret) >= 40 && who.csrf_token && strlen(who.csrf_token) >= 16);
	end(&c, true);

	/* The secret is what the cookie carries: it finds the same caller. */
	begin(env, &c);
	CHECK_INT(fq_auth_session(&c.a, secret, &again), FQ_OK);
	CHECK_INT(again.session_id, who.session_id);
	CHECK_STR(again.username, "officer");
	CHECK_INT(fq_auth_logout(&c.a, &again), FQ_OK);
	end(&c, true);

	begin(env, &c);
	CHECK_INT(fq_auth_session(&c.a, secret, &again), FQ_ERR_UNAUTH);
	CHECK_STR(c.e.code, "session_expired");
	end(&c, false);
	api_env_free(env);
}

TEST(failures_ask_to_be_kept_and_lock_unknown_names_too)
{
	struct api_env *env = api_env_new();
	struct call c;
	struct fq_principal who;
	char secret[FQ_SESSION_SECRET_MAX];
	const char *names[] = {"officer", "nobody.here"};

	for (int n = 0; n < 2; n++) {
		for (int i = 0; i < 5; i++) {
			struct fq_login in = {.username = names[n], .password = "Wrong#2026x"};

			begin(env, &c);
			CHECK_INT(fq_auth_login(&c.a, &in, &who, secret),
			          i < 4 ? FQ_ERR_UNAUTH : FQ_ERR_LIMIT);
			CHECK_STR(c.e.code, i < 4 ? "bad_credentials" : "account_locked");
			CHECK(c.a.keep);
			CHECK(!secret[0]);
			end(&c, false);
		}
	}
	api_env_free(env);
}

TEST(a_token_is_a_principal_with_its_scopes)
{
	struct api_env *env = api_env_new();
	struct api_client t;
	struct call c;
	struct fq_principal who;

	CHECK(api_token(env, &t, "officer", "person.read") > 0);
	begin(env, &c);
	CHECK_INT(fq_auth_token(&c.a, t.bearer, &who), FQ_OK);
	CHECK(who.token_id > 0 && !who.session_id);
	CHECK_STR(who.scopes, "person.read");
	CHECK_INT(fq_auth_token(&c.a, "fqt_thisisnotatoken", &who), FQ_ERR_UNAUTH);
	CHECK_STR(c.e.code, "bad_token");
	end(&c, false);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(sign_in_gives_a_principal_and_a_session_secret),
    TEST_ENTRY(failures_ask_to_be_kept_and_lock_unknown_names_too),
    TEST_ENTRY(a_token_is_a_principal_with_its_scopes),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/auth", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
