/* The audit log (docs/api.md "Audit log", DOMAIN §13): only the auditor
 * reads it, the filters, and the hash chain that shows tampering. */
#include <jansson.h>
#include <string.h>

#include "api/harness.h"
#include "audit/audit.h"
#include "core/time.h"
#include "http/app.h"
#include "store/store.h"

/* An auditor session plus a little history: officer registers and unmasks a
 * person, aux tries to unmask it. Returns the person's id. */
static int64_t history(struct api_env *env, struct api_client *auditor)
{
	struct api_client officer, aux;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	id = api_new_person(env, &officer, "张三", API_ID_NUMBER, NULL);
	r = api_call(env, &officer, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id),
	             NULL);
	api_resp_free(&r);
	r = api_call(env, &aux, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	api_resp_free(&r);
	CHECK(api_login_enrolled(env, auditor, "auditor"));
	return id;
}

/* True when every item of the list in r has field equal to want. */
static bool all_items(const struct api_resp *r, const char *field, const char *want)
{
	for (size_t i = 0; i < api_len(r->json, "items"); i++) {
		const char *v = api_str(r->json, api_fmt("items.%zu.%s", i, field));
		if (!v || strcmp(v, want))
			return false;
	}
	return true;
}

TEST(only_the_auditor_reads_the_log)
{
	struct api_env *env = api_env_new();
	static const char *const others[] = {"officer", "chief", "sysadmin", "secadmin", "aux"};
	struct api_client c;
	struct api_resp r;

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		CHECK(api_login_enrolled(env, &c, others[i]));
		r = api_call(env, &c, "GET", "/api/audit", NULL);
		check_error(r, 403, "forbidden", NULL);
		api_resp_free(&r);
		r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
		check_error(r, 403, "forbidden", NULL);
		api_resp_free(&r);
	}
	CHECK(api_login_enrolled(env, &c, "auditor"));
	r = api_call(env, &c, "GET", "/api/audit", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(refused_reads_of_the_log_are_audited)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	json_t *e;

	CHECK(api_login_enrolled(env, &c, "sysadmin"));
	r = api_call(env, &c, "GET", "/api/audit", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	e = api_audit_last(env, "audit.search", NULL);
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK_STR(api_str(e, "username"), "sysadmin");
	json_decref(e);
	api_env_free(env);
}

TEST(log_lists_entries_newest_first)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	size_t n;

	history(env, &c);
	r = api_call(env, &c, "GET", "/api/audit?per_page=100", NULL);
	check_status(r, 200);
	n = api_len(r.json, "items");
	CHECK(n >= 8);
	for (size_t i = 1; i < n; i++)
		CHECK(api_int(r.json, api_fmt("items.%zu.id", i - 1)) >
		      api_int(r.json, api_fmt("items.%zu.id", i)));
	{
		json_t *e = api_get(r.json, "items.0");
		static const char *const fields[] = {
		    "id",          "time",      "user_id", "username", "client_addr", "action",
		    "object_type", "object_id", "outcome", "detail",   "hash"};
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			CHECK(api_get(e, fields[i]) != NULL);
		CHECK(api_str(e, "hash") && strlen(api_str(e, "hash")) == 64);
		CHECK(api_str(e, "time") && strlen(api_str(e, "time")) == 20);
	}
	api_resp_free(&r);
	api_env_free(env);
}

TEST(filter_by_action)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	history(env, &c);
	r = api_call(env, &c, "GET", "/api/audit?action=person.unmask", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK(all_items(&r, "action", "person.unmask"));
	api_resp_free(&r);
	/* A prefix ending in '.' takes the whole family. */
	r = api_call(env, &c, "GET", "/api/audit?action=person.", NULL);
	CHECK_INT(api_len(r.json, "items"), 3);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?action=person", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(filter_by_object)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id = history(env, &c);

	r = api_call(env, &c, "GET",
	             api_fmt("/api/audit?object_type=person&object_id=%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK(api_len(r.json, "items") >= 2);
	CHECK(all_items(&r, "object_type", "person"));
	CHECK(all_items(&r, "object_id", api_fmt("%lld", (long long)id)));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?object_type=person&object_id=9999", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(filter_by_outcome_and_user)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	history(env, &c);
	r = api_call(env, &c, "GET", "/api/audit?outcome=failure", NULL);
	check_status(r, 200);
	CHECK(api_len(r.json, "items") >= 1);
	CHECK(all_items(&r, "outcome", "failure"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?outcome=success&user=officer", NULL);
	CHECK(api_len(r.json, "items") >= 3);
	CHECK(all_items(&r, "outcome", "success"));
	CHECK(all_items(&r, "username", "officer"));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?user=aux&action=person.unmask", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.outcome"), "failure");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?outcome=maybe", NULL);
	check_error(r, 400, "bad_query", "outcome");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(filter_by_time)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char today[32], yesterday[32], tomorrow[32];
	int64_t now = fq_time_now_ms();

	fq_time_format(now, today, sizeof(today));
	fq_time_format(now - 86400000, yesterday, sizeof(yesterday));
	fq_time_format(now + 86400000, tomorrow, sizeof(tomorrow));
	today[10] = yesterday[10] = tomorrow[10] = '\0'; /* the dates */
	history(env, &c);
	r = api_call(env, &c, "GET", api_fmt("/api/audit?from=%s&to=%s", today, today), NULL);
	check_status(r, 200);
	CHECK(api_len(r.json, "items") >= 8);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/audit?from=%s", tomorrow), NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/audit?to=%s", yesterday), NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/audit?from=last-week", NULL);
	check_error(r, 400, "bad_query", "from");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(log_pages)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t first_id;

	history(env, &c);
	r = api_call(env, &c, "GET", "/api/audit?per_page=2", NULL);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK(api_bool(r.json, "has_more"));
	first_id = api_int(r.json, "items.0.id");
	api_resp_free(&r);
	/* Each search adds an entry of its own, so page 2 starts one further on. */
	r = api_call(env, &c, "GET", "/api/audit?per_page=2&page=2", NULL);
	CHECK_INT(api_len(r.json, "items"), 2);
	CHECK_INT(api_int(r.json, "items.0.id"), first_id - 1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(reading_the_log_is_itself_audited)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	json_t *e;

	CHECK(api_login_enrolled(env, &c, "auditor"));
	r = api_call(env, &c, "GET", "/api/audit?action=person.unmask", NULL);
	check_status(r, 200);
	api_resp_free(&r);
	e = api_audit_last(env, "audit.search", NULL);
	CHECK_STR(api_str(e, "outcome"), "success");
	CHECK_STR(api_str(e, "username"), "auditor");
	json_decref(e);
	r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
	api_resp_free(&r);
	e = api_audit_last(env, "audit.verify", NULL);
	CHECK_STR(api_str(e, "outcome"), "success");
	json_decref(e);
	api_env_free(env);
}

TEST(verify_finds_the_chain_whole)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t before;

	history(env, &c);
	before = api_count(env, "SELECT count(*) FROM audit_log");
	r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "whole"));
	CHECK_INT(api_int(r.json, "checked"), before);
	CHECK(!api_get(r.json, "first_broken_id"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(verify_finds_an_edited_entry)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct fq_audit_check check;
	struct fq_error e = {0};

	history(env, &c);
	CHECK(api_count(env, "SELECT count(*) FROM audit_log") > 3);
	CHECK(api_exec(env, "UPDATE audit_log SET detail = 'x' WHERE id = 3"));
	r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "whole"));
	CHECK_INT(api_int(r.json, "first_broken_id"), 3);
	CHECK_INT(api_int(r.json, "checked"), 2);
	api_resp_free(&r);
	CHECK_INT(fq_audit_verify(fq_store_db(env->app->store, &e), env->app->keys, &check), FQ_OK);
	CHECK(!check.whole);
	CHECK_INT(check.first_broken_id, 3);
	CHECK(strstr(check.reason, "3") != NULL);
	api_env_free(env);
}

TEST(verify_finds_a_deleted_entry)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	history(env, &c);
	CHECK(api_exec(env, "DELETE FROM audit_log WHERE id = 4"));
	r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
	check_status(r, 200);
	CHECK(!api_bool(r.json, "whole"));
	/* The break shows at the entry after the missing one. */
	CHECK_INT(api_int(r.json, "first_broken_id"), 5);
	CHECK(api_str(r.json, "reason") && strstr(api_str(r.json, "reason"), "entry 4 of chain"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(verify_finds_an_entry_rewritten_with_a_fresh_hash)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	history(env, &c);
	/* Rewriting an entry and its own hash still breaks the next link. */
	CHECK(api_exec(env, "UPDATE audit_log SET hash = CASE WHEN substr(hash, 1, 2) = '00'"
			    " THEN 'ff' ELSE '00' END || substr(hash, 3) WHERE id = 5"));
	r = api_call(env, &c, "GET", "/api/audit/verify", NULL);
	CHECK(!api_bool(r.json, "whole"));
	CHECK_INT(api_int(r.json, "first_broken_id"), 5);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(only_the_auditor_reads_the_log),
    TEST_ENTRY(refused_reads_of_the_log_are_audited),
    TEST_ENTRY(log_lists_entries_newest_first),
    TEST_ENTRY(filter_by_action),
    TEST_ENTRY(filter_by_object),
    TEST_ENTRY(filter_by_outcome_and_user),
    TEST_ENTRY(filter_by_time),
    TEST_ENTRY(log_pages),
    TEST_ENTRY(reading_the_log_is_itself_audited),
    TEST_ENTRY(verify_finds_the_chain_whole),
    TEST_ENTRY(verify_finds_an_edited_entry),
    TEST_ENTRY(verify_finds_a_deleted_entry),
    TEST_ENTRY(verify_finds_an_entry_rewritten_with_a_fresh_hash),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/audit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
