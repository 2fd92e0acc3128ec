/* test_payload_rtx5.c - issue 20, helper x (session 16): XSS rows pinned
 * by this session's fixes, failing first on main 25a2dee; each value judged
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

/* a value that opens by closing the comment or CDATA section it was put
 * in (an HTML comment, an HTML-like comment in script, a CDATA block) and
 * then calls a script sink */
static void test_xss_comment_close_break(void **st)
{
	static const struct rtcase t[] = {
		{"-->alert(1)<!--", X},
		{"-->alert(1)//", X},
		{"--!>alert(1)<!--", X},
		{"--> confirm(document.domain) <!--", X},
		{"]]>alert(1)<![CDATA[", X},
		{"]]>;prompt`1`//", X},
		{"'-->alert(1)//", X},
		{"-->\nalert(1)", X},
		{"-->\talert(1)", X},
		{"]]>\r\nconfirm(1)", X},
		{"-->onerror=alert;throw 1", X},
		{"--> location=home", N},
		{"-->location='javascript:alert(1)'", X},
		{"--> status=done; print(report)", N},
		{"--> print this page", N},
		{"-->", N},
		{"--> see alert(1) in the log", N},
		{"]]> end of data", N},
		{"--> confirm(order) then pay", N},
	};

	(void)st;
	rt_run("xss-comment-close-break", t, sizeof(t) / sizeof(t[0]));
}

/* a dialog sink called through Function.prototype or optional chaining
 * as the whole value */
static void test_xss_whole_call_member(void **st)
{
	static const struct rtcase t[] = {
		{"alert.call(null,1)", X},
		{"alert.apply(null,[1])", X},
		{"prompt.call(window,document.domain)", X},
		{"window?.alert?.(1)", X},
		{"top?.confirm?.(1);//", X},
		{"[alert][0](1)", X},
		{"[confirm][0]`1`", X},
		{"[note][0](1)", N},
		{"'-alert.call(null,1)-'", X},
		{"\";confirm.apply(null,[1])//", X},
		{"Twilio.call(params)", N},
		{"alert.call", N},
		{"confirm.apply", N},
		{"Alert.call (Twilio)", N},
	};

	(void)st;
	rt_run("xss-whole-call-member", t, sizeof(t) / sizeof(t[0]));
}

/* <meta charset=utf-7>: a page switched to UTF-7, where +ADw- is '<' */
static void test_xss_meta_charset_utf7(void **st)
{
	static const struct rtcase t[] = {
		{"<meta charset=\"utf-7\">", X},
		{"<meta charset=utf-7>", X},
		{"<META CHARSET=UTF7>", X},
		{"<meta charset=x-imap4-modified-utf7>", X},
		{"<meta charset=\"utf-8\">", N},
		{"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", N},
		{"<meta charset=\"ISO-8859-1\">", N},
	};

	(void)st;
	rt_run("xss-meta-charset-utf7", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_comment_close_break),
		cmocka_unit_test(test_xss_whole_call_member),
		cmocka_unit_test(test_xss_meta_charset_utf7),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
