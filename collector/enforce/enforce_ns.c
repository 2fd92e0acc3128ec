/* enforce_ns.c - the network namespaces of the machine: found by inode
 * through /proc/<pid>/ns/net and /run/netns, held open by fd, entered and
 * left by the enforcement thread. */
#include "collector/enforce/enforce_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

uint32_t enforce_ns_ino(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	return (uint32_t)st.st_ino;
}

static struct enforce_ns_entry *ns_find(struct enforce *e, uint32_t ino)
{
	for (size_t i = 0; i < e->nns; i++)
		if (e->ns[i].ino == ino)
			return &e->ns[i];
	return NULL;
}

static void ns_note(struct enforce *e, const char *path)
{
	uint32_t ino = enforce_ns_ino(path);
	struct enforce_ns_entry *n;
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
		struct enforce_ns_entry *p = realloc(e->ns, cap * sizeof(*p));

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
	e->ns[e->nns++] = (struct enforce_ns_entry){ .ino = ino, .fd = fd, .seen = 1 };
}

/* Find every namespace with a process or an `ip netns` name. A cached fd
 * keeps its namespace alive, so entries no scan finds are dropped: a
 * namespace only we still hold is dead for everyone else. */
void enforce_ns_scan(struct enforce *e)
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

int enforce_ns_enter(struct enforce *e, uint32_t ino)
{
	struct enforce_ns_entry *n;

	if (!ino || ino == e->home_ino)
		return 0;
	if (e->netns_self)
		return -ENOENT;
	n = ns_find(e, ino);
	if (!n) {
		enforce_ns_scan(e);
		n = ns_find(e, ino);
		if (!n)
			return -ENOENT;
	}
	if (setns(n->fd, CLONE_NEWNET))
		return -errno;
	return 0;
}

void enforce_ns_leave(struct enforce *e, uint32_t ino)
{
	if (!ino || ino == e->home_ino)
		return;
	if (setns(e->home_fd, CLONE_NEWNET))
		log_msg(LOG_WARN, "enforce: cannot return to our namespace: %s",
			strerror(errno));
}

void enforce_ns_forget(struct enforce *e)
{
	for (size_t i = 0; i < e->nns; i++)
		close(e->ns[i].fd);
	free(e->ns);
	e->ns = NULL;
	e->nns = e->capns = 0;
}
