// SPDX-License-Identifier: GPL-2.0
/* floor.bpf.c - the least a uprobe-based TLS capture can cost.
 *
 * sw-probe-floor attaches these two programs where the collector attaches
 * tls.bpf.c's (entry and return of OpenSSL's read and write), and they do
 * nothing but count their runs. The benchmark runs HTTPS load with them,
 * then with the collector: the first difference is what the kernel's
 * uprobe dispatch costs on this machine whatever a program does, the rest
 * is sidewatch's own work. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* floor_hits: [0] entries, [1] returns, [2] SSL_free entries; summed over
 * CPUs by the tool. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} floor_hits SEC(".maps");

static __always_inline int hit(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&floor_hits, &i);

	if (v)
		*v += 1;
	return 0;
}

SEC("uprobe")
int floor_enter(struct pt_regs *ctx)
{
	return hit(0);
}

SEC("uretprobe")
int floor_leave(struct pt_regs *ctx)
{
	return hit(1);
}

SEC("uprobe")
int floor_free(struct pt_regs *ctx)
{
	return hit(2);
}
