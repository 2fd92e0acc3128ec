/* payload_sqli.c - SQL injection, the language half: a small SQL lexer (strings,
 * numbers, words, variables, operators, comments, MySQL versioned comments)
 * and the expression grammar the rules in payload_sqli_rules.c are written in:
 * operands (literals, calls, subqueries, CASE), comparisons, select lists,
 * statement starts. */
#include "collector/detect/payload_sqli_int.h"


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

/* kw_lookup's table: open addressing on length and three letters, built
 * once at load; a word matches only a slot whose name has its length and bytes */
#define KW_SLOTS 256u /* power of two, over four times the keywords */
static uint8_t kw_slot[KW_SLOTS], kw_len[sizeof(kw_names) / sizeof(kw_names[0])];

static unsigned kw_hash(const char *w, size_t l)
{
	return ((unsigned)l * 97u + (unsigned char)w[0] * 31u +
		(unsigned char)w[1] * 7u + (unsigned char)w[l - 1]) & (KW_SLOTS - 1);
}

__attribute__((constructor)) static void kw_init(void)
{
	for (size_t k = 1; k < sizeof(kw_names) / sizeof(kw_names[0]); k++) {
		unsigned h;

		if (!kw_names[k])
			continue;
		kw_len[k] = (uint8_t)strlen(kw_names[k]);
		h = kw_hash(kw_names[k], kw_len[k]);
		while (kw_slot[h])
			h = (h + 1) & (KW_SLOTS - 1);
		kw_slot[h] = (uint8_t)k;
	}
}

const char *sqli_kw_name(int k)
{
	return k > K_NONE && k < (int)(sizeof(kw_names) / sizeof(kw_names[0])) ? kw_names[k] : NULL;
}

static int kw_lookup(const char *w, size_t l)
{
	unsigned h;

	/* every keyword is 2 to 9 lower-case letters */
	if (l < 2 || l > 9 || w[0] < 'a' || w[0] > 'z')
		return K_NONE;
	for (h = kw_hash(w, l); kw_slot[h]; h = (h + 1) & (KW_SLOTS - 1)) {
		unsigned k = kw_slot[h];

		if (kw_len[k] == l && memcmp(kw_names[k], w, l) == 0)
			return (int)k;
	}
	return K_NONE;
}

static int word_char(unsigned char c)
{
	return payload_is_alnum(c) || c == '$' || c >= 0x80;
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

/* A byte the SQL servers skip as whitespace: ASCII space and controls
 * (MSSQL accepts 0x01-0x1f), and 0xA0 (no-break space in latin1, which
 * MySQL skips) when it is not part of a UTF-8 sequence. */
static int sql_space(const char *lo, size_t i)
{
	unsigned char c = (unsigned char)lo[i];

	if (c <= 0x20)
		return 1;
	return c == 0xa0 && (i == 0 || (unsigned char)lo[i - 1] < 0x80);
}

/* Where the injected part starts in the bare context: after the value the
 * query held (a number, a word, -1234) when ')' follow it (the value broke
 * out of parentheses), or after a leading number (numeric parameter). */
static void bare_start(struct lex *L)
{
	int i = 0;

	L->pbrk = L->num = 0;
	L->start = 0;
	if (L->nt >= 2 && L->t[0].t == T_OP && L->lo[L->t[0].off] == '-' && L->t[1].t == T_NUM)
		i = 1;
	if (i >= L->nt)
		return;
	if (L->t[0].t == T_RP) {
		L->pbrk = 1;
		return;
	}
	if (L->t[i].t != T_NUM && !(L->t[i].t == T_WORD && L->t[i].kw == K_NONE))
		return;
	if (i + 1 < L->nt && L->t[i + 1].t == T_RP) {
		L->pbrk = 1;
		L->start = i + 1;
	} else if (L->t[i].t == T_NUM) {
		L->num = 1;
		L->start = i + 1;
	}
}

/* q != 0: the value's first unescaped q closes a string the query
 * opened; its offset goes to L->bq. Returns 0 when there is none. */
static int lex_break(struct lex *L, const char *lo, size_t n, char q)
{
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
	L->bq = j;
	return 1;
}

/* Blanks, comments and the marks of MySQL's executable comments at i:
 * returns the offset after them, or i when a token starts there. */
static size_t lex_skip(struct lex *L, const char *lo, size_t n, size_t i, int *in_exec)
{
	unsigned char c = (unsigned char)lo[i];

	if (sql_space(lo, i))
		return i + 1;
	if ((c == '-' && i + 1 < n && lo[i + 1] == '-') || c == '#') {
		while (i < n && lo[i] != '\n')
			i++;
		mark_cmt(L);
		return i;
	}
	if (c == '/' && i + 1 < n && lo[i + 1] == '*') {
		if (i + 2 < n && lo[i + 2] == '!') { /* MySQL: content runs */
			i += 3;
			while (i < n && lo[i] >= '0' && lo[i] <= '9')
				i++;
			*in_exec = 1;
			return i;
		}
		size_t e = payload_find(lo, n, i + 2, "*/");
		i = e < n ? e + 2 : n;
		mark_cmt(L);
		return i;
	}
	if (*in_exec && c == '*' && i + 1 < n && lo[i + 1] == '/') {
		*in_exec = 0;
		return i + 2;
	}
	return i;
}

/* A number at i (0x41, 1e5, 1.5), split from a keyword glued to it, or a
 * word that starts with digits (5pm); returns the offset after it. */
static size_t lex_number(struct lex *L, const char *lo, size_t n, size_t i)
{
	unsigned char c = (unsigned char)lo[i];
	size_t j = i;

	if (c == '0' && j + 1 < n && (lo[j + 1] == 'x' || lo[j + 1] == 'b'))
		j += 2;
	while (j < n && (payload_is_alnum((unsigned char)lo[j]) || lo[j] == '.'))
		j++;
	/* a number glued to a keyword: 1e0UNION, 1.0DUNION (Oracle's
	 * 1d), 2.AND: the server reads the number, then the word */
	if (j - i > 1) {
		size_t k = i;
		while (k < j && ((lo[k] >= '0' && lo[k] <= '9') || lo[k] == '.'))
			k++;
		if (k < j && lo[k] == 'e' && k + 1 < j && lo[k + 1] >= '0' && lo[k + 1] <= '9')
			for (k++; k < j && lo[k] >= '0' && lo[k] <= '9'; k++)
				;
		if (k < j && (lo[k] == 'd' || lo[k] == 'f') && k + 1 < j &&
		    kw_lookup(lo + k + 1, j - k - 1) != K_NONE)
			k++;
		if (k > i && k < j && kw_lookup(lo + k, j - k) != K_NONE) {
			push(L, T_NUM, 0, i, k - i, 0);
			push(L, T_WORD, 0, k, j - k, 0);
			return j;
		}
	}
	/* 5pm, 2nd, 3d: a word, not a number (0x41 and 1e5 are numbers) */
	int word = 0;
	for (size_t k = i; k < j; k++)
		if (payload_is_alpha((unsigned char)lo[k]) && !(k == i + 1 && c == '0') &&
		    !(lo[k] == 'e' && k > i) && !(c == '0' && (lo[i + 1] == 'x')))
			word = 1;
	push(L, word ? T_WORD : T_NUM, 0, i, j - i, 0);
	return j;
}

/* Punctuation or an operator (the longest that matches) at i; any other
 * byte is one T_OTHER. Returns the offset after it. */
static size_t lex_punct(struct lex *L, const char *lo, size_t n, size_t i)
{
	static const struct { const char *s; int op; } ops[] = {
		{"<=>", O_CMP}, {"<>", O_CMP}, {"!=", O_CMP}, {"<=", O_CMP},
		{">=", O_CMP}, {"||", O_BOOL}, {"&&", O_BOOL}, {"::", O_CAST},
		{"=", O_CMP}, {"<", O_CMP}, {">", O_CMP}, {"!", O_NOT},
		{"~", O_NOT}, {"+", O_ARITH}, {"-", O_ARITH}, {"*", O_ARITH},
		{"/", O_ARITH}, {"%", O_ARITH}, {"^", O_ARITH}, {"&", O_ARITH},
		{"|", O_ARITH},
	};

	switch ((unsigned char)lo[i]) {
	case '(': push(L, T_LP, 0, i, 1, 0); return i + 1;
	case ')': push(L, T_RP, 0, i, 1, 0); return i + 1;
	case ',': push(L, T_COMMA, 0, i, 1, 0); return i + 1;
	case ';': push(L, T_SEMI, 0, i, 1, 0); return i + 1;
	case '.': push(L, T_DOT, 0, i, 1, 0); return i + 1;
	default: break;
	}
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (payload_at(lo, n, i, ops[k].s)) {
			size_t l = strlen(ops[k].s);

			push(L, T_OP, ops[k].op, i, l, 0);
			return i + l;
		}
	}
	push(L, T_OTHER, 0, i, 1, 0);
	return i + 1;
}

/* Lex lo[0..n). q != 0: the value starts inside a string quoted with q;
 * returns 0 when that string never closes (the value is only data). */
int sqli_lex(struct lex *L, const char *lo, size_t n, char q)
{
	size_t i = 0;
	int in_exec = 0;

	L->brk = L->pbrk = L->num = L->start = L->lead_cmt = L->any_cmt = 0;
	L->bq = 0;
	L->lo = lo;
	L->n = n;
	L->nt = 0;
	if (q) {
		if (!lex_break(L, lo, n, q))
			return 0;
		i = L->bq + 1;
	}
	while (i < n) {
		size_t next = lex_skip(L, lo, n, i, &in_exec);
		unsigned char c = (unsigned char)lo[i];

		if (next != i) {
			i = next;
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
		if (c >= '0' && c <= '9') {
			i = lex_number(L, lo, n, i);
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
			while (j < n && word_char((unsigned char)lo[j]) && !sql_space(lo, j))
				j++;
			if (j < n && lo[j] == '\'' && sqli_more_str_prefix(lo, n, i, j)) {
				int open; /* x'41', N'a', _utf8'a': one literal */
				size_t e = str_end(lo, n, j, '\'', &open);
				push(L, T_STR, 0, i, e - i, open);
				i = e;
				continue;
			}
			push(L, T_WORD, 0, i, j - i, 0);
			i = j;
			continue;
		}
		i = lex_punct(L, lo, n, i);
	}
	if (!q)
		bare_start(L);
	return 1;
}

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

static int danger_name(const struct lex *L, int i)
{
	for (size_t k = 0; k < sizeof(danger_fn) / sizeof(danger_fn[0]); k++)
		if (tok_is(L, i, danger_fn[k]))
			return 1;
	return 0;
}

/* Is L->t[i] a well-formed call of a dangerous function? Timing functions
 * must get a number (or arithmetic on numbers) first. */
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

static int sql_fn_call(const struct lex *L, int i)
{
	if (i + 1 >= L->nt || L->t[i + 1].t != T_LP)
		return 0;
	for (size_t k = 0; k < sizeof(sql_fn) / sizeof(sql_fn[0]); k++)
		if (tok_is(L, i, sql_fn[k]))
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
				if (is_kw(L, k, K_SELECT))
					o->sub = 1;
				if (is_kw(L, k, K_CASE) && cond_at(L, k))
					o->cond = 1;
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
	return is_bool(L, e) || L->t[e].t == T_RP || L->t[e].t == T_SEMI ||
	       is_kw(L, e, K_LIMIT) || is_kw(L, e, K_ORDER) || is_kw(L, e, K_GROUP);
}

/* A select list that looks like SQL: several items, a FROM, a literal or
 * call, or a comment right after. */
int sqli_select_list(const struct lex *L, int j)
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
				     L->t[i + 1].t == T_VAR);
	if (is_kw(L, i, K_DECLARE))
		return i + 1 < n && L->t[i + 1].t == T_VAR;
	if (is_kw(L, i, K_SET)) /* SET @v=, SET GLOBAL general_log= */
		return i + 2 < n && (L->t[i + 1].t == T_VAR || (tok_is(L, i + 1, "global") && i + 3 < n &&
							       L->t[i + 3].t == T_OP && L->lo[L->t[i + 3].off] == '='));
	if (is_kw(L, i, K_SHUTDOWN))
		return i + 1 >= n || L->t[i].cmt || L->t[i + 1].t == T_SEMI;
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
		/* COPY (SELECT ...) TO PROGRAM '...' */
		if (i + 1 < n && L->t[i + 1].t == T_LP && is_kw(L, i + 2, K_SELECT))
			k = sqli_close_paren(L, i + 1);
		return k > i && k < n && (L->t[i + 1].t == T_WORD || L->t[i + 1].t == T_LP) &&
		       (is_kw(L, k, K_FROM) || tok_is(L, k, "to"));
	}
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
