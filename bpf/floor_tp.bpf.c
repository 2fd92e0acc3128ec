// SPDX-License-Identifier: GPL-2.0
/* floor_tp.bpf.c - the least any capture on the collector's socket
 * tracepoints can cost.
 *
 * sw-tp-floor attaches these three programs to the tracepoints
 * capture.bpf.c uses (tp_btf: sock_send_length, sock_recv_length,
 * inet_sock_set_state), with the same attach type, and they do nothing:
 * no helper, no map, no memory read. What a load costs with them attached
 * (the trampoline's entry and exit, and the program run) is the floor
 * under sidewatch's own work on the same hooks
 * (tools/bench-progcost.sh, the "floor: empty programs" rows). The kernel
 * counts their runs when bpf_stats is on (run_cnt), so no counter of ours
 * is needed to see that they ran. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_send, struct sock *sk, int ret, int flags)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_recv, struct sock *sk, int ret, int flags)
{
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(floor_state, const struct sock *sk, const int oldstate,
	     const int newstate)
{
	return 0;
}
