#!/usr/bin/env python3
"""charset_body_app.py ADDR PORT - an API that reads request bodies in the
charset their Content-Type names, as Java servlet containers and ASP.NET
do, and answers with what it read (so a test can show the app saw the
payload the collector judged).

  POST application/x-www-form-urlencoded   split at '&' and '=', each
        side percent-decoded to bytes ('+' a blank), then decoded with the
        charset (Python's codecs: cp037, cp500, utf-16, ...): the fields
  POST application/json                    the charset named, else the
        one RFC 4627 section 3 tells from the first four bytes: the object
  POST multipart/form-data                 each part's text decoded with
        the part's own charset: the fields
No DNS lookups (address_string is the address), no access log."""
import codecs
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def charset_of(ctype):
    m = re.search(r';\s*charset\s*=\s*"?([^";\s]+)', ctype or "", re.I)
    if not m:
        return None
    name = m.group(1).lower()
    name = re.sub(r"^(ibm|cp|ccsid)-?0*(\d+)$", lambda x: "cp%03d" % int(x.group(2)), name)
    return name


def rfc4627(b):
    if len(b) >= 4:
        z = [c == 0 for c in b[:4]]
        if z == [True, True, True, False]:
            return "utf-32-be"
        if z == [False, True, True, True]:
            return "utf-32-le"
        if z == [True, False, True, False]:
            return "utf-16-be"
        if z == [False, True, False, True]:
            return "utf-16-le"
    return "utf-8"


def unquote_bytes(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x2B:
            out.append(0x20)
        elif c == 0x25 and re.fullmatch(rb"[0-9A-Fa-f]{2}", s[i + 1:i + 3]):
            out.append(int(s[i + 1:i + 3], 16))
            i += 2
        else:
            out.append(c)
        i += 1
    return bytes(out)


def form(body, cs):
    fields = {}
    for pair in body.split(b"&"):
        k, _, v = pair.partition(b"=")
        fields[unquote_bytes(k).decode(cs, "replace")] = unquote_bytes(v).decode(cs, "replace")
    return fields


def multipart(body, ctype):
    m = re.search(r"boundary=([^;\s]+)", ctype)
    fields = {}
    for part in body.split(b"--" + m.group(1).encode())[1:-1]:
        head, _, data = part.partition(b"\r\n\r\n")
        head = head.decode("latin-1")
        name = re.search(r'name="([^"]*)"', head).group(1)
        pct = re.search(r"(?im)^content-type:(.*)$", head)
        cs = charset_of(pct.group(1)) if pct else None
        fields[name] = data[:-2].decode(cs or "utf-8", "replace")
    return fields


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def address_string(self):
        return self.client_address[0]

    def log_message(self, *a):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ctype = self.headers.get("Content-Type") or ""
        cs = charset_of(ctype)
        try:
            if cs:
                codecs.lookup(cs)
            if ctype.startswith("application/x-www-form-urlencoded"):
                read = form(raw, cs or "utf-8")
            elif ctype.startswith("application/json"):
                read = json.loads(raw.decode(cs or rfc4627(raw)))
            elif ctype.startswith("multipart/form-data"):
                read = multipart(raw, ctype)
            else:
                read = raw.decode(cs or "utf-8", "replace")
        except (LookupError, ValueError, AttributeError) as e:
            body = json.dumps({"error": str(e)}).encode()
            code = 400
        else:
            body = json.dumps({"read": read}).encode()
            code = 200
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), H)
print("serving", flush=True)
srv.serve_forever()
