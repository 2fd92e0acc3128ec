/* sw-probe-floor - attach programs that do nothing where the collector
 * attaches its TLS probes, so a benchmark can tell the kernel's uprobe
 * dispatch from sidewatch's own work (bpf/floor.bpf.c).
 *
 *   sw-probe-floor LIBSSL
 *
 * The sites are the collector's (collector/capture/tls.c): the internal read and
 * write functions when tls_site finds them, else SSL_read, SSL_write and their
 * _ex variants; entry and return each, and SSL_free's entry. Prints
 * "ready sites=N" once attached; on SIGINT or SIGTERM prints
 * "hits enter=E leave=L free=F" (reads and writes entered and returned,
 * SSL_free entered) and exits 0. Exit 1 when nothing could be
 * attached.
 */
#include "floor.skel.h"
#include "collector/capture/tls_site.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINKS 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct site {
	const char *func; /* NULL: off is a file offset */
	uint64_t off;
};

/* Return then entry (as the collector does) at a read or write site; only
 * the entry, with its own counter, at SSL_free. */
static int attach(struct floor_bpf *s, const char *path, struct site at,
		  int is_free, struct bpf_link **links, int *n)
{
	for (int ret = is_free ? 0 : 1; ret >= 0; ret--) {
		LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = at.func,
			    .retprobe = ret != 0);
		struct bpf_program *p = is_free ? s->progs.floor_free :
					ret ? s->progs.floor_leave : s->progs.floor_enter;
		struct bpf_link *l;

		if (*n >= MAX_LINKS)
			return -E2BIG;
		l = bpf_program__attach_uprobe_opts(p, -1, path, (size_t)at.off, &o);
		if (!l)
			return -errno;
		links[(*n)++] = l;
	}
	return 0;
}

static uint64_t sum(int fd, uint32_t key, int ncpu)
{
	uint64_t v[ncpu], t = 0;

	if (bpf_map_lookup_elem(fd, &key, v))
		return 0;
	for (int i = 0; i < ncpu; i++)
		t += v[i];
	return t;
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct tls_site_ssl us;
	struct floor_bpf *s;
	int n = 0, rc = 0, ncpu, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: sw-probe-floor LIBSSL\n");
		return 2;
	}
	ncpu = libbpf_num_possible_cpus();
	s = floor_bpf__open_and_load();
	if (!s || ncpu <= 0) {
		fprintf(stderr, "sw-probe-floor: cannot load the programs: %s\n",
			strerror(errno));
		return 1;
	}
	if (tls_site_ssl_find(argv[1], &us) == 0) {
		rc = attach(s, argv[1], (struct site){ NULL, us.read_off }, 0, links, &n);
		if (!rc)
			rc = attach(s, argv[1], (struct site){ NULL, us.write_off }, 0,
				    links, &n);
	} else {
		static const char *const req[] = { "SSL_read", "SSL_write" };
		static const char *const opt[] = { "SSL_read_ex", "SSL_write_ex" };

		for (size_t i = 0; !rc && i < 2; i++)
			rc = attach(s, argv[1], (struct site){ req[i], 0 }, 0, links, &n);
		for (size_t i = 0; !rc && i < 2; i++)
			(void)attach(s, argv[1], (struct site){ opt[i], 0 }, 0, links, &n);
	}
	if (!rc)
		(void)attach(s, argv[1], (struct site){ "SSL_free", 0 }, 1, links, &n);
	if (rc) {
		fprintf(stderr, "sw-probe-floor: cannot probe %s: %s\n", argv[1],
			strerror(-rc));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready sites=%d\n", n);
	fflush(stdout);
	while (!stop)
		sleep(1);
	fd = bpf_map__fd(s->maps.floor_hits);
	printf("hits enter=%llu leave=%llu free=%llu\n",
	       (unsigned long long)sum(fd, 0, ncpu),
	       (unsigned long long)sum(fd, 1, ncpu),
	       (unsigned long long)sum(fd, 2, ncpu));
out:
	while (n > 0)
		bpf_link__destroy(links[--n]);
	floor_bpf__destroy(s);
	return rc ? 1 : 0;
}
