#!/usr/bin/env bash
# mem_budget: one memory budget for the whole connection table (issue 23,
# item 5). Against real nginx on loopback, with mem_budget_mb 32:
#  - 127.0.0.66 opens 200 HTTP/2 connections with 120 POST streams each
#    left open (~440 MiB of decoder state if nothing were shed);
#  - 127.0.0.77 opens 3000 keep-alive HTTP/1.1 connections, one request
#    each, then idle (~110 MiB);
#  - meanwhile 127.0.0.5 sends a benign request and an SQL injection.
# The collector's anonymous memory (sampled every 100 ms) stays within the
# budget plus a fixed allowance above its idle size, the charged bytes
# never pass the budget by more than one record's worth, the state shed is
# counted, both flooders draw conn.mem_hog (evasion rule), the benign
# client is decoded and judged and never named. A second collector with a
# large budget watching the same HTTP/2 flood grows far past the first's
# ceiling: the flood is big enough for the check to mean something.
source "$(dirname "$0")/lib.sh"
require_kernel

BUDGET_MB=32
ALLOW_MB=24 # malloc slack, event buffers, per-client detector state
NPORT=$(free_port 17000 2500)
HPORT=$(free_port $((NPORT + 1)) 5000)
# 3200 sockets in one client process and in nginx
ulimit -n 16384 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 8192 ] ||
	die "open files limit $(ulimit -n) (hard $(ulimit -Hn)): the floods need 8192"
mkdir -p "$T/www"
printf 'ok\n' >"$T/www/index.html"
# HTTP/2 with prior knowledge on NPORT, HTTP/1.1 on HPORT
nginx_skeleton "$T/nginx.conf" "127.0.0.1:$NPORT http2; listen 127.0.0.1:$HPORT" "$T/www" \
	"location /up/ { proxy_pass http://127.0.0.1:9; client_body_timeout 60s; }" \
	"worker_rlimit_nofile 16384;"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$HPORT/index.html" || die "nginx did not start"

# rss_anon PID : the process's anonymous resident memory, KiB
rss_anon() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }
# sample PID OUT SECS : the largest rss_anon every 100 ms for SECS, in OUT
sample() {
	local p=$1 out=$2 max=0 v n
	for n in $(seq 1 $(($3 * 10))); do
		v=$(rss_anon "$p" 2>/dev/null) || break
		[ "${v:-0}" -gt "$max" ] && max=$v
		# written whole, then renamed: a kill mid-write leaves the last value
		echo "$max" >"$out.new" && mv -f "$out.new" "$out"
		sleep 0.1
	done
}
FLOOD="/usr/bin/python3 $ROOT/tests/integration/memflood.py"

printf 'mem_budget_mb: %s\n' "$BUDGET_MB" >"$T/col.yaml"
start_collector col --netns self --config "$T/col.yaml"
sleep 1
BASE=$(rss_anon "$PID_col")
echo "collector idle: RssAnon $BASE KiB"
sample "$PID_col" "$T/peak" 40 &
SAMPLER=$!

$FLOOD h2 127.0.0.1 "$NPORT" 127.0.0.66 200 120 12 >"$T/h2flood.json" 2>"$T/h2flood.err" &
H2F=$!
wait_for 60 grep -q holding "$T/h2flood.err" || die "HTTP/2 flood did not start: $(cat "$T/h2flood.err")"
$FLOOD idle 127.0.0.1 "$HPORT" 127.0.0.77 3000 10 >"$T/idle.json" 2>"$T/idle.err" &
IDF=$!
wait_for 60 grep -q holding "$T/idle.err" || die "idle flood did not start: $(cat "$T/idle.err")"
# the benign client, while both floods hold their connections
curl -s --interface 127.0.0.5 -o /dev/null "http://127.0.0.1:$HPORT/index.html?benign=1"
curl -s --interface 127.0.0.5 -o /dev/null \
	"http://127.0.0.1:$HPORT/index.html?id=1%27%20UNION%20SELECT%20password%20FROM%20users--"
wait "$H2F" "$IDF" || true
cat "$T/h2flood.json" "$T/idle.json"
sleep 1
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
PEAK=$(cat "$T/peak")
check "collector alive" kill -0 "$PID_col"
stop_collector col

echo "collector RssAnon: idle $BASE KiB, peak $PEAK KiB (+$(((PEAK - BASE) / 1024)) MiB; budget $BUDGET_MB MiB)"
check "the floods were served: 200 connections x 120 streams, 3000 answered keep-alives" python3 -c '
import json, sys
h = json.load(open(sys.argv[1])); i = json.load(open(sys.argv[2]))
sys.exit(0 if h["conns"] == 200 and h["done"] == 24000 and i["conns"] == 3000 and i["done"] == 3000 else 1)' \
	"$T/h2flood.json" "$T/idle.json"
check "collector memory under budget + $ALLOW_MB MiB over its idle size" \
	test "$PEAK" -le $((BASE + (BUDGET_MB + ALLOW_MB) * 1024))
MEMPEAK=$(counter col conn mem_peak_bytes)
echo "charged peak $MEMPEAK bytes; shed busy $(counter col conn shed_busy) idle $(counter col conn shed_idle)" \
	"trimmed $(counter col conn trimmed) bytes $(counter col conn shed_bytes) sheddings $(counter col conn mem_pressure)"
# one record may open a connection's whole batch of streams before the check
check "charged bytes never past the budget by more than one record" \
	test "$MEMPEAK" -le $(((BUDGET_MB << 20) + 121 * 19000))
check "connections holding unfinished streams were shed" test "$(counter col conn shed_busy)" -gt 100
check "idle connections were shed" test "$(counter col conn shed_idle)" -gt 0
grep '"kind":"verdict"' "$T/col.out" >"$T/verdicts.jsonl" || true
check "HTTP/2 flooder drew conn.mem_hog (evasion)" \
	grep -q '"src":"127.0.0.66:.*"conn.mem_hog".*"rule":"evasion"' "$T/verdicts.jsonl"
check "keep-alive flooder drew conn.mem_hog (evasion)" \
	grep -q '"src":"127.0.0.77:.*"conn.mem_hog".*"rule":"evasion"' "$T/verdicts.jsonl"
check "benign client's request decoded under pressure" \
	grep -q '"src":"127.0.0.5:.*"query":"benign=1","status":200' "$T/col.out"
check "benign client's SQL injection judged under pressure" \
	grep -q '"src":"127.0.0.5:.*"rule":"sqli"' "$T/verdicts.jsonl"
check "benign client never named conn.mem_hog" \
	bash -c "! grep '\"src\":\"127.0.0.5:' '$T/verdicts.jsonl' | grep -q mem_hog"

echo "-- the same HTTP/2 flood, budget 1024 MiB"
printf 'mem_budget_mb: 1024\n' >"$T/big.yaml"
start_collector big --netns self --config "$T/big.yaml"
sleep 1
BASE2=$(rss_anon "$PID_big")
sample "$PID_big" "$T/peak2" 20 &
SAMPLER=$!
$FLOOD h2 127.0.0.1 "$NPORT" 127.0.0.66 200 120 3 >"$T/h2flood2.json" 2>"$T/h2flood2.err" || true
sleep 1
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
PEAK2=$(cat "$T/peak2")
stop_collector big
echo "unbounded: RssAnon idle $BASE2 KiB, peak $PEAK2 KiB (+$(((PEAK2 - BASE2) / 1024)) MiB)"
check "without the budget the flood holds over 4x the budget" \
	test $((PEAK2 - BASE2)) -gt $((4 * BUDGET_MB * 1024))
check "and nothing was shed" test "$(counter big conn shed_busy)" -eq 0
finish
