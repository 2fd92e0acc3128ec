/* shield.h - the addresses this host never blocks, whatever its own rules
 * or the fleet decide.
 *
 * Dropping them would turn sidewatch against the host it protects: the
 * loopback and link-local ranges, the host's own addresses, its default
 * gateways (behind NAT or an ingress, every client may wear one of these),
 * the correlator (or the host could never hear the block list again), the
 * local allow list's CIDRs and the operator's never_block CIDRs (Kubernetes
 * service and API server ranges, load balancers, trusted proxies).
 *
 * In: a config (never_block, the correlator endpoint) and this host's
 * interfaces and routes. Out: a list of CIDRs, written into the kernel's
 * allow trie by the caller (enforce_allow, which wins over every block),
 * and shield_overlaps() asked before a local or fleet block: a block that
 * would drop a protected address is not placed (a local verdict then cuts
 * only the offending connection), and is counted.
 */
#ifndef SW_SHIELD_H
#define SW_SHIELD_H

#include <stddef.h>
#include <stdint.h>

#include "collector/enforce/enforce.h"

#define SHIELD_MAX 1024
/* the collector re-reads the host's addresses and gateways this often */
#define SHIELD_REFRESH_S 3

struct shield {
	struct enforce_cidr e[SHIELD_MAX];
	const char *why[SHIELD_MAX]; /* static strings: "loopback", "own", ... */
	unsigned n;
	unsigned dropped;            /* entries past SHIELD_MAX */
};

/* Loopback and link-local ranges, nothing else. */
void shield_init(struct shield *s);
/* Add one CIDR; 0, or -ENOSPC (counted in dropped). IPv4-mapped IPv6
 * (::ffff:a.b.c.d) is held as IPv4, as the kernel keys it; an IPv6 range
 * holding ::ffff:0:0/96 holds 0.0.0.0/0 too; a CIDR inside one already held
 * is not held again, but one equal to a host entry ("own", "gateway") takes
 * that entry over under a reason of its own, so shield_refresh keeps it. */
int shield_add(struct shield *s, const struct enforce_cidr *c, const char *why);
/* "10.96.0.0/12, 192.0.2.7" -> entries; 0, or -EINVAL with the bad item
 * named in err. */
int shield_add_list(struct shield *s, const char *list, const char *why,
		    char *err, size_t errlen);
/* This network namespace's interface addresses (as /32, /128) and default
 * gateways (/proc/net/route, /proc/net/ipv6_route); returns how many. */
int shield_add_host(struct shield *s);
/* The host of a ZeroMQ endpoint "tcp://HOST:PORT" (name or address); how
 * many addresses were added, or -errno. */
int shield_add_endpoint(struct shield *s, const char *endpoint);
/* The host of every tcp:// shard endpoint of the ring file at path
 * (common/ring.h): a collector on a ring has no correlator endpoint, and a
 * block of a shard's address would cut its own uplink to that shard. How
 * many addresses were added (a name that does not resolve adds none, and
 * is logged), or -errno when the file cannot be read as a ring. With
 * SHIELD_NUMERIC only addresses are taken, no name is looked up: the
 * collector's refresh (tick_shield) reads the ring again that way, so a
 * shard added while it runs is shielded within SHIELD_REFRESH_S without
 * the main loop waiting on DNS; a shard named by a host name is shielded
 * from the start's lookup only. Fleet blocks covering a shard are also
 * refused by the block-list fan (blocklist_sub_fan.h). */
#define SHIELD_NUMERIC 1u
int shield_add_ring(struct shield *s, const char *path, unsigned flags);

struct rules;
/* All of it, the operator's first: shield_init, never_block (a list as
 * shield_add_list takes), the correlator's endpoint (may be NULL or ""),
 * the rules' allow CIDRs (r may be NULL), then this host's addresses and
 * gateways (shield_add_host; s->dropped counts what did not fit). 0, or
 * -EINVAL with err naming the bad never_block item. */
int shield_build(struct shield *s, const char *never_block, const char *correlator,
		 const struct rules *r, char *err, size_t errlen);
/* Write every entry into the kernel's allow trie (enforce_allow: wins over
 * every block). Returns the entries written, or the first -errno. */
int shield_apply(const struct shield *s, struct enforce *enf);

/* The host's addresses and gateways change (DHCP, a new interface, a
 * route): bring s's host-derived entries ("own", "gateway") in line with
 * fresh (a shield holding only shield_add_host's entries, built without
 * shield_init). An "own"/"gateway" entry missing from fresh leaves s and,
 * with enf, the allow trie (enforce_disallow); an entry of fresh that s
 * does not hold yet is added to both. Entries of any other reason
 * (loopback, never_block, allow, correlator, trusted_proxy) are never
 * removed. *added / *removed count the changes; 0, or the first -errno of
 * the kernel (s then still matches what was written). */
int shield_refresh(struct shield *s, const struct shield *fresh, struct enforce *enf,
		   unsigned *added, unsigned *removed);

/* Is family net/len wholly inside a protected range (or equal to one)?
 * Index + 1 of that entry, or 0. Such a block is never placed; one that
 * only covers a protected address may drop (the kernel's allow trie exempts
 * the address) but must not cut the range's connections. */
int shield_contains(const struct shield *s, uint8_t family, const uint8_t *net,
		    unsigned len);
/* Would dropping family net/len drop a protected address (or is it inside
 * a protected range)? Returns the index + 1 of the first such entry, 0 for
 * none. */
int shield_overlaps(const struct shield *s, uint8_t family, const uint8_t *net,
		    unsigned len);

#endif /* SW_SHIELD_H */
