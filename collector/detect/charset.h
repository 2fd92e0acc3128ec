/* charset.h - request bodies in a character set that is no superset of
 * ASCII, read as the servers that honour the set read them.
 *
 * A Content-Type charset parameter is honoured by Java servlet containers
 * (a form's names and values are percent-decoded to bytes, then decoded
 * with the request's character encoding), by ASP.NET (HttpRequest.Form
 * with the request's ContentEncoding) and by JSON readers that take
 * UTF-16 and UTF-32 (Jackson tells them from a body's first bytes, RFC
 * 4627 section 3). A payload spelt in IBM037 or UTF-16 shows none of its
 * bytes to a reader that assumes ASCII: a known way past inline WAFs.
 *
 * - charset_from_ctype: the charset a Content-Type names (every charset
 *   parameter is looked at: with two, one that needs decoding wins).
 * - charset_sniff: the one a body's first bytes show (byte order marks,
 *   RFC 4627's pattern of NULs, XML 1.0 appendix F's "<?xm" in EBCDIC).
 * - charset_decode: bytes to UTF-8.
 * - charset_decode_form: a form's names and values (split at ASCII '&'
 *   and '=', percent-decoded, '+' a blank, decoded) written back as a
 *   form of percent-encoded UTF-8, for payload_scan_query.
 * ASCII-compatible sets (UTF-8, ISO-8859-*, windows-125x, Shift_JIS,
 * EUC-*, GB*, Big5, KOI8-*, DOS pages) need nothing and are CHARSET_ASCII.
 * Each call is one pass, writes at most cap bytes and sets *cut when the
 * output did not fit. A code unit no set defines reads as U+FFFD.
 */
#ifndef SW_CHARSET_H
#define SW_CHARSET_H

#include <stddef.h>
#include <stdint.h>

enum charset_kind {
	CHARSET_ASCII = 0,  /* none named, or a superset of ASCII */
	CHARSET_UTF16,      /* no byte order named: a mark, else sniffed */
	CHARSET_UTF16LE,
	CHARSET_UTF16BE,
	CHARSET_UTF32,      /* no byte order named: a mark, else sniffed */
	CHARSET_UTF32LE,
	CHARSET_UTF32BE,
	CHARSET_UTF7,
	CHARSET_EBCDIC,
};

#define CHARSET_NAME_MAX 24

struct charset {
	enum charset_kind kind;
	const uint16_t *page;  /* CHARSET_EBCDIC: byte -> code point */
	unsigned page_no;      /* CHARSET_EBCDIC: the page named (37, 500, ..) */
	int guessed;           /* an EBCDIC page with no table, read as 37 */
	char name[CHARSET_NAME_MAX]; /* as named, reduced to [a-z0-9-] */
};

/* 1 when the Content-Type ct[0..n) names a charset that needs decoding
 * (cs filled), 0 for none or an ASCII-compatible one. */
int charset_from_ctype(const char *ct, size_t n, struct charset *cs);

/* 1 when p[0..n)'s first bytes show UTF-16, UTF-32 (a mark, or ASCII
 * spelt with NULs as RFC 4627 describes) or an EBCDIC XML prolog. */
int charset_sniff(const uint8_t *p, size_t n, struct charset *cs);

size_t charset_decode(const struct charset *cs, const uint8_t *in, size_t n,
		      char *out, size_t cap, int *cut);
size_t charset_decode_form(const struct charset *cs, const char *in, size_t n,
			   char *out, size_t cap, int *cut);

#endif
