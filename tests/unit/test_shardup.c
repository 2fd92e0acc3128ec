/* test_shardup.c - the uplink split by shard owner (collector/uplink/
 * shardup.c), with no correlator listening so every batch stays in its
 * shard's spool: events per shard = ring-owner's count, one spool directory
 * per shard, heartbeats on every shard, endpoint summaries by authority,
 * a ring change (new events to the new owner, old batches stay), a bad
 * file refused and counted, and without a ring one plain uplink; a copy of
 * each event marked as a projection for the owner of its endpoint and of
 * its identity when that is not its source's owner, in that shard's
 * batches (read back from the spools). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pb_decode.h>

#include "collector/uplink/shardup.h"
#include "collector/uplink/spool.h"
#include "common/projkey.h"
#include "common/ring.h"

#define NEV 600

struct fix {
	char dir[64], spool[96], ring[96];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_shardup.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->spool, sizeof(f->spool), "%s/spool", f->dir);
	snprintf(f->ring, sizeof(f->ring), "%s/ring.txt", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct shardup *open_su(const struct fix *f, const char *ring)
{
	struct uplink_config c = { .endpoint = "tcp://127.0.0.1:1", .host = "h1",
				   .version = "t", .spool_dir = f->spool, .plain = 1,
				   .batch_events = 16 };
	char err[512] = "";
	struct shardup *s = shardup_new(&c, ring, err, sizeof(err));

	if (!s)
		fail_msg("shardup_new: %s", err);
	return s;
}

/* event i: client 10.(i/256).(i%256).9, so a /24 of its own */
static void push_events(struct shardup *s, unsigned from, unsigned n)
{
	struct sess_conn c = { .family = AF_INET };
	struct sess_event ev = { .kind = SESS_KIND_SESSION };
	unsigned i;

	ev.conn = &c;
	snprintf(ev.path, sizeof(ev.path), "/x");
	for (i = from; i < from + n; i++) {
		c.client_addr[0] = 10;
		c.client_addr[1] = (uint8_t)(i >> 8);
		c.client_addr[2] = (uint8_t)i;
		c.client_addr[3] = 9;
		assert_int_equal(shardup_push(s, &ev, NULL, 0), 0);
	}
	assert_int_equal(shardup_flush(s), 0);
}

/* events the ring at path gives each of its shards, for events from..+n */
static void owners(const char *path, unsigned from, unsigned n, const char *name, unsigned *cnt)
{
	char err[256];
	struct ring *r = ring_load(path, err, sizeof(err));
	unsigned i;

	assert_non_null(r);
	*cnt = 0;
	for (i = from; i < from + n; i++) {
		uint8_t ip[4] = { 10, (uint8_t)(i >> 8), (uint8_t)i, 9 };

		*cnt += !strcmp(ring_shard_name(r, ring_owner(r, ring_key(ip, 4))), name);
	}
	ring_free(r);
}

static uint64_t shard_events(struct shardup *s, const char *want, int *in_ring)
{
	struct uplink_stats st;
	const char *name;
	size_t i;

	for (i = 0; shardup_shard(s, i, &name, in_ring, &st) == 0; i++)
		if (!strcmp(name, want))
			return st.events;
	fail_msg("no shard %s", want);
	return 0;
}

static const char RING2[] = "version 1\na tcp://127.0.0.1:1 1\nb tcp://127.0.0.1:2 1\n";
static const char RING3[] =
	"version 2\na tcp://127.0.0.1:1 1\nb tcp://127.0.0.1:2 1\nc tcp://127.0.0.1:3 1\n";

static void events_go_to_their_owner(void **state)
{
	struct fix *f = *state;
	struct shardup_stats st;
	struct shardup *s;
	unsigned want_a, want_b;
	char d[160];
	struct stat sb;

	write_file(f->ring, RING2);
	s = open_su(f, f->ring);
	push_events(s, 0, NEV);
	owners(f->ring, 0, NEV, "a", &want_a);
	owners(f->ring, 0, NEV, "b", &want_b);
	print_message("%d events: a %u, b %u\n", NEV, want_a, want_b);
	assert_true(want_a > 0 && want_b > 0);
	assert_int_equal(want_a + want_b, NEV);
	assert_int_equal(shard_events(s, "a", NULL), want_a);
	assert_int_equal(shard_events(s, "b", NULL), want_b);
	shardup_get_stats(s, &st);
	assert_int_equal(st.shards, 2);
	assert_int_equal(st.ring_version, 1);
	assert_int_equal(st.sum.events, NEV);
	/* one spool per shard, under the configured one */
	snprintf(d, sizeof(d), "%s/a", f->spool);
	assert_int_equal(stat(d, &sb), 0);
	snprintf(d, sizeof(d), "%s/b", f->spool);
	assert_int_equal(stat(d, &sb), 0);
	/* a heartbeat goes to every shard: one more batch on each */
	{
		struct uplink_stats a0, b0, a1, b1;

		shardup_shard(s, 0, NULL, NULL, &a0);
		shardup_shard(s, 1, NULL, NULL, &b0);
		shardup_heartbeat_now(s);
		shardup_poll(s, 0);
		shardup_flush(s);
		shardup_shard(s, 0, NULL, NULL, &a1);
		shardup_shard(s, 1, NULL, NULL, &b1);
		assert_int_equal(a1.batches, a0.batches + 1);
		assert_int_equal(b1.batches, b0.batches + 1);
	}
	shardup_free(s);
}

static void endpoints_go_to_their_authority_owner(void **state)
{
	struct fix *f = *state;
	sidewatch_EndpointSummary *v = calloc(40, sizeof(*v));
	struct shardup *s;
	unsigned i, want[2] = { 0, 0 };
	char err[128];
	struct ring *r;

	write_file(f->ring, RING2);
	r = ring_load(f->ring, err, sizeof(err));
	s = open_su(f, f->ring);
	for (i = 0; i < 40; i++) {
		/* four authorities, ten endpoints each */
		int n = snprintf((char *)v[i].authority.bytes, sizeof(v[i].authority.bytes),
				 "api%u.example", i % 4);

		v[i].authority.size = (pb_size_t)n;
		want[ring_owner(r, ring_hash(v[i].authority.bytes, (size_t)n))]++;
	}
	print_message("40 summaries of 4 authorities: a %u, b %u\n", want[0], want[1]);
	assert_int_equal(want[0] % 10, 0); /* an authority is never split */
	assert_int_equal(shardup_push_endpoints(s, v, 40), 0);
	{
		struct uplink_stats a, b;

		shardup_shard(s, 0, NULL, NULL, &a);
		shardup_shard(s, 1, NULL, NULL, &b);
		assert_int_equal(a.endpoints, want[0]);
		assert_int_equal(b.endpoints, want[1]);
	}
	ring_free(r);
	free(v);
	shardup_free(s);
}

static void ring_change_routes_new_events_only(void **state)
{
	struct fix *f = *state;
	struct shardup_stats st;
	struct shardup *s;
	unsigned a1, b1, a2, b2, c2;
	char ring3[128];
	int in;

	write_file(f->ring, RING2);
	s = open_su(f, f->ring);
	push_events(s, 0, NEV);
	owners(f->ring, 0, NEV, "a", &a1);
	owners(f->ring, 0, NEV, "b", &b1);

	/* unchanged file: nothing; forced reread of the same version: refused */
	assert_int_equal(shardup_check_ring(s, 5000, 0), 0);
	assert_int_equal(shardup_check_ring(s, 7000, 1), -1);
	/* a bad file: refused, counted, the old ring kept */
	write_file(f->ring, "version 9\na tcp://127.0.0.1:1 0\n");
	assert_int_equal(shardup_check_ring(s, 9000, 1), -1);
	/* a changed endpoint under the same name: refused */
	write_file(f->ring, "version 9\na tcp://127.0.0.1:9 1\n");
	assert_int_equal(shardup_check_ring(s, 11000, 1), -1);
	shardup_get_stats(s, &st);
	assert_int_equal(st.ring_refused, 3);
	assert_int_equal(st.ring_version, 1);

	write_file(f->ring, RING3);
	snprintf(ring3, sizeof(ring3), "%s", f->ring);
	assert_int_equal(shardup_check_ring(s, 11500, 0), 0); /* within the second */
	assert_int_equal(shardup_check_ring(s, 13000, 0), 1);
	push_events(s, NEV, NEV);
	owners(ring3, NEV, NEV, "a", &a2);
	owners(ring3, NEV, NEV, "b", &b2);
	owners(ring3, NEV, NEV, "c", &c2);
	print_message("after 2 -> 3: a %u+%u, b %u+%u, c %u\n", a1, a2, b1, b2, c2);
	assert_true(c2 > 0);
	assert_int_equal(shard_events(s, "a", NULL), a1 + a2);
	assert_int_equal(shard_events(s, "b", NULL), b1 + b2);
	assert_int_equal(shard_events(s, "c", NULL), c2);

	/* 3 -> 1: b and c leave the ring but keep their unacked batches */
	write_file(f->ring, "version 3\na tcp://127.0.0.1:1 1\n");
	assert_int_equal(shardup_check_ring(s, 15000, 1), 1);
	shardup_poll(s, 0);
	shardup_get_stats(s, &st);
	assert_int_equal(st.shards, 3);
	assert_int_equal(st.retired, 0);
	assert_int_equal(shard_events(s, "c", &in), c2);
	assert_int_equal(in, 0);
	assert_int_equal(st.ring_changes, 2);
	assert_int_equal(st.sum.events, 2 * NEV);
	shardup_free(s);
}

/* What the spool of one shard holds: events by projection bits, and
 * projections whose keys that shard does not own. */
struct tally {
	const struct ring *r;
	size_t me;
	unsigned plain, ep, id, wrong;
};

static bool tally_event(pb_istream_t *is, const pb_field_t *field, void **arg)
{
	struct tally *t = *arg;
	sidewatch_SessionEvent e = sidewatch_SessionEvent_init_zero;
	uint64_t ek, ik;

	(void)field;
	if (!pb_decode(is, sidewatch_SessionEvent_fields, &e))
		return false;
	ek = projkey_endpoint(e.authority.bytes, e.authority.size, e.path.bytes, e.path.size);
	ik = projkey_identity(e.identity.bytes, e.identity.size);
	if (!e.projection) {
		t->plain++;
		t->wrong += ring_owner(t->r, ring_key(e.src_ip.bytes, e.src_ip.size)) != t->me;
		return true;
	}
	if (e.projection & sidewatch_Projection_PROJ_ENDPOINT) {
		t->ep++;
		t->wrong += ring_owner(t->r, ek) != t->me;
	}
	if (e.projection & sidewatch_Projection_PROJ_IDENTITY) {
		t->id++;
		t->wrong += ring_owner(t->r, ik) != t->me;
	}
	/* a projection carries what its detectors count, not the rest */
	t->wrong += e.query.size != 0 || e.comm.size != 0;
	return true;
}

static void read_spool(const char *dir, struct tally *t)
{
	struct spool_config c = { .dir = dir };
	static uint8_t buf[1 << 20];
	struct spool *sp;
	uint64_t seq = 0;
	size_t len;
	char err[256];

	assert_int_equal(spool_open(&sp, &c, err, sizeof(err)), 0);
	while (spool_read(sp, seq, &seq, buf, sizeof(buf), &len) == 0) {
		sidewatch_Batch b = sidewatch_Batch_init_zero;
		pb_istream_t is = pb_istream_from_buffer(buf, len);

		b.events.funcs.decode = tally_event;
		b.events.arg = t;
		assert_true(pb_decode(&is, sidewatch_Batch_fields, &b));
	}
	spool_close(sp);
}

/* event i: GET /api/users/<i>/orders on one of 3 authorities from
 * 10.(i/256).(i%256).9, every other one with identity "user-<i % 50>" */
static void projections_go_to_the_key_owners(void **state)
{
	struct fix *f = *state;
	struct sess_conn c = { .family = AF_INET };
	struct sess_event ev = { .kind = SESS_KIND_SESSION };
	unsigned want_plain[2] = { 0 }, want_ep[2] = { 0 }, want_id[2] = { 0 };
	struct shardup_stats st;
	struct shardup *s;
	struct ring *r;
	char err[128], id[32];
	unsigned i, k;

	write_file(f->ring, RING2);
	r = ring_load(f->ring, err, sizeof(err));
	assert_non_null(r);
	s = open_su(f, f->ring);
	ev.conn = &c;
	snprintf(ev.query, sizeof(ev.query), "secret=1");
	snprintf(c.comm, sizeof(c.comm), "nginx");
	for (i = 0; i < NEV; i++) {
		struct pbconv_extra x = { 0 };
		size_t so, eo, io = 2;

		c.client_addr[0] = 10;
		c.client_addr[1] = (uint8_t)(i >> 8);
		c.client_addr[2] = (uint8_t)i;
		c.client_addr[3] = 9;
		snprintf(ev.authority, sizeof(ev.authority), "api%u.example", i % 3);
		snprintf(ev.path, sizeof(ev.path), "/api/users/%u/orders", i);
		if (i % 2) {
			x.identity_len = (size_t)snprintf(id, sizeof(id), "user-%u", i % 50);
			x.identity = id;
			io = ring_owner(r, projkey_identity(id, x.identity_len));
		}
		assert_int_equal(shardup_push_ex(s, &ev, &x, NULL, 0), 0);
		so = ring_owner(r, ring_key(c.client_addr, 4));
		eo = ring_owner(r, projkey_endpoint(ev.authority, strlen(ev.authority),
						    ev.path, strlen(ev.path)));
		want_plain[so]++;
		if (eo != so)
			want_ep[eo]++;
		if (io < 2 && io != so)
			want_id[io]++;
	}
	assert_int_equal(shardup_flush(s), 0);
	shardup_get_stats(s, &st);
	/* the source events as before: projections are counted apart */
	assert_int_equal(st.sum.events, NEV);
	assert_int_equal(shard_events(s, "a", NULL), want_plain[0]);
	assert_int_equal(shard_events(s, "b", NULL), want_plain[1]);
	for (k = 0; k < 2; k++) {
		struct shardup_info si;

		assert_int_equal(shardup_shard_info(s, k, 0, &si), 0);
		print_message("shard %s: %u events, projections: %u endpoint, %u identity "
			      "(%" PRIu64 " copies)\n", si.name, want_plain[k], want_ep[k],
			      want_id[k], si.projections);
		/* a copy for both keys of one shard is one event */
		assert_true(si.projections <= want_ep[k] + want_id[k]);
		assert_true(si.projections >= want_ep[k] && si.projections >= want_id[k]);
	}
	assert_true(want_ep[0] + want_ep[1] > 0 && want_id[0] + want_id[1] > 0);
	shardup_free(s);
	for (k = 0; k < 2; k++) {
		struct tally t = { .r = r, .me = k };
		char d[160];

		snprintf(d, sizeof(d), "%s/%c", f->spool, 'a' + k);
		read_spool(d, &t);
		assert_int_equal(t.plain, want_plain[k]);
		assert_int_equal(t.ep, want_ep[k]);
		assert_int_equal(t.id, want_id[k]);
		assert_int_equal(t.wrong, 0);
	}
	ring_free(r);
}

static void without_a_ring_one_plain_uplink(void **state)
{
	struct fix *f = *state;
	struct shardup_stats st;
	struct shardup *s = open_su(f, NULL);
	const char *name;
	char d[160];
	struct stat sb;

	push_events(s, 0, 100);
	shardup_get_stats(s, &st);
	assert_int_equal(st.shards, 1);
	assert_int_equal(st.ring_version, 0);
	assert_int_equal(st.sum.events, 100);
	assert_int_equal(shardup_shard(s, 0, &name, NULL, NULL), 0);
	assert_string_equal(name, "");
	assert_int_equal(shardup_check_ring(s, 5000, 1), 0);
	/* the spool is the configured directory itself */
	assert_true(stat(f->spool, &sb) == 0 && S_ISDIR(sb.st_mode));
	snprintf(d, sizeof(d), "%s/a", f->spool);
	assert_int_not_equal(stat(d, &sb), 0);
	shardup_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_go_to_their_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(endpoints_go_to_their_authority_owner, setup,
						teardown),
		cmocka_unit_test_setup_teardown(ring_change_routes_new_events_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(without_a_ring_one_plain_uplink, setup, teardown),
		cmocka_unit_test_setup_teardown(projections_go_to_the_key_owners, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
