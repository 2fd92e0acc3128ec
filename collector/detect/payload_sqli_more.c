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
 *    one, as the gate's proof says);
 *  - MySQL's BIGINT overflow as an error probe: abs() of a 19-digit
 *    number (abs(-9223372036854775808)), or after AND/OR ~0 or a number
 *    past the greatest BIGINT plus, minus or times a number (1 and ~0+1);
 *  - three character codes or more joined into a string
 *    (CHAR(83)+CHAR(69)+CHAR(76), CHR(113)||CHR(118)||CHR(112),
 *    CONCAT(CHAR(113),CHAR(118),CHAR(112))): text hidden from a filter;
 *  - a string closed after a number (or nothing) and an empty one opened
 *    (8616' ' reads '8616' '', ' ' reads '' ''): the concatenation probe;
 *  - the reading without sqlmap's scientific " 1.e" (sqli_more_sci,
 *    judged by payload_sqli_rules.c's judge_dropped);
 *  - helpers of payload_sqli_rules.c's rules: where SQL could call a
 *    dangerous function (sqli_call_site), an MSSQL procedure called, not
 *    named (sqli_proc_called), a catalog's name opening a page title
 *    (sqli_catalog_title), a spreadsheet formula whose quotes are its
 *    own (sqli_more_formula), a clause after a word value opening on a
 *    nested call or a query (sqli_word_nested), and the look-alikes of a
 *    break set aside: a quote opening a LIKE pattern, two years compared,
 *    feet and inches or a measure's note before a comment mark, a HAVING
 *    after the value's GROUP BY name (sqli_more_like_opens, _years_pair,
 *    _feet_inches, _group_head).
 * abs( and CHAR( need a '('; the overflow after AND/OR needs the boolean
 * word or "&&"/"||" the gate counts; the probe a quote. */

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
	if (l == 1) /* N'a', PostgreSQL's E'\x41' */
		return w[0] == 'n' || w[0] == 'e';
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

/* t[k] is a number of 19 digits or more at or past the greatest BIGINT
 * (9223372036854775807) */
static int past_bigint(const struct lex *L, int k)
{
	const struct tok *q = &L->t[k];

	return k < L->nt && q->t == T_NUM && q->len >= 19 &&
	       (q->len > 19 || memcmp(L->lo + q->off, "9223372036854775807", 19) >= 0);
}

/* at k, abs( [-] 19 digits ), or after AND/OR: ~0 or a number past the
 * greatest BIGINT, then + - or * and a number */
static int bigint_overflow(const struct lex *L, int k)
{
	int n = L->nt, j = k;

	/* a method of a program's object (Java's Math.abs(Long.MIN_VALUE)
	 * question) is not MySQL's abs(), which no name qualifies */
	if (tok_is(L, k, "abs") && k + 3 < n && L->t[k + 1].t == T_LP && !(k > 0 && L->t[k - 1].t == T_DOT)) {
		j = k + 2 + (L->t[k + 2].t == T_OP && L->lo[L->t[k + 2].off] == '-');
		return j + 1 < n && L->t[j].t == T_NUM && L->t[j].len >= 19 && L->t[j + 1].t == T_RP;
	}
	if (k == 0 || !is_bool(L, k - 1))
		return 0;
	if (L->t[k].t == T_OP && L->lo[L->t[k].off] == '~' && k + 1 < n && L->t[k + 1].t == T_NUM &&
	    L->t[k + 1].len == 1 && L->lo[L->t[k + 1].off] == '0')
		j = k + 2;
	else if (past_bigint(L, k))
		j = k + 1;
	else
		return 0;
	return j + 1 < n && L->t[j].t == T_OP && strchr("+-*", L->lo[L->t[j].off]) && L->t[j + 1].t == T_NUM;
}

/* at k, CHAR(n[,n..]) / CHR(n) / NCHAR(n) and its '(': the index
 * after its ')', else 0; *codes: its numbers, *vis: those that may give
 * a visible character (all but a decimal under 33: a tab, a line break,
 * a blank) */
static int char_code(const struct lex *L, int k, int *codes, int *vis)
{
	int j = k + 2;

	*codes = *vis = 0;
	if (!(tok_is(L, k, "char") || tok_is(L, k, "chr") || tok_is(L, k, "nchar")) || k + 3 >= L->nt ||
	    L->t[k + 1].t != T_LP)
		return 0;
	/* blanks may stand before the '(' (PostgreSQL, Oracle and MSSQL
	 * read "chr (113)" as the call), no comment or other byte */
	for (size_t o = L->t[k].off + L->t[k].len; o < L->t[k + 1].off; o++)
		if (L->lo[o] != ' ' && L->lo[o] != '\t')
			return 0;
	for (;; j += 2) {
		const struct tok *q = &L->t[j];
		const char *d = L->lo + q->off;

		if (!(j + 1 < L->nt && q->t == T_NUM))
			return 0;
		++*codes;
		*vis += !(q->len <= 2 && d[0] >= '0' && d[0] <= '9' && (q->len == 1 || (d[1] >= '0' && d[1] <= '9')) &&
			  (q->len == 1 || (d[0] - '0') * 10 + (d[1] - '0') < 33));
		if (L->t[j + 1].t == T_RP)
			return j + 2;
		if (L->t[j + 1].t != T_COMMA || j >= k + 2 + 2 * 16)
			return 0;
	}
}

/* one pass: the overflow probe, and runs of character codes joined by
 * '+', "||" or ',' (a run restarts at anything else), one call's list
 * counting each code (CHAR(113,118,112)); a run hides text when three
 * codes or more are joined and two or more may give visible characters:
 * line breaks and tabs (CHAR(13)+CHAR(10)+CHAR(9)) are a query's own
 * formatting */
static void codes_and_overflow(const struct lex *L, struct payload_acc *a)
{
	int run = 0, vis = 0, told = 0;

	for (int k = 0; k < L->nt;) {
		int c, v, e = char_code(L, k, &c, &v);

		if (e) {
			run += c;
			vis += v;
			if (run >= 3 && vis >= 2 && !told) {
				payload_acc_hit(a, PAYLOAD_SQLI, 65, "string built from character codes");
				told = 1;
			}
			k = e;
			if (k < L->nt && (L->t[k].t == T_COMMA ||
					  (L->t[k].t == T_OP && (L->lo[L->t[k].off] == '+' || L->lo[L->t[k].off] == '|'))))
				k++;
			else
				run = vis = 0;
			continue;
		}
		run = vis = 0;
		if (bigint_overflow(L, k))
			payload_acc_hit(a, PAYLOAD_SQLI, 65, "bigint overflow error probe");
		k++;
	}
}

/* after a number or nothing, a quote ' that closes the string, blanks, and a
 * quote opening an empty one the query's own quote closes (a number and
 * '"' are inches: 12" " stays prose) */
static void blank_string_probe(const struct lex *L, struct payload_acc *a)
{
	const struct tok *q = &L->t[L->start < L->nt ? L->start : 0];
	size_t i;

	if (!L->brk || L->nt != L->start + 1 || q->t != T_STR || !q->open || q->len != 1 ||
	    q->off <= L->bq + 1 || L->lo[q->off] != L->lo[L->bq] || L->lo[q->off] != '\'')
		return;
	for (i = 0; i < L->bq; i++)
		if (L->lo[i] < '0' || L->lo[i] > '9')
			return;
	for (i = L->bq + 1; i < q->off; i++)
		if (L->lo[i] != ' ' && L->lo[i] != '\t')
			return;
	/* ' ' alone (the lists' probe) may be a separator's setting too: a
	 * finding under the kill line */
	payload_acc_hit(a, PAYLOAD_SQLI, L->bq ? 60 : 55, "empty string after string break");
}

void sqli_more_extra(const struct lex *L, struct payload_acc *a)
{
	codes_and_overflow(L, a);
	blank_string_probe(L, a);
}

static int sci_follow(char c)
{
	return c == '(' || c == ')' || c == ',' || c == '.' || c == '*' || c == '^' || c == '/' || c == '|' ||
	       c == '&';
}

size_t sqli_more_sci(const char *lo, size_t n, char *out)
{
	size_t m = 0, i = 0;
	int drops = 0;

	while (i < n && m < PAYLOAD_MAX_VALUE) {
		size_t k = i + (lo[i] == ' ' || lo[i] == '\t' || lo[i] == '\n'), d = k;

		/* [blank] digits ".e" then one of sci_follow's bytes, not inside
		 * a word or number */
		while (d < n && d - k < 8 && lo[d] >= '0' && lo[d] <= '9')
			d++;
		if (d > k && d + 2 < n && lo[d] == '.' && lo[d + 1] == 'e' && sci_follow(lo[d + 2]) &&
		    (k > i || i == 0 || !(payload_is_alnum((unsigned char)lo[i - 1]) || lo[i - 1] == '.'))) {
			drops++;
			i = d + 2;
			continue;
		}
		/* no drop here: copy through the digits looked at (each byte is
		 * looked at once as a start) */
		out[m++] = lo[i++];
	}
	out[m] = '\0';
	return drops >= 2 ? m : 0;
}

/* Could SQL call the function at t[i] (its call ending before t[e])?
 * Not after a program's word (await sleep(500), yield) or arrow
 * (() => sleep(1000)), nor before an IN with no list, a BETWEEN with no
 * AND or an IS with no NULL, NOT, TRUE, FALSE or UNKNOWN (sleep(5) in
 * bash, sleep(2) between retries, pg_sleep(1) is too long): SQL's words before a
 * call are its keywords and DO, BINARY, PERFORM */
int sqli_call_site(const struct lex *L, int i, int e)
{
	const struct tok *p = &L->t[i > 0 ? i - 1 : 0];
	size_t o = L->t[i].off;

	if (i > 0 && p->t == T_WORD && p->kw == K_NONE && !tok_is(L, i - 1, "do") &&
	    !tok_is(L, i - 1, "binary") && !tok_is(L, i - 1, "perform"))
		return 0;
	/* after a program's condition with no operator: while(1) sleep(1);
	 * (the ')' closes a '(' glued to a word, a few tokens back), SQL
	 * puts no call there; a User-Agent's "(X11; Linux) sleep(5)" opens
	 * its '(' after a blank */
	if (i > 0 && p->t == T_RP) {
		for (int k = i - 2; k >= 1 && k >= i - 6; k--)
			if (L->t[k].t == T_LP)
				return !(L->t[k - 1].t == T_WORD && L->t[k].off == L->t[k - 1].off + L->t[k - 1].len);
			else if (L->t[k].t == T_RP)
				break;
	}
	/* a string on both sides, no operator: "Sleep(5)" - Chapter 5 reads
	 * x"Sleep(5)" - ..", which no SQL parses (a title quoting the call) */
	if (((i == 0 && L->brk) || (i > 0 && p->t == T_STR)) && e < L->nt && L->t[e].t == T_STR)
		return 0;
	while (o > 0 && (L->lo[o - 1] == ' ' || L->lo[o - 1] == '\t'))
		o--;
	if (o >= 2 && L->lo[o - 1] == '>' && L->lo[o - 2] == '=')
		return 0;
	if (is_kw(L, e, K_IN) && !(e + 1 < L->nt && L->t[e + 1].t == T_LP))
		return 0;
	if (is_kw(L, e, K_IS) && !(is_kw(L, e + 1, K_NULL) || is_kw(L, e + 1, K_NOT) || is_kw(L, e + 1, K_TRUE) ||
				   is_kw(L, e + 1, K_FALSE) || tok_is(L, e + 1, "unknown")))
		return 0;
	if (is_kw(L, e, K_BETWEEN)) {
		for (int k = e + 2; k < L->nt && k < e + 12; k++)
			if (is_kw(L, k, K_AND))
				return 1;
		return 0;
	}
	return 1;
}

/* the procedure name at t[i] is called: EXEC, ';' or a qualifier before
 * it, or an argument, '(', ';' or a comment (or nothing) after it;
 * "xp_cmdshell is disabled by default" names it in a sentence */
int sqli_proc_called(const struct lex *L, int i)
{
	/* MSSQL's bracketed name: EXEC [master].[dbo].[xp_cmdshell] 'dir' */
	if (i >= 1 && i + 1 < L->nt && L->t[i - 1].t == T_OTHER && L->lo[L->t[i - 1].off] == '[' &&
	    L->t[i + 1].t == T_OTHER && L->lo[L->t[i + 1].off] == ']') {
		const struct tok *b = &L->t[i - 2 >= 0 ? i - 2 : 0];
		const struct tok *a = &L->t[i + 2 < L->nt ? i + 2 : i + 1];

		return (i >= 2 && (is_kw(L, i - 2, K_EXEC) || is_kw(L, i - 2, K_EXECUTE) || b->t == T_DOT ||
				   b->t == T_SEMI)) ||
		       (i + 2 < L->nt && (a->t == T_STR || a->t == T_LP || a->t == T_SEMI));
	}
	const struct tok *nx = &L->t[i + 1 < L->nt ? i + 1 : i];

	if (is_kw(L, i - 1, K_EXEC) || is_kw(L, i - 1, K_EXECUTE) ||
	    (i > 0 && (L->t[i - 1].t == T_DOT || L->t[i - 1].t == T_SEMI)))
		return 1;
	return i + 1 >= L->nt || L->t[i].cmt || nx->t == T_STR || nx->t == T_NUM || nx->t == T_VAR ||
	       nx->t == T_LP || nx->t == T_SEMI;
}

/* the catalog's dotted name at t[i] opens the value and plain words
 * (no keyword but a noun's, no mark) end it: a page's title, "INFORMATION_SCHEMA.TABLES
 * documentation", not a query's table */
int sqli_catalog_title(const struct lex *L, int i)
{
	int k = i;

	if (i != 0 || L->brk || L->any_cmt)
		return 0;
	while (k + 2 < L->nt && L->t[k + 1].t == T_DOT && L->t[k + 2].t == T_WORD)
		k += 2;
	/* mysql.user alone, or mysql.user=root, is a configuration key
	 * (mysql.user=, mysql.host=), no query reading the grant table; a
	 * catalog's name alone (information_schema.tables) stays a probe */
	if (k == i + 2 && tok_is(L, i, "mysql") &&
	    (k + 1 >= L->nt || (k + 3 == L->nt && (L->lo[L->t[k + 1].off] == '=' || L->lo[L->t[k + 1].off] == ':') &&
				L->t[k + 1].len == 1 && (L->t[k + 2].t == T_WORD || L->t[k + 2].t == T_NUM))))
		return 1;
	if (k + 1 >= L->nt)
		return 0;
	/* one word of one or two letters after the name is the table's
	 * alias (mysql.user u, information_schema.tables t): a FROM's */
	if (k + 1 >= L->nt || (k + 2 == L->nt && L->t[k + 1].len <= 2))
		return 0;
	for (k++; k < L->nt; k++) {
		int w = L->t[k].kw;

		/* the keywords that are nouns in a title (view reference) */
		if (L->t[k].t != T_WORD || !(w == K_NONE || w == K_VIEW || w == K_TABLE || w == K_INDEX ||
					     w == K_USER || w == K_SCHEMA || w == K_DATABASE || w == K_FUNCTION))
			return 0;
	}
	return 1;
}


/* a spreadsheet criterion quoted at lo[p] (lo[p] == '"'): at most one
 * comparison first, then digits, '.', '*' or '?' ("<>", ">0", ">=",
 * "=5", ""): the index after its closing quote, else 0. A criterion
 * never holds an operator after its number, a comment mark, "||" or a
 * word, all of which SQL reads between the formula's quotes when a
 * quote of the query opens before it ("=0>=", "=0#", "=1||1=1-- ") */
static size_t formula_criterion(const char *lo, size_t n, size_t p)
{
	size_t i = p + 1;

	if (i < n && (lo[i] == '<' || lo[i] == '>' || lo[i] == '='))
		i += 1 + (i + 1 < n && lo[i] != '=' && (lo[i + 1] == '=' || (lo[i] == '<' && lo[i + 1] == '>')));
	while (i < n && ((lo[i] >= '0' && lo[i] <= '9') || lo[i] == '.' || lo[i] == '*' || lo[i] == '?'))
		i++;
	return i < n && lo[i] == '"' ? i + 1 : 0;
}

/* a spreadsheet formula as the whole value: '=', a name, '(' ... ')'
 * ending it, its quoted strings (double quotes, as spreadsheets write
 * them; a ' quotes only a sheet's name) criteria formula_criterion
 * reads (=COUNTIF(B2:B100,"<>"), =SUMIF(A:A,">0")): its quotes are the
 * formula's, no break; a string with a word in it is judged as ever */
int sqli_more_formula(const char *lo, size_t n)
{
	size_t i = 1;

	if (n < 4 || lo[0] != '=' || lo[n - 1] != ')')
		return 0;
	while (i < n && lo[i] >= 'a' && lo[i] <= 'z')
		i++;
	if (i == 1 || i >= n || lo[i] != '(')
		return 0;
	while (i < n) {
		if (lo[i] == '\'')
			return 0;
		if (lo[i] != '"') {
			i++;
			continue;
		}
		if (!(i = formula_criterion(lo, n, i)))
			return 0;
	}
	return 1;
}

/* the clause at t[i] follows one word that opens a string value no quote
 * closes, and its predicate opens on a call inside a call or a query
 * (abc HAVING ASCII(SUBSTRING(USER(),1,1))>84): a tool's, not a sentence
 * ("fun having count(x) > 5") */
int sqli_word_nested(const struct lex *L, int i)
{
	const struct tok *t = L->t;

	if (i != 1 || L->brk || t[0].t != T_WORD || t[0].kw != K_NONE || i + 4 >= L->nt)
		return 0;
	if (t[i + 1].t == T_LP)
		return is_kw(L, i + 2, K_SELECT) || (t[i + 2].t == T_LP && is_kw(L, i + 3, K_SELECT));
	/* the inner call a function's (SUBSTRING(, MID(), not a keyword's
	 * parentheses: COUNT(DISTINCT(user_id)) is a report's */
	return t[i + 1].t == T_WORD && t[i + 2].t == T_LP && t[i + 3].t == T_WORD && t[i + 3].kw == K_NONE &&
	       t[i + 4].t == T_LP;
}

/* The break's quote follows LIKE, ILIKE or SIMILAR TO: it opens the
 * pattern, closes nothing (title like '%foo%', SIMILAR TO '%(b|d)%' is a
 * filter written out) */
int sqli_more_like_opens(const struct lex *L)
{
	static const char *const w[] = {"like", "ilike", "similar to"};
	size_t p = L->bq;

	while (p > 0 && L->lo[p - 1] == ' ')
		p--;
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(w[k]);

		if (p >= l && memcmp(L->lo + p - l, w[k], l) == 0 &&
		    (p == l || !payload_is_alnum((unsigned char)L->lo[p - l - 1])))
			return 1;
	}
	return 0;
}

/* two numbers that read as years (1900..2099): Windows AND 2000>1998 */
int sqli_more_years_pair(const struct lex *L, int a, int b)
{
	for (int k = 0; k < 2; k++) {
		const char *d = L->lo + L->t[k ? b : a].off;

		if (L->t[k ? b : a].len != 4 || !((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0')))
			return 0;
	}
	return 1;
}

static int is_digit_at(const struct lex *L, size_t p)
{
	return L->lo[p] >= '0' && L->lo[p] <= '9';
}

/* The break is a number's unit mark (1' foot, 2" inches) and the comment
 * mark after it opens two words or more: 12" -- twelve inches is a
 * note; a tool's comment holds one word or none (1"-- wXyZ, 1' #) */
static int measure_note(const struct lex *L)
{
	size_t p = L->bq + 1;
	int words = 0;

	if (L->bq == 0 || !is_digit_at(L, L->bq - 1))
		return 0;
	while (p < L->n && L->lo[p] == ' ')
		p++;
	if (p < L->n && L->lo[p] == '#')
		p++;
	else if (p + 1 < L->n && L->lo[p] == '-' && L->lo[p + 1] == '-')
		p += 2;
	else
		return 0;
	/* words: runs of two letters or more (the comment's bytes are no SQL) */
	for (size_t run = 0; p <= L->n; p++) {
		if (p < L->n && payload_is_alpha((unsigned char)L->lo[p])) {
			run++;
			continue;
		}
		words += run >= 2;
		run = 0;
	}
	return words >= 2;
}

/* The break is the " of a length in feet and inches: digits, ', blanks,
 * digits, " (10' 6", 5'11"), or a measure's note (measure_note) */
int sqli_more_feet_inches(const struct lex *L)
{
	size_t p = L->bq;

	if (L->lo[p] != '"' || p == 0 || !is_digit_at(L, p - 1))
		return measure_note(L);
	while (p > 0 && is_digit_at(L, p - 1))
		p--;
	while (p > 0 && L->lo[p - 1] == ' ')
		p--;
	if (p >= 2 && L->lo[p - 1] == '\'' && is_digit_at(L, p - 2))
		return 1;
	return measure_note(L);
}

/* the HAVING at t[i] follows GROUP BY a name that opens the injected part
 * (after the number or the break): 1 group by id having count(*)>0-- - */
int sqli_more_group_head(const struct lex *L, int i)
{
	int h = L->brk || L->pbrk ? skip_rp(L, L->start) : L->num ? L->start : -1;

	return h >= 0 && i == h + 3 && is_kw(L, h, K_GROUP) && is_kw(L, h + 1, K_BY) &&
	       (L->t[h + 2].t == T_WORD || L->t[h + 2].t == T_NUM);
}
