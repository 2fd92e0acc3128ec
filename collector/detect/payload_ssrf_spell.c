/* payload_ssrf_spell.c - how a URL's host and slashes may be spelt for
 * the WHATWG URL parser (and IDNA before a lookup) to read what the
 * SSRF detector (payload_ssrf.c) judges: enclosed digits and letters,
 * odd full stops, a special scheme's slashes of either kind or none.
 * Split out of payload_ssrf.c. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_ssrf_spell.h"

#include <string.h>

/* IDNA's mapping (UTS 46) before a lookup, for what spells an address:
 * enclosed digits U+2460..U+2473 (1..20) and U+24EA (0), circled
 * letters U+24B6..U+24E9 (a..z: a name like localhost), and the
 * ideographic and halfwidth full stops U+3002, U+FF61 as '.'. Folds
 * h[0..l) into out (room for cap) and returns the length, or 0 when the
 * result would not fit. */
size_t payload_ssrf_spell_fold(const char *h, size_t l, char *out, size_t cap)
{
	size_t w = 0;

	for (size_t i = 0; i < l; i++) {
		const unsigned char *u = (const unsigned char *)h + i;
		char d[3] = {0};

		/* circled letters: U+24B6..U+24CF (capital) and U+24D0..U+24E9 */
		unsigned cp = i + 2 < l && u[0] == 0xE2 ? ((unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)) + 0x2000 : 0;

		if (cp >= 0x24B6 && cp <= 0x24E9) {
			d[0] = (char)('a' + (cp - (cp >= 0x24D0 ? 0x24D0 : 0x24B6)));
		} else if (i + 2 < l && u[0] == 0xE2 && u[1] == 0x91 && u[2] >= 0xA0 && u[2] <= 0xB3) {
			unsigned v = u[2] - 0xA0 + 1u;

			d[0] = (char)(v >= 10 ? '0' + v / 10 : '0' + v);
			d[1] = (char)(v >= 10 ? '0' + v % 10 : 0);
		} else if (i + 2 < l && u[0] == 0xE2 && u[1] == 0x93 && u[2] == 0xAA) {
			d[0] = '0';
		} else if (i + 2 < l && ((u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) ||
					 (u[0] == 0xEF && u[1] == 0xBD && u[2] == 0xA1))) {
			d[0] = '.';
		} else {
			if (w + 1 >= cap)
				return 0;
			out[w++] = (char)u[0];
			continue;
		}
		for (int k = 0; k < 2 && d[k]; k++) {
			if (w + 1 >= cap)
				return 0;
			out[w++] = d[k];
		}
		i += 2;
	}
	return w;
}

/* A special scheme's URL (http, https, ws, wss, ftp) whose slashes are
 * spelt otherwise: the WHATWG URL parser (browsers, Node's URL and
 * fetch) skips any run of '/' and '\\' before the authority, so
 * "http:/h", "http:\\h" and "http://\\h" all reach h; "://" then
 * more slashes too. Returns where the authority starts (0: not such a
 * spelling, or plain "//", which the "://" loop reads). */
size_t payload_ssrf_spell_slashes(const char *lo, size_t n, size_t s, size_t at)
{
	static const char *const sch[] = {"http", "https", "ws", "wss", "ftp"};
	size_t sl = at - s, h = at + 1;
	int ok = 0;

	for (size_t k = 0; k < sizeof(sch) / sizeof(sch[0]) && !ok; k++)
		ok = strlen(sch[k]) == sl && !memcmp(lo + s, sch[k], sl);
	if (!ok)
		return 0;
	while (h < n && h - at < 16 && (lo[h] == '/' || lo[h] == '\\'))
		h++;
	/* "http:127.0.0.1/", "https:[::1]/": no slash at all (http and
	 * https only), a host with a letter, a dot or a bracket (a bare
	 * number is a port's: "http:8080") */
	if (h == at + 1) {
		size_t k = h;

		if (sl < 4 || h >= n)
			return 0;
		if (payload_is_alpha((unsigned char)lo[h]) || lo[h] == '[')
			return h;
		while (k < n && k < h + 64 && lo[k] >= '0' && lo[k] <= '9')
			k++;
		return k > h && k < n && (lo[k] == '.' || payload_is_alpha((unsigned char)lo[k])) ? h : 0;
	}
	if (h - at == 3 && lo[at + 1] == '/' && lo[at + 2] == '/')
		return 0;
	/* a name, an address, or an IPv6 literal ("http:\\[::1]") */
	return h > at + 1 && h < n && (payload_is_alnum((unsigned char)lo[h]) || lo[h] == '[') ? h : 0;
}

/* Is some ":/" in lo[0..n) not the plain "://" then a name ("http:/h",
 * "http:///h")? Each occurrence is looked at once. */
int payload_ssrf_spell_odd(const char *lo, size_t n)
{
	/* "http:h" and "https:h", no slash (special_slashes) */
	for (size_t at = payload_find(lo, n, 0, "http"); at + 5 < n; at = payload_find(lo, n, at + 4, "http")) {
		size_t c = at + 4 + (lo[at + 4] == 's');
		if (c + 1 < n && lo[c] == ':' && payload_is_alnum((unsigned char)lo[c + 1]) &&
		    (at == 0 || !payload_is_alnum((unsigned char)lo[at - 1])))
			return 1;
	}
	for (size_t at = payload_find(lo, n, 0, ":/"); at < n; at = payload_find(lo, n, at + 2, ":/"))
		if (at + 3 >= n || lo[at + 2] != '/' || lo[at + 3] == '/' || lo[at + 3] == '\\')
			return 1;
	return 0;
}

