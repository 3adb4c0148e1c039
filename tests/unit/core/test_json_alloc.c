/* The per-thread block lists behind jansson (core/json_alloc.c): blocks are
 * reused within a size class, never across, large blocks go to malloc, and a
 * thread's lists are released when it ends (LeakSanitizer checks that). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/json_alloc.h"
#include "test.h"

TEST(reuse_within_class)
{
	char *a = fq_json_block_malloc(20), *b, *c;

	CHECK(a && ((uintptr_t)a & 15) == 0);
	memset(a, 'x', 20);
	fq_json_block_free(a);
	b = fq_json_block_malloc(32); /* same class (17–32 bytes): the same block */
	CHECK(b == a);
	c = fq_json_block_malloc(33); /* the next class: another block */
	CHECK(c && c != a);
	memset(c, 'y', 33);
	fq_json_block_free(b);
	fq_json_block_free(c);
	fq_json_block_free(NULL);
}

TEST(large_and_zero)
{
	char *big = fq_json_block_malloc(100000), *zero = fq_json_block_malloc(0);

	CHECK(big && zero);
	memset(big, 'z', 100000);
	fq_json_block_free(big);
	fq_json_block_free(zero);
}

/* Many blocks: more than a list keeps, so some go back to malloc. */
static void *churn(void *arg)
{
	static char *blocks[10000];

	(void)arg;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 10000; i++) {
			/* two in three of one size: past what its list keeps */
			blocks[i] = fq_json_block_malloc(i % 3 ? 8 : (size_t)(i % 300) + 1);
			if (!blocks[i])
				return NULL;
			blocks[i][0] = (char)i;
		}
		for (int i = 0; i < 10000; i++)
			fq_json_block_free(blocks[i]);
	}
	return arg;
}

TEST(thread_lists_released)
{
	pthread_t t;
	void *ret = NULL;

	CHECK(!pthread_create(&t, NULL, churn, (void *)1));
	CHECK(!pthread_join(t, &ret));
	CHECK(ret == (void *)1);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(reuse_within_class),
	TEST_ENTRY(large_and_zero),
	TEST_ENTRY(thread_lists_released),
};

int main(int argc, char **argv)
{
	return fq_test_main("json_alloc", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
