/* grpc.h - gRPC-over-HTTP/2 helpers for the h2 decoder: the length-prefixed
 * message framing inside DATA payloads, the :path split into service and
 * method, and grpc-status parsing. Pure functions on caller-owned state; no
 * allocation. */
#ifndef SW_GRPC_H
#define SW_GRPC_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

/* A compressed message (flag 1) not decoded: an evasion alert. */
#define GRPC_ANOM_CODED "grpc.coded_unjudged"

/* One direction of one call: counts messages across DATA frame boundaries.
 * Each message is 1 byte compressed flag + 4 bytes big-endian length + body. */
struct grpc_msgp {
	uint8_t pfx[5];
	uint8_t pfx_len;  /* prefix bytes collected for the next message */
	uint8_t lost;     /* framing lost after a gap: stop counting */
	uint8_t in_body;  /* prefix complete, body bytes pending in left */
	uint32_t left;    /* body bytes of the current message still due */
	uint32_t msgs;    /* complete messages seen */
	/* the current message, when its flag says compressed */
	uint8_t cflag;    /* compressed */
	uint8_t cdone;    /* decoded (or given up): its later bytes not kept */
	uint8_t cbad;     /* part of it was not captured */
	uint8_t cpend;    /* one ended in a gap: counted at the next feed */
	uint32_t cstart;  /* where its bytes begin in keep's body */
	uint32_t clen;    /* its length */
	/* Where a compressed message's plain bytes past keep's prefix go
	 * (the HTTP/2 body windows, judged with overlap); NULL: they are not
	 * judged and GRPC_ANOM_CODED says so. */
	void (*past)(void *ctx, const uint8_t *p, size_t n);
	void *past_ctx;
	/* a compressed message not kept whole (it runs past the prefix, up
	 * to GRPC_CODED_MAX): its bytes collected to decode at its end for
	 * past; ckept: its plain bytes already in the prefix */
	uint8_t ccoll;
	uint8_t *cbuf;
	uint32_t cbuf_len, cbuf_cap, ckept;
	size_t *mem;      /* heap held is added here (may be NULL) */
};

/* Compressed bytes of one message collected for past, at most. */
#define GRPC_CODED_MAX (64u << 10)

/* Plain bytes of one compressed message decoded for past: at most this
 * many (past it the rest is not judged: GRPC_ANOM_CODED). */
#define GRPC_PLAIN_MAX (256u << 10)

/* ... and no more than this many times its compressed bytes: past it the
 * message is a bomb (GRPC_ANOM_CODED), as a request body's is */
#define GRPC_RATIO_MAX 100

/* Consume DATA payload bytes. When keep is not NULL the message bodies (not
 * the prefixes) are appended to keep's bounded body prefix. A compressed
 * message (flag 1) is decoded in place when it ends, or when the prefix
 * fills (what was kept of it): gzip or deflate (zlib, or raw) as
 * grpc-encoding names, or as its first bytes say when that header was not
 * kept; the prefix's room of plain bytes go in place, and the plain bytes
 * past that room (up to GRPC_PLAIN_MAX) go to p->past: decoded again from
 * the kept bytes when all of it was kept, else from its bytes collected
 * (up to GRPC_CODED_MAX, counted in *p->mem) and decoded at its end. A
 * coding we do
 * not decode (snappy, zstd...), a malformed stream, a bomb, flag 1 on bytes
 * no coding made, or a gap inside: the bytes stay as they came and
 * GRPC_ANOM_CODED is counted on keep. */
void grpc_msgp_feed(struct grpc_msgp *p, const uint8_t *data, size_t len,
		    struct sess_event *keep);

/* The heap p holds goes back (a call that ended mid-message). */
void grpc_msgp_free(struct grpc_msgp *p);

/* len payload bytes were never captured. Inside a message body whose length
 * is known the count stays exact; anywhere else framing is lost. */
void grpc_msgp_gap(struct grpc_msgp *p, uint64_t len);

/* "/pkg.Service/Method" -> ev->service "pkg.Service", ev->rpc "Method".
 * Returns 0, or -EINVAL when path has not that shape (fields untouched). */
int grpc_split_path(const char *path, size_t len, struct sess_event *ev);

/* grpc-status value: a decimal 0..999999; -1 when not a number. */
int grpc_parse_status(const uint8_t *v, size_t len);

/* 1 when a content-type value starts with "application/grpc". */
int grpc_is_content_type(const uint8_t *v, size_t len);

#endif /* SW_GRPC_H */
