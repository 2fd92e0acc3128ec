/* h1_win.h - what a request's event cannot keep is still judged (HTTP/1
 * decoder, private to h1*.c).
 *
 * The event keeps SESS_MAX_HDRS headers (SESS_HDR_ARENA bytes) and the
 * first SESS_MAX_BODY bytes of the body; a server reads far more (nginx:
 * headers up to 4 x 8 KiB, bodies up to client_max_body_size, 1 MiB). The
 * rest goes through a window event (flag SESS_F_WINDOW, the request's
 * method, authority, path and query, no anomalies) handed to the sink's
 * request callback each time it fills: headers in tables of their own,
 * body bytes in windows of SESS_MAX_BODY overlapping by H1_WIN_OVERLAP.
 * Body bytes past H1_SCAN_BODY_MAX per request are counted, not judged:
 * H1_ANOM_BODY_UNJUDGED, once per request. A path or query past its bound
 * goes through URI windows the same way (h1_win_uri). One window per connection,
 * allocated on first use. */
#ifndef SW_H1_WIN_H
#define SW_H1_WIN_H

#include <stddef.h>

struct h1_conn;
struct h1_rec;

/* A request header the event had no room for. */
void h1_win_hdr(struct h1_conn *c, struct h1_rec *r, const char *name,
	       size_t nl, const char *val, size_t vl);
/* Request body bytes past the kept prefix. */
void h1_win_body(struct h1_conn *c, struct h1_rec *r, const char *at,
		size_t len);
/* Path (query 0) or query (query 1) bytes past what the event keeps:
 * windows of up to SESS_MAX_PATH / SESS_MAX_QUERY - 1 bytes overlapping by
 * H1_WIN_OVERLAP, the first with the kept field's last bytes, flagged
 * SESS_F_WIN_URI; past H1_SCAN_URI_MAX per request counted, not judged:
 * H1_ANOM_URI_UNJUDGED. */
void h1_win_uri(struct h1_conn *c, struct h1_rec *r, int query, const char *at, size_t len);
/* Judge what the window holds (a request's headers ended, the request
 * ended or was cut). */
void h1_win_flush(struct h1_conn *c);

#endif /* SW_H1_WIN_H */
