/* test_reqbody.c - request bodies sent with a Content-Encoding, judged
 * through the verdict engine: gzip and deflate (zlib and raw) bodies are
 * decoded and read by their type; br, a corrupt stream, a bomb and a body
 * longer than its kept prefix draw the evasion rule (an alert); plain
 * text that only claims a coding is judged as the text it is; windows
 * from the middle of a coded body are never read as text unless they are
 * text; and the Content-Encoding header list is read as RFC 9110 says. */
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
#include <zlib.h>

#include "tests/unit/reqbody_judge.h"
#include "common/inflate.h"

#define SQLI_JSON "{\"user\":\"bob\",\"q\":\"1' OR '1'='1' -- \"}"
#define BENIGN_JSON "{\"user\":\"bob\",\"items\":[1,2,3],\"note\":\"O'Brien likes pizza\"}"

static size_t zpack(const void *in, size_t n, uint8_t *o, size_t cap, int wbits)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static void body_packed(const char *text, int wbits)
{
	uint8_t z[8192];

	rb_body(z, zpack(text, strlen(text), z, sizeof(z), wbits));
}

static void gzip_and_deflate_bodies_are_judged(void **state)
{
	const struct verdict *x;
	int n;

	(void)state;
	rb_post("application/json", "gzip");
	body_packed(SQLI_JSON, 31);
	n = rb_judge();
	assert_non_null(x = rb_find(n, "sqli"));
	assert_int_equal(x->action, VERDICT_KILL);
	assert_null(rb_find(n, "evasion"));
	/* HTTP deflate is zlib-wrapped, or raw from some senders */
	rb_post("application/x-www-form-urlencoded", "deflate");
	body_packed("q=1+union+select+password+from+users--", 15);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	rb_post("application/x-www-form-urlencoded", "Deflate");
	body_packed("q=1+union+select+password+from+users--", -15);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	/* raw deflate opening with bytes that pass for a zlib header (a
	 * stored block of LEN 1 after a first byte 0x78): read raw */
	{
		static const char rest[] = "\"q\":\"1' OR '1'='1' -- \"}";
		uint8_t v[256] = { 0x78, 0x01, 0x00, 0xfe, 0xff, '{' };
		size_t vn = 6 + zpack(rest, strlen(rest), v + 6, sizeof(v) - 6, -15);

		rb_post("application/json", "deflate");
		rb_body(v, vn);
		n = rb_judge();
		assert_non_null(rb_find(n, "sqli"));
		assert_null(rb_find(n, "evasion"));
	}
	/* x-gzip, with identity around it, no type: read by its shape */
	rb_post(NULL, "identity, X-GZIP");
	body_packed(SQLI_JSON, 31);
	assert_non_null(rb_find(rb_judge(), "sqli"));
}

static void benign_coded_body_no_verdict(void **state)
{
	(void)state;
	rb_post("application/json", "gzip");
	body_packed(BENIGN_JSON, 31);
	assert_int_equal(rb_judge(), 0);
	rb_post("application/x-www-form-urlencoded", "deflate");
	body_packed("name=O%27Brien&city=Paris&note=select+a+seat", 15);
	assert_int_equal(rb_judge(), 0);
}

static void undecodable_coding_is_an_evasion_alert(void **state)
{
	static const uint8_t br[] = { 0x1b, 0x26, 0x00, 0xf8, 0x8d, 0x94, 0x6e, 0xde,
				      0x34, 0x0b, 0xb7, 0x14, 0x02, 0xe5, 0x3c, 0x4d };
	const struct verdict *x;
	int n;

	(void)state;
	rb_post("application/json", "br");
	rb_body(br, sizeof(br));
	n = rb_judge();
	assert_non_null(x = rb_find(n, "evasion"));
	assert_int_equal(x->action, VERDICT_ALERT);
	assert_non_null(strstr(x->reason, "br"));
	/* two layers claimed, one sent: the inner is no gzip */
	rb_post("application/json", "gzip, gzip");
	body_packed(BENIGN_JSON, 31);
	assert_non_null(rb_find(rb_judge(), "evasion"));
}

static void claimed_coding_on_plain_text_judged_as_text(void **state)
{
	int n;

	(void)state;
	/* a server that ignores Content-Encoding reads the text */
	rb_post("application/json", "gzip");
	rb_body(SQLI_JSON, strlen(SQLI_JSON));
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(rb_find(n, "evasion"));
	rb_post("application/json", "br");
	rb_body(SQLI_JSON, strlen(SQLI_JSON));
	assert_non_null(rb_find(rb_judge(), "sqli"));
}

static void corrupt_stream_and_bomb(void **state)
{
	uint8_t z[8192];
	size_t zn;
	char *zeros;
	const struct verdict *x;
	int n;

	(void)state;
	/* checksum broken: what decoded is judged all the same */
	rb_post("application/json", "gzip");
	zn = zpack(SQLI_JSON, strlen(SQLI_JSON), z, sizeof(z), 31);
	z[zn - 6] ^= 0x40;
	rb_body(z, zn);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(x = rb_find(n, "evasion"));
	assert_non_null(strstr(x->reason, "bad_checksum"));
	/* 1 MiB of spaces after the payload: decoded up to the ratio */
	zeros = malloc(1 << 20);
	assert_non_null(zeros);
	memset(zeros, ' ', 1 << 20);
	memcpy(zeros, SQLI_JSON, strlen(SQLI_JSON));
	rb_post("application/json", "gzip");
	zn = zpack(zeros, 1 << 20, z, sizeof(z), 31);
	free(zeros);
	assert_true(zn < SESS_MAX_BODY);
	rb_body(z, zn);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(x = rb_find(n, "evasion"));
	assert_non_null(strstr(x->reason, "ratio"));
}

static void longer_than_prefix_judged_then_flagged(void **state)
{
	static char text[60000];
	uint8_t z[65536];
	size_t zn, o = 0;
	int n;

	(void)state;
	/* varied text: its gzip is far over the kept 4 KiB */
	o += (size_t)snprintf(text, sizeof(text), "%s", "{\"q\":\"1' OR '1'='1' -- \",\"log\":\"");
	srand(3);
	while (o < sizeof(text) - 3)
		text[o++] = (char)('a' + rand() % 26);
	memcpy(text + o, "\"}", 3);
	rb_post("application/json", "gzip");
	zn = zpack(text, strlen(text), z, sizeof(z), 31);
	assert_true(zn > SESS_MAX_BODY);
	rb_body(z, zn);
	assert_true(ev.trunc & SESS_TRUNC_BODY);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(strstr(rb_find(n, "evasion")->reason, "past"));
}

static void windows_of_coded_bodies(void **state)
{
	uint8_t z[4096];
	size_t zn;

	(void)state;
	/* h1: a window from the middle of a gzip stream is not text */
	rb_post("application/json", "gzip");
	ev.flags |= SESS_F_WINDOW;
	zn = zpack(BENIGN_JSON BENIGN_JSON, strlen(BENIGN_JSON BENIGN_JSON), z, sizeof(z), -15);
	rb_body(z + 3, zn - 3);
	assert_int_equal(rb_judge(), 0);
	/* ... but one that is text is read (plain text under a claimed
	 * coding, or stored blocks) */
	rb_post("application/json", "gzip");
	ev.flags |= SESS_F_WINDOW;
	rb_body("aaaa\",\"q\":\"1' OR '1'='1' -- \"}", 31);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	/* h2: a window from the body's first byte is decoded */
	rb_post("application/json", "gzip");
	ev.proto = SESS_PROTO_HTTP2;
	ev.flags |= SESS_F_WINDOW | SESS_F_WIN_BODY0;
	body_packed(SQLI_JSON, 31);
	assert_non_null(rb_find(rb_judge(), "sqli"));
}

/* Each outcome is counted, and every inflate run by its status. */
static void counted_by_outcome(void **state)
{
	uint64_t b[REQBODY_CNT__COUNT], a[REQBODY_CNT__COUNT];
	uint64_t ib[INFLATE__COUNT], ia[INFLATE__COUNT];
	uint8_t z[512];
	size_t zn;

	(void)state;
	reqbody_counts(b);
	inflate_counts(ib);
	rb_post("application/json", "gzip");
	body_packed(BENIGN_JSON, 31);
	rb_judge();
	rb_post("application/json", "zstd");
	rb_body("\x28\xb5\x2f\xfd\x00\x58\x31\x00", 8);
	rb_judge();
	rb_post("application/json", "deflate");
	zn = zpack(BENIGN_JSON, strlen(BENIGN_JSON), z, sizeof(z), 15);
	z[zn - 1] ^= 1;
	rb_body(z, zn);
	rb_judge();
	rb_post("application/json", "gzip");
	ev.flags |= SESS_F_WINDOW;
	rb_body(z + 2, zn - 2);
	rb_judge();
	reqbody_counts(a);
	inflate_counts(ia);
	assert_int_equal(a[REQBODY_CODED] - b[REQBODY_CODED], 4);
	assert_int_equal(a[REQBODY_WHOLE] - b[REQBODY_WHOLE], 1);
	assert_int_equal(a[REQBODY_UNKNOWN] - b[REQBODY_UNKNOWN], 1);
	assert_int_equal(a[REQBODY_MALFORMED] - b[REQBODY_MALFORMED], 1);
	assert_int_equal(a[REQBODY_WIN_SKIPPED] - b[REQBODY_WIN_SKIPPED], 1);
	assert_int_equal(a[REQBODY_BOMB] - b[REQBODY_BOMB], 0);
	assert_int_equal(ia[INFLATE_OK] - ib[INFLATE_OK], 1);
	/* "deflate" with a bad Adler-32: zlib, then raw (no stream), once each */
	assert_int_equal(ia[INFLATE_BAD_CHECKSUM] - ib[INFLATE_BAD_CHECKSUM], 1);
	for (int i = 0; i < REQBODY_CNT__COUNT; i++)
		assert_non_null(reqbody_cnt_names[i]);
}

/* A gzip body of 3000 empty fixed blocks (10 bits each) and no output:
 * stopped at the block cap, counted a bomb, an evasion alert. */
static void empty_block_flood_is_a_bomb(void **state)
{
	static uint8_t g[4096];
	size_t bit = 80, i;
	const struct verdict *x;
	uint64_t before[REQBODY_CNT__COUNT], after[REQBODY_CNT__COUNT];

	(void)state;
	memset(g, 0, sizeof(g));
	memcpy(g, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	for (i = 0; i <= 3000; i++, bit += 10) /* BFINAL on the last, BTYPE 01, code 256 */
		g[bit / 8] |= (uint8_t)((i == 3000 ? 3u : 2u) << (bit % 8)),
		g[bit / 8 + 1] |= (uint8_t)((i == 3000 ? 3u : 2u) >> (8 - bit % 8));
	bit = (bit + 7) / 8 * 8 + 64; /* CRC-32 and ISIZE of nothing: zeros */
	reqbody_counts(before);
	rb_post("application/json", "gzip");
	rb_body(g, bit / 8);
	x = rb_find(rb_judge(), "evasion");
	assert_non_null(x);
	assert_int_equal(x->action, VERDICT_ALERT);
	assert_non_null(strstr(x->reason, "blocks"));
	reqbody_counts(after);
	assert_int_equal(after[REQBODY_BOMB] - before[REQBODY_BOMB], 1);
}

/* "deflate" whose zlib reading is a stored block claiming 65534 bytes
 * (truncated, though the whole body came) while its raw reading is a
 * form with SQL injection: both readings are judged, and a zlib stream
 * that ends early with the whole body seen is flagged. */
static void deflate_polyglot_both_readings(void **state)
{
	static const char form[] = "a=1&q=1'/**/union/**/select/**/password/**/from/**/users--&z=yyy";
	uint8_t v[512] = { 0x78, 0x01, 0x00, 0xfe, 0xff, 0x01, 0x00, 0x01, 0x01, 0xfe, 0xfe };
	size_t n = 11;
	const struct verdict *x;
	int k;

	(void)state;
	/* zlib: 78 01, stored block LEN 0xfffe. Raw: stored LEN 1 (0x01),
	 * stored LEN 257 (x...), then the form deflated */
	memset(v + n, 'x', 257);
	n += 257;
	n += zpack(form, strlen(form), v + n, sizeof(v) - n, -15);
	rb_post("application/x-www-form-urlencoded", "deflate");
	rb_body(v, n);
	k = rb_judge();
	assert_non_null(rb_find(k, "sqli"));
	assert_non_null(x = rb_find(k, "evasion"));
	assert_non_null(strstr(x->reason, "truncated"));
}

/* A gzip header with reserved flag bits or a wrong FHCRC: Python's gzip
 * decodes it all the same, so the body is judged (and flagged). */
static void gzip_header_quirks_still_decoded(void **state)
{
	uint8_t z[1024], h[1024];
	size_t zn;
	const struct verdict *x;
	int n;

	(void)state;
	zn = zpack(SQLI_JSON, strlen(SQLI_JSON), z, sizeof(z), 31);
	rb_post("application/json", "gzip");
	z[3] |= 0x20; /* reserved */
	rb_body(z, zn);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(x = rb_find(n, "evasion"));
	assert_non_null(strstr(x->reason, "bad_gzip_header"));
	z[3] &= (uint8_t)~0x20;
	/* FHCRC set, its two bytes wrong */
	memcpy(h, z, 10);
	h[3] |= 2;
	h[10] = 0x12;
	h[11] = 0x34;
	memcpy(h + 12, z + 10, zn - 10);
	rb_post("application/json", "gzip");
	rb_body(h, zn + 2);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(x = rb_find(n, "evasion"));
	assert_non_null(strstr(x->reason, "bad_checksum"));
}

/* Claims gzip, is no gzip (the magic fails) and is 1 in 6 binary: an
 * app that ignores the header reads the raw form; judged and flagged. */
static void not_gzip_at_all_judged_raw(void **state)
{
	char t[200];
	size_t n = (size_t)snprintf(t, sizeof(t), "q=1' union select password from users--&x=");
	int k;

	(void)state;
	memset(t + n, 0xff, 8);
	n += 8;
	rb_post("application/x-www-form-urlencoded", "gzip");
	rb_body(t, n);
	k = rb_judge();
	assert_non_null(rb_find(k, "sqli"));
	assert_non_null(rb_find(k, "evasion"));
}

/* Two codings, each one we decode, are two layers undone in reverse
 * order ("deflate, gzip": deflate applied first, gzip around it): a
 * SQLi under both draws sqli and no evasion alert; a benign body under
 * both draws nothing; three layers are not decoded (an alert). */
static void two_layers_decoded(void **state)
{
	static const struct { const char *coding; int inner, outer; } t[] = {
		{ "gzip, gzip", 31, 31 },
		{ "deflate, gzip", 15, 31 },
		{ "x-gzip,deflate", 31, 15 },
		{ "deflate,deflate", -15, 15 },
	};
	uint8_t a[8192], b[8192];
	size_t an;
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rb_post("application/json", t[i].coding);
		an = zpack(SQLI_JSON, strlen(SQLI_JSON), a, sizeof(a), t[i].inner);
		rb_body(b, zpack(a, an, b, sizeof(b), t[i].outer));
		n = rb_judge();
		assert_non_null(rb_find(n, "sqli"));
		assert_null(rb_find(n, "evasion"));
		rb_post("application/json", t[i].coding);
		an = zpack(BENIGN_JSON, strlen(BENIGN_JSON), a, sizeof(a), t[i].inner);
		rb_body(b, zpack(a, an, b, sizeof(b), t[i].outer));
		assert_int_equal(rb_judge(), 0);
	}
	/* two claimed, one sent: what one layer gives is judged, and flagged */
	rb_post("application/json", "gzip, gzip");
	body_packed(SQLI_JSON, 31);
	n = rb_judge();
	assert_non_null(rb_find(n, "sqli"));
	assert_non_null(rb_find(n, "evasion"));
	rb_post("application/json", "gzip, gzip, gzip");
	an = zpack(SQLI_JSON, strlen(SQLI_JSON), a, sizeof(a), 31);
	rb_body(b, zpack(a, an, b, sizeof(b), 31));
	assert_non_null(rb_find(rb_judge(), "evasion"));
}

/* Claims deflate, has no zlib header and is no raw DEFLATE stream either,
 * and is 1 in 6 binary: judged as the raw form an app that ignores the
 * header reads (as the not-gzip case is), and flagged. */
static void deflate_not_zlib_judged_raw(void **state)
{
	char t[200];
	size_t n = (size_t)snprintf(t, sizeof(t), "q=1' union select password from users--&x=");
	int k;

	(void)state;
	memset(t + n, 0xff, 8);
	n += 8;
	rb_post("application/x-www-form-urlencoded", "deflate");
	rb_body(t, n);
	k = rb_judge();
	assert_non_null(rb_find(k, "sqli"));
	assert_non_null(rb_find(k, "evasion"));
}

static void content_encoding_list(void **state)
{
	static const struct {
		const char *v;
		uint8_t want;
		const char *name;
	} t[] = {
		{ "gzip", SESS_CODING_GZIP, "gzip" },
		{ " GZip ", SESS_CODING_GZIP, "gzip" },
		{ "identity,x-gzip", SESS_CODING_GZIP, "x-gzip" },
		{ "deflate", SESS_CODING_DEFLATE, "deflate" },
		{ "identity", SESS_CODING_NONE, "" },
		{ "", SESS_CODING_NONE, "" },
		{ "br", SESS_CODING_OTHER, "br" },
		{ "zstd", SESS_CODING_OTHER, "zstd" },
		{ "gzip, br", SESS_CODING_OTHER, "gzip,br" },
		{ "gzip\"<x>", SESS_CODING_OTHER, "gzipx" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rb_post(NULL, NULL);
		sess_req_hdr(&ev, "Content-Encoding", 16, t[i].v, strlen(t[i].v));
		assert_int_equal(ev.req_coding, t[i].want);
		assert_string_equal(ev.req_coding_name, t[i].name);
	}
	/* two headers are two codings */
	rb_post(NULL, "gzip");
	sess_req_hdr(&ev, "content-encoding", 16, "gzip", 4);
	assert_int_equal(ev.req_coding, SESS_CODING_OTHER);
	/* other headers are not codings */
	rb_post(NULL, NULL);
	sess_req_hdr(&ev, "transfer-encoding", 17, "gzip", 4);
	assert_int_equal(ev.req_coding, SESS_CODING_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gzip_and_deflate_bodies_are_judged),
		cmocka_unit_test(benign_coded_body_no_verdict),
		cmocka_unit_test(undecodable_coding_is_an_evasion_alert),
		cmocka_unit_test(claimed_coding_on_plain_text_judged_as_text),
		cmocka_unit_test(corrupt_stream_and_bomb),
		cmocka_unit_test(longer_than_prefix_judged_then_flagged),
		cmocka_unit_test(windows_of_coded_bodies),
		cmocka_unit_test(counted_by_outcome),
		cmocka_unit_test(two_layers_decoded),
		cmocka_unit_test(deflate_not_zlib_judged_raw),
		cmocka_unit_test(content_encoding_list),
		cmocka_unit_test(empty_block_flood_is_a_bomb),
		cmocka_unit_test(deflate_polyglot_both_readings),
		cmocka_unit_test(gzip_header_quirks_still_decoded),
		cmocka_unit_test(not_gzip_at_all_judged_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
