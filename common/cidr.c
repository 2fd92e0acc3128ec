/* cidr.c - address prefix text to family, prefix length and bytes. */
#include "common/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* The prefix length: decimal digits, at most max. */
static int parse_len(const char *s, unsigned max, uint8_t *out)
{
	unsigned v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (uint8_t)v;
	return 0;
}

int cidr_parse(const char *s, struct cidr *c)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	memset(c, 0, sizeof(*c));
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = AF_INET6;
		max = 128;
	} else {
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	c->prefixlen = (uint8_t)max;
	if (slash && parse_len(slash + 1, max, &c->prefixlen)) {
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	return 0;
}

void cidr_clear_host_bits(uint8_t addr[16], unsigned prefixlen)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bit = i * 8;

		if (bit >= prefixlen)
			addr[i] = 0;
		else if (bit + 8 > prefixlen)
			addr[i] &= (uint8_t)(0xff << (8 - (prefixlen - bit)));
	}
}
