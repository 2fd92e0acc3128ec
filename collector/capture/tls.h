/* tls.h - plaintext of TLS connections: find OpenSSL in every process
 * (containers included), attach uprobes, say what stays invisible. */
#ifndef SW_TLS_H
#define SW_TLS_H

#include <stddef.h>
#include <stdint.h>
#include "bpf/abi.h"

struct capture;

struct tls_config {
	int netns_self;   /* as capture_config: only our network namespace */
	int copy_client;  /* as capture_config: also outbound requests */
};

/* Names listed per blind spot (comm, comma separated, truncated). */
#define TLS_NAMES_LEN 128

/* What the last scans found. Processes are counted once per scan. */
struct tls_status {
	uint32_t libs_attached;   /* libssl files probed (one per inode) */
	uint32_t bins_attached;   /* other files exporting SSL_read (static) */
	uint32_t attach_failed;   /* files with SSL_read we could not probe */
	uint32_t internal_attached; /* of those probed: at the internal functions (tls_site.h) */
	uint32_t procs;           /* processes scanned */
	uint32_t procs_covered;   /* map a probed file */
	uint32_t procs_go;        /* Go binaries: crypto/tls, not covered */
	uint32_t procs_failed;    /* map a file whose probes failed */
	uint32_t procs_nosock;    /* SSL calls with no socket (memory BIOs) */
	uint64_t nosock_calls;
	/* Blind spots seen in the traffic (sw_tls_cipher, abi.h): processes
	 * that served TLS whose library is not probed, now alive; and since
	 * start, their TLS connections and ciphertext bytes. */
	uint32_t procs_blind;
	uint64_t blind_conns;
	uint64_t blind_bytes;
	char go_names[TLS_NAMES_LEN];
	char failed_names[TLS_NAMES_LEN];
	char nosock_names[TLS_NAMES_LEN];
	char blind_names[TLS_NAMES_LEN];
};

struct tls;

/* Load tls.bpf.c into capture's ring and tables, probe the libssl found
 * in standard places and in every running process. Returns 0 or -errno
 * with one sentence in err. */
int tls_open(struct tls **out, struct capture *cap, const struct tls_config *cfg,
	     char *err, size_t errlen);
/* Call often; every 2 s it probes libraries of new processes (every 30 s
 * of all processes, catching dlopen) and drops calls of dead threads. */
void tls_poll(struct tls *t, uint64_t now_ns);
void tls_status(struct tls *t, struct tls_status *st);
/* Sum the per-CPU counters (enum sw_tls_counter). */
int tls_counters(struct tls *t, uint64_t out[SW_TLS_CNT__MAX]);
void tls_close(struct tls *t);   /* NULL ok; detaches everything */

extern const char *const tls_counter_names[SW_TLS_CNT__MAX];

#endif
