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

/* Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[Z]". */
bool fq_time_parse(const char *s, int64_t *ms);

/* True when y-m-d is a real calendar date. */
bool fq_date_valid(int y, int m, int d);

/* Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
int64_t fq_days_from_civil(int y, int m, int d);

#endif
