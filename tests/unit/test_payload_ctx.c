/* test_payload_ctx.c - what the data detectors make of a value's context:
 * the parameter that carries it (a redirect_uri is followed by a browser,
 * never fetched by the server) and the wrappers it arrives in (base64, a
 * JWT's segments). Each case is a whole query string or form body judged
 * by payload_scan_query, as a server receives it; an attack must draw its
 * own kind, a benign case nothing at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct qcase {
	const char *q;
	enum payload_kind want; /* PAYLOAD_NONE: nothing may match */
};

#define N PAYLOAD_NONE
#define S PAYLOAD_SSRF

static void run_qtable(const char *cls, const struct qcase *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct payload_match m[PAYLOAD__COUNT];
		unsigned set = 0;

		for (int pass = 0; pass < 2; pass++) {
			int k = payload_scan_query(t[i].q, strlen(t[i].q),
						   pass ? PAYLOAD_WHERE_BODY : PAYLOAD_WHERE_QUERY, m,
						   PAYLOAD__COUNT);

			for (int j = 0; j < k; j++)
				set |= 1u << m[j].kind;
			if (k && ((t[i].want == N) || !((set >> t[i].want) & 1)))
				fprintf(stderr, "  %s: %s %d %s\n", cls, payload_kind_names[m[0].kind],
					m[0].score, m[0].why);
		}
		if (t[i].want == N ? set != 0 : !((set >> t[i].want) & 1)) {
			bad++;
			fprintf(stderr, "  FAIL %s %s: %s\n", cls,
				t[i].want == N ? "benign flagged" : "attack missed", t[i].q);
		}
	}
	assert_int_equal(bad, 0);
}

/* RFC 6749 3.1.2 / RFC 8252 7.3: a loopback or private redirect_uri is a
 * native or development client; the same address in a parameter the
 * server fetches is SSRF, and a metadata address is SSRF whatever the
 * parameter is called. */
static void test_ssrf_redirect_uri(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2F&response_type=code", N},
		{"redirect_uri=http://localhost:3000/callback", N},
		{"redirect_uri=http%3A%2F%2Flocalhost%2Fauth%2Fcb%3Fprovider%3Dgithub", N},
		{"redirect_uri=https%3A%2F%2F10.0.0.15%3A8443%2Foauth%2Fcallback%3Fnext%3D%252Fdashboard", N},
		{"redirectUri=http://[::1]:8080/cb", N},
		{"post_logout_redirect_uri=https://192.168.1.20/signed-out", N},
		{"redirect_uris%5B%5D=http://127.0.0.1:8080/cb", N},
		{"grant_type=authorization_code&code=x1&redirect_uri=http://127.0.0.1:8400/", N},
		/* an authorization request URL carried whole in another parameter */
		{"next=https%3A%2F%2Faccounts.example.com%2Fo%2Foauth2%2Fauth%3Fclient_id%3D9.apps"
		 "%26redirect_uri%3Dhttps%253A%252F%252F10.0.0.15%253A8443%252Foauth%252Fcallback"
		 "%26response_type%3Dcode", N},
		/* fetched by the server: SSRF */
		{"url=http://127.0.0.1:53682/", S},
		{"callback=http://localhost:3000/callback", S},
		{"request_uri=http://127.0.0.1:8080/req.jwt", S},
		{"image_url=https://10.0.0.15:8443/a.png", S},
		{"next=https%3A%2F%2Fa.example%2Fauth%3Fwebhook%3Dhttp%253A%252F%252F10.0.0.1%252F", S},
		/* metadata and smuggling schemes stay, whatever the name */
		{"redirect_uri=http://169.254.169.254/latest/meta-data/", S},
		{"redirect_uri=http://metadata.google.internal/computeMetadata/v1/", S},
		{"redirect_uri=http://[fd00:ec2::254]/latest/", S},
		{"redirect_uri=http://100.100.100.200/latest/meta-data/", S},
		{"redirect_uri=http://169.254.1.1/", S},
		{"redirect_uri=gopher://127.0.0.1:6379/_INFO", S},
		{"redirect_uri=file:///etc/hostname", S},
		{"redirect_uri=http://127.0.0.1/%3Fu%3Dfile:///etc/hostname", S},
		{"redirect_uri=metadata.google.internal/x%3Fu%3Dhttp://127.0.0.1/", S},
		{"redirect_uri=http://localhost/cb%3Fu%3Dhttp://169.254.169.254/", S},
		{"x=1&redirect_uri=http://127.0.0.1/&url=http://127.0.0.1/", S},
		{"a=https%3A%2F%2Fx.example%2F%3Fredirect_uri%3Dhttp%253A%252F%252F169.254.169.254%252F", S},
	};
	run_qtable("ssrf-redirect", t, sizeof(t) / sizeof(t[0]));
	/* the cache of findings by value holds what a value is worth in any
	 * parameter: a redirect_uri seen first changes nothing for a url= */
	payload_cache_enable(1);
	run_qtable("ssrf-redirect cached", t, sizeof(t) / sizeof(t[0]));
	payload_cache_enable(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssrf_redirect_uri),
	};
	payload_cache_enable(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
