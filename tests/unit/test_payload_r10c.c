/* test_payload_r10c.c - issue 21, command injection red team c (tenth):
 * a separator then a command word given one or two plain English words
 * (the tester's synthetic prose: "; useradd colors", "& whoami section"),
 * told and not killed; the glued and argument-bearing payloads still kill. */
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

static void told_not_killed(const char *v)
{
	for (int ctx = 0; ctx < 2; ctx++) {
		int b = rt_best(v, ctx, PAYLOAD__COUNT);
		if (b < 50 || b >= 60)
			fprintf(stderr, "told, not killed: %s (ctx %d): %d\n", v, ctx, b);
		assert_true(b >= 50 && b < 60);
	}
}

/* a spaced separator, a command word, then plain English words to the
 * value's end: a finding, not a reset */
static void test_spaced_command_then_english(void **st)
{
	(void)st;
	static const char *const told[] = {"; useradd colors", "pets & whoami section", " || uname photos",
					   " ; net sugar", "| id box", "1 & bash sitter",
					   " ; python office", "& su nip", "hamster; whoami and dogs"};
	static const struct rtcase t[] = {
		{";useradd hacker", C},
		{";whoami", C},
		{"; whoami", C},
		{"|id", C},
		{"| id", C},
		{";uname -a", C},
		{"; useradd -o -u 0 x", C},
		{"; net user", C},
		{"& net user hacker P@ss123 /add", C},
		{"; nc 10.0.0.1 4444", C},
		{"; python exploit.py", C},
		{"; bash -i", C},
		{";echo pwned", C},
		{"; echo vulnerable", C},
		{"|| tasklist rem", C},
		{"'&& REG QUERY HKLM\\SAM", C},
		{"x;whoami section", C},
		{"; whoami;", C},
		{"| wevtutil cl security", C},
		{"& vssadmin delete shadows", C},
	};
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		told_not_killed(told[i]);
	rt_run_kill("spaced english", C, t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell naming its command at run time, or running a string, after
 * a separator */
static void test_powershell_runtime_names(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";&(gcm i*x) 'whoami'", C},
		{"; & (gcm *ke-E*) 'whoami'", C},
		{"|.(\"{1}{0}\" -f 'x','ie') whoami", C},
		{";&(\"i\"+\"ex\") whoami", C},
		{";iex 'who'+'ami'", C},
		{";iex $env:x", C},
		{"; Invoke-Expression whoami", C},
		{";sal x iex;x whoami", C},
		{"$env:comspec /c whoami", C},
		{"x;$env:ComSpec /c dir", C},
		{";Start-Process cmd -ArgumentList '/c whoami'", C},
		{"|saps powershell.exe", C},
		{";Start-Process notepad -ArgumentList x.txt", C},
		{"Start-Process notepad.exe opens Notepad", N},
		{"iex \"& { $(irm https://aka.ms/install-powershell.ps1) } -UseMSI\"", N},
		{"$env:PATH += \";C:\\tools\"", N},
		{"Set-Location $env:USERPROFILE", N},
		{"Tom &(Jerry) show", N},
		{"Q&A (gcm) notes", N},
		{"In PowerShell, & (Get-Command notepad) runs Notepad.", N},
	};
	rt_run_kill("powershell names", C, t, sizeof(t) / sizeof(t[0]));
}

/* programs that run the command given them: schedulers' wrappers,
 * script -c, an editor's or debugger's shell escape */
static void test_runners(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";nice -n 19 id", C},
		{"|nice -19 whoami", C},
		{";stdbuf -o0 id", C},
		{";ionice -c3 uname -a", C},
		{";script -qc /bin/sh /dev/null", C},
		{";script -c id /dev/null", C},
		{";vim -c ':!/bin/sh'", C},
		{";vi -c ':!sh' -c ':q'", C},
		{"|gdb -nx -ex '!sh' -ex quit", C},
		{";gdb -q -ex 'shell id' -ex quit", C},
		{"nice -n 10 make", N},
		{"vim -c 'set ff=unix' -c wq file.txt", N},
		{"gdb -ex run --args ./a.out", N},
		{"Have a nice day; nice weather", N},
		{"script -q /dev/null", N},
	};
	rt_run_kill("runners", C, t, sizeof(t) / sizeof(t[0]));
}

/* a reader glued to a leading separator, given a plain name */
static void test_glued_readers(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";rev flag", C},
		{";head flag", C},
		{";tail flag", C},
		{"&more flag", C},
		{"file(`STRINGS`_ <filename> <out-var> [...])", N},
		{"; head count", N},
		{"& type ahead", N},
		{"rev-share agreement; strings attached", N},
		{"guitar strings; nylon", N},
	};
	rt_run_kill("glued readers", C, t, sizeof(t) / sizeof(t[0]));
}

/* "id;" and "env;" opening a value, closed by ';' alone: a finding */
static void test_closed_probe_columns(void **st)
{
	(void)st;
	static const char *const told[] = {"id;", "env;", "id; "};
	static const struct rtcase t[] = {
		{"id|", C},
		{"id #", C},
		{"whoami;", C},
		{"id;'", C},
		{"uptime;", C},
	};
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		told_not_killed(told[i]);
	rt_run_kill("closed probes", C, t, sizeof(t) / sizeof(t[0]));
}

/* an interpreter named with its version runs code as the bare name does */
static void test_versioned_interpreters(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";lua5.3 -e 'os.execute(\"id\")'", C},
		{"|php8.1 -r 'system(\"id\");'", C},
		{";ruby3.2 -e 'exec \"/bin/sh\"'", C},
		{"lua5.3 is installed; php8.1 too", N},
		{";$f='sys'.'tem';$f('id');", C},
		{"$a = \"pass\" . \"thru\"; $a(\"whoami\");", C},
		{"$x='system';$x('cat /etc/passwd')", C},
		{"$mode = 'system' (default)", N},
		{"$f = 'format'; $f('x')", N},
	};
	rt_run_kill("versioned interpreters", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spaced_command_then_english),
		cmocka_unit_test(test_powershell_runtime_names),
		cmocka_unit_test(test_runners),
		cmocka_unit_test(test_glued_readers),
		cmocka_unit_test(test_closed_probe_columns),
		cmocka_unit_test(test_versioned_interpreters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
