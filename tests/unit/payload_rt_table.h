/* payload_rt_table.h - the table runner the red teams' unit tests share
 * (test_payload_rt.c, test_payload_rtt.c, test_payload_rtx.c): every value
 * is judged as a query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query); an attack must draw
 * its own kind in both, a benign value nothing in either. Static: each
 * test is its own program. Include after cmocka.h. */
#ifndef SW_TEST_PAYLOAD_RT_TABLE_H
#define SW_TEST_PAYLOAD_RT_TABLE_H

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct rtcase {
	const char *in;
	enum payload_kind want; /* PAYLOAD_NONE: nothing may match */
};

/* v's matches in context ctx (0: a query value; 1: percent-encoded as
 * the second field of a form body "a=1&q=..."), at most PAYLOAD__COUNT */
static int rt_scan(const char *v, int ctx, struct payload_match *m)
{
	static char body[8192];
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	if (ctx == 0)
		return payload_scan(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	w = (size_t)snprintf(body, sizeof(body), "a=1&q=");
	for (const unsigned char *p = (const unsigned char *)v; *p && w + 4 < sizeof(body); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.') {
			body[w++] = (char)*p;
		} else if (*p == ' ') {
			body[w++] = '+';
		} else {
			body[w++] = '%';
			body[w++] = hex[*p >> 4];
			body[w++] = hex[*p & 15];
		}
	}
	return payload_scan_query(body, w, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT);
}

/* the highest score of kind (PAYLOAD__COUNT: of any kind) for v in
 * context ctx (rt_scan's) */
__attribute__((unused)) static int rt_best(const char *v, int ctx, int kind)
{
	struct payload_match m[PAYLOAD__COUNT];
	int k = rt_scan(v, ctx, m), best = 0;

	for (int i = 0; i < k; i++)
		if ((kind == PAYLOAD__COUNT || (int)m[i].kind == kind) && m[i].score > best)
			best = m[i].score;
	return best;
}

/* bit set of the kinds found for v in context ctx (0 value, 1 form body);
 * the first finding's reason is copied to why (the matches are ours) */
static unsigned rt_kinds(const char *v, int ctx, char *why, size_t whylen)
{
	struct payload_match m[PAYLOAD__COUNT];
	unsigned set = 0;
	int k = rt_scan(v, ctx, m);

	snprintf(why, whylen, "%s", k ? m[0].why : "");
	for (int i = 0; i < k; i++)
		set |= 1u << m[i].kind;
	return set;
}

__attribute__((unused)) static void rt_run(const char *cls, const struct rtcase *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			char why[sizeof(((struct payload_match *)0)->why)];
			unsigned set = rt_kinds(t[i].in, ctx, why, sizeof(why));
			int ok = t[i].want == PAYLOAD_NONE ? set == 0 : (int)((set >> t[i].want) & 1);

			if (!ok) {
				bad++;
				fprintf(stderr, "  FAIL %s %s (%s): [%s] %s\n", cls,
					t[i].want == PAYLOAD_NONE ? "benign flagged" : "attack missed",
					ctx ? "form" : "value", t[i].in, why);
			}
		}
	assert_int_equal(bad, 0);
}

/* each row's best score of kind as a query value reaches the kill line
 * (60, deploy/rules.yaml) */
__attribute__((unused)) static void rt_kill_run(const char *cls, enum payload_kind kind, const struct rtcase *t, size_t n)
{
	int low = 0;

	for (size_t i = 0; i < n; i++) {
		int best = rt_best(t[i].in, 0, (int)kind);

		if (best < 60) {
			low++;
			fprintf(stderr, "  FAIL %s below the kill line (%d): %s\n", cls, best, t[i].in);
		}
	}
	assert_int_equal(low, 0);
}

/* every row's best score, of any kind, in both contexts (rt_scan's)
 * below the kill line: values told, not killed */
__attribute__((unused)) static void rt_below_kill(const char *cls, const char *const *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int best = rt_best(t[i], ctx, PAYLOAD__COUNT);

			if (best >= 60) {
				bad++;
				fprintf(stderr, "  FAIL %s killed (%d, %s): %s\n", cls, best, ctx ? "form" : "value", t[i]);
			}
		}
	assert_int_equal(bad, 0);
}

/* rt_run, then the kill line for the rows of kind (64 at most) */
__attribute__((unused)) static void rt_run_kill(const char *cls, enum payload_kind kind, const struct rtcase *t,
						size_t n)
{
	struct rtcase a[64];
	size_t k = 0;

	rt_run(cls, t, n);
	for (size_t i = 0; i < n && k < 64; i++)
		if (t[i].want == kind)
			a[k++] = t[i];
	rt_kill_run(cls, kind, a, k);
}

#endif /* SW_TEST_PAYLOAD_RT_TABLE_H */
