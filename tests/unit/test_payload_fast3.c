/* test_payload_fast3.c - payload.c's value_quiet: a value whose census
 * opens no gate but sqli's, xss's and data's, with none of their words,
 * no base64 reading, no "qx" or "0x" and no digit-led host, is asked of
 * no detector. The words it takes draw nothing in any place; values of
 * letters and digits only that one clause sends the long way (a base64
 * reading taken, "ey" for the wrapper, "0x" for trav) are still found;
 * html_ref's names by first letter (norm.c) still decode; and
 * payload_find_either (the JSON keys' one pass) answers as a plain search. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

static const unsigned wh[] = {PAYLOAD_WHERE_PATH, PAYLOAD_WHERE_QUERY, PAYLOAD_WHERE_HEADER,
			      PAYLOAD_WHERE_COOKIE, PAYLOAD_WHERE_BODY};

static int found(const char *in, unsigned where, enum payload_kind kind)
{
	struct payload_match m[8];
	int n = payload_scan(in, strlen(in), where, m, 8);

	for (int k = 0; k < n; k++)
		if (m[k].kind == kind && m[k].score >= 50)
			return 1;
	return 0;
}

/* words value_quiet takes (and some it sends on: "London" holds "on"'s
 * letters, "coffee" starts a base64 head): nothing in any place */
static void test_quiet_words(void **state)
{
	static const char *const in[] = {
		"Seoul", "London", "Berlin", "USD", "true", "false", "null", "p12", "k7", "coffee", "yoga",
		"Liam", "Olivia", "headphones", "US", "PT", "en", "Lyon", "Madrid", "qwerty", "Zulu",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (size_t w = 0; w < sizeof(wh) / sizeof(wh[0]); w++) {
			struct payload_match m[8];

			if (payload_scan(in[i], strlen(in[i]), wh[w], m, 8) != 0)
				fail_msg("flagged: %s (place %zu)", in[i], w);
		}
}

/* letters and digits only, past one of value_quiet's clauses each */
static void test_alnum_attacks(void **state)
{
	static const struct {
		const char *in;
		unsigned where;
		enum payload_kind kind;
	} cases[] = {
		/* "0x" (trav's canon) */
		{"0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fpasswd", PAYLOAD_WHERE_QUERY, PAYLOAD_TRAVERSAL},
		{"x0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fhosts", PAYLOAD_WHERE_BODY, PAYLOAD_TRAVERSAL},
		/* a base64 reading whose head is taken (may) */
		{"JyBvciAxPTEtLSA", PAYLOAD_WHERE_QUERY, PAYLOAD_SQLI},
		{"JyBvciAxPTEtLQ", PAYLOAD_WHERE_BODY, PAYLOAD_SQLI},
		{"c2xlZXAoNSkj", PAYLOAD_WHERE_COOKIE, PAYLOAD_SQLI},
		{"O2NhdCAvZXRjL3Bhc3N3ZA", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI},
		{"JHtqbmRpOmxkYXA6Ly94L2F9", PAYLOAD_WHERE_HEADER, PAYLOAD_JNDI},
		{"e3s3Kjd9fQ", PAYLOAD_WHERE_BODY, PAYLOAD_SSTI},
		/* "ey": JSON in base64 */
		{"eyIkd2hlcmUiOiJzbGVlcCg1MDAwKSJ9", PAYLOAD_WHERE_BODY, PAYLOAD_NOSQLI},
		{"eyIkbmUiOjF9", PAYLOAD_WHERE_QUERY, PAYLOAD_NOSQLI},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!found(cases[i].in, cases[i].where, cases[i].kind))
			fail_msg("missed: %s", cases[i].in);
}

/* the census facts value_quiet reads: a word's letters alone say quiet
 * to payload_sqli_census_quiet, a loud word's do not */
static void test_census_words(void **state)
{
	static const char *const quiet[] = {"seoul", "london", "p12", "true", "headphones"};
	static const char *const loud[] = {"unionselect", "waitfordelay", "orderby", "xp_cmdshell"};

	(void)state;
	for (size_t k = 0; k < sizeof(quiet) / sizeof(quiet[0]) + sizeof(loud) / sizeof(loud[0]); k++) {
		int q = k < sizeof(quiet) / sizeof(quiet[0]);
		const char *w = q ? quiet[k] : loud[k - sizeof(quiet) / sizeof(quiet[0])];
		uint64_t has[4] = {0, 0, 0, 0};

		for (const char *p = w; *p; p++)
			has[(unsigned char)*p >> 6] |= 1ull << ((unsigned char)*p & 63);
		if (payload_sqli_census_quiet(has) != q)
			fail_msg("census_quiet(%s) != %d", w, q);
	}
}

/* html_ref looks names up by first letter: each name still decodes,
 * with ';' and (the first four) without, and "&page=" is left alone */
static void test_html_names(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"&lt;x&gt;", "<x>"}, {"&lt", "<"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&apos;", "'"},
		{"&commat;", "@"}, {"&comma;", ","}, {"&colon;", ":"}, {"&Tab;", "\t"}, {"&NewLine;", "\n"},
		{"&period;", "."}, {"&plus;", "+"}, {"&percnt;", "%"}, {"&vert;", "|"}, {"&verbar;", "|"},
		{"&Hat;", "^"}, {"&LT;", "<"}, {"&QUOT;", "\""}, {"&rbrace;", "}"}, {"&lowbar;", "_"},
		{"q=1&page=2", "q=1&page=2"}, {"&apos", "&apos"}, {"&commat", "&commat"}, {"&zz;", "&zz;"},
		{"&#60;&#x3c;", "<<"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];
		size_t n = norm_decode(cases[i].in, strlen(cases[i].in), out, sizeof(out), NORM_HTML);

		if (n != strlen(cases[i].out) || memcmp(out, cases[i].out, n) != 0)
			fail_msg("%s -> %.*s", cases[i].in, (int)n, out);
	}
}

static int naive_has(const char *s, size_t n, const char *w, size_t l)
{
	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(s + i, w, l) == 0)
			return 1;
	return 0;
}

/* payload_find_either (payload_census.c) against a plain search: random
 * haystacks of the keys' bytes, every length to 70 (under a block, one
 * block, the overlapping last block), the keys planted at every place */
static void test_find_either(void **state)
{
	static const char al[] = "\"_cpotnsr x";
	static const char *const w = "\"__proto__\"", *const x = "\"constructor\"";
	unsigned rs = 12345;
	char h[80];

	(void)state;
	for (int r = 0; r < 20000; r++) {
		size_t n = (size_t)(r % 71);

		for (size_t i = 0; i < n; i++) {
			rs = rs * 1103515245u + 12345u;
			h[i] = al[(rs >> 16) % (sizeof(al) - 1)];
		}
		if (r % 3 == 1 && n >= 11) {
			size_t at = (rs >> 8) % (n - 10);
			memcpy(h + at, w, 11);
		}
		if (r % 3 == 2 && n >= 13) {
			size_t at = (rs >> 8) % (n - 12);
			memcpy(h + at, x, 13);
		}
		if (payload_find_either(h, n, w, 11, x, 13) != (naive_has(h, n, w, 11) || naive_has(h, n, x, 13)))
			fail_msg("find_either differs at n=%zu r=%d", n, r);
	}
}

/* the JSON shapes payload_json_shape_scan reads past payload_find_either */
static void test_json_keys(void **state)
{
	static const char *const bodies[] = {
		"{\"__proto__\": {\"isAdmin\": true}}",
		"{\"a\": 1, \"b\": \"cccccccccccccccc\", \"__proto__\": {\"x\": 1}}",
		"{\"constructor\": {\"prototype\": {\"isAdmin\": true}}}",
		"{\"user\": {\"name\": \"cc\", \"constructor\": {\"prototype\": {\"polluted\": 1}}}}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct payload_match m[8];
		int n = payload_scan_json(bodies[i], strlen(bodies[i]), m, 8), hit = 0;

		for (int k = 0; k < n; k++)
			hit |= m[k].kind == PAYLOAD_PROTO_POLLUTION && m[k].score >= 50;
		if (!hit)
			fail_msg("missed: %s", bodies[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_words),
		cmocka_unit_test(test_alnum_attacks),
		cmocka_unit_test(test_census_words),
		cmocka_unit_test(test_html_names),
		cmocka_unit_test(test_find_either),
		cmocka_unit_test(test_json_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
