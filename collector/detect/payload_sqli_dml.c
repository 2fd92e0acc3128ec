/* payload_sqli_dml.c - SQL injection: the value lands inside an INSERT's
 * VALUES list or an UPDATE's SET list, and a numeric value's arithmetic
 * cut by a comment; rules on the token stream sqli_lex builds
 * (payload_sqli_int.h):
 *  - after the break (a quote, or a value closed by ')'), the ')' that
 *    ends the row, then another row: x'),('a','b')-- -, 1), (2,
 *    (SELECT user()))-- ;
 *  - after the break, more items of the row and its ')': x', 'y',
 *    (SELECT user()))#, a', 1, NOW());-- -, 1, (SELECT password FROM
 *    users LIMIT 1))-- -;
 *  - after a string break, more assignments of the SET list, perhaps a
 *    WHERE: ', is_admin=1 -- , ', role='admin' WHERE name='bob'-- -; the
 *    column perhaps qualified or quoted (', u.is_admin=1, ', "is_admin"=1,
 *    ', [is_admin]=1);
 *  - after a string break, a query concatenated into the string: ' +
 *    (SELECT TOP 1 name FROM sys.tables) + ' (MSSQL's '+');
 *  - the whole value arithmetic on numbers, cut by a bare comment mark
 *    that ends it: 2-1-- -, 3-2#, (4-1)/ *, 5-0;-- , 9124=9124 -- wXyW.
 *    A score ("3-2"), a range ("1-5"), a size ("2*3") or a date stays
 *    quiet without the mark; with a hashtag or words after it ("3-2
 *    #COYS", "2-1 -- what a game") it is prose. The quiet gate lets a
 *    value that starts with a digit and holds '#' or "--" through for it.
 * Each of the first four ends the value with a comment (or ';' and a
 * comment): an application's own trailing quote and ')' are cut off so
 * the statement parses. The first three may instead end inside a string
 * left open for that quote (x', is_admin='1; x'),('a','b; a', (SELECT
 * ..), 'b): a new row of two items or a query, or a SET list. Its comment or quote opens the quiet gate
 * already (a comment after a break is loud; '(' is).
 */

#include "collector/detect/payload_sqli_int.h"

/* the value is cut after t[e-1]: a comment follows it, or ';' and a
 * comment */
static int cut_at(const struct lex *L, int e)
{
	if (e <= 0 || e > L->nt)
		return 0;
	if (L->t[e - 1].cmt)
		return 1;
	return e + 1 == L->nt && L->t[e].t == T_SEMI && L->t[e].cmt;
}

/* the value ends at e inside a string it opened, which the application's
 * own closing quote ends: x', is_admin='1 and x'),('a','b need no cut */
static int open_end(const struct lex *L, int e)
{
	return L->brk && L->n - L->bq <= SQLI_SET_MAX && e == L->nt && e > 0 && L->t[e - 1].t == T_STR &&
	       L->t[e - 1].open;
}

/* the row's items from k, separated by ',' (at most 32): the index after
 * the last, or -1; their kinds or-ed into *o */
static int items(const struct lex *L, int k, struct opnd *o, int *nitems)
{
	for (int r = 0; r < 32; r++) {
		struct opnd x = {0};
		int f = sqli_operand(L, k, &x, 0);

		if (f < 0)
			return -1;
		o->lit |= x.lit;
		o->call |= x.call;
		o->sub |= x.sub;
		o->sqlfn |= x.sqlfn;
		o->danger |= x.danger;
		o->var |= x.var;
		++*nitems;
		if (f >= L->nt || L->t[f].t != T_COMMA)
			return f;
		k = f + 1;
	}
	return -1;
}

/* a new row: "( items )" at k, perhaps more after ','; the index after
 * the last row, or -1 */
static int rows(const struct lex *L, int k, struct opnd *o, int *nitems)
{
	int e = -1;

	for (int r = 0; r < 8 && k + 1 < L->nt && L->t[k].t == T_LP; r++) {
		int f = items(L, k + 1, o, nitems);

		if (f > 0 && open_end(L, f))
			return f;
		if (f < 0 || f >= L->nt || L->t[f].t != T_RP)
			return -1;
		e = f + 1;
		if (e + 1 >= L->nt || L->t[e].t != T_COMMA || L->t[e + 1].t != T_LP || L->t[e].cmt)
			break;
		k = e + 1;
	}
	return e;
}

/* the VALUES list: after the break r (rp ')' before it) */
static void values_rules(const struct lex *L, int r, int rp, struct payload_acc *a)
{
	struct opnd o = {0};
	int n = L->nt, e, ni = 0, strong;

	if (r + 1 >= n || L->t[r].t != T_COMMA || L->t[r].cmt)
		return;
	if (rp && L->t[r + 1].t == T_LP) {
		e = rows(L, r + 1, &o, &ni);
	} else {
		e = items(L, r + 1, &o, &ni);
		/* ... and the ')' that closes the row, or the row left open
		 * for the application's quote and ')' */
		if (e > 0 && !open_end(L, e) && skip_rp(L, e) == e)
			return;
		e = e > 0 && !open_end(L, e) ? skip_rp(L, e) : e;
	}
	if (e <= 0 || !(cut_at(L, e) || open_end(L, e)))
		return;
	strong = o.sub || o.sqlfn || o.danger || o.call || o.var;
	/* left open, a row needs its own ')' and a new row of two items
	 * ('),('x','y) or a query: "apples', 'pears" is a list */
	if (!cut_at(L, e) && !(o.sub || o.sqlfn || o.danger) && !(rp && ni >= 2))
		return;
	/* after a number, items of literals are a list in prose
	 * ("1, 2, 3) -- see"): a query or a call makes it a row */
	if (strong && (o.sub || o.sqlfn || o.danger || L->brk))
		payload_acc_hit(a, PAYLOAD_SQLI, 80, "row of an insert continued with a query");
	else if (L->brk && o.lit)
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "row of an insert continued after string break");
}

/* a column of a SET list at k: name, t.name, "name" (a quoted
 * identifier), [name]; the index after it, or -1 */
static int set_column(const struct lex *L, int k)
{
	int n = L->nt;

	if (k + 2 < n && L->t[k].t == T_OTHER && L->lo[L->t[k].off] == '[' && L->t[k + 1].t == T_WORD &&
	    L->t[k + 2].t == T_OTHER && L->lo[L->t[k + 2].off] == ']')
		return k + 3;
	if (k < n && L->t[k].t == T_STR && !L->t[k].open && L->lo[L->t[k].off] == '"' && L->t[k].len > 2)
		return k + 1;
	if (k >= n || L->t[k].t != T_WORD || L->t[k].kw != K_NONE)
		return -1;
	while (k + 2 < n && L->t[k + 1].t == T_DOT && L->t[k + 2].t == T_WORD && !L->t[k].cmt)
		k += 2;
	return k + 1;
}

/* the SET list after a string break at r: , name=value [, ...] [WHERE
 * comparison [AND|OR comparison ...]] then the cut */
static void set_rules(const struct lex *L, int r, struct payload_acc *a)
{
	int n = L->nt, k = r, sets = 0, sub = 0;

	while (sets < 16 && k + 3 < n && L->t[k].t == T_COMMA && !L->t[k].cmt) {
		struct opnd o = {0};
		int c = set_column(L, k + 1), f;

		if (c < 0 || c + 1 >= n || L->t[c].t != T_OP || L->t[c].len != 1 || L->lo[L->t[c].off] != '=')
			break;
		f = sqli_operand(L, c + 1, &o, 0);

		if (f < 0)
			return;
		sub |= o.sub || o.sqlfn || o.danger;
		sets++;
		k = f;
	}
	if (!sets)
		return;
	if (!cut_at(L, k) && is_kw(L, k, K_WHERE)) {
		for (int c = 0, j = k + 1; c < 8; c++) {
			struct opnd x = {0}, y = {0};
			int f = sqli_comparison(L, j, &x, &y);

			if (f < 0)
				return;
			k = f;
			if (cut_at(L, f) || open_end(L, f) || !is_bool(L, f))
				break;
			j = f + 1;
		}
	}
	if (cut_at(L, k))
		payload_acc_hit(a, PAYLOAD_SQLI, sub ? 80 : 75, "set list continued after string break");
	/* ... or left open for the application's own quote: x', is_admin='1 */
	else if (open_end(L, k))
		payload_acc_hit(a, PAYLOAD_SQLI, sub ? 80 : 70, "set list continued to the query's own quote");
}

/* ' + (SELECT ...) + ': after a string break, an operator, a query, an
 * operator, and the query's own quote opening the rest */
static void concat_rules(const struct lex *L, int r, struct payload_acc *a)
{
	int n = L->nt;
	struct opnd o = {0};

	if (r + 1 >= n || L->t[r].t != T_OP || !(L->t[r].op == O_ARITH || L->t[r].op == O_BOOL) ||
	    L->t[r + 1].t != T_LP)
		return;
	/* the operand takes the operator and the open quote on */
	int e = sqli_operand(L, r + 1, &o, 0);

	if (e == n && n >= r + 4 && L->t[n - 2].t == T_OP &&
	    (L->t[n - 2].op == O_ARITH || L->t[n - 2].op == O_BOOL) && L->t[n - 1].t == T_STR &&
	    L->t[n - 1].open && L->t[n - 3].t == T_RP && (o.sub || o.danger))
		payload_acc_hit(a, PAYLOAD_SQLI, 80, "query concatenated into the string");
}

/* the comment after byte p ends the value as a tool writes it: '#' or
 * "/ *" then blanks, "--" then blanks, '-' or '+' and at most one short
 * word (-- -, --+, -- wXyW). Strict (arithmetic that is no tautology: a
 * score, a range, a size, a phone number, a sum and its result): no '#'
 * (555-1234#, 20-30#, 10/10 #: a number sign or a tag), no word after
 * "--", and a "--" set apart by a blank must hold a '-' or '+' after it
 * ("2-1 -- -"; "3-1 -- final", "1-1 --" are a result and its note)
 * unless a ';' ended the statement first. */
static int bare_mark(const char *lo, size_t p, size_t n, int strict)
{
	size_t w = 0, m;
	int sp = 0, semi = 0;

	for (; p < n && (lo[p] == ' ' || lo[p] == '\t' || lo[p] == ';'); p++) {
		semi |= lo[p] == ';';
		sp |= lo[p] != ';';
	}
	if (p < n && lo[p] == '#' && !strict)
		p++;
	else if (p + 1 < n && ((lo[p] == '-' && lo[p + 1] == '-') || (lo[p] == '/' && lo[p + 1] == '*'))) {
		int dash = lo[p] == '-', sign = 0;

		for (p += 2; p < n && (lo[p] == ' ' || lo[p] == '-' || lo[p] == '+'); p++)
			sign |= lo[p] != ' ';
		if (strict && dash && sp && !semi && !sign)
			return 0;
	} else {
		return 0;
	}
	m = p;
	if (lo[p - 1] != '#')
		for (; p < n && payload_is_alnum((unsigned char)lo[p]) && w <= 8; p++, w++)
			;
	if (strict && p != m)
		return 0;
	while (p < n && (lo[p] == ' ' || lo[p] == '\t' || lo[p] == '\r' || lo[p] == '\n'))
		p++;
	return p == n && w <= 8;
}

/* a sign at k: the index after it */
static int num_sign(const struct lex *L, int k)
{
	if (k + 1 < L->nt && L->t[k].t == T_OP && L->t[k].len == 1 &&
	    (L->lo[L->t[k].off] == '-' || L->lo[L->t[k].off] == '+') && !L->t[k].cmt)
		return k + 1;
	return k;
}

/* one number of a chain at k: N, a signed N (2- -1, +2), or (N), (-N);
 * the index after it, or -1 */
static int num_term(const struct lex *L, int k)
{
	k = num_sign(L, k);
	if (k < L->nt && L->t[k].t == T_NUM)
		return k + 1;
	if (k + 2 < L->nt && L->t[k].t == T_LP && !L->t[k].cmt) {
		int j = num_sign(L, k + 1);

		if (j + 1 < L->nt && L->t[j].t == T_NUM && !L->t[j].cmt && L->t[j + 1].t == T_RP)
			return j + 2;
	}
	return -1;
}

/* a chain of numbers joined by + - * / % from k: the index after it, or
 * -1; the operators counted into *ops */
static int num_chain(const struct lex *L, int k, int *ops)
{
	int e = num_term(L, k);

	for (int r = 0; r < 16 && e > 0 && e + 1 < L->nt && !L->t[e - 1].cmt && L->t[e].t == T_OP &&
			L->t[e].op == O_ARITH && L->t[e].len == 1;
	     r++) {
		int f = num_term(L, e + 1);

		if (f < 0)
			break;
		++*ops;
		e = f;
	}
	return e;
}

/* the whole bare value arithmetic (or an equality of it) then the cut */
static void arith_rules(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, k = 0, ops = 0, lp = 0, eq = 0, e;

	if (L->brk || n < 2)
		return;
	/* past a digit or '(' first, a probe of SQLI_PROBE_MAX bytes
	 * without its padding (the quiet gate lets no longer one through) */
	if (!((L->lo[0] >= '0' && L->lo[0] <= '9') || L->lo[0] == '(') &&
	    sqli_core_len(L->lo, L->n, SQLI_PROBE_MAX) > SQLI_PROBE_MAX)
		return;
	if (L->t[0].t == T_LP)
		lp = k = 1;
	e = num_chain(L, k, &ops);
	if (e > 0 && e + 1 < n && L->t[e].t == T_OP && L->t[e].len == 1 && L->lo[L->t[e].off] == '=' &&
	    !L->t[e - 1].cmt) {
		int before = ops, q = e + 1;

		e = num_chain(L, q, &ops);
		/* sqlmap's own tautology: one number of 2+ digits equal to
		 * itself (9124=9124); a sum and its result (2+2=4) is a note */
		eq = !before && ops == before && e == q + 1 && e - 3 == k && L->t[k].len >= 2 &&
		     L->t[k].len == L->t[q].len && !memcmp(L->lo + L->t[k].off, L->lo + L->t[q].off, L->t[k].len);
		ops++;
	}
	if (e < 0 || !ops)
		return;
	if (lp) {
		if (e >= n || L->t[e].t != T_RP || L->t[e - 1].cmt)
			return;
		e++;
	}
	if (e > n || !cut_at(L, e) || (e < n && L->t[e].t != T_SEMI) ||
	    !bare_mark(L->lo, L->t[e - 1].off + L->t[e - 1].len, L->n, !eq))
		return;
	payload_acc_hit(a, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment");
}

void sqli_dml_rules(const struct lex *L, struct payload_acc *a)
{
	int r;

	arith_rules(L, a);
	if (!L->brk && !L->pbrk && !L->num)
		return;
	r = skip_rp(L, L->start);
	values_rules(L, r, r - L->start, a);
	if (L->brk && r == L->start) {
		set_rules(L, r, a);
		concat_rules(L, r, a);
	}
}
