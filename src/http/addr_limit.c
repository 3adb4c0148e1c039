/* Counts the connections each client address holds (addr_limit.h), so that one
 * client cannot take every connection of the server. */
#include "http/addr_limit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/banned.h"

#define BUCKETS 1024 /* a power of two; the server holds at most 4096 connections */
#define KEY_MAX 17   /* family byte + an IPv6 address */

/* One address with connections; freed when its last one closes. */
struct fq_addr_slot {
	struct fq_addr_slot *next;
	unsigned char key[KEY_MAX];
	unsigned char len;
	unsigned count;
};

struct fq_addr_limit {
	pthread_mutex_t lock;
	unsigned max;
	struct fq_addr_slot *buckets[BUCKETS];
};

static bool make_key(const struct sockaddr *sa, unsigned char *key, unsigned char *len)
{
	if (sa && sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		*len = 5;
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		*len = 17;
		return true;
	}
	return false;
}

static unsigned hash(const unsigned char *key, unsigned char len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (unsigned char i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return h & (BUCKETS - 1);
}

/* The slot of key, or NULL; *link (when asked) is the pointer to it, or where it would go. */
static struct fq_addr_slot *find(struct fq_addr_limit *l, const unsigned char *key,
				 unsigned char len, struct fq_addr_slot ***link)
{
	struct fq_addr_slot **p = &l->buckets[hash(key, len)];

	for (; *p; p = &(*p)->next)
		if ((*p)->len == len && !memcmp((*p)->key, key, len))
			break;
	if (link)
		*link = p;
	return *p;
}

struct fq_addr_limit *fq_addr_limit_new(unsigned max)
{
	struct fq_addr_limit *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	l->max = max;
	return l;
}

void fq_addr_limit_free(struct fq_addr_limit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < BUCKETS; i++)
		while (l->buckets[i]) {
			struct fq_addr_slot *next = l->buckets[i]->next;
			free(l->buckets[i]);
			l->buckets[i] = next;
		}
	pthread_mutex_destroy(&l->lock);
	free(l);
}

bool fq_addr_limit_full(struct fq_addr_limit *l, const struct sockaddr *sa)
{
	unsigned char key[KEY_MAX], len;
	struct fq_addr_slot *slot;
	bool full;

	if (!make_key(sa, key, &len))
		return false;
	pthread_mutex_lock(&l->lock);
	slot = find(l, key, len, NULL);
	full = slot && slot->count >= l->max;
	pthread_mutex_unlock(&l->lock);
	return full;
}

struct fq_addr_slot *fq_addr_limit_take(struct fq_addr_limit *l, const struct sockaddr *sa,
					bool *over)
{
	unsigned char key[KEY_MAX], len;
	struct fq_addr_slot **link, *slot;

	*over = false;
	if (!make_key(sa, key, &len))
		return NULL;
	pthread_mutex_lock(&l->lock);
	slot = find(l, key, len, &link);
	if (!slot && (slot = calloc(1, sizeof(*slot)))) {
		memcpy(slot->key, key, len);
		slot->len = len;
		*link = slot;
	}
	if (slot)
		*over = ++slot->count > l->max;
	pthread_mutex_unlock(&l->lock);
	return slot;
}

void fq_addr_limit_release(struct fq_addr_limit *l, struct fq_addr_slot *slot)
{
	struct fq_addr_slot **link;

	if (!slot)
		return;
	pthread_mutex_lock(&l->lock);
	if (--slot->count == 0) {
		find(l, slot->key, slot->len, &link);
		*link = slot->next;
		free(slot);
	}
	pthread_mutex_unlock(&l->lock);
}

unsigned fq_addr_limit_count(struct fq_addr_limit *l, const struct sockaddr *sa)
{
	unsigned char key[KEY_MAX], len;
	struct fq_addr_slot *slot;
	unsigned n;

	if (!make_key(sa, key, &len))
		return 0;
	pthread_mutex_lock(&l->lock);
	slot = find(l, key, len, NULL);
	n = slot ? slot->count : 0;
	pthread_mutex_unlock(&l->lock);
	return n;
}
