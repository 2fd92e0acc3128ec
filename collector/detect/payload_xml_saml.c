/* payload_xml_saml.c - XML a value carries as raw DEFLATE in base64.
 * SAML's HTTP-Redirect binding sends its message so (SAMLRequest=,
 * SAMLResponse= in a query: deflate, then base64, then percent), and the
 * identity or service provider inflates and parses it: a DOCTYPE with an
 * external entity there is XXE as in a body. payload_wrap.c reads base64
 * text; this reads the value that is base64 of no text, inflates a prefix
 * of it and, when that opens with markup, judges the XML with the XXE
 * detector. Bounded: SAML_IN base64 bytes, SAML_OUT plain bytes, a
 * first try of SAML_HEAD bytes that most random blobs fail. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_b64.h"
#include "common/inflate.h"

#include <string.h>

#define SAML_IN 4096   /* base64 bytes read */
#define SAML_OUT 4096  /* plain bytes judged */
#define SAML_HEAD 32   /* plain bytes of the first try */
#define SAML_RATIO 64  /* a bomb past INFLATE_RATIO_FLOOR */

/* s[0..n) decoded into out as base64 of either alphabet ('+' that a form
 * decoder made a blank counts as itself: a client that left it
 * unencoded), at most two '=' at its end: the byte count, or -1 at the
 * first byte of no base64. '+' is one digit in 64; words are a blank in
 * six bytes: past one blank in 16 (and a slack of 4) it is text */
static int b64_whole(const char *s, size_t n, uint8_t *out)
{
	size_t m = n, o = 0, blanks = 0;
	unsigned acc = 0;
	int bits = 0;

	while (m > 0 && s[m - 1] == '=' && n - m < 2)
		m--;
	for (size_t i = 0; i < m; i++) {
		int d = payload_b64_digit((unsigned char)s[i]);

		if (d < 0 || (s[i] == ' ' && ++blanks * 16 > i + 64))
			return -1;
		acc = (acc << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (int)o;
}

/* p[0..n) opens (after blanks) with '<' and holds text only: printable
 * ASCII, blanks and UTF-8 lead or continuation bytes */
static int markup_text(const uint8_t *p, size_t n)
{
	size_t i = 0;

	/* a UTF-8 byte order mark, which XML parsers take */
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i >= n || p[i] != '<')
		return 0;
	for (; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') || p[i] == 0x7f)
			return 0;
	return 1;
}

void payload_xml_saml_scan(const struct payload_val *v, struct payload_acc *a)
{
	uint8_t raw[SAML_IN / 4 * 3 + 3], out[SAML_OUT + 1];
	char lo[SAML_OUT + 1];
	struct inflate_result r;
	struct payload_acc sub;
	struct payload_val w;
	size_t n = v->n < SAML_IN ? v->n : SAML_IN;
	int rn, d0, d1, type, zhdr;
	size_t skip;

	if (n < PAYLOAD_SAML_MIN || (d0 = payload_b64_digit((unsigned char)v->s[0])) < 0 ||
	    (d1 = payload_b64_digit((unsigned char)v->s[1])) < 0)
		return;
	/* a first block's type (RFC 1951 3.2.3) is the first byte's bits
	 * 1-2 (d0 << 2 | d1 >> 4: d1's bit 5 and d0's bit 0); type 3 is no
	 * block. Stored blocks are read too: any inflater takes the XML an
	 * attacker stores whole (a random blob fails their length check at
	 * once). A zlib header (RFC 1950: 0x78.., a multiple of 31) that
	 * some providers take as well is skipped. */
	type = (d0 & 1) << 1 | (d1 >> 5 & 1);
	zhdr = (d0 << 2 | d1 >> 4) == 0x78;
	if (type == 3 && !zhdr)
		return;
	/* past SAML_IN bytes a prefix (whole groups: SAML_IN % 4 == 0) */
	if ((rn = b64_whole(v->s, n, raw)) < 8)
		return;
	skip = zhdr && (raw[0] << 8 | raw[1]) % 31 == 0 && !(raw[1] & 0x20) ? 2 : 0;
	if (zhdr && !skip && type == 3)
		return;
	inflate_probe(raw + skip, (size_t)rn - skip, out, SAML_HEAD, SAML_RATIO, &r);
	if (r.out_len < 8 || !markup_text(out, r.out_len))
		return;
	inflate_probe(raw + skip, (size_t)rn - skip, out, SAML_OUT, SAML_RATIO, &r);
	if (!markup_text(out, r.out_len))
		return;
	for (size_t i = 0; i < r.out_len; i++)
		lo[i] = (char)(out[i] >= 'A' && out[i] <= 'Z' ? out[i] + 32 : out[i]);
	lo[r.out_len] = '\0';
	out[r.out_len] = '\0';
	memset(&w, 0, sizeof(w));
	w.s = (const char *)out;
	w.lo = lo;
	w.n = r.out_len;
	w.where = v->where;
	w.raw = (const char *)out;
	w.rawn = r.out_len;
	memset(w.has, 0xff, sizeof(w.has));
	memset(&sub, 0, sizeof(sub));
	payload_xxe_scan(&w, &sub);
	if (sub.score[PAYLOAD_XXE] >= PAYLOAD_MIN_SCORE)
		payload_acc_hit(a, PAYLOAD_XXE, sub.score[PAYLOAD_XXE], "external entity inside deflated base64 xml");
}
