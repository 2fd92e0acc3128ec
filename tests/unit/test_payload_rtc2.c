/* test_payload_rtc2.c - issue 20, helper c (session 14): command
 * injection and SQLi rows a fresh red-team table and the reviewer's
 * look-alikes pinned, one test per construct. Every value is judged as a
 * query parameter value (payload_scan) and as a form body
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
#define S PAYLOAD_SQLI

/* a quote opening the value's first word and closing inside it splits
 * the word as only a shell reads it ('i'd = id); a quoted phrase does not */
static void test_cmdi_leading_quote(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"'i'd -u", C},
		{"\"w\"h\"o\"a\"m\"i -a", C},
		{"'c'at /etc/passwd", C},
		{"\"u\"name -a", C},
		{";'c'a't' /etc/passwd", C},
		{"'id card' please", N},
		{"'rock'n'roll' night", N},
		{"'Don't' worry", N},
		{"\"Hello\" world", N},
		{"'a'b testing", N},
	};
	rt_run("cmdi-leading-quote", t, sizeof(t) / sizeof(t[0]));
}

/* a lone word in a backtick pair in prose is Markdown's inline code;
 * the pair alone, glued to a value or followed by a separator is not */
static void test_cmdi_md_pair(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"`id`", C},
		{"``id``", C},
		{"127.0.0.1`id`", C},
		{"x`whoami`", C},
		{"`id`;", C},
		{"foo `id`", C},
		{"`id` #", C},
		{"x `whoami`", C},
		/* the words a proof of injection runs, in prose or not */
		{"test `whoami`. x", C},
		{"test (`whoami`) x", C},
		{"print(`hostname`)", C},
		{";print(`id`)", C},
		{"Verifies the certificate `cert` is issued to `hostname`.", N},
		{"the current value of `ps`.", N},
		{"`hostname`. On success, the `Promise` is resolved", N},
		{"Use `dmesg`.", N},
		{"`nproc`s", N},
		{"`dmesg`)", N},
		{"a function is called on the same `env`. This includes", N},
		{"``id`` is the key", N},
		{"(`lscpu`) prints it", N},
	};
	rt_run("cmdi-md-pair", t, sizeof(t) / sizeof(t[0]));
}

/* a number counts as an option's argument right after the option, not
 * inside a quoted date; a binary's path alone names a file */
static void test_cmdi_cmdline_args(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"ping -c 3 10.0.0.1", C},
		{"find / -perm -4000", C},
		{"date -d '21:04 +0100'", N},
		{"/usr/bin/mount", N},
		{"/usr/sbin/sendmail", N},
		{"/usr/bin/mount /dev/sda1 /mnt", C},
		{"/bin/cat /etc/passwd", C},
		{"/usr/bin/id;", C},
		{"/usr/bin/id", C},
		{"/bin/sh", C},
	};
	rt_run("cmdi-cmdline-args", t, sizeof(t) / sizeof(t[0]));
}

/* cmd's caret opening a word, a %VARIABLE% directory before a command,
 * an empty positional parameter inside a word */
static void test_cmdi_spellings(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"| ^w^h^o^a^m^i", C},
		{"& ^n^e^t user", C},
		{"& %SystemRoot%\\system32\\cmd.exe /c whoami", C},
		/* a user's or a program's tree is what CI scripts run from */
		{"cd %USERPROFILE% & %ProgramFiles%\\Git\\bin\\bash.exe --login -i", N},
		{"call activate & %CONDA_PREFIX%\\python.exe -m pip install -r requirements.txt", N},
		{"| %WINDIR%\\System32\\ipconfig.exe", C},
		{";wh$1oami", C},
		{"|c$2at /etc/hosts", C},
		{"grep ^abc file", N},
		{"a | ^foo", N},
		{"US$1million", N},
		{"x | %APPDATA%\\notes.txt", N},
		{"see %USERPROFILE%\\Documents", N},
	};
	rt_run("cmdi-spellings", t, sizeof(t) / sizeof(t[0]));
}

/* an expression continued after a string break: not when the value ends
 * inside a string that holds words */
static void test_sqli_open_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"'-'", S},
		{"'||'x'||'", S},
		{"\"-\" means none", N},
		{"\"+\" adds one", N},
		{"'-' is a dash", N},
	};
	rt_run("sqli-open-prose", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_leading_quote),
		cmocka_unit_test(test_cmdi_md_pair),
		cmocka_unit_test(test_cmdi_cmdline_args),
		cmocka_unit_test(test_cmdi_spellings),
		cmocka_unit_test(test_sqli_open_prose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
