#!/usr/bin/env bash
# http1_evasion: what nginx serves, sidewatch judges (issue 23). The same
# SQL injection reaches real nginx in every place where nginx accepts it:
# after empty lines before the request line (1..2000 CRLF, bare LF, in the
# same write or in 70 writes of their own), as the second of two pipelined
# requests after one with syntax llhttp's strict mode refuses (nginx itself
# refuses obs-fold and spaces in or before a header name), in a header
# after 100 others or after 21 KB of headers, in the last of 8 pipelined
# requests, in a form body after up to ~1 MB of padding, in shapes a
# decoder may not expect (chunk lines llhttp refuses and nginx serves:
# extensions after a valued one, blanks after the size, junk, bare LF,
# leading zeros; the absolute form of the target; HTTP/1.0 without Host;
# Expect: 100-continue), in request and header lines llhttp refuses
# (shape2: methods outside its table, HTTP/1.2, 1.01, 1.999, blanks, a
# scheme with signs, HTTP/0.9, header names nginx drops, a line without a
# colon); the empty lines, lenient syntax and shapes over
# TLS too (OpenSSL probes). For every
# request nginx answered 200, the collector must have a verdict naming that
# request's path.
source "$(dirname "$0")/lib.sh"
require_kernel

EV_GROUPS=${SW_EVASION_GROUPS:-crlf lenient hdrcount hdrsize depth form shape shape2}
EV_TLS_GROUPS=${SW_EVASION_TLS_GROUPS:-crlf lenient shape shape2}
PORT=$(free_port 21000 2500 2)
TPORT=$((PORT + 1))
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || die "openssl req failed"
mkdir -p "$T/tls"
nginx_conf "$T/tls/nginx.conf" "127.0.0.1:$TPORT ssl" "$T/www" \
	"ssl_certificate $T/cert.pem; ssl_certificate_key $T/key.pem;"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
bg nginxtls nginx -c "$T/tls/nginx.conf" -p "$T/tls"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
wait_for 10 curl -sk -o /dev/null "https://127.0.0.1:$TPORT/" || die "nginx (TLS) did not start"
# one plain request first, so each port is known to serve HTTP
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/users/0"
curl -sk -o /dev/null "https://127.0.0.1:$TPORT/api/users/0"

# shellcheck disable=SC2086
python3 "$ROOT/tests/integration/evasion.py" "$PORT" $EV_GROUPS >"$T/sent.jsonl" ||
	die "the evasion client failed"
# shellcheck disable=SC2086
python3 "$ROOT/tests/integration/evasion.py" "$TPORT" --tls $EV_TLS_GROUPS >"$T/sent-tls.jsonl" ||
	die "the evasion client failed over TLS"
sleep 1
check "collector survived" kill -0 "$PID_col"
stop_collector col

for run in "$PORT:$T/sent.jsonl:" "$TPORT:$T/sent-tls.jsonl: over TLS"; do
IFS=: read -r port sent what <<<"$run"
check "nginx served each evasion$what and a verdict names every one" \
	python3 "$ROOT/tests/integration/evasion_judged.py" "$sent" "$T/col.out" "$port"
done
finish
