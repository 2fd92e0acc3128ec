/* h2_anom.c - the HTTP/2 decoder's anomalies: names, counts on the
 * connection, in the stream's event (or pending for the next event), and
 * process-wide totals. Both halves of the decoder (h2.c, h2_stream.c) count
 * through here; it calls only the session layer. */
#include "collector/decode/h2_int.h"

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
	[H2_ANOM_BODY_UNJUDGED] = "h2.body_unjudged",
};

/* Process-wide totals; several collector threads may decode at once. */
static uint64_t h2_tot[H2_ANOM__COUNT];

/* Count an anomaly on the connection and in the event of stream s; without
 * a stream it waits for the next event emitted on this connection. */
void h2_anom_add(struct h2_conn *c, struct h2_stream *s, enum h2_anom k)
{
	c->anoms[k]++;
	__atomic_fetch_add(&h2_tot[k], 1, __ATOMIC_RELAXED);
	if (s)
		sess_anom_add(&s->ev, h2_anom_names[k], 1);
	else
		c->pend[k]++;
}

void h2_totals(uint64_t out[H2_ANOM__COUNT])
{
	int k;

	for (k = 0; k < H2_ANOM__COUNT; k++)
		out[k] = __atomic_load_n(&h2_tot[k], __ATOMIC_RELAXED);
}
