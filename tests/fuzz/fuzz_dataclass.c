/* fuzz_dataclass.c - libFuzzer target: sensitive data classes over any
 * body or value. The first byte picks a JSON body (even) or one value
 * (odd) whose field name is the bytes before the first NUL. Checks: no
 * memory error, counts add up, every path reported starts with '$' and
 * fits its bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/inventory/dataclass.h"

struct tally {
	unsigned calls;
};

static void found(void *ctx, const char *path, enum dataclass_kind kind)
{
	struct tally *t = ctx;

	if (!path || path[0] != '$' || strlen(path) > DATACLASS_MAX_PATH + 2 ||
	    (unsigned)kind >= DATACLASS__COUNT)
		abort();
	t->calls++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dataclass_counts c;
	struct tally t = {0};
	unsigned n, sum = 0, k;
	const char *p;

	if (size < 1)
		return 0;
	memset(&c, 0, sizeof(c));
	p = (const char *)data + 1;
	size--;
	if (data[0] % 2 == 0) {
		n = dataclass_scan_json(p, size, &c, found, &t);
	} else {
		const char *nul = memchr(p, 0, size);
		size_t nlen = nul ? (size_t)(nul - p) : 0;
		size_t off = nul ? nlen + 1 : 0;

		n = dataclass_scan_value(nul ? p : NULL, nlen, p + off,
					 size - off, &c, found, &t);
	}
	for (k = 0; k < DATACLASS__COUNT; k++)
		sum += c.n[k];
	if (n != t.calls || n != c.total || sum != c.total)
		abort();
	return 0;
}
