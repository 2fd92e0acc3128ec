/* maps.h - the maps capture.bpf.c and tls.bpf.c share. capture.bpf.c
 * creates them; tls.bpf.c declares the same definitions and user space hands
 * it capture's fds (bpf_map__reuse_fd), so the records of both reach user
 * space through one ring buffer in order. One definition, included by both,
 * keeps the two objects from drifting apart. */
#ifndef SW_MAPS_H
#define SW_MAPS_H

/* sw_conns: role and stream offsets of the TLS plaintext stream of a
 * connection, key socket cookie | SW_TLS_COOKIE_BIT; written by tls.bpf.c,
 * deleted at TCP_CLOSE by capture.bpf.c. (The socket's own bytes keep their
 * state on the socket: capture.bpf.c's sw_sk.) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_MAX_CONNS);
	__type(key, __u64);
	__type(value, struct sw_conn_state);
} sw_conns SEC(".maps");

/* sw_http_ports: local ports (per network namespace) that received an HTTP
 * request; written by classify_call when a server is recognised, read when
 * a connection is given up (garbage sent to an HTTP port is reported). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_MAX_HTTP_PORTS);
	__type(key, struct sw_port_key);
	__type(value, __u8);
} sw_http_ports SEC(".maps");

/* sw_counters: enum sw_counter; written here, summed by the collector. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} sw_counters SEC(".maps");

/* sw_rb: records to the collector (struct sw_event + data). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SW_RINGBUF_BYTES);
} sw_rb SEC(".maps");

/* A record of len bytes about to go in while avail wait: wake the
 * collector when this record takes the ring past SW_WAKE_BYTES, once, not
 * on every record above it. A collector that runs drains all that waits at
 * that wakeup (and polls every SW_POLL_MS anyway); one that is stopped,
 * starved or gone must not cost the app a wakeup on every record it
 * produces - that doubled nginx's p50 while a stopped collector's ring
 * filled. Plain arithmetic: no map, nothing for the verifier to explore. */
static __always_inline __u64 sw_rb_wake_if_filling(__u64 avail, __u64 len)
{
	return avail <= SW_WAKE_BYTES && avail + len > SW_WAKE_BYTES ?
		       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* sw_thread: per thread, the TCP sockets it last used and the SSL call it
 * is inside (struct sw_thread). Written by capture.bpf.c on every socket
 * call of a TCP-using thread and by tls.bpf.c's entry probes; read by
 * tls.bpf.c's return probes (the call and its socket) and to tie memory-BIO
 * SSL objects (gRPC) to their connection. Task storage: freed with the
 * thread, no tid reuse, and a lookup is a pointer walk, not a hash. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sw_thread);
} sw_thread SEC(".maps");

#endif /* SW_MAPS_H */
