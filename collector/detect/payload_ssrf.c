/* payload_ssrf.c - server-side request forgery: a value that points at a
 * host the server can reach and the client should not (loopback, private
 * and link-local networks, cloud metadata services), in a URL or bare.
 * Split from payload_path.c, which judges where a value points on disk. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_ssrf_lo.h"
#include "collector/detect/payload_ssrf_spell.h"
#include "common/digit.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#define SSRF_LOCAL_MAX PAYLOAD_SSRF_LOCAL_MAX /* see v4_class */

/* The name compares of host_class, with the literal's length known: s
 * holds l bytes and a NUL at s[l]. SSRF_IS is strcmp(s, lit) == 0 (the
 * literal's NUL compared too, so a NUL inside s ends it as strcmp's
 * does); SSRF_ENDS is strcmp(s + l - k, lit) == 0 for the literal's k
 * bytes, which hold no NUL. */
#define SSRF_LIT(lit) (sizeof(lit) - 1)
#define SSRF_IS(s, l, lit) ((l) >= SSRF_LIT(lit) && !memcmp(s, lit, sizeof(lit)))
#define SSRF_ENDS(s, l, lit)                                                               \
	((l) >= SSRF_LIT(lit) && (s)[(l) - 1] == (lit)[SSRF_LIT(lit) - 1] &&                \
	 !memcmp((s) + (l) - SSRF_LIT(lit), lit, SSRF_LIT(lit)))

/* inet_aton rules: 1-4 parts, each decimal, octal (0..) or hex (0x..); the
 * last part fills the remaining bytes. 2130706433 and 0x7f.1 are 127.0.0.1. */
static int ipv4_loose(const char *h, size_t l, uint32_t *out)
{
	uint32_t part[4];
	int np = 0;
	size_t i = 0;

	if (l == 0)
		return 0;
	while (i < l) {
		uint64_t v = 0;
		int base = 10, digits = 0;
		if (np == 4)
			return 0;
		if (h[i] == '0' && i + 1 < l && (h[i + 1] == 'x' || h[i + 1] == 'X')) {
			base = 16;
			i += 2;
		} else if (h[i] == '0' && i + 1 < l && h[i + 1] != '.') {
			base = 8;
			i++;
		}
		for (; i < l && h[i] != '.'; i++) {
			int d;
			char ch = h[i];
			if (ch >= '0' && ch <= '9')
				d = ch - '0';
			else if (base == 16 && ch >= 'a' && ch <= 'f')
				d = ch - 'a' + 10;
			else if (base == 16 && ch >= 'A' && ch <= 'F')
				d = ch - 'A' + 10;
			else
				return 0;
			if (d >= base)
				return 0;
			v = v * (uint64_t)base + (uint64_t)d;
			if (v > 0xFFFFFFFFull)
				return 0;
			digits++;
		}
		if (!digits && base != 16 && base != 8)
			return 0;
		part[np++] = (uint32_t)v;
		if (i < l)
			i++; /* '.' */
	}
	uint32_t r = 0;
	for (int k = 0; k < np - 1; k++) {
		if (part[k] > 255)
			return 0;
		r |= part[k] << (24 - 8 * k);
	}
	uint32_t last = part[np - 1];
	if (np > 1 && last >= (1u << (8 * (5 - np))) && np != 1)
		return 0;
	r |= last;
	*out = r;
	return 1;
}

static int v4_class(uint32_t ip, const char **why);

/* Public DNS names that resolve to the address written in them
 * (169.254.169.254.nip.io, 10-0-0-1.sslip.io) or to loopback
 * (localtest.me, lvh.me and their subdomains). h is NUL-terminated. */
static int wildcard_dns(char *h, size_t l, const char **why)
{
	size_t el, s, dots = 0;
	uint32_t ip;

	/* localtest.me, lvh.me, vcap.me, lacolhost.com: the name or a subdomain */
#define SSRF_LOOP(lit) (SSRF_ENDS(h, l, lit) && (l == SSRF_LIT(lit) || h[l - SSRF_LIT(lit) - 1] == '.'))
	if (SSRF_LOOP("localtest.me") || SSRF_LOOP("lvh.me") || SSRF_LOOP("vcap.me") ||
	    SSRF_LOOP("lacolhost.com")) {
		*why = "url to a name that resolves to loopback";
		return SSRF_LOCAL_MAX;
	}
#undef SSRF_LOOP
	/* .nip.io, .xip.io, .sslip.io, .xip.name, after a label */
	if (l > SSRF_LIT(".nip.io") && SSRF_ENDS(h, l, ".nip.io"))
		el = SSRF_LIT(".nip.io");
	else if (l > SSRF_LIT(".xip.io") && SSRF_ENDS(h, l, ".xip.io"))
		el = SSRF_LIT(".xip.io");
	else if (l > SSRF_LIT(".sslip.io") && SSRF_ENDS(h, l, ".sslip.io"))
		el = SSRF_LIT(".sslip.io");
	else if (l > SSRF_LIT(".xip.name") && SSRF_ENDS(h, l, ".xip.name"))
		el = SSRF_LIT(".xip.name");
	else
		return 0;
	l -= el;
	h[l] = '\0';
	/* nip.io's hexadecimal spelling: 8 hex digits as the last label or
	 * its last dash-separated part (a9fea9fe.nip.io, app-7f000001.nip.io) */
	for (s = l; s > 0 && h[s - 1] != '.' && h[s - 1] != '-'; s--)
		;
	if (l - s == 8 && strspn(h + s, "0123456789abcdefABCDEF") == 8) {
		ip = 0;
		for (size_t i = s; i < l; i++)
			ip = ip << 4 | (uint32_t)(h[i] <= '9' ? h[i] - '0' : (h[i] | 0x20) - 'a' + 10);
		return v4_class(ip, why);
	}
	/* the address is the last four labels, or one label with dashes */
	for (s = l; s > 0; s--) {
		if (h[s - 1] == '.' && ++dots == 4)
			break;
	}
	for (size_t i = s; i < l; i++)
		if (h[i] == '-' && dots == 0)
			h[i] = '.';
	if (ipv4_loose(h + s, l - s, &ip))
		return v4_class(ip, why);
	return 0;
}

/* 0: public, else a score. A host that harms only when the server
 * itself fetches the URL (loopback, private, shared and unique-local
 * addresses, names resolving to them) scores at most SSRF_LOCAL_MAX;
 * every other finding (metadata, link-local v4, a smuggling or file
 * scheme) scores above it, so that the best finding of a value being
 * local means the value holds nothing else (payload_ssrf_browser_merge). */
static int v4_class(uint32_t ip, const char **why)
{
	if ((ip >> 24) == 127 || ip == 0) {
		*why = "url to loopback address";
		return SSRF_LOCAL_MAX;
	}
	/* AWS/GCP/Azure (169.254.169.254), ECS (169.254.170.2), Oracle
	 * (192.0.0.192), Alibaba (100.100.100.200) */
	if (ip == 0xA9FEA9FE || ip == 0xA9FEAA02 || ip == 0xC00000C0 || ip == 0x646464C8) {
		*why = "url to cloud metadata address";
		return 95;
	}
	if ((ip >> 16) == 0xA9FE) {
		*why = "url to link-local / metadata address";
		return 90;
	}
	if ((ip >> 24) == 10 || (ip >> 20) == 0xAC1 || (ip >> 16) == 0xC0A8 || (ip >> 24) == 0) {
		*why = "url to private address";
		return 70;
	}
	if ((ip >> 22) == (100u << 2 | 1)) { /* 100.64/10 */
		*why = "url to shared address space";
		return 60;
	}
	return 0;
}

/* Names only a cluster's inside resolves: Kubernetes' service DNS
 * (kubernetes.default, NAME.NAMESPACE.svc, ...svc.cluster.local), where
 * the API server and its secrets are. Not ".internal": an ordinary
 * private name (mongodb://db.internal:27017 in a settings form). buf is
 * lower-case. */
static int internal_name(const char *buf, size_t l)
{
	return SSRF_IS(buf, l, "kubernetes.default") ||
	       (l > SSRF_LIT(".svc") && SSRF_ENDS(buf, l, ".svc")) ||
	       (l > SSRF_LIT(".svc.cluster.local") && SSRF_ENDS(buf, l, ".svc.cluster.local")) ||
	       (l > SSRF_LIT(".cluster.local") && SSRF_ENDS(buf, l, ".cluster.local"));
}

static int host_class(const char *h, size_t l, const char **why)
{
	char buf[64], fold[64];
	uint32_t ip;

	/* payload_ssrf_spell_fold's leads: 0xE2, 0xE3, 0xEF */
	for (size_t i = 0; i < l; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c >= 0xE2 && (c <= 0xE3 || c == 0xEF)) {
			l = payload_ssrf_spell_fold(h, l, fold, sizeof(fold));
			h = fold;
			break;
		}
	}
	while (l && h[l - 1] == '.')
		l--;
	if (l == 0)
		return 0;
	if (l >= sizeof(buf))
		return 0;
	memcpy(buf, h, l);
	buf[l] = '\0';
	/* and the loopback names distributions put in /etc/hosts */
	if (SSRF_IS(buf, l, "localhost") || (l > 10 && SSRF_ENDS(buf, l, ".localhost")) ||
	    SSRF_IS(buf, l, "localhost.localdomain") || SSRF_IS(buf, l, "ip6-localhost") ||
	    SSRF_IS(buf, l, "ip6-loopback")) {
		*why = "url to localhost";
		return SSRF_LOCAL_MAX;
	}
	if (SSRF_IS(buf, l, "metadata.google.internal") || SSRF_IS(buf, l, "metadata") ||
	    SSRF_IS(buf, l, "instance-data") || SSRF_IS(buf, l, "metadata.azure.com") ||
	    /* EC2's instance-data.ec2.internal, instance-data.<region>.compute.internal */
	    (l > 23 && !memcmp(buf, "instance-data.", 14) && SSRF_ENDS(buf, l, ".internal"))) {
		*why = "url to cloud metadata service";
		return 90;
	}
	if (buf[0] == '[') {
		struct in6_addr a6;
		char *e = strchr(buf, ']');
		if (!e)
			return 0;
		*e = '\0';
		char *pct = strchr(buf, '%'); /* zone id */
		if (pct)
			*pct = '\0';
		if (inet_pton(AF_INET6, buf + 1, &a6) != 1)
			return 0;
		const uint8_t *b = a6.s6_addr;
		static const uint8_t zero[16];
		if (!memcmp(b, zero, 15) && (b[15] == 1 || b[15] == 0)) {
			*why = "url to ipv6 loopback";
			return SSRF_LOCAL_MAX;
		}
		if (!memcmp(b, zero, 10) && b[10] == 0xFF && b[11] == 0xFF) {
			uint32_t m = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
				     (uint32_t)b[14] << 8 | b[15];
			return v4_class(m, why);
		}
		if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) {
			*why = "url to ipv6 link-local";
			return SSRF_LOCAL_MAX;
		}
		/* AWS's IPv6 metadata endpoint fd00:ec2::254 */
		static const uint8_t ec2[16] = {0xfd, 0x00, 0x0e, 0xc2, [14] = 0x02, [15] = 0x54};
		if (!memcmp(b, ec2, 16)) {
			*why = "url to cloud metadata service";
			return 95;
		}
		if ((b[0] & 0xFE) == 0xFC) {
			*why = "url to ipv6 unique-local / metadata";
			return 75;
		}
		return 0;
	}
	if (ipv4_loose(buf, l, &ip))
		return v4_class(ip, why);
	if (internal_name(buf, l)) {
		*why = "url to a cluster-internal name";
		return 80;
	}
	return wildcard_dns(buf, l, why);
}

/* Is lo[k..n) blank? */
static int rest_blank(const char *lo, size_t n, size_t k)
{
	while (k < n && payload_is_space((unsigned char)lo[k]))
		k++;
	return k == n;
}

/* Could host_class read h[0..l) (a run of [a-z0-9_.-]) as an IPv4
 * address, or as a wildcard_dns name with one (its last byte, dots aside,
 * that of "io" or "name")? */
static inline int v4_byte(char c)
{
	/* ipv4_loose's bytes (lo is lower-case; its upper-case ones too) */
	return (c >= '0' && c <= '9') || c == '.' || (c | 0x20) == 'x' ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* bare_host's bytes: HB_RUN those of a host it reads (letters, digits,
 * '_', '.', '-'), HB_V4 the v4_bytes among them */
enum { HB_RUN = 1, HB_V4 = 2 };
static uint8_t hb_class[256];

__attribute__((constructor)) static void hb_build(void)
{
	for (unsigned c = 0; c < 256; c++) {
		if (payload_is_alnum((int)c) || c == '.' || c == '-')
			hb_class[c] = HB_RUN | (v4_byte((char)c) ? HB_V4 : 0);
	}
}

/* (v4: every byte of h[0..l) is a v4_byte) */
static int v4_or_embed(const char *h, size_t l, int v4)
{
	if (v4)
		return 1;
	while (l && h[l - 1] == '.')
		l--;
	return l && (h[l - 1] == 'o' || h[l - 1] == 'e');
}

/* Does lo[0..n) start, after blanks, with a digit (bare_host reads a
 * decimal address as a host: 2852039166)? */
static int ssrf_digit_led(const char *lo, size_t n)
{
	size_t i = 0;

	while (i < n && payload_is_space((unsigned char)lo[i]))
		i++;
	return i < n && lo[i] >= '0' && lo[i] <= '9';
}


/* lo[0..l) is digits alone */
static int digits_only(const char *lo, size_t l)
{
	for (size_t i = 0; i < l; i++)
		if (lo[i] < '0' || lo[i] > '9')
			return 0;
	return 1;
}

/* A value that is a host with no scheme: a URL parameter the application
 * completes ("169.254.169.254/latest/meta-data", "//10.0.0.1/x"). A bare
 * private or loopback address is an ordinary value (an IP field in a form);
 * a cloud metadata endpoint is not. */
static void bare_host(const char *lo, size_t n, int local, struct payload_acc *a)
{
	size_t h = 0, e;
	const char *why = NULL;
	int sc, rel = 0, v4 = 1;

	while (h < n && payload_is_space((unsigned char)lo[h]))
		h++;
	if (payload_at(lo, n, h, "//")) {
		h += 2;
		rel = 1;
	}
	/* without "//" only metadata counts: an address, a bracketed IPv6
	 * address, or one of the metadata names */
	if (!rel && !(h < n && lo[h] >= '0' && lo[h] <= '9') && !(h < n && lo[h] == '[') &&
	    !payload_at(lo, n, h, "metadata.") && !payload_at(lo, n, h, "instance-data"))
		return;
	e = h;
	if (e < n && lo[e] == '[') {
		while (e < n && lo[e] != ']')
			e++;
		if (e < n)
			e++;
	} else {
		unsigned k, all = HB_V4;

		while (e < n && ((k = hb_class[(unsigned char)lo[e]]) & HB_RUN)) {
			all &= k;
			e++;
		}
		v4 = all != 0;
	}
	if (e == h || (e < n && lo[e] != '/' && lo[e] != ':' && lo[e] != '?' && lo[e] != '#' &&
		       !payload_is_space((unsigned char)lo[e])))
		return;
	/* a host then words is prose ("169.254.169.254 is the metadata IP"),
	 * no value an application completes into a URL */
	{
		size_t k = e;

		while (k < n && !payload_is_space((unsigned char)lo[k]))
			k++;
		if (!rest_blank(lo, n, k))
			return;
	}
	/* (the test above, made before the host is read) without "//" a
	 * host led by a digit is reached only at an address host_class scores
	 * 90 or more: ipv4_loose reads it (digits, '.', 'x', a..f), or it is
	 * a name with an address in it (wildcard_dns: .nip.io, .xip.io,
	 * .sslip.io, .xip.name, trailing dots aside). The rest of host_class
	 * scores a digit-led name of [a-z0-9_.-] below 90 (localhost,
	 * internal_name, wildcard_dns's loopback names) or not at all (the
	 * metadata names start with a letter, host_fold needs a byte from
	 * 0xE2). */
	if (!rel && lo[h] >= '0' && lo[h] <= '9' && !v4_or_embed(lo + h, e - h, v4))
		return;
	/* a digit-led host of v4_bytes without "//": host_class folds no
	 * byte of it (host_fold needs one from 0xE2), drops trailing dots,
	 * refuses 64 bytes or more, and no name it knows is spelled in
	 * [0-9a-fx.] (localhost, the metadata and cluster names and the
	 * wildcard DNS suffixes each hold another letter, and lead with a
	 * letter or '.'): it is ipv4_loose's address or nothing. Only 90 or
	 * more counts here, so the small number below (v4_class: 84 for 0,
	 * 70 under 1.0.0.0) changes nothing either. */
	if (!rel && v4 && lo[h] >= '0' && lo[h] <= '9') {
		uint32_t ip;
		size_t l = e - h;

		while (l && lo[h + l - 1] == '.')
			l--;
		if (l >= 64 || !ipv4_loose(lo + h, l, &ip) || (sc = v4_class(ip, &why)) < 90)
			return;
		/* Alibaba's 100.100.100.200 is also an address of carrier-grade
		 * NAT (100.64.0.0/10) an IP field holds: told, not killed; in
		 * that dotted-decimal spelling, or as one decimal number (an id
		 * may be 1684301000), only: no field holds 0x646464c8,
		 * 0144.0144.0144.0310 or 100.100.25800 */
		if (ip == 0x646464C8 && ((l == 15 && !memcmp(lo + h, "100.100.100.200", 15)) ||
					 (l == 10 && digits_only(lo + h, l))) &&
		    rest_blank(lo, n, e)) {
			payload_acc_hit(a, PAYLOAD_SSRF, 50, "shared-address-space metadata address as a value");
			return;
		}
		payload_acc_hit(a, PAYLOAD_SSRF, sc - 5, "metadata address as a value");
		return;
	}
	/* not "metadata" alone: a word; its fully qualified name is a host */
	if (e - h == 8 && !memcmp(lo + h, "metadata", 8))
		return;
	/* one small number is no host a fetch would reach ("//9/" opens a
	 * JPEG's base64): an address in one part counts as 0 (this host) or
	 * from 1.0.0.0 on (2130706433, 0x7f000001) */
	{
		uint32_t ip;
		char hb[16];

		if (e - h < sizeof(hb) && !memchr(lo + h, '.', e - h)) {
			memcpy(hb, lo + h, e - h);
			hb[e - h] = '\0';
			if (ipv4_loose(hb, e - h, &ip) && ip != 0 && ip < (1u << 24))
				return;
		}
	}
	sc = host_class(lo + h, e - h, &why);
	if (sc && ((rel && (local || sc > SSRF_LOCAL_MAX)) || sc >= 90))
		payload_acc_hit(a, PAYLOAD_SSRF, rel ? sc : sc - 5, rel ? why : "metadata address as a value");
}

/* A value led by a digit (after blanks) reaches bare_host's address
 * reading; most such values are numbers, dates and decimals, in which it
 * can find nothing. Made of [0-9.-] alone (v->has: the census, a
 * superset of lo's bytes), such a value has no blank, '/', '[', ':' or
 * letter: only bare_host can fire, with no "//", and its host is the
 * whole value (every byte is a host byte, so e == n). Then:
 *  - with a '-' the host is no run of v4_bytes, and v4_or_embed needs
 *    a last byte 'o' or 'e': it returns;
 *  - with none, ipv4_loose reads lo[0..l) (trailing dots dropped) and
 *    only v4_class 90 or more counts: a top byte 169 (169.254/16), 192
 *    (192.0.0.192) or 100 (100.100.100.200), so an address from
 *    1684300872 (100.100.100.200) on. One part (no '.' before l) of
 *    fewer than ten digits is below it, decimal or octal. Several
 *    parts: the top byte is the first part, read in decimal when it
 *    does not start with '0' (no 'x' here), so it is "100", "169" or
 *    "192" exactly.
 * 0: bare_host finds nothing in v; 1: it may (asked of digit-led values
 * only: run_detectors_in calls payload_ssrf_scan when this says 1). */
int payload_ssrf_digit_may(const struct payload_val *v)
{
	const uint64_t digits = 0x03ff000000000000ull, dot = 1ull << '.', dash = 1ull << '-';
	const char *lo = v->lo;
	size_t n = v->n, l, k;

	if (v->has[1] || v->has[2] || v->has[3] || (v->has[0] & ~(digits | dot | dash)) ||
	    !(n && lo[0] >= '0' && lo[0] <= '9'))
		return ssrf_digit_led(lo, n);
	if (v->has[0] & dash)
		return 0;
	for (l = n; l && lo[l - 1] == '.'; l--)
		;
	for (k = 0; k < l && lo[k] != '.'; k++)
		;
	if (k == l)
		return l >= 10;
	return lo[0] == '0' ||
	       (k == 3 && (!memcmp(lo, "100", 3) || !memcmp(lo, "169", 3) || !memcmp(lo, "192", 3)));
}

/* A parameter whose URL the server hands to the user agent and never
 * fetches: OAuth 2.0's redirect_uri (RFC 6749 3.1.2), OpenID Connect's
 * post_logout_redirect_uri, dynamic registration's redirect_uris (RFC
 * 7591 2), and the same words in other spellings (redirectUri,
 * redirect-url, redirect_uris[]). RFC 8252 7.3 has native apps register
 * loopback redirects (http://127.0.0.1:{port}/), and development and
 * intranet clients use private addresses. The name n[0..l) as it came
 * (percent escapes undone here), lower-cased with '_', '-', '.' and a
 * trailing "[]" left out, must end in "redirecturi", "redirecturis" or
 * "redirecturl". Not oauth_callback, callback, url, request_uri,
 * jwks_uri, logo_uri: servers fetch those. */
int payload_ssrf_browser_name(const char *n, size_t l)
{
	static const char *const ends[] = {"redirecturi", "redirecturis", "redirecturl"};
	static const uint8_t end_len[] = {11, 12, 11};
	char k[64];
	size_t w = 0, t = l;

	/* each end's last byte is 'i', 's' or 'l', here after the '_', '-'
	 * and '.' left out, or before "[]": any other last byte, with no
	 * '%' to decode into one, ends no name */
	while (t && (n[t - 1] == '_' || n[t - 1] == '-' || n[t - 1] == '.'))
		t--;
	if (t && n[t - 1] != ']' && (n[t - 1] | 0x20) != 'i' && (n[t - 1] | 0x20) != 's' &&
	    (n[t - 1] | 0x20) != 'l' && !memchr(n, '%', l))
		return 0;

	for (size_t i = 0; i < l; i++) {
		unsigned char c = (unsigned char)n[i];
		int hi, lo;

		if (c == '%' && i + 2 < l && (hi = digit_hex((unsigned char)n[i + 1])) >= 0 &&
		    (lo = digit_hex((unsigned char)n[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '_' || c == '-' || c == '.')
			continue;
		if (w == sizeof(k))
			return 0;
		k[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (w >= 2 && k[w - 2] == '[' && k[w - 1] == ']')
		w -= 2;
	for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
		size_t el = end_len[e];

		if (w >= el && !memcmp(k + w - el, ends[e], el))
			return 1;
	}
	return 0;
}

/* Is the URL whose scheme starts at lo[s] the value of a browser-only
 * parameter inside the value ("...&redirect_uri=http://127.0.0.1:8080/"
 * in an authorization request URL carried whole)? */
static int browser_param_before(const char *lo, size_t s)
{
	size_t b;

	if (s < 2 || lo[s - 1] != '=')
		return 0;
	for (b = s - 1; b > 0; b--) {
		char c = lo[b - 1];

		if (!payload_is_alnum((unsigned char)c) && c != '-' && c != '.' && c != '[' && c != ']')
			break;
	}
	if (b > 0 && lo[b - 1] != '?' && lo[b - 1] != '&' && lo[b - 1] != ';' && lo[b - 1] != '#' &&
	    !payload_is_space((unsigned char)lo[b - 1]))
		return 0;
	return payload_ssrf_browser_name(lo + b, s - 1 - b);
}

void payload_ssrf_browser_merge(struct payload_acc *a, struct payload_acc *one)
{
	/* v4_class: a best finding this low is a local host and nothing else */
	if (one->score[PAYLOAD_SSRF] <= SSRF_LOCAL_MAX) {
		one->score[PAYLOAD_SSRF] = 0;
		one->why[PAYLOAD_SSRF] = NULL;
	}
	for (int k = 1; k < PAYLOAD__COUNT; k++)
		if (one->score[k] > 0)
			payload_acc_hit(a, (enum payload_kind)k, one->score[k], one->why[k]);
}

/* Does c part words? ' ', a tab, and '+' (a blank in a form or a path
 * segment: a path keeps it as written) */
static int word_gap(char c)
{
	return c == ' ' || c == '\t' || c == '+';
}

/* Could a client library be handed the URL lo[s..) (scheme at s) to
 * fetch? It is the value itself (blanks around it aside), or it stands
 * between delimiters, as in markup or JSON (src="...", "url": "...",
 * next=...): not a word of prose ("curl http://localhost:8080 gives
 * connection refused"), which no URL parser takes whole. A CR or LF in
 * a URL is no word gap but a request smuggled into the protocol behind
 * it (ldap://127.0.0.1:389/%0astats). */
struct url_stop {
	size_t from, stop; /* from any s in [from, stop], the token stops at stop */
};

static int url_alone(const char *lo, size_t n, size_t s, struct url_stop *tk)
{
	size_t e = s;

	if (s > 0 && word_gap(lo[s - 1]) && !rest_blank(lo, s, 0))
		return 0;
	/* where the token from s stops is where it stops from any later
	 * URL inside it ("http://h/http://h/..."): read once (linear) */
	if (tk->from <= s && s <= tk->stop) {
		e = tk->stop;
	} else {
		while (e < n && !word_gap(lo[e]) && lo[e] != '"' && lo[e] != '\'' && lo[e] != '<' &&
		       lo[e] != '>' && lo[e] != '\r' && lo[e] != '\n')
			e++;
		tk->from = s;
		tk->stop = e;
	}
	if (e < n && (lo[e] == '\r' || lo[e] == '\n'))
		return 1;
	return e == n || !word_gap(lo[e]) || rest_blank(lo, n, e + 1);
}

/* Is c a byte the WHATWG URL parser drops wherever it stands (an ASCII
 * tab or line break), with a host's byte or the '@' ending userinfo
 * after it at lo[k+1]? */
static int url_dropped(const char *lo, size_t n, size_t k)
{
	return (lo[k] == '\t' || lo[k] == '\n' || lo[k] == '\r') && k + 1 < n &&
	       (payload_is_alnum((unsigned char)lo[k + 1]) || lo[k + 1] == '.' || lo[k + 1] == '@');
}

/* The host of an authority lo[h..e): after its last '@', to its port;
 * when the authority holds bytes url_dropped drops (dropped), they are
 * left out (copied into out, room for cap). Its class (host_class), why
 * set; *hep: where the host ends. */
static int auth_host(const char *lo, size_t h, size_t e, int dropped, size_t *hep, const char **why)
{
	char out[256];
	size_t w = 0, he;

	for (size_t k = h; k < e; k++)
		if (lo[k] == '@')
			h = k + 1;
	he = h;
	if (he < e && lo[he] == '[') {
		while (he < e && lo[he] != ']')
			he++;
		if (he < e)
			he++;
	} else {
		while (he < e && lo[he] != ':')
			he++;
	}
	*hep = he;
	if (!dropped)
		return host_class(lo + h, he - h, why);
	for (size_t k = h; k < he && w < sizeof(out); k++)
		if (lo[k] != '\t' && lo[k] != '\n' && lo[k] != '\r')
			out[w++] = lo[k];
	if (w == he - h)
		return host_class(lo + h, he - h, why);
	return w < sizeof(out) ? host_class(out, w, why) : 0;
}

/* The URL whose scheme is lo[s..at) (':' at at) and whose authority
 * starts at h: its host judged, told or killed into a. orig: the value
 * as written (upper case kept). */
static void url_host(const char *lo, const char *orig, size_t n, size_t s, size_t at, size_t h, int local,
		     struct url_stop *tk, struct payload_acc *a)
{
	/* authority: up to / ? # \ or whitespace; host after the last '@';
	 * a tab or line break inside it is dropped ("http://127.0.0.\t1") */
	size_t e = h, he, he2;
	int dropped = 0;
	while (e < n && lo[e] != '/' && lo[e] != '?' && lo[e] != '#' && lo[e] != '\\' &&
	       (!payload_is_space((unsigned char)lo[e]) || (e > h && url_dropped(lo, n, e) && ++dropped)) &&
	       lo[e] != '"' && lo[e] != '\'' && lo[e] != '<' && lo[e] != '>')
		e++;
	const char *why = NULL, *why2 = NULL;
	int sc = auth_host(lo, h, e, dropped, &he, &why);
	/* a line that ends with the host is read without the next too */
	if (dropped) {
		size_t e0 = h;
		while (!url_dropped(lo, n, e0))
			e0++;
		int sc0 = auth_host(lo, h, e0, 0, &he2, &why2);
		if (sc0 > sc) {
			sc = sc0;
			why = why2;
			he = he2;
			dropped = 0;
		}
	}
	/* "http://evil.example\\@127.0.0.1/": the WHATWG parser's path
	 * starts at the '\\', Python's urlsplit (requests) and others keep
	 * it in the authority and go to the host after the '@' */
	if (e < n && lo[e] == '\\') {
		size_t e2 = e, at2 = 0;

		while (e2 < n && e2 < e + 256 && lo[e2] != '/' && lo[e2] != '?' && lo[e2] != '#' &&
		       !payload_is_space((unsigned char)lo[e2]) && lo[e2] != '"' && lo[e2] != '\'' &&
		       lo[e2] != '<' && lo[e2] != '>')
			if (lo[e2++] == '@')
				at2 = e2;
		int sc2 = at2 ? auth_host(lo, at2, e2, 0, &he2, &why2) : 0;
		if (sc2 > sc) {
			sc = sc2;
			why = why2;
			he = he2;
			h = at2;
		}
	}
	if (!(sc > SSRF_LOCAL_MAX || (sc && local && !browser_param_before(lo, s) &&
				      (dropped || url_alone(lo, n, s, tk)))))
		return;
	if (sc <= SSRF_LOCAL_MAX && payload_ssrf_lo_dsn(lo, s, at))
		payload_acc_hit(a, PAYLOAD_SSRF, 50, "local database connection string");
	else if (sc == SSRF_LOCAL_MAX && payload_ssrf_lo_callback(lo, n, he))
		payload_acc_hit(a, PAYLOAD_SSRF, 50, "loopback url to a sign-in callback (a native client's redirect)");
	else if (sc == SSRF_LOCAL_MAX && payload_ssrf_lo_dev_origin(lo, n, s, at, h, he))
		payload_acc_hit(a, PAYLOAD_SSRF, 50, "loopback origin of a development server");
	else if (sc <= SSRF_LOCAL_MAX && !dropped &&
		 ((payload_ssrf_lo_env_line(orig, s) && payload_ssrf_lo_plain_tail(lo, n, he, 0)) ||
		  payload_ssrf_lo_dev_path(lo, n, at, h, he)))
		payload_acc_hit(a, PAYLOAD_SSRF, 55, "loopback url of a development setting");
	else
		payload_acc_hit(a, PAYLOAD_SSRF, sc, why);
}

void payload_ssrf_scan(const struct payload_val *v, struct payload_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;
	/* a header names no URL the server fetches (a browser's Referer is
	 * the page it came from, a private address on an intranet): only
	 * metadata and smuggling schemes count there */
	int local = v->where != PAYLOAD_WHERE_HEADER;
	struct url_stop tk = { 1, 0 };

	/* "://" and "file:/" hold a ':' */
	for (size_t at = payload_has(v, ':') ? payload_find(lo, n, 0, "://") : n; at < n;
	     at = payload_find(lo, n, at + 3, "://")) {
		size_t s = at;
		while (s > 0 && (payload_is_alnum((unsigned char)lo[s - 1]) || lo[s - 1] == '+' ||
				 lo[s - 1] == '.' || lo[s - 1] == '-'))
			s--;
		size_t sl = at - s;
		/* a scheme with nothing after it names nothing to reach */
		if (sl == 0 || at + 3 >= n || payload_is_space((unsigned char)lo[at + 3]) || lo[at + 3] == '+')
			continue;
		if ((sl == 4 && !memcmp(lo + s, "file", 4))) {
			payload_acc_hit(a, PAYLOAD_SSRF, 85, "file scheme url");
			continue;
		}
		if ((sl == 6 && !memcmp(lo + s, "gopher", 6)) || (sl == 4 && !memcmp(lo + s, "dict", 4)) ||
		    (sl == 4 && !memcmp(lo + s, "tftp", 4)) || (sl == 6 && !memcmp(lo + s, "netdoc", 6)) ||
		    (sl == 6 && !memcmp(lo + s, "expect", 6)) || (sl == 4 && !memcmp(lo + s, "phar", 4))) {
			payload_acc_hit(a, PAYLOAD_SSRF, 85, "smuggling scheme url");
			continue;
		}
		url_host(lo, v->s, n, s, at, at + 3, local, &tk, a);
	}
	/* "http:/h", "http:\\h", "http://\\h": a scheme's colon then slashes
	 * of either kind, not the plain "//" */
	if (payload_has(v, ':') && (payload_has(v, '\\') || payload_ssrf_spell_odd(lo, n))) {
		for (size_t at = payload_find(lo, n, 0, ":"); at < n; at = payload_find(lo, n, at + 1, ":")) {
			size_t s = at, h;

			while (s > 0 && at - s < 6 && payload_is_alpha((unsigned char)lo[s - 1]))
				s--;
			if (s == at || (s > 0 && (payload_is_alnum((unsigned char)lo[s - 1]) || lo[s - 1] == '+' ||
						  lo[s - 1] == '.' || lo[s - 1] == '-')))
				continue;
			if ((h = payload_ssrf_spell_slashes(lo, n, s, at)))
				url_host(lo, v->s, n, s, at, h, local, &tk, a);
		}
	}
	if (payload_has(v, ':') && payload_at(lo, n, 0, "file:/")) {
		size_t k = 5;

		while (k < n && lo[k] == '/')
			k++;
		/* "file://" alone has neither a host nor a path */
		if (k - 5 >= 3 || !rest_blank(lo, n, k))
			payload_acc_hit(a, PAYLOAD_SSRF, 85, "file scheme url");
	}
	bare_host(lo, n, local, a);
}
