/* payload_query.c - a query string or form body (a=b&c=d) split into its
 * names and values, each judged as a value (payload.c), with '&' that
 * begins an HTML character reference kept inside its value, and a
 * parameter given more than once judged joined too when a value leaves a
 * comment open (ASP.NET joins repeats with ','). */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

#include <string.h>

/* Does the '&' at i begin an HTML character reference (&#106; &#x6a
 * &colon; &{...})? Then it is part of a value written for the HTML it lands in,
 * not a separator: a query carries '#' only percent-encoded, and no
 * parameter name ends in ';'. &amp; is a separator an HTML page escaped. */
static int char_ref_at(const char *q, size_t len, size_t i)
{
	size_t j = i + 1;

	if (j < len && q[j] == '{')
		return 1; /* Netscape's JavaScript entity, &{alert(1)}; */
	if (j < len && q[j] == '#')
		return j + 1 < len && ((q[j + 1] >= '0' && q[j + 1] <= '9') || q[j + 1] == 'x' ||
				       q[j + 1] == 'X');
	while (j < len && j < i + 14 && payload_is_alpha((unsigned char)q[j]))
		j++;
	return j > i + 1 && j < len && q[j] == ';' && !(j == i + 4 && !memcmp(q + i + 1, "amp", 3));
}

#define QUERY_PARAMS_JOINED 32 /* parameters looked at for repeats */

struct qparam {
	size_t name, nl, val, vl; /* offsets and lengths in the query */
	int joined;
};

/* Does v[0..n) hold a '*', plain, escaped (%2A) or escaped twice
 * (%252A, and so "%25" at all)? A part of v holds one only if v does. */
static int star_in(const char *v, size_t n)
{
	const char *p;

	if (memchr(v, '*', n))
		return 1;
	for (size_t i = 0; (p = memchr(v + i, '%', n - i)) != NULL; i = (size_t)(p - v) + 1) {
		size_t k = (size_t)(p - v);

		if (k + 2 < n && v[k + 1] == '2' && (v[k + 2] == 'a' || v[k + 2] == 'A' || v[k + 2] == '5'))
			return 1;
	}
	return 0;
}

/* Does the raw value v[0..n) leave a comment open ("/ *" after its last
 * "* /", spelt plain or %2F%2A)? Only in decoded form matters, so decode
 * it first into a small buffer. */
static int comment_left_open(const char *v, size_t n)
{
	char d[PAYLOAD_MAX_VALUE + 1];
	size_t l, open = 0, close = 0;

	/* a '*', or no comment at all: most values stop here */
	if (!star_in(v, n))
		return 0;
	l = norm_decode(v, n, d, sizeof(d), NORM_PERCENT | NORM_PLUS);

	for (size_t i = 0; i + 1 < l; i++) {
		if (d[i] == '/' && d[i + 1] == '*')
			open = i + 1;
		else if (d[i] == '*' && d[i + 1] == '/')
			close = i + 1;
	}
	return open > close;
}

#define QUERY_NAME_MAX 64 /* longer names are compared as sent */

/* Are parameters a and b one name to the application? ASP.NET groups
 * them by the name percent- and plus-decoded once, ignoring case, so
 * "id", "ID" and "%69d" are one parameter. Names of QUERY_NAME_MAX bytes
 * or more are compared as sent (the decoded copy would be cut). */
static int same_name(const char *q, const struct qparam *a, const struct qparam *b)
{
	char ka[QUERY_NAME_MAX + 1], kb[QUERY_NAME_MAX + 1];
	const unsigned f = NORM_PERCENT | NORM_PLUS | NORM_LOWER;
	size_t la, lb;

	if (a->nl == b->nl && !memcmp(q + a->name, q + b->name, a->nl))
		return 1;
	if (a->nl > QUERY_NAME_MAX || b->nl > QUERY_NAME_MAX)
		return 0;
	la = norm_decode(q + a->name, a->nl, ka, sizeof(ka), f);
	lb = norm_decode(q + b->name, b->nl, kb, sizeof(kb), f);
	return la == lb && !memcmp(ka, kb, la);
}

/* A parameter given more than once reaches an ASP.NET application as its
 * values joined with ',', and a comment left open in one value swallows
 * the comma (id=1 UNION/ *&id=* /SELECT 1,2 is "1 UNION/ *,* /SELECT 1,2"):
 * a repeated name (as the application reads it: same_name) whose values
 * leave a comment open is judged joined too.
 * Values that close what they open are judged one by one only: joining
 * unrelated values would make contexts no application sees. Bounded: the
 * first QUERY_PARAMS_JOINED parameters, PAYLOAD_MAX_VALUE bytes joined. */
static void scan_repeats(const char *q, struct qparam *p, int np, unsigned where,
			 struct payload_acc *a)
{
	char buf[PAYLOAD_MAX_VALUE];

	for (int k = 0; k < np; k++) {
		size_t w = 0;
		int reps = 0;

		if (p[k].joined)
			continue;
		int open = 0;

		for (int j = k; j < np; j++) {
			if (!same_name(q, &p[j], &p[k]))
				continue;
			p[j].joined = 1;
			open |= comment_left_open(q + p[j].val, p[j].vl);
			if (reps++ && w < sizeof(buf))
				buf[w++] = ',';
			if (p[j].vl > sizeof(buf) - w)
				break;
			memcpy(buf + w, q + p[j].val, p[j].vl);
			w += p[j].vl;
		}
		if (reps > 1 && open)
			payload_scan_value(buf, w, where, NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE, a);
	}
}

/* Does the name q[0..n) hold a '<', written or as %3C? */
static int name_markup(const char *q, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (q[k] == '<' || (q[k] == '%' && k + 2 < n && q[k + 1] == '3' && (q[k + 2] | 0x20) == 'c'))
			return 1;
	return 0;
}

int payload_scan_query(const char *q, size_t len, unsigned where,
		  struct payload_match *out, int max)
{
	struct payload_acc a;
	struct qparam p[QUERY_PARAMS_JOINED];
	size_t i = 0;
	int np = 0, rep = 0, joins;

	if (!out || max <= 0 || !q)
		return 0;
	memset(&a, 0, sizeof(a));
	/* repeated names are judged joined only when a value leaves a
	 * comment open (scan_repeats), which needs a '*' in it
	 * (comment_left_open): a query with none keeps no list of names */
	joins = star_in(q, len);
	while (i < len) {
		size_t end = i, eq;
		const char *x;

		while ((x = memchr(q + end, '&', len - end)) && char_ref_at(q, len, (size_t)(x - q)))
			end = (size_t)(x - q) + 1;
		end = x ? (size_t)(x - q) : len;
		x = memchr(q + i, '=', end - i);
		eq = x ? (size_t)(x - q) : end;
		/* the name can carry a payload too (a[<script>]=1); one
		 * holding markup is read with its value, as a page that
		 * writes the query back holds it: the first '=' of a tag's
		 * attribute split it (?<svg onload=alert(1)>, and a fallback
		 * image's onerror="this.onerror=null;..." whole) */
		if (eq < end && name_markup(q + i, eq - i))
			payload_scan_value(q + i, end - i, where, NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE, &a);
		else
			payload_scan_value(q + i, eq - i, where, NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE, &a);
		/* a browser-only name (payload_ssrf_browser_name) ends in
		 * "redirecturi", "redirecturl" or "redirecturis" once its
		 * escapes are undone and '_' '-' '.' dropped, which only
		 * shortens it: a name under 11 bytes is none */
		if (eq < end && eq - i >= 11 && payload_ssrf_browser_name(q + i, eq - i)) {
			struct payload_acc one;

			memset(&one, 0, sizeof(one));
			payload_scan_value(q + eq + 1, end - eq - 1, where,
					   NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE, &one);
			payload_ssrf_browser_merge(&a, &one);
		} else if (eq < end) {
			payload_scan_value(q + eq + 1, end - eq - 1, where,
					   NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE, &a);
		}
		if (joins && eq < end && np < QUERY_PARAMS_JOINED) {
			p[np] = (struct qparam){ i, eq - i, eq + 1, end - eq - 1, 0 };
			for (int k = 0; k < np && !rep; k++)
				rep = same_name(q, &p[k], &p[np]);
			np++;
		}
		i = end + 1;
	}
	if (rep)
		scan_repeats(q, p, np, where, &a);
	return payload_acc_out(&a, out, max);
}
