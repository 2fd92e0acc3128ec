/* fuzz_conn.c - libFuzzer target: capture records through the connection
 * table, every decoder (HTTP/1.1, HTTP/2 + gRPC, WebSocket after an
 * upgrade), the detectors, the JSON line and the protobuf event.
 *
 * Input: records, each a header byte h, a 16-bit little-endian length L
 * (cut to what is left) and, for data, L bytes:
 *   h & 0x01    direction: 0 the server receives (request), 1 it sends
 *   h & 0x06    connection 0..3 (3 is seen from the client's side)
 *   h & 0x08    a gap of L bytes instead of data (a gap of 0: time
 *               jumps past the idle timeout and the table is swept;
 *               a gap of 1: then the table is swept at the same time,
 *               which ticks WebSocket summaries and HTTP/2 body windows)
 *   h & 0x10    overlap: the record starts up to 8 bytes back
 *   h & 0x20    the connection closes after this record
 *   h & 0xc0    the kernel's protocol guess when the connection is new
 * The table's response-skip ranges (conn_skip_fn) are kept per connection
 * as a kernel would; a response gap wholly inside the connection's range
 * is sent as the kernel sends a range's last call (SW_F_SKIP).
 * The table's memory budget is 256 KiB: a few pipelined requests or open
 * HTTP/2 streams past the connections' own state make it shed.
 * Checks beyond the sanitizers: every JSON line is valid UTF-8 with no raw
 * control character, every event encodes as protobuf, the bytes charged
 * are within the budget after every record and sweep, and 0 once the
 * table is flushed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pb_encode.h>

#include "collector/capture/conn.h"
#include "collector/evjson.h"
#include "fuzz_key.h"
#include "collector/uplink/pbconv.h"
#include "collector/detect/rules.h"
#include "common/textesc.h"
#include "collector/detect/verdict.h"

struct ctx {
	struct verdict_engine *v;
	char json[1 << 16];
	uint8_t pb[1 << 16];
	sidewatch_SessionEvent msg;
};

static struct ctx X;

/* the ranges the table asked for, per connection (cookie 100 + k) */
static uint64_t skip_from[4], skip_to[4];

static int fake_skip(void *ctx, uint64_t cookie, uint64_t from, uint64_t to,
		     int del)
{
	unsigned k = (unsigned)(cookie - 100) & 3;

	(void)ctx;
	skip_from[k] = del ? 0 : from;
	skip_to[k] = del ? 0 : to;
	return 0;
}

static void check_event(const struct sess_event *ev)
{
	struct evjson_ctx jc = { .host = "fuzz", .mono_to_unix_ns = 0 };
	struct verdict out[8];
	pb_ostream_t os;
	size_t i, n;

	if (evjson_format(X.json, sizeof(X.json), &jc, ev) == 0) {
		n = strlen(X.json);
		if (tx_utf8_valid_prefix(X.json, n) != n)
			abort(); /* not UTF-8: a JSON reader would refuse it */
		for (i = 0; i < n; i++)
			if ((unsigned char)X.json[i] < 0x20)
				abort(); /* a raw control character in a JSON string */
	}
	if (pbconv_event(ev, NULL, "fuzz", 0, &X.msg) != 0)
		abort();
	os = pb_ostream_from_buffer(X.pb, sizeof(X.pb));
	if (!pb_encode(&os, sidewatch_SessionEvent_fields, &X.msg))
		abort(); /* the options bound every field: it always fits */
	verdict_judge(X.v, ev, ev->end_ns, out, 8);
}

static void on_event(void *ctx, const struct sess_event *ev)
{
	(void)ctx;
	check_event(ev);
}

static void on_request(void *ctx, const struct sess_event *ev)
{
	struct verdict out[8];

	(void)ctx;
	verdict_judge_request(X.v, ev, ev->req_ns, out, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sess_sink sink = { .emit = on_event, .ctx = NULL, .request = on_request };
	static const uint8_t zero[1 << 16];
	struct conn_config cfg;
	struct conn_table *t;
	struct rules *r = NULL;
	uint64_t seq[4][2] = {{0}}, ts = 1000000000ull;
	size_t off = 0;

	rules_default(&r);
	X.v = r ? verdict_new(r) : NULL;
	if (!X.v) {
		rules_free(r);
		return 0;
	}
	conn_config_default(&cfg);
	cfg.max_conns = 3; /* eviction is input too */
	cfg.mem_budget = 256u << 10; /* and shedding */
	t = conn_table_new(&cfg, &sink);
	if (t)
		conn_set_skip(t, fake_skip, NULL);
	memset(skip_from, 0, sizeof(skip_from));
	memset(skip_to, 0, sizeof(skip_to));
	while (t && off + 3 <= size) {
		uint8_t h = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		unsigned k = (h >> 1) & 3, d = h & 1;
		struct sw_event ev;

		off += 3;
		if (!(h & 0x08) && len > size - off)
			len = size - off;
		memset(&ev, 0, sizeof(ev));
		ev.ts_ns = ts += 1000 + len;
		ev.cookie = 100 + k;
		ev.type = h & 0x08 ? SW_EV_GAP : SW_EV_DATA;
		ev.dir = d ? SW_DIR_SEND : SW_DIR_RECV;
		ev.role = k == 3 ? SW_ROLE_CLIENT : SW_ROLE_SERVER;
		ev.proto = h >> 6;
		ev.family = k & 1 ? 10 /* AF_INET6 */ : 2 /* AF_INET */;
		ev.sport = 8080;
		ev.dport = (uint16_t)(40000 + k);
		ev.saddr[0] = 10;
		ev.daddr[0] = 10;
		ev.daddr[3] = (uint8_t)k;
		ev.tgid = 42;
		ev.len = (uint32_t)len;
		memcpy(ev.comm, "fuzz", 5);
		ev.seq = seq[k][d];
		if ((h & 0x10) && ev.seq)
			ev.seq -= ev.seq < 8 ? ev.seq : 8;
		seq[k][d] = ev.seq + len;
		if ((h & 0x08) && d && len && ev.seq >= skip_from[k] &&
		    ev.seq + len <= skip_to[k])
			ev.flags |= SW_F_SKIP;
		conn_on_record(t, &ev, h & 0x08 ? zero : data + off);
		if (!(h & 0x08))
			off += len;
		if (h & 0x20) {
			ev.type = SW_EV_CLOSE;
			ev.len = 0;
			conn_on_record(t, &ev, NULL);
			seq[k][0] = seq[k][1] = 0;
		}
		if ((h & 0x08) && len == 0)
			conn_sweep(t, ts += 400ull * 1000000000ull);
		else if ((h & 0x08) && len == 1)
			conn_sweep(t, ts);
		if (conn_mem(t) > cfg.mem_budget)
			abort(); /* shedding left the table over its budget */
	}
	if (t) {
		conn_flush(t);
		if (conn_mem(t) != 0)
			abort(); /* a connection's charge was not given back */
	}
	conn_table_free(t);
	verdict_free(X.v);
	rules_free(r);
	return 0;
}
