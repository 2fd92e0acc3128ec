// SPDX-License-Identifier: GPL-2.0
/* capture.bpf.c - copy the bytes that processes read from and write to TCP
 * sockets, never touching them.
 *
 * Only stable hooks: sock:sock_{send,recv}_length (tp_btf) fire inside a
 * socket call with the struct sock once the bytes have crossed; the user
 * buffer is found from the syscall's saved user registers (no syscall
 * tracepoints: attaching those would put every syscall of every process on
 * the slow path). sock:inet_sock_set_state reports the close.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "abi.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define MSG_PEEK 2
#define TCP_CLOSE 7

char LICENSE[] SEC("license") = "GPL";

/* Set by the collector before load. */
const volatile __u32 self_tgid = 0;      /* never copy our own traffic */
const volatile __u32 netns_only = 0;     /* 0: every namespace; else its inode */
const volatile __u8 copy_client = 0;     /* also copy client-side sockets */

/* How the buffer of the current call is described. */
enum args_kind {
	ARGS_BUF = 1,  /* read/write/recvfrom/sendto: buf, count */
	ARGS_IOV = 2,  /* readv/writev: iovec array, count */
	ARGS_MSG = 3,  /* recvmsg/sendmsg: user_msghdr */
	ARGS_NONE = 4, /* sendfile/splice/mmsg: no buffer we copy */
};

struct call_args {
	__u64 ptr;
	__u32 cnt;
	__u32 fd;
	__u32 kind;
	__u32 uring;   /* io_uring moved the bytes: kind is 0 */
};

#include "maps.h"
#define SW_CLASSIFY_GLOBAL
#include "classify.h"


/* Twice a chunk so that [fill, fill + take) with fill < SW_CHUNK and
 * take <= SW_CHUNK is in bounds without the verifier relating the two. */
struct scratch {
	struct sw_event ev;
	__u8 data[2 * SW_CHUNK];
	/* wake the collector with the next record (skip_call's SKIP_WAKE);
	 * kept here, not on the stack, so it is one unknown value to the
	 * verifier rather than a state of its own on every path */
	__u32 wake;
};

/* sw_scratch: per-CPU staging for one record (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} sw_scratch SEC(".maps");

/* sw_sk: a TCP socket's state (role, stream offsets), kept on the socket
 * itself: a lookup is a walk of the socket's own short storage list, not a
 * hash of its cookie, and a socket already known not to be ours (the
 * client side of a loopback connection, when client sockets are not
 * copied) leaves after that one lookup. Freed with the socket; deleted at
 * TCP_CLOSE (on_state). The plaintext streams of TLS connections stay in
 * sw_conns (maps.h), keyed cookie | SW_TLS_COOKIE_BIT, shared with
 * tls.bpf.c. */
struct sk_state {
	struct sw_conn_state c;
	/* Who used the socket last, and their cgroup and thread name: read
	 * again only when another process uses it, so the records of a
	 * connection skip two helper calls each (on a socket shared by two
	 * processes in turn they are re-read at each change of process). */
	__u64 cgroup_id;
	__u32 tgid;
	__u32 pad;
	char comm[SW_COMM_LEN];
	/* A server socket's response stream offset when it last received
	 * request bytes (where its current response begins, or before), and
	 * the one it last woke the collector for (skip_look). */
	__u64 resp_mark;
	__u64 woke_mark;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sk_state);
} sw_sk SEC(".maps");

/* sw_tls_cipher: TLS ciphertext per process (abi.h). Written here, read
 * and pruned of dead processes by the collector's tls.c. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_TLS_MAX_CIPHER);
	__type(key, __u32);
	__type(value, struct sw_tls_cipher);
} sw_tls_cipher SEC(".maps");

/* Waking the collector for every record costs a context switch per record
 * under load; it polls every SW_POLL_MS anyway. Two cases wake it early: a
 * filling ring (the record that takes it past SW_WAKE_BYTES: maps.h), and
 * request bytes that
 * find the ring otherwise empty - the collector is idle, and a request is
 * what it must judge before the server answers. Under load the ring is
 * rarely empty, so wakeups stay rare. */
static __always_inline __u64 rb_flags(__u64 len)
{
	return sw_rb_wake_if_filling(bpf_ringbuf_query(&sw_rb, BPF_RB_AVAIL_DATA), len);
}

/* sw_wake: kernel time of the last early wakeup for request bytes; written
 * and read here only. One global slot: a race between CPUs at worst wakes
 * the collector twice. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sw_wake SEC(".maps");

static __always_inline __u64 rb_flags_data(const struct sw_event *ev, __u64 len)
{
	__u64 avail = bpf_ringbuf_query(&sw_rb, BPF_RB_AVAIL_DATA);
	int request = (ev->dir == SW_DIR_RECV) == (ev->role == SW_ROLE_SERVER);
	__u32 zero = 0;
	__u64 *last;

	if (avail + len > SW_WAKE_BYTES) /* woken once, by the crossing record */
		return sw_rb_wake_if_filling(avail, len);
	if (!request || avail != 0)
		return BPF_RB_NO_WAKEUP;
	/* At most one early wakeup per SW_WAKE_GAP_NS: an idle collector
	 * wakes for a request at once, a busy one is not woken per request. */
	last = bpf_map_lookup_elem(&sw_wake, &zero);
	if (!last || ev->ts_ns - *last < SW_WAKE_GAP_NS)
		return BPF_RB_NO_WAKEUP;
	*last = ev->ts_ns;
	return BPF_RB_FORCE_WAKEUP;
}

static __always_inline void count(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&sw_counters, &idx);

	if (v)
		*v += n;
}

static __always_inline void cipher_note(__u32 tgid, __u64 conns, __u64 bytes)
{
	struct sw_tls_cipher *v, fresh = {};

	v = bpf_map_lookup_elem(&sw_tls_cipher, &tgid);
	if (!v) {
		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
		bpf_map_update_elem(&sw_tls_cipher, &tgid, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&sw_tls_cipher, &tgid);
		if (!v)
			return;
	}
	__sync_fetch_and_add(&v->conns, conns);
	__sync_fetch_and_add(&v->bytes, bytes);
}

/* ---- which syscall are we in, and where is its buffer ------------------ */

#if defined(__TARGET_ARCH_x86)
#define NR_READ 0
#define NR_WRITE 1
#define NR_READV 19
#define NR_WRITEV 20
#define NR_SENDFILE 40
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define NR_SPLICE 275
#define NR_IO_URING_ENTER 426
#define REG_NR(r) ((r)->orig_ax)
#define REG_A0(r) ((r)->di)
#define REG_A1(r) ((r)->si)
#define REG_A2(r) ((r)->dx)
#elif defined(__TARGET_ARCH_arm64)
#define NR_READ 63
#define NR_WRITE 64
#define NR_READV 65
#define NR_WRITEV 66
#define NR_SENDFILE 71
#define NR_SENDTO 206
#define NR_RECVFROM 207
#define NR_SENDMSG 211
#define NR_RECVMSG 212
#define NR_SPLICE 76
#define NR_IO_URING_ENTER 426
#define REG_NR(r) ((r)->syscallno)
#define REG_A0(r) ((r)->orig_x0)
#define REG_A1(r) ((r)->regs[1])
#define REG_A2(r) ((r)->regs[2])
#else
#error "sidewatch capture: add this architecture's syscall numbers"
#endif

#define PF_IO_WORKER 0x00000010 /* include/linux/sched.h: io-wq and SQPOLL threads */

/* Does the task's descriptor fd name the socket sk? */
static __always_inline int fd_is_sock(struct task_struct *task, __u32 fd,
				      struct sock *sk)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (!fds || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return 0;
	return f && f == BPF_CORE_READ(sk, sk_socket, file);
}

/* The syscall the current task is in, from the user registers the kernel
 * saved at entry. In-kernel senders are in no such call: their bytes are
 * reported as gaps. Neither is io_uring, whose socket I/O runs in
 * io_uring_enter, in an io-wq/SQPOLL thread (registers zeroed), or in task
 * work run when another syscall of the task is interrupted or returns - with
 * that syscall's registers, naming another fd's buffer. A task that uses
 * io_uring (task->io_uring) therefore has its fd checked against sk (a few
 * loads; other tasks pay one). a->uring says the bytes are io_uring's. */
static __always_inline void syscall_args(struct call_args *a, struct sock *sk)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs;
	long nr;

	if (task->flags & PF_IO_WORKER) {
		a->uring = 1;
		return;
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!regs)
		return;
	nr = REG_NR(regs);
	a->fd = (__u32)REG_A0(regs);
	a->ptr = REG_A1(regs);
	a->cnt = (__u32)REG_A2(regs);
	switch (nr) {
	case NR_READ: case NR_WRITE: case NR_SENDTO: case NR_RECVFROM:
		a->kind = ARGS_BUF;
		break;
	case NR_READV: case NR_WRITEV:
		a->kind = ARGS_IOV;
		break;
	case NR_SENDMSG: case NR_RECVMSG:
		a->kind = ARGS_MSG;
		break;
	case NR_SENDFILE: case NR_SPLICE:
		a->kind = ARGS_NONE;
		break;
	default:
		a->kind = 0;
	}
	if (nr == NR_IO_URING_ENTER) {
		a->uring = 1;
	} else if (bpf_core_field_exists(task->io_uring) && BPF_CORE_READ(task, io_uring) &&
		   a->kind != ARGS_NONE && (!a->kind || !fd_is_sock(task, a->fd, sk))) {
		a->kind = 0;
		a->uring = 1;
	}
}

/* ---- socket I/O: classify, then copy ------------------------------------ */

static __always_inline void fill_tuple(struct sw_event *ev, const struct sock *sk)
{
	ev->family = sk->__sk_common.skc_family;
	ev->sport = sk->__sk_common.skc_num;
	ev->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (ev->family == AF_INET) {
		__u32 sa = sk->__sk_common.skc_rcv_saddr;
		__u32 da = sk->__sk_common.skc_daddr;

		__builtin_memset(ev->saddr, 0, 16);
		__builtin_memset(ev->daddr, 0, 16);
		__builtin_memcpy(ev->saddr, &sa, 4);
		__builtin_memcpy(ev->daddr, &da, 4);
	} else {
		bpf_probe_read_kernel(ev->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(ev->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* State of one call's copy, walked one step per bpf_loop iteration so the
 * verifier checks the step once instead of every unrolled iteration. Small
 * iovec segments are gathered into one record of up to SW_CHUNK bytes. */
struct copy_state {
	__u64 iovp;      /* user iovec array; 0 for a plain buffer */
	__u64 base;      /* current segment */
	__u64 seg_left;  /* bytes left in the current segment */
	__u32 iov_idx;
	__u32 iov_cnt;
	__u32 left;      /* bytes of the call not yet copied */
	__u32 copied;    /* bytes sent to the ring buffer */
	__u32 fill;      /* bytes gathered in the scratch record */
	__u32 failed;
};

static __always_inline void flush(struct copy_state *cs, struct scratch *s)
{
	__u32 n = cs->fill;

	if (n == 0 || n > SW_CHUNK)
		return;
	s->ev.type = SW_EV_DATA;
	s->ev.len = n;
	if (bpf_ringbuf_output(&sw_rb, s, sizeof(s->ev) + n,
			       s->wake ? BPF_RB_FORCE_WAKEUP :
			       rb_flags_data(&s->ev, sizeof(s->ev) + n))) {
		count(SW_CNT_RB_FULL, 1);
	} else {
		count(SW_CNT_EVENTS, 1);
		count(SW_CNT_BYTES_COPIED, n);
	}
	s->ev.flags &= ~SW_F_FIRST;
	s->ev.seq += n;
	cs->copied += n;
	cs->fill = 0;
	s->wake = 0;
}

static long copy_step(__u32 i, void *ctx)
{
	struct copy_state *cs = ctx;
	struct scratch *s;
	__u32 zero = 0, take, fill;

	s = bpf_map_lookup_elem(&sw_scratch, &zero);
	if (!s)
		return 1;
	if (!cs->left || cs->failed) {
		flush(cs, s);
		return 1;
	}
	if (!cs->seg_left) {
		struct iovec v;

		if (!cs->iovp || cs->iov_idx >= cs->iov_cnt ||
		    cs->iov_idx >= SW_MAX_IOV) {
			flush(cs, s);
			return 1;
		}
		if (bpf_probe_read_user(&v, sizeof(v),
					(void *)(cs->iovp + cs->iov_idx * sizeof(v)))) {
			count(SW_CNT_READ_FAIL, 1);
			flush(cs, s);
			return 1;
		}
		cs->iov_idx++;
		cs->base = (__u64)v.iov_base;
		cs->seg_left = v.iov_len;
		return 0;
	}

	fill = cs->fill;
	if (fill >= SW_CHUNK)
		return 1;
	take = cs->left;
	if (cs->seg_left < take)
		take = (__u32)cs->seg_left;
	if (take > SW_CHUNK - fill)
		take = SW_CHUNK - fill;
	if (take == 0 || take > SW_CHUNK)
		return 1;
	if (bpf_probe_read_user(s->data + fill, take, (void *)cs->base)) {
		count(SW_CNT_READ_FAIL, 1);
		cs->failed = 1;
		flush(cs, s);
		return 1;
	}
	cs->fill = fill + take;
	cs->base += take;
	cs->seg_left -= take;
	cs->left -= take;
	if (cs->fill >= SW_CHUNK || !cs->left)
		flush(cs, s);
	return 0;
}

static __always_inline void emit_gap(struct scratch *s, __u32 len, __u8 why)
{
	struct sw_event *ev = &s->ev;

	ev->type = SW_EV_GAP;
	ev->len = len;
	ev->flags |= why;
	if (bpf_ringbuf_output(&sw_rb, ev, sizeof(*ev), rb_flags(sizeof(*ev))))
		count(SW_CNT_RB_FULL, 1);
	else
		count(SW_CNT_EVENTS, 1);
	if (!(why & SW_F_SKIP)) /* skipped bytes have their own counter */
		count(SW_CNT_BYTES_GAP, len);
}

#include "skip.h"

/* This thread is inside SSL_read/SSL_write: the socket bytes are the
 * ciphertext of the plaintext tls.bpf.c copies at the call's return. Tell
 * it which socket this is, and never copy the ciphertext itself. */
static __always_inline void tls_note(struct sw_tls_call *tc, struct sock *sk,
				     __u64 cookie)
{
	struct sw_tls_sock *ts = &tc->sock;
	struct call_args args = {};

	if (tc->has_sock && ts->cookie == cookie)
		return;
	syscall_args(&args, sk);
	ts->cookie = cookie;
	ts->fd = args.fd;
	ts->netns = sk->__sk_common.skc_net.net->ns.inum;
	ts->family = sk->__sk_common.skc_family;
	ts->sport = sk->__sk_common.skc_num;
	ts->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	ts->how = SW_TLS_HOW_SOCKET;
	ts->seen = 0;
	if (ts->family == AF_INET) {
		__u32 sa = sk->__sk_common.skc_rcv_saddr;
		__u32 da = sk->__sk_common.skc_daddr;

		__builtin_memset(ts->saddr, 0, 16);
		__builtin_memset(ts->daddr, 0, 16);
		__builtin_memcpy(ts->saddr, &sa, 4);
		__builtin_memcpy(ts->daddr, &da, 4);
	} else {
		bpf_probe_read_kernel(ts->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(ts->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	tc->has_sock = 1;
}

/* Remember this thread's socket for this direction (sw_thread, see abi.h):
 * tls.bpf.c ties memory-BIO SSL objects (gRPC) to it. A thread gets its
 * record at its first TCP call; a call on another kind of socket (a UNIX
 * socket carrying TLS, say) only clears the slot of a thread that has one,
 * so a stale TCP socket is never taken for it. Cost: a task-local pointer
 * walk and three stores per call. Returns the thread's record, if any. */
static __always_inline struct sw_thread *note_last(struct sock *sk, __u64 cookie,
						   int dir)
{
	struct sw_thread *th;

	th = bpf_task_storage_get(&sw_thread, bpf_get_current_task_btf(), 0,
				  cookie ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (!th)
		return NULL;
	th->sk[dir & 1] = (__u64)sk;
	th->cookie[dir & 1] = cookie;
	th->ts_ns[dir & 1] = bpf_ktime_get_ns();
	return th;
}

/* A connection given up (or taken for HTTP/1 after a CR/LF flood) on a port
 * that serves HTTP: one SW_EV_UNCLASSIFIED record so the collector can judge
 * the client. */
static __always_inline void report_unclassified(struct sock *sk, __u64 cookie,
						__u32 netns,
						const struct sw_conn_state *st, int dir)
{
	struct sw_event ev = {};

	if (!cls_port_serves_http(netns, sk->__sk_common.skc_num))
		return;
	ev.type = SW_EV_UNCLASSIFIED;
	ev.cookie = cookie;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.cgroup_id = bpf_get_current_cgroup_id();
	ev.tgid = bpf_get_current_pid_tgid() >> 32;
	ev.len = st->looked;
	ev.netns = netns;
	ev.dir = dir;
	ev.role = SW_ROLE_SERVER;
	ev.pad[0] = st->why;
	fill_tuple(&ev, sk);
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	if (bpf_ringbuf_output(&sw_rb, &ev, sizeof(ev), rb_flags(sizeof(ev)))) {
		count(SW_CNT_RB_FULL, 1);
	} else {
		count(SW_CNT_EVENTS, 1);
		count(SW_CNT_UNCLASSIFIED_HTTP, 1);
	}
}

static __always_inline int on_io(struct sock *sk, int ret, int flags, int dir)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sk_state *sks;
	struct sw_conn_state *st;
	struct sw_thread *th;
	struct call_args args = {};
	struct copy_state cs = {};
	struct scratch *s;
	__u64 cookie, ubuf = 0, seq, skr;
	__u32 zero = 0, netns, ulen = (__u32)ret;
	__u16 family;
	int res = -1, first = 0;

	if (ret <= 0 || (dir == SW_DIR_RECV && (flags & MSG_PEEK)))
		return 0;
	if ((__u32)(id >> 32) == self_tgid)
		return 0;
	/* sk is a trusted BTF pointer here: plain loads, no helper calls. */
	family = sk->__sk_common.skc_family;
	if ((family != AF_INET && family != AF_INET6) ||
	    sk->sk_protocol != IPPROTO_TCP) {
		note_last(sk, 0, dir);
		return 0;
	}
	sks = bpf_sk_storage_get(&sw_sk, sk, 0, 0);
	st = sks ? &sks->c : NULL;
	/* The client side of a connection (it sent the request), not copied:
	 * one lookup, no cookie, no thread note. Its bytes are plaintext HTTP,
	 * never the ciphertext of a memory-BIO SSL object the note is for. */
	if (st && st->role == SW_ROLE_CLIENT && !copy_client) {
		count(SW_CNT_IGNORED_BYTES, ret);
		return 0;
	}
	cookie = bpf_get_socket_cookie(sk);
	th = note_last(sk, cookie, dir);
	/* Inside an SSL call: ciphertext, whatever its first bytes said. */
	if (th && th->call.active) {
		tls_note(&th->call, sk, cookie);
		count(SW_CNT_IGNORED_BYTES, ret);
		return 0;
	}
	/* Known connections that are not ours to copy leave at once. */
	if (st && (st->role == SW_ROLE_IGNORE ||
		   (st->role == SW_ROLE_CLIENT && !copy_client))) {
		if (st->proto == SW_GUESS_TLS)
			cipher_note(id >> 32, 0, ret);
		count(SW_CNT_IGNORED_BYTES, ret);
		return 0;
	}
	netns = sk->__sk_common.skc_net.net->ns.inum;
	if (netns_only && netns != netns_only)
		return 0;
	syscall_args(&args, sk);
	if (args.uring) {
		count(SW_CNT_URING_CALLS, 1);
		count(SW_CNT_URING_BYTES, ret);
		/* No buffer to classify a new connection from: it stays
		 * unknown, with no try spent, until a call we can read. */
		if (!st || st->role == SW_ROLE_UNKNOWN)
			return 0;
	}

	/* Where the bytes are in user memory, when we know. */
	if (args.kind == ARGS_BUF) {
		ubuf = args.ptr;
	} else if (args.kind == ARGS_IOV || args.kind == ARGS_MSG) {
		__u64 iovp = args.ptr;
		struct iovec v0;

		if (args.kind == ARGS_MSG) {
			struct user_msghdr mh;

			if (bpf_probe_read_user(&mh, sizeof(mh), (void *)args.ptr))
				iovp = 0;
			else {
				iovp = (__u64)mh.msg_iov;
				args.cnt = (__u32)mh.msg_iovlen;
			}
		}
		args.ptr = iovp;
		/* the first segment's bytes, only when they are to be
		 * classified: known connections copy through the iovecs */
		if ((!st || st->role == SW_ROLE_UNKNOWN) && iovp && args.cnt &&
		    !bpf_probe_read_user(&v0, sizeof(v0), (void *)iovp)) {
			ubuf = (__u64)v0.iov_base;
			if (v0.iov_len < ulen)
				ulen = (__u32)v0.iov_len;
		}
	}

	if (!sks) {
		/* created zeroed (role unknown) and classified in place, as a
		 * connection still unknown is: no copy of it on the stack */
		sks = bpf_sk_storage_get(&sw_sk, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (!sks) /* another CPU created it meanwhile, or no memory */
			sks = bpf_sk_storage_get(&sw_sk, sk, 0, 0);
		if (!sks) {
			count(SW_CNT_CONN_FULL, 1);
			return 0;
		}
		st = &sks->c;
		if (!st->first_ns)
			st->first_ns = th ? th->ts_ns[dir & 1] : bpf_ktime_get_ns();
		if (st->role == SW_ROLE_UNKNOWN)
			res = classify_call(st, (__u64)ubuf, ulen, dir);
	} else if (st->role == SW_ROLE_UNKNOWN) {
		/* Not recognisable yet (empty lines, garbage, HTTP/2 frames of
		 * a connection joined late): look again, a bounded number of
		 * times. */
		res = classify_call(st, (__u64)ubuf, ulen, dir);
	}
	if (res == CLS_FIRST || res == CLS_SUSPECT) {
		first = 1;
		if (st->role == SW_ROLE_SERVER)
			cls_note_port(netns, sk->__sk_common.skc_num);
	}
	if (res == CLS_SUSPECT || (res == CLS_GAVEUP && st->why != SW_WHY_TLS))
		report_unclassified(sk, cookie, netns, st, dir);
	/* Ciphertext outside an SSL call: the process's TLS is not probed,
	 * or this is a handshake (tls.c tells which). */
	if (res == CLS_GAVEUP && st->why == SW_WHY_TLS &&
	    (dir == SW_DIR_RECV || copy_client)) {
		st->proto = SW_GUESS_TLS;
		cipher_note(id >> 32, 1, ret);
	}
	if (st->role == SW_ROLE_UNKNOWN) {
		count(SW_CNT_IGNORED_BYTES, ret);
		return 0;
	}
	if (st->role == SW_ROLE_IGNORE ||
	    (st->role == SW_ROLE_CLIENT && !copy_client)) {
		count(SW_CNT_IGNORED_BYTES, ret);
		return 0;
	}

	seq = __sync_fetch_and_add(&st->seq[dir & 1], (__u64)ret);
	skr = skip_call(sks, cookie, seq, (__u32)ret, dir);
	/* inside the range: no record, the offsets say it all */
	if (skr & SKIP_SILENT)
		return 0;

	s = bpf_map_lookup_elem(&sw_scratch, &zero);
	if (!s)
		return 0;
	if (sks->tgid != (__u32)(id >> 32) || !sks->cgroup_id) {
		sks->cgroup_id = bpf_get_current_cgroup_id();
		bpf_get_current_comm(sks->comm, sizeof(sks->comm));
		sks->tgid = id >> 32;
	}
	s->ev.cookie = cookie;
	/* the thread note's clock read, when there is one: one per call */
	s->ev.ts_ns = th ? th->ts_ns[dir & 1] : bpf_ktime_get_ns();
	s->ev.cgroup_id = sks->cgroup_id;
	s->ev.seq = seq;
	s->ev.tgid = id >> 32;
	s->ev.pid = (__u32)id;
	s->ev.fd = args.fd;
	s->ev.netns = netns;
	s->ev.dir = dir;
	s->ev.role = st->role;
	s->ev.proto = st->proto;
	s->ev.flags = first ? SW_F_FIRST : 0;
	fill_tuple(&s->ev, sk);
	__builtin_memcpy(s->ev.comm, sks->comm, sizeof(s->ev.comm));

	if (skr & SKIP_END) { /* the range ends with this call: say so */
		emit_gap(s, (__u32)ret, SW_F_SKIP);
		return 0;
	}
	s->wake = (__u32)(skr >> 34) & 1; /* SKIP_WAKE */
	cs.left = (__u32)ret;
	if (args.kind == ARGS_BUF) {
		cs.base = ubuf;
		cs.seg_left = (__u32)ret;
	} else if (args.kind == ARGS_IOV || args.kind == ARGS_MSG) {
		cs.iovp = args.ptr;
		cs.iov_cnt = args.cnt;
	}
	if (args.kind && args.kind != ARGS_NONE)
		bpf_loop(SW_MAX_CHUNKS + 2 * SW_MAX_IOV + 2, copy_step, &cs, 0);
	if (cs.fill)
		flush(&cs, s); /* the step budget ran out mid-record */
	if (cs.copied < (__u32)ret) {
		__u8 why = SW_F_TRUNC;

		if (args.kind == ARGS_NONE)
			why = SW_F_SENDFILE;
		else if (!args.kind) {
			why = SW_F_NOBUF;
			if (!args.uring)
				count(SW_CNT_NOARGS, 1);
		} else
			count(SW_CNT_TRUNC_CALLS, 1);
		emit_gap(s, (__u32)ret - cs.copied, why);
	}
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_send, struct sock *sk, int ret, int flags)
{
	return on_io(sk, ret, flags, SW_DIR_SEND);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_recv, struct sock *sk, int ret, int flags)
{
	return on_io(sk, ret, flags, SW_DIR_RECV);
}

/* ---- connection end ------------------------------------------------------ */

/* Report the end of one stream (st: the socket's bytes, in sw_sk, or the
 * TLS plaintext carried over it, in sw_conns under cookie |
 * SW_TLS_COOKIE_BIT). The caller forgets it. */
static __always_inline void close_stream(const struct sock *sk, __u64 cookie,
					 const struct sw_conn_state *st)
{
	struct sw_event ev = {};

	if (st->role != SW_ROLE_IGNORE &&
	    (st->role != SW_ROLE_CLIENT || copy_client)) {
		ev.type = SW_EV_CLOSE;
		ev.cookie = cookie;
		ev.ts_ns = bpf_ktime_get_ns();
		ev.role = st->role;
		ev.seq = st->seq[SW_DIR_RECV];
		ev.len = 0;
		ev.flags = cookie & SW_TLS_COOKIE_BIT ? SW_F_TLS : 0;
		ev.netns = sk->__sk_common.skc_net.net->ns.inum;
		fill_tuple(&ev, sk);
		if (bpf_ringbuf_output(&sw_rb, &ev, sizeof(ev), rb_flags(sizeof(ev))))
			count(SW_CNT_RB_FULL, 1);
		else
			count(SW_CNT_EVENTS, 1);
	}
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_state, const struct sock *sk, const int oldstate,
	     const int newstate)
{
	struct sw_conn_state *st;
	struct sk_state *sks;
	__u64 cookie, key;

	if (newstate != TCP_CLOSE)
		return 0;
	cookie = bpf_get_socket_cookie((void *)sk);
	key = cookie | SW_TLS_COOKIE_BIT;
	st = bpf_map_lookup_elem(&sw_conns, &key);
	if (st) {
		close_stream(sk, key, st);
		bpf_map_delete_elem(&sw_conns, &key);
	}
	sks = bpf_sk_storage_get(&sw_sk, (struct sock *)sk, 0, 0);
	if (sks) {
		close_stream(sk, cookie, &sks->c);
		bpf_sk_storage_delete(&sw_sk, (struct sock *)sk);
	}
	return 0;
}


/* ---- ring warm-up -------------------------------------------------------- */

/* A fresh ring's pages cost ~10 us each on their first write on this VM
 * (reading them from user space does not help: the cost is the first
 * write). The collector runs warm_ring through BPF_PROG_TEST_RUN before it
 * attaches anything, draining between runs, so the first pass over the 32
 * MiB is paid at start-up rather than by the app's socket calls. Each
 * record is one 4 KiB page exactly (8-byte header + SW_WARM_REC), so the
 * header written by reserve lands on every page; records are discarded,
 * which the reader skips. Returns the records written (the ring full stops
 * it early). */
#define SW_WARM_REC (4096 - 8)

static long warm_one(__u64 i, void *ctx)
{
	__u32 *n = ctx;
	char *r = bpf_ringbuf_reserve(&sw_rb, SW_WARM_REC, 0);

	if (!r)
		return 1;
	r[SW_WARM_REC - 1] = 0; /* the page's last byte too */
	bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
	(*n)++;
	return 0;
}

SEC("syscall")
int warm_ring(void *ctx)
{
	__u32 n = 0;

	bpf_loop(SW_RINGBUF_BYTES / 4096, warm_one, &n, 0);
	return (int)n;
}
