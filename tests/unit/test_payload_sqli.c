/* test_payload_sqli.c - the SQLi detector's quiet gate (sqli_quiet in
 * payload_sqli_rules.c): a value it passes is never lexed, so it must be
 * one on which no rule can fire. Ordinary API values pass it; each rare
 * way an attack opens it still draws main's finding; and over many
 * generated values, every one it passes is clean when judged in full. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload_sqli_int.h"

/* a payload_val over s (lower-cased into lo), with its byte census */
static void val_of(const char *s, size_t n, char *lo, struct payload_val *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		c = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
		lo[i] = (char)c;
		v->has[c >> 6] |= 1ull << (c & 63);
	}
	lo[n] = '\0';
	v->s = s;
	v->lo = lo;
	v->n = n;
	v->raw = s;
	v->rawn = n;
	v->where = PAYLOAD_WHERE_QUERY;
}

static int quiet(const char *s)
{
	char lo[256];
	struct payload_val v;

	val_of(s, strlen(s), lo, &v);
	return sqli_quiet(&v);
}

/* values of bench/api-values.txt and their kind: no lexing for them */
static void test_ordinary_values_are_quiet(void **st)
{
	static const char *const ok[] = {
		"Berlin", "p37", "true", "coffee size L", "3 stars, would buy again",
		"https://shop.example.com/p/50867", "en-US", "51.657958", "+49 309 4409591",
		"2026-02-23T08:08:24Z", "b0f07586926f223d39fcec500401863f",
		"james.muller86@example.com", "SKU-28580", "62 Mill Street",
		"Organic Coffee", "border", "android", "sand", "corporate", "Ordered",
		"50%", "a%b", "x/y", "1d", "5pm", "@home", "e-mail me @ noon",
		/* one word of a pair the rules need both of */
		"order-983002", "case size M", "union station", "log into account",
		"made by hand", "select a plan", "when we meet", "waitfor it",
		/* one kind of quote, no operator after the first */
		"it's", "O'Reilly books", "she said \"hi\"", "rock 'n' roll", "x') y",
		"don't \\'=' stop",
		/* a lone '&' or '|' is arithmetic; ';' with no statement after */
		"AT&T", "R&D", "tag=a|b", "user_id;email;created_at", "a,b;c|d",
		/* OR and AND with nothing their rules need */
		"salt and pepper", "Terms and Conditions", "1 and 2",
		"now or never", "black/white or red-green",
	};

	(void)st;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char lo[256];
		struct payload_val v;
		struct payload_acc a;

		if (!quiet(ok[i]))
			fail_msg("not quiet: %s", ok[i]);
		/* ... and judged in full, they are clean indeed */
		val_of(ok[i], strlen(ok[i]), lo, &v);
		memset(&a, 0, sizeof(a));
		sqli_judge(&v, &a);
		assert_int_equal(a.score[PAYLOAD_SQLI], 0);
	}
}

struct open_case {
	const char *in;
	int score; /* main's SQLi finding for it as a query value */
	const char *why;
};

/* each opening of the gate, by its rarest door, and main's finding */
static const struct open_case opens[] = {
	/* a keyword glued to a number after Oracle's d/f suffix: the
	 * letter run is "dunion", the token "union" */
	{"0dunion select 1,2", 90, "union select"},
	{"1fand 2>1", 80, "boolean tautology on literals"},
	/* a keyword glued to 0x: the run "xor" follows a digit */
	{"0xor 1", 75, "xor with a literal after the value"},
	{"1.and 2>1", 80, "boolean tautology on literals"},
	{"1 div 0", 75, "integer division after the value"},
	/* names with '_' and no other trigger */
	{"xp_cmdshell", 85, "mssql procedure"},
	{"sp_executesql", 85, "mssql procedure"},
	{"information_schema.tables", 80, "system catalog access"},
	{"x from sysobjects", 80, "system catalog access"},
	/* (mysql.user alone is a configuration key: read from a FROM) */
	{"x from mysql.user", 80, "system catalog access"},
	/* "@@" is the only way a single '@' matters */
	{"@@version", 60, "server variable probe"},
	{"case when 1=1 then 1 else 0 end", 75, "conditional as the whole value"},
	/* the comment-joined and '%'-dropped readings: no trigger run in
	 * the value as it is */
	{"1 un/**/ion sel/**/ect 1,2", 90, "union select"},
	{"%u%n%i%o%n %s%e%l%e%c%t 1,2", 90, "union select"},
	/* upper case, and latin1's no-break space as the blank */
	{"1 UNION SELECT 1,2", 90, "union select"},
	{"1\xa0or\xa0" "1=1", 80, "boolean tautology on literals"},
	{"1 order by 3", 65, "order by column number"},
	{"1 group by 2#", 65, "order by column number"},
	{"x where 1=1", 70, "where/having tautology"},
	{"x having 1=1", 70, "where/having tautology"},
	/* both words of a pair, with any blank between */
	{"x into outfile y", 85, "into outfile"},
	{"1 into dumpfile z", 85, "into outfile"},
	{"case\twhen 1=1 then 1 end", 75, "conditional as the whole value"},
	{"1 order\xa0" "by 3", 65, "order by column number"},
	{"1 ORDER BY 3", 65, "order by column number"},
	{"1 union all select 1,2", 90, "union select"},
	/* after the break: a comment, an operator past blanks and ')' */
	{"admin'#", 70, "comment truncation after string break"},
	{"admin'--", 70, "comment truncation after string break"},
	{"x'='x", 70, "comparison chained after string break"},
	{"x'\xa0=\xa0'x", 70, "comparison chained after string break"},
	{"x\" = \"x", 70, "comparison chained after string break"},
	{"x') = 'x", 70, "comparison chained after string break"},
	{"1\\'x' = 'x", 70, "comparison chained after string break"},
	{"x'*'y", 65, "expression continued after string break"},
	{"x') -'y", 65, "expression continued after string break"},
	{"x' order by 3", 75, "order by column number after string break"},
	{"1' waitfor delay '0:0:5'", 90, "waitfor delay"},
	/* "&&" and "||", ';' and a statement's first word, ';' after a break */
	{"1 && 2=2", 80, "boolean tautology on literals"},
	{"1 || 1=1", 80, "boolean tautology on literals"},
	{"x';", 60, "statement end after string break"},
	{"1;drop table users", 85, "stacked query"},
	{"1; shutdown", 85, "stacked query"},
	{"1;copy t from x", 85, "stacked query"},
	/* OR / AND with what each of their rules needs */
	{"1) or 1", 75, "boolean literal after string break"},
	{"1 or true", 70, "boolean constant after numeric value"},
	{"1 and not 0", 70, "boolean constant after numeric value"},
	{"1 or false", 70, "boolean constant after numeric value"},
	{"1 or 1 eq 1", 75, "odata tautology in a filter"},
	{"1 or 1 is null", 80, "boolean tautology on literals"},
	{"1 or 2>1", 80, "boolean tautology on literals"},
};

static void test_gate_openings_still_found(void **st)
{
	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(opens) / sizeof(opens[0]); i++) {
		struct payload_match m[PAYLOAD__COUNT];
		int n = payload_scan(opens[i].in, strlen(opens[i].in), PAYLOAD_WHERE_QUERY, m,
				     PAYLOAD__COUNT);
		int found = -1;

		if (quiet(opens[i].in))
			fail_msg("quiet but an attack: %s", opens[i].in);
		for (int k = 0; k < n; k++)
			if (m[k].kind == PAYLOAD_SQLI)
				found = k;
		if (found < 0)
			fail_msg("%s: no sqli finding", opens[i].in);
		assert_int_equal(m[found].score, opens[i].score);
		assert_string_equal(m[found].why, opens[i].why);
	}
	payload_cache_enable(1);
}

/* Pieces a generated value is glued from: every word a rule reads, the
 * bytes the lexer treats specially, and filler. */
static const char *const pieces[] = {
	"select", "union", "all", "distinct", "from", "where", "and", "or", "xor",
	"not", "null", "true", "false", "order", "group", "by", "having", "limit",
	"insert", "into", "update", "set", "delete", "drop", "create", "alter",
	"table", "database", "view", "user", "procedure", "function", "exec",
	"declare", "waitfor", "delay", "time", "shutdown", "truncate", "like",
	"rlike", "regexp", "is", "in", "between", "as", "div", "mod", "values",
	"grant", "top", "sounds", "when", "then", "else", "end", "case", "sleep",
	"benchmark", "analyse", "outfile", "dumpfile", "floor", "rand", "offset", "eq", "copy",
	"to", "attach", "if", "begin", "replace", "xp_cmdshell", "sp_oacreate",
	"pg_user", "sysobjects", "mysql", "information_schema", "version", "x", "id",
	"1", "0", "0x", "1d", "1f", "1e5", "2.", "@", "@@", "@a", "$", "_", ".", ",",
	")", "=", "<", ">", "!", "~", ":", "::", "-", "--", "#", "\n", " ", "  ", "'",
	"'", "\"", "\\", "\\'", "&", "&&", "|", "||", ";", ";",
	"\xa0", "\xc3\xa9", "/", "*", "%", "+", "^", "\t", "?", "[", "]", "{",
};

/* ... half of them from the words and bytes the gate itself reads */
static const char *const core[] = {
	"1", "0", "or", "and", "xor", "not", "true", "false", "null", "is", "like",
	"in", "between", "eq", ")", "=", ">", "#", "--", "'", ";", "select", "union",
	"order", "by", "case", "when", "div", "limit", "into", "outfile", "@@version",
	"x", "&&", " ", "/**/", "%", "drop", "table", "waitfor", "delay", "'0'",
};

static uint32_t rs = 0x2545f491u;

static uint32_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

/* A value the gate passes draws no SQLi finding from the full judgement
 * (sqli_judge: the probe, every context, the comment-joined and
 * '%'-dropped readings), over 2,000,000 generated values; and the gate is
 * not vacuous: both kinds occur often. */
static void test_quiet_values_draw_nothing(void **st)
{
	int nquiet = 0, nloud = 0;

	(void)st;
	for (int r = 0; r < 2000000; r++) {
		char s[160], lo[160];
		size_t n = 0;
		int k = 1 + (int)(rnd() % 6);
		struct payload_val v;
		struct payload_acc a;

		for (int j = 0; j < k; j++) {
			const char *p = rnd() % 2 ? pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))]
						  : core[rnd() % (sizeof(core) / sizeof(core[0]))];
			size_t l = strlen(p);

			if (n + l + 1 >= sizeof(s))
				break;
			memcpy(s + n, p, l);
			n += l;
			if (rnd() % 3 == 0)
				s[n++] = ' ';
		}
		s[n] = '\0';
		val_of(s, n, lo, &v);
		if (!sqli_quiet(&v)) {
			nloud++;
			continue;
		}
		nquiet++;
		memset(&a, 0, sizeof(a));
		sqli_judge(&v, &a);
		if (a.score[PAYLOAD_SQLI])
			fail_msg("quiet, yet judged sqli %d (%s): \"%s\"", a.score[PAYLOAD_SQLI],
				 a.why[PAYLOAD_SQLI], s);
	}
	assert_true(nquiet > 200000);
	assert_true(nloud > 200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_values_are_quiet),
		cmocka_unit_test(test_gate_openings_still_found),
		cmocka_unit_test(test_quiet_values_draw_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
