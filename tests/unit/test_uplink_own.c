/* test_uplink_own.c - the uplink keeps its own copy of the strings it uses
 * after uplink_new() returns. The uplink opens its socket again when a
 * correlator was never heard for UPLINK_REOPEN_MS, and it did so with the
 * caller's endpoint pointer: shardup keeps each shard's endpoint in a slot
 * it moves when a shard retires, so a shard's reopened socket went to
 * whatever endpoint then sat in that slot (another shard's). Here the
 * caller's buffers are overwritten after uplink_new(), as that move does,
 * and a silent correlator stand-in must still get the batches again on
 * the reopened socket. Takes UPLINK_REOPEN_MS (10 s) and a little more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <zmq.h>

#include "collector/uplink/uplink.h"
#include "common/clock.h"

/* messages waiting on the stand-in, read and dropped (never acked) */
static unsigned drain(void *router)
{
	unsigned n = 0;
	zmq_msg_t m;

	for (;;) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, router, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return n;
		}
		n += !zmq_msg_more(&m); /* a whole message: its last frame */
		zmq_msg_close(&m);
	}
}

static void reopened_socket_goes_to_the_first_endpoint(void **state)
{
	char ep[64], dir[32] = "/tmp/test_uplink_own.XXXXXX", dir0[32], cmd[64], err[256] = "";
	struct uplink_config c = { .host = "h1", .version = "t", .plain = 1,
				   .batch_events = 1, .window = 4,
				   .ack_timeout_ms = 200, .heartbeat_ms = 60000 };
	struct sess_conn conn = { .family = AF_INET };
	struct sess_event ev = { .kind = SESS_KIND_SESSION };
	struct uplink_stats st;
	void *ctx = zmq_ctx_new(), *router = zmq_socket(ctx, ZMQ_ROUTER);
	size_t len = sizeof(ep);
	unsigned before = 0, after = 0, reopened = 0;
	struct uplink *u;
	uint64_t end;

	(void)state;
	assert_int_equal(zmq_bind(router, "tcp://127.0.0.1:*"), 0);
	assert_int_equal(zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, ep, &len), 0);
	assert_non_null(mkdtemp(dir));
	memcpy(dir0, dir, sizeof(dir));
	c.endpoint = ep;
	c.spool_dir = dir;
	u = uplink_new(&c, err, sizeof(err));
	if (!u)
		fail_msg("uplink_new: %s", err);
	/* the caller's storage now says something else, as a moved slot does */
	snprintf(ep, sizeof(ep), "tcp://127.0.0.1:1");
	memset(dir, 'x', sizeof(dir) - 1);
	ev.conn = &conn;
	snprintf(ev.path, sizeof(ev.path), "/x");
	assert_int_equal(uplink_push(u, &ev, NULL, 0), 0);
	/* the reopen comes UPLINK_REOPEN_MS after uplink_new(); the new
	 * socket then has 15 s of its own to connect and send (a loaded
	 * machine running the sanitizer build needed more than the 2.5 s
	 * once counted from the start, and once more than 5 s at a load of
	 * 7 on 2 cores); the loop ends as soon as it has */
	end = clock_mono_ms() + UPLINK_REOPEN_MS + 15000;
	while (clock_mono_ms() < end) {
		uplink_get_stats(u, &st);
		assert_int_equal(uplink_poll(u, 10), 0);
		if (st.reopens) {
			if (!reopened) {
				reopened = 1;
				end = clock_mono_ms() + 15000;
			}
			after += drain(router);
		} else {
			before += drain(router);
		}
		if (st.reopens && after)
			break;
	}
	uplink_get_stats(u, &st);
	print_message("unheard: %u messages before the reopen, %u after, %llu reopens\n",
		      before, after, (unsigned long long)st.reopens);
	assert_true(before >= 1);
	assert_int_equal(st.reopens, 1);
	assert_true(after >= 1); /* the reopened socket reached the stand-in */
	uplink_free(u);
	zmq_close(router);
	zmq_ctx_term(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir0);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reopened_socket_goes_to_the_first_endpoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
