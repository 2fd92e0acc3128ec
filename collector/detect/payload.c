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
/* gate_cmdi but the blank, with '[' and '!' (cmdi_blank_digit) */
static struct byte_gate gate_cmdi_rest;

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

/* A digit-led hex id ("4ad3b643e4a5..."): digits and a..f only, one
 * letter at least. payload_ssrf_scan (payload_ssrf.c as of ee69078)
 * finds nothing in it: its "://" loop and "file:/" need ':'; bare_host
 * reads from lo[0] (a digit, no blank, no "//") a host run of the whole
 * value, every byte one of v4_bytes (v4 1, so v4_or_embed passes), and
 * with fewer than 64 bytes asks ipv4_loose, which reads base 10, or 8
 * after a '0' (no 'x': base 16 needs "0x"), meets a letter before any
 * '.' (none) and returns 0: bare_host returns. The caller has tested
 * lo[0] a digit or a blank (a blank is none of these bytes). */
static inline int ssrf_hex_id(const struct payload_val *v)
{
	const uint64_t af = 0x3full << ('a' - 64);

	return !(v->has[0] & ~0x03ff000000000000ull) && v->has[1] && !(v->has[1] & ~af) && !v->has[2] && !v->has[3];
}

/* payload_ssrf_digit_may answers 0 unless lo, after blanks, is led by
 * a digit: both its ways need lo[0] a digit or a blank (and a digit in
 * has[0], bits 48..57), so the call is made only then */
static inline int ssrf_digit_may(const struct payload_val *v)
{
	unsigned char c = (unsigned char)v->lo[0];

	return (v->has[0] & 0x03ff000000000000ull) && v->n && ((unsigned)c - '0' < 10u || payload_is_space(c)) &&
	       !ssrf_hex_id(v) && payload_ssrf_digit_may(v);
}


/* payload_cmdi_scan (payload_shell.c as of ee69078) finds nothing in a
 * value whose only byte of gate_cmdi is the blank and whose first byte
 * after blanks is a digit ("119 Oak Avenue", "3 stars, fits well"), with
 * no '[' or '!', unless another clause of run_detectors_in asks it (its
 * base64 reading: payload_b64_may needs a first byte A-Z or a-f; "qx"; a
 * first '-' with '='). Read rule by rule: scan_seps (seps), expanded and
 * spelt_lead (obf), caret_lead, the Windows grammar ('%', '/'), the
 * globs ('/'; glob_path_lead s[0] '/'), the calls, code_call,
 * shell_lang, php_eval, dde, ps_iex, ps_process ('(' or '|'), SSI ('<')
 * each need a byte of gate_cmdi_rest; payload_shell_code needs one of
 * ( { | [ < ! or '?' with '/' or 'x' with 'q' or '%'; the absolute path
 * s[0] '/'. The blank's rules skip blanks (and quotes: none here) first:
 * sepless' payload_shellw_interpreter_run needs there one of c p / b s z
 * d k %, payload_shellc_cmdline a letter, payload_shellc_arg_inject a
 * '-': a digit is none of them. payload_shellc_probe_closed (asked on
 * '#' too, which gate_cmdi_rest leaves out) needs a listed probe word
 * opening the value, and none starts with a digit; payload_shellc_prefix's
 * "eval ", '!' and NAME= act only after a separator or opener (bytes of
 * gate_cmdi_rest). A rule added to payload_shell*.c that
 * acts at a blank before a digit, at '[' or '!', must widen this. */
static inline int cmdi_blank_digit(const struct payload_val *v)
{
	size_t p = 0;

	if ((v->has[0] & gate_cmdi_rest.m[0]) || (v->has[1] & gate_cmdi_rest.m[1]))
		return 0;
	while (p < v->n && v->lo[p] == ' ')
		p++;
	return p < v->n && (unsigned)(unsigned char)v->lo[p] - '0' < 10u;
}

/* payload_find(lo, n, 0, "--") < n, for GATE_SQLI_DASH: a value of 4 to
 * 15 bytes read as two words that overlap, [0, w) and [n - w, n) with w
 * 4 or 8 (n < 2w): every pair of bytes p, p + 1 (p <= n - 2) lies in one
 * of them. A byte of x ^ "----..." is 0 exactly where lo holds '-' (the
 * high bit of z; no carry crosses a byte), and z & z >> 8 keeps the
 * bytes whose next byte is '-' too. Other lengths: payload_find. */
static inline uint64_t dash_pairs(uint64_t x)
{
	const uint64_t k7f = 0x7f7f7f7f7f7f7f7full;
	uint64_t z;

	x ^= 0x2d2d2d2d2d2d2d2dull;
	z = ~(((x & k7f) + k7f) | x | k7f);
	return z & (z >> 8);
}

static inline int has_dash2(const char *lo, size_t n)
{
	if (n >= 8 && n < 16) {
		uint64_t a, b;

		memcpy(&a, lo, 8);
		memcpy(&b, lo + n - 8, 8);
		return (dash_pairs(a) | dash_pairs(b)) != 0;
	}
	if (n >= 4 && n < 8) {
		uint32_t a, b;

		memcpy(&a, lo, 4);
		memcpy(&b, lo + n - 4, 4);
		/* the words' upper halves are 0, no '-': no pair there */
		return (dash_pairs(a) | dash_pairs(b)) != 0;
	}
	return payload_find(lo, n, 0, "--") < n;
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
	gate_cmdi_rest = gate_cmdi;
	gate_cmdi_rest.m[0] &= ~(1ull << ' ');
	GATE_SET(&gate_cmdi_rest, "[!");
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
	     ((gates >> GATE_SQLI_DASH & 1) && has_dash2(lo, n))))
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

	if (where != PAYLOAD_WHERE_PATH && (((gates >> GATE_CMDI & 1) && !ua && !cmdi_blank_digit(v)) || (may && payload_b64_text(dec, n)) ||
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
	/* SAML's redirect binding: XML deflated, then base64. A blob of
	 * hundreds of digits holds a '/' or '_' (GATE_TRAV), a '+' (or the
	 * blank a form decoder made of it) or a '-': each keeps the value
	 * from value_quiet. One of letters and digits alone (about one in
	 * a thousand of 200 bytes) is not read */
	if (where != PAYLOAD_WHERE_PATH && n >= PAYLOAD_SAML_MIN &&
	    ((gates >> GATE_TRAV & 1) || payload_has(v, '+') || payload_has(v, '-') || payload_has(v, ' ')))
		payload_xml_saml_scan(v, a);
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

/* A value no detector is asked of, told from its census before
 * run_detectors_in's clauses one by one ("Seoul", "p12", "true",
 * "London"): its gates hold none but GATE_SQLI, GATE_XSS and GATE_DATA
 * (so GATE_CMDI, GATE_TRAV, GATE_SSRF, GATE_JNDI, GATE_SSTI, GATE_LDAP,
 * GATE_SQLI_MARK and GATE_SQLI_DASH are closed: no '-', no blank, no
 * '{' '[', no byte from 0x80), and then, clause by clause:
 *  - no base64 reading: payload_b64_may 0, or its head refused (may 0:
 *    no memo, payload_b64_text is not asked), and the wrapper not asked
 *    (payload_wrap_may with b64 0, as run_detectors_in asks it);
 *  - sqli: its gate closed or payload_sqli_census_quiet (no mark, no
 *    '-', may 0: the clause's other doors are shut);
 *  - xss: its gate closed or payload_words_xss 0;
 *  - cmdi: its gate closed, may 0, not both 'q' and 'x' (a lead '-'
 *    would open GATE_SQLI_DASH);
 *  - trav: its gate closed, not both '0' and 'x' ("0x");
 *  - ssrf: its gate closed, ssrf_digit_may 0; jndi, ssti, ldap closed;
 *  - data: its gate closed or payload_words_data 0 (the UA clause only
 *    narrows it);
 *  - scan_window's other readings: the fold needs a byte from 0xC0
 *    (GATE_TRAV), the JSON strings a first '{' '[' (GATE_SSTI) or blank
 *    (tested: '\t' '\v' '\f' open no gate), '+' as blanks a '+'
 *    (payload_words_xss holds '+').
 * A clause added to run_detectors_in, or a gate narrowed, must be
 * mirrored here (test_payload_fast3). */
#define QUIET_GATES ((1u << GATE_SQLI) | (1u << GATE_XSS) | (1u << GATE_DATA))

static inline int value_quiet(const struct payload_val *v, unsigned gates)
{
	const char *dec = v->s;
	size_t n = v->n;

	if ((gates & ~QUIET_GATES) || payload_is_space((unsigned char)dec[0]))
		return 0;
	if ((gates >> GATE_SQLI & 1) && !payload_sqli_census_quiet(v->has))
		return 0;
	if ((gates >> GATE_XSS & 1) && payload_words_xss(v->has))
		return 0;
	if ((gates >> GATE_DATA & 1) && payload_words_data(v->has))
		return 0;
	if ((payload_has(v, 'q') && payload_has(v, 'x')) || (payload_has(v, '0') && payload_has(v, 'x')) ||
	    ssrf_digit_may(v))
		return 0;
	return !payload_b64_may(dec, n) || (payload_b64_head_refused(dec, n) && !payload_wrap_may(v, 0));
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

		/* a '+' between two like quotes joins strings ("a"+"b"),
		 * unless the first is bash's $'..' (a word: "$'\\x69\\x64'+'"
		 * is id and a blank); 64 KiB of &("a"+"b") read twice cost
		 * 6.7x an ordinary value */
		if (c == '+' && i > 0 && i + 1 < n && (dec[i - 1] == '"' || dec[i - 1] == '\'') &&
		    dec[i + 1] == dec[i - 1]) {
			const char *o = i > 1 ? memrchr(dec, dec[i - 1], i - 1) : NULL;
			if (!o || o == dec || o[-1] != '$')
				continue;
		}
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

		/* a number, a date, a timestamp or a phone number draws no
		 * finding (payload_shape_plain); norm_decode would change
		 * only a '+' (N4's first byte) with NORM_PLUS */
		if ((unsigned)(unsigned char)val[0] - '0' < 10u || val[0] == '-' || (val[0] == '+' && !(nflags & NORM_PLUS))) {
			if (payload_shape_plain(val, len))
				return;
		}
		gates = value_set(&v, val, dec, lo, len, where, val, len);
		plain = !(gates & dec_bits);
		if (plain && value_quiet(&v, gates))
			return;
	}
	if (!plain) {
		n = norm_decode(val, len, dec, sizeof(dec), nflags);
		/* the same shapes decoded (v->raw: no detector reads it for them) */
		if (n == 0 || payload_shape_plain(dec, n))
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
