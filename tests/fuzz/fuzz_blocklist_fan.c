/* fuzz_blocklist_fan.c - libFuzzer target: block list messages from three
 * correlator shards (snapshots, deltas, ticks; bytes as they come off the
 * shards' sockets) into a collector's fan-out without sockets
 * (blocklist_sub_fan.h) and one merged list (blocklist_sub_merge.h). Each
 * message takes 3 header bytes, then a 16-bit length (little-endian):
 * as in fuzz_blocklist.c bit 0 of the first is snapshot (1) or delta (0)
 * and bit 1 expires every shard's due entries at a time from the byte;
 * bits 2-7 (mod 3) choose the shard. Checks beyond the sanitizers, after every message: the
 * merged list is exactly the union of the shards' lists (every entry of a
 * shard is in it, and it holds as many subjects as the union), the
 * downstream holds what the merge holds, and nothing exceeds its bound. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/uplink/blocklist_sub_fan.h"
#include "common/ring.h"

#define MAXE 32

static long applied; /* subjects the downstream holds */
static struct blocklist_sub_merge *merge_of;

/* The downstream counts subjects: an ADD of one the merge holds already
 * is a replace (the merge records a new subject after this call). */
static int apply(void *ctx, const struct blocklist_entry *e, int op)
{
	(void)ctx;
	if (op == BLOCKLIST_ADD && !blocklist_sub_merge_holders(merge_of, e))
		applied++;
	else if (op == BLOCKLIST_DEL)
		applied--;
	return 0;
}

/* the union of the shards' lists, by subject */
struct seen {
	struct blocklist_entry v[3 * MAXE];
	size_t n;
	struct blocklist_sub_merge *m;
	int bad;
};

static int same_subject(const struct blocklist_entry *a, const struct blocklist_entry *b)
{
	return a->family == b->family && a->prefix_len == b->prefix_len &&
	       !memcmp(a->addr, b->addr, 16) && !strcmp(a->identity, b->identity);
}

static void collect(void *ctx, const struct blocklist_entry *e)
{
	struct seen *s = ctx;
	struct blocklist_entry got;
	size_t i;

	if (!blocklist_sub_merge_get(s->m, e, &got))
		s->bad = 1; /* a shard holds it, the merged list does not */
	for (i = 0; i < s->n; i++)
		if (same_subject(&s->v[i], e))
			return;
	if (s->n < 3 * MAXE)
		s->v[s->n++] = *e;
}

static const char RING[] = "version 1\na tcp://127.0.0.1:7450 1\n"
			   "b tcp://127.0.0.1:7460 1\nc tcp://127.0.0.1:7470 1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blocklist_sub_fan_config cfg = { .no_sockets = 1, .max_entries = MAXE,
						.apply = apply };
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	struct ring *r;
	struct seen s;
	char err[256];
	size_t off = 0, i;

	r = ring_parse(RING, sizeof(RING) - 1, err, sizeof(err));
	if (!r)
		abort();
	applied = 0;
	f = blocklist_sub_fan_new(&cfg, r, err, sizeof(err));
	ring_free(r);
	if (!f)
		return 0;
	merge_of = blocklist_sub_fan_merge(f);
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
		s.m = merge_of;
		for (i = 0; i < 3; i++)
			blocklist_sub_foreach(blocklist_sub_fan_shard_sub(f, i), collect, &s);
		blocklist_sub_fan_get_stats(f, &st);
		if (s.bad || st.merge.subjects != s.n || st.merge.subjects > MAXE ||
		    (long)st.merge.subjects != applied)
			abort();
	}
	blocklist_sub_fan_free(f);
	return 0;
}
