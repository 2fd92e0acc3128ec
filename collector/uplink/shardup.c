/* shardup.c - the uplink split by shard owner; see shardup.h. */
#include "collector/uplink/shardup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/projkey.h"
#include "common/ring.h"
#include "common/textesc.h"

#define SLOTS (2 * RING_MAX_SHARDS) /* ring shards + retiring ones */

struct shard {
	char name[RING_NAME_MAX + 1];
	char ep[RING_EP_MAX + 1];
	char key[RING_KEY_LEN + 1]; /* the ring's key for it, or "" */
	struct uplink *up;
	int in_ring;
	uint64_t projections;  /* pushed to it, counted in its uplink's events */
	uint64_t acked;        /* its acks at the last poll */
	uint64_t ack_ms;       /* when that count last grew; 0: never */
};

struct counter {
	const char *name;
	uint64_t value;
};

struct shardup {
	struct uplink_config base;
	char spool_dir[PATH_MAX];
	char ring_path[PATH_MAX];
	struct ring *ring;             /* NULL: one uplink, slot 0 */
	size_t owner[RING_MAX_SHARDS]; /* ring index -> slot */
	struct shard sh[SLOTS];
	size_t n;
	struct counter ctr[UPLINK_MAX_COUNTERS];
	size_t nctr;
	int64_t mtime_ns;
	int64_t size;
	uint64_t checked_ms;
	uint64_t changes, refused, retired;
};

/* Open the uplink of shard slot i (name and ep set). */
static int open_shard(struct shardup *s, struct shard *h, char *err, size_t errlen)
{
	struct uplink_config c = s->base;
	char dir[PATH_MAX + RING_NAME_MAX + 2];
	size_t i;

	if (snprintf(dir, sizeof(dir), "%s/%s", s->spool_dir, h->name) >= (int)sizeof(dir)) {
		snprintf(err, errlen, "spool directory too long for shard '%s'", h->name);
		return -ENAMETOOLONG;
	}
	c.endpoint = h->ep;
	c.spool_dir = dir;
	if (h->key[0])
		c.server_key = h->key; /* the ring's key for this shard */
	h->up = uplink_new(&c, err, errlen);
	if (!h->up)
		return -EIO;
	for (i = 0; i < s->nctr; i++)
		uplink_set_counter(h->up, s->ctr[i].name, s->ctr[i].value);
	return 0;
}

static int find_slot(const struct shardup *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->sh[i].name, name))
			return (int)i;
	return -1;
}

/* Take ring r (owned from here on, freed when refused): slots for its new
 * shards, the old ones not in it retire. Returns 0, or -1 with err. */
static int take_ring(struct shardup *s, struct ring *r, char *err, size_t errlen)
{
	size_t i, k, need = 0, first_new = s->n;
	size_t map[RING_MAX_SHARDS];

	if (s->ring && ring_version(r) <= ring_version(s->ring)) {
		snprintf(err, errlen, "version %llu is not above the current %llu",
			 (unsigned long long)ring_version(r),
			 (unsigned long long)ring_version(s->ring));
		goto refuse;
	}
	for (k = 0; k < ring_nshards(r); k++) {
		int j = find_slot(s, ring_shard_name(r, k));

		if (j >= 0 && strcmp(s->sh[j].ep, ring_shard_endpoint(r, k))) {
			snprintf(err, errlen, "shard '%s' changed its endpoint (give it a new name)",
				 ring_shard_name(r, k));
			goto refuse;
		}
		if (j >= 0 && strcmp(s->sh[j].key, ring_shard_key(r, k) ? ring_shard_key(r, k) : "")) {
			snprintf(err, errlen, "shard '%s' changed its key (give it a new name)",
				 ring_shard_name(r, k));
			goto refuse;
		}
		need += j < 0;
	}
	if (s->n + need > SLOTS) {
		snprintf(err, errlen, "%zu shards still draining, no room for %zu new", s->n, need);
		goto refuse;
	}
	for (k = 0; k < ring_nshards(r); k++) {
		int j = find_slot(s, ring_shard_name(r, k));

		if (j < 0) {
			struct shard *h = &s->sh[s->n];

			memset(h, 0, sizeof(*h));
			snprintf(h->name, sizeof(h->name), "%s", ring_shard_name(r, k));
			snprintf(h->ep, sizeof(h->ep), "%s", ring_shard_endpoint(r, k));
			snprintf(h->key, sizeof(h->key), "%s",
				 ring_shard_key(r, k) ? ring_shard_key(r, k) : "");
			if (open_shard(s, h, err, errlen) < 0)
				goto undo;
			j = (int)s->n++;
		}
		map[k] = (size_t)j;
	}
	for (i = 0; i < s->n; i++)
		s->sh[i].in_ring = 0;
	for (k = 0; k < ring_nshards(r); k++) {
		s->owner[k] = map[k];
		s->sh[map[k]].in_ring = 1;
	}
	if (s->ring) {
		s->changes++;
		for (i = 0; i < s->n; i++)
			uplink_flush(s->sh[i].up); /* old-ring events leave now */
	}
	ring_free(s->ring);
	s->ring = r;
	return 0;
undo:
	while (s->n > first_new) {
		s->n--;
		uplink_free(s->sh[s->n].up);
		s->sh[s->n].up = NULL;
	}
refuse:
	ring_free(r);
	return -1;
}

static int file_sig(const char *path, int64_t *mtime_ns, int64_t *size)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	*mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	*size = (int64_t)st.st_size;
	return 0;
}

struct shardup *shardup_new(const struct uplink_config *base,
			    const char *ring_path, char *err, size_t errlen)
{
	struct shardup *s = calloc(1, sizeof(*s));
	struct ring *r;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base = *base;
	if (!ring_path || !ring_path[0]) {
		s->sh[0].up = uplink_new(base, err, errlen);
		if (!s->sh[0].up) {
			free(s);
			return NULL;
		}
		s->sh[0].in_ring = 1;
		s->n = 1;
		return s;
	}
	if (!base->spool_dir ||
	    snprintf(s->spool_dir, sizeof(s->spool_dir), "%s", base->spool_dir) >= PATH_MAX ||
	    snprintf(s->ring_path, sizeof(s->ring_path), "%s", ring_path) >= PATH_MAX) {
		snprintf(err, errlen, "spool directory or ring path missing or too long");
		free(s);
		return NULL;
	}
	s->base.spool_dir = s->spool_dir;
	if (mkdir(s->spool_dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "spool directory %s: %s", s->spool_dir, strerror(errno));
		free(s);
		return NULL;
	}
	file_sig(s->ring_path, &s->mtime_ns, &s->size);
	r = ring_load(s->ring_path, err, errlen);
	if (!r || take_ring(s, r, err, errlen) < 0) {
		shardup_free(s);
		return NULL;
	}
	return s;
}

void shardup_free(struct shardup *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		uplink_free(s->sh[i].up);
	ring_free(s->ring);
	free(s);
}

size_t shardup_route(const struct shardup *s, const uint8_t *ip, size_t iplen)
{
	if (!s->ring)
		return 0;
	return s->owner[ring_owner(s->ring, ring_key(ip, iplen))];
}

/* The slot of an event: its client address as pbconv puts it in src_ip. */
static size_t event_slot(struct shardup *s, const struct sess_event *ev)
{
	const struct sess_conn *c = ev ? ev->conn : NULL;
	size_t len = !c ? 0 : c->family == AF_INET ? 4 : c->family == AF_INET6 ? 16 : 0;

	return shardup_route(s, c ? c->client_addr : NULL, len);
}

static int push_projection(struct shardup *s, size_t slot, uint32_t bits,
			   const struct sess_event *ev, const struct pbconv_extra *x,
			   const char *host, uint64_t boot_to_unix_ns)
{
	struct pbconv_extra y = { 0 };
	int rc;

	if (x) {
		y.identity = x->identity;
		y.identity_len = x->identity_len;
	}
	y.projection = bits;
	rc = uplink_push_ex(s->sh[slot].up, ev, &y, host, boot_to_unix_ns);
	if (rc == 0)
		s->sh[slot].projections++;
	return rc;
}

/* With a ring, a session event whose endpoint or identity key another
 * shard owns goes there too, as one projection per shard (both bits when
 * one shard owns both keys). src: the slot the event itself went to. */
static int project(struct shardup *s, size_t src, const struct sess_event *ev,
		   const struct pbconv_extra *x, const char *host,
		   uint64_t boot_to_unix_ns)
{
	size_t none = SIZE_MAX, es = none, is = none;
	int rc = 0;

	if (!s->ring || !ev || ev->kind != SESS_KIND_SESSION)
		return 0;
	if (ev->path[0])
		es = s->owner[ring_owner(s->ring, projkey_endpoint(
			ev->authority, strnlen(ev->authority, sizeof(ev->authority)),
			ev->path, strnlen(ev->path, sizeof(ev->path))))];
	if (x && x->identity && x->identity_len)
		is = s->owner[ring_owner(s->ring, projkey_identity(x->identity,
								  x->identity_len))];
	if (es == src)
		es = none;
	if (is == src)
		is = none;
	if (es != none)
		rc = push_projection(s, es, sidewatch_Projection_PROJ_ENDPOINT |
				     (is == es ? sidewatch_Projection_PROJ_IDENTITY : 0),
				     ev, x, host, boot_to_unix_ns);
	if (rc == 0 && is != none && is != es)
		rc = push_projection(s, is, sidewatch_Projection_PROJ_IDENTITY,
				     ev, x, host, boot_to_unix_ns);
	return rc;
}

int shardup_push(struct shardup *s, const struct sess_event *ev,
		 const char *host, uint64_t boot_to_unix_ns)
{
	return shardup_push_ex(s, ev, NULL, host, boot_to_unix_ns);
}

int shardup_push_ex(struct shardup *s, const struct sess_event *ev,
		    const struct pbconv_extra *x, const char *host,
		    uint64_t boot_to_unix_ns)
{
	size_t src = event_slot(s, ev);
	int rc = uplink_push_ex(s->sh[src].up, ev, x, host, boot_to_unix_ns);

	if (rc == 0)
		rc = project(s, src, ev, x, host, boot_to_unix_ns);
	return rc;
}

int shardup_push_endpoints(struct shardup *s,
			   const sidewatch_EndpointSummary *v, size_t n)
{
	sidewatch_EndpointSummary *part;
	size_t k, i, m;
	int rc = 0;

	if (n > UPLINK_MAX_ENDPOINTS)
		return -EINVAL;
	if (!s->ring)
		return uplink_push_endpoints(s->sh[0].up, v, n);
	part = malloc(UPLINK_MAX_ENDPOINTS * sizeof(*part));
	if (!part)
		return -ENOMEM;
	for (k = 0; k < ring_nshards(s->ring) && rc >= 0; k++) {
		for (i = m = 0; i < n; i++) {
			uint64_t h = ring_hash(v[i].authority.bytes, v[i].authority.size);

			if (ring_owner(s->ring, h) == k)
				part[m++] = v[i];
		}
		if (m)
			rc = uplink_push_endpoints(s->sh[s->owner[k]].up, part, m);
	}
	free(part);
	return rc;
}

/* Close the uplinks that left the ring and have nothing left to send. */
static void retire(struct shardup *s)
{
	size_t i, k;

	for (i = 0; i < s->n;) {
		struct uplink_stats st;

		if (s->sh[i].in_ring) {
			i++;
			continue;
		}
		uplink_get_stats(s->sh[i].up, &st);
		if (st.unflushed || st.spool.pending) {
			i++;
			continue;
		}
		log_info("shard '%s' left the ring and its spool is empty: uplink closed",
			 s->sh[i].name);
		uplink_free(s->sh[i].up);
		s->retired++;
		memmove(&s->sh[i], &s->sh[i + 1], (s->n - i - 1) * sizeof(s->sh[0]));
		s->n--;
		for (k = 0; s->ring && k < ring_nshards(s->ring); k++)
			if (s->owner[k] > i)
				s->owner[k]--;
	}
}

int shardup_poll(struct shardup *s, int timeout_ms)
{
	int each = s->n > 1 && timeout_ms > 0 ? timeout_ms / (int)s->n : timeout_ms;
	int rc = 0, r;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct uplink_stats st;

		r = uplink_poll(s->sh[i].up, each);
		if (r < 0 && !rc)
			rc = r;
		uplink_get_stats(s->sh[i].up, &st);
		if (st.acked != s->sh[i].acked) {
			s->sh[i].acked = st.acked;
			s->sh[i].ack_ms = clock_mono_ms();
		}
	}
	if (s->ring)
		retire(s);
	return rc;
}

int shardup_flush(struct shardup *s)
{
	int rc = 0, r;
	size_t i;

	for (i = 0; i < s->n; i++) {
		r = uplink_flush(s->sh[i].up);
		if (r < 0 && !rc)
			rc = r;
	}
	return rc;
}

int shardup_set_counter(struct shardup *s, const char *name, uint64_t value)
{
	size_t i;
	int rc = 0, r;

	for (i = 0; i < s->nctr && strcmp(s->ctr[i].name, name); i++)
		;
	if (i == s->nctr && s->nctr < UPLINK_MAX_COUNTERS)
		s->ctr[s->nctr++].name = name;
	if (i < s->nctr)
		s->ctr[i].value = value;
	for (i = 0; i < s->n; i++) {
		r = uplink_set_counter(s->sh[i].up, name, value);
		if (r < 0 && !rc)
			rc = r;
	}
	return rc;
}

void shardup_heartbeat_now(struct shardup *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		uplink_heartbeat_now(s->sh[i].up);
}

int shardup_check_ring(struct shardup *s, uint64_t now_ms, int force)
{
	char err[512], esc[600];
	int64_t mt = 0, sz = 0;
	struct ring *r;

	if (!s->ring)
		return 0;
	if (!force && now_ms < s->checked_ms + 1000)
		return 0;
	s->checked_ms = now_ms;
	if (file_sig(s->ring_path, &mt, &sz) < 0 && !force)
		return 0;
	if (!force && mt == s->mtime_ns && sz == s->size)
		return 0;
	s->mtime_ns = mt;
	s->size = sz;
	r = ring_load(s->ring_path, err, sizeof(err));
	if (!r || take_ring(s, r, err, sizeof(err)) < 0) {
		s->refused++;
		tx_printable(esc, sizeof(esc), err, strlen(err));
		log_warn("ring: new file refused, version %llu kept: %s",
			 (unsigned long long)ring_version(s->ring), esc);
		return -1;
	}
	log_info("ring: version %llu taken, %zu shards",
		 (unsigned long long)ring_version(s->ring), ring_nshards(s->ring));
	return 1;
}

struct uplink *shardup_single(struct shardup *s)
{
	return s->ring ? NULL : s->sh[0].up;
}

static void add_stats(struct uplink_stats *a, const struct uplink_stats *b)
{
	a->events += b->events;
	a->batches += b->batches;
	a->sent += b->sent;
	a->resent += b->resent;
	a->acked += b->acked;
	a->timeouts += b->timeouts;
	a->encode_errors += b->encode_errors;
	a->spool_errors += b->spool_errors;
	a->bad_acks += b->bad_acks;
	a->reopens += b->reopens;
	a->unflushed += b->unflushed;
	a->endpoints += b->endpoints;
	a->spool.records += b->spool.records;
	a->spool.pending += b->spool.pending;
	a->spool.bytes += b->spool.bytes;
	a->spool.segments += b->spool.segments;
	a->spool.appended += b->spool.appended;
	a->spool.dropped += b->spool.dropped;
	a->spool.corrupt += b->spool.corrupt;
}

void shardup_get_stats(const struct shardup *s, struct shardup_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->ring_version = s->ring ? ring_version(s->ring) : 0;
	st->ring_changes = s->changes;
	st->ring_refused = s->refused;
	st->retired = s->retired;
	st->shards = s->n;
	for (i = 0; i < s->n; i++) {
		struct uplink_stats u;

		uplink_get_stats(s->sh[i].up, &u);
		add_stats(&st->sum, &u);
		st->projections += s->sh[i].projections;
	}
	if (s->n == 1)
		uplink_get_stats(s->sh[0].up, &st->sum); /* acked_seq, next_seq too */
	st->sum.events -= st->projections;
}

int shardup_shard(const struct shardup *s, size_t i, const char **name,
		  int *in_ring, struct uplink_stats *st)
{
	if (i >= s->n)
		return -ENOENT;
	if (name)
		*name = s->sh[i].name;
	if (in_ring)
		*in_ring = s->sh[i].in_ring;
	if (st) {
		uplink_get_stats(s->sh[i].up, st);
		st->events -= s->sh[i].projections;
	}
	return 0;
}

int shardup_shard_info(const struct shardup *s, size_t i, uint64_t now_ms,
		       struct shardup_info *out)
{
	const struct shard *h;

	if (i >= s->n)
		return -ENOENT;
	h = &s->sh[i];
	memset(out, 0, sizeof(*out));
	out->name = h->name;
	out->endpoint = s->ring ? h->ep : s->base.endpoint;
	out->in_ring = h->in_ring;
	out->projections = h->projections;
	uplink_get_stats(h->up, &out->st);
	out->st.events -= h->projections;
	out->connected = out->st.spool.pending == 0 ||
			 (h->ack_ms && now_ms - h->ack_ms < SHARDUP_ACK_RECENT_MS);
	return 0;
}
