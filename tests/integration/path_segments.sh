#!/usr/bin/env bash
# path_segments: attacks in a request path's segments (issue 20) reach real
# nginx and are judged by their own rule - a '+' for a blank, a '/' inside
# the payload, a matrix parameter, a SQL comment spanning segments - while
# benign paths of the shapes real sites use (tests/data/benign-paths.txt,
# the one path the unit test names as flagged left out) draw no verdict.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 22000 2500)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www" \
	"location /t/ { return 200 'ok'; }"
grep -v 'ls%20-la%20explained' "$ROOT/tests/data/benign-paths.txt" >"$T/benign.txt"
# one client asking for hundreds of distinct paths is enumeration by
# definition: the behaviour rules are off here (they have their own tests)
python3 "$ROOT/tools/rules-off.py" behaviour >"$T/rules.yaml" || die "could not turn the behaviour rules off"
start_collector col --netns self --rules "$T/rules.yaml"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"

python3 "$ROOT/tests/integration/path_segments.py" send "$PORT" "$T/benign.txt" 400 >"$T/sent.jsonl" ||
	die "the client failed"
sleep 1
check "collector survived" kill -0 "$PID_col"
stop_collector col
check "each attack path judged by its rule, no benign path judged" \
	python3 "$ROOT/tests/integration/path_segments.py" judge "$T/sent.jsonl" "$T/col.out" "$PORT"
finish
