/* pp.h - the PROXY protocol header (HAProxy's specification, versions 1
 * and 2) a load balancer sends before the client's first byte, naming the
 * client it relays. A server set to expect it (nginx `listen ...
 * proxy_protocol`, HAProxy `accept-proxy`, Envoy's proxy_protocol
 * listener filter) reads past it; so must the decoder, and the address is
 * the client's only when the peer is a trusted proxy (the caller decides).
 *
 * Version 1: "PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n" or "PROXY UNKNOWN
 * ...\r\n". Version 2: a 12-byte signature, version 2 and a command,
 * family and transport, a 16-bit length, then the addresses and TLVs
 * (skipped). What ends a header, and what is refused, follows nginx 1.22
 * (pp.c). Bounded: a v1 line with no CRLF within PP_MAX bytes is refused;
 * a v2 header is known by its first 16 + 36 bytes at most, and its length
 * may exceed what has arrived (the caller skips the rest).
 */
#ifndef SW_PP_H
#define SW_PP_H

#include <stddef.h>
#include <stdint.h>

#define PP_MAX 1024 /* bytes held to read one (nginx's default client_header_buffer_size) */

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

/* Parse the header buf[0..len) begins with. Returns its length (> 0, for
 * version 2 possibly more than len) with *out filled, or an enum
 * pp_result. */
int pp_parse(const uint8_t *buf, size_t len, struct pp_info *out);

#endif /* SW_PP_H */
