/* h2.c - HTTP/2 framing, stream states and HPACK decoding for one
 * connection (see h2.h). gRPC specifics live in grpc.c.
 *
 * Each direction is a byte-driven reader: preface -> 9-byte frame header ->
 * payload. Payloads are never buffered whole: DATA goes straight to the
 * stream, header block fragments straight into that direction's inflater
 * (nghttp2 accepts a block in pieces), and only control frames are copied,
 * into a small fixed buffer.
 *
 * HPACK certainty. An inflater that saw every block since the connection
 * began is exact (HD_OK). When the start is unknown (mid-stream join, gap)
 * we use a fresh inflater (HD_FRESH): every dynamic entry it holds was
 * inserted after the join, in the same order as in the peer's table, so any
 * index it resolves names the same entry the peer meant; an index into the
 * unknown older part fails inside nghttp2 instead of being guessed. After
 * such a failure the rest of that block (and its insertions) is lost, so the
 * inflater is replaced by an empty one at the end of the block, keeping the
 * "known entries are the newest ones" property.
 */
#include "h2_int.h"
#include "grpc.h"
#include "h2_frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#define H2_MAX_HD_TABLE (64u * 1024) /* largest HPACK table we agree to keep */

static const uint8_t preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define PREFACE_LEN (sizeof(preface) - 1)

const char *const h2_anom_names[H2_ANOM__COUNT] = {
	[H2_ANOM_RAPID_RESET] = "h2.rapid_reset",
	[H2_ANOM_CONTINUATION_FLOOD] = "h2.continuation_flood",
	[H2_ANOM_SETTINGS_FLOOD] = "h2.settings_flood",
	[H2_ANOM_PING_FLOOD] = "h2.ping_flood",
	[H2_ANOM_STREAMS_OVER_MAX] = "h2.streams_over_max",
	[H2_ANOM_HDR_LIST_OVERSIZE] = "h2.hdr_list_oversize",
	[H2_ANOM_FRAME_ON_CLOSED_STREAM] = "h2.frame_on_closed_stream",
	[H2_ANOM_BAD_HPACK] = "h2.bad_hpack",
	[H2_ANOM_FRAME_OVERSIZE] = "h2.frame_oversize",
	[H2_ANOM_BAD_PREFACE] = "h2.bad_preface",
	[H2_ANOM_PROTOCOL_ERROR] = "h2.protocol_error",
	[H2_ANOM_GAP] = "h2.gap",
	[H2_ANOM_RESET_FLOOD] = "h2.reset_flood",
	[H2_ANOM_STREAM_TABLE_FULL] = "h2.stream_table_full",
};

static uint64_t h2_tot[H2_ANOM__COUNT];


/* ---- small helpers ----------------------------------------------------- */

/* Count an anomaly on the connection and in the event of stream s; without
 * a stream it waits for the next event emitted on this connection. */
static void anom(struct h2_conn *c, struct h2_stream *s, enum h2_anom k)
{
	c->anoms[k]++;
	__atomic_fetch_add(&h2_tot[k], 1, __ATOMIC_RELAXED);
	if (s)
		sess_anom_add(&s->ev, h2_anom_names[k], 1);
	else
		c->pend[k]++;
}

static struct h2_stream *stream_find(struct h2_conn *c, uint32_t id)
{
	unsigned i;

	if (id == 0)
		return NULL;
	for (i = 0; i < c->nst; i++)
		if (c->st[i]->id == id)
			return c->st[i];
	return NULL;
}

static int closed_recently(const struct h2_conn *c, uint32_t id)
{
	unsigned i;

	for (i = 0; i < H2_CLOSED_RING; i++)
		if (c->closed[i] == id)
			return 1;
	return 0;
}

static void stream_emit(struct h2_conn *c, struct h2_stream *s, uint32_t flags)
{
	struct sess_event *ev = &s->ev;
	unsigned i;
	int k;

	ev->stream_id = s->id;
	ev->flags |= flags;
	if (!s->resp_seen)
		ev->flags |= SESS_F_NO_RESP;
	if (s->grpc) {
		ev->proto = SESS_PROTO_GRPC;
		if (!ev->service[0])
			grpc_split_path(ev->path, strlen(ev->path), ev);
		ev->req_msgs = s->msg[SESS_DIR_REQ].msgs;
		ev->resp_msgs = s->msg[SESS_DIR_RESP].msgs;
		memcpy(ev->grpc_message, s->grpc_message, sizeof(ev->grpc_message));
	}
	for (k = 0; k < H2_ANOM__COUNT; k++) {
		if (c->pend[k]) {
			sess_anom_add(ev, h2_anom_names[k], c->pend[k]);
			c->pend[k] = 0;
		}
	}
	if (ev->end_ns < ev->req_ns)
		ev->end_ns = ev->req_ns;
	if (ev->end_ns < ev->resp_ns)
		ev->end_ns = ev->resp_ns;
	sess_emit(&c->sink, ev);

	for (i = 0; i < c->nst; i++) {
		if (c->st[i] == s) {
			c->st[i] = c->st[--c->nst];
			break;
		}
	}
	c->closed[c->closed_pos++ % H2_CLOSED_RING] = s->id;
	free(s);
}

static struct h2_stream *stream_new(struct h2_conn *c, uint32_t id, int partial)
{
	struct h2_stream *s;

	if (c->nst >= H2_MAX_STREAMS) {
		/* Evict the least recently active stream: memory stays bounded
		 * and what we knew of it is still reported. */
		struct h2_stream *old = c->st[0];
		unsigned i;

		for (i = 1; i < c->nst; i++)
			if (c->st[i]->last_ns < old->last_ns)
				old = c->st[i];
		anom(c, old, H2_ANOM_STREAM_TABLE_FULL);
		stream_emit(c, old, SESS_F_PARTIAL);
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	sess_event_init(&s->ev, SESS_PROTO_HTTP2, c->conn);
	s->id = id;
	s->ev.stream_id = id;
	if (partial)
		s->ev.flags |= SESS_F_PARTIAL;
	c->st[c->nst++] = s;
	return s;
}

static void streams_mark_partial(struct h2_conn *c)
{
	unsigned i;

	for (i = 0; i < c->nst; i++)
		c->st[i]->ev.flags |= SESS_F_PARTIAL;
}

/* ---- HPACK ------------------------------------------------------------- */

static int hd_fresh(struct h2_dir *d)
{
	if (d->hd)
		nghttp2_hd_inflate_del(d->hd);
	d->hd = NULL;
	if (nghttp2_hd_inflate_new(&d->hd) != 0) {
		d->hd = NULL;
		d->hd_state = HD_BROKEN;
		return -ENOMEM;
	}
	/* The peer may have agreed a larger table before we joined: accept
	 * size updates up to our cap rather than failing on them. */
	nghttp2_hd_inflate_change_table_size(d->hd, H2_MAX_HD_TABLE);
	return 0;
}

static void hd_set_max(struct h2_dir *d, uint32_t v)
{
	if (v > H2_MAX_HD_TABLE)
		v = H2_MAX_HD_TABLE;
	/* Only raising is applied: a lower value takes effect at the peer's
	 * encoder only after its ACK, and nghttp2 would demand a size update
	 * in blocks that were already in flight. */
	if (v <= d->hd_max)
		return;
	d->hd_max = v;
	if (d->hd && !d->blk_open && d->hd_state == HD_OK)
		nghttp2_hd_inflate_change_table_size(d->hd, v);
}

/* This direction's inflater lost a block: exact decoding is over. */
static void hd_lost(struct h2_conn *c, struct h2_dir *d)
{
	d->blk_skip = 1;
	if (d->hd_state == HD_OK)
		d->hd_state = c->loose ? HD_FRESH : HD_BROKEN;
	/* Inside a block the replacement waits for its end (block_finish). */
	if (!d->blk_open && d->hd_state == HD_FRESH)
		hd_fresh(d);
}

static void set_path(struct sess_event *ev, const uint8_t *v, size_t len)
{
	const uint8_t *q = memchr(v, '?', len);
	size_t plen = q ? (size_t)(q - v) : len;

	ev->path[0] = ev->query[0] = '\0';
	sess_append(ev->path, sizeof(ev->path), v, plen, ev, SESS_TRUNC_PATH);
	if (q)
		sess_append(ev->query, sizeof(ev->query), q + 1, len - plen - 1,
			    ev, SESS_TRUNC_QUERY);
}

static int name_is(const nghttp2_nv *nv, const char *name)
{
	size_t n = strlen(name);

	return nv->namelen == n && memcmp(nv->name, name, n) == 0;
}

static void on_header(struct h2_conn *c, enum sess_dir dir, const nghttp2_nv *nv)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_stream *s;
	struct sess_event *ev;

	/* RFC 7540 6.5.2 list size; past the cap the block is still inflated
	 * (the dynamic table must follow it) but nothing more is kept. */
	d->blk_list += (uint32_t)(nv->namelen + nv->valuelen + 32);
	if (d->blk_list > H2_MAX_HDR_LIST) {
		if (!d->blk_over_list) {
			d->blk_over_list = 1;
			anom(c, stream_find(c, d->blk_sid), H2_ANOM_HDR_LIST_OVERSIZE);
		}
		return;
	}
	if (d->blk_discard)
		return;
	s = stream_find(c, d->blk_sid);
	if (!s)
		return;
	ev = &s->ev;
	if (name_is(nv, "content-type") && grpc_is_content_type(nv->value, nv->valuelen))
		s->grpc = 1;
	if (dir == SESS_DIR_REQ) {
		if (d->blk_trailer)
			return;
		if (name_is(nv, ":method")) {
			ev->method[0] = '\0';
			sess_append(ev->method, sizeof(ev->method), nv->value,
				    nv->valuelen, ev, SESS_TRUNC_METHOD);
		} else if (name_is(nv, ":authority") ||
			   (name_is(nv, "host") && !ev->authority[0])) {
			ev->authority[0] = '\0';
			sess_append(ev->authority, sizeof(ev->authority), nv->value,
				    nv->valuelen, ev, SESS_TRUNC_AUTHORITY);
		} else if (name_is(nv, ":path")) {
			set_path(ev, nv->value, nv->valuelen);
		}
		sess_add_hdr(ev, (const char *)nv->name, nv->namelen,
			     (const char *)nv->value, nv->valuelen);
		return;
	}
	if (name_is(nv, ":status") && !d->blk_trailer) {
		int st = grpc_parse_status(nv->value, nv->valuelen);

		ev->status = (nv->valuelen == 3 && st >= 100) ? st : 0;
	} else if (name_is(nv, "grpc-status")) {
		ev->grpc_status = grpc_parse_status(nv->value, nv->valuelen);
	} else if (name_is(nv, "grpc-message")) {
		s->grpc_message[0] = '\0';
		sess_append(s->grpc_message, sizeof(s->grpc_message), nv->value,
			    nv->valuelen, NULL, 0);
	}
}

/* Feed block bytes to the inflater; final marks the end of the block. */
static void hd_feed(struct h2_conn *c, enum sess_dir dir, const uint8_t *in,
		    size_t len, int final)
{
	struct h2_dir *d = &c->d[dir];

	for (;;) {
		nghttp2_nv nv;
		int fl = 0;
		ssize_t rv = nghttp2_hd_inflate_hd2(d->hd, &nv, &fl, in, len, final);

		if (rv < 0) {
			struct h2_stream *s = stream_find(c, d->blk_sid);

			/* In a fresh (uncertain) inflater this is the expected
			 * reference into the unknown table, not an attack. */
			if (d->hd_state == HD_OK)
				anom(c, s, H2_ANOM_BAD_HPACK);
			if (s)
				s->ev.flags |= SESS_F_PARTIAL;
			hd_lost(c, d);
			return;
		}
		in += rv;
		len -= (size_t)rv;
		if (fl & NGHTTP2_HD_INFLATE_EMIT)
			on_header(c, dir, &nv);
		if (fl & NGHTTP2_HD_INFLATE_FINAL) {
			nghttp2_hd_inflate_end_headers(d->hd);
			return;
		}
		if (!(fl & NGHTTP2_HD_INFLATE_EMIT) && len == 0)
			return;
	}
}

static void block_start(struct h2_conn *c, enum sess_dir dir,
			struct h2_stream *s, int discard)
{
	struct h2_dir *d = &c->d[dir];

	/* A discarded block is still inflated: the dynamic table must see
	 * every block of the direction. */
	d->blk_open = 1;
	d->blk_sid = d->fsid;
	d->blk_discard = (uint8_t)(discard || !s);
	d->blk_end_stream = !discard && (d->fflags & H2_FL_END_STREAM);
	d->blk_bytes = d->blk_conts = d->blk_list = 0;
	d->blk_over_list = d->blk_flood = 0;
	d->blk_skip = d->hd_state == HD_BROKEN;
	d->blk_trailer = s && (dir == SESS_DIR_REQ ? s->req_hdrs : s->resp_hdrs);
	if (s && d->blk_skip)
		s->ev.flags |= SESS_F_PARTIAL;
}

static void block_bytes(struct h2_conn *c, enum sess_dir dir,
			const uint8_t *p, size_t n)
{
	struct h2_dir *d = &c->d[dir];

	d->blk_bytes += (uint32_t)n;
	if (d->blk_bytes > H2_MAX_BLOCK && !d->blk_skip) {
		struct h2_stream *s = stream_find(c, d->blk_sid);

		/* counted once per block, whichever cap is hit first */
		if (!d->blk_over_list)
			anom(c, s, H2_ANOM_HDR_LIST_OVERSIZE);
		d->blk_over_list = 1;
		if (d->blk_conts && !d->blk_flood) {
			d->blk_flood = 1;
			anom(c, s, H2_ANOM_CONTINUATION_FLOOD);
		}
		if (s)
			s->ev.flags |= SESS_F_PARTIAL;
		hd_lost(c, d);
	}
	if (!d->blk_skip && n)
		hd_feed(c, dir, p, n, 0);
}

static void stream_end(struct h2_conn *c, struct h2_stream *s, enum sess_dir dir)
{
	if (dir == SESS_DIR_REQ) {
		s->req_end = 1;
		s->ev.req_end_ns = c->d[dir].ts;
		if (!s->resp_end)
			sess_emit_request(&c->sink, &s->ev);
	} else {
		s->resp_end = 1;
	}
	if (s->req_end && s->resp_end)
		stream_emit(c, s, 0);
}

/* End of a header block: apply it to its stream. aborted: it never ended. */
static void block_finish(struct h2_conn *c, enum sess_dir dir, int aborted)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_stream *s;

	if (!d->blk_skip && !aborted)
		hd_feed(c, dir, NULL, 0, 1);
	if (aborted)
		hd_lost(c, d);
	d->blk_open = 0;
	if (d->blk_skip && d->hd_state == HD_FRESH)
		hd_fresh(d);
	else if (d->hd && d->hd_state == HD_OK)
		nghttp2_hd_inflate_change_table_size(d->hd, d->hd_max);
	if (d->blk_discard)
		return;
	s = stream_find(c, d->blk_sid);
	if (!s)
		return;
	if (aborted)
		s->ev.flags |= SESS_F_PARTIAL;
	if (dir == SESS_DIR_REQ) {
		s->req_hdrs = 1;
	} else if (!d->blk_trailer && s->ev.status / 100 != 1) {
		s->resp_hdrs = 1; /* 1xx is informational: more headers follow */
	}
	if (d->blk_end_stream && !aborted)
		stream_end(c, s, dir);
}

/* ---- frames ------------------------------------------------------------ */

/* The stream a DATA or HEADERS frame belongs to, created when it opens one;
 * NULL when it is not tracked. */
static struct h2_stream *frame_stream(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	uint32_t sid = d->fsid;
	int headers = d->ftype == H2_FT_HEADERS;
	struct h2_stream *s = stream_find(c, sid);

	if (s)
		return s;
	if (!(sid & 1))
		return NULL; /* server push: decoded for HPACK, not reported */
	if (closed_recently(c, sid) || (!c->loose && sid <= c->max_client_sid)) {
		/* The server may still answer a stream the client reset. */
		if (dir == SESS_DIR_REQ)
			anom(c, NULL, H2_ANOM_FRAME_ON_CLOSED_STREAM);
		return NULL;
	}
	if (dir == SESS_DIR_REQ && headers) {
		unsigned open = c->nst;

		s = stream_new(c, sid, 0);
		if (s && open >= c->server_max_streams)
			anom(c, s, H2_ANOM_STREAMS_OVER_MAX);
	} else if (c->loose) {
		/* Joined after this stream began: what we see is certain,
		 * the start is not. */
		s = stream_new(c, sid, 1);
		if (s && dir == SESS_DIR_RESP)
			s->req_hdrs = 1;
	} else {
		/* DATA on an idle stream, or a server frame on one never
		 * requested. */
		if (dir == SESS_DIR_REQ)
			anom(c, NULL, H2_ANOM_PROTOCOL_ERROR);
		return NULL;
	}
	if (s && sid > c->max_client_sid)
		c->max_client_sid = sid;
	return s;
}

static void kill_dir(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];

	d->st = RD_DEAD;
	if (d->blk_open)
		block_finish(c, dir, 1);
	streams_mark_partial(c);
}

static void frame_end(struct h2_conn *c, enum sess_dir dir);

static void frame_begin(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_frame_hdr fh;
	struct h2_stream *s = NULL;
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

	if ((first == FIRST_SETTINGS &&
	     (d->ftype != H2_FT_SETTINGS || d->fsid || (d->fflags & H2_FL_ACK))) ||
	    (first == FIRST_PLAUSIBLE &&
	     !h2_frame_plausible(&fh, H2_RESYNC_MAX_LEN))) {
		anom(c, NULL, H2_ANOM_PROTOCOL_ERROR);
		kill_dir(c, dir);
		return;
	}
	if (d->blk_open && (d->ftype != H2_FT_CONTINUATION || d->fsid != d->blk_sid)) {
		/* RFC 7540 6.2: nothing may interleave with a header block. */
		anom(c, stream_find(c, d->blk_sid), H2_ANOM_PROTOCOL_ERROR);
		block_finish(c, dir, 1);
	}

	if (d->ftype == H2_FT_DATA || d->ftype == H2_FT_HEADERS) {
		if (d->fsid)
			s = frame_stream(c, dir);
	} else if (d->ftype == H2_FT_CONTINUATION) {
		s = stream_find(c, d->fsid);
	} else if (d->fsid && d->ftype <= H2_FT_CONTINUATION) {
		s = stream_find(c, d->fsid);
	}
	if (s) {
		uint64_t bytes = H2_FRAME_HDR + (uint64_t)d->flen;

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
			anom(c, s, H2_ANOM_FRAME_ON_CLOSED_STREAM);
			s = NULL;
			discard = 1;
			if (d->ftype == H2_FT_DATA)
				d->fskip = 1;
		}
	}

	if (d->flen > d->max_frame) {
		/* Skipped by length, never buffered. */
		anom(c, s, H2_ANOM_FRAME_OVERSIZE);
		d->fskip = 1;
		if (d->ftype == H2_FT_HEADERS || d->ftype == H2_FT_PUSH_PROMISE) {
			if (s)
				s->ev.flags |= SESS_F_PARTIAL;
			hd_lost(c, d);
		} else if (d->ftype == H2_FT_CONTINUATION && d->blk_open) {
			block_finish(c, dir, 1);
		}
	} else if (!h2_frame_valid(&fh, dir)) {
		anom(c, s, H2_ANOM_PROTOCOL_ERROR);
		d->fskip = 1;
		if (d->ftype == H2_FT_HEADERS || d->ftype == H2_FT_PUSH_PROMISE)
			hd_lost(c, d);
	} else if (!d->fskip) {
		switch (d->ftype) {
		case H2_FT_DATA:
			d->pre_need = (d->fflags & H2_FL_PADDED) ? 1 : 0;
			break;
		case H2_FT_HEADERS:
			d->pre_need = (uint8_t)(((d->fflags & H2_FL_PADDED) ? 1 : 0) +
						((d->fflags & H2_FL_PRIORITY) ? 5 : 0));
			block_start(c, dir, s, discard);
			break;
		case H2_FT_PUSH_PROMISE:
			d->pre_need = (uint8_t)(((d->fflags & H2_FL_PADDED) ? 1 : 0) + 4);
			block_start(c, dir, NULL, 1);
			break;
		case H2_FT_CONTINUATION:
			if (!d->blk_open) {
				/* A mid-stream join may land inside a block. */
				if (!c->loose)
					anom(c, s, H2_ANOM_PROTOCOL_ERROR);
				d->fskip = 1;
				break;
			}
			if (++d->blk_conts > H2_MAX_CONTINUATION && !d->blk_flood) {
				d->blk_flood = 1;
				anom(c, s, H2_ANOM_CONTINUATION_FLOOD);
			}
			break;
		}
		if (d->pre_need > d->flen) {
			anom(c, s, H2_ANOM_PROTOCOL_ERROR);
			d->fskip = 1;
			if (d->blk_open)
				block_finish(c, dir, 1);
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

static void data_bytes(struct h2_conn *c, enum sess_dir dir,
		       const uint8_t *p, size_t n)
{
	struct h2_stream *s = stream_find(c, c->d[dir].fsid);

	if (!s)
		return;
	if (dir == SESS_DIR_REQ) {
		s->ev.req_body_bytes += n;
		if (s->grpc)
			grpc_msgp_feed(&s->msg[dir], p, n, &s->ev);
		else
			sess_add_body(&s->ev, p, n);
	} else {
		s->ev.resp_body_bytes += n;
		if (s->grpc)
			grpc_msgp_feed(&s->msg[dir], p, n, NULL);
	}
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
				anom(c, stream_find(c, d->fsid), H2_ANOM_PROTOCOL_ERROR);
				d->fskip = 1;
				if (d->blk_open)
					block_finish(c, dir, 1);
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
		data_bytes(c, dir, p, take);
		break;
	case H2_FT_HEADERS:
	case H2_FT_PUSH_PROMISE:
	case H2_FT_CONTINUATION:
		block_bytes(c, dir, p, take);
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

	for (i = 0; i + 6 <= d->ctl_len; i += 6) {
		uint16_t id = (uint16_t)(d->ctl[i] << 8 | d->ctl[i + 1]);
		uint32_t v = h2_be32(d->ctl + i + 2);

		switch (id) {
		case H2_SET_HEADER_TABLE_SIZE: /* the peer's encoder may use this */
			hd_set_max(peer, v);
			break;
		case H2_SET_ENABLE_PUSH:
			if (v > 1)
				anom(c, NULL, H2_ANOM_PROTOCOL_ERROR);
			break;
		case H2_SET_MAX_CONCURRENT_STREAMS: /* the server limits the client */
			if (dir == SESS_DIR_RESP)
				c->server_max_streams = v;
			break;
		case H2_SET_INITIAL_WINDOW_SIZE:
			if (v > 0x7fffffffu)
				anom(c, NULL, H2_ANOM_PROTOCOL_ERROR);
			break;
		case H2_SET_MAX_FRAME_SIZE: /* what the peer may send us */
			if (v < H2_DEFAULT_FRAME || v > H2_MAX_FRAME_LIMIT)
				anom(c, NULL, H2_ANOM_PROTOCOL_ERROR);
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
	s = stream_find(c, d->fsid);
	if (s && d->ts > s->ev.end_ns)
		s->ev.end_ns = d->ts;
	switch (d->ftype) {
	case H2_FT_DATA:
		if (s && (d->fflags & H2_FL_END_STREAM))
			stream_end(c, s, dir);
		break;
	case H2_FT_HEADERS:
	case H2_FT_PUSH_PROMISE:
	case H2_FT_CONTINUATION:
		if (d->blk_open && (d->fflags & H2_FL_END_HEADERS))
			block_finish(c, dir, 0);
		break;
	case H2_FT_SETTINGS:
		if (!(d->fflags & H2_FL_ACK)) {
			if (h2_rate_hit(&d->settings_rate, d->fts, H2_SETTINGS_PER_SEC))
				anom(c, NULL, H2_ANOM_SETTINGS_FLOOD);
			settings_apply(c, dir);
		}
		break;
	case H2_FT_PING:
		if (!(d->fflags & H2_FL_ACK) &&
		    h2_rate_hit(&d->ping_rate, d->fts, H2_PING_PER_SEC))
			anom(c, NULL, H2_ANOM_PING_FLOOD);
		break;
	case H2_FT_RST_STREAM:
		if (dir == SESS_DIR_REQ &&
		    h2_rate_hit(&d->rst_rate, d->fts, H2_RESETS_PER_SEC))
			anom(c, s, H2_ANOM_RESET_FLOOD);
		if (!s)
			break;
		if (dir == SESS_DIR_REQ &&
		    (!s->resp_seen || d->fts - s->ev.req_ns < H2_RAPID_RESET_NS))
			anom(c, s, H2_ANOM_RAPID_RESET);
		stream_emit(c, s, 0);
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
		if (mid ? hd_fresh(d) != 0 : nghttp2_hd_inflate_new(&d->hd) != 0) {
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
	s = stream_new(c, 1, 0);
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
	for (i = 0; i < c->nst; i++)
		free(c->st[i]);
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
				anom(c, NULL, H2_ANOM_BAD_PREFACE);
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
	s = d->st == RD_PAYLOAD ? stream_find(c, d->fsid) : NULL;
	anom(c, s, H2_ANOM_GAP);
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
				hd_lost(c, d);
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
			hd_lost(c, d);
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
		block_finish(c, dir, 1);
	else if (d->hd_state == HD_OK) {
		d->hd_state = HD_FRESH;
		hd_fresh(d);
	}
	d->st = RD_HEAD;
	d->hdr_len = 0;
	d->first = FIRST_PLAUSIBLE;
	streams_mark_partial(c);
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
		stream_emit(c, s, 0);
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

const uint64_t *h2_conn_anoms(const struct h2_conn *c)
{
	return c ? c->anoms : NULL;
}

void h2_totals(uint64_t out[H2_ANOM__COUNT])
{
	int k;

	for (k = 0; k < H2_ANOM__COUNT; k++)
		out[k] = __atomic_load_n(&h2_tot[k], __ATOMIC_RELAXED);
}
