/* test_norm.c - norm_decode: each decoding alone, repeated rounds, bounds,
 * the byte policy for invalid / overlong input, lower-casing and squeezing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "collector/detect/norm.h"

struct ncase {
	const char *name;
	const char *in;
	size_t in_len; /* 0: strlen */
	unsigned flags;
	const char *want;
	size_t want_len; /* 0: strlen */
};

static void test_decode_table(void **st)
{
	(void)st;
	static const struct ncase t[] = {
		{"percent", "a%20b%3Cc", 0, NORM_PERCENT, "a b<c", 0},
		{"percent bad hex kept", "50%zz%2", 0, NORM_PERCENT, "50%zz%2", 0},
		{"percent u", "%u003c%u00e9", 0, NORM_PERCENT, "<\xc3\xa9", 0},
		{"plus", "a+b%2B", 0, NORM_PERCENT | NORM_PLUS, "a b+", 0},
		{"plus only once", "%252B", 0, NORM_PERCENT | NORM_PLUS, "+", 0},
		{"plus off", "a+b", 0, NORM_PERCENT, "a+b", 0},
		{"double percent", "%253Cscript%253E", 0, NORM_PERCENT, "<script>", 0},
		{"triple percent", "%25252e", 0, NORM_PERCENT, ".", 0},
		{"four layers decoded", "%2525252e", 0, NORM_PERCENT, ".", 0},
		{"six layers stop at five", "%25252525252e", 0, NORM_PERCENT, "%2e", 0},
		/* a round starts at its first escape; the next looks from there */
		{"double after plain prefix", "abc%2541def", 0, NORM_PERCENT, "abcAdef", 0},
		{"plus then double", "x+y%252B", 0, NORM_PERCENT | NORM_PLUS, "x y+", 0},
		{"html then percent", "ab&amp;%2541", 0, NORM_PERCENT | NORM_HTML, "ab&A", 0},
		{"html named", "&lt;b&gt; &amp; &quot;x&quot; &apos;", 0, NORM_HTML, "<b> & \"x\" '", 0},
		{"html numeric", "&#39;&#x27;&#X3C;&#60", 0, NORM_HTML, "''<<", 0},
		{"html padded", "&#0000060;", 0, NORM_HTML, "<", 0},
		{"html legacy no semicolon", "&ltb", 0, NORM_HTML, "<b", 0},
		{"html unknown kept", "AT&T &foo; &", 0, NORM_HTML, "AT&T &foo; &", 0},
		{"html extra names", "&lpar;&rpar;&colon;&sol;&equals;", 0, NORM_HTML, "():/=", 0},
		{"html zero is ?", "&#0;", 0, NORM_HTML, "?", 0},
		{"html too big is ?", "&#x110000;", 0, NORM_HTML, "?", 0},
		{"unicode escape", "\\u003cx\\u003e", 0, NORM_UNICODE, "<x>", 0},
		{"unicode pair", "\\ud83d\\ude00", 0, NORM_UNICODE, "\xf0\x9f\x98\x80", 0},
		{"lone surrogate ?", "\\ud83dx", 0, NORM_UNICODE, "?x", 0},
		{"unicode braces", "\\u{61}", 0, NORM_UNICODE, "a", 0},
		{"hex escape", "\\x3cb\\x3E", 0, NORM_UNICODE, "<b>", 0},
		{"backslash kept", "C:\\Users\\x1", 0, NORM_UNICODE, "C:\\Users\\x1", 0},
		{"mixed layers", "%26lt%3Bscript%26gt%3B", 0, NORM_PERCENT | NORM_HTML, "<script>", 0},
		{"percent then unicode", "%5Cu0041", 0, NORM_PERCENT | NORM_UNICODE, "A", 0},
		{"overlong kept as bytes", "..%c0%af", 0, NORM_PERCENT, "..\xc0\xaf", 0},
		{"nul kept", "a%00b", 0, NORM_PERCENT, "a\0b", 3},
		{"lower", "SeLeCt ÉA", 0, NORM_LOWER, "select Éa", 0},
		{"space collapse", "a \t\n b", 0, NORM_SPACE, "a b", 0},
		{"comment removed", "UN/**/ION SEL/*x*/ECT", 0, NORM_SPACE, "UNION SELECT", 0},
		{"mysql exec comment", "/*!50000UNION*/ 1", 0, NORM_SPACE, "UNION 1", 0},
		{"unterminated comment", "a/* b", 0, NORM_SPACE, "a", 0},
		{"all", "%2527+OR+1%3D1%20--", 0, NORM_ALL, "' or 1=1 --", 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char out[256];
		size_t il = t[i].in_len ? t[i].in_len : strlen(t[i].in);
		size_t wl = t[i].want_len ? t[i].want_len : strlen(t[i].want);
		size_t n = norm_decode(t[i].in, il, out, sizeof(out), t[i].flags);
		if (n != wl || memcmp(out, t[i].want, wl) != 0)
			fail_msg("%s: got %zu bytes '%.*s'", t[i].name, n, (int)n, out);
		assert_int_equal(out[n], '\0');
	}
}

static void test_bounds(void **st)
{
	(void)st;
	char out[8];
	/* output cut to cap-1, always terminated */
	size_t n = norm_decode("abcdefghijkl", 12, out, sizeof(out), NORM_ALL);
	assert_int_equal(n, 7);
	assert_string_equal(out, "abcdefg");
	/* escape cut by the bound stays literal */
	n = norm_decode("abcde%41", 8, out, sizeof(out), NORM_PERCENT);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "abcde%4", 7);
	assert_int_equal(norm_decode("abc", 3, out, 0, NORM_ALL), 0);
	assert_int_equal(norm_decode(NULL, 0, out, sizeof(out), NORM_ALL), 0);
	assert_int_equal(out[0], '\0');
	assert_int_equal(norm_decode("x", 1, out, 1, NORM_ALL), 0);
}

/* Every prefix of a tricky input decodes without reading past its end. */
static void test_every_prefix(void **st)
{
	(void)st;
	const char *in = "%u00e9&#x27;\\ud83d\\ude00%25%32%65&lt\\x4/*a*/%";
	size_t l = strlen(in);
	for (size_t k = 0; k <= l; k++) {
		char buf[64], out[64];
		memcpy(buf, in, k);
		size_t n = norm_decode(buf, k, out, sizeof(out), NORM_ALL);
		assert_true(n <= k);
		assert_int_equal(out[n], '\0');
	}
}

static void test_utf8_put(void **st)
{
	(void)st;
	char b[4];
	assert_int_equal(norm_utf8_put('A', b), 1);
	assert_int_equal(norm_utf8_put(0xE9, b), 2);
	assert_memory_equal(b, "\xc3\xa9", 2);
	assert_int_equal(norm_utf8_put(0x20AC, b), 3);
	assert_memory_equal(b, "\xe2\x82\xac", 3);
	assert_int_equal(norm_utf8_put(0x1F600, b), 4);
	assert_int_equal(norm_utf8_put(0xD800, b), 1);
	assert_int_equal(b[0], '?');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_utf8_put),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
