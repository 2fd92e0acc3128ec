/* blocklist_apply.h - the fleet block list, applied on this host.
 *
 * blocklist_sub.c keeps the list in step with the correlator and calls
 * blocklist_apply_entry() for every entry added or removed. Address blocks go into
 * the kernel (enforce.h: LPM drop with expiry) in enforce mode, and the
 * open connections of a newly blocked source are cut once the whole list
 * version is in (blocklist_apply_cut_pending: a cut walks every TCP socket, the map
 * write takes µs, and the drop is what stops the source). Identity blocks
 * go into a set (blocklist_ident.h) that blocklist_apply_identity() matches on each request
 * that has fully arrived. A loopback address is never dropped: that would
 * cut every local client of the host.
 */
#ifndef SW_FAPPLY_H
#define SW_FAPPLY_H

#include <stdint.h>

#include "collector/uplink/blocklist_sub.h"
#include "collector/enforce/enforce.h"
#include "collector/decode/sess.h"
#include "collector/detect/verdict.h"

struct blocklist_apply_stats {
	uint64_t applied;      /* entries put into the kernel or the identity set */
	uint64_t removed;
	uint64_t skipped;      /* address blocks in monitor mode, loopback */
	uint64_t loopback;     /* of those: loopback addresses never dropped */
	uint64_t shielded;     /* of those: inside a range shield.h protects */
	uint64_t uncut;        /* applied without cutting: covering a protected address */
	uint64_t identities;   /* identities held now */
	uint64_t identity_hits;/* requests matched against a blocked identity */
	uint64_t unparsed;     /* identity entries we could not read or hold */
};

struct blocklist_apply;

/* enf NULL: monitor mode (addresses are only counted, identity matches
 * become alerts). */
struct blocklist_apply *blocklist_apply_new(struct enforce *enf);
void blocklist_apply_free(struct blocklist_apply *f);
struct shield;
/* Entries overlapping s (shield.h) are never applied; s outlives f. */
void blocklist_apply_set_shield(struct blocklist_apply *f, const struct shield *s);

/* blocklist_sub's apply callback (ctx: struct blocklist_apply). */
int blocklist_apply_entry(void *ctx, const struct blocklist_entry *e, int op);
/* Cut the connections of sources blocked since the last call. */
void blocklist_apply_cut_pending(struct blocklist_apply *f);

/* Does this request present an identity the fleet blocked? Then v is a
 * verdict (rule fleet.identity_block, kill in enforce mode, else alert) and
 * 1 is returned; a connection is reported once. */
int blocklist_apply_identity(struct blocklist_apply *f, const struct sess_event *ev,
		    uint64_t now_mono_ns, struct verdict *v);

/* The kill for the last match failed: report that connection again. */
void blocklist_apply_identity_retry(struct blocklist_apply *f);

void blocklist_apply_get_stats(const struct blocklist_apply *f, struct blocklist_apply_stats *st);

/* 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 */
int blocklist_apply_is_loopback(uint8_t family, const uint8_t *addr);
/* Would dropping the network net/len drop this host's loopback (127.0.0.1,
 * ::1, ::ffff:127.0.0.1)? 127.0.0.0/8 does, and so do 0.0.0.0/0 or ::/0. */
int blocklist_apply_covers_loopback(uint8_t family, const uint8_t *net, unsigned len);

#endif
