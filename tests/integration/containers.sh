#!/usr/bin/env bash
# containers: the product as it ships, one container per host. Builds the
# collector image (deploy/Dockerfile) and the correlator image
# (deploy/Dockerfile.correlator) with podman, from Debian base images made
# once per machine (tests/integration/containers/images.sh; cached, so a
# run after the first builds nothing that did not change), then:
#   - a correlator container (host network, non-root) writing to a private
#     PostgreSQL on 127.0.0.1, its keys from a read-only mounted folder;
#   - the collector container run as README.md (Deployment) and the
#     DaemonSet run it: privileged, host PID and network, /sys/fs/bpf and
#     /sys/kernel mounted, its settings and CURVE keys from mounted files,
#     enforce mode;
#   - checked from outside: one event per real curl -> nginx exchange on the
#     host (loopback) and between network-namespace hosts this test makes,
#     an SQL injection's connection killed with its verdict, /metrics and
#     the HEALTHCHECK of both images, the events in PostgreSQL through the
#     uplink, and a clean stop: SIGTERM to the container, exit 0, and none
#     of the collector's programs, links or maps left (bpftool), nothing
#     pinned under /sys/fs/bpf, no tcx attachment;
#   - the same collector image with --cap-drop=ALL and exactly the
#     capabilities README.md lists instead of --privileged: it starts,
#     captures and kills; and without each one of them it does not start.
# Kernel test: fails (never skips) without root, BPF or podman. Run under
# the kernel lock like the others; build the images before taking it
# (bash tests/integration/containers/images.sh), the first build takes
# minutes: on a machine without the images (no base, no build cache) about
# 14 (debootstrap 5, collector 8, correlator 1), more than the 600 s
# tests/run-integration.sh gives a test, so there images.sh must run first;
# with them built this test takes about 50 s.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containers/env.sh"
source "$(dirname "$0")/containers/lib.sh"
require_kernel

ctr_podman
for b in swctl; do [ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"; done

# the capabilities the collector needs in a container instead of
# --privileged (README.md, Deployment)
CAPS=(BPF PERFMON NET_ADMIN SYS_ADMIN SYS_PTRACE)

NAME=sw$SW_ID
CTRS=("$NAME-corr" "$NAME-col" "$NAME-cap")
PGPORT=$(free_port 10500 5000)
EVPORT=$(free_port 15500 5000 2)
BLPORT=$((EVPORT + 1))
CMPORT=$(free_port 20500 2500)
MPORT=$(free_port 23000 2500)
NPORT=$(free_port 25500 2500)
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
sql() { psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "$1"; }

# every exit path: our containers (a collector's programs go with it), then
# PostgreSQL, then lib.sh's processes and namespaces
ctr_cleanup() {
	local c
	set +e
	for c in "${CTRS[@]}"; do
		"${PM[@]}" rm -f -t 5 "$c" >/dev/null 2>&1
	done
	"$ROOT/tools/pg.sh" stop "$T/pg" >/dev/null 2>&1
	return 0
}
on_exit ctr_cleanup

echo "-- images"
t0=$SECONDS
HEAD_REV=$(git -C "$ROOT" rev-parse HEAD)
bash "$ROOT/tests/integration/containers/images.sh" all || die "image build failed"
echo "   images ready in $((SECONDS - t0)) s"
for i in "$CTR_COLLECTOR_IMAGE" "$CTR_CORRELATOR_IMAGE"; do
	sz=$("${PM[@]}" image inspect --format '{{.Size}}' "$i")
	echo "   $i: $((sz / 1000000)) MB"
	expect_eq "$i: labelled with its version" \
		"$("${PM[@]}" image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$i")" "$CTR_VERSION"
	rev=$("${PM[@]}" image inspect --format '{{index .Labels "org.opencontainers.image.revision"}}' "$i")
	check "$i: labelled with the source revision ($rev)" \
		grep -Eq "^$HEAD_REV(-dirty)?\$" <<<"$rev"
	check "$i: has a HEALTHCHECK" \
		grep -q /metrics <<<"$("${PM[@]}" image inspect --format '{{json .HealthCheck}}' "$i")"
done
expect_eq "the collector image's binary is this version" \
	"$("${PM[@]}" run --rm --network=none --no-healthcheck "$CTR_COLLECTOR_IMAGE" --version 2>/dev/null)" \
	"sidewatch-collector $CTR_VERSION"
expect_eq "the correlator image runs as the unprivileged user sidewatch" \
	"$("${PM[@]}" run --rm --network=none --no-healthcheck --entrypoint id "$CTR_CORRELATOR_IMAGE" -un 2>/dev/null)" \
	sidewatch
# only the libraries the binary links: each resolves, and the runtime
# image holds no compiler or headers
check "collector image: every library the binary links resolves" bash -c \
	"! ${PM[*]} run --rm --network=none --no-healthcheck --entrypoint ldd $CTR_COLLECTOR_IMAGE /usr/local/bin/sidewatch-collector | grep -q 'not found'"
check "correlator image: every library of the correlator and swctl resolves" bash -c \
	"! ${PM[*]} run --rm --network=none --no-healthcheck --entrypoint ldd $CTR_CORRELATOR_IMAGE /usr/local/bin/sidewatch-correlator /usr/local/bin/swctl | grep -q 'not found'"
check "the runtime images hold no compiler and no -dev package" bash -c \
	"for i in $CTR_COLLECTOR_IMAGE $CTR_CORRELATOR_IMAGE; do ${PM[*]} run --rm --network=none --no-healthcheck --entrypoint dpkg-query \$i -W -f '\${Package}\n'; done | grep -E '^(gcc|clang|make|cpp)\$|-dev\$' && exit 1 || exit 0"

echo "-- PostgreSQL on the host, keys"
"$ROOT/tools/pg.sh" start "$T/pg" "$PGPORT" >/dev/null || die "PostgreSQL did not start"
mkdir -p "$T/keys/collectors" "$T/colkeys"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
"$BUILD/swctl" keygen "$T/keys/collectors" ctr1 >/dev/null
# the correlator's side: its secret key readable by its user (uid 7450)
# only; the collector's side: its own key and the correlator's public key
chown 7450:7450 "$T/keys/server.key"
chmod 600 "$T/keys/server.key"
mv "$T/keys/collectors/ctr1.key" "$T/colkeys/ctr1.key"
cp "$T/keys/server.pub" "$T/colkeys/server.pub"

echo "-- the correlator container"
"${PM[@]}" run -d --name "$NAME-corr" --network=host --health-interval=disable \
	-e SIDEWATCH_PG="$SIDEWATCH_PG" -e SIDEWATCH_HEALTH_ADDR="127.0.0.1:$CMPORT" \
	-v "$T/keys:/etc/sidewatch/keys:ro" \
	"$CTR_CORRELATOR_IMAGE" \
	--listen "tcp://127.0.0.1:$EVPORT" --blocks "tcp://127.0.0.1:$BLPORT" \
	--keys /etc/sidewatch/keys/collectors --server-key /etc/sidewatch/keys/server.key \
	--metrics-listen "127.0.0.1:$CMPORT" >/dev/null 2>"$T/corr-run.err" || {
	cat "$T/corr-run.err" >&2
	die "correlator container did not start"
}
check "correlator HEALTHCHECK: healthy (metrics answer, PostgreSQL up)" wait_for 30 ctr_health "$NAME-corr"
"${PM[@]}" logs "$NAME-corr" 2>&1 | tail -3 | sed 's/^/   corr: /'
expect_eq "its migrations reached PostgreSQL" "$(sql 'SELECT count(*) >= 3 FROM schema_version')" t

echo "-- the collector container, privileged (README, DaemonSet)"
cat >"$T/collector.yaml" <<YAML
# the test's settings: deploy/collector.yaml's keys
mode: enforce
name: ctr1
netns: all
correlator: tcp://127.0.0.1:$EVPORT
collector_key: /etc/sidewatch/keys/ctr1.key
correlator_key: /etc/sidewatch/keys/server.pub
spool_dir: /var/lib/sidewatch/spool
YAML
# the metrics address from the environment: the collector's setting and
# the HEALTHCHECK's address at once
COLRUN=(--pid=host --network=host --health-interval=disable
	-e SIDEWATCH_METRICS_LISTEN="127.0.0.1:$MPORT"
	-v /sys/fs/bpf:/sys/fs/bpf -v /sys/kernel:/sys/kernel
	-v "$T/collector.yaml:/etc/sidewatch/collector.yaml:ro"
	-v "$T/colkeys:/etc/sidewatch/keys:ro")
find /sys/fs/bpf -mindepth 1 | sort >"$T/bpffs.before"
bpftool net show >"$T/net.before" 2>&1
bg col "${PM[@]}" run --rm --name "$NAME-col" --privileged "${COLRUN[@]}" "$CTR_COLLECTOR_IMAGE" --stdout
wait_for 60 grep -q '^ready$' "$T/col.err" || { tail -20 "$T/col.err" >&2; die "collector container did not start"; }
ok "collector container ready"
CPID=$("${PM[@]}" inspect --format '{{.State.Pid}}' "$NAME-col")
# what the collector holds: its programs, maps and links, from its fds on
# the host (host PID namespace: the container's pid is the host's)
PROGS=$(ctr_bpf_ids "$CPID" prog_id)
MAPS=$(ctr_bpf_ids "$CPID" map_id)
LINKS=$(ctr_bpf_ids "$CPID" link_id)
echo "   collector pid $CPID holds $(wc -w <<<"$PROGS") programs, $(wc -w <<<"$MAPS") maps, $(wc -w <<<"$LINKS") links"
check "the collector in its container holds BPF programs and links" test -n "$PROGS" -a -n "$LINKS"

# real peers: nginx on the host's loopback; nginx on a namespace host;
# the exchanges the checks below expect
ctr_peers
ctr_traffic

echo "-- enforce: an SQL injection from a namespace host"
ctr_sqli "$T/sqli.json"
check "the attacker's connection was killed after its SQL injection" ctr_killed "$T/sqli.json"
check "its kill verdict was printed" wait_for 5 grep -q \
	'"kind":"verdict".*"src":"10.213.26.3:[0-9]*","dst":"10.213.26.1:80".*"rule":"sqli","severity":"high","action":"kill"' "$T/col.out"

echo "-- metrics and health"
check "/metrics answers on the host's 127.0.0.1:$MPORT" bash -c \
	"curl -s -f -m 5 http://127.0.0.1:$MPORT/metrics >'$T/metrics.txt' && grep -q '^sidewatch_' '$T/metrics.txt'"
check "collector HEALTHCHECK: healthy" ctr_health "$NAME-col"

echo "-- events: stdout and, through the uplink, PostgreSQL"
# one event per exchange, matched on the fields curl knows
python3 - "$T/col.out" "$NPORT" >"$T/col-sel.out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    # the attacker's exchanges are the enforce check's
    if e.get("kind") == "session" and e.get("dst") in ("127.0.0.1:" + sys.argv[2], "10.213.26.1:80") \
            and not e.get("src", "").startswith("10.213.26.3:"):
        print(json.dumps(e))
PY
check "every curl exchange (loopback and between namespace hosts) is one event" wait_for 5 \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected.jsonl" "$T/col-sel.out" \
	--fields method,path,query,status,dst
n_sessions() { [ "$(sql "$(ctr_sessions_sql ctr1)")" = "$NEXP" ]; }
check "the $NEXP exchanges reached PostgreSQL through the correlator container" wait_for 20 n_sessions
check "the kill verdict reached PostgreSQL" wait_for 10 bash -c \
	"[ \"\$(psql '$SIDEWATCH_PG' -X -At -c \"SELECT count(*) FROM events WHERE host = 'ctr1' AND kind = 'verdict' AND rule = 'sqli'\")\" -ge 1 ]"

echo "-- clean stop: SIGTERM to the container"
# stop_container NAME PID : TERM through podman; STOP_RC is the exit status
# of `podman run` (the collector's), waited for at most 30 s
stop_container() {
	local p=$2
	STOP_RC=timeout
	"${PM[@]}" kill --signal TERM "$1" >/dev/null
	for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$p" 2>/dev/null && return 0
	STOP_RC=0
	wait "$p" || STOP_RC=$?
}
stop_container "$NAME-col" "$PID_col"
expect_eq "the collector container exits 0 on SIGTERM" "$STOP_RC" 0
check "it printed its exit counters" grep -q '"kind":"counters"' "$T/col.err"
check "bpftool: none of its $(wc -w <<<"$PROGS") programs left" wait_for 5 ctr_gone prog "$PROGS"
check "bpftool: none of its $(wc -w <<<"$LINKS") links left" wait_for 5 ctr_gone link "$LINKS"
check "bpftool: none of its $(wc -w <<<"$MAPS") maps left" wait_for 5 ctr_gone map "$MAPS"
find /sys/fs/bpf -mindepth 1 | sort >"$T/bpffs.after"
check "nothing pinned under /sys/fs/bpf" diff "$T/bpffs.before" "$T/bpffs.after"
bpftool net show >"$T/net.after" 2>&1
check "no tcx or other network attachment left (bpftool net show as before)" diff "$T/net.before" "$T/net.after"
check "the container is gone (--rm)" bash -c "! ${PM[*]} container exists $NAME-col"

echo "-- exactly the capabilities, instead of --privileged: ${CAPS[*]}"
CAPRUN=(--cap-drop=ALL --cap-add="$(IFS=,; echo "${CAPS[*]}")")
bg cap "${PM[@]}" run --rm --name "$NAME-cap" "${CAPRUN[@]}" "${COLRUN[@]}" "$CTR_COLLECTOR_IMAGE" --stdout
wait_for 60 grep -q '^ready$' "$T/cap.err" || { tail -20 "$T/cap.err" >&2; die "collector container with --cap-add did not start"; }
ok "collector container ready with --cap-drop=ALL --cap-add=$(IFS=,; echo "${CAPS[*]}")"
CPID=$("${PM[@]}" inspect --format '{{.State.Pid}}' "$NAME-cap")
PROGS=$(ctr_bpf_ids "$CPID" prog_id)
MAPS=$(ctr_bpf_ids "$CPID" map_id)
LINKS=$(ctr_bpf_ids "$CPID" link_id)
check "its effective capabilities are exactly those" python3 - "$CPID" "${CAPS[@]}" <<'PY'
import sys
bits = {"SYS_ADMIN": 21, "NET_ADMIN": 12, "SYS_PTRACE": 19, "PERFMON": 38, "BPF": 39,
        "SYS_RESOURCE": 24, "DAC_OVERRIDE": 1, "DAC_READ_SEARCH": 2}
eff = next(int(l.split()[1], 16) for l in open("/proc/%s/status" % sys.argv[1]) if l.startswith("CapEff:"))
want = sum(1 << bits[c] for c in sys.argv[2:])
print("  CapEff %#x, want %#x" % (eff, want))
sys.exit(0 if eff == want else 1)
PY
for i in 1 2 3; do in_host cli curl -s -o /dev/null "http://10.213.26.1/api/users/$i?cap=$i"; done
ctr_sqli "$T/sqli-cap.json"
check "with those capabilities: the 3 exchanges between namespace hosts are events" wait_for 5 bash -c \
	"[ \$(grep -c '\"query\":\"cap=[123]\"' '$T/cap.out') = 3 ]"
check "with those capabilities: the SQL injection's connection is killed" ctr_killed "$T/sqli-cap.json"
check "with those capabilities: /metrics answers" curl -s -f -m 5 -o /dev/null "http://127.0.0.1:$MPORT/metrics"
stop_container "$NAME-cap" "$PID_cap"
expect_eq "with those capabilities: exits 0 on SIGTERM" "$STOP_RC" 0
all_gone() { ctr_gone prog "$PROGS" && ctr_gone link "$LINKS" && ctr_gone map "$MAPS"; }
check "with those capabilities: no program, link or map left" wait_for 5 all_gone

# CAP_SYS_ADMIN cannot go: podman's default seccomp profile lets bpf()
# through only with it, and entering the namespaces of other hosts needs it
# (it also covers BPF and PERFMON on this kernel: measured, each of those
# alone can go while SYS_ADMIN stays)
rc=0
timeout 60 "${PM[@]}" run --rm --name "$NAME-cap" --cap-drop=ALL \
	--cap-add="$(printf '%s\n' "${CAPS[@]}" | grep -vx SYS_ADMIN | paste -sd,)" \
	"${COLRUN[@]}" "$CTR_COLLECTOR_IMAGE" --stdout --duration 5 >"$T/nosys.out" 2>"$T/nosys.err" || rc=$?
grep -v 'systemd connection' "$T/nosys.err" | tail -1 | sed 's/^/   /'
check "without SYS_ADMIN the collector refuses to start (exit $rc, the kernel refused the programs)" \
	bash -c "[ $rc -ne 0 ] && ! grep -q '^ready\$' '$T/nosys.err' && grep -Eq 'the kernel refused the (capture|enforcement) programs' '$T/nosys.err'"
finish
