/* Covers src/auth/totp.c: RFC 6238 SHA1 vectors, the window, replay refusal, secrets and otpauth URIs. */
#include <string.h>

#include "auth/totp.h"
#include "test.h"

/* Base32 of the RFC 6238 appendix B SHA1 key, ASCII "12345678901234567890". */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

TEST(rfc6238_vectors)
{
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {
		{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	};
	char out[7];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_INT(fq_totp_code(RFC_SECRET, v[i].t, out), FQ_OK);
		CHECK_STR(out, v[i].code);
		CHECK(fq_totp_verify(RFC_SECRET, v[i].code, v[i].t, 0, -1, NULL));
	}
	/* Forgiving about how the secret was typed: lower case, spaces, padding. */
	CHECK_INT(fq_totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 59, out), FQ_OK);
	CHECK_STR(out, "287082");
	CHECK_INT(fq_totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", 59, out), FQ_OK);
	CHECK_STR(out, "287082");
}

TEST(bad_secrets_and_codes)
{
	char out[7];

	CHECK_INT(fq_totp_code("not base32!", 59, out), FQ_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK_INT(fq_totp_code("GEZDGNB1", 59, out), FQ_ERR_INVALID); /* 1 is not base32 */
	CHECK_INT(fq_totp_code("", 59, out), FQ_ERR_INVALID);
	CHECK_INT(fq_totp_code(NULL, 59, out), FQ_ERR_INVALID);
	CHECK_INT(fq_totp_code(RFC_SECRET, -1, out), FQ_ERR_INVALID);
	CHECK(!fq_totp_verify("not base32!", "287082", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "28708", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "2870820", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "28708a", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, " 287082", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "", 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, NULL, 59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "287082", -59, 1, -1, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "287082", INT64_MAX, 1, -1, NULL));
}

TEST(window)
{
	const int64_t t = 1111111111; /* step 37037037 */
	const int64_t step = t / 30;
	char prev[7], next[7], far[7];
	int64_t matched = 0;

	CHECK_INT(fq_totp_code(RFC_SECRET, t - 30, prev), FQ_OK);
	CHECK_INT(fq_totp_code(RFC_SECRET, t + 30, next), FQ_OK);
	CHECK_INT(fq_totp_code(RFC_SECRET, t + 60, far), FQ_OK);

	CHECK(fq_totp_verify(RFC_SECRET, prev, t, 1, -1, &matched));
	CHECK_INT(matched, step - 1);
	CHECK(fq_totp_verify(RFC_SECRET, next, t, 1, -1, &matched));
	CHECK_INT(matched, step + 1);
	CHECK(!fq_totp_verify(RFC_SECRET, far, t, 1, -1, NULL));
	CHECK(fq_totp_verify(RFC_SECRET, far, t, 2, -1, &matched));
	CHECK_INT(matched, step + 2);
	CHECK(!fq_totp_verify(RFC_SECRET, prev, t, 0, -1, NULL));
	CHECK(fq_totp_verify(RFC_SECRET, "050471", t, 0, -1, &matched));
	CHECK_INT(matched, step);
	/* A negative window means none; a huge one is clamped to 10 steps. */
	CHECK(!fq_totp_verify(RFC_SECRET, prev, t, -5, -1, NULL));
	CHECK_INT(fq_totp_code(RFC_SECRET, t + 11 * 30, far), FQ_OK);
	CHECK(!fq_totp_verify(RFC_SECRET, far, t, 1000000, -1, NULL));
	CHECK_INT(fq_totp_code(RFC_SECRET, t + 10 * 30, far), FQ_OK);
	CHECK(fq_totp_verify(RFC_SECRET, far, t, 1000000, -1, NULL));
}

TEST(replay_refused)
{
	const int64_t t = 1111111111;
	const int64_t step = t / 30;
	char prev[7];
	int64_t matched = 0;

	CHECK(fq_totp_verify(RFC_SECRET, "050471", t, 1, -1, &matched));
	CHECK_INT(matched, step);
	/* The same code again, even a second later in the same step. */
	CHECK(!fq_totp_verify(RFC_SECRET, "050471", t, 1, matched, NULL));
	CHECK(!fq_totp_verify(RFC_SECRET, "050471", t + 1, 1, matched, NULL));
	/* An older code after a newer one. */
	CHECK_INT(fq_totp_code(RFC_SECRET, t - 30, prev), FQ_OK);
	CHECK(!fq_totp_verify(RFC_SECRET, prev, t, 1, matched, NULL));
	/* A last use far in the future refuses everything. */
	CHECK(!fq_totp_verify(RFC_SECRET, "050471", t, 1, INT64_MAX, NULL));
	/* The next step's code is still good. */
	CHECK_INT(fq_totp_code(RFC_SECRET, t + 30, prev), FQ_OK);
	CHECK(fq_totp_verify(RFC_SECRET, prev, t + 30, 1, matched, &matched));
	CHECK_INT(matched, step + 1);
}

TEST(new_secret)
{
	char a[FQ_TOTP_SECRET_MAX], b[FQ_TOTP_SECRET_MAX], small[32], code[7];
	int64_t matched;

	CHECK_INT(fq_totp_new_secret(a, sizeof(a)), FQ_OK);
	CHECK_INT(fq_totp_new_secret(b, sizeof(b)), FQ_OK);
	CHECK_INT(strlen(a), 32);
	CHECK_INT(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	CHECK(strcmp(a, b) != 0);
	CHECK_INT(fq_totp_new_secret(small, sizeof(small)), FQ_ERR_INTERNAL);
	CHECK_STR(small, "");
	/* A new secret works end to end. */
	CHECK_INT(fq_totp_code(a, 1700000000, code), FQ_OK);
	CHECK(fq_totp_verify(a, code, 1700000000, 1, -1, &matched));
	CHECK_INT(matched, 1700000000 / 30);
}

TEST(uri)
{
	char out[FQ_TOTP_URI_MAX], small[40];

	fq_totp_uri("Fengqiao", "zhang.san", RFC_SECRET, out, sizeof(out));
	CHECK_STR(out, "otpauth://totp/Fengqiao:zhang.san?secret=" RFC_SECRET
		       "&issuer=Fengqiao&algorithm=SHA1&digits=6&period=30");
	/* UTF-8 bytes, spaces, ':', '&', '@', '%' and '/' are percent-encoded. */
	fq_totp_uri("枫桥 派出所", "li@si:&%/", "ABC", out, sizeof(out));
	CHECK_STR(out, "otpauth://totp/%E6%9E%AB%E6%A1%A5%20%E6%B4%BE%E5%87%BA%E6%89%80:"
		       "li%40si%3A%26%25%2F?secret=ABC&issuer=%E6%9E%AB%E6%A1%A5%20%E6%B4%BE"
		       "%E5%87%BA%E6%89%80&algorithm=SHA1&digits=6&period=30");
	fq_totp_uri("", "wang", "ABC", out, sizeof(out));
	CHECK_STR(out, "otpauth://totp/wang?secret=ABC&algorithm=SHA1&digits=6&period=30");
	fq_totp_uri(NULL, NULL, NULL, out, sizeof(out));
	CHECK_STR(out, "otpauth://totp/?secret=&algorithm=SHA1&digits=6&period=30");
	/* Too small: empty, never a cut-off URI. */
	fq_totp_uri("Fengqiao", "zhang.san", RFC_SECRET, small, sizeof(small));
	CHECK_STR(small, "");
	fq_totp_uri("Fengqiao", "zhang.san", RFC_SECRET, small, 0);
	/* 59 characters: fits in 60 bytes, not in 59. */
	fq_totp_uri("", "a", "B", out, 60);
	CHECK_STR(out, "otpauth://totp/a?secret=B&algorithm=SHA1&digits=6&period=30");
	fq_totp_uri("", "a", "B", out, 59);
	CHECK_STR(out, "");
}

static const struct fq_test tests[] = {
	TEST_ENTRY(rfc6238_vectors), TEST_ENTRY(bad_secrets_and_codes),
	TEST_ENTRY(window),          TEST_ENTRY(replay_refused),
	TEST_ENTRY(new_secret),      TEST_ENTRY(uri),
};

int main(int argc, char **argv)
{
	if (fq_totp_global_init() != FQ_OK || fq_totp_global_init() != FQ_OK) {
		fprintf(stderr, "totp: cannot initialise\n");
		return 1;
	}
	return fq_test_main("totp", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
