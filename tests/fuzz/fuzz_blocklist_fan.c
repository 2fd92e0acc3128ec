/* fuzz_blocklist_fan.c - libFuzzer target: block list messages from three
 * correlator shards (snapshots, deltas, ticks; bytes as they come off the
 * shards' sockets) into a collector's fan-out without sockets
 * (blocklist_sub_fan.h) and one merged list (blocklist_sub_merge.h). Each
 * message takes 3 header bytes, then a 16-bit length (little-endian):
 * as in fuzz_blocklist.c bit 0 of the first is snapshot (1) or delta (0)
 * and bit 1 expires every shard's due entries at a time from the byte;
 * bits 2-7 (mod 3) choose the shard. Checks beyond the sanitizers, after
 * every message: every merged subject is held by a shard, and a shard's
 * entry missing from the merged list only after a refusal was counted
 * (quota, full); the downstream holds exactly the merged subjects outside
 * the protected set (loopback, link-local, the ring's host) and not
 * covering the ring's host, and nothing exceeds its bound (subjects, each
 * shard's quota). Subjects are keyed as the kernel keys them (an address
 * entry by its cidr alone, IPv4-mapped IPv6 as IPv4). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "collector/enforce/shield.h"
#include "collector/uplink/blocklist_sub_fan.h"
#include "common/ring.h"

#define MAXE 32

/* ::ffff:a.b.c.d/(96+n) as a.b.c.d/n */
static struct blocklist_entry as_kernel(const struct blocklist_entry *e)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };
	struct blocklist_entry k = *e;

	if (k.family == AF_INET6 && k.prefix_len >= 96 && !memcmp(k.addr, v4m, 12)) {
		k.family = AF_INET;
		k.prefix_len -= 96;
		memmove(k.addr, k.addr + 12, 4);
		memset(k.addr + 4, 0, 12);
	}
	return k;
}

static int same_subject(const struct blocklist_entry *x, const struct blocklist_entry *y)
{
	struct blocklist_entry ka = as_kernel(x), kb = as_kernel(y);
	const struct blocklist_entry *a = &ka, *b = &kb;

	if (a->family != b->family)
		return 0;
	if (!a->family)
		return !strcmp(a->identity, b->identity);
	return a->prefix_len == b->prefix_len && !memcmp(a->addr, b->addr, 16);
}

/* a small set of subjects */
struct set {
	struct blocklist_entry v[3 * MAXE];
	size_t n;
};

static size_t set_find(const struct set *s, const struct blocklist_entry *e)
{
	size_t i;

	for (i = 0; i < s->n && !same_subject(&s->v[i], e); i++)
		;
	return i;
}

static struct set down;    /* what the downstream holds */
static int down_bad;       /* more subjects than the merge may hold */

static int apply(void *ctx, const struct blocklist_entry *e, int op)
{
	size_t i = set_find(&down, e);

	(void)ctx;
	if (op == BLOCKLIST_ADD && i == down.n) {
		if (down.n == MAXE)
			down_bad = 1;
		else
			down.v[down.n++] = *e;
	} else if (op == BLOCKLIST_ADD) {
		down.v[i] = *e;
	} else if (i < down.n) {
		down.v[i] = down.v[--down.n];
	}
	return 0;
}

struct seen {
	struct set merged;       /* shard entries the merged list holds */
	struct blocklist_sub_merge *m;
	int missing, bad;
};

static void collect(void *ctx, const struct blocklist_entry *e)
{
	struct seen *s = ctx;
	struct blocklist_entry got;

	if (!blocklist_sub_merge_get(s->m, e, &got)) {
		s->missing = 1; /* a shard holds it, the merged list does not */
		return;
	}
	if (set_find(&s->merged, e) == s->merged.n)
		s->merged.v[s->merged.n++] = *e;
}

/* Every merged subject not protected is downstream, nothing else is. */
static int down_matches(const struct seen *s, const struct shield *prot,
			const struct shield *ring_hosts)
{
	size_t i, want = 0;

	for (i = 0; i < s->merged.n; i++) {
		const struct blocklist_entry *e = &s->merged.v[i];

		if (e->family && (shield_contains(prot, e->family, e->addr, e->prefix_len) ||
				  shield_overlaps(ring_hosts, e->family, e->addr, e->prefix_len)))
			continue;
		want++;
		if (set_find(&down, e) == down.n)
			return 0;
	}
	return want == down.n;
}

static const char RING[] = "version 1\na tcp://127.0.0.1:7450 1\n"
			   "b tcp://127.0.0.1:7460 1\nc tcp://127.0.0.1:7470 1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blocklist_sub_fan_config cfg = { .no_sockets = 1, .max_entries = MAXE,
						.apply = apply };
	static struct shield prot, ring_hosts;
	static struct seen s;
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	struct blocklist_sub_merge *m;
	struct ring *r;
	char err[256];
	size_t off = 0, i;

	r = ring_parse(RING, sizeof(RING) - 1, err, sizeof(err));
	if (!r)
		abort();
	memset(&down, 0, sizeof(down));
	down_bad = 0;
	shield_init(&prot);
	shield_add_endpoint(&prot, "tcp://127.0.0.1:7450");
	memset(&ring_hosts, 0, sizeof(ring_hosts));
	shield_add_endpoint(&ring_hosts, "tcp://127.0.0.1:7450");
	f = blocklist_sub_fan_new(&cfg, r, err, sizeof(err));
	ring_free(r);
	if (!f)
		return 0;
	m = blocklist_sub_fan_merge(f);
	while (off + 3 <= size) {
		uint8_t h = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		struct blocklist_sub *b;

		off += 3;
		if (len > size - off)
			len = size - off;
		b = blocklist_sub_fan_shard_sub(f, (size_t)(h >> 2) % 3);
		if (h & 1)
			blocklist_sub_on_snapshot(b, data + off, len);
		else
			blocklist_sub_on_delta(b, data + off, len);
		if (h & 2)
			for (i = 0; i < 3; i++)
				blocklist_sub_expire(blocklist_sub_fan_shard_sub(f, i), (uint64_t)h << 40);
		off += len;
		memset(&s, 0, sizeof(s));
		s.m = m;
		for (i = 0; i < 3; i++)
			blocklist_sub_foreach(blocklist_sub_fan_shard_sub(f, i), collect, &s);
		blocklist_sub_fan_get_stats(f, &st);
		if (s.bad || down_bad || st.merge.subjects != s.merged.n ||
		    st.merge.subjects > MAXE || !down_matches(&s, &prot, &ring_hosts) ||
		    (s.missing && !st.merge.refused && !st.merge.full))
			abort();
		for (i = 0; i < 3; i++)
			if (blocklist_sub_merge_shard_held(m, (unsigned)i) > MAXE / 3)
				abort();
	}
	blocklist_sub_fan_free(f);
	return 0;
}
