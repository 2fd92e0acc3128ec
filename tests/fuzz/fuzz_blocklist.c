/* fuzz_blocklist.c - libFuzzer target: block list messages as a collector
 * receives them from the correlator's PUB socket (snapshots and deltas),
 * applied to a list without sockets. The first byte chooses, per message,
 * snapshot or delta and where the next message starts. Checks beyond the
 * sanitizers: the list never holds more than its bound, and the version
 * never goes back except through a snapshot. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/uplink/blocklist_sub.h"

static int apply(void *ctx, const struct blocklist_entry *e, int op)
{
	(void)ctx;
	(void)e;
	(void)op;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blocklist_sub_config cfg = { .max_entries = 64, .apply = apply };
	struct blocklist_sub_stats st;
	struct blocklist_sub *b;
	char err[256];
	size_t off = 0;

	b = blocklist_sub_new(&cfg, err, sizeof(err));
	if (!b)
		return 0;
	while (off + 3 <= size) {
		uint8_t h = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		uint64_t before = blocklist_sub_version(b);

		off += 3;
		if (len > size - off)
			len = size - off;
		if (h & 1) {
			blocklist_sub_on_snapshot(b, data + off, len);
		} else {
			blocklist_sub_on_delta(b, data + off, len);
			if (blocklist_sub_version(b) < before)
				abort(); /* a delta never takes the list back */
		}
		if (h & 2)
			blocklist_sub_expire(b, (uint64_t)h << 40);
		blocklist_sub_get_stats(b, &st);
		if (st.entries > 64)
			abort();
		off += len;
	}
	blocklist_sub_free(b);
	return 0;
}
