/* test_spool.c - the uplink's on-disk spool: append, read back, ack,
 * reopen, overflow accounting, damaged records. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "collector/uplink/spool.h"

struct fix {
	char dir[64];
};

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_spool.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct spool *open_sp(struct fix *f, uint64_t max, uint64_t seg,
			     uint64_t min_seq)
{
	struct spool_config c = { .dir = f->dir, .max_bytes = max,
				  .segment_bytes = seg, .min_seq = min_seq };
	struct spool *sp = NULL;
	char err[256];

	assert_int_equal(spool_open(&sp, &c, err, sizeof(err)), 0);
	return sp;
}

static void put(struct spool *sp, const char *s, uint64_t want_seq)
{
	uint64_t seq = 0;

	assert_int_equal(spool_append(sp, s, strlen(s), &seq), 0);
	assert_int_equal(seq, want_seq);
}

/* Read the next record after `after`; returns its seq, checks payload. */
static uint64_t get(struct spool *sp, uint64_t after, const char *want)
{
	char buf[256];
	uint64_t seq = 0;
	size_t len = 0;

	assert_int_equal(spool_read(sp, after, &seq, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
	return seq;
}

static void expect_none(struct spool *sp, uint64_t after)
{
	char buf[16];
	uint64_t seq;
	size_t len;

	assert_int_equal(spool_read(sp, after, &seq, buf, sizeof(buf), &len), -ENOENT);
}

static int count_files(const char *dir)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s | grep -c '^seg-'", dir);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

static void test_append_then_read_in_seq_order(void **state)
{
	struct spool *sp = open_sp(*state, 1 << 20, 0, 100);
	struct spool_stats st;

	put(sp, "alpha", 100);
	put(sp, "beta", 101);
	put(sp, "gamma", 102);
	assert_int_equal(get(sp, 0, "alpha"), 100);
	assert_int_equal(get(sp, 100, "beta"), 101);
	assert_int_equal(get(sp, 101, "gamma"), 102);
	expect_none(sp, 102);
	/* rewind: reading from an earlier point works after a resume */
	assert_int_equal(get(sp, 99, "alpha"), 100);
	spool_get_stats(sp, &st);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.pending, 3);
	assert_int_equal(st.bytes, 3 * SPOOL_HDR_SIZE + 5 + 4 + 5);
	spool_close(sp);
}

static void test_ack_forgets_up_to_seq_and_deletes_segments(void **state)
{
	struct fix *f = *state;
	/* each record 16 + 6 bytes; a segment holds two */
	struct spool *sp = open_sp(f, 4096, 44, 1);
	struct spool_stats st;

	put(sp, "rec-01", 1);
	put(sp, "rec-02", 2);
	put(sp, "rec-03", 3);
	put(sp, "rec-04", 4);
	put(sp, "rec-05", 5);
	assert_int_equal(count_files(f->dir), 3);
	assert_int_equal(spool_ack(sp, 3), 0);
	assert_int_equal(count_files(f->dir), 2); /* 1-2 gone, 3-4 holds 4 */
	assert_int_equal(get(sp, 0, "rec-04"), 4);
	spool_get_stats(sp, &st);
	assert_int_equal(st.pending, 2);
	assert_int_equal(st.acked_seq, 3);
	assert_int_equal(spool_ack(sp, 2), 0); /* going back is a no-op */
	assert_int_equal(get(sp, 0, "rec-04"), 4);
	assert_int_equal(spool_ack(sp, 5), 0);
	expect_none(sp, 0);
	assert_int_equal(count_files(f->dir), 0);
	put(sp, "rec-06", 6);
	assert_int_equal(get(sp, 0, "rec-06"), 6);
	spool_close(sp);
}

static void test_reopen_finds_unacked_and_continues_seq(void **state)
{
	struct fix *f = *state;
	struct spool *sp = open_sp(f, 4096, 44, 1);
	struct spool_stats st;

	put(sp, "rec-01", 1);
	put(sp, "rec-02", 2);
	put(sp, "rec-03", 3);
	assert_int_equal(spool_ack(sp, 1), 0);
	spool_close(sp);

	sp = open_sp(f, 4096, 44, 1);
	assert_int_equal(get(sp, 0, "rec-02"), 2);
	assert_int_equal(get(sp, 2, "rec-03"), 3);
	expect_none(sp, 3);
	put(sp, "rec-04", 4); /* goes to a new segment */
	assert_int_equal(get(sp, 3, "rec-04"), 4);
	spool_get_stats(sp, &st);
	assert_int_equal(st.pending, 3);
	assert_int_equal(st.corrupt, 0);
	spool_close(sp);

	/* everything acked, then reopened: seqs never go back */
	sp = open_sp(f, 4096, 44, 1);
	assert_int_equal(spool_ack(sp, 4), 0);
	spool_close(sp);
	sp = open_sp(f, 4096, 44, 1);
	expect_none(sp, 0);
	put(sp, "rec-05", 5);
	spool_close(sp);
}

static void test_overflow_drops_oldest_and_counts(void **state)
{
	struct fix *f = *state;
	/* 22-byte records, 2 per segment, room for 6 */
	struct spool *sp = open_sp(f, 132, 44, 1);
	struct spool_stats st;
	char s[8];
	int i;

	for (i = 1; i <= 10; i++) {
		snprintf(s, sizeof(s), "rec-%02d", i);
		put(sp, s, (uint64_t)i);
	}
	spool_get_stats(sp, &st);
	assert_true(st.bytes <= 132);
	assert_int_equal(st.dropped, 4);     /* 1-4 dropped, two segments */
	assert_int_equal(st.pending, 6);
	assert_int_equal(get(sp, 0, "rec-05"), 5);
	/* a record that can never fit is refused, not spooled */
	{
		char big[200];
		memset(big, 'x', sizeof(big));
		assert_int_equal(spool_append(sp, big, sizeof(big), NULL), -EMSGSIZE);
	}
	spool_close(sp);
}

static void test_corrupt_record_skipped_and_counted(void **state)
{
	struct fix *f = *state;
	struct spool *sp = open_sp(f, 4096, 4096, 1);
	struct spool_stats st;
	char path[128];
	int fd;

	put(sp, "rec-01", 1);
	put(sp, "rec-02", 2);
	put(sp, "rec-03", 3);
	spool_close(sp);

	/* flip a payload byte of record 2 */
	snprintf(path, sizeof(path), "%s/seg-%020d.swq", f->dir, 1);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 22 + 16 + 2), 1);
	/* and tear the tail: half a header */
	assert_int_equal(pwrite(fd, "\x05\x00\x00", 3, 66), 3);
	close(fd);

	sp = open_sp(f, 4096, 4096, 1);
	spool_get_stats(sp, &st);
	assert_int_equal(st.corrupt, 1);
	assert_int_equal(st.records, 2);
	assert_int_equal(get(sp, 0, "rec-01"), 1);
	assert_int_equal(get(sp, 1, "rec-03"), 3);
	expect_none(sp, 3);
	put(sp, "rec-04", 4);
	assert_int_equal(get(sp, 3, "rec-04"), 4);
	spool_close(sp);
}

static void test_read_reports_small_buffer(void **state)
{
	struct spool *sp = open_sp(*state, 4096, 0, 7);
	char buf[4];
	uint64_t seq;
	size_t len = 0;

	put(sp, "longer-than-4", 7);
	assert_int_equal(spool_read(sp, 0, &seq, buf, sizeof(buf), &len), -ENOBUFS);
	assert_int_equal(len, 13);
	spool_close(sp);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static ino_t acked_ino(const char *dir)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/acked", dir);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* Reopen the spool (after writing text into its "acked" file, unless
 * NULL) and check the acked seq it found. */
static struct spool *reopen_acked(struct fix *f, const char *text,
				  uint64_t want)
{
	struct spool_stats st;
	struct spool *sp;

	if (text)
		write_file(f->dir, "acked", text);
	sp = open_sp(f, 4096, 4096, 1);
	spool_get_stats(sp, &st);
	assert_int_equal(st.acked_seq, want);
	return sp;
}

/* The acked record is rewritten in place (one inode for every ack); a torn
 * or foreign record reads as "nothing acked" (everything spooled is sent
 * again), the bare number of earlier versions is honoured. */
static void test_acked_record_in_place_and_checked(void **state)
{
	struct fix *f = *state;
	struct spool *sp = open_sp(f, 4096, 4096, 1);
	ino_t ino;

	put(sp, "rec-01", 1);
	put(sp, "rec-02", 2);
	put(sp, "rec-03", 3);
	assert_int_equal(spool_ack(sp, 1), 0);
	ino = acked_ino(f->dir);
	assert_int_equal(spool_ack(sp, 2), 0);
	assert_int_equal(acked_ino(f->dir), ino);
	spool_close(sp);

	sp = reopen_acked(f, NULL, 2);
	assert_int_equal(get(sp, 0, "rec-03"), 3);
	spool_close(sp);
	/* a torn record: the seq's digits changed under its checksum */
	sp = reopen_acked(f, "00000000000000000003 00000000\n", 0);
	assert_int_equal(get(sp, 0, "rec-01"), 1);
	spool_close(sp);
	spool_close(reopen_acked(f, "garbage\n", 0));
	/* the format before: a bare number */
	sp = reopen_acked(f, "1\n", 1);
	assert_int_equal(get(sp, 0, "rec-02"), 2);
	/* the shorter old file is overwritten whole */
	assert_int_equal(spool_ack(sp, 3), 0);
	spool_close(sp);
	sp = reopen_acked(f, NULL, 3);
	expect_none(sp, 0);
	spool_close(sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_then_read_in_seq_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_forgets_up_to_seq_and_deletes_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_finds_unacked_and_continues_seq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_drops_oldest_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_record_skipped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_reports_small_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acked_record_in_place_and_checked, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
