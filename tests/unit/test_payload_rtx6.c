/* test_payload_rtx6.c - issue 20, helper x (session 17): XSS rows pinned
 * by this session's fixes, failing first on main 30112fa; each value
 * judged as a query parameter value and as a form body
 * (payload_rt_table.h). Kill-line rows (embeds, includes, snippets told
 * below 60) are in test_payload_kill.c. */
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

/* a dialog called through Function.prototype with blanks before the
 * call's '(', given a receiver only script passes there (null, this, a
 * global, a digit, an empty string); a word there is prose */
static void test_xss_member_call_blank(void **st)
{
	static const struct rtcase t[] = {
		{"alert.call (null,1)", X},
		{"alert .apply (null, [1])", X},
		{"prompt.call (window, document.domain)", X},
		{"alert.call (this , 1)", X},
		{"confirm.call\t(0,1)", X},
		{"alert.call ('',1)", X},
		{"[alert][0].call (null,1)", X},
		{"Alert.call (Twilio)", N},
		{"prompt.call (each, item)", N},
		{"Alert.apply (for a job) today", N},
	};

	(void)st;
	rt_run("xss-member-call-blank", t, sizeof(t) / sizeof(t[0]));
}

/* a dialog put in an array and picked back out, or bound and then
 * called, after a string break */
static void test_xss_string_break_array_pick(void **st)
{
	static const struct rtcase t[] = {
		{"';[alert][0](1);//", X},
		{"\";[prompt].pop()(1)//", X},
		{"'-[confirm][0]`1`-'", X},
		{"'-[alert].shift()(document.domain)-'", X},
		{"';alert.bind(null,1)();'", X},
		{"'-prompt.bind(window)`1`-'", X},
		{"alert.bind(this) binds the receiver", N},
		{"[ERROR] [alert][0] worker died", N},
		{"log level [alert][0] is the first", N},
	};

	(void)st;
	rt_run("xss-string-break-array-pick", t, sizeof(t) / sizeof(t[0]));
}

/* markup assigned from a literal that holds none writes text; an
 * apostrophe between letters opens no attribute break */
static void test_xss_snippet_prose(void **st)
{
	static const struct rtcase t[] = {
		{"';document.body.innerHTML=location.hash;//", X},
		{"';x.innerHTML='<img src=x onerror=alert(1)>';//", X},
		{"'+(x.innerHTML='');alert(1)//", X},
		{"it's onfocus=alert(1) autofocus", X},
		{"Don't put onclick=\"alert(1)\" in the markup", X},
		{"x'onmouseover='alert(1)'", X},
		{"document.getElementById('x').innerHTML = '';", N},
		{"$('#out').innerHTML = \"Saved\";", N},
		{"Don't put onclick=\"doSomething()\" in the markup, use addEventListener instead", N},
		{"We can't use onload=\"init()\" because of the CSP", N},
		{"I don't use onclick=\"save()\" anymore", N},
		{"It's better to avoid onmouseover=\"show()\" handlers", N},
		{"x onmouseover=foo()", X},
	};

	(void)st;
	rt_run("xss-snippet-prose", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_member_call_blank),
		cmocka_unit_test(test_xss_string_break_array_pick),
		cmocka_unit_test(test_xss_snippet_prose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
