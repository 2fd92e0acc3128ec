/* payload_b64.c - base64-wrapped values unwrapped for the injection
 * detectors (see payload_b64.h). Linear in the value, bounded by cap. */
#include "collector/detect/payload_b64.h"
#include "collector/detect/payload_int.h"
#include "common/digit.h"

#include <string.h>

/* '+', as a form decoder may have left it (' '), counts as itself */
static int b64_digit(unsigned char c)
{
	return c == ' ' ? 62 : digit_b64_any(c);
}

/* what a payload spells in place of a blank or a quote: a comment as the
 * space between keywords, ${IFS}, backticks, a redirection */
static int gate_char(unsigned char c)
{
	return c == ' ' || c == '\'' || c == '"' || c == ';' || c == '(' || c == '|' ||
	       c == '&' || c == '/' || c == '*' || c == '$' || c == '{' || c == '}' ||
	       c == '`' || c == '<' || c == '>';
}

size_t payload_b64_unwrap(const char *s, size_t n, char *out, size_t cap, int *weak)
{
	size_t w = 0, m = n, digits = 0, junk;
	unsigned acc = 0;
	int bits = 0, text = 0;

	*weak = 0;
	while (m > 0 && s[m - 1] == '=' && n - m < 2)
		m--;
	/* one pass: decode while counting digits and junk; the checks of
	 * shape come after it (each refusal returns 0 whichever comes
	 * first). Most values stop at their first byte: from a first digit
	 * of 32 or more ('g'..'z', '0'..'9', '+', '/', '-', '_', a blank) it
	 * is 0x80 or more. Bytes written never pass (digits / 4) * 3 + 2,
	 * the room asked below, so a value that would overrun out is
	 * refused there as well. */
	for (size_t i = 0; i < m; i++) {
		int d = b64_digit((unsigned char)s[i]);
		unsigned char c;

		if (d < 0)
			continue;
		digits++;
		acc = (acc << 6) | (unsigned)d;
		bits += 6;
		if (bits < 8)
			continue;
		bits -= 8;
		c = (unsigned char)(acc >> bits);
		acc &= (1u << bits) - 1;
		/* text only: a binary blob (an image, a key) is no wrapper */
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e || w >= cap)
			return 0;
		text |= gate_char(c);
		out[w++] = (char)c;
	}
	junk = m - digits;
	/* a lenient decoder (PHP's base64_decode, Python's b64decode without
	 * validate) skips what is not in the alphabet: so do we, while nine
	 * tenths of the value is alphabet; a short value must be clean */
	if (junk * 10 > n || (junk && digits < PAYLOAD_B64_MIN))
		return 0;
	if (digits < PAYLOAD_B64_SHORT || digits % 4 == 1 || (!junk && m < n && n % 4) ||
	    (digits / 4) * 3 + 2 > cap)
		return 0;
	/* percent-encoded before it was wrapped (1%27%20or...): undone in
	 * place, printable bytes only */
	if (memchr(out, '%', w)) {
		size_t r = 0, o = 0;

		for (; r < w; r++) {
			int hi = r + 2 < w ? digit_hex((unsigned char)out[r + 1]) : -1;
			int lo = hi >= 0 ? digit_hex((unsigned char)out[r + 2]) : -1;
			unsigned char c = (unsigned char)(hi * 16 + lo);

			if (out[r] == '%' && lo >= 0 && c >= 0x20 && c <= 0x7e) {
				out[o++] = (char)c;
				text |= gate_char(c);
				r += 2;
			} else {
				out[o++] = out[r];
			}
		}
		w = o;
	}
	/* a short one is only worth what its text scores on its own */
	*weak = digits < PAYLOAD_B64_MIN;
	return text && (w >= 6 || *weak) ? w : 0;
}

void payload_b64_val(const struct payload_val *v, const char *t, size_t tn, char *lo,
		     struct payload_val *w)
{
	for (size_t i = 0; i < tn; i++)
		lo[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
	memset(w, 0, sizeof(*w));
	w->s = t;
	w->lo = lo;
	w->n = tn;
	w->where = v->where;
	w->raw = t;
	w->rawn = tn;
	/* no byte census: every byte may occur */
	memset(w->has, 0xff, sizeof(w->has));
}

void payload_b64_merge(struct payload_acc *a, const struct payload_acc *sub)
{
	for (int k = 0; k < PAYLOAD__COUNT; k++)
		if (sub->score[k] >= PAYLOAD_MIN_SCORE)
			payload_acc_hit(a, (enum payload_kind)k, sub->score[k], sub->why[k]);
}
