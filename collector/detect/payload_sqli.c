/* payload_sqli.c - SQL injection, the language half: a small SQL lexer (strings,
 * numbers, words, variables, operators, comments, MySQL versioned comments).
 * The expression grammar over its tokens is in payload_sqli_expr.c. */
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
		{"~", O_NOT}, {"->>", O_ARITH}, {"->", O_ARITH}, /* JSON's field: data->>'role' */
		{"+", O_ARITH}, {"-", O_ARITH}, {"*", O_ARITH},
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

/* PostgreSQL's dollar-quoted string at lo[i] ('$'): $$..$$ or $tag$..$tag$
 * (a tag of letters and '_'); the offset after its closing tag, or 0 when
 * it is no opening tag or never closes. The caller tries again only while
 * *none is 0, so a value of many unclosed '$$' is searched once. */
static size_t dollar_end(const char *lo, size_t n, size_t i, int *none)
{
	size_t t = i + 1;

	while (t < n && t < i + 17 && ((lo[t] >= 'a' && lo[t] <= 'z') || lo[t] == '_'))
		t++;
	if (t >= n || lo[t] != '$')
		return 0;
	size_t tl = t + 1 - i;
	for (size_t j = t + 1; j + tl <= n; j++) {
		const char *d = memchr(lo + j, '$', n - j);
		if (!d || (size_t)(d - lo) + tl > n)
			break;
		j = (size_t)(d - lo);
		if (memcmp(lo + j, lo + i, tl) == 0)
			return j + tl;
	}
	*none = 1;
	return 0;
}

/* Lex lo[0..n). q != 0: the value starts inside a string quoted with q;
 * returns 0 when that string never closes (the value is only data). */
int sqli_lex(struct lex *L, const char *lo, size_t n, char q)
{
	size_t i = 0;
	int in_exec = 0, no_dollar = 0;

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
		if (c == '$' && !no_dollar && (i == 0 || !word_char((unsigned char)lo[i - 1]))) {
			size_t e = dollar_end(lo, n, i, &no_dollar);
			if (e) { /* $$a$$: a string */
				push(L, T_STR, 0, i, e - i, 0);
				i = e;
				continue;
			}
		}
		/* MySQL's \N is NULL: 1 AND \N IS NULL */
		if (c == '\\' && i + 1 < n && lo[i + 1] == 'n' && (i + 2 >= n || !word_char((unsigned char)lo[i + 2])) &&
		    (i == 0 || !word_char((unsigned char)lo[i - 1]))) {
			int k = L->nt;
			push(L, T_WORD, 0, i, 2, 0);
			if (L->nt > k)
				L->t[k].kw = K_NULL;
			i += 2;
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
