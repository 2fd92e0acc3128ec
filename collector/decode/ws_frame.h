/* ws_frame.h - the frame half of the WebSocket decoder (ws_frame.c): a
 * frame's header decoded, its payload bytes, its end. Only ws.c calls it;
 * the structs are in ws_int.h.
 */
#ifndef SW_WS_FRAME_H
#define SW_WS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/ws.h"

struct ws_side;

/* s->hdr holds a complete frame header of dir: decide what the payload
 * is (a zero-length frame ends here too). */
void ws_frame_begin(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		     uint64_t ts);
/* n payload bytes of the current frame (n <= s->remain); data NULL = gap. */
void ws_frame_payload(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		 const uint8_t *data, size_t n);
/* The current frame's payload is all in: finish its message or control
 * frame. */
void ws_frame_end(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		   uint64_t ts);

#endif /* SW_WS_FRAME_H */
