# tests/integration/shard_lib.sh - helpers shared by the shard_*.sh tests
# that run correlator shards on 127.0.0.1, each with its own database in
# one PostgreSQL. Source it after lib.sh. The caller sets PGPORT, SHARDS
# and the associative arrays EVP (a shard's events port), BLP (its block
# list port) and PID (declare -A EVP BLP PID).

# db_url SHARD: the shard's database
db_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/sw_$1"; }

# stat_of SHARD KEY: a value of the shard's --stats file, -1 if none yet
stat_of() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"$T/stats-$1.json" "$2" 2>/dev/null || echo -1
}

# shard_start RING SHARD [ARG...]: a plain correlator for SHARD on RING
# (its log $T/corr-SHARD.log, appended), no per-host row limit; returns
# once its database is up, dies with its log otherwise
shard_start() {
	local ring=$1 s=$2
	shift 2
	rm -f "$T/stats-$s.json"
	"$BUILD/sidewatch-correlator" --plain --listen "tcp://127.0.0.1:${EVP[$s]}" \
		--blocks "tcp://127.0.0.1:${BLP[$s]}" --pg "$(db_url "$s")" \
		--sql "$ROOT/sql" --stats "$T/stats-$s.json" --host-rows-per-s 0 \
		--ring "$ring" --shard "$s" "$@" >>"$T/corr-$s.log" 2>&1 &
	PID[$s]=$!
	SW_PIDS+=("${PID[$s]}")
	local t0=$SECONDS
	corr_up "$s" "${PID[$s]}" "$T/stats-$s.json" "$T/corr-$s.log"
	echo "     correlator $s up in $((SECONDS - t0)) s"
}

# stop_all: every shard's correlator killed (an exit hook: before
# PostgreSQL stops)
stop_all() {
	local s
	for s in $SHARDS; do
		[ -n "${PID[$s]:-}" ] && kill -KILL "${PID[$s]}" 2>/dev/null
	done
	return 0
}
