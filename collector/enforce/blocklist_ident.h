/* blocklist_ident.h - identities on the fleet block list.
 *
 * The kernel drops addresses; an identity (an API key, a bearer token, a
 * JWT subject, a Basic user, a session cookie) travels from any address,
 * so the collector matches it itself: every request that has fully
 * arrived is checked, and a blocked identity's connection is killed
 * before the server answers. Entries are identity hashes as ident.h
 * computes them (the fleet-wide identity key makes them equal on every
 * host), with an expiry; the set is bounded and sorted (few entries,
 * one binary search per request).
 *
 * Two block list entries may name one identity ("sub:alice" and the
 * "id:" of its hash). Each is held on its own, told apart by a tag (the
 * caller's fingerprint of the entry, blocklist_ident_tag() of its spec): removing
 * or expiring one leaves the identity blocked while another holds it.
 */
#ifndef SW_IDBLOCK_H
#define SW_IDBLOCK_H

#include <stddef.h>
#include <stdint.h>

#define BLOCKLIST_IDENT_MAX 65536 /* as many as the block list holds (blocklist_sub.h) */

struct blocklist_ident;

struct blocklist_ident *blocklist_ident_new(void);
void blocklist_ident_free(struct blocklist_ident *b);

/* Add or refresh the entry (hash, tag) (expires_us: unix µs, 0 = never).
 * 0, or -ENOSPC when BLOCKLIST_IDENT_MAX entries are held. */
int blocklist_ident_add(struct blocklist_ident *b, uint64_t hash, uint64_t tag,
		uint64_t expires_us);
/* Remove the entry (hash, tag): 0, or -ENOENT. */
int blocklist_ident_del(struct blocklist_ident *b, uint64_t hash, uint64_t tag);
/* 1 when some entry holds hash and has not expired at now_us. */
int blocklist_ident_has(const struct blocklist_ident *b, uint64_t hash, uint64_t now_us);
size_t blocklist_ident_count(const struct blocklist_ident *b);
/* The tag of a block list entry naming an identity by spec. */
uint64_t blocklist_ident_tag(const char *spec);

/* A block list identity -> hash: "id:<16 hex digits>" (an identity key as
 * events and incidents show it) or a clear spec ident_key_from_spec()
 * takes ("sub:alice", "user:bob", "apikey:...", "bearer:...",
 * "cookie:NAME=VALUE"). 0 or -EINVAL. */
int blocklist_ident_parse(const char *spec, uint64_t *hash);

#endif
