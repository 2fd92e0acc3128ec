/* h2_uri.c - a request's :path into its stream's event (see h2_uri.h).
 *
 * Where the path ends. nginx ends $uri (what its locations match) at the
 * first '?' or '#': "/api/a#f?id=1" runs location /api/ for "/api/a" with
 * empty $args. The bytes after a '#' still reach an application behind
 * proxy_pass (which forwards the :path as it came), so they are not
 * dropped: after a '#' they are all the query (judged as a query is), after
 * a '?' the query is the rest, '#' and all.
 */
#include "collector/decode/h2_uri.h"

#include <string.h>

#include "collector/decode/h2_int.h"

/* Length of the path in v[0..len); *rest: where the query starts (len when
 * there is none). */
static size_t uri_split(const uint8_t *v, size_t len, size_t *rest)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (v[i] == '?' || v[i] == '#') {
			*rest = i + 1;
			return i;
		}
	}
	*rest = len;
	return len;
}

static void set_path(struct sess_event *ev, const uint8_t *v, size_t len)
{
	size_t rest, plen = uri_split(v, len, &rest);

	ev->path[0] = ev->query[0] = '\0';
	sess_append(ev->path, sizeof(ev->path), v, plen, ev, SESS_TRUNC_PATH);
	if (rest < len)
		sess_append(ev->query, sizeof(ev->query), v + rest, len - rest,
			    ev, SESS_TRUNC_QUERY);
}

/* Path (query 0) or query bytes p[0..n) of a :path past what the event
 * keeps (cap bytes) go to the request sink in URI windows of cap bytes
 * overlapping by H2_URI_OVERLAP, the first with the kept bytes' last: the
 * query of a request padded past SESS_MAX_QUERY is judged all the same.
 * Bounded by the header list limit (H2_MAX_HDR_LIST). */
static void judge_uri_part(struct h2_conn *c, struct h2_stream *s, int query,
			   const uint8_t *p, size_t n, size_t cap)
{
	struct sess_event w; /* on the stack: init clears only the head */

	if (n <= cap || !c->sink.request)
		return;
	for (size_t from = cap - H2_URI_OVERLAP;; from += cap - H2_URI_OVERLAP) {
		size_t l = n - from < cap ? n - from : cap;
		char *f;

		sess_event_init(&w, s->grpc ? SESS_PROTO_GRPC : SESS_PROTO_HTTP2, c->conn);
		w.flags = SESS_F_WINDOW | SESS_F_WIN_URI;
		w.stream_id = s->id;
		w.req_ns = s->ev.req_ns;
		memcpy(w.method, s->ev.method, sizeof(w.method));
		memcpy(w.authority, s->ev.authority, sizeof(w.authority));
		w.path[0] = w.query[0] = '\0';
		f = query ? w.query : w.path;
		memcpy(f, p + from, l);
		f[l] = '\0';
		c->sink.request(c->sink.ctx, &w);
		if (from + l >= n)
			return;
	}
}

static void judge_long_uri(struct h2_conn *c, struct h2_stream *s, const uint8_t *v, size_t len)
{
	_Static_assert(SESS_MAX_PATH - 1 > H2_URI_OVERLAP && SESS_MAX_QUERY - 1 > H2_URI_OVERLAP,
		       "URI windows advance");
	size_t rest, plen = uri_split(v, len, &rest);

	judge_uri_part(c, s, 0, v, plen, SESS_MAX_PATH - 1);
	if (rest < len)
		judge_uri_part(c, s, 1, v + rest, len - rest, SESS_MAX_QUERY - 1);
}

void h2_uri_set(struct h2_conn *c, struct h2_stream *s, const uint8_t *v, size_t len)
{
	set_path(&s->ev, v, len);
	judge_long_uri(c, s, v, len);
}
