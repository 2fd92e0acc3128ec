/* h1_int.h - what the parts of the HTTP/1 decoder share: h1.c
 * (connection, feeding, gaps, close) calls h1_msg.c (llhttp callbacks and
 * message assembly) and h1_win.c (judging windows); below them all,
 * h1_rec.c (records, the request FIFO) and h1_anom.c (anomaly counts).
 * Calls go down only. Private: no other module includes it.
 */
#ifndef SW_H1_INT_H
#define SW_H1_INT_H

#include <stdint.h>

#include <llhttp.h>

#include "collector/decode/h1.h"
#include "collector/decode/h1_chunk.h"
#include "collector/decode/h1_line.h"

/* One exchange: the request as it arrives, then its response. */
struct h1_rec {
	struct sess_event ev;
	uint64_t req_end_ns;
	uint8_t method;    /* llhttp_method_t, valid when line_ok */
	uint8_t line_ok;   /* request line fully parsed */
	uint8_t in_query;  /* URL bytes now go to the query */
	uint8_t uri_cut;   /* URI_OVERSIZE already counted */
	uint8_t req_done, resp_started, resp_done;
	uint8_t orphan;    /* response with no request: not in the FIFO */
	uint8_t body_stop; /* a gap cut the body: the prefix kept ends there */
	uint8_t body_unjudged; /* BODY_UNJUDGED already counted */
	uint64_t body_judged;  /* body bytes kept or windowed (h1_win.c) */
	uint32_t uri_judged;   /* URI bytes past the event's bounds windowed */
	uint8_t uri_unjudged;  /* URI_UNJUDGED already counted */
	uint8_t unqueued;      /* past a full FIFO: emitted when it ends, unpaired */
};

struct h1_dir {
	llhttp_t p;
	struct h1_rec *rec;  /* exchange the current message fills, or NULL */
	uint64_t msg_bytes;  /* wire bytes of the current message so far */
	uint64_t carry;      /* resp: bytes of 1xx answers before the final */
	uint64_t hdr_bytes;  /* header names + values of the current message */
	uint64_t last_ts;    /* kernel time of this direction's latest bytes */
	uint8_t desync;      /* dropping bytes until a message start */
	uint8_t in_msg, in_head, in_chunk;
	uint8_t filler;      /* bytes being fed are gap filler */
	uint8_t done;        /* on_message_complete fired, pause pending */
	uint8_t oversize;    /* header block over H1_MAX_HDR_BLOCK */
	uint8_t saw_cl, saw_te, saw_host;
	uint8_t keep_upg;    /* resp: 101 headers go to the upgrade table */
	uint8_t skip_resp;   /* resp: the answer of an unqueued request, no record */
	uint8_t name_cut, val_cut;
	struct h1_chunk ck;  /* a chunk line read outside llhttp (h1_chunk.h) */
	struct h1_line ln;   /* req: its request line, read outside llhttp (h1_line.h) */
	uint32_t name_len, val_len;
	char name[H1_HDR_NAME_MAX];
	char val[H1_HDR_SCRATCH];
};

struct h1_kv {
	uint16_t name_off, name_len, val_off, val_len;
};

struct h1_conn {
	const struct sess_conn *conn;
	struct sess_sink sink;
	uint64_t ts;            /* kernel time of the bytes being parsed */
	uint64_t pending_since;
	enum h1_upgrade upgraded;
	uint8_t closed;
	struct h1_rec *q[H1_PIPELINE_MAX]; /* requests in arrival order */
	unsigned q_head, q_len;
	struct h1_rec *spare;   /* one record kept to avoid malloc churn */
	uint32_t nrec;          /* records allocated (h1_conn_mem) */
	uint32_t unpaired;      /* unqueued requests whose answers are to come */
	struct h1_rec *unq;     /* the unqueued request being parsed, or NULL */
	struct h1_rec *upg_rec; /* the request that upgraded, kept */
	uint32_t n_upg, upg_len;
	struct h1_kv upg[H1_UPG_HDRS];
	char upg_arena[H1_UPG_ARENA];
	uint64_t anoms[H1_ANOM__COUNT];
	struct sess_event *win;  /* h1_win.c: judged overflow, lazily */
	struct h1_rec *win_rec;  /* the request the window belongs to */
	uint8_t win_kind;        /* h1_win.c: none, headers, body */
	struct h1_dir d[2];
};

/* h1_anom.c: count anomaly a on c, and in r's event if r is given. */
void h1_anom_add(struct h1_conn *c, struct h1_rec *r, enum h1_anom a);

/* A direction's per-message state, reset when a message starts and ends. */
static inline void h1_dir_msg_start(struct h1_dir *d)
{
	d->in_msg = 1;
	d->in_head = 1;
	d->in_chunk = 0;
	d->ck.mode = H1_CHUNK_NONE;
	d->hdr_bytes = 0;
	d->oversize = 0;
	d->saw_cl = d->saw_te = d->saw_host = 0;
	d->keep_upg = 0;
	d->skip_resp = 0;
	d->name_len = d->val_len = 0;
	d->name_cut = d->val_cut = 0;
	d->rec = NULL;
}

static inline void h1_dir_msg_end(struct h1_dir *d)
{
	d->in_msg = d->in_head = d->in_chunk = 0;
	d->ck.mode = H1_CHUNK_NONE;
	h1_line_start(&d->ln); /* the next request's line is read first */
	d->rec = NULL;
	d->msg_bytes = 0;
	d->done = 0;
}

static inline struct h1_rec *h1_q_at(const struct h1_conn *c, unsigned i)
{
	return c->q[(c->q_head + i) % H1_PIPELINE_MAX];
}

#endif /* SW_H1_INT_H */
