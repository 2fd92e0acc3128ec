/* test_blocklist_sub.c - the block list subscriber's state machine: version
 * ordering, gaps -> snapshot, duplicates, ticks, atomic versions, expiry. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>

#include "collector/uplink/blocklist_sub.h"

/* The apply callback writes "+cidr|identity|expiry" / "-cidr|identity"
 * into a log; fail_on makes the call for that subject fail. */
struct rec {
	char log[64][224];
	unsigned n;
	const char *fail_on;
};

static void subj(const struct blocklist_entry *e, char *out, size_t cap)
{
	char c[64];

	blocklist_format_cidr(e, c, sizeof(c));
	snprintf(out, cap, "%s|%s", c, e->identity);
}

static int rec_apply(void *ctx, const struct blocklist_entry *e, int op)
{
	struct rec *r = ctx;
	char s[200];

	subj(e, s, sizeof(s));
	if (r->fail_on && strcmp(r->fail_on, s) == 0 && op == BLOCKLIST_ADD)
		return -EIO;
	if (r->n < 64)
		snprintf(r->log[r->n++], sizeof(r->log[0]), "%c%s",
			 op == BLOCKLIST_ADD ? '+' : '-', s);
	return 0;
}

static struct blocklist_entry E(const char *cidr, const char *ident,
			       uint64_t exp)
{
	struct blocklist_entry e;

	memset(&e, 0, sizeof(e));
	if (cidr)
		assert_int_equal(blocklist_parse_cidr(cidr, &e), 0);
	snprintf(e.identity, sizeof(e.identity), "%s", ident ? ident : "");
	snprintf(e.rule, sizeof(e.rule), "fleet.test");
	e.expires_us = exp;
	return e;
}

static uint8_t buf[1 << 16];

static int delta(struct blocklist_sub *b, uint64_t from, uint64_t to,
		 const struct blocklist_entry *add, size_t na,
		 const struct blocklist_entry *del, size_t nd)
{
	size_t len;

	assert_int_equal(blocklist_encode_delta(buf, sizeof(buf), &len, from, to,
					       add, na, del, nd), 0);
	return blocklist_sub_on_delta(b, buf, len);
}

static int snapshot(struct blocklist_sub *b, uint64_t v,
		    const struct blocklist_entry *e, size_t n)
{
	const struct blocklist_entry *p[16];
	size_t len, i;

	for (i = 0; i < n; i++)
		p[i] = &e[i];
	assert_int_equal(blocklist_encode_snapshot(buf, sizeof(buf), &len, v, p, n), 0);
	return blocklist_sub_on_snapshot(b, buf, len);
}

static struct blocklist_sub *mk(struct rec *r)
{
	struct blocklist_sub_config c = { .apply = rec_apply, .ctx = r };
	char err[256];
	struct blocklist_sub *b;

	memset(r, 0, sizeof(*r));
	b = blocklist_sub_new(&c, err, sizeof(err));
	assert_non_null(b);
	return b;
}

static void joined_subscriber_needs_a_snapshot_first(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry a = E("10.213.9.9", NULL, 0);

	(void)state;
	assert_true(blocklist_sub_needs_snapshot(b));
	/* a delta before the snapshot is kept, not applied */
	assert_int_equal(delta(b, 4, 5, &a, 1, NULL, 0), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(snapshot(b, 4, NULL, 0), 0);
	assert_false(blocklist_sub_needs_snapshot(b));
	assert_int_equal(blocklist_sub_version(b), 5);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.log[0], "+10.213.9.9/32|");
	blocklist_sub_free(b);
}

static void deltas_apply_in_version_order(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry a = E("10.213.9.9", NULL, 0), c = E("10.213.7.0/24", NULL, 0);
	struct blocklist_entry i = E(NULL, "key-abc", 0);

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 1, 2, &a, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 2, 3, &c, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 3, 4, &i, 1, &a, 1), 0);
	assert_int_equal(blocklist_sub_version(b), 4);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.log[0], "+10.213.9.9/32|");
	assert_string_equal(r.log[1], "+10.213.7.0/24|");
	/* within a version: removals first, then additions */
	assert_string_equal(r.log[2], "-10.213.9.9/32|");
	assert_string_equal(r.log[3], "+|key-abc");
	assert_false(blocklist_sub_needs_snapshot(b));
	blocklist_sub_free(b);
}

static void duplicate_and_old_deltas_are_ignored(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry a = E("10.213.9.9", NULL, 0);
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 7, NULL, 0), 0);
	assert_int_equal(delta(b, 7, 8, &a, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 7, 8, &a, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 6, 7, NULL, 0, &a, 1), 0);
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(r.n, 1);
	assert_int_equal(blocklist_sub_version(b), 8);
	assert_false(blocklist_sub_needs_snapshot(b));
	blocklist_sub_free(b);
}

static void gap_requests_snapshot_then_replays_kept_deltas(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry a = E("10.213.9.9", NULL, 0), c = E("10.213.9.10", NULL, 0);
	struct blocklist_entry d = E("10.213.9.11", NULL, 0);
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	/* 1->2 lost; 2->3 and 3->4 arrive */
	assert_int_equal(delta(b, 2, 3, &c, 1, NULL, 0), 0);
	assert_true(blocklist_sub_needs_snapshot(b));
	assert_int_equal(delta(b, 3, 4, &d, 1, NULL, 0), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(blocklist_sub_version(b), 1);
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.gaps, 1);
	/* the snapshot at 2 holds a; 2->3 and 3->4 follow from the kept ones */
	assert_int_equal(snapshot(b, 2, &a, 1), 0);
	assert_false(blocklist_sub_needs_snapshot(b));
	assert_int_equal(blocklist_sub_version(b), 4);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.log[0], "+10.213.9.9/32|");
	assert_string_equal(r.log[1], "+10.213.9.10/32|");
	assert_string_equal(r.log[2], "+10.213.9.11/32|");
	blocklist_sub_free(b);
}

static void out_of_order_delta_is_a_gap(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry a = E("10.213.9.9", NULL, 0), c = E("10.213.9.10", NULL, 0);

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 2, 3, &c, 1, NULL, 0), 0); /* early */
	assert_int_equal(delta(b, 1, 2, &a, 1, NULL, 0), 0); /* late */
	assert_true(blocklist_sub_needs_snapshot(b));
	assert_int_equal(r.n, 0);
	/* a snapshot older than both kept deltas: both replay in order */
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	assert_int_equal(blocklist_sub_version(b), 3);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.log[0], "+10.213.9.9/32|");
	assert_string_equal(r.log[1], "+10.213.9.10/32|");
	blocklist_sub_free(b);
}

static void tick_ahead_or_behind_requests_snapshot(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);

	(void)state;
	assert_int_equal(snapshot(b, 5, NULL, 0), 0);
	assert_int_equal(delta(b, 5, 5, NULL, 0, NULL, 0), 0);
	assert_false(blocklist_sub_needs_snapshot(b));
	assert_int_equal(delta(b, 6, 6, NULL, 0, NULL, 0), 0); /* missed 5->6 */
	assert_true(blocklist_sub_needs_snapshot(b));
	assert_int_equal(snapshot(b, 6, NULL, 0), 0);
	assert_int_equal(blocklist_sub_version(b), 6);
	/* the correlator's list went backwards (a new database): resync */
	assert_int_equal(delta(b, 2, 2, NULL, 0, NULL, 0), 0);
	assert_true(blocklist_sub_needs_snapshot(b));
	assert_int_equal(snapshot(b, 2, NULL, 0), 0);
	assert_int_equal(blocklist_sub_version(b), 2);
	blocklist_sub_free(b);
}

static void snapshot_replaces_the_list_by_difference(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry held[3] = { E("10.213.1.1", NULL, 0),
					  E("10.213.1.2", NULL, 0),
					  E(NULL, "tok", 0) };
	struct blocklist_entry snap[2] = { E("10.213.1.2", NULL, 0),
					  E("10.213.1.3", NULL, 0) };
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 1, held, 3), 0);
	assert_int_equal(r.n, 3);
	r.n = 0;
	assert_int_equal(delta(b, 9, 9, NULL, 0, NULL, 0), 0); /* tick ahead */
	assert_int_equal(snapshot(b, 9, snap, 2), 0);
	/* .1 and tok removed, .3 added, .2 untouched */
	assert_int_equal(r.n, 3);
	{
		int seen1 = 0, seentok = 0, seen3 = 0;
		unsigned i;
		for (i = 0; i < r.n; i++) {
			seen1 += strcmp(r.log[i], "-10.213.1.1/32|") == 0;
			seentok += strcmp(r.log[i], "-|tok") == 0;
			seen3 += strcmp(r.log[i], "+10.213.1.3/32|") == 0;
		}
		assert_int_equal(seen1 + seentok + seen3, 3);
	}
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.snapshots, 2);
	blocklist_sub_free(b);
}

static void failed_apply_undoes_the_whole_version(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_entry add[2] = { E("10.213.2.1", NULL, 0),
					 E("10.213.2.2", NULL, 0) };
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	r.fail_on = "10.213.2.2/32|";
	delta(b, 1, 2, add, 2, NULL, 0);
	/* .1 went in, .2 failed: .1 is taken back out, version stays 1 */
	assert_int_equal(r.n, 2);
	assert_string_equal(r.log[0], "+10.213.2.1/32|");
	assert_string_equal(r.log[1], "-10.213.2.1/32|");
	assert_int_equal(blocklist_sub_version(b), 1);
	assert_true(blocklist_sub_needs_snapshot(b));
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.apply_errors, 1);
	assert_int_equal(st.entries, 0);
	blocklist_sub_free(b);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void expired_entries_are_removed_locally(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	uint64_t t = now_us();
	struct blocklist_entry add[3] = { E("10.213.3.1", NULL, t + 1000000),
					 E("10.213.3.2", NULL, t + 5000000),
					 E("10.213.3.3", NULL, 0) };
	struct blocklist_entry gone = E("10.213.3.4", NULL, t - 1);
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 1, 2, add, 3, NULL, 0), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(blocklist_sub_expire(b, t), 0);
	assert_int_equal(blocklist_sub_expire(b, t + 1000000), 1);
	assert_string_equal(r.log[3], "-10.213.3.1/32|");
	assert_int_equal(blocklist_sub_expire(b, t + 4000000), 0);
	assert_int_equal(blocklist_sub_expire(b, t + 3600000000ull), 1);
	assert_string_equal(r.log[4], "-10.213.3.2/32|");
	/* an entry that arrives already expired is never applied */
	assert_int_equal(delta(b, 2, 3, &gone, 1, NULL, 0), 0);
	assert_int_equal(r.n, 5);
	/* the sweeper's DEL of an entry expired here is a no-op */
	assert_int_equal(delta(b, 3, 4, NULL, 0, add, 1), 0);
	assert_int_equal(r.n, 5);
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.expired, 2);
	assert_int_equal(st.entries, 1);
	assert_int_equal(blocklist_sub_version(b), 4);
	blocklist_sub_free(b);
}

static void readding_a_subject_updates_its_expiry_once(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	uint64_t t = now_us();
	struct blocklist_entry a1 = E("10.213.4.1", NULL, t + 10000000);
	struct blocklist_entry a2 = E("10.213.4.1", NULL, t + 20000000);
	struct blocklist_sub_stats st;

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 1, 2, &a1, 1, NULL, 0), 0);
	assert_int_equal(delta(b, 2, 3, &a2, 1, NULL, 0), 0); /* escalated */
	assert_int_equal(delta(b, 3, 4, &a2, 1, NULL, 0), 0); /* same value */
	assert_int_equal(r.n, 2);
	assert_int_equal(blocklist_sub_expire(b, t + 15000000), 0);
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.entries, 1);
	blocklist_sub_free(b);
}

static void bad_messages_are_counted_and_change_nothing(void **state)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t len;
		int snap;
	} cases[] = {
		{ "empty", "", 0, 0 },
		{ "wrong tag", "X\x08\x01", 3, 0 },
		{ "garbage after tag", "D\xff\xff\xff", 4, 0 },
		{ "version 0", "D\x10\x01\x18\x02", 5, 0 },
		{ "two-step delta", "D\x08\x01\x10\x01\x18\x03", 7, 0 },
		{ "entry with 5-byte addr", "D\x08\x01\x10\x01\x18\x02\x22\x07\x0a\x05\x01\x02\x03\x04\x05", 16, 0 },
		{ "entry with no subject", "D\x08\x01\x10\x01\x18\x02\x22\x02\x10\x05", 11, 0 },
		{ "prefix past 32", "D\x08\x01\x10\x01\x18\x02\x22\x08\x0a\x04\x0a\x00\x00\x01\x10\x21", 17, 0 },
		{ "snapshot garbage", "S\xff", 2, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r;
		struct blocklist_sub *b = mk(&r);
		struct blocklist_sub_stats st;
		int rc;

		assert_int_equal(snapshot(b, 1, NULL, 0), 0);
		if (cases[i].snap)
			rc = blocklist_sub_on_snapshot(b, cases[i].bytes, cases[i].len);
		else
			rc = blocklist_sub_on_delta(b, cases[i].bytes, cases[i].len);
		blocklist_sub_get_stats(b, &st);
		if (rc != -EBADMSG || st.bad_messages != 1 || r.n != 0 ||
		    blocklist_sub_version(b) != 1)
			fail_msg("case '%s': rc %d bad %llu applied %u", cases[i].name,
				 rc, (unsigned long long)st.bad_messages, r.n);
		blocklist_sub_free(b);
	}
}

static void cidr_parse_clears_host_bits(void **state)
{
	static const struct {
		const char *in, *out;
		int rc;
	} cases[] = {
		{ "10.213.9.9", "10.213.9.9/32", 0 },
		{ "10.213.9.9/24", "10.213.9.0/24", 0 },
		{ "10.213.9.9/0", "0.0.0.0/0", 0 },
		{ "2001:db8::1/32", "2001:db8::/32", 0 },
		{ "10.213.9.9/33", NULL, -EINVAL },
		{ "10.213.9/8", NULL, -EINVAL },
		{ "/8", NULL, -EINVAL },
		{ "10.0.0.1/x", NULL, -EINVAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct blocklist_entry e;
		char out[64];

		memset(&e, 0, sizeof(e));
		assert_int_equal(blocklist_parse_cidr(cases[i].in, &e), cases[i].rc);
		if (cases[i].rc)
			continue;
		blocklist_format_cidr(&e, out, sizeof(out));
		assert_string_equal(out, cases[i].out);
	}
}

static void many_entries_survive_table_growth(void **state)
{
	struct rec r;
	struct blocklist_sub *b = mk(&r);
	struct blocklist_sub_stats st;
	unsigned i;

	(void)state;
	assert_int_equal(snapshot(b, 1, NULL, 0), 0);
	for (i = 0; i < 3000; i++) {
		struct blocklist_entry e;
		char c[32];

		snprintf(c, sizeof(c), "10.213.%u.%u", i / 250, i % 250 + 1);
		e = E(c, NULL, 0);
		assert_int_equal(delta(b, 1 + i, 2 + i, &e, 1, NULL, 0), 0);
		if (i % 2) /* a tick at the current version changes nothing */
			assert_int_equal(delta(b, 2 + i, 2 + i, NULL, 0, NULL, 0), 0);
	}
	for (i = 0; i < 3000; i += 2) {
		struct blocklist_entry e;
		char c[32];

		snprintf(c, sizeof(c), "10.213.%u.%u", i / 250, i % 250 + 1);
		e = E(c, NULL, 0);
		assert_int_equal(delta(b, 3001 + i / 2, 3002 + i / 2, NULL, 0, &e, 1), 0);
	}
	blocklist_sub_get_stats(b, &st);
	assert_int_equal(st.entries, 1500);
	assert_int_equal(blocklist_sub_version(b), 4501);
	blocklist_sub_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joined_subscriber_needs_a_snapshot_first),
		cmocka_unit_test(deltas_apply_in_version_order),
		cmocka_unit_test(duplicate_and_old_deltas_are_ignored),
		cmocka_unit_test(gap_requests_snapshot_then_replays_kept_deltas),
		cmocka_unit_test(out_of_order_delta_is_a_gap),
		cmocka_unit_test(tick_ahead_or_behind_requests_snapshot),
		cmocka_unit_test(snapshot_replaces_the_list_by_difference),
		cmocka_unit_test(failed_apply_undoes_the_whole_version),
		cmocka_unit_test(expired_entries_are_removed_locally),
		cmocka_unit_test(readding_a_subject_updates_its_expiry_once),
		cmocka_unit_test(bad_messages_are_counted_and_change_nothing),
		cmocka_unit_test(cidr_parse_clears_host_bits),
		cmocka_unit_test(many_entries_survive_table_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
