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

/* the highest score of kind k for v as a query value */
static int top(const char *v, enum payload_kind k)
{
	struct payload_match m[PAYLOAD__COUNT];
	int n = payload_scan(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), best = 0;

	for (int i = 0; i < n; i++)
		if (m[i].kind == k && m[i].score > best)
			best = m[i].score;
	return best;
}

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
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(top("@System . Diagnostics . Process . Start(\"cmd.exe\",\"/c id\")", T), 90);
	assert_int_equal(top("@using System.Diagnostics;@Process.Start(\"cmd.exe\",\"/c whoami\")", T), 90);
	assert_int_equal(top("@using System.IO;@File.WriteAllText(\"Views/Home/x.cshtml\", \"@1\")", T), 85);
	/* a layout may show the server's name: told */
	assert_int_equal(top("@System.Environment.MachineName", T), 50);
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
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(top("#{process.env}", T), 70);
	assert_int_equal(top("  #{process.env}", T), 70);
	/* named in prose: told */
	assert_true(top("Pug prints \"#{process.env}\" as the environment", T) < 60);
	assert_true(top("#{process.mainModule.require('child_process').execSync('id')}", T) >= 85);
	assert_true(top("console.log \"Listening on #{process.env.PORT}\"", T) < 60);
	assert_true(top("#{exec(\"id\")}", T) >= 60);
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
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_true(top("{{handler.settings}}", T) >= 60);
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
	};
	(void)st;
	rt_run("nosqli", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(top("' ; while(1); '", S), 75);
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
