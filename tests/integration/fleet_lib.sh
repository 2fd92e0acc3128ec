# tests/integration/fleet_lib.sh - helpers for a fleet of real collectors
# (network-namespace hosts made with lib.sh's net_host) subscribed to one
# correlator. Source it after lib.sh.
#   FLEET_KEYS   key directory (server.key/.pub, collectors/NAME.key)

FLEET_KEYS=${FLEET_KEYS:-$T/keys}

# fleet_keys NAME... : the correlator's key pair and one per collector
fleet_keys() {
	mkdir -p "$FLEET_KEYS/collectors"
	[ -f "$FLEET_KEYS/server.key" ] || "$BUILD/swctl" keygen "$FLEET_KEYS" server >/dev/null
	local h
	for h in "$@"; do
		"$BUILD/swctl" keygen "$FLEET_KEYS/collectors" "$h" >/dev/null
	done
}

# fleet_collector NAME ENDPOINT [ARGS...] : start host NAME's collector in
# its namespace, enforce mode, uplink and block list subscription to the
# correlator at ENDPOINT (blocks on ENDPOINT's port + 1); events to
# $T/NAME.out, log to $T/NAME.err. Does not wait: see fleet_wait_ready.
fleet_collector() {
	local h=$1 ep=$2
	shift 2
	bg "$h" ip netns exec "$(ns_of "$h")" "$COLLECTOR" --stdout --name "$h" --netns self \
		--mode enforce --no-tls --metrics-listen off --correlator "$ep" \
		--key "$FLEET_KEYS/collectors/$h.key" --server-key "$FLEET_KEYS/server.pub" \
		--spool "$T/spool-$h" "$@"
}

# fleet_wait_ready NAME... : every collector printed "ready" (60 s each: one
# takes 4 s alone, and they start together on a loaded 2-core machine)
fleet_wait_ready() {
	local h
	for h in "$@"; do
		wait_for 60 grep -q '^ready$' "$T/$h.err" || { cat "$T/$h.err" >&2; die "collector $h did not start"; }
	done
}
