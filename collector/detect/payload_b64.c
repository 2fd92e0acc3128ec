/* payload_b64.c - base64-wrapped values unwrapped for the injection
 * detectors (see payload_b64.h). Linear in the value, bounded by cap. */
#include "collector/detect/payload_b64.h"
#include "collector/detect/payload_int.h"
#include "common/digit.h"

#include <string.h>

/* what a payload spells in place of a blank or a quote: a comment as the
 * space between keywords, ${IFS}, backticks, a redirection; and a
 * Windows path's separator ("..\\..\\boot.ini" holds no other) */
static int gate_char(unsigned char c)
{
	return c == ' ' || c == '\'' || c == '"' || c == ';' || c == '(' || c == '|' ||
	       c == '&' || c == '/' || c == '*' || c == '$' || c == '{' || c == '}' ||
	       c == '`' || c == '<' || c == '>' || c == '\\';
}

#define b64_digit payload_b64_digit
#define b64_refused payload_b64_refused
#define b64_head_refused payload_b64_head_refused

static size_t b64_unwrap(const char *s, size_t n, char *out, size_t cap, int *weak)
{
	size_t w = 0, m = n, digits = 0, junk;
	unsigned acc = 0;
	int bits = 0, text = 0;

	*weak = 0;
	if (b64_head_refused(s, n))
		return 0;
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
		if (b64_refused(c) || w >= cap)
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

/* The value payload.c's run_detectors is judging, and whether
 * b64_unwrap refused it (state 0), gave text (1) or was not asked yet
 * (-1): the SQL and shell detectors and payload_wrap.c each unwrap the
 * same value (three calls per value of a letter a..f or A..Z, most of
 * them refused), so the first answer is kept. Keyed by the pointer and
 * the length: run_detectors pushes the value it hands over (its bytes
 * are const while the detectors run, and a nested run pushes its own
 * and pops back), so a call for these bytes is a call for this value.
 * Kept only when cap cannot change the answer: b64_unwrap writes at
 * most (n / 4) * 3 bytes (6 bits a digit, n digits at most) and asks
 * (digits / 4) * 3 + 2 <= cap, so with cap >= (n / 4) * 3 + 2 neither
 * test refuses. A refusal is all that is kept; text is decoded again by
 * each caller (rare: a short word that decodes to punctuation, a real
 * wrapper). */
static __thread struct payload_b64_memo b64_memo;

static inline int memo_for(const char *s, size_t n, size_t cap)
{
	return s == b64_memo.s && n == b64_memo.n && (n / 4) * 3 + 2 <= cap;
}

struct payload_b64_memo payload_b64_memo_push(const char *s, size_t n)
{
	struct payload_b64_memo old = b64_memo;

	b64_memo.s = s;
	b64_memo.n = n;
	b64_memo.state = -1;
	return old;
}

void payload_b64_memo_pop(struct payload_b64_memo old)
{
	b64_memo = old;
}

size_t payload_b64_unwrap(const char *s, size_t n, char *out, size_t cap, int *weak)
{
	size_t r;

	if (!memo_for(s, n, cap))
		return b64_unwrap(s, n, out, cap, weak);
	if (b64_memo.state == 0) {
		*weak = 0;
		return 0;
	}
	r = b64_unwrap(s, n, out, cap, weak);
	b64_memo.state = r > 0;
	return r;
}

int payload_b64_text(const char *s, size_t n)
{
	char t[PAYLOAD_MAX_VALUE / 4 * 3 + 2];
	int weak;

	if (memo_for(s, n, sizeof(t)) && b64_memo.state >= 0)
		return b64_memo.state;
	return payload_b64_unwrap(s, n, t, sizeof(t), &weak) > 0;
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
	/* no byte census: every byte may occur (the shell detector's base64
	 * reading expands a value by its census: "\"\"c\"ur'l'\"" wrapped is
	 * read as curl only so; q's finding on 3770ff4, which gave the
	 * census here) */
	memset(w->has, 0xff, sizeof(w->has));
}

void payload_b64_merge(struct payload_acc *a, const struct payload_acc *sub)
{
	for (int k = 0; k < PAYLOAD__COUNT; k++)
		if (sub->score[k] >= PAYLOAD_MIN_SCORE)
			payload_acc_hit(a, (enum payload_kind)k, sub->score[k], sub->why[k]);
}
