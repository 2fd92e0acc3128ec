/* ws_infl.h - permessage-deflate (RFC 7692) for the client's messages of
 * one WebSocket connection, so what a client compresses is judged as the
 * server reads it.
 *
 * The agreed parameters come from the server's Sec-WebSocket-Extensions
 * (ws_infl_parse). A message's compressed bytes (its frames' payloads,
 * unmasked) are collected, bounded by WS_INFL_IN_MAX; at its end 00 00 ff
 * ff is appended (RFC 7692 7.2.2) and the lot decoded as raw DEFLATE after
 * the connection's LZ77 window (context takeover: the last 2^bits plain
 * bytes of the earlier messages, client_max_window_bits, 15 when absent;
 * none with client_no_context_takeover). Output is bounded by
 * WS_INFL_OUT_MAX and a ratio cap.
 *
 * Memory: a window of up to 32 KiB per connection that keeps one, and
 * the open message's input, freed at its end. Windows are held against
 * a cap in all and a smaller one per client (an IPv4 /24, an IPv6 /64):
 * past either, a window is evicted, never the newcomer refused, so one
 * client's idle connections cannot take decoding from the others (see
 * ws_infl_new). When a message cannot be decoded (input over its bound, a
 * capture gap, a malformed stream, a bomb, output over its bound) the
 * window is lost with it: every later message of the connection is
 * undecodable too, unless no context is taken over. The caller counts
 * each such message (ws.coded_unjudged); nothing is skipped silently.
 */
#ifndef SW_WS_INFL_H
#define SW_WS_INFL_H

#include <stddef.h>
#include <stdint.h>

#define WS_INFL_IN_MAX  (64u << 10)  /* compressed bytes of one message */
#define WS_INFL_OUT_MAX (256u << 10) /* plain bytes of one message */
#define WS_INFL_RATIO   100          /* plain/compressed past which: a bomb */

struct ws_infl_params {
	uint8_t no_takeover; /* client_no_context_takeover */
	uint8_t window_bits; /* client_max_window_bits: 8..15 (8 read as 9, as zlib does) */
};

/* Did the server accept permessage-deflate in ext (the 101's
 * Sec-WebSocket-Extensions, may be NULL)? 1 and p filled, else 0. */
int ws_infl_parse(const char *ext, struct ws_infl_params *p);

struct ws_infl;

/* Why a connection's window was taken from it. */
enum ws_infl_ev {
	WS_INFL_EV_FULL = 0, /* the table was full: its client held the most */
	WS_INFL_EV_CLIENT,   /* its client opened one more past per_client */
	WS_INFL_EV__COUNT,
};

/* The client a window is counted against: addr (family AF_INET, the
 * address in its first 4 bytes, or AF_INET6) cut to its /24 or /64. */
void ws_infl_client(uint8_t family, const uint8_t addr[16], uint8_t out[16]);

/* A connection of client group (ws_infl_client) that may need a window.
 * When its client holds per_client windows already (0: no limit), the
 * least recently used of them is evicted; else when max_windows are held
 * (0: no cap), the least recently used window of the client holding the
 * most is. An evicted connection decodes nothing more: each of its later
 * compressed messages fails (ws_infl_end -1), so it is the one counted.
 * Windows are tabled per decoding thread (one thread evicts only its own
 * connections'). NULL when out of memory. */
struct ws_infl *ws_infl_new(const struct ws_infl_params *p, const uint8_t group[16],
			    uint32_t max_windows, uint32_t per_client);
void ws_infl_free(struct ws_infl *z); /* NULL ok */

/* The next n compressed bytes of the open message (unmasked). */
void ws_infl_add(struct ws_infl *z, const uint8_t *p, size_t n);
/* Part of the open message was not captured. */
void ws_infl_gap(struct ws_infl *z);

/* The open message ended: decode it. *out gets the plain bytes (valid
 * until ws_infl_done or the next ws_infl_end of any connection of the
 * thread: every connection of a thread decodes in one buffer made once,
 * where the last one to decode keeps its window), *out_len their count. Returns 0
 * when all of the message was decoded, -1 when not (what did decode is
 * still in *out). */
int ws_infl_end(struct ws_infl *z, const uint8_t **out, size_t *out_len);
/* The caller is done with *out: its memory goes back. */
void ws_infl_done(struct ws_infl *z);

/* Heap bytes held now (window and open message's input). */
size_t ws_infl_mem(const struct ws_infl *z);
/* Connections holding a window now (every thread's). */
uint64_t ws_infl_windows(void);
extern const char *const ws_infl_ev_names[WS_INFL_EV__COUNT];
/* Windows evicted so far, by why (every thread's). */
void ws_infl_evictions(uint64_t out[WS_INFL_EV__COUNT]);

#endif /* SW_WS_INFL_H */
