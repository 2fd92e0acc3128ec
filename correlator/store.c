/* store.c - PostgreSQL writer: migrations, partitions, COPY of batches. */
#include "correlator/store.h"
#include "common/clock.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "common/textesc.h"
#include "correlator/pgx.h"

struct store {
	char *url, *sql_dir;
	unsigned retention_days;
	PGconn *conn;
	uint64_t ts_lo, ts_hi;
	uint64_t retries;
	store_turn_fn turn;
	void *turn_ctx;
	struct sbuf copy, tmp;
	struct sbuf arr[9]; /* unnest() array literals of one statement */
};

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

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n < (16 << 20) && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int apply_one(struct store *st, int version, const char *name,
		     char *err, size_t errlen)
{
	char path[4096], vbuf[16];
	const char *params[2] = { vbuf, name };
	PGresult *r;
	char *sql;
	int rc;

	snprintf(vbuf, sizeof(vbuf), "%d", version);
	if (pgx_exec(st->conn, "BEGIN", err, errlen, "postgresql") < 0)
		return -EIO;
	/* two correlators starting together must not both migrate */
	if (pgx_exec(st->conn, "SELECT pg_advisory_xact_lock(7450)", err, errlen, "postgresql") < 0)
		goto fail;
	r = PQexecParams(st->conn, "SELECT 1 FROM schema_version WHERE version = $1",
			 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pgx_err(err, errlen, st->conn, r, "schema_version");
		PQclear(r);
		goto fail;
	}
	rc = PQntuples(r);
	PQclear(r);
	if (rc > 0)
		return pgx_exec(st->conn, "COMMIT", err, errlen, "postgresql");
	snprintf(path, sizeof(path), "%s/%s", st->sql_dir, name);
	sql = read_file(path);
	if (!sql) {
		snprintf(err, errlen, "cannot read migration %s", path);
		goto fail;
	}
	rc = pgx_exec(st->conn, sql, err, errlen, "postgresql");
	free(sql);
	if (rc < 0) {
		size_t n = strlen(err);
		snprintf(err + n, errlen > n ? errlen - n : 0, " (in %s)", name);
		goto fail;
	}
	r = PQexecParams(st->conn,
			 "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
			 2, NULL, params, NULL, NULL, 0);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -EIO;
	if (rc < 0)
		pgx_err(err, errlen, st->conn, r, "schema_version");
	PQclear(r);
	if (rc < 0)
		goto fail;
	return pgx_exec(st->conn, "COMMIT", err, errlen, "postgresql");
fail:
	pgx_discard(st->conn, "ROLLBACK");
	return -EIO;
}

int store_migrate(struct store *st, char *err, size_t errlen)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (pgx_exec(st->conn, "CREATE TABLE IF NOT EXISTS schema_version ("
			"version integer PRIMARY KEY, name text NOT NULL, "
			"applied_at timestamptz NOT NULL DEFAULT now())",
		    err, errlen, "postgresql") < 0)
		return -EIO;
	d = opendir(st->sql_dir);
	if (!d) {
		snprintf(err, errlen, "cannot read migrations in %s: %s",
			 st->sql_dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char *copy;

		if (l < 9 || de->d_name[3] != '_' ||
		    strspn(de->d_name, "0123456789") != 3 ||
		    strcmp(de->d_name + l - 4, ".sql") != 0)
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			names = nn;
		}
		copy = strdup(de->d_name);
		if (!copy) {
			rc = -ENOMEM;
			break;
		}
		names[n++] = copy;
	}
	closedir(d);
	if (rc == 0) {
		qsort(names, n, sizeof(*names), name_cmp);
		for (i = 0; i < n && rc == 0; i++)
			rc = apply_one(st, atoi(names[i]), names[i], err, errlen);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static uint64_t day_start_us(time_t day_epoch_days)
{
	return (uint64_t)day_epoch_days * 86400ull * 1000000ull;
}

static void day_name(time_t days, char *name, size_t nlen, char *date,
		     size_t dlen)
{
	time_t s = days * 86400;
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(name, nlen, "events_%04d%02d%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
	snprintf(date, dlen, "%04d-%02d-%02d 00:00:00+00", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
}

int store_maintain(struct store *st, char *err, size_t errlen)
{
	time_t today = time(NULL) / 86400;
	time_t lo = today - (time_t)st->retention_days, d;
	char name[32], from[40], to[40], sql[512], keep[32], dummy[40];
	PGresult *r;
	int i, rc = 0;

	for (d = lo; d <= today + 2; d++) {
		day_name(d, name, sizeof(name), from, sizeof(from));
		day_name(d + 1, dummy, sizeof(dummy), to, sizeof(to));
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE IF NOT EXISTS %s PARTITION OF events "
			 "FOR VALUES FROM ('%s') TO ('%s')", name, from, to);
		if (pgx_exec(st->conn, sql, err, errlen, "postgresql") < 0)
			return -EIO;
	}
	/* drop partitions older than the retention */
	day_name(lo, keep, sizeof(keep), dummy, sizeof(dummy));
	{
		const char *p[1] = { keep };
		r = PQexecParams(st->conn,
			"SELECT c.relname FROM pg_inherits i "
			"JOIN pg_class c ON c.oid = i.inhrelid "
			"JOIN pg_class p ON p.oid = i.inhparent "
			"WHERE p.relname = 'events' AND c.relname ~ '^events_[0-9]{8}$' "
			"AND c.relname < $1", 1, NULL, p, NULL, NULL, 0);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pgx_err(err, errlen, st->conn, r, "list partitions");
		PQclear(r);
		return -EIO;
	}
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		/* names matched ^events_[0-9]{8}$ above: safe to splice */
		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %s",
			 PQgetvalue(r, i, 0));
		rc = pgx_exec(st->conn, sql, err, errlen, "postgresql");
	}
	PQclear(r);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "DELETE FROM batches WHERE received_at < now() - interval '%u days'",
		 st->retention_days + 1);
	if (pgx_exec(st->conn, sql, err, errlen, "postgresql") < 0)
		return -EIO;
	st->ts_lo = day_start_us(lo);
	st->ts_hi = day_start_us(today + 3);
	return 0;
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
	    store_migrate(st, err, errlen) < 0 ||
	    store_maintain(st, err, errlen) < 0) {
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

/* Put one batch's rows into the COPY stream (binary tuples). */
static int copy_batch(struct store *st, const struct ingest_batch *b,
		      int first, int last)
{
	int rc;

	sbuf_reset(&st->copy);
	if (first)
		ingest_copy_header(&st->copy);
	rc = ingest_copy_rows(&st->copy, b);
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

/* One transaction for b[0..n) in the order ord. res[] on entry:
 * STORE_STORED, STORE_REJECTED (written as a rejected batch, no events)
 * or STORE_DUPLICATE (a repeat within the group: skipped). */
static int write_tx(struct store *st, struct ingest_batch **b, size_t n,
		    const uint16_t *ord, int *res, char *err, size_t errlen)
{
	char sql[8192];
	size_t i, ncopy = 0, left;
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
	for (i = 0; i < n; i++)
		if (res[i] == STORE_STORED && b[i]->nevents)
			ncopy++;
	if (ncopy) {
		snprintf(sql, sizeof(sql),
			 "COPY events (%s) FROM STDIN (FORMAT binary)",
			 INGEST_COPY_COLUMNS);
		r = PQexec(st->conn, sql);
		if (PQresultStatus(r) != PGRES_COPY_IN)
			return fail_tx(st, r, err, errlen, "copy");
		PQclear(r);
		left = ncopy;
		for (i = 0; i < n; i++) {
			if (res[i] != STORE_STORED || !b[i]->nevents)
				continue;
			left--;
			if (copy_batch(st, b[i], left + 1 == ncopy, left == 0) < 0) {
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
			return fail_tx(st, r, err, errlen, "copy");
		}
		PQclear(r);
		while ((r = PQgetResult(st->conn)))
			PQclear(r);
	}
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

int store_write(struct store *st, struct ingest_batch **b, size_t n,
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

uint64_t store_retries(const struct store *st)
{
	return st->retries;
}
