/* Working-day arithmetic (domain/workdays.h) on the 2026 arrangement of the
 * State Council (国务院办公厅关于2026年部分节假日安排的通知), written here
 * again by hand from the notice, so that a mistake in the migration's copy
 * cannot hide one here: across Spring Festival and its make-up Saturdays,
 * New Year's make-up Sunday, National Day and Mid-Autumn, and into 2027,
 * which has no arrangement. tests/api/test_calendar.c checks the same on
 * the shipped calendar, through the store, on both stores. */
#include "core/time.h"
#include "domain/workdays.h"
#include "test.h"

#define H(d) {d, false}
#define W(d) {d, true}

static const struct fq_workdays_exception y2026[] = {
	H(20260101), H(20260102), W(20260104),                           /* 元旦 */
	W(20260214), H(20260216), H(20260217), H(20260218), H(20260219), /* 春节 */
	H(20260220), H(20260223), W(20260228),
	H(20260406),                                                     /* 清明节 */
	H(20260501), H(20260504), H(20260505), W(20260509),              /* 劳动节 */
	H(20260619),                                                     /* 端午节 */
	W(20260920), H(20260925),                                        /* 国庆节, 中秋节 */
	H(20261001), H(20261002), H(20261005), H(20261006), H(20261007), W(20261010),
};
#define N2026 (sizeof(y2026) / sizeof(y2026[0]))

/* 2025 to 2027: only 2026 is loaded. */
static struct fq_workdays_table table(void)
{
	struct fq_workdays_table t;

	CHECK(fq_workdays_table_init(&t, 2025, 2027, y2026, N2026));
	return t;
}

static int64_t add(const struct fq_workdays_table *t, int64_t day, int n, int *unloaded)
{
	int64_t out = -1;

	CHECK(fq_workdays_table_add(t, day, n, &out, unloaded));
	return out;
}

TEST(weekdays)
{
	CHECK_INT(fq_workdays_weekday(19700101), 4);
	CHECK_INT(fq_workdays_weekday(19691231), 3);
	CHECK_INT(fq_workdays_weekday(20000229), 2);
	CHECK_INT(fq_workdays_weekday(20260101), 4);
	CHECK_INT(fq_workdays_weekday(20261206), 7);
	CHECK_INT(fq_workdays_weekday(20260216), 1);
}

TEST(which_days_are_worked)
{
	struct fq_workdays_table t = table();

	CHECK(fq_workdays_table_is_working(&t, 20260214));  /* Saturday, make-up */
	CHECK(!fq_workdays_table_is_working(&t, 20260215)); /* Sunday of the holiday */
	CHECK(!fq_workdays_table_is_working(&t, 20260216)); /* Monday, 春节 */
	CHECK(!fq_workdays_table_is_working(&t, 20260221)); /* Saturday */
	CHECK(fq_workdays_table_is_working(&t, 20260302));  /* a plain Monday */
	CHECK(fq_workdays_table_is_working(&t, 20260104));  /* Sunday, make-up of 元旦 */
	CHECK(fq_workdays_table_is_working(&t, 20260920));  /* Sunday, make-up of 国庆节 */
	CHECK(!fq_workdays_table_is_working(&t, 20260925)); /* Friday, 中秋节 */
	/* 2027 has no arrangement: its New Year's Day counts as a plain Friday */
	CHECK(fq_workdays_table_is_working(&t, 20270101));
	CHECK(!fq_workdays_table_is_working(&t, 20270102));
	CHECK(fq_workdays_table_year_loaded(&t, 2026));
	CHECK(!fq_workdays_table_year_loaded(&t, 2025));
	CHECK(!fq_workdays_table_year_loaded(&t, 2027));
	CHECK(!fq_workdays_table_year_loaded(&t, 2030)); /* outside the table */
}

TEST(counting_starts_the_day_after)
{
	struct fq_workdays_table t = table();
	int unloaded = -1;

	CHECK_INT(add(&t, 20260302, 0, &unloaded), 20260302);
	CHECK_INT(unloaded, 0);
	CHECK_INT(add(&t, 20260302, 1, NULL), 20260303);   /* Monday → Tuesday */
	CHECK_INT(add(&t, 20260306, 1, NULL), 20260309);   /* Friday → Monday */
	CHECK_INT(add(&t, 20260307, 1, NULL), 20260309);   /* from a Saturday */
	CHECK_INT(add(&t, 20260302, 3, NULL), 20260305);
}

TEST(across_spring_festival_and_its_make_up_saturdays)
{
	struct fq_workdays_table t = table();
	int unloaded = -1;

	/* Friday 13 February: the make-up Saturday is the next working day,
	 * then nothing until Tuesday 24 */
	CHECK_INT(add(&t, 20260213, 1, NULL), 20260214);
	CHECK_INT(add(&t, 20260213, 2, &unloaded), 20260224);
	CHECK_INT(unloaded, 0);
	/* accepted Thursday 12 February: the first police mediation by the 24th */
	CHECK_INT(add(&t, 20260212, 3, NULL), 20260224);
	/* the second within 7 working days of the 24th: Saturday 28 is worked */
	CHECK_INT(add(&t, 20260224, 7, NULL), 20260304);
	/* accepted on a holiday: the day is not counted, the holiday not either */
	CHECK_INT(add(&t, 20260218, 3, NULL), 20260226);
}

TEST(new_year_make_up_sunday_from_a_year_not_loaded)
{
	struct fq_workdays_table t = table();
	int unloaded = -1;

	/* from 31 December 2025 (whose own year is not loaded, but is not
	 * crossed: the start day is not counted): 1 and 2 January are off,
	 * Sunday 4 is worked */
	CHECK_INT(add(&t, 20251231, 1, &unloaded), 20260104);
	CHECK_INT(unloaded, 0);
	CHECK_INT(add(&t, 20251230, 1, &unloaded), 20251231);
	CHECK_INT(unloaded, 2025);
}

TEST(across_national_day_and_mid_autumn)
{
	struct fq_workdays_table t = table();

	CHECK_INT(add(&t, 20260918, 1, NULL), 20260920); /* Sunday 20 September is worked */
	CHECK_INT(add(&t, 20260924, 1, NULL), 20260928); /* Friday 25 is 中秋节 */
	CHECK_INT(add(&t, 20260930, 1, NULL), 20261008);
	CHECK_INT(add(&t, 20260930, 3, NULL), 20261010); /* Saturday 10 October is worked */
	CHECK_INT(add(&t, 20260930, 4, NULL), 20261012);
	CHECK_INT(add(&t, 20260430, 3, NULL), 20260508); /* 劳动节 */
	CHECK_INT(add(&t, 20260508, 1, NULL), 20260509); /* its make-up Saturday */
}

TEST(a_year_not_loaded_counts_plain_weekends_and_says_so)
{
	struct fq_workdays_table t = table();
	int unloaded = -1;

	/* 1 January 2027 counts as a working Friday: the arrangement of 2027 is
	 * not loaded, and the answer says so */
	CHECK_INT(add(&t, 20261231, 3, &unloaded), 20270105);
	CHECK_INT(unloaded, 2027);
	CHECK_INT(add(&t, 20261230, 1, &unloaded), 20261231);
	CHECK_INT(unloaded, 0);
}

TEST(between_counts_the_days_after_the_first_up_to_the_last)
{
	struct fq_workdays_table t = table();
	int64_t n = -1;
	int unloaded = -1;

	CHECK(fq_workdays_table_between(&t, 20260212, 20260224, &n, &unloaded));
	CHECK_INT(n, 3);
	CHECK_INT(unloaded, 0);
	CHECK(fq_workdays_table_between(&t, 20260224, 20260212, &n, NULL));
	CHECK_INT(n, -3);
	CHECK(fq_workdays_table_between(&t, 20260224, 20260224, &n, NULL));
	CHECK_INT(n, 0);
	/* the whole of 2026: 261 weekdays, 19 of them holidays, 6 weekend days
	 * worked */
	CHECK(fq_workdays_table_between(&t, 20251231, 20261231, &n, &unloaded));
	CHECK_INT(n, 248);
	CHECK_INT(unloaded, 0);
	CHECK(fq_workdays_table_between(&t, 20261231, 20270108, &n, &unloaded));
	CHECK_INT(n, 6);
	CHECK_INT(unloaded, 2027);
}

/* add and between agree on every day of 2026 for 0 to 12 working days, and
 * a count of at least one ends on a working day. */
TEST(add_and_between_agree_everywhere)
{
	struct fq_workdays_table t = table();
	int days = 0;

	for (int64_t d = 20260101; d <= 20261231; d = fq_date_add(d, 1), days++) {
		for (int n = 0; n <= 12; n++) {
			int64_t out = 0, back = -1;

			CHECK(fq_workdays_table_add(&t, d, n, &out, NULL));
			CHECK(fq_workdays_table_between(&t, d, out, &back, NULL));
			if (back != n)
				fprintf(stderr, "  from %lld, %d days: %lld, back %lld\n",
					(long long)d, n, (long long)out, (long long)back);
			CHECK_INT(back, n);
			CHECK(n == 0 || fq_workdays_table_is_working(&t, out));
			CHECK(n == 0 || out > d);
		}
	}
	CHECK_INT(days, 365);
}

TEST(bounds_are_refused)
{
	struct fq_workdays_table t = table();
	int64_t out = 7;

	/* past the table's last year */
	CHECK(!fq_workdays_table_add(&t, 20271230, 5, &out, NULL));
	CHECK_INT(out, 7);
	CHECK(!fq_workdays_table_add(&t, 20260101, -1, &out, NULL));
	CHECK(!fq_workdays_table_add(&t, 20260101, FQ_WORKDAYS_MAX_N + 1, &out, NULL));
	CHECK(!fq_workdays_table_add(&t, 20260230, 1, &out, NULL)); /* not a date */
	CHECK(!fq_workdays_table_between(&t, 20240101, 20260101, &out, NULL));
	CHECK(!fq_workdays_table_init(&t, 2000, 2000 + FQ_WORKDAYS_MAX_YEARS, NULL, 0));
	CHECK(!fq_workdays_table_init(&t, 2027, 2026, NULL, 0));
	CHECK(fq_workdays_table_init(&t, 2000, 1999 + FQ_WORKDAYS_MAX_YEARS, NULL, 0));
}

static const struct fq_test tests[] = {
	TEST_ENTRY(weekdays),
	TEST_ENTRY(which_days_are_worked),
	TEST_ENTRY(counting_starts_the_day_after),
	TEST_ENTRY(across_spring_festival_and_its_make_up_saturdays),
	TEST_ENTRY(new_year_make_up_sunday_from_a_year_not_loaded),
	TEST_ENTRY(across_national_day_and_mid_autumn),
	TEST_ENTRY(a_year_not_loaded_counts_plain_weekends_and_says_so),
	TEST_ENTRY(between_counts_the_days_after_the_first_up_to_the_last),
	TEST_ENTRY(add_and_between_agree_everywhere),
	TEST_ENTRY(bounds_are_refused),
};

int main(int argc, char **argv)
{
	return fq_test_main("domain/workdays", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
