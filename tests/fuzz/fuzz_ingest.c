/* fuzz_ingest.c - libFuzzer target: what a collector (or anyone holding a
 * collector key) sends the correlator. A batch is decoded (nanopb, the
 * options' bounds), its strings cleaned, its rows built for COPY; then the
 * COPY stream is assembled as the writers do. Checks beyond the
 * sanitizers: a batch that decodes has a clean host name, and its rows
 * always frame. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "correlator/ingest.h"
#include "common/textesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_limits lim = { .recv_us = 1800000000000000ull,
				     .ts_lo_us = 1700000000000000ull,
				     .ts_hi_us = 1900000000000000ull };
	static struct ingest_batch b; /* large: not on the stack */
	struct sbuf out = {0};
	char why[256];
	size_t n;

	if (ingest_decode(data, size, &lim, &b, why, sizeof(why)) == 0) {
		n = strlen(b.host);
		if (!n || tx_utf8_valid_prefix(b.host, n) != n)
			abort();
		ingest_copy_header(&out);
		if (ingest_copy_rows(&out, &b) == -EINVAL)
			abort(); /* rows made by ingest_decode always frame */
		ingest_copy_trailer(&out);
	}
	sbuf_free(&out);
	return 0;
}
