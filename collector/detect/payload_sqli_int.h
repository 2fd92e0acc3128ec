/* payload_sqli_int.h - internal interface between the SQL lexer and
 * expression grammar (payload_sqli.c) and the injection contexts and harm rules
 * (payload_sqli_rules.c). Not for other modules. */
#ifndef SW_DP_SQLI_INT_H
#define SW_DP_SQLI_INT_H

#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <string.h>

#define SQL_MAX_TOK 384

enum { T_STR, T_NUM, T_WORD, T_VAR, T_OP, T_LP, T_RP, T_COMMA, T_SEMI, T_DOT, T_OTHER };
enum { O_CMP = 1, O_BOOL, O_ARITH, O_NOT, O_CAST };

enum {
	K_NONE, K_SELECT, K_UNION, K_ALL, K_DISTINCT, K_FROM, K_WHERE, K_AND,
	K_OR, K_XOR, K_NOT, K_NULL, K_TRUE, K_FALSE, K_ORDER, K_GROUP, K_BY,
	K_HAVING, K_LIMIT, K_INSERT, K_INTO, K_UPDATE, K_SET, K_DELETE, K_DROP,
	K_CREATE, K_ALTER, K_TABLE, K_DATABASE, K_SCHEMA, K_VIEW, K_INDEX,
	K_USER, K_PROCEDURE, K_FUNCTION, K_EXEC, K_EXECUTE, K_DECLARE,
	K_WAITFOR, K_DELAY, K_TIME, K_SHUTDOWN, K_TRUNCATE, K_LIKE, K_RLIKE,
	K_REGEXP, K_IS, K_IN, K_BETWEEN, K_AS, K_DIV, K_MOD, K_VALUES, K_GRANT,
	K_TOP, K_SOUNDS, K_WHEN, K_THEN, K_ELSE, K_END, K_CASE,
};

struct tok {
	uint8_t t, op;
	uint8_t open;    /* string ran to the end of the value */
	uint8_t cmt;     /* a comment follows this token */
	uint16_t kw;
	uint16_t off, len;
};

struct lex {
	const char *lo;
	size_t n;
	struct tok t[SQL_MAX_TOK];
	int nt;
	int brk;        /* context began with a string break */
	size_t bq;      /* ... at this offset */
	int pbrk;       /* bare context: a value closed by ')' (no quote) */
	int num;        /* bare context: the value starts with a number */
	int start;      /* first token of the injected part */
	int lead_cmt;   /* comment before the first token */
	int any_cmt;
};

struct opnd {
	int lit, call, danger, sub, ident, var;
	int ops;  /* binary operators chained on */
	int taut; /* parenthesised literal comparison: ('a'='a') */
	int bare; /* a keyword literal or number, not a string */
	int sqlfn; /* calls a function only SQL has (ELT, CHAR, SLEEP...) */
	int cond;  /* a conditional on a comparison: CASE WHEN, IF(a=b,..) */
	int nil;   /* USER or another niladic function read as a call */
};

/* ---- token predicates --------------------------------------------------- */

static inline int is_kw(const struct lex *L, int i, int kw)
{
	return i >= 0 && i < L->nt && L->t[i].t == T_WORD && L->t[i].kw == kw;
}

static inline int tok_is(const struct lex *L, int i, const char *w)
{
	size_t l;

	if (i < 0 || i >= L->nt || L->t[i].t != T_WORD || L->lo[L->t[i].off] != w[0])
		return 0;
	l = strlen(w);
	return L->t[i].len == l && memcmp(L->lo + L->t[i].off, w, l) == 0;
}

static inline int is_bool(const struct lex *L, int i)
{
	return is_kw(L, i, K_OR) || is_kw(L, i, K_AND) || is_kw(L, i, K_XOR) ||
	       (i < L->nt && L->t[i].t == T_OP && L->t[i].op == O_BOOL);
}

/* the tokens up to e end the value, or a comment follows t[e - 1] */
static inline int sqli_whole_tokens(const struct lex *L, int e)
{
	return e > 0 && (e >= L->nt || L->t[e - 1].cmt);
}

static inline int skip_rp(const struct lex *L, int i)
{
	while (i < L->nt && L->t[i].t == T_RP)
		i++;
	return i;
}

/* the value starts with a number, perhaps after blanks and one sign
 * (" 2-1-- -" is "+2-1-- -" read from a query string): where
 * payload_sqli_dml.c's arithmetic and payload_sqli_tail.c's division
 * after a number can start. Past a digit at lo[0] (main's arithmetic
 * probe), the gate and the rules read only values whose core
 * (sqli_core_len) is SQLI_PROBE_MAX bytes or less: a long chain is no
 * probe, and not lexed for it */
#define SQLI_PROBE_MAX 64 /* the probes below are short: +2-1-- -, 1 AND 1/0 */
#define SQLI_SORT_MAX 128  /* name ASC -- , a few sort keys */
#define SQLI_SET_MAX 512   /* x', is_admin='1: a SET list left open, after the quote */
static inline int sqli_num_led(const char *lo, size_t n)
{
	size_t i = 0;

	while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
		i++;
	if (i < n && (lo[i] == '+' || lo[i] == '-'))
		i++;
	return i < n && lo[i] >= '0' && lo[i] <= '9';
}

/* The length of lo[0..n) with the padding SQL ignores collapsed: a run of
 * blanks and comment bytes (- + # / * ;) counts one byte, a run of '0'
 * one (leading zeros, a divisor 0000). The probes' bounds are on it, so
 * padding ("name ASC --" and 130 '-', "1 and 1/0" and 60 blanks, 60
 * zeros first) does not lift a probe over them, and a value of more than
 * cap other bytes still is no probe. One pass; stops past cap. */
static inline size_t sqli_core_len(const char *lo, size_t n, size_t cap)
{
	size_t k = 0;
	int prev = -1;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)lo[i];
		int cls = c <= 0x20 || c == 0xa0 || c == '-' || c == '+' || c == '#' || c == '/' || c == '*' ||
				  c == ';' ? 1 : c == '0' ? 2 : 0;

		if (cls && cls == prev)
			continue;
		prev = cls;
		if (++k > cap)
			break;
	}
	return k;
}

int sqli_lex(struct lex *L, const char *lo, size_t n, char q);
int sqli_close_paren(const struct lex *L, int i);
int sqli_danger_call(const struct lex *L, int i);
int sqli_operand(const struct lex *L, int i, struct opnd *o, int depth);
int sqli_comparison(const struct lex *L, int i, struct opnd *a, struct opnd *b);
int sqli_eq_cmp(const struct lex *L, int i);
int sqli_ends_ok(const struct lex *L, int e);
int sqli_select_list(const struct lex *L, int j);
int sqli_statement_at(const struct lex *L, int i);
/* a comparison operator at i (=, <>, LIKE, RLIKE, REGEXP, IN, [NOT]
 * BETWEEN, IS); returns the index after it or -1 */
int sqli_cmp_op(const struct lex *L, int i);
/* the name of keyword k (K_SELECT...), or NULL */
const char *sqli_kw_name(int k);

/* payload_sqli_more.c: CALL name(...) at i as a statement; the rules on
 * a bare value followed by an operator and a query */
int sqli_more_call_stmt(const struct lex *L, int i);
void sqli_more_rules(const struct lex *L, struct payload_acc *a);
/* the word lo[i..j) glued to the quote at lo[j] makes one literal: x'41',
 * b'1', N'a', _utf8'a' */
int sqli_more_str_prefix(const char *lo, size_t n, size_t i, size_t j);
/* payload_sqli_more.c: BIGINT overflow probes, strings built from
 * character codes, the empty-string concatenation probe */
void sqli_more_extra(const struct lex *L, struct payload_acc *a);
/* payload_sqli_more.c: lo[0..n) without sqlmap's scientific " 1.e"
 * before ( ) , . * ^ / | & into out (PAYLOAD_MAX_VALUE + 1 bytes, nul
 * ended); its length, or 0 when fewer than two were dropped */
size_t sqli_more_sci(const char *lo, size_t n, char *out);
/* payload_sqli_more.c: could SQL call the dangerous function at t[i]
 * (its call ending before t[e]), not a program or a sentence? */
int sqli_call_site(const struct lex *L, int i, int e);
/* payload_sqli_more.c: the MSSQL procedure named at t[i] is called */
int sqli_proc_called(const struct lex *L, int i);
/* payload_sqli_more.c: the catalog's dotted name at t[i] opens a title
 * of plain words (INFORMATION_SCHEMA.TABLES documentation) */
int sqli_catalog_title(const struct lex *L, int i);
/* payload_sqli_more.c: lo[0..n) is a spreadsheet formula whose quoted
 * strings hold no letter (=COUNTIF(B2:B100,"<>")) */
int sqli_more_formula(const char *lo, size_t n);
/* payload_sqli_more.c: the WHERE/HAVING at t[i] follows one word and its
 * predicate opens on a call inside a call or a query */
int sqli_word_nested(const struct lex *L, int i);

/* payload_sqli_more.c: look-alikes of a break the rules set aside: the
 * break's quote opens a LIKE pattern; two years compared (t[a], t[b]);
 * the break is the " of feet and inches or a measure's unit before a
 * note; the HAVING at t[i] follows the value's GROUP BY name */
int sqli_more_like_opens(const struct lex *L);
int sqli_more_years_pair(const struct lex *L, int a, int b);
int sqli_more_feet_inches(const struct lex *L);
int sqli_more_group_head(const struct lex *L, int i);

/* payload_sqli_head.c: the rules on the head of the injected part: a
 * stacked SELECT of one literal, a boolean on a constant call */
void sqli_head_rules(const struct lex *L, struct payload_acc *a);

/* payload_sqli_tail.c: the whole value IF(constant,a,b) or a call
 * carrying a query; a number's boolean on a division by zero; COPY ... TO
 * PROGRAM; ORDER BY's direction cut by a comment */
void sqli_tail_rules(const struct lex *L, struct payload_acc *a);

/* payload_sqli_tail.c: w[0..l) is UNION or SELECT nested in itself
 * (UNIUNIONON): K_UNION, K_SELECT or 0 */
int sqli_tail_nested(const char *w, size_t l);

/* payload_sqli_cmp.c: a number's negated match or range as its whole
 * tail, || and && from the number back to itself, a name compared with
 * itself after a boolean, a query compared up to the query's own quote */
void sqli_cmp_rules(const struct lex *L, struct payload_acc *a);
/* ... token i a string the value ends inside holding words (prose
 * quoting a mark); the break's quote and that string quote an operator
 * in a sentence ("Press '=' to", "near '='."), not x'=' x */
int sqli_cmp_open_prose(const struct lex *L, int i);
int sqli_cmp_op_prose(const struct lex *L, int i);

/* payload_sqli_dml.c: a value inside an INSERT's VALUES or an UPDATE's
 * SET list, and a number's arithmetic cut by a comment */
void sqli_dml_rules(const struct lex *L, struct payload_acc *a);

/* payload_sqli_rules.c: the names of system catalogs and of MSSQL's
 * procedures the rules look for */
extern const char *const sqli_schema_words[], *const sqli_mssql_procs[];
extern const size_t sqli_n_schema_words, sqli_n_mssql_procs;

/* payload_sqli_gate.c: 1 when no rule can fire on v, so it need not be
 * lexed (the proof is at the top of that file) */
int sqli_quiet(const struct payload_val *v);
/* payload_sqli_rules.c: the full judgement of v after the URL split and
 * the base64 reading: the probe, each context, the comment-joined and
 * '%'-dropped readings */
void sqli_judge(const struct payload_val *v, struct payload_acc *a);

#endif /* SW_DP_SQLI_INT_H */
