/* payload_wrap.c - data payloads inside a value that is evidently a
 * base64 wrapper: a JSON Web Token (RFC 7515 compact serialisation, its
 * protected header and its claims) or a whole value of base64 text
 * (payload_b64_unwrap's test). An application that decodes the wrapper
 * logs a claim (a log4j lookup in "sub" or "kid" runs there), fetches the
 * header's key URL ("jku", "x5u": SSRF), parses the XML (a SAML message is
 * base64 XML: XXE) or hands the JSON to its database (NoSQL operators,
 * __proto__). The SQL and shell detectors unwrap base64 themselves; this
 * file judges the wrapped text with the data, template and traversal
 * detectors (a JWT's strings with every detector; markup that opens the
 * text with the XSS detector), and a finding says which
 * wrapper held it. Linear, bounded by WRAP_MAX. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_b64.h"
#include "collector/detect/ident.h"
#include "collector/detect/norm.h"

#include <stdint.h>
#include <string.h>

#define WRAP_MAX 2048 /* decoded bytes of one wrapper judged */

enum { WRAP_B64, WRAP_JWT };

static const char *const wrap_why[2][PAYLOAD__COUNT] = {
	[WRAP_B64] = {
		[PAYLOAD_TRAVERSAL] = "path traversal inside a base64 value",
		[PAYLOAD_SSTI] = "template expression inside a base64 value",
		[PAYLOAD_SSRF] = "metadata or smuggling url inside a base64 value",
		[PAYLOAD_JNDI] = "log4j lookup inside a base64 value",
		[PAYLOAD_XXE] = "external entity declaration inside base64 xml",
		[PAYLOAD_NOSQLI] = "query operator inside a base64 value",
		[PAYLOAD_PROTO_POLLUTION] = "prototype key inside a base64 value",
		[PAYLOAD_SHELLSHOCK] = "bash function definition inside a base64 value",
		[PAYLOAD_XSS] = "markup injection inside a base64 value",
	},
	[WRAP_JWT] = {
		[PAYLOAD_SQLI] = "sql injection inside a jwt",
		[PAYLOAD_XSS] = "markup injection inside a jwt",
		[PAYLOAD_TRAVERSAL] = "path traversal inside a jwt",
		[PAYLOAD_CMDI] = "command injection inside a jwt",
		[PAYLOAD_SSTI] = "template expression inside a jwt",
		[PAYLOAD_SSRF] = "metadata or smuggling url inside a jwt",
		[PAYLOAD_JNDI] = "log4j lookup inside a jwt",
		[PAYLOAD_XXE] = "external entity declaration inside a jwt",
		[PAYLOAD_NOSQLI] = "query operator inside a jwt",
		[PAYLOAD_PROTO_POLLUTION] = "prototype key inside a jwt",
		[PAYLOAD_SHELLSHOCK] = "bash function definition inside a jwt",
		[PAYLOAD_LDAPI] = "ldap filter injection inside a jwt",
		[PAYLOAD_XPATHI] = "xpath injection inside a jwt",
	},
};

/* sub's findings into a, said to be inside a wrapper of kind wk. A
 * loopback or private URL inside a wrapper is not counted: a token's
 * "iss" names its issuer, often a development host, and nothing fetches
 * it; a metadata host or a smuggling scheme is. */
static void merge(struct payload_acc *a, const struct payload_acc *sub, int wk)
{
	for (int k = 1; k < PAYLOAD__COUNT; k++) {
		if (!wrap_why[wk][k] || sub->score[k] < PAYLOAD_MIN_SCORE)
			continue;
		if (k == PAYLOAD_SSRF && sub->score[k] <= PAYLOAD_SSRF_LOCAL_MAX)
			continue;
		payload_acc_hit(a, (enum payload_kind)k, sub->score[k], wrap_why[wk][k]);
	}
}

/* Judge the text t[0..tn) a wrapper of kind wk held, found in v, with
 * the data, template and (base64 only) traversal detectors, into a. */
static void judge(const struct payload_val *v, const char *t, size_t tn, int wk,
		  struct payload_acc *a)
{
	char lo[WRAP_MAX + 1];
	struct payload_val w;
	struct payload_acc sub;

	if (tn > WRAP_MAX)
		tn = WRAP_MAX;
	struct payload_val g;
	unsigned may;

	memset(&sub, 0, sizeof(sub));
	payload_b64_val(v, t, tn, lo, &w);
	lo[tn] = '\0';
	/* the byte and word gates run_detectors asks, on the text's census
	 * (a short word read as base64, "Lyon", opens none of them); the
	 * detectors still get w with every census bit set, as before. Each
	 * of the four reads has only to skip a search for a byte it needs
	 * (payload_tmpl.c's present_quote is read inside a delimiter, which
	 * ssti_words' bytes hold), so the gates' proofs hold for w too. */
	g = w;
	may = payload_data_may(&g, payload_census_lo(t, lo, tn, g.has));
	if (may >> PAYLOAD_JNDI & 1)
		payload_jndi_scan(&w, &sub);
	if (may >> PAYLOAD_SSTI & 1)
		payload_ssti_scan(&w, &sub);
	if (may >> PAYLOAD_XXE & 1)
		payload_data_scan(&w, &sub);
	if (may >> PAYLOAD_SSRF & 1)
		payload_ssrf_scan(&w, &sub);
	/* a file parameter an application decodes before it opens the
	 * file ("Li4vLi4v..." is "../../"): the traversal detector on the
	 * text (a JWT's strings are judged by every detector already) */
	if (wk == WRAP_B64)
		payload_trav_scan(&w, &sub);
	/* markup an application decodes and writes into its page
	 * (<script>, <img onerror>): the text opens with a tag or the
	 * quote and '>' that close an attribute and its tag */
	if (wk == WRAP_B64 && tn > 1 && t[0] && strchr("<\"'>", t[0]) && payload_has(&g, '<'))
		payload_xss_scan(&w, &sub);
	merge(a, &sub, wk);
}

/* Every string value of the JSON j[0..n) judged as a value of the
 * application, by every detector (payload_scan_value), into a: a JWT's
 * "kid" is looked up in a table, a file or a command. A string that is a
 * JWT again is opened too, so that a value is read the same at any depth
 * (payload.c keeps findings by value, whatever held it). Each level is
 * under 3/4 of the one above, so from WRAP_MAX a chain ends within ~15
 * levels; WRAP_DEPTH only guards the stack. */
#define WRAP_DEPTH 32

static __thread int wrap_depth;

/* A short run of letters and digits ("HS256", "JWT", an id): no detector
 * finds anything in one (a base64 reading of it is no claim an
 * application decodes), and a token holds many. */
static int plain_word(const char *s, size_t n)
{
	if (n > 12)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!payload_is_alnum((unsigned char)s[i]) || s[i] == '_')
			return 0;
	return 1;
}

/* Is the string that closed before j[p] an object key (':' follows)? Keys
 * name claims; the whole JSON's reading (judge) sees them. */
static int key_at(const char *j, size_t n, size_t p)
{
	while (p < n && payload_is_space((unsigned char)j[p]))
		p++;
	return p < n && j[p] == ':';
}

static void json_strings(const char *j, size_t n, struct payload_acc *a)
{
	char str[WRAP_MAX];
	struct payload_acc sub;

	memset(&sub, 0, sizeof(sub));
	wrap_depth++;
	for (size_t i = 0; i < n; i++) {
		size_t w = 0;

		if (j[i] != '"')
			continue;
		/* \" \\ \/ undone; \uXXXX left to the value's decoding */
		for (i++; i < n && j[i] != '"'; i++) {
			if (j[i] == '\\' && i + 1 < n && (j[i + 1] == '"' || j[i + 1] == '\\' || j[i + 1] == '/'))
				i++;
			str[w++] = j[i];
		}
		if (w && !plain_word(str, w) && !key_at(j, n, i + 1))
			payload_scan_value(str, w, PAYLOAD_WHERE_BODY, NORM_PERCENT | NORM_HTML | NORM_UNICODE,
					   &sub);
	}
	wrap_depth--;
	merge(a, &sub, WRAP_JWT);
}

static int b64url_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* One JWT segment s[0..l): base64url of a JSON object, decoded (a prefix
 * of it past WRAP_MAX bytes) with its \uXXXX escapes undone, and judged. */
static void jwt_part(const struct payload_val *v, const char *s, size_t l, struct payload_acc *a)
{
	uint8_t raw[WRAP_MAX];
	char text[WRAP_MAX + 1];
	int rn;
	size_t tn;

	if (l > WRAP_MAX / 3 * 4)
		l = WRAP_MAX / 3 * 4;
	rn = ident_b64url_decode(s, l, raw, sizeof(raw));
	if (rn < 2 || raw[0] != '{')
		return;
	tn = norm_decode((const char *)raw, (size_t)rn, text, sizeof(text), NORM_UNICODE);
	if (tn)
		judge(v, text, tn, WRAP_JWT, a);
	json_strings((const char *)raw, (size_t)rn, a);
}

/* v holds a JWT ("ey..." "." "..." "." "...", after blanks and an
 * optional "Bearer "): its header and claims judged (1), else 0. */
static int jwt_scan(const struct payload_val *v, struct payload_acc *a)
{
	const char *s = v->s, *lo = v->lo;
	size_t n = v->n, i = 0, dot[2], nd = 0, e;

	while (i < n && payload_is_space((unsigned char)lo[i]))
		i++;
	if (payload_at(lo, n, i, "bearer "))
		i += 7;
	if (!payload_at(s, n, i, "ey"))
		return 0;
	for (e = i; e < n && (b64url_char((unsigned char)s[e]) || s[e] == '.'); e++) {
		if (s[e] != '.')
			continue;
		if (nd == 2)
			return 0;
		dot[nd++] = e;
	}
	while (e < n && payload_is_space((unsigned char)lo[e]))
		e++;
	if (nd != 2 || e != n || dot[0] == i || dot[1] == dot[0] + 1)
		return 0;
	jwt_part(v, s + i, dot[0] - i, a);
	jwt_part(v, s + dot[0] + 1, dot[1] - dot[0] - 1, a);
	return 1;
}

/* WRAP_B64N: the bytes of a value payload_wrap_scan unwraps whole */
#define WRAP_B64N (WRAP_MAX / 3 * 4)

int payload_wrap_may(const struct payload_val *v, int b64)
{
	const char *s = v->s, *lo = v->lo;
	size_t n = v->n;

	/* payload_wrap_scan: jwt_scan reads a JWT only from "ey" after
	 * blanks and "bearer "; the rest is payload_b64_unwrap of v whole
	 * while n <= WRAP_B64N (with a cap it needs no more of: WRAP_B64N /
	 * 4 * 3 + 2 == sizeof(t)), of a prefix past it */
	return b64 || n > WRAP_B64N || n == 0 || payload_is_space((unsigned char)lo[0]) ||
	       payload_at(lo, n, 0, "bearer ") || payload_at(s, n, 0, "ey");
}

void payload_wrap_scan(const struct payload_val *v, struct payload_acc *a)
{
	char t[WRAP_MAX];
	size_t tn;
	int weak;

	if (v->n < PAYLOAD_B64_SHORT || wrap_depth >= WRAP_DEPTH || jwt_scan(v, a))
		return;
	tn = payload_b64_unwrap(v->s, v->n > WRAP_B64N ? WRAP_B64N : v->n, t,
				sizeof(t), &weak);
	if (tn)
		judge(v, t, tn, WRAP_B64, a);
}
