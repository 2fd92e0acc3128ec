/* blocklist_sub.c - fleet block list subscriber: snapshot + sequenced deltas.
 * Here: the sockets (SUB for deltas, DEALER for snapshot requests, CURVE),
 * polling and draining them, the encoders for the publisher and CIDR text.
 * The list state the messages feed is in blocklist_sub_state.c.
 */
#include "collector/uplink/blocklist_sub_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <zmq.h>

#include <pb_encode.h>

#include "common/curvekey.h"
#include "collector/uplink/pbconv.h"
#include "sidewatch.pb.h"
#include "collector/uplink/uplink.h"

/* --- sockets -------------------------------------------------------------- */

static int curve_client(struct blocklist_sub *b, void *s, char *err, size_t errlen)
{
	char sec[41], pub[41], srv[41];
	int rc;

	if (!b->cfg.secret_key_file || (!b->cfg.server_key_file && !b->cfg.server_key)) {
		snprintf(err, errlen, "block list: CURVE needs key files (or plain mode)");
		return -EINVAL;
	}
	if (b->cfg.server_key && strlen(b->cfg.server_key) != 40) {
		snprintf(err, errlen, "block list: the server key is not 40 characters of z85");
		return -EINVAL;
	}
	if (b->cfg.server_key)
		memcpy(srv, b->cfg.server_key, 41);
	if ((rc = curvekey_read(b->cfg.secret_key_file, sec)) < 0 ||
	    (!b->cfg.server_key && (rc = curvekey_read(b->cfg.server_key_file, srv)) < 0)) {
		snprintf(err, errlen, "block list: cannot read the CURVE keys: %s",
			 strerror(-rc));
		return rc;
	}
	if (zmq_curve_public(pub, sec) < 0 ||
	    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, srv, 40) < 0 ||
	    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 40) < 0 ||
	    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 40) < 0) {
		memset(sec, 0, sizeof(sec));
		snprintf(err, errlen, "block list: CURVE setup failed: %s",
			 zmq_strerror(errno));
		return -EINVAL;
	}
	memset(sec, 0, sizeof(sec));
	return 0;
}

/* SUB for deltas, DEALER for snapshots, both connected. */
static int connect_sockets(struct blocklist_sub *b, char *err, size_t errlen)
{
	int64_t maxmsg = BLOCKLIST_MAX_MSG;
	int zero = 0, one = 1, hwm = 100000, ivl = 100, ivlmax = 2000;
	void *socks[2];
	int i;

	b->sub = zmq_socket(b->zctx, ZMQ_SUB);
	b->req = zmq_socket(b->zctx, ZMQ_DEALER);
	if (!b->sub || !b->req)
		goto zfail;
	socks[0] = b->sub;
	socks[1] = b->req;
	for (i = 0; i < 2; i++) {
		zmq_setsockopt(socks[i], ZMQ_LINGER, &zero, sizeof(zero));
		zmq_setsockopt(socks[i], ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg));
		zmq_setsockopt(socks[i], ZMQ_RECONNECT_IVL, &ivl, sizeof(ivl));
		zmq_setsockopt(socks[i], ZMQ_RECONNECT_IVL_MAX, &ivlmax, sizeof(ivlmax));
		if (!b->cfg.plain && curve_client(b, socks[i], err, errlen) < 0)
			return -EINVAL;
	}
	zmq_setsockopt(b->sub, ZMQ_RCVHWM, &hwm, sizeof(hwm));
	/* a request to a correlator that is not there is retried, not queued */
	zmq_setsockopt(b->req, ZMQ_IMMEDIATE, &one, sizeof(one));
	if (zmq_setsockopt(b->sub, ZMQ_SUBSCRIBE, BLOCKLIST_TOPIC_DELTA, 1) < 0 ||
	    zmq_connect(b->sub, b->cfg.endpoint) < 0 ||
	    zmq_connect(b->req, b->cfg.req_endpoint) < 0)
		goto zfail;
	b->opened_ms = mono_ms();
	b->heard = 0;
	return 0;
zfail:
	snprintf(err, errlen, "block list: zmq: %s", zmq_strerror(errno));
	return -EIO;
}

static void close_sockets(struct blocklist_sub *b)
{
	if (b->sub)
		zmq_close(b->sub);
	if (b->req)
		zmq_close(b->req);
	b->sub = b->req = NULL;
}

static int open_sockets(struct blocklist_sub *b, char *err, size_t errlen)
{
	b->zctx = zmq_ctx_new();
	if (!b->zctx) {
		snprintf(err, errlen, "block list: zmq: %s", zmq_strerror(errno));
		return -EIO;
	}
	return connect_sockets(b, err, errlen);
}

/* Still joining BLOCKLIST_SUB_REOPEN_MS after the sockets were made, and nothing
 * ever came on them: the correlator may have refused our key and admitted
 * it since; libzmq will not try again by itself. Sockets that have had
 * messages are kept (a later resync runs on them). */
static void reopen_if_unanswered(struct blocklist_sub *b, uint64_t now)
{
	char err[256];

	if (!b->need_snap || b->heard || !b->zctx || now - b->opened_ms < BLOCKLIST_SUB_REOPEN_MS)
		return;
	close_sockets(b);
	b->st.reopens++;
	b->last_req_ms = 0;
	if (connect_sockets(b, err, sizeof(err)) < 0) {
		close_sockets(b);
		b->opened_ms = now; /* try again after the same wait */
	}
}

/* *p (when set) copied into buf, and *p pointed at the copy. */
static int copy_str(char *buf, size_t cap, const char **p)
{
	if (!*p)
		return 0;
	if (strlen(*p) >= cap)
		return -1;
	strcpy(buf, *p);
	*p = buf;
	return 0;
}

struct blocklist_sub *blocklist_sub_new(const struct blocklist_sub_config *cfg, char *err,
			      size_t errlen)
{
	struct blocklist_sub *b;

	if (!cfg || !cfg->apply) {
		snprintf(err, errlen, "block list: an apply callback is required");
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "block list: out of memory");
		return NULL;
	}
	b->cfg = *cfg;
	if (copy_str(b->endpoint, sizeof(b->endpoint), &b->cfg.endpoint) ||
	    copy_str(b->req_endpoint, sizeof(b->req_endpoint), &b->cfg.req_endpoint) ||
	    copy_str(b->secret_key_file, sizeof(b->secret_key_file), &b->cfg.secret_key_file) ||
	    copy_str(b->server_key_file, sizeof(b->server_key_file), &b->cfg.server_key_file) ||
	    copy_str(b->server_key, sizeof(b->server_key), &b->cfg.server_key)) {
		snprintf(err, errlen, "block list: an endpoint or key path is too long");
		free(b);
		return NULL;
	}
	if (!b->cfg.resync_ms)
		b->cfg.resync_ms = 1000;
	if (!b->cfg.max_entries || b->cfg.max_entries > BLOCKLIST_SUB_MAX_ENTRIES)
		b->cfg.max_entries = BLOCKLIST_SUB_MAX_ENTRIES;
	if (!b->cfg.req_endpoint)
		b->cfg.req_endpoint = "tcp://127.0.0.1:7450";
	b->need_snap = 1; /* joining: the list starts with a snapshot */
	if (b->cfg.endpoint && open_sockets(b, err, errlen) < 0) {
		blocklist_sub_free(b);
		return NULL;
	}
	if (b->cfg.uplink)
		uplink_set_counter(b->cfg.uplink, "blocklist_version", 0);
	return b;
}

void blocklist_sub_free(struct blocklist_sub *b)
{
	unsigned i;

	if (!b)
		return;
	close_sockets(b);
	if (b->zctx)
		zmq_ctx_term(b->zctx);
	for (i = 0; i < b->npend; i++)
		free(b->pend[i].data);
	free(b->tab);
	free(b->undo);
	free(b);
}

static void drain(struct blocklist_sub *b, void *s, int is_sub)
{
	for (;;) {
		zmq_msg_t m;
		int more = 0;
		size_t ml = sizeof(more);

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, s, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		b->heard = 1;
		zmq_getsockopt(s, ZMQ_RCVMORE, &more, &ml);
		if (more) { /* ours are single frames */
			b->st.bad_messages++;
		} else if (is_sub) {
			blocklist_sub_on_delta(b, zmq_msg_data(&m), zmq_msg_size(&m));
		} else {
			blocklist_sub_on_snapshot(b, zmq_msg_data(&m), zmq_msg_size(&m));
		}
		zmq_msg_close(&m);
		while (more) {
			zmq_msg_init(&m);
			zmq_msg_recv(&m, s, 0);
			zmq_getsockopt(s, ZMQ_RCVMORE, &more, &ml);
			zmq_msg_close(&m);
		}
	}
}

int blocklist_sub_poll_prepare(struct blocklist_sub *b, void *socks[2])
{
	uint64_t now = mono_ms();

	socks[0] = socks[1] = NULL;
	blocklist_sub_expire(b, unix_us());
	reopen_if_unanswered(b, now);
	if (!b->sub)
		return -1;
	socks[0] = b->sub;
	socks[1] = b->req;
	if (b->need_snap && (!b->last_req_ms || now - b->last_req_ms >= b->cfg.resync_ms)) {
		if (zmq_send(b->req, BLOCKLIST_REQ_MAGIC, BLOCKLIST_REQ_MAGIC_LEN,
			     ZMQ_DONTWAIT) >= 0)
			b->st.snapshot_requests++;
		b->last_req_ms = now ? now : 1;
	}
	return b->need_snap ? (int)b->cfg.resync_ms : -1;
}

void blocklist_sub_poll_ready(struct blocklist_sub *b, int sub_ready, int req_ready)
{
	if (sub_ready && b->sub)
		drain(b, b->sub, 1);
	if (req_ready && b->req)
		drain(b, b->req, 0);
}

int blocklist_sub_poll(struct blocklist_sub *b, int timeout_ms)
{
	zmq_pollitem_t pi[2];
	void *socks[2];
	int lim = blocklist_sub_poll_prepare(b, socks);

	if (!socks[0])
		return 0;
	pi[0] = (zmq_pollitem_t){ .socket = socks[0], .events = ZMQ_POLLIN };
	pi[1] = (zmq_pollitem_t){ .socket = socks[1], .events = ZMQ_POLLIN };
	if (lim >= 0 && timeout_ms > lim)
		timeout_ms = lim;
	if (zmq_poll(pi, 2, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	blocklist_sub_poll_ready(b, pi[0].revents & ZMQ_POLLIN, pi[1].revents & ZMQ_POLLIN);
	return 0;
}
