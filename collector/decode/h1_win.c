/* h1_win.c - windows over what a request's event cannot keep; see
 * h1_win.h. */
#include "collector/decode/h1_win.h"
#include "collector/decode/h1_int.h"

#include <stdlib.h>
#include <string.h>

enum { WIN_NONE = 0, WIN_HDRS, WIN_BODY, WIN_PATH, WIN_QUERY };

/* Start a window of this kind for r (judging any other first), seeded
 * with seed[0, n). NULL when nobody judges requests or out of memory. */
static struct sess_event *win_open(struct h1_conn *c, struct h1_rec *r, int kind,
				   const void *seed, size_t n)
{
	struct sess_event *w;
	const char *ct;
	size_t ctl = 0;

	if (!c->sink.request)
		return NULL;
	if (c->win_kind == kind && c->win_rec == r)
		return c->win;
	h1_win_flush(c);
	if (!c->win && !(c->win = malloc(sizeof(*c->win))))
		return NULL;
	w = c->win;
	sess_event_init(w, SESS_PROTO_HTTP1, c->conn);
	w->flags = SESS_F_WINDOW;
	w->req_ns = r->ev.req_ns;
	memcpy(w->method, r->ev.method, sizeof(w->method));
	memcpy(w->authority, r->ev.authority, sizeof(w->authority));
	memcpy(w->path, r->ev.path, sizeof(w->path));
	memcpy(w->query, r->ev.query, sizeof(w->query));
	w->n_hdrs = w->hdr_arena_len = w->body_len = w->n_anom = 0;
	if (kind == WIN_PATH || kind == WIN_QUERY) {
		/* the other field empty: each URI byte is judged once */
		char *f = kind == WIN_PATH ? w->path : w->query;

		w->path[0] = w->query[0] = '\0';
		memcpy(f, seed, n);
		f[n] = '\0';
		w->flags |= SESS_F_WIN_URI;
	}
	if (kind == WIN_BODY) {
		/* the body is read as the request says it is (form, JSON) */
		ct = sess_get_hdr(&r->ev, "content-type", &ctl);
		if (ct)
			sess_add_hdr(w, "content-type", 12, ct, ctl);
		w->req_coding = r->ev.req_coding; /* mid-body: not decodable */
		memcpy(w->req_coding_name, r->ev.req_coding_name, sizeof(w->req_coding_name));
		sess_add_body(w, seed, n);
	}
	c->win_kind = (uint8_t)kind;
	c->win_rec = r;
	return w;
}

void h1_win_flush(struct h1_conn *c)
{
	struct sess_event *w = c->win;

	if (!c->win_kind)
		return;
	c->win_kind = WIN_NONE;
	c->win_rec = NULL;
	if (w->n_hdrs || w->body_len || (w->flags & SESS_F_WIN_URI))
		c->sink.request(c->sink.ctx, w);
}

void h1_win_hdr(struct h1_conn *c, struct h1_rec *r, const char *name,
	       size_t nl, const char *val, size_t vl)
{
	struct sess_event *w = win_open(c, r, WIN_HDRS, NULL, 0);

	if (!w || sess_add_hdr(w, name, nl, val, vl) == 0)
		return;
	h1_win_flush(c); /* full: judge these, start another */
	w = win_open(c, r, WIN_HDRS, NULL, 0);
	if (w)
		sess_add_hdr(w, name, nl, val, vl);
}

void h1_win_body(struct h1_conn *c, struct h1_rec *r, const char *at, size_t len)
{
	char tail[H1_WIN_OVERLAP];
	struct sess_event *w;

	while (len) {
		size_t n, room;

		if (r->body_judged >= H1_SCAN_BODY_MAX) {
			if (!r->body_unjudged) {
				r->body_unjudged = 1;
				h1_anom_add(c, r, H1_ANOM_BODY_UNJUDGED);
			}
			return;
		}
		if (c->win_kind != WIN_BODY || c->win_rec != r) {
			/* the first window overlaps the kept prefix */
			n = r->ev.body_len < H1_WIN_OVERLAP ? r->ev.body_len : H1_WIN_OVERLAP;
			w = win_open(c, r, WIN_BODY, r->ev.body + r->ev.body_len - n, n);
		} else if (c->win->body_len >= SESS_MAX_BODY) {
			/* full: judge it; the next starts with its last bytes */
			memcpy(tail, c->win->body + SESS_MAX_BODY - H1_WIN_OVERLAP,
			       H1_WIN_OVERLAP);
			h1_win_flush(c);
			w = win_open(c, r, WIN_BODY, tail, H1_WIN_OVERLAP);
		} else {
			w = c->win;
		}
		if (!w)
			return;
		room = SESS_MAX_BODY - w->body_len;
		n = len < room ? len : room;
		if (n > H1_SCAN_BODY_MAX - r->body_judged)
			n = (size_t)(H1_SCAN_BODY_MAX - r->body_judged);
		sess_add_body(w, at, n);
		r->body_judged += n;
		at += n;
		len -= n;
	}
}

void h1_win_uri(struct h1_conn *c, struct h1_rec *r, int query, const char *at, size_t len)
{
	_Static_assert(SESS_MAX_PATH - 1 > H1_WIN_OVERLAP && SESS_MAX_QUERY - 1 > H1_WIN_OVERLAP,
		       "URI windows advance");
	int kind = query ? WIN_QUERY : WIN_PATH;
	size_t cap = (query ? SESS_MAX_QUERY : SESS_MAX_PATH) - 1;
	char tail[H1_WIN_OVERLAP];

	while (len) {
		struct sess_event *w;
		char *f;
		size_t have, n;

		if (r->uri_judged >= H1_SCAN_URI_MAX) {
			if (!r->uri_unjudged) {
				r->uri_unjudged = 1;
				h1_anom_add(c, r, H1_ANOM_URI_UNJUDGED);
			}
			return;
		}
		if (c->win_kind != kind || c->win_rec != r) {
			/* the first window overlaps the kept field */
			const char *k = query ? r->ev.query : r->ev.path;
			size_t kl = strlen(k), o = kl < H1_WIN_OVERLAP ? kl : H1_WIN_OVERLAP;

			w = win_open(c, r, kind, k + kl - o, o);
		} else if (strlen(query ? c->win->query : c->win->path) >= cap) {
			/* full: judge it; the next starts with its last bytes */
			memcpy(tail, (query ? c->win->query : c->win->path) + cap - H1_WIN_OVERLAP,
			       H1_WIN_OVERLAP);
			h1_win_flush(c);
			w = win_open(c, r, kind, tail, H1_WIN_OVERLAP);
		} else {
			w = c->win;
		}
		if (!w)
			return;
		f = query ? w->query : w->path;
		have = strlen(f);
		n = len < cap - have ? len : cap - have;
		if (n > H1_SCAN_URI_MAX - r->uri_judged)
			n = H1_SCAN_URI_MAX - r->uri_judged;
		memcpy(f + have, at, n);
		f[have + n] = '\0';
		r->uri_judged += (uint32_t)n;
		at += n;
		len -= n;
	}
}
