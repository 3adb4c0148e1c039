/* A minimal test harness. Each test binary defines its tests with TEST(name),
 * lists them in a TESTS table and calls fq_test_main. A failed CHECK reports the
 * file, line and expression and fails the current test; the run ends with the
 * line "N passed, N failed". */
#ifndef FQ_TEST_H
#define FQ_TEST_H

#include <stdio.h>
#include <string.h>

struct fq_test {
	const char *name;
	void (*fn)(void);
};

extern int fq_test_failed_checks;

#define TEST(name) static void name(void)
#define TEST_ENTRY(name) {#name, name}

#define CHECK(expr)                                                                        \
	do {                                                                               \
		if (!(expr)) {                                                             \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
				#expr);                                                    \
			fq_test_failed_checks++;                                           \
		}                                                                          \
	} while (0)

#define CHECK_INT(a, b)                                                                    \
	do {                                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);                        \
		if (a_ != b_) {                                                            \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__,     \
				__LINE__, #a, a_, b_);                                     \
			fq_test_failed_checks++;                                           \
		}                                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		const char *a_ = (a), *b_ = (b);                                           \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                        \
			fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, \
				__LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");     \
			fq_test_failed_checks++;                                           \
		}                                                                          \
	} while (0)

/* Runs the tests whose name contains argv[1] (all when absent); returns the
 * exit status. */
int fq_test_main(const char *suite, const struct fq_test *tests, int count, int argc,
		 char **argv);

#endif
