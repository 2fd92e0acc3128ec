/* fuzz_charset.c - libFuzzer target: request bodies in a charset
 * (collector/detect/charset.h). The first byte picks a Content-Type from
 * the table below (low 4 bits) and the output bound (the rest, times 61,
 * plus 1); the rest is the body, and also read as a Content-Type of its
 * own. Checks: nothing written past the bound (a guard after it), a cut
 * only when the output is at the bound's reach, decoded text is valid
 * UTF-8, a decoded form holds nothing but [A-Za-z0-9._~-], %XX, '&' and
 * '=', and whatever charset_from_ctype/charset_sniff report is one the
 * decoder knows with a name of [a-z0-9-]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/charset.h"

static const char *const types[16] = {
	"application/x-www-form-urlencoded; charset=ibm037",
	"application/x-www-form-urlencoded; charset=utf-16",
	"application/x-www-form-urlencoded; charset=utf-7",
	"application/x-www-form-urlencoded; charset=utf-32be",
	"text/plain; charset=IBM01141",
	"text/plain; charset=utf-16le",
	"text/plain; charset=unicodeFFFE",
	"text/plain; charset=UTF-32",
	"text/plain; charset=UNICODE-1-1-UTF-7",
	"text/plain; charset=cp875",
	"text/plain; charset=IBM424",
	"text/plain; charset=x-ebcdic-koreanextended",
	"application/json",
	"application/xml",
	"text/plain; charset=IBM-1047",
	"text/plain; charset=cp1026",
};

static char out[15 * 61 + 1 + 64];

static void valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], k, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
		if (!k || c > 0xF4)
			abort();
		cp = c & (0x3F >> k);
		for (unsigned j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xC0) != 0x80)
				abort();
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			abort();
		i += k + 1;
	}
}

static int form_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '&' || c == '=';
}

static void known(const struct charset *cs)
{
	if (cs->kind < CHARSET_UTF16 || cs->kind > CHARSET_EBCDIC)
		abort();
	if (cs->kind == CHARSET_EBCDIC && !cs->page)
		abort();
	for (const char *p = cs->name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct charset cs;
	size_t cap, n;
	int cut;

	if (size < 1)
		return 0;
	cap = (size_t)(data[0] >> 4) * 61 + 1;
	if (charset_from_ctype((const char *)data + 1, size - 1, &cs))
		known(&cs);
	if (charset_sniff(data + 1, size - 1, &cs))
		known(&cs);
	if (!charset_from_ctype(types[data[0] & 15], strlen(types[data[0] & 15]), &cs) &&
	    !charset_sniff(data + 1, size - 1, &cs))
		return 0;
	known(&cs);
	memset(out, 0xA5, sizeof(out));
	n = charset_decode(&cs, data + 1, size - 1, out, cap, &cut);
	for (size_t i = cap; i < sizeof(out); i++)
		if ((unsigned char)out[i] != 0xA5)
			abort();
	if (n > cap || (cut && n + 4 <= cap))
		abort();
	valid_utf8((const unsigned char *)out, n);
	memset(out, 0xA5, sizeof(out));
	n = charset_decode_form(&cs, (const char *)data + 1, size - 1, out, cap, &cut);
	for (size_t i = cap; i < sizeof(out); i++)
		if ((unsigned char)out[i] != 0xA5)
			abort();
	if (n > cap || (cut && n + 12 <= cap))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (out[i] == '%') {
			if (i + 2 >= n)
				abort();
			i += 2;
		} else if (!form_byte((unsigned char)out[i])) {
			abort();
		}
	}
	return 0;
}
