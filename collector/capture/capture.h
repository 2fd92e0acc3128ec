/* capture.h - load the kernel capture programs and read their records.
 *
 * In: the bytes of every watched TCP connection, copied by the kernel
 * programs (socket capture, and TLS plaintext through the probes of tls.h)
 * into a ring buffer, with the socket's cookie, tuple, process and netns.
 * Out: one struct sw_event per record (data, a gap of missed bytes, a
 * close, an unclassified connection) to the capture_cb, in ring order; the
 * kernel side's counters.
 */
#ifndef SW_CAPTURE_H
#define SW_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include "bpf/abi.h"

struct capture_config {
	int netns_self;   /* watch only the namespace we run in */
	int copy_client;  /* also copy sockets that send requests (outbound) */
	int no_resp_skip; /* copy whole response bodies: the connection table
			   * never asks the kernel to count their bytes past
			   * the prefix decoders keep (conn_skip_default) */
};

/* Called for each record; data holds ev->len bytes for SW_EV_DATA. */
typedef void (*capture_cb)(void *ctx, const struct sw_event *ev,
			   const uint8_t *data);

struct capture;

/* Check the host, load and attach. Returns 0 or a negative errno with one
 * readable sentence in err. */
int capture_open(struct capture **out, const struct capture_config *cfg,
		 capture_cb cb, void *ctx, char *err, size_t errlen);
/* Consume records for up to timeout_ms; returns records or -errno. */
int capture_poll(struct capture *c, int timeout_ms);
/* Sum the per-CPU counters (enum sw_counter). */
int capture_counters(struct capture *c, uint64_t out[SW_CNT__MAX]);
/* The fd of one of the capture object's maps ("sw_rb", "sw_conns",
 * "sw_counters", "sw_tls_calls"), for other programs that must write into
 * the same ring and tables (bpf_map__reuse_fd); -ENOENT if unknown. */
int capture_map_fd(struct capture *c, const char *name);
void capture_close(struct capture *c);   /* NULL ok; detaches everything */

extern const char *const capture_counter_names[SW_CNT__MAX];

/* Mount tracefs/bpffs where missing; returns 0 or -errno. */
int capture_mount_fs(char *err, size_t errlen);

#endif
