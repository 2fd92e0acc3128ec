/* payload_sqli_tail.c - SQL injection: rules on the token stream sqli_lex
 * builds (payload_sqli_int.h) for what the tools send as a whole value or
 * as the tail of a number, in the bare context:
 *  - IF(a=b,x,y) / IIF(..) as the whole value on a constant comparison
 *    (IF(1=1,name,price): sqlmap's and Burp's ORDER BY switch); a
 *    spreadsheet's IF compares a cell (IF(A1=1,..)), and an IF whose
 *    branches are constants or cells, a string or cell among them
 *    (IF(1=1,"a","b"), IF(2>1,"yes",0), IF(1=1,A1,B1)), stays a formula
 *    when its ')' ends the value and no hex literal is in it
 *    (formula_if: IF(1=1,1,0)-- , IIF(1=1,1,0), IF(1=1,1,1/0),
 *    IF(0x41='A',1,0), IF(1>0,1,2) are probes);
 *  - a call carrying a query as the whole value (Havij's
 *    convert(int,(char(33)+(select top 1 ..)+char(33)))): a function only
 *    SQL has, around a SELECT with a select list;
 *  - a number, AND or OR, then a division by zero ending the value or cut
 *    by a comment (1 AND 1/0, 1 OR 1/0-- -, 1 and 1 / (0), 1 and 1/0e0):
 *    the error probe. "1 and 1/2 cups" divides by no zero;
 *  - PostgreSQL's COPY (query) TO PROGRAM / COPY t FROM PROGRAM 'cmd' at
 *    the head of the value or after its break (Burp's out-of-band probe;
 *    the table perhaps "quoted", qualified, with a column list t(a)),
 *    the command in quotes, E'..' or dollar quotes ($$id$$); after a
 *    separator any COPY is a stacked query (85);
 *  - a column or number, ASC or DESC, then a bare comment mark ending the
 *    value (ZAP's ORDER BY probe: name ASC -- , name ASC;-- ), at 60.
 * All but the division need a '(' or a quote (COPY's command string),
 * which the quiet gate (payload_sqli_gate.c) lets through; the division
 * needs a number first, "/0" and AND or OR, which sqli_quiet lets through
 * for it; the sort direction needs ASC or DESC and '#' or "--", which
 * sqli_quiet lets through for it. */

#include "collector/detect/payload_sqli_int.h"

/* t[i] and the '(' glued to it */
static int glued_call(const struct lex *L, int i)
{
	return i + 1 < L->nt && L->t[i].t == T_WORD && L->t[i + 1].t == T_LP &&
	       L->t[i + 1].off == L->t[i].off + L->t[i].len;
}

/* the operand from 0 is the whole value, or is cut by a comment */
static int whole(const struct lex *L, int e)
{
	return e > 0 && (e >= L->nt || L->t[e - 1].cmt);
}

/* a spreadsheet's argument at k: a string, a number or a cell (A1, $B$2,
 * AB12: one to three letters then digits, '$' before either) */
static int formula_arg(const struct lex *L, int k)
{
	const char *w = L->lo + L->t[k].off;
	size_t l = L->t[k].len, i = 0, x;

	if (L->t[k].t == T_STR || L->t[k].t == T_NUM)
		return 1;
	if (L->t[k].t != T_WORD)
		return 0;
	i += i < l && w[i] == '$';
	for (x = i; i < l && i - x < 4 && w[i] >= 'a' && w[i] <= 'z'; i++)
		;
	if (i == x || i - x > 3)
		return 0;
	i += i < l && w[i] == '$';
	for (x = i; i < l && w[i] >= '0' && w[i] <= '9'; i++)
		;
	return i > x && i == l;
}

/* a hex literal at k (0x41): no cell holds one */
static int hex_lit(const struct lex *L, int k)
{
	return L->t[k].t == T_NUM && L->t[k].len > 2 && L->lo[L->t[k].off] == '0' &&
	       (L->lo[L->t[k].off + 1] == 'x' || L->lo[L->t[k].off + 1] == 'b');
}

/* IF(cmp,x,y) as a spreadsheet writes it, its comparison t[b..c) and
 * the ',' at c: IF, not MSSQL's IIF; two branches, each one constant or
 * cell, a string or a cell among them ("yes","no"; "yes",0; A1,B1: no
 * column is sorted by, no number is the probe's answer: IF(1=1,1,0),
 * IF(1>0,1,2) are); its ')' right after them (no 1/0 in a branch); no
 * comment in or after it: the value ends with it or with a formula's
 * arithmetic on it (IF(..)/2; a path's "IF(..)/results"); no hex literal
 * (0x41) */
static int formula_if(const struct lex *L, int b, int c, int e)
{
	if (!tok_is(L, 0, "if") || e != L->nt || c + 4 >= e || L->t[c].t != T_COMMA || !formula_arg(L, c + 1) ||
	    L->t[c + 2].t != T_COMMA || !formula_arg(L, c + 3) || L->t[c + 4].t != T_RP ||
	    (L->t[c + 1].t == T_NUM && L->t[c + 3].t == T_NUM))
		return 0;
	for (int k = 0; k < e; k++)
		if (L->t[k].cmt || (k >= b && k <= c + 3 && hex_lit(L, k)))
			return 0;
	return 1;
}

/* IF(1=1,name,price), IIF((2>1),a,b) as the whole value */
static void if_whole(const struct lex *L, struct payload_acc *a)
{
	struct opnd o = {0}, x = {0}, y = {0};
	int b = 2, c, e;

	if (!(tok_is(L, 0, "if") || tok_is(L, 0, "iif")) || !glued_call(L, 0))
		return;
	e = sqli_operand(L, 0, &o, 0);
	if (!whole(L, e) || !o.cond)
		return;
	while (b < e && L->t[b].t == T_LP)
		b++;
	c = sqli_comparison(L, b, &x, &y);
	if (c < 0 || !x.lit || !y.lit || x.ident || y.ident)
		return;
	c = skip_rp(L, c);
	if (!formula_if(L, b, c, e))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "conditional on a constant as the whole value");
}

/* convert(int,(char(33)+(select top 1 name from t)+char(33))) */
static void call_whole(const struct lex *L, struct payload_acc *a)
{
	struct opnd o = {0};
	int e;

	if (L->t[0].kw != K_NONE || !glued_call(L, 0))
		return;
	e = sqli_operand(L, 0, &o, 0);
	if (!whole(L, e) || !o.sub || !o.sqlfn)
		return;
	for (int k = 2; k + 1 < e; k++)
		if (is_kw(L, k, K_SELECT) && L->t[k - 1].t == T_LP && sqli_select_list(L, k + 1)) {
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "call carrying a query as the whole value");
			return;
		}
}

/* a zero at k: 0, 00, 0.0, .0, and with an exponent 0e0, 0.0e5 */
static int zero_num(const struct lex *L, int k)
{
	const char *w = L->lo + L->t[k].off;
	size_t l = L->t[k].len, p = 0, z = 0;

	if (L->t[k].t != T_NUM)
		return 0;
	for (; p < l && (w[p] == '0' || w[p] == '.'); p++)
		z += w[p] == '0';
	if (p < l && w[p] == 'e')
		for (p++; p < l && w[p] >= '0' && w[p] <= '9'; p++)
			;
	return z && p == l;
}

/* 1 AND 1/0: the number's boolean on a division by zero */
static void div_zero(const struct lex *L, struct payload_acc *a)
{
	int i = L->start, n = L->nt, k, d = 0;

	if (!L->num || L->brk || !is_bool(L, i) || i + 3 >= n ||
	    sqli_core_len(L->lo, L->n, SQLI_PROBE_MAX) > SQLI_PROBE_MAX)
		return;
	k = i + 1;
	if (L->t[k].t != T_NUM || L->t[k + 1].t != T_OP || L->t[k + 1].len != 1 ||
	    L->lo[L->t[k + 1].off] != '/' || L->t[k].cmt || L->t[k + 1].cmt)
		return;
	/* the divisor: a zero, perhaps in parentheses ((0)), each closed */
	for (k += 2; k < n && L->t[k].t == T_LP && !L->t[k].cmt; k++)
		d++;
	if (k >= n || !zero_num(L, k))
		return;
	for (; d > 0 && k + 1 < n && !L->t[k].cmt && L->t[k + 1].t == T_RP; k++)
		d--;
	if (!d && (k + 1 >= n || L->t[k].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "boolean on a division by zero after the value");
}

/* the command string at k: '..', E'..' (the 'e' glued to it, if the
 * lexer split it off), or PostgreSQL's dollar quoting $$..$$, $q$..$q$
 * (one word to the lexer: '$' is a word byte) */
static int command_string(const struct lex *L, int k)
{
	const struct tok *t = &L->t[k];

	if (t->t == T_STR)
		return 1;
	if (t->t != T_WORD)
		return 0;
	if (t->len >= 4 && L->lo[t->off] == '$' && L->lo[t->off + t->len - 1] == '$')
		return 1;
	return t->len == 1 && L->lo[t->off] == 'e' && k + 1 < L->nt && L->t[k + 1].t == T_STR &&
	       L->t[k + 1].off == t->off + 1;
}

/* a table's name part at k: a word or PostgreSQL's "quoted" name */
static int name_part(const struct lex *L, int k)
{
	return k < L->nt && (L->t[k].t == T_WORD ||
			     (L->t[k].t == T_STR && !L->t[k].open && L->lo[L->t[k].off] == '"'));
}

/* COPY (SELECT ..) TO PROGRAM '..' / COPY t FROM PROGRAM '..' at h (t
 * perhaps qualified or quoted: public.t, "t"; perhaps with its column
 * list: t(a, b)) */
static void copy_program(const struct lex *L, int h, struct payload_acc *a)
{
	int n = L->nt, k = h + 2;

	if (!tok_is(L, h, "copy") || h + 1 >= n)
		return;
	if (L->t[h + 1].t == T_LP)
		k = sqli_close_paren(L, h + 1);
	else if (!name_part(L, h + 1))
		return;
	while (k > 0 && k + 1 < n && L->t[k].t == T_DOT && name_part(L, k + 1))
		k += 2;
	if (k >= h + 2 && k < n && L->t[h + 1].t != T_LP && L->t[k].t == T_LP)
		k = sqli_close_paren(L, k);
	if (k > 0 && k + 2 < n && (tok_is(L, k, "to") || is_kw(L, k, K_FROM)) && tok_is(L, k + 1, "program") &&
	    command_string(L, k + 2))
		payload_acc_hit(a, PAYLOAD_SQLI, 85, "copy to or from a program");
}

/* after byte p only a comment mark and blanks, '-' or '+': "-- ", "#",
 * "-- -", "--+" (no words: "-- default" is a note) */
static int blank(unsigned char c)
{
	return c <= 0x20 || c == 0xa0; /* as sql_space: controls, latin1 NBSP */
}

static int mark_only(const char *lo, size_t p, size_t n)
{
	while (p < n && blank((unsigned char)lo[p]))
		p++;
	if (p < n && lo[p] == '#')
		p++;
	else if (p + 1 < n && ((lo[p] == '-' && lo[p + 1] == '-') || (lo[p] == '/' && lo[p + 1] == '*')))
		p += 2;
	else
		return 0;
	while (p < n && (blank((unsigned char)lo[p]) || lo[p] == '-' || lo[p] == '+'))
		p++;
	return p == n;
}

/* ZAP's ORDER BY probe: the value (a column or a number), ASC or DESC
 * (perhaps NULLS FIRST or LAST), perhaps ';', then a bare comment mark
 * ending it (name ASC -- , price DESC, name ASC -- , name ASC;-- ); sorting
 * keys with no mark, or with a note after it, are a sort parameter or
 * prose */
static void order_dir(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, k = 0;

	if (sqli_core_len(L->lo, L->n, SQLI_SORT_MAX) > SQLI_SORT_MAX)
		return;
	for (int r = 0; r < 8; r++) {
		if (k >= n || !(L->t[k].t == T_NUM || (L->t[k].t == T_WORD && L->t[k].kw == K_NONE)))
			return;
		while (k + 2 < n && L->t[k + 1].t == T_DOT && L->t[k + 2].t == T_WORD)
			k += 2;
		if (!(tok_is(L, k + 1, "asc") || tok_is(L, k + 1, "desc")) || L->t[k].cmt)
			return;
		k += 2;
		if (k + 1 < n && !L->t[k - 1].cmt && tok_is(L, k, "nulls") && !L->t[k].cmt &&
		    (tok_is(L, k + 1, "first") || tok_is(L, k + 1, "last")))
			k += 2;
		if (k >= n || L->t[k - 1].cmt || L->t[k].t != T_COMMA)
			break;
		k++;
	}
	/* name ASC;-- : the statement ended before the comment */
	if (k + 1 == n && !L->t[k - 1].cmt && L->t[k].t == T_SEMI && L->t[k].cmt)
		k++;
	if (k == n && L->t[k - 1].cmt && mark_only(L->lo, L->t[k - 1].off + L->t[k - 1].len, L->n))
		payload_acc_hit(a, PAYLOAD_SQLI, 60, "sort direction cut by a comment");
}

void sqli_tail_rules(const struct lex *L, struct payload_acc *a)
{
	if (!L->brk && L->nt >= 2)
		order_dir(L, a);
	if (L->nt < 4)
		return;
	if (!L->brk) {
		if_whole(L, a);
		call_whole(L, a);
		div_zero(L, a);
		copy_program(L, 0, a);
	} else {
		copy_program(L, skip_rp(L, L->start), a);
	}
}
