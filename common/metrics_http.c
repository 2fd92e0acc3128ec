/* metrics_http.c - the non-blocking /metrics endpoint, serviced from the
 * owner's poll loop (see metrics_http.h). */
#include "common/metrics_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"

int metrics_http_parse_addr(const char *text, struct sockaddr_storage *ss,
			    unsigned *sslen)
{
	char host[128];
	const char *colon, *hs = text, *he;
	char *end;
	unsigned long port;

	if (!text)
		return -EINVAL;
	if (*text == '[') {
		he = strchr(text, ']');
		if (!he || he[1] != ':')
			return -EINVAL;
		hs = text + 1;
		colon = he + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return -EINVAL;
		he = colon;
	}
	if ((size_t)(he - hs) >= sizeof(host) || he == hs)
		return -EINVAL;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (*text != '[') {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*a);
	}
	return 0;
}

void metrics_http_init(struct metrics_http *h)
{
	memset(h, 0, sizeof(*h));
	h->lfd = -1;
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		h->cl[i].fd = -1;
}

int metrics_http_listen(struct metrics_http *h, const char *addr, char *err,
			size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned sl;
	int one = 1;

	if (metrics_http_parse_addr(addr, &ss, &sl)) {
		snprintf(err, errlen, "metrics address '%.80s' is not HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)",
			 addr);
		return -1;
	}
	h->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->lfd < 0) {
		snprintf(err, errlen, "metrics socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(h->lfd, (struct sockaddr *)&ss, sl) < 0 || listen(h->lfd, 16) < 0) {
		snprintf(err, errlen, "cannot listen for metrics on %.80s: %s", addr,
			 strerror(errno));
		return -1;
	}
	sl = sizeof(ss);
	if (getsockname(h->lfd, (struct sockaddr *)&ss, (socklen_t *)&sl) == 0)
		h->port = ntohs(ss.ss_family == AF_INET
					? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

static void client_close(struct metrics_http_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->olen = c->off = c->rlen = 0;
}

void metrics_http_close(struct metrics_http *h)
{
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		client_close(&h->cl[i]);
	if (h->lfd >= 0)
		close(h->lfd);
	h->lfd = -1;
}

/* The whole answer (head and body) becomes c->out; out of memory closes. */
static void respond_as(struct metrics_http_client *c, int code, const char *reason,
		       const char *ctype, const char *extra, const char *body,
		       size_t blen)
{
	char head[512];
	int hl;

	hl = snprintf(head, sizeof(head),
		      "HTTP/1.1 %d %s\r\n%s"
		      "Content-Length: %zu\r\n%sConnection: close\r\n\r\n",
		      code, reason, ctype, blen, extra);
	if (hl < 0 || (size_t)hl >= sizeof(head) ||
	    !(c->out = malloc((size_t)hl + blen + 1))) {
		client_close(c);
		return;
	}
	memcpy(c->out, head, (size_t)hl);
	memcpy(c->out + hl, body, blen);
	c->out[(size_t)hl + blen] = '\0';
	c->olen = (size_t)hl + blen;
	c->off = 0;
}

static void respond(struct metrics_http_client *c, int code, const char *reason,
		    const char *extra, const char *body, size_t blen)
{
	respond_as(c, code, reason,
		   code == 200 ? "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
			       : "Content-Type: text/plain; charset=utf-8\r\n",
		   extra, body, blen);
}

/* Does the head (the lines after the request line) carry
 * "Authorization: Bearer <tok>"? Compared in time independent of where
 * the first difference is. */
static int bearer_ok(const char *head, const char *tok)
{
	size_t tn = strlen(tok);
	const char *l;

	for (l = head; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *v = l + 14, *end;
		unsigned char diff = 0;
		size_t i;

		if (strncasecmp(l, "authorization:", 14))
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(v, "bearer ", 7))
			return 0;
		v += 7;
		end = v + strcspn(v, "\r\n");
		if ((size_t)(end - v) != tn)
			return 0;
		for (i = 0; i < tn; i++)
			diff |= (unsigned char)(v[i] ^ tok[i]);
		return diff == 0;
	}
	return 0;
}

/* A GET of another path than /metrics, through the owner's page callback. */
static void serve_page(struct metrics_http *h, struct metrics_http_client *c,
		       const char *path, const char *query, const char *head)
{
	char *body = NULL;
	size_t blen = 0;
	int rc;

	if (!h->page) {
		respond(c, 404, "Not Found", "", "try /metrics\n", 13);
		return;
	}
	if (h->page_token[0] && !bearer_ok(head, h->page_token)) {
		respond(c, 401, "Unauthorized", "WWW-Authenticate: Bearer\r\n",
			"bearer token required\n", 22);
		return;
	}
	rc = h->page(h->page_arg, path, query, &body, &blen);
	if (rc == 0)
		respond_as(c, 200, "OK", "Content-Type: application/json\r\n", "",
			   body, blen);
	else if (rc == -ENOENT)
		respond(c, 404, "Not Found", "", "not found\n", 10);
	else if (rc == -EINVAL)
		respond(c, 400, "Bad Request", "", "bad request\n", 12);
	else if (rc == -EAGAIN)
		respond(c, 503, "Service Unavailable", "Retry-After: 1\r\n",
			"built recently for another query; try again\n", 44);
	else if (rc == -E2BIG)
		respond(c, 500, "Internal Server Error", "",
			"document over its size cap; narrow it with ?authority=\n", 55);
	else
		respond(c, 500, "Internal Server Error", "", "out of memory\n", 14);
	free(body);
}

/* A whole request head is in c->req: answer it. */
static void handle(struct metrics_http *h, struct metrics_http_client *c,
		   metrics_http_render_fn render, void *arg)
{
	char *sp1, *sp2, *q, *head;
	char *body = NULL;
	size_t blen = 0;

	c->req[c->rlen] = '\0';
	sp1 = strchr(c->req, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strncmp(sp2 + 1, "HTTP/1.", 7)) {
		respond(c, 400, "Bad Request", "", "bad request\n", 12);
		return;
	}
	head = strchr(sp2 + 1, '\n');
	head = head ? head + 1 : sp2 + 1 + strlen(sp2 + 1);
	*sp1 = *sp2 = '\0';
	if (strcmp(c->req, "GET")) {
		respond(c, 405, "Method Not Allowed", "Allow: GET\r\n",
			"only GET\n", 9);
		return;
	}
	q = strchr(sp1 + 1, '?');
	if (q)
		*q++ = '\0';
	if (strcmp(sp1 + 1, "/metrics")) {
		serve_page(h, c, sp1 + 1, q ? q : "", head);
		return;
	}
	h->scrapes++;
	if (render(arg, &body, &blen)) {
		respond(c, 500, "Internal Server Error", "", "out of memory\n", 14);
		return;
	}
	respond(c, 200, "OK", "", body, blen);
	free(body);
}

/* Read what is there; answer once the head is complete. Returns 1 when a
 * response was prepared. */
static int client_read(struct metrics_http *h, struct metrics_http_client *c,
		       metrics_http_render_fn render, void *arg)
{
	for (;;) {
		ssize_t n;

		if (c->rlen + 1 >= sizeof(c->req)) {
			respond(c, 431, "Request Header Fields Too Large", "",
				"request too large\n", 18);
			return 1;
		}
		n = read(c->fd, c->req + c->rlen, sizeof(c->req) - 1 - c->rlen);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			client_close(c);
			return 0;
		}
		c->rlen += (size_t)n;
		c->req[c->rlen] = '\0';
		if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
			handle(h, c, render, arg);
			return 1;
		}
	}
}

static void client_write(struct metrics_http_client *c)
{
	while (c->off < c->olen) {
		ssize_t n = send(c->fd, c->out + c->off, c->olen - c->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	client_close(c);
}

/* The listening socket is readable: take connections into free slots.
 * Returns the number of requests answered on the spot. */
static int accept_new(struct metrics_http *h, uint64_t now,
		      metrics_http_render_fn render, void *arg)
{
	int answered = 0;

	for (int i = 0; i < METRICS_MAX_CLIENTS; i++) {
		struct metrics_http_client *c = &h->cl[i];
		int fd;

		if (c->fd >= 0)
			continue;
		fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;
		c->fd = fd;
		c->deadline_ms = now + METRICS_CLIENT_TIMEOUT_MS;
		/* most scrapers send at once: try without waiting */
		if (client_read(h, c, render, arg))
			answered++;
		if (c->out)
			client_write(c);
	}
	return answered;
}

int metrics_http_poll(struct metrics_http *h, int timeout_ms,
		      metrics_http_render_fn render, void *arg)
{
	struct pollfd pf[METRICS_MAX_CLIENTS + 1];
	int map[METRICS_MAX_CLIENTS + 1];
	int n = 0, free_slot = -1, answered = 0, rc;
	uint64_t now;

	if (h->lfd < 0)
		return 0;
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++) {
		struct metrics_http_client *c = &h->cl[i];

		if (c->fd < 0) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		pf[n].fd = c->fd;
		pf[n].events = c->out ? POLLOUT : POLLIN;
		pf[n].revents = 0;
		map[n++] = i;
	}
	/* a full table leaves new connections in the kernel's backlog */
	if (free_slot >= 0) {
		pf[n].fd = h->lfd;
		pf[n].events = POLLIN;
		pf[n].revents = 0;
		map[n++] = -1;
	}
	rc = poll(pf, (nfds_t)n, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	now = clock_mono_ms();
	for (int k = 0; k < n; k++) {
		struct metrics_http_client *c;

		if (map[k] < 0) {
			if (pf[k].revents & POLLIN)
				answered += accept_new(h, now, render, arg);
			continue;
		}
		c = &h->cl[map[k]];
		if (c->fd != pf[k].fd)
			continue;
		if (pf[k].revents & (POLLERR | POLLNVAL)) {
			client_close(c);
			continue;
		}
		if (!c->out && (pf[k].revents & (POLLIN | POLLHUP)) &&
		    client_read(h, c, render, arg))
			answered++;
		if (c->fd >= 0 && c->out && (pf[k].revents & (POLLOUT | POLLIN | POLLHUP)))
			client_write(c);
	}
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (h->cl[i].fd >= 0 && now > h->cl[i].deadline_ms)
			client_close(&h->cl[i]);
	return answered;
}
