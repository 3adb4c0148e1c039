/* Group commit: a durability barrier that makes the write transactions of
 * many threads durable with one flush of the SQLite WAL file.
 *
 * A write transaction commits without a flush (synchronous=NORMAL: its WAL
 * frames are written, not synced), takes a ticket, and waits in
 * fq_gc_wait until a flush that began after its ticket was taken has
 * finished. The first waiter that finds no flush under way leads: it flushes
 * the WAL file once for every ticket taken so far, and wakes the others.
 * See docs/internals.md, "Group commit", for why this is as durable as
 * synchronous=FULL. */
#ifndef FQ_STORE_GROUP_COMMIT_H
#define FQ_STORE_GROUP_COMMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_gc;

/* Whether write transactions of this process use group commit (the
 * `group_commit` setting of `fengqiao serve`); off by default, so the command
 * line commits with synchronous=FULL. Read when a write transaction begins. */
void fq_group_commit_enable(bool on);
bool fq_group_commit_enabled(void);

/* Checkpoints, run by a thread of the barrier outside the writers' way:
 * open(wal_path) makes what checkpoint(ctx) needs (NULL: no checkpoints),
 * close(ctx) ends it. Given to the acquire that makes the barrier.
 * checkpoint returns 0, or -1 when writing or flushing failed: a checkpoint
 * flushes the WAL file too, so that breaks the barrier as a failed flush
 * does. */
struct fq_gc_checkpointer {
	void *(*open)(const char *wal_path);
	int (*checkpoint)(void *ctx);
	void (*close)(void *ctx);
};

/* The barrier of the WAL file at wal_path, shared by every connection of the
 * process to that file (taken with a reference; give it back with
 * fq_gc_release, the last of which stops the checkpoint thread). ck may be
 * NULL (no checkpoint thread). NULL with errno set when the file cannot be
 * opened (it does not exist before the first transaction in WAL mode). */
struct fq_gc *fq_gc_acquire(const char *wal_path, const struct fq_gc_checkpointer *ck);
void fq_gc_release(struct fq_gc *gc);

/* Asks the checkpoint thread for a checkpoint (cheap; never waits); false
 * when the barrier has no checkpoint thread. */
bool fq_gc_want_checkpoint(struct fq_gc *gc);

/* A ticket for a commit whose WAL frames are written: take it after COMMIT
 * returned, wait on it with fq_gc_wait. */
uint64_t fq_gc_ticket(struct fq_gc *gc);
/* Returns FQ_OK once the WAL file was flushed after the ticket was taken.
 * A failed flush breaks the barrier for good (a later flush that succeeds
 * proves nothing about the pages the failed one lost): it and every later
 * wait for a commit not yet flushed return FQ_ERR_IO. */
enum fq_err fq_gc_wait(struct fq_gc *gc, uint64_t ticket);
bool fq_gc_broken(struct fq_gc *gc);

/* Counters of one barrier, or of all barriers of the process (gc NULL). */
struct fq_gc_stats {
	uint64_t commits; /* tickets waited for */
	uint64_t flushes; /* successful flushes */
	uint64_t failures; /* failed flushes */
	uint64_t max_batch; /* most tickets one flush made durable */
	uint64_t flush_us; /* time spent flushing, microseconds */
	uint64_t checkpoints; /* run by the checkpoint thread */
};
void fq_gc_stats(struct fq_gc *gc, struct fq_gc_stats *out);

/* Tests only: flush with fn(fd, arg) instead of fdatasync(fd); fn returns 0
 * or -1 with errno set. NULL restores fdatasync. */
void fq_gc_set_flush(struct fq_gc *gc, int (*fn)(int fd, void *arg), void *arg);

#endif
