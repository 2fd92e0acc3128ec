/* payload_jndi.c - log4j JNDI lookups, resolved the way log4j resolves
 * nested lookups, so ${${lower:j}ndi:...} is seen as ${jndi:...} (split out
 * of payload_tmpl.c). */
#include "collector/detect/payload_int.h"

#include <string.h>

#define JNDI_DEPTH 8
#define JNDI_BUF 512

static void jput(char *out, size_t *w, size_t cap, const char *s, size_t l)
{
	for (size_t i = 0; i < l && *w + 1 < cap; i++)
		out[(*w)++] = s[i];
}

/* log4j 2 lookup prefixes (StrLookup plugins) that read the process,
 * its host or its request into the text, with their colon. Not the ones
 * that only make text of their argument (lower:, upper:, date:, a bare
 * default ::-): alone they read and reach nothing, and in an attack they
 * spell a lookup that is judged once resolved. */
static const char *const log4j_prefix[] = {
	"env:", "sys:", "java:", "ctx:", "main:", "jvmrunargs:", "k8s:", "docker:",
	"spring:", "log4j:", "bundle:", "web:", "marker:", "map:", "sd:", "event:",
	"base64:",
	/* Apache Commons Text's interpolators (CVE-2022-42889): a script
	 * engine, a DNS lookup, a URL or file read */
	"script:", "dns:", "url:", "file:",
};

/* The base64 inside a lookup's URL (JNDIExploit's
 * ldap://host/Basic/Command/Base64/aWQ=) is the attacker's LDAP server's
 * to decode, never the target's: the lookup is the harm and is found as
 * written. A lookup wrapped in base64 by the sender is the other
 * direction, the application decoding it before it logs: payload_wrap.c.
 *
 * Does b[0..l) begin with a URL scheme and its colon (ldap:, rmi:,
 * dns:, iiop:, corbaname:)? JNDI hands such a name to the context
 * factory of that scheme, which connects where it says; a name without
 * one ("${jndi:ldap}", "${jndi:...}") is looked up in the local initial
 * context and reaches nothing. */
static int jndi_url(const char *b, size_t l)
{
	size_t i = 0;

	while (i < l && i < 16 && b[i] >= 'a' && b[i] <= 'z')
		i++;
	return i >= 2 && i < l && b[i] == ':';
}

/* Is b[0..l) only the name of a scheme JNDI connects with? A lookup of
 * it alone reaches nothing, but followed at once by "://host" (a copied
 * payload closing its braces one early: "${...${lower:i}}://x/a") it is
 * the attacker's lookup spelt wrong, and counts (jres). 1 or 0. */
static int jndi_scheme(const char *b, size_t l)
{
	static const char *const schemes[] = { "ldap", "ldaps", "rmi", "dns", "iiop", "iiopname",
					       "corbaname", "corba", "nis", "nds", "http", "https" };

	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++)
		if (l == strlen(schemes[k]) && !memcmp(b, schemes[k], l))
			return 1;
	return 0;
}

/* Does b[0..l) begin with a log4j_prefix entry that names a lookup?
 * "docker:-x" is not one: StrSubstitutor splits the default at ":-"
 * first, so ${docker:-x} is the variable "docker" with the default "x",
 * as a shell writes ${DOCKER:-docker}; ${env:X:-j} and ${env::-j} still
 * name the env lookup. */
static int jprefix(const char *b, size_t l)
{
	/* every prefix opens with a lower-case letter: "${${${" is none */
	if (!l || b[0] < 'a' || b[0] > 'z')
		return 0;
	for (size_t k = 0; k < sizeof(log4j_prefix) / sizeof(log4j_prefix[0]); k++) {
		size_t pl;

		if (b[0] != log4j_prefix[k][0])
			continue;
		pl = strlen(log4j_prefix[k]);
		if (l >= pl && !memcmp(b, log4j_prefix[k], pl) && !(l > pl && b[pl] == '-'))
			return 1;
	}
	return 0;
}

/* Value of one lookup body (already resolved inside): a jndi lookup of a
 * URL sets bit 1 of *found, a lookup that reads data (log4j_prefix) bit 2;
 * "x:-default" yields the default; lower:/upper: yield their argument;
 * anything else (env:, sys:, unknown) yields nothing, as log4j does for a
 * missing key. */
static void jeval(const char *b, size_t l, char *out, size_t *w, size_t cap, int *found)
{
	if (l >= 5 && !memcmp(b, "jndi:", 5)) {
		*found |= jndi_url(b + 5, l - 5);
		*found |= jndi_scheme(b + 5, l - 5) << 2;
		return;
	}
	if (jprefix(b, l))
		*found |= 2;
	for (size_t i = 0; i + 1 < l; i++)
		if (b[i] == ':' && b[i + 1] == '-') {
			jput(out, w, cap, b + i + 2, l - i - 2);
			return;
		}
	if (l >= 6 && (!memcmp(b, "lower:", 6) || !memcmp(b, "upper:", 6))) {
		/* Java case-maps dotless i (U+0131) to I and long s (U+017F)
		 * to S: ${upper:\u0131} is "I" */
		for (size_t i = 6; i < l; i++) {
			if (i + 1 < l && (unsigned char)b[i] == 0xC4 && (unsigned char)b[i + 1] == 0xB1) {
				jput(out, w, cap, "i", 1);
				i++;
			} else if (i + 1 < l && (unsigned char)b[i] == 0xC5 &&
				   (unsigned char)b[i + 1] == 0xBF) {
				jput(out, w, cap, "s", 1);
				i++;
			} else {
				jput(out, w, cap, b + i, 1);
			}
		}
		return;
	}
	if (l >= 5 && !memcmp(b, "date:", 5)) { /* ${date:'j'} -> j */
		for (size_t i = 5; i < l; i++)
			if (b[i] != '\'')
				jput(out, w, cap, b + i, 1);
	}
}

/* Resolve lo[i..] up to the '}' closing this level (depth > 0) or the end;
 * returns the index after what was consumed. */
static size_t jres(const char *lo, size_t n, size_t i, int depth, char *out,
		   size_t *w, size_t cap, int *found)
{
	while (i < n) {
		if (lo[i] == '$' && i + 1 < n && lo[i + 1] == '{' && depth < JNDI_DEPTH) {
			char in[JNDI_BUF];
			size_t iw = 0;
			i = jres(lo, n, i + 2, depth + 1, in, &iw, sizeof(in), found);
			jeval(in, iw, out, w, cap, found);
			/* "${jndi:rmi}://x/a" (jndi_scheme) */
			if ((*found & 4) && i + 1 < n && lo[i] == ':' && lo[i + 1] == '/')
				*found |= 1;
			*found &= ~4;
			continue;
		}
		if (depth > 0 && lo[i] == '}')
			return i + 1;
		jput(out, w, cap, lo + i, 1);
		i++;
	}
	return n;
}

/* Is every lookup of lo[0..n) written plainly (no lookup inside it) and
 * one that reads a setting a configuration names (log4j's and Spring's
 * "${sys:user.home}/logs", "${env:HOME}", "${ctx:requestId}"), no secret
 * by its name (key, secret, token, password, credential)? Such a value is
 * a configuration line, and its lookup writes only into the log: told
 * under the kill line. A lookup spelt by lookups, a JVM or container
 * probe (java:, k8s:) or Commons Text's (script:, url:) stays. */
static int setting_lookups(const char *lo, size_t n)
{
	static const char *const soft[] = { "env:", "sys:", "ctx:", "main:", "marker:", "map:",
					    "event:", "log4j:", "spring:", "web:", "bundle:", "sd:", "date:" };
	static const char *const secret[] = { "key", "secret", "token", "pass", "cred", "pwd", "auth" };
	int any = 0;

	for (size_t at = payload_find(lo, n, 0, "${"); at < n; at = payload_find(lo, n, at + 2, "${")) {
		size_t b = at + 2, e = b, k;
		int ok = 0;

		while (e < n && lo[e] != '}' && lo[e] != '$' && lo[e] != '{')
			e++;
		if (e >= n || lo[e] != '}')
			return 0;
		for (k = 0; k < sizeof(soft) / sizeof(soft[0]) && !ok; k++)
			ok = payload_at(lo, e, b, soft[k]);
		for (k = 0; k < sizeof(secret) / sizeof(secret[0]) && ok; k++)
			ok = payload_find(lo, e, b, secret[k]) >= e;
		if (!ok)
			return 0;
		any = 1;
	}
	return any;
}

void payload_jndi_scan(const struct payload_val *v, struct payload_acc *a)
{
	char out[JNDI_BUF];
	size_t w = 0;
	int found = 0;

	if (payload_find(v->lo, v->n, 0, "${") >= v->n)
		return;
	jres(v->lo, v->n, 0, 0, out, &w, sizeof(out), &found);
	/* a lookup spelt by lookups: ${::-$}{jndi:ldap://x/a} leaves
	 * "${jndi:ldap://x/a}" once resolved; judged once more */
	if (!(found & 1) && payload_find(out, w, 0, "${") < w) {
		char again[JNDI_BUF];
		size_t w2 = 0;

		jres(out, w, 0, 0, again, &w2, sizeof(again), &found);
	}
	if (found & 1) {
		payload_acc_hit(a, PAYLOAD_JNDI, 95, "jndi lookup");
		return;
	}
	/* log4j's other lookups read the environment, system properties and
	 * the JVM into a log line: reconnaissance, and the carrier of a
	 * later ${jndi:}; as resolved (${${lower:e}nv:X}) or as written */
	if (found & 2) {
		if (setting_lookups(v->lo, v->n))
			payload_acc_hit(a, PAYLOAD_JNDI, 55, "log4j lookup of a setting");
		else
			payload_acc_hit(a, PAYLOAD_JNDI, 75, "log4j lookup");
		return;
	}
	for (size_t at = payload_find(v->lo, v->n, 0, "${"); at < v->n; at = payload_find(v->lo, v->n, at + 2, "${"))
		if (jprefix(v->lo + at + 2, v->n - at - 2)) {
			payload_acc_hit(a, PAYLOAD_JNDI, 75, "log4j lookup");
			return;
		}
}
