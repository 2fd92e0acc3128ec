/* pp.c - PROXY protocol headers, versions 1 and 2 (see pp.h).
 *
 * What ends a header is what nginx 1.22 (ngx_proxy_protocol.c) reads past,
 * so that the bytes after it are the request nginx serves:
 *  - v1 "PROXY UNKNOWN": everything up to the first CRLF;
 *  - v1 "PROXY TCP4 " / "TCP6 ": two address tokens of hex digits, '.' and
 *    ':' (nginx checks no more: the family is the text's, not the
 *    keyword's), two decimal ports of any number of digits up to 65535,
 *    then CRLF;
 *  - v2: version 2; a command other than PROXY, a transport other than
 *    STREAM or a family other than INET/INET6 is skipped whole (16 + its
 *    length); INET/INET6 too short for their addresses are refused.
 * An address token that is no address (nginx keeps the connection, its
 * realip module ignores it) names no client.
 */
#include "collector/decode/pp.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static const uint8_t pp2_sig[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d,
				     0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

/* The first CRLF in buf[from..len): its offset, or -1. */
static long find_crlf(const uint8_t *buf, size_t from, size_t len)
{
	for (size_t i = from; i + 1 < len; i++)
		if (buf[i] == '\r' && buf[i + 1] == '\n')
			return (long)i;
	return -1;
}

/* An address token up to a space: [0-9a-fA-F.:]+ as nginx reads it. The
 * token's length (without the space), or -1. */
static long addr_token(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *s = p;

	for (; p < end && *p != ' '; p++) {
		uint8_t ch = *p;

		if (ch != ':' && ch != '.' && !(ch >= '0' && ch <= '9') &&
		    !(ch >= 'a' && ch <= 'f') && !(ch >= 'A' && ch <= 'F'))
			return -1;
	}
	return p < end && p > s ? (long)(p - s) : -1;
}

/* A decimal port up to sep (any number of digits, at most 65535). The
 * bytes it took including sep, or -1. */
static long port_token(const uint8_t *p, const uint8_t *end, uint8_t sep, uint16_t *out)
{
	const uint8_t *s = p;
	uint32_t v = 0;

	for (; p < end && *p != sep; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint32_t)(*p - '0');
		if (v > 65535)
			return -1;
	}
	if (p == end || p == s)
		return -1;
	*out = (uint16_t)v;
	return (long)(p - s) + 1;
}

/* Four decimal octets as nginx's ngx_inet_addr reads them (leading zeros
 * allowed), or an IPv6 address. The family, or 0 for no address. */
static int addr_parse(const uint8_t *p, size_t n, uint8_t out[16])
{
	char tmp[64];
	unsigned oct = 0, dots = 0, digits = 0;
	uint8_t a[4];

	memset(out, 0, 16);
	if (memchr(p, ':', n)) {
		if (n >= sizeof(tmp))
			return 0;
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		return inet_pton(AF_INET6, tmp, out) == 1 ? AF_INET6 : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '.') {
			if (!digits || dots == 3)
				return 0;
			a[dots++] = (uint8_t)oct;
			oct = digits = 0;
		} else if (p[i] >= '0' && p[i] <= '9') {
			oct = oct * 10 + (unsigned)(p[i] - '0');
			digits++;
			if (oct > 255)
				return 0;
		} else {
			return 0;
		}
	}
	if (dots != 3 || !digits)
		return 0;
	a[3] = (uint8_t)oct;
	memcpy(out, a, 4);
	return AF_INET;
}

static int parse_v1(const uint8_t *buf, size_t len, struct pp_info *out)
{
	size_t lim = len < PP_MAX ? len : PP_MAX;
	long crlf = find_crlf(buf, 6, lim), n;
	const uint8_t *p = buf + 6, *end;
	uint16_t dport;

	if (crlf < 0)
		return len < PP_MAX ? PP_MORE : PP_BAD;
	end = buf + crlf; /* at the CR */
	memset(out, 0, sizeof(*out));
	out->version = 1;
	if (end - p >= 7 && !memcmp(p, "UNKNOWN", 7))
		return (int)crlf + 2; /* nginx skips to the first CRLF */
	if (end - p < 5 || memcmp(p, "TCP", 3) || (p[3] != '4' && p[3] != '6') || p[4] != ' ')
		return PP_BAD;
	p += 5;
	n = addr_token(p, end);
	if (n < 0)
		return PP_BAD;
	out->family = (uint8_t)addr_parse(p, (size_t)n, out->addr);
	p += n + 1;
	if ((n = addr_token(p, end)) < 0)
		return PP_BAD;
	p += n + 1;
	if ((n = port_token(p, end, ' ', &out->port)) < 0)
		return PP_BAD;
	p += n;
	/* the destination port ends the line */
	if (port_token(p, end + 1, '\r', &dport) != end + 1 - p)
		return PP_BAD;
	if (!out->family)
		out->port = 0;
	return (int)crlf + 2;
}

static int parse_v2(const uint8_t *buf, size_t len, struct pp_info *out)
{
	size_t body, total, need;
	unsigned fam;

	if (len < 16)
		return PP_MORE;
	if ((buf[12] & 0xf0) != 0x20)
		return PP_BAD; /* nginx refuses any other version */
	body = (size_t)buf[14] << 8 | buf[15];
	total = 16 + body;
	memset(out, 0, sizeof(*out));
	out->version = 2;
	fam = buf[13] >> 4;
	/* LOCAL (and any command but PROXY), a transport but STREAM, a
	 * family but INET/INET6: skipped whole, no client */
	if ((buf[12] & 0x0f) != 1 || (buf[13] & 0x0f) != 1 || (fam != 1 && fam != 2))
		return (int)total;
	need = fam == 1 ? 12 : 36;
	if (body < need)
		return PP_BAD;
	if (len < 16 + need)
		return PP_MORE;
	if (fam == 1) {
		out->family = AF_INET;
		memcpy(out->addr, buf + 16, 4);
		out->port = (uint16_t)(buf[24] << 8 | buf[25]);
	} else {
		out->family = AF_INET6;
		memcpy(out->addr, buf + 16, 16);
		out->port = (uint16_t)(buf[48] << 8 | buf[49]);
	}
	/* TLVs after the addresses: skipped, held or not (the caller skips
	 * what has not arrived) */
	return (int)total;
}

/* An IPv4 client written as IPv4-mapped IPv6 is the IPv4 client. */
static void unmap(struct pp_info *pi)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };

	if (pi->family == AF_INET6 && !memcmp(pi->addr, v4m, 12)) {
		pi->family = AF_INET;
		memmove(pi->addr, pi->addr + 12, 4);
		memset(pi->addr + 4, 0, 12);
	}
}

int pp_parse(const uint8_t *buf, size_t len, struct pp_info *out)
{
	int r;

	if (!len)
		return PP_MORE;
	if (buf[0] == 'P') {
		if (memcmp(buf, "PROXY ", len < 6 ? len : 6))
			return PP_NOT;
		r = len < 6 ? PP_MORE : parse_v1(buf, len, out);
	} else {
		if (memcmp(buf, pp2_sig, len < 12 ? len : 12))
			return PP_NOT;
		r = len < 12 ? PP_MORE : parse_v2(buf, len, out);
	}
	if (r > 0)
		unmap(out);
	return r;
}
