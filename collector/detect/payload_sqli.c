/* dp_sqli.c - SQL injection: a small SQL lexer run in the three contexts a
 * value can land in (as-is, after a closing ' and after a closing "), and
 * rules over the token stream that only an injected fragment satisfies:
 * string break + boolean + comparison, UNION SELECT with a select list,
 * stacked statements, time functions with numeric arguments, schema
 * probing, comment truncation after a break, ORDER BY n. English that merely
 * contains SQL words ("select a plan", "1 or 2 items") has no such shape. */
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

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

static const char *const kw_names[] = {
	[K_SELECT] = "select", [K_UNION] = "union", [K_ALL] = "all",
	[K_DISTINCT] = "distinct", [K_FROM] = "from", [K_WHERE] = "where",
	[K_AND] = "and", [K_OR] = "or", [K_XOR] = "xor", [K_NOT] = "not",
	[K_NULL] = "null", [K_TRUE] = "true", [K_FALSE] = "false",
	[K_ORDER] = "order", [K_GROUP] = "group", [K_BY] = "by",
	[K_HAVING] = "having", [K_LIMIT] = "limit", [K_INSERT] = "insert",
	[K_INTO] = "into", [K_UPDATE] = "update", [K_SET] = "set",
	[K_DELETE] = "delete", [K_DROP] = "drop", [K_CREATE] = "create",
	[K_ALTER] = "alter", [K_TABLE] = "table", [K_DATABASE] = "database",
	[K_SCHEMA] = "schema", [K_VIEW] = "view", [K_INDEX] = "index",
	[K_USER] = "user", [K_PROCEDURE] = "procedure",
	[K_FUNCTION] = "function", [K_EXEC] = "exec", [K_EXECUTE] = "execute",
	[K_DECLARE] = "declare", [K_WAITFOR] = "waitfor", [K_DELAY] = "delay",
	[K_TIME] = "time", [K_SHUTDOWN] = "shutdown", [K_TRUNCATE] = "truncate",
	[K_LIKE] = "like", [K_RLIKE] = "rlike", [K_REGEXP] = "regexp",
	[K_IS] = "is", [K_IN] = "in", [K_BETWEEN] = "between", [K_AS] = "as",
	[K_DIV] = "div", [K_MOD] = "mod", [K_VALUES] = "values",
	[K_GRANT] = "grant", [K_TOP] = "top", [K_SOUNDS] = "sounds",
	[K_WHEN] = "when", [K_THEN] = "then", [K_ELSE] = "else", [K_END] = "end",
	[K_CASE] = "case",
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
	int lead_cmt;   /* comment before the first token */
	int any_cmt;
};

static int kw_lookup(const char *w, size_t l)
{
	for (size_t k = 1; k < sizeof(kw_names) / sizeof(kw_names[0]); k++)
		if (kw_names[k] && kw_names[k][0] == w[0] && strlen(kw_names[k]) == l &&
		    memcmp(kw_names[k], w, l) == 0)
			return (int)k;
	return K_NONE;
}

static int word_char(unsigned char c)
{
	return dp_is_alnum(c) || c == '$' || c >= 0x80;
}

static void push(struct lex *L, int type, int op, size_t off, size_t len, int open)
{
	struct tok *k;

	if (L->nt >= SQL_MAX_TOK)
		return;
	k = &L->t[L->nt++];
	memset(k, 0, sizeof(*k));
	k->t = (uint8_t)type;
	k->op = (uint8_t)op;
	k->off = (uint16_t)off;
	k->len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len);
	k->open = (uint8_t)open;
	if (type == T_WORD)
		k->kw = (uint16_t)kw_lookup(L->lo + off, len);
}

static void mark_cmt(struct lex *L)
{
	L->any_cmt = 1;
	if (L->nt)
		L->t[L->nt - 1].cmt = 1;
	else
		L->lead_cmt = 1;
}

/* End of a quoted string starting at i (s[i] == q); returns the index after
 * the closing quote, or n (and *open = 1) when it runs to the end. A
 * doubled quote and a backslash escape stay inside. */
static size_t str_end(const char *s, size_t n, size_t i, char q, int *open)
{
	for (size_t j = i + 1; j < n; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == q) {
			if (j + 1 < n && s[j + 1] == q) {
				j++;
				continue;
			}
			*open = 0;
			return j + 1;
		}
	}
	*open = 1;
	return n;
}

/* Lex lo[0..n). q != 0: the value starts inside a string quoted with q;
 * returns 0 when that string never closes (the value is only data). */
static int sql_lex(struct lex *L, const char *lo, size_t n, char q)
{
	size_t i = 0;
	int in_exec = 0;

	L->brk = L->lead_cmt = L->any_cmt = 0;
	L->lo = lo;
	L->n = n;
	L->nt = 0;
	if (q) {
		/* the value's first unescaped q closes a string the query opened */
		size_t j;
		for (j = 0; j < n; j++) {
			if (lo[j] == '\\') {
				j++;
				continue;
			}
			if (lo[j] == q)
				break;
		}
		if (j >= n)
			return 0;
		L->brk = 1;
		i = j + 1;
	}
	while (i < n) {
		unsigned char c = (unsigned char)lo[i];
		if (dp_is_space(c) || c == 0) {
			i++;
			continue;
		}
		if (c == '\'' || c == '"') {
			int open;
			size_t e = str_end(lo, n, i, (char)c, &open);
			push(L, T_STR, 0, i, e - i, open);
			i = e;
			continue;
		}
		if (c == '`') { /* quoted identifier */
			int open;
			size_t e = str_end(lo, n, i, '`', &open);
			push(L, T_WORD, 0, i, e - i, 0);
			i = e;
			continue;
		}
		if ((c == '-' && i + 1 < n && lo[i + 1] == '-') || c == '#') {
			while (i < n && lo[i] != '\n')
				i++;
			mark_cmt(L);
			continue;
		}
		if (c == '/' && i + 1 < n && lo[i + 1] == '*') {
			if (i + 2 < n && lo[i + 2] == '!') { /* MySQL: content runs */
				i += 3;
				while (i < n && lo[i] >= '0' && lo[i] <= '9')
					i++;
				in_exec = 1;
				continue;
			}
			size_t e = dp_find(lo, n, i + 2, "*/");
			i = e < n ? e + 2 : n;
			mark_cmt(L);
			continue;
		}
		if (in_exec && c == '*' && i + 1 < n && lo[i + 1] == '/') {
			in_exec = 0;
			i += 2;
			continue;
		}
		if (c >= '0' && c <= '9') {
			size_t j = i;
			if (c == '0' && j + 1 < n && (lo[j + 1] == 'x' || lo[j + 1] == 'b'))
				j += 2;
			while (j < n && (dp_is_alnum((unsigned char)lo[j]) || lo[j] == '.'))
				j++;
			/* 5pm, 2nd, 3d: a word, not a number (0x41 and 1e5 are numbers) */
			int word = 0;
			for (size_t k = i; k < j; k++)
				if (dp_is_alpha((unsigned char)lo[k]) && !(k == i + 1 && c == '0') &&
				    !(lo[k] == 'e' && k > i) && !(c == '0' && (lo[i + 1] == 'x')))
					word = 1;
			push(L, word ? T_WORD : T_NUM, 0, i, j - i, 0);
			i = j;
			continue;
		}
		if (c == '@') {
			size_t j = i + 1;
			if (j < n && lo[j] == '@')
				j++;
			while (j < n && word_char((unsigned char)lo[j]))
				j++;
			push(L, T_VAR, 0, i, j - i, 0);
			i = j;
			continue;
		}
		if (word_char(c)) {
			size_t j = i;
			while (j < n && word_char((unsigned char)lo[j]))
				j++;
			push(L, T_WORD, 0, i, j - i, 0);
			i = j;
			continue;
		}
		switch (c) {
		case '(': push(L, T_LP, 0, i, 1, 0); i++; continue;
		case ')': push(L, T_RP, 0, i, 1, 0); i++; continue;
		case ',': push(L, T_COMMA, 0, i, 1, 0); i++; continue;
		case ';': push(L, T_SEMI, 0, i, 1, 0); i++; continue;
		case '.': push(L, T_DOT, 0, i, 1, 0); i++; continue;
		default: break;
		}
		{
			static const struct { const char *s; int op; } ops[] = {
				{"<=>", O_CMP}, {"<>", O_CMP}, {"!=", O_CMP}, {"<=", O_CMP},
				{">=", O_CMP}, {"||", O_BOOL}, {"&&", O_BOOL}, {"::", O_CAST},
				{"=", O_CMP}, {"<", O_CMP}, {">", O_CMP}, {"!", O_NOT},
				{"~", O_NOT}, {"+", O_ARITH}, {"-", O_ARITH}, {"*", O_ARITH},
				{"/", O_ARITH}, {"%", O_ARITH}, {"^", O_ARITH}, {"&", O_ARITH},
				{"|", O_ARITH},
			};
			int done = 0;
			for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
				if (dp_at(lo, n, i, ops[k].s)) {
					size_t l = strlen(ops[k].s);

					push(L, T_OP, ops[k].op, i, l, 0);
					i += l;
					done = 1;
					break;
				}
			}
			if (!done) {
				push(L, T_OTHER, 0, i, 1, 0);
				i++;
			}
		}
	}
	return 1;
}

/* ---- token predicates --------------------------------------------------- */

static int is_kw(const struct lex *L, int i, int kw)
{
	return i >= 0 && i < L->nt && L->t[i].t == T_WORD && L->t[i].kw == kw;
}

static int tok_is(const struct lex *L, int i, const char *w)
{
	size_t l;

	if (i < 0 || i >= L->nt || L->t[i].t != T_WORD || L->lo[L->t[i].off] != w[0])
		return 0;
	l = strlen(w);
	return L->t[i].len == l && memcmp(L->lo + L->t[i].off, w, l) == 0;
}

static int is_bool(const struct lex *L, int i)
{
	return is_kw(L, i, K_OR) || is_kw(L, i, K_AND) || is_kw(L, i, K_XOR) ||
	       (i < L->nt && L->t[i].t == T_OP && L->t[i].op == O_BOOL);
}

/* index after the parenthesis group opened at i (L->t[i] is '(') */
static int close_paren(const struct lex *L, int i)
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
};

/* functions that need a numeric first argument to be an attack */
static int timing_fn(const struct lex *L, int i)
{
	return tok_is(L, i, "sleep") || tok_is(L, i, "benchmark") ||
	       tok_is(L, i, "pg_sleep") || tok_is(L, i, "randomblob");
}

static int danger_name(const struct lex *L, int i)
{
	for (size_t k = 0; k < sizeof(danger_fn) / sizeof(danger_fn[0]); k++)
		if (tok_is(L, i, danger_fn[k]))
			return 1;
	return 0;
}

struct opnd {
	int lit, call, danger, sub, ident, var;
	int ops;  /* binary operators chained on */
	int taut; /* parenthesised literal comparison: ('a'='a') */
	int bare; /* a keyword literal or number, not a string */
};

/* Is L->t[i] a well-formed call of a dangerous function? Timing functions
 * must get a number (or arithmetic on numbers) first. */
static int danger_call(const struct lex *L, int i)
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
	return 1;
}

static int operand(const struct lex *L, int i, struct opnd *o, int depth);
static int comparison_d(const struct lex *L, int i, struct opnd *a, struct opnd *b, int depth);

static int operand1(const struct lex *L, int i, struct opnd *o, int depth)
{
	const struct tok *t;

	while (i < L->nt && ((L->t[i].t == T_OP && (L->t[i].op == O_NOT ||
			     L->lo[L->t[i].off] == '-' || L->lo[L->t[i].off] == '+')) ||
			     is_kw(L, i, K_NOT)))
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
	if (t->t == T_LP) {
		int e = close_paren(L, i);
		struct opnd x = {0}, y = {0};
		if (depth < 4 && comparison_d(L, i + 1, &x, &y, depth + 1) > 0 &&
		    (x.lit || x.var) && (y.lit || y.var))
			o->taut = 1;
		for (int k = i + 1; k < e; k++) {
			if (is_kw(L, k, K_SELECT))
				o->sub = 1;
			if (danger_call(L, k))
				o->danger = 1;
			if (L->t[k].t == T_WORD && k + 1 < e && L->t[k + 1].t == T_LP)
				o->call = 1;
			if (L->t[k].t == T_NUM || L->t[k].t == T_STR)
				o->lit = 1;
			if (L->t[k].t == T_WORD && !L->t[k].kw)
				o->ident = 1;
		}
		return e;
	}
	if (is_kw(L, i, K_CASE)) {
		int e = i + 1;
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
			if (danger_call(L, j))
				o->danger = 1;
			int e = close_paren(L, j + 1);
			for (int k = j + 2; k < e; k++) {
				if (danger_call(L, k))
					o->danger = 1;
				if (is_kw(L, k, K_SELECT))
					o->sub = 1;
			}
			return e;
		}
		if (t->kw != K_NONE)
			return -1;
		o->ident = 1;
		return j + 1;
	}
	return -1;
	(void)depth;
}

/* operand with binary arithmetic / concatenation / casts chained on */
static int operand(const struct lex *L, int i, struct opnd *o, int depth)
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
static int comparison_d(const struct lex *L, int i, struct opnd *a, struct opnd *b, int depth)
{
	int e = operand(L, i, a, depth), f;

	if (e < 0 || e >= L->nt)
		return -1;
	if (L->t[e].t == T_OP && L->t[e].op == O_CMP) {
		e++;
	} else if (is_kw(L, e, K_LIKE) || is_kw(L, e, K_RLIKE) ||
		   is_kw(L, e, K_REGEXP) || is_kw(L, e, K_IN) ||
		   is_kw(L, e, K_BETWEEN)) {
		e++;
	} else if (is_kw(L, e, K_IS)) {
		e++;
		if (is_kw(L, e, K_NOT))
			e++;
	} else if (is_kw(L, e, K_NOT) && (is_kw(L, e + 1, K_LIKE) || is_kw(L, e + 1, K_IN) ||
					  is_kw(L, e + 1, K_BETWEEN))) {
		e += 2;
	} else if (is_kw(L, e, K_SOUNDS) && is_kw(L, e + 1, K_LIKE)) {
		e += 2;
	} else {
		return -1;
	}
	f = operand(L, e, b, depth);
	if (f > 0 && is_kw(L, e - 1, K_BETWEEN) && is_kw(L, f, K_AND))
		f = operand(L, f + 1, b, depth);
	return f;
}

static int comparison(const struct lex *L, int i, struct opnd *a, struct opnd *b)
{
	return comparison_d(L, i, a, b, 0);
}

/* is the comparison starting at i an equality (=, <=>, like, is)? */
static int eq_cmp(const struct lex *L, int i)
{
	struct opnd o = {0};
	int e = operand(L, i, &o, 0);
	if (e < 0 || e >= L->nt)
		return 0;
	if (L->t[e].t == T_OP && L->t[e].op == O_CMP)
		return L->t[e].len == 1 ? L->lo[L->t[e].off] == '=' : L->lo[L->t[e].off + 1] == '=' &&
		       L->lo[L->t[e].off] != '>' && L->lo[L->t[e].off] != '<' && L->lo[L->t[e].off] != '!';
	return is_kw(L, e, K_LIKE) || is_kw(L, e, K_IS);
}

/* the fragment may end at e: end of value, comment, boolean, ')' or ';' */
static int ends_ok(const struct lex *L, int e)
{
	if (e < 0)
		return 0;
	if (e >= L->nt)
		return 1;
	if (e > 0 && L->t[e - 1].cmt)
		return 1;
	return is_bool(L, e) || L->t[e].t == T_RP || L->t[e].t == T_SEMI ||
	       is_kw(L, e, K_LIMIT) || is_kw(L, e, K_ORDER) || is_kw(L, e, K_GROUP);
}

/* A select list that looks like SQL: several items, a FROM, a literal or
 * call, or a comment right after. */
static int select_list(const struct lex *L, int j)
{
	int items = 0, strong = 0, k = j;

	while (is_kw(L, k, K_DISTINCT) || is_kw(L, k, K_ALL))
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
			e = operand(L, k, &o, 0);
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
	if (is_kw(L, k, K_FROM) || is_kw(L, k, K_INTO))
		strong = 1;
	if (items == 0)
		return 0;
	return strong || items >= 2;
}

/* a statement start after ';' (stacked query) */
static int statement_at(const struct lex *L, int i)
{
	int n = L->nt;
	if (i >= n)
		return 0;
	if (is_kw(L, i, K_SELECT))
		return select_list(L, i + 1) && (i + 2 < n || L->t[i].cmt);
	if (is_kw(L, i, K_INSERT))
		return is_kw(L, i + 1, K_INTO);
	if (is_kw(L, i, K_UPDATE))
		return i + 2 < n && L->t[i + 1].t == T_WORD && is_kw(L, i + 2, K_SET);
	if (is_kw(L, i, K_DELETE))
		return is_kw(L, i + 1, K_FROM);
	if (is_kw(L, i, K_DROP) || is_kw(L, i, K_CREATE) || is_kw(L, i, K_ALTER) ||
	    is_kw(L, i, K_TRUNCATE))
		return is_kw(L, i + 1, K_TABLE) || is_kw(L, i + 1, K_DATABASE) ||
		       is_kw(L, i + 1, K_SCHEMA) || is_kw(L, i + 1, K_VIEW) ||
		       is_kw(L, i + 1, K_INDEX) || is_kw(L, i + 1, K_USER) ||
		       is_kw(L, i + 1, K_PROCEDURE) || is_kw(L, i + 1, K_FUNCTION);
	if (is_kw(L, i, K_EXEC) || is_kw(L, i, K_EXECUTE))
		return i + 1 < n && (L->t[i + 1].t == T_WORD || L->t[i + 1].t == T_LP ||
				     L->t[i + 1].t == T_VAR);
	if (is_kw(L, i, K_DECLARE))
		return i + 1 < n && L->t[i + 1].t == T_VAR;
	if (is_kw(L, i, K_SET))
		return i + 2 < n && L->t[i + 1].t == T_VAR;
	if (is_kw(L, i, K_SHUTDOWN))
		return i + 1 >= n || L->t[i].cmt;
	if (is_kw(L, i, K_WAITFOR))
		return is_kw(L, i + 1, K_DELAY) || is_kw(L, i + 1, K_TIME);
	if (is_kw(L, i, K_GRANT))
		return 1;
	return 0;
}

static int skip_rp(const struct lex *L, int i)
{
	while (i < L->nt && L->t[i].t == T_RP)
		i++;
	return i;
}

static const char *const schema_words[] = {
	"information_schema", "sysobjects", "syscolumns", "sysdatabases",
	"pg_catalog", "pg_shadow", "pg_user", "pg_tables", "sqlite_master",
	"sqlite_schema", "all_tables", "user_tables", "all_tab_columns",
	"msysobjects", "sysusers", "mysql.user",
};

static void sql_rules(const struct lex *L, struct dp_acc *a)
{
	int n = L->nt;
	int r = skip_rp(L, 0);

	if (L->brk) {
		/* comment truncation right after the break: admin'-- */
		if (r == n && L->any_cmt)
			dp_acc_hit(a, DP_SQLI, 70, "comment truncation after string break");
		if (r < n && L->t[r].t == T_SEMI && (r + 1 == n || L->t[r].cmt))
			dp_acc_hit(a, DP_SQLI, 60, "statement end after string break");
		/* expression continued after the break: '||'x'||'  '-' */
		if (r < n && L->t[r].t == T_OP && (L->t[r].op == O_ARITH || L->t[r].op == O_BOOL)) {
			struct opnd o = {0};
			int e = operand(L, r + 1, &o, 0);
			if (e > 0 && ends_ok(L, e) && (o.lit || o.call || o.var))
				dp_acc_hit(a, DP_SQLI, 65, "expression continued after string break");
		}
		/* x' order by 3#  (a column number, not "order by phone") */
		if ((is_kw(L, r, K_ORDER) || is_kw(L, r, K_GROUP)) && is_kw(L, r + 1, K_BY) &&
		    r + 2 < n && L->t[r + 2].t == T_NUM)
			dp_acc_hit(a, DP_SQLI, 75, "order by column number after string break");
	}

	for (int i = 0; i < n; i++) {
		const struct tok *t = &L->t[i];

		/* boolean injection */
		if (is_bool(L, i)) {
			struct opnd x = {0}, y = {0};
			int after_break = L->brk && skip_rp(L, 0) == i;
			int e = comparison(L, i + 1, &x, &y);
			if (e > 0 && ends_ok(L, e)) {
				int litlit = (x.lit || x.var) && (y.lit || y.var);
				/* outside a string break, literal comparisons are math
				 * text ("3<5 and 7>2") unless they are the classic
				 * equality tautology or a comment cuts the query */
				if (litlit && !after_break && !L->brk && !eq_cmp(L, i + 1) &&
				    !(e > 0 && L->t[e - 1].cmt))
					litlit = 0;
				int strong = x.call || y.call || x.sub || y.sub;
				if (litlit || x.danger || y.danger)
					dp_acc_hit(a, DP_SQLI, after_break ? 90 : 80,
						   "boolean tautology on literals");
				else if (strong)
					dp_acc_hit(a, DP_SQLI, after_break ? 85 : 70,
						   "boolean comparison with function or subquery");
				else if (after_break)
					dp_acc_hit(a, DP_SQLI, 80, "boolean comparison after string break");
			}
			x = (struct opnd){0};
			e = operand(L, i + 1, &x, 0);
			if (e > 0 && ends_ok(L, e)) {
				if (x.danger)
					dp_acc_hit(a, DP_SQLI, 90, "boolean with time or file function");
				else if (x.taut)
					dp_acc_hit(a, DP_SQLI, after_break ? 90 : 75,
						   "boolean tautology in parentheses");
				else if (x.sub)
					dp_acc_hit(a, DP_SQLI, 80, "boolean with subquery");
				/* a lone quoted word is prose: the 'or' operator */
				else if (after_break && (x.call || x.var || (x.lit &&
					 (x.ops || x.bare || L->t[e - 1].cmt))))
					dp_acc_hit(a, DP_SQLI, 75, "boolean literal after string break");
				else if (x.lit && e <= n && e > 0 && L->t[e - 1].cmt &&
					 L->t[e - 1].t != T_STR)
					dp_acc_hit(a, DP_SQLI, 70, "boolean literal then comment");
			}
		}
		/* tautology without a boolean: where 1=1 / having 1=1 */
		if (is_kw(L, i, K_WHERE) || is_kw(L, i, K_HAVING)) {
			struct opnd x = {0}, y = {0};
			int e = comparison(L, i + 1, &x, &y);
			if (e > 0 && ends_ok(L, e) && x.lit && y.lit)
				dp_acc_hit(a, DP_SQLI, 70, "where/having tautology");
		}
		/* UNION [ALL] SELECT list */
		if (is_kw(L, i, K_UNION)) {
			int j = i + 1;
			while (is_kw(L, j, K_ALL) || is_kw(L, j, K_DISTINCT) ||
			       (j < n && L->t[j].t == T_LP))
				j++;
			if (is_kw(L, j, K_SELECT) && select_list(L, j + 1))
				dp_acc_hit(a, DP_SQLI, L->brk ? 95 : 90, "union select");
		}
		/* stacked statement */
		if (t->t == T_SEMI && statement_at(L, i + 1))
			dp_acc_hit(a, DP_SQLI, 85, "stacked query");
		/* time / file / command functions */
		if (t->t == T_WORD && danger_call(L, i))
			dp_acc_hit(a, DP_SQLI, 80, "time or file function call");
		if (tok_is(L, i, "xp_cmdshell") || tok_is(L, i, "sp_oacreate") ||
		    tok_is(L, i, "sp_executesql"))
			dp_acc_hit(a, DP_SQLI, 85, "mssql procedure");
		if (is_kw(L, i, K_WAITFOR) && (is_kw(L, i + 1, K_DELAY) || is_kw(L, i + 1, K_TIME)) &&
		    i + 2 < n && L->t[i + 2].t == T_STR)
			dp_acc_hit(a, DP_SQLI, 90, "waitfor delay");
		/* schema probing */
		if (t->t == T_WORD) {
			for (size_t k = 0; k < sizeof(schema_words) / sizeof(schema_words[0]); k++) {
				if (!tok_is(L, i, schema_words[k]) &&
				    !(k + 1 == sizeof(schema_words) / sizeof(schema_words[0]) &&
				      tok_is(L, i, "mysql") && i + 2 < n && L->t[i + 1].t == T_DOT &&
				      tok_is(L, i + 2, "user")))
					continue;
				if (is_kw(L, i - 1, K_FROM) || (i + 1 < n && L->t[i + 1].t == T_DOT) ||
				    is_kw(L, i - 1, K_INTO))
					dp_acc_hit(a, DP_SQLI, 80, "system catalog access");
				break;
			}
		}
		if (t->t == T_VAR && t->len > 2 && L->lo[t->off + 1] == '@') {
			static const char *const sysv[] = {"@@version", "@@datadir", "@@hostname",
							   "@@servername", "@@basedir", "@@tmpdir"};
			for (size_t k = 0; k < sizeof(sysv) / sizeof(sysv[0]); k++)
				if (t->len == strlen(sysv[k]) && memcmp(L->lo + t->off, sysv[k], t->len) == 0)
					dp_acc_hit(a, DP_SQLI, 60, "server variable probe");
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
			if (nums && (j >= n || L->t[j - 1].cmt) && (L->any_cmt || i == 0))
				dp_acc_hit(a, DP_SQLI, 65, "order by column number");
		}
		/* INTO OUTFILE / DUMPFILE */
		if (is_kw(L, i, K_INTO) && (tok_is(L, i + 1, "outfile") || tok_is(L, i + 1, "dumpfile")))
			dp_acc_hit(a, DP_SQLI, 85, "into outfile");
	}
}

void dp_sqli_scan(const struct dp_val *v, struct dp_acc *a)
{
	static const char ctx[] = {0, '\'', '"'};
	struct lex L;
	int has_q = 0;

	/* cheap exit: without any SQL punctuation or a letter, nothing to do */
	for (size_t i = 0; i < v->n && !has_q; i++)
		if (dp_is_alpha((unsigned char)v->lo[i]) || v->lo[i] == '\'' || v->lo[i] == '"')
			has_q = 1;
	if (!has_q)
		return;
	for (size_t c = 0; c < sizeof(ctx); c++) {
		if (!sql_lex(&L, v->lo, v->n, ctx[c]))
			continue;
		sql_rules(&L, a);
	}
	/* comments splitting keywords (UN/ ** /ION): judge the joined form too */
	if (dp_find(v->lo, v->n, 0, "/*") < v->n) {
		char sq[DP_MAX_VALUE + 1];
		size_t m = norm_decode(v->lo, v->n, sq, sizeof(sq), NORM_SPACE);
		for (size_t c = 0; c < sizeof(ctx); c++) {
			if (!sql_lex(&L, sq, m, ctx[c]))
				continue;
			sql_rules(&L, a);
		}
	}
}
