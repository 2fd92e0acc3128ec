/* classify.h - decide a new connection's role from its first bytes.
 * Shared by capture.bpf.c (socket bytes) and tls.bpf.c (TLS plaintext), so
 * both streams are judged by the same rule. Include after vmlinux.h,
 * bpf_helpers.h and abi.h.
 */
#ifndef SW_CLASSIFY_H
#define SW_CLASSIFY_H

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

/* Decide the role of a new connection from its first bytes. A first read
 * shorter than a method (a client dribbling bytes) is judged by its first
 * byte alone; user space copes with whatever follows. */
static __always_inline void classify(struct sw_conn_state *st, const void *ubuf,
				     __u32 len, int dir)
{
	__u8 head[32] = {};
	__u32 n = len < sizeof(head) ? len : sizeof(head);
	int g;

	st->role = SW_ROLE_IGNORE;
	if (!ubuf || n == 0 || bpf_probe_read_user(head, n & 31 ? n & 31 : 32, ubuf))
		return;
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
		if (!g && is_h2_settings(head, len)) {
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
				return;
			}
		}
		if (!g)
			return;
	}
	st->proto = g;
	st->role = dir == SW_DIR_RECV ? SW_ROLE_SERVER : SW_ROLE_CLIENT;
}

#endif /* SW_CLASSIFY_H */
