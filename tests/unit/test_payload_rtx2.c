/* test_payload_rtx2.c - issue 20, helper x (session 13): XSS forms that a
 * fresh red-team table (written from the cheat sheets' grammar, kept
 * outside the repository) found missed, one row per construct, with the
 * benign look-alikes each fix must leave alone. Every value is judged as a
 * query parameter value and as a form body (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XSS
#define N PAYLOAD_NONE

/* the sink handed over as a value inside a block: {onerror=alert}throw 1 */
static void test_xss_sink_in_block(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"{onerror=alert}throw 1", X},
		{"x onmouseover={onerror=alert}throw 1", X},
		{"<svg onload={onerror=prompt}throw/1/>", X},
		{"{x=alert}", N},
		{"config {level=alert} mode", N},
		{"pass {onClick={() => alert('hi')}} to the button", N},
		{"props {onerror=alert} throw-away example", N},
		{"onerror = retry policy: alert; then throw away the batch", N},
	};
	rt_run("xss-sink-in-block", t, sizeof(t) / sizeof(t[0]));
}

/* an attribute name split by a NUL, which old parsers dropped:
 * <img src=x o%00nerror=alert(1)> (a NUL cannot sit in an rtcase string) */
static void test_xss_nul_in_attr_name(void **st)
{
	(void)st;
	static const char a1[] = "<img src=x o\0nerror=alert(1)>";
	static const char a2[] = "<svg\no\0nload=\t((prompt))()//";
	static const char b1[] = "<p title=a\0b>text</p>";
	struct payload_match m[PAYLOAD__COUNT];
	int k, x;

	k = payload_scan(a1, sizeof(a1) - 1, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	x = 0;
	for (int i = 0; i < k; i++)
		x |= m[i].kind == PAYLOAD_XSS;
	assert_true(x);
	k = payload_scan(a2, sizeof(a2) - 1, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	x = 0;
	for (int i = 0; i < k; i++)
		x |= m[i].kind == PAYLOAD_XSS;
	assert_true(x);
	k = payload_scan(b1, sizeof(b1) - 1, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	for (int i = 0; i < k; i++)
		assert_int_not_equal(m[i].kind, PAYLOAD_XSS);
}

/* markup spelt in UTF-7 throughout (+ADw- '<', +ACg- '(', +ACI- '"'),
 * read again decoded: a tag, a script URL, a string break. The '+' sent
 * as %2B: a raw '+' in a query is a blank to the server, and the page it
 * writes holds no UTF-7 */
static void test_xss_utf7_decoded(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"javascript:alert%2BACg-1%2BACk-", X},
		{"%2BACI- onmouseover%2BAD0-%2BACI-alert%2BACg-1%2BACk-", X},
		{"%2BADwAcwBjAHIAaQBwAHQAPgBhAGwAZQByAHQAKAAxACkAPAAvAHMAYwByAGkAcAB0AD4-", X},
		{"C+-+- and C+ACM- are languages", N},
		{"2+2=4, a+b-c", N},
		{"Q+ACg-A+ACk- session", N},
	};
	rt_run("xss-utf7-decoded", t, sizeof(t) / sizeof(t[0]));
}

/* markup in JavaScript octal escapes, as a string a script writes into
 * the page: \74script\76 is <script> */
static void test_xss_octal_escapes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"\\74script\\76alert(1)\\74/script\\76", X},
		{"\\074svg onload\\075alert\\0501\\051\\076", X},
		{"\\74img src=x onerror=alert(1)\\76", X},
		{"C:\\74\\76 folder", N},
		{"printf(\"\\101\\102\\n\")", N},
		{"a \\74 b \\76 c", N},
	};
	rt_run("xss-octal-escapes", t, sizeof(t) / sizeof(t[0]));
}

/* <img src=x> with no handler, no script URL: CRS PL1 flags it, but rich
 * text carries it (benign.txt holds several); every attack table's <img>
 * line without a handler is caught by what else it holds, so it stays
 * clean here */
static void test_xss_bare_img_is_clean(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<img src=x>", N},
		{"<p><img src=\"https://cdn.example.com/a.jpg\" alt=\"Team\" width=\"600\"></p>", N},
		{"<img \"\"\"><script>alert(1)</script>\">", X},
		{"<img src=x onerror=alert(1)//", X},
	};
	rt_run("xss-bare-img", t, sizeof(t) / sizeof(t[0]));
}

/* <a href=... ping=//x>: a link that reports each click to another URL is
 * what search results and rich text carry (the adversarial review), and
 * runs no script: not XSS */
static void test_xss_link_ping(void **st)
{
	static const struct rtcase t[] = {
		{"<a href=//x.ex ping=//y.ex>x</a>", N},
		{"<a ping=\"https://example.com/track\" href=\"/x\">link</a>", N},
		{"<a href=\"https://www.google.com/url?q=x\" ping=\"/url?sa=t&source=web\">Result</a>", N},
		{"<a href=\"https://example.com\">ping me</a>", N},
		{"<p ping=1>ping pong</p>", N},
		{"ping=//y.ex and a href", N},
	};

	(void)st;
	rt_run("xss-link-ping", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_sink_in_block),
		cmocka_unit_test(test_xss_nul_in_attr_name),
		cmocka_unit_test(test_xss_utf7_decoded),
		cmocka_unit_test(test_xss_octal_escapes),
		cmocka_unit_test(test_xss_bare_img_is_clean),
		cmocka_unit_test(test_xss_link_ping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
