/* test_payload_r9e.c - issue 20, the ninth red team's other classes (e):
 * the lines of an XXE example a payload list prints one a value (a
 * declared entity's reference alone or as an element's content, the XML
 * declaration alone; payload_xml_ref.c), XInclude judged by how far it
 * reaches, and values told below the kill line that main killed: a bare
 * number or a shared-address-space IP, a loopback sign-in callback, a
 * fieldless range filter, Velocity's #set of a literal, Go's printf of a
 * field, a site generator's config or the request line read by name.
 * Attacks draw their kind as a query value and a form body
 * (payload_rt_table.h); told rows stay under the kill line (60). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XXE
#define S PAYLOAD_SSRF
#define Q PAYLOAD_NOSQLI
#define T PAYLOAD_SSTI
#define N PAYLOAD_NONE

/* a multi-line XXE example cut into its lines: the reference that uses
 * the entity, the declaration that starts the document */
static void test_xxe_example_lines(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<foo>&xxe;</foo>", X},
		{"<data>&file;</data>", X},
		{"<lolz>&lol9;</lolz>", X},
		{"<userInfo><firstName>John</firstName><lastName>&ent;</lastName></userInfo>", X},
		{"&xxe;", X},
		{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", X},
		{"<?xml version=\"1.0\" encoding=\"UTF-16\"?>", X},
		{"<td>&nbsp;</td>", N},
		{"<button>&times;</button>", N},
		{"&copy; 2024 Example Inc.", N},
		{"<p>Tom &amp; Jerry</p>", N},
		{"<span>&eacute;t&eacute;</span>", N},
		{"<?xml version=\"1.0\"?><note><to>Tove</to></note>", N},
	};
	rt_run("xxe lines", t, sizeof(t) / sizeof(t[0]));
}

/* XInclude of another host, a system file or a scheme is a kill; a
 * DocBook book's chapters beside it, or the namespace alone, are told */
static void test_xinclude_reach(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<xi:include href=\"file:///etc/passwd\" parse=\"text\"/>", X},
		{"<xi:include href=\"/etc/passwd\" parse=\"text\"/>", X},
		{"<xi:include href=\"http://evil.example/x.xml\"/>", X},
		{"<xi:include parse=\"text\" href=\"..\\..\\boot.ini\"/>", X},
	};
	static const char *const told[] = {
		"<xi:include href=\"chapter1.xml\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"/>",
		"<xi:include href=\"examples/hello.c\" parse=\"text\"/>",
		"<book xmlns=\"http://docbook.org/ns/docbook\" xmlns:xi=\"http://www.w3.org/2001/XInclude\" version=\"5.0\">",
	};
	rt_run_kill("xinclude", X, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("xinclude told", told, sizeof(told) / sizeof(told[0]));
}

/* 169.254.169.254 spelt as one decimal number stays an attack (the
 * lead's call: no other number is read so, so no id collides but that
 * one); 100.100.100.200 is also a CGNAT address; a
 * loopback sign-in callback is a native client's redirect (RFC 8252) */
static void test_ssrf_told(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"2852039166/latest/meta-data", S},
		{"//2852039166/", S},
		{"http://100.100.100.200/latest/meta-data/", S},
		{"169.254.169.254", S},
		{"http://localhost:8080/admin", S},
		{"http://127.0.0.1:2375/containers/json", S},
		{"2852039166", S},
		/* q's bypasses of the callback exemption: a service's port, a
		 * climb, an escape or a line break after the host, the
		 * endpoint not last */
		{"http://127.0.0.1:6379/callback?x=%0d%0aFLUSHALL%0d%0a", S},
		{"http://localhost:2375/callback/../containers/json", S},
		{"http://127.0.0.1:8080/oauth/callback/../../actuator/env", S},
		{"http://[::1]:22/callback", S},
		{"http://127.0.0.1:6379/callback", S},
		{"http://localhost:8080/callback/admin/../../env", S},
	};
	static const char *const told[] = {
		"100.100.100.200",
		"http://localhost:3000/callback",
		"http://127.0.0.1:8000/oauth/callback",
		"https://localhost:5001/signin-oidc",
		"http://localhost:3000/api/auth/callback/github",
	};
	rt_run_kill("ssrf", S, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("ssrf told", told, sizeof(told) / sizeof(told[0]));
}

/* {"$gt": 5} whole: a range filter; the bypass compares against "",
 * null, 0 or -1, or uses another operator */
static void test_nosql_range_filter(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"{\"$gt\": \"\"}", Q},
		{"{\"$gt\": 0}", Q},
		{"{\"$gt\": -1}", Q},
		{"{\"$gt\": null}", Q},
		{"{\"$gt\": 5, \"$ne\": 1}", Q},
		{"{\"password\": {\"$gt\": 5}}", Q},
	};
	static const char *const told[] = {
		"{\"$gt\": 5}",
		"{\"$gte\": 10, \"$lte\": 100}",
		"{\"$gt\":\"2024-01-01\"}",
	};
	rt_run_kill("nosql", Q, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("nosql told", told, sizeof(told) / sizeof(told[0]));
}

/* Velocity's #set of a literal, Go's printf/index of fields */
static void test_template_told(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"#set($x = 7*7)${x}", T},
		{"#set($x=$e.class)", T},
		{"#set($s=\"$class.inspect\")", T},
		{"{{printf \"%v\" .}}", T},
		{"{{ call .Exec \"id\" }}", T},
		{"{{ printf \"%s\" $x }}", T},
		{"{{config.items()}}", T},
		{"{{ config.SECRET_KEY }}", T},
		{"{{ request.environ }}", T},
		{"{{ request.args.c }}", T},
		{"{{ config.from_pyfile(\"/tmp/x\") }}", T},
	};
	static const char *const told[] = {
		"#set($x = 1)",
		"#set($greeting = \"Hello\")",
		"#set($on = true)",
		"{{ printf \"%.2f\" .Price }}",
		"{{ index .Items 0 }}",
		"{{ config.site_name }}",
		"{{ config.extra.analytics }}",
		"{{ request.path }}",
	};
	rt_run_kill("templates", T, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("templates told", told, sizeof(told) / sizeof(told[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xxe_example_lines),
		cmocka_unit_test(test_xinclude_reach),
		cmocka_unit_test(test_ssrf_told),
		cmocka_unit_test(test_nosql_range_filter),
		cmocka_unit_test(test_template_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
