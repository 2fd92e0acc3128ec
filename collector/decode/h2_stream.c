/* h2_stream.c - HTTP/2 streams of one connection: the stream table, header
 * blocks decoded through each direction's HPACK inflater into the event of
 * their stream, DATA into its body and gRPC messages, and emitting the
 * event. The frame reader calling all this is in h2.c.
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
#include "collector/decode/h2_stream.h"
#include "collector/decode/grpc.h"
#include "collector/decode/h2_frame.h"
#include "collector/decode/h2_uri.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "collector/decode/h2_int.h"

#define H2_MAX_HD_TABLE (64u * 1024) /* largest HPACK table we agree to keep */

/* ---- streams ---------------------------------------------------------- */

struct h2_stream *h2_stream_find(struct h2_conn *c, uint32_t id)
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

void h2_stream_judge_body(struct h2_conn *c, struct h2_stream *s)
{
	const struct sess_event *ev = &s->ev;
	struct sess_event w; /* on the stack: init clears only the head */
	uint32_t from;
	const char *ct;
	size_t ctl = 0;

	/* a coded prefix judged whole, then cut by what followed: judged
	 * again, now saying it is cut (decoding stops short of the end) */
	int recut = ev->req_coding != SESS_CODING_NONE && (ev->trunc & SESS_TRUNC_BODY) &&
		    !s->judged_trunc;

	if (!c->sink.request || !(ev->flags & SESS_F_REQ_SEEN) ||
	    (ev->body_len <= s->body_judged && !recut))
		return;
	from = s->body_judged > H2_WIN_OVERLAP ? s->body_judged - H2_WIN_OVERLAP : 0;
	/* a coded body is decoded from its start: each window holds it all */
	if (ev->req_coding != SESS_CODING_NONE)
		from = 0;
	s->body_judged = ev->body_len;
	sess_event_init(&w, s->grpc ? SESS_PROTO_GRPC : SESS_PROTO_HTTP2, c->conn);
	w.flags = SESS_F_WINDOW | (from ? 0 : SESS_F_WIN_BODY0);
	w.trunc = ev->trunc & SESS_TRUNC_BODY;
	s->judged_trunc = !!w.trunc;
	w.req_coding = ev->req_coding;
	memcpy(w.req_coding_name, ev->req_coding_name, sizeof(w.req_coding_name));
	w.stream_id = s->id;
	w.req_ns = ev->req_ns;
	w.req_end_ns = c->d[SESS_DIR_REQ].ts;
	memcpy(w.method, ev->method, sizeof(w.method));
	memcpy(w.authority, ev->authority, sizeof(w.authority));
	memcpy(w.path, ev->path, sizeof(w.path));
	memcpy(w.query, ev->query, sizeof(w.query));
	/* the body is read as the request says it is (form, JSON) */
	ct = sess_get_hdr(ev, "content-type", &ctl);
	if (ct)
		sess_add_hdr(&w, "content-type", 12, ct, ctl);
	sess_add_body(&w, ev->body + from, ev->body_len - from);
	c->sink.request(c->sink.ctx, &w);
}

void h2_stream_win_flush(struct h2_conn *c)
{
	struct h2_stream *s = h2_stream_find(c, c->win_sid);
	struct sess_event *w = c->win;
	uint32_t n;

	if (!c->win_sid)
		return;
	c->win_sid = 0;
	if (!c->win_new)
		return;
	c->win_new = 0;
	if (s) {
		n = w->body_len < H2_WIN_OVERLAP ? w->body_len : H2_WIN_OVERLAP;
		memcpy(s->win_tail, w->body + w->body_len - n, n);
		s->win_tail_len = n;
	}
	c->sink.request(c->sink.ctx, w);
}

/* The last H2_WIN_OVERLAP raw bytes of a gRPC request before its windows
 * start (win_open's overlap for the first one). */
static void raw_tail_add(struct h2_stream *s, const uint8_t *p, size_t n)
{
	size_t keep;

	if (n >= H2_WIN_OVERLAP) {
		memcpy(s->win_tail, p + n - H2_WIN_OVERLAP, H2_WIN_OVERLAP);
		s->win_tail_len = H2_WIN_OVERLAP;
		return;
	}
	keep = s->win_tail_len + n > H2_WIN_OVERLAP ? H2_WIN_OVERLAP - n : s->win_tail_len;
	memmove(s->win_tail, s->win_tail + s->win_tail_len - keep, keep);
	memcpy(s->win_tail + keep, p, n);
	s->win_tail_len = (uint32_t)(keep + n);
}

/* The window for s's body past the prefix (judging another stream's
 * first), started with the last bytes judged before. NULL when out of
 * memory. */
static struct sess_event *win_open(struct h2_conn *c, struct h2_stream *s)
{
	const struct sess_event *ev = &s->ev;
	struct sess_event *w;
	const char *ct;
	size_t ctl = 0;

	if (c->win_sid == s->id)
		return c->win;
	h2_stream_win_flush(c);
	if (!c->win && !(c->win = malloc(sizeof(*c->win))))
		return NULL;
	w = c->win;
	sess_event_init(w, SESS_PROTO_HTTP2, c->conn);
	w->flags = SESS_F_WINDOW;
	w->n_hdrs = w->hdr_arena_len = w->body_len = w->n_anom = 0;
	w->trunc = 0;
	w->req_coding = ev->req_coding; /* mid-body: not decodable */
	memcpy(w->req_coding_name, ev->req_coding_name, sizeof(w->req_coding_name));
	w->stream_id = s->id;
	w->req_ns = ev->req_ns;
	w->req_end_ns = c->d[SESS_DIR_REQ].ts;
	memcpy(w->method, ev->method, sizeof(w->method));
	memcpy(w->authority, ev->authority, sizeof(w->authority));
	memcpy(w->path, ev->path, sizeof(w->path));
	memcpy(w->query, ev->query, sizeof(w->query));
	ct = sess_get_hdr(ev, "content-type", &ctl);
	if (ct)
		sess_add_hdr(w, "content-type", 12, ct, ctl);
	if (s->win_judged || s->win_raw) {
		/* a gRPC call's first window of raw DATA: the raw bytes
		 * before it (one of decoded text starts from the prefix) */
		sess_add_body(w, s->win_tail, s->win_tail_len);
	} else {
		/* the first window overlaps the kept prefix */
		uint32_t n = ev->body_len < H2_WIN_OVERLAP ? ev->body_len : H2_WIN_OVERLAP;

		sess_add_body(w, ev->body + ev->body_len - n, n);
	}
	c->win_sid = s->id;
	c->win_new = 0;
	return w;
}

/* Request body bytes past the kept prefix: into windows of SESS_MAX_BODY
 * overlapping by H2_WIN_OVERLAP, up to H2_SCAN_BODY_MAX; the rest counted. */
static void win_body(struct h2_conn *c, struct h2_stream *s, const uint8_t *p, size_t len)
{
	struct sess_event *w;

	if (!c->sink.request)
		return;
	while (len) {
		size_t n;

		if (s->win_judged >= H2_SCAN_BODY_MAX) {
			if (!s->win_unjudged) {
				s->win_unjudged = 1;
				h2_anom_add(c, s, H2_ANOM_BODY_UNJUDGED);
			}
			return;
		}
		if (c->win_sid == s->id && c->win->body_len >= SESS_MAX_BODY)
			h2_stream_win_flush(c); /* full: judge it, start another */
		w = win_open(c, s);
		if (!w)
			return;
		n = SESS_MAX_BODY - w->body_len;
		if (n > len)
			n = len;
		if (n > H2_SCAN_BODY_MAX - s->win_judged)
			n = H2_SCAN_BODY_MAX - s->win_judged;
		sess_add_body(w, p, n);
		s->win_judged += (uint32_t)n;
		c->win_new += (uint32_t)n;
		p += n;
		len -= n;
	}
}

void h2_stream_emit(struct h2_conn *c, struct h2_stream *s, uint32_t flags)
{
	struct sess_event *ev = &s->ev;
	unsigned i;
	int k;

	/* judged already but not all of its body: the rest before it goes */
	h2_stream_judge_body(c, s);
	if (c->win_sid == s->id)
		h2_stream_win_flush(c);

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
	grpc_msgp_free(&s->msg[SESS_DIR_REQ]);
	free(s);
}

struct h2_stream *h2_stream_new(struct h2_conn *c, uint32_t id, int partial)
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
		h2_anom_add(c, old, H2_ANOM_STREAM_TABLE_FULL);
		h2_stream_emit(c, old, SESS_F_PARTIAL);
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

void h2_stream_mark_all_partial(struct h2_conn *c)
{
	unsigned i;

	for (i = 0; i < c->nst; i++)
		c->st[i]->ev.flags |= SESS_F_PARTIAL;
}

/* ---- HPACK ------------------------------------------------------------- */

/* The inflater's allocator: each block carries its size in front, so a
 * free or realloc knows what to take off the count. */
#define HD_HDR 16 /* keeps the caller's alignment */

static void *hd_malloc(size_t n, void *ud)
{
	size_t *count = ud;
	uint8_t *p = malloc(n + HD_HDR);

	if (!p)
		return NULL;
	memcpy(p, &n, sizeof(n));
	*count += n + HD_HDR;
	return p + HD_HDR;
}

static void hd_free(void *ptr, void *ud)
{
	size_t *count = ud, n;
	uint8_t *p = ptr;

	if (!p)
		return;
	p -= HD_HDR;
	memcpy(&n, p, sizeof(n));
	*count -= n + HD_HDR;
	free(p);
}

static void *hd_calloc(size_t nmemb, size_t size, void *ud)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = hd_malloc(nmemb * size, ud);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

static void *hd_realloc(void *ptr, size_t n, void *ud)
{
	size_t *count = ud, old;
	uint8_t *p;

	if (!ptr)
		return hd_malloc(n, ud);
	p = (uint8_t *)ptr - HD_HDR;
	memcpy(&old, p, sizeof(old));
	p = realloc(p, n + HD_HDR);
	if (!p)
		return NULL;
	memcpy(p, &n, sizeof(n));
	*count = *count - old + n;
	return p + HD_HDR;
}

int h2_stream_hd_new(struct h2_dir *d)
{
	d->hd_mem.mem_user_data = &d->hd_bytes;
	d->hd_mem.malloc = hd_malloc;
	d->hd_mem.free = hd_free;
	d->hd_mem.calloc = hd_calloc;
	d->hd_mem.realloc = hd_realloc;
	if (nghttp2_hd_inflate_new2(&d->hd, &d->hd_mem) != 0) {
		d->hd = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* A broken direction decodes no more headers: its inflater goes. */
static void hd_drop(struct h2_dir *d)
{
	if (d->hd)
		nghttp2_hd_inflate_del(d->hd);
	d->hd = NULL;
}

int h2_stream_hd_fresh(struct h2_dir *d)
{
	hd_drop(d);
	if (h2_stream_hd_new(d) != 0) {
		d->hd = NULL;
		d->hd_state = HD_BROKEN;
		return -ENOMEM;
	}
	/* The peer may have agreed a larger table before we joined: accept
	 * size updates up to our cap rather than failing on them. */
	nghttp2_hd_inflate_change_table_size(d->hd, H2_MAX_HD_TABLE);
	return 0;
}

void h2_stream_hd_set_max(struct h2_dir *d, uint32_t v)
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
void h2_stream_hd_lost(struct h2_conn *c, struct h2_dir *d)
{
	d->blk_skip = 1;
	if (d->hd_state == HD_OK)
		d->hd_state = c->loose ? HD_FRESH : HD_BROKEN;
	/* Inside a block the replacement waits for its end (block_finish). */
	if (!d->blk_open && d->hd_state == HD_FRESH)
		h2_stream_hd_fresh(d);
	else if (!d->blk_open && d->hd_state == HD_BROKEN)
		hd_drop(d);
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
			h2_anom_add(c, h2_stream_find(c, d->blk_sid),
				    H2_ANOM_HDR_LIST_OVERSIZE);
		}
		return;
	}
	if (d->blk_discard)
		return;
	s = h2_stream_find(c, d->blk_sid);
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
			h2_uri_set(c, s, nv->value, nv->valuelen);
		}
		sess_add_hdr(ev, (const char *)nv->name, nv->namelen,
			     (const char *)nv->value, nv->valuelen);
		sess_req_hdr(ev, (const char *)nv->name, nv->namelen,
			     (const char *)nv->value, nv->valuelen);
		return;
	}
	if (!d->blk_trailer && nv->namelen && nv->name[0] != ':')
		sess_resp_hdr(ev, (const char *)nv->name, nv->namelen,
			      (const char *)nv->value, nv->valuelen);
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

/* A dynamic table size update between two fields of a block: RFC 7541 4.2
 * wants it at the block's start and nghttp2 refuses it anywhere else, but
 * nginx applies it where it stands and reads on. The block so far is ended
 * in the inflater (it is between fields: nothing is cut) so the update
 * starts the rest as a new block; the table sees the same inserts, evictions
 * and size changes in the same order. 0, or -1 when the inflater would not
 * end there (the caller then lets nghttp2 fail on the byte). */
static int hd_split_at_update(struct h2_dir *d)
{
	nghttp2_nv nv;
	int fl = 0;

	if (nghttp2_hd_inflate_hd2(d->hd, &nv, &fl, NULL, 0, 1) < 0 ||
	    !(fl & NGHTTP2_HD_INFLATE_FINAL))
		return -1;
	nghttp2_hd_inflate_end_headers(d->hd);
	d->hd_between = 0;
	return 0;
}

/* Feed block bytes to the inflater; final marks the end of the block. */
static void hd_feed(struct h2_conn *c, enum sess_dir dir, const uint8_t *in,
		    size_t len, int final)
{
	struct h2_dir *d = &c->d[dir];

	for (;;) {
		nghttp2_nv nv;
		int fl = 0;
		ssize_t rv;

		if (d->hd_between && len && (in[0] & 0xe0) == 0x20)
			hd_split_at_update(d);
		rv = nghttp2_hd_inflate_hd2(d->hd, &nv, &fl, in, len, final);
		if (rv < 0) {
			struct h2_stream *s = h2_stream_find(c, d->blk_sid);

			/* In a fresh (uncertain) inflater this is the expected
			 * reference into the unknown table, not an attack. */
			if (d->hd_state == HD_OK) {
				h2_anom_add(c, s, H2_ANOM_BAD_HPACK);
				/* nghttp2 refuses what nginx may read (a Huffman
				 * string padded past 7 bits): the later blocks are
				 * read as after a gap, with a fresh inflater, not
				 * given up (a server that refused it closes the
				 * connection anyway) */
				d->hd_state = HD_FRESH;
			}
			if (s)
				s->ev.flags |= SESS_F_PARTIAL;
			h2_stream_hd_lost(c, d);
			return;
		}
		if (rv > 0) { /* in may be NULL for an empty block */
			in += rv;
			len -= (size_t)rv;
		}
		/* between fields after an emit; inside one when bytes were
		 * taken without (a start-of-block size update there is
		 * nghttp2's own to take) */
		if (fl & NGHTTP2_HD_INFLATE_EMIT)
			d->hd_between = 1;
		else if (rv > 0)
			d->hd_between = 0;
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

void h2_stream_block_start(struct h2_conn *c, enum sess_dir dir,
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
	d->hd_between = 0;
	d->blk_skip = d->hd_state == HD_BROKEN;
	d->blk_trailer = s && (dir == SESS_DIR_REQ ? s->req_hdrs : s->resp_hdrs);
	if (s && d->blk_skip)
		s->ev.flags |= SESS_F_PARTIAL;
}

void h2_stream_block_bytes(struct h2_conn *c, enum sess_dir dir,
		     const uint8_t *p, size_t n)
{
	struct h2_dir *d = &c->d[dir];

	d->blk_bytes += (uint32_t)n;
	if (d->blk_bytes > H2_MAX_BLOCK && !d->blk_skip) {
		struct h2_stream *s = h2_stream_find(c, d->blk_sid);

		/* counted once per block, whichever cap is hit first */
		if (!d->blk_over_list)
			h2_anom_add(c, s, H2_ANOM_HDR_LIST_OVERSIZE);
		d->blk_over_list = 1;
		if (d->blk_conts && !d->blk_flood) {
			d->blk_flood = 1;
			h2_anom_add(c, s, H2_ANOM_CONTINUATION_FLOOD);
		}
		if (s)
			s->ev.flags |= SESS_F_PARTIAL;
		h2_stream_hd_lost(c, d);
	}
	if (!d->blk_skip && n)
		hd_feed(c, dir, p, n, 0);
}

void h2_stream_end(struct h2_conn *c, struct h2_stream *s, enum sess_dir dir)
{
	if (dir == SESS_DIR_REQ) {
		s->req_end = 1;
		s->ev.req_end_ns = c->d[dir].ts;
		h2_stream_judge_body(c, s);
		if (!s->resp_end && !(s->ev.flags & SESS_F_REQ_SEEN)) {
			sess_emit_request(&c->sink, &s->ev);
			s->body_judged = s->ev.body_len;
			s->judged_trunc = !!(s->ev.trunc & SESS_TRUNC_BODY);
		}
		if (c->win_sid == s->id)
			h2_stream_win_flush(c);
	} else {
		s->resp_end = 1;
	}
	if (s->req_end && s->resp_end)
		h2_stream_emit(c, s, 0);
}

/* End of a header block: apply it to its stream. aborted: it never ended. */
void h2_stream_block_finish(struct h2_conn *c, enum sess_dir dir, int aborted)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_stream *s;

	if (!d->blk_skip && !aborted)
		hd_feed(c, dir, NULL, 0, 1);
	if (aborted)
		h2_stream_hd_lost(c, d);
	d->blk_open = 0;
	if (d->blk_skip && d->hd_state == HD_FRESH)
		h2_stream_hd_fresh(d);
	else if (d->hd_state == HD_BROKEN)
		hd_drop(d);
	else if (d->hd && d->hd_state == HD_OK)
		nghttp2_hd_inflate_change_table_size(d->hd, d->hd_max);
	if (d->blk_discard)
		return;
	s = h2_stream_find(c, d->blk_sid);
	if (!s)
		return;
	if (aborted)
		s->ev.flags |= SESS_F_PARTIAL;
	if (dir == SESS_DIR_REQ) {
		s->req_hdrs = 1;
		/* Judged as soon as its headers are complete, END_STREAM or
		 * not: a stream kept open is judged on what arrived (its
		 * body follows in windows, h2_stream_judge_body). */
		if (!d->blk_trailer && !aborted && !d->blk_end_stream && !s->resp_end &&
		    !(s->ev.flags & SESS_F_REQ_SEEN)) {
			sess_emit_request(&c->sink, &s->ev);
			s->body_judged = s->ev.body_len;
		}
	} else if (!d->blk_trailer && s->ev.status / 100 != 1) {
		s->resp_hdrs = 1; /* 1xx is informational: more headers follow */
	} else if (!d->blk_trailer) {
		sess_resp_interim(&s->ev); /* its type and coding are not the body's */
	}
	if (d->blk_end_stream && !aborted)
		h2_stream_end(c, s, dir);
}

/* ---- frame payloads --------------------------------------------------- */

/* The stream a DATA or HEADERS frame belongs to, created when it opens one;
 * NULL when it is not tracked. */
struct h2_stream *h2_stream_of_frame(struct h2_conn *c, enum sess_dir dir)
{
	struct h2_dir *d = &c->d[dir];
	uint32_t sid = d->fsid;
	int headers = d->ftype == H2_FT_HEADERS;
	struct h2_stream *s = h2_stream_find(c, sid);

	if (s)
		return s;
	if (!(sid & 1))
		return NULL; /* server push: decoded for HPACK, not reported */
	if (closed_recently(c, sid) || (!c->loose && sid <= c->max_client_sid)) {
		/* The server may still answer a stream the client reset. */
		if (dir == SESS_DIR_REQ)
			h2_anom_add(c, NULL, H2_ANOM_FRAME_ON_CLOSED_STREAM);
		return NULL;
	}
	if (dir == SESS_DIR_REQ && headers) {
		unsigned open = c->nst;

		s = h2_stream_new(c, sid, 0);
		if (s && open >= c->server_max_streams)
			h2_anom_add(c, s, H2_ANOM_STREAMS_OVER_MAX);
	} else if (c->loose) {
		/* Joined after this stream began: what we see is certain,
		 * the start is not. */
		s = h2_stream_new(c, sid, 1);
		if (s && dir == SESS_DIR_RESP)
			s->req_hdrs = 1;
	} else {
		/* DATA on an idle stream, or a server frame on one never
		 * requested. */
		if (dir == SESS_DIR_REQ)
			h2_anom_add(c, NULL, H2_ANOM_PROTOCOL_ERROR);
		return NULL;
	}
	if (s && sid > c->max_client_sid)
		c->max_client_sid = sid;
	return s;
}

/* A compressed gRPC message's plain bytes past the kept prefix (grpc.h),
 * of the stream whose DATA is being fed: judged in its body windows. */
static void grpc_past(void *ctx, const uint8_t *p, size_t n)
{
	struct h2_conn *c = ctx;
	struct h2_stream *s = h2_stream_find(c, c->d[SESS_DIR_REQ].fsid);

	if (s)
		win_body(c, s, p, n);
}

void h2_stream_data_bytes(struct h2_conn *c, enum sess_dir dir,
		    const uint8_t *p, size_t n)
{
	struct h2_stream *s = h2_stream_find(c, c->d[dir].fsid);

	if (!s)
		return;
	if (dir == SESS_DIR_REQ) {
		s->ev.req_body_bytes += n;
		size_t room = SESS_MAX_BODY - s->ev.body_len;

		if (s->grpc) {
			s->msg[dir].past = grpc_past;
			s->msg[dir].past_ctx = c;
			s->msg[dir].mem = &c->d[dir].grpc_bytes;
			grpc_msgp_feed(&s->msg[dir], p, n, &s->ev);
			/* past the kept messages: the raw DATA in windows, read
			 * as a gRPC body is (its printable runs), so a message
			 * after a 4 KiB one is judged too (compressed ones
			 * there count grpc.coded_unjudged) */
			size_t past = s->ev.req_body_bytes > SESS_MAX_BODY ?
					      s->ev.req_body_bytes - SESS_MAX_BODY : 0;

			/* the raw bytes before the windows start are their
			 * overlap: the kept prefix holds message bytes without
			 * their 5-byte headers, so its tail ends later in the
			 * stream than raw byte 4096 and would repeat bytes */
			if (!s->win_judged && past < n)
				raw_tail_add(s, p, n - past);
			if (past) {
				s->win_raw = 1;
				win_body(c, s, past < n ? p + n - past : p, past < n ? past : n);
				s->win_raw = 0;
			}
		} else {
			sess_add_body(&s->ev, p, n);
			if (n > room) {
				/* past the prefix: the prefix is judged first
				 * (again, cut, when coded), the rest in windows */
				h2_stream_judge_body(c, s);
				win_body(c, s, p + room, n - room);
			}
		}
	} else {
		s->ev.resp_body_bytes += n;
		sess_add_resp_body(&s->ev, p, n);
		if (s->grpc)
			grpc_msgp_feed(&s->msg[dir], p, n, NULL);
	}
}
