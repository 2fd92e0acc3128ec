#!/usr/bin/env bash
# tests/integration/cookie_crumbs.sh - a Cookie split over several fields
# is judged as the application sees it: nginx joins HTTP/2 cookie crumbs
# (RFC 9113 8.2.3) and repeated HTTP/1.1 Cookie lines with "; " into
# $http_cookie, what a CGI gets as HTTP_COOKIE; a Shellshock definition cut
# between the fields draws a verdict (each field alone holds none), and
# ordinary crumbs draw none. nginx echoes $http_cookie, so the test also
# shows the joined string the server made.
source "$(dirname "$0")/lib.sh"
require_kernel
mkdir -p "$T/www"
printf 'ok\n' >"$T/www/index.html"
NPORT=$(free_port 18500 2500 2) || die "no free port"
nginx_skeleton "$T/nginx.conf" "127.0.0.1:$NPORT http2; listen 127.0.0.1:$((NPORT + 1))" "$T/www" \
	'location /cgi-bin/ { return 200 "HTTP_COOKIE=$http_cookie\n"; }'
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$NPORT/index.html" ||
	die "nginx did not start"
start_collector col --netns self

SS='() { _; } >_[$($())] { /bin/id; }'
nghttp "http://127.0.0.1:$NPORT/cgi-bin/h2crumbs" -H 'cookie: () { _' \
	-H 'cookie: } >_[$($())] { /bin/id' -H 'cookie: }' >"$T/h2.out" 2>&1
curl -s "http://127.0.0.1:$((NPORT + 1))/cgi-bin/h1lines" -H 'Cookie: () { _' \
	-H 'Cookie: } >_[$($())] { /bin/id' -H 'Cookie: }' >"$T/h1.out" 2>&1
nghttp "http://127.0.0.1:$NPORT/cgi-bin/benign" -H 'cookie: sid=8f3a9c' -H 'cookie: theme=dark' \
	-H 'cookie: cart={"items":[1,2]}' >"$T/benign.out" 2>&1
expect_eq "nginx joined the HTTP/2 crumbs into the Shellshock string" "$(cat "$T/h2.out")" "HTTP_COOKIE=$SS"
expect_eq "nginx joined the HTTP/1.1 Cookie lines alike" "$(cat "$T/h1.out")" "HTTP_COOKIE=$SS"
# the session events of the three requests, then their verdicts
seen() { [ "$(grep -c '"kind":"session".*"path":"/cgi-bin/' "$T/col.out" 2>/dev/null)" -ge 3 ]; }
wait_for 10 seen || true
verdicts() { grep '"kind":"verdict"' "$T/col.out" | grep -c "\"path\":\"/cgi-bin/$1\".*\"rule\":\"$2\"" || true; }
expect_eq "HTTP/2 crumbs: one shellshock verdict" "$(verdicts h2crumbs shellshock)" 1
expect_eq "HTTP/1.1 Cookie lines: one shellshock verdict" "$(verdicts h1lines shellshock)" 1
expect_eq "ordinary crumbs: no verdict" "$(grep '"kind":"verdict"' "$T/col.out" | grep -c '"path":"/cgi-bin/benign"' || true)" 0
stop_collector col
finish
