/* payload_sqli_rules.c - SQL injection: the contexts a value can land in and
 * the rules over the token stream (payload_sqli.c lexes and parses
 * expressions) that only an injected fragment satisfies.
 *
 * The value is read as the tail of a statement four ways: bare (a number
 * or name, perhaps closed by one to three ')'), after the ' that closes a
 * string, after ", after ` (an identifier); each with or without a comment
 * cutting the rest off. Harm is structural, in any of the dialects tools
 * target (MySQL, PostgreSQL, MSSQL, Oracle, SQLite): a boolean whose
 * operand makes the predicate constant or carries a query, a conditional
 * (CASE WHEN, IF/IIF/ELT/MAKE_SET on a comparison) or a delay; the value
 * made the left side of a comparison with a query; UNION [ALL] SELECT with a
 * select list; a stacked statement; an inline query as the whole value;
 * error-based and time functions; schema probing; ORDER BY n; INTO
 * OUTFILE. Comments and blanks (/ ** /, #...\n, control bytes, latin1
 * no-break space) are whitespace, versioned comments are code, and a
 * second pass judges the value with comments removed (UN/ ** /ION). */
#include "collector/detect/payload_sqli_int.h"
#include "collector/detect/payload_b64.h"

const char *const sqli_schema_words[] = {
	"information_schema", "sysobjects", "syscolumns", "sysdatabases",
	"pg_catalog", "pg_shadow", "pg_user", "pg_tables", "sqlite_master",
	"sqlite_schema", "all_tables", "user_tables", "all_tab_columns",
	"msysobjects", "sysusers", "mysql.user",
};
const size_t sqli_n_schema_words = sizeof(sqli_schema_words) / sizeof(sqli_schema_words[0]);

/* bit c - 'a': a name of sqli_schema_words starts with c */
static uint32_t schema_lead;

__attribute__((constructor)) static void schema_init(void)
{
	for (size_t k = 0; k < sqli_n_schema_words; k++)
		schema_lead |= 1u << (sqli_schema_words[k][0] - 'a');
}

/* MSSQL's procedures whose name alone is an attack */
const char *const sqli_mssql_procs[] = {"xp_cmdshell", "sp_oacreate", "sp_executesql"};
const size_t sqli_n_mssql_procs = sizeof(sqli_mssql_procs) / sizeof(sqli_mssql_procs[0]);

/* Where the injected part starts (after a quote, after a value and its
 * ')', or after a leading number): a comparison with a query there, or the
 * whole value an inline query. r is the first token after the break. */
static void rules_value_start(const struct lex *L, int r, struct payload_acc *a)
{
	int n = L->nt;
	int inj = L->brk || L->pbrk ? r : L->num ? L->start : -1;

	if (inj >= 0) {
		/* the value made the left side of a comparison whose right side
		 * is a query, a conditional or a delay: 1' RLIKE (SELECT ...) */
		int f = sqli_cmp_op(L, inj);
		struct opnd o = {0};
		int e = f > 0 ? sqli_operand(L, f, &o, 0) : -1;
		if (e > 0 && sqli_ends_ok(L, e) && (o.sub || o.cond || o.danger ||
						     (o.sqlfn && !L->num)))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "comparison with injected query or function");
	}
	if (n > 0 && L->t[0].t == T_LP && !L->brk) {
		/* the whole value an inline query: (SELECT ...), (CASE WHEN ...) */
		struct opnd o = {0};
		int e = sqli_operand(L, 0, &o, 0);
		if (e > 0 && (e >= n || L->t[e - 1].cmt || is_bool(L, e) ||
			      (L->t[e].t == T_OP && L->t[e].op == O_ARITH)) &&
		    (o.cond || (o.sub && (o.sqlfn || o.lit || o.danger))))
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "inline query");
	}
}

/* The comment mark after the break is itself quoted: the break's quote
 * comes again after it, text following ("--" is, href="#top">, Press "#"
 * then): prose or markup naming the mark, not a query cut off after the
 * break */
static int quoted_mark(const struct lex *L)
{
	size_t p = L->bq + 1;

	/* markup and prose open the quote after '=', a blank or nothing: a
	 * value glued to the break (admin'#'x) is a login bypass dressed up */
	if (L->bq > 0 && payload_is_alnum((unsigned char)L->lo[L->bq - 1]))
		return 0;

	while (p < L->n && (L->lo[p] == ' ' || L->lo[p] == ')'))
		p++;
	if (p < L->n && L->lo[p] == '#')
		p++;
	else if (p + 1 < L->n && L->lo[p] == '-' && L->lo[p + 1] == '-')
		p += 2;
	else
		return 0;
	/* ... and text goes on after that quote: "x' -- '" balances the
	 * query's own quote instead; or the quote opened the value or an
	 * attribute's value right before the mark ('--', color="#333") */
	const char *q = memchr(L->lo + p, L->lo[L->bq], L->n - p);
	if (!q)
		return 0;
	if (p <= L->bq + 3 && (L->bq == 0 || L->lo[L->bq - 1] == '=') && L->lo[L->bq + 1] != ' ')
		return 1;
	for (p = (size_t)(q - L->lo) + 1; p < L->n; p++)
		if (!payload_is_space((unsigned char)L->lo[p]))
			return 1;
	return 0;
}

/* The operand t[k..e) is USER joined by || to a string the value ends
 * inside, holding words: '||user||' is concatenation (prose about it);
 * the probe's string is empty ('||user||') */
static int user_prose(const struct lex *L, int k, int e)
{
	return is_kw(L, k, K_USER) && e == L->nt && e - k == 3 && sqli_cmp_open_prose(L, e - 1);
}

/* Right after a string break (r): comment truncation, statement end, a
 * chained comparison, an expression continued, ORDER BY n. */
static void rules_after_break(const struct lex *L, int r, struct payload_acc *a)
{
	int n = L->nt;

	/* comment truncation right after the break: admin'-- */
	/* ... not a quote opened in code: $('#menu'), a['#x']; not the
	 * inches of a length in feet and inches (Size 10' 6" -- fits) */
	if (r == n && L->any_cmt && L->lo[L->bq] != '`' && !sqli_more_feet_inches(L) &&
	    !(L->bq > 0 && (L->lo[L->bq - 1] == '(' || L->lo[L->bq - 1] == '[')) && !quoted_mark(L))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "comment truncation after string break");
	if (r < n && L->t[r].t == T_SEMI && (r + 1 == n || L->t[r].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 60, "statement end after string break");
	/* a comparison chained on the closed string: x'='x makes
	 * (col='x')='x', the classic login bypass */
	/* ... not prose quoting the operator ("Press '=' to compute"): words
	 * and no other '=' after it */
	if (r < n && L->t[r].t == T_OP && L->t[r].op == O_CMP && L->lo[L->bq] != '`' &&
	    r + 1 < n && L->t[r + 1].t == T_STR && (r + 2 == n || L->t[r + 1].cmt ||
						   is_bool(L, r + 2)) &&
	    !sqli_cmp_op_prose(L, r + 1))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "comparison chained after string break");
	/* '=0-- : the closed string compared with a number, the rest cut */
	if (r + 1 < n && L->t[r].t == T_OP && L->t[r].op == O_CMP && L->lo[L->bq] != '`' &&
	    L->t[r + 1].t == T_NUM && L->t[r + 1].cmt && r + 2 == n)
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "number compared after string break, then comment");
	/* expression continued after the break: '||'x'||'  '-'; not a
	 * markup attribute's path (href="/">Home, src="/"): a '/' after a
	 * quote that follows name= */
	/* ... the closed string perhaps cast first: '::text||version()||' */
	if (r + 2 < n && L->t[r].t == T_OP && L->t[r].op == O_CAST && L->t[r + 1].t == T_WORD &&
	    L->t[r + 2].t == T_OP && L->t[r + 2].op == O_BOOL && L->lo[L->t[r + 2].off] == '|')
		r += 2;
	/* (not an arrow: a' -> 'b is prose, JSON's ->> follows a column) */
	if (r < n && L->t[r].t == T_OP && (L->t[r].op == O_ARITH || L->t[r].op == O_BOOL) &&
	    !(L->t[r].len >= 2 && L->lo[L->t[r].off + 1] == '>') &&
	    !(L->lo[L->t[r].off] == '/' && L->bq >= 2 && L->lo[L->bq - 1] == '=' &&
	      payload_is_alpha((unsigned char)L->lo[L->bq - 2]))) {
		struct opnd o = {0};
		int e = sqli_operand(L, r + 1, &o, 0);
		if (e > 0 && sqli_ends_ok(L, e) && (o.lit || o.call || o.var || o.sub || o.cond) &&
		    !(e == r + 2 && sqli_cmp_open_prose(L, r + 1)) && !sqli_more_like_opens(L) &&
		    /* '||user||' is concatenation: names joined, then prose the quote opened */
		    !user_prose(L, r + 1, e))
			payload_acc_hit(a, PAYLOAD_SQLI, 65, "expression continued after string break");
	}
	/* x' order by 3#  (a column number, not "order by phone") */
	if ((is_kw(L, r, K_ORDER) || is_kw(L, r, K_GROUP)) && is_kw(L, r + 1, K_BY) &&
	    r + 2 < n && L->t[r + 2].t == T_NUM)
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "order by column number after string break");
}

/* Boolean injection at the boolean operator i: the comparison or operand
 * after it; r is the first token after a string break. */
static void rules_boolean(const struct lex *L, int i, int r, struct payload_acc *a)
{
	int n = L->nt;
	struct opnd x = {0}, y = {0};
	int after_break = (L->brk || L->pbrk) && r == i;
	/* the boolean right after a numeric value (1 AND ...), or after
	 * a number and the '%' that closes a LIKE pattern (1% AND ...) */
	int num_lead = L->num && !L->brk && (i == L->start || (i == L->start + 1 && L->t[i - 1].t == T_OP &&
								 L->lo[L->t[i - 1].off] == '%' && L->t[i - 1].len == 1));
	int e = sqli_comparison(L, i + 1, &x, &y);
	if (e > 0 && sqli_ends_ok(L, e)) {
		int litlit = (x.lit || x.var) && (y.lit || y.var);
		/* outside a string break, literal comparisons are math
		 * text ("3<5 and 7>2") unless they are the classic
		 * equality tautology, a comment cuts the query, or the
		 * comparison is the whole tail of a numeric value (1 AND
		 * 2>1, 1 OR 5 BETWEEN 4 AND 6): prose does not open with
		 * a number and a boolean and end on a comparison */
		if (litlit && !after_break && !L->brk && !sqli_eq_cmp(L, i + 1) &&
		    !(e > 0 && L->t[e - 1].cmt) && !(num_lead && e >= n) &&
		    !(e < n && L->t[e].t == T_SEMI && (e + 1 == n || L->t[e].cmt)))
			litlit = 0;
		int strong = x.call || y.call || x.sub || y.sub;
		/* ... USER or the clock compared with a column's plain name
		 * outside a break is a filter's text ("status=1 and
		 * user=admin", "5 and current_date > start_date"); the
		 * probes compare it with itself, a literal or a call */
		if (strong && !after_break && !L->brk && !x.sub && !y.sub &&
		    ((x.nil && y.ident && !y.call && !y.lit && !y.var) ||
		     (y.nil && x.ident && !x.call && !x.lit && !x.var)))
			strong = 0;
		/* one word, AND or OR, then two numbers of three digits or
		 * more compared, ending the value: a tool's random tokens
		 * after a string value no quote closes (abc AND 1221>1217) */
		if (!litlit && !L->brk && i == 1 && L->t[0].t == T_WORD && L->t[0].kw == K_NONE && e == i + 4 &&
		    sqli_whole_tokens(L, e) && L->t[i + 1].t == T_NUM && L->t[i + 1].len >= 3 &&
		    L->t[i + 2].t == T_OP && L->t[i + 2].op == O_CMP && L->t[i + 3].t == T_NUM &&
		    L->t[i + 3].len >= 3 && !(L->lo[L->t[i + 2].off] != '=' && sqli_more_years_pair(L, i + 1, i + 3)))
			payload_acc_hit(a, PAYLOAD_SQLI, 65, "random tokens compared after a word value");
		if (litlit || x.danger || y.danger)
			payload_acc_hit(a, PAYLOAD_SQLI, after_break ? 90 : 80,
				   "boolean tautology on literals");
		else if (strong)
			payload_acc_hit(a, PAYLOAD_SQLI, after_break ? 85 : 70,
				   "boolean comparison with function or subquery");
		/* names compared after a quote: ' or user like '%; after
		 * a ')' alone that is prose ("a) or b=b") */
		else if (after_break && (!L->pbrk || L->t[e - 1].cmt))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "boolean comparison after string break");
	}
	/* XOR is no English word: 1 XOR 0, 1' XOR '1 */
	if ((num_lead || after_break) && is_kw(L, i, K_XOR) && i + 1 < n &&
	    (L->t[i + 1].t == T_NUM || L->t[i + 1].t == T_STR) && (i + 2 >= n || L->t[i + 1].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "xor with a literal after the value");
	/* 1 AND @a:=1: a variable assigned inside the predicate */
	if ((num_lead || after_break) && i + 3 < n && L->t[i + 1].t == T_VAR && L->t[i + 2].t == T_OTHER &&
	    L->lo[L->t[i + 2].off] == ':' && L->t[i + 3].t == T_OP && L->lo[L->t[i + 3].off] == '=')
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "variable assigned in a boolean");
	/* OData's comparison words: ... or 1 eq 1 ($filter=name eq 'a' or
	 * 1 eq 1), the same literal on both sides */
	if (i + 3 < n && L->t[i + 1].t == T_NUM && (tok_is(L, i + 2, "eq") || tok_is(L, i + 2, "ge") ||
						    tok_is(L, i + 2, "le")) &&
	    L->t[i + 3].t == T_NUM && L->t[i + 1].len == L->t[i + 3].len &&
	    !memcmp(L->lo + L->t[i + 1].off, L->lo + L->t[i + 3].off, L->t[i + 1].len) && (i + 4 >= n || L->t[i + 3].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "odata tautology in a filter");
	/* 1 OR TRUE, 1 AND NOT 0: a keyword constant as the whole tail */
	if (num_lead) {
		int k = i + 1 + is_kw(L, i + 1, K_NOT);
		if ((is_kw(L, k, K_TRUE) || is_kw(L, k, K_FALSE) ||
		     (k > i + 1 && k < n && L->t[k].t == T_NUM)) &&
		    (k + 1 >= n || L->t[k].cmt))
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "boolean constant after numeric value");
	}
	/* ' or '' ': a boolean on the empty string, the rest of the
	 * value a string the query's own quote closes */
	if (after_break && i + 1 < n && L->t[i + 1].t == T_STR && L->t[i + 1].len == 2 &&
	    !L->t[i + 1].open && L->lo[L->t[i + 1].off] == L->lo[L->t[i + 1].off + 1] &&
	    (i + 2 == n || (i + 3 == n && L->t[i + 2].t == T_STR && L->t[i + 2].open)))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "boolean on empty string after string break");
	x = (struct opnd){0};
	e = sqli_operand(L, i + 1, &x, 0);
	if (e > 0 && sqli_ends_ok(L, e)) {
		if (x.danger)
			payload_acc_hit(a, PAYLOAD_SQLI, 90, "boolean with time or file function");
		else if (x.cond)
			payload_acc_hit(a, PAYLOAD_SQLI, 85, "boolean with conditional on comparison");
		else if (x.sqlfn && (after_break || (L->num && i == L->start)))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "boolean with sql function");
		else if (x.taut)
			payload_acc_hit(a, PAYLOAD_SQLI, after_break ? 90 : 75,
				   "boolean tautology in parentheses");
		/* ... a query, not "(select one) or (select two)": one
		 * name after SELECT, no FROM, no break, no comment after it is
		 * a form's label */
		else if (x.sub && (after_break || L->t[e - 1].cmt || L->t[i + 1].t != T_LP ||
				   !is_kw(L, i + 2, K_SELECT) || sqli_select_list(L, i + 3)))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "boolean with subquery");
		/* a lone quoted word is prose: the 'or' operator */
		else if (after_break && !user_prose(L, i + 1, e) && (x.call || x.var || (x.lit &&
			 (x.ops || x.bare || L->t[e - 1].cmt))) &&
			 (!L->pbrk || e >= n || L->t[e - 1].cmt))
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "boolean literal after string break");
		else if (x.lit && e <= n && e > 0 && L->t[e - 1].cmt &&
			 L->t[e - 1].t != T_STR)
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "boolean literal then comment");
	}
}

/* t[i] a dangerous function that is a method of a program's object, not
 * SQL's: time.sleep(5), Thread.sleep(1000), b.benchmark(1000); Oracle's
 * packages and PostgreSQL's catalog qualify their functions too
 * (dbms_lock.sleep(5), utl_http.request(..)) */
static int foreign_method(const struct lex *L, int i)
{
	const struct tok *q = &L->t[i - 2 >= 0 ? i - 2 : 0];

	return i >= 2 && L->t[i - 1].t == T_DOT && q->t == T_WORD &&
	       !(q->len > 5 && !memcmp(L->lo + q->off, "dbms_", 5)) &&
	       !(q->len > 4 && !memcmp(L->lo + q->off, "utl_", 4)) && !tok_is(L, i - 2, "pg_catalog") &&
	       !tok_is(L, i - 2, "sys") && !tok_is(L, i - 2, "dbo") && !tok_is(L, i - 2, "ctxsys");
}

/* Whole-statement shapes at token i: WHERE/HAVING tautology, UNION SELECT,
 * a stacked statement, time/file functions, MSSQL procedures, WAITFOR. */
static void rules_statement(const struct lex *L, int i, struct payload_acc *a)
{
	int n = L->nt;
	const struct tok *t = &L->t[i];

	/* tautology without a boolean: where 1=1 / having 1=1 */
	if (is_kw(L, i, K_WHERE) || is_kw(L, i, K_HAVING)) {
		struct opnd x = {0}, y = {0};
		int e = sqli_comparison(L, i + 1, &x, &y);
		/* "where 2+2=4" is arithmetic homework */
		if (e > 0 && sqli_ends_ok(L, e) && x.lit && y.lit && !x.ops && !y.ops)
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "where/having tautology");
		/* the clause opening the injected part, its predicate a
		 * function or a query: 1) HAVING ORD(MID(DATABASE(),1,1))>64 */
		else if (e > 0 && sqli_ends_ok(L, e) && (x.call || y.call || x.sub || y.sub) &&
			 (((L->brk || L->pbrk) && i == skip_rp(L, L->start)) || (L->num && i == L->start) ||
			  sqli_word_nested(L, i) || (is_kw(L, i, K_HAVING) && sqli_more_group_head(L, i))))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "where/having clause injected");
	}
	/* UNION [ALL] SELECT list */
	if (is_kw(L, i, K_UNION)) {
		int j = i + 1;
		while (is_kw(L, j, K_ALL) || is_kw(L, j, K_DISTINCT) || tok_is(L, j, "distinctrow") ||
		       (j < n && L->t[j].t == T_LP))
			j++;
		if (is_kw(L, j, K_SELECT) && sqli_select_list(L, j + 1))
			payload_acc_hit(a, PAYLOAD_SQLI, L->brk ? 95 : 90, "union select");
	}
	/* stacked statement */
	if (t->t == T_SEMI && sqli_statement_at(L, i + 1))
		payload_acc_hit(a, PAYLOAD_SQLI, 85, "stacked query");
	/* time / file / command functions */
	/* ... that ends an expression: "sleep(8) hours" is prose */
	if (t->t == T_WORD && sqli_danger_call(L, i) && !foreign_method(L, i)) {
		int e = sqli_close_paren(L, i + 1);
		/* "sleep (9) or so": a call is written name( */
		if (L->t[i + 1].off == t->off + t->len &&
		    (e >= n || L->t[e - 1].cmt || L->t[e].t == T_OP || L->t[e].t == T_COMMA ||
		     L->t[e].t == T_RP || L->t[e].t == T_SEMI || L->t[e].kw != K_NONE ||
		     (L->t[e].t == T_STR && L->t[e].open)) && sqli_call_site(L, i, e))
			payload_acc_hit(a, PAYLOAD_SQLI, 80, "time or file function call");
	}
	for (size_t k = 0; k < sqli_n_mssql_procs; k++)
		if (tok_is(L, i, sqli_mssql_procs[k]) && sqli_proc_called(L, i))
			payload_acc_hit(a, PAYLOAD_SQLI, 85, "mssql procedure");
	if (is_kw(L, i, K_WAITFOR) && (is_kw(L, i + 1, K_DELAY) || is_kw(L, i + 1, K_TIME)) &&
	    i + 2 < n && L->t[i + 2].t == T_STR)
		payload_acc_hit(a, PAYLOAD_SQLI, 90, "waitfor delay");
}

/* Probing at token i: schema catalogs, server variables, ORDER BY n, a
 * query in a list, error-based leaks, INTO OUTFILE. */
static void rules_probe(const struct lex *L, int i, struct payload_acc *a)
{
	int n = L->nt;
	const struct tok *t = &L->t[i];

	/* schema probing: every name is 5 bytes or more ("mysql" too) and
	 * starts with a letter of schema_lead */
	if (t->t == T_WORD && t->len >= 5 && (unsigned)(L->lo[t->off] - 'a') < 26 &&
	    ((schema_lead >> (L->lo[t->off] - 'a')) & 1)) {
		for (size_t k = 0; k < sqli_n_schema_words; k++) {
			if (!tok_is(L, i, sqli_schema_words[k]) &&
			    !(k + 1 == sqli_n_schema_words &&
			      tok_is(L, i, "mysql") && i + 2 < n && L->t[i + 1].t == T_DOT &&
			      tok_is(L, i + 2, "user")))
				continue;
			if (is_kw(L, i - 1, K_FROM) || is_kw(L, i - 1, K_INTO) ||
			    (i + 1 < n && L->t[i + 1].t == T_DOT && !sqli_catalog_title(L, i)))
				payload_acc_hit(a, PAYLOAD_SQLI, 80, "system catalog access");
			break;
		}
	}
	if (t->t == T_VAR && t->len > 2 && L->lo[t->off + 1] == '@') {
		static const char *const sysv[] = {"@@version", "@@datadir", "@@hostname",
						   "@@servername", "@@basedir", "@@tmpdir"};
		for (size_t k = 0; k < sizeof(sysv) / sizeof(sysv[0]); k++)
			if (t->len == strlen(sysv[k]) && memcmp(L->lo + t->off, sysv[k], t->len) == 0)
				payload_acc_hit(a, PAYLOAD_SQLI, 60, "server variable probe");
	}
	/* ORDER BY n-- (column count probing) */
	if ((is_kw(L, i, K_ORDER) || is_kw(L, i, K_GROUP)) && is_kw(L, i + 1, K_BY)) {
		int j = i + 2, nums = 0;
		while (j < n && L->t[j].t == T_NUM) {
			nums++;
			j++;
			if (j < n && L->t[j].t == T_COMMA && !L->t[j - 1].cmt)
				j++;
			else
				break;
		}
		/* ... as the whole tail of a number or of a value closed by
		 * ')' too (1 ORDER BY 10, 1)) ORDER BY 3): a column count probe */
		if (nums && (j >= n || L->t[j - 1].cmt) &&
		    (L->any_cmt || i == 0 || ((L->num || L->pbrk) && i == skip_rp(L, L->start))))
			payload_acc_hit(a, PAYLOAD_SQLI, 65, "order by column number");
	}
	/* a query as the next item of a list (ORDER BY a,(SELECT ...)) */
	if (t->t == T_COMMA && i + 1 < n && L->t[i + 1].t == T_LP && is_kw(L, i + 2, K_SELECT)) {
		struct opnd o = {0};
		int e = sqli_operand(L, i + 1, &o, 0);
		/* "apples, (select 2)" is a shopping note: a function,
		 * a conditional or a delay makes it a query */
		if (e > 0 && (e >= n || L->t[e - 1].cmt) && (o.sqlfn || o.cond || o.danger))
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "inline query in a list");
		/* ... or a column read from a table: id,(select password
		 * from users limit 1) */
		else if (e > 0 && e >= n && i + 5 < e && L->t[i + 3].t == T_WORD && L->t[i + 3].kw == K_NONE &&
			 is_kw(L, i + 4, K_FROM) && L->t[i + 5].t == T_WORD && L->t[i + 5].kw == K_NONE)
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "query reading a table in a list");
	}
	/* PROCEDURE ANALYSE(...): MySQL's hook for error-based leaks */
	if (is_kw(L, i, K_PROCEDURE) && tok_is(L, i + 1, "analyse") && i + 2 < n &&
	    L->t[i + 2].t == T_LP)
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "procedure analyse");
	/* FLOOR(RAND(0)*2): the duplicate-key error that leaks a value */
	if (tok_is(L, i, "floor") && i + 4 < n && L->t[i + 1].t == T_LP &&
	    tok_is(L, i + 2, "rand") && L->t[i + 3].t == T_LP && L->t[i + 4].t == T_NUM)
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "error-based duplicate key");
	/* INTO OUTFILE / DUMPFILE */
	if (is_kw(L, i, K_INTO) && (tok_is(L, i + 1, "outfile") || tok_is(L, i + 1, "dumpfile")))
		payload_acc_hit(a, PAYLOAD_SQLI, 85, "into outfile");
}

/* lo without its C comments (versioned ones keep their code): blanks and
 * newlines stay as they are, so a '#' or '--' comment still ends at its
 * newline (1#x\nA/ ** /ND#x\n2=2). out has room for n bytes. */
static size_t drop_comments(const char *lo, size_t n, char *out)
{
	size_t w = 0;
	int in_exec = 0;

	for (size_t r = 0; r < n;) {
		if (lo[r] == '/' && r + 1 < n && lo[r + 1] == '*') {
			r += 2;
			if (r < n && lo[r] == '!') {
				for (r++; r < n && lo[r] >= '0' && lo[r] <= '9'; r++)
					;
				in_exec = 1;
				continue;
			}
			while (r < n && !(lo[r] == '*' && r + 1 < n && lo[r + 1] == '/'))
				r++;
			r = r < n ? r + 2 : n;
			continue;
		}
		if (in_exec && lo[r] == '*' && r + 1 < n && lo[r + 1] == '/') {
			in_exec = 0;
			r += 2;
			continue;
		}
		out[w++] = lo[r++];
	}
	return w;
}

/* At token i, in the injected tail (after the break or the leading
 * number, first or after its boolean): MySQL's integer division by a
 * number (1 DIV 0, 1') DIV 0#), LIMIT n[,m] ending the value, a query as
 * the next item after the number (1,(SELECT 1)), a CASE on a constant
 * condition as the whole value. */
static void rules_operator(const struct lex *L, int i, int r, struct payload_acc *a)
{
	int n = L->nt;
	int head = ((L->brk || L->pbrk) && i == r) || (L->num && i == L->start);

	if (is_kw(L, i, K_DIV) && i + 1 < n && L->t[i + 1].t == T_NUM && (i + 2 >= n || L->t[i + 1].cmt) &&
	    (head || (i >= 2 && L->t[i - 1].t == T_NUM && is_bool(L, i - 2) &&
		      (((L->brk || L->pbrk) && i - 2 == r) || (L->num && i - 2 == L->start)))))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "integer division after the value");
	if (head && is_kw(L, i, K_LIMIT) && i + 1 < n && L->t[i + 1].t == T_NUM) {
		int j = i + 2;
		if (j + 1 < n && (L->t[j].t == T_COMMA || tok_is(L, j, "offset")) && L->t[j + 1].t == T_NUM)
			j += 2;
		if ((j >= n && j > i + 2) || L->t[j - 1].cmt)
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "limit clause after the value");
		/* ... INTO @a[, @b]: the row read into variables (MySQL's
		 * LIMIT point: 1 LIMIT 1,1 INTO @,@), ending the value, perhaps
		 * with its statement (INTO @a;) */
		if (j + 1 < n && !L->t[j - 1].cmt && is_kw(L, j, K_INTO) && L->t[j + 1].t == T_VAR) {
			int k = j + 2;

			while (k + 1 < n && !L->t[k - 1].cmt && L->t[k].t == T_COMMA && L->t[k + 1].t == T_VAR)
				k += 2;
			if (k < n && !L->t[k - 1].cmt && L->t[k].t == T_SEMI)
				k++;
			if (k >= n || L->t[k - 1].cmt)
				payload_acc_hit(a, PAYLOAD_SQLI, 75, "limit clause into variables after the value");
		}
	}
	/* LIMIT or OFFSET of a query (reads '('): 10 OFFSET (SELECT CASE
	 * WHEN ..), ending the value */
	if (head && (is_kw(L, i, K_LIMIT) || tok_is(L, i, "offset")) && i + 2 < n && L->t[i + 1].t == T_LP &&
	    is_kw(L, i + 2, K_SELECT)) {
		struct opnd o = {0}, s = {0};
		int e = sqli_operand(L, i + 1, &o, 0), f = sqli_operand(L, i + 3, &s, 0);

		/* the query's list is SQL's (several items, a FROM..) or one
		 * item that is no name and ends it: (SELECT 1), (SELECT CASE
		 * ..END); "(select the page size)" is prose */
		if (e > 0 && (e >= n || L->t[e - 1].cmt) && o.sub &&
		    (sqli_select_list(L, i + 3) || (f > 0 && f < n && L->t[f].t == T_RP && !s.ident)))
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "limit or offset of a query after the value");
	}
	if (L->num && !L->brk && i == L->start && L->t[i].t == T_COMMA && i + 2 < n && L->t[i + 1].t == T_LP &&
	    is_kw(L, i + 2, K_SELECT)) {
		struct opnd o = {0};
		int e = sqli_operand(L, i + 1, &o, 0);
		if (e > 0 && (e >= n || L->t[e - 1].cmt) && o.sub)
			payload_acc_hit(a, PAYLOAD_SQLI, 70, "query as the next item after a number");
	}
	/* ... on a constant condition: a query's own CASE compares a column */
	if (i == 0 && is_kw(L, 0, K_CASE) && !L->brk && is_kw(L, 1, K_WHEN)) {
		struct opnd o = {0}, x = {0}, y = {0};
		int e = sqli_operand(L, 0, &o, 0), c = sqli_comparison(L, 2, &x, &y);
		if (e > 0 && (e >= n || L->t[e - 1].cmt) && o.cond && c > 0 && x.lit && y.lit)
			payload_acc_hit(a, PAYLOAD_SQLI, 75, "conditional as the whole value");
	}
}

static void sql_rules(const struct lex *L, struct payload_acc *a)
{
	int r = skip_rp(L, L->start);

	rules_value_start(L, r, a);
	sqli_more_rules(L, a);
	sqli_more_extra(L, a);
	sqli_head_rules(L, a);
	if (L->brk)
		rules_after_break(L, r, a);
	for (int i = 0; i < L->nt; i++) {
		int tt = L->t[i].t;

		/* each rule below starts at a word, ';', ',', a variable or
		 * "||"/"&&": a number, string, parenthesis, '.', other
		 * operator or byte starts none */
		if (tt == T_NUM || tt == T_STR || tt == T_LP || tt == T_RP || tt == T_DOT ||
		    tt == T_OTHER || (tt == T_OP && L->t[i].op != O_BOOL))
			continue;
		if (is_bool(L, i))
			rules_boolean(L, i, r, a);
		rules_statement(L, i, a);
		rules_probe(L, i, a);
		rules_operator(L, i, r, a);
	}
	sqli_dml_rules(L, a);
	sqli_tail_rules(L, a);
	sqli_cmp_rules(L, a);
}

/* Where a URL query's next parameter starts at i ('&' then a name and
 * '='): the length of "&name", else 0. */
static size_t url_param_at(const char *lo, size_t n, size_t i)
{
	size_t j = i + 1;

	if (lo[i] != '&' || j >= n || !((lo[j] >= 'a' && lo[j] <= 'z') || lo[j] == '_'))
		return 0;
	while (j < n && j - i <= 64 &&
	       (payload_is_alnum((unsigned char)lo[j]) || lo[j] == '_' || lo[j] == '-' ||
		lo[j] == '.' || lo[j] == '[' || lo[j] == ']'))
		j++;
	return j < n && lo[j] == '=' ? j - i : 0;
}

/* A URL with its query string as a value (a Referer, a redirect target, a
 * link in a JSON beacon): the application splits it at '&' before any of
 * its parameters reaches SQL, so "q=size 10 and 11&page=2" is no
 * comparison of 11 & page with 2. Each part is judged alone; 0 when the
 * value holds no "&name=". */
static __attribute__((noinline)) int url_parts(const struct payload_val *v, struct payload_acc *a)
{
	char s[PAYLOAD_MAX_VALUE + 1], lo[PAYLOAD_MAX_VALUE + 1];
	size_t from = 0, i;

	/* a comment may span the '&' (id=1 UNION/ *&id=* /SELECT joined as
	 * ASP.NET joins a repeated name): judged whole then, as before */
	if (!payload_has(v, '&') || v->n > PAYLOAD_MAX_VALUE ||
	    payload_find(v->lo, v->n, 0, "/*") < v->n)
		return 0;
	for (i = 0; i < v->n && !url_param_at(v->lo, v->n, i); i++)
		;
	if (i == v->n)
		return 0;
	for (i = 0; i <= v->n; i++) {
		struct payload_val w;

		if (i < v->n && !url_param_at(v->lo, v->n, i))
			continue;
		memset(&w, 0, sizeof(w));
		w.n = i - from;
		memcpy(s, v->s + from, w.n);
		memcpy(lo, v->lo + from, w.n);
		s[w.n] = lo[w.n] = '\0';
		for (size_t k = 0; k < w.n; k++) {
			unsigned char c = (unsigned char)lo[k];

			w.has[c >> 6] |= 1ull << (c & 63);
		}
		w.s = s;
		w.lo = lo;
		w.where = v->where;
		w.raw = s;
		w.rawn = w.n;
		if (w.n)
			payload_sqli_scan(&w, a);
		from = i + 1;
	}
	return 1;
}

/* sqlmap's base64encode tamper: the whole value base64 */
static __attribute__((noinline)) void sqli_b64(const struct payload_val *v, struct payload_acc *a)
{
	char t[PAYLOAD_MAX_VALUE], tl[PAYLOAD_MAX_VALUE];
	int weak;
	size_t tn = payload_b64_unwrap(v->s, v->n, t, sizeof(t), &weak);
	struct payload_val w;
	struct payload_acc sub;

	if (tn) {
		memset(&sub, 0, sizeof(sub));
		payload_b64_val(v, t, tn, tl, &w);
		payload_sqli_scan(&w, weak ? &sub : a);
		if (weak)
			payload_b64_merge(a, &sub);
	}
}

/* The big buffers live in the helpers' frames (noinline), so that a quiet
 * value costs no stack beyond this one's. */
void payload_sqli_scan(const struct payload_val *v, struct payload_acc *a)
{
	if (payload_has(v, '&') && url_parts(v, a))
		return;
	/* the base64 reading was asked for a value of PAYLOAD_B64_SHORT bytes
	 * or more that starts alphanumeric: payload_b64_may keeps the ones
	 * whose first byte payload_b64_unwrap does not refuse */
	if (payload_b64_may(v->s, v->n))
		sqli_b64(v, a);
	if (sqli_quiet(v))
		return;
	sqli_judge(v, a);
}

/* Readings with bytes dropped, each lexed in every context:
 *  - '%' before letters that ASP drops (%S%E%L%E%C%T), when pct (the
 *    count of '%' before an alphanumeric byte) is 3 or more. Every valid
 *    %XX was decoded already, so each '%' left is one ASP drops, before
 *    digits (%1%2%3%4 is 1234) and punctuation (%( %=) too;
 *  - sqlmap's scientific tamper: " 1.e" before ( ) , . * ^ / | & that
 *    MySQL reads as nothing (ORD 1.e(MID(..) 1.e,7 1.e)), twice or
 *    more (sqli_more_sci). */
static __attribute__((noinline)) void judge_dropped(const struct payload_val *v, int pct, struct payload_acc *a)
{
	static const char ctx[] = {0, '\'', '"', '`'};
	char sq[PAYLOAD_MAX_VALUE + 1];
	struct lex L;
	size_t m = 0;

	if (pct >= 3) {
		for (size_t i = 0; i < v->n && m < PAYLOAD_MAX_VALUE; i++)
			if (v->lo[i] != '%')
				sq[m++] = v->lo[i];
		sq[m] = '\0';
		for (size_t c = 0; c < sizeof(ctx); c++)
			if (sqli_lex(&L, sq, m, ctx[c]))
				sql_rules(&L, a);
	}
	m = sqli_more_sci(v->lo, v->n, sq);
	for (size_t c = 0; m && c < sizeof(ctx); c++)
		if (sqli_lex(&L, sq, m, ctx[c]))
			sql_rules(&L, a);
}

void sqli_judge(const struct payload_val *v, struct payload_acc *a)
{
	static const char ctx[] = {0, '\'', '"', '`'};
	struct lex L;
	int has_q = 0;

	/* the probe tools send first to see the query break: the value
	 * followed by a run of quotes and parentheses (1'"().,(" ) */
	{
		size_t run = 0, sq = 0, dq = 0, par = 0;
		for (size_t i = 0; i < v->n; i++) {
			char ch = v->lo[i];
			if (ch == '\'' || ch == '"' || ch == '(' || ch == ')' || ch == '.' || ch == ',') {
				run++;
				sq += ch == '\'';
				dq += ch == '"';
				par += ch == '(' || ch == ')';
			} else if (run) {
				break;
			}
			if (run >= 6 && sq && dq && par && (i + 1 == v->n)) {
				payload_acc_hit(a, PAYLOAD_SQLI, 60, "quote and parenthesis probe");
				break;
			}
			if (!run && i > 24)
				break;
		}
	}
	/* cheap exit: without a letter, a quote or a symbol operator
	 * (1 && 2=2), nothing to do. The same pass notes which quotes occur
	 * (a context whose quote is absent has no break), comments and '%'
	 * before letters. */
	int quote[sizeof(ctx)] = {1, payload_has(v, '\''), payload_has(v, '"'), payload_has(v, '`')};
	int cmt = 0, pct = 0;

	/* lo is lower-cased: its letters are a..z, bits 97..122 of has[1] */
	has_q = (v->has[1] & (((1ull << 26) - 1) << ('a' - 64))) || quote[1] || quote[2] ||
		payload_has(v, '&') || payload_has(v, '|') ||
		/* numbers cut by a comment (2-1-- -, (3-2)#): payload_sqli_dml.c */
		(v->n && (sqli_num_led(v->lo, v->n) || v->lo[0] == '(') &&
		 (payload_has(v, '#') || payload_has(v, '-') || payload_has(v, '/')));
	for (size_t i = 0; has_q && (payload_has(v, '/') || payload_has(v, '%')) && i + 1 < v->n; i++) {
		unsigned char ch = (unsigned char)v->lo[i];

		cmt |= ch == '/' && v->lo[i + 1] == '*';
		pct += pct < 3 && ch == '%' && payload_is_alnum((unsigned char)v->lo[i + 1]);
	}
	if (!has_q)
		return;
	/* a formula's quotes (=COUNTIF(B2:B100,"<>")) break no string */
	int formula = v->lo[0] == '=' && sqli_more_formula(v->lo, v->n);
	for (size_t c = 0; c < sizeof(ctx); c++) {
		if (!quote[c] || (c && formula) || !sqli_lex(&L, v->lo, v->n, ctx[c]))
			continue;
		sql_rules(&L, a);
	}
	/* comments splitting keywords (UN/ ** /ION, A/ ** /N/ ** /D): judge
	 * the joined form too */
	if (cmt) {
		char sq[PAYLOAD_MAX_VALUE + 1];
		size_t m = drop_comments(v->lo, v->n, sq);
		for (size_t c = 0; c < sizeof(ctx); c++) {
			if (!sqli_lex(&L, sq, m, ctx[c]))
				continue;
			sql_rules(&L, a);
		}
	}
	/* a backslash before a quote escapes it in MySQL alone: standard SQL
	 * (PostgreSQL, MSSQL, Oracle, SQLite) reads \' as a backslash and a
	 * quote that closes the string (sqlmap's escapequotes: \' AND
	 * SLEEP(5)-- -). When no quote breaks out otherwise, judge the value
	 * with those backslashes dropped too. */
	if (payload_has(v, '\\') && (quote[1] || quote[2])) {
		char sq[PAYLOAD_MAX_VALUE + 1];
		size_t m = 0;
		int esc = 0;
		for (size_t i = 0; i < v->n && m < PAYLOAD_MAX_VALUE; i++) {
			if (v->lo[i] == '\\' && i + 1 < v->n && (v->lo[i + 1] == '\'' || v->lo[i + 1] == '"')) {
				esc = 1;
				continue;
			}
			sq[m++] = v->lo[i];
		}
		sq[m] = '\0'; /* the lexer may look one byte past the end */
		struct payload_acc sub;
		memset(&sub, 0, sizeof(sub));
		for (size_t c = 1; esc && c < 3; c++) {
			if (!quote[c] || sqli_lex(&L, v->lo, v->n, ctx[c]) || !sqli_lex(&L, sq, m, ctx[c]))
				continue;
			sql_rules(&L, &sub);
		}
		/* escaped quotes are JSON's and C's far more often than SQL's
		 * ("\"-\" means none"): only a finding that names SQL counts
		 * (a tautology, a time function, UNION), not an operator after
		 * the quote */
		if (sub.score[PAYLOAD_SQLI] >= 80)
			payload_acc_hit(a, PAYLOAD_SQLI, sub.score[PAYLOAD_SQLI], sub.why[PAYLOAD_SQLI]);
	}
	if (pct >= 3 || (payload_has(v, '.') && payload_has(v, 'e')))
		judge_dropped(v, pct, a);
}
