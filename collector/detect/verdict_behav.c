/* verdict_behav.c - the verdict engine's behaviour rules: request rate,
 * failed logins, scanning, BOLA, gRPC probing and response size. */
#include "collector/detect/verdict_int.h"

#include <math.h>
#include <string.h>
#include <strings.h>

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
		verdict_emit(j, id, w->key, "%llu %s in %llus", (unsigned long long)n, what,
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
					verdict_emit(j, RULE_CRED_STUFFING, w->key,
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
			verdict_emit(j, RULE_SCANNING, w->key, "%d distinct paths answered 404 in %llus", d,
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
			verdict_emit(j, RULE_BOLA, w->key, "%d distinct objects of %.60s %.80s in %llus", d,
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
			verdict_emit(j, RULE_EXFIL, key, "%llu response bytes on %.60s %.60s (baseline %.0f, limit %.0f)",
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

void verdict_behav_judge(struct judge *j, const struct sess_event *ev, struct client *ipc)
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
		struct client *idc = verdict_client_get(j, j->id.hash ^ 0x6964656e74000000ull);

			if (idc) {
			/* the IP entry was the most recently used, so the insert
			 * cannot have evicted it unless the table holds one entry */
			if (nw && win_table_peek(j->v->clients, verdict_ip_hash(j->v, j->conn)) != ipc)
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
