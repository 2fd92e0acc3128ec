/* payload.c - payload detectors: value decoding, byte gates and dispatch
 * (the splitters: JSON bodies and cookie headers payload_json.c, query
 * strings payload_query.c, request paths payload_seg.c). The detectors themselves
 * live in payload_sqli.c, payload_xss.c (with payload_xss_ctx.c), payload_shell.c and payload_path.c, payload_tmpl.c, payload_data.c, payload_xml.c. */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"
#include "collector/detect/payload_b64.h"

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

/* Gates by words: past its byte gate, a detector whose findings each need
 * several bytes together (a word, a pair) is run only when the census
 * holds every byte of one of its sets (the ASCII bytes of lo: has[0],
 * has[1]). No second pass over the value: constant masks, two words
 * tested per set. W0(c)/W1(c): byte c's bit in has[0]/has[1]. */
#define W0(c) ((unsigned)(c) < 64 ? 1ull << ((unsigned)(c) & 63) : 0)
#define W1(c) ((unsigned)(c) >= 64 ? 1ull << ((unsigned)(c) & 63) : 0)
#define W8(f, a, b, c, d, e, g, h, i) (f(a) | f(b) | f(c) | f(d) | f(e) | f(g) | f(h) | f(i))
/* every one of up to 8 bytes (repeat one to fill) */
#define HAS_ALL(h, a, b, c, d, e, g, k, i)                                                  \
	(((h)[0] & W8(W0, a, b, c, d, e, g, k, i)) == W8(W0, a, b, c, d, e, g, k, i) &&      \
	 ((h)[1] & W8(W1, a, b, c, d, e, g, k, i)) == W8(W1, a, b, c, d, e, g, k, i))
#define HAS_ANY(h, a, b, c, d, e, g, k, i)                                                  \
	(((h)[0] & W8(W0, a, b, c, d, e, g, k, i)) || ((h)[1] & W8(W1, a, b, c, d, e, g, k, i)))

/* payload_data_scan (payload_data.c, as of 3bdee7e): past its first test
 * (one of ( $ ; = . _ c < or "adw") a finding needs one of its flags:
 * shellshock "()"; nosql '$', ';', "==" ('='), "db." or "this."; proto
 * "__" ('_') or "constructor" (read in s: then in lo too); xml '<', or
 * '%' once the first test passed by another byte (those that do not
 * open alone here: '(', '.', 'c'); utf7 "adw" */
static inline int data_words(const uint64_t h[4])
{
	return HAS_ANY(h, '$', ';', '=', '<', '_', '$', '$', '$') ||
	       HAS_ALL(h, '(', ')', '(', '(', '(', '(', '(', '(') ||
	       HAS_ALL(h, '.', 'd', 'b', '.', '.', '.', '.', '.') ||
	       HAS_ALL(h, '.', 't', 'h', 'i', 's', '.', '.', '.') ||
	       HAS_ALL(h, 'c', 'o', 'n', 's', 't', 'r', 'u', 'c') ||
	       (HAS_ANY(h, '%', '%', '%', '%', '%', '%', '%', '%') &&
		HAS_ANY(h, '(', '.', 'c', '(', '(', '(', '(', '(')) ||
	       HAS_ALL(h, 'a', 'd', 'w', 'a', 'a', 'a', 'a', 'a');
}

/* payload_ssrf_scan (payload_ssrf.c): its "://" loop and "file:/" need
 * ':' and '/'; bare_host returns unless, after blanks, the value starts
 * with "//" ('/'), a digit (payload_ssrf_digit_may: run_detectors asks apart), '[',
 * "metadata." or "instance-data" */
static inline int ssrf_words(const uint64_t h[4])
{
	return HAS_ANY(h, '/', '[', '/', '/', '/', '/', '/', '/') ||
	       HAS_ALL(h, 'm', 'e', 't', 'a', 'd', '.', 'm', 'm') ||
	       (HAS_ALL(h, 'i', 'n', 's', 't', 'a', 'c', 'e', 'd') && (h[0] & W0('-')));
}

/* payload_xss_scan (payload_xss.c): with 'o' the only byte of its gate,
 * its loop acts only at "on" (an event handler's name: 'n'), the rest
 * at other bytes of the gate, but for the UTF-16 reading (a NUL) */
static inline int xss_words(const uint64_t h[4])
{
	return HAS_ANY(h, '<', '"', '\'', '`', '{', '+', '$', '(') ||
	       HAS_ANY(h, '=', '.', '[', ':', '@', '\\', 'n', '\0');
}

/* payload_ldap_scan (payload_ldap.c) runs ldap_scan and xpath_scan.
 * ldap_scan's findings each need one of '=' (every item: ldap_item's
 * '=', "~=", ">=", "<=", ":="), '&', '|' or '!' (an operator; the
 * composite "*(|(" and "*(&(") or a NUL (")" cut off). xpath_scan acts
 * at three places: a quote or ']' (xp_join_at), an axis "::", and a
 * value led by a number, a blank, then '|' or the word "or" or "and"
 * (xp_cond_at, xp_window). So with a '(' or ')' and none of ' " ] | : =
 * & ! NUL, only a digit-led value holding the letters of "or" or "and"
 * is asked (a User-Agent's comments hold parentheses and none of them).
 * With ':' and no '(' ')' '|' quote or ']', ldap_scan is not called and
 * xpath_scan acts at two places only: an axis step "::" after '/' or '['
 * (the other leaders are '|' and '(') with a node test '*' (node(),
 * text() and comment() hold '('), and a value led by a number, a blank,
 * then "or" or "and" (xp_cond_at's '|' absent). */
static inline int ldap_words(const struct payload_val *v)
{
	const uint64_t *h = v->has;
	int paren = HAS_ANY(h, '(', ')', '(', '(', '(', '(', '(', '('),
	    colon = HAS_ANY(h, ':', ':', ':', ':', ':', ':', ':', ':');
	unsigned char c0 = (unsigned char)v->lo[0];
	int or_and = v->n && (unsigned)c0 - '0' < 10u &&
		     (HAS_ALL(h, 'o', 'r', 'o', 'o', 'o', 'o', 'o', 'o') || HAS_ALL(h, 'a', 'n', 'd', 'a', 'a', 'a', 'a', 'a'));

	if (HAS_ANY(h, '|', '\'', '"', ']', '|', '|', '|', '|'))
		return 1;
	if (paren)
		return colon || HAS_ANY(h, '=', '&', '!', '\0', '=', '=', '=', '=') || or_and;
	return colon && ((HAS_ANY(h, '*', '*', '*', '*', '*', '*', '*', '*') &&
			  HAS_ANY(h, '/', '[', '/', '/', '/', '/', '/', '/')) ||
			 (HAS_ANY(h, ' ', '\t', '\n', '\r', '\v', '\f', ' ', ' ') &&
			  (HAS_ALL(h, 'o', 'r', 'o', 'o', 'o', 'o', 'o', 'o') ||
			   HAS_ALL(h, 'a', 'n', 'd', 'a', 'a', 'a', 'a', 'a'))));
}

/* payload_trav_scan (payload_path.c): with ':' the only byte of its gate
 * (none of . / _ \\ % NUL or a byte from 0x80; canon's "0x" is asked
 * apart in run_detectors), canon() is not run, so c is lo: no ".."
 * component (no '.'), so depth, dots, mind, semi stay 0 and step_coded
 * is never set; special_target, the glob, payload_system_file,
 * payload_ntfs_stream (a '.' or '/' before "::$"), payload_path_backup,
 * payload_path_rfi ("//" or '\\'), payload_windows_name and the file:
 * URL each need '/' or '.'; every sensitive name holds '.', '/' or '_'
 * but "initialadminpassword" (its "d", "a", "t"). What is left: the
 * wrappers "jar:" and "netdoc:" (payload_path_wrapper_named) and
 * payload_data_php's "data:". A timestamp or a time (10:30) spells none. */
static inline int trav_words(const uint64_t h[4])
{
	return HAS_ANY(h, '.', '/', '_', '\\', '%', '\0', '.', '.') || h[2] || h[3] ||
	       HAS_ALL(h, 'd', 'a', 't', 'd', 'd', 'd', 'd', 'd') ||
	       HAS_ALL(h, 'j', 'a', 'r', 'j', 'j', 'j', 'j', 'j') ||
	       HAS_ALL(h, 'n', 'e', 't', 'd', 'o', 'c', 'n', 'n');
}

/* payload_trav_scan (payload_path.c, as of 8e011e8) on a value with no
 * letter (lo's: upper case folded), no byte from 0x80, none of / _ \\ %
 * NUL : ? * < > and no ".." (a decimal, an IP address, a price, a
 * version): canon() is not run (it needs NUL, '\\', "0x", '%' or a byte
 * from 0xC0), so c is lo; the climb walk needs ".." (depth, dots, mind,
 * semi, pair, step_coded stay 0); every sensitive name holds a letter;
 * special_target needs c[1] ':' or "file:///" or a leading '/' or the
 * letters of ".env" or "proc/"; the glob needs ? * < or >; the wrappers,
 * the NTFS stream, payload_path_rfi and the data: URL need ':' (or '\\'
 * or "//"); payload_path_backup needs a server extension (srv_ext: all
 * letters); payload_windows_name and the file: URL need '/' or '\\';
 * the probe needs 'p'; the last chain needs mind < 0, dots, step_coded,
 * a '/' at c[0] or ':' at c[1], a target, semi or nul. So no finding:
 * 1 when trav_words opened and this holds */
static inline int trav_plain_number(const struct payload_val *v)
{
	const uint64_t *h = v->has;

	return !(h[1] & (((1ull << 26) - 1) << ('a' - 64))) && !h[2] && !h[3] &&
	       !HAS_ANY(h, '/', '_', '\\', '%', '\0', ':', '?', '*') && !HAS_ANY(h, '<', '>', '<', '<', '<', '<', '<', '<') &&
	       payload_find(v->lo, v->n, 0, "..") >= v->n;
}

/* payload_trav_scan (payload_path.c with payload_path_rfi.c, _glob.c,
 * _probe.c and payload_pathenc.c, as of de7f029) on a web page's URL: lo
 * is "http://" or "https://", a host of letters, digits, '_', '-' and
 * single dots led by a letter or digit, a '/', then only letters,
 * digits and _ - / ? = & (https://shop.example.com/p/50867, a Referer's
 * https://shop.example.com/search?q=1&page=2). With no "0x" (asked apart
 * in run_detectors_in), no NUL, '\\', '%' or byte from 0x80 and n <=
 * PAYLOAD_MAX_VALUE, canon() is not run: c is lo, evasive 0. No ".." (a
 * '.' only between the host's names): depth, dots, mind, semi, pair,
 * step_coded stay 0. What may still hold is target (a sensitive name, a
 * special one, a backup copy after a '/', ':' or '.'), and target alone
 * draws only the chain's last "sensitive file path", which web_url (this
 * scheme, then a letter or digit) with dots 0 stops. The rest: the glob
 * needs c[0] '/' or a drive; the wrappers (payload_path_wrapper_named)
 * each need their name before the value's one ':' (http, https: none);
 * payload_system_file and payload_root_climb c[0] '/'; the NTFS stream
 * '$'; payload_path_rfi an extension in the path's last name (a '.'
 * after the '/'); payload_windows_name c[0] '/'; the file: URL
 * "file:"; payload_data_php "data:"; payload_path_probe "classpath",
 * "php://" or "phpinfo.php" ending the value (a '.' after the '/'); the
 * nul finding a NUL. So no finding: 1 when lo has that shape. */
static inline int trav_web_page(const struct payload_val *v)
{
	const char *lo = v->lo;
	size_t n = v->n, i;

	if (n < 10 || n > PAYLOAD_MAX_VALUE || lo[0] != 'h' || v->has[2] || v->has[3] || memcmp(lo, "http", 4) != 0)
		return 0;
	i = lo[4] == 's' ? 5 : 4;
	if (lo[i] != ':' || lo[i + 1] != '/' || lo[i + 2] != '/' || !payload_is_alnum((unsigned char)lo[i + 3]))
		return 0;
	/* lo[n] is NUL: lo[i + 1] may be read at i == n - 1 */
	for (i += 3; i < n && lo[i] != '/'; i++)
		if (!payload_is_alnum((unsigned char)lo[i]) && lo[i] != '-' && !(lo[i] == '.' && lo[i + 1] != '.'))
			return 0;
	if (i >= n)
		return 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)lo[i];

		if (!payload_is_alnum(c) && c != '-' && c != '/' && c != '?' && c != '=' && c != '&')
			return 0;
	}
	return 1;
}

/* payload_ssrf_digit_may answers 0 unless lo, after blanks, is led by
 * a digit: both its ways need lo[0] a digit or a blank (and a digit in
 * has[0], bits 48..57), so the call is made only then */
static inline int ssrf_digit_may(const struct payload_val *v)
{
	unsigned char c = (unsigned char)v->lo[0];

	return (v->has[0] & 0x03ff000000000000ull) && v->n && ((unsigned)c - '0' < 10u || payload_is_space(c)) &&
	       payload_ssrf_digit_may(v);
}

/* payload_ssti_scan (payload_tmpl.c): every finding is inside one of its
 * delimiters ({{ {% ${ #{ *{ <%= <% @( [[ {$ %{ [# <# #set( @{), in
 * {php}, in the polyglot probe at a '$' (four kinds of opener within 16
 * bytes: "<%", "[%" and "%>" make three, the others hold '{' or "}}"),
 * or Razor's process start, which needs '@' and a call's '(' after
 * "@system.diagnostics.process" (razor_process_call), or Razor's read of
 * "@system.environment." (no call); a Velocity
 * reference "$x." reaching reflection needs '(' or, for its property
 * walk "$x.class.classLoader", the bytes of "classloader" */
static inline int ssti_words(const uint64_t h[4])
{
	return HAS_ANY(h, '{', '[', '{', '{', '{', '{', '{', '{') ||
	       HAS_ALL(h, '<', '%', '<', '<', '<', '<', '<', '<') ||
	       HAS_ALL(h, '<', '#', '<', '<', '<', '<', '<', '<') ||
	       HAS_ALL(h, '(', '#', '(', '(', '(', '(', '(', '(') ||
	       HAS_ALL(h, '(', '@', '(', '(', '(', '(', '(', '(') || HAS_ALL(h, '@', '.', 'y', 's', 't', 'v', 'r', 'n') ||
	       HAS_ALL(h, '$', '}', '$', '$', '$', '$', '$', '$') || HAS_ALL(h, '$', '.', '(', '$', '$', '$', '$', '$') ||
	       HAS_ALL(h, '$', '.', 'c', 'l', 'a', 's', 'o', 'd') ||
	       /* OGNL's switches with no delimiter (payload_tmpl_walk_ognl):
		* "#_memberaccess", "#context[" */
	       HAS_ALL(h, '#', '_', 'm', 'e', 'b', 'r', 'c', 's') ||
	       HAS_ALL(h, '#', 'c', 'o', 'n', 't', 'e', 'x', '[');
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
	if ((gates >> GATE_XSS & 1) && xss_words(v->has))
		payload_xss_scan(v, a);
	/* payload_cmdi_scan's base64 reading finds nothing unless
	 * payload_b64_unwrap gives text */
	/* ... and qx with a delimiter no gate byte is (qx#id#, qx~id~), an
	 * option with no blank (-oProxyCommand=id): 'q' and 'x', a lead '-'
	 * and '=' */
	if (where != PAYLOAD_WHERE_PATH && ((gates >> GATE_CMDI & 1) || (may && payload_b64_text(dec, n)) ||
					    (payload_has(v, 'q') && payload_has(v, 'x')) || (n > 2 && dec[0] == '-' && payload_has(v, '='))))
		payload_cmdi_scan(v, a);
	/* canon reads a '0' only before an 'x' (path_char: "0x2e") */
	if (((gates >> GATE_TRAV & 1) && trav_words(v->has) && !trav_plain_number(v) && !trav_web_page(v)) ||
	    (payload_has(v, '0') && payload_has(v, 'x') && payload_find(lo, n, 0, "0x") < n))
		payload_trav_scan(v, a);
	/* a digit-led value's bare host (payload_ssrf_digit_may: led by a
	 * digit after blanks, and no plain number, date or decimal) needs a
	 * digit ('0'..'9': bits 48..57 of has[0]) */
	if (((gates >> GATE_SSRF & 1) && ssrf_words(v->has)) ||
	    ssrf_digit_may(v))
		payload_ssrf_scan(v, a);
	if (gates >> GATE_JNDI & 1)
		payload_jndi_scan(v, a);
	if ((gates >> GATE_SSTI & 1) && ssti_words(v->has))
		payload_ssti_scan(v, a);
	if ((gates >> GATE_DATA & 1) && data_words(v->has))
		payload_data_scan(v, a);
	/* LDAP filters and XPath */
	if (where != PAYLOAD_WHERE_PATH && (gates >> GATE_LDAP & 1) && ldap_words(v))
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
	if ((gates >> GATE_SSTI & 1) && ssti_words(v->has))
		may |= 1u << PAYLOAD_SSTI;
	if ((gates >> GATE_DATA & 1) && data_words(v->has))
		may |= 1u << PAYLOAD_XXE;
	if (((gates >> GATE_SSRF & 1) && ssrf_words(v->has)) ||
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
