/* Covers src/core: str.c (parsing, UTF-8, bounded copies), buf.c, arena.c and time.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/time.h"
#include "test.h"

/* ---- str.c ---- */

TEST(parse_i64_edges)
{
	int64_t v;

	CHECK(fq_parse_i64("0", INT64_MIN, INT64_MAX, &v) && v == 0);
	CHECK(fq_parse_i64("-0", INT64_MIN, INT64_MAX, &v) && v == 0);
	CHECK(fq_parse_i64("42", INT64_MIN, INT64_MAX, &v) && v == 42);
	CHECK(fq_parse_i64("-42", INT64_MIN, INT64_MAX, &v) && v == -42);
	CHECK(fq_parse_i64("007", INT64_MIN, INT64_MAX, &v) && v == 7);
	CHECK(fq_parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v) && v == INT64_MAX);
	CHECK(fq_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v) && v == INT64_MIN);

	v = 99;
	CHECK(!fq_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("-", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("12a", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("a12", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("+1", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64(" 1", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("1 ", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("- 1", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("--1", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("-+1", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("0x10", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64("1.5", INT64_MIN, INT64_MAX, &v));
	CHECK(!fq_parse_i64(NULL, INT64_MIN, INT64_MAX, &v));
	CHECK_INT(v, 99); /* untouched on failure */

	/* The range is inclusive. */
	CHECK(fq_parse_i64("1", 1, 64, &v) && v == 1);
	CHECK(fq_parse_i64("64", 1, 64, &v) && v == 64);
	CHECK(!fq_parse_i64("0", 1, 64, &v));
	CHECK(!fq_parse_i64("65", 1, 64, &v));
	CHECK(!fq_parse_i64("-1", 0, 10, &v));
}

static long utf8(const char *s)
{
	return fq_utf8_len(s, strlen(s));
}

TEST(utf8_len)
{
	CHECK_INT(utf8(""), 0);
	CHECK_INT(utf8("abc"), 3);
	CHECK_INT(utf8("枫桥经验"), 4);
	CHECK_INT(utf8("重庆 Chongqing"), 12);
	CHECK_INT(utf8("\xC2\xA9"), 1);             /* U+00A9, 2 bytes */
	CHECK_INT(utf8("\xF0\x9F\x98\x80"), 1);     /* U+1F600, 4 bytes */
	CHECK_INT(utf8("\xED\x9F\xBF"), 1);         /* U+D7FF, just below the surrogates */
	CHECK_INT(utf8("\xEE\x80\x80"), 1);         /* U+E000, just above */
	CHECK_INT(utf8("\xEF\xBF\xBF"), 1);         /* U+FFFF */
	CHECK_INT(utf8("\xF4\x8F\xBF\xBF"), 1);     /* U+10FFFF, the last code point */

	/* Overlong encodings. */
	CHECK_INT(utf8("\xC0\x80"), -1);
	CHECK_INT(utf8("\xC1\xBF"), -1);
	CHECK_INT(utf8("\xE0\x80\xAF"), -1);
	CHECK_INT(utf8("\xE0\x9F\xBF"), -1);
	CHECK_INT(utf8("\xF0\x80\x80\x80"), -1);
	CHECK_INT(utf8("\xF0\x8F\xBF\xBF"), -1);
	/* Truncated sequences, at the end and in the middle. */
	CHECK_INT(utf8("\xE6\x9E"), -1);
	CHECK_INT(utf8("\xE6"), -1);
	CHECK_INT(utf8("\xF0\x9F\x98"), -1);
	CHECK_INT(utf8("\xE6\x9E" "a"), -1);
	CHECK_INT(fq_utf8_len("枫桥", 4), -1); /* len cuts the second character */
	CHECK_INT(fq_utf8_len("枫桥", 3), 1);
	/* Surrogates. */
	CHECK_INT(utf8("\xED\xA0\x80"), -1);
	CHECK_INT(utf8("\xED\xBF\xBF"), -1);
	CHECK_INT(utf8("\xED\xA0\xBD\xED\xB8\x80"), -1); /* CESU-8 pair */
	/* Beyond U+10FFFF, stray and impossible bytes, NUL. */
	CHECK_INT(utf8("\xF4\x90\x80\x80"), -1);
	CHECK_INT(utf8("\xF5\x80\x80\x80"), -1);
	CHECK_INT(utf8("\xF8\x88\x80\x80\x80"), -1);
	CHECK_INT(utf8("\x80"), -1);
	CHECK_INT(utf8("a\xBF"), -1);
	CHECK_INT(utf8("\xFF"), -1);
	CHECK_INT(utf8("\xFE"), -1);
	CHECK_INT(fq_utf8_len("a\0b", 3), -1);
}

TEST(strlcpy_truncation)
{
	char small[4], exact[6];

	memset(small, 'Z', sizeof(small));
	CHECK_INT(fq_strlcpy(small, "hello", sizeof(small)), 5);
	CHECK_STR(small, "hel");
	CHECK_INT(fq_strlcpy(exact, "hello", sizeof(exact)), 5);
	CHECK_STR(exact, "hello");
	CHECK_INT(fq_strlcpy(exact, "", sizeof(exact)), 0);
	CHECK_STR(exact, "");
	small[0] = 'Q';
	CHECK_INT(fq_strlcpy(small, "abc", 0), 3); /* size 0: writes nothing */
	CHECK_INT(small[0], 'Q');
	CHECK_INT(fq_strlcpy(small, "abc", 1), 3);
	CHECK_STR(small, "");
}

TEST(str_misc)
{
	struct fq_str s = fq_str_from(NULL);
	char text[] = "a\tb\nc\x7f\x01" "d 枫";

	CHECK_INT(s.len, 0);
	CHECK_STR(s.ptr, "");
	s = fq_str_from("abc");
	CHECK(fq_str_eq(s, "abc"));
	CHECK(!fq_str_eq(s, "ab"));
	CHECK(!fq_str_eq(s, "abcd"));
	CHECK(fq_str_eq(FQ_STR("xy"), "xy"));
	fq_str_sanitize(text);
	CHECK_STR(text, "a?b?c??d 枫");
	CHECK(fq_ct_equal("abc", "abc", 3));
	CHECK(!fq_ct_equal("abc", "abd", 3));
	CHECK(fq_ct_equal("abc", "abd", 2));
	CHECK(fq_ct_equal("", "", 0));
}

/* ---- buf.c ---- */

TEST(buf_limit)
{
	struct fq_buf b;

	fq_buf_init(&b, 16);
	CHECK_INT(fq_buf_adds(&b, "0123456789"), FQ_OK);
	CHECK_INT(fq_buf_adds(&b, "abcdefg"), FQ_ERR_TOO_LARGE); /* 17 > 16 */
	CHECK_INT(b.len, 10);
	CHECK_STR(b.ptr, "0123456789");
	CHECK_INT(fq_buf_addf(&b, "%s-%d", "abcd", 12), FQ_ERR_TOO_LARGE);
	CHECK_STR(b.ptr, "0123456789");
	CHECK_INT(fq_buf_add(&b, "x", SIZE_MAX), FQ_ERR_TOO_LARGE); /* no overflow */
	CHECK_INT(fq_buf_add(&b, "x", SIZE_MAX - 5), FQ_ERR_TOO_LARGE);
	CHECK_STR(b.ptr, "0123456789");
	CHECK_INT(fq_buf_adds(&b, "abcdef"), FQ_OK); /* exactly 16 */
	CHECK_INT(b.len, 16);
	CHECK_STR(b.ptr, "0123456789abcdef");
	CHECK_INT(fq_buf_adds(&b, "!"), FQ_ERR_TOO_LARGE);
	CHECK_INT(fq_buf_adds(&b, ""), FQ_OK);
	CHECK_INT(fq_buf_addf(&b, "%s", ""), FQ_OK);
	CHECK_STR(b.ptr, "0123456789abcdef");
	CHECK(b.cap <= 17);
	fq_buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.ptr, "");
	CHECK_INT(fq_buf_adds(&b, "again"), FQ_OK);
	CHECK_STR(b.ptr, "again");
	fq_buf_release(&b);
	CHECK(b.ptr == NULL);

	fq_buf_init(&b, 0);
	CHECK_INT(fq_buf_adds(&b, "a"), FQ_ERR_TOO_LARGE);
	CHECK_INT(fq_buf_adds(&b, ""), FQ_OK);
	CHECK_STR(b.ptr, "");
	fq_buf_release(&b);
}

TEST(buf_addf_and_take)
{
	struct fq_buf b;
	char *p;

	fq_buf_init(&b, 1 << 20);
	CHECK_INT(fq_buf_addf(&b, "%d-%s-%05.1f", 42, "枫桥", 3.14159), FQ_OK);
	CHECK_STR(b.ptr, "42-枫桥-003.1");
	for (int i = 0; i < 1000; i++)
		CHECK_INT(fq_buf_addf(&b, "%04d,", i), FQ_OK);
	CHECK_INT(b.len, strlen("42-枫桥-003.1") + 5000);
	CHECK(!memcmp(b.ptr + b.len - 5, "0999,", 5));
	CHECK_INT(b.ptr[b.len], '\0');
	p = fq_buf_take(&b);
	CHECK(p && !memcmp(p, "42-", 3));
	CHECK(b.ptr == NULL && b.len == 0);
	free(p);

	p = fq_buf_take(&b); /* empty buffer: an empty string to free */
	CHECK_STR(p, "");
	free(p);
	fq_buf_release(&b);
	fq_buf_release(&b); /* twice is harmless */
}

/* ---- arena.c ---- */

static int cleanup_order[8];
static int cleanup_count;

static void record_cleanup(void *data)
{
	if (cleanup_count < 8)
		cleanup_order[cleanup_count] = *(int *)data;
	cleanup_count++;
}

TEST(arena_many_allocs)
{
	struct fq_arena *a = fq_arena_new();
	char *ptrs[5000];

	CHECK(a != NULL);
	if (!a)
		return;
	for (int i = 0; i < 5000; i++) {
		size_t n = (size_t)(i % 97) + 1;

		ptrs[i] = fq_arena_alloc(a, n);
		CHECK(ptrs[i] != NULL);
		if (!ptrs[i])
			break;
		CHECK_INT((uintptr_t)ptrs[i] % _Alignof(max_align_t), 0);
		for (size_t k = 0; k < n; k++)
			CHECK_INT(ptrs[i][k], 0); /* zeroed */
		memset(ptrs[i], i & 0xFF, n);
	}
	for (int i = 0; i < 5000; i++) /* nothing overwritten by a later alloc */
		CHECK_INT((unsigned char)ptrs[i][(size_t)(i % 97)], i & 0xFF);
	CHECK(fq_arena_alloc(a, 0) != NULL);
	CHECK(fq_arena_alloc(a, 0) != fq_arena_alloc(a, 0));
	fq_arena_free(a);
	fq_arena_free(NULL);
}

TEST(arena_big_and_strings)
{
	struct fq_arena *a = fq_arena_new();
	char *small, *big, *after, *s;

	if (!a)
		return;
	small = fq_arena_alloc(a, 16);
	big = fq_arena_alloc(a, 1 << 20);
	CHECK(small && big);
	if (big) {
		memset(big, 'x', 1 << 20);
		CHECK_INT(big[(1 << 20) - 1], 'x');
	}
	after = fq_arena_alloc(a, 16); /* still from the first block */
	CHECK(after != NULL && after > small && after - small < 8192);
	/* Sizes near SIZE_MAX must fail, not wrap round to a tiny allocation. */
	CHECK(fq_arena_alloc(a, SIZE_MAX) == NULL);
	CHECK(fq_arena_alloc(a, SIZE_MAX - 7) == NULL);

	s = fq_arena_strdup(a, "枫桥");
	CHECK_STR(s, "枫桥");
	CHECK(fq_arena_strdup(a, NULL) == NULL);
	s = fq_arena_strndup(a, "abcdef", 3);
	CHECK_STR(s, "abc");
	s = fq_arena_printf(a, "%s=%d", "threads", 4);
	CHECK_STR(s, "threads=4");
	fq_arena_free(a);
}

TEST(arena_cleanup_order)
{
	struct fq_arena *a = fq_arena_new();
	static int one = 1, two = 2, three = 3;
	void *heap;

	if (!a)
		return;
	cleanup_count = 0;
	heap = malloc(100);
	CHECK_INT(fq_arena_cleanup(a, record_cleanup, &one), 0);
	CHECK_INT(fq_arena_cleanup(a, free, heap), 0); /* a real resource, freed */
	CHECK_INT(fq_arena_cleanup(a, record_cleanup, &two), 0);
	CHECK_INT(fq_arena_cleanup(a, record_cleanup, &three), 0);
	CHECK_INT(cleanup_count, 0);
	fq_arena_free(a);
	CHECK_INT(cleanup_count, 3);
	CHECK_INT(cleanup_order[0], 3); /* reverse order of registration */
	CHECK_INT(cleanup_order[1], 2);
	CHECK_INT(cleanup_order[2], 1);
}

/* ---- time.c ---- */

TEST(time_parse_valid)
{
	int64_t ms = -1;

	CHECK(fq_time_parse("1970-01-01", &ms) && ms == 0);
	CHECK(fq_time_parse("1970-01-01T00:00:01Z", &ms) && ms == 1000);
	CHECK(fq_time_parse("2026-11-22T09:30:00Z", &ms) && ms == 1795339800000LL);
	CHECK(fq_time_parse("2026-11-22T09:30:00", &ms) && ms == 1795339800000LL);
	CHECK(fq_time_parse("2026-11-22", &ms) && ms == 1795305600000LL);
	CHECK(fq_time_parse("2024-02-29", &ms));
	CHECK(fq_time_parse("1949-12-31", &ms) && ms == -631238400000LL);
	CHECK(fq_time_parse("0001-01-01", &ms));
	CHECK(fq_time_parse("9999-12-31T23:59:59Z", &ms));
}

TEST(time_parse_invalid)
{
	static const char *bad[] = {
		"",
		"2023-02-29",
		"2026-13-01",
		"2026-00-10",
		"2026-04-31",
		"2026-11-00",
		"0000-01-01",
		"2026-11-22T24:00:00Z",
		"2026-11-22T09:60:00Z",
		"2026-11-22T09:30:60Z",
		"2026-11-22 09:30:00",
		"2026-11-22T09:30:00z",
		"2026-11-22T09:30:00+08:00",
		"2026-11-22T09:30:00.Z",
		"2026-11-22T09:30:00.1234567890Z",
		"2026-11-22T09:30:00.12aZ",
		"2026-11-22T09:30:00ZZ",
		"2026-11-22T09:30Z",
		"2026-1-5",
		"26-11-22",
		"2026/11/22",
		"20261122",
		"2026-11-22x",
		"x2026-11-22",
		/* scanf's %d would take signs and spaces: these must all be refused. */
		"+026-01-01",
		"-001-01-01",
		" 026-01-01",
		"2026-+1-05",
		"2026-01- 5",
		"2026-01-+5",
		"2026-11-22T+9:30:00Z",
		"2026-11-22T 9:30:00Z",
		"2026-11-22T09:-0:00Z",
		"2026-11-22T09:30: 0Z",
	};
	int64_t ms = 12345;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fq_time_parse(bad[i], &ms)) {
			fprintf(stderr, "  fq_time_parse accepted \"%s\"\n", bad[i]);
			fq_test_failed_checks++;
		}
	}
	CHECK_INT(ms, 12345);
}

TEST(time_round_trip)
{
	static const char *good[] = {
		"1970-01-01T00:00:00Z", "2026-11-22T09:30:00Z", "2024-02-29T23:59:59Z",
		"2000-02-29T12:00:00Z", "1949-10-01T15:00:00Z", "1900-01-01T00:00:00Z",
		"2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z",
	};
	char out[32];
	int64_t ms;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK(fq_time_parse(good[i], &ms));
		fq_time_format(ms, out, sizeof(out));
		CHECK_STR(out, good[i]);
	}
	/* Sub-second instants format as the second they fall in, also before 1970. */
	fq_time_format(1999, out, sizeof(out));
	CHECK_STR(out, "1970-01-01T00:00:01Z");
	fq_time_format(-1, out, sizeof(out));
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	fq_time_format(-1500, out, sizeof(out));
	CHECK_STR(out, "1969-12-31T23:59:58Z");
	fq_time_format(-1000, out, sizeof(out));
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	CHECK(fq_time_now_ms() > 1700000000000LL);
}

/* fq_time_format computes the date itself: it agrees with the C library's
 * gmtime on every kind of day from year 0 to 9999, and says "invalid"
 * outside. */
TEST(time_format_as_gmtime)
{
	uint64_t x = 88172645463325252ULL;
	char out[32], want[64];

	for (int i = 0; i < 200000; i++) {
		int64_t ms;
		time_t t;
		struct tm tm;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* from 0000-01-01 to 9999-12-31, in ms, and every day near the epoch */
		ms = i < 100000 ? -62167219200000LL + (int64_t)(x % 315537897600000ULL)
				: ((int64_t)(i - 150000) * 86400000LL + (int64_t)(x % 86400000ULL));
		t = (time_t)(ms / 1000 - (ms % 1000 < 0));
		gmtime_r(&t, &tm);
		/* (strftime's %Y would not pad the years before 1000) */
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		fq_time_format(ms, out, sizeof(out));
		if (strcmp(out, want)) {
			CHECK_STR(out, want);
			break;
		}
	}
	fq_time_format(-62167219200001LL, out, sizeof(out));
	CHECK_STR(out, "invalid");
	fq_time_format(253402300800000LL, out, sizeof(out));
	CHECK_STR(out, "invalid");
	fq_time_format(0, out, 20);
	CHECK_STR(out, "invalid");
}

TEST(date_valid_leap_years)
{
	CHECK(fq_date_valid(2024, 2, 29));
	CHECK(!fq_date_valid(2023, 2, 29));
	CHECK(fq_date_valid(2000, 2, 29));  /* divisible by 400 */
	CHECK(!fq_date_valid(1900, 2, 29)); /* by 100, not 400 */
	CHECK(!fq_date_valid(2100, 2, 29));
	CHECK(fq_date_valid(2023, 2, 28));
	CHECK(!fq_date_valid(2024, 2, 30));
	CHECK(!fq_date_valid(2026, 4, 31));
	CHECK(fq_date_valid(2026, 12, 31));
	CHECK(!fq_date_valid(2026, 12, 32));
	CHECK(!fq_date_valid(2026, 0, 1));
	CHECK(!fq_date_valid(2026, 13, 1));
	CHECK(!fq_date_valid(2026, 1, 0));
	CHECK(!fq_date_valid(0, 1, 1));
	CHECK(!fq_date_valid(10000, 1, 1));
	CHECK(!fq_date_valid(2026, -1, 1));
	CHECK_INT(fq_days_from_civil(1970, 1, 1), 0);
	CHECK_INT(fq_days_from_civil(1969, 12, 31), -1);
	CHECK_INT(fq_days_from_civil(2000, 3, 1), 11017);
	CHECK_INT(fq_days_from_civil(2024, 3, 1) - fq_days_from_civil(2024, 2, 28), 2);
	CHECK_INT(fq_days_from_civil(2023, 3, 1) - fq_days_from_civil(2023, 2, 28), 1);
}

TEST(time_parse_milliseconds)
{
	int64_t ms = 0;

	CHECK(fq_time_parse("2026-11-22T09:30:00.000Z", &ms) && ms == 1795339800000LL);
	CHECK(fq_time_parse("2026-11-22T09:30:00.5Z", &ms) && ms == 1795339800500LL);
	CHECK(fq_time_parse("2026-11-22T09:30:00.123Z", &ms) && ms == 1795339800123LL);
	CHECK(fq_time_parse("2026-11-22T09:30:00.123999999Z", &ms) && ms == 1795339800123LL);
	CHECK(fq_time_parse("2026-11-22T09:30:00.250", &ms) && ms == 1795339800250LL);
	/* The API's times: with or without milliseconds, never a bare date. */
	CHECK(fq_time_parse_datetime("2026-11-22T09:30:00Z", &ms) && ms == 1795339800000LL);
	CHECK(fq_time_parse_datetime("2026-11-22T09:30:00.999Z", &ms) && ms == 1795339800999LL);
	ms = 7;
	CHECK(!fq_time_parse_datetime("2026-11-22", &ms));
	CHECK(!fq_time_parse_datetime("2026-11-22T", &ms));
	CHECK(!fq_time_parse_datetime("", &ms));
	CHECK_INT(ms, 7);
}

TEST(date_parse_format_add)
{
	static const char *bad[] = {
		"", "2026-5-01", "2026-02-30", "20260230", "2026050", "202605011",
		"2026-05-01T00:00:00Z", "0000-01-01", "00000101", "+0260501", "2026 05 01",
		"2026/05/01", "2026-05-1 ",
	};
	int64_t day = 0;
	char out[16];

	CHECK(fq_date_parse("2026-05-01", &day) && day == 20260501);
	CHECK(fq_date_parse("20260501", &day) && day == 20260501);
	CHECK(fq_date_parse("2024-02-29", &day) && day == 20240229);
	day = 5;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fq_date_parse(bad[i], &day)) {
			fprintf(stderr, "  fq_date_parse accepted \"%s\"\n", bad[i]);
			fq_test_failed_checks++;
		}
	}
	CHECK_INT(day, 5);
	fq_date_format(20260501, out, sizeof(out));
	CHECK_STR(out, "2026-05-01");
	fq_date_format(19491001, out, sizeof(out));
	CHECK_STR(out, "1949-10-01");
	CHECK_INT(fq_date_add(20261231, 1), 20270101);
	CHECK_INT(fq_date_add(20270101, -1), 20261231);
	CHECK_INT(fq_date_add(20240228, 1), 20240229);
	CHECK_INT(fq_date_add(20240301, -1), 20240229);
	CHECK_INT(fq_date_add(20230301, -1), 20230228);
	CHECK_INT(fq_date_add(20260501, 0), 20260501);
	CHECK_INT(fq_date_add(20260427, 6), 20260503);
	CHECK_INT(fq_date_add(19700101, -1), 19691231);
	CHECK_INT(fq_date_add(20000101, 366), 20010101);
}

/* ms of an ISO time, for the tests below. */
static int64_t at(const char *iso)
{
	int64_t ms = 0;

	CHECK(fq_time_parse(iso, &ms));
	return ms;
}

TEST(local_day_boundaries)
{
	int hour = -1;
	int64_t ms = 0;

	/* China (480, the default): the day begins at 16:00 UTC the day before. */
	CHECK_INT(fq_time_local_day(at("2026-04-30T16:00:00Z"), 480, &hour), 20260501);
	CHECK_INT(hour, 0);
	CHECK_INT(fq_time_local_day(at("2026-04-30T15:59:59.999Z"), 480, &hour), 20260430);
	CHECK_INT(hour, 23);
	CHECK_INT(fq_time_local_day(at("2026-05-01T09:30:00Z"), 480, &hour), 20260501);
	CHECK_INT(hour, 17);
	/* The year turns at local midnight (numbering by year). */
	CHECK_INT(fq_time_local_day(at("2026-12-31T16:00:00Z"), 480, NULL), 20270101);
	CHECK_INT(fq_time_local_day(at("2026-12-31T15:59:59Z"), 480, NULL), 20261231);
	/* UTC, west of UTC, half hours, the setting's bounds. */
	CHECK_INT(fq_time_local_day(at("2026-05-01T00:00:00Z"), 0, &hour), 20260501);
	CHECK_INT(hour, 0);
	CHECK_INT(fq_time_local_day(at("2026-04-30T23:59:59.999Z"), 0, &hour), 20260430);
	CHECK_INT(hour, 23);
	CHECK_INT(fq_time_local_day(at("2026-05-01T04:59:59Z"), -300, &hour), 20260430);
	CHECK_INT(hour, 23);
	CHECK_INT(fq_time_local_day(at("2026-05-01T05:00:00Z"), -300, &hour), 20260501);
	CHECK_INT(hour, 0);
	CHECK_INT(fq_time_local_day(at("2026-05-01T18:29:59Z"), 330, &hour), 20260501);
	CHECK_INT(hour, 23);
	CHECK_INT(fq_time_local_day(at("2026-05-01T18:30:00Z"), 330, &hour), 20260502);
	CHECK_INT(hour, 0);
	CHECK_INT(fq_time_local_day(at("2026-05-01T10:00:00Z"), 840, NULL), 20260502);
	CHECK_INT(fq_time_local_day(at("2026-05-01T11:59:59Z"), -720, NULL), 20260430);
	/* Before the epoch. */
	CHECK_INT(fq_time_local_day(-1, 0, &hour), 19691231);
	CHECK_INT(hour, 23);
	/* The start of a day is its first millisecond. */
	CHECK(fq_time_day_start(20260501, 480, &ms));
	CHECK_INT(ms, at("2026-04-30T16:00:00Z"));
	CHECK_INT(fq_time_local_day(ms, 480, NULL), 20260501);
	CHECK_INT(fq_time_local_day(ms - 1, 480, NULL), 20260430);
	CHECK(fq_time_day_start(20260501, -300, &ms));
	CHECK_INT(ms, at("2026-05-01T05:00:00Z"));
	ms = 3;
	CHECK(!fq_time_day_start(20260230, 480, &ms));
	CHECK(!fq_time_day_start(0, 480, &ms));
	CHECK(!fq_time_day_start(2026050, 480, &ms));
	CHECK_INT(ms, 3);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(parse_i64_edges),
	TEST_ENTRY(utf8_len),
	TEST_ENTRY(strlcpy_truncation),
	TEST_ENTRY(str_misc),
	TEST_ENTRY(buf_limit),
	TEST_ENTRY(buf_addf_and_take),
	TEST_ENTRY(arena_many_allocs),
	TEST_ENTRY(arena_big_and_strings),
	TEST_ENTRY(arena_cleanup_order),
	TEST_ENTRY(time_parse_valid),
	TEST_ENTRY(time_parse_invalid),
	TEST_ENTRY(time_round_trip),
	TEST_ENTRY(time_format_as_gmtime),
	TEST_ENTRY(date_valid_leap_years),
	TEST_ENTRY(time_parse_milliseconds),
	TEST_ENTRY(date_parse_format_add),
	TEST_ENTRY(local_day_boundaries),
};

int main(int argc, char **argv)
{
	return fq_test_main("core", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
