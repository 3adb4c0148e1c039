/* Covers the guard rails of src/store/store.c: a bind string must have one
 * letter per parameter of its statement (checked in builds without NDEBUG,
 * reported as FQ_ERR_INTERNAL instead of binding the wrong values), the
 * one-value reads fq_db_get_int and fq_db_get_text, and export of a list of
 * tables given by the caller (src/store/dump.c). On SQLite in a temporary
 * folder, or on the PostgreSQL server of FQ_TEST_PG_URL (temporary tables,
 * gone with the connection). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "store/dump.h"
#include "store/store.h"
#include "test.h"

static char dir[64];
static struct fq_store *store;

/* A store with the empty temporary table t (id, a, b, c), and an empty
 * schema_migrations for the export's header. */
static struct fq_db *open_db(void)
{
	const char *pg = getenv("FQ_TEST_PG_URL");
	struct fq_error e = {0};
	struct fq_db *db;
	char url[128];

	if (pg && *pg) {
		snprintf(url, sizeof(url), "%s", pg);
	} else {
		snprintf(dir, sizeof(dir), "/tmp/fq-test-store-XXXXXX");
		if (!mkdtemp(dir))
			return NULL;
		snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	}
	if (fq_store_open(url, &store, &e) || !(db = fq_store_db(store, &e))) {
		fprintf(stderr, "  cannot open %s: %s\n", url, e.message);
		return NULL;
	}
	if (fq_db_exec_script(db,
			      "CREATE TEMP TABLE t (id BIGINT PRIMARY KEY, a BIGINT, b TEXT,"
			      " c DOUBLE PRECISION);"
			      " CREATE TEMP TABLE schema_migrations (version INTEGER);",
			      &e)) {
		fprintf(stderr, "  cannot create table t: %s\n", e.message);
		return NULL;
	}
	return db;
}

static void close_db(void)
{
	char path[96];

	fq_store_close(store);
	store = NULL;
	if (dir[0]) {
		snprintf(path, sizeof(path), "%s/t.db", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/t.db-wal", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/t.db-shm", dir);
		unlink(path);
		rmdir(dir);
		dir[0] = '\0';
	}
}

static int64_t rows(struct fq_db *db)
{
	int64_t n = -1;

	CHECK_INT(fq_db_get_int(db, &n, "SELECT count(*) FROM t", NULL), FQ_OK);
	return n;
}

TEST(bind_string_with_one_letter_per_parameter_binds)
{
	struct fq_db *db = open_db();

	CHECK(db);
	if (!db)
		return;
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a, b, c) VALUES (?1, ?2, ?3, ?4)",
			     "iisd", (int64_t)1, (int64_t)7, "x", 0.5),
		  FQ_OK);
	/* 'n' binds NULL; a parameter used twice counts once. */
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a, b) VALUES (?1, ?1, ?2)", "in",
			     (int64_t)2),
		  FQ_OK);
	CHECK_INT(rows(db), 2);
	close_db();
}

TEST(bind_string_with_a_letter_missing_is_refused)
{
#ifdef NDEBUG
	fprintf(stderr, "  (built with NDEBUG: bind strings are not checked)\n");
#else
	struct fq_db *db = open_db();
	int64_t changes = -1;

	CHECK(db);
	if (!db)
		return;
	/* Without the check, ?3 would silently be NULL. */
	CHECK_INT(fq_db_exec(db, &changes, "INSERT INTO t (id, a, b) VALUES (?1, ?2, ?3)", "ii",
			     (int64_t)1, (int64_t)2),
		  FQ_ERR_INTERNAL);
	CHECK_INT(changes, -1);
	/* No letters at all for a statement with parameters. */
	CHECK_INT(fq_db_exec(db, NULL, "DELETE FROM t WHERE id = ?1", NULL), FQ_ERR_INTERNAL);
	/* A number skipped is still a parameter: ?3 needs three letters. */
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a) VALUES (?1, ?3)", "ii", (int64_t)1,
			     (int64_t)2),
		  FQ_ERR_INTERNAL);
	CHECK_INT(rows(db), 0);
	close_db();
#endif
}

TEST(bind_string_with_a_letter_too_many_is_refused)
{
#ifdef NDEBUG
	fprintf(stderr, "  (built with NDEBUG: bind strings are not checked)\n");
#else
	struct fq_db *db = open_db();
	int64_t n = -1;
	char *s = NULL;
	struct fq_stmt *st = NULL;

	CHECK(db);
	if (!db)
		return;
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a) VALUES (?1, ?2)", "iis", (int64_t)1,
			     (int64_t)2, "extra"),
		  FQ_ERR_INTERNAL);
	/* A blob is one letter for its two arguments. */
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id) VALUES (?1)", "ib", (int64_t)1, "ab",
			     (size_t)2),
		  FQ_ERR_INTERNAL);
	/* Every entry point checks: query, insert, get_int, get_text. */
	CHECK_INT(fq_db_query(db, &st, "SELECT a FROM t", "i", (int64_t)1), FQ_ERR_INTERNAL);
	CHECK_INT(fq_db_insert(db, &n, "INSERT INTO t (id) VALUES (1) RETURNING id", "i",
			       (int64_t)1),
		  FQ_ERR_INTERNAL);
	CHECK_INT(fq_db_get_int(db, &n, "SELECT count(*) FROM t", "i", (int64_t)1),
		  FQ_ERR_INTERNAL);
	CHECK_INT(fq_db_get_text(db, &s, "SELECT b FROM t WHERE id = ?1", "is", (int64_t)1, "x"),
		  FQ_ERR_INTERNAL);
	CHECK_INT(n, -1);
	CHECK(!s);
	CHECK_INT(rows(db), 0);
	/* The statement went back to the cache: the right call works after. */
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a) VALUES (?1, ?2)", "ii", (int64_t)1,
			     (int64_t)2),
		  FQ_OK);
	CHECK_INT(rows(db), 1);
	close_db();
#endif
}

TEST(get_int_and_get_text_read_one_value)
{
	struct fq_db *db = open_db();
	int64_t n = -1, id = 0;
	char *s = NULL;

	CHECK(db);
	if (!db)
		return;
	CHECK_INT(fq_db_insert(db, &id, "INSERT INTO t (id, a, b) VALUES (?1, ?2, ?3) RETURNING id",
			       "iis", (int64_t)5, (int64_t)42, "渝北"),
		  FQ_OK);
	CHECK_INT(id, 5);
	CHECK_INT(fq_db_get_int(db, &n, "SELECT a FROM t WHERE id = ?1", "i", (int64_t)5), FQ_OK);
	CHECK_INT(n, 42);
	CHECK_INT(fq_db_get_text(db, &s, "SELECT b FROM t WHERE id = ?1", "i", (int64_t)5), FQ_OK);
	CHECK_STR(s, "渝北");
	free(s);
	s = NULL;
	/* No row, or a NULL value: not found, and *out is left alone. */
	n = -1;
	CHECK_INT(fq_db_get_int(db, &n, "SELECT a FROM t WHERE id = ?1", "i", (int64_t)6),
		  FQ_ERR_NOT_FOUND);
	CHECK_INT(fq_db_get_int(db, &n, "SELECT max(a) FROM t WHERE a < 0", NULL),
		  FQ_ERR_NOT_FOUND);
	CHECK_INT(n, -1);
	CHECK_INT(fq_db_get_text(db, &s, "SELECT c FROM t WHERE id = ?1", "i", (int64_t)5),
		  FQ_ERR_NOT_FOUND);
	CHECK(!s);
	/* A store error is passed on. */
	CHECK(fq_db_get_int(db, &n, "SELECT nope FROM t", NULL) != FQ_OK);
	close_db();
}

TEST(export_writes_the_tables_of_the_callers_lists)
{
	static const struct fq_dump_table one[] = {{"t", {"id"}, NULL}, {NULL}};
	static const struct fq_dump_table again[] = {{"t", {"id"}, NULL}, {NULL}};
	static const struct fq_dump_table keyless[] = {{"t", {NULL}, NULL}, {NULL}};
	const struct fq_dump_table *const lists[] = {one, NULL};
	const struct fq_dump_table *const twice[] = {one, again, NULL};
	const struct fq_dump_table *const nokey[] = {keyless, NULL};
	const struct fq_dump_table *const none[] = {NULL};
	struct fq_dump_summary sum = {0};
	struct fq_error e = {0};
	struct fq_db *db = open_db();
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	CHECK(db);
	if (!db)
		return;
	for (int i = 1; i <= 3; i++)
		CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (id, a) VALUES (?1, ?2)", "ii",
				     (int64_t)i, (int64_t)(10 * i)),
			  FQ_OK);
	out = open_memstream(&text, &len);
	CHECK_INT(fq_dump_export(db, lists, out, &sum, &e), FQ_OK);
	fclose(out);
	CHECK_INT(sum.ntables, 1);
	CHECK_INT(sum.rows, 3);
	CHECK_STR(sum.tables[0].table, "t");
	CHECK(text && strstr(text, "{\"table\":\"t\",\"columns\":[\"id\",\"a\",\"b\",\"c\"]}\n"
				   "[1,10,null,null]\n[2,20,null,null]\n[3,30,null,null]\n"));
	CHECK(text && strstr(text, "{\"end\":\"fengqiao-export\",\"tables\":1}\n"));
	fq_dump_summary_release(&sum);
	free(text);

	/* Mistakes of the lists are refused before anything is written. */
	text = NULL;
	out = open_memstream(&text, &len);
	CHECK_INT(fq_dump_export(db, twice, out, &sum, &e), FQ_ERR_INTERNAL);
	CHECK(strstr(e.message, "table t is listed twice"));
	fq_dump_summary_release(&sum);
	fq_error_clear(&e);
	CHECK_INT(fq_dump_export(db, nokey, out, &sum, &e), FQ_ERR_INTERNAL);
	CHECK(strstr(e.message, "without its key"));
	fq_dump_summary_release(&sum);
	fq_error_clear(&e);
	CHECK_INT(fq_dump_export(db, none, out, &sum, &e), FQ_ERR_INTERNAL);
	fq_dump_summary_release(&sum);
	fclose(out);
	CHECK_INT(len, 0);
	free(text);
	close_db();
}

int main(int argc, char **argv)
{
	static const struct fq_test tests[] = {
		TEST_ENTRY(bind_string_with_one_letter_per_parameter_binds),
		TEST_ENTRY(bind_string_with_a_letter_missing_is_refused),
		TEST_ENTRY(bind_string_with_a_letter_too_many_is_refused),
		TEST_ENTRY(get_int_and_get_text_read_one_value),
		TEST_ENTRY(export_writes_the_tables_of_the_callers_lists),
	};

	/* The refused bind strings log an error each: expected here. */
	fq_log_set_level(FQ_LOG_ERROR);
	return fq_test_main("store", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
