#!/usr/bin/env bash
# http1_load: wrk drives nginx for a bounded time over keep-alive
# connections; the collector must see every completed request and lose no
# record (ring buffer drop counter zero, no stream gaps).
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 15500 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"

# -t1 -c8 for 5 s: a stated, bounded load.
wrk -t1 -c8 -d5s "http://127.0.0.1:$PORT/api/echo" >"$T/wrk.txt"
cat "$T/wrk.txt"
sleep 1
stop_collector col

reqs=$(awk '/requests in/ {print $1}' "$T/wrk.txt")
rate=$(awk '/Requests\/sec/ {print $2}' "$T/wrk.txt")
echo "  load: $reqs requests by wrk at $rate req/s"
seen=$(grep '"kind":"session"' "$T/col.out" | grep -c "\"dst\":\"127.0.0.1:$PORT\".*\"path\":\"/api/echo\",\"query\":\"\",\"status\":200" || true)
echo "  events: $seen with status 200"
# wrk counts requests whose response it read; at the end it may drop up to
# one in-flight request per connection that nginx still answered.
check "events for every request wrk completed ($seen vs $reqs)" \
	test "$seen" -ge "$reqs" -a "$seen" -le $((reqs + 8))
check "load was real (>1000 requests)" test "$reqs" -gt 1000
expect_eq "ring buffer drops under load" "$(counter col kernel ringbuf_full)" 0
expect_eq "stream gaps under load" "$(counter col conn gaps)" 0
expect_eq "parse errors under load" "$(counter col http1 h1.parse_error)" 0
finish
