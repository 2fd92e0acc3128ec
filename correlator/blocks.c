/* blocks.c - block list state in PostgreSQL, published over ZeroMQ. */
#include "correlator/blocks.h"
#include "common/clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <zmq.h>

#include <libpq-fe.h>

#include "common/blocklist.h"
#include "common/pbfield.h"
#include "common/sortarr.h"
#include "correlator/pgx.h"

#define TAIL_VERSIONS 1000 /* versions per tail query: bounded memory */
#define PROT_MAX 1024      /* protected addresses remembered */

struct mentry {
	int64_t id;
	struct blocklist_entry e;
};

struct blocks {
	char *url;
	void *pub;
	PGconn *conn;
	struct sortarr active;     /* struct mentry, sorted by id */
	uint64_t version;          /* published */
	int loaded;
	uint64_t last_tick, last_sweep, last_tail;
	int dirty;                 /* a NOTIFY arrived: tail now */
	struct blocks_stats st;
	struct { char addr[INET6_ADDRSTRLEN]; uint8_t kind; } prot[PROT_MAX];
	size_t nprot;
};

static uint64_t mono_ms(void)
{
	return clock_mono_ms();
}

static int mentry_cmp(const void *pa, const void *pb)
{
	const struct mentry *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

struct blocks *blocks_new(const char *pg_url, void *pub)
{
	struct blocks *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	sortarr_init(&b->active, sizeof(struct mentry), BLOCKS_MAX_ACTIVE, mentry_cmp);
	b->url = strdup(pg_url);
	b->pub = pub;
	if (!b->url) {
		free(b);
		return NULL;
	}
	return b;
}

void blocks_free(struct blocks *b)
{
	if (!b)
		return;
	blocks_disconnect(b);
	sortarr_free(&b->active);
	free(b->url);
	free(b);
}

int blocks_connected(const struct blocks *b)
{
	return pgx_connected(b->conn);
}

void blocks_disconnect(struct blocks *b)
{
	if (b->conn)
		PQfinish(b->conn);
	b->conn = NULL;
}

int blocks_fd(const struct blocks *b)
{
	return blocks_connected(b) ? PQsocket(b->conn) : -1;
}

static void prot_self(struct blocks *b);

/* --- the in-memory list ----------------------------------------------- */

static int m_put(struct blocks *b, int64_t id, const struct blocklist_entry *e)
{
	struct mentry m = { .id = id, .e = *e };

	return sortarr_put(&b->active, &m);
}

static void m_del(struct blocks *b, int64_t id)
{
	struct mentry key = { .id = id };

	sortarr_del(&b->active, &key);
}

/* Columns: id, family, host, masklen, identity, rule, expires_us. */
#define ENTRY_COLS \
	"b.id, family(b.addr), host(b.addr), masklen(b.addr), " \
	"coalesce(b.identity, ''), b.rule, " \
	"coalesce((extract(epoch FROM b.expires_at) * 1000000)::bigint, 0)"

static int row_entry(PGresult *r, int i, int c0, int64_t *id,
		     struct blocklist_entry *e)
{
	memset(e, 0, sizeof(*e));
	*id = strtoll(PQgetvalue(r, i, c0), NULL, 10);
	if (!PQgetisnull(r, i, c0 + 1)) {
		int fam = atoi(PQgetvalue(r, i, c0 + 1)) == 6 ? AF_INET6 : AF_INET;

		if (inet_pton(fam, PQgetvalue(r, i, c0 + 2), e->addr) != 1)
			return -EINVAL;
		e->family = (uint8_t)fam;
		e->prefix_len = (uint8_t)atoi(PQgetvalue(r, i, c0 + 3));
	}
	pbfield_str(e->identity, sizeof(e->identity), PQgetvalue(r, i, c0 + 4));
	pbfield_str(e->rule, sizeof(e->rule), PQgetvalue(r, i, c0 + 5));
	e->expires_us = strtoull(PQgetvalue(r, i, c0 + 6), NULL, 10);
	return 0;
}

/* The active list and its version, read in one snapshot. */
static int load(struct blocks *b, char *err, size_t errlen)
{
	PGresult *r;
	int i, rc = -EIO;

	pgx_discard(b->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	r = PQexec(b->conn, "SELECT version FROM block_list_head");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		pgx_err(err, errlen, b->conn, r, "blocks: head");
		goto out;
	}
	b->version = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	r = PQexec(b->conn, "SELECT " ENTRY_COLS " FROM blocks b "
			    "WHERE removed_at IS NULL ORDER BY id");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pgx_err(err, errlen, b->conn, r, "blocks: load");
		goto out;
	}
	b->active.n = 0; /* read again whole */
	for (i = 0; i < PQntuples(r); i++) {
		struct blocklist_entry e;
		int64_t id;

		if (row_entry(r, i, 0, &id, &e) == 0)
			m_put(b, id, &e);
	}
	b->loaded = 1;
	rc = 0;
out:
	PQclear(r);
	pgx_discard(b->conn, "COMMIT");
	return rc;
}

int blocks_connect(struct blocks *b, char *err, size_t errlen)
{
	PGresult *r;
	uint64_t head;

	blocks_disconnect(b);
	b->conn = pgx_connect(b->url, err, errlen, "blocks: connect");
	if (!b->conn)
		return -ECONNREFUSED;
	if (pgx_exec(b->conn, "SET client_min_messages = warning; "
		     "SET TIME ZONE 'UTC'; LISTEN sw_blocks", err, errlen,
		     "blocks: session setup") < 0)
		goto fail;
	r = PQexec(b->conn, "SELECT version FROM block_list_head");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		pgx_err(err, errlen, b->conn, r, "blocks: head");
		PQclear(r);
		goto fail;
	}
	head = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	/* the same database again: tail on from what was published; a new
	 * or rewound one: start over (ticks make collectors resync) */
	if (!b->loaded || head < b->version) {
		if (load(b, err, errlen) < 0)
			goto fail;
	}
	b->dirty = 1;
	prot_self(b);
	return 0;
fail:
	blocks_disconnect(b);
	return -EIO;
}

/* --- publishing ---------------------------------------------------------- */

static void send_msg(struct blocks *b, const void *p, size_t n)
{
	if (zmq_send(b->pub, p, n, ZMQ_DONTWAIT) < 0)
		b->st.send_errors++;
}

static void publish_tick(struct blocks *b)
{
	uint8_t buf[64];
	size_t len;

	if (blocklist_encode_delta(buf, sizeof(buf), &len, b->version, b->version,
				  NULL, 0, NULL, 0) == 0) {
		send_msg(b, buf, len);
		b->st.ticks++;
	}
}

struct vbuf {
	struct blocklist_entry *add, *del;
	size_t nadd, ndel, cap;
};

static int vbuf_push(struct vbuf *v, int is_add, const struct blocklist_entry *e)
{
	if (v->nadd + v->ndel >= v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 32;
		struct blocklist_entry *na = realloc(v->add, nc * sizeof(*na));
		struct blocklist_entry *nd;

		if (!na)
			return -ENOMEM;
		v->add = na;
		nd = realloc(v->del, nc * sizeof(*nd));
		if (!nd)
			return -ENOMEM;
		v->del = nd;
		v->cap = nc;
	}
	if (is_add)
		v->add[v->nadd++] = *e;
	else
		v->del[v->ndel++] = *e;
	return 0;
}

static void publish_version(struct blocks *b, uint64_t ver, struct vbuf *v)
{
	size_t cap = blocklist_msg_bound(v->nadd + v->ndel), len;
	void *buf = malloc(cap);

	if (buf && blocklist_encode_delta(buf, cap, &len, b->version, ver, v->add,
					 v->nadd, v->del, v->ndel) == 0) {
		send_msg(b, buf, len);
		b->st.deltas++;
	} else {
		b->st.send_errors++; /* collectors see the gap and resync */
	}
	free(buf);
	b->version = ver;
	v->nadd = v->ndel = 0;
}

/* Publish every committed version after b->version, in order. */
static int tail(struct blocks *b, char *err, size_t errlen)
{
	struct vbuf v = {0};
	char from[32], to[32];
	const char *p[2] = { from, to };
	PGresult *r;
	uint64_t cur = 0, hi;
	int i, n, rc = 0;

	do {
		hi = b->version + TAIL_VERSIONS;
		snprintf(from, sizeof(from), "%" PRIu64, b->version);
		snprintf(to, sizeof(to), "%" PRIu64, hi);
		r = PQexecParams(b->conn,
			"SELECT v.version, v.op, " ENTRY_COLS " FROM block_versions v "
			"JOIN blocks b ON b.id = v.block_id "
			"WHERE v.version > $1::bigint AND v.version <= $2::bigint "
			"ORDER BY v.version, v.op DESC, b.id", /* del before add */
			2, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			pgx_err(err, errlen, b->conn, r, "blocks: tail");
			PQclear(r);
			b->st.db_errors++;
			rc = -ECONNRESET;
			break;
		}
		n = PQntuples(r);
		cur = 0;
		for (i = 0; i < n; i++) {
			uint64_t ver = strtoull(PQgetvalue(r, i, 0), NULL, 10);
			int is_add = PQgetvalue(r, i, 1)[0] == 'a';
			struct blocklist_entry e;
			int64_t id;

			if (cur && ver != cur)
				publish_version(b, cur, &v);
			cur = ver;
			if (row_entry(r, i, 2, &id, &e) < 0)
				continue;
			if (is_add)
				m_put(b, id, &e);
			else
				m_del(b, id);
			vbuf_push(&v, is_add, &e);
		}
		if (cur)
			publish_version(b, cur, &v);
		PQclear(r);
	} while (rc == 0 && n > 0 && b->version == hi); /* a full page: more */
	free(v.add);
	free(v.del);
	b->last_tail = mono_ms();
	return rc;
}

int blocks_service(struct blocks *b, char *err, size_t errlen)
{
	uint64_t now = mono_ms();
	PGnotify *nt;

	if (!blocks_connected(b))
		return -ECONNRESET;
	if (!PQconsumeInput(b->conn)) {
		pgx_err(err, errlen, b->conn, NULL, "blocks: input");
		blocks_disconnect(b);
		return -ECONNRESET;
	}
	while ((nt = PQnotifies(b->conn))) {
		b->dirty = 1;
		PQfreemem(nt);
	}
	if (now - b->last_sweep >= 1000) {
		PGresult *r = PQexec(b->conn, "SELECT sw_block_expire()");

		b->last_sweep = now;
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			pgx_err(err, errlen, b->conn, r, "blocks: sweep");
			PQclear(r);
			b->st.db_errors++;
			blocks_disconnect(b);
			return -ECONNRESET;
		}
		if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
			b->st.sweeps++;
			b->dirty = 1;
		}
		PQclear(r);
	}
	if (b->dirty || now - b->last_tail >= 1000) {
		b->dirty = 0;
		if (tail(b, err, errlen) < 0) {
			blocks_disconnect(b);
			return -ECONNRESET;
		}
	}
	if (now - b->last_tick >= 1000) {
		publish_tick(b);
		b->last_tick = now;
	}
	return 0;
}

/* --- protected addresses ------------------------------------------------- */

static const char *const prot_kinds[] = { "correlator", "collector" };

static int prot_write(struct blocks *b, size_t i)
{
	const char *p[2] = { b->prot[i].addr, prot_kinds[b->prot[i].kind] };
	PGresult *r;
	int ok;

	if (!blocks_connected(b))
		return -ECONNRESET;
	r = PQexecParams(b->conn, "INSERT INTO protected_addrs (addr, kind) "
			 "VALUES ($1::inet, $2) ON CONFLICT (addr) DO UPDATE SET "
			 "seen_at = now(), kind = least(protected_addrs.kind, EXCLUDED.kind)",
			 2, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		b->st.db_errors++;
	return ok ? 0 : -EIO;
}

void blocks_protect(struct blocks *b, const char *addr, const char *kind)
{
	uint8_t k = strcmp(kind, "correlator") != 0;
	unsigned char bin[16];
	size_t i;

	const char *brk = getenv("SW_BREAK");

	if (brk && strstr(brk, "protect")) /* tests: the check disabled */
		return;
	if (!addr || (inet_pton(AF_INET, addr, bin) != 1 &&
		      inet_pton(AF_INET6, addr, bin) != 1))
		return;
	for (i = 0; i < b->nprot; i++)
		if (strcmp(b->prot[i].addr, addr) == 0)
			return;
	if (b->nprot == PROT_MAX)
		return; /* remembered in PostgreSQL already if it was ever written */
	snprintf(b->prot[i].addr, sizeof(b->prot[i].addr), "%s", addr);
	b->prot[i].kind = k;
	b->nprot++;
	if (prot_write(b, i) == 0)
		b->st.protected_addrs++;
}

/* The correlator's interface addresses, then every remembered one again
 * (after a reconnect, say to a new database). */
static void prot_self(struct blocks *b)
{
	struct ifaddrs *ifa, *i;
	char a[INET6_ADDRSTRLEN];
	size_t j;

	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i; i = i->ifa_next) {
			const void *bin;

			if (!i->ifa_addr)
				continue;
			if (i->ifa_addr->sa_family == AF_INET)
				bin = &((const struct sockaddr_in *)i->ifa_addr)->sin_addr;
			else if (i->ifa_addr->sa_family == AF_INET6)
				bin = &((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			else
				continue;
			if (inet_ntop(i->ifa_addr->sa_family, bin, a, sizeof(a)))
				blocks_protect(b, a, "correlator");
		}
		freeifaddrs(ifa);
	}
	for (j = 0; j < b->nprot; j++)
		prot_write(b, j);
}

/* sw_block_add for one request on the open transaction (or autocommit).
 * Returns an enum blocks_result or -EINVAL / -ECONNRESET. */
static int add_one(struct blocks *b, const struct blocks_req *q,
		   int64_t *block_id, char *err, size_t errlen)
{
	char inc[32], ttl[48];
	const char *p[7] = { q->addr, q->identity,
			     q->origin ? q->origin : "correlator", q->rule,
			     q->reason, NULL, NULL };
	PGresult *r;
	int rc;

	*block_id = 0;
	if (q->incident_id > 0) {
		snprintf(inc, sizeof(inc), "%" PRId64, q->incident_id);
		p[5] = inc;
	}
	if (q->ttl_s) {
		snprintf(ttl, sizeof(ttl), "%" PRIu64 " seconds", q->ttl_s);
		p[6] = ttl;
	}
	r = PQexecParams(b->conn,
		"SELECT o_block_id, o_version FROM sw_block_add($1::cidr, $2, $3, $4, "
		"$5, $6::bigint, $7::interval)", 7, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		pgx_err(err, errlen, b->conn, r, "blocks: add");
		PQclear(r);
		b->st.db_errors++;
		return pgx_connected(b->conn) ? -EINVAL : -ECONNRESET;
	}
	if (PQgetisnull(r, 0, 0) && !PQgetisnull(r, 0, 1) &&
	    strcmp(PQgetvalue(r, 0, 1), "0") == 0) {
		rc = BLOCKS_PROTECTED;
		b->st.protected_skips++;
	} else if (PQgetisnull(r, 0, 0)) {
		rc = BLOCKS_ALLOWLISTED;
		b->st.refused++;
	} else {
		*block_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		rc = PQgetisnull(r, 0, 1) ? BLOCKS_UNCHANGED : BLOCKS_ADDED;
	}
	PQclear(r);
	return rc;
}

/* q[0..n) in one transaction: one commit (one wait for the disk) for a
 * wave of decisions. All or none: on -EINVAL nothing was committed. */
static int add_tx(struct blocks *b, const struct blocks_req *q, size_t n,
		  int64_t *block_id, int *res, char *err, size_t errlen)
{
	size_t i;
	int rc = 0;

	if (n > 1 && pgx_exec(b->conn, "BEGIN", err, errlen, "blocks: BEGIN") < 0)
		return -ECONNRESET;
	for (i = 0; i < n && rc >= 0; i++)
		rc = res[i] = add_one(b, &q[i], &block_id[i], err, errlen);
	if (n > 1 && rc >= 0 && pgx_exec(b->conn, "COMMIT", err, errlen, "blocks: COMMIT") < 0)
		return -ECONNRESET;
	if (n > 1 && rc == -EINVAL) {
		pgx_discard(b->conn, "ROLLBACK");
		for (i = 0; i < n; i++)
			block_id[i] = 0;
	}
	return rc < 0 ? rc : 0;
}

int blocks_add_many(struct blocks *b, const struct blocks_req *q, size_t n,
		    int64_t *block_id, int *res, char *err, size_t errlen)
{
	size_t i, added = 0;
	int rc;

	if (!blocks_connected(b)) {
		snprintf(err, errlen, "blocks: not connected");
		return -ECONNRESET;
	}
	rc = add_tx(b, q, n, block_id, res, err, errlen);
	if (rc == -EINVAL) {
		/* refused (res[] says which for one request); in a group,
		 * one bad request must not hold back the others: each alone */
		rc = 0;
		b->st.split += n > 1;
		for (i = 0; n > 1 && i < n && rc == 0; i++)
			if (add_tx(b, &q[i], 1, &block_id[i], &res[i], err, errlen) == -ECONNRESET)
				rc = -ECONNRESET;
	}
	if (rc == -ECONNRESET) {
		blocks_disconnect(b);
		return rc;
	}
	for (i = 0; i < n; i++)
		added += res[i] == BLOCKS_ADDED;
	/* committed: publish now, not at the next service */
	if (added && tail(b, err, errlen) < 0) {
		blocks_disconnect(b);
		return -ECONNRESET;
	}
	return rc;
}

int blocks_add(struct blocks *b, const struct blocks_req *q,
	       int64_t *block_id, char *err, size_t errlen)
{
	int res = 0, rc = blocks_add_many(b, q, 1, block_id, &res, err, errlen);

	return rc < 0 ? rc : res;
}

int blocks_is_request(const void *data, size_t len)
{
	return len == BLOCKLIST_REQ_MAGIC_LEN &&
	       memcmp(data, BLOCKLIST_REQ_MAGIC, BLOCKLIST_REQ_MAGIC_LEN) == 0;
}

int blocks_reply_snapshot(struct blocks *b, void *router, const void *id,
			  size_t idlen)
{
	const struct blocklist_entry **pv = NULL;
	size_t n = b->active.n, cap = blocklist_msg_bound(n), len, i;
	void *buf = malloc(cap);
	int rc = -ENOMEM;

	if (n)
		pv = malloc(n * sizeof(*pv));
	if (!buf || (n && !pv))
		goto out;
	for (i = 0; i < n; i++)
		pv[i] = &((const struct mentry *)sortarr_at(&b->active, i))->e;
	rc = blocklist_encode_snapshot(buf, cap, &len, b->version, pv, n);
	if (rc < 0)
		goto out;
	if (zmq_send(router, id, idlen, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
	    zmq_send(router, buf, len, ZMQ_DONTWAIT) < 0) {
		b->st.send_errors++;
		rc = -EAGAIN;
		goto out;
	}
	b->st.snapshots++;
	rc = 0;
out:
	free(buf);
	free(pv);
	return rc;
}

void blocks_get_stats(const struct blocks *b, struct blocks_stats *st)
{
	*st = b->st;
	st->version = b->version;
	st->active = b->active.n;
}

int blocks_heartbeat_shard(struct _sidewatch_Heartbeat *hb, const char *shard)
{
	pb_size_t i;

	if (!shard || !hb->blocklist_shards_count)
		return 0;
	hb->blocklist_version = 0;
	for (i = 0; i < hb->blocklist_shards_count && i < 64; i++) {
		const sidewatch_ShardVersion *v = &hb->blocklist_shards[i];

		if (strncmp(v->shard, shard, sizeof(v->shard)) == 0 &&
		    strnlen(v->shard, sizeof(v->shard)) < sizeof(v->shard)) {
			hb->blocklist_version = v->version;
			break;
		}
	}
	return 1;
}
