/* grpc.c - gRPC message framing, path split and status parsing. */
#include "collector/decode/grpc.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

void grpc_msgp_feed(struct grpc_msgp *p, const uint8_t *data, size_t len,
		    struct sess_event *keep)
{
	while (len > 0 && !p->lost) {
		if (!p->in_body) {
			size_t need = sizeof(p->pfx) - p->pfx_len;
			size_t take = len < need ? len : need;

			memcpy(p->pfx + p->pfx_len, data, take);
			p->pfx_len = (uint8_t)(p->pfx_len + take);
			data += take;
			len -= take;
			if (p->pfx_len < sizeof(p->pfx))
				return;
			p->left = (uint32_t)p->pfx[1] << 24 | (uint32_t)p->pfx[2] << 16 |
				  (uint32_t)p->pfx[3] << 8 | p->pfx[4];
			p->pfx_len = 0;
			p->in_body = 1;
		}
		if (p->left > 0) {
			size_t take = len < p->left ? len : p->left;

			if (keep)
				sess_add_body(keep, data, take);
			data += take;
			len -= take;
			p->left -= (uint32_t)take;
		}
		if (p->left == 0) {
			/* An empty message completes with its prefix. */
			p->in_body = 0;
			p->msgs++;
		}
	}
}

void grpc_msgp_gap(struct grpc_msgp *p, uint64_t len)
{
	if (p->lost || len == 0)
		return;
	if (p->in_body) {
		if (len <= p->left) {
			p->left -= (uint32_t)len;
			if (p->left == 0) {
				p->in_body = 0;
				p->msgs++;
			}
			return;
		}
		p->msgs++; /* its end lies inside the gap */
	}
	p->lost = 1;
}

int grpc_split_path(const char *path, size_t len, struct sess_event *ev)
{
	const char *slash;
	size_t svc_len;

	/* Exactly "/" service "/" method, both non-empty. */
	if (len < 4 || path[0] != '/')
		return -EINVAL;
	slash = memchr(path + 1, '/', len - 1);
	if (!slash)
		return -EINVAL;
	svc_len = (size_t)(slash - (path + 1));
	if (svc_len == 0 || (size_t)(slash - path) + 1 >= len ||
	    memchr(slash + 1, '/', len - (size_t)(slash - path) - 1))
		return -EINVAL;
	ev->service[0] = ev->rpc[0] = '\0';
	sess_append(ev->service, sizeof(ev->service), path + 1, svc_len, ev, 0);
	sess_append(ev->rpc, sizeof(ev->rpc), slash + 1,
		    len - (size_t)(slash - path) - 1, ev, 0);
	return 0;
}

int grpc_parse_status(const uint8_t *v, size_t len)
{
	int n = 0;
	size_t i;

	if (len == 0 || len > 6)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

int grpc_is_content_type(const uint8_t *v, size_t len)
{
	static const char ct[] = "application/grpc";
	size_t n = sizeof(ct) - 1;

	/* Any "application/grpc*" (+proto, +json, -web): all of them frame
	 * messages with the same 5-byte prefix. */
	return len >= n && strncasecmp((const char *)v, ct, n) == 0;
}
