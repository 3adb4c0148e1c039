/* Time as milliseconds since the Unix epoch, UTC; formatting and parsing of
 * ISO 8601 ("2026-11-22T09:30:00Z"). */
#ifndef FQ_TIME_H
#define FQ_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int64_t fq_time_now_ms(void);
int64_t fq_time_mono_us(void); /* monotonic, for measuring durations */

/* "2026-11-22T09:30:00Z" (second precision); out must hold 21 bytes. */
void fq_time_format(int64_t ms, char *out, size_t size);

/* Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[.fff][Z]": the
 * fraction has 1 to 9 digits (JavaScript's toISOString writes 3) and is kept
 * to the millisecond. Nothing is written to *ms on failure. */
bool fq_time_parse(const char *s, int64_t *ms);
/* The same without the date-only form: a time as the API takes it
 * ("2026-05-01T08:00:00Z" or "2026-05-01T08:00:00.000Z"). */
bool fq_time_parse_datetime(const char *s, int64_t *ms);

/* ---- calendar days, written YYYYMMDD as an integer (20260501) ---- */

/* "YYYY-MM-DD" (the API's form) or "YYYYMMDD" as YYYYMMDD; false unless a
 * real date of the years 1–9999. */
bool fq_date_parse(const char *s, int64_t *day);
/* "YYYY-MM-DD" of day; out must hold 11 bytes. */
void fq_date_format(int64_t day, char *out, size_t size);
/* The day n days after day (n may be negative); day must be a real date. */
int64_t fq_date_add(int64_t day, int64_t n);

/* The station's calendar: the one place that turns a time into a local day.
 * offset_minutes is the setting utc_offset_minutes (minutes east of UTC,
 * China 480). Returns the local day of ms and, when hour is not NULL, the
 * local hour (0–23). */
int64_t fq_time_local_day(int64_t ms, int64_t offset_minutes, int *hour);
/* The time (ms) at which local day begins; false when day is not a date. */
bool fq_time_day_start(int64_t day, int64_t offset_minutes, int64_t *ms);

/* True when y-m-d is a real calendar date. */
bool fq_date_valid(int y, int m, int d);

/* Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
int64_t fq_days_from_civil(int y, int m, int d);

#endif
