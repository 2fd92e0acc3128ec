/* enforce_kill.c - cut connections: the iter/tcp program destroys the
 * sockets named in its target maps (a cookie, a tuple and its loopback
 * peer, or a source prefix), one namespace per iteration. */
#include "collector/enforce/enforce_int.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"

/* Create one iterator in the current namespace and read it to the end. */
static int iterate(struct enforce *e, int *killed, uint64_t *last_ns)
{
	union {
		struct sw_kill_rec rec[128];
		char raw[128 * sizeof(struct sw_kill_rec)];
	} buf;
	size_t have = 0;
	int fd, rc = 0;

	fd = bpf_iter_create(bpf_link__fd(e->iter));
	if (fd < 0)
		return -errno;
	for (int guard = 0; guard < 1000000; guard++) {
		ssize_t n = read(fd, buf.raw + have, sizeof(buf.raw) - have);
		size_t whole;

		if (n < 0) {
			if (errno == EAGAIN)
				break; /* every target found: the program stopped */
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		whole = have / sizeof(struct sw_kill_rec);
		for (size_t i = 0; i < whole; i++) {
			const struct sw_kill_rec *r = &buf.rec[i];

			if (r->ret == 0) {
				(*killed)++;
				if (r->ts_ns > *last_ns)
					*last_ns = r->ts_ns;
			} else {
				log_msg(LOG_WARN,
					"enforce: destroying socket %llu failed: %s",
					(unsigned long long)r->cookie,
					strerror(-r->ret));
			}
		}
		have -= whole * sizeof(struct sw_kill_rec);
		memmove(buf.raw, buf.raw + whole * sizeof(struct sw_kill_rec), have);
	}
	close(fd);
	return rc;
}

struct kill_job {
	uint64_t cookie;
	uint32_t ino;
	const struct enforce_tuple *t;
	uint64_t done_ns;
	int killed;
};

static void to_kill_tuple(const struct enforce_tuple *t, int swap,
			  struct sw_kill_tuple *k)
{
	memset(k, 0, sizeof(*k));
	k->family = t->family;
	memcpy(k->laddr, swap ? t->raddr : t->laddr, 16);
	memcpy(k->raddr, swap ? t->laddr : t->raddr, 16);
	if (t->family == AF_INET) {
		memset(k->laddr + 4, 0, 12);
		memset(k->raddr + 4, 0, 12);
	}
	k->lport = swap ? t->rport : t->lport;
	k->rport = swap ? t->lport : t->rport;
}

static int kill_job_run(struct enforce *e, void *arg)
{
	struct kill_job *j = arg;
	int cfd = bpf_map__fd(e->skel->maps.sw_kill_cookies);
	int tfd = bpf_map__fd(e->skel->maps.sw_kill_tuples);
	struct sw_kill_tuple k[2];
	uint32_t one = 1, role[2] = { SW_KILL_T_PRIMARY, SW_KILL_T_PEER };
	int rc, ntup = 0;

	if (j->cookie && bpf_map_update_elem(cfd, &j->cookie, &one, BPF_ANY))
		return -errno;
	if (j->t) {
		/* The swapped tuple is the loopback peer; in any other
		 * namespace it matches nothing. */
		to_kill_tuple(j->t, 0, &k[0]);
		to_kill_tuple(j->t, 1, &k[1]);
		for (; ntup < 2; ntup++)
			if (bpf_map_update_elem(tfd, &k[ntup], &role[ntup], BPF_ANY))
				break;
	}
	e->skel->bss->kill_found = 0;
	e->skel->bss->kill_budget = 1; /* cookie and tuple name one socket */
	rc = enforce_ns_enter(e, j->ino);
	if (!rc) {
		rc = iterate(e, &j->killed, &j->done_ns);
		enforce_ns_leave(e, j->ino);
	}
	if (j->cookie)
		bpf_map_delete_elem(cfd, &j->cookie);
	for (int i = 0; i < ntup; i++)
		bpf_map_delete_elem(tfd, &k[i]);
	if (rc)
		return rc;
	return j->killed ? 0 : -ENOENT;
}

int enforce_kill_n(struct enforce *e, uint64_t cookie, uint32_t netns_ino,
		   const struct enforce_tuple *t, uint64_t *done_ns, int *killed)
{
	struct kill_job j = { .cookie = cookie, .ino = netns_ino, .t = t };
	int rc;

	if (!cookie && !t)
		return -EINVAL;
	if (t && t->family != AF_INET && t->family != AF_INET6)
		return -EAFNOSUPPORT;
	rc = enforce_thread_run(e, kill_job_run, &j);
	if (done_ns)
		*done_ns = j.done_ns;
	if (killed)
		*killed = j.killed;
	return rc;
}

int enforce_kill(struct enforce *e, uint64_t cookie, uint32_t netns_ino,
		 const struct enforce_tuple *t, uint64_t *done_ns)
{
	return enforce_kill_n(e, cookie, netns_ino, t, done_ns, NULL);
}

/* Cut the established connections from prefix k in every known namespace. */
static int prefix_kill_run(struct enforce *e, void *arg)
{
	const struct sw_block_key *k = arg;
	int pfd = bpf_map__fd(e->skel->maps.sw_kill_pfx);
	uint32_t one = 1;
	uint64_t last = 0;
	int killed = 0, rc;

	if (bpf_map_update_elem(pfd, k, &one, BPF_ANY))
		return -errno;
	e->skel->bss->kill_budget = 0;
	rc = iterate(e, &killed, &last);
	for (size_t i = 0; i < e->nns; i++) {
		if (setns(e->ns[i].fd, CLONE_NEWNET))
			continue; /* gone since the last scan */
		iterate(e, &killed, &last);
		enforce_ns_leave(e, e->ns[i].ino);
	}
	bpf_map_delete_elem(pfd, k);
	return rc ? rc : killed;
}

int enforce_kill_prefix(struct enforce *e, const struct sw_block_key *k)
{
	return enforce_thread_run(e, prefix_kill_run, (void *)k);
}
