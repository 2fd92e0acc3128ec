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
 *  - (issue 21) a query or conditional as a sort list's next item after
 *    ORDER BY n or a quoted column name (list_item); two inline queries
 *    compared and cut by a comment; RLIKE/REGEXP on a literal after a
 *    number (the gate opens on either word); comparisons chained after a
 *    break and cut by a comment; UNION SELECT with a keyword nested in
 *    itself (UNIUNIONON, which the gate opens on: sqli_tail_nested).
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
 * (perhaps NULLS FIRST or LAST), perhaps ';' or more, then a bare comment
 * mark ending it (name ASC -- , price DESC, name ASC -- , name ASC;;-- ,
 * "name" ASC;-- : the column a quoted identifier); sorting
 * keys with no mark, or with a note after it, are a sort parameter or
 * prose */
static void order_dir(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, k = 0;

	if (sqli_core_len(L->lo, L->n, SQLI_SORT_MAX) > SQLI_SORT_MAX)
		return;
	for (int r = 0; r < 8; r++) {
		if (k >= n || !(L->t[k].t == T_NUM || (L->t[k].t == T_WORD && L->t[k].kw == K_NONE) ||
				(L->t[k].t == T_STR && !L->t[k].open && L->lo[L->t[k].off] == '"')))
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
	/* name ASC;-- , name ASC;;-- : the statement ended (again) before
	 * the comment */
	while (k < n && !L->t[k - 1].cmt && L->t[k].t == T_SEMI)
		k++;
	if (k == n && L->t[k - 1].cmt && mark_only(L->lo, L->t[k - 1].off + L->t[k - 1].len, L->n))
		payload_acc_hit(a, PAYLOAD_SQLI, 60, "sort direction cut by a comment");
}

/* a FROM among t[k..e) */
static int has_from(const struct lex *L, int k, int e)
{
	for (; k < e; k++)
		if (is_kw(L, k, K_FROM))
			return 1;
	return 0;
}

/* the list of the SELECT opened at t[k - 1] is SQL's: several items, a
 * FROM.. (sqli_select_list), or one item that is no name and closes the
 * query: (SELECT 1), not "(select best option)" */
static int sql_list(const struct lex *L, int k)
{
	struct opnd s = {0};
	int f = sqli_operand(L, k, &s, 0);

	return sqli_select_list(L, k) || (f > 0 && f < L->nt && L->t[f].t == T_RP && !s.ident);
}

/* A sort list's next item a query or a conditional: the list's head
 * (after the value's ORDER BY or GROUP BY, or from the start) is names
 * and numbers, perhaps with ASC or DESC, then ,(SELECT ..) or ,(CASE WHEN
 * ..) ends the value or is cut by a comment. After ORDER BY any query
 * (ORDER BY 1,(SELECT 1)); with no clause written, a conditional whose
 * test reads a query or a function (name,(CASE WHEN (SELECT SUBSTR(..))
 * ='a' THEN name ELSE id END)): the boolean probe on a sort parameter.
 * One pass over the head; one operand read. */
static void list_item(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, k = 0, by = 0, quoted = 0;
	struct opnd o = {0};

	/* after the ` that closes a column's name: name`,(SELECT ..),`id */
	if (L->brk && L->lo[L->bq] == '`') {
		if (n < 3 || L->t[0].t != T_COMMA || L->t[1].t != T_LP)
			return;
		k = 1, quoted = 1;
		goto item;
	}
	if ((is_kw(L, 0, K_ORDER) || is_kw(L, 0, K_GROUP)) && is_kw(L, 1, K_BY))
		k = 2, by = 1;
	else if (L->t[0].t == T_NUM && (is_kw(L, 1, K_ORDER) || is_kw(L, 1, K_GROUP)) && is_kw(L, 2, K_BY))
		k = 3, by = 1;
	for (;;) {
		/* a name quoted as SQL quotes one: `id`, "id", [id] */
		if (k + 2 < n && L->t[k].t == T_OTHER && L->lo[L->t[k].off] == '[' && L->t[k + 1].t == T_WORD &&
		    L->t[k + 2].t == T_OTHER && L->lo[L->t[k + 2].off] == ']') {
			k += 2, quoted = 1;
		} else if (k < n && ((L->t[k].t == T_WORD && L->lo[L->t[k].off] == '`') ||
				     (L->t[k].t == T_STR && L->lo[L->t[k].off] == '"' && !L->t[k].open))) {
			quoted = 1;
		} else if (k >= n || !(L->t[k].t == T_NUM || (L->t[k].t == T_WORD && L->t[k].kw == K_NONE)) ||
			   L->t[k].cmt)
			return;
		if (L->t[k].cmt)
			return;
		k++;
		while (k + 1 < n && L->t[k].t == T_DOT && L->t[k + 1].t == T_WORD && !L->t[k].cmt)
			k += 2;
		if (k < n && (tok_is(L, k, "asc") || tok_is(L, k, "desc")) && !L->t[k].cmt)
			k++;
		if (k + 1 < n && tok_is(L, k, "nulls") && (tok_is(L, k + 1, "first") || tok_is(L, k + 1, "last")))
			k += 2;
		if (k + 2 >= n || L->t[k].t != T_COMMA || L->t[k].cmt)
			return;
		k++;
		if (L->t[k].t == T_LP)
			break;
	}
item:
	if (!(is_kw(L, k + 1, K_SELECT) || (is_kw(L, k + 1, K_CASE) && is_kw(L, k + 2, K_WHEN))))
		return;
	int e = sqli_operand(L, k, &o, 0);
	/* ... or, after `, the next name's ` (or an alias's: AS `x) the
	 * query's own closes */
	if (!whole(L, e) && !(L->brk && e > 0 && e + 2 == n && (L->t[e].t == T_COMMA || is_kw(L, e, K_AS)) &&
			      L->lo[L->t[e + 1].off] == '`'))
		return;
	/* after the ` break any query: a column's name holds none */
	if (quoted && o.sub && sql_list(L, k + 2) && (L->brk || o.sqlfn || o.danger || o.cond || o.call || has_from(L, k, e)))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "query as an item after a quoted column name");
	else if (by && (o.cond || (o.sub && sql_list(L, k + 2))))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "query as an item of the value's order by list");
	else if (o.cond && (o.sub || o.sqlfn || o.danger || o.call))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "conditional on a query as a sort item");
}

/* The whole value a query in parentheses compared with another, cut by a
 * comment: (select 1)=(select 1)-- - (the inline query's true probe) */
static void queries_compared(const struct lex *L, struct payload_acc *a)
{
	struct opnd x = {0}, y = {0};

	if (L->t[0].t != T_LP || !is_kw(L, 1, K_SELECT))
		return;
	int e = sqli_operand(L, 0, &x, 0);
	int f = e > 0 && !L->t[e - 1].cmt ? sqli_cmp_op(L, e) : -1;
	if (f < 0 || !x.sub || f + 1 >= L->nt || L->t[f].t != T_LP || !is_kw(L, f + 1, K_SELECT))
		return;
	e = sqli_operand(L, f, &y, 0);
	/* each query's list SQL's: "(select one) = (select two) -- pick" is a form's note */
	if (e > 0 && y.sub && L->t[e - 1].cmt && e >= L->nt && sql_list(L, 2) && sql_list(L, f + 2))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "inline queries compared, then comment");
}

/* After a number, RLIKE or REGEXP on a literal ends the value: 1 RLIKE 1,
 * 1 REGEXP '1'-- (MySQL's boolean probe; neither is an English word) */
static void num_regexp(const struct lex *L, struct payload_acc *a)
{
	int i = L->start;

	if (L->num && i + 1 < L->nt && (is_kw(L, i, K_RLIKE) || is_kw(L, i, K_REGEXP)) &&
	    (L->t[i + 1].t == T_NUM || L->t[i + 1].t == T_STR) && (i + 2 >= L->nt || L->t[i + 1].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 65, "regexp match on a literal after the number");
}

/* After a string break, two comparisons or more chained on literals and
 * cut by a comment: 1'=1=0-- - reads (col='1')=1=0 */
static void break_cmp_chain(const struct lex *L, struct payload_acc *a)
{
	int k = skip_rp(L, L->start), c = 0;

	if (L->lo[L->bq] == '`')
		return;
	while (k + 1 < L->nt && L->t[k].t == T_OP && L->t[k].op == O_CMP &&
	       (L->t[k + 1].t == T_NUM || (L->t[k + 1].t == T_STR && !L->t[k + 1].open))) {
		c++;
		k += 2;
		if (L->t[k - 1].cmt)
			break;
	}
	if (c >= 2 && k >= L->nt && L->t[k - 1].cmt)
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "comparisons chained after string break, then comment");
}

/* w[0..l) is UNION or SELECT with a second copy of itself inserted inside
 * (UNIUNIONON, SELSELECTECT): what a filter that deletes the keyword once
 * turns back into it. K_UNION, K_SELECT or 0; at most 5 splits of 10 or
 * 12 bytes compared. */
int sqli_tail_nested(const char *w, size_t l)
{
	static const struct { const char *k; int kw; } ks[] = {{"union", K_UNION}, {"select", K_SELECT}};

	for (size_t x = 0; x < 2; x++) {
		size_t kl = strlen(ks[x].k);

		if (l != 2 * kl)
			continue;
		for (size_t p = 1; p < kl; p++)
			if (memcmp(w + p, ks[x].k, kl) == 0 && memcmp(w, ks[x].k, p) == 0 &&
			    memcmp(w + p + kl, ks[x].k + p, kl - p) == 0)
				return ks[x].kw;
	}
	return 0;
}

/* the word at i is keyword kw, written or nested (sqli_tail_nested) */
static int kw_or_nested(const struct lex *L, int i, int kw)
{
	return is_kw(L, i, kw) || (i < L->nt && L->t[i].t == T_WORD && L->t[i].kw == K_NONE &&
				   sqli_tail_nested(L->lo + L->t[i].off, L->t[i].len) == kw);
}

/* UNION [ALL] SELECT with either keyword nested: 1 UNIUNIONON
 * SELSELECTECT 1,2 (the application's filter strips the inner copy) */
static void nested_union(const struct lex *L, struct payload_acc *a)
{
	for (int i = 0; i + 1 < L->nt; i++) {
		if (L->t[i].t != T_WORD || !(L->t[i].len == 10 || L->t[i].len == 5) || !kw_or_nested(L, i, K_UNION))
			continue;
		int j = i + 1 + (is_kw(L, i + 1, K_ALL) || is_kw(L, i + 1, K_DISTINCT));
		if (kw_or_nested(L, j, K_SELECT) && (!is_kw(L, i, K_UNION) || !is_kw(L, j, K_SELECT))) {
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "union select with a keyword nested in itself");
			return;
		}
	}
}

void sqli_tail_rules(const struct lex *L, struct payload_acc *a)
{
	nested_union(L, a);
	if (!L->brk && L->nt >= 2)
		num_regexp(L, a);
	if (L->brk && L->nt >= 4)
		break_cmp_chain(L, a);
	if (!L->brk && L->nt >= 2)
		order_dir(L, a);
	if (L->nt < 4)
		return;
	list_item(L, a);
	if (!L->brk) {
		queries_compared(L, a);
		if_whole(L, a);
		call_whole(L, a);
		div_zero(L, a);
		copy_program(L, 0, a);
	} else {
		copy_program(L, skip_rp(L, L->start), a);
	}
}
