/* pbconv.c - session event -> protobuf SessionEvent. */
#include "collector/uplink/pbconv.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* The .options bounds mirror sess.h: a char[N] in sess.h carries N-1 bytes. */
#define SW_FIELD_CAP(type, field) (sizeof(((type *)0)->field.bytes))
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, method) == SESS_MAX_METHOD - 1, "method bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, authority) == SESS_MAX_AUTHORITY - 1, "authority bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, path) == SESS_MAX_PATH - 1, "path bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, query) == SESS_MAX_QUERY - 1, "query bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, service) == SESS_MAX_NAME - 1, "service bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, rpc) == SESS_MAX_NAME - 1, "rpc bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, origin) == SESS_MAX_AUTHORITY - 1, "origin bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, subprotocol) == SESS_MAX_NAME - 1, "subprotocol bound");
_Static_assert(SW_FIELD_CAP(sidewatch_SessionEvent, comm) == sizeof(((struct sess_conn *)0)->comm) - 1, "comm bound");
_Static_assert(sizeof(((sidewatch_SessionEvent *)0)->anomalies) /
	       sizeof(((sidewatch_SessionEvent *)0)->anomalies[0]) == SESS_MAX_ANOM, "anomaly count");

/* A sess.h char[] field: bytes up to its NUL, never past its size. */
#define COPY_FIELD(dstf, srcarr, bit)                                         \
	do {                                                                  \
		if (pbfield_bytes(out->dstf.bytes, &out->dstf.size,            \
				 sizeof(out->dstf.bytes), (srcarr),           \
				 strnlen((srcarr), sizeof(srcarr))))          \
			out->trunc |= (bit);                                  \
	} while (0)

static void conv_addr(const struct sess_conn *c, const uint8_t *addr,
		      uint8_t *dst, pb_size_t *len)
{
	size_t n = c->family == AF_INET6 ? 16 : c->family == AF_INET ? 4 : 0;

	memcpy(dst, addr, n);
	*len = (pb_size_t)n;
}

/* A projection (shardup.h) keeps what correlator/fleet_win.c reads of an
 * event (kind, source, status, authority, path, identity, gRPC service and
 * status, times, host) and drops the rest: it is never stored. */
static void slim(sidewatch_SessionEvent *out)
{
	out->query.size = 0;
	out->comm.size = 0;
	out->dst_ip.size = 0;
	out->dst_port = out->src_port = out->pid = 0;
	out->conn_id = 0;
	out->rpc.size = 0;
	out->origin.size = 0;
	out->subprotocol.size = 0;
	out->anomalies_count = 0;
	out->rule[0] = out->severity[0] = out->action[0] = '\0';
}

int pbconv_event(const struct sess_event *ev, const struct pbconv_extra *x,
		 const char *host, uint64_t boot_to_unix_ns,
		 sidewatch_SessionEvent *out)
{
	uint32_t i;

	if (!ev || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->kind = ev->kind == SESS_KIND_VERDICT ? sidewatch_Kind_KIND_VERDICT
						  : sidewatch_Kind_KIND_SESSION;
	out->proto = (sidewatch_Proto)ev->proto;
	out->ts_us = ev->req_ns ? (ev->req_ns + boot_to_unix_ns) / 1000 : 0;
	if (pbfield_str(out->host, sizeof(out->host), host))
		out->trunc |= PBCONV_TRUNC_HOST;
	out->flags = ev->flags;
	out->trunc |= ev->trunc;

	if (ev->conn) {
		const struct sess_conn *c = ev->conn;

		conv_addr(c, c->client_addr, out->src_ip.bytes, &out->src_ip.size);
		conv_addr(c, c->server_addr, out->dst_ip.bytes, &out->dst_ip.size);
		out->src_port = c->client_port;
		out->dst_port = c->server_port;
		out->pid = c->tgid;
		out->tls = c->tls != 0;
		out->conn_id = c->cookie;
		pbfield_bytes(out->comm.bytes, &out->comm.size, sizeof(out->comm.bytes),
			     c->comm, strnlen(c->comm, sizeof(c->comm)));
	}

	COPY_FIELD(method, ev->method, SESS_TRUNC_METHOD);
	COPY_FIELD(authority, ev->authority, SESS_TRUNC_AUTHORITY);
	COPY_FIELD(path, ev->path, SESS_TRUNC_PATH);
	COPY_FIELD(query, ev->query, SESS_TRUNC_QUERY);
	out->status = ev->status;
	out->req_bytes = ev->req_bytes;
	out->resp_bytes = ev->resp_bytes;
	out->latency_us = ev->resp_ns > ev->req_ns && ev->req_ns
				  ? (ev->resp_ns - ev->req_ns) / 1000 : 0;
	out->stream_id = ev->stream_id;

	COPY_FIELD(service, ev->service, 0);
	COPY_FIELD(rpc, ev->rpc, 0);
	out->grpc_status = ev->grpc_status;
	out->req_msgs = ev->req_msgs;
	out->resp_msgs = ev->resp_msgs;

	out->ws_phase = (sidewatch_WsPhase)ev->ws_phase;
	COPY_FIELD(origin, ev->origin, 0);
	COPY_FIELD(subprotocol, ev->subprotocol, 0);
	out->client_msgs = ev->client_msgs;
	out->server_msgs = ev->server_msgs;
	out->client_bytes = ev->client_bytes;
	out->server_bytes = ev->server_bytes;
	out->close_code = ev->close_code;

	for (i = 0; i < ev->n_anom && i < SESS_MAX_ANOM; i++) {
		sidewatch_Anomaly *a = &out->anomalies[out->anomalies_count];

		if (!ev->anom[i].name)
			continue;
		if (pbfield_str(a->name, sizeof(a->name), ev->anom[i].name))
			out->trunc |= PBCONV_TRUNC_ANOM;
		a->count = ev->anom[i].count;
		out->anomalies_count++;
	}

	if (x) {
		if (x->identity &&
		    pbfield_bytes(out->identity.bytes, &out->identity.size,
				 sizeof(out->identity.bytes), x->identity,
				 x->identity_len))
			out->trunc |= PBCONV_TRUNC_IDENTITY;
		if (pbfield_str(out->rule, sizeof(out->rule), x->rule) |
		    pbfield_str(out->severity, sizeof(out->severity), x->severity) |
		    pbfield_str(out->action, sizeof(out->action), x->action))
			out->trunc |= PBCONV_TRUNC_VERDICT;
		out->detect_latency_us = x->detect_latency_us;
		out->enforce_latency_us = x->enforce_latency_us;
		if (x->projection) {
			out->projection = x->projection;
			slim(out);
		}
	}
	return 0;
}
