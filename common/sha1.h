/* sha1.h - SHA-1 (RFC 3174), for the WebSocket handshake check and
 * deriving the identity key from the correlator's public key (main.c).
 *
 * SHA-1 is broken for collision resistance; RFC 6455 uses it merely to prove
 * the server read the client's key, which is all we verify with it. Do not
 * use it for anything that needs a secure hash.
 */
#ifndef SW_SHA1_H
#define SW_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20

struct sha1_ctx {
	uint32_t h[5];
	uint64_t total;     /* message bytes so far */
	uint8_t buf[64];    /* partial block */
	uint32_t buf_len;
};

void sha1_init(struct sha1_ctx *ctx);
void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len);
void sha1_final(struct sha1_ctx *ctx, uint8_t out[SHA1_DIGEST_LEN]);
/* One-shot convenience. */
void sha1(const void *data, size_t len, uint8_t out[SHA1_DIGEST_LEN]);

#endif /* SW_SHA1_H */
