#!/usr/bin/env bash
# metrics: the collector's /metrics against a scenario whose every count is
# known. nginx on host srv; the collector in srv's namespace (--netns self,
# enforce mode; xss made a block so that both actions happen):
#   5 benign requests and 2 static downloads of 100000 bytes sent with
#   sendfile (gaps) from host ben; one SQL injection (kill) from host atk;
#   one XSS (block, 30 s) from host atk2.
# Each series is compared with what happened, exactly:
#   events_emitted_total{proto="http1"} = the session events printed = the
#   requests the servers answered; kernel bytes_gap + bytes_skipped = the
#   sendfile bodies;
#   ringbuf_full = 0; and the counters the collector prints at exit
#   (verdicts, kills, blocks) = what happened, and /metrics carries each of
#   them with the same value (README: "Counters: Prometheus text on
#   /metrics, and one JSON line on stderr at exit").
# SW_BREAK=monitor (no kill, no block) and SW_BREAK=sendfileoff (nginx
# copies the bodies: no gap) make the corresponding checks fail.
source "$(dirname "$0")/lib.sh"
require_kernel

net_host srv 10.213.31.1
net_host ben 10.213.31.2
net_host atk 10.213.31.3
net_host atk2 10.213.31.4
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.31.1:80" "$T/www"
[ "${SW_BREAK:-}" = sendfileoff ] && sed -i 's/sendfile on;/sendfile off;/' "$T/nginx.conf"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host ben curl -sf -o /dev/null http://10.213.31.1/api/echo || die "nginx not reachable"

python3 - "$ROOT/deploy/rules.yaml" >"$T/rules.yaml" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r"(\n  xss: +\{[^}]*action: )kill", r"\1block, block_ttl: 30s", t)
print(t, end="")
PY
grep -q 'action: block, block_ttl: 30s' "$T/rules.yaml" || die "test rules: could not make xss a block"
MODE=enforce
[ "${SW_BREAK:-}" = monitor ] && MODE=monitor
MPORT=$(free_port_in srv 12000 1000) || die "no free port"
bg col ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --no-tls --mode "$MODE" \
	--rules "$T/rules.yaml" --metrics-listen "127.0.0.1:$MPORT"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

echo "-- the scenario"
served=0
for i in 1 2 3 4 5; do
	in_host ben curl -sf -o /dev/null "http://10.213.31.1/api/echo?i=$i" && served=$((served + 1))
done
GOT=0
for i in 1 2; do
	n=$(in_host ben curl -sf -o /dev/null -w '%{size_download}' "http://10.213.31.1/big.txt?d=$i") &&
		served=$((served + 1)) && GOT=$((GOT + n))
done
expect_eq "the two downloads were 100000 bytes each" "$GOT" 200000
# the attacks, each on a connection the client keeps open after its
# request, so the kill always finds it (nginx may answer before the cut;
# a connection closed by then could not be killed, and is not counted)
for h in atk atk2; do
	q="id=1%27%20OR%201=1--"
	[ "$h" = atk2 ] && q="q=%3Cscript%3Ealert(1)%3C/script%3E"
	echo "   $h: $(in_host "$h" python3 "$ROOT/tests/integration/held_request.py" 10.213.31.1 80 "$q" 2>&1 | tail -1)"
done
vcount() { [ "$(grep -c '"kind":"verdict"' "$T/col.out")" -ge 2 ]; }
wait_for 10 vcount || true
sleep 1.5  # counters reach /metrics once a second
check "GET /metrics" in_host srv curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom"
stop_collector col

SESS=$(grep -c '"kind":"session"' "$T/col.out" || true)
ATKS=$(grep '"kind":"session"' "$T/col.out" | grep -c '"path":"/api/users/7"' || true)
echo "   $SESS session events ($ATKS of them the attacks' exchanges), $served benign exchanges"
expect_eq "one session event per benign exchange" "$((SESS - ATKS))" "$served"
KV=$(grep '"kind":"verdict"' "$T/col.out" | python3 -c '
import json, sys
v = [json.loads(l) for l in sys.stdin]
print(" ".join(sorted("%s:%s" % (e["rule"], e["action"]) for e in v)))')
expect_eq "the verdicts printed" "$KV" "sqli:kill xss:block"

# m NAME{LABELS} : a sample's value from the scrape ("absent" if none)
m() { awk -v k="$1" '$1 == k {print $2; f = 1} END {if (!f) print "absent"}' "$T/m.prom"; }
# x SECTION KEY : a value of the exit counters line (SECTION - for top level)
x() {
	grep '"kind":"counters"' "$T/col.err" | tail -1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
s, k = sys.argv[1], sys.argv[2]
print((d if s == "-" else d.get(s, {})).get(k, "absent"))' "$1" "$2"
}
echo "-- /metrics against what happened"
expect_eq 'sidewatch_events_emitted_total{proto="http1"} = the session events printed' \
	"$(m 'sidewatch_events_emitted_total{proto="http1"}')" "$SESS"
expect_eq 'sidewatch_events_emitted_total{proto="http2"} = 0' "$(m 'sidewatch_events_emitted_total{proto="http2"}')" 0
# a sendfile body past the 4 KiB response prefix may fall inside the skip
# range the collector names (resp_skip) once it has read the head: those
# bytes are counted as skipped, not as a gap, depending on who is first
GAPB=$(m 'sidewatch_kernel_total{counter="bytes_gap"}')
SKIPB=$(m 'sidewatch_kernel_total{counter="bytes_skipped"}')
echo "   kernel: bytes_gap $GAPB, bytes_skipped $SKIPB"
expect_eq 'sidewatch_kernel_total bytes_gap + bytes_skipped = the two sendfile bodies' \
	"$((GAPB + SKIPB))" 200000
expect_eq 'sidewatch_kernel_total{counter="ringbuf_full"} = 0' "$(m 'sidewatch_kernel_total{counter="ringbuf_full"}')" 0
expect_eq 'sidewatch_kernel_total{counter="no_syscall_args"} = 0 (every call here had its syscall)' \
	"$(m 'sidewatch_kernel_total{counter="no_syscall_args"}')" 0

echo "-- the exit counters against what happened, and the same values on /metrics"
expect_eq "exit counters: events_emitted" "$(x - events_emitted)" "$SESS"
expect_eq "exit counters: verdicts" "$(x - verdicts)" 2
expect_eq "exit counters: enforce.kills" "$(x enforce kills)" 1
expect_eq "exit counters: enforce.blocks" "$(x enforce blocks)" 1
expect_eq "exit counters: enforce.errors" "$(x enforce errors)" 0
# the verdict engine's own counts (report.c judge_kvs): two verdicts, none
# dropped, and one strike entry for each of the two attacking hosts
expect_eq "exit counters: judge.verdicts" "$(x judge verdicts)" 2
expect_eq "exit counters: judge.dropped" "$(x judge dropped)" 0
expect_eq "exit counters: judge.strike_evictions" "$(x judge strike_evictions)" 0
expect_eq "exit counters: judge.conn_mark_evictions" "$(x judge conn_mark_evictions)" 0
expect_eq 'sidewatch_judge_total{counter="verdicts"} = 2' "$(m 'sidewatch_judge_total{counter="verdicts"}')" 2
expect_eq 'sidewatch_judge_total{counter="conn_mark_evictions"} = 0' "$(m 'sidewatch_judge_total{counter="conn_mark_evictions"}')" 0
expect_eq 'sidewatch_judge_entries{table="strikes"} = 2 (atk, atk2)' \
	"$(m 'sidewatch_judge_entries{table="strikes"}')" 2
# /metrics must carry these too: any series whose name says so, equal
for kv in verdicts:2 kills:1 blocks:1; do
	k=${kv%%:*} want=${kv#*:}
	got=$(grep -v '^#' "$T/m.prom" | grep -E "^sidewatch_[a-z_]*${k%s}" | head -3 | tr '\n' ';' || true)
	check "/metrics has a $k series equal to $want (found: '${got:-none}')" \
		sh -c "grep -v '^#' '$T/m.prom' | grep -Eq '^sidewatch_[a-z_]*${k%s}[a-z_]*(\{[^}]*\})? $want\$'"
done
finish
