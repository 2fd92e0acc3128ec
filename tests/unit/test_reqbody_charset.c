/* test_reqbody_charset.c - request bodies in a charset that is no
 * superset of ASCII, judged as the servers that honour the charset read
 * them (charset.h): a form in IBM037 (the servlet and ASP.NET form
 * readers percent-decode, then decode with the charset), JSON in UTF-16
 * with or without a type or a mark (Jackson reads it by its first bytes),
 * an XML document in EBCDIC, text in UTF-7, a multipart part in IBM500.
 * Each attack is also sent without its charset, where it must draw
 * nothing: the finding comes from the decoding. Benign bodies in the same
 * charsets draw nothing; charset names are read as the servers spell
 * them; output is bounded and a cut is counted. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "collector/detect/charset.h"
#include "collector/detect/charset_ebcdic.h"
#include "tests/unit/reqbody_judge.h"

static void post(const char *ctype)
{
	rb_post(ctype, NULL);
}

/* ASCII text in an EBCDIC page, by the page's own table */
static size_t to_ebcdic(unsigned page, const char *s, uint8_t *o)
{
	const struct charset_ebcdic_page *p = charset_ebcdic_pages;
	size_t n = 0;

	while (p->number && p->number != page)
		p++;
	assert_true(p->number);
	for (; *s; s++) {
		int b;
		for (b = 0; b < 256 && p->to_ucs[b] != (unsigned char)*s; b++)
			;
		assert_true(b < 256);
		o[n++] = (uint8_t)b;
	}
	return n;
}

/* a form field name=value with both sides in an EBCDIC page, each byte
 * percent-encoded as a client library would */
static size_t ebcdic_form(unsigned page, const char *name, const char *value, char *o)
{
	uint8_t e[512];
	size_t n, w = 0;

	n = to_ebcdic(page, name, e);
	for (size_t i = 0; i < n; i++)
		w += (size_t)sprintf(o + w, "%%%02X", e[i]);
	o[w++] = '=';
	n = to_ebcdic(page, value, e);
	for (size_t i = 0; i < n; i++)
		w += (size_t)sprintf(o + w, "%%%02X", e[i]);
	o[w] = 0;
	return w;
}

static size_t utf16(const char *s, int be, int bom, uint8_t *o)
{
	size_t n = 0;

	if (bom) {
		o[n++] = be ? 0xFE : 0xFF;
		o[n++] = be ? 0xFF : 0xFE;
	}
	for (; *s; s++) {
		o[n++] = be ? 0 : (uint8_t)*s;
		o[n++] = be ? (uint8_t)*s : 0;
	}
	return n;
}

static void ebcdic_form_is_read_in_its_charset(void **state)
{
	char f[2048];
	const struct verdict *x;
	size_t n;
	int k;

	(void)state;
	n = ebcdic_form(37, "q", "1' union select password from users--", f);
	post("application/x-www-form-urlencoded; charset=ibm037");
	rb_body(f, n);
	k = rb_judge();
	assert_non_null(x = rb_find(k, "sqli"));
	assert_int_equal(x->action, VERDICT_KILL);
	/* the same bytes with no charset: nothing to read */
	post("application/x-www-form-urlencoded");
	rb_body(f, n);
	assert_null(rb_find(rb_judge(), "sqli"));
	/* other spellings and pages: IBM500 under its .NET name, 1047 */
	n = ebcdic_form(500, "q", "<script>alert(document.cookie)</script>", f);
	post("application/x-www-form-urlencoded; charset=\"IBM500\"");
	rb_body(f, n);
	assert_non_null(rb_find(rb_judge(), "xss"));
	n = ebcdic_form(1047, "file", "../../../../etc/passwd", f);
	post("application/x-www-form-urlencoded;charset=IBM-1047");
	rb_body(f, n);
	assert_non_null(rb_find(rb_judge(), "path_traversal"));
	/* a second charset parameter does not hide the first */
	n = ebcdic_form(37, "q", "1' union select password from users--", f);
	post("application/x-www-form-urlencoded; charset=utf-8; charset=cp037");
	rb_body(f, n);
	assert_non_null(rb_find(rb_judge(), "sqli"));
}

/* ASP.NET decodes the query string with the request's content encoding:
 * a GET with a Content-Type naming IBM037 */
static void query_in_the_requests_charset(void **state)
{
	char f[2048];

	(void)state;
	ebcdic_form(37, "id", "1 or 1=1 union select password from users", f);
	post("text/plain; charset=ibm037");
	snprintf(ev.method, sizeof(ev.method), "GET");
	snprintf(ev.query, sizeof(ev.query), "%s", f);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	post("text/plain");
	snprintf(ev.method, sizeof(ev.method), "GET");
	snprintf(ev.query, sizeof(ev.query), "%s", f);
	assert_null(rb_find(rb_judge(), "sqli"));
}

static void benign_bodies_in_a_charset_draw_nothing(void **state)
{
	char f[2048];
	uint8_t u[2048];
	size_t n, w;

	(void)state;
	n = ebcdic_form(37, "name", "O'Brien", f);
	f[n++] = '&';
	n += ebcdic_form(37, "note", "select a seat, then drop by; cat lovers welcome", f + n);
	post("application/x-www-form-urlencoded; charset=ibm037");
	rb_body(f, n);
	assert_int_equal(rb_judge(), 0);
	/* a UTF-16 form's %00s are no NUL bytes of its values */
	{
		static const char f16[] = "n%00a%00m%00e%00=%00A%00l%00i%00c%00e%00&%00c%00i%00t%00y%00=%00P%00a%00r%00i%00s%00";
		post("application/x-www-form-urlencoded; charset=utf-16le");
		rb_body(f16, strlen(f16));
		assert_int_equal(rb_judge(), 0);
	}
	w = utf16("{\"user\":\"O'Brien\",\"note\":\"select a seat -- near the door\"}", 0, 1, u);
	post("application/json; charset=utf-16");
	rb_body(u, w);
	assert_int_equal(rb_judge(), 0);
}

static void utf16_and_utf32_json_by_type_or_first_bytes(void **state)
{
	static const char xss[] = "{\"bio\":\"<img src=x onerror=alert(1)>\"}";
	uint8_t u[1024];
	size_t n;
	int k;

	(void)state;
	/* typed JSON, no charset, no mark: the NULs tell; the NULs of wide
	 * characters are no NUL bytes in a value (path_traversal's "nul
	 * byte" read them so before) */
	n = utf16("{\"q\":\"1' union select password from users--\"}", 0, 0, u);
	post("application/json");
	rb_body(u, n);
	k = rb_judge();
	assert_non_null(rb_find(k, "sqli"));
	assert_null(rb_find(k, "path_traversal"));
	/* a UTF-16 head, then ASCII: a reader of bytes still reads it */
	n = utf16("{\"", 0, 0, u);
	{
		static const char tail[] = "q\":\"1' union select password from users--\"}";
		memcpy(u + n, tail, sizeof(tail) - 1);
		n += sizeof(tail) - 1;
	}
	post("application/json");
	rb_body(u, n);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	/* no type at all, big-endian with a mark */
	n = utf16(xss, 1, 1, u);
	post(NULL);
	rb_body(u, n);
	assert_non_null(rb_find(rb_judge(), "xss"));
	/* UTF-32LE named */
	n = 0;
	for (const char *s = xss; *s; s++) {
		u[n++] = (uint8_t)*s;
		u[n++] = 0;
		u[n++] = 0;
		u[n++] = 0;
	}
	post("application/json; charset=UTF-32LE");
	rb_body(u, n);
	assert_non_null(rb_find(rb_judge(), "xss"));
	/* a binary type is not guessed at: application/octet-stream */
	n = utf16(xss, 1, 0, u);
	post("application/octet-stream");
	rb_body(u, n);
	assert_null(rb_find(rb_judge(), "xss"));
}

static void ebcdic_xml_utf7_text_and_multipart_parts(void **state)
{
	static const char xxe[] = "<?xml version=\"1.0\" encoding=\"IBM037\"?>"
				  "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
	uint8_t e[1024];
	char mp[2048];
	size_t n, w;

	(void)state;
	n = to_ebcdic(37, xxe, e);
	post("application/xml");
	rb_body(e, n);
	assert_non_null(rb_find(rb_judge(), "xxe"));
	post("text/plain; charset=utf-7");
	rb_body("q=+ADw-script+AD4-alert(1)+ADw-/script+AD4-", 42);
	assert_non_null(rb_find(rb_judge(), "xss"));
	/* a part's own charset */
	w = (size_t)sprintf(mp, "--b1\r\nContent-Disposition: form-data; name=\"q\"\r\n"
				"Content-Type: text/plain; charset=ibm500\r\n\r\n");
	n = to_ebcdic(500, "1 union select username, password from users--", e);
	memcpy(mp + w, e, n);
	w += n;
	w += (size_t)sprintf(mp + w, "\r\n--b1--\r\n");
	post("multipart/form-data; boundary=b1");
	rb_body(mp, w);
	assert_non_null(rb_find(rb_judge(), "sqli"));
	/* a multipart body in UTF-16 whose part names a charset too: the
	 * part is read once decoded, never decoded again into the buffer
	 * being read */
	{
		static const char inner[] = "--b2\r\nContent-Disposition: form-data; name=\"q\"\r\n"
					    "Content-Type: text/plain; charset=utf-16\r\n\r\n"
					    "1' union select password from users--\r\n--b2--\r\n";
		uint8_t u16[1024];
		size_t k = 0;

		for (const char *c = inner; *c; c++) {
			u16[k++] = (uint8_t)*c;
			u16[k++] = 0;
		}
		post("multipart/form-data; boundary=b2; charset=utf-16le");
		rb_body(u16, k);
		assert_non_null(rb_find(rb_judge(), "sqli"));
	}
}

static void names_as_servers_spell_them(void **state)
{
	static const struct {
		const char *ct;
		enum charset_kind kind;
		unsigned page;
		int guessed;
	} t[] = {
		{ "text/plain; charset=IBM037", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=cp037", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=CCSID00037", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=ebcdic-cp-us", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=IBM01140", CHARSET_EBCDIC, 1140, 0 },
		{ "text/plain; charset=IBM01141", CHARSET_EBCDIC, 1141, 0 },
		{ "text/plain; charset=cp20273", CHARSET_EBCDIC, 273, 0 },
		{ "text/plain; charset=x-IBM1026", CHARSET_EBCDIC, 1026, 0 },
		{ "text/plain; charset=IBM870", CHARSET_EBCDIC, 870, 1 },
		{ "text/plain; charset=x-ebcdic-koreanextended", CHARSET_EBCDIC, 37, 1 },
		{ "text/plain; charset=utf-16", CHARSET_UTF16, 0, 0 },
		{ "text/plain; charset=unicodeFFFE", CHARSET_UTF16BE, 0, 0 },
		{ "text/plain; charset=UTF-16LE", CHARSET_UTF16LE, 0, 0 },
		{ "text/plain; charset = \"utf-32\"", CHARSET_UTF32, 0, 0 },
		{ "text/plain; charset=UNICODE-1-1-UTF-7", CHARSET_UTF7, 0, 0 },
		/* Java's aliases */
		{ "text/plain; charset=037", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=cpibm37", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=cs-ebcdic-cp-us", CHARSET_EBCDIC, 37, 0 },
		{ "text/plain; charset=X-UTF-16BE", CHARSET_UTF16BE, 0, 0 },
		{ "text/plain; charset=X-UTF-32LE-BOM", CHARSET_UTF32LE, 0, 0 },
		{ "text/plain; charset=UnicodeLittle", CHARSET_UTF16LE, 0, 0 },
	};
	static const char *const ascii[] = {
		"text/plain", "text/plain; charset=utf-8", "text/plain; charset=ISO-8859-1",
		"text/plain; charset=windows-1252", "text/plain; charset=cp437",
		"text/plain; charset=IBM850", "text/plain; charset=Shift_JIS",
		"text/plain; charset=cp1252", "text/plain; format=flowed",
		"text/plain; charset=ibm", "text/plain; charset=cp99999999999",
		"text/plain; charset=1252", "text/plain; charset=x-mac-roman",
		"text/plain; charset=cscp", "text/plain; charset=xxxx",
	};
	struct charset cs;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(charset_from_ctype(t[i].ct, strlen(t[i].ct), &cs), 1);
		assert_int_equal(cs.kind, t[i].kind);
		if (t[i].kind == CHARSET_EBCDIC) {
			assert_int_equal(cs.page_no == 37 && t[i].guessed ? 37 : cs.page_no,
					 t[i].page);
			assert_int_equal(cs.guessed, t[i].guessed);
			assert_non_null(cs.page);
		}
	}
	for (size_t i = 0; i < sizeof(ascii) / sizeof(ascii[0]); i++)
		assert_int_equal(charset_from_ctype(ascii[i], strlen(ascii[i]), &cs), 0);
}

static void decoding_is_exact_and_bounded(void **state)
{
	struct charset cs;
	char o[64];
	int cut;
	size_t n;
	/* U+1F600 as a surrogate pair, a lone low surrogate, an odd byte */
	static const uint8_t u16[] = { 'a', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xDC, 'b' };
	static const char form[] = "%u0027%20or%20%271%27=%271";

	(void)state;
	assert_int_equal(charset_from_ctype("a/b;charset=utf-16le", 20, &cs), 1);
	n = charset_decode(&cs, u16, sizeof(u16), o, sizeof(o), &cut);
	assert_int_equal(cut, 0);
	assert_int_equal(n, 1 + 4 + 3 + 3);
	assert_memory_equal(o, "a\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD", n);
	/* %uXXXX is a character of its own (ASP.NET), %XX bytes of the set */
	assert_int_equal(charset_from_ctype("a/b;charset=ibm037", 18, &cs), 1);
	n = charset_decode_form(&cs, form, strlen(form), o, sizeof(o), &cut);
	assert_int_equal(cut, 0);
	/* ' then EBCDIC 0x20 (a control: U+0080), 0x99 'r' ... */
	assert_memory_equal(o, "%27%C2%80", 9);
	/* bounded: a cap too small is a cut, never an overrun */
	memset(o, 'Z', sizeof(o));
	n = charset_decode(&cs, (const uint8_t *)"\xC1\xC2\xC3\xC4\xC5\xC6\xC7\xC8", 8, o, 5, &cut);
	assert_int_equal(cut, 1);
	assert_true(n <= 5);
	assert_int_equal(o[5], 'Z');
	assert_memory_equal(o, "ABCDE", n);
}

static void counted(void **state)
{
	uint64_t b[REQBODY_CNT__COUNT], a[REQBODY_CNT__COUNT];
	uint8_t u[256];
	size_t n;

	(void)state;
	reqbody_counts(b);
	n = utf16("{\"a\":1}", 0, 1, u);
	post("application/json");
	rb_body(u, n);
	rb_judge();
	post("text/plain; charset=IBM870");
	rb_body("\xC1\xC2", 2);
	rb_judge();
	post("application/json");
	rb_body("{\"a\":1}", 7);
	rb_judge();
	reqbody_counts(a);
	assert_int_equal(a[REQBODY_CHARSET] - b[REQBODY_CHARSET], 2);
	assert_int_equal(a[REQBODY_CHARSET_GUESSED] - b[REQBODY_CHARSET_GUESSED], 1);
	assert_int_equal(a[REQBODY_CHARSET_CUT] - b[REQBODY_CHARSET_CUT], 0);
	assert_string_equal(reqbody_cnt_names[REQBODY_CHARSET], "charset_decoded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ebcdic_form_is_read_in_its_charset),
		cmocka_unit_test(query_in_the_requests_charset),
		cmocka_unit_test(benign_bodies_in_a_charset_draw_nothing),
		cmocka_unit_test(utf16_and_utf32_json_by_type_or_first_bytes),
		cmocka_unit_test(ebcdic_xml_utf7_text_and_multipart_parts),
		cmocka_unit_test(names_as_servers_spell_them),
		cmocka_unit_test(decoding_is_exact_and_bounded),
		cmocka_unit_test(counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
