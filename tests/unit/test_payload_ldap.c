/* test_payload_ldap.c - LDAP filter injection and XPath injection
 * (payload_ldap.c): values that close the filter item or the XPath string
 * literal they are spliced into and open a construct of the language,
 * each sent as a form field (percent-encoded, judged by
 * payload_scan_query as a query and as a form body) and as a raw query
 * value (payload_scan); and the look-alikes that must draw nothing: code
 * (curried calls, arrow functions, PHP's scope operator, shell pipes and
 * globs, SQL's @@variables), prose with parentheses and apostrophes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct vcase {
	const char *v;
	enum payload_kind want; /* PAYLOAD_NONE: no ldapi or xpathi finding */
};

#define N PAYLOAD_NONE
#define L PAYLOAD_LDAPI
#define X PAYLOAD_XPATHI

/* "q=" and v with every byte but the unreserved ones as %XX */
static const char *form_q(const char *v)
{
	static char out[4096];
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

/* the kinds of m[0..n) as bits */
static unsigned kinds(const struct payload_match *m, int n)
{
	unsigned set = 0;

	for (int j = 0; j < n; j++)
		set |= 1u << m[j].kind;
	return set;
}

/* 1 when v, as a form field (query and body) and as a raw query value,
 * does not draw what it wants (said on stderr) */
static int fails(const struct vcase *c)
{
	struct payload_match m[PAYLOAD__COUNT];
	const char *q = form_q(c->v);
	unsigned got[3], ours = (1u << L) | (1u << X);
	int bad = 0;

	got[0] = kinds(m, payload_scan_query(q, strlen(q), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT));
	got[1] = kinds(m, payload_scan_query(q, strlen(q), PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT));
	got[2] = kinds(m, payload_scan(c->v, strlen(c->v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT));
	for (int i = 0; i < 3; i++) {
		int ok = c->want == N ? !(got[i] & ours) : (got[i] >> c->want) & 1;

		if (!ok) {
			fprintf(stderr, "  FAIL (%s) %s: %s (kinds 0x%x)\n",
				i == 0 ? "query" : i == 1 ? "form body" : "raw value",
				c->want == N ? "benign flagged" : "attack missed", c->v, got[i]);
			bad = 1;
		}
	}
	return bad;
}

static void run(const struct vcase *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += fails(&t[i]);
	assert_int_equal(bad, 0);
}

static void test_ldap_attacks(void **state)
{
	static const struct vcase t[] = {
		/* an item closed, another opened (RFC 4515 items) */
		{ "*)(uid=*))(|(uid=*", L },
		{ "*)(objectClass=*", L },
		{ ")(cn=))", L },
		{ "x)(sn=*", L },
		{ "*)(mail=*@*", L },
		{ "admin)(memberOf=cn=admins,dc=example,dc=com)", L },
		/* filter types ~= >= <=, an extensible match, a numeric OID,
		 * attribute options */
		{ "*)(cn~=admin", L },
		{ "*)(uidNumber>=0", L },
		{ "*)(uidNumber<=99999", L },
		{ "*)(cn:dn:=admin", L },
		{ "*)(2.5.4.3=*", L },
		{ "admin)(userPassword;binary=*", L },
		/* operators and the absolute filters (RFC 4526) */
		{ "admin)(&)", L },
		{ "admin)(|(password=*))", L },
		{ "admin)(!(&(1=0", L },
		{ "*)(&", L },
		{ "admin*)((|userpassword=*)", L },
		/* a composite filter written whole */
		{ "*(|(mail=*))", L },
		{ "(|(uid=*)(cn=*))", L },
		{ "(&(uid=admin)(!(userPassword=x)))", L },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_xpath_attacks(void **state)
{
	static const struct vcase t[] = {
		/* a condition of XPath's own functions after the literal */
		{ "' or name()='username' or 'x'='y", X },
		{ "' and count(/*)=1 and '1'='1", X },
		{ "' and count(/@*)=1 and '1'='1", X },
		{ "' and count(/comment())=1 and '1'='1", X },
		{ "') and contains(../password,'c", X },
		{ "') and starts-with(../password,'c", X },
		{ "' or string-length(name(/*[1]))=4 or '", X },
		{ "' and substring(name(/*[1]),1,1)='u' and '1'='1", X },
		{ "1' or position()=1 or '1'='1", X },
		{ "x' or text()='admin' or 'a'='b", X },
		{ "\" or true() or \"", X },
		{ "admin' or local-name(/*)='users' or '", X },
		{ "' or not(contains(name(.),'x')) or '", X },
		/* a union of another location path */
		{ "')] | //user/*[contains(*,'", X },
		{ "' | //password | '", X },
		{ "'] | /descendant::* | //x['", X },
		{ "'] | /users/user[1]/password | a['", X },
		/* axis steps standing alone */
		{ "count(/child::node())", X },
		{ "/descendant::*", X },
		{ "//user/child::text()", X },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_lookalikes(void **state)
{
	static const struct vcase t[] = {
		/* parentheses in prose and code */
		{ "John (Jack) Smith", N },
		{ "call me (555) 123-4567", N },
		{ "f(x)(y)", N },
		{ "compose(f)(g)(x)", N },
		{ "(function(){})(window)", N },
		/* a curried call with an arrow function or a comparison */
		{ "foo()(x=>x*2)", N },
		{ "wrap(a)(b==c)", N },
		{ "(a+b)(a-b)=a^2-b^2", N },
		{ "Note (1)(2)", N },
		/* apostrophes, "or" and SQL's functions */
		{ "it's true or false", N },
		{ "Apple's or Orange's count(s)", N },
		{ "she said 'yes' and then left", N },
		{ "'hello' or 'world'", N },
		{ "JS: if (x === 'a' || y.contains(z)) {}", N },
		/* PHP's and C++'s scope operator */
		{ "PHP: return self::VERSION;", N },
		{ "parent::__construct($x);", N },
		{ "std::vector<int> v; Foo::Bar::baz", N },
		/* a shell case pattern and a pipe into a program after a
		 * quote: the cmdi detector's, not XPath's */
		{ "*[-.][zZ] | *_z | *[-.]bz2 | *.t[abglx]z", N },
		{ "x' | /bin/ls", N },
		{ "test'|/b[i]n/sl[e]ep 7", N },
		{ "the node() and text() functions", N },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

/* An SQL injection using SQL's string functions is SQL's, not XPath's */
static void test_sql_stays_sql(void **state)
{
	static const char *const v[] = {
		"1%' AND SUBSTRING(@@version,1,1) LIKE 7 --+",
		"\" and substring(@@version,1,1)=7 and \"x\"=\"x",
		"' or concat(user(),0x3a)='x",
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned k = kinds(m, payload_scan(v[i], strlen(v[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT));

		assert_true(k & (1u << PAYLOAD_SQLI));
		assert_false(k & (1u << PAYLOAD_XPATHI));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldap_attacks),
		cmocka_unit_test(test_xpath_attacks),
		cmocka_unit_test(test_lookalikes),
		cmocka_unit_test(test_sql_stays_sql),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
