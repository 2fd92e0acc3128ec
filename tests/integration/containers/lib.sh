# tests/integration/containers/lib.sh - what the container tests
# (containers.sh, containers_compose.sh) share. Source it after lib.sh and
# env.sh.
#   ctr_podman                 PM=(podman --runtime runc), dies unless it runs
#   ctr_health NAME            the container's HEALTHCHECK passes, run now
#   ctr_wait SECONDS CMD...    poll CMD every 0.5 s until it succeeds, for at
#                              most SECONDS of wall time (lib.sh's wait_for
#                              counts tries, too many for a CMD that itself
#                              takes a second, as podman exec does)
#   ctr_bpf_ids PID KIND       prog_id, map_id or link_id: the BPF objects
#                              process PID holds (its fds, seen on the host)
#   ctr_gone KIND IDS          bpftool finds none of these ids
#   ctr_peers                  nginx on 127.0.0.1:$NPORT and on namespace
#                              host srv (10.213.26.1:80), clients cli and atk
#   ctr_traffic                the exchanges, written to $T/expected.jsonl
#   ctr_sqli FILE              an SQL injection from atk, its result in FILE
#   ctr_killed FILE            that result says the connection was cut
#   ctr_sessions_sql HOST      SQL: how many of ctr_traffic's exchanges are
#                              events of collector HOST
#   ctr_bpf_state FILE         what is pinned under /sys/fs/bpf and attached
#                              to the network (bpftool net), for a diff

ctr_podman() {
	ctr_deps || die "podman, runc and debootstrap are needed (Debian packages)"
	PM=(podman --runtime runc)
	"${PM[@]}" info >/dev/null 2>&1 || die "podman cannot run here: $("${PM[@]}" info 2>&1 | tail -3)"
}

ctr_health() { "${PM[@]}" healthcheck run "$1" >/dev/null 2>&1; }

ctr_wait() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" 2>/dev/null && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.5
	done
}

ctr_bpf_ids() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | awk -v k="$2:" '$1 == k {print $2}' | sort -un
}

ctr_gone() {
	local k=$1 id left=
	shift
	for id in $*; do bpftool "$k" show id "$id" >/dev/null 2>&1 && left="$left $id"; done
	[ -z "$left" ] || { echo "  $k still there:$left"; return 1; }
}

ctr_bpf_state() {
	{
		find /sys/fs/bpf -mindepth 1 | sort
		bpftool net show 2>&1
	} >"$1"
}

ctr_peers() {
	make_www "$T/www"
	nginx_conf "$T/nginx-lo.conf" "127.0.0.1:$NPORT" "$T/www"
	bg nginxlo nginx -c "$T/nginx-lo.conf" -p "$T"
	net_host srv 10.213.26.1
	net_host cli 10.213.26.2
	net_host atk 10.213.26.3
	nginx_conf "$T/nginx-ns.conf" "10.213.26.1:80" "$T/www"
	bg nginxns ip netns exec "$(ns_of srv)" nginx -c "$T/nginx-ns.conf" -p "$T"
	wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$NPORT/" || die "nginx on loopback not reachable"
	wait_for 10 in_host cli curl -s -o /dev/null http://10.213.26.1/ || die "nginx in srv not reachable from cli"
}

# 2 + 2 x 10 + 1 exchanges: the two readiness probes above, GETs on the
# host's loopback and between namespace hosts, one 401 POST
ctr_traffic() {
	local i
	: >"$T/expected.jsonl"
	echo "{\"method\":\"GET\",\"path\":\"/\",\"query\":\"\",\"status\":200,\"dst\":\"127.0.0.1:$NPORT\"}" >>"$T/expected.jsonl"
	echo '{"method":"GET","path":"/","query":"","status":200,"dst":"10.213.26.1:80"}' >>"$T/expected.jsonl"
	for i in $(seq 1 10); do
		curl -s -o /dev/null "http://127.0.0.1:$NPORT/api/users/$i?page=$i"
		echo "{\"method\":\"GET\",\"path\":\"/api/users/$i\",\"query\":\"page=$i\",\"status\":200,\"dst\":\"127.0.0.1:$NPORT\"}" >>"$T/expected.jsonl"
		in_host cli curl -s -o /dev/null "http://10.213.26.1/api/users/$i?ns=$i"
		echo "{\"method\":\"GET\",\"path\":\"/api/users/$i\",\"query\":\"ns=$i\",\"status\":200,\"dst\":\"10.213.26.1:80\"}" >>"$T/expected.jsonl"
	done
	curl -s -o /dev/null -d 'user=a&pass=b' "http://127.0.0.1:$NPORT/api/login"
	echo "{\"method\":\"POST\",\"path\":\"/api/login\",\"query\":\"\",\"status\":401,\"dst\":\"127.0.0.1:$NPORT\"}" >>"$T/expected.jsonl"
	NEXP=$(wc -l <"$T/expected.jsonl")
}

ctr_sqli() {
	in_host atk python3 "$ROOT/tests/integration/client.py" sqli 10.213.26.1 80 >"$1"
	sed 's/^/   /' "$1"
}

ctr_killed() {
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d['first'] == 200 and d['after'] in ('ConnectionResetError', 'ConnectionError', 'BrokenPipeError', 'ConnectionAbortedError') else 1)" "$1"
}

# the attacker's exchanges are the enforce check's, not counted here
ctr_sessions_sql() {
	echo "SELECT count(*) FROM events WHERE host = '$1' AND kind = 'session' AND (query LIKE 'page=%' OR query LIKE 'ns=%' OR path IN ('/', '/api/login')) AND (dst_port = $NPORT OR host(dst_ip) = '10.213.26.1' AND src_ip <> '10.213.26.3')"
}
