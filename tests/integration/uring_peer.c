/* uring_peer.c - an HTTP/1.1 server that moves its socket bytes with
 * io_uring (raw syscalls, <linux/io_uring.h>; no liburing), for
 * io_uring.sh. Built by the test with gcc.
 *
 *   uring_peer FAMILY ADDR PORT MODE COUNT
 *
 * serves COUNT connections, one request each (accept4() is a plain
 * syscall: it moves no payload), then prints
 *   "uring calls N bytes B"
 * where N is the io_uring socket operations that completed with data and B
 * their bytes: what the kernel's socket tracepoints saw through io_uring.
 * Prints "listening" once bound. MODE:
 *   sendrecv  IORING_OP_RECV / IORING_OP_SEND, completions awaited in
 *             io_uring_enter (the submitting task does the I/O)
 *   readwrite IORING_OP_READ / IORING_OP_WRITE on the socket
 *   async     IORING_OP_RECV / IORING_OP_SEND with IOSQE_ASYNC (an io-wq
 *             worker thread does the I/O)
 *   decoy     the RECV is submitted before the request arrives, then the
 *             task blocks in read(2) of a timerfd into a buffer holding a
 *             forged request: the RECV completes in task work run at that
 *             read's interruption, with read's registers in place (the
 *             client, decoy_client in io_uring.sh, waits before sending)
 * The response is "200 OK" with BODY bytes; the request path is echoed in
 * an X-Path header so the test can match exchanges.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define BODY 2000
#define REQ_MAX 8192

struct ring {
	int fd;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static unsigned long long n_calls, n_bytes;

static int ring_init(struct ring *r)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (!(p.features & IORING_FEAT_SINGLE_MMAP))
		return -ENOTSUP;
	if (cq_len > sq_len)
		sq_len = cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_head = (unsigned *)(sq + p.sq_off.head);
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Queue one operation on fd and tell the kernel (io_uring_enter), without
 * waiting for it. */
static int submit(struct ring *r, int op, int fd, void *buf, unsigned len, int async)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (__u8)op;
	sqe->fd = fd;
	sqe->addr = (unsigned long)buf;
	sqe->len = len;
	if (op == IORING_OP_READ || op == IORING_OP_WRITE)
		sqe->off = (__u64)-1; /* the file position: none for a socket */
	sqe->flags = async ? IOSQE_ASYNC : 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 0, 0, NULL, 0) != 1)
		return -1;
	return 0;
}

/* Wait for the one completion in flight; its result. */
static int reap(struct ring *r)
{
	unsigned head;
	int res;

	for (int i = 0; i < 1000; i++) {
		head = *r->cq_head;
		if (head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
			res = r->cqes[head & *r->cq_mask].res;
			__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
			if (res > 0) {
				n_calls++;
				n_bytes += (unsigned)res;
			}
			return res;
		}
		if (syscall(__NR_io_uring_enter, r->fd, 0, 1, IORING_ENTER_GETEVENTS,
			    NULL, 0) < 0 && errno != EINTR)
			return -errno;
	}
	return -ETIMEDOUT;
}

static int op_io(struct ring *r, int op, int fd, void *buf, unsigned len, int async)
{
	if (submit(r, op, fd, buf, len, async))
		return -errno;
	return reap(r);
}

/* The forged request left in the buffer of the blocking read(2). */
static char decoy[4096] =
	"GET /decoy/forged HTTP/1.1\r\nHost: decoy\r\nX-Pad: ";

/* Block in read(2) of a timerfd into decoy for ms: the RECV submitted just
 * before completes meanwhile, in task work. */
static int decoy_wait(int ms)
{
	struct itimerspec its = { .it_value = { ms / 1000, (ms % 1000) * 1000000L } };
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	ssize_t n;

	if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL))
		return -1;
	do
		n = read(tfd, decoy, sizeof(decoy));
	while (n < 0 && errno == EINTR);
	close(tfd);
	return n == 8 ? 0 : -1;
}

static int serve_one(struct ring *r, int c, const char *mode)
{
	int rd = strcmp(mode, "readwrite") ? IORING_OP_RECV : IORING_OP_READ;
	int wr = strcmp(mode, "readwrite") ? IORING_OP_SEND : IORING_OP_WRITE;
	int async = !strcmp(mode, "async"), n;
	static char req[REQ_MAX + 1], resp[REQ_MAX + BODY];
	size_t got = 0, len, off = 0;
	char path[256] = "/", *p, *e;

	if (!strcmp(mode, "decoy")) {
		if (submit(r, IORING_OP_RECV, c, req, REQ_MAX, 0) || decoy_wait(1500))
			return -1;
		n = reap(r);
		if (n <= 0)
			return -1;
		got = (size_t)n;
	}
	while (got < REQ_MAX) {
		req[got] = 0;
		if (strstr(req, "\r\n\r\n"))
			break;
		n = op_io(r, rd, c, req + got, (unsigned)(REQ_MAX - got), async);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	req[got] = 0;
	p = strchr(req, ' ');
	if (p && (e = strchr(p + 1, ' ')) && (size_t)(e - p - 1) < sizeof(path)) {
		memcpy(path, p + 1, (size_t)(e - p - 1));
		path[e - p - 1] = 0;
	}
	len = (size_t)snprintf(resp, sizeof(resp),
			       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			       "X-Path: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
			       path, BODY);
	memset(resp + len, 'u', BODY);
	len += BODY;
	while (off < len) {
		n = op_io(r, wr, c, resp + off, (unsigned)(len - off), async);
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct ring r;
	int six, ls, one = 1, count, rc;

	if (argc != 6) {
		fprintf(stderr, "usage: uring_peer 4|6 ADDR PORT MODE COUNT\n");
		return 2;
	}
	alarm(90); /* bounded whatever the peers do */
	six = !strcmp(argv[1], "6");
	count = atoi(argv[5]);
	memset(&ss, 0, sizeof(ss));
	if (six) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)atoi(argv[3]));
		rc = inet_pton(AF_INET6, argv[2], &a->sin6_addr);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)atoi(argv[3]));
		rc = inet_pton(AF_INET, argv[2], &a->sin_addr);
		sl = sizeof(*a);
	}
	if (rc != 1) {
		fprintf(stderr, "uring_peer: bad address %s\n", argv[2]);
		return 2;
	}
	if ((rc = ring_init(&r))) {
		fprintf(stderr, "uring_peer: io_uring_setup: %s\n", strerror(-rc));
		return 1;
	}
	ls = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(ls, (struct sockaddr *)&ss, sl) || listen(ls, 16)) {
		perror("uring_peer: listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (int i = 0; i < count; i++) {
		int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			perror("uring_peer: accept");
			return 1;
		}
		if (serve_one(&r, c, argv[4]))
			fprintf(stderr, "uring_peer: connection %d failed\n", i + 1);
		close(c);
	}
	printf("uring calls %llu bytes %llu\n", n_calls, n_bytes);
	return 0;
}
