/* fuzz_detect.c - libFuzzer target: the payload detectors' tokenizers and
 * decoders on any bytes, as a path, a query or form body, a header (scanned
 * or not), a cookie, a JSON body and an XML body. The first byte picks where the value came from
 * and whether the per-thread cache of findings is used. Checks beyond the
 * sanitizers: at most max matches, each with a score in 0..100 and a
 * reason that is a terminated string; with the cache on, a second scan of
 * the same value finds the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/payload.h"

static void check(const struct payload_match *m, int n, int max)
{
	if (n < 0 || n > max)
		abort();
	for (int i = 0; i < n; i++)
		if (m[i].score < 0 || m[i].score > 100 ||
		    !memchr(m[i].why, '\0', sizeof(m[i].why)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payload_match a[8], b[8];
	const char *v;
	unsigned where;
	int n, k;

	if (size < 1)
		return 0;
	where = 1 + data[0] % 5; /* PAYLOAD_WHERE_PATH .. PAYLOAD_WHERE_BODY */
	payload_cache_enable(data[0] & 0x80);
	v = (const char *)data + 1;
	size--;
	n = payload_scan(v, size, where, a, 8);
	check(a, n, 8);
	k = payload_scan(v, size, where, b, 8); /* cached, or scanned again */
	if (k != n || (n && (a[0].kind != b[0].kind || a[0].score != b[0].score)))
		abort();
	check(a, payload_scan_query(v, size, where, a, 8), 8);
	check(a, payload_scan_json(v, size, a, 8), 8);
	check(a, payload_scan_cookie(v, size, a, 8), 8);
	check(a, payload_scan_xml(v, size, a, 8), 8);
	check(a, payload_scan_any_header(v, size, a, 8), 8);
	return 0;
}
