/* test_ws_judge.c - every client WebSocket text message goes to the sink's
 * request callback as it completes (ws.h), long ones in overlapping
 * windows, within the per-message and per-second budgets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/decode/sess.h"
#include "collector/decode/ws.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (5 * SEC)

/* what the request callback saw: each message event's body, whole */
struct judged {
	int n, emitted, emitted_with_body;
	size_t bytes;
	uint64_t req_ns[64], req_end_ns[64];
	uint32_t len[64];
	char body[64][SESS_MAX_BODY + 1];
	uint32_t unjudged; /* ws.message_unjudged in the last event that had it */
};

static void on_request(void *ctx, const struct sess_event *e)
{
	struct judged *j = ctx;
	uint32_t i;

	assert_int_equal(e->proto, SESS_PROTO_WEBSOCKET);
	assert_int_equal(e->ws_phase, SESS_WS_PERIODIC);
	for (i = 0; i < e->n_anom; i++)
		if (!strcmp(e->anom[i].name, "ws.message_unjudged"))
			j->unjudged = e->anom[i].count;
	j->bytes += e->body_len;
	if (j->n < 64) {
		j->req_ns[j->n] = e->req_ns;
		j->req_end_ns[j->n] = e->req_end_ns;
		j->len[j->n] = e->body_len;
		memcpy(j->body[j->n], e->body, e->body_len);
		j->body[j->n][e->body_len] = '\0';
	}
	j->n++;
}

static void on_emit(void *ctx, const struct sess_event *e)
{
	struct judged *j = ctx;

	j->emitted++;
	j->emitted_with_body += e->body_len > 0;
}

static const struct sess_conn conn = { .cookie = 7, .family = 2 };
static const uint8_t mask[4] = { 0x11, 0x82, 0x3c, 0xe5 };

/* One masked client frame (b0: FIN and opcode) at *off in buf. */
static void frame(uint8_t *buf, size_t *off, uint8_t b0, const char *p, size_t n)
{
	uint8_t *o = buf + *off;
	size_t h = 0, i;

	o[h++] = b0;
	if (n > 0xFFFF) {
		o[h++] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			o[h++] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	} else if (n > 125) {
		o[h++] = 0x80 | 126;
		o[h++] = (uint8_t)(n >> 8);
		o[h++] = (uint8_t)n;
	} else {
		o[h++] = (uint8_t)(0x80 | n);
	}
	memcpy(o + h, mask, 4);
	h += 4;
	for (i = 0; i < n; i++)
		o[h + i] = (uint8_t)p[i] ^ mask[i & 3];
	*off += h + n;
}

static struct ws_conn *open_ws(struct judged *j, const struct ws_config *cfg)
{
	struct sess_sink sink = { .emit = on_emit, .ctx = j, .request = on_request };
	struct ws_handshake hs = { .path = "/chat", .authority = "example.com",
				   .key = "dGhlIHNhbXBsZSBub25jZQ==",
				   .accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
				   .req_ns = T0 - MS, .resp_ns = T0 };
	struct ws_conn *c;

	memset(j, 0, sizeof(*j));
	c = ws_conn_new(&conn, &sink, cfg, &hs);
	assert_non_null(c);
	return c;
}

/* Benign, attack, benign x 20 on a connection left open: each message is
 * judged when its last byte arrives, with its own times, fed in chunks of
 * every size from 1 to 9 bytes. */
static void test_each_message_as_it_completes(void **state)
{
	static const char *const msgs[3] = { "hello", "1' UNION SELECT password FROM users--",
					     "benign message" };
	uint8_t buf[4096];
	struct judged *j = malloc(sizeof(*j));
	size_t chunk;

	(void)state;
	for (chunk = 1; chunk <= 9; chunk++) {
		struct ws_conn *c = open_ws(j, NULL);
		size_t len, o;
		int i;

		for (i = 0; i < 22; i++) {
			const char *m = msgs[i < 2 ? i : 2];

			len = 0;
			frame(buf, &len, 0x81, m, strlen(m));
			for (o = 0; o < len; o += chunk)
				ws_feed(c, SESS_DIR_REQ, buf + o, len - o < chunk ? len - o : chunk,
					T0 + (uint64_t)(i + 1) * MS + o);
			/* judged at its last byte: nothing waits for a summary */
			assert_int_equal(j->n, i + 1);
			assert_string_equal(j->body[i], m);
			assert_int_equal(j->req_ns[i], T0 + (uint64_t)(i + 1) * MS);
			assert_int_equal(j->req_end_ns[i], T0 + (uint64_t)(i + 1) * MS + (len - 1) / chunk * chunk);
		}
		/* binary messages are not text: not judged */
		len = 0;
		frame(buf, &len, 0x82, "\x01\x02", 2);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + SEC);
		assert_int_equal(j->n, 22);
		ws_close(c, T0 + 2 * SEC);
		/* judged already: the open and close events carry no message */
		assert_int_equal(j->emitted, 2);
		assert_int_equal(j->emitted_with_body, 0);
		ws_conn_free(c);
	}
	free(j);
}

/* A 20000-byte message in fragments: windows of SESS_MAX_BODY overlapping
 * by WS_WIN_OVERLAP, so a marker at or across a window boundary is whole
 * in one of them; every byte judged, each at most twice. */
static void test_long_message_in_windows(void **state)
{
	enum { N = 20000 };
	static char msg[N + 1];
	static uint8_t buf[N + 256];
	struct judged *j = malloc(sizeof(*j));
	struct ws_conn *c;
	size_t len = 0, at;
	int i, found;

	(void)state;
	for (at = 0; at < 4; at++) {
		/* the marker straddles the first window boundary, shifted */
		size_t mpos = SESS_MAX_BODY - 10 + at * 3;

		memset(msg, 'a', N);
		memcpy(msg + mpos, "<MARK-19>", 9);
		len = 0;
		frame(buf, &len, 0x01, msg, 7000);
		frame(buf, &len, 0x00, msg + 7000, 7000);
		frame(buf, &len, 0x80, msg + 14000, N - 14000);
		c = open_ws(j, NULL);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
		assert_true(j->n >= 2);
		found = 0;
		for (i = 0; i < j->n && i < 64; i++) {
			assert_true(j->len[i] <= SESS_MAX_BODY);
			found += strstr(j->body[i], "<MARK-19>") != NULL;
		}
		/* whole in one window, twice when inside an overlap */
		assert_true(found >= 1 && found <= 2);
		assert_true(j->bytes >= N);
		assert_true(j->bytes <= N + (size_t)(j->n - 1) * WS_WIN_OVERLAP);
		assert_int_equal(j->unjudged, 0);
		ws_conn_free(c);
	}
	free(j);
}

/* Past scan_msg_max the rest of a message is counted, not judged; past
 * scan_bytes_per_sec the connection's messages are, until the next second. */
static void test_budgets(void **state)
{
	static char msg[30000];
	static uint8_t buf[31000];
	struct judged *j = malloc(sizeof(*j));
	struct ws_config cfg;
	struct ws_conn *c;
	size_t len = 0;
	int i;

	(void)state;
	ws_config_default(&cfg);
	cfg.scan_msg_max = 10000;
	memset(msg, 'b', sizeof(msg));
	frame(buf, &len, 0x81, msg, sizeof(msg));
	c = open_ws(j, &cfg);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	assert_true(j->bytes <= 10000 + 3 * WS_WIN_OVERLAP);
	assert_true(j->bytes >= 10000);
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_MESSAGE_UNJUDGED], 1);
	ws_conn_free(c);

	/* 1000 bytes a second: 10-byte messages cost 10 + WS_MSG_COST each */
	ws_config_default(&cfg);
	cfg.scan_bytes_per_sec = 1000;
	c = open_ws(j, &cfg);
	for (i = 0; i < 100; i++) {
		len = 0;
		frame(buf, &len, 0x81, "0123456789", 10);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS + (uint64_t)i * MS);
	}
	assert_int_equal(j->n, 1000 / (10 + WS_MSG_COST));
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_MESSAGE_UNJUDGED], 100 - j->n);
	assert_int_equal(j->unjudged, 0); /* the judged ones came before */
	/* the next second judges again, and says what was not */
	len = 0;
	frame(buf, &len, 0x81, "0123456789", 10);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 2 * SEC);
	assert_int_equal(j->n, 1000 / (10 + WS_MSG_COST) + 1);
	assert_int_equal(j->unjudged, 100 - 1000 / (10 + WS_MSG_COST));
	ws_conn_free(c);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_message_as_it_completes),
		cmocka_unit_test(test_long_message_in_windows),
		cmocka_unit_test(test_budgets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
