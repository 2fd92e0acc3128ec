/* enforce.c - kernel enforcement (enforce.h): loading and unloading, the
 * block and allow tries, the drop counters. Cutting connections is
 * enforce_kill.c, attaching is enforce_attach.c, namespaces are
 * enforce_ns.c, the thread both run on is enforce_thread.c. */
#include "collector/enforce/enforce_int.h"
#include "common/cidr.h"
#include "common/clock.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

_Static_assert(sizeof(struct sw_block_key) == 20, "abi: struct sw_block_key");
_Static_assert(sizeof(struct sw_block_val) == 16, "abi: struct sw_block_val");
_Static_assert(sizeof(struct sw_kill_tuple) == 40, "abi: struct sw_kill_tuple");
_Static_assert(sizeof(struct sw_kill_rec) == 24, "abi: struct sw_kill_rec");

const char *const enforce_counter_names[SW_ENF__MAX] = {
	[SW_ENF_PASSED] = "passed",
	[SW_ENF_DROPPED] = "dropped",
	[SW_ENF_EXPIRED] = "expired_hit",
	[SW_ENF_ALLOWED] = "allowed",
	[SW_ENF_UNPARSED] = "unparsed",
};

uint32_t enforce_self_netns(void)
{
	return enforce_ns_ino("/proc/self/ns/net");
}

int enforce_cidr_parse(const char *s, struct enforce_cidr *c)
{
	struct cidr x;
	int rc = cidr_parse(s, &x);

	memset(c, 0, sizeof(*c));
	if (rc)
		return rc;
	c->family = x.family;
	c->prefixlen = x.prefixlen;
	memcpy(c->addr, x.addr, sizeof(c->addr));
	return 0;
}

/* The trie key: IPv4 as ::ffff:a.b.c.d/(96+n), bits past the prefix zeroed
 * so that equal prefixes always make equal keys. */
static int cidr_key(const struct enforce_cidr *c, struct sw_block_key *k)
{
	unsigned plen;

	memset(k, 0, sizeof(*k));
	if (c->family == AF_INET) {
		if (c->prefixlen > 32)
			return -EINVAL;
		k->addr[10] = 0xff;
		k->addr[11] = 0xff;
		memcpy(&k->addr[12], c->addr, 4);
		plen = 96u + c->prefixlen;
	} else if (c->family == AF_INET6) {
		if (c->prefixlen > 128)
			return -EINVAL;
		memcpy(k->addr, c->addr, 16);
		plen = c->prefixlen;
	} else {
		return -EAFNOSUPPORT;
	}
	cidr_clear_host_bits(k->addr, plen);
	k->prefixlen = plen;
	return 0;
}

/* ---- block / allow -------------------------------------------------------- */

/* Put c in one of the tries (sw_block or sw_allow), or take it out. */
static int trie_put(int fd, const struct enforce_cidr *c, uint64_t ttl_ns,
		    uint32_t rule_id)
{
	struct sw_block_key k;
	struct sw_block_val v = { .rule_id = rule_id };
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	v.prefixlen = (uint16_t)k.prefixlen;
	if (ttl_ns)
		v.expires_ns = clock_mono_ns() + ttl_ns;
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static int trie_del(int fd, const struct enforce_cidr *c)
{
	struct sw_block_key k;
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	return bpf_map_delete_elem(fd, &k) ? -errno : 0;
}

int enforce_block_drop(struct enforce *e, const struct enforce_cidr *c,
		       uint64_t ttl_ns, uint32_t rule_id)
{
	int fd = bpf_map__fd(e->skel->maps.sw_block);
	int rc = trie_put(fd, c, ttl_ns, rule_id);

	/* full: expired entries, then those closest to expiry, make room */
	if (rc == -ENOSPC && enforce_table_make_room(&e->tab, fd, clock_mono_ns()) > 0)
		rc = trie_put(fd, c, ttl_ns, rule_id);
	return rc;
}

int enforce_sweep(struct enforce *e)
{
	return enforce_table_sweep(&e->tab, bpf_map__fd(e->skel->maps.sw_block),
				   clock_mono_ns());
}

void enforce_table_counts(const struct enforce *e, struct enforce_table_stats *st)
{
	*st = e->tab.st;
}

int enforce_cut(struct enforce *e, const struct enforce_cidr *c)
{
	struct sw_block_key k;
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	return enforce_kill_prefix(e, &k);
}

int enforce_block(struct enforce *e, const struct enforce_cidr *c,
		  uint64_t ttl_ns, uint32_t rule_id)
{
	/* Drop first, then cut: a cut client cannot reconnect in between. */
	int rc = enforce_block_drop(e, c, ttl_ns, rule_id);

	return rc ? rc : enforce_cut(e, c);
}

int enforce_unblock(struct enforce *e, const struct enforce_cidr *c)
{
	return trie_del(bpf_map__fd(e->skel->maps.sw_block), c);
}

int enforce_allow(struct enforce *e, const struct enforce_cidr *c,
		  uint32_t rule_id)
{
	return trie_put(bpf_map__fd(e->skel->maps.sw_allow), c, 0, rule_id);
}

int enforce_disallow(struct enforce *e, const struct enforce_cidr *c)
{
	return trie_del(bpf_map__fd(e->skel->maps.sw_allow), c);
}

/* Rescanning is attaching again: only new namespaces and interfaces get a
 * link (enforce_attach.c). */
int enforce_rescan(struct enforce *e)
{
	return enforce_attach_all(e);
}

/* ---- counters ------------------------------------------------------------- */

int enforce_counters(struct enforce *e, uint64_t out[SW_ENF__MAX])
{
	int fd = bpf_map__fd(e->skel->maps.sw_enf_counters);
	uint64_t *vals = calloc((size_t)e->ncpu, sizeof(*vals));

	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < SW_ENF__MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < e->ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
	return 0;
}

uint64_t enforce_first_drop_ns(struct enforce *e, int reset)
{
	uint64_t v = __atomic_load_n(&e->skel->bss->first_drop_ns,
				     __ATOMIC_ACQUIRE);

	if (reset)
		__atomic_store_n(&e->skel->bss->first_drop_ns, 0,
				 __ATOMIC_RELEASE);
	return v;
}

int enforce_ingress_fd(struct enforce *e)
{
	return bpf_program__fd(e->skel->progs.sw_ingress);
}

/* ---- open / close --------------------------------------------------------- */

int enforce_open(struct enforce **out, const struct enforce_config *cfg,
		 char *err, size_t errlen)
{
	struct enforce *e;
	int rc;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	e->home_fd = -1;
	e->netns_self = cfg && cfg->netns_self;
	e->ncpu = libbpf_num_possible_cpus();
	enforce_thread_init(e);

	e->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	e->home_ino = enforce_self_netns();
	if (e->home_fd < 0 || !e->home_ino) {
		rc = -errno;
		snprintf(err, errlen, "cannot open our network namespace: %s",
			 strerror(errno));
		goto fail;
	}
	e->skel = enforce_bpf__open_and_load();
	if (!e->skel) {
		rc = -errno;
		snprintf(err, errlen,
			 "the kernel refused the enforcement programs (%s); run with --log-level debug for the verifier log",
			 strerror(-rc));
		goto fail;
	}
	/* The iterator link is namespace-free: the namespace is taken from
	 * the task that creates each iterator. */
	e->iter = bpf_program__attach_iter(e->skel->progs.sw_kill, NULL);
	if (!e->iter) {
		rc = -errno;
		snprintf(err, errlen,
			 "attaching the iter/tcp kill program failed: %s",
			 strerror(-rc));
		goto fail;
	}
	rc = enforce_thread_start(e);
	if (rc) {
		snprintf(err, errlen, "cannot start the enforcement thread: %s",
			 strerror(-rc));
		goto fail;
	}
	*out = e;
	return 0;
fail:
	enforce_close(e);
	return rc < 0 ? rc : -EINVAL;
}

void enforce_close(struct enforce *e)
{
	if (!e)
		return;
	enforce_thread_stop(e);
	enforce_attach_forget(e);
	enforce_ns_forget(e);
	bpf_link__destroy(e->iter);
	enforce_bpf__destroy(e->skel);
	if (e->home_fd >= 0)
		close(e->home_fd);
	free(e);
}
