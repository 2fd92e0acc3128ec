/* ws_event.c - what the WebSocket decoder says: anomaly counts (per
 * connection and process-wide) and the open, periodic and close events.
 * Both halves of the decoder (ws.c, ws_frame.c) report through here. */
#include "collector/decode/ws_event.h"
#include "collector/decode/ws_int.h"

#include <string.h>

const char *const ws_anom_names[WS_ANOM__COUNT] = {
	[WS_ANOM_UNMASKED_CLIENT] = "ws.unmasked_client",
	[WS_ANOM_MASKED_SERVER] = "ws.masked_server",
	[WS_ANOM_RSV_BITS] = "ws.rsv_bits",
	[WS_ANOM_RESERVED_OPCODE] = "ws.reserved_opcode",
	[WS_ANOM_OVERSIZE_FRAME] = "ws.oversize_frame",
	[WS_ANOM_OVERSIZE_MESSAGE] = "ws.oversize_message",
	[WS_ANOM_FRAGMENT_STORM] = "ws.fragment_storm",
	[WS_ANOM_MESSAGE_FLOOD] = "ws.message_flood",
	[WS_ANOM_CONTROL_ABUSE] = "ws.control_abuse",
	[WS_ANOM_INVALID_UTF8] = "ws.invalid_utf8",
	[WS_ANOM_FOREIGN_ORIGIN] = "ws.foreign_origin",
	[WS_ANOM_BAD_ACCEPT] = "ws.bad_accept",
	[WS_ANOM_BAD_CONTINUATION] = "ws.bad_continuation",
	[WS_ANOM_DATA_AFTER_CLOSE] = "ws.data_after_close",
	[WS_ANOM_BAD_CLOSE_CODE] = "ws.bad_close_code",
	[WS_ANOM_GAP] = "ws.gap",
	[WS_ANOM_NONMINIMAL_LENGTH] = "ws.nonminimal_length",
	[WS_ANOM_MESSAGE_UNJUDGED] = "ws.message_unjudged",
	[WS_ANOM_CODED_UNJUDGED] = "ws.coded_unjudged",
};

/* Process-wide totals; several collector threads may decode at once. */
static uint64_t ws_total[WS_ANOM__COUNT];

void ws_event_anom(struct ws_conn *c, enum ws_anom k)
{
	c->anoms[k]++;
	__atomic_fetch_add(&ws_total[k], 1, __ATOMIC_RELAXED);
}

void ws_totals(uint64_t out[WS_ANOM__COUNT])
{
	int i;

	for (i = 0; i < WS_ANOM__COUNT; i++)
		out[i] = __atomic_load_n(&ws_total[i], __ATOMIC_RELAXED);
}

static void put_str(char *dst, size_t cap, const char *s, struct sess_event *ev,
		    uint32_t bit)
{
	if (s)
		sess_append(dst, cap, s, strlen(s), ev, bit);
}

/* The fields every event of c carries: handshake, counters. */
static void fill_common(struct ws_conn *c, struct sess_event *ev,
			enum sess_ws_phase phase)
{
	sess_event_init(ev, SESS_PROTO_WEBSOCKET, c->conn);
	ev->ws_phase = phase;
	ev->flags = c->flags | SESS_F_UPGRADE;
	ev->trunc = c->trunc;
	ev->req_ns = c->req_ns;
	ev->resp_ns = c->resp_ns;
	ev->end_ns = c->last_ns;
	if (c->have_hs) {
		put_str(ev->method, sizeof(ev->method), "GET", ev, SESS_TRUNC_METHOD);
		ev->status = 101;
	}
	put_str(ev->authority, sizeof(ev->authority), c->authority, ev, SESS_TRUNC_AUTHORITY);
	put_str(ev->path, sizeof(ev->path), c->path, ev, SESS_TRUNC_PATH);
	put_str(ev->query, sizeof(ev->query), c->query, ev, SESS_TRUNC_QUERY);
	put_str(ev->origin, sizeof(ev->origin), c->origin, ev, SESS_TRUNC_AUTHORITY);
	put_str(ev->subprotocol, sizeof(ev->subprotocol), c->subprotocol, ev, 0);
	ev->req_bytes = c->st.wire_bytes[SESS_DIR_REQ];
	ev->resp_bytes = c->st.wire_bytes[SESS_DIR_RESP];
	ev->req_body_bytes = c->st.payload_bytes[SESS_DIR_REQ];
	ev->resp_body_bytes = c->st.payload_bytes[SESS_DIR_RESP];
	ev->client_msgs = c->st.msgs[SESS_DIR_REQ];
	ev->server_msgs = c->st.msgs[SESS_DIR_RESP];
	ev->client_bytes = c->st.payload_bytes[SESS_DIR_REQ];
	ev->server_bytes = c->st.payload_bytes[SESS_DIR_RESP];
	ev->close_code = c->st.close_code;
}

/* The connection's cumulative anomalies; always, or (changed_only) only
 * when they grew since the last event that carried them. */
static void put_anoms(struct ws_conn *c, struct sess_event *ev, int changed_only)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < WS_ANOM__COUNT; i++)
		sum += c->anoms[i];
	if (changed_only && sum == c->anom_sent)
		return;
	c->anom_sent = sum;
	for (i = 0; i < WS_ANOM__COUNT; i++) {
		if (c->anoms[i])
			sess_anom_add(ev, ws_anom_names[i],
				      c->anoms[i] > UINT32_MAX ? UINT32_MAX
							       : (uint32_t)c->anoms[i]);
	}
}

void ws_event_message(struct ws_conn *c, uint64_t start_ns, uint64_t end_ns)
{
	/* on the stack: sess_event_init clears only the small head */
	struct sess_event ev;

	if (!c->sink.request)
		return;
	fill_common(c, &ev, SESS_WS_PERIODIC);
	ev.req_ns = start_ns;
	ev.req_end_ns = end_ns;
	ev.end_ns = end_ns;
	sess_add_body(&ev, c->pfx_cur, c->cur_len);
	if (c->cur_trunc)
		ev.trunc |= SESS_TRUNC_BODY;
	put_anoms(c, &ev, 1);
	c->sink.request(c->sink.ctx, &ev);
}

void ws_event_emit(struct ws_conn *c, enum sess_ws_phase phase)
{
	/* ~18 KiB on the stack rather than per connection: events are rare */
	struct sess_event ev;

	fill_common(c, &ev, phase);
	if (c->last_pending) {
		sess_add_body(&ev, c->pfx_last, c->last_len);
		if (c->last_trunc)
			ev.trunc |= SESS_TRUNC_BODY;
		c->last_pending = 0;
	}
	put_anoms(c, &ev, 0);
	sess_emit(&c->sink, &ev);
}

void ws_event_periodic(struct ws_conn *c, uint64_t now)
{
	if (!c->cfg.summary_interval_ns || c->close_sent || !c->next_due ||
	    now < c->next_due)
		return;
	ws_event_emit(c, SESS_WS_PERIODIC);
	c->next_due = now + c->cfg.summary_interval_ns;
}

void ws_event_close(struct ws_conn *c)
{
	if (c->close_sent)
		return;
	c->close_sent = 1;
	ws_event_emit(c, SESS_WS_CLOSE);
}
