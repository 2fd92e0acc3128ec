/* test_ingest_ring.c - a sharded correlator's ingest (ingest.h with a
 * ring.h ring): events another shard owns are counted per batch and the
 * first is described with its attacker bytes escaped; without a ring
 * nothing is counted. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pb_encode.h>

#include "common/ring.h"
#include "correlator/ingest.h"

#define NEV 64

static const char RING[] = "version 1\na tcp://10.0.0.1:7450 1\n"
			   "b tcp://10.0.0.2:7450 1\n";

struct evlist {
	const sidewatch_SessionEvent *ev;
	size_t n;
};

static bool enc_events(pb_ostream_t *os, const pb_field_t *f, void *const *arg)
{
	const struct evlist *l = *arg;

	for (size_t i = 0; i < l->n; i++)
		if (!pb_encode_tag_for_field(os, f) ||
		    !pb_encode_submessage(os, sidewatch_SessionEvent_fields, &l->ev[i]))
			return false;
	return true;
}

static int decode(const sidewatch_SessionEvent *ev, size_t n,
		  const struct ring *r, int shard, struct ingest_batch *b)
{
	static uint8_t buf[256 << 10];
	sidewatch_Batch m = sidewatch_Batch_init_zero;
	struct evlist l = { ev, n };
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));
	struct ingest_limits lim = {
		.recv_us = 1767225600123456ull,
		.ts_lo_us = 1767139200000000ull,
		.ts_hi_us = 1767398400000000ull,
		.ring = r,
		.shard = shard,
	};
	char why[128];

	m.version = 1;
	strcpy(m.host, "h1");
	m.seq = 7;
	m.events.funcs.encode = enc_events;
	m.events.arg = &l;
	assert_true(pb_encode(&os, sidewatch_Batch_fields, &m));
	return ingest_decode(buf, os.bytes_written, &lim, b, why, sizeof(why));
}

/* event i: client 10.i.7.9; every third an identity, the first of them
 * with bytes a log must not get raw */
static void make_events(sidewatch_SessionEvent *ev)
{
	for (unsigned i = 0; i < NEV; i++) {
		sidewatch_SessionEvent *e = &ev[i];

		memset(e, 0, sizeof(*e));
		e->ts_us = 1767225600000001ull;
		e->src_ip.size = 4;
		e->src_ip.bytes[0] = 10;
		e->src_ip.bytes[1] = (uint8_t)i;
		e->src_ip.bytes[2] = 7;
		e->src_ip.bytes[3] = 9;
		if (i % 3 == 0) {
			int n = snprintf((char *)e->identity.bytes, sizeof(e->identity.bytes),
					 "id:%u\n\"\033[31m", i);

			e->identity.size = (pb_size_t)n;
		}
	}
}

static void events_of_the_other_shard_are_counted(void **state)
{
	static sidewatch_SessionEvent ev[NEV];
	struct ingest_batch b = { 0 };
	char err[128];
	struct ring *r = ring_parse(RING, strlen(RING), err, sizeof(err));
	unsigned i, want[2] = { 0, 0 }, first = NEV;

	(void)state;
	assert_non_null(r);
	make_events(ev);
	for (i = 0; i < NEV; i++) {
		size_t o = ring_owner(r, ring_key(ev[i].src_ip.bytes, 4));

		want[o]++;
		if (o == 1 && first == NEV)
			first = i;
	}
	print_message("%d events: shard a owns %u, b %u\n", NEV, want[0], want[1]);
	assert_true(want[0] > 0 && want[1] > 0);

	/* shard a: b's events are misrouted, all still become rows */
	assert_int_equal(decode(ev, NEV, r, 0, &b), 0);
	assert_int_equal(b.nevents, NEV);
	assert_int_equal(b.misrouted, want[1]);
	{
		char idx[32];

		snprintf(idx, sizeof(idx), "event %u:", first);
		assert_non_null(strstr(b.misrouted_first, idx));
		assert_non_null(strstr(b.misrouted_first, "owner 'b'"));
	}
	for (const char *p = b.misrouted_first; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f); /* no raw newline or ESC */

	/* shard b: the others */
	assert_int_equal(decode(ev, NEV, r, 1, &b), 0);
	assert_int_equal(b.misrouted, want[0]);

	/* no ring: nothing counted, nothing described */
	assert_int_equal(decode(ev, NEV, NULL, 0, &b), 0);
	assert_int_equal(b.misrouted, 0);
	assert_string_equal(b.misrouted_first, "");
	ingest_batch_free(&b);
	ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events_of_the_other_shard_are_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
