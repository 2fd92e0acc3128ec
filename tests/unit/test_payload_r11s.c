/* test_payload_r11s.c - issue 20, red team s (SQL injection, the eleventh):
 * the rows its table found. Oracle's and MSSQL's niladic USER as an
 * operand (LOWER(USER)=USER); the same expression on both sides of a
 * comparison; a comparison with a query between the break and the
 * application's own quote ('=(SELECT 1 FROM dual)='); comparisons chained
 * (1 AND 1=1 LIKE 1); NOT RLIKE and [NOT] BETWEEN as the
 * whole tail of a number; MySQL's || and && between a number and a
 * literal or a name (1||id||1); FETCH FIRST after a tautology. Attacks
 * draw sqli as a query value and a form body and reach the kill line;
 * benign rows draw nothing (payload_rt_table.h). */
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

/* USER (Oracle, PostgreSQL, MSSQL: the session's user, called with no
 * parentheses) compared after a break or a number */
static void test_niladic_user(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1' AND LOWER(USER)=USER--", S},
		{"1' AND LOWER(USER)=USER-- -", S},
		{"1' AND USER=USER--", S},
		{"1 AND USER=USER", S},
		{"1 AND USER IS NOT NULL", S},
		{"1' AND USER LIKE 'S%'--", S},
		{"1' AND UPPER(USER)=USER AND 'a'='a", S},
		{"'=(SELECT USER FROM dual)='", S},
	};
	rt_run_kill("niladic user", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"user = user", N},
		{"user is not null", N},
		{"USER=admin", N},
		{"lower(user) = user", N},
		{"users like this", N},
		{"The user is null", N},
		{"Tom's user=admin", N},
	};
	rt_run("niladic user", b, sizeof(b) / sizeof(b[0]));
}

/* the same name or call on both sides: a tautology with no literal */
static void test_same_sides(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 AND CURRENT_DATE=CURRENT_DATE", S},
		{"1' AND name=name-- -", S},
		{"1 OR id=id", S},
		{"1) AND x.col=x.col-- -", S},
	};
	rt_run_kill("same sides", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"x = x", N},
		{"a=a", N},
		{"f(x) = f(x)", N},
		{"i = i + 1", N},
		{"1 and name is name", N},
	};
	rt_run("same sides", b, sizeof(b) / sizeof(b[0]));
}

/* a query compared between the break and the application's own quote */
static void test_query_before_own_quote(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"'=(SELECT 1 FROM dual)='", S},
		{"'=(SELECT 1)='", S},
		{"1'=(SELECT 1)='1", S},
		{"'<(SELECT 1)='", S},
		{"'=(SELECT 1 FROM dual WHERE 1=1)='", S},
		{"'=(SELECT USER)='", S},
	};
	rt_run_kill("query before own quote", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"'=(select one)='", N},
		{"x'=(SELECT all that apply)='y", N},
		{"A1'=(B1)='", N},
	};
	rt_run("query before own quote", b, sizeof(b) / sizeof(b[0]));
}

/* comparisons chained after a boolean */
static void test_chained_comparisons(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 AND 1=1 LIKE 1", S},
		{"1 AND 1 LIKE 1=1", S},
		{"1' AND 1=1=1--", S},
		{"1 AND 1<2=1", S},
	};
	rt_run_kill("chained comparisons", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"A=B=C", N},
		{"x<y=z", N},
		{"2 + 2 = 4 = four", N},
		{"1=1 is true", N},
	};
	rt_run("chained comparisons", b, sizeof(b) / sizeof(b[0]));
}

/* a number's whole tail a negated match or range; a range not negated
 * is told, not killed (a search for "5 between 3 and 8") */
static void test_number_tails(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 not rlike 0", S},
		{"1 NOT REGEXP 0", S},
		{"1 NOT RLIKE 'x'", S},
		{"1 NOT BETWEEN 0 AND 1", S},
		{"2 NOT BETWEEN 0 AND 1-- -", S},
	};
	rt_run_kill("number tails", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"1 between 0 and 1 inclusive", N},
		{"5 between 3 and 8 years", N},
		{"rating between 1 and 5", N},
		{"1 not like the other", N},
		{"2 sounds like two", N},
		{"1 not in stock", N},
	};
	rt_run("number tails", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase told[] = {
		{"1 BETWEEN 0 AND 1", S},
		{"5 between 3 and 8", S},
	};
	static const char *const low[] = {"1 BETWEEN 0 AND 1", "5 between 3 and 8"};
	rt_run("number tails told", told, sizeof(told) / sizeof(told[0]));
	rt_below_kill("number tails told", low, sizeof(low) / sizeof(low[0]));
}

/* MySQL's || and && (OR, AND) between a number and literals or names */
static void test_pipes_after_number(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1||id||1", S},
		{"1||user||1", S},
		{"1 || 1", S},
		{"1||1", S},
		{"1&&1", S},
		{"1 && id && 1", S},
	};
	rt_run_kill("pipes after number", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"1|1", N},
		{"1|2|3", N},
		{"a||b", N},
		{"true || false", N},
		{"10 && up", N},
		{"#1 || #2", N},
		{"1||2 options", N},
		{"1 || 2 stars", N},
		{"100||100", N},
		{"12||34||56", N},
	};
	rt_run("pipes after number", b, sizeof(b) / sizeof(b[0]));
}

/* row limits after a tautology end it as LIMIT does */
static void test_row_limits(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"' OR 1=1 FETCH FIRST 1 ROWS ONLY--", S},
		{"1' OR 'a'='a' OFFSET 0 ROWS--", S},
	};
	rt_run_kill("row limits", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"fetch first 10 rows only", N},
		{"OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY", N},
	};
	rt_run("row limits", b, sizeof(b) / sizeof(b[0]));
}

/* the other functions SQL calls with no parentheses, compared */
static void test_niladic_functions(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1' AND USER NOT LIKE 'x'--", S},
		{"1 AND SYSDATE IS NOT NULL", S},
		{"1 AND CURRENT_USER IS NOT NULL", S},
		{"1' OR SESSION_USER LIKE '%", S},
		{"1 AND current_timestamp IS NOT NULL-- -", S},
	};
	rt_run_kill("niladic functions", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"current_user is not set", N},
		{"sysdate is null in this row", N},
		{"where user is null", N},
		{"if user is not None:", N},
		{"USER IS NOT NULL constraint", N},
	};
	rt_run("niladic functions", b, sizeof(b) / sizeof(b[0]));
}

/* comparisons chained on literals up to the query's own quote; a name
 * compared with itself in a '(' the query's ')' closes; prose quoting
 * the operator */
static void test_chains_to_own_quote(void **st)
{
	(void)st;
	static const struct rtcase b[] = {
		{"'=' is the assignment operator", N},
		{"Press '=' to compute", N},
		{"\"=\" sign", N},
		{"the '<>' operator", N},
		{"use '=' not '=='", N},
		{"'=(1+2)='", N},
		{"a) or (b=b)", N},
	};
	rt_run("chains to own quote", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{"1'='1'='1", S},
		{"'=''='", S},
		{"'=0='", S},
		{"1) OR (id=id", S},
		{"1') OR (name=name-- -", S},
	};
	rt_run_kill("chains to own quote", S, t, sizeof(t) / sizeof(t[0]));
}

/* ODBC's {fn ..} escape around a call (sqlmap's plus2fnconcat), INTO a
 * variable ending the predicate; an error message quoting '=' */
static void test_odbc_and_into(void **st)
{
	(void)st;
	static const struct rtcase b[] = {
		{"Msg 102, Level 15, State 1: Incorrect syntax near '='.", N},
		{"syntax error at or near '='!", N},
		{"{fn CONCAT} is an ODBC escape", N},
		{"select into @home", N},
	};
	rt_run("odbc and into", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{"1' AND {fn CONCAT('a','b')}='ab'-- -", S},
		{"1 AND {fn CONCAT(CHAR(97),CHAR(98))}={fn CONCAT(CHAR(97),CHAR(98))}", S},
		{"1' AND 1=1 INTO @a-- -", S},
		{"x'='x", S},
		{"'='", S},
	};
	rt_run_kill("odbc and into", S, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_niladic_user),
		cmocka_unit_test(test_same_sides),
		cmocka_unit_test(test_query_before_own_quote),
		cmocka_unit_test(test_chained_comparisons),
		cmocka_unit_test(test_number_tails),
		cmocka_unit_test(test_pipes_after_number),
		cmocka_unit_test(test_row_limits),
		cmocka_unit_test(test_niladic_functions),
		cmocka_unit_test(test_chains_to_own_quote),
		cmocka_unit_test(test_odbc_and_into),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
