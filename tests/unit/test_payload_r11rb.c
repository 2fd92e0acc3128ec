/* test_payload_r11rb.c - issue 20, round 11's review (rb): the new
 * exemptions of round 11's SQL and command injection rules turned
 * against us. The x'='x bypass with its tail changed (x'=' x, x'='.,
 * x'=' ) is not prose quoting an operator; iex "Get-Date" joined to
 * another string ('Get-Date'+';calc') is not the tutorial's clock read;
 * a fork bomb after the shell's keyword (then, do) is run, not named in a
 * sentence. Attacks draw their kind as a query value and a form body and
 * reach the kill line; the rounds' benign rows stay quiet or told
 * (payload_rt_table.h). */
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
#define C PAYLOAD_CMDI
#define H PAYLOAD_SHELLSHOCK
#define N PAYLOAD_NONE

/* (col='x')='<tail>' holds for every row whose col is not x when the
 * tail reads as 0: a blank and a word, punctuation, a blank alone */
static void test_operator_prose_glued(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"x'=' x", S},
		{"admin'=' x", S},
		{"a'=' b", S},
		{"x'=' ", S},
		{"x'='.", S},
		{"x'=')", S},
		{"x'='-", S},
		{"x'='*", S},
		{"x'=' !", S},
		{"foo'='+", S},
		{"x'='x y", S},
		{"x'<>' z", S},
		{"x'>' z", S},
		{"'='.", S},
	};
	rt_run_kill("operator prose glued", S, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"'=' is the assignment operator", N},
		{"Press '=' to compute", N},
		{"the '<>' operator", N},
		{"Incorrect syntax near '='.", N},
		{"Incorrect syntax near '<'.", N},
		{"type '>' then enter", N},
		{"\"=\" sign", N},
	};
	rt_run("operator prose glued", b, sizeof(b) / sizeof(b[0]));
}

/* iex of a Get- cmdlet's name, joined to another string */
static void test_iex_get_joined(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";iex 'Get-Date'+';calc'", C},
		{";iex 'Get-Date'+'; whoami'", C},
		{"|iex \"Get-Date\" + \";calc\"", C},
	};
	rt_run_kill("iex get joined", C, t, sizeof(t) / sizeof(t[0]));
	static const struct rtcase b[] = {
		{"Get-Help iex; iex \"Get-Date\"", N},
	};
	rt_run("iex get joined", b, sizeof(b) / sizeof(b[0]));
}

/* a fork bomb after then/do: the shell runs it */
static void test_fork_bomb_keyword(void **st)
{
	(void)st;
	static const char *const t[] = {
		";if true;then :(){ :|:& };: fi;fi",
		";for i in 1;do :(){ :|:& };: done;done",
		";function :(){ :|:& };: x",
		"function :(){ :|:& };: x",
	};
	int low = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		for (int ctx = 0; ctx < 2; ctx++)
			if (rt_best(t[i], ctx, PAYLOAD__COUNT) < 60) {
				low++;
				fprintf(stderr, "  FAIL fork bomb keyword below the kill line: %s\n", t[i]);
			}
	assert_int_equal(low, 0);
	static const char *const told[] = {
		"The fork bomb :(){ :|:& };: will crash your shell, never run it",
		"What does :(){ :|:& };: do?",
		"Never type :(){ :|:& };: in a shell",
	};
	(void)H;
	rt_below_kill("fork bomb keyword told", told, sizeof(told) / sizeof(told[0]));
}

/* a tool's verbs in a Markdown table's row are documentation; the
 * same verbs after a separator still kill */
static void test_tool_md_row(void **st)
{
	(void)st;
	static const struct rtcase b[] = {
		{"| kubectl get pods | lists pods |", N},
		{"| docker ps | running containers |", N},
		{"| aws s3 ls | the buckets |", N},
		{"| gcloud compute instances list |", N},
		{"| az vm list |", N},
	};
	rt_run("tool md row", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{"| kubectl get secrets", C},
		{";docker ps", C},
		{"; find . -exec id \\;", C},
	};
	rt_run_kill("tool md row", C, t, sizeof(t) / sizeof(t[0]));
}

/* USER or the clock compared with a column's plain name after a number:
 * a filter's text; compared with itself or a literal: a probe */
static void test_niladic_vs_name(void **st)
{
	(void)st;
	static const struct rtcase b[] = {
		{"status=1 and user=admin", N},
		{"level=3 and user=bob", N},
		{"page 1 and user=john", N},
		{"id=5 AND user = guest", N},
		{"5 AND CURRENT_DATE > start_date", N},
	};
	rt_run("niladic vs name", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{"1 AND USER=USER", S},
		{"1 AND USER='dbo'", S},
		{"1' AND user=admin--", S},
		{"1 AND CURRENT_DATE=CURRENT_DATE", S},
		{"1 AND SYSDATE IS NOT NULL", S},
	};
	rt_run_kill("niladic vs name", S, t, sizeof(t) / sizeof(t[0]));
}

/* numbers alone joined by || back to the first: a record's fields past
 * one operator; the one-operator probe and a name between still kill */
static void test_pipes_record(void **st)
{
	(void)st;
	static const struct rtcase b[] = {
		{"1||0||1", N},
		{"1||1||1||1", N},
		{"1&&1&&1", N},
	};
	rt_run("pipes record", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{"1||1", S},
		{"1&&1", S},
		{"1||user||1", S},
	};
	rt_run_kill("pipes record", S, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operator_prose_glued),
		cmocka_unit_test(test_iex_get_joined),
		cmocka_unit_test(test_fork_bomb_keyword),
		cmocka_unit_test(test_tool_md_row),
		cmocka_unit_test(test_niladic_vs_name),
		cmocka_unit_test(test_pipes_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
