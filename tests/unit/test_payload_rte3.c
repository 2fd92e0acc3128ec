/* test_payload_rte3.c - issue 20, helper e (session 16): template forms the
 * review (rev4 G1, E2) and the last closing note left open, and the fresh
 * table's misses, one row per construct. Every value is judged as a query
 * parameter value (payload_scan) and as a form body "a=1&q=<percent-encoded
 * value>" (payload_scan_query): an attack must draw its own kind in both, a
 * benign value nothing in either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define T PAYLOAD_SSTI
#define N PAYLOAD_NONE

/* Velocity's property walk needs no '(' (rev4 G1), and its calls take
 * blanks inside their parentheses (rev4 E2) */
static void test_ssti_velocity_walks(void **st)
{
	static const struct rtcase t[] = {
		{"$request.class.classLoader.resources.context.parent.pipeline.first.directory", T},
		{"$x.class.classLoader", T},
		{"$!x.class.classLoader.parent", T},
		{"$x.toString( ).getClass( ).forName( \"java.lang.Runtime\" ).getRuntime( ).exec( \"id\" )", T},
		{"$x.getClass( ).forName( \"java.lang.Runtime\" )", T},
		{"$!{request.getClass()}", T},
		/* kept below: a stack trace, a class named in prose, a price */
		{"at sun.misc.Launcher$AppClassLoader.loadClass(Launcher.java:349)", N},
		{"The class loader (ClassLoader) loads classes", N},
		{"Price: $5.00 - $7.50", N},
		{"Use $x.class.name to print the type", N},
		{"$classLoaders.size", N},
		/* one step of prose after a reference (h16 tester) */
		{"$this.classLoader is null in tests", N},
		{"Why is $ctx.classLoader null here?", N},
		{"$this.classLoader", T},
		{"$x.class.classLoader.parent is the walk", T},
	};

	(void)st;
	rt_run("velocity", t, sizeof(t) / sizeof(t[0]));
}

/* a statement that includes, extends or imports a file outside the
 * templates (Jinja, Twig, Nunjucks, Django; Freemarker's directives) */
static void test_ssti_include_path(void **st)
{
	static const struct rtcase t[] = {
		{"{% include \"/etc/passwd\" %}", T},
		{"{% include '../../../../etc/shadow' %}", T},
		{"{% extends \"/etc/passwd\" %}", T},
		{"{%extends '../../app/config.py'%}", T},
		{"{% from \"/etc/passwd\" import x %}", T},
		{"{% import \"/proc/self/environ\" as x %}", T},
		{"<#include \"/etc/passwd\">", T},
		{"<#include '../../../etc/hosts'>", T},
		{"<#import \"/etc/passwd\" as x>", T},
		{"[#include \"/etc/passwd\"]", T},
		{"{% include \"header.html\" %}", N},
		{"{% extends \"base.html\" %}", N},
		{"{% include 'partials/footer.html' %}", N},
		{"{% import \"macros.html\" as m %}", N},
		{"<#include \"/common/copyright.ftl\">", N},
		{"<#import \"/libs/commons.ftl\" as com>", N},
		/* relative names resolved from the current template (Django 2.0+,
		 * Nunjucks, Freemarker) and a site's own tree (h16 tester) */
		{"{% extends \"../base.html\" %}", N},
		{"{% include \"../partials/nav.njk\" %}", N},
		{"{% from \"../macros/forms.html\" import input %}", N},
		{"<#include \"../lib/utils.ftl\">", N},
		{"{% include \"/home/deploy/site/templates/nav.html\" %}", N},
		{"<#include \"/opt/app/templates/footer.ftl\">", N},
		{"{% include \"../../../../etc/passwd\" %}", T},
		{"{% include \"../../.env\" %}", T},
		{"{% include \"../../../x.html\" %}", T},
		{"{% include \"c:/windows/win.ini\" %}", T},
		{"{% include \"file:///home/x/y\" %}", T},
	};

	(void)st;
	rt_run("include", t, sizeof(t) / sizeof(t[0]));
}

/* OGNL: blanks after "%{", and the member access switch with no
 * delimiter (Struts' Content-Type and namespace payloads) */
static void test_ssti_ognl(void **st)
{
	static const struct rtcase t[] = {
		{"%{ 7*7 }", T},
		{"%{  #a=7*7 }", T},
		{"%{ (#cmd='id') }", T},
		{"(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)", T},
		{"(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#cmd='id')", T},
		{"(#context['xwork.MethodAccessor.denyMethodExecution']=false)", T},
		{"See #context[\"user\"] in the docs", N},
		{"Hi %{ name }, you have %{count} messages", N},
		{"%{count} items", N},
	};

	(void)st;
	rt_run("ognl", t, sizeof(t) / sizeof(t[0]));
}

/* a filter of Jinja, Twig, Ansible given literals, a view helper given
 * names: no code is reached (they were kills); a filter that takes a
 * callable by name, or is handed a template global, still is */
static void test_ssti_view_helpers(void **st)
{
	static const struct rtcase t[] = {
		{"{{ total | round(2) }}", N},
		{"{{ x | default('n/a') }}", N},
		{"{{ post.date | strftime('%Y-%m-%d') }}", N},
		{"{{ items | join(', ') }}", N},
		{"{{ csrf_token() }}", N},
		{"{{ form_widget(form.name) }}", N},
		{"{{['id']|map('system')|join}}", T},
		{"{{[0]|reduce('system','id')}}", T},
		{"{{ x|e('system') }}", T},
		{"{{ x | default(config) }}", T},
		{"{{ x|default(''.__class__) }}", T},
		{"{{ self() }}", T},
		{"{{ phpinfo() }}", T},
	};

	(void)st;
	rt_run("views", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssti_velocity_walks),
		cmocka_unit_test(test_ssti_include_path),
		cmocka_unit_test(test_ssti_ognl),
		cmocka_unit_test(test_ssti_view_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
