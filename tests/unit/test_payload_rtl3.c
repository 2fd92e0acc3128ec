/* test_payload_rtl3.c - helper l's red-team rows, session 15: the review's
 * open template and XPath findings (rev3 A4, E4, E5, E6 and JSF's
 * facesContext walks), fixed by construct (payload_tmpl.c,
 * payload_tmpl_el.c, payload_ldap.c), and the look-alikes near them.
 * Each value is judged as a query value and as a form body
 * (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_SSTI
#define X PAYLOAD_XPATHI
#define N PAYLOAD_NONE

static void test_rtl3_attacks(void **state)
{
	static const struct rtcase t[] = {
		/* E4: a dunder joined from a repeated literal */
		{ "{{''[\"_\"*2+\"class\"+\"_\"*2]}}", S },
		{ "{{''['_'*2~'globals'~'_'*2]}}", S },
		{ "{{ x[\"_\" * 2 ~ \"init\" ~ \"_\" * 2] }}", S },
		/* E5: EL's blanks between tokens */
		{ "#{ facesContext .externalContext.response}", S },
		{ "#{facesContext . externalContext . request . servletContext}", S },
		/* JSF: the walks that reach the container or code */
		{ "#{facesContext.externalContext.request.servletContext}", S },
		{ "${facesContext.externalContext.response}", S },
		{ "#{facesContext .application .evaluateExpressionGet (facesContext, 'x', null)}", S },
		{ "${pageContext.request.servletContext}", S },
		{ "${pageContext.request}", S },
		/* E6: the union's last step re-opens a literal after blanks or
		 * a name */
		{ "'] | /a/b/c | a ['", X },
		{ "'] | /a/b/c | a[@x='", X },
		{ "\"] | //user/* | a [ \"", X },
		/* Velocity's references without braces that reach reflection */
		{ "$class.inspect(\"java.lang.Runtime\").type.getRuntime().exec(\"id\")", S },
		{ "$request.getClass().getClassLoader()", S },
		{ "#set($c=$x.getClass().forName(\"java.lang.Runtime\"))", S },
		{ "$!x.class.classLoader.loadClass(\"a.B\")", S },
		/* the scanners' single-brace product (Smarty), T4's <#= #> */
		{ "{7*7}", S },
		{ "{ 1337*2 }", S },
		{ "name'{7*7}", S },
		{ "search {7*7}", S },
		{ "<#= 7*7 #>", S },
	};

	(void)state;
	rt_run("rtl3", t, sizeof(t) / sizeof(t[0]));
}

static void test_rtl3_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* A4: harmless dunders joined, judged as the plain literal */
		{ "{{ '__main' ~ '__' }}", N },
		{ "{{ pkg + '/__init' + '__.py' }}", N },
		{ "{{ pkg + '/__init__.py' }}", N },
		{ "{{ '__main__' }}", N },
		{ "{{ \"_\" * 20 }}", N },
		/* JSP's and JSF's everyday walks */
		{ "${pageContext.request.contextPath}/css/style.css", N },
		{ "#{facesContext.externalContext.request.contextPath}/img/logo.png", N },
		{ "#{ facesContext.viewRoot.locale }", N },
		{ "#{facesContext.externalContext.sessionMap['user'].name}", N },
		{ "#{facesContext.maximumSeverity}", N },
		{ "'] | [' is a weird string", N },
		{ "ls ['a'] | sort", N },
		{ "x^{2*3} and \\frac{1}{2*3}", N },
		{ "{count} items at {price}", N },
		{ "{2} * {3}", N },
		{ "calc: 7*7=49 and {7*7} in braces", N },
		{ "\\sqrt{2*3}", N },
		{ "$el.find('.item').addClass('active')", N },
		{ "$.ajax({url: '/api', type: 'POST'})", N },
		{ "$order.total.format(2)", N },
	};

	(void)state;
	rt_run("rtl3", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtl3_attacks),
		cmocka_unit_test(test_rtl3_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
