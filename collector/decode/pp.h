/* pp.h - the PROXY protocol header (HAProxy's specification, versions 1
 * and 2) a load balancer sends before the client's first byte, naming the
 * client it relays. A server set to expect it (nginx `listen ...
 * proxy_protocol`, HAProxy `accept-proxy`, Envoy's proxy_protocol
 * listener filter) reads past it; so must the decoder, and the address is
 * the client's only when the peer is a trusted proxy (the caller decides).
 *
 * Version 1: "PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n" or "PROXY UNKNOWN
 * ...\r\n", at most PP_V1_MAX bytes. Version 2: a 12-byte signature,
 * version 2 with command LOCAL or PROXY, family and transport, a 16-bit
 * length, then the addresses and TLVs (skipped). Bounded: a header longer
 * than PP_MAX is refused.
 */
#ifndef SW_PP_H
#define SW_PP_H

#include <stddef.h>
#include <stdint.h>

#define PP_V1_MAX 107
#define PP_MAX 1024 /* a v2 header with its TLVs; cloud balancers send < 300 */

struct pp_info {
	uint8_t version;    /* 1 or 2 */
	uint8_t family;     /* AF_INET, AF_INET6, or 0: no address (v1
			     * UNKNOWN, v2 LOCAL or UNSPEC: the proxy's own
			     * connection, e.g. a health check) */
	uint8_t addr[16];   /* the client's address (IPv4 in addr[0..3]) */
	uint16_t port;
};

enum pp_result {
	PP_NOT = -1,        /* the bytes do not begin a PROXY header */
	PP_BAD = -2,        /* they begin one, malformed or over PP_MAX */
	PP_MORE = 0,        /* a header so far: more bytes needed */
};

/* Parse the header buf[0..len) begins with. Returns its length (> 0) with
 * *out filled, or an enum pp_result. */
int pp_parse(const uint8_t *buf, size_t len, struct pp_info *out);

#endif /* SW_PP_H */
