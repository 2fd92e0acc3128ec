/* blocklist_sub_fan.c - one blocklist_sub per correlator shard, merged
 * (see blocklist_sub_fan.h). */
#include "collector/uplink/blocklist_sub_fan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zmq.h>

#include "collector/enforce/shield.h"
#include "common/ring.h"

#define FAN_COUNTER_PREFIX "blocklist_version:"

struct fan_slot {
	int active;
	char name[RING_NAME_MAX + 1];
	char endpoint[RING_EP_MAX + 1];
	char key[RING_KEY_LEN + 1];  /* the ring's key for the shard, or "" */
	char counter[sizeof(FAN_COUNTER_PREFIX) + RING_NAME_MAX];
	struct blocklist_sub *sub;
	uint64_t reported;         /* version last given to set_counter */
	int reported_any;
};

struct blocklist_sub_fan {
	struct blocklist_sub_fan_config cfg;
	char secret_key_file[4096], server_key_file[4096];
	struct blocklist_sub_merge *merge;
	struct fan_slot slot[BLOCKLIST_SUB_MERGE_MAX_SHARDS]; /* index = merge shard */
	unsigned nslots;           /* ever used; never reused for another name */
	int have_ring;
	/* blocklist_sub_fan_open's file, for check_ring ("": none) */
	char ring_path[4096];
	struct timespec ring_mtime;
	off_t ring_size;
	int ring_checked;
	uint64_t ring_check_ms;
	struct shield prot;        /* never passed on */
	/* the ring's hosts: nothing covering one is passed on either */
	struct shield ring_hosts;
	struct blocklist_sub_fan_stats st;
};

static int ring_file_changed(struct blocklist_sub_fan *f);

int blocklist_sub_fan_blocks_endpoint(const char *ep, char *out, size_t cap)
{
	const char *colon;
	char *end;
	long port;
	int n;

	if (!ep)
		return -EINVAL;
	if (strncmp(ep, "ipc://", 6) == 0) {
		n = snprintf(out, cap, "%s.blocks", ep);
		return n < 0 || (size_t)n >= cap ? -EINVAL : 0;
	}
	if (strncmp(ep, "tcp://", 6) != 0 || !(colon = strrchr(ep + 6, ':')))
		return -EINVAL;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 1 || port >= 65535)
		return -EINVAL;
	n = snprintf(out, cap, "%.*s:%ld", (int)(colon - ep), ep, port + 1);
	return n < 0 || (size_t)n >= cap ? -EINVAL : 0;
}

static int copy_path(char *buf, size_t cap, const char **p)
{
	if (!*p)
		return 0;
	if (strlen(*p) >= cap)
		return -1;
	strcpy(buf, *p);
	*p = buf;
	return 0;
}

/* Subscribe slot i to its endpoint. */
static int slot_open(struct blocklist_sub_fan *f, unsigned i, char *err, size_t errlen)
{
	struct fan_slot *s = &f->slot[i];
	struct blocklist_sub_config c = {0};
	char blocks[RING_EP_MAX + 16];

	if (blocklist_sub_fan_blocks_endpoint(s->endpoint, blocks, sizeof(blocks)) < 0) {
		snprintf(err, errlen, "block list: shard %s: no block list endpoint for "
			 "%.127s (tcp://HOST:PORT below 65535, or ipc://)", s->name, s->endpoint);
		return -EINVAL;
	}
	c.endpoint = f->cfg.no_sockets ? NULL : blocks;
	c.req_endpoint = s->endpoint;
	c.plain = f->cfg.plain;
	c.secret_key_file = f->cfg.secret_key_file;
	c.server_key_file = f->cfg.server_key_file;
	c.server_key = s->key[0] ? s->key : NULL; /* each shard its own key */
	c.resync_ms = f->cfg.resync_ms;
	c.max_entries = f->cfg.max_entries;
	c.apply = blocklist_sub_merge_port_apply;
	c.ctx = blocklist_sub_merge_port(f->merge, i);
	s->sub = blocklist_sub_new(&c, err, errlen);
	if (!s->sub)
		return -EIO;
	s->active = 1;
	s->reported_any = 0;
	return 0;
}

/* Unsubscribe slot i and take its entries out of the merged list. */
static void slot_close(struct blocklist_sub_fan *f, unsigned i)
{
	struct fan_slot *s = &f->slot[i];

	blocklist_sub_free(s->sub);
	s->sub = NULL;
	s->active = 0;
	blocklist_sub_merge_drop_shard(f->merge, i);
	f->st.dropped_shards++;
}

static int find_slot(const struct blocklist_sub_fan *f, const char *name)
{
	unsigned i;

	for (i = 0; i < f->nslots; i++)
		if (strcmp(f->slot[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A slot of a shard that left, its entries all gone (dropping them again
 * first), for a new name; -1: none. */
static int free_slot(struct blocklist_sub_fan *f)
{
	unsigned i;

	for (i = 0; i < f->nslots; i++) {
		if (f->slot[i].active)
			continue;
		if (blocklist_sub_merge_shard_held(f->merge, i))
			blocklist_sub_merge_drop_shard(f->merge, i);
		if (!blocklist_sub_merge_shard_held(f->merge, i)) {
			f->st.reused_slots++;
			return (int)i;
		}
	}
	return -1;
}

/* Entries of shards that left whose removal the kernel refused: try again. */
static void drop_leftovers(struct blocklist_sub_fan *f)
{
	unsigned i;

	for (i = 0; i < f->nslots; i++)
		if (!f->slot[i].active && blocklist_sub_merge_shard_held(f->merge, i))
			f->st.leftovers_dropped += blocklist_sub_merge_drop_shard(f->merge, i);
}

/* Ring shard k into a slot: kept, reopened (endpoint or key changed) or new. */
static int take_shard(struct blocklist_sub_fan *f, const struct ring *r, size_t k,
		      int *keep, char *err, size_t errlen)
{
	const char *name = ring_shard_name(r, k), *ep = ring_shard_endpoint(r, k);
	const char *key = ring_shard_key(r, k) ? ring_shard_key(r, k) : "";
	int i = find_slot(f, name);
	struct fan_slot *s;
	char blocks[RING_EP_MAX + 16];

	*keep = -1;
	/* the convention's port + 1 must not be another shard's event port
	 * (a ring of ports one apart): the subscription would go to that
	 * shard's event socket and never hear a block */
	if (blocklist_sub_fan_blocks_endpoint(ep, blocks, sizeof(blocks)) == 0) {
		size_t j;

		for (j = 0; j < ring_nshards(r); j++) {
			if (strcmp(ring_shard_endpoint(r, j), blocks))
				continue;
			f->st.refused_shards++;
			snprintf(err, errlen, "block list: shard %s: its block list endpoint %.127s "
				 "is shard %s's event endpoint (the block list is the event port + 1: "
				 "space the shards' ports by 2)", name, blocks, ring_shard_name(r, j));
			if (i >= 0 && f->slot[i].active)
				*keep = i;
			return -1;
		}
	}
	if (i >= 0 && f->slot[i].active && strcmp(f->slot[i].endpoint, ep) == 0 &&
	    strcmp(f->slot[i].key, key) == 0)
		return *keep = i;
	if (blocklist_sub_fan_blocks_endpoint(ep, blocks, sizeof(blocks)) < 0) {
		/* refused before anything changes: a shard already held stays */
		f->st.refused_shards++;
		snprintf(err, errlen, "block list: shard %s: no block list endpoint for "
			 "%.127s (tcp://HOST:PORT below 65535, or ipc://)", name, ep);
		if (i >= 0 && f->slot[i].active)
			*keep = i;
		return -1;
	}
	if (i >= 0 && f->slot[i].active)
		slot_close(f, (unsigned)i);
	if (i < 0 && f->nslots == BLOCKLIST_SUB_MERGE_MAX_SHARDS)
		i = free_slot(f);
	if (i < 0) {
		if (f->nslots == BLOCKLIST_SUB_MERGE_MAX_SHARDS) {
			f->st.refused_shards++;
			snprintf(err, errlen, "block list: shard %s: more than %d shards "
				 "held at once (or left with entries the kernel kept)",
				 name, BLOCKLIST_SUB_MERGE_MAX_SHARDS);
			return -1;
		}
		i = (int)f->nslots++;
		s = &f->slot[i];
		snprintf(s->name, sizeof(s->name), "%s", name);
		snprintf(s->counter, sizeof(s->counter), FAN_COUNTER_PREFIX "%s", name);
	}
	s = &f->slot[i];
	if (strcmp(s->name, name) != 0) { /* a slot a shard that left had */
		snprintf(s->name, sizeof(s->name), "%s", name);
		snprintf(s->counter, sizeof(s->counter), FAN_COUNTER_PREFIX "%s", name);
	}
	snprintf(s->endpoint, sizeof(s->endpoint), "%s", ep);
	snprintf(s->key, sizeof(s->key), "%s", key);
	if (slot_open(f, (unsigned)i, err, errlen) < 0) {
		f->st.refused_shards++;
		return -1;
	}
	return *keep = i;
}

/* The merged list on its way to the caller: nothing inside a protected
 * address is added, nor anything that covers a shard's host: a block
 * dropping what a shard sends back would cut this collector off from
 * that shard, this list included, so its removal could never arrive
 * (the kernel's allow trie does not hold the ring's hosts). Removals
 * always pass (the caller ignores one of what it does not hold), so a
 * subject that became protected after it was added still leaves. */
static int fan_apply(void *ctx, const struct blocklist_entry *e, int op)
{
	struct blocklist_sub_fan *f = ctx;

	if (op == BLOCKLIST_ADD && e->family &&
	    (shield_contains(&f->prot, e->family, e->addr, e->prefix_len) ||
	     shield_overlaps(&f->ring_hosts, e->family, e->addr, e->prefix_len))) {
		f->st.protected_refused++;
		return 0;
	}
	return f->cfg.apply(f->cfg.ctx, e, op);
}

/* Protect the host of every endpoint of r (kept for good: a shard that
 * left may come back). */
static void protect_ring_hosts(struct blocklist_sub_fan *f, const struct ring *r)
{
	size_t k;

	for (k = 0; k < ring_nshards(r); k++)
		if (strncmp(ring_shard_endpoint(r, k), "tcp://", 6) == 0 &&
		    (shield_add_endpoint(&f->prot, ring_shard_endpoint(r, k)) < 0 ||
		     shield_add_endpoint(&f->ring_hosts, ring_shard_endpoint(r, k)) < 0))
			f->st.protect_dropped++;
}

int blocklist_sub_fan_set_ring(struct blocklist_sub_fan *f, const struct ring *r,
			       char *err, size_t errlen)
{
	uint8_t keep[BLOCKLIST_SUB_MERGE_MAX_SHARDS] = {0};
	size_t k;
	unsigned i;
	int rc = 0;

	protect_ring_hosts(f, r);
	blocklist_sub_merge_set_shards(f->merge, (unsigned)ring_nshards(r));
	for (k = 0; k < ring_nshards(r); k++) {
		int slot;

		if (take_shard(f, r, k, &slot, err, errlen) < 0)
			rc = -1;
		if (slot >= 0)
			keep[slot] = 1;
	}
	for (i = 0; i < f->nslots; i++)
		if (f->slot[i].active && !keep[i])
			slot_close(f, i);
	if (f->have_ring)
		f->st.ring_changes++;
	f->have_ring = 1;
	f->st.ring_version = ring_version(r);
	return rc;
}

struct blocklist_sub_fan *blocklist_sub_fan_new(const struct blocklist_sub_fan_config *cfg,
						const struct ring *r, char *err, size_t errlen)
{
	struct blocklist_sub_merge_config mc = {0};
	struct blocklist_sub_fan *f;

	if (!cfg || !cfg->apply || !r) {
		snprintf(err, errlen, "block list: a ring and an apply callback are required");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "block list: out of memory");
		return NULL;
	}
	f->cfg = *cfg;
	if (copy_path(f->secret_key_file, sizeof(f->secret_key_file), &f->cfg.secret_key_file) ||
	    copy_path(f->server_key_file, sizeof(f->server_key_file), &f->cfg.server_key_file)) {
		snprintf(err, errlen, "block list: a key path is too long");
		free(f);
		return NULL;
	}
	shield_init(&f->prot);
	memset(&f->ring_hosts, 0, sizeof(f->ring_hosts)); /* hosts only */
	if (cfg->protect)
		for (unsigned i = 0; i < cfg->protect->n; i++)
			shield_add(&f->prot, &cfg->protect->e[i], cfg->protect->why[i]);
	mc.max_entries = cfg->max_entries;
	mc.apply = fan_apply;
	mc.ctx = f;
	f->merge = blocklist_sub_merge_new(&mc);
	if (!f->merge || blocklist_sub_fan_set_ring(f, r, err, errlen) < 0) {
		if (!f->merge)
			snprintf(err, errlen, "block list: out of memory");
		blocklist_sub_fan_free(f);
		return NULL;
	}
	return f;
}

struct blocklist_sub_fan *blocklist_sub_fan_open(const struct blocklist_sub_fan_config *cfg,
						 const char *ring_path, char *err, size_t errlen)
{
	struct blocklist_sub_fan *f;
	struct ring *r;

	if (!ring_path || strlen(ring_path) >= sizeof(f->ring_path)) {
		snprintf(err, errlen, "block list: no ring file, or its path is too long");
		return NULL;
	}
	r = ring_load(ring_path, err, errlen);
	if (!r)
		return NULL;
	f = blocklist_sub_fan_new(cfg, r, err, errlen);
	ring_free(r);
	if (f) {
		strcpy(f->ring_path, ring_path);
		ring_file_changed(f); /* what was read */
	}
	return f;
}

void blocklist_sub_fan_free(struct blocklist_sub_fan *f)
{
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < f->nslots; i++)
		blocklist_sub_free(f->slot[i].sub);
	blocklist_sub_merge_free(f->merge);
	free(f);
}

static void report_versions(struct blocklist_sub_fan *f)
{
	unsigned i;

	if (!f->cfg.set_counter)
		return;
	for (i = 0; i < f->nslots; i++) {
		struct fan_slot *s = &f->slot[i];
		uint64_t v;

		if (!s->active)
			continue;
		v = blocklist_sub_version(s->sub);
		if (s->reported_any && s->reported == v)
			continue;
		if (f->cfg.set_counter(f->cfg.cctx, s->counter, v) == 0) {
			s->reported = v;
			s->reported_any = 1;
		}
	}
}

/* Has the ring file changed since we last looked (mtime, size)? */
static int ring_file_changed(struct blocklist_sub_fan *f)
{
	struct stat sb;

	if (stat(f->ring_path, &sb) < 0)
		return 1; /* ring_load names the failure */
	if (sb.st_mtim.tv_sec == f->ring_mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == f->ring_mtime.tv_nsec && sb.st_size == f->ring_size)
		return 0;
	f->ring_mtime = sb.st_mtim;
	f->ring_size = sb.st_size;
	return 1;
}

int blocklist_sub_fan_check_ring(struct blocklist_sub_fan *f, uint64_t now_ms, int force,
				 char *err, size_t errlen)
{
	struct ring *r;
	int rc;

	if (!f->ring_path[0])
		return 0;
	if (!force && f->ring_checked && now_ms - f->ring_check_ms < 1000)
		return 0;
	f->ring_checked = 1;
	f->ring_check_ms = now_ms;
	if (!ring_file_changed(f))
		return 0;
	r = ring_load(f->ring_path, err, errlen);
	if (!r) {
		f->st.ring_refused++;
		return -1;
	}
	if (ring_version(r) <= f->st.ring_version) {
		snprintf(err, errlen, "block list: ring %s: version %llu not above %llu "
			 "(raise it with every change)", f->ring_path,
			 (unsigned long long)ring_version(r),
			 (unsigned long long)f->st.ring_version);
		ring_free(r);
		f->st.ring_refused++;
		return -1;
	}
	rc = blocklist_sub_fan_set_ring(f, r, err, errlen);
	ring_free(r);
	return rc < 0 ? -1 : 1;
}

int blocklist_sub_fan_poll(struct blocklist_sub_fan *f, int timeout_ms)
{
	zmq_pollitem_t pi[2 * BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	unsigned owner[2 * BLOCKLIST_SUB_MERGE_MAX_SHARDS];
	unsigned i, n = 0, k;

	for (i = 0; i < f->nslots; i++) {
		void *socks[2];
		int lim;

		if (!f->slot[i].active)
			continue;
		lim = blocklist_sub_poll_prepare(f->slot[i].sub, socks);
		if (lim >= 0 && timeout_ms > lim)
			timeout_ms = lim;
		for (k = 0; k < 2; k++) {
			if (!socks[k])
				continue;
			pi[n] = (zmq_pollitem_t){ .socket = socks[k], .events = ZMQ_POLLIN };
			owner[n++] = i;
		}
	}
	if (n && zmq_poll(pi, (int)n, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	for (k = 0; k < n; k += 2)
		blocklist_sub_poll_ready(f->slot[owner[k]].sub, pi[k].revents & ZMQ_POLLIN,
					 pi[k + 1].revents & ZMQ_POLLIN);
	report_versions(f);
	drop_leftovers(f);
	return 0;
}

size_t blocklist_sub_fan_nshards(const struct blocklist_sub_fan *f)
{
	return f->nslots;
}

const char *blocklist_sub_fan_shard_name(const struct blocklist_sub_fan *f, size_t i)
{
	return i < f->nslots && f->slot[i].active ? f->slot[i].name : NULL;
}

struct blocklist_sub *blocklist_sub_fan_shard_sub(struct blocklist_sub_fan *f, size_t i)
{
	return i < f->nslots ? f->slot[i].sub : NULL;
}

struct blocklist_sub_merge *blocklist_sub_fan_merge(struct blocklist_sub_fan *f)
{
	return f->merge;
}

void blocklist_sub_fan_get_stats(const struct blocklist_sub_fan *f,
				 struct blocklist_sub_fan_stats *st)
{
	unsigned i;

	*st = f->st;
	blocklist_sub_merge_get_stats(f->merge, &st->merge);
	st->protect_dropped += f->prot.dropped;
	st->shards = 0;
	for (i = 0; i < f->nslots; i++)
		st->shards += f->slot[i].active;
}
