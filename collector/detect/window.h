/* window.h - sliding-window counters, bounded distinct sets and an LRU table
 * of per-key state, for behaviour detectors.
 *
 * A counter is a ring of sub-buckets: a window of W split in B buckets of
 * W/B each; a sum covers the B buckets ending with the one holding now, so
 * the answer is exact to one bucket width. A distinct set keeps 64-bit
 * hashes with the time each was last seen, exact up to its cap; when full
 * the stalest entry is replaced (so a count never exceeds the cap, and a cap
 * above every threshold keeps the comparison exact). The table maps a 64-bit
 * key to a fixed-size value; past max entries the least recently used one is
 * evicted and counted.
 */
#ifndef SW_WINDOW_H
#define SW_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#ifndef WIN_MAX_BUCKETS
#define WIN_MAX_BUCKETS 16
#endif
#ifndef WIN_SET_MAX
#define WIN_SET_MAX 1024 /* largest distinct-set cap */
#endif

struct win_count {
	uint64_t head;                  /* bucket index of the newest bucket + 1; 0 = empty */
	uint32_t b[WIN_MAX_BUCKETS];
};

/* Add n at now. window_ns > 0, 1 <= nb <= WIN_MAX_BUCKETS. */
void win_count_add(struct win_count *w, uint64_t window_ns, unsigned nb,
		   uint64_t now, uint32_t n);
/* Sum over the window ending at now (buckets older than it are not
 * counted; a now older than the newest bucket counts everything kept). */
uint64_t win_count_sum(const struct win_count *w, uint64_t window_ns,
		       unsigned nb, uint64_t now);

struct win_set_ent {
	uint64_t h;
	uint64_t ts;
};

struct win_set {
	uint32_t n, alloc;
	struct win_set_ent *e;
};

/* Insert or refresh h at now (entries older than now - window_ns are
 * dropped first when room is needed; growth stops at cap). Returns the
 * number of distinct hashes seen within the window, or -ENOMEM. */
int win_set_add(struct win_set *s, uint64_t h, uint64_t now,
		uint64_t window_ns, uint32_t cap);
/* Distinct hashes seen within the window ending at now. */
uint32_t win_set_count(const struct win_set *s, uint64_t now, uint64_t window_ns);
void win_set_clear(struct win_set *s); /* frees; s stays usable */
size_t win_set_bytes(const struct win_set *s);

/* --- LRU table ------------------------------------------------------------ */

struct win_table;

/* Called with a value before its entry is dropped (eviction or free), so
 * the value can release what it owns. */
typedef void (*win_value_fini)(void *value);

struct win_table *win_table_new(uint32_t max_entries, size_t value_size,
				win_value_fini fini);
void win_table_free(struct win_table *t); /* NULL ok */
/* Find key; when absent and create is set, insert a zeroed value (evicting
 * the least recently used entry when full; *created set). The found entry
 * becomes the most recently used. NULL when absent (or out of memory). */
void *win_table_get(struct win_table *t, uint64_t key, int create, int *created);
/* Look without touching the LRU order. */
void *win_table_peek(const struct win_table *t, uint64_t key);
uint32_t win_table_count(const struct win_table *t);
uint64_t win_table_evictions(const struct win_table *t);

#endif /* SW_WINDOW_H */
