#!/usr/bin/env bash
# tools/run.sh - `make run`: protect this host with the embedded default.
#
# State lives under var/: a private PostgreSQL on 127.0.0.1:25432 (database
# sidewatch), CURVE keys, the collector's spool and logs. Starts the
# correlator on tcp://127.0.0.1:7450 (events) and :7451 (block lists) and one
# collector for this host watching every network namespace, printing its
# events as JSON lines. Ctrl-C stops everything it started.
# SIDEWATCH_PG points the correlator at another PostgreSQL instead;
# SIDEWATCH_VAR keeps the state somewhere else than var/ (the tests do).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=${SIDEWATCH_VAR:-$ROOT/var}
B=$ROOT/build
# Below the kernel's default ephemeral range (32768-60999), so an outgoing
# connection cannot hold the port between make_run's check and the bind.
PGPORT=25432
mkdir -p "$VAR/log" "$VAR/keys/collectors" "$VAR/spool"
chmod 755 "$VAR"

CORR_PID=""
OWN_PG=""
cleanup() {
	set +e
	[ -n "$CORR_PID" ] && kill -TERM "$CORR_PID" 2>/dev/null && wait "$CORR_PID" 2>/dev/null
	if [ -n "$OWN_PG" ]; then
		"$ROOT/tools/pg.sh" stop "$VAR/pg" >/dev/null 2>&1
	fi
	echo "sidewatch: stopped (state kept in $VAR)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${SIDEWATCH_PG:-}" ]; then
	echo "sidewatch: starting PostgreSQL on 127.0.0.1:$PGPORT ($VAR/pg)" >&2
	OWN_PG=1
	"$ROOT/tools/pg.sh" start "$VAR/pg" "$PGPORT"
	export SIDEWATCH_PG="postgresql://postgres@127.0.0.1:$PGPORT/sidewatch"
fi

HOST=${SIDEWATCH_NAME:-$(hostname)}
[ -s "$VAR/keys/server.key" ] || "$B/swctl" keygen "$VAR/keys" server >/dev/null
[ -s "$VAR/keys/collectors/$HOST.key" ] || "$B/swctl" keygen "$VAR/keys/collectors" "$HOST" >/dev/null

echo "sidewatch: starting the correlator on tcp://127.0.0.1:7450 and :7451" >&2
"$B/sidewatch-correlator" --listen tcp://127.0.0.1:7450 --blocks tcp://127.0.0.1:7451 \
	--pg "$SIDEWATCH_PG" --keys "$VAR/keys/collectors" --server-key "$VAR/keys/server.key" \
	--sql "$ROOT/sql" --stats "$VAR/correlator.stats" >>"$VAR/log/correlator.log" 2>&1 &
CORR_PID=$!
sleep 0.5
kill -0 "$CORR_PID" 2>/dev/null || { tail -5 "$VAR/log/correlator.log" >&2; exit 1; }

CONF=${SIDEWATCH_COLLECTOR_CONFIG:-$ROOT/deploy/collector.yaml}
args=(--stdout --name "$HOST" --correlator tcp://127.0.0.1:7450
	--key "$VAR/keys/collectors/$HOST.key" --server-key "$VAR/keys/server.pub"
	--spool "$VAR/spool")
[ -f "$CONF" ] && args=(--config "$CONF" "${args[@]}")
# the collector's metrics address: environment, then the config file, then
# the built-in default (collector/config.c)
MET=${SIDEWATCH_METRICS_LISTEN:-}
if [ -z "$MET" ] && [ -f "$CONF" ]; then
	MET=$(sed -n 's/^metrics_listen:[[:space:]]*"\{0,1\}\([^"#[:space:]]*\)"\{0,1\}.*/\1/p' "$CONF" | tail -1)
fi
MET=${MET:-127.0.0.1:9464}
# swctl reads the embedded instance by default; name another one
PFX=""
[ -z "$OWN_PG" ] && PFX="SIDEWATCH_PG='$SIDEWATCH_PG' "
cat >&2 <<EOT
sidewatch: collector for host $HOST (Ctrl-C stops); its events follow as JSON lines.
sidewatch: from another terminal, look at what it sees:
    ${PFX}build/swctl events --limit 20    # the latest session events, as stored
    ${PFX}build/swctl incidents            # what the correlator concluded
    ${PFX}build/swctl hosts                # this host: events, drops, spool, block list
    curl -s http://$MET/metrics           # the collector's counters (Prometheus)
EOT
"$B/sidewatch-collector" "${args[@]}" "$@"
