/* test_payload_rev8.c - issue 20, session 29: rows of the merge review's
 * (rev8) command-injection findings: Node's child_process used (not only
 * a method called on it), and the language sinks
 * (payload_shell_lang.c): Python's __import__ only with a process
 * function, Java's argv array only with an interpreter or a probe, PHP
 * sinks given request input only as the whole argument, through wrappers
 * and variable variables, callbacks named by joined literals. Attacks
 * draw cmd_injection as a query value and a form body and reach the kill
 * line; benign rows draw nothing (payload_rt_table.h). */
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

/* F5: os.path, os.environ and getcwd are what docs import os for */
static void test_py_import_needs_a_process_function(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"__import__('os').system('id')", C},
		{"__import__('os').popen('id').read()", C},
		{"getattr(__import__('os'),'system')('id')", C},
		{"__import__('subprocess').check_output('id',shell=True)", C},
		{"__import__('os').execv('/bin/sh',['sh'])", C},
		{"__import__('pty').spawn('/bin/sh')", C},
		{"__import__('os').path.join(a, b)", N},
		{"home = __import__('os').environ.get('HOME')", N},
		{"getattr(__import__('os'), 'getcwd')()", N},
		{"__import__(\"os\").path.exists(p)", N},
		{"__import__('posix').uname()", N},
	};
	rt_run_kill("py import", C, t, sizeof(t) / sizeof(t[0]));
}

/* F6, E5: an argv array starts a shell only if its program is one (or a
 * probe); blanks and java.lang. spell the same array */
static void test_java_argv_needs_a_shell(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"Runtime.getRuntime().exec(new String[]{\"/bin/sh\",\"-c\",\"id\"})", C},
		{"Runtime.getRuntime().exec(new String []{\"sh\",\"-c\",\"id\"})", C},
		{"Runtime.getRuntime().exec(new java.lang.String[]{\"bash\",\"-c\",\"id\"})", C},
		{"exec(new String[]{\"cmd.exe\",\"/c\",\"whoami\"})", C},
		{"Runtime.getRuntime().exec(new String[]{\"git\", \"status\"})", N},
		{"Runtime.getRuntime().exec(new String[]{\"open\", url})", N},
	};
	rt_run_kill("java argv", C, t, sizeof(t) / sizeof(t[0]));
}

/* F7, E4, E7: request input as the whole argument of an eval-like sink,
 * through wrappers or ${'_GET'}; a comparison runs nothing; callback
* names joined from literals */
static void test_php_sinks(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"assert($_REQUEST[c])", C},
		{"assert($_GET['c']);", C},
		{"assert(${'_REQUEST'}['c'])", C},
		{"assert(${ \"_POST\" }[x])", C},
		{"assert(stripslashes($_REQUEST[c]))", C},
		{"@eval(base64_decode($_POST['z0']));", C},
		{"array_map('sys'.'tem',['id'])", C},
		{"call_user_func('pass'.\"thru\", 'id')", C},
		{"if (assert($_SERVER['HTTP_HOST'] === 'localhost')) {}", N},
	};
	rt_run_kill("php sinks", C, t, sizeof(t) / sizeof(t[0]));
	/* a pattern from input: told, not killed (no /e since PHP 7) */
	assert_in_range(rt_best("$out = preg_replace($_POST['find'], $_POST['replace'], $text);", 0, C), 1, 59);
}

/* L1: the module used in any way code uses it, not only .method( */
static void test_child_process_used(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"require('child_process')['exec']('id')", C},
		{"this.constructor.constructor('return process')().mainModule.require('child_process')['execSync']('id')", C},
		{"global.process.mainModule.constructor._load('child_process')['exec']('id')", C},
		{"require('child_process').exec.call(null,'id')", C},
		{"var e=require('child_process').exec;e('id')", C},
		{"require('child_process').exec?.('id')", C},
		{"const { execSync } = require('child_process'); execSync('id')", C},
		{"const cp = require('child_process'); cp.execSync(req.query.cmd)", C},
		{"require('child_process').exec('id')", C},
		{"require('child_process') is only allowed in build scripts", N},
		{"require('child_process') vs require('worker_threads')", N},
		{"The child_process module", N},
	};
	rt_run_kill("child_process", C, t, sizeof(t) / sizeof(t[0]));
}

/* E6: the script block's type by its full name */
static void test_scriptblock_full_name(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"[System.Management.Automation.ScriptBlock]::Create('whoami').Invoke()", C},
		{"&([System.Management.Automation.ScriptBlock]::Create('whoami'))", C},
		{"iex ([Management.Automation.ScriptBlock]::create('id'))", C},
	};
	rt_run_kill("scriptblock", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_import_needs_a_process_function),
		cmocka_unit_test(test_java_argv_needs_a_shell),
		cmocka_unit_test(test_php_sinks),
		cmocka_unit_test(test_child_process_used),
		cmocka_unit_test(test_scriptblock_full_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
