/* fleet_warm.c - after a (re)start the fleet windows are warmed from what
 * this correlator stored: its own rows of `events` and, sharded, the
 * projections it was sent (`fleet_projections`, sql/011), each into the
 * families live ingest fed it to; and that table is kept short. */
#include "correlator/fleet_int.h"
#include "common/clock.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libpq-fe.h>

/* What the warm-up replays at most, newest first: the own rows, and the
 * projections per family (endpoint, identity). Separate bounds, so a flood
 * of projections (a collector key sending them for any endpoint) cannot
 * push this shard's own events out of the warm-up, nor one family the
 * other's; newest first, so what is cut is what leaves the windows first. */
#define WARM_ROWS 20000
#define WARM_PROJ 10000
/* ... and of the projections, each collector host's newest this many per
 * family, read through its own index scan (sql/012): one key flooding
 * projections fills its own share, not the others' (the host list is
 * `hosts`, where every batch's sender is) */
#define WARM_PROJ_HOST 2000
/* fleet_projections rows are kept this long past the longest window of
 * their families, deleted at most this many per statement, and the
 * statement runs every PRUNE_EVERY_US (sooner while it finds a full batch) */
#define PRUNE_MARGIN_S 300
#define PRUNE_BATCH 10000
#define PRUNE_EVERY_US 10000000ull
#define STR_(x) #x
#define STR(x) STR_(x)

/* Does detector d read projections (an endpoint or identity family)? */
static int proj_family(int d)
{
	return d == FLEET_DET_BF_EP || d == FLEET_DET_RATE ||
	       d == FLEET_DET_SCAN_ID || d == FLEET_DET_CRED;
}

/* The longest window of every detector (all) or of those projections
 * feed. */
static unsigned horizon_s(const struct fleet *f, int all)
{
	unsigned w = 0, s;

	for (int d = 0; d < FLEET_DET_COUNT; d++) {
		s = fleet_win_seconds(f, (enum fleet_detector)d);
		if ((all || proj_family(d)) && s > w)
			w = s;
	}
	return w;
}

void fleet_warm_row(struct fleet *f, const char *const *v)
{
	struct fleet_staged_event o;
	unsigned bits = (unsigned)strtoul(v[13], NULL, 10);

	memset(&o, 0, sizeof(o));
	o.idx = (uint32_t)strtoul(v[2], NULL, 10);
	o.kind = strcmp(v[4], "verdict") == 0;
	if (inet_pton(AF_INET, v[5], o.ip) == 1)
		o.ip_len = 4;
	else if (inet_pton(AF_INET6, v[5], o.ip) == 1)
		o.ip_len = 16;
	o.status = atoi(v[6]);
	snprintf(o.path, sizeof(o.path), "%s", v[7]);
	snprintf(o.authority, sizeof(o.authority), "%s", v[8]);
	snprintf(o.identity, sizeof(o.identity), "%s", v[9]);
	snprintf(o.service, sizeof(o.service), "%s", v[10]);
	snprintf(o.action, sizeof(o.action), "%s", v[11]);
	o.grpc_status = atoi(v[12]);
	if (bits) { /* a projection: the families of its bits, none by source */
		o.skip = INGEST_SKIP_SOURCE;
		if (!(bits & sidewatch_Projection_PROJ_ENDPOINT))
			o.skip |= INGEST_SKIP_ENDPOINT;
		if (!(bits & sidewatch_Projection_PROJ_IDENTITY))
			o.skip |= INGEST_SKIP_IDENTITY;
		f->st.warmed_projections++;
	} else {
		o.skip = (uint8_t)ingest_own_skip(f->ring, f->shard, !o.kind,
						  v[8], strlen(v[8]), v[7], strlen(v[7]),
						  v[9], strlen(v[9]));
		f->st.warmed_rows++;
	}
	fleet_win_feed(f, &o, v[0], strtoull(v[1], NULL, 10),
		       strtoull(v[3], NULL, 10));
}

/* The projections of family bit B: each host's newest WARM_PROJ_HOST, then
 * the newest WARM_PROJ of those. */
#define WARM_PROJ_SQL(B)                                                             \
	"SELECT p.host, p.seq, p.idx, (extract(epoch FROM p.recv_ts) * 1000000)::bigint, " \
	"'session', coalesce(host(p.src_ip), ''), p.status, p.path, p.authority, "     \
	"coalesce(p.identity, ''), '', '', -1, " B " FROM hosts h CROSS JOIN LATERAL "  \
	"(SELECT * FROM fleet_projections q WHERE q.host = h.host "                      \
	"AND q.recv_ts > now() - $1::interval AND q.bits & " B " <> 0 "                \
	"ORDER BY q.recv_ts DESC LIMIT " STR(WARM_PROJ_HOST) ") p "                     \
	"ORDER BY p.recv_ts DESC LIMIT " STR(WARM_PROJ)

/* Own rows, then the projections of each family (a projection with both
 * bits is read twice, once for each), all in FLEET_WARM_NCOLS columns,
 * newest first. */
static const char *const WARM_SQL[3] = {
	"SELECT host, seq, idx, (extract(epoch FROM recv_ts) * 1000000)::bigint, "
	"kind, host(src_ip), coalesce(status, 0), coalesce(path, ''), "
	"coalesce(authority, ''), coalesce(identity, ''), coalesce(service, ''), "
	"coalesce(action, ''), coalesce(grpc_status, -1), 0 FROM events "
	"WHERE ts > now() - $1::interval - interval '1 hour' "
	"AND recv_ts > now() - $1::interval "
	"AND (status IN (401, 403, 404) OR kind = 'verdict' OR identity IS NOT NULL "
	"OR grpc_status = 12) ORDER BY recv_ts DESC LIMIT " STR(WARM_ROWS),
	WARM_PROJ_SQL("1"),
	WARM_PROJ_SQL("2"),
};

/* The three answers merged oldest first (each is newest first: read from
 * its end), so every window sees its events in arrival order. */
static void replay(struct fleet *f, PGresult *const *r)
{
	int at[3];
	const char *v[FLEET_WARM_NCOLS];

	for (int q = 0; q < 3; q++)
		at[q] = r[q] ? PQntuples(r[q]) - 1 : -1;
	for (;;) {
		int best = -1;
		uint64_t bt = 0;

		for (int q = 0; q < 3; q++) {
			uint64_t t;

			if (at[q] < 0)
				continue;
			t = strtoull(PQgetvalue(r[q], at[q], 3), NULL, 10);
			if (best < 0 || t < bt) {
				best = q;
				bt = t;
			}
		}
		if (best < 0)
			break;
		for (int c = 0; c < FLEET_WARM_NCOLS; c++)
			v[c] = PQgetvalue(r[best], at[best], c);
		fleet_warm_row(f, v);
		at[best]--;
	}
}

/* Replay recent relevant events into the windows (arrival = recv_ts), so a
 * restarted correlator keeps counting where it stopped. */
void fleet_warm(struct fleet *f)
{
	char since[32], psince[32];
	const char *p[2] = { since, psince };
	PGresult *r[3] = { NULL, NULL, NULL };
	uint64_t now = clock_unix_us();
	size_t b;

	snprintf(since, sizeof(since), "%u seconds", horizon_s(f, 1));
	snprintf(psince, sizeof(psince), "%u seconds", horizon_s(f, 0));
	/* projections only where there is a ring: unsharded, none are sent
	 * (and the table may not exist yet while the writers migrate) */
	for (int q = 0; q < (f->ring ? 3 : 1); q++) {
		r[q] = PQexecParams(f->conn, WARM_SQL[q], 1, NULL, &p[q ? 1 : 0],
				    NULL, NULL, 0);
		if (PQresultStatus(r[q]) != PGRES_TUPLES_OK) {
			PQclear(r[q]);
			r[q] = NULL;
		}
	}
	replay(f, r);
	for (int q = 0; q < 3; q++)
		PQclear(r[q]);
	/* What was already counted into incidents is not counted again, and
	 * what already crossed a threshold was acted on before the restart:
	 * it must not block again (an operator may have lifted that block);
	 * new events extend its incident, found by dedupe key. */
	for (b = 0; b < FLEET_NBUCKETS; b++) {
		struct fleet_window *k;
		for (k = f->tab[b]; k; k = k->next) {
			k->reported = k->total;
			k->fired = fleet_win_crossed(f, k, now);
			k->due = 0;
		}
	}
}

void fleet_warm_prune(struct fleet *f, uint64_t now)
{
	char keep[32], lim[16];
	const char *p[2] = { keep, lim };
	PGresult *r;
	uint64_t n = 0;

	if (!f->ring || now < f->prune_after_us)
		return;
	snprintf(keep, sizeof(keep), "%u seconds", horizon_s(f, 0) + PRUNE_MARGIN_S);
	snprintf(lim, sizeof(lim), "%d", PRUNE_BATCH);
	r = PQexecParams(f->conn,
		"DELETE FROM fleet_projections WHERE ctid = ANY (ARRAY("
		"SELECT ctid FROM fleet_projections WHERE recv_ts < now() - $1::interval "
		"LIMIT $2::integer))", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		n = strtoull(PQcmdTuples(r), NULL, 10);
	PQclear(r); /* a failure (no table yet): tried again later */
	f->st.proj_pruned += n;
	f->prune_after_us = now + (n == PRUNE_BATCH ? PRUNE_EVERY_US / 10 : PRUNE_EVERY_US);
}
