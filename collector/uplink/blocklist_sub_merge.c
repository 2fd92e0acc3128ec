/* blocklist_sub_merge.c - one block list out of every shard's (see
 * blocklist_sub_merge.h).
 *
 * Subjects live in a chained hash table (bucket heads, then a chain of
 * subject records by index); each subject keeps the list of its holders
 * (one record per shard holding it, at most 64) and a mask of those
 * shards, and the merged entry is worked out from the holders on every
 * change. Each shard's records are also on a list of their own, so
 * dropping a shard walks only its entries. Records sit in two pools of
 * fixed-size slots addressed by index, grown by doubling up to their
 * bound and reused through a free list: every operation is O(1) on
 * average (plus the subject's holders), not a shift of a sorted array. */
#include "collector/uplink/blocklist_sub_merge.h"
#include "collector/uplink/blocklist_sub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#define NIL UINT32_MAX
#define NO_SHARD BLOCKLIST_SUB_MERGE_MAX_SHARDS

struct held {               /* one shard's entry for a subject */
	struct blocklist_entry e;
	uint32_t next;          /* the subject's next holder; free: next free */
	uint32_t sprev, snext;  /* this shard's records */
	uint32_t subj;
	uint8_t shard;
};

struct subj {
	uint32_t hnext;         /* next in its bucket; free: next free */
	uint32_t first;         /* its holders (struct held) */
	uint64_t mask;          /* the shards holding it */
};

struct pool {
	char *v;
	size_t esize, link;     /* slot size; offset of its free link */
	uint32_t n, cap, max;   /* slots ever used, allocated, allowed */
	uint32_t free;
};

struct port {
	struct blocklist_sub_merge *m;
	unsigned shard;
};

struct blocklist_sub_merge {
	struct blocklist_sub_merge_config cfg;
	uint32_t *bucket;
	uint32_t nbucket;       /* a power of two */
	uint64_t seed;
	struct pool held, subj;
	size_t subjects, nheld;
	unsigned quota;         /* held entries a shard may have */
	unsigned nshard[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	uint32_t shead[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	struct port ports[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	struct blocklist_sub_merge_stats st;
};

/* --- pools ----------------------------------------------------------- */

static void pool_init(struct pool *p, size_t esize, size_t link, uint32_t max)
{
	memset(p, 0, sizeof(*p));
	p->esize = esize;
	p->link = link;
	p->max = max;
	p->free = NIL;
}

static void *pool_at(const struct pool *p, uint32_t i)
{
	return p->v + (size_t)i * p->esize;
}

static uint32_t *pool_link(const struct pool *p, uint32_t i)
{
	return (uint32_t *)((char *)pool_at(p, i) + p->link);
}

/* Make sure pool_take has a slot; may move the slots. 0 or -ENOMEM. */
static int pool_reserve(struct pool *p)
{
	uint32_t cap;
	char *v;

	if (p->free != NIL || p->n < p->cap)
		return 0;
	if (p->cap >= p->max)
		return -ENOMEM;
	cap = p->cap ? p->cap * 2 : 256;
	if (cap > p->max)
		cap = p->max;
	v = realloc(p->v, (size_t)cap * p->esize);
	if (!v)
		return -ENOMEM;
	p->v = v;
	p->cap = cap;
	return 0;
}

static uint32_t pool_take(struct pool *p)
{
	uint32_t i = p->free;

	if (i != NIL) {
		p->free = *pool_link(p, i);
		return i;
	}
	return p->n++;
}

static void pool_give(struct pool *p, uint32_t i)
{
	*pool_link(p, i) = p->free;
	p->free = i;
}

/* --- subjects -------------------------------------------------------- */

/* The subject as the kernel apply keys it (blocklist_apply_entry): an
 * address entry by family, prefix and address alone (an identity it also
 * carries is not applied there), an identity-only entry by its identity. */
static int subject_eq(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	if (a->family != b->family)
		return 0;
	if (!a->family)
		return strcmp(a->identity, b->identity) == 0;
	return a->prefix_len == b->prefix_len && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* e as the kernel keys it: IPv4-mapped IPv6 (::ffff:a.b.c.d/(96+n)) is
 * IPv4 a.b.c.d/n there (enforce.c), so one subject here, or one shard's
 * removal of either form would take the other shard's block out of the
 * kernel. Returns e, or c holding the IPv4 form. */
static const struct blocklist_entry *canon(const struct blocklist_entry *e,
					   struct blocklist_entry *c)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };

	if (e->family != AF_INET6 || e->prefix_len < 96 || memcmp(e->addr, v4m, 12))
		return e;
	*c = *e;
	c->family = AF_INET;
	c->prefix_len = (uint8_t)(e->prefix_len - 96);
	memmove(c->addr, c->addr + 12, 4);
	memset(c->addr + 4, 0, sizeof(c->addr) - 4);
	return c;
}

/* FNV-1a from a per-table random seed, then MurmurHash3's fmix64. */
static uint32_t subject_bucket(const struct blocklist_sub_merge *m,
			       const struct blocklist_entry *e)
{
	uint64_t h = 0xcbf29ce484222325ull ^ m->seed;
	size_t i;

	h = (h ^ e->family) * 0x100000001b3ull;
	if (!e->family) {
		for (i = 0; e->identity[i]; i++)
			h = (h ^ (uint8_t)e->identity[i]) * 0x100000001b3ull;
	} else {
		h = (h ^ e->prefix_len) * 0x100000001b3ull;
		for (i = 0; i < sizeof(e->addr); i++)
			h = (h ^ e->addr[i]) * 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h & (m->nbucket - 1);
}

static struct held *H(const struct blocklist_sub_merge *m, uint32_t i)
{
	return pool_at(&m->held, i);
}

static struct subj *S(const struct blocklist_sub_merge *m, uint32_t i)
{
	return pool_at(&m->subj, i);
}

static uint32_t subj_find(const struct blocklist_sub_merge *m, const struct blocklist_entry *e)
{
	uint32_t i = m->bucket[subject_bucket(m, e)];

	while (i != NIL && !subject_eq(&H(m, S(m, i)->first)->e, e))
		i = S(m, i)->hnext;
	return i;
}

/* Shard sh's record for subject s, or NIL. */
static uint32_t holder_of(const struct blocklist_sub_merge *m, uint32_t s, unsigned sh)
{
	uint32_t i;

	if (s == NIL || !(S(m, s)->mask & (1ull << sh)))
		return NIL;
	for (i = S(m, s)->first; i != NIL && H(m, i)->shard != sh; i = H(m, i)->next)
		;
	return i;
}

/* Does a last longer than b? Never (0) outlasts every expiry. */
static int outlasts(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	if (!b->expires_us)
		return 0;
	return !a->expires_us || a->expires_us > b->expires_us;
}

/* The merged entry of subject s (NIL: none held), with shard sh's entry
 * taken as repl (NULL: sh holds none). Returns how many hold it; *out is
 * the entry of the one lasting longest (the lowest shard on a tie). */
static unsigned merged(const struct blocklist_sub_merge *m, uint32_t s, unsigned sh,
		       const struct blocklist_entry *repl, struct blocklist_entry *out)
{
	const struct blocklist_entry *best = NULL;
	unsigned n = 0, bsh = NO_SHARD;
	uint32_t i;

	for (i = s == NIL ? NIL : S(m, s)->first; i != NIL; i = H(m, i)->next) {
		const struct held *h = H(m, i);

		if (h->shard == sh)
			continue;
		if (!best || outlasts(&h->e, best) || (!outlasts(best, &h->e) && h->shard < bsh)) {
			best = &h->e;
			bsh = h->shard;
		}
		n++;
	}
	if (repl) {
		if (!best || outlasts(repl, best) || (!outlasts(best, repl) && sh < bsh))
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

/* Link a new record of shard sh for e under subject s (NIL: a new one). */
static void link_new(struct blocklist_sub_merge *m, uint32_t s, unsigned sh,
		     const struct blocklist_entry *e)
{
	uint32_t hi = pool_take(&m->held);
	struct held *h = H(m, hi);

	if (s == NIL) {
		uint32_t b = subject_bucket(m, e);

		s = pool_take(&m->subj);
		S(m, s)->hnext = m->bucket[b];
		S(m, s)->first = NIL;
		S(m, s)->mask = 0;
		m->bucket[b] = s;
		m->subjects++;
	}
	h->e = *e;
	h->shard = (uint8_t)sh;
	h->subj = s;
	h->next = S(m, s)->first;
	S(m, s)->first = hi;
	S(m, s)->mask |= 1ull << sh;
	h->sprev = NIL;
	h->snext = m->shead[sh];
	if (h->snext != NIL)
		H(m, h->snext)->sprev = hi;
	m->shead[sh] = hi;
	m->nshard[sh]++;
	m->nheld++;
}

/* Unlink and free record hi; its subject too when it was the last. */
static void unlink_held(struct blocklist_sub_merge *m, uint32_t hi)
{
	struct held *h = H(m, hi);
	uint32_t s = h->subj, b = subject_bucket(m, &h->e), *p;

	for (p = &S(m, s)->first; *p != hi; p = &H(m, *p)->next)
		;
	*p = h->next;
	S(m, s)->mask &= ~(1ull << h->shard);
	if (h->sprev != NIL)
		H(m, h->sprev)->snext = h->snext;
	else
		m->shead[h->shard] = h->snext;
	if (h->snext != NIL)
		H(m, h->snext)->sprev = h->sprev;
	m->nshard[h->shard]--;
	m->nheld--;
	pool_give(&m->held, hi);
	if (S(m, s)->first != NIL)
		return;
	for (p = &m->bucket[b]; *p != s; p = &S(m, *p)->hnext)
		;
	*p = S(m, s)->hnext;
	pool_give(&m->subj, s);
	m->subjects--;
}

/* --- the module ------------------------------------------------------ */

static uint64_t seed_new(void)
{
	uint64_t v = 0;
	struct timespec ts;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* no entropy yet: still varies */
	return (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec;
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
	for (m->nbucket = 16; m->nbucket < m->cfg.max_entries; m->nbucket *= 2)
		;
	m->bucket = malloc(m->nbucket * sizeof(*m->bucket));
	if (!m->bucket) {
		free(m);
		return NULL;
	}
	memset(m->bucket, 0xff, m->nbucket * sizeof(*m->bucket)); /* NIL */
	m->seed = seed_new();
	pool_init(&m->subj, sizeof(struct subj), offsetof(struct subj, hnext), m->cfg.max_entries);
	pool_init(&m->held, sizeof(struct held), offsetof(struct held, next),
		  2 * m->cfg.max_entries);
	for (i = 0; i < BLOCKLIST_SUB_MERGE_MAX_SHARDS; i++) {
		m->ports[i].m = m;
		m->ports[i].shard = i;
		m->shead[i] = NIL;
	}
	return m;
}

void blocklist_sub_merge_free(struct blocklist_sub_merge *m)
{
	if (!m)
		return;
	free(m->held.v);
	free(m->subj.v);
	free(m->bucket);
	free(m);
}

static int merge_add(struct blocklist_sub_merge *m, unsigned shard,
		     const struct blocklist_entry *e)
{
	struct blocklist_entry old, now;
	uint32_t s = subj_find(m, e), hi = holder_of(m, s, shard);
	int had = s != NIL, rc;

	/* a refusal is not a failure: the shard's other entries and its
	 * version go on (blocklist_sub would otherwise undo and retry the
	 * whole list forever) */
	if (hi == NIL && (m->nshard[shard] >= m->quota || m->nheld >= m->held.max)) {
		m->st.refused++;
		return 0;
	}
	if (!had && m->subjects >= m->cfg.max_entries) {
		m->st.full++;
		return 0;
	}
	/* room first, so a failure leaves the kernel as it was */
	if (hi == NIL && (pool_reserve(&m->held) < 0 || (!had && pool_reserve(&m->subj) < 0)))
		return -ENOMEM;
	if (had)
		merged(m, s, NO_SHARD, NULL, &old);
	merged(m, s, shard, e, &now);
	if ((!had || differs(&old, &now)) && (rc = down(m, &now, BLOCKLIST_ADD)) < 0)
		return rc;
	if (hi != NIL)
		H(m, hi)->e = *e;
	else
		link_new(m, s, shard, e);
	return 0;
}

static int merge_del(struct blocklist_sub_merge *m, unsigned shard,
		     const struct blocklist_entry *e)
{
	struct blocklist_entry old, now;
	uint32_t s = subj_find(m, e), hi = holder_of(m, s, shard);
	unsigned left;
	int rc;

	if (hi == NIL)
		return 0; /* this shard holds none: nothing changes */
	merged(m, s, NO_SHARD, NULL, &old);
	left = merged(m, s, shard, NULL, &now);
	if (!left)
		rc = down(m, &old, BLOCKLIST_DEL);
	else
		rc = differs(&old, &now) ? down(m, &now, BLOCKLIST_ADD) : 0;
	if (rc < 0)
		return rc;
	unlink_held(m, hi);
	if (left)
		m->st.kept++;
	return 0;
}

int blocklist_sub_merge_apply(struct blocklist_sub_merge *m, unsigned shard,
			      const struct blocklist_entry *e, int op)
{
	struct blocklist_entry c;

	if (shard >= BLOCKLIST_SUB_MERGE_MAX_SHARDS) {
		m->st.bad_shard++;
		return -EINVAL;
	}
	e = canon(e, &c);
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
	uint32_t i, next;

	if (shard >= BLOCKLIST_SUB_MERGE_MAX_SHARDS)
		return 0;
	/* only this shard's records; a removal frees record i alone */
	for (i = m->shead[shard]; i != NIL; i = next) {
		struct blocklist_entry e = H(m, i)->e;

		next = H(m, i)->snext;
		if (merge_del(m, shard, &e) == 0)
			n++; /* else kept; counted in apply_errors */
	}
	return n;
}

unsigned blocklist_sub_merge_shard_held(const struct blocklist_sub_merge *m, unsigned shard)
{
	return shard < BLOCKLIST_SUB_MERGE_MAX_SHARDS ? m->nshard[shard] : 0;
}

int blocklist_sub_merge_get(const struct blocklist_sub_merge *m,
			    const struct blocklist_entry *e, struct blocklist_entry *out)
{
	struct blocklist_entry c;

	return merged(m, subj_find(m, canon(e, &c)), NO_SHARD, NULL, out) > 0;
}

unsigned blocklist_sub_merge_holders(const struct blocklist_sub_merge *m,
				     const struct blocklist_entry *e)
{
	struct blocklist_entry c;
	uint32_t s = subj_find(m, canon(e, &c));

	return s == NIL ? 0 : (unsigned)__builtin_popcountll(S(m, s)->mask);
}

void blocklist_sub_merge_get_stats(const struct blocklist_sub_merge *m,
				   struct blocklist_sub_merge_stats *st)
{
	*st = m->st;
	st->subjects = m->subjects;
	st->held = m->nheld;
}
