/* reqbody_judge.h - for unit tests of request bodies: a POST event on a
 * fresh connection each time (rb_post: its Content-Type and, when not
 * NULL, its Content-Encoding), its body (rb_body), judged by the verdict
 * engine with the default rules in enforce mode (rb_judge: the number of
 * verdicts in rb_out), and a verdict by rule (rb_find). Include after
 * cmocka.h. */
#ifndef SW_REQBODY_JUDGE_H
#define SW_REQBODY_JUDGE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "collector/decode/sess.h"
#include "collector/detect/reqbody.h"
#include "collector/detect/rules.h"
#include "collector/detect/verdict.h"

#define RB_SEC 1000000000ull
#define RB_MAXV 16

static struct sess_event ev;
static struct sess_conn conn;
static struct verdict rb_out[RB_MAXV];
static uint64_t rb_cookie = 100;

static void rb_post(const char *ctype, const char *coding)
{
	memset(&conn, 0, sizeof(conn));
	conn.family = AF_INET;
	inet_pton(AF_INET, "10.213.9.9", conn.client_addr);
	conn.cookie = rb_cookie++;
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	snprintf(ev.method, sizeof(ev.method), "POST");
	snprintf(ev.path, sizeof(ev.path), "/api/search");
	if (ctype)
		sess_add_hdr(&ev, "content-type", 12, ctype, strlen(ctype));
	if (coding) {
		sess_add_hdr(&ev, "content-encoding", 16, coding, strlen(coding));
		sess_req_hdr(&ev, "content-encoding", 16, coding, strlen(coding));
	}
}

static void rb_body(const void *p, size_t n)
{
	sess_add_body(&ev, p, n);
	ev.req_body_bytes = n;
}

static int rb_judge(void)
{
	struct rules *r;
	struct verdict_engine *v;
	int n;

	rules_default(&r);
	r->enforce = 1;
	v = verdict_new(r);
	assert_non_null(v);
	n = verdict_judge_request(v, &ev, 10 * RB_SEC, rb_out, RB_MAXV);
	verdict_free(v);
	rules_free(r);
	return n;
}

static const struct verdict *rb_find(int n, const char *rule)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(rb_out[i].rule, rule))
			return &rb_out[i];
	return NULL;
}

#endif
