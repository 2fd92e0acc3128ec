/* blocklist_sub_merge.c - one block list out of every shard's (see
 * blocklist_sub_merge.h). The (subject, shard) entries are kept in one
 * sorted array (common/sortarr.h), subject first, so the holders of a
 * subject sit next to each other; the merged entry is worked out from
 * them on every change. */
#include "collector/uplink/blocklist_sub_merge.h"
#include "collector/uplink/blocklist_sub.h"
#include "common/sortarr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct held {
	struct blocklist_entry e; /* this shard's entry for the subject */
	unsigned shard;
};

struct port {
	struct blocklist_sub_merge *m;
	unsigned shard;
};

struct blocklist_sub_merge {
	struct blocklist_sub_merge_config cfg;
	struct sortarr held;        /* struct held, by subject then shard */
	size_t subjects;
	unsigned quota;             /* held entries a shard may have */
	unsigned nheld[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	struct port ports[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	struct blocklist_sub_merge_stats st;
};

/* The subject as the kernel apply keys it (blocklist_apply_entry): an
 * address entry by family, prefix and address alone (an identity it also
 * carries is not applied there), an identity-only entry by its identity. */
static int subject_cmp(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (!a->family)
		return strcmp(a->identity, b->identity);
	if (a->prefix_len != b->prefix_len)
		return a->prefix_len < b->prefix_len ? -1 : 1;
	c = memcmp(a->addr, b->addr, sizeof(a->addr));
	return c;
}

static int held_cmp(const void *pa, const void *pb)
{
	const struct held *a = pa, *b = pb;
	int c = subject_cmp(&a->e, &b->e);

	if (c)
		return c;
	return a->shard < b->shard ? -1 : a->shard > b->shard;
}

struct blocklist_sub_merge *blocklist_sub_merge_new(const struct blocklist_sub_merge_config *cfg)
{
	struct blocklist_sub_merge *m;
	unsigned i;

	if (!cfg || !cfg->apply)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->cfg = *cfg;
	if (!m->cfg.max_entries || m->cfg.max_entries > BLOCKLIST_SUB_MAX_ENTRIES)
		m->cfg.max_entries = BLOCKLIST_SUB_MAX_ENTRIES;
	m->quota = m->cfg.max_entries;
	sortarr_init(&m->held, sizeof(struct held), 0, held_cmp);
	for (i = 0; i < BLOCKLIST_SUB_MERGE_MAX_SHARDS; i++) {
		m->ports[i].m = m;
		m->ports[i].shard = i;
	}
	return m;
}

void blocklist_sub_merge_free(struct blocklist_sub_merge *m)
{
	if (!m)
		return;
	sortarr_free(&m->held);
	free(m);
}

/* The holders of e's subject: [*lo, return value). */
static size_t holders(const struct blocklist_sub_merge *m, const struct blocklist_entry *e,
		      size_t *lo)
{
	struct held key = { .e = *e, .shard = 0 };
	size_t i = sortarr_lower(&m->held, &key);

	*lo = i;
	while (i < m->held.n &&
	       subject_cmp(&((const struct held *)sortarr_at(&m->held, i))->e, e) == 0)
		i++;
	return i;
}

/* Does a last longer than b? Never (0) outlasts every expiry. */
static int outlasts(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	if (!b->expires_us)
		return 0;
	return !a->expires_us || a->expires_us > b->expires_us;
}

/* The merged entry over the holders [lo, hi), with shard sh's entry taken
 * as repl (NULL: sh holds none). Returns how many hold it; *out is the
 * entry of the one lasting longest (the first in shard order on a tie). */
static unsigned merged(const struct blocklist_sub_merge *m, size_t lo, size_t hi,
		       unsigned sh, const struct blocklist_entry *repl,
		       struct blocklist_entry *out)
{
	const struct blocklist_entry *best = NULL;
	unsigned n = 0;
	size_t i;

	for (i = lo; i < hi; i++) {
		const struct held *h = sortarr_at(&m->held, i);
		const struct blocklist_entry *e = &h->e;

		if (h->shard == sh)
			continue;
		if (!best || outlasts(e, best))
			best = e;
		n++;
	}
	if (repl) {
		if (!best || outlasts(repl, best))
			best = repl;
		n++;
	}
	if (best)
		*out = *best;
	return n;
}

static int differs(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	return a->expires_us != b->expires_us || strcmp(a->rule, b->rule) != 0;
}

static int down(struct blocklist_sub_merge *m, const struct blocklist_entry *e, int op)
{
	int rc = m->cfg.apply(m->cfg.ctx, e, op);

	if (rc < 0) {
		m->st.apply_errors++;
		return rc;
	}
	if (op == BLOCKLIST_ADD)
		m->st.adds++;
	else
		m->st.dels++;
	return 0;
}

static int merge_add(struct blocklist_sub_merge *m, unsigned shard,
		     const struct blocklist_entry *e)
{
	struct blocklist_entry old, now;
	struct held h = { .e = *e, .shard = shard };
	size_t lo, hi = holders(m, e, &lo);
	unsigned had = merged(m, lo, hi, BLOCKLIST_SUB_MERGE_MAX_SHARDS, NULL, &old);
	int mine = sortarr_find(&m->held, &h) != NULL;
	int rc;

	/* a refusal is not a failure: the shard's other entries and its
	 * version go on (blocklist_sub would otherwise undo and retry the
	 * whole list forever) */
	if (!mine && (m->nheld[shard] >= m->quota || m->held.n >= 2 * (size_t)m->cfg.max_entries)) {
		m->st.refused++;
		return 0;
	}
	if (!had && m->subjects >= m->cfg.max_entries) {
		m->st.full++;
		return 0;
	}
	merged(m, lo, hi, shard, e, &now);
	if ((!had || differs(&old, &now)) && (rc = down(m, &now, BLOCKLIST_ADD)) < 0)
		return rc;
	if (sortarr_put(&m->held, &h) < 0) {
		/* put the kernel back as it was */
		if (!had)
			m->cfg.apply(m->cfg.ctx, &now, BLOCKLIST_DEL);
		else if (differs(&old, &now))
			m->cfg.apply(m->cfg.ctx, &old, BLOCKLIST_ADD);
		return -ENOMEM;
	}
	if (!had)
		m->subjects++;
	if (!mine)
		m->nheld[shard]++;
	return 0;
}

static int merge_del(struct blocklist_sub_merge *m, unsigned shard,
		     const struct blocklist_entry *e)
{
	struct blocklist_entry old, now;
	struct held key = { .e = *e, .shard = shard };
	size_t lo, hi;
	unsigned left;
	int rc;

	if (!sortarr_find(&m->held, &key))
		return 0; /* this shard holds none: nothing changes */
	hi = holders(m, e, &lo);
	merged(m, lo, hi, BLOCKLIST_SUB_MERGE_MAX_SHARDS, NULL, &old);
	left = merged(m, lo, hi, shard, NULL, &now);
	if (!left)
		rc = down(m, &old, BLOCKLIST_DEL);
	else
		rc = differs(&old, &now) ? down(m, &now, BLOCKLIST_ADD) : 0;
	if (rc < 0)
		return rc;
	sortarr_del(&m->held, &key);
	m->nheld[shard]--;
	if (left)
		m->st.kept++;
	else
		m->subjects--;
	return 0;
}

int blocklist_sub_merge_apply(struct blocklist_sub_merge *m, unsigned shard,
			      const struct blocklist_entry *e, int op)
{
	if (shard >= BLOCKLIST_SUB_MERGE_MAX_SHARDS) {
		m->st.bad_shard++;
		return -EINVAL;
	}
	if (op == BLOCKLIST_ADD)
		return merge_add(m, shard, e);
	if (op == BLOCKLIST_DEL)
		return merge_del(m, shard, e);
	return -EINVAL;
}

void blocklist_sub_merge_set_shards(struct blocklist_sub_merge *m, unsigned n)
{
	if (!n)
		n = 1;
	m->quota = m->cfg.max_entries / n;
	if (!m->quota)
		m->quota = 1;
}

void *blocklist_sub_merge_port(struct blocklist_sub_merge *m, unsigned shard)
{
	if (shard >= BLOCKLIST_SUB_MERGE_MAX_SHARDS) {
		m->st.bad_shard++;
		return NULL;
	}
	return &m->ports[shard];
}

int blocklist_sub_merge_port_apply(void *port, const struct blocklist_entry *e, int op)
{
	struct port *p = port;

	return blocklist_sub_merge_apply(p->m, p->shard, e, op);
}

unsigned blocklist_sub_merge_drop_shard(struct blocklist_sub_merge *m, unsigned shard)
{
	unsigned n = 0;
	size_t i = 0;

	/* a removal shifts the array: look at index i again after one */
	while (i < m->held.n) {
		struct held h = *(struct held *)sortarr_at(&m->held, i);

		if (h.shard != shard) {
			i++;
			continue;
		}
		if (merge_del(m, shard, &h.e) < 0) {
			i++; /* kept; counted in apply_errors */
			continue;
		}
		n++;
	}
	return n;
}

int blocklist_sub_merge_get(const struct blocklist_sub_merge *m,
			    const struct blocklist_entry *e, struct blocklist_entry *out)
{
	size_t lo, hi = holders(m, e, &lo);

	return merged(m, lo, hi, BLOCKLIST_SUB_MERGE_MAX_SHARDS, NULL, out) > 0;
}

unsigned blocklist_sub_merge_holders(const struct blocklist_sub_merge *m,
				     const struct blocklist_entry *e)
{
	size_t lo, hi = holders(m, e, &lo);

	return (unsigned)(hi - lo);
}

void blocklist_sub_merge_get_stats(const struct blocklist_sub_merge *m,
				   struct blocklist_sub_merge_stats *st)
{
	*st = m->st;
	st->subjects = m->subjects;
	st->held = m->held.n;
}
