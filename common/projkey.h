/* projkey.h - the ring keys of an event's endpoint and identity (issue 25).
 *
 * A sharded fleet (ring.h) puts an event on the owner of its client's /24.
 * Four cross-host detectors count by another subject: fleet.bruteforce.
 * endpoint and fleet.rate.endpoint by authority + path template,
 * fleet.scan.identity and fleet.credential_sharing by identity. The
 * collector sends a projection of the event (SessionEvent.projection) to
 * the owner of ring_owner(projkey_endpoint(...)) or of
 * ring_owner(projkey_identity(...)) when that is not the source's owner,
 * and each correlator feeds those detectors only with the events whose key
 * it owns; so both sides must compute the same key from the same wire
 * bytes, and the key must be a function of the detector's subject: every
 * event of one subject has one key, hence one owner.
 *
 * The subject the correlator builds (correlator/fleet_win.c) is the
 * printable form (textesc.h tx_printable) of the authority cut to
 * PROJKEY_AUTHORITY_MAX - 1 bytes and of the path cut to PROJKEY_PATH_MAX - 1,
 * its ids replaced by projkey_template; the key hashes exactly that. An
 * identity's key is ring_hash of its bytes as the wire carries them (at
 * most PROJKEY_IDENTITY_MAX).
 */
#ifndef SW_PROJKEY_H
#define SW_PROJKEY_H

#include <stddef.h>
#include <stdint.h>

#define PROJKEY_AUTHORITY_MAX 64  /* with its NUL, as fleet_staged_event */
#define PROJKEY_PATH_MAX 160
#define PROJKEY_IDENTITY_MAX 128  /* SessionEvent.identity's bound */

/* /api/users/123/orders/9 -> /api/users/{id}/orders/{id} into out[cap]
 * (a segment of 1..19 digits, or a 36-character UUID, is an id); the ids
 * are hashed (FNV-1a) into *idh. Returns 1 when the path had an id. */
int projkey_template(const char *path, char *out, size_t cap, uint32_t *idh);

/* The endpoint key of authority[0..alen) and path[0..plen) (raw wire
 * bytes, any content). */
uint64_t projkey_endpoint(const void *authority, size_t alen,
			  const void *path, size_t plen);

/* The identity key of id[0..len) (raw bytes; 0 for none). */
uint64_t projkey_identity(const void *id, size_t len);

#endif /* SW_PROJKEY_H */
