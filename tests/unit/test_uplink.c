/* test_uplink.c - the uplink's resends against a correlator stand-in (a
 * ZeroMQ ROUTER on loopback that reads every batch and acks only when
 * told): a silent correlator gets the oldest batch again at growing
 * intervals, not the whole window every ack timeout; once acks come back
 * every batch is acked and the spool is empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <pb_decode.h>
#include <pb_encode.h>
#include <zmq.h>

#include "collector/uplink/uplink.h"
#include "common/clock.h"
#include "common/wire.h"

#define NBATCH 20
#define WINDOW 8
#define RTO 200

struct peer {
	void *ctx, *router;
	char endpoint[64];
	unsigned got;          /* batches received */
	unsigned per_seq[NBATCH + 1];
	uint64_t seq0;         /* first seq seen */
};

/* the batch's seq (field 3) without decoding its events */
static uint64_t batch_seq(const void *data, size_t len)
{
	pb_istream_t is = pb_istream_from_buffer(data, len);
	pb_wire_type_t wt;
	uint32_t tag;
	bool eof;
	uint64_t v;

	while (pb_decode_tag(&is, &wt, &tag, &eof)) {
		if (tag == 3 && wt == PB_WT_VARINT && pb_decode_varint(&is, &v))
			return v;
		if (!pb_skip_field(&is, wt))
			break;
	}
	fail_msg("batch without seq");
	return 0;
}

static void ack(struct peer *p, zmq_msg_t *id, uint64_t seq)
{
	sidewatch_Ack a = sidewatch_Ack_init_zero;
	uint8_t buf[128];
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));

	a.version = 1;
	snprintf(a.host, sizeof(a.host), "h1");
	a.seq = seq;
	assert_true(pb_encode(&os, sidewatch_Ack_fields, &a));
	assert_true(zmq_msg_send(id, p->router, ZMQ_SNDMORE) >= 0);
	assert_true(zmq_send(p->router, buf, os.bytes_written, 0) >= 0);
}

/* read every waiting batch; ack it when acking */
static void serve(struct peer *p, int acking)
{
	for (;;) {
		zmq_msg_t id, m;
		uint64_t seq;

		zmq_msg_init(&id);
		if (zmq_msg_recv(&id, p->router, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&id);
			return;
		}
		zmq_msg_init(&m);
		assert_true(zmq_msg_recv(&m, p->router, 0) >= 0);
		seq = batch_seq(zmq_msg_data(&m), zmq_msg_size(&m));
		if (!p->seq0)
			p->seq0 = seq;
		if (seq >= p->seq0 && seq - p->seq0 < NBATCH)
			p->per_seq[seq - p->seq0]++;
		p->got++;
		if (acking)
			ack(p, &id, seq);
		zmq_msg_close(&m);
		zmq_msg_close(&id);
	}
}

/* poll the uplink and serve for ms */
static void run_for(struct uplink *u, struct peer *p, unsigned ms, int acking)
{
	uint64_t end = clock_mono_ms() + ms;

	while (clock_mono_ms() < end) {
		assert_int_equal(uplink_poll(u, 5), 0);
		serve(p, acking);
	}
}

static void silent_correlator_gets_backed_off_resends(void **state)
{
	char dir[] = "/tmp/test_uplink.XXXXXX", cmd[64];
	struct peer p = {0};
	size_t len = sizeof(p.endpoint);
	struct uplink_config c = { .host = "h1", .version = "t", .plain = 1,
				   .batch_events = 1, .window = WINDOW,
				   .ack_timeout_ms = RTO, .heartbeat_ms = 60000 };
	struct sess_conn conn = { .family = AF_INET };
	struct sess_event ev = { .kind = SESS_KIND_SESSION };
	struct uplink_stats st;
	char err[256] = "";
	struct uplink *u;
	unsigned i, silent, first_resends = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p.ctx = zmq_ctx_new();
	p.router = zmq_socket(p.ctx, ZMQ_ROUTER);
	assert_int_equal(zmq_bind(p.router, "tcp://127.0.0.1:*"), 0);
	assert_int_equal(zmq_getsockopt(p.router, ZMQ_LAST_ENDPOINT, p.endpoint, &len), 0);
	c.endpoint = p.endpoint;
	c.spool_dir = dir;
	u = uplink_new(&c, err, sizeof(err));
	if (!u)
		fail_msg("uplink_new: %s", err);

	/* the introduction heartbeat, acked, so the socket is known good */
	run_for(u, &p, 300, 1);
	assert_int_equal(p.got, 1);
	memset(p.per_seq, 0, sizeof(p.per_seq));
	p.seq0 = 0;
	p.got = 0;

	ev.conn = &conn;
	snprintf(ev.path, sizeof(ev.path), "/x");
	for (i = 0; i < NBATCH; i++)
		assert_int_equal(uplink_push(u, &ev, NULL, 0), 0);
	/* 3 s of silence: RTO 200 ms, so 15 rewinds of the window before;
	 * now 200 + 400 + 800 + 1600 ms: four resends of one batch */
	run_for(u, &p, 3000, 0);
	silent = p.got;
	for (i = 1; i < NBATCH; i++)
		first_resends += p.per_seq[i] > 1;
	print_message("silent correlator: %u batches received in 3 s (first sent: %u, "
		      "resent: first %u times, others resent %u)\n",
		      silent, WINDOW, p.per_seq[0] - 1, first_resends);
	assert_true(silent >= WINDOW + 3);
	assert_true(silent <= WINDOW + 5);
	assert_int_equal(first_resends, 0); /* only the oldest went again */

	/* acks come back: everything is acked within a few round trips
	 * (the backed-off timer has up to 3.2 s left) */
	run_for(u, &p, 5000, 1);
	uplink_get_stats(u, &st);
	print_message("after acks: acked %llu of %llu batches, pending %llu, timeouts %llu\n",
		      (unsigned long long)st.acked, (unsigned long long)st.batches,
		      (unsigned long long)st.spool.pending, (unsigned long long)st.timeouts);
	assert_int_equal(st.spool.pending, 0);
	assert_int_equal(st.acked, st.batches);
	assert_int_equal(st.timeouts, 4);

	uplink_free(u);
	zmq_close(p.router);
	zmq_ctx_term(p.ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(silent_correlator_gets_backed_off_resends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
