/* fuzz_detect.c - libFuzzer target: the payload detectors' tokenizers and
 * decoders on any bytes, as a path, a query or form body, a header (scanned
 * or not), a cookie, a JSON body, an XML body and a multipart body (its
 * parts must lie inside it). The first byte picks where the value came from
 * and whether the per-thread cache of findings is used. Checks beyond the
 * sanitizers: at most max matches, each with a score in 0..100 and a
 * reason that is a terminated string; with the cache on, a second scan of
 * the same value finds the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/multipart.h"
#include "collector/detect/payload.h"

struct span {
	const char *lo, *hi;
};

/* every part's bytes lie inside the body given */
static void on_part(void *ctx, const struct multipart_part *p)
{
	const struct span *s = ctx;

	if (p->data < s->lo || p->data + p->len > s->hi ||
	    (p->name && (p->name < s->lo || p->name + p->name_len > s->hi)) ||
	    (p->filename && (p->filename < s->lo ||
			     p->filename + p->filename_len > s->hi)) ||
	    (p->ctype && (p->ctype < s->lo || p->ctype + p->ctype_len > s->hi)))
		abort();
}

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
	{
		/* multipart: the value as a Content-Type, then as a body */
		char bnd[MULTIPART_BOUNDARY_MAX + 1];
		size_t bl = multipart_boundary(v, size, bnd);
		struct span sp = { v, v + size };
		struct multipart_stats st;
		unsigned np;

		if (bl != strlen(bnd) || bl > MULTIPART_BOUNDARY_MAX)
			abort();
		np = multipart_each(v, size, bl ? bnd : "b", bl ? bl : 1,
				    data[0] & 1, on_part, &sp, &st);
		if (np != st.parts || np > MULTIPART_MAX_PARTS)
			abort();
	}
	return 0;
}
