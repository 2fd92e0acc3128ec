/* classify.h - decide a new connection's role from its first bytes.
 * Shared by capture.bpf.c (socket bytes) and tls.bpf.c (TLS plaintext), so
 * both streams are judged by the same rule. Include after vmlinux.h,
 * bpf_helpers.h, abi.h and maps.h.
 */
#ifndef SW_CLASSIFY_H
#define SW_CLASSIFY_H

static __always_inline void cls_count(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&sw_counters, &idx);

	if (v)
		*v += n;
}

static __always_inline int is_method(const __u8 *p)
{
	/* The request methods APIs use, by their first four bytes. */
	__u32 w = (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 |
		  (__u32)p[3] << 24;

	switch (w) {
	case 0x20544547: /* "GET " */
	case 0x54534f50: /* "POST" */
	case 0x20545550: /* "PUT " */
	case 0x44414548: /* "HEAD" */
	case 0x454c4544: /* "DELE" */
	case 0x4954504f: /* "OPTI" */
	case 0x43544150: /* "PATC" */
	case 0x4e4e4f43: /* "CONN" */
	case 0x43415254: /* "TRAC" */
		return SW_GUESS_HTTP1;
	case 0x20495250: /* "PRI " */
		return SW_GUESS_HTTP2;
	}
	return SW_GUESS_NONE;
}

static __always_inline int is_response(const __u8 *p)
{
	return p[0] == 'H' && p[1] == 'T' && p[2] == 'T' && p[3] == 'P' &&
	       p[4] == '/';
}

/* An HTTP/2 SETTINGS frame on stream 0: 3-byte length (a multiple of 6,
 * small), type 4, flags 0 (not an ACK), stream id 0. */
static __always_inline int is_h2_settings(const __u8 *p, __u32 len)
{
	__u32 flen = (__u32)p[0] << 16 | (__u32)p[1] << 8 | p[2];

	return len >= 9 && p[3] == 4 && p[4] == 0 && flen % 6 == 0 &&
	       flen <= 6 * 16 && p[5] == 0 && p[6] == 0 && p[7] == 0 &&
	       (p[8] & 0x7f) == 0 ? 1 : 0;
}

/* A HEADERS frame seen first on a connection that was already open when
 * we started: 1 when its header block opens with a request pseudo-header
 * (:authority, :method, :path, :scheme - static table 1..7), 2 with
 * :status (8..14), else 0. Stream ids of requests are odd; only the flags
 * HEADERS may carry are accepted. */
static __always_inline int h2_mid_headers(const __u8 *p, __u32 len)
{
	__u32 flen = (__u32)p[0] << 16 | (__u32)p[1] << 8 | p[2];
	__u32 off = 9, idx;
	__u8 b;

	if (len < 11 || p[3] != 1 || (p[4] & ~(0x01 | 0x04 | 0x08 | 0x20)) ||
	    !(p[8] & 1) || flen < 2 || flen > 16384)
		return 0;
	if (p[4] & 0x08)
		off += 1;
	if (p[4] & 0x20)
		off += 5;
	if (off + 5 >= 32 || off >= len)
		return 0;
	b = p[off & 31];
	if (b & 0x80)
		idx = b & 0x7f;         /* indexed field */
	else if ((b & 0xc0) == 0x40)
		idx = b & 0x3f;         /* literal, incremental indexing */
	else if ((b & 0xe0) == 0x00)
		idx = b & 0x0f;         /* literal without / never indexed */
	else
		return 0;
	if (idx == 0 && !(b & 0x80)) {
		/* a literal name, not Huffman-coded: ":status" answers,
		 * ":method" ":path" ":scheme" ":authority" ask */
		const __u8 *nm = p + ((off + 2) & 31);

		if ((p[(off + 1) & 31] & 0x80) || nm[0] != ':')
			return 0;
		if (nm[1] == 's' && nm[2] == 't')
			return 2;
		return nm[1] == 'm' || nm[1] == 'p' || nm[1] == 's' || nm[1] == 'a';
	}
	if (idx >= 1 && idx <= 7)
		return 1;
	if (idx >= 8 && idx <= 14)
		return 2;
	return 0;
}

/* Any HTTP/2 frame header: a known type, a length within the default
 * maximum frame size, and the reserved bit clear. */
static __always_inline int h2_frame_like(const __u8 *p, __u32 len)
{
	__u32 flen = (__u32)p[0] << 16 | (__u32)p[1] << 8 | p[2];

	return len >= 9 && p[3] <= 9 && flen <= 16384 && !(p[5] & 0x80);
}

/* Where the request line starts: past the CR and LF a server skips before
 * it (RFC 9112 2.2), looked at 32 bytes per step, at most SW_CLASSIFY_SKIP
 * bytes. */
struct crlf_scan {
	__u64 ubuf;
	__u32 len;
	__u32 off;   /* first byte that is not CR/LF, or how far we looked */
	__u32 done;
};

static long crlf_step(__u32 i, void *ctx)
{
	struct crlf_scan *cs = ctx;
	__u8 w[32] = {};
	__u32 n = cs->len - cs->off, j = 32;

	if (cs->off >= cs->len)
		return 1;
	if (n > 32)
		n = 32;
	if (bpf_probe_read_user(w, n & 31 ? n & 31 : 32, (void *)(cs->ubuf + cs->off))) {
		cs->done = 1;
		return 1;
	}
	/* the first byte that is not CR/LF; bytes past n read as 0 */
#pragma unroll
	for (int k = 31; k >= 0; k--)
		if (w[k] != '\r' && w[k] != '\n')
			j = k;
	if (j < n) {
		cs->off += j;
		cs->done = 1;
		return 1;
	}
	cs->off += n;
	return 0;
}

/* The PROXY protocol (HAProxy's specification): a load balancer announces
 * the client it relays before the client's first byte, and a server set to
 * expect it (nginx `listen ... proxy_protocol`) reads past it. Version 1 is
 * "PROXY " and text to the first CRLF (nginx reads that far); version 2
 * a 16-byte binary header (12-byte signature, version 2 and a command,
 * family, 16-bit length) and that many bytes of addresses and TLVs. */
#define SW_PP_MAX 1024 /* nginx's default client_header_buffer_size */

/* The length of the PROXY header the call's bytes start with: 0 when
 * there is none; more than len when the call holds only part of it. In
 * the BPF objects a global function: its result reaches
 * the caller as one unknown number, not as one verifier state per length
 * the CRLF search could find. A "PROXY " line with no CRLF within
 * SW_PP_MAX bytes is no header. */
#ifdef SW_CLASSIFY_GLOBAL
__noinline __u32 pp_len(__u64 ubuf, __u32 len)
#else
static __always_inline __u32 pp_len(__u64 ubuf, __u32 len)
#endif
{
	/* one 8-byte word on the stack: this function is the deepest of
	 * its call chain, under BPF's 512-byte stack */
	__u32 lim = len < SW_PP_MAX ? len : SW_PP_MAX;
	__u64 w = 0;
	__u8 prev = 0;

	if (!ubuf || !len ||
	    bpf_probe_read_user(&w, len < 8 ? (len & 7) : 8, (const void *)ubuf))
		return 0;
	/* little-endian: byte i is w >> 8 * i */
	if (len >= 16 && w == 0x510a0d000a0d0a0dull) {
		/* "\r\n\r\n\0\r\nQ", then "UIT\n", version 2 and the length */
		if (bpf_probe_read_user(&w, 8, (const void *)(ubuf + 8)) ||
		    (w & 0xffffffffull) != 0x0a544955ull || ((w >> 32) & 0xf0) != 0x20)
			return 0;
		return 16 + (__u32)((w >> 48) & 0xff) * 256 + (__u32)(w >> 56);
	}
	if (len < 6 || (w & 0xffffffffffffull) != 0x2059584f5250ull) /* "PROXY " */
		return 0;
	/* the first CRLF, 8 bytes at a time: nginx reads a v1 header to it
	 * ("PROXY UNKNOWN" skips anything before it) */
	for (__u32 off = 6; off < SW_PP_MAX; off += 8) {
		__u32 n = lim > off ? lim - off : 0;

		if (n > 8)
			n = 8;
		barrier_var(n); /* the bound below is the one the verifier sees */
		if (n == 0 || n > 8)
			break;
		w = 0;
		if (bpf_probe_read_user(&w, n, (const void *)(ubuf + off)))
			return 0;
#pragma unroll
		for (__u32 k = 0; k < 8; k++) {
			__u8 b = (__u8)(w >> (8 * k));

			if (k < n && b == '\n' && prev == '\r')
				return off + k + 1;
			prev = b;
		}
	}
	return len < SW_PP_MAX ? len + 1 : 0;
}

/* Decide the role of a connection from the bytes of one call. A read too
 * short to hold a method (a client dribbling bytes) is judged by its first
 * byte alone; user space copes with whatever follows. Sets role, proto and
 * why; SW_ROLE_UNKNOWN means "look again at the next call". */
static __always_inline void classify(struct sw_conn_state *st, const void *ubuf,
				     __u32 len, int dir)
{
	struct crlf_scan cs = { .ubuf = (__u64)ubuf, .len = len };
	__u8 head[32] = {};
	__u32 n, skip, pskip;
	int g;

	st->role = SW_ROLE_IGNORE;
	st->why = SW_WHY_GARBAGE;
	if (!ubuf || len == 0)
		return;
	/* a PROXY header: what follows it is classified; a call holding
	 * only (part of) the header is taken for HTTP/1 at once, so the
	 * decoder gets the header and decides once the rest comes */
	pskip = pp_len((__u64)ubuf, len);
	if (pskip) {
		cls_count(SW_CNT_PROXY_HDR, 1);
		if (pskip >= len) {
			g = SW_GUESS_HTTP1;
			skip = 0;
			goto decided;
		}
		cs.off = pskip;
	}
	bpf_loop(SW_CLASSIFY_SKIP / 32, crlf_step, &cs, 0);
	skip = cs.off;
	if (skip >= len) {
		if (pskip) {
			g = SW_GUESS_HTTP1; /* the header, then empty lines */
			skip -= pskip;
			goto decided;
		}
		st->role = SW_ROLE_UNKNOWN; /* only empty lines so far */
		st->why = SW_WHY_CRLF;
		return;
	}
	if (!cs.done && skip >= SW_CLASSIFY_SKIP + pskip) {
		/* More CR/LF than we look past in one call, and more bytes
		 * behind them: only an HTTP/1 request follows empty lines. */
		g = SW_GUESS_HTTP1;
		skip -= pskip;
		goto decided;
	}
	len -= skip;
	n = len < sizeof(head) ? len : sizeof(head);
	if (bpf_probe_read_user(head, n & 31 ? n & 31 : 32, (const __u8 *)ubuf + skip))
		return;
	/* from here skip counts only the CR/LF (a PROXY header is no CR/LF) */
	skip -= pskip;
	if (skip == 0 && head[0] == 0x16 && head[1] == 0x03 && len >= 3 && head[2] <= 0x04) {
		st->why = SW_WHY_TLS; /* a TLS handshake record */
		return;
	}
	if (len < 5) {
		switch (head[0]) {
		case 'G': case 'P': case 'H': case 'D': case 'O': case 'C': case 'T':
			g = SW_GUESS_HTTP1;
			break;
		default:
			return;
		}
		if (head[0] == 'H' && len > 1 && head[1] == 'T')
			dir = !dir; /* "HT..." is a response: the sender serves */
	} else {
		g = is_method(head);
		if (g && skip)
			g = SW_GUESS_HTTP1; /* the HTTP/2 preface only counts at byte 0 */
		if (!g && skip) {
			if (!is_response(head))
				return;
			g = SW_GUESS_HTTP1;
			dir = !dir;
		} else if (!g && is_h2_settings(head, len)) {
			/* An HTTP/2 server speaks first: its SETTINGS frame may
			 * cross before the client's preface is read. */
			g = SW_GUESS_HTTP2;
			dir = !dir;
		} else if (!g && is_response(head)) {
			/* Joined mid-connection: whoever sends responses serves. */
			g = SW_GUESS_HTTP1;
			dir = !dir;
		} else if (!g) {
			int h = h2_mid_headers(head, len);

			/* Joined an HTTP/2 connection mid-stream. */
			if (h) {
				g = SW_GUESS_HTTP2_MID;
				if (h == 2)
					dir = !dir;
			} else if (h2_frame_like(head, len)) {
				st->role = SW_ROLE_UNKNOWN; /* wait for a HEADERS */
				st->why = SW_WHY_H2_FRAMES;
				return;
			}
		}
		if (!g) {
			/* Not recognisable: look again at the next calls, as a
			 * lenient server might still find a request. */
			st->role = SW_ROLE_UNKNOWN;
			return;
		}
	}
decided:
	if (skip)
		cls_count(SW_CNT_SKIPPED_CRLF, skip);
	st->proto = g;
	st->why = SW_WHY_NONE;
	st->role = dir == SW_DIR_RECV ? SW_ROLE_SERVER : SW_ROLE_CLIENT;
}

/* Ports that serve HTTP (map sw_http_ports). */
static __always_inline void cls_note_port(__u32 netns, __u16 port)
{
	struct sw_port_key k = { .netns = netns, .port = port };
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&sw_http_ports, &k))
		bpf_map_update_elem(&sw_http_ports, &k, &one, BPF_ANY);
}

static __always_inline int cls_port_serves_http(__u32 netns, __u16 port)
{
	struct sw_port_key k = { .netns = netns, .port = port };

	return bpf_map_lookup_elem(&sw_http_ports, &k) != NULL;
}

/* What classify_call decided. */
enum cls_result {
	CLS_WAIT = 0,    /* still unknown: look again at the next call */
	CLS_FIRST = 1,   /* an API connection from this call on */
	CLS_SUSPECT = 2, /* an API connection from this call on, after bytes
			  * st->why names (garbage, or only CR/LF past the
			  * bounds): report them */
	CLS_GAVEUP = 3,  /* not an API, or given up (report if st->why says so) */
};

/* Classify st (new: all zero, or still SW_ROLE_UNKNOWN) from one call's
 * bytes. A connection still unknown after SW_CLASSIFY_TRIES calls or
 * SW_CLASSIFY_BYTES bytes is given up (counted by reason), except one that
 * sent only CR/LF: a server skipping them would still serve what follows,
 * so it is taken for HTTP/1. Garbage stays the reason once seen: a request
 * (or the server's answer, nginx's 400) after it is decoded, and the
 * garbage reported. The caller reports CLS_SUSPECT, and CLS_GAVEUP with why
 * GARBAGE or H2_FRAMES, when the port serves HTTP. */
#ifdef SW_CLASSIFY_GLOBAL
/* A global function: the verifier checks it once, on its own, instead of
 * inside every path of every caller (the socket programs sit near the
 * verifier's instruction budget). */
__noinline int classify_call(struct sw_conn_state *st, __u64 ubuf, __u32 len, int dir)
#else
static __always_inline int classify_call(struct sw_conn_state *st, __u64 ubuf,
					 __u32 len, int dir)
#endif
{
	int again, garbage;

	if (!st)
		return CLS_GAVEUP;
	again = st->tries > 0;
	garbage = st->why == SW_WHY_GARBAGE;
	classify(st, (const void *)ubuf, len, dir);
	if (st->role == SW_ROLE_IGNORE && st->why == SW_WHY_TLS) {
		cls_count(SW_CNT_GIVEUP_TLS, 1);
		return CLS_GAVEUP;
	}
	if (st->role != SW_ROLE_UNKNOWN && st->role != SW_ROLE_IGNORE) {
		if (again)
			cls_count(SW_CNT_CLASSIFY_LATE, 1);
		if (!garbage)
			return CLS_FIRST;
		st->why = SW_WHY_GARBAGE;
		return CLS_SUSPECT;
	}
	if (garbage)
		st->why = SW_WHY_GARBAGE;
	st->role = SW_ROLE_UNKNOWN; /* garbage too: look again (bounded) */
	st->looked = st->looked + len < st->looked ? 0xffffffff : st->looked + len;
	if (st->tries < 255)
		st->tries++;
	if (st->tries <= SW_CLASSIFY_TRIES && st->looked <= SW_CLASSIFY_BYTES)
		return CLS_WAIT;
	if (st->why == SW_WHY_CRLF) {
		cls_count(SW_CNT_CRLF_FLOOD, 1);
		st->proto = SW_GUESS_HTTP1;
		st->role = dir == SW_DIR_RECV ? SW_ROLE_SERVER : SW_ROLE_CLIENT;
		return CLS_SUSPECT;
	}
	cls_count(st->why == SW_WHY_H2_FRAMES ? SW_CNT_GIVEUP_H2 : SW_CNT_GIVEUP_GARBAGE, 1);
	cls_count(SW_CNT_GIVEUP_BYTES, st->looked);
	st->role = SW_ROLE_IGNORE;
	return CLS_GAVEUP;
}

#endif /* SW_CLASSIFY_H */
