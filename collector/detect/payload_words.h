/* payload_words.h - the gates by words of payload.c's dispatch
 * (run_detectors_in): past a detector's byte gate, the sets of bytes (read
 * from the value's census, no pass over the value) or the shapes of
 * value without which the detector can produce no finding, each with its
 * proof. Included by payload.c only. */
#ifndef PAYLOAD_WORDS_H
#define PAYLOAD_WORDS_H

#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <string.h>

/* Gates by words: past its byte gate, a detector whose findings each need
 * several bytes together (a word, a pair) is run only when the census
 * holds every byte of one of its sets (the ASCII bytes of lo: has[0],
 * has[1]). No second pass over the value: constant masks, two words
 * tested per set. PAYLOAD_W0(c)/PAYLOAD_W1(c): byte c's bit in has[0]/has[1]. */
#define PAYLOAD_W0(c) ((unsigned)(c) < 64 ? 1ull << ((unsigned)(c) & 63) : 0)
#define PAYLOAD_W1(c) ((unsigned)(c) >= 64 ? 1ull << ((unsigned)(c) & 63) : 0)
#define PAYLOAD_W8(f, a, b, c, d, e, g, h, i) (f(a) | f(b) | f(c) | f(d) | f(e) | f(g) | f(h) | f(i))
/* every one of up to 8 bytes (repeat one to fill) */
#define PAYLOAD_HAS_ALL(h, a, b, c, d, e, g, k, i)                                                  \
	(((h)[0] & PAYLOAD_W8(PAYLOAD_W0, a, b, c, d, e, g, k, i)) == PAYLOAD_W8(PAYLOAD_W0, a, b, c, d, e, g, k, i) &&      \
	 ((h)[1] & PAYLOAD_W8(PAYLOAD_W1, a, b, c, d, e, g, k, i)) == PAYLOAD_W8(PAYLOAD_W1, a, b, c, d, e, g, k, i))
#define PAYLOAD_HAS_ANY(h, a, b, c, d, e, g, k, i)                                                  \
	(((h)[0] & PAYLOAD_W8(PAYLOAD_W0, a, b, c, d, e, g, k, i)) || ((h)[1] & PAYLOAD_W8(PAYLOAD_W1, a, b, c, d, e, g, k, i)))

/* payload_data_scan (payload_data.c, as of 3bdee7e): past its first test
 * (one of ( $ ; = . _ c < or "adw") a finding needs one of its flags:
 * shellshock "()"; nosql '$', ';', "==" ('='), "db." or "this."; proto
 * "__" ('_') or "constructor" (read in s: then in lo too); xml '<', or
 * '%' once the first test passed by another byte (those that do not
 * open alone here: '(', '.', 'c'); utf7 "adw" */
static inline int payload_words_data(const uint64_t h[4])
{
	return PAYLOAD_HAS_ANY(h, '$', ';', '=', '<', '_', '$', '$', '$') ||
	       PAYLOAD_HAS_ALL(h, '(', ')', '(', '(', '(', '(', '(', '(') ||
	       PAYLOAD_HAS_ALL(h, '.', 'd', 'b', '.', '.', '.', '.', '.') ||
	       PAYLOAD_HAS_ALL(h, '.', 't', 'h', 'i', 's', '.', '.', '.') ||
	       PAYLOAD_HAS_ALL(h, 'c', 'o', 'n', 's', 't', 'r', 'u', 'c') ||
	       (PAYLOAD_HAS_ANY(h, '%', '%', '%', '%', '%', '%', '%', '%') &&
		PAYLOAD_HAS_ANY(h, '(', '.', 'c', '(', '(', '(', '(', '(')) ||
	       PAYLOAD_HAS_ALL(h, 'a', 'd', 'w', 'a', 'a', 'a', 'a', 'a');
}

/* payload_ssrf_scan (payload_ssrf.c): its "://" loop and "file:/" need
 * ':' and '/'; its loop over slashes spelt otherwise
 * (payload_ssrf_spell.c) ':' and '\\' ("http:\\127.0.0.1\\admin", no
 * '/' at all), or "http:" then the host ("http:127.0.0.1"); bare_host
 * returns unless, after blanks, the value starts with "//" ('/'), a
 * digit (payload_ssrf_digit_may: run_detectors asks apart), '[',
 * "metadata." or "instance-data" */
static inline int payload_words_ssrf(const uint64_t h[4])
{
	return PAYLOAD_HAS_ANY(h, '/', '[', '\\', '/', '/', '/', '/', '/') ||
	       PAYLOAD_HAS_ALL(h, 'h', 't', 'p', ':', 'h', 'h', 'h', 'h') ||
	       PAYLOAD_HAS_ALL(h, 'm', 'e', 't', 'a', 'd', '.', 'm', 'm') ||
	       (PAYLOAD_HAS_ALL(h, 'i', 'n', 's', 't', 'a', 'c', 'e', 'd') && (h[0] & PAYLOAD_W0('-')));
}

/* payload_xss_scan (payload_xss.c): with 'o' the only byte of its gate,
 * its loop acts only at "on" (an event handler's name: 'n'), the rest
 * at other bytes of the gate, but for the UTF-16 reading (a NUL) */
static inline int payload_words_xss(const uint64_t h[4])
{
	return PAYLOAD_HAS_ANY(h, '<', '"', '\'', '`', '{', '+', '$', '(') ||
	       PAYLOAD_HAS_ANY(h, '=', '.', '[', ':', '@', '\\', 'n', '\0');
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
static inline int payload_words_ldap(const struct payload_val *v)
{
	const uint64_t *h = v->has;
	int paren = PAYLOAD_HAS_ANY(h, '(', ')', '(', '(', '(', '(', '(', '('),
	    colon = PAYLOAD_HAS_ANY(h, ':', ':', ':', ':', ':', ':', ':', ':');
	unsigned char c0 = (unsigned char)v->lo[0];
	int or_and = v->n && (unsigned)c0 - '0' < 10u &&
		     (PAYLOAD_HAS_ALL(h, 'o', 'r', 'o', 'o', 'o', 'o', 'o', 'o') || PAYLOAD_HAS_ALL(h, 'a', 'n', 'd', 'a', 'a', 'a', 'a', 'a'));

	if (PAYLOAD_HAS_ANY(h, '|', '\'', '"', ']', '|', '|', '|', '|'))
		return 1;
	if (paren)
		return colon || PAYLOAD_HAS_ANY(h, '=', '&', '!', '\0', '=', '=', '=', '=') || or_and;
	return colon && ((PAYLOAD_HAS_ANY(h, '*', '*', '*', '*', '*', '*', '*', '*') &&
			  PAYLOAD_HAS_ANY(h, '/', '[', '/', '/', '/', '/', '/', '/')) ||
			 (PAYLOAD_HAS_ANY(h, ' ', '\t', '\n', '\r', '\v', '\f', ' ', ' ') &&
			  (PAYLOAD_HAS_ALL(h, 'o', 'r', 'o', 'o', 'o', 'o', 'o', 'o') ||
			   PAYLOAD_HAS_ALL(h, 'a', 'n', 'd', 'a', 'a', 'a', 'a', 'a'))));
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
static inline int payload_words_trav(const uint64_t h[4])
{
	return PAYLOAD_HAS_ANY(h, '.', '/', '_', '\\', '%', '\0', '.', '.') || h[2] || h[3] ||
	       PAYLOAD_HAS_ALL(h, 'd', 'a', 't', 'd', 'd', 'd', 'd', 'd') ||
	       PAYLOAD_HAS_ALL(h, 'j', 'a', 'r', 'j', 'j', 'j', 'j', 'j') ||
	       PAYLOAD_HAS_ALL(h, 'n', 'e', 't', 'd', 'o', 'c', 'n', 'n');
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
 * 1 when payload_words_trav opened and this holds */
static inline int payload_words_trav_number(const struct payload_val *v)
{
	const uint64_t *h = v->has;

	return !(h[1] & (((1ull << 26) - 1) << ('a' - 64))) && !h[2] && !h[3] &&
	       !PAYLOAD_HAS_ANY(h, '/', '_', '\\', '%', '\0', ':', '?', '*') && !PAYLOAD_HAS_ANY(h, '<', '>', '<', '<', '<', '<', '<', '<') &&
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
static inline int payload_words_trav_web(const struct payload_val *v)
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

/* payload_ssti_scan (payload_tmpl.c): every finding is inside one of its
 * delimiters ({{ {% ${ #{ *{ <%= <% @( [[ {$ %{ [# <# #set( @{), in
 * {php}, in the polyglot probe at a '$' (four kinds of opener within 16
 * bytes: "<%", "[%" and "%>" make three, the others hold '{' or "}}"),
 * or Razor's process start, which needs '@' and a call's '(' after
 * "@system.diagnostics.process" (razor_process_call), or Razor's read of
 * "@system.environment." (no call); a Velocity
 * reference "$x." reaching reflection needs '(' or, for its property
 * walk "$x.class.classLoader", the bytes of "classloader" */
static inline int payload_words_ssti(const uint64_t h[4])
{
	return PAYLOAD_HAS_ANY(h, '{', '[', '{', '{', '{', '{', '{', '{') ||
	       PAYLOAD_HAS_ALL(h, '<', '%', '<', '<', '<', '<', '<', '<') ||
	       PAYLOAD_HAS_ALL(h, '<', '#', '<', '<', '<', '<', '<', '<') ||
	       PAYLOAD_HAS_ALL(h, '(', '#', '(', '(', '(', '(', '(', '(') ||
	       PAYLOAD_HAS_ALL(h, '(', '@', '(', '(', '(', '(', '(', '(') || PAYLOAD_HAS_ALL(h, '@', '.', 'y', 's', 't', 'v', 'r', 'n') ||
	       PAYLOAD_HAS_ALL(h, '$', '}', '$', '$', '$', '$', '$', '$') || PAYLOAD_HAS_ALL(h, '$', '.', '(', '$', '$', '$', '$', '$') ||
	       PAYLOAD_HAS_ALL(h, '$', '.', 'c', 'l', 'a', 's', 'o', 'd') ||
	       /* OGNL's switches with no delimiter (payload_tmpl_walk_ognl):
		* "#_memberaccess", "#context[" */
	       PAYLOAD_HAS_ALL(h, '#', '_', 'm', 'e', 'b', 'r', 'c', 's') ||
	       PAYLOAD_HAS_ALL(h, '#', 'c', 'o', 'n', 't', 'e', 'x', '[');
}

#endif
