/* test_payload_r11t.c - issue 20, the eleventh red team on traversal (t):
 * a climb or a sensitive file in a header no scan list names (X-File,
 * X-Original-URL, Destination: the any-header reading), while real
 * header values (browser User-Agents, Referers, forwarding chains,
 * tracing, Accept values, cookies) draw nothing there; and a sentence
 * that opens with a classic target ("/etc/passwd is the user database
 * on Linux") told, not killed, where the name alone, "cat /etc/passwd"
 * and a name with a suffix stay killed.
 * Table rows as in payload_rt_table.h; header rows through
 * payload_scan_any_header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"
#include "common/inflate.h"

#include "tests/unit/payload_rt_table.h"

#define T PAYLOAD_TRAVERSAL
#define N PAYLOAD_NONE

/* v's best score of kind (PAYLOAD__COUNT: any) in the any-header reading */
static int hdr_best(const char *v, int kind)
{
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan_any_header(v, strlen(v), m, PAYLOAD__COUNT), b = 0;

	for (int i = 0; i < k; i++)
		if ((kind == PAYLOAD__COUNT || (int)m[i].kind == kind) && m[i].score > b)
			b = m[i].score;
	return b;
}

/* a file name or path a custom header carries to an application that
 * opens it: every encoding the query reading undoes, undone here too */
static void test_header_climbs(void **st)
{
	(void)st;
	static const char *const t[] = {
		"../../../../etc/passwd",
		"..%2f..%2f..%2fetc%2fpasswd",
		"..%252f..%252f..%252fetc%252fpasswd",
		"%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
		"%u002e%u002e%u002f%u002e%u002e%u002fetc%u002fpasswd",
		"0x2e0x2e/0x2e0x2e/0x2e0x2e/etc/passwd",
		"....//....//....//etc/passwd",
		"..\\..\\..\\windows\\win.ini",
		"/..\\../..\\../etc/passwd",
		"../../../etc/passwd%00.png",
		"..;/..;/..;/etc/passwd",
		"/etc/passwd",
		"/proc/self/environ",
		"c:\\windows\\win.ini",
		"file:///etc/passwd",
		"php://filter/convert.base64-encode/resource=../config.php",
		"http://example.com/../../../../etc/passwd",
		"/static/..%2f..%2f..%2fetc/passwd",
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int b = hdr_best(t[i], T);
		if (b < 60) {
			bad++;
			fprintf(stderr, "  FAIL header climb below the kill line (%d): %s\n", b, t[i]);
		}
	}
	assert_int_equal(bad, 0);
}

/* real header values: nothing at the kill line in the any-header reading */
static void test_header_benign(void **st)
{
	(void)st;
	static const char *const t[] = {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
		"curl/8.4.0",
		"https://www.google.com/",
		"https://example.com/docs/guide/../intro?ref=nav",
		"https://example.com/search?q=..%2Fetc&page=2",
		"203.0.113.7, 198.51.100.23, 10.0.0.1",
		"en-US,en;q=0.9,fr;q=0.8",
		"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; theme=dark",
		"W/\"5e15153d-120f\"",
		"/api/v1/users/42",
		"bytes=0-1023",
		"\"Chromium\";v=\"120\", \"Not?A_Brand\";v=\"8\"",
		"/var/www/html/index.php",
		"/home/deploy/app/current",
		"sentry-environment=production,sentry-release=web%401.2.3",
		"..",
		"...",
		"1.2..1.5",
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int b = hdr_best(t[i], PAYLOAD__COUNT);
		if (b >= 60) {
			bad++;
			fprintf(stderr, "  FAIL header value killed (%d): %s\n", b, t[i]);
		}
	}
	assert_int_equal(bad, 0);
}

/* a sentence that opens with a classic target explains it: told; the
 * name alone, after a command, with a suffix or a climb: killed */
static void test_classic_lead_sentence(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/etc/passwd", T},
		{"cat /etc/passwd", T},
		{"/etc/passwd%00", T},
		{"/etc/passwd #", T},
		{"/etc/passwd && id", T},
		{"../../etc/passwd is here", T},
	};
	static const char *const told[] = {
		"/etc/passwd is the user database on Linux",
		"/etc/passwd: No such file or directory",
		"/etc/shadow stores the hashed passwords",
		"/proc/self/environ holds the environment of the process",
		"C:\\Windows\\win.ini is a legacy settings file",
	};

	rt_run_kill("classic lead", T, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("classic lead told", told, sizeof(told) / sizeof(told[0]));
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		for (int ctx = 0; ctx < 2; ctx++)
			if (rt_best(told[i], ctx, T) < 50)
				fail_msg("%s: not told in context %d", told[i], ctx);
}

/* SAML's redirect binding (SAMLRequest=, SAMLResponse=) carries the
 * message as raw DEFLATE in base64: a DOCTYPE with an external entity
 * inside it reaches the identity provider's parser. A real request
 * deflated (no DOCTYPE) and random base64 draw nothing. */
static void test_saml_deflated(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"bY5NC4JAFAD/yvOBVz86vtYVSQ9CVuQSSEQsKijorrlr+POToFvngZlh8ToO8G5n02sVYegFGHPmpOeDqC4ZGDkOEyWL7dS1fS2tsXBnTnYSuajAhRXKqhRZAdhZO5HvS88Ojb96jW2Qu+v+wdkfxZZUhr4gwmVWpKXpDSk5toZsTWVSHGnnBTTN2upaDwh5GuEzRLj9TjeMPv8A", PAYLOAD_XXE},
		{"XY3BCoJAFEV/5TmLlk24fI0DkS4EtcjZSEQMNoUwOpNvJD+/yE20vPdczhVRetir5pjBCGcRZZXKVQMz1E2tshLYvbMGOecmtNxroteNyYsUpHvrsXAPN4WTeU6GAsy9HQi/JGHTOKDT1BEOujeEocV6VxYYrzfoRxdc6yyDPE3YNWaLD6vPMk/lat4K/lss6e9OvgE=", PAYLOAD_XXE},
		{"Nc7RCoIwFIDhVzmd+5x1FQenSBoESZEWeBXDrRTmZm6Gj58EXX8X/x8lc6/ho0bXWcNxE4QIyjRWdubF8VYd1jtM4miVnfdVfcnhaS2UdVnlBWDr/UCMicBryeZAeolx5ESvB0on35qrek/KeVgKxtEPOE6jIStc58iIXjnyDZVpcaJtENIwWm8bqxGOGceHQLj/xxZGFn8B", PAYLOAD_XXE},
		/* no '/' or '_' in it: read for its '+' */
		{"XU7LCoJAFP2V8S5aOtryNo5EuhCyIiWQiBCZSNAZmavh52dJFC3P+4hwbBv2UJZqowPwXQ9CKZxov8mLQ8yobJsOj4o6o0mxs3DiXZ7kBRtZVmR5nDK41Y1CzrnqK3431OuyVSAvUvxlpx1N+CYDGKxGU1JN+LIT9hVm63SLS9fDzpreVKYBlkQBXK0P7PT5N+kwN2NCNCgrF+NK8F9iRt9h+QQ=", PAYLOAD_XXE},
		{"fZJPj9owEMW/SuQ7iRP+ZGMBFYW2i0QhIrSHXirXnhRLsZ16HMp++zWhXcFhudrvvZnfzEyR66Zli84fzR7+dIA+OuvGIOs/ZqRzhlmOCpnhGpB5warF1w3LYspaZ70VtiE3lscOjgjOK2tItF7NyG77abP7st7+fKJFTvOa0iHlY0npJKOikIWsi7yeZDmvoZBCZCMSfQeHwT8jIY5EpbMnJcFtQ6UZqcrIB4CQjdjB2qDnxgclTUcDmg/SySEbsnHGRuMfJFoFpTLc92FH71uWJEq2MZy5bhuIhdVJVe0qcCclIG6PbV+uB/6ojFTm92PWX1cRsufDoRyUu+pAosV//qU12Glw/+K/7TdvTeB9DxK0TZOQBedLEx+4QDKfXkbNekw3f+TT4Lnknl+s0+TWNb1u/jK59aq0jRIv0WfrNPfvY6Vx2r8oOah7KQPNVbOQ0gFiwGsa+3fpgPuwDe86IMn8WvX+xOav", N},
		{"ndHNSsQwEADgVym5bzsppT9DWxR6KaweVDx4kZCmayBNaiaFfXzbrsKq4EGYS2aYb2ZITWIyMx7dyS3hQb0vikJ0nowl3CsNW7xFJ0gTWjEpwiDx8fbuiGkMOHsXnHSGRX3XsNeUD2PFRVkVeVEW1ShhLIYxFzyrQOYAIEueZ9nAomflSTvbsFVZm4kW1VsKwoY1BWl2AH7g8MQBYYsXFnXrYtqKsHe9hTATJoke5lidxTQbFTt/Ssg41tbb4rib/uqUvy8RRMpvOGu/cPpm18kV+znjfmX67j8zhNFS3fzmL2J7ef34lvYD", N},
		{"R3wM5F49sCh2iRmjW9wYCoef12FcOR+nq4ReyZ9Ij4pe3RmvENaAkdHLXp2/ywyY3dotLuO2Mt3OHWR6zQMx6mNXD8CyW6i2YeMSIERnMxpj0j5L6xY9/0WR8vMhtTiEPQlfsyCuMVfeiVoVJ2G0PG6C+SJcC40x8GrOsDxcE3nBEGlo+sMZ1u2Bf3Y5iCFQW6MdD/9RjxX5D40Cbud34txHta+EBMI2WbmOhmCEjlGy/f9FYf/PryfGY1IrGcKteBtOZLkApAs6GiEyIluDm6DSqqQad6SQAXp8HTyhmAyhOTTjqllR9JHUybVHzp14dL8U7Y9vL0F6nkfjGYN8Tjr2p1XAI61pwkPq3hjK6uG4apIFKTtP6Chv8YhAClKbemWsy+VZz+fZhmp9", N},
		{"Qic9nxPIqmEvFypkWXUxU5GQXormrBnRtcNzl7fMi3+fdBiWkydPQs6ymC/zQORtlRFRCDh2gi8LyJyJ1jdTi+GYIKtPghTBmcwWM/8uqZtdRWRr9Rf51Dba21ejPnL6zZnkf5x20lT3PN7Kd/33D4HTNHotf6fezkzba67kH5R+9GGoFFVSFnTBKS7DhQnesvW7yZAW1FFag6S5ROMEP+TGj/0zYf5pGEJVUAiGvwq6Db48GX3vaM0hT4M0lQAyInl8zSJbT6XzMy8ECg//n0sCRIgatwmHlefsFxBmCtv4prJ85RpQQp8islTi9/uGrG5wUsQLFqWJd0YZYQXKmAMb+GbAP0+EBIPmvOJtMAsap92LTn5GJFE8tJeoiksoEgtArlYEKSNZJ/z5", N},
	};
	uint64_t before[INFLATE__COUNT], after[INFLATE__COUNT];

	inflate_counts(before);
	rt_run_kill("saml deflated", PAYLOAD_XXE, t, sizeof(t) / sizeof(t[0]));
	/* the detector's guesses are not counted as decoded bodies */
	inflate_counts(after);
	assert_memory_equal(before, after, sizeof(before));
}

/* a Windows climb in base64: the text holds no '/', only '\\' */
static void test_base64_windows_climb(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"Li5cLi5cLi5cd2luZG93c1x3aW4uaW5p", T},           /* ..\..\..\windows\win.ini */
		{"Li5cLi5cLi5cYm9vdC5pbmk=", T},                   /* ..\..\..\boot.ini */
		{"QzpcV2luZG93c1x3aW4uaW5p", T},                   /* C:\Windows\win.ini */
		{"QzpcVXNlcnNcYWxpY2VcRG9jdW1lbnRzXHJlcG9ydC5kb2N4", N}, /* C:\Users\alice\Documents\report.docx */
		{"ZG9jc1xndWlkZVxpbnN0YWxsLm1k", N},               /* docs\guide\install.md */
	};
	rt_run_kill("base64 windows climb", T, t, sizeof(t) / sizeof(t[0]));
}

/* a DOCTYPE or an entity declaration in a header an application parses
 * as XML (a SOAP or SAML message passed in a header of its own): the
 * any-header reading judges it as a value; real headers that hold '<'
 * (Link, Accept's "<" free lists) draw nothing */
static void test_header_xxe(void **st)
{
	(void)st;
	static const char *const t[] = {
		"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
		"<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://a.tld/x.dtd\"><r/>",
		"<!DOCTYPE r [<!ENTITY % d SYSTEM \"http://a.tld/d.dtd\">%d;]><r/>",
		"%3C%21DOCTYPE%20r%20%5B%3C%21ENTITY%20x%20SYSTEM%20%22file%3A%2F%2F%2Fetc%2Fpasswd%22%3E%5D%3E%3Cr%3E%26x%3B%3C%2Fr%3E",
	};
	static const char *const ok[] = {
		"<https://api.example.com/items?page=2>; rel=\"next\", <https://api.example.com/items?page=9>; rel=\"last\"",
		"</static/app.css>; rel=preload; as=style",
		"<urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66>",
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>",
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int b = hdr_best(t[i], PAYLOAD_XXE);
		if (b < 60) {
			bad++;
			fprintf(stderr, "  FAIL header xxe below the kill line (%d): %s\n", b, t[i]);
		}
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int b = hdr_best(ok[i], PAYLOAD__COUNT);
		if (b >= 60) {
			bad++;
			fprintf(stderr, "  FAIL header value killed (%d): %s\n", b, ok[i]);
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_climbs),
		cmocka_unit_test(test_header_benign),
		cmocka_unit_test(test_classic_lead_sentence),
		cmocka_unit_test(test_saml_deflated),
		cmocka_unit_test(test_base64_windows_climb),
		cmocka_unit_test(test_header_xxe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
