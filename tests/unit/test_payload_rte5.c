/* test_payload_rte5.c - issue 20, helper e (session 28): the review's
 * Razor evasions (blanks around '.', a namespace imported by @using, the
 * environment read as a property), Pug's "#{process.env}" probe and its
 * i18n look-alikes, Tornado's handler, a $where string broken out of with blanks before
 * the ';', one row per construct. Every value is judged as a
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

#define S PAYLOAD_NOSQLI
#define T PAYLOAD_SSTI
#define N PAYLOAD_NONE

/* rev6 E2: C# allows blanks around '.'; "@using System.Diagnostics;"
 * lets the view name Process alone; Environment's properties need no
 * call. Prose naming the classes without a call stays clean. */
static void test_ssti_razor_spelt(void **st)
{
	static const struct rtcase t[] = {
		{"@System . Diagnostics . Process . Start(\"cmd.exe\",\"/c id\")", T},
		{"@System .Diagnostics.Process.Start(\"calc\")", T},
		{"@using System.Diagnostics;@Process.Start(\"cmd.exe\",\"/c whoami\")", T},
		{"@using System.Diagnostics\n@{ Process.Start(\"cmd.exe\"); }", T},
		{"@using System.IO;@File.WriteAllText(\"Views/Home/x.cshtml\", \"@1\")", T},
		{"@System.Environment.MachineName", T},
		{"@System . Environment . UserName", T},
		{"@System.Environment is a class in .NET", N},
		{"@using System.Linq", N},
		{"@using System.Diagnostics; and then call Process.Start(x) in code", N},
		{"@System.Diagnostics.Process is what starts (or stops) processes", N},
		{"@System.DateTime.Now.Year", N},
		/* rev7 E5b: a using alias, a using static */
		{"@using D=System.Diagnostics;@D.Process.Start(\"calc\")", T},
		{"@using D = System.Diagnostics;@D.Process.Start(\"calc\")", T},
		{"@using static System.Diagnostics.Process;@Start(\"calc\")", T},
		{"@using D = System.Diagnostics", N},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("@System . Diagnostics . Process . Start(\"cmd.exe\",\"/c id\")", 0, T), 90);
	assert_int_equal(rt_best("@using System.Diagnostics;@Process.Start(\"cmd.exe\",\"/c whoami\")", 0, T), 90);
	assert_int_equal(rt_best("@using System.IO;@File.WriteAllText(\"Views/Home/x.cshtml\", \"@1\")", 0, T), 85);
	/* a layout may show the server's name: told */
	assert_int_equal(rt_best("@System.Environment.MachineName", 0, T), 50);
	assert_int_equal(rt_best("@using D=System.Diagnostics;@D.Process.Start(\"calc\")", 0, T), 90);
	assert_int_equal(rt_best("@using static System.Diagnostics.Process;@Start(\"calc\")", 0, T), 90);
}

/* Pug's (and CoffeeScript's) "#{ }": Node's process object printed or
 * walked; one variable or the version is told; an i18n helper given a
 * literal is a view's own call */
static void test_ssti_pug_process(void **st)
{
	static const struct rtcase t[] = {
		{"#{process.env}", T},
		{"#{ global.process.env }", T},
		{"#{root.process.mainModule.require('child_process').spawnSync('id')}", T},
		{"#{process.env.PORT}", T},
		{"#{t(\"hello\")}", N},
		{"#{__('nav.home')}", N},
		{"p Hello #{t('greeting')}!", N},
		{".btn { width: #{$base * 2}; }", N},
		{"@media (min-width: #{$bp}) { }", N},
		{"puts \"Total: #{total}\"", N},
		{"#{exec(\"id\")}", T},
		/* rev7 L6: only t('literal') closed is a view's own call */
		{"#{t('a', process.env)}", T},
		{"#{__('a', process.env)}", T},
		{"#{t('a', global)}", T},
		{"#{t('a', this)}", T},
		{"#{t('a')}#{process.env}", T},
		{"#{t('cart.items', {count: 3})}", N},
		/* rev7 E4: a blank or ?. before the member, a byte before */
		{"#{process .env}", T},
		{"#{process?.env}", T},
		{"a#{process.env}", T},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("#{process.env}", 0, T), 70);
	assert_int_equal(rt_best("  #{process.env}", 0, T), 70);
	/* named in prose: told */
	assert_true(rt_best("Pug prints \"#{process.env}\" as the environment", 0, T) < 60);
	assert_true(rt_best("#{process.mainModule.require('child_process').execSync('id')}", 0, T) >= 85);
	assert_true(rt_best("console.log \"Listening on #{process.env.PORT}\"", 0, T) < 60);
	assert_true(rt_best("#{exec(\"id\")}", 0, T) >= 60);
	assert_true(rt_best("#{t('a', process.env)}", 0, T) >= 60);
	assert_true(rt_best("#{t('a')}#{process.env}", 0, T) >= 60);
	assert_true(rt_best("#{process .env}", 0, T) >= 60);
	assert_true(rt_best("#{process?.env}", 0, T) >= 60);
	assert_true(rt_best("a#{process.env}", 0, T) >= 60);
	assert_true(rt_best("#{t('cart.items', {count: 3})}", 0, T) < 60);
}

/* Tornado's template namespace: the request handler, whose settings
 * hold the cookie secret, printed or walked; {% raw x %} prints x */
static void test_ssti_tornado_handler(void **st)
{
	static const struct rtcase t[] = {
		{"{{handler.settings}}", T},
		{"{{ handler.application.settings }}", T},
		{"{% raw handler.settings %}", T},
		{"{% raw %}{{ x }}{% endraw %}", N},
		{"The handler settings are in config.py", N},
		/* rev7 F0: a ticket's or a claim's handler in a helpdesk mail */
		{"Your ticket is handled by {{handler.name}}", N},
		{"Dear {{handler}}", N},
		{"Hi {{ handler.first_name }}, thanks", N},
		{"{{#each handlers}}{{handler.email}}{{/each}}", N},
		{"{{ handler.phone }}", N},
		{"{{handler.request}}", T},
		{"{{handler.get_secure_cookie}}", T},
		{"{{handler.__class__}}", T},
		{"{{handler .settings}}", T},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_true(rt_best("{{handler.settings}}", 0, T) >= 60);
	assert_true(rt_best("{{handler .settings}}", 0, T) >= 60);
	assert_true(rt_best("Dear {{handler}}", 0, T) < 60);
	assert_true(rt_best("Your ticket is handled by {{handler.name}}", 0, T) < 60);
}

/* a $where string broken out of with blanks before the ';' */
static void test_nosql_break_blank(void **st)
{
	static const struct rtcase t[] = {
		{"' ; while(1); '", S},
		{"\" ;  return true; var x=\"", S},
		{"' ; var a='1", S},
		{"Tom's ; return policy is 30 days", N},
		{"He said 'no' ; returning later", N},
		/* rev7 F11: a plural possessive, a spaced ';', prose after it */
		{"Kids' ; return policy: 30 days", N},
		{"Ships to all customers' ; return policy is 30 days", N},
		{"Womens' ; return within 30 days", N},
		{"the users' ; while(true) loops are bad", N},
		{"Students' ; sleep(5) minutes break", N},
		{"' ; return true; var a='", S},
		{"' ; return 1==1; var a='", S},
		{"' ; return this.a; var a='", S},
		{"' ; sleep(5000); var a='", S},
		{"' ; let a='1", S},
		{"'; return this.a != '", S},
		{"'; return '' == ';_ga=MSIrQU5EKzU1Mjg9TElLRShDSEFSKDY1LDY2LDY3LDY4LDY5LDcwLDcxKSxVUFBFUihIRVgoUkFORE9NQkxPQigzMDAwMDAwMDAvMikpKSkrLS0rS2NSUA==;session=GA1.2.626944130.177606341", S},
		{"\"; return this.a!=1; var b=\"", S},
		/* rev7 E5c: a tab or nine blanks before the ';' */
		{"'\t; return true; var a='", S},
		{"'         ; return true; var a='", S},
	};
	(void)st;
	rt_run("nosqli", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("' ; while(1); '", 0, S), 75);
	assert_int_equal(rt_best("' ; return true; var a='", 0, S), 75);
	assert_true(rt_best("Kids' ; return policy: 30 days", 0, S) < 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssti_razor_spelt),
		cmocka_unit_test(test_ssti_pug_process),
		cmocka_unit_test(test_nosql_break_blank),
		cmocka_unit_test(test_ssti_tornado_handler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
