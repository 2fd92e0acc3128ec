#!/usr/bin/env bash
# tls_blind: TLS whose library the probes cannot see is counted, by what
# happened. tls_static_server.c is linked statically against OpenSSL
# (libssl.a, libcrypto.a) twice: stripped ("blindtls": no SSL_read symbol
# anywhere, the blind spot) and with its symbols ("symtls": probed like a
# libssl). Each serves three HTTPS requests from curl on host cli, in host
# srv whose collector (--netns self, TLS probes on) sees only this test.
#  - blindtls: no event from it; sidewatch_tls_blind_total{counter="conns"}
#    grows by exactly its 3 connections and {counter="bytes"} by exactly the
#    bytes its socket reads and writes moved (counted by the server itself,
#    a BIO callback); sidewatch_tls_processes{coverage="blind"} is 1 while
#    it lives (also after symtls came) and the exit counters name it;
#  - symtls (the control): the collector probes the static binary, each
#    exchange is one "tls":true event with path, status and the body size,
#    and the blind counters do not move.
# SW_BREAK=swap serves each case with the other binary: every check of
# both cases fails.
source "$(dirname "$0")/lib.sh"
require_kernel
LIBDIR=/usr/lib/x86_64-linux-gnu
[ -e "$LIBDIR/libssl.a" ] && [ -e "$LIBDIR/libcrypto.a" ] ||
	die "no $LIBDIR/libssl.a or libcrypto.a: install libssl-dev (tools/deps.sh)"
BODY=1500 # tls_static_server.c's body

gcc -O2 -Wall -Wextra -static -o "$T/symtls" "$ROOT/tests/integration/tls_static_server.c" \
	"$LIBDIR/libssl.a" "$LIBDIR/libcrypto.a" -lpthread 2>"$T/gcc.err" ||
	{ cat "$T/gcc.err" >&2; die "cannot link the static HTTPS server"; }
cp "$T/symtls" "$T/blindtls"
strip "$T/blindtls"
check "symtls defines SSL_read (static, symbols kept)" bash -c "nm '$T/symtls' | grep -q ' T SSL_read\$'"
check "blindtls has no symbols (stripped)" bash -c "! nm '$T/blindtls' 2>/dev/null | grep -q SSL_read"
check "neither maps a libssl: both are static" bash -c "! ldd '$T/blindtls' 2>/dev/null | grep -q libssl"
BLIND=$T/blindtls SYM=$T/symtls
[ "${SW_BREAK:-}" = swap ] && { BLIND=$T/symtls SYM=$T/blindtls; }
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=srv \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || die "openssl req failed"

net_host srv 10.213.34.1
net_host cli 10.213.34.2
P=$(free_port_in srv 14000 1000 11) || die "no free ports"
MPORT=$((P + 10))
bg col ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --log-level info \
	--metrics-listen "127.0.0.1:$MPORT"
wait_for 90 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

# scrape FILE : /metrics now (refreshed once a second: wait past one)
scrape() {
	sleep 1.2
	in_host srv curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$1" || : >"$1"
}
# m FILE SAMPLE : a sample's value, "absent" if none
m() { awk -v k="$2" '$1 == k {print $2; f = 1} END {if (!f) print "absent"}' "$1"; }
BC='sidewatch_tls_blind_total{counter="conns"}'
BB='sidewatch_tls_blind_total{counter="bytes"}'
BP='sidewatch_tls_processes{coverage="blind"}'
num() { case $1 in '' | *[!0-9]*) echo -1 ;; *) echo "$1" ;; esac; }

# serve NAME BIN PORT [PATTERN] : three curl requests to BIN, once the
# collector's log matches PATTERN if given; leaves the server running
serve() {
	local name=$1 bin=$2 port=$3 pat=${4:-} i
	bg "$name" ip netns exec "$NS_srv" "$bin" 10.213.34.1 "$port" "$T/cert.pem" "$T/key.pem" 3
	wait_for 10 grep -q listening "$T/$name.out" || die "$name did not start: $(cat "$T/$name.err")"
	[ -z "$pat" ] || wait_for 30 grep -q "$pat" "$T/col.err" || true
	: >"$T/$name.curl"
	for i in 1 2 3; do
		in_host cli curl -sk --max-time 10 -o /dev/null -w '%{http_code} %{size_download}\n' \
			"https://10.213.34.1:$port/static/$name/$i" >>"$T/$name.curl" || true
	done
	wait_for 10 grep -q '^tls conns' "$T/$name.out" || true
	expect_eq "$name: curl got three 200 answers of $BODY bytes" \
		"$(grep -c "^200 $BODY\$" "$T/$name.curl")" 3
}

echo "-- a stripped static OpenSSL server: the blind spot"
scrape "$T/m0.prom"
serve blind "$BLIND" $((P + 1))
read -r _ _ bconns _ bbytes < <(grep '^tls conns' "$T/blind.out" || echo)
expect_eq "blindtls: it served 3 TLS connections" "${bconns:-none}" 3
scrape "$T/m1.prom"
expect_eq "blind connections grew by exactly its 3" \
	"$(( $(num "$(m "$T/m1.prom" "$BC")") - $(num "$(m "$T/m0.prom" "$BC")") ))" 3
expect_eq "blind bytes grew by exactly its socket's reads and writes" \
	"$(( $(num "$(m "$T/m1.prom" "$BB")") - $(num "$(m "$T/m0.prom" "$BB")") ))" "${bbytes:-none}"
expect_eq "one blind process, while it serves" "$(m "$T/m1.prom" "$BP")" 1
expect_eq "no event from it (nothing readable)" \
	"$(grep -c "\"dst\":\"10.213.34.1:$((P + 1))\"" "$T/col.out" || true)" 0

echo "-- the same server with its symbols: probed, decoded, not blind"
scrape "$T/m2.prom"
# the collector's scan of new processes (every 2 s) probes it; curl after
serve sym "$SYM" $((P + 2)) "tls: probing OpenSSL in .*/symtls"
check "the collector probed the static binary's SSL_read" grep -q "tls: probing OpenSSL in .*/symtls" "$T/col.err"
scrape "$T/m3.prom"
expect_eq "blind connections did not grow" \
	"$(( $(num "$(m "$T/m3.prom" "$BC")") - $(num "$(m "$T/m2.prom" "$BC")") ))" 0
expect_eq "blind bytes did not grow" \
	"$(( $(num "$(m "$T/m3.prom" "$BB")") - $(num "$(m "$T/m2.prom" "$BB")") ))" 0
expect_eq "still one blind process (blindtls lives on, symtls is covered)" "$(m "$T/m3.prom" "$BP")" 1
check "three tls:true events from symtls: GET /static/sym/N 200, $BODY bytes of body" python3 - "$T/col.out" "$((P + 2))" "$BODY" <<'PY'
import json, sys
port, body = sys.argv[2], int(sys.argv[3])
ev = [json.loads(l) for l in open(sys.argv[1]) if '"kind":"session"' in l]
ev = sorted((e for e in ev if e["dst"] == "10.213.34.1:" + port), key=lambda e: e["path"])
ok = len(ev) == 3
for i, e in enumerate(ev, 1):
    good = (e["tls"] is True and e["method"] == "GET" and e["path"] == "/static/sym/%d" % i
            and e["status"] == 200 and e["resp_bytes"] > body)
    if not good:
        print("   mismatch:", {k: e.get(k) for k in ("tls", "method", "path", "status", "resp_bytes")})
    ok = ok and good
print("   %d events" % len(ev))
sys.exit(0 if ok else 1)
PY
BLINDC=$(num "$(m "$T/m3.prom" "$BC")")
BLINDB=$(num "$(m "$T/m3.prom" "$BB")")
stop_collector col # both servers still alive
expect_eq "exit counters: tls.blind_conns = /metrics" "$(counter col tls blind_conns 2>/dev/null || echo none)" "$BLINDC"
expect_eq "exit counters: tls.blind_bytes = /metrics" "$(counter col tls blind_bytes 2>/dev/null || echo none)" "$BLINDB"
expect_eq "exit counters: one blind process" "$(counter col tls procs_blind 2>/dev/null || echo none)" 1
expect_eq "exit counters name it" "$(counter col tls blind_names 2>/dev/null || echo none)" blindtls
finish
