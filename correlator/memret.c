/* memret.c - see memret.h. */
#include "correlator/memret.h"

#include <malloc.h>
#include <stdatomic.h>

static _Atomic uint64_t released_bytes, releases, trims;
static uint64_t trimmed_at; /* releases at the last trim (main loop only) */

void memret_init(void)
{
	/* setting it also stops glibc from raising it after each freed
	 * mapping, which would put the next peak's blocks in the heap */
	mallopt(M_MMAP_THRESHOLD, (int)MEMRET_MMAP_MIN);
}

void memret_count(size_t bytes)
{
	atomic_fetch_add_explicit(&released_bytes, bytes, memory_order_relaxed);
	atomic_fetch_add_explicit(&releases, 1, memory_order_relaxed);
}

void memret_sbuf(struct sbuf *b, size_t keep)
{
	if (b->cap <= keep)
		return;
	memret_count(b->cap);
	sbuf_free(b);
}

int memret_tick(void)
{
	uint64_t r = atomic_load_explicit(&releases, memory_order_relaxed);

	if (r == trimmed_at)
		return 0;
	trimmed_at = r;
	malloc_trim(0);
	atomic_fetch_add_explicit(&trims, 1, memory_order_relaxed);
	return 1;
}

void memret_get_stats(struct memret_stats *s)
{
	s->released_bytes = atomic_load_explicit(&released_bytes, memory_order_relaxed);
	s->releases = atomic_load_explicit(&releases, memory_order_relaxed);
	s->trims = atomic_load_explicit(&trims, memory_order_relaxed);
}
