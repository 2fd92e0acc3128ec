/* verdict.c - local verdict engine: payload, protocol and entry points;
 * the behaviour rules are in verdict_behav.c. */
#include "collector/detect/verdict_int.h"
#include "collector/detect/payload.h"
#include "collector/detect/reqbody.h"
#include "collector/detect/strikes.h"
#include "common/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

void verdict_emit(struct judge *j, enum rule_id id, const char *client_key,
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
	s = win_table_get(j->v->strikes, verdict_ip_hash(j->v, j->conn), 1, NULL);
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

static int is_cookie(const struct sess_event *ev, const struct sess_hdr *h)
{
	return h->name_len == 6 && !memcmp(ev->hdr_arena + h->name_off, "cookie", 6);
}

/* A Cookie split over several fields (HTTP/2's crumbs, RFC 9113 8.2.3, or
 * repeated HTTP/1.1 lines) reaches the application joined with "; ", the
 * string a CGI hands bash as HTTP_COOKIE: judged joined as well, so a
 * payload cut between crumbs is seen whole. Bounded: the fields are in
 * the header arena. */
static void judge_cookie_joined(struct best *b, struct payload_match *m,
				const struct sess_event *ev, const struct rules *rs)
{
	char buf[SESS_HDR_ARENA + 2 * SESS_MAX_HDRS];
	size_t w = 0;
	uint32_t crumbs = 0, i;
	int scanned = 0;

	/* most requests have one Cookie field or none: nothing to join */
	for (i = 0; i < ev->n_hdrs && crumbs < 2; i++)
		crumbs += (uint32_t)is_cookie(ev, &ev->hdrs[i]);
	if (crumbs < 2)
		return;
	crumbs = 0;
	for (i = 0; i < ev->n_hdrs; i++) {
		const struct sess_hdr *h = &ev->hdrs[i];

		if (!is_cookie(ev, h))
			continue;
		if (w + 2 + h->val_len > sizeof(buf))
			break;
		if (crumbs++) {
			buf[w++] = ';';
			buf[w++] = ' ';
		}
		memcpy(buf + w, ev->hdr_arena + h->val_off, h->val_len);
		w += h->val_len;
	}
	for (uint32_t k = 0; k < rs->n_scan_hdr; k++)
		scanned |= !strcmp(rs->scan_hdr[k], "cookie");
	if (scanned)
		merge(b, m, payload_scan_cookie(buf, w, m, PAYLOAD__COUNT), "cookie");
	merge(b, m, payload_scan_any_header(buf, w, m, PAYLOAD__COUNT), "cookie");
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
		if (ev->query[0] && uri)
			reqbody_scan_query(ev, &sink);
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
			/* every header, the scanned ones too, for what hurts in any
			 * header as a whole (Shellshock, log4j): CGI gives bash the
			 * whole Cookie header, which the cookie split cuts at ';' */
			merge(&b, m, payload_scan_any_header(val, h->val_len, m, PAYLOAD__COUNT),
			      k == rs->n_scan_hdr ? "header" : rs->scan_hdr[k]);
		}
		judge_cookie_joined(&b, m, ev, rs);
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
		verdict_emit(j, id, j->id.kind ? j->id.key : j->ip_key, "%s in %s (score %d): %s",
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

struct client *verdict_client_get(struct judge *j, uint64_t key)
{
	struct client *c = win_table_get(j->v->clients, key, 1, NULL);

	if (c)
		c->st = &j->v->st;
	return c;
}

uint64_t verdict_ip_hash(const struct verdict_engine *v, const struct sess_conn *c)
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
		verdict_emit(j, (enum rule_id)id, j->ip_key, "%s: %llu decoder anomalies (%s%s) in %llus%s%s",
			     rule_names[id], (unsigned long long)total, r->anom[0],
			     r->n_anom > 1 ? ", ..." : "",
			     (unsigned long long)(r->window_ns / 1000000000ull),
			     body ? "; " : "", body ? j->body_why : "");
	}
}

/* --- behaviour -------------------------------------------------------------- */
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
		ipc = verdict_client_get(&j, verdict_ip_hash(v, ev->conn));

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
	verdict_behav_judge(&j, ev, ipc);
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
	verdict_emit(&j, RULE_SLOWLORIS, j.ip_key, "request head unfinished after %llus",
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
	st->strikes = win_table_count(v->strikes);
	st->strike_evictions = win_table_evictions(v->strikes);
}
