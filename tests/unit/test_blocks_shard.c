/* test_blocks_shard.c - a shard's correlator records the version of ITS
 * block list from a heartbeat that lists every shard's
 * (blocks_heartbeat_shard). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "correlator/blocks.h"
#include "sidewatch.pb.h"

static void add(sidewatch_Heartbeat *hb, const char *name, uint64_t v)
{
	sidewatch_ShardVersion *s = &hb->blocklist_shards[hb->blocklist_shards_count++];

	snprintf(s->shard, sizeof(s->shard), "%s", name);
	s->version = v;
}

static void each_shard_takes_its_own_version(void **state)
{
	sidewatch_Heartbeat hb = sidewatch_Heartbeat_init_zero;

	(void)state;
	hb.blocklist_version = 99; /* what an old field would say */
	add(&hb, "a", 12);
	add(&hb, "b", 4);
	add(&hb, "bb", 7);
	assert_int_equal(blocks_heartbeat_shard(&hb, "b"), 1);
	assert_int_equal(hb.blocklist_version, 4);
	assert_int_equal(blocks_heartbeat_shard(&hb, "bb"), 1);
	assert_int_equal(hb.blocklist_version, 7);
	assert_int_equal(blocks_heartbeat_shard(&hb, "a"), 1);
	assert_int_equal(hb.blocklist_version, 12);
	/* listed shards without us: we are not held at all */
	assert_int_equal(blocks_heartbeat_shard(&hb, "c"), 1);
	assert_int_equal(hb.blocklist_version, 0);
}

static void unsharded_heartbeats_stay_as_sent(void **state)
{
	sidewatch_Heartbeat hb = sidewatch_Heartbeat_init_zero;

	(void)state;
	hb.blocklist_version = 5;
	assert_int_equal(blocks_heartbeat_shard(&hb, "a"), 0);
	assert_int_equal(hb.blocklist_version, 5);
	add(&hb, "a", 8);
	assert_int_equal(blocks_heartbeat_shard(&hb, NULL), 0);
	assert_int_equal(hb.blocklist_version, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_shard_takes_its_own_version),
		cmocka_unit_test(unsharded_heartbeats_stay_as_sent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
