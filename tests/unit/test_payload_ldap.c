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
		/* a composite filter glued to a wildcard value */
		{ "*(|(mail=*))", L },
		{ "*(&(objectClass=*))", L },
		/* blanks between components (OpenLDAP's parser skips them) */
		{ "*) (uid=*", L },
		{ "*)( uid=*", L },
		{ "admin)( |(objectclass=*)", L },
		{ "*)(& (uid=*)", L },
		{ "*)(|\t(uid=*)", L },
		{ "*)\n(cn=*", L },
		/* extensible match without an attribute, with a named rule */
		{ "*)(:dn:2.5.13.5:=admin", L },
		{ "*)(cn:caseExactMatch:=x)", L },
		{ "x)(:caseIgnoreMatch:=admin", L },
		{ "*)(cn:=admin", L },
		/* the close at the value's start, a NUL after it */
		{ ")(cn=*))", L },
		{ "*))(|(objectClass=*", L },
		{ "admin)(|(uid=*)(|(cn=*", L },
		/* the value ends inside the operator */
		{ "jsmith)(!(", L },
		{ "x)(|(userPassword", L },
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
		/* XPath 2.0: the fn: prefix, comments as blanks */
		{ "x') or fn:true() or ('", X },
		{ "x' or fn:string-length(fn:name(/*))=5 or 'a'='b", X },
		{ "x' or(: c :)name()='a", X },
		{ "x'(: a :)or(: b :)count(//user)=3 or 'a'='b", X },
		/* a predicate closed and a step after it; a path in the
		 * condition */
		{ "x\"]/../*[name()=\"password", X },
		{ "x']/*[1]/*[2]/text()|a['", X },
		{ "x' or /*[1]/*[2]/text()='a' or 'a'='b", X },
		{ "x' or /*[1]/*[2]='a' or 'a'='b", X },
		{ "\" or //user[2]/pass=\"x", X },
		/* a numeric predicate closed: a union after it; a number,
		 * then a condition */
		{ "1] | //*", X },
		{ "'][1]|//*|a['", X },
		{ "1 or count(//user)>0", X },
		{ "0 or name()='a'", X },
		{ "1 or 1=1 or count(/*)>0", X },
		/* an attribute or a relative path compared */
		{ "x' or ./password='a' or 'a'='b", X },
		{ "x' or ../password='a' or 'a'='b", X },
		{ "x' or @id=1 or 'a'='b", X },
		/* a descendant path, every attribute (no '(' ':' '|') */
		{ "' or //user/password='x", X },
		{ "x' or //* or 'a'='b", X },
		{ "' or @*='x", X },
		{ "x']/../password | a['", X },
		/* XPath 2.0's functions; blanks before '(' */
		{ "' or matches(//user/password, '^a') or '", X },
		{ "' or exists(//user[name='admin']) or '", X },
		{ "' or unparsed-text('file:///etc/passwd') or '", X },
		{ "' or lower-case(name(/*))='a' or '", X },
		{ "' or empty(//user) or '", X },
		{ "x' or name ()='a", X },
		{ "x' or count (//user)=1 or 'a'='b", X },
		{ "x' or starts-with (name(/*),'a') or 'a'='b", X },
		{ "'          or name()='a", X },
		/* comparisons of literals first, the function further on */
		{ "x' or 1=1 or name()='a", X },
		{ "x' and 'a'='a' and count(//user)>0 and 'b'='b", X },
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
		{ "it's a list of node() and text() functions", N },
		{ "Bob's cat or count(/) of them", N },
		{ "x = \"\" or string(.5)", N },
		{ "use 'http:' or //cdn.example.com/lib.js", N },
		{ "it's 'Bob' or name (alias) here", N },
		{ "2 or 3 items (optional)", N },
		{ "if (n:=len(a)) > 10: pass", N },
		{ "run 'make' or ./configure first", N },
		{ "rated 5 and text (short) is fine", N },
		/* calls of a returned function with keyword arguments */
		{ "limit (integer)(default=20)", N },
		{ "results were significant (95% CI)(n=30)", N },
		{ "functools.partial(fn)(retries=3)", N },
		{ "type(self)(name=name, age=age)", N },
		{ "option a) (default=on)", N },
		/* a regex's empty alternative */
		{ "^(\\d+)(|(\\.\\d+))$", N },
		/* LDAP filters as configuration (Keycloak, Nextcloud, GitLab):
		 * a balanced filter as the whole value */
		{ "(&(objectClass=user)(sAMAccountName={0}))", N },
		{ "(&(objectClass=person)(memberOf=cn=staff,ou=groups,dc=example,dc=com))", N },
		{ "(|(uid=%uid)(mail=%uid))", N },
		{ "(&(uid=admin)(!(userPassword=x)))", N },
		{ "(cn:caseExactMatch:=x)", N },
		{ "See RFC 4515: (cn=Babs Jensen)(!(cn=Tim Howes))", N },
		/* XPath sent whole to a scraper API */
		{ "//a[contains(@href,'download') and text()='PDF']", N },
		{ "//div[@class='price'] | //span[@id='total']", N },
		{ "//tr[td[1]='Name']/td[2]/text()", N },
		{ "//*[@id=\"main\"]/div[2]/a", N },
		/* PHP's and Rust's self:: */
		{ "if ($type === 'foo' and self::DEBUG) { return; }", N },
		{ "rust: use crate::{self::*}; fn f() { (self::*) }", N },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

/* a ')' the value did not open, then a nul that cuts the rest of the
 * application's filter off; a nul after a balanced call is not that */
static void test_ldap_nul(void **state)
{
	static const struct { const char *q; int want; } t[] = {
		{ "q=*))%00", 1 },
		{ "q=admin)%00", 1 },
		{ "q=%2A%29%29%00", 1 },
		{ "q=f(x)%00", 0 },
		{ "q=smile+:)%00", 0 },
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned k = kinds(m, payload_scan_query(t[i].q, strlen(t[i].q), PAYLOAD_WHERE_QUERY, m,
							 PAYLOAD__COUNT));

		if (!!(k & (1u << L)) != t[i].want)
			fprintf(stderr, "  FAIL nul %s: kinds 0x%x\n", t[i].q, k);
		assert_int_equal(!!(k & (1u << L)), t[i].want);
	}
}

/* An SQL injection using SQL's string functions is SQL's, not XPath's */
static void test_sql_stays_sql(void **state)
{
	static const char *const v[] = {
		"1%' AND SUBSTRING(@@version,1,1) LIKE 7 --+",
		"\" and substring(@@version,1,1)=7 and \"x\"=\"x",
		"' or concat(user(),0x3a)='x",
		"1' AND/*&id=*/EXTRACTVALUE(1,CONCAT(0x5c,user()))-- -",
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
		cmocka_unit_test(test_ldap_nul),
		cmocka_unit_test(test_sql_stays_sql),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
