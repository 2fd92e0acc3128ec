/* zap.h - ZeroMQ authentication (ZAP, RFC 27) for the correlator's CURVE
 * sockets: only collector public keys listed in a directory are let in.
 *
 * The directory holds one file per collector, NAME.pub, containing its z85
 * public key (`swctl keygen DIR NAME` writes it). The file name (without
 * .pub) becomes the connection's User-Id. The directory is re-read when
 * its modification time changes, so adding or removing a collector needs
 * no restart. Every refused handshake is counted.
 *
 * zap_start() must run before any CURVE socket binds: libzmq accepts every
 * client when no handler is listening.
 */
#ifndef SW_ZAP_H
#define SW_ZAP_H

#include <stddef.h>
#include <stdint.h>

struct zap;

struct zap *zap_start(void *zmq_ctx, const char *keys_dir, char *err,
		      size_t errlen);
void zap_stop(struct zap *z);

uint64_t zap_allowed(const struct zap *z);
uint64_t zap_denied(const struct zap *z);
unsigned zap_key_count(const struct zap *z);

#endif /* SW_ZAP_H */
