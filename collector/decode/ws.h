/* ws.h - WebSocket (RFC 6455) decoder: frames after an HTTP/1.1 101.
 *
 * The HTTP/1.1 decoder hands over both directions of an upgraded connection,
 * each in order, in chunks of any size. We follow the framing of each side,
 * check what a conforming peer would refuse (masking, RSV bits, opcodes,
 * fragmentation, control frames, UTF-8 of text, close codes) and count
 * abuse (oversize frames and messages, fragment storms, message and ping
 * floods, cross-site WebSocket hijacking via Origin). We emit session events
 * (proto SESS_PROTO_WEBSOCKET) at open, every summary interval, and at close.
 *
 * Memory per connection is constant: payload is never buffered. Only a
 * control frame's first 125 bytes and, when cfg->text_prefix > 0, a prefix of
 * the client's text messages are kept. Masked payload is unmasked in small
 * pieces on the stack to feed a streaming UTF-8 validator and the prefix.
 *
 * permessage-deflate (RFC 7692): a client message whose first frame has
 * RSV1 set on a connection that negotiated it is decoded at its end
 * (ws_infl.h, with the connection's window when context is taken over)
 * and, when text, checked and judged as plain text is. One that cannot be
 * decoded (a window evicted, cfg->inflate_windows and _client, a gap, a malformed stream,
 * a bomb, over the bounds, or any after the window was lost) counts
 * CODED_UNJUDGED, once per message. Server messages stay opaque (not
 * judged). RSV1 without that negotiation counts RSV_BITS.
 *
 * A capture gap inside a frame's payload is stepped over (the message then
 * goes unchecked); a gap across a frame boundary loses that direction's
 * framing for good: its later bytes are only counted. No resynchronisation.
 *
 * Events carry cumulative counters and cumulative anomaly counts, so the
 * last event of a connection (phase close) has the totals.
 *
 * Client text messages are judged as each completes: when the sink has a
 * request callback, every client text message (decoded when compressed) goes to it as
 * its own event (phase periodic, body = the message, req_ns/req_end_ns its
 * first and last byte, the connection's anomalies when they changed since
 * the last event). A message longer than text_prefix goes in windows of
 * text_prefix bytes overlapping by WS_WIN_OVERLAP. Bounded: at most
 * scan_msg_max bytes of one message and scan_bytes_per_sec bytes per
 * second per connection (each message costs WS_MSG_COST more) are judged;
 * what is not counts WS_ANOM_MESSAGE_UNJUDGED once per message. Without a
 * request callback the most recent message rides in the next event.
 */
#ifndef SW_WS_H
#define SW_WS_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_ACCEPT_LEN 28 /* base64 of a 20-byte SHA-1 */

struct ws_config {
	uint64_t summary_interval_ns;  /* 0 = no periodic events; default 30 s */
	uint64_t max_message;          /* bytes; larger messages count OVERSIZE_MESSAGE; default 16 MiB; 0 = no limit */
	uint64_t max_frame;            /* default 16 MiB; 0 = no limit */
	uint32_t max_fragments;        /* frames in one message before FRAGMENT_STORM; default 1024; 0 = no limit */
	uint32_t flood_msgs_per_sec;   /* client messages per second before MESSAGE_FLOOD; default 1000; 0 = off */
	uint32_t text_prefix;          /* bytes of each client text message kept for detectors (0 = none; max SESS_MAX_BODY) */
	const char *const *allowed_origins; /* NULL-terminated list; NULL = same-host rule: Origin host must equal Host */
	/* Added: client pings + pongs per second before CONTROL_ABUSE;
	 * default 100; 0 = off. */
	uint32_t flood_pings_per_sec;
	/* Added: bytes of one client text message judged (default 1 MiB;
	 * 0 = no limit) and per connection per second (default 2 MiB, about
	 * 120 ms of detector time at ~55 ns a byte; 0 = no limit); text_prefix now defaults
	 * to SESS_MAX_BODY. */
	uint64_t scan_msg_max;
	uint64_t scan_bytes_per_sec;
	/* Added: connections (per decoding thread) that may hold a
	 * permessage-deflate window of up to 32 KiB (ws_infl.h); default 256;
	 * 0 = no cap. Past it the least recently used window of the client
	 * holding the most is evicted. */
	uint32_t inflate_windows;
	/* Added: windows one client (IPv4 /24, IPv6 /64; the PROXY header's
	 * client when trusted) may hold; past it its least recently used one
	 * is evicted. Default 8; 0 = no limit. */
	uint32_t inflate_windows_client;
};

#define WS_WIN_OVERLAP 512 /* message windows overlap by this much */
#define WS_MSG_COST 16     /* per-message charge against scan_bytes_per_sec:
			    * judging a tiny message costs about what
			    * scanning 8 bytes does (measured: ~400 ns vs
			    * ~55 ns a byte) */

void ws_config_default(struct ws_config *cfg);

struct ws_handshake {               /* filled by the caller from the HTTP/1.1 exchange */
	const char *path, *query, *authority;  /* request target and Host */
	const char *origin;            /* NULL when absent */
	const char *key;               /* Sec-WebSocket-Key */
	const char *accept;            /* Sec-WebSocket-Accept from the 101 */
	const char *protocol;          /* Sec-WebSocket-Protocol chosen by the server, NULL if none */
	const char *extensions;        /* Sec-WebSocket-Extensions from the 101, NULL if none */
	uint64_t req_ns, resp_ns;
};

enum ws_anom {
	WS_ANOM_UNMASKED_CLIENT,
	WS_ANOM_MASKED_SERVER,
	WS_ANOM_RSV_BITS,
	WS_ANOM_RESERVED_OPCODE,
	WS_ANOM_OVERSIZE_FRAME,
	WS_ANOM_OVERSIZE_MESSAGE,
	WS_ANOM_FRAGMENT_STORM,
	WS_ANOM_MESSAGE_FLOOD,
	WS_ANOM_CONTROL_ABUSE,   /* fragmented or >125-byte control frames, ping floods */
	WS_ANOM_INVALID_UTF8,
	WS_ANOM_FOREIGN_ORIGIN,
	WS_ANOM_BAD_ACCEPT,
	WS_ANOM_BAD_CONTINUATION,
	WS_ANOM_DATA_AFTER_CLOSE,
	WS_ANOM_BAD_CLOSE_CODE,
	WS_ANOM_GAP,
	WS_ANOM_NONMINIMAL_LENGTH, /* 16/64-bit length where a shorter form fits */
	WS_ANOM_MESSAGE_UNJUDGED,  /* client text past scan_msg_max / scan_bytes_per_sec */
	WS_ANOM_CODED_UNJUDGED,    /* a compressed client message not decoded */
	WS_ANOM__COUNT
};

extern const char *const ws_anom_names[WS_ANOM__COUNT];   /* "ws.unmasked_client", ... */

/* Who sent the first close frame (ws_stats.who_closed). */
#define WS_CLOSED_NONE   0
#define WS_CLOSED_CLIENT 1
#define WS_CLOSED_SERVER 2

/* Per-connection figures beyond the event, for detectors. Index [dir] is
 * enum sess_dir (SESS_DIR_REQ = client). */
struct ws_stats {
	uint64_t msgs[2];            /* completed data messages */
	uint64_t payload_bytes[2];   /* payload bytes of data messages */
	uint64_t largest_msg[2];     /* largest completed data message */
	uint64_t frames[2][16];      /* frames by opcode */
	uint64_t wire_bytes[2];      /* every byte handed over, gaps included */
	uint64_t ignored_bytes[2];   /* after close, after lost framing, gaps */
	uint8_t who_closed;          /* WS_CLOSED_* */
	uint8_t close_done;          /* both sides sent close */
	uint8_t deflate;             /* permessage-deflate negotiated */
	int close_code;              /* first close frame's code, -1 if none */
	int close_code_reply;        /* the other side's, -1 if none */
	uint8_t close_reason_len;
	char close_reason[124];      /* first close frame's reason, NUL-terminated */
	uint64_t duration_ns;        /* upgrade -> close (or latest byte) */
};

struct ws_conn;

/* Emits the open event. cfg NULL = defaults. hs NULL = joined mid-stream:
 * no handshake checks, events flagged SESS_F_PARTIAL. The config and
 * handshake are copied; conn and sink must outlive the ws_conn. Returns
 * NULL when out of memory. */
struct ws_conn *ws_conn_new(const struct sess_conn *conn, const struct sess_sink *sink,
			    const struct ws_config *cfg, const struct ws_handshake *hs);
void ws_conn_free(struct ws_conn *c);   /* NULL ok */
void ws_feed(struct ws_conn *c, enum sess_dir dir, const uint8_t *data, size_t len, uint64_t ts_ns);
void ws_gap(struct ws_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns);
void ws_tick(struct ws_conn *c, uint64_t now_ns);   /* periodic summary when due */
void ws_close(struct ws_conn *c, uint64_t ts_ns);   /* connection ended: close event if not sent */

const uint64_t *ws_conn_anoms(const struct ws_conn *c);  /* [WS_ANOM__COUNT] */
/* Bytes of heap the connection holds (fixed once it exists, but for a
 * permessage-deflate window and the open message's compressed bytes);
 * 0 for NULL. */
size_t ws_conn_mem(const struct ws_conn *c);
const struct ws_stats *ws_conn_stats(const struct ws_conn *c);
/* Prefix of the most recent complete client text message (NULL, *len 0
 * when none; a compressed one gives what of it decoded, none when no
 * window could be had). */
const uint8_t *ws_last_text(const struct ws_conn *c, size_t *len);
/* 1 when that message was longer than the prefix or partly not captured. */
int ws_last_text_truncated(const struct ws_conn *c);
/* Process-wide anomaly totals since start. */
void ws_totals(uint64_t out[WS_ANOM__COUNT]);

/* Sec-WebSocket-Accept for a key (RFC 6455 4.2.2): out gets 28 chars + NUL.
 * Returns 0, or -EINVAL for a NULL key. */
int ws_accept_for_key(const char *key, char out[WS_ACCEPT_LEN + 1]);

#endif /* SW_WS_H */
