/* h1_rec.c - the HTTP/1 decoder's exchanges: records (one spare kept),
 * the FIFO of requests awaiting their responses, and emitting them in
 * request order. Used by h1.c and h1_msg.c; calls only the session
 * layer. */
#include "collector/decode/h1_rec.h"

#include <stdlib.h>

struct h1_rec *h1_rec_get(struct h1_conn *c)
{
	struct h1_rec *r = c->spare;

	if (r)
		c->spare = NULL;
	else if (!(r = malloc(sizeof(*r))))
		return NULL;
	else
		c->nrec++;
	sess_event_init(&r->ev, SESS_PROTO_HTTP1, c->conn);
	r->req_end_ns = 0;
	r->method = 0;
	r->line_ok = r->in_query = r->uri_cut = 0;
	r->req_done = r->resp_started = r->resp_done = 0;
	r->orphan = r->body_stop = 0;
	r->body_unjudged = 0;
	r->uri_judged = 0;
	r->uri_unjudged = 0;
	r->unqueued = 0;
	r->body_judged = SESS_MAX_BODY;
	return r;
}

void h1_rec_put(struct h1_conn *c, struct h1_rec *r)
{
	if (!r || r == c->upg_rec)
		return;
	if (!c->spare) {
		c->spare = r;
	} else {
		free(r);
		c->nrec--;
	}
}

/* The oldest exchange, out of the FIFO. */
struct h1_rec *h1_rec_pop(struct h1_conn *c)
{
	struct h1_rec *r = c->q[c->q_head];

	c->q_head = (c->q_head + 1) % H1_PIPELINE_MAX;
	c->q_len--;
	return r;
}

/* Forget the newest request (one that never became a usable event). If a
 * response already pairs with it, the response parser still fills it: keep
 * it as a partial exchange instead. */
void h1_rec_drop_tail(struct h1_conn *c, struct h1_rec *r)
{
	if (r->unqueued) { /* in no FIFO, never answered here */
		c->unq = NULL;
		h1_rec_put(c, r);
		return;
	}
	if (r->resp_started) {
		r->ev.flags |= SESS_F_PARTIAL;
		r->req_done = 1;
		return;
	}
	if (c->q_len && h1_q_at(c, c->q_len - 1) == r) {
		c->q_len--;
		h1_rec_put(c, r);
	}
}

void h1_rec_emit(struct h1_conn *c, struct h1_rec *r)
{
	sess_emit(&c->sink, &r->ev);
	h1_rec_put(c, r);
}

/* An unqueued request (past a full FIFO) has ended: judged, emitted as a
 * partial exchange, and its answer, which comes after those of the queued
 * requests, is skipped (c->unpaired). */
void h1_rec_unqueued_done(struct h1_conn *c, struct h1_rec *r)
{
	sess_emit_request(&c->sink, &r->ev);
	r->ev.flags |= SESS_F_PARTIAL;
	r->ev.end_ns = r->req_end_ns;
	if (c->unpaired < UINT32_MAX)
		c->unpaired++;
	c->unq = NULL;
	h1_rec_emit(c, r);
}

/* Emit finished exchanges in request order. */
void h1_rec_flush_done(struct h1_conn *c)
{
	while (c->q_len && h1_q_at(c, 0)->req_done && h1_q_at(c, 0)->resp_done)
		h1_rec_emit(c, h1_rec_pop(c));
}

/* Emit every queued exchange as it stands: the stream ends for HTTP/1. */
void h1_rec_drain(struct h1_conn *c, uint64_t ts_ns)
{
	while (c->q_len) {
		struct h1_rec *r = h1_rec_pop(c);

		if (!r->resp_done) {
			r->ev.flags |= SESS_F_NO_RESP;
			r->ev.end_ns = r->req_end_ns ? r->req_end_ns : ts_ns;
		}
		h1_rec_emit(c, r);
	}
}
