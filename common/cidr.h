/* cidr.h - one parser for address prefixes as people write them:
 * "10.0.0.0/8", "2001:db8::/32", or a bare address (/32, /128).
 *
 * Shared by the rule file's allow list (collector/detect/rules.c), the
 * enforcement test tools and shield (collector/enforce/enforce.c), and the
 * fleet block list (common/blocklist.c); each keeps its own struct and
 * copies from this one.
 */
#ifndef SW_CIDR_H
#define SW_CIDR_H

#include <stdint.h>

struct cidr {
	uint8_t family;    /* AF_INET / AF_INET6 */
	uint8_t prefixlen; /* 0..32 / 0..128 */
	uint8_t addr[16];  /* network order; IPv4 in the first 4 bytes, rest 0 */
};

/* Parse s into c. The length after '/' is decimal digits only (no sign,
 * no spaces) and at most the family's width. The address keeps the bits
 * past the prefix as written: cidr_clear_host_bits() drops them. Returns 0
 * or -EINVAL (c is then all zero). */
int cidr_parse(const char *s, struct cidr *c);

/* Zero every bit of addr[0..16) past prefixlen. */
void cidr_clear_host_bits(uint8_t addr[16], unsigned prefixlen);

#endif /* SW_CIDR_H */
