#!/usr/bin/env python3
"""gen-benign.py - write tests/data/benign.txt: realistic API parameter values
that payload detectors must leave alone (names, emails, searches with quotes,
SQL-looking English, JSON, tokens, dates, URLs, file names, math, markup-ish
text, code-ish words, prices, sort expressions...). Deterministic (seeded),
stdlib only. Usage: tools/gen-benign.py [OUT]  (default tests/data/benign.txt)
"""
import base64
import json
import random
import sys
import uuid

rng = random.Random(20240605)

FIRST = ["Ann", "Bob", "Chloé", "Dmitri", "Ewa", "Farah", "Gianni", "Hiroshi",
         "Ingrid", "José", "Kwame", "Liam", "María", "Nguyễn", "Olga", "Priya",
         "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Vikram", "Wei", "Xavier",
         "Yara", "Zoë", "Siobhan", "Ólafur", "François", "Łukasz", "Ana-Maria",
         "Jean-Luc", "Mary Ann", "D'Andre", "Renée", "Björk", "Ahmed", "Fatima"]
LAST = ["O'Brien", "D'Angelo", "Smith", "Müller", "García", "Kowalski", "Nakamura",
        "van der Berg", "McDonald", "O'Neil", "Dupont", "Rossi", "Ivanova",
        "Øster", "Al-Sayed", "Johnson-Smith", "de la Cruz", "St. John", "Li",
        "Park", "Okafor", "Fitzgerald", "L'Estrange", "Núñez", "Çelik", "Zhang"]
CJK = ["李雷", "韩梅梅", "山田太郎", "김민준", "Παπαδόπουλος", "Иван Петров",
       "محمد علي", "דוד כהן", "Nguyễn Văn An", "Trần Thị Bích"]
DOMAINS = ["example.com", "mail.example.org", "gmail.com", "outlook.com",
           "company.co.uk", "uni-heidelberg.de", "proton.me", "yahoo.co.jp"]
PRODUCTS = ["red shoes", "usb-c cable", "coffee grinder", "4k monitor",
            "running shorts", "yoga mat", "cat toys", "dog bed", "ping pong table",
            "echo dot", "id card holder", "script writing book", "alert bracelet",
            "sleep mask", "union jack flag", "drop earrings", "table lamp",
            "select comfort mattress", "window blinds", "curl cream", "nc state hoodie",
            "time management planner", "head torch", "tail light", "more cowbell"]
SQLISH = ["select a plan", "drop by the office", "union station", "1 or 2 items",
          "order by date", "where is my order", "update my address",
          "delete my account", "insert coin", "from 9 to 5", "join us today",
          "table for 2", "sleep mode", "select all", "drop-down menu", "and/or",
          "group by team", "having trouble logging in", "like new condition",
          "between 10 and 20", "is null safe?", "create account", "alter ego",
          "exec summary", "case closed", "when is checkout", "set a reminder",
          "values and mission", "grant application", "user guide", "truncate text",
          "declare income", "shutdown schedule", "waitfor it", "limit 5 per customer",
          "top 10 songs", "all or nothing", "not sure", "true or false quiz",
          "either this or that", "yes and no", "1 and 1 make 2", "2 or 3 bedrooms",
          "union select committee report", "select committee on drugs",
          "order by phone or email", "in stock only", "sold out or not"]
QUOTED = ["it's", "don't stop", "rock 'n' roll", "\"best\" pizza in town",
          "Tom's \"famous\" chili", "'quoted' word", "she said \"hi\"",
          "O'Reilly books", "McDonald's near me", "ain't nobody", "90's music",
          "the 'or' operator", "\"union\" membership", "it's 5 o'clock",
          "'select' vs 'choose'", "kids' bikes", "don't 'drop' it",
          "\"1 or 2\" people", "Rock'n'roll hall", "can't login", "what's new?",
          "y'all", "Hawai'i trip", "6' 2\" tall", "5' 11\"", "Joe's Bar & Grill"]
WORDS = ["weather", "recipes", "news", "jobs", "flights to", "hotels in", "best",
         "cheap", "how to", "near me", "reviews", "price of", "open now", "free",
         "tutorial", "download", "login", "support", "refund", "shipping"]
PLACES = ["Paris", "New York", "São Paulo", "Zürich", "Kraków", "Tokyo", "Lagos",
          "Reykjavík", "Montréal", "Ho Chi Minh City", "St. Louis", "Coeur d'Alene"]
SITES = ["https://www.wikipedia.org/wiki/Main_Page", "https://github.com/torvalds/linux",
         "https://docs.python.org/3/library/json.html", "https://www.bbc.co.uk/news",
         "https://example.com/path?x=1&y=2", "https://www.google.com/search?q=cats",
         "https://stackoverflow.com/questions/11227809", "http://www.gnu.org/licenses/",
         "https://en.wikipedia.org/wiki/O%27Brien", "https://news.ycombinator.com/item?id=1",
         "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://maps.example.net/@48.85,2.35,12z",
         "https://cdn.example.com/img/logo.png", "https://api.example.org/v2/items/42",
         "mailto:help@example.com", "tel:+1-555-0100", "ftp://ftp.example.com/pub/readme.txt",
         "https://shop.example.com/p/red-shoes#reviews", "https://example.com/a/b/../c"]
EXTS = ["pdf", "docx", "xlsx", "png", "jpg", "csv", "txt", "zip", "md", "json", "mp4"]
FILEBASE = ["report", "invoice", "photo", "resume", "notes", "budget", "slides",
            "export", "backup", "contract", "readme", "changelog", "my file",
            "draft (1)", "final_final", "Q3 results", "étude", "data.2024"]
MATH = ["3<5", "5>3", "2*3=6", "x>=10", "a<b", "1+1=2", "10/2", "50%", "3 < 4 < 5",
        "n-1", "2^10", "7*7", "x != y", "a <= b", "(1+2)*3", "~5", "100%", "1/2 cup",
        "sqrt(16)", "f(x) = x^2", "e=mc^2", "-5", "+1", "3.14159", "1e6", "0x1F",
        "5 > 3 and 2 < 4", "x < 10 or y > 20", "3<5 and 7>2"]
HTMLISH = ["<3", "I <3 NY", "a < b > c", "<b>bold</b>", "<i>italic</i>", "<p>Hello</p>",
           "<br>", "line<br/>break", "<ul><li>one</li></ul>", "x <y> z",
           "<a href=\"https://example.com\">link</a>", "<img src=\"cat.png\" alt=\"cat\">",
           "<em>really</em>", "<code>npm install</code>", "<h1>Title</h1>",
           "<span class=\"tag\">new</span>", "<div id=\"main\">hi</div>", "-->", "<-- back",
           "<<double>>", "<tbd>", "<none>", "<name@example.com>", "a<b&&c>d"]
MARKDOWN = ["**bold**", "_italic_", "# Heading", "## Install", "- [ ] todo", "- [x] done",
            "[link](https://example.com)", "![alt](https://example.com/a.png)",
            "`npm install`", "`git status`", "> quote", "1. first", "| a | b |",
            "```js\nconsole.log(1)\n```", "~~strike~~", "`user.name`", "`SELECT` is a keyword"]
CODEISH = ["user.name", "getUserById", "snake_case_name", "camelCaseName",
           "config.yaml", "main.c", "os.path.join", "array[0]", "map.get(key)",
           "list.sort()", "foo_bar-baz", "if (a && b) return", "x == y",
           "null", "undefined", "NaN", "true", "false", "None", "#include",
           "i++", "a -> b", "=>", "::", "std::vector<int>", "Map<String, Integer>",
           "public static void main", "SELECT", "DROP", "UNION", "script",
           "onload", "onclick", "javascript", "eval", "alert", "${HOME}",
           "Hello {{ first_name }}", "{{ user.name }}", "#{id}", "%s", "%d items",
           "{0} of {1}", "$1.00", "@username", "@(Model.Name)", "C# developer",
           "F# and C#", "node.js", "ASP.NET", "pip install requests"]
PUNCT = ["Q&A", "R&D", "Tom & Jerry", "AT&T", "salt & pepper", "red|green|blue",
         "a; b; c", "Fish & chips; peas", "rock|paper|scissors", "yes/no",
         "either/or", "N/A", "TBD...", "wait... what?", "hmm;", "1,2,3",
         "a,b;c|d", "path/to/file", "C:\\Users\\Public\\Documents", "~/Downloads",
         "./local", "../sibling", "docs/guide/intro.md", "ping me at 5",
         "cat & dog", "id: 42", "name|id|email", "Name|ID", "echo chamber",
         "sleep well; eat well", "time & money", "Rock & Roll; cat lovers welcome",
         "#sale", "#1 best seller", "issue #42", "-- end --", "/* note */",
         "a -- b", "x' y", "\"", "'", "''", "\"\"", "()", "[]", "{}", "<>"]
SORTS = ["name asc", "name desc", "-created_at", "price desc,name asc", "+updated",
         "created_at:desc", "score DESC", "date asc nulls last", "relevance",
         "rating desc, reviews desc", "id", "-id", "lastName,firstName"]
FILTERS = ["status:open", "tag=a|b", "size>=10", "price<100", "color in (red,blue)",
           "author:\"Jane Doe\"", "year:2020..2024", "type!=draft", "is:unread",
           "from:alice@example.com", "label:\"to do\"", "priority>=2 and status=open",
           "lang:en OR lang:fr", "NOT spam", "title:\"it's here\""]
TZ = ["Z", "+00:00", "+02:00", "-05:00", "+05:30"]
PHONES = ["+1 (555) 010-0199", "+44 20 7946 0958", "555-0100", "+49 30 901820",
          "(02) 9876 5432", "+81-3-1234-5678", "+33 1 23 45 67 89", "0800 123 456"]
CURR = ["$", "€", "£", "¥", "USD ", "EUR ", ""]


def b64(n):
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt():
    hdr = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": str(rng.randint(1, 99999)),
                              "name": rng.choice(FIRST), "iat": rng.randint(1.6e9, 1.8e9)}).encode())
    sig = b64url(bytes(rng.getrandbits(8) for _ in range(32)))
    return f"{hdr}.{body}.{sig}"


def name():
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def email():
    f = rng.choice(FIRST).lower().replace(" ", "").replace("'", "")
    l = rng.choice(LAST).lower().replace(" ", "").replace("'", "")
    sep = rng.choice([".", "_", "", "+news."])
    return f"{f}{sep}{l}@{rng.choice(DOMAINS)}"


def date():
    y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.randint(0, 4)
    if kind == 0:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if kind == 1:
        return f"{y:04d}-{m:02d}-{d:02d}T{rng.randint(0,23):02d}:{rng.randint(0,59):02d}:{rng.randint(0,59):02d}{rng.choice(TZ)}"
    if kind == 2:
        return f"{d:02d}/{m:02d}/{y}"
    if kind == 3:
        return str(rng.randint(1_500_000_000, 1_800_000_000))
    return f"{y}-W{rng.randint(1,52):02d}"


def price():
    return f"{rng.choice(CURR)}{rng.randint(0, 2000)}.{rng.randint(0, 99):02d}"


def search():
    k = rng.randint(0, 6)
    if k == 0:
        return f"{rng.choice(WORDS)} {rng.choice(PRODUCTS)}"
    if k == 1:
        return f"{rng.choice(PRODUCTS)} {rng.choice(WORDS)} {rng.choice(PLACES)}"
    if k == 2:
        return f"{rng.choice(SQLISH)} {rng.choice(WORDS)}"
    if k == 3:
        return f"{rng.choice(QUOTED)} {rng.choice(PRODUCTS)}"
    if k == 4:
        return f"{rng.choice(SQLISH)}"
    if k == 5:
        return f"{name()} {rng.choice(PLACES)}"
    return f"{rng.choice(QUOTED)} {rng.choice(SQLISH)}"


def json_body():
    obj = rng.choice([
        {"name": name(), "email": email(), "age": rng.randint(18, 90)},
        {"q": search(), "page": rng.randint(1, 9), "sort": rng.choice(SORTS)},
        {"items": [{"sku": f"SKU-{rng.randint(1000,9999)}", "qty": rng.randint(1, 5)}],
         "note": rng.choice(QUOTED)},
        {"comment": f"{rng.choice(QUOTED)} - {rng.choice(SQLISH)}", "rating": rng.randint(1, 5)},
        {"id": str(uuid.UUID(int=rng.getrandbits(128))), "active": rng.random() < 0.5,
         "tags": rng.sample(["a", "b", "new", "sale", "c#", "r&d"], 2)},
        {"address": {"street": f"{rng.randint(1,999)} {rng.choice(LAST)} St.",
                     "city": rng.choice(PLACES)}, "phone": rng.choice(PHONES)},
    ])
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5)


def filename():
    return f"{rng.choice(FILEBASE)}-{rng.randint(2000, 2030)}.{rng.choice(EXTS)}"


GENS = [
    (name, 120), (email, 100), (search, 330), (json_body, 150), (lambda: b64(rng.randint(6, 40)), 60),
    (jwt, 40), (lambda: str(uuid.UUID(int=rng.getrandbits(128))), 60), (date, 100),
    (lambda: rng.choice(SITES), 40), (filename, 100), (price, 60),
    (lambda: rng.choice(PHONES), 20), (lambda: rng.choice(CJK) + " " + rng.choice(PLACES), 30),
    (lambda: f"{rng.choice(SORTS)}", 20), (lambda: rng.choice(FILTERS), 30),
    (lambda: f"{rng.choice(PRODUCTS)} x{rng.randint(1,9)} @ {price()}", 60),
    (lambda: f"{rng.choice(WORDS)} {rng.choice(CODEISH)}", 60),
    (lambda: f"{rng.choice(MARKDOWN)} {rng.choice(PRODUCTS)}", 50),
    (lambda: f"{rng.choice(HTMLISH)} {rng.choice(WORDS)}", 50),
    (lambda: f"{rng.choice(MATH)} {rng.choice(WORDS)}", 40),
    (lambda: f"{rng.choice(PUNCT)} {rng.choice(PRODUCTS)}", 60),
    (lambda: f"{rng.randint(1, 20)} {rng.choice(['or', 'and', 'to', '-', 'x'])} {rng.randint(1, 20)} {rng.choice(PRODUCTS)}", 40),
]


# Tricky values for the SQL injection and XSS detectors (issue 20): prose
# with apostrophes, quotes, feet and inches, SQL words and comparisons used
# as English or math, markup-ish text, JS and SQL snippets that do nothing
# harmful, event and scheme names as words. Appended after the values
# above, from their own seed, so the earlier lines stay as they were.
TRICKY_SQLI_XSS = [
    '5\' 10" tall',
    '6\'2" and 180 lbs',
    "a 3' x 5' rug",
    '12" pizza or 16" pizza',
    "Rock 'n' roll",
    "the 'or' operator",
    "It's 'select' not 'elect'",
    "Mary's and John's orders",
    "Bob's tables; Alice's chairs",
    "O'Reilly's 'Learning SQL' (2nd ed.)",
    "it's 1=1 in boolean algebra, isn't it?",
    "Where's my order? I placed it on 5/3 and it's not here",
    "I'd like to update my address; my old one was 12 O'Connell St",
    "Jack O'Neil or Dana O'Brien",
    "O'Brien's 1=1 theorem",
    "'hello' || 'world'",
    "x' OR y",
    "Don't -- please don't -- do that",
    "Tom's #1 fan",
    "it's 100% 'legit' -- trust me",
    "I'm in; are you?",
    '=IF(B2="Yes",1,0)',
    '=SUM(A1:A10)',
    'IF(A2>10,"High","Low")',
    'if(x > 3) { y = 1; }',
    'case when it rains, then we stay in',
    'char(13) or char(10)?',
    'version 2.0 or later',
    '1 or 2 (maybe 3)',
    'a) and b) are correct',
    'See 3) and 4) below',
    'Price (USD) or (EUR)',
    'count(*) is slow on big tables',
    'select a union rep for the meeting',
    "Don't drop the ball; select the best",
    'SELECT name FROM users WHERE id = 42 ORDER BY name',
    'sleep(8) hours a night',
    '1=1 is always true',
    'where 2+2=4',
    "what's 'x'='x' mean in logic?",
    "o'brien@example.com",
    '"john doe"@example.com',
    'Isn\'t it "great"? -- yes!',
    '"Hello," she said; "bye"',
    "he said 'print it'; done",
    "she said 'ok'; print the report",
    '<3 you',
    'I <3 JS',
    'a<b and c>d',
    '<= 5 items',
    'price < 5 && qty > 2',
    'if (a < b) { return c > d; }',
    '<div class="note">Hi</div>',
    '<img src="a.png" width="10">',
    '<a href="/online-store">shop</a>',
    '<p style="margin:0">x</p>',
    '<span style="color:red">sale</span>',
    '<b onclick>not really</b>',
    'Tom said "hi"; then left',
    '${price} total',
    '${ item.count }',
    'ON SALE = 50% off',
    'online=yes',
    'onsale=true',
    '`alert()` is blocking',
    'Use `eval()` sparingly',
    'the onload event fires after DOM ready',
    'set onclick handler in the options',
    'javascript: the good parts, chapter 3',
    'location: Paris; date: 5/3',
    "my location='home' setting",
    'Print (2 copies) please',
    'import data from csv',
    'document the API; confirm by Friday',
    '"; confirm your email',
    "'+1 (555) 010-0199'",
    "x'-1'",
    "it's -5' cold",
    'the "top" [\'item\'] list',
    '"a"+"b"',
    '"Alice" - "Bob" - "Carol"',
    'self-employed',
    'window seat, please',
    '<br/>line',
    '<hr>',
    '<!-- comment -->',
    '<table><tr><td>1</td></tr></table>',
    '<sub>2</sub>O and CO<sub>2</sub>',
    '<ins>new</ins> <del>old</del>',
    '<small>fine print</small>',
    '<kbd>Ctrl</kbd>+<kbd>C</kbd>',
    '<input> tags need labels',
    '<select> boxes are hard to style',
    '<option value="1">One</option>',
    '<style> tags go in the head',
    '<mark>highlight</mark>',
    '<details> and <summary> are neat',
    '<img> alt text matters',
    '<svg> icons scale well',
    '<form> validation tips',
    ':-) ;-) :-( ;)',
    'function add(a, b) { return a + b; }',
    'const x = arr.map(v => v * 2);',
    'if (user.isAdmin) { showPanel(); }',
    "console.log('hello')",
    "$('#menu').toggle()",
    "document.getElementById('q').value",
    'window.location.href',
    'onClick={() => setOpen(true)}',
    'SELECT COUNT(*) FROM orders GROUP BY status',
    'UPDATE: shipping delayed; sorry!',
    "DELETE key doesn't work on my Mac",
    'DROP ME A LINE; CAT LOVERS WELCOME',
    '"Union" and "Select" are both brands',
    "Order #12345 -- 'shipped'",
    "I'll be there at 5 o'clock or 6",
    'He\'s 6\' 1" or so',
    "'Tis the season",
    "rock'n'roll",
    "ma'am",
    "y'all're welcome",
    "L'Oréal or Lancôme",
    "D'Artagnan and the 3 musketeers",
    "it's either 'a' or 'b'",
    "'yes' or 'no'",
    '"yes" or "no"',
    'and 1=1 is how you test it?',
    'x=1 or y=2',
    'where x=1',
    'ids 1,2,3 or 4',
    '(1 or 2) and 3',
    '0 or 1',
    '1 and 0',
    'between 1 and 2',
    'ORDER BY price',
    'limit=10&offset=20',
    'select * from my heart',
    'Sleep(5) Tablets, 30 count',
    'benchmark 2024 results (5 runs)',
    'char count: 140',
    'hex #ff0000 or #00ff00',
    '0x1F or 0x2F',
    'IF you can, THEN call',
    'CASE #42 WHEN resolved THEN close',
    'waitfor delivery',
    'exec(utive) summary',
    'union of sets A and B',
    'select union members only',
    '<3 <3 <3',
    ':) <3 :(',
    'a > b < c',
    '1 < 2 > 0',
    '<b>bold</b> <i>it</i>',
    '<p class="x">a</p>',
    '<a href="https://x.example/onload-tips">tips</a>',
    '<img src="onion.png" alt="onion">',
    '<a title="on sale">deal</a>',
    '"onerror" is an event name',
    'javascript developer wanted',
    'JavaScript: Understanding the Weird Parts',
    'data:image/png;base64,iVBORw0KGgo=',
    'vbscript is dead',
    'alert: server down',
    'Prompt engineering tips',
    'confirm(ation) number: 12345',
    'print(f"hello {name}")',
    'eval is evil',
    'Import CSV (max 5 MB)',
    'location=Paris&radius=10',
    '${HOME}/bin:${PATH}',
    '`npm run build` fails',
    'I said "hi" - "bye"',
    "'a' - 'b'",
    '"x" + "y"',
    "it's '-1'",
    "can't; won't",
    '"quoted";',
    '"; DROP TABLE" is a famous joke',
    "Bobby Tables' mom",
    "O'Neil said 'select it'",
    'Jack\'s "special" sauce',
    '“smart quotes” and ‘single’ ones',
    '´accent´ or `grave`',
    '<<EOF',
    '->  => >=',
    "email me at jane.o'hara@example.com",
    'name: "O\'Brien", age: 42',
    '{"q":"it\'s \\"fine\\"","n":1}',
    '[1,2,3].map(x => x*2)',
    'a && b || c',
    '1 && 2',
    'x || y',
    'true && false',
    # rich text as editors post it
    '<p style="text-align:center"><strong>Sale!</strong></p>',
    '<a href="https://example.com/p/1" target="_blank" rel="noopener noreferrer">link</a>',
    '<img src="https://cdn.example.com/a.jpg" style="width: 100%; height: auto;" alt="">',
    '<span style="font-family: Arial, sans-serif; color: #333;">text</span>',
    '<table style="border-collapse:collapse"><tr><td style="padding:4px">1</td></tr></table>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 7l10 5 10-5-10-5z"/></svg>',
    "<style>@import url('https://fonts.googleapis.com/css?family=Roboto');body{font-family:Roboto}</style>",
    '<div class="note" data-id="42" aria-label="Close">x</div>',
    '<blockquote cite="https://example.com">quote</blockquote>',
    '<input type="email" name="email" placeholder="you@example.com" required>',
    '<button type="submit" class="btn btn-primary">Subscribe</button>',
    '<ol start="3"><li>three</li></ol>',
    '<h2 id="faq">FAQ</h2><p>Ask us anything; we\'re here.</p>',
    '<video controls width="250"><source src="/media/flower.webm" type="video/webm"></video>',
    '<details><summary>More</summary>Hidden text</details>',
    '<a href="mailto:help@example.com?subject=Hi%20there">mail</a>',
    '<a href="tel:+15550100">call</a>',
    "<p>Use <code>onclick</code> sparingly; prefer <code>addEventListener('click', fn)</code>.</p>",
    "<pre>SELECT id FROM users WHERE name = 'x';</pre>",
    '<math><mi>x</mi><mo>=</mo><mn>2</mn></math>',
]

QUOTE_WORDS = ["great", "select", "union", "or", "and", "drop", "yes", "no", "top",
               "alert", "print", "hello", "online", "script", "it", "sleep"]


def tricky_sqli_xss(r):
    w = lambda: r.choice(QUOTE_WORDS)
    n = lambda: r.randint(1, 12)
    return r.choice([
        lambda: f"{r.choice(FIRST)} {r.choice(LAST)}'s '{w()}' or '{w()}'",
        lambda: f"{n()}' {n()}\" {r.choice(['tall', 'wide', 'long', 'frame', 'TV'])}",
        lambda: f"{n()}\" x {n()}\" {r.choice(PRODUCTS)}",
        lambda: f"I'd {w()} '{w()}' -- {r.choice(WORDS)}",
        lambda: f"\"{w()}\" and \"{w()}\" are {r.choice(WORDS)}",
        lambda: f"{w()} {n()} or {n()} {r.choice(PRODUCTS)}; {w()} all",
        lambda: f"{n()} < {n()} and {n()} > {n()}",
        lambda: f"({n()}) {w()} ({n()}) or ({n()})",
        lambda: f"<{r.choice(['b', 'i', 'em', 'strong', 'u', 'small'])}>{w()}</{r.choice(['b', 'i', 'em'])}> {r.choice(WORDS)}",
        lambda: f"<a href=\"{r.choice(SITES)}\">{w()}</a>",
        lambda: f"it's {n()}:{r.randint(10, 59)} or {n()}'ish; {w()} later",
        lambda: f"`{r.choice(CODEISH)}` and '{w()}'",
        lambda: f"{r.choice(LAST)}; {r.choice(LAST)}; {r.choice(LAST)}",
        lambda: f"re: '{w()}' (was: \"{w()}\")",
    ])()


def append_tricky(lines, seen):
    r = random.Random(20261204)
    for v in TRICKY_SQLI_XSS:
        if v not in seen:
            seen.add(v)
            lines.append(v)
    count = 300
    for _ in range(count * 3):
        if count <= 0:
            break
        v = tricky_sqli_xss(r)
        if v not in seen:
            seen.add(v)
            lines.append(v)
            count -= 1


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/benign.txt"
    seen, lines = set(), []
    fixed = SQLISH + QUOTED + MATH + HTMLISH + MARKDOWN + CODEISH + PUNCT + SORTS + \
        FILTERS + SITES + PHONES + CJK + PRODUCTS
    for v in fixed:
        v = v.replace("\n", " ")
        if v not in seen:
            seen.add(v)
            lines.append(v)
    for gen, count in GENS:
        for _ in range(count * 3):
            if count <= 0:
                break
            v = gen().replace("\n", " ").replace("\r", " ")
            if v and v not in seen:
                seen.add(v)
                lines.append(v)
                count -= 1
    append_tricky(lines, seen)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} values", file=sys.stderr)


if __name__ == "__main__":
    main()
