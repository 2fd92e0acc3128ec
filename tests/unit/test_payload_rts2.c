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
