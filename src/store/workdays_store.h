/* SQL of the working-day calendar (migration 015, table calendar_days; the
 * rules are in domain/workdays.c). Days are YYYYMMDD integers. */
#ifndef FQ_WORKDAYS_STORE_H
#define FQ_WORKDAYS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

/* Called for each day of a range, in day order; a non-zero return stops the
 * walk with that error. */
typedef enum fq_err fq_store_workdays_fn(void *arg, int64_t day, bool workday);

/* The days from first to last (both included), in day order: one query. */
enum fq_err fq_store_workdays_range(struct fq_db *db, int64_t first, int64_t last,
				    fq_store_workdays_fn *fn, void *arg);
/* The days from first to last as JSON rows {day, kind, name, changed_by,
 * changed_by_name, changed_at}; NULL on failure (*err). */
json_t *fq_store_workdays_list(struct fq_db *db, int64_t first, int64_t last, enum fq_err *err);
/* [{year, holidays, workdays}] of every year holding days, oldest first. */
json_t *fq_store_workdays_years(struct fq_db *db, enum fq_err *err);
/* How many days from first to last the calendar holds. */
enum fq_err fq_store_workdays_count(struct fq_db *db, int64_t first, int64_t last, int64_t *n);

/* One day: its kind and name as new strings (to free()); FQ_ERR_NOT_FOUND
 * when the day is not in the calendar. */
enum fq_err fq_store_workdays_get(struct fq_db *db, int64_t day, char **kind, char **name);
/* FQ_ERR_CONFLICT when the day is in the calendar already. */
enum fq_err fq_store_workdays_insert(struct fq_db *db, int64_t day, const char *kind,
				     const char *name, int64_t by, int64_t at);
/* *changes: rows changed (0: the day is not in the calendar). */
enum fq_err fq_store_workdays_update(struct fq_db *db, int64_t day, const char *kind,
				     const char *name, int64_t by, int64_t at, int64_t *changes);
enum fq_err fq_store_workdays_delete(struct fq_db *db, int64_t day, int64_t *changes);

#endif
