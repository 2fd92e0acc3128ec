/* payload_xml_enc.c - an XML document in an encoding other than ASCII's
 * supersets that a parser detects from its first bytes or its declaration
 * (XML 1.0 appendix F): UTF-16 read as ASCII, and UTF-7's shifted runs
 * (RFC 2152), turned back into the ASCII markup payload_xml.c judges. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_xml_int.h"
#include "common/digit.h"

#include <string.h>

/* A document in UTF-16 (XML 1.0 appendix F: "<" as 3C 00 or 00 3C, with or
 * without a byte order mark) read as ASCII: every other byte is NUL. Its
 * ASCII characters into out (a character past ASCII as '?'), or 0 when
 * lo[0..n) is not such a document. */
size_t payload_xml_utf16(const char *lo, size_t n, char *out, size_t cap)
{
	const char *lt = memchr(lo, '<', n);
	size_t k, w = 0;
	int le;

	if (!lt || !memchr(lo, '\0', n))
		return 0;
	k = (size_t)(lt - lo);
	if (k + 1 < n && lo[k + 1] == '\0')
		le = 1; /* the character, then NUL */
	else if (k > 0 && lo[k - 1] == '\0')
		le = 0; /* NUL, then the character */
	else
		return 0;
	/* from the first '<': what came before is a byte order mark */
	for (size_t i = k; i < n && w + 1 < cap; i += 2) {
		size_t o = le ? i + 1 : i - 1;
		out[w++] = (o < n && lo[o] == '\0') ? lo[i] : '?';
	}
	out[w] = '\0';
	return w >= 8 ? w : 0;
}

/* one UTF-7 shifted run (RFC 2152) of s[p..) after its '+': ASCII code
 * units appended to out at *w; the index after the run, or 0 when it is
 * not one (under three base64 characters, or a unit outside ASCII) */
static size_t utf7_run(const char *s, size_t n, size_t p, char *out, size_t *w, size_t cap)
{
	unsigned bits = 0, nb = 0;
	size_t q = p, w0 = *w;

	for (; q < n && digit_b64((unsigned char)s[q]) >= 0; q++) {
		bits = (bits << 6) | (unsigned)digit_b64((unsigned char)s[q]);
		nb += 6;
		if (nb >= 16) {
			unsigned u = (bits >> (nb - 16)) & 0xffff;
			nb -= 16;
			if (u > 0x7e || (u < 0x20 && u != '\t' && u != '\n' && u != '\r') || *w + 1 >= cap) {
				*w = w0;
				return 0;
			}
			out[(*w)++] = (char)((u >= 'A' && u <= 'Z') ? u + 32 : u);
		}
	}
	if (q - p < 3) {
		*w = w0;
		return 0;
	}
	return q < n && s[q] == '-' ? q + 1 : q;
}

/* A document in UTF-7: s[0..n) with every shifted run decoded, lower-cased
 * into out; a form decoder may have made the shift '+' a space. 0 when
 * no run decodes to markup. */
size_t payload_xml_utf7(const char *s, size_t n, char *out, size_t cap)
{
	size_t w = 0, runs = 0;

	if (!memchr(s, '+', n) && payload_find(s, n, 0, " A") >= n)
		return 0;
	for (size_t i = 0; i < n && w + 1 < cap;) {
		if ((s[i] == '+' || (s[i] == ' ' && i + 1 < n && s[i + 1] == 'A')) && i + 1 < n) {
			size_t e = utf7_run(s, n, i + 1, out, &w, cap);
			if (e) {
				runs++;
				i = e;
				continue;
			}
		}
		out[w++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
		i++;
	}
	out[w] = '\0';
	return runs && memchr(out, '<', w) ? w : 0;
}

