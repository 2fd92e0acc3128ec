/* payload_trav_rows.h - the score-range runner the traversal red teams'
 * unit tests share (test_payload_rtp3.c, test_payload_rtp4.c): each value
 * is judged as a query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query); the highest
 * path_traversal score must lie in the row's range in both. Static: each
 * test is its own program. Include after cmocka.h. */
#ifndef SW_TEST_PAYLOAD_TRAV_ROWS_H
#define SW_TEST_PAYLOAD_TRAV_ROWS_H

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct srow {
	const char *in;
	int lo, hi; /* the top path_traversal score lies in [lo, hi] (0: none) */
};

static int top_trav(const struct payload_match *m, int k)
{
	int best = 0;

	for (int i = 0; i < k; i++)
		if (m[i].kind == PAYLOAD_TRAVERSAL && m[i].score > best)
			best = m[i].score;
	return best;
}

static int form_score(const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	struct payload_match m[PAYLOAD__COUNT];
	char body[4096];
	size_t w = (size_t)snprintf(body, sizeof(body), "a=1&q=");

	for (const unsigned char *p = (const unsigned char *)v; *p && w + 4 < sizeof(body); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.') {
			body[w++] = (char)*p;
		} else {
			body[w++] = '%';
			body[w++] = hex[*p >> 4];
			body[w++] = hex[*p & 15];
		}
	}
	return top_trav(m, payload_scan_query(body, w, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT));
}

static void run(const char *name, const struct srow *t, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		int q = top_trav(m, payload_scan(t[i].in, strlen(t[i].in), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT));
		int f = form_score(t[i].in);
		if (q < t[i].lo || q > t[i].hi || f < t[i].lo || f > t[i].hi) {
			bad++;
			fprintf(stderr, "  FAIL %s: query %d form %d, want %d..%d: %s\n", name, q, f, t[i].lo, t[i].hi,
				t[i].in);
		}
	}
	assert_int_equal(bad, 0);
}

#endif
