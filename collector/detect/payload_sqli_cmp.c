/* payload_sqli_cmp.c - SQL injection: comparisons a value's tail makes
 * with no literal tautology and no function the other rules know.
 *
 *  - after a number, the whole rest one negated match or one range on
 *    literals: 1 NOT RLIKE 0, 1 NOT REGEXP 'x', 1 NOT BETWEEN 0 AND 1
 *    (a probe of the value's truth; prose goes on after the range); a
 *    range not negated is told (55): "5 between 3 and 8" is a search;
 *  - MySQL's || and && (OR, AND) chained from the value's number back to
 *    the same number: 1||id||1, 1 && id && 1, 1||1 (a list joined by
 *    "||" does not start and end on one number; numbers alone only of
 *    one digit: 100||100 is a pair);
 *  - after a number or a break, a boolean on one name compared with
 *    itself: 1 AND CURRENT_DATE=CURRENT_DATE, 1 OR id=id; or an OR on a
 *    name that is not NULL, to the end: 1 OR id IS NOT NULL, true on
 *    every row (AND's is a probe a page answers the same);
 *  - right after a break, a comparison with a query, a conditional or a
 *    SQL function that is itself compared with the string the query's
 *    own quote closes: '=(SELECT 1 FROM dual)=', 1'=(SELECT 1)='1; or
 *    comparisons chained on literals up to that string: 1'='1'='1.
 * The lexer, operands and comparisons are payload_sqli.c's and
 * payload_sqli_expr.c's; each rule reads a fixed run of tokens from the
 * start of the injected part, or one comparison per boolean. */
#include "collector/detect/payload_sqli_int.h"

/* t[i] is a literal: a number or a closed string */
static int lit_at(const struct lex *L, int i)
{
	return i < L->nt && (L->t[i].t == T_NUM || (L->t[i].t == T_STR && !L->t[i].open));
}

/* the whole rest after the number: NOT RLIKE|REGEXP lit, [NOT] BETWEEN
 * lit AND lit, to the end or a comment */
static void num_match_tail(const struct lex *L, struct payload_acc *a)
{
	int i = L->start, neg = is_kw(L, i, K_NOT);
	int k = i + neg;

	if (neg && (is_kw(L, k, K_RLIKE) || is_kw(L, k, K_REGEXP)) && lit_at(L, k + 1) &&
	    sqli_whole_tokens(L, k + 2))
		payload_acc_hit(a, PAYLOAD_SQLI, 65, "negated regexp match on a literal after the number");
	if (is_kw(L, k, K_BETWEEN) && k + 3 < L->nt && L->t[k + 1].t == T_NUM && is_kw(L, k + 2, K_AND) &&
	    L->t[k + 3].t == T_NUM && sqli_whole_tokens(L, k + 4))
		payload_acc_hit(a, PAYLOAD_SQLI, neg ? 65 : 55, "range test on literals after the number");
}

/* t[k] is a string with no blank: a literal of a probe, not a quote in
 * prose (' not ') */
static int tight_str(const struct lex *L, int k)
{
	const struct tok *q = &L->t[k];

	if (q->t != T_STR || q->len > 16)
		return 0;
	for (size_t p = q->off; p < (size_t)q->off + q->len && p < L->n; p++)
		if (L->lo[p] == ' ')
			return 0;
	return 1;
}

/* the span of tokens t[i..e) as bytes */
static int same_span(const struct lex *L, int i, int e, int j, int f)
{
	size_t a0 = L->t[i].off, a1 = (size_t)L->t[e - 1].off + L->t[e - 1].len;
	size_t b0 = L->t[j].off, b1 = (size_t)L->t[f - 1].off + L->t[f - 1].len;

	return e - i == f - j && a1 - a0 == b1 - b0 && memcmp(L->lo + a0, L->lo + b0, a1 - a0) == 0;
}

/* || or && from the value's number to the same number at the end:
 * operands literals, names, USER or variables */
static void num_pipes(const struct lex *L, struct payload_acc *a)
{
	int i = L->start, k = i, last = -1, name = 0;

	if (i < 1 || L->t[i - 1].t != T_NUM)
		return;
	while (k + 1 < L->nt && L->t[k].t == T_OP && L->t[k].op == O_BOOL && L->t[k].len == 2 &&
	       L->lo[L->t[k].off] == L->lo[L->t[k].off + 1] && !L->t[k].cmt) {
		const struct tok *o = &L->t[k + 1];

		if (!(lit_at(L, k + 1) || o->t == T_VAR || (o->t == T_WORD && (o->kw == K_NONE || o->kw == K_USER))))
			return;
		name |= o->t != T_NUM;
		last = k + 1;
		k += 2;
		if (o->cmt)
			break;
	}
	/* numbers alone: a one-digit probe (1||1), not a pair (100||100)
	 * nor a record of fields ("1||0||1", "5||5||5" in a cookie) */
	if (last < 0 || !sqli_whole_tokens(L, k) || L->t[last].t != T_NUM || !same_span(L, i - 1, i, last, last + 1) ||
	    (!name && (L->t[last].len > 1 || last != i + 1)))
		return;
	payload_acc_hit(a, PAYLOAD_SQLI, 65, "number joined by || or && back to itself");
}

/* t[i] a boolean where the injected part starts: a name compared with
 * itself (the literal and call cases are rules_boolean's), perhaps in a
 * '(' the query's own ')' closes: 1) OR (id=id */
static void self_compared(const struct lex *L, int i, struct payload_acc *a)
{
	struct opnd x = {0}, y = {0};
	int par = i + 1 < L->nt && L->t[i + 1].t == T_LP;
	int e = sqli_operand(L, i + 1 + par, &x, 0), f, g;

	if (e < 0 || e >= L->nt || !x.ident || x.call || x.lit || x.sub)
		return;
	if (!(L->t[e].t == T_OP && L->t[e].op == O_CMP && L->t[e].len == 1 && L->lo[L->t[e].off] == '=') &&
	    !is_kw(L, e, K_LIKE))
		return;
	f = e + 1;
	g = sqli_operand(L, f, &y, 0);
	/* after a ')' alone a comment or a '(' left open must follow:
	 * "a) or b=b" is a list */
	if (g > 0 && sqli_ends_ok(L, g) && same_span(L, i + 1 + par, e, f, g) &&
	    (!L->pbrk || L->t[g - 1].cmt || (par && g >= L->nt)))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "boolean on a name compared with itself");
}

/* t[i] an OR where the injected part starts: a name IS NOT NULL, or NOT
 * name IS NULL, and nothing after it but a comment */
static void or_not_null(const struct lex *L, int i, struct payload_acc *a)
{
	struct opnd x = {0};
	int neg = is_kw(L, i + 1, K_NOT), e, end;

	if (!is_kw(L, i, K_OR))
		return;
	e = sqli_operand(L, i + 1 + neg, &x, 0);
	if (e < 0 || !x.ident || x.call || x.lit || x.sub || !is_kw(L, e, K_IS))
		return;
	if (neg)
		end = is_kw(L, e + 1, K_NULL) ? e + 2 : -1;
	else
		end = is_kw(L, e + 1, K_NOT) && is_kw(L, e + 2, K_NULL) ? e + 3 : -1;
	if (end > 0 && sqli_whole_tokens(L, end))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "OR on a name that is not NULL");
}

/* right after a break (t[r]): = (SELECT ..) = '<rest> where the rest is
 * the string the query's own quote closes */
static void cmp_to_own_quote(const struct lex *L, int r, struct payload_acc *a)
{
	struct opnd o = {0};
	int f = sqli_cmp_op(L, r), e, sel = 0;
	const struct tok *q = &L->t[L->nt - 1];

	if (f < 0 || !q->open || !tight_str(L, L->nt - 1))
		return;
	e = sqli_operand(L, f, &o, 0);
	if (e < 0 || e + 2 != L->nt || L->t[e].t != T_OP || L->t[e].op != O_CMP)
		return;
	for (int k = f; k < e && !sel; k++)
		sel = (is_kw(L, k, K_SELECT) && (sqli_select_list(L, k + 1) || is_kw(L, k + 1, K_USER))) ||
		      is_kw(L, k, K_FROM);
	if (o.cond || o.danger || o.sqlfn || (o.sub && sel))
		payload_acc_hit(a, PAYLOAD_SQLI, 80, "comparison with a query up to the query's own quote");
}

/* right after a break (t[r]): comparisons chained on literals up to the
 * string the query's own quote closes: 1'='1'='1, '=0=' */
static void chain_to_own_quote(const struct lex *L, int r, struct payload_acc *a)
{
	int k = r, c = 0;

	while (k + 2 < L->nt && L->t[k].t == T_OP && L->t[k].op == O_CMP && lit_at(L, k + 1) &&
	       (L->t[k + 1].t == T_NUM || tight_str(L, k + 1)) && !L->t[k + 1].cmt) {
		c++;
		k += 2;
	}
	if (c >= 1 && k + 2 == L->nt && L->t[k].t == T_OP && L->t[k].op == O_CMP && L->t[k + 1].open &&
	    tight_str(L, k + 1))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "comparisons chained up to the query's own quote");
}

/* Token i is a string the value ends inside, holding words ("-" means
 * none): prose quoting a mark; the query's own closing quote would end
 * an injected string ('||'x'||', '-'), no sentence */
int sqli_cmp_open_prose(const struct lex *L, int i)
{
	const struct tok *t = &L->t[i];

	if (t->t != T_STR || !t->open)
		return 0;
	for (size_t k = t->off; k + 1 < (size_t)t->off + t->len && k + 1 < L->n; k++)
		if (L->lo[k] == ' ' && payload_is_alpha((unsigned char)L->lo[k + 1]))
			return 1;
	return 0;
}

/* Token i is a string the value ends inside that holds bytes, none a
 * letter or digit: a sentence's end after a quoted operator (Incorrect
 * syntax near '='.), not the x of x'='x */
static int open_punct(const struct lex *L, int i)
{
	const struct tok *t = &L->t[i];

	if (t->t != T_STR || !t->open || t->len < 2)
		return 0;
	for (size_t k = t->off + 1; k < (size_t)t->off + t->len && k < L->n; k++)
		if (payload_is_alnum((unsigned char)L->lo[k]) || (unsigned char)L->lo[k] >= 0x80)
			return 0;
	return 1;
}

/* The break's quote and the open string at i quote an operator in a
 * sentence: a word and a blank before the quote ("Press '=' to", "near
 * '='."), or the value opening on the quote and words after it ("'=' is
 * the ..", '"=" sign'). A quote glued to a word (x'=' x, x'='.) is the
 * x'='x bypass with its tail changed: (col='x')=' x' holds as well */
int sqli_cmp_op_prose(const struct lex *L, int i)
{
	const struct tok *t = &L->t[i];
	int prose = sqli_cmp_open_prose(L, i) && !memchr(L->lo + t->off, '=', t->len);

	if (L->bq >= 2 && L->lo[L->bq - 1] == ' ' && payload_is_alpha((unsigned char)L->lo[L->bq - 2]))
		return prose || open_punct(L, i);
	return L->bq == 0 && prose;
}

void sqli_cmp_rules(const struct lex *L, struct payload_acc *a)
{
	int r = skip_rp(L, L->start);

	if (L->num && !L->brk && L->start < L->nt) {
		num_match_tail(L, a);
		num_pipes(L, a);
		if (is_bool(L, L->start)) {
			self_compared(L, L->start, a);
			or_not_null(L, L->start, a);
		}
	}
	if ((L->brk || L->pbrk) && r < L->nt && is_bool(L, r)) {
		self_compared(L, r, a);
		or_not_null(L, r, a);
	}
	if (L->brk && r + 3 < L->nt && L->lo[L->bq] != '`') {
		cmp_to_own_quote(L, r, a);
		chain_to_own_quote(L, r, a);
	}
}
