/* test_payload_rts2.c - helper s's red-team rows, session 16: SQL
 * injection on the head of the injected part (payload_sqli_head.c: a
 * stacked SELECT of one literal, a boolean on a constant function call),
 * MSSQL's SHUTDOWN WITH NOWAIT, and the look-alikes beside them (a
 * stacked "select" of a number and a noun). Each value is judged as a
 * query value and as a form body (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define Q PAYLOAD_SQLI
#define N PAYLOAD_NONE

static void test_rts2_attacks(void **state)
{
	static const struct rtcase t[] = {
		/* a stacked SELECT of one literal right after the value */
		{ "1;select 1", Q },
		{ "1); select 1--", Q },
		{ "1 ; select null", Q },
		{ "x';select 'a'#", Q },
		{ "-5;SELECT @v-- x", Q },
		{ "1;SHUTDOWN WITH NOWAIT--", Q },
		/* a boolean on a call with only literal arguments */
		{ "abc AND FIELD(1,1)", Q },
		{ "1 AND FIELD(7440,7440)", Q },
		{ "1 AND LOCATE('a','a')", Q },
		{ "1 AND FIND_IN_SET('a','a,b')", Q },
		{ "1 AND COALESCE(1,0)-- x", Q },
		{ "1 AND ABS(1)-- ", Q },
		{ "-1' OR STRCMP('a','b')-- -", Q },
		/* MSSQL's niladic USER concatenated in a comparison (Havij) */
		{ "1 and char(124)%2Buser%2Bchar(124)=0", Q },
	};

	(void)state;
	rt_run("rts2", t, sizeof(t) / sizeof(t[0]));
}

static void test_rts2_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* a number and a noun after "; select" */
		{ "Note; select 1.5 kg", N },
		{ "O'Reilly; select 2 books", N },
		{ "D'Angelo's Pizza; select 1 topping", N },
		{ "Step 1; select 1 item from the list", N },
		{ "Room 12; select null option", N },
		/* a reply, a sentence before the ';' */
		{ "Ok; select 'yes'", N },
		{ "Tap the menu; select 1", N },
		{ "Lot 4; select null", N },
		/* one number in a call after a word or number: prose */
		{ "5 or ABS(2)", N },
		{ "x and Length(2)", N },
		{ "Field(1) and Field(2) are required", N },
		{ "Tom and Jerry (1940)", N },
		{ "1 and 1/0 is undefined", N },
		{ "1;2;3", N },
		{ "price>=10 and price<=20", N },
		/* a word or number, a boolean and a spreadsheet-style call of
		 * literals (formula help, forum titles): the call must be
		 * SQL-only and evidently constant after a plain word/number */
		{ "Total or ROUND(12.5, 2)", N },
		{ "price or round(19.99, 2)", N },
		{ "sum and ROUND(2.5,1)", N },
		{ "name or CONCAT('a','b')", N },
		{ "yes or IF(1,1)", N },
		{ "zip or LENGTH('12345')", N },
		{ "Tom and Mid('x',1)", N },
		{ "first and LEFT('abc',1)", N },
		{ "hex or HEX('ff')", N },
		{ "color or repeat('ab',2)", N },
		{ "text and upper('x')", N },
		{ "1 or power(2,10)", N },
		{ "cats or dogs (2)", N },
		{ "Q1 or Q2 (2024)", N },
		{ "Price and Floor(3.7)", N },
		{ "x or sqrt(16)", N },
		{ "abs and ABS(-5)", N },
		{ "size and char(10)", N },
		{ "menu; select 1", N },
	};

	(void)state;
	rt_run("rts2", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rts2_attacks),
		cmocka_unit_test(test_rts2_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
