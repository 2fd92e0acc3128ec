/* payload_sqli_gate.c - SQL injection: the quiet gate. A value on which no
 * rule of payload_sqli_rules.c can fire is not lexed (sqli_quiet).
 *
 * Most values an API carries (names, cities, e-mails, dates, "p37") hold a
 * letter, and the lexer and every rule ran on each. sqli_quiet
 * proves from the rules' code that none can fire, without lexing.
 *
 * With none of ' " ` in the value, only the bare context is lexed (each
 * other context needs its quote to break out), no T_STR token exists, and
 * the probe (it needs ' and ") cannot fire. With no '(', "||" or "&&"
 * there is no T_LP or O_BOOL (a lone '&' or '|' is arithmetic, and
 * url_parts found no "&name=" to split at). A T_SEMI matters only to a
 * stacked statement (sqli_statement_at: a word of TR_STMT after it, or IF
 * and CALL, which need a T_LP) or
 * right after a break (below); a ';' is the TR_SEMI half of that pair.
 * Without "/ *" and with fewer than three '%' before an alphanumeric byte,
 * no comment-joined or '%'-dropped reading is judged. Then, reading the
 * rules over such a token stream:
 *  - rules_value_start: its comparison fires on an operand with a query,
 *    call, conditional or delay: each needs T_LP, or CASE then WHEN
 *    (cond_at); the inline query needs T_LP first. rules_after_break
 *    needs a quote.
 *  - rules_boolean runs only at OR, AND, XOR (or O_BOOL). At OR or AND
 *    each of its findings needs (TR_CMP) a comparison (an operator with
 *    '=', '<', '>' or '!', or LIKE, RLIKE, REGEXP, IN, BETWEEN, IS, NOT),
 *    TRUE, FALSE or NOT after a number, OData's EQ/GE/LE, a comment ('#',
 *    "--"), a value closed by ')' (pbrk) or a break (a quote); or a
 *    T_LP, CASE WHEN (excluded or loud already).
 *  - rules_statement: WHERE, HAVING; UNION with SELECT after it; the
 *    names of sqli_mssql_procs; T_SEMI then a statement; WAITFOR needs a
 *    T_STR; a dangerous call needs T_LP next.
 *  - rules_probe: a name of sqli_schema_words ("mysql" for mysql.user);
 *    "@@"; ORDER or GROUP, then BY; INTO, then OUTFILE or DUMPFILE; the
 *    rest need T_LP.
 *  - rules_operator: DIV, LIMIT; CASE then WHEN; a list item needs T_LP.
 *  - payload_sqli_tail.c's COPY ... PROGRAM: both words (a pair); its
 *    RLIKE or REGEXP after a number needs that word (TR_ALONE); its
 *    UNION SELECT with a keyword nested in itself (UNIUNIONON,
 *    SELSELECTECT) counts the nested run as UNION or SELECT (trig_run);
 *    its sort list item and compared queries need T_LP.
 *  - the operands, comparisons and select lists these rules parse (CASE
 *    without WHEN a call, ORDER or GROUP an end) are read only inside
 *    a rule that one of the words above opened.
 * So each finding needs "@@", or a T_WORD token that is a word of
 * trig_kw marked TR_ALONE or a name above, or both words of a pair. Such
 * a token is a whole run of [a-z_] in lo: a word token is a longest run
 * of word_char (letters, digits, '_', '$', bytes >= 0x80) after a byte
 * that is none of them, none of which but letters and '_' stays in the
 * run, and these words have no digit, '$' or high byte; or it is a
 * keyword that lex_number split from a number (1union, 0xor, 2.and,
 * 1e5union), whose run starts after a digit or '.', or is Oracle's d/f
 * suffix and the keyword (1dunion: "dunion"). lo is lower-cased ASCII, so
 * upper case is looked at too; a 0xA0 blank or a multi-byte letter ends a
 * run (never a keyword's byte). A pair is counted when both words occur
 * anywhere, whatever lies between them.
 *
 * One kind of quote (' or ", not both: the probe needs both) opens its
 * context too: the value lexed from after its first unescaped quote
 * (lex_break), the query's string closed there. Strings (T_STR) then
 * occur, in the bare context as well, and add to the list above only
 * WAITFOR (its DELAY and a string). rules_after_break fires on the first
 * token after the break and any ')' (skip_rp): a comment when nothing
 * else follows (so no '#' or "--" may occur), ';' or an operator (a byte
 * of break_ops starts each CMP, ARITH and BOOL operator), or ORDER/GROUP BY
 * (a pair above); and rules_value_start compares there with an operand
 * that needs T_LP or CASE WHEN. payload_sqli_dml.c's SET list (a ','
 * there, then name '=') ends in a comment (loud) or in a string left open
 * for the query's quote: a ',' there with an '=' after it is loud.
 * payload_sqli_more.c's overflow after AND/OR (1 and ~0+1: no '(' and
 * no comparison) needs "~0", its empty-string probe (8616' ') a value
 * ending in a blank and a ': both doors are sqli_quiet's.
 * sqli_quiet first tries that proof on the byte census alone
 * (quiet_letters: a word can occur only if all its letters do), and walks
 * lo (quiet_walk) only when the census cannot rule a loud value out.
 * tests/unit/test_payload_sqli.c sends an attack through each door;
 * tests/unit/test_payload_exits.c through the census proof's. */

#include "collector/detect/payload_shape.h"
#include "collector/detect/payload_sqli_int.h"

#include <stdlib.h>

/* what a trigger word is: alone enough, or one half of a pair */
enum {
	TR_ALONE = 1,
	TR_ORDER = 2, TR_BY = 4,       /* ORDER or GROUP, BY */
	TR_CASE = 8, TR_WHEN = 16,     /* CASE, WHEN */
	TR_UNION = 32, TR_SELECT = 64, /* UNION, SELECT */
	TR_INTO = 128, TR_FILE = 256,  /* INTO, OUTFILE or DUMPFILE */
	TR_WAIT = 512,                 /* WAITFOR, with a quote in the value */
	TR_SEMI = 1024, TR_STMT = 2048, /* ';', a statement's first word */
	TR_BOOL = 4096, TR_CMP = 8192, /* OR or AND, what its rules need */
	TR_COPY = 16384, TR_PROG = 32768, /* COPY, PROGRAM */
};

/* each pair is a bit and the bit above it: both set in b when b & b >> 1
 * holds the lower one */
#define TR_PAIRS (TR_ORDER | TR_CASE | TR_UNION | TR_INTO | TR_SEMI | TR_BOOL | TR_COPY)
static inline int trig_loud(unsigned b)
{
	return (b & TR_ALONE) || (b & (b >> 1) & TR_PAIRS);
}

static const struct {
	int kw;
	unsigned bits;
} trig_kw[] = {
	{K_OR, TR_BOOL}, {K_AND, TR_BOOL}, {K_XOR, TR_ALONE}, {K_WHERE, TR_ALONE},
	{K_HAVING, TR_ALONE}, {K_DIV, TR_ALONE}, {K_LIMIT, TR_ALONE},
	{K_ORDER, TR_ORDER}, {K_GROUP, TR_ORDER}, {K_BY, TR_BY},
	{K_CASE, TR_CASE}, {K_WHEN, TR_WHEN}, {K_UNION, TR_UNION},
	{K_SELECT, TR_SELECT | TR_STMT}, {K_INTO, TR_INTO}, {K_WAITFOR, TR_WAIT | TR_STMT},
	/* the statements sqli_statement_at knows ("if" and "call" need a T_LP) */
	{K_INSERT, TR_STMT}, {K_UPDATE, TR_STMT}, {K_DELETE, TR_STMT}, {K_DROP, TR_STMT},
	{K_CREATE, TR_STMT}, {K_ALTER, TR_STMT}, {K_TRUNCATE, TR_STMT}, {K_EXEC, TR_STMT},
	{K_EXECUTE, TR_STMT}, {K_DECLARE, TR_STMT}, {K_SET, TR_STMT}, {K_SHUTDOWN, TR_STMT},
	{K_GRANT, TR_STMT},
	/* comparisons and constants after OR / AND (sqli_cmp_op, rules_boolean) */
	{K_LIKE, TR_CMP}, {K_RLIKE, TR_CMP | TR_ALONE}, {K_REGEXP, TR_CMP | TR_ALONE}, {K_IN, TR_CMP},
	{K_BETWEEN, TR_CMP}, {K_IS, TR_CMP}, {K_NOT, TR_CMP}, {K_TRUE, TR_CMP},
	{K_FALSE, TR_CMP},
};

#define TRIG_SLOTS 256u /* power of two, over four times the words */
#define TRIG_LEN 24     /* longer than any word */
static const char *trig_name[TRIG_SLOTS];
static uint8_t trig_len[TRIG_SLOTS];
static uint16_t trig_bits[TRIG_SLOTS];
/* bit c - 'a' of trig_first[l]: some word of l bytes starts with c (a
 * run that starts otherwise is looked up no further) */
static uint32_t trig_first[TRIG_LEN];
/* the bytes sqli_quiet acts at: Q_RUN [a-z_], Q_MARK the punctuation */
enum { Q_RUN = 1, Q_MARK = 2 };
static uint8_t q_class[256];

static unsigned trig_hash(const char *w, size_t l)
{
	return ((unsigned)l * 13u + (unsigned char)w[0] * 7u + (unsigned char)w[1] * 3u +
		(unsigned char)w[l - 1]) & (TRIG_SLOTS - 1);
}

/* The words by the letters they hold, for quiet_letters. A word whose
 * letters include all of another's and whose TR_ bits are among the
 * other's adds nothing (wherever it may occur, the other may too) and is
 * left out: 53 of the 65 remain. Word k then has the TR_ bits
 * trig_wbits[k], and bit k of trig_sub[g][x] is set when its letters in
 * group g (seven of the 27 bits of trig_letters, 'a'..'z' then '_') are
 * all in the set x. */
#define TRIG_WORDS 128u
static unsigned trig_nall, trig_nw;
static uint16_t trig_wbits_all[TRIG_WORDS];
static uint32_t trig_wmask[TRIG_WORDS];
static uint16_t trig_wbits[64];
static uint64_t trig_sub[4][128];

/* bit c - 'a' for each letter of w[0..l), bit 26 for '_' */
static uint32_t trig_letters(const char *w, size_t l)
{
	uint32_t m = 0;

	for (size_t i = 0; i < l; i++)
		m |= w[i] == '_' ? 1u << 26 : 1u << (w[i] - 'a');
	return m;
}

/* is word i (of trig_wmask, bits bi) left out for word j? */
static int trig_covered(unsigned i, unsigned j, const uint16_t *bits)
{
	uint32_t mi = trig_wmask[i], mj = trig_wmask[j];

	if (i == j || (mj & ~mi) || (bits[i] & ~bits[j]))
		return 0;
	return mi != mj || bits[i] != bits[j] || j < i;
}

static void trig_letters_init(const uint16_t *bits)
{
	for (unsigned i = 0; i < trig_nall; i++) {
		unsigned j = 0, k;

		while (j < trig_nall && !trig_covered(i, j, bits))
			j++;
		if (j < trig_nall)
			continue;
		if ((k = trig_nw++) >= 64)
			abort(); /* more words than a mask holds */
		trig_wbits[k] = bits[i];
		for (unsigned g = 0; g < 4; g++)
			for (unsigned x = 0; x < 128; x++)
				if ((((trig_wmask[i] >> (7 * g)) & 127u) & ~x) == 0)
					trig_sub[g][x] |= 1ull << k;
	}
}

static void trig_add(const char *w, unsigned bits)
{
	size_t l = strlen(w);
	unsigned h;

	if (l < 2 || l >= TRIG_LEN || strchr(w, '.'))
		return;
	if (trig_nall >= TRIG_WORDS)
		abort();
	trig_wmask[trig_nall] = trig_letters(w, l);
	trig_wbits_all[trig_nall++] = (uint16_t)bits;
	for (h = trig_hash(w, l); trig_name[h]; h = (h + 1) & (TRIG_SLOTS - 1))
		;
	trig_name[h] = w;
	trig_len[h] = (uint8_t)l;
	trig_bits[h] = (uint16_t)bits;
	trig_first[l] |= 1u << (w[0] - 'a'); /* every word starts with a letter */
}

__attribute__((constructor)) static void trig_init(void)
{
	for (size_t k = 0; k < sizeof(trig_kw) / sizeof(trig_kw[0]); k++)
		trig_add(sqli_kw_name(trig_kw[k].kw), trig_kw[k].bits);
	for (size_t k = 0; k < sqli_n_mssql_procs; k++)
		trig_add(sqli_mssql_procs[k], TR_ALONE);
	for (size_t k = 0; k < sqli_n_schema_words; k++)
		trig_add(sqli_schema_words[k], TR_ALONE);
	trig_add("mysql", TR_ALONE); /* mysql.user, read as mysql . user */
	trig_add("outfile", TR_FILE);
	trig_add("dumpfile", TR_FILE);
	/* payload_sqli_tail.c: COPY t FROM PROGRAM 'id' as the whole value
	 * (its quote is no break: nothing but a letter follows it) */
	trig_add("copy", TR_STMT | TR_COPY);
	trig_add("program", TR_PROG);
	trig_add("attach", TR_STMT);
	trig_add("begin", TR_STMT);
	trig_add("eq", TR_CMP); /* OData */
	trig_add("ge", TR_CMP);
	trig_add("le", TR_CMP);
	trig_letters_init(trig_wbits_all);
	for (int c = 'a'; c <= 'z'; c++)
		q_class[c] = Q_RUN;
	q_class['_'] = Q_RUN;
	for (const char *m = ";=<>!)#-/@&|%"; *m; m++)
		q_class[(unsigned char)*m] = Q_MARK;
}

/* the TR_ bits of the run w[0..l) of [a-z_], or 0 */
static unsigned trig_word(const char *w, size_t l)
{
	for (unsigned h = trig_hash(w, l); trig_name[h]; h = (h + 1) & (TRIG_SLOTS - 1))
		if (trig_len[h] == l && memcmp(trig_name[h], w, l) == 0)
			return trig_bits[h];
	return 0;
}

/* does a word of l bytes start with the run byte c? */
static inline int trig_may(unsigned char c, size_t l)
{
	unsigned k = (unsigned)c - 'a';

	return l < TRIG_LEN && k < 26 && ((trig_first[l] >> k) & 1);
}

static inline unsigned trig_run(const char *w, size_t l)
{
	unsigned b = 0;

	/* 1dunion: lex_number reads "1d" and "union" */
	if ((w[0] == 'd' || w[0] == 'f') && l >= 3 && trig_may((unsigned char)w[1], l - 1))
		b = trig_word(w + 1, l - 1);
	/* UNIUNIONON, SELSELECTECT: UNION and SELECT as a filter leaves them */
	if ((l == 10 || l == 12) && (w[0] == 'u' || w[0] == 's') && sqli_tail_nested(w, l))
		b |= w[0] == 'u' ? TR_UNION : TR_SELECT;
	return trig_may((unsigned char)w[0], l) ? b | trig_word(w, l) : b;
}

/* The context of quote q: after its first unescaped q (as lex_break
 * finds it; else its first backslash-escaped q), blanks (as sql_space)
 * and ')', does an operator start? */
static int break_quiet(const char *lo, size_t n, char q)
{
	static const char break_ops[] = "=<>!+-*/%^&|~;";
	size_t j, esc = n;

	for (j = 0; j < n && lo[j] != q; j++)
		if (lo[j] == '\\') {
			if (esc == n && j + 1 < n && lo[j + 1] == q)
				esc = j + 1;
			j++;
		}
	/* no break: the context is not lexed, unless a backslash stands
	 * before the quote, which standard SQL reads as no escape (the
	 * detector's reading without it, sqli_std_quotes) */
	if (j >= n)
		j = esc;
	if (j >= n)
		return 1;
	for (j++; j < n; j++) {
		unsigned char c = (unsigned char)lo[j];

		/* payload_sqli_dml.c: a SET list or a row continued to the
		 * query's own quote (x', is_admin='1) needs a ',' and an '=',
		 * in SQLI_SET_MAX bytes after the break at most (twice that
		 * when sqli_judge's reading drops a backslash before each
		 * quote) */
		if (c == ',')
			return n - j > (memchr(lo, '\\', n) ? 2 * SQLI_SET_MAX : SQLI_SET_MAX) ||
			       !memchr(lo + j, '=', n - j);
		if (!(c <= 0x20 || c == ')' || (c == 0xa0 && (unsigned char)lo[j - 1] < 0x80)))
			return !memchr(break_ops, c, sizeof(break_ops) - 1);
	}
	return 1;
}

/* a mark (q_class Q_MARK) at lo[i]: 1 when it makes the value loud */
static int quiet_mark(const char *lo, size_t n, size_t i, int quoted, unsigned *bits, int *pct)
{
	unsigned char c = (unsigned char)lo[i];
	int dash2 = c == '-' && i + 1 < n && lo[i + 1] == '-';

	if (c == ';' && trig_loud(*bits |= TR_SEMI))
		return 1;
	if ((c == '=' || c == '<' || c == '>' || c == '!' || c == ')' || c == '#' || dash2) &&
	    trig_loud(*bits |= TR_CMP))
		return 1;
	/* a comment after a break */
	if (quoted && (c == '#' || dash2))
		return 1;
	if (i + 1 >= n)
		return 0;
	if ((c == '/' && lo[i + 1] == '*') || (c == '@' && lo[i + 1] == '@') ||
	    ((c == '&' || c == '|') && lo[i + 1] == c))
		return 1;
	/* as payload_sqli_scan counts them for its '%'-dropped reading */
	return c == '%' && payload_is_alnum((unsigned char)lo[i + 1]) && ++*pct >= 3;
}

/* does c occur twice in a row in lo[0..n)? */
static int twice(const char *lo, size_t n, char c)
{
	const char *p = memchr(lo, c, n), *end = lo + n;

	for (; p && p + 1 < end; p = memchr(p + 1, c, (size_t)(end - p - 1)))
		if (p[1] == c)
			return 1;
	return 0;
}

/* The walk below without walking: 1 when, by the bytes v->has says lo
 * holds, the walk cannot return 0 before its last line (so sqli_quiet is
 * that line). Each word the walk can find is a run of lo's letters and
 * '_' (trig_run; for 1dunion the word after the d), so every letter of it
 * is in has: the TR_ bits of the words whose letters all occur, with those
 * the marks can add (TR_SEMI by ';', TR_CMP by one of =<>!)# or "--", or
 * by the quote), hold every bit the walk can gather, and trig_loud grows
 * with its bits. quiet_mark's other doors need '%', "&&", "||", "/ *",
 * "@@", or with a quote '#' or "--": with one of them possible the walk
 * decides. has is a superset (other builders set every bit): a byte it
 * does not hold does not occur in lo. */
#define B0(c) (1ull << (c))        /* bit of byte c < 64 in has[0] */
#define B1(c) (1ull << ((c) - 64)) /* bit of byte 64..127 in has[1] */

static inline int quiet_letters(const struct payload_val *v, int quoted)
{
	uint64_t h0 = v->has[0], h1 = v->has[1], w;
	/* 'a'..'z' are bits 33..58 of has[1], '_' bit 31 */
	uint32_t L = (uint32_t)((h1 >> ('a' - 64)) & ((1ull << 26) - 1)) |
		     (uint32_t)((h1 >> ('_' - 64)) & 1) << 26;
	unsigned bits = 0;

	if ((h0 & (B0('%') | B0('&') | (quoted ? B0('#') : 0))) || (h1 & B1('|')) ||
	    ((h0 >> '/') & (h0 >> '*') & 1))
		return 0;
	if (h0 & B0(';'))
		bits |= TR_SEMI;
	if (quoted || (h0 & (B0('=') | B0('<') | B0('>') | B0('!') | B0(')') | B0('#'))))
		bits |= TR_CMP;
	w = trig_sub[0][L & 127] & trig_sub[1][(L >> 7) & 127] & trig_sub[2][(L >> 14) & 127] &
	    trig_sub[3][L >> 21];
	for (; w; w &= w - 1)
		bits |= trig_wbits[__builtin_ctzll(w)];
	if (trig_loud(bits) || (quoted && (bits & TR_WAIT)))
		return 0;
	/* "--": a comment after a break, or TR_CMP */
	if ((h0 & B0('-')) && (quoted || trig_loud(bits | TR_CMP)) && twice(v->lo, v->n, '-'))
		return 0;
	return !(h1 & B1('@')) || !twice(v->lo, v->n, '@');
}

/* quiet_letters for a value that holds none of the bytes
 * payload_sqli_census_quiet's caller rules out (PAYLOAD_SQLI_MARKS: no
 * quote, '(', '`' or mark): bits gathers only the words' TR_ bits (no
 * TR_SEMI without ';', no TR_CMP without a mark or a quote), and each
 * later door needs a mark ("--", "@@"). With '-' the only mark the same
 * holds unless "--" occurs (payload.c's GATE_SQLI_DASH): a '-' adds no
 * TR_ bit, quiet_letters' and quiet_mark's doors and sqli_quiet's
 * leading-number test each need "--" */
int payload_sqli_census_quiet(const uint64_t has[4])
{
	uint64_t h1 = has[1], w;
	uint32_t L = (uint32_t)((h1 >> ('a' - 64)) & ((1ull << 26) - 1)) |
		     (uint32_t)((h1 >> ('_' - 64)) & 1) << 26;
	unsigned bits = 0;

	w = trig_sub[0][L & 127] & trig_sub[1][(L >> 7) & 127] & trig_sub[2][(L >> 14) & 127] &
	    trig_sub[3][L >> 21];
	for (; w; w &= w - 1)
		bits |= trig_wbits[__builtin_ctzll(w)];
	return !trig_loud(bits);
}

/* the walk: each run of [a-z_] looked up, each mark judged */
static __attribute__((noinline)) int quiet_walk(const struct payload_val *v, int sq, int dq)
{
	const char *lo = v->lo;
	size_t n = v->n, i = 0;
	unsigned bits = 0, b;
	int pct = 0;

	if (sq || dq)
		bits = TR_CMP; /* after a break OR and AND need nothing more */
	while (i < n) {
		unsigned k = q_class[(unsigned char)lo[i]];
		size_t from = i;

		if (k == 0) {
			i++;
			continue;
		}
		if (k == Q_MARK) {
			if (quiet_mark(lo, n, i, sq || dq, &bits, &pct))
				return 0;
			i++;
			continue;
		}
		while (i < n && q_class[(unsigned char)lo[i]] == Q_RUN)
			i++;
		if ((b = trig_run(lo + from, i - from)) &&
		    (trig_loud(bits |= b) || ((sq || dq) && (b & TR_WAIT))))
			return 0;
	}
	return !(sq || dq) || break_quiet(lo, v->n, sq ? '\'' : '"');
}

/* A User-Agent's parentheses. Every value with a '(' used to be lexed, and
 * a browser's User-Agent holds two ("Mozilla/5.0 (X11; Linux x86_64)
 * AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"):
 * ~9.7K instructions a request. sqli_ua_quiet proves, for values of that
 * grammar only, that sqli_judge finds nothing (payload_sqli*.c as of
 * de7f029; a rule added later that acts at a '(' after a number, or at
 * LIKE after a comma, must narrow it). What it accepts (lo):
 *  U1 bytes: a-z 0-9 '_' blank ( ) , ; . / : only (no quote, '`', '@',
 *     '$', '%', '&', '|', '#', '-', '*', '=', '<', '>', '!', '\\', '+',
 *     control or high byte), and lo[0] a letter;
 *  U2 each '(' has a blank before it, before that a run of digits and
 *     dots that starts with a digit, and '/' before the run ("/5.0 (",
 *     "/537.36 ("); a letter after it; no '(' again before its ')';
 *     each ')' closes one and is followed by a blank or the end;
 *  U3 a run of [a-z0-9_.] that starts with a digit holds no letter
 *     (5.0, 537.36, 10_15_7: one T_NUM; not 1union, 2.and, 1e5, 15e148:
 *     lex_number splits a keyword glued to a number);
 *  U4 a run of [a-z0-9_] that starts with a letter or '_' (a word token:
 *     the lexer's word_char run, '$' and high bytes being out by U1) is
 *     no keyword of the lexer (sqli_kw_name) and no trigger word of
 *     this file (trig_kw, the MSSQL procedures, the schema names,
 *     "mysql", "outfile", "dumpfile", "copy", "attach", "begin", "eq",
 *     "ge", "le"), but LIKE right after ", " ("(KHTML, like Gecko)").
 * The token stream sqli_lex makes of such a value: no quote, so only the
 * bare context is lexed (brk 0), no T_STR or T_VAR, no comment (cmt and
 * any_cmt 0: no '#', "--", "/ *"); T_WORD, T_NUM, T_OP '/' (O_ARITH),
 * T_DOT, T_COMMA, T_SEMI, T_LP, T_RP, and for ':' (Firefox's "rv:109.0")
 * T_OTHER or "::" (T_OP O_CAST). A T_OTHER is read only by
 * rules_boolean's "@a:=1" (after a boolean and a T_VAR), O_CAST only by
 * sqli_operand's chain, inside the rules below. t[0] is a word that is
 * no keyword (U1, U4), so bare_start leaves num 0, and pbrk 0 (t[1] is
 * no ')': the first ')' closes a '(' which has "/N " before it); every
 * T_LP follows a T_NUM (U2, U3: the run is one number token) that
 * follows '/', and a non-keyword word follows it; LIKE follows a comma
 * and is the only keyword. sqli_judge then:
 *  - the probe needs ' and "; the comment-joined reading "/ *", the
 *    backslash reading a quote, the '%'-dropped one '%' (U1);
 *  - rules_value_start: inj needs brk, pbrk or num; the inline query
 *    t[0] a '('. rules_after_break needs brk;
 *  - sqli_more_rules: order_by_query needs brk, pbrk or num; the rest
 *    needs t[f] a '(' where f follows t[1] an arithmetic operator (t[2]
 *    would be the '(': no number before it) or a comparison at t[1]
 *    (a keyword: not a comma's LIKE; a '(' after it has no number
 *    before it);
 *  - sqli_head_rules: head_at is 1 (t[0] a plain word): t[1] ';' then
 *    SELECT (a keyword), or t[1] a boolean (a keyword or "||" "&&");
 *  - the loop of sql_rules starts at a word, ';' or ','. rules_boolean
 *    needs OR, AND, XOR or "||" "&&". rules_statement: WHERE, HAVING,
 *    UNION, WAITFOR (keywords); ';' then sqli_statement_at: every
 *    branch needs a keyword, or "call" glued to a word then '(' (a '('
 *    after a word), "copy", "attach", "begin" (U4), "if" then '(';
 *    sqli_danger_call needs a '(' after the name; the MSSQL procedures
 *    (U4). rules_probe: the schema names (U4), "@@" (U1), ORDER or GROUP
 *    (keywords), ", (" (a '(' after a comma), PROCEDURE, "floor" then
 *    '(', INTO. rules_operator: DIV, LIMIT, CASE (keywords), the list
 *    rule num;
 *  - sqli_dml_rules: arith_rules needs a number or '(' first (t[0] is a
 *    word); the rest needs brk, pbrk or num;
 *  - sqli_tail_rules: order_dir a comment; if_whole and call_whole a '('
 *    glued to t[0]; div_zero num; copy_program "copy" (U4).
 * So no finding. Every comparison (sqli_cmp_op, LIKE's door) is asked
 * only inside those rules, after an operand ends, which a comma never
 * does. tests/unit/test_payload_exits.c (ua_cases) sends an attack past
 * each of U1..U4. */
#define UA_KW_SLOTS 256u /* power of two, over four times the keywords */
static const char *ua_kw_name[UA_KW_SLOTS];
static uint8_t ua_kw_len[UA_KW_SLOTS];
static uint8_t ua_kw_id[UA_KW_SLOTS];

__attribute__((constructor)) static void ua_kw_init(void)
{
	for (int k = K_NONE + 1; k < 256; k++) {
		const char *w = sqli_kw_name(k);
		size_t l = w ? strlen(w) : 0;
		unsigned h;

		if (l < 2)
			continue;
		for (h = trig_hash(w, l); ua_kw_name[h]; h = (h + 1) & (UA_KW_SLOTS - 1))
			;
		ua_kw_name[h] = w;
		ua_kw_len[h] = (uint8_t)l;
		ua_kw_id[h] = (uint8_t)k;
	}
}

/* the lexer's keyword id of the word w[0..l) (l >= 1, w[l] readable), or K_NONE */
static int ua_kw(const char *w, size_t l)
{
	for (unsigned h = trig_hash(w, l); ua_kw_name[h]; h = (h + 1) & (UA_KW_SLOTS - 1))
		if (ua_kw_len[h] == l && memcmp(ua_kw_name[h], w, l) == 0)
			return ua_kw_id[h];
	return K_NONE;
}

/* U1's bytes: blank ( ) , . / 0-9 : ; in has[0], '_' a-z in has[1] */
#define UA_OK0 (B0(' ') | B0('(') | B0(')') | B0(',') | B0('.') | B0('/') | B0(':') | B0(';') | (0x3ffull << '0'))
#define UA_OK1 (B1('_') | (((1ull << 26) - 1) << ('a' - 64)))

static inline int ua_digit(unsigned char c)
{
	return (unsigned)c - '0' < 10u;
}

static inline int ua_letter(unsigned char c)
{
	return (unsigned)c - 'a' < 26u;
}

static int sqli_ua_quiet(const struct payload_val *v)
{
	const char *lo = v->lo;
	size_t n = v->n, i = 0;
	int open = 0;

	if ((v->has[0] & ~UA_OK0) || (v->has[1] & ~UA_OK1) || v->has[2] || v->has[3] || !n ||
	    !ua_letter((unsigned char)lo[0]))
		return 0;
	while (i < n) {
		unsigned char c = (unsigned char)lo[i];
		size_t j = i;

		if (ua_letter(c) || c == '_') { /* U4 */
			int kw = K_NONE;

			while (j < n && ua_letter((unsigned char)lo[j]))
				j++;
			/* every keyword is 2 to 9 letters and no more (kw_lookup) */
			if (!(j < n && payload_is_alnum((unsigned char)lo[j])) && j - i >= 2 && j - i <= 9)
				kw = ua_kw(lo + i, j - i);
			while (j < n && payload_is_alnum((unsigned char)lo[j]))
				j++;
			if (kw == K_LIKE ? !(i >= 2 && lo[i - 1] == ' ' && lo[i - 2] == ',')
					 : kw != K_NONE || (trig_may(c, j - i) && trig_word(lo + i, j - i)))
				return 0;
			i = j;
		} else if (ua_digit(c)) { /* U3 */
			for (; j < n && (payload_is_alnum((unsigned char)lo[j]) || lo[j] == '.'); j++)
				if (ua_letter((unsigned char)lo[j]))
					return 0;
			i = j;
		} else if (c == '(' || c == ')') { /* U2 (payload_shape.c) */
			if (!payload_shape_ua_paren(lo, n, i, &open))
				return 0;
			i++;
		} else {
			i++; /* blank , ; . / : (U1) */
		}
	}
	return 1;
}


/* a '~' then '0', blanks or short C comments between (~0, ~ 0, or a
 * comment after the '~': MySQL reads each as ~0); each '~' looks at
 * most 64 bytes on */
static int tilde_zero(const char *lo, size_t n)
{
	for (const char *p = memchr(lo, '~', n); p; p = memchr(p + 1, '~', n - (size_t)(p + 1 - lo))) {
		size_t i = (size_t)(p - lo) + 1, lim = i + 64 < n ? i + 64 : n;

		while (i < lim) {
			if (lo[i] == ' ' || lo[i] == '\t' || lo[i] == '\n' || lo[i] == '\r') {
				i++;
			} else if (lo[i] == '/' && i + 1 < lim && lo[i + 1] == '*') {
				size_t e = payload_find(lo, lim, i + 2, "*/");

				if (e >= lim)
					break;
				i = e + 2;
			} else {
				if (lo[i] == '0')
					return 1;
				break;
			}
		}
		if (p + 1 >= lo + n)
			break;
	}
	return 0;
}

/* a '/', blanks (as sql_space) and a '0' (the divisor of 1 AND 1 / 0):
 * each '/' reads only the blanks after it, so the walk is linear */
static int slash_zero(const char *lo, size_t n)
{
	const char *p = memchr(lo, '/', n), *end = lo + n;

	for (; p; p = memchr(p, '/', (size_t)(end - p))) {
		for (p++; p < end && ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0xa0); p++)
			;
		if (p < end && *p == '0')
			return 1;
		if (p >= end)
			break;
	}
	return 0;
}

int sqli_quiet(const struct payload_val *v)
{
	uint64_t h0 = v->has[0];
	int sq = (h0 >> '\'') & 1, dq = (h0 >> '"') & 1;

	if ((sq && dq) || (v->has[1] & B1('`')))
		return 0;
	if (h0 & B0('('))
		return sqli_ua_quiet(v);
	/* payload_sqli_dml.c: a number's arithmetic cut by a comment (2-1-- -,
	 * 3-2#, " 2-1-- -") needs a digit first (or, in SQLI_PROBE_MAX bytes
	 * by sqli_core_len, after blanks and a sign: sqli_num_led) and '#' or "--" ("/ *" is
	 * loud already);
	 * payload_sqli_tail.c: its AND or OR on a division by zero (1 AND
	 * 1/0, 1 and 1 / 0, SQLI_PROBE_MAX bytes at most by sqli_core_len,
	 * so padding is no way past it) needs '/', blanks and '0'
	 * (slash_zero) and the 'd' of AND or the 'r' of OR */
	if (v->n && (h0 & (B0('#') | B0('-'))) &&
	    ((v->lo[0] >= '0' && v->lo[0] <= '9') ||
	     (sqli_num_led(v->lo, v->n) && sqli_core_len(v->lo, v->n, SQLI_PROBE_MAX) <= SQLI_PROBE_MAX)) &&
	    ((h0 & B0('#')) || twice(v->lo, v->n, '-')))
		return 0;
	if ((h0 & B0('/')) && (v->has[1] & (B1('d') | B1('r'))) && sqli_num_led(v->lo, v->n) &&
	    sqli_core_len(v->lo, v->n, SQLI_PROBE_MAX) <= SQLI_PROBE_MAX && slash_zero(v->lo, v->n))
		return 0;
	/* payload_sqli_tail.c: ASC or DESC cut by '#' or "--" (name ASC -- ),
	 * SQLI_SORT_MAX bytes at most (sqli_core_len) */
	if ((v->has[1] & B1('s')) && (v->has[1] & B1('c')) && (h0 & (B0('#') | B0('-'))) &&
	    sqli_core_len(v->lo, v->n, SQLI_SORT_MAX) <= SQLI_SORT_MAX &&
	    ((h0 & B0('#')) || twice(v->lo, v->n, '-')) &&
	    (payload_find(v->lo, v->n, 0, "asc") < v->n || payload_find(v->lo, v->n, 0, "desc") < v->n))
		return 0;
	/* payload_sqli_more.c: ~0 plus a number after AND or OR (1 and
	 * ~0+1) needs "~0"; the empty string after the break (8616' ')
	 * needs the value's last byte a ' after a blank */
	if ((v->has[1] & B1('~')) && tilde_zero(v->lo, v->n))
		return 0;
	if (sq && v->n >= 3 && v->lo[v->n - 1] == '\'' &&
	    (v->lo[v->n - 2] == ' ' || v->lo[v->n - 2] == '\t'))
		return 0;
	if (!quiet_letters(v, sq || dq))
		return quiet_walk(v, sq, dq);
	return !(sq || dq) || break_quiet(v->lo, v->n, sq ? '\'' : '"');
}
