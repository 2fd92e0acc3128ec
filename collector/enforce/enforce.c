/* enforce.c - kernel enforcement: socket destroy per namespace, tcx ingress
 * drop of blocked sources. */
#include "collector/enforce/enforce.h"
#include "collector/enforce/enforce_table.h"
#include "common/cidr.h"
#include "common/clock.h"
#include "common/log.h"
#include "enforce.skel.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct sw_block_key) == 20, "abi: struct sw_block_key");
_Static_assert(sizeof(struct sw_block_val) == 16, "abi: struct sw_block_val");
_Static_assert(sizeof(struct sw_kill_tuple) == 40, "abi: struct sw_kill_tuple");
_Static_assert(sizeof(struct sw_kill_rec) == 24, "abi: struct sw_kill_rec");

/* Not in libbpf 1.1's uapi copy; values from the kernel's enum bpf_attach_type
 * and enum bpf_link_type (stable uapi numbers). */
#ifndef BPF_TCX_INGRESS
#define SW_BPF_TCX_INGRESS 46
#else
#define SW_BPF_TCX_INGRESS BPF_TCX_INGRESS
#endif
#define SW_BPF_LINK_TYPE_TCX 11

const char *const enforce_counter_names[SW_ENF__MAX] = {
	[SW_ENF_PASSED] = "passed",
	[SW_ENF_DROPPED] = "dropped",
	[SW_ENF_EXPIRED] = "expired_hit",
	[SW_ENF_ALLOWED] = "allowed",
	[SW_ENF_UNPARSED] = "unparsed",
};

struct ns_entry {
	uint32_t ino;
	int fd;
	int seen;        /* found by the current scan */
};

struct attachment {
	uint32_t ino;    /* namespace */
	int ifindex;
	int link_fd;     /* tcx link: closing it detaches */
};

typedef int (*job_fn)(struct enforce *e, void *arg);

struct enforce {
	struct enforce_bpf *skel;
	struct bpf_link *iter;
	int netns_self;
	int home_fd;
	uint32_t home_ino;
	int ncpu;

	/* Owned by the enforcement thread. */
	struct ns_entry *ns;
	size_t nns, capns;
	struct attachment *at;
	size_t nat, capat;

	/* One job at a time: call_mu serializes callers, mu/cv hand over. */
	pthread_t thr;
	int thr_started;
	pthread_mutex_t call_mu;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	job_fn job;
	void *job_arg;
	int job_rc;
	int job_state;   /* 0 idle, 1 posted, 2 done */
	int stop;

	struct enforce_table tab; /* sweep cursor and counts (caller's thread) */
};

uint64_t enforce_now_ns(void)
{
	return clock_mono_ns();
}

static uint32_t ns_ino_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	return (uint32_t)st.st_ino;
}

uint32_t enforce_self_netns(void)
{
	return ns_ino_of("/proc/self/ns/net");
}

int enforce_cidr_parse(const char *s, struct enforce_cidr *c)
{
	struct cidr x;
	int rc = cidr_parse(s, &x);

	memset(c, 0, sizeof(*c));
	if (rc)
		return rc;
	c->family = x.family;
	c->prefixlen = x.prefixlen;
	memcpy(c->addr, x.addr, sizeof(c->addr));
	return 0;
}

/* The trie key: IPv4 as ::ffff:a.b.c.d/(96+n), bits past the prefix zeroed
 * so that equal prefixes always make equal keys. */
static int cidr_key(const struct enforce_cidr *c, struct sw_block_key *k)
{
	unsigned plen;

	memset(k, 0, sizeof(*k));
	if (c->family == AF_INET) {
		if (c->prefixlen > 32)
			return -EINVAL;
		k->addr[10] = 0xff;
		k->addr[11] = 0xff;
		memcpy(&k->addr[12], c->addr, 4);
		plen = 96u + c->prefixlen;
	} else if (c->family == AF_INET6) {
		if (c->prefixlen > 128)
			return -EINVAL;
		memcpy(k->addr, c->addr, 16);
		plen = c->prefixlen;
	} else {
		return -EAFNOSUPPORT;
	}
	cidr_clear_host_bits(k->addr, plen);
	k->prefixlen = plen;
	return 0;
}

/* ---- the enforcement thread ----------------------------------------------- */

static void *worker(void *arg)
{
	struct enforce *e = arg;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		while (!e->stop && e->job_state != 1)
			pthread_cond_wait(&e->cv, &e->mu);
		if (e->stop)
			break;
		pthread_mutex_unlock(&e->mu);
		int rc = e->job(e, e->job_arg);
		pthread_mutex_lock(&e->mu);
		e->job_rc = rc;
		e->job_state = 2;
		pthread_cond_broadcast(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* Run fn on the enforcement thread and wait for it. */
static int run_job(struct enforce *e, job_fn fn, void *arg)
{
	int rc;

	pthread_mutex_lock(&e->call_mu);
	pthread_mutex_lock(&e->mu);
	e->job = fn;
	e->job_arg = arg;
	e->job_state = 1;
	pthread_cond_broadcast(&e->cv);
	while (e->job_state != 2)
		pthread_cond_wait(&e->cv, &e->mu);
	rc = e->job_rc;
	e->job_state = 0;
	pthread_mutex_unlock(&e->mu);
	pthread_mutex_unlock(&e->call_mu);
	return rc;
}

/* ---- namespaces (enforcement thread only) --------------------------------- */

static struct ns_entry *ns_find(struct enforce *e, uint32_t ino)
{
	for (size_t i = 0; i < e->nns; i++)
		if (e->ns[i].ino == ino)
			return &e->ns[i];
	return NULL;
}

static void ns_note(struct enforce *e, const char *path)
{
	uint32_t ino = ns_ino_of(path);
	struct ns_entry *n;
	int fd;

	if (!ino || ino == e->home_ino)
		return;
	n = ns_find(e, ino);
	if (n) {
		n->seen = 1;
		return;
	}
	if (e->nns == e->capns) {
		size_t cap = e->capns ? e->capns * 2 : 16;
		struct ns_entry *p = realloc(e->ns, cap * sizeof(*p));

		if (!p)
			return;
		e->ns = p;
		e->capns = cap;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* The process may have changed namespace between stat and open. */
	{
		struct stat st;

		if (fstat(fd, &st) || (uint32_t)st.st_ino != ino) {
			close(fd);
			return;
		}
	}
	e->ns[e->nns++] = (struct ns_entry){ .ino = ino, .fd = fd, .seen = 1 };
}

/* Find every namespace with a process or an `ip netns` name. A cached fd
 * keeps its namespace alive, so entries no scan finds are dropped: a
 * namespace only we still hold is dead for everyone else. */
static void ns_scan(struct enforce *e)
{
	char path[300];
	struct dirent *d;
	DIR *dir;

	if (e->netns_self)
		return;
	for (size_t i = 0; i < e->nns; i++)
		e->ns[i].seen = 0;
	dir = opendir("/proc");
	if (dir) {
		while ((d = readdir(dir))) {
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
			ns_note(e, path);
		}
		closedir(dir);
	}
	dir = opendir("/run/netns");
	if (dir) {
		while ((d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
			ns_note(e, path);
		}
		closedir(dir);
	}
	for (size_t i = 0; i < e->nns;) {
		if (!e->ns[i].seen) {
			close(e->ns[i].fd);
			e->ns[i] = e->ns[--e->nns];
		} else {
			i++;
		}
	}
}

/* Enter namespace ino (0 or ours: stay). */
static int ns_enter(struct enforce *e, uint32_t ino)
{
	struct ns_entry *n;

	if (!ino || ino == e->home_ino)
		return 0;
	if (e->netns_self)
		return -ENOENT;
	n = ns_find(e, ino);
	if (!n) {
		ns_scan(e);
		n = ns_find(e, ino);
		if (!n)
			return -ENOENT;
	}
	if (setns(n->fd, CLONE_NEWNET))
		return -errno;
	return 0;
}

static void ns_leave(struct enforce *e, uint32_t ino)
{
	if (!ino || ino == e->home_ino)
		return;
	if (setns(e->home_fd, CLONE_NEWNET))
		log_msg(LOG_WARN, "enforce: cannot return to our namespace: %s",
			strerror(errno));
}

/* ---- kill ----------------------------------------------------------------- */

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
	rc = ns_enter(e, j->ino);
	if (!rc) {
		rc = iterate(e, &j->killed, &j->done_ns);
		ns_leave(e, j->ino);
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
	rc = run_job(e, kill_job_run, &j);
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
		ns_leave(e, e->ns[i].ino);
	}
	bpf_map_delete_elem(pfd, k);
	return rc ? rc : killed;
}

/* ---- block / allow -------------------------------------------------------- */

/* Put c in one of the tries (sw_block or sw_allow), or take it out. */
static int trie_put(int fd, const struct enforce_cidr *c, uint64_t ttl_ns,
		    uint32_t rule_id)
{
	struct sw_block_key k;
	struct sw_block_val v = { .rule_id = rule_id };
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	v.prefixlen = (uint16_t)k.prefixlen;
	if (ttl_ns)
		v.expires_ns = enforce_now_ns() + ttl_ns;
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static int trie_del(int fd, const struct enforce_cidr *c)
{
	struct sw_block_key k;
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	return bpf_map_delete_elem(fd, &k) ? -errno : 0;
}

int enforce_block_drop(struct enforce *e, const struct enforce_cidr *c,
		       uint64_t ttl_ns, uint32_t rule_id)
{
	int fd = bpf_map__fd(e->skel->maps.sw_block);
	int rc = trie_put(fd, c, ttl_ns, rule_id);

	/* full: expired entries, then those closest to expiry, make room */
	if (rc == -ENOSPC && enforce_table_make_room(&e->tab, fd, enforce_now_ns()) > 0)
		rc = trie_put(fd, c, ttl_ns, rule_id);
	return rc;
}

int enforce_sweep(struct enforce *e)
{
	return enforce_table_sweep(&e->tab, bpf_map__fd(e->skel->maps.sw_block),
				   enforce_now_ns());
}

void enforce_table_counts(const struct enforce *e, struct enforce_table_stats *st)
{
	*st = e->tab.st;
}

int enforce_cut(struct enforce *e, const struct enforce_cidr *c)
{
	struct sw_block_key k;
	int rc = cidr_key(c, &k);

	if (rc)
		return rc;
	return run_job(e, prefix_kill_run, &k);
}

int enforce_block(struct enforce *e, const struct enforce_cidr *c,
		  uint64_t ttl_ns, uint32_t rule_id)
{
	/* Drop first, then cut: a cut client cannot reconnect in between. */
	int rc = enforce_block_drop(e, c, ttl_ns, rule_id);

	return rc ? rc : enforce_cut(e, c);
}

int enforce_unblock(struct enforce *e, const struct enforce_cidr *c)
{
	return trie_del(bpf_map__fd(e->skel->maps.sw_block), c);
}

int enforce_allow(struct enforce *e, const struct enforce_cidr *c,
		  uint32_t rule_id)
{
	return trie_put(bpf_map__fd(e->skel->maps.sw_allow), c, 0, rule_id);
}

int enforce_disallow(struct enforce *e, const struct enforce_cidr *c)
{
	return trie_del(bpf_map__fd(e->skel->maps.sw_allow), c);
}

/* ---- attach --------------------------------------------------------------- */

/* bpf_link_info with the kernel's tcx member, which libbpf 1.1's uapi lacks:
 * type, id, prog_id, then the union (8-aligned) starting with
 * tcx { ifindex, attach_type }. */
struct tcx_link_info {
	uint32_t type;
	uint32_t id;
	uint32_t prog_id;
	uint32_t pad;
	uint32_t ifindex;
	uint32_t attach_type;
};

/* A tcx link whose device went away is detached: its ifindex reads 0. */
static int link_alive(int fd)
{
	struct tcx_link_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.type == SW_BPF_LINK_TYPE_TCX && info.ifindex != 0;
}

static int attached(struct enforce *e, uint32_t ino, int ifindex)
{
	for (size_t i = 0; i < e->nat; i++)
		if (e->at[i].ino == ino && e->at[i].ifindex == ifindex)
			return 1;
	return 0;
}

/* Attach to every interface of the namespace we are in now. */
static int attach_here(struct enforce *e, uint32_t ino, int *first_err)
{
	int prog = bpf_program__fd(e->skel->progs.sw_ingress);
	struct if_nameindex *ifs = if_nameindex(), *p;
	int added = 0;

	if (!ifs) {
		if (!*first_err)
			*first_err = -errno;
		return 0;
	}
	for (p = ifs; p->if_index; p++) {
		int fd;

		if (attached(e, ino, (int)p->if_index))
			continue;
		if (e->nat == e->capat) {
			size_t cap = e->capat ? e->capat * 2 : 16;
			struct attachment *a = realloc(e->at, cap * sizeof(*a));

			if (!a) {
				if (!*first_err)
					*first_err = -ENOMEM;
				break;
			}
			e->at = a;
			e->capat = cap;
		}
		/* A tcx link, not a netlink filter: it belongs to our fd and
		 * goes away with the process (fail open). */
		fd = bpf_link_create(prog, (int)p->if_index,
				     (enum bpf_attach_type)SW_BPF_TCX_INGRESS, NULL);
		if (fd < 0) {
			log_msg(LOG_WARN,
				"enforce: attaching to %s (netns %u) failed: %s",
				p->if_name, ino, strerror(errno));
			if (!*first_err)
				*first_err = -errno;
			continue;
		}
		e->at[e->nat++] = (struct attachment){
			.ino = ino, .ifindex = (int)p->if_index, .link_fd = fd };
		added++;
	}
	if_freenameindex(ifs);
	return added;
}

static int attach_job_run(struct enforce *e, void *arg)
{
	int first_err = 0, added = 0;

	for (size_t i = 0; i < e->nat;) {
		if (!link_alive(e->at[i].link_fd)) {
			close(e->at[i].link_fd);
			e->at[i] = e->at[--e->nat];
		} else {
			i++;
		}
	}
	ns_scan(e);
	added += attach_here(e, e->home_ino, &first_err);
	for (size_t i = 0; i < e->nns; i++) {
		if (setns(e->ns[i].fd, CLONE_NEWNET)) {
			if (!first_err)
				first_err = -errno;
			continue;
		}
		added += attach_here(e, e->ns[i].ino, &first_err);
		ns_leave(e, e->ns[i].ino);
	}
	return added ? added : first_err;
}

int enforce_attach_all(struct enforce *e)
{
	return run_job(e, attach_job_run, NULL);
}

int enforce_rescan(struct enforce *e)
{
	return run_job(e, attach_job_run, NULL);
}

static int count_job_run(struct enforce *e, void *arg)
{
	return (int)e->nat;
}

int enforce_attached(struct enforce *e)
{
	return run_job(e, count_job_run, NULL);
}

/* ---- counters ------------------------------------------------------------- */

int enforce_counters(struct enforce *e, uint64_t out[SW_ENF__MAX])
{
	int fd = bpf_map__fd(e->skel->maps.sw_enf_counters);
	uint64_t *vals = calloc((size_t)e->ncpu, sizeof(*vals));

	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < SW_ENF__MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < e->ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
	return 0;
}

uint64_t enforce_first_drop_ns(struct enforce *e, int reset)
{
	uint64_t v = __atomic_load_n(&e->skel->bss->first_drop_ns,
				     __ATOMIC_ACQUIRE);

	if (reset)
		__atomic_store_n(&e->skel->bss->first_drop_ns, 0,
				 __ATOMIC_RELEASE);
	return v;
}

int enforce_ingress_fd(struct enforce *e)
{
	return bpf_program__fd(e->skel->progs.sw_ingress);
}

/* ---- open / close --------------------------------------------------------- */

int enforce_open(struct enforce **out, const struct enforce_config *cfg,
		 char *err, size_t errlen)
{
	struct enforce *e;
	int rc;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	e->home_fd = -1;
	e->netns_self = cfg && cfg->netns_self;
	e->ncpu = libbpf_num_possible_cpus();
	pthread_mutex_init(&e->call_mu, NULL);
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);

	e->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	e->home_ino = enforce_self_netns();
	if (e->home_fd < 0 || !e->home_ino) {
		rc = -errno;
		snprintf(err, errlen, "cannot open our network namespace: %s",
			 strerror(errno));
		goto fail;
	}
	e->skel = enforce_bpf__open_and_load();
	if (!e->skel) {
		rc = -errno;
		snprintf(err, errlen,
			 "the kernel refused the enforcement programs (%s); run with --log-level debug for the verifier log",
			 strerror(-rc));
		goto fail;
	}
	/* The iterator link is namespace-free: the namespace is taken from
	 * the task that creates each iterator. */
	e->iter = bpf_program__attach_iter(e->skel->progs.sw_kill, NULL);
	if (!e->iter) {
		rc = -errno;
		snprintf(err, errlen,
			 "attaching the iter/tcp kill program failed: %s",
			 strerror(-rc));
		goto fail;
	}
	rc = pthread_create(&e->thr, NULL, worker, e);
	if (rc) {
		rc = -rc;
		snprintf(err, errlen, "cannot start the enforcement thread: %s",
			 strerror(-rc));
		goto fail;
	}
	e->thr_started = 1;
	*out = e;
	return 0;
fail:
	enforce_close(e);
	return rc < 0 ? rc : -EINVAL;
}

void enforce_close(struct enforce *e)
{
	if (!e)
		return;
	if (e->thr_started) {
		pthread_mutex_lock(&e->mu);
		e->stop = 1;
		pthread_cond_broadcast(&e->cv);
		pthread_mutex_unlock(&e->mu);
		pthread_join(e->thr, NULL);
	}
	for (size_t i = 0; i < e->nat; i++)
		close(e->at[i].link_fd);
	free(e->at);
	for (size_t i = 0; i < e->nns; i++)
		close(e->ns[i].fd);
	free(e->ns);
	bpf_link__destroy(e->iter);
	enforce_bpf__destroy(e->skel);
	if (e->home_fd >= 0)
		close(e->home_fd);
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
	pthread_mutex_destroy(&e->call_mu);
	free(e);
}
