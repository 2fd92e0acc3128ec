// SPDX-License-Identifier: GPL-2.0
/* tls.bpf.c - copy the plaintext of TLS connections from OpenSSL.
 *
 * At the socket a TLS connection is ciphertext (capture.bpf.c marks it
 * ignored). Uprobes on SSL_read, SSL_write, SSL_read_ex and SSL_write_ex see
 * the bytes the application reads and writes:
 *   entry  - remember {ssl, buf, len} in this thread's sw_thread.call;
 *   inside - the socket hook (capture.bpf.c) finds the thread inside a call
 *            and writes the socket's cookie and 4-tuple there;
 *   return - copy what the call returned into sw_rb as SW_EV_DATA with
 *            SW_F_TLS, on the stream keyed cookie | SW_TLS_COOKIE_BIT.
 * A call satisfied from OpenSSL's own buffer does no socket I/O: the socket
 * of its SSL object is remembered from earlier calls (sw_tls_ssl).
 *
 * Memory BIOs (gRPC core: BIO pairs) never touch a socket in any call. Such
 * an SSL object is tied to the socket its thread last received ciphertext
 * from (sw_thread, kept by capture.bpf.c); see "memory BIOs" below for
 * the rules, the guesses they allow and what they count. SSL_free forgets
 * an SSL object, so a new one at the same address starts afresh.
 *
 * sw_rb, sw_conns, sw_counters, sw_thread and sw_http_ports are capture.bpf.c's maps:
 * the collector reuses their fds before loading this object, so the records
 * share one ring and stay in order.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "abi.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the collector before load (the same values capture.bpf.c has). */
const volatile __u32 self_tgid = 0;
const volatile __u32 netns_only = 0;
const volatile __u8 copy_client = 0;

/* ---- capture.bpf.c's maps, reused by fd ---------------------------------- */
#include "maps.h"
#define SW_CLASSIFY_GLOBAL
#include "classify.h"

/* ---- this object's maps ------------------------------------------------- */

/* sw_tls_ssl: the socket each SSL object last used; written by the return
 * probes when the call did socket I/O, read when it did not. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_TLS_MAX_SSL);
	__type(key, struct sw_tls_ssl_key);
	__type(value, struct sw_tls_sock);
} sw_tls_ssl SEC(".maps");

/* sw_tls_counters: enum sw_tls_counter; summed by the collector. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_TLS_CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} sw_tls_counters SEC(".maps");

/* sw_tls_nosock: processes whose plaintext had no socket to belong to
 * (key: tgid); the collector lists them as blind spots. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct sw_tls_nosock);
} sw_tls_nosock SEC(".maps");

struct tls_scratch {
	struct sw_event ev;
	__u8 data[SW_CHUNK];
};

/* sw_tls_scratch: per-CPU staging for one record. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_scratch);
} sw_tls_scratch SEC(".maps");

static __always_inline void count(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&sw_counters, &idx);

	if (v)
		*v += n;
}

static __always_inline void tcount(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&sw_tls_counters, &idx);

	if (v)
		*v += n;
}

/* Same wakeup policy as capture.bpf.c: the collector polls anyway. */
static __always_inline __u64 rb_flags(__u64 len)
{
	return sw_rb_wake_if_filling(bpf_ringbuf_query(&sw_rb, BPF_RB_AVAIL_DATA), len);
}

/* ---- entry: remember the call ------------------------------------------- */

static __always_inline int enter(void *ssl, void *buf, __u64 num, void *exptr,
				 __u8 dir, __u8 is_ex)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sw_thread *th;
	struct sw_tls_call *c;

	if ((__u32)(id >> 32) == self_tgid || !ssl || !buf)
		return 0;
	th = bpf_task_storage_get(&sw_thread, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!th) {
		tcount(SW_TLS_CNT_CALL_FULL, 1);
		return 0;
	}
	/* A call still marked active is one this thread never returned from
	 * (a nested call, or one entered before the return probe existed):
	 * the newer call replaces it, as it would the socket hook's view. */
	c = &th->call;
	c->ssl = (__u64)ssl;
	c->buf = (__u64)buf;
	c->exptr = (__u64)exptr;
	c->num = num > 0x7fffffff ? 0x7fffffff : (__u32)num;
	c->dir = dir;
	c->is_ex = is_ex;
	c->has_sock = 0;
	c->active = 1;
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(ssl_read_enter, void *ssl, void *buf, int num)
{
	return enter(ssl, buf, num > 0 ? (__u64)num : 0, NULL, SW_DIR_RECV, 0);
}

SEC("uprobe")
int BPF_KPROBE(ssl_write_enter, void *ssl, const void *buf, int num)
{
	return enter(ssl, (void *)buf, num > 0 ? (__u64)num : 0, NULL,
		     SW_DIR_SEND, 0);
}

SEC("uprobe")
int BPF_KPROBE(ssl_read_ex_enter, void *ssl, void *buf, __u64 num,
	       __u64 *readbytes)
{
	return enter(ssl, buf, num, readbytes, SW_DIR_RECV, 1);
}

SEC("uprobe")
int BPF_KPROBE(ssl_write_ex_enter, void *ssl, const void *buf, __u64 num,
	       __u64 *written)
{
	return enter(ssl, (void *)buf, num, written, SW_DIR_SEND, 1);
}

/* ---- memory BIOs ----------------------------------------------------------
 * Observed with python3-grpcio 1.51 (grpc core, tsi_ssl + secure_endpoint):
 * a poller thread does recvmsg(socket) and, inline, BIO_write(ciphertext)
 * then SSL_read until it fails; a writer thread does SSL_write, BIO_read and
 * then sendmsg(socket). Plaintext read is thus the ciphertext the same
 * thread has just received, and plaintext written leaves on the socket right
 * after the call. Rules:
 *   SSL_read  - no mapping: learn the thread's last recv socket (MEM_MAPPED).
 *               Mapping and thread agree: one more observation (seen).
 *               They disagree: a mapping seen once may have been a wrong
 *               first guess - drop it and copy nothing (MEM_CONFLICT); a
 *               mapping seen SW_TLS_SEEN_SURE times is kept (MEM_DISAGREE).
 *   SSL_write - the mapping, else the thread's most recent socket of either
 *               direction (a gRPC server writes its SETTINGS before it
 *               reads: the handshake's last send was on that socket). The
 *               guess is kept (seen 0) and counted (MEM_WRITE_GUESS); the
 *               first read replaces it, counting it if it was wrong
 *               (MEM_GUESS_WRONG: those writes went to another stream).
 *   no recent socket (SW_TLS_LAST_NS) and no mapping: not copied (nosock).
 */

/* The socket behind a struct sock * capture.bpf.c recorded. It may be gone
 * by now: it is read with bpf_probe_read_kernel and believed only while its
 * cookie is still the recorded one. */
static __always_inline int sock_of(__u64 skp, __u64 cookie,
				   struct sw_tls_sock *out)
{
	struct sock *sk = (struct sock *)skp;

	if (!skp || !cookie ||
	    BPF_CORE_READ(sk, __sk_common.skc_cookie.counter) != (__s64)cookie)
		return -1;
	__builtin_memset(out, 0, sizeof(*out));
	out->cookie = cookie;
	out->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	out->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	out->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (out->family == 2 /* AF_INET */) {
		__u32 sa = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 da = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(out->saddr, &sa, 4);
		__builtin_memcpy(out->daddr, &da, 4);
	} else {
		bpf_probe_read_kernel(out->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(out->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	/* TCP sockets are freed with SLAB_TYPESAFE_BY_RCU: the memory may
	 * have become another socket while we read. The cookie again: the
	 * fields above belong to the socket we meant. */
	if (BPF_CORE_READ(sk, __sk_common.skc_cookie.counter) != (__s64)cookie)
		return -1;
	out->how = SW_TLS_HOW_THREAD;
	return 0;
}

/* This thread's recent socket: of direction dir, or with either set the
 * more recent of both. 0 and *out filled, or -1. */
static __always_inline int thread_sock(__u8 dir, int either,
				       struct sw_tls_sock *out)
{
	struct sw_thread *ls;
	__u32 d = dir & 1;

	ls = bpf_task_storage_get(&sw_thread, bpf_get_current_task_btf(), 0, 0);
	if (!ls)
		return -1;
	if (either && ls->ts_ns[d ^ 1] > ls->ts_ns[d])
		d ^= 1;
	if (!ls->cookie[d] || bpf_ktime_get_ns() - ls->ts_ns[d] > SW_TLS_LAST_NS)
		return -1;
	return sock_of(ls->sk[d], ls->cookie[d], out);
}

/* The socket of a call that did no socket I/O on an SSL object not known
 * to use one (known: its sw_tls_ssl entry learned from a thread, or NULL).
 * 0 and *out filled, or -1: not copied. */
static __always_inline int membio_sock(const struct sw_tls_ssl_key *key,
				       struct sw_tls_sock *known, __u8 dir,
				       struct sw_tls_sock *out)
{
	struct sw_tls_sock cand;
	int have = !thread_sock(dir, dir == SW_DIR_SEND, &cand);

	if (dir == SW_DIR_SEND) {
		if (known) {
			*out = *known;
		} else if (have) {
			/* kept as a guess (seen 0): later writes agree with
			 * it, the first read confirms or corrects it */
			cand.seen = 0;
			bpf_map_update_elem(&sw_tls_ssl, key, &cand, BPF_ANY);
			tcount(SW_TLS_CNT_MEM_WRITE_GUESS, 1);
			*out = cand;
		} else {
			return -1;
		}
		tcount(SW_TLS_CNT_MEM_CALLS, 1);
		return 0;
	}
	if (!known || (known->seen == 0 && have)) {
		if (!have)
			return -1;
		/* a write guessed another socket: its bytes went astray */
		if (known && known->cookie != cand.cookie)
			tcount(SW_TLS_CNT_MEM_GUESS_WRONG, 1);
		cand.seen = 1;
		bpf_map_update_elem(&sw_tls_ssl, key, &cand, BPF_ANY);
		tcount(SW_TLS_CNT_MEM_MAPPED, 1);
		tcount(SW_TLS_CNT_MEM_CALLS, 1);
		*out = cand;
		return 0;
	}
	if (have && cand.cookie != known->cookie) {
		if (known->seen < SW_TLS_SEEN_SURE) {
			bpf_map_delete_elem(&sw_tls_ssl, key);
			tcount(SW_TLS_CNT_MEM_CONFLICT, 1);
			return -1;
		}
		tcount(SW_TLS_CNT_MEM_DISAGREE, 1);
	} else if (have && known->seen < 255) {
		known->seen++;
	}
	*out = *known;
	tcount(SW_TLS_CNT_MEM_CALLS, 1);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(ssl_free_enter, void *ssl)
{
	struct sw_tls_ssl_key k = {};

	if (!ssl)
		return 0;
	k.ssl = (__u64)ssl;
	k.tgid = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_delete_elem(&sw_tls_ssl, &k))
		tcount(SW_TLS_CNT_MEM_FREED, 1);
	return 0;
}

/* ---- return: copy the plaintext ----------------------------------------- */

struct copy_state {
	__u64 base;
	__u32 left;
	__u32 copied;
	__u32 failed;
};

static long copy_step(__u32 i, void *ctx)
{
	struct copy_state *cs = ctx;
	struct tls_scratch *s;
	__u32 zero = 0, take;

	if (!cs->left || cs->failed)
		return 1;
	s = bpf_map_lookup_elem(&sw_tls_scratch, &zero);
	if (!s)
		return 1;
	take = cs->left < SW_CHUNK ? cs->left : SW_CHUNK;
	if (take == 0 || take > SW_CHUNK)
		return 1;
	if (bpf_probe_read_user(s->data, take, (void *)cs->base)) {
		count(SW_CNT_READ_FAIL, 1);
		cs->failed = 1;
		return 1;
	}
	s->ev.type = SW_EV_DATA;
	s->ev.len = take;
	if (bpf_ringbuf_output(&sw_rb, s, sizeof(s->ev) + take, rb_flags(sizeof(s->ev) + take))) {
		count(SW_CNT_RB_FULL, 1);
	} else {
		count(SW_CNT_EVENTS, 1);
		count(SW_CNT_BYTES_COPIED, take);
	}
	s->ev.flags &= ~SW_F_FIRST;
	s->ev.seq += take;
	cs->base += take;
	cs->left -= take;
	cs->copied += take;
	return 0;
}

static __always_inline void nosock(__u32 tgid, __u32 n)
{
	struct sw_tls_nosock *ns, fresh = {};

	tcount(SW_TLS_CNT_NOSOCK, 1);
	tcount(SW_TLS_CNT_NOSOCK_BYTES, n);
	ns = bpf_map_lookup_elem(&sw_tls_nosock, &tgid);
	if (!ns) {
		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
		bpf_map_update_elem(&sw_tls_nosock, &tgid, &fresh, BPF_NOEXIST);
		ns = bpf_map_lookup_elem(&sw_tls_nosock, &tgid);
		if (!ns)
			return;
	}
	__sync_fetch_and_add(&ns->calls, 1);
	__sync_fetch_and_add(&ns->bytes, n);
}

/* The plaintext of a TLS connection to a port that serves HTTP was given up
 * (or taken for HTTP/1 after a CR/LF flood): tell the collector. */
static __always_inline void report_unclassified(const struct sw_tls_sock *sock,
						__u64 key,
						const struct sw_conn_state *st, int dir)
{
	struct sw_event ev = {};

	if (!cls_port_serves_http(sock->netns, sock->sport))
		return;
	ev.type = SW_EV_UNCLASSIFIED;
	ev.cookie = key;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.cgroup_id = bpf_get_current_cgroup_id();
	ev.tgid = bpf_get_current_pid_tgid() >> 32;
	ev.fd = sock->fd;
	ev.len = st->looked;
	ev.netns = sock->netns;
	ev.sport = sock->sport;
	ev.dport = sock->dport;
	__builtin_memcpy(ev.saddr, sock->saddr, 16);
	__builtin_memcpy(ev.daddr, sock->daddr, 16);
	ev.family = sock->family;
	ev.dir = dir;
	ev.role = SW_ROLE_SERVER;
	ev.flags = SW_F_TLS;
	ev.pad[0] = st->why;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	if (bpf_ringbuf_output(&sw_rb, &ev, sizeof(ev), rb_flags(sizeof(ev)))) {
		count(SW_CNT_RB_FULL, 1);
	} else {
		count(SW_CNT_EVENTS, 1);
		count(SW_CNT_UNCLASSIFIED_HTTP, 1);
	}
}

static __always_inline int leave(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sw_conn_state *st, fresh = {};
	struct sw_tls_ssl_key sk = {};
	struct sw_tls_sock sock, *old;
	struct copy_state cs = {};
	struct sw_tls_call *tc;
	struct sw_thread *th;
	struct tls_scratch *s;
	__u32 zero = 0, n = 0, first = 0;
	int res = -1;
	__u64 key, buf;
	long ret;
	__u8 dir, has_sock;

	th = bpf_task_storage_get(&sw_thread, bpf_get_current_task_btf(), 0, 0);
	if (!th || !th->call.active)
		return 0;
	tc = &th->call;
	tc->active = 0;
	ret = PT_REGS_RC(ctx);
	if (tc->is_ex) {
		__u64 done = 0;

		/* SSL_*_ex return 1 on success with the count in *exptr. */
		if ((int)ret == 1 && tc->exptr &&
		    !bpf_probe_read_user(&done, sizeof(done), (void *)tc->exptr))
			n = done > tc->num ? tc->num : (__u32)done;
	} else if ((int)ret > 0) {
		n = (__u32)(int)ret;
		if (n > tc->num)
			n = tc->num;
	}
	sk.ssl = tc->ssl;
	sk.tgid = id >> 32;
	buf = tc->buf;
	dir = tc->dir;
	has_sock = tc->has_sock;
	if (has_sock) {
		/* Remember the SSL object's socket; rewritten only when it
		 * changed (an SSL object keeps its socket: this is once). */
		sock = tc->sock;
		old = bpf_map_lookup_elem(&sw_tls_ssl, &sk);
		if (!old || old->cookie != sock.cookie || old->how != sock.how ||
		    old->fd != sock.fd)
			bpf_map_update_elem(&sw_tls_ssl, &sk, &sock, BPF_ANY);
	}
	if (n == 0)
		return 0;
	if (!has_sock) {
		struct sw_tls_sock *known = bpf_map_lookup_elem(&sw_tls_ssl, &sk);

		if (known && known->how == SW_TLS_HOW_SOCKET) {
			sock = *known;
		} else if (membio_sock(&sk, known, dir, &sock)) {
			nosock(sk.tgid, n);
			return 0;
		}
	}
	tcount(SW_TLS_CNT_CALLS, 1);
	tcount(SW_TLS_CNT_BYTES, n);
	if (netns_only && sock.netns != netns_only)
		return 0;

	key = sock.cookie | SW_TLS_COOKIE_BIT;
	st = bpf_map_lookup_elem(&sw_conns, &key);
	if (!st) {
		fresh.first_ns = bpf_ktime_get_ns();
		res = classify_call(&fresh, (__u64)buf, n, dir);
		if (bpf_map_update_elem(&sw_conns, &key, &fresh, BPF_NOEXIST) &&
		    bpf_map_update_elem(&sw_conns, &key, &fresh, BPF_ANY)) {
			count(SW_CNT_CONN_FULL, 1);
			return 0;
		}
		st = bpf_map_lookup_elem(&sw_conns, &key);
		if (!st)
			return 0;
	} else if (st->role == SW_ROLE_UNKNOWN) {
		/* empty lines, garbage or HTTP/2 frames so far: look again */
		res = classify_call(st, (__u64)buf, n, dir);
	}
	if (res == CLS_FIRST || res == CLS_SUSPECT) {
		first = 1;
		if (st->role == SW_ROLE_SERVER)
			cls_note_port(sock.netns, sock.sport);
	}
	if (res == CLS_SUSPECT || (res == CLS_GAVEUP && st->why != SW_WHY_TLS))
		report_unclassified(&sock, key, st, dir);
	if (st->role == SW_ROLE_IGNORE || st->role == SW_ROLE_UNKNOWN ||
	    (st->role == SW_ROLE_CLIENT && !copy_client)) {
		tcount(SW_TLS_CNT_IGNORED_BYTES, n);
		return 0;
	}

	s = bpf_map_lookup_elem(&sw_tls_scratch, &zero);
	if (!s)
		return 0;
	s->ev.ts_ns = bpf_ktime_get_ns();
	s->ev.cookie = key;
	s->ev.cgroup_id = bpf_get_current_cgroup_id();
	s->ev.seq = __sync_fetch_and_add(&st->seq[dir & 1], (__u64)n);
	s->ev.tgid = id >> 32;
	s->ev.pid = (__u32)id;
	s->ev.fd = sock.fd;
	s->ev.netns = sock.netns;
	s->ev.sport = sock.sport;
	s->ev.dport = sock.dport;
	__builtin_memcpy(s->ev.saddr, sock.saddr, 16);
	__builtin_memcpy(s->ev.daddr, sock.daddr, 16);
	s->ev.family = sock.family;
	s->ev.dir = dir;
	s->ev.role = st->role;
	s->ev.proto = st->proto;
	s->ev.flags = SW_F_TLS | (first ? SW_F_FIRST : 0);
	bpf_get_current_comm(s->ev.comm, sizeof(s->ev.comm));

	cs.base = buf;
	cs.left = n;
	bpf_loop(SW_MAX_CHUNKS, copy_step, &cs, 0);
	if (cs.copied < n) {
		/* Beyond the copy budget (or unreadable): a counted gap. */
		s->ev.type = SW_EV_GAP;
		s->ev.len = n - cs.copied;
		s->ev.flags |= SW_F_TRUNC;
		if (bpf_ringbuf_output(&sw_rb, &s->ev, sizeof(s->ev), rb_flags(sizeof(s->ev))))
			count(SW_CNT_RB_FULL, 1);
		else
			count(SW_CNT_EVENTS, 1);
		count(SW_CNT_BYTES_GAP, n - cs.copied);
		count(SW_CNT_TRUNC_CALLS, 1);
	}
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ssl_read_leave)
{
	return leave(ctx);
}

SEC("uretprobe")
int BPF_KRETPROBE(ssl_write_leave)
{
	return leave(ctx);
}
