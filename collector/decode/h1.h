/* h1.h - HTTP/1.x decoder for one TCP connection (llhttp underneath).
 *
 * The capture layer hands us both directions of one connection in kernel
 * order, in chunks cut anywhere. We pair requests with responses (keep-alive
 * and pipelining included) and emit one struct sess_event (SESS_PROTO_HTTP1)
 * per exchange. Bytes the kernel could not copy arrive as gaps; a gap inside
 * a body of known length is absorbed, anywhere else the direction drops until
 * the next message start. Everything is bounded per connection: two parsers,
 * a FIFO of at most H1_PIPELINE_MAX pending requests, one header scratch per
 * direction. A request pipelined past a full FIFO is judged and emitted
 * when it ends, unpaired (SESS_F_PARTIAL), and its answer skipped in turn:
 * pipelining deeper than the FIFO hides nothing.
 */
#ifndef SW_H1_H
#define SW_H1_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

#ifndef H1_PIPELINE_MAX
#define H1_PIPELINE_MAX 64 /* requests waiting for their response */
#endif
#ifndef H1_MAX_HDR_BLOCK
#define H1_MAX_HDR_BLOCK (64 * 1024) /* header bytes of one message we keep */
#endif
#ifndef H1_HDR_SCRATCH
#define H1_HDR_SCRATCH 8192 /* one header value joined across callbacks */
#endif
#ifndef H1_HDR_NAME_MAX
#define H1_HDR_NAME_MAX 256 /* one header name joined across callbacks */
#endif
#ifndef H1_SCAN_BODY_MAX
#define H1_SCAN_BODY_MAX (1024 * 1024) /* body bytes of one request judged
					* (nginx's client_max_body_size);
					* more is counted: h1.body_unjudged */
#endif
#ifndef H1_SCAN_URI_MAX
#define H1_SCAN_URI_MAX (64 * 1024) /* URI bytes of one request judged (nginx
				     * reads a request line of up to 8 KiB);
				     * more is counted: h1.uri_unjudged */
#endif
#ifndef H1_WIN_OVERLAP
#define H1_WIN_OVERLAP 1024 /* body windows overlap by this much */
#endif
#ifndef H1_UPG_HDRS
#define H1_UPG_HDRS 16 /* headers of a 101 response kept */
#endif
#ifndef H1_UPG_ARENA
#define H1_UPG_ARENA 2048 /* bytes for those names + values */
#endif

struct h1_conn;

struct h1_conn *h1_conn_new(const struct sess_conn *conn,
			    const struct sess_sink *sink);
void h1_conn_free(struct h1_conn *c); /* NULL ok */

/* Feed bytes; returns bytes consumed. Less than len only when the connection
 * switched protocols (101 or CONNECT 2xx): the rest belongs to the new
 * protocol, and every later call returns 0. */
size_t h1_feed(struct h1_conn *c, enum sess_dir dir, const uint8_t *data,
	       size_t len, uint64_t ts_ns);

/* len bytes of this direction were never copied (kernel truncation or
 * sendfile). */
void h1_gap(struct h1_conn *c, enum sess_dir dir, uint64_t len,
	    uint64_t ts_ns);

/* len response bytes the kernel counted but did not copy because we asked
 * (h1_resp_room): body bytes past the prefix kept. Framed like a gap, but
 * nothing was lost: the event gets no body-gap flag. */
void h1_skip(struct h1_conn *c, uint64_t len, uint64_t ts_ns);

/* Response body bytes still to come that the framing already accounts for
 * (Content-Length left, the current chunk's rest, UINT64_MAX for a body
 * that runs to close), 0 when the response side is anywhere else (a head,
 * between messages, lost, a 101's headers); *body_seen: body bytes of this
 * response decoded so far. */
uint64_t h1_resp_room(const struct h1_conn *c, uint64_t *body_seen);

/* End of connection: flush unanswered requests (flag SESS_F_NO_RESP) and a
 * response that ends at close (no length). Later feeds are ignored. */
void h1_close(struct h1_conn *c, uint64_t ts_ns);

enum h1_upgrade {
	H1_UPG_NONE,
	H1_UPG_WEBSOCKET,
	H1_UPG_H2C,   /* Upgrade: h2c, or the HTTP/2 preface sent directly */
	H1_UPG_OTHER, /* another Upgrade token, or a CONNECT tunnel */
};
enum h1_upgrade h1_upgraded(const struct h1_conn *c);

/* After an upgrade: the request event that upgraded (its kept headers
 * include sec-websocket-key, origin, sec-websocket-protocol, ...), and a
 * header of the 101 response (lower-case name), or NULL. Valid until
 * h1_conn_free. */
const struct sess_event *h1_upgrade_request(const struct h1_conn *c);
const char *h1_upgrade_resp_hdr(const struct h1_conn *c, const char *name,
				size_t *len);

/* Per-connection anomaly counts and process-wide totals. */
enum h1_anom {
	H1_ANOM_PARSE_ERROR,       /* llhttp refused the bytes */
	H1_ANOM_HDR_OVERSIZE,      /* header block over H1_MAX_HDR_BLOCK */
	H1_ANOM_URI_OVERSIZE,      /* path or query cut to its bound */
	H1_ANOM_CL_TE,             /* Content-Length and Transfer-Encoding */
	H1_ANOM_DUP_CL,            /* Content-Length more than once */
	H1_ANOM_TE_OBFUSCATED,     /* "chunked" with odd case/spacing/affix */
	H1_ANOM_TE_ON_GET,         /* Transfer-Encoding on GET/HEAD */
	H1_ANOM_GAP,               /* lost bytes broke the stream */
	H1_ANOM_RESP_WITHOUT_REQ,  /* response with no request pending */
	H1_ANOM_PIPELINE_OVERFLOW, /* more than H1_PIPELINE_MAX pending */
	H1_ANOM_DUP_TE,            /* Transfer-Encoding more than once */
	H1_ANOM_DUP_HOST,          /* Host more than once */
	H1_ANOM_HDR_VALUE_CUT,     /* one header value over H1_HDR_SCRATCH */
	H1_ANOM_CTL_IN_HEADER,     /* control bytes in a header value (nginx
				    * serves them; parsed leniently) */
	H1_ANOM_REQ_UNPARSED,      /* a request llhttp could not parse even
				    * leniently: judged on what it had */
	H1_ANOM_BODY_UNJUDGED,     /* request body past H1_SCAN_BODY_MAX */
	H1_ANOM_URI_UNJUDGED,      /* request URI past H1_SCAN_URI_MAX */
	H1_ANOM_CHUNK_LINE,        /* a chunk line outside RFC 9112's form
	                            * that nginx serves: blanks after the size,
	                            * a bare LF (h1_chunk.h) */
	H1_ANOM_REQ_LINE,          /* a request line outside RFC 9112's form
	                            * that nginx serves: blanks, a version
	                            * other than 1.0/1.1, HTTP/0.9, a scheme
	                            * with digits or signs (h1_line.h) */
	H1_ANOM_HDR_NAME,          /* a header name nginx drops as invalid
	                            * (bytes outside a token), or a header line
	                            * without a colon (h1_line.h) */
	H1_ANOM__COUNT
};
extern const char *const h1_anom_names[H1_ANOM__COUNT];
const uint64_t *h1_conn_anoms(const struct h1_conn *c); /* H1_ANOM__COUNT */
void h1_totals(uint64_t out[H1_ANOM__COUNT]);          /* all connections */

/* Slowloris input: kernel ns when the current unfinished request head
 * began, 0 if none. */
uint64_t h1_pending_since(const struct h1_conn *c);

/* Bytes of heap the connection holds (its state, queued exchanges, the
 * spare record, the judging window): O(1), for the collector's memory
 * budget. *busy (may be NULL) gets the part held for exchanges not
 * finished yet. 0 for NULL. */
size_t h1_conn_mem(const struct h1_conn *c, size_t *busy);
/* Give back what can go without losing anything (the spare record, the
 * judging window between requests). Returns 1 when something was freed. */
int h1_conn_trim(struct h1_conn *c);

#endif /* SW_H1_H */
