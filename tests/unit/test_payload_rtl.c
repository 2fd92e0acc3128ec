/* test_payload_rtl.c - helper l's red-team rows for server-side template
 * injection (payload_tmpl.c), session 13: template statements whose
 * printed or assigned expression is the attack ({%set x=7*7%}), OGNL's
 * %{...}, Freemarker's special variables, class loaders and constructor
 * walks, Python imports in Mako/Tornado blocks, Smarty's {if php()},
 * Razor's process start; and the i18n and view helpers called with one
 * string literal ({{ t('key') }}) that must draw nothing. Each value is
 * judged as a query value and as a form body (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_SSTI
#define N PAYLOAD_NONE

static void test_ssti_attacks(void **state)
{
	static const struct rtcase t[] = {
		/* a statement's expression */
		{ "{%set x=7*7%}{{x}}", S },
		{ "{% set y = 1337*3 %}", S },
		{ "{% print config %}", S },
		/* OGNL (Struts) */
		{ "%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}", S },
		{ "%{#context['xwork.MethodAccessor.denyMethodExecution']=false}", S },
		{ "%{#_memberAccess['allowStaticMethodAccess']=true}", S },
		/* Freemarker's data model, class loaders, constructors */
		{ "${.data_model}", S },
		{ "${.globals}", S },
		{ "${object.class.classLoader}", S },
		{ "{{= it.constructor.constructor('return process')() }}", S },
		{ "${''.constructor.prototype.charAt=[].join}", S },
		/* Python imports by bare module name */
		{ "<%! import os %>", S },
		{ "{% import os %}", S },
		/* Smarty's condition calling PHP; Razor without a delimiter */
		{ "{if phpinfo()}{/if}", S },
		{ "{if system('id')}{/if}", S },
		{ "@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c id\")", S },
	};

	(void)state;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
}

static void test_ssti_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* i18n and view helpers of one literal */
		{ "{{ t('welcome.title') }}", N },
		{ "{{ __(\"Hello\") }}", N },
		{ "{{ $t('nav.home') }}", N },
		{ "{{ asset('css/app.css') }}", N },
		{ "{{ route('home') }}", N },
		/* a constructor's name in a JavaScript template literal; Go
		 * templates' fields (Helm, Hugo) named like Freemarker's
		 * special variables (adversarial review) */
		{ "console.log(`Type: ${obj.constructor.name}`)", N },
		{ "throw new Error(`${this.constructor.name}: not implemented`)", N },
		{ "LABEL maintainer=\"{{ .Maintainer }}\"", N },
		{ "region: {{ .Globals.region }}", N },
		{ "image: {{ .MainImage }}", N },
		/* Ruby's and Rails i18n's %{name} */
		{ "Hello %{name}, you have %{count} new messages", N },
		{ "%{count} items", N },
		/* Jinja's own statements */
		{ "{% set title = \"Home\" %}", N },
		{ "{% print title %}", N },
		{ "{% import 'macros.html' as m %}", N },
		/* prose with a Freemarker-like tag */
		{ "<#list> is not HTML", N },
	};

	(void)state;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssti_attacks),
		cmocka_unit_test(test_ssti_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
