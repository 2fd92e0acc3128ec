/* h2_build.h - building HTTP/2 input by hand for unit tests: a header
 * field as an HPACK literal without indexing, new name, no Huffman
 * (RFC 7541 6.2.2; names and values under 128 bytes). Header-only. */
#ifndef SW_TEST_H2_BUILD_H
#define SW_TEST_H2_BUILD_H

#include <stdint.h>
#include <string.h>

/* Writes the field at p; returns its length. */
static inline size_t h2b_lit(uint8_t *p, const char *n, const char *v)
{
	size_t nl = strlen(n), vl = strlen(v);

	p[0] = 0;
	p[1] = (uint8_t)nl;
	memcpy(p + 2, n, nl);
	p[2 + nl] = (uint8_t)vl;
	memcpy(p + 3 + nl, v, vl);
	return 3 + nl + vl;
}

#endif
