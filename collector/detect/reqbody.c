/* reqbody.c - see reqbody.h. */
#include "collector/detect/reqbody.h"
#include "collector/detect/charset.h"
#include "collector/detect/multipart.h"
#include "collector/detect/pbrun.h"

#include "common/inflate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static uint64_t counts[REQBODY_CNT__COUNT];

const char *const reqbody_cnt_names[REQBODY_CNT__COUNT] = {
	[REQBODY_CODED] = "coded",
	[REQBODY_WHOLE] = "whole",
	[REQBODY_CUT] = "cut",
	[REQBODY_UNKNOWN] = "unknown_coding",
	[REQBODY_MALFORMED] = "malformed",
	[REQBODY_BOMB] = "bomb",
	[REQBODY_TEXT_CLAIMED] = "text_claimed",
	[REQBODY_WIN_SKIPPED] = "window_skipped",
	[REQBODY_CHARSET] = "charset_decoded",
	[REQBODY_CHARSET_GUESSED] = "charset_guessed",
	[REQBODY_CHARSET_CUT] = "charset_cut",
};

#define COUNT(i) __atomic_fetch_add(&counts[i], 1, __ATOMIC_RELAXED)

static void put(struct reqbody_sink *b, const struct payload_match *m, int n,
		const char *where)
{
	b->merge(b->ctx, m, n, where);
}

static void unjudged(struct reqbody_sink *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int has_ci(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= n; i++)
		if (!strncasecmp(s + i, needle, nl))
			return 1;
	return 0;
}

/* a run of a gRPC body's text pbrun hands on, judged as a body value */
static void judge_run(void *ctx, const char *s, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];

	put(ctx, m, payload_scan(s, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
}

/* A multipart/form-data part: its field name and file name are values; a
 * field's content too (read by its type), a file's content is not (as
 * an inline WAF treats uploads: an uploaded script is not an injection). */
struct part_ctx {
	const struct sess_event *ev;
	struct reqbody_sink *b;
	int partial;
};

static void scan_charset(const struct sess_event *ev, const char *body, size_t n,
			 int partial, struct reqbody_sink *b, const char *ct, size_t ctl);

static void scan_part(void *ctx, const struct multipart_part *p)
{
	struct part_ctx *pc = ctx;
	struct reqbody_sink *b = pc->b;
	struct payload_match m[PAYLOAD__COUNT];

	if (p->filename && p->filename_len)
		put(b, m, payload_scan(p->filename, p->filename_len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart filename");
	if (p->name && p->name_len)
		put(b, m, payload_scan(p->name, p->name_len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart name");
	if (!p->len || p->filename)
		return;
	if (p->ctype && has_ci(p->ctype, p->ctype_len, "json"))
		put(b, m, payload_scan_json(p->data, p->len, m, PAYLOAD__COUNT), "multipart part");
	else if (p->ctype && has_ci(p->ctype, p->ctype_len, "xml"))
		put(b, m, payload_scan_xml(p->data, p->len, m, PAYLOAD__COUNT), "multipart part");
	else
		put(b, m, payload_scan(p->data, p->len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart part");
	if (p->ctype) /* a part in a charset of its own */
		scan_charset(pc->ev, p->data, p->len, pc->partial, b, p->ctype, p->ctype_len);
}

/* A body that names no type, or text/plain: apps read it all the same (a
 * raw body, a form without its header). Read as a form when it has the
 * shape of one (name=value before any space), else as one value. */
static void scan_untyped(struct reqbody_sink *b, const char *body, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];
	size_t i;

	for (i = 0; i < n && body[i] != '=' && body[i] != ' ' && body[i] != '\n'; i++)
		;
	if (i && i < n && body[i] == '=')
		put(b, m, payload_scan_query(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	else
		put(b, m, payload_scan(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
}

/* body[0..n) read as its type ct[0..ctl) says; partial: it may stop
 * mid-part */
static void scan_as(const struct sess_event *ev, const char *body, size_t n,
		    int partial, struct reqbody_sink *b, const char *ct, size_t ctl)
{
	char bnd[MULTIPART_BOUNDARY_MAX + 1];
	size_t bl;
	struct payload_match m[PAYLOAD__COUNT];
	int json;

	if (!n)
		return;
	json = (ct && has_ci(ct, ctl, "json")) || body[0] == '{' || body[0] == '[';
	if (ev->proto == SESS_PROTO_GRPC) {
		pbrun_each(ev->body, n, 1, judge_run, b); /* its messages' text (pbrun.h) */
	} else if ((ev->flags & SESS_F_WINDOW) && ct && has_ci(ct, ctl, "application/grpc")) {
		pbrun_each((const uint8_t *)body, n, 0, judge_run, b); /* a window of its raw DATA */
	} else if (ev->proto == SESS_PROTO_WEBSOCKET) {
		if (json)
			put(b, m, payload_scan_json(body, n, m, PAYLOAD__COUNT), "message");
		else
			put(b, m, payload_scan(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "message");
	} else if (ct && has_ci(ct, ctl, "application/x-www-form-urlencoded")) {
		put(b, m, payload_scan_query(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	} else if (json) {
		put(b, m, payload_scan_json(body, n, m, PAYLOAD__COUNT), "body");
	} else if ((ct && has_ci(ct, ctl, "xml")) || (!ct && body[0] == '<')) {
		/* an HTML body is not split: its script text is not a value */
		put(b, m, payload_scan_xml(body, n, m, PAYLOAD__COUNT), "body");
	} else if (ct && has_ci(ct, ctl, "multipart/form-data") &&
		   (bl = multipart_boundary(ct, ctl, bnd))) {
		struct part_ctx pc = { ev, b, partial };
		multipart_each(body, n, bnd, bl, partial, scan_part, &pc, NULL);
	} else if (!ct || has_ci(ct, ctl, "text/plain")) {
		scan_untyped(b, body, n);
	}
	/* binary and other typed bodies are not values of an injection */
}

/* A body, or a multipart part, in a charset that is no superset of ASCII
 * (named by its type, or shown by its first bytes where the type lets a
 * reader guess: JSON, XML, untyped, text): read again decoded, as the
 * servers that honour the charset read it (charset.h). The bytes as they
 * came were judged already. A form is decoded name by name and value by
 * value, anything else whole and then read by its type. */
static void scan_charset(const struct sess_event *ev, const char *body, size_t n,
			 int partial, struct reqbody_sink *b, const char *ct, size_t ctl)
{
	static _Thread_local char dec[REQBODY_CHARSET_OUT];
	static _Thread_local int inside; /* a part of a decoded multipart body */
	struct payload_match m[PAYLOAD__COUNT];
	struct charset cs;
	size_t w;
	int cut;

	if (ev->proto != SESS_PROTO_HTTP1 && ev->proto != SESS_PROTO_HTTP2)
		return; /* gRPC is binary; WebSocket text is UTF-8 (RFC 6455) */
	if (inside)
		return; /* dec is being read: a charset inside one, not again */
	if (!charset_from_ctype(ct, ctl, &cs) &&
	    ((ct && !has_ci(ct, ctl, "json") && !has_ci(ct, ctl, "xml") &&
	      !has_ci(ct, ctl, "text/")) ||
	     !charset_sniff((const uint8_t *)body, n, &cs)))
		return;
	COUNT(REQBODY_CHARSET);
	if (cs.guessed)
		COUNT(REQBODY_CHARSET_GUESSED);
	if (ct && has_ci(ct, ctl, "application/x-www-form-urlencoded")) {
		w = charset_decode_form(&cs, body, n, dec, sizeof(dec), &cut);
		put(b, m, payload_scan_query(dec, w, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	} else {
		w = charset_decode(&cs, (const uint8_t *)body, n, dec, sizeof(dec), &cut);
		if (ct && !has_ci(ct, ctl, "json") && !has_ci(ct, ctl, "xml") &&
		    !has_ci(ct, ctl, "multipart/"))
			ct = NULL; /* text/plain or another type that names a
				    * charset: a text, read as untyped */
		inside = 1;
		scan_as(ev, dec, w, partial || cut, b, ct, ctl);
		inside = 0;
	}
	if (cut) {
		COUNT(REQBODY_CHARSET_CUT);
		unjudged(b, "request body in charset %s: judged %zu decoded bytes, not past",
			 cs.name, w);
	}
}

/* 1 when the body's first bytes show UTF-16 or UTF-32 where its type
 * lets a reader guess (charset_sniff): its NULs are no bytes of a value */
static int wide(const struct sess_event *ev, const char *body, size_t n,
		const char *ct, size_t ctl)
{
	struct charset cs;

	if ((ev->proto != SESS_PROTO_HTTP1 && ev->proto != SESS_PROTO_HTTP2) ||
	    (ct && !has_ci(ct, ctl, "json") && !has_ci(ct, ctl, "xml") &&
	     !has_ci(ct, ctl, "text/")) ||
	    !charset_sniff((const uint8_t *)body, n, &cs))
		return 0;
	return cs.kind != CHARSET_EBCDIC && cs.kind != CHARSET_UTF7;
}

/* a form whose type names UTF-16 or UTF-32 */
static int wide_form(const char *ct, size_t ctl)
{
	struct charset cs;

	return ct && has_ci(ct, ctl, "application/x-www-form-urlencoded") &&
	       charset_from_ctype(ct, ctl, &cs) && cs.kind >= CHARSET_UTF16 && cs.kind <= CHARSET_UTF32BE;
}

static void scan_typed(const struct sess_event *ev, const char *body, size_t n,
		       int partial, struct reqbody_sink *b)
{
	static _Thread_local char squeezed[REQBODY_PLAIN_MAX];
	const char *ct;
	size_t ctl = 0, w = 0;

	if (!n)
		return;
	ct = sess_get_hdr(ev, "content-type", &ctl);
	if (wide_form(ct, ctl) && n <= sizeof(squeezed)) {
		/* a form in UTF-16 or UTF-32: its "%00"s are the wide
		 * characters' NULs, read as it came but for them */
		for (size_t i = 0; i < n; i++) {
			if (body[i] == '%' && i + 2 < n && body[i + 1] == '0' && body[i + 2] == '0') {
				i += 2;
				continue;
			}
			squeezed[w++] = body[i];
		}
		scan_as(ev, squeezed, w, partial, b, ct, ctl);
	} else if (wide(ev, body, n, ct, ctl) && n <= sizeof(squeezed)) {
		/* read as it came but for its NULs: an ASCII tail after a
		 * UTF-16 head is still read as ASCII, and the NULs of the
		 * wide characters are no NUL bytes in a value */
		for (size_t i = 0; i < n; i++)
			if (body[i])
				squeezed[w++] = body[i];
		scan_as(ev, squeezed, w, partial, b, ct, ctl);
	} else {
		scan_as(ev, body, n, partial, b, ct, ctl);
	}
	scan_charset(ev, body, n, partial, b, ct, ctl);
}

/* Text, not a compressor's output: 7 in 8 bytes printable ASCII or
 * whitespace (deflate, br and zstd output are near uniform bytes). */
static int mostly_text(const uint8_t *p, size_t n)
{
	size_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' ||
		     p[i] == '\r' || p[i] == '\n';
	return n && t >= n - n / 8;
}

static void unjudged(struct reqbody_sink *b, const char *fmt, ...)
{
	char why[112];
	va_list ap;

	if (!b->unjudged)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	b->unjudged(b->ctx, REQBODY_ANOM_CODED, why);
}

/* Bytes under a coding that are not decoded: judged only when they are
 * text (what a server that ignores the coding reads). 1 when judged. */
static int scan_raw_text(const struct sess_event *ev, struct reqbody_sink *b)
{
	if (!mostly_text(ev->body, ev->body_len))
		return 0;
	COUNT(REQBODY_TEXT_CLAIMED);
	scan_typed(ev, (const char *)ev->body, ev->body_len,
		   (ev->flags & SESS_F_WINDOW) != 0, b);
	return 1;
}

/* Decode the body with one wrapper into plain and judge what came out. */
static enum inflate_status decode_judge(const struct sess_event *ev,
					struct reqbody_sink *b, enum inflate_wrap w,
					uint8_t *plain, struct inflate_result *r)
{
	enum inflate_status st = inflate_run(w, ev->body, ev->body_len, plain,
					     REQBODY_PLAIN_MAX, REQBODY_RATIO_MAX, r);

	scan_typed(ev, (const char *)plain, r->out_len,
		   st != INFLATE_OK && st != INFLATE_TRAILING, b);
	return st;
}

/* Two codings we decode ("gzip, gzip", "deflate, gzip": Content-Encoding
 * lists them in the order applied): their wrappers in that order; 0 when
 * the list is not that. */
static int two_layers(const char *name, enum inflate_wrap w[2])
{
	const char *comma = strchr(name, ',');
	const char *part[2] = { name, comma ? comma + 1 : NULL };
	size_t len[2];

	if (!comma || strchr(comma + 1, ','))
		return 0;
	len[0] = (size_t)(comma - name);
	len[1] = strlen(comma + 1);
	for (int i = 0; i < 2; i++) {
		if ((len[i] == 4 && !strncmp(part[i], "gzip", 4)) ||
		    (len[i] == 6 && !strncmp(part[i], "x-gzip", 6)))
			w[i] = INFLATE_GZIP;
		else if (len[i] == 7 && !strncmp(part[i], "deflate", 7))
			w[i] = INFLATE_DEFLATE;
		else
			return 0;
	}
	return 1;
}

/* Bad for every reading: not a stream, or a bomb. */
static int layer_failed(enum inflate_status st)
{
	return inflate_malformed(st) || st == INFLATE_RATIO || st == INFLATE_BLOCKS;
}

/* The outer layer into a middle buffer, the inner from it into plain,
 * judged. The status is the outer's when it failed (or ended early with
 * the whole body seen), a cut when the outer filled the middle, else the
 * inner's. */
static enum inflate_status decode_two(const struct sess_event *ev, struct reqbody_sink *b,
				      const enum inflate_wrap w[2], int whole,
				      uint8_t *plain, struct inflate_result *r)
{
	static _Thread_local uint8_t mid[REQBODY_PLAIN_MAX];
	struct inflate_result r1;
	enum inflate_status st1, st2;

	st1 = inflate_run(w[1], ev->body, ev->body_len, mid, sizeof(mid),
			  REQBODY_RATIO_MAX, &r1);
	if (layer_failed(st1) || (st1 == INFLATE_TRUNCATED && whole)) {
		*r = r1;
		return st1;
	}
	st2 = inflate_run(w[0], mid, r1.out_len, plain, REQBODY_PLAIN_MAX,
			  REQBODY_RATIO_MAX, r);
	scan_typed(ev, (const char *)plain, r->out_len,
		   st2 != INFLATE_OK && st2 != INFLATE_TRAILING, b);
	if (inflate_malformed(st2) && !r->out_len)
		/* the inner is no stream: a server that undoes one layer
		 * reads the outer's output */
		scan_typed(ev, (const char *)mid, r1.out_len,
			   st1 != INFLATE_OK && st1 != INFLATE_TRAILING, b);
	if (st1 == INFLATE_OUT_FULL && !layer_failed(st2))
		return INFLATE_OUT_FULL;
	if (st1 == INFLATE_TRUNCATED && st2 == INFLATE_TRUNCATED)
		return INFLATE_TRUNCATED; /* a prefix of both: cut, not malformed */
	return st2;
}

/* One layer (the event's one coding) decoded and judged; a deflate body
 * with a zlib header that is also raw deflate is read both ways. */
static enum inflate_status decode_one(const struct sess_event *ev, struct reqbody_sink *b,
				      uint8_t *plain, struct inflate_result *r)
{
	struct inflate_result rr;
	enum inflate_status st, rst;

	if (ev->req_coding == SESS_CODING_GZIP)
		return decode_judge(ev, b, INFLATE_GZIP, plain, r);
	if (!inflate_zlib_header(ev->body, ev->body_len))
		return decode_judge(ev, b, INFLATE_RAW, plain, r);
	if ((st = decode_judge(ev, b, INFLATE_ZLIB, plain, r)) == INFLATE_OK)
		return st;
	/* a zlib header that is also raw deflate: servers differ in which
	 * they read (zlib first, or raw only), so judge both; the zlib
	 * reading's status stands unless it is malformed and the raw one is
	 * not (a raw stream posing as zlib) */
	rst = decode_judge(ev, b, INFLATE_RAW, plain, &rr);
	if (inflate_malformed(st) && !inflate_malformed(rst)) {
		st = rst;
		*r = rr;
	}
	return st;
}

/* Not the coding claimed at all: gzip whose magic or method fails, or
 * deflate with no zlib header that is no raw stream either. An app that
 * ignores the header reads these bytes, text or not. */
static int not_coded_at_all(const struct sess_event *ev, enum inflate_status st,
			    const struct inflate_result *r)
{
	if (ev->req_coding == SESS_CODING_GZIP)
		return st == INFLATE_BAD_GZIP_HEADER && !r->members && !r->out_len &&
		       r->in_used <= 4;
	return ev->req_coding == SESS_CODING_DEFLATE && inflate_malformed(st) &&
	       !inflate_zlib_header(ev->body, ev->body_len);
}

static void scan_coded(const struct sess_event *ev, struct reqbody_sink *b)
{
	static _Thread_local uint8_t plain[REQBODY_PLAIN_MAX];
	const char *name = ev->req_coding_name;
	struct inflate_result r;
	enum inflate_status st;
	enum inflate_wrap w[2];
	int cut = (ev->trunc & SESS_TRUNC_BODY) || (ev->flags & SESS_F_BODY_GAP);
	int whole = !cut && !(ev->flags & SESS_F_WINDOW) &&
		    ev->req_body_bytes == ev->body_len;
	int layers = ev->req_coding == SESS_CODING_OTHER ? 2 : 1;

	COUNT(REQBODY_CODED);
	if (layers == 2 && !two_layers(name, w)) {
		COUNT(REQBODY_UNKNOWN);
		scan_raw_text(ev, b);
		unjudged(b, "request body coded %s: not decoded", name);
		return;
	}
	if ((ev->flags & SESS_F_WINDOW) && !(ev->flags & SESS_F_WIN_BODY0)) {
		/* the middle of a stream: no state to decode it from */
		if (!scan_raw_text(ev, b))
			COUNT(REQBODY_WIN_SKIPPED);
		return;
	}
	st = layers == 2 ? decode_two(ev, b, w, whole, plain, &r) : decode_one(ev, b, plain, &r);
	if (inflate_malformed(st) || (st == INFLATE_TRUNCATED && whole)) {
		/* a stream that ends before its end with the whole body
		 * seen is malformed for every server, not merely cut */
		COUNT(REQBODY_MALFORMED);
		if (layers == 1 && not_coded_at_all(ev, st, &r)) {
			COUNT(REQBODY_TEXT_CLAIMED);
			scan_typed(ev, (const char *)ev->body, ev->body_len,
				   (ev->flags & SESS_F_WINDOW) != 0, b);
		} else {
			scan_raw_text(ev, b);
		}
		unjudged(b, "request body coded %s: %s after %zu bytes%s", name,
			 inflate_status_name(st), r.in_used,
			 inflate_malformed(st) ? "" : " of the whole body");
	} else if (st == INFLATE_BLOCKS) {
		COUNT(REQBODY_BOMB);
		unjudged(b, "request body coded %s: blocks over %zu plus 1 per 8 decoded bytes, judged %zu",
			 name, (size_t)INFLATE_BLOCK_SLACK, r.out_len);
	} else if (st == INFLATE_RATIO) {
		COUNT(REQBODY_BOMB);
		unjudged(b, "request body coded %s: ratio over %u:1, judged %zu decoded bytes",
			 name, REQBODY_RATIO_MAX, r.out_len);
	} else if (st == INFLATE_OUT_FULL || (st == INFLATE_TRUNCATED && cut)) {
		COUNT(REQBODY_CUT);
		unjudged(b, "request body coded %s: judged %zu decoded bytes, not past", name,
			 r.out_len);
	} else if (st != INFLATE_TRUNCATED) {
		COUNT(REQBODY_WHOLE);
	}
	/* cut short by the sender, or an HTTP/2 body still arriving: what
	 * came was judged, the next window decodes it again from the start */
}

void reqbody_scan(const struct sess_event *ev, struct reqbody_sink *b)
{
	if (!ev->body_len)
		return;
	if (ev->req_coding != SESS_CODING_NONE &&
	    (ev->proto == SESS_PROTO_HTTP1 || ev->proto == SESS_PROTO_HTTP2)) {
		scan_coded(ev, b);
		return;
	}
	scan_typed(ev, (const char *)ev->body, ev->body_len,
		   (ev->flags & SESS_F_WINDOW) != 0, b);
}

void reqbody_scan_query(const struct sess_event *ev, struct reqbody_sink *b)
{
	static _Thread_local char dec[REQBODY_CHARSET_OUT];
	struct payload_match m[PAYLOAD__COUNT];
	struct charset cs;
	const char *ct;
	size_t ctl = 0, w;
	int cut;

	if (!ev->query[0] || (ev->proto != SESS_PROTO_HTTP1 && ev->proto != SESS_PROTO_HTTP2))
		return;
	ct = sess_get_hdr(ev, "content-type", &ctl);
	if (!ct || !charset_from_ctype(ct, ctl, &cs))
		return;
	COUNT(REQBODY_CHARSET);
	w = charset_decode_form(&cs, ev->query, strlen(ev->query), dec, sizeof(dec), &cut);
	put(b, m, payload_scan_query(dec, w, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), "query");
	if (cut)
		COUNT(REQBODY_CHARSET_CUT);
}

void reqbody_counts(uint64_t out[REQBODY_CNT__COUNT])
{
	for (int i = 0; i < REQBODY_CNT__COUNT; i++)
		out[i] = __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
}
