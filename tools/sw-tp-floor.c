/* sw-tp-floor - attach programs that do nothing to the socket tracepoints
 * the collector's capture uses (bpf/floor_tp.bpf.c), so a benchmark can
 * tell what any program on those hooks costs from what sidewatch's own
 * programs add (tools/bench-progcost.sh).
 *
 *   sw-tp-floor
 *
 * Prints "ready progs=3" once the three are attached; on SIGINT or SIGTERM
 * detaches them and exits 0. Exit 1 when they cannot be loaded or
 * attached. Their runs and run time are the kernel's (bpf_stats).
 */
#include "floor_tp.skel.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct floor_tp_bpf *s;
	int err;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: sw-tp-floor\n");
		return 2;
	}
	s = floor_tp_bpf__open_and_load();
	if (!s) {
		fprintf(stderr, "sw-tp-floor: cannot load the programs: %s\n",
			strerror(errno));
		return 1;
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
