/* sess.h - the session event: the one currency between decoders, detectors
 * and transport (DESIGN.md "One direction only").
 *
 * Decoders fill a struct sess_event and hand it to a sess_sink; they know
 * nothing of who listens. Every string is bounded and NUL-terminated; a
 * field that did not fit sets its bit in sess_event.trunc. Bytes copied from
 * the wire are attacker controlled: sinks escape them before output.
 *
 * In: a connection's bytes (struct sw_event records from capture.h), which
 * h1.c, h2.c, grpc.c and ws.c parse.
 * Out: struct sess_event - one per request/response exchange (and per
 * request head, gRPC message or WebSocket summary) - to a sess_sink.
 */
#ifndef SW_SESS_H
#define SW_SESS_H

#include <stddef.h>
#include <stdint.h>

#ifndef SESS_MAX_METHOD
#define SESS_MAX_METHOD 24
#endif
#ifndef SESS_MAX_AUTHORITY
#define SESS_MAX_AUTHORITY 256
#endif
#ifndef SESS_MAX_PATH
#define SESS_MAX_PATH 2048
#endif
#ifndef SESS_MAX_QUERY
#define SESS_MAX_QUERY 2048
#endif
#ifndef SESS_MAX_NAME
#define SESS_MAX_NAME 128 /* gRPC service / rpc, ws subprotocol */
#endif
#ifndef SESS_MAX_HDRS
#define SESS_MAX_HDRS 48 /* request headers kept for detectors */
#endif
#ifndef SESS_HDR_ARENA
#define SESS_HDR_ARENA 8192 /* bytes for all kept header names + values */
#endif
#ifndef SESS_MAX_BODY
#define SESS_MAX_BODY 4096 /* request body prefix kept for detectors */
#endif
#ifndef SESS_MAX_RESP_BODY
#define SESS_MAX_RESP_BODY 4096 /* response body prefix kept for the
				   * inventory's data classes */
#endif
#define SESS_MAX_CTYPE 48 /* response content type kept */
#ifndef SESS_MAX_ANOM
#define SESS_MAX_ANOM 16 /* distinct anomaly kinds carried by one event */
#endif

#define SESS_MAX_CODING 24

/* sess_event.req_coding */
enum sess_coding {
	SESS_CODING_NONE = 0,    /* none or identity */
	SESS_CODING_GZIP = 1,    /* gzip, x-gzip */
	SESS_CODING_DEFLATE = 2, /* deflate (zlib or raw) */
	SESS_CODING_OTHER = 3,   /* br, zstd, compress, unknown, or several */
};

enum sess_kind {
	SESS_KIND_SESSION = 0,
	SESS_KIND_VERDICT = 1,
};

enum sess_proto {
	SESS_PROTO_HTTP1 = 0,
	SESS_PROTO_HTTP2 = 1,
	SESS_PROTO_GRPC = 2,
	SESS_PROTO_WEBSOCKET = 3,
};

/* Direction relative to the API: the client's bytes are the request side. */
enum sess_dir {
	SESS_DIR_REQ = 0,  /* client -> server */
	SESS_DIR_RESP = 1, /* server -> client */
};

enum sess_ws_phase {
	SESS_WS_OPEN = 0,
	SESS_WS_PERIODIC = 1,
	SESS_WS_CLOSE = 2,
};

/* Identity of the connection an event came from; owned by the connection
 * table, shared read-only by every decoder of that connection. Addresses in
 * network order, ports in host order. */
struct sess_conn {
	uint64_t cookie;    /* kernel socket cookie */
	uint64_t cgroup_id;
	uint32_t tgid;      /* process that owns the server-side socket */
	uint32_t netns;     /* network namespace inode */
	uint8_t family;     /* AF_INET or AF_INET6 */
	uint8_t tls;        /* bytes came from the TLS library */
	uint8_t client_addr[16];
	uint8_t server_addr[16];
	uint16_t client_port;
	uint16_t server_port;
	char comm[16];
	uint64_t open_ns;   /* first time we saw it (kernel clock) */
	/* A PROXY protocol header opened the connection and named a client
	 * (decode/pp.h): believed only when the peer is a trusted proxy. */
	uint8_t pp_family;  /* AF_INET, AF_INET6; 0: no header or no address */
	uint8_t pp_addr[16];
	uint16_t pp_port;
	/* 1: a copy whose client is the one a trusted proxy named (respond.c
	 * judged_event); the connection's real peer is the proxy */
	uint8_t forwarded;
};

/* sess_event.trunc bits: which field lost bytes to its bound */
#define SESS_TRUNC_METHOD    (1u << 0)
#define SESS_TRUNC_AUTHORITY (1u << 1)
#define SESS_TRUNC_PATH      (1u << 2)
#define SESS_TRUNC_QUERY     (1u << 3)
#define SESS_TRUNC_HDRS      (1u << 4) /* headers dropped or cut */
#define SESS_TRUNC_BODY      (1u << 5) /* body longer than the prefix kept */
#define SESS_TRUNC_CAPTURE   (1u << 6) /* kernel could not copy some bytes */
#define SESS_TRUNC_RESP_BODY (1u << 7) /* response body longer than its prefix */

/* sess_event.flags bits */
#define SESS_F_PARTIAL   (1u << 0) /* joined mid-stream: fields may be missing */
#define SESS_F_NO_RESP   (1u << 1) /* connection ended before the response */
#define SESS_F_UPGRADE   (1u << 2) /* exchange switched protocols (101) */
#define SESS_F_BODY_GAP  (1u << 3) /* part of a body was never copied */
#define SESS_F_REQ_SEEN  (1u << 4) /* the request was handed to sink->request */
#define SESS_F_WINDOW    (1u << 5) /* sink->request only: headers or body bytes
				    * of a request beyond what its event keeps
				    * (path and query for reference; judged
				    * with the request itself) */
#define SESS_F_WIN_URI   (1u << 6) /* with SESS_F_WINDOW: path and query hold
				    * URI bytes past the event's bounds (a
				    * window of them, the other field empty),
				    * judged as the request's own */
#define SESS_F_WIN_BODY0 (1u << 7) /* with SESS_F_WINDOW: the body field
				    * starts at the body's first byte (a
				    * coded body can be decoded from it) */

struct sess_hdr {
	uint16_t name_off, name_len; /* into sess_event.hdr_arena */
	uint16_t val_off, val_len;
};

/* One anomaly kind and how often this exchange/connection showed it. Names
 * are static strings from the decoder's name table ("h1.parse_error"). */
struct sess_anom {
	const char *name;
	uint32_t count;
};

struct sess_event {
	enum sess_kind kind;
	enum sess_proto proto;
	const struct sess_conn *conn;
	uint32_t flags;
	uint32_t trunc;

	uint64_t req_ns;  /* kernel time of the first request byte */
	uint64_t req_end_ns; /* kernel time of the last request byte, 0 if unknown */
	uint64_t resp_ns; /* kernel time of the first response byte, 0 if none */
	uint64_t end_ns;  /* kernel time of the last byte of the exchange */

	/* HTTP (1.1 and 2), gRPC, WebSocket handshake */
	char method[SESS_MAX_METHOD];
	char authority[SESS_MAX_AUTHORITY];
	char path[SESS_MAX_PATH];   /* without the query */
	char query[SESS_MAX_QUERY]; /* after '?', without it */
	int status;                 /* 0 when no response */
	uint64_t req_bytes;         /* request on the wire: head + body */
	uint64_t resp_bytes;        /* response on the wire: head + body */
	uint64_t req_body_bytes;
	uint64_t resp_body_bytes;
	uint32_t stream_id;         /* HTTP/2 only */

	/* gRPC */
	char service[SESS_MAX_NAME];
	char rpc[SESS_MAX_NAME];
	int grpc_status;            /* -1 when absent */
	char grpc_message[SESS_MAX_NAME]; /* from trailers or trailers-only */
	uint32_t req_msgs;
	uint32_t resp_msgs;

	/* WebSocket */
	enum sess_ws_phase ws_phase;
	char origin[SESS_MAX_AUTHORITY];
	char subprotocol[SESS_MAX_NAME];
	uint64_t client_msgs, server_msgs;
	uint64_t client_bytes, server_bytes;
	int close_code;             /* -1 when not closed / no code */

	/* Request headers kept for detectors (names lower-cased). */
	uint32_t n_hdrs;
	struct sess_hdr hdrs[SESS_MAX_HDRS];
	uint32_t hdr_arena_len;
	char hdr_arena[SESS_HDR_ARENA];

	/* The request body's Content-Encoding, from the header block only
	 * (a trailer does not change how a server reads the body): one of
	 * enum sess_coding, and the coding as sent (lower-cased, letters,
	 * digits, '-' and ',' only; cut to fit) for reports. */
	uint8_t req_coding;
	char req_coding_name[SESS_MAX_CODING];

	/* Request body prefix kept for detectors. */
	uint32_t body_len;
	uint8_t body[SESS_MAX_BODY];

	/* Response: its content type (lower-cased, parameters cut), the
	 * content coding that hides its body (enum sess_coding; 0 none), and
	 * the prefix of its body as the decoder saw it (chunk framing
	 * removed; for gRPC, the length-prefixed messages as they came).
	 * Stops at a capture gap. */
	char resp_ctype[SESS_MAX_CTYPE];
	uint8_t resp_coded;
	uint8_t resp_body_stop;     /* a gap cut the response body */
	uint32_t resp_body_len;
	uint8_t resp_body[SESS_MAX_RESP_BODY];

	/* Decoder anomalies seen during this exchange. */
	uint32_t n_anom;
	struct sess_anom anom[SESS_MAX_ANOM];
};

/* Where decoders send finished events. The event is only valid during the
 * call; a sink that keeps it copies it. */
struct sess_sink {
	void (*emit)(void *ctx, const struct sess_event *ev);
	void *ctx;
	/* Optional: a request has fully arrived and its response has not, so
	 * detectors can judge it before the server answers. The same exchange
	 * is emitted again, complete, through emit (with SESS_F_REQ_SEEN).
	 * Also what arrived of requests that may never end, judged as it
	 * comes: an HTTP/2 request whose headers ended without END_STREAM
	 * (its body follows in SESS_F_WINDOW events), and each client
	 * WebSocket text message (proto websocket, phase periodic). */
	void (*request)(void *ctx, const struct sess_event *ev);
};

/* Reset an event to "nothing known yet" for a connection. */
void sess_event_init(struct sess_event *ev, enum sess_proto proto,
		     const struct sess_conn *conn);

/* Bounded copies: append up to len bytes to a fixed field; set trunc_bit in
 * ev->trunc when it did not fit. Returns bytes taken. */
size_t sess_append(char *dst, size_t cap, const void *src, size_t len,
		   struct sess_event *ev, uint32_t trunc_bit);

/* Keep one request header for detectors; lower-cases the name. Returns 0, or
 * -ENOSPC (and marks SESS_TRUNC_HDRS) when the table or arena is full. */
int sess_add_hdr(struct sess_event *ev, const char *name, size_t name_len,
		 const char *val, size_t val_len);

/* Find a kept header by lower-case name; *len gets the value length. */
const char *sess_get_hdr(const struct sess_event *ev, const char *name,
			 size_t *len);

/* Append request body bytes to the kept prefix. */
void sess_add_body(struct sess_event *ev, const void *data, size_t len);

/* Append response body bytes to the kept prefix (nothing after a gap:
 * sess_resp_body_gap). */
void sess_add_resp_body(struct sess_event *ev, const void *data, size_t len);
void sess_resp_body_gap(struct sess_event *ev);
/* Note one request header of the header block (not a trailer): keeps
 * content-encoding in req_coding (several codings, in one header or
 * several, are SESS_CODING_OTHER). */
void sess_req_hdr(struct sess_event *ev, const char *name, size_t name_len,
		  const char *val, size_t val_len);
/* Note one response header: keeps content-type and content-encoding. */
void sess_resp_hdr(struct sess_event *ev, const char *name, size_t name_len,
		   const char *val, size_t val_len);
/* An interim (1xx) answer ended: what its headers said of the body (type,
 * coding) is forgotten, so the final answer's own headers decide. */
void sess_resp_interim(struct sess_event *ev);

/* Count one anomaly (name must be a static string). */
void sess_anom_add(struct sess_event *ev, const char *name, uint32_t n);

static inline void sess_emit(const struct sess_sink *sink,
			     const struct sess_event *ev)
{
	if (sink && sink->emit)
		sink->emit(sink->ctx, ev);
}

/* Hand a complete request to sink->request (if any) and mark it seen. */
static inline void sess_emit_request(const struct sess_sink *sink,
				     struct sess_event *ev)
{
	if (sink && sink->request && !(ev->flags & SESS_F_REQ_SEEN)) {
		sink->request(sink->ctx, ev);
		ev->flags |= SESS_F_REQ_SEEN;
	}
}

const char *sess_proto_name(enum sess_proto p);

#endif /* SW_SESS_H */
