/* ring.h - the published shard ring: which correlator shard owns an event.
 *
 * Every collector and correlator reads the same text file and must reach
 * the same owner for the same event on every host, so the ring's hash is
 * fixed and unkeyed (ring_hash: FNV-1a 64 then the MurmurHash3 64-bit
 * finalizer), never the per-process random key of ident.h. Changing the
 * hash moves every key: it is part of the format.
 *
 * File format (text, one item a line, a field starting with '#' starts a
 * comment to the end of its line, blank lines ignored, fields separated by
 * spaces or tabs):
 *
 *     # sidewatch shard ring
 *     version 3
 *     a  tcp://10.0.0.1:7450  1  key=<a's 40-character z85 public key>
 *     b  tcp://10.0.0.2:7450  2  key=<b's>
 *
 * The first item is "version N", N a whole number 1 .. 2^63-1 (the ring's
 * own version: raise it with every change). Then one line per shard: its
 * name (1..RING_NAME_MAX characters of [A-Za-z0-9._-]), its endpoint
 * (tcp:// or ipc://, printable, at most RING_EP_MAX bytes) and its weight
 * (1..RING_MAX_WEIGHT), and optionally its CURVE public key: with keys,
 * each shard has its own key pair and a collector holds each shard to its
 * own key (a shard's secret opens only that shard's uplink and block list,
 * so one compromised shard cannot pose as another); without them, every
 * shard serves the one pair the collector's correlator_key names. A key on
 * every shard or on none; no two shards with one key. Refused, with the
 * line number: a line longer than
 * RING_LINE_MAX, a control byte, a missing or repeated or bad version, a
 * shard before the version, a repeated name or endpoint, a zero or too big
 * weight, extra fields, more than RING_MAX_SHARDS shards or none, a file
 * over RING_FILE_MAX bytes. Nothing is skipped silently.
 *
 * Each shard gets weight * RING_POINTS points on a 64-bit circle, point i
 * at ring_hash(name, '\0', i as 4 bytes big-endian); a key belongs to the
 * first point at or after it (wrapping). Ties sort by name, so the owner
 * never depends on the order of the lines. Adding a shard moves only the
 * keys its points take: every moved key moves to the new shard.
 *
 * Key of an event (ring_key): the client address's /24 (IPv4, and
 * IPv4-mapped IPv6) or /48 (IPv6), and nothing else. An identity does not
 * key: a source trying many usernames must stay on one shard. So the
 * owner of a source sees all of that source's events, and the cross-host
 * detectors (correlator/fleet_win.c) keyed by source are complete there:
 *
 *     detector                    subject              complete on owner
 *     fleet.bruteforce.source     source address       yes
 *     fleet.scan.source           source address       yes
 *     fleet.scan.net24            source /24           yes
 *     fleet.enum.source           source + template    yes
 *     fleet.grpc.probe            source address       yes
 *     fleet.repeat_offender       source (verdicts)    yes
 *     fleet.bruteforce.endpoint   authority + path     no
 *     fleet.rate.endpoint         authority + endpoint no
 *     fleet.scan.identity         identity             no
 *     fleet.credential_sharing    identity (many IPs)  no
 *
 * The last four alone would see only the events of the sources their
 * shard owns. Projections make them complete on the owner of their own
 * key (common/projkey.h): the collector sends a copy of an event to the
 * owner of its endpoint key and of its identity key (collector/uplink/
 * shardup.h), and each correlator feeds those detectors only with events
 * whose key it owns (correlator/ingest.h).
 */
#ifndef SW_RING_H
#define SW_RING_H

#include <stddef.h>
#include <stdint.h>

#ifndef RING_MAX_SHARDS
#define RING_MAX_SHARDS 64
#endif
#ifndef RING_MAX_WEIGHT
#define RING_MAX_WEIGHT 16
#endif
#define RING_POINTS 1024      /* points per unit of weight */
#define RING_NAME_MAX 31
#define RING_EP_MAX 127
#define RING_LINE_MAX 255     /* bytes of one line, without its newline */
#define RING_FILE_MAX 65536
#define RING_KEY_LEN 40       /* z85 text of a CURVE public key */

struct ring;

/* Parse text[0..len). NULL with one sentence in err (its line number, the
 * offending text escaped) when refused or out of memory. */
struct ring *ring_parse(const char *text, size_t len, char *err, size_t errlen);
/* ring_parse() of the file at path (at most RING_FILE_MAX bytes); err
 * names the file. */
struct ring *ring_load(const char *path, char *err, size_t errlen);
void ring_free(struct ring *r);

uint64_t ring_version(const struct ring *r);
size_t ring_nshards(const struct ring *r);
/* Shard i (0 .. nshards-1, in file order). */
const char *ring_shard_name(const struct ring *r, size_t i);
const char *ring_shard_endpoint(const struct ring *r, size_t i);
unsigned ring_shard_weight(const struct ring *r, size_t i);
/* Shard i's z85 public key, or NULL when the ring has no keys. */
const char *ring_shard_key(const struct ring *r, size_t i);
/* The index of the shard named name, or -1. */
int ring_find(const struct ring *r, const char *name);

/* The fixed, unkeyed hash every host computes alike. */
uint64_t ring_hash(const void *data, size_t len);
/* An event's key: ip is 4 or 16 bytes in network order (any other length,
 * or NULL: no address, a key of its own). */
uint64_t ring_key(const uint8_t *ip, size_t iplen);
/* The index of the shard owning key. */
size_t ring_owner(const struct ring *r, uint64_t key);

#endif /* SW_RING_H */
