/* Covers src/domain/idcard.c: GB 11643 ID number checks, masking, phone checks and masks. */
#include <string.h>

#include "core/err.h"
#include "core/time.h"
#include "domain/idcard.h"
#include "test.h"

static int64_t at(const char *iso)
{
	int64_t ms = 0;

	if (!fq_time_parse(iso, &ms))
		fprintf(stderr, "  bad test time %s\n", iso);
	return ms;
}

static int64_t today(void)
{
	return at("2026-05-13T12:00:00Z");
}

/* Checks that s is refused for field id_number with a message containing want. */
static void refused(const char *s, const char *want, int line)
{
	struct fq_error e = {0};
	struct fq_idcard id;

	memset(&id, 0x55, sizeof(id));
	if (fq_idcard_check(s, today(), &id, &e) != FQ_ERR_INVALID || e.err != FQ_ERR_INVALID ||
	    strcmp(e.field, "id_number") || !strstr(e.message, want)) {
		fprintf(stderr, "  line %d: %s: err %d field '%s' message '%s', wanted '%s'\n", line,
			s ? s : "(null)", e.err, e.field, e.message, want);
		fq_test_failed_checks++;
	}
	CHECK_INT(((unsigned char *)&id)[0], 0x55); /* *out untouched */
}

#define REFUSED(s, want) refused((s), (want), __LINE__)

TEST(valid_example)
{
	struct fq_error e = {0};
	struct fq_idcard id;

	CHECK_INT(fq_idcard_check("11010519491231002X", today(), &id, &e), FQ_OK);
	CHECK_STR(id.number, "11010519491231002X");
	CHECK_STR(id.division, "110105");
	CHECK_STR(id.birth_date, "1949-12-31");
	CHECK_INT(id.sex, 'F');
	CHECK_INT(e.err, FQ_OK);

	CHECK_INT(fq_idcard_check("330681199001011237", today(), &id, &e), FQ_OK);
	CHECK_INT(id.sex, 'M');
	CHECK_STR(id.birth_date, "1990-01-01");
	CHECK_STR(id.division, "330681");

	CHECK_INT(fq_idcard_check("11010519491231002X", today(), NULL, &e), FQ_OK);
	CHECK_INT(fq_idcard_check_char("11010519491231002"), 'X');
	CHECK_INT(fq_idcard_check_char("1101051949123100"), 0);
}

TEST(lower_case_x_normalised)
{
	struct fq_error e = {0};
	struct fq_idcard id;

	CHECK_INT(fq_idcard_check("11010519491231002x", today(), &id, &e), FQ_OK);
	CHECK_STR(id.number, "11010519491231002X");
}

TEST(wrong_check_char)
{
	REFUSED("110105194912310021", "check character should be X");
	REFUSED("110105194912310033", "should be 8, not 3");
	REFUSED("33068119900101123X", "should be 7");
}

TEST(wrong_length)
{
	REFUSED("11010519491231002", "18 characters");
	REFUSED("11010519491231002", "not 17");
	REFUSED("11010519491231002X1", "not 19");
	REFUSED("", "required");
	REFUSED(NULL, "required");
	/* Full-width digits (typed with a Chinese input method) get their own message. */
	REFUSED("身份证号码号", "non-ASCII");
	REFUSED("1101051949123100２X", "full-width");
	REFUSED("1111111111111111111111111111111111111111111111111111111111111111111111",
		"18 characters");
}

TEST(letters_inside)
{
	REFUSED("1101051949A231002X", "character 11 ('A') is not a digit");
	REFUSED("11010519491231002Y", "last character ('Y') must be a digit or X");
	REFUSED(" 1010519491231002X", "character 1 is not a digit");
	REFUSED("110105194912310 2X", "character 16 is not a digit");
}

TEST(birth_dates)
{
	struct fq_error e = {0};
	struct fq_idcard id;

	REFUSED("500112199002300016", "1990-02-30");
	REFUSED("500112199002300016", "not a real date");
	REFUSED("500112202302290010", "2023-02-29");
	CHECK_INT(fq_idcard_check("500112202402290018", today(), &id, &e), FQ_OK);
	CHECK_STR(id.birth_date, "2024-02-29");
	CHECK_INT(id.sex, 'M'); /* 17th digit 1: odd */
	REFUSED("500112209901010019", "2099-01-01 is in the future");
	REFUSED("500112189912310046", "before 1900");
	CHECK_INT(fq_idcard_check("500112190001010032", today(), &id, &e), FQ_OK);
	REFUSED("500112199013010010", "not a real date");
}

TEST(born_today_in_china)
{
	struct fq_error e = {0};

	/* 2026-05-14 begins at 2026-05-13T16:00:00Z in China (UTC+8). */
	CHECK_INT(fq_idcard_check("50011220260514001X", at("2026-05-13T16:00:00Z"), NULL, &e),
		  FQ_OK);
	CHECK_INT(fq_idcard_check("50011220260514001X", at("2026-05-13T15:59:59Z"), NULL, &e),
		  FQ_ERR_INVALID);
	CHECK(strstr(e.message, "in the future"));
	CHECK_INT(fq_idcard_check("500112202605130014", today(), NULL, &e), FQ_OK);
}

TEST(unknown_province)
{
	REFUSED("99011219900101123X", "starts with 99, which is not a province code");
	REFUSED("000000199001011230", "not a province code");
}

TEST(masking)
{
	char out[19], small[5];

	fq_idcard_mask("11010519491231002X", out);
	CHECK_STR(out, "110105********002X");
	fq_idcard_mask("E12345678", out); /* a passport number: 9 characters */
	CHECK_STR(out, "********8");
	fq_idcard_mask("AB1234567890CD", out);
	CHECK_STR(out, "AB1234****90CD");
	fq_idcard_mask("", out);
	CHECK_STR(out, "");
	fq_idcard_mask(NULL, out);
	CHECK_STR(out, "");

	fq_mask_middle("AB", 3, 2, out, sizeof(out));
	CHECK_STR(out, "*B");
	fq_mask_middle("A", 3, 2, out, sizeof(out));
	CHECK_STR(out, "*");
	fq_mask_middle("ABCDEF", 3, 2, out, sizeof(out));
	CHECK_STR(out, "ABC*EF");
	fq_mask_middle("ABCDE", 3, 2, out, sizeof(out));
	CHECK_STR(out, "****E");
	fq_mask_middle("ABCDEF", 0, 0, out, sizeof(out));
	CHECK_STR(out, "******");
	/* Too small an output is cut short, never showing the middle. */
	fq_mask_middle("ABCDEFGHIJ", 2, 2, small, sizeof(small));
	CHECK_STR(small, "AB**");
	fq_mask_middle("ABCDEFGHIJ", 2, 2, small, 0); /* writes nothing */
	/* UTF-8 characters are never split. */
	fq_mask_middle("张三丰你好", 1, 1, out, sizeof(out));
	CHECK_STR(out, "张***好");
	fq_mask_middle("张三丰", 1, 1, out, 5);
	CHECK_STR(out, "张*");
	fq_mask_middle("张三丰", 1, 1, out, 4);
	CHECK_STR(out, "张");
	fq_mask_middle("张三丰", 1, 1, out, 3);
	CHECK_STR(out, "");
}

TEST(phone_check)
{
	static const char *good[] = {
		"13812345678", "19912345678", "023-67812345", "02367812345", "0571-87654321",
		"010-6123456",  "67812345",    "2345678",      "057187654321",
	};
	static const char *bad[] = {
		"12812345678", "1381234567", "138123456789", "138-1234-5678", "+8613812345678",
		"023 67812345", "23-67812345", "023-07812345", "023-678123456", "1234567",
		"0000000",      "abcdefg",     "023--6781234", "-0236781234",  "0236781234-",
		"12345678901234567890123",
	};
	struct fq_error e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fq_error_clear(&e);
		if (fq_phone_check(good[i], &e)) {
			fprintf(stderr, "  %s refused: %s\n", good[i], e.message);
			fq_test_failed_checks++;
		}
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fq_error_clear(&e);
		if (fq_phone_check(bad[i], &e) != FQ_ERR_INVALID || strcmp(e.field, "phone")) {
			fprintf(stderr, "  %s accepted\n", bad[i]);
			fq_test_failed_checks++;
		}
	}
	fq_error_clear(&e);
	CHECK_INT(fq_phone_check("12812345678", &e), FQ_ERR_INVALID);
	CHECK(strstr(e.message, "mobile"));
	CHECK_INT(fq_phone_check("", &e), FQ_ERR_INVALID);
	CHECK(strstr(e.message, "required"));
	CHECK_INT(fq_phone_check(NULL, &e), FQ_ERR_INVALID);
}

TEST(phone_mask)
{
	char out[32];

	fq_phone_mask("13812345678", out, sizeof(out));
	CHECK_STR(out, "138****5678");
	fq_phone_mask("023-67812345", out, sizeof(out));
	CHECK_STR(out, "023*******45");
	fq_phone_mask("67812345", out, sizeof(out));
	CHECK_STR(out, "678***45");
	fq_phone_mask("12345", out, sizeof(out));
	CHECK_STR(out, "****5");
	fq_phone_mask("13812345678", out, 8); /* too small: cut short, still masked */
	CHECK_STR(out, "138****");
}

static const struct fq_test tests[] = {
	TEST_ENTRY(valid_example),    TEST_ENTRY(lower_case_x_normalised),
	TEST_ENTRY(wrong_check_char), TEST_ENTRY(wrong_length),
	TEST_ENTRY(letters_inside),   TEST_ENTRY(birth_dates),
	TEST_ENTRY(born_today_in_china), TEST_ENTRY(unknown_province),
	TEST_ENTRY(masking),          TEST_ENTRY(phone_check),
	TEST_ENTRY(phone_mask),
};

int main(int argc, char **argv)
{
	return fq_test_main("idcard", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
