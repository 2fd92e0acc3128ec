/* fuzz_inflate.c - libFuzzer target: the bounded DEFLATE decoder against
 * zlib. The first byte picks the wrapper (low 2 bits) and the output
 * bound (the rest, times 257). Checks: nothing past the bound, input used
 * within the input, a known status; where ours ends a stream cleanly
 * (one member), zlib ends it too with the same bytes and the same input
 * used; where zlib ends one whose output fits, ours does too. Wrapper 3
 * (HTTP deflate: the same streams as raw or zlib) runs the history mode
 * instead (inflate_run_hist, RFC 7692's window): raw DEFLATE after cap / 2
 * bytes of history, checked against zlib given them as its dictionary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/inflate.h"

#define CAP_MAX (63 * 257 + 1)

static uint8_t ours[CAP_MAX + 16], theirs[CAP_MAX + 1];

/* zlib's inflate of the whole input: 1 when a stream ended, with its
 * output length and the input it took */
static int zinflate(int wbits, const uint8_t *in, size_t n, size_t cap,
		    size_t *out_len, size_t *used)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		abort();
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = theirs;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	*out_len = z.total_out;
	*used = z.total_in;
	inflateEnd(&z);
	return rc == Z_STREAM_END;
}

/* inflate_run_hist after hist bytes of history, against zlib with them as
 * a raw stream's dictionary */
static void hist_mode(const uint8_t *data, size_t size, size_t cap)
{
	size_t hist = cap / 2, zl = 0, zu = 0;
	struct inflate_result r;
	z_stream z;
	int rc;

	for (size_t i = 0; i < hist; i++)
		ours[i] = (uint8_t)(i * 7 ^ i >> 3);
	memset(ours + cap, 0xa5, 16);
	inflate_run_hist(data, size, ours, hist, cap, 0, &r);
	if (hist + r.out_len > cap || r.in_used > size || (unsigned)r.status >= INFLATE__COUNT)
		abort();
	for (int i = 0; i < 16; i++)
		if (ours[cap + i] != 0xa5)
			abort();
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK || (hist && inflateSetDictionary(&z, ours, (uInt)hist) != Z_OK))
		abort();
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)size;
	z.next_out = theirs;
	z.avail_out = (uInt)(cap - hist + 1);
	rc = inflate(&z, Z_FINISH);
	zl = z.total_out;
	zu = z.total_in;
	inflateEnd(&z);
	if ((r.status == INFLATE_OK || r.status == INFLATE_TRAILING) &&
	    (rc != Z_STREAM_END || zl != r.out_len || zu != r.in_used ||
	     memcmp(ours + hist, theirs, zl)))
		abort();
	if (rc == Z_STREAM_END && zl <= cap - hist && r.members == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int wbits[4] = { -15, 15, 31, 0 };
	struct inflate_result r;
	enum inflate_wrap w;
	size_t cap, zl = 0, zu = 0;
	int zend;

	if (size < 1)
		return 0;
	w = (enum inflate_wrap)(data[0] & 3);
	cap = (size_t)(data[0] >> 2) * 257 + 1;
	data++;
	size--;
	if (w == INFLATE_DEFLATE) {
		hist_mode(data, size, cap);
		return 0;
	}
	memset(ours + cap, 0xa5, 16);
	inflate_run(w, data, size, ours, cap, 0, &r);
	if (r.out_len > cap || r.in_used > size || (unsigned)r.status >= INFLATE__COUNT)
		abort();
	for (int i = 0; i < 16; i++)
		if (ours[cap + i] != 0xa5)
			abort();
	zend = zinflate(wbits[w], data, size, cap + 1, &zl, &zu);
	if ((r.status == INFLATE_OK || r.status == INFLATE_TRAILING) && r.members == 1 &&
	    (!zend || zl != r.out_len || zu != r.in_used ||
	     memcmp(ours, theirs, zl)))
		abort();
	if (zend && zl <= cap && r.members == 0)
		abort();
	return 0;
}
