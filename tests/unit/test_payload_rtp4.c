/* test_payload_rtp4.c - issue 20, session 17 red team of helper t (path
 * traversal, local and remote file inclusion): the cuts and names the
 * last review left open (rev5 E5, note17) and the look-alikes that must
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

/* rev5 E5: a run of '?', '#' and '&' after a system file's name cuts
 * what a reader appends as one '?' does */
static void test_system_file_cut_runs(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/opt/atlassian/jira/dbconfig.xml??", 60, 100},
		{"/opt/atlassian/jira/dbconfig.xml?#", 60, 100},
		{"/opt/atlassian/jira/dbconfig.xml?&", 60, 100},
		{"/usr/local/tomcat/conf/tomcat-users.xml#?", 60, 100},
		{"/var/www/html/??", 0, 0},
		{"/opt/app/?&", 0, 0},
	};
	run("system-file-cut-runs", t, sizeof(t) / sizeof(t[0]));
}

/* rev5 E5: a remote include's query made only of '?'s and '&'s ("?&",
 * "??&") names no parameter, as "?" and "??" do, but a link builder
 * joining an empty list leaves it too: told (q's report). A blank after
 * the cut is what a copy leaves */
static void test_rfi_cut_amp(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"http://evil.example/r57.txt?&", 50, 59},
		{"http://evil.example/shell.txt??&", 50, 59},
		{"https://example.com/license.txt?&", 50, 59},
		{"http://evil.example/shell.txt? ", 70, 100},
		{"http://evil.example/shell.txt?#", 70, 100},
		{"https://example.com/index.php?&", 50, 59},
		/* a key with no value, then '&': a query's own cut (rtp3) */
		{"http://evil.example/shell.txt?raw&", 0, 0},
		{"https://example.com/search?", 0, 0},
	};
	run("rfi-cut-amp", t, sizeof(t) / sizeof(t[0]));
}

/* note17: php://temp and php://memory are streams an include opens with
 * no file at all; alone they read nothing: told. A filter chain writing
 * into one is php://filter's (killed); a sentence about them is none
 * (benign.txt, also as a request path's segment) */
static void test_php_streams(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"php://temp", 50, 59},
		{"php://memory", 50, 59},
		{"php://temp/maxmemory:1048576", 50, 59},
		{"php://filter/convert.base64-decode/resource=php://temp", 60, 100},
		{"Use php://memory for an in-memory stream in tests", 0, 0},
		{"the php://memory stream is faster than a temp file", 0, 0},
	};
	run("php-streams", t, sizeof(t) / sizeof(t[0]));
}

/* rev5/note17: a control byte between the dots and the separator
 * ("..%0d%0a/", "..%09/"): a decoder that trims blanks climbs */
static void test_ctrl_climb(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"..\r\n/..\r\n/..\r\n/etc/passwd", 60, 100},
		{"..\n/..\n/..\n/var/www/html/config.php", 60, 100},
		{"..\t/..\t/windows/win.ini", 60, 100},
		{"..\x0b/..\x0b/..\x0b/srv/app/x", 60, 100},
		{"Loading...\r\nDone", 0, 0},
		{"wait..\n/help for more", 0, 59},
	};
	run("ctrl-climb", t, sizeof(t) / sizeof(t[0]));
}

/* note17: Spring's classpath: prefix naming the application's own
 * configuration (its secrets) is told; a resource directory (Flyway's
 * classpath:db/migration, templates, static) is configuration */
static void test_classpath(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"classpath:application.properties", 50, 59},
		{"classpath:/application.yml", 50, 59},
		{"classpath*:bootstrap.yaml", 50, 59},
		{"classpath:application-prod.properties", 50, 59},
		{"classpath:../../../../etc/passwd", 60, 100},
		{"classpath:db/migration", 0, 0},
		{"classpath:/static/", 0, 0},
		{"classpath:templates/email.html", 0, 0},
		{"classpath*:mappers/*.xml", 0, 0},
	};
	run("classpath", t, sizeof(t) / sizeof(t[0]));
}

/* note17: PHP's diagnostics page as a whole value (a file parameter
 * pointed at it) is told; other page names are a site's own */
static void test_probe_names(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"phpinfo.php", 50, 59},
		{"/phpinfo.php", 50, 59},
		{"../phpinfo.php", 50, 100},
		{"info.php", 0, 0},
		{"test.php", 0, 0},
		{"server-status", 0, 0},
		{"How do I hide phpinfo.php from search engines?", 0, 0},
	};
	run("probe-names", t, sizeof(t) / sizeof(t[0]));
}

/* Windows' raw device namespace (\\.\PhysicalDrive0, \\.\GLOBALROOT)
 * names disks, not files: told (50; dd's if= and disk tools' docs name
 * them: the merge's review), a sensitive file through one killed; a named
 * pipe (\\.\pipe\docker_engine) is an ordinary configuration value */
static void test_windows_devices(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"\\\\.\\PhysicalDrive0", 50, 59},
		{"\\\\.\\HarddiskVolume1\\windows\\win.ini", 60, 100},
		{"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\x", 50, 59},
		{"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\windows\\system32\\config\\sam", 60, 100},
		{"\\\\.\\pipe\\docker_engine", 0, 0},
		{"npipe:////./pipe/docker_engine", 0, 0},
	};
	run("windows-devices", t, sizeof(t) / sizeof(t[0]));
}

/* names the lists lacked: Windows' answer files, mail spools */
static void test_names(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"C:\\unattend.txt", 60, 100},
		{"unattend.txt", 50, 59},
		{"C:\\Windows\\Panther\\Unattend\\Unattended.xml", 60, 100},
		{"/var/spool/mail/root", 60, 100},
		{"unattended-upgrades", 0, 0},
	};
	run("names", t, sizeof(t) / sizeof(t[0]));
}

/* a drive path to a user's own file (a log, a config) is what forms and
 * tickets carry: main killed these at 75. A server's tree still counts */
static void test_drive_user_files(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"C:\\Users\\jdoe\\Documents\\config.xml", 0, 59},
		{"D:\\projects\\app\\settings.ini", 0, 59},
		{"C:\\temp\\install.log", 0, 59},
		{"C:\\Users\\me\\AppData\\Local\\MyApp\\app.log", 0, 59},
		{"C:\\xampp\\apache\\conf\\httpd.conf", 60, 100},
		{"C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210101.log", 60, 100},
		{"C:\\Program Files\\MySQL\\MySQL Server 5.7\\my.ini", 60, 100},
		{"C:\\wamp64\\bin\\php\\php7.4.9\\php.ini", 60, 100},
		{"C:\\MySQL\\data\\mysql.err", 60, 100},
	};
	run("drive-user-files", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_file_cut_runs), cmocka_unit_test(test_rfi_cut_amp),
		cmocka_unit_test(test_php_streams),	     cmocka_unit_test(test_ctrl_climb),
		cmocka_unit_test(test_classpath),	     cmocka_unit_test(test_probe_names),
		cmocka_unit_test(test_windows_devices),      cmocka_unit_test(test_names),
		cmocka_unit_test(test_drive_user_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
