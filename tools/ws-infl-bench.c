/* tools/ws-infl-bench.c - CPU per permessage-deflate client message in
 * ws_infl (the decode alone, no judging): MSGS messages of SIZE bytes of
 * text compressed by zlib on one stream as a peer does (sync flush, tail
 * stripped, context taken over), decoded one after another on one
 * connection's state, its 32 KiB window filled first by one 32 KiB
 * message (not timed); prints the median and p99 of the thread's CPU time
 * per message over 20 rounds, in microseconds.
 *   cc -O2 -I. tools/ws-infl-bench.c build/libcollector.a build/libcommon.a -lz -o build/ws-infl-bench
 *   build/ws-infl-bench [SIZE] [MSGS] [CONNS]
 * CONNS 2: two connections get the same stream, message by message in
 * turn (each decode then finds the other's window in the shared buffer:
 * the worst case); the time is per message decoded.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "collector/decode/ws_infl.h"

#define ROUNDS 20

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	size_t msgs = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	int conns = argc > 3 && atoi(argv[3]) == 2 ? 2 : 1;
	static const char words[] = "the quick brown fox jumps over a lazy dog 0123456789 ";
	struct ws_infl_params p = { .no_takeover = 0, .window_bits = 15 };
	uint8_t group[16] = { 10 };
	size_t cap = size + 64, *clen = calloc(msgs, sizeof(*clen)), wlen;
	static char warm[32768];
	static uint8_t wcomp[40000];
	uint8_t *comp = malloc(msgs * cap);
	char *text = malloc(size + 1);
	double per[ROUNDS];
	z_stream z;

	if (!clen || !comp || !text || !size || !msgs)
		return 2;
	for (int r = 0; r < ROUNDS; r++) {
		struct ws_infl *ws[2] = { ws_infl_new(&p, group, 0, 0), ws_infl_new(&p, group, 0, 0) };
		double t0;

		memset(&z, 0, sizeof(z));
		if (!ws[0] || !ws[1] || deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return 2;
		/* varied enough to stay under the 100:1 ratio cap */
		for (size_t i = 0, x = (size_t)r + 1; i < sizeof(warm); i++) {
			x = x * 1103515245u + 12345u;
			warm[i] = words[(x >> 8) % (sizeof(words) - 1)];
		}
		z.next_in = (Bytef *)warm;
		z.avail_in = sizeof(warm);
		z.next_out = wcomp;
		z.avail_out = sizeof(wcomp);
		if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in)
			return 2;
		wlen = sizeof(wcomp) - z.avail_out - 4;
		for (size_t m = 0; m < msgs; m++) {
			for (size_t i = 0; i < size; i++)
				text[i] = words[(m * 7 + i * 3 + (size_t)r) % (sizeof(words) - 1)];
			z.next_in = (Bytef *)text;
			z.avail_in = (uInt)size;
			z.next_out = comp + m * cap;
			z.avail_out = (uInt)cap;
			if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in)
				return 2;
			clen[m] = cap - z.avail_out - 4;
		}
		deflateEnd(&z);
		for (int k = 0; k < conns; k++) {
			const uint8_t *out;
			size_t n;

			ws_infl_add(ws[k], wcomp, wlen);
			if (ws_infl_end(ws[k], &out, &n) || n != sizeof(warm))
				return 1;
			ws_infl_done(ws[k]);
		}
		t0 = now_us();
		for (size_t m = 0; m < msgs; m++) {
			for (int k = 0; k < conns; k++) {
				const uint8_t *out;
				size_t n;

				ws_infl_add(ws[k], comp + m * cap, clen[m]);
				if (ws_infl_end(ws[k], &out, &n) || n != size) {
					fprintf(stderr, "message %zu did not decode\n", m);
					return 1;
				}
				ws_infl_done(ws[k]);
			}
		}
		per[r] = (now_us() - t0) / (double)(msgs * (size_t)conns);
		ws_infl_free(ws[0]);
		ws_infl_free(ws[1]);
	}
	qsort(per, ROUNDS, sizeof(per[0]), cmpd);
	printf("size %zu msgs %zu conns %d: median %.3f us/msg, p99 %.3f us/msg\n", size, msgs, conns,
	       per[ROUNDS / 2], per[ROUNDS - 1]);
	free(clen);
	free(comp);
	free(text);
	return 0;
}
