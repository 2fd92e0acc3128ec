#!/usr/bin/env bash
# containers_compose: deploy/compose.yaml as shipped - PostgreSQL, the
# correlator and this machine's collector - run with Debian's
# podman-compose from a folder laid out as the file's header says (the file
# copied unchanged, keys, secrets and collector.yaml beside it):
#   - `podman-compose up -d postgres correlator`: PostgreSQL from
#     sidewatch-postgres:15 (deploy/Dockerfile.postgres) with its password
#     from a compose secret and its data in a named volume; the correlator
#     on the project network, reaching PostgreSQL by its service name with
#     the password from the libpq password file secret; both healthy;
#   - the collector service, which Debian 12's podman-compose 1.0.3 cannot
#     start (it knows no `pid` and refuses `network_mode: host`), with
#     exactly the podman flags the service's keys name
#     (containers/compose_service.py), as podman-compose names its
#     containers, so that `podman-compose down` stops it too;
#   - checked from outside: the exchanges of real curl -> nginx requests
#     (host loopback and between network-namespace hosts) and an SQL
#     injection's kill verdict as rows in PostgreSQL (psql inside the
#     postgres container), written by the correlator through the
#     published event port; the attacker's connection cut; /metrics of the
#     collector and of the correlator (published port) answering;
#   - `podman-compose down -v`: the collector exits 0 on its SIGTERM, none
#     of its programs, links or maps is left (bpftool), nothing pinned or
#     attached, no container, volume or network of the project left.
# Kernel test: fails (never skips) without root, BPF, podman or
# podman-compose. The images come from tests/integration/containers/
# images.sh (run by `make integration` first; cached, seconds when built).
# SW_BREAK (to see the checks fail): pgpass (a wrong password in the
# correlator's secret), port (the collector sends to a port nobody
# publishes), enforce (the collector in monitor mode), down (the collector
# container left out of `down`), pin (one of the collector's maps pinned
# under /sys/fs/bpf while it runs, so it outlives it).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containers/env.sh"
source "$(dirname "$0")/containers/lib.sh"
require_kernel
ctr_deps podman-compose golang-github-containernetworking-plugin-dnsname ||
	die "podman-compose and the CNI dnsname plugin are needed (Debian packages)"
ctr_podman
for b in swctl; do [ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"; done
podman-compose version >/dev/null 2>&1 || die "podman-compose cannot run: $(podman-compose version 2>&1 | tail -2)"

PROJ=sw$SW_ID
D=$T/deploy
PGC=${PROJ}_postgres_1
CORRC=${PROJ}_correlator_1
COLC=${PROJ}_collector_1
export SIDEWATCH_EVENTS_PORT SIDEWATCH_BLOCKS_PORT SIDEWATCH_CORRELATOR_METRICS_PORT SIDEWATCH_METRICS_PORT
SIDEWATCH_EVENTS_PORT=$(free_port 15500 5000 2)
SIDEWATCH_BLOCKS_PORT=$((SIDEWATCH_EVENTS_PORT + 1))
SIDEWATCH_CORRELATOR_METRICS_PORT=$(free_port 20500 2500)
SIDEWATCH_METRICS_PORT=$(free_port 23000 2500)
NPORT=$(free_port 25500 2500)
compose() { podman-compose -p "$PROJ" -f "$D/compose.yaml" "$@"; }
# psql as the database's owner, on the postgres container's own socket
sql() { "${PM[@]}" exec "$PGC" psql -U sidewatch -d sidewatch -X -At -v ON_ERROR_STOP=1 -c "$1"; }

# every exit path: the project down (a collector's programs go with its
# process), then whatever of it is left, by name and label
compose_cleanup() {
	set +e
	compose down -t 10 -v >/dev/null 2>&1
	local c
	for c in $("${PM[@]}" ps -a -q --filter "label=io.podman.compose.project=$PROJ") "$COLC"; do
		"${PM[@]}" rm -f -t 5 "$c" >/dev/null 2>&1
	done
	"${PM[@]}" volume rm -f "${PROJ}_pgdata" >/dev/null 2>&1
	"${PM[@]}" network rm -f "${PROJ}_default" >/dev/null 2>&1
	return 0
}
on_exit compose_cleanup

echo "-- images"
t0=$SECONDS
bash "$ROOT/tests/integration/containers/images.sh" all || die "image build failed"
echo "   images ready in $((SECONDS - t0)) s"
sz=$("${PM[@]}" image inspect --format '{{.Size}}' "$CTR_POSTGRES_IMAGE")
echo "   $CTR_POSTGRES_IMAGE: $((sz / 1000000)) MB"

echo "-- the deployment folder: compose.yaml unchanged, keys, secrets"
mkdir -p "$D/keys/collectors" "$D/collector-keys" "$D/secrets"
cp "$ROOT/deploy/compose.yaml" "$D/compose.yaml"
"$BUILD/swctl" keygen "$D/keys" server >/dev/null
"$BUILD/swctl" keygen "$D/keys/collectors" ctr1 >/dev/null
mv "$D/keys/collectors/ctr1.key" "$D/collector-keys/ctr1.key"
cp "$D/keys/server.pub" "$D/collector-keys/server.pub"
PW=$(head -c 18 /dev/urandom | base64 | tr '+/' '._')
printf '%s\n' "$PW" >"$D/secrets/pg_password"
chmod 600 "$D/secrets/pg_password"
[ "${SW_BREAK:-}" = pgpass ] && PW=wrong$PW
printf 'postgres:5432:sidewatch:sidewatch:%s\n' "$PW" >"$D/secrets/pgpass"
# the correlator's user (uid 7450) reads its secret key and password file
chown 7450:7450 "$D/keys/server.key" "$D/secrets/pgpass"
chmod 600 "$D/keys/server.key" "$D/secrets/pgpass"
EVP=$SIDEWATCH_EVENTS_PORT
[ "${SW_BREAK:-}" = port ] && EVP=$((SIDEWATCH_EVENTS_PORT + 2))
MODE=enforce
[ "${SW_BREAK:-}" = enforce ] && MODE=monitor
cat >"$D/collector.yaml" <<YAML
# the test's settings: deploy/collector.yaml's keys
mode: $MODE
name: ctr1
netns: all
correlator: tcp://127.0.0.1:$EVP
collector_key: /etc/sidewatch/keys/ctr1.key
correlator_key: /etc/sidewatch/keys/server.pub
spool_dir: /var/lib/sidewatch/spool
YAML

echo "-- podman-compose up -d postgres correlator"
compose up -d postgres correlator >"$T/up.log" 2>&1 || {
	tail -20 "$T/up.log" >&2
	die "podman-compose up failed"
}
check "PostgreSQL HEALTHCHECK (compose's pg_isready): healthy" ctr_wait 60 ctr_health "$PGC"
"${PM[@]}" logs "$PGC" 2>&1 | grep entrypoint | sed 's/^/   postgres: /'
check "correlator HEALTHCHECK: healthy (metrics answer, PostgreSQL up)" ctr_wait 60 ctr_health "$CORRC"
"${PM[@]}" logs "$CORRC" 2>&1 | tail -3 | sed 's/^/   corr: /'
expect_eq "its migrations reached PostgreSQL (by service name, password from the secret)" \
	"$(sql 'SELECT count(*) >= 3 FROM schema_version' 2>&1)" t
check "the correlator's /metrics on the published 127.0.0.1:$SIDEWATCH_CORRELATOR_METRICS_PORT: PostgreSQL up" bash -c \
	"curl -s -f -m 5 http://127.0.0.1:$SIDEWATCH_CORRELATOR_METRICS_PORT/metrics | grep -q '^sidewatch_correlator_db_up 1'"
# from the project network's address, as the correlator comes (initdb's
# own lines cover 127.0.0.1)
PGIP=$("${PM[@]}" inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$PGC")
expect_eq "PostgreSQL on $PGIP refuses a wrong password (scram-sha-256)" \
	"$("${PM[@]}" exec -e PGPASSWORD=wrong "$PGC" psql -h "$PGIP" -U sidewatch -d sidewatch -XAtc 'SELECT 1' 2>&1 | grep -c 'password authentication failed')" 1

echo "-- the collector service"
mapfile -t COLARGS < <(python3 "$ROOT/tests/integration/containers/compose_service.py" "$D/compose.yaml" collector) ||
	die "compose_service.py failed"
[ ${#COLARGS[@]} -gt 1 ] || die "compose_service.py gave no arguments"
echo "   podman run -d --name $COLC ${COLARGS[*]}"
ctr_bpf_state "$T/bpf.before"
"${PM[@]}" run -d --name "$COLC" --label "io.podman.compose.project=$PROJ" \
	"${COLARGS[@]}" >/dev/null 2>"$T/col-run.err" || {
	cat "$T/col-run.err" >&2
	die "the collector container did not start"
}
col_ready() { "${PM[@]}" logs "$COLC" 2>&1 | grep -q '^ready$'; }
ctr_wait 60 col_ready || { "${PM[@]}" logs "$COLC" 2>&1 | tail -20 >&2; die "the collector did not get ready"; }
ok "collector container ready"
CPID=$("${PM[@]}" inspect --format '{{.State.Pid}}' "$COLC")
PROGS=$(ctr_bpf_ids "$CPID" prog_id)
MAPS=$(ctr_bpf_ids "$CPID" map_id)
LINKS=$(ctr_bpf_ids "$CPID" link_id)
echo "   collector pid $CPID holds $(wc -w <<<"$PROGS") programs, $(wc -w <<<"$MAPS") maps, $(wc -w <<<"$LINKS") links"
check "the collector in its container holds BPF programs and links" test -n "$PROGS" -a -n "$LINKS"
if [ "${SW_BREAK:-}" = pin ]; then
	on_exit rm -f "/sys/fs/bpf/swbreak$PROJ"
	bpftool map pin id "$(head -1 <<<"$MAPS")" "/sys/fs/bpf/swbreak$PROJ"
fi
# waited for in the background: the status `down`'s SIGTERM ends it with
"${PM[@]}" wait "$COLC" >"$T/col.rc" 2>&1 &
SW_PIDS+=($!)
WAITPID=$!

echo "-- real traffic: curl -> nginx on the host and between namespace hosts"
ctr_peers
ctr_traffic
echo "-- enforce: an SQL injection from a namespace host"
ctr_sqli "$T/sqli.json"
check "the attacker's connection was killed after its SQL injection" ctr_killed "$T/sqli.json"

echo "-- metrics and health"
check "the collector's /metrics answers on the host's 127.0.0.1:$SIDEWATCH_METRICS_PORT" bash -c \
	"curl -s -f -m 5 http://127.0.0.1:$SIDEWATCH_METRICS_PORT/metrics | grep -q '^sidewatch_'"
check "collector HEALTHCHECK: healthy" ctr_health "$COLC"

echo "-- PostgreSQL, through the correlator"
SQLN=$(ctr_sessions_sql ctr1)
n_sessions() { [ "$(sql "$SQLN")" = "$NEXP" ]; }
check "the $NEXP exchanges are rows in PostgreSQL" ctr_wait 20 n_sessions
echo "   $(sql "$SQLN" 2>&1) of $NEXP session rows"
n_verdicts() { [ "$(sql "SELECT count(*) FROM events WHERE host = 'ctr1' AND kind = 'verdict' AND rule = 'sqli' AND host(src_ip) = '10.213.26.3'")" -ge 1 ]; }
check "the SQL injection's verdict is a row in PostgreSQL" ctr_wait 10 n_verdicts

echo "-- podman-compose down -v"
DOWN=(down -t 30 -v)
# SW_BREAK=down: the collector's container left out (only the services
# podman-compose started go down)
[ "${SW_BREAK:-}" = down ] && DOWN=(down -t 30 -v postgres correlator)
t0=$SECONDS
compose "${DOWN[@]}" >"$T/down.log" 2>&1 || { tail -20 "$T/down.log" >&2; bad "podman-compose down failed"; }
echo "   down in $((SECONDS - t0)) s"
for _ in $(seq 1 100); do kill -0 "$WAITPID" 2>/dev/null || break; sleep 0.1; done
expect_eq "the collector container exited 0 on down's SIGTERM" "$(head -1 "$T/col.rc")" 0
all_gone() { ctr_gone prog "$PROGS" && ctr_gone link "$LINKS" && ctr_gone map "$MAPS"; }
check "bpftool: none of its $(wc -w <<<"$PROGS") programs, $(wc -w <<<"$LINKS") links, $(wc -w <<<"$MAPS") maps left" \
	wait_for 5 all_gone
ctr_bpf_state "$T/bpf.after"
check "nothing pinned under /sys/fs/bpf, no tcx or other attachment left" diff "$T/bpf.before" "$T/bpf.after"
left=$("${PM[@]}" ps -a --format '{{.Names}}' | grep -c "^${PROJ}_" || true)
expect_eq "no container of the project left" "$left" 0
check "its PostgreSQL volume is gone (-v)" bash -c "! ${PM[*]} volume exists ${PROJ}_pgdata"
finish
