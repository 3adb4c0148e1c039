/* Covers src/store/group_commit.c (the durability barrier) and its use by
 * src/store/store_sqlite.c: many threads committing at once are made durable
 * by fewer flushes, no commit returns before a flush that began after it, a
 * failed flush fails the commit and every write after it, and every
 * acknowledged row is there after the store is opened again; a failed
 * checkpoint breaks the barrier as a failed flush does. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "store/group_commit.h"
#include "store/store.h"
#include "test.h"

#define THREADS 8
#define PER_THREAD 150

/* A fake disk: counts flushes started and finished, takes 1 ms, and fails
 * from flush number fail_at on (0: never). */
static atomic_int started, finished, fail_at;
static atomic_int overlap; /* two flushes at once: the barrier must prevent it */
static atomic_int running;

static void pause_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

static int fake_flush(int fd, void *arg)
{
	int n = atomic_fetch_add(&started, 1) + 1;

	(void)fd;
	(void)arg;
	if (atomic_fetch_add(&running, 1))
		atomic_store(&overlap, 1);
	pause_us(1000);
	atomic_fetch_sub(&running, 1);
	atomic_fetch_add(&finished, 1);
	if (atomic_load(&fail_at) && n >= atomic_load(&fail_at)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void reset_disk(void)
{
	atomic_store(&started, 0);
	atomic_store(&finished, 0);
	atomic_store(&fail_at, 0);
	atomic_store(&overlap, 0);
	atomic_store(&running, 0);
}

static char *temp_file(char *path)
{
	int fd;

	snprintf(path, 64, "/tmp/fq_test_gc_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	return path;
}

struct waiter {
	struct fq_gc *gc;
	int ok, failed, early; /* early: returned before a flush that began after its ticket */
};

static void *wait_many(void *arg)
{
	struct waiter *w = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		/* Flushes are one at a time: one that starts after this ticket
		 * is number s + 1 or later, and it must have finished on return.
		 * started is read before the ticket: read after it, a flush
		 * that took the ticket in but had not yet counted itself would
		 * make s one too high (a false failure seen under load). */
		int s = atomic_load(&started);
		uint64_t t = fq_gc_ticket(w->gc);
		enum fq_err err = fq_gc_wait(w->gc, t);
		if (err) {
			w->failed++;
			continue;
		}
		w->ok++;
		if (atomic_load(&finished) < s + 1)
			w->early++;
		pause_us(50 + rand() % 200); /* the next request's work */
	}
	return NULL;
}

TEST(many_waiters_share_flushes)
{
	char path[64];
	struct waiter w[THREADS];
	pthread_t th[THREADS];
	struct fq_gc_stats st;
	struct fq_gc *gc;
	int ok = 0, early = 0;

	reset_disk();
	CHECK(temp_file(path));
	gc = fq_gc_acquire(path, NULL);
	CHECK(gc);
	if (!gc)
		return;
	CHECK(fq_gc_acquire(path, NULL) == gc); /* one barrier per file */
	fq_gc_release(gc);
	fq_gc_set_flush(gc, fake_flush, NULL);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct waiter){.gc = gc};
		pthread_create(&th[i], NULL, wait_many, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += w[i].ok;
		early += w[i].early;
		CHECK_INT(w[i].failed, 0);
	}
	fq_gc_stats(gc, &st);
	CHECK_INT(ok, THREADS * PER_THREAD);
	CHECK_INT(early, 0);
	CHECK_INT(atomic_load(&overlap), 0);
	CHECK_INT(st.commits, THREADS * PER_THREAD);
	CHECK_INT(st.flushes, atomic_load(&finished));
	/* 1 ms flushes, 8 threads: flushes serve several commits (about 4 on
	 * an idle machine; the check leaves room for a loaded one). */
	CHECK(st.flushes < st.commits);
	CHECK(st.max_batch > 1);
	printf("  %llu commits, %llu flushes, at most %llu per flush\n",
	       (unsigned long long)st.commits, (unsigned long long)st.flushes,
	       (unsigned long long)st.max_batch);
	fq_gc_release(gc);
	unlink(path);
}

TEST(a_failed_flush_breaks_the_barrier)
{
	char path[64];
	struct fq_gc *gc;
	uint64_t t1, t2, t3;

	reset_disk();
	CHECK(temp_file(path));
	gc = fq_gc_acquire(path, NULL);
	CHECK(gc);
	if (!gc)
		return;
	fq_gc_set_flush(gc, fake_flush, NULL);
	t1 = fq_gc_ticket(gc);
	CHECK_INT(fq_gc_wait(gc, t1), FQ_OK);
	atomic_store(&fail_at, 2);
	t2 = fq_gc_ticket(gc);
	CHECK_INT(fq_gc_wait(gc, t2), FQ_ERR_IO);
	CHECK(fq_gc_broken(gc));
	/* The disk "works" again: nothing is claimed durable any more. */
	atomic_store(&fail_at, 0);
	t3 = fq_gc_ticket(gc);
	CHECK_INT(fq_gc_wait(gc, t3), FQ_ERR_IO);
	CHECK_INT(atomic_load(&started), 2);
	/* What was flushed before the failure stays acknowledged. */
	CHECK_INT(fq_gc_wait(gc, t1), FQ_OK);
	fq_gc_release(gc);
	unlink(path);
}

/* A checkpointer whose checkpoints fail (as SQLITE_IOERR would). */
static atomic_int checkpoints_run;

static void *fake_open(const char *wal_path)
{
	(void)wal_path;
	return &checkpoints_run;
}

static int failing_checkpoint(void *ctx)
{
	atomic_fetch_add((atomic_int *)ctx, 1);
	return -1;
}

static void fake_close(void *ctx)
{
	(void)ctx;
}

TEST(a_failed_checkpoint_breaks_the_barrier)
{
	static const struct fq_gc_checkpointer ck = {fake_open, failing_checkpoint, fake_close};
	char path[64];
	struct fq_gc *gc;
	uint64_t t;

	reset_disk();
	atomic_store(&checkpoints_run, 0);
	CHECK(temp_file(path));
	gc = fq_gc_acquire(path, &ck);
	CHECK(gc);
	if (!gc)
		return;
	fq_gc_set_flush(gc, fake_flush, NULL);
	t = fq_gc_ticket(gc);
	CHECK_INT(fq_gc_wait(gc, t), FQ_OK);
	CHECK(fq_gc_want_checkpoint(gc));
	for (int i = 0; i < 500 && !fq_gc_broken(gc); i++)
		pause_us(1000);
	CHECK_INT(atomic_load(&checkpoints_run), 1);
	CHECK(fq_gc_broken(gc));
	t = fq_gc_ticket(gc);
	CHECK_INT(fq_gc_wait(gc, t), FQ_ERR_IO);
	fq_gc_release(gc); /* stops the thread */
	unlink(path);
}

/* ---- through the SQLite store ---------------------------------------------- */

static char db_path[64];
static char db_url[80];

static struct fq_store *open_store(void)
{
	struct fq_store *s = NULL;
	struct fq_error e = {0};

	if (fq_store_open(db_url, &s, &e)) {
		fprintf(stderr, "  cannot open %s: %s\n", db_url, e.message);
		return NULL;
	}
	return s;
}

static bool make_db(void)
{
	struct fq_store *s;
	struct fq_db *db;
	struct fq_error e = {0};
	bool ok;

	snprintf(db_path, sizeof(db_path), "/tmp/fq_test_gc_db_%d.db", (int)getpid());
	snprintf(db_url, sizeof(db_url), "sqlite:%s", db_path);
	unlink(db_path);
	s = open_store();
	db = s ? fq_store_db(s, &e) : NULL;
	ok = db && !fq_db_exec_script(db,
				       "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, "
				       "who INTEGER NOT NULL, n INTEGER NOT NULL, pad TEXT)",
				       &e);
	fq_store_close(s);
	return ok;
}

static void remove_db(void)
{
	char p[96];

	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
}

static int64_t count_rows(struct fq_db *db, const char *where)
{
	struct fq_stmt *st;
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM t%s", where);
	if (fq_db_query(db, &st, sql, ""))
		return -1;
	if (fq_stmt_next(st) == 1)
		n = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return n;
}

static int64_t sync_level(struct fq_db *db)
{
	struct fq_stmt *st;
	int64_t v = -1;

	if (fq_db_query(db, &st, "PRAGMA synchronous", ""))
		return -1;
	if (fq_stmt_next(st) == 1)
		v = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return v;
}

struct writer {
	struct fq_store *store;
	int who;
	int acked, failed;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(w->store, &e);

	for (int i = 0; db && i < PER_THREAD; i++) {
		enum fq_err err = fq_db_begin(db, true);
		if (!err)
			err = fq_db_exec(db, NULL, "INSERT INTO t (who, n, pad) VALUES (?1, ?2, ?3)",
					 "iis", (int64_t)w->who, (int64_t)i,
					 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		if (err) {
			fq_db_rollback(db);
			w->failed++;
			continue;
		}
		if (fq_db_commit(db)) {
			w->failed++;
			continue;
		}
		w->acked++;
	}
	return NULL;
}

TEST(store_commits_together_and_keeps_every_row)
{
	struct writer w[THREADS];
	pthread_t th[THREADS];
	struct fq_gc_stats before, after;
	struct fq_store *s;
	struct fq_db *db;
	struct fq_error e = {0};
	int acked = 0;

	CHECK(make_db());
	fq_group_commit_enable(true);
	s = open_store();
	CHECK(s);
	if (!s)
		return;
	fq_gc_stats(NULL, &before);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct writer){.store = s, .who = i};
		pthread_create(&th[i], NULL, write_many, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(w[i].failed, 0);
		acked += w[i].acked;
	}
	fq_gc_stats(NULL, &after);
	CHECK_INT(acked, THREADS * PER_THREAD);
	CHECK_INT(after.commits - before.commits, acked);
	CHECK(after.flushes - before.flushes <= after.commits - before.commits);
	CHECK_INT(after.failures - before.failures, 0);
	printf("  %d commits, %llu flushes of the WAL\n", acked,
	       (unsigned long long)(after.flushes - before.flushes));

	/* Between write transactions the connection is back at FULL (2);
	 * inside one, NORMAL (1): its flush is the barrier's. */
	db = fq_store_db(s, &e);
	CHECK(db);
	if (db) {
		CHECK_INT(sync_level(db), 2);
		CHECK_INT(fq_db_begin(db, true), FQ_OK);
		CHECK_INT(sync_level(db), 1);
		fq_db_rollback(db);
		CHECK_INT(sync_level(db), 2);
	}
	fq_store_close(s);

	s = open_store();
	db = s ? fq_store_db(s, &e) : NULL;
	CHECK(db);
	if (db) {
		CHECK_INT(count_rows(db, ""), acked);
		for (int i = 0; i < THREADS; i++) {
			char where[32];
			snprintf(where, sizeof(where), " WHERE who = %d", i);
			CHECK_INT(count_rows(db, where), w[i].acked);
		}
	}
	fq_store_close(s);
	fq_group_commit_enable(false);
	remove_db();
}

TEST(without_group_commit_no_ticket_is_taken)
{
	struct fq_gc_stats before, after;
	struct fq_store *s;
	struct fq_db *db;
	struct fq_error e = {0};

	CHECK(make_db());
	fq_group_commit_enable(false);
	s = open_store();
	db = s ? fq_store_db(s, &e) : NULL;
	CHECK(db);
	if (!db) {
		fq_store_close(s);
		return;
	}
	fq_gc_stats(NULL, &before);
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(sync_level(db), 2);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (who, n) VALUES (1, 1)", ""), FQ_OK);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	fq_gc_stats(NULL, &after);
	CHECK_INT(after.commits, before.commits);
	CHECK_INT(count_rows(db, ""), 1);
	fq_store_close(s);
	remove_db();
}

TEST(a_failed_flush_fails_the_commit_and_later_writes)
{
	struct fq_store *s;
	struct fq_db *db;
	struct fq_gc *gc;
	struct fq_error e = {0};
	char wal[96];

	reset_disk();
	CHECK(make_db());
	fq_group_commit_enable(true);
	s = open_store();
	db = s ? fq_store_db(s, &e) : NULL;
	CHECK(db);
	if (!db) {
		fq_store_close(s);
		return;
	}
	/* A first write takes the connection's barrier; the test shares it. */
	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (who, n) VALUES (1, 1)", ""), FQ_OK);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	gc = fq_gc_acquire(wal, NULL);
	CHECK(gc);
	if (!gc) {
		fq_store_close(s);
		return;
	}
	atomic_store(&fail_at, 1);
	fq_gc_set_flush(gc, fake_flush, NULL);

	CHECK_INT(fq_db_begin(db, true), FQ_OK);
	CHECK_INT(fq_db_exec(db, NULL, "INSERT INTO t (who, n) VALUES (1, 2)", ""), FQ_OK);
	/* Committed in SQLite, but not known to be on disk: the router answers
	 * "outcome unknown" for it. */
	CHECK_INT(fq_db_commit(db), FQ_ERR_UNAVAILABLE);
	CHECK_INT(fq_db_health(db), FQ_DB_LOST_IN_COMMIT);
	CHECK_INT(fq_db_reconnect(db), FQ_OK);
	CHECK_INT(fq_db_health(db), FQ_DB_OK);
	/* Every later write is refused; reads go on. */
	atomic_store(&fail_at, 0);
	CHECK_INT(fq_db_begin(db, true), FQ_ERR_UNAVAILABLE);
	CHECK_INT(fq_db_begin(db, false), FQ_OK);
	CHECK_INT(count_rows(db, ""), 2);
	CHECK_INT(fq_db_commit(db), FQ_OK);
	fq_gc_release(gc);
	fq_store_close(s);
	fq_group_commit_enable(false);
	remove_db();
}

int main(int argc, char **argv)
{
	static const struct fq_test tests[] = {
		TEST_ENTRY(many_waiters_share_flushes),
		TEST_ENTRY(a_failed_flush_breaks_the_barrier),
		TEST_ENTRY(a_failed_checkpoint_breaks_the_barrier),
		TEST_ENTRY(store_commits_together_and_keeps_every_row),
		TEST_ENTRY(without_group_commit_no_ticket_is_taken),
		TEST_ENTRY(a_failed_flush_fails_the_commit_and_later_writes),
	};

	return fq_test_main("group_commit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
