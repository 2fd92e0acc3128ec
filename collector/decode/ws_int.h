/* ws_int.h - what the two halves of the WebSocket decoder share: ws.c
 * (handshake, connection, feeding and gaps) and ws_frame.c (frame
 * headers, payload unmasking and UTF-8, messages, control frames).
 * Both report through ws_event.c (counts and events), which calls neither.
 * Private: no other module includes it.
 */
#ifndef SW_WS_INT_H
#define SW_WS_INT_H

#include <stdint.h>

#include "collector/decode/ws.h"
#include "collector/decode/ws_infl.h"

#define NS_PER_SEC 1000000000ull

enum {
	WS_OP_CONT = 0x0,
	WS_OP_TEXT = 0x1,
	WS_OP_BINARY = 0x2,
	WS_OP_CLOSE = 0x8,
	WS_OP_PING = 0x9,
	WS_OP_PONG = 0xA,
};

/* Where a side's byte stream stands. */
enum ws_rx {
	WS_RX_HDR,     /* collecting a frame header */
	WS_RX_PAYLOAD, /* inside a frame's payload */
	WS_RX_CLOSED,  /* this side sent close: later bytes are ignored */
	WS_RX_LOST,    /* a gap crossed a frame boundary: framing lost */
};

/* What the current frame's payload feeds. */
enum ws_fkind {
	WS_FK_DATA,    /* part of a data message */
	WS_FK_CONTROL, /* ping / pong / close: first 125 bytes kept */
	WS_FK_SKIP,    /* counted only (reserved opcode, stray continuation, 2^63) */
};

/* Streaming UTF-8 validator (RFC 3629 table 4): need = continuation bytes
 * still due, [lo, hi] = range allowed for the next one, which rules out
 * overlong forms, surrogates and code points past U+10FFFF. */
struct ws_utf8 {
	uint8_t need, lo, hi;
};

/* A count per one-second window, flagged once per window when it passes
 * its limit. */
struct ws_rate {
	uint64_t start, count;
	uint8_t flagged;
};

struct ws_side {
	enum ws_rx rx;
	uint8_t hdr[14];
	uint8_t hdr_len, hdr_need;
	uint64_t hdr_ns;   /* when the current frame header's first byte came */

	/* current frame */
	uint8_t op, fin, masked;
	enum ws_fkind kind;
	uint8_t mask[4];
	uint64_t remain;   /* payload bytes still due */
	uint64_t pos;      /* payload offset in the frame: selects the mask byte */
	uint8_t ctl[125];
	uint8_t ctl_len;
	uint8_t ctl_gap;   /* part of the control payload was not captured */

	/* current data message */
	uint8_t msg_open, msg_text, msg_compressed;
	uint8_t msg_inflate;   /* compressed client message being collected to decode */
	uint8_t msg_unchecked; /* a gap: UTF-8 and prefix unknowable */
	uint8_t msg_bad_utf8, msg_oversize, msg_storm;
	uint64_t msg_bytes;
	uint64_t msg_start_ns; /* first frame header of the message */
	uint32_t msg_frames;
	struct ws_utf8 u8;

	/* one-second windows for floods (client side only) */
	struct ws_rate msgs, pings;
};

struct ws_conn {
	const struct sess_conn *conn;
	struct sess_sink sink;
	struct ws_config cfg;
	char *path, *query, *authority, *origin, *subprotocol;
	uint32_t trunc;         /* handshake fields cut, capture gaps */
	uint32_t mem;           /* heap bytes held (ws_conn_mem) */
	uint32_t flags;
	int have_hs;
	uint64_t req_ns, resp_ns;
	uint64_t start_ns;      /* the upgrade: start of the duration */
	uint64_t last_ns;       /* latest byte */
	uint64_t next_due;      /* next periodic summary */
	uint8_t deflate;
	uint8_t infl_refused;   /* no window to be had (cap, memory): none decodes */
	struct ws_infl_params pmd; /* permessage-deflate as agreed */
	struct ws_infl *infl;   /* client messages' decoder, made at the first */
	uint8_t close_sent;
	struct ws_side side[2];
	struct ws_stats st;
	uint64_t anoms[WS_ANOM__COUNT];

	/* client text prefix: cur is being filled by the open message, last
	 * is the most recent complete one */
	uint32_t pfx_cap, cur_len, last_len;
	uint8_t cur_trunc, last_trunc, have_last, last_pending;
	/* judging each message (sink.request set): cur holds the window being
	 * filled, its first cur_seed bytes the judged tail of the previous */
	uint32_t cur_seed;
	uint8_t msg_judge;      /* the open client message is being judged */
	uint64_t msg_judged;    /* its bytes judged (windows, new bytes only) */
	struct ws_rate scan;    /* bytes judged in this second (budget) */
	uint64_t anom_sent;     /* sum of anoms[] in the last event */
	uint8_t *pfx_cur, *pfx_last;
	uint8_t pfx_buf[];      /* 2 * pfx_cap */
};

#endif /* SW_WS_INT_H */
