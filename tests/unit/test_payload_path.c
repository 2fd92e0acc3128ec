/* test_payload_path.c - attacks placed in a request path (issue 20): a REST
 * API reads values from its path segments (/users/{id}, /search/{term},
 * /files/{name}), so an attack written for a query value must draw the same
 * kind when a client puts it in a segment, with its own '/' in it or not,
 * in a ';' matrix parameter, with '+' for a blank. Benign paths of the
 * shapes real sites use (tests/data/benign-paths.txt, written by
 * tools/gen-benign-paths.py) and benign.txt's values sent as a segment must
 * draw nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/payload.h"

/* a request line's path and query: the path judged as the collector
 * judges ev->path, the query as ev->query; the kinds found, as bits */
static unsigned judge_target(const char *t, size_t n, struct payload_match *first)
{
	struct payload_match m[PAYLOAD__COUNT];
	const char *q = memchr(t, '?', n);
	size_t pl = q ? (size_t)(q - t) : n;
	unsigned bits = 0;
	int k = payload_scan(t, pl, PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT);

	for (int i = 0; i < k; i++)
		bits |= 1u << m[i].kind;
	if (k && first)
		*first = m[0];
	if (q) {
		k = payload_scan_query(q + 1, n - pl - 1, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		for (int i = 0; i < k; i++)
			bits |= 1u << m[i].kind;
		if (k && first && bits == (1u << m[0].kind))
			*first = m[0];
	}
	return bits;
}

static int for_lines(const char *path, void (*fn)(const char *l, size_t n, void *ctx), void *ctx)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t r;
	int cnt = 0;

	if (!f)
		return -1;
	while ((r = getline(&line, &cap, f)) >= 0) {
		while (r > 0 && (line[r - 1] == '\n' || line[r - 1] == '\r'))
			line[--r] = '\0';
		if (r == 0)
			continue;
		fn(line, (size_t)r, ctx);
		cnt++;
	}
	free(line);
	fclose(f);
	return cnt;
}

struct tally {
	int total, bad;
};

/* flagged and left so: the segment's name is "ls -la explained", which
 * the command-line grammar reads as ls with options and a file, as it does
 * in a query value (payload_shellc.c); a segment is judged as one */
static const char *const known_flagged[] = {
	"/s/ls%20-la%20explained;lang=en-GB/%CE%95%CE%BB%CE%BB%CE%AC%CE%B4%CE%B1/v5.15...v5.16/4012468",
};

static void benign_path_line(const char *l, size_t n, void *ctx)
{
	struct tally *t = ctx;
	struct payload_match m;
	unsigned bits = judge_target(l, n, &m);

	t->total++;
	for (size_t i = 0; bits && i < sizeof(known_flagged) / sizeof(known_flagged[0]); i++)
		if (strlen(known_flagged[i]) == n && !memcmp(known_flagged[i], l, n))
			return;
	if (bits) {
		t->bad++;
		printf("    false positive [%s %d: %s]: %s\n", payload_kind_names[m.kind], m.score,
		       m.why, l);
	}
}

static void test_benign_paths(void **st)
{
	(void)st;
	struct tally t = {0, 0};

	assert_true(for_lines("tests/data/benign-paths.txt", benign_path_line, &t) >= 2000);
	printf("  benign-paths: %d paths, %d flagged besides the %zu known\n", t.total, t.bad,
	       sizeof(known_flagged) / sizeof(known_flagged[0]));
	assert_int_equal(t.bad, 0);
}

/* a value as a client library puts it in one path segment: every byte but
 * the unreserved ones and the sub-delimiters a segment may hold as %XX
 * (blank_plus: a blank as '+', as some clients write it) */
static size_t seg_encode(const char *v, size_t n, char *o, int blank_plus)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~!*'()", c)) {
			o[w++] = (char)c;
		} else if (c == ' ' && blank_plus) {
			o[w++] = '+';
		} else {
			o[w++] = '%';
			o[w++] = hx[c >> 4];
			o[w++] = hx[c & 15];
		}
	}
	o[w] = '\0';
	return w;
}

static void benign_value_line(const char *l, size_t n, void *ctx)
{
	struct tally *t = ctx;
	static char p[3 * 70000 + 64];
	struct payload_match m;

	for (int plus = 0; plus < 2; plus++) {
		size_t w = (size_t)snprintf(p, sizeof(p), "/api/v1/search/");

		if (n > 65536)
			return;
		w += seg_encode(l, n, p + w, plus);
		memcpy(p + w, "/results", 9);
		w += 8;
		t->total++;
		if (judge_target(p, w, &m)) {
			t->bad++;
			printf("    false positive [%s %d: %s]: %s\n", payload_kind_names[m.kind],
			       m.score, m.why, p);
		}
	}
}

static void test_benign_values_as_segments(void **st)
{
	(void)st;
	struct tally t = {0, 0};

	assert_true(for_lines("tests/data/benign.txt", benign_value_line, &t) >= 1500);
	printf("  benign.txt as a segment: %d paths, %d flagged\n", t.total, t.bad);
	assert_int_equal(t.bad, 0);
}

/* The attack tables, each line written as it is (only a blank, '?', '#'
 * and control bytes escaped, which a request line cannot carry) into
 * REST routes: last segment, middle segment, after a matrix name. */
static const char *const routes[] = {
	"/api/v1/items/%s", "/api/v1/items/%s/details", "/v2/users/%s/orders/7", "/%s",
	"/files/%s;v=2/raw",
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

struct prate {
	enum payload_kind kind;
	int total, hit;
};

static void attack_path_line(const char *l, size_t n, void *ctx)
{
	struct prate *r = ctx;
	static char e[3 * 70000], p[3 * 70000 + 64];
	size_t w = 0;

	if (n > 65536)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l[i];
		if (c == ' ' || c == '?' || c == '#' || c < 0x20)
			w += (size_t)sprintf(e + w, "%%%02X", c);
		else
			e[w++] = (char)c;
	}
	e[w] = '\0';
	for (size_t k = 0; k < NROUTES; k++) {
		int len = snprintf(p, sizeof(p), routes[k], e);
		unsigned bits = judge_target(p, (size_t)len, NULL);

		r->total++;
		r->hit += (bits >> r->kind) & 1;
		if (!((bits >> r->kind) & 1) && getenv("SW_SHOW_MISSES"))
			printf("    miss: %s\n", p);
	}
}

static void test_attacks_in_paths(void **st)
{
	(void)st;
	static const struct {
		const char *path;
		enum payload_kind kind;
		int min_permille;
	} t[] = {
		{"tests/data/gen-heldout-sqli.txt", PAYLOAD_SQLI, 995},
		{"tests/data/gen-heldout-cmdi.txt", PAYLOAD_CMDI, 980},
		{"tests/data/gen-heldout-commix.txt", PAYLOAD_CMDI, 980},
		{"tests/data/gen-heldout-xss.txt", PAYLOAD_XSS, 990},
		{"tests/data/gen-heldout-trav.txt", PAYLOAD_TRAVERSAL, 990},
		{"tests/data/gen-heldout-ssti.txt", PAYLOAD_SSTI, 990},
		{"tests/data/gen-heldout-shell.txt", PAYLOAD_SHELLSHOCK, 990},
		{"tests/data/gen-heldout-jndi.txt", PAYLOAD_JNDI, 995},
		{"tests/data/gen-heldout-b64.txt", PAYLOAD_SQLI, 995},
		{"tests/data/gen-heldout-cmdline.txt", PAYLOAD_CMDI, 800},
	};

	int short_of = 0;

	for (size_t g = 0; g < sizeof(t) / sizeof(t[0]); g++) {
		struct prate r = {t[g].kind, 0, 0};

		assert_true(for_lines(t[g].path, attack_path_line, &r) > 100);
		printf("  %-40s in %zu routes: %5d/%-5d %5.1f%% as %s (need %.1f%%)\n", t[g].path,
		       NROUTES, r.hit, r.total, 100.0 * r.hit / r.total, payload_kind_names[r.kind],
		       t[g].min_permille / 10.0);
		short_of += r.hit * 1000 < t[g].min_permille * r.total;
	}
	assert_int_equal(short_of, 0);
}

/* constructs a path holds that a query value does not */
static void test_path_grammar(void **st)
{
	(void)st;
	static const struct {
		const char *in;
		enum payload_kind want;
	} t[] = {
		/* a SQL comment opener is "/ *": a split at '/' cut it */
		{"/api/items/1/**/UNION/**/SELECT/**/1,2,3", PAYLOAD_SQLI},
		{"/api/items/1'/**/OR/**/'1'='1/details", PAYLOAD_SQLI},
		/* markup whose end tag carries a '/' */
		{"/search/%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E", PAYLOAD_XSS},
		{"/search/x%22%3E%3Csvg/onload=alert(1)%3E/page/2", PAYLOAD_XSS},
		/* a command whose argument is a path */
		{"/ping/127.0.0.1;cat%20/etc/passwd", PAYLOAD_CMDI},
		{"/run/x%7Ccat%20/etc/shadow/now", PAYLOAD_CMDI},
		/* the same with the '/' escaped in the segment */
		{"/ping/127.0.0.1%3Bcat%20%2Fetc%2Fpasswd", PAYLOAD_CMDI},
		/* a matrix parameter's value */
		{"/users;id=1%27%20OR%20%271%27=%271/profile", PAYLOAD_SQLI},
		{"/items/42;sort=name%20AND%20SLEEP(5)", PAYLOAD_SQLI},
		/* '+' for a blank, as form-decoding servers read a path */
		{"/api/items/1+UNION+ALL+SELECT+NULL,NULL--+-", PAYLOAD_SQLI},
		{"/api/items/1;+sleep+5", PAYLOAD_CMDI},
		{"/cgi-bin/status/()+%7B+:;+%7D;+/bin/id", PAYLOAD_SHELLSHOCK},
		/* sixteen odd segments first cannot push one out of sight */
		{"/a+1/a+2/a+3/a+4/a+5/a+6/a+7/a+8/a+9/a+10/a+11/a+12/a+13/a+14/a+15/a+16/"
		 "1%20UNION%20SELECT%20password%20FROM%20users--", PAYLOAD_SQLI},
		/* a blank as '+' between words, and a wrapped payload */
		{"/api/items/3927+and+2158=2158", PAYLOAD_SQLI},
		{"/api/items/MScgT1IgJzEnPScx", PAYLOAD_SQLI},
		/* an escaped separator inside one segment */
		{"/download/..%2F..%2F..%2Fetc%2Fpasswd", PAYLOAD_TRAVERSAL},
		/* markup with '+' for a blank */
		{"/search/%3Csvg+onload%3Dalert(1)%3E", PAYLOAD_XSS},
		/* benign */
		{"/search/%3Cdiv+v-on%3Aclick%3D%22toggle()%22%3Emenu%3C%2Fdiv%3E", PAYLOAD_NONE},
		{"/search/https%3A%2F%2Fexample.com%2Fetc%2Fkubernetes%2Ftutorial/results", PAYLOAD_NONE},
		{"/search/sleep(8)+hours+a+night/results", PAYLOAD_NONE},
		{"/docs/c++/operator||", PAYLOAD_NONE},
		{"/blog/drop-me-a-line;-cat-lovers", PAYLOAD_NONE},
		{"/search/select%20a%20union", PAYLOAD_NONE},
		{"/wiki/Rock_&_roll", PAYLOAD_NONE},
		{"/search/rock+%26+roll/page/2", PAYLOAD_NONE},
		{"/s/5%27+10%22+tall", PAYLOAD_NONE},
		{"/app;jsessionid=9A3B1C2D4E5F60718293A4B5C6D7E8F9/home", PAYLOAD_NONE},
		{"/acme/widget/compare/v1.0...v2.0", PAYLOAD_NONE},
		{"/kb/how-to-run-%22sleep%205%22-in-bash", PAYLOAD_NONE},
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct payload_match m;
		unsigned bits = judge_target(t[i].in, strlen(t[i].in), &m);
		int ok = t[i].want == PAYLOAD_NONE ? bits == 0 : (int)((bits >> t[i].want) & 1);

		if (!ok) {
			bad++;
			printf("    FAIL %s: want %s, got bits %#x%s%s\n", t[i].in,
			       payload_kind_names[t[i].want], bits, bits ? " first " : "",
			       bits ? m.why : "");
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_grammar),
		cmocka_unit_test(test_benign_paths),
		cmocka_unit_test(test_benign_values_as_segments),
		cmocka_unit_test(test_attacks_in_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
