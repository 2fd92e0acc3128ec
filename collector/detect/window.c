/* window.c - sliding-window counters, distinct sets, LRU table. */
#include "collector/detect/window.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bucket_width(uint64_t window_ns, unsigned nb)
{
	uint64_t w = window_ns / nb;

	return w ? w : 1;
}

static unsigned clamp_nb(unsigned nb)
{
	if (nb < 1)
		return 1;
	return nb > WIN_MAX_BUCKETS ? WIN_MAX_BUCKETS : nb;
}

void win_count_add(struct win_count *w, uint64_t window_ns, unsigned nb,
		   uint64_t now, uint32_t n)
{
	uint64_t idx, next;

	nb = clamp_nb(nb);
	idx = now / bucket_width(window_ns, nb);
	next = idx + 1;
	if (w->head == 0 || next >= w->head + nb) {
		/* empty, or every kept bucket is older than the window */
		memset(w->b, 0, sizeof(w->b));
		w->head = next;
	} else if (next > w->head) {
		/* rotate: clear the buckets that now stand for new slots */
		for (uint64_t i = w->head; i < next; i++)
			w->b[i % nb] = 0;
		w->head = next;
	} else if (w->head - next >= nb) {
		return; /* older than anything the ring still holds */
	}
	if (w->b[idx % nb] > UINT32_MAX - n)
		w->b[idx % nb] = UINT32_MAX;
	else
		w->b[idx % nb] += n;
}

uint64_t win_count_sum(const struct win_count *w, uint64_t window_ns,
		       unsigned nb, uint64_t now)
{
	uint64_t cur, lo, sum = 0;

	nb = clamp_nb(nb);
	if (w->head == 0)
		return 0;
	cur = now / bucket_width(window_ns, nb);
	if (cur + 1 < w->head)
		cur = w->head - 1; /* clock behind the newest bucket: count all */
	/* buckets [cur - nb + 1, cur] that the ring still holds */
	lo = cur + 1 >= nb ? cur + 1 - nb : 0;
	if (w->head > nb && lo < w->head - nb)
		lo = w->head - nb;
	for (uint64_t i = lo; i < w->head && i <= cur; i++)
		sum += w->b[i % nb];
	return sum;
}

/* --- distinct sets ---------------------------------------------------------- */

static int fresh(uint64_t ts, uint64_t now, uint64_t window_ns)
{
	return ts + window_ns > now || ts > now;
}

uint32_t win_set_count(const struct win_set *s, uint64_t now, uint64_t window_ns)
{
	uint32_t c = 0;

	for (uint32_t i = 0; i < s->n; i++)
		if (fresh(s->e[i].ts, now, window_ns))
			c++;
	return c;
}

static void set_compact(struct win_set *s, uint64_t now, uint64_t window_ns)
{
	uint32_t j = 0;

	for (uint32_t i = 0; i < s->n; i++)
		if (fresh(s->e[i].ts, now, window_ns))
			s->e[j++] = s->e[i];
	s->n = j;
}

int win_set_add(struct win_set *s, uint64_t h, uint64_t now,
		uint64_t window_ns, uint32_t cap)
{
	uint32_t i;

	if (cap < 1)
		cap = 1;
	if (cap > WIN_SET_MAX)
		cap = WIN_SET_MAX;
	for (i = 0; i < s->n; i++) {
		if (s->e[i].h == h) {
			if (now > s->e[i].ts)
				s->e[i].ts = now;
			return (int)win_set_count(s, now, window_ns);
		}
	}
	if (s->n == s->alloc && s->alloc >= cap)
		set_compact(s, now, window_ns);
	if (s->n == s->alloc && s->alloc < cap) {
		uint32_t na = s->alloc ? s->alloc * 2 : 8;
		struct win_set_ent *ne;

		if (na > cap)
			na = cap;
		ne = realloc(s->e, (size_t)na * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		s->e = ne;
		s->alloc = na;
	}
	if (s->n < s->alloc && s->n < cap) {
		s->e[s->n].h = h;
		s->e[s->n].ts = now;
		s->n++;
	} else {
		/* full of fresh entries: the stalest one gives way */
		uint32_t old = 0;

		for (i = 1; i < s->n; i++)
			if (s->e[i].ts < s->e[old].ts)
				old = i;
		s->e[old].h = h;
		s->e[old].ts = now;
	}
	return (int)win_set_count(s, now, window_ns);
}

void win_set_clear(struct win_set *s)
{
	free(s->e);
	s->e = NULL;
	s->n = s->alloc = 0;
}

size_t win_set_bytes(const struct win_set *s)
{
	return (size_t)s->alloc * sizeof(*s->e);
}

/* --- LRU table -------------------------------------------------------------- */

struct win_ent {
	uint64_t key;
	struct win_ent *hnext;        /* hash chain */
	struct win_ent *prev, *next;  /* LRU list, head = most recent */
	_Alignas(8) unsigned char value[];
};

struct win_table {
	uint32_t max, count, mask;
	size_t value_size;
	win_value_fini fini;
	uint64_t evictions;
	struct win_ent **slots;
	struct win_ent *head, *tail;
};

static uint32_t slot_of(const struct win_table *t, uint64_t key)
{
	/* keys are hashes already; fold the high half in anyway */
	return (uint32_t)((key ^ (key >> 29) ^ (key >> 47)) & t->mask);
}

struct win_table *win_table_new(uint32_t max_entries, size_t value_size,
				win_value_fini fini)
{
	struct win_table *t;
	uint32_t n = 16;

	if (max_entries < 1)
		max_entries = 1;
	while (n < max_entries && n < (1u << 30))
		n <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->slots = calloc(n, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	t->mask = n - 1;
	t->max = max_entries;
	t->value_size = value_size;
	t->fini = fini;
	return t;
}

static void lru_unlink(struct win_table *t, struct win_ent *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		t->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		t->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct win_table *t, struct win_ent *e)
{
	e->prev = NULL;
	e->next = t->head;
	if (t->head)
		t->head->prev = e;
	t->head = e;
	if (!t->tail)
		t->tail = e;
}

static void drop(struct win_table *t, struct win_ent *e)
{
	struct win_ent **pp = &t->slots[slot_of(t, e->key)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(t, e);
	if (t->fini)
		t->fini(e->value);
	free(e);
	t->count--;
}

void win_table_free(struct win_table *t)
{
	struct win_ent *e, *n;

	if (!t)
		return;
	for (e = t->head; e; e = n) {
		n = e->next;
		if (t->fini)
			t->fini(e->value);
		free(e);
	}
	free(t->slots);
	free(t);
}

void *win_table_peek(const struct win_table *t, uint64_t key)
{
	struct win_ent *e;

	for (e = t->slots[slot_of(t, key)]; e; e = e->hnext)
		if (e->key == key)
			return e->value;
	return NULL;
}

void *win_table_get(struct win_table *t, uint64_t key, int create, int *created)
{
	struct win_ent *e;
	uint32_t s = slot_of(t, key);

	if (created)
		*created = 0;
	for (e = t->slots[s]; e; e = e->hnext) {
		if (e->key == key) {
			if (t->head != e) {
				lru_unlink(t, e);
				lru_push(t, e);
			}
			return e->value;
		}
	}
	if (!create)
		return NULL;
	if (t->count >= t->max && t->tail) {
		drop(t, t->tail);
		t->evictions++;
	}
	e = calloc(1, sizeof(*e) + t->value_size);
	if (!e)
		return NULL;
	e->key = key;
	e->hnext = t->slots[s];
	t->slots[s] = e;
	lru_push(t, e);
	t->count++;
	if (created)
		*created = 1;
	return e->value;
}

uint32_t win_table_count(const struct win_table *t)
{
	return t->count;
}

uint64_t win_table_evictions(const struct win_table *t)
{
	return t->evictions;
}
