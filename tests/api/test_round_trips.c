/* How often a request waits for the database (docs/internals.md, "How a
 * request talks to PostgreSQL"), counted by fq_db_round_trips, and the store
 * transactions that make those counts: BEGIN and locks travel with the next
 * statement, a read transaction of plain SELECTs sends no BEGIN. On SQLite
 * (in-process) every count is 0; the error paths are checked on both. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "http/app.h"
#include "store/store.h"

static bool on_pg(void)
{
	const char *url = getenv("FQ_TEST_PG_URL");

	return url && *url;
}

static struct fq_db *db_of(struct api_env *env)
{
	struct fq_error e = {0};

	return fq_store_db(env->app->store, &e);
}

/* The round trips of one request on this thread's connection (the harness
 * runs requests in the calling thread). */
static uint64_t trips_of(struct api_env *env, const struct api_client *c, const char *method,
                         const char *target, int want_status)
{
	struct fq_db *db = db_of(env);
	uint64_t before = fq_db_round_trips(db);
	struct api_resp r = api_call(env, c, method, target, NULL);

	check_status(r, want_status);
	api_resp_free(&r);
	return fq_db_round_trips(db) - before;
}

TEST(get_one_record_is_two_round_trips)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	int64_t id;
	const char *path;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = api_new_person(env, &c, "张三", API_ID_NUMBER, NULL);
	CHECK(id > 0);
	path = api_fmt("/api/persons/%lld", (long long)id);
	/* The first GET prepares its statement on this connection. */
	(void)trips_of(env, &c, "GET", path, 200);
	/* The session, then the record: no BEGIN, no COMMIT. */
	CHECK_INT(trips_of(env, &c, "GET", path, 200), on_pg() ? 2 : 0);
	/* A record that is not there answers 404 the same way. */
	(void)trips_of(env, &c, "GET", "/api/persons/999999", 404);
	CHECK_INT(trips_of(env, &c, "GET", "/api/persons/999999", 404), on_pg() ? 2 : 0);
	api_env_free(env);
}

static bool make_probe(struct api_env *env)
{
	return api_exec(env, "CREATE TABLE rt_probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
}

/* BEGIN goes with the first statement, COMMIT on its own: 2 round trips for
 * a write of one statement; a lock queued before it costs none. */
TEST(write_transaction_sends_begin_with_first_statement)
{
	struct api_env *env = api_env_new();
	struct fq_db *db = db_of(env);
	uint64_t before;

	CHECK(make_probe(env));
	/* Prepared once, outside the counted part. */
	CHECK(api_exec(env, "INSERT INTO rt_probe (id, v) VALUES (1, 'a')"));
	before = fq_db_round_trips(db);
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_lock(db, FQ_LOCK_NUMBERS), FQ_OK);
	CHECK_INT(
	    fq_db_exec(db, NULL, "UPDATE rt_probe SET v = ?1 WHERE id = ?2", "si", "b", (int64_t)1),
	    FQ_OK);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	CHECK_INT(fq_db_round_trips(db) - before, on_pg() ? 2 : 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe WHERE v = 'b'"), 1);
	/* A write transaction in which nothing ran sends nothing. */
	before = fq_db_round_trips(db);
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	CHECK_INT(fq_db_round_trips(db) - before, 0);
	api_env_free(env);
}

/* A statement that fails in the pipeline with BEGIN: its own error comes
 * back (a conflict, not a generic failure), nothing of the transaction is
 * kept, and the connection serves the next transaction. */
TEST(failed_first_statement_rolls_back)
{
	struct api_env *env = api_env_new();
	struct fq_db *db = db_of(env);

	CHECK(make_probe(env));
	CHECK(api_exec(env, "INSERT INTO rt_probe (id, v) VALUES (1, 'a')"));
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_lock(db, FQ_LOCK_NUMBERS), FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO rt_probe (id, v) VALUES (?1, ?2)", "is",
	                     (int64_t)1, "dup"),
	          FQ_ERR_CONFLICT);
	fq_db_rollback(db);
	/* The second statement fails, after a first that succeeded: undone too. */
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO rt_probe (id, v) VALUES (?1, ?2)", "is",
	                     (int64_t)2, "kept?"),
	          FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO rt_probe (id, v) VALUES (?1, ?2)", "is",
	                     (int64_t)1, "dup"),
	          FQ_ERR_CONFLICT);
	fq_db_rollback(db);
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe"), 1);
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe WHERE v = 'a'"), 1);
	/* And the next transaction works. */
	CHECK(api_exec(env, "INSERT INTO rt_probe (id, v) VALUES (3, 'c')"));
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe"), 2);
	api_env_free(env);
}

/* A read transaction runs its SELECTs without BEGIN; a write inside it
 * opens the transaction for real, so that rolling back still undoes it. */
TEST(read_transaction_opens_for_a_write)
{
	struct api_env *env = api_env_new();
	struct fq_db *db = db_of(env);
	int64_t n = -1;
	uint64_t before;

	CHECK(make_probe(env));
	CHECK(api_exec(env, "INSERT INTO rt_probe (id, v) VALUES (1, 'a')"));
	CHECK_INT(
	    fq_db_get_int(db, &n, "SELECT count(*) FROM rt_probe WHERE id >= ?1", "i", (int64_t)0),
	    FQ_OK);
	before = fq_db_round_trips(db);
	CHECK_INT(fq_db_begin(db, false), FQ_OK);
	CHECK_INT(
	    fq_db_get_int(db, &n, "SELECT count(*) FROM rt_probe WHERE id >= ?1", "i", (int64_t)0),
	    FQ_OK);
	CHECK_INT(n, 1);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	CHECK_INT(fq_db_round_trips(db) - before, on_pg() ? 1 : 0);

	CHECK_INT(fq_db_begin(db, false), FQ_OK);
	CHECK_INT(
	    fq_db_get_int(db, &n, "SELECT count(*) FROM rt_probe WHERE id >= ?1", "i", (int64_t)0),
	    FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO rt_probe (id, v) VALUES (?1, ?2)", "is",
	                     (int64_t)2, "b"),
	          FQ_OK);
	fq_db_rollback(db);
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe"), 1);
	/* A failed SELECT in a read transaction: its error, then business as usual. */
	CHECK_INT(fq_db_begin(db, false), FQ_OK);
	CHECK(fq_db_get_int(db, &n, "SELECT CAST(v AS INTEGER) FROM rt_probe WHERE id = ?1", "i",
	                    (int64_t)1) != FQ_OK ||
	      !on_pg());
	fq_db_rollback(db);
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe"), 1);
	api_env_free(env);
}

/* PostgreSQL only: the connection dies between BEGIN (queued) and the first
 * statement, as when the server restarts: the pipeline reports it as a lost
 * connection (a retry is safe: nothing committed), and after a reconnect the
 * connection works again. */
TEST(connection_lost_before_first_statement)
{
	struct api_env *env;
	struct fq_store *other = NULL;
	struct fq_error e = {0};
	struct fq_db *db, *odb;
	int64_t pid;

	if (!on_pg())
		return;
	env = api_env_new();
	db = db_of(env);
	CHECK(make_probe(env));
	pid = api_count(env, "SELECT pg_backend_pid()");
	CHECK(pid > 0);
	CHECK_INT(fq_store_open(fq_store_url(env->app->store), &other, &e), FQ_OK);
	odb = other ? fq_store_db(other, &e) : NULL;
	CHECK(odb != NULL);
	if (odb) {
		int64_t ok = 0;
		CHECK_INT(fq_db_get_int(
		              odb, &ok,
		              "SELECT CAST(pg_terminate_backend(CAST(?1 AS INTEGER)) AS INTEGER)",
		              "i", pid),
		          FQ_OK);
		CHECK_INT(ok, 1);
	}
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO rt_probe (id, v) VALUES (?1, ?2)", "is",
	                     (int64_t)1, "lost"),
	          FQ_ERR_UNAVAILABLE);
	CHECK_INT(fq_db_health(db), FQ_DB_LOST);
	fq_db_rollback(db);
	CHECK_INT(fq_db_reconnect(db), FQ_OK);
	CHECK_INT(fq_db_health(db), FQ_DB_OK);
	CHECK(api_exec(env, "INSERT INTO rt_probe (id, v) VALUES (1, 'after')"));
	CHECK_INT(api_count(env, "SELECT count(*) FROM rt_probe WHERE v = 'after'"), 1);
	fq_store_close(other);
	api_env_free(env);
}

int main(int argc, char **argv)
{
	static const struct fq_test tests[] = {
	    TEST_ENTRY(get_one_record_is_two_round_trips),
	    TEST_ENTRY(write_transaction_sends_begin_with_first_statement),
	    TEST_ENTRY(failed_first_statement_rolls_back),
	    TEST_ENTRY(read_transaction_opens_for_a_write),
	    TEST_ENTRY(connection_lost_before_first_statement),
	};

	return fq_test_main("round_trips", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
