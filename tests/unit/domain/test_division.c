/* Covers src/domain/division.c: GB/T 2260 province table, structural code checks and names. */
#include <stdbool.h>
#include <string.h>

#include "core/err.h"
#include "domain/division.h"
#include "test.h"

static void refused(const char *code, bool county_level, const char *want, int line)
{
	struct fq_error e = {0};

	if (fq_division_check(code, county_level, &e) != FQ_ERR_INVALID ||
	    strcmp(e.field, "division_code") || !strstr(e.message, want)) {
		fprintf(stderr, "  line %d: %s: err %d field '%s' message '%s', wanted '%s'\n", line,
			code ? code : "(null)", e.err, e.field, e.message, want);
		fq_test_failed_checks++;
	}
}

#define REFUSED(code, county, want) refused((code), (county), (want), __LINE__)

TEST(valid_county_codes)
{
	static const char *codes[] = {"500112", "500103", "330681", "110105", "440305",
				      "500230", "429004", "650102", "820001"};
	struct fq_error e = {0};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (fq_division_check(codes[i], true, &e) != FQ_OK) {
			fprintf(stderr, "  %s refused: %s\n", codes[i], e.message);
			fq_test_failed_checks++;
		}
		CHECK_INT(fq_division_check(codes[i], false, &e), FQ_OK);
	}
	CHECK_INT(e.err, FQ_OK);
}

TEST(province_and_prefecture_codes)
{
	struct fq_error e = {0};

	CHECK_INT(fq_division_check("500000", false, &e), FQ_OK);
	CHECK_INT(fq_division_check("330600", false, &e), FQ_OK);
	REFUSED("500000", true, "names a whole province");
	REFUSED("330600", true, "names a prefecture");
	REFUSED("500012", false, "county part but no prefecture part");
	REFUSED("507112", true, "prefecture part 71");
	REFUSED("509912", false, "01-70 or 90");
}

TEST(not_digits_or_wrong_length)
{
	REFUSED("50011a", true, "exactly 6 digits");
	REFUSED("50O112", false, "exactly 6 digits");
	REFUSED("50011", true, "exactly 6 digits");
	REFUSED("5001120", true, "exactly 6 digits");
	REFUSED("500112500112500112", true, "exactly 6 digits");
	REFUSED(" 500112", true, "exactly 6 digits");
	REFUSED("５００１１２", true, "exactly 6 digits");
	REFUSED("", true, "required");
	REFUSED(NULL, false, "required");
}

TEST(unknown_province)
{
	REFUSED("990101", true, "99 is not a province code");
	REFUSED("000000", false, "00 is not a province code");
	REFUSED("160101", true, "16 is not a province code");
	REFUSED("830000", false, "83 is not a province code");
}

TEST(province_table)
{
	static const char *valid[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31",
				      "32", "33", "34", "35", "36", "37", "41", "42", "43",
				      "44", "45", "46", "50", "51", "52", "53", "54", "61",
				      "62", "63", "64", "65", "71", "81", "82"};
	int count = 0;
	char two[3] = "00";

	for (int i = 0; i < 100; i++) {
		two[0] = (char)('0' + i / 10);
		two[1] = (char)('0' + i % 10);
		if (fq_division_province_valid(two))
			count++;
	}
	CHECK_INT(count, 34);
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		CHECK(fq_division_province_valid(valid[i]));
		CHECK(fq_division_province_name(valid[i]) != NULL);
	}
	CHECK(fq_division_province_valid("11010519491231002X"));
	CHECK(!fq_division_province_valid("1"));
	CHECK(!fq_division_province_valid(""));
	CHECK(!fq_division_province_valid(NULL));
	CHECK(!fq_division_province_valid("1a"));
}

TEST(names)
{
	CHECK_STR(fq_division_province_name("50"), "重庆市");
	CHECK_STR(fq_division_province_name("11"), "北京市");
	CHECK_STR(fq_division_province_name("65"), "新疆维吾尔自治区");
	CHECK_STR(fq_division_province_name("82"), "澳门特别行政区");
	CHECK(fq_division_province_name("99") == NULL);

	CHECK_STR(fq_division_name("500112"), "渝北区");
	CHECK_STR(fq_division_name("500103"), "渝中区");
	CHECK_STR(fq_division_name("330681"), "诸暨市");
	CHECK_STR(fq_division_name("110105"), "朝阳区");
	CHECK_STR(fq_division_name("440305"), "南山区");
	CHECK_STR(fq_division_name("330600"), "绍兴市");
	/* Not in the small table: the province. */
	CHECK_STR(fq_division_name("500118"), "重庆市");
	CHECK_STR(fq_division_name("320102"), "江苏省");
	CHECK(fq_division_name("990101") == NULL);
	CHECK(fq_division_name("5001") == NULL);
	CHECK(fq_division_name("5001120") == NULL);
	CHECK(fq_division_name(NULL) == NULL);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(valid_county_codes),
	TEST_ENTRY(province_and_prefecture_codes),
	TEST_ENTRY(not_digits_or_wrong_length),
	TEST_ENTRY(unknown_province),
	TEST_ENTRY(province_table),
	TEST_ENTRY(names),
};

int main(int argc, char **argv)
{
	return fq_test_main("division", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc,
			    argv);
}
