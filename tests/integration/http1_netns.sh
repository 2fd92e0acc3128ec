#!/usr/bin/env bash
# http1_netns: nginx on one network-namespace host, curl on another, joined
# by veth through a bridge; the collector in the root namespace (watching
# every namespace, the default) reports each exchange once, client first.
source "$(dirname "$0")/lib.sh"
require_kernel

net_host srv 10.213.1.1
net_host cli 10.213.1.2
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.1.1:80" "$T/www"
start_collector col
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host cli curl -s -o /dev/null http://10.213.1.1/ || die "nginx in srv not reachable from cli"

: >"$T/expected.jsonl"
echo '{"method":"GET","path":"/","query":"","status":200,"src_ip":"10.213.1.2"}' >>"$T/expected.jsonl"
for i in $(seq 1 20); do
	in_host cli curl -s -o /dev/null "http://10.213.1.1/api/users/$i?page=$i"
	echo "{\"method\":\"GET\",\"path\":\"/api/users/$i\",\"query\":\"page=$i\",\"status\":200,\"src_ip\":\"10.213.1.2\"}" >>"$T/expected.jsonl"
done
in_host cli curl -s -o /dev/null -d 'user=a&pass=b' http://10.213.1.1/api/login
echo '{"method":"POST","path":"/api/login","query":"","status":401,"src_ip":"10.213.1.2"}' >>"$T/expected.jsonl"
# what curl received: response head and body, the bytes on the wire
BLOBWIRE=$(in_host cli curl -s -o /dev/null -w '%{size_header} %{size_download}' http://10.213.1.1/blob.bin |
	awk '{print $1 + $2}')
echo '{"method":"GET","path":"/blob.bin","query":"","status":200,"src_ip":"10.213.1.2"}' >>"$T/expected.jsonl"
sleep 1
stop_collector col

# src_ip: the client half of "src"
python3 - "$T/col.out" >"$T/col-ip.out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("dst") == "10.213.1.1:80":
        e["src_ip"] = e["src"].rsplit(":", 1)[0]
        print(json.dumps(e))
PY
check "each exchange between netns hosts is one event with the client as src" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected.jsonl" "$T/col-ip.out" \
	--fields method,path,query,status,src_ip
check "the 1 MiB sendfile response is sized as curl received it ($BLOBWIRE bytes)" \
	python3 - "$T/col-ip.out" "$BLOBWIRE" <<'PY'
import json, sys
want = int(sys.argv[2])
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["path"] == "/blob.bin":
        print("  blob.bin: resp_bytes %d, curl received %d" % (e["resp_bytes"], want))
        sys.exit(0 if e["resp_bytes"] == want and want > 1048576 else 1)
sys.exit(1)
PY
check "events name the server's network namespace, not the root's" python3 - "$T/col-ip.out" "$(stat -L -c %i /proc/self/ns/net)" <<'PY'
import json, sys
ns = {json.loads(l)["netns"] for l in open(sys.argv[1])}
sys.exit(0 if ns and str(sys.argv[2]) not in {str(n) for n in ns} else 1)
PY
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
finish
