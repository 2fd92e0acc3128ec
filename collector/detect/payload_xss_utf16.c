/* payload_xss_utf16.c - markup spelt in UTF-16 (`%00%3C%00s...`): the
 * value's other bytes read again as a value by the XSS detector, one
 * level deep. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

/* The value spelt in UTF-16 (big- or little-endian: all but a few of the
 * bytes at even, or at odd, offsets NUL), as encoding lists write markup
 * for a page or decoder that reads it so: its other bytes copied into out
 * (room for n), their count; 0 when the value is not spelt so. */
static size_t utf16_squeeze(const char *s, size_t n, char *out)
{
	size_t nul[2] = {0, 0}, w = 0;
	int par;

	if (n < 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		nul[i & 1] += s[i] == '\0';
	par = nul[0] >= nul[1] ? 0 : 1;
	/* 9 in 10 of that parity's bytes NUL, almost none of the other's */
	if (nul[par] * 10 < (par ? n / 2 : (n + 1) / 2) * 9 || nul[par ^ 1] * 16 > n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\0')
			out[w++] = s[i];
	return w;
}

void payload_xss_utf16_rescan(const struct payload_val *v, struct payload_acc *a, int depth)
{
	char s[PAYLOAD_MAX_VALUE + 1], lo[PAYLOAD_MAX_VALUE + 1];
	struct payload_val u = *v;

	if (depth >= 2 || v->n > PAYLOAD_MAX_VALUE || (u.n = utf16_squeeze(v->s, v->n, s)) == 0)
		return;
	memset(u.has, 0, sizeof(u.has));
	for (size_t i = 0; i < u.n; i++) {
		unsigned char c = (unsigned char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		lo[i] = (char)c;
		u.has[c >> 6] |= 1ull << (c & 63);
	}
	s[u.n] = lo[u.n] = '\0';
	u.s = s;
	u.lo = lo;
	payload_xss_scan_depth(&u, a, depth + 1);
}
