#include "test.h"

int fq_test_failed_checks;

int fq_test_main(const char *suite, const struct fq_test *tests, int count, int argc,
		 char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < count; i++) {
		int before = fq_test_failed_checks;

		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		tests[i].fn();
		if (fq_test_failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s: %s\n", suite, tests[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}
