/* Covers src/http/addr_limit.c: connections counted per client address. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "http/addr_limit.h"
#include "test.h"

static struct sockaddr_in v4(const char *addr, unsigned short port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	return sa;
}

#define SA(x) ((const struct sockaddr *)(const void *)&(x))

TEST(counts_per_address_not_per_port)
{
	struct fq_addr_limit *l = fq_addr_limit_new(2);
	struct sockaddr_in a1 = v4("10.0.0.1", 1000), a2 = v4("10.0.0.1", 2000),
			   b = v4("10.0.0.2", 1000);
	struct fq_addr_slot *s1, *s2, *s3, *t;
	bool over;

	CHECK(l);
	CHECK(!fq_addr_limit_full(l, SA(a1)));
	s1 = fq_addr_limit_take(l, SA(a1), &over);
	CHECK(s1 && !over);
	s2 = fq_addr_limit_take(l, SA(a2), &over); /* another port, the same address */
	CHECK(s2 == s1 && !over);
	CHECK(fq_addr_limit_full(l, SA(a1)));
	CHECK_INT(fq_addr_limit_count(l, SA(a1)), 2);
	/* Another address is not affected. */
	CHECK(!fq_addr_limit_full(l, SA(b)));
	t = fq_addr_limit_take(l, SA(b), &over);
	CHECK(t && !over);
	/* Past the limit: counted (until released) and over. */
	s3 = fq_addr_limit_take(l, SA(a1), &over);
	CHECK(s3 && over);
	CHECK_INT(fq_addr_limit_count(l, SA(a1)), 3);
	fq_addr_limit_release(l, s3);
	fq_addr_limit_release(l, s2);
	CHECK(!fq_addr_limit_full(l, SA(a1)));
	fq_addr_limit_release(l, s1);
	CHECK_INT(fq_addr_limit_count(l, SA(a1)), 0);
	CHECK_INT(fq_addr_limit_count(l, SA(b)), 1);
	fq_addr_limit_release(l, t);
	fq_addr_limit_release(l, NULL);
	fq_addr_limit_free(l);
}

TEST(ipv6_and_other_families)
{
	struct fq_addr_limit *l = fq_addr_limit_new(1);
	struct sockaddr_in6 a;
	struct sockaddr_un_like {
		sa_family_t family;
		char path[20];
	} u = {AF_UNIX, "x"};
	struct fq_addr_slot *s;
	bool over = true;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &a.sin6_addr);
	s = fq_addr_limit_take(l, SA(a), &over);
	CHECK(s && !over);
	CHECK(fq_addr_limit_full(l, SA(a)));
	fq_addr_limit_release(l, s);
	/* Not an IP address: never counted, never full. */
	CHECK(!fq_addr_limit_take(l, SA(u), &over));
	CHECK(!over);
	CHECK(!fq_addr_limit_full(l, SA(u)));
	fq_addr_limit_free(l);
}

/* Many threads taking and releasing slots of a few addresses: every count
 * returns to zero. */
static struct fq_addr_limit *shared;

static void *churn(void *arg)
{
	unsigned n = (unsigned)(size_t)arg;
	char addr[32];

	for (int i = 0; i < 2000; i++) {
		struct sockaddr_in sa;
		struct fq_addr_slot *s;
		bool over;

		snprintf(addr, sizeof(addr), "10.0.%u.%d", n % 3, i % 7);
		sa = v4(addr, 1);
		s = fq_addr_limit_take(shared, SA(sa), &over);
		fq_addr_limit_release(shared, s);
	}
	return NULL;
}

TEST(threads)
{
	pthread_t t[8];

	shared = fq_addr_limit_new(4);
	for (size_t i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	for (size_t i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (unsigned a = 0; a < 3; a++)
		for (int b = 0; b < 7; b++) {
			char addr[32];
			struct sockaddr_in sa;

			snprintf(addr, sizeof(addr), "10.0.%u.%d", a, b);
			sa = v4(addr, 1);
			CHECK_INT(fq_addr_limit_count(shared, SA(sa)), 0);
		}
	fq_addr_limit_free(shared);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(counts_per_address_not_per_port),
	TEST_ENTRY(ipv6_and_other_families),
	TEST_ENTRY(threads),
};

int main(int argc, char **argv)
{
	return fq_test_main("addr_limit", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc,
			    argv);
}
