/* test_blocklist_sub_fan.c - subscribing to every shard of a ring: block
 * list endpoints by convention, per-shard versions as heartbeat counters,
 * ring changes (kept, new, left shards), all without sockets. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector/enforce/shield.h"
#include "collector/uplink/blocklist_sub_fan.h"
#include "common/ring.h"

struct sink {
	unsigned n;                 /* entries applied now */
	unsigned adds, dels;
	char names[8][64];
	uint64_t vals[8];
	unsigned nctr, sets;
	int fail_del;
};

static int sink_apply(void *ctx, const struct blocklist_entry *e, int op)
{
	struct sink *k = ctx;

	(void)e;
	if (op == BLOCKLIST_DEL && k->fail_del)
		return -EIO;
	if (op == BLOCKLIST_ADD) {
		k->adds++;
		k->n++;
	} else {
		k->dels++;
		k->n--;
	}
	return 0;
}

static int sink_counter(void *ctx, const char *name, uint64_t v)
{
	struct sink *k = ctx;
	unsigned i;

	k->sets++;
	for (i = 0; i < k->nctr; i++)
		if (strcmp(k->names[i], name) == 0)
			break;
	if (i == k->nctr) {
		assert_true(k->nctr < 8);
		snprintf(k->names[k->nctr++], sizeof(k->names[0]), "%s", name);
	}
	k->vals[i] = v;
	return 0;
}

static uint64_t ctr(const struct sink *k, const char *name)
{
	unsigned i;

	for (i = 0; i < k->nctr; i++)
		if (strcmp(k->names[i], name) == 0)
			return k->vals[i];
	fail_msg("no counter %s", name);
	return 0;
}

static struct ring *R(const char *text)
{
	char err[256];
	struct ring *r = ring_parse(text, strlen(text), err, sizeof(err));

	if (!r)
		fail_msg("%s", err);
	return r;
}

static uint8_t buf[1 << 14];

static void snap(struct blocklist_sub *b, uint64_t v, const char *cidr)
{
	struct blocklist_entry e;
	const struct blocklist_entry *p = &e;
	size_t len;

	memset(&e, 0, sizeof(e));
	if (cidr)
		assert_int_equal(blocklist_parse_cidr(cidr, &e), 0);
	assert_int_equal(blocklist_encode_snapshot(buf, sizeof(buf), &len, v, &p, cidr ? 1 : 0), 0);
	assert_int_equal(blocklist_sub_on_snapshot(b, buf, len), 0);
}

/* A snapshot of n cidrs. */
static void snap_n(struct blocklist_sub *b, uint64_t v, const char *const *cidr, size_t n)
{
	struct blocklist_entry e[8];
	const struct blocklist_entry *p[8];
	size_t len, i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		assert_int_equal(blocklist_parse_cidr(cidr[i], &e[i]), 0);
		p[i] = &e[i];
	}
	assert_int_equal(blocklist_encode_snapshot(buf, sizeof(buf), &len, v, p, n), 0);
	assert_int_equal(blocklist_sub_on_snapshot(b, buf, len), 0);
}

/* Loopback, every ring endpoint's host and the user's protected set are
 * never passed on; refusals counted, the rest applied, the version held. */
static void protected_addresses_are_never_applied(void **state)
{
	static const char *const list[] = { "10.0.0.1", "127.0.0.5", "192.0.2.7", "192.0.2.0/24",
					    "198.51.100.1", "10.0.0.0/8", "10.0.0.2" };
	static const char *const later[] = { "10.0.0.3", "10.0.0.2" };
	struct sink k = {0};
	struct shield sh;
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k,
					      .protect = &sh };
	struct ring *r = R("version 1\na tcp://10.0.0.1:7450 1\nb tcp://10.0.0.2:7460 1\n");
	struct ring *r2 = R("version 2\na tcp://10.0.0.1:7450 1\nb tcp://10.0.0.2:7460 1\n"
			    "c tcp://10.0.0.3:7470 1\n");
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char err[256];

	(void)state;
	shield_init(&sh);
	assert_int_equal(shield_add_list(&sh, "192.0.2.0/24", "test", err, sizeof(err)), 0);
	f = blocklist_sub_fan_new(&c, r, err, sizeof(err));
	assert_non_null(f);
	shield_init(&sh); /* the fan took its own copy */
	snap_n(blocklist_sub_fan_shard_sub(f, 0), 3, list, 7);
	assert_int_equal(blocklist_sub_fan_shard_sub(f, 0) != NULL, 1);
	assert_int_equal(blocklist_sub_version(blocklist_sub_fan_shard_sub(f, 0)), 3);
	/* 198.51.100.1 goes on; the rest are refused, 10.0.0.0/8 too: it
	 * covers the ring's hosts (blocks_covering_a_shard_host_are_refused) */
	assert_int_equal(k.n, 1);
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.protected_refused, 6);
	/* a ring that grows protects its new host too */
	assert_int_equal(blocklist_sub_fan_set_ring(f, r2, err, sizeof(err)), 0);
	snap_n(blocklist_sub_fan_shard_sub(f, 1), 1, later, 2);
	assert_int_equal(k.n, 1);
	blocklist_sub_fan_get_stats(f, &st);
	/* 10.0.0.3 refused; 10.0.0.2 was already merged (from a, refused
	 * then), so it changes nothing downstream */
	assert_int_equal(st.protected_refused, 7);
	blocklist_sub_fan_free(f);
	ring_free(r);
	ring_free(r2);
}

/* A shard that left while the kernel refused its removals: its entries
 * leave on a later poll. And names past 64 over a run take the slots of
 * shards that left. */
static void left_shards_are_cleaned_and_slots_reused(void **state)
{
	struct sink k = {0};
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k };
	struct ring *r1 = R("version 1\na tcp://127.0.0.1:7450 1\nb tcp://127.0.0.1:7460 1\n");
	struct ring *r2 = R("version 2\na tcp://127.0.0.1:7450 1\n");
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char err[256], text[128];
	unsigned v;

	(void)state;
	f = blocklist_sub_fan_new(&c, r1, err, sizeof(err));
	assert_non_null(f);
	snap(blocklist_sub_fan_shard_sub(f, 1), 2, "10.213.11.1");
	assert_int_equal(k.n, 1);
	k.fail_del = 1;
	assert_int_equal(blocklist_sub_fan_set_ring(f, r2, err, sizeof(err)), 0);
	assert_int_equal(k.n, 1); /* the kernel refused: still held */
	assert_int_equal(blocklist_sub_fan_poll(f, 0), 0);
	assert_int_equal(k.n, 1);
	k.fail_del = 0;
	assert_int_equal(blocklist_sub_fan_poll(f, 0), 0);
	assert_int_equal(k.n, 0);
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.merge.held, 0);
	/* 100 rings of a and one new name each: every one is taken */
	for (v = 3; v < 103; v++) {
		struct ring *r;

		snprintf(text, sizeof(text), "version %u\na tcp://127.0.0.1:7450 1\n"
			 "n%u tcp://127.0.0.1:%u 1\n", v, v, 8000 + 2 * v);
		r = R(text);
		assert_int_equal(blocklist_sub_fan_set_ring(f, r, err, sizeof(err)), 0);
		ring_free(r);
	}
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.shards, 2);
	assert_int_equal(st.refused_shards, 0);
	blocklist_sub_fan_free(f);
	ring_free(r1);
	ring_free(r2);
}

static void blocks_endpoint_is_the_next_port(void **state)
{
	char out[160];

	(void)state;
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://10.0.0.1:7450", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp://10.0.0.1:7451");
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://[::1]:9", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp://[::1]:10");
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("ipc:///run/sw/a", out, sizeof(out)), 0);
	assert_string_equal(out, "ipc:///run/sw/a.blocks");
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://h:65535", out, sizeof(out)), -EINVAL);
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://h:0", out, sizeof(out)), -EINVAL);
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://h:74x", out, sizeof(out)), -EINVAL);
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://h", out, sizeof(out)), -EINVAL);
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("udp://h:1", out, sizeof(out)), -EINVAL);
	assert_int_equal(blocklist_sub_fan_blocks_endpoint("tcp://h:7450", out, 8), -EINVAL);
}

static void each_shard_has_its_list_and_counter(void **state)
{
	struct sink k = {0};
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k,
					      .set_counter = sink_counter, .cctx = &k };
	struct ring *r = R("version 1\na tcp://127.0.0.1:7450 1\nb tcp://127.0.0.1:7460 1\n");
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char err[256];

	(void)state;
	f = blocklist_sub_fan_new(&c, r, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(blocklist_sub_fan_nshards(f), 2);
	assert_string_equal(blocklist_sub_fan_shard_name(f, 1), "b");
	assert_int_equal(blocklist_sub_fan_poll(f, 0), 0);
	assert_int_equal(k.nctr, 2);
	assert_int_equal(ctr(&k, "blocklist_version:a"), 0);
	snap(blocklist_sub_fan_shard_sub(f, 0), 12, "10.213.1.0/24");
	snap(blocklist_sub_fan_shard_sub(f, 1), 4, "10.213.2.2");
	assert_int_equal(blocklist_sub_fan_poll(f, 0), 0);
	assert_int_equal(ctr(&k, "blocklist_version:a"), 12);
	assert_int_equal(ctr(&k, "blocklist_version:b"), 4);
	assert_int_equal(k.n, 2);
	/* unchanged versions are not set again */
	k.sets = 0;
	assert_int_equal(blocklist_sub_fan_poll(f, 0), 0);
	assert_int_equal(k.sets, 0);
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.shards, 2);
	assert_int_equal(st.merge.subjects, 2);
	assert_int_equal(st.ring_version, 1);
	blocklist_sub_fan_free(f);
	ring_free(r);
}

static void ring_change_keeps_adds_and_drops_shards(void **state)
{
	struct sink k = {0};
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k };
	struct ring *r1 = R("version 1\na tcp://127.0.0.1:7450 1\nb tcp://127.0.0.1:7460 1\n");
	struct ring *r2 = R("version 2\na tcp://127.0.0.1:7450 1\nc tcp://127.0.0.1:7470 1\n");
	struct ring *bad = R("version 3\na tcp://127.0.0.1:65535 1\n");
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char err[256];

	(void)state;
	f = blocklist_sub_fan_new(&c, r1, err, sizeof(err));
	assert_non_null(f);
	snap(blocklist_sub_fan_shard_sub(f, 0), 3, "10.213.1.1");
	snap(blocklist_sub_fan_shard_sub(f, 1), 5, "10.213.2.2");
	assert_int_equal(k.n, 2);
	assert_int_equal(blocklist_sub_fan_set_ring(f, r2, err, sizeof(err)), 0);
	/* a kept its list and version; b left with its entry; c is new */
	assert_int_equal(blocklist_sub_version(blocklist_sub_fan_shard_sub(f, 0)), 3);
	assert_null(blocklist_sub_fan_shard_name(f, 1));
	assert_string_equal(blocklist_sub_fan_shard_name(f, 2), "c");
	assert_true(blocklist_sub_needs_snapshot(blocklist_sub_fan_shard_sub(f, 2)));
	assert_int_equal(k.n, 1);
	assert_int_equal(k.dels, 1);
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.shards, 2);
	assert_int_equal(st.dropped_shards, 1);
	assert_int_equal(st.ring_changes, 1);
	/* an endpoint without a block list port is refused, with its name */
	assert_int_equal(blocklist_sub_fan_set_ring(f, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "shard a"));
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.refused_shards, 1);
	/* a keeps its subscription and list; c left */
	assert_int_equal(blocklist_sub_version(blocklist_sub_fan_shard_sub(f, 0)), 3);
	assert_int_equal(k.n, 1);
	assert_null(blocklist_sub_fan_shard_name(f, 2));
	blocklist_sub_fan_free(f);
	/* and so is a first ring holding one */
	assert_null(blocklist_sub_fan_new(&c, bad, err, sizeof(err)));
	ring_free(bad);
	/* ports one apart: a's block list (port + 1) would be b's events */
	bad = R("version 4\na tcp://127.0.0.1:7450 1\nb tcp://127.0.0.1:7451 1\n");
	assert_null(blocklist_sub_fan_new(&c, bad, err, sizeof(err)));
	assert_non_null(strstr(err, "shard a: its block list endpoint tcp://127.0.0.1:7451 is shard b's"));
	ring_free(r1);
	ring_free(r2);
	ring_free(bad);
}

static void write_ring(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void ring_file_reread_when_it_changes(void **state)
{
	struct sink k = {0};
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k };
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char path[64], err[256];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_fan_ring.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_ring(path, "version 1\na tcp://127.0.0.1:7450 1\nb tcp://127.0.0.1:7460 1\n");
	f = blocklist_sub_fan_open(&c, path, err, sizeof(err));
	assert_non_null(f);
	snap(blocklist_sub_fan_shard_sub(f, 1), 2, "10.213.2.2");
	assert_int_equal(k.n, 1);
	/* unchanged file: nothing */
	assert_int_equal(blocklist_sub_fan_check_ring(f, 5000, 1, err, sizeof(err)), 0);
	/* a higher version: taken (b left with its entry, c joins) */
	write_ring(path, "version 2\na tcp://127.0.0.1:7450 1\nc tcp://127.0.0.1:7470 1\n#\n");
	assert_int_equal(blocklist_sub_fan_check_ring(f, 6000, 1, err, sizeof(err)), 1);
	assert_null(blocklist_sub_fan_shard_name(f, 1));
	assert_string_equal(blocklist_sub_fan_shard_name(f, 2), "c");
	assert_int_equal(k.n, 0);
	/* the same version with other shards: refused, nothing changes */
	write_ring(path, "version 2\nd tcp://127.0.0.1:7480 1\n");
	assert_int_equal(blocklist_sub_fan_check_ring(f, 7000, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "version"));
	assert_string_equal(blocklist_sub_fan_shard_name(f, 2), "c");
	/* a bad file: refused with the parser's sentence */
	write_ring(path, "version 3\nd tcp://127.0.0.1:7480 0\n# a bad weight\n");
	assert_int_equal(blocklist_sub_fan_check_ring(f, 8000, 1, err, sizeof(err)), -1);
	/* not forced: at most once a second */
	write_ring(path, "version 4\nd tcp://127.0.0.1:7480 1\n");
	assert_int_equal(blocklist_sub_fan_check_ring(f, 8500, 0, err, sizeof(err)), 0);
	assert_int_equal(blocklist_sub_fan_check_ring(f, 9100, 0, err, sizeof(err)), 1);
	assert_string_equal(blocklist_sub_fan_shard_name(f, 3), "d");
	blocklist_sub_fan_get_stats(f, &st);
	assert_int_equal(st.ring_version, 4);
	assert_int_equal(st.ring_refused, 2);
	assert_int_equal(st.ring_changes, 2);
	blocklist_sub_fan_free(f);
	unlink(path);
}

/* A block that covers a shard's host drops what the shard sends back: the
 * collector loses its uplink and this very block list, so the removal
 * could never arrive. The collector's kernel allow trie holds neither the
 * ring's hosts (main.c builds it from --correlator, empty with a ring)
 * nor is the fan's shield passed down, so the fan refuses such a block
 * (counted) instead of trusting the downstream to exempt the host. */
static void blocks_covering_a_shard_host_are_refused(void **state)
{
	static const char *const list[] = { "10.0.0.0/24", "10.0.1.0/24", "0.0.0.0/1",
					    "::ffff:10.0.0.0/120" };
	struct sink k = {0};
	struct blocklist_sub_fan_config c = { .no_sockets = 1, .apply = sink_apply, .ctx = &k };
	struct ring *r = R("version 1\na tcp://10.0.0.1:7450 1\nb tcp://10.0.0.2:7460 1\n");
	struct blocklist_sub_fan_stats st;
	struct blocklist_sub_fan *f;
	char err[256];

	(void)state;
	f = blocklist_sub_fan_new(&c, r, err, sizeof(err));
	assert_non_null(f);
	snap_n(blocklist_sub_fan_shard_sub(f, 0), 1, list, 4);
	blocklist_sub_fan_get_stats(f, &st);
	print_message("applied %u of 4, protected_refused %llu\n", k.n,
		      (unsigned long long)st.protected_refused);
	assert_int_equal(k.n, 1); /* 10.0.1.0/24 alone */
	/* 10.0.0.0/24 and 0.0.0.0/1; ::ffff:10.0.0.0/120 is 10.0.0.0/24 */
	assert_int_equal(st.protected_refused, 2);
	blocklist_sub_fan_free(f);
	ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_endpoint_is_the_next_port),
		cmocka_unit_test(protected_addresses_are_never_applied),
		cmocka_unit_test(blocks_covering_a_shard_host_are_refused),
		cmocka_unit_test(left_shards_are_cleaned_and_slots_reused),
		cmocka_unit_test(each_shard_has_its_list_and_counter),
		cmocka_unit_test(ring_change_keeps_adds_and_drops_shards),
		cmocka_unit_test(ring_file_reread_when_it_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
