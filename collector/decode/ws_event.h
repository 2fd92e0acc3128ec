/* ws_event.h - the WebSocket decoder's reports (ws_event.c): an anomaly
 * counted, the open, periodic and close events. Called by ws.c and
 * ws_frame.c; calls only the session layer (sess.h). Private to the
 * decoder. */
#ifndef SW_WS_EVENT_H
#define SW_WS_EVENT_H

#include <stdint.h>

#include "collector/decode/ws.h"

/* Count k on c and in the process totals (ws_totals). */
void ws_event_anom(struct ws_conn *c, enum ws_anom k);
/* One event of the given phase with c's fields, stats and anomalies. */
void ws_event_emit(struct ws_conn *c, enum sess_ws_phase phase);
/* One client text message (or a window of a long one) in c->pfx_cur,
 * handed to the sink's request callback to be judged now. */
void ws_event_message(struct ws_conn *c, uint64_t start_ns, uint64_t end_ns);
/* A periodic summary if one is due at now. */
void ws_event_periodic(struct ws_conn *c, uint64_t now);
/* The close event, once. */
void ws_event_close(struct ws_conn *c);

#endif /* SW_WS_EVENT_H */
