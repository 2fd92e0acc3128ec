/* capture.c - libbpf skeleton loader and ring buffer reader. */
#include "collector/capture/capture.h"
#include "collector/capture/conn.h"
#include "common/clock.h"
#include "common/log.h"
#include "capture.skel.h"

#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

_Static_assert(sizeof(struct sw_event) == 112, "abi: struct sw_event");
_Static_assert(sizeof(struct sw_conn_state) == 32, "abi: struct sw_conn_state");

#define TRACEFS_MAGIC_ 0x74726163
#define BPF_FS_MAGIC_ 0xcafe4a11

const char *const capture_counter_names[SW_CNT__MAX] = {
	[SW_CNT_EVENTS] = "events",
	[SW_CNT_BYTES_COPIED] = "bytes_copied",
	[SW_CNT_BYTES_GAP] = "bytes_gap",
	[SW_CNT_RB_FULL] = "ringbuf_full",
	[SW_CNT_READ_FAIL] = "read_fail",
	[SW_CNT_CONN_FULL] = "conn_table_full",
	[SW_CNT_IGNORED_BYTES] = "ignored_bytes",
	[SW_CNT_NOARGS] = "no_syscall_args",
	[SW_CNT_TRUNC_CALLS] = "truncated_calls",
	[SW_CNT_CLASSIFY_LATE] = "classified_late",
	[SW_CNT_SKIPPED_CRLF] = "skipped_crlf_bytes",
	[SW_CNT_CRLF_FLOOD] = "crlf_flood_conns",
	[SW_CNT_PROXY_HDR] = "proxy_header_conns",
	[SW_CNT_GIVEUP_GARBAGE] = "gaveup_garbage_conns",
	[SW_CNT_GIVEUP_H2] = "gaveup_h2_frames_conns",
	[SW_CNT_GIVEUP_TLS] = "ignored_tls_conns",
	[SW_CNT_GIVEUP_BYTES] = "gaveup_bytes",
	[SW_CNT_UNCLASSIFIED_HTTP] = "unclassified_on_http_port",
	[SW_CNT_URING_CALLS] = "uring_calls",
	[SW_CNT_URING_BYTES] = "uring_bytes",
	[SW_CNT_SKIPPED_BYTES] = "bytes_skipped",
	[SW_CNT_SKIPPED_CALLS] = "skipped_calls",
	[SW_CNT_SKIP_WAKES] = "skip_wakes",
};

struct capture {
	struct capture_bpf *skel;
	struct ring_buffer *rb;
	capture_cb cb;
	void *ctx;
	int ncpu;
};

static int libbpf_to_log(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	enum log_level l = level == LIBBPF_WARN ? LOG_WARN :
			   level == LIBBPF_INFO ? LOG_DEBUG : LOG_DEBUG;
	char line[512];
	size_t n;

	if (l > log_get_level())
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	log_msg(l, "libbpf: %s", line);
	return 0;
}

static int fs_is(const char *path, long magic)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == magic;
}

int capture_mount_fs(char *err, size_t errlen)
{
	if (!fs_is("/sys/kernel/tracing", TRACEFS_MAGIC_) &&
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) &&
	    !fs_is("/sys/kernel/debug/tracing", TRACEFS_MAGIC_)) {
		snprintf(err, errlen,
			 "tracefs is not mounted and mounting it on /sys/kernel/tracing failed: %s",
			 strerror(errno));
		return -errno;
	}
	if (!fs_is("/sys/fs/bpf", BPF_FS_MAGIC_) &&
	    mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL)) {
		snprintf(err, errlen,
			 "bpffs is not mounted and mounting it on /sys/fs/bpf failed: %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct capture *c = ctx;
	const struct sw_event *ev = data;

	if (size < sizeof(*ev))
		return 0;
	if (ev->type == SW_EV_DATA && size < sizeof(*ev) + ev->len)
		return 0;
	c->cb(c->ctx, ev, (const uint8_t *)data + sizeof(*ev));
	return 0;
}

static uint32_t self_netns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

/* Write every page of the ring once before anything is attached (see
 * warm_ring in capture.bpf.c): run the warm-up program, drain the discarded
 * records it left, until it has gone round once. A kernel that refuses the
 * run only leaves the first pass to the traffic (logged). */
static void warm_ring_pages(struct capture *c)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	uint32_t pages = SW_RINGBUF_BYTES / 4096, done = 0;
	int fd = bpf_program__fd(c->skel->progs.warm_ring);
	uint64_t t0 = clock_mono_ns();

	for (int round = 0; round < 4 && done < pages; round++) {
		int rc = bpf_prog_test_run_opts(fd, &opts);

		if (rc || (int)opts.retval <= 0) {
			log_warn("capture: ring warm-up stopped after %u of %u pages (%s)",
				 done, pages, rc ? strerror(-rc) : "ring full");
			break;
		}
		done += opts.retval;
		ring_buffer__consume(c->rb);
	}
	log_info("capture: ring warm-up wrote %u pages in %.1f ms", done,
		 (double)(clock_mono_ns() - t0) / 1e6);
}

/* conn.c's word on a connection's response bytes (conn_skip_fn): write
 * it where the kernel looks (sw_skip). */
static int write_skip(void *ctx, uint64_t cookie, uint64_t from, uint64_t to,
		      int del)
{
	struct capture *c = ctx;
	int fd = bpf_map__fd(c->skel->maps.sw_skip);
	struct sw_skip v = { .from = from, .to = to };

	if (del)
		return bpf_map_delete_elem(fd, &cookie) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(fd, &cookie, &v, BPF_ANY) ? -errno : 0;
}

int capture_open(struct capture **out, const struct capture_config *cfg,
		 capture_cb cb, void *ctx, char *err, size_t errlen)
{
	struct capture *c;
	int rc;

	*out = NULL;
	libbpf_set_print(libbpf_to_log);
	if (geteuid() != 0) {
		snprintf(err, errlen,
			 "must run as root: loading eBPF programs needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen,
			 "this kernel has no BTF (/sys/kernel/btf/vmlinux missing): build it with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	rc = capture_mount_fs(err, errlen);
	if (rc)
		return rc;

	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->cb = cb;
	c->ctx = ctx;
	c->ncpu = libbpf_num_possible_cpus();
	c->skel = capture_bpf__open();
	if (!c->skel) {
		rc = -errno;
		snprintf(err, errlen, "opening the capture programs failed: %s",
			 strerror(-rc));
		goto fail;
	}
	c->skel->rodata->self_tgid = (uint32_t)getpid();
	c->skel->rodata->netns_only = cfg->netns_self ? self_netns() : 0;
	c->skel->rodata->copy_client = cfg->copy_client ? 1 : 0;

	rc = capture_bpf__load(c->skel);
	if (rc) {
		snprintf(err, errlen,
			 "the kernel refused the capture programs (%s); run with --log-level debug for the verifier log",
			 strerror(-rc));
		goto fail;
	}
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.sw_rb), on_record, c,
				 NULL);
	if (!c->rb) {
		rc = -errno;
		snprintf(err, errlen, "opening the ring buffer failed: %s",
			 strerror(-rc));
		goto fail;
	}
	warm_ring_pages(c);
	if (!cfg->no_resp_skip)
		conn_skip_default(write_skip, c);
	rc = capture_bpf__attach(c->skel);
	if (rc) {
		snprintf(err, errlen, "attaching the capture programs failed: %s",
			 strerror(-rc));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	capture_close(c);
	return rc < 0 ? rc : -EINVAL;
}

int capture_poll(struct capture *c, int timeout_ms)
{
	int n = ring_buffer__poll(c->rb, timeout_ms);

	if (n == -EINTR)
		n = 0;
	if (n < 0)
		return n;
	/* Records are submitted without a wakeup unless the ring fills (see
	 * rb_flags in capture.bpf.c): after the wait, take what is there. */
	int m = ring_buffer__consume(c->rb);

	if (m < 0 && m != -EINTR)
		return m;
	return n + (m > 0 ? m : 0);
}

int capture_counters(struct capture *c, uint64_t out[SW_CNT__MAX])
{
	uint64_t *vals;
	int fd = bpf_map__fd(c->skel->maps.sw_counters);

	vals = calloc((size_t)c->ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < SW_CNT__MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int i = 0; i < c->ncpu; i++)
			out[k] += vals[i];
	}
	free(vals);
	return 0;
}

int capture_map_fd(struct capture *c, const char *name)
{
	struct bpf_map *m;

	if (!c || !c->skel || !name)
		return -EINVAL;
	m = bpf_object__find_map_by_name(c->skel->obj, name);
	return m ? bpf_map__fd(m) : -ENOENT;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	conn_skip_default_drop(c);
	ring_buffer__free(c->rb);
	capture_bpf__destroy(c->skel);
	free(c);
}
