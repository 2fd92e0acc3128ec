/* fuzz_ingest.c - libFuzzer target: what a collector (or anyone holding a
 * collector key) sends the correlator. A batch is decoded (nanopb, the
 * options' bounds), its strings cleaned, its rows built for COPY; then the
 * COPY stream is assembled as the writers do. Checks beyond the
 * sanitizers: a batch that decodes has a clean host name, its rows
 * always frame, it holds no more endpoint summaries than a batch may, and
 * each one kept passes the summary rules again unchanged. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "correlator/ingest.h"
#include "correlator/invcheck.h"
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
		if (ingest_copy_proj_rows(&out, &b) == -EINVAL ||
		    b.nproj > b.projected)
			abort(); /* and so do the projections kept */
		ingest_copy_trailer(&out);
		if (b.ninv + b.inv_rejected > INGEST_MAX_ENDPOINTS)
			abort();
		for (n = 0; n < b.ninv; n++) {
			sidewatch_EndpointSummary again = b.inv[n];

			if (invcheck_summary(&again, lim.recv_us) < 0 ||
			    memcmp(&again, &b.inv[n], sizeof(again)))
				abort(); /* kept ones follow the rules */
		}
	}
	sbuf_free(&out);
	return 0;
}
