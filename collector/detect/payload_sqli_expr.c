/* payload_sqli_expr.c - SQL injection, the expression grammar over the
 * tokens payload_sqli.c's lexer makes: dangerous and SQL-only calls,
 * operands (literals, calls, subqueries, CASE), comparisons, select lists,
 * statement starts. The rules in payload_sqli_rules.c are written in it. */
#include "collector/detect/payload_sqli_int.h"

/* ---- token predicates --------------------------------------------------- */

/* index after the parenthesis group opened at i (L->t[i] is '(') */
int sqli_close_paren(const struct lex *L, int i)
{
	int d = 0;
	for (; i < L->nt; i++) {
		if (L->t[i].t == T_LP)
			d++;
		else if (L->t[i].t == T_RP && --d == 0)
			return i + 1;
	}
	return L->nt;
}

/* functions whose only use in a request value is an attack (delays, file
 * and command access, error-based extraction) */
static const char *const danger_fn[] = {
	"sleep", "benchmark", "pg_sleep", "randomblob", "load_file",
	"xp_cmdshell", "extractvalue", "updatexml", "sys_eval", "sys_exec",
	"receive_message", "get_host_address", "get_host_name", "request",
	"dbms_lock", "utl_http", "utl_inaddr", "pg_read_file", "lo_import",
	"master_pos_wait", "get_lock", "exp", "geometrycollection", "multipoint",
	"polygon", "linestring", "name_const", "json_keys", "gtid_subset",
	"st_latfromgeohash", "st_longfromgeohash", "st_pointfromgeohash",
};

/* functions that need a numeric first argument to be an attack */
static int timing_fn(const struct lex *L, int i)
{
	return tok_is(L, i, "sleep") || tok_is(L, i, "benchmark") ||
	       tok_is(L, i, "pg_sleep") || tok_is(L, i, "randomblob");
}

/* bit c - 'a': a name of danger_fn starts with c (built at load) */
static uint32_t danger_lead;

__attribute__((constructor)) static void danger_init(void)
{
	for (size_t k = 0; k < sizeof(danger_fn) / sizeof(danger_fn[0]); k++)
		danger_lead |= 1u << (danger_fn[k][0] - 'a');
}

static int danger_name(const struct lex *L, int i)
{
	unsigned c = (unsigned char)L->lo[L->t[i].off] - 'a';

	/* most words called in SQL (char, concat, chr, count) start with a
	 * letter no dangerous name does */
	if (c >= 26 || !((danger_lead >> c) & 1))
		return 0;
	for (size_t k = 0; k < sizeof(danger_fn) / sizeof(danger_fn[0]); k++)
		if (tok_is(L, i, danger_fn[k]))
			return 1;
	return 0;
}

/* geometry constructors: error-based only around a query
 * (polygon((select*from(select@@version)f)x)); WKT's coordinates
 * (POLYGON((0 0,1 0,1 1,0 0))) are a shape */
static int geometry_fn(const struct lex *L, int i)
{
	return tok_is(L, i, "polygon") || tok_is(L, i, "linestring") || tok_is(L, i, "multipoint") ||
	       tok_is(L, i, "geometrycollection");
}

/* a SELECT or a variable among the first 24 tokens inside the '(' at
 * i (bounded: nested constructors do not rescan the value) */
static int query_inside(const struct lex *L, int i)
{
	int d = 0;

	for (int j = i; j < L->nt && j < i + 24; j++) {
		if (L->t[j].t == T_LP)
			d++;
		else if (L->t[j].t == T_RP && --d == 0)
			return 0;
		else if (L->t[j].t == T_VAR || (L->t[j].t == T_WORD && L->t[j].kw == K_SELECT))
			return 1;
	}
	return 0;
}

/* t[k] names one of Oracle's utl_ or dbms_ packages, bare or as a
 * quoted identifier ("UTL_INADDR") */
static int oracle_package(const struct lex *L, int k)
{
	const struct tok *p = &L->t[k];
	size_t o = p->off + (p->t == T_STR && L->lo[p->off] == '"'), l = p->len - (o - p->off);

	if (!(p->t == T_WORD || (p->t == T_STR && o > p->off)) || l <= 4)
		return 0;
	return !memcmp(L->lo + o, "utl_", 4) || !memcmp(L->lo + o, "dbms_", 5);
}

/* Is L->t[i] a well-formed call of a dangerous function? Timing functions
 * must get a number (or arithmetic on numbers) first; geometry
 * constructors a query; exp() a query, '~' or a number that overflows. */
int sqli_danger_call(const struct lex *L, int i)
{
	/* the cheap token test first: most words are not followed by '(' */
	if (i < 0 || i + 1 >= L->nt || L->t[i + 1].t != T_LP || !danger_name(L, i))
		return 0;
	if (timing_fn(L, i)) {
		int j = i + 2;
		if (j >= L->nt || (L->t[j].t != T_NUM && L->t[j].t != T_LP &&
				   L->t[j].t != T_VAR))
			return 0;
		j++;
		while (j < L->nt && (L->t[j].t == T_NUM || L->t[j].t == T_OP || L->t[j].t == T_LP))
			j++;
		return j >= L->nt || L->t[j].t == T_RP || L->t[j].t == T_COMMA;
	}
	/* Oracle's packaged calls only with their package:
	 * utl_http.request(..), dbms_pipe.receive_message(..), the package
	 * perhaps a quoted identifier ("UTL_HTTP".request(..)); request(url)
	 * is a program's */
	if ((tok_is(L, i, "request") || tok_is(L, i, "receive_message") || tok_is(L, i, "get_host_address") ||
	     tok_is(L, i, "get_host_name")) &&
	    !(i >= 2 && L->t[i - 1].t == T_DOT && oracle_package(L, i - 2)))
		return 0;
	/* one plain name as the whole argument list is a program's variable:
	 * load_file(path), json_keys(obj), get_lock(name) */
	if (i + 3 < L->nt && L->t[i + 2].t == T_WORD && L->t[i + 2].kw == K_NONE && L->t[i + 3].t == T_RP)
		return 0;
	if (geometry_fn(L, i))
		return query_inside(L, i + 1);
	/* exp(~(select ..)) and exp(710) overflow; exp(1), exp(-x^2) are math */
	if (tok_is(L, i, "exp")) {
		const struct tok *q = &L->t[i + 2 < L->nt ? i + 2 : i];

		if (i + 2 < L->nt && q->t == T_OP && L->lo[q->off] == '~')
			return 1;
		if (i + 2 < L->nt && q->t == T_NUM && q->len >= 3 && q->len <= 6) {
			long x = 0;
			for (size_t k = 0; k < q->len && L->lo[q->off + k] >= '0' && L->lo[q->off + k] <= '9'; k++)
				x = x * 10 + (L->lo[q->off + k] - '0');
			if (x >= 710)
				return 1;
		}
		return query_inside(L, i + 1);
	}
	return 1;
}

static int comparison_d(const struct lex *L, int i, struct opnd *a, struct opnd *b, int depth);

/* functions only SQL has, or only SQL calls with these names: what an
 * injected condition or extraction is built from */
static const char *const sql_fn[] = {
	"elt", "make_set", "iif", "if", "ifnull", "isnull", "nullif", "ascii",
	"ord", "mid", "substring", "substr", "char", "chr", "nchar", "concat",
	"concat_ws", "group_concat", "cast", "convert", "database", "version",
	"user", "current_user", "system_user", "schema", "unhex", "hex", "md5",
	"sha1", "rand", "count", "greatest", "least", "regexp_like", "instr",
	"sqlite_version", "xmltype", "row", "char_length", "generate_series",
	"load_extension", "sn", "sqlid_to_sqlhash", "json", "upper", "length",
	"mysql", "sleep", "benchmark", "pg_sleep", "randomblob", "receive_message",
	"extractvalue", "updatexml", "gtid_subset", "json_keys", "exp", "floor",
	"unicode", "db_name", "user_name", "host_name", "current_database",
	"pg_read_file", "load_file", "utl_inaddr", "get_host_address",
};

/* each name's length, built at load: the loop compares a length and a
 * first byte before any bytes (no strlen per name and word) */
static uint8_t sql_fn_len[sizeof(sql_fn) / sizeof(sql_fn[0])];

__attribute__((constructor)) static void sql_fn_init(void)
{
	for (size_t k = 0; k < sizeof(sql_fn) / sizeof(sql_fn[0]); k++)
		sql_fn_len[k] = (uint8_t)strlen(sql_fn[k]);
}

/* SQL's functions called with no parentheses: the session's user,
 * the clock, Oracle's row counter */
static const char *const sql_niladic[] = {
	"current_user", "session_user", "system_user", "current_date", "current_time",
	"current_timestamp", "localtimestamp", "sysdate", "systimestamp", "rownum",
	"current_schema",
};

/* the word at i one of sql_niladic */
static int niladic_at(const struct lex *L, int i)
{
	const struct tok *t = &L->t[i];

	if (t->len < 6 || t->len > 17)
		return 0;
	for (size_t k = 0; k < sizeof(sql_niladic) / sizeof(sql_niladic[0]); k++)
		if (L->lo[t->off] == sql_niladic[k][0] && strlen(sql_niladic[k]) == t->len &&
		    memcmp(L->lo + t->off, sql_niladic[k], t->len) == 0)
			return 1;
	return 0;
}

static int sql_fn_call(const struct lex *L, int i)
{
	const struct tok *t = &L->t[i];

	if (i + 1 >= L->nt || L->t[i + 1].t != T_LP || t->t != T_WORD)
		return 0;
	for (size_t k = 0; k < sizeof(sql_fn) / sizeof(sql_fn[0]); k++)
		if (t->len == sql_fn_len[k] && L->lo[t->off] == sql_fn[k][0] &&
		    memcmp(L->lo + t->off, sql_fn[k], t->len) == 0)
			return 1;
	return 0;
}

/* A conditional on a comparison at i: CASE WHEN, or IF / IIF / ELT /
 * MAKE_SET whose first argument compares. Looks at most 46 tokens ahead. */
static int cond_at(const struct lex *L, int i)
{
	int d = 0;

	if (i < 0 || i >= SQL_MAX_TOK)
		return 0;
	if (is_kw(L, i, K_CASE)) {
		if (!is_kw(L, i + 1, K_WHEN))
			return 0;
	} else if (i + 1 >= L->nt || L->t[i + 1].t != T_LP ||
		   !(tok_is(L, i, "if") || tok_is(L, i, "iif") || tok_is(L, i, "elt") ||
		     tok_is(L, i, "make_set"))) {
		return 0;
	}
	for (int k = i + 2; k < L->nt && k - i < 48; k++) {
		int tt = L->t[k].t;
		if (tt == T_LP)
			d++;
		else if (tt == T_RP && --d < 0)
			return 0;
		else if ((tt == T_COMMA && d == 0) || is_kw(L, k, K_THEN))
			return 0;
		else if ((tt == T_OP && L->t[k].op == O_CMP) || is_kw(L, k, K_LIKE) ||
			 is_kw(L, k, K_RLIKE) || is_kw(L, k, K_REGEXP) || is_kw(L, k, K_IN) ||
			 is_kw(L, k, K_BETWEEN))
			return 1;
	}
	return 0;
}

static int operand1(const struct lex *L, int i, struct opnd *o, int depth)
{
	const struct tok *t;

	/* unary NOT, signs, and MySQL's BINARY cast (SELECT binary NULL) */
	while (i < L->nt && ((L->t[i].t == T_OP && (L->t[i].op == O_NOT ||
			     L->lo[L->t[i].off] == '-' || L->lo[L->t[i].off] == '+')) ||
			     is_kw(L, i, K_NOT) || (tok_is(L, i, "binary") && i + 1 < L->nt &&
			     L->t[i + 1].t <= T_VAR && (L->t[i + 1].kw == K_NONE || L->t[i + 1].kw == K_NULL))))
		i++;
	if (i >= L->nt)
		return -1;
	t = &L->t[i];
	if (t->t == T_STR || t->t == T_NUM || is_kw(L, i, K_NULL) ||
	    is_kw(L, i, K_TRUE) || is_kw(L, i, K_FALSE)) {
		o->lit = 1;
		if (t->t != T_STR)
			o->bare = 1;
		return i + 1;
	}
	if (t->t == T_VAR) {
		o->var = 1;
		return i + 1;
	}
	/* ODBC's escape around a call: {fn CONCAT('a','b')} */
	if (t->t == T_OTHER && L->lo[t->off] == '{' && tok_is(L, i + 1, "fn") && depth < 8) {
		int e = operand1(L, i + 2, o, depth + 1);
		return e > 0 && e < L->nt && L->t[e].t == T_OTHER && L->lo[L->t[e].off] == '}' ? e + 1 : -1;
	}
	if (t->t == T_LP) {
		int e = sqli_close_paren(L, i);
		struct opnd x = {0}, y = {0};
		int b = i + 1;
		while (b < e && L->t[b].t == T_LP)
			b++;
		if (depth < 4 && comparison_d(L, b, &x, &y, depth + 1) > 0 &&
		    (x.lit || x.var) && (y.lit || y.var))
			o->taut = 1;
		for (int k = i + 1; k < e; k++) {
			if (is_kw(L, k, K_SELECT))
				o->sub = 1;
			if (sqli_danger_call(L, k))
				o->danger = 1;
			if (L->t[k].t == T_WORD && k + 1 < e && L->t[k + 1].t == T_LP) {
				o->call = 1;
				if (sql_fn_call(L, k))
					o->sqlfn = 1;
				if (cond_at(L, k))
					o->cond = 1;
			}
			if (is_kw(L, k, K_CASE) && cond_at(L, k))
				o->cond = 1;
			if (L->t[k].t == T_NUM || L->t[k].t == T_STR)
				o->lit = 1;
			if (L->t[k].t == T_WORD && !L->t[k].kw)
				o->ident = 1;
		}
		return e;
	}
	if (is_kw(L, i, K_CASE)) {
		int e = i + 1;
		if (cond_at(L, i))
			o->cond = 1;
		while (e < L->nt && !is_kw(L, e, K_END))
			e++;
		o->call = 1;
		return e < L->nt ? e + 1 : e;
	}
	if (t->t == T_WORD) {
		int j = i;
		/* dotted names: schema.table, dbms_pipe.receive_message */
		while (j + 2 < L->nt && L->t[j + 1].t == T_DOT && L->t[j + 2].t == T_WORD)
			j += 2;
		if (j + 1 < L->nt && L->t[j + 1].t == T_LP &&
		    (t->kw == K_NONE || t->kw == K_LIKE || t->kw == K_USER ||
		     t->kw == K_DATABASE || t->kw == K_SCHEMA)) {
			o->call = 1;
			if (sqli_danger_call(L, j))
				o->danger = 1;
			if (sql_fn_call(L, j))
				o->sqlfn = 1;
			if (cond_at(L, j))
				o->cond = 1;
			int e = sqli_close_paren(L, j + 1);
			for (int k = j + 2; k < e; k++) {
				if (sqli_danger_call(L, k))
					o->danger = 1;
				/* printf('%s',sqlite_version()): SQL's function
				 * read inside another call */
				if (L->t[k].t == T_WORD && k + 1 < e && L->t[k + 1].t == T_LP &&
				    L->t[k + 1].off == L->t[k].off + L->t[k].len && sql_fn_call(L, k))
					o->sqlfn = 1;
				if (is_kw(L, k, K_SELECT))
					o->sub = 1;
				if (is_kw(L, k, K_CASE) && cond_at(L, k))
					o->cond = 1;
			}
			return e;
		}
		/* MSSQL's niladic USER chained in arithmetic: Havij's
		 * char(124)+user+char(124)=0; Oracle's '||user||'; compared
		 * (LOWER(USER)=USER, USER IS NOT NULL) */
		int cmp = (i > 0 && L->t[i - 1].t == T_OP && L->t[i - 1].op == O_CMP) || sqli_cmp_op(L, j + 1) > 0;
		if (t->kw != K_NONE && !(t->kw == K_USER && i > 0 && L->t[i - 1].t == T_OP &&
					 (L->t[i - 1].op == O_ARITH || (L->t[i - 1].op == O_BOOL && L->lo[L->t[i - 1].off] == '|'))) &&
		    !(t->kw == K_USER && cmp))
			return -1;
		o->ident = 1;
		/* USER and the other niladic functions compared: a call */
		if (cmp && j == i && (t->kw == K_USER || (t->kw == K_NONE && niladic_at(L, i))))
			o->call = o->nil = 1;
		return j + 1;
	}
	return -1;
	(void)depth;
}

/* operand with binary arithmetic / concatenation / casts chained on */
int sqli_operand(const struct lex *L, int i, struct opnd *o, int depth)
{
	int e = operand1(L, i, o, depth);

	while (e > 0 && e < L->nt && depth < 8) {
		const struct tok *t = &L->t[e];
		if (t->t == T_OP && t->op == O_CAST && e + 1 < L->nt) {
			e += 2;
			continue;
		}
		if ((t->t == T_OP && (t->op == O_ARITH ||
				      (t->op == O_BOOL && L->lo[t->off] == '|'))) ||
		    is_kw(L, e, K_DIV) || is_kw(L, e, K_MOD)) {
			int f = operand1(L, e + 1, o, depth + 1);
			if (f < 0)
				break;
			o->ops++;
			e = f;
			continue;
		}
		break;
	}
	return e;
}

/* a comparison "A op B" at i; returns the index after it or -1 */
int sqli_cmp_op(const struct lex *L, int e)
{
	if (e < 0 || e >= L->nt)
		return -1;
	if (L->t[e].t == T_OP && L->t[e].op == O_CMP)
		return e + 1;
	if (is_kw(L, e, K_LIKE) || is_kw(L, e, K_RLIKE) || is_kw(L, e, K_REGEXP) ||
	    is_kw(L, e, K_IN) || is_kw(L, e, K_BETWEEN))
		return e + 1;
	if (is_kw(L, e, K_IS))
		return is_kw(L, e + 1, K_NOT) ? e + 2 : e + 1;
	if (is_kw(L, e, K_NOT) && (is_kw(L, e + 1, K_LIKE) || is_kw(L, e + 1, K_IN) ||
				   is_kw(L, e + 1, K_BETWEEN) || is_kw(L, e + 1, K_RLIKE) ||
				   is_kw(L, e + 1, K_REGEXP)))
		return e + 2;
	if (is_kw(L, e, K_SOUNDS) && is_kw(L, e + 1, K_LIKE))
		return e + 2;
	return -1;
}

static int comparison_d(const struct lex *L, int i, struct opnd *a, struct opnd *b, int depth)
{
	int e = sqli_operand(L, i, a, depth), f;

	if (e < 0 || e >= L->nt)
		return -1;
	e = sqli_cmp_op(L, e);
	if (e < 0)
		return -1;
	f = sqli_operand(L, e, b, depth);
	if (f > 0 && is_kw(L, e - 1, K_BETWEEN) && is_kw(L, f, K_AND))
		f = sqli_operand(L, f + 1, b, depth);
	/* comparisons chained on the result (1 AND 1=1 LIKE 1, 1<2=1):
	 * each further side read into b */
	while (f > 0 && f < L->nt && (e = sqli_cmp_op(L, f)) > 0) {
		int g = sqli_operand(L, e, b, depth);
		if (g < 0)
			break;
		if (is_kw(L, e - 1, K_BETWEEN)) {
			if (!is_kw(L, g, K_AND) || (g = sqli_operand(L, g + 1, b, depth)) < 0)
				break;
		}
		f = g;
	}
	return f;
}

int sqli_comparison(const struct lex *L, int i, struct opnd *a, struct opnd *b)
{
	return comparison_d(L, i, a, b, 0);
}

/* is the comparison starting at i an equality (=, <=>, like, is)? */
int sqli_eq_cmp(const struct lex *L, int i)
{
	struct opnd o = {0};
	int e = sqli_operand(L, i, &o, 0);
	if (e < 0 || e >= L->nt)
		return 0;
	if (L->t[e].t == T_OP && L->t[e].op == O_CMP)
		return L->t[e].len == 1 ? L->lo[L->t[e].off] == '=' : L->lo[L->t[e].off + 1] == '=' &&
		       L->lo[L->t[e].off] != '>' && L->lo[L->t[e].off] != '<' && L->lo[L->t[e].off] != '!';
	return is_kw(L, e, K_LIKE) || is_kw(L, e, K_IS) || is_kw(L, e, K_RLIKE) ||
	       is_kw(L, e, K_REGEXP) || (is_kw(L, e, K_NOT) && is_kw(L, e + 1, K_BETWEEN));
}

/* the fragment may end at e: end of value, comment, boolean, ')' or ';' */
int sqli_ends_ok(const struct lex *L, int e)
{
	if (e < 0)
		return 0;
	if (e >= L->nt)
		return 1;
	if (e > 0 && L->t[e - 1].cmt)
		return 1;
	/* MySQL's COLLATE name on the operand, ending it: CHAR(49) COLLATE utf8mb4_bin */
	if (tok_is(L, e, "collate") && e + 1 < L->nt && L->t[e + 1].t == T_WORD &&
	    (e + 2 >= L->nt || L->t[e + 1].cmt || is_bool(L, e + 2)))
		return 1;
	/* MySQL's INTO @var ending the query (1' AND 1=1 INTO @a) */
	if (is_kw(L, e, K_INTO) && e + 1 < L->nt && L->t[e + 1].t == T_VAR)
		return 1;
	/* the standard's row limits: FETCH FIRST|NEXT n, OFFSET n */
	if ((tok_is(L, e, "fetch") && (tok_is(L, e + 1, "first") || tok_is(L, e + 1, "next"))) ||
	    (tok_is(L, e, "offset") && e + 1 < L->nt && L->t[e + 1].t == T_NUM))
		return 1;
	return is_bool(L, e) || L->t[e].t == T_RP || L->t[e].t == T_SEMI ||
	       is_kw(L, e, K_LIMIT) || is_kw(L, e, K_ORDER) || is_kw(L, e, K_GROUP);
}

/* A select list that looks like SQL: several items, a FROM, a literal or
 * call, or a comment right after. */
int sqli_select_list(const struct lex *L, int j)
{
	int items = 0, strong = 0, k = j;

	while (is_kw(L, k, K_DISTINCT) || is_kw(L, k, K_ALL) || tok_is(L, k, "distinctrow"))
		k++;
	if (is_kw(L, k, K_TOP) && k + 1 < L->nt)
		k += 2;
	for (;;) {
		struct opnd o = {0};
		int e;
		if (k < L->nt && L->t[k].t == T_OP && L->lo[L->t[k].off] == '*') {
			e = k + 1;
			strong = 1;
		} else {
			e = sqli_operand(L, k, &o, 0);
		}
		if (e < 0)
			break;
		items++;
		if (o.lit || o.call || o.var || o.sub)
			strong = 1;
		if (e > 0 && L->t[e - 1].cmt)
			strong = 1;
		k = e;
		if (is_kw(L, k, K_AS) && k + 1 < L->nt)
			k += 2;
		if (k < L->nt && L->t[k].t == T_COMMA) {
			k++;
			continue;
		}
		break;
	}
	while (k < L->nt && L->t[k].t == T_RP && k < j + 64)
		k++;
	if (is_kw(L, k, K_FROM) || is_kw(L, k, K_INTO) || is_kw(L, k, K_LIMIT) ||
	    (is_kw(L, k, K_ORDER) && is_kw(L, k + 1, K_BY)) || (k < L->nt && L->t[k].t == T_SEMI))
		strong = 1;
	if (items == 0)
		return 0;
	return strong || items >= 2;
}

/* a statement start after ';' (stacked query) */
int sqli_statement_at(const struct lex *L, int i)
{
	int n = L->nt;
	if (i >= n)
		return 0;
	/* ... not one number (or NULL) and a unit or noun after it ("; select
	 * 1.5 kg", "; select 2 books", "; select null option"): a query's
	 * alias is rare in a probe */
	if (is_kw(L, i, K_SELECT) && i + 2 < n && (L->t[i + 1].t == T_NUM || is_kw(L, i + 1, K_NULL)) &&
	    !L->t[i + 1].cmt &&
	    L->t[i + 2].t == T_WORD && L->t[i + 2].kw == K_NONE && !L->t[i + 2].cmt &&
	    !(i + 3 < n && L->t[i + 3].t == T_SEMI))
		return 0;
	/* ... not one plain name, ';' and prose going on ("insert coin;
	 * select game; press start"): a query of one column and no FROM
	 * reads nothing. The word after ';' is no keyword nor one of the
	 * statement words below (no recursion: a chain of them stays
	 * linear) */
	if (is_kw(L, i, K_SELECT) && !L->brk && i + 3 < n && L->t[i + 1].t == T_WORD && L->t[i + 1].kw == K_NONE &&
	    !L->t[i + 1].cmt && L->t[i + 2].t == T_SEMI && !L->t[i + 2].cmt && L->t[i + 3].t == T_WORD &&
	    L->t[i + 3].kw == K_NONE && !tok_is(L, i + 3, "copy") && !tok_is(L, i + 3, "call") &&
	    !tok_is(L, i + 3, "attach") && !tok_is(L, i + 3, "begin") && !tok_is(L, i + 3, "if"))
		return 0;
	if (is_kw(L, i, K_SELECT))
		return sqli_select_list(L, i + 1) && (i + 2 < n || L->t[i].cmt);
	if (is_kw(L, i, K_INSERT))
		return is_kw(L, i + 1, K_INTO);
	if (is_kw(L, i, K_UPDATE))
		return i + 2 < n && L->t[i + 1].t == T_WORD && is_kw(L, i + 2, K_SET);
	if (is_kw(L, i, K_DELETE))
		return is_kw(L, i + 1, K_FROM);
	/* CREATE OR REPLACE FUNCTION f, VIEW v */
	if (is_kw(L, i, K_CREATE) && is_bool(L, i + 1) && tok_is(L, i + 2, "replace"))
		return (is_kw(L, i + 3, K_FUNCTION) || is_kw(L, i + 3, K_VIEW) ||
			is_kw(L, i + 3, K_PROCEDURE) || tok_is(L, i + 3, "trigger")) &&
		       i + 4 < n && L->t[i + 4].t == T_WORD;
	if (is_kw(L, i, K_DROP) || is_kw(L, i, K_CREATE) || is_kw(L, i, K_ALTER) ||
	    is_kw(L, i, K_TRUNCATE))
		/* ... and the object's name: '"; DROP TABLE" is a joke' names none */
		return (is_kw(L, i + 1, K_TABLE) || is_kw(L, i + 1, K_DATABASE) ||
			is_kw(L, i + 1, K_SCHEMA) || is_kw(L, i + 1, K_VIEW) ||
			is_kw(L, i + 1, K_INDEX) || is_kw(L, i + 1, K_USER) ||
			is_kw(L, i + 1, K_PROCEDURE) || is_kw(L, i + 1, K_FUNCTION)) &&
		       i + 2 < n && (L->t[i + 2].t == T_WORD || L->t[i + 2].t == T_VAR);
	if (is_kw(L, i, K_EXEC) || is_kw(L, i, K_EXECUTE))
		return i + 1 < n && (L->t[i + 1].t == T_WORD || L->t[i + 1].t == T_LP ||
				     L->t[i + 1].t == T_VAR ||
				     /* EXEC [dbo].[p]: MSSQL's bracketed name */
				     (i + 3 < n && L->t[i + 1].t == T_OTHER && L->lo[L->t[i + 1].off] == '[' &&
				      L->t[i + 2].t == T_WORD && L->t[i + 3].t == T_OTHER && L->lo[L->t[i + 3].off] == ']'));
	if (is_kw(L, i, K_DECLARE))
		return i + 1 < n && L->t[i + 1].t == T_VAR;
	if (is_kw(L, i, K_SET)) /* SET @v=, SET GLOBAL general_log= */
		return i + 2 < n && (L->t[i + 1].t == T_VAR || (tok_is(L, i + 1, "global") && i + 3 < n &&
							       L->t[i + 3].t == T_OP && L->lo[L->t[i + 3].off] == '='));
	if (is_kw(L, i, K_SHUTDOWN)) /* MSSQL's SHUTDOWN WITH NOWAIT too */
		return i + 1 >= n || L->t[i].cmt || L->t[i + 1].t == T_SEMI ||
		       (tok_is(L, i + 1, "with") && tok_is(L, i + 2, "nowait") &&
			(i + 3 >= n || L->t[i + 2].cmt || L->t[i + 3].t == T_SEMI));
	if (is_kw(L, i, K_WAITFOR))
		return is_kw(L, i + 1, K_DELAY) || is_kw(L, i + 1, K_TIME);
	if (is_kw(L, i, K_GRANT))
		return 1;
	if (tok_is(L, i, "call")) /* CALL f(...): payload_sqli_more.c */
		return sqli_more_call_stmt(L, i);
	/* COPY t FROM PROGRAM / TO 'file' (PostgreSQL), ATTACH DATABASE
	 * 'file' AS x (SQLite), IF (cond) ... and BEGIN ... END blocks */
	if (tok_is(L, i, "copy")) {
		int k = i + 2;
		/* the table: a word or PostgreSQL's "quoted" name */
		int name = i + 1 < n && (L->t[i + 1].t == T_WORD ||
					 (L->t[i + 1].t == T_STR && !L->t[i + 1].open && L->lo[L->t[i + 1].off] == '"'));
		/* COPY (SELECT ...) TO PROGRAM '...' */
		if (i + 1 < n && L->t[i + 1].t == T_LP && is_kw(L, i + 2, K_SELECT))
			k = sqli_close_paren(L, i + 1);
		/* COPY t(a, b) FROM: the column list */
		if (name && k < n && L->t[k].t == T_LP)
			k = sqli_close_paren(L, k);
		return k > i && k < n && (name || L->t[i + 1].t == T_LP) &&
		       (is_kw(L, k, K_FROM) || tok_is(L, k, "to"));
	}
	/* MSSQL's BULK INSERT t FROM 'file' (the file a string: "bulk
	 * insert data from csv" is a how-to's title) */
	if (tok_is(L, i, "bulk"))
		return is_kw(L, i + 1, K_INSERT) && i + 4 < n && L->t[i + 2].t == T_WORD && is_kw(L, i + 3, K_FROM) &&
		       L->t[i + 4].t == T_STR;
	if (tok_is(L, i, "attach"))
		return is_kw(L, i + 1, K_DATABASE) || (i + 1 < n && L->t[i + 1].t == T_STR);
	if (tok_is(L, i, "if") && i + 1 < n && L->t[i + 1].t == T_LP) {
		struct opnd x = {0}, y = {0};
		return sqli_comparison(L, i + 2, &x, &y) > 0;
	}
	if (tok_is(L, i, "begin"))
		return i + 2 < n && L->t[i + 1].t == T_WORD && !L->t[i + 1].kw &&
		       (L->t[i + 2].t == T_DOT || L->t[i + 2].t == T_LP);
	return 0;
}
