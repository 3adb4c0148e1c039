/* What the overview's long poll reads (domain/overview_live.c): a stamp of
 * the rows its figures come from, cheap enough to read every second, and the
 * next moment a figure changes with no write (a call becoming overdue). A
 * stamp is a digest: it says that something may have changed, not what. */
#ifndef FQ_OVERVIEW_STORE_H
#define FQ_OVERVIEW_STORE_H

#include <stdint.h>

#include "core/err.h"

struct fq_db;
struct fq_stmt;

/* Folds the ncols integers of the one row of st (a query that err says was
 * started) into *h (FNV-1a), and ends st: how a module's store adds its rows
 * to the stamp (struct fq_overview_provider .stamp). */
enum fq_err fq_store_overview_fold(uint64_t *h, int ncols, enum fq_err err, struct fq_stmt *st);

/* Folds the rows behind the figures of the unit at path, whose subtree is
 * [lo, hi), into *h (FNV-1a): the incidents of [lo, hi) written at or after
 * since (index incidents_updated: the writes of the last minutes, not the
 * period's calls), the shifts running at now (begun after now - shift_max_ms)
 * of [lo, hi) and of the units above path (its station), the active patrols
 * of [lo, hi). */
enum fq_err fq_store_overview_stamp_unit(struct fq_db *db, const char *path, const char *lo,
					 const char *hi, int64_t since, int64_t now,
					 int64_t shift_max_ms, uint64_t *h);

/* Folds the rows behind a user's own figures into *h: their calls not yet
 * released, their shift positions not yet ended (and how many have begun at
 * now), the active patrols they are on. */
enum fq_err fq_store_overview_stamp_user(struct fq_db *db, int64_t user_id, int64_t now,
					 uint64_t *h);

/* The first moment after now at which an open call of [lo, hi), dispatched
 * and not yet on scene, passes its arrival target (FQ_INCIDENT_OVERDUE_SQL);
 * 0 when none will. Walks the open incidents (partial index incidents_open). */
enum fq_err fq_store_overview_next_overdue(struct fq_db *db, const char *lo, const char *hi,
					   int64_t now, int64_t *at);

#endif
