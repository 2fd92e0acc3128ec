/* test_payload_rtx3.c - issue 20, helper x (session 14): XSS rows pinned
 * by this session's fixes, failing first on main 3bdee7e; each value judged
 * as a query parameter value and as a form body (payload_rt_table.h). */
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

/* UTF-7 whose run opens with a non-ASCII code unit (U+4E00) and spells '<'
 * after it: the whole run is decoded, '<' anywhere in it counts */
static void test_xss_utf7_nonascii_first(void **st)
{
	static const struct rtcase t[] = {
		{"%2BTgAAPABpAG0AZwAgAHMAcgBjAD0AeAAgAG8AbgBlAHIAcgBvAHIAPQBhAGwAZQByAHQAKAAxACkAPg-", X},
		{"%2BAOkAPABzAGMAcgBpAHAAdAA%2BAGEAbABlAHIAdAAoADEAKQA8AC8AcwBjAHIAaQBwAHQAPg-", X},
		{"x%2BTgAAPABzAHYAZwAvAG8AbgBsAG8AYQBkAD0AYQBsAGUAcgB0ACgAMQApAD4-", X},
		{"%2BTgBOjA-", N},
		{"C%2B%2B and A%2BB-C", N},
		{"%2BAOkAdADp- summer", N},
	};

	(void)st;
	rt_run("xss-utf7-nonascii-first", t, sizeof(t) / sizeof(t[0]));
}

/* a run of JavaScript escapes of mixed spellings (hex, octal, \u) is read
 * as one: \x3c\163cript> is <script> */
static void test_xss_mixed_js_escapes(void **st)
{
	static const struct rtcase t[] = {
		{"\\x3c\\163cript>alert(1)\\x3c/script>", X},
		{"\\u003c\\163cript\\76alert(1)\\74/script>", X},
		{"\\x3c\\151frame src=javascript:alert(1)>", X},
		{"\\u{3c}\\163cript>alert(1)</script>", X},
		{"\\x3c\\x73\\143ript\\x3ealert(1)\\x3c/script\\x3e", X},
		{"<s\\143ript>alert(1)</script>", X},
		{"path C:\\x3c\\163 and \\n", N},
		{"a<\\163> b", N},
		{"regex \\x3c\\d+", N},
	};

	(void)st;
	rt_run("xss-mixed-js-escapes", t, sizeof(t) / sizeof(t[0]));
}

/* the linear tag scan keeps what the rescanning one found: tags inside a
 * tag name or a long unquoted value are still judged */
static void test_xss_nested_tags_kept(void **st)
{
	static const struct rtcase t[] = {
		{"<s<s<s<script>alert(1)</script>", X},
		{"<a/href=<a/href=<a/href=javascript:alert(1)>", X},
		{"<x:<x:<x:script>alert(1)</x:script>", X},
		{"<a/x=<a/@click=alert(1)>", X},
		{"<s<s<meta/content=utf-7>", X},
		{"vector<vector<int>> v", N},
		{"a<b<c<d and e>f", N},
	};

	(void)st;
	rt_run("xss-nested-tags-kept", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_utf7_nonascii_first),
		cmocka_unit_test(test_xss_mixed_js_escapes),
		cmocka_unit_test(test_xss_nested_tags_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
