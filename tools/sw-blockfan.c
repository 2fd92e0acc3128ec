/* sw-blockfan - the fleet block list from every shard of a ring, for tests
 * and the fan-out benchmark: collector/uplink/blocklist_sub_fan.h with, on
 * request, the collector's kernel enforcement (collector/enforce), until
 * collector/main.c subscribes to every shard itself.
 *
 *   sw-blockfan --ring FILE [--plain | --key SECRET_FILE --server-key PUB_FILE]
 *               [--enforce] [--state FILE] [--duration SEC]
 *               [--protect CIDR[,CIDR...]]...
 *               [--host NAME --spool DIR]   (heartbeats to every shard)
 *
 * --enforce loads the enforcement programs (nothing attached: the LPM map
 * sw_block is filled as the collector fills it, blocklist_apply.h). Lines on
 * stdout, one per change of the merged list, after it reached the kernel:
 *   {"op":"add"|"del","addr":"10.213.9.9/32","identity":"","rule":"...",
 *    "expires_us":N,"rc":R,"applied_us":N}
 * and one per shard version held:
 *   {"event":"version","shard":"a","version":V,"applied_us":N}
 * --state FILE is rewritten after every change: one "cidr identity" line per
 * merged entry, sorted; "-" for none, identity bytes outside '!'..'~' and
 * the backslash written \xHH (one line, two fields, whatever it holds). --host/--spool send heartbeats (every 500 ms)
 * through shardup with the same ring, carrying every shard's version.
 * Never blocked (collector/enforce/shield.h): loopback and link-local, this
 * host's addresses and gateways, the host of every ring endpoint and each
 * --protect list. The fan does not apply an entry inside one of them
 * (counted, protected_refused); with --enforce they are also written to the
 * kernel's allow trie, so a block that only covers one drops the rest.
 * Runs until SIGTERM/SIGINT or --duration.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/enforce/blocklist_apply.h"
#include "collector/enforce/enforce.h"
#include "collector/enforce/shield.h"
#include "collector/uplink/blocklist_sub_fan.h"
#include "collector/uplink/shardup.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/ring.h"

#define MAX_STATE 65536
#define STATE_LINE (64 + 4 * 128 + 2) /* cidr, escaped identity */

static volatile sig_atomic_t stop;

struct tool {
	struct blocklist_apply *fleet; /* NULL: print only */
	char (*state)[STATE_LINE];     /* merged entries, "cidr identity" */
	size_t nstate;
	uint64_t changes;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_json_str(const char *s)
{
	char out[1024]; /* 6 bytes per escaped byte of a 129-byte identity */

	json_escape(out, sizeof(out), s, strlen(s));
	printf("\"%s\"", out);
}

/* An identity as one field of a state line: bytes outside '!'..'~', the
 * backslash and a lone "-" (the empty identity) as \xHH. out needs
 * 4 * 128 + 1 bytes. */
static void state_ident(const char *s, char *out)
{
	size_t o = 0;

	if (!s[0] || (s[0] == '-' && !s[1])) {
		strcpy(out, s[0] ? "\\x2d" : "-");
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > ' ' && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)sprintf(out + o, "\\x%02x", c);
	}
	out[o] = '\0';
}

static void state_line(const struct blocklist_entry *e, char *out, size_t cap)
{
	char c[64], id[4 * sizeof(e->identity)];

	blocklist_format_cidr(e, c, sizeof(c));
	state_ident(e->identity, id);
	snprintf(out, cap, "%s %s", c[0] ? c : "-", id);
}

static void state_change(struct tool *t, const struct blocklist_entry *e, int op)
{
	char line[STATE_LINE];
	size_t i;

	state_line(e, line, sizeof(line));
	for (i = 0; i < t->nstate && strcmp(t->state[i], line); i++)
		;
	if (op == BLOCKLIST_ADD && i == t->nstate && t->nstate < MAX_STATE)
		memcpy(t->state[t->nstate++], line, sizeof(line));
	else if (op == BLOCKLIST_DEL && i < t->nstate)
		memcpy(t->state[i], t->state[--t->nstate], sizeof(line));
	t->changes++;
}

static int tool_apply(void *ctx, const struct blocklist_entry *e, int op)
{
	struct tool *t = ctx;
	char c[64];
	int rc = 0;

	if (t->fleet) {
		rc = blocklist_apply_entry(t->fleet, e, op);
		if (rc < 0)
			return rc;
		blocklist_apply_cut_pending(t->fleet);
	}
	state_change(t, e, op);
	blocklist_format_cidr(e, c, sizeof(c));
	printf("{\"op\":\"%s\",\"addr\":", op == BLOCKLIST_ADD ? "add" : "del");
	print_json_str(c);
	printf(",\"identity\":");
	print_json_str(e->identity);
	printf(",\"rule\":");
	print_json_str(e->rule);
	printf(",\"expires_us\":%" PRIu64 ",\"rc\":%d,\"applied_us\":%" PRIu64 "}\n",
	       e->expires_us, rc, clock_unix_us());
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void write_state(struct tool *t, const char *path)
{
	char tmp[4096];
	FILE *f;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	qsort(t->state, t->nstate, sizeof(*t->state), cmp_line);
	f = fopen(tmp, "we");
	if (!f)
		return;
	for (i = 0; i < t->nstate; i++)
		fprintf(f, "%s\n", t->state[i]);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* Loopback, this host, every ring endpoint's host and the --protect
 * lists. 0, or -1 with err. */
static int build_protect(struct shield *s, const char *ring_path, const char *const *lists,
			 size_t nlists, char *err, size_t errlen)
{
	struct ring *r;
	size_t i;

	shield_init(s);
	for (i = 0; i < nlists; i++)
		if (shield_add_list(s, lists[i], "never_block", err, errlen) < 0)
			return -1;
	shield_add_host(s);
	r = ring_load(ring_path, err, errlen);
	if (!r)
		return -1;
	for (i = 0; i < ring_nshards(r); i++)
		if (strncmp(ring_shard_endpoint(r, i), "tcp://", 6) == 0 &&
		    shield_add_endpoint(s, ring_shard_endpoint(r, i)) < 0)
			fprintf(stderr, "sw-blockfan: protect: %s does not resolve\n",
				ring_shard_endpoint(r, i));
	ring_free(r);
	return 0;
}

static int counter(void *ctx, const char *name, uint64_t v)
{
	return shardup_set_counter(ctx, name, v);
}

static void print_versions(struct blocklist_sub_fan *f, uint64_t *last)
{
	size_t i;

	for (i = 0; i < blocklist_sub_fan_nshards(f) && i < BLOCKLIST_SUB_MERGE_MAX_SHARDS; i++) {
		struct blocklist_sub *b = blocklist_sub_fan_shard_sub(f, i);
		uint64_t v;

		if (!b || blocklist_sub_needs_snapshot(b))
			continue;
		v = blocklist_sub_version(b);
		if (v == last[i])
			continue;
		last[i] = v;
		printf("{\"event\":\"version\",\"shard\":");
		print_json_str(blocklist_sub_fan_shard_name(f, i));
		printf(",\"version\":%" PRIu64 ",\"applied_us\":%" PRIu64 "}\n", v,
		       clock_unix_us());
	}
}

static void print_stats(struct blocklist_sub_fan *f)
{
	struct blocklist_sub_fan_stats st;
	size_t i;

	blocklist_sub_fan_get_stats(f, &st);
	fprintf(stderr, "sw-blockfan: shards=%" PRIu64 " merged=%" PRIu64 " held=%" PRIu64
		" adds=%" PRIu64 " dels=%" PRIu64 " kept=%" PRIu64 " full=%" PRIu64
		" refused=%" PRIu64 " protected_refused=%" PRIu64
		" apply_errors=%" PRIu64 "\n", st.shards, st.merge.subjects, st.merge.held,
		st.merge.adds, st.merge.dels, st.merge.kept, st.merge.full, st.merge.refused,
		st.protected_refused, st.merge.apply_errors);
	for (i = 0; i < blocklist_sub_fan_nshards(f); i++) {
		struct blocklist_sub *b = blocklist_sub_fan_shard_sub(f, i);
		struct blocklist_sub_stats s;

		if (!b)
			continue;
		blocklist_sub_get_stats(b, &s);
		fprintf(stderr, "sw-blockfan: shard %s version=%" PRIu64 " entries=%" PRIu64
			" deltas=%" PRIu64 " snapshots=%" PRIu64 " gaps=%" PRIu64
			" expired=%" PRIu64 "\n", blocklist_sub_fan_shard_name(f, i), s.version,
			s.entries, s.deltas, s.snapshots, s.gaps, s.expired);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ring", required_argument, NULL, 'R' },
		{ "plain", no_argument, NULL, 'P' },
		{ "key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 'K' },
		{ "enforce", no_argument, NULL, 'E' },
		{ "state", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "host", required_argument, NULL, 'H' },
		{ "spool", required_argument, NULL, 'S' },
		{ "protect", required_argument, NULL, 'p' },
		{ 0 },
	};
	static uint64_t last[BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	static struct shield prot;
	const char *protect[64];
	size_t nprotect = 0;
	struct blocklist_sub_fan_config cfg = { .apply = tool_apply };
	struct uplink_config uc = { .version = "sw-blockfan", .heartbeat_ms = 500 };
	struct enforce_config ec = { .netns_self = 1 };
	struct tool t = {0};
	struct enforce *enf = NULL;
	struct shardup *su = NULL;
	struct blocklist_sub_fan *f;
	const char *ring = NULL, *state = NULL;
	uint64_t t_end = 0, written = UINT64_MAX;
	int o, enforce = 0, rc = 0;
	char err[512];

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'R': ring = optarg; break;
		case 'P': cfg.plain = uc.plain = 1; break;
		case 'k': cfg.secret_key_file = uc.secret_key_file = optarg; break;
		case 'K': cfg.server_key_file = uc.server_key_file = optarg; break;
		case 'E': enforce = 1; break;
		case 's': state = optarg; break;
		case 'd': t_end = clock_unix_us() + strtoull(optarg, NULL, 10) * 1000000; break;
		case 'H': uc.host = optarg; break;
		case 'S': uc.spool_dir = optarg; break;
		case 'p':
			if (nprotect == sizeof(protect) / sizeof(protect[0])) {
				fprintf(stderr, "sw-blockfan: at most 64 --protect\n");
				return 2;
			}
			protect[nprotect++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: see the comment at the top of tools/sw-blockfan.c\n");
			return 2;
		}
	}
	if (!ring) {
		fprintf(stderr, "sw-blockfan: --ring FILE is required\n");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (o = 0; o < BLOCKLIST_SUB_MERGE_MAX_SHARDS; o++)
		last[o] = UINT64_MAX;
	if (build_protect(&prot, ring, protect, nprotect, err, sizeof(err)) < 0) {
		fprintf(stderr, "sw-blockfan: protect: %s\n", err);
		return 2;
	}
	cfg.protect = &prot;
	t.state = calloc(MAX_STATE, sizeof(*t.state));
	if (!t.state)
		return 2;
	if (enforce) {
		if ((rc = enforce_open(&enf, &ec, err, sizeof(err))) < 0 ||
		    !(t.fleet = blocklist_apply_new(enf))) {
			fprintf(stderr, "sw-blockfan: enforce: %s\n", rc < 0 ? err : "out of memory");
			enforce_close(enf);
			return 2;
		}
		blocklist_apply_set_shield(t.fleet, &prot);
		if ((rc = shield_apply(&prot, enf)) < 0)
			fprintf(stderr, "sw-blockfan: protect: allow trie: %d\n", rc);
		rc = 0;
	}
	if (uc.host && uc.spool_dir) {
		su = shardup_new(&uc, ring, err, sizeof(err));
		if (!su) {
			fprintf(stderr, "sw-blockfan: %s\n", err);
			rc = 2;
			goto out;
		}
		cfg.set_counter = counter;
		cfg.cctx = su;
	}
	cfg.ctx = &t;
	f = blocklist_sub_fan_open(&cfg, ring, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "sw-blockfan: %s\n", err);
		rc = 2;
		goto out;
	}
	while (!stop && (!t_end || clock_unix_us() < t_end)) {
		blocklist_sub_fan_poll(f, su ? 5 : 20);
		if (su)
			shardup_poll(su, 0);
		print_versions(f, last);
		if (state && written != t.changes) {
			write_state(&t, state);
			written = t.changes;
		}
	}
	print_stats(f);
	blocklist_sub_fan_free(f);
	rc = 0;
out:
	shardup_free(su);
	blocklist_apply_free(t.fleet);
	enforce_close(enf);
	free(t.state);
	return rc;
}
