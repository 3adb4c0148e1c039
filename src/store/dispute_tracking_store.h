/* 一案一码 (issue 11): the SQL of the public tracking page — its rate-limit
 * counters (migration 020) and what a lookup reads of a dispute. No rules
 * here (domain/dispute_tracking.c). */
#ifndef FQ_DISPUTE_TRACKING_STORE_H
#define FQ_DISPUTE_TRACKING_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;

/* Counts one try of key in the window starting at window_start (ms) and
 * sets *count to the tries of that window, this one included. Deletes the
 * windows of every key that started before drop_before. */
enum fq_err fq_store_track_hit(struct fq_db *db, const char *key, int64_t window_start,
			       int64_t drop_before, int64_t *count);

/* What the public page may tell of a dispute, and nothing more. */
struct fq_store_track_row {
	int64_t id;
	char status[16];  /* registered mediating closed */
	char outcome[16]; /* agreed failed withdrawn, or "" */
	int64_t concluded_at; /* ms; 0 while open */
};
/* The dispute with the tracking code; FQ_ERR_NOT_FOUND when none. */
enum fq_err fq_store_track_dispute(struct fq_db *db, const char *code,
				   struct fq_store_track_row *out);

/* Calls fn with each party's sealed phone (parties without one are
 * skipped); stops at fn's first error. */
enum fq_err fq_store_track_phones(struct fq_db *db, int64_t id,
				  enum fq_err (*fn)(const void *sealed, size_t len, void *arg),
				  void *arg);

/* The start of the earliest session at or after now that has no result
 * yet; 0 when none is planned. */
enum fq_err fq_store_track_next_session(struct fq_db *db, int64_t id, int64_t now,
					int64_t *starts_at);

#endif
