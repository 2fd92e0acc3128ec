/* verdict.c - local verdict engine: payload, protocol and behaviour rules. */
#include "collector/detect/verdict.h"
#include "collector/detect/payload.h"
#include "collector/detect/ident.h"
#include "collector/detect/reqbody.h"
#include "collector/detect/strikes.h"
#include "collector/detect/tmpl.h"
#include "collector/detect/window.h"
#include "common/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define BOLA_SLOTS 4      /* endpoint templates watched per client at once */
#define N_PROTO (RULE_PROTO_LAST - RULE_PROTO_FIRST + 1)

/* windowed anomaly sums of the protocol rules; allocated on first use
 * because almost no client ever has one */
struct proto_counts {
	struct win_count c[N_PROTO];
};

struct bola_slot {
	uint64_t tmpl;
	uint64_t last;
	struct win_set ids;
};

struct client {
	struct win_count rate;
	struct win_count auth_fail;
	struct win_count grpc_unimpl;
	struct win_count grpc_refl;
	struct win_set users;     /* user names tried in failed logins */
	struct win_set notfound;  /* paths answered 404 */
	struct bola_slot bola[BOLA_SLOTS];
	struct proto_counts *proto;
	uint64_t fired[RULE__COUNT]; /* last verdict time per rule, for cooldowns */
	struct verdict_stats *st;    /* the engine's, so an eviction can give back set_bytes */
};

struct baseline {
	uint64_t n;
	double mean, var;
	uint64_t fired;
};

struct verdict_engine {
	const struct rules *rs;
	struct win_table *clients;
	struct win_table *baselines;
	struct win_table *marks;
	/* struct strikes by client address (ip_hash), made only by payload
	 * verdicts: apart from clients, which identities a client makes up
	 * (an API key per request) can fill, evicting a real attacker's
	 * strikes with everything else */
	struct win_table *strikes;
	struct tmpl *tmpl;
	struct verdict_stats st;
	/* the last client address and its "ip:..." key: every request is
	 * judged twice (request, then session) and clients send many */
	int last_ok;
	uint8_t last_family;
	uint8_t last_addr[16];
	char last_key[80];
	/* the template of the event verdict_judge judged last (verdict_template) */
	struct tmpl_result last_tmpl;
	int last_tmpl_ok;
};

static void client_fini(void *p)
{
	struct client *c = p;

	if (c->st) {
		size_t b = win_set_bytes(&c->users) + win_set_bytes(&c->notfound);

		for (int i = 0; i < BOLA_SLOTS; i++)
			b += win_set_bytes(&c->bola[i].ids);
		c->st->set_bytes -= b;
	}
	win_set_clear(&c->users);
	win_set_clear(&c->notfound);
	for (int i = 0; i < BOLA_SLOTS; i++)
		win_set_clear(&c->bola[i].ids);
	free(c->proto);
}

struct verdict_engine *verdict_new(const struct rules *r)
{
	struct verdict_engine *v = calloc(1, sizeof(*v));
	struct tmpl_config tc;

	if (!v)
		return NULL;
	v->rs = r;
	tmpl_config_default(&tc);
	tc.max_nodes = r->max_templates;
	tc.learn_distinct = r->learn_distinct;
	v->clients = win_table_new(r->max_clients, sizeof(struct client), client_fini);
	v->baselines = win_table_new(r->max_templates, sizeof(struct baseline), NULL);
	v->marks = win_table_new(r->max_conn_marks, 1, NULL);
	v->strikes = win_table_new(r->max_clients, sizeof(struct strikes), NULL);
	v->tmpl = tmpl_new(&tc);
	if (!v->clients || !v->baselines || !v->marks || !v->strikes || !v->tmpl) {
		verdict_free(v);
		return NULL;
	}
	return v;
}

void verdict_free(struct verdict_engine *v)
{
	if (!v)
		return;
	win_table_free(v->clients);
	win_table_free(v->baselines);
	win_table_free(v->marks);
	win_table_free(v->strikes);
	tmpl_free(v->tmpl);
	free(v);
}

/* --- output ----------------------------------------------------------------- */

/* Everything one judgement needs to write verdicts. */
struct judge {
	struct verdict_engine *v;
	const struct sess_conn *conn;
	uint64_t now;
	struct verdict *out;
	int max, n;
	char ip_key[80];
	struct ident id;          /* identity of the event, kind NONE if none */
	int allowed;
	/* what the body reader could not judge (reqbody.h): one anomaly
	 * more for the protocol rules, with its sentence */
	const char *body_anom;
	char body_why[112];
};

/* "ip:" and the dotted quad, as inet_ntop writes it */
static void key_of_v4(char *out, const uint8_t a[4])
{
	char *p = out;

	memcpy(p, "ip:", 3);
	p += 3;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		if (i < 3)
			*p++ = '.';
	}
	*p = '\0';
}

/* The client's address as the rules count it: an IPv6 address with its
 * bits past the rules' ipv6_prefix cleared (0 bits kept: unchanged). */
static void client_net(const struct sess_conn *c, uint8_t plen, uint8_t out[16])
{
	memcpy(out, c->client_addr, 16);
	if (c->family == AF_INET6 && plen < 128)
		cidr_clear_host_bits(out, plen);
}

/* "ip:" and the address, or for an IPv6 client counted by its prefix
 * "ip:NET/LEN" */
static void key_of_addr(char *out, size_t cap, const struct sess_conn *c, uint8_t plen)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	uint8_t net[16];

	if (!c) {
		snprintf(out, cap, "ip:?");
		return;
	}
	if (c->family != AF_INET6 && cap >= sizeof("ip:255.255.255.255")) {
		key_of_v4(out, c->client_addr);
		return;
	}
	client_net(c, plen, net);
	inet_ntop(c->family == AF_INET6 ? AF_INET6 : AF_INET, net, ip, sizeof(ip));
	if (c->family == AF_INET6 && plen < 128)
		snprintf(out, cap, "ip:%s/%u", ip, plen);
	else
		snprintf(out, cap, "ip:%s", ip);
}

static void emit(struct judge *j, enum rule_id id, const char *client_key,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void emit(struct judge *j, enum rule_id id, const char *client_key,
		 const char *fmt, ...)
{
	const struct rule *r = &j->v->rs->r[id];
	struct verdict *o;
	va_list ap;

	if (j->n >= j->max) {
		j->v->st.dropped++;
		return;
	}
	o = &j->out[j->n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->rule, sizeof(o->rule), "%s", rule_names[id]);
	o->rule_id = id;
	o->severity = r->severity;
	o->wanted = r->action;
	o->action = r->action;
	o->allowed = (uint8_t)j->allowed;
	if (o->action != VERDICT_ALERT && !j->v->rs->enforce) {
		o->action = VERDICT_ALERT;
		j->v->st.downgraded_monitor++;
	} else if (o->action != VERDICT_ALERT && j->allowed) {
		o->action = VERDICT_ALERT;
		j->v->st.downgraded_allow++;
	}
	o->block_ttl_ns = r->action == VERDICT_BLOCK ? r->block_ttl_ns : 0;
	va_start(ap, fmt);
	vsnprintf(o->reason, sizeof(o->reason), fmt, ap);
	va_end(ap);
	snprintf(o->client_key, sizeof(o->client_key), "%s", client_key);
	if (j->conn) {
		o->client_family = j->conn->family;
		memcpy(o->client_addr, j->conn->client_addr, sizeof(o->client_addr));
		if (j->conn->family == AF_INET6 && j->v->rs->ipv6_prefix < 128)
			o->client_prefix = j->v->rs->ipv6_prefix;
	}
	o->detect_ns = j->now;
	j->v->st.verdicts++;
	j->v->st.by_rule[id]++;
}

/* Once per (connection, rule): 1 the first time, 0 after. */
static int first_on_conn(struct judge *j, enum rule_id id)
{
	uint64_t k[2];
	int created = 0;

	if (!j->conn)
		return 1;
	k[0] = j->conn->cookie;
	k[1] = (uint64_t)id + 1;
	if (!win_table_get(j->v->marks, ident_hash(k, sizeof(k)), 1, &created))
		return 1; /* out of memory: judging again beats missing one */
	if (!created)
		j->v->st.conn_repeat++;
	return created;
}

/* Behaviour rules: one verdict per client and rule per cooldown. */
static int cooled(struct judge *j, struct client *c, enum rule_id id)
{
	uint64_t cd = j->v->rs->r[id].cooldown_ns;

	if (c->fired[id] && j->now >= c->fired[id] && j->now - c->fired[id] < cd) {
		j->v->st.cooldown++;
		return 0;
	}
	c->fired[id] = j->now ? j->now : 1;
	return 1;
}

/* --- payload ---------------------------------------------------------------- */

struct best {
	int score[PAYLOAD__COUNT];
	const char *where[PAYLOAD__COUNT];
	char why[PAYLOAD__COUNT][96];
	struct judge *j;
};

static void merge(struct best *b, const struct payload_match *m, int n, const char *where)
{
	for (int i = 0; i < n; i++) {
		int k = m[i].kind;

		if (k <= PAYLOAD_NONE || k >= PAYLOAD__COUNT || m[i].score <= b->score[k])
			continue;
		b->score[k] = m[i].score;
		b->where[k] = where;
		snprintf(b->why[k], sizeof(b->why[k]), "%s", m[i].why);
	}
}


static void merge_sink(void *ctx, const struct payload_match *m, int n,
		       const char *where)
{
	merge(ctx, m, n, where);
}

static void unjudged_sink(void *ctx, const char *anom, const char *why)
{
	struct judge *j = ((struct best *)ctx)->j;

	j->body_anom = anom;
	snprintf(j->body_why, sizeof(j->body_why), "%s", why);
}

/* The payload verdicts out[from..n) of one request: a strike against the
 * client (one per request, however many times its head and windows are
 * judged, see strikes.h); a rule's escalate_after-th strike within its
 * escalate_window turns its kill into a block for its escalate_ttl. */
static uint64_t ip_hash(const struct verdict_engine *v, const struct sess_conn *c);

static void escalate(struct judge *j, const struct sess_event *ev, int from)
{
	struct strikes *s;

	/* A client named by a trusted proxy is not escalated here: the kernel
	 * sees only the proxy, its repeated kills become a block by its
	 * forwarded address in localblock (3 kills in 10 min), and a
	 * collector watching the proxy's host too judges each request twice,
	 * once per hop, which would count every request as two strikes. */
	if (!j->conn || from >= j->n || j->conn->forwarded)
		return;
	s = win_table_get(j->v->strikes, ip_hash(j->v, j->conn), 1, NULL);
	if (!s)
		return; /* out of memory: a kill stays a kill */
	strikes_add(s, ev, j->now);
	for (int i = from; i < j->n; i++) {
		struct verdict *o = &j->out[i];
		const struct rule *r = &j->v->rs->r[o->rule_id];
		uint32_t in;
		size_t l;

		if (!r->escalate_after || o->wanted != VERDICT_KILL)
			continue;
		in = strikes_within(s, r->escalate_window_ns, j->now);
		if (in < r->escalate_after)
			continue;
		o->wanted = VERDICT_BLOCK;
		o->block_ttl_ns = r->escalate_ttl_ns;
		if (o->action == VERDICT_KILL)
			o->action = VERDICT_BLOCK; /* monitor mode and allow list keep ALERT */
		l = strlen(o->reason);
		snprintf(o->reason + l, sizeof(o->reason) - l, "; %u payload verdicts in %llus: block %llus",
			 in, (unsigned long long)(r->escalate_window_ns / 1000000000ull),
			 (unsigned long long)(r->escalate_ttl_ns / 1000000000ull));
		j->v->st.payload_escalated++;
	}
}

static void judge_payload(struct judge *j, const struct sess_event *ev)
{
	const struct rules *rs = j->v->rs;
	struct payload_match m[PAYLOAD__COUNT];
	struct best b;
	struct reqbody_sink sink = { merge_sink, &b, unjudged_sink };
	int any = 0, from;

	_Static_assert(RULE_PAYLOAD_LAST - RULE_PAYLOAD_FIRST + 1 == PAYLOAD__COUNT - 1,
		       "one payload rule per detector kind, in payload_kind order");
	for (int i = RULE_PAYLOAD_FIRST; i <= RULE_PAYLOAD_LAST; i++)
		any |= rs->r[i].enabled;
	if (!any)
		return;
	memset(&b, 0, sizeof(b));
	b.j = j;
	if (ev->proto != SESS_PROTO_WEBSOCKET || ev->ws_phase == SESS_WS_OPEN) {
		/* a window carries the request's path and query for reference:
		 * they are judged with the request itself; a URI window's are
		 * the bytes past the event's bounds (the query of a request
		 * padded past SESS_MAX_QUERY) and judged here */
		int uri = !(ev->flags & SESS_F_WINDOW) || (ev->flags & SESS_F_WIN_URI);

		if (ev->path[0] && uri)
			merge(&b, m, payload_scan(ev->path, strlen(ev->path), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT), "path");
		if (ev->query[0] && uri)
			merge(&b, m, payload_scan_query(ev->query, strlen(ev->query), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), "query");
		for (uint32_t i = 0; i < ev->n_hdrs; i++) {
			const struct sess_hdr *h = &ev->hdrs[i];
			const char *name = ev->hdr_arena + h->name_off;
			const char *val = ev->hdr_arena + h->val_off;
			uint32_t k;

			for (k = 0; k < rs->n_scan_hdr; k++) {
				if (strlen(rs->scan_hdr[k]) != h->name_len ||
				    memcmp(rs->scan_hdr[k], name, h->name_len))
					continue;
				if (h->name_len == 6 && !memcmp(name, "cookie", 6))
					merge(&b, m, payload_scan_cookie(val, h->val_len, m, PAYLOAD__COUNT), "cookie");
				else
					merge(&b, m, payload_scan(val, h->val_len, PAYLOAD_WHERE_HEADER, m, PAYLOAD__COUNT), rs->scan_hdr[k]);
				break;
			}
			/* the others: what hurts in any header (Shellshock, log4j) */
			if (k == rs->n_scan_hdr)
				merge(&b, m, payload_scan_any_header(val, h->val_len, m, PAYLOAD__COUNT), "header");
		}
	}
	reqbody_scan(ev, &sink);
	from = j->n;
	for (int k = PAYLOAD_NONE + 1; k < PAYLOAD__COUNT; k++) {
		enum rule_id id = (enum rule_id)(RULE_PAYLOAD_FIRST + k - 1);
		const struct rule *r = &rs->r[id];

		if (!r->enabled || b.score[k] < (int)r->threshold)
			continue;
		/* WebSocket summaries repeat the last message prefix */
		if (ev->proto == SESS_PROTO_WEBSOCKET && !first_on_conn(j, id))
			continue;
		emit(j, id, j->id.kind ? j->id.key : j->ip_key, "%s in %s (score %d): %s",
		     rule_names[id], b.where[k], b.score[k], b.why[k]);
	}
	escalate(j, ev, from);
}

/* --- protocol --------------------------------------------------------------- */

static int rule_lists(const struct rule *r, const char *anom)
{
	for (uint32_t k = 0; anom && k < r->n_anom; k++)
		if (!strcmp(anom, r->anom[k]))
			return 1;
	return 0;
}

static uint64_t anom_sum(const struct sess_event *ev, const struct rule *r)
{
	uint64_t s = 0;

	for (uint32_t i = 0; i < ev->n_anom; i++)
		for (uint32_t k = 0; k < r->n_anom; k++)
			if (ev->anom[i].name && !strcmp(ev->anom[i].name, r->anom[k]))
				s += ev->anom[i].count;
	return s;
}

static struct client *client_get(struct judge *j, uint64_t key)
{
	struct client *c = win_table_get(j->v->clients, key, 1, NULL);

	if (c)
		c->st = &j->v->st;
	return c;
}

static uint64_t ip_hash(const struct verdict_engine *v, const struct sess_conn *c)
{
	uint8_t k[18];

	k[0] = 'i';
	k[1] = c->family;
	client_net(c, v->rs->ipv6_prefix, k + 2);
	return ident_hash(k, sizeof(k));
}

static void judge_protocol(struct judge *j, const struct sess_event *ev, struct client *ipc)
{
	const struct rules *rs = j->v->rs;

	if (!ev->n_anom && !j->body_anom)
		return;
	for (int id = RULE_PROTO_FIRST; id <= RULE_PROTO_LAST; id++) {
		const struct rule *r = &rs->r[id];
		int body = rule_lists(r, j->body_anom);
		uint64_t s, total;

		if (!r->enabled || !(s = anom_sum(ev, r) + (uint64_t)body))
			continue;
		if (ev->proto == SESS_PROTO_WEBSOCKET || !ipc) {
			/* WebSocket events carry cumulative counts */
			total = s;
		} else {
			struct win_count *w;

			if (!ipc->proto && !(ipc->proto = calloc(1, sizeof(*ipc->proto))))
				continue;
			w = &ipc->proto->c[id - RULE_PROTO_FIRST];
			win_count_add(w, r->window_ns, rs->buckets, j->now,
				      s > UINT32_MAX ? UINT32_MAX : (uint32_t)s);
			total = win_count_sum(w, r->window_ns, rs->buckets, j->now);
		}
		if (total < r->threshold || !first_on_conn(j, (enum rule_id)id))
			continue;
		emit(j, (enum rule_id)id, j->ip_key, "%s: %llu decoder anomalies (%s%s) in %llus%s%s",
		     rule_names[id], (unsigned long long)total, r->anom[0],
		     r->n_anom > 1 ? ", ..." : "",
		     (unsigned long long)(r->window_ns / 1000000000ull),
		     body ? "; " : "", body ? j->body_why : "");
	}
}

/* --- behaviour -------------------------------------------------------------- */

/* A path segment equal to a login word, or the word followed by a
 * non-letter ("oauth2", "login.php"); "authors" is not "auth". */
static int is_login_path(const struct rules *rs, const char *path)
{
	const char *p = path;

	while (*p) {
		const char *s, *e;

		while (*p == '/')
			p++;
		s = p;
		for (e = s; *e && *e != '/'; e++)
			;
		for (uint32_t k = 0; k < rs->n_login; k++) {
			size_t wl = strlen(rs->login[k]);
			char nx;

			if ((size_t)(e - s) < wl || strncasecmp(s, rs->login[k], wl))
				continue;
			nx = s[wl];
			if (s + wl == e || !((nx >= 'a' && nx <= 'z') || (nx >= 'A' && nx <= 'Z')))
				return 1;
		}
		p = e;
	}
	return 0;
}

static int set_add(struct judge *j, struct win_set *s, uint64_t h, uint64_t window, uint32_t thr)
{
	size_t before = win_set_bytes(s);
	/* cap above the threshold: the comparison stays exact */
	int n = win_set_add(s, h, j->now, window, thr + 8);

	if (n < 0) {
		j->v->st.set_alloc_failures++;
		return 0;
	}
	j->v->st.set_bytes += win_set_bytes(s) - before;
	return n;
}

struct who {
	struct client *c;
	const char *key;
};

/* One more for rule id in window wc; past the threshold (and judge set),
 * "N what in Ws" once per event and per cooldown. */
static void count_and_judge(struct judge *j, struct who *w, enum rule_id id,
			    struct win_count *wc, const char *what, int judge,
			    int *done)
{
	const struct rules *rs = j->v->rs;
	const struct rule *r = &rs->r[id];
	uint64_t n;

	win_count_add(wc, r->window_ns, rs->buckets, j->now, 1);
	n = win_count_sum(wc, r->window_ns, rs->buckets, j->now);
	if (judge && n >= r->threshold && !done[id] && cooled(j, w->c, id)) {
		emit(j, id, w->key, "%llu %s in %llus", (unsigned long long)n, what,
		     (unsigned long long)(r->window_ns / 1000000000ull));
		done[id] = 1;
	}
}

static void judge_client(struct judge *j, const struct sess_event *ev, struct who *w,
			 const struct tmpl_result *t, int *done)
{
	const struct rules *rs = j->v->rs;
	const struct rule *r;
	struct client *c = w->c;
	uint64_t now = j->now;
	int is_req = ev->proto != SESS_PROTO_WEBSOCKET || ev->ws_phase == SESS_WS_OPEN;

	if (rs->r[RULE_RATE].enabled && is_req)
		count_and_judge(j, w, RULE_RATE, &c->rate, "requests", 1, done);
	if (!is_req)
		return;

	if (rs->r[RULE_BRUTE_FORCE].enabled || rs->r[RULE_CRED_STUFFING].enabled) {
		int failed = ev->status == 401 || ev->status == 403 ||
			     ev->grpc_status == 16 || ev->grpc_status == 7;

		if (failed && is_login_path(rs, ev->path)) {
			uint64_t user;

			/* counted for either rule, judged only when enabled */
			count_and_judge(j, w, RULE_BRUTE_FORCE, &c->auth_fail,
					"failed logins",
					rs->r[RULE_BRUTE_FORCE].enabled, done);
			r = &rs->r[RULE_CRED_STUFFING];
			user = ident_login_user(ev);
			if (r->enabled && user) {
				int d = set_add(j, &c->users, user, r->window_ns, r->threshold);

				if (d >= (int)r->threshold && !done[RULE_CRED_STUFFING] &&
				    cooled(j, c, RULE_CRED_STUFFING)) {
					emit(j, RULE_CRED_STUFFING, w->key,
					     "failed logins for %d distinct user names in %llus", d,
					     (unsigned long long)(r->window_ns / 1000000000ull));
					done[RULE_CRED_STUFFING] = 1;
				}
			}
		}
	}

	r = &rs->r[RULE_SCANNING];
	if (r->enabled && ev->status == 404 && ev->path[0]) {
		int d = set_add(j, &c->notfound, ident_hash(ev->path, strlen(ev->path)),
				r->window_ns, r->threshold);

		if (d >= (int)r->threshold && !done[RULE_SCANNING] && cooled(j, c, RULE_SCANNING)) {
			emit(j, RULE_SCANNING, w->key, "%d distinct paths answered 404 in %llus", d,
			     (unsigned long long)(r->window_ns / 1000000000ull));
			done[RULE_SCANNING] = 1;
		}
	}

	r = &rs->r[RULE_BOLA];
	if (r->enabled && t && t->ids) {
		struct bola_slot *s = NULL, *old = &c->bola[0];
		int d;

		for (int i = 0; i < BOLA_SLOTS; i++) {
			if (c->bola[i].tmpl == t->key) {
				s = &c->bola[i];
				break;
			}
			if (c->bola[i].last < old->last)
				old = &c->bola[i];
		}
		if (!s) {
			/* the slot least recently used gives way */
			s = old;
			j->v->st.set_bytes -= win_set_bytes(&s->ids);
			win_set_clear(&s->ids);
			s->tmpl = t->key;
		}
		s->last = now;
		d = set_add(j, &s->ids, t->ids, r->window_ns, r->threshold);
		if (d >= (int)r->threshold && !done[RULE_BOLA] && cooled(j, c, RULE_BOLA)) {
			emit(j, RULE_BOLA, w->key, "%d distinct objects of %.60s %.80s in %llus", d,
			     ev->method, t->text, (unsigned long long)(r->window_ns / 1000000000ull));
			done[RULE_BOLA] = 1;
		}
	}

	if (ev->proto == SESS_PROTO_GRPC) {
		if (rs->r[RULE_GRPC_UNIMPL].enabled && ev->grpc_status == 12)
			count_and_judge(j, w, RULE_GRPC_UNIMPL, &c->grpc_unimpl,
					"Unimplemented answers", 1, done);
		if (rs->r[RULE_GRPC_REFLECTION].enabled &&
		    !strncmp(ev->service, "grpc.reflection.", 16))
			count_and_judge(j, w, RULE_GRPC_REFLECTION, &c->grpc_refl,
					"server reflection calls", 1, done);
	}
}

/* Response size against the template's baseline: an exponentially
 * weighted mean and variance (weight 1/n while warming up, so the first
 * samples give the plain mean, then at least 2%). Outliers are judged
 * before they are learned, and not learned when they fire. */
static void judge_exfil(struct judge *j, const struct sess_event *ev,
			const struct tmpl_result *t, struct client *c, const char *key)
{
	const struct rule *r = &j->v->rs->r[RULE_EXFIL];
	struct baseline *b;
	double x, alpha, diff, incr, limit;

	if (!r->enabled || ev->status < 200 || ev->status > 299 || ev->proto == SESS_PROTO_WEBSOCKET)
		return;
	b = win_table_get(j->v->baselines, t->key, 1, NULL);
	if (!b)
		return;
	x = (double)ev->resp_bytes;
	if (b->n >= r->warmup) {
		limit = b->mean + r->k * sqrt(b->var > 0 ? b->var : 0);
		if (ev->resp_bytes >= r->min_bytes && x > limit) {
			if (c && !cooled(j, c, RULE_EXFIL))
				return;
			emit(j, RULE_EXFIL, key, "%llu response bytes on %.60s %.60s (baseline %.0f, limit %.0f)",
			     (unsigned long long)ev->resp_bytes, ev->method, t->text, b->mean, limit);
			return;
		}
	}
	b->n++;
	alpha = 1.0 / (double)b->n;
	if (alpha < 0.02)
		alpha = 0.02;
	diff = x - b->mean;
	incr = alpha * diff;
	b->mean += incr;
	b->var = (1.0 - alpha) * (b->var + diff * incr);
}

static void judge_behaviour(struct judge *j, const struct sess_event *ev, struct client *ipc)
{
	struct tmpl_result t, *tp = NULL;
	struct who w[2];
	int nw = 0, done[RULE__COUNT] = { 0 };

	if ((ev->method[0] || ev->proto == SESS_PROTO_GRPC) && ev->path[0]) {
		int learn = ev->status >= 200 && ev->status < 400 &&
			    (ev->proto != SESS_PROTO_GRPC || ev->grpc_status <= 0);

		if (tmpl_observe(j->v->tmpl, ev->authority, ev->method, ev->path, learn, &t) == 0 ||
		    t.key) {
			tp = &t;
			j->v->last_tmpl = t;
			j->v->last_tmpl_ok = 1;
		}
	}
	if (ipc) {
		w[nw].c = ipc;
		w[nw++].key = j->ip_key;
	}
	if (j->id.kind) {
		struct client *idc = client_get(j, j->id.hash ^ 0x6964656e74000000ull);

			if (idc) {
			/* the IP entry was the most recently used, so the insert
			 * cannot have evicted it unless the table holds one entry */
			if (nw && win_table_peek(j->v->clients, ip_hash(j->v, j->conn)) != ipc)
				nw = 0;
			w[nw].c = idc;
			w[nw++].key = j->id.key;
		}
	}
	/* the identity is judged first: it names the actor better than an
	 * address several clients may share */
	for (int i = nw - 1; i >= 0; i--)
		judge_client(j, ev, &w[i], tp, done);
	if (tp)
		judge_exfil(j, ev, tp, nw ? w[nw - 1].c : NULL, nw ? w[nw - 1].key : j->ip_key);
}

/* --- entry points ----------------------------------------------------------- */

static int is_allowed(const struct rules *rs, const struct sess_conn *c, const struct ident *id)
{
	if (c && rules_allowed_addr(rs, c->family, c->client_addr))
		return 1;
	return id && id->kind && rules_allowed_id(rs, id->key);
}

static int judge_phase(struct verdict_engine *v, const struct sess_event *ev, uint64_t now_ns,
		       struct verdict *out, int max, int request_only)
{
	struct judge j;
	struct client *ipc = NULL;

	if (!v || !ev || (!out && max > 0) || ev->kind != SESS_KIND_SESSION)
		return 0;
	memset(&j, 0, sizeof(j));
	j.v = v;
	j.conn = ev->conn;
	j.now = now_ns;
	j.out = out;
	j.max = max < 0 ? 0 : max;
	v->st.events++;
	if (!ev->conn) {
		key_of_addr(j.ip_key, sizeof(j.ip_key), NULL, 128);
	} else {
		if (!v->last_ok || v->last_family != ev->conn->family ||
		    memcmp(v->last_addr, ev->conn->client_addr, sizeof(v->last_addr))) {
			key_of_addr(v->last_key, sizeof(v->last_key), ev->conn, v->rs->ipv6_prefix);
			v->last_family = ev->conn->family;
			memcpy(v->last_addr, ev->conn->client_addr, sizeof(v->last_addr));
			v->last_ok = 1;
		}
		memcpy(j.ip_key, v->last_key, sizeof(j.ip_key));
	}
	ident_extract(ev, &j.id);
	j.allowed = is_allowed(v->rs, ev->conn, &j.id);
	if (ev->conn)
		ipc = client_get(&j, ip_hash(v, ev->conn));

	if (request_only) {
		/* The request alone: payload and the protocol anomalies seen
		 * so far. Behaviour waits for the response (status, size). */
		v->st.events--;
		judge_payload(&j, ev);
		judge_protocol(&j, ev, ipc);
		return j.n;
	}
	if (!(ev->flags & SESS_F_REQ_SEEN))
		judge_payload(&j, ev);
	judge_protocol(&j, ev, ipc);
	judge_behaviour(&j, ev, ipc);
	return j.n;
}

int verdict_judge(struct verdict_engine *v, const struct sess_event *ev, uint64_t now_ns,
		  struct verdict *out, int max)
{
	if (v)
		v->last_tmpl_ok = 0;
	return judge_phase(v, ev, now_ns, out, max, 0);
}

int verdict_judge_request(struct verdict_engine *v, const struct sess_event *ev,
			  uint64_t now_ns, struct verdict *out, int max)
{
	return judge_phase(v, ev, now_ns, out, max, 1);
}

int verdict_judge_pending(struct verdict_engine *v, const struct sess_conn *conn,
			  uint64_t pending_since_ns, uint64_t now_ns, struct verdict *out, int max)
{
	const struct rule *r;
	struct judge j;

	if (!v || !conn || !out || max <= 0)
		return 0;
	r = &v->rs->r[RULE_SLOWLORIS];
	v->st.pending++;
	if (!r->enabled || !pending_since_ns || now_ns < pending_since_ns ||
	    now_ns - pending_since_ns < r->window_ns)
		return 0;
	memset(&j, 0, sizeof(j));
	j.v = v;
	j.conn = conn;
	j.now = now_ns;
	j.out = out;
	j.max = max;
	key_of_addr(j.ip_key, sizeof(j.ip_key), conn, v->rs->ipv6_prefix);
	j.allowed = is_allowed(v->rs, conn, NULL);
	if (!first_on_conn(&j, RULE_SLOWLORIS))
		return 0;
	emit(&j, RULE_SLOWLORIS, j.ip_key, "request head unfinished after %llus",
	     (unsigned long long)((now_ns - pending_since_ns) / 1000000000ull));
	return j.n;
}

const char *verdict_template(const struct verdict_engine *v)
{
	return v && v->last_tmpl_ok ? v->last_tmpl.text : NULL;
}

void verdict_get_stats(const struct verdict_engine *v, struct verdict_stats *st)
{
	*st = v->st;
	st->clients = win_table_count(v->clients);
	st->client_evictions = win_table_evictions(v->clients);
	st->tmpl_nodes = tmpl_nodes(v->tmpl);
	st->tmpl_evictions = tmpl_evictions(v->tmpl);
	st->baselines = win_table_count(v->baselines);
	st->baseline_evictions = win_table_evictions(v->baselines);
	st->conn_marks = win_table_count(v->marks);
	st->conn_mark_evictions = win_table_evictions(v->marks);
}
