/* h2_stream.h - the stream half of the HTTP/2 decoder (h2_stream.c): the
 * stream table, HPACK and header blocks, DATA and stream events. Only h2.c
 * calls it; the structs are in h2_int.h.
 */
#ifndef SW_H2_STREAM_H
#define SW_H2_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/h2.h"

struct h2_stream;
struct h2_dir;

/* The stream table. */
struct h2_stream *h2_stream_find(struct h2_conn *c, uint32_t id);
/* Emit the stream's event, then forget and free the stream. */
void h2_stream_emit(struct h2_conn *c, struct h2_stream *s, uint32_t flags);
struct h2_stream *h2_stream_new(struct h2_conn *c, uint32_t id, int partial);
void h2_stream_mark_all_partial(struct h2_conn *c);
/* END_STREAM from dir: the request is judged, a finished stream emitted. */
void h2_stream_end(struct h2_conn *c, struct h2_stream *s, enum sess_dir dir);
/* Request body bytes kept since the stream's request was judged (before
 * END_STREAM): judged now, in a window event (SESS_F_WINDOW) that starts
 * up to H2_WIN_OVERLAP bytes before them. Nothing when nothing is new or
 * the request was not judged yet (its whole event will be). */
void h2_stream_judge_body(struct h2_conn *c, struct h2_stream *s);
/* The window of body past the kept prefix being filled (c->win), if it
 * holds bytes not judged yet: judged now. */
void h2_stream_win_flush(struct h2_conn *c);

/* A direction's HPACK inflater: replaced by an empty one (0 or -ENOMEM),
 * its table size raised by the peer's SETTINGS, or its exactness lost. */
/* A new inflater for d whose every allocation is counted in d->hd_bytes
 * (nghttp2 sizes a header's buffer by the length announced, before its
 * bytes come: the budget must see that). 0 or -ENOMEM. */
int h2_stream_hd_new(struct h2_dir *d);
int h2_stream_hd_fresh(struct h2_dir *d);
void h2_stream_hd_set_max(struct h2_dir *d, uint32_t v);
void h2_stream_hd_lost(struct h2_conn *c, struct h2_dir *d);

/* A header block (HEADERS/PUSH_PROMISE + CONTINUATION) of dir: opened by
 * the frame now being read, its fragment bytes, its end (aborted: it never
 * ended). */
void h2_stream_block_start(struct h2_conn *c, enum sess_dir dir,
		     struct h2_stream *s, int discard);
void h2_stream_block_bytes(struct h2_conn *c, enum sess_dir dir,
		     const uint8_t *p, size_t n);
void h2_stream_block_finish(struct h2_conn *c, enum sess_dir dir, int aborted);

/* The stream of the DATA or HEADERS frame being read, opened if needed. */
struct h2_stream *h2_stream_of_frame(struct h2_conn *c, enum sess_dir dir);
/* DATA payload bytes of the frame being read, into its stream's event. */
void h2_stream_data_bytes(struct h2_conn *c, enum sess_dir dir,
		    const uint8_t *p, size_t n);

#endif /* SW_H2_STREAM_H */
