/* skip.h - copy only what the decoders need: the response bytes the
 * collector does not want copied (abi.h, struct sw_skip) are counted and
 * left in the kernel. Included by capture.bpf.c after struct sk_state and
 * count(); the collector's side is collector/capture/conn.c. */
#ifndef SW_SKIP_H
#define SW_SKIP_H

/* sw_skip: per connection, the response bytes the collector does not need
 * copied (struct sw_skip). Written by the collector (conn.c, through
 * capture.c) once it has framed a large response; read here only by
 * response calls that start SW_RESP_PREFIX bytes or more into a response. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_MAX_SKIPS);
	__type(key, __u64);
	__type(value, struct sw_skip);
} sw_skip SEC(".maps");

/* skip_call's result: bytes to skip in its low 32 bits, and */
#define SKIP_END    (1ull << 32) /* the call ends the range: say so (a gap record) */
#define SKIP_SILENT (1ull << 33) /* the call is inside the range: no record */
#define SKIP_WAKE   (1ull << 34) /* no range yet: wake the collector */

/* A call of a plain HTTP/1 server socket (its state sks) starting at
 * stream offset seq of direction dir: request bytes mark where the next
 * response begins; a response call SW_RESP_PREFIX bytes or more into a
 * response looks for the collector's range (sw_skip) and says whether the
 * range holds the whole call (a call that crosses the range's start or
 * end is copied whole; the collector takes the offsets jumped over inside
 * its range for skipped bytes), with SKIP_* flags and len in the low
 * bits. Smaller
 * answers never pay the lookup. The first such call of a response with no
 * range for it yet wakes the collector, once, so it reads the head and
 * names the range while the body is still being written. A global
 * function: checked once, its result one unknown number to the caller. */
__noinline __u64 skip_call(struct sk_state *sks, __u64 cookie, __u64 seq,
			   __u32 len, int dir)
{
	struct sw_skip *r;
	__u64 n, f = 0;

	if (!sks || sks->c.role != SW_ROLE_SERVER || sks->c.proto != SW_GUESS_HTTP1)
		return 0;
	if (dir == SW_DIR_RECV) {
		sks->resp_mark = sks->c.seq[SW_DIR_SEND];
		return 0;
	}
	if (seq - sks->resp_mark < SW_RESP_PREFIX)
		return 0;
	r = bpf_map_lookup_elem(&sw_skip, &cookie);
	if (!r || seq >= r->to) {
		if (sks->woke_mark == sks->resp_mark + 1)
			return 0;
		sks->woke_mark = sks->resp_mark + 1;
		count(SW_CNT_SKIP_WAKES, 1);
		return SKIP_WAKE;
	}
	if (seq < r->from || r->to - seq < len)
		return 0;
	n = len;
	f = seq + n == r->to ? SKIP_END : SKIP_SILENT;
	count(SW_CNT_SKIPPED_BYTES, n);
	count(SW_CNT_SKIPPED_CALLS, 1);
	return f | n;
}

#endif /* SW_SKIP_H */
