#!/usr/bin/env python3
"""tools/gen-benign-paths.py - benign request paths for the payload detectors'
false-positive test (issue 20): the shapes real sites and REST APIs put in a
path, built from a small grammar (a route, then segments of one kind each:
slugs, titles, dates, versions, ids, file names, tokens, search terms in
several encodings, matrix parameters), some with a query string after '?'.
Prose in titles and search terms uses SQL and shell words as English.

    python3 tools/gen-benign-paths.py > tests/data/benign-paths.txt

Deterministic (SEED, default 2020: the committed table; another seed gives
a table not looked at); written for this project, no external lists.
"""
import os
import random
import sys
import urllib.parse

R = random.Random(int(os.environ.get('SEED', '2020')))

WORDS = ('select union drop table cat dog lovers line order by where from join insert update delete '
         'sleep wait exec script alert document window echo print eval system shell bash python '
         'rock roll mind over matter best cheap red blue green summer winter guide how to why what '
         'is the a an of and or not in on for with your my our top ten easy quick review new old '
         'home garden kitchen chair sofa table lamp file user admin root etc passwd config env '
         'version release notes api docs help faq contact about pricing team jobs press legal').split()

PHRASES = [
    "select a union", "drop me a line", "cat lovers; dogs too", "1 or 2 items", "rock & roll",
    "what is 2>1", "a|b testing", "c++", "c#", "don't stop me now", "o'reilly books", "\"quoted\" title",
    "where to eat", "sleep (5 hours) or less", "order by price", "union station", "exec summary",
    "drop table tennis", "script writing 101", "alert: storm warning", "echo & the bunnymen",
    "1=1 is true", "and/or logic", "tom & jerry", "it's 5 o'clock", "50% off", "$5 deals",
    "ben & jerry's", "r&b", "q&a", "x > y", "a < b", "10/10 would buy", "ls -la explained",
    "how to use grep | wc", "the `code` tag", "{curly} braces",
    "[draft] notes", "smile :-)", "wait for it...", "mr. & mrs. smith", "who's there?",
    "100% cotton", "#1 hit", "fish & chips", "rock'n'roll", "5' 10\" tall", "1 and 2 and 3",
    "select * from life", "insert coin", "delete me", "null and void", "true or false quiz",
]

ROUTES = ['/api/v1/users', '/api/v2/orders', '/v3/items', '/wiki', '/blog', '/docs', '/search',
          '/files', '/shop/product', '/static', '/assets', '/tags', '/t', '/r/programming/comments',
          '/p', '/download', '/images', '/maps/place', '/packages', '/repos/acme/widget/blob/main',
          '/npm/package', '/questions', '/category', '/en-us/library', '/store/apps/details',
          '/u', '/@writer', '/watch', '/book', '/s', '/topic', '/forum/thread', '/media/uploads']


def slug():
    n = R.randint(1, 7)
    w = [R.choice(WORDS) for _ in range(n)]
    if R.random() < 0.2:
        w.insert(R.randint(0, n), R.choice(["don't", "o'neil", "it's", "rock'n'roll", "what's"]))
    return R.choice(['-', '_', '-'])[0].join(w)


def title():
    p = R.choice(PHRASES)
    return R.choice([
        lambda: p.replace(' ', '_'),
        lambda: urllib.parse.quote(p.replace(' ', '_'), safe="_()!,'*:@&=+$"),
        lambda: urllib.parse.quote(p, safe=''),
        lambda: urllib.parse.quote_plus(p),
        lambda: urllib.parse.quote(p.replace(' ', '-'), safe="-'()!*,;:@&=+$"),
    ])()


def date():
    y, m, d = R.randint(1998, 2026), R.randint(1, 12), R.randint(1, 28)
    return R.choice(['%d/%02d/%02d' % (y, m, d), '%d-%02d-%02d' % (y, m, d), '%d%02d%02d' % (y, m, d),
                     '%d/%02d' % (y, m)])


def version():
    a, b, c = R.randint(0, 20), R.randint(0, 30), R.randint(0, 99)
    return R.choice(['v%d' % a, 'v%d.%d' % (a, b), '%d.%d.%d' % (a, b, c), '%d.%d.%d-rc.%d' % (a, b, c, R.randint(1, 5)),
                     '%d.%d.%d+build.%d' % (a, b, c, R.randint(1, 999)), '%d.%d.%d-beta+exp.sha.5114f85' % (a, b, c),
                     'v%d.%d...v%d.%d' % (a, b, a, b + 1)])


def hexs(n):
    return ''.join(R.choice('0123456789abcdef') for _ in range(n))


def ident():
    return R.choice([
        lambda: str(R.randint(0, 10 ** R.randint(1, 12))),
        lambda: '%s-%s-%s-%s-%s' % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)),
        lambda: hexs(40),
        lambda: hexs(R.choice([7, 12, 24])),
        lambda: ''.join(R.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
                        for _ in range(R.randint(11, 43))),
        lambda: 'me',
        lambda: 'self',
    ])()


def filename():
    base = slug()
    ext = R.choice(['pdf', 'tar.gz', 'min.js', 'css', 'png', 'jpg', 'svg', 'json', 'xml', 'html', 'php',
                    'aspx', 'txt', 'md', 'csv', 'zip', 'exe', 'deb', 'whl', 'mp4', 'js.map', 'woff2'])
    return R.choice([
        lambda: '%s.%s' % (base, ext),
        lambda: '%s.v%d.%s' % (base, R.randint(1, 9), ext),
        lambda: urllib.parse.quote('%s (%d).%s' % (base.replace('-', ' '), R.randint(1, 9), ext)),
        lambda: R.choice([".well-known/security.txt", ".well-known/openid-configuration", ".well-known/assetlinks.json"]),
        lambda: '%s_%s.%s' % (base, hexs(8), ext),
    ])()


def utf8():
    s = R.choice(['café', 'naïve-résumé', '日本語', 'Москва', 'straße', 'São_Paulo', 'Zürich', 'İstanbul',
                  'crème brûlée', 'Ελλάδα', 'الرياض', '한국어', 'emoji-😀', 'Ærø'])
    return urllib.parse.quote(s, safe='_-')


def token():
    import base64
    raw = bytes(R.randint(0, 255) for _ in range(R.randint(6, 48)))
    t = base64.urlsafe_b64encode(raw).decode()
    return R.choice([t, t.rstrip('='), 'eyJhbGciOiJIUzI1NiJ9.' + t.rstrip('=')])


def email():
    return R.choice(['john.doe', 'a.b+tag', "o'brien", 'x_y', 'first.last']) + R.choice(['@example.com', '%40example.org'])


def matrix(seg):
    k = R.choice(['jsessionid', 'v', 'color', 'lang', 'page', 'sort'])
    v = R.choice([hexs(32).upper(), '1.2', 'red,blue', 'en-GB', str(R.randint(1, 99)), 'price;desc'])
    return '%s;%s=%s' % (seg, k, v)


SEG = [slug, title, date, version, ident, filename, utf8, token, email]


def query():
    kv = []
    for _ in range(R.randint(1, 4)):
        k = R.choice(['q', 'page', 'sort', 'utm_source', 'ref', 'lang', 'fields', 'filter[status]', 'id'])
        v = R.choice([title(), str(R.randint(1, 500)), slug(), 'asc', 'desc', 'newsletter', 'a,b,c'])
        kv.append('%s=%s' % (k, v))
    return '&'.join(kv)


def path():
    p = R.choice(ROUTES)
    for _ in range(R.randint(1, 4)):
        s = R.choice(SEG)()
        if R.random() < 0.06:
            s = matrix(s)
        p += '/' + s
    if R.random() < 0.15:
        p += R.choice(['/', '/details', '/edit', '/reviews', '/raw', '/history'])
    if R.random() < 0.2:
        p += '?' + query()
    return p


FIXED = [
    "/wiki/Rock_&_roll", "/search/select%20a%20union", "/docs/c++/operator||",
    "/blog/drop-me-a-line;-cat-lovers", "/api/v1/users/me/orders?status=open&page=2",
    "/wiki/C_(programming_language)", "/wiki/Who%27s_Afraid_of_Virginia_Woolf%3F", "/wiki/'Allo_'Allo!",
    "/wiki/Exclamation_mark", "/wiki/Bobby_Tables", "/wiki/SQL_injection", "/wiki/Talk:Cross-site_scripting",
    "/acme/widget/compare/v1.0...v2.0", "/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z",
    "/tags/c%2B%2B", "/tags/c%23", "/search/rock+%26+roll", "/search/1+or+2", "/questions/123/what-does-1-1-mean",
    "/r/linux/comments/abc123/cat_etc_passwd_shows_nothing_why/", "/files/report%20(final).pdf",
    "/users/o%27brien/profile", "/p/1%20or%202%20items", "/shop/2%20and%203%20seat%20sofas",
    "/docs/bash/if-then-else;-fi", "/docs/sql/select-union-all", "/learn/javascript/alert()-function",
    "/man/1/cat", "/man/8/sudo", "/shell/echo-$HOME", "/blog/2024/01/15/why-1-and-2-matter",
    "/css/app.min.css;v=3.2.1", "/app;jsessionid=9A3B1C2D4E5F60718293A4B5C6D7E8F9/home",
    "/download/setup-1.2.3+build.45.exe", "/npm/@babel/core", "/npm/%40types%2Fnode",
    "/repos/acme/widget/contents/src%2Fmain.c", "/wiki/AT%26T", "/wiki/Procter_%26_Gamble",
    "/search/%22exact%20phrase%22", "/search/price%3E100", "/search/a%3Cb", "/search/it's%20a%20trap",
    "/product/12%22-pizza-pan", "/product/5'-ladder", "/emoji/%F0%9F%98%80", "/~alice/pub/notes.txt",
    "/static/js/main.8f3a2b.chunk.js", "/api/v1/search/drop%20me%20a%20line%3B%20cat%20lovers",
    "/api/v1/notes/1%3B%202%3B%203", "/wiki/Semicolon_(;)", "/wiki/Pipe_(|)", "/wiki/Dollar_sign_($)",
    "/wiki/Backtick_(%60)", "/wiki/Less-than_sign_(%3C)", "/kb/how-to-run-%22sleep%205%22-in-bash",
]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    seen = set()
    out = []
    for p in FIXED:
        seen.add(p)
        out.append(p)
    while len(out) < n:
        p = path()
        if p not in seen:
            seen.add(p)
            out.append(p)
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
