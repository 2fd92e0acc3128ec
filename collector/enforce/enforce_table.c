/* enforce_table.c - hygiene of the kernel's block table (see
 * enforce_table.h). */
#include "collector/enforce/enforce_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

struct held {
	struct sw_block_key key;
	uint64_t expires_ns;
};

static int expired(const struct sw_block_val *v, uint64_t now_ns)
{
	return v->expires_ns && v->expires_ns <= now_ns;
}

int enforce_table_sweep(struct enforce_table *t, int fd, uint64_t now_ns)
{
	struct sw_block_key *dead, k, next;
	struct sw_block_val v;
	const void *from = t->have_cursor ? &t->cursor : NULL;
	int n = 0, seen = 0, rc = 0;

	dead = malloc(ENFORCE_TABLE_SLICE * sizeof(*dead));
	if (!dead)
		return -ENOMEM;
	/* a deleted or missing cursor makes the trie start again at its
	 * first key: the cursor is only ever a key that stays */
	while (seen < ENFORCE_TABLE_SLICE) {
		if (bpf_map_get_next_key(fd, from, &next)) {
			t->have_cursor = 0; /* the end: the next slice starts over */
			break;
		}
		k = next;
		from = &k;
		seen++;
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue; /* gone meanwhile (the drop program deletes too) */
		if (expired(&v, now_ns)) {
			dead[n++] = k;
		} else {
			t->cursor = k;
			t->have_cursor = 1;
		}
	}
	for (int i = 0; i < n; i++) {
		if (bpf_map_delete_elem(fd, &dead[i]) == 0)
			t->st.swept++;
		else if (errno != ENOENT)
			rc = -errno;
	}
	free(dead);
	return rc ? rc : n;
}

/* soonest to expire first */
static int by_expiry(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return (x->expires_ns > y->expires_ns) - (x->expires_ns < y->expires_ns);
}

int enforce_table_make_room(struct enforce_table *t, int fd, uint64_t now_ns)
{
	const size_t want = SW_MAX_BLOCKS / 16;
	struct held *h = malloc((SW_MAX_BLOCKS + 1) * sizeof(*h));
	struct sw_block_key k, next;
	struct sw_block_val v;
	const void *from = NULL;
	size_t n = 0, freed = 0;
	int rc = 0;

	if (!h)
		return -ENOMEM;
	/* every entry with a TTL; without one an entry is never evicted */
	while (n <= SW_MAX_BLOCKS && bpf_map_get_next_key(fd, from, &next) == 0) {
		k = next;
		from = &k;
		if (bpf_map_lookup_elem(fd, &k, &v) || !v.expires_ns)
			continue;
		h[n].key = k;
		h[n].expires_ns = v.expires_ns;
		n++;
	}
	qsort(h, n, sizeof(*h), by_expiry);
	for (size_t i = 0; i < n; i++) {
		int is_expired = h[i].expires_ns <= now_ns;

		if (!is_expired && freed >= want)
			break;
		if (bpf_map_delete_elem(fd, &h[i].key)) {
			if (errno != ENOENT)
				rc = -errno;
			continue;
		}
		freed++;
		if (is_expired)
			t->st.swept++;
		else
			t->st.evicted++;
	}
	free(h);
	t->have_cursor = 0;
	if (!freed)
		t->st.full++;
	return rc && !freed ? rc : (int)freed;
}
