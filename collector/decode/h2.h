/* h2.h - HTTP/2 and gRPC decoder for one TCP connection.
 *
 * Fed both directions of one connection in order, in chunks of any size;
 * emits one sess_event per stream (request/response exchange) through a
 * sess_sink. Only nghttp2's HPACK inflater is used (one per direction): the
 * framing, stream states and anomaly accounting are ours, so that hostile
 * bytes are counted instead of ending the decode.
 *
 * Memory per connection is bounded: H2_MAX_STREAMS stream records (each
 * holding one sess_event), a small control-frame buffer per direction, and
 * two inflaters whose dynamic tables nghttp2 bounds. Header blocks are
 * streamed into the inflater, never buffered.
 */
#ifndef SW_H2_H
#define SW_H2_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

#ifndef H2_MAX_STREAMS
#define H2_MAX_STREAMS 256 /* open streams tracked per connection */
#endif
#ifndef H2_MAX_BLOCK
#define H2_MAX_BLOCK (64u * 1024) /* header block bytes incl. CONTINUATION */
#endif
#ifndef H2_MAX_HDR_LIST
#define H2_MAX_HDR_LIST (64u * 1024) /* decoded list size (RFC 7540 6.5.2) */
#endif
#ifndef H2_MAX_CONTINUATION
#define H2_MAX_CONTINUATION 32 /* CONTINUATION frames per header block */
#endif
#ifndef H2_SETTINGS_PER_SEC
#define H2_SETTINGS_PER_SEC 50 /* non-ACK SETTINGS per direction per second */
#endif
#ifndef H2_PING_PER_SEC
#define H2_PING_PER_SEC 50 /* non-ACK PING per direction per second */
#endif
#ifndef H2_RESETS_PER_SEC
#define H2_RESETS_PER_SEC 100 /* client RST_STREAM per second */
#endif
#ifndef H2_RAPID_RESET_NS
#define H2_RAPID_RESET_NS 10000000ull /* RST this soon after HEADERS is rapid */
#endif
#ifndef H2_RESYNC_MAX_LEN
#define H2_RESYNC_MAX_LEN (1u << 20) /* largest frame believed when resyncing */
#endif

struct h2_conn;

/* h2_conn_new flags */
#define H2_F_MIDSTREAM 1u /* joined an existing connection: no preface, HPACK state unknown */

struct h2_conn *h2_conn_new(const struct sess_conn *conn,
			    const struct sess_sink *sink, unsigned flags);
void h2_conn_free(struct h2_conn *c); /* NULL ok; emits nothing */
void h2_feed(struct h2_conn *c, enum sess_dir dir, const uint8_t *data,
	     size_t len, uint64_t ts_ns);
/* len bytes of dir were lost by the capture. */
void h2_gap(struct h2_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns);
/* Connection ended: emits unfinished streams (and, when connection-level
 * anomalies were never carried by a stream event, one stream_id 0 event
 * holding them). */
void h2_close(struct h2_conn *c, uint64_t ts_ns);
/* Periodic (the connection sweep, every second): request body bytes of
 * open streams not judged yet are judged now (a stream that never sends
 * END_STREAM is judged on what arrived). A request's headers are judged
 * when they complete, END_STREAM or not. */
void h2_tick(struct h2_conn *c, uint64_t now_ns);

/* The client connection preface (RFC 9113 3.4). */
#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_PREFACE_LEN (sizeof(H2_PREFACE) - 1)

/* 1 when buf starts with (a prefix of) the client connection preface. */
int h2_is_preface(const uint8_t *buf, size_t len);

/* After an HTTP/1.1 "Upgrade: h2c" 101: the upgraded request is stream 1, the
 * client still sends the preface, the server starts with SETTINGS. req1 is
 * the HTTP/1 event of the upgrade request (copied). */
struct h2_conn *h2_conn_new_upgraded(const struct sess_conn *conn,
				     const struct sess_sink *sink,
				     const struct sess_event *req1);

enum h2_anom {
	H2_ANOM_RAPID_RESET,            /* client RST before/soon after HEADERS */
	H2_ANOM_CONTINUATION_FLOOD,     /* > H2_MAX_CONTINUATION or > block cap */
	H2_ANOM_SETTINGS_FLOOD,         /* > H2_SETTINGS_PER_SEC (once per second) */
	H2_ANOM_PING_FLOOD,             /* > H2_PING_PER_SEC (once per second) */
	H2_ANOM_STREAMS_OVER_MAX,       /* beyond server's MAX_CONCURRENT_STREAMS */
	H2_ANOM_HDR_LIST_OVERSIZE,      /* block or decoded list over its cap */
	H2_ANOM_FRAME_ON_CLOSED_STREAM, /* client HEADERS/DATA on a closed stream */
	H2_ANOM_BAD_HPACK,              /* inflater error: block lost, later ones read fresh */
	H2_ANOM_FRAME_OVERSIZE,         /* over the peer's SETTINGS_MAX_FRAME_SIZE */
	H2_ANOM_BAD_PREFACE,            /* client preface mismatch: direction dropped */
	H2_ANOM_PROTOCOL_ERROR,         /* malformed frame / sequence */
	H2_ANOM_GAP,                    /* capture lost bytes */
	H2_ANOM_RESET_FLOOD,            /* > H2_RESETS_PER_SEC client RSTs (once/s) */
	H2_ANOM_STREAM_TABLE_FULL,      /* H2_MAX_STREAMS open: oldest evicted */
	H2_ANOM_BODY_UNJUDGED,          /* request body past H2_SCAN_BODY_MAX */
	H2_ANOM__COUNT
};

extern const char *const h2_anom_names[H2_ANOM__COUNT]; /* "h2.rapid_reset", ... */

/* Per-connection anomaly counters, indexed by enum h2_anom. */
const uint64_t *h2_conn_anoms(const struct h2_conn *c);
/* Bytes of heap the connection holds (its state, open streams, HPACK
 * tables): O(1), for the collector's memory budget. *busy (may be NULL)
 * gets the part later bytes depend on (open streams, HPACK tables). 0 for
 * NULL. */
size_t h2_conn_mem(const struct h2_conn *c, size_t *busy);
/* Process-wide anomaly counters over all connections. */
void h2_totals(uint64_t out[H2_ANOM__COUNT]);

#endif /* SW_H2_H */
