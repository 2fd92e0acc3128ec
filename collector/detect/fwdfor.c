/* fwdfor.c - X-Forwarded-For and Forwarded behind trusted proxies (fwdfor.h). */
#include "collector/detect/fwdfor.h"
#include "collector/decode/sess.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define ENTRY_MAX 64 /* "[v6 with scope]:port" fits well inside */

int fwdfor_set_parse(struct fwdfor_set *s, const char *list, char *err, size_t errlen)
{
	const char *p = list;

	memset(s, 0, sizeof(*s));
	while (p && *p) {
		char item[80];
		size_t n = strcspn(p, ", \t");
		struct cidr c;

		if (!n) {
			p++;
			continue;
		}
		if (n >= sizeof(item) || (memcpy(item, p, n), item[n] = '\0', cidr_parse(item, &c))) {
			snprintf(err, errlen, "'%.*s' is not an address or CIDR (like 10.0.0.0/8 or 2001:db8::/32)",
				 (int)(n > 60 ? 60 : n), p);
			return -EINVAL;
		}
		if (s->n >= FWDFOR_MAX_PROXIES) {
			snprintf(err, errlen, "more than %d entries", FWDFOR_MAX_PROXIES);
			return -ENOSPC;
		}
		cidr_clear_host_bits(c.addr, c.prefixlen);
		s->c[s->n++] = c;
		p += n;
	}
	return 0;
}

static int in_prefix(const struct cidr *c, const uint8_t *addr)
{
	unsigned full = c->prefixlen / 8, rest = c->prefixlen % 8;

	if (memcmp(c->addr, addr, full))
		return 0;
	return !rest || ((c->addr[full] ^ addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int fwdfor_set_has(const struct fwdfor_set *s, uint8_t family, const uint8_t *addr)
{
	for (unsigned i = 0; s && i < s->n; i++)
		if (s->c[i].family == family && in_prefix(&s->c[i], addr))
			return 1;
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	if (!n || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* One node: "1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]",
 * "[2001:db8::1]:80" (bare IPv6 only when bare_v6). 0 or -1. */
static int parse_node(const char *s, size_t n, int bare_v6, struct fwdfor_addr *out)
{
	char buf[ENTRY_MAX];
	const char *colon;

	if (!n || n >= sizeof(buf))
		return -1;
	memset(out, 0, sizeof(*out));
	if (s[0] == '[') {
		const char *end = memchr(s, ']', n);
		size_t after;

		if (!end)
			return -1;
		after = n - (size_t)(end + 1 - s);
		if (after && (end[1] != ':' || !all_digits(end + 2, after - 1)))
			return -1;
		memcpy(buf, s + 1, (size_t)(end - s - 1));
		buf[end - s - 1] = '\0';
		if (inet_pton(AF_INET6, buf, out->addr) != 1)
			return -1;
		out->family = AF_INET6;
	} else {
		memcpy(buf, s, n);
		buf[n] = '\0';
		colon = strchr(buf, ':');
		if (colon && !strchr(colon + 1, ':')) { /* v4:port */
			if (!all_digits(colon + 1, strlen(colon + 1)))
				return -1;
			buf[colon - buf] = '\0';
		}
		if (inet_pton(AF_INET, buf, out->addr) == 1) {
			out->family = AF_INET;
			return 0;
		}
		if (!bare_v6 || !colon || inet_pton(AF_INET6, buf, out->addr) != 1)
			return -1;
		out->family = AF_INET6;
	}
	/* ::ffff:a.b.c.d is the IPv4 client, as the kernel keys it */
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (!memcmp(out->addr, mapped, 12)) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = AF_INET;
	}
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Split v by sep outside double quotes into at most FWDFOR_MAX_HOPS spans.
 * Returns how many, or -1 (too many, unterminated quote, a control byte). */
static int split(const char *v, size_t len, char sep, const char **at, size_t *n)
{
	int k = 0, q = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && ((unsigned char)v[i] < 0x20 && v[i] != '\t'))
			return -1;
		if (i < len && v[i] == '"')
			q = !q;
		if (i == len || (!q && v[i] == sep)) {
			if (k >= FWDFOR_MAX_HOPS)
				return -1;
			at[k] = v + start;
			n[k] = i - start;
			trim(&at[k], &n[k]);
			k++;
			start = i + 1;
		}
	}
	return q ? -1 : k;
}

enum fwdfor_result fwdfor_xff(const char *v, size_t len, const struct fwdfor_set *trusted,
			      struct fwdfor_addr *out)
{
	const char *at[FWDFOR_MAX_HOPS];
	size_t n[FWDFOR_MAX_HOPS];
	int k;

	if (len > FWDFOR_MAX_LEN || memchr(v, '"', len) || (k = split(v, len, ',', at, n)) < 0)
		return FWDFOR_BAD;
	for (int i = k - 1; i >= 0; i--) {
		if (n[i] == 7 && !strncasecmp(at[i], "unknown", 7))
			return FWDFOR_PEER;
		if (parse_node(at[i], n[i], 1, out))
			return FWDFOR_BAD;
		if (!fwdfor_set_has(trusted, out->family, out->addr))
			return FWDFOR_CLIENT;
	}
	return FWDFOR_TRUSTED;
}

/* The for= node of one element, unquoted: its span, or 0 with *none set
 * when the element has no for=. -1 when malformed. */
static int element_for(const char *e, size_t len, const char **node, size_t *nlen)
{
	const char *at[FWDFOR_MAX_HOPS];
	size_t n[FWDFOR_MAX_HOPS];
	int k = split(e, len, ';', at, n);

	*node = NULL;
	if (k < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		const char *eq = memchr(at[i], '=', n[i]);
		size_t kl, vl;
		const char *val;

		if (!eq)
			return n[i] ? -1 : 0;
		kl = (size_t)(eq - at[i]);
		val = eq + 1;
		vl = n[i] - kl - 1;
		if (kl != 3 || strncasecmp(at[i], "for", 3))
			continue;
		if (*node)
			return -1; /* two for= in one element */
		if (vl >= 2 && val[0] == '"') {
			if (val[vl - 1] != '"' || memchr(val + 1, '\\', vl - 2))
				return -1;
			val++;
			vl -= 2;
		} else if (memchr(val, '"', vl)) {
			return -1;
		}
		*node = val;
		*nlen = vl;
	}
	return 0;
}

enum fwdfor_result fwdfor_forwarded(const char *v, size_t len, const struct fwdfor_set *trusted,
				    struct fwdfor_addr *out)
{
	const char *at[FWDFOR_MAX_HOPS];
	size_t n[FWDFOR_MAX_HOPS];
	int k;

	if (len > FWDFOR_MAX_LEN || (k = split(v, len, ',', at, n)) < 0)
		return FWDFOR_BAD;
	for (int i = k - 1; i >= 0; i--) {
		const char *node;
		size_t nl = 0;

		if (element_for(at[i], n[i], &node, &nl))
			return FWDFOR_BAD;
		/* no for=, "unknown", "_obfuscated": the proxy itself */
		if (!node || (nl == 7 && !strncasecmp(node, "unknown", 7)) ||
		    (nl && node[0] == '_'))
			return FWDFOR_PEER;
		if (parse_node(node, nl, 0, out))
			return FWDFOR_BAD;
		if (!fwdfor_set_has(trusted, out->family, out->addr))
			return FWDFOR_CLIENT;
	}
	return FWDFOR_TRUSTED;
}

enum fwdfor_result fwdfor_resolve(const struct sess_event *ev, const struct fwdfor_set *trusted,
				  int use_forwarded, struct fwdfor_addr *out)
{
	const char *want = use_forwarded ? "forwarded" : "x-forwarded-for";
	size_t wl = strlen(want);

	/* a header cut to fit may have lost the entries the proxy appended */
	if (ev->trunc & SESS_TRUNC_HDRS)
		return FWDFOR_BAD;
	/* the last header was written by the nearest proxy */
	for (int i = (int)ev->n_hdrs - 1; i >= 0; i--) {
		const struct sess_hdr *h = &ev->hdrs[i];
		const char *val = ev->hdr_arena + h->val_off;
		enum fwdfor_result r;

		if (h->name_len != wl || memcmp(ev->hdr_arena + h->name_off, want, wl))
			continue;
		r = use_forwarded ? fwdfor_forwarded(val, h->val_len, trusted, out)
				  : fwdfor_xff(val, h->val_len, trusted, out);
		if (r != FWDFOR_TRUSTED)
			return r;
	}
	return FWDFOR_PEER;
}
