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

/* Writes the n decimal digits of v (0 <= v < 10^n) before p; returns p - n. */
static char *digits(char *p, int64_t v, int n)
{
	while (n--) {
		*--p = (char)('0' + v % 10);
		v /= 10;
	}
	return p;
}

void fq_time_format(int64_t ms, char *out, size_t size)
{
	/* Floor, not truncation: -1 ms is 23:59:59 on the day before the epoch. */
	int64_t secs = ms / 1000 - (ms % 1000 < 0);
	int64_t days = secs / 86400 - (secs % 86400 < 0), sod = secs - days * 86400;
	/* The civil date of a day count, in 400-year eras of 146,097 days
	 * starting on 1 March, so that the leap day is the era's last. */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	char text[21], *p = text + 20;

	if (y < 0 || y > 9999 || size < sizeof(text)) {
		snprintf(out, size, "invalid");
		return;
	}
	*p = '\0';
	*--p = 'Z';
	p = digits(p, sod % 60, 2);
	*--p = ':';
	p = digits(p, sod / 60 % 60, 2);
	*--p = ':';
	p = digits(p, sod / 3600, 2);
	*--p = 'T';
	p = digits(p, d, 2);
	*--p = '-';
	p = digits(p, m, 2);
	*--p = '-';
	digits(p, y, 4);
	memcpy(out, text, sizeof(text));
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

static bool parse_time(const char *s, bool date_only_ok, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
	size_t len = strlen(s), pos;

	if (len < 10 || (len == 10 && !date_only_ok))
		return false;
	if (!parse_digits(s, 4, &y) || s[4] != '-' || !parse_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !parse_digits(s + 8, 2, &d))
		return false;
	if (len > 10) {
		if (len < 19 || s[10] != 'T' || !parse_digits(s + 11, 2, &h) || s[13] != ':' ||
		    !parse_digits(s + 14, 2, &mi) || s[16] != ':' || !parse_digits(s + 17, 2, &sec))
			return false;
		pos = 19;
		if (s[pos] == '.') {
			size_t n = 0;
			for (pos++; s[pos] >= '0' && s[pos] <= '9'; pos++, n++)
				if (n < 3)
					frac = frac * 10 + (s[pos] - '0');
			if (n < 1 || n > 9)
				return false;
			for (; n < 3; n++)
				frac *= 10;
		}
		if (s[pos] == 'Z')
			pos++;
		if (pos != len)
			return false;
	}
	if (!fq_date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return false;
	*ms = ((fq_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + frac;
	return true;
}

bool fq_time_parse(const char *s, int64_t *ms)
{
	return parse_time(s, true, ms);
}

bool fq_time_parse_datetime(const char *s, int64_t *ms)
{
	return parse_time(s, false, ms);
}

/* ---- calendar days ---- */

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

/* Howard Hinnant's civil_from_days. */
static int64_t civil_from_days(int64_t z)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	return (y + (m <= 2)) * 10000 + m * 100 + d;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

bool fq_date_parse(const char *s, int64_t *day)
{
	int y, m, d;
	size_t len = strlen(s);

	if (len == 10 && parse_digits(s, 4, &y) && s[4] == '-' && parse_digits(s + 5, 2, &m) &&
	    s[7] == '-' && parse_digits(s + 8, 2, &d)) {
		/* the API's form */
	} else if (len == 8 && parse_digits(s, 4, &y) && parse_digits(s + 4, 2, &m) &&
		   parse_digits(s + 6, 2, &d)) {
		/* the compact form older clients send */
	} else {
		return false;
	}
	if (!fq_date_valid(y, m, d))
		return false;
	*day = (int64_t)y * 10000 + m * 100 + d;
	return true;
}

void fq_date_format(int64_t day, char *out, size_t size)
{
	snprintf(out, size, "%04d-%02d-%02d", (int)(day / 10000 % 10000), (int)(day / 100 % 100),
		 (int)(day % 100));
}

int64_t fq_date_add(int64_t day, int64_t n)
{
	return civil_from_days(fq_days_from_civil((int)(day / 10000), (int)(day / 100 % 100),
						  (int)(day % 100)) +
			       n);
}

int64_t fq_time_local_day(int64_t ms, int64_t offset_minutes, int *hour)
{
	int64_t t = ms + offset_minutes * 60000, days = floor_div(t, DAY_MS);

	if (hour)
		*hour = (int)((t - days * DAY_MS) / HOUR_MS);
	return civil_from_days(days);
}

bool fq_time_day_start(int64_t day, int64_t offset_minutes, int64_t *ms)
{
	int y = (int)(day / 10000), m = (int)(day / 100 % 100), d = (int)(day % 100);

	if (day < 10101 || day > 99991231 || !fq_date_valid(y, m, d))
		return false;
	*ms = fq_days_from_civil(y, m, d) * DAY_MS - offset_minutes * 60000;
	return true;
}
