#!/usr/bin/env bash
# tests/integration/shard_warm.sh - a restarted correlator shard warms its
# fleet windows from what it owns (issue 25): two shards (--ring --shard),
# each its own database in one PostgreSQL, and sw-emit --ring hosts sending
# failed logins (--script auth: POST api.test/api/login answered 401) from
# sources owned by the shard that does NOT own that endpoint ("other"), so
# the endpoint's owner ("epo") sees them only as projections:
#   1. 8 sources x 3 failures: below fleet.bruteforce.endpoint (>= 10
#      sources); epo stores the 24 projections (fleet_projections), once:
#      the same batches resent (same host, fresh spool) add none;
#   2. a hostile collector ("flood", a valid key) has sent 12000 newer
#      projections of 401s on another endpoint (written straight into
#      epo's table and its hosts row: what its batches would have left);
#      both shards killed with -9 and restarted: epo warms its endpoint
#      windows (bruteforce and rate) from the 24 honest projections and
#      at most WARM_PROJ_HOST (2000) of the flood's (fleet_warm.c: each
#      collector host is read newest first under its own bound, so one key
#      cannot push the others' projections out of the warm-up), other
#      warms only its source windows (8, one per source), not the windows
#      of the endpoint it does not own; a projection row older than the
#      longest window is pruned and counted;
#   3. 4 more sources x 3: epo opens the incident once, counting 36
#      failures from 12 sources; other opens none and holds 12 windows.
# Main's warm-up before this change replayed no projections (no incident)
# and fed other's own rows into the endpoint windows (10 windows, not 8).
# Everything on 127.0.0.1, plain ZeroMQ (no kernel needed).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/shard_lib.sh"
for b in sidewatch-correlator sw-emit ring-owner; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 17000 1000 5) || die "no free ports"
PGPORT=$P
declare -A EVP BLP PID
EVP[a]=$((P + 1)) EVP[b]=$((P + 2))
BLP[a]=$((P + 3)) BLP[b]=$((P + 4))
SHARDS="a b"
PER=3

printf 'version 1\na tcp://127.0.0.1:%s 1\nb tcp://127.0.0.1:%s 1\n' \
	"${EVP[a]}" "${EVP[b]}" >"$T/ring.txt"
sq() { local s=$1; shift; psql "$(db_url "$s")" -X -At "$@"; }
start_corr() { shard_start "$T/ring.txt" "$1" --fleet bf_window_s=1800; } # SHARD
kill9() { # SHARD
	kill -KILL "${PID[$1]}"
	wait "${PID[$1]}" 2>/dev/null || true
}
# fail_from HOST SRC SPOOL [TIMEOUT]: PER failed logins from SRC, all acked
fail_from() {
	"$BUILD/sw-emit" --plain --ring "$T/ring.txt" --spool "$T/$3" --host "$1" \
		--count 0 --script auth --src "$2" --per "$PER" --timeout "${4:-30}" \
		>"$T/emit-$3.out" 2>&1
}
# drain HOST SPOOL: send what SPOOL holds, all acked
drain() {
	"$BUILD/sw-emit" --plain --ring "$T/ring.txt" --spool "$T/$2" --host "$1" \
		--count 0 --timeout 30 >"$T/emit-$2-drain.out" 2>&1
}
eq() { [ "$(eval "$1")" = "$2" ]; }
incidents() { # SHARD: count, event_count, sources of the endpoint incidents
	sq "$1" -c "SELECT count(*), coalesce(max(event_count), 0),
		coalesce(max(cardinality(sources)), 0) FROM incidents
		WHERE rule = 'fleet.bruteforce.endpoint'" | tr '|' ' '
}

start_pg "$PGPORT"
on_exit stop_all # the correlators go first, then PostgreSQL
for s in $SHARDS; do
	psql "$PG_URL" -X -q -c "CREATE DATABASE sw_$s" || die "CREATE DATABASE sw_$s"
	start_corr "$s"
done
epo=$("$BUILD/ring-owner" "$T/ring.txt" --endpoint api.test /api/login | cut -d' ' -f1)
other=$([ "$epo" = a ] && echo b || echo a)
for k in $(seq 1 200); do echo "10.213.$k.7"; done >"$T/cand"
mapfile -t SRC < <(paste -d' ' "$T/cand" <("$BUILD/ring-owner" "$T/ring.txt" - <"$T/cand") |
	awk -v o="$other" '$2 == o { print $1 }' | head -12)
[ "${#SRC[@]}" -eq 12 ] || die "fewer than 12 candidate sources owned by $other"
echo "     api.test/api/login is owned by $epo; 12 sources owned by $other: ${SRC[0]} .. ${SRC[11]}"

echo "-- 1. 8 sources x $PER failed logins, projected to $epo"
# the first while epo is stopped: its batch to epo stays in the spool,
# which is copied; both copies are sent later, the second a duplicate
kill -STOP "${PID[$epo]}"
not() { ! "$@"; }
check "phase 1: w0 not all acked while $epo is stopped" not fail_from w0 "${SRC[0]}" sp-0 3
cp -a "$T/sp-0" "$T/sp-0-copy"
kill -CONT "${PID[$epo]}"
check "phase 1: w0's spool sent to $epo, acked" drain w0 sp-0
for k in $(seq 1 7); do
	check "phase 1: source ${SRC[$k]} all acked ($SECONDS s)" fail_from "w$k" "${SRC[$k]}" "sp-$k"
done
check "phase 1: $epo took 24 projections" wait_for 10 eq 'stat_of "$epo" projected' 24
expect_eq "phase 1: projections stored on $epo" \
	"$(sq "$epo" -c 'SELECT count(*) FROM fleet_projections')" 24
expect_eq "phase 1: rows on $other" \
	"$(sq "$other" -c "SELECT count(*) FROM events WHERE path = '/api/login'")" 24
expect_eq "phase 1: projections stored on $other" \
	"$(sq "$other" -c 'SELECT count(*) FROM fleet_projections')" 0
d0=$(stat_of "$epo" duplicates)
check "phase 1: w0's spool copy sent again, acked" drain w0 sp-0-copy
ge() { [ "$(eval "$1")" -ge "$2" ]; }
wait_for 10 ge 'stat_of "$epo" duplicates' $((d0 + 1)) || true
check "phase 1: $epo saw the resent batch as a duplicate ($d0 -> $(stat_of "$epo" duplicates))" \
	ge 'stat_of "$epo" duplicates' $((d0 + 1))
expect_eq "phase 1: projections stored on $epo after the resend" \
	"$(sq "$epo" -c 'SELECT count(*) FROM fleet_projections')" 24
sleep 1
expect_eq "phase 1: incidents on $epo (8 sources < 10)" "$(incidents "$epo" | cut -d' ' -f1)" 0

echo "-- 2. a flood of projections from one collector, then both shards killed with -9 and restarted"
kill9 "$epo"
kill9 "$other"
sq "$epo" -q -c "INSERT INTO hosts (host) VALUES ('flood');
	INSERT INTO fleet_projections (host, seq, idx, recv_ts, bits, src_ip, status, authority, path)
	SELECT 'flood', 1000 + k / 500, k % 500, now() + (k || ' ms')::interval, 1,
	       ('10.213.240.' || (k % 200 + 1))::inet, 401, 'api.test', '/api/flood'
	FROM generate_series(1, 12000) k" || bad "phase 2: flood projections inserted"
# one projection from long ago: older than every window, pruned
sq "$epo" -q -c "INSERT INTO fleet_projections (host, seq, idx, recv_ts, bits, src_ip,
	status, authority, path) VALUES ('old', 1, 4096, now() - interval '3 hours', 1,
	'10.213.250.7', 401, 'api.test', '/api/login')" || bad "phase 2: old projection inserted"
start_corr "$epo"
start_corr "$other"
wait_for 10 eq 'stat_of "$epo" fleet_warmed_projections' 2024 || true
expect_eq "phase 2: $epo warmed the 24 honest projections and 2000 of the flood's" \
	"$(stat_of "$epo" fleet_warmed_projections)" 2024
expect_eq "phase 2: $epo windows (bruteforce and rate of the login endpoint, rate of the flood's: not a login)" \
	"$(stat_of "$epo" fleet_windows)" 3
wait_for 10 eq 'stat_of "$other" fleet_warmed_rows' 24 || true
expect_eq "phase 2: $other warmed its own rows" "$(stat_of "$other" fleet_warmed_rows)" 24
expect_eq "phase 2: $other windows (one per source, none of $epo's endpoint)" \
	"$(stat_of "$other" fleet_windows)" 8
check "phase 2: $epo pruned the old projection" \
	wait_for 10 eq 'stat_of "$epo" fleet_projections_pruned' 1
expect_eq "phase 2: projections left on $epo" \
	"$(sq "$epo" -c "SELECT count(*) FROM fleet_projections WHERE host <> 'flood'")" 24

echo "-- 3. 4 more sources x $PER failed logins"
for k in $(seq 8 11); do
	check "phase 3: source ${SRC[$k]} all acked ($SECONDS s)" fail_from "w$k" "${SRC[$k]}" "sp-$k"
done
check "phase 3: $epo opened the incident" wait_for 20 eq 'incidents "$epo" | cut -d" " -f1' 1
sleep 2 # further ticks must not open another, nor the other shard one
read -r ni cnt nsrc <<<"$(incidents "$epo")"
expect_eq "phase 3: incidents on $epo" "$ni" 1
expect_eq "phase 3: its failures (8 + 4 sources x $PER)" "$cnt" 36
expect_eq "phase 3: its sources" "$nsrc" 12
expect_eq "phase 3: incidents on $other" "$(incidents "$other" | cut -d' ' -f1)" 0
expect_eq "phase 3: $other windows" "$(stat_of "$other" fleet_windows)" 12
expect_eq "phase 3: projections stored on $epo" \
	"$(sq "$epo" -c "SELECT count(*) FROM fleet_projections WHERE host <> 'flood'")" 36
for s in $SHARDS; do
	if sw_alive "${PID[$s]}"; then ok "correlator $s running"
	else bad "correlator $s died: $(tail -1 "$T/corr-$s.log")"; fi
done
finish
