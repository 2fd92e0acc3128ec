/* fwdfor.h - the client behind a trusted proxy: X-Forwarded-For and
 * RFC 7239 Forwarded.
 *
 * Behind an ingress or a load balancer every client has the proxy's
 * address. When the TCP peer is inside trusted_proxies (the operator's
 * CIDRs), the client judged is taken from the header the proxy writes:
 * the entries are walked from the rightmost (the one the nearest proxy
 * appended) leftwards, entries that are themselves trusted proxies are
 * skipped, and the first untrusted one is the client. Anything left of it
 * was written by the client and is never believed. From a peer outside
 * trusted_proxies the headers are not read at all (the caller checks).
 *
 * Bounded: a value longer than FWDFOR_MAX_LEN, more than FWDFOR_MAX_HOPS
 * entries, an entry that is no address, an unterminated quote: malformed
 * (FWDFOR_BAD, counted by the caller), and the peer is judged.
 * An obfuscated or unknown node ("unknown", "_hidden") stands for the proxy
 * itself (FWDFOR_PEER).
 */
#ifndef SW_FWDFOR_H
#define SW_FWDFOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/cidr.h"

struct sess_event;

#define FWDFOR_MAX_PROXIES 64
#define FWDFOR_MAX_LEN 1024
#define FWDFOR_MAX_HOPS 32

struct fwdfor_set {
	struct cidr c[FWDFOR_MAX_PROXIES];
	unsigned n;
};

enum fwdfor_result {
	FWDFOR_BAD = -1,     /* malformed: judge the peer, count it */
	FWDFOR_PEER = 0,     /* no header, or an obfuscated / unknown node */
	FWDFOR_CLIENT = 1,   /* *out holds the client */
	FWDFOR_TRUSTED = 2,  /* every entry was a trusted proxy (look further left) */
};

struct fwdfor_addr {
	uint8_t family;     /* AF_INET / AF_INET6; IPv4-mapped IPv6 is IPv4 */
	uint8_t addr[16];
};

/* "10.0.0.0/8, 2001:db8::/32" (commas and/or spaces) -> s. 0, or -EINVAL
 * with the bad item named in err (-ENOSPC past FWDFOR_MAX_PROXIES). */
int fwdfor_set_parse(struct fwdfor_set *s, const char *list, char *err, size_t errlen);
/* 1 when family/addr lies inside one of s's prefixes. */
int fwdfor_set_has(const struct fwdfor_set *s, uint8_t family, const uint8_t *addr);

/* One X-Forwarded-For value, walked right to left. */
enum fwdfor_result fwdfor_xff(const char *v, size_t len, const struct fwdfor_set *trusted,
			      struct fwdfor_addr *out);
/* One Forwarded value (elements by ',', pairs by ';', the for= node). */
enum fwdfor_result fwdfor_forwarded(const char *v, size_t len, const struct fwdfor_set *trusted,
				    struct fwdfor_addr *out);

/* The request's client as the header named by use_forwarded (0:
 * x-forwarded-for, 1: forwarded) says; several headers of that name are
 * one list in their order. Never FWDFOR_TRUSTED: a list of proxies only is
 * FWDFOR_PEER. */
enum fwdfor_result fwdfor_resolve(const struct sess_event *ev, const struct fwdfor_set *trusted,
				  int use_forwarded, struct fwdfor_addr *out);

#endif /* SW_FWDFOR_H */
