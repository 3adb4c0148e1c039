/* Time in milliseconds UTC: the clocks, ISO 8601 formatting and parsing, and
 * civil dates. */
#define _POSIX_C_SOURCE 200809L
#include "core/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t fq_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fq_time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void fq_time_format(int64_t ms, char *out, size_t size)
{
	/* Floor, not truncation: -1 ms is 23:59:59 on the day before the epoch. */
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, size, "invalid");
}

bool fq_date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int max;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* Howard Hinnant's days_from_civil. */
int64_t fq_days_from_civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* n ASCII digits at s, nothing else (sscanf's %d would also take a sign or
 * leading spaces). */
static bool parse_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool fq_time_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	size_t len = strlen(s);

	if (len != 10 && len != 19 && !(len == 20 && s[19] == 'Z'))
		return false;
	if (!parse_digits(s, 4, &y) || s[4] != '-' || !parse_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !parse_digits(s + 8, 2, &d))
		return false;
	if (len > 10 && (s[10] != 'T' || !parse_digits(s + 11, 2, &h) || s[13] != ':' ||
			 !parse_digits(s + 14, 2, &mi) || s[16] != ':' ||
			 !parse_digits(s + 17, 2, &sec)))
		return false;
	if (!fq_date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return false;
	*ms = ((fq_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL;
	return true;
}
