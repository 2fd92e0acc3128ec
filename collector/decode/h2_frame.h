/* h2_frame.h - HTTP/2 wire rules (RFC 7540 section 4 and 6) that need no
 * connection state: the 9-byte frame header, which headers are legal, which
 * are believable when re-synchronising, and a per-second rate counter for
 * flood detection. Used by the h2 decoder; stateless, no allocation. */
#ifndef SW_H2_FRAME_H
#define SW_H2_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

#define H2_FRAME_HDR 9
#define H2_DEFAULT_FRAME 16384u      /* SETTINGS_MAX_FRAME_SIZE default/min */
#define H2_MAX_FRAME_LIMIT 16777215u /* 2^24 - 1: the length field's range */

enum h2_ftype {
	H2_FT_DATA, H2_FT_HEADERS, H2_FT_PRIORITY, H2_FT_RST_STREAM,
	H2_FT_SETTINGS, H2_FT_PUSH_PROMISE, H2_FT_PING, H2_FT_GOAWAY,
	H2_FT_WINDOW_UPDATE, H2_FT_CONTINUATION,
};

/* frame flags */
#define H2_FL_END_STREAM 0x01  /* DATA, HEADERS */
#define H2_FL_ACK 0x01         /* SETTINGS, PING */
#define H2_FL_END_HEADERS 0x04 /* HEADERS, PUSH_PROMISE, CONTINUATION */
#define H2_FL_PADDED 0x08      /* DATA, HEADERS, PUSH_PROMISE */
#define H2_FL_PRIORITY 0x20    /* HEADERS */

/* SETTINGS identifiers */
#define H2_SET_HEADER_TABLE_SIZE 1
#define H2_SET_ENABLE_PUSH 2
#define H2_SET_MAX_CONCURRENT_STREAMS 3
#define H2_SET_INITIAL_WINDOW_SIZE 4
#define H2_SET_MAX_FRAME_SIZE 5

struct h2_frame_hdr {
	uint32_t len;  /* payload length, 24 bits */
	uint8_t type;
	uint8_t flags;
	uint8_t r_bit; /* reserved bit of the stream id (must be 0) */
	uint32_t sid;  /* stream id, 31 bits */
};

void h2_frame_hdr_parse(const uint8_t raw[H2_FRAME_HDR], struct h2_frame_hdr *h);
/* The reverse (tests build frames with it); sid's top bit is the R bit. */
void h2_frame_hdr_write(uint8_t raw[H2_FRAME_HDR], uint32_t len, uint8_t type,
			uint8_t flags, uint32_t sid);

/* 0 when the header breaks a fixed rule (stream 0 vs non-0, fixed lengths,
 * PUSH_PROMISE from the client); unknown types are legal (skipped). dir is
 * who sent it. */
int h2_frame_valid(const struct h2_frame_hdr *h, enum sess_dir dir);

/* Would a reader that lost framing believe this header? Stricter than
 * valid: known type, defined flags only, reserved bit clear, length at most
 * max_len. */
int h2_frame_plausible(const struct h2_frame_hdr *h, uint32_t max_len);

/* Events per one-second window of kernel time. */
struct h2_rate {
	uint64_t start;
	uint32_t n;
	uint8_t flagged;
};

/* Count one event at ts; returns 1 the first time a window exceeds limit
 * (so a flood is reported once per second, not once per frame). */
int h2_rate_hit(struct h2_rate *r, uint64_t ts, uint32_t limit);

static inline uint32_t h2_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

#endif /* SW_H2_FRAME_H */
