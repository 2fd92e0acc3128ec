/* swctl_status.c - swctl status: is the pipeline up? Scrapes the
 * correlator's /metrics and counts recent rows in PostgreSQL; swctl.c
 * dispatches to it.
 */
#include "tools/swctl_status.h"
#include "tools/swctl_int.h"
#include "common/textesc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* --- status ------------------------------------------------------------------ */

/* GET /metrics from the correlator (IPv4 HOST:PORT), bounded to 2 s and
 * 1 MiB. Returns a malloc'd body, or NULL with why filled. */
static char *scrape(const char *addr, char *why, size_t whylen)
{
	char host[64], req[160];
	const char *colon = strrchr(addr, ':');
	struct sockaddr_in sa = { .sin_family = AF_INET };
	size_t cap = 65536, n = 0;
	uint64_t until = mono_ms() + 2000;
	char *buf, *body;
	int fd;

	if (!colon || (size_t)(colon - addr) >= sizeof(host)) {
		snprintf(why, whylen, "metrics address %s is not HOST:PORT", addr);
		return NULL;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		snprintf(why, whylen, "metrics address %s: want an IPv4 HOST:PORT", addr);
		return NULL;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		       errno != EINPROGRESS)) {
		snprintf(why, whylen, "%s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	snprintf(req, sizeof(req), "GET /metrics HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr);
	{
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t el = sizeof(err);

		if (poll(&p, 1, 2000) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err ||
		    send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
			snprintf(why, whylen, "%s: %s", addr, strerror(err ? err : ETIMEDOUT));
			goto fail;
		}
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = (int64_t)until - (int64_t)mono_ms();
		ssize_t r;

		if (left <= 0 || poll(&p, 1, (int)left) != 1) {
			snprintf(why, whylen, "%s: no answer within 2 s", addr);
			goto fail;
		}
		if (n + 1 >= cap) {
			char *nb;

			if (cap >= (1 << 20)) {
				snprintf(why, whylen, "%s: answer larger than 1 MiB", addr);
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			snprintf(why, whylen, "%s: %s", addr, strerror(errno));
			goto fail;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	body = strstr(buf, "\r\n\r\n");
	if (strncmp(buf, "HTTP/1.1 200 ", 13) || !body) {
		snprintf(why, whylen, "%s: not a metrics answer", addr);
		free(buf);
		return NULL;
	}
	memmove(buf, body + 4, strlen(body + 4) + 1);
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* Value of an unlabelled sample in exposition text; -1 when absent. */
static double sample(const char *text, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, nl) && p[nl] == ' ')
			return strtod(p + nl + 1, NULL);
	return -1;
}

static long long count_of(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long long v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* ok: correlator and PostgreSQL reachable, the correlator writing, a
 * collector heard from in the last minute. degraded: both reachable but
 * the correlator has no database connection or no collector reported.
 * down: PostgreSQL or the correlator unreachable. */
int swctl_status(const struct swctl_args *f)
{
	const char *addr = f->metrics;
	char why[256] = "", problems[768] = "";
	long long hosts = -1, events = -1, incidents = -1;
	double db_up = -1, ingested = -1;
	char *text;
	PGconn *c;
	int corr, pg, code;

	if (!addr || !*addr)
		addr = getenv("SIDEWATCH_CORRELATOR_METRICS");
	if (!addr || !*addr)
		addr = DEFAULT_METRICS;
	text = scrape(addr, why, sizeof(why));
	corr = text != NULL;
	if (text) {
		db_up = sample(text, "sidewatch_correlator_db_up");
		ingested = sample(text, "sidewatch_correlator_events_total");
		free(text);
	}
	c = swctl_pg_open(1);
	pg = c != NULL;
	if (c) {
		hosts = count_of(c, "SELECT count(*) FROM hosts WHERE greatest(last_seen, "
				 "last_heartbeat) > now() - interval '1 minute'");
		events = count_of(c, "SELECT count(*) FROM events WHERE ts > now() - interval '10 minutes' "
				  "AND recv_ts > now() - interval '1 minute'");
		incidents = count_of(c, "SELECT count(*) FROM incidents WHERE closed_at IS NULL");
		PQfinish(c);
	}
	if (!corr)
		snprintf(problems + strlen(problems), sizeof(problems) - strlen(problems),
			 "%scorrelator unreachable (%s)", *problems ? "; " : "", why);
	if (!pg)
		snprintf(problems + strlen(problems), sizeof(problems) - strlen(problems),
			 "%sPostgreSQL unreachable", *problems ? "; " : "");
	if (corr && db_up == 0)
		snprintf(problems + strlen(problems), sizeof(problems) - strlen(problems),
			 "%scorrelator has no PostgreSQL connection", *problems ? "; " : "");
	if (pg && hosts == 0)
		snprintf(problems + strlen(problems), sizeof(problems) - strlen(problems),
			 "%sno collector reported in the last minute", *problems ? "; " : "");
	code = !corr || !pg ? SW_USAGE : (db_up == 0 || hosts <= 0) ? SW_FAIL : SW_OK;
	if (f->json) {
		struct sbuf b = {0};

		sbuf_printf(&b, "{\"status\":\"%s\",\"correlator\":%s,\"correlator_db_up\":%s,"
			    "\"correlator_events_total\":%.0f,\"postgresql\":%s,"
			    "\"hosts_last_minute\":%lld,\"events_last_minute\":%lld,"
			    "\"open_incidents\":%lld,\"problems\":\"",
			    code == SW_OK ? "ok" : code == SW_FAIL ? "degraded" : "down",
			    corr ? "true" : "false", db_up > 0 ? "true" : "false",
			    ingested < 0 ? 0 : ingested, pg ? "true" : "false",
			    hosts, events, incidents);
		tx_json(&b, problems, strlen(problems));
		sbuf_puts(&b, "\"}\n");
		fwrite(b.p, 1, b.len, stdout);
		sbuf_free(&b);
	} else {
		printf("status       %s\n", code == SW_OK ? "ok" : code == SW_FAIL ? "degraded" : "down");
		printf("correlator   %s (%s)%s\n", corr ? "reachable" : "unreachable", addr,
		       corr ? (db_up > 0 ? ", writing to PostgreSQL" : ", no PostgreSQL") : "");
		printf("postgresql   %s\n", pg ? "reachable" : "unreachable");
		if (pg) {
			printf("hosts        %lld seen in the last minute\n", hosts);
			printf("events       %lld stored in the last minute\n", events);
			printf("incidents    %lld open\n", incidents);
		}
		if (*problems)
			printf("problems     %s\n", problems);
	}
	return code;
}

/* --- hosts ------------------------------------------------------------------- */

/* On a fleet query database: "heads(shard, head) AS (...)" over every
 * shard's own block_list_head (the fleet's block_list_head view is the
 * first shard's only) into out; 1. Not a query database: 0. Error: -1.
 * Shard names are checked by sw_fleet.shards and go in escaped anyway. */
static int fleet_heads(PGconn *c, char *out, size_t cap)
{
	PGresult *r = PQexec(c, "SELECT to_regclass('sw_fleet.shards') IS NOT NULL");
	size_t len = 0;
	int i, n, fleet;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	fleet = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!fleet)
		return 0;
	r = PQexec(c, "SELECT name FROM sw_fleet.shards ORDER BY pos");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || (n = PQntuples(r)) == 0) {
		fprintf(stderr, "swctl: %s", PQresultStatus(r) == PGRES_TUPLES_OK ?
			"the fleet query database has no shards\n" : PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	len = (size_t)snprintf(out, cap, "heads(shard, head) AS (");
	for (i = 0; i < n && len < cap; i++) {
		const char *name = PQgetvalue(r, i, 0);
		char schema[64], *lit, *id;

		snprintf(schema, sizeof(schema), "sw_shard_%s", name);
		lit = PQescapeLiteral(c, name, strlen(name));
		id = PQescapeIdentifier(c, schema, strlen(schema));
		if (lit && id)
			len += (size_t)snprintf(out + len, cap - len,
						"%sSELECT %s::text, version FROM %s.block_list_head",
						i ? " UNION ALL " : "", lit, id);
		PQfreemem(lit);
		PQfreemem(id);
		if (!lit || !id)
			len = cap;
	}
	PQclear(r);
	if (len + 2 >= cap) {
		fprintf(stderr, "swctl: too many shards for one query\n");
		return -1;
	}
	strcat(out, ")");
	return 1;
}

int swctl_status_hosts(const struct swctl_args *f)
{
	/* people get the counters they act on as columns; --json keeps
	 * every counter the collector sent */
	static const char table_cols[] =
		"host, %s last_seen, lag_ms, version, uptime_s, events_total AS events, "
		"(counters->>'capture.ringbuf_full')::bigint AS ring_drops, "
		"(counters->>'capture.bytes_gap')::bigint AS gap_bytes, "
		"(counters->>'spool.pending')::bigint AS spool_pending, "
		"(counters->>'spool.dropped')::bigint AS spool_dropped, "
		"bl AS blocklist_version, %s - bl AS blocklist_behind";
	static const char json_cols[] =
		"host, %s last_seen, last_heartbeat, lag_ms, version, uptime_s, "
		"events_total, last_seq, bl AS blocklist_version, "
		"%s - bl AS blocklist_behind, counters";
	static const char bl[] =
		"LATERAL (SELECT coalesce(nullif(blocklist_version, 0), "
		"(counters->>'blocklist_version')::bigint, 0) AS bl) v";
	char heads[8192], cols[1024], sql[12288];
	PGconn *c = swctl_pg_open(0);
	PGresult *r;
	int fleet, rc = SW_OK;

	if (!c)
		return SW_FAIL;
	fleet = fleet_heads(c, heads, sizeof(heads));
	if (fleet < 0) {
		PQfinish(c);
		return SW_FAIL;
	}
	snprintf(cols, sizeof(cols), f->json ? json_cols : table_cols,
		 fleet ? "sw_fleet.shard_of(hosts.tableoid) AS shard," : "",
		 fleet ? "hd.head" : "(SELECT version FROM block_list_head)");
	if (fleet)
		snprintf(sql, sizeof(sql), "WITH %s SELECT %s FROM hosts "
			 "LEFT JOIN heads hd ON hd.shard = sw_fleet.shard_of(hosts.tableoid), %s "
			 "ORDER BY host, shard", heads, cols, bl);
	else
		snprintf(sql, sizeof(sql), "SELECT %s FROM hosts, %s ORDER BY host", cols, bl);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		rc = SW_FAIL;
	} else if (f->json) {
		swctl_print_json(r);
	} else {
		swctl_print_table(r);
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

