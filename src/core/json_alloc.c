/* Per-thread lists of small blocks for jansson (see json_alloc.h). */
#include "core/json_alloc.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define CLASS_SIZE 16
#define CLASSES 16 /* blocks of 16, 32, …, 256 bytes */
#define KEEP 4096  /* free blocks kept per class and thread */

/* Before each block: its class (0: a large block of malloc's), padded so
 * that the block keeps malloc's 16-byte alignment. */
struct head {
	uint32_t cls;
	uint32_t unused[3];
};

struct free_block {
	struct free_block *next;
};

struct cache {
	struct free_block *list[CLASSES];
	unsigned count[CLASSES];
};

static _Thread_local struct cache cache;
static _Thread_local int registered;
static pthread_key_t exit_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* At the end of a thread: its kept blocks go back to malloc. */
static void release(void *arg)
{
	struct cache *c = arg;

	for (int k = 0; k < CLASSES; k++) {
		while (c->list[k]) {
			struct free_block *b = c->list[k];
			c->list[k] = b->next;
			free((struct head *)b - 1);
		}
		c->count[k] = 0;
	}
}

static void make_key(void)
{
	(void)pthread_key_create(&exit_key, release);
}

void *fq_json_block_malloc(size_t size)
{
	size_t k = size ? (size - 1) / CLASS_SIZE : 0; /* class index */
	struct head *h;

	if (k < CLASSES && cache.list[k]) {
		struct free_block *b = cache.list[k];
		cache.list[k] = b->next;
		cache.count[k]--;
		return b;
	}
	if (k >= CLASSES) {
		if (!(h = malloc(sizeof(*h) + size)))
			return NULL;
		h->cls = 0;
		return h + 1;
	}
	if (!registered) {
		/* the first block of this thread: have its lists released at exit */
		registered = 1;
		pthread_once(&key_once, make_key);
		(void)pthread_setspecific(exit_key, &cache);
	}
	if (!(h = malloc(sizeof(*h) + (k + 1) * CLASS_SIZE)))
		return NULL;
	h->cls = (uint32_t)k + 1;
	return h + 1;
}

void fq_json_block_free(void *p)
{
	struct head *h;
	uint32_t k;

	if (!p)
		return;
	h = (struct head *)p - 1;
	k = h->cls - 1;
	/* large, or a list already full (blocks freed by another thread than the
	 * one that made them can pile up there) */
	if (!h->cls || cache.count[k] >= KEEP || !registered) {
		free(h);
		return;
	}
	((struct free_block *)p)->next = cache.list[k];
	cache.list[k] = p;
	cache.count[k]++;
}

void fq_json_alloc_init(void)
{
#if !defined(__SANITIZE_ADDRESS__)
	json_set_alloc_funcs(fq_json_block_malloc, fq_json_block_free);
#endif
}
