/* h2.c - HTTP/2 framing and connection state for one connection (see
 * h2.h). Streams, HPACK and stream events are in h2_stream.c, gRPC
 * specifics in grpc.c.
 *
 * Each direction is a byte-driven reader: preface -> 9-byte frame header ->
 * payload. Payloads are never buffered whole: DATA goes straight to the
 * stream, header block fragments straight into that direction's inflater
 * (nghttp2 accepts a block in pieces), and only control frames are copied,
 * into a small fixed buffer.
 */
#include "collector/decode/h2_int.h"
#include "collector/decode/grpc.h"
#include "collector/decode/h2_frame.h"
#include "collector/decode/h2_stream.h"

#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

static const uint8_t preface[] = H2_PREFACE;
#define PREFACE_LEN H2_PREFACE_LEN

/* ---- frames ------------------------------------------------------------ */

static void kill_dir(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];

	d->st = RD_DEAD;
	if (d->blk_open)
		h2_stream_block_finish(c, dir, 1);
	h2_stream_mark_all_partial(c);
}

static void frame_end(struct h2_conn *c, enum sess_dir dir);

/* ---- frame headers: one handler per frame type --------------------------- */

/* What the header of a frame within limits and valid starts (RFC 9113
 * section 6): the prefix to collect before the body (pad length, priority,
 * promised stream id) and header blocks. The other types start nothing:
 * their payload is read whole and judged at frame_end. */
typedef void (*frame_begin_fn)(struct h2_conn *c, enum sess_dir dir,
			       struct h2_stream *s, int discard);

static void begin_data(struct h2_conn *c, enum sess_dir dir,
		       struct h2_stream *s, int discard)
{
	struct h2_dir *d = &c->d[dir];

	d->pre_need = (d->fflags & H2_FL_PADDED) ? 1 : 0;
}

static void begin_headers(struct h2_conn *c, enum sess_dir dir,
			  struct h2_stream *s, int discard)
{
	struct h2_dir *d = &c->d[dir];

	d->pre_need = (uint8_t)(((d->fflags & H2_FL_PADDED) ? 1 : 0) +
				((d->fflags & H2_FL_PRIORITY) ? 5 : 0));
	h2_stream_block_start(c, dir, s, discard);
}

static void begin_push_promise(struct h2_conn *c, enum sess_dir dir,
			       struct h2_stream *s, int discard)
{
	struct h2_dir *d = &c->d[dir];

	d->pre_need = (uint8_t)(((d->fflags & H2_FL_PADDED) ? 1 : 0) + 4);
	h2_stream_block_start(c, dir, NULL, 1);
}

static void begin_continuation(struct h2_conn *c, enum sess_dir dir,
			       struct h2_stream *s, int discard)
{
	struct h2_dir *d = &c->d[dir];

	if (!d->blk_open) {
		/* A mid-stream join may land inside a block. */
		if (!c->loose)
			h2_anom_add(c, s, H2_ANOM_PROTOCOL_ERROR);
		d->fskip = 1;
		return;
	}
	if (++d->blk_conts > H2_MAX_CONTINUATION && !d->blk_flood) {
		d->blk_flood = 1;
		h2_anom_add(c, s, H2_ANOM_CONTINUATION_FLOOD);
	}
}

static const frame_begin_fn frame_begin_by_type[] = {
	[H2_FT_DATA] = begin_data,
	[H2_FT_HEADERS] = begin_headers,
	[H2_FT_PUSH_PROMISE] = begin_push_promise,
	[H2_FT_CONTINUATION] = begin_continuation,
};

/* A preface must be followed by a SETTINGS frame on stream 0 (not an ACK);
 * a resynchronised reader must land on a plausible header. */
static int first_frame_bad(const struct h2_dir *d, uint8_t first,
			   const struct h2_frame_hdr *fh)
{
	if (first == FIRST_SETTINGS)
		return d->ftype != H2_FT_SETTINGS || d->fsid || (d->fflags & H2_FL_ACK);
	if (first == FIRST_PLAUSIBLE)
		return !h2_frame_plausible(fh, H2_RESYNC_MAX_LEN);
	return 0;
}

/* The stream a frame belongs to, with the frame's bytes and time counted
 * on it; NULL for connection frames and unknown streams, and for DATA or
 * HEADERS from a side that already ended the stream (*discard set, DATA
 * skipped). */
static struct h2_stream *frame_stream(struct h2_conn *c, enum sess_dir dir,
				      int *discard)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_stream *s = NULL;
	uint64_t bytes = H2_FRAME_HDR + (uint64_t)d->flen;

	if (d->ftype == H2_FT_DATA || d->ftype == H2_FT_HEADERS) {
		if (d->fsid)
			s = h2_stream_of_frame(c, dir);
	} else if (d->ftype == H2_FT_CONTINUATION) {
		s = h2_stream_find(c, d->fsid);
	} else if (d->fsid && d->ftype <= H2_FT_CONTINUATION) {
		s = h2_stream_find(c, d->fsid);
	}
	if (!s)
		return NULL;
	if (dir == SESS_DIR_REQ) {
		s->ev.req_bytes += bytes;
		if (!s->ev.req_ns)
			s->ev.req_ns = d->fts;
	} else {
		s->ev.resp_bytes += bytes;
		if (!s->ev.resp_ns)
			s->ev.resp_ns = d->fts;
		s->resp_seen = 1;
	}
	s->last_ns = d->fts;
	if ((d->ftype == H2_FT_DATA || d->ftype == H2_FT_HEADERS) &&
	    (dir == SESS_DIR_REQ ? s->req_end : s->resp_end)) {
		/* half-closed: this side already sent END_STREAM */
		h2_anom_add(c, s, H2_ANOM_FRAME_ON_CLOSED_STREAM);
		*discard = 1;
		if (d->ftype == H2_FT_DATA)
			d->fskip = 1;
		return NULL;
	}
	return s;
}

/* Longer than the receiver allows: skipped by length, never buffered; a
 * header block it starts or continues is lost. */
static void frame_oversize(struct h2_conn *c, enum sess_dir dir,
			   struct h2_stream *s)
{
	struct h2_dir *d = &c->d[dir];

	h2_anom_add(c, s, H2_ANOM_FRAME_OVERSIZE);
	d->fskip = 1;
	if (d->ftype == H2_FT_HEADERS || d->ftype == H2_FT_PUSH_PROMISE) {
		if (s)
			s->ev.flags |= SESS_F_PARTIAL;
		h2_stream_hd_lost(c, d);
	} else if (d->ftype == H2_FT_CONTINUATION && d->blk_open) {
		h2_stream_block_finish(c, dir, 1);
	}
}

/* Against the frame rules (h2_frame_valid): skipped; a header block it
 * starts is lost. */
static void frame_invalid(struct h2_conn *c, enum sess_dir dir,
			  struct h2_stream *s)
{
	struct h2_dir *d = &c->d[dir];

	h2_anom_add(c, s, H2_ANOM_PROTOCOL_ERROR);
	d->fskip = 1;
	if (d->ftype == H2_FT_HEADERS || d->ftype == H2_FT_PUSH_PROMISE)
		h2_stream_hd_lost(c, d);
}

/* A frame header is complete: check it, find its stream, and let its
 * type's handler start what the payload needs. */
static void frame_begin(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_frame_hdr fh;
	struct h2_stream *s;
	uint8_t first = d->first;
	int discard = 0;

	h2_frame_hdr_parse(d->hdr, &fh);
	d->flen = fh.len;
	d->ftype = fh.type;
	d->fflags = fh.flags;
	d->fsid = fh.sid;
	d->fskip = 0;
	d->pre_len = d->pre_need = 0;
	d->body_left = d->flen;
	d->ctl_len = 0;
	d->first = FIRST_NONE;

	if (first_frame_bad(d, first, &fh)) {
		h2_anom_add(c, NULL, H2_ANOM_PROTOCOL_ERROR);
		/* After the client's whole preface any frame is HTTP/2: nginx
		 * reads HEADERS, PING, ... before (or without) the client's
		 * SETTINGS, so its requests must be read too. The server's
		 * SETTINGS is the only sign its side speaks HTTP/2. */
		if (!(dir == SESS_DIR_REQ && first == FIRST_SETTINGS)) {
			kill_dir(c, dir);
			return;
		}
	}
	if (d->blk_open && (d->ftype != H2_FT_CONTINUATION || d->fsid != d->blk_sid)) {
		/* RFC 7540 6.2: nothing may interleave with a header block. */
		h2_anom_add(c, h2_stream_find(c, d->blk_sid),
			    H2_ANOM_PROTOCOL_ERROR);
		h2_stream_block_finish(c, dir, 1);
	}
	s = frame_stream(c, dir, &discard);

	/* Until the receiver's SETTINGS is seen its limit is unknown: nginx
	 * announces 2^24-1 and reads a longer frame sent before that (the
	 * client need not wait; nginx's SETTINGS goes out after its first
	 * read). Counted, and decoded as the receiver would. */
	if (d->flen > d->max_frame && !d->max_frame_known)
		h2_anom_add(c, s, H2_ANOM_FRAME_OVERSIZE);
	if (d->flen > d->max_frame && d->max_frame_known) {
		frame_oversize(c, dir, s);
	} else if (!h2_frame_valid(&fh, dir)) {
		frame_invalid(c, dir, s);
	} else if (!d->fskip) {
		if (d->ftype < sizeof(frame_begin_by_type) / sizeof(frame_begin_by_type[0]) &&
		    frame_begin_by_type[d->ftype])
			frame_begin_by_type[d->ftype](c, dir, s, discard);
		if (d->pre_need > d->flen) {
			h2_anom_add(c, s, H2_ANOM_PROTOCOL_ERROR);
			d->fskip = 1;
			if (d->blk_open)
				h2_stream_block_finish(c, dir, 1);
		}
	}
	if (d->pre_need == 0)
		d->body_left = d->flen;
	d->fleft = d->flen;
	if (d->flen == 0)
		frame_end(c, dir);
	else
		d->st = RD_PAYLOAD;
}

static void frame_payload(struct h2_conn *c, enum sess_dir dir,
			  const uint8_t *p, size_t n)
{
	struct h2_dir *d = &c->d[dir];
	size_t take;

	if (d->fskip)
		return;
	if (d->pre_len < d->pre_need) {
		take = d->pre_need - d->pre_len;
		if (take > n)
			take = n;
		memcpy(d->pre + d->pre_len, p, take);
		d->pre_len = (uint8_t)(d->pre_len + take);
		p += take;
		n -= take;
		if (d->pre_len < d->pre_need)
			return;
		{
			uint32_t pad = (d->fflags & H2_FL_PADDED) ? d->pre[0] : 0;

			if (pad > d->flen - d->pre_need) {
				/* RFC 7540 6.1: padding longer than the payload */
				h2_anom_add(c, h2_stream_find(c, d->fsid),
					    H2_ANOM_PROTOCOL_ERROR);
				d->fskip = 1;
				if (d->blk_open)
					h2_stream_block_finish(c, dir, 1);
				return;
			}
			d->body_left = d->flen - d->pre_need - pad;
		}
	}
	take = n < d->body_left ? n : d->body_left;
	d->body_left -= (uint32_t)take;
	if (!take)
		return;
	switch (d->ftype) {
	case H2_FT_DATA:
		h2_stream_data_bytes(c, dir, p, take);
		break;
	case H2_FT_HEADERS:
	case H2_FT_PUSH_PROMISE:
	case H2_FT_CONTINUATION:
		h2_stream_block_bytes(c, dir, p, take);
		break;
	default:
		if (d->ctl_len < H2_CTL_CAP) {
			size_t room = H2_CTL_CAP - d->ctl_len;

			if (take > room)
				take = room;
			memcpy(d->ctl + d->ctl_len, p, take);
			d->ctl_len += (uint32_t)take;
		}
	}
}

static void settings_apply(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_dir *peer = &c->d[!dir];
	uint32_t i;

	peer->max_frame_known = 1; /* absent: the default 16384 */
	for (i = 0; i + 6 <= d->ctl_len; i += 6) {
		uint16_t id = (uint16_t)(d->ctl[i] << 8 | d->ctl[i + 1]);
		uint32_t v = h2_be32(d->ctl + i + 2);

		switch (id) {
		case H2_SET_HEADER_TABLE_SIZE: /* the peer's encoder may use this */
			h2_stream_hd_set_max(peer, v);
			break;
		case H2_SET_ENABLE_PUSH:
			if (v > 1)
				h2_anom_add(c, NULL, H2_ANOM_PROTOCOL_ERROR);
			break;
		case H2_SET_MAX_CONCURRENT_STREAMS: /* the server limits the client */
			if (dir == SESS_DIR_RESP)
				c->server_max_streams = v;
			break;
		case H2_SET_INITIAL_WINDOW_SIZE:
			if (v > 0x7fffffffu)
				h2_anom_add(c, NULL, H2_ANOM_PROTOCOL_ERROR);
			break;
		case H2_SET_MAX_FRAME_SIZE: /* what the peer may send us */
			if (v < H2_DEFAULT_FRAME || v > H2_MAX_FRAME_LIMIT)
				h2_anom_add(c, NULL, H2_ANOM_PROTOCOL_ERROR);
			else
				peer->max_frame = v;
			break;
		}
	}
}

static void frame_end(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_stream *s;

	d->st = RD_HEAD;
	d->hdr_len = 0;
	if (d->fskip)
		return;
	s = h2_stream_find(c, d->fsid);
	if (s && d->ts > s->ev.end_ns)
		s->ev.end_ns = d->ts;
	switch (d->ftype) {
	case H2_FT_DATA:
		if (s && (d->fflags & H2_FL_END_STREAM))
			h2_stream_end(c, s, dir);
		else if (s && dir == SESS_DIR_REQ &&
			 (s->ev.body_len - s->body_judged >= H2_WIN_OVERLAP ||
			  s->ev.body_len == SESS_MAX_BODY))
			/* enough new to be worth its overlap, or no room for
			 * more: judged without waiting for END_STREAM; smaller
			 * pieces wait for h2_tick */
			h2_stream_judge_body(c, s);
		break;
	case H2_FT_HEADERS:
	case H2_FT_PUSH_PROMISE:
	case H2_FT_CONTINUATION:
		if (d->blk_open && (d->fflags & H2_FL_END_HEADERS))
			h2_stream_block_finish(c, dir, 0);
		break;
	case H2_FT_SETTINGS:
		if (!(d->fflags & H2_FL_ACK)) {
			if (h2_rate_hit(&d->settings_rate, d->fts, H2_SETTINGS_PER_SEC))
				h2_anom_add(c, NULL, H2_ANOM_SETTINGS_FLOOD);
			settings_apply(c, dir);
		}
		break;
	case H2_FT_PING:
		if (!(d->fflags & H2_FL_ACK) &&
		    h2_rate_hit(&d->ping_rate, d->fts, H2_PING_PER_SEC))
			h2_anom_add(c, NULL, H2_ANOM_PING_FLOOD);
		break;
	case H2_FT_RST_STREAM:
		if (dir == SESS_DIR_REQ &&
		    h2_rate_hit(&d->rst_rate, d->fts, H2_RESETS_PER_SEC))
			h2_anom_add(c, s, H2_ANOM_RESET_FLOOD);
		if (!s)
			break;
		if (dir == SESS_DIR_REQ &&
		    (!s->resp_seen || d->fts - s->ev.req_ns < H2_RAPID_RESET_NS))
			h2_anom_add(c, s, H2_ANOM_RAPID_RESET);
		h2_stream_emit(c, s, 0);
		break;
	}
}

/* ---- public API -------------------------------------------------------- */

int h2_is_preface(const uint8_t *buf, size_t len)
{
	if (len > PREFACE_LEN)
		len = PREFACE_LEN;
	return buf && len > 0 && memcmp(buf, preface, len) == 0;
}

struct h2_conn *h2_conn_new(const struct sess_conn *conn,
			    const struct sess_sink *sink, unsigned flags)
{
	struct h2_conn *c = calloc(1, sizeof(*c));
	int mid = !!(flags & H2_F_MIDSTREAM);
	int i;

	if (!c)
		return NULL;
	c->conn = conn;
	if (sink)
		c->sink = *sink;
	c->loose = (uint8_t)mid;
	c->server_max_streams = UINT32_MAX;
	for (i = 0; i < 2; i++) {
		struct h2_dir *d = &c->d[i];

		d->hd_max = 4096; /* RFC 7540 6.5.2 default */
		/* Unknown settings mid-stream: any legal frame size. */
		d->max_frame = mid ? H2_MAX_FRAME_LIMIT : H2_DEFAULT_FRAME;
		d->st = (!mid && i == SESS_DIR_REQ) ? RD_PREFACE : RD_HEAD;
		d->first = mid ? FIRST_PLAUSIBLE : FIRST_SETTINGS;
		d->hd_state = mid ? HD_FRESH : HD_OK;
		if (mid ? h2_stream_hd_fresh(d) != 0 : h2_stream_hd_new(d) != 0) {
			h2_conn_free(c);
			return NULL;
		}
	}
	return c;
}

struct h2_conn *h2_conn_new_upgraded(const struct sess_conn *conn,
				     const struct sess_sink *sink,
				     const struct sess_event *req1)
{
	struct h2_conn *c = h2_conn_new(conn, sink, 0);
	struct h2_stream *s;
	size_t ctl;
	const char *ct;

	if (!c || !req1)
		return c;
	s = h2_stream_new(c, 1, 0);
	if (!s) {
		h2_conn_free(c);
		return NULL;
	}
	/* The HTTP/1 request is stream 1's request (RFC 7540 3.2); its
	 * response comes as HTTP/2 frames. */
	s->ev = *req1;
	s->ev.conn = conn;
	s->ev.proto = SESS_PROTO_HTTP2;
	s->ev.flags = (req1->flags & ~SESS_F_NO_RESP) | SESS_F_UPGRADE;
	s->ev.status = 0;
	s->ev.resp_ns = 0;
	s->ev.resp_bytes = s->ev.resp_body_bytes = 0;
	s->ev.stream_id = 1;
	s->last_ns = req1->req_ns;
	ct = sess_get_hdr(&s->ev, "content-type", &ctl);
	if (ct && grpc_is_content_type((const uint8_t *)ct, ctl))
		s->grpc = 1;
	s->req_hdrs = s->req_end = 1;
	c->max_client_sid = 1;
	return c;
}

void h2_conn_free(struct h2_conn *c)
{
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < c->nst; i++) {
		grpc_msgp_free(&c->st[i]->msg[SESS_DIR_REQ]);
		free(c->st[i]);
	}
	free(c->win);
	for (i = 0; i < 2; i++)
		if (c->d[i].hd)
			nghttp2_hd_inflate_del(c->d[i].hd);
	free(c);
}

void h2_feed(struct h2_conn *c, enum sess_dir dir, const uint8_t *data,
	     size_t len, uint64_t ts_ns)
{
	struct h2_dir *d;

	if (!c || !data || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return;
	d = &c->d[dir];
	d->ts = ts_ns;
	while (len > 0) {
		size_t take;

		switch (d->st) {
		case RD_DEAD:
			return;
		case RD_PREFACE:
			take = PREFACE_LEN - d->preface_got;
			if (take > len)
				take = len;
			if (memcmp(data, preface + d->preface_got, take) != 0) {
				h2_anom_add(c, NULL, H2_ANOM_BAD_PREFACE);
				kill_dir(c, dir);
				return;
			}
			d->preface_got = (uint8_t)(d->preface_got + take);
			if (d->preface_got == PREFACE_LEN)
				d->st = RD_HEAD;
			break;
		case RD_HEAD:
			if (d->hdr_len == 0)
				d->fts = ts_ns;
			take = H2_FRAME_HDR - d->hdr_len;
			if (take > len)
				take = len;
			memcpy(d->hdr + d->hdr_len, data, take);
			d->hdr_len = (uint8_t)(d->hdr_len + take);
			if (d->hdr_len == H2_FRAME_HDR) {
				data += take;
				len -= take;
				frame_begin(c, dir);
				continue;
			}
			break;
		default: /* RD_PAYLOAD */
			take = d->fleft < len ? d->fleft : len;
			frame_payload(c, dir, data, take);
			d->fleft -= (uint32_t)take;
			if (d->fleft == 0)
				frame_end(c, dir);
			break;
		}
		data += take;
		len -= take;
	}
}

void h2_gap(struct h2_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns)
{
	struct h2_dir *d;
	struct h2_stream *s;

	if (!c || len == 0 || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return;
	d = &c->d[dir];
	d->ts = ts_ns;
	s = d->st == RD_PAYLOAD ? h2_stream_find(c, d->fsid) : NULL;
	h2_anom_add(c, s, H2_ANOM_GAP);
	if (s && dir == SESS_DIR_RESP)
		sess_resp_body_gap(&s->ev); /* the prefix kept ends here */
	if (d->st == RD_DEAD)
		return;
	if (d->st == RD_PAYLOAD && len <= d->fleft) {
		/* The loss is inside the current frame: framing survives. */
		if (d->fskip) {
			/* nothing was being kept */
		} else if (d->pre_len < d->pre_need) {
			d->fskip = 1;
			if (d->blk_open) {
				c->loose = 1;
				h2_stream_hd_lost(c, d);
			}
		} else if (d->ftype == H2_FT_DATA) {
			uint64_t b = len < d->body_left ? len : d->body_left;

			d->body_left -= (uint32_t)b;
			if (s) {
				s->ev.flags |= SESS_F_BODY_GAP;
				if (dir == SESS_DIR_REQ)
					s->ev.req_body_bytes += b;
				else
					s->ev.resp_body_bytes += b;
				grpc_msgp_gap(&s->msg[dir], b);
			}
		} else if (d->blk_open) {
			c->loose = 1; /* the fresh-inflater rules apply from now */
			h2_stream_hd_lost(c, d);
			if (s)
				s->ev.flags |= SESS_F_PARTIAL;
		} else {
			d->fskip = 1;
		}
		d->fleft -= (uint32_t)len;
		if (d->fleft == 0)
			frame_end(c, dir);
		return;
	}
	/* Frame boundaries are lost: take the next chunk as a frame start and
	 * check it like a mid-stream join. */
	c->loose = 1;
	if (d->blk_open)
		h2_stream_block_finish(c, dir, 1);
	else if (d->hd_state == HD_OK) {
		d->hd_state = HD_FRESH;
		h2_stream_hd_fresh(d);
	}
	d->st = RD_HEAD;
	d->hdr_len = 0;
	d->first = FIRST_PLAUSIBLE;
	h2_stream_mark_all_partial(c);
}

void h2_close(struct h2_conn *c, uint64_t ts_ns)
{
	int k, pending = 0;

	if (!c)
		return;
	c->d[0].st = c->d[1].st = RD_DEAD;
	/* Unfinished streams, oldest (lowest id) first. */
	while (c->nst > 0) {
		struct h2_stream *s = c->st[0];
		unsigned i;

		for (i = 1; i < c->nst; i++)
			if (c->st[i]->id < s->id)
				s = c->st[i];
		if (s->ev.end_ns < ts_ns && !s->resp_end)
			s->ev.end_ns = ts_ns;
		h2_stream_emit(c, s, 0);
	}
	for (k = 0; k < H2_ANOM__COUNT; k++)
		pending |= c->pend[k] != 0;
	if (pending) {
		/* Connection-level anomalies no stream carried (a SETTINGS
		 * flood with no request): one stream 0 event holds them. */
		struct sess_event *ev = malloc(sizeof(*ev));

		if (!ev)
			return;
		sess_event_init(ev, SESS_PROTO_HTTP2, c->conn);
		ev->flags = SESS_F_PARTIAL | SESS_F_NO_RESP;
		ev->req_ns = c->conn ? c->conn->open_ns : 0;
		ev->end_ns = ts_ns;
		for (k = 0; k < H2_ANOM__COUNT; k++) {
			if (c->pend[k])
				sess_anom_add(ev, h2_anom_names[k], c->pend[k]);
			c->pend[k] = 0;
		}
		sess_emit(&c->sink, ev);
		free(ev);
	}
}

void h2_tick(struct h2_conn *c, uint64_t now_ns)
{
	unsigned i;

	(void)now_ns;
	if (!c)
		return;
	for (i = 0; i < c->nst; i++)
		h2_stream_judge_body(c, c->st[i]);
	h2_stream_win_flush(c);
}

const uint64_t *h2_conn_anoms(const struct h2_conn *c)
{
	return c ? c->anoms : NULL;
}

size_t h2_conn_mem(const struct h2_conn *c, size_t *busy)
{
	if (busy)
		*busy = 0;
	if (!c)
		return 0;
	/* busy: the open streams, and the HPACK tables later blocks need */
	if (busy)
		*busy = (size_t)c->nst * sizeof(struct h2_stream) +
			c->d[0].hd_bytes + c->d[1].hd_bytes + c->d[0].grpc_bytes;
	/* the inflaters' allocations are counted as they are made, so are
	 * compressed gRPC messages being collected */
	return sizeof(*c) + (size_t)c->nst * sizeof(struct h2_stream) +
	       c->d[0].hd_bytes + c->d[1].hd_bytes + c->d[0].grpc_bytes;
}

