/* enforce_int.h - what the halves of the enforcement module share: the
 * state behind struct enforce and the calls between the halves. Private:
 * only collector/enforce/enforce*.c include it.
 *
 *   enforce.c         open/close, block and allow tries, counters
 *   enforce_kill.c    socket destroy through the iter/tcp program
 *   enforce_attach.c  tcx attachment to every interface
 *   enforce_ns.c      namespace discovery, entering and leaving
 *   enforce_thread.c  the enforcement thread that runs one job at a time
 *
 * Calls go down this list only (enforce.c uses all; kill and attach use
 * ns and thread); the public API is enforce.h, each half's own names
 * carry its file's prefix.
 */
#ifndef SW_ENFORCE_INT_H
#define SW_ENFORCE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/enforce/enforce.h"
#include "collector/enforce/enforce_table.h"
#include "enforce.skel.h"

struct enforce_ns_entry {
	uint32_t ino;
	int fd;
	int seen;        /* found by the current scan */
};

struct enforce_attachment {
	uint32_t ino;    /* namespace */
	int ifindex;
	int link_fd;     /* tcx link: closing it detaches */
};

/* A job for the enforcement thread: returns its result. */
typedef int (*enforce_thread_job)(struct enforce *e, void *arg);

struct enforce {
	struct enforce_bpf *skel;
	struct bpf_link *iter;
	int netns_self;
	int home_fd;
	uint32_t home_ino;
	int ncpu;

	/* Owned by the enforcement thread. */
	struct enforce_ns_entry *ns;
	size_t nns, capns;
	struct enforce_attachment *at;
	size_t nat, capat;

	/* One job at a time: call_mu serializes callers, mu/cv hand over. */
	pthread_t thr;
	int thr_started;
	pthread_mutex_t call_mu;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enforce_thread_job job;
	void *job_arg;
	int job_rc;
	int job_state;   /* 0 idle, 1 posted, 2 done */
	int stop;

	struct enforce_table tab; /* sweep cursor and counts (caller's thread) */
};

/* enforce_thread.c: init the locks (before anything can fail), start the
 * thread, run fn on it and wait; stop joins it and frees the locks. */
void enforce_thread_init(struct enforce *e);
int enforce_thread_start(struct enforce *e);
int enforce_thread_run(struct enforce *e, enforce_thread_job fn, void *arg);
void enforce_thread_stop(struct enforce *e);

/* enforce_ns.c (enforcement thread only, but for enforce_ns_ino). */
uint32_t enforce_ns_ino(const char *path);       /* 0: none */
void enforce_ns_scan(struct enforce *e);
int enforce_ns_enter(struct enforce *e, uint32_t ino); /* 0 or ours: stay */
void enforce_ns_leave(struct enforce *e, uint32_t ino);
void enforce_ns_forget(struct enforce *e);        /* close every fd */

/* enforce_kill.c: cut the established connections from prefix k in every
 * known namespace; the number cut or -errno. */
int enforce_kill_prefix(struct enforce *e, const struct sw_block_key *k);

/* enforce_attach.c: detach everything (closing the links). */
void enforce_attach_forget(struct enforce *e);

#endif /* SW_ENFORCE_INT_H */
