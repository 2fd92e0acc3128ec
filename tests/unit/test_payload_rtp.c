/* test_payload_rtp.c - issue 20, session 14 red team of helper t (path
 * traversal and file access): the constructs its fresh tables found missed
 * or wrongly flagged, one row per construct, written here from the
 * construct. Every value is judged as a query parameter value
 * (payload_scan) and as a form body "a=1&q=<percent-encoded value>"
 * (payload_scan_query): an attack must draw its own kind in both, a benign
 * value nothing in either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define T PAYLOAD_TRAVERSAL
#define N PAYLOAD_NONE

/* A file's name inside a sentence: documentation, a forum post, an error
 * message names /etc/hosts or /proc/cmdline while telling the reader about
 * it; a parameter that opens the file holds the name alone (words around
 * it make a name no file system resolves). The name alone, or with a
 * prefix, a suffix, a NUL or a climb glued to it, is still a file access. */
static void test_trav_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/proc/cmdline shows the kernel arguments", N},
		{"Check /proc/cmdline for the boot parameters.", N},
		{"You can read /proc/meminfo to see the free memory", N},
		{"Edit /etc/hosts to add the entry", N},
		{"The file /etc/passwd lists local users; passwords live in /etc/shadow.", N},
		{"What is /etc/passwd and why does it matter?", N},
		{"logs are written to /var/log/nginx/access.log by default", N},
		{"Error: ENOENT: no such file or directory, open '/app/.env'", N},
		{"On Windows the hosts file is C:\\Windows\\System32\\drivers\\etc\\hosts", N},
		{"web.config transforms in Visual Studio", N},
		{"WEB-INF/web.xml is the deployment descriptor", N},
		{"win.ini and system.ini are legacy configuration files", N},
		{"/proc/cmdline", T},
		{"/etc/hosts", T},
		{"/etc/passwd%00 and the rest", T},
		{"C:\\Documents and Settings\\Administrator\\NTUSER.DAT", T},
		{"C:\\Program Files\\Microsoft Visual Studio\\web.config", T},
		{"../../../etc/passwd is what you get", T},
		{"<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\" > ]>", T},
	};
	rt_run("trav-prose", t, sizeof(t) / sizeof(t[0]));
}

/* dotenv's naming: .env.<environment> holds the secrets (.env.local,
 * .env.production), .env.<template> is the committed example without
 * them (.env.example, .env.sample, .env.dist): an upload's name or a
 * docs link, no target */
static void test_trav_env_template(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{".env.example", N},
		{".env.sample", N},
		{".env.dist", N},
		{".env.template", N},
		{"backend/.env.example", N},
		{".env", T},
		{".env.local", T},
		{".env.production", T},
		{"/var/www/html/.env.backup", T},
		{"../../.env.example", T},
	};
	rt_run("trav-env-template", t, sizeof(t) / sizeof(t[0]));
}

/* a climb whose separator was written "%25%5c" (dotdotpwn, the public
 * traversal lists): one decoding leaves "..%\", the '%' a remnant glued
 * to the dots; NTFS stream names beside ::$DATA, and in a request path */
static void test_trav_remnant_stream(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"%25%5c..%25%5c..%25%5c..%25%5c..%25%5c..%", T},
		{"..%25%5c..%25%5c..%25%5cetc%25%5cpasswd", T},
		{"/default.aspx::$INDEX_ALLOCATION", T},
		{"/admin::$INDEX_ALLOCATION/login.php", T},
		{"growth of 5..10% a year", N},
		{"Foo::$bar", N},
	};
	rt_run("trav-remnant-stream", t, sizeof(t) / sizeof(t[0]));
}

/* an NTFS stream suffix in a request path: IIS reads the stream */
static void test_trav_stream_in_path(void **st)
{
	(void)st;
	static const struct {
		const char *in;
		int want;
	} t[] = {
		{"/index.php::$DATA", 1},
		{"/login.aspx::$data", 1},
		{"/admin::$INDEX_ALLOCATION/login.php", 1},
		{"/api/v1/items/42", 0},
		{"/docs/php/Foo::$bar", 0},
	};
	struct payload_match m[PAYLOAD__COUNT];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int k = payload_scan(t[i].in, strlen(t[i].in), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT), got = 0;

		for (int j = 0; j < k; j++)
			got |= m[j].kind == PAYLOAD_TRAVERSAL;
		if (got != t[i].want)
			fprintf(stderr, "  FAIL stream-in-path %s\n", t[i].in);
		assert_int_equal(got, t[i].want);
	}
}

/* a step up that stays under the root, spelt the way only an evasion
 * spells it (overlong UTF-8, %u, 0x2e); plainly or escaped at any depth
 * (a redirect's URL escaped twice), a link. Full-width dots are text too
 * (a Japanese ellipsis "．．．" alone, or between full-width slashes that
 * separate words): a climb past the root with a separator only. */
static void test_trav_evasive_inside(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"images/%c0%ae%c0%ae/composer.json", T},
		{"images/%2E%2E%u2215composer.json", T},
		{"/static/%C0%AE%C0%AE0x2fcomposer.json", T},
		{"uploads/%uff0e%uff0e/composer.json", T},
		{"%c0%ae%c0%ae/app.json", T},
		{"\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8f\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8f" "app", T},
		{"\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8e", N},
		{"\xe8\xb3\x87\xe6\x96\x99\xef\xbc\x8f\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8f\xe4\xbb\x96", N},
		{"img/../app.json", N},
		{"img%2F..%2Fapp.json", N},
		{"docs/../guide/intro", N},
		/* the coded byte elsewhere than the step, four plain dots */
		{"src/../lib uses 0x2f as separator", N},
		{"docs/../img: byte \\057 is a slash", N},
		{"See docs/..../api for the rest", N},
		{"1/2/..../10", N},
	};
	rt_run("trav-evasive-inside", t, sizeof(t) / sizeof(t[0]));
}

/* a relative link to a stylesheet source a few levels up is a theme's */
static void test_trav_asset_src(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"../../shared/styles/theme.scss", N},
		{"../../styles/_variables.sass", N},
		{"../../../etc/passwd", T},
	};
	rt_run("trav-asset-src", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trav_prose),
		cmocka_unit_test(test_trav_env_template),
		cmocka_unit_test(test_trav_remnant_stream),
		cmocka_unit_test(test_trav_asset_src),
		cmocka_unit_test(test_trav_stream_in_path),
		cmocka_unit_test(test_trav_evasive_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
