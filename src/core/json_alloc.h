/* Memory for jansson's values: small blocks kept per thread for reuse.
 *
 * An answer is a tree of thousands of small values (a page of 50 incidents
 * is about 9,000 allocations), all made and freed within the request; the C
 * library's malloc and free were 30% of such a request's instructions
 * (callgrind). Blocks of up to 256 bytes freed by a thread are kept in that
 * thread's lists, 16-byte size classes, at most 4,096 per class, and given
 * back when the thread ends. Larger blocks go to malloc. */
#ifndef FQ_JSON_ALLOC_H
#define FQ_JSON_ALLOC_H

#include <stddef.h>

/* Makes jansson allocate through the per-thread lists. Call once, before
 * any jansson value exists (fq_cli_main). Does nothing in builds with
 * AddressSanitizer, so that it still sees every use after free. */
void fq_json_alloc_init(void);

/* The allocator itself, for its tests. */
void *fq_json_block_malloc(size_t size);
void fq_json_block_free(void *p);

#endif
