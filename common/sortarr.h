/* sortarr.h - a growable array kept sorted by the caller's comparison:
 * binary search, insert-or-replace, remove. For sets looked up far more
 * often than changed, walked in order, and small enough that shifting the
 * tail on a change costs less than a hash table's memory (the collector's
 * blocked identities, the correlator's active block list).
 *
 * The comparison is qsort's: cmp(a, b) < 0 when a sorts before b; a key
 * is an element with at least the compared fields filled. Elements are
 * copied in and out by value; a pointer into the array is valid until the
 * next put or del.
 */
#ifndef SW_SORTARR_H
#define SW_SORTARR_H

#include <stddef.h>

typedef int (*sortarr_cmp_fn)(const void *a, const void *b);

struct sortarr {
	void *v;            /* n elements of size bytes, in cmp order */
	size_t n, cap;
	size_t size;        /* bytes per element */
	size_t max;         /* most elements it may hold; 0: no bound */
	sortarr_cmp_fn cmp;
};

void sortarr_init(struct sortarr *a, size_t size, size_t max, sortarr_cmp_fn cmp);
/* Frees the elements; a stays usable (empty). */
void sortarr_free(struct sortarr *a);

static inline void *sortarr_at(const struct sortarr *a, size_t i)
{
	return (char *)a->v + i * a->size;
}

/* Index of the first element not before key: where key is or would go
 * (n when every element sorts before it). */
size_t sortarr_lower(const struct sortarr *a, const void *key);
/* The element equal to key, or NULL. */
void *sortarr_find(const struct sortarr *a, const void *key);
/* Replace the element equal to elem, else insert elem where it belongs.
 * Returns 0, -ENOSPC (max elements held, elem is new) or -ENOMEM. */
int sortarr_put(struct sortarr *a, const void *elem);
/* Remove the element equal to key: 0, or -ENOENT when there is none. */
int sortarr_del(struct sortarr *a, const void *key);

#endif /* SW_SORTARR_H */
