/* localblock.h - this host's blocks of what the kernel cannot drop: an
 * identity, or a client address seen only behind a trusted proxy.
 *
 * The kernel drops packets by source address. A client behind an ingress
 * has the ingress's address (never dropped: it serves everyone), and an
 * identity travels from any address. Both are judged in user space: a
 * subject here is cut on sight (every request of it is killed as soon as
 * it is decoded, before the server answers) until its block expires.
 *
 * A subject is blocked when a rule that blocks fires on it, or after
 * LOCALBLOCK_STRIKES kill verdicts within LOCALBLOCK_STRIKE_NS (a repeated
 * offender). Bounded: LOCALBLOCK_SLOTS entries, open addressing over a
 * short probe window; a full window takes an expired slot, else evicts the
 * block closest to expiry (counted).
 * Subjects are 64-bit keys: an identity's hash (ident.h) or
 * localblock_addr_key() of a forwarded address.
 */
#ifndef SW_LOCALBLOCK_H
#define SW_LOCALBLOCK_H

#include <stdint.h>

#define LOCALBLOCK_SLOTS 8192
#define LOCALBLOCK_STRIKES 3
#define LOCALBLOCK_STRIKE_NS (600ull * 1000000000ull)
#define LOCALBLOCK_TTL_NS (600ull * 1000000000ull) /* when the rule names none */

struct localblock;

struct localblock_stats {
	uint64_t blocks;    /* subjects blocked (a block renewed counts again) */
	uint64_t strikes;   /* kill verdicts counted towards a block */
	uint64_t hits;      /* requests cut on sight */
	uint64_t evicted;   /* live entries replaced to make room */
	uint64_t active;    /* live blocks now (counted by localblock_stats) */
};

struct localblock *localblock_new(void);
void localblock_free(struct localblock *lb);

/* The subject key of a forwarded client address. */
uint64_t localblock_addr_key(uint8_t family, const uint8_t *addr);

/* A verdict on subject at now_ns: a blocking rule (ttl_ns > 0) blocks it
 * for ttl_ns; a kill (ttl_ns == 0) is a strike, and the LOCALBLOCK_STRIKES-th
 * within LOCALBLOCK_STRIKE_NS blocks it for LOCALBLOCK_TTL_NS. Returns 1
 * when the subject is blocked now, else 0. */
int localblock_offend(struct localblock *lb, uint64_t subject, uint64_t ttl_ns,
		      uint64_t now_ns);
/* Is subject blocked at now_ns? A hit is counted by localblock_hit(). */
int localblock_has(const struct localblock *lb, uint64_t subject, uint64_t now_ns);
void localblock_hit(struct localblock *lb);
void localblock_stats(const struct localblock *lb, uint64_t now_ns,
		      struct localblock_stats *st);

#endif /* SW_LOCALBLOCK_H */
