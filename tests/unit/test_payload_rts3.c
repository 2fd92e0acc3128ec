/* test_payload_rts3.c - helper s's red-team rows, session 17: SQL
 * injection through a negated or hex-spelt constant call and a trailing
 * literal (payload_sqli_head.c, rev5 E4), a number's arithmetic cut by a
 * comment, an INSERT's VALUES row and an UPDATE's SET list continued, a
 * query concatenated into the string (payload_sqli_dml.c), UNION
 * DISTINCTROW; and the look-alikes beside them (scores, ranges and sums
 * with a hashtag or words, lists in prose, Python calls with keyword
 * arguments). Each value is judged as a query value and as a form body
 * (payload_rt_table.h); each attack also at the kill line (60) as a
 * query value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define Q PAYLOAD_SQLI
#define N PAYLOAD_NONE

static const struct rtcase attacks[] = {
	/* a negated constant call, a hex literal equal as a number or as
	 * the string it spells, a literal chained after the call */
	{ "abc AND NOT FIELD(1,2)", Q },
	{ "1 AND NOT FIELD(1,2)", Q },
	{ "1 AND NOT STRCMP('a','a')", Q },
	{ "x' AND NOT ELT(2,1)-- -", Q },
	{ "abc AND FIELD(1,0x1)", Q },
	{ "abc AND LOCATE(0x61,'ab')", Q },
	{ "abc AND FIELD(1,1) AND 1", Q },
	{ "abc OR FIND_IN_SET(x'61','a,b') OR 0", Q },
	/* arithmetic on numbers, cut by a bare comment mark */
	{ "2-1-- -", Q },
	{ "9124=9124#", Q },
	{ "1*1-- -", Q },
	{ "4-1/*", Q },
	{ "2962-0-- -", Q },
	{ "(2-1)-- -", Q },
	{ "5-4-1-- -", Q },
	{ "1%2B1;-- ", Q },
	{ "9124=9124 -- wXyW", Q },
	/* an INSERT's row continued, another row added */
	{ "'),('a','b')-- -", Q },
	{ "x'),('evil','x',1)#", Q },
	{ "x', 'y', (SELECT user()))#", Q },
	{ "a', 1, NOW());-- -", Q },
	{ "1, (SELECT password FROM users LIMIT 1))-- -", Q },
	{ "1), (2, 'x', (SELECT user()))-- -", Q },
	/* an UPDATE's SET list continued */
	{ "', is_admin=1 -- ", Q },
	{ "', role='admin' WHERE username='bob'-- -", Q },
	{ "', email=(SELECT database()) WHERE id=1#", Q },
	{ "x', price=0 WHERE id=2962-- -", Q },
	/* MSSQL's '+' concatenating a query into the string */
	{ "' %2B (SELECT TOP 1 name FROM sys.databases) %2B '", Q },
	{ "1 union distinctrow select 1,2", Q },
};

static void test_rts3_attacks(void **state)
{
	(void)state;
	rt_run("rts3", attacks, sizeof(attacks) / sizeof(attacks[0]));
	rt_kill_run("rts3", PAYLOAD_SQLI, attacks, sizeof(attacks) / sizeof(attacks[0]));
}

static void test_rts3_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* scores, ranges, sizes, dates: quiet without the mark, and
		 * with a hashtag or words after it */
		{ "2-1", N },
		{ "3-2", N },
		{ "1*1", N },
		{ "2*3", N },
		{ "1-5", N },
		{ "2024-01-02", N },
		{ "3-2 #COYS", N },
		/* '#' after arithmetic is a number sign or a tag (the merge's
		 * review): a phone number, a weight, a rating, a date */
		{ "3-2#", N },
		{ "555-1234#", N },
		{ "20-30#", N },
		{ "10/10 #", N },
		{ "1-2-3#", N },
		{ "2024-12-07#", N },
		{ "100-200;#", N },
		{ "2+2=4 -- lol", N },
		{ "12/4=3 -- yes", N },
		{ "9-3=6 #", N },
		{ "1=1 -- note", N },
		{ "2-1 -- what a game", N },
		{ "1-0 #EPL #football", N },
		{ "(3-2) #MUFC", N },
		{ "1+1=2 # math is fun", N },
		{ "2+2=4 -- basic arithmetic everyone knows", N },
		{ "555-0100 #office", N },
		{ "1 -- ", N },
		/* lists and rows in prose and code */
		{ "it's 1, 2, 3) -- counting", N },
		{ "print('a', 'b')  # two args", N },
		{ "f('x', y=1)  # kwarg", N },
		{ "print('hi', end='')  # no newline", N },
		{ "', '.join(names)  # join with comma", N },
		{ "values ('x'), ('y') -- two rows", N },
		{ "Tom's, Jerry's), and more -- see list", N },
		{ "1), (2, 3)", N },
		{ "x'),('", N },
		/* negated calls in docs */
		{ "Use NOT ISNULL(x) to test", N },
		{ "price and not round(2.5)", N },
		{ "The '+' operator concatenates strings in T-SQL: 'a' + 'b'", N },
	};

	(void)state;
	rt_run("rts3", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rts3_attacks),
		cmocka_unit_test(test_rts3_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
