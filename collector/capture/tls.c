/* tls.c - find OpenSSL in every process and probe it (see tls.bpf.c).
 *
 * Uprobes belong to a file (an inode), not a process: probing libssl.so.3
 * once covers every process that maps it, now and later. So discovery is
 * about files: each executable mapping of each process is examined once
 * (cached by device and inode), through /proc/PID/root so a container's
 * own file system is read as the container sees it.
 */
#include "collector/capture/tls.h"
#include "collector/capture/capture.h"
#include "common/log.h"
#include "tls.skel.h"
#include "collector/capture/tls_site.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

_Static_assert(sizeof(struct sw_tls_sock) == 56, "abi: struct sw_tls_sock");
_Static_assert(sizeof(struct sw_tls_call) == 88, "abi: struct sw_tls_call");
_Static_assert(sizeof(struct sw_tls_ssl_key) == 16, "abi: struct sw_tls_ssl_key");
_Static_assert(sizeof(struct sw_tls_nosock) == 32, "abi: struct sw_tls_nosock");
_Static_assert(sizeof(struct sw_thread) == 136, "abi: struct sw_thread");
_Static_assert(sizeof(struct sw_tls_cipher) == 32, "abi: struct sw_tls_cipher");

#define SCAN_NEW_NS (2ull * 1000000000ull)   /* new processes */
#define SCAN_ALL_NS (30ull * 1000000000ull)  /* all: libraries dlopen'ed later */
#define MAX_FILES (1u << 20)                 /* examined-file cache cap */

const char *const tls_counter_names[SW_TLS_CNT__MAX] = {
	[SW_TLS_CNT_CALLS] = "calls",
	[SW_TLS_CNT_BYTES] = "bytes",
	[SW_TLS_CNT_NOSOCK] = "nosock_calls",
	[SW_TLS_CNT_NOSOCK_BYTES] = "nosock_bytes",
	[SW_TLS_CNT_CALL_FULL] = "call_table_full",
	[SW_TLS_CNT_IGNORED_BYTES] = "ignored_bytes",
	[SW_TLS_CNT_MEM_MAPPED] = "membio_mapped",
	[SW_TLS_CNT_MEM_CALLS] = "membio_calls",
	[SW_TLS_CNT_MEM_WRITE_GUESS] = "membio_write_guesses",
	[SW_TLS_CNT_MEM_GUESS_WRONG] = "membio_guesses_wrong",
	[SW_TLS_CNT_MEM_CONFLICT] = "membio_conflicts",
	[SW_TLS_CNT_MEM_DISAGREE] = "membio_disagreements",
	[SW_TLS_CNT_MEM_FREED] = "ssl_freed",
};

/* Where distributions put OpenSSL: probed at start even if no process maps
 * it yet, so the first TLS process is covered from its first call. */
static const char *const std_libs[] = {
	"/usr/lib/x86_64-linux-gnu/libssl.so.3",
	"/usr/lib/x86_64-linux-gnu/libssl.so.1.1",
	"/usr/lib/aarch64-linux-gnu/libssl.so.3",
	"/usr/lib/aarch64-linux-gnu/libssl.so.1.1",
	"/usr/lib64/libssl.so.3",
	"/usr/lib64/libssl.so.1.1",
	"/usr/lib/libssl.so.3",
	"/usr/lib/libssl.so.1.1",
	"/lib/libssl.so.3",
};

enum file_kind {
	FK_PLAIN = 1,   /* no OpenSSL API in it */
	FK_GO,          /* a Go binary: crypto/tls has no symbol to probe */
	FK_PROBED,      /* SSL_read/SSL_write probed */
	FK_FAILED,      /* has SSL_read, probing failed */
};

struct tls_file {
	uint64_t dev, ino;  /* dev 0 and ino 0: empty slot */
	uint8_t kind;       /* enum file_kind */
};

enum proc_verdict {
	PV_NONE = 0,    /* no TLS library seen */
	PV_COVERED,
	PV_GO,
	PV_FAILED,
};

struct tls_proc {
	int pid;
	uint8_t verdict;
	char comm[16];
};

/* A process's sw_tls_cipher entry as last accounted. */
struct cipher_seen {
	int pid;
	uint8_t verdict;    /* enum proc_verdict when last accounted */
	uint64_t conns, bytes;
};

struct tls {
	struct tls_bpf *skel;
	struct bpf_link **links;
	size_t nlinks, caplinks;
	struct tls_file *files;     /* open addressing, capfiles a power of 2 */
	size_t nfiles, capfiles;
	struct tls_proc *procs;     /* sorted by pid */
	size_t nprocs;
	uint32_t libs, bins, failed;
	uint32_t internal; /* files probed at the internal functions */
	uint64_t last_new, last_all;
	int ncpu;
	int self;
	int cipher_fd;              /* capture's sw_tls_cipher */
	struct cipher_seen *seen;   /* sorted by pid; SW_TLS_MAX_CIPHER each */
	struct cipher_seen *seen_next;
	uint32_t *dead;             /* pids whose entry goes (SW_TLS_MAX_CIPHER) */
	size_t nseen;
	uint64_t blind_conns, blind_bytes;
};

/* ---- examined-file cache -------------------------------------------------- */

static size_t file_slot(const struct tls *t, uint64_t dev, uint64_t ino)
{
	uint64_t h = (ino * 0x9e3779b97f4a7c15ull) ^ (dev * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h >> 17) & (t->capfiles - 1);
}

static struct tls_file *file_find(struct tls *t, uint64_t dev, uint64_t ino)
{
	size_t i = file_slot(t, dev, ino);

	while (t->files[i].dev || t->files[i].ino) {
		if (t->files[i].dev == dev && t->files[i].ino == ino)
			return &t->files[i];
		i = (i + 1) & (t->capfiles - 1);
	}
	return NULL;
}

static int file_grow(struct tls *t)
{
	struct tls_file *old = t->files;
	size_t oldcap = t->capfiles, n = oldcap ? oldcap * 2 : 1024;

	t->files = calloc(n, sizeof(*t->files));
	if (!t->files) {
		t->files = old;
		return -ENOMEM;
	}
	t->capfiles = n;
	for (size_t i = 0; i < oldcap; i++) {
		struct tls_file *f = &old[i];
		size_t j;

		if (!f->dev && !f->ino)
			continue;
		j = file_slot(t, f->dev, f->ino);
		while (t->files[j].dev || t->files[j].ino)
			j = (j + 1) & (n - 1);
		t->files[j] = *f;
	}
	free(old);
	return 0;
}

/* Remember a file's kind; a full cache just forgets (re-examined later). */
static void file_put(struct tls *t, uint64_t dev, uint64_t ino, uint8_t kind)
{
	size_t i;

	if ((!dev && !ino) || file_find(t, dev, ino))
		return;
	if ((t->nfiles + 1) * 2 > t->capfiles &&
	    (t->capfiles >= MAX_FILES || file_grow(t)))
		return;
	i = file_slot(t, dev, ino);
	while (t->files[i].dev || t->files[i].ino)
		i = (i + 1) & (t->capfiles - 1);
	t->files[i].dev = dev;
	t->files[i].ino = ino;
	t->files[i].kind = kind;
	t->nfiles++;
}

static uint64_t dev_key(unsigned maj, unsigned min)
{
	return (uint64_t)maj << 32 | min;
}

/* ---- examining and probing one file --------------------------------------- */

/* Does this symbol table define the function? */
static int defines(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, const char *name)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n;

	if (!d || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		const char *sn;

		if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF ||
		    GELF_ST_TYPE(s.st_info) != STT_FUNC)
			continue;
		sn = elf_strptr(e, sh->sh_link, s.st_name);
		if (sn && !strcmp(sn, name))
			return 1;
	}
	return 0;
}

/* FK_GO, FK_PLAIN, or FK_PROBED meaning "has SSL_read: probe it". */
static uint8_t examine(const char *path)
{
	uint8_t kind = FK_PLAIN;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return FK_PLAIN;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".go.buildinfo")) {
			kind = FK_GO;
			break;
		}
		if ((sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB) &&
		    kind == FK_PLAIN && defines(e, scn, &sh, "SSL_read"))
			kind = FK_PROBED;
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return kind;
}

static int keep_link(struct tls *t, struct bpf_link *l)
{
	if (t->nlinks == t->caplinks) {
		size_t n = t->caplinks ? t->caplinks * 2 : 32;
		struct bpf_link **p = realloc(t->links, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->links = p;
		t->caplinks = n;
	}
	t->links[t->nlinks++] = l;
	return 0;
}

/* func names an exported function, or is NULL with off a file offset. */
static int probe_one(struct tls *t, struct bpf_program *prog, const char *path,
		     const char *func, uint64_t off, int ret)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = func, .retprobe = ret != 0);
	struct bpf_link *l;

	l = bpf_program__attach_uprobe_opts(prog, -1, path, (size_t)off, &o);
	if (!l)
		return -errno;
	if (keep_link(t, l)) {
		bpf_link__destroy(l);
		return -ENOMEM;
	}
	return 0;
}

/* Probe the four calls in one file; SSL_read and SSL_write are required,
 * the _ex variants exist from OpenSSL 1.1.1 on. Returns FK_PROBED/FAILED. */
static uint8_t probe_file(struct tls *t, const char *path, int is_lib)
{
	struct tls_bpf *s = t->skel;
	const struct {
		const char *func;
		struct bpf_program *enter, *leave;
		int required;
	} calls[] = {
		{ "SSL_read", s->progs.ssl_read_enter, s->progs.ssl_read_leave, 1 },
		{ "SSL_write", s->progs.ssl_write_enter, s->progs.ssl_write_leave, 1 },
		{ "SSL_read_ex", s->progs.ssl_read_ex_enter, s->progs.ssl_read_leave, 0 },
		{ "SSL_write_ex", s->progs.ssl_write_ex_enter, s->progs.ssl_write_leave, 0 },
	};
	size_t mark = t->nlinks;
	struct tls_site_ssl us;
	int rc = 0, inner = 0;

	/* The internal functions both public calls share, where their first
	 * instruction spares the kernel a single-step (tls_site.h). */
	if (tls_site_ssl_find(path, &us) == 0) {
		rc = probe_one(t, s->progs.ssl_read_leave, path, NULL, us.read_off, 1);
		if (!rc)
			rc = probe_one(t, s->progs.ssl_read_ex_enter, path, NULL,
				       us.read_off, 0);
		if (!rc)
			rc = probe_one(t, s->progs.ssl_write_leave, path, NULL,
				       us.write_off, 1);
		if (!rc)
			rc = probe_one(t, s->progs.ssl_write_ex_enter, path, NULL,
				       us.write_off, 0);
		if (!rc) {
			t->internal++;
			inner = 1;
		} else { /* fall back to the exported functions */
			while (t->nlinks > mark)
				bpf_link__destroy(t->links[--t->nlinks]);
			rc = 0;
		}
	}
	for (size_t i = 0; !inner && i < sizeof(calls) / sizeof(calls[0]); i++) {
		size_t before = t->nlinks;

		/* The return probe first: a call entered between the two
		 * attaches is then simply not seen, never half seen. */
		rc = probe_one(t, calls[i].leave, path, calls[i].func, 0, 1);
		if (!rc)
			rc = probe_one(t, calls[i].enter, path, calls[i].func, 0, 0);
		if (rc && !calls[i].required) {
			while (t->nlinks > before)
				bpf_link__destroy(t->links[--t->nlinks]);
			rc = 0;
			continue;
		}
		if (rc)
			break;
	}
	/* SSL_free forgets the SSL object's socket (memory BIOs above all):
	 * without it a new object at a freed address inherits a stale one.
	 * Optional: without it, entries age out of the LRU map. */
	if (!rc && probe_one(t, s->progs.ssl_free_enter, path, "SSL_free", 0, 0))
		log_warn("tls: no SSL_free probe in %s", path);
	if (rc) {
		while (t->nlinks > mark)
			bpf_link__destroy(t->links[--t->nlinks]);
		t->failed++;
		log_warn("tls: probing %s failed: %s", path, strerror(-rc));
		return FK_FAILED;
	}
	if (is_lib)
		t->libs++;
	else
		t->bins++;
	log_info("tls: probing OpenSSL in %s (%s)", path,
		 inner ? "internal read/write functions" : "SSL_read/SSL_write");
	return FK_PROBED;
}

/* The kind of the file at path (examined and probed on first sight). */
static uint8_t file_kind(struct tls *t, const char *path, uint64_t mdev,
			 uint64_t mino)
{
	struct tls_file *f;
	struct stat st;
	const char *base;
	uint64_t sdev;
	uint8_t kind;

	if (mino && (f = file_find(t, mdev, mino)) != NULL)
		return f->kind;
	if (stat(path, &st))
		return FK_PLAIN; /* gone: judged again when seen again */
	sdev = dev_key(major(st.st_dev), minor(st.st_dev));
	f = file_find(t, sdev, st.st_ino);
	if (f) {
		kind = f->kind;
	} else {
		kind = examine(path);
		if (kind == FK_PROBED) {
			base = strrchr(path, '/');
			base = base ? base + 1 : path;
			kind = probe_file(t, path, !strncmp(base, "libssl.so", 9));
		}
		file_put(t, sdev, st.st_ino, kind);
	}
	if (mino)
		file_put(t, mdev, mino, kind);
	return kind;
}

/* ---- processes ------------------------------------------------------------ */

static void read_comm(int pid, char comm[16])
{
	char p[64];
	ssize_t n;
	int fd;

	comm[0] = '\0';
	snprintf(p, sizeof(p), "/proc/%d/comm", pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, comm, 15);
	close(fd);
	if (n < 0)
		n = 0;
	comm[n] = '\0';
	if (n && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
}

/* Examine every executable mapping of one process. */
static void scan_proc(struct tls *t, int pid, struct tls_proc *p)
{
	char line[4096 + 128], path[4096 + 64];
	int covered = 0, go = 0, failed = 0;
	FILE *f;

	p->pid = pid;
	p->verdict = PV_NONE;
	read_comm(pid, p->comm);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off, ino;
		unsigned maj, min;
		char perms[8], *file, *del;
		int pos = 0;
		uint8_t kind;

		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &lo, &hi, perms,
			   &off, &maj, &min, &ino, &pos) < 7 || !pos)
			continue;
		file = line + pos;
		file[strcspn(file, "\n")] = '\0';
		if (perms[2] != 'x' || file[0] != '/' || !ino)
			continue;
		del = strstr(file, " (deleted)");
		if (del)
			*del = '\0';
		snprintf(path, sizeof(path), "/proc/%d/root%s", pid, file);
		kind = file_kind(t, path, dev_key(maj, min), ino);
		covered |= kind == FK_PROBED;
		go |= kind == FK_GO;
		failed |= kind == FK_FAILED;
	}
	fclose(f);
	p->verdict = covered ? PV_COVERED : failed ? PV_FAILED :
		     go ? PV_GO : PV_NONE;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct tls_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Rebuild the process list; processes already known keep their verdict
 * unless all is set. */
static void scan(struct tls *t, int all)
{
	struct tls_proc *next = NULL, *old;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		struct tls_proc key, *known = NULL;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || pid == t->self)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct tls_proc *q = realloc(next, c * sizeof(*q));

			if (!q)
				break;
			next = q;
			cap = c;
		}
		key.pid = (int)pid;
		if (!all && t->nprocs)
			known = bsearch(&key, t->procs, t->nprocs,
					sizeof(*t->procs), cmp_proc);
		if (known)
			next[n] = *known;
		else
			scan_proc(t, (int)pid, &next[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(next, n, sizeof(*next), cmp_proc);
	old = t->procs;
	t->procs = next;
	t->nprocs = n;
	free(old);
}

/* ---- public ---------------------------------------------------------------- */

int tls_open(struct tls **out, struct capture *cap, const struct tls_config *cfg,
	     char *err, size_t errlen)
{
	static const char *const shared[] = {
		"sw_rb", "sw_conns", "sw_counters", "sw_thread", "sw_http_ports",
	};
	struct tls *t;
	struct stat st;
	int rc;

	*out = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf is unusable: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	t->self = (int)getpid();
	t->ncpu = libbpf_num_possible_cpus();
	t->cipher_fd = capture_map_fd(cap, "sw_tls_cipher");
	t->seen = calloc(SW_TLS_MAX_CIPHER, sizeof(*t->seen));
	t->seen_next = calloc(SW_TLS_MAX_CIPHER, sizeof(*t->seen_next));
	t->dead = calloc(SW_TLS_MAX_CIPHER, sizeof(*t->dead));
	if (!t->seen || !t->seen_next || !t->dead) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (file_grow(t)) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	t->skel = tls_bpf__open();
	if (!t->skel) {
		rc = -errno;
		snprintf(err, errlen, "opening the TLS programs failed: %s",
			 strerror(-rc));
		goto fail;
	}
	t->skel->rodata->self_tgid = (uint32_t)t->self;
	t->skel->rodata->copy_client = cfg->copy_client ? 1 : 0;
	if (cfg->netns_self && !stat("/proc/self/ns/net", &st))
		t->skel->rodata->netns_only = (uint32_t)st.st_ino;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(t->skel->obj,
								 shared[i]);
		int fd = capture_map_fd(cap, shared[i]);

		rc = !m ? -ENOENT : fd < 0 ? fd : bpf_map__reuse_fd(m, fd);
		if (rc) {
			snprintf(err, errlen,
				 "sharing the capture map %s with the TLS programs failed: %s",
				 shared[i], strerror(-rc));
			goto fail;
		}
	}
	rc = tls_bpf__load(t->skel);
	if (rc) {
		snprintf(err, errlen,
			 "the kernel refused the TLS programs (%s); run with --log-level debug for the verifier log",
			 strerror(-rc));
		goto fail;
	}
	for (size_t i = 0; i < sizeof(std_libs) / sizeof(std_libs[0]); i++)
		if (!access(std_libs[i], R_OK))
			file_kind(t, std_libs[i], 0, 0);
	scan(t, 1);
	*out = t;
	return 0;
fail:
	tls_close(t);
	return rc < 0 ? rc : -EINVAL;
}

void tls_poll(struct tls *t, uint64_t now_ns)
{
	if (!t)
		return;
	if (!t->last_all) {
		t->last_all = t->last_new = now_ns;
		return;
	}
	if (now_ns - t->last_all >= SCAN_ALL_NS) {
		scan(t, 1);
		t->last_all = t->last_new = now_ns;
	} else if (now_ns - t->last_new >= SCAN_NEW_NS) {
		scan(t, 0);
		t->last_new = now_ns;
	}
}

static void add_name(char *list, const char *name)
{
	size_t n = strlen(list), k = strlen(name);

	if (!k || strstr(list, name) || n + k + 2 >= TLS_NAMES_LEN)
		return;
	if (n)
		list[n++] = ',';
	memcpy(list + n, name, k + 1);
}

static int cmp_seen(const void *a, const void *b)
{
	const struct cipher_seen *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Account what sw_tls_cipher gained since the last call: the growth of a
 * process not covered is a blind spot (a covered one's is its handshakes).
 * A process is judged by its scan verdict, or by its maps now if no scan
 * saw it yet; a dead one by its verdict when last seen, and its entry is
 * then deleted. Live blind processes are counted and named in st. */
static void cipher_account(struct tls *t, struct tls_status *st)
{
	struct cipher_seen *next = t->seen_next, *swap;
	size_t n = 0, ndead = 0;
	uint32_t key, nk;
	void *prev = NULL;

	if (t->cipher_fd < 0)
		return;
	/* the map holds at most SW_TLS_MAX_CIPHER keys: the bound is a guard */
	while (n + ndead < SW_TLS_MAX_CIPHER &&
	       !bpf_map_get_next_key(t->cipher_fd, prev, &nk)) {
		struct cipher_seen k = { .pid = (int)nk }, *was;
		struct tls_proc pk = { .pid = (int)nk }, *p, tmp;
		struct sw_tls_cipher v;
		char comm[SW_COMM_LEN + 1];
		int alive;

		key = nk;
		prev = &key;
		if (bpf_map_lookup_elem(t->cipher_fd, &key, &v))
			continue;
		was = t->nseen ? bsearch(&k, t->seen, t->nseen, sizeof(*t->seen), cmp_seen) : NULL;
		alive = kill((int)key, 0) == 0 || errno != ESRCH;
		p = t->nprocs ? bsearch(&pk, t->procs, t->nprocs, sizeof(*t->procs), cmp_proc) : NULL;
		if (p) {
			k.verdict = p->verdict;
		} else if (was) {
			k.verdict = was->verdict;
		} else {
			scan_proc(t, (int)key, &tmp);
			k.verdict = tmp.verdict;
		}
		k.conns = v.conns;
		k.bytes = v.bytes;
		if (was && (v.conns < was->conns || v.bytes < was->bytes))
			was = NULL; /* a new entry (the LRU dropped the old one) */
		if (k.verdict != PV_COVERED) {
			t->blind_conns += v.conns - (was ? was->conns : 0);
			t->blind_bytes += v.bytes - (was ? was->bytes : 0);
		}
		if (!alive) { /* deleted after the walk, which it would restart */
			t->dead[ndead++] = key;
			continue;
		}
		if (k.verdict != PV_COVERED) {
			memcpy(comm, v.comm, SW_COMM_LEN);
			comm[SW_COMM_LEN] = '\0';
			st->procs_blind++;
			add_name(st->blind_names, comm);
		}
		next[n++] = k;
	}
	for (size_t i = 0; i < ndead; i++)
		bpf_map_delete_elem(t->cipher_fd, &t->dead[i]);
	if (n)
		qsort(next, n, sizeof(*next), cmp_seen);
	swap = t->seen;
	t->seen = next;
	t->seen_next = swap;
	t->nseen = n;
}

void tls_status(struct tls *t, struct tls_status *st)
{
	struct sw_tls_nosock v;
	uint32_t key, next;
	void *prev = NULL;
	int fd;

	memset(st, 0, sizeof(*st));
	if (!t)
		return;
	st->libs_attached = t->libs;
	st->bins_attached = t->bins;
	st->attach_failed = t->failed;
	st->internal_attached = t->internal;
	st->procs = (uint32_t)t->nprocs;
	for (size_t i = 0; i < t->nprocs; i++) {
		const struct tls_proc *p = &t->procs[i];

		switch (p->verdict) {
		case PV_COVERED: st->procs_covered++; break;
		case PV_GO:
			st->procs_go++;
			add_name(st->go_names, p->comm);
			break;
		case PV_FAILED:
			st->procs_failed++;
			add_name(st->failed_names, p->comm);
			break;
		}
	}
	fd = bpf_map__fd(t->skel->maps.sw_tls_nosock);
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &v)) {
			char comm[SW_COMM_LEN + 1];

			memcpy(comm, v.comm, SW_COMM_LEN);
			comm[SW_COMM_LEN] = '\0';
			st->procs_nosock++;
			st->nosock_calls += v.calls;
			add_name(st->nosock_names, comm);
		}
		key = next;
		prev = &key;
	}
	cipher_account(t, st);
	st->blind_conns = t->blind_conns;
	st->blind_bytes = t->blind_bytes;
}

int tls_counters(struct tls *t, uint64_t out[SW_TLS_CNT__MAX])
{
	uint64_t *vals;
	int fd;

	memset(out, 0, sizeof(uint64_t) * SW_TLS_CNT__MAX);
	if (!t)
		return 0;
	fd = bpf_map__fd(t->skel->maps.sw_tls_counters);
	vals = calloc((size_t)t->ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < SW_TLS_CNT__MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int i = 0; i < t->ncpu; i++)
			out[k] += vals[i];
	}
	free(vals);
	return 0;
}

void tls_close(struct tls *t)
{
	if (!t)
		return;
	while (t->nlinks)
		bpf_link__destroy(t->links[--t->nlinks]);
	free(t->links);
	tls_bpf__destroy(t->skel);
	free(t->files);
	free(t->procs);
	free(t->seen);
	free(t->seen_next);
	free(t->dead);
	free(t);
}
