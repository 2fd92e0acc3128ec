// SPDX-License-Identifier: GPL-2.0
/* enforce.bpf.c - act in the kernel: cut one connection, drop one client.
 *
 * sw_kill (iter/tcp) walks the TCP sockets of the namespace of the task that
 * created the iterator and destroys those user space named just before the
 * walk: by socket cookie, by exact 4-tuple, or by remote prefix. Listening,
 * SYN-received and TIME_WAIT sockets are never touched: destroying the
 * listener would take the service down.
 *
 * sw_ingress (tc / tcx ingress) drops packets whose source matches an
 * unexpired entry of sw_block unless sw_allow covers it. Expiry is judged
 * here, so a dead collector cannot leave a block in force; an expired entry
 * is deleted on sight so that it no longer hides a shorter live prefix.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "abi.h"

#define AF_INET 2
#define AF_INET6 10
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define TC_ACT_UNSPEC (-1) /* also TCX_NEXT: let later programs decide */
#define TC_ACT_SHOT 2      /* also TCX_DROP */

/* TCP states we never destroy (include/net/tcp_states.h) */
#define TCP_TIME_WAIT 6
#define TCP_CLOSE 7
#define TCP_LISTEN 10
#define TCP_NEW_SYN_RECV 12

char LICENSE[] SEC("license") = "GPL";

extern int bpf_sock_destroy(struct sock_common *sk) __ksym;

/* Kernel time of the first drop since user space last zeroed it: how block
 * latency is measured (map update -> first dropped packet). */
__u64 first_drop_ns = 0;

/* Early stop of a kill walk: the cookie and the tuple name one connection;
 * once one of its ends here is destroyed (kill_found reaches kill_budget,
 * set with kill_found zeroed by user space) the walk ends - returning 1
 * makes the read fail with EAGAIN - instead of visiting the rest of the
 * hash table: the destroy resets the other end (for loopback, the local
 * peer) anyway. 0 = walk everything (prefix kills). */
__u32 kill_budget = 0;
__u32 kill_found = 0;

/* sw_block: the blocked sources.
 * Key: a source prefix, struct sw_block_key (IPv4 a.b.c.d/n stored as
 * ::ffff:a.b.c.d/(96+n), bpf/abi.h). Value: struct sw_block_val, its expiry
 * (bpf_ktime_get_ns clock, 0 = never), the rule that placed it, and its own
 * prefix length.
 * Written by user space: enforce_block_drop() / enforce_unblock()
 * (collector/enforce/enforce.c) for a block verdict (collector/main.c) and
 * for the fleet block list (collector/enforce/blocklist_apply.c); the
 * table's sweep and eviction (collector/enforce/enforce_table.c) delete
 * expired entries and, when it is full, those closest to expiry. Written by
 * the kernel too: judge() deletes an expired entry it finds.
 * Read by sw_ingress (judge(): the longest prefix covering a packet's
 * source, LPM lookup with prefixlen 128); by the sweep; and by the tests
 * (tests/integration/lib.sh: bpf_blocked, through bpftool). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SW_MAX_BLOCKS);
	__type(key, struct sw_block_key);
	__type(value, struct sw_block_val);
} sw_block SEC(".maps");

/* sw_allow: the sources never dropped nor cut by prefix, whatever sw_block
 * says: the never-block list (collector/enforce/shield.h: loopback and
 * link-local ranges, the host's own addresses and gateways, the correlator,
 * the allow list's and the operator's never_block CIDRs).
 * Key: a prefix, as in sw_block. Value: struct sw_block_val (only rule_id
 * and prefixlen are set; allow entries never expire).
 * Written by user space only: enforce_allow() / enforce_disallow()
 * (collector/enforce/enforce.c), called by shield_apply()
 * (collector/enforce/shield.c) once enforcement is open at start, and by
 * tools/sw-enforce-test.
 * Read by sw_ingress (judge(), after a live sw_block match) and by sw_kill
 * (a socket matched only by sw_kill_pfx is spared if its peer is allowed). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SW_MAX_ALLOWS);
	__type(key, struct sw_block_key);
	__type(value, struct sw_block_val);
} sw_allow SEC(".maps");

/* Kill targets (sw_kill_cookies, sw_kill_tuples, sw_kill_pfx), filled by
 * user space just before one iteration and emptied right after; one
 * iteration runs at a time (the enforcement thread). */

/* sw_kill_cookies: the sockets to destroy, by socket cookie.
 * Key: a socket cookie (bpf_get_socket_cookie; a TLS stream's cookie with
 * SW_TLS_COOKIE_BIT cleared). Value: 1 (unused).
 * Written by user space: kill_job_run() (collector/enforce/enforce.c, for
 * enforce_kill(): a kill verdict, or the offending connection of a block),
 * one entry per kill, deleted when the walk ends.
 * Read by sw_kill, once per socket walked. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SW_MAX_KILL_TARGETS);
	__type(key, __u64);
	__type(value, __u32);
} sw_kill_cookies SEC(".maps");

/* sw_kill_tuples: the sockets to destroy, by exact 4-tuple, for a
 * connection known by its addresses rather than its cookie.
 * Key: struct sw_kill_tuple, the socket as its owner sees it (local address
 * and port, remote address and port, family; IPv4 in the first 4 bytes).
 * Value: SW_KILL_T_PRIMARY (the named socket) or SW_KILL_T_PEER (the same
 * tuple swapped: its loopback peer, which in any other namespace matches
 * nothing).
 * Written by user space: kill_job_run() (collector/enforce/enforce.c, for
 * enforce_kill_n() with a tuple), two entries per kill, deleted when the
 * walk ends.
 * Read by sw_kill, once per socket walked; the value says which end it cut
 * (SW_KILL_TUPLE or SW_KILL_PEER in the kill record). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SW_MAX_KILL_TARGETS);
	__type(key, struct sw_kill_tuple);
	__type(value, __u32);
} sw_kill_tuples SEC(".maps");

/* sw_kill_pfx: the remote prefixes whose established connections are cut
 * (a block cuts what the client already had open).
 * Key: a prefix, struct sw_block_key as in sw_block. Value: 1 (unused).
 * Written by user space: prefix_kill_run() (collector/enforce/enforce.c,
 * for enforce_cut(): after a block verdict, and for each block of the
 * fleet block list), one entry per cut, deleted when the walks of every
 * namespace are done.
 * Read by sw_kill: the socket's remote address, LPM lookup with prefixlen
 * 128, unless sw_allow covers it. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SW_MAX_KILL_TARGETS);
	__type(key, struct sw_block_key);
	__type(value, __u32);
} sw_kill_pfx SEC(".maps");

/* sw_enf_counters: what the drop program did, per CPU.
 * Key: an enum sw_enf_counter index (bpf/abi.h: packets passed, dropped,
 * expired entries deleted, blocked sources passed by the allowlist,
 * unparsed). Value: a count on each CPU.
 * Written by sw_ingress and judge() (count()).
 * Read by user space: enforce_counters() (collector/enforce/enforce.c) sums
 * the CPUs for report_counters() (collector/report.c, the "enforce" section
 * of the counters line) and for tools/sw-enforce-test. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_ENF__MAX);
	__type(key, __u32);
	__type(value, __u64);
} sw_enf_counters SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&sw_enf_counters, &idx);

	if (v)
		*v += 1;
}

/* ---- drop blocked sources ------------------------------------------------- */

/* The verdict for a source address key (prefixlen 128). Returns 1 to drop. */
static __always_inline int judge(struct sw_block_key *k)
{
	struct sw_block_val *v;
	__u64 now = 0;
	int i;

	/* Bounded: each round deletes one expired entry, revealing the next
	 * shorter prefix; four nested stale prefixes is already unusual. */
	for (i = 0; i < 4; i++) {
		v = bpf_map_lookup_elem(&sw_block, k);
		if (!v)
			return 0;
		if (v->expires_ns) {
			if (!now)
				now = bpf_ktime_get_ns();
			if (now >= v->expires_ns) {
				struct sw_block_key stale = *k;

				/* The lookup does not say which entry matched;
				 * the value carries its own prefix length. */
				count(SW_ENF_EXPIRED);
				stale.prefixlen = v->prefixlen;
				if (stale.prefixlen > 128 ||
				    bpf_map_delete_elem(&sw_block, &stale))
					return 0; /* cannot remove: pass */
				continue;
			}
		}
		if (bpf_map_lookup_elem(&sw_allow, k)) {
			count(SW_ENF_ALLOWED);
			return 0;
		}
		return 1;
	}
	return 0;
}

SEC("tc")
int sw_ingress(struct __sk_buff *skb)
{
	struct sw_block_key k = {};
	__u16 proto = bpf_ntohs(skb->protocol);
	int off, len, rc;

	if (proto == ETH_P_IP) {
		off = 12; /* saddr */
		len = 4;
		k.addr[10] = 0xff;
		k.addr[11] = 0xff;
	} else if (proto == ETH_P_IPV6) {
		off = 8;
		len = 16;
	} else {
		count(SW_ENF_PASSED);
		return TC_ACT_UNSPEC;
	}
	/* Relative to the network header: right on devices with or without an
	 * L2 header (veth, lo, tun). The header is normally linear; if not,
	 * pull it once. */
	if (len == 4)
		rc = bpf_skb_load_bytes_relative(skb, off, &k.addr[12], 4,
						 BPF_HDR_START_NET);
	else
		rc = bpf_skb_load_bytes_relative(skb, off, k.addr, 16,
						 BPF_HDR_START_NET);
	if (rc && !bpf_skb_pull_data(skb, 64)) {
		if (len == 4)
			rc = bpf_skb_load_bytes_relative(skb, off, &k.addr[12], 4,
							 BPF_HDR_START_NET);
		else
			rc = bpf_skb_load_bytes_relative(skb, off, k.addr, 16,
							 BPF_HDR_START_NET);
	}
	if (rc) {
		count(SW_ENF_UNPARSED);
		return TC_ACT_UNSPEC; /* fail open */
	}
	k.prefixlen = 128;
	if (judge(&k)) {
		count(SW_ENF_DROPPED);
		if (!first_drop_ns)
			__sync_val_compare_and_swap(&first_drop_ns, 0,
						    bpf_ktime_get_ns());
		return TC_ACT_SHOT;
	}
	count(SW_ENF_PASSED);
	return TC_ACT_UNSPEC;
}

/* ---- destroy named sockets ------------------------------------------------ */

SEC("iter/tcp")
int sw_kill(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct sw_kill_tuple t = {};
	struct sw_block_key pk = {};
	struct sw_kill_rec rec = {};
	__u8 state, why = 0;
	__u32 *tv;
	__u64 cookie;

	if (!skc)
		return 0;
	if (kill_budget && kill_found >= kill_budget)
		return 1;
	state = skc->skc_state;
	if (state == TCP_LISTEN || state == TCP_TIME_WAIT ||
	    state == TCP_NEW_SYN_RECV || state == TCP_CLOSE)
		return 0;
	t.family = skc->skc_family;
	t.lport = skc->skc_num;
	t.rport = bpf_ntohs(skc->skc_dport);
	pk.prefixlen = 128;
	if (t.family == AF_INET) {
		__builtin_memcpy(t.laddr, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(t.raddr, &skc->skc_daddr, 4);
		pk.addr[10] = 0xff;
		pk.addr[11] = 0xff;
		__builtin_memcpy(&pk.addr[12], &skc->skc_daddr, 4);
	} else if (t.family == AF_INET6) {
		__builtin_memcpy(t.laddr, &skc->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(t.raddr, &skc->skc_v6_daddr, 16);
		__builtin_memcpy(pk.addr, &skc->skc_v6_daddr, 16);
	} else {
		return 0;
	}
	cookie = bpf_get_socket_cookie(skc);
	if (bpf_map_lookup_elem(&sw_kill_cookies, &cookie))
		why |= SW_KILL_COOKIE;
	tv = bpf_map_lookup_elem(&sw_kill_tuples, &t);
	if (tv)
		why |= *tv == SW_KILL_T_PEER ? SW_KILL_PEER : SW_KILL_TUPLE;
	if (!why && bpf_map_lookup_elem(&sw_kill_pfx, &pk) &&
	    !bpf_map_lookup_elem(&sw_allow, &pk))
		why |= SW_KILL_PREFIX;
	if (!why)
		return 0;
	rec.cookie = cookie;
	rec.state = state;
	rec.why = why;
	rec.ret = bpf_sock_destroy(skc);
	rec.ts_ns = bpf_ktime_get_ns();
	kill_found++; /* either end cut cuts the connection */
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
