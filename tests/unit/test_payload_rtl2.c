/* test_payload_rtl2.c - helper l's red-team rows, session 14: template
 * injection and XPath rows fixed by construct (payload_tmpl.c,
 * payload_ldap.c), and the look-alikes that drew a kill before: Razor's
 * process class named in prose, i18n helpers called with arguments, and
 * literals joined in a template that spell no dunder. Each value is judged
 * as a query value and as a form body (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_SSTI
#define X PAYLOAD_XPATHI
#define N PAYLOAD_NONE

static void test_rtl2_attacks(void **state)
{
	static const struct rtcase t[] = {
		/* a dunder spelt by joined literals ('+' reads as a blank in
		 * a query value; Jinja joins adjacent literals too) */
		{ "{{''[\"__cl\"+\"ass__\"]}}", S },
		{ "{{''['_'+'_class__']}}", S },
		{ "{{x['__cl' ~ 'ass__']}}", S },
		{ "{{ '__' ~ 'init' ~ '__' }}", S },
		/* Razor's process start still called */
		{ "@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c whoami\")", S },
		{ "@System.Diagnostics.Process.Start (\"calc\")", S },
		/* i18n helpers whose arguments reach code or a global */
		{ "{{ _('x', n=config) }}", S },
		{ "{{ t('x', os.popen('id').read()) }}", S },
		{ "{{ $t('k', {n: request.application}) }}", S },
		/* XPath: a union of a name path, reopened for the
		 * application's quote */
		{ "'] | /a/b/c | a['", X },
		{ "\"] | /users/user | x[\"", X },
	};

	(void)state;
	rt_run("rtl2", t, sizeof(t) / sizeof(t[0]));
}

static void test_rtl2_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		{ "Use @System.Diagnostics.Process to start it", N },
		/* JSF pages build their links from facesContext */
		{ "#{facesContext.externalContext.requestContextPath}/resources/app.css", N },
		{ "see @System.Diagnostics.Process.", N },
		{ "{{ _('Hi %(n)s', n=user) }}", N },
		{ "{{ $t('key', {n: 1}) }}", N },
		{ "{{ t('a.b', count=3) }}", N },
		{ "{{ gettext('Hello %(name)s', name=user.name) }}", N },
		{ "{{ ngettext('%(num)d apple', '%(num)d apples', num) }}", N },
		{ "{{ __('Welcome :name', ['name' => $user]) }}", N },
		{ "{{ $t('msg', { count: items.length }) }}", N },
		{ "{{ url_for('static', filename='a.css') }}", N },
		{ "{{ 'Hello' ' world' }}", N },
		{ "{{ 'a__b' ~ 'c__d' }}", N },
		{ "{{ user.first_name ~ ' ' ~ user.last_name }}", N },
	};

	(void)state;
	rt_run("rtl2", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtl2_attacks),
		cmocka_unit_test(test_rtl2_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
