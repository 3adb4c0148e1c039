/* Covers src/http/encoding.c: the quality Accept-Encoding gives a coding. */
#include <stdio.h>

#include "http/encoding.h"
#include "test.h"

static const struct {
	const char *accept, *coding;
	int q;
} cases[] = {
	/* listed codings and their qualities */
	{"gzip, deflate, br, zstd", "br", 1000},
	{"gzip, deflate, br, zstd", "gzip", 1000},
	{"gzip;q=0.5, br;q=0.25", "gzip", 500},
	{"gzip;q=0.5, br;q=0.25", "br", 250},
	{"gzip ; Q=0.125 ,br", "gzip", 125},
	{"GZIP", "gzip", 1000},
	{"x-gzip", "gzip", 1000},
	{"gzip;q=1.000", "gzip", 1000},
	{"deflate", "gzip", 0},
	/* q=0 refuses */
	{"br;q=0, gzip", "br", 0},
	{"br;q=0, gzip", "gzip", 1000},
	{"gzip;q=0.000", "gzip", 0},
	{"*;q=0", "gzip", 0},
	{"*;q=0", "identity", 0},
	{"identity;q=0, *;q=0", "identity", 0},
	{"br, identity;q=0", "identity", 0},
	/* "*", no header, identity */
	{"*", "br", 1000},
	{"gzip;q=0, *;q=0.3", "br", 300},
	{"gzip;q=0, *;q=0.3", "gzip", 0},
	{NULL, "gzip", 0},
	{NULL, "identity", 1000},
	{"", "br", 0},
	{"", "identity", 1000},
	{"gzip", "identity", 1000},
	/* malformed entries are ignored */
	{"gzip;q=2, br", "gzip", 0},
	{"gzip;q=2, br", "br", 1000},
	{"gzip;q=0.5555", "gzip", 0},
	{"gzip;q=abc", "gzip", 0},
	{"gzip q=0, br", "gzip", 0},
	{";;;,,, br", "br", 1000},
	{"br;level=5;q=0.5", "br", 500},
};

TEST(qualities_of_codings)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int q = fq_http_coding_q(cases[i].accept, cases[i].coding);
		if (q != cases[i].q) {
			fprintf(stderr, "  '%s' gives %s %d, want %d\n",
				cases[i].accept ? cases[i].accept : "(none)", cases[i].coding, q,
				cases[i].q);
			fq_test_failed_checks++;
		}
	}
}

static const struct fq_test tests[] = {
    TEST_ENTRY(qualities_of_codings),
};

int main(int argc, char **argv)
{
	return fq_test_main("http/encoding", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
