/* respond.c - the response to session events and verdicts (respond.h). */
#include "collector/respond.h"
#include "collector/app.h"
#include "collector/apis.h"
#include "collector/detect/fwdfor.h"
#include "collector/detect/ident.h"
#include "collector/detect/rules.h"
#include "collector/detect/verdict.h"
#include "collector/enforce/blocklist_apply.h"
#include "collector/enforce/enforce.h"
#include "collector/enforce/localblock.h"
#include "collector/enforce/shield.h"
#include "collector/evjson.h"
#include "collector/uplink/pbconv.h"
#include "collector/uplink/shardup.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void print_event(struct app *a, const struct sess_event *ev,
			const struct verdict *v, uint64_t detect_us,
			uint64_t enforce_us)
{
	struct json_buf jb;

	json_init(&jb, a->line, sizeof(a->line));
	json_obj_open(&jb);
	evjson_fields(&jb, &a->jctx, ev);
	if (a->fwd_ok && ev->conn) {
		/* judged as the client the trusted proxy named; src is the proxy */
		char ip[64] = "?";

		inet_ntop(a->fconn.family, a->fconn.client_addr, ip, sizeof(ip));
		json_kv_str(&jb, "fwd_client", ip);
		evjson_addr(ip, sizeof(ip), ev->conn->family, ev->conn->client_addr,
			    ev->conn->client_port);
		json_kv_str(&jb, "via", ip);
	}
	if (v) {
		verdict_json_put(&jb, v);
		json_kv_u64(&jb, "detect_latency_us", detect_us);
		json_kv_u64(&jb, "enforce_latency_us", enforce_us);
	}
	json_obj_close(&jb);
	fputs(a->line, stdout);
	fputc('\n', stdout);
}

/* A block verdict whose address must not be dropped is kept to a kill, and
 * the downgrade counted. Returns the verdict to act on: vin, or *kept. */
static const struct verdict *keep_to_kill(struct app *a, const struct verdict *vin,
					  struct verdict *kept)
{
	if (vin->action != VERDICT_BLOCK)
		return vin;
	/* Dropping a loopback address would cut every local client of this
	 * host (health checks, sidecars, agents): its offending connection is
	 * killed instead, and the downgrade is counted. */
	if (a->fwd_ok) {
		/* a client behind a trusted proxy: the kernel sees only the
		 * proxy, so its connection is cut and the client is blocked
		 * here, by its forwarded address (local_offend) */
		a->proxied_not_blocked++;
	} else if (blocklist_apply_is_loopback(vin->client_family, vin->client_addr)) {
		a->loopback_not_blocked++;
	} else if (!strncmp(vin->client_key, "id:", 3) &&
		   (vin->rule_id < RULE_PAYLOAD_FIRST || vin->rule_id > RULE_PAYLOAD_LAST)) {
		/* counted by an identity over many requests: the request that
		 * crossed the threshold may be the identity's owner, not the
		 * one abusing it, so its address is not dropped */
		a->identity_not_blocked++;
	} else if (shield_overlaps(&a->shield, vin->client_family, vin->client_addr,
				   vin->client_family == AF_INET ? 32 : 128)) {
		/* the host itself, its gateway, the correlator, a proxy the
		 * operator named: cut the connection, never drop the address */
		a->shielded++;
	} else {
		return vin;
	}
	*kept = *vin;
	kept->action = VERDICT_KILL;
	return kept;
}

/* Kill the offending connection; for a block, first drop new packets of
 * its client (*c, *cut set: the client's other connections are cut once the
 * verdict is reported). *enforce_us: from the verdict to the kill or drop.
 * Returns 0, or the negative errno of a kill or block that failed. */
static int enforce_verdict(struct app *a, const struct sess_event *ev,
			   const struct verdict *v, struct enforce_cidr *c,
			   int *cut, uint64_t *enforce_us)
{
	/* TLS plaintext streams are keyed by the socket cookie with a
	 * marker bit; the socket itself has the plain cookie. */
	uint64_t sock_cookie = ev->conn->cookie & ~SW_TLS_COOKIE_BIT;
	uint64_t done = 0;
	int rc;

	if (v->action == VERDICT_BLOCK) {
		uint64_t kdone = 0;

		c->family = v->client_family;
		c->prefixlen = c->family == AF_INET ? 32 : 128;
		memcpy(c->addr, v->client_addr, sizeof(c->addr));
		/* rules' ipv6_prefix: the client's whole prefix, unless it
		 * holds an address this host never drops (its own, its
		 * gateway, the correlator, an allow-listed range) */
		if (c->family == AF_INET6 && v->client_prefix && v->client_prefix < 128) {
			if (shield_overlaps(&a->shield, c->family, c->addr, v->client_prefix)) {
				a->prefix_narrowed++;
			} else {
				c->prefixlen = v->client_prefix;
				a->blocks_prefix++;
			}
		}
		/* Drop new packets now and cut the offending connection;
		 * the client's other connections are cut after the
		 * verdict is reported (a walk per namespace). */
		rc = enforce_block_drop(a->enf, c, v->block_ttl_ns, v->rule_id);
		done = clock_mono_ns();
		if (rc == 0) {
			a->blocks++;
			*cut = 1;
			if (!enforce_kill(a->enf, sock_cookie, ev->conn->netns,
					  NULL, &kdone) && kdone)
				done = kdone;
		}
	} else {
		rc = enforce_kill(a->enf, sock_cookie, ev->conn->netns, NULL, &done);
		a->kills += rc == 0;
		if (rc == -ENOENT)
			rc = 0; /* the connection had already ended */
	}
	if (rc < 0) {
		a->enforce_errors++;
		log_warn("enforcing %s on %s failed: %s", v->rule, v->client_key,
			 strerror(-rc));
	}
	if (done > v->detect_ns)
		*enforce_us = (done - v->detect_ns) / 1000;
	return rc < 0 ? rc : 0;
}

/* The verdict event upstream, with what decided it and the identity of
 * the request (ev: the event as judged; a->vev: its verdict copy). */
static void push_verdict(struct app *a, const struct sess_event *ev,
			 const struct verdict *v, uint64_t detect_us,
			 uint64_t enforce_us)
{
	struct pbconv_extra x = {};
	struct ident id;

	if (ident_extract(ev, &id)) {
		x.identity = id.key;
		x.identity_len = strlen(id.key);
	}
	x.rule = v->rule;
	x.severity = verdict_severity_names[v->severity];
	x.action = verdict_action_names[v->action];
	x.detect_latency_us = detect_us;
	x.enforce_latency_us = enforce_us;
	if (shardup_push_ex(a->up, &a->vev, &x, NULL,
			   (uint64_t)a->jctx.mono_to_unix_ns))
		a->uplink_errors++;
}

/* A verdict on a subject the kernel cannot drop (a secret identity, a
 * client behind a trusted proxy) counts against it here: a blocking rule
 * blocks it, a kill is a strike (localblock.h). jev: the event as judged;
 * vin: the verdict before the address policy. A claimed identity (an
 * unsigned JWT sub, a Basic user) is anyone's to send: it never blocks. */
static void local_offend(struct app *a, const struct sess_event *jev,
			 const struct verdict *vin)
{
	uint64_t now = clock_mono_ns(), ttl = 0;
	struct ident id;

	if (!a->local || vin->action == VERDICT_ALERT || vin->rule_id >= RULE__COUNT)
		return;
	if (vin->action == VERDICT_BLOCK)
		ttl = vin->block_ttl_ns ? vin->block_ttl_ns : LOCALBLOCK_TTL_NS;
	if (!strncmp(vin->client_key, "id:", 3) && ident_extract(jev, &id) &&
	    !strcmp(id.key, vin->client_key)) {
		if (ident_claimed(id.kind))
			a->claimed_not_blocked++;
		else
			localblock_offend(a->local, id.hash, ttl, now);
	}
	/* a forwarded client this host must never block (its own address, an
	 * allow-listed range) is cut, never blocked */
	if (a->fwd_ok && !shield_overlaps(&a->shield, a->fconn.family, a->fconn.client_addr,
					  a->fconn.family == AF_INET ? 32 : 128))
		localblock_offend(a->local, localblock_addr_key(a->fconn.family, a->fconn.client_addr),
				  ttl, now);
}

/* One verdict: act on it (enforcement), report it on stdout and upstream.
 * ev: the event as captured (its connection is the one cut); jev: as
 * judged (the forwarded client's, or ev). offending_ns is the kernel time
 * of the bytes that decided it.
 * Returns 0, or the negative errno of a kill or block that failed. */
static int respond_verdict(struct app *a, const struct sess_event *ev,
			   const struct sess_event *jev,
			   const struct verdict *vin, uint64_t offending_ns)
{
	uint64_t detect_us = 0, enforce_us = 0;
	struct enforce_cidr c = {};
	const struct verdict *v;
	struct verdict kept;
	int failed = 0, cut = 0;

	a->verdicts++;
	v = keep_to_kill(a, vin, &kept);
	if (offending_ns && v->detect_ns > offending_ns)
		detect_us = (v->detect_ns - offending_ns) / 1000;
	if (a->enf && ev->conn && v->action != VERDICT_ALERT)
		failed = enforce_verdict(a, ev, v, &c, &cut, &enforce_us);
	local_offend(a, jev, vin);
	if (ev != &a->vev) /* a pending verdict is judged in place */
		memcpy(&a->vev, ev, sizeof(a->vev));
	a->vev.kind = SESS_KIND_VERDICT;
	if (a->cfg.to_stdout)
		print_event(a, &a->vev, v, detect_us, enforce_us);
	if (a->up) {
		a->vev.conn = jev->conn; /* upstream: the client judged */
		push_verdict(a, jev, v, detect_us, enforce_us);
	}
	if (cut) {
		fflush(stdout);
		enforce_cut(a->enf, &c);
	}
	return failed;
}

/* The event as judged. From a trusted proxy: a copy whose client is the one
 * its forwarding header names (a->fev, a->fwd_ok set); else ev itself (the
 * headers of an untrusted peer are never believed). count: the complete
 * exchange (each request is resolved twice: arrived, then complete). */
static const struct sess_event *judged_event(struct app *a, const struct sess_event *ev,
					     int count)
{
	const struct sess_conn *sc = ev->conn;
	struct fwdfor_addr fa;
	enum fwdfor_result r;
	int trusted;
	size_t n;

	a->fwd_ok = 0;
	if (!sc || ev->kind != SESS_KIND_SESSION)
		return ev;
	trusted = fwdfor_set_has(&a->proxies, sc->family, sc->client_addr);
	/* A PROXY protocol header is the balancer's word for the client of
	 * this connection; a client it names that is itself a trusted proxy
	 * leaves the forwarding headers to say who is behind. */
	if (sc->pp_family && !trusted) {
		a->pp_ignored += count;
	} else if (sc->pp_family &&
		   !fwdfor_set_has(&a->proxies, sc->pp_family, sc->pp_addr)) {
		fa.family = sc->pp_family;
		memcpy(fa.addr, sc->pp_addr, sizeof(fa.addr));
		a->pp_resolved += count;
		goto resolved;
	}
	if (!ev->n_hdrs)
		return ev;
	if (!trusted) {
		if (count && (sess_get_hdr(ev, "x-forwarded-for", &n) || sess_get_hdr(ev, "forwarded", &n)))
			a->fwd_ignored++;
		return ev;
	}
	r = fwdfor_resolve(ev, &a->proxies, a->cfg.proxy_forwarded, &fa);
	if (r != FWDFOR_CLIENT) {
		if (count)
			(*(r == FWDFOR_BAD ? &a->fwd_bad : &a->fwd_peer))++;
		return ev;
	}
	a->fwd_resolved += count;
resolved:
	a->fconn = *ev->conn;
	a->fconn.family = fa.family;
	memcpy(a->fconn.client_addr, fa.addr, sizeof(fa.addr));
	a->fconn.forwarded = 1;
	memcpy(&a->fev, ev, sizeof(a->fev));
	a->fev.conn = &a->fconn;
	a->fwd_ok = 1;
	return &a->fev;
}

/* A request from an identity or a forwarded client blocked here: cut its
 * connection as soon as it is decoded. Returns 1 when cut (or when its
 * connection already was), and the request is not judged further. */
static int judge_local(struct app *a, const struct sess_event *ev, const struct sess_event *jev)
{
	uint64_t now = clock_mono_ns();
	char ip[64] = "?";
	struct verdict v;
	struct ident id;
	int by_id;

	if (!a->local || !ev->conn)
		return 0;
	if (ev->conn->cookie == a->local_cookie)
		return 1;
	by_id = ident_extract(jev, &id) && !ident_claimed(id.kind) &&
		localblock_has(a->local, id.hash, now);
	if (!by_id && !(a->fwd_ok &&
			localblock_has(a->local, localblock_addr_key(a->fconn.family, a->fconn.client_addr), now)))
		return 0;
	a->local_cookie = ev->conn->cookie;
	localblock_hit(a->local);
	memset(&v, 0, sizeof(v));
	inet_ntop(jev->conn->family, jev->conn->client_addr, ip, sizeof(ip));
	snprintf(v.rule, sizeof(v.rule), by_id ? "local.identity_block" : "local.forwarded_block");
	v.severity = SEV_HIGH;
	v.wanted = VERDICT_KILL;
	v.action = a->enf ? VERDICT_KILL : VERDICT_ALERT;
	if (by_id) {
		snprintf(v.reason, sizeof(v.reason), "identity %s is blocked on this host", id.key);
		snprintf(v.client_key, sizeof(v.client_key), "%s", id.key);
	} else {
		snprintf(v.reason, sizeof(v.reason), "client %s behind a trusted proxy is blocked on this host", ip);
		snprintf(v.client_key, sizeof(v.client_key), "ip:%s", ip);
	}
	v.client_family = jev->conn->family;
	memcpy(v.client_addr, jev->conn->client_addr, sizeof(v.client_addr));
	v.detect_ns = now;
	v.rule_id = RULE__COUNT; /* not a local rule: no strike, no block */
	if (respond_verdict(a, ev, jev, &v, ev->req_end_ns ? ev->req_end_ns : ev->req_ns) < 0)
		a->local_cookie = 0; /* the next request tries again */
	return 1;
}

/* A request that fully arrived presents an identity the fleet blocked:
 * kill its connection before the server answers. */
static void judge_identity(struct app *a, const struct sess_event *ev,
			   const struct sess_event *jev)
{
	struct verdict v;

	if (a->fleet && blocklist_apply_identity(a->fleet, jev, clock_mono_ns(), &v) &&
	    respond_verdict(a, ev, jev, &v, ev->req_end_ns ? ev->req_end_ns : ev->req_ns) < 0)
		blocklist_apply_identity_retry(a->fleet); /* the next request tries again */
}

static void respond_request(void *ctx, const struct sess_event *ev)
{
	struct app *a = ctx;
	const struct sess_event *jev = judged_event(a, ev, 0);
	struct verdict v[8];
	int n;

	judge_identity(a, ev, jev);
	if (judge_local(a, ev, jev) || !a->judge)
		return;
	n = verdict_judge_request(a->judge, jev, clock_mono_ns(), v, 8);
	for (int i = 0; i < n; i++)
		respond_verdict(a, ev, jev, &v[i], ev->req_end_ns ? ev->req_end_ns : ev->req_ns);
}

void respond_pending(void *ctx, const struct sess_conn *id, uint64_t since)
{
	struct app *a = ctx;
	struct verdict v[2];
	int n = verdict_judge_pending(a->judge, id, since, clock_mono_ns(), v, 2);

	a->fwd_ok = 0; /* no headers yet: judged by the peer */
	for (int i = 0; i < n; i++) {
		sess_event_init(&a->vev, SESS_PROTO_HTTP1, id);
		a->vev.req_ns = since;
		a->vev.flags |= SESS_F_NO_RESP;
		respond_verdict(a, &a->vev, &a->vev, &v[i], since);
	}
}

static void respond_event(void *ctx, const struct sess_event *ev)
{
	struct app *a = ctx;
	const struct sess_event *jev = judged_event(a, ev, 1);

	a->emitted++;
	if ((unsigned)ev->proto < 4)
		a->emitted_proto[ev->proto]++;
	if (a->up) {
		/* the identity (a keyed hash, equal across the fleet with the
		 * fleet identity key) lets the correlator follow one credential
		 * over hosts and addresses; the client is the one judged */
		struct pbconv_extra x = {};
		struct ident id;

		if (ident_extract(jev, &id)) {
			x.identity = id.key;
			x.identity_len = strlen(id.key);
		}
		if (shardup_push_ex(a->up, jev, &x, NULL, (uint64_t)a->jctx.mono_to_unix_ns))
			a->uplink_errors++;
	}
	if (a->cfg.to_stdout)
		print_event(a, ev, NULL, 0, 0);
	if (a->judge) {
		struct verdict v[8];
		int n;

		if (judge_local(a, ev, jev))
			return;
		n = verdict_judge(a->judge, jev, clock_mono_ns(), v, 8);
		/* learned under the template the judge just gave it, before
		 * the verdicts (a kill or block must not hide the endpoint) */
		apis_observe(a->apis, jev, verdict_template(a->judge));
		for (int i = 0; i < n; i++)
			respond_verdict(a, ev, jev, &v[i], ev->end_ns ? ev->end_ns : ev->req_ns);
	}
}

void respond_sink(struct app *a, struct sess_sink *sink)
{
	sink->emit = respond_event;
	sink->request = respond_request;
	sink->ctx = a;
}
