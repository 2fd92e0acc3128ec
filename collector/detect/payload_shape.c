/* payload_shape.c - a browser's User-Agent is not asked of the command
 * injection detector. "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36
 * (KHTML, like Gecko) Chrome/120.0 Safari/537.36" opens payload_cmdi_scan's
 * byte gate (';' '/' '(' blank) and cost ~12.1K instructions a request.
 *
 * The grammar (on lo, the value lower-cased; s differs from lo only in
 * the case of letters):
 *  G1 bytes a-z 0-9 '_' blank ( ) , ; . / : only (no quote, '`', '$',
 *     '\\', '%', '&', '|', '<', '>', '^', '{', '[', '*', '?', '!', '=',
 *     '@', '#', '-', '+', '~', control or high byte); lo[0] a letter;
 *  G2 each '(' has a blank before it, before that a run of digits and
 *     dots led by a digit with '/' before it ("/5.0 ("), a letter after
 *     it and no '(' again before its ')'; each ')' closes one and is
 *     followed by a blank or the end (sqli_ua_quiet's U2);
 *  G3 a run of [a-z0-9_.] led by a digit holds no letter (U3);
 *  G4 every run of [a-z0-9_] led by a letter or '_' (a word) is one of
 *     ua_words[] below (none holds 'q', "cmd", "iex", and none is a
 *     word of payload_shellt.c's lists, an interpreter of
 *     payload_shellw.c's interp_word, or then, else, do, if, exec,
 *     time, command, powershell, pwsh, phpinfo: test_payload_fast checks
 *     the lists);
 *  G5 the first word is followed by '/' ("mozilla/");
 *  G6 each ';' is followed by a blank and a letter;
 *  G7 each '.' follows a digit;
 *  G8 each ':' follows the word "rv" (Firefox's "rv:121.0").
 * Why payload_cmdi_scan (payload_shell*.c as of de7f029) finds nothing,
 * read rule by rule:
 *  - seps: of its bytes only ';' (G1; '<' '>' are out), so scan_seps
 *    runs on s (and on lo when s has capitals); obf is 0 (no $ \\ ' " `),
 *    so expanded(), spelt_lead and payload_shellw_unobfuscate (obf, '^'
 *    or "{,}") do not run. In scan_seps: the first word runs to the '/'
 *    of G5, which is none of ; | & NL CR, so first stays 0 and no ';'
 *    is at first: lead is 0 (or PAYLOAD_SHELL_LEAD_WIN, bit 1 clear).
 *    Only ';' acts (no quote, '$', '<', '>', '\\', '`', '|'):
 *    payload_shell_command_at at the blank after it skips to a word of
 *    G4 (G6). command_at_d: shell_forms needs "then " "else " "do "
 *    "if [" or '=' (G1, G4); payload_shellc_prefix acts at ( @ , = < >
 *    digits or "exec " "time " "eval " "command " (none: a G4 word is
 *    there; "eval" is none), '!' (G1) and a NAME= led by any letter
 *    (a G4 word in lo, or "Linux" in s, but '=' is out by G1: the name
 *    ends at a blank or ';' and only the keywords above are tried);
 *    shell_forms' ". <(" "source <(" need '<' (G1); win_program's
 *    "start " "call " (no G4 word) and "\\\\" (G1);
 *    "$0" "$SHELL" '{' '/' need bytes G1 leaves out; a drive path a
 *    letter then ':' (G8: ':' follows "rv", two letters); win_var_dir
 *    '%'; "usr/bin/" "bin/" "sbin/" (G4); a cmdlet "Get-" etc. '-';
 *    the lists' loop a listed word at p (strong or weak: memcmp of the
 *    word, then a word end, which no byte of [a-z0-9_] is, or '#'): the
 *    word at p is a whole G4 word, none listed; with lead bit 0 clear
 *    payload_shellc_unlisted is not asked. payload_shellw_interp_code:
 *    "/usr/bin/" "/bin/" at a letter no; "powershell" "pwsh" and
 *    interp_word's interpreters start no G4 word. pipe_filter and
 *    piped_interp need '|', var_command '$'.
 *  - caret_lead '^', glob_path_lead '?', payload_shell_glob '[' '*' '?'
 *    (G1).
 *  - payload_shellw_win_grammar: pct 0 (no '%'): only its "cmd" loop,
 *    which needs "cmd" (no G4 word holds it; G3 numbers hold no letter).
 *  - sepless: expand 0 (no '$' '{'): only payload_shellw_interpreter_run
 *    at lo[0], which needs "cmd " "cmd.exe " "%comspec% " "powershell "
 *    "pwsh " "/bin/" or "bash " "sh " "zsh " "dash " "ksh ": each a word
 *    and a blank, and the first word has '/' after it (G5).
 *  - payload_shellc_cmdline: its first word (alnum or '.') ends at G5's
 *    '/', not a blank: 0.
 *  - payload_shellc_arg_inject needs '-'; payload_shellc_dde a first
 *    byte of = + - @ (lo[0] is a letter).
 *  - the absolute path: s[0] '/'.
 *  - fns[] ("system(" ...): a quote, '`', '$' or '[' after the '('.
 *  - payload_shellc_code_call: a quote after the '(' (or '[').
 *  - payload_shellw_php_eval: marks 0 (no '$' or quote); ";print(" needs
 *    a ';' first after quotes and blanks (lo[0] is a letter).
 *  - payload_shell_code: qx/%x need 'q' or '%' (no G4 word holds 'q');
 *    php_tag and ssi_directive '<'; php_info_value "phpinfo()"; the
 *    glob s[0] '/'.
 *  - payload_shell_ps_iex: "iex" or "invoke-expression" at a word start
 *    (no G4 word starts so), then ps_call_operator, which acts at '&' or
 *    at a '.' after a blank, ; | & ( quote or the value's start (G7: a
 *    '.' follows a digit). payload_shell_ps_process needs ']'.
 *  - SSI "<!--#exec" '<'.
 *  - the base64 reading: what payload_b64_unwrap gives. payload.c asks
 *    the detector whenever payload_b64_text holds (may), as before, so
 *    the skip covers only values whose base64 reading finds nothing.
 * payload_data_scan (payload_data.c as of de7f029) on the same grammar:
 * its loop sets a flag at "()" (G2: a letter after each '('), '$' (G1),
 * ';' after a quote (G1) or a value of digits up to it (lo[0] is a
 * letter), "==" (G1), "db." or "this." (G7 and G3: a '.' follows a digit,
 * '.' or '_'), "__" (payload.c asks the detector when "__" occurs: a
 * number run may hold it), "constructor" (eleven letters: inside one
 * word, none of ua_words[] holds it), '<' or '%' (G1), "adw" (a word:
 * none holds it). With no flag set it returns having found nothing.
 * test_payload_fast checks "constructor" and "adw" against ua_words[].
 * A rule added to payload_shell*.c that acts at ';', '(', ',', '.', ':',
 * '/' or a blank on a word of ua_words[] must narrow this grammar.
 * tests/unit/test_payload_exits.c (cmdi_ua_cases) sends an attack past
 * each of G1..G8. */
#include "collector/detect/payload_shape.h"

#include <stdint.h>
#include <string.h>

const char *const payload_shape_ua_words[] = {
	"mozilla", "windows", "nt", "win64", "wow64", "x64", "x11", "linux", "x86_64", "i686",
	"ubuntu", "macintosh", "intel", "mac", "os", "x", "applewebkit", "khtml", "like",
	"gecko", "chrome", "safari", "firefox", "edg", "version", "rv", "android", "mobile",
	"k", "cros", "aarch64", "armv7l", "u", "en", "us",
};
const size_t payload_shape_ua_nwords = sizeof(payload_shape_ua_words) / sizeof(payload_shape_ua_words[0]);

static inline int sh_digit(unsigned char c)
{
	return (unsigned)c - '0' < 10u;
}

static inline int sh_letter(unsigned char c)
{
	return (unsigned)c - 'a' < 26u;
}

/* ua_words[] by first letter and length: bit k of ua_at[c - 'a'][l] is
 * word k (at most 64 words of at most UA_WORD_MAX bytes, each led by a
 * letter: test_payload_fast2 checks) */
#define UA_WORD_MAX 15
static uint64_t ua_at[26][UA_WORD_MAX + 1];

__attribute__((constructor)) static void ua_at_build(void)
{
	for (size_t k = 0; k < payload_shape_ua_nwords && k < 64; k++) {
		const char *w = payload_shape_ua_words[k];
		size_t l = strlen(w);

		if (sh_letter((unsigned char)w[0]) && l <= UA_WORD_MAX)
			ua_at[w[0] - 'a'][l] |= 1ull << k;
	}
}

/* is lo's run w[0..l) (led by a letter or '_') one of ua_words[]? */
static int ua_word(const char *w, size_t l)
{
	if (l > UA_WORD_MAX || !sh_letter((unsigned char)w[0]))
		return 0;
	for (uint64_t m = ua_at[w[0] - 'a'][l]; m; m &= m - 1)
		if (!memcmp(payload_shape_ua_words[__builtin_ctzll(m)], w, l))
			return 1;
	return 0;
}

int payload_shape_ua_walk(const struct payload_val *v)
{
	const char *lo = v->lo;
	size_t n = v->n, i = 0;
	int open = 0, first = 1;

	if (!n || !sh_letter((unsigned char)lo[0]))
		return 0; /* G1 (its bytes: payload_shape_ua) */
	while (i < n) {
		unsigned char c = (unsigned char)lo[i];
		size_t j = i;

		if (sh_letter(c) || c == '_') {
			while (j < n && (payload_is_alnum((unsigned char)lo[j]) || lo[j] == '_'))
				j++;
			if (!ua_word(lo + i, j - i) || (first && (j >= n || lo[j] != '/'))) /* G4, G5 */
				return 0;
			first = 0;
			i = j;
		} else if (sh_digit(c)) { /* G3 */
			for (; j < n && (payload_is_alnum((unsigned char)lo[j]) || lo[j] == '.' || lo[j] == '_'); j++)
				if (sh_letter((unsigned char)lo[j]))
					return 0;
			i = j;
		} else if (c == '(' || c == ')') { /* G2 */
			if (!payload_shape_ua_paren(lo, n, i, &open))
				return 0;
			i++;
		} else if (c == ';') { /* G6 */
			if (i + 2 >= n || lo[i + 1] != ' ' || !sh_letter((unsigned char)lo[i + 2]))
				return 0;
			i++;
		} else if (c == '.') { /* G7 */
			if (i == 0 || !sh_digit((unsigned char)lo[i - 1]))
				return 0;
			i++;
		} else if (c == ':') { /* G8 */
			if (i < 2 || lo[i - 2] != 'r' || lo[i - 1] != 'v' || (i > 2 && (payload_is_alnum((unsigned char)lo[i - 3]) || lo[i - 3] == '_')))
				return 0;
			i++;
		} else {
			i++; /* blank , / (G1) */
		}
	}
	return 1;
}
int payload_shape_ua_paren(const char *lo, size_t n, size_t i, int *open)
{
	size_t p;

	if (lo[i] == ')') {
		if (!*open || (i + 1 < n && lo[i + 1] != ' '))
			return 0;
		*open = 0;
		return 1;
	}
	if (*open || i < 3 || lo[i - 1] != ' ' || i + 1 >= n || !sh_letter((unsigned char)lo[i + 1]))
		return 0;
	for (p = i - 2; p > 0 && (sh_digit((unsigned char)lo[p]) || lo[p] == '.'); p--)
		;
	if (lo[p] != '/' || p + 1 > i - 2 || !sh_digit((unsigned char)lo[p + 1]))
		return 0;
	*open = 1;
	return 1;
}


/* ---- plain values: no detector finds anything in them ----
 *
 * payload_shape_plain(s, n): 1 when s[0..n) (ASCII, as scan_window hands
 * the detectors: dec, case kept; lo differs only in 'T' and 'Z') is one of
 *  N1 a number: '-'? D+ ('.' D+)? where D is a digit; unsigned, with no
 *     '.' at most 9 digits, with a '.' not led by '0' and not "100.",
 *     "169." or "192." (the dotted addresses of payload_ssrf_digit_may);
 *  N2 digit groups: D+ ('-' D+)+ (2026-12-04, 030-1234567);
 *  N3 a timestamp: DDDD-DD-DD [Tt] DD:DD (:DD)? ([Zz] | '-' DD:DD)?;
 *  N4 a phone number: '+' D+ ([ -] D+)* (+49 309 4409591, +1-555-0100).
 * Their bytes: digits, '-', '.' (N1), 't' 'z' ':' (N3), '+' (N4, first
 * byte only) and single blanks between digits (N4). scan_window
 * (payload.c) returns for them before the census, and reads them only
 * when no round of norm_decode acts (none of '%' '&' '\\'; a '+' with
 * NORM_PLUS sends N4 the long way) or on the value decoded.
 * Why each detector finds nothing (payload.c's gates, then the code as of
 * ee69078; a rule that acts at these bytes must narrow a shape here;
 * test_payload_fast2 checks the census facts):
 *  - the base64 readings (payload_b64_may: a first byte A-Z or a-f; each
 *    shape starts with a digit, '-' or '+') and so payload_wrap_scan
 *    (may0) and every detector's own unwrap: none is asked.
 *  - sqli: GATE_SQLI opens on a letter, '-' or '&' '|' '#' quotes; no
 *    byte of PAYLOAD_SQLI_MARKS but '-' (GATE_SQLI_DASH), and "--" never
 *    occurs (digits between every two '-'), so payload_sqli_scan is asked
 *    only when payload_sqli_census_quiet says 0: with no letter, or
 *    with 't' and 'z' alone (N3), it says 1 (test_payload_fast2).
 *  - xss: payload_words_xss opens on '.', ':' and '+' (N1 decimals, N3,
 *    N4). payload_xss_scan_depth: markup only with '+' (N4), where the
 *    loop acts only at "+adw-" (a digit follows N4's '+'); no 'o', so no
 *    bare event; number_break, whole_call, whole_script need ( ` =;
 *    cookie_read 'k' 'u'; context_break, comment_close '<' '>'; six_char
 *    '['; url_value (N3's ':') needs a head of j v l m d or "script:"
 *    (N3's bytes before ':' are digits, '-', 't'); css_value ( or '@';
 *    plus_kept a quote; utf16 NUL; enc_rescan's octal '\\'; its UTF-7
 *    reading (N4's '+' then digits) gives text only at "+A[A-H]" or a
 *    code unit '<': every unit holds a whole sextet of the run in its top
 *    12 bits, and a digit's sextet (52..61) is 0b11xxxx, so no unit is
 *    under 0x80.
 *  - cmdi: payload.c's gate opens only on N4's blank (no ; | & < > ` $
 *    \\ ^ % / ( { quote; no 'q', no '-' first with '='). cmdi_scan: seps
 *    and obf 0; sepless: expand 0, interpreter_run at lo[0] needs a
 *    letter, '/' or '%' ("cmd ", "/bin/", "%comspec% "); cmdline a letter
 *    first; arg_inject a '-' first (N4: '+'); dde '|' or '('; the
 *    absolute path '/'; the calls '('; b64 as above; shell_code ( { | [
 *    < ! ? or 'x'; ps '(' ':'; SSI '<'.
 *  - trav: its gate opens on '.' and ':' (N1 decimals, N3);
 *    payload_words_trav needs '.' '/' '_' '\\' '%' NUL, a high byte or
 *    "dat" "jar" "netdoc" letters: N3 has none; N1 holds no letter and
 *    no ".." (payload_words_trav_number: skipped); "0x" needs 'x'. So
 *    v->raw (the bytes before decoding) is read by no detector here
 *    (trav, and xss' plus_kept, which needs a quote).
 *  - ssrf: gate '.' ':' '-' '['; payload_words_ssrf needs '/', '[',
 *    "metad." or "instancedata" letters: no. payload_ssrf_digit_may: N4
 *    starts with '+' (ssrf_digit_led 0); N1 and N2 are [0-9.-] led by a
 *    digit or '-': with '-' it is 0, else the rule of N1; N3 is led by a
 *    digit: payload_ssrf_scan has no "://" nor "file:/", and bare_host
 *    reads the host "dddd-dd-ddtdd" up to the ':', no v4 run ('t', '-')
 *    and not ending in 'o' or 'e' (v4_or_embed): it returns.
 *  - jndi '$', ssti { $ # * < @ [, data ( $ ; = . _ c < w with
 *    payload_words_data ('.' needs "db" or "this" letters): closed;
 *    ldap ( : | ) quotes ']': only N3's ':', and payload_words_ldap
 *    needs with it '*' and '/' or a blank and "or"/"and" letters.
 *  - scan_window's other readings: the fold needs a byte from 0xC0, the
 *    JSON strings a first '{' '[' or blank, '+' as a blank
 *    (plus_as_space) a byte besides digits, blanks, '-' and '+': N4 has
 *    none, the others no '+'. */
static size_t sh_run(const char *s, size_t n, size_t i)
{
	while (i < n && sh_digit((unsigned char)s[i]))
		i++;
	return i;
}

/* N3 after "DDDD-DD-DD": s[10..n) */
static int sh_time(const char *s, size_t n)
{
	static const char pat[] = "TDD:DD";
	size_t i;

	if (n < 16)
		return 0;
	for (i = 0; i < 6; i++) {
		unsigned char c = (unsigned char)s[10 + i];

		if (pat[i] == 'D' ? !sh_digit(c) : pat[i] == 'T' ? (c | 0x20) != 't' : c != ':')
			return 0;
	}
	i = 16;
	if (i + 3 <= n && s[i] == ':' && sh_digit((unsigned char)s[i + 1]) && sh_digit((unsigned char)s[i + 2]))
		i += 3;
	if (i < n && (s[i] | 0x20) == 'z')
		i++;
	else if (i + 6 == n && s[i] == '-' && sh_digit((unsigned char)s[i + 1]) && sh_digit((unsigned char)s[i + 2]) &&
		 s[i + 3] == ':' && sh_digit((unsigned char)s[i + 4]) && sh_digit((unsigned char)s[i + 5]))
		i += 6;
	return i == n;
}

int payload_shape_plain(const char *s, size_t n)
{
	size_t i, e;
	unsigned char c0;

	if (n == 0 || n > 64)
		return 0;
	c0 = (unsigned char)s[0];
	if (c0 == '+') { /* N4 */
		for (i = 1;; i = e + 1) {
			e = sh_run(s, n, i);
			if (e == i)
				return 0;
			if (e == n)
				return 1;
			if (s[e] != ' ' && s[e] != '-')
				return 0;
		}
	}
	i = c0 == '-';
	e = sh_run(s, n, i);
	if (e == i)
		return 0;
	if (e == n) /* N1, an integer */
		return i == 1 || n <= 9;
	if (s[e] == '.') { /* N1, a decimal */
		size_t f = sh_run(s, n, e + 1);

		if (f != n || f == e + 1)
			return 0;
		return i == 1 || (c0 != '0' && !(e == 3 && (!memcmp(s, "100", 3) || !memcmp(s, "169", 3) ||
							 !memcmp(s, "192", 3))));
	}
	if (s[e] != '-' || i == 1)
		return 0;
	if (e == 4 && n > 10 && sh_run(s, n, 5) == 7 && s[7] == '-' && sh_run(s, n, 8) == 10)
		return sh_time(s, n); /* N3 */
	for (;;) { /* N2 */
		i = e + 1;
		e = sh_run(s, n, i);
		if (e == i)
			return 0;
		if (e == n)
			return 1;
		if (s[e] != '-')
			return 0;
	}
}
