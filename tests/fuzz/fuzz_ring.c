/* fuzz_ring.c - libFuzzer target: the shard ring file (common/ring.c).
 * Checks beyond the sanitizers: an accepted ring has 1..RING_MAX_SHARDS
 * shards with weights 1..RING_MAX_WEIGHT and a version; every owner is one
 * of its shards; the same text parsed again gives the same owners; a
 * refusal always says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct ring *r = ring_parse((const char *)data, size, err, sizeof(err)), *r2;
	size_t i, n;

	if (!r) {
		if (!err[0])
			abort(); /* refused without a reason */
		return 0;
	}
	n = ring_nshards(r);
	if (n < 1 || n > RING_MAX_SHARDS || ring_version(r) < 1)
		abort();
	for (i = 0; i < n; i++) {
		if (ring_shard_weight(r, i) < 1 || ring_shard_weight(r, i) > RING_MAX_WEIGHT ||
		    ring_find(r, ring_shard_name(r, i)) != (int)i)
			abort();
	}
	r2 = ring_parse((const char *)data, size, err, sizeof(err));
	if (!r2)
		abort();
	for (i = 0; i < 64; i++) {
		uint8_t ip[4] = { 10, (uint8_t)i, (uint8_t)(i * 7), 1 };
		uint8_t v6[16] = { 0x20, 0x01, (uint8_t)i, [15] = (uint8_t)size };
		uint64_t k = ring_key(ip, 4), k6 = ring_key(v6, 16);

		if (ring_owner(r, k) >= n || ring_owner(r, k) != ring_owner(r2, k) ||
		    ring_owner(r, k6) >= n || ring_owner(r, k6) != ring_owner(r2, k6))
			abort();
	}
	if (ring_owner(r, UINT64_MAX) != ring_owner(r, 0))
		abort();
	ring_free(r2);
	ring_free(r);
	return 0;
}
