/* sw-blocksub - a block list subscriber for tests: collector/blocksub
 * without the kernel, printing what it applies as JSON lines.
 *
 *   sw-blocksub [--connect tcp://127.0.0.1:7451] [--req tcp://127.0.0.1:7450]
 *               [--plain | --key SECRET_FILE --server-key PUB_FILE]
 *               [--state FILE] [--duration SEC]
 *               [--host NAME --spool DIR]   (heartbeats with blocklist_version)
 *
 * Lines on stdout:
 *   {"op":"add"|"del","addr":"10.213.9.9/32","identity":"","rule":"...",
 *    "expires_us":N,"applied_us":N}
 *   {"event":"version","version":V,"entries":N,"applied_us":N}
 * --state FILE is rewritten after every change: one "cidr identity" line
 * per active entry, sorted. Runs until SIGTERM/SIGINT or --duration.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/uplink/blocklist_sub.h"
#include "collector/uplink/uplink.h"

static volatile sig_atomic_t stop;
static uint64_t changes; /* apply calls: the state file is rewritten on change */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t unix_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* identities come from the correlator: print them escaped */
static void json_str(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int print_apply(void *ctx, const struct blocklist_entry *e, int op)
{
	char c[64];

	(void)ctx;
	changes++;
	blocklist_format_cidr(e, c, sizeof(c));
	printf("{\"op\":\"%s\",\"addr\":", op == BLOCKLIST_ADD ? "add" : "del");
	json_str(c);
	printf(",\"identity\":");
	json_str(e->identity);
	printf(",\"rule\":");
	json_str(e->rule);
	printf(",\"expires_us\":%" PRIu64 ",\"applied_us\":%" PRIu64 "}\n",
	       e->expires_us, unix_us());
	return 0;
}

struct lines {
	char (*v)[200];
	size_t n, cap;
};

static void collect(void *ctx, const struct blocklist_entry *e)
{
	struct lines *l = ctx;
	char c[64];

	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		void *nv = realloc(l->v, nc * sizeof(*l->v));
		if (!nv)
			return;
		l->v = nv;
		l->cap = nc;
	}
	blocklist_format_cidr(e, c, sizeof(c));
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s %s", c[0] ? c : "-",
		 e->identity[0] ? e->identity : "-");
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void write_state(const struct blocklist_sub *b, const char *path)
{
	struct lines l = {0};
	char tmp[4096];
	FILE *f;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	blocklist_sub_foreach(b, collect, &l);
	qsort(l.v, l.n, sizeof(*l.v), cmp_line);
	f = fopen(tmp, "we");
	if (f) {
		for (i = 0; i < l.n; i++)
			fprintf(f, "%s\n", l.v[i]);
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	free(l.v);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "req", required_argument, NULL, 'r' },
		{ "plain", no_argument, NULL, 'P' },
		{ "key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 'K' },
		{ "state", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "host", required_argument, NULL, 'H' },
		{ "spool", required_argument, NULL, 'S' },
		{ 0 },
	};
	struct blocklist_sub_config cfg = { .endpoint = "tcp://127.0.0.1:7451",
				       .req_endpoint = "tcp://127.0.0.1:7450",
				       .apply = print_apply };
	struct uplink_config uc = { .version = "sw-blocksub", .heartbeat_ms = 500 };
	struct uplink *u = NULL;
	struct blocklist_sub *b;
	struct blocklist_sub_stats st;
	const char *state = NULL;
	uint64_t last = UINT64_MAX, t_end = 0, written = UINT64_MAX;
	unsigned duration = 0;
	char err[512];
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': cfg.endpoint = optarg; break;
		case 'r': cfg.req_endpoint = optarg; uc.endpoint = optarg; break;
		case 'P': cfg.plain = uc.plain = 1; break;
		case 'k': cfg.secret_key_file = uc.secret_key_file = optarg; break;
		case 'K': cfg.server_key_file = uc.server_key_file = optarg; break;
		case 's': state = optarg; break;
		case 'd': duration = (unsigned)atoi(optarg); break;
		case 'H': uc.host = optarg; break;
		case 'S': uc.spool_dir = optarg; break;
		default:
			fprintf(stderr, "usage: see the comment at the top of tools/sw-blocklist_sub.c\n");
			return 2;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uc.host && uc.spool_dir) {
		u = uplink_new(&uc, err, sizeof(err));
		if (!u) {
			fprintf(stderr, "sw-blocksub: %s\n", err);
			return 2;
		}
		cfg.uplink = u;
	}
	b = blocklist_sub_new(&cfg, err, sizeof(err));
	if (!b) {
		fprintf(stderr, "sw-blocksub: %s\n", err);
		uplink_free(u);
		return 2;
	}
	if (duration)
		t_end = unix_us() + (uint64_t)duration * 1000000;
	while (!stop && (!t_end || unix_us() < t_end)) {
		blocklist_sub_poll(b, 20);
		if (u)
			uplink_poll(u, 0);
		blocklist_sub_get_stats(b, &st);
		if (!blocklist_sub_needs_snapshot(b) && st.version != last) {
			printf("{\"event\":\"version\",\"version\":%" PRIu64
			       ",\"entries\":%" PRIu64 ",\"applied_us\":%" PRIu64 "}\n",
			       st.version, st.entries, unix_us());
			last = st.version;
		}
		if (state && written != changes) {
			write_state(b, state);
			written = changes;
		}
	}
	blocklist_sub_get_stats(b, &st);
	fprintf(stderr, "sw-blocksub: version=%" PRIu64 " entries=%" PRIu64
		" deltas=%" PRIu64 " snapshots=%" PRIu64 " requests=%" PRIu64
		" gaps=%" PRIu64 " duplicates=%" PRIu64 " expired=%" PRIu64
		" bad=%" PRIu64 "\n", st.version, st.entries, st.deltas,
		st.snapshots, st.snapshot_requests, st.gaps, st.duplicates,
		st.expired, st.bad_messages);
	blocklist_sub_free(b);
	uplink_free(u);
	return 0;
}
