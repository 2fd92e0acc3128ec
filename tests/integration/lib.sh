# tests/integration/lib.sh - shared helpers for integration tests.
# Source it; it sets `set -euo pipefail`, a temp dir $T, and one EXIT trap
# that runs the exit-hook stack (on_exit) on every exit path: the script's
# own hooks, newest first, then lib.sh's, which stops every process started
# through it and removes every network namespace it created.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$ROOT/build
COLLECTOR=$BUILD/sidewatch-collector
T=$(mktemp -d /tmp/sw-test.XXXXXX)
chmod 755 "$T"
SW_PIDS=()
SW_NETNS=()
SW_ID=$(printf '%04x' $(( $$ % 65536 )))
PASS=0
FAIL=0
TEST_NAME=$(basename "$0" .sh)

# free_port LO SPAN [N]: a TCP port P in [LO, LO + SPAN) such that no socket
# on this host (listening or connected) has P .. P+N-1 as its local port,
# starting from one this test's pid picks. Ports inside the kernel's
# ephemeral range (net.ipv4.ip_local_port_range) are passed over: between
# this check and the server's bind, any outgoing connection (a psql, a
# correlator's own connection to PostgreSQL) may be given that port as its
# source and the server fails with "Address already in use" (a CI run lost
# shard_warm that way). Windows are chosen below 32768, Linux's default
# low bound; a window wholly inside the range (a host that widened it) is
# used as it is, with that race.
free_port() {
	local lo=$1 span=$2 n=${3:-1} i j p busy elo=0 ehi=-1 strict=1
	read -r elo ehi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	[ "$lo" -ge "$elo" ] && [ $((lo + span + n - 2)) -le "$ehi" ] && strict=
	for i in $(seq 0 $((span - 1))); do
		p=$((lo + ($$ + i) % span))
		[ -n "$strict" ] && [ $((p + n - 1)) -ge "$elo" ] && [ "$p" -le "$ehi" ] && continue
		busy=
		for j in $(seq 0 $((n - 1))); do
			[ -n "$("${SW_FP_IN[@]}" ss -Htan "( sport = :$((p + j)) )")" ] && { busy=1; break; }
		done
		[ -z "$busy" ] && { echo "$p"; return 0; }
	done
	echo "free_port: no free port in $lo..$((lo + span - 1)) outside the ephemeral range $elo..$ehi" >&2
	return 1
}
# free_port_in HOST LO SPAN [N]: free_port for a server inside net_host
# HOST's namespace (its own sockets and connections are the ones to avoid).
free_port_in() {
	local SW_FP_IN=(in_host "$1")
	shift
	free_port "$@"
}
SW_FP_IN=()

# --- exit hooks --------------------------------------------------------------
# on_exit CMD [ARG...] : push CMD onto the exit-hook stack. Its words are
# quoted now, so values are taken at the time of the call; to use values
# current at exit, push a function that reads them. One EXIT trap (below)
# runs the stack whatever ends the script (finish, die, a failed command
# under set -e, INT or TERM): newest hook first, each in a subshell with
# errexit off, so a failing hook or one that exits never keeps the older
# ones from running. The script's exit status is kept. lib.sh's own hook
# (sw_reap) is pushed first and so runs last, when the namespaces that
# later hooks may need (in_host) are still there.
SW_EXIT_HOOKS=()
on_exit() {
	[ $# -gt 0 ] || die "on_exit: no command"
	SW_EXIT_HOOKS+=("$(printf '%q ' "$@")")
}

# sw_cleanup : the EXIT trap. (Scripts that set a trap of their own call it
# last in theirs.)
sw_cleanup() {
	local rc=$? i
	set +e
	trap '' INT TERM # a second ^C does not cut the cleanup short
	for ((i = ${#SW_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
		(eval "${SW_EXIT_HOOKS[i]}")
	done
	SW_EXIT_HOOKS=()
	exit $rc
}

# sw_tree PID... : the PIDs and all their descendants, parents first (one
# snapshot of the process table)
sw_tree() {
	ps -eo pid=,ppid= | awk -v roots="$*" '
		function walk(p,   k, m, j) {
			if (p in seen) return
			seen[p] = 1
			print p
			m = split(kids[p], k, " ")
			for (j = 1; j <= m; j++) walk(k[j])
		}
		{ kids[$2] = kids[$2] " " $1 }
		END { n = split(roots, r, " "); for (i = 1; i <= n; i++) walk(r[i]) }'
}

# sw_alive PID : the process exists and is not a zombie (an orphan's zombie
# waits for init to reap it, and kill -0 still finds it)
sw_alive() {
	local s
	s=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "${s%% *}" != Z ]
}

# sw_reap : stop every pid in SW_PIDS and its descendants (a function run
# in the background is a subshell whose program is its child): TERM, up to
# 5 s, KILL; kill what is left in and delete every namespace in SW_NETNS;
# remove $T (unless SW_KEEP is set)
sw_reap() {
	local p n all=()
	[ -n "${SW_PIDS[*]:-}" ] && all=($(sw_tree "${SW_PIDS[@]}"))
	for p in "${all[@]:-}"; do
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for p in "${all[@]:-}"; do
		[ -n "$p" ] || continue
		for _ in $(seq 1 50); do sw_alive "$p" || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
	for n in "${SW_NETNS[@]:-}"; do
		[ -n "$n" ] || continue
		ip netns pids "$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	if [ -n "${SW_KEEP:-}" ]; then
		echo "kept $T"
	else
		rm -rf "$T"
	fi
}
on_exit sw_reap
trap sw_cleanup EXIT
trap 'exit 130' INT TERM

# Exit hooks for processes a test handles itself:
# cont_pid PID : SIGCONT (a process the test froze with SIGSTOP), quietly
cont_pid() { kill -CONT "$1" 2>/dev/null || true; }
# kill_pid_in VAR : SIGKILL the pid variable VAR holds at exit, if any (a
# process the test restarts, so its pid changes), and wait (up to 5 s) for
# it to be gone
kill_pid_in() {
	local p=${!1:-}
	[ -n "$p" ] || return 0
	kill -KILL "$p" 2>/dev/null || return 0
	for _ in $(seq 1 50); do sw_alive "$p" || return 0; sleep 0.1; done
}

die() { echo "$TEST_NAME: FATAL: $*" >&2; exit 1; }

ok() {
	PASS=$((PASS + 1))
	echo "  ok   $*"
}

bad() {
	FAIL=$((FAIL + 1))
	echo "  FAIL $*"
}

# check DESCRIPTION COMMAND... : one assertion
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2', want '$3'"; fi
}

finish() {
	echo "$TEST_NAME: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# Kernel tests never skip: without root and BPF they fail, loudly.
require_kernel() {
	[ "$(id -u)" -eq 0 ] || die "needs root (CAP_BPF, CAP_NET_ADMIN) to load eBPF programs and create network namespaces"
	[ -r /sys/kernel/btf/vmlinux ] || die "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	[ -x "$COLLECTOR" ] || die "collector not built: run make"
	bash "$ROOT/tools/mount-fs.sh" || die "cannot mount tracefs/bpffs"
}

# bg NAME CMD... : start a background process, logs in $T/NAME.{out,err}
bg() {
	local name=$1; shift
	"$@" >"$T/$name.out" 2>"$T/$name.err" &
	SW_PIDS+=($!)
	eval "PID_$name=$!"
}

# wait_for SECONDS CMD... : poll until CMD succeeds
wait_for() {
	local secs=$1; shift
	local n=$((secs * 10))
	for _ in $(seq 1 "$n"); do
		if "$@" 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	return 1
}

# h2_up URL : one HTTP/2 request with prior knowledge, true when it got a
# 2xx answer. (nghttp exits 0 even when it cannot connect: not a probe.)
h2_up() { curl -sf --http2-prior-knowledge -o /dev/null "$1"; }

# corr_up NAME PID STATS LOG : wait until the correlator PID says its
# database is up in its --stats file STATS: up to 60 s of wall clock (a
# fresh database gets every migration first, and CI's machine is shared),
# ending at once if it exits. Dies otherwise with the cause on the FATAL
# line (CI's summary repeats only that line): running or exited, its
# database counters, its last log lines; the whole log goes to stderr.
corr_up() {
	local name=$1 pid=$2 stats=$3 log=$4 t0=$SECONDS
	while [ $((SECONDS - t0)) -lt 60 ]; do
		grep -q '"db_up":true' "$stats" 2>/dev/null && return 0
		sw_alive "$pid" || break
		sleep 0.1
	done
	grep -q '"db_up":true' "$stats" 2>/dev/null && return 0
	cat "$log" >&2
	die "correlator $name did not start in $((SECONDS - t0)) s" \
		"($(sw_alive "$pid" && echo running || echo exited);" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("db_connects %s, db_errors %s" % (d.get("db_connects"), d.get("db_errors")))' "$stats" 2>/dev/null || echo "no stats");" \
		"last log lines: $(tail -2 "$log" | cut -c1-160 | tr '\n' '|'))"
}

# start_collector NAME ARGS... : run a collector printing events to $T/NAME.out
start_collector() {
	local name=$1; shift
	bg "$name" "$COLLECTOR" --stdout --name "$name" "$@"
	# 4 s here alone; several at once on a loaded 2-core machine, more
	wait_for 60 grep -q '^ready$' "$T/$name.err" || {
		cat "$T/$name.err" >&2
		die "collector $name did not start"
	}
}

# stop_pid PID : TERM, wait (bounded), then KILL
stop_pid() {
	local p=$1
	kill -TERM "$p" 2>/dev/null || return 0
	for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$p" 2>/dev/null || true
}

stop_collector() {
	local name=$1
	local pid_var="PID_$name"
	stop_pid "${!pid_var}"
	wait "${!pid_var}" 2>/dev/null || true
}

# counter NAME SECTION KEY : from the collector's exit counters line
counter() {
	grep '"kind":"counters"' "$T/$1.err" | tail -1 |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[sys.argv[1]][sys.argv[2]])' "$2" "$3"
}

# proc_ticks PID... - CPU ticks (user + system, all threads) the processes
# have used so far; a process already gone counts 0. getconf CLK_TCK a second.
proc_ticks() {
	local p sum=0 t
	for p in "$@"; do
		t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')
		sum=$((sum + ${t:-0}))
	done
	echo "$sum"
}

# bpf_map_of PID NAME : the id of the BPF map NAME that process PID holds
# (by its file descriptors, so another collector's map is never read)
bpf_map_of() {
	local m
	for m in $(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "map_id:" {print $2}' | sort -un); do
		# not `| grep -q`: grep leaving early can kill bpftool with
		# SIGPIPE, and pipefail then fails a map that matched
		[[ "$(bpftool map show id "$m" 2>/dev/null || true)" == *" name $2 "* ]] &&
			{ echo "$m"; return 0; }
	done
	return 1
}

# bpf_blocked PID IPV4 : the sw_block map of collector PID holds an entry
# covering IPV4 (an LPM lookup with the full 128-bit IPv4-mapped key, as
# bpf/enforce.bpf.c judges a packet); prints the entry
bpf_blocked() {
	local m
	m=$(bpf_map_of "$1" sw_block) || { echo "  no sw_block map held by pid $1"; return 1; }
	# struct sw_block_key: __u32 prefixlen (128, little endian), ::ffff:a.b.c.d
	bpftool map lookup id "$m" key hex 80 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff \
		$(printf '%02x ' ${2//./ }) 2>&1 && return 0
	echo "  map $m ($(bpftool map show id "$m" 2>&1 | head -1)) holds:"
	bpftool map dump id "$m" 2>&1 | head -40
	return 1
}

# bpf_allowed PID IPV4 : the sw_allow map (the never-block trie) of
# collector PID holds an entry covering IPV4 (an LPM lookup, as for
# bpf_blocked); prints the entry. Quiet when it holds none.
bpf_allowed() {
	local m
	m=$(bpf_map_of "$1" sw_allow) || { echo "  no sw_allow map held by pid $1" >&2; return 1; }
	bpftool map lookup id "$m" key hex 80 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff \
		$(printf '%02x ' ${2//./ }) 2>/dev/null
}

# nginx_skeleton FILE LISTEN ROOTDIR LOCATIONS [main-context lines]
# [http-context lines] : one worker in the foreground, no access log, temp
# files under $T, one server with the given locations
nginx_skeleton() {
	local f=$1 listen=$2 root=$3 locations=$4 main=${5:-} http=${6:-}
	cat >"$f" <<NGX
$main
worker_processes 1;
daemon off;
pid $f.pid;
error_log $f.error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	keepalive_requests 100000;
	client_body_temp_path $T/ngx-body-$RANDOM;
	proxy_temp_path $T/ngx-proxy;
	fastcgi_temp_path $T/ngx-fcgi;
	uwsgi_temp_path $T/ngx-uwsgi;
	scgi_temp_path $T/ngx-scgi;
	$http
	server {
		listen $listen;
		root $root;
		$locations
	}
}
NGX
}

# nginx_conf FILE LISTEN ROOTDIR [extra server directives]
nginx_conf() {
	nginx_skeleton "$1" "$2" "$3" "location = /api/echo { return 200 \"echo\\n\"; }
		location /api/users/ { default_type application/json; return 200 '{\"id\":1,\"name\":\"x\"}'; }
		location = /api/login { return 401 \"denied\\n\"; }
		location = /api/create { return 201 \"created\\n\"; }
		${4:-}"
}

# make_www DIR : static files of known sizes
make_www() {
	mkdir -p "$1"
	printf 'hello sidewatch\n' >"$1/index.html"
	head -c 100000 /dev/zero | tr '\0' 'a' >"$1/big.txt"
	head -c 1048576 /dev/urandom >"$1/blob.bin"
}

# --- network-namespace hosts --------------------------------------------
# A bridge namespace joins the hosts; addresses come from 10.213.0.0/16.
BRNS=""
net_init() {
	BRNS="swbr$SW_ID"
	ip netns add "$BRNS"
	SW_NETNS+=("$BRNS")
	ip -n "$BRNS" link add br0 type bridge
	ip -n "$BRNS" link set br0 up
	ip -n "$BRNS" link set lo up
}

# net_host NAME ADDR : a host namespace with ADDR/16 on eth0
net_host() {
	local name=$1 addr=$2 ns="sw$SW_ID$1"
	[ -n "$BRNS" ] || net_init
	ip netns add "$ns"
	SW_NETNS+=("$ns")
	ip link add "v$SW_ID$name" type veth peer name eth0 netns "$ns"
	ip link set "v$SW_ID$name" netns "$BRNS"
	ip -n "$BRNS" link set "v$SW_ID$name" master br0 up
	ip -n "$ns" addr add "$addr/16" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	eval "NS_$name=$ns"
}

# in_host NAME CMD... : run CMD inside host NAME
in_host() {
	local v="NS_$1"; shift
	ip netns exec "${!v}" "$@"
}

# ns_of NAME : the namespace of host NAME. For background processes whose
# pid must be the program's own (so TERM reaches it), start them as
# `bg x ip netns exec "$(ns_of NAME)" CMD...` rather than through in_host.
ns_of() {
	local v="NS_$1"
	echo "${!v}"
}

# --- PostgreSQL ----------------------------------------------------------------
# start_pg PORT [HOST] : a private PostgreSQL 15 cluster (tools/pg.sh) in
# $T/pg on 127.0.0.1:PORT with database sidewatch, inside host HOST's
# network namespace if HOST is given; dies with the end of the server's
# log if it does not come up. Sets PG_URL. Its stop (stop_pg) is pushed
# onto the exit-hook stack the first time, before the server starts, so a
# half-started server is stopped too. stop_pg stops it earlier; start_pg
# again starts the same cluster (same data) again.
PG_URL=
SW_PG_HOST=
SW_PG_HOOKED=
sw_pg() { # sw_pg pg.sh-ARGS... : tools/pg.sh, in HOST's namespace if any
	if [ -n "$SW_PG_HOST" ]; then
		in_host "$SW_PG_HOST" "$ROOT/tools/pg.sh" "$@"
	else
		"$ROOT/tools/pg.sh" "$@"
	fi
}
start_pg() {
	local port=$1
	SW_PG_HOST=${2:-}
	if [ -z "$SW_PG_HOOKED" ]; then
		on_exit stop_pg
		SW_PG_HOOKED=1
	fi
	mkdir -p "$T/pg"
	chmod 755 "$T/pg" # the postgres user must reach its data directory
	if ! sw_pg start "$T/pg" "$port" >/dev/null; then
		tail -20 "$T/pg/pgdata/server.log" >&2 2>/dev/null || true
		die "PostgreSQL did not start on port $port"
	fi
	PG_URL=$("$ROOT/tools/pg.sh" url "$port")
}
stop_pg() {
	sw_pg stop "$T/pg" >/dev/null 2>&1 || true
}
