/* utf8.c - UTF-8 validation (RFC 3629, table 3-7 of Unicode). */
#include "common/utf8.h"

size_t utf8_seq(const void *str, size_t n)
{
	const unsigned char *s = str;
	unsigned char c, lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong 3-byte form */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* no overlong 4-byte form */
		else if (c == 0xF4)
			hi = 0x8F; /* nothing past U+10FFFF */
	} else {
		return 0; /* NUL, continuation byte, C0, C1, F5..FF */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

size_t utf8_valid_prefix(const void *str, size_t n)
{
	const unsigned char *s = str;
	size_t i = 0, k;

	while (i < n && (k = utf8_seq(s + i, n - i)) != 0)
		i += k;
	return i;
}
