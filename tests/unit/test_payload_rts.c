/* test_payload_rts.c - helper s's red-team rows, session 15: SQL injection
 * as sqlmap and scanners write it, fixed by construct
 * (payload_sqli_more.c, payload_sqli.c's danger functions), and the
 * look-alikes beside them. Each value is judged as a query value and as a
 * form body (payload_rt_table.h); a '+' in a query value is a blank, so
 * the rows join with other operators. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define Q PAYLOAD_SQLI
#define N PAYLOAD_NONE

static void test_rts_attacks(void **state)
{
	static const struct rtcase t[] = {
		/* a stacked CALL of a procedure or function (HSQLDB's heavy
		 * query, MySQL's procedures) */
		{ "1; CALL REGEXP_SUBSTRING(REPEAT(RIGHT(CHAR(1234),0),500000000),NULL)--", Q },
		{ "abc\"; CALL REGEXP_SUBSTRING(REPEAT(RIGHT(CHAR(77),0),500000000),NULL)-- x", Q },
		{ "-1'); CALL REGEXP_SUBSTRING(REPEAT(RIGHT(CHAR(1234),0),500000000),NULL)", Q },
		{ "5; call sys.dbms_output_put(1)", Q },
		/* the value, an operator, and a query deciding on a
		 * comparison: sqlmap's inline query and its boolean on a
		 * string value no quote closes */
		{ "1*(SELECT CONCAT(0x7176627a71,(ELT(4423=4423,1)),0x71706a7071))", Q },
		{ "abc-(SELECT CONCAT(0x7157014b73,(ELT(4423=4423,1)),0x7aeb8c8b76))", Q },
		{ "test||(SELECT CHAR(113)||(SELECT (CASE WHEN (2667=2667) THEN CHAR(49) ELSE CHAR(48) END))||CHAR(113))", Q },
		{ "test RLIKE (SELECT (CASE WHEN (3025=3025) THEN 1 ELSE 0x28 END))", Q },
		{ "admin REGEXP (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))-- -", Q },
		{ "name=(SELECT 1 FROM (SELECT(SLEEP(5)))a)", Q },
		/* MySQL's geohash functions leak a value in their error */
		{ "1 AND ST_LatFromGeoHash(version())", Q },
		{ "1' AND ST_LongFromGeoHash((SELECT user()))-- -", Q },
		{ "1 OR ST_PointFromGeoHash(@@version,1)", Q },
		/* MySQL's BINARY cast before each operand (sqlmap's binary
		 * tamper) */
		{ "1 UNION ALL SELECT binary NULL,NULL,CONCAT(0x723d1c4dd0,0x2f5c4ef3,0x7398cf1024)", Q },
		{ "-1\" UNION ALL SELECT binary NULL,binary NULL FROM (VALUES(0))-- -", Q },
		{ "1 AND binary 2>binary 1", Q },
		/* typed string literals: hex, bit, national, a character
		 * set's introducer */
		{ "7') OR x'41'=x'41'", Q },
		{ "99999) AND b'1'=b'1'", Q },
		{ "admin'] AND N'a'=N'a'", Q },
		{ "1` AND _utf8'a' LIKE 'a'", Q },
		{ "-1)) AND N'a'=N'a'", Q },
		/* ORDER BY a query or conditional right after the value */
		{ "0' ORDER BY (SELECT 1)--", Q },
		{ "0)) ORDER BY (CASE WHEN (1=1) THEN 1 ELSE 2 END)--", Q },
		/* a server variable set in a stacked statement */
		{ "x\"; SET GLOBAL general_log=1--", Q },
		{ "1; SET GLOBAL slow_query_log_file='/var/www/s.php'#", Q },
		/* a boolean on a subquery that is a query */
		{ "1 OR (SELECT 1)", Q },
		{ "1 AND (SELECT password FROM users)", Q },
		{ "x' OR (SELECT name)-- -", Q },
	};

	(void)state;
	rt_run("rts", t, sizeof(t) / sizeof(t[0]));
}

static void test_rts_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		{ "drop me a line; call (555) 010-0101", N },
		{ "see you then; call mom(later)", N },
		{ "Insert coin; or press start", N },
		{ "total-(select count(*) from orders)", N },
		{ "price*(select a discount)", N },
		{ "a-(select one)", N },
		{ "binary search or binary tree", N },
		{ "N'Djamena", N },
		{ "B'nai B'rith or Hadassah", N },
		{ "Guns n' Roses or Bon Jovi", N },
		{ "Click save; set global defaults", N },
		{ "order by (select a column)", N },
		/* a form's labels: one name after "select", no FROM */
		{ "(select one) or (select two)", N },
		{ "red or (select a colour)", N },
		{ "1 and binary 0 or 1", N },
		{ "Select binary NULL terminated strings", N },
		{ "select a union rep to talk to", N },
		{ "price>=10 and price<=20", N },
		{ "\"exact phrase\" -minus OR other", N },
		{ "O'Brien", N },
		{ "Guns N' Roses - Sweet Child O' Mine", N },
		{ "5'11\" height", N },
		{ "The sleep(5) call in my script blocks the event loop", N },
		{ "Why does SELECT COUNT(*) FROM orders GROUP BY status run slowly?", N },
	};

	(void)state;
	rt_run("rts", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rts_attacks),
		cmocka_unit_test(test_rts_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
