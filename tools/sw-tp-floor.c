/* sw-tp-floor - attach programs that do nothing to the socket tracepoints
 * the collector's capture uses (bpf/floor_tp.bpf.c), so a benchmark can
 * tell what any program on those hooks costs from what sidewatch's own
 * programs add (tools/bench-progcost.sh).
 *
 *   sw-tp-floor                 attach; print "ready progs=3"; on SIGINT or
 *                               SIGTERM detach and exit 0
 *   sw-tp-floor --cost N ROUNDS the CPU one socket call costs without and
 *                               with the three attached: ROUNDS rounds, each
 *                               N send + N recv of one byte on a UNIX
 *                               stream pair detached, then the same attached;
 *                               prints one line per round, a median line
 *                               "median detached=D attached=A added=X" (ns
 *                               per call, this process's CPU time; added is
 *                               the median of the rounds' differences) and
 *                               "least detached=D attached=A added=X" (the
 *                               least of each side: the rounds least
 *                               disturbed by the rest of the machine)
 *   sw-tp-floor --cost N ROUNDS tcp  the same on a TCP connection over
 *                               127.0.0.1 (Nagle off)
 *
 * Exit 1 when the programs cannot be loaded or attached. Their runs and
 * run time are the kernel's (bpf_stats).
 */
#include "floor_tp.skel.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 64

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ns of CPU per socket call over n one-byte send/recv pairs; -1 on error */
static double per_call(const int sv[2], long n)
{
	uint64_t t0 = cpu_ns();
	char b = 'x';

	for (long i = 0; i < n; i++) {
		if (send(sv[0], &b, 1, 0) != 1 || recv(sv[1], &b, 1, 0) != 1)
			return -1;
	}
	return (double)(cpu_ns() - t0) / (double)(2 * n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A connected TCP pair on 127.0.0.1 (an ephemeral port), Nagle off so
 * each one-byte send goes out at once; 0 or -1 */
static int tcp_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int l, one = 1;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		goto fail;
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (sv[0] < 0 || connect(sv[0], (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	sv[1] = accept(l, NULL, NULL);
	if (sv[1] < 0)
		goto fail;
	close(l);
	return setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
fail:
	close(l);
	return -1;
}

static int cost(struct floor_tp_bpf *s, long n, int rounds, int tcp)
{
	double off[MAX_ROUNDS], on[MAX_ROUNDS], add[MAX_ROUNDS];
	int sv[2];

	if (tcp ? tcp_pair(sv) : socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		fprintf(stderr, "sw-tp-floor: socket pair: %s\n", strerror(errno));
		return 1;
	}
	(void)per_call(sv, n / 10 + 1); /* warm the path */
	for (int r = 0; r < rounds; r++) {
		int err;

		off[r] = per_call(sv, n);
		err = floor_tp_bpf__attach(s);
		if (err) {
			fprintf(stderr, "sw-tp-floor: cannot attach: %s\n", strerror(-err));
			return 1;
		}
		on[r] = per_call(sv, n);
		floor_tp_bpf__detach(s);
		if (off[r] < 0 || on[r] < 0) {
			fprintf(stderr, "sw-tp-floor: socket call failed: %s\n", strerror(errno));
			return 1;
		}
		add[r] = on[r] - off[r];
		printf("round %d detached=%.1f attached=%.1f added=%.1f\n", r + 1, off[r],
		       on[r], add[r]);
	}
	printf("median detached=%.1f attached=%.1f added=%.1f\n", median(off, rounds),
	       median(on, rounds), median(add, rounds));
	/* sorted by median(): the least of each side, the round least
	 * disturbed by the rest of the machine */
	printf("least detached=%.1f attached=%.1f added=%.1f\n", off[0], on[0],
	       on[0] - off[0]);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_tp_bpf *s;
	long n = 0;
	int rounds = 0, tcp = 0, err;

	if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "tcp"))) &&
	    !strcmp(argv[1], "--cost")) {
		n = strtol(argv[2], NULL, 10);
		rounds = atoi(argv[3]);
		tcp = argc == 5;
	}
	if (!(argc == 1 || (n > 0 && n <= 100000000 && rounds > 0 && rounds <= MAX_ROUNDS))) {
		fprintf(stderr, "usage: sw-tp-floor [--cost N ROUNDS [tcp]]\n");
		return 2;
	}
	s = floor_tp_bpf__open_and_load();
	if (!s) {
		fprintf(stderr, "sw-tp-floor: cannot load the programs: %s\n",
			strerror(errno));
		return 1;
	}
	if (rounds) {
		err = cost(s, n, rounds, tcp);
		floor_tp_bpf__destroy(s);
		return err;
	}
	err = floor_tp_bpf__attach(s);
	if (err) {
		fprintf(stderr, "sw-tp-floor: cannot attach: %s\n", strerror(-err));
		floor_tp_bpf__destroy(s);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready progs=3\n");
	fflush(stdout);
	while (!stop)
		pause();
	floor_tp_bpf__destroy(s);
	return 0;
}
