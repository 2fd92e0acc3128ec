/* memret.h - the correlator gives memory back after a peak.
 *
 * Its buffers are pooled: each received batch's rows, each writer's COPY
 * stream and array literals, the fleet detectors' staging. They grow to
 * the largest batch seen, which an honest collector keeps small (128
 * events) and anyone holding a key can make 8 MiB. A buffer past its
 * keep size is freed when its work is done (and grows again only if
 * another such batch comes); large blocks are always mapped on their
 * own (a fixed mmap threshold, not glibc's sliding one), so freeing them
 * returns them to the kernel; once a second at most, after a release,
 * malloc_trim gives back what the heaps hold free.
 */
#ifndef SW_MEMRET_H
#define SW_MEMRET_H

#include <stddef.h>
#include <stdint.h>

#include "common/textesc.h"

/* A pooled buffer past this is freed after use: 8 times an honest batch's
 * rows (128 events of at most ~5 kB each, usually ~0.5 kB). */
#define MEMRET_KEEP (1u << 20)
/* Blocks from this size on are mapped on their own. */
#define MEMRET_MMAP_MIN (256u << 10)

/* Once, at start (before threads): fix the mmap threshold. */
void memret_init(void);

/* Free b if it holds more than keep bytes; thread-safe (counts). */
void memret_sbuf(struct sbuf *b, size_t keep);
/* Count bytes given back another way (e.g. an array shrunk). */
void memret_count(size_t bytes);

/* From the main loop: malloc_trim when something was released since the
 * last trim; returns 1 when it trimmed. */
int memret_tick(void);

struct memret_stats {
	uint64_t released_bytes; /* buffers freed or shrunk after a peak */
	uint64_t releases;
	uint64_t trims;          /* malloc_trim passes */
};
void memret_get_stats(struct memret_stats *s);

#endif /* SW_MEMRET_H */
