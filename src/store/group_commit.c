/* The group commit barrier (group_commit.h): a leader/follower flush of one
 * file for many committed transactions, after PostgreSQL's XLogFlush. */
#include "store/group_commit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"
#include "core/log.h"
#include "core/time.h"

struct fq_gc {
	struct fq_gc *next; /* the registry */
	int refs;           /* guarded by registry_lock */
	char *path;

	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t issued;  /* last ticket taken */
	uint64_t durable; /* every ticket up to this one is flushed */
	bool flushing;    /* a leader is flushing (only it touches fd) */
	bool broken;      /* a flush failed: nothing more is durable */
	int fd;
	int (*flush)(int fd, void *arg);
	void *flush_arg;
	struct fq_gc_stats stats;

	/* The checkpoint thread, when there is one; want and stop are guarded
	 * by lock, signalled on ck_cond. */
	const struct fq_gc_checkpointer *ck;
	void *ck_ctx;
	pthread_t ck_thread;
	pthread_cond_t ck_cond;
	bool ck_running, want, stop;
};

static atomic_bool enabled;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fq_gc *registry;
static struct {
	atomic_uint_fast64_t commits, flushes, failures, max_batch, flush_us, checkpoints;
} totals;

void fq_group_commit_enable(bool on)
{
	atomic_store(&enabled, on);
}

bool fq_group_commit_enabled(void)
{
	return atomic_load(&enabled);
}

static void *checkpoint_loop(void *arg)
{
	struct fq_gc *gc = arg;
	int rc;

	pthread_mutex_lock(&gc->lock);
	for (;;) {
		while (!gc->want && !gc->stop)
			pthread_cond_wait(&gc->ck_cond, &gc->lock);
		if (gc->stop)
			break;
		gc->want = false;
		pthread_mutex_unlock(&gc->lock);
		rc = gc->ck->checkpoint(gc->ck_ctx);
		atomic_fetch_add(&totals.checkpoints, 1);
		pthread_mutex_lock(&gc->lock);
		gc->stats.checkpoints++;
		if (rc && !gc->broken) {
			gc->broken = true;
			gc->stats.failures++;
			atomic_fetch_add(&totals.failures, 1);
			fq_log_error("group commit: a checkpoint of '%s' failed to write or flush; "
				     "writes are refused from now on: check the disk, then restart "
				     "the server",
				     gc->path);
			pthread_cond_broadcast(&gc->done);
		}
	}
	pthread_mutex_unlock(&gc->lock);
	return NULL;
}

static void start_checkpointer(struct fq_gc *gc, const struct fq_gc_checkpointer *ck)
{
	if (!ck || !(gc->ck_ctx = ck->open(gc->path)))
		return;
	gc->ck = ck;
	pthread_cond_init(&gc->ck_cond, NULL);
	if (pthread_create(&gc->ck_thread, NULL, checkpoint_loop, gc)) {
		fq_log_warn("group commit: cannot start the checkpoint thread for '%s'", gc->path);
		pthread_cond_destroy(&gc->ck_cond);
		ck->close(gc->ck_ctx);
		gc->ck = NULL;
		return;
	}
	gc->ck_running = true;
}

static void stop_checkpointer(struct fq_gc *gc)
{
	if (!gc->ck_running)
		return;
	pthread_mutex_lock(&gc->lock);
	gc->stop = true;
	pthread_cond_signal(&gc->ck_cond);
	pthread_mutex_unlock(&gc->lock);
	pthread_join(gc->ck_thread, NULL);
	pthread_cond_destroy(&gc->ck_cond);
	gc->ck->close(gc->ck_ctx);
	gc->ck_running = false;
}

bool fq_gc_want_checkpoint(struct fq_gc *gc)
{
	if (!gc->ck_running)
		return false;
	pthread_mutex_lock(&gc->lock);
	if (!gc->want) {
		gc->want = true;
		pthread_cond_signal(&gc->ck_cond);
	}
	pthread_mutex_unlock(&gc->lock);
	return true;
}

struct fq_gc *fq_gc_acquire(const char *wal_path, const struct fq_gc_checkpointer *ck)
{
	struct fq_gc *gc;
	int fd;

	pthread_mutex_lock(&registry_lock);
	for (gc = registry; gc; gc = gc->next)
		if (!strcmp(gc->path, wal_path)) {
			gc->refs++;
			pthread_mutex_unlock(&registry_lock);
			return gc;
		}
	/* Read-only is enough for fdatasync on Linux. The WAL holds no POSIX
	 * locks (SQLite locks the database and -shm files), so this descriptor
	 * cannot drop one of SQLite's when it is closed. */
	fd = open(wal_path, O_RDONLY | O_CLOEXEC);
	gc = fd >= 0 ? calloc(1, sizeof(*gc)) : NULL;
	if (gc && !(gc->path = strdup(wal_path))) {
		free(gc);
		gc = NULL;
	}
	if (!gc) {
		int saved = fd >= 0 ? ENOMEM : errno;
		if (fd >= 0)
			close(fd);
		pthread_mutex_unlock(&registry_lock);
		errno = saved;
		return NULL;
	}
	gc->fd = fd;
	gc->refs = 1;
	pthread_mutex_init(&gc->lock, NULL);
	pthread_cond_init(&gc->done, NULL);
	/* Started under registry_lock: a second acquire waits for it. */
	start_checkpointer(gc, ck);
	gc->next = registry;
	registry = gc;
	pthread_mutex_unlock(&registry_lock);
	return gc;
}

void fq_gc_release(struct fq_gc *gc)
{
	struct fq_gc **p;

	if (!gc)
		return;
	pthread_mutex_lock(&registry_lock);
	if (--gc->refs > 0) {
		pthread_mutex_unlock(&registry_lock);
		return;
	}
	for (p = &registry; *p; p = &(*p)->next)
		if (*p == gc) {
			*p = gc->next;
			break;
		}
	pthread_mutex_unlock(&registry_lock);
	stop_checkpointer(gc);
	if (gc->stats.commits)
		fq_log_info("group commit on '%s': %llu commits in %llu flushes (at most %llu in one, "
			    "%llu us per flush), %llu checkpoints",
			    gc->path, (unsigned long long)gc->stats.commits,
			    (unsigned long long)gc->stats.flushes,
			    (unsigned long long)gc->stats.max_batch,
			    (unsigned long long)(gc->stats.flush_us /
						 (gc->stats.flushes ? gc->stats.flushes : 1)),
			    (unsigned long long)gc->stats.checkpoints);
	close(gc->fd);
	pthread_cond_destroy(&gc->done);
	pthread_mutex_destroy(&gc->lock);
	free(gc->path);
	free(gc);
}

uint64_t fq_gc_ticket(struct fq_gc *gc)
{
	uint64_t t;

	pthread_mutex_lock(&gc->lock);
	t = ++gc->issued;
	gc->stats.commits++;
	pthread_mutex_unlock(&gc->lock);
	atomic_fetch_add(&totals.commits, 1);
	return t;
}

/* The WAL file is replaced only when the last connection of every process
 * closes (it is checkpointed into the database, which is flushed, and
 * deleted), and a new one is made by the next connection. Our descriptor
 * would then name the old file: open the new one. Called by the leader only. */
static void follow_file(struct fq_gc *gc)
{
	struct stat named, held;
	int fd;

	if (stat(gc->path, &named) || fstat(gc->fd, &held))
		return; /* gone: its frames are in the database already */
	if (named.st_ino == held.st_ino && named.st_dev == held.st_dev)
		return;
	fd = open(gc->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	close(gc->fd);
	gc->fd = fd;
}

static int flush_file(struct fq_gc *gc)
{
	follow_file(gc);
	if (gc->flush)
		return gc->flush(gc->fd, gc->flush_arg);
	return fdatasync(gc->fd);
}

static void note_max(atomic_uint_fast64_t *max, uint64_t v)
{
	uint_fast64_t cur = atomic_load(max);

	while (v > cur && !atomic_compare_exchange_weak(max, &cur, v))
		;
}

enum fq_err fq_gc_wait(struct fq_gc *gc, uint64_t ticket)
{
	enum fq_err err = FQ_OK;

	pthread_mutex_lock(&gc->lock);
	while (gc->durable < ticket) {
		uint64_t target;
		int64_t t0;
		int rc, saved;

		if (gc->broken) {
			err = FQ_ERR_IO;
			break;
		}
		if (gc->flushing) {
			pthread_cond_wait(&gc->done, &gc->lock);
			continue;
		}
		/* Lead: every ticket taken so far was taken after its frames
		 * were written, so one flush that starts now covers them all. */
		gc->flushing = true;
		target = gc->issued;
		pthread_mutex_unlock(&gc->lock);
		t0 = fq_time_mono_us();
		rc = flush_file(gc);
		saved = errno;
		t0 = fq_time_mono_us() - t0;
		pthread_mutex_lock(&gc->lock);
		gc->flushing = false;
		gc->stats.flush_us += (uint64_t)t0;
		atomic_fetch_add(&totals.flush_us, (uint64_t)t0);
		if (rc) {
			/* PostgreSQL's "fsyncgate": after a failed flush the kernel
			 * may have dropped the dirty pages and marked them clean,
			 * so a retry could succeed without them. Never claim
			 * durability again in this process. */
			gc->broken = true;
			gc->stats.failures++;
			atomic_fetch_add(&totals.failures, 1);
			fq_log_error("group commit: flushing '%s' failed: %s; writes are refused "
				     "from now on: check the disk, then restart the server",
				     gc->path, strerror(saved));
		} else {
			uint64_t batch = target - gc->durable;
			gc->durable = target;
			gc->stats.flushes++;
			if (batch > gc->stats.max_batch)
				gc->stats.max_batch = batch;
			atomic_fetch_add(&totals.flushes, 1);
			note_max(&totals.max_batch, batch);
		}
		pthread_cond_broadcast(&gc->done);
	}
	pthread_mutex_unlock(&gc->lock);
	return err;
}

bool fq_gc_broken(struct fq_gc *gc)
{
	bool b;

	pthread_mutex_lock(&gc->lock);
	b = gc->broken;
	pthread_mutex_unlock(&gc->lock);
	return b;
}

void fq_gc_stats(struct fq_gc *gc, struct fq_gc_stats *out)
{
	if (gc) {
		pthread_mutex_lock(&gc->lock);
		*out = gc->stats;
		pthread_mutex_unlock(&gc->lock);
		return;
	}
	out->commits = atomic_load(&totals.commits);
	out->flushes = atomic_load(&totals.flushes);
	out->failures = atomic_load(&totals.failures);
	out->max_batch = atomic_load(&totals.max_batch);
	out->flush_us = atomic_load(&totals.flush_us);
	out->checkpoints = atomic_load(&totals.checkpoints);
}

void fq_gc_set_flush(struct fq_gc *gc, int (*fn)(int fd, void *arg), void *arg)
{
	pthread_mutex_lock(&gc->lock);
	gc->flush = fn;
	gc->flush_arg = arg;
	pthread_mutex_unlock(&gc->lock);
}
