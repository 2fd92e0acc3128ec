/* swctl - sidewatch operator CLI.
 *
 *   swctl keygen DIR [NAME]    write DIR/NAME.pub and DIR/NAME.key (z85
 *                              CURVE key pair; NAME defaults to this
 *                              machine's host name: the correlator admits
 *                              a collector key as the host NAME names)
 *   swctl hosts
 *   swctl events    [--since DUR] [--limit N] [--host H] [--rule R]
 *   swctl incidents [--since DUR] [--limit N] [--host H] [--rule R]
 *   swctl blocks | allow
 *   swctl status    [--metrics HOST:PORT]
 *   swctl incident show ID [--limit N]
 *   swctl events tail [--count N] [--for SECONDS] [--host H] [--rule R]
 *   swctl block add ADDR[/LEN] | --identity ID  [--ttl DUR] [--reason TEXT]
 *   swctl block rm ID|ADDR[/LEN] | --identity ID
 *   swctl block ls
 *   swctl allow add ADDR[/LEN] | --identity ID  [--note TEXT]
 *   swctl allow rm ID|ADDR[/LEN] | --identity ID
 *   swctl allow ls
 *   swctl apis [--host H] [--authority A] [--data-class C]
 *   swctl api show ID
 *   swctl apis export --openapi [--authority A]
 *
 * apis, api show and apis export read the fleet's API inventory
 * (swctl_apis.h).
 *
 * block/allow changes go through the SQL functions of 002_fleet.sql, so
 * they get a list version and the correlator publishes them; an
 * allowlisted subject cannot be blocked, and allowing one lifts its
 * blocks. add/rm print the block id, the list version and the unix us at
 * which the COMMIT returned (for propagation measurements).
 *
 * Options may stand before or after the command words (swctl --json hosts
 * is swctl hosts --json); swctl_args.c parses and checks them.
 * Tables for people by default; --json prints one JSON object per line.
 * DUR is a number with s, m, h or d. Reads $SIDEWATCH_PG (default: the
 * embedded instance on 127.0.0.1:25432). Every value shown came from a
 * collector and may be hostile: JSON is escaped, tables show control
 * characters as '?'.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "tools/swctl_int.h"
#include "tools/swctl_status.h"
#include "tools/swctl_apis.h"
#include "common/curvekey.h"
#include "common/textesc.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* libpq connection with a bounded connect time, UTC timestamps. */
PGconn *swctl_pg_open(int quiet)
{
	const char *url = getenv("SIDEWATCH_PG");
	const char *keys[] = { "dbname", "connect_timeout", NULL };
	const char *vals[] = { NULL, "3", NULL };
	PGconn *c;

	vals[0] = url && *url ? url : DEFAULT_PG;
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		if (!quiet)
			fprintf(stderr, "swctl: cannot connect to PostgreSQL: %s",
				PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	PQclear(PQexec(c, "SET TIME ZONE 'UTC'"));
	return c;
}
static void usage(FILE *to);

static int keygen(const char *dir, const char *name)
{
	char pub[CURVEKEY_Z85_LEN + 1], p1[4096], p2[4096], err[512];

	if (strchr(name, '/') || !*name) {
		fprintf(stderr, "swctl: a key name is a plain file name\n");
		return 2;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "swctl: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(p1, sizeof(p1), "%s/%s.pub", dir, name);
	snprintf(p2, sizeof(p2), "%s/%s.key", dir, name);
	if (curvekey_make_pair(p2, p1, pub, err, sizeof(err)) < 0) {
		fprintf(stderr, "swctl: %s\n", err);
		return 1;
	}
	printf("%s\n%s\n", p1, p2);
	return 0;
}

void swctl_print_json_range(PGresult *r, int from, int to)
{
	struct sbuf b = {0};
	int i, j, nf = PQnfields(r);

	for (i = from; i < to; i++) {
		sbuf_reset(&b);
		sbuf_put(&b, "{", 1);
		for (j = 0; j < nf; j++) {
			const char *v = PQgetvalue(r, i, j);
			Oid t = PQftype(r, j);

			sbuf_printf(&b, "%s\"", j ? "," : "");
			tx_json(&b, PQfname(r, j), strlen(PQfname(r, j)));
			sbuf_put(&b, "\":", 2);
			if (PQgetisnull(r, i, j)) {
				sbuf_puts(&b, "null");
			} else if (t == 16) { /* bool */
				sbuf_puts(&b, v[0] == 't' ? "true" : "false");
			} else if (t == 20 || t == 21 || t == 23 || t == 3802) {
				sbuf_puts(&b, v); /* int8, int2, int4, jsonb */
			} else {
				sbuf_put(&b, "\"", 1);
				tx_json(&b, v, strlen(v));
				sbuf_put(&b, "\"", 1);
			}
		}
		sbuf_puts(&b, "}\n");
		fwrite(b.p, 1, b.len, stdout);
	}
	sbuf_free(&b);
}

void swctl_print_json(PGresult *r)
{
	swctl_print_json_range(r, 0, PQntuples(r));
}

/* Terminal-safe copy: control bytes (C0, DEL, and C1 as UTF-8: U+0080 ..
 * U+009F, which some terminals take as ESC sequences) become '?', long
 * values are cut. */
/* Length of a bidirectional control at s (U+061C, U+200E/F, U+202A..E,
 * U+2066..9), which could reorder what a terminal shows; 0 otherwise. */
static size_t bidi_len(const unsigned char *s)
{
	if (s[0] == 0xd8 && s[1] == 0x9c)
		return 2;
	if (s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f ||
			     (s[2] >= 0xaa && s[2] <= 0xae)))
		return 3;
	if (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

void swctl_cell(const char *v, char *out, size_t cap)
{
	size_t i, n = 0, k;

	for (i = 0; v[i] && n + 1 < cap; i++) {
		unsigned char b = (unsigned char)v[i];

		if (b == 0xc2 && (unsigned char)v[i + 1] >= 0x80 &&
		    (unsigned char)v[i + 1] <= 0x9f) {
			out[n++] = '?';
			i++;
			continue;
		}
		if ((k = bidi_len((const unsigned char *)v + i))) {
			out[n++] = '?';
			i += k - 1;
			continue;
		}
		out[n++] = (b < 0x20 || b == 0x7f) ? '?' : v[i];
	}
	out[n] = '\0';
}

static void print_rows(PGresult *r, int header, int from, int to)
{
	int i, j, nf = PQnfields(r);
	char c[64];

	if (header) {
		for (j = 0; j < nf; j++)
			printf("%s%s", j ? "  " : "", PQfname(r, j));
		putchar('\n');
	}
	for (i = from; i < to; i++) {
		for (j = 0; j < nf; j++) {
			swctl_cell(PQgetisnull(r, i, j) ? "-" : PQgetvalue(r, i, j), c, sizeof(c));
			printf("%s%s", j ? "  " : "", c);
		}
		putchar('\n');
	}
}

/* A table with each column as wide as its widest cell (cells are cut at
 * 63 bytes), two spaces between columns. */
void swctl_print_table(PGresult *r)
{
	int i, j, nf = PQnfields(r), nt = PQntuples(r);
	int w[64] = {0};
	char c[64];

	if (nf > 64)
		nf = 64;
	for (j = 0; j < nf; j++)
		w[j] = (int)strlen(PQfname(r, j));
	for (i = 0; i < nt; i++) {
		for (j = 0; j < nf; j++) {
			int n = PQgetisnull(r, i, j) ? 1 : PQgetlength(r, i, j);

			if (n > 63)
				n = 63;
			if (n > w[j])
				w[j] = n;
		}
	}
	for (j = 0; j < nf; j++)
		printf("%s%-*s", j ? "  " : "", j == nf - 1 ? 0 : w[j], PQfname(r, j));
	putchar('\n');
	for (i = 0; i < nt; i++) {
		for (j = 0; j < nf; j++) {
			swctl_cell(PQgetisnull(r, i, j) ? "-" : PQgetvalue(r, i, j), c, sizeof(c));
			printf("%s%-*s", j ? "  " : "", j == nf - 1 ? 0 : w[j], c);
		}
		putchar('\n');
	}
	if (!nt)
		printf("(none)\n");
}

static int query(const char *what, const struct swctl_args *f)
{
	const char *params[4];
	char since[32], limit[32], sql[2048];
	PGconn *c;
	PGresult *r;
	int rc = 0;

	snprintf(since, sizeof(since), "%ld seconds", f->since_s >= 0 ? f->since_s : 100L * 365 * 86400);
	snprintf(limit, sizeof(limit), "%ld", f->limit > 0 ? f->limit : 50);
	params[0] = since;
	params[1] = limit;
	params[2] = f->host;
	params[3] = f->rule;
	if (strcmp(what, "hosts") == 0)
		return swctl_status_hosts(f);
	if (strcmp(what, "events") == 0) {
		snprintf(sql, sizeof(sql),
			 "SELECT ts, host, kind, proto, host(src_ip) || ':' || src_port AS src, "
			 "host(dst_ip) || ':' || dst_port AS dst, method, authority, path, "
			 "status, rule, action, identity FROM events "
			 "WHERE ts > now() - $1::interval AND ($3::text IS NULL OR host = $3) "
			 "AND ($4::text IS NULL OR rule = $4) ORDER BY ts DESC LIMIT $2::bigint");
	} else if (strcmp(what, "incidents") == 0) {
		snprintf(sql, sizeof(sql),
			 "SELECT id, opened_at, rule, severity, host(src_ip) AS src, identity, "
			 "array_to_string(hosts, ',') AS hosts, event_count, closed_at, summary "
			 "FROM incidents WHERE opened_at > now() - $1::interval "
			 "AND ($3::text IS NULL OR $3 = ANY (hosts)) "
			 "AND ($4::text IS NULL OR rule = $4) ORDER BY opened_at DESC LIMIT $2::bigint");
	} else if (strcmp(what, "blocks") == 0) {
		snprintf(sql, sizeof(sql),
			 "SELECT id, created_at, expires_at, addr, identity, origin, rule, "
			 "incident_id, list_version, reason "
			 "FROM blocks WHERE removed_at IS NULL AND $1::text IS NOT NULL "
			 "AND $2::text IS NOT NULL AND $3::text IS NULL AND ($4::text IS NULL OR rule = $4) "
			 "ORDER BY id DESC");
		params[2] = NULL;
	} else {
		snprintf(sql, sizeof(sql),
			 "SELECT id, created_at, addr, identity, note FROM allow "
			 "WHERE removed_at IS NULL AND $1::text IS NOT NULL AND $2::text IS NOT NULL "
			 "AND $3::text IS NULL AND $4::text IS NULL ORDER BY id");
		params[2] = params[3] = NULL;
	}
	c = swctl_pg_open(0);
	if (!c)
		return SW_FAIL;
	r = PQexecParams(c, sql, 4, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		rc = 1;
	} else if (f->json) {
		swctl_print_json(r);
	} else {
		swctl_print_table(r);
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull +
	       (unsigned long long)ts.tv_nsec / 1000;
}

/* One statement, autocommitted; prints its single row (id, version). */
static int change(PGconn *c, const char *sql, int n, const char *const *p,
		  const char *what, int refused_rc, int json)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	unsigned long long t = now_us(); /* the COMMIT has returned */
	const char *id = NULL, *ver = NULL;
	int rc = 0;

	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (state && strcmp(state, "SWP01") == 0) {
		/* the block covers the correlator or a collector */
		fprintf(stderr, "swctl: %s\n", PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(r);
		return 4;
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) > 1) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		PQclear(r);
		return 1;
	}
	if (PQntuples(r) == 1) {
		id = PQgetisnull(r, 0, 0) ? NULL : PQgetvalue(r, 0, 0);
		ver = PQnfields(r) > 1 && !PQgetisnull(r, 0, 1) ? PQgetvalue(r, 0, 1) : NULL;
	}
	if (!id) {
		fprintf(stderr, refused_rc ? "swctl: refused: the subject is on the allow list\n"
					   : "swctl: no such %s\n", what);
		rc = refused_rc ? refused_rc : 1;
	}
	if (json)
		printf("{\"%s\":%s,\"version\":%s,\"committed_us\":%llu}\n", what,
		       id ? id : "null", ver ? ver : "null", t);
	else if (id)
		printf("%s %s version %s committed_us %llu\n", what, id,
		       ver ? ver : "unchanged", t);
	PQclear(r);
	return rc;
}

static int all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int query(const char *what, const struct swctl_args *f);

/* swctl block|allow add|rm ... (listing goes through query) */
static int list_change(const struct swctl_args *a)
{
	int blk = a->cmd == SWCTL_ARGS_BLOCK_ADD || a->cmd == SWCTL_ARGS_BLOCK_RM;
	int add = a->cmd == SWCTL_ARGS_BLOCK_ADD || a->cmd == SWCTL_ARGS_ALLOW_ADD;
	const char *arg = a->arg, *ident = a->identity;
	char ttlb[32];
	PGconn *c;
	int rc;

	if (a->ttl_s > 0)
		snprintf(ttlb, sizeof(ttlb), "%ld seconds", a->ttl_s);
	c = swctl_pg_open(0);
	if (!c)
		return SW_FAIL;
	if (add && blk) {
		const char *p[4] = { arg, ident, a->reason, a->ttl_s > 0 ? ttlb : NULL };

		rc = change(c, "SELECT o_block_id, o_version FROM sw_block_add($1::cidr, $2, "
			    "'operator', 'operator', $3, NULL, $4::interval)", 4, p,
			    "block", 3, a->json);
	} else if (add) {
		const char *p[3] = { arg, ident, a->note };

		rc = change(c, "SELECT o_allow_id, o_version FROM sw_allow_add($1::cidr, $2, $3)",
			    3, p, "allow", 0, a->json);
	} else {
		/* by id, or the active entry of that subject */
		const char *p[3] = { arg && all_digits(arg) ? arg : NULL,
				     arg && !all_digits(arg) ? arg : NULL, ident };

		rc = change(c, blk
			    ? "SELECT id, sw_block_remove(id, 'operator') FROM (SELECT id FROM "
			      "blocks WHERE removed_at IS NULL AND (id = $1::bigint OR "
			      "addr = $2::cidr OR ($2::cidr IS NULL AND $1::bigint IS NULL "
			      "AND identity = $3)) LIMIT 1) x"
			    : "SELECT id, CASE WHEN sw_allow_remove(id) THEN NULL::bigint END "
			      "FROM (SELECT id FROM allow "
			      "WHERE removed_at IS NULL AND (id = $1::bigint OR addr = $2::cidr "
			      "OR ($2::cidr IS NULL AND $1::bigint IS NULL AND identity = $3)) "
			      "LIMIT 1) x", 3, p, blk ? "block" : "allow", 0, a->json);
	}
	PQfinish(c);
	return rc;
}


/* --- incident show ------------------------------------------------------------ */

/* The incident, then every event of its source address or identity on its
 * hosts from 15 minutes before it opened to 1 minute after it closed (or
 * now), oldest first: the attack as each host saw it. */
static int incident_show(const char *id, const struct swctl_args *f)
{
	static const char q_inc[] =
		"SELECT 'incident' AS record, id, opened_at, updated_at, closed_at, rule, "
		"severity, host(src_ip) AS src, identity, array_to_string(hosts, ',') AS hosts, "
		"event_count, summary, details FROM incidents WHERE id = $1::bigint";
	static const char q_ev[] =
		"SELECT 'event' AS record, e.ts, e.host, e.kind, e.proto, "
		"host(e.src_ip) || ':' || e.src_port AS src, host(e.dst_ip) || ':' || e.dst_port AS dst, "
		"e.method, e.authority, e.path, e.status, e.rule, e.action, e.identity "
		"FROM incidents i JOIN events e ON e.ts >= i.opened_at - interval '15 minutes' "
		"AND e.ts <= coalesce(i.closed_at, now()) + interval '1 minute' "
		"AND (cardinality(i.hosts) = 0 OR e.host = ANY (i.hosts)) "
		"AND ((i.src_ip IS NOT NULL AND e.src_ip = i.src_ip) OR "
		"(i.identity IS NOT NULL AND e.identity = i.identity)) "
		"WHERE i.id = $1::bigint ORDER BY e.ts, e.host, e.seq, e.idx LIMIT $2::bigint";
	char limit[32], *end;
	const char *params[2] = { id, limit };
	PGresult *r;
	PGconn *c;
	int rc = SW_OK;

	if (strtoll(id, &end, 10) <= 0 || *end) {
		fprintf(stderr, "swctl: an incident ID is a positive number (swctl incidents lists them)\n");
		return SW_USAGE;
	}
	snprintf(limit, sizeof(limit), "%ld", f->limit > 0 ? f->limit : 1000);
	c = swctl_pg_open(0);
	if (!c)
		return SW_FAIL;
	r = PQexecParams(c, q_inc, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		rc = SW_FAIL;
	} else if (PQntuples(r) == 0) {
		fprintf(stderr, "swctl: no incident %s\n", id);
		rc = SW_FAIL;
	} else if (f->json) {
		swctl_print_json(r);
	} else {
		for (int j = 1; j < PQnfields(r); j++) {
			char v[64];

			swctl_cell(PQgetisnull(r, 0, j) ? "-" : PQgetvalue(r, 0, j), v, sizeof(v));
			printf("%-12s %s\n", PQfname(r, j), v);
		}
		printf("\ntimeline\n");
	}
	PQclear(r);
	if (rc == SW_OK) {
		r = PQexecParams(c, q_ev, 2, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
			rc = SW_FAIL;
		} else if (f->json) {
			swctl_print_json(r);
		} else {
			swctl_print_table(r);
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

/* --- events tail ---------------------------------------------------------------- */

/* Follow rows as the correlator commits them: a cursor on (recv_ts, host,
 * seq, idx), polled every 500 ms. The correlator stamps recv_ts when it
 * receives a batch and its writers COMMIT in that order (writer.h), so
 * rows appear in cursor order. Only rows
 * whose event time is within a day of the cursor are looked at (the ts
 * index bounds each poll to one or two partitions). */
static int events_tail(const struct swctl_args *f)
{
	static const char q_start[] =
		"WITH last AS (SELECT recv_ts, host, seq, idx FROM events "
		"WHERE ts > now() - interval '1 day' "
		"ORDER BY recv_ts DESC, host DESC, seq DESC, idx DESC LIMIT 1) "
		"SELECT * FROM last UNION ALL SELECT now(), '', 0, 0 "
		"WHERE NOT EXISTS (SELECT 1 FROM last)";
	static const char q_next[] =
		"SELECT recv_ts, host, seq, idx, ts, kind, proto, "
		"host(src_ip) || ':' || src_port AS src, host(dst_ip) || ':' || dst_port AS dst, "
		"method, authority, path, status, rule, action, identity FROM events "
		"WHERE ts > $1::timestamptz - interval '1 day' "
		"AND (recv_ts, host, seq, idx) > ($1::timestamptz, $2::text, $3::bigint, $4::int) "
		"AND ($5::text IS NULL OR host = $5) AND ($6::text IS NULL OR rule = $6) "
		"ORDER BY recv_ts, host, seq, idx LIMIT 1000";
	char cur[4][128];
	const char *params[6];
	uint64_t until = f->for_s > 0 ? mono_ms() + (uint64_t)f->for_s * 1000 : 0;
	long shown = 0;
	int header = 1, rc = SW_OK;
	PGresult *r;
	PGconn *c;

	c = swctl_pg_open(0);
	if (!c)
		return SW_FAIL;
	r = PQexec(c, q_start);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		return SW_FAIL;
	}
	for (int j = 0; j < 4; j++)
		snprintf(cur[j], sizeof(cur[j]), "%s", PQgetvalue(r, 0, j));
	PQclear(r);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	while (!stop && (!f->count || shown < f->count)) {
		int n, take;

		for (int j = 0; j < 4; j++)
			params[j] = cur[j];
		params[4] = f->host;
		params[5] = f->rule;
		r = PQexecParams(c, q_next, 6, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
			PQclear(r);
			rc = SW_FAIL;
			break;
		}
		n = PQntuples(r);
		take = n;
		if (f->count && shown + take > f->count)
			take = (int)(f->count - shown);
		if (take > 0) {
			if (f->json)
				swctl_print_json_range(r, 0, take);
			else
				print_rows(r, header, 0, take);
			header = 0;
			shown += take;
			for (int j = 0; j < 4; j++)
				snprintf(cur[j], sizeof(cur[j]), "%s", PQgetvalue(r, take - 1, j));
			fflush(stdout);
		}
		PQclear(r);
		if (f->count && shown >= f->count)
			break;
		if (until && mono_ms() >= until)
			break;
		if (n < 1000) { /* caught up: wait for the next poll */
			uint64_t wake = mono_ms() + 500;

			if (until && wake > until)
				wake = until;
			while (!stop && mono_ms() < wake)
				usleep(20 * 1000);
		}
	}
	PQfinish(c);
	return rc;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: swctl keygen DIR [NAME]\n"
		"       swctl hosts|blocks|allow [--json]\n"
		"       swctl block add ADDR[/LEN]|--identity ID [--ttl DUR] [--reason TEXT] [--json]\n"
		"       swctl block rm ID|ADDR[/LEN]|--identity ID [--json]\n"
		"       swctl allow add ADDR[/LEN]|--identity ID [--note TEXT] [--json]\n"
		"       swctl allow rm ID|ADDR[/LEN]|--identity ID [--json]\n"
		"       swctl block|allow ls [--json]\n"
		"       swctl events|incidents [--since DUR] [--limit N] [--host H] "
		"[--rule R] [--json]\n"
		"       swctl status [--metrics HOST:PORT] [--json]\n"
		"       swctl incident show ID [--limit N] [--json]\n"
		"       swctl events tail [--count N] [--for SECONDS] [--host H] [--rule R] [--json]\n"
		"       swctl apis [--host H] [--authority A] [--data-class C] [--json]\n"
		"       swctl api show ID [--json]\n"
		"       swctl apis export --openapi [--authority A]\n"
		"\n"
		"Options may come before or after the command words.\n"
		"PostgreSQL: $SIDEWATCH_PG (default %s).\n"
		"status asks the correlator's metrics endpoint (--metrics, else\n"
		"$SIDEWATCH_CORRELATOR_METRICS, else %s) and PostgreSQL.\n"
		"events tail follows new rows every 500 ms until --count rows, --for\n"
		"seconds or Ctrl-C.\n"
		"\n"
		"exit codes:\n"
		"  0  done (status: ok - correlator and PostgreSQL up, a collector\n"
		"     reported in the last minute)\n"
		"  1  PostgreSQL unreachable, query failed or not found (status:\n"
		"     degraded - the correlator has no database or no collector reports)\n"
		"  2  bad command or option (status: down - the correlator or\n"
		"     PostgreSQL is unreachable)\n",
		DEFAULT_PG, DEFAULT_METRICS);
}

int main(int argc, char **argv)
{
	struct swctl_args a;
	char err[160];

	if (swctl_args_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "swctl: %s\n\n", err);
		usage(stderr);
		return SW_USAGE;
	}
	switch (a.cmd) {
	case SWCTL_ARGS_HELP:
		usage(stdout);
		return SW_OK;
	case SWCTL_ARGS_KEYGEN:
		if (!a.arg2) {
			/* a collector's key is admitted as the host its file
			 * names: this machine's, unless told otherwise */
			static char host[64];

			if (gethostname(host, sizeof(host) - 1) || !host[0]) {
				fprintf(stderr, "swctl: keygen: name the key (the host it is for)\n");
				return SW_USAGE;
			}
			return keygen(a.arg, host);
		}
		return keygen(a.arg, a.arg2);
	case SWCTL_ARGS_INCIDENT_SHOW:
		return incident_show(a.arg, &a);
	case SWCTL_ARGS_EVENTS_TAIL:
		return events_tail(&a);
	case SWCTL_ARGS_STATUS:
		return swctl_status(&a);
	case SWCTL_ARGS_HOSTS:
		return query("hosts", &a);
	case SWCTL_ARGS_EVENTS:
		return query("events", &a);
	case SWCTL_ARGS_INCIDENTS:
		return query("incidents", &a);
	case SWCTL_ARGS_BLOCKS:
		return query("blocks", &a);
	case SWCTL_ARGS_ALLOW:
		return query("allow", &a);
	case SWCTL_ARGS_APIS:
		return swctl_apis_list(&a);
	case SWCTL_ARGS_API_SHOW:
		return swctl_apis_show(&a);
	case SWCTL_ARGS_APIS_EXPORT:
		return swctl_apis_export(&a);
	case SWCTL_ARGS_BLOCK_ADD:
	case SWCTL_ARGS_BLOCK_RM:
	case SWCTL_ARGS_ALLOW_ADD:
	case SWCTL_ARGS_ALLOW_RM:
		return list_change(&a);
	}
	return SW_USAGE;
}
