#!/usr/bin/env bash
# tests/integration/shard_collector.sh - the collector itself split by shard
# (--ring, collector/uplink/shardup.h, issue 25): a real collector watching
# loopback, nginx on 127.0.0.1, and curl from 48 client /24s of 127/8
# (--interface 127.K.J.1), with two correlator shards (--ring --shard), each
# its own database in one PostgreSQL:
#   1. ring version 1 (a, b equal): every session row of the phase is on the
#      shard ring-owner names for its client, per shard the count is
#      ring-owner's count, the sum is all requests, misrouted 0 on both;
#   1b. credential stuffing: two failed logins (401) on one endpoint from
#      each of the 48 /24s; both shards hold enough of them as rows to pass
#      fleet.bruteforce.endpoint's thresholds alone (>= 30 failures, >= 10
#      sources), yet the incident is opened once, on the endpoint's owner
#      (ring-owner --endpoint), naming all 48 sources: the collector sent
#      the other shard's events there as projections (counted, not rows),
#      and its evidence names only rows the owner stores;
#   1c. credential sharing: 3 API keys, each used from 16 of the /24s;
#      each shard alone stores every key from >= 5 sources (the detector's
#      threshold), yet each key's incident opens once, on its identity's
#      owner (ring-owner --identity), naming its 16 sources;
#   2. the ring file rewritten (version 2, b weight 4) and SIGHUP: the
#      collector logs and counts the change, the next requests from the
#      same 48 /24s land on their owners under version 2, and some /24s
#      did move;
#   3. its stats line and /metrics show each shard (endpoint, acked,
#      spool, connected) and the ring's version and changes;
#   4. a ring file with a bad line stops the collector at start with the
#      file's line number;
#   5. block lists from every shard: a collector in enforce mode on the
#      ring (no blocklist endpoint of its own) subscribes to each shard's
#      --blocks (its ring port + 1); an operator block on a and another on
#      b are both in its kernel sw_block map, the same /24 blocked by both
#      shards stays after a removes it and goes when b does, and each
#      shard's hosts row holds that shard's own list head as the
#      collector's version (per-shard versions in its heartbeats).
# SW_BREAK=route gives the collector a ring of shard a alone in phase 1
# (the per-shard checks fail).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/shard_lib.sh"
require_kernel
for b in sidewatch-correlator ring-owner; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 16500 1000 7) || die "no free ports"
PGPORT=$P WEB=$((P + 5)) MET=$((P + 6))
declare -A EVP BLP PID
# a shard's block list PUB is its ring port + 1 (blocklist_sub_fan.h)
EVP[a]=$((P + 1)) BLP[a]=$((P + 2))
EVP[b]=$((P + 3)) BLP[b]=$((P + 4))
SHARDS="a b"
NETS=48

ring() { # VERSION WEIGHT_OF_B
	printf '# collector ring\nversion %s\n' "$1"
	echo "a tcp://127.0.0.1:${EVP[a]} 1"
	echo "b tcp://127.0.0.1:${EVP[b]} $2"
}
# ge 'CMD' N / eq 'CMD' V: CMD's output (run anew at each call, so inside
# wait_for it is polled, not computed once) is at least N / equals V
ge() { [ "$(eval "$1")" -ge "$2" ]; }
eq() { [ "$(eval "$1")" = "$2" ]; }
start_corr() { shard_start "$T/corr-ring.txt" "$1"; } # SHARD
# requests PHASE: one GET /PHASE/K from 127.(10+K).7.1 for each of NETS /24s
requests() {
	local k
	for k in $(seq 0 $((NETS - 1))); do
		curl -s -o /dev/null --interface "127.$((10 + k)).7.1" \
			"http://127.0.0.1:$WEB/$1/$k" || bad "curl from 127.$((10 + k)).7.1"
	done
}
# rows PHASE SHARD: the client address of each of the phase's session rows
rows() {
	psql "$(db_url "$2")" -X -At -c \
		"SELECT host(src_ip) FROM events WHERE kind = 'session' AND path LIKE '/$1/%'"
}
total_rows() { # PHASE
	local s n=0
	for s in $SHARDS; do n=$((n + $(rows "$1" "$s" | wc -l))); done
	echo "$n"
}
# check_phase PHASE RING: per shard, rows = ring-owner's count and every
# row is owned by that shard under RING
check_phase() {
	local ph=$1 r=$2 s n own want
	for k in $(seq 0 $((NETS - 1))); do echo "127.$((10 + k)).7.1"; done |
		"$BUILD/ring-owner" "$r" - >"$T/owners-$ph"
	for s in $SHARDS; do
		rows "$ph" "$s" >"$T/rows-$ph-$s"
		n=$(wc -l <"$T/rows-$ph-$s")
		own=$("$BUILD/ring-owner" "$r" - <"$T/rows-$ph-$s" | grep -cx "$s" || true)
		want=$(grep -cx "$s" "$T/owners-$ph" || true)
		echo "     phase $ph shard $s: $n rows, $own owned by $s, ring-owner gives $s $want of $NETS"
		expect_eq "phase $ph shard $s: rows = ring-owner's count" "$n" "$want"
		expect_eq "phase $ph shard $s: every row owned by $s" "$own" "$n"
	done
}

start_pg "$PGPORT"
on_exit stop_all
for s in $SHARDS; do
	psql "$PG_URL" -X -q -c "CREATE DATABASE sw_$s" || die "CREATE DATABASE sw_$s"
done
ring 1 1 >"$T/ring1.txt"
ring 2 4 >"$T/ring2.txt"
cp "$T/ring1.txt" "$T/corr-ring.txt"
for s in $SHARDS; do start_corr "$s"; done

if [ "${SW_BREAK:-}" = route ]; then
	printf 'version 1\na tcp://127.0.0.1:%s 1\n' "${EVP[a]}" >"$T/ring.txt"
else
	cp "$T/ring1.txt" "$T/ring.txt"
fi
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$WEB" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$WEB/index.html" || die "nginx did not start"
start_collector col --netns self --plain --ring "$T/ring.txt" --spool "$T/spool" \
	--metrics-listen "127.0.0.1:$MET"

echo "-- 1. ring version 1: $NETS requests from $NETS /24s"
requests p1
t0=$SECONDS
check "phase 1: all $NETS rows stored" wait_for 60 ge 'total_rows p1' "$NETS"
echo "     stored within $((SECONDS - t0)) s of the last request"
check_phase p1 "$T/ring1.txt"
for s in $SHARDS; do
	expect_eq "phase 1: shard $s misrouted" "$(stat_of "$s" misrouted)" 0
done

echo "-- 1b. credential stuffing: 2 failed logins from each of $NETS /24s"
epo=$("$BUILD/ring-owner" "$T/ring1.txt" --endpoint "127.0.0.1:$WEB" /api/login | cut -d' ' -f1)
other=$([ "$epo" = a ] && echo b || echo a)
echo "     the endpoint 127.0.0.1:$WEB/api/login is owned by $epo"
for k in $(seq 0 $((NETS - 1))); do
	for n in 1 2; do
		curl -s -o /dev/null -X POST -d "user=u$k&pass=p$n" --interface "127.$((10 + k)).7.1" \
			"http://127.0.0.1:$WEB/api/login" || bad "login from 127.$((10 + k)).7.1"
	done
done
fails() { # SHARD
	psql "$(db_url "$1")" -X -At -c "SELECT count(*), count(DISTINCT src_ip) FROM events
		WHERE kind = 'session' AND path = '/api/login' AND status = 401" | tr '|' ' '
}
check "1b: all $((2 * NETS)) failed logins stored" wait_for 60 \
	ge 'echo $(( $(fails a | cut -d" " -f1) + $(fails b | cut -d" " -f1) ))' $((2 * NETS))
for s in $SHARDS; do
	read -r nf ns <<<"$(fails "$s")"
	echo "     shard $s stores $nf failed logins from $ns sources"
	check "1b: shard $s alone passes the thresholds ($nf >= 30, $ns >= 10)" \
		test "$nf" -ge 30 -a "$ns" -ge 10
done
incidents() { # SHARD: count and sources of the endpoint incidents
	psql "$(db_url "$1")" -X -At -c "SELECT count(*), coalesce(max(cardinality(sources)), 0)
		FROM incidents WHERE rule = 'fleet.bruteforce.endpoint'" | tr '|' ' '
}
check "1b: the endpoint's owner $epo opened the incident" \
	wait_for 20 eq 'incidents "$epo" | cut -d" " -f1' 1
sleep 2 # the other shard's fleet ticks too: give it the time to (wrongly) fire
read -r ni nsrc <<<"$(incidents "$epo")"
expect_eq "1b: incidents on $epo" "$ni" 1
expect_eq "1b: its sources: all $NETS" "$nsrc" "$NETS"
expect_eq "1b: incidents on $other" "$(incidents "$other" | cut -d' ' -f1)" 0
evidence() { # SHARD: the endpoint incident's evidence, and how many name no stored row
	psql "$(db_url "$1")" -X -At -c "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS
		(SELECT 1 FROM events e WHERE e.host || '/' || e.seq || '/' || e.idx = ev))
		FROM incidents i, unnest(i.evidence) ev WHERE i.rule = 'fleet.bruteforce.endpoint'" | tr '|' ' '
}
read -r nev nbad <<<"$(evidence "$epo")"
echo "     the incident's evidence: $nev events, $nbad of them not a stored row"
check "1b: the incident has evidence ($nev)" test "$nev" -gt 0
expect_eq "1b: evidence naming no row of $epo (a projection's)" "$nbad" 0
# want_proj SHARD: the rows stored on the other shard whose endpoint or
# identity key SHARD owns (ring-owner), i.e. the projections SHARD is due
want_proj() {
	local n=0 auth path id o
	while IFS='|' read -r auth path id; do
		[ -n "$path" ] || continue # no endpoint key without a path
		o=$("$BUILD/ring-owner" "$T/ring1.txt" --endpoint "$auth" "$path" | cut -d' ' -f1)
		if [ "$o" != "$1" ] && [ -n "$id" ]; then
			o=$("$BUILD/ring-owner" "$T/ring1.txt" --identity "$id" | cut -d' ' -f1)
		fi
		[ "$o" = "$1" ] && n=$((n + 1))
	done < <(psql "$(db_url "$([ "$1" = a ] && echo b || echo a)")" -X -At -c \
		"SELECT authority, path, coalesce(identity, '') FROM events WHERE kind = 'session'")
	echo "$n"
}
for s in $SHARDS; do
	want=$(want_proj "$s")
	wait_for 10 ge 'stat_of "$s" projected' "$want" || true
	expect_eq "1b: projections shard $s took = the other's rows whose key it owns" \
		"$(stat_of "$s" projected)" "$want"
done
for s in $SHARDS; do
	expect_eq "1b: shard $s projections misrouted" "$(stat_of "$s" projections_misrouted)" 0
	expect_eq "1b: shard $s misrouted" "$(stat_of "$s" misrouted)" 0
done

echo "-- 1c. credential sharing: 3 API keys, each from 16 /24s"
for k in $(seq 0 $((NETS - 1))); do
	curl -s -o /dev/null -H "X-API-Key: shared-key-$((k % 3))" --interface "127.$((10 + k)).7.1" \
		"http://127.0.0.1:$WEB/api/echo" || bad "keyed request from 127.$((10 + k)).7.1"
done
keyed() { # SHARD: "identity sources" of the phase's keyed rows
	psql "$(db_url "$1")" -X -At -F ' ' -c "SELECT identity, count(DISTINCT src_ip) FROM events
		WHERE kind = 'session' AND path = '/api/echo' AND identity IS NOT NULL GROUP BY 1 ORDER BY 1"
}
check "1c: all $NETS keyed requests stored" wait_for 60 \
	ge '{ keyed a; keyed b; } | awk "{ n += \$2 } END { print n + 0 }"' "$NETS"
for s in $SHARDS; do
	keyed "$s" >"$T/keyed-$s"
	echo "     shard $s stores: $(awk '{ printf "%s from %s sources; ", substr($1, 1, 14), $2 }' "$T/keyed-$s")"
	check "1c: shard $s alone holds each of the 3 keys from >= 5 sources" \
		test "$(awk '$2 >= 5' "$T/keyed-$s" | wc -l)" = 3
done
cred() { # SHARD: the credential-sharing incidents, "subject sources" a line
	psql "$(db_url "$1")" -X -At -F ' ' -c "SELECT coalesce(identity, dedupe_key), cardinality(sources) FROM incidents
		WHERE rule = 'fleet.credential_sharing' ORDER BY 1"
}
for s in $SHARDS; do
	want=0
	for id in $(cut -d' ' -f1 "$T/keyed-$s"); do
		[ "$("$BUILD/ring-owner" "$T/ring1.txt" --identity "$id" | cut -d' ' -f1)" = "$s" ] &&
			want=$((want + 1))
	done
	wait_for 20 ge 'cred "$s" | wc -l' "$want" || true
	sleep 1
	cred "$s" >"$T/cred-$s"
	echo "     shard $s owns $want of the 3 keys; its incidents: $(awk '{ printf "%s (%s sources) ", substr($1, 1, 14), $2 }' "$T/cred-$s")"
	expect_eq "1c: credential-sharing incidents on $s = keys it owns" "$(wc -l <"$T/cred-$s")" "$want"
	expect_eq "1c: each names its 16 sources" "$(awk '$2 != 16' "$T/cred-$s" | wc -l)" 0
done
expect_eq "1c: incidents on both shards: one per key" "$(cat "$T"/cred-? | wc -l)" 3

echo "-- 2. ring version 2 (b weight 4), SIGHUP"
cp "$T/ring2.txt" "$T/ring.txt.new" && mv "$T/ring.txt.new" "$T/ring.txt"
kill -HUP "$PID_col"
check "the collector took version 2" \
	wait_for 10 grep -q "ring: version 2 taken, 2 shards" "$T/col.err"
requests p2
check "phase 2: all $NETS rows stored" wait_for 60 ge 'total_rows p2' "$NETS"
check_phase p2 "$T/ring2.txt"
moved=$(paste "$T/owners-p1" "$T/owners-p2" | awk '$1 != $2' | wc -l)
echo "     $moved of $NETS /24s moved from a to b"
check "phase 2: some /24s moved ($moved)" test "$moved" -gt 0
expect_eq "phase 2: no phase-1 row added since" "$(total_rows p1)" "$NETS"

echo "-- 3. the collector's metrics and stats line"
curl -s "http://127.0.0.1:$MET/metrics" >"$T/metrics.txt"
check "ring version 2 in /metrics" grep -qx 'sidewatch_ring_version 2' "$T/metrics.txt"
check "one ring change in /metrics" grep -qx 'sidewatch_ring_changes_total{result="taken"} 1' "$T/metrics.txt"
for s in $SHARDS; do
	check "shard $s connected, with its endpoint, in /metrics" grep -qx \
		"sidewatch_uplink_shard_connected{endpoint=\"tcp://127.0.0.1:${EVP[$s]}\",in_ring=\"1\",shard=\"$s\"} 1" \
		"$T/metrics.txt"
done
grep '^sidewatch_uplink_shard\|^sidewatch_ring' "$T/metrics.txt" | sed 's/^/     /'
stop_collector col
python3 - "$T/col.err" "$T/owners-p1" "$T/owners-p2" >"$T/stats-check" <<'PY' || bad "stats line: $(cat "$T/stats-check")"
import json, sys
line = [l for l in open(sys.argv[1]) if '"why":"exit"' in l][-1]
up = json.loads(line)["uplink"]
assert up["ring_version"] == 2 and up["ring_changes"] == 1 and up["ring_refused"] == 0, up
sh = {s["name"]: s for s in up["shards"]}
assert sorted(sh) == ["a", "b"], sh
for n, s in sh.items():
    assert s["in_ring"] and s["connected"], s
    assert s["acked"] >= 1 and s["sent"] >= s["acked"], s
    assert s["spool_batches"] == 0, s
print("stats line:", {n: (s["events"], s["acked"]) for n, s in sh.items()})
PY
ok "exit stats line: ring version 2, 1 change, both shards acked, spools empty"
sed 's/^/     /' "$T/stats-check"

echo "-- 4. a bad ring file at start"
printf 'version 3\na tcp://127.0.0.1:1 1\nb tcp://127.0.0.1:2 99\n' >"$T/bad-ring.txt"
rc=0
timeout 30 "$COLLECTOR" --netns self --plain --ring "$T/bad-ring.txt" --spool "$T/spool-bad" \
	--metrics-listen off --name bad >"$T/bad.out" 2>"$T/bad.err" || rc=$?
check "the collector refused to start (exit $rc)" test "$rc" -ne 0
check "its error names the ring file's line 3" grep -q "ring .*bad-ring.txt: line 3" "$T/bad.err"
sed 's/^/     /' "$T/bad.err" | head -3

echo "-- 5. block lists from every shard"
sql_on() { local s=$1; shift; psql "$(db_url "$s")" -X -At -v ON_ERROR_STOP=1 -c "$*"; }
swctl_on() { local s=$1; shift; SIDEWATCH_PG=$(db_url "$s") timeout 10 "$BUILD/swctl" "$@" >>"$T/swctl.out" 2>&1; }
start_collector fan --netns self --plain --ring "$T/ring.txt" --spool "$T/spool-fan" \
	--mode enforce --metrics-listen off
in_kernel() { bpf_blocked "$PID_fan" "$1" >>"$T/bpf.log" 2>&1; }
not_in_kernel() { ! bpf_blocked "$PID_fan" "$1" >>"$T/bpf.log" 2>&1; }
check "shard a: swctl block add 10.213.70.1" swctl_on a block add 10.213.70.1 --ttl 10m --reason "shard a"
check "shard b: swctl block add 10.213.71.1" swctl_on b block add 10.213.71.1 --ttl 10m --reason "shard b"
check "the collector's kernel map holds a's block" wait_for 15 in_kernel 10.213.70.1
check "... and b's" wait_for 15 in_kernel 10.213.71.1
for s in a b; do check "shard $s: block 10.213.72.0/24" swctl_on "$s" block add 10.213.72.0/24 --ttl 10m; done
check "the /24 both shards block is in the kernel" wait_for 15 in_kernel 10.213.72.9
check "shard a: block rm 10.213.72.0/24" swctl_on a block rm 10.213.72.0/24
sleep 2
check "b still holds it: still in the kernel" in_kernel 10.213.72.9
check "shard b: block rm 10.213.72.0/24" swctl_on b block rm 10.213.72.0/24
check "gone from the kernel once b removed it too" wait_for 15 not_in_kernel 10.213.72.9
for s in a b; do
	check "shard $s: the collector's version = shard $s's head ($(sql_on "$s" "SELECT version FROM block_list_head"))" \
		wait_for 15 eq "sql_on $s \"SELECT h.blocklist_version = b.version FROM hosts h, block_list_head b WHERE h.host = 'fan'\"" t
done
stop_collector fan
check "its exit line shows two shards merged" grep -q '"fleet":{"shards":2,' "$T/fan.err"
finish
