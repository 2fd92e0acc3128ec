/* enforce_attach.c - the ingress drop program as tcx links on every
 * interface of every known namespace (or only ours with netns_self). */
#include "collector/enforce/enforce_int.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

/* Not in libbpf 1.1's uapi copy; values from the kernel's enum bpf_attach_type
 * and enum bpf_link_type (stable uapi numbers). */
#ifndef BPF_TCX_INGRESS
#define SW_BPF_TCX_INGRESS 46
#else
#define SW_BPF_TCX_INGRESS BPF_TCX_INGRESS
#endif
#define SW_BPF_LINK_TYPE_TCX 11

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
			struct enforce_attachment *a = realloc(e->at, cap * sizeof(*a));

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
		e->at[e->nat++] = (struct enforce_attachment){
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
	enforce_ns_scan(e);
	added += attach_here(e, e->home_ino, &first_err);
	for (size_t i = 0; i < e->nns; i++) {
		if (setns(e->ns[i].fd, CLONE_NEWNET)) {
			if (!first_err)
				first_err = -errno;
			continue;
		}
		added += attach_here(e, e->ns[i].ino, &first_err);
		enforce_ns_leave(e, e->ns[i].ino);
	}
	return added ? added : first_err;
}

int enforce_attach_all(struct enforce *e)
{
	return enforce_thread_run(e, attach_job_run, NULL);
}

static int count_job_run(struct enforce *e, void *arg)
{
	return (int)e->nat;
}

int enforce_attached(struct enforce *e)
{
	return enforce_thread_run(e, count_job_run, NULL);
}

void enforce_attach_forget(struct enforce *e)
{
	for (size_t i = 0; i < e->nat; i++)
		close(e->at[i].link_fd);
	free(e->at);
	e->at = NULL;
	e->nat = e->capat = 0;
}
