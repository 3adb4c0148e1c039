/* Covers src/http/encoding.c: the quality Accept-Encoding gives a coding. */
#include "http/encoding.h"
#include "test.h"

TEST(listed_codings_and_their_qualities)
{
	CHECK_INT(fq_http_coding_q("gzip, deflate, br, zstd", "br"), 1000);
	CHECK_INT(fq_http_coding_q("gzip, deflate, br, zstd", "gzip"), 1000);
	CHECK_INT(fq_http_coding_q("gzip;q=0.5, br;q=0.25", "gzip"), 500);
	CHECK_INT(fq_http_coding_q("gzip;q=0.5, br;q=0.25", "br"), 250);
	CHECK_INT(fq_http_coding_q("gzip ; Q=0.125 ,br", "gzip"), 125);
	CHECK_INT(fq_http_coding_q("GZIP", "gzip"), 1000);
	CHECK_INT(fq_http_coding_q("x-gzip", "gzip"), 1000);
	CHECK_INT(fq_http_coding_q("gzip;q=1.000", "gzip"), 1000);
	CHECK_INT(fq_http_coding_q("deflate", "gzip"), 0);
}

TEST(q_zero_refuses)
{
	CHECK_INT(fq_http_coding_q("br;q=0, gzip", "br"), 0);
	CHECK_INT(fq_http_coding_q("br;q=0, gzip", "gzip"), 1000);
	CHECK_INT(fq_http_coding_q("gzip;q=0.000", "gzip"), 0);
	CHECK_INT(fq_http_coding_q("*;q=0", "gzip"), 0);
	CHECK_INT(fq_http_coding_q("*;q=0", "identity"), 0);
	CHECK_INT(fq_http_coding_q("identity;q=0, *;q=0", "identity"), 0);
	CHECK_INT(fq_http_coding_q("br, identity;q=0", "identity"), 0);
}

TEST(star_no_header_and_identity)
{
	CHECK_INT(fq_http_coding_q("*", "br"), 1000);
	CHECK_INT(fq_http_coding_q("gzip;q=0, *;q=0.3", "br"), 300);
	CHECK_INT(fq_http_coding_q("gzip;q=0, *;q=0.3", "gzip"), 0);
	CHECK_INT(fq_http_coding_q(NULL, "gzip"), 0);
	CHECK_INT(fq_http_coding_q(NULL, "identity"), 1000);
	CHECK_INT(fq_http_coding_q("", "br"), 0);
	CHECK_INT(fq_http_coding_q("", "identity"), 1000);
	CHECK_INT(fq_http_coding_q("gzip", "identity"), 1000);
}

TEST(malformed_entries_are_ignored)
{
	CHECK_INT(fq_http_coding_q("gzip;q=2, br", "gzip"), 0);
	CHECK_INT(fq_http_coding_q("gzip;q=2, br", "br"), 1000);
	CHECK_INT(fq_http_coding_q("gzip;q=0.5555", "gzip"), 0);
	CHECK_INT(fq_http_coding_q("gzip;q=abc", "gzip"), 0);
	CHECK_INT(fq_http_coding_q("gzip q=0, br", "gzip"), 0);
	CHECK_INT(fq_http_coding_q(";;;,,, br", "br"), 1000);
	CHECK_INT(fq_http_coding_q("br;level=5;q=0.5", "br"), 500);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(listed_codings_and_their_qualities),
    TEST_ENTRY(q_zero_refuses),
    TEST_ENTRY(star_no_header_and_identity),
    TEST_ENTRY(malformed_entries_are_ignored),
};

int main(int argc, char **argv)
{
	return fq_test_main("http/encoding", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
