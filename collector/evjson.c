/* evjson.c - session events as JSON lines. */
#include "collector/evjson.h"
#include "common/json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int64_t evjson_clock_offset(void)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	return ((int64_t)real.tv_sec - (int64_t)mono.tv_sec) * 1000000000ll +
	       ((int64_t)real.tv_nsec - (int64_t)mono.tv_nsec);
}

void evjson_addr(char *out, size_t cap, uint8_t family, const uint8_t *addr,
		 uint16_t port)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (family == AF_INET6) {
		inet_ntop(AF_INET6, addr, ip, sizeof(ip));
		snprintf(out, cap, "[%s]:%u", ip, port);
	} else {
		inet_ntop(AF_INET, addr, ip, sizeof(ip));
		snprintf(out, cap, "%s:%u", ip, port);
	}
}

static const char *const trunc_names[] = {
	"method", "authority", "path", "query", "headers", "body", "capture",
};

static const char *const ws_phase_names[] = { "open", "periodic", "close" };

void evjson_fields(struct json_buf *jb, const struct evjson_ctx *ctx,
		   const struct sess_event *ev)
{
	const struct sess_conn *c = ev->conn;
	char ts[40], addr[64];
	uint64_t t = ev->req_ns ? ev->req_ns : ev->end_ns;

	json_rfc3339(ts, sizeof(ts), (uint64_t)((int64_t)t + ctx->mono_to_unix_ns));
	json_kv_str(jb, "kind", ev->kind == SESS_KIND_VERDICT ? "verdict" : "session");
	json_kv_str(jb, "ts", ts);
	json_kv_str(jb, "host", ctx->host);
	json_kv_str(jb, "proto", sess_proto_name(ev->proto));
	if (c) {
		evjson_addr(addr, sizeof(addr), c->family, c->client_addr, c->client_port);
		json_kv_str(jb, "src", addr);
		evjson_addr(addr, sizeof(addr), c->family, c->server_addr, c->server_port);
		json_kv_str(jb, "dst", addr);
		if (c->pp_family) {
			/* what a PROXY protocol header said (trusted or not) */
			evjson_addr(addr, sizeof(addr), c->pp_family, c->pp_addr, c->pp_port);
			json_kv_str(jb, "pp_client", addr);
		}
		json_kv_u64(jb, "pid", c->tgid);
		json_kv_str(jb, "comm", c->comm);
		json_kv_bool(jb, "tls", c->tls);
		json_kv_u64(jb, "conn", c->cookie);
		json_kv_u64(jb, "netns", c->netns);
	}
	if (ev->proto == SESS_PROTO_WEBSOCKET) {
		json_kv_str(jb, "phase", ws_phase_names[ev->ws_phase <= SESS_WS_CLOSE ? ev->ws_phase : 0]);
		json_kv_str(jb, "authority", ev->authority);
		json_kv_str(jb, "path", ev->path);
		json_kv_str(jb, "origin", ev->origin);
		if (ev->subprotocol[0])
			json_kv_str(jb, "subprotocol", ev->subprotocol);
		json_kv_u64(jb, "client_msgs", ev->client_msgs);
		json_kv_u64(jb, "server_msgs", ev->server_msgs);
		json_kv_u64(jb, "client_bytes", ev->client_bytes);
		json_kv_u64(jb, "server_bytes", ev->server_bytes);
		json_kv_i64(jb, "close_code", ev->close_code);
		if (ev->end_ns > ev->req_ns && ev->req_ns)
			json_kv_u64(jb, "duration_us", (ev->end_ns - ev->req_ns) / 1000);
	} else {
		json_kv_str(jb, "method", ev->method);
		json_kv_str(jb, "authority", ev->authority);
		json_kv_str(jb, "path", ev->path);
		json_kv_str(jb, "query", ev->query);
		json_kv_i64(jb, "status", ev->status);
		json_kv_u64(jb, "req_bytes", ev->req_bytes);
		json_kv_u64(jb, "resp_bytes", ev->resp_bytes);
		json_kv_u64(jb, "latency_us",
			    ev->end_ns > ev->req_ns && ev->resp_ns ?
				    (ev->end_ns - ev->req_ns) / 1000 : 0);
		if (ev->proto == SESS_PROTO_HTTP2 || ev->proto == SESS_PROTO_GRPC)
			json_kv_u64(jb, "stream_id", ev->stream_id);
		if (ev->proto == SESS_PROTO_GRPC) {
			json_kv_str(jb, "service", ev->service);
			json_kv_str(jb, "rpc", ev->rpc);
			json_kv_i64(jb, "grpc_status", ev->grpc_status);
			if (ev->grpc_message[0])
				json_kv_str(jb, "grpc_message", ev->grpc_message);
			json_kv_u64(jb, "req_msgs", ev->req_msgs);
			json_kv_u64(jb, "resp_msgs", ev->resp_msgs);
		}
	}
	if (ev->flags & SESS_F_PARTIAL)
		json_kv_bool(jb, "partial", 1);
	if (ev->flags & SESS_F_NO_RESP)
		json_kv_bool(jb, "no_response", 1);
	if (ev->flags & SESS_F_BODY_GAP)
		json_kv_bool(jb, "body_gap", 1);
	if (ev->trunc) {
		json_arr_open(jb, "truncated");
		for (unsigned i = 0; i < sizeof(trunc_names) / sizeof(trunc_names[0]); i++)
			if (ev->trunc & (1u << i))
				json_val_strn(jb, trunc_names[i], strlen(trunc_names[i]));
		json_arr_close(jb);
	}
	if (ev->n_anom) {
		json_key(jb, "anomalies");
		json_obj_open(jb);
		for (uint32_t i = 0; i < ev->n_anom; i++)
			json_kv_u64(jb, ev->anom[i].name, ev->anom[i].count);
		json_obj_close(jb);
	}
}

int evjson_format(char *buf, size_t cap, const struct evjson_ctx *ctx,
		  const struct sess_event *ev)
{
	struct json_buf jb;

	json_init(&jb, buf, cap);
	json_obj_open(&jb);
	evjson_fields(&jb, ctx, ev);
	json_obj_close(&jb);
	return jb.overflow ? -ENOSPC : 0;
}
