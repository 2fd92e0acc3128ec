/* sortarr.c - a growable sorted array (see sortarr.h). */
#include "common/sortarr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SORTARR_FIRST_CAP 16

void sortarr_init(struct sortarr *a, size_t size, size_t max, sortarr_cmp_fn cmp)
{
	*a = (struct sortarr){ .size = size, .max = max, .cmp = cmp };
}

void sortarr_free(struct sortarr *a)
{
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

size_t sortarr_lower(const struct sortarr *a, const void *key)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->cmp(sortarr_at(a, mid), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void *equal_at(const struct sortarr *a, size_t i, const void *key)
{
	return i < a->n && a->cmp(sortarr_at(a, i), key) == 0 ? sortarr_at(a, i) : NULL;
}

void *sortarr_find(const struct sortarr *a, const void *key)
{
	return equal_at(a, sortarr_lower(a, key), key);
}

static int grow(struct sortarr *a)
{
	size_t cap = a->cap ? a->cap * 2 : SORTARR_FIRST_CAP;
	void *v;

	if (a->max && cap > a->max)
		cap = a->max;
	v = realloc(a->v, cap * a->size);
	if (!v)
		return -ENOMEM;
	a->v = v;
	a->cap = cap;
	return 0;
}

int sortarr_put(struct sortarr *a, const void *elem)
{
	size_t i = sortarr_lower(a, elem);
	void *x = equal_at(a, i, elem);

	if (x) {
		memcpy(x, elem, a->size);
		return 0;
	}
	if (a->max && a->n >= a->max)
		return -ENOSPC;
	if (a->n == a->cap && grow(a) < 0)
		return -ENOMEM;
	memmove(sortarr_at(a, i + 1), sortarr_at(a, i), (a->n - i) * a->size);
	memcpy(sortarr_at(a, i), elem, a->size);
	a->n++;
	return 0;
}

int sortarr_del(struct sortarr *a, const void *key)
{
	size_t i = sortarr_lower(a, key);

	if (!equal_at(a, i, key))
		return -ENOENT;
	memmove(sortarr_at(a, i), sortarr_at(a, i + 1), (a->n - i - 1) * a->size);
	a->n--;
	return 0;
}
