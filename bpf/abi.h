/* abi.h - the one header shared by the kernel programs and user space.
 * Plain fixed-width structs and limits only; user space pins each layout with
 * _Static_assert. Addresses are in network order, ports in host order.
 */
#ifndef SW_ABI_H
#define SW_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Bytes copied per ring buffer record; larger I/O is sent as several. */
#ifndef SW_CHUNK
#define SW_CHUNK 4096
#endif
/* Records per call and iovec segments per call. Beyond them the rest of
 * the call is reported as a gap (counted, never silent). */
#ifndef SW_MAX_CHUNKS
#define SW_MAX_CHUNKS 64
#endif
#ifndef SW_MAX_IOV
#define SW_MAX_IOV 64
#endif
/* TLS plaintext streams the kernel side tracks at once (LRU, sw_conns). */
#ifndef SW_MAX_CONNS
#define SW_MAX_CONNS 65536
#endif
#ifndef SW_RINGBUF_BYTES
#define SW_RINGBUF_BYTES (32 * 1024 * 1024)
#endif
/* The collector polls the ring at least this often; records wake it early
 * only when more than SW_WAKE_BYTES wait. Bounds detection delay. */
#ifndef SW_POLL_MS
#define SW_POLL_MS 2
#endif
#ifndef SW_WAKE_GAP_NS
#define SW_WAKE_GAP_NS (250 * 1000)
#endif
#ifndef SW_WAKE_BYTES
#define SW_WAKE_BYTES (256 * 1024)
#endif
/* A connection whose first bytes are not recognisable (garbage, HTTP/2
 * frames of a connection joined late, only empty lines so far) is looked at
 * again at each call, for at most SW_CLASSIFY_TRIES calls and
 * SW_CLASSIFY_BYTES bytes, before it is given up (counted, and reported to
 * user space when it reached a port known to serve HTTP). */
#ifndef SW_CLASSIFY_TRIES
#define SW_CLASSIFY_TRIES 64
#endif
#ifndef SW_CLASSIFY_BYTES
#define SW_CLASSIFY_BYTES (64 * 1024)
#endif
/* CR and LF looked past in one call before a request line (RFC 9112 2.2;
 * nginx skips any number of them, reading at most client_header_buffer_size,
 * 1 KiB, per call while it does). A longer run in one call is taken for
 * HTTP/1 rather than lose the request behind it. Multiple of 32. */
#ifndef SW_CLASSIFY_SKIP
#define SW_CLASSIFY_SKIP 1024
#endif
/* Ports that served HTTP, remembered to tell garbage sent to an HTTP server
 * from other protocols (LRU map sw_http_ports). */
#ifndef SW_MAX_HTTP_PORTS
#define SW_MAX_HTTP_PORTS 4096
#endif
#define SW_COMM_LEN 16
/* Response bytes skipped on the collector's word (map sw_skip): a response
 * body is needed only up to the prefix the decoders keep; past it the
 * collector names the stream range [from, to) the rest of the body fills,
 * and those bytes are counted, not copied. A response call starting less
 * than SW_RESP_PREFIX bytes after the response began never looks the range
 * up (it cannot be in one): small answers pay nothing. */
#ifndef SW_RESP_PREFIX
#define SW_RESP_PREFIX 4096
#endif
#ifndef SW_MAX_SKIPS
#define SW_MAX_SKIPS 16384
#endif

/* struct sw_event.type */
enum sw_event_type {
	SW_EV_DATA = 1,  /* bytes copied from the user buffer follow */
	SW_EV_GAP = 2,   /* len bytes crossed the socket but were not copied */
	SW_EV_CLOSE = 3, /* the connection reached TCP_CLOSE */
	SW_EV_UNCLASSIFIED = 4, /* on a port that serves HTTP, a connection
				 * given up, or decoded only after garbage or
				 * a CR/LF flood: len is the bytes looked at
				 * meanwhile, pad[0] the enum sw_why */
};

/* struct sw_event.dir: seen from the socket that made the call */
enum sw_dir {
	SW_DIR_RECV = 0,
	SW_DIR_SEND = 1,
};

/* struct sw_event.role and sw_conn_state.role: what the first bytes said */
enum sw_role {
	SW_ROLE_UNKNOWN = 0,
	SW_ROLE_SERVER = 1, /* this socket received a request first */
	SW_ROLE_CLIENT = 2, /* this socket sent a request first */
	SW_ROLE_IGNORE = 3, /* not an API protocol: stop copying */
};

/* struct sw_event.proto: in-kernel protocol guess from the first bytes */
enum sw_proto_guess {
	SW_GUESS_NONE = 0,
	SW_GUESS_HTTP1 = 1,
	SW_GUESS_HTTP2 = 2, /* client preface "PRI * HTTP/2.0" */
	SW_GUESS_HTTP2_MID = 3, /* a HEADERS frame on a connection we joined late */
	SW_GUESS_TLS = 4, /* role IGNORE: ciphertext counted in sw_tls_cipher */
};

/* struct sw_event.flags */
#define SW_F_TRUNC    (1u << 0) /* the call carried more than was copied */
#define SW_F_FIRST    (1u << 1) /* first record of this connection */
#define SW_F_SENDFILE (1u << 2) /* gap from sendfile/splice: no user buffer */
#define SW_F_NOBUF    (1u << 3) /* gap: the syscall buffer was unknown */
#define SW_F_TLS      (1u << 4) /* plaintext from the TLS library */
#define SW_F_SKIP     (1u << 5) /* gap: bytes skipped on the collector's
				 * word (sw_skip), the last call of a range */

/* Ring buffer record header; for SW_EV_DATA, len bytes of data follow. */
struct sw_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns() at the copy */
	__u64 cookie;     /* socket cookie: the connection's identity */
	__u64 cgroup_id;
	__u64 seq;        /* stream offset of the first byte, per direction */
	__u32 tgid;
	__u32 pid;        /* thread id */
	__u32 fd;
	__u32 netns;      /* network namespace inode */
	__u32 len;        /* bytes of data (DATA) or bytes missed (GAP) */
	__u16 sport;      /* local port */
	__u16 dport;      /* remote port */
	__u8 saddr[16];   /* local address; IPv4 in the first 4 bytes */
	__u8 daddr[16];   /* remote address */
	__u8 type;        /* enum sw_event_type */
	__u8 dir;         /* enum sw_dir */
	__u8 role;        /* enum sw_role */
	__u8 proto;       /* enum sw_proto_guess */
	__u8 family;      /* AF_INET / AF_INET6 */
	__u8 flags;       /* SW_F_* */
	__u8 pad[2];
	char comm[SW_COMM_LEN];
};

/* Why a connection is not (yet) classified: sw_conn_state.why,
 * sw_event.pad[0] of SW_EV_UNCLASSIFIED. */
enum sw_why {
	SW_WHY_NONE = 0,
	SW_WHY_CRLF = 1,      /* only CR/LF so far: a request may follow */
	SW_WHY_GARBAGE = 2,   /* bytes no HTTP server would serve */
	SW_WHY_H2_FRAMES = 3, /* HTTP/2 frames of a connection joined late */
	SW_WHY_TLS = 4,       /* a TLS record: ciphertext, never HTTP here */
};

/* Kernel-side state per stream: a TCP socket's bytes (socket storage
 * sw_sk) or the TLS plaintext over it (map sw_conns, key: socket cookie |
 * SW_TLS_COOKIE_BIT). */
struct sw_conn_state {
	__u64 seq[2];     /* bytes seen per enum sw_dir */
	__u64 first_ns;
	__u8 role;        /* enum sw_role */
	__u8 proto;       /* enum sw_proto_guess */
	__u8 tries;       /* calls looked at while SW_ROLE_UNKNOWN */
	__u8 why;         /* enum sw_why while (or since) unclassified */
	__u32 looked;     /* bytes looked at while SW_ROLE_UNKNOWN */
};

/* Value of map sw_skip (key: socket cookie): response stream offsets
 * [from, to) the collector does not need copied (the body of a response
 * past its prefix, as the decoder framed it). from = to = ~0: nothing to
 * skip, and no early wakeup for this connection's large responses (it
 * switched protocols). */
struct sw_skip {
	__u64 from;
	__u64 to;
};

/* Key of map sw_http_ports: a local port that received an HTTP request. */
struct sw_port_key {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

/* Counter indices in the per-CPU map sw_counters. */
enum sw_counter {
	SW_CNT_EVENTS = 0,       /* records submitted */
	SW_CNT_BYTES_COPIED,     /* payload bytes copied */
	SW_CNT_BYTES_GAP,        /* payload bytes reported as gaps */
	SW_CNT_RB_FULL,          /* records lost: ring buffer full */
	SW_CNT_READ_FAIL,        /* bpf_probe_read_user failed: sent as gap */
	SW_CNT_CONN_FULL,        /* connection state could not be stored */
	SW_CNT_IGNORED_BYTES,    /* bytes of non-API connections, not copied */
	SW_CNT_NOARGS,           /* socket I/O with no syscall args (in-kernel senders) */
	SW_CNT_TRUNC_CALLS,      /* calls larger than the copy budget */
	SW_CNT_CLASSIFY_LATE,    /* connections classified after skipping CR/LF or
				  * after calls that were not recognisable */
	SW_CNT_SKIPPED_CRLF,     /* CR/LF bytes looked past before a request line */
	SW_CNT_CRLF_FLOOD,       /* connections past the bounds with only CR/LF:
				  * taken for HTTP/1 (reported) */
	SW_CNT_GIVEUP_GARBAGE,   /* connections given up: unrecognisable bytes */
	SW_CNT_GIVEUP_H2,        /* given up: HTTP/2 frames, never a HEADERS */
	SW_CNT_GIVEUP_TLS,       /* ignored at once: a TLS record (ciphertext) */
	SW_CNT_GIVEUP_BYTES,     /* bytes looked at by the connections given up */
	SW_CNT_UNCLASSIFIED_HTTP, /* given up on a port known to serve HTTP:
				   * reported to user space */
	SW_CNT_URING_CALLS,      /* socket I/O done by io_uring (no user buffer
				  * we can name): not copied */
	SW_CNT_URING_BYTES,      /* their bytes */
	SW_CNT_PROXY_HDR,        /* connections opening with a PROXY protocol
				  * header (v1 or v2): looked past */
	SW_CNT_SKIPPED_BYTES,    /* response bytes counted, not copied (sw_skip) */
	SW_CNT_SKIPPED_CALLS,    /* calls that skipped all or part of their bytes */
	SW_CNT_SKIP_WAKES,       /* early wakeups: a large response, no range yet */
	SW_CNT__MAX,
};

/* ---- enforcement (enforce.bpf.c) ---------------------------------------- */

/* Blocked and allowlisted sources (maps sw_block, sw_allow: LPM tries) and
 * prefixes whose open connections are cut (sw_kill_pfx). One trie holds
 * both families: IPv4 a.b.c.d/n is stored as the IPv4-mapped IPv6 address
 * ::ffff:a.b.c.d/(96+n), so the kernel looks up every packet the same way. */
#ifndef SW_MAX_BLOCKS
#define SW_MAX_BLOCKS 65536
#endif
#ifndef SW_MAX_ALLOWS
#define SW_MAX_ALLOWS 16384
#endif
/* Targets of one kill iteration (cookies, tuples, prefixes). */
#ifndef SW_MAX_KILL_TARGETS
#define SW_MAX_KILL_TARGETS 1024
#endif

struct sw_block_key {
	__u32 prefixlen;  /* 0..128, of addr */
	__u8 addr[16];    /* IPv6, or IPv4-mapped IPv6 (::ffff:a.b.c.d) */
};

struct sw_block_val {
	__u64 expires_ns; /* bpf_ktime_get_ns() clock; 0 = never */
	__u32 rule_id;
	__u16 prefixlen;  /* the entry's own key prefixlen, so the kernel can
			   * delete an expired entry it found by lookup */
	__u16 flags;      /* reserved, 0 */
};

/* One socket as its owner sees it (map sw_kill_tuples). Addresses as in
 * struct sw_event: IPv4 in the first 4 bytes, the rest zero. */
struct sw_kill_tuple {
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport;      /* host order */
	__u16 rport;      /* host order */
	__u8 family;      /* AF_INET / AF_INET6 */
	__u8 pad[3];
};

/* struct sw_kill_rec.why: which target matched */
#define SW_KILL_COOKIE (1u << 0)
#define SW_KILL_TUPLE  (1u << 1)
#define SW_KILL_PREFIX (1u << 2)
#define SW_KILL_PEER   (1u << 3) /* the loopback peer (swapped tuple) */

/* Values in sw_kill_tuples */
#define SW_KILL_T_PRIMARY 1 /* the named socket */
#define SW_KILL_T_PEER    2 /* its local peer, if the connection is loopback */

/* Written by the kill iterator to its seq file, one per destroyed socket. */
struct sw_kill_rec {
	__u64 cookie;
	__u64 ts_ns;      /* bpf_ktime_get_ns() right after bpf_sock_destroy */
	__s32 ret;        /* bpf_sock_destroy's return */
	__u8 state;       /* TCP state before */
	__u8 why;         /* SW_KILL_* */
	__u8 pad[2];
};

/* Counter indices in the per-CPU map sw_enf_counters. */
enum sw_enf_counter {
	SW_ENF_PASSED = 0,   /* packets not matching an unexpired block */
	SW_ENF_DROPPED,      /* packets dropped: source blocked */
	SW_ENF_EXPIRED,      /* lookups that found an expired entry (deleted) */
	SW_ENF_ALLOWED,      /* blocked sources passed by the allowlist */
	SW_ENF_UNPARSED,     /* IP packets whose source could not be read */
	SW_ENF__MAX,
};

/* ---- TLS plaintext (tls.bpf.c: uprobes on OpenSSL) ------------------------
 * The plaintext of a TLS connection is a stream of its own beside the
 * ciphertext of the same socket: its sw_conns key and sw_event.cookie are the
 * socket cookie with this bit set (kernel cookies never reach bit 63). */
#define SW_TLS_COOKIE_BIT (1ull << 63)
/* SSL objects remembered per process (map sw_tls_ssl). */
#ifndef SW_TLS_MAX_SSL
#define SW_TLS_MAX_SSL 65536
#endif

/* The socket a TLS call used, as the socket hook saw it. */
struct sw_tls_sock {
	__u64 cookie;     /* socket cookie (without SW_TLS_COOKIE_BIT) */
	__u32 netns;
	__u32 fd;
	__u16 sport;      /* local port */
	__u16 dport;      /* remote port */
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 family;
	__u8 how;         /* enum sw_tls_how: how the socket was learned */
	__u8 seen;        /* SW_TLS_HOW_THREAD: reads that agreed (max 255);
			   * 0: guessed by a write, no read yet */
	__u8 pad;
};

/* struct sw_tls_sock.how */
enum sw_tls_how {
	SW_TLS_HOW_SOCKET = 0, /* the SSL call itself did I/O on the socket */
	SW_TLS_HOW_THREAD = 1, /* memory BIO: the calling thread's last socket */
};

/* ---- memory BIOs (gRPC core and others) ------------------------------------
 * An SSL object on a memory BIO (BIO pair) never touches a socket: the
 * application moves the ciphertext between the BIO and the socket itself.
 * gRPC core does it on one thread, back to back: recvmsg(socket) ->
 * BIO_write -> SSL_read, and SSL_write -> BIO_read -> sendmsg(socket). So
 * capture.bpf.c keeps, per thread (task storage sw_thread), the socket
 * the thread last received from and sent to, and tls.bpf.c ties such an SSL
 * object to the socket its thread has just read ciphertext from. */
#ifndef SW_TLS_LAST_NS
#define SW_TLS_LAST_NS (250ull * 1000 * 1000) /* older last sockets: no guess */
#endif
/* Agreeing observations after which a learned mapping is trusted over a
 * single disagreeing one. */
#define SW_TLS_SEEN_SURE 2

/* One thread's SSL call in progress (struct sw_thread.call). Written by
 * tls.bpf.c's entry probes, completed with the socket by capture.bpf.c when
 * the call does socket I/O, consumed by the return probe. */
struct sw_tls_call {
	__u64 ssl;        /* SSL * in the caller's address space */
	__u64 buf;        /* the caller's plaintext buffer */
	__u64 exptr;      /* SSL_*_ex: size_t *readbytes / *written */
	__u32 num;        /* bytes asked for */
	__u8 dir;         /* enum sw_dir: SSL_read* RECV, SSL_write* SEND */
	__u8 is_ex;       /* SSL_read_ex / SSL_write_ex */
	__u8 has_sock;    /* sock below is filled */
	__u8 active;      /* the thread is inside this call */
	struct sw_tls_sock sock;
};

/* Per thread (map sw_thread, task storage; freed with the thread, so no
 * thread id is ever mistaken for a dead one's):
 *  - sk/cookie/ts_ns: the last TCP socket it received from / sent to,
 *    indexed by enum sw_dir. sk is the kernel's struct sock *, only ever
 *    read with bpf_probe_read_kernel and believed only while its sk_cookie
 *    still equals cookie. cookie 0: the last call of that direction was on
 *    a socket that is not TCP (no guess).
 *  - call: the SSL call it is inside, if call.active. The socket hooks look
 *    here on every TCP call: a task-local pointer walk, where a hash keyed
 *    by thread id cost a lookup per call and an insert and a delete per SSL
 *    call. */
struct sw_thread {
	__u64 sk[2];
	__u64 cookie[2];
	__u64 ts_ns[2];
	struct sw_tls_call call;
};

/* Key of map sw_tls_ssl: an SSL object of one process. */
struct sw_tls_ssl_key {
	__u64 ssl;
	__u32 tgid;
	__u32 pad;
};

/* Processes whose SSL calls could not be tied to a socket (map
 * sw_tls_nosock, key: tgid): memory-BIO calls with no recent socket on
 * their thread or a contradicted mapping, or the first call of a
 * connection satisfied before we attached. */
struct sw_tls_nosock {
	__u64 calls;
	__u64 bytes;
	char comm[SW_COMM_LEN];
};

/* Ciphertext that crossed a socket outside any probed SSL call, per
 * process (map sw_tls_cipher, LRU hash keyed by tgid; written by
 * capture.bpf.c, read and pruned of dead processes by tls.c): connections
 * whose first record was received (TLS servers; those that sent it too
 * with copy_client), and their bytes no SSL call carried. For a process
 * whose OpenSSL is probed that is its handshakes; for one whose TLS we
 * cannot see (Go, a stripped static build, another library) it is all its
 * TLS traffic - user space tells the two apart by the process's coverage. */
#ifndef SW_TLS_MAX_CIPHER
#define SW_TLS_MAX_CIPHER 4096
#endif
struct sw_tls_cipher {
	__u64 conns;
	__u64 bytes;
	char comm[SW_COMM_LEN];
};

/* Counter indices in the per-CPU map sw_tls_counters. */
enum sw_tls_counter {
	SW_TLS_CNT_CALLS = 0,     /* SSL calls that returned data */
	SW_TLS_CNT_BYTES,         /* plaintext bytes those calls carried */
	SW_TLS_CNT_NOSOCK,        /* calls with no known socket: not copied */
	SW_TLS_CNT_NOSOCK_BYTES,  /* their bytes */
	SW_TLS_CNT_CALL_FULL,     /* no per-thread state (sw_thread): call not followed */
	SW_TLS_CNT_IGNORED_BYTES, /* plaintext of non-API or client streams */
	/* memory BIOs: see struct sw_thread */
	SW_TLS_CNT_MEM_MAPPED,    /* SSL objects tied to their thread's last recv socket */
	SW_TLS_CNT_MEM_CALLS,     /* memory-BIO calls copied to a connection */
	SW_TLS_CNT_MEM_WRITE_GUESS, /* writes before any mapping: sent on the thread's last socket */
	SW_TLS_CNT_MEM_GUESS_WRONG, /* guesses a later read proved wrong */
	SW_TLS_CNT_MEM_CONFLICT,  /* read whose socket contradicts a one-time mapping: not copied */
	SW_TLS_CNT_MEM_DISAGREE,  /* read whose thread socket differs from a sure mapping: mapping kept */
	SW_TLS_CNT_MEM_FREED,     /* mappings dropped by SSL_free */
	SW_TLS_CNT__MAX,
};

#endif /* SW_ABI_H */
