/* test_projection.c - projections in a sharded fleet (issue 25): the keys
 * (common/projkey.h), a sharded correlator's ingest of projected events
 * (not rows, counted apart, misrouted only when their key is another
 * shard's) and what they feed in the fleet windows (correlator/fleet_win.c):
 * a projection drives the endpoint detectors and none keyed by source; a
 * shard's own events feed the endpoint detectors only when it owns the
 * endpoint. No PostgreSQL: batches are decoded and committed into windows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pb_encode.h>

#include "common/projkey.h"
#include "common/ring.h"
#include "correlator/fleet_int.h"
#include "correlator/ingest.h"

#define NEV 40
#define AUTH "shop.example"
#define LOGIN "/api/login"

static const char RING[] = "version 1\na tcp://10.0.0.1:7450 1\n"
			   "b tcp://10.0.0.2:7450 1\n";

struct evlist {
	const sidewatch_SessionEvent *ev;
	size_t n;
};

static bool enc_events(pb_ostream_t *os, const pb_field_t *f, void *const *arg)
{
	const struct evlist *l = *arg;

	for (size_t i = 0; i < l->n; i++)
		if (!pb_encode_tag_for_field(os, f) ||
		    !pb_encode_submessage(os, sidewatch_SessionEvent_fields, &l->ev[i]))
			return false;
	return true;
}

/* the skips the hook was given, in order */
struct seen {
	unsigned skip[2 * NEV];
	size_t n;
};

static void record(void *ctx, const struct ingest_batch *b, uint32_t idx,
		   const sidewatch_SessionEvent *e, unsigned skip)
{
	struct seen *s = ctx;

	(void)b, (void)idx, (void)e;
	if (s->n < 2 * NEV)
		s->skip[s->n++] = skip;
}

static int decode(const sidewatch_SessionEvent *ev, size_t n, const struct ring *r,
		  int shard, ingest_hook_fn hook, void *ctx, struct ingest_batch *b)
{
	static uint8_t buf[256 << 10];
	static uint64_t seq;
	sidewatch_Batch m = sidewatch_Batch_init_zero;
	struct evlist l = { ev, n };
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));
	struct ingest_limits lim = {
		.recv_us = 1767225600123456ull,
		.ts_lo_us = 1767139200000000ull,
		.ts_hi_us = 1767398400000000ull,
		.ring = r,
		.shard = shard,
		.hook = hook,
		.hook_ctx = ctx,
	};
	char why[128];

	m.version = 1;
	strcpy(m.host, "h1");
	m.seq = ++seq;
	m.events.funcs.encode = enc_events;
	m.events.arg = &l;
	assert_true(pb_encode(&os, sidewatch_Batch_fields, &m));
	return ingest_decode(buf, os.bytes_written, &lim, b, why, sizeof(why));
}

static void set_bytes(pb_byte_t *dst, pb_size_t *size, const char *s)
{
	*size = (pb_size_t)strlen(s);
	memcpy(dst, s, *size);
}

/* event i: a failed login on AUTH from 10.i.7.9 with identity "user-i" */
static void make_events(sidewatch_SessionEvent *ev, uint32_t projection)
{
	for (unsigned i = 0; i < NEV; i++) {
		sidewatch_SessionEvent *e = &ev[i];
		char id[32];

		memset(e, 0, sizeof(*e));
		e->ts_us = 1767225600000001ull;
		e->src_ip.size = 4;
		e->src_ip.bytes[0] = 10;
		e->src_ip.bytes[1] = (uint8_t)i;
		e->src_ip.bytes[2] = 7;
		e->src_ip.bytes[3] = 9;
		e->status = 401;
		set_bytes(e->authority.bytes, &e->authority.size, AUTH);
		set_bytes(e->path.bytes, &e->path.size, LOGIN);
		snprintf(id, sizeof(id), "user-%u", i);
		set_bytes(e->identity.bytes, &e->identity.size, id);
		e->projection = projection;
	}
}

static struct ring *mkring(void)
{
	char err[128];
	struct ring *r = ring_parse(RING, strlen(RING), err, sizeof(err));

	assert_non_null(r);
	return r;
}

static void keys_follow_the_subject(void **state)
{
	char big[300];
	uint32_t idh;
	char t[PROJKEY_PATH_MAX];

	(void)state;
	/* one template, one key: ids do not split an endpoint */
	assert_true(projkey_endpoint(AUTH, 12, "/api/users/17", 13) ==
		    projkey_endpoint(AUTH, 12, "/api/users/9000", 15));
	assert_true(projkey_endpoint(AUTH, 12, "/api/users/17", 13) !=
		    projkey_endpoint(AUTH, 12, "/api/users/me", 13));
	assert_true(projkey_endpoint(AUTH, 12, LOGIN, 10) !=
		    projkey_endpoint("api.example", 11, LOGIN, 10));
	/* the authority ends where the path starts: no shifting bytes over */
	assert_true(projkey_endpoint("ab", 2, "/c", 2) != projkey_endpoint("a", 1, "b/c", 3));
	/* bytes past what the correlator's subject keeps do not count */
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	assert_true(projkey_endpoint(AUTH, 12, big, 200) == projkey_endpoint(AUTH, 12, big, 300));
	assert_true(projkey_identity(big, 128) == projkey_identity(big, 300));
	assert_true(projkey_identity(big, 127) != projkey_identity(big, 128));
	assert_true(projkey_identity(NULL, 0) == 0);
	assert_int_equal(projkey_template("/api/users/123/orders/9", t, sizeof(t), &idh), 1);
	assert_string_equal(t, "/api/users/{id}/orders/{id}");
	assert_int_equal(projkey_template(LOGIN, t, sizeof(t), &idh), 0);
	assert_string_equal(t, LOGIN);
}

/* Projections are counted, not rows; misrouted only on the shard that does
 * not own their key; the hook is told what each event may feed. */
static void ingest_counts_projections_apart(void **state)
{
	static sidewatch_SessionEvent ev[NEV];
	struct ingest_batch b = { 0 };
	struct seen s = { .n = 0 };
	struct ring *r = mkring();
	int eo = (int)ring_owner(r, projkey_endpoint(AUTH, 12, LOGIN, 10));
	unsigned i, src_other = 0, id_mine = 0;

	(void)state;
	make_events(ev, sidewatch_Projection_PROJ_ENDPOINT);
	assert_int_equal(decode(ev, NEV, r, eo, record, &s, &b), 0);
	print_message("endpoint %s%s owned by %c: %u projections, %u rows\n", AUTH, LOGIN,
		      'a' + eo, b.projected, b.nevents);
	assert_int_equal(b.nevents, 0);
	assert_int_equal(b.projected, NEV);
	assert_int_equal(b.misrouted, 0);
	assert_int_equal(b.proj_misrouted, 0);
	assert_int_equal(s.n, NEV);
	for (i = 0; i < NEV; i++)
		assert_int_equal(s.skip[i], INGEST_SKIP_SOURCE | INGEST_SKIP_IDENTITY);

	/* the same projections on the other shard: misrouted, counted apart */
	s.n = 0;
	assert_int_equal(decode(ev, NEV, r, 1 - eo, record, &s, &b), 0);
	assert_int_equal(b.projected, NEV);
	assert_int_equal(b.proj_misrouted, NEV);
	assert_int_equal(b.misrouted, 0);

	/* the events themselves on the endpoint's non-owner: rows, source
	 * detectors only, identities only where the identity key is ours */
	make_events(ev, 0);
	s.n = 0;
	assert_int_equal(decode(ev, NEV, r, 1 - eo, record, &s, &b), 0);
	assert_int_equal(b.nevents, NEV);
	assert_int_equal(b.projected, 0);
	assert_int_equal(b.proj_misrouted, 0);
	assert_int_equal(s.n, NEV);
	for (i = 0; i < NEV; i++) {
		int src_mine = (int)ring_owner(r, ring_key(ev[i].src_ip.bytes, 4)) == 1 - eo;
		int idm = (int)ring_owner(r, projkey_identity(ev[i].identity.bytes,
							       ev[i].identity.size)) == 1 - eo;

		src_other += !src_mine;
		id_mine += idm;
		assert_int_equal(s.skip[i], INGEST_SKIP_ENDPOINT | (idm ? 0 : INGEST_SKIP_IDENTITY));
	}
	assert_int_equal(b.misrouted, src_other);
	print_message("on %c: %u of %u sources misrouted, %u identities owned\n",
		      'a' + (1 - eo), src_other, NEV, id_mine);
	assert_true(id_mine > 0 && id_mine < NEV);

	/* no ring: everything feeds everything */
	s.n = 0;
	assert_int_equal(decode(ev, NEV, NULL, 0, record, &s, &b), 0);
	for (i = 0; i < NEV; i++)
		assert_int_equal(s.skip[i], 0);
	ingest_batch_free(&b);
	ring_free(r);
}

static struct fleet *mkfleet(void)
{
	struct fleet_config c;
	struct fleet *f;

	fleet_config_defaults(&c);
	f = fleet_new(&c, "postgresql:///nowhere");
	assert_non_null(f);
	return f;
}

static unsigned total(struct fleet *f, enum fleet_detector d, const char *subject)
{
	struct fleet_window *k = fleet_win_find(f, d, subject);

	return k ? (unsigned)k->total : 0;
}

/* A projected event drives the endpoint detectors (bruteforce and rate)
 * and none of the source ones; the events on a shard that does not own
 * the endpoint drive the source ones and not the endpoint's. */
static void projection_drives_the_endpoint_detector_only(void **state)
{
	static sidewatch_SessionEvent ev[NEV];
	struct ingest_batch b = { 0 };
	struct ring *r = mkring();
	int eo = (int)ring_owner(r, projkey_endpoint(AUTH, 12, LOGIN, 10));
	struct fleet *f = mkfleet();
	unsigned i, src = 0;

	(void)state;
	make_events(ev, sidewatch_Projection_PROJ_ENDPOINT);
	assert_int_equal(decode(ev, NEV, r, eo, fleet_hook, f, &b), 0);
	fleet_commit(f, &b);
	assert_int_equal(total(f, FLEET_DET_BF_EP, AUTH LOGIN), NEV);
	assert_int_equal(total(f, FLEET_DET_RATE, AUTH LOGIN), NEV);
	for (i = 0; i < NEV; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.%u.7.9", i);
		src += total(f, FLEET_DET_BF_SRC, ip);
		src += total(f, FLEET_DET_SCAN_ID, (char *)ev[i].identity.bytes);
		src += total(f, FLEET_DET_CRED, (char *)ev[i].identity.bytes);
	}
	assert_int_equal(src, 0);
	fleet_free(f);

	/* the events themselves on the other shard */
	f = mkfleet();
	make_events(ev, 0);
	assert_int_equal(decode(ev, NEV, r, 1 - eo, fleet_hook, f, &b), 0);
	fleet_commit(f, &b);
	assert_int_equal(total(f, FLEET_DET_BF_EP, AUTH LOGIN), 0);
	assert_int_equal(total(f, FLEET_DET_RATE, AUTH LOGIN), 0);
	for (i = src = 0; i < NEV; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.%u.7.9", i);
		src += total(f, FLEET_DET_BF_SRC, ip);
	}
	assert_int_equal(src, NEV);
	fleet_free(f);

	/* without a ring, as before: one correlator sees it all */
	f = mkfleet();
	assert_int_equal(decode(ev, NEV, NULL, 0, fleet_hook, f, &b), 0);
	fleet_commit(f, &b);
	assert_int_equal(total(f, FLEET_DET_BF_EP, AUTH LOGIN), NEV);
	fleet_free(f);
	ingest_batch_free(&b);
	ring_free(r);
}

/* every window's total of fleets f and g, compared: the same windows with
 * the same counts; returns the number of windows */
static size_t same_windows(struct fleet *f, struct fleet *g)
{
	size_t b, n = 0;

	assert_int_equal(f->nkeys, g->nkeys);
	for (b = 0; b < FLEET_NBUCKETS; b++)
		for (struct fleet_window *k = f->tab[b]; k; k = k->next) {
			struct fleet_window *o = fleet_win_find(g, k->det, k->subject);

			assert_non_null(o);
			assert_int_equal(o->total, k->total);
			n++;
		}
	return n;
}

/* event i of ev as the warm-up reads it back (fleet_warm.c's columns),
 * bits 0 for an own row of `events`, else a stored projection's */
static void warm_event(struct fleet *f, const sidewatch_SessionEvent *e,
		       unsigned bits)
{
	char ip[32], st[16], auth[80], path[200], id[140], b[8];
	const char *v[FLEET_WARM_NCOLS] = { "h1", "7", "0", "1767225600123456",
		"session", ip, st, path, auth, id, "", "", "-1", b };

	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", e->src_ip.bytes[0], e->src_ip.bytes[1],
		 e->src_ip.bytes[2], e->src_ip.bytes[3]);
	snprintf(st, sizeof(st), "%d", (int)e->status);
	snprintf(auth, sizeof(auth), "%.*s", (int)e->authority.size, (char *)e->authority.bytes);
	snprintf(path, sizeof(path), "%.*s", (int)e->path.size, (char *)e->path.bytes);
	snprintf(id, sizeof(id), "%.*s", (int)e->identity.size, (char *)e->identity.bytes);
	snprintf(b, sizeof(b), "%u", bits);
	fleet_warm_row(f, v);
}

/* After a restart a shard's windows are what live ingest made of the same
 * events: its own rows feed the endpoint and identity windows only where
 * it owns the key (on the endpoint's non-owner: none of the endpoint's),
 * a stored projection only the families of its bits. */
static void warm_feeds_what_ingest_fed(void **state)
{
	static sidewatch_SessionEvent ev[NEV];
	struct ingest_batch b = { 0 };
	struct ring *r = mkring();
	int eo = (int)ring_owner(r, projkey_endpoint(AUTH, 12, LOGIN, 10));
	struct fleet *live, *warm;
	unsigned i, proj[2] = { sidewatch_Projection_PROJ_ENDPOINT,
				sidewatch_Projection_PROJ_ENDPOINT |
				sidewatch_Projection_PROJ_IDENTITY };
	size_t n;

	(void)state;
	/* own rows on the endpoint's non-owner */
	make_events(ev, 0);
	live = mkfleet();
	warm = mkfleet();
	fleet_set_ring(live, r, 1 - eo);
	fleet_set_ring(warm, r, 1 - eo);
	assert_int_equal(decode(ev, NEV, r, 1 - eo, fleet_hook, live, &b), 0);
	fleet_commit(live, &b);
	for (i = 0; i < NEV; i++)
		warm_event(warm, &ev[i], 0);
	n = same_windows(warm, live);
	assert_int_equal(total(warm, FLEET_DET_BF_EP, AUTH LOGIN), 0);
	assert_int_equal(total(warm, FLEET_DET_RATE, AUTH LOGIN), 0);
	print_message("own rows on %c: %zu windows, as live\n", 'a' + (1 - eo), n);
	assert_true(n > NEV); /* a source window each, and owned identities' */
	fleet_free(live);
	fleet_free(warm);

	/* stored projections on the endpoint's owner, by their bits */
	for (unsigned p = 0; p < 2; p++) {
		make_events(ev, proj[p]);
		live = mkfleet();
		warm = mkfleet();
		fleet_set_ring(live, r, eo);
		fleet_set_ring(warm, r, eo);
		assert_int_equal(decode(ev, NEV, r, eo, fleet_hook, live, &b), 0);
		fleet_commit(live, &b);
		for (i = 0; i < NEV; i++)
			warm_event(warm, &ev[i], proj[p]);
		n = same_windows(warm, live);
		assert_int_equal(total(warm, FLEET_DET_BF_EP, AUTH LOGIN), NEV);
		assert_int_equal(n, p ? 2 + NEV : 2); /* + a sharing window per identity */
		fleet_free(live);
		fleet_free(warm);
	}

	/* without a ring an own row feeds everything */
	make_events(ev, 0);
	warm = mkfleet();
	for (i = 0; i < NEV; i++)
		warm_event(warm, &ev[i], 0);
	assert_int_equal(total(warm, FLEET_DET_BF_EP, AUTH LOGIN), NEV);
	fleet_free(warm);
	ingest_batch_free(&b);
	ring_free(r);
}

/* The projections a restarted shard needs become rows of their own (in
 * the batch's transaction, store.c): the failed logins do; a projection
 * answered 200 without an identity feeds no warmed detector and does not. */
static void projections_kept_for_the_warm_up(void **state)
{
	static sidewatch_SessionEvent ev[NEV];
	struct ingest_batch b = { 0 };
	struct ring *r = mkring();
	int eo = (int)ring_owner(r, projkey_endpoint(AUTH, 12, LOGIN, 10));
	struct sbuf out = { 0 };

	(void)state;
	make_events(ev, sidewatch_Projection_PROJ_ENDPOINT);
	for (unsigned i = 0; i < NEV / 2; i++) {
		ev[i].status = 200;
		ev[i].identity.size = 0;
	}
	assert_int_equal(decode(ev, NEV, r, eo, NULL, NULL, &b), 0);
	assert_int_equal(b.projected, NEV);
	assert_int_equal(b.nproj, NEV / 2);
	assert_int_equal(ingest_copy_proj_rows(&out, &b), 0);
	assert_true(out.len > 0);
	/* the events themselves keep none */
	make_events(ev, 0);
	assert_int_equal(decode(ev, NEV, r, eo, NULL, NULL, &b), 0);
	assert_int_equal(b.nproj, 0);
	sbuf_free(&out);
	ingest_batch_free(&b);
	ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_follow_the_subject),
		cmocka_unit_test(ingest_counts_projections_apart),
		cmocka_unit_test(projection_drives_the_endpoint_detector_only),
		cmocka_unit_test(warm_feeds_what_ingest_fed),
		cmocka_unit_test(projections_kept_for_the_warm_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
