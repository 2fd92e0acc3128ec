/* test_payload_rtp5.c - issue 20, session 18 red team of helper t (path
 * traversal, local and remote file inclusion): the kill-level false
 * positives note18 left open (a wrapper as a sentence's subject, a log
 * directory's listing glob, a log path after a directive's or a command's
 * word, a user's own program under Program Files), the attacks beside
 * them that must stay kills, and the remote includes with no script name
 * that stay below the kill line on purpose. Each value is judged as a
 * query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query); the highest
 * path_traversal score must lie in the row's range in both. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_trav_rows.h"

/* a wrapper's URL opens with its whole token: one followed by the words
 * of a sentence names it to a reader (main: 90); expect:// runs a
 * command line, whose words are arguments */
static void test_wrapper_subject(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"php://input is how you read the raw body in PHP", 0, 59},
		{"php://stdin is the same stream as STDIN in the CLI", 0, 59},
		{"php://input", 60, 100},
		{"php://filter/convert.base64-encode/resource=index.php", 60, 100},
		{"expect://cat /etc/passwd and then some more words here", 60, 100},
		{"data://text/plain,<?php system('id'); ?> is how it works", 60, 100},
	};
	run("wrapper-subject", t, sizeof(t) / sizeof(t[0]));
}

/* a '*' right after a directory name, or anywhere in a system tree's
 * absolute path, is a listing's pattern: no one file (main: 75) */
static void test_log_glob(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/var/log/*.log", 0, 59},
		{"ls /var/log/*.log | grep error", 0, 59},
		{"/var/log/nginx/*.log", 0, 59},
		{"/var/log/auth.log", 60, 100},
		{"../../var/log/apache2/access.log", 60, 100},
		{"../../../var/log/*", 60, 100},
		{"/e?\?/p*d", 60, 100},
		/* merge review (q): a '*' after a cut is padding, not a glob */
		{"/var/log/apache2/access.log;*", 60, 100},
		{"/var/log/apache2/access.log#*", 60, 100},
		{"/var/log/apache2/access.log?*", 60, 100},
		{"/var/log/apache2/access.log%00*", 60, 100},
		/* merge review (rev7): only a log directory's listing is a glob */
		{"/.git/index?*", 60, 100},
		{"/.svn/wc.db?*", 60, 100},
		{"/WEB-INF/web.xml?*", 60, 100},
		{"/var/run/secrets/kubernetes.io/serviceaccount/token*", 60, 100},
		{"/var/log/auth.log?*", 60, 100},
	};
	run("log-glob", t, sizeof(t) / sizeof(t[0]));
}

/* a log file after a directive's, a macro's or a roff request's word,
 * with no option, shell separator or substitution after it (main: 75) */
static void test_log_after_word(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"access_log /var/log/nginx/access.log;", 0, 59},
		{"error_log /var/log/nginx/error.log;", 0, 59},
		{"#define\t_PATH_WTMP\t\"/var/log/wtmp\"", 0, 59},
		{"#SULOG_FILE\t/var/log/sulog", 0, 59},
		{".B rtmon file /var/log/rtmon.log", 0, 59},
		{".I /var/log/wtmp", 0, 59},
		{"CustomLog /var/log/apache2/access.log", 0, 59},
		{"foo; tail -n 5 /var/log/auth.log", 60, 100},
		{"tail -n 20 /var/log/syslog", 60, 100},
		{"foo | cat /var/log/auth.log", 60, 100},
		{"x $(cat /var/log/auth.log)", 60, 100},
		{"label\t/var/log/nginx/access.log", 60, 100},
		{"cat /etc/passwd", 60, 100},
		/* merge review (rev7): a directive that includes the file it
		 * names, and a second file after the log's */
		{"php_value auto_prepend_file /var/log/apache2/access.log", 60, 100},
		{"include /var/log/apache2/access.log", 60, 100},
		{"xx /var/log/x /etc/shadow", 60, 100},
	};
	run("log-after-word", t, sizeof(t) / sizeof(t[0]));
}

/* Program Files and ProgramData: a server's install under them is the
 * system's tree, a user's own program is not (main: 75) */
static void test_program_files(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"C:\\Program Files\\MyApp\\app.config", 0, 59},
		{"C:\\Program Files (x86)\\Contoso\\Reports\\settings.xml", 0, 59},
		{"C:\\ProgramData\\Acme\\config.ini", 0, 59},
		{"C:\\Program Files\\MySQL\\MySQL Server 5.7\\my.ini", 60, 100},
		{"C:/Program Files/Apache Group/Apache/conf/httpd.conf", 60, 100},
		{"C:/Program Files/Apache Software Foundation/Tomcat 9.0/conf/tomcat-users.xml", 60, 100},
		{"C:/Program Files (x86)/FileZilla Server/FileZilla Server.xml", 60, 100},
		{"C:\\ProgramData\\MySQL\\MySQL Server 8.0\\my.ini", 60, 100},
		{"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Log\\ERRORLOG.log", 60, 100},
		{"C:\\Program Files\\MICROS~1\\x.ini", 60, 100},
		{"c:\\progra~1\\myapp\\app.config", 60, 100},
		{"C:\\Program Files\\Microsoft Visual Studio\\web.config", 60, 100},
		/* merge review (q): the credential stores LFI lists name */
		{"C:\\Program Files\\WinSCP\\WinSCP.ini", 60, 100},
		{"C:\\Program Files (x86)\\WinSCP\\WinSCP.ini", 60, 100},
		{"C:\\Program Files\\Atlassian\\Confluence\\confluence.cfg.xml", 60, 100},
		{"C:\\Program Files\\RabbitMQ Server\\rabbitmq.conf", 60, 100},
		{"C:\\Program Files\\SmarterTools\\SmarterMail\\Service\\mailConfig.xml", 60, 100},
		{"C:\\Program Files\\TeamViewer\\TeamViewer15_Logfile.log", 60, 100},
		{"C:\\Program Files\\VMware\\VMware Tools\\tools.conf", 60, 100},
	};
	run("program-files", t, sizeof(t) / sizeof(t[0]));
}

/* a remote include with no script's name: redirect=, url=, return= and
 * image parameters carry the same addresses; told at most (note18) */
static void test_remote_no_script(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"http://evil.example/shell", 0, 59},
		{"http://1.2.3.4/shell.txt", 0, 59},
		{"https://www.example.com/login", 0, 59},
		{"http://evil.example/shell.txt?", 60, 100},
	};
	run("remote-no-script", t, sizeof(t) / sizeof(t[0]));
}

/* the Active Directory database, read off a shadow copy or the drive
 * (main: 50 through the device path, none on the drive) */
static void test_ntds(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"C:\\Windows\\NTDS\\ntds.dit", 60, 100},
		{"\\\\.\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy2\\Windows\\NTDS\\ntds.dit", 60, 100},
		{"../../../../Windows/NTDS/ntds.dit", 60, 100},
		{"Back up ntds.dit with wbadmin before the upgrade", 0, 59},
		/* alone it is told (rev7): an admin names the file */
		{"NTDS.dit", 0, 59},
		{"ntds.dit", 0, 59},
	};
	run("ntds", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapper_subject), cmocka_unit_test(test_log_glob),
		cmocka_unit_test(test_log_after_word),	cmocka_unit_test(test_program_files),
		cmocka_unit_test(test_remote_no_script), cmocka_unit_test(test_ntds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
