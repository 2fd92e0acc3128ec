/* shield.c - the addresses this host never blocks (see shield.h). */
#include "collector/enforce/shield.h"
#include "collector/detect/rules.h"
#include "common/log.h"
#include "common/ring.h"
#include "common/textesc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The first len bits of a and b agree. */
static int same_bits(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned full = len / 8, rest = len % 8;

	if (memcmp(a, b, full))
		return 0;
	return !rest || ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* Entries shield_refresh may take away again: the host's addresses and
 * gateways as last read. */
static int host_derived(const char *why)
{
	return why && (!strcmp(why, "own") || !strcmp(why, "gateway"));
}

static void add_text(struct shield *s, const char *cidr, const char *why)
{
	struct enforce_cidr c;

	if (enforce_cidr_parse(cidr, &c) == 0)
		shield_add(s, &c, why);
}

void shield_init(struct shield *s)
{
	memset(s, 0, sizeof(*s));
	add_text(s, "127.0.0.0/8", "loopback");
	add_text(s, "::1/128", "loopback");
	add_text(s, "169.254.0.0/16", "link-local");
	add_text(s, "fe80::/10", "link-local");
}

/* As the kernel keys it: ::ffff:a.b.c.d/(96+n) is a.b.c.d/n, and the bits
 * past the prefix are zero. *all_v4: an IPv6 range that holds
 * ::ffff:0:0/96, so all of IPv4. */
static void normalize(const struct enforce_cidr *c, struct enforce_cidr *k, int *all_v4)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };
	unsigned bytes, len;

	*k = *c;
	*all_v4 = 0;
	if (k->family == AF_INET6 && k->prefixlen >= 96 && !memcmp(k->addr, v4m, 12)) {
		k->family = AF_INET;
		memmove(k->addr, k->addr + 12, 4);
		memset(k->addr + 4, 0, sizeof(k->addr) - 4);
		k->prefixlen -= 96;
	} else if (k->family == AF_INET6 && k->prefixlen < 96 &&
		   same_bits(k->addr, v4m, k->prefixlen)) {
		*all_v4 = 1;
	}
	bytes = k->family == AF_INET ? 4 : 16;
	len = k->prefixlen;
	if (len < bytes * 8) {
		k->addr[len / 8] &= (uint8_t)(0xff << (8 - len % 8));
		memset(k->addr + len / 8 + 1, 0, sizeof(k->addr) - len / 8 - 1);
	}
}

int shield_add(struct shield *s, const struct enforce_cidr *c, const char *why)
{
	struct enforce_cidr k;
	int all_v4;

	normalize(c, &k, &all_v4);
	if (all_v4) {
		struct enforce_cidr all4 = { .family = AF_INET, .prefixlen = 0 };
		int rc = shield_add(s, &all4, why);

		if (rc)
			return rc;
	}
	/* already held, or inside a range held (fe80::x under fe80::/10).
	 * The operator naming what the host holds now (a trusted proxy on
	 * an address of the host) makes it the operator's: the host losing
	 * the address then takes nothing away (shield_refresh). */
	for (unsigned i = 0; i < s->n; i++)
		if (s->e[i].family == k.family && s->e[i].prefixlen <= k.prefixlen &&
		    same_bits(s->e[i].addr, k.addr, s->e[i].prefixlen)) {
			if (s->e[i].prefixlen == k.prefixlen && host_derived(s->why[i]) &&
			    !host_derived(why))
				s->why[i] = why;
			return 0;
		}
	if (s->n == SHIELD_MAX) {
		s->dropped++;
		return -ENOSPC;
	}
	s->e[s->n] = k;
	s->why[s->n] = why;
	s->n++;
	return 0;
}

int shield_add_list(struct shield *s, const char *list, const char *why,
		    char *err, size_t errlen)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ", \t");
		char item[64];
		struct enforce_cidr c;

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(item) || (memcpy(item, p, n), item[n] = '\0',
					  enforce_cidr_parse(item, &c))) {
			snprintf(err, errlen, "'%.*s' is not an address or CIDR",
				 (int)(n < 60 ? n : 60), p);
			return -EINVAL;
		}
		shield_add(s, &c, why);
		p += n;
	}
	return 0;
}

static int add_addr(struct shield *s, int family, const void *a, const char *why)
{
	struct enforce_cidr c = { .family = (uint8_t)family };

	c.prefixlen = family == AF_INET ? 32 : 128;
	memcpy(c.addr, a, family == AF_INET ? 4 : 16);
	return shield_add(s, &c, why) == 0;
}

static int add_gateways(struct shield *s)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/route", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char ifc[64];
			unsigned dst, gw, flags, mask;

			/* Iface Destination Gateway Flags RefCnt Use Metric Mask */
			if (sscanf(line, "%63s %x %x %x %*u %*u %*u %x", ifc, &dst, &gw,
				   &flags, &mask) == 5 && dst == 0 && mask == 0 && gw)
				n += add_addr(s, AF_INET, &gw, "gateway"); /* already network order */
		}
		fclose(f);
	}
	f = fopen("/proc/net/ipv6_route", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char dst[33], hop[33];
			unsigned plen;
			uint8_t a[16];

			/* dst plen src plen nexthop metric refcnt use flags iface */
			if (sscanf(line, "%32s %x %*32s %*x %32s", dst, &plen, hop) != 3 ||
			    plen != 0 || strspn(dst, "0") != 32 || strspn(hop, "0") == 32)
				continue;
			for (int i = 0; i < 16; i++) {
				unsigned b;

				sscanf(hop + 2 * i, "%2x", &b);
				a[i] = (uint8_t)b;
			}
			n += add_addr(s, AF_INET6, a, "gateway");
		}
		fclose(f);
	}
	return n;
}

int shield_add_host(struct shield *s)
{
	struct ifaddrs *ifa, *i;
	int n = 0;

	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i; i = i->ifa_next) {
			if (!i->ifa_addr)
				continue;
			if (i->ifa_addr->sa_family == AF_INET)
				n += add_addr(s, AF_INET,
					      &((struct sockaddr_in *)i->ifa_addr)->sin_addr, "own");
			else if (i->ifa_addr->sa_family == AF_INET6)
				n += add_addr(s, AF_INET6,
					      &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, "own");
		}
		freeifaddrs(ifa);
	}
	return n + add_gateways(s);
}

static int add_endpoint(struct shield *s, const char *endpoint, unsigned flags)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = (flags & SHIELD_NUMERIC) ? AI_NUMERICHOST : 0,
	}, *res, *r;
	char host[256];
	const char *h = strstr(endpoint, "://"), *colon;
	size_t n;
	int added = 0, rc;

	h = h ? h + 3 : endpoint;
	if (*h == '[') { /* tcp://[::1]:7450 */
		colon = strchr(h, ']');
		h++;
		n = colon ? (size_t)(colon - h) : 0;
	} else {
		colon = strrchr(h, ':');
		n = colon ? (size_t)(colon - h) : strlen(h);
	}
	if (n == 0 || n >= sizeof(host) || (n == 1 && *h == '*'))
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc)
		return -EHOSTUNREACH;
	for (r = res; r; r = r->ai_next) {
		if (r->ai_family == AF_INET)
			added += add_addr(s, AF_INET,
					  &((struct sockaddr_in *)r->ai_addr)->sin_addr, "correlator");
		else if (r->ai_family == AF_INET6)
			added += add_addr(s, AF_INET6,
					  &((struct sockaddr_in6 *)r->ai_addr)->sin6_addr, "correlator");
	}
	freeaddrinfo(res);
	return added;
}

int shield_add_endpoint(struct shield *s, const char *endpoint)
{
	return add_endpoint(s, endpoint, 0);
}

int shield_add_ring(struct shield *s, const char *path, unsigned flags)
{
	char err[256], esc[300];
	struct ring *r = ring_load(path, err, sizeof(err));
	int added = 0, n;
	size_t i;

	if (!r)
		return -EINVAL;
	for (i = 0; i < ring_nshards(r); i++) {
		const char *ep = ring_shard_endpoint(r, i);

		if (strncmp(ep, "tcp://", 6))
			continue;
		n = add_endpoint(s, ep, flags);
		if (n > 0)
			added += n;
		else if (n < 0 && !(flags & SHIELD_NUMERIC)) {
			tx_printable(esc, sizeof(esc), ep, strlen(ep));
			log_warn("enforcement: ring shard %s does not resolve: its address "
				 "is not on the never-block list", esc);
		}
	}
	ring_free(r);
	return added;
}

int shield_overlaps(const struct shield *s, uint8_t family, const uint8_t *net,
		    unsigned len)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };
	int all_v4 = 0;

	/* the kernel keys IPv4 as ::ffff:a.b.c.d: so must we */
	if (family == AF_INET6 && len >= 96 && !memcmp(net, v4m, 12)) {
		family = AF_INET;
		net += 12;
		len -= 96;
	} else if (family == AF_INET6 && len < 96 && same_bits(net, v4m, len)) {
		all_v4 = 1; /* ::/0 and the like cover every IPv4 address too */
	}
	for (unsigned i = 0; i < s->n; i++) {
		const struct enforce_cidr *e = &s->e[i];
		unsigned l = e->prefixlen < len ? e->prefixlen : len;

		if ((e->family == family && same_bits(e->addr, net, l)) ||
		    (all_v4 && e->family == AF_INET))
			return (int)i + 1;
	}
	return 0;
}

int shield_build(struct shield *s, const char *never_block, const char *correlator,
		 const struct rules *r, char *err, size_t errlen)
{
	/* what the operator named first: if anything does not fit, it is
	 * the host's own addresses, and that is said */
	shield_init(s);
	if (never_block && shield_add_list(s, never_block, "never_block", err, errlen))
		return -EINVAL;
	if (s->dropped) {
		snprintf(err, errlen, "more than %d entries", SHIELD_MAX);
		return -EINVAL;
	}
	if (correlator && *correlator)
		shield_add_endpoint(s, correlator); /* unresolvable: the uplink says so */
	for (uint32_t i = 0; r && i < r->n_allow_cidr; i++) {
		struct enforce_cidr c = { .family = r->allow_cidr[i].family,
					  .prefixlen = r->allow_cidr[i].prefix };

		memcpy(c.addr, r->allow_cidr[i].addr, sizeof(c.addr));
		shield_add(s, &c, "allow");
	}
	shield_add_host(s);
	return 0;
}

int shield_contains(const struct shield *s, uint8_t family, const uint8_t *net,
		    unsigned len)
{
	struct enforce_cidr c = { .family = family, .prefixlen = (uint8_t)len }, k;
	int all_v4;

	memcpy(c.addr, net, family == AF_INET ? 4 : 16);
	normalize(&c, &k, &all_v4);
	for (unsigned i = 0; i < s->n; i++)
		if (s->e[i].family == k.family && s->e[i].prefixlen <= k.prefixlen &&
		    same_bits(s->e[i].addr, k.addr, s->e[i].prefixlen))
			return (int)i + 1;
	return 0;
}

int shield_apply(const struct shield *s, struct enforce *enf)
{
	int n = 0;

	for (unsigned i = 0; i < s->n; i++) {
		int rc = enforce_allow(enf, &s->e[i], 0);

		if (rc < 0)
			return rc;
		n++;
	}
	return n;
}

static int held_exactly(const struct shield *s, const struct enforce_cidr *c)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->e[i].family == c->family && s->e[i].prefixlen == c->prefixlen &&
		    same_bits(s->e[i].addr, c->addr, c->prefixlen))
			return 1;
	return 0;
}

int shield_refresh(struct shield *s, const struct shield *fresh, struct enforce *enf,
		   unsigned *added, unsigned *removed)
{
	unsigned i = 0;

	*added = *removed = 0;
	while (i < s->n) {
		if (!host_derived(s->why[i]) || held_exactly(fresh, &s->e[i])) {
			i++;
			continue;
		}
		if (enf) {
			int rc = enforce_disallow(enf, &s->e[i]);

			if (rc < 0 && rc != -ENOENT)
				return rc;
		}
		s->n--;
		s->e[i] = s->e[s->n];
		s->why[i] = s->why[s->n];
		(*removed)++;
	}
	for (i = 0; i < fresh->n; i++) {
		unsigned before = s->n;

		if (shield_add(s, &fresh->e[i], fresh->why[i]) || s->n == before)
			continue; /* no room (counted), or already protected */
		if (enf) {
			int rc = enforce_allow(enf, &s->e[s->n - 1], 0);

			if (rc < 0) {
				s->n--;
				return rc;
			}
		}
		(*added)++;
	}
	return 0;
}
