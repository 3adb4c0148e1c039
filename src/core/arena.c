/* The arena: per-request memory freed at once, with clean-ups for other
 * resources. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 8192

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *data;
};

struct fq_arena {
	struct arena_block *blocks;
	struct arena_cleanup *cleanups;
};

struct fq_arena *fq_arena_new(void)
{
	return calloc(1, sizeof(struct fq_arena));
}

void fq_arena_free(struct fq_arena *a)
{
	if (!a)
		return;
	while (a->cleanups) {
		struct arena_cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->data);
		free(c);
	}
	while (a->blocks) {
		struct arena_block *b = a->blocks;
		a->blocks = b->next;
		free(b);
	}
	free(a);
}

void *fq_arena_alloc(struct fq_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct arena_block *b = a->blocks;
	void *p;

	/* Rounding up and the block header must not wrap round. */
	if (size > SIZE_MAX - sizeof(*b) - align)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (!size)
		size = align;
	if (!b || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = bsize;
		/* A big one-off block goes behind the current one so the current
		 * block's free space stays usable. */
		if (a->blocks && size > ARENA_BLOCK) {
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = a->blocks;
			a->blocks = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *fq_arena_strndup(struct fq_arena *a, const char *s, size_t len)
{
	char *p = fq_arena_alloc(a, len + 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

char *fq_arena_strdup(struct fq_arena *a, const char *s)
{
	return s ? fq_arena_strndup(a, s, strlen(s)) : NULL;
}

char *fq_arena_printf(struct fq_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = fq_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int fq_arena_cleanup(struct fq_arena *a, void (*fn)(void *), void *data)
{
	struct arena_cleanup *c = malloc(sizeof(*c));

	if (!c) {
		fn(data);
		return -1;
	}
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}
