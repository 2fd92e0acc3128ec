/* blocklist_apply.c - the fleet block list, applied on this host (see blocklist_apply.h). */
#include "collector/enforce/blocklist_apply.h"
#include "common/clock.h"
#include "collector/enforce/blocklist_ident.h"
#include "collector/detect/ident.h"
#include "collector/enforce/shield.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_PENDING_CUTS 64

_Static_assert(BLOCKLIST_IDENT_MAX >= BLOCKLIST_SUB_MAX_ENTRIES,
	       "every identity the block list may hold fits in the set");

struct blocklist_apply {
	struct enforce *enf;
	struct blocklist_ident *idb;
	struct blocklist_apply_stats st;
	uint64_t last_cookie;   /* the connection last reported for its identity */
	struct enforce_cidr cuts[MAX_PENDING_CUTS];
	size_t ncuts;
	const struct shield *shield; /* never blocked; NULL: none */
};

struct blocklist_apply *blocklist_apply_new(struct enforce *enf)
{
	struct blocklist_apply *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->enf = enf;
	f->idb = blocklist_ident_new();
	if (!f->idb) {
		free(f);
		return NULL;
	}
	return f;
}

void blocklist_apply_set_shield(struct blocklist_apply *f, const struct shield *s)
{
	f->shield = s;
}

void blocklist_apply_free(struct blocklist_apply *f)
{
	if (!f)
		return;
	blocklist_ident_free(f->idb);
	free(f);
}

int blocklist_apply_is_loopback(uint8_t family, const uint8_t *addr)
{
	static const uint8_t v6lo[16] = { [15] = 1 };
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family == AF_INET)
		return addr[0] == 127;
	return family == AF_INET6 &&
	       (!memcmp(addr, v6lo, 16) ||
		(!memcmp(addr, v4mapped, 12) && addr[12] == 127));
}

/* Does net/len (network byte order) contain the address a? */
static int net_has(const uint8_t *net, unsigned len, const uint8_t *a)
{
	unsigned full = len / 8, rest = len % 8;

	if (memcmp(net, a, full))
		return 0;
	return !rest || ((net[full] ^ a[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int blocklist_apply_covers_loopback(uint8_t family, const uint8_t *net, unsigned len)
{
	static const uint8_t lo4[4] = { 127, 0, 0, 1 };
	static const uint8_t lo6[16] = { [15] = 1 };
	static const uint8_t lo4m[16] = { [10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1 };

	if (family == AF_INET)
		return net_has(net, len > 32 ? 32 : len, lo4);
	if (family == AF_INET6) {
		len = len > 128 ? 128 : len;
		return net_has(net, len, lo6) || net_has(net, len, lo4m);
	}
	return 0;
}

/* A cut queued for a source no longer blocked (a version rolled back, or
 * an add and a removal in one version) must not happen. */
static void drop_pending_cut(struct blocklist_apply *f, const struct enforce_cidr *c)
{
	for (size_t i = 0; i < f->ncuts; i++)
		if (f->cuts[i].family == c->family && f->cuts[i].prefixlen == c->prefixlen &&
		    !memcmp(f->cuts[i].addr, c->addr, sizeof(c->addr))) {
			f->cuts[i--] = f->cuts[--f->ncuts];
		}
}

static int identity_entry(struct blocklist_apply *f, const struct blocklist_entry *e,
			  int op)
{
	uint64_t h;
	int rc;

	if (blocklist_ident_parse(e->identity, &h)) {
		f->st.unparsed++;
		return 0; /* not ours to refuse the whole version for */
	}
	if (op == BLOCKLIST_DEL) {
		if (blocklist_ident_del(f->idb, h, blocklist_ident_tag(e->identity)) == 0)
			f->st.removed++;
		return 0;
	}
	rc = blocklist_ident_add(f->idb, h, blocklist_ident_tag(e->identity), e->expires_us);
	if (rc == 0)
		f->st.applied++;
	else
		f->st.unparsed++; /* full or out of memory: counted, and the
				   * rest of the version (addresses) still applies */
	return 0;
}

int blocklist_apply_entry(void *ctx, const struct blocklist_entry *e, int op)
{
	struct blocklist_apply *f = ctx;
	struct enforce_cidr c = { .family = e->family, .prefixlen = e->prefix_len };
	uint64_t ttl_ns = 0;
	int rc, no_cut;

	if (!e->family)
		return e->identity[0] ? identity_entry(f, e, op) : 0;
	if (!f->enf) {
		f->st.skipped++;
		return 0;
	}
	if (op != BLOCKLIST_DEL && blocklist_apply_covers_loopback(e->family, e->addr, e->prefix_len)) {
		f->st.skipped++;
		f->st.loopback++;
		return 0;
	}
	/* this host, its gateway, the correlator, the allow list and the
	 * operator's never_block: no fleet decision drops them here. A
	 * block inside one of them is not placed; one that only covers one
	 * drops the rest (the kernel's allow trie exempts the protected
	 * addresses) but does not cut the range's connections. */
	if (op != BLOCKLIST_DEL && f->shield &&
	    shield_contains(f->shield, e->family, e->addr, e->prefix_len)) {
		f->st.skipped++;
		f->st.shielded++;
		return 0;
	}
	no_cut = op != BLOCKLIST_DEL && f->shield &&
		 shield_overlaps(f->shield, e->family, e->addr, e->prefix_len);
	memcpy(c.addr, e->addr, sizeof(c.addr));
	if (op == BLOCKLIST_DEL) {
		drop_pending_cut(f, &c);
		rc = enforce_unblock(f->enf, &c);
		f->st.removed++;
		return rc == -ENOENT ? 0 : rc;
	}
	if (e->expires_us) {
		uint64_t now_us = clock_unix_us();

		if (e->expires_us <= now_us)
			return 0;
		ttl_ns = (e->expires_us - now_us) * 1000ull;
	}
	rc = enforce_block_drop(f->enf, &c, ttl_ns, 0);
	if (rc == 0 && no_cut) {
		f->st.applied++;
		f->st.uncut++;
	} else if (rc == 0) {
		f->st.applied++;
		if (f->ncuts < MAX_PENDING_CUTS)
			f->cuts[f->ncuts++] = c;
		else
			enforce_cut(f->enf, &c); /* a big snapshot: cut as we go */
	}
	return rc;
}

void blocklist_apply_cut_pending(struct blocklist_apply *f)
{
	for (size_t i = 0; i < f->ncuts; i++)
		enforce_cut(f->enf, &f->cuts[i]);
	f->ncuts = 0;
}

int blocklist_apply_identity(struct blocklist_apply *f, const struct sess_event *ev,
		    uint64_t now_mono_ns, struct verdict *v)
{
	struct ident id;

	if (!blocklist_ident_count(f->idb) || !ev->conn ||
	    ev->conn->cookie == f->last_cookie || !ident_extract(ev, &id) ||
	    !blocklist_ident_has(f->idb, id.hash, clock_unix_us()))
		return 0;
	f->last_cookie = ev->conn->cookie;
	f->st.identity_hits++;
	memset(v, 0, sizeof(*v));
	snprintf(v->rule, sizeof(v->rule), "fleet.identity_block");
	v->severity = SEV_HIGH;
	v->wanted = VERDICT_KILL;
	v->action = f->enf ? VERDICT_KILL : VERDICT_ALERT;
	snprintf(v->reason, sizeof(v->reason), "identity %s is on the fleet block list", id.key);
	snprintf(v->client_key, sizeof(v->client_key), "%s", id.key);
	v->detect_ns = now_mono_ns;
	v->rule_id = RULE__COUNT; /* not a local rule: never used for a kill */
	return 1;
}

void blocklist_apply_identity_retry(struct blocklist_apply *f)
{
	f->last_cookie = 0;
}

void blocklist_apply_get_stats(const struct blocklist_apply *f, struct blocklist_apply_stats *st)
{
	*st = f->st;
	st->identities = blocklist_ident_count(f->idb);
}
