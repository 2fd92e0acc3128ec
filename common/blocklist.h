/* blocklist.h - the fleet block list's entries and wire format, shared by
 * the correlator that publishes the list (correlator/blocks.c) and the
 * collectors that subscribe to it (collector/uplink/blocklist_sub.c).
 *
 * Wire framing:
 *   PUB:      "D" + BlockDelta                  (subscribe to "D")
 *   request:  "SWBLSNAP" on a DEALER to the correlator's ROUTER
 *   reply:    "S" + BlockSnapshot
 */
#ifndef SW_BLOCKLIST_H
#define SW_BLOCKLIST_H

#include <stddef.h>
#include <stdint.h>

#include "sidewatch.pb.h"

#define BLOCKLIST_MAX_MSG (32 << 20) /* a full snapshot at the entry cap */

#define BLOCKLIST_TOPIC_DELTA "D"
#define BLOCKLIST_REQ_MAGIC "SWBLSNAP"
#define BLOCKLIST_REQ_MAGIC_LEN 8
#define BLOCKLIST_TAG_SNAPSHOT 'S'

enum blocklist_op {
	BLOCKLIST_ADD = 1, /* new, or a known subject with a new expiry/rule */
	BLOCKLIST_DEL = 2,
};

/* One block. The subject is (family, addr, prefix_len, identity): an
 * address block, an identity block, or both at once. */
struct blocklist_entry {
	uint8_t family;        /* AF_INET, AF_INET6, or 0 (identity only) */
	uint8_t prefix_len;
	uint8_t addr[16];      /* network order; host bits cleared */
	char identity[129];
	char rule[65];
	uint64_t expires_us;   /* unix µs, 0 = never */
};

/* Encoders for the publisher and tests. Write a tagged message into
 * buf[0..cap); *len gets its size. Return 0 or -ENOSPC. */
int blocklist_encode_delta(void *buf, size_t cap, size_t *len, uint64_t from,
			  uint64_t to, const struct blocklist_entry *add,
			  size_t nadd, const struct blocklist_entry *del,
			  size_t ndel);
int blocklist_encode_snapshot(void *buf, size_t cap, size_t *len,
			     uint64_t version,
			     const struct blocklist_entry *const *e, size_t n);

/* Upper bound of an encoded message holding n entries. */
size_t blocklist_msg_bound(size_t n);

/* "10.0.0.0/8" / "2001:db8::/32" / "1.2.3.4" (/32 implied; common/cidr.h)
 * -> entry family, addr, prefix_len (host bits cleared); the rest of e is
 * left alone. Returns 0 or -EINVAL. */
int blocklist_parse_cidr(const char *s, struct blocklist_entry *e);
/* entry -> "10.0.0.0/8"; out needs 50 bytes. */
void blocklist_format_cidr(const struct blocklist_entry *e, char *out,
			  size_t cap);

/* Address bytes of a family: 4, 16, or 0 (identity only). */
size_t blocklist_addr_len(uint8_t family);
/* Zero the address bits past e->prefix_len. */
void blocklist_clear_host_bits(struct blocklist_entry *e);
/* A decoded BlockEntry -> entry; -EBADMSG when it has no subject, a prefix
 * longer than its address, or an identity with a NUL. */
int blocklist_entry_from_pb(const sidewatch_BlockEntry *p,
			    struct blocklist_entry *e);

#endif /* SW_BLOCKLIST_H */
