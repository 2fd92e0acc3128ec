/* grpc.c - gRPC message framing, path split and status parsing. */
#include "collector/decode/grpc.h"

#include "common/inflate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int word_is(const char *v, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp(v, w, n) == 0;
}

/* The wrapper of a compressed message: what grpc-encoding names, else
 * what its first bytes are; -1 when neither is one we decode. */
static int msg_wrap(const struct sess_event *ev, const uint8_t *p, size_t n)
{
	size_t hl = 0;
	const char *enc = sess_get_hdr(ev, "grpc-encoding", &hl);

	while (enc && hl && (enc[hl - 1] == ' ' || enc[hl - 1] == '\t'))
		hl--;
	while (enc && hl && (*enc == ' ' || *enc == '\t')) {
		enc++;
		hl--;
	}
	if (enc)
		return word_is(enc, hl, "gzip") ? INFLATE_GZIP
		       : word_is(enc, hl, "deflate") ? INFLATE_DEFLATE : -1;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return INFLATE_GZIP;
	return inflate_zlib_header(p, n) ? INFLATE_DEFLATE : -1;
}

/* A whole compressed message, in[0..n), decodes past the kept prefix's
 * room (its first kept bytes of plain text are in the prefix): decoded
 * again into a buffer of GRPC_PLAIN_MAX, and the plain bytes past kept go
 * to p->past, which judges them in windows overlapping what came before.
 * 0 when all of it went; -1 when not (a malformed tail, a message past
 * GRPC_PLAIN_MAX, no memory): the caller counts it. */
static int past_decode(struct grpc_msgp *p, enum inflate_wrap w, const uint8_t *in,
		       size_t n, size_t kept)
{
	static _Thread_local uint8_t *plain;
	struct inflate_result r;
	enum inflate_status st;

	if (!plain && !(plain = malloc(GRPC_PLAIN_MAX)))
		return -1;
	st = inflate_run(w, in, n, plain, GRPC_PLAIN_MAX, GRPC_RATIO_MAX, &r);
	if (r.out_len > kept)
		p->past(p->past_ctx, plain + kept, r.out_len - kept);
	return st == INFLATE_OK || st == INFLATE_TRAILING ? 0 : -1;
}

/* Collecting the current message stops: its buffer goes back. */
static void coll_drop(struct grpc_msgp *p)
{
	if (p->mem)
		*p->mem -= p->cbuf_cap;
	free(p->cbuf);
	p->cbuf = NULL;
	p->cbuf_len = p->cbuf_cap = 0;
	p->ccoll = 0;
}

void grpc_msgp_free(struct grpc_msgp *p)
{
	coll_drop(p);
}

/* n more bytes of the message being collected; -1 out of memory. */
static int coll_add(struct grpc_msgp *p, const uint8_t *b, size_t n)
{
	if (p->cbuf_len + n > p->cbuf_cap) {
		uint32_t cap = p->cbuf_cap ? p->cbuf_cap : 1024;
		uint8_t *nb;

		while (cap < p->cbuf_len + n)
			cap *= 2;
		if (cap > GRPC_CODED_MAX)
			cap = GRPC_CODED_MAX;
		if (!(nb = realloc(p->cbuf, cap)))
			return -1;
		if (p->mem)
			*p->mem += cap - p->cbuf_cap;
		p->cbuf = nb;
		p->cbuf_cap = cap;
	}
	memcpy(p->cbuf + p->cbuf_len, b, n);
	p->cbuf_len += (uint32_t)n;
	return 0;
}

/* The collected message ended: decoded whole, its plain bytes past those
 * in the prefix to p->past; counted when that fails. */
static void coll_end(struct grpc_msgp *p, struct sess_event *ev)
{
	int w = msg_wrap(ev, p->cbuf, p->cbuf_len);

	if (w < 0 || past_decode(p, (enum inflate_wrap)w, p->cbuf, p->cbuf_len, p->ckept) < 0)
		sess_anom_add(ev, GRPC_ANOM_CODED, 1);
	coll_drop(p);
}

/* The current compressed message's kept bytes, ev->body[cstart..), are
 * replaced by their plain text; whole: all of it was kept. */
static void msg_decode(struct grpc_msgp *p, struct sess_event *ev, int whole)
{
	static _Thread_local uint8_t in[SESS_MAX_BODY];
	size_t n = ev->body_len - p->cstart;
	struct inflate_result r;
	enum inflate_status st;
	int w;

	p->cdone = 1;
	if (p->cbad) {
		coll_drop(p);
		sess_anom_add(ev, GRPC_ANOM_CODED, 1);
		return;
	}
	if (!n) {
		/* none of it kept (the body prefix was full): a compressed
		 * message no one decodes is an alert, never silence; one
		 * being collected is decoded at its end */
		if (p->clen && !p->ccoll)
			sess_anom_add(ev, GRPC_ANOM_CODED, 1);
		return;
	}
	memcpy(in, ev->body + p->cstart, n);
	if ((w = msg_wrap(ev, in, n)) < 0) {
		coll_drop(p);
		sess_anom_add(ev, GRPC_ANOM_CODED, 1);
		return;
	}
	/* no ratio cap: the output is the prefix's room, at most 4 KiB; what
	 * decodes past it is not judged and says so below (a bomb does) */
	st = inflate_run((enum inflate_wrap)w, in, n, ev->body + p->cstart,
			 SESS_MAX_BODY - p->cstart, 0, &r);
	if (inflate_malformed(st) || st == INFLATE_RATIO || st == INFLATE_BLOCKS ||
	    (st == INFLATE_TRUNCATED && whole)) {
		memcpy(ev->body + p->cstart, in, n); /* as it came */
		coll_drop(p);
		sess_anom_add(ev, GRPC_ANOM_CODED, 1);
		return;
	}
	ev->body_len = p->cstart + (uint32_t)r.out_len;
	p->ckept = (uint32_t)r.out_len;
	if (st == INFLATE_OUT_FULL || !whole)
		ev->trunc |= SESS_TRUNC_BODY;
	if (p->ccoll)
		return; /* the rest when it ends */
	/* its text runs past the prefix: the rest to the body windows */
	if (whole && st == INFLATE_OUT_FULL && p->past &&
	    past_decode(p, (enum inflate_wrap)w, in, n, r.out_len) == 0)
		return;
	/* cut by the prefix, its input or its output: the rest of it is not
	 * judged (a small filler message can push an attack's message to the
	 * prefix's last bytes) */
	if (!whole || st == INFLATE_OUT_FULL)
		sess_anom_add(ev, GRPC_ANOM_CODED, 1);
}

void grpc_msgp_feed(struct grpc_msgp *p, const uint8_t *data, size_t len,
		    struct sess_event *keep)
{
	if (p->cpend && keep) {
		sess_anom_add(keep, GRPC_ANOM_CODED, 1);
		p->cpend = 0;
	}
	while (len > 0 && !p->lost) {
		if (!p->in_body) {
			size_t need = sizeof(p->pfx) - p->pfx_len;
			size_t take = len < need ? len : need;

			memcpy(p->pfx + p->pfx_len, data, take);
			p->pfx_len = (uint8_t)(p->pfx_len + take);
			data += take;
			len -= take;
			if (p->pfx_len < sizeof(p->pfx))
				return;
			p->left = (uint32_t)p->pfx[1] << 24 | (uint32_t)p->pfx[2] << 16 |
				  (uint32_t)p->pfx[3] << 8 | p->pfx[4];
			p->pfx_len = 0;
			p->in_body = 1;
			p->cflag = p->pfx[0] & 1;
			p->cdone = p->cbad = 0;
			p->clen = p->left;
			p->cstart = keep ? keep->body_len : 0;
			p->ckept = 0;
			coll_drop(p);
			/* it will not fit the prefix: collected whole */
			p->ccoll = keep && p->cflag && p->past && p->clen <= GRPC_CODED_MAX &&
				   p->cstart + p->clen > SESS_MAX_BODY;
		}
		if (p->left > 0) {
			size_t take = len < p->left ? len : p->left;

			if (p->ccoll && coll_add(p, data, take) < 0) {
				coll_drop(p);
				if (p->cdone) /* else counted when it ends */
					sess_anom_add(keep, GRPC_ANOM_CODED, 1);
			}

			if (keep && !(p->cflag && p->cdone))
				sess_add_body(keep, data, take);
			data += take;
			len -= take;
			p->left -= (uint32_t)take;
			if (keep && p->cflag && !p->cdone && p->left &&
			    keep->body_len == SESS_MAX_BODY)
				msg_decode(p, keep, 0); /* the prefix is full */
		}
		if (p->left == 0) {
			/* An empty message completes with its prefix. */
			if (keep && p->cflag && !p->cdone)
				msg_decode(p, keep, keep->body_len - p->cstart == p->clen);
			if (p->ccoll)
				coll_end(p, keep);
			p->in_body = 0;
			p->msgs++;
		}
	}
}

void grpc_msgp_gap(struct grpc_msgp *p, uint64_t len)
{
	if (p->lost || len == 0)
		return;
	if (p->in_body) {
		if (p->ccoll) {
			/* undecodable now; counted at the next feed (the prefix
			 * decode that did not count it may have run) */
			coll_drop(p);
			p->cpend |= p->cdone;
		}
		p->cbad = 1;
		if (len <= p->left) {
			p->left -= (uint32_t)len;
			if (p->left == 0) {
				p->in_body = 0;
				p->msgs++;
				p->cpend |= p->cflag && !p->cdone;
			}
			return;
		}
		p->msgs++; /* its end lies inside the gap */
		p->cpend |= p->cflag && !p->cdone;
	}
	p->lost = 1;
}

int grpc_split_path(const char *path, size_t len, struct sess_event *ev)
{
	const char *slash;
	size_t svc_len;

	/* Exactly "/" service "/" method, both non-empty. */
	if (len < 4 || path[0] != '/')
		return -EINVAL;
	slash = memchr(path + 1, '/', len - 1);
	if (!slash)
		return -EINVAL;
	svc_len = (size_t)(slash - (path + 1));
	if (svc_len == 0 || (size_t)(slash - path) + 1 >= len ||
	    memchr(slash + 1, '/', len - (size_t)(slash - path) - 1))
		return -EINVAL;
	ev->service[0] = ev->rpc[0] = '\0';
	sess_append(ev->service, sizeof(ev->service), path + 1, svc_len, ev, 0);
	sess_append(ev->rpc, sizeof(ev->rpc), slash + 1,
		    len - (size_t)(slash - path) - 1, ev, 0);
	return 0;
}

int grpc_parse_status(const uint8_t *v, size_t len)
{
	int n = 0;
	size_t i;

	if (len == 0 || len > 6)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

int grpc_is_content_type(const uint8_t *v, size_t len)
{
	static const char ct[] = "application/grpc";
	size_t n = sizeof(ct) - 1;

	/* Any "application/grpc*" (+proto, +json, -web): all of them frame
	 * messages with the same 5-byte prefix. */
	return len >= n && strncasecmp((const char *)v, ct, n) == 0;
}
