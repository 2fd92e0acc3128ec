/* h1.c - HTTP/1.x decoder: one llhttp parser per direction, a FIFO pairing
 * requests with responses, gap and error recovery. See h1.h. The llhttp
 * callbacks and message assembly are in h1_msg.c, the records and the FIFO
 * in h1_rec.c, anomaly counts in h1_anom.c.
 *
 * Byte accounting: on_message_complete pauses the parser, so
 * llhttp_get_error_pos() tells exactly where each message ends; a message's
 * wire size is every byte handed to its parser since the previous message
 * ended (stray CRLFs between messages go to the next one).
 */
#include "collector/decode/h1_int.h"
#include "collector/decode/h1_msg.h"
#include "collector/decode/h1_rec.h"
#include "collector/decode/h1_win.h"

#include <stdlib.h>
#include <string.h>

#include <llhttp.h>

/* Filler fed to a parser in place of body bytes the kernel never copied. */
static const char h1_zeros[64 * 1024];

/* ---- small helpers ------------------------------------------------------ */

/* ---- records and the FIFO ------------------------------------------------ */

/* ---- per-message state ---------------------------------------------------- */

/* Finish a request early (error, gap, close): keep it if its request line
 * made sense, and judge it now on what it has; otherwise it never becomes
 * an event. */
static void req_cut(struct h1_conn *c, struct h1_dir *d)
{
	struct h1_rec *r = d->rec;

	c->pending_since = 0;
	if (!r)
		return;
	if (!r->line_ok) {
		h1_rec_drop_tail(c, r);
		return;
	}
	r->ev.req_bytes = d->msg_bytes;
	r->req_end_ns = d->last_ts;
	r->req_done = 1;
	h1_win_flush(c);
	if (r->unqueued)
		h1_rec_unqueued_done(c, r);
	else if (!r->resp_done)
		sess_emit_request(&c->sink, &r->ev);
}

/* Finish a response early with what is known. */
static void resp_cut(struct h1_conn *c, struct h1_dir *d)
{
	struct h1_rec *r = d->rec;

	if (!r)
		return;
	if (r->orphan) {
		if (r->ev.status) {
			h1_anom_add(c, r, H1_ANOM_RESP_WITHOUT_REQ);
			h1_rec_emit(c, r);
		} else {
			h1_rec_put(c, r);
		}
		return;
	}
	r->ev.resp_bytes = d->msg_bytes + d->carry;
	r->ev.end_ns = d->last_ts;
	r->resp_done = 1;
}

/* The direction lost track (parse error or gap): close what it was filling
 * and drop bytes until the next message start. */
static void dir_break(struct h1_conn *c, enum sess_dir dir, enum h1_anom why)
{
	struct h1_dir *d = &c->d[dir];

	h1_anom_add(c, d->rec, why);
	if (why == H1_ANOM_PARSE_ERROR && dir == SESS_DIR_REQ)
		h1_anom_add(c, d->rec, H1_ANOM_REQ_UNPARSED);
	if (d->rec && why == H1_ANOM_GAP)
		d->rec->ev.trunc |= SESS_TRUNC_CAPTURE;
	if (d->in_msg) {
		if (dir == SESS_DIR_REQ)
			req_cut(c, d);
		else
			resp_cut(c, d);
	}
	h1_dir_msg_end(d);
	d->carry = 0;
	d->desync = 1;
	h1_rec_flush_done(c);
}

/* ---- feeding ---------------------------------------------------------------- */

/* A chunk that starts a message: "METHOD SP" or "HTTP/1.", after the
 * empty lines a server skips before a request line (RFC 9112 2.2). */
static int looks_like_start(enum sess_dir dir, const uint8_t *b, size_t n)
{
	size_t i = 0, s;

	if (dir == SESS_DIR_RESP)
		return n >= 7 && memcmp(b, "HTTP/1.", 7) == 0;
	while (i < n && (b[i] == '\r' || b[i] == '\n'))
		i++;
	s = i;
	while (i < n && i - s < SESS_MAX_METHOD &&
	       ((b[i] >= 'A' && b[i] <= 'Z') || b[i] == '-' || b[i] == '_'))
		i++;
	return i - s >= 3 && i < n && b[i] == ' ';
}

/* After a parse error: the first line start in data[from, len) where a
 * request begins, or len. */
static size_t next_start(const char *data, size_t from, size_t len)
{
	for (size_t i = from; i < len; i++)
		if (i > 0 && data[i - 1] == '\n' &&
		    looks_like_start(SESS_DIR_REQ, (const uint8_t *)data + i, len - i))
			return i;
	return len;
}

/* Hand llhttp bytes the decoder wrote (a canonical chunk or request
 * line, header lines): 0 when it took them all, -1 when it refused them
 * (*at: where in buf). It may pause at a chunk line's end (the next line
 * is ours too), at a message's end (a head without a body, an HTTP/0.9
 * line) or before a request behind one that asked to upgrade (the
 * response decides, as in run()). */
static int feed_canon(struct h1_conn *c, enum sess_dir dir, const char *buf, size_t n,
		      size_t *at)
{
	struct h1_dir *d = &c->d[dir];
	size_t k = 0;
	int pauses = 0;

	while (k < n) {
		llhttp_errno_t err = llhttp_execute(&d->p, buf + k, n - k);
		const char *e = llhttp_get_error_pos(&d->p);

		if (err == HPE_OK)
			return 0;
		if (e && e >= buf + k && e <= buf + n)
			k = (size_t)(e - buf);
		*at = k;
		if (++pauses > 4 || !e || e < buf || e > buf + n)
			return -1;
		if (err == HPE_PAUSED && d->ck.mode != H1_CHUNK_NONE && k == n) {
			llhttp_resume(&d->p); /* the caller reads what follows */
		} else if (err == HPE_PAUSED && d->done && dir == SESS_DIR_REQ && k == n) {
			llhttp_resume(&d->p);
			d->done = 0;
			h1_msg_req_done(c);
		} else if (err == HPE_PAUSED_UPGRADE && dir == SESS_DIR_REQ) {
			llhttp_resume_after_upgrade(&d->p);
		} else {
			return -1;
		}
	}
	return 0;
}

/* The chunk line llhttp was paused before (h1_chunk.h), from
 * data[*off..len): 1 when it ended (llhttp took its canonical form and
 * *off is past it), 0 when data ended inside it, -1 when nginx would
 * refuse it (*off at the byte). */
static int chunk_line(struct h1_conn *c, enum sess_dir dir, const char *data, size_t *off,
		      size_t len)
{
	struct h1_dir *d = &c->d[dir];
	char canon[H1_CHUNK_CANON_MAX];
	size_t used = 0, n = 0, at = 0;
	enum h1_chunk_res r = h1_chunk_take(&d->ck, data + *off, len - *off, &used, canon, &n);

	*off += used;
	d->msg_bytes += used;
	if (r == H1_CHUNK_MORE)
		return 0;
	if (r == H1_CHUNK_BAD)
		return -1;
	if (d->ck.odd)
		h1_anom_add(c, d->rec, H1_ANOM_CHUNK_LINE);
	return feed_canon(c, dir, canon, n, &at) < 0 ? -1 : 1;
}

/* The request's head, read before llhttp reads it (h1_line.h), from
 * data[*off..len): 1 when llhttp took what the reader made of it (*off
 * past the bytes read), -1 when it or nginx would refuse it (*off at the
 * byte). An odd line is counted when llhttp reads its version, an odd
 * header name at the head's end (h1_msg.c). */
static int req_line(struct h1_conn *c, const char *data, size_t *off, size_t len)
{
	struct h1_dir *d = &c->d[SESS_DIR_REQ];
	char canon[H1_LINE_OUT_MAX];
	size_t used = 0, n = 0, ex = 0, at = 0;
	enum h1_line_res r = h1_line_take(&d->ln, data + *off, len - *off, &used, canon, &n, &ex);

	if (r == H1_LINE_BAD) {
		*off += used;
		d->msg_bytes += used;
		return -1;
	}
	/* counted first: the feed may end the request (its size is read) */
	d->msg_bytes += used;
	if (feed_canon(c, SESS_DIR_REQ, canon, n, &at) < 0) {
		size_t k = at < ex ? at : ex;

		d->msg_bytes -= used - k;
		*off += k;
		return -1;
	}
	*off += used;
	return 1;
}

/* Run the parser over data; returns bytes that belong to HTTP/1 (all of
 * them unless the connection switched protocols). */
static size_t run(struct h1_conn *c, enum sess_dir dir, const char *data,
		  size_t len)
{
	struct h1_dir *d = &c->d[dir];
	size_t off = 0;
	int idle = 0;

	while (off < len) {
		llhttp_errno_t err;
		const char *e;
		size_t pos;

		if (d->ck.mode != H1_CHUNK_NONE) {
			int r = chunk_line(c, dir, data, &off, len);

			if (r > 0)
				continue;
			if (r == 0)
				return len;
			pos = off; /* refused where nginx refuses it */
			goto refused;
		}
		if (dir == SESS_DIR_REQ && h1_line_active(&d->ln)) {
			if (req_line(c, data, &off, len) > 0)
				continue;
			pos = off;
			goto refused;
		}
		err = llhttp_execute(&d->p, data + off, len - off);
		if (err == HPE_OK) {
			d->msg_bytes += len - off;
			return len;
		}
		e = llhttp_get_error_pos(&d->p);
		pos = (e && e >= data + off && e <= data + len)
			      ? (size_t)(e - data) : off;
		d->msg_bytes += pos - off;
		idle = pos == off ? idle + 1 : 0;
		off = pos;
		if (err == HPE_PAUSED && d->ck.mode != H1_CHUNK_NONE) {
			llhttp_resume(&d->p); /* chunk_line reads what follows */
			continue;
		}
		if (err == HPE_PAUSED && d->done) {
			llhttp_resume(&d->p);
			d->done = 0;
			if (dir == SESS_DIR_REQ)
				h1_msg_req_done(c);
			else
				h1_msg_resp_done(c);
			if (c->upgraded)
				return off;
			continue;
		}
		if (err == HPE_PAUSED_H2_UPGRADE && dir == SESS_DIR_REQ) {
			/* "PRI * HTTP/2.0": HTTP/2 with prior knowledge. What
			 * HTTP/1 left unfinished ends here, as at a close. */
			struct h1_dir *rs = &c->d[SESS_DIR_RESP];

			h1_win_flush(c);
			if (d->rec)
				h1_rec_drop_tail(c, d->rec);
			h1_dir_msg_end(d);
			if (rs->in_msg && !rs->desync)
				resp_cut(c, rs);
			h1_dir_msg_end(rs);
			h1_rec_drain(c, c->ts);
			c->pending_since = 0;
			c->upgraded = H1_UPG_H2C;
			return off;
		}
		if (err == HPE_PAUSED_UPGRADE && dir == SESS_DIR_REQ &&
		    idle < 3) {
			/* An Upgrade or CONNECT request: the response decides.
			 * A client waits for it, so bytes seen before it are
			 * still HTTP/1. */
			llhttp_resume_after_upgrade(&d->p);
			continue;
		}
refused:
		dir_break(c, dir, H1_ANOM_PARSE_ERROR);
		/* The rest of the read is not thrown away: a pipelined request
		 * behind the one refused is decoded and judged. */
		if (dir != SESS_DIR_REQ || (off = next_start(data, pos + 1, len)) >= len)
			return len;
		llhttp_reset(&d->p);
		d->desync = 0;
		h1_dir_msg_end(d);
		idle = 0;
	}
	return len;
}

size_t h1_feed(struct h1_conn *c, enum sess_dir dir, const uint8_t *data,
	       size_t len, uint64_t ts_ns)
{
	struct h1_dir *d;

	if (!c || c->upgraded || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return 0;
	if (c->closed || len == 0)
		return len;
	d = &c->d[dir];
	c->ts = d->last_ts = ts_ns;
	if (d->desync) {
		if (!looks_like_start(dir, data, len))
			return len;
		llhttp_reset(&d->p);
		d->desync = 0;
		h1_dir_msg_end(d);
	}
	/* HTTP/2 with prior knowledge: the preface instead of a request. */
	if (dir == SESS_DIR_REQ && !d->in_msg && d->msg_bytes == 0 &&
	    c->q_len == 0 && len >= 14 && memcmp(data, "PRI * HTTP/2.0", 14) == 0) {
		c->upgraded = H1_UPG_H2C;
		return 0;
	}
	return run(c, dir, (const char *)data, len);
}

/* Remaining body bytes a gap may stand for without losing framing. */
static uint64_t body_room(const struct h1_dir *d, enum sess_dir dir)
{
	const llhttp_t *p = &d->p;

	if (!d->in_msg || d->in_head)
		return 0;
	if (p->flags & F_CHUNKED)
		return d->in_chunk ? p->content_length : 0;
	if (p->flags & F_CONTENT_LENGTH)
		return p->content_length;
	if (dir == SESS_DIR_RESP && llhttp_message_needs_eof(p))
		return UINT64_MAX; /* body runs to close: anything fits */
	return 0;
}

/* len bytes of dir that never reached us: a gap (lost) or a skip (body
 * bytes past the prefix kept, left in the kernel on our word). */
static void gap_or_skip(struct h1_conn *c, enum sess_dir dir, uint64_t len,
			uint64_t ts_ns, int skip)
{
	struct h1_dir *d;
	uint64_t room, fill;

	if (!c || c->upgraded || c->closed || len == 0 ||
	    (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return;
	d = &c->d[dir];
	c->ts = d->last_ts = ts_ns;
	if (d->desync)
		return;
	room = body_room(d, dir);
	fill = room < len ? room : len;
	if (fill && skip) {
		if (d->rec)
			d->rec->ev.trunc |= SESS_TRUNC_RESP_BODY;
		len -= fill;
	} else if (fill) {
		if (d->rec) {
			d->rec->ev.flags |= SESS_F_BODY_GAP;
			if (dir == SESS_DIR_REQ && !d->rec->body_stop) {
				d->rec->body_stop = 1;
				d->rec->ev.trunc |= SESS_TRUNC_BODY;
			}
			if (dir == SESS_DIR_RESP)
				sess_resp_body_gap(&d->rec->ev);
		}
		len -= fill;
	}
	if (fill && room == UINT64_MAX) {
		/* Body to close: llhttp would only count the filler, so
		 * count it here without feeding (a sendfile can be GBs). */
		d->msg_bytes += fill;
		if (d->rec)
			d->rec->ev.resp_body_bytes += fill;
		fill = 0;
	}
	d->filler = 1;
	while (fill && !d->desync && !c->upgraded) {
		size_t n = fill < sizeof(h1_zeros) ? (size_t)fill
						    : sizeof(h1_zeros);
		run(c, dir, h1_zeros, n);
		fill -= n;
	}
	d->filler = 0;
	if (len && !d->desync && !c->upgraded)
		dir_break(c, dir, H1_ANOM_GAP);
}

void h1_gap(struct h1_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns)
{
	gap_or_skip(c, dir, len, ts_ns, 0);
}

void h1_skip(struct h1_conn *c, uint64_t len, uint64_t ts_ns)
{
	gap_or_skip(c, SESS_DIR_RESP, len, ts_ns, 1);
}

uint64_t h1_resp_room(const struct h1_conn *c, uint64_t *body_seen)
{
	const struct h1_dir *d;

	*body_seen = 0;
	if (!c || c->upgraded || c->closed)
		return 0;
	d = &c->d[SESS_DIR_RESP];
	if (d->desync || d->keep_upg)
		return 0;
	if (d->rec)
		*body_seen = d->rec->ev.resp_body_bytes;
	return body_room(d, SESS_DIR_RESP);
}

void h1_close(struct h1_conn *c, uint64_t ts_ns)
{
	struct h1_dir *rq, *rs;

	if (!c || c->closed)
		return;
	c->closed = 1;
	c->ts = ts_ns;
	rq = &c->d[SESS_DIR_REQ];
	rs = &c->d[SESS_DIR_RESP];
	if (!c->upgraded && rs->in_msg && !rs->desync) {
		/* A response without length ends here; others were cut. */
		llhttp_finish(&rs->p);
		if (rs->done)
			h1_msg_resp_done(c);
		else
			resp_cut(c, rs);
		h1_dir_msg_end(rs);
	}
	if (!c->upgraded && rq->in_msg && !rq->desync) {
		req_cut(c, rq);
		h1_dir_msg_end(rq);
	}
	h1_rec_drain(c, ts_ns);
	c->pending_since = 0;
}

/* ---- lifetime and queries ----------------------------------------------------- */

struct h1_conn *h1_conn_new(const struct sess_conn *conn,
			    const struct sess_sink *sink)
{
	struct h1_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->conn = conn;
	if (sink)
		c->sink = *sink;
	h1_msg_parser_init(c, SESS_DIR_REQ);
	h1_msg_parser_init(c, SESS_DIR_RESP);
	return c;
}

void h1_conn_free(struct h1_conn *c)
{
	struct h1_rec *r;

	if (!c)
		return;
	/* An orphan response is in no FIFO. Any other record the response
	 * side points at is queued and freed below: look before that. */
	r = c->d[SESS_DIR_RESP].rec;
	if (r && r->orphan)
		free(r);
	free(c->unq); /* an unqueued request being parsed is in no FIFO */
	while (c->q_len) {
		r = h1_rec_pop(c);
		if (r != c->upg_rec)
			free(r);
	}
	free(c->upg_rec);
	free(c->spare);
	free(c->win);
	free(c);
}

enum h1_upgrade h1_upgraded(const struct h1_conn *c)
{
	return c ? c->upgraded : H1_UPG_NONE;
}

const struct sess_event *h1_upgrade_request(const struct h1_conn *c)
{
	return c && c->upg_rec ? &c->upg_rec->ev : NULL;
}

const char *h1_upgrade_resp_hdr(const struct h1_conn *c, const char *name,
				size_t *len)
{
	return h1_msg_upgrade_hdr(c, name, len);
}

const uint64_t *h1_conn_anoms(const struct h1_conn *c)
{
	static const uint64_t none[H1_ANOM__COUNT];

	return c ? c->anoms : none;
}

uint64_t h1_pending_since(const struct h1_conn *c)
{
	return c ? c->pending_since : 0;
}

size_t h1_conn_mem(const struct h1_conn *c, size_t *busy)
{
	size_t extra;

	if (busy)
		*busy = 0;
	if (!c)
		return 0;
	extra = (size_t)c->nrec * sizeof(struct h1_rec) + (c->win ? sizeof(*c->win) : 0);
	/* busy: records in use, and the window while a request fills it */
	if (busy)
		*busy = extra - (c->spare ? sizeof(struct h1_rec) : 0) -
			(c->win && !c->win_kind ? sizeof(*c->win) : 0);
	return sizeof(*c) + extra;
}

int h1_conn_trim(struct h1_conn *c)
{
	int n = 0;

	if (!c)
		return 0;
	if (c->spare) {
		free(c->spare);
		c->spare = NULL;
		c->nrec--;
		n = 1;
	}
	if (c->win && !c->win_kind) {
		free(c->win); /* made again when a request needs one */
		c->win = NULL;
		n = 1;
	}
	return n;
}
