/* payload.c - payload detectors: value decoding, byte gates and dispatch
 * (the splitters: JSON bodies and cookie headers payload_json.c, query
 * strings payload_query.c, request paths payload_seg.c). The detectors themselves
 * live in payload_sqli.c, payload_xss.c (with payload_xss_ctx.c), payload_shell.c and payload_path.c, payload_tmpl.c, payload_data.c, payload_xml.c. */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"
#include "collector/detect/payload_b64.h"
#include "collector/detect/payload_words.h"
#include "collector/detect/payload_shape.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *const payload_kind_names[PAYLOAD__COUNT] = {
	[PAYLOAD_NONE] = "none",
	[PAYLOAD_SQLI] = "sqli",
	[PAYLOAD_XSS] = "xss",
	[PAYLOAD_TRAVERSAL] = "path_traversal",
	[PAYLOAD_CMDI] = "cmd_injection",
	[PAYLOAD_SSRF] = "ssrf",
	[PAYLOAD_JNDI] = "jndi",
	[PAYLOAD_SSTI] = "ssti",
	[PAYLOAD_XXE] = "xxe",
	[PAYLOAD_NOSQLI] = "nosqli",
	[PAYLOAD_PROTO_POLLUTION] = "proto_pollution",
	[PAYLOAD_SHELLSHOCK] = "shellshock",
	[PAYLOAD_LDAPI] = "ldapi",
	[PAYLOAD_XPATHI] = "xpathi",
};

/* payload_int.h's character classes */
const unsigned char payload_ctype[256] = {
	['0' ... '9'] = 2, ['A' ... 'Z'] = 3, ['a' ... 'z'] = 3, ['_'] = 2,
	[' '] = 4, ['\t'] = 4, ['\n'] = 4, ['\r'] = 4, ['\v'] = 4, ['\f'] = 4,
};

/* Write the accumulated findings, best first, and return how many. */
static int acc_emit(const struct payload_acc *a, struct payload_match *out, int max)
{
	int n = 0;
	unsigned live = 0; /* bit k: kind k scored PAYLOAD_MIN_SCORE or more, not written yet */
	int f = 1;

#ifdef __SSE2__
	/* four scores a compare (most requests raise none): kinds f..f+3 */
	const __m128i min1 = _mm_set1_epi32(PAYLOAD_MIN_SCORE - 1);

	for (f = 0; f + 4 <= PAYLOAD__COUNT; f += 4)
		live |= (unsigned)_mm_movemask_ps(_mm_castsi128_ps(
				_mm_cmpgt_epi32(_mm_loadu_si128((const __m128i *)(a->score + f)), min1)))
			<< f;
	live &= ~1u; /* PAYLOAD_NONE */
	if (f == 0)
		f = 1;
#endif
	for (; f < PAYLOAD__COUNT; f++)
		live |= (unsigned)(a->score[f] >= PAYLOAD_MIN_SCORE) << f;
	/* the highest score first, the lowest kind among equals */
	while (n < max && live) {
		int best = __builtin_ctz(live);

		for (unsigned m = live & (live - 1); m; m &= m - 1) {
			int k = __builtin_ctz(m);

			if (a->score[k] > a->score[best])
				best = k;
		}
		live &= ~(1u << best);
		out[n].kind = (enum payload_kind)best;
		out[n].score = a->score[best];
		strncpy(out[n].why, a->why[best] ? a->why[best] : "", sizeof(out[n].why) - 1);
		out[n].why[sizeof(out[n].why) - 1] = '\0';
		n++;
	}
	return n;
}

/* Byte gates: the bytes of lo without which a detector can produce no
 * finding, read from its code (why, next to each). A value holding none
 * of them is not handed to the detector. Masks of 256 bits, as has[]. */
struct byte_gate {
	uint64_t m[4];
};

static struct byte_gate gate_trav, gate_ssrf, gate_xss, gate_sqli, gate_cmdi, gate_jndi,
	gate_ssti, gate_data;

/* The same gates by byte: bit GATE_x of gate_of[c] is set when byte c
 * (of lo) opens gate x (payload_gate_of, payload_census.c). The census
 * ORs them over a value, so testing a bit
 * of its result is gate_open's test over the 256-bit census: a bit per
 * gate and byte, the same sets (gates_build fills both from the masks). */
enum { GATE_SQLI, GATE_XSS, GATE_CMDI, GATE_TRAV, GATE_SSRF, GATE_JNDI, GATE_SSTI, GATE_DATA };
/* and, past the gates, the bytes a round of norm_decode acts at (no gate
 * reads these bits): '%' (NORM_PERCENT), '+' (NORM_PLUS), '&'
 * (NORM_HTML), '\\' (NORM_UNICODE); lower-casing neither makes nor
 * changes them, so lo's census answers for the raw value */
#define DEC_PERCENT (1u << 8)
#define DEC_PLUS (1u << 9)
#define DEC_HTML (1u << 10)
#define DEC_UNICODE (1u << 11)
/* payload_ldap_scan (payload_ldap.c) returns unless one of '(' (every
 * LDAP filter finding, and an XPath call), ':' (an axis) or '|' (a
 * union) occurs: its own first test, read here from the census so that
 * a value without them costs no call */
#define GATE_LDAP 12
/* a byte of PAYLOAD_SQLI_MARKS (payload_int.h): without one, and without
 * a base64 reading, payload_sqli_scan is asked only when the census'
 * letters can spell a loud word (payload_sqli_census_quiet) */
#define GATE_SQLI_MARK 13
/* '-', the one byte of PAYLOAD_SQLI_MARKS that GATE_SQLI_MARK leaves
 * out: sqli_quiet (payload_sqli_gate.c) acts at a '-' only in "--" (a
 * comment: quiet_mark's dash2, quiet_letters' twice(), the leading
 * number's "2-1-- -"), so with '-' the only mark and no "--" its answer
 * is payload_sqli_census_quiet's when that is 1 (quiet_letters returns
 * 0 only for loud letters or a door that needs another mark) */
#define GATE_SQLI_DASH 14
#define gate_of payload_gate_of

static void gate_set(struct byte_gate *g, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)bytes[i];

		g->m[c >> 6] |= 1ull << (c & 63);
	}
}

#define GATE_SET(g, lit) gate_set((g), (lit), sizeof(lit) - 1)

/* the gates by words (payload_xss_scan's, payload_trav_scan's, ...) are
 * in payload_words.h */

/* payload_ssrf_digit_may answers 0 unless lo, after blanks, is led by
 * a digit: both its ways need lo[0] a digit or a blank (and a digit in
 * has[0], bits 48..57), so the call is made only then */
static inline int ssrf_digit_may(const struct payload_val *v)
{
	unsigned char c = (unsigned char)v->lo[0];

	return (v->has[0] & 0x03ff000000000000ull) && v->n && ((unsigned)c - '0' < 10u || payload_is_space(c)) &&
	       payload_ssrf_digit_may(v);
}


__attribute__((constructor)) static void gates_build(void)
{
	/* payload_trav_scan (payload_path.c): canon() rewrites only NUL,
	 * '\\', '0' before 'x' (0x2e spellings: checked apart, in
	 * run_detectors), '%' and bytes from 0xC0, so without
	 * them it reads lo itself. Then every finding needs: a ".." component
	 * (climbs, dots, evasive, root_climb: '.'); a name of the sensitive
	 * list (each holds '.', '/' or '_': "id_rsa"); special_target ("c:/",
	 * "file:///", "/etc/", ".env", "proc/": ':', '/', '.'); a stream
	 * wrapper or data: URL (memchr ':'); a Windows name or file: URL
	 * (needs '/' or '\\'); the NUL flag (a NUL byte). */
	GATE_SET(&gate_trav, "./_\\:%");
	gate_trav.m[0] |= 1; /* NUL */
	gate_trav.m[2] = gate_trav.m[3] = ~0ull; /* bytes >= 0x80 */
	/* payload_ssrf_scan (payload_ssrf.c): "://" and "file:/" need ':';
	 * bare_host needs "//" ('/'), or a host that starts with a digit
	 * (checked apart: run_detectors), '[', "metadata." ('.') or
	 * "instance-data" ('-') */
	GATE_SET(&gate_ssrf, ":/.-[");
	/* payload_xss_scan (payload_xss.c): its loop acts only at < " ' `
	 * o { + $ (its own 'any'); number_break needs ( ` =; cookie_read
	 * '.'; context_break_markup '<'; whole_call ( `; six_char_script
	 * '['; url_value ':'; css_value ( or '@'; the octal rereading
	 * (payload_xss_enc.c) '\\' */
	GATE_SET(&gate_xss, "<\"'`o{+$(=.[:@\\");
	/* The detectors below are helper B's (payload_sqli*.c, payload_shell*.c,
	 * payload_tmpl.c, payload_data.c, as of a0128ef): a change there
	 * that acts at other bytes must widen its gate here.
	 * payload_sqli_scan: the probe needs ' and "; the lexer and rules
	 * run only with has_q (a letter, ' " & |); the base64 reading needs
	 * s[0] alphanumeric, and with no letter that is a digit, whose
	 * wrapper payload_b64_unwrap refuses (its first byte >= 0x80).
	 * has_q also holds for a value that starts with a digit or '(' and
	 * holds '#', '-' or '/' (payload_sqli_dml.c: 2-1-- -, 3-2#, 4-1/ *;
	 * each of its comment marks holds '#' or '-', or "/ *" after a '-') */
	GATE_SET(&gate_sqli, "abcdefghijklmnopqrstuvwxyz'\"&|#-");
	/* payload_cmdi_scan: separators ; | & < > newline CR ` $ backslash
	 * (scan_seps), '^' (caret_lead), '%' or '/' (Windows grammar,
	 * /bin/ paths), '$' '{' or a blank (sepless), a blank after the
	 * first word (payload_shellc_cmdline), '(' (function calls, PHP),
	 * '<' (SSI); its base64 reading is checked apart (payload_b64_may).
	 * A quote: spelt_lead (payload_shell.c) reads a first word spelt
	 * with quotes ('w'hoami, w"h"oami) that holds no other gate byte;
	 * it needs two quotes or one of '\\' '$' '`' (those open already),
	 * so ' and " open it (review finding G1: 1;w""hoami as a cookie). */
	GATE_SET(&gate_cmdi, ";|&<>\n\r`$\\^%/({ '\"");
	/* payload_jndi_scan returns unless "${" occurs */
	GATE_SET(&gate_jndi, "$");
	/* payload_ssti_scan returns unless one of these occurs */
	GATE_SET(&gate_ssti, "{$#*<@[");
	/* payload_data_scan returns unless one of ( $ ; = . _ c < occurs,
	 * or "adw" (UTF-7 '<', needs 'w') */
	GATE_SET(&gate_data, "($;=._c<w");

	const struct byte_gate *const by_bit[8] = {
		[GATE_SQLI] = &gate_sqli, [GATE_XSS] = &gate_xss, [GATE_CMDI] = &gate_cmdi,
		[GATE_TRAV] = &gate_trav, [GATE_SSRF] = &gate_ssrf, [GATE_JNDI] = &gate_jndi,
		[GATE_SSTI] = &gate_ssti, [GATE_DATA] = &gate_data,
	};

	for (unsigned c = 0; c < 256; c++)
		for (unsigned g = 0; g < 8; g++)
			if ((by_bit[g]->m[c >> 6] >> (c & 63)) & 1)
				gate_of[c] |= 1u << g;
	gate_of['%'] |= DEC_PERCENT;
	gate_of['+'] |= DEC_PLUS;
	gate_of['&'] |= DEC_HTML;
	gate_of['\\'] |= DEC_UNICODE;
	gate_of['('] |= 1u << GATE_LDAP;
	gate_of[':'] |= 1u << GATE_LDAP;
	gate_of['|'] |= 1u << GATE_LDAP;
	/* payload_ldap_scan's own first test also opens on ')' (with a nul)
	 * and on a quote or ']' (with '/' or '@'): each byte of those pairs
	 * that every such value must hold opens the gate */
	gate_of[')'] |= 1u << GATE_LDAP;
	gate_of['\''] |= 1u << GATE_LDAP;
	gate_of['"'] |= 1u << GATE_LDAP;
	gate_of[']'] |= 1u << GATE_LDAP;
	for (const char *m = PAYLOAD_SQLI_MARKS; *m; m++)
		gate_of[(unsigned char)*m] |= 1u << GATE_SQLI_MARK;
	gate_of['-'] = (gate_of['-'] & ~(1u << GATE_SQLI_MARK)) | 1u << GATE_SQLI_DASH;
}

/* Every detector over v (dec, its lower-case copy lo and their census,
 * from payload_census()) whose gate is open in gates into a. */
static inline __attribute__((always_inline)) void run_detectors_in(const struct payload_val *v,
								unsigned gates,
								struct payload_acc *a)
{
	const char *dec = v->s, *lo = v->lo;
	size_t n = v->n;
	unsigned where = v->where;
	/* the whole value's base64 reading, asked once: the SQL and shell
	 * detectors and payload_wrap.c each unwrap it (payload_b64_unwrap
	 * answers their calls for dec from the first while it is pushed).
	 * Only a value payload_b64_may keeps is pushed: none of them asks
	 * for another (each asks after payload_b64_may), and pushes pop back
	 * what was there (nothing at the top, an enclosing value whose bytes
	 * are still the same in a nested run) */
	int may0 = payload_b64_may(dec, n);
	/* may: payload_b64_unwrap can give text. One its first test refuses
	 * (payload_b64_head_refused: "cancelled", "en-US", "SKU-1") has no
	 * base64 reading: payload_b64_text is 0, and payload_sqli_scan's
	 * base64 reading (sqli_b64) finds nothing, so sqli_quiet's answer
	 * holds for it as for a value payload_b64_may refuses. The wrapper
	 * (a JWT after "Bearer ") is asked by may0. */
	int may = may0 && !payload_b64_head_refused(dec, n);
	struct payload_b64_memo memo;

	/* payload_b64_text is asked where the answer is needed, after
	 * payload_sqli_scan has unwrapped the value (a text is decoded by
	 * each caller: asking first would decode it once more) */
	if (may)
		memo = payload_b64_memo_push(dec, n);

	/* a request path is never SQL or a command line as a whole: its
	 * segments are judged as values for those (scan_segments) */
	/* payload_sqli_scan on a value without '&' (url_parts) or a base64
	 * reading (sqli_b64) is sqli_quiet then sqli_judge; with no byte of
	 * PAYLOAD_SQLI_MARKS sqli_quiet is payload_sqli_census_quiet's
	 * answer when that is 1 (payload_sqli_gate.c). A rule of
	 * payload_sqli_scan that acts before sqli_quiet on other bytes must
	 * add them to PAYLOAD_SQLI_MARKS. */
	if (where != PAYLOAD_WHERE_PATH && (gates >> GATE_SQLI & 1) &&
	    (may || (gates >> GATE_SQLI_MARK & 1) || !payload_sqli_census_quiet(v->has) ||
	     ((gates >> GATE_SQLI_DASH & 1) && payload_find(lo, n, 0, "--") < n)))
		payload_sqli_scan(v, a);
	if ((gates >> GATE_XSS & 1) && payload_words_xss(v->has))
		payload_xss_scan(v, a);
	/* payload_cmdi_scan's base64 reading finds nothing unless
	 * payload_b64_unwrap gives text */
	/* ... and qx with a delimiter no gate byte is (qx#id#, qx~id~), an
	 * option with no blank (-oProxyCommand=id): 'q' and 'x', a lead '-'
	 * and '=' */
	/* ... and a browser's User-Agent is not asked (payload_shape.c: no
	 * finding on its grammar but through the base64 reading, asked here
	 * as for any value) */
	/* (asked once for cmdi and data: payload_shape.c) */
	int ua = ((gates >> GATE_CMDI & 1) || (gates >> GATE_DATA & 1)) && payload_shape_ua(v);

	if (where != PAYLOAD_WHERE_PATH && (((gates >> GATE_CMDI & 1) && !ua) || (may && payload_b64_text(dec, n)) ||
					    (payload_has(v, 'q') && payload_has(v, 'x')) || (n > 2 && dec[0] == '-' && payload_has(v, '='))))
		payload_cmdi_scan(v, a);
	/* canon reads a '0' only before an 'x' (path_char: "0x2e") */
	if (((gates >> GATE_TRAV & 1) && payload_words_trav(v->has) && !payload_words_trav_number(v) && !payload_words_trav_web(v)) ||
	    (payload_has(v, '0') && payload_has(v, 'x') && payload_find(lo, n, 0, "0x") < n))
		payload_trav_scan(v, a);
	/* a digit-led value's bare host (payload_ssrf_digit_may: led by a
	 * digit after blanks, and no plain number, date or decimal) needs a
	 * digit ('0'..'9': bits 48..57 of has[0]) */
	if (((gates >> GATE_SSRF & 1) && payload_words_ssrf(v->has)) ||
	    ssrf_digit_may(v))
		payload_ssrf_scan(v, a);
	if (gates >> GATE_JNDI & 1)
		payload_jndi_scan(v, a);
	if ((gates >> GATE_SSTI & 1) && payload_words_ssti(v->has))
		payload_ssti_scan(v, a);
	/* a UA of payload_shape.c's grammar with no "__" sets none of
	 * payload_data_scan's flags (payload_shape.c) */
	if ((gates >> GATE_DATA & 1) && payload_words_data(v->has) &&
	    !(ua && !(payload_has(v, '_') && payload_find(lo, n, 0, "__") < n)))
		payload_data_scan(v, a);
	/* LDAP filters and XPath */
	if (where != PAYLOAD_WHERE_PATH && (gates >> GATE_LDAP & 1) && payload_words_ldap(v))
		payload_ldap_scan(v, a);
	/* a JWT or base64 text: what it carries (payload_wrap.c) */
	if (may0 && payload_wrap_may(v, may && payload_b64_text(dec, n)))
		payload_wrap_scan(v, a);
	if (may)
		payload_b64_memo_pop(memo);
}

unsigned payload_data_may(const struct payload_val *v, unsigned gates)
{
	unsigned may = 0;

	if (gates >> GATE_JNDI & 1)
		may |= 1u << PAYLOAD_JNDI;
	if ((gates >> GATE_SSTI & 1) && payload_words_ssti(v->has))
		may |= 1u << PAYLOAD_SSTI;
	if ((gates >> GATE_DATA & 1) && payload_words_data(v->has))
		may |= 1u << PAYLOAD_XXE;
	if (((gates >> GATE_SSRF & 1) && payload_words_ssrf(v->has)) ||
	    ssrf_digit_may(v))
		may |= 1u << PAYLOAD_SSRF;
	return may;
}

/* run_detectors_in inlined into scan_window's first reading (every
 * value); the other readings (folded, '+' as blanks) call this */
static __attribute__((noinline)) void run_detectors(const struct payload_val *v, unsigned gates,
						    struct payload_acc *a)
{
	run_detectors_in(v, gates, a);
}

/* v for dec[0..n) (payload_census() into lo), raw[0..rawn) as it came; returns
 * the gates open */
static unsigned value_set(struct payload_val *v, const char *src, char *dec, char *lo, size_t n,
			  unsigned where, const char *raw, size_t rawn)
{
	unsigned gates = payload_census(src, dec, lo, n, v->has);

	v->s = dec;
	v->lo = lo;
	v->n = n;
	v->where = where;
	v->raw = raw;
	v->rawn = rawn;
	return gates;
}

/* A decoded value whose '+' would be blanks if form-decoded once more:
 * a value carried already encoded (a form body or JSON holding
 * "1'+union+select+1--+", the '+' written %2B on the wire) reaches
 * applications that decode twice, and the payload lists write blanks so.
 * Does dec hold a '+' and something besides digits, blanks, '-' and '+'
 * (not a phone number or a sum: no reading of those changes a verdict)? */
static int plus_as_space(const char *dec, size_t n)
{
	size_t plus = 0;
	int other = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)dec[i];

		plus += c == '+';
		other |= c != '+' && !(c >= '0' && c <= '9') && c != ' ' && c != '-';
	}
	return plus && other;
}

/* Decode with the given flags and run every detector into a: one window
 * of at most PAYLOAD_MAX_VALUE bytes; again on the value with full-width
 * and overlong code points folded to ASCII when it holds any, the strings
 * of a value that is JSON (payload_json_embedded_scan, payload_json.c),
 * and again with '+' read as a blank when it holds one (plus_as_space). */
static void scan_window(const char *val, size_t len, unsigned where,
			unsigned nflags, struct payload_acc *a)
{
	char dec[PAYLOAD_MAX_VALUE + 1], lo[PAYLOAD_MAX_VALUE + 1];
	struct payload_val v, w;
	const struct payload_val *cur = &v;
	size_t n, f;
	unsigned gates;
	/* Most values need no decoding. A round of norm_decode acts only at
	 * '%' (NORM_PERCENT), '+' (NORM_PLUS), '&' (NORM_HTML) and '\\'
	 * (NORM_UNICODE): the census of the raw value says whether one
	 * occurs (its DEC_ bits). With none the decoded value is the raw one
	 * (norm_decode cuts nothing of PAYLOAD_MAX_VALUE bytes or less): one
	 * pass copies, lower-cases and counts. Other flags (lower-casing,
	 * blanks) are norm_decode's. */
	int plain = len > 0 && len <= PAYLOAD_MAX_VALUE &&
		    !(nflags & ~(unsigned)(NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE));

	if (plain) {
		unsigned dec_bits = (nflags & NORM_PERCENT ? DEC_PERCENT : 0) |
				    (nflags & NORM_PLUS ? DEC_PLUS : 0) |
				    (nflags & NORM_HTML ? DEC_HTML : 0) |
				    (nflags & NORM_UNICODE ? DEC_UNICODE : 0);

		gates = value_set(&v, val, dec, lo, len, where, val, len);
		plain = !(gates & dec_bits);
	}
	if (!plain) {
		n = norm_decode(val, len, dec, sizeof(dec), nflags);
		if (n == 0)
			return;
		gates = value_set(&v, dec, dec, lo, n, where, val, len);
	}
	n = v.n;
	run_detectors_in(&v, gates, a);
	/* the census answers for dec as for lo at bytes lower-casing keeps:
	 * '+' and the leads payload_fold_compat acts at (C0, C1, E0, EE, EF) */
	if (v.has[3] & (3ull | 1ull << 0x20 | 3ull << 0x2e)) {
		f = payload_fold_compat(dec, n, lo);
		if (f > 0) {
			memcpy(dec, lo, f + 1);
			run_detectors(&w, value_set(&w, dec, dec, lo, f, where, val, len), a);
			cur = &w;
			n = f;
		} else {
			/* payload_fold_compat wrote dec's bytes into lo as it went:
			 * lo is dec lower-cased again for the reading below */
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)dec[i];

				lo[i] = (char)(c + (((unsigned)c - 'A' < 26u) << 5));
			}
		}
	}
	if (dec[0] == '{' || dec[0] == '[' || payload_is_space((unsigned char)dec[0]))
		payload_json_embedded_scan(dec, n, a);
	/* '+' read as blanks in dec and in lo (lower-casing keeps both), the
	 * census of lo (cur's: the folded value when one was read) changed
	 * to match: every '+' is gone, a blank is there */
	if (payload_has(&v, '+') && plus_as_space(dec, n)) {
		w = *cur;
		for (size_t i = 0; i < n; i++)
			if (dec[i] == '+')
				dec[i] = lo[i] = ' ';
		w.has['+' >> 6] &= ~(1ull << ('+' & 63));
		w.has[' ' >> 6] |= 1ull << (' ' & 63);
		run_detectors(&w, payload_census_gates(w.has), a);
	}
}

/* A value longer than PAYLOAD_MAX_VALUE is judged in windows of PAYLOAD_MAX_VALUE
 * bytes overlapping by PAYLOAD_OVERLAP, so padding cannot push a payload of up
 * to PAYLOAD_OVERLAP bytes out of sight; at most PAYLOAD_MAX_SCAN bytes of it. */
static void scan_raw(const char *val, size_t len, unsigned where,
		     unsigned nflags, struct payload_acc *a)
{
	size_t start = 0;

	if (len > PAYLOAD_MAX_SCAN)
		len = PAYLOAD_MAX_SCAN;
	for (;;) {
		size_t n = len - start < PAYLOAD_MAX_VALUE ? len - start : PAYLOAD_MAX_VALUE;

		scan_window(val + start, n, where, nflags, a);
		if (start + n >= len)
			return;
		start += PAYLOAD_MAX_VALUE - PAYLOAD_OVERLAP;
	}
}

/* Findings by value. The same values come again and again (one client's
 * User-Agent and Referer on every request, an API's common paths), and the
 * detectors are pure functions of (bytes, where, decoding flags) that only
 * raise an accumulator, so the findings of a value scanned alone can be
 * merged instead of scanning again: the result is the same as scanning,
 * since a hit replaces a score only when strictly greater. Direct-mapped,
 * keyed by the whole value (compared in full, so a collision only costs a
 * scan), short values only, one table per thread; bounded memory. */
#define PAYLOAD_CACHE_SLOTS 256u /* power of two */
#define PAYLOAD_CACHE_KEY 200u
#define PAYLOAD_CACHE_MIN 24u /* shorter values are scanned, not looked up */

struct payload_cache_ent {
	uint64_t h;
	uint16_t len; /* 0: empty */
	uint8_t where, nflags;
	uint8_t score[PAYLOAD__COUNT];
	const char *why[PAYLOAD__COUNT];
	char key[PAYLOAD_CACHE_KEY];
};

static __thread struct payload_cache_ent payload_cache[PAYLOAD_CACHE_SLOTS];
static __thread int payload_cache_off;

void payload_cache_enable(int on)
{
	payload_cache_off = !on;
	memset(payload_cache, 0, sizeof(payload_cache));
}

static uint64_t val_hash(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

static void acc_merge(struct payload_acc *a, const struct payload_cache_ent *e)
{
	for (int k = 1; k < PAYLOAD__COUNT; k++)
		if (e->score[k] > a->score[k]) {
			a->score[k] = e->score[k];
			a->why[k] = e->why[k];
		}
}

/* scan_into for a value the cache keeps (PAYLOAD_CACHE_MIN..KEY bytes,
 * cache on); apart, so that the frame of a look-up is not every value's */
static __attribute__((noinline)) void scan_cached(const char *val, size_t len, unsigned where,
						  unsigned nflags, struct payload_acc *a)
{
	struct payload_cache_ent *e;
	struct payload_acc one;
	uint64_t h;

	h = val_hash(val, len, ((uint64_t)where << 8) | nflags);
	e = &payload_cache[h & (PAYLOAD_CACHE_SLOTS - 1)];
	if (e->len == len && e->h == h && e->where == where && e->nflags == nflags &&
	    memcmp(e->key, val, len) == 0) {
		acc_merge(a, e);
		return;
	}
	memset(&one, 0, sizeof(one));
	scan_raw(val, len, where, nflags, &one);
	e->h = h;
	e->len = (uint16_t)len;
	e->where = (uint8_t)where;
	e->nflags = (uint8_t)nflags;
	for (int k = 0; k < PAYLOAD__COUNT; k++) {
		/* payload_acc_hit keeps scores in 0..100 */
		e->score[k] = (uint8_t)one.score[k];
		e->why[k] = one.why[k];
	}
	memcpy(e->key, val, len);
	acc_merge(a, e);
}

static inline void scan_into(const char *val, size_t len, unsigned where,
			     unsigned nflags, struct payload_acc *a)
{
	if (!val || len == 0)
		return;
	/* under PAYLOAD_CACHE_MIN bytes a scan costs what a look-up does
	 * (hash, compare, merge; a miss copies too): bench/api-values.txt
	 * (8.8 bytes a value) took 27.5 us per 2 KiB request with the cache
	 * and 23.6 without; skipping it for short values, 23.6 either way */
	if (len > PAYLOAD_CACHE_KEY || len < PAYLOAD_CACHE_MIN || where > 0xff || nflags > 0xff ||
	    payload_cache_off) {
		/* one window (scan_raw's first and last) */
		if (len <= PAYLOAD_MAX_VALUE)
			scan_window(val, len, where, nflags, a);
		else
			scan_raw(val, len, where, nflags, a);
		return;
	}
	scan_cached(val, len, where, nflags, a);
}

static unsigned flags_for(unsigned where)
{
	unsigned f = NORM_PERCENT | NORM_HTML | NORM_UNICODE;
	/* '+' means space only in form encoding */
	return where == PAYLOAD_WHERE_QUERY ? f | NORM_PLUS : f;
}

int payload_scan(const char *val, size_t len, unsigned where,
	    struct payload_match *out, int max)
{
	struct payload_acc a;

	if (!out || max <= 0)
		return 0;
	memset(&a, 0, sizeof(a));
	scan_into(val, len, where, flags_for(where), &a);
	/* an application hands SQL and a shell a segment's value, never the
	 * path (run_detectors leaves those two out for it): judged per value,
	 * where a '/' after a word is a separator, not an option or a division */
	if (where == PAYLOAD_WHERE_PATH && val)
		payload_scan_segments(val, len, &a);
	return acc_emit(&a, out, max);
}


void payload_scan_value(const char *val, size_t len, unsigned where, unsigned nflags,
		   struct payload_acc *a)
{
	scan_into(val, len, where, nflags, a);
}

/* payload_scan_value for a JSON body's string (payload_json.c): the
 * where and flags constant, folded into scan_into here */
void payload_scan_json_string(const char *val, size_t len, struct payload_acc *a)
{
	scan_into(val, len, PAYLOAD_WHERE_BODY, NORM_PERCENT | NORM_HTML | NORM_UNICODE, a);
}

int payload_acc_out(const struct payload_acc *a, struct payload_match *out, int max)
{
	return acc_emit(a, out, max);
}
