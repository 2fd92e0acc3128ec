/* enforce.h - act in the kernel: cut a connection, drop a client.
 *
 * Kill: an iter/tcp program destroys the sockets named in a small target
 * map, walking one network namespace per iteration; the iteration is
 * created from a dedicated enforcement thread that setns()es into the
 * namespace (found by inode through /proc/<pid>/ns/net or /run/netns) and
 * back. The calling thread never changes namespace.
 *
 * Block: one LPM trie of source prefixes shared by every attachment of one
 * TC ingress program, attached as tcx links (kernel 6.6+) to every
 * interface of every namespace (or only ours with netns_self). Links die
 * with the process and entries carry a kernel-checked expiry: with the
 * collector gone nothing is dropped for long, and nothing is left attached.
 *
 * All functions return 0 (or a count) or a negative errno; all may be called
 * from any thread, and are serialized internally.
 *
 * In: what to enforce - a connection to kill (socket cookie and netns), a
 * prefix to block or allow with its expiry - from respond.c, the fleet
 * block list (blocklist_apply.h) and the tools.
 * Out: kernel state (killed sockets, LPM trie entries, tcx links) and
 * counters of what was done.
 */
#ifndef SW_ENFORCE_H
#define SW_ENFORCE_H

#include <stddef.h>
#include <stdint.h>
#include "bpf/abi.h"

struct enforce_config {
	int netns_self;  /* attach and cut only in the namespace we run in */
};

/* A prefix: IPv4 addresses in addr[0..3], prefixlen 0..32 (IPv4) or
 * 0..128 (IPv6). Bits past prefixlen are ignored. */
struct enforce_cidr {
	uint8_t family;     /* AF_INET / AF_INET6 */
	uint8_t prefixlen;
	uint8_t addr[16];
};

/* One socket as its owner sees it (like struct sw_event: local first). */
struct enforce_tuple {
	uint8_t family;     /* AF_INET / AF_INET6 */
	uint16_t lport;     /* host order */
	uint16_t rport;
	uint8_t laddr[16];  /* IPv4 in the first 4 bytes */
	uint8_t raddr[16];
};

struct enforce;

/* Load the programs, start the enforcement thread. Attaches nothing. */
int enforce_open(struct enforce **out, const struct enforce_config *cfg,
		 char *err, size_t errlen);
/* Detach every attachment, stop the thread, unload. NULL ok. */
void enforce_close(struct enforce *e);

/* Destroy one connection in namespace netns_ino (0: ours): the socket named
 * by cookie and/or tuple t (0 / NULL: not given; both given must name the
 * same socket, as a capture event does) and, for loopback, its local peer
 * (the swapped tuple): the walk stops at the first end it meets and
 * destroys it; the reset that sends cuts the other end. Listening,
 * SYN-received and TIME_WAIT sockets are never destroyed. Returns 0 when at
 * least one socket was destroyed (*killed, if not NULL, says how many),
 * -ENOENT when none matched (or the namespace is unknown). *done_ns (if not NULL) gets the CLOCK_MONOTONIC
 * time (the bpf_ktime_get_ns clock) of the last destroy. */
int enforce_kill(struct enforce *e, uint64_t cookie, uint32_t netns_ino,
		 const struct enforce_tuple *t, uint64_t *done_ns);
int enforce_kill_n(struct enforce *e, uint64_t cookie, uint32_t netns_ino,
		   const struct enforce_tuple *t, uint64_t *done_ns,
		   int *killed);

/* Drop packets from c on every attachment for ttl_ns (0: until unblocked;
 * the kernel stops dropping at expiry even if we are gone), then cut the
 * established connections whose remote address is in c in every known
 * namespace (allowlisted remotes spared). Returns the number of
 * connections cut, or -errno. Blocking again replaces ttl and rule. */
int enforce_block(struct enforce *e, const struct enforce_cidr *c,
		  uint64_t ttl_ns, uint32_t rule_id);
/* The two halves of enforce_block: the drop entry alone (microseconds),
 * and the cut of established connections from c in every known namespace
 * (a walk per namespace: milliseconds each). Returns 0 / connections cut. */
int enforce_block_drop(struct enforce *e, const struct enforce_cidr *c,
		       uint64_t ttl_ns, uint32_t rule_id);
int enforce_cut(struct enforce *e, const struct enforce_cidr *c);
/* Remove the entry for exactly c; -ENOENT if absent. */
int enforce_unblock(struct enforce *e, const struct enforce_cidr *c);
/* Sources in an allowlisted prefix are never dropped nor cut by a block. */
int enforce_allow(struct enforce *e, const struct enforce_cidr *c,
		  uint32_t rule_id);
int enforce_disallow(struct enforce *e, const struct enforce_cidr *c);

/* Attach the ingress program to every interface not yet attached, in every
 * namespace of the machine (or only ours with netns_self), lo included;
 * forget attachments whose interface is gone. Returns the number of new
 * attachments or -errno (the first error; others are still tried). */
int enforce_attach_all(struct enforce *e);
/* Same, for namespaces and interfaces that appeared since. */
int enforce_rescan(struct enforce *e);
/* Live attachments. */
int enforce_attached(struct enforce *e);

/* One slice of the block table's sweep (enforce_table.h): expired
 * entries removed; returns how many or -errno. Call it about once a
 * second from the thread that blocks. */
int enforce_sweep(struct enforce *e);
struct enforce_table_stats;
/* Entries swept, evicted to make room, and blocks refused when full. */
void enforce_table_counts(const struct enforce *e, struct enforce_table_stats *st);

/* Sum the per-CPU counters (enum sw_enf_counter). */
int enforce_counters(struct enforce *e, uint64_t out[SW_ENF__MAX]);
extern const char *const enforce_counter_names[SW_ENF__MAX];
/* Kernel time of the first packet dropped since the last reset (0: none);
 * reset clears it. For measuring block latency. */
uint64_t enforce_first_drop_ns(struct enforce *e, int reset);

/* The ingress program, for BPF_PROG_TEST_RUN. */
int enforce_ingress_fd(struct enforce *e);

/* "10.0.0.0/8", "2001:db8::/32", "10.1.2.3" (= /32), parsed by
 * common/cidr.h; the address bits past the prefix are kept. 0 or -EINVAL. */
int enforce_cidr_parse(const char *s, struct enforce_cidr *c);
/* The inode of the namespace we run in. */
uint32_t enforce_self_netns(void);

#endif
