/* payload_sqli_head.c - SQL injection: rules on the head of the injected
 * part (right after the value: its number, its one word, the string
 * break or the ')' that closed it), on the token stream sqli_lex builds
 * (payload_sqli_int.h):
 *  - a stacked SELECT of one literal (1;select 1, 1); select null--):
 *    the shortest stacked-query probe. The ';' must follow the value
 *    itself, so "tap the menu; select 1" (a sentence before the ';') is
 *    not read, and a word before it needs a comment after ("Ok; select
 *    'yes'" is a reply); ';' and SELECT are a pair the quiet gate
 *    already counts;
 *  - a boolean on a call of a SQL function whose arguments are all
 *    literals (abc AND FIELD(1,1), 1 OR LOCATE('a','a')): a constant
 *    predicate, true or false whatever the row, which only a probe
 *    writes; it needs a '(' (the gate lets every value with one through).
 *    After a plain word or number (no break, no ')' closing the value)
 *    the call must be of a function only SQL has, and after a word also
 *    evidently constant (equal literals, FIND_IN_SET('a','a,b')) or cut
 *    by a comment:
 *    "Total or ROUND(12.5, 2)", "name or CONCAT('a','b')" are formula
 *    help and forum titles; after a number any call cut by a comment
 *    still counts (1 AND ABS(1)--). No finding otherwise.
 */

#include "collector/detect/payload_sqli_int.h"

#include <stdlib.h>

/* functions a constant predicate is built from: each returns a number
 * for literal arguments (FIELD(1,1) is 1, LOCATE('a','a') is 1) */
static const char *const const_fn[] = {
	"field", "locate", "find_in_set", "bit_count", "coalesce", "strcmp",
	"abs", "sign", "instr", "ascii", "ord", "length", "char_length",
	"greatest", "least", "elt", "make_set", "nullif", "ifnull", "isnull",
	"iif", "if", "position", "interval", "crc32", "conv", "octet_length",
	"bit_length", "unicode", "char", "chr", "hex", "unhex", "md5", "sha1",
	"soundex", "repeat", "concat", "substr", "substring", "mid", "left",
	"right", "lower", "upper", "reverse", "rand", "floor", "ceil", "ceiling",
	"round", "sqrt", "pow", "power", "mod",
};

static int lit_tok(const struct lex *L, int i)
{
	return i >= 0 && i < L->nt && (L->t[i].t == T_NUM || (L->t[i].t == T_STR && !L->t[i].open) ||
				       is_kw(L, i, K_NULL) || is_kw(L, i, K_TRUE) || is_kw(L, i, K_FALSE));
}

/* functions only SQL has: after a plain word or number (no break, no
 * ')' before) a spreadsheet or prose call (ROUND, CONCAT, LEFT, IF,
 * POWER: "Total or ROUND(12.5, 2)") is no probe; these names are */
static const char *const sql_only_fn[] = {
	"field", "locate", "find_in_set", "elt", "make_set", "strcmp", "instr",
	"bit_count", "crc32", "conv", "coalesce", "nullif", "ifnull", "isnull",
	"octet_length", "bit_length",
};

static int fn_in(const struct lex *L, int i, const char *const *fn, size_t nfn)
{
	size_t f;

	for (f = 0; f < nfn; f++)
		if (tok_is(L, i, fn[f]))
			return 1;
	return 0;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* the text of literal t[k] (a closed string without its quotes; a hex
 * number 0x61 or x'61' as the bytes it spells, into buf, as MySQL reads
 * it in a string context: LOCATE(0x61,'ab')) */
static void lit_text(const struct lex *L, int k, const char **p, size_t *l, char buf[64])
{
	const char *s = L->lo + L->t[k].off;
	size_t n = L->t[k].len, h = 0;

	*p = s;
	*l = n;
	if (L->t[k].t == T_STR && n >= 3 && s[0] == 'x' && s[1] == '\'') {
		s += 2; /* x'61' */
		n -= 3;
	} else if (L->t[k].t == T_NUM && n >= 3 && s[0] == '0' && s[1] == 'x') {
		s += 2;
		n -= 2;
	} else {
		if (L->t[k].t == T_STR && n >= 2) {
			(*p)++;
			*l -= 2;
		}
		return;
	}
	if (n % 2 || n > 128)
		return;
	for (size_t j = 0; j < n; j += 2) {
		int hi = hexval((unsigned char)s[j]), lo = hexval((unsigned char)s[j + 1]);

		if (hi < 0 || lo < 0)
			return;
		buf[h++] = (char)(hi << 4 | lo);
	}
	*p = buf;
	*l = h;
}

/* needle is in hay: as one item of its comma list (items), or anywhere */
static int lit_in(const char *n, size_t nl, const char *h, size_t hl, int items)
{
	size_t j, s = 0;

	if (!items) {
		for (j = 0; nl && j + nl <= hl; j++)
			if (memcmp(h + j, n, nl) == 0)
				return 1;
		return 0;
	}
	for (j = 0; j <= hl; j++)
		if (j == hl || h[j] == ',') {
			if (j - s == nl && memcmp(h + s, n, nl) == 0)
				return 1;
			s = j + 1;
		}
	return 0;
}

/* the number a literal's text p[0..l) spells (digits, one '.', a sign;
 * "1", "1.0", "'1'" alike, as MySQL compares them), into *v; 0 when it
 * spells none */
static int lit_num(const char *p, size_t l, double *v)
{
	char b[32];
	char *end;

	if (l == 0 || l >= sizeof(b))
		return 0;
	/* 0x1: a number in a numeric context (FIELD(1,0x1)) */
	if (l > 2 && l <= 10 && p[0] == '0' && p[1] == 'x') {
		unsigned long h = 0;

		for (size_t k = 2; k < l; k++) {
			int d = hexval((unsigned char)p[k]);

			if (d < 0)
				return 0;
			h = h << 4 | (unsigned)d;
		}
		*v = (double)h;
		return 1;
	}
	for (size_t k = 0; k < l; k++)
		if (!((p[k] >= '0' && p[k] <= '9') || p[k] == '.' || (k == 0 && (p[k] == '-' || p[k] == '+'))))
			return 0;
	memcpy(b, p, l);
	b[l] = '\0';
	*v = strtod(b, &end);
	return end == b + l;
}

/* the call at t[i] (its ')' ends before e) is evidently constant: two
 * equal literal arguments (FIELD(1,1), LOCATE('a','a')), or its first
 * argument found in its second (FIND_IN_SET('a','a,b'), LOCATE('a','ab'),
 * INSTR('ab','a')). Arguments are the literals at i+2, i+4, ... */
static int evident_const(const struct lex *L, int i, int e)
{
	const char *p, *q;
	size_t pl, ql;
	int a, b;
	char pb[64], qb[64];

	for (a = i + 2; a < e - 1; a++) {
		if (!lit_tok(L, a))
			continue;
		for (b = a + 1; b < e - 1; b++) {
			if (!lit_tok(L, b))
				continue;
			double x, y;

			lit_text(L, a, &p, &pl, pb);
			lit_text(L, b, &q, &ql, qb);
			if (pl == ql && memcmp(p, q, pl) == 0 && L->t[a].t == L->t[b].t)
				return 1;
			/* FIELD(1,1.0), FIELD('1',1), FIELD(1,0x1): equal as
			 * numbers (the token's own text: 0x1 is the number 1) */
			if (lit_num(L->lo + L->t[a].off + (L->t[a].t == T_STR),
				    L->t[a].len - 2 * (L->t[a].t == T_STR), &x) &&
			    lit_num(L->lo + L->t[b].off + (L->t[b].t == T_STR),
				    L->t[b].len - 2 * (L->t[b].t == T_STR), &y) && x == y)
				return 1;
		}
	}
	/* two string arguments (a hex number spells one: 0x61 is 'a') */
	if (e - i != 6 || !lit_tok(L, i + 2) || !lit_tok(L, i + 4) ||
	    (L->t[i + 2].t != T_STR && (L->t[i + 2].len < 3 || L->lo[L->t[i + 2].off + 1] != 'x')) ||
	    (L->t[i + 4].t != T_STR && (L->t[i + 4].len < 3 || L->lo[L->t[i + 4].off + 1] != 'x')))
		return 0;
	lit_text(L, i + 2, &p, &pl, pb);
	lit_text(L, i + 4, &q, &ql, qb);
	if (pl > 64 || ql > 64) /* bounds the substring search: no probe is long */
		return 0;
	if (tok_is(L, i, "find_in_set"))
		return lit_in(p, pl, q, ql, 1);
	if (tok_is(L, i, "locate"))
		return lit_in(p, pl, q, ql, 0);
	if (tok_is(L, i, "instr"))
		return lit_in(q, ql, p, pl, 0);
	return 0;
}

/* the boolean's call t[i] (ending before e) after a plain word: a
 * SQL-only function evidently constant or cut by a comment; after a
 * number: a SQL-only function (1 AND COALESCE(1,0)), or any constant
 * call cut by a comment (1 AND ABS(1)--) */
static int plain_head_ok(const struct lex *L, int i, int e, int neg)
{
	int cmt = L->t[e - 1].cmt;

	/* ... negated (NOT FIELD(1,2)): constant whatever its literals */
	if (fn_in(L, i, sql_only_fn, sizeof(sql_only_fn) / sizeof(sql_only_fn[0])))
		return cmt || L->num || neg || evident_const(L, i, e);
	return L->num && cmt;
}

/* index of the first token of the injected part: after the break and its
 * ')', after a value closed by ')', after a leading number, or after a
 * leading word (abc AND ...); -1 when the value opens otherwise */
static int head_at(const struct lex *L)
{
	if (L->brk || L->pbrk)
		return skip_rp(L, L->start);
	if (L->num)
		return L->start;
	if (L->nt >= 2 && L->t[0].t == T_WORD && L->t[0].kw == K_NONE)
		return 1;
	return -1;
}

/* t[i] is a call of const_fn glued to its '(' whose arguments are
 * literals (a '-' before a number too): the index after its ')', or -1.
 * A lone number argument counts only with one set or a comment after. */
static int const_call(const struct lex *L, int i, int one)
{
	int n = L->nt, k, args = 0, str = 0;
	size_t f;

	/* glued to its '(' ("Price and Floor (3.7)" is prose), but for the
	 * functions only SQL has: MySQL reads "FIELD (1,1)" as a call */
	if (i + 2 >= n || L->t[i].t != T_WORD || L->t[i + 1].t != T_LP ||
	    (L->t[i + 1].off != L->t[i].off + L->t[i].len &&
	     !fn_in(L, i, sql_only_fn, sizeof(sql_only_fn) / sizeof(sql_only_fn[0]))))
		return -1;
	for (f = 0; f < sizeof(const_fn) / sizeof(const_fn[0]); f++)
		if (tok_is(L, i, const_fn[f]))
			break;
	if (f == sizeof(const_fn) / sizeof(const_fn[0]))
		return -1;
	for (k = i + 2; k < n && k < i + 24; k++) {
		if (L->t[k].t == T_OP && L->lo[L->t[k].off] == '-' && L->t[k].len == 1 &&
		    k + 1 < n && L->t[k + 1].t == T_NUM)
			k++;
		if (!lit_tok(L, k))
			return -1;
		args++;
		str |= L->t[k].t == T_STR;
		/* one number alone ("5 or ABS(2)") is a constant only after a
		 * break, or when a comment cuts the rest */
		if (k + 1 < n && L->t[k + 1].t == T_RP)
			return args > 1 || str || one || L->t[k + 1].cmt ? k + 2 : -1;
		if (k + 1 >= n || L->t[k + 1].t != T_COMMA)
			return -1;
		k++;
	}
	return -1;
}

/* the value may end at e: its end, or a comment cuts the rest */
static int ends_here(const struct lex *L, int e)
{
	return e >= L->nt || (e > 0 && L->t[e - 1].cmt);
}

/* NOT or '!' at i: 1 */
static int not_at(const struct lex *L, int i)
{
	return is_kw(L, i, K_NOT) ||
	       (i < L->nt && L->t[i].t == T_OP && L->t[i].op == O_NOT && L->lo[L->t[i].off] == '!');
}

/* after a constant call ending before e, more of the same predicate: a
 * boolean and a literal or a constant call (FIELD(1,1) AND 1, ... OR
 * NOT 0): the index after the last; at most 8 */
static int const_tail(const struct lex *L, int e)
{
	for (int r = 0; r < 8 && e < L->nt && is_bool(L, e) && !L->t[e - 1].cmt; r++) {
		int k = e + 1 + not_at(L, e + 1), f;

		if (lit_tok(L, k))
			e = k + 1;
		else if ((f = const_call(L, k, 1)) > 0)
			e = f;
		else
			break;
	}
	return e;
}

void sqli_head_rules(const struct lex *L, struct payload_acc *a)
{
	int n = L->nt, h = head_at(L), e;

	if (h < 0 || h >= n)
		return;
	/* 1;select 1  1); select null--  x';select 'a'# */
	if (L->t[h].t == T_SEMI && is_kw(L, h + 1, K_SELECT) && h + 2 < n &&
	    (lit_tok(L, h + 2) || L->t[h + 2].t == T_VAR) && ends_here(L, h + 3) &&
	    (L->num || L->brk || L->pbrk || L->t[h + 2].cmt))
		payload_acc_hit(a, PAYLOAD_SQLI, 75, "stacked select of a literal after the value");
	if (!is_bool(L, h) || h + 1 >= n)
		return;
	/* abc AND FIELD(1,1)  1 OR LOCATE('a','a')--  abc AND NOT FIELD(1,2) */
	int c = h + 1, neg = not_at(L, c);

	c += neg;
	e = const_call(L, c, L->brk || L->pbrk || neg);
	if (e > 0 && ends_here(L, const_tail(L, e)) &&
	    (L->brk || L->pbrk || plain_head_ok(L, c, e, neg)))
		payload_acc_hit(a, PAYLOAD_SQLI, 70, "boolean on a constant function call");
}
