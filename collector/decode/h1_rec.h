/* h1_rec.h - the HTTP/1 decoder's exchange records and request FIFO
 * (h1_rec.c). Private to the decoder: h1.c and h1_msg.c use it, the
 * structs are in h1_int.h. */
#ifndef SW_H1_REC_H
#define SW_H1_REC_H

#include <stdint.h>

#include "collector/decode/h1_int.h"

/* A fresh record (the spare if there is one), or NULL. */
struct h1_rec *h1_rec_get(struct h1_conn *c);
/* Give r back; the upgrade's request is kept. NULL ok. */
void h1_rec_put(struct h1_conn *c, struct h1_rec *r);
/* The oldest queued exchange, taken out (the FIFO must not be empty). */
struct h1_rec *h1_rec_pop(struct h1_conn *c);
/* Forget the newest request r, or keep it as partial if a response pairs
 * with it already. */
void h1_rec_drop_tail(struct h1_conn *c, struct h1_rec *r);
/* Emit r's event and give r back. */
void h1_rec_emit(struct h1_conn *c, struct h1_rec *r);
/* An unqueued request r has ended: judged, emitted unpaired, its answer
 * to be skipped. */
void h1_rec_unqueued_done(struct h1_conn *c, struct h1_rec *r);
/* Emit the finished exchanges at the head of the FIFO, in request order. */
void h1_rec_flush_done(struct h1_conn *c);
/* Emit every queued exchange as it stands (unanswered ones end at ts_ns
 * or their request's end). */
void h1_rec_drain(struct h1_conn *c, uint64_t ts_ns);

#endif /* SW_H1_REC_H */
