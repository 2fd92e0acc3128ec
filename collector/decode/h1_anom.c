/* h1_anom.c - the HTTP/1 decoder's anomalies: names, counts on the
 * connection and in the exchange's event, process-wide totals. Every part
 * of the decoder counts through here; it calls only the session layer. */
#include "collector/decode/h1_int.h"

const char *const h1_anom_names[H1_ANOM__COUNT] = {
	[H1_ANOM_PARSE_ERROR] = "h1.parse_error",
	[H1_ANOM_HDR_OVERSIZE] = "h1.hdr_oversize",
	[H1_ANOM_URI_OVERSIZE] = "h1.uri_oversize",
	[H1_ANOM_CL_TE] = "h1.cl_te",
	[H1_ANOM_DUP_CL] = "h1.dup_cl",
	[H1_ANOM_TE_OBFUSCATED] = "h1.te_obfuscated",
	[H1_ANOM_TE_ON_GET] = "h1.te_on_get",
	[H1_ANOM_GAP] = "h1.gap",
	[H1_ANOM_RESP_WITHOUT_REQ] = "h1.resp_without_req",
	[H1_ANOM_PIPELINE_OVERFLOW] = "h1.pipeline_overflow",
	[H1_ANOM_DUP_TE] = "h1.dup_te",
	[H1_ANOM_DUP_HOST] = "h1.dup_host",
	[H1_ANOM_HDR_VALUE_CUT] = "h1.hdr_value_cut",
	[H1_ANOM_CTL_IN_HEADER] = "h1.ctl_in_header",
	[H1_ANOM_REQ_UNPARSED] = "h1.req_unparsed",
	[H1_ANOM_BODY_UNJUDGED] = "h1.body_unjudged",
	[H1_ANOM_URI_UNJUDGED] = "h1.uri_unjudged",
	[H1_ANOM_CHUNK_LINE] = "h1.chunk_line",
	[H1_ANOM_REQ_LINE] = "h1.req_line",
	[H1_ANOM_HDR_NAME] = "h1.hdr_name",
};

/* The only mutable global: process-wide totals, updated atomically because
 * connections may be decoded on several threads. */
static uint64_t h1_total[H1_ANOM__COUNT];

void h1_anom_add(struct h1_conn *c, struct h1_rec *r, enum h1_anom a)
{
	c->anoms[a]++;
	__atomic_fetch_add(&h1_total[a], 1, __ATOMIC_RELAXED);
	if (r)
		sess_anom_add(&r->ev, h1_anom_names[a], 1);
}

void h1_totals(uint64_t out[H1_ANOM__COUNT])
{
	int i;

	for (i = 0; i < H1_ANOM__COUNT; i++)
		out[i] = __atomic_load_n(&h1_total[i], __ATOMIC_RELAXED);
}
