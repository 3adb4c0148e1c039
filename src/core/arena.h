/* Per-request memory: everything a request allocates lives in its arena and is
 * released in one place. Non-memory resources register a cleanup that runs, in
 * reverse order, when the arena is released (nginx pool cleanups). */
#ifndef FQ_ARENA_H
#define FQ_ARENA_H

#include <stddef.h>

struct fq_arena;

struct fq_arena *fq_arena_new(void); /* NULL when out of memory */
/* Runs the cleanups and frees all memory; a NULL arena is ignored. */
void fq_arena_free(struct fq_arena *a);

/* Zeroed memory that lives until fq_arena_free; NULL when out of memory. */
void *fq_arena_alloc(struct fq_arena *a, size_t size);
char *fq_arena_strdup(struct fq_arena *a, const char *s);
char *fq_arena_strndup(struct fq_arena *a, const char *s, size_t len);
char *fq_arena_printf(struct fq_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Calls fn(data) when the arena is released. Returns 0, or -1 when out of
 * memory, in which case fn(data) has been called already. */
int fq_arena_cleanup(struct fq_arena *a, void (*fn)(void *), void *data);

#endif
