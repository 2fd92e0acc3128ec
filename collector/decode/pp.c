/* pp.c - PROXY protocol headers, versions 1 and 2 (see pp.h). */
#include "collector/decode/pp.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static const uint8_t pp2_sig[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d,
				     0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

/* One space-terminated field of a v1 line from *p (not past end) into
 * out (cap bytes with its NUL); 0, or -1 when empty, too long or not
 * followed by a space. */
static int v1_field(const char **p, const char *end, char *out, size_t cap)
{
	const char *s = *p, *sp = memchr(s, ' ', (size_t)(end - s));
	size_t n;

	if (!sp || sp == s || (n = (size_t)(sp - s)) >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	*p = sp + 1;
	return 0;
}

/* 0..65535 in decimal, 1 to 5 digits. */
static int v1_port(const char *s, size_t n, uint16_t *out)
{
	unsigned v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int parse_v1(const uint8_t *buf, size_t len, struct pp_info *out)
{
	const uint8_t *lf = memchr(buf, '\n', len < PP_V1_MAX ? len : PP_V1_MAX);
	const char *p = (const char *)buf + 6, *end;
	char proto[8], src[48], dst[48], sport[8];
	uint8_t tmp[16];
	uint16_t dport;
	int fam;

	if (!lf)
		return len < PP_V1_MAX ? PP_MORE : PP_BAD;
	if (lf == buf || lf[-1] != '\r')
		return PP_BAD;
	end = (const char *)lf - 1; /* at the CR */
	memset(out, 0, sizeof(*out));
	out->version = 1;
	if (end - p >= 7 && !memcmp(p, "UNKNOWN", 7) && (end - p == 7 || p[7] == ' '))
		return (int)(lf - buf) + 1; /* the proxy's own connection */
	if (v1_field(&p, end, proto, sizeof(proto)) ||
	    v1_field(&p, end, src, sizeof(src)) ||
	    v1_field(&p, end, dst, sizeof(dst)) ||
	    v1_field(&p, end, sport, sizeof(sport)))
		return PP_BAD;
	if (!strcmp(proto, "TCP4"))
		fam = AF_INET;
	else if (!strcmp(proto, "TCP6"))
		fam = AF_INET6;
	else
		return PP_BAD;
	if (inet_pton(fam, src, out->addr) != 1 || inet_pton(fam, dst, tmp) != 1 ||
	    v1_port(sport, strlen(sport), &out->port))
		return PP_BAD;
	/* the destination port ends the line */
	if (v1_port(p, (size_t)(end - p), &dport))
		return PP_BAD;
	out->family = (uint8_t)fam;
	return (int)(lf - buf) + 1;
}

static int parse_v2(const uint8_t *buf, size_t len, struct pp_info *out)
{
	size_t body, total;

	if (len < 16)
		return PP_MORE;
	if ((buf[12] & 0xf0) != 0x20 || (buf[12] & 0x0f) > 1)
		return PP_BAD; /* version 2; command LOCAL or PROXY */
	body = (size_t)buf[14] << 8 | buf[15];
	total = 16 + body;
	if (total > PP_MAX)
		return PP_BAD;
	if (len < total)
		return PP_MORE;
	memset(out, 0, sizeof(*out));
	out->version = 2;
	if ((buf[12] & 0x0f) == 0)
		return (int)total; /* LOCAL: the proxy's own connection */
	switch (buf[13] >> 4) {
	case 1: /* AF_INET: src, dst, sport, dport */
		if (body < 12)
			return PP_BAD;
		out->family = AF_INET;
		memcpy(out->addr, buf + 16, 4);
		out->port = (uint16_t)(buf[24] << 8 | buf[25]);
		break;
	case 2: /* AF_INET6 */
		if (body < 36)
			return PP_BAD;
		out->family = AF_INET6;
		memcpy(out->addr, buf + 16, 16);
		out->port = (uint16_t)(buf[48] << 8 | buf[49]);
		break;
	case 0: /* UNSPEC */
	case 3: /* AF_UNIX: no address we could block */
		break;
	default:
		return PP_BAD;
	}
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
