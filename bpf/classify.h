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

/* Decide the role of a new connection from its first bytes. A first read
 * shorter than a method (a client dribbling bytes) is judged by its first
 * byte alone; user space copes with whatever follows. */
static __always_inline void classify(struct sw_conn_state *st, const void *ubuf,
				     __u32 len, int dir)
{
	__u8 head[16] = {};
	__u32 n = len < sizeof(head) ? len : sizeof(head);
	int g;

	st->role = SW_ROLE_IGNORE;
	if (!ubuf || n == 0 || bpf_probe_read_user(head, n & 15 ? n & 15 : 16, ubuf))
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
		}
		if (!g)
			return;
	}
	st->proto = g;
	st->role = dir == SW_DIR_RECV ? SW_ROLE_SERVER : SW_ROLE_CLIENT;
}

#endif /* SW_CLASSIFY_H */
