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
 *    digits or "exec " "time " "command " (none: a G4 word is there);
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

static int ua_word(const char *w, size_t l)
{
	for (size_t k = 0; k < payload_shape_ua_nwords; k++)
		if (payload_shape_ua_words[k][0] == w[0] && strlen(payload_shape_ua_words[k]) == l &&
		    !memcmp(payload_shape_ua_words[k], w, l))
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

