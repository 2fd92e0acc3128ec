/* store.c - the correlator's PostgreSQL connection and its write path:
 * one transaction per group of batches (batches rows, COPY of the events,
 * hosts upsert), retried and split as store.h says. The schema and the
 * daily partitions are store_schema.c's. */
#include "correlator/store_int.h"
#include "correlator/memret.h"
#include "correlator/store_schema.h"
#include "common/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "common/textesc.h"
#include "correlator/pgx.h"

struct store *store_new(const char *url, const char *sql_dir,
			unsigned retention_days)
{
	struct store *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->url = strdup(url);
	st->sql_dir = strdup(sql_dir);
	st->retention_days = retention_days ? retention_days : 30;
	if (!st->url || !st->sql_dir) {
		store_free(st);
		return NULL;
	}
	return st;
}

void store_free(struct store *st)
{
	if (!st)
		return;
	store_disconnect(st);
	free(st->url);
	free(st->sql_dir);
	sbuf_free(&st->copy);
	sbuf_free(&st->tmp);
	for (size_t i = 0; i < sizeof(st->arr) / sizeof(st->arr[0]); i++)
		sbuf_free(&st->arr[i]);
	for (size_t i = 0; i < INVSTORE_NBUF; i++)
		sbuf_free(&st->inv[i]);
	free(st);
}

int store_connected(const struct store *st)
{
	return pgx_connected(st->conn);
}

void store_disconnect(struct store *st)
{
	if (st->conn)
		PQfinish(st->conn);
	st->conn = NULL;
}

void store_ts_range(const struct store *st, uint64_t *lo, uint64_t *hi)
{
	*lo = st->ts_lo;
	*hi = st->ts_hi;
}

int store_connect(struct store *st, char *err, size_t errlen)
{
	store_disconnect(st);
	st->conn = pgx_connect(st->url, err, errlen, "cannot connect to PostgreSQL");
	if (!st->conn)
		return -ECONNREFUSED;
	if (pgx_exec(st->conn, "SET client_encoding = 'UTF8'", err, errlen, "postgresql") < 0 ||
	    pgx_exec(st->conn, "SET client_min_messages = warning", err, errlen, "postgresql") < 0 ||
	    pgx_exec(st->conn, "SET TIME ZONE 'UTC'", err, errlen, "postgresql") < 0 ||
	    store_schema_migrate(st, err, errlen) < 0 ||
	    store_schema_maintain(st, err, errlen) < 0) {
		store_disconnect(st);
		return -EIO;
	}
	return 0;
}

/* Data errors are the batch's fault; a deadlock or serialization failure
 * is worth another try at once; anything else (connection, admin
 * shutdown, resources) is transient. */
static int is_data_error(PGresult *r)
{
	const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return s && (strncmp(s, "22", 2) == 0 || strncmp(s, "23", 2) == 0 ||
		     strncmp(s, "54", 2) == 0);
}

static int is_retry_error(PGresult *r)
{
	const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return s && (strcmp(s, "40P01") == 0 || strcmp(s, "40001") == 0);
}

/* TX_TURN: rolled back because the commit turn did not come (writer.h):
 * tried again at once, without counting against the retries. */
enum { TX_OK = 0, TX_DATA = 1, TX_TRANSIENT = 2, TX_RETRY = 3, TX_TURN = 4 };

static int fail_tx(struct store *st, PGresult *r, char *err, size_t errlen,
		   const char *what)
{
	int data = is_data_error(r), retry = is_retry_error(r);

	pgx_err(err, errlen, st->conn, r, "%s", what);
	PQclear(r);
	if (!pgx_connected(st->conn))
		return TX_TRANSIENT;
	pgx_discard(st->conn, "ROLLBACK");
	if (!pgx_connected(st->conn))
		return TX_TRANSIENT;
	return retry ? TX_RETRY : data ? TX_DATA : TX_TRANSIENT;
}

/* Append one array element: a number, a quoted string, or NULL. */
static void arr_sep(struct sbuf *a)
{
	sbuf_put(a, a->len > 1 ? "," : "", a->len > 1 ? 1 : 0);
}

static void arr_num(struct sbuf *a, int64_t v)
{
	arr_sep(a);
	sbuf_printf(a, "%" PRId64, v);
}

static void arr_str(struct sbuf *a, const char *v, size_t n)
{
	arr_sep(a);
	if (v)
		tx_pgarr(a, v, n);
	else
		sbuf_puts(a, "NULL");
}

static void arr_open(struct sbuf *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sbuf_reset(&a[i]);
		sbuf_put(&a[i], "{", 1);
	}
}

static int arr_close(struct sbuf *a, size_t n)
{
	int oom = 0;

	for (size_t i = 0; i < n; i++) {
		sbuf_put(&a[i], "}", 1);
		oom |= a[i].oom;
	}
	return oom ? -ENOMEM : 0;
}

static int64_t clamp64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* One `batches` row per distinct batch of the group, in (host, seq)
 * order, in one statement; res[] becomes STORE_DUPLICATE for the ones the
 * table already holds. A row that another transaction inserted but has
 * not committed makes this one wait for it: then it is a duplicate (that
 * one committed) or ours (that one rolled back), never an error. */
static const char SQL_BATCHES[] =
	"INSERT INTO batches (host, seq, events, status, error) "
	"SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::text[], $5::text[]) "
	"AS u(host, seq, events, status, error) ORDER BY u.host COLLATE \"C\", u.seq "
	"ON CONFLICT DO NOTHING RETURNING host, seq";

static int put_batches(struct store *st, struct ingest_batch **b, size_t n,
		       const uint16_t *ord, int *res, char *err, size_t errlen)
{
	struct sbuf *a = st->arr;
	const char *p[5];
	uint8_t inserted[STORE_GROUP_MAX] = {0};
	PGresult *r;
	size_t i, k;
	int j;

	arr_open(a, 5);
	for (k = 0; k < n; k++) {
		i = ord[k];
		if (res[i] == STORE_DUPLICATE)
			continue;
		arr_str(&a[0], b[i]->host, strlen(b[i]->host));
		arr_num(&a[1], clamp64(b[i]->seq));
		arr_num(&a[2], res[i] == STORE_REJECTED ? 0 : (int64_t)b[i]->nevents);
		arr_str(&a[3], res[i] == STORE_REJECTED ? "rejected" : "stored",
			res[i] == STORE_REJECTED ? 8 : 6);
		arr_str(&a[4], res[i] == STORE_REJECTED ? err : NULL,
			res[i] == STORE_REJECTED ? strnlen(err, 400) : 0);
	}
	if (arr_close(a, 5) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < 5; i++)
		p[i] = a[i].p;
	r = PQexecParams(st->conn, SQL_BATCHES, 5, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return fail_tx(st, r, err, errlen, "batches");
	for (j = 0; j < PQntuples(r); j++) {
		const char *h = PQgetvalue(r, j, 0);
		uint64_t seq = strtoull(PQgetvalue(r, j, 1), NULL, 10);

		for (i = 0; i < n; i++)
			if (!inserted[i] && res[i] != STORE_DUPLICATE &&
			    b[i]->seq == seq && strcmp(b[i]->host, h) == 0) {
				inserted[i] = 1;
				break;
			}
	}
	PQclear(r);
	for (i = 0; i < n; i++)
		if (!inserted[i])
			res[i] = STORE_DUPLICATE;
	return TX_OK;
}

/* One `hosts` upsert for the group: per host the highest seq, the sum of
 * its stored events, and the heartbeat of its newest batch that has one
 * (a statement may touch a row once, so the group is folded here). */
static const char SQL_HOSTS[] =
	"INSERT INTO hosts AS h (host, last_seen, last_seq, events_total, version, "
	"uptime_s, counters, blocklist_version, last_heartbeat, lag_ms) "
	"SELECT u.host, now(), u.seq, u.n, u.v, u.up, u.c::jsonb, u.bv, "
	"CASE WHEN u.hb THEN now() END, u.lag "
	"FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], "
	"$6::text[], $7::bigint[], $8::boolean[], $9::bigint[]) "
	"AS u(host, seq, n, v, up, c, bv, hb, lag) ORDER BY u.host COLLATE \"C\" "
	"ON CONFLICT (host) DO UPDATE SET last_seen = now(), "
	"last_seq = greatest(h.last_seq, EXCLUDED.last_seq), "
	"events_total = h.events_total + EXCLUDED.events_total, "
	"version = coalesce(EXCLUDED.version, h.version), "
	"uptime_s = coalesce(EXCLUDED.uptime_s, h.uptime_s), "
	"counters = coalesce(EXCLUDED.counters, h.counters), "
	"blocklist_version = coalesce(EXCLUDED.blocklist_version, h.blocklist_version), "
	"last_heartbeat = coalesce(EXCLUDED.last_heartbeat, h.last_heartbeat), "
	"lag_ms = coalesce(EXCLUDED.lag_ms, h.lag_ms)";

static void host_row(struct store *st, struct ingest_batch *first, uint64_t seq,
		     uint64_t nev, const struct ingest_batch *hbb, uint64_t now_us)
{
	struct sbuf *a = st->arr;

	arr_str(&a[0], first->host, strlen(first->host));
	arr_num(&a[1], clamp64(seq));
	arr_num(&a[2], clamp64(nev));
	if (!hbb) {
		for (int i = 3; i < 9; i++) {
			arr_sep(&a[i]);
			sbuf_puts(&a[i], i == 7 ? "false" : "NULL");
		}
		return;
	}
	{
		const sidewatch_Heartbeat *hb = &hbb->hb;
		pb_size_t i;

		arr_str(&a[3], hb->version, strnlen(hb->version, sizeof(hb->version)));
		arr_num(&a[4], clamp64(hb->uptime_s));
		sbuf_reset(&st->tmp);
		sbuf_put(&st->tmp, "{", 1);
		for (i = 0; i < hb->counters_count && i < 32; i++) {
			const sidewatch_Counter *c = &hb->counters[i];
			sbuf_printf(&st->tmp, "%s\"", i ? "," : "");
			tx_json(&st->tmp, c->name, strnlen(c->name, sizeof(c->name)));
			sbuf_printf(&st->tmp, "\":%" PRId64, clamp64(c->value));
		}
		sbuf_put(&st->tmp, "}", 1);
		if (st->tmp.oom)
			a[5].oom = 1;
		arr_str(&a[5], st->tmp.p, st->tmp.len);
		arr_num(&a[6], clamp64(hb->blocklist_version));
		arr_sep(&a[7]);
		sbuf_puts(&a[7], "true");
		arr_num(&a[8], (int64_t)(now_us / 1000) -
				   (int64_t)(hb->ts_us / 1000 & INT64_MAX));
	}
}

static int put_hosts(struct store *st, struct ingest_batch **b, size_t n,
		     const uint16_t *ord, const int *res, char *err, size_t errlen)
{
	struct ingest_batch *first = NULL;
	const struct ingest_batch *hbb = NULL;
	uint64_t seq = 0, nev = 0, now_us = clock_unix_us();
	const char *p[9];
	PGresult *r;
	size_t i, k, rows = 0;

	arr_open(st->arr, 9);
	for (k = 0; k <= n; k++) {
		struct ingest_batch *x = k < n ? b[ord[k]] : NULL;

		if (x && res[ord[k]] != STORE_STORED)
			continue;
		if (first && (!x || strcmp(x->host, first->host) != 0)) {
			host_row(st, first, seq, nev, hbb, now_us);
			rows++;
			first = NULL;
		}
		if (!x)
			break;
		if (!first) {
			first = x;
			seq = 0;
			nev = 0;
			hbb = NULL;
		}
		/* in seq order within a host: the last one wins */
		seq = x->seq;
		nev += x->nevents;
		if (x->has_hb)
			hbb = x;
	}
	if (arr_close(st->arr, 9) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!rows)
		return TX_OK;
	for (i = 0; i < 9; i++)
		p[i] = st->arr[i].p;
	r = PQexecParams(st->conn, SQL_HOSTS, 9, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail_tx(st, r, err, errlen, "hosts");
	PQclear(r);
	return TX_OK;
}

/* Put one batch's rows (its kept projections when proj) into the COPY
 * stream (binary tuples). */
static int copy_batch(struct store *st, const struct ingest_batch *b,
		      int proj, int first, int last)
{
	int rc;

	sbuf_reset(&st->copy);
	if (first)
		ingest_copy_header(&st->copy);
	rc = proj ? ingest_copy_proj_rows(&st->copy, b) : ingest_copy_rows(&st->copy, b);
	if (rc < 0)
		return rc;
	if (last)
		ingest_copy_trailer(&st->copy);
	if (st->copy.oom)
		return -ENOMEM;
	if (st->copy.len > INT32_MAX ||
	    PQputCopyData(st->conn, st->copy.p, (int)st->copy.len) != 1)
		return -EIO;
	return 0;
}

static uint32_t copy_count(const struct ingest_batch *b, int proj)
{
	return proj ? b->nproj : b->nevents;
}

/* One COPY of the stored batches' event rows into `events` or, when
 * proj, of their kept projections into `fleet_projections` (sql/011):
 * in the batch's transaction, so a resent batch (a duplicate) adds
 * neither. Returns TX_OK or fail_tx()'s verdict. */
static int put_copy(struct store *st, struct ingest_batch **b, size_t n,
		    const int *res, int proj, char *err, size_t errlen)
{
	char sql[512];
	size_t i, ncopy = 0, left;
	PGresult *r;

	for (i = 0; i < n; i++)
		if (res[i] == STORE_STORED && copy_count(b[i], proj))
			ncopy++;
	if (!ncopy)
		return TX_OK;
	snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN (FORMAT binary)",
		 proj ? "fleet_projections" : "events",
		 proj ? INGEST_PROJ_COLUMNS : INGEST_COPY_COLUMNS);
	r = PQexec(st->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN)
		return fail_tx(st, r, err, errlen, proj ? "copy projections" : "copy");
	PQclear(r);
	left = ncopy;
	for (i = 0; i < n; i++) {
		if (res[i] != STORE_STORED || !copy_count(b[i], proj))
			continue;
		left--;
		if (copy_batch(st, b[i], proj, left + 1 == ncopy, left == 0) < 0) {
			PQputCopyEnd(st->conn, "sidewatch: copy aborted");
			break;
		}
	}
	if (i == n)
		PQputCopyEnd(st->conn, NULL);
	r = PQgetResult(st->conn);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		PGresult *x;
		while ((x = PQgetResult(st->conn)))
			PQclear(x);
		return fail_tx(st, r, err, errlen, proj ? "copy projections" : "copy");
	}
	PQclear(r);
	while ((r = PQgetResult(st->conn)))
		PQclear(r);
	return TX_OK;
}

/* One transaction for b[0..n) in the order ord. res[] on entry:
 * STORE_STORED, STORE_REJECTED (written as a rejected batch, no events)
 * or STORE_DUPLICATE (a repeat within the group: skipped). */
static int write_tx(struct store *st, struct ingest_batch **b, size_t n,
		    const uint16_t *ord, int *res, char *err, size_t errlen)
{
	size_t i;
	PGresult *r;
	int rc;

	r = PQexec(st->conn, "BEGIN");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail_tx(st, r, err, errlen, "begin");
	PQclear(r);
	rc = put_batches(st, b, n, ord, res, err, errlen);
	if (rc == -ENOMEM) {
		pgx_discard(st->conn, "ROLLBACK");
		return TX_TRANSIENT;
	}
	if (rc != TX_OK)
		return rc;
	rc = put_copy(st, b, n, res, 0, err, errlen);
	if (rc == TX_OK)
		rc = put_copy(st, b, n, res, 1, err, errlen);
	if (rc != TX_OK)
		return rc;
	/* The hosts rows are shared by consecutive groups: upserted only once
	 * it is our turn to commit (every earlier group has finished), so their
	 * locks never join a wait for the turn, and the COPYs overlap. */
	if (st->turn && (rc = st->turn(st->turn_ctx)) < 0) {
		snprintf(err, errlen, "commit: %s", rc == -ETIMEDOUT ?
			 "our turn did not come in time" : "stopping");
		pgx_discard(st->conn, "ROLLBACK");
		if (!pgx_connected(st->conn))
			return TX_TRANSIENT;
		return rc == -ETIMEDOUT ? TX_TURN : TX_TRANSIENT;
	}
	/* the API inventory's rows are shared by every host's batches too:
	 * merged in our turn, so writers never wait on each other for them */
	for (i = 0; i < n; i++) {
		if (res[i] != STORE_STORED || !b[i]->ninv)
			continue;
		r = invstore_merge(st->conn, b[i]->host, b[i]->inv, b[i]->ninv,
				   st->inv, &rc, &b[i]->inv_refused);
		if (rc == -ENOMEM) {
			pgx_discard(st->conn, "ROLLBACK");
			return TX_TRANSIENT;
		}
		if (rc < 0)
			return fail_tx(st, r, err, errlen, "api inventory");
	}
	rc = put_hosts(st, b, n, ord, res, err, errlen);
	if (rc == -ENOMEM) {
		pgx_discard(st->conn, "ROLLBACK");
		return TX_TRANSIENT;
	}
	if (rc != TX_OK)
		return rc;
	r = PQexec(st->conn, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail_tx(st, r, err, errlen, "commit");
	PQclear(r);
	return TX_OK;
}

void store_set_turn(struct store *st, store_turn_fn fn, void *ctx)
{
	st->turn = fn;
	st->turn_ctx = ctx;
}

/* write_tx, again after a deadlock or serialization failure (lock order
 * makes them unlikely; another writer or a manual session can still
 * cause one). res is reset from start[] before each try. */
static int write_retry(struct store *st, struct ingest_batch **b, size_t n,
		       const uint16_t *ord, int *res, const int *start,
		       char *err, size_t errlen)
{
	int rc = TX_RETRY, tries = 0;

	while ((rc == TX_RETRY && tries < 4) || rc == TX_TURN) {
		memcpy(res, start, n * sizeof(*res));
		rc = write_tx(st, b, n, ord, res, err, errlen);
		if (rc == TX_RETRY)
			tries++;
		if (rc == TX_RETRY || rc == TX_TURN)
			st->retries++;
	}
	return rc == TX_RETRY ? TX_TRANSIENT : rc;
}

/* After a group: a buffer a peak grew is not kept (memret.h). */
static void store_release(struct store *st)
{
	size_t i;

	memret_sbuf(&st->copy, MEMRET_KEEP);
	memret_sbuf(&st->tmp, MEMRET_KEEP);
	for (i = 0; i < sizeof(st->arr) / sizeof(st->arr[0]); i++)
		memret_sbuf(&st->arr[i], MEMRET_KEEP);
	for (i = 0; i < INVSTORE_NBUF; i++)
		memret_sbuf(&st->inv[i], MEMRET_KEEP);
}

static int store_write_group(struct store *st, struct ingest_batch **b, size_t n,
			     int *res, char *err, size_t errlen)
{
	uint16_t ord[STORE_GROUP_MAX], one = 0;
	uint8_t repeat[STORE_GROUP_MAX];
	int start[STORE_GROUP_MAX];
	size_t i;
	int rc;

	if (!store_connected(st)) {
		snprintf(err, errlen, "not connected");
		return -ECONNRESET;
	}
	if (n > STORE_GROUP_MAX)
		return -E2BIG;
	ingest_group_order(b, n, ord, repeat);
	for (i = 0; i < n; i++)
		start[i] = repeat[i] ? STORE_DUPLICATE : STORE_STORED;
	rc = write_retry(st, b, n, ord, res, start, err, errlen);
	if (rc == TX_OK)
		return 0;
	if (rc == TX_TRANSIENT)
		return -ECONNRESET;
	/* some batch's data was refused: find it, one transaction each */
	for (i = 0; i < n; i++) {
		int s = start[i];

		if (s == STORE_DUPLICATE) {
			res[i] = s;
			continue;
		}
		rc = write_retry(st, &b[i], 1, &one, &res[i], &s, err, errlen);
		if (rc == TX_DATA) {
			s = STORE_REJECTED;
			rc = write_retry(st, &b[i], 1, &one, &res[i], &s, err, errlen);
			if (rc == TX_OK && res[i] == STORE_DUPLICATE)
				res[i] = STORE_REJECTED;
		}
		if (rc != TX_OK)
			return -ECONNRESET;
	}
	return 0;
}

int store_write(struct store *st, struct ingest_batch **b, size_t n,
		int *res, char *err, size_t errlen)
{
	int rc = store_write_group(st, b, n, res, err, errlen);

	store_release(st);
	return rc;
}

uint64_t store_retries(const struct store *st)
{
	return st->retries;
}
