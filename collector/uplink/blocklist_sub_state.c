/* blocklist_sub_state.c - the fleet block list's state: the table of active
 * entries, applying a snapshot or a delta as one atomic version (undone
 * when apply fails), versions, gaps, deltas kept while a snapshot is due,
 * and local expiry. blocklist_sub.c feeds it messages; see blocklist_sub.h.
 */
#include "collector/uplink/blocklist_sub_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <pb_decode.h>

#include "common/log.h"
#include "collector/uplink/pbconv.h"
#include "sidewatch.pb.h"
#include "collector/uplink/uplink.h"

/* --- helpers ---------------------------------------------------------- */

static int same_subject(const struct blocklist_entry *a,
			const struct blocklist_entry *b)
{
	return a->family == b->family && a->prefix_len == b->prefix_len &&
	       memcmp(a->addr, b->addr, 16) == 0 &&
	       strcmp(a->identity, b->identity) == 0;
}

static int same_value(const struct blocklist_entry *a,
		      const struct blocklist_entry *b)
{
	return a->expires_us == b->expires_us && strcmp(a->rule, b->rule) == 0;
}

static uint64_t subject_hash(const struct blocklist_entry *e)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t i;

	h = (h ^ e->family) * 1099511628211ull;
	h = (h ^ e->prefix_len) * 1099511628211ull;
	for (i = 0; i < 16; i++)
		h = (h ^ e->addr[i]) * 1099511628211ull;
	for (i = 0; e->identity[i]; i++)
		h = (h ^ (uint8_t)e->identity[i]) * 1099511628211ull;
	return h;
}

/* --- the table -------------------------------------------------------- */

static struct slot *tab_find(const struct blocklist_sub *b,
			     const struct blocklist_entry *e)
{
	size_t i, mask = b->cap - 1, n;

	if (!b->cap)
		return NULL;
	i = (size_t)subject_hash(e) & mask;
	for (n = 0; n < b->cap; n++, i = (i + 1) & mask) {
		if (b->tab[i].state == SLOT_EMPTY)
			return NULL;
		if (b->tab[i].state == SLOT_FULL && same_subject(&b->tab[i].e, e))
			return &b->tab[i];
	}
	return NULL;
}

static int tab_resize(struct blocklist_sub *b, size_t ncap)
{
	struct slot *old = b->tab, *nt = calloc(ncap, sizeof(*nt));
	size_t i, ocap = b->cap;

	if (!nt)
		return -ENOMEM;
	b->tab = nt;
	b->cap = ncap;
	b->tombs = 0;
	for (i = 0; i < ocap; i++) {
		size_t j, mask = ncap - 1;

		if (old[i].state != SLOT_FULL)
			continue;
		j = (size_t)subject_hash(&old[i].e) & mask;
		while (nt[j].state == SLOT_FULL)
			j = (j + 1) & mask;
		nt[j] = old[i];
	}
	free(old);
	return 0;
}

/* Insert or replace; -ENOSPC at the entry cap. */
static int tab_put(struct blocklist_sub *b, const struct blocklist_entry *e)
{
	struct slot *s = tab_find(b, e);
	size_t i, mask;

	if (s) {
		s->e = *e;
		goto expiry;
	}
	if (b->used >= b->cfg.max_entries) {
		b->st.full++;
		return -ENOSPC;
	}
	if ((b->used + b->tombs + 1) * 2 > b->cap) {
		/* grow when live entries need it, else just drop tombstones */
		size_t ncap = b->cap ? b->cap : 64;

		if ((b->used + 1) * 4 > ncap)
			ncap *= 2;
		if (tab_resize(b, ncap) < 0)
			return -ENOMEM;
	}
	mask = b->cap - 1;
	i = (size_t)subject_hash(e) & mask;
	while (b->tab[i].state == SLOT_FULL)
		i = (i + 1) & mask;
	if (b->tab[i].state == SLOT_TOMB)
		b->tombs--;
	b->tab[i].state = SLOT_FULL;
	b->tab[i].e = *e;
	b->used++;
expiry:
	if (e->expires_us && (!b->next_expiry || e->expires_us < b->next_expiry))
		b->next_expiry = e->expires_us;
	return 0;
}

static void tab_del(struct blocklist_sub *b, const struct blocklist_entry *e)
{
	struct slot *s = tab_find(b, e);

	if (!s)
		return;
	s->state = SLOT_TOMB;
	b->used--;
	b->tombs++;
}

/* --- applying one version atomically ----------------------------------- */

static int undo_push(struct blocklist_sub *b, int op, const struct blocklist_entry *e)
{
	if (b->nundo == b->capundo) {
		size_t nc = b->capundo ? b->capundo * 2 : 64;
		struct undo *nu = realloc(b->undo, nc * sizeof(*nu));

		if (!nu)
			return -ENOMEM;
		b->undo = nu;
		b->capundo = nc;
	}
	b->undo[b->nundo].op = op;
	b->undo[b->nundo].e = *e;
	b->nundo++;
	return 0;
}

static void rollback(struct blocklist_sub *b)
{
	while (b->nundo) {
		struct undo *u = &b->undo[--b->nundo];

		/* best effort: a failing undo leaves the next snapshot to fix */
		b->cfg.apply(b->cfg.ctx, &u->e, u->op);
		if (u->op == BLOCKLIST_DEL)
			tab_del(b, &u->e);
		else
			tab_put(b, &u->e);
	}
}

static int do_del(struct blocklist_sub *b, const struct blocklist_entry *e)
{
	struct slot *s = tab_find(b, e);
	struct blocklist_entry old;

	if (!s)
		return 0; /* not held: already expired or never seen */
	old = s->e;
	if (b->cfg.apply(b->cfg.ctx, &old, BLOCKLIST_DEL) < 0)
		return -EIO;
	if (undo_push(b, BLOCKLIST_ADD, &old) < 0) {
		b->cfg.apply(b->cfg.ctx, &old, BLOCKLIST_ADD);
		return -ENOMEM;
	}
	tab_del(b, &old);
	return 0;
}

static int do_add(struct blocklist_sub *b, const struct blocklist_entry *e,
		  uint64_t now_us)
{
	struct slot *s = tab_find(b, e);

	if (e->expires_us && e->expires_us <= now_us)
		return do_del(b, e); /* arrived already due */
	if (s && same_value(&s->e, e))
		return 0;
	if (!s && b->used >= b->cfg.max_entries) {
		b->st.full++;
		return -ENOSPC;
	}
	if (undo_push(b, s ? BLOCKLIST_ADD : BLOCKLIST_DEL, s ? &s->e : e) < 0)
		return -ENOMEM;
	if (b->cfg.apply(b->cfg.ctx, e, BLOCKLIST_ADD) < 0) {
		b->nundo--;
		return -EIO;
	}
	if (tab_put(b, e) < 0) {
		b->nundo--;
		b->cfg.apply(b->cfg.ctx, e, BLOCKLIST_DEL);
		return -ENOMEM;
	}
	return 0;
}

static void set_version(struct blocklist_sub *b, uint64_t v)
{
	b->version = v;
	b->st.version = v;
	if (b->cfg.uplink)
		uplink_set_counter(b->cfg.uplink, "blocklist_version", v);
}

static void want_snapshot(struct blocklist_sub *b)
{
	if (!b->need_snap)
		b->last_req_ms = 0; /* ask at once */
	b->need_snap = 1;
}

/* --- decoding ------------------------------------------------------------ */

struct elist {
	struct blocklist_entry *v;
	size_t n, cap, max;
	int bad;
};

static bool dec_entry(pb_istream_t *is, const pb_field_t *f, void **arg)
{
	struct elist *l = *arg;
	sidewatch_BlockEntry p = sidewatch_BlockEntry_init_zero;

	(void)f;
	if (!pb_decode(is, sidewatch_BlockEntry_fields, &p))
		return false;
	if (l->n >= l->max) {
		l->bad = 1;
		return false;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct blocklist_entry *nv = realloc(l->v, nc * sizeof(*nv));

		if (!nv) {
			l->bad = 1;
			return false;
		}
		l->v = nv;
		l->cap = nc;
	}
	if (blocklist_entry_from_pb(&p, &l->v[l->n]) < 0) {
		l->bad = 1;
		return false;
	}
	l->n++;
	return true;
}

struct delta {
	uint64_t from, to;
	struct elist add, del;
};

static int decode_delta(struct blocklist_sub *b, const void *data, size_t len,
			struct delta *d)
{
	sidewatch_BlockDelta m = sidewatch_BlockDelta_init_zero;
	pb_istream_t is;

	memset(d, 0, sizeof(*d));
	d->add.max = d->del.max = b->cfg.max_entries;
	if (len < 1 || ((const char *)data)[0] != BLOCKLIST_TOPIC_DELTA[0])
		return -EBADMSG;
	m.add.funcs.decode = dec_entry;
	m.add.arg = &d->add;
	m.remove.funcs.decode = dec_entry;
	m.remove.arg = &d->del;
	is = pb_istream_from_buffer((const pb_byte_t *)data + 1, len - 1);
	if (!pb_decode(&is, sidewatch_BlockDelta_fields, &m) || m.version == 0 ||
	    m.to_version < m.from_version ||
	    (m.to_version > m.from_version && m.to_version - m.from_version > 1)) {
		free(d->add.v);
		free(d->del.v);
		return -EBADMSG;
	}
	d->from = m.from_version;
	d->to = m.to_version;
	return 0;
}

static void delta_free(struct delta *d)
{
	free(d->add.v);
	free(d->del.v);
}

/* Apply a decoded delta that follows b->version. */
static int apply_delta(struct blocklist_sub *b, const struct delta *d)
{
	uint64_t now = unix_us();
	size_t i;
	int rc = 0;

	b->nundo = 0;
	for (i = 0; i < d->del.n && rc == 0; i++)
		rc = do_del(b, &d->del.v[i]);
	for (i = 0; i < d->add.n && rc == 0; i++)
		rc = do_add(b, &d->add.v[i], now);
	if (rc < 0) {
		rollback(b);
		b->st.apply_errors++;
		want_snapshot(b);
		return rc;
	}
	b->nundo = 0;
	b->st.deltas++;
	set_version(b, d->to);
	/* For latency measurements (tools/bench-fleet.sh): when the delta was
	 * taken off the socket and when apply() had put it in the kernel,
	 * both CLOCK_REALTIME like the committer's stamp. Debug only: one
	 * line per list version. */
	if (log_get_level() >= LOG_DEBUG)
		log_debug("fleet block list: version %" PRIu64 " applied (+%zu -%zu) recv_us %" PRIu64 " applied_us %" PRIu64,
			  d->to, d->add.n, d->del.n, now, unix_us());
	return 0;
}

static void pend_drop(struct blocklist_sub *b, unsigned i)
{
	free(b->pend[i].data);
	memmove(&b->pend[i], &b->pend[i + 1], (b->npend - i - 1) * sizeof(b->pend[0]));
	b->npend--;
}

static void pend_keep(struct blocklist_sub *b, const struct delta *d,
		      const void *data, size_t len)
{
	void *copy;
	unsigned i;

	for (i = 0; i < b->npend; i++)
		if (b->pend[i].to == d->to)
			return; /* duplicate */
	if (b->npend == BLOCKLIST_SUB_MAX_PENDING) {
		pend_drop(b, 0);
		b->st.pending_dropped++;
	}
	copy = malloc(len);
	if (!copy) {
		b->st.pending_dropped++;
		return;
	}
	memcpy(copy, data, len);
	b->pend[b->npend].from = d->from;
	b->pend[b->npend].to = d->to;
	b->pend[b->npend].data = copy;
	b->pend[b->npend].len = len;
	b->npend++;
}

/* After a snapshot: replay kept deltas that chain on from b->version. */
static void replay_pending(struct blocklist_sub *b)
{
	int progress = 1;
	unsigned i;

	while (progress) {
		progress = 0;
		for (i = 0; i < b->npend; i++) {
			struct delta d;

			if (b->pend[i].to <= b->version) {
				pend_drop(b, i);
				progress = 1;
				break;
			}
			if (b->pend[i].from != b->version)
				continue;
			if (decode_delta(b, b->pend[i].data, b->pend[i].len, &d) == 0) {
				apply_delta(b, &d);
				delta_free(&d);
			}
			pend_drop(b, i);
			progress = 1;
			break;
		}
	}
	if (b->npend && !b->need_snap) {
		b->st.gaps++; /* kept deltas from beyond a hole */
		want_snapshot(b);
	}
}

int blocklist_sub_on_delta(struct blocklist_sub *b, const void *data, size_t len)
{
	struct delta d;
	int rc;

	if (decode_delta(b, data, len, &d) < 0) {
		b->st.bad_messages++;
		return -EBADMSG;
	}
	if (d.from == d.to) { /* tick: where the publisher is */
		b->st.ticks++;
		if (!b->need_snap && b->have_version && d.to != b->version) {
			if (d.to > b->version)
				b->st.gaps++;
			want_snapshot(b); /* missed the last delta, or a reset */
		}
		delta_free(&d);
		return 0;
	}
	if (b->need_snap) {
		pend_keep(b, &d, data, len);
		delta_free(&d);
		return 0;
	}
	if (d.to <= b->version) {
		b->st.duplicates++;
		delta_free(&d);
		return 0;
	}
	if (d.from != b->version) {
		b->st.gaps++;
		pend_keep(b, &d, data, len);
		want_snapshot(b);
		delta_free(&d);
		return 0;
	}
	rc = apply_delta(b, &d);
	delta_free(&d);
	return rc == -EBADMSG ? -EIO : 0;
}

int blocklist_sub_on_snapshot(struct blocklist_sub *b, const void *data, size_t len)
{
	sidewatch_BlockSnapshot m = sidewatch_BlockSnapshot_init_zero;
	struct elist l = { .max = b->cfg.max_entries };
	uint64_t now = unix_us();
	pb_istream_t is;
	size_t i;
	int rc = 0;

	if (len < 1 || ((const char *)data)[0] != BLOCKLIST_TAG_SNAPSHOT) {
		b->st.bad_messages++;
		return -EBADMSG;
	}
	m.entries.funcs.decode = dec_entry;
	m.entries.arg = &l;
	is = pb_istream_from_buffer((const pb_byte_t *)data + 1, len - 1);
	if (!pb_decode(&is, sidewatch_BlockSnapshot_fields, &m) || m.version == 0) {
		free(l.v);
		b->st.bad_messages++;
		return -EBADMSG;
	}
	if (!b->need_snap) { /* an answer to a request already satisfied */
		free(l.v);
		return 0;
	}
	/* diff: remove what the snapshot lacks, add what is new or changed */
	b->nundo = 0;
	for (i = 0; i < b->cap; i++)
		b->tab[i].mark = 0;
	for (i = 0; i < l.n; i++) {
		struct slot *s = tab_find(b, &l.v[i]);
		if (s)
			s->mark = 1;
	}
	for (i = 0; i < b->cap && rc == 0; i++) {
		struct blocklist_entry cur;

		if (b->tab[i].state != SLOT_FULL || b->tab[i].mark)
			continue;
		cur = b->tab[i].e;
		rc = do_del(b, &cur);
	}
	for (i = 0; i < l.n && rc == 0; i++)
		rc = do_add(b, &l.v[i], now);
	free(l.v);
	if (rc < 0) {
		rollback(b);
		b->st.apply_errors++;
		b->last_req_ms = mono_ms(); /* retry after resync_ms */
		return rc;
	}
	b->nundo = 0;
	b->st.snapshots++;
	b->need_snap = 0;
	b->have_version = 1;
	set_version(b, m.list_version);
	if (log_get_level() >= LOG_DEBUG)
		log_debug("fleet block list: snapshot version %" PRIu64 " applied (%zu entries) recv_us %" PRIu64 " applied_us %" PRIu64,
			  (uint64_t)m.list_version, l.n, now, unix_us());
	replay_pending(b);
	return 0;
}

unsigned blocklist_sub_expire(struct blocklist_sub *b, uint64_t now_us)
{
	uint64_t next = 0;
	unsigned n = 0;
	size_t i;

	if (!b->next_expiry || b->next_expiry > now_us)
		return 0;
	for (i = 0; i < b->cap; i++) {
		struct slot *s = &b->tab[i];

		if (s->state != SLOT_FULL || !s->e.expires_us)
			continue;
		if (s->e.expires_us <= now_us &&
		    b->cfg.apply(b->cfg.ctx, &s->e, BLOCKLIST_DEL) == 0) {
			s->state = SLOT_TOMB;
			b->used--;
			b->tombs++;
			n++;
			continue;
		}
		/* a failed DEL is retried on the next pass */
		if (!next || s->e.expires_us < next)
			next = s->e.expires_us;
	}
	b->next_expiry = next;
	b->st.expired += n;
	return n;
}

/* --- reading the list ---------------------------------------------------- */

int blocklist_sub_needs_snapshot(const struct blocklist_sub *b)
{
	return b->need_snap;
}

uint64_t blocklist_sub_version(const struct blocklist_sub *b)
{
	return b->version;
}

void blocklist_sub_get_stats(const struct blocklist_sub *b, struct blocklist_sub_stats *st)
{
	*st = b->st;
	st->version = b->version;
	st->entries = b->used;
}

void blocklist_sub_foreach(const struct blocklist_sub *b,
		      void (*fn)(void *ctx, const struct blocklist_entry *e),
		      void *ctx)
{
	size_t i;

	for (i = 0; i < b->cap; i++)
		if (b->tab[i].state == SLOT_FULL)
			fn(ctx, &b->tab[i].e);
}
