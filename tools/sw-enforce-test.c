/* sw-enforce-test - drive collector/enforce from a script, one command per
 * line on stdin, one result line per command on stdout (flushed), so that
 * integration tests can kill, block and measure while the process (and so
 * its tcx links) stays alive.
 *
 * Built by the integration tests against build/libcollector.a:
 *   cc -std=gnu11 -D_GNU_SOURCE -Ibpf -Icollector -Ibuild tools/sw-enforce-test.c \
 *      build/libcollector.a -lbpf -lelf -lz -lpthread -o sw-enforce-test
 *
 * Commands (NS: a namespace inode, a path like /run/netns/x, or 0 = ours):
 *   attach                       attach to every interface; "attached N total M"
 *   kill NS COOKIE [FAM LADDR LPORT RADDR RPORT]
 *                                "kill rc=R killed=K lat_us=L"
 *   block CIDR TTL_MS RULE       "block rc=R cut=N"
 *   unblock CIDR | allow CIDR | disallow CIDR      "ok" or "err ..."
 *   counters                     "counters passed=.. dropped=.. ..."
 *   bench-kill N [NS]            N loopback pairs killed one by one in NS
 *   bench-block N CIDR           N rounds of block -> first drop -> unblock;
 *                                needs traffic from CIDR meanwhile
 *   quit
 */
#include "collector/enforce/enforce.h"
#include "common/clock.h"
#include "common/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_BENCH 5000

static uint32_t parse_ns(const char *s)
{
	struct stat st;

	if (s[0] == '/')
		return stat(s, &st) ? 0xffffffffu : (uint32_t)st.st_ino;
	return (uint32_t)strtoul(s, NULL, 10);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *v, int n)
{
	if (n <= 0) {
		printf(" %s n=0", what);
		return;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	printf(" %s n=%d p50_us=%.1f p99_us=%.1f max_us=%.1f", what, n,
	       v[n / 2] / 1000.0, v[(n * 99) / 100 >= n ? n - 1 : (n * 99) / 100] / 1000.0,
	       v[n - 1] / 1000.0);
}

/* ---- bench-kill: loopback pairs made inside a namespace ------------------- */

struct pairs {
	const char *nspath;
	int n;
	int lfd;
	int *cfd, *sfd;
	struct sockaddr_in laddr;
	int rc;
};

/* A helper thread enters the namespace and makes the sockets there; the
 * sockets stay in it whichever thread later uses them. */
static void *make_pairs(void *arg)
{
	struct pairs *p = arg;
	socklen_t sl = sizeof(p->laddr);

	p->rc = -1;
	if (p->nspath) {
		int fd = open(p->nspath, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET))
			return NULL;
		close(fd);
	}
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&p->laddr, 0, sizeof(p->laddr));
	p->laddr.sin_family = AF_INET;
	p->laddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&p->laddr, sizeof(p->laddr)) ||
	    getsockname(p->lfd, (struct sockaddr *)&p->laddr, &sl) ||
	    listen(p->lfd, 128))
		return NULL;
	for (int i = 0; i < p->n; i++) {
		p->cfd[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (p->cfd[i] < 0 ||
		    connect(p->cfd[i], (struct sockaddr *)&p->laddr, sizeof(p->laddr)))
			return NULL;
		p->sfd[i] = accept(p->lfd, NULL, NULL);
		if (p->sfd[i] < 0)
			return NULL;
	}
	p->rc = 0;
	return NULL;
}

static void bench_kill(struct enforce *e, int n, const char *ns)
{
	struct pairs p = { .nspath = ns && strcmp(ns, "0") ? ns : NULL, .n = n };
	uint64_t *lat = calloc((size_t)n, sizeof(*lat));
	uint64_t *ret = calloc((size_t)n, sizeof(*ret));
	uint32_t ino = ns ? parse_ns(ns) : 0;
	pthread_t t;
	int ok = 0, fails = 0;

	p.cfd = calloc((size_t)n, sizeof(int));
	p.sfd = calloc((size_t)n, sizeof(int));
	if (!lat || !ret || !p.cfd || !p.sfd)
		goto out;
	for (int i = 0; i < n; i++)
		p.cfd[i] = p.sfd[i] = -1;
	p.lfd = -1;
	pthread_create(&t, NULL, make_pairs, &p);
	pthread_join(t, NULL);
	if (p.rc) {
		printf("bench-kill err=setup\n");
		goto close;
	}
	for (int i = 0; i < n; i++) {
		struct enforce_tuple tu = { .family = AF_INET };
		struct sockaddr_in ca;
		socklen_t sl = sizeof(ca);
		uint64_t t0, done = 0;
		int killed = 0;

		getsockname(p.cfd[i], (struct sockaddr *)&ca, &sl);
		memcpy(tu.laddr, &p.laddr.sin_addr, 4);
		memcpy(tu.raddr, &ca.sin_addr, 4);
		tu.lport = ntohs(p.laddr.sin_port);
		tu.rport = ntohs(ca.sin_port);
		t0 = clock_mono_ns();
		if (enforce_kill_n(e, 0, ino, &tu, &done, &killed) || !killed) {
			fails++;
			continue;
		}
		ret[ok] = clock_mono_ns() - t0;
		lat[ok++] = done - t0;
	}
	printf("bench-kill fails=%d", fails);
	report("call_to_destroyed", lat, ok);
	report("call_to_return", ret, ok);
	printf("\n");
close:
	for (int i = 0; i < n; i++) {
		if (p.cfd[i] >= 0)
			close(p.cfd[i]);
		if (p.sfd[i] >= 0)
			close(p.sfd[i]);
	}
	if (p.lfd >= 0)
		close(p.lfd);
out:
	free(p.cfd);
	free(p.sfd);
	free(lat);
	free(ret);
}

static void bench_block(struct enforce *e, int n, const struct enforce_cidr *c)
{
	uint64_t *lat = calloc((size_t)n, sizeof(*lat));
	int ok = 0, miss = 0;

	if (!lat)
		return;
	for (int i = 0; i < n; i++) {
		struct timespec pause = { 0, 5 * 1000 * 1000 };
		uint64_t t0, first = 0;

		enforce_first_drop_ns(e, 1);
		t0 = clock_mono_ns();
		if (enforce_block(e, c, 10ull * 1000000000ull, 1) < 0) {
			miss++;
			continue;
		}
		/* bounded: three seconds per round (a loaded 2-core machine
		 * has left the flooder unscheduled for 0.83 s) */
		while (!(first = enforce_first_drop_ns(e, 0)) &&
		       clock_mono_ns() - t0 < 3000000000ull)
			;
		enforce_unblock(e, c);
		if (first)
			lat[ok++] = first - t0;
		else
			miss++;
		nanosleep(&pause, NULL);
	}
	printf("bench-block misses=%d", miss);
	report("update_to_first_drop", lat, ok);
	printf("\n");
	free(lat);
}

static int parse_tuple(char **tok, int ntok, struct enforce_tuple *t)
{
	int af;

	if (ntok < 5)
		return -EINVAL;
	af = strcmp(tok[0], "6") == 0 || strcmp(tok[0], "inet6") == 0 ?
		     AF_INET6 : AF_INET;
	memset(t, 0, sizeof(*t));
	t->family = (uint8_t)af;
	if (inet_pton(af, tok[1], t->laddr) != 1 ||
	    inet_pton(af, tok[3], t->raddr) != 1)
		return -EINVAL;
	t->lport = (uint16_t)atoi(tok[2]);
	t->rport = (uint16_t)atoi(tok[4]);
	return 0;
}

int main(int argc, char **argv)
{
	struct enforce_config cfg = { 0 };
	struct enforce *e = NULL;
	char err[256], line[512];

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--netns") && i + 1 < argc)
			cfg.netns_self = !strcmp(argv[++i], "self");
	log_set_level(LOG_WARN);
	if (enforce_open(&e, &cfg, err, sizeof(err))) {
		fprintf(stderr, "sw-enforce-test: %s\n", err);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		char *tok[12], *save = NULL;
		int ntok = 0;

		for (char *s = strtok_r(line, " \t\n", &save); s && ntok < 12;
		     s = strtok_r(NULL, " \t\n", &save))
			tok[ntok++] = s;
		if (!ntok)
			continue;
		if (!strcmp(tok[0], "quit")) {
			break;
		} else if (!strcmp(tok[0], "attach")) {
			int rc = enforce_attach_all(e);

			printf("attached %d total %d\n", rc, enforce_attached(e));
		} else if (!strcmp(tok[0], "kill") && ntok >= 3) {
			struct enforce_tuple t;
			uint64_t t0, done = 0;
			int killed = 0, rc;

			if (ntok >= 8 && parse_tuple(tok + 3, ntok - 3, &t)) {
				printf("err bad tuple\n");
			} else {
				t0 = clock_mono_ns();
				rc = enforce_kill_n(e, strtoull(tok[2], NULL, 0),
						    parse_ns(tok[1]),
						    ntok >= 8 ? &t : NULL, &done,
						    &killed);
				printf("kill rc=%d killed=%d lat_us=%.1f\n", rc,
				       killed, done ? (done - t0) / 1000.0 : -1.0);
			}
		} else if (!strcmp(tok[0], "block") && ntok >= 4) {
			struct enforce_cidr c;
			int rc = enforce_cidr_parse(tok[1], &c);

			if (!rc)
				rc = enforce_block(e, &c,
						   strtoull(tok[2], NULL, 10) * 1000000ull,
						   (uint32_t)atoi(tok[3]));
			printf("block rc=%d cut=%d\n", rc < 0 ? rc : 0,
			       rc < 0 ? 0 : rc);
		} else if ((!strcmp(tok[0], "unblock") || !strcmp(tok[0], "allow") ||
			    !strcmp(tok[0], "disallow")) && ntok >= 2) {
			struct enforce_cidr c;
			int rc = enforce_cidr_parse(tok[1], &c);

			if (!rc)
				rc = tok[0][0] == 'u' ? enforce_unblock(e, &c) :
				     tok[0][0] == 'a' ? enforce_allow(e, &c, 1) :
							enforce_disallow(e, &c);
			if (rc)
				printf("err %s\n", strerror(-rc));
			else
				printf("ok\n");
		} else if (!strcmp(tok[0], "counters")) {
			uint64_t v[SW_ENF__MAX];

			enforce_counters(e, v);
			printf("counters");
			for (int i = 0; i < SW_ENF__MAX; i++)
				printf(" %s=%llu", enforce_counter_names[i],
				       (unsigned long long)v[i]);
			printf("\n");
		} else if (!strcmp(tok[0], "bench-kill") && ntok >= 2) {
			int n = atoi(tok[1]);

			if (n < 1 || n > MAX_BENCH)
				printf("err bad count\n");
			else
				bench_kill(e, n, ntok >= 3 ? tok[2] : NULL);
		} else if (!strcmp(tok[0], "bench-block") && ntok >= 3) {
			struct enforce_cidr c;
			int n = atoi(tok[1]);

			if (n < 1 || n > MAX_BENCH || enforce_cidr_parse(tok[2], &c))
				printf("err bad arguments\n");
			else
				bench_block(e, n, &c);
		} else {
			printf("err unknown command %s\n", tok[0]);
		}
		fflush(stdout);
	}
	enforce_close(e);
	return 0;
}
