/* payload_sqli_more.c - SQL injection: rules added after payload_sqli.c
 * and payload_sqli_rules.c reached their size, on the token stream
 * sqli_lex builds (payload_sqli_int.h):
 *  - CALL name(...) as a stacked statement (HSQLDB's and MySQL's
 *    procedure call: sqlmap's heavy query ; CALL REGEXP_SUBSTRING(...));
 *  - the value, one name or number, then an operator and a query in
 *    parentheses that decides on a comparison or waits (abc+(SELECT
 *    CONCAT(0x71,(ELT(1=1,1)),0x71)), test RLIKE (SELECT (CASE WHEN
 *    ...))): sqlmap's inline query and boolean on a string value that no
 *    quote closes.
 * Both need a '(' in the value, so the quiet gate (payload_sqli_gate.c,
 * which lets every value with a '(' through) needs no new word.
 *  - ORDER BY or GROUP BY a query or conditional right after the value
 *    (0' ORDER BY (SELECT 1)--), the column count probe without a number:
 *    ORDER and BY are a pair the gate already counts;
 *  - the lexer's typed string literals (x'41', b'1', N'a', _utf8'a'),
 *    read as the literal they are (they need a quote: no T_STR without
 *    one, as the gate's proof says). */

#include "collector/detect/payload_sqli_int.h"

/* At i, CALL then a name glued to its '(' (dotted names too), and a call
 * among the arguments or a dotted name: "; call me (555)" and "; call
 * mom(later)" are prose. */
int sqli_more_call_stmt(const struct lex *L, int i)
{
	int n = L->nt, j = i + 1, e;

	if (!tok_is(L, i, "call") || j >= n || L->t[j].t != T_WORD || L->t[j].kw != K_NONE)
		return 0;
	while (j + 2 < n && L->t[j + 1].t == T_DOT && L->t[j + 2].t == T_WORD)
		j += 2;
	if (j + 1 >= n || L->t[j + 1].t != T_LP || L->t[j + 1].off != L->t[j].off + L->t[j].len)
		return 0;
	if (j > i + 1)
		return 1;
	e = sqli_close_paren(L, j + 1);
	for (int k = j + 2; k + 1 < e; k++)
		if (L->t[k].t == T_WORD && L->t[k + 1].t == T_LP &&
		    L->t[k + 1].off == L->t[k].off + L->t[k].len)
			return 1;
	return 0;
}

int sqli_more_str_prefix(const char *lo, size_t n, size_t i, size_t j)
{
	const char *w = lo + i;
	size_t l = j - i, k;

	/* x'41' holds hex digits, b'01' bits, up to its quote or the end:
	 * "=> '-x'," is a string's end after a letter */
	if (l == 1 && (w[0] == 'x' || w[0] == 'b')) {
		for (k = j + 1; k < n && lo[k] != '\''; k++)
			if (!(w[0] == 'x' ? (lo[k] >= '0' && lo[k] <= '9') || (lo[k] >= 'a' && lo[k] <= 'f')
					  : lo[k] == '0' || lo[k] == '1'))
				return 0;
		return k > j + 1;
	}
	if (l == 1)
		return w[0] == 'n';
	/* a character set introducer: _utf8, _latin1, _binary, _utf8mb4 */
	if (l < 4 || l > 8 || w[0] != '_')
		return 0;
	for (k = 1; k < l; k++)
		if (!((w[k] >= 'a' && w[k] <= 'z') || (w[k] >= '0' && w[k] <= '9')))
			return 0;
	return 1;
}

/* ORDER BY / GROUP BY at the head of the injected part (after the break
 * and its ')', or after a leading number), then a query or a conditional
 * in parentheses that ends the value or is cut by a comment */
static void order_by_query(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, h = L->brk || L->pbrk ? skip_rp(L, L->start) : L->num ? L->start : -1;
	struct opnd o = {0};

	if (h < 0 || !(is_kw(L, h, K_ORDER) || is_kw(L, h, K_GROUP)) || !is_kw(L, h + 1, K_BY) ||
	    h + 2 >= n || L->t[h + 2].t != T_LP)
		return;
	int e = sqli_operand(L, h + 2, &o, 0);
	if (e > 0 && (e >= n || L->t[e - 1].cmt) && (o.sub || o.cond || o.danger))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "order by a query after the value");
}

/* The bare value is one name or number (-1234, abc, @v), then an
 * arithmetic or concatenation operator or a comparison, then a query in
 * parentheses whose result hangs on a comparison (CASE WHEN, IF, ELT) or
 * on a delay, ending the value or cut by a comment: "a+(select count(*)
 * from t)" decides nothing and stays SQL text. */
void sqli_more_rules(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, i = 0, f;
	struct opnd o = {0};

	order_by_query(L, a);
	if (L->brk || n < 4)
		return;
	if (L->t[0].t == T_OP && L->lo[L->t[0].off] == '-' && L->t[1].t == T_NUM)
		i = 1;
	if (!(L->t[i].t == T_NUM || L->t[i].t == T_VAR ||
	      (L->t[i].t == T_WORD && L->t[i].kw == K_NONE)))
		return;
	if (L->t[i + 1].t == T_OP && (L->t[i + 1].op == O_ARITH ||
				      (L->t[i + 1].op == O_BOOL && L->lo[L->t[i + 1].off] == '|')))
		f = i + 2;
	else
		f = sqli_cmp_op(L, i + 1);
	if (f < 0 || f >= n || L->t[f].t != T_LP ||
	    (!is_kw(L, f + 1, K_SELECT) && !(f + 2 < n && L->t[f + 1].t == T_LP && is_kw(L, f + 2, K_SELECT))))
		return;
	int e = sqli_operand(L, f, &o, 0);
	if (e > 0 && (e >= n || L->t[e - 1].cmt) && o.sub && (o.cond || o.danger))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "value then an operator and a deciding query");
}
