/* The audit log's chains (src/audit/audit.c, migration 005): writers on
 * several connections at once spread over the chains on PostgreSQL (SQLite
 * keeps to chain 0, its writes being one at a time anyway); every chain
 * verifies, is numbered without gaps and starts from a genesis of its own; an
 * edit, a deletion, an entry moved to another chain or a chain relabelled is
 * found. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "audit/audit.h"
#include "core/err.h"
#include "http/app.h"
#include "store/store.h"

#define WRITERS 6
#define ENTRIES 15

struct writer {
	struct api_env *env;
	int n;
	int ok;
};

static void *write_entries(void *arg)
{
	struct writer *w = arg;
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(w->env->app->store, &e);
	struct timespec hold = {0, 2 * 1000 * 1000};
	char object[32];

	for (int i = 0; db && i < ENTRIES; i++) {
		struct fq_audit_entry entry = {
			.username = "chains", .action = "test.chain", .object_type = "writer",
			.object_id = object, .success = true,
		};
		snprintf(object, sizeof(object), "%d-%d", w->n, i);
		if (fq_db_begin(db, true))
			continue;
		if (fq_audit_append(db, w->env->app->keys, &entry)) {
			fq_db_rollback(db);
			continue;
		}
		nanosleep(&hold, NULL); /* the chain stays locked: others take another */
		if (!fq_db_commit(db))
			w->ok++;
	}
	return NULL;
}

static struct fq_audit_check verify(struct api_env *env)
{
	struct fq_audit_check check;
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);

	memset(&check, 0, sizeof(check));
	CHECK(db != NULL);
	if (db)
		CHECK_INT(fq_audit_verify(db, env->app->keys, &check), FQ_OK);
	return check;
}

/* The id of entry seq of the chain with the most entries (that chain in *chain). */
static int64_t entry_of_longest_chain(struct api_env *env, int64_t seq, int64_t *chain)
{
	*chain = api_count(env, "SELECT chain FROM audit_log GROUP BY chain"
				" ORDER BY count(*) DESC, chain LIMIT 1");
	return api_count(env, api_fmt("SELECT id FROM audit_log WHERE chain = %lld AND seq = %lld",
				      (long long)*chain, (long long)seq));
}

TEST(concurrent_writers_make_whole_chains)
{
	struct api_env *env = api_env_new();
	struct writer w[WRITERS];
	pthread_t th[WRITERS];
	struct fq_audit_check check;
	bool pg = !strcmp(fq_store_kind(env->app->store), "postgresql");
	int64_t chains, id, chain;
	int ok = 0;

	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.env = env, .n = i};
		pthread_create(&th[i], NULL, write_entries, &w[i]);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		ok += w[i].ok;
	}
	CHECK_INT(ok, WRITERS * ENTRIES);
	CHECK_INT(api_count(env, "SELECT count(*) FROM audit_log WHERE action = 'test.chain'"), ok);

	check = verify(env);
	CHECK(check.whole);
	CHECK_INT(check.checked, api_count(env, "SELECT count(*) FROM audit_log"));
	chains = api_count(env, "SELECT count(DISTINCT chain) FROM audit_log");
	CHECK_INT(check.chains, chains);
	if (pg)
		CHECK(chains > 1); /* the writers did not all wait for one chain */
	else
		CHECK_INT(chains, 1);
	CHECK_INT(api_count(env, "SELECT count(*) FROM (SELECT chain, max(seq) AS m, count(*) AS c"
				 " FROM audit_log GROUP BY chain) AS t WHERE m <> c"),
		  0);
	CHECK_INT(api_count(env, "SELECT count(*) - count(DISTINCT prev_hash) FROM audit_log"), 0);

	/* An edit in the longest chain. */
	id = entry_of_longest_chain(env, 3, &chain);
	CHECK(id > 0);
	CHECK(api_exec(env, api_fmt("UPDATE audit_log SET detail = 'x' WHERE id = %lld", (long long)id)));
	check = verify(env);
	CHECK(!check.whole);
	CHECK_INT(check.first_broken_id, id);
	CHECK_INT(check.first_broken_chain, chain);
	CHECK(strstr(check.reason, "changed") != NULL);
	CHECK(api_exec(env, api_fmt("UPDATE audit_log SET detail = NULL WHERE id = %lld", (long long)id)));
	CHECK(verify(env).whole);

	/* A deletion: the next entry of the chain shows it. */
	CHECK(api_exec(env, api_fmt("DELETE FROM audit_log WHERE chain = %lld AND seq = 2", (long long)chain)));
	check = verify(env);
	CHECK(!check.whole);
	CHECK_INT(check.first_broken_id, id);
	CHECK(strstr(check.reason, "missing") != NULL);
	api_env_free(env);
}

TEST(moved_entries_and_relabelled_chains_are_found)
{
	struct api_env *env = api_env_new();
	struct writer w[2] = {{.n = 0}, {.n = 1}};
	pthread_t th[2];
	struct fq_audit_check check;
	int64_t chain, id, last, free_chain;

	for (int i = 0; i < 2; i++) {
		w[i].env = env;
		pthread_create(&th[i], NULL, write_entries, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(verify(env).whole);

	/* The newest entry of the longest chain, moved to the end of a chain of
	 * its own number: its link names the wrong predecessor. */
	entry_of_longest_chain(env, 1, &chain);
	last = api_count(env, api_fmt("SELECT max(seq) FROM audit_log WHERE chain = %lld", (long long)chain));
	id = api_count(env, api_fmt("SELECT id FROM audit_log WHERE chain = %lld AND seq = %lld",
				    (long long)chain, (long long)last));
	free_chain = api_count(env, "SELECT max(chain) + 1 FROM audit_log");
	CHECK(api_exec(env, api_fmt("UPDATE audit_log SET chain = %lld, seq = 1 WHERE id = %lld",
				    (long long)free_chain, (long long)id)));
	check = verify(env);
	CHECK(!check.whole);
	CHECK_INT(check.first_broken_id, id);
	CHECK_INT(check.first_broken_chain, free_chain);
	CHECK(api_exec(env, api_fmt("UPDATE audit_log SET chain = %lld, seq = %lld WHERE id = %lld",
				    (long long)chain, (long long)last, (long long)id)));
	CHECK(verify(env).whole);

	/* A whole chain given another number: its first entry links to the
	 * genesis of its own chain. */
	CHECK(api_exec(env, api_fmt("UPDATE audit_log SET chain = %lld WHERE chain = %lld",
				    (long long)free_chain, (long long)chain)));
	check = verify(env);
	CHECK(!check.whole);
	CHECK_INT(check.first_broken_chain, free_chain);
	CHECK(strstr(check.reason, "does not link") != NULL);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(concurrent_writers_make_whole_chains),
    TEST_ENTRY(moved_entries_and_relabelled_chains_are_found),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/audit_chains", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
