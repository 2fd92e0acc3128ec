/* tools/payload-diff.c - a differential test of a speed change to the
 * payload detectors: the same generated values through two builds of the
 * library (link this file once with each), every accumulator written out;
 * the two outputs must be byte-identical (cmp). The values are the shapes
 * payload_shape.c's payload_shape_plain skips (numbers, digit groups,
 * timestamps, phone numbers) and values one step outside them: every byte
 * inserted at every position and put in place of every byte, words of the
 * attack classes appended and prepended, percent-, form- and
 * entity-encoded forms, pairs of the bytes the proof turns on; and words
 * of letters and digits (payload.c's value_quiet) with the same steps.
 *   cc -O2 -I. tools/payload-diff.c A/libcollector.a A/libcommon.a -lz -o /tmp/pd-a
 *   /tmp/pd-a > a.txt; /tmp/pd-b > b.txt; cmp a.txt b.txt
 * Output: a line per (value, reading) with a score, and the count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

static unsigned long nvals, nlines;
static unsigned rs = 2463534242u;

static unsigned rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

static const unsigned wheres[] = {PAYLOAD_WHERE_PATH, PAYLOAD_WHERE_QUERY, PAYLOAD_WHERE_HEADER,
				  PAYLOAD_WHERE_COOKIE, PAYLOAD_WHERE_BODY};

static void run(const char *v, size_t n)
{
	static const unsigned flags[] = {NORM_PERCENT | NORM_HTML | NORM_UNICODE,
					 NORM_PERCENT | NORM_HTML | NORM_UNICODE | NORM_PLUS, 0, NORM_ALL};

	nvals++;
	for (size_t w = 0; w < sizeof(wheres) / sizeof(wheres[0]); w++)
		for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
			struct payload_acc a;

			if (f >= 2 && w != 4)
				continue; /* other flags: one place */
			memset(&a, 0, sizeof(a));
			payload_scan_value(v, n, wheres[w], flags[f], &a);
			for (int k = 1; k < PAYLOAD__COUNT; k++)
				if (a.score[k]) {
					printf("%lu %zu %zu %d %d %s\n", nvals, w, f, k, a.score[k],
					       a.why[k] ? a.why[k] : "");
					nlines++;
				}
		}
}

static void runs(const char *v)
{
	run(v, strlen(v));
}

/* the encoded forms: every byte percent-encoded, blanks as '+' and '+' as
 * %2B, every byte as &#N; */
static void encoded(const char *v, size_t n)
{
	char o[1024];
	size_t w = 0;

	if (n > 200)
		return;
	for (size_t i = 0; i < n; i++)
		w += (size_t)sprintf(o + w, "%%%02X", (unsigned char)v[i]);
	run(o, w);
	w = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] == ' ')
			o[w++] = '+';
		else if (v[i] == '+')
			w += (size_t)sprintf(o + w, "%%2B");
		else
			o[w++] = v[i];
	run(o, w);
	w = 0;
	for (size_t i = 0; i < n; i++)
		w += (size_t)sprintf(o + w, "&#%u;", (unsigned char)v[i]);
	run(o, w);
}

static char base[640][72];
static int nbase;

static void add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void add(const char *fmt, ...)
{
	va_list ap;

	if (nbase >= 640)
		return;
	va_start(ap, fmt);
	vsnprintf(base[nbase++], sizeof(base[0]), fmt, ap);
	va_end(ap);
}

static void digits(char *o, int k)
{
	for (int i = 0; i < k; i++)
		o[i] = (char)('0' + rnd() % 10);
	o[k] = '\0';
}

static void bases(void)
{
	static const char *const fixed[] = {
		"0", "7", "-1", "00", "123456789", "1234567890", "2130706433", "-2130706433", "0.5", "100.1",
		"169.254", "192.168", "10.0", "1.0", "99.99", "-0.5", "-169.254", "1690.2", "16.9",
		"2026-12-04", "1-1", "2-1", "0-0-0", "030-1234567", "2026-02-23T08:08:24Z",
		"2026-02-23t08:08:24z", "2026-02-23T08:08", "2026-02-23T08:08:24-05:00", "2026-02-23T08:08Z",
		"+49 309 4409591", "+1-555-0100", "+1", "+44 20 7946 0958", "+353 1 234 5678", "+0",
		"+1 (555) 0100", "2026-02-23 08:08:24", "1e5", "1.5e-7", "0x1f", "127.0.0.1", "1.2.3.4",
		"169.254.169.254", "2852039166", "0177.0.0.1", "2-1-- -", "3-2#", "1--", "+ADw-", "+AD",
		/* digit-led prose with blanks (payload.c's cmdi_blank_digit) */
		"119 Oak Avenue", "3 stars, fits well", "62 Mill Street", " 1 id", "1 whoami", "2 bash -c id",
		"1 ls -la", "3 cmd /c dir", "1 [x] !y", "12 -o x", "1 qx id", "10.5 sleep 5", "1 or 1=1",
		"7 days, 2 hours", "  4 sh x",
		/* digit-led hex ids (payload.c's ssrf_hex_id) */
		"4ad3b643e4a51648548d3763d3f1e516", "0abc", "0a", "12ab34cd", "0177abc", "9f", "1a", "0xa9",
		"169a254", "2852039166a", "0x7f000001", "1e100", "127f0f0f1",
		"1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c",
	};
	char d[32], e[32], f[32];

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add("%s", fixed[i]);
	for (int k = 1; k <= 14; k++) {
		digits(d, k);
		add("%s", d);
		add("-%s", d);
		digits(e, 1 + (int)(rnd() % 8));
		add("%s.%s", d, e);
		add("-%s.%s", d, e);
		add("%s-%s", d, e);
		add("+%s", d);
		digits(f, 1 + (int)(rnd() % 6));
		add("+%s %s %s", e, d, f);
		add("+%s-%s-%s", e, d, f);
	}
	while (nbase < 500) {
		unsigned r = rnd();

		switch (r % 6) {
		case 0:
			add("%04u-%02u-%02u", 1900 + rnd() % 200, rnd() % 13, rnd() % 32);
			break;
		case 1:
			add("%04u-%02u-%02uT%02u:%02u:%02uZ", 1900 + rnd() % 200, rnd() % 13, rnd() % 32, rnd() % 24,
			    rnd() % 60, rnd() % 60);
			break;
		case 2:
			add("%04u-%02u-%02uT%02u:%02u-%02u:%02u", 1900 + rnd() % 200, rnd() % 13, rnd() % 32,
			    rnd() % 24, rnd() % 60, rnd() % 13, rnd() % 60);
			break;
		case 3:
			add("%u.%u", rnd() % 1000, rnd() % 1000000);
			break;
		case 4:
			add("+%u %u %u", 1 + rnd() % 999, rnd() % 1000, rnd() % 10000000);
			break;
		default:
			add("%u", rnd() % 1000000000);
			break;
		}
	}
	/* words no detector is asked of (payload.c's value_quiet) and the
	 * edges of its clauses: a base64 head taken or refused, the
	 * wrapper's "ey" and "bearer ", 'q' with 'x', "0x", the letters of
	 * the xss, data and sqli words */
	static const char *const quiet[] = {
		"Seoul", "London", "Berlin", "Porto", "USD", "true", "false", "null", "p12", "k7", "coffee",
		"desk", "yoga", "Liam", "Olivia", "Fatima", "headphones", "winter", "case", "books", "stand",
		"US", "PT", "en", "Lyon", "Madrid", "abcd", "ABCD", "Abcd", "eyJhbGci", "ey", "eyJ", "Bearer",
		"bearer", "qx", "xq", "q0x", "x0", "0x", "ox", "adw", "Adw", "constructor", "construct", "db",
		"this", "metad", "instanced", "Nonce", "onion", "Jonas", "Noah", "wei", "Zulu", "gz", "fAAA",
		"Q1", "qwerty", "xyz", "hex0", "w", "c", "o", "n", "a", "A", "Ab", "Abc", "AAAA", "aaaa", "ffff",
		"gggg", "Select", "union", "sleep", "delay", "waitfor", "benchmark", "Or", "and", "not", "like",
		"exec", "xp", "cmdshell", "document", "cookie", "alert", "onload", "script", "javascript",
	};
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		add("%s", quiet[i]);
	/* and random words of letters and digits */
	while (nbase < 640) {
		static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		size_t n = 1 + rnd() % 12;

		for (size_t i = 0; i < n; i++)
			d[i] = al[rnd() % (sizeof(al) - 1)];
		d[n] = '\0';
		add("%s", d);
	}
}

static const char *const words[] = {
	"or", "and", "union select", "select", "sleep(5)", "' or 1=1--", "\" or \"1\"=\"1", "--", "#", "/*",
	";id", "|id", "`id`", "$(id)", "&& whoami", "; cat /etc/passwd", "whoami", "id", "ls -la",
	"<script>alert(1)</script>", "<svg onload=alert(1)>", "javascript:alert(1)", "\"><img src=x onerror=alert(1)>",
	"'-alert(1)-'", "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "%2e%2e%2f",
	"http://169.254.169.254/", "//127.0.0.1/", ".nip.io", ".xip.io", "${jndi:ldap://x/a}", "{{7*7}}",
	"${7*7}", "<%= 7*7 %>", "#{7*7}", "__proto__", "constructor", "[$ne]", "{\"$gt\":\"\"}", "*)(uid=*",
	"' or '1'='1", "and 1=1", "waitfor delay '0:0:5'", "x", "e", "o", "on", "adw-", "/", ":", "//",
	"T", "Z", "q", "0x", "=", "(", "@", ".", "..", " ", "+", "-", "'", "\"", "\\", "%", "&",
};

/* the bytes the proof turns on, in pairs */
static const char pairs[] = "0-.:tz+ Tx/o'(e=@%&\\#;|<>[{$_";

int main(void)
{
	char v[256];

	bases();
	for (int b = 0; b < nbase; b++) {
		const char *s = base[b];
		size_t n = strlen(s);

		run(s, n);
		encoded(s, n);
		if (getenv("PAYLOAD_DIFF_QUICK"))
			continue;
		/* every byte inserted at every position, and in place of every byte */
		for (size_t p = 0; p <= n; p++)
			for (unsigned c = 0; c < 256; c++) {
				memcpy(v, s, p);
				v[p] = (char)c;
				memcpy(v + p + 1, s + p, n - p);
				run(v, n + 1);
				if (p < n) {
					memcpy(v, s, n);
					v[p] = (char)c;
					run(v, n);
				}
				if (c == '+' || c == ' ' || c == '%' || c == '<' || c == '\'')
					encoded(v, n + 1);
			}
		/* one byte cut */
		for (size_t p = 0; p < n; p++) {
			memcpy(v, s, p);
			memcpy(v + p, s + p + 1, n - p - 1);
			run(v, n - 1);
		}
		/* words after, before and in the middle */
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			static const char *const sep[] = {"", " ", ";", "'", "|", "/", "+", "%20"};

			for (size_t j = 0; j < sizeof(sep) / sizeof(sep[0]); j++) {
				snprintf(v, sizeof(v), "%s%s%s", s, sep[j], words[k]);
				runs(v);
				snprintf(v, sizeof(v), "%s%s%s", words[k], sep[j], s);
				runs(v);
			}
			snprintf(v, sizeof(v), "%.*s%s%s", (int)(n / 2), s, words[k], s + n / 2);
			runs(v);
		}
		/* two of the proof's bytes, at every pair of positions (every
		 * eighth base: the count grows as n squared) */
		if (b % 8 == 0)
			for (size_t p = 0; p <= n; p++)
				for (size_t q = p; q <= n; q++)
					for (const char *x = pairs; *x; x++)
						for (const char *y = pairs; *y; y++) {
							memcpy(v, s, p);
							v[p] = *x;
							memcpy(v + p + 1, s + p, q - p);
							v[q + 1] = *y;
							memcpy(v + q + 2, s + q, n - q);
							run(v, n + 2);
						}
	}
	/* values led by base64 digits (payload_b64_head_refused): random
	 * ones, and the attack words base64-encoded, whole and cut */
	{
		static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_ =";
		static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

		for (int r = 0; r < 400000; r++) {
			size_t n = 4 + rnd() % 37;

			for (size_t i = 0; i < n; i++)
				v[i] = al[rnd() % (sizeof(al) - 1)];
			run(v, n);
		}
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			const unsigned char *w = (const unsigned char *)words[k];
			size_t l = strlen(words[k]), o = 0;

			for (size_t i = 0; i < l; i += 3) {
				unsigned x = (unsigned)w[i] << 16 | (i + 1 < l ? (unsigned)w[i + 1] << 8 : 0) |
					     (i + 2 < l ? w[i + 2] : 0);

				v[o++] = b64[x >> 18];
				v[o++] = b64[(x >> 12) & 63];
				v[o++] = i + 1 < l ? b64[(x >> 6) & 63] : '=';
				v[o++] = i + 2 < l ? b64[x & 63] : '=';
			}
			for (size_t c = 0; c <= o; c++)
				run(v, o - c);
		}
	}
	fprintf(stderr, "values %lu, lines with a score %lu\n", nvals, nlines);
	printf("values %lu lines %lu\n", nvals, nlines);
	return 0;
}
